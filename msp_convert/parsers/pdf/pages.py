"""From one page's records to layout blocks; then the pages joined into one body.

Glyphs go to the innermost table cell holding their centre, or to the page
body. Lines that repeat at the top or bottom of the pages are the page
header and footer, kept apart from the content. A table that runs to the foot
of one page and resumes at the head of the next with the same columns is one
table: a repeated header row is dropped, and a row split by the page break is
joined again.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import compress
from dataclasses import dataclass, field, replace
from typing import Optional

from ...layout import Block, Cell, Paragraph, Row, Run, Table, TickBox, read_confidence
from .grid import SNAP, GridCell, GridTable, clusters
from .index import Buckets
from .limits import spend
from .reading import LINE_GAP, TextLine, ends_in_space, make_lines, page_words, paragraphs, to_paragraph
from .records import Glyph, PageRecord

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.IGNORECASE)
BAND = 0.11  # share of the page height where headers and footers live


@dataclass(slots=True)
class _Placed:
    top: float
    bottom: float
    block: Block
    grid: Optional[GridTable] = None


@dataclass(slots=True, frozen=True)
class _How:
    """How one page's lines are read into paragraphs."""

    origin: str  # "page N"
    page: int
    spaced: bool  # the producer keeps the space at a wrap (``keeps_wrap_spaces``)
    words: set[str]  # every word on the page (``page_words``)


@dataclass(slots=True)
class _Body:
    """A page's lines outside tables, made into paragraphs once the header and footer are known."""

    lines: list[TextLine]
    tables: list[GridTable]
    width: float
    how: _How


@dataclass(slots=True)
class PageBlocks:
    number: int
    height: float
    blocks: list[_Placed] = field(default_factory=list)  # the tables
    top_lines: list[tuple[str, TextLine]] = field(default_factory=list)  # header candidates
    bottom_lines: list[tuple[str, TextLine]] = field(default_factory=list)  # footer candidates
    text: Optional[_Body] = None


class _Locator:
    """Which cell of a table holds a point, by bisecting its grid."""

    __slots__ = ("table", "xs", "ys", "x0", "top", "x1", "bottom", "owner", "nested")

    def __init__(self, table: GridTable) -> None:
        self.table = table
        self.xs, self.ys = table.xs, table.ys
        self.x0, self.top, self.x1, self.bottom = table.x0, table.top, table.x1, table.bottom
        self.owner: dict[tuple[int, int], GridCell] = {}
        for cell in table.cells:
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.col, cell.col + cell.col_span):
                    self.owner[(r, c)] = cell
        self.nested = {id(cell): _located([_Locator(t) for t in cell.nested]) for cell in table.cells if cell.nested}

    def cell(self, x: float, y: float) -> Optional[GridCell]:
        if not (self.x0 <= x <= self.x1 and self.top <= y <= self.bottom):
            return None
        found = self.owner.get((bisect_right(self.ys, y) - 1, bisect_right(self.xs, x) - 1))
        if found is not None and self.nested:
            inside = self.nested.get(id(found))
            for inner in inside.near(x, y, x, y) if inside else ():
                deeper = inner.cell(x, y)
                if deeper is not None:
                    return deeper
        return found


def _located(locators: list[_Locator]) -> Buckets[_Locator]:
    """Tables by where they lie, so a glyph asks only the tables around it."""
    return Buckets(locators, lambda loc: (loc.x0, loc.top, loc.x1, loc.bottom))


