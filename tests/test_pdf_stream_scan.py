"""One flat scan of a content stream for the guard and for ``Shown``: what PDFium draws, found as PDFium finds it.

``content_tokens`` reads a stream as PDFium's parser splits it (strings and
comments passed over), for ``source.StreamGuard`` (which forms each ``Do``
may draw, counted before PDFium loads the page) and for ``shown.Shown``
(what each text object shows, forms run where drawn). Both find a form
through ``source.find_form``: what the guard measured is what ``Shown`` runs.
The files are made here, byte by byte; PDFium itself (pypdfium2) shows what it
draws of each.
"""

from __future__ import annotations

import io
import random
import tracemalloc
import zlib
from pathlib import Path
from typing import Optional

import pypdfium2 as pdfium
import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import LIT
from test_pdf_stream_guard import Written, _never_loaded, _refused_by_the_guard, _stream, _text, one_page

from msp_convert.errors import UnsafeFileError
from msp_convert.parsers.pdf import content_tokens, parse_pdf, shown as shown_module
from msp_convert.parsers.pdf.content_tokens import draws, keys_unsure
from msp_convert.parsers.pdf.limits import LIMITS
from msp_convert.parsers.pdf.shown import Fonts, Shown
from msp_convert.parsers.pdf.source import StreamGuard

BLACK = b"0 g 0 0 595 842 re f\n"
FORM = b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "


def _form(body: bytes, head: bytes = FORM, resources: bytes = b"") -> Written:
    return Written(_stream(body, head + resources))


def _black(data: bytes) -> bool:
    """Whether PDFium paints the middle of page 1 black (a form filling the page drawn)."""
    pdf = pdfium.PdfDocument(data)
    try:
        image = pdf[0].render(scale=0.1).to_pil().convert("L")
        return bool(image.getpixel((30, 40)) < 128)
    finally:
        pdf.close()


# ---- words in strings and comments draw nothing --------------------------------------------------


def _to_do_list() -> bytes:
    """A plan's form (no /Resources: it draws with the page's) showing "Things To Do" and "100%", and drawing
    the page's rule form H."""
    shows = b"BT /T 12 Tf 72 600 Td (Things To Do) Tj 0 -20 Td (100%) Tj 0 -20 Td (Done) Tj ET\n/H Do\n"
    return one_page(b"/G Do\n", [(b"G", _form(shows), []), (b"H", b"0 0 m 100 0 l S\n", [])], [b"G", b"H"])


def test_a_form_showing_things_to_do_is_measured_as_drawn_not_refused() -> None:
    # the byte-wise count took the "Do" in (Things To Do) for a draw of every page form: G inside G, refused
    guard = StreamGuard(_to_do_list())
    guard.check(1)
    assert guard.budget.streams == 1 + 1 + 1  # the page, G, and H once


def test_a_form_showing_things_to_do_reads_as_through_pdfplumber() -> None:
    data = _to_do_list()
    theirs = _text(data, "pdfplumber")
    assert "Things To Do" in theirs and "100%" in theirs
    assert _text(data, "pdfium") == theirs


def test_the_scan_passes_over_strings_and_comments_and_counts_every_do_after_an_inline_image() -> None:
    stream = b"(Things To Do) Tj (100%) Tj <446F> Tj /F Do % Do\n/G { Do } 1 Do BI /W 1 ID x (Do) /Do Do EI /K Do"
    assert list(draws(stream)) == [b"F", b"G", None, None, None]
    assert list(draws(b"/F\x00Do /G\x0bDo <zz /H Do> (a\\) /J Do)")) == [b"F"]  # split as PDFium splits


# ---- forms PDFium finds that the guard did not count ---------------------------------------------


def _nested_as(key: bytes, call: bytes, subtype: bytes = b"/Form", levels: int = 4, times: int = 40,
               decoy: Optional[bytes] = None) -> bytes:
    """``nested(4, 40)`` (64,000 draws), each form's /XObject key written ``key % k``, each draw ``/<call % k>
    Do``, each /Subtype ``subtype``; one level (``levels=1``): the page draws a form filling the page black.
    ``decoy``: each /XObject names first, as ``decoy % k``, a form drawing nothing."""
    head = b"/Type /XObject /Subtype " + subtype + b" /BBox [0 0 595 842] "
    forms: list[tuple[bytes, bytes, Optional[list[bytes]]]] = [(key % 0, _form(BLACK, head), [])]
    for k in range(1, levels):
        first = b"" if decoy is None else b"/%s %d 0 R " % (decoy % (k - 1), 6 + levels)
        resources = b"/Resources << /XObject << %s/%s %d 0 R >> >>" % (first, key % (k - 1), 6 + k - 1)
        forms.append((key % k, _form(b"/%s Do\n" % (call % (k - 1)) * times, head, resources), []))
    page_names = [key % (levels - 1)]
    if decoy is not None:  # the page's own /XObject names the decoy first too
        forms.append((decoy % (levels - 1), _form(b"", head), []))
        page_names.insert(0, decoy % (levels - 1))
    return one_page(b"/%s Do\n" % (call % (levels - 1)), forms, page_names)


