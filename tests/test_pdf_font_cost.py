"""A file's fonts charged before pdfminer or PDFium makes them (``font_cost``).

A few hundred bytes of font dictionary can ask for billions of entries:
one ToUnicode ``bfrange`` or ``cidrange`` over every 32-bit code, one /W or
/W2 range, one group of an embedded TrueType cmap (format 12), thousands of
overlapping format 4 segments (an hour of pdfminer's time); and a few MB of
Flate in a ToUnicode or font file inflate to gigabytes. Each file here is
made byte by byte and must be refused in one line, by both sources, before
the entries are made or the stream inflated; the counts are checked against
what pdfminer itself makes of real fonts and maps, and a font written in
place (a direct dictionary) is charged once, not at each use.
"""

from __future__ import annotations

import dataclasses
import io
import random
import struct
import tracemalloc
import zlib

import pytest
from conftest import FIXTURES, REAL_DOCS
from pdf_objects import assemble
from pdfminer.cmapdb import CMapParser, FileUnicodeMap
from pdfminer.pdffont import TrueTypeFont, get_widths, get_widths2
from pdfminer.pdftypes import PDFStream
from test_pdf_tounicode import READ

from msp_convert.errors import UnsafeFileError
from msp_convert.parsers.pdf import font_cost, parse_pdf, shown
from msp_convert.parsers.pdf.font_cost import FontCost
from msp_convert.parsers.pdf.limits import LIMITS
from msp_convert.parsers.pdf.source import open_pdf

SOURCES = ("pdfium", "pdfplumber")
TEXT = b"BT /F1 12 Tf 72 700 Td (Ava    reads) Tj ET\n"
CID_TEXT = b"BT /F1 12 Tf 72 700 Td <002b0048004f004f0052000300030003003a> Tj ET\n"
CODES = "^this PDF's fonts map more than 1,000,000 character codes, far more than any plan; check it is the right file"


