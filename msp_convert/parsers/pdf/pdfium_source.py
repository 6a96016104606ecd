"""pypdfium2 as a source of page records, one page at a time (the option beside ``source``).

PDFium parses each page in C++; this module reads what it found through the
raw API (``pypdfium2.raw``) into the same plain records as ``source`` does
from pdfplumber, measured alike (``source.page_frame``): PDF points from the
top left of the page as displayed (its CropBox within its MediaBox, wherever
that starts; a /Rotate page turned upright), so the geometry cannot tell the
two apart.

- glyphs: the text page's characters (those PDFium made up, spaces and line
  ends, left out), each box from its origin, advance, font size and the
  font's descent, as pdfminer measures it, with the baseline; what the text
  page leaves out of the content stream (spaces folded into one, inkless
  text objects, a text object repeated where it was drawn) put back, as many
  spaces as the content stream draws, so the records are pdfminer's
  (``pdfium_text``); text drawn invisibly marked as an OCR layer. Two PDFium calls
  a glyph: the page's text is read once, each text object's font, size and
  matrix once, each font's widths once;
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
from pdfminer.pdftypes import resolve1

from ...errors import CorruptFileError, EncryptedFileError, InputError
from .limits import LIMITS, refuse
from .pdfium_text import IDENTITY, Drawn, Matrix, _apply, _bind, _F, _I, _matrix, _mul, _P, _TextReader, address, manager
from .records import Mark, PageRecord, Path, Widget
from .source import StreamGuard, _edges, _frame, _line, _rect  # the same sorting of drawings into records
from .source import field_map, open_pdf, page_record  # the reference, for a page this source misreads
from .source import button_checked, chosen, field_value  # a field's state and values as the reference reads them
from .source import framed_box, page_frame  # the same measure of the page

MARKUPS = {
    raw.FPDF_ANNOT_STRIKEOUT: "strikeout", raw.FPDF_ANNOT_UNDERLINE: "underline",
    raw.FPDF_ANNOT_HIGHLIGHT: "highlight", raw.FPDF_ANNOT_SQUIGGLY: "squiggly",
}
# the text page's characters a drawn one brings at most: itself, and a space or a line end (CR LF) PDFium makes up
# after it (3), with room to spare: a page past this many times the limit is refused before its text is read
MADE_UP = 4
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


def pdfium_records(pdf: "pdfium.PdfDocument", guard: Optional[StreamGuard] = None, data: Optional[bytes] = None,
                   password: Optional[str] = None) -> Iterator[PageRecord]:
    """Every page as records, in order; each page is closed once read.

    ``guard`` (from the same bytes) measures each page's content streams before PDFium loads the page; its
    pages (pdfminer's) say what each text object draws, so a run of spaces is read as drawn. Without a guard, a
    run of spaces the text page folds into one stays one. ``data`` and ``password``: what ``pdf`` was opened
    from, for the reference on a page PDFium misreads (the guard's when not given).
    """
    pdf.init_forms()  # before any page is loaded, so widgets know their fields
    form = pdf.formenv.raw if pdf.formenv is not None else None
    if data is None and guard is not None:
        data, password = guard.data, password or guard.password
    glyphs, kept, reference = 0, _Kept(guard), _Reference(data, password)
    fonts = manager(guard.fonts if guard is not None else None)
    try:
        for record in _records(pdf, guard, form, (kept, fonts), reference):
            glyphs += len(record.glyphs)
            if glyphs > LIMITS.glyphs_per_file:
                raise refuse(f"this PDF draws more than {LIMITS.glyphs_per_file:,} characters")
            yield record
    finally:
        reference.close()


def _records(pdf: "pdfium.PdfDocument", guard: Optional[StreamGuard], form: Any, shared: tuple["_Kept", Any],
             reference: "_Reference") -> Iterator[PageRecord]:
    """Each page read by PDFium, or by the reference where PDFium misreads its text (``_TextReader.misread``)."""
    kept, fonts = shared
    for index in range(len(pdf)):
        kept.page = None
        if guard is not None:
            guard.check(index + 1)
        try:
            page = pdf[index]
        except pdfium.PdfiumError:
            raise CorruptFileError(f"page {index + 1} of this PDF is damaged (PdfiumError); export or save it again") from None
        try:
            record = _Page(page, index + 1, form, (kept.page, fonts)).record()
        finally:
            page.close()
        yield record if record is not None else reference.record(index + 1)


class _Reference:
    """The reference source (pdfplumber) on the same bytes, for the pages PDFium misreads: opened when a page
    first needs it, once a document; each of its pages released once read (``source.page_record``)."""

    def __init__(self, data: Optional[bytes], password: Optional[str]) -> None:
        self.data, self.password = data, password  # what ``open_pdfium`` opened the document from
        self.pdf: Any = None
        self.fields: Optional[dict] = None

    def record(self, number: int) -> PageRecord:
        if self.pdf is None:
            if self.data is None:
                raise ValueError("pdfium_records needs the PDF's bytes (data=...) to read a page PDFium misreads")
            self.pdf = open_pdf(bytes(self.data), self.password)
            self.fields = field_map(self.pdf)
        return page_record(self.pdf, number, self.fields)

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None


class _Kept:
    """The pdfminer page the guard measured last (None when it measured none): its content stream."""

    def __init__(self, guard: Optional[StreamGuard]) -> None:
        self.page: Any = None
        if guard is not None and guard.pages is not None:
            guard.pages = self._keep(guard.pages)

    def _keep(self, pages: Iterator[Any]) -> Iterator[Any]:
        for page in pages:
            self.page = page
            yield page


class _Page:
    """One PDFium page read into a record, measured from the top left of the page as displayed (``page_frame``)."""

    def __init__(self, page: "pdfium.PdfPage", number: int, form: Any, stream: tuple[Any, Any] = (None, None)) -> None:
        self.page, self.raw, self.number, self.form = page, page.raw, number, form
        self.stream = stream  # the same page as pdfminer has it, and pdfminer's fonts: what text objects draw
        x0, y0, x1, y1 = page.get_mediabox()
        rotation = page.get_rotation() % 360
        self.ctm = {  # pdfminer's turn of the page upright, from its MediaBox
            0: (1, 0, 0, 1, -x0, -y0), 90: (0, -1, 1, 0, -y0, x1),
            180: (-1, 0, 0, -1, x1, y1), 270: (0, 1, -1, 0, y1, -x0),
        }.get(rotation, (1, 0, 0, 1, -x0, -y0))
        # user space -> (x, top) from the top left of the page box PDFium shows, as the pdfplumber source measures
        self.frame, self.width, self.height = page_frame(page.get_bbox(), rotation)
        self.drawings, self.streams = 0, 1  # the page's own content stream

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A user-space point -> (x, top) from the displayed page's top left (``source.page_frame``)."""
        return _apply(self.frame, x, y)

    def box(self, xs: list[float], ys: list[float]) -> tuple[float, float, float, float]:
        return framed_box(self.frame, xs, ys)

    def record(self) -> Optional[PageRecord]:
        """The page's record; None when PDFium misreads its text (a font it reads otherwise, its widths' fractions
        or a Type3 font: ``Drawn.read_otherwise``; ``_TextReader.misread``): the reference reads it."""
        if Drawn(*self.stream, [], self.number).read_otherwise():  # before PDFium's objects are read
            return None
        record = PageRecord(number=self.number, width=float(self.width), height=float(self.height))
        texts = self._objects(record)
        if not self._glyphs(record, texts):
            return None
        self._annotations(record)
        return record

    # glyphs

    def _glyphs(self, record: PageRecord, texts: list[tuple[int, Matrix]]) -> bool:
        """The page's glyphs into the record; False (none read) when PDFium misreads its text."""
        text = raw.FPDFText_LoadPage(self.raw)
        if not text:
            raise CorruptFileError(f"page {self.number} of this PDF is damaged (PdfiumError); export or save it again")
        try:
            count = raw.FPDFText_CountChars(text)
            if count > MADE_UP * LIMITS.glyphs_per_page:  # past what the drawn ones and PDFium's spaces could be
                raise refuse(f"page {self.number} of this PDF draws more than {LIMITS.glyphs_per_page:,} characters")
            reader = _TextReader(self, text, Drawn(*self.stream, [handle for handle, _ in texts], self.number))
            glyphs = reader.read(max(count, 0))
            reader.count(len(glyphs))  # the drawn characters alone, as pdfminer counts them
            if reader.misread:
                return False
            record.glyphs += reader.restore_spaces(glyphs, texts)
            return True
        finally:
            raw.FPDFText_ClosePage(text)

    def display(self, m: Matrix) -> Matrix:
        """``m`` (user space) then the page's frame (displayed, from its top left), as one matrix."""
        return _mul(m, self.frame)

    # drawings

    def _objects(self, record: PageRecord) -> list[tuple[int, Matrix]]:
        """Drawings into the record; the text objects (handle, enclosing forms' matrix) returned, in page order."""
        texts: list[tuple[int, Matrix]] = []
        stack: list[tuple[Optional[int], Matrix, int]] = []  # page objects by address (None: none there)
        page = address(self.raw)
        n = _count_objects(page)
        stack += [(_page_object(page, i), IDENTITY, 0) for i in reversed(range(n))]
        while stack:
            obj, outer, depth = stack.pop()
            kind = _object_type(obj)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                texts.append((obj or 0, outer))
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 32:  # its objects in its space, moved by its matrix
                self._form()
                inner = _mul(_matrix(obj), outer)
                k = _count_form_objects(obj)
                stack += [(_form_object(obj, i), inner, depth + 1) for i in reversed(range(k))]
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                self._count(1)
                self._path(record, obj, _mul(_matrix(obj), outer))
        return texts

    def _form(self) -> None:
        """One more content stream run: the page's own and each form each time it is drawn, as pdfminer runs them."""
        self.streams += 1
        if self.streams > LIMITS.streams_per_page:
            raise refuse(f"page {self.number} of this PDF runs more than {LIMITS.streams_per_page:,} drawing streams "
                         "(a form drawn over and over)")

    def _count(self, n: int) -> None:
        self.drawings += max(n, 0)
        if self.drawings > LIMITS.drawings_per_page:
            raise refuse(f"page {self.number} of this PDF draws more than {LIMITS.drawings_per_page:,} lines and shapes")

    def _path(self, record: PageRecord, obj: Optional[int], m: Matrix) -> None:
        mode, stroke = ctypes.c_int(), ctypes.c_int()
        _draw_mode(obj, mode, stroke)
        filled, stroked = mode.value != raw.FPDF_FILLMODE_NONE, bool(stroke.value)
        width = ctypes.c_float()
        _stroke_width(obj, width)
        fill = _colour(obj) if filled else None
        scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))  # the width is the path's own; the page's is scaled
        a, b, c, d, e, f = self.frame  # ``point``, said inline: a call less a point
        for shape, pts in _subpaths(obj, m):
            shown = [(a * x + c * y + e, b * x + d * y + f) for x, y in pts]
            self._shape(record, shape, shown, filled, stroked, width.value * scale, fill)

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
                self._annotation(record, annot, i)
            finally:
                raw.FPDFPage_CloseAnnot(annot)

    def _annotation(self, record: PageRecord, annot: Any, index: int) -> None:
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
            self._widget(record, annot, box, self._written(index, rect))

    def _quads(self, annot: Any) -> list[tuple[float, float, float, float]]:
        if self.page.get_rotation() % 360:
            return []
        out = []
        for i in range(raw.FPDFAnnot_CountAttachmentPoints(annot)):
            q = raw.FS_QUADPOINTSF()
            if raw.FPDFAnnot_GetAttachmentPoints(annot, i, q):
                out.append(self.box([q.x1, q.x2, q.x3, q.x4], [q.y1, q.y2, q.y3, q.y4]))
        return out

    def _written(self, index: int, rect: Any) -> Optional[dict]:
        """The page's ``index``-th annotation as the file writes it (pdfminer's, from the guard), where it is the
        one PDFium read there (its /Rect): PDFium rewrites a button's /AS and appearances when it loads the form."""
        try:
            annots = resolve1(self.stream[0].annots) if self.stream[0] is not None else None
            data = resolve1(annots[index]) if isinstance(annots, list) and index < len(annots) else None
            corners = [float(resolve1(v)) for v in resolve1(data.get("Rect"))] if isinstance(data, dict) else []
        except Exception:  # a dictionary pdfminer cannot read: PDFium's reading stands
            return None
        mine = (min(rect.left, rect.right), min(rect.bottom, rect.top), max(rect.left, rect.right), max(rect.bottom, rect.top))
        if len(corners) != 4:
            return None
        theirs = (min(corners[0::2]), min(corners[1::2]), max(corners[0::2]), max(corners[1::2]))
        return data if all(abs(a - b) < 0.01 + 1e-6 * abs(b) for a, b in zip(mine, theirs)) else None  # float32

    def _widget(self, record: PageRecord, annot: Any, box: tuple[float, float, float, float],
                written: Optional[dict]) -> None:
        kind = FIELD_KINDS.get(raw.FPDFAnnot_GetFormFieldType(self.form, annot))
        if kind is None:
            return
        name = _wide(lambda buf, n: raw.FPDFAnnot_GetFormFieldName(self.form, annot, buf, n))
        if kind in ("checkbox", "radio"):
            checked = button_checked(written) if written is not None else bool(raw.FPDFAnnot_IsChecked(self.form, annot))
            record.widgets.append(Widget(kind, *box, checked=checked, name=name))
        else:
            value = _wide(lambda buf, n: raw.FPDFAnnot_GetFormFieldValue(self.form, annot, buf, n))
            if written is not None and isinstance(field_value(written), list):  # a list box's options selected
                value = chosen(field_value(written))
            record.widgets.append(Widget(kind, *box, value=value, name=name))


