"""The pdfium page source against pdfplumber's: the same plan from every PDF.

``parsers.pdf.SOURCE`` chooses who reads a page's objects: pypdfium2 or
pdfplumber (the reference; pdfium is the default). Every PDF among the fixtures and
shared/real-docs reads to the same plan (JSON) through both, but those listed
in ``DIFFER``: each a pdfplumber bug, checked to differ in exactly the fields
named, so the list stays true.
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
from msp_convert.errors import InputError, UnsafeFileError
from msp_convert.parsers.pdf import parse_pdf
from msp_convert.parsers.pdf.limits import LIMITS
from msp_convert.parsers.pdf.pdfium_source import open_pdfium, pdfium_records
from msp_convert.parsers.pdf.source import StreamGuard, open_pdf, page_records
from msp_convert.writers.json import to_json

from conftest import FIXTURES, REAL_DOCS

# PDF (its path under fixtures/ or shared/) -> why its plan still differs through pdfium: a pdfplumber bug each,
# and the plan's fields that differ, with what pdfium reads there (pdfplumber reads the opposite)
DIFFER: dict[str, str] = {
    "fixtures/pdf/07-ks3-cerebral-palsy.pdf": (
        "Wingdings ticks typed as text, each in a /Span with /ActualText (U+F0FD ticked, U+F0FE ticked, U+F0A8 "
        "empty); the glyph drawn is one missing-glyph box whose /ToUnicode is U+F0A8 for every state. PDFium "
        "reads the /ActualText, as the PDF says to; pdfminer ignores it and reads every box empty, so "
        "pdfplumber's plan loses the ticks the Word plan has"
    ),
}
TICKED_ONLY_BY_PDFIUM: dict[str, list[str]] = {
    "fixtures/pdf/07-ks3-cerebral-palsy.pdf": [
        "family.written_by.parent", "other_plans.health_care_plan", "parent_views.written_by.parent",
        "profile.written_by.me", "story.written_by.me", "story.written_by.parent",
    ],
}


def _all_pdfs() -> list[str]:
    mine = sorted(str(p.relative_to(FIXTURES.parent)) for p in FIXTURES.rglob("*.pdf"))
    shared = sorted(str(p.relative_to(REAL_DOCS.parent.parent)) for p in REAL_DOCS.rglob("*.pdf"))
    return mine + shared


def _path(name: str) -> Path:
    return (FIXTURES.parent if name.startswith("fixtures/") else REAL_DOCS.parent.parent) / name


def _plan(name: str, source: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The plan's JSON read through ``source``, or the one line it was refused with."""
    monkeypatch.setattr(pdf_reader, "SOURCE", source)
    try:
        return to_json(msp_convert.read(data=_path(name).read_bytes(), filename=Path(name).name))
    except InputError as err:
        return f"{type(err).__name__}: {err}"


PDFS = _all_pdfs()


def test_every_pdf_is_read_and_every_listed_one_exists() -> None:
    assert len([p for p in PDFS if p.startswith("fixtures/")]) >= 51 and len(PDFS) >= 64
    assert set(DIFFER) <= set(PDFS) and set(TICKED_ONLY_BY_PDFIUM) == set(DIFFER)


