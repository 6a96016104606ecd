"""The table-shaped parts of the form: outcomes, provision and reviews.

Columns are found by their header wording, rows by the number in their first
column; a row whose number cell is merged down from the row above belongs to
the same outcome. Rows that are not numbered (headers, notes, the review
questions) are read as flowing text by ``flow``.

The form's wording (its column headers, "Outcome", "will be able to", "By the
end of", the review labels) is the profile's; each part is found by its role,
and a form without a part (York's, with no provision or review tables: its
Part 5 holds its actions table) reads what it has and nothing crashes.
"""

from __future__ import annotations

import difflib
import re
import threading
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Optional

from ..layout import Cell, Paragraph, Row, Run, Table, TickBox
from ..model import Entry, Outcome, Progress, Provision, Review, SupportedBy
from ..template import DEFAULT_PROFILE, Column, Profile, Section
from .entries import (
    Piece, able_pattern, areas_of_need, key_stage, make_entry, marker_lines, pieces, rating, statement_text, weekly_cost,
)
from .flow import Flow
from .outcome_lines import support_leads
from .text import Guidance, Line, Match, Wording, by_identity, is_blank, line_of, norm
from .review_lines import review_date

_NO_MARK = {"no", "n a", "na", "none", "nil"}
# Grid columns one header cell can name: Word draws at most 63 (a parser that
# passed on a larger span must not make the mapping allocate by it).
MAX_HEADER_SPAN = 64


@lru_cache(maxsize=8)
def _number(label: str) -> re.Pattern[str]:
    """A row's number: "1", "No 1", or the profile's outcome label and the number ("Outcome 1")."""
    return re.compile(r"^(?:" + re.escape(norm(label)) + r"|no)?\s*(\d{1,2})$")


def _cell_n(cell: Cell) -> str:
    """The cell's text normalised: its one paragraph's line's (made once per document), else worked out."""
    paragraphs = cell.paragraphs()
    return line_of(paragraphs[0]).n if len(paragraphs) == 1 else norm(cell.text)


def row_number(cell: Optional[Cell], label: str = DEFAULT_PROFILE.outcome_label) -> Optional[int]:
    if cell is None:
        return None
    m = _number(label).match(_cell_n(cell))
    return int(m.group(1)) if m else None


def _part(profile: Profile, *roles: str) -> Optional[Section]:
    """The profile's part with the first of ``roles`` it has (York's actions table is in its outcomes part)."""
    return next((s for s in map(profile.with_role, roles) if s is not None), None)


def _enter(flow: Flow, section: Optional[Section], target: object = None) -> None:
    """Into the grid's part; a profile without it leaves the reader where it was."""
    if section is not None:
        flow.enter(section, target=target)


def _guidance(flow: Flow, section: Optional[Section]) -> Guidance:
    return flow.m.guidance.get(section.key, _NO_GUIDANCE) if section is not None else _NO_GUIDANCE


_NO_GUIDANCE = Guidance(())


def _opens_review(normalised: str, profile: Profile) -> bool:
    """A review table's top row: the date prompt ("Date of review") or the reviews part's number ("Section 6")."""
    prompt, numbers = _review_opening(profile)
    return bool(prompt and prompt in normalised) or normalised.startswith(numbers)


@lru_cache(maxsize=8)
def _review_opening(profile: Profile) -> tuple[str, tuple[str, ...]]:
    """The review date prompt and the reviews part's numbers ("section 6"), normalised, once per profile."""
    section = profile.with_role("reviews")
    numbers = {norm(h.split(":", 1)[0]) for h in (section.headings if section else ()) if ":" in h}
    return norm(profile.review_date_prompt or ""), tuple(n for n in numbers if n)


# Letters OCR reads in place of digits: "Outcome l" is outcome 1.
_LOOKS_LIKE_DIGIT = str.maketrans("lij|!oqszbg", "11111005269")


