"""pypdfium2 as a source of page records, one page at a time (the option beside ``source``).

PDFium parses each page in C++; this module reads what it found through the
raw API (``pypdfium2.raw``) into the same plain records as ``source`` does
from pdfplumber, in pdfplumber's coordinates: PDF points, origin at the top
left of the page as displayed (a /Rotate page turned upright), so the
geometry cannot tell the two apart.

- glyphs: the text page's characters (those PDFium made up, spaces and line
  ends, left out), each box from its origin, advance, font size and the
  font's descent, as pdfminer measures it, with the baseline;
- drawings: every path object, form XObjects' included, its segments through
  the object's matrix (and each enclosing form's), split into subpaths and
  sorted into lines, rectangles and curves as pdfminer sorts them;
- annotations: /StrikeOut and the other text markups with their quads;
  AcroForm widgets with their field's name, state and value.

Each page and text page is closed before the next is loaded, so memory stays
flat in pages; a page past ``LIMITS`` is refused in one line.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any, Iterator, Optional

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfminer.fontmetrics import FONT_METRICS  # the standard 14 fonts' metrics: data, not a parser

from ...errors import CorruptFileError, EncryptedFileError, InputError
from .limits import LIMITS, refuse
from .records import Glyph, Mark, PageRecord, Path, Widget
from .source import _edges, _frame, _line, _rect  # the same sorting of drawings into records

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MARKUPS = {
    raw.FPDF_ANNOT_STRIKEOUT: "strikeout", raw.FPDF_ANNOT_UNDERLINE: "underline",
    raw.FPDF_ANNOT_HIGHLIGHT: "highlight", raw.FPDF_ANNOT_SQUIGGLY: "squiggly",
}
FIELD_KINDS = {
    raw.FPDF_FORMFIELD_CHECKBOX: "checkbox", raw.FPDF_FORMFIELD_RADIOBUTTON: "radio",
    raw.FPDF_FORMFIELD_TEXTFIELD: "text", raw.FPDF_FORMFIELD_COMBOBOX: "other", raw.FPDF_FORMFIELD_LISTBOX: "other",
}


def open_pdfium(data: bytes, password: Optional[str] = None) -> "pdfium.PdfDocument":
    """Open the PDF with PDFium, or say in one line why it cannot be opened."""
    try:
        pdf = pdfium.PdfDocument(bytes(data), password=password or None)
    except pdfium.PdfiumError as err:
        raise _open_error(err, password) from None
    if len(pdf) > LIMITS.pages_per_file:
        pdf.close()
        raise refuse(f"this PDF has more than {LIMITS.pages_per_file:,} pages")
    return pdf


def _open_error(err: Exception, password: Optional[str]) -> InputError:
    code = getattr(err, "err_code", None)
    if code == raw.FPDF_ERR_PASSWORD:
        if password:
            return EncryptedFileError("the password given does not open this PDF; check it and try again")
        return EncryptedFileError(
            "this PDF is password-protected; give its password with --password, or save an unprotected copy"
        )
    if code == raw.FPDF_ERR_SECURITY:
        return EncryptedFileError("this PDF uses an encryption msp-convert cannot open; save an unprotected copy")
    return CorruptFileError("this PDF is damaged and cannot be read (PdfiumError); export or save it again")


def pdfium_records(pdf: "pdfium.PdfDocument") -> Iterator[PageRecord]:
    """Every page as records, in order; each page is closed once read."""
    pdf.init_forms()  # before any page is loaded, so widgets know their fields
    form = pdf.formenv.raw if pdf.formenv is not None else None
    glyphs = 0
    for index in range(len(pdf)):
        try:
            page = pdf[index]
        except pdfium.PdfiumError:
            raise CorruptFileError(f"page {index + 1} of this PDF is damaged (PdfiumError); export or save it again") from None
        try:
            record = _Page(page, index + 1, form).record()
        finally:
            page.close()
        glyphs += len(record.glyphs)
        if glyphs > LIMITS.glyphs_per_file:
            raise refuse(f"this PDF draws more than {LIMITS.glyphs_per_file:,} characters")
        yield record


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (row vectors, as PDF writes matrices)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _matrix(obj: Any) -> Matrix:
    fm = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, fm):
        return IDENTITY
    return (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)


class _Page:
    """One PDFium page read into a record, in pdfplumber's displayed, top-left coordinates."""

    def __init__(self, page: "pdfium.PdfPage", number: int, form: Any) -> None:
        self.page, self.raw, self.number, self.form = page, page.raw, number, form
        x0, y0, x1, y1 = page.get_mediabox()
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        rotation = page.get_rotation() % 360
        self.ctm = {  # pdfminer's turn of the page upright, from its MediaBox
            0: (1, 0, 0, 1, -x0, -y0), 90: (0, -1, 1, 0, -y0, x1),
            180: (-1, 0, 0, -1, x1, y1), 270: (0, 1, -1, 0, y1, -x0),
        }.get(rotation, (1, 0, 0, 1, -x0, -y0))
        turned = rotation in (90, 270)
        self.width, self.height = (y1 - y0, x1 - x0) if turned else (x1 - x0, y1 - y0)
        self.left, self.top_off = (y0, -x0) if turned else (x0, -y0)  # pdfplumber's MediaBox offsets
        self.drawings = 0

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A user-space point -> (x, top) as pdfplumber gives it."""
        u, v = _apply(self.ctm, x, y)
        return (u + self.left, self.height - v + self.top_off)

    def box(self, xs: list[float], ys: list[float]) -> tuple[float, float, float, float]:
        pts = [self.point(x, y) for x in xs for y in ys]
        return (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))

    def record(self) -> PageRecord:
        record = PageRecord(number=self.number, width=float(self.width), height=float(self.height))
        texts = self._objects(record)
        self._glyphs(record, texts)
        self._annotations(record)
        return record

    # glyphs

    def _glyphs(self, record: PageRecord, texts: list[tuple[int, Matrix]]) -> None:
        text = raw.FPDFText_LoadPage(self.raw)
        if not text:
            raise CorruptFileError(f"page {self.number} of this PDF is damaged (PdfiumError); export or save it again")
        try:
            count = raw.FPDFText_CountChars(text)
            if count > LIMITS.glyphs_per_page:
                raise refuse(f"page {self.number} of this PDF draws more than {LIMITS.glyphs_per_page:,} characters")
            reader = _TextReader(self, text)
            glyphs = reader.read(max(count, 0))
            record.glyphs += _spaces_back(reader.restore_spaces(glyphs, texts))
        finally:
            raw.FPDFText_ClosePage(text)

    def display(self, m: Matrix) -> Matrix:
        """``m`` (user space) then the turn to pdfplumber's displayed, top-left coordinates, as one matrix."""
        a, b, c, d, e, f = _mul(m, self.ctm)
        return (a, -b, c, -d, e + self.left, self.height + self.top_off - f)

    # drawings

    def _objects(self, record: PageRecord) -> list[tuple[int, Matrix]]:
        """Drawings into the record; the text objects (handle, enclosing forms' matrix) returned, in page order."""
        texts: list[tuple[int, Matrix]] = []
        stack: list[tuple[Any, Matrix, int]] = []
        n = raw.FPDFPage_CountObjects(self.raw)
        stack += [(raw.FPDFPage_GetObject(self.raw, i), IDENTITY, 0) for i in reversed(range(n))]
        while stack:
            obj, outer, depth = stack.pop()
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                texts.append((ctypes.cast(obj, ctypes.c_void_p).value or 0, outer))
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 32:  # its objects in its space, moved by its matrix
                inner = _mul(_matrix(obj), outer)
                k = raw.FPDFFormObj_CountObjects(obj)
                stack += [(raw.FPDFFormObj_GetObject(obj, i), inner, depth + 1) for i in reversed(range(k))]
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                self._count(1)
                self._path(record, obj, _mul(_matrix(obj), outer))
        return texts

    def _count(self, n: int) -> None:
        self.drawings += max(n, 0)
        if self.drawings > LIMITS.drawings_per_page:
            raise refuse(f"page {self.number} of this PDF draws more than {LIMITS.drawings_per_page:,} lines and shapes")

    def _path(self, record: PageRecord, obj: Any, m: Matrix) -> None:
        mode, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj, mode, stroke)
        filled, stroked = mode.value != raw.FPDF_FILLMODE_NONE, bool(stroke.value)
        width = ctypes.c_float()
        raw.FPDFPageObj_GetStrokeWidth(obj, width)
        fill = _colour(obj) if filled else None
        scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))  # the width is the path's own; the page's is scaled
        for shape, pts in _subpaths(obj, m):
            self._shape(record, shape, [self.point(x, y) for x, y in pts], filled, stroked, width.value * scale, fill)

    def _shape(self, record: PageRecord, shape: str, pts: list[tuple[float, float]], filled: bool, stroked: bool,
               width: float, fill: Optional[tuple[float, ...]]) -> None:
        """pdfminer's sorting of one subpath: a line, a rectangle, or a curve."""
        if len(pts) < 2:
            return
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        bounds = {"x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys), "linewidth": width}
        if shape == "ml":
            _line(record, {**bounds, "pts": pts})
        elif shape in RECT_SHAPES and _axis_rect(pts, shape):
            _rect(record, {**bounds, "fill": filled, "stroke": stroked, "non_stroking_color": list(fill) if fill else None})
        else:
            if not all(map(math.isfinite, (bounds["x0"], bounds["x1"], bounds["top"], bounds["bottom"]))):
                return
            record.paths.append(Path(pts, bounds["x0"], bounds["top"], bounds["x1"], bounds["bottom"]))
            if stroked and _frame(pts, bounds["x0"], bounds["top"], bounds["x1"], bounds["bottom"]):
                _edges(record, bounds["x0"], bounds["top"], bounds["x1"], bounds["bottom"], width or 0.5)

    # annotations

    def _annotations(self, record: PageRecord) -> None:
        count = raw.FPDFPage_GetAnnotCount(self.raw)
        if count > LIMITS.annotations_per_page:
            raise refuse(f"page {self.number} of this PDF has more than {LIMITS.annotations_per_page:,} annotations and form fields")
        for i in range(max(count, 0)):
            annot = raw.FPDFPage_GetAnnot(self.raw, i)
            if not annot:
                continue
            try:
                self._annotation(record, annot)
            finally:
                raw.FPDFPage_CloseAnnot(annot)

    def _annotation(self, record: PageRecord, annot: Any) -> None:
        subtype = raw.FPDFAnnot_GetSubtype(annot)
        rect = raw.FS_RECTF()
        if not raw.FPDFAnnot_GetRect(annot, rect):
            return
        box = self.box([rect.left, rect.right], [rect.bottom, rect.top])
        if not all(map(math.isfinite, box)):
            return
        if subtype in MARKUPS:
            record.marks.append(Mark(MARKUPS[subtype], *box, parts=self._quads(annot)))
        elif subtype == raw.FPDF_ANNOT_WIDGET and self.form is not None:
            self._widget(record, annot, box)

    def _quads(self, annot: Any) -> list[tuple[float, float, float, float]]:
        if self.page.get_rotation() % 360:
            return []
        out = []
        for i in range(raw.FPDFAnnot_CountAttachmentPoints(annot)):
            q = raw.FS_QUADPOINTSF()
            if raw.FPDFAnnot_GetAttachmentPoints(annot, i, q):
                out.append(_quad_box([(q.x1, q.y1), (q.x2, q.y2), (q.x3, q.y3), (q.x4, q.y4)], self.height))
        return out

    def _widget(self, record: PageRecord, annot: Any, box: tuple[float, float, float, float]) -> None:
        kind = FIELD_KINDS.get(raw.FPDFAnnot_GetFormFieldType(self.form, annot))
        if kind is None:
            return
        name = _wide(lambda buf, n: raw.FPDFAnnot_GetFormFieldName(self.form, annot, buf, n))
        if kind in ("checkbox", "radio"):
            checked = bool(raw.FPDFAnnot_IsChecked(self.form, annot))
            record.widgets.append(Widget(kind, *box, checked=checked, name=name))
        else:
            value = _wide(lambda buf, n: raw.FPDFAnnot_GetFormFieldValue(self.form, annot, buf, n))
            record.widgets.append(Widget(kind, *box, value=value, name=name))


def _bind(name: str, restype: Any, *argtypes: Any) -> Any:
    """PDFium's ``name`` taking and giving plain addresses (ints), not pypdfium2's typed handles: no cast per call."""
    address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_P, _I = ctypes.c_void_p, ctypes.c_int
_D, _F = ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_float)
_text_object = _bind("FPDFText_GetTextObject", _P, _P, _I)
_unicode = _bind("FPDFText_GetUnicode", ctypes.c_uint, _P, _I)
_generated = _bind("FPDFText_IsGenerated", _I, _P, _I)
_origin = _bind("FPDFText_GetCharOrigin", _I, _P, _I, _D, _D)
_page_text = _bind("FPDFText_GetText", _I, _P, _I, _I, _P)
_object_font = _bind("FPDFTextObj_GetFont", _P, _P)
_glyph_width = _bind("FPDFFont_GetGlyphWidth", _I, _P, ctypes.c_uint, ctypes.c_float, _F)
_bounds = _bind("FPDFPageObj_GetBounds", _I, _P, _F, _F, _F, _F)
_UNREAD = -1.0  # a width not yet asked of PDFium
_LEFT_OUT = frozenset("\r\n\x00\ufffe\uffff")  # line ends PDFium makes up; no character; not a character


