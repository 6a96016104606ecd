"""What the OCR modules share: Tesseract's words as plain tuples, blobs of ink, and where the time goes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Optional

import cv2
import numpy as np


clock = time.thread_time  # what Timing counts: this thread's CPU seconds
WORD_MIN_CONF = 20.0  # Tesseract word confidences (0-100) below this are noise (specks, rules)


@dataclass
class Timing:
    """Where the time goes: Tesseract against the project's own image work (CPU seconds of the reading thread).

    CPU time, not the clock's: Tesseract runs in this thread, so the split holds
    however busy the machine is (``clock``).

    ``tesseract`` is all of Tesseract's time; ``orientation`` and ``second_look``
    the parts of it spent detecting a page's orientation and reading what its
    layout passed over; ``orientations`` counts the pages whose orientation was
    detected (only those that read poorly), ``upside_down`` those turned half
    round because their print said so (before they were read).
    """

    tesseract: float = 0.0
    own: float = 0.0
    pages: int = 0
    orientation: float = 0.0
    second_look: float = 0.0
    orientations: int = 0
    upside_down: int = 0

    @property
    def own_share(self) -> float:
        total = self.tesseract + self.own
        return self.own / total if total else 0.0


Rect = tuple[int, int, int, int]  # x0, top, x1, bottom in pixels


def _words(data: dict) -> list[tuple[Rect, str, float, tuple[int, int, int]]]:
    """Tesseract's words (columns as its TSV names them) as (box in pixels, text, confidence, (block, paragraph, line))."""
    out = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if not text:
            continue
        conf = float(data["conf"][i])
        if conf < WORD_MIN_CONF and not any(c.isalnum() for c in text):
            continue  # specks and bits of rules read as punctuation
        if conf < 0:
            continue
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        line = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        out.append(((x, y, x + w, y + h), text, conf, line))
    return out


def _blobs(mask: np.ndarray) -> list[tuple[tuple[int, int, int, int], np.ndarray]]:
    """The connected blobs of a sparse mask as ((x, y, width, height), outline), top to bottom.

    Outlines, not ``connectedComponentsWithStats``: on a mostly empty page
    they cost a small fraction of its time.
    """
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = [(cv2.boundingRect(c), c) for c in contours]
    out.sort(key=lambda b: (b[0][1], b[0][0]))
    return out


def _filled(contour: np.ndarray, x: int, y: int, w: int, h: int) -> np.ndarray:
    """A blob's pixels within its bounding box (its outline filled), as booleans."""
    local = np.zeros((h, w), dtype=np.uint8)
    cv2.drawContours(local, [contour], -1, 1, cv2.FILLED, offset=(-x, -y))
    return local > 0


Stroke = tuple[int, int, int, int, float]  # x, y, width, height in pixels; confidence it is a strike
Word = tuple[Rect, str, float, tuple[int, int, int]]


def _quantile(values: np.ndarray, q: float) -> float:
    """The q-quantile (0-1) of an array's values, by partial sort: np.percentile is slow on small arrays."""
    flat = values.ravel()
    k = int(q * (flat.size - 1))
    return float(np.partition(flat, k)[k])


@dataclass
class Blob:
    """A connected blob of a mask as ``cv2.connectedComponentsWithStats`` gives it: its box, pixel count, centre."""

    x: int
    y: int
    w: int
    h: int
    area: int
    cx: float
    cy: float
    pixels: np.ndarray  # booleans, h x w: the blob's own pixels in its box


def components(mask: np.ndarray, keep: Optional[Callable[[np.ndarray, np.ndarray], np.ndarray]] = None) -> list[Blob]:
    """The 8-connected blobs of a mask whose boxes pass ``keep(widths, heights)`` (all without it), in the
    order ``cv2.connectedComponentsWithStats`` labels them, with the same stats and centres.

    Labelling a whole page costs in proportion to its pixels; outlines
    (``cv2.findContours``: every blob's outer one, those in another's hole too)
    cost far less and give each blob's box. Only the blobs kept are labelled,
    each in its own box, which holds all of it. The labelling's order is its
    2 x 2 blocks' in rows: by the block row of the blob's top and the first
    block of it there.
    """
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return []
    outer = [contours[i] for i in np.flatnonzero(hierarchy[0][:, 3] < 0)]
    rects = _boxes(outer)
    chosen = np.flatnonzero(keep(rects[:, 2], rects[:, 3])) if keep is not None else range(len(outer))
    found: list[tuple[tuple[int, int], Blob]] = []
    for i in chosen:
        x, y, w, h = (int(v) for v in rects[i])
        found.append(_blob(mask[y : y + h, x : x + w], x, y, outer[i][0][0]))
    found.sort(key=lambda f: f[0])
    return [b for _, b in found]


def _boxes(outlines: list[np.ndarray]) -> np.ndarray:
    """``cv2.boundingRect`` of each outline (x, y, width, height), all at once: one array of their points."""
    sizes = np.fromiter((len(c) for c in outlines), np.int64, len(outlines))
    points = np.concatenate(outlines).reshape(-1, 2).astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    lo, hi = np.minimum.reduceat(points, starts), np.maximum.reduceat(points, starts)
    return np.concatenate((lo, hi - lo + 1), axis=1)


def _blob(crop: np.ndarray, x: int, y: int, seed: np.ndarray) -> tuple[tuple[int, int], Blob]:
    """The blob through ``seed`` (a point of its outline) in its box ``crop`` at (x, y): (its place in the labelling's order, it)."""
    n, labels = cv2.connectedComponents(crop, connectivity=8)
    pixels = crop > 0 if n == 2 else labels == labels[int(seed[1]) - y, int(seed[0]) - x]
    ys, xs = np.nonzero(pixels)
    area = int(ys.size)
    first = int(xs[ys < 2 - y % 2].min())  # in the blob's top block row
    blob = Blob(x, y, crop.shape[1], crop.shape[0], area, (int(xs.sum()) + area * x) / area, (int(ys.sum()) + area * y) / area, pixels)
    return (y // 2, (x + first) // 2), blob


def ink_in_blobs(ink: np.ndarray, least: int, enough: float) -> bool:
    """Are there ``enough`` pixels of ink in blobs of more than ``least`` pixels? (Specks left out: is the page blank?)

    Bands across the page are labelled first, one after another from
    3/8 of the way down, as one or two most often settle it: a blob a band
    cuts is smaller there, so bands apart count less than the page holds,
    never more. Only when all of them fall short is the whole page labelled.
    """
    h = ink.shape[0]
    step = max(h // 8, 1)
    found = 0
    for k in (3, 4, 2, 5):
        found += _in_blobs(ink[k * step : (k + 1) * step], least)
        if found >= enough:
            return True
    return _in_blobs(ink, least) >= enough


def _in_blobs(mask: np.ndarray, least: int) -> int:
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    area = stats[1:, cv2.CC_STAT_AREA]
    return int(area[area > least].sum())
