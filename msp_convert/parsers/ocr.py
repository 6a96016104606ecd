"""OCR reader: page images (scans) -> the PDF reader's plain page records -> the neutral layout.

Per page: the resolution is checked (under ``MIN_DPI`` is too small to read)
and a blank page is told apart; Tesseract's orientation detection turns a
page scanned upside down or sideways; a small skew is measured (projection
profiles of the ink) and undone. Then Tesseract reads words with their boxes
and confidences, and OpenCV finds what Tesseract does not give: table ruling
lines (a morphological opening with long thin kernels), tick boxes (small
square frames; ticked when ink fills their middle) and strikethrough (a long
horizontal run of ink through the middle band of a word). The result is a
``PageRecord`` like the PDF reader's, and the PDF reader's own functions
(``find_tick_boxes``, ``find_tables``, ``page_blocks``, ``join_pages``) do
the rest. Coordinates are PDF points: pixels * 72 / dpi.

Messages never quote page text: "ocr-used", "ocr-confidence" (mean word
confidence per page), "ocr-low-confidence-tick" and
"ocr-low-confidence-strike" (each judgement a person should check).
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field
from typing import Optional, Sequence

import cv2
import numpy as np
import pytesseract
from PIL import Image

from ..errors import CorruptFileError, NotAPlanError, UnsupportedFormatError
from ..layout import Document
from ..results import Message, Result, dedupe
from .pdf.boxes import EMPTY, TICKED, find_tick_boxes
from .pdf.grid import find_tables
from .pdf.pages import PageBlocks, join_pages, page_blocks
from .pdf.records import Glyph, PageRecord, Segment

MIN_DPI = 150  # below this, Tesseract misreads small print: refused
RENDER_DPI = 200  # scanned PDF pages are rendered at their own resolution, within [MIN_DPI, MAX_RENDER_DPI]
MAX_RENDER_DPI = 300
A4_LONG_INCHES = 11.69  # a page without a stated resolution is taken to be A4
BLANK_INK = 0.0015  # share of dark pixels under which a page is blank
MIN_WORDS = 15  # fewer readable words in the whole document: not a plan
WORD_MIN_CONF = 20.0  # Tesseract word confidences (0-100) below this are noise (specks, rules)
LOW_CONFIDENCE = 0.8  # a tick or strike judged below this gets a warning
MAX_SKEW = 3.0  # degrees searched for the deskew

# Tick boxes, in points
BOX_MIN, BOX_MAX = 5.5, 16.5
# Ruling lines: at least this long (points) to be a table rule
RULE_MIN = 20.0


@dataclass
class Timing:
    """Where the time goes: Tesseract against this module's own image work (seconds)."""

    tesseract: float = 0.0
    own: float = 0.0
    pages: int = 0

    @property
    def own_share(self) -> float:
        total = self.tesseract + self.own
        return self.own / total if total else 0.0


@dataclass
class _Page:
    record: PageRecord
    mean_conf: Optional[float]
    messages: list[Message] = field(default_factory=list)


# ---- entry points ------------------------------------------------------------------------


def parse_images(images: Sequence[Image.Image], timing: Optional[Timing] = None) -> Result[Document]:
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
        if page is None:
            blank += 1
            messages.append(Message("ocr-blank-page", "this page is blank", where=f"page {number}"))
            pages.append(PageBlocks(number, 842.0))
            continue
        words += sum(1 for g in page.record.glyphs if not g.is_tick and not g.text.isspace())
        messages += page.messages
        pages.append(page_blocks(page.record, find_tables(page.record.segments, page.record.boxes)))
    if blank == len(images):
        raise UnsupportedFormatError("every page of this scan is blank; check the scanner fed the right side of the paper")
    if words < MIN_WORDS:
        raise NotAPlanError("hardly any words could be read from this scan; it does not look like a My Support Plan")
    body, headers, footers = join_pages(pages)
    return Result(Document(body=body, headers=headers, footers=footers, pages=len(images)), dedupe(messages))


