"""Several plans in one file: where each begins, and the document cut into one per plan.

Archives hold files with two children's plans in them, or a plan and an old
copy of it. Mapped as one, the second child's details would overwrite the
first's. A new plan starts where a front part of the form (the introduction
heading, the title line "My Support Plan", a plan-number line, a cover line or
row naming a child) appears after the plan being read has already shown a
later part (a heading or prompt of Section 1 onwards).

A cut is kept only when the parts on both sides show at least
``MIN_LATER_PARTS`` of the form's later parts: reports pasted after a plan
(a name line, a heading or two) stay with the plan. Blocks are walked in
document order; one-column tables (a layout table holding the whole plan, a
column of one-cell rows) are looked into, and cut inside and rebuilt when a
plan begins in them. Every step is one pass over the blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator, Optional

from ..layout import Block, Cell, Document, Paragraph, Row, Table, iter_paragraphs
from ..template import Profile
from .flow import matchers
from .front import labels_for
from .text import line_of, new_document, norm

__all__ = ["Division", "Start", "divide", "split", "names_child"]

# A later part of the form (a distinct section) seen this many times on each side of a cut.
MIN_LATER_PARTS = 3
# A heading or prompt is shorter than this, normalised (as the flow's headings are).
MAX_HEADING = 160
# A child's name is a few words.
MAX_NAME_WORDS = 6

# "Name: Kai Dobson", "Child's name: ...", "Name of child | ...", "Full name -".
_NAME_LABEL = (
    r"(?:(?:child|pupil|young\s+person|student)['\u2019]?s?\s+(?:full\s+)?name"
    r"|full\s+name|name(?:\s+of\s+(?:the\s+)?(?:child|pupil|young\s+person))?)"
)
_NAME_LINE = re.compile(r"^\s*" + _NAME_LABEL + r"\s*[:\-\u2013|\t]\s*(?P<value>.+)$", re.IGNORECASE | re.DOTALL)
_NAME_CELL = re.compile(r"^\s*" + _NAME_LABEL + r"\s*:?\s*$", re.IGNORECASE)
# Where a name stops when other labels share its line ("Name: Kai Dobson   DOB: ...").
_NAME_END = re.compile(
    r"\s{2,}|\t|\n|\s(?=(?:d\.?\s?o\.?\s?b|date\s+of\s+birth|year|upn|school|setting|ncy)\b)",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")
_PAGE = re.compile(r"\bpage (\d+)\b")


@dataclass(frozen=True)
class Start:
    """Where a plan after the first begins: the form's wording there (never what a person wrote), its page if known."""

    wording: str
    page: Optional[int] = None

    def describe(self) -> str:
        return self.wording + (f" (page {self.page})" if self.page else "")


@dataclass
class Division:
    """The document cut into one per plan; ``starts[i]`` says where ``plans[i + 1]`` begins."""

    plans: list[Document]
    starts: list[Start] = field(default_factory=list)


def split(document: Document, profile: Profile) -> list[Document]:
    """One document per plan the file holds (the document itself when it holds one)."""
    return divide(document, profile).plans


def divide(document: Document, profile: Profile) -> Division:
    """Find where each plan begins and cut the document there; headers and footers go with every part."""
    new_document(document)
    scan = _Scan(profile)
    for unit in _units(document.body):
        scan.see(unit)
    cuts, children = scan.kept()
    if not cuts:
        return Division([document])
    parts = _Cutter({scan.candidates[i][0] for i in cuts}).blocks(document.body)
    plans = []
    for body, child in zip(parts, children):
        pages = {page for page in (_page(unit.origin) for unit in _units(body)) if page is not None}
        headers, footers = (_margins(blocks, child, pages) for blocks in (document.headers, document.footers))
        plans.append(Document(body=body, headers=headers, footers=footers, pages=document.pages))
    return Division(plans, [scan.candidates[i][1] for i in cuts])


def _margins(blocks: list[Block], child: Optional[str], pages: set[int]) -> list[Block]:
    """A plan's page headers or footers: those of its own pages where the page is known (a PDF's),
    all the others but those naming another child (kept with that child's plan): one plan
    never takes another's name or number from the margin."""
    kept = []
    for block in blocks:
        page = _page(block.origin)
        if page is not None and page not in pages:
            continue
        if child is not None and any(not _same_child(name, child) for name in _names(block)):
            continue
        kept.append(block)
    return kept