class _Font:
    """One font's name, descent (a fraction of the em) and widths (at 1 pt, by character), read once a page."""

    __slots__ = ("handle", "name", "descent", "widths")

    def __init__(self, handle: int) -> None:
        font = ctypes.cast(handle, raw.FPDF_FONT)
        n = raw.FPDFFont_GetBaseFontName(font, None, 0) if handle else 0
        buf = ctypes.create_string_buffer(max(n, 1))
        if n > 0:
            raw.FPDFFont_GetBaseFontName(font, buf, n)
        self.handle, self.name = handle, buf.value.decode("latin-1")
        self.descent = _descent(font, self.name) if handle else 0.0
        self.widths: dict[str, Optional[float]] = {}

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

    __slots__ = ("font", "size", "ok", "a", "b", "upright", "x_lo", "x_hi", "y_lo", "y_hi")

    def __init__(self, font: _Font, size: float, linear: Matrix) -> None:
        a, b, c, d = linear[:4]  # the text's x and y units, as displayed
        self.font, self.size, self.a, self.b = font, size, a, b
        self.ok = size > 0 and all(map(math.isfinite, linear[:4]))
        self.upright = b == 0 and c == 0 and a > 0 and d < 0  # the origin is on the baseline
        low, high = font.descent * size, (font.descent + 1) * size  # pdfminer's box: from the descent up one size
        self.x_lo, self.x_hi = min(low * c, high * c), max(low * c, high * c)
        self.y_lo, self.y_hi = min(low * d, high * d), max(low * d, high * d)

    def glyph(self, char: str, x: float, y: float, advance: float) -> Optional[Glyph]:
        """The glyph drawn at (x, y), displayed, moving the pen ``advance`` along the text."""
        dx, dy = advance * self.a, advance * self.b
        x0, x1 = x + self.x_lo + (dx if dx < 0 else 0.0), x + self.x_hi + (dx if dx > 0 else 0.0)
        top, bottom = y + self.y_lo + (dy if dy < 0 else 0.0), y + self.y_hi + (dy if dy > 0 else 0.0)
        if not math.isfinite(x0 + x1 + top + bottom):
            return None
        glyph = Glyph(char, x0, x1, top, bottom, bottom - top, self.font.name)
        if self.upright:
            glyph.baseline = y
        return glyph


