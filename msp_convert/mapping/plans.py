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

from ..layout import Block, Cell, Document, Row, Table, iter_paragraphs
from ..template import Profile, Section
from .flow import matchers
from .front import labels_for
from .landmarks import DocumentLines, document_lines, reads_through
from .text import Line, LineIndex, Match, norm

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
    """One document per plan the file holds (the document itself when it holds one). The document
    must not change once read (``divide``)."""
    return divide(document, profile).plans


def divide(document: Document, profile: Profile) -> Division:
    """Find where each plan begins and cut the document there; headers and footers go with every part.
    The document's walk is kept while it is the one read: a Document changed in place after it was
    read may be divided as it was; build a new Document instead (``layout.Document``)."""
    lines = document_lines(document)
    scan = _Scan(profile, lines)
    scan.run()
    cuts, children = scan.kept()
    if not cuts:
        return Division([document])
    at = [scan.candidates[i][0] for i in cuts]
    parts = _Cutter(set(at)).blocks(document.body)
    plans = []
    for body, child, lo, hi in zip(parts, children, [0, *at], [*at, len(lines.origins)]):
        pages = set(scan.pages()[lo:hi]) - {None}  # its units' pages (the walk's units, as ``_Cutter`` counts)
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


class _Cutter:
    """The body cut before the units whose numbers are given (numbered as ``landmarks.document_lines``
    numbers them: the blocks in document order, one-column tables replaced by what they hold); layout
    tables rebuilt."""

    def __init__(self, cuts: set[int]) -> None:
        self.cuts = cuts
        self.seen = 0

    def blocks(self, blocks: list[Block]) -> list[list[Block]]:
        parts: list[list[Block]] = [[]]
        for block in blocks:
            if isinstance(block, Table) and reads_through(block):
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


@dataclass(frozen=True)
class _Kind:
    """What a line is to the divider, whatever its place: a front part (its wording, the child it
    names), or a later part (``part``); ``match``: a prompt of a later part it may be is matched
    when the scan reaches it, with the tolerances the scan then needs (a line read from pixels, or
    a stored line no exact form of any wording takes, while the edited wordings are looked for)."""

    front: Optional[str] = None
    name: Optional[str] = None
    part: Optional[str] = None
    match: bool = False


_EDITED = _Kind(match=True)


# The first words (normalised) of a line naming a child (``_NAME_LINE``); and the letters that match
# one of its label's letters whatever their case: a line holding one is tried whatever its first word.
_NAME_FIRST = ("child", "childs", "pupil", "pupils", "young", "student", "students", "full", "name")
_FOLDS_TO_LABEL = re.compile("[\u0130\u0131\u017f\u212a]")


