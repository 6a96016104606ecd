"""The pdfium source's spaces come from what the content stream draws, never from the width of a gap.

PDFium's text page keeps one space of a run and cannot tell a run of real
spaces from one space widened by word spacing (Tw), character spacing (Tc)
or a TJ gap. Each PDF here is a few bytes of content stream written by
hand (a word processor's own justification does not make the case), read
through both page sources; pdfminer (pdfplumber's) reads the stream as drawn.
"""

from __future__ import annotations

import tracemalloc

import pytest
from pdf_objects import assemble

from msp_convert.errors import UnsafeFileError
from msp_convert.parsers.pdf import parse_pdf
from msp_convert.parsers.pdf.limits import LIMITS
from msp_convert.parsers.pdf.pdfium_source import open_pdfium, pdfium_records
from msp_convert.parsers.pdf.records import INVISIBLE_TEXT_CONFIDENCE
from msp_convert.parsers.pdf.source import StreamGuard, open_pdf, page_records

HELVETICA = b"/F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _pdf(content: bytes, form: bytes = b"", font: bytes = HELVETICA) -> bytes:
    """A one-page A4 PDF drawing ``content`` with Helvetica (or ``font``) as /F1 (and ``form`` as the form XObject
    /X1), its cross-reference table written out."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << " + font
        + b" >> /XObject << /X1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << " + font
        + b" >> >> /Length %d >>\nstream\n" % len(form) + form + b"\nendstream",
    ]
    return assemble(objects, b"1.4")


def _glyphs(data: bytes, source: str):  # type: ignore[no-untyped-def]
    if source == "pdfium":
        doc = open_pdfium(data)
        try:
            (page,) = pdfium_records(doc, StreamGuard(data))
        finally:
            doc.close()
    else:
        doc = open_pdf(data)
        try:
            (page,) = page_records(doc)
        finally:
            doc.close()
    return page.glyphs


def _text(content: bytes, source: str) -> str:
    return "".join(g.text for g in _glyphs(_pdf(content), source))


CASES = {
    # one space widened by word spacing: justified text
    "word spacing": (b"BT /F1 12 Tf 40 Tw 72 700 Td (one two three) Tj ET", "one two three"),
    "character spacing": (b"BT /F1 12 Tf 5 Tc 72 700 Td (one two) Tj ET", "one two"),
    # one space, then a TJ gap of 20 em
    "TJ gap": (b"BT /F1 12 Tf 72 700 Td [(one ) -20000 (two)] TJ ET", "one two"),
    "TJ gap, no space": (b"BT /F1 12 Tf 72 700 Td [(one) -20000 (two)] TJ ET", "onetwo"),
    # real runs of spaces stay as many, widened or not
    "run of four": (b"BT /F1 12 Tf 72 700 Td (one    two) Tj ET", "one    two"),
    "run of four, widened": (b"BT /F1 12 Tf 10 Tw 72 700 Td (one    two) Tj ET", "one    two"),
    "trailing, widened": (b"BT /F1 12 Tf 40 Tw 72 700 Td (one  ) Tj ET BT /F1 12 Tf 72 680 Td (two) Tj ET",
                          "one  two"),
    "leading, widened": (b"BT /F1 12 Tf 72 700 Td (one ) Tj 30 Tw (   two) Tj ET", "one    two"),
    "spaces alone, widened": (b"BT /F1 12 Tf 72 700 Td (one) Tj 30 Tw (   ) Tj (two) Tj ET", "one   two"),
    # a page whose text page marks a hyphen ending a line (its text has U+0002 there, the stream "-") is in step
    "run after a hyphen ending a line": (b"BT /F1 12 Tf 72 700 Td (a well-) Tj 0 -14 Td (known    word) Tj ET",
                                         "a well-known    word"),
}


@pytest.mark.parametrize("case", CASES)
def test_spaces_are_read_as_the_stream_draws_them(case: str) -> None:
    content, text = CASES[case]
    assert _text(content, "pdfplumber") == text
    assert _text(content, "pdfium") == text


def test_a_widened_space_keeps_its_box_and_the_next_word_its_place() -> None:
    content = CASES["word spacing"][0]
    ours, theirs = _glyphs(_pdf(content), "pdfium"), _glyphs(_pdf(content), "pdfplumber")
    for a, b in zip(ours, theirs):
        assert (a.text, a.x0, a.x1, a.top, a.bottom) == pytest.approx((b.text, b.x0, b.x1, b.top, b.bottom), abs=0.01)


def test_many_huge_tj_gaps_make_one_space_each() -> None:
    """1,000 words, each a space and a gap of 1,000,000 em after: 2,000 glyphs, not a gap's width in spaces."""
    content = b"BT /F1 1 Tf 0 Tw 10 700 Td [" + b"(x ) -1000000000 " * 1000 + b"] TJ ET"
    tracemalloc.start()
    try:
        glyphs = _glyphs(_pdf(content), "pdfium")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "".join(g.text for g in glyphs) == "x " * 1000
    assert peak < 20 * 2**20  # a few MB: the glyphs and the stream, not a page of spaces


