"""Layout -> model: the one place that knows what the template looks like.

Every parser's layout comes here; nothing here asks which parser made it.
"""

from __future__ import annotations

from typing import Optional

from ..errors import NotAPlanError
from ..layout import Block, Cell, Document, Paragraph, Row, Table, iter_paragraphs, read_confidence
from ..model import Plan, PlanWarning, Source, Template
from ..results import Result
from ..text import norm
from ..template import DEFAULT_PROFILE, Profile
from . import contents, coverage, front, landmarks, origins
from .draft import Draft
from .origins import Fields
from .flow import Flow
from .grids import classify, read_outcomes, read_provision, read_review

# Fewer recognised pieces of the template than this, and it is not a plan.
MIN_ANCHORS = 3
# A plan showing less than this share of the profile's headings and prompts, and
# with less than half its words placed, is on a layout the profile does not
# describe: template "unknown", verdict "other-layout".
OTHER_LAYOUT_BELOW = 0.15
FITS_PLACED = 0.5

__all__ = ["map_document", "map_with_origins"]


def map_document(
    document: Document,
    source: Source,
    profile: Profile = DEFAULT_PROFILE,
    force: bool = False,
) -> Result[Plan]:
    """Fill the canonical model from a document's layout."""
    return Result(_fill(document, source, profile, force).plan)


def map_with_origins(
    document: Document,
    source: Source,
    profile: Profile = DEFAULT_PROFILE,
    force: bool = False,
) -> tuple[Result[Plan], Fields]:
    """``map_document``, and where each field of the plan was read (``mapping.origins``), and
    each row holding some (an outcome, a provision row): empty for a document with no pages (Word)."""
    draft = _fill(document, source, profile, force)
    return Result(draft.plan), origins.with_rows(origins.found_by_value(draft.plan, document, draft.origins()))


def _fill(document: Document, source: Source, profile: Profile, force: bool) -> Draft:
    """The draft whose plan is the document's, whole and counted."""
    draft = Draft(source)
    front.page_margins(document.headers, document.footers, draft, profile)
    walked = landmarks.last_lines()
    flow = Flow(profile, draft, walked)  # the file's lines, as the chooser and divider walked them
    read: dict[str, list[Paragraph]] = {}  # paragraphs read from pixels, by section
    # Else no paragraph is looked at again for its confidence: the walk of this document says, or one of its own.
    pixels = walked.read if walked is not None and walked.document is document else _any_read(document.body)
    for block in document.body:
        if isinstance(block, Paragraph):
            flow.feed(block)
            if block.confidence is not None:
                read.setdefault(flow.where, []).append(block)
        else:
            _table(block, flow)
            if pixels:
                read.setdefault(flow.where, []).extend(p for p in iter_paragraphs([block]) if p.confidence is not None)
    flow.review_lines.finish()
    _read_confidence(read, draft)
    draft.finish()
    if draft.anchors < MIN_ANCHORS:
        if not force:
            raise NotAPlanError(
                "this does not look like a My Support Plan: none of the template's sections "
                "or prompts were found; check it is the right file, or use --force to keep its text in 'unmapped'"
            )
        draft.warn("not-a-plan", None)
    plan = draft.plan
    matched = landmarks.share(flow.found, profile)
    counted = coverage.count(plan)
    fits = matched >= OTHER_LAYOUT_BELOW or counted.placed >= FITS_PLACED * counted.words
    plan.template = Template(id=profile.name if fits else "unknown", matched=matched)  # type: ignore[arg-type]
    if not fits and draft.anchors >= MIN_ANCHORS:
        draft.warn("other-layout", None)
    # Counted once: only the verdict follows from what was just decided.
    plan.coverage = counted.model_copy(update={"verdict": coverage.verdict(plan, counted.placed, counted.words)})
    return draft


def _any_read(blocks: list[Block]) -> bool:
    """Whether any paragraph of ``blocks`` (tables' included) was read from pixels: one walk, no generators."""
    stack = [blocks]
    while stack:
        for block in stack.pop():
            if isinstance(block, Paragraph):
                if block.confidence is not None:
                    return True
            else:
                for row in block.rows:
                    for cell in row.cells:
                        stack.append(cell.blocks)
    return False


def _read_confidence(read: dict[str, list[Paragraph]], draft: Draft) -> None:
    """For a plan read from pixels: how sure OCR was of the words, section by section."""
    for where, paras in read.items():
        mean, words = read_confidence(paras)
        if mean is not None:
            draft.plan.warnings.append(PlanWarning(
                code="ocr-confidence",
                message=f"OCR read the {words} words here with a mean confidence of {mean * 100:.0f} %; the lower it is, the more to check",
                where=where,
            ))


# Tables nested deeper than this are read as their text (no document needs more).
MAX_TABLE_DEPTH = 16

# A header row's cells have at most this many words each.
MAX_HEADER_WORDS = 6

# The readers of the form's grids, by what ``classify`` calls a table.
_GRIDS = {"outcomes": read_outcomes, "provision": read_provision, "review": read_review}


def _table(table: Table, flow: Flow, depth: int = 0) -> None:
    """One table: a grid of the form, a table of the form read as flowing text, or one the form does not have.

    A table of one column is never a grid: it is one of the form's text boxes,
    or a layout table (a one-cell table holding a whole plan), read through.
    """
    if contents.is_contents(table, flow):
        contents.read_contents(table, flow)
        return
    kind = "flow" if _one_column(table) or depth >= MAX_TABLE_DEPTH else classify(table, flow.profile)
    landmarks.in_table(table, kind, flow)
    grid = _GRIDS.get(kind)
    if grid is not None:
        flow.kept = None
        grid(table, flow)
    elif _foreign(table, flow):
        _foreign_table(table, flow, depth)
    else:
        _flow_table(table, flow, depth)


