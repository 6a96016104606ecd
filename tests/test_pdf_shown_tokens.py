"""``Shown``'s own tokens (``content_tokens.tokens(numbers=False)``): fewer of them, read as the plain ones are.

An operator ``Shown`` runs with the run of others after it, and a name
with its ``Tf``, are one token each; an array's hex strings are decoded in one call.
What ``Shown`` reads of a stream stays what it reads through the plain
tokens, whatever the stream holds.
"""

from __future__ import annotations

import random

import pytest
from test_pdf_stream_scan import _events

from msp_convert.parsers.pdf import content_tokens, shown as shown_module
from msp_convert.parsers.pdf.content_tokens import FONT_SET, OPERATOR, STRINGS, tokens

_LONG = content_tokens._REPEAT_MOST + 2
_CASES = [
    b"q 0 g BT 1 0 0 1 5 5 Tm /F1 10 Tf [<01>2<02>] TJ ET Q 0 G q 1 w 0 0 m 1 1 l S Q q 0 g BT /F2 1 Tf (a) Tj ET Q",
    b"/F1 1 Tf (a) q Q Tj (b) q 1 w Q ' /F2 Tf q /F1 1 Tf Q (c) Tj q q 1 w Q Q (d) Tj Q (e) Tj",
    b"/F1 1 Tf q " + b"1 w " * _LONG + b"Q (a) Tj q /F2 1 Tf (b) Tj Q (c) Tj",  # a save too long for one token
    b"/F1 1 Tf q " + b"1 w " * _LONG + b"(a) Tj Q Q (b) Tj",
    b"/F1 " + b"1 " * _LONG + b"Tf (a) Tj /F2 1 Tf" + b" x" * _LONG + b" (b) Tj /F3 1 Tfx (c) Tj",
    b"[/F1 1 Tf (a)] TJ /F2 1 Tf (b) Tj q [ q Q ] Q (c) Tj Tj' x (d) ' (e) Tj BI /W 1 ID 1 w Q EI Q (f) Tj",
    b"/F1 1 Tf [<0102> 1 <03>] TJ [<010> <02 03> <0g>] TJ [<> (a) <41>] TJ [<0102>( )] TJ qQ (a) Tj QQ (b) Tj",
    b"/F1 1 Tf q (a) Tj Q ID (b) Tj EI (c) Tj /X Do 1 w (d) Tj [(e)] TJ 1 w q 2 w Q ET (f) Tj",
]
_PIECES = [b"[(\\267)-3(a\\)b)]", b"[(\\r\x10) 1 (\\\\)]", b"(\\",  # escaped strings in an array, a stray escape
           b"q", b"Q", b"Tf", b"/F1", b"/F2", b"1", b"w", b"BT", b"ET", b"(a)", b"[<0102> 1 <03>]", b"[<010>]",
           b"[<01 02>]", b"[(a) <41>]", b"Tj", b"TJ", b"'", b"Do", b"/X", b"ID", b"EI", b"[", b"]", b"%c\n", b"qQ"]


def _streams() -> list[bytes]:
    rnd = random.Random(23)
    joined = [b" ".join(rnd.choice(_PIECES) for _ in range(rnd.randint(1, 40))) for _ in range(3000)]
    return _CASES + joined


def test_shown_reads_saves_fonts_and_hex_arrays_as_through_the_plain_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _streams()
    ours = [_events(d) for d in data]
    monkeypatch.setattr(shown_module, "tokens", lambda d, numbers=True: content_tokens.tokens(d))
    assert ours == [_events(d) for d in data]
    assert all(ours[:len(_CASES)])


def test_a_text_object_in_a_save_is_five_tokens_and_the_drawing_between_two() -> None:
    data = b"q 0 g BT 5 5 Td /F1 10 Tf [<0102>-3<03>] TJ ET Q 0 G q 1 w 0 0 m 1 1 l S Q q 0 g BT /F1 1 Tf"
    assert list(tokens(data, numbers=False)) == [
        (OPERATOR, b"q"), (FONT_SET, b"F1"), (STRINGS, [b"\x01\x02", b"\x03"]), (OPERATOR, b"TJ"),
        (OPERATOR, b"Q"), (OPERATOR, b"q"), (OPERATOR, b"Q"), (OPERATOR, b"q"), (FONT_SET, b"F1")]


@pytest.mark.parametrize("array", [b"[<0102> 1 <03>]", b"[<010> <0A1b>]", b"[<01 0> 2]", b"[(a) <41>]", b"[<>]",
                                   # escaped strings (a subset font's codes), read as ``literal`` reads them
                                   b"[(\\267)-3267(my needs \\(SEN\\))]", b"[(\\r\x10)1(\\\\)(x\\\ny)(\\051)<41>]"])
def test_an_arrays_strings_are_as_their_own_tokens(array: bytes) -> None:
    strings = [value for kind, value in tokens(array) if kind == content_tokens.STRING]
    assert list(tokens(array, numbers=False)) == [(STRINGS, strings)]