def test_a_tj_array_of_40000_gaps_is_refused_in_one_line() -> None:
    # 80,000 items: under the array limit (a longer one is refused before it is read: test_pdf_array_guard)
    content = b"BT /F1 1 Tf 10 700 Td [" + b"(x ) -1e9 " * 40_000 + b"] TJ ET"
    for source in ("pdfium", "pdfplumber"):
        with pytest.raises(UnsafeFileError) as refused:
            parse_pdf(_pdf(content), source=source)
        assert f"more than {LIMITS.glyphs_per_page:,} characters" in str(refused.value)
        assert "\n" not in str(refused.value)


def test_a_run_past_the_page_limit_is_refused_before_it_is_made() -> None:
    """A real run of spaces past the page's limit: refused as pdfplumber refuses it (it was cut at 1,000)."""
    content = b"BT /F1 1 Tf 10 700 Td (a" + b" " * (LIMITS.glyphs_per_page + 10) + b"b) Tj ET"
    for source in ("pdfium", "pdfplumber"):
        with pytest.raises(UnsafeFileError, match=f"more than {LIMITS.glyphs_per_page:,} characters"):
            parse_pdf(_pdf(content), source=source)


def test_invisible_text_is_an_ocr_layer() -> None:
    """Text render mode 3 (neither filled nor stroked): a searchable scan's words, not the author's."""
    glyphs = _glyphs(_pdf(b"BT /F1 12 Tf 72 700 Td (seen) Tj 3 Tr (  hidden) Tj ET"), "pdfium")
    assert "".join(g.text for g in glyphs) == "seen  hidden"
    assert [(g.ocr, g.confidence) for g in glyphs] == [(False, 1.0)] * 4 + [(True, INVISIBLE_TEXT_CONFIDENCE)] * 8


# what the scanner of the content stream must get right: strings pdfminer's parser reads, operators it runs
AWKWARD = (
    b"q BT /F1 12 Tf 72 700 Td (nested (brackets) here   and) Tj ET Q "
    b"BT 72 680 Td (no font: not shown) Tj /F1 10 Tf (esc\\051aped \\(  \\) \\101\\\n line) Tj ET "
    b"BI /W 4 /H 1 /BPC 8 /CS /G ID \x00(Tj)\xff EI "
    b"BT /F1 11 Tf 14 TL 8 Tw 72 660 Td <6869 20 2020 7468657265> Tj [() -300 ()] TJ [(a  ) -4000 (  b)] TJ T* "
    b"(quoted   ') ' 2 1 (double   quoted) \" % a comment (not shown) Tj\n ET /X1 Do"
)
FORM = b"BT /F1 9 Tf 72 600 Td (in   a form) Tj ET"  # a form setting its own font: drawn by both


def test_the_stream_is_read_as_pdfminers_parser_reads_it() -> None:
    data = _pdf(AWKWARD, FORM)
    theirs = "".join(g.text for g in _glyphs(data, "pdfplumber"))
    assert theirs == ("nested (brackets) here   and" "esc)aped (  ) A line" "hi   there" "a    b"
                      "quoted   \u2019" "double   quoted" "in   a form")
    assert "".join(g.text for g in _glyphs(data, "pdfium")) == theirs