def unread_outcome_number(cell: Optional[Cell], previous: int, profile: Profile) -> Optional[int]:
    """The number of an outcome row labelled as one ("Outcome l", "Outcome a4") but not with a number.

    Letters OCR takes for digits are read as those digits; otherwise the
    outcome is numbered after the one before it (the caller warns).
    """
    if cell is None or _column_label(cell.text, profile.outcome_label):
        return None
    m = re.match(re.escape(norm(profile.outcome_label)) + r"\s*(\S{0,3})$", _cell_n(cell))
    if not m:
        return None
    digits = m.group(1).translate(_LOOKS_LIKE_DIGIT)
    return int(digits) if digits.isdecimal() and 0 < int(digits) < 100 else previous + 1


def _column_label(text: str, label: str) -> bool:
    """A header row's cell: the label alone, or its plural ("Outcome", "Outcomes:", "Outcome(s)")."""
    return re.fullmatch(re.escape(label) + r"(?:s|\(s\))?\s*[:.]?", text.strip(), re.IGNORECASE) is not None


@by_identity
def _column_wording(columns: tuple[Column, ...]) -> Wording[Column]:
    return Wording(((w, c) for c in columns for w in c.wordings), fuzzy=False)


_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def _squashed(text: str) -> str:
    """Letters and digits only: "What needs tohappento | help me" -> "whatneedstohappentohelpme"."""
    return _NOT_LETTERS.sub("", text.lower())


# Squashed wordings shorter than this ("Who") are too easily met.
SQUASHED_LEAST = 5


@by_identity
def _squashed_wording(columns: tuple[Column, ...]) -> tuple[dict[str, tuple[tuple[str, Column], ...]], int]:
    """Each column's wordings squashed, longest first, by their first SQUASHED_LEAST letters; and the longest's length."""
    pairs = dict.fromkeys((_squashed(w), c) for c in columns for w in c.wordings)
    by_start: dict[str, list[tuple[str, Column]]] = {}
    for pair in sorted((p for p in pairs if len(p[0]) >= SQUASHED_LEAST), key=lambda p: -len(p[0])):
        by_start.setdefault(pair[0][:SQUASHED_LEAST], []).append(pair)
    return {start: tuple(found) for start, found in by_start.items()}, max(map(len, (p[0] for p in pairs)), default=0)


# A cell's text is squashed this far first: a header's wording is its start (a long cell is written text).
SQUASH_WINDOW = 256
# ... and before that, only this far: squashing keeps each character's letters in place (a cut text's
# squashed form starts the whole's), so a start no wording has turns a cell away without the window.
SQUASH_PEEK = 16


def _squashed_match(paragraphs: list[Paragraph], wording: tuple[dict[str, tuple[tuple[str, Column], ...]], int]) -> Optional[Column]:
    """A header (a cell's paragraphs, ``wording`` the columns' ``_squashed_wording``) as OCR reads it:
    spaces lost or added, borders read as "|"."""
    by_start, longest = wording
    text = paragraphs[0].text if len(paragraphs) == 1 else "\n".join(p.text for p in paragraphs)  # the cell's
    peek = _squashed(text[:SQUASH_PEEK])
    if len(peek) >= SQUASHED_LEAST and peek[:SQUASHED_LEAST] not in by_start:
        return None  # most cells: written text, whose first letters start no wording
    squashed = peek if len(text) <= SQUASH_PEEK else _squashed(text[:SQUASH_WINDOW])  # the start of the whole text squashed ...
    if len(squashed) < longest and len(text) > SQUASH_WINDOW:
        squashed = _squashed(text)  # ... unless too short to hold the longest wording
    found = by_start.get(squashed[:SQUASHED_LEAST], ())
    return next((item for wording, item in found if squashed.startswith(wording)), None)


def header_columns(row: Row, columns: tuple[Column, ...], least: int, table: Optional[Table] = None) -> Optional[dict[int, str]]:
    """Grid column -> field, when ``row`` is a header naming ``least`` columns or more (``table``: the
    row's, whose rows' readings are kept while it is the one read: ``header_cells``)."""
    found = header_cells(row, columns, least, table)
    return {col: column.field for col, column in found.items()} if found else None


