"""Pen strikes through print, found before Tesseract reads the page.

A strike drawn by hand is no straight line: it slants a degree or two, waves
a pixel or so about its course, and runs a little off the middle of the
words. Grown a little up and down, it keeps one row of ink over any short
piece of its length; those pieces, joined, give its course, column by
column. It is a strike (not a rule, an underline or writing) by the same
test as a printed strike, taken along that course: letters cross it (ink
just above and just below it) over part of its length, and it bridges the
gaps between them (no ink above or below) over another part.

Kept as short pieces (``Stroke`` boxes), each as flat as the stroke is
thick, so the pieces paint out of the page as a straight strike's box does,
and a word's share under them is counted as for a straight one.
"""

from __future__ import annotations

from typing import Optional

import cv2
import numpy as np

from .common import Stroke, _blobs, _filled, components

# A pen stroke's course: the ink grown PEN_WAVE points up and down holds one row over
# PEN_PIECE points of it; a course at least PEN_MIN points long, no thicker than
# PEN_THICK points on most columns (where no letter crosses it). Its course may bend
# by PEN_BEND points per PEN_PIECE; a letter's bar or a blob of toner beside it makes
# the grown ink taller than PEN_TALL points over more than PEN_LUMPY of its columns.
PEN_WAVE, PEN_PIECE, PEN_MIN, PEN_THICK = 0.4, 5.0, 14.0, 2.0
PEN_TALL, PEN_LUMPY = 4.0, 0.3
PEN_BARE = 0.3  # of its columns at least, the stroke's own ink is seen alone (no letter along it)
# A pen's line is at least PEN_LONG times as long as it is thick (joined bars of bold
# letters are not).
PEN_LONG = 10.0
# A course level within PEN_LEVEL degrees, off its line by under PEN_TRUE pixels, is a
# rule's or a printed line's (the printed strike is found as one): no pen's.
PEN_LEVEL, PEN_TRUE = 0.15, 0.35
PEN_LEVEL_ROWS = 1.2  # points: a rule found on the page this thick at most, top to bottom, is level
# The printed strike's test along the course (see strike.STRIKE_CROSS and the rest), with
# letters looked for within PEN_REACH points above and below it: a pen strike may run
# near the top of the x-height or near the baseline, not at the middle.
# (The gaps are looked for within a point, as for a printed strike.) A strike ends within
# PEN_PAST points of the letters it crosses: past that, a course runs on along a rule.
PEN_CROSS, PEN_GAPS, PEN_DENSE, PEN_REACH, PEN_PAST = 0.12, 0.2, 0.85, 1.5, 6.0
# A course shorter than PEN_SHORT points crosses a letter or two: little to go on (letters run
# together by toner, a piece of a rule the rule finder missed look the same), so it must bridge
# gaps (nothing within PEN_SHORT_REACH points above or below) over PEN_SHORT_GAPS of its length
# and be PEN_SHORT_THICK points thick (no hairline).
PEN_SHORT, PEN_SHORT_GAPS, PEN_SHORT_REACH, PEN_SHORT_THICK = 20.0, 0.4, 2.5, 0.5


def pen_strokes(ink: np.ndarray, rules_v: np.ndarray, dpi: float, rules_h: Optional[np.ndarray]) -> tuple[list[Stroke], Optional[np.ndarray]]:
    """Pen strikes through print: their pieces as strike boxes, and their pixels as a mask (None if none).

    The level rules of ``rules_h`` (the page's horizontal rules) are left out
    first: a strike drawn near a cell's border would run into it, and the two
    would be taken for one. Without them, no pen strike is looked for.
    """
    if rules_h is None:
        return [], None
    ink = ink.copy()
    ink[_level(rules_h, ink, dpi)] = 0
    grow = max(1, round(PEN_WAVE * dpi / 72))
    piece = max(round(PEN_PIECE * dpi / 72), 6)
    grown = cv2.dilate(ink, np.ones((2 * grow + 1, 1), np.uint8))
    runs = cv2.morphologyEx(grown, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (piece, 1)))
    least, tall = PEN_MIN * dpi / 72, PEN_TALL * dpi / 72 + 2 * grow
    letters = ink.copy()
    letters[rules_v > 0] = 0
    found: list[Stroke] = []
    mask: Optional[np.ndarray] = None
    for blob in components(runs, lambda w, h: w >= least):
        for x, course in _courses(blob.pixels, tall, least):
            judged = _judged(ink, letters, blob.x + x, blob.y + course, dpi)
            if judged is None:
                continue
            x, band, conf = judged
            found += _pieces(x, band, conf)
            if mask is None:
                mask = np.zeros(ink.shape, dtype=bool)
            _paint(mask, x, band)
    if mask is not None:  # the rule finder's mask of a wavy stroke is a row or two thicker than its ink
        mask = cv2.dilate(mask.astype(np.uint8), np.ones((2 * grow + 3, 1), np.uint8)) > 0
    return found, mask


