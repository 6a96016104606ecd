"""Strikethrough on a page's records: which glyphs a thin stroke or a /StrikeOut crosses.

A drawn strike is a thin horizontal stroke (a line, or a filled bar thinner
than a quarter em) through the middle of the glyphs, over at least 60 % of
each glyph's width, and mostly over glyphs. Where the source gives the
baseline, the stroke must sit 0.08-0.6 em above it: strike lines sit at
0.19-0.4 em (LibreOffice's DejaVu 0.28 em, its double strike 0.19 and 0.31 em,
Arial 0.26 em), an underline below the baseline (LibreOffice 0.1 em under),
a rule over a line above the ascenders. The glyph box alone is a poor guide
(pdfminer puts its bottom anywhere from the baseline to 0.32 em under it), so
it is the fallback only, for sources without a baseline (OCR): 35-82 % of the
box from its top.

An underline (0.4 em below to 0.05 em above the baseline) that runs from the
first glyph it underlines to the last, is covered by glyphs for most of its
length and meets no upright stroke at an end (a table rule does), is dropped
from ``page.segments``, as is every stroke used as a strike: what is left are
ruling lines for the table grid. The edges of a small drawn square (a tick
box, as ``frames.py`` defines one) are never taken for either. A highlight is
a filled box (``page.boxes``), never a segment, so it never strikes.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Optional

from .frames import frame_edges
from .index import Buckets, Rows
from .records import Glyph, PageRecord, Segment

# Band above the baseline, in em, that a strike line crosses (see the docstring).
STRIKE_LOW, STRIKE_HIGH = 0.08, 0.6
# Band around the baseline, in em, where an underline sits (negative: below).
UNDER_LOW, UNDER_HIGH = -0.4, 0.05
# Fallback bands without a baseline, as fractions of the glyph box from its top.
BOX_STRIKE = (0.35, 0.82)
BOX_UNDER = (0.86, 1.35)
# A stroke covers a glyph when it spans this much of the glyph's width.
GLYPH_COVER = 0.6
# A strike: the struck glyphs cover this much of the stroke's length.
STRIKE_FILL = 0.5
# An underline: glyphs cover this much of it, and it ends within END_SLACK em of them.
UNDER_FILL = 0.7
END_SLACK = 0.3
# A stroke thicker than this (em, and points) is a rule or a bar, not a strike.
MAX_THICK_EM, MAX_THICK = 0.25, 3.0
# A strikeout annotation strikes a glyph when its centre lies in this band of the glyph box.
MARK_BAND = (0.15, 0.9)



def _rows(glyphs: list[Glyph]) -> Rows[Glyph]:
    """The glyphs by their extent, each stretched down to the lowest stroke that can matter to it."""
    return Rows(glyphs, None, [g.bottom + 0.4 * g.size - g.top for g in glyphs], _top)


_top = attrgetter("top")


def mark_struck(page: PageRecord) -> None:
    """Set ``struck`` on glyphs crossed by a strike stroke or a /StrikeOut annotation.

    Strokes used as strikes, and underlines under glyphs, leave ``page.segments``.
    A space between two struck glyphs of one line is struck too.
    """
    glyphs = page.glyphs
    if not glyphs:
        return
    candidates = [s for s in page.segments if _flat(s)]
    frames = frame_edges(page.segments) if candidates else set()
    if frames:
        candidates = [s for s in candidates if id(s) not in frames]
    marks = [m for m in page.marks if m.kind == "strikeout"]
    if not candidates and not marks:
        return
    index = _rows(glyphs)
    struck_any = False
    used: set[int] = set()
    uprights: Optional[Buckets[Segment]] = None
    for s in candidates:
        struck, under = _crossed(s, index)
        length = s.x1 - s.x0
        if struck and not any(g.text.strip() for g in struck):
            struck = []  # a stroke through spaces only: nothing to strike
        if struck and _cover(struck, s) >= STRIKE_FILL * length:
            for g in struck:
                g.struck = True
            struck_any = True
            used.add(id(s))
        elif under and _cover(under, s) >= UNDER_FILL * length and _ends_at(under, s):
            if uprights is None:
                uprights = _uprights(page.segments, frames)
            if not _joined(s, uprights):
                used.add(id(s))
    for m in marks:
        for x0, top, x1, bottom in m.parts or [(m.x0, m.top, m.x1, m.bottom)]:
            cy = (top + bottom) / 2
            for g in index.across(cy, cy):
                h = g.bottom - g.top
                cx = (g.x0 + g.x1) / 2
                if x0 - 0.5 <= cx <= x1 + 0.5 and h > 0 and MARK_BAND[0] <= (cy - g.top) / h <= MARK_BAND[1]:
                    g.struck = True
                    struck_any = True
    if used:
        page.segments = [s for s in page.segments if id(s) not in used]
    if struck_any:
        _strike_spaces(glyphs)


def _crossed(s: Segment, index: Rows[Glyph]) -> tuple[list[Glyph], list[Glyph]]:
    """The glyphs the stroke strikes, and those it underlines."""
    y = (s.top + s.bottom) / 2
    struck: list[Glyph] = []
    under: list[Glyph] = []
    if s.width > MAX_THICK:
        return struck, under
    sx0, sx1 = s.x0, s.x1
    for g in index.across(y, y + 0.01):
        if g.top > y + 0.01 or g.x1 <= sx0 or g.x0 >= sx1 or g.bottom + 0.4 * g.size < y:
            continue
        width = g.x1 - g.x0
        overlap = (g.x1 if g.x1 < sx1 else sx1) - (g.x0 if g.x0 > sx0 else sx0)
        if width <= 0 or overlap < GLYPH_COVER * width:
            continue
        if s.width > MAX_THICK_EM * g.size and s.width > 0.3:
            continue
        where = _band(g, y)
        if where == 1:
            struck.append(g)
        elif where == -1:
            under.append(g)
    return struck, under


def _flat(s: Segment) -> bool:
    """A thin horizontal stroke."""
    return s.x1 - s.x0 > 1.0 and s.bottom - s.top <= MAX_THICK and s.width <= MAX_THICK and s.x1 - s.x0 > 2 * (s.bottom - s.top)


def _box(s: Segment) -> tuple[float, float, float, float]:
    return s.x0, s.top, s.x1, s.bottom


def _band(g: Glyph, y: float) -> int:
    """1: y is in the glyph's strike band; -1: in its underline band; 0: neither."""
    if g.baseline is not None and g.size > 0:
        above = (g.baseline - y) / g.size
        if STRIKE_LOW <= above <= STRIKE_HIGH:
            return 1
        if UNDER_LOW <= above <= UNDER_HIGH:
            return -1
        return 0
    h = g.bottom - g.top
    if h <= 0:
        return 0
    rel = (y - g.top) / h
    if BOX_STRIKE[0] <= rel <= BOX_STRIKE[1]:
        return 1
    if BOX_UNDER[0] <= rel <= BOX_UNDER[1]:
        return -1
    return 0


