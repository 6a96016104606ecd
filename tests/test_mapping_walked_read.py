"""Whether any line was read from pixels: the chooser's walk of the document says, so the mapping does
not walk the document again for it; a document the walk was not of is looked at itself."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import msp_convert.mapping as mapping
from msp_convert.layout import Document, Paragraph
from msp_convert.mapping import landmarks
from msp_convert.model import Source
from msp_convert.parsers.docx import parse_docx
from msp_convert.reader import read
from msp_convert.template import DEFAULT_PROFILE

PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "04-ks2-autism.docx"


def test_a_walked_word_document_is_not_walked_again_for_pixels(monkeypatch: pytest.MonkeyPatch) -> None:
    def walked_again(blocks: object) -> bool:
        raise AssertionError("the document was walked again for lines read from pixels")

    monkeypatch.setattr(mapping, "_any_read", walked_again)
    assert read(data=PLAN.read_bytes(), filename="plan.docx").child.name


def _as_read(block: object, in_table: bool = False) -> object:
    """A block with its tables' paragraphs as read from pixels (a paragraph outside a table is looked at
    for its confidence whatever: only a table's lines need the walk's answer)."""
    if isinstance(block, Paragraph):
        return dataclasses.replace(block, confidence=0.5) if in_table and block.text.strip() else block
    rows = [dataclasses.replace(row, cells=[dataclasses.replace(cell, blocks=[_as_read(b, True) for b in cell.blocks])
                                            for cell in row.cells]) for row in block.rows]  # type: ignore[attr-defined]
    return dataclasses.replace(block, rows=rows)


def test_a_document_the_walk_was_not_of_is_looked_at_itself() -> None:
    typed = parse_docx(PLAN.read_bytes()).value
    scanned = Document(body=[_as_read(b) for b in typed.body], headers=typed.headers, footers=typed.footers)
    try:
        landmarks.best_profile(typed, [DEFAULT_PROFILE])  # the last walk: of the typed document, none read
        plan = mapping.map_document(scanned, Source(filename="plan.docx", format="docx", sha256="0" * 64), DEFAULT_PROFILE).value
    finally:
        landmarks.forget()
    assert "ocr-confidence" in {w.code for w in plan.warnings}
