"""One page image as a page record: upright, deskewed, read, its rules, tick boxes and strikes found.

Coordinates in the record are PDF points: pixels * 72 / dpi.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import cv2
import numpy as np
from PIL import Image

from ...layout import TICK_GLYPHS
from ...results import Message, place
from ..pdf.boxes import find_tick_boxes
from ..pdf.records import Glyph, PageRecord
from . import engine
from .common import Rect, Timing, Word, clock, ink_in_blobs
from .handwriting import _holds, find_handwriting
from .leaders import LEADER_TEXT, find_leaders, paint_out
from .rules import erase_rules, find_rules, segments, through_words, widened
from .second_look import _second_look
from .strike import _erase_strokes, _rule_strikes, _strike_strokes, _strikes
from .ticks import read_from_box, tick_boxes
from .turn import skew, turned, upside_down
from .words import correct


BLANK_INK = 0.0015  # share of dark pixels under which a page is blank
LOW_CONFIDENCE = 0.8  # a tick or strike judged below this gets a warning
LOW_PAGE_CONFIDENCE = 70.0  # a page whose mean word confidence (0-100) is below this gets a warning
# A page is read upright first; its orientation is detected only when it reads poorly: a mean word
# confidence under POOR_MEAN_CONF, or most words of 3+ letters read with SIDEWAYS_CONF taller than wide.
POOR_MEAN_CONF = 65.0
SIDEWAYS_CONF = 60.0


@dataclass
class _Page:
    record: PageRecord
    mean_conf: Optional[float]
    messages: list[Message] = field(default_factory=list)


def read_page(image: Image.Image, number: int, dpi: float, timing: Timing) -> Optional[_Page]:
    """One page image as a page record; None for a blank page."""
    t0 = clock()
    _one_thread()
    grey = np.asarray(image.convert("L"))
    ink = _binarise(grey)
    timing.own += clock() - t0
    if _blank(ink):
        return None
    seen = _look(grey, ink, 0, dpi, timing)
    if _reads_poorly(seen.words):  # sideways, upside down yet not told so by its print, or a poor scan
        turn = _orientation(grey, timing)
        if turn and turn != seen.turn:
            seen = _look(grey, ink, turn, dpi, timing)
    t0, tesseract0 = clock(), timing.tesseract
    page = _finish(seen, number, dpi, timing)
    timing.own += clock() - t0 - (timing.tesseract - tesseract0)  # the second look's Tesseract is not ours
    timing.pages += 1
    return page


def _one_thread() -> None:
    """OpenCV on this thread alone: a reader is one worker process a core, and OpenCV's own threads
    would only spend more of the machine (waiting for each other) to save little of the clock."""
    if cv2.getNumThreads() != 1:
        cv2.setNumThreads(1)


@dataclass
class _Seen:
    """A page turned upright and straightened, its rules and strike strokes, and the words Tesseract read."""

    turn: int
    grey: np.ndarray
    ink: np.ndarray
    rules_h: np.ndarray
    rules_v: np.ndarray
    strokes: list
    words: list[Word]
    leaders: list[Rect]


def _look(grey: np.ndarray, ink: np.ndarray, turn: int, dpi: float, timing: Timing) -> _Seen:
    """The page turned ``turn`` degrees (counter-clockwise) and deskewed, prepared, and read by Tesseract.

    A page not turned whose print says it is upside down (``turn.upside_down``,
    its vertical rules left out) is looked at turned half round instead: read
    once, not read upright (to no use), its orientation asked, and read again.
    """
    t0 = clock()
    upright = _upright(grey, ink, turn)
    ink_up = _binarise(upright)
    read, rules_h, rules_v, strokes, leaders = _for_tesseract(upright, ink_up, dpi)
    flip = not turn and upside_down(cv2.subtract(ink_up, rules_v), dpi)
    timing.own += clock() - t0
    if flip:
        timing.upside_down += 1
        return _look(grey, ink, 180, dpi, timing)
    t1 = clock()
    words = engine.words(read)
    timing.tesseract += clock() - t1
    return _Seen(turn, upright, ink_up, rules_h, rules_v, strokes, words, leaders)


def _finish(seen: _Seen, number: int, dpi: float, timing: Timing) -> _Page:
    """The page record from what was seen: words kept and placed, spaces, tick boxes, rules, strikes."""
    grey, ink, rules_h, rules_v = seen.grey, seen.ink, seen.rules_h, seen.rules_v
    scale = 72.0 / dpi
    page = _Page(PageRecord(number=number, width=grey.shape[1] * scale, height=grey.shape[0] * scale), None)
    boxes = tick_boxes(ink, dpi)
    frames = [b[0] for b in boxes]
    painted = cv2.bitwise_or(rules_h, rules_v)  # the rules painted out of what Tesseract read
    words = [wd for wd in seen.words if not any(read_from_box(wd[0], f) for f in frames) and not _read_from_nothing(wd, ink, painted)]
    # a long stroke through the middle of words that the strokes missed is no rule either
    through = _rule_strikes(rules_h, [wd[0] for wd in words if any(c.isalnum() for c in wd[1])])
    if through is not None:
        rules_h[widened(through)] = 0
    streaks = through_words(rules_v, [wd[0] for wd in words if len(wd[1]) >= 3])  # a copier's streak down the page
    if streaks is not None:
        rules_v[widened(streaks, horizontal=False)] = 0
    rules = cv2.bitwise_or(rules_h, rules_v)
    struck = _strikes(grey, rules, words, seen.strokes, dpi)
    words, struck, pen = _without_handwriting(page, (words, struck), ink, frames, rules, dpi)
    more = _second_look(ink, rules, words, frames + pen, dpi, timing)
    words = correct(words + more)
    confs = _place_words(page, words, struck + _strikes(grey, rules, more, seen.strokes, dpi), scale)
    _add_spaces(page.record.glyphs, [wd[3] for wd in words], rules_v, scale)
    _place_leaders(page, seen.leaders, words, scale)
    _place_boxes(page, boxes, scale)
    page.record.segments = segments(rules_h, True, scale) + segments(rules_v, False, scale)
    page.messages += find_tick_boxes(page.record)  # tick characters Tesseract may have read
    _page_confidence(page, confs)
    return page


def _without_handwriting(page: _Page, read: tuple[list[Word], list], ink: np.ndarray, boxes: list[Rect], rules: np.ndarray, dpi: float) -> tuple[list[Word], list, list[Rect]]:
    """The words (and their strike judgements) less those read from handwriting, and its regions (pixels).

    A pen stroke through print looks like writing to the finder: words found
    struck are print crossed out, kept, and a region holding only those is no
    handwriting. A ``handwriting`` warning for each other region.
    """
    words, struck = read
    hand = find_handwriting(ink, words, boxes, rules, dpi)
    crossed = {i for i in hand.words if struck[i][0]}
    scale = 72.0 / dpi
    for region in hand.regions:
        inside = [i for i in hand.words if _holds(region, words[i][0])]
        if inside and all(i in crossed for i in inside):
            continue
        page.messages.append(Message(
            "handwriting", "handwriting found here is not read; check it against the paper",
            where=place(page.record.number, tuple(v * scale for v in region)),
        ))
    drop = set(hand.words) - crossed
    kept = [i for i in range(len(words)) if i not in drop]
    return [words[i] for i in kept], [struck[i] for i in kept], list(hand.regions)


def _reads_poorly(words: list[Word]) -> bool:
    """Did the page read as a page turned the wrong way reads?

    Upside down (and turned a quarter anticlockwise) Tesseract reads garbage:
    mean word confidence 36-48 on the fixture scans' pages, against 81-96
    upright. Turned a quarter clockwise it reads the lines as vertical text,
    with good confidence but words taller than wide.
    """
    if not words:
        return False  # nothing read at all: no orientation would help (a picture, a blank form)
    if sum(wd[2] for wd in words) / len(words) < POOR_MEAN_CONF:
        return True
    long = [wd[0] for wd in words if len(wd[1]) >= 3 and wd[2] >= SIDEWAYS_CONF]
    return bool(long) and sum(1 for x0, top, x1, bottom in long if bottom - top > x1 - x0) > 0.5 * len(long)


def _upright(grey: np.ndarray, ink: np.ndarray, turn: int) -> np.ndarray:
    """The page turned the right way up (quarter turns) and straightened (its measured skew)."""
    if turn:
        grey = np.ascontiguousarray(np.rot90(grey, k=turn // 90))  # counter-clockwise quarter turns
    angle = skew(ink if not turn else _binarise(grey))
    if abs(angle) >= 0.05:
        grey = turned(grey, -angle, _paper(grey))  # the paper fills the corners
    return grey


def _paper(grey: np.ndarray) -> int:
    """``int(np.percentile(grey, 90))``, the paper's grey, from the histogram (a sort of the page costs more).

    Where the pixels around the 90th percentile's place are not all one level,
    ``np.percentile`` itself says (its interpolation between the two).
    """
    ranks = np.cumsum(cv2.calcHist([grey], [0], None, [256], [0, 256]).ravel().astype(np.int64))
    place = int(0.9 * (grey.size - 1))
    lo, hi = np.searchsorted(ranks, [max(place - 1, 0), min(place + 2, grey.size - 1)], side="right")
    return int(lo) if lo == hi else int(np.percentile(grey, 90))


def _for_tesseract(grey: np.ndarray, ink: np.ndarray, dpi: float) -> tuple:
    """(the image Tesseract reads, horizontal rules, vertical rules, strike strokes, dotted leaders).

    Strikes through text are no rules (a strike across a line is as long as one,
    and would make a table edge), and are painted out of the image Tesseract
    reads, as it misreads struck words; judged on the page as scanned. Dotted
    leaders are painted out too: Tesseract reads dots as letters.
    """
    rules_h, rules_v = find_rules(ink, dpi)
    strokes, stroke_mask = _strike_strokes(ink, rules_v, dpi, rules_h)
    read = grey
    if stroke_mask is not None:
        rules_h[widened(stroke_mask)] = 0
        read = _erase_strokes(grey, strokes)
    paper = int(np.percentile(grey[::8, ::8], 90))
    leaders = find_leaders(ink, dpi)
    read = paint_out(read, leaders, paper)
    return erase_rules(read, rules_h, rules_v, paper), rules_h, rules_v, strokes, leaders


def _place_words(page: _Page, words: list, strikes: list, scale: float) -> list[float]:
    """Each word as a glyph on the page record (struck where a strike crosses it); their confidences."""
    confs: list[float] = []
    rows = _line_boxes(words)
    for ((x0, top, x1, bottom), text, conf, line), (struck, sconf) in zip(words, strikes):
        top, bottom = rows[line]  # as a text layer places glyphs: the line's height, not the word's ink
        g = Glyph(text, x0 * scale, x1 * scale, top * scale, bottom * scale, max((bottom - top) * scale, 1.0))
        g.confidence, g.ocr = conf / 100.0, True
        confs.append(conf)
        if struck:
            g.struck = True
            if sconf < LOW_CONFIDENCE:
                page.messages.append(Message(
                    "ocr-low-confidence-strike",
                    "a strikethrough was read with low confidence; check it by eye",
                    where=place(page.record.number, (g.x0, g.top, g.x1, g.bottom)),
                ))
        page.record.glyphs.append(g)
    return confs


def _place_leaders(page: _Page, leaders: list[Rect], words: list[Word], scale: float) -> None:
    """Each dotted leader as one leader glyph, as tall as the page's words, its dots at its foot."""
    if not leaders:
        return
    height = float(np.median([wd[0][3] - wd[0][1] for wd in words])) if words else 0.0
    for x0, top, x1, bottom in leaders:
        tall = max(height, (bottom - top) * 3.0)
        g = Glyph(LEADER_TEXT, x0 * scale, x1 * scale, (bottom - tall) * scale, (bottom + 0.25 * tall) * scale, 1.25 * tall * scale)
        g.confidence, g.ocr = 1.0, True
        page.record.glyphs.append(g)


