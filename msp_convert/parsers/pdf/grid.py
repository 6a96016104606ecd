"""Tables from ruling lines: the grid, its merged cells, and tables inside cells.

A table is a set of horizontal and vertical strokes that touch each other.
Its grid is every distinct x of its vertical strokes and y of its horizontal
ones; two neighbouring grid cells with no stroke between them are one merged
cell. A table wholly inside a cell of another is nested in that cell.

How near is near enough is one ``GridSettings`` (pdfplumber's snap and join
tolerances): a text layer draws its rules exactly (``TEXT_LAYER``); rules
read from pixels (``SCANNED``) come in pieces, a little off their line, and
stop a little short of the rule they meet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .index import Buckets, Spans
from .limits import LIMITS, check
from .records import Box, Segment


@dataclass(frozen=True, slots=True)
class GridSettings:
    """Tolerances, in points, for making a grid from strokes."""

    snap: float = 2.0  # strokes this close across are the same grid line
    same: float = 0.6  # pieces of one drawn rule lie on one line to within this across
    join: float = 2.0  # pieces of one rule this far apart along it are one rule
    reach: float = 2.0  # a rule that stops this short of another still meets it
    min_length: float = 3.0  # shorter strokes are marks, not rules


TEXT_LAYER = GridSettings()
# A rule from pixels: a 1-bit pixel or two off its line (200 dpi: 0.36 pt a pixel), broken
# where the scan lost it, and its ends eaten by the threshold (up to ~5 pt short, measured on
# the G4 fixture scans).
SCANNED = GridSettings(snap=2.5, same=1.5, join=5.0, reach=5.0)
SNAP = TEXT_LAYER.snap  # points: strokes this close are the same line


@dataclass(slots=True)
class GridCell:
    col: int
    row: int
    col_span: int
    row_span: int
    x0: float
    top: float
    x1: float
    bottom: float
    shaded: bool = False
    nested: list["GridTable"] = field(default_factory=list)


@dataclass(slots=True)
class GridTable:
    xs: list[float]
    ys: list[float]
    cells: list[GridCell]  # in row order, then column order
    nested_in: Optional[GridCell] = None

    @property
    def x0(self) -> float:
        return self.xs[0]

    @property
    def x1(self) -> float:
        return self.xs[-1]

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]


@dataclass(slots=True)
class _H:
    y: float
    x0: float
    x1: float


@dataclass(slots=True)
class _V:
    x: float
    y0: float
    y1: float


def _join_pieces(pieces: list[tuple[float, float, float]], how: GridSettings) -> list[list[float]]:
    """Pieces of one rule (a border drawn cell by cell) joined end to end: each (across, start, end).

    Both ends are checked: pieces a hair apart across the rule (a scan) do
    not come sorted along it.
    """
    out: list[list[float]] = []
    for at, lo, hi in sorted(pieces):
        for last in reversed(out[-4:]):
            if abs(last[0] - at) <= how.same and lo <= last[2] + how.join and hi >= last[1] - how.join:
                last[1], last[2] = min(last[1], lo), max(last[2], hi)
                break
        else:
            out.append([at, lo, hi])
    return out


def _merge_h(lines: list[_H], how: GridSettings) -> list[_H]:
    return [_H(y, x0, x1) for y, x0, x1 in _join_pieces([(h.y, h.x0, h.x1) for h in lines], how)]


def _merge_v(lines: list[_V], how: GridSettings) -> list[_V]:
    return [_V(x, y0, y1) for x, y0, y1 in _join_pieces([(v.x, v.y0, v.y1) for v in lines], how)]


def clusters(values: list[float], snap: float = SNAP) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > snap:
            out.append(v)
    return out


def find_tables(segments: list[Segment], boxes: list[Box], how: GridSettings = TEXT_LAYER) -> list[GridTable]:
    """Every ruled table on a page, outermost first, nested ones attached to their cell.

    ``how``: the tolerances; ``SCANNED`` for rules read from pixels.
    """
    hs: list[_H] = []
    vs: list[_V] = []
    for s in segments:
        if s.horizontal:
            if s.x1 - s.x0 >= how.min_length:
                hs.append(_H((s.top + s.bottom) / 2, s.x0, s.x1))
        elif s.bottom - s.top >= how.min_length:
            vs.append(_V((s.x0 + s.x1) / 2, s.top, s.bottom))
    hs, vs, pairs = _prune(_merge_h(hs, how), _merge_v(vs, how), how)
    shading = Buckets((b for b in boxes if b.filled and not b.stroked), lambda b: (b.x0, b.top, b.x1, b.bottom))
    tables: list[GridTable] = []
    cells_made = 0
    for hg, vg in _components(hs, vs, pairs):
        table = _grid(hg, vg, shading, how)
        if table is not None:
            tables.append(table)
            cells_made += len(table.cells)
            check(cells_made, LIMITS.cells_per_page, "draws tables of more than {most:,} cells")
    tables.sort(key=lambda t: (t.x1 - t.x0) * (t.bottom - t.top), reverse=True)
    if len(tables) < 2:  # no other table's cell to hold it
        return tables
    cells = Spans(
        ((cell, table) for table in tables for cell in table.cells),
        lambda ct: (ct[0].x0 - SNAP, ct[0].top - SNAP, ct[0].x1 + SNAP, ct[0].bottom + SNAP),
    )
    top_level: list[GridTable] = []
    for table in tables:
        host = _host_cell(table, cells)
        if host is None:
            top_level.append(table)
        else:
            table.nested_in = host
            host.nested.append(table)
    top_level.sort(key=lambda t: (t.top, t.x0))
    return top_level


def _touching(hs: list[_H], vs: list[_V], reach: float) -> list[tuple[int, int]]:
    """Every (h, v) pair of strokes that touch, as indexes, found through the bucket index."""
    index = Buckets(range(len(vs)), lambda j: (vs[j].x, vs[j].y0 - reach, vs[j].x, vs[j].y1 + reach))
    pairs = []
    for i, h in enumerate(hs):
        for j in index.near(h.x0 - reach, h.y, h.x1 + reach, h.y):
            if _touch(h, vs[j], reach):
                pairs.append((i, j))
    return pairs


def _prune(hs: list[_H], vs: list[_V], how: GridSettings) -> tuple[list[_H], list[_V], list[tuple[int, int]]]:
    """Keep strokes that meet at least two of the other direction: rules of a grid.

    An underline or a change bar meets one border at most and is dropped;
    dropping it can leave another stroke meeting only one, so strokes are
    peeled off until every one left meets two (the graph's 2-core, each
    stroke and crossing looked at a bounded number of times). Returns the
    strokes kept and their crossings, as indexes into them.
    """
    pairs = _touching(hs, vs, how.reach)
    n = len(hs)
    links: list[list[int]] = [[] for _ in range(n + len(vs))]
    for i, j in pairs:
        links[i].append(n + j)
        links[n + j].append(i)
    degree = [len(to) for to in links]
    gone = [d < 2 for d in degree]
    queue = [k for k, out in enumerate(gone) if out]
    while queue:
        for other in links[queue.pop()]:
            degree[other] -= 1
            if degree[other] < 2 and not gone[other]:
                gone[other] = True
                queue.append(other)
    new_h = {i: k for k, i in enumerate(i for i in range(n) if not gone[i])}
    new_v = {j: k for k, j in enumerate(j for j in range(len(vs)) if not gone[n + j])}
    kept = [(new_h[i], new_v[j]) for i, j in pairs if i in new_h and j in new_v]
    return [hs[i] for i in new_h], [vs[j] for j in new_v], kept


def _touch(h: _H, v: _V, reach: float) -> bool:
    return h.x0 - reach <= v.x <= h.x1 + reach and v.y0 - reach <= h.y <= v.y1 + reach


def _components(hs: list[_H], vs: list[_V], pairs: list[tuple[int, int]]) -> list[tuple[list[_H], list[_V]]]:
    """Groups of strokes connected through their crossings."""
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        a, b = find(i), find(len(hs) + j)
        if a != b:
            parent[a] = b
    groups: dict[int, tuple[list[_H], list[_V]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _covered_v(vs: Buckets[_V], x: float, y0: float, y1: float, snap: float) -> bool:
    """Is there a vertical stroke at x over most of y0..y1?"""
    need = (y1 - y0) * 0.6
    return any(abs(v.x - x) <= snap and min(v.y1, y1) - max(v.y0, y0) >= need for v in vs.near(x - snap, y0, x + snap, y1))


def _covered_h(hs: Buckets[_H], y: float, x0: float, x1: float, snap: float) -> bool:
    need = (x1 - x0) * 0.6
    return any(abs(h.y - y) <= snap and min(h.x1, x1) - max(h.x0, x0) >= need for h in hs.near(x0, y - snap, x1, y + snap))


def _grid(hs: list[_H], vs: list[_V], shading: Buckets[Box], how: GridSettings) -> Optional[GridTable]:
    xs = clusters([v.x for v in vs], how.snap)
    ys = clusters([h.y for h in hs], how.snap)
    if len(xs) < 2 or len(ys) < 2:
        return None
    ncols, nrows = len(xs) - 1, len(ys) - 1
    check(ncols * nrows, LIMITS.cells_per_table, "draws a table of more than {most:,} cells")
    h_index = Buckets(hs, lambda h: (h.x0, h.y, h.x1, h.y))
    v_index = Buckets(vs, lambda v: (v.x, v.y0, v.x, v.y1))
    parent = list(range(ncols * nrows))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Two neighbouring grid cells with no stroke between them are one cell.
    for r in range(nrows):
        for c in range(ncols):
            here = r * ncols + c
            if c + 1 < ncols and not _covered_v(v_index, xs[c + 1], ys[r], ys[r + 1], how.snap):
                parent[find(here)] = find(here + 1)
            if r + 1 < nrows and not _covered_h(h_index, ys[r + 1], xs[c], xs[c + 1], how.snap):
                parent[find(here)] = find(here + ncols)
    spans: dict[int, list[int]] = {}
    for r in range(nrows):
        for c in range(ncols):
            box = spans.setdefault(find(r * ncols + c), [c, r, c, r])
            box[0], box[1] = min(box[0], c), min(box[1], r)
            box[2], box[3] = max(box[2], c), max(box[3], r)
    cells = []
    for (c0, r0, c1, r1) in sorted(spans.values(), key=lambda b: (b[1], b[0])):
        cell = GridCell(c0, r0, c1 - c0 + 1, r1 - r0 + 1, xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
        cx, cy = (cell.x0 + cell.x1) / 2, (cell.top + cell.bottom) / 2
        cell.shaded = any(
            b.x0 <= cell.x0 + SNAP and b.x1 >= cell.x1 - SNAP
            and b.top <= cell.top + SNAP and b.bottom >= cell.bottom - SNAP and _coloured(b)
            for b in shading.near(cx, cy, cx, cy)
        )
        cells.append(cell)
    return GridTable(xs, ys, cells)


def _coloured(box: Box) -> bool:
    fill = box.fill
    if not fill:
        return True
    return any(v < 0.97 for v in fill) if len(fill) != 4 else any(v > 0.03 for v in fill)


def _host_cell(table: GridTable, cells: Spans[tuple[GridCell, GridTable]]) -> Optional[GridCell]:
    """The smallest cell of another table that holds ``table`` whole."""
    best: Optional[GridCell] = None
    for cell, other in cells.near(table.x0, table.top, table.x0, table.top):
        if other is not table:
            if (cell.x0 - SNAP <= table.x0 and table.x1 <= cell.x1 + SNAP
                    and cell.top - SNAP <= table.top and table.bottom <= cell.bottom + SNAP
                    and (cell.x1 - cell.x0) * (cell.bottom - cell.top) > (table.x1 - table.x0) * (table.bottom - table.top) * 1.01):
                if best is None or (cell.x1 - cell.x0) * (cell.bottom - cell.top) < (best.x1 - best.x0) * (best.bottom - best.top):
                    best = cell
    return best