def header_cells(
    row: Row, columns: tuple[Column, ...], least: int, table: Optional[Table] = None
) -> Optional[dict[int, Column]]:
    """Grid column -> the profile's Column its header names (each field once), as ``header_columns``.
    Each of ``table``'s rows is read once for each set of columns: the classifier, the landmarks and the
    grid's reader ask of the same first rows."""
    if len(row.cells) < least:
        return None
    if table is None:
        return _header_cells(row, columns, least)
    memo, key = _heads(table), (id(row), id(columns), least)
    hit = memo.get(key)
    if hit is None or hit[0] is not row or hit[1] is not columns:
        hit = memo[key] = (row, columns, _header_cells(row, columns, least))
    return dict(hit[2]) if hit[2] is not None else None


# The header readings of the table being read, in each thread: kept with their table (one table:
# released when the next is read, or by ``forget``), the rows and columns with them (their ids stay theirs).
_HEADS = threading.local()


def _heads(table: Table) -> dict[tuple[int, int, int], tuple[Row, tuple[Column, ...], Optional[dict[int, Column]]]]:
    if getattr(_HEADS, "table", None) is not table:
        _HEADS.table, _HEADS.memo = table, {}
    return _HEADS.memo  # type: ignore[no-any-return]


def forget() -> None:
    """Let go of this thread's table and its header readings, once a read has ended."""
    _HEADS.__dict__.clear()


def _header_cells(row: Row, columns: tuple[Column, ...], least: int) -> Optional[dict[int, Column]]:
    wording, squashed = _column_wording(columns), _squashed_wording(columns)
    found: dict[int, Column] = {}
    fields: set[str] = set()
    cells = row.cells
    for i, cell in enumerate(cells):
        if len(fields) + len(cells) - i < least:
            return None  # too few cells left to name ``least`` columns
        paragraphs = cell.paragraphs()
        if not paragraphs:
            continue  # an empty cell names none
        m = _header_match(wording, paragraphs[0])
        item = m.item if m is not None else _squashed_match(paragraphs, squashed)  # a PDF's "No. of outco" / "me"
        if item is not None and item.field not in fields:
            fields.add(item.field)
            for col in range(cell.col, cell.col + min(cell.col_span, MAX_HEADER_SPAN)):
                found[col] = item
    return found if len(fields) >= least else None


def _header_match(wording: Wording[Column], para: Paragraph) -> Optional[Match[Column]]:
    """The column a header cell's first paragraph names: by its first line, or by all its lines."""
    line = line_of(para)
    first = para.text.split("\n", 1)[0]
    found = wording.match(Line(first, exact=line.exact)) if first != para.text else None
    return found or wording.match(line)


def classify(table: Table, profile: Profile) -> str:
    """"review", "provision", "outcomes" or "flow"."""
    for row in table.rows[:3]:
        text = norm(" ".join(c.text for c in row.cells))
        if _opens_review(text, profile):
            return "review"
        if header_columns(row, profile.provision_columns, 3, table):
            return "provision"
        if header_columns(row, profile.review_progress_columns, 2, table):
            return "review"
    if table.columns < 2:
        return "flow"
    label = norm(profile.outcome_label)
    for row in table.rows:
        if row.cells and row.cells[0].col == 0 and re.match(label + r"\s*\d+$", _cell_n(row.cells[0])):
            return "outcomes"
    if any(_names_outcome_columns(row, profile) for row in table.rows[:3]):
        return "outcomes"  # a school's table whose rows are numbered "1", "2", ...
    return "flow"


def _names_outcome_columns(row: Row, profile: Profile) -> bool:
    """A header row over outcomes: "Outcome(s) | ... | Education | Health | Social Care"."""
    first = _cell_at(row, 0)
    if first is None or not _column_label(first.text, profile.outcome_label):
        return False
    found = {_support_field(c.text, profile) for c in row.cells}
    return len(found - {None}) >= 2


def _cell_at(row: Row, col: int) -> Optional[Cell]:
    for cell in row.cells:
        if cell.col <= col < cell.col + cell.col_span:
            return cell
    return None