def parse_scanned_pdf(data: bytes, timing: Optional[Timing] = None) -> Result[Document]:
    """Read an image-only PDF: each page rendered at its scan's resolution, then OCR."""
    return parse_images(render_pdf(data), timing)


def render_pdf(data: bytes) -> list[Image.Image]:
    """The pages of a PDF as greyscale images, each carrying its resolution in ``info["dpi"]``."""
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


# ---- one page ------------------------------------------------------------------------------


def read_page(image: Image.Image, number: int, dpi: float, timing: Timing) -> Optional[_Page]:
    """One page image as a page record; None for a blank page."""
    t0 = time.perf_counter()
    grey = np.asarray(image.convert("L"))
    ink = _binarise(grey)
    if _blank(ink):
        timing.own += time.perf_counter() - t0
        return None
    timing.own += time.perf_counter() - t0
    turn = _orientation(image, timing)
    t0 = time.perf_counter()
    if turn:
        grey = np.ascontiguousarray(np.rot90(grey, k=turn // 90))  # counter-clockwise quarter turns
    angle = _skew(ink if not turn else _binarise(grey))
    if abs(angle) >= 0.05:
        grey = _rotate(grey, angle)
    ink = _binarise(grey)
    scale = 72.0 / dpi
    h, w = grey.shape
    record = PageRecord(number=number, width=w * scale, height=h * scale)
    rules_h, rules_v = _rules(ink, dpi)
    timing.own += time.perf_counter() - t0

    t1 = time.perf_counter()
    data = pytesseract.image_to_data(Image.fromarray(grey), lang="eng", config="--psm 3", output_type=pytesseract.Output.DICT)
    timing.tesseract += time.perf_counter() - t1

    t0 = time.perf_counter()
    page = _Page(record, None)
    words = _words(data, scale)
    boxes = _tick_boxes(ink, dpi)
    # words Tesseract read from a tick box's frame are the box, not text
    words = [wd for wd in words if not any(_centre_in(wd[0], b[0]) for b in boxes)]
    text_mask = ink.copy()
    text_mask[rules_h > 0] = 0
    text_mask[rules_v > 0] = 0
    confs: list[float] = []
    where = f"page {number}"
    for (x0, top, x1, bottom), text, conf, line in words:
        g = Glyph(text, x0 * scale, x1 * scale, top * scale, bottom * scale, max((bottom - top) * scale, 1.0))
        g.confidence = conf / 100.0
        confs.append(conf)
        struck, sconf = _struck(text_mask, (x0, top, x1, bottom), text)
        if struck:
            g.struck = True
            if sconf < LOW_CONFIDENCE:
                page.messages.append(
                    Message("ocr-low-confidence-strike", f"a strikethrough at ({g.x0:.0f}, {g.top:.0f}) pt was read with low confidence; check it by eye", where=where)
                )
        record.glyphs.append(g)
    _add_spaces(record.glyphs, [wd[3] for wd in words])
    for (x0, top, x1, bottom), state, conf in boxes:
        g = Glyph(TICKED if state else EMPTY, x0 * scale, x1 * scale, top * scale, bottom * scale, max((bottom - top) * scale, 1.0))
        g.is_tick, g.tick, g.tick_encoding, g.confidence = True, state, "drawn", conf
        record.glyphs.append(g)
        if conf < LOW_CONFIDENCE:
            page.messages.append(
                Message("ocr-low-confidence-tick", f"a tick box at ({g.x0:.0f}, {g.top:.0f}) pt was read with low confidence; check it by eye", where=where)
            )
    record.segments = _segments(rules_h, True, scale) + _segments(rules_v, False, scale)
    page.messages += find_tick_boxes(record)  # tick characters Tesseract may have read
    if confs:
        page.mean_conf = sum(confs) / len(confs)
        page.messages.append(
            Message("ocr-confidence", f"OCR read this page with a mean word confidence of {page.mean_conf:.0f} %", where=where)
        )
    timing.own += time.perf_counter() - t0
    timing.pages += 1
    return page


def _binarise(grey: np.ndarray) -> np.ndarray:
    """Ink as 255, paper as 0 (Otsu's threshold)."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if np.count_nonzero(ink) > 0.5 * ink.size:  # an all-paper page: Otsu splits the noise
        ink[:] = 0
    return ink


def _blank(ink: np.ndarray) -> bool:
    """Hardly any ink once specks (dust, a pixel or two) are left out."""
    if np.count_nonzero(ink) < BLANK_INK * ink.size:
        return True
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return int(stats[1:, cv2.CC_STAT_AREA][stats[1:, cv2.CC_STAT_AREA] > 6].sum()) < BLANK_INK * ink.size


_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_ORIENT_CONF = re.compile(r"Orientation confidence:\s*([\d.]+)")


def _orientation(image: Image.Image, timing: Timing) -> int:
    """Quarter turns (degrees, counter-clockwise) that put the page upright; 0 if unsure."""
    t1 = time.perf_counter()
    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0 -c min_characters_to_try=20")
    except pytesseract.TesseractError:
        return 0
    finally:
        timing.tesseract += time.perf_counter() - t1
    rotate = _ROTATE.search(osd)
    conf = _ORIENT_CONF.search(osd)
    if not rotate or not conf or float(conf.group(1)) < 1.0:
        return 0
    clockwise = int(rotate.group(1)) % 360
    return (360 - clockwise) % 360


def _skew(ink: np.ndarray) -> float:
    """The page's small rotation (degrees, counter-clockwise positive) from projection profiles."""
    small = cv2.resize(ink, (ink.shape[1] // 4, ink.shape[0] // 4), interpolation=cv2.INTER_AREA)
    h, w = small.shape
    centre = (w / 2, h / 2)

    def score(a: float) -> float:
        m = cv2.getRotationMatrix2D(centre, a, 1.0)
        rows = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25), key=score)
    fine = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05), key=score)
    return -float(fine)  # the rotation found undoes the skew