_count_segments = _bind("FPDFPath_CountSegments", _I, _P)
_segment = _bind("FPDFPath_GetPathSegment", _P, _P, _I)
_segment_type = _bind("FPDFPathSegment_GetType", _I, _P)
_segment_point = _bind("FPDFPathSegment_GetPoint", _I, _P, _F, _F)
_segment_closes = _bind("FPDFPathSegment_GetClose", _I, _P)
# page objects by address, as the text page names them: no typed handle made, cast or checked per object
_count_objects = _bind("FPDFPage_CountObjects", _I, _P)
_page_object = _bind("FPDFPage_GetObject", _P, _P, _I)
_count_form_objects = _bind("FPDFFormObj_CountObjects", _I, _P)
_form_object = _bind("FPDFFormObj_GetObject", _P, _P, ctypes.c_ulong)
_object_type = _bind("FPDFPageObj_GetType", _I, _P)
_draw_mode = _bind("FPDFPath_GetDrawMode", _I, _P, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int))
_stroke_width = _bind("FPDFPageObj_GetStrokeWidth", _I, _P, _F)
_UINT = ctypes.POINTER(ctypes.c_uint)
_fill_colour = _bind("FPDFPageObj_GetFillColor", _I, _P, _UINT, _UINT, _UINT, _UINT)


