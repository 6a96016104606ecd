"""Legitimate PDFs a red-team found reading differently through the two page sources: each is built here, read
through both (pdfminer's, pdfplumber's, is the reference), and must give the same glyphs and ticks."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import NameObject, NumberObject
from reportlab.pdfgen import canvas

from msp_convert.parsers.pdf.boxes import find_tick_boxes
from msp_convert.parsers.pdf.pdfium_source import open_pdfium, pdfium_records
from msp_convert.parsers.pdf.source import StreamGuard, open_pdf, page_records
from pdf_objects import assemble
from test_pdfium_spacing import _glyphs, _pdf


def _pages(data: bytes) -> dict[str, object]:
    """The first page's record through each source."""
    return {"pdfplumber": list(page_records(open_pdf(data)))[0],
            "pdfium": list(pdfium_records(open_pdfium(data), StreamGuard(data)))[0]}


def _zapf_boxes() -> bytes:
    """ZapfDingbats boxes as base-14 producers draw them: each empty box (bytes o p q r) and mark (4 6 8)."""
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "Written by:")
    for i, char in enumerate("\u274f\u2750\u2751\u2752\u2714\u2716\u2718"):
        c.setFont("ZapfDingbats", 11)
        c.drawString(160 + 40 * i, 700, char)
        c.setFont("Helvetica", 11)
        c.drawString(172 + 40 * i, 700, "Me")
    c.showPage()
    c.save()
    return out.getvalue()


def test_zapf_dingbats_boxes_tick_alike():
    """PDFium reads the empty boxes as the Unicode boxes (U+274F-U+2752) and 0x36 as ✖: ticks as pdfminer's bytes."""
    ticks = {}
    for name, page in _pages(_zapf_boxes()).items():
        find_tick_boxes(page)
        ticks[name] = [g.tick for g in page.glyphs if g.font == "ZapfDingbats"]
    assert ticks["pdfplumber"] == [False] * 4 + [True] * 3
    assert ticks["pdfium"] == ticks["pdfplumber"]


def _noisy(noise: float) -> bytes:
    """Runs of spaces (ending a line, inside one) under a matrix with float noise, as pypdf's rotation writes it."""
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "Ava reads.   ")
    c.drawString(72, 680, "Name: Ava     DOB: 2.11.09")
    c.drawString(72, 660, "Spelling homework ")
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=io.BytesIO(out.getvalue()))
    writer.pages[0].add_transformation((1, noise, -noise, 1, 0, 0))  # reportlab would round it away
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("noise", [0.0, 1.8369702e-16, -6.123e-17])
def test_float_noise_keeps_spaces(noise):
    pages = _pages(_noisy(noise))
    texts = {name: "".join(g.text for g in page.glyphs) for name, page in pages.items()}
    assert "reads.   Name: Ava     DOB" in texts["pdfplumber"]
    assert texts["pdfium"] == texts["pdfplumber"]


# a code whose glyph name has no Unicode: pdfminer's "(cid:1)"; PDFium draws no ink for it, so its text page
# leaves the object out
NO_UNICODE = b"/F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [1 /zzbox] >> >>"


@pytest.mark.parametrize("shown", [b"<01>", b"<01> Tj ( ) Tj (x"])
def test_character_without_unicode_is_no_space(shown):
    """An inkless text object keeps what its strings show (pdfminer's "(cid:N)"), not spaces."""
    data = _pdf(b"BT /F1 11 Tf 72 700 Td (Written by: ) Tj ET BT /F1 11 Tf 150 700 Td " + shown + b" Tj ET "
                b"BT /F1 11 Tf 172 700 Td (Me) Tj ET", font=NO_UNICODE)
    texts = {name: [g.text for g in page.glyphs] for name, page in _pages(data).items()}
    assert "(cid:1)" in texts["pdfplumber"]
    assert texts["pdfium"] == texts["pdfplumber"]