def test_the_scan_of_a_stream_counts_what_it_shows_against_the_page_limit() -> None:
    """What the scan shows is bounded as the text page is (a stream can show what the text page leaves out)."""
    from pdfminer.psparser import LIT

    from msp_convert.parsers.pdf.shown import Fonts, Shown

    resources = {"Font": {"F1": {"Type": LIT("Font"), "Subtype": LIT("Type1"), "BaseFont": LIT("Helvetica")}}}
    fine = Shown(Fonts(), 1)
    fine.run(b"BT /F1 1 Tf [" + b"(x) " * 1000 + b"] TJ (  y  ) Tj ET", resources, 0)
    assert fine.strings == ["x" * 1000, "  y  "]
    stream = b"BT /F1 1 Tf [" + b"(x) " * (LIMITS.glyphs_per_page + 10) + b"] TJ ET"
    with pytest.raises(UnsafeFileError, match=f"page 1 of this PDF draws more than {LIMITS.glyphs_per_page:,}"):
        Shown(Fonts(), 1).run(stream, resources, 0)


def _forms(**streams: bytes) -> dict:  # type: ignore[type-arg]
    """Page resources naming each of ``streams`` a form XObject (each form's own resources are the page's)."""
    from pdfminer.pdftypes import PDFStream
    from pdfminer.psparser import LIT

    font = {"Type": LIT("Font"), "Subtype": LIT("Type1"), "BaseFont": LIT("Helvetica")}
    xobjects: dict = {}  # type: ignore[type-arg]
    resources = {"Font": {"F1": font}, "XObject": xobjects}
    for name, data in streams.items():
        xobjects[name] = PDFStream({"Subtype": LIT("Form"), "BBox": [0, 0, 595, 842]}, data)
    return resources


def _shown(stream: bytes, resources: dict) -> list[str]:  # type: ignore[type-arg]
    from msp_convert.parsers.pdf.shown import Fonts, Shown

    shown = Shown(Fonts(), 1)
    shown.run(stream, resources, 0)
    return shown.strings  # type: ignore[no-any-return]


def test_an_operator_inside_brackets_or_braces_is_not_run() -> None:
    """pdfminer and PDFium take ``[/X1 Do]`` for an array holding a keyword: the form is not drawn (a page
    drawing ``[/X1 Do /X1 Do]`` with a form drawing the same ran 2^32 forms)."""
    resources = _forms(X1=b"BT /F1 9 Tf 72 600 Td (in   a form) Tj ET")
    assert _shown(b"[/X1 Do] {/X1 Do} << /A /X1 Do >> BT /F1 9 Tf [(a) (b) Tj (c)] TJ ET", resources) == ["abc"]
    assert _shown(b"/X1 Do", resources) == ["in   a form"]
    assert _shown(b"[/X1 Do /X1 Do]", _forms(X1=b"[/X1 Do /X1 Do]")) == []


def test_each_form_run_is_counted_against_the_page_limits() -> None:
    """Each form each time it is drawn is one more stream, its bytes more drawing instructions: past the page's
    limits, refused in one line as the guard refuses it."""
    per = int(LIMITS.streams_per_page**0.5) + 2
    resources = _forms(X1=b"/X2 Do " * per, X2=b"")
    with pytest.raises(UnsafeFileError) as refused:
        _shown(b"/X1 Do " * per, resources)
    message = str(refused.value)
    assert message.startswith(f"page 1 of this PDF runs more than {LIMITS.streams_per_page:,} drawing streams ")
    assert "\n" not in message
    mib = LIMITS.content_bytes_per_page // 2**20
    resources = _forms(X1=b"%" + b"x" * 2**20)
    assert _shown(b"/X1 Do " * (mib - 1), resources) == []
    with pytest.raises(UnsafeFileError) as refused:
        _shown(b"/X1 Do " * (mib + 1), resources)
    assert str(refused.value).startswith(f"page 1 of this PDF holds more than {mib} MiB of drawing instructions")