class _TextReader:
    """A page's text page read into glyphs: a few PDFium calls a glyph, what its text object shares read once."""

    def __init__(self, page: _Page, text: Any) -> None:
        self.page, self.text, self.address = page, text, ctypes.cast(text, ctypes.c_void_p).value or 0
        self.at = page.display(IDENTITY)  # a user-space point, displayed
        self.fonts: dict[int, _Font] = {}
        self.runs: dict[int, _Run] = {}
        self.last: dict[int, int] = {}  # text object -> the index of its last glyph read

    def read(self, count: int) -> list[Glyph]:
        """The text page's glyphs, in its order; the hot loop of the PDF reader (a glyph a turn)."""
        chars, tp, last = self._chars(count), self.address, self.last
        a, b, c, d, e, f = self.at
        ox, oy = ctypes.c_double(), ctypes.c_double()
        out: list[Glyph] = []
        prev, run = 0, None
        for i in range(count):
            char = chars[i]
            if char in _LEFT_OUT:
                if char != "\ufffe" or _unicode(tp, i) != 0x02:
                    continue
                char = "-"  # PDFium's mark for a hyphen ending a line (its text has U+FFFE) is the hyphen drawn
            obj = _text_object(tp, i)
            if not obj or (char == " " and _generated(tp, i) == 1):
                continue
            if obj != prev:
                prev, run = obj, self.runs.get(obj) or self._run(obj, i)
            if not run.ok:
                continue
            _origin(tp, i, ox, oy)
            x, y = ox.value, oy.value
            width = run.font.widths.get(char, _UNREAD)
            if width is _UNREAD:
                width = run.font.width(char)
            advance = width * run.size if width is not None else self._loose(i, x)
            glyph = run.glyph(char, a * x + c * y + e, b * x + d * y + f, advance)
            if glyph is not None:
                last[obj] = len(out)
                out.append(glyph)
        return out

    def _chars(self, count: int) -> str:
        """The page's characters, one a glyph: from one call when each is one UTF-16 unit, else one by one."""
        buf = (ctypes.c_ushort * (count + 1))()
        if count and _page_text(self.address, 0, count, buf) == count + 1:
            chars = bytes(buf)[: 2 * count].decode("utf-16-le", errors="surrogatepass")
            if len(chars) == count:
                return chars
        codes = (_unicode(self.address, i) for i in range(count))
        return "".join(chr(c) if 0 < c < 0x110000 else "\uffff" for c in codes)

    def _run(self, obj: int, i: int) -> _Run:
        m = raw.FS_MATRIX()
        raw.FPDFText_GetMatrix(self.text, i, m)
        size = raw.FPDFText_GetFontSize(self.text, i)
        run = self.runs[obj] = _Run(self._font(obj), size, self.page.display((m.a, m.b, m.c, m.d, 0.0, 0.0)))
        return run

    def _font(self, obj: int) -> _Font:
        handle = _object_font(obj) or 0
        font = self.fonts.get(handle)
        if font is None:
            font = self.fonts[handle] = _Font(handle)
        return font

    def _loose(self, i: int, x: float) -> float:
        """How far PDFium's box for the character reaches, for one its font cannot map back to a code (/ActualText)."""
        loose = raw.FS_RECTF()
        raw.FPDFText_GetLooseCharBox(self.text, i, loose)
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        raw.FPDFText_GetCharBox(self.text, i, left, right, bottom, top)
        return float(max(loose.right, right.value) - x)

    # the spaces PDFium leaves out

    def restore_spaces(self, glyphs: list[Glyph], texts: list[tuple[int, Matrix]]) -> list[Glyph]:
        """The spaces ending a text object, and text objects of spaces alone, as the content stream draws them.

        PDFium's text page keeps one space of a run (the others, ending a
        line, are gone) and skips a text object whose glyphs have no ink (its
        box has no width: one space); pdfminer has each space. An object's box
        reaches to its last space's origin, so the spaces it ends with, and
        the spaces of an inkless object, are counted from its box.
        """
        after: dict[int, list[Glyph]] = {}
        prev = -1
        for obj, outer in texts:
            index = self.last.get(obj)
            if index is not None:
                prev = index
                extra = self._trailing(obj, outer, glyphs[index])
            else:
                extra = self._blank(obj, outer)
            if extra:
                after.setdefault(prev, []).extend(extra)
        if not after:
            return glyphs
        out = list(after.get(-1, ()))
        for i, g in enumerate(glyphs):
            out.append(g)
            out += after.get(i, ())
        return out

    def _box(self, obj: int, outer: Matrix) -> Optional[tuple[float, float, float, float]]:
        """The text object's box (its glyphs' ink, and the origin of each inkless one), displayed."""
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        if not _bounds(obj, left, bottom, right, top):
            return None
        m = self.page.display(outer)
        pts = [_apply(m, x, y) for x in (left.value, right.value) for y in (bottom.value, top.value)]
        return (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))

    def _trailing(self, obj: int, outer: Matrix, last: Glyph) -> list[Glyph]:
        run = self.runs.get(obj)
        step = last.x1 - last.x0
        if last.text != " " or run is None or not run.upright or step <= 0:
            return []
        box = self._box(obj, outer)
        n = min(int((box[2] - last.x0) / step + 0.5), 1000) if box else 0
        if n < 1:
            return []
        gap = (box[2] - last.x0) / n  # word and character spacing included
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
        run = _Run(self._font(obj), size.value, self.page.display((m[0], m[1], m[2], m[3], 0.0, 0.0)))
        width = run.font.width(" ")
        if not (run.ok and run.upright and width):
            return []
        x, y = _apply(self.at, m[4], m[5])
        first = run.glyph(" ", x, y, width * run.size)
        step = first.x1 - first.x0 if first is not None else 0.0
        if first is None or step <= 0:
            return []
        n = min(int((box[2] - box[0]) / step + 0.5), 1000)
        gap = (box[2] - box[0]) / n if n else step
        return [first] + [_space(first, x + k * gap, step) for k in range(1, n + 1)]