def _type3(tounicode: bool, font_bbox: bytes = b"0 0 550 700", base_font: bytes = b"") -> bytes:
    """Two pages: a line in Helvetica, then (on a page whose CropBox is inset, with a /StrikeOut and a check box
    over it) a line in a Type3 font (each glyph a filled box) naming its glyphs by /Differences, with or without
    /ToUnicode, with a /BaseFont where given."""
    names = {"A": b"A", "v": b"v", "a": b"a", " ": b"space", "r": b"r", "e": b"e", "d": b"d", "s": b"s"}
    codes = {char: 65 + i for i, char in enumerate(names)}
    shown = b"".join(b"\\%03o" % codes[c] for c in "Ava reads")
    cmap = b"".join(b"<%02X> <%04X>\n" % (codes[c], ord(c)) for c in names)
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00> <FF>"
            b" endcodespacerange %d beginbfchar\n%sendbfchar endcmap CMapName currentdict /CMap defineresource pop"
            b" end end" % (len(names), cmap))
    glyph = b"550 0 0 0 550 700 d1 50 0 450 700 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [11 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 6 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /CropBox [20 30 575 812] /Resources << /Font"
        b" << /T3 7 0 R >> >> /Contents 8 0 R /Annots [10 0 R 11 0 R] >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(b"BT /F1 11 Tf 72 700 Td (Ava reads with help) Tj ET"),
        b"<< /Type /Font /Subtype /Type3 " + base_font + b" /FontBBox [" + font_bbox
        + b"] /FontMatrix [0.001 0 0 0.001 0 0]"
        b" /CharProcs << " + b" ".join(b"/" + n + b" 9 0 R" for n in names.values()) + b" >> /Encoding"
        b" << /Differences [65 " + b" ".join(b"/" + n for n in names.values()) + b"] >> /FirstChar 65"
        b" /LastChar %d /Widths [%s] /Resources << >>" % (64 + len(names), b"550 " * len(names))
        + (b" /ToUnicode 12 0 R" if tounicode else b"") + b" >>",
        _stream(b"BT /T3 10 Tf 72 700 Td (" + shown + b") Tj ET"),
        _stream(glyph),
        b"<< /Type /Annot /Subtype /StrikeOut /Rect [70 695 100 712] /QuadPoints [70 712 100 712 70 695 100 695] >>",
        b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (done) /V /Yes /AS /Yes /Rect [150 695 162 707] /P 4 0 R >>",
        _stream(cmap),
    ]
    return assemble(objects, b"1.4")


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _records(data: bytes) -> dict[str, list]:
    """Every page's record through each source, each as what the model is made of (rounded to 0.01 pt)."""
    def glyph(g):  # type: ignore[no-untyped-def]
        return (g.text, *(round(v, 2) for v in (g.x0, g.x1, g.top, g.bottom, g.size)), g.font,
                None if g.baseline is None else round(g.baseline, 2), g.ocr)

    def page(p):  # type: ignore[no-untyped-def]
        box = lambda o: tuple(round(v, 2) for v in (o.x0, o.top, o.x1, o.bottom))  # noqa: E731
        return {"number": p.number, "size": (round(p.width, 2), round(p.height, 2)),
                "glyphs": [glyph(g) for g in p.glyphs], "marks": [(m.kind, box(m)) for m in p.marks],
                "widgets": [(w.kind, box(w), w.checked, w.name) for w in p.widgets]}

    return {"pdfplumber": [page(p) for p in page_records(open_pdf(data))],
            "pdfium": [page(p) for p in pdfium_records(open_pdfium(data), StreamGuard(data))]}


@pytest.mark.parametrize("tounicode, bbox, base", [(False, b"0 0 550 700", b""), (True, b"0 0 550 700", b""),
                                                   (True, b"0 -200 550 700", b""),
                                                   (True, b"0 0 550 700", b"/BaseFont /Arial-Bold")])
def test_type3_page_read_by_the_reference(tounicode, bbox, base, monkeypatch):
    """A page in a Type3 font is read by pdfplumber, that page only, pdfplumber opened once, PDFium's text page
    not read there: PDFium reads codes without /ToUnicode as themselves (zero-wide), and even with /ToUnicode
    names the font "" (pdfminer "unknown") and measures a FontBBox's descent in float32, with a /BaseFont reads
    its name, weight and box; its number, frame and annotations are as PDFium's would be."""
    import msp_convert.parsers.pdf.pdfium_source as pdfium_source
    from msp_convert.parsers.pdf.pdfium_text import _TextReader

    read, opened, page_record, open_pdf_ = [], [], pdfium_source.page_record, pdfium_source.open_pdf
    texts, text_read = [], _TextReader.read
    monkeypatch.setattr(pdfium_source, "page_record", lambda pdf, n, *a: read.append(n) or page_record(pdf, n, *a))
    monkeypatch.setattr(pdfium_source, "open_pdf", lambda *a: opened.append(1) or open_pdf_(*a))
    monkeypatch.setattr(_TextReader, "read", lambda self, n: texts.append(self.page.number) or text_read(self, n))
    records = _records(_type3(tounicode, bbox, base))
    assert [p["number"] for p in records["pdfium"]] == [1, 2] and read == [2] and opened == [1] and texts == [1]
    assert "".join(g[0] for g in records["pdfplumber"][1]["glyphs"]) == "Ava reads"
    assert records["pdfplumber"][1]["marks"] and records["pdfplumber"][1]["widgets"]
    assert records["pdfium"] == records["pdfplumber"]


