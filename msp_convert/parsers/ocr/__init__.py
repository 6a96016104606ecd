"""OCR reader: page images (scans) -> the PDF reader's plain page records -> the neutral layout.

Per page: the resolution is checked (under ``MIN_DPI`` is too small to read)
and a blank page is told apart; a small skew is measured (projection profiles
of the ink) and undone. Then Tesseract reads words with their boxes and
confidences (a page that reads poorly, as one scanned upside down or sideways
does, has its orientation detected, is turned and read again), and OpenCV finds what
Tesseract does not give: table ruling lines (a morphological opening with long
thin kernels), tick boxes (small square frames; ticked when ink fills their
middle) and strikethrough (a thin horizontal stroke through the middle of
words, crossed by their letters; found before Tesseract reads the page, which
gets it painted out, and confirmed word by word from the grey image). Ink
Tesseract left unread (a lone number in a table cell) gets a second look. The
result is a ``PageRecord`` like the PDF reader's, and the PDF reader's own
functions (``find_tick_boxes``, ``find_tables``, ``page_blocks``,
``join_pages``) do the rest. Coordinates are PDF points: pixels * 72 / dpi.

Here: the entry points (rendering a scanned PDF, the resolution check, pages
joined into one document). ``page.py`` reads one page, ``strike.py`` finds
strikethrough, ``second_look.py`` reads what Tesseract passed over,
``common.py`` holds what they share, ``engine.py`` is the one place that talks
to Tesseract (libtesseract in process, one engine per worker, loaded once; it
writes no temporary files and, as the tesserocr wheel builds it, runs on one
thread: ``OMP_THREAD_LIMIT`` matters only to a libtesseract built with OpenMP,
and is set to 1 when tesserocr is loaded unless the user set it), ``turn.py``
measures and undoes the skew (our own steps, not ``cv2.warpAffine``, whose
result differs between OpenCV 4.x and 5.x).

Messages never quote page text: "ocr-used", "ocr-low-confidence-page" (a
page whose words read poorly), "ocr-low-confidence-tick" and
"ocr-low-confidence-strike" (each judgement a person should check). Each
word keeps its confidence, so the mapping can say how well each section
read ("ocr-confidence").
"""

from __future__ import annotations

import io
from typing import Optional, Sequence

from PIL import Image

from ...errors import CorruptFileError, NotAPlanError, UnsupportedFormatError
from ...layout import Document
from ...results import Message, PageDone, Result, dedupe
from ..pdf.grid import SCANNED, find_tables
from ..pdf.pages import PageBlocks, join_pages, page_blocks
from .common import Timing
from .page import read_page

__all__ = ["MIN_DPI", "Timing", "parse_images", "parse_scanned_pdf", "read_page", "render_pdf"]


MIN_DPI = 150  # below this, Tesseract misreads small print: refused
RENDER_DPI = 200  # scanned PDF pages are rendered at their own resolution, within [MIN_DPI, MAX_RENDER_DPI]
MAX_RENDER_DPI = 300
A4_LONG_INCHES = 11.69  # a page without a stated resolution is taken to be A4
MIN_WORDS = 15  # fewer readable words in the whole document: not a plan


def parse_images(images: Sequence[Image.Image], timing: Optional[Timing] = None, on_page: Optional[PageDone] = None) -> Result[Document]:
    """Read page images (one per page, in order) into the neutral layout.

    Raises ``UnsupportedFormatError`` for a page under 150 dpi or a document
    whose pages are all blank, ``NotAPlanError`` when hardly any words read.
    """
    timing = timing if timing is not None else Timing()
    if not images:
        raise UnsupportedFormatError("there are no page images to read")
    messages: list[Message] = [
        Message("ocr-used", "this plan was read from a scan by OCR: check names, dates and tick boxes against the paper copy")
    ]
    pages: list[PageBlocks] = []
    words = 0
    blank = 0
    for number, image in enumerate(images, 1):
        dpi = _dpi(image)
        if dpi < MIN_DPI - 0.5:
            raise UnsupportedFormatError(
                f"page {number} is scanned at about {dpi:.0f} dpi, too small to read reliably; scan it again at 200-300 dpi"
            )
        page = read_page(image, number, dpi, timing)
        if on_page is not None:
            on_page(number, len(images))
        if page is None:
            blank += 1
            messages.append(Message("ocr-blank-page", "this page is blank", where=f"page {number}"))
            pages.append(PageBlocks(number, 842.0))
            continue
        words += sum(1 for g in page.record.glyphs if not g.is_tick and not g.text.isspace())
        messages += page.messages
        pages.append(page_blocks(page.record, find_tables(page.record.segments, page.record.boxes, SCANNED)))
    if blank == len(images):
        raise UnsupportedFormatError("every page of this scan is blank; check the scanner fed the right side of the paper")
    if words < MIN_WORDS:
        raise NotAPlanError("hardly any words could be read from this scan; it does not look like a My Support Plan")
    body, headers, footers = join_pages(pages)
    return Result(Document(body=body, headers=headers, footers=footers, pages=len(images)), dedupe(messages))


def parse_scanned_pdf(data: bytes, timing: Optional[Timing] = None, on_page: Optional[PageDone] = None) -> Result[Document]:
    """Read an image-only PDF: each page rendered at its scan's resolution, then OCR."""
    return parse_images(render_pdf(data), timing, on_page)


def render_pdf(data: bytes) -> list[Image.Image]:
    """The pages of a PDF as greyscale images, each carrying its resolution in ``info["dpi"]``;
    what the PDF libraries log about the file stays off standard error."""
    from ..pdf.quiet import quiet

    with quiet():
        return _render_pdf(data)


def _render_pdf(data: bytes) -> list[Image.Image]:
    import pdfplumber
    import pypdfium2

    try:
        with pdfplumber.open(io.BytesIO(bytes(data))) as pdf:
            native = [_native_dpi(p) for p in pdf.pages]
        doc = pypdfium2.PdfDocument(bytes(data))
    except Exception as err:  # noqa: BLE001 - any parser failure is a damaged file
        raise CorruptFileError(f"this PDF cannot be opened ({type(err).__name__}); check it is not damaged") from None
    out: list[Image.Image] = []
    try:
        for i in range(len(doc)):
            dpi = native[i] if i < len(native) and native[i] else RENDER_DPI
            if dpi < MIN_DPI - 0.5:  # keep the page's true resolution, so the check refuses it
                render = dpi
            else:
                render = min(max(dpi, MIN_DPI), MAX_RENDER_DPI)
            image = doc[i].render(scale=render / 72, grayscale=True).to_pil().convert("L")
            image.info["dpi"] = (render, render)
            out.append(image)
    finally:
        doc.close()
    return out


def _native_dpi(page) -> Optional[float]:  # type: ignore[no-untyped-def]
    """The resolution of the largest image on a PDF page, as placed."""
    best = None
    for im in page.images:
        w = float(im["x1"]) - float(im["x0"])
        src = im.get("srcsize") or (0, 0)
        if w > 0 and src[0] and (best is None or w > best[0]):
            best = (w, src[0] * 72 / w)
    return best[1] if best else None


def _dpi(image: Image.Image) -> float:
    dpi = image.info.get("dpi")
    if dpi and float(dpi[0]) > 1:
        return float(dpi[0])
    return max(image.size) / A4_LONG_INCHES
