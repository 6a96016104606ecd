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
its ``EI``. ``tokens(data, numbers=False)`` passes numbers over too and
gives an array of strings and numbers alone (a TJ's) as one ``STRINGS``
token, the list of its strings, a run of operators ``Shown`` does not
run as one ``OPERATOR`` (``b""``) or as part of the operator ``Shown``
runs before it, and a name with its ``Tf`` as one ``FONT_SET``: one match
where there were dozens of tokens (a long array is read token by token). Tokens are found by one
pattern's ``finditer`` over the stream, restarted where a token is read by
hand: a literal string holding a bracket or a backslash is scanned by hand
(the next ``(``, ``)`` or ``\\``); no pattern's repeat ever backtracks (each
is of a class and possessive, or a bounded one in an atomic group): memory
is the token's own bytes, time is linear, whatever the stream holds. Bytes
are split as PDFium splits them: whitespace is PDF's six (NUL, tab, line
feed, form feed, carriage return, space), a hex string runs to its ``>``
and keeps its hex digits only.

``draws(data)`` yields each ``Do`` PDFium may run, for ``source.StreamGuard``;
``array_items`` how many items the longest array (or dictionary) holds;
``name_keys`` gives the keys (pdfminer's) a name in a stream may find;
``keys_unsure`` says where an object, as written, holds keys PDFium may read
otherwise than pdfminer (a bad ``#`` escape, a NUL, 0x0B, a key given twice),
so the guard refuses the page rather than count by keys it cannot trust.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any, Iterator, Optional

NAME, STRING, NUMBER, OPERATOR, OPEN, CLOSE, IMAGE, STRINGS, FONT_SET = range(9)
# what Shown does at each operator it runs (any other only ends its operands): the one table of them
FONT, SAVE, RESTORE, SHOW_ALL, SHOW_LAST, DRAW = range(6)
SHOWN_RUNS = {b"Tf": FONT, b"q": SAVE, b"Q": RESTORE, b"TJ": SHOW_ALL, b"Tj": SHOW_LAST, b"'": SHOW_LAST,
              b'"': SHOW_LAST, b"Do": DRAW}
# a group's repeats in one match at most (an atomic group keeps each repeat's place until it ends): a longer run is
# the next match's, a longer array of strings and numbers read token by token; memory stays the match's
_REPEAT_MOST = 1024

# whitespace and comments (and, in _WORDS, numbers too: one match for a run of them all); then one of: 1 (in _WORDS
# alone) an array of numbers and strings alone (hex ones, literal ones with no bracket unescaped), as a TJ's mostly
# is; 2 a name; 3 an opening bracket; 4 a closing one; 5 a hex string's digits; 6 a literal string with no bracket
# or escape in it (the common case, read in the one match); 7 any other literal string's opening bracket (read by
# ``literal``); 8 (in _WORDS alone) a run of operators Shown does not run, numbers between them; 9 a number or an
# operator; anything else (a stray ")" or ">") is passed over. Every repeat is of a class and possessive, or of a
# group inside an atomic group (not a possessive group: CPython before 3.11.5 may match those wrongly,
# python/cpython#106052): no match backtracks, whatever the bytes.
_SPACE = rb"\x00\t\n\x0c\r "
_REGULAR = rb"[^" + _SPACE + rb"()<>\[\]{}/%]"
_SKIP = rb"[" + _SPACE + rb"]++|%[^\r\n]*+"
_SHOWN = (rb"\[(?>(?:[" + _SPACE + rb"0-9.+\-]++|<[0-9A-Fa-f" + _SPACE + rb"]*+>|\([^()\\]*+\)){0,%d})\]"
          % _REPEAT_MOST)
# a literal string with escapes but no bracket unescaped (a subset font's codes: "(\\r\x10)", "(\\267)"): in _WORDS' arrays
_ESCAPED_LITERAL = rb"\((?>(?:[^()\\]++|\\.){0,%d})\)" % _REPEAT_MOST
_SHOWN_WORDS = _SHOWN.replace(rb"\([^()\\]*+\)", _ESCAPED_LITERAL)
_NUMBERS = rb"(?>(?:" + _SKIP + rb"|[+\-.0-9]" + _REGULAR + rb"*+){1,%d})" % _REPEAT_MOST
# a run of operators none of which Shown runs (each only ends its operands), numbers between them: one token
_RAN = b"|".join(re.escape(op) for op in (*SHOWN_RUNS, b"ID"))
_NOT_RAN = (rb"(?!(?:" + _RAN + rb")(?!" + _REGULAR + rb"))(?![+\-.0-9])" + _REGULAR + rb"++(?>(?:" + _NUMBERS
            + rb")?)")
_RUN = rb"(?>(?:" + _NOT_RAN + rb"){1,%d})" % _REPEAT_MOST

# what an operator Shown runs stands for in _WORDS (past its word): a run after it (it ends its operands already), not
# after ID (an inline image's data)
_THEN_RUN = rb"(?:(?<=ID)|(?>(?:" + _NUMBERS + rb")?)(?>(?:" + _NOT_RAN + rb"){0,%d}))" % _REPEAT_MOST


def _pattern(skip: bytes, array: bytes, run: bytes, font: bytes = b"", then: bytes = b"") -> "re.Pattern[bytes]":
    return re.compile(rb"(?:" + skip + rb")|(" + array + rb")|/(" + _REGULAR + rb"*+)" + font + rb"|(<<|\[|\{)"
                      rb"|(>>|\]|\})|<([^>]*+)>?|\(([^()\\]*+)\)|(\()|(" + run + rb")|(" + _REGULAR + rb"++)" + then
                      + rb"|.", re.S)


_TOKEN = _pattern(_SKIP, rb"(?!)", rb"(?!)")
_WORDS = _pattern(_NUMBERS, _SHOWN_WORDS, _RUN, rb"(?>(?:" + _NUMBERS + rb")?Tf(?!" + _REGULAR + rb")" + _THEN_RUN + rb")?",
                  _THEN_RUN)
_IN_ARRAY = re.compile(rb"<([^>]*+)>|\(([^)]*+)\)")  # an array's strings, once _SHOWN has matched it
_IN_ARRAY_ESCAPED = re.compile(rb"<([^>]*+)>|\((" + _ESCAPED_LITERAL[2:-2] + rb")\)", re.S)  # one with escapes
_HEX_PAIRS = re.compile(rb"<([0-9A-Fa-f]*+)>")  # an array's hex strings with no space (``_strings``: even ones)
# a Do that may be an operator wherever a stream's reading stands: after a space or any delimiter but "(", "/" and
# "%" (a string's, a name's or a comment's), and not running on into a longer word
_ANY_DO = re.compile(rb"(?<![^" + _SPACE + rb")<>\[\]{}])Do(?!" + _REGULAR + rb")")
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]")
_PDFIUM_ESCAPE = re.compile(rb"#(.)(.)", re.S)  # PDFium: "#" and the next two bytes, whatever they are
_PDFMINER_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{0,2})")  # pdfminer: "#" and up to two hex digits
_BRACES = (b"{", b"}")
_SPECIAL = re.compile(rb"[()\\]")  # what a literal string's scan stops at
_IMAGE_END = re.compile(rb"\sEI(?![^\s])")  # an inline image's data ends at EI alone
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|\r|\n)|(.))", re.S)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_NUMERIC = frozenset(b"+-.0123456789")
_KINDS = (None, STRINGS, NAME, OPEN, CLOSE, STRING, STRING)  # by the token pattern's group


