"""Dotted leaders ("Signed by parent/carer ........ Elena"): found in the ink, painted out, kept as a leader.

Tesseract reads a row of dots as letters ("cece cee eee"), and on a 1-bit
page it runs them into the word before ("address......" as "ACESS"). A
leader is a row of small round dots on one baseline, evenly spaced: found
from the ink's blobs, taken out of the image Tesseract reads, and put back
in the page record as one "…" glyph across its length, as a text layer
gives it, so the mapping trims it as it trims any leader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .common import Blob, Rect, components


@dataclass(frozen=True)
class LeaderSettings:
    dot_min: float = 0.4  # points: a dot's side, at least
    dot_max: float = 2.2  # points: at most (a full stop of 9-14 pt print)
    fill: float = 0.45  # of its box a dot's ink fills, at least (round or square, not a stroke)
    level: float = 0.6  # points: dots of one leader sit on one line within this
    pitch_min: float = 1.2  # points between dots' centres, at least
    pitch_max: float = 6.0  # and at most
    even: float = 0.45  # each gap within this share of the run's middle gap
    min_dots: int = 5  # fewer in a row is punctuation ("...")


LEADERS = LeaderSettings()
LEADER_TEXT = "\u2026"  # what the page record shows where a leader was


def find_leaders(ink: np.ndarray, dpi: float, settings: LeaderSettings = LEADERS) -> list[Rect]:
    """The boxes (pixels) of the dotted leaders on a page's ink, top to bottom."""
    pt = dpi / 72
    lo, hi = max(settings.dot_min * pt, 1.0), settings.dot_max * pt
    blobs = components(ink, lambda w, h: (w >= lo) & (w <= hi) & (h >= lo) & (h <= hi))
    dots = [b for b in blobs if abs(b.w - b.h) <= 0.5 * max(b.w, b.h) + 1 and b.area >= settings.fill * b.w * b.h]
    if len(dots) < settings.min_dots:
        return []
    centres = [(b.cx, b.cy) for b in dots]
    return [_box([dots[i] for i in run]) for run in _runs(_by_line(range(len(dots)), centres, settings.level * pt), centres, pt, settings)]


def _by_line(dots: Sequence[int], centres: Sequence[tuple[float, float]], level: float) -> list[int]:
    """The dots line by line (a new line where the centres step down more than ``level``), left to right in each."""
    down = sorted(dots, key=lambda i: centres[i][1])
    lines: list[list[int]] = []
    for i in down:
        if lines and centres[i][1] - centres[lines[-1][-1]][1] <= level:
            lines[-1].append(i)
        else:
            lines.append([i])
    return [i for line in lines for i in sorted(line, key=lambda i: centres[i][0])]


def _runs(order: list[int], centres: Sequence[tuple[float, float]], pt: float, settings: LeaderSettings) -> list[list[int]]:
    """Dots chained left to right along one line, evenly spaced; the chains long enough to be leaders."""
    out: list[list[int]] = []
    run: list[int] = []
    for i in order:
        if run and _follows(run, i, centres, pt, settings):
            run.append(i)
            continue
        if len(run) >= settings.min_dots:
            out.append(run)
        run = [i]
    if len(run) >= settings.min_dots:
        out.append(run)
    return [r for r in out if _even(r, centres, settings)]


def _follows(run: list[int], i: int, centres: Sequence[tuple[float, float]], pt: float, settings: LeaderSettings) -> bool:
    (x0, y0), (x1, y1) = centres[run[-1]], centres[i]
    return abs(y1 - y0) <= settings.level * pt and settings.pitch_min * pt <= x1 - x0 <= settings.pitch_max * pt


def _even(run: list[int], centres: Sequence[tuple[float, float]], settings: LeaderSettings) -> bool:
    gaps = np.diff([centres[i][0] for i in run])
    middle = float(np.median(gaps))
    return bool((np.abs(gaps - middle) <= settings.even * middle).mean() >= 0.8)


def _box(dots: list[Blob]) -> Rect:
    return (min(b.x for b in dots), min(b.y for b in dots), max(b.x + b.w for b in dots), max(b.y + b.h for b in dots))


def paint_out(grey: np.ndarray, leaders: list[Rect], paper: int) -> np.ndarray:
    """The page without its leaders (a copy when there are any)."""
    if not leaders:
        return grey
    out = grey.copy()
    for x0, top, x1, bottom in leaders:
        out[max(top - 1, 0) : bottom + 1, max(x0 - 1, 0) : x1 + 1] = paper
    return out