def page_blocks(page: PageRecord, tables: list[GridTable]) -> PageBlocks:
    """The page's tables with their cells filled, and its other lines (``PageBlocks.text``)."""
    origin = f"page {page.number}"
    glyphs, middles = _by_middle(page.glyphs)
    in_cell, body = _placed_glyphs(glyphs, tables, middles)
    ordered = middles is not None
    cell_lines = {key: make_lines(glyphs, ordered) for key, glyphs in in_cell.items()}
    lines = make_lines(body, ordered)
    every = [line for group in cell_lines.values() for line in group] + lines
    how = _How(origin, page.number, keeps_wrap_spaces(every), page_words(every))
    out = PageBlocks(page.number, page.height)
    placed = [_Placed(t.top, t.bottom, _table(t, cell_lines, how), t) for t in tables]
    first_top = min((t.top for t in tables), default=page.height)
    last_bottom = max((t.bottom for t in tables), default=0.0)
    content: list[TextLine] = []
    for line in lines:
        text = _line_text(line)
        if line.bottom <= first_top and line.top < page.height * BAND:
            out.top_lines.append((text, line))
        elif line.top >= last_bottom and line.bottom > page.height * (1 - BAND) and not _runs_down(content, line):
            out.bottom_lines.append((text, line))
        else:
            content.append(line)
    out.blocks = placed
    out.text = _Body(content, tables, page.width, how)
    return out


def _by_middle(glyphs: list[Glyph]) -> tuple[list[Glyph], Optional[list[float]]]:
    """The page's glyphs in a stable sort by the middle of their height, and those middles, made once:
    placing them bisects the middles for each table's rows, and each cell's glyphs (the body's too) keep
    that order, which is the order ``make_lines`` would sort them into. (glyphs, None) when a middle is
    not a number: no order then, and each step goes glyph by glyph as given."""
    middles = [(g.top + g.bottom) / 2 for g in glyphs]
    total = sum(middles)
    if total != total:  # NaN somewhere (or infinities of both signs): sorting would lose the given order
        return glyphs, None
    order = sorted(range(len(glyphs)), key=middles.__getitem__)
    return [glyphs[n] for n in order], sorted(middles)  # the middles in that order: the same stable sort


FEW_TABLES = 8  # a page with no more tables than this asks each of them about each glyph, without an index


def _placed_glyphs(
    glyphs: list[Glyph], tables: list[GridTable], middles: Optional[list[float]] = None
) -> tuple[dict[int, list[Glyph]], list[Glyph]]:
    """Each glyph in the innermost cell holding its centre (by the cell's id), or in the body, each
    list in the order given. ``middles``: the glyphs' middles, sorted (``_by_middle``), when known."""
    if not tables:
        spend(len(glyphs))  # what asking an empty index for each glyph would count
        return {}, list(glyphs)
    locators = [_Locator(t) for t in tables]
    if len(locators) > FEW_TABLES:
        return _placed_by_index(glyphs, _located(locators))
    spend(len(glyphs) * (len(locators) + 1))  # each table tests its own bounds first
    in_cell: dict[int, list[Glyph]] = {}
    asked = [_asked(loc, in_cell) for loc in locators]
    if middles is not None:
        return _placed_sorted(glyphs, middles, asked, in_cell)
    body: list[Glyph] = []
    for g in glyphs:
        x, y = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        for x0, top, x1, bottom, xs, ys, slots, loc in asked:
            if x0 <= x <= x1 and top <= y <= bottom:
                if slots is not None:  # loc.cell(x, y), its grid bisected here: the cell's list by (row + 1, column + 1)
                    into = slots.get((bisect_right(ys, y), bisect_right(xs, x)))
                else:
                    cell = loc.cell(x, y)
                    into = None if cell is None else in_cell.setdefault(id(cell), [])
                if into is not None:
                    into.append(g)
                    break
        else:
            body.append(g)
    return {key: into for key, into in in_cell.items() if into}, body


_Asked = tuple[float, float, float, float, list[float], list[float], Optional[dict[tuple[int, int], list[Glyph]]], _Locator]


