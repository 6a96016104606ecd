"""What a page's content stream shows, each string decoded as pdfminer decodes it (for ``pdfium_text.Drawn``).

The stream is scanned flat (``content_tokens``), for the text-showing
operators, fonts, saves and restores and form draws alone; pdfminer's
parser is 20 times slower. Fonts are pdfminer's, made once a document.
"""

from __future__ import annotations

import re
import struct
from typing import Any, Callable, Optional, TypeVar

from pdfminer.cmapdb import FileUnicodeMap
from pdfminer.pdffont import PDFFont
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import literal_name
from pdfminer.utils import choplist, nunpack

from .content_tokens import (CLOSE, DRAW, FONT, FONT_SET, NAME, OPEN, OPERATOR, RESTORE, SAVE, SHOW_ALL, SHOW_LAST,
                             SHOWN_RUNS, STRING, STRINGS, name_keys, tokens)
from .limits import LIMITS, refuse
from .decoded import decoded_size
from .font_cost import CountedFonts, FontCost
from .source import find_form, form_resources, form_xobjects


class Shown:
    """The strings a content stream shows, each decoded as pdfminer decodes it, forms run where drawn.

    Each stream run (the page's own, a form each time it is drawn) and its
    bytes are counted against the page's limits, as the guard counts them;
    an operator inside ``[ ]``, ``{ }`` or ``<< >>`` is an operand, not run.
    A form is found as the guard finds it (``source.find_form``: the same
    names, the page's /XObject where a stream's resources have none, a form's
    own /Resources or its caller's), so no form runs here that the guard did
    not measure; forms deeper than ``LIMITS.form_depth`` are not run.
    """

    def __init__(self, fonts: "Fonts", number: int) -> None:
        self.fonts, self.number, self.strings, self.shown = fonts, number, [], 0  # type: ignore[var-annotated]
        self.unmapped: list[list[int]] = []  # each string's codes pdfminer reads as "(cid:N)" (U+FFFD in strings)
        self.streams, self.content = 0, 0
        self.page_xobjects: Optional[dict] = None  # the page's /XObject: where PDFium looks when a form's has none

    def run(self, data: bytes, resources: Any, depth: int, counted: bool = False, owner: Any = None) -> None:
        """Run one stream (a form's starts with no font, as pdfminer runs it); ``counted``: its run and bytes are
        counted already; ``owner``: whose ``resources`` they are (a form's number; the page's when None)."""
        owner = ("page", self.number) if owner is None else owner
        if not counted:
            self._stream(len(data))
        if depth == 0:
            self.page_xobjects = form_xobjects(resources, None)
        fonts: dict[bytes, Any] = {}
        font, saved, strings, name, nested = None, [], [], b"", 0
        for kind, value in tokens(data, numbers=False):  # one token at a time: memory is the stream's; no numbers
            if kind == OPERATOR:  # the commonest first
                if nested:
                    continue
                does = SHOWN_RUNS.get(value)
                if does == SAVE:
                    saved.append(font)
                elif does == RESTORE:
                    font = saved.pop() if saved else font
                elif does == SHOW_ALL or does == SHOW_LAST and strings:
                    self._show(font, strings if does == SHOW_ALL else strings[-1:])
                elif does == DRAW and depth < LIMITS.form_depth:
                    self._form(resources, name, depth, owner)
                elif does == FONT:
                    font = self._font(fonts, resources, name, owner)
                strings, name = [], b""
            elif kind == STRING:
                strings.append(value)
                self._spend(1)
            elif kind == FONT_SET:  # a name and its Tf: as the two tokens
                if nested:
                    name = value
                else:
                    font, strings, name = self._font(fonts, resources, value, owner), [], b""
            elif kind == STRINGS:  # an array of strings and numbers alone (a short one): no operator, no name in it
                self._spend(len(value))
                strings += value
            elif kind == NAME:
                name = value
            elif kind == OPEN or kind == CLOSE:
                nested = nested + 1 if kind == OPEN else max(nested - 1, 0)

    def _font(self, fonts: dict[bytes, Any], resources: Any, name: bytes, owner: Any) -> Any:
        """The stream's font of ``name`` (each name's looked up once a stream run); ``owner``: whose ``resources``."""
        return fonts[name] if name in fonts else fonts.setdefault(name, self.fonts.get(resources, name, owner))

    def _stream(self, size: int) -> None:
        """One more stream run, of ``size`` bytes: past the page's limits, the page is refused as the guard
        refuses it."""
        self.streams, self.content = self.streams + 1, self.content + size
        if self.streams > LIMITS.streams_per_page:
            raise refuse(f"page {self.number} of this PDF runs more than {LIMITS.streams_per_page:,} drawing streams "
                         "(a form drawn over and over)")
        if self.content > LIMITS.content_bytes_per_page:
            mib = LIMITS.content_bytes_per_page // 2**20
            raise refuse(f"page {self.number} of this PDF holds more than {mib} MiB of drawing instructions")

    def _show(self, font: Any, strings: list[bytes]) -> None:
        parts = strings
        if font is None or not any(parts):
            return  # pdfminer shows nothing without a font; PDFium makes no text object of empty strings
        least = sum(map(len, parts)) // 4 - len(parts)  # a character is at most 4 bytes (a CMap's longest code)
        if self.shown + least > LIMITS.glyphs_per_page:
            self._spend(least)  # refused before it is decoded
        font, chars, simple = font
        cids = b"".join(parts) if simple else [cid for part in parts for cid in font.decode(part)]  # codes as ints
        text = list(map(chars.get, cids))
        if None in text:  # a code not yet decoded
            text = [chars[cid] if cid in chars else chars.setdefault(cid, _unichr(font, cid)) for cid in cids]
        self._spend(len(text) - len(parts))
        self.strings.append("".join(text))
        self.unmapped.append([cid for cid, char in zip(cids, text) if char == "\ufffd"] if "\ufffd" in text else [])

    def _spend(self, n: int) -> None:
        """Strings and characters shown, off the page too (the text page leaves those out), as pdfminer counts
        them: past the page's limit, the page is refused as the pdfplumber source refuses it."""
        self.shown += n
        if self.shown > LIMITS.glyphs_per_page:
            raise refuse(f"page {self.number} of this PDF draws more than {LIMITS.glyphs_per_page:,} characters")

    def _form(self, resources: Any, name: bytes, depth: int, owner: Any) -> None:
        form = find_form(form_xobjects(resources, self.page_xobjects), name)
        if form is not None:  # measured as the guard measures it, before pdfminer decodes it whole
            self._stream(decoded_size(form, LIMITS.content_bytes_per_page - self.content))
            own = form_resources(form, resources)
            mine = form.objid if form.objid is not None else object()  # a form not numbered: its fonts its own
            self.run(form.get_data(), own, depth + 1, True, mine if own is not resources else owner)


