"""Strikethrough on a scan: a thin stroke through the middle band of words, crossed by their letters.

Found twice: before Tesseract reads the page, as strokes (kept out of the
table rules, and painted out of the copy Tesseract reads, as it misreads
struck words), and after, word by word from the grey image, for strikes too
faint or broken to be found as strokes. Told apart from underlines (no
letters below them) and cell borders (no letters crossing them).
"""

from __future__ import annotations

from typing import Optional

import cv2
import numpy as np

from .common import Rect, Stroke, Word, _blobs, _filled, _quantile
from .pen import pen_strokes
from .ticks import _dotted


# Strikethrough, found twice. Before OCR, as strokes: a thin horizontal run of ink
# at least STRIKE_MIN long (points), no thicker than STRIKE_THICK, that letters cross
# (ink just above and just below) over STRIKE_CROSS of its length and that bridges
# the gaps between letters (no ink above or below) over STRIKE_GAPS of it; a run
# with ink above or below over more than STRIKE_DENSE of it lies inside bold
# letters. A rule has no letters crossing it, an underline none below it.
STRIKE_MIN, STRIKE_THICK = 10.0, 3.0
STRIKE_DOTS = 3  # pixels: breaks in a dithered stroke bridged
STRIKE_CROSS, STRIKE_GAPS, STRIKE_DENSE = 0.2, 0.2, 0.85
# A stroke strikes a word when it runs through this band of the word's box (fractions
# from its top) over STRIKE_COVER of the word's width; a long stroke (one taken for a
# rule) is a strike when words it runs through in that band cover STRIKE_COVER of it.
STRIKE_BAND = (0.2, 0.85)
STRIKE_COVER = 0.6
# After OCR, word by word, for strikes too faint or short to be found as strokes: ink
# is what is darker than the word's paper by STRIKE_LIGHT of the word's contrast; a
# row pair in the band must have ink across STRIKE_ROW of the word's ink width,
# STRIKE_RIDGE more than the rows just above and below it, and letters must cross
# it over STRIKE_WORD_CROSS of the width. Only for words STRIKE_WIDE times wider than
# tall: a single letter's own bar (e, a, 4, 6) looks like a strike.
STRIKE_LIGHT = 0.3
STRIKE_ROW, STRIKE_RIDGE, STRIKE_WORD_CROSS = 0.97, 0.3, 0.15
STRIKE_WIDE = 1.5


def _strike_strokes(ink: np.ndarray, rules_v: np.ndarray, dpi: float, rules_h: Optional[np.ndarray] = None) -> tuple[list[Stroke], Optional[np.ndarray]]:
    """Strikes through text found as strokes, before OCR: their boxes and mask (None if none).

    Printed strikes (``_printed_strokes``), and pen strikes (``pen.pen_strokes``,
    looked for only with the page's horizontal rules ``rules_h`` at hand): a
    pen's line waves and slants, and comes as short pieces.
    """
    found, mask = _printed_strokes(ink, rules_v, dpi)
    rest = ink
    if mask is not None:  # a printed strike found is no pen's: not found twice (and painted out twice)
        rest = ink.copy()
        rest[cv2.dilate(mask.astype(np.uint8), np.ones((3, 1), np.uint8)) > 0] = 0
    pen, pen_mask = pen_strokes(rest, rules_v, dpi, rules_h)
    if pen_mask is not None:
        found += pen
        mask = pen_mask if mask is None else mask | pen_mask
    return found, mask


