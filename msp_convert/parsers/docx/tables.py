"""Tables: a ``w:tbl`` as rows of the cells that start in them.

Each ``w:tc`` becomes a ``Cell`` at its grid column (``w:gridBefore`` shifts a
row's start), ``col_span`` from ``w:gridSpan``, ``row_span`` counted from
``w:vMerge`` (``restart`` starts a merge, no value or ``continue`` continues
it). A continuation cell is not emitted: what was typed in it, if anything, is
added to the cell it continues. The old horizontal ``w:hMerge`` is read the
same way. ``shaded``: ``w:shd`` with a fill (or a solid pattern colour) other
than auto/white. A row deleted under tracked changes marks its runs deleted.
Tables nested in a cell stay in that cell's blocks. ``columns`` is the
``w:tblGrid`` width, or the widest row when the grid is missing or short.

A span or offset is a count of grid columns: one beyond ``MAX_GRID_COLUMNS``
(Word draws at most 63) is damage, read as that many, with a warning, so
that no later step sizes anything by it.
"""

from __future__ import annotations

from typing import Optional

from lxml import etree

from ...layout import Block, Cell, Row, Table, TickBox
from .ns import (
    DEL,
    INS,
    MC_ALTERNATE,
    SKIP,
    W_CELLDEL,
    W_COLOR,
    W_DEL,
    W_FILL,
    W_GRIDBEFORE,
    W_GRIDCOL,
    W_GRIDSPAN,
    W_HMERGE,
    W_INS,
    W_P,
    W_SHD,
    W_TBL,
    W_TBLGRID,
    W_TC,
    W_TCPR,
    W_TR,
    W_TRPR,
    W_VAL,
    W_VMERGE,
    choose_branch,
)

_NOT_SHADED = frozenset({"", "auto", "ffffff", "none"})
MAX_GRID_COLUMNS = 64


class TableReader:
    """The table half of ``PartWalker`` (which supplies paragraph, block, origin...)."""

    __slots__ = ("merges", "row_width")  # the current table's open vMerges, widest row

    def table(self, tbl: etree._Element, flags: int) -> Table:
        grid = 0
        trs: list[etree._Element] = []
        for c in tbl:
            tag = c.tag
            if tag == W_TR:
                trs.append(c)
            elif tag == W_TBLGRID:
                grid = sum(1 for g in c if g.tag == W_GRIDCOL)
            elif tag not in SKIP and type(tag) is str:
                _collect(c, W_TR, trs)
        outer = self.merges, self.row_width  # a table in a cell of this one
        self.merges, self.row_width = {}, 0
        rows = [self.row(tr, flags) for tr in trs]
        table = Table(rows, max(grid, self.row_width), self.origin)
        self.merges, self.row_width = outer
        return table

    def row(self, tr: etree._Element, flags: int) -> Row:
        """One ``w:tr``: the cells that start in it; merged-down cells extend theirs."""
        cells: list[Cell] = []
        merges = self.merges  # grid column -> the cell a vMerge started there
        continued: set[int] = set()
        col = 0
        for tc in tr:
            tag = tc.tag
            if tag != W_TC:
                if tag == W_TRPR:
                    for q in tc:
                        qtag = q.tag
                        if qtag == W_GRIDBEFORE:
                            col = self.grid_count(q.get(W_VAL), 0)
                        elif qtag == W_DEL:
                            flags |= DEL
                        elif qtag == W_INS:
                            flags |= INS
                elif tag not in SKIP and type(tag) is str:  # cell-level sdt, customXml
                    wrapped: list[etree._Element] = []
                    _collect(tc, W_TC, wrapped)
                    for inner in wrapped:
                        col = self.cell(inner, flags, col, cells, continued)
                continue
            col = self.cell(tc, flags, col, cells, continued)
        if merges:
            for k in [k for k in merges if k not in continued]:
                del merges[k]
        if col > self.row_width:
            self.row_width = col
        return Row(cells)

    def cell(self, tc, flags: int, col: int, cells: list, continued: set) -> int:
        """Read one ``w:tc`` into ``cells`` (or into the cell it continues); next column."""
        span = 1
        vmerge = hmerge = None
        shaded = False
        blocks: list[Block] = []
        for el in tc:
            tag = el.tag
            if tag == W_P:
                self.paragraph(el, blocks, flags)
            elif tag == W_TCPR:
                for q in el:
                    qtag = q.tag
                    if qtag == W_GRIDSPAN:
                        span = max(1, self.grid_count(q.get(W_VAL), 1))
                    elif qtag == W_VMERGE:
                        vmerge = q.get(W_VAL) or "continue"
                    elif qtag == W_SHD:
                        shaded = _shaded(q)
                    elif qtag == W_HMERGE:
                        hmerge = q.get(W_VAL) or "continue"
                    elif qtag == W_CELLDEL:
                        flags |= DEL
            elif tag == W_TBL:
                blocks.append(self.table(el, flags))
            else:
                self.block(el, tag, blocks, flags)
        merges = self.merges
        if vmerge is not None:
            start = merges.get(col) if vmerge == "continue" else None
            if start is not None:
                start.row_span += 1
                continued.add(col)
                if _has_content(blocks):
                    start.blocks.extend(blocks)
                return col + span
        if hmerge == "continue" and cells:
            prev = cells[-1]
            prev.col_span += span
            if _has_content(blocks):
                prev.blocks.extend(blocks)
            return col + span
        cell = Cell(blocks, col, span, 1, shaded)
        cells.append(cell)
        if vmerge == "restart":
            merges[col] = cell
            continued.add(col)
        return col + span


    def grid_count(self, value: Optional[str], default: int) -> int:
        """A ``w:gridSpan`` or ``w:gridBefore``, held to 0..``MAX_GRID_COLUMNS``."""
        n = _int(value, default)
        if n > MAX_GRID_COLUMNS:
            self.note(  # type: ignore[attr-defined]
                "table-grid-clamped",
                f"A table cell claims to span more than {MAX_GRID_COLUMNS} columns (Word has at most 63);"
                f" it was read as {MAX_GRID_COLUMNS}.",
            )
            return MAX_GRID_COLUMNS
        return max(n, 0)


def _collect(el: etree._Element, want: str, out: list) -> None:
    """``want`` elements under wrappers (sdt, customXml, AlternateContent)."""
    for c in el:
        tag = c.tag
        if tag == want:
            out.append(c)
        elif tag == MC_ALTERNATE:
            branch = choose_branch(c)
            if branch is not None:
                _collect(branch, want, out)
        elif tag not in SKIP and type(tag) is str:
            _collect(c, want, out)


def _shaded(shd: etree._Element) -> bool:
    fill = (shd.get(W_FILL) or "").lower()
    if fill not in _NOT_SHADED:
        return True
    pattern = shd.get(W_VAL) or ""
    if pattern == "solid" or pattern.startswith("pct"):
        return (shd.get(W_COLOR) or "auto").lower() not in _NOT_SHADED
    return False


def _has_content(blocks: list) -> bool:
    for b in blocks:
        if isinstance(b, Table):
            return True
        for i in b.inlines:
            if isinstance(i, TickBox) or i.text.strip():
                return True
    return False


def _int(v: Optional[str], default: int) -> int:
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default
