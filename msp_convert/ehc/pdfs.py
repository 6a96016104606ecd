"""One PDF out of many: a cover, a contents page, each document, bookmarks, page numbers.

Drawn with reportlab (``invariant=1``: no dates, no random names) and put
together with pypdf with fixed metadata and a fixed /ID, so the same
documents give the same bytes. PDFs that cannot be opened (damaged, or
locked with a password) and images that cannot be read are ``Unusable``,
with a reason a person can act on.
"""

from __future__ import annotations

import io
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional, Sequence

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, ByteStringObject, NameObject

from ..parsers.pdf.quiet import quiet

# No evidence document runs to this many pages (an EP report is 10-30, a year's
# records a few hundred); a PDF that says more is refused before any page is read.
MAX_EVIDENCE_PAGES = 2000
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif"})
A4 = (595.2756, 841.8898)
_MARGIN = 56.0
_FONTS = (  # (regular, bold) TrueType faces that cover more than Latin-1; else Helvetica
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
)


class Unusable(Exception):
    """A document that cannot go into the PDF; ``str()`` says why, without its content."""

    def __init__(self, reason: str, damaged: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.damaged = damaged  # False: only this tool cannot use it (e.g. a format it does not convert)


@contextmanager
def _quiet() -> Iterator[None]:
    """pypdf's log records and Pillow's warnings about odd files stay off the terminal
    (pypdf's through the PDF reader's scoped filter: no logger's level is changed)."""
    with quiet(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def open_pdf(data: bytes) -> PdfReader:
    """A readable PDF with at least one page, or ``Unusable``."""
    with _quiet():
        try:
            reader = PdfReader(io.BytesIO(data))
        except Exception:
            raise Unusable("it is damaged or not a PDF (pypdf cannot read it)") from None
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # only an owner password: anyone may open it
            except Exception:
                opened = 0
            if not opened:
                raise Unusable("it is locked with a password (encrypted); save a copy without the password and add that")
        try:
            _count_pages(reader)  # before pypdf lists every page
            count = len(reader.pages)
            for page in reader.pages:
                page.mediabox  # noqa: B018 - a page without a box cannot be placed
        except Unusable:
            raise
        except Exception:
            raise Unusable("it is damaged (its pages cannot be read)") from None
    if not count:
        raise Unusable("it has no pages")
    return reader


def _count_pages(reader: PdfReader, limit: int = MAX_EVIDENCE_PAGES) -> int:
    """The pages in the page tree, counted without reading them, or ``Unusable`` past ``limit``.

    The tree is walked by its /Kids, not trusted by its /Count (which may lie),
    and the walk stops once ``limit`` is passed: at most ``limit`` page
    objects and as many inner nodes are opened, however large the file.
    """
    stack = [reader.trailer["/Root"]["/Pages"]]
    seen: set[int] = set()
    pages = nodes = 0
    while stack:
        node = stack.pop()
        ref = getattr(node, "idnum", None)
        if ref is not None:
            if ref in seen:
                raise Unusable("it is damaged (its page tree loops)")
            seen.add(ref)
        node = node.get_object()
        nodes += 1
        kids = node.get("/Kids") if hasattr(node, "get") else None
        if kids is None:
            pages += 1
        else:
            stack.extend(reversed(list(kids.get_object())))
        if pages > limit or nodes > 2 * limit:
            # This tool's limit, not the file's fault: it goes in the ZIP as it is, outside bundle.pdf.
            raise Unusable(f"it has more than {limit} pages, more than bundle.pdf takes (MAX_EVIDENCE_PAGES); it is in the ZIP as it is, or split it", damaged=False)
    return pages


def pdf_pages(data: bytes) -> int:
    return len(open_pdf(data).pages)


def image_frames(data: bytes) -> list["object"]:
    """The pages of a scan (a TIFF may hold several), upright, in a mode a PDF takes, or ``Unusable``."""
    from PIL import Image

    from ..errors import InputError, UnsafeFileError
    from ..parsers.images import MAX_PIXELS, frames as read_frames

    with _quiet():
        try:
            pages = read_frames(data)
        except UnsafeFileError:
            raise Unusable(f"the image is too large to be a scan (over {MAX_PIXELS // 1_000_000} million pixels a page)") from None
        except InputError:
            raise Unusable("the image is damaged or not an image Pillow can read") from None
    out = []
    for frame in pages:
        if frame.mode in ("1", "L", "RGB"):
            out.append(frame)
        elif "A" in frame.mode or frame.mode == "P":  # transparency onto white paper
            rgba = frame.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            out.append(flat)
        else:
            out.append(frame.convert("RGB"))
    if not out:
        raise Unusable("the image has no pages")
    return out


def images_to_pdf(data: bytes) -> bytes:
    """A scan as A4 pages (turned to landscape for wide images), each image fitted within the margins."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    frames = image_frames(data)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1, pageCompression=1)
    for frame in frames:
        width, height = frame.size  # type: ignore[attr-defined]
        page = A4 if height >= width else (A4[1], A4[0])
        pdf.setPageSize(page)
        room_w, room_h = page[0] - 2 * 24, page[1] - 24 - 36  # the foot keeps room for the page number
        scale = min(room_w / width, room_h / height)
        w, h = width * scale, height * scale
        pdf.drawImage(ImageReader(frame), (page[0] - w) / 2, 36 + (room_h - h) / 2, w, h)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


# --- drawing -----------------------------------------------------------------

_registered: Optional[tuple[str, str]] = None


def _fonts() -> tuple[str, str]:
    global _registered
    if _registered is None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        _registered = ("Helvetica", "Helvetica-Bold")
        for regular, bold in _FONTS:
            if Path(regular).is_file() and Path(bold).is_file():
                try:
                    pdfmetrics.registerFont(TTFont("MSPSans", regular))
                    pdfmetrics.registerFont(TTFont("MSPSans-Bold", bold))
                except Exception:
                    continue
                _registered = ("MSPSans", "MSPSans-Bold")
                break
    return _registered


@dataclass
class Cover:
    title: str
    subtitle: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)  # label, value
    notes: list[str] = field(default_factory=list)


@dataclass
class Part:
    number: str  # "02"; "" for a row that names a document not in the bundle
    title: str
    pdf: Optional[bytes] = None
    note: str = ""  # shown under the title: why it is not in the bundle
    pages: int = 0  # filled in by ``assemble``
    first_page: Optional[int] = None  # 1-based, in the whole PDF

    @property
    def outline(self) -> str:
        return f"{int(self.number)}. {self.title}" if self.number else self.title


@dataclass
class _Row:
    part: Part
    lines: list[str]
    height: float


def _contents_rows(parts: Sequence[Part], regular: str) -> list[_Row]:
    from reportlab.lib.utils import simpleSplit

    width = A4[0] - 2 * _MARGIN - 40 - 80
    rows = []
    for part in parts:
        lines = simpleSplit(part.title, regular, 11, width) or [""]
        note = simpleSplit(part.note, regular, 9, width) if part.note else []
        rows.append(_Row(part, lines + [f"\0{n}" for n in note], 15 * len(lines) + 12 * len(note) + 8))
    return rows


def _paginate(rows: list[_Row]) -> list[list[_Row]]:
    room = A4[1] - 2 * _MARGIN - 40
    pages: list[list[_Row]] = [[]]
    used = 0.0
    for row in rows:
        if pages[-1] and used + row.height > room:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += row.height
    return pages


def _front(cover: Cover, contents: list[list[_Row]], document_title: str) -> bytes:
    """The cover and the contents pages."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    regular, bold = _fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1, pageCompression=1)
    pdf.setTitle(document_title)
    pdf.setAuthor("")
    pdf.setCreator("msp-convert")
    width = A4[0] - 2 * _MARGIN
    y = A4[1] - 2.2 * _MARGIN
    for line in simpleSplit(cover.title, bold, 20, width):
        pdf.setFont(bold, 20)
        pdf.drawString(_MARGIN, y, line)
        y -= 26
    if cover.subtitle:
        y -= 4
        for line in simpleSplit(cover.subtitle, regular, 13, width):
            pdf.setFont(regular, 13)
            pdf.drawString(_MARGIN, y, line)
            y -= 18
    y -= 24
    for label, value in cover.facts:
        pdf.setFont(bold, 11)
        pdf.drawString(_MARGIN, y, label)
        pdf.setFont(regular, 11)
        for line in simpleSplit(value, regular, 11, width - 150) or [""]:
            pdf.drawString(_MARGIN + 150, y, line)
            y -= 16
        y -= 4
    y -= 16
    for note in cover.notes:
        for line in simpleSplit(note, regular, 10, width):
            pdf.setFont(regular, 10)
            pdf.drawString(_MARGIN, y, line)
            y -= 14
        y -= 6
    pdf.showPage()

    for index, rows in enumerate(contents):
        y = A4[1] - _MARGIN - 10
        pdf.setFont(bold, 16)
        pdf.drawString(_MARGIN, y, "Contents" + (" (continued)" if index else ""))
        pdf.setFont(regular, 9)
        pdf.drawRightString(A4[0] - _MARGIN, y, "page")
        y -= 30
        for row in rows:
            part = row.part
            pdf.setFont(bold, 11)
            pdf.drawString(_MARGIN, y, part.number)
            if part.first_page is not None:
                last = part.first_page + part.pages - 1
                pdf.setFont(regular, 11)
                pdf.drawRightString(A4[0] - _MARGIN, y, str(part.first_page) if last == part.first_page else f"{part.first_page}\u2013{last}")
            for line in row.lines:
                if line.startswith("\0"):
                    pdf.setFont(regular, 9)
                    pdf.setFillGray(0.35)
                    pdf.drawString(_MARGIN + 40, y, line[1:])
                    pdf.setFillGray(0)
                    y -= 12
                else:
                    pdf.setFont(regular, 11)
                    pdf.drawString(_MARGIN + 40, y, line)
                    y -= 15
            y -= 8
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _numbers(sizes: list[tuple[float, float]]) -> PdfReader:
    """One overlay page per page: "Page n of N" at the foot, centred."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1, pageCompression=1)
    total = len(sizes)
    for number, (width, height) in enumerate(sizes, 1):
        pdf.setPageSize((width, height))
        pdf.setFont("Helvetica", 8)
        pdf.drawCentredString(width / 2, 12, f"Page {number} of {total}")
        pdf.showPage()
    pdf.save()
    return PdfReader(io.BytesIO(out.getvalue()))


@dataclass
class Assembled:
    pdf: bytes
    pages: int
    front_pages: int  # the cover and the contents


def assemble(cover: Cover, parts: Sequence[Part], *, title: str, identifier: bytes) -> Assembled:
    """The whole PDF. Parts with a PDF are placed in order, each with its
    bookmark; the others are listed in the contents with their note.
    ``identifier`` (16 bytes, from the inputs) becomes the PDF's /ID."""
    regular, _bold = _fonts()
    readers: list[Optional[PdfReader]] = []
    for part in parts:
        reader = open_pdf(part.pdf) if part.pdf is not None else None
        part.pages = len(reader.pages) if reader else 0
        readers.append(reader)
    contents = _paginate(_contents_rows(parts, regular))
    page = 2 + len(contents)
    for part in parts:
        part.first_page = page if part.pages else None
        page += part.pages
    front = PdfReader(io.BytesIO(_front(cover, contents, title)))

    writer = PdfWriter()
    with _quiet():
        writer.append(front, import_outline=False)
        for part, reader in zip(parts, readers):
            if reader is not None:
                writer.append(reader, outline_item=part.outline, import_outline=False)
        sizes = []
        for p in writer.pages:
            if p.get("/Rotate"):
                p.transfer_rotation_to_content()
            box = p.cropbox
            sizes.append((float(box.width), float(box.height)))
        overlay = _numbers(sizes)
        for p, stamp in zip(writer.pages, overlay.pages):
            box = p.cropbox
            p.merge_transformed_page(stamp, Transformation().translate(float(box.left), float(box.bottom)))
        writer.compress_identical_objects()
        for p in writer.pages:
            p.compress_content_streams()
    writer.page_mode = "/UseOutlines"
    writer.add_metadata({"/Title": title, "/Producer": "msp-convert", "/Creator": "msp-convert"})
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])  # pypdf has no public setter
    writer._root_object.pop(NameObject("/Metadata"), None)  # an XMP packet copied from a part would carry its dates
    out = io.BytesIO()
    writer.write(out)
    return Assembled(out.getvalue(), len(writer.pages), 1 + len(contents))