def _judged(ink: np.ndarray, letters: np.ndarray, x: int, course: np.ndarray, dpi: float) -> Optional[tuple[int, np.ndarray, float]]:
    """A course (its middle row in each column from ``x``) as a pen strike: (first column, its rows, confidence), or None."""
    band = _band(ink, x, course, PEN_THICK * dpi / 72)
    if band is None or _straight(band):
        return None
    reach = max(2, round(PEN_REACH * dpi / 72))
    x, band = _trimmed(letters, x, band, reach, round(PEN_PAST * dpi / 72))
    thick = float(np.median(band[1] - band[0] + 1)) if band.shape[1] else 0.0
    short = band.shape[1] < PEN_SHORT * dpi / 72
    if band.shape[1] < max(PEN_MIN * dpi / 72, PEN_LONG * thick) or (short and thick < PEN_SHORT_THICK * dpi / 72):
        return None
    near = max(2, round(dpi / 72))
    gaps = (max(near, round(PEN_SHORT_REACH * dpi / 72)), PEN_SHORT_GAPS) if short else (near, PEN_GAPS)
    conf = _crossed(letters, x, band, reach, gaps)
    return None if conf is None else (x, band, conf)


def _level(rules_h: np.ndarray, ink: np.ndarray, dpi: float) -> np.ndarray:
    """The rules of the rule mask: its strokes that run straight (no more than ``PEN_LEVEL_ROWS``
    points from top to bottom, or ``_straight``) along a row that letters do not cross, all its
    strokes taken together (a dashed rule's dashes; a flat strike found with the rules is left in)."""
    rows, reach = max(3, round(PEN_LEVEL_ROWS * dpi / 72)), max(2, round(PEN_REACH * dpi / 72))
    flat: list[tuple[float, int, int, int, int, np.ndarray, int]] = []
    for (x, y, w, h), contour in _blobs(rules_h):
        pixels = _filled(contour, x, y, w, h)
        band = np.vstack([y + pixels.argmax(axis=0), y + h - 1 - pixels[::-1].argmax(axis=0)])
        if h <= rows or _straight(band):
            above, below = _sides(ink, x, band, reach)
            flat.append((y + h / 2, x, y, w, h, pixels, int((above.any(axis=0) & below.any(axis=0)).sum())))
    level = np.zeros(rules_h.shape, dtype=bool)
    flat.sort(key=lambda f: f[0])
    start = 0
    for end in range(1, len(flat) + 1):
        if end < len(flat) and flat[end][0] - flat[end - 1][0] <= rows:
            continue
        row = flat[start:end]  # the strokes along one row
        if sum(f[6] for f in row) < PEN_CROSS * sum(f[3] for f in row):
            for _, x, y, w, h, pixels, _ in row:
                level[y : y + h, x : x + w] |= pixels
        start = end
    return level


def _courses(pixels: np.ndarray, tall: float, least: float) -> list[tuple[int, np.ndarray]]:
    """The thin courses along a grown blob: (first column, middle row in each column from the blob's top).

    A column where the blob is taller than ``tall`` holds more than one
    stroke (a strike running into a rule, a letter's bar beside it): the
    blob is cut there, and each part at least ``least`` long is a course.
    """
    top = pixels.argmax(axis=0)
    bottom = pixels.shape[0] - 1 - pixels[::-1].argmax(axis=0)
    thin = (bottom - top + 1) <= tall
    if thin.mean() < 1 - PEN_LUMPY:
        return []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], thin.astype(np.int8), [0]])))
    middle = (top + bottom) / 2.0
    return [(int(a), middle[a:b]) for a, b in zip(edges[::2], edges[1::2]) if b - a >= least]


def _band(ink: np.ndarray, x: int, centre: np.ndarray, thick_max: float) -> Optional[np.ndarray]:
    """The stroke's rows in each column, (top, bottom) inclusive, as 2 x n ints; None if it is too thick.

    The ink run through the course's middle; where a letter's stem crosses it
    (a run longer than a stroke is thick) or the stroke is broken, the
    stroke's usual thickness about its course.
    """
    reach = int(np.ceil(thick_max)) + 1
    n = centre.size
    mid = np.clip(np.round(centre).astype(int), reach, ink.shape[0] - reach - 1)
    cols = np.arange(x, x + n)
    window = ink[mid[None, :] + np.arange(-reach, reach + 1)[:, None], cols[None, :]] > 0
    # an ink run must hold the middle row or the row next to it
    start = np.where(window[reach], reach, np.where(window[reach - 1], reach - 1, reach + 1))
    held = window[start, np.arange(n)]
    rows = np.arange(2 * reach + 1)[:, None]
    up = np.where(held, _run(window, start, -1, rows), 0)
    down = np.where(held, _run(window, start, 1, rows), 0)
    thick = up + down - 1
    ok = held & (thick <= thick_max)
    if ok.mean() < PEN_BARE:
        return None
    usual = float(np.median(thick[ok]))
    ok &= thick <= usual + 1  # thicker: a letter's bar or bowl lies along it, and stays
    top = np.where(ok, mid - reach + start - up + 1, np.round(centre - (usual - 1) / 2).astype(int))
    bottom = np.where(ok, mid - reach + start + down - 1, top + int(round(usual)) - 1)
    return np.vstack([top, bottom])


