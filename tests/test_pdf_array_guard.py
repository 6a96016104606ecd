"""One array (or inline dictionary) of a content stream holding too many items: refused before a reader builds it.

PDFium and pdfminer make an object of each item of an array in a content
stream: a 17 kB PDF whose page shows one TJ of 16 MiB of numbers (it
compresses to nothing) drew nothing, so no limit on what is drawn refused it,
and reading it took 534 MB (PDFium) or 1 GB and 26 s (pdfminer). The guard
counts the items of every outermost array, dictionary and procedure, strings,
comments and inline images passed over as the project's tokenizer passes them
(``content_tokens.array_items``), in the page's streams and each form's, and
refuses the page past ``LIMITS.array_items``. The files are made here, byte by
byte; work is counted, never timed.
"""

from __future__ import annotations

import zlib

import pytest
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import resolve1
from test_pdf_stream_guard import _never_loaded, _text, one_page

from msp_convert.errors import UnsafeFileError
from msp_convert.parsers.pdf import parse_pdf
from msp_convert.parsers.pdf.content_tokens import array_items
from msp_convert.parsers.pdf.limits import LIMITS
from msp_convert.parsers.pdf.source import StreamGuard

SOURCES = ("pdfium", "pdfplumber")
MOST = LIMITS.array_items
REFUSED = f"^page 1 of this PDF gives one drawing instruction more than {MOST:,} values in arrays"


def _tj(items: int, item: bytes = b"0 ", before: bytes = b"") -> bytes:
    """A text object showing one TJ of ``items`` items (``item`` each), ``before`` just after its ``[``."""
    return b"BT /T 12 Tf 72 600 Td [" + before + item * items + b"] TJ ET\n"


