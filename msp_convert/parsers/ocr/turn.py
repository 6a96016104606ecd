"""A page's small skew, measured and undone: our own steps, the same under every OpenCV.

Not ``cv2.warpAffine``: OpenCV 4.x computes it in fixed point (source
positions rounded to 1/32 of a pixel, weights to 15 bits), OpenCV 5.x in
floating point (opencv/opencv#27280), so a page deskewed under one differs
from the other by up to 3 grey levels on about 3 % of its pixels, and the
nearest-neighbour turn picks another pixel for some: enough to move a tick
box's frame by a pixel and change how Tesseract reads a line. Here each
source position is computed in float64 and interpolated bilinearly (plain
IEEE arithmetic: the same on every machine), a band of rows at a time, so
the work arrays stay small whatever the page's size. The skew is measured
without turning the page at all: the ink's pixels are projected onto the
turned page's rows.

Whether a straightened page is upside down is told from its lines of print
(``upside_down``): Latin letters rise above the x-height far more than they
fall below it (b d f h k l t, capitals and digits against g j p q y).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

MAX_SKEW = 3.0  # degrees searched for the deskew
COARSE_STEP, FINE_STEP = 0.25, 0.05  # degrees: the search, then around its best
SHRINK = 4  # the skew is measured on the ink shrunk by this much each way (blocks of SHRINK x SHRINK; a power of two)
BAND_ROWS = 64  # rows turned at a time
# upside_down: a page's lines of print looked at in strips about an inch wide (lines of one column
# share their rows there); a line is a run of inked rows LINE_MIN-LINE_MAX points tall, its core the
# rows inked at least CORE of its fullest row; ink above the cores against below, as a share of both
STRIP_INCHES = 1.0
LINE_MIN, LINE_MAX = 3.0, 30.0
CORE = 0.4
UPSIDE_DOWN = -0.2  # the lean at or under which a page is upside down (upright print leans +0.1 to +0.7)


def skew(ink: np.ndarray) -> float:
    """The page's small rotation (degrees, counter-clockwise positive) from projection profiles of its ink.

    The angle (in steps of ``FINE_STEP``, within ``MAX_SKEW``) whose turn
    makes the ink's row profile sharpest: lines of text and rules lined up
    with the rows. Returned as the turn that undoes it (``turned(page, -skew)``).
    """
    h, w = ink.shape[0] // SHRINK, ink.shape[1] // SHRINK
    # each block's mean, by OpenCV's area shrink of whole blocks: exact in float32 in any order of sums, as
    # every sum is a whole number (at most 16 x 255) and each mean a whole number of 255 / SHRINK**2 (a power of two)
    block = np.ascontiguousarray(ink[: h * SHRINK, : w * SHRINK], dtype=np.float32)
    small = cv2.resize(block, (w, h), interpolation=cv2.INTER_AREA).astype(np.float64)
    ys, xs = np.nonzero(small)
    weight = small[ys, xs]
    dx, dy = xs - w / 2, ys - h / 2

    def sharpness(degrees: float) -> float:
        a = math.radians(degrees)
        rows = np.floor(dy * math.cos(a) - dx * math.sin(a) + 0.5).astype(np.intp)  # the row each pixel turns to
        profile = np.bincount(rows - rows.min(), weights=weight) if rows.size else np.zeros(1)
        return float(np.square(np.diff(profile, prepend=0.0, append=0.0)).sum())

    coarse = [k * COARSE_STEP for k in range(-round(MAX_SKEW / COARSE_STEP), round(MAX_SKEW / COARSE_STEP) + 1)]
    best = max(coarse, key=sharpness)
    fine = [best + k * FINE_STEP for k in range(-round(COARSE_STEP / FINE_STEP), round(COARSE_STEP / FINE_STEP) + 1)]
    return -round(max(fine, key=sharpness), 3)  # 0.25 - 4 * 0.05 is 0.0499...: no turn under 0.05


def turned(image: np.ndarray, degrees: float, fill: int) -> np.ndarray:
    """``image`` (2-D uint8) turned ``degrees`` counter-clockwise about (width / 2, height / 2), same size.

    The turn ``cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1)`` describes,
    pixel centres at whole coordinates; bilinear, rounded half up; what falls
    outside the image is ``fill``. Worked a band of rows at a time in arrays
    made once (a band small enough to stay in the processor's cache).
    """
    h, w = image.shape
    pad = 2  # a frame of fill: a neighbour outside the image reads it, no bounds checks
    flat = np.pad(image, pad, mode="constant", constant_values=fill).ravel()
    stride = w + 2 * pad
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    out = np.empty_like(image)
    dx = np.arange(w, dtype=np.float64) - w / 2
    across = (cos * dx, sin * dx)
    work = _Band((min(BAND_ROWS, h), w))
    for r0 in range(0, h, BAND_ROWS):
        dy = np.arange(r0, min(r0 + BAND_ROWS, h), dtype=np.float64) - h / 2
        # where each output pixel comes from (the inverse turn), in the padded image
        starts = ((w / 2 + pad - sin * dy)[:, None], (h / 2 + pad + cos * dy)[:, None])
        out[r0 : r0 + dy.size] = work.turn(flat, across, starts, (h + 2 * pad - 2, stride))
    return out


class _Band:
    """The work arrays of one band of rows, and the turn of a band: each step as it always was
    (float64 places, float32 mixing), written into these arrays rather than new ones."""

    def __init__(self, shape: tuple[int, int]) -> None:
        self.place, self.floor = np.empty(shape), np.empty(shape)
        self.ax, self.ay = np.empty(shape, np.float32), np.empty(shape, np.float32)
        self.at, self.across = np.empty(shape, np.intp), np.empty(shape, np.intp)
        self.grey = [np.empty(shape, np.uint8) for _ in range(4)]
        self.mix = [np.empty(shape, np.float32) for _ in range(4)]

    def turn(self, flat: np.ndarray, across: tuple[np.ndarray, np.ndarray], starts: tuple[np.ndarray, np.ndarray], last: tuple[int, int]) -> np.ndarray:
        n = starts[0].shape[0]
        sx, x0, y0 = self.place[:n], self.floor[:n], self.floor[:n]
        ax, ay, at, col = self.ax[:n], self.ay[:n], self.at[:n], self.across[:n]
        np.add(across[0][None, :], starts[0], out=sx)
        np.floor(sx, out=x0)
        col[...] = x0
        np.subtract(sx, x0, out=sx)
        ax[...] = sx  # the right neighbour's weight
        np.add(across[1][None, :], starts[1], out=sx)
        np.floor(sx, out=y0)
        at[...] = y0
        np.subtract(sx, y0, out=sx)
        ay[...] = sx  # the lower neighbour's weight
        np.clip(at, 0, last[0], out=at)  # off the image, both neighbours fall in the frame
        at *= last[1]
        np.clip(col, 0, last[1] - 2, out=col)
        at += col
        a, b, c, d = (g[:n] for g in self.grey)
        np.take(flat, at, out=a)
        at += 1
        np.take(flat, at, out=b)
        at += last[1]
        np.take(flat, at, out=d)
        at -= 1
        np.take(flat, at, out=c)
        top, right, bottom, corner = (m[:n] for m in self.mix)
        _mix(top, right, a, b, ax)
        _mix(bottom, corner, c, d, ax)
        corner -= right  # the lower row less the upper, weighed, added to the upper: as _mix
        corner *= ay
        corner += right
        corner += np.float32(0.5)
        return np.floor(corner, out=corner)


def _mix(a32: np.ndarray, b32: np.ndarray, a: np.ndarray, b: np.ndarray, share: np.ndarray) -> None:
    """b32 = a + (b - a) * share, in float32 (a32 holds a as float32)."""
    a32[...] = a
    b32[...] = b
    b32 -= a32
    b32 *= share
    b32 += a32


def upside_down(ink: np.ndarray, dpi: float) -> bool:
    """Is this straightened page (ink as 255 on 0) upside down? (``lean`` at or under ``UPSIDE_DOWN``.)"""
    return lean(ink, dpi) <= UPSIDE_DOWN


def lean(ink: np.ndarray, dpi: float) -> float:
    """The ink above the cores of the page's lines of print less that below them, as a share of both.

    Positive on an upright page (ascenders and capitals above the x-height
    outweigh descenders below it), negative on one upside down, near 0 where
    there is no print. Each strip's row profile is split into runs of inked
    rows; all strips' runs are worked on at once, in one flat array (a row
    of paper after each strip keeps their runs apart).
    """
    h, w = ink.shape
    strip = max(int(STRIP_INCHES * dpi), 8)
    n = w // strip
    if not n or not h:
        return 0.0
    counts = (ink[:, : n * strip] > 0).reshape(h, n, strip).sum(axis=2, dtype=np.int32)
    flat = np.zeros((n, h + 1), np.int64)
    flat[:, :h] = counts.T
    flat = flat.ravel()
    edges = np.diff(np.concatenate(([0], (flat > 0).view(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    tall = ends - starts
    keep = (tall >= LINE_MIN * dpi / 72) & (tall <= LINE_MAX * dpi / 72)
    starts, ends = starts[keep], ends[keep]
    if not starts.size:
        return 0.0
    marks = np.zeros(flat.size + 1, np.int64)
    marks[starts], marks[ends] = 1, -1  # runs are apart: no row both starts one and ends another
    inside = np.cumsum(marks[:-1]) > 0
    line = np.cumsum(marks[:-1] > 0) - 1  # each row's line, where it is inside one
    fullest = np.maximum.reduceat(flat, np.stack((starts, ends), axis=1).ravel())[::2]
    rows = np.flatnonzero(inside)
    core = rows[flat[rows] >= CORE * fullest[line[rows]]]
    first = np.full(starts.size, flat.size, np.int64)
    last = np.full(starts.size, -1, np.int64)
    np.minimum.at(first, line[core], core)
    np.maximum.at(last, line[core], core)
    total = np.concatenate(([0], np.cumsum(flat)))
    above = int((total[first] - total[starts]).sum())
    below = int((total[ends] - total[last + 1]).sum())
    return (above - below) / max(above + below, 1)
