"""PDFium's text page read into glyphs, as pdfminer has them (for ``pdfium_source``).

The page's text is read once; each text object's font, size and matrix
once; each font's widths once: two PDFium calls a glyph. What the text page
leaves out of the content stream (spaces folded into one, inkless text
objects, a text object repeated where it was drawn, a split ligature, the
hyphen at a line's end) is put back (``_TextReader.restore_spaces``), so the
records are pdfminer's. How many spaces a folded run held is what the text
object's strings draw, read from the content stream by the flat scan of
``content_tokens`` with pdfminer's fonts (``Drawn``, only on a page with
such a run), never the width of the gap: one space widened by word spacing
or a TJ gap stays one. Text drawn invisibly
(render mode 3) is an OCR layer: ``Glyph.ocr``, ``INVISIBLE_TEXT_CONFIDENCE``.
Also the matrices both halves of the source use, and PDFium's functions bound
once to take plain addresses.
"""

from __future__ import annotations

import bisect
import collections
import ctypes
import itertools
import math
import operator
import re
import weakref
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional, TypeVar

import pypdfium2.raw as raw
from pdfminer.fontmetrics import FONT_METRICS  # the standard 14 fonts' metrics: data, not a parser
from pdfminer.pdftypes import PDFStream, resolve1

from ...errors import InputError
from .limits import LIMITS, refuse
from .quiet import quiet
from .shown import Fonts, Shown, manager
from .records import INVISIBLE_MODES, INVISIBLE_TEXT_CONFIDENCE, Glyph

if TYPE_CHECKING:
    from .pdfium_source import _Page

T = TypeVar("T")
Matrix = tuple[float, float, float, float, float, float]
# PDFium keeps positions as 32-bit floats (a few hundred-thousandths of a point off at page scale); each glyph's box
# is widened by this much each way so that it holds the glyph as pdfminer places it, in full precision
NOISE = 1e-4
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# a matrix's turn terms this small against its scale are float noise (cos 90 degrees is 6e-17), not a slant
UPRIGHT_NOISE = 1e-9


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (row vectors, as PDF writes matrices)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _matrix(obj: Any) -> Matrix:
    """A page object's matrix (its handle or address)."""
    fm = raw.FS_MATRIX()
    if not _object_matrix(obj, fm):
        return IDENTITY
    return (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)


def address(pointer: Any) -> int:
    """A PDFium handle's address as a plain int (0 for NULL), read from the pointer's own bytes: ``ctypes.cast``
    ties the pointer and its result into a reference cycle, one per page object left to the collector."""
    return ctypes.c_void_p.from_address(ctypes.addressof(pointer)).value or 0


def _bind(name: str, restype: Any, *argtypes: Any) -> Any:
    """PDFium's ``name`` taking and giving plain addresses (ints), not pypdfium2's typed handles: no cast per call."""
    address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


def _unchecked(name: str, restype: Any) -> Any:
    """PDFium's ``name`` with no argument types, for a call made once a character: ctypes passes an int as a C int
    and a ctypes object as itself, unconverted (a handle as ``c_void_p``, a pointer by ``byref``): a third faster."""
    return _bind(name, restype)


_P, _I = ctypes.c_void_p, ctypes.c_int
_F = ctypes.POINTER(ctypes.c_float)
_text_object = _unchecked("FPDFText_GetTextObject", _P)  # (text page, index): its text object's address
_unicode = _bind("FPDFText_GetUnicode", ctypes.c_uint, _P, _I)
_generated = _unchecked("FPDFText_IsGenerated", _I)  # (text page, index)
_map_error = _unchecked("FPDFText_HasUnicodeMapError", _I)  # 1: no Unicode for the code, the code read as one
_origin = _unchecked("FPDFText_GetCharOrigin", _I)  # (text page, index, &x, &y): the point, as two doubles
_page_text = _bind("FPDFText_GetText", _I, _P, _I, _I, _P)
_object_font = _bind("FPDFTextObj_GetFont", _P, _P)
_glyph_width = _bind("FPDFFont_GetGlyphWidth", _I, _P, ctypes.c_uint, ctypes.c_float, _F)
_bounds = _bind("FPDFPageObj_GetBounds", _I, _P, _F, _F, _F, _F)
_object_matrix = _bind("FPDFPageObj_GetMatrix", _I, _P, ctypes.POINTER(raw.FS_MATRIX))
_char_matrix = _bind("FPDFText_GetMatrix", _I, _P, _I, ctypes.POINTER(raw.FS_MATRIX))
_char_size = _bind("FPDFText_GetFontSize", ctypes.c_double, _P, _I)
_render_mode = _bind("FPDFTextObj_GetTextRenderMode", _I, _P)
_UNREAD = -1.0  # a width not yet asked of PDFium
_NO_RUN: tuple[Any, ...] = ({}, 0.0, 0.0, 0.0, 0.0, False, "", 1.0, False, set())  # no glyph read yet
_LEFT_OUT = frozenset("\r\n\x00\ufffe\uffff")  # line ends PDFium makes up; no character; not a character
# characters a code without Unicode read as itself shares with pdfminer's base encoding (printable ASCII but the
# quotes): only a glyph of another character is asked, each time, whether PDFium maps its code to no Unicode (a
# code met after a mapped code of the same character would else hide)
_AS_ENCODED = frozenset(map(chr, range(0x20, 0x7F))) - {"'", "`"}