def _rotate(grey: np.ndarray, skew: float) -> np.ndarray:
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -skew, 1.0)
    paper = int(np.percentile(grey, 90))
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=paper)


def _rules(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the long horizontal and vertical strokes (table rules)."""
    length = max(int(RULE_MIN * dpi / 72), 10)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return horizontal, vertical


def _segments(mask: np.ndarray, horizontal: bool, scale: float) -> list[Segment]:
    """Each stroke of a rule mask as one segment, in points."""
    # close small breaks along the stroke (JPEG, a faint print)
    k = (9, 1) if horizontal else (1, 9)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, k))
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out: list[Segment] = []
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        if horizontal:
            thick = max(area / max(w, 1), 1.0)
            if thick > 8:  # a bar or a shaded block, not a rule
                continue
            mid = y + h / 2
            out.append(Segment(x * scale, (mid - thick / 2) * scale, (x + w) * scale, (mid + thick / 2) * scale, thick * scale))
        else:
            thick = max(area / max(h, 1), 1.0)
            if thick > 8:
                continue
            mid = x + w / 2
            out.append(Segment((mid - thick / 2) * scale, y * scale, (mid + thick / 2) * scale, (y + h) * scale, thick * scale))
    return out


Rect = tuple[int, int, int, int]  # x0, top, x1, bottom in pixels


def _words(data: dict, scale: float) -> list[tuple[Rect, str, float, tuple[int, int, int]]]:
    out = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if not text:
            continue
        conf = float(data["conf"][i])
        if conf < WORD_MIN_CONF and not any(c.isalnum() for c in text):
            continue  # specks and bits of rules read as punctuation
        if conf < 0:
            continue
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        line = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        out.append(((x, y, x + w, y + h), text, conf, line))
    return out


def _add_spaces(glyphs: list[Glyph], lines: list[tuple[int, int, int]]) -> None:
    """A space glyph between neighbouring words of one Tesseract line, as a text layer has."""
    spaces: list[Glyph] = []
    for (a, la), (b, lb) in zip(zip(glyphs, lines), zip(glyphs[1:], lines[1:])):
        if la == lb and b.x0 > a.x1:
            s = Glyph(" ", a.x1, b.x0, min(a.top, b.top), max(a.bottom, b.bottom), a.size)
            s.struck = a.struck and b.struck
            s.confidence = min(a.confidence, b.confidence)
            spaces.append(s)
    glyphs.extend(spaces)


def _centre_in(a: Rect, b: Rect) -> bool:
    cx, cy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    return b[0] - 2 <= cx <= b[2] + 2 and b[1] - 2 <= cy <= b[3] + 2


def _tick_boxes(ink: np.ndarray, dpi: float) -> list[tuple[Rect, Optional[bool], float]]:
    """Small square frames: (rect, ticked, confidence)."""
    lo, hi = BOX_MIN * dpi / 72, BOX_MAX * dpi / 72
    contours, _ = cv2.findContours(ink, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    found: list[tuple[Rect, Optional[bool], float]] = []
    for c in contours:
        x, y, w, h = cv2.boundingRect(c)
        if not (lo <= w <= hi and lo <= h <= hi) or abs(w - h) > 0.2 * max(w, h):
            continue
        rect = (x, y, x + w, y + h)
        if any(_overlaps(rect, f[0]) for f in found):
            continue  # the frame's inner edge, or a mark inside
        crop = ink[y : y + h, x : x + w] > 0
        edge = max(2, round(min(w, h) * 0.15))
        sides = [crop[:edge, :].any(axis=0).mean(), crop[-edge:, :].any(axis=0).mean(), crop[:, :edge].any(axis=1).mean(), crop[:, -edge:].any(axis=1).mean()]
        if min(sides) < 0.85:
            continue  # not a frame: a letter, a blot
        pad = max(edge + 1, round(min(w, h) * 0.25))
        inner = crop[pad : h - pad, pad : w - pad]
        if inner.size == 0:
            continue
        fill = float(inner.mean())
        if fill >= 0.12:
            state: Optional[bool] = True
            conf = min(1.0, 0.7 + fill)
        elif fill <= 0.03:
            state, conf = False, 0.95
        else:  # a faint mark: more likely a tick than dirt, but say so
            state, conf = fill >= 0.07, 0.5
        found.append((rect, state, conf))
    # keep the outer frames only
    found.sort(key=lambda f: -(f[0][2] - f[0][0]))
    kept: list[tuple[Rect, Optional[bool], float]] = []
    for f in found:
        if not any(_overlaps(f[0], k[0]) for k in kept):
            kept.append(f)
    return kept


def _overlaps(a: Rect, b: Rect) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _struck(mask: np.ndarray, rect: Rect, text: str) -> tuple[bool, float]:
    """Is the word crossed by a stroke through its middle band? (struck, confidence)."""
    x0, top, x1, bottom = rect
    w, h = x1 - x0, bottom - top
    if w < 4 or h < 4 or not any(c.isalnum() for c in text):
        return False, 1.0
    band = mask[top + int(h * 0.3) : top + int(h * 0.75) + 1, x0 : x1 + 1]
    if band.size == 0:
        return False, 1.0
    length = max(int(w * 0.6), int(h * 1.2), 6)
    if length > band.shape[1]:
        return False, 1.0
    runs = cv2.morphologyEx(band, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    if not runs.any():
        return False, 1.0
    cover = float((runs > 0).any(axis=0).mean())
    if cover < 0.6:
        return False, 1.0
    return True, min(1.0, 0.5 + cover / 2)
