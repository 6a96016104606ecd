"""Which of the profile's headings and prompts a document shows: ``template.matched``.

``Profile.landmarks`` lists them. The flow records those it recognises line
by line (``Flow.found``); the rows a table reader takes for itself (the
provision and review tables' column headers, a review table's heading row)
are recognised here, from the first rows where the readers look for them.
"""

from __future__ import annotations

from ..layout import Table
from ..template import Profile
from .flow import Flow
from .grids import header_columns
from .text import Line, norm

# The rows of a table where its heading and column headers are (as ``grids.classify`` looks).
HEAD_ROWS = 3
# A heading row is shorter than this, normalised (as the flow's headings are).
MAX_HEADING = 160


def in_table(table: Table, kind: str, flow: Flow) -> None:
    """Record the headings and prompts in the head of a provision or review table."""
    profile = flow.profile
    if kind == "provision":
        for row in table.rows[:HEAD_ROWS]:
            if _columns(flow, "provision", header_columns(row, profile.provision_columns, 3)):
                return
    elif kind == "review":
        for row in table.rows[:HEAD_ROWS]:
            _columns(flow, "reviews", header_columns(row, profile.review_progress_columns, 2))
            for cell in row.cells:
                text = cell.text
                if len(text) < 2 * MAX_HEADING:  # not normalised at all when far too long to be one
                    _review_heading(Line(text), flow)


def _review_heading(line: Line, flow: Flow) -> None:
    """"Section 6: Reviewing My Support Plan  Date of review: ...  1st review (R1)", in one cell or several."""
    if len(line.n) >= MAX_HEADING:  # guidance, not a heading row
        return
    profile = flow.profile
    if norm(profile.review_date_prompt) in line.n:
        flow.found.add(("prompt", "reviews", profile.review_date_prompt))
    heading = flow.m.headings.match(line)
    if heading is not None and heading.item is not None and heading.item.key == "reviews":
        flow.found.add(("heading", "reviews"))


def _columns(flow: Flow, table: str, columns: "dict[int, str] | None") -> bool:
    for field in (columns or {}).values():
        flow.found.add(("column", table, field))
    return bool(columns)


def share(found: set[tuple[str, ...]], profile: Profile) -> float:
    """The share (0-1, three decimals) of the profile's landmarks found."""
    landmarks = profile.landmarks()
    return round(sum(1 for k in landmarks if k in found) / len(landmarks), 3) if landmarks else 0.0