def tokens(data: bytes, rest_at_image: bool = False, numbers: bool = True) -> Iterator[tuple[int, Any]]:
    """The stream's tokens, one at a time (memory is the stream's and the token's). ``rest_at_image``: at an
    inline image's ``ID``, the rest of the stream is the last token (``IMAGE``), unread. ``numbers``: False, the
    numbers are passed over as whitespace is, an array of strings and numbers alone is one token (``STRINGS``: a
    list of its strings), a run of operators ``Shown`` does not run is one ``OPERATOR`` (``b""``) or part of the
    one it runs before it, and a name with its ``Tf`` is one ``FONT_SET``: for ``Shown``, which needs no numbers
    (fewer tokens)."""
    pattern, pos, end = _TOKEN if numbers else _WORDS, 0, len(data)
    while pos < end:
        for m in pattern.finditer(data, pos):  # until a token that moves the reading on by hand
            kind = m.lastindex
            if kind is None:
                continue
            value = m.group(kind)
            if kind == 9:
                yield (NUMBER if value[0] in _NUMERIC else OPERATOR), value
                if value == b"ID":  # an inline image's data: passed over
                    if rest_at_image:
                        yield IMAGE, data[m.end():]
                        return
                    image = _IMAGE_END.search(data, m.end())
                    pos = image.end() if image else end
                    break
            elif kind == 8:
                yield OPERATOR, b""  # operators that end their operands, and nothing else Shown needs
            elif kind == 5:
                yield STRING, _hex(value)
            elif kind == 7:
                value, pos = literal(data, m.end())
                yield STRING, value
                break
            elif kind == 1:
                yield STRINGS, _strings(value)
            elif kind == 2 and m.end() != m.end(2):
                yield FONT_SET, value  # a name and its Tf (numbers between)
            else:
                yield _KINDS[kind], value
        else:
            return


