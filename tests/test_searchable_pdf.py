"""A searchable scan (page images with OCR's words drawn invisibly over them) reads as OCR, not as exact text.

Text drawn in render mode 3 (neither filled nor stroked) is what Tesseract's
PDF renderer and scanners' "searchable PDF" put over the page image: its
words are OCR's reading. Both page sources mark each such glyph ``ocr``
with ``INVISIBLE_TEXT_CONFIDENCE``, so its paragraphs carry a confidence
(the mapping says how well each section read) instead of passing as the
author's own words. ``fixtures/searchable/`` is made by
``fixtures/make_searchable.py`` (Tesseract's renderer over two pages of the
plan 11 scan).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import msp_convert
import msp_convert.parsers.pdf as pdf_reader
from msp_convert.layout import iter_paragraphs
from msp_convert.parsers.pdf import parse_pdf
from msp_convert.parsers.pdf.pdfium_source import open_pdfium, pdfium_records
from msp_convert.parsers.pdf.records import INVISIBLE_TEXT_CONFIDENCE
from msp_convert.parsers.pdf.source import open_pdf, page_records
from msp_convert.writers.json import to_json

from conftest import FIXTURES

SOURCES = ("pdfium", "pdfplumber")
SEARCHABLE = FIXTURES / "searchable" / "11-ks1-dcd-p2-4.pdf"
PLAN = FIXTURES / "pdf" / "11-ks1-dcd.pdf"  # the same plan, its text typed


def _records(data: bytes, source: str) -> list:  # type: ignore[type-arg]
    doc = open_pdfium(data) if source == "pdfium" else open_pdf(data)
    try:
        return list(pdfium_records(doc) if source == "pdfium" else page_records(doc))
    finally:
        doc.close()


def _drawn(lines: list[tuple[float, float, int, str]]) -> bytes:
    """One page of Helvetica 12 lines, each (x, y, render mode, text)."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    for x, y, mode, text in lines:
        t = c.beginText(x, y)
        t.setFont("Helvetica", 12)
        t.setTextRenderMode(mode)
        t.textOut(text)
        c.drawText(t)
    c.showPage()
    c.save()
    return out.getvalue()


def _seen_and_unseen() -> bytes:
    """One line drawn as usual, one drawn invisibly (render mode 3)."""
    return _drawn([(72, 700, 0, "Ava reads"), (72, 680, 3, "Ava writes")])


@pytest.mark.parametrize("source", SOURCES)
def test_only_the_glyphs_drawn_invisibly_are_ocr(source: str) -> None:
    (page,) = _records(_seen_and_unseen(), source)
    seen = [(g.text, g.ocr, g.confidence) for g in page.glyphs if g.top < 140]
    unseen = [(g.text, g.ocr, g.confidence) for g in page.glyphs if g.top >= 140]
    assert seen == [(ch, False, 1.0) for ch in "Ava reads"]
    assert unseen == [(ch, True, INVISIBLE_TEXT_CONFIDENCE) for ch in "Ava writes"]


def test_the_fixture_is_a_scan_with_an_invisible_text_layer() -> None:
    data = SEARCHABLE.read_bytes()
    assert b"/GlyphLessFont" in data and data.count(b"/DCTDecode") == 2  # Tesseract's font, two JPEG pages
    for page in _records(data, "pdfplumber"):
        assert len(page.glyphs) > 500 and not page.segments  # words, and nothing drawn but the image
        assert all(g.ocr and g.confidence == INVISIBLE_TEXT_CONFIDENCE for g in page.glyphs)  # all drawn in mode 3


@pytest.mark.parametrize("source", SOURCES)
def test_a_searchable_scans_paragraphs_carry_a_confidence(source: str) -> None:
    document = parse_pdf(SEARCHABLE.read_bytes(), source=source).value
    paragraphs = [p for p in iter_paragraphs(document.body) if p.text.strip()]
    assert len(paragraphs) > 20
    assert [p.confidence for p in paragraphs] == [pytest.approx(INVISIBLE_TEXT_CONFIDENCE)] * len(paragraphs)
    typed = [p for p in iter_paragraphs(parse_pdf(PLAN.read_bytes(), source=source).value.body) if p.text.strip()]
    assert typed and {p.confidence for p in typed} == {None}  # the plan's own PDF: exact


def _plan(path: Path, source: str, monkeypatch: pytest.MonkeyPatch) -> dict:  # type: ignore[type-arg]
    monkeypatch.setattr(pdf_reader, "SOURCE", source)  # as MSP_CONVERT_PDF_SOURCE sets it
    return json.loads(to_json(msp_convert.read(data=path.read_bytes(), filename=path.name)))


@pytest.mark.parametrize("source", SOURCES)
def test_a_searchable_scan_reads_to_the_plans_values_marked_as_read_by_ocr(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = _plan(SEARCHABLE, source, monkeypatch)
    assert plan["child"]["name"] == "Harvey Price" and plan["child"]["date_of_birth"] == "2011-10-08"
    assert plan["source"]["format"] == "pdf" and plan["source"]["pages"] == 2
    said = [w for w in plan["warnings"] if w["code"] == "ocr-confidence"]
    assert said and all("mean confidence of 90 %" in w["message"] for w in said)
    typed = _plan(PLAN, source, monkeypatch)
    assert typed["child"]["name"] == "Harvey Price"
    assert not [w for w in typed["warnings"] if w["code"].startswith("ocr")]


def _ocr_lines(lines: list[str]) -> bytes:
    """``lines`` drawn invisibly one under another, each ending in a space as Tesseract's renderer ends a word."""
    return _drawn([(40, 700 - 14 * n, 3, text) for n, text in enumerate(lines)])


@pytest.mark.parametrize("source", SOURCES)
def test_an_ocr_line_broken_at_a_hyphen_runs_on_without_its_trailing_space(source: str) -> None:
    """Tesseract puts a space after every word, the last of a line too: "co- " "ordinated" is one word."""
    data = _ocr_lines(["My plan should be a useful working plan for those who support me, and promote co- ",
                       "ordinated support for me and my family so that I can make progress. "])
    (paragraph,) = [p.text for p in iter_paragraphs(parse_pdf(data, source=source).value.body) if p.text.strip()]
    assert "promote co-ordinated support" in paragraph