# a bomb under keys spelt with bad escapes is refused as drawn too often, or (since the guard reads the objects
# holding resources as written) as named ambiguously, whichever the guard finds first
EITHER = "^page 1 of this PDF (runs more than 20,000 drawing streams|names the drawings it holds)"

ODD = {
    "a /Subtype string": (b"F%d", b"F%d", b"(Form)"),
    "a /Subtype hex string": (b"F%d", b"F%d", b"<466F726D>"),
    "a name with a bad escape": (b"F%d#G1", b"F%d#G1", b"/Form"),
    "a name ending in #": (b"F%d#", b"F%d#", b"/Form"),
}

# a key spelt with a bad escape, drawn as PDFium reads it: pdfminer keys it otherwise (F0#G1: "F0G1", PDFium's
# "F0\x01"; F0#3G: "F0\x03G", PDFium's "F00"), alone or after a decoy pdfminer keys as the name drawn
MISREAD = {
    "#G1 drawn as #01": (b"F%d#G1", b"F%d#01", None),
    "#3G drawn as 0": (b"F%d#3G", b"F%d0", None),
    "#G1 drawn as #01 behind a decoy #01": (b"F%d#G1", b"F%d#01", b"F%d#01"),
    "#3G drawn as 0 behind a decoy 0": (b"F%d#3G", b"F%d0", b"F%d0"),
}


@pytest.mark.parametrize("key, call, decoy", MISREAD.values(), ids=list(MISREAD))
def test_pdfium_draws_a_key_spelt_with_a_bad_escape_as_it_reads_it(key: bytes, call: bytes,
                                                                   decoy: Optional[bytes]) -> None:
    assert _black(_nested_as(key, call, levels=1, decoy=decoy))


@pytest.mark.parametrize("key, call, decoy", MISREAD.values(), ids=list(MISREAD))
def test_nested_forms_under_keys_spelt_with_bad_escapes_are_refused(key: bytes, call: bytes, decoy: Optional[bytes],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    data = _nested_as(key, call, decoy=decoy)
    _refused_by_the_guard(data, EITHER)
    _never_loaded(monkeypatch)
    with pytest.raises(UnsafeFileError, match=EITHER):
        parse_pdf(data, source="pdfium")


@pytest.mark.parametrize("key, call, subtype", ODD.values(), ids=list(ODD))
def test_pdfium_draws_forms_named_and_typed_oddly(key: bytes, call: bytes, subtype: bytes) -> None:
    assert _black(_nested_as(key, call, subtype, levels=1))


@pytest.mark.parametrize("key, call, subtype", ODD.values(), ids=list(ODD))
def test_nested_forms_named_or_typed_oddly_are_refused(key: bytes, call: bytes, subtype: bytes,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    data = _nested_as(key, call, subtype)
    _refused_by_the_guard(data, EITHER)
    _never_loaded(monkeypatch)
    with pytest.raises(UnsafeFileError, match=EITHER):
        parse_pdf(data, source="pdfium")


# ---- Shown runs what the guard measured, no more, no less ------------------------------------------


def _shown_and_guard(data: bytes) -> tuple[Shown, StreamGuard]:
    guard = StreamGuard(data)
    guard.check(1)
    page = next(PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))))
    shown = Shown(Fonts(), 1)
    shown.run(b" ".join(resolve1(s).get_data() for s in page.contents), resolve1(page.resources), 0)
    return shown, guard


def _empty_resources() -> bytes:
    """A draws B and has C; B has /Resources << >> and draws /C 100 times: PDFium looks C up in the page's
    /XObject (B's have none), where there is no C: C (filling the page black) is never drawn."""
    c = _form(BLACK)
    b = _form(b"/C Do\n" * 100, resources=b"/Resources << >>")
    a = _form(b"/B Do\n", resources=b"/Resources << /XObject << /B 7 0 R /C 8 0 R >> >>")
    return one_page(b"/A Do\n", [(b"A", a, []), (b"B", b, []), (b"C", c, [])], [b"A"])


def _utf8_name() -> bytes:
    """The page draws /F#C3#A9 (pdfminer's key "F\u00e9"), a form showing text."""
    shows = _form(b"BT /T 12 Tf 72 600 Td (in a form) Tj ET\n")
    return one_page(b"/F#C3#A9 Do\n", [(b"F#C3#A9", shows, [])], [b"F#C3#A9"])