def _unichr(font: Any, cid: int) -> str:
    try:
        return str(font.to_unichr(cid))
    except Exception:  # pdfminer's "(cid:N)": not a space
        return "\ufffd"


T = TypeVar("T")


class Fonts:
    """pdfminer's fonts for ``Drawn``, each made once a document (one written in place once for its dictionary),
    with its characters as they are decoded, each charged to ``cost`` first (``font_cost``); and what ``Drawn``
    works out of each font dictionary (``fact``), once a document."""

    def __init__(self, cost: Optional[FontCost] = None) -> None:
        self.manager = CountedFonts(cost)
        self.made: dict[Any, tuple[Any, dict[int, str], bool]] = {}  # by object number, or (owner, name) in place
        self.in_place = 0  # fonts written in place made and kept
        self.facts: dict[tuple[Callable[[Any], Any], int], Any] = {}

    def fact(self, fact: Callable[[Any], T], spec: Any) -> T:
        """``fact`` of a font dictionary (or a resources' /Font) as pdfminer reads it (``spec``: as written where
        it is used). One written once (an indirect object, the same for every page that uses it) is read and
        worked out once a document, for up to ``LIMITS.fonts_remembered`` of them (the guard's document keeps the
        objects it parsed, up to ``LIMITS.objects_kept`` items: ``source._Document.getobj``; the fact is worked out
        once too)."""
        key = (fact, spec.objid) if isinstance(spec, PDFObjRef) else None
        if key is not None and key in self.facts:
            return self.facts[key]
        value = fact(resolve1(spec))
        if key is not None and len(self.facts) < LIMITS.fonts_remembered:
            self.facts[key] = value
        return value

    def named(self, resources: Any) -> Any:
        """The resources' /Font as pdfminer reads it (None without resources): one written once, read once a
        document."""
        return self.fact(_itself, resources.get("Font")) if isinstance(resources, dict) else None

    def get(self, resources: Any, name: bytes, owner: Any = None) -> tuple[Any, dict[int, str], bool]:
        """The resource's font as pdfminer makes it (a default one for a name not there, as pdfminer has it), its
        characters so far, and whether it decodes a string byte by byte (pdfminer's simple fonts). One written
        once is made once a document; one written in place in the resources of ``owner`` (a page or a form:
        ``Shown.run``), once for its owner and name, up to ``LIMITS.fonts_remembered`` of them."""
        fonts = self.named(resources)
        key = next((k for k in name_keys(name) if k in fonts), None) if isinstance(fonts, dict) else None
        spec = fonts[key] if key is not None else None  # type: ignore[index]
        objid = spec.objid if isinstance(spec, PDFObjRef) else None
        kept = objid if objid is not None else ("in place", owner, key) if owner is not None else None
        if kept in self.made:
            return self.made[kept]
        found = resolve1(spec)
        font = self._make(objid, found if isinstance(found, dict) else {})
        made = (font, {}, type(font).decode is PDFFont.decode)
        if objid is not None or kept is not None and self.in_place < LIMITS.fonts_remembered:
            self.made[kept] = made
            self.in_place += objid is None
        return made


    def _make(self, objid: Optional[int], spec: dict) -> Any:
        """pdfminer's font of ``spec``; a simple font's ToUnicode CMap of the usual shape read by ``to_unicode``
        (pdfminer's PostScript parser reads the rest), the same map made."""
        unicode_map = _to_unicode(spec, self.manager.cost)
        if unicode_map is None:
            return self.manager.get_font(objid, spec)
        font = self.manager.get_font(objid, {k: v for k, v in spec.items() if k != "ToUnicode"})
        font.unicode_map = unicode_map  # pdfminer reads it last of what a simple font's ToUnicode changes
        return font