def _mark(cell: Cell) -> Optional[bool]:
    boxes = [i for p in cell.paragraphs() for i in p.inlines if isinstance(i, TickBox)]
    if boxes:
        if any(b.checked for b in boxes):
            return True
        return None if any(b.checked is None for b in boxes) else False
    text = cell.text
    if not is_blank(text) and all(p.confidence is not None for p in cell.paragraphs()):
        return _read_mark(text)
    if _UNMAPPED.fullmatch(text):
        return None  # a glyph the PDF maps to no character (a box in a font it did not embed): ticked or not unknown
    return not is_blank(text) and norm(text) not in _NO_MARK


# A PDF text layer's characters with no Unicode (pdfminer's "(cid:N)"), and nothing else but space.
_UNMAPPED = re.compile(r"\s*(?:\(cid:\d+\)\s*)+")


# A tick box OCR read as letters, where the box finder missed it: what its shape says.
_TICK_SHAPES = re.compile(r"[xXvV\u221a\u2713\u2714\u2612\u2611]")  # a cross or a tick ("[x]", "ix]", "Xx)")
_BOX_SHAPES = re.compile(r"[\sUuLlIiJj|\[\](){}0Oo\u2610_.,:;'\"\u2018\u2019\u201c\u201d~-]+")  # an empty box ("LJ", "[ ]", "U")


def _read_mark(text: str) -> Optional[bool]:
    """A Supported-by cell's mark read from pixels as text: a cross or a tick is ticked, a box's
    outline alone empty, a word (yes, no) as typed; anything else unknown (the caller warns)."""
    n = norm(text)
    if n in _NO_MARK or n in {"yes", "y"}:
        return n in {"yes", "y"}
    if _TICK_SHAPES.search(text):
        return True
    return False if _BOX_SHAPES.fullmatch(text) else None


def _feed_row(flow: Flow, row: Row, header: Optional[dict[int, Optional[tuple[str, str]]]] = None) -> None:
    """Each cell's paragraphs to the flow; but a header cell (``header``, by id) is
    template wording: none, or the prompt and the label of "Supported by: Education",
    fed as two lines (the flow would take what follows a prompt for an answer)."""
    for cell in row.cells:
        if header and id(cell) in header:
            for wording in header[id(cell)] or ():
                flow.feed(Paragraph([Run(wording)]))
            continue
        for para in cell.paragraphs():
            flow.feed(para)


# --- outcomes ------------------------------------------------------------------


@dataclass(slots=True)
class _OutcomeRows:
    number: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    marks: dict[str, Optional[bool]] = field(default_factory=dict)
    numbered: list[Paragraph] = field(default_factory=list)  # where the number was read
    boxes: dict[str, list[TickBox]] = field(default_factory=dict)  # where each mark was read
    said: dict[str, list[Paragraph]] = field(default_factory=dict)  # or the text it was read from


@lru_cache(maxsize=8)
def _support_labels(profile: Profile) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """The Supported-by labels squashed ("socialcare") -> field, alone or after the
    group's own wording in one cell ("Supported by: Education"); and for the latter,
    squashed -> (the group's wording, the label's wording)."""
    labels = {_squashed(w): (c.field, w) for c in profile.supported_by for w in c.wordings}
    leads = {_squashed(w): w for w in support_leads(profile) if _squashed(w) not in labels}
    fields = {key: f for key, (f, _) in labels.items()}
    led: dict[str, tuple[str, str]] = {}
    for lead, wording in leads.items():
        for key, (f, label) in labels.items():
            fields[lead + key] = f
            led[lead + key] = (wording, label)
    return fields, led


def _support_field(text: str, profile: Profile, squashed: Optional[str] = None) -> Optional[str]:
    """The Supported-by field a header cell names: its label squashed ("Educ ation"), or as OCR
    reads a narrow column's header: its two lines in the wrong order ("Care Social"), or a letter
    or two off ("Educatio:on"). ``squashed``: the text squashed, when the caller has it."""
    labels, _ = _support_labels(profile)
    if squashed is None:
        squashed = _squashed(text)
    if squashed in labels or len(squashed) < 5:
        return labels.get(squashed)
    for key, name in labels.items():
        turned = len(key) == len(squashed) and squashed in key + key
        if len(key) >= 5 and (turned or _close(squashed, key)):
            return name
    return None