def test_a_long_string_is_scanned_in_its_own_memory() -> None:
    """A 4 MB string (an /Alt text): the scan's memory is the string's, not a regular expression's backtracking
    (130 bytes a byte: a 15 MB string took 2 GB)."""
    long = b"A" * 4_000_000
    stream = b"BT /F1 9 Tf /Span << /Alt (" + long + b") >> BDC (a    b) Tj EMC [(x (y))] TJ ET"
    tracemalloc.start()
    try:
        strings = _shown(stream, _forms())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert strings == ["a    b", "x (y)"]
    assert peak < 12 * 2**20  # the string, copied once or twice
    with pytest.raises(UnsafeFileError, match=f"more than {LIMITS.glyphs_per_page:,} characters"):
        _shown(b"BT /F1 9 Tf (" + long + b") Tj ET", _forms())  # refused before it is decoded


def test_brackets_nested_two_deep_and_escapes_are_read_as_pdfminer_reads_them() -> None:
    content = (b"BT /F1 12 Tf 72 700 Td (Name:  (see (a)(b)  here)) Tj "
               b"0 -20 Td (x\\\\  \\)(y  (z))  w) Tj 0 -20 Td (\\(  (((1)  2)  3)) Tj ET")
    text = "Name:  (see (a)(b)  here)" "x\\  )(y  (z))  w" "(  (((1)  2)  3)"
    assert _text(content, "pdfplumber") == text
    assert _text(content, "pdfium") == text


def test_the_tokenizer_reads_each_kind_of_token() -> None:
    from msp_convert.parsers.pdf.content_tokens import CLOSE, NAME, NUMBER, OPEN, OPERATOR, STRING, tokens

    stream = (b"/F1 -1.5 Tf % c (x)\n[(a\\051\\n\\\nb) <41 4> ] << /K {q} >> BI /W 1 ID \x00(Tj)] EI\n"
              b"(un (closed")
    assert list(tokens(stream)) == [
        (NAME, b"F1"), (NUMBER, b"-1.5"), (OPERATOR, b"Tf"), (OPEN, b"["), (STRING, b"a)\nb"), (STRING, b"A@"),
        (CLOSE, b"]"), (OPEN, b"<<"), (NAME, b"K"), (OPEN, b"{"), (OPERATOR, b"q"), (CLOSE, b"}"), (CLOSE, b">>"),
        (OPERATOR, b"BI"), (NAME, b"W"), (NUMBER, b"1"), (OPERATOR, b"ID"), (STRING, b"un (closed"),
    ]


def test_a_text_object_out_of_step_with_the_stream_puts_nothing_back() -> None:
    """An inline image's data holding `` EI (x   y) Tj `` (pdfminer reads it as text, PDFium does not): the two
    readings pair up in number but not in text; each pair is checked, and nothing is put back on that page."""
    hidden = b" EI (x          y) Tj "
    page = (b"/F1 12 Tf BI /W 40 /H 1 /BPC 8 /CS /G ID " + hidden + b" " * (40 - len(hidden)) + b" EI "
            b"BT /F1 12 Tf 40 Tw 72 700 Td (one two) Tj <4 g> Tj ET")
    assert "".join(g.text for g in _glyphs(_pdf(page), "pdfium")) == "one two@"


def test_a_page_paired_with_another_pages_stream_puts_nothing_back() -> None:
    """PDFium's page read with the stream of another page (page trees the two read apart): nothing put back."""
    import io

    import pypdfium2 as pdfium
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    from msp_convert.parsers.pdf.pdfium_source import _Page
    from msp_convert.parsers.pdf.pdfium_text import manager

    ours = b"BT /F1 12 Tf 40 Tw 72 700 Td (one two) Tj ET"
    theirs = b"BT /F1 12 Tf 72 700 Td (x          y) Tj ET"
    other = next(PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(_pdf(theirs))))))
    for stream, text in ((_pdf(theirs), "x          y"), (_pdf(ours), "one two")):
        doc = pdfium.PdfDocument(stream)
        try:
            page = doc[0]
            record = _Page(page, 1, None, (other, manager())).record()
            page.close()
        finally:
            doc.close()
        assert "".join(g.text for g in record.glyphs) == text
