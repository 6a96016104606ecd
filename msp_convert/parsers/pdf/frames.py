"""What a tick-box frame is: one definition for the PDF geometry and for OCR.

A tick box's frame is a small, roughly square outline: each side 5.5-16.5 pt
(a ballot box drawn in a 8-20 pt line of text, or a form's box), the sides
differing by at most a quarter of the longer one. Sizes are measured on the
frame's stroke centre lines, as a PDF path gives them (a scan's frame is
measured the same way: the middle of its inked sides, pixels * 72 / dpi).

The vector finder reads a page's records: a stroked rectangle, or four
strokes meeting at the corners within ``corner_tol``. ``boxes.py`` turns
the frames into tick glyphs; ``strike.py`` asks which strokes are a frame's
edges (a frame's edge under a label is no underline, its side no rule's end).
``parsers/ocr/ticks.py`` finds frames in pixels with the same predicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from .index import Buckets
from .records import Box, Segment


@dataclass(frozen=True)
class FrameSettings:
    """The size and shape of a tick-box frame, in points."""

    side_min: float = 5.5
    side_max: float = 16.5
    squareness: float = 0.25  # the sides may differ by this fraction of the longer one
    corner_tol: float = 0.75  # four strokes meet at the corners within this
    thin: float = 3.0  # a frame's stroke is thinner than this


FRAME = FrameSettings()


def is_frame(width: float, height: float, settings: FrameSettings = FRAME) -> bool:
    """Is a rectangle this size (points, stroke centre lines) a tick-box frame?"""
    lo, hi = settings.side_min, settings.side_max
    return lo <= width <= hi and lo <= height <= hi and abs(width - height) <= settings.squareness * max(width, height)


@dataclass(slots=True, eq=False)
class Frame:
    """A frame found on a page: its rectangle, the stroked Box it came from (if any), its edge strokes."""

    x0: float
    top: float
    x1: float
    bottom: float
    box: Optional[Box] = None
    edges: list[Segment] = field(default_factory=list)

    @property
    def side(self) -> float:
        return max(self.x1 - self.x0, self.bottom - self.top)


def find_frames(segments: Iterable[Segment], boxes: Iterable[Box] = (), settings: FrameSettings = FRAME) -> list[Frame]:
    """Small square frames: stroked rectangles, and four strokes meeting at the corners.

    A stroked rectangle whose edges are also strokes is one frame, with those edges.
    """
    frames = [Frame(b.x0, b.top, b.x1, b.bottom, b) for b in boxes if b.stroked and is_frame(b.x1 - b.x0, b.bottom - b.top, settings)]
    flats, uprights = _sides(segments, settings)
    if len(flats) < 2 or len(uprights) < 2:
        return frames
    tol, reach = settings.corner_tol, settings.side_max + settings.corner_tol
    flats.sort(key=lambda s: s.x0)
    uprights.sort(key=lambda s: (s.x0 + s.x1) / 2)
    by_start = Buckets(flats, lambda s: (s.x0, _mid_y(s), s.x0, _mid_y(s)))
    up_ends = Buckets(uprights, lambda v: (_mid_x(v), v.top, _mid_x(v), v.top))
    boxed = Buckets(list(frames), lambda f: (f.x0, f.top, f.x0, f.top))
    used: set[int] = set()
    for a in flats:
        if id(a) in used:
            continue
        ya = _mid_y(a)
        for b in by_start.near(a.x0 - tol, ya, a.x0 + tol, ya + reach):  # the bottom edge: as long, just below
            edges = _closed(a, b, up_ends, used, settings)
            if edges is None:
                continue
            used.update(id(e) for e in edges)
            x0, x1, yb = (a.x0 + b.x0) / 2, (a.x1 + b.x1) / 2, _mid_y(b)
            twin = next((f for f in boxed.around(x0, ya, tol) if _same(f, (x0, ya, x1, yb), tol)), None)
            if twin is not None:  # the stroked rectangle's own edges
                twin.edges = edges
            else:
                frames.append(Frame(x0, ya, x1, yb, None, edges))
            break
    return frames


def frame_edges(segments: Iterable[Segment], settings: FrameSettings = FRAME) -> set[int]:
    """Ids of the strokes that are the edges of a tick-box frame."""
    return {id(e) for f in find_frames(segments, (), settings) for e in f.edges}


def _sides(segments: Iterable[Segment], settings: FrameSettings) -> tuple[list[Segment], list[Segment]]:
    """Thin strokes as long as a frame's side: (flat ones, upright ones). A cheap pre-filter."""
    lo, hi, thin = settings.side_min - settings.corner_tol, settings.side_max + settings.corner_tol, settings.thin
    flats: list[Segment] = []
    uprights: list[Segment] = []
    for s in segments:
        w, h = s.x1 - s.x0, s.bottom - s.top
        if lo <= w <= hi and h <= thin:
            flats.append(s)
        elif lo <= h <= hi and w <= thin:
            uprights.append(s)
    return flats, uprights


def _closed(a: Segment, b: Segment, up_ends: Buckets[Segment], used: set[int], settings: FrameSettings) -> Optional[list[Segment]]:
    """The four edges of the frame with top edge a and bottom edge b, or None if they do not close one."""
    tol = settings.corner_tol
    ya, yb = _mid_y(a), _mid_y(b)
    if b is a or id(b) in used or yb <= ya or abs(b.x1 - a.x1) > tol:
        return None
    x0, x1 = (a.x0 + b.x0) / 2, (a.x1 + b.x1) / 2
    if not is_frame(x1 - x0, yb - ya, settings):
        return None
    left = _upright(up_ends, x0, ya, yb, tol)
    right = _upright(up_ends, x1, ya, yb, tol) if left is not None else None
    return None if right is None else [a, b, left, right]


def _upright(ends: Buckets[Segment], x: float, top: float, bottom: float, tol: float) -> Optional[Segment]:
    for v in ends.around(x, top, tol):
        if abs(_mid_x(v) - x) <= tol and abs(v.top - top) <= tol and abs(v.bottom - bottom) <= tol:
            return v
    return None


def _same(f: Frame, rect: tuple[float, float, float, float], tol: float) -> bool:
    return all(abs(a - b) <= tol for a, b in zip((f.x0, f.top, f.x1, f.bottom), rect))


def _mid_x(s: Segment) -> float:
    return (s.x0 + s.x1) / 2


def _mid_y(s: Segment) -> float:
    return (s.top + s.bottom) / 2