def test_pdfium_never_draws_a_form_its_callers_resources_name_when_its_own_are_empty() -> None:
    assert not _black(_empty_resources())


@pytest.mark.parametrize("make", [_empty_resources, _utf8_name, _to_do_list], ids=["empty resources", "utf-8 name",
                                                                                  "things to do"])
def test_shown_runs_each_form_the_guard_measured_and_no_other(make) -> None:  # type: ignore[no-untyped-def]
    shown, guard = _shown_and_guard(make())
    assert (shown.streams, shown.content) == (guard.budget.streams, guard.budget.content)


def test_shown_reads_a_form_with_an_escaped_name() -> None:
    shown, _ = _shown_and_guard(_utf8_name())
    assert shown.strings == ["Ava reads", "in a form"]


def test_shown_measures_a_form_before_pdfminer_decodes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    packed = zlib.compress(b" " * (LIMITS.content_bytes_per_page + 10), 9)
    bomb = PDFStream({"Subtype": LIT("Form"), "BBox": [0, 0, 9, 9], "Filter": LIT("FlateDecode")}, packed)
    decoded = []
    monkeypatch.setattr(PDFStream, "decode", lambda self: decoded.append(1))
    with pytest.raises(UnsafeFileError, match="^page 1 of this PDF holds more than 16 MiB of drawing instructions"):
        Shown(Fonts(), 1).run(b"/X Do", {"XObject": {"X": bomb}}, 0)
    assert decoded == []


# ---- an /XObject dictionary PDFium keys otherwise than pdfminer: refused ---------------------------------------

# the key drawn (/FG1), then a second key (as written) which pdfminer reads as the same one, or PDFium as another
TWICE = {
    "a bad escape pdfminer reads as the key": b"F#G1",
    "the key given twice": b"FG1",
    "a NUL PDFium ends the key at": b"FG1\x00",
    "a 0x0B pdfminer ends the key at": b"FG1\x0b",
}


def _behind(second: bytes, levels: int = 4, times: int = 40) -> bytes:
    """The page's /XObject names /FG1 (forms nested ``levels`` deep, each drawing the one below ``times`` times,
    the last filling the page black), then ``second`` (a form drawing nothing); the page draws /FG1."""
    head = b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
    names = [b"B%d" % k for k in range(levels - 1)] + [b"FG1"]
    forms: list[tuple[bytes, bytes, Optional[list[bytes]]]] = [(names[0], _form(BLACK, head), [])]
    for k in range(1, levels):
        resources = b"/Resources << /XObject << /%s %d 0 R >> >>" % (names[k - 1], 6 + k - 1)
        forms.append((names[k], _form(b"/%s Do\n" % names[k - 1] * times, head, resources), []))
    stand_in = b"Q" * len(second)  # one_page names each form once: the second key is written in after
    forms.append((stand_in, _form(b"", head), []))
    data = one_page(b"/FG1 Do\n", forms, [b"FG1", stand_in])
    return data.replace(b"/%s " % stand_in, b"/%s " % second, 1)


def test_pdfium_draws_the_first_key_where_pdfminer_keeps_the_second() -> None:
    assert _black(_behind(TWICE["a bad escape pdfminer reads as the key"], levels=1))


