"""Table rules on a page image: found, turned into segments, painted out of what Tesseract reads.

A rule is a run of ink at least ``RULES.min_length`` points long. On a 1-bit
page (a copier's threshold or dither) or after a deskew, a thin rule is no
unbroken line of pixels: it has gaps a pixel or two wide and steps from row to
row. So a run is found by its density, not by an unbroken stroke: a window
``min_length`` long (and ``across`` pixels thick, for the steps) in which
``share`` of the pixels are ink. Print is never that dense over a window that
long; a bar or a shaded block is, and is told by its thickness later.

A copier's streak runs down the whole page through the text: a vertical "rule"
that runs through the middle of words is no column edge (``through_words``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import cv2
import numpy as np

from ..pdf.records import Segment
from .common import Rect, _blobs, _filled, components


@dataclass(frozen=True)
class RuleSettings:
    min_length: float = 20.0  # points: shorter runs of ink are print
    share: float = 0.95  # of a window's pixels that are ink, for a rule
    own: float = 0.6  # of a window along one row (column) that is ink, for that row to be part of the rule
    across: int = 3  # pixels: the window's thickness (a deskewed rule steps a row)
    max_thick: int = 8  # pixels: a thicker run is a bar or a shaded block, not a rule
    close: int = 9  # pixels: breaks closed along a stroke before it is counted
    margin: int = 12  # pixels kept around a mask's strokes when they are closed and counted
    words_crossed: int = 2  # a vertical run through the middle of this many words is a streak


RULES = RuleSettings()


def find_rules(ink: np.ndarray, dpi: float, settings: RuleSettings = RULES) -> tuple[np.ndarray, np.ndarray]:
    """Masks (255 on 0) of the horizontal and the vertical rules in a page's ink."""
    length = max(int(settings.min_length * dpi / 72), 10)
    on = (ink > 0).astype(np.uint8)
    return _dense_runs(on, (length, 1), (1, settings.across), settings), _dense_runs(on, (1, length), (settings.across, 1), settings)


def _dense_runs(on: np.ndarray, window: tuple[int, int], across: tuple[int, int], settings: RuleSettings) -> np.ndarray:
    """The ink of every window (``window``: width, height) at least ``settings.share`` ink, counted
    ``across`` pixels thick; of it, the rows (columns) dense on their own: not a letter touching the rule.

    Windows are counted in whole pixels (the least count that makes the share, as a mean would say it);
    past the first count, only the rows (columns) holding a dense window are worked on: the window runs
    along them, so each is worked on alone.
    """
    horizontal, length = window[0] > 1, max(window)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, window)
    thick = cv2.dilate(on, cv2.getStructuringElement(cv2.MORPH_RECT, across))
    dense = _counts(thick, window) >= _least(length, settings.share)
    lines = np.flatnonzero(dense.any(axis=1 if horizontal else 0))
    out = np.zeros_like(on)
    if not lines.size:
        return out
    part, dense = (on[lines], dense[lines]) if horizontal else (on[:, lines], dense[:, lines])
    dense = cv2.dilate(dense.view(np.uint8), kernel)
    own = cv2.dilate((_counts(np.ascontiguousarray(part), window) >= _least(length, settings.own)).view(np.uint8), kernel)
    if horizontal:
        out[lines] = (dense & own & part) * np.uint8(255)
    else:
        out[:, lines] = (dense & own & part) * np.uint8(255)
    return out


def _counts(on: np.ndarray, window: tuple[int, int]) -> np.ndarray:
    """The ink pixels (0/1) in the window round each pixel (edges reflected, as ``cv2.blur``'s)."""
    return cv2.boxFilter(on, cv2.CV_8U if max(window) <= 255 else cv2.CV_16U, window, normalize=False)


@lru_cache(maxsize=None)
def _least(length: int, share: float) -> int:
    """The least count of ink pixels in a window ``length`` long whose mean (``cv2.blur``'s, in float32)
    is at least ``share``: asked of cv2.blur itself, each count in the middle of a row of its own."""
    counts = np.zeros((length + 1, 3 * length), np.float32)
    for n in range(length + 1):
        counts[n, length : length + n] = 1
    mean = cv2.blur(counts, (length, 1))[:, length + length // 2]
    passing = np.flatnonzero(mean >= share)
    return int(passing[0]) if passing.size else length + 1


def segments(mask: np.ndarray, horizontal: bool, scale: float, settings: RuleSettings = RULES) -> list[Segment]:
    """Each stroke of a rule mask as one segment, in points."""
    # only the part of the page the strokes are in (with room for the closing; whole block pairs), the same result
    x, y, w, h = cv2.boundingRect(mask)
    if not w:
        return []
    x0, y0 = max(x - settings.margin, 0) & ~1, max(y - settings.margin, 0) & ~1
    part = mask[y0 : y + h + settings.margin, x0 : x + w + settings.margin]
    # close small breaks along the stroke (JPEG, a faint print)
    k = (settings.close, 1) if horizontal else (1, settings.close)
    part = cv2.morphologyEx(part, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, k))
    out: list[Segment] = []
    for b in components(part):
        segment = _segment(b.x + x0, b.y + y0, b.w, b.h, b.area, horizontal, scale)
        if segment.width / scale <= settings.max_thick:
            out.append(segment)
    return out


def _segment(x: int, y: int, w: int, h: int, area: int, horizontal: bool, scale: float) -> Segment:
    if horizontal:
        thick = max(area / max(w, 1), 1.0)
        mid = y + h / 2
        return Segment(x * scale, (mid - thick / 2) * scale, (x + w) * scale, (mid + thick / 2) * scale, thick * scale)
    thick = max(area / max(h, 1), 1.0)
    mid = x + w / 2
    return Segment((mid - thick / 2) * scale, y * scale, (mid + thick / 2) * scale, (y + h) * scale, thick * scale)


def through_words(rules_v: np.ndarray, rects: list[Rect], settings: RuleSettings = RULES) -> Optional[np.ndarray]:
    """The vertical strokes that run through the middle of words (a copier's streak), as a mask; None if none.

    A column edge runs between words; a streak runs down the page through
    them, crossing each word well inside its box.
    """
    if not rects:
        return None
    wx0, wtop, wx1, wbottom = np.asarray(rects, dtype=np.float64).T
    inset = 0.25 * (wbottom - wtop)  # well inside: not a word touching a column edge
    mask: Optional[np.ndarray] = None
    for (x, y, w, h), contour in _blobs(rules_v):
        mid = x + w / 2
        crossed = (wx0 + inset < mid) & (mid < wx1 - inset) & (wtop >= y) & (wbottom <= y + h)
        if int(crossed.sum()) >= settings.words_crossed:
            if mask is None:
                mask = np.zeros(rules_v.shape, dtype=bool)
            mask[y : y + h, x : x + w] |= _filled(contour, x, y, w, h)
    return mask


def widened(where: np.ndarray, horizontal: bool = True, settings: RuleSettings = RULES) -> np.ndarray:
    """A mask of strokes (a strike, a streak) widened as the rule masks are, to take them out of one whole."""
    kernel = (1, settings.across) if horizontal else (settings.across, 1)
    return cv2.dilate(where.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT, kernel)) > 0


def erase_rules(grey: np.ndarray, rules_h: np.ndarray, rules_v: np.ndarray, paper: int) -> np.ndarray:
    """A copy of the page without its table rules, for Tesseract, which reads a cell border as "|"."""
    mask = cv2.dilate(cv2.bitwise_or(rules_h, rules_v), np.ones((3, 3), np.uint8))
    out = grey.copy()
    out[mask > 0] = paper
    return out