def _place_boxes(page: _Page, boxes: list, scale: float) -> None:
    """Each drawn tick box as a tick glyph, with a message where its state is unsure."""
    for (x0, top, x1, bottom), state, conf in boxes:
        g = Glyph(TICK_GLYPHS[state], x0 * scale, x1 * scale, top * scale, bottom * scale, max((bottom - top) * scale, 1.0))
        g.is_tick, g.tick, g.tick_encoding, g.confidence = True, state, "drawn", conf
        page.record.glyphs.append(g)
        if conf < LOW_CONFIDENCE:
            page.messages.append(Message(
                "ocr-low-confidence-tick",
                "a tick box was read with low confidence; check it by eye",
                where=place(page.record.number, (g.x0, g.top, g.x1, g.bottom)),
            ))


def _page_confidence(page: _Page, confs: list[float]) -> None:
    """The page's mean word confidence, and a message when it is low."""
    if not confs:
        return
    page.mean_conf = sum(confs) / len(confs)
    if page.mean_conf < LOW_PAGE_CONFIDENCE:
        page.messages.append(Message(
            "ocr-low-confidence-page",
            f"OCR read this page with a mean word confidence of only {page.mean_conf:.0f} %; check it against the paper, or scan it again",
            where=f"page {page.record.number}",
        ))


