"""Handwriting on a scanned page: where it is, so its words are left out and a person is told.

Tesseract reads handwriting (a note in the margin, a comment by a box) as
low-confidence garbage. What tells a pen's writing from print here is its
shape: once the page's print (the words Tesseract read surely), its table
rules and its tick boxes are taken away, what ink is left that is as tall as
a line of print or taller, is no straight stroke (a rule, a strike, a
dash), and runs on as one connected curve longer than a printed letter
(cursive joins its letters) is pen. Neighbouring strokes of that kind make
one region; the words Tesseract read unsurely whose middle lies in a region
were read from it.

All in pixels: ``Rect`` is (x0, top, x1, bottom).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import cv2
import numpy as np

from .common import Rect, Word, components

SURE = 70.0  # a word Tesseract read at least this surely (0-100) is print
PRINT_HEIGHT_PT = 7.0  # a line of print's ink height when no sure word gives it (10-11 pt type)
MIN_HEIGHT = 0.6  # a pen stroke is at least this share of print's line height tall ...
MIN_WIDTH = 1.6  # ... and runs on at least this many line heights (a printed letter is under one)
MAX_FILL = 0.45  # share of its bounding box a curve inks at most (a blot, a filled box inks more)
MIN_TURNS = 3  # times a stroke turns from going up to going down, along its length: a curve, not a line
GROUP = 1.0  # strokes closer than this many line heights are one region
MIN_INK = 0.3  # a region holds at least this many (line height)^2 of pen ink


@dataclass
class Handwriting:
    regions: list[Rect] = field(default_factory=list)
    words: list[int] = field(default_factory=list)  # indexes of the words read from a region


def find_handwriting(ink: np.ndarray, words: Sequence[Word], boxes: Sequence[Rect], rules: np.ndarray, dpi: float) -> Handwriting:
    """The regions of handwriting on a page and the words read from them.

    ``ink``: the page's ink as 255 on 0; ``words``: Tesseract's words;
    ``boxes``: tick-box frames (a pen tick in a box is the box's state, not
    writing); ``rules``: the table rules' mask.
    """
    height = _print_height(words, dpi)
    left = _without_print(ink, words, boxes, rules, height)
    strokes = _pen_strokes(left, height)
    regions = _regions(strokes, height)
    inside = [
        i for i, (rect, _, conf, _) in enumerate(words)
        if conf < SURE and any(_holds(r, rect) for r in regions)
    ]
    return Handwriting(regions, inside)


def _print_height(words: Sequence[Word], dpi: float) -> float:
    """A line of print's ink height (pixels): the median of the sure words' heights."""
    heights = sorted(r[3] - r[1] for r, text, conf, _ in words if conf >= SURE and len(text) >= 3)
    return float(heights[len(heights) // 2]) if heights else PRINT_HEIGHT_PT * dpi / 72


def _without_print(ink: np.ndarray, words: Sequence[Word], boxes: Sequence[Rect], rules: np.ndarray, height: float) -> np.ndarray:
    """The page's ink less its sure words, its tick boxes (and a margin round them for a tick
    drawn past the frame) and its rules."""
    left = ink.copy()
    left[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 0
    pad = int(round(0.15 * height))
    for (x0, top, x1, bottom), _, conf, _ in words:
        if conf >= SURE:
            left[max(top - pad, 0):bottom + pad, max(x0 - pad, 0):x1 + pad] = 0
    for x0, top, x1, bottom in boxes:
        m = int(round(0.5 * (x1 - x0)))
        left[max(top - m, 0):bottom + m, max(x0 - m, 0):x1 + m] = 0
    return left


def _pen_strokes(left: np.ndarray, height: float) -> np.ndarray:
    """A mask of the strokes shaped as pen writing (see the module's notes)."""
    out = np.zeros_like(left)
    tall = components(left, lambda w, h: (h >= MIN_HEIGHT * height) & (np.maximum(w, h) >= MIN_WIDTH * height))
    for b in tall:
        if b.area <= MAX_FILL * b.w * b.h and _turns(b.pixels) >= MIN_TURNS:
            out[b.y : b.y + b.h, b.x : b.x + b.w][b.pixels] = 255
    return out


def _turns(blob: np.ndarray) -> int:
    """How often the stroke's middle height turns between rising and falling, left to right
    (a line turns never, a wave or cursive letters often); on a stroke taller than wide, top to bottom."""
    if blob.shape[0] > blob.shape[1]:
        blob = blob.T
    cols = blob.any(axis=0)
    rows = np.arange(blob.shape[0])[:, None]
    middle = (blob * rows).sum(axis=0)[cols] / blob.sum(axis=0)[cols]
    step = max(2, len(middle) // 40)
    slope = np.sign(np.diff(middle[::step]))
    slope = slope[slope != 0]
    return int((slope[1:] != slope[:-1]).sum())


def _regions(strokes: np.ndarray, height: float) -> list[Rect]:
    """Neighbouring pen strokes joined into regions (bounding rects), small specks left out."""
    if not strokes.any():
        return []
    reach = max(int(round(GROUP * height)), 1)
    joined = cv2.dilate(strokes, np.ones((reach, reach), np.uint8))
    out: list[Rect] = []
    for b in components(joined):
        pen = int(np.count_nonzero(strokes[b.y : b.y + b.h, b.x : b.x + b.w][b.pixels]))
        if pen >= MIN_INK * height * height:
            half = reach // 2
            out.append((int(b.x + half), int(b.y + half), int(b.x + b.w - half), int(b.y + b.h - half)))
    return out


def _holds(region: Rect, rect: Rect) -> bool:
    """The word's middle lies in the region."""
    cx, cy = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
    return region[0] <= cx <= region[2] and region[1] <= cy <= region[3]