def test_reference_keeps_no_page_and_closes(monkeypatch):
    """The reference's pages hold nothing once read (pdfplumber's page cache flushed), and it is closed with the
    pdfium source's reading: memory stays flat in pages."""
    import msp_convert.parsers.pdf.pdfium_source as pdfium_source

    opened, closed, open_pdf_ = [], [], pdfium_source.open_pdf

    def spied(*args):  # type: ignore[no-untyped-def]
        pdf = open_pdf_(*args)
        close, pdf.close = pdf.close, lambda: closed.append(1) or close()
        opened.append(pdf)
        return pdf

    monkeypatch.setattr(pdfium_source, "open_pdf", spied)
    data = _type3(False)
    records = pdfium_records(open_pdfium(data), StreamGuard(data))
    assert [next(records).number, next(records).number] == [1, 2]  # page 2 the reference's, the reading going on
    (reference,) = opened
    assert not any(key in vars(page) for page in reference.pages for key in ("_layout", "_objects")) and not closed
    assert list(records) == [] and closed == [1]


def test_type3_page_keeps_pdfiums_frame_and_annotations(monkeypatch):
    """The reference's record of a Type3 page has the number, size and annotations PDFium reads there."""
    import msp_convert.parsers.pdf.pdfium_text as pdfium_text

    data = _type3(True)
    kept = {k: v for k, v in _records(data)["pdfium"][1].items() if k != "glyphs"}
    monkeypatch.setattr(pdfium_text._TextReader, "misread", False)
    own = {k: v for k, v in _records(data)["pdfium"][1].items() if k != "glyphs"}
    assert own["marks"] and own["widgets"] and own == kept


# a font that is not one of the standard 14 (its /Widths stand), two codes whose glyph names have no Unicode
NO_UNICODE_TWO = (b"/F1 << /Type /Font /Subtype /Type1 /BaseFont /PlanSans /FirstChar 1 /LastChar 122 /Widths ["
                  + b"500 " * 122 + b"] /Encoding << /Differences [1 /zzbox /zzcross 66 /zzB] >> /FontDescriptor << /Type"
                  b" /FontDescriptor /FontName /PlanSans /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0"
                  b" /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >> >>")


@pytest.mark.parametrize("shown", [b"(\\001\\002) Tj", b"(A\\001\\002B) Tj", b"(\\001 \\002) Tj",
                                   b"[(\\001) -200 (\\002)] TJ", b"(A\\001) Tj (\\002B) Tj", b"(Me \\001\\001) Tj"])
def test_codes_without_unicode_read_as_pdfminer_names_them(shown, monkeypatch):
    """Codes PDFium maps to no Unicode (read as themselves: "\x01", or "B" for /zzB) are pdfminer's "(cid:N)",
    each as wide as its font says, however many one text object draws: the page PDFium's, the reference not opened."""
    import msp_convert.parsers.pdf.pdfium_source as pdfium_source

    data = _pdf(b"BT /F1 11 Tf 72 700 Td (Written by: ) Tj ET BT /F1 11 Tf 150 700 Td " + shown + b" ET "
                b"BT /F1 11 Tf 200 700 Td (Me) Tj ET", font=NO_UNICODE_TWO)
    opened, open_pdf_ = [], pdfium_source.open_pdf
    monkeypatch.setattr(pdfium_source, "open_pdf", lambda *a: opened.append(1) or open_pdf_(*a))
    records = _records(data)
    assert "(cid:1)" in [g[0] for g in records["pdfplumber"][0]["glyphs"]]
    assert records["pdfium"] == records["pdfplumber"] and not opened  # PDFium's, named: not the reference's