def _names(block: Block) -> Iterator[str]:
    """The children a block names: "Name: ..." lines, "Child's name | ..." rows."""
    for para in iter_paragraphs([block]):
        name = names_child(para.text)
        if name is not None:
            yield name
    if isinstance(block, Table):
        for row in block.rows:
            name = _row_name(row)
            if name is not None:
                yield name


def _same_child(one: str, other: str) -> bool:
    """"maisie clarke" and "maisie" name the same child; "maisie clarke" and "oliver bennett" do not."""
    a, b = set(one.split()), set(other.split())
    return a <= b or b <= a


def names_child(text: str) -> Optional[str]:
    """The name on a line such as "Name: Kai Dobson  DOB: ...", normalised; None if the line names no child."""
    m = _NAME_LINE.match(text)
    return _name(m.group("value")) if m else None


def _name(value: str) -> Optional[str]:
    value = _NAME_END.split(value.strip(), maxsplit=1)[0]
    words = norm(value).split()
    if not words or len(words) > MAX_NAME_WORDS or not _LETTER.search(value):
        return None
    return " ".join(words)


# --- walking the blocks -------------------------------------------------------------------


def _layout(table: Table) -> bool:
    """A table of one column: a frame around the plan, or a column of one-cell rows, read through."""
    return table.columns <= 1 and all(len(row.cells) <= 1 for row in table.rows)


def _units(blocks: list[Block]) -> Iterator[Block]:
    """The blocks in document order, one-column tables replaced by what they hold."""
    stack: list[Iterator[Block]] = [iter(blocks)]
    while stack:
        block = next(stack[-1], None)
        if block is None:
            stack.pop()
        elif isinstance(block, Table) and _layout(block):
            stack.append(b for row in block.rows for cell in row.cells for b in cell.blocks)
        else:
            yield block


class _Cutter:
    """The body cut before the units whose numbers (in ``_units`` order) are given; layout tables rebuilt."""

    def __init__(self, cuts: set[int]) -> None:
        self.cuts = cuts
        self.seen = 0

    def blocks(self, blocks: list[Block]) -> list[list[Block]]:
        parts: list[list[Block]] = [[]]
        for block in blocks:
            if isinstance(block, Table) and _layout(block):
                pieces = self._table(block)
            else:
                pieces = [[], [block]] if self.seen in self.cuts else [[block]]
                self.seen += 1
            parts[-1].extend(pieces[0])
            parts.extend(pieces[1:])
        return parts

    def _table(self, table: Table) -> list[list[Block]]:
        """The table's rows cut where a plan begins inside them; each piece a table of its own."""
        pieces: list[list[Row]] = [[]]
        for row in table.rows:
            if not row.cells:
                pieces[-1].append(row)
                continue
            cell = row.cells[0]
            inner = self.blocks(cell.blocks)
            if len(inner) == 1:
                pieces[-1].append(row)
                continue
            for k, blocks in enumerate(inner):
                if k:
                    pieces.append([])
                if blocks:
                    pieces[-1].append(Row([_cell_like(cell, blocks)]))
        return [[Table(rows, table.columns, table.origin)] if rows else [] for rows in pieces]


def _cell_like(cell: Cell, blocks: list[Block]) -> Cell:
    return Cell(blocks, cell.col, cell.col_span, cell.row_span, cell.shaded)


# --- what each unit shows ------------------------------------------------------------------


@dataclass(frozen=True)
class _Signal:
    """A front part of the form (where a plan may begin; the child it names, if it does), or a later part."""

    start: Optional[Start] = None  # set for a front part
    name: Optional[str] = None  # the child a front part names
    part: str = ""  # the section a later part belongs to


def _front(wording: str, origin: str, name: Optional[str] = None) -> _Signal:
    return _Signal(start=Start(wording, _page(origin)), name=name)