class Drawn:
    """What each of a page's text objects draws, as pdfminer decodes its content stream: read when first asked.

    PDFium's text page keeps one space of a run and cannot tell a run of
    spaces from one space widened by word or character spacing (Tw, Tc) or
    a TJ gap; the content stream can. PDFium makes a text object of each
    Tj, ', " and TJ that shows a string, in the order drawn (a form's where
    it is drawn), as pdfminer runs them: the two are paired in order, and
    not at all when their numbers differ (no text then: nothing is put back).
    The stream is scanned for those operators alone (``shown.Shown``), the
    strings decoded by pdfminer's fonts: its parser is 20 times slower.
    """

    def __init__(self, page: Any, manager: Optional[Fonts], handles: list[int], number: int = 0) -> None:
        self.page, self.manager, self.handles, self.number = page, manager, handles, number
        # the text page's text of an object, each pair checked: weakly held, as its reader holds this (no cycle to
        # wait for the collector: a page's text is freed with the page)
        self.known: Optional[weakref.WeakMethod[Callable[[int], str]]] = None
        self.texts: Optional[dict[int, str]] = None
        self.unmapped: dict[int, list[int]] = {}  # text object -> the codes of its U+FFFD, pdfminer's "(cid:N)"
        self._descents: Optional[dict[str, Optional[float]]] = None

    def text(self, obj: int) -> Optional[str]:
        """The characters the text object's strings draw (pdfminer's), or None when the stream cannot say."""
        if self.texts is None:
            self.texts = self._read()
        return self.texts.get(obj)

    def _read(self) -> dict[int, str]:
        if self.page is None or self.manager is None:
            return {}
        shown = Shown(self.manager, self.number)
        try:
            with quiet():
                contents = self.page.contents if isinstance(self.page.contents, list) else [self.page.contents]
                data = b"\n".join(s.get_data() for s in map(resolve1, contents) if isinstance(s, PDFStream))
                shown.run(data, resolve1(self.page.resources), 0)
        except InputError:
            raise
        except Exception:  # a stream pdfminer cannot decode: PDFium's reading stands, nothing put back
            return {}
        if len(shown.strings) != len(self.handles):
            return {}
        pairs = dict(zip(self.handles, shown.strings))
        known = self.known() if self.known is not None else None
        if known is not None and not all(_same(known(h), t) for h, t in pairs.items()):
            return {}  # out of step (another page's stream, an inline image's data read as text): nothing put back
        self.unmapped = dict(zip(self.handles, shown.unmapped))
        return pairs

    def descents(self) -> dict[str, Optional[float]]:
        """Each of the page's fonts' descent as pdfminer reads it (its descriptor's, negative, a fraction of the em),
        by base font name without its subset tag; None for a name two fonts share with different descents."""
        if self._descents is None:
            self._descents = {}
            try:
                for name, descent in self._each_font(_descriptor_descent):
                    if name is not None:
                        self._descents[name] = descent if self._descents.get(name, descent) == descent else None
            except Exception:  # a resource pdfminer cannot read: PDFium's descents stand
                self._descents = {}
        return self._descents

    def _each_font(self, fact: Callable[[Any], T]) -> Iterator[T]:
        """``fact`` of each of the page's font dictionaries (its /Resources' /Font) as pdfminer reads them, in
        turn; of one the document writes once, worked out once a document (``Fonts.fact``)."""
        if self.page is None or self.manager is None:
            return
        fonts = self.manager.named(resolve1(self.page.resources))
        yield from (self.manager.fact(fact, spec) for spec in (fonts.values() if isinstance(fonts, dict) else ()))

    def read_otherwise(self) -> bool:
        """One of the page's fonts PDFium reads otherwise than pdfminer (``_READ_OTHERWISE``): the page is the
        reference's, told before PDFium reads its text; False where pdfminer cannot read the fonts (PDFium's
        reading stands)."""
        try:
            with quiet():
                return any(self._each_font(_read_otherwise))
        except Exception:
            return False

    def shown(self, obj: int) -> list[str]:
        """The characters the text object draws, each as pdfminer's record has it (a code it cannot map to Unicode
        as "(cid:N)"); [] when the stream cannot say."""
        text = self.text(obj) or ""
        codes = self.unmapped.get(obj, [])
        if text.count("\ufffd") != len(codes):  # a code whose text holds U+FFFD among others: which is which unsaid
            return []
        names = iter(codes)
        return [f"(cid:{next(names)})" if char == "\ufffd" else char for char in text]


def _descendant(spec: dict) -> tuple[Any, Any]:
    """A font dictionary's /DescendantFonts as written, and the font that holds its metrics: a Type0 font's first
    descendant, else the font itself."""
    descendants = resolve1(spec.get("DescendantFonts"))
    return descendants, resolve1(descendants[0]) if isinstance(descendants, list) and descendants else spec


