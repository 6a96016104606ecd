"""The one flat tokenizer for PDF content streams: use it wherever a content stream is scanned without pdfminer.

``tokens(data)`` yields ``(kind, value)`` one token at a time, in order:

- ``NAME``: a name, its bytes after the ``/`` (``#`` escapes left as written);
- ``STRING``: a literal ``(...)`` string (brackets nested to any depth,
  escapes undone) or a hex ``<...>`` string, as its bytes;
- ``NUMBER`` and ``OPERATOR``: any other run of regular characters (a
  number starts with a digit, a sign or a point);
- ``OPEN`` and ``CLOSE``: ``[``, ``{``, ``<<`` and ``]``, ``}``, ``>>`` (an
  operator between them is an operand, not run: as pdfminer and PDFium read
  it);

comments are passed over, and an inline image's data (after ``ID``) up to
its ``EI``. A literal string is scanned by hand (the next ``(``, ``)`` or
``\\``), never by a regular expression that backtracks through it: memory is
the string's own bytes, time is linear, whatever the string holds.
"""

from __future__ import annotations

import re
from typing import Iterator

NAME, STRING, NUMBER, OPERATOR, OPEN, CLOSE = range(6)

# whitespace and comments; then one of: 1 a name; 2 an opening bracket; 3 a closing one; 4 a hex string's digits;
# 5 a literal string's opening bracket; 6 a number or an operator; anything else (a stray ")" or ">") is passed over
_TOKEN = re.compile(
    rb"(?:\s+|%[^\r\n]*)|/([^\s()<>\[\]{}/%]*)|(<<|\[|\{)|(>>|\]|\})|<([0-9A-Fa-f\s]*)>|(\()|([^\s()<>\[\]{}/%]+)|.",
    re.S,
)
_SPECIAL = re.compile(rb"[()\\]")  # what a literal string's scan stops at
_IMAGE_END = re.compile(rb"\sEI(?![^\s])")  # an inline image's data ends at EI alone
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|\r|\n)|(.))", re.S)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_NUMERIC = frozenset(b"+-.0123456789")


def tokens(data: bytes) -> Iterator[tuple[int, bytes]]:
    """The stream's tokens, one at a time (memory is the stream's and the token's)."""
    match, pos, end = _TOKEN.match, 0, len(data)
    while pos < end:
        m = match(data, pos)
        assert m is not None  # the last alternative takes any byte
        pos = m.end()
        kind = m.lastindex
        if kind is None:
            continue
        value = m.group(kind)
        if kind == 5:
            value, pos = literal(data, pos)
            yield STRING, value
        elif kind == 4:
            yield STRING, _hex(value)
        elif kind == 6:
            yield (NUMBER if value[0] in _NUMERIC else OPERATOR), value
            if value == b"ID":  # an inline image's data: passed over
                image = _IMAGE_END.search(data, pos)
                pos = image.end() if image else end
        else:
            yield (NAME, OPEN, CLOSE)[kind - 1], value


def literal(data: bytes, pos: int) -> tuple[bytes, int]:
    """The literal string starting just after its ``(`` at ``pos``: its bytes, escapes undone, and where it ends
    (an unclosed one runs to the stream's end)."""
    start, depth, escaped = pos, 1, False
    search = _SPECIAL.search
    while (m := search(data, pos)) is not None:
        at = m.start()
        char = data[at]
        if char == 0x5C:  # "\\": the next byte is escaped, whatever it is
            pos, escaped = at + 2, True
            continue
        pos = at + 1
        depth += 1 if char == 0x28 else -1
        if depth == 0:
            inner = data[start:at]
            return (_ESCAPE.sub(_unescape, inner) if escaped else inner), pos
    inner = data[start:]
    return (_ESCAPE.sub(_unescape, inner) if escaped else inner), len(data)


def _hex(digits: bytes) -> bytes:
    digits = digits.translate(None, b" \t\r\n\f\v\x00")
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))


def _unescape(m: "re.Match[bytes]") -> bytes:
    octal, newline, char = m.groups()
    if octal:
        return bytes((int(octal, 8) & 0xFF,))
    if newline:
        return b""
    return _ESCAPED.get(char, char)