@pytest.mark.parametrize("second", TWICE.values(), ids=list(TWICE))
def test_a_form_bomb_behind_a_key_pdfminer_reads_otherwise_is_refused(second: bytes,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    data = _behind(second)
    with pytest.raises(UnsafeFileError, match="^page 1 of this PDF names the drawings it holds in a way PDF readers"):
        StreamGuard(data).check(1)
    _never_loaded(monkeypatch)
    with pytest.raises(UnsafeFileError, match="^page 1 of this PDF names the drawings"):
        parse_pdf(data, source="pdfium")



# objects as written: keyed alike by both (False), or maybe not (True)
WRITTEN = {
    b"<< /Type /Page /Resources << /XObject << /FG1 6 0 R /FG2 7 0 R >> /ProcSet [/PDF /Text] >> /AS /Off /V /Off >>": False,
    b"<< /Type /XObject /Subtype /Form /Name /Subtype /Length 9 >> stream\n/F#G1 /F#G1 endstream": False,
    b"<< /0 5 0 R /1 6 0 R /A#20B 7 0 R /Group << /Type /Group /S /Transparency >> >>": False,
    b"<< /0 5 0 R /0 6 0 R >>": True,
    b"<< /XObject << /FG1 6 0 R /F#G1 7 0 R >> >>": True,
    b"<< /XObject << /F#3G 6 0 R >> >>": True,
    b"<< /XObject << /F\x00G1 6 0 R >> >>": True,
    b"<< /XObject << /F\x0bG1 6 0 R >> >>": True,
    b"<< /XObject << /FG1 6 0 R >>": True,  # left open
}


@pytest.mark.parametrize("written, unsure", WRITTEN.items())
def test_keys_unsure(written: bytes, unsure: bool) -> None:
    assert keys_unsure(b"3 0 obj\n" + written + b"\nendobj") is unsure


# ---- Shown's tokens (numbers=False: a short array of strings and numbers one STRINGS, a run of operators it
# does not run one OPERATOR) give the events the plain tokens give ---------------------------------------------


class _Font:
    """A font whose characters are its name and the string's bytes: which font shows which string, as read."""

    def __init__(self, name: bytes) -> None:
        self.name = name

    def decode(self, part: bytes) -> list[int]:
        return list(self.name + b":" + part)

    def to_unichr(self, cid: int) -> str:
        return chr(cid)


class _Fonts:
    def get(self, resources: object, name: bytes, owner: object = None) -> tuple[_Font, dict[int, str], bool]:
        return _Font(name), {}, False


class _Recorded(Shown):
    """``Shown`` with each string shown (by font) and each form drawn, in order, in ``strings``."""

    def _form(self, resources: object, name: bytes, depth: int, owner: object = None) -> None:
        self.strings.append(f"Do {name!r}")


def _events(data: bytes) -> list[str]:
    shown = _Recorded(_Fonts(), 1)  # type: ignore[arg-type]
    shown.run(data, None, 0)
    return shown.strings


def _fixture_streams() -> list[bytes]:
    """Every page's content stream of the fixtures' PDFs."""
    streams = []
    for path in sorted(Path(__file__).parent.parent.glob("fixtures/**/*.pdf")):
        with path.open("rb") as f:
            for page in PDFPage.create_pages(PDFDocument(PDFParser(f))):
                streams.append(b"".join(resolve1(part).get_data() for part in page.contents))
    return streams


_PIECES = [b"(", b")", b"\\", b"<", b">", b"[", b"]", b"{", b"}", b"<<", b">>", b"/", b"%", b" ", b"\n", b"\x00", b"Do",
           b"Tf", b"TJ", b"Tj", b"'", b'"', b"q", b"Q", b"ID", b"EI", b"F1", b"1", b"-.5", b"x", b"(a)", b"<41>",
           b"[(a) 1]", b"[<4 1>( )]", b"[1 2]", b"\\(", b"BI /W 1 ID x EI", b"%c\n", b"Td", b"#"]
_LONG = content_tokens._REPEAT_MOST + 2
_HOSTILE = [
    b"/F1 1 Tf [" + b"(a) 1 " * _LONG + b"] TJ",  # an array too long for one STRINGS token
    b"/F1 1 Tf [" + b"(a)" * _LONG + b"(b) Tj",  # ... and left open
    b"(a) " + b"x 1 " * _LONG + b"/F2 Tf (b) Tj",  # a run of operators too long for one token
    b"(a) /F1 Tf " + b"1 " * _LONG + b"x Tj /F2 Tf (b) Tj" + b" %c\n" * _LONG + b"(c) '",
    b"/F1 1 Tf [(a) -1 <41 4>] TJ [( )] TJ q /F2 Tf [1 2] TJ Q (b) Tj /X Do [(c) /X Do] TJ (d) x Tj",
]


def _hostile_streams() -> list[bytes]:
    rnd = random.Random(17)
    fuzzed = [b" ".join(rnd.choice(_PIECES) for _ in range(rnd.randint(1, 30))) for _ in range(3000)]
    return _HOSTILE + fuzzed


@pytest.mark.parametrize("streams", [_fixture_streams, _hostile_streams], ids=["fixtures", "hostile"])
def test_shown_reads_the_same_through_its_own_tokens_as_through_the_plain_ones(
        streams, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    data = streams()
    ours = [_events(d) for d in data]
    monkeypatch.setattr(shown_module, "tokens", lambda d, numbers=True: content_tokens.tokens(d))
    assert ours == [_events(d) for d in data]
    assert any(ours)


def test_a_long_array_of_strings_is_refused_holding_no_more_than_the_page_limit() -> None:
    data = b"BT [" + b"(ab)" * 2**19 + b"] TJ ET"  # 2 MiB: half a million strings
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeFileError, match="^page 1 of this PDF draws more than 30,000 characters"):
            Shown(Fonts(), 1).run(data, None, 0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20  # the 30,000 strings the page may show, not the array's half million
