"""Which of the profile's headings and prompts a document shows: ``template.matched``.

``Profile.landmarks`` lists them. The flow records those it recognises line
by line (``Flow.found``); the rows a table reader takes for itself (the
provision and review tables' column headers, a review table's heading row)
are recognised here, from the first rows where the readers look for them.

Before the mapping, the profile is chosen by the headings the document shows
(``best_profile``). The document's lines are walked once (``document_lines``), and
which of a profile's headings each shows is worked out once per profile: the plan
divider (``plans.divide``) reads the same walk and the same headings.
"""

from __future__ import annotations

import threading
from operator import attrgetter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator, Optional, Sequence

from ..layout import Block, Document, Paragraph, Row, Table, iter_paragraphs
from ..template import Profile, Section
from .flow import MAX_HEADING, Flow, matchers
from . import grids
from .grids import header_columns
from .text import Line, LineIndex, Match, forget_documents, lines_of, norm, per_document

# The rows of a table where its heading and column headers are (as ``grids.classify`` looks).
HEAD_ROWS = 3


def in_table(table: Table, kind: str, flow: Flow) -> None:
    """Record the headings and prompts in the head of a provision or review table."""
    profile = flow.profile
    if kind == "provision":
        for row in table.rows[:HEAD_ROWS]:
            if _columns(flow, "provision", header_columns(row, profile.provision_columns, 3, table)):
                return
    elif kind == "review":
        for row in table.rows[:HEAD_ROWS]:
            _columns(flow, "reviews", header_columns(row, profile.review_progress_columns, 2, table))
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
    outscored by a big one) among the first CHOOSE_LINES paragraphs; a tie goes to
    the first (the default form).
    """
    lines = document_lines(document)
    best, best_score = profiles[0], -1.0
    for profile in profiles:
        score = _heading_share(lines, profile)
        if score > best_score:
            best, best_score = profile, score
        if best_score >= 1.0:  # all its headings shown: no later profile can score more
            break
    return best


def _heading_share(lines: "DocumentLines", profile: Profile) -> float:
    possible = len(profile.sections) + bool(profile.group_headings) + len(profile.marks)
    if not possible:
        return 0.0
    marks, first = matchers(profile).marks, lines.first
    found = {"mark " + line.n for line in lines.index.with_n(marks) if first[line] < CHOOSE_LINES}
    found.update(
        heading.item.key if heading.item is not None else ""
        for line, heading in lines.headings(profile).items()
        if first[line] < CHOOSE_LINES and line.n not in marks
    )
    return len(found) / possible


# --- each line of a document, once -------------------------------------------------------


@dataclass
class DocumentLines:
    """A document's lines as one walk finds them, shared by the profile chooser and the plan divider.

    ``items``: in document order (``iter_paragraphs``'), each line short enough to be a heading
    (normalised) and each row of a table the divider reads, with its unit (a block in document
    order, a one-column table read through: ``reads_through``) and its origin. ``first``: the
    paragraph (blanks counted) where each line first shows. ``headings``: which lines show which
    of a profile's headings, worked out once per profile.
    """

    items: list[tuple[int, str, "Line | Row"]]
    origins: list[str]  # each unit's origin
    first: dict[Line, int]
    index: LineIndex
    read: bool = False  # a line was read from pixels (else none of the document's lines is looked at for it)
    document: Optional[Document] = field(default=None, repr=False, compare=False)  # the document walked
    _headings: dict[Profile, "dict[Line, Match[Optional[Section]]]"] = field(default_factory=dict, repr=False)

    def headings(self, profile: Profile) -> "dict[Line, Match[Optional[Section]]]":
        if profile not in self._headings:
            self._headings[profile] = matchers(profile).headings.matches(self.index)
        return self._headings[profile]


def reads_through(table: Table) -> bool:
    """A table of one column: a frame around the plan, or a column of one-cell rows, read through."""
    return table.columns <= 1 and all(len(row.cells) <= 1 for row in table.rows)


def document_lines(document: Document) -> DocumentLines:
    """The document's lines, walked once per document (which must not change once read)."""
    lines = _LAST.lines = per_document(document, _walk)
    return lines


_LAST = threading.local()  # each thread's last walk made or read (``lines``)


def last_lines() -> Optional[DocumentLines]:
    """The last walk ``document_lines`` gave this thread (None before any), with no walk: for a plan
    cut out of the file walked, whose own walk would forget the matchers' answers about the file. Its
    lines are the file's; a line of another document is simply not among them."""
    return getattr(_LAST, "lines", None)


def forget() -> None:
    """Let go of this thread's last document and its walk, once a read has ended."""
    _LAST.__dict__.pop("lines", None)
    grids.forget()
    forget_documents()


_EXACT = attrgetter("exact")  # a line's: the file stored its words


def _walk(document: Document) -> DocumentLines:
    origins: list[str] = []  # each unit's
    paras: list[Paragraph] = []
    # Each table row, and each paragraph outside one, in order: its unit, origin, the row (None for a
    # paragraph) and its paragraphs' numbers in ``paras`` (a stretch: a cell's are taken at once).
    spans: list[tuple[int, str, Optional[Row], int, int]] = []
    stack: list[Iterator[Block]] = [iter(document.body)]
    unit = 0  # the units so far (counted, not measured: every paragraph is counted)
    while stack:
        block = next(stack[-1], None)
        if block is None:
            stack.pop()
        elif isinstance(block, Paragraph):
            spans.append((unit, block.origin, None, len(paras), len(paras) + 1))
            paras.append(block)
            origins.append(block.origin)
            unit += 1
        elif reads_through(block):
            stack.append(b for row in block.rows for cell in row.cells for b in cell.blocks)
        else:
            origins.append(block.origin)
            for row in block.rows:
                k = len(paras)
                for cell in row.cells:
                    for b in cell.blocks:
                        if type(b) is Paragraph:
                            paras.append(b)
                        else:
                            paras.extend(iter_paragraphs([b]))
                spans.append((unit, block.origin, row, k, len(paras)))
            unit += 1
    lines = _lines_in(origins, spans, paras, lines_of(paras))
    lines.document = document
    return lines


def _lines_in(
    origins: list[str], spans: list[tuple[int, str, Optional[Row], int, int]], paras: list[Paragraph], lines: list[Line]
) -> DocumentLines:
    """The walk's rows and its lines short enough to be a heading, in order, and those lines indexed."""
    first = dict(zip(reversed(lines), reversed(range(len(lines)))))  # a line's last pair here is its first
    short = {line for line in first if line.n and len(line.n) < MAX_HEADING}
    items: list[tuple[int, str, "Line | Row"]] = []
    for unit, origin, row, a, b in spans:
        if row is not None:
            items.append((unit, origin, row))
        for k in range(a, b):
            if lines[k] in short:
                items.append((unit, paras[k].origin or origin, lines[k]))
    return DocumentLines(items, origins, first, LineIndex(short), not all(map(_EXACT, first)))
