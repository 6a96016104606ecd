"""Which of the profile's headings and prompts a document shows: ``template.matched``.

``Profile.landmarks`` lists them. The flow records those it recognises line
by line (``Flow.found``); the rows a table reader takes for itself (the
provision and review tables' column headers, a review table's heading row)
are recognised here, from the first rows where the readers look for them.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice
from typing import Sequence

from ..layout import Document, Table, iter_paragraphs
from ..template import Profile
from .flow import Flow, matchers
from .grids import header_columns
from .text import Line, line_of, new_document, norm

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
    landmarks = _landmarks(profile)
    return round(sum(1 for k in landmarks if k in found) / len(landmarks), 3) if landmarks else 0.0


@lru_cache(maxsize=16)
def _landmarks(profile: Profile) -> tuple[tuple[str, ...], ...]:
    """``Profile.landmarks``, worked out once per profile (a profile hashes as itself)."""
    return profile.landmarks()


# Lines looked at when choosing a profile: a plan's headings are all well within this.
CHOOSE_LINES = 4000


def best_profile(document: Document, profiles: Sequence[Profile]) -> Profile:
    """The profile whose headings and title lines the document shows the most of.

    Each profile's share of its own headings and marks found (a small form is not
    outscored by a big one); a tie goes to the first (the default form).
    """
    new_document(document)
    lines = [line_of(p) for p in islice(iter_paragraphs(document.body), CHOOSE_LINES) if p.text.strip()]
    lines = [line for line in lines if line.n and len(line.n) < MAX_HEADING]
    best, best_score = profiles[0], -1.0
    for profile in profiles:
        score = _heading_share(lines, profile)
        if score > best_score:
            best, best_score = profile, score
        if best_score >= 1.0:  # all its headings shown: no later profile can score more
            break
    return best


def _heading_share(lines: list[Line], profile: Profile) -> float:
    m = matchers(profile)
    found: set[str] = set()
    possible = len(profile.sections) + bool(profile.group_headings) + len(profile.marks)
    for line in lines:
        if len(found) >= possible:
            break  # every heading and mark found: the share can grow no more
        if line.n in m.marks:
            found.add("mark " + line.n)
            continue
        heading = m.headings.match(line)
        if heading is not None:
            found.add(heading.item.key if heading.item is not None else "")
    return len(found) / possible if possible else 0.0
