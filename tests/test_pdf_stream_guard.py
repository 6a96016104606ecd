"""A page's drawing counted as drawn: each form XObject once per ``Do``, before PDFium loads the page.

``source.StreamGuard`` measures a page before the pdfium source hands it to
PDFium, which parses each form XObject every time the page draws it. The
files are made here, byte by byte: nested forms drawn many times (a few kB
that PDFium would spend gigabytes on), a form drawn just past and just under
the page's budget, forms named in /Resources and never drawn (nothing to
count), a form drawing itself. Work is counted (streams parsed, streams run),
never timed.
"""

from __future__ import annotations

import io
import tracemalloc
import zlib
from typing import Optional

import pypdfium2 as pdfium
import pytest
from pdf_objects import assemble
from pdfminer import pdftypes
from pdfminer.pdftypes import PDFStream
from pypdf import PdfReader, PdfWriter

import msp_convert.parsers.pdf.source as source
from msp_convert.errors import CorruptFileError, UnsafeFileError
from msp_convert.parsers.pdf import parse_pdf
from msp_convert.parsers.pdf.limits import LIMITS
from msp_convert.parsers.pdf.source import StreamGuard, open_pdf, page_records

SOURCES = ("pdfium", "pdfplumber")
TEXT = b"BT /T 12 Tf 72 700 Td (Ava reads) Tj ET\n"  # every page says something: no page is a scan


def _stream(content: bytes, head: bytes = b"") -> bytes:
    packed = zlib.compress(content, 9)
    return b"<< %s /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (head, len(packed), packed)


class Written(bytes):
    """A form given as the object is written (not made from its content)."""


def _xobjects(names: list[bytes], number: dict[bytes, int]) -> bytes:
    return b"/XObject << " + b" ".join(b"/%s %d 0 R" % (n, number[n]) for n in names) + b" >>"


def one_page(content: bytes, forms: list[tuple[bytes, bytes, Optional[list[bytes]]]], page_names: list[bytes],
             then: Optional[bytes] = None) -> bytes:
    """A one-page PDF drawing ``TEXT`` then ``content``. ``forms``: (name, content, names in its own /Resources,
    or None for no /Resources); ``page_names``: the forms the page's /Resources name; ``then``: a second content
    stream (the object as written)."""
    number = {name: 6 + k for k, (name, _, _) in enumerate(forms)}
    contents = b"5 0 R" if then is None else b"[5 0 R %d 0 R]" % (6 + len(forms))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %s /Resources << /Font << /T 4 0 R >> " % contents
        + _xobjects(page_names, number) + b" >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        _stream(TEXT + content),
    ]
    for _, body, names in forms:
        resources = b"" if names is None else b"/Resources << " + _xobjects(names, number) + b" >>"
        written = body if isinstance(body, Written) else _stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] " + resources)
        objects.append(written)
    if then is not None:
        objects.append(then)
    return assemble(objects)


def nested(levels: int = 5, times: int = 100) -> bytes:
    """F0 draws a line; each F<k> draws F<k-1> ``times`` times; the page draws the top one once."""
    forms: list[tuple[bytes, bytes, Optional[list[bytes]]]] = [(b"F0", b"0 0 m 1 0 l S\n", [])]
    for k in range(1, levels):
        forms.append((b"F%d" % k, b"/F%d Do\n" % (k - 1) * times, [b"F%d" % (k - 1)]))
    top = b"F%d" % (levels - 1)
    return one_page(b"/%s Do\n" % top, forms, [top])


def drawn(times: int, size: int = 4096) -> bytes:
    """A form of ``size`` bytes (a comment: it draws nothing) drawn ``times`` times by the page."""
    return one_page(b"/F Do\n" * times, [(b"F", b"%" + b"x" * (size - 2) + b"\n", [])], [b"F"])


def unused(forms: int = 10_000, size: int = 2048) -> bytes:
    """A page whose /Resources name ``forms`` forms of ``size`` bytes each (more than the page's budget in all),
    none of them drawn."""
    made = [(b"U%d" % k, b"%" + b"%d" % k + b"x" * (size - 8) + b"\n", []) for k in range(forms)]
    return one_page(b"", made, [name for name, _, _ in made])