def _fractional_widths(spec: Any) -> bool:
    """A font dictionary's /Widths (a Type0 font's descendant's /W) hold a number with a fraction."""
    if not isinstance(spec, dict):
        return False
    _, font = _descendant(spec)
    key = "W" if font is not spec else "Widths"
    widths = resolve1(font.get(key)) if isinstance(font, dict) else None
    stack, seen = [widths], 0
    while stack and seen < LIMITS.glyphs_per_page:  # /W nests arrays; bounded as a page's glyphs are
        value = resolve1(stack.pop())
        seen += 1
        if isinstance(value, list):
            stack += value
        elif isinstance(value, float) and math.isfinite(value) and value != int(value):
            return True
    return False


def _type3(spec: Any) -> bool:
    """A Type3 font (its glyphs content streams): PDFium reads codes without /ToUnicode as themselves, zero-wide,
    where pdfminer reads the /Differences names, and with a /BaseFont its name, weight and box otherwise."""
    return isinstance(spec, dict) and getattr(resolve1(spec.get("Subtype")), "name", None) == "Type3"


# what makes PDFium read a page's text otherwise than pdfminer, by font dictionary: a /Widths (a Type0 font's /W)
# with fractions (reportlab's, Chromium's 553.7109: PDFium drops them, its glyphs drift along a line); a Type3 font
_READ_OTHERWISE = (_fractional_widths, _type3)


def _read_otherwise(spec: Any) -> bool:
    """PDFium reads the font dictionary's text otherwise than pdfminer (one of ``_READ_OTHERWISE``)."""
    return any(rule(spec) for rule in _READ_OTHERWISE)


def _descriptor_descent(spec: Any) -> tuple[Optional[str], Optional[float]]:
    """A font dictionary's base font name (no subset tag) and its descent as pdfminer reads it (a standard name's
    AFM's, else the descriptor's, a Type0 font's descendant's, 0 without one); (None, None) without a name."""
    if not isinstance(spec, dict):
        return None, None
    base = resolve1(spec.get("BaseFont"))
    descendants, spec = _descendant(spec)
    descriptor = resolve1(spec.get("FontDescriptor")) if isinstance(spec, dict) else None
    if base is None:
        return None, None
    if not isinstance(descriptor, dict):  # pdfminer's default: 0, or a standard name's AFM
        descriptor = {}
    full = getattr(base, "name", base)
    full = full.decode("latin-1") if isinstance(full, bytes) else str(full)
    if full in FONT_METRICS and not isinstance(descendants, list):  # pdfminer takes a standard name's AFM
        descriptor = FONT_METRICS[full][0]
    descent = resolve1(descriptor.get("Descent", 0))
    descent = -abs(float(descent)) / 1000.0 if isinstance(descent, (int, float)) else 0.0
    return re.sub(r"^[A-Z]{6}\+", "", full), descent


_UNSEEN = re.compile(r"[\s\x00\ufffe\uffff]+")  # spaces and line ends the text page folds or makes up
_SEEN = re.compile(r"[^\s\x00\ufffe\uffff]")  # any other character


def _same(ours: str, theirs: str) -> bool:
    """The text page's text of an object and the string the stream shows it with: the same characters, spaces
    aside (one pdfminer cannot map, U+FFFD, stands for any); an object the text page left out (a repeat) has none."""
    a, b = _UNSEEN.sub("", ours), _UNSEEN.sub("", theirs)
    if not a or a == b:  # the common case, told at once
        return True
    return len(a) == len(b) and all(x == y or y == "\ufffd" or x == "\ufffd" for x, y in zip(a, b))