def _placed_sorted(
    glyphs: list[Glyph], middles: list[float], asked: list[_Asked], in_cell: dict[int, list[Glyph]]
) -> tuple[dict[int, list[Glyph]], list[Glyph]]:
    """``_placed_glyphs`` for glyphs sorted by their middles: each table reads only the glyphs whose
    middle lies between its top and bottom (bisected), row by row, the first table in ``asked`` order
    to give a glyph a cell keeping it, as asking each glyph of the tables in turn does. A cell's glyphs
    come from its one table, in the order given; the body is the glyphs left, in that order too."""
    free = bytearray(b"\x01") * len(glyphs)
    for x0, top, x1, bottom, xs, ys, slots, loc in asked:
        lo, hi = bisect_left(middles, top), bisect_right(middles, bottom)
        if slots is None:
            _sweep_nested(glyphs, middles, range(lo, hi), (x0, x1, loc), free, in_cell)
            continue
        # ys[row - 1] <= middle < ys[row]: bisect_right(ys, middle) is row, as in _placed_glyphs
        starts = [bisect_left(middles, y, lo, hi) for y in ys]
        for row in range(1, len(ys)):
            for n in range(starts[row - 1], starts[row]):
                if free[n]:
                    g = glyphs[n]
                    x = (g.x0 + g.x1) / 2
                    if x0 <= x <= x1:
                        into = slots.get((row, bisect_right(xs, x)))
                        if into is not None:
                            into.append(g)
                            free[n] = 0
    return {key: glyphs for key, glyphs in in_cell.items() if glyphs}, list(compress(glyphs, free))


def _sweep_nested(
    glyphs: list[Glyph], middles: list[float], among: range, table: tuple[float, float, _Locator],
    free: bytearray, in_cell: dict[int, list[Glyph]],
) -> None:
    """``_placed_sorted``'s sweep of a table with tables nested in it: each glyph left ``among`` that
    lies across the table asks it for its innermost cell (``_Locator.cell``)."""
    x0, x1, loc = table
    for n in among:
        if free[n]:
            g = glyphs[n]
            x = (g.x0 + g.x1) / 2
            cell = loc.cell(x, middles[n]) if x0 <= x <= x1 else None
            if cell is not None:
                in_cell.setdefault(id(cell), []).append(g)
                free[n] = 0


def _asked(loc: _Locator, in_cell: dict[int, list[Glyph]]) -> _Asked:
    """What a glyph asks of a table, in one tuple: its bounds, its grid, and (no table nested in it)
    each grid position's cell's glyph list in ``in_cell``, made here."""
    slots = None
    if not loc.nested:
        slots = {(r + 1, c + 1): in_cell.setdefault(id(cell), []) for (r, c), cell in loc.owner.items()}
    return loc.x0, loc.top, loc.x1, loc.bottom, loc.xs, loc.ys, slots, loc


def _placed_by_index(glyphs: list[Glyph], index: Buckets[_Locator]) -> tuple[dict[int, list[Glyph]], list[Glyph]]:
    """``_placed_glyphs`` for a page of many tables: each glyph asks only the tables around it."""
    in_cell: dict[int, list[Glyph]] = {}
    body: list[Glyph] = []
    for g in glyphs:
        x, y = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        for loc in index.near(x, y, x, y):
            if not (loc.x0 <= x <= loc.x1 and loc.top <= y <= loc.bottom):
                continue
            cell = loc.cell(x, y)
            if cell is not None:
                in_cell.setdefault(id(cell), []).append(g)
                break
        else:
            body.append(g)
    return in_cell, body


def _line_text(line: TextLine) -> str:
    return "".join([g.text for g in line.glyphs]).strip()


def _runs_down(content: list[TextLine], line: TextLine) -> bool:
    """The body's last line reaching into the footer band: as close below the line above as
    lines of one paragraph are. A footer is set apart from the body by the page's bottom margin."""
    above = content[-1] if content else None
    return above is not None and 0 <= line.top - above.bottom <= above.height * LINE_GAP