def _never_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFium may not load a page: the guard must refuse it first."""

    def load(*_: object) -> None:
        raise AssertionError("PDFium loaded a page the guard should have refused")

    monkeypatch.setattr(pdfium.PdfDocument, "get_page", load)


def _text(data: bytes, source_: str) -> str:
    document = parse_pdf(data, source=source_).value
    return " ".join(p.text for p in document.body if hasattr(p, "text"))


# ---- forms drawn many times: refused before PDFium loads the page ---------------------------


def test_the_guard_refuses_nested_forms_drawn_many_times_having_parsed_each_once() -> None:
    data = nested()
    assert len(data) < 4_000  # a few kB: 100 ** 4 lines drawn
    guard = StreamGuard(data)
    with pytest.raises(UnsafeFileError) as refused:
        guard.check(1)
    message = str(refused.value)
    assert message.startswith("page 1 of this PDF runs more than 20,000 drawing streams") and "\n" not in message
    assert message.endswith("check it is the right file, or print the plan to a new PDF")
    assert guard.parsed <= 5  # the page's stream and each form once, however often drawn


@pytest.mark.parametrize("source_", SOURCES)
def test_nested_forms_drawn_many_times_are_refused_by_both_sources(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _never_loaded(monkeypatch)
    runs = []
    counted = source._Budget.stream
    monkeypatch.setattr(source._Budget, "stream", lambda self, obj: (runs.append(1), counted(self, obj))[1])
    with pytest.raises(UnsafeFileError, match="^page 1 of this PDF runs more than 20,000 drawing streams"):
        parse_pdf(nested(), source=source_)
    assert len(runs) <= LIMITS.streams_per_page + 1  # pdfplumber: streams run one by one, stopped at the limit


@pytest.mark.parametrize("source_", SOURCES)
def test_a_form_drawn_past_the_pages_budget_is_refused(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # 4,200 draws of 4 KiB: 16.4 MiB, past the page's 16 MiB (the form alone is 4 KiB, the page 25 kB)
    _never_loaded(monkeypatch)
    with pytest.raises(UnsafeFileError, match="^page 1 of this PDF holds more than 16 MiB of drawing instructions"):
        parse_pdf(drawn(4_200), source=source_)


def test_the_guard_counts_each_draw_of_a_form() -> None:
    data = drawn(4_000)  # 16.0 MB: under the budget
    guard = StreamGuard(data)
    guard.check(1)
    page = len(TEXT) + len(b"/F Do\n") * 4_000
    assert (guard.budget.streams, guard.budget.content, guard.parsed) == (1 + 4_000, page + 4_000 * 4096, 2)


@pytest.mark.parametrize("source_", SOURCES)
def test_a_form_drawn_just_under_the_budget_is_read(source_: str) -> None:
    assert "Ava reads" in _text(drawn(4_000), source_)


# ---- forms never drawn cost nothing ------------------------------------------------------------


@pytest.mark.parametrize("source_", SOURCES)
def test_a_page_naming_10000_forms_it_never_draws_is_read(source_: str) -> None:
    data = unused()  # 20 MB of forms named, none drawn
    assert "Ava reads" in _text(data, source_)
    guard = StreamGuard(data)
    guard.check(1)
    assert (guard.budget.streams, guard.budget.content, guard.parsed) == (1, len(TEXT), 1)


# ---- what pdfminer and PDFium leave out: a form drawing itself, forms without /Resources ----------


def test_a_form_drawing_itself_is_refused_before_pdfium_draws_it_to_its_depth_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # PDFium redraws a form drawing itself to its own depth limit: twice a level, 2 ** depth draws (minutes, or
    # the memory of the machine); pdfminer skips the inner draw, so pdfplumber reads the page
    data = one_page(b"/F Do\n", [(b"F", b"0 0 m 1 0 l S\n/F Do\n/F Do\n", [b"F"])], [b"F"])
    assert "Ava reads" in _text(data, "pdfplumber")
    _never_loaded(monkeypatch)
    with pytest.raises(UnsafeFileError, match="^page 1 of this PDF draws a form inside itself, which would be drawn over and over; check it"):
        parse_pdf(data, source="pdfium")


def test_a_form_without_resources_draws_with_its_callers() -> None:
    # G has no /Resources: its /F is the page's (PDF 1.7, 4.9.1), so G's 100 draws of F are counted
    data = one_page(b"/G Do\n", [(b"F", b"0 0 m 1 0 l S\n", []), (b"G", b"/F Do\n" * 100, None)], [b"F", b"G"])
    guard = StreamGuard(data)
    guard.check(1)
    assert guard.budget.streams == 1 + 1 + 100


def _chain(n: int) -> bytes:
    """``n`` forms, each drawing the next once; the page draws the first."""
    forms: list[tuple[bytes, bytes, Optional[list[bytes]]]] = [(b"F0", b"0 0 m 1 0 l S\n", [])]
    forms += [(b"F%d" % k, b"/F%d Do\n" % (k - 1), [b"F%d" % (k - 1)]) for k in range(1, n)]
    return one_page(b"/F%d Do\n" % (n - 1), forms, [b"F%d" % (n - 1)])


def test_forms_nested_past_the_depth_limit_are_refused() -> None:
    with pytest.raises(UnsafeFileError, match=f"^page 1 of this PDF draws forms inside forms more than {LIMITS.form_depth} deep"):
        StreamGuard(_chain(LIMITS.form_depth + 1)).check(1)
    guard = StreamGuard(_chain(LIMITS.form_depth))
    guard.check(1)
    assert guard.budget.streams == 1 + LIMITS.form_depth


def test_marked_content_nested_past_its_limit_is_refused_before_pdfium_loads_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    # PDFium copies the open marks at each level: 100,000 BMC took 20 GB (a fuzzed mutant); a tagged PDF nests a few
    _never_loaded(monkeypatch)
    for deep in (b"BMC " * 100_000, b"/P BMC " * (LIMITS.marked_depth + 1), b"/P <</MCID 0>> BDC " * (LIMITS.marked_depth + 1)):
        with pytest.raises(UnsafeFileError, match=f"^page 1 of this PDF nests marked content more than {LIMITS.marked_depth} deep"):
            parse_pdf(one_page(deep, [], []), source="pdfium")


def test_marked_content_opened_and_closed_many_times_is_read() -> None:
    # depth, not count: a tagged page marks every run of text, each closed before the next opens
    spans = b"/Span <</MCID 0>> BDC EMC " * (LIMITS.marked_depth * 4) + b"/P BMC " * LIMITS.marked_depth + b"EMC " * LIMITS.marked_depth
    assert "Ava reads" in _text(one_page(spans, [], []), "pdfium")


# ---- a stream bomb wrapped in an ASCII encoding ---------------------------------------------------


@pytest.mark.parametrize("source_", SOURCES)
def test_a_flate_bomb_in_ascii_hex_is_refused_before_it_is_inflated(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    packed = zlib.compress(b" " * (LIMITS.content_bytes_per_page + 10), 9).hex().encode() + b">"
    bomb = b"<< /Length %d /Filter [/ASCIIHexDecode /FlateDecode] >>\nstream\n%s\nendstream" % (len(packed), packed)
    data = one_page(b"", [], [], then=bomb)
    assert len(data) < 100_000  # 33 kB that would inflate past the limit
    decode = PDFStream.decode

    def whole(stream: PDFStream) -> None:  # pdfminer inflating the bomb whole
        assert stream.get_filters()[0][0].name != "ASCIIHexDecode", "the bomb was inflated"
        decode(stream)

    monkeypatch.setattr(PDFStream, "decode", whole)
    _never_loaded(monkeypatch)
    with pytest.raises(UnsafeFileError, match="^page 1 of this PDF holds more than 16 MiB of drawing instructions"):
        parse_pdf(data, source=source_)


@pytest.mark.parametrize("source_", SOURCES)
def test_a_flate_bomb_in_an_encrypted_file_is_refused_before_it_is_inflated(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # encrypted with an owner password only (it opens without one): each stream is decrypted before it is measured
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(one_page(b" " * (LIMITS.content_bytes_per_page + 10), [], []))))
    writer.encrypt(user_password="", owner_password="fictional", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert len(out.getvalue()) < 100_000
    decode = PDFStream.decode

    def whole(stream: PDFStream) -> None:  # pdfminer inflating the bomb whole
        assert len(stream.rawdata or b"") < 1_000, "the bomb was inflated"
        decode(stream)

    monkeypatch.setattr(PDFStream, "decode", whole)
    _never_loaded(monkeypatch)
    with pytest.raises(UnsafeFileError, match="^page 1 of this PDF holds more than 16 MiB of drawing instructions"):
        parse_pdf(out.getvalue(), source=source_)


def _not_decoded_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfminer may decode only small streams whole: the bombs here are measured, and refused, first."""
    decode = PDFStream.decode

    def whole(stream: PDFStream) -> None:
        assert len(stream.get_filters()) < 2, "the bomb was decoded whole"  # the bombs here have two filters
        decode(stream)

    monkeypatch.setattr(PDFStream, "decode", whole)