def _lead_count(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _trail_count(text: str) -> int:
    return len(text) - len(text.rstrip(" "))


_SPACES = re.compile(" +")


class _Font:
    """One font's name, descent (a fraction of the em) and widths (at 1 pt, by character), read once a page."""

    __slots__ = ("handle", "name", "descent", "widths", "type3", "codes")

    def __init__(self, handle: int, descents: Optional[dict[str, Optional[float]]] = None) -> None:
        font = ctypes.cast(handle, raw.FPDF_FONT)
        n = raw.FPDFFont_GetBaseFontName(font, None, 0) if handle else 0
        buf = ctypes.create_string_buffer(max(n, 1))
        if n > 0:
            raw.FPDFFont_GetBaseFontName(font, buf, n)
        self.handle, self.name = handle, buf.value.decode("latin-1")
        self.descent = _descent(font, self.name, descents or {}) if handle else 0.0
        self.widths: dict[str, Optional[float]] = {}
        self.codes: set[str] = set()  # characters that are codes PDFium maps to no Unicode, read as themselves
        # a Type3 font (no base font name, no font program) the page's /Resources do not hold (a form's), as
        # ``Drawn.read_otherwise`` tells the page's own before PDFium reads them
        self.type3 = bool(handle) and not self.name and _no_program(font)

    def read(self, char: str, code: bool) -> Optional[float]:
        """The character's width (``width``), met first; ``code``: PDFium maps the code to no Unicode and reads it
        as the character (noted in ``codes``)."""
        if code:
            self.codes.add(char)
        return self.width(char)

    def width(self, char: str) -> Optional[float]:
        """How far the glyph moves the pen at 1 pt, as pdfminer measures it: the font's width for it."""
        try:
            return self.widths[char]
        except KeyError:
            width = ctypes.c_float()
            ok = self.handle and _glyph_width(self.handle, ord(char), 1.0, width)
            self.widths[char] = float(width.value) if ok else None
            return self.widths[char]


class _Run:
    """What one text object's glyphs share: the font, its size, and where a glyph's box lies from its origin."""

    __slots__ = ("font", "size", "ok", "a", "b", "upright", "x_lo", "x_hi", "y_lo", "y_hi", "confidence", "ocr")

    def __init__(self, font: _Font, size: float, linear: Matrix, mode: int = 0) -> None:
        a, b, c, d = linear[:4]  # the text's x and y units, as displayed
        self.font, self.size, self.a, self.b = font, size, a, b
        self.ocr = mode in INVISIBLE_MODES  # an OCR layer, not the author's text
        self.confidence = INVISIBLE_TEXT_CONFIDENCE if self.ocr else 1.0
        self.ok = size > 0 and all(map(math.isfinite, linear[:4]))
        # the origin is on the baseline; a turn's float noise (1.8e-16 for 0: pypdf's rotation) is still upright
        self.upright = a > 0 and d < 0 and abs(b) <= UPRIGHT_NOISE * a and abs(c) <= -UPRIGHT_NOISE * d
        low, high = font.descent * size, (font.descent + 1) * size  # pdfminer's box: from the descent up one size
        self.x_lo, self.x_hi = min(low * c, high * c) - NOISE, max(low * c, high * c) + NOISE
        self.y_lo, self.y_hi = min(low * d, high * d) - NOISE, max(low * d, high * d) + NOISE

    def unpacked(self) -> tuple[Any, ...]:
        """What ``_TextReader.read`` needs of the run, as locals (a size of 0: none of its glyphs is read)."""
        size = self.size if self.ok else 0.0
        return (self.font.widths, size, self.a, self.y_lo, self.y_hi, self.upright, self.font.name, self.confidence,
                self.ocr, self.font.codes)

    def box(self, x: float, y: float, advance: float) -> tuple[float, float, float, float]:
        """(x0, x1, top, bottom) of a glyph drawn at (x, y), displayed, moving the pen ``advance`` along the text."""
        dx, dy = advance * self.a, advance * self.b
        x0, x1 = x + self.x_lo + (dx if dx < 0 else 0.0), x + self.x_hi + (dx if dx > 0 else 0.0)
        return x0, x1, y + self.y_lo + (dy if dy < 0 else 0.0), y + self.y_hi + (dy if dy > 0 else 0.0)

    def glyph(self, char: str, x: float, y: float, advance: float) -> Optional[Glyph]:
        """The glyph drawn at (x, y), displayed, moving the pen ``advance`` along the text."""
        x0, x1, top, bottom = self.box(x, y, advance)
        if not math.isfinite(x0 + x1 + top + bottom):
            return None
        glyph = Glyph(char, x0, x1, top, bottom, bottom - top, self.font.name, confidence=self.confidence, ocr=self.ocr)
        if self.upright:
            glyph.baseline = y
        return glyph


class _TextReader:
    """A page's text page read into glyphs: a few PDFium calls a glyph, what its text object shares read once."""

    def __init__(self, page: _Page, text: Any, drawn: Optional[Drawn] = None) -> None:
        self.page, self.text, self.address = page, text, address(text)
        self.handle = ctypes.c_void_p(self.address)  # as the unchecked calls take it
        self.drawn = drawn  # what each text object draws, from the content stream: how many spaces a run holds
        self.kept: dict[int, int] = {}  # text object -> the spaces the text page kept of it, so far
        self.first: dict[int, str] = {}  # text object -> its first character in the text page
        self.runs: dict[int, list[int]] = {}  # text object -> the length of each run of spaces it draws
        self.at = page.display(IDENTITY)  # a user-space point, displayed
        self.fonts: dict[int, _Font] = {}
        self.objects: dict[int, _Run] = {}
        self.alike: dict[tuple[Any, ...], _Run] = {}  # text objects' shared font, size, turn and mode -> their run
        self.last: dict[int, int] = {}  # text object -> the index of its last glyph read
        self.shown: dict[Matrix, Matrix] = {}  # enclosing forms' matrix -> it displayed
        self.lead: dict[int, int] = {}  # text object after a space -> the index of its first glyph
        self.start: dict[int, int] = {}  # text object -> the index of its first glyph
        self.boxes: dict[int, Optional[tuple[float, float, float, float]]] = {}
        self.copies: dict[int, list[Glyph]] = {}  # a text object the text page left out as a repeat -> its glyphs
        self.added = 0  # glyphs read and put back
        self.chars: str = ""  # the text page's characters and the text object of each
        self.owners: list[Optional[int]] = []
        self.by_object: Optional[dict[int, str]] = None
        self.unmapped: list[tuple[int, int, Glyph]] = []  # (text object, character, glyph): a code without Unicode
        self.named: Optional[bool] = None  # those named as pdfminer names them ("(cid:N)"), once asked
        if drawn is not None:
            drawn.known = weakref.WeakMethod(self.object_text)

    def read(self, count: int) -> list[Glyph]:
        """The text page's glyphs, in its order: the PDF reader's hot loop (each character's text object and origin
        asked of PDFium beforehand, in one pass each, with no Python between the calls)."""
        chars, tp, last, out = self._chars(count), self.handle, self.last, []
        owners, xs, ys = self._owners(count), *self._origins(count)
        self.chars, self.owners, unmapped = chars, owners, self.unmapped
        a, b, c, d, e, f = self.at
        generated, finite, glyph, append = _generated, math.isfinite, Glyph, out.append
        left_out, unread, noise, as_encoded = _LEFT_OUT, _UNREAD, NOISE, _AS_ENCODED
        prev, run, spaced, spaced_obj, kept = 0, None, None, 0, self.kept
        px, py, prev_drawn = math.nan, math.nan, 0  # the last glyph's origin and text object
        widths, size, ta, y_lo, y_hi, upright, name, conf, ocr, codes = _NO_RUN
        for i, char, obj, x, y in zip(itertools.count(), chars, owners, xs, ys):
            if char in left_out:
                if char != "\ufffe" or _unicode(tp, i) != 0x02:
                    continue
                char = "-"  # PDFium's mark for a hyphen ending a line (its text has U+FFFE) is the hyphen drawn
            if not obj or (char == " " and generated(tp, i) == 1):
                continue
            if obj != prev:
                prev, run = obj, self.objects.get(obj) or self._run(obj, i, len(out), i > 0 and chars[i - 1] == " ", char)
                widths, size, ta, y_lo, y_hi, upright, name, conf, ocr, codes = run.unpacked()
            if not size:
                continue
            if x == px and y == py and obj == prev_drawn and out:  # one glyph's second character ("fi" of a ligature)
                self._piece(out[-1], char, i, x)
                continue
            px, py, prev_drawn = x, y, obj
            width = widths.get(char, unread)
            if width is unread:  # the font's first of this character: is it a code PDFium maps to no Unicode?
                width = run.font.read(char, _map_error(tp, i))  # type: ignore[union-attr]  (set with the first glyph)
            elif char not in as_encoded and char not in codes and _map_error(tp, i):
                codes.add(char)  # the font's set: its glyphs of this character checked against the stream
            advance = width * size if width is not None else self._loose(i, x)
            x, y = a * x + c * y + e, b * x + d * y + f
            if upright and advance >= 0:  # the common case, said shortly: the advance is along x
                x0, x1, top, bottom = x - noise, x + advance * ta + noise, y + y_lo, y + y_hi
            else:
                x0, x1, top, bottom = run.box(x, y, advance)  # type: ignore[union-attr]  (set with the first glyph)
            if finite(x0 + x1 + top + bottom):
                g = glyph(char, x0, x1, top, bottom, bottom - top, name, False, None, False, conf,
                          y if upright else None, None, ocr)
                if spaced is not None:  # a space just before: the rest of its run, if the text page folded one
                    if obj == spaced_obj:
                        self._fill(out, spaced, g, obj)
                    spaced = None
                if char == " ":
                    spaced, spaced_obj = g, obj
                    kept[obj] = kept.get(obj, 0) + 1
                if codes and char in codes:  # a code PDFium maps to no Unicode, read as the character
                    unmapped.append((obj, i, g))
                last[obj] = len(out)
                append(g)
        return out

    @property
    def misread(self) -> bool:
        """The page's text read so far is not pdfminer's: a font PDFium may read otherwise (``_Font.type3``), or a
        code it read as itself that the content stream cannot name as pdfminer does (``_name_unmapped``). The
        caller reads such a page with the reference, pdfplumber."""
        if any(font.type3 for font in self.fonts.values()):
            return True
        if self.named is None:
            self.named = self._name_unmapped()
        return not self.named

    def _name_unmapped(self) -> bool:
        """Each glyph PDFium flags as a code it maps to no Unicode (read as the character) named as pdfminer has
        it: its "(cid:N)", or its character where pdfminer reads the same (PDFium flags some it maps, as OCR
        layers' quotes); False when the content stream cannot say what the object draws, or says otherwise.
        Each object's characters (spaces aside, as ``_same``) are read once, in both texts: linear in glyphs."""
        if not self.unmapped:
            return True
        places, read = self._places({obj for obj, _, _ in self.unmapped}), {}
        for obj, i, glyph in self.unmapped:
            pair = read.get(obj)
            if pair is None:
                pair = read[obj] = self._counted(obj)
            ours, theirs = pair
            k = bisect.bisect_left(ours, places[i])  # the characters before it, spaces aside
            if k >= len(theirs) or theirs[k] != glyph.text and not theirs[k].startswith("(cid:"):
                return False
            if not self.objects[obj].font.widths.get(glyph.text):  # no width by the character: the code's, its box's
                self._widen(glyph, i, self._origin_x(i))
            glyph.text = theirs[k] if theirs[k].startswith("(cid:") else glyph.text
        return True

    def _counted(self, obj: int) -> tuple[list[int], list[str]]:
        """Where the text page's text of the object has a character (spaces aside), and the characters the
        stream draws there as pdfminer names them (none where the stream cannot say)."""
        ours = [m.start() for m in _SEEN.finditer(self.object_text(obj))]
        names = self.drawn.shown(obj) if self.drawn is not None else []
        return ours, [name for name in names if not _UNSEEN.fullmatch(name)]

    def _places(self, objects: set[int]) -> dict[int, int]:
        """Each character of these text objects: its place in its object's text (``object_text``)."""
        places, seen = {}, dict.fromkeys(objects, 0)
        for j, obj in enumerate(self.owners):
            if obj in seen:
                places[j], seen[obj] = seen[obj], seen[obj] + 1  # type: ignore[index]
        return places

    def object_text(self, obj: int) -> str:
        """The text object's characters as the text page has them (FPDFTextObj_GetText's, without a call that walks
        the page's characters each time), a hyphen PDFium marks as ending a line read as the one drawn."""
        if self.by_object is None:
            chars, owners, texts = self.chars, self.owners, {}
            marks = (m.start() for m in re.finditer("\ufffe", chars))  # read as ``read`` reads them
            for i in [i for i in marks if _unicode(self.address, i) == 0x02]:
                chars = chars[:i] + "-" + chars[i + 1 :]
            changes = itertools.compress(range(1, len(owners)), map(operator.ne, owners[1:], owners))  # in C
            starts = [0, *changes, len(owners)]
            for start, end in zip(starts, starts[1:]):  # each run of one object's characters
                texts[owners[start]] = texts.get(owners[start], "") + chars[start:end]
            self.by_object = texts
        return self.by_object.get(obj, "") if obj else ""

    def _owners(self, count: int) -> list[Optional[int]]:
        """Each character's text object (None for none: a line end or space PDFium made up), one call each."""
        return list(map(_text_object, itertools.repeat(self.handle, count), range(count)))

    def _origins(self, count: int) -> tuple[list[float], list[float]]:
        """Each character's origin (x and y, user space), one call each, written straight into two arrays."""
        xs, ys = (ctypes.c_double * count)(), (ctypes.c_double * count)()
        places = range(0, ctypes.sizeof(ctypes.c_double) * count, ctypes.sizeof(ctypes.c_double))
        byref, repeat = ctypes.byref, itertools.repeat
        calls = map(_origin, repeat(self.handle, count), range(count), map(byref, repeat(xs), places),
                    map(byref, repeat(ys), places))
        collections.deque(calls, maxlen=0)  # run, nothing kept
        return xs[:], ys[:]

    def _piece(self, glyph: Glyph, char: str, i: int, x: float) -> None:
        """A character drawn by the glyph before (PDFium splits a ligature, pdfminer keeps it one glyph of two
        characters): added to its text; its advance is the ligature's, as PDFium's loose box has it."""
        glyph.text += char
        self._widen(glyph, i, x)

    def _widen(self, glyph: Glyph, i: int, x: float) -> None:
        """The glyph's advance PDFium's loose box for character ``i`` (its origin at ``x``, user space) has."""
        if glyph.baseline is not None and self.page.ctm[0] == 1:  # upright on an unturned page: the advance is along x
            glyph.x1 = glyph.x0 + max(self._loose(i, x), 0.0)

    def _origin_x(self, i: int) -> float:
        x, y = ctypes.c_double(), ctypes.c_double()
        raw.FPDFText_GetCharOrigin(self.text, i, x, y)
        return x.value

    def _chars(self, count: int) -> str:
        """The page's characters, one a glyph: from one call when each is one UTF-16 unit, else one by one."""
        buf = (ctypes.c_ushort * (count + 1))()
        if count and _page_text(self.address, 0, count, buf) == count + 1:
            chars = bytes(buf)[: 2 * count].decode("utf-16-le", errors="surrogatepass")
            if len(chars) == count:
                return chars
        codes = (_unicode(self.address, i) for i in range(count))
        return "".join(chr(c) if 0 < c < 0x110000 else "\uffff" for c in codes)

    def _run(self, obj: int, i: int, first: int, after_space: bool, char: str) -> _Run:
        """The text object's run, read with its first glyph (``char``, at ``first``); one whose space ahead may be
        gone noted."""
        self.start[obj], self.first[obj] = first, char
        if after_space:
            self.lead[obj] = first
        m = raw.FS_MATRIX()
        _char_matrix(self.address, i, m)
        size, mode, font = _char_size(self.address, i), _render_mode(obj), self._font(obj)
        key = (font, bytes(m)[: 4 * ctypes.sizeof(ctypes.c_float)], size.hex(), mode)  # exact: -0.0 and 0.0 differ
        run = self.alike.get(key)
        if run is None:  # the first object of its font, size, turn and mode: what they share worked out once
            run = self.alike[key] = _Run(font, size, self.page.display((m.a, m.b, m.c, m.d, 0.0, 0.0)), mode)
        self.objects[obj] = run
        return run

    def _font(self, obj: int) -> _Font:
        handle = _object_font(obj) or 0
        font = self.fonts.get(handle)
        if font is None:
            font = self.fonts[handle] = _Font(handle, self.drawn.descents() if self.drawn is not None else None)
        return font

    def _loose(self, i: int, x: float) -> float:
        """How far PDFium's box for the character reaches, for one its font cannot map back to a code (/ActualText)."""
        loose = raw.FS_RECTF()
        raw.FPDFText_GetLooseCharBox(self.text, i, loose)
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        raw.FPDFText_GetCharBox(self.text, i, left, right, bottom, top)
        return float(max(loose.right, right.value) - x)

    # the spaces PDFium leaves out

    def _text(self, obj: int) -> str:
        """What the text object's strings draw; "" when the content stream cannot say (nothing is put back)."""
        text = self.drawn.text(obj) if self.drawn is not None else None
        return text or ""

    def _spaces(self, obj: int, k: int) -> int:
        """How many spaces the run the text page kept as its object's ``k``-th space holds (1 if unknown)."""
        runs = self.runs.get(obj)
        if runs is None:
            text = self._text(obj)
            runs = self.runs[obj] = [m.end() - m.start() for m in _SPACES.finditer(text)]
            if text.startswith(" ") and self.first.get(obj) != " ":  # its first run folded into the space before
                runs.pop(0)
        return runs[k] if k < len(runs) else 1

    def _fill(self, out: list[Glyph], space: Glyph, nxt: Glyph, obj: int) -> None:
        """The spaces the text page folds into one, inside one text object, put back between it and the next glyph.

        A run of spaces ("by:  \u2610", a row of spaces before a tab stop) is
        one space in the text page; pdfminer has each as drawn. As many as
        the object's strings draw there are put back, evenly over the gap
        (word and character spacing widen each alike).
        """
        step, gap = space.x1 - space.x0, nxt.x0 - space.x0
        if step <= 0 or space.baseline is None or nxt.baseline is None or abs(nxt.baseline - space.baseline) > 0.01:
            return
        if gap < 1.95 * step:  # no room for a second space: the stream is not read
            return
        n = self._count(self._spaces(obj, self.kept[obj] - 1) - 1)
        out += [_space(space, space.x0 + k * gap / (n + 1), step) for k in range(1, n + 1)]

    def count(self, drawn: int) -> None:
        """The glyphs read from the text page (its made-up spaces and line ends left out) counted against the
        page's limit, as pdfminer counts what a page draws."""
        self._count(drawn)

    def _count(self, added: int) -> int:
        """Glyphs read or put back (spaces, copies) counted against the page's limit before they are made."""
        added = max(added, 0)
        self.added += added
        if self.added > LIMITS.glyphs_per_page:
            raise refuse(f"page {self.page.number} of this PDF draws more than {LIMITS.glyphs_per_page:,} characters")
        return added

    def restore_spaces(self, glyphs: list[Glyph], texts: list[tuple[int, Matrix]]) -> list[Glyph]:
        """What PDFium's text page leaves out and pdfminer has, put back as the content stream draws it.

        The text page keeps one space of a run (the others, ending a line or
        starting an object, are gone), skips a text object whose glyphs have
        no ink (its box has no width: one space), and a text object drawing
        again what one of the five before it drew (a bold faked by printing
        twice). An object's box reaches to its last space's origin, so the
        spaces it ends with, and those of an inkless object, are counted from
        its box; a spaces it starts with, from its start; a repeat is a copy.
        How many spaces each holds is what its strings draw (``Drawn``),
        never the width of a gap: one space widened by word spacing stays one.
        """
        after: dict[int, list[Glyph]] = {}
        prev, recent = -1, []
        for obj, outer in texts:
            index = self.last.get(obj)
            if index is not None:
                first = self.lead.get(obj)
                if first is not None:
                    after.setdefault(first - 1, []).extend(self._leading(obj, outer, glyphs[first]))
                prev = index
                extra = self._trailing(obj, outer, glyphs[index])
            else:
                extra = self._blank(obj, outer) or self._copy(obj, outer, recent, glyphs)
            if extra:
                after.setdefault(prev, []).extend(extra)
            recent = (recent + [(obj, outer)])[-5:]
        if not after:
            return glyphs
        out, done = list(after.pop(-1, ())), 0
        for i in sorted(after):  # the glyphs up to each place, then what goes after it: a slice, not a glyph, a step
            out += glyphs[done : i + 1]
            out += after[i]
            done = i + 1
        return out + glyphs[done:]

    def _copy(self, obj: int, outer: Matrix, recent: list[tuple[int, Matrix]], glyphs: list[Glyph]) -> list[Glyph]:
        """A text object drawing again what one just before it drew (same font, size, box): that one's glyphs, moved."""
        box = self._box(obj, outer)
        if box is None:
            return []
        for other, other_outer in reversed(recent):
            source, was = self._drawn(other, glyphs), self._box(other, other_outer)
            if not source or was is None or _object_font(other) != _object_font(obj) or _size(other) != _size(obj):
                continue
            if abs((was[2] - was[0]) - (box[2] - box[0])) > 0.01 or abs((was[3] - was[1]) - (box[3] - box[1])) > 0.01:
                continue
            dx, dy = box[0] - was[0], box[1] - was[1]
            self._count(len(source))
            copies = self.copies[obj] = [_moved(g, dx, dy) for g in source]
            return copies
        return []

    def _drawn(self, obj: int, glyphs: list[Glyph]) -> list[Glyph]:
        """The glyphs a text object drew: read from the text page, or copied."""
        if obj in self.last:
            return glyphs[self.start[obj] : self.last[obj] + 1]
        return self.copies.get(obj, [])

    def _box(self, obj: int, outer: Matrix) -> Optional[tuple[float, float, float, float]]:
        """The text object's box (its glyphs' ink, and the origin of each inkless one), displayed."""
        if obj in self.boxes:
            return self.boxes[obj]
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        self.boxes[obj] = None
        if not _bounds(obj, left, bottom, right, top):
            return None
        m = self.shown.get(outer)
        if m is None:
            m = self.shown[outer] = self.page.display(outer)
        pts = [_apply(m, x, y) for x in (left.value, right.value) for y in (bottom.value, top.value)]
        box = (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))
        if not math.isfinite(sum(box)):  # past float32's range (a matrix scaled up and up): no box, as none given
            return None
        self.boxes[obj] = box
        return box

    def _leading(self, obj: int, outer: Matrix, first: Glyph) -> list[Glyph]:
        """The spaces a text object starts with, folded into the one before it: from its start to its first glyph."""
        run = self.objects.get(obj)
        width = run.font.width(" ") if run is not None and run.upright else None
        if not width or run is None or first.baseline is None:
            return []
        m = _mul(_matrix(obj), outer)
        x = _apply(self.at, m[4], m[5])[0]
        step = width * run.size * run.a
        if step <= 0 or int((first.x0 - x) / step + 0.5) < 1:  # no room for a space: the stream is not read
            return []
        n = self._count(_lead_count(self._text(obj)))
        gap = (first.x0 - x) / n if n > 0 else 0.0
        return [_space(first, x + k * gap, step) for k in range(n)]

    def _trailing(self, obj: int, outer: Matrix, last: Glyph) -> list[Glyph]:
        run = self.objects.get(obj)
        step = last.x1 - last.x0
        if last.text != " " or run is None or not run.upright or step <= 0:
            return []
        box = self._box(obj, outer)
        if not box or int((box[2] - last.x0) / step + 0.5) < 1:  # the box ends at the space: no other
            return []
        n = self._count(_trail_count(self._text(obj)) - 1)  # the text page kept the first
        gap = (box[2] - last.x0) / n if n > 0 else 0.0  # word and character spacing included
        return [_space(last, last.x0 + k * gap, step) for k in range(1, n + 1)]

    def _blank(self, obj: int, outer: Matrix) -> list[Glyph]:
        box = self._box(obj, outer)
        if box is None or box[3] - box[1] > 0.01:  # ink: not spaces alone
            return []
        handle = ctypes.cast(obj, raw.FPDF_PAGEOBJECT)
        size = ctypes.c_float()
        if not raw.FPDFTextObj_GetFontSize(handle, size):
            return []
        m = _mul(_matrix(handle), outer)
        linear = self.page.display((m[0], m[1], m[2], m[3], 0.0, 0.0))
        run = _Run(self._font(obj), size.value, linear, raw.FPDFTextObj_GetTextRenderMode(handle))
        width = run.font.width(" ")
        if not (run.ok and run.upright and width):
            return []
        x, y = _apply(self.at, m[4], m[5])
        first = run.glyph(" ", x, y, width * run.size)
        step = first.x1 - first.x0 if first is not None else 0.0
        if first is None or step <= 0:
            return []
        wide = int((box[2] - box[0]) / step + 0.5) >= 1  # else the box ends where it starts: one space, no stream read
        n = self._count(max(len(self._text(obj)), 1) if wide else 1) - 1  # the spaces after the first
        gap = (box[2] - box[0]) / n if n else step
        out = [first] + [_space(first, x + k * gap, step) for k in range(1, n + 1)]
        return self._inkless(obj, out)

    def _inkless(self, obj: int, spaces: list[Glyph]) -> list[Glyph]:
        """An inkless text object's glyphs with what its strings draw (a character with no Unicode, a .notdef, is
        pdfminer's "(cid:N)", not a space), where the stream says as many as were placed; else the spaces."""
        chars = self.drawn.shown(obj) if self.drawn is not None else []
        if len(chars) != len(spaces) or all(char == " " for char in chars):
            return spaces
        for glyph, char in zip(spaces, chars):
            glyph.text = char
        return spaces