def _wide(call: Any) -> Optional[str]:
    """A UTF-16LE string from a PDFium getter that takes (buffer, its length in bytes)."""
    n = call(None, 0)
    if n <= 2:
        return None if n <= 0 else ""
    buf = ctypes.create_string_buffer(n)
    call(ctypes.cast(buf, ctypes.POINTER(raw.FPDF_WCHAR)), n)
    return buf.raw[: n - 2].decode("utf-16-le", errors="replace")


def _colour(obj: Optional[int]) -> Optional[tuple[float, ...]]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not _fill_colour(obj, r, g, b, a):
        return None
    return (r.value / 255, g.value / 255, b.value / 255)


RECT_SHAPES = {"mlllh", "mllll", "mllllh"}
SEGMENT_OPS = {raw.FPDF_SEGMENT_MOVETO: "m", raw.FPDF_SEGMENT_LINETO: "l", raw.FPDF_SEGMENT_BEZIERTO: "c"}


def _subpaths(path: Optional[int], m: Matrix) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """The path's subpaths as pdfminer spells them ("mlllh": move, lines, close), their points in user space.

    A Bézier is three segments in PDFium, one "c" in pdfminer, which keeps its end point only.
    """
    shape, pts, beziers = "", [], 0
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(_count_segments(path)):
        seg = _segment(path, i)
        op = SEGMENT_OPS.get(_segment_type(seg))
        if op is None or not _segment_point(seg, x, y):
            continue
        if op == "m" and shape:
            yield shape, pts
            shape, pts = "", []
        beziers = beziers + 1 if op == "c" else 0
        if op != "c" or beziers % 3 == 0:
            shape += op
            pts.append(_apply(m, x.value, y.value))
        if _segment_closes(seg):
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