# 200 has a glyph name without Unicode (pdfminer: StandardEncoding's dieresis; PDFium: the code, "\u00c8"), 201 is
# /Egrave ("\u00c8" too): PDFium reads both alike
EGRAVE_TWICE = (b"/F1 << /Type /Font /Subtype /Type1 /BaseFont /PlanSans /FirstChar 1 /LastChar 250 /Widths ["
                + b"500 " * 250 + b"] /Encoding << /Differences [200 /zzX /Egrave] >> /FontDescriptor << /Type"
                b" /FontDescriptor /FontName /PlanSans /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0"
                b" /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >> >>")


@pytest.mark.parametrize("shown", [b"(\\310\\311) Tj", b"(\\311\\310) Tj",
                                   b"(\\311) Tj ET BT /F1 11 Tf 170 700 Td (\\310) Tj"])
def test_code_without_unicode_after_a_mapped_one_of_its_character(shown):
    """A code PDFium maps to no Unicode, read as the character a mapped code met before it reads as: checked still,
    and read as pdfminer reads it."""
    data = _pdf(b"BT /F1 11 Tf 72 700 Td (Written by: ) Tj ET BT /F1 11 Tf 150 700 Td " + shown + b" ET "
                b"BT /F1 11 Tf 200 700 Td (Me) Tj ET", font=EGRAVE_TWICE)
    records = _records(data)
    assert sorted(g[0] for g in records["pdfplumber"][0]["glyphs"] if g[0] in "\u00c8\u00a8") == ["\u00a8", "\u00c8"]
    assert records["pdfium"] == records["pdfplumber"]


def test_code_mapped_to_text_holding_fffd_beside_an_unmapped_one():
    """A /ToUnicode mapping a code to U+FFFD and a letter, in a string beside a code without Unicode: which U+FFFD
    is pdfminer's "(cid:N)" the stream cannot say by counting, so the page is the reference's (no crash)."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00> <FF>"
            b" endcodespacerange 2 beginbfchar <01> <FFFD0041> <41> <0041> endbfchar endcmap CMapName currentdict"
            b" /CMap defineresource pop end end")
    data = assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        _stream(b"BT /F1 11 Tf 72 700 Td (\\001\\002A) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /PlanSans /FirstChar 1 /LastChar 122 /Widths [" + b"500 " * 122
        + b"] /Encoding << /Differences [1 /zzone 2 /zztwo] >> /ToUnicode 6 0 R /FontDescriptor << /Type"
        b" /FontDescriptor /FontName /PlanSans /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900"
        b" /Descent -200 /CapHeight 700 /StemV 80 >> >>",
        _stream(cmap),
    ], b"1.4")
    records = _records(data)
    assert [g[0] for g in records["pdfplumber"][0]["glyphs"]] == ["\ufffdA", "(cid:2)", "A"]
    assert records["pdfium"] == records["pdfplumber"]


# an OCR layer's font as Tesseract writes it: /ToUnicode maps each code to itself in one range PDFium reads as no
# mapping past its first 256 codes (it flags a quote as a code without Unicode, read as itself: the same character)
GLYPHLESS = (b"<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H /ToUnicode 6 0 R"
             b" /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont /CIDSystemInfo"
             b" << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 /FontDescriptor << /Type"
             b" /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 0 500 1000] /ItalicAngle 0 /Ascent"
             b" 1000 /Descent 0 /CapHeight 1000 /StemV 80 >> >>] >>")
IDENTITY_UCS = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Adobe-Identify-UCS def"
                b" /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <FFFF>"
                b" <0000> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end")


def test_codes_flagged_but_mapped_alike_stay_on_pdfium(monkeypatch):
    """A character PDFium flags as a code without Unicode but reads as pdfminer does (OCR layers' quotes) is kept,
    the page read by PDFium: the reference is not opened."""
    import msp_convert.parsers.pdf.pdfium_source as pdfium_source

    opened, open_pdf_ = [], pdfium_source.open_pdf
    monkeypatch.setattr(pdfium_source, "open_pdf", lambda *a: opened.append(1) or open_pdf_(*a))
    data = assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        _stream(b"BT /F1 11 Tf 72 700 Td <0041201800420020201C00430044201D> Tj ET"), GLYPHLESS, _stream(IDENTITY_UCS),
    ], b"1.4")
    records = _records(data)
    assert "".join(g[0] for g in records["pdfplumber"][0]["glyphs"]) == "A\u2018B \u201cCD\u201d"
    assert records["pdfium"] == records["pdfplumber"] and not opened


ITALIC = Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Italic.ttf")


def _zero_descent() -> bytes:
    """An embedded TrueType font whose descriptor says Ascent 0 and Descent 0 (as LibreOffice writes some): pdfminer
    takes the descriptor's 0, PDFium measures the glyphs."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("ItalicZero", str(ITALIC)))
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont("ItalicZero", 11)
    c.drawString(72, 700, "Ava reads with help")
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=io.BytesIO(out.getvalue()))
    for font in writer.pages[0]["/Resources"]["/Font"].values():
        descriptor = font.get_object().get("/FontDescriptor")
        if descriptor is not None:
            for key in ("/Ascent", "/Descent"):
                descriptor.get_object()[NameObject(key)] = NumberObject(0)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.skipif(not ITALIC.exists(), reason="no Liberation Sans Italic on this machine")