def _never_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfminer may not parse a stream long enough to hold the array: the guard must refuse it first."""
    run = PDFPageInterpreter.execute

    def execute(self: PDFPageInterpreter, streams: list) -> None:
        long = [s for s in map(resolve1, streams) if len(s.get_data()) > MOST]
        assert not long, "pdfminer parsed a stream the guard should have refused"
        run(self, streams)

    monkeypatch.setattr(PDFPageInterpreter, "execute", execute)


def _unread(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (_never_loaded if source_ == "pdfium" else _never_parsed)(monkeypatch)


@pytest.mark.parametrize("source_", SOURCES)
def test_an_array_past_the_limit_is_refused_before_either_reader_builds_it(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _unread(source_, monkeypatch)
    with pytest.raises(UnsafeFileError, match=REFUSED):
        parse_pdf(one_page(_tj(MOST + 1), [], []), source=source_)


def test_the_17_kb_bomb_of_16_mib_of_numbers_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    items = (LIMITS.content_bytes_per_page - 200) // 2  # just under the page's bytes: only the array is too much
    data = one_page(_tj(items), [], [])
    assert len(data) < 20_000
    _never_loaded(monkeypatch)
    with pytest.raises(UnsafeFileError, match=REFUSED):
        parse_pdf(data, source="pdfium")


@pytest.mark.parametrize("source_", SOURCES)
def test_a_long_real_tj_and_an_array_of_just_the_limit_are_read(source_: str) -> None:
    kerned = _tj(1500, b"(Ava) -120 ")  # 3,000 items: a long line of kerned text
    assert "AvaAva" in _text(one_page(kerned, [], []), source_).replace(" ", "")
    assert "Ava reads" in _text(one_page(_tj(MOST), [], []), source_)


@pytest.mark.parametrize("hidden", [b"(]) ", b"(\\]) ", b"<5D> (a]b[c) ", b"%]\n", b"(\\)]) "])
def test_an_array_holding_a_closing_bracket_in_a_string_or_comment_is_counted_whole(hidden: bytes) -> None:
    # a scan by brackets alone would end the array at the string's "]" and count a handful of items
    with pytest.raises(UnsafeFileError, match=REFUSED):
        StreamGuard(one_page(_tj(MOST + 1, before=hidden), [], [])).check(1)


def test_an_opening_bracket_in_a_string_opens_no_array() -> None:
    # "([)" then numbers, no array: the numbers are operands one at a time, and the page is read
    numbers = b"([) " + b"0 " * (MOST + 1) + b"pop\n" + b"(\\[) (() [) " + b"1 " * (MOST + 1) + b"pop\n"
    assert array_items(numbers, MOST) == 0
    StreamGuard(one_page(numbers, [], [])).check(1)


def test_nested_arrays_and_a_dictionary_count_every_item_inside_the_outermost() -> None:
    assert array_items(b"[" + b"[0 0] " * (MOST // 2) + b"]", MOST) > MOST
    assert array_items(b"/P <<" + b"/K 0 " * (MOST // 2 + 1) + b">> BDC EMC", MOST) > MOST
    assert array_items(b"[" + b"/" * (MOST + 1) + b"]", MOST) > MOST  # a name is one byte at least
    assert array_items(b"[" + b"0 " * MOST + b"]", MOST) == MOST


@pytest.mark.parametrize("source_", SOURCES)
def test_an_array_in_a_forms_stream_is_counted(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = one_page(b"/F Do\n", [(b"F", _tj(MOST + 1), [])], [b"F"])
    _unread(source_, monkeypatch)
    with pytest.raises(UnsafeFileError, match=REFUSED):
        parse_pdf(data, source=source_)


def test_an_array_split_between_a_pages_two_streams_is_counted_whole() -> None:
    # PDFium joins a page's streams with a space: "[" in one, its items in the next
    rest = zlib.compress(b"0 " * (MOST + 1) + b"] TJ ET\n")
    then = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(rest), rest)
    with pytest.raises(UnsafeFileError, match=REFUSED):
        StreamGuard(one_page(b"BT /T 12 Tf [", [], [], then=then)).check(1)


@pytest.mark.parametrize("source_", SOURCES)
def test_an_array_after_an_inline_images_data_is_counted(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # PDFium ends a 1 x 1 image after its one byte and reads on to EI, making the array a scan to EI passes over
    image = b"q BI /W 1 /H 1 /BPC 8 /CS /G ID x [" + b"0 " * (MOST + 1) + b"] EI Q\n"
    _unread(source_, monkeypatch)
    with pytest.raises(UnsafeFileError, match=REFUSED):
        parse_pdf(one_page(image, [], []), source=source_)


@pytest.mark.parametrize("source_", SOURCES)
def test_a_small_inline_image_and_a_long_page_after_it_are_read(source_: str) -> None:
    # the data, ID to its first EI, may hold at most twice as many tokens as its spaces and delimiters (2), and one;
    # past that EI the stream is scanned as usual: a page of kerned text (each TJ 60 items) is read
    text = b"BT /T 12 Tf 72 500 Td (more) Tj ET\n" * 3000
    kerned = b"".join(b"BT /T 6 Tf 36 %d Td [" % (800 - 3 * k) + b"(a) -12 (v) -8 " * 15 + b"] TJ ET\n" for k in range(500))
    image = b"q 1 0 0 1 72 72 cm BI /W 2 /H 1 /BPC 8 /CS /G ID \x80\x40 EI Q\n"
    for page in (text, kerned):
        assert len(image + page) > MOST and array_items(image + page, MOST) == 5
    assert "Ava reads" in _text(one_page(image + text, [], []), source_)
    parse_pdf(one_page(image + kerned, [], []), source=source_)  # not refused


@pytest.mark.parametrize("source_", SOURCES)
def test_an_unclosed_hex_string_opening_an_array_hides_none_of_it(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # pdfminer ends "<1" at "." and builds every number; PDFium reads "<1 ( >" as one string and the array after it
    for content in (b"BT [<" + b"1. " * (MOST + 1) + b"] TJ ET\n", b"BT <1 ( > [" + b"1 " * (MOST + 1) + b"] TJ ET\n"):
        assert array_items(content, MOST) > MOST
    _unread(source_, monkeypatch)
    with pytest.raises(UnsafeFileError, match=REFUSED):
        parse_pdf(one_page(b"BT /T 12 Tf [<" + b"1. " * (MOST + 1) + b"] TJ ET\n", [], []), source=source_)


@pytest.mark.parametrize("source_", SOURCES)
def test_an_inline_images_dictionary_is_counted(source_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # pdfminer keeps every token from BI to ID, PDFium a dictionary of its keys: no bracket holds them
    pairs = b"".join(b"/k%x 1 " % i for i in range(MOST // 2 + 1))
    content = b"q BI /W 1 /H 1 /BPC 8 /CS /G " + pairs + b"ID x EI Q\n"
    assert array_items(content, MOST) > MOST
    assert array_items(b"q BI /W 1 " + pairs, MOST) > MOST  # no ID: to the stream's end
    _unread(source_, monkeypatch)
    with pytest.raises(UnsafeFileError, match=REFUSED):
        parse_pdf(one_page(content, [], []), source=source_)


@pytest.mark.parametrize("between", [b"n", b"zz", b"0 0 Td"])
def test_pdfminer_keeps_no_more_than_the_last_64_operands(between: bytes) -> None:
    # pdfminer's pop takes an operator's own operands only: arrays before "n", an unknown word or "0 0 Td" stayed on
    # its stack to the page's end (56 arrays of 99,000 numbers: 307 MB); the interpreter keeps the last 64
    from msp_convert.parsers.pdf.source import _CountingInterpreter

    kept = []
    run = _CountingInterpreter.execute

    def execute(self: _CountingInterpreter, streams: list) -> None:
        run(self, streams)
        kept.append(len(self.argstack))

    array = b"[" + b"1 " * 50 + b"] "
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_CountingInterpreter, "execute", execute)
        assert "Ava reads" in _text(one_page((array + between + b"\n") * 200, [], []), "pdfplumber")
    assert kept and max(kept) <= 64
    half = b"[" + b"0 " * (MOST // 2 + 1) + b"] "  # two such arrays, an operator of none between: pdfminer keeps both
    with pytest.raises(UnsafeFileError, match=REFUSED):
        parse_pdf(one_page(b"BT " + half + between + b" " + half + b"TJ ET\n", [], []), source="pdfplumber")


def test_runs_of_one_byte_are_matched_a_thousand_bytes_at_a_time() -> None:
    # "I", comments and empty strings each took one match a byte (16 MiB of "I": 0.2 -> 3.5 s a page)
    from msp_convert.parsers.pdf.content_tokens import _BRACKETS

    for run in (b"I", b"%\n", b"<>", b"()", b"B", b"<> %x\n() "):
        data = run * 100_000
        assert sum(1 for _ in _BRACKETS.finditer(data)) * 500 < len(data)
        assert array_items(data, MOST) == 0
    assert array_items(b"BT [ % Tj\n" + b"0 " * MOST + b"] TJ ET", MOST) == MOST  # a comment's word runs nothing


def test_arrays_given_to_one_operator_are_counted_together() -> None:
    # PDFium keeps an operator's operands (16 of them) until it runs: 84 arrays of 99,000 numbers, no operator
    # between them, held 177 MB; one operator between each frees the one before
    half = b"[" + b"0 " * (MOST // 2 + 1) + b"] "
    for operand in (b"", b"true ", b"(Tj) ", b"%Tj\n", b"/Tj "):
        with pytest.raises(UnsafeFileError, match=REFUSED):
            StreamGuard(one_page(b"BT " + half + operand + half + b"TJ ET\n", [], [])).check(1)
    StreamGuard(one_page(b"BT " + half + b"TJ " + half + b"TJ ET\n", [], [])).check(1)