def read_paragraph(lines: list[TextLine], origin: str, page: int) -> Paragraph:
    """One paragraph's lines as a paragraph (``to_paragraph``), with where it was read: its page
    and box, each tick box's own, and the least sure word's confidence when read from pixels."""
    para = to_paragraph(lines, origin)
    para.page = page
    para.box = (min(ln.x0 for ln in lines), lines[0].top, max(ln.x1 for ln in lines), lines[-1].bottom)
    if para.confidence is not None:
        para.low = min(g.confidence for ln in lines for g in ln.glyphs if g.ocr and not g.is_tick and not g.text.isspace())
    if any(type(i) is TickBox for i in para.inlines):
        ticks = (g for ln in lines for g in ln.glyphs if g.is_tick)
        for box, g in zip(para.tick_boxes, ticks):
            box.page, box.box = page, (g.x0, g.top, g.x1, g.bottom)
    return para


def _body_paragraphs(text: Optional[_Body], back: list[TextLine], page: int) -> list[_Placed]:
    """Body lines into paragraphs, never joining across a table; ``back``: lines of the header
    or footer band that are no header or footer, read with the lines beside them (a heading
    wrapped at the top of a page is one paragraph)."""
    if text is None:  # a page with no reading of its own (a blank OCR page): each line as it is
        return [_Placed(line.top, line.bottom, read_paragraph([line], "", page)) for line in back]
    if not (text.lines or back):
        return []
    lines = sorted(text.lines + back, key=lambda line: line.top + line.bottom) if back else text.lines
    tables, how = text.tables, text.how
    left = min(line.x0 for line in lines)
    right = text.width - left  # margins are as wide on both sides
    out: list[_Placed] = []
    run: list[TextLine] = []
    cuts = sorted(t.top for t in tables)

    def flush() -> None:
        for group in paragraphs(run, left, right, how.spaced, how.words):
            out.append(_Placed(group[0].top, group[-1].bottom, read_paragraph(group, how.origin, how.page)))
        run.clear()

    for line in lines:
        at = bisect_left(cuts, run[-1].bottom) if run else len(cuts)
        if at < len(cuts) and cuts[at] <= line.top:  # a table starts between the two lines
            flush()
        run.append(line)
    flush()
    return out


def _cell_blocks(cell: GridCell, cell_lines: dict[int, list[TextLine]], how: _How) -> list[Block]:
    placed: list[tuple[float, Block]] = []
    lines = cell_lines.get(id(cell), [])
    if lines:
        pad = max(0.0, min(line.x0 for line in lines) - cell.x0)
        left, right = cell.x0 + pad, cell.x1 - pad
        for group in paragraphs(lines, left, right, how.spaced, how.words):
            placed.append((group[0].top, read_paragraph(group, how.origin, how.page)))
    for nested in cell.nested:
        placed.append((nested.top, _table(nested, cell_lines, how)))
    placed.sort(key=lambda p: p[0])
    return [b for _, b in placed]


def _table(grid: GridTable, cell_lines: dict[int, list[TextLine]], how: _How) -> Table:
    rows = [Row() for _ in range(len(grid.ys) - 1)]
    for cell in grid.cells:
        rows[cell.row].cells.append(
            Cell(_cell_blocks(cell, cell_lines, how), col=cell.col, col_span=cell.col_span, row_span=cell.row_span, shaded=cell.shaded)
        )
    return Table(rows, columns=len(grid.xs) - 1, origin=how.origin)


# --- the pages joined ---------------------------------------------------------------


def _template(text: str) -> str:
    """What a repeated header or footer line has in common on every page: not its numbers,
    nor its spacing and punctuation (OCR reads "Price DOB" on one page, "PriceDOB" on the next)."""
    return re.sub(r"[\W_]+", "", re.sub(r"\d+", "#", text.lower()))