def _space(like: Glyph, x: float, step: float) -> Glyph:
    return Glyph(" ", x, x + step, like.top, like.bottom, like.size, like.font, baseline=like.baseline)


def _spaces_back(glyphs: list[Glyph]) -> list[Glyph]:
    """The spaces PDFium's text page folds into one, drawn again one advance apart.

    A run of spaces ("by:  \u2610", a row of spaces before a tab stop) is one
    space in the text page; pdfminer has each as drawn. Each space ahead of
    the next glyph on its baseline, one space's advance on, is put back.
    """
    out: list[Glyph] = []
    done = 0
    for i in [i for i, g in enumerate(glyphs[:-1]) if g.text == " "]:
        g, nxt = glyphs[i], glyphs[i + 1]
        step = g.x1 - g.x0
        if step <= 0 or g.baseline is None or nxt.baseline is None or abs(nxt.baseline - g.baseline) > 0.01:
            continue
        extra = min(int((nxt.x0 - g.x0) / step + 0.05) - 1, 1000)
        if extra > 0:
            out += glyphs[done : i + 1]
            out += [_space(g, g.x0 + k * step, step) for k in range(1, extra + 1)]
            done = i + 1
    return out + glyphs[done:] if done else glyphs


def _quad_box(pts: list[tuple[float, float]], height: float) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs), height - max(ys), max(xs), height - min(ys))