class _Scan:
    """One pass: candidate cuts (unit number, start) and the later parts shown between them."""

    def __init__(self, profile: Profile) -> None:
        self.m = matchers(profile)
        self.title = norm(profile.plan_title)
        self.front = profile.with_role("front")
        self.intro = self.front.headings[0] if self.front is not None else profile.plan_title
        self.plan_number = labels_for(profile).plan_number
        self.unit = 0
        self.candidates: list[tuple[int, Start]] = []
        self.later: list[set[str]] = [set()]  # the later parts of the plan before the first cut, then of each
        self.child: Optional[str] = None  # the child the plan being read names
        self.children: list[Optional[str]] = [None]  # the child each part (as ``later``) names first
        self.last_later = -1  # the last unit that showed a later part
        self.page: Optional[int] = None  # the page of the units since ``page_from`` (known for PDFs and scans)
        self.page_from = 0

    def see(self, block: Block) -> None:
        signals = list(self._signals(block))
        self._paged(block)
        first = signals[0] if signals else None
        if first is not None and first.start is not None and self.later[-1]:
            if first.name is None or self.child is None or not _same_child(first.name, self.child):
                self.candidates.append((self._cut_at(), first.start))
                self.later.append(set())
                self.children.append(None)
                self.child = None
        for signal in signals:
            if signal.start is None:
                self.later[-1].add(signal.part)
                self.last_later = self.unit
            elif self.child is None and signal.name is not None:
                self.child = self.children[-1] = signal.name
        self.unit += 1

    def _paged(self, block: Block) -> None:
        page = _page(block.origin)
        if page is None or page != self.page:
            self.page, self.page_from = page, self.unit

    def _cut_at(self) -> int:
        """Where the plan beginning at this unit starts: at the top of its page (a school's name or
        "Confidential" over the title) when the page is known and the plan before ended on an
        earlier page; otherwise here (what follows a plan on its last page is that plan's)."""
        if self.page is None or self.page_from <= self.last_later:
            return self.unit
        return self.page_from

    def kept(self) -> tuple[list[int], list[Optional[str]]]:
        """The indexes (into ``candidates``) of the cuts with enough of a plan on both sides,
        and the child each plan they make names first (None if none)."""
        kept: list[int] = []
        before, children = set(self.later[0]), [self.children[0]]
        for i in range(len(self.candidates)):
            after = self.later[i + 1]
            if len(before) >= MIN_LATER_PARTS and len(after) >= MIN_LATER_PARTS:
                kept.append(i)
                before = set(after)
                children.append(self.children[i + 1])
            else:
                before |= after
                children[-1] = children[-1] or self.children[i + 1]
        return kept, children

    def _signals(self, block: Block) -> Iterator[_Signal]:
        if isinstance(block, Paragraph):
            signal = self._line(block, block.origin)
            if signal is not None:
                yield signal
            return
        for row in block.rows:
            name = _row_name(row)
            if name is not None:
                yield _front("a cover row naming a child", block.origin, name)
            for cell in row.cells:
                for para in cell.paragraphs():
                    signal = self._line(para, para.origin or block.origin)
                    if signal is not None:
                        yield signal

    def _line(self, para: Paragraph, origin: str) -> Optional[_Signal]:
        text = para.text
        if len(text) >= 2 * MAX_HEADING or not text.strip():
            return None
        line = line_of(para)
        if not line.n or len(line.n) >= MAX_HEADING:
            return None
        heading = self.m.headings.match(line)
        if heading is not None:
            if heading.item is not None and heading.item is self.front:
                return _front(f"the heading '{self.intro}'", origin)
            return _Signal(part=heading.item.key if heading.item is not None else "group")
        if line.n == self.title:
            return _front("the title line", origin)
        if self.plan_number is not None and self.plan_number.match(line.n):
            return _front("a plan-number line", origin)
        name = names_child(text)
        if name is not None:
            return _front("a line naming a child", origin, name)
        # Once this stretch shows enough later parts for ``kept``, another part only moves
        # ``last_later``, which the prompts as printed settle: the costly edited-wording match is spared.
        prompt = self.m.global_prompts.match(line, fuzzy=len(self.later[-1]) < MIN_LATER_PARTS)
        if prompt is not None and prompt.item[0] is not self.front:
            return _Signal(part=prompt.item[0].key)
        return None


def _row_name(row: Row) -> Optional[str]:
    """The name in a cover table's row "Child's name | Kai Dobson", normalised."""
    if len(row.cells) < 2 or not _NAME_CELL.match(row.cells[0].text) or _header_row(row):
        return None
    return _name(" ".join(c.text for c in row.cells[1:]))


def _header_row(row: Row) -> bool:
    """"Name | Role | Contact", "Name | Role": a table's column headers, not a cover row naming a
    child (whose name is more than one word; a lone first name only loses this one sign of a plan)."""
    texts = [c.text.strip() for c in row.cells if c.text.strip()]
    labels = all(len(t.split()) <= 3 and not re.search(r"[\d:]", t) for t in texts)
    return labels and (len(texts) >= 3 or (len(texts) == 2 and len(texts[1].split()) == 1))


@lru_cache(maxsize=1024)  # a document's blocks share a few origins ("document.xml", "page 3")
def _page(origin: str) -> Optional[int]:
    m = _PAGE.search(origin or "")
    return int(m.group(1)) if m else None