def _close(a: str, b: str) -> bool:
    """A letter or two off: at least 0.8 alike (difflib's ratio)."""
    total = len(a) + len(b)
    if total and 2.0 * min(len(a), len(b)) / total < 0.8:
        return False  # real_quick_ratio, as difflib works it out from the lengths alone: no matcher made
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # The quick ratios are upper bounds of the ratio: most header cells are far off every label.
    return matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8


def _support_columns(table: Table, profile: Profile) -> tuple[dict[int, str], dict[int, Optional[tuple[str, str]]]]:
    """Grid column -> Supported-by field, from the rows above the first outcome; and
    the header cells (by id) ``_feed_row`` reads apart: "Outcome" over the number
    column (None: no outcome, nothing written) and a label led by "Supported by:"
    (its two wordings)."""
    labels, led = _support_labels(profile)
    columns: dict[int, str] = {}
    header: dict[int, Optional[tuple[str, str]]] = {}
    for row in table.rows:
        first = _cell_at(row, 0)
        if row_number(first, profile.outcome_label) is not None:
            break
        for cell in row.cells:
            # Compared without spaces: a narrow column may break "Education" inside the word.
            text = cell.text
            squashed = _squashed(text)
            key = _support_field(text, profile, squashed)
            if key is not None:
                columns[cell.col] = key
            if squashed in led:
                header[id(cell)] = led[squashed]
            elif cell is first and _column_label(text, profile.outcome_label):
                header[id(cell)] = None
    return columns, header


def read_outcomes(table: Table, flow: Flow) -> None:
    profile = flow.profile
    _enter(flow, profile.with_role("outcomes"))
    support_cols, header = _support_columns(table, profile)
    found: list[_OutcomeRows] = []
    current: Optional[_OutcomeRows] = None
    for row in table.rows:
        first = row.cells[0] if row.cells and row.cells[0].col == 0 else None
        number = row_number(first, profile.outcome_label)
        if number is None:
            number = unread_outcome_number(first, found[-1].number if found else 0, profile)
            if number is not None:
                flow.draft.warn("outcome-number-unread", flow.where, once=False)
        if number is not None:
            current = _OutcomeRows(number, numbered=first.paragraphs() if first is not None else [])
            found.append(current)
        elif first is not None or current is None:
            current = None
            _feed_row(flow, row, header)
            continue
        for cell in row.cells:
            if cell is first:
                continue
            key = support_cols.get(cell.col)
            if key:
                mark = _mark(cell)
                if mark is None:
                    flow.draft.warn("tick-box-unknown", flow.where)
                if current.marks.get(key) is not True:
                    current.marks[key] = mark
                current.boxes.setdefault(key, []).extend(i for p in cell.paragraphs() for i in p.inlines if isinstance(i, TickBox))
                current.said.setdefault(key, []).extend(cell.paragraphs())
            else:
                current.paragraphs.extend(cell.paragraphs())
    for rows in found:
        outcome = _outcome(rows, flow, support_cols)
        if outcome is not None:
            flow.draft.plan.outcomes.append(outcome)
            flow.draft.read_into(outcome, "number", flow.where, rows.numbered)
            for key, boxes in rows.boxes.items():
                flow.draft.read_into(outcome.supported_by, key, flow.where, () if boxes else rows.said.get(key, ()), boxes)
    flow.end_table()