def _to_unicode(spec: dict, cost: FontCost) -> Optional[FileUnicodeMap]:
    """A simple font's ToUnicode map as pdfminer makes it, where ``to_unicode`` reads it within the codes ``cost``
    has left (its stream's size and its codes charged); else None."""
    if literal_name(spec.get("Subtype")) not in _SIMPLE or "ToUnicode" not in spec:
        return None
    data = cost.parse(resolve1(spec["ToUnicode"]))
    try:
        cmap = to_unicode(data, cost.left()) if data is not None else None
    except Exception:  # read as pdfminer reads it, whatever it raises
        return None
    if cmap is not None:
        cost.made(sum(1 + len(chars) // 16 for chars in cmap.cid2unichr.values()))  # as ``font_cost`` counts
    return cmap


_SIMPLE = ("Type1", "MMType1", "TrueType", "Type3")  # pdfminer's simple fonts: a ToUnicode changes their map alone
_HEX = rb"<[0-9A-Fa-f]*+>"  # its digits even (``_section`` reads them; an odd count pdfminer reads otherwise)
_WS = rb"[ \t\r\n]"
_END = rb"(?=[ \t\r\n/%\[\]()<>]|\Z)"  # where pdfminer ends a keyword, a name or a number (here)
# the tokens of a CMap read here, each as pdfminer reads it: 1 a bfchar section's hex strings; 2 a bfrange section's;
# 3 a keyword; then whitespace and comments, a name, a number, a plain string, a hex string, a bracket; nothing else.
# Every repeat is of a class and possessive, or in an atomic group (as ``content_tokens``'): no match backtracks
_CMAP_TOKEN = re.compile(
    rb"(?>(?:" + _WS + rb"++|%[^\r\n]*+)+)"
    rb"|beginbfchar" + _END + rb"((?>(?:" + _WS + rb"*+" + _HEX + rb")*))" + _WS + rb"*+endbfchar" + _END
    + rb"|beginbfrange" + _END + rb"((?>(?:" + _WS + rb"*+(?:" + _HEX + rb"|\[(?>(?:" + _WS + rb"*+" + _HEX + rb")*)"
    + _WS + rb"*+\]))*))" + _WS + rb"*+endbfrange" + _END
    + rb"|([A-Za-z]++)" + _END + rb"|/[A-Za-z0-9_.+\-]*+" + _END + rb"|[0-9]++" + _END
    + rb"|\([A-Za-z0-9 _.\-]*+\)|" + _HEX + rb"|<<|>>|\[|\]")
# what pdfminer's CMapParser does at each keyword (any other is pushed as an operand): 0 empty the operands; 1 end
# the map (keywords after it do nothing); 2 pop two operands (def, which fails with fewer); 3 not read here
_KEYWORDS = {b"begincmap": 0, b"begincodespacerange": 0, b"endcodespacerange": 0, b"beginnotdefrange": 0,
             b"endnotdefrange": 0, b"endcmap": 1, b"def": 2, **dict.fromkeys(
                 (b"usecmap", b"begincidrange", b"endcidrange", b"begincidchar", b"endcidchar", b"beginbfchar",
                  b"endbfchar", b"beginbfrange", b"endbfrange"), 3)}
_OPENS = {b"[": b"]", b"<<": b">>"}
_HEX_OR_ARRAY = re.compile(rb"<([0-9A-Fa-f]*)>|(\[[^\]]*\])")  # a section's operands, once _CMAP_TOKEN has read it
_HEX_IN = re.compile(rb"<([0-9A-Fa-f]*)>")
_RANGE_MOST = 65_536  # codes a bfrange gives (a longer one is pdfminer's)


def to_unicode(data: bytes, most: int = LIMITS.font_entries_per_file) -> Optional[FileUnicodeMap]:
    """A ToUnicode CMap of the usual shape (bfchar and bfrange sections of hex strings, with names, numbers, plain
    strings, arrays, dictionaries and keywords around them) read into the map pdfminer's ``CMapParser`` makes of
    it; None for any other (pdfminer reads it), or for one adding more than ``most`` codes (``font_cost`` counts
    them for pdfminer)."""
    cmap, pos, ended, stack = FileUnicodeMap(), 0, False, [[b"", 0]]  # each open bracket's operands, pdfminer's
    for m in _CMAP_TOKEN.finditer(data):
        if m.start() != pos:
            return None
        pos, token, kind = m.end(), m.group(), m.lastindex
        if kind in (1, 2):  # a section: read, its operands emptied
            added = -1 if ended else _section(cmap, m.group(kind), kind == 2, most)
            if added < 0:
                return None
            most -= added
            stack[-1][1] = 0
        elif ended and token == b"begincmap" or not _operands(stack, token, kind == 3 and not ended):
            return None
        ended = ended or kind == 3 and token == b"endcmap"
    return cmap if pos == len(data) and len(stack) == 1 else None


def _operands(stack: list[list[Any]], token: bytes, keyword: bool) -> bool:
    """Count a token's operands as pdfminer's ``CMapParser`` keeps them (``keyword``: a keyword it runs); False
    where it would fail or do what is not read here."""
    if token[:1] in b" \t\r\n%":
        return True
    does = _KEYWORDS.get(token) if keyword else None
    if token in _OPENS:
        stack.append([_OPENS[token], 0])
    elif token in (b"]", b">>"):
        if stack[-1][0] != token or token == b">>" and stack[-1][1] % 2:
            return False  # a bracket closed unopened, or a dictionary of an odd count
        stack.pop()
        stack[-1][1] += 1
    elif does == 3 or does == 2 and stack[-1][1] < 2:
        return False
    elif does is not None:
        stack[-1][1] = 0 if does == 0 else stack[-1][1] - 2 if does == 2 else stack[-1][1]
    elif keyword or not token.isalpha() or token in (b"true", b"false"):  # a keyword after endcmap does nothing
        stack[-1][1] += 1
    return True


def _section(cmap: FileUnicodeMap, body: bytes, ranges: bool, most: int) -> int:
    """Add a bfchar (``ranges`` False) or bfrange section's codes as pdfminer's ``CMapParser`` adds them: how
    many; -1 where pdfminer would read otherwise (an odd hex string), fail, or give a range more than
    ``_RANGE_MOST``, or where the section adds more than ``most``."""
    if any(len(h) % 2 for h in _HEX_IN.findall(body)):
        return -1
    objs: list[Any] = [bytes.fromhex(m.group(1).decode()) if m.group(2) is None
                       else [bytes.fromhex(h.decode()) for h in _HEX_IN.findall(m.group(2))]
                       for m in _HEX_OR_ARRAY.finditer(body)]
    if not ranges:
        pairs = [(nunpack(cid), code) for cid, code in choplist(2, objs) if isinstance(cid, bytes) and isinstance(code, bytes)]
        added = sum(_weight(code) for _, code in pairs)
        for cid, code in pairs if added <= most else ():
            cmap.add_cid2unichr(cid, code)
        return added if added <= most else -1
    added = 0
    for start_byte, end_byte, code in choplist(3, objs):
        if not isinstance(start_byte, bytes) or not isinstance(end_byte, bytes) or len(start_byte) != len(end_byte):
            continue
        start, end = nunpack(start_byte), nunpack(end_byte)
        count = (sum(map(_weight, code[: max(0, end - start + 1)])) if isinstance(code, list)
                 else max(0, end - start + 1) * _weight(code))
        if end - start >= _RANGE_MOST or added + count > most:
            return -1
        added += count
        if isinstance(code, list):
            for cid, value in zip(range(start, end + 1), code):
                cmap.add_cid2unichr(cid, value)
            continue
        var, prefix = code[-4:], code[:-4]
        base, vlen = nunpack(var), len(var)
        if base + end - start > 0xFFFFFFFF:
            return -1  # pdfminer fails
        for i in range(end - start + 1):
            cmap.add_cid2unichr(start + i, prefix + struct.pack(">L", base + i)[-vlen:])
    return added


def _weight(code: bytes) -> int:
    """What a code mapped to ``code`` counts against the fonts' entries (``font_cost``): one, and one more for
    each 16 characters (32 bytes)."""
    return 1 + len(code) // 32


def _itself(value: Any) -> Any:
    """A ``Fonts.fact``: the dictionary as read."""
    return value


def manager(cost: Optional[FontCost] = None) -> Fonts:
    """pdfminer's fonts for ``Drawn``, one set for a document, charged to ``cost`` (the guard's)."""
    return Fonts(cost)
