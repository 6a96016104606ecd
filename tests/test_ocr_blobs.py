"""The OCR reader's own blob labelling (parsers/ocr/common.py) gives what OpenCV's full-page
labelling gives, at a fraction of the cost: the same blobs, stats, centres and order, and the
same answer to "is there enough ink past the specks" (a blank page)."""

from __future__ import annotations

import cv2
import numpy as np

from msp_convert.parsers.ocr.common import components, ink_in_blobs


def page(seed: int = 7) -> np.ndarray:
    """A page of letters, rings (a blob in another's hole), specks and a rule, as 255 on 0."""
    rng = np.random.default_rng(seed)
    ink = np.zeros((400, 300), np.uint8)
    for _ in range(60):
        x, y = int(rng.integers(5, 280)), int(rng.integers(5, 380))
        ink[y : y + int(rng.integers(1, 14)), x : x + int(rng.integers(1, 10))] = 255
    cv2.circle(ink, (150, 200), 40, 255, 3)
    cv2.circle(ink, (150, 200), 4, 255, -1)  # inside the ring's hole
    ink[350:352, 10:290] = 255
    return ink


def test_components_are_opencvs_blobs_in_its_order() -> None:
    ink = page()
    n, _, stats, centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    mine = components(ink)
    assert [(b.x, b.y, b.w, b.h, b.area) for b in mine] == [tuple(int(v) for v in stats[i]) for i in range(1, n)]
    assert np.allclose([(b.cx, b.cy) for b in mine], centres[1:])
    small = components(ink, lambda w, h: (w <= 10) & (h <= 10))
    assert {(b.x, b.y) for b in small} == {(int(s[0]), int(s[1])) for s in stats[1:] if s[2] <= 10 and s[3] <= 10}


def test_enough_ink_past_the_specks() -> None:
    ink = page()
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    in_blobs = int(stats[1:, cv2.CC_STAT_AREA][stats[1:, cv2.CC_STAT_AREA] > 6].sum())
    assert ink_in_blobs(ink, 6, in_blobs) and not ink_in_blobs(ink, 6, in_blobs + 1)
    specks = np.zeros_like(ink)
    specks[::17, ::13] = 255  # dust only: a blank page
    assert not ink_in_blobs(specks, 6, 1)