def _printed_strokes(ink: np.ndarray, rules_v: np.ndarray, dpi: float) -> tuple[list[Stroke], Optional[np.ndarray]]:
    """Printed strikes through text: straight strokes, their boxes and mask (None if none).

    A candidate is a thin horizontal run of ink (a rule is one too); it is a
    strike when the letters it runs through cross it and it bridges the gaps
    between them (see ``STRIKE_MIN`` and the rest). A rule has no letters on
    both sides of it, an underline none below it, a run inside bold letters
    ink above or below nearly all along.
    """
    length = max(int(STRIKE_MIN * dpi / 72), 8)
    joined = ink
    if _dotted(ink):  # a dithered line is dots: its short breaks joined first
        joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (STRIKE_DOTS, 1)))
    runs = cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    blobs = _blobs(runs)
    if not blobs:
        return [], None
    letters = ink.copy()
    letters[runs > 0] = 0
    letters[rules_v > 0] = 0
    reach = max(2, round(dpi / 72))  # rows looked at above and below a run: about a point, past its blur
    thick_max = STRIKE_THICK * dpi / 72
    found: list[Stroke] = []
    mask: Optional[np.ndarray] = None
    for (x, y, w, h), contour in blobs:
        if np.count_nonzero(runs[y : y + h, x : x + w]) / w > thick_max or y < reach + 1 or y + h + reach + 1 > ink.shape[0]:
            continue
        above = letters[y - reach - 1 : y - 1, x : x + w].any(axis=0)
        below = letters[y + h + 1 : y + h + reach + 1, x : x + w].any(axis=0)
        cross, gaps, dense = (above & below).mean(), (~above & ~below).mean(), max(above.mean(), below.mean())
        if cross >= STRIKE_CROSS and gaps >= STRIKE_GAPS and dense <= STRIKE_DENSE:
            margin = min((cross - STRIKE_CROSS) / 0.15, (gaps - STRIKE_GAPS) / 0.1, (STRIKE_DENSE - dense) / 0.1, 1.0)
            found.append((x, y, w, h, 0.6 + 0.4 * float(margin)))
            if mask is None:
                mask = np.zeros(ink.shape, dtype=bool)
            mask[y : y + h, x : x + w] |= _filled(contour, x, y, w, h)
    return found, mask


def _erase_strokes(grey: np.ndarray, strokes: list[Stroke]) -> np.ndarray:
    """A copy of the page with the strike strokes painted out, for Tesseract, which misreads struck words.

    Each pixel of a stroke (and its blur, a row either side) takes the lighter of
    the pixels just above and just below it: paper between the letters, the
    letter where a stem crosses the stroke.
    """
    out = grey.copy()
    last = grey.shape[0] - 1
    for x, y, w, h, _ in strokes:
        lo, hi = max(y - 2, 0), min(y + h + 1, last)
        paper = np.maximum(grey[lo, x : x + w], grey[hi, x : x + w])
        band = out[lo + 1 : hi, x : x + w]
        np.maximum(band, paper[None, :], out=band)
    return out


def _rule_strikes(rules_h: np.ndarray, rects: list[Rect]) -> Optional[np.ndarray]:
    """The strokes of the rule mask that run through the middle of words: strikes, not rules (None if none).

    A strike across a line of text is as long as a rule; the words it runs
    through (in their middle band) cover most of it. A rule runs between lines
    of text, through no word's middle band.
    """
    def through(x0: int, top: int, x1: int, bottom: int) -> bool:
        h = bottom - top
        return bool(rules_h[top + int(h * STRIKE_BAND[0]) : top + int(h * STRIKE_BAND[1]) + 1, x0:x1].any())

    if not any(through(*r) for r in rects):  # the usual page: no rule through any word
        return None
    wx0, wtop, wx1, wbottom = np.asarray(rects, dtype=np.float64).T
    wh = wbottom - wtop
    band_lo, band_hi = wtop + wh * STRIKE_BAND[0], wtop + wh * STRIKE_BAND[1]
    mask: Optional[np.ndarray] = None
    for (x, y, w, h), contour in _blobs(rules_h):
        mid = y + h / 2
        hits = (wx1 > x) & (wx0 < x + w) & (band_lo <= mid) & (mid <= band_hi)
        if not hits.any():
            continue
        cover = np.zeros(w + 1, dtype=np.int32)  # the words' share of the stroke's length
        np.add.at(cover, np.clip(wx0[hits] - x, 0, w).astype(int), 1)
        np.add.at(cover, np.clip(wx1[hits] - x, 0, w).astype(int), -1)
        if (np.cumsum(cover)[:w] > 0).mean() >= STRIKE_COVER:
            if mask is None:
                mask = np.zeros(rules_h.shape, dtype=bool)
            mask[y : y + h, x : x + w] |= _filled(contour, x, y, w, h)
    return mask