def _cover(glyphs: list[Glyph], s: Segment) -> float:
    """How much of the stroke's length the glyphs' x-ranges cover (overlaps counted once)."""
    spans = sorted((g.x0 if g.x0 > s.x0 else s.x0, g.x1 if g.x1 < s.x1 else s.x1) for g in glyphs)
    total, end = 0.0, s.x0
    for a, b in spans:
        a = max(a, end)
        if b > a:
            total += b - a
            end = b
    return total


def _ends_at(glyphs: list[Glyph], s: Segment) -> bool:
    """The stroke starts at the first glyph and stops at the last, give or take END_SLACK em."""
    slack = END_SLACK * max(g.size for g in glyphs)
    return abs(s.x0 - min(g.x0 for g in glyphs)) <= slack and abs(s.x1 - max(g.x1 for g in glyphs)) <= slack


def _uprights(segments: list[Segment], frames: set[int]) -> Buckets[Segment]:
    """Upright strokes that are not a tick box's sides: what a table rule's end meets."""
    return Buckets((v for v in segments if id(v) not in frames and v.bottom - v.top > 2.0 and v.x1 - v.x0 <= MAX_THICK), _box)


def _joined(s: Segment, uprights: Buckets[Segment]) -> bool:
    """An upright stroke meets one of the stroke's ends: a table rule, not an underline."""
    y = (s.top + s.bottom) / 2
    for end in (s.x0, s.x1):
        for v in uprights.near(end - 1.0, y - 1.0, end + 1.0, y + 1.0):
            if v.top - 1.0 <= y <= v.bottom + 1.0 and abs((v.x0 + v.x1) / 2 - end) <= 1.0:
                return True
    return False


def _line_key(g: Glyph) -> int:
    return round(g.baseline if g.baseline is not None else g.bottom)


def _strike_spaces(glyphs: list[Glyph]) -> None:
    """Strike each space whose nearest non-space neighbours on its line are both struck."""
    keys = {_line_key(g) for g in glyphs if g.struck}
    lines: dict[int, list[Glyph]] = {}
    for g in glyphs:
        k = _line_key(g)
        if k in keys:
            lines.setdefault(k, []).append(g)
    for line in lines.values():
        line.sort(key=lambda g: g.x0)
        prev_struck = False
        pending: list[Glyph] = []
        for g in line:
            if not g.text.strip():
                if prev_struck:
                    pending.append(g)
                continue
            if g.struck and pending:
                for sp in pending:
                    sp.struck = True
            pending = []
            prev_struck = g.struck