def _binarise(grey: np.ndarray) -> np.ndarray:
    """Ink as 255, paper as 0 (Otsu's threshold)."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if np.count_nonzero(ink) > 0.5 * ink.size:  # an all-paper page: Otsu splits the noise
        ink[:] = 0
    return ink


def _blank(ink: np.ndarray) -> bool:
    """Hardly any ink once specks (dust, a pixel or two) are left out."""
    enough = BLANK_INK * ink.size
    return np.count_nonzero(ink) < enough or not ink_in_blobs(ink, 6, enough)


def _orientation(grey: np.ndarray, timing: Timing) -> int:
    """Quarter turns (degrees, counter-clockwise) that put the page upright; 0 if unsure."""
    t1 = clock()
    turn = engine.orientation(grey)
    spent = clock() - t1
    timing.tesseract += spent
    timing.orientation += spent
    timing.orientations += 1
    return turn


TALL_WORD = 1.5  # of its line's median word height: a word taller than this does not set the line's height
LINE_PAD = 0.12  # of a line's ink height, above and below: a text layer's glyph box is taller than the ink


def _line_boxes(words: list[Word]) -> dict[tuple[int, int, int], tuple[float, float]]:
    """Each Tesseract line's top and bottom (pixels), padded as a font's box is.

    Paragraphs are told from wraps by the gaps between lines measured in line
    heights; a word's own ink ("use", "TA") is shorter than the line's. A word
    far taller than the line's others (toner or a speck run into it on a poor
    copy) does not stretch the line over the next one.
    """
    lines: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
    for (_, top, _, bottom), _, _, line in words:
        lines.setdefault(line, []).append((top, bottom))
    spans: dict[tuple[int, int, int], tuple[float, float]] = {}
    for line, extents in lines.items():
        tall = TALL_WORD * float(np.median([b - t for t, b in extents]))
        usual = [e for e in extents if e[1] - e[0] <= tall] or extents
        spans[line] = (min(t for t, _ in usual), max(b for _, b in usual))
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


def _read_from_nothing(word: Word, ink: np.ndarray, painted: np.ndarray) -> bool:
    """Did Tesseract read this "word" from no mark on the page? ("=" from a JPEG's ringing beside a letter.)

    No letter or digit in it, and no ink in its box but the rules painted out
    of the page it read: what it saw there is paper a grey level or two off.
    """
    (x0, top, x1, bottom), text = word[0], word[1]
    if any(c.isalnum() for c in text):
        return False
    return not ((ink[top:bottom, x0:x1] > 0) & (painted[top:bottom, x0:x1] == 0)).any()