@pytest.mark.parametrize("source_", SOURCES)
def test_a_run_length_bomb_under_flate_is_refused_before_it_is_decoded(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = bytes([129, 32]) * (LIMITS.content_bytes_per_page // 128 + 1) + bytes([128])  # 128 spaces a pair
    packed = zlib.compress(runs, 9)
    bomb = b"<< /Length %d /Filter [/FlateDecode /RunLengthDecode] >>\nstream\n%s\nendstream" % (len(packed), packed)
    data = one_page(b"", [], [], then=bomb)
    assert len(data) < 10_000
    _not_decoded_whole(monkeypatch)
    _never_loaded(monkeypatch)
    with pytest.raises(UnsafeFileError, match="^page 1 of this PDF holds more than 16 MiB of drawing instructions"):
        parse_pdf(data, source=source_)


def test_a_damaged_form_counts_what_decodes_before_the_damage() -> None:
    # 1 MiB, damaged (zlib finds it only at the end, at its check): pdfminer and PDFium read the 1 MiB.
    # The page draws it 10 times, and a form drawing it 10 times more: 20 MiB
    body = zlib.compress(b"%" + b"x" * (2**20 - 2) + b"\n", 9)
    damaged = body[: len(body) // 2] + b"\xff" * 64 + body[len(body) // 2 :]
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
    forms = [(b"F", Written(form % (len(damaged), damaged)), []), (b"G", b"/F Do\n" * 10, [b"F"])]
    data = one_page(b"/F Do\n" * 10 + b"/G Do\n", forms, [b"F", b"G"])
    with pytest.raises(UnsafeFileError, match="^page 1 of this PDF holds more than 16 MiB of drawing instructions"):
        StreamGuard(data).check(1)


# ---- Do as PDFium runs it: read flat, whatever pdfminer's parser makes of the stream -----------------


def _nested_around(before: bytes, after: bytes = b"", draw: bytes = b"/F%d Do\n") -> bytes:
    """``nested(4, 40)`` (64,000 draws of F0), each stream's draws written as ``before`` <draws> ``after``,
    each draw as ``draw``."""
    forms: list[tuple[bytes, bytes, Optional[list[bytes]]]] = [(b"F0", b"0 0 m 1 0 l S\n", [])]
    for k in range(1, 4):
        forms.append((b"F%d" % k, before + draw % (k - 1) * 40 + after, [b"F%d" % (k - 1)]))
    return one_page(before + draw % 3 + after, forms, [b"F3"])


DRAWN_TOO_OFTEN = "^page 1 of this PDF runs more than 20,000 drawing streams"


def _refused_by_the_guard(data: bytes, match: str = DRAWN_TOO_OFTEN) -> None:
    with pytest.raises(UnsafeFileError, match=match):
        StreamGuard(data).check(1)


def test_draws_after_an_unclosed_brace_are_counted() -> None:
    _refused_by_the_guard(_nested_around(b"{ "))  # PDFium skips "{": pdfminer's parser hid every draw


def test_draws_inside_braces_are_counted() -> None:
    _refused_by_the_guard(_nested_around(b"{ ", b"}\n"))


def test_a_string_naming_the_form_is_counted() -> None:
    _refused_by_the_guard(_nested_around(b"", draw=b"(F%d) Do\n"))  # PDFium reads (F0) as /F0


def test_a_hex_string_naming_the_form_is_counted() -> None:
    draw = b"<%s> Do\n"
    forms: list[tuple[bytes, bytes, Optional[list[bytes]]]] = [(b"F0", b"0 0 m 1 0 l S\n", [])]
    for k in range(1, 4):
        forms.append((b"F%d" % k, draw % (b"F%d" % (k - 1)).hex().encode() * 40, [b"F%d" % (k - 1)]))
    _refused_by_the_guard(one_page(draw % b"F3".hex().encode(), forms, [b"F3"]))


def test_draws_after_an_inline_image_holding_ei_are_counted() -> None:
    # the image's 4 bytes are "EI (": pdfminer ends the image at that EI, then "(" makes the draws a string
    _refused_by_the_guard(_nested_around(b"BI /W 4 /H 1 /BPC 8 /CS /G ID EI ( EI\n", b")\n"))


def test_a_form_with_resources_but_no_xobjects_draws_the_pages_forms() -> None:
    # PDFium looks a name up in the page's /XObject when a form's /Resources has none: 100 draws of F counted
    font = b"/Resources << /Font << >> >>"
    g = _stream(b"/F Do\n" * 100, b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] " + font)
    data = one_page(b"/G Do\n", [(b"F", b"0 0 m 1 0 l S\n", []), (b"G", Written(g), [])], [b"F", b"G"])
    guard = StreamGuard(data)
    guard.check(1)
    assert guard.budget.streams == 1 + 1 + 100


def test_a_stream_that_does_not_decode_draws_nothing_and_the_guard_stays_on() -> None:
    bogus = b"<< /Length 3 /Filter /Bogus >>\nstream\nabc\nendstream"  # pdfminer raises reading it
    data = one_page(b"", [], [], then=bogus)
    guard = StreamGuard(data)
    guard.check(1)
    assert (guard.budget.streams, guard.budget.content) == (2, len(TEXT))
    hostile = nested(4, 40)  # the same bogus stream beside 64,000 draws: still refused
    page = hostile.replace(b"/Contents 5 0 R", b"/Contents [99 0 R 5 0 R]").replace(b"trailer", b"99 0 obj\n" + bogus + b"\nendobj\ntrailer")
    _refused_by_the_guard(page)


def test_a_page_tree_pdfminer_cannot_read_is_refused_not_left_unguarded() -> None:
    # the page tree names an object that is not there, and no object says it is a page (pdfminer looks for one)
    data = one_page(b"", [], []).replace(b"/Kids [3 0 R]", b"/Kids [9 0 R]").replace(b"/Type /Page /", b"/Type /Leaf /")
    with pytest.raises(CorruptFileError, match="^this PDF's pages cannot be read in full") as refused:
        StreamGuard(data).check(1)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("source_", SOURCES)
def test_a_content_stream_in_an_image_codec_is_refused_undecoded(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    decoded = []
    monkeypatch.setattr(pdftypes, "ccittfaxdecode", lambda *a: decoded.append(1) or b"")
    raw = b"\xff" * 80  # pdfminer's pure-Python CCITT decoder: 41 s for these 80 bytes
    fax = b"<< /Length 80 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 100000 >> >>\nstream\n%s\nendstream" % raw
    _never_loaded(monkeypatch)
    with pytest.raises(CorruptFileError, match="^this PDF is damaged: its drawing instructions are encoded as an image"):
        parse_pdf(one_page(b"", [], [], then=fax), source=source_)
    assert decoded == []


@pytest.mark.parametrize("source_", SOURCES)
def test_a_flate_bomb_before_an_unknown_filter_is_refused_undecoded(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    packed = zlib.compress(b" " * (LIMITS.content_bytes_per_page * 4), 9)
    bomb = b"<< /Length %d /Filter [/FlateDecode /Bogus] >>\nstream\n%s\nendstream" % (len(packed), packed)
    _not_decoded_whole(monkeypatch)
    _never_loaded(monkeypatch)
    with pytest.raises(UnsafeFileError, match="^page 1 of this PDF holds more than 16 MiB of drawing instructions"):
        parse_pdf(one_page(b"", [], [], then=bomb), source=source_)


def test_only_names_of_forms_are_kept_and_nothing_past_the_page() -> None:
    # 20,000 names drawn, none of them in /Resources, nor one PDFium may have read off a key with a bad "#" escape
    # (no "0": "#3G" is "0" to PDFium; those count as any form, test_pdf_stream_scan)
    names = b"".join(b"/n%d Do\n" % k for k in range(20_000)).replace(b"0", b"o")
    data = one_page(b"/F Do\n", [(b"F", names + b"/F0 Do\n", [b"F0"]), (b"F0", b"0 0 m 1 0 l S\n", [])], [b"F"])
    kept = []
    read = StreamGuard._read
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(StreamGuard, "_read", lambda self, *a: (kept.append(read(self, *a)), kept[-1])[1])
    try:
        guard = StreamGuard(data)
        guard.check(1)
    finally:
        monkeypatch.undo()
    assert kept == [[("F", 1)], [("F0", 1)], []]
    assert (guard._drawn, guard._named, guard.budget.streams) == ({}, {}, 3)


def test_an_array_of_millions_of_numbers_costs_no_stack() -> None:
    data = one_page(b"[ " + b"1 " * 2_000_000 + b"\n/F Do\n", [(b"F", b"0 0 m 1 0 l S\n", [])], [b"F"])
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeFileError, match="values in arrays"):  # PDFium would build them all (array_items)
            StreamGuard(data).check(1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30 * 2**20  # the 4 MB stream decoded and joined; pdfminer's stack held 2 million numbers


def test_text_drawn_only_as_a_clip_is_invisible_to_pdfplumber_too() -> None:
    content = b"BT /T 12 Tf 72 650 Td 7 Tr (clip) Tj ET\n"
    (page,) = page_records(open_pdf(one_page(content, [], [])))
    assert [(g.text, g.ocr) for g in page.glyphs if g.text in "clip"] == [(c, True) for c in "clip"]


def test_a_do_after_anything_but_a_name_may_draw_any_form_and_words_in_text_draw_nothing() -> None:
    # PDFium looks up a number's text (1 Do: /1), and "" for Do alone or after an array; a comment hides a name
    def drawn(data: bytes, forms: set[str], most: int) -> dict[str, int]:
        return source._drawn(data, source._Named(frozenset(forms)), most)

    assert drawn(b"1 Do Do [] Do", {"1", "F"}, 99) == {"1": 3, "F": 3}
    assert drawn(b"(G) % /F\nDo", {"F", "G"}, 99) == {"F": 1, "G": 1}
    assert drawn(b"(Do not) Tj /F Do %Do\n/#46 {Do}", {"F", "G"}, 99) == {"F": 2}
    assert drawn(b"/F Do\n" * 100, {"F"}, 10) == {"F": 11}  # counting stops past the most


def in_object_streams(pages: int, per_stream: int = 10, resources: bytes = b"", lying: bool = False) -> bytes:
    """A PDF of ``pages`` pages, each drawing ``TEXT``, whose catalog, page tree, font and page dictionaries sit in
    object streams of ``per_stream`` objects each (an xref stream finds them); content streams stand alone.
    ``resources``: more of each page's /Resources, as written. ``lying``: the first stream's header gives its
    first two objects each other's offsets (pdfminer reads objects in order, PDFium where the header says)."""
    kept = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + k) for k in range(pages)), pages),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kept += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << /Font << /T 3 0 R >> %s >> >>"
             % (4 + pages + k, resources) for k in range(pages)]
    first = 4 + 2 * pages  # the object streams' numbers, then the xref stream's
    groups = [kept[i : i + per_stream] for i in range(0, len(kept), per_stream)]
    out, where = bytearray(b"%PDF-1.7\n"), {}
    for k in range(pages):
        where[4 + pages + k] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (4 + pages + k, _stream(TEXT))
    for g, group in enumerate(groups):
        heads, body = [], b""
        for i, obj in enumerate(group):
            heads.append(b"%d %d" % (1 + g * per_stream + i, len(body)))
            body += obj + b"\n"
        if lying and g == 0:
            (a, at_a), (b, at_b) = heads[0].split(), heads[1].split()
            heads[0], heads[1] = a + b" " + at_b, b + b" " + at_a
        head = b" ".join(heads) + b"\n"
        where[first + g] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (first + g, _stream(head + body, b"/Type /ObjStm /N %d /First %d" % (len(group), len(head))))
    xref, size = first + len(groups), first + len(groups) + 1
    where[xref] = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    for n in range(1, size):
        if n in where:
            rows.append(b"\x01" + where[n].to_bytes(4, "big") + b"\x00\x00")
        else:
            g, i = divmod(n - 1, per_stream)
            rows.append(b"\x02" + (first + g).to_bytes(4, "big") + i.to_bytes(2, "big"))
    out += b"%d 0 obj\n%s\nendobj\n" % (xref, _stream(b"".join(rows), b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R" % size))
    out += b"startxref\n%d\n%%%%EOF\n" % where[xref]
    return bytes(out)


def test_the_guard_parses_each_object_stream_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfminer without its cache parsed a whole object stream for each object it fetched from it: 60 pages in
    object streams of 10 cost 200-odd parses of them, now one each (kept within ``LIMITS.object_streams_kept``)."""
    data = in_object_streams(60)
    parsed: list[object] = []
    whole = source._packed_objects

    def counted(document: object, data: bytes, stream: PDFStream) -> object:
        parsed.append(stream.objid)
        return whole(document, data, stream)  # type: ignore[arg-type]

    monkeypatch.setattr(source, "_packed_objects", counted)
    guard = StreamGuard(data)
    for number in range(1, 61):
        guard.check(number)
    assert guard.budget.page == 60 and len(parsed) == len(set(parsed)) == 7
    assert _text(data, "pdfium").count("Ava reads") == 60


def test_an_object_stream_whose_header_lies_is_refused() -> None:
    """PDFium reads each object where the header says, pdfminer in order: a header that lies would show the
    guard one object (a harmless form) and PDFium another (a bomb)."""
    assert _text(in_object_streams(3), "pdfium").count("Ava reads") == 3
    with pytest.raises(UnsafeFileError, match="object streams say their objects are where they are not"):
        StreamGuard(in_object_streams(3, lying=True)).check(1)


@pytest.mark.parametrize("limit", [{"object_streams_kept": 200}, {"object_streams_parsed": 2000}])
def test_object_streams_past_what_the_guard_parses_are_refused(monkeypatch: pytest.MonkeyPatch, limit: dict) -> None:
    """One stream larger than the guard keeps, or more parsed in all than it allows (parsed again and again, a
    6 KB file kept the guard busy for minutes), is refused: time and memory stay bounded."""
    monkeypatch.setattr(source, "LIMITS", source.LIMITS.__class__(**limit))
    with pytest.raises(UnsafeFileError, match="packs more into its object streams"):
        guard = StreamGuard(in_object_streams(60))
        for number in range(1, 61):
            guard.check(number)


def test_object_streams_kept_stay_within_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """With room for one object stream or two only, the guard still reads every page (parsing some again)."""
    data = in_object_streams(60)
    monkeypatch.setattr(source, "LIMITS", source.LIMITS.__class__(object_streams_kept=2500))
    guard = StreamGuard(data)
    most = 0
    for number in range(1, 61):
        guard.check(number)
        most = max(most, guard.document._kept_size)
        assert 1 <= len(guard.document._kept) <= 2
    assert 0 < most <= 2500 and guard.budget.page == 60


def test_a_page_in_an_object_stream_is_read_as_written_there() -> None:
    """The page's dictionary, in an object stream, names /FG1 and /F#G1 (one key for pdfminer, two for PDFium)."""
    StreamGuard(in_object_streams(12)).check(1)
    guard = StreamGuard(in_object_streams(12, resources=b"/XObject << /FG1 3 0 R /F#G1 3 0 R >>"))
    with pytest.raises(UnsafeFileError, match="^page 1 of this PDF names the drawings it holds in a way PDF readers"):
        guard.check(1)


def test_the_page_tree_is_read_once_a_document_not_once_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page's /Parent chain (whose resources it may inherit) is read once a file: the /Pages node, its /Kids
    a page each, is not parsed again for every page (quadratic in pages: 500 pages took 4 s)."""
    writer = PdfWriter()
    for _ in range(40):
        writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    guard, fetched = StreamGuard(out.getvalue()), []
    root = guard.document.catalog["Pages"].objid
    getobj = guard.document.getobj
    monkeypatch.setattr(guard.document, "getobj", lambda objid: fetched.append(objid) or getobj(objid))
    for number in range(1, 41):
        guard.check(number)
    assert 1 <= fetched.count(root) <= 2


def test_the_guard_parses_each_object_once_a_document_streams_aside_and_keeps_at_most_its_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    guard = StreamGuard(one_page(b"", [], []))
    parsed: list[int] = []
    parse = source.PDFDocument._getobj_parse
    monkeypatch.setattr(source.PDFDocument, "_getobj_parse", lambda self, pos, objid: (parsed.append(objid), parse(self, pos, objid))[1])
    font = guard.document.getobj(4)
    assert guard.document.getobj(4) is font and parsed == [4]  # a page's font read again: not parsed again
    assert guard.document.getobj(5) is not guard.document.getobj(5)  # a stream (its data decoded) is never kept
    monkeypatch.setattr(source, "LIMITS", source.LIMITS.__class__(objects_kept=8))
    guard = StreamGuard(one_page(b"", [], []))  # the catalog (3 items) read
    guard.document.getobj(2), guard.document.getobj(4)  # the Pages node (5 items) kept; the Font (5) past the room
    del parsed[:]
    guard.document.getobj(2), guard.document.getobj(4)
    assert parsed == [4]