def _wide(call: Any) -> Optional[str]:
    """A UTF-16LE string from a PDFium getter that takes (buffer, its length in bytes)."""
    n = call(None, 0)
    if n <= 2:
        return None if n <= 0 else ""
    buf = ctypes.create_string_buffer(n)
    call(ctypes.cast(buf, ctypes.POINTER(raw.FPDF_WCHAR)), n)
    return buf.raw[: n - 2].decode("utf-16-le", errors="replace")


def _descent(font: Any, name: str) -> float:
    """The font's descent, a fraction of the em: a standard font's from its AFM, as pdfminer has it
    (PDFium measures the font it stands in with), else the one PDFium read."""
    if font and not raw.FPDFFont_GetIsEmbedded(font) and name in FONT_METRICS:
        return float(FONT_METRICS[name][0].get("Descent", 0)) / 1000.0
    descent = ctypes.c_float()
    if font and raw.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), descent):
        return descent.value / 1000.0
    return 0.0


def _colour(obj: Any) -> Optional[tuple[float, ...]]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return None
    return (r.value / 255, g.value / 255, b.value / 255)


RECT_SHAPES = {"mlllh", "mllll", "mllllh"}
SEGMENT_OPS = {raw.FPDF_SEGMENT_MOVETO: "m", raw.FPDF_SEGMENT_LINETO: "l", raw.FPDF_SEGMENT_BEZIERTO: "c"}