def _stream(data: bytes, head: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return b"<< %s /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (head, len(packed), packed)


def _page(fonts: list[bytes], text: bytes = TEXT, resources: bytes = b"/Font << /F1 5 0 R >>") -> bytes:
    """One page drawing ``text`` with ``resources``; ``fonts``: objects 5, 6, ... (object 5 the page's /F1)."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << %s >> >>" % resources,
        _stream(text), *fonts,
    ])


def _simple(cmap: bytes) -> bytes:
    """Helvetica whose ToUnicode (object 6) is ``cmap``."""
    return _page([b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 6 0 R >>",
                  _stream(b"begincmap " + cmap + b" endcmap")])


def _cid(entries: bytes = b"", descriptor: bytes = b"", more: tuple[bytes, ...] = (), encoding: bytes = b"Identity-H") -> bytes:
    """A Type0 font over a CIDFontType2 (``entries`` in it; ``descriptor``'s in its descriptor; ``more`` objects
    from 8 on)."""
    return _page([
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /%s /DescendantFonts [6 0 R] >>" % encoding,
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
        b"/Supplement 0 >> /FontDescriptor 7 0 R %s >>" % entries,
        b"<< /Type /FontDescriptor /FontName /X /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 "
        b"/Descent -200 /CapHeight 700 /StemV 80 %s >>" % descriptor, *more,
    ], CID_TEXT)


def _truetype(subtable: bytes, platform: tuple[int, int] = (3, 10)) -> bytes:
    """A TrueType font file holding only a cmap table of one ``subtable``."""
    cmap = struct.pack(">HHHHL", 0, 1, *platform, 12) + subtable
    return b"\x00\x01\x00\x00" + struct.pack(">HHHH4sLLL", 1, 0, 0, 0, b"cmap", 0, 28, len(cmap)) + cmap


def _format4(segments: int) -> bytes:
    """``segments`` segments each over every 16-bit code (no glyph ids read: an id range offset of 0)."""
    n = segments
    return (struct.pack(">HHHHHHH", 4, 0, 0, 2 * n, 0, 0, 0) + struct.pack(f">{n}H", *[0xFFFF] * n) + b"\0\0"
            + b"\0\0" * n * 3)


FORMAT12 = struct.pack(">HHIIIIII", 12, 0, 28, 0, 1, 0, 0xFFFFFFFF, 0)  # one group over every 32-bit code
BOMBS = {
    "cidrange": _simple(b"1 begincidrange <00000000> <FFFFFFFF> 65 endcidrange"),
    "W": _cid(b"/W [0 4000000000 500]"),
    "W2": _cid(b"/W2 [0 4000000000 500 1 2]", encoding=b"Identity-V"),
    "cmap format 12": _cid(descriptor=b"/FontFile2 8 0 R", more=(_stream(_truetype(FORMAT12)),)),
    "cmap format 4": _cid(descriptor=b"/FontFile2 8 0 R", more=(_stream(_truetype(_format4(8000), (3, 1))),)),
}


@pytest.mark.parametrize("source_", SOURCES)
@pytest.mark.parametrize("bomb", BOMBS)
def test_a_font_asking_for_billions_of_entries_is_refused_before_they_are_made(bomb: str, source_: str) -> None:
    assert len(BOMBS[bomb]) < 2_000
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeFileError, match=CODES):
            parse_pdf(BOMBS[bomb], source=source_)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 300 * 2**20  # pdfminer would have made billions of entries


def test_a_tounicode_range_over_every_code_is_refused_where_pdfminer_would_make_it() -> None:
    data = _simple(b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange")
    with pytest.raises(UnsafeFileError, match=CODES):
        parse_pdf(data, source="pdfplumber")
    fonts = shown.manager()  # the pdfium source's pdfminer fonts, for a page whose stream it scans
    pdf = open_pdf(data)
    try:
        with pytest.raises(UnsafeFileError, match=CODES):
            fonts.get(pdf.pages[0].page_obj.resources, b"F1")
    finally:
        pdf.close()


@pytest.mark.parametrize("data", READ)
def test_the_fast_tounicode_reader_stops_past_the_codes_left(data: bytes) -> None:
    added = _added(data)
    assert shown.to_unicode(data, added) is not None
    assert added == 0 or shown.to_unicode(data, added - 1) is None


def _added(data: bytes) -> int:
    """The codes pdfminer's CMapParser adds reading ``data``."""
    calls = []

    class Counted(FileUnicodeMap):
        def add_cid2unichr(self, cid: int, code: object) -> None:
            calls.append(cid)
            super().add_cid2unichr(cid, code)  # type: ignore[arg-type]

    CMapParser(Counted(), io.BytesIO(data)).run()
    return len(calls)


@pytest.mark.parametrize("data", READ + [b"begincmap 2 begincidrange <0000> <00ff> 1 <0100> <0100> 7 endcidrange endcmap"])
def test_cmap_codes_are_counted_as_pdfminer_adds_them(data: bytes) -> None:
    assert font_cost._cmap_codes(data, 10**9) == _added(data)
    assert font_cost._cmap_codes(b"1 beginbfrange <0000> <FFFF> <0041> endbfrange", 99) == 100  # counting stops


def test_widths_are_counted_as_pdfminer_makes_them() -> None:
    rng = random.Random(7)
    for _ in range(200):
        seq: list[object] = []
        code = 0
        for _ in range(rng.randrange(1, 8)):
            if rng.random() < 0.5:
                seq += [code, [rng.randrange(200, 900) for _ in range(rng.randrange(0, 6))]]
                code += 10
            else:
                seq += [code, code + rng.randrange(0, 50), 500]
                code += 60
        assert font_cost._widths(seq, 3) == len(get_widths(seq))
    tall = [0, [1000, 0, 880, 500, 0, 880], 10, 20, 1000, 0, 880]
    assert font_cost._widths(tall, 5) == len(get_widths2(tall)) == 13


def _font_files() -> list[bytes]:
    """Every embedded TrueType font file of the PDF fixtures and the shared real documents."""
    pdfs = sorted((FIXTURES / "pdf").rglob("*.pdf")) + sorted(REAL_DOCS.rglob("*.pdf"))
    found: dict[bytes, None] = {}
    for name in pdfs:
        pdf = open_pdf(name.read_bytes())
        try:
            for xref in pdf.doc.xrefs:
                for objid in xref.get_objids():
                    obj = _object(pdf, objid)
                    if isinstance(obj, dict) and "FontFile2" in obj:
                        found[pdf.doc.getobj(obj["FontFile2"].objid).get_data()] = None
        finally:
            pdf.close()
    return list(found)


def _object(pdf: object, objid: int) -> object:
    try:
        return pdf.doc.getobj(objid)  # type: ignore[attr-defined]
    except Exception:
        return None


def test_truetype_codes_bound_the_map_pdfminer_makes_of_a_real_font() -> None:
    read = 0
    for data in _font_files():
        try:
            made = len(TrueTypeFont("f", io.BytesIO(data)).create_unicode_map().cid2unichr)
        except (AssertionError, TrueTypeFont.CMapNotFound):  # a subtable pdfminer cannot read, or none
            continue
        codes = font_cost._truetype_codes(data, 10**9)
        assert 0 < made <= codes <= 3 * made + 256  # one code per entry, each Unicode subtable (up to three) read
        read += 1
    assert read >= 5
    assert font_cost._truetype_codes(_truetype(FORMAT12), 10**6) > 10**6
    assert font_cost._truetype_codes(_truetype(_format4(100)), 10**9) == 100 * 65_536


def _limit(monkeypatch: pytest.MonkeyPatch, **limit: int) -> None:
    monkeypatch.setattr(font_cost, "LIMITS", dataclasses.replace(LIMITS, **limit))


@pytest.mark.parametrize("source_", SOURCES)
@pytest.mark.parametrize("where", ["ToUnicode", "FontFile2"])
def test_a_font_stream_bomb_is_refused_before_it_is_inflated(where: str, source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _limit(monkeypatch, font_bytes_per_file=2**20)
    bomb = _stream(b" " * (8 * 2**20) + b"begincmap 1 beginbfchar <41> <0041> endbfchar endcmap")
    data = (_page([b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>", bomb])
            if where == "ToUnicode" else _cid(descriptor=b"/FontFile2 8 0 R", more=(bomb,)))
    decode = PDFStream.decode

    def whole(stream: PDFStream) -> None:
        assert len(stream.rawdata or b"") < 1000, "the bomb was inflated whole"
        decode(stream)

    monkeypatch.setattr(PDFStream, "decode", whole)
    with pytest.raises(UnsafeFileError, match="^this PDF's fonts hold more than 1 MiB once decoded"):
        parse_pdf(data, source=source_)


@pytest.mark.parametrize("source_", SOURCES)
def test_a_font_written_in_place_is_charged_once_however_often_used(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A form drawn 50 times, its own resources holding a font dictionary in place (pdfminer would make it at
    each draw): charged once, so the file is read; made at each draw, it would pass the (lowered) limit."""
    codes = b"".join(b"<%04x> <%04x>\n" % (c, c) for c in range(300))  # each code its own character
    cmap = _stream(b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange 300 beginbfchar\n" + codes
                   + b"endbfchar endcmap")
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 6 0 R >>"
    form = _stream(b"BT /G 10 Tf 0 0 Td (x) Tj ET", b"/Type /XObject /Subtype /Form /BBox [0 0 50 50] "
                   b"/Resources << /Font << /G " + font + b" >> >>")
    data = _page([font, cmap, form], TEXT + b"q 1 0 0 1 10 10 cm /X0 Do Q\n" * 50,
                 b"/Font << /F1 5 0 R >> /XObject << /X0 7 0 R >>")
    _limit(monkeypatch, font_entries_per_file=2_000)
    text = " ".join(p.text for p in parse_pdf(data, source=source_).value.body if hasattr(p, "text"))
    assert "reads" in text
    costs: list[int] = []
    monkeypatch.setattr(FontCost, "made", lambda self, n: costs.append(n))
    parse_pdf(data, source=source_)
    assert sum(costs) <= 1_200  # pdfminer's font of the page and the form's, each once (300 codes each), and
    # PDFium's map of their one ToUnicode (the pdfium source); made at each draw, 15,000


def test_a_real_plans_fonts_cost_a_little_and_are_charged(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real plan with a CID font (a Type0 over an embedded TrueType, with /W and ToUnicode): its fonts are
    charged, far below the limits; with the limit one entry below their count the file is refused."""
    data = (FIXTURES / "pdf" / "other-producer" / "abiword" / "01-eyfs-speech-language.pdf").read_bytes()
    costs: list[FontCost] = []
    made = FontCost.__init__

    def kept(self: FontCost) -> None:
        made(self)
        costs.append(self)

    monkeypatch.setattr(FontCost, "__init__", kept)
    parse_pdf(data, source="pdfplumber")
    entries, size = max(c.entries for c in costs), max(c.bytes for c in costs)
    assert 50 < entries < 20_000 and 1_000 < size < 2**20
    _limit(monkeypatch, font_entries_per_file=entries - 1)
    with pytest.raises(UnsafeFileError, match="^this PDF's fonts map more than"):
        parse_pdf(data, source="pdfplumber")


def _tt_bomb(first: int, size: int = 8 * 2**20) -> list[bytes]:
    """Objects ``first``, ``first`` + 1, + 2: a TrueType font, its descriptor, a font file of ``size`` bytes."""
    return [b"<< /Type /Font /Subtype /TrueType /BaseFont /Bomb /FirstChar 32 /LastChar 126 /Encoding /WinAnsiEncoding "
            b"/FontDescriptor %d 0 R >>" % (first + 1),
            b"<< /Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 "
            b"/Descent -200 /CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>" % (first + 2),
            _stream(b"\0" * size)]


def _catalog(extra: bytes, page: bytes, objects: list[bytes], text: bytes = TEXT) -> bytes:
    return assemble([b"<< /Type /Catalog /Pages 2 0 R %s >>" % extra, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R %s >>" % page,
                     _stream(text), *objects])


HIDDEN = {  # a font whose file PDFium decodes, reached other than by the /Font of the page or a form it draws
    "in a Type3 font's own resources": _page([
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs "
        b"<< /a 6 0 R >> /Encoding << /Differences [65 /a] >> /FirstChar 65 /LastChar 65 /Widths [500] "
        b"/Resources << /Font << /G1 7 0 R >> >> >>", _stream(b"500 0 d0 BT /G1 10 Tf (A) Tj ET"), *_tt_bomb(7)],
        b"BT /F1 12 Tf 72 700 Td (AAA) Tj ET"),
    "in the interactive form's /DR": _catalog(
        b"/AcroForm << /Fields [6 0 R] /NeedAppearances true /DR << /Font << /FB 7 0 R >> >> /DA (/FB 12 Tf 0 g) >>",
        b"/Annots [6 0 R] /Resources << /Font << /F1 5 0 R >> >>",
        [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
         b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Ava) /Rect [72 600 300 620] /P 3 0 R /DA (/FB 12 Tf 0 g) >>",
         *_tt_bomb(7)]),
    "in the page tree, the page's own resources a reference to nothing": assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 99 0 R >>", _stream(TEXT),
        *_tt_bomb(5)]),
}


@pytest.mark.parametrize("where", HIDDEN)
def test_a_font_file_bomb_pdfium_reaches_another_way_is_refused_before_the_page_loads(where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _limit(monkeypatch, font_bytes_per_file=2**20)
    with pytest.raises(UnsafeFileError, match="^this PDF's fonts hold more than 1 MiB once decoded"):
        parse_pdf(HIDDEN[where], source="pdfium")


PARSED = "^this PDF's fonts give more than 1 MiB of character maps and font programs to read"
LONG = {  # little to map, much for pdfminer's PostScript parser (about a MB a second) or long strings for each code
    "a ToUnicode of 1.5 million operands": (_simple(b"1 " * 750_000), PARSED),
    "a Type1 font's header of 100,000 encoding entries": (_page([
        b"<< /Type /Font /Subtype /Type1 /BaseFont /NotStd /FirstChar 32 /LastChar 126 /FontDescriptor 7 0 R >>",
        _stream(b"".join(b"dup %d /a put\n" % i for i in range(100_000)), b"/Length1 2000000"),
        b"<< /Type /FontDescriptor /FontName /NotStd /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 "
        b"/Descent -200 /CapHeight 700 /StemV 80 /FontFile 6 0 R >>"]), PARSED),
    "a bfrange whose one destination is 100,000 characters": (_simple(
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <3FFF> <" + b"0041" * 100_000
        + b"> endbfrange"), CODES),
    "2,000 fonts sharing one /Widths of 1,000": (assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << "
        + b" ".join(b"/F%d %d 0 R" % (i, 6 + i) for i in range(2_000)) + b" >> >> >>",
        _stream(b"BT " + b" ".join(b"/F%d 12 Tf (A) Tj" % i for i in range(2_000)) + b" ET"), b"[" + b"500 " * 1_000 + b"]",
        *(b"<< /Type /Font /Subtype /TrueType /BaseFont /NotStd%d /FirstChar 0 /LastChar 255 /Widths 5 0 R >>" % i
          for i in range(2_000))]), CODES),
}


@pytest.mark.parametrize("source_", SOURCES)
@pytest.mark.parametrize("case", LONG)
def test_what_pdfminer_and_pdfium_would_spend_long_on_is_refused(case: str, source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data, refused = LONG[case]
    _limit(monkeypatch, font_parsed_bytes_per_file=2**20)
    with pytest.raises(UnsafeFileError, match=refused):
        parse_pdf(data, source=source_)
