"""A second look at ink Tesseract's page layout left unread (a lone number in a table cell)."""

from __future__ import annotations

from bisect import bisect_right

import cv2
import numpy as np

from . import engine
from .common import Rect, Timing, Word, _blobs, _filled, clock


# A second look at ink Tesseract's page layout left unread: groups of marks
# SECOND_MIN-SECOND_MAX points tall, marks closer than SECOND_GAP points side by side
# in one group, at most SECOND_MAX_GROUPS a page; words read under SECOND_MIN_CONF dropped.
SECOND_MIN, SECOND_MAX, SECOND_GAP = 4.0, 18.0, 4.0
SECOND_MAX_GROUPS = 80
SECOND_MIN_CONF = 60.0


def _second_look(ink: np.ndarray, rules: np.ndarray, words: list[Word], boxes: list[Rect], dpi: float, timing: Timing) -> list[Word]:
    """Words Tesseract's page layout left unread, read again on a clean strip.

    Tesseract passes over a lone number in a table cell (an outcome's number)
    and some shaded headings as if they were pictures. Groups of letter-sized
    marks away from the words read, the tick boxes and the rules are cut out
    (as black on white), stacked one under another and read as a block of text.
    """
    pt = dpi / 72
    marks = ink.copy()
    marks[rules > 0] = 0
    for x0, top, x1, bottom in [wd[0] for wd in words] + boxes:
        marks[max(top - 2, 0) : bottom + 2, max(x0 - 2, 0) : x1 + 2] = 0
    groups = cv2.dilate(marks, cv2.getStructuringElement(cv2.MORPH_RECT, (max(int(SECOND_GAP * pt), 3), 3)))
    candidates = [(r, c) for r, c in _blobs(groups) if SECOND_MIN * pt <= r[3] <= SECOND_MAX * pt + 2]  # a line of print, no picture
    if not candidates:
        return []
    near_rule = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))) > 0
    read = np.asarray([wd[0] for wd in words], dtype=np.float64).reshape(-1, 4)
    crops: list[tuple[int, int, np.ndarray]] = []  # x0, top, ink
    for (x, y, w, h), contour in candidates:
        inside = (marks[y : y + h, x : x + w] > 0) & _filled(contour, x, y, w, h)
        if (inside & near_rule[y : y + h, x : x + w]).any():
            continue  # a rule's edge, or text run into one
        rows, cols = np.flatnonzero(inside.any(axis=1)), np.flatnonzero(inside.any(axis=0))
        r0, r1, c0, c1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
        gh, gw = r1 - r0, c1 - c0
        if gh < SECOND_MIN * pt or gw < 0.25 * gh:
            continue  # specks, bits of rules, a bar
        ex, ey = 0.6 * gh, 0.15 * gh
        if ((read[:, 0] < x + c1 + ex) & (read[:, 2] > x + c0 - ex) & (read[:, 1] < y + r1 + ey) & (read[:, 3] > y + r0 - ey)).any():
            continue  # a piece of a word read: its box cut it off
        crops.append((x + c0, y + r0, inside[r0:r1, c0:c1]))
        if len(crops) >= SECOND_MAX_GROUPS:
            break
    if not crops:
        return []
    pad = max(int(0.1 * dpi), 8)
    strip = np.full((sum(c[2].shape[0] + pad for c in crops) + pad, max(c[2].shape[1] for c in crops) + 2 * pad), 255, dtype=np.uint8)
    slots: list[int] = []
    y = pad
    for _, _, crop in crops:
        strip[y : y + crop.shape[0], pad : pad + crop.shape[1]][crop] = 0
        slots.append(y)
        y += crop.shape[0] + pad
    t1 = clock()
    read = engine.block(strip)
    spent = clock() - t1
    timing.tesseract += spent
    timing.second_look += spent
    found: list[Word] = []
    for (x0, top, x1, bottom), text, conf, line in read:
        if conf < SECOND_MIN_CONF or not any(c.isalnum() for c in text):
            continue
        slot = max(bisect_right(slots, (top + bottom) / 2) - 1, 0)
        dx, dy = crops[slot][0] - pad, crops[slot][1] - slots[slot]
        found.append(((x0 + dx, top + dy, x1 + dx, bottom + dy), text, conf, (-1 - slot, line[1], line[2])))
    return found