def _outcome(rows: _OutcomeRows, flow: Flow, support_cols: dict[int, str]) -> Optional[Outcome]:
    profile = flow.profile
    able = able_pattern(profile.statement_prompt)
    lead = norm(profile.key_stage_lead)
    guidance = _guidance(flow, profile.with_role("outcomes"))
    # Guidance in an outcome box is whole sentences; a short line is what a
    # person wrote, even where the template's examples name the same areas.
    # The areas prompt is matched as ``line_of`` makes the line (text the file stored: exactly); the guidance
    # keeps its tolerances whoever wrote the text: editions of the form word their help differently (a typo,
    # a word more), and help left in a box is never what a person wrote.
    written = [
        p for p in rows.paragraphs
        if not is_blank(p.text)
        and (flow.m.areas.match(line_of(p)) is not None or len(p.text.split()) < 6 or p.text not in guidance)
    ]
    # The statement starts at "By the end of..." or "...will be able to"; what
    # comes before it is the areas of need, however many lines it took.
    start = next((i for i, p in enumerate(written) if able.search(p.text) or lead and line_of(p).n.startswith(lead)), None)
    if start is None:
        start = next((i for i, p in enumerate(written) if flow.m.areas.match(line_of(p)) is None
                      and not areas_of_need(p.text, profile)), len(written))
    areas_text = []
    for para in written[:start]:
        m = flow.m.areas.match(line_of(para))
        areas_text.append(para.text[m.rest_at:] if m is not None else para.text)
    statement = _statement(written[start:], flow, able)
    supported = SupportedBy(**{key: rows.marks.get(key, False) for key in set(support_cols.values())})
    areas = areas_of_need(" ".join(areas_text), profile)
    if statement is None and not areas and not any(rows.marks.values()):
        return None
    return Outcome(
        number=rows.number,
        areas_of_need=areas,
        key_stage=key_stage(written[start].text, profile.key_stage_lead) if start < len(written) else None,
        statement=statement,
        supported_by=supported,
    )


def _statement(paragraphs: list[Paragraph], flow: Flow, able: re.Pattern[str]) -> Optional[Entry]:
    """The statement: the first line from "will be able to" on, and the lines that go on with it
    ("...will be able to:" then bullets)."""
    lines: list[list[Piece]] = []
    deleted = False
    for i, para in enumerate(paragraphs):
        found = able.search(para.text) if i == 0 else None
        line, gone = pieces(para, found.end() if found else 0)
        lines.append(line if i == 0 else [("\n", False)] + line)
        deleted |= gone
    if not lines:
        return None
    written = make_entry([p for line in lines for p in line], deleted, flow.m.markers)
    if written is None:
        return None
    statement = flow.draft.noticed(written, flow.where)
    statement.text = statement_text(statement.text)
    return statement


# --- provision -------------------------------------------------------------------


# A provision row whose number did not read from a scan is still a row of its own when this many
# of its other cells are written in (the rest of a row cut by a page break seldom fills so many).
FILLED_ACROSS = 4


def read_provision(table: Table, flow: Flow) -> None:
    """A provision table (York's actions table): a Provision per numbered row, each
    cell's lines into the field its column's header names (found by wording, not position)."""
    profile = flow.profile
    section = _part(profile, "provision", "outcomes")
    _enter(flow, section)
    columns: Optional[dict[int, Column]] = None
    current: Optional[Provision] = None
    notes = norm(profile.provision_notes_label)
    made: list[tuple[Provision, bool]] = []  # each with whether its costs column is a weekly one
    for index, row in enumerate(table.rows):
        header = header_cells(row, profile.provision_columns, 3, table)
        if header:
            columns, current = _repeated_header(columns, header), None
            continue
        if columns is None:
            _feed_row(flow, row)
            continue
        number_col = next((c for c, col in columns.items() if col.field == "outcome_number"), 0)
        first = _cell_at(row, number_col)
        if first is not None and first.col != number_col:
            first = None
        if first is not None and _cell_n(first) == notes:
            _feed_notes(flow, row, section)
            continue
        number = row_number(first, profile.outcome_label)
        if number is None and _number_unread(first, row, table.rows[index - 1] if index else None):
            number = made[-1][0].outcome_number + 1 if made else 1
            flow.draft.warn("outcome-number-unread", flow.where, once=False)
        if number is not None:
            current = Provision(outcome_number=number)
            made.append((current, any(c.weekly for c in columns.values() if c.field == "resources")))
            flow.draft.plan.provision.append(current)
            flow.draft.read_into(current, "outcome_number", flow.where, first.paragraphs() if first is not None else [])
        elif current is None:
            _feed_row(flow, row)
            continue
        _provision_cells(row, first, columns, current, flow)
    for provision, weekly in made:
        provision.weekly_cost_gbp = weekly_cost(provision.resources, weekly)
    flow.draft.plan.provision[:] = [p for p in flow.draft.plan.provision if _has_content(p)]
    flow.end_table()