def join_pages(pages: list[PageBlocks]) -> tuple[list[Block], list[Block], list[Block]]:
    """(body, headers, footers) for the whole document."""
    # A line repeats as a header when pages repeat it at their top, as a footer at their foot:
    # an answer ("N/A") ending one page and starting the next is neither.
    counts: Counter[tuple[str, str]] = Counter()
    for page in pages:
        counts.update({("header", _template(t)) for t, _ in page.top_lines})
        counts.update({("footer", _template(t)) for t, _ in page.bottom_lines})
    repeated = {key for key, n in counts.items() if n >= 2 or len(pages) == 1}
    headers: list[Block] = []
    footers: list[Block] = []
    seen: set[str] = set()
    placed: list[list[_Placed]] = []
    for page in pages:
        back: list[TextLine] = []
        origin = f"page {page.number}"
        for kind, lines in (("header", page.top_lines), ("footer", page.bottom_lines)):
            for text, line in lines:
                key = _template(text)
                if (kind, key) in repeated or _PAGE_NUMBER.match(text):
                    if key not in seen and not _PAGE_NUMBER.match(text):
                        seen.add(key)
                        (headers if kind == "header" else footers).append(read_paragraph([line], origin, page.number))
                else:
                    back.append(line)
        placed.append(sorted(page.blocks + _body_paragraphs(page.text, back, page.number), key=lambda p: p.top))
    body: list[_Placed] = []
    foot = _foot(pages)
    for page, blocks in zip(pages, placed):
        union = _joined_grid(body[-1], blocks[0], page, foot) if body and blocks else None
        if union is not None:
            _append_rows(body[-1], blocks.pop(0), union, foot)
        body.extend(blocks)
    return [p.block for p in body], headers, footers