def _one_column(table: Table) -> bool:
    return all(len(row.cells) <= 1 for row in table.rows)


def _flow_table(table: Table, flow: Flow, depth: int) -> None:
    """The form's text in a table: each cell's lines in order, a table nested in a cell read as a table."""
    flow.table_depth += 1
    for row in table.rows:
        if _on_cover(flow) and _child_row(row, flow):
            continue
        for i, cell in enumerate(row.cells):
            flow.label_cell = i == 0 and len(row.cells) > 1 and bool(row.cells[1].text.strip())
            for block in cell.blocks:
                if isinstance(block, Paragraph):
                    flow.feed(block)
                elif depth + 1 >= MAX_TABLE_DEPTH:
                    for para in iter_paragraphs([block]):
                        flow.feed(para)
                else:
                    _table(block, flow, depth + 1)
            flow.label_cell = False
    flow.table_depth -= 1
    flow.end_table()


def _foreign(table: Table, flow: Flow) -> bool:
    """A table the form does not have: none of its lines is the template's wording, nor a cover row."""
    if _on_cover(flow) and any(_names_child(row, flow) for row in table.rows):
        return False
    return not any(flow.is_template_line(p) for p in iter_paragraphs([table]))


def _foreign_table(table: Table, flow: Flow, depth: int) -> None:
    """Under an open prompt, the table is that prompt's answer (a table nested in an answer cell, as
    written); under a heading the template does not have, its rows; else a section headed by its first row."""
    rows = [texts for texts in (_row_texts(row) for row in table.rows) if any(texts)]
    if flow.in_kept_part():
        _kept_part_table(table, rows, flow, depth)
        return
    headed = flow.kept is None and not flow.answering() and len(rows) >= 2 and _heads_columns(rows[0])
    if headed:
        flow.keep_under(" | ".join(t for t in rows.pop(0) if t))
    if flow.kept is not None:
        flow.kept.rows.extend(rows)
        if headed:  # a heading in the table's first row heads that table only
            flow.kept = None
    else:  # its lines, as any written lines: an answer, or with no prompt open, unmapped
        for para in iter_paragraphs([table]):
            flow.feed(para)
    if depth == 0:
        flow.end_table()


def _kept_part_table(table: Table, rows: list[list[str]], flow: Flow, depth: int) -> None:
    """A table in a part the model has no field for. Prompts the profile routes, as its header row
    (answers below each) or its first column (answers beside each), take their answers to their
    fields; any other table is kept whole in the part's `sections` item, header row first."""
    if rows and _heads_columns(rows[0]) and any(flow.routes(t) for t in rows[0]):
        _by_column(table, flow)
    elif any(flow.routes(r[0]) for r in rows if r):
        _flow_table(table, flow, depth)
        return
    else:
        flow.part().rows.extend(rows)
    if depth == 0:
        flow.end_table()


def _by_column(table: Table, flow: Flow) -> None:
    """Each column's answers under the prompt at its head."""
    head = next(row for row in table.rows if any(c.text.strip() for c in row.cells))
    labels = [c.text.strip() for c in head.cells]
    for i, label in enumerate(labels):
        if not label:
            continue
        flow.take_prompt(label)
        for row in table.rows[table.rows.index(head) + 1:]:
            for para in (row.cells[i].paragraphs() if i < len(row.cells) else []):
                flow.feed(para)


def _heads_columns(texts: list[str]) -> bool:
    """A header row: every cell a short label."""
    return all(len(t.split()) <= MAX_HEADER_WORDS and "\n" not in t for t in texts)


def _row_texts(row: Row) -> list[str]:
    return [
        "\n".join(" ".join(p.text.split()) for p in cell.paragraphs() if p.text.strip())
        for cell in row.cells
    ]


def _child_line(row: Row, first_lines: Optional[frozenset] = None) -> Optional[str]:
    """A cover-table row such as "Name | Kai Dobson" as the line "Name: Kai Dobson" (``first_lines``,
    the form's placeholders: each cell's first line but them, the rest being what is written below)."""
    texts = [_first_line(c, first_lines)[0] if first_lines is not None else c.text.strip() for c in row.cells]
    if len(texts) < 2 or not texts[0]:
        return None
    return texts[0].rstrip(":") + ": " + "   ".join(t for t in texts[1:] if t)


def _on_cover(flow: Flow) -> bool:
    return flow.section is None or flow.section.role == "front" and flow.section.kept


def _first_line(cell: Cell, placeholders: frozenset) -> tuple[str, list[Paragraph]]:
    """A cell's first written line (placeholder text left in is none), and the paragraphs after it."""
    paras = [p for p in cell.paragraphs() if p.text.strip() and norm(p.text) not in placeholders]
    return (paras[0].text.strip(), paras[1:]) if paras else ("", [])


def _child_row(row: Row, flow: Flow) -> bool:
    """A cover row: its labels read; in a form's own cover part, what is written under a
    value ("I like to be known as | Avie / a sentence about her") read as the part's lines."""
    below = flow.section is not None
    line = _child_line(row, flow.m.placeholders if below else None)
    if line is None or not front.read_child(line, flow.draft.plan, flow.draft, flow.where, flow.profile):
        return False
    for cell in row.cells[1:] if below else ():
        for para in _first_line(cell, flow.m.placeholders)[1]:
            flow.feed(para)
    return True


def _names_child(row: Row, flow: Flow) -> bool:
    """Whether the row is a cover row: labels ``read_child`` would read (the row is read for real later)."""
    line = _child_line(row)
    return line is not None and front.holds_labels(line, flow.profile)
