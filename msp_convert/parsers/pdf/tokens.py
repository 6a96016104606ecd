"""What a content stream draws with ``Do``, read flat, counted at least as often as PDFium draws it.

PDFium takes ``Do``'s last operand as the name of what to draw: a name
(``/F Do``), but also a string (``(F) Do``, ``<46> Do``), a number (``1 Do``
finds ``/1``), or nothing (``Do`` alone finds ``/``); it skips ``{`` and
``}``. A stack parser (pdfminer's) hides draws inside arrays, braces,
strings and broken inline images, so nothing here keeps a context: every
``Do`` in the bytes is counted, wherever it stands (inside a string or an
image's data too). One right after a name (through spaces and braces) draws
that name; any other may draw any name, so it counts once for every name
known. Counting a draw PDFium would not run is safe; missing one is not. A
real page's ``Do`` always follows a name, so only hostile or odd streams pay
for the second kind. Only names in ``known`` are kept: memory is the
resources' size, not the stream's, and the scan is a few regular expressions.
"""

from __future__ import annotations

import ast
import re
from typing import Any, Collection

_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"  # a character inside a name or a word
_END = rb"(?!" + _REGULAR + rb")"
# Do as an operator may stand: after a space or any delimiter but "(", "/" and "%" (it is inside a string, a name
# or a comment there)
_DO = re.compile(rb"(?<![^\x00\t\n\x0c\r )<>\[\]{}])Do" + _END)
_NAME_DO = re.compile(rb"/(" + _REGULAR + rb"*)" + _END + rb"[\x00\t\n\x0c\r {}]+Do" + _END)
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_LINE_END = re.compile(rb"[\r\n](?=[^\r\n]*\Z)", re.S)


def drawn_names(data: bytes, known: Collection[Any], most: int) -> dict[Any, int]:
    """How often ``data`` may draw each name in ``known`` (pdfminer's keys: str), never less often than PDFium;
    the count stops once past ``most`` draws in all."""
    raw = _raws(known)
    counts: dict[Any, int] = {}
    named = total = seen = 0
    commented, comments = False, b"%" in data  # commented: a "%" since the last line's end, before ``seen``
    for match in _NAME_DO.finditer(data):
        if comments:
            commented, seen = _commented(data, seen, match.start(), commented), match.start()
            if commented:  # the name may be a comment's: this Do draws whatever came before
                continue
        named += 1
        name = raw.get(_unescape(match.group(1)))
        if name is not None:
            counts[name] = counts.get(name, 0) + 1
            total += 1
            if total > most:
                return counts
    anything = _DO.subn(b"", data)[1] - named
    if anything > 0:
        for name in known:
            counts[name] = counts.get(name, 0) + anything
    return counts


def _commented(data: bytes, since: int, to: int, before: bool) -> bool:
    """Whether a "%" stands between the last line end before ``to`` and ``to`` (``before``: one did by ``since``)."""
    end = max(data.rfind(b"\n", since, to), data.rfind(b"\r", since, to))
    if end < 0:
        return before or data.find(b"%", since, to) >= 0
    return data.find(b"%", end, to) >= 0


def _unescape(name: bytes) -> bytes:
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name) if b"#" in name else name


def _raws(known: Collection[Any]) -> dict[bytes, Any]:
    """Each key by its bytes: pdfminer decodes a name as UTF-8, or keys it by ``str()`` of its bytes."""
    raw: dict[bytes, Any] = {}
    for name in known:
        if not isinstance(name, str):
            continue
        raw[name.encode("utf-8")] = name
        if name.startswith(("b'", 'b"')):
            try:
                raw[ast.literal_eval(name)] = name
            except (ValueError, SyntaxError):
                pass
    return raw