class _Scan:
    """One pass: candidate cuts (unit number, start) and the later parts shown between them."""

    def __init__(self, profile: Profile, lines: DocumentLines) -> None:
        self.m = matchers(profile)
        self.lines = lines
        self.title = norm(profile.plan_title)
        self.front = profile.with_role("front")
        self.intro = self.front.headings[0] if self.front is not None else profile.plan_title
        self.plan_number = labels_for(profile).plan_number
        self.number_words = {norm(w).split(" ", 1)[0] for w in profile.plan_number}
        self.kinds = self._kinds(lines.headings(profile))
        self.candidates: list[tuple[int, Start]] = []
        self.later: list[set[str]] = [set()]  # the later parts of the plan before the first cut, then of each
        self.child: Optional[str] = None  # the child the plan being read names
        self.children: list[Optional[str]] = [None]  # the child each part (as ``later``) names first
        self.last_later = -1  # the last unit that showed a later part
        self._pages: Optional[list[Optional[int]]] = None  # each unit's page, read once when needed
        self._tops: Optional[list[int]] = None  # the first unit of each unit's page (itself if none)
        # This stretch shows too few later parts for ``kept``: the prompts' edited wordings are looked
        # for. After, another part only moves ``last_later``, which the prompts as printed settle.
        self.edited = True

    def run(self) -> None:
        """The units that show a part of the form, in order, each seen with its signals."""
        kinds = self.kinds
        at, signals = -1, []
        for unit, origin, what in self.lines.items:
            if unit != at:  # a unit's signals are all read before it is seen
                if signals:
                    self.see(at, signals)
                    signals = []
                at = unit
            if type(what) is Row:
                name = _row_name(what) if len(what.cells) > 1 else None  # type: ignore[union-attr,arg-type]
                signal = _front("a cover row naming a child", origin, name) if name is not None else None
            elif what in kinds:
                signal = self._signal(what, kinds[what], origin)  # type: ignore[index,arg-type]
            elif self.edited and len(what.text) < 2 * MAX_HEADING:  # type: ignore[union-attr]
                signal = self._signal(what, _EDITED, origin)  # type: ignore[arg-type]
            else:
                continue
            if signal is not None:
                signals.append(signal)
        if signals:
            self.see(at, signals)

    def see(self, unit: int, signals: list[_Signal]) -> None:
        first = signals[0]
        if first.start is not None and self.later[-1]:
            if first.name is None or self.child is None or not _same_child(first.name, self.child):
                self.candidates.append((self._cut_at(unit), first.start))
                self.later.append(set())
                self.children.append(None)
                self.child = None
        for signal in signals:
            if signal.start is None:
                self.later[-1].add(signal.part)
                self.last_later = unit
            elif self.child is None and signal.name is not None:
                self.child = self.children[-1] = signal.name
        self.edited = len(self.later[-1]) < MIN_LATER_PARTS

    def _cut_at(self, unit: int) -> int:
        """Where the plan beginning at this unit starts: at the top of its page (a school's name or
        "Confidential" over the title) when the page is known and the plan before ended on an
        earlier page; otherwise here (what follows a plan on its last page is that plan's)."""
        if self._tops is None:
            self._tops = self._page_tops()
        start = self._tops[unit]
        return unit if start <= self.last_later else start

    def pages(self) -> list[Optional[int]]:
        """Each unit's page (None where the origin names none), read once."""
        if self._pages is None:
            self._pages = [_page(origin) for origin in self.lines.origins]
        return self._pages

    def _page_tops(self) -> list[int]:
        """Each unit's first unit on its page (the unit itself where its page is not known): one pass."""
        pages, tops = self.pages(), []
        for unit, page in enumerate(pages):
            tops.append(tops[-1] if unit and page is not None and pages[unit - 1] == page else unit)
        return tops

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

    def _signal(self, line: Line, kind: _Kind, origin: str) -> Optional[_Signal]:
        if kind.front is not None:
            return _front(kind.front, origin, kind.name)
        part = self._part(self.m.global_prompts.match(line, fuzzy=self.edited)) if kind.match else kind.part
        return _Signal(part=part) if part is not None else None

    # --- what each line is, once per document ---------------------------------------------

    def _kinds(self, headings: "dict[Line, Match[Optional[Section]]]") -> dict[Line, _Kind]:
        """The lines that may be a part of the form, and what each is: looked up, not matched, for
        the lines the file stored (``LineIndex``); a line is a heading, the title line, a plan-number
        line, a line naming a child or a prompt of a later part, the first of these it is."""
        index = self.lines.index
        numbered = set(self._numbered(index))
        named = {line: name for line in self._may_name(index) if (name := names_child(line.text)) is not None}
        prompts = self.m.global_prompts.matches(index, fuzzy=False, read=False)
        kinds = {}
        for line in dict.fromkeys([*headings, *index.with_n([self.title]), *numbered, *named, *prompts, *index.read]):
            if len(line.text) < 2 * MAX_HEADING:
                kind = self._kind(line, headings.get(line), line in numbered, named.get(line), prompts.get(line))
                if kind is not None:
                    kinds[line] = kind
        return kinds

    def _kind(self, line: Line, heading: Optional[Match], numbered: bool, name: Optional[str], prompt: Optional[Match]) -> Optional[_Kind]:
        if heading is not None:
            if heading.item is not None and heading.item is self.front:
                return _Kind(front=f"the heading '{self.intro}'")
            return _Kind(part=heading.item.key if heading.item is not None else "group")
        if line.n == self.title:
            return _Kind(front="the title line")
        if numbered:
            return _Kind(front="a plan-number line")
        if name is not None:
            return _Kind(front="a line naming a child", name=name)
        if not line.exact:
            return _EDITED
        # An exact form's answer is the edited wordings' answer too (they are tried after it).
        part = self._part(prompt)
        return _Kind(part=part) if part is not None else None

    def _part(self, prompt: Optional[Match]) -> Optional[str]:
        return prompt.item[0].key if prompt is not None and prompt.item[0] is not self.front else None

    def _numbered(self, index: LineIndex) -> list[Line]:
        """The plan-number lines ("My Support Plan 2"): those starting with a plan-number wording's first word."""
        if self.plan_number is None:
            return []
        may = index.starting(self.number_words) if "" not in self.number_words else index.every()
        return [line for line in may if self.plan_number.match(line.n)]

    @staticmethod
    def _may_name(index: LineIndex) -> list[Line]:
        """The lines that may name a child: those starting with a name label's first word, and those read
        from pixels; every line when one holds a letter matching a label's whatever its case (rare)."""
        every = index.every()
        if _FOLDS_TO_LABEL.search("".join([line.text for line in every])):
            return every
        return index.starting(_NAME_FIRST) + index.read


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