def _size(obj: int) -> float:
    size = ctypes.c_float()
    raw.FPDFTextObj_GetFontSize(ctypes.cast(obj, raw.FPDF_PAGEOBJECT), size)
    return size.value


def _moved(g: Glyph, dx: float, dy: float) -> Glyph:
    baseline = None if g.baseline is None else g.baseline + dy
    return Glyph(g.text, g.x0 + dx, g.x1 + dx, g.top + dy, g.bottom + dy, g.size, g.font, baseline=baseline,
                 confidence=g.confidence, ocr=g.ocr)


def _space(like: Glyph, x: float, step: float) -> Glyph:
    return Glyph(" ", x, x + step, like.top, like.bottom, like.size, like.font, baseline=like.baseline,
                 confidence=like.confidence, ocr=like.ocr)


def _no_program(font: Any) -> bool:
    """The font has no font program PDFium could hand back (a Type3 font's glyphs are content streams)."""
    size = ctypes.c_size_t()
    return bool(raw.FPDFFont_GetFontData(font, None, 0, ctypes.byref(size))) and size.value == 0


def _descent(font: Any, name: str, descents: dict[str, Optional[float]]) -> float:
    """The font's descent, a fraction of the em: a standard font's from its AFM, as pdfminer has it
    (PDFium measures the font it stands in with), else its descriptor's as pdfminer reads it (PDFium measures
    the glyphs where the descriptor says 0), else the one PDFium read."""
    if font and not raw.FPDFFont_GetIsEmbedded(font) and name in FONT_METRICS:
        return float(FONT_METRICS[name][0].get("Descent", 0)) / 1000.0
    if descents.get(name) is not None:
        return descents[name]  # type: ignore[return-value]
    descent = ctypes.c_float()
    if font and raw.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), descent):
        return descent.value / 1000.0
    return 0.0
