"""pdfplumber as a source of page records, one page at a time.

Each page is read into plain records and released before the next, so a
300-page PDF costs the memory of one page. Nothing here interprets the
page: that is the geometry's job, on the records.
"""

from __future__ import annotations

import io
from typing import Any, Iterator, Optional

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from ...errors import CorruptFileError, EncryptedFileError
from .records import Box, Glyph, Mark, PageRecord, Path, Segment, Widget

THIN = 2.0  # a filled rectangle thinner than this is a drawn line


def open_pdf(data: bytes, password: Optional[str] = None) -> "pdfplumber.PDF":
    """Open the PDF, or say in one line why it cannot be opened."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data), password=password or "")
        pdf.pages  # reads the page tree: a broken file fails here, not later
        return pdf
    except PDFPasswordIncorrect:
        if password:
            raise EncryptedFileError("the password given does not open this PDF; check it and try again") from None
        raise EncryptedFileError(
            "this PDF is password-protected; give its password with --password, or save an unprotected copy"
        ) from None
    except PDFEncryptionError:
        raise EncryptedFileError("this PDF uses an encryption msp-convert cannot open; save an unprotected copy") from None
    except Exception as err:  # pdfminer raises many kinds for a damaged file
        raise CorruptFileError(
            f"this PDF is damaged and cannot be read ({type(err).__name__}); export or save it again"
        ) from None


def page_records(pdf: "pdfplumber.PDF") -> Iterator[PageRecord]:
    """Every page as records, in order; each pdfplumber page is released once read."""
    for page in pdf.pages:
        try:
            record = _record(page)
        except Exception as err:
            raise CorruptFileError(
                f"page {page.page_number} of this PDF is damaged ({type(err).__name__}); export or save it again"
            ) from None
        finally:
            page.close()
        yield record


def _record(page: Any) -> PageRecord:
    record = PageRecord(number=page.page_number, width=float(page.width), height=float(page.height))
    for c in page.chars:
        record.glyphs.append(Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"], c["fontname"]))
    for line in page.lines:
        _line(record, line)
    for rect in page.rects:
        _rect(record, rect)
    for curve in page.curves:
        pts = [(float(x), float(y)) for x, y in curve["pts"]]
        record.paths.append(Path(pts, curve["x0"], curve["top"], curve["x1"], curve["bottom"]))
    for annot in page.annots:
        _annotation(record, annot)
    return record


def _line(record: PageRecord, line: dict) -> None:
    x0, x1, top, bottom = line["x0"], line["x1"], line["top"], line["bottom"]
    width = float(line.get("linewidth") or 0.5)
    if abs(x1 - x0) < 0.5 or abs(bottom - top) < 0.5:
        record.segments.append(Segment(x0, top, x1, bottom, width))
    else:  # a diagonal: part of a drawn tick or cross
        pts = [(float(x), float(y)) for x, y in line["pts"]]
        record.paths.append(Path(pts, x0, top, x1, bottom))


def _rect(record: PageRecord, rect: dict) -> None:
    x0, x1, top, bottom = rect["x0"], rect["x1"], rect["top"], rect["bottom"]
    filled, stroked = bool(rect.get("fill")), bool(rect.get("stroke"))
    height, width = bottom - top, x1 - x0
    if filled and (height <= THIN or width <= THIN):
        record.segments.append(Segment(x0, top, x1, bottom, min(height, width)))
        return
    fill = rect.get("non_stroking_color") if filled else None
    record.boxes.append(Box(x0, top, x1, bottom, filled, stroked, tuple(fill) if isinstance(fill, (list, tuple)) else None))
    if stroked:
        w = float(rect.get("linewidth") or 0.5)
        record.segments += [
            Segment(x0, top, x1, top, w), Segment(x0, bottom, x1, bottom, w),
            Segment(x0, top, x0, bottom, w), Segment(x1, top, x1, bottom, w),
        ]


def _name(value: Any) -> Optional[str]:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        name = value.name
        return name.decode("latin-1") if isinstance(name, bytes) else str(name)
    return None


def _inherited(data: dict, key: str) -> Any:
    """A field attribute, looked up through the widget's /Parent chain."""
    seen = 0
    node: Any = data
    while isinstance(node, dict) and seen < 32:
        if key in node:
            return resolve1(node[key])
        node = resolve1(node.get("Parent"))
        seen += 1
    return None


def _annotation(record: PageRecord, annot: dict) -> None:
    data = annot.get("data") or {}
    subtype = _name(data.get("Subtype"))
    box = (annot["x0"], annot["top"], annot["x1"], annot["bottom"])
    if subtype in ("StrikeOut", "Underline", "Highlight", "Squiggly"):
        record.marks.append(Mark(subtype.lower(), *box))
        return
    if subtype != "Widget":
        return
    field_type = _name(_inherited(data, "FT"))
    flags = resolve1(_inherited(data, "Ff")) or 0
    if field_type == "Btn":
        if int(flags) & (1 << 16):  # a push button: no state
            return
        kind = "radio" if int(flags) & (1 << 15) else "checkbox"
        state = _name(data.get("AS"))
        if state is None:
            state = _name(_inherited(data, "V"))
        # Any on-state name counts ("/Yes", "/1", "/Yup"): only "/Off" is off.
        checked = None if state is None else state != "Off"
        record.widgets.append(Widget(kind, *box, checked=checked))
    elif field_type == "Tx":
        value = _inherited(data, "V")
        if isinstance(value, bytes):
            text = decode_text(value)
        elif isinstance(value, str):
            text = value
        else:
            text = None
        record.widgets.append(Widget("text", *box, value=text))
    elif field_type == "Ch":
        value = _inherited(data, "V")
        text = decode_text(value) if isinstance(value, bytes) else None
        record.widgets.append(Widget("other", *box, value=text))
