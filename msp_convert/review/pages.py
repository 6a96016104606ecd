"""Page images of a plan's original, for the review page: PNG, each page's size in PDF points.

PDFs (with a text layer or scanned) are rendered by pdfium; scans (JPEG, PNG,
TIFF, a multi-page TIFF, a folder of page images) are the images themselves,
upright as their EXIF says; Word and the older formats are turned into PDF
once by LibreOffice (``office.py``) and kept as
``OUT/.msp-convert/pages/<sha256 of the original>.pdf``. Sizes are in PDF
points, as the origins' boxes are: a scan's pixels * 72 / its resolution (A4
when it states none), as the OCR reader counts them.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from PIL import Image

from .. import detect, office
from ..atomic import write_atomically
from ..errors import InputError

RENDER_DPI = 150  # a page 1240 pixels wide for A4: sharp at 1280x800 and zoomed in
MAX_WIDTH = 1700  # pixels: a scan finer than this is brought down
A4_LONG_INCHES = 11.69  # a scan that states no resolution is taken to be A4 (as the OCR reader takes it)
CACHED_PNGS = 48
OPEN_DOCS = 16
WORD_SUFFIXES = {"ole": ".doc", "rtf": ".rtf", "odt": ".odt", "docx": ".docx", "zip": ".docx"}


class NoPages(Exception):
    """No page images for this original; ``message`` says why, in words free of content."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _Doc:
    """An original opened for pages: a PDF's bytes, or a scan's page images."""

    sizes: list[tuple[float, float]]
    pdf: Optional[bytes] = None
    scans: list[bytes] = field(default_factory=list)  # the image files, decoded again for each page drawn
    frames: list[tuple[int, int]] = field(default_factory=list)  # page -> (file, frame in it)


class Pages:
    """Page images of originals, cached: the open documents and the last PNGs made."""

    def __init__(self, state: Path, soffice: Optional[str] = None, timeout: float = 120.0) -> None:
        self.folder = state / "pages"
        self.soffice = soffice
        self.timeout = timeout
        self.lock = threading.Lock()  # pdfium is not thread-safe; one conversion at a time
        self.docs: OrderedDict[Path, _Doc] = OrderedDict()
        self.pngs: OrderedDict[tuple[Path, int], bytes] = OrderedDict()

    def sizes(self, original: Optional[Path]) -> list[tuple[float, float]]:
        """(width, height) in points of each page; ``NoPages`` when there are none to show."""
        return self._doc(original).sizes

    def png(self, original: Optional[Path], number: int) -> bytes:
        """Page ``number`` (from 1) as PNG; ``IndexError`` past the last page."""
        doc = self._doc(original)
        if not 1 <= number <= len(doc.sizes):
            raise IndexError(number)
        assert original is not None
        with self.lock:
            key = (original, number)
            if key not in self.pngs:
                self.pngs[key] = _png(_render(doc, number - 1))
                while len(self.pngs) > CACHED_PNGS:
                    self.pngs.popitem(last=False)
            self.pngs.move_to_end(key)
            return self.pngs[key]

    def _doc(self, original: Optional[Path]) -> _Doc:
        if original is None:
            raise NoPages("the original document was not found (review --original FILE, or --input DIR for a batch, names it)")
        with self.lock:
            if original not in self.docs:
                self.docs[original] = self._open(original)
                while len(self.docs) > OPEN_DOCS:
                    self.docs.popitem(last=False)
            self.docs.move_to_end(original)
            return self.docs[original]

    def _open(self, original: Path) -> _Doc:
        try:
            if original.is_dir():
                from ..parsers.images import folder_pages

                return _scan_doc([page.read_bytes() for page in folder_pages(original)])
            data = original.read_bytes()
        except OSError as err:
            raise NoPages(f"the original could not be read ({err.strerror or type(err).__name__})") from None
        kind = detect.sniff(data)
        if kind == "pdf":
            return _pdf_doc(data)
        if kind in detect.IMAGE_KINDS:
            return _scan_doc([data])
        if kind in WORD_SUFFIXES:
            return _pdf_doc(self._as_pdf(data, WORD_SUFFIXES[kind]))
        raise NoPages("the original is in a format whose pages cannot be shown")

    def _as_pdf(self, data: bytes, suffix: str) -> bytes:
        """A Word (or older) document as PDF, converted by LibreOffice once and kept under .msp-convert/pages."""
        cached = self.folder / f"{hashlib.sha256(data).hexdigest()}.pdf"
        if cached.is_file():
            return cached.read_bytes()
        soffice = office.find_soffice(self.soffice)
        if soffice is None:
            raise NoPages(f"showing a Word document's pages needs LibreOffice: {office.INSTALL_HINT}")
        with tempfile.TemporaryDirectory(prefix="msp-review-") as work:
            done = office.convert_to_pdf([(suffix, data)], soffice, Path(work), timeout=self.timeout)[0]
        if done.data is None:
            raise NoPages(done.error or "LibreOffice could not convert it")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(cached, done.data)
        except OSError:
            pass  # shown all the same; converted again next time
        return done.data


def _pdf_doc(data: bytes) -> _Doc:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise NoPages("the original PDF could not be opened (damaged, or it needs a password)") from None
    try:
        sizes = [tuple(pdf[i].get_size()) for i in range(len(pdf))]
    finally:
        pdf.close()
    return _Doc(sizes=sizes, pdf=data)  # type: ignore[arg-type]


def _scan_doc(files: list[bytes]) -> _Doc:
    from ..parsers.images import frames

    doc = _Doc(sizes=[], scans=files)
    try:
        for i, data in enumerate(files):
            for j, image in enumerate(frames(data)):
                doc.sizes.append(_points(image))
                doc.frames.append((i, j))
    except InputError as err:
        raise NoPages(err.message) from None
    return doc


def _points(image: Image.Image) -> tuple[float, float]:
    """A scan's size in PDF points: pixels * 72 / its stated resolution (else taken as A4)."""
    dpi = image.info.get("dpi")
    try:
        resolution = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        resolution = 0.0
    if resolution <= 1:
        resolution = max(image.size) / A4_LONG_INCHES
    return (image.width * 72 / resolution, image.height * 72 / resolution)


def _render(doc: _Doc, index: int) -> Image.Image:
    if doc.pdf is None:
        from ..parsers.images import frames

        file, frame = doc.frames[index]
        image = frames(doc.scans[file])[frame]
        if image.width > MAX_WIDTH:
            image = image.resize((MAX_WIDTH, round(image.height * MAX_WIDTH / image.width)), Image.Resampling.LANCZOS)
        return image
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(doc.pdf)
    try:
        width = doc.sizes[index][0]
        scale = min(RENDER_DPI / 72, MAX_WIDTH / width) if width > 0 else RENDER_DPI / 72
        return pdf[index].render(scale=scale).to_pil()
    finally:
        pdf.close()


def _png(image: Image.Image) -> bytes:
    if image.mode not in ("1", "L", "RGB", "RGBA"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
