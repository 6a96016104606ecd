"""Layout -> model: the one place that knows what the template looks like.

Every parser's layout comes here; nothing here asks which parser made it.
"""

from __future__ import annotations

from ..errors import NotAPlanError
from ..layout import Document, Paragraph, Table, iter_paragraphs, read_confidence
from ..model import Plan, PlanWarning, Source, Template
from ..results import Result
from ..template import DEFAULT_PROFILE, Profile
from . import coverage, front, landmarks
from .draft import Draft
from .flow import Flow
from .grids import classify, read_outcomes, read_provision, read_review
from .text import norm

# Fewer recognised pieces of the template than this, and it is not a plan.
MIN_ANCHORS = 3

__all__ = ["map_document"]


def map_document(
    document: Document,
    source: Source,
    profile: Profile = DEFAULT_PROFILE,
    force: bool = False,
) -> Result[Plan]:
    """Fill the canonical model from a document's layout."""
    draft = Draft(source)
    front.page_margins(document.headers, document.footers, draft)
    flow = Flow(profile, draft)
    read: dict[str, list[Paragraph]] = {}  # paragraphs read from pixels, by section
    for block in document.body:
        if isinstance(block, Paragraph):
            flow.feed(block)
            if block.confidence is not None:
                read.setdefault(flow.where, []).append(block)
        else:
            _table(block, flow)
            read.setdefault(flow.where, []).extend(p for p in iter_paragraphs([block]) if p.confidence is not None)
    _read_confidence(read, draft)
    if draft.anchors < MIN_ANCHORS:
        if not force:
            raise NotAPlanError(
                "this does not look like a My Support Plan: none of the template's sections "
                "or prompts were found; check it is the right file, or use --force to keep its text in 'unmapped'"
            )
        draft.warn("not-a-plan", None)
    plan = draft.plan
    plan.template = Template(id=profile.name, matched=landmarks.share(flow.found, profile))  # type: ignore[arg-type]
    # plan_dates stay null: this form prints no date of the plan itself. sections stay []
    # until a profile places parts of its form there or unknown headings start them.
    return Result(coverage.recount(plan))


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


def _table(table: Table, flow: Flow) -> None:
    kind = classify(table, flow.profile)
    landmarks.in_table(table, kind, flow)
    if kind == "outcomes":
        read_outcomes(table, flow)
    elif kind == "provision":
        read_provision(table, flow)
    elif kind == "review":
        read_review(table, flow)
    else:
        for row in table.rows:
            if flow.section is None and _child_row(row, flow):
                continue
            for cell in row.cells:
                for para in cell.paragraphs():
                    flow.feed(para)
        flow.end_table()


def _child_row(row, flow: Flow) -> bool:
    """A cover-table row such as "Name | Kai Dobson"."""
    texts = [c.text.strip() for c in row.cells]
    if len(texts) < 2 or not texts[0]:
        return False
    joined = texts[0].rstrip(":") + ": " + "   ".join(t for t in texts[1:] if t)
    return front.read_child(joined, flow.draft.plan, flow.draft, "cover")