def _strikes(grey: np.ndarray, rules: np.ndarray, words: list[Word], strokes: list[Stroke], dpi: float = 200.0) -> list[tuple[bool, float]]:
    """Per word: (struck, confidence of that judgement).

    A word is struck when a strike stroke found before OCR runs through its
    middle band over most of its width; else when its own pixels show one
    (``_struck``); else, for a word too short to judge alone, when a struck
    neighbour's strike runs on through the space between them and across it
    (``_run_on``); a mark between two struck words is struck (``_marks_between``).
    """
    out: list[tuple[bool, float]] = [(False, 1.0)] * len(words)
    strike_rows: list[Optional[tuple[int, float]]] = [None] * len(words)
    if strokes:
        s = np.asarray(strokes, dtype=np.float64)
        sx0, sx1, smid, sconf = s[:, 0], s[:, 0] + s[:, 2], s[:, 1] + s[:, 3] / 2, s[:, 4]
    for i, ((x0, top, x1, bottom), text, _, _) in enumerate(words):
        if x1 - x0 < 4 or bottom - top < 4 or not any(c.isalnum() for c in text):
            continue
        if strokes:
            h = bottom - top
            over = np.minimum(sx1, x1) - np.maximum(sx0, x0)
            band = (smid >= top + h * STRIKE_BAND[0]) & (smid <= top + h * STRIKE_BAND[1])
            crossing = band & (over > 0)
            if crossing.any() and _covered(sx0[crossing], sx1[crossing], x0, x1) >= STRIKE_COVER:
                out[i] = (True, float(sconf[crossing].max()))
                continue
        struck, conf, row = _struck(grey, rules, (x0, top, x1, bottom), dpi)
        if struck:
            out[i] = (True, conf)
            strike_rows[i] = row
    _run_on(grey, rules, words, out, strike_rows)
    return _marks_between(words, out)


def _run_on(grey: np.ndarray, rules: np.ndarray, words: list[Word], out: list[tuple[bool, float]], strike_rows: list) -> None:
    """A short word inside a struck phrase is struck when its neighbour's strike runs on across it (in place)."""
    lines = [wd[3] for wd in words]
    for order in (range(1, len(words)), range(len(words) - 2, -1, -1)):
        for i in order:
            j = i - 1 if order.step > 0 else i + 1
            if out[i][0] or strike_rows[j] is None or lines[i] != lines[j] or not any(c.isalnum() for c in words[i][1]):
                continue
            y, dark = strike_rows[j]
            (ax0, _, ax1, _), (bx0, _, bx1, _) = words[j][0], words[i][0]
            lo, hi = (ax1, bx1) if order.step > 0 else (bx0, ax0)  # the space between them, and the word
            if hi - lo < 2:
                continue
            row = (grey[y : y + 2, lo:hi] < dark).any(axis=0) & (rules[y : y + 2, lo:hi] == 0).all(axis=0)
            if row.mean() >= STRIKE_ROW:
                out[i] = (True, min(out[j][1], 0.85))
                strike_rows[i] = strike_rows[j]


def _marks_between(words: list[Word], out: list[tuple[bool, float]]) -> list[tuple[bool, float]]:
    """A mark with no letter or digit ("|", "-", "~") between two struck words of its line is struck too:
    Tesseract reads it from a piece of the strike itself, and it would break the struck phrase in two."""
    for i in range(1, len(words) - 1):
        before, mark, after = words[i - 1], words[i], words[i + 1]
        if out[i][0] or any(c.isalnum() for c in mark[1]) or not (out[i - 1][0] and out[i + 1][0]):
            continue
        if before[3] == mark[3] == after[3]:
            out[i] = (True, min(out[i - 1][1], out[i + 1][1]))
    return out


def _covered(sx0: np.ndarray, sx1: np.ndarray, x0: int, x1: int) -> float:
    """The share of a word's width [x0, x1) under strokes (a pen stroke comes in pieces)."""
    under = np.zeros(x1 - x0 + 1, dtype=np.int32)
    np.add.at(under, np.clip(sx0 - x0, 0, x1 - x0).astype(int), 1)
    np.add.at(under, np.clip(sx1 - x0, 0, x1 - x0).astype(int), -1)
    return float((np.cumsum(under)[:-1] > 0).mean())


# A strike drawn by hand slants and waves: lines at these slopes (degrees) are tried,
# ink counted within STRIKE_WINDOW points of the line.
STRIKE_SLOPES = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0)
STRIKE_WINDOW = 0.4