def _strings(array: bytes) -> list[bytes]:
    """The strings of an array ``_SHOWN`` matched, each as its own token would have it: hex ones of pairs of digits
    alone (as a TJ's mostly are) decoded in one call."""
    if b"(" not in array:
        digits = _HEX_PAIRS.findall(array)
        if len(digits) == array.count(b"<") and not any(size & 1 for size in map(len, digits)):
            joined = bytes.fromhex(b"".join(digits).decode("latin-1"))
            ends = list(accumulate(len(d) >> 1 for d in digits))
            return [joined[start:end] for start, end in zip([0, *ends], ends)]
    if b"\\" in array:  # escapes undone as ``literal`` undoes them
        return [_hex(s[1]) if s.lastindex == 1 else _ESCAPE.sub(_unescape, s[2]) if b"\\" in s[2] else s[2]
                for s in _IN_ARRAY_ESCAPED.finditer(array)]
    return [_hex(s[1]) if s.lastindex == 1 else s[2] for s in _IN_ARRAY.finditer(array)]


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


def draws(data: bytes) -> Iterator[Optional[bytes]]:
    """Each ``Do`` PDFium may run in ``data``, in order: the name it draws (its bytes after the ``/``, ``#``
    escapes as written), or None for one that may draw any name.

    PDFium draws its last operand's text (``(F) Do`` and ``<46> Do`` draw
    /F, ``1 Do`` /1, ``Do`` alone /), passing ``{`` and ``}`` over: a Do right
    after a name draws it, any other may draw anything. A Do inside an array
    or a dictionary is counted too (PDFium reads nested arrays otherwise than
    a flat scan). From an inline image's ``ID`` on, where PDFium may end the
    image by its computed length rather than at ``EI``, every ``Do`` in the
    bytes that may be an operator counts as one that may draw anything.
    Counting a draw PDFium would not run is safe; missing one is not.
    """
    last_kind, last = -1, b""
    for kind, value in tokens(data, rest_at_image=True):
        if kind == IMAGE:
            yield from (None for _ in _ANY_DO.finditer(value))
            return
        if kind == OPERATOR and value == b"Do":
            yield last if last_kind == NAME else None
        if kind not in (OPEN, CLOSE) or value not in _BRACES:
            last_kind, last = kind, value


_MARKED = re.compile(rb"(?<![^" + _SPACE + rb"])(?:BMC|BDC|EMC)(?![^" + _SPACE + rb"])")


def marked_depth(data: bytes, most: int) -> int:
    """How deep marked content (BMC, BDC ... EMC) nests in ``data``, counted no further than past ``most``:
    0 where fewer than ``most`` open at all. Counted on the bytes, strings and all (an operator's name spelt
    inside a string may count: deeper, never shallower)."""
    if data.count(b"BMC") + data.count(b"BDC") <= most:
        return 0
    depth = deepest = 0
    for m in _MARKED.finditer(data):
        depth = depth - 1 if m.group() == b"EMC" else depth + 1
        if depth > deepest:
            deepest = depth
            if deepest > most:
                break
    return deepest