def _foot(pages: list[PageBlocks]) -> float:
    """The foot of the pages' text: the median of each page's lowest table bottom (a text box's
    frame drawn past the text on one page does not set it)."""
    lowest = sorted(max(t.bottom for t in page.blocks if t.grid) for page in pages if any(t.grid for t in page.blocks))
    return lowest[len(lowest) // 2] if lowest else 0.0


def _joined_grid(prev: _Placed, nxt: _Placed, page: PageBlocks, foot: float) -> Optional[list[float]]:
    """The joined table's column lines when ``nxt`` (at the head of the page) continues ``prev``.

    The same columns continue it. The same outer edges with other inner lines
    (Word's rows may split a column the rows above spanned) continue it only
    when the new page's first row repeats the header or finishes a row the
    break cut; the grid is then the union of both parts' lines.
    """
    a, b = prev.grid, nxt.grid
    if a is None or b is None or not (prev.bottom > page.height * 0.7 and nxt.top < page.height * 0.3):
        return None
    if len(a.xs) == len(b.xs) and all(abs(x - y) <= SNAP for x, y in zip(a.xs, b.xs)):
        return a.xs
    if abs(a.x0 - b.x0) > SNAP or abs(a.x1 - b.x1) > SNAP:
        return None
    union = clusters(a.xs + b.xs)
    first, second = _regridded(prev.block, a.xs, union), _regridded(nxt.block, b.xs, union)
    rows = second.rows
    if rows and first.rows and (_texts(rows[0]) == _texts(first.rows[0]) or _row_cut(prev, first, rows[0], foot)):
        return union
    return None


def _regridded(table: Block, xs: list[float], union: list[float]) -> Table:
    """The table on a finer grid: each cell spans the union's columns between its own lines."""
    assert isinstance(table, Table)
    if len(xs) == len(union):
        return table
    at = [bisect_right(union, x) - 1 for x in xs]  # a cluster's line is its smallest x
    rows = [
        Row([replace(c, col=at[c.col], col_span=at[c.col + c.col_span] - at[c.col]) for c in row.cells])
        for row in table.rows
    ]
    return Table(rows, columns=len(union) - 1, origin=table.origin)


def _texts(row: Row) -> list[str]:
    return [c.text.strip() for c in row.cells]


def _append_rows(prev: _Placed, nxt: _Placed, union: list[float], foot: float) -> None:
    """Add the next page's part of a table, joining a row the page break cut in two.

    A row was cut when its first cell is empty on the new page, or when a
    cell's text visibly runs on; a table that merely ends at the foot of a
    page (the next row did not fit) is not cut.
    """
    assert prev.grid is not None and nxt.grid is not None
    first = prev.block = _regridded(prev.block, prev.grid.xs, union)
    second = _regridded(nxt.block, nxt.grid.xs, union)
    rows = list(second.rows)
    if rows and first.rows and _texts(rows[0]) == _texts(first.rows[0]):
        rows.pop(0)  # the header row, repeated on the new page
    if rows and first.rows and _row_cut(prev, first, rows[0], foot):
        _join_row(first, rows.pop(0))
    first.rows.extend(rows)
    prev.bottom = nxt.bottom
    prev.grid = GridTable(union, nxt.grid.ys, nxt.grid.cells)


FOOT_SLACK = 24.0  # points (two lines of text): a row the page break cut runs down to the page's foot


def _row_cut(prev: _Placed, table: Table, row: Row, foot: float) -> bool:
    """Did the page break cut the table's last row, ``row`` being its rest on the new page?

    A paragraph seeming to run on is taken for a cut only when the table
    reaches the foot of its page (``_foot``): a table
    ending higher up ended there (the next one, after a gap, began on the new
    page: "... messages" then "d) my parents/carers views").
    """
    return _split_row(row) or (prev.bottom >= foot - FOOT_SLACK and _text_cut(table, row))


def _text_cut(table: Table, row: Row) -> bool:
    """Some cell's paragraph runs on from the last row into this one."""
    last = len(table.rows) - 1
    for part in row.cells:
        target = _covering(table, last, part.col)
        if target is not None and target.blocks and part.blocks and _cut_paragraph(target.blocks[-1], part.blocks[0]):
            return True
    return False


def _split_row(row: Row) -> bool:
    """A row's second half: its first column empty, something in the others."""
    if not row.cells or row.cells[0].col != 0:
        return False
    return not row.cells[0].text.strip() and any(c.text.strip() for c in row.cells[1:])


def _join_row(table: Table, row: Row) -> None:
    last = len(table.rows) - 1
    for part in row.cells:
        target = _covering(table, last, part.col)
        if target is None:
            continue
        blocks = list(part.blocks)
        if blocks and target.blocks and _cut_paragraph(target.blocks[-1], blocks[0]):
            before, after = target.blocks[-1], blocks.pop(0)
            assert isinstance(before, Paragraph) and isinstance(after, Paragraph)
            joiner = [] if before.text.endswith((" ", "-", "/")) else [Run(" ")]
            confidence, _ = read_confidence([before, after])
            target.blocks[-1] = Paragraph(
                before.inlines + joiner + after.inlines, origin=before.origin, confidence=confidence,
                low=_least(before.low, after.low), page=before.page, box=before.box,
                heading=before.heading and after.heading, bold=before.bold and after.bold,
            )
        target.blocks.extend(blocks)


def _least(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return b if a is None else a if b is None else min(a, b)


def _cut_paragraph(before: Block, after: Block) -> bool:
    """Did the page break fall inside this paragraph (the space of a wrap drawn, or lower case next)?"""
    if not isinstance(before, Paragraph) or not isinstance(after, Paragraph):
        return False
    head, tail = before.text, after.text.lstrip()
    return bool(head and tail) and (head.endswith(" ") or tail[0].islower())


def _covering(table: Table, row_index: int, col: int) -> Optional[Cell]:
    for r in range(row_index, -1, -1):
        for cell in table.rows[r].cells:
            if cell.col <= col < cell.col + cell.col_span and r + cell.row_span > row_index:
                return cell
    return None




def keeps_wrap_spaces(lines: list[TextLine]) -> bool:
    """Does this page's producer leave the space at a wrap as a line's last glyph?"""
    return sum(1 for line in lines if ends_in_space(line)) >= max(2, len(lines) // 20)