def _struck(grey: np.ndarray, rules: np.ndarray, rect: Rect, dpi: float = 200.0) -> tuple[bool, float, Optional[tuple[int, float]]]:
    """Does the word's own image show a strike? (struck, confidence, (strike row, ink level) if struck).

    Looked at in grey, against the word's own paper and ink (a strike may be
    fainter than the letters, broken by the scan): a line through the word's
    middle band, straight or slanted a little (``STRIKE_SLOPES``), with ink
    near it nearly all across the word's ink width, clearly more than along
    lines just above and below it, and letters below it. The top of the
    x-height, the baseline and an underline have gaps between the letters
    or no letters below them.
    """
    x0, top, x1, bottom = rect
    h = bottom - top
    if h < 8 or x1 - x0 < STRIKE_WIDE * h:
        return False, 1.0, None
    paper = _quantile(grey[max(top - 2, 0) : bottom + 2, max(x0 - 4, 0) : x1 + 4], 0.9)
    contrast = paper - _quantile(grey[top:bottom, x0:x1], 0.03)
    if contrast < 40:  # no letters to speak of
        return False, 1.0, None
    win = max(1, round(STRIKE_WINDOW * dpi / 72))
    gap, k = 2 * win + 1, max(2, round(h * 0.12))
    drift = int(np.ceil(np.tan(np.radians(max(STRIKE_SLOPES))) * (x1 - x0) / 2))
    pad = min(k + gap + win + drift + 1, top, grey.shape[0] - bottom)
    box = grey[top - pad : bottom + pad, x0:x1]
    free = rules[top - pad : bottom + pad, x0:x1] == 0
    letters = (box < paper - 0.5 * contrast) & free
    dark = paper - STRIKE_LIGHT * contrast
    light = (box < dark) & free
    cols = np.flatnonzero(letters[pad : pad + h].any(axis=0))
    if cols.size < 2 or cols[-1] + 1 - cols[0] < STRIKE_WIDE * h:
        return False, 1.0, None
    a, b = int(cols[0]), int(cols[-1]) + 1
    if light[pad : pad + h, a:b].any(axis=0).mean() < STRIKE_ROW:  # gaps no line could bridge: no line covers more
        return False, 1.0, None
    rows = pad + np.arange(max(k + 2, int(h * STRIKE_BAND[0])), min(h - 4 - k, int(np.ceil(h * STRIKE_BAND[1]))) + 1)
    found = _best_line(light[:, a:b], letters[:, a:b], rows, win, k, dpi)
    if found is None:
        return False, 1.0, None
    cover, ridge, below, row = found
    strength = min((cover - STRIKE_ROW) / (1 - STRIKE_ROW), (ridge - STRIKE_RIDGE) / 0.15, (below - STRIKE_WORD_CROSS) / 0.15, 1.0)
    return True, 0.6 + 0.4 * max(strength, 0.0), (top - pad + row, dark)


def _best_line(light: np.ndarray, letters: np.ndarray, r: np.ndarray, win: int, k: int, dpi: float) -> Optional[tuple[float, float, float, int]]:
    """The strongest strike line over a word's columns: (cover, ridge, share crossed below, its row at the word's end), or None.

    ``r`` are the candidate rows (at the word's middle); each slope of
    ``STRIKE_SLOPES`` is tried about the middle. Rows are counted by
    cumulative sums down each column.
    """
    h, n = light.shape
    gap = 2 * win + 1
    xs = np.arange(n)
    zero = np.zeros((1, n), dtype=np.int32)
    cl = np.vstack([zero, np.cumsum(light, axis=0, dtype=np.int32)])
    cs = np.vstack([zero, np.cumsum(letters, axis=0, dtype=np.int32)])

    def ink(c: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        return (c[np.clip(hi, 0, h), xs] - c[np.clip(lo, 0, h), xs]) > 0

    best = None
    for deg in STRIKE_SLOPES:
        if deg and abs(np.tan(np.radians(deg))) * n / 2 < win:
            continue  # a word too short for a slope to tell: the flat line stands for it
        rows = r[:, None] + np.round(np.tan(np.radians(deg)) * (xs - n / 2)).astype(int)[None, :]
        cover = ink(cl, rows - win, rows + win + 1).mean(axis=1)
        near = np.maximum(ink(cl, rows - gap - win, rows - gap + win + 1).mean(axis=1),
                          ink(cl, rows + gap - win, rows + gap + win + 1).mean(axis=1))
        below = ink(cs, rows + win + 1, rows + win + 1 + k).mean(axis=1)
        ok = (cover >= STRIKE_ROW) & (cover - near >= STRIKE_RIDGE) & (below >= STRIKE_WORD_CROSS)
        if ok.any():
            i = int(np.argmax(np.where(ok, 2 * cover - near, -1.0)))
            if best is None or 2 * cover[i] - near[i] > best[0] + best[1]:
                best = (float(cover[i]), float(cover[i] - near[i]), float(below[i]), int(rows[i, -1]))
    return best
