"""OCR reader: page images (scans) -> the PDF reader's plain page records -> the neutral layout.

Per page: the resolution is checked (under ``MIN_DPI`` is too small to read)
and a blank page is told apart; Tesseract's orientation detection turns a
page scanned upside down or sideways; a small skew is measured (projection
profiles of the ink) and undone. Then Tesseract reads words with their boxes
and confidences, and OpenCV finds what Tesseract does not give: table ruling
lines (a morphological opening with long thin kernels), tick boxes (small
square frames; ticked when ink fills their middle) and strikethrough (a thin
horizontal stroke through the middle of words, crossed by their letters; found
before Tesseract reads the page, which gets it painted out, and confirmed word
by word from the grey image). Ink Tesseract left unread (a lone number in a
table cell) gets a second look. The result is a
``PageRecord`` like the PDF reader's, and the PDF reader's own functions
(``find_tick_boxes``, ``find_tables``, ``page_blocks``, ``join_pages``) do
the rest. Coordinates are PDF points: pixels * 72 / dpi.

Messages never quote page text: "ocr-used", "ocr-low-confidence-page" (a
page whose words read poorly), "ocr-low-confidence-tick" and
"ocr-low-confidence-strike" (each judgement a person should check). Each
word keeps its confidence, so the mapping can say how well each section
read ("ocr-confidence").
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import time
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Optional, Sequence

import cv2
import numpy as np
import pytesseract
from PIL import Image

from ..errors import CorruptFileError, NotAPlanError, UnsupportedFormatError
from ..layout import Document
from ..results import Message, PageDone, Result, dedupe
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
LOW_PAGE_CONFIDENCE = 70.0  # a page whose mean word confidence (0-100) is below this gets a warning
MAX_SKEW = 3.0  # degrees searched for the deskew
OMP_LIMIT = "OMP_THREAD_LIMIT"

# Tick boxes, in points
BOX_MIN, BOX_MAX = 5.5, 16.5
# Ruling lines: at least this long (points) to be a table rule
RULE_MIN = 20.0
# Strikethrough, found twice. Before OCR, as strokes: a thin horizontal run of ink
# at least STRIKE_MIN long (points), no thicker than STRIKE_THICK, that letters cross
# (ink just above and just below) over STRIKE_CROSS of its length and that bridges
# the gaps between letters (no ink above or below) over STRIKE_GAPS of it; a run
# with ink above or below over more than STRIKE_DENSE of it lies inside bold
# letters. A rule has no letters crossing it, an underline none below it.
STRIKE_MIN, STRIKE_THICK = 10.0, 3.0
STRIKE_CROSS, STRIKE_GAPS, STRIKE_DENSE = 0.2, 0.2, 0.85
# A stroke strikes a word when it runs through this band of the word's box (fractions
# from its top) over STRIKE_COVER of the word's width; a long stroke (one taken for a
# rule) is a strike when words it runs through in that band cover STRIKE_COVER of it.
STRIKE_BAND = (0.2, 0.85)
STRIKE_COVER = 0.6
# After OCR, word by word, for strikes too faint or short to be found as strokes: ink
# is what is darker than the word's paper by STRIKE_LIGHT of the word's contrast; a
# row pair in the band must have ink across STRIKE_ROW of the word's ink width,
# STRIKE_RIDGE more than the rows just above and below it, and letters must cross
# it over STRIKE_WORD_CROSS of the width. Only for words STRIKE_WIDE times wider than
# tall: a single letter's own bar (e, a, 4, 6) looks like a strike.
STRIKE_LIGHT = 0.3
STRIKE_ROW, STRIKE_RIDGE, STRIKE_WORD_CROSS = 0.97, 0.3, 0.15
STRIKE_WIDE = 1.5
# A second look at ink Tesseract's page layout left unread: groups of marks
# SECOND_MIN-SECOND_MAX points tall, marks closer than SECOND_GAP points side by side
# in one group, at most SECOND_MAX_GROUPS a page; words read under SECOND_MIN_CONF dropped.
SECOND_MIN, SECOND_MAX, SECOND_GAP = 4.0, 18.0, 4.0
SECOND_MAX_GROUPS = 80
SECOND_MIN_CONF = 60.0


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


@contextmanager
def tesseract_setting() -> Iterator[None]:
    """How Tesseract runs while a scan is read; both put back after (OCR is not run from two threads).

    - Its files in a directory only this user may read, removed even on
      failure: pytesseract writes each page image and Tesseract's output with
      ``NamedTemporaryFile`` into ``tempfile``'s directory, the image readable by all.
    - One thread per tesseract process (``OMP_THREAD_LIMIT=1``, unless the
      user set it): its OpenMP threads cost more than they give, about 3x
      slower on a page here, and batch workers are the parallelism
      (``bench/bench_ocr.py`` measures both).
    """
    with tempfile.TemporaryDirectory(prefix="msp-convert-ocr-") as private:
        previous = tempfile.tempdir
        threads = os.environ.get(OMP_LIMIT)
        tempfile.tempdir = private
        if threads is None:
            os.environ[OMP_LIMIT] = "1"
        try:
            yield
        finally:
            tempfile.tempdir = previous
            if threads is None:
                os.environ.pop(OMP_LIMIT, None)


def parse_images(images: Sequence[Image.Image], timing: Optional[Timing] = None, on_page: Optional[PageDone] = None) -> Result[Document]:
    """Read page images (one per page, in order) into the neutral layout.

    Raises ``UnsupportedFormatError`` for a page under 150 dpi or a document
    whose pages are all blank, ``NotAPlanError`` when hardly any words read.
    """
    with tesseract_setting():
        return _parse_images(images, timing, on_page)


def _parse_images(images: Sequence[Image.Image], timing: Optional[Timing], on_page: Optional[PageDone]) -> Result[Document]:
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
        pages.append(page_blocks(page.record, find_tables(page.record.segments, page.record.boxes)))
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
    # Strikes through text: no rules (a strike across a line is as long as one, and would
    # make a table edge), and painted out of the image Tesseract reads, as it misreads
    # struck words; judged on the page as scanned.
    strokes, stroke_mask = _strike_strokes(ink, rules_v, dpi)
    read = grey
    if stroke_mask is not None:
        rules_h[stroke_mask] = 0
        read = _erase_strokes(grey, strokes)
    read = _erase_rules(read, rules_h, rules_v)
    timing.own += time.perf_counter() - t0

    t1 = time.perf_counter()
    data = pytesseract.image_to_data(Image.fromarray(read), lang="eng", config="--psm 3", output_type=pytesseract.Output.DICT)
    timing.tesseract += time.perf_counter() - t1

    t0, tesseract0 = time.perf_counter(), timing.tesseract
    page = _Page(record, None)
    words = _words(data, scale)
    boxes = _tick_boxes(ink, dpi)
    # words Tesseract read from a tick box's frame are the box, not text
    words = [wd for wd in words if not any(_centre_in(wd[0], b[0]) for b in boxes)]
    # a long stroke through the middle of words that the strokes missed is no rule either
    through = _rule_strikes(rules_h, [wd[0] for wd in words if any(c.isalnum() for c in wd[1])])
    if through is not None:
        rules_h[through] = 0
    rules = cv2.bitwise_or(rules_h, rules_v)
    words += _second_look(ink, rules, words, [b[0] for b in boxes], dpi, timing)
    strikes = _strikes(grey, rules, words, strokes)
    confs: list[float] = []
    where = f"page {number}"
    rows = _line_boxes(words)
    _previous_line: object = None
    for ((x0, top, x1, bottom), text, conf, line), (struck, sconf) in zip(words, strikes):
        top, bottom = rows[line]  # as a text layer places glyphs: the line's height, not the word's ink
        if line != _previous_line and text in _BULLET_MISREADS:
            text = "\u2022"
        _previous_line = line
        g = Glyph(text, x0 * scale, x1 * scale, top * scale, bottom * scale, max((bottom - top) * scale, 1.0))
        g.confidence, g.ocr = conf / 100.0, True
        confs.append(conf)
        if struck:
            g.struck = True
            if sconf < LOW_CONFIDENCE:
                page.messages.append(
                    Message("ocr-low-confidence-strike", f"a strikethrough at ({g.x0:.0f}, {g.top:.0f}) pt was read with low confidence; check it by eye", where=where)
                )
        record.glyphs.append(g)
    _add_spaces(record.glyphs, [wd[3] for wd in words], rules_v, scale)
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
        if page.mean_conf < LOW_PAGE_CONFIDENCE:
            page.messages.append(Message(
                "ocr-low-confidence-page",
                f"OCR read this page with a mean word confidence of only {page.mean_conf:.0f} %; check it against the paper, or scan it again",
                where=where,
            ))
    timing.own += time.perf_counter() - t0 - (timing.tesseract - tesseract0)  # the second look's Tesseract is not ours
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


# What Tesseract reads a bullet point as, when it is the first word of a line.
_BULLET_MISREADS = frozenset({"\u00a2", "\u00a9", "\u00ab", "\u00b0", "\u00ae", "e", "*"})
LINE_PAD = 0.12  # of a line's ink height, above and below: a text layer's glyph box is taller than the ink


def _line_boxes(words: list[Word]) -> dict[tuple[int, int, int], tuple[float, float]]:
    """Each Tesseract line's top and bottom (pixels), padded as a font's box is.

    Paragraphs are told from wraps by the gaps between lines measured in line
    heights; a word's own ink ("use", "TA") is shorter than the line's.
    """
    spans: dict[tuple[int, int, int], tuple[float, float]] = {}
    for (_, top, _, bottom), _, _, line in words:
        lo, hi = spans.get(line, (top, bottom))
        spans[line] = (min(lo, top), max(hi, bottom))
    return {k: (lo - LINE_PAD * (hi - lo), hi + LINE_PAD * (hi - lo)) for k, (lo, hi) in spans.items()}


def _add_spaces(glyphs: list[Glyph], lines: list[tuple[int, int, int]], rules_v: np.ndarray, scale: float) -> None:
    """A space glyph between neighbouring words of one Tesseract line, as a text layer has.

    Not across a column: with the rules painted out, Tesseract may read a line
    on through the next cell, and a space there would look like the space a
    text layer leaves at a wrap.
    """
    spaces: list[Glyph] = []
    for (a, la), (b, lb) in zip(zip(glyphs, lines), zip(glyphs[1:], lines[1:])):
        gap = b.x0 - a.x1
        between = rules_v[int(a.top / scale) : int(a.bottom / scale) + 1, int(a.x1 / scale) : int(b.x0 / scale) + 1]
        if la == lb and 0 < gap < a.size and not between.any():
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


def _second_look(ink: np.ndarray, rules: np.ndarray, words: list[Word], boxes: list[Rect], dpi: float, timing: Timing) -> list[Word]:
    """Words Tesseract's page layout left unread, read again on a clean strip.

    Tesseract passes over a lone number in a table cell (an outcome's number)
    and some shaded headings as if they were pictures. Groups of letter-sized
    marks away from the words read, the tick boxes and the rules are cut out
    (as black on white), stacked one under another and read as a block of text.
    """
    pt = dpi / 72
    marks = ink.copy()
    marks[rules > 0] = 0
    for x0, top, x1, bottom in [wd[0] for wd in words] + boxes:
        marks[max(top - 2, 0) : bottom + 2, max(x0 - 2, 0) : x1 + 2] = 0
    groups = cv2.dilate(marks, cv2.getStructuringElement(cv2.MORPH_RECT, (max(int(SECOND_GAP * pt), 3), 3)))
    candidates = [(r, c) for r, c in _blobs(groups) if SECOND_MIN * pt <= r[3] <= SECOND_MAX * pt + 2]  # a line of print, no picture
    if not candidates:
        return []
    near_rule = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))) > 0
    read = np.asarray([wd[0] for wd in words], dtype=np.float64).reshape(-1, 4)
    crops: list[tuple[int, int, np.ndarray]] = []  # x0, top, ink
    for (x, y, w, h), contour in candidates:
        inside = (marks[y : y + h, x : x + w] > 0) & _filled(contour, x, y, w, h)
        if (inside & near_rule[y : y + h, x : x + w]).any():
            continue  # a rule's edge, or text run into one
        rows, cols = np.flatnonzero(inside.any(axis=1)), np.flatnonzero(inside.any(axis=0))
        r0, r1, c0, c1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
        gh, gw = r1 - r0, c1 - c0
        if gh < SECOND_MIN * pt or gw < 0.25 * gh:
            continue  # specks, bits of rules, a bar
        ex, ey = 0.6 * gh, 0.15 * gh
        if ((read[:, 0] < x + c1 + ex) & (read[:, 2] > x + c0 - ex) & (read[:, 1] < y + r1 + ey) & (read[:, 3] > y + r0 - ey)).any():
            continue  # a piece of a word read: its box cut it off
        crops.append((x + c0, y + r0, inside[r0:r1, c0:c1]))
        if len(crops) >= SECOND_MAX_GROUPS:
            break
    if not crops:
        return []
    pad = max(int(0.1 * dpi), 8)
    strip = np.full((sum(c[2].shape[0] + pad for c in crops) + pad, max(c[2].shape[1] for c in crops) + 2 * pad), 255, dtype=np.uint8)
    slots: list[int] = []
    y = pad
    for _, _, crop in crops:
        strip[y : y + crop.shape[0], pad : pad + crop.shape[1]][crop] = 0
        slots.append(y)
        y += crop.shape[0] + pad
    t1 = time.perf_counter()
    data = pytesseract.image_to_data(Image.fromarray(strip), lang="eng", config="--psm 6", output_type=pytesseract.Output.DICT)
    timing.tesseract += time.perf_counter() - t1
    found: list[Word] = []
    for (x0, top, x1, bottom), text, conf, line in _words(data, 1.0):
        if conf < SECOND_MIN_CONF or not any(c.isalnum() for c in text):
            continue
        slot = max(bisect_right(slots, (top + bottom) / 2) - 1, 0)
        dx, dy = crops[slot][0] - pad, crops[slot][1] - slots[slot]
        found.append(((x0 + dx, top + dy, x1 + dx, bottom + dy), text, conf, (-1 - slot, line[1], line[2])))
    return found


def _blobs(mask: np.ndarray) -> list[tuple[tuple[int, int, int, int], np.ndarray]]:
    """The connected blobs of a sparse mask as ((x, y, width, height), outline), top to bottom.

    Outlines, not ``connectedComponentsWithStats``: on a mostly empty page
    they cost a small fraction of its time.
    """
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = [(cv2.boundingRect(c), c) for c in contours]
    out.sort(key=lambda b: (b[0][1], b[0][0]))
    return out


def _filled(contour: np.ndarray, x: int, y: int, w: int, h: int) -> np.ndarray:
    """A blob's pixels within its bounding box (its outline filled), as booleans."""
    local = np.zeros((h, w), dtype=np.uint8)
    cv2.drawContours(local, [contour], -1, 1, cv2.FILLED, offset=(-x, -y))
    return local > 0


Stroke = tuple[int, int, int, int, float]  # x, y, width, height in pixels; confidence it is a strike


def _strike_strokes(ink: np.ndarray, rules_v: np.ndarray, dpi: float) -> tuple[list[Stroke], Optional[np.ndarray]]:
    """Strikes through text found as strokes, before OCR: their boxes and mask (None if none).

    A candidate is a thin horizontal run of ink (a rule is one too); it is a
    strike when the letters it runs through cross it and it bridges the gaps
    between them (see ``STRIKE_MIN`` and the rest). A rule has no letters on
    both sides of it, an underline none below it, a run inside bold letters
    ink above or below nearly all along.
    """
    length = max(int(STRIKE_MIN * dpi / 72), 8)
    runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    blobs = _blobs(runs)
    if not blobs:
        return [], None
    letters = ink.copy()
    letters[runs > 0] = 0
    letters[rules_v > 0] = 0
    reach = max(2, round(dpi / 72))  # rows looked at above and below a run: about a point, past its blur
    thick_max = STRIKE_THICK * dpi / 72
    found: list[Stroke] = []
    mask: Optional[np.ndarray] = None
    for (x, y, w, h), contour in blobs:
        if np.count_nonzero(runs[y : y + h, x : x + w]) / w > thick_max or y < reach + 1 or y + h + reach + 1 > ink.shape[0]:
            continue
        above = letters[y - reach - 1 : y - 1, x : x + w].any(axis=0)
        below = letters[y + h + 1 : y + h + reach + 1, x : x + w].any(axis=0)
        cross, gaps, dense = (above & below).mean(), (~above & ~below).mean(), max(above.mean(), below.mean())
        if cross >= STRIKE_CROSS and gaps >= STRIKE_GAPS and dense <= STRIKE_DENSE:
            margin = min((cross - STRIKE_CROSS) / 0.15, (gaps - STRIKE_GAPS) / 0.1, (STRIKE_DENSE - dense) / 0.1, 1.0)
            found.append((x, y, w, h, 0.6 + 0.4 * float(margin)))
            if mask is None:
                mask = np.zeros(ink.shape, dtype=bool)
            mask[y : y + h, x : x + w] |= _filled(contour, x, y, w, h)
    return found, mask


def _erase_rules(grey: np.ndarray, rules_h: np.ndarray, rules_v: np.ndarray) -> np.ndarray:
    """A copy of the page without its table rules, for Tesseract, which reads a cell border as "|"."""
    mask = cv2.dilate(cv2.bitwise_or(rules_h, rules_v), np.ones((3, 3), np.uint8))
    out = grey.copy()
    out[mask > 0] = int(np.percentile(grey[::8, ::8], 90))  # the paper
    return out


def _erase_strokes(grey: np.ndarray, strokes: list[Stroke]) -> np.ndarray:
    """A copy of the page with the strike strokes painted out, for Tesseract, which misreads struck words.

    Each pixel of a stroke (and its blur, a row either side) takes the lighter of
    the pixels just above and just below it: paper between the letters, the
    letter where a stem crosses the stroke.
    """
    out = grey.copy()
    last = grey.shape[0] - 1
    for x, y, w, h, _ in strokes:
        lo, hi = max(y - 2, 0), min(y + h + 1, last)
        paper = np.maximum(grey[lo, x : x + w], grey[hi, x : x + w])
        band = out[lo + 1 : hi, x : x + w]
        np.maximum(band, paper[None, :], out=band)
    return out


def _rule_strikes(rules_h: np.ndarray, rects: list[Rect]) -> Optional[np.ndarray]:
    """The strokes of the rule mask that run through the middle of words: strikes, not rules (None if none).

    A strike across a line of text is as long as a rule; the words it runs
    through (in their middle band) cover most of it. A rule runs between lines
    of text, through no word's middle band.
    """
    def through(x0: int, top: int, x1: int, bottom: int) -> bool:
        h = bottom - top
        return bool(rules_h[top + int(h * STRIKE_BAND[0]) : top + int(h * STRIKE_BAND[1]) + 1, x0:x1].any())

    if not any(through(*r) for r in rects):  # the usual page: no rule through any word
        return None
    wx0, wtop, wx1, wbottom = np.asarray(rects, dtype=np.float64).T
    wh = wbottom - wtop
    band_lo, band_hi = wtop + wh * STRIKE_BAND[0], wtop + wh * STRIKE_BAND[1]
    mask: Optional[np.ndarray] = None
    for (x, y, w, h), contour in _blobs(rules_h):
        mid = y + h / 2
        hits = (wx1 > x) & (wx0 < x + w) & (band_lo <= mid) & (mid <= band_hi)
        if not hits.any():
            continue
        cover = np.zeros(w + 1, dtype=np.int32)  # the words' share of the stroke's length
        np.add.at(cover, np.clip(wx0[hits] - x, 0, w).astype(int), 1)
        np.add.at(cover, np.clip(wx1[hits] - x, 0, w).astype(int), -1)
        if (np.cumsum(cover)[:w] > 0).mean() >= STRIKE_COVER:
            if mask is None:
                mask = np.zeros(rules_h.shape, dtype=bool)
            mask[y : y + h, x : x + w] |= _filled(contour, x, y, w, h)
    return mask


Word = tuple[Rect, str, float, tuple[int, int, int]]


def _strikes(grey: np.ndarray, rules: np.ndarray, words: list[Word], strokes: list[Stroke]) -> list[tuple[bool, float]]:
    """Per word: (struck, confidence of that judgement).

    A word is struck when a strike stroke found before OCR runs through its
    middle band over most of its width; else when its own pixels show one
    (``_struck``); else, for a word too short to judge alone, when a struck
    neighbour's strike runs on through the space between them and across it.
    """
    out: list[tuple[bool, float]] = [(False, 1.0)] * len(words)
    strike_rows: list[Optional[tuple[int, float]]] = [None] * len(words)
    if strokes:
        s = np.asarray(strokes, dtype=np.float64)
        sx0, sx1, smid, sconf = s[:, 0], s[:, 0] + s[:, 2], s[:, 1] + s[:, 3] / 2, s[:, 4]
    for i, ((x0, top, x1, bottom), text, _, _) in enumerate(words):
        if x1 - x0 < 4 or bottom - top < 4 or not any(c.isalnum() for c in text):
            continue
        if strokes:
            h = bottom - top
            over = np.minimum(sx1, x1) - np.maximum(sx0, x0)
            band = (smid >= top + h * STRIKE_BAND[0]) & (smid <= top + h * STRIKE_BAND[1])
            crossing = band & (over >= STRIKE_COVER * (x1 - x0))
            if crossing.any():
                out[i] = (True, float(sconf[crossing].max()))
                continue
        struck, conf, row = _struck(grey, rules, (x0, top, x1, bottom))
        if struck:
            out[i] = (True, conf)
            strike_rows[i] = row
    # a short word inside a struck phrase: the strike runs on from its neighbour
    lines = [wd[3] for wd in words]
    for order in (range(1, len(words)), range(len(words) - 2, -1, -1)):
        for i in order:
            j = i - 1 if order.step > 0 else i + 1
            if out[i][0] or strike_rows[j] is None or lines[i] != lines[j] or not any(c.isalnum() for c in words[i][1]):
                continue
            y, dark = strike_rows[j]
            (ax0, _, ax1, _), (bx0, _, bx1, _) = words[j][0], words[i][0]
            lo, hi = (ax1, bx1) if order.step > 0 else (bx0, ax0)  # the space between them, and the word
            if hi - lo < 2:
                continue
            row = (grey[y : y + 2, lo:hi] < dark).any(axis=0) & (rules[y : y + 2, lo:hi] == 0).all(axis=0)
            if row.mean() >= STRIKE_ROW:
                out[i] = (True, min(out[j][1], 0.85))
                strike_rows[i] = strike_rows[j]
    return out


def _struck(grey: np.ndarray, rules: np.ndarray, rect: Rect) -> tuple[bool, float, Optional[tuple[int, float]]]:
    """Does the word's own image show a strike? (struck, confidence, (strike row, ink level) if struck).

    Looked at in grey, against the word's own paper and ink (a strike may be
    fainter than the letters, broken by the scan and JPEG): a pair of rows in
    the word's middle band with ink nearly all across its ink width, clearly
    more than the rows just above and below, crossed by the letters' stems.
    The top of the x-height, the baseline and an underline have no letters on
    both sides; a row through the letters' middle has gaps between them.
    """
    x0, top, x1, bottom = rect
    h = bottom - top
    if h < 8 or x1 - x0 < STRIKE_WIDE * h:
        return False, 1.0, None
    box = grey[top:bottom, x0:x1]
    paper = _quantile(grey[max(top - 2, 0) : bottom + 2, max(x0 - 4, 0) : x1 + 4], 0.9)
    contrast = paper - _quantile(box, 0.03)
    if contrast < 40:  # no letters to speak of
        return False, 1.0, None
    free = rules[top:bottom, x0:x1] == 0
    letters = (box < paper - 0.5 * contrast) & free
    dark = paper - STRIKE_LIGHT * contrast
    light = (box < dark) & free
    cols = np.flatnonzero(letters.any(axis=0))
    if cols.size < 2 or cols[-1] + 1 - cols[0] < STRIKE_WIDE * h:
        return False, 1.0, None
    a, b = int(cols[0]), int(cols[-1]) + 1
    k = max(2, round(h * 0.12))
    # candidate rows r: the pair r, r + 1; letters looked for over k rows either side
    r = np.arange(max(k + 2, int(h * STRIKE_BAND[0])), min(h - 4 - k, int(np.ceil(h * STRIKE_BAND[1]))) + 1)
    if r.size == 0:
        return False, 1.0, None
    zero = np.zeros((1, b - a), dtype=np.int32)
    cl = np.vstack([zero, np.cumsum(light[:, a:b], axis=0, dtype=np.int32)])

    def ink_in(c: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Per candidate row and column: any ink in rows [lo, hi) (row sums as differences of cumulative sums)."""
        return (c[hi] - c[lo]) > 0

    cover = ink_in(cl, r, r + 2).mean(axis=1)
    if cover.max() < STRIKE_ROW:
        return False, 1.0, None
    cs = np.vstack([zero, np.cumsum(letters[:, a:b], axis=0, dtype=np.int32)])
    ridge = cover - np.maximum(ink_in(cl, r - 3, r - 2).mean(axis=1), ink_in(cl, r + 3, r + 4).mean(axis=1))
    cross = (ink_in(cs, r - 2 - k, r - 1) & ink_in(cs, r + 3, r + 4 + k)).mean(axis=1)
    ok = (cover >= STRIKE_ROW) & (ridge >= STRIKE_RIDGE) & (cross >= STRIKE_WORD_CROSS)
    if not ok.any():
        return False, 1.0, None
    i = int(np.argmax(np.where(ok, cover + ridge + cross, -1.0)))
    strength = min(
        (cover[i] - STRIKE_ROW) / (1 - STRIKE_ROW), (ridge[i] - STRIKE_RIDGE) / 0.15, (cross[i] - STRIKE_WORD_CROSS) / 0.15, 1.0
    )
    return True, 0.6 + 0.4 * max(strength, 0.0), (top + int(r[i]), dark)


def _quantile(values: np.ndarray, q: float) -> float:
    """The q-quantile (0-1) of an array's values, by partial sort: np.percentile is slow on small arrays."""
    flat = values.ravel()
    k = int(q * (flat.size - 1))
    return float(np.partition(flat, k)[k])