def test_descent_is_the_descriptors():
    pages = _pages(_zero_descent())
    boxes = {name: [(g.text, round(g.top, 2), round(g.bottom, 2)) for g in page.glyphs] for name, page in pages.items()}
    assert boxes["pdfium"] == boxes["pdfplumber"]


def _widths_font(widths: bytes) -> bytes:
    """A TrueType font (not embedded) whose 'e' is as wide as ``widths`` says, the rest 500."""
    return (b"/F1 << /Type /Font /Subtype /TrueType /BaseFont /PlanSansCondensed /Encoding /WinAnsiEncoding"
            b" /FirstChar 32 /LastChar 126 /Widths [" + b" ".join(widths if c == 101 else b"500" for c in range(32, 127))
            + b"] /FontDescriptor << /Type /FontDescriptor /FontName /PlanSansCondensed /Flags 32 /FontBBox [-918 -463"
            b" 1614 1232] /ItalicAngle 0 /Ascent 928 /Descent -236 /CapHeight 729 /StemV 80 >> >>")


@pytest.mark.parametrize("widths, reference", [(b"553.7109", True), (b"553", False), (b"553.0", False)])
def test_fractional_widths_page_read_by_the_reference(widths, reference, monkeypatch):
    """/Widths with fractions (reportlab's, Chromium's): PDFium drops them, so its glyphs drift along a line (the 80th
    'e' 0.56 pt left of where the widths put it) and a word splits; such a page is read by the reference."""
    import msp_convert.parsers.pdf.pdfium_source as pdfium_source

    read, page_record = [], pdfium_source.page_record
    monkeypatch.setattr(pdfium_source, "page_record", lambda pdf, n, *a: read.append(n) or page_record(pdf, n, *a))
    records = _records(_pdf(b"BT /F1 10 Tf 72 700 Td (" + b"e" * 80 + b") Tj ET", font=_widths_font(widths)))
    assert records["pdfium"] == records["pdfplumber"] and read == ([1] if reference else [])
    assert records["pdfium"][0]["glyphs"][-1][1] == round(72 + 79 * float(widths) / 100, 2)


def test_type0_fractional_w_is_fractional():
    from msp_convert.parsers.pdf.pdfium_text import _fractional_widths

    assert _fractional_widths({"DescendantFonts": [{"W": [3, [500, 553.7109]]}]})
    assert not _fractional_widths({"DescendantFonts": [{"W": [3, [500, 553], 10, 20, 600.0]}]})