_OPENED_BY = {b"]": b"[", b">>": b"<<", b"}": b"{"}  # a closing bracket: the opening one it closes
_WORD_START = rb"(?<![^" + _SPACE + rb"()<>\[\]{}])"  # a word starts after whitespace or a delimiter
# a hex string as PDFium reads it (to its ">") and as pdfminer does (to its first byte neither hex nor whitespace)
_HEX_PDFIUM = rb"<[^>]*+>?"
_HEX_PDFMINER = rb"<[0-9A-Fa-f\s]*+>?"


def _brackets(hex_string: bytes) -> "re.Pattern[bytes]":
    """What ``_outermost`` needs of a stream, the rest passed over in runs: 1 a flat array of numbers and strings (as
    in _WORDS); 2 an opening bracket; 3 a closing one; 4 a literal string's "(" that ``literal`` reads; 5 an ID word
    (not a name's: "/ID"); 6 a BI word; else a run of bytes that start none of these (a run of I not before a word
    D, of B not before a word I: each gives back its last byte at most), a run of comments, whitespace and strings (closed, no bracket or escape: no word is run in them), any
    other string (``hex_string``), a lone byte. Every repeat bounded in an atomic group, or of a class."""
    return re.compile(rb"(?>(?:[^()<>\[\]{}%IB]++|I+(?!D(?!" + _REGULAR + rb"))|B+(?!I(?!" + _REGULAR
                      + rb"))){1,%d})" % _REPEAT_MOST
                      + rb"|(?>(?:(?:%[^\r\n]*+|<[0-9A-Fa-f\s]*+>|\([^()\\]*+\))[" + _SPACE + rb"]*+){1,%d})"
                      % _REPEAT_MOST
                      + rb"|(" + _SHOWN + rb")|(<<|\[|\{)|(>>|\]|\})|" + hex_string + rb"|\([^()\\]*+\)|(\()|"
                      + _WORD_START + rb"(ID)(?!" + _REGULAR + rb")|" + _WORD_START + rb"(BI)(?!" + _REGULAR
                      + rb")|.", re.S)


_BRACKETS = _brackets(_HEX_PDFMINER)
_BRACKETS_PDFIUM = _brackets(_HEX_PDFIUM)
# _TOKEN with a hex string as pdfminer reads it: the items of an operand as pdfminer splits it
_ITEM = re.compile(_TOKEN.pattern.replace(rb"<([^>]*+)>?", rb"<([0-9A-Fa-f\s]*+)>?"), re.S)
# a hex string the readers may end at different places (a byte neither hex nor whitespace before its ">", or none),
# a dictionary's "<<" passed over ("<<<" taken as one): only then is the stream scanned again as PDFium reads it
_UNSURE_HEX = re.compile(rb"<(?:(?<!<<)[0-9A-Fa-f\s]*+(?:[^0-9A-Fa-f\s<>]|\Z)|[0-9A-Fa-f\s]++<|<<)")


def array_items(data: bytes, most: int) -> int:
    """The most items the arrays, dictionaries and procedures given to one operator in ``data`` hold (every one
    inside each outermost, nested ones' and their brackets too: a reader keeps an operator's operands until it
    runs), an inline image's dictionary (``BI`` to ``ID``) too, counted no further than past ``most``: 0 where
    ``data`` is too short to hold more (an item is one byte at least: ``[////]`` holds four names). The outermost
    ones are found a run of bytes at a time (``_outermost``); only operands longer than ``most`` bytes in all are
    counted, token by token (``_items``). Hex strings split as pdfminer splits them, and where PDFium ends one
    elsewhere, as PDFium does too: the more items."""
    if len(data) <= most:
        return 0
    found = _most_items(data, most, _BRACKETS, _ITEM)
    if found <= most and _UNSURE_HEX.search(data):
        found = max(found, _most_items(data, most, _BRACKETS_PDFIUM, _TOKEN))
    return found