def _subpaths(obj: Any, m: Matrix) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """The path's subpaths as pdfminer spells them ("mlllh": move, lines, close), their points in user space.

    A Bézier is three segments in PDFium, one "c" in pdfminer, which keeps its end point only.
    """
    shape, pts, beziers = "", [], 0
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        op = SEGMENT_OPS.get(raw.FPDFPathSegment_GetType(seg))
        if op is None or not raw.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        if op == "m" and shape:
            yield shape, pts
            shape, pts = "", []
        beziers = beziers + 1 if op == "c" else 0
        if op != "c" or beziers % 3 == 0:
            shape += op
            pts.append(_apply(m, x.value, y.value))
        if raw.FPDFPathSegment_GetClose(seg):
            shape += "h"
    if shape:
        yield shape, pts


def _axis_rect(pts: list[tuple[float, float]], shape: str) -> bool:
    """pdfminer's test for a rectangle drawn as lines: four corners, each side along an axis.

    PDFium spells a ``re`` as "mllllh", back to its start and closed: a rectangle too.
    """
    if len(pts) < 4 or (len(pts) == 5 and not _near(pts[4], pts[0])):
        return False
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
    across = _eq(x0, x1) and _eq(y1, y2) and _eq(x2, x3) and _eq(y3, y0)
    down = _eq(y0, y1) and _eq(x1, x2) and _eq(y2, y3) and _eq(x3, x0)
    return across or down


def _eq(a: float, b: float) -> bool:
    return abs(a - b) < 1e-3  # PDFium keeps points as 32-bit floats


def _near(p: tuple[float, float], q: tuple[float, float]) -> bool:
    return _eq(p[0], q[0]) and _eq(p[1], q[1])