def test_page_glyph_limit_counts_drawn_characters(monkeypatch):
    """The per-page limit counts the characters drawn, as pdfminer does, not the spaces and line ends PDFium's text
    page makes up between words drawn one Tj each: 200 drawn under a limit of 200 read, 205 refused."""
    import msp_convert.parsers.pdf.pdfium_source as pdfium_source
    import msp_convert.parsers.pdf.pdfium_text as pdfium_text
    from msp_convert.errors import InputError

    low = dataclasses.replace(pdfium_source.LIMITS, glyphs_per_page=200)
    monkeypatch.setattr(pdfium_source, "LIMITS", low)
    monkeypatch.setattr(pdfium_text, "LIMITS", low)

    def page(words: int) -> bytes:
        return _pdf(b"\n".join(b"BT /F1 8 Tf %d %d Td (plans) Tj ET" % (40 + (k % 8) * 30, 800 - (k // 8) * 10)
                               for k in range(words)))

    assert len(_pages(page(40))["pdfium"].glyphs) == 200
    with pytest.raises(InputError, match="page 1 of this PDF draws more than 200 characters"):
        _pages(page(41))


def _forms() -> bytes:
    """Four check boxes and a multi-select list box, as fillers write them (the red-team's proof_forms)."""
    def box(name: bytes, y: int, extra: bytes) -> bytes:
        return (b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (%s) /Rect [72 %d 84 %d] /P 3 0 R /MK << >> %s >>"
                % (name, y, y + 12, extra))

    ap = b"/AP << /N << /On 8 0 R /Off 9 0 R >> >>"
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R 6 0 R 7 0 R 10 0 R 11 0 R]"
        b" /NeedAppearances true >> >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R"
        b" /Annots [5 0 R 6 0 R 7 0 R 10 0 R 11 0 R] >>",
        _stream(b""),
        box(b"A", 250, b"/V /Yes /AS /Yes " + ap),  # on appearance named /On: drawn empty
        box(b"B", 220, b"/V /On /AS /On"),  # no appearances, NeedAppearances: ticked
        box(b"C", 190, b"/V /On " + ap),  # no /AS: the value says ticked
        _stream(b"0 0 m 12 12 l 0 12 m 12 0 l S"),
        _stream(b""),
        box(b"D", 160, b"/V /On /AS /On " + ap),
        b"<< /Type /Annot /Subtype /Widget /FT /Ch /Ff 2097152 /T (L) /Rect [72 100 172 140] /P 3 0 R"
        b" /Opt [(one) (two) (three)] /V [(one) (three)] >>",
    ], b"1.6")


def test_check_boxes_and_list_box_read_alike():
    """A box whose /AS names no appearance it has is empty; one with no appearances, or no /AS, is its value's; a list
    box with two options selected holds both."""
    for name, page in _pages(_forms()).items():
        read = [(w.name, w.checked if w.kind == "checkbox" else w.value) for w in page.widgets]
        assert read == [("A", False), ("B", True), ("C", True), ("D", True), ("L", "one, three")], name


def test_raised_text_keeps_its_baseline():
    """Text raised by Ts 3 sits 3 pt higher in both sources, so its underline (1.5 pt below it) is no strike."""
    from msp_convert.parsers.pdf.strike import mark_struck

    pages = _pages(_pdf(b"BT /F1 10 Tf 3 Ts 72 697 Td (Withdrawn action) Tj ET 0.6 w 72 698.5 m 160 698.5 l S"))
    for name, page in pages.items():
        assert round(page.glyphs[0].baseline, 2) == 842 - 700, name
        mark_struck(page)
        assert not any(g.struck for g in page.glyphs), name


def test_null_from_tounicode_is_no_character():
    """A /ToUnicode mapping a code to U+0000 (reportlab's, for a glyph its font lacks): no character, no glyph."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T def /CMapType 2 def"
            b" 1 begincodespacerange <00> <FF> endcodespacerange 3 beginbfchar <01> <0000> <41> <0041> <42> <0042>"
            b" endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
    data = assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        _stream(b"BT /F1 11 Tf 72 700 Td (A\\001B) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /PlanSans /FirstChar 1 /LastChar 66 /Widths [" + b"500 " * 66
        + b"] /ToUnicode 6 0 R /FontDescriptor << /Type /FontDescriptor /FontName /PlanSans /Flags 32 /FontBBox"
        b" [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >> >>",
        _stream(cmap),
    ], b"1.4")
    records = _records(data)
    assert [g[0] for g in records["pdfplumber"][0]["glyphs"]] == ["A", "B"]
    assert records["pdfium"] == records["pdfplumber"]


def test_reference_reads_the_bytes_given(monkeypatch):
    """The reference opens the bytes and password handed to ``pdfium_records``, not pypdfium2's private copy."""
    import msp_convert.parsers.pdf.pdfium_source as pdfium_source

    opened, open_pdf_ = [], pdfium_source.open_pdf
    monkeypatch.setattr(pdfium_source, "open_pdf", lambda *a: opened.append(a) or open_pdf_(*a))
    data = _type3(True)
    given = data + b"\n% the same document\n"
    assert len(list(pdfium_records(open_pdfium(data), None, data=given, password="x"))) == 2
    assert opened == [(given, "x")]


def _pages_of_two_fonts(pages: int) -> bytes:
    """Pages drawing the same two fonts (written once, as indirect objects, for every page)."""
    out = io.BytesIO()
    c = canvas.Canvas(out)
    for _ in range(pages):
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "Written by:")
        c.setFont("Times-Bold", 11)
        c.drawString(72, 680, "Outcome")
        c.showPage()
    c.save()
    return out.getvalue()


