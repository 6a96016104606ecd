"""``shown.to_unicode``: a ToUnicode CMap of the usual shape read without pdfminer's PostScript parser.

Where it reads a CMap, the map is pdfminer's (``CMapParser``) to the code;
any other shape (a ``usecmap``, CID sections, an odd hex string, a ``def``
short of operands, a range past ``_RANGE_MOST``...) is left to pdfminer
(None), so a font reads the same either way, failures included.
"""

from __future__ import annotations

import io
import random

import pytest
from pdfminer import pdffont
from pdfminer.cmapdb import CMapParser, FileUnicodeMap
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import LIT

from msp_convert.parsers.pdf import shown
from msp_convert.parsers.pdf.shown import to_unicode

_HEAD = (b"%!PS-Adobe-3.0 Resource-CMap\n/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
         b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
         b"/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n")
_TAIL = b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
READ = [
    _HEAD + b"3 beginbfchar\n<03> <0020>\n<04><0041>\n<05> <D835DC00>\nendbfchar\n" + _TAIL,
    _HEAD + b"2 beginbfrange\n<10> <1f> <0061>\n<20> <22> [<0041> <0042>]\nendbfrange\n" + _TAIL,
    _HEAD + b"1 beginbfchar <20> <0020> endbfchar 1 beginbfchar <20> <00A0> <21> <00A0> endbfchar\n" + _TAIL,  # A0 kept off a space
    _HEAD + b"1 beginbfrange <0000> <0002> <00010203FFFE> endbfrange 1 beginbfchar <01> endbfchar\n" + _TAIL,  # a prefix; one odd
    _HEAD + b"1 beginbfrange <05> <02> <0041> <01> <0002> <0041> endbfrange\n" + _TAIL,  # ranges pdfminer passes over
    b"beginbfchar <01> <0041> endbfchar endcmap def b def",  # no begincmap; keywords after its end do nothing
]
NOT_READ = [
    _HEAD + b"/Identity-H usecmap\n" + _TAIL,
    _HEAD + b"1 begincidchar <01> 3 endcidchar\n" + _TAIL,
    _HEAD + b"1 beginbfchar <041> <0041> endbfchar\n" + _TAIL,  # an odd hex string: pdfminer reads it its way
    _HEAD + b"1 beginbfchar <01> /A endbfchar\n" + _TAIL,
    _HEAD + b"1 beginbfrange <000000> <010000> <0041> endbfrange\n" + _TAIL,  # 65,537 codes: pdfminer's
    b"begincmap def " + _TAIL,  # def short of operands: pdfminer fails
    b"<< /a >> " + _TAIL,  # a dictionary of an odd count: pdfminer fails
    _HEAD + b"1 beginbfrange <FFFFFFFE> <FFFFFFFF> <FFFFFFFF> endbfrange\n" + _TAIL,  # past 32 bits: pdfminer fails
    b"endcmap beginbfchar <02> <0042> endbfchar",  # a section after the end
    _HEAD + b"{ 1 } " + _TAIL, _HEAD + b"endcmap begincmap " + _TAIL, _HEAD + b"(a\\)b) " + _TAIL, _HEAD + b"] " + _TAIL,
]


def _pdfminer(data: bytes) -> object:
    cmap = FileUnicodeMap()
    try:
        CMapParser(cmap, io.BytesIO(data)).run()
    except Exception as err:
        return type(err)
    return cmap.cid2unichr


@pytest.mark.parametrize("data", READ)
def test_a_usual_cmap_is_read_into_pdfminers_map(data: bytes) -> None:
    got = to_unicode(data)
    assert got is not None and got.cid2unichr == _pdfminer(data)


@pytest.mark.parametrize("data", NOT_READ)
def test_any_other_shape_is_left_to_pdfminer(data: bytes) -> None:
    assert to_unicode(data) is None


def test_mutated_cmaps_read_here_are_pdfminers_maps() -> None:
    rnd = random.Random(5)
    pieces = [b"def", b"endcmap", b"begincmap", b"beginbfchar", b"endbfchar", b"beginbfrange", b"endbfrange", b"<<",
              b">>", b"[", b"]", b"<0041>", b"<414>", b"<FFFFFFFF>", b"/N", b"1", b"%c\n", b"(x)", b"true", b"{", b"\\"]
    read = 0
    for _ in range(3000):
        data = bytearray(rnd.choice(READ))
        for _ in range(rnd.randint(1, 3)):
            at = rnd.randrange(len(data) + 1)
            data[at:at + rnd.choice((0, 0, 1, 5))] = b" " + rnd.choice(pieces) + b" " if rnd.random() < 0.7 else bytes([rnd.randrange(256)])
        got = to_unicode(bytes(data))
        if got is not None:
            read += 1
            assert got.cid2unichr == _pdfminer(bytes(data)), bytes(data)
    assert read > 300  # many still of the usual shape


def test_a_simple_fonts_tounicode_is_read_here_and_a_cid_fonts_by_pdfminer(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[int] = []
    monkeypatch.setattr(pdffont, "CMapParser", lambda *a: (runs.append(1), CMapParser(*a))[1])
    stream = PDFStream({}, READ[1])  # no filter: the data as written
    simple = {"Type": LIT("Font"), "Subtype": LIT("TrueType"), "BaseFont": LIT("Arial"), "ToUnicode": stream}
    font = shown.Fonts()._make(None, simple)
    assert runs == [] and font.unicode_map.cid2unichr == _pdfminer(READ[1])
    assert font.to_unichr(0x11) == "b" and font.cid2unicode == PDFResourceManager().get_font(None, simple).cid2unicode
    cid = {"Type": LIT("Font"), "Subtype": LIT("CIDFontType2"), "BaseFont": LIT("Arial"), "ToUnicode": stream}
    del runs[:]
    shown.Fonts()._make(None, cid)
    assert runs == [1]


def test_a_simple_fonts_strings_are_its_bytes_as_codes_a_cid_fonts_decoded() -> None:
    helvetica = {"Type": LIT("Font"), "Subtype": LIT("Type1"), "BaseFont": LIT("Helvetica"), "ToUnicode": PDFStream({}, READ[0])}
    identity = {"Type": LIT("Font"), "Subtype": LIT("Type0"), "BaseFont": LIT("X"), "Encoding": LIT("Identity-H"),
                "DescendantFonts": [{"Type": LIT("Font"), "Subtype": LIT("CIDFontType2"), "BaseFont": LIT("X")}]}
    resources = {"Font": {"H": helvetica, "C": identity}}
    read = []
    for bytewise in (True, False):  # as made, and each string decoded by the font (pdfminer's way) throughout
        fonts = shown.Fonts()
        assert fonts.get(resources, b"H")[2] and not fonts.get(resources, b"C")[2]
        made = fonts.get
        fonts.get = lambda res, name, owner=None: made(res, name)[:2] + (made(res, name)[2] and bytewise,)  # type: ignore[method-assign]
        page = shown.Shown(fonts, 1)
        page.run(b"BT /H 1 Tf (a\\003b\\004\\377) Tj [(c) 5 (\\005)] TJ /C 1 Tf <00410003> Tj ET", resources, 0)
        read.append((page.strings, page.unmapped))
    assert read[0] == read[1] == (["a bA\ufffd", "c\U0001d400", "\ufffd\ufffd"], [[255], [], [65, 3]])
