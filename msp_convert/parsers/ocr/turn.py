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
"""

from __future__ import annotations

import math

import numpy as np

MAX_SKEW = 3.0  # degrees searched for the deskew
COARSE_STEP, FINE_STEP = 0.25, 0.05  # degrees: the search, then around its best
SHRINK = 4  # the skew is measured on the ink shrunk by this much each way (blocks of SHRINK x SHRINK)
BAND_ROWS = 64  # rows turned at a time


def skew(ink: np.ndarray) -> float:
    """The page's small rotation (degrees, counter-clockwise positive) from projection profiles of its ink.

    The angle (in steps of ``FINE_STEP``, within ``MAX_SKEW``) whose turn
    makes the ink's row profile sharpest: lines of text and rules lined up
    with the rows. Returned as the turn that undoes it (``turned(page, -skew)``).
    """
    h, w = ink.shape[0] // SHRINK, ink.shape[1] // SHRINK
    # each block's mean: its sum (exact in 16 bits: at most 16 x 255) over SHRINK**2, as float64
    small = ink[: h * SHRINK, : w * SHRINK].reshape(h, SHRINK, w, SHRINK).sum(axis=(1, 3), dtype=np.uint16) / (SHRINK * SHRINK)
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