@pytest.mark.parametrize("remembered, expected", [(10_000, 2), (0, 6)])
def test_font_facts_worked_out_once_a_document(remembered, expected, monkeypatch):
    """A font written once is read (descent, how PDFium reads it) once a document, not on every page; up to
    ``fonts_remembered`` of them, past which each page reads its own again, alike."""
    from msp_convert.parsers.pdf import pdfium_text, shown

    data = _pages_of_two_fonts(3)
    before = [repr(r) for r in pdfium_records(open_pdfium(data), StreamGuard(data))]
    monkeypatch.setattr(shown, "LIMITS", dataclasses.replace(shown.LIMITS, fonts_remembered=remembered))
    seen: list[object] = []
    real = pdfium_text._descriptor_descent
    monkeypatch.setattr(pdfium_text, "_descriptor_descent", lambda spec: seen.append(spec) or real(spec))
    assert [repr(r) for r in pdfium_records(open_pdfium(data), StreamGuard(data))] == before
    assert len(seen) == expected


def test_page_text_freed_with_its_page(monkeypatch):
    """A page's text reader (its characters, owners and origins) is freed as the page is done, not left to the
    cycle collector: the peak memory of a long PDF stays that of one page."""
    import gc
    import weakref

    from msp_convert.parsers.pdf import pdfium_text

    readers: list[weakref.ref] = []
    real = pdfium_text._TextReader.__init__

    def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        real(self, *args, **kwargs)
        readers.append(weakref.ref(self))

    monkeypatch.setattr(pdfium_text._TextReader, "__init__", init)
    data = _pages_of_two_fonts(3)
    gc.disable()
    try:
        assert len(list(pdfium_records(open_pdfium(data), StreamGuard(data)))) == 3
        assert len(readers) == 3 and all(reader() is None for reader in readers)
    finally:
        gc.enable()


@pytest.mark.parametrize("scaled", [40, 400])
def test_text_scaled_past_float32_is_not_copied_or_nan(scaled):
    """A fake bold (the same text drawn twice) under a matrix scaled past float32's range (a fuzzed plan: 20,000
    ``cm``): PDFium gives its objects no finite box. Nothing is copied from another object, and no glyph holds
    a NaN (the strike finder rounded one and crashed); the text before it reads as ever."""
    import math

    content = (b"BT /F1 12 Tf 72 700 Td (Name) Tj ET q " + b"10 0 0 10 0 0 cm " * scaled
               + b"BT /F1 12 Tf 1 1 Td (Bold) Tj ET BT /F1 12 Tf 1 1 Td (Bold) Tj ET Q")
    glyphs = _glyphs(_pdf(content), "pdfium")
    assert "".join(g.text for g in glyphs) == "Name"
    assert all(math.isfinite(v) for g in glyphs for v in (g.x0, g.x1, g.top, g.bottom, g.baseline))


def test_page_objects_leave_no_cycles():
    """Each page object's handle is read as an address without ``ctypes.cast``, which ties the pointer and its
    result into a cycle: a long PDF's pages leave nothing for the collector."""
    import gc

    data = _pages_of_two_fonts(3)
    list(pdfium_records(open_pdfium(data), StreamGuard(data)))  # imports, caches
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        list(pdfium_records(open_pdfium(data), StreamGuard(data)))
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage if type(o).__name__.startswith("LP_struct_fpdf")]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == []


@pytest.mark.parametrize("second", [b"/F1 20 Tf 72 680 Td", b"0.5 0 0 0.5 300 600 Tm", b"1 0 0.3 1 300 600 Tm",
                                    b"0 1 -1 0 300 500 Tm", b"72 680 Td 3 Tr"])
def test_text_objects_alike_but_in_one_thing_read_apart(second):
    """Text objects of one font, size, turn and render mode share what their glyphs' boxes are worked out from; one
    differing in its size, scale, slant, turn or mode between two alike is read as the reference reads it."""
    alike = b"BT /F1 12 Tf 72 700 Td (ab) Tj ET "
    data = _pdf(alike + b"BT /F1 12 Tf " + second + b" (cd) Tj ET " + alike.replace(b"700", b"650"))
    got = _records(data)
    assert got["pdfium"] == got["pdfplumber"]
    assert len(got["pdfium"][0]["glyphs"]) == 6