@pytest.mark.parametrize("name", PDFS)
def test_the_pdfium_source_reads_the_same_plan(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = _plan(name, "pdfplumber", monkeypatch)
    ours = _plan(name, "pdfium", monkeypatch)
    if name in DIFFER:
        ours_, theirs_ = json.loads(ours), json.loads(theirs)
        for path in TICKED_ONLY_BY_PDFIUM[name]:  # the difference is these ticks, and nothing else
            assert (_at(ours_, path), _at(theirs_, path)) == (True, False), path
            _set(theirs_, path, True)
        assert ours_ == theirs_
    else:
        assert ours == theirs


def _at(plan: dict, path: str):  # type: ignore[no-untyped-def]
    for key in path.split("."):
        plan = plan[key]
    return plan


def _set(plan: dict, path: str, value: object) -> None:
    *parents, last = path.split(".")
    _at(plan, ".".join(parents))[last] = value


def test_the_same_plan_is_a_real_plan() -> None:
    """The comparison is of plans, not of two refusals: most fixtures read to sections with entries."""
    plan = json.loads(to_json(msp_convert.read(data=(FIXTURES / "pdf" / "08-ks1-visual-impairment.pdf").read_bytes(),
                                                filename="08.pdf")))
    assert plan["source"]["pages"] == 8 and plan["outcomes"]


# ---- records -----------------------------------------------------------------------------


def _canvas(draw, pages: int = 1, rotate: int = 0) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for _ in range(pages):
        c.setPageRotation(rotate)
        draw(c)
        c.showPage()
    c.save()
    return out.getvalue()


def _records(data: bytes, source: str):  # type: ignore[no-untyped-def]
    if source == "pdfium":
        doc = open_pdfium(data)
        try:
            return list(pdfium_records(doc, StreamGuard(data)))  # as parse_pdf reads: the content stream at hand
        finally:
            doc.close()
    doc = open_pdf(data)
    try:
        return list(page_records(doc))
    finally:
        doc.close()


def _drawing(c: canvas.Canvas) -> None:
    c.setFont("Helvetica", 12)
    c.drawString(72, 700, "Fictional Ava reads")
    c.setLineWidth(1.5)
    c.line(72, 690, 300, 690)  # a rule
    c.setFillColorRGB(1, 1, 0)
    c.rect(72, 600, 200, 40, stroke=1, fill=1)  # a shaded, framed box
    c.bezier(72, 500, 90, 520, 110, 480, 130, 500)  # a curve
    form = c.beginForm("rule") or "rule"
    c.line(0, 0, 100, 0)
    c.endForm()
    c.saveState()
    c.translate(300, 400)
    c.doForm(form)  # a form XObject, moved
    c.restoreState()


@pytest.mark.parametrize("rotate", [0, 90])
def test_records_match_pdfplumbers_glyph_for_glyph_and_rule_for_rule(rotate: int) -> None:
    data = _canvas(_drawing, rotate=rotate)
    (theirs,), (ours,) = _records(data, "pdfplumber"), _records(data, "pdfium")
    assert (ours.width, ours.height) == pytest.approx((theirs.width, theirs.height), abs=0.01)
    assert "".join(g.text for g in ours.glyphs) == "".join(g.text for g in theirs.glyphs) == "Fictional Ava reads"
    for a, b in zip(ours.glyphs, theirs.glyphs):
        assert a.size == pytest.approx(b.size, abs=0.01)  # turned a quarter: the advance, as pdfminer has it
        # Helvetica's descent from its AFM (PDFium's stand-in font says -0.224 em, not -0.207)
        assert (a.x0, a.x1, a.top, a.bottom) == pytest.approx((b.x0, b.x1, b.top, b.bottom), abs=0.01)
        assert a.baseline == (None if b.baseline is None else pytest.approx(b.baseline, abs=0.01))
    key = lambda s: (round(s.x0, 1), round(s.top, 1), round(s.x1, 1), round(s.bottom, 1))  # noqa: E731
    assert sorted(map(key, ours.segments)) == sorted(map(key, theirs.segments))
    assert len(ours.segments) == 6  # the rule, the form's rule, the frame's four edges
    # The form's rule inherits the 1.5 pt width set before the form is drawn, as the PDF spec says;
    # pdfminer starts a form with a fresh graphics state (no width: pdfplumber's source reads 0.5).
    widths = lambda r: sorted(round(s.width, 1) for s in r.segments)  # noqa: E731
    assert (widths(ours), widths(theirs)) == ([1.5] * 6, [0.5] + [1.5] * 5)
    assert [(round(b.x0), round(b.top), b.filled, b.stroked, b.fill) for b in ours.boxes] == [
        (round(b.x0), round(b.top), b.filled, b.stroked, (1.0, 1.0, 0.0)) for b in theirs.boxes
    ]
    assert len(ours.paths) == len(theirs.paths) == 1


def _left_out(c: canvas.Canvas) -> None:
    """What PDFium's text page leaves out and pdfminer reads: spaces ending a line, a text object of one
    space (no ink), spaces starting an object after one, and a text object drawn twice (a bold faked)."""
    c.setFont("Helvetica", 12)
    c.drawString(72, 700, "Ava reads.   ")
    c.drawString(72, 680, "Ava")
    c.drawString(72 + c.stringWidth("Ava"), 680, " ")
    c.drawString(72 + c.stringWidth("Ava "), 680, "reads")
    c.drawString(72, 660, "Ava ")
    c.drawString(72 + c.stringWidth("Ava "), 660, "  reads")
    c.drawString(72, 640, "Bold")
    c.drawString(72.3, 640, "Bold")


def test_what_the_text_page_leaves_out_is_read_as_pdfminer_reads_it() -> None:
    data = _canvas(_left_out)
    (theirs,), (ours,) = _records(data, "pdfplumber"), _records(data, "pdfium")
    text = "Ava reads.   " + "Ava reads" + "Ava   reads" + "BoldBold"
    assert "".join(g.text for g in theirs.glyphs) == text
    assert "".join(g.text for g in ours.glyphs) == text
    for a, b in zip(ours.glyphs, theirs.glyphs):
        assert (a.x0, a.x1, a.top, a.bottom, a.baseline) == pytest.approx((b.x0, b.x1, b.top, b.bottom, b.baseline), abs=0.01)


def test_the_source_is_chosen_by_name_and_an_unknown_one_is_said_so() -> None:
    assert pdf_reader.SOURCE in pdf_reader.SOURCES == ("pdfium", "pdfplumber")
    with pytest.raises(InputError, match="unknown PDF page source 'pdfminer'"):
        parse_pdf(_canvas(_drawing), source="pdfminer")


def test_a_page_past_the_glyph_limit_is_refused_in_one_line() -> None:
    text = "x" * 1000

    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 1)  # on the page: PDFium's text page leaves out what lies off it
        for k in range(LIMITS.glyphs_per_page // 1000 + 1):
            c.drawString(10, 10 + (k % 700), text)

    with pytest.raises(UnsafeFileError) as refused:
        parse_pdf(_canvas(draw), source="pdfium")
    assert str(refused.value).startswith(f"page 1 of this PDF draws more than {LIMITS.glyphs_per_page:,} characters")
    assert "\n" not in str(refused.value)


def test_a_damaged_pdf_is_one_line() -> None:
    with pytest.raises(InputError) as refused:
        parse_pdf(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF", source="pdfium")
    assert "damaged" in str(refused.value) and "\n" not in str(refused.value)