def _repeated_header(before: Optional[dict[int, Column]], header: dict[int, Column]) -> dict[int, Column]:
    """A header row's columns. A header printed again (on each page of a long table) names the same
    columns: one of its cells that did not read keeps what the header before said of that column."""
    named = {c.field for c in header.values()}
    kept = {col: c for col, c in (before or {}).items() if col not in header and c.field not in named}
    return {**kept, **header}


def _provision_cells(row: Row, first: Optional[Cell], columns: dict[int, Column], current: Provision, flow: Flow) -> None:
    """A provision row's cells but its number: each line an entry of its column's field (else unmapped)."""
    for cell in row.cells:
        if cell is first:
            continue
        column = columns.get(cell.col)
        for line, deleted in marker_lines([pieces(p) for p in cell.paragraphs()], flow.m.markers):
            written = make_entry(line, deleted, flow.m.markers)
            if written is None:
                continue
            entry = flow.draft.noticed(written, flow.where)
            if column is None or column.field == "outcome_number" or not hasattr(current, column.field):
                flow.draft.unmapped(flow.where, entry.text)
            else:
                getattr(current, column.field).append(entry)


def _feed_notes(flow: Flow, row: Row, section: Optional[Section]) -> None:
    """The provision table's "Notes" row: a cell that is the template's guidance as a
    whole is passed over, however a PDF's narrow column cut it into paragraphs."""
    guidance = _guidance(flow, section)
    for cell in row.cells:
        paragraphs = cell.paragraphs()
        if len(paragraphs) > 1 and Line(" ".join(p.text for p in paragraphs)) in guidance:
            continue
        for para in paragraphs:
            flow.feed(para)


def _number_unread(first: Optional[Cell], row: Row, before: Optional[Row]) -> bool:
    """A provision row read from pixels whose number did not read (nothing, or letters OCR made of
    one) but filled across: a row of its own. Not a row with no number cell (the one above spans
    it), nor the first row on a new page: that may be the rest of a row the page break cut."""
    if first is None:
        return False
    text = _cell_n(first)
    if len(text) > 3 or any(c.isdigit() for c in text):
        return False
    filled = [c for c in row.cells if c is not first and any(ch.isalnum() for ch in c.text)]
    read = [p for c in filled for p in c.paragraphs()]
    if len(filled) < FILLED_ACROSS or not all(p.confidence is not None for p in read):
        return False
    return before is None or min(_pages(row), default=None) == max(_pages(before), default=None)


def _pages(row: Row) -> list[int]:
    """The pages a row's lines were read from."""
    return [p.page for c in row.cells for p in c.paragraphs() if p.page is not None]


def _has_content(p: Provision) -> bool:
    """Something written in the row: a word or a number, not a speck OCR read as "="."""
    fields = (p.steps, p.targets, p.actions, p.who, p.frequency, p.resources)
    return any(any(ch.isalnum() for ch in e.text) for entries in fields for e in entries)


# --- reviews -------------------------------------------------------------------------