def _straight(band: np.ndarray) -> bool:
    """Does the stroke run straight along the (deskewed) page, as a rule or a printed line does?

    Within a row from end to end, or level within ``PEN_LEVEL`` degrees and
    off its line by less than ``PEN_TRUE`` pixels (a root mean square): a
    hand's line slants or waves.
    """
    middle = band.mean(axis=0)
    if middle.max() - middle.min() <= 1.0:
        return True
    xs = np.arange(middle.size) - (middle.size - 1) / 2.0
    slope = float(xs @ (middle - middle.mean()) / (xs @ xs))  # least squares, by its closed form
    off = float(np.sqrt(np.mean((middle - middle.mean() - slope * xs) ** 2)))
    return abs(float(np.degrees(np.arctan(slope)))) < PEN_LEVEL and off < PEN_TRUE


def _run(window: np.ndarray, start: np.ndarray, step: int, rows: np.ndarray) -> np.ndarray:
    """Per column, how many rows of ink run from ``start`` (itself included) upward (step -1) or down (+1)."""
    ahead = (rows - start[None, :]) * step >= 0
    gap = ahead & ~window
    far = np.where(gap, (rows - start[None, :]) * step, window.shape[0])
    return far.min(axis=0)


def _sides(letters: np.ndarray, x: int, band: np.ndarray, reach: int) -> tuple[np.ndarray, np.ndarray]:
    """Letters' ink in the ``reach`` rows above and below the stroke, past the row touching it (its
    blur): two reach x n arrays."""
    cols = np.arange(x, x + band.shape[1])[None, :]
    top, bottom = band
    rows = np.arange(2, reach + 2)[:, None]
    last = letters.shape[0] - 1
    return letters[np.clip(top[None, :] - rows, 0, last), cols] > 0, letters[np.clip(bottom[None, :] + rows, 0, last), cols] > 0


def _trimmed(letters: np.ndarray, x: int, band: np.ndarray, reach: int, past: int) -> tuple[int, np.ndarray]:
    """The course cut to ``past`` beyond the first and last column letters cross (none: nothing left)."""
    above, below = _sides(letters, x, band, reach)
    crossed = np.flatnonzero(above.any(axis=0) & below.any(axis=0))
    if not crossed.size:
        return x, band[:, :0]
    a, b = max(int(crossed[0]) - past, 0), int(crossed[-1]) + past + 1
    return x + a, band[:, a:b]


def _crossed(letters: np.ndarray, x: int, band: np.ndarray, reach: int, gaps: tuple[int, float]) -> Optional[float]:
    """The printed strike's test along the stroke: the confidence that it strikes letters, or None if not.

    Letters cross it (ink within ``reach`` rows above and below it) over
    ``PEN_CROSS`` of its length; it bridges the gaps between them (no ink
    within ``gaps[0]`` rows) over ``gaps[1]`` of it.
    """
    ink_above, ink_below = _sides(letters, x, band, max(reach, gaps[0]))
    above, below = ink_above[:reach].any(axis=0), ink_below[:reach].any(axis=0)
    cross, dense = (above & below).mean(), max(above.mean(), below.mean())
    bridged = (~ink_above[: gaps[0]].any(axis=0) & ~ink_below[: gaps[0]].any(axis=0)).mean()
    if cross < PEN_CROSS or bridged < gaps[1] or dense > PEN_DENSE:
        return None
    return 0.6 + 0.4 * float(min((cross - PEN_CROSS) / 0.1, (bridged - gaps[1]) / 0.1, (PEN_DENSE - dense) / 0.1, 1.0))


def _pieces(x: int, band: np.ndarray, conf: float) -> list[Stroke]:
    """The stroke cut into boxes along its course, one where its rows change (painted out box by box)."""
    top, bottom = band
    cuts = np.flatnonzero((np.diff(top) != 0) | (np.diff(bottom) != 0)) + 1
    starts, ends = np.concatenate([[0], cuts]), np.concatenate([cuts, [top.size]])
    return [(x + int(a), int(top[a]), int(b - a), int(bottom[a] - top[a] + 1), conf) for a, b in zip(starts, ends)]


def _paint(mask: np.ndarray, x: int, band: np.ndarray) -> None:
    """The stroke's pixels (its rows in each column) set in ``mask``."""
    top, bottom = band
    rows = np.arange(mask.shape[0])[:, None]
    lo, hi = int(top.min()), int(bottom.max()) + 1
    sub = rows[lo:hi]
    mask[lo:hi, x : x + top.size] |= (sub >= top[None, :]) & (sub <= bottom[None, :])
