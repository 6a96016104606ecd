"""A form's contents page (York's 1.2): the parts' titles, pages and when each was completed.

The titles and page numbers are the form's; what a person writes is the date
each part was completed. The table is known by the profile's column headers
(``contents_columns``: "Plan page number", "Date completed"); each row naming a
part of the profile keeps that part's key and what is written in the columns
after the page number ("1.3", "12/09/2019"), in the contents part's `sections` item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..layout import Row, Table
from .text import Line, clean, norm

if TYPE_CHECKING:
    from .flow import Flow

# The header row is among the table's first rows.
HEAD_ROWS = 3


def _header(table: Table, flow: "Flow") -> Optional[tuple[int, list[int]]]:
    """The header row's index and the columns after the page-number column."""
    wanted = [norm(c) for c in flow.profile.contents_columns]
    if not wanted:
        return None
    for at, row in enumerate(table.rows[:HEAD_ROWS]):
        cells = [norm(c.text) for c in row.cells]
        if all(w in cells for w in wanted):
            return at, [cells.index(w) for w in wanted[1:]]
    return None


def is_contents(table: Table, flow: "Flow") -> bool:
    return _header(table, flow) is not None


def read_contents(table: Table, flow: "Flow") -> None:
    head = _header(table, flow)
    assert head is not None
    at, columns = head
    section = flow.profile.with_role("contents")
    if section is None:
        return
    for row in table.rows[at + 1:]:
        written = _row(row, columns, flow)
        if written:  # the part is kept only when something is written in it
            flow.draft.part(f"{flow.profile.name}/{section.key}", section.headings[0]).rows.append(written)
    flow.end_table()


def _row(row: Row, columns: list[int], flow: "Flow") -> list[str]:
    """[part key, completed, ...] for a row naming a part, when anything is written in it."""
    cells = [c.text for c in row.cells]
    values = [clean(cells[i]) if i < len(cells) else "" for i in columns]
    values = ["" if norm(v) in flow.m.placeholders else v for v in values]
    if not any(values) or not cells:
        return []
    heading = flow.m.headings.match(Line(cells[0]))
    part = heading.item if heading is not None else None
    return [part.key if part is not None else clean(cells[0]), *values]