def read_review(table: Table, flow: Flow) -> None:
    profile = flow.profile
    plan = flow.draft.plan
    review = Review(label="R1")
    heading = flow.review_heading
    flow.review_heading = None
    _enter(flow, profile.with_role("reviews"), review)
    label: Optional[str] = None
    has_date_text = False
    columns: Optional[dict[int, str]] = None
    inferred = _progress_numbers(table.rows, profile)
    for index, row in enumerate(table.rows):
        text = " ".join(c.text for c in row.cells) if label is None and index < 3 else ""
        n = norm(text)
        if n and (_opens_review(n, profile) or _review_label(n, profile)):
            heading = text
            label = _review_label(n, profile)
            has_date_text = review_date(text, review, flow, profile)
            continue
        header = header_columns(row, profile.review_progress_columns, 2, table)
        if header:
            columns = header
            continue
        first = row.cells[0] if row.cells and row.cells[0].col == 0 else None
        numbered = columns is not None or first is not None and first.col_span == 1
        number = row_number(first, profile.outcome_label) if numbered else None
        if numbered and id(row) in inferred:
            number = inferred[id(row)]
            flow.draft.warn("outcome-number-unread", flow.where, once=False)
        if number is not None and len(row.cells) > 1:
            _progress_row(row, number, review, flow)
            continue
        _feed_row(flow, row)
    if label is None and heading is not None:
        label = _review_label(norm(heading), profile)
        has_date_text = review_date(heading, review, flow, profile) or has_date_text
    labels = flow.m.markers  # the profile's review labels, in order
    review.label = label or labels[min(len(plan.reviews), len(labels) - 1)]  # type: ignore[assignment]
    if review.date or has_date_text or review.progress or review.working_well or review.not_working or review.new_to_introduce:
        plan.reviews.append(review)
    flow.end_table()


def _progress_numbers(rows: list[Row], profile: Profile) -> dict[int, int]:
    """Row (by id) -> its number, where a progress table's number column read from pixels
    says it wrongly: the rows are numbered in order, so a number that is unreadable ("Al"),
    or out of step where the rows either side agree ("1", "12", "3"), is the one before it + 1."""
    out: dict[int, int] = {}
    for run in _number_runs(rows, profile):
        before = 0
        for i, (row, read) in enumerate(run):
            after = run[i + 1][1] if i + 1 < len(run) else None
            if read != before + 1 and (read is None or after == before + 2):
                out[id(row)] = read = before + 1
            before = read if read is not None else before + 1
    return out


def _number_runs(rows: list[Row], profile: Profile) -> list[list[tuple[Row, Optional[int]]]]:
    """Runs of consecutive rows whose first cell is a short thing read from pixels (a number,
    or letters OCR made of one), each with the number read (None: none)."""
    runs: list[list[tuple[Row, Optional[int]]]] = [[]]
    for row in rows:
        first = row.cells[0] if len(row.cells) > 1 and row.cells[0].col == 0 and row.cells[0].col_span == 1 else None
        paragraphs = first.paragraphs() if first is not None else []
        short = 0 < len(_cell_n(first) if first is not None else "") <= 3
        if short and paragraphs and all(p.confidence is not None for p in paragraphs):
            runs[-1].append((row, row_number(first, profile.outcome_label)))
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]


def _progress_row(row: Row, number: int, review: Review, flow: Flow) -> None:
    """A numbered row of a review's progress table: the outcome's progress and its rating."""
    progress = Progress(outcome_number=number)
    flow.draft.placed(progress, "outcome_number", row.cells[0].paragraphs())
    for cell in row.cells[1:]:
        for line, deleted in marker_lines([pieces(p) for p in cell.paragraphs()], flow.m.markers):
            written = make_entry(line, deleted, flow.m.markers)
            if written is not None:
                progress.text.append(flow.draft.noticed(written, flow.where))
    if progress.text:
        progress.rating = rating(" ".join(e.text for e in progress.text))  # type: ignore[assignment]
        review.progress.append(progress)


def _review_label(normalised: str, profile: Profile) -> Optional[str]:
    padded = f" {normalised} "
    # "review 1" is not in "review 10 07 2019"
    return next((label for label, padded_wording in _padded_labels(profile) if padded_wording in padded), None)


@lru_cache(maxsize=8)
def _padded_labels(profile: Profile) -> tuple[tuple[str, str], ...]:
    """Each review label's wordings normalised between spaces, in the profile's order, once per profile."""
    return tuple((label, f" {norm(w)} ") for label, wordings in profile.review_labels for w in wordings)