def _most_items(data: bytes, most: int, brackets: "re.Pattern[bytes]", token: "re.Pattern[bytes]") -> int:
    """``array_items`` as one reader splits the stream (``brackets`` and ``token``)."""
    found = size = counted = 0
    group: list[tuple[int, int]] = []  # the outermost ones since the last operator, not counted yet
    for start, end, joined in _outermost(data, brackets):
        if not joined:
            group, size, counted = [], 0, 0
        if data[start] == 0x49:  # an inline image's data, ID to its first EI
            found = max(found, _image_items(data, start, end))
        else:
            group.append((start, end))
            size += end - start
        if size > most:
            counted += sum(_items(data, s, e, most, token) for s, e in group)
            group, found = [], max(found, counted)
        if found > most:
            break
    return found


_NOT_RUN = frozenset(b"()<>%[]{}")  # the first byte of a _BRACKETS match that is not a run of other bytes
# a word that is not a number, a name, true, false or null (operands all): an operator, after which PDFium keeps none
_RAN_OPERATOR = re.compile(_WORD_START + rb"(?!(?:true|false|null)(?!" + _REGULAR + rb"))"
                           rb"[^" + _SPACE + rb"()<>\[\]{}/%+\-.0-9]")
_REGULAR_BYTES = bytes(range(256)).translate(None, b"\x00\t\n\x0c\r ()<>[]{}/%")


def _image_items(data: bytes, start: int, end: int) -> int:
    """The most items an array may hold that a reader starts anywhere in an inline image's data, from its ``ID`` at
    ``start`` to its first ``EI`` at ``end`` (PDFium may end the image before, where its computed length does, and
    read on, arrays and all; past that EI the stream is scanned as usual): each token starts at a byte of
    whitespace or a delimiter, or just after one, so there are at most twice as many as those bytes, and one."""
    return 2 * len(data[start:end].translate(None, _REGULAR_BYTES)) + 1


def _outermost(data: bytes, brackets: "re.Pattern[bytes]") -> Iterator[tuple[int, int, bool]]:
    """Where each outermost array, dictionary or procedure in ``data`` starts and where its closing bracket is (one
    left open: the stream's end), strings and comments passed over as ``tokens`` passes them; an inline image's
    dictionary (its BI to its ID) and its data (its ID, outside them, to the first EI after it) each as one. Each
    with whether no operator ran since the one before (``_RAN_OPERATOR``: a run of bytes outside them holding a
    word that is not a number or a name; a string, a comment or an odd byte runs none). A closing bracket of
    another kind than the last one open closes nothing (PDFium reads ``[ } 0 0 ]`` as one array, and ``ID``
    inside one as a word of it): never shorter than PDFium or pdfminer reads it."""
    stack: list[bytes] = []
    start, pos, end, ran, image = 0, 0, len(data), True, -1
    while pos < end:
        for m in brackets.finditer(data, pos):
            kind = m.lastindex
            if kind is None:
                if not ran and not stack and data[m.start()] not in _NOT_RUN:
                    ran = _RAN_OPERATOR.search(data, m.start(), m.end()) is not None
            elif kind == 2:
                start = m.start() if not stack else start
                stack.append(m.group(2))
            elif kind == 3 and stack and stack[-1] == _OPENED_BY[m.group(3)]:
                stack.pop()
                if not stack:
                    yield start, m.start(), not ran
                    ran = False
            elif kind == 1 and not stack:  # a flat array of numbers and strings: one match
                yield m.start(), m.end() - 1, not ran
                ran = False
            elif kind == 4:
                pos = literal(data, m.end())[1]
                break
            elif kind == 6 and not stack:
                image = m.start()
            elif kind == 5 and not stack:  # an inline image: its dictionary, then its data to the first EI
                if image >= 0:
                    yield image, m.start(), False
                found = _IMAGE_END.search(data, m.end())
                pos, ran, image = found.end() if found else end, True, -1
                yield m.start(), pos, False
                break
        else:
            break
    if stack:
        yield start, end, not ran
    if image >= 0:  # a dictionary no ID ends
        yield image, end, False


def _items(data: bytes, start: int, end: int, most: int, token: "re.Pattern[bytes]" = _ITEM) -> int:
    """The tokens after the opening bracket (or BI) at ``start`` up to ``end`` (nested brackets counted too: more,
    never fewer), split by ``token``, counted no further than past ``most``."""
    count, pos = -1, start
    while pos < end:
        for m in token.finditer(data, pos, end):
            if m.lastindex is None:
                continue
            count += 1
            if count > most:
                return count
            if m.lastindex == 7:
                pos = literal(data, m.end())[1]
                break
        else:
            break
    return count


def name_keys(raw: bytes) -> tuple[str, ...]:
    """The keys (as pdfminer has a dictionary's keys) a name in a stream (its bytes after the ``/``) may find: as
    PDFium decodes its ``#`` escapes (first) and as pdfminer decodes them (``#G1``: ``G1``; a lone ``#`` goes)."""
    if b"#" not in raw:
        return (_key(raw),)
    pdfium = _key(pdfium_name(raw))
    pdfminer = _key(_PDFMINER_ESCAPE.sub(lambda m: bytes((int(m[1], 16),)) if m[1] else b"", raw))
    return (pdfium,) if pdfium == pdfminer else (pdfium, pdfminer)


def pdfium_name(raw: bytes) -> bytes:
    """A name's bytes as PDFium decodes its ``#`` escapes: a bad one (``#G1``) is a byte all the same (0x01: a
    digit that is not hex counts 0), a ``#`` with less than two bytes after it stays."""
    if b"#" not in raw:
        return raw
    return _PDFIUM_ESCAPE.sub(lambda m: bytes((_nibble(m[1]) * 16 + _nibble(m[2]),)), raw)


_BAD_ESCAPE = re.compile(rb"#(?![0-9A-Fa-f]{2})")
_NAME_AT_NUL = re.compile(rb"/" + _REGULAR + rb"*\x00")  # PDFium ends a name at NUL, pdfminer does not
_OBJECT_END = (b"stream", b"endobj")


def keys_unsure(data: bytes) -> bool:
    """Whether an object's bytes (``data``, up to its ``stream`` or ``endobj``) may be keyed otherwise by PDFium
    than by pdfminer: a name with a bad ``#`` escape, one running into a NUL (PDFium ends it there) or holding a
    0x0B (pdfminer ends it there), a key given twice in one dictionary (pdfminer keeps the last, PDFium may find
    either), or a dictionary left open."""
    if _NAME_AT_NUL.search(data):
        return True
    levels: list[tuple[Optional[set[bytes]], list[bool]]] = []  # each open bracket: a dict's keys (None: an array)
    for kind, value in tokens(data):
        if kind == OPERATOR and value in _OBJECT_END:
            break
        if kind == NAME and (b"\x0b" in value or _BAD_ESCAPE.search(value)):
            return True
        keys, expect = levels[-1] if levels else (None, [False])
        if kind == CLOSE:
            if levels:
                levels.pop()
                if levels and levels[-1][0] is not None:
                    levels[-1][1][0] = True  # the value ends: a key next
        elif keys is not None and expect[0]:  # a key, or the rest of a reference ("0 R")
            if kind in (OPEN, STRING) or (kind == NAME and value in keys):
                return True
            if kind == NAME:
                keys.add(value)
                expect[0] = False
        elif kind == OPEN:
            levels.append((set() if value == b"<<" else None, [True]))
        elif keys is not None:
            expect[0] = True
    return bool(levels)


def _nibble(char: bytes) -> int:
    """A hex digit's value; PDFium takes anything else for 0."""
    return int(char, 16) if char in b"0123456789abcdefABCDEF" else 0


def _key(name: bytes) -> str:
    """A name as pdfminer keys it: its UTF-8 text, else ``str()`` of its bytes."""
    try:
        return name.decode("utf-8")
    except UnicodeDecodeError:
        return str(name)


def _hex(digits: bytes) -> bytes:
    try:  # pairs of hex digits, maybe spaced: what a hex string mostly is
        return bytes.fromhex(digits.decode("latin-1"))
    except ValueError:
        pass
    digits = _NOT_HEX.sub(b"", digits)
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))


def _unescape(m: "re.Match[bytes]") -> bytes:
    octal, newline, char = m.groups()
    if octal:
        return bytes((int(octal, 8) & 0xFF,))
    if newline:
        return b""
    return _ESCAPED.get(char, char)
