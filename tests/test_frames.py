"""One tick-box frame (parsers/pdf/frames.py) for the PDF geometry and for OCR, and tick boxes in pixels
(parsers/ocr/ticks.py): drawn in the test at 200 and 300 dpi, scanned as grey JPEG or 1-bit (threshold,
dither), with pen ticks and crosses over the frame; and every pen tick of the pen-marked scan fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, ImageSequence

from msp_convert.layout import TICK_GLYPHS
from msp_convert.parsers import ocr
from msp_convert.parsers.ocr import turn
from msp_convert.parsers.ocr.ticks import read_from_box, tick_boxes
from msp_convert.parsers.pdf import boxes as pdf_boxes
from msp_convert.parsers.pdf.boxes import find_tick_boxes
from msp_convert.parsers.pdf.frames import FRAME, find_frames, frame_edges, is_frame
from msp_convert.parsers.pdf.records import Box, PageRecord, Segment
from msp_convert.writers.docx import build

SCANS = Path(__file__).resolve().parents[1] / "fixtures" / "scans"
INK, PAPER = 25, 245
CLEAR = 0.8  # a judgement at or above this is sure (page.py's LOW_CONFIDENCE)


# ---- one predicate, one glyph table --------------------------------------------------------


def _vector_frame(x0: float, top: float, w: float, h: float) -> tuple[Box, list[Segment]]:
    x1, bottom = x0 + w, top + h
    return Box(x0, top, x1, bottom, False, True), [
        Segment(x0, top, x1, top, 0.5), Segment(x0, bottom, x1, bottom, 0.5),
        Segment(x0, top, x0, bottom, 0.5), Segment(x1, top, x1, bottom, 0.5),
    ]


@pytest.mark.parametrize("w, h", [(5.0, 5.0), (6.0, 6.0), (10.0, 10.0), (16.0, 16.0), (17.0, 17.0), (12.0, 7.0), (10.0, 8.5)])
def test_a_frame_is_a_frame_everywhere_or_nowhere(w: float, h: float) -> None:
    expected = is_frame(w, h)
    box, edges = _vector_frame(72.0, 91.0, w, h)
    page = PageRecord(number=1, width=612.0, height=792.0, segments=list(edges), boxes=[box])
    find_tick_boxes(page)
    assert any(g.is_tick for g in page.glyphs) == expected  # boxes.py: a drawn tick box
    assert bool(frame_edges(edges)) == expected  # strike.py: edges that are no underline
    assert (len(find_frames(edges)) == 1) == expected  # four strokes without the Box record
    for dpi in (200, 300):
        img = _canvas(60, 50, dpi)
        _frame(img, 20, 20, dpi, w, h)
        assert (len(tick_boxes(_ink(_scanned(img, "jpeg")), dpi)) == 1) == expected, dpi  # OCR


def test_the_limits_are_the_ones_said() -> None:
    assert (FRAME.side_min, FRAME.side_max, FRAME.squareness) == (5.5, 16.5, 0.25)
    assert is_frame(5.5, 5.5) and is_frame(16.5, 16.5) and not is_frame(5.4, 5.4) and not is_frame(16.6, 16.6)
    assert is_frame(12.0, 9.0) and not is_frame(12.0, 8.9)


def test_one_glyph_per_state() -> None:
    assert (pdf_boxes.TICKED, pdf_boxes.EMPTY) == (TICK_GLYPHS[True], TICK_GLYPHS[False]) == ("\u2612", "\u2610")
    assert not hasattr(build, "BOX_GLYPHS")


# ---- drawing a scanned page ----------------------------------------------------------------


def _pt(v: float, dpi: int) -> int:
    return int(round(v * dpi / 72))


def _canvas(w_pt: float, h_pt: float, dpi: int) -> np.ndarray:
    return np.full((_pt(h_pt, dpi), _pt(w_pt, dpi)), PAPER, np.uint8)


def _frame(img: np.ndarray, x: float, y: float, dpi: int, w: float = 10.0, h: Optional[float] = None, line: float = 0.6, grey: int = INK) -> None:
    h = w if h is None else h
    cv2.rectangle(img, (_pt(x, dpi), _pt(y, dpi)), (_pt(x + w, dpi), _pt(y + h, dpi)), grey, max(1, _pt(line, dpi)))


def _pen(img: np.ndarray, points: list[tuple[float, float]], dpi: int, seed: int) -> None:
    """A pen stroke (1 pt) through points (pt), wobbling a little as a hand does."""
    rng = np.random.default_rng(seed)
    pts = [
        (xa + (xb - xa) * k / 12 + rng.normal(0, 0.15), ya + (yb - ya) * k / 12 + rng.normal(0, 0.15))
        for (xa, ya), (xb, yb) in zip(points, points[1:]) for k in range(12)
    ] + [points[-1]]
    cv2.polylines(img, [np.array([[_pt(a, dpi), _pt(b, dpi)] for a, b in pts], np.int32)], False, INK, max(1, _pt(1.0, dpi)), cv2.LINE_AA)


def _tick(img: np.ndarray, x: float, y: float, s: float, dpi: int, seed: int = 0) -> None:
    """A tick from inside the box, its long arm out past the top right corner."""
    _pen(img, [(x + 0.15 * s, y + 0.5 * s), (x + 0.4 * s, y + 0.9 * s), (x + 1.35 * s, y - 0.4 * s)], dpi, seed)


def _cross(img: np.ndarray, x: float, y: float, s: float, dpi: int, seed: int = 0) -> None:
    """A cross whose strokes overshoot every corner."""
    _pen(img, [(x - 0.25 * s, y - 0.2 * s), (x + 1.2 * s, y + 1.25 * s)], dpi, seed)
    _pen(img, [(x + 1.15 * s, y - 0.3 * s), (x - 0.2 * s, y + 1.2 * s)], dpi, seed + 1)


def _text(img: np.ndarray, text: str, x: float, y: float, size: float, dpi: int, bold: bool = False) -> None:
    im = Image.fromarray(img)
    font = ImageFont.load_default(size=size * dpi / 72)  # Pillow's own font: the same on every machine
    ImageDraw.Draw(im).text((_pt(x, dpi), _pt(y, dpi)), text, fill=INK, font=font, stroke_width=_pt(0.4, dpi) if bold else 0, stroke_fill=INK)
    img[:] = np.asarray(im)


def _scanned(img: np.ndarray, kind: str) -> np.ndarray:
    g = cv2.GaussianBlur(img, (0, 0), 0.7)
    if kind == "jpeg":  # office quality
        return cv2.imdecode(cv2.imencode(".jpg", g, [cv2.IMWRITE_JPEG_QUALITY, 60])[1], cv2.IMREAD_GRAYSCALE)
    if kind == "threshold":
        return np.where(g > 150, 255, 0).astype(np.uint8)
    # dither, as a copier does: the paper pushed to white, then Floyd-Steinberg
    levels = np.clip((g.astype(np.float32) - 40) * 255 / (205 - 40), 0, 255).astype(np.uint8)
    return np.asarray(Image.fromarray(levels).convert("1")).astype(np.uint8) * 255


def _ink(grey: np.ndarray) -> np.ndarray:
    return cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]


def _found(img: np.ndarray, kind: str, dpi: int) -> dict[int, tuple[Optional[bool], float]]:
    """Each box found: by its left edge in whole points, its state and confidence."""
    return {round(r[0] * 72 / dpi): (state, conf) for r, state, conf in tick_boxes(_ink(_scanned(img, kind)), dpi)}


def _near(found: dict[int, tuple[Optional[bool], float]], x: float) -> tuple[Optional[bool], float]:
    [hit] = [v for k, v in found.items() if abs(k - x) <= 1]
    return hit


# ---- tick boxes in pixels ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["jpeg", "threshold", "dither"])
@pytest.mark.parametrize("dpi", [200, 300])
def test_boxes_ticked_by_pen_empty_or_dotted(dpi: int, kind: str) -> None:
    img = _canvas(300, 60, dpi)
    _frame(img, 20, 20, dpi)  # empty
    _frame(img, 50, 20, dpi)
    _tick(img, 50, 20, 10, dpi)  # a pen tick out past the frame
    _frame(img, 80, 20, dpi)
    _cross(img, 80, 20, 10, dpi)  # a pen cross over every corner
    _frame(img, 110, 20, dpi)
    cv2.circle(img, (_pt(115, dpi), _pt(25.5, dpi)), max(1, _pt(0.7, dpi)), 120, -1)  # a faint dot
    _text(img, "o", 140, 18, 14, dpi)
    _text(img, "0", 150, 18, 14, dpi)
    _text(img, "O", 160, 18, 14, dpi)
    _text(img, "O", 175, 18, 14, dpi, bold=True)
    _text(img, "o0O", 140, 40, 11, dpi, bold=True)
    for y in (10, 45):  # a table row: its rules, and a ticked box 2 pt from the cell's left rule
        cv2.line(img, (_pt(200, dpi), _pt(y, dpi)), (_pt(299, dpi), _pt(y, dpi)), INK, max(1, _pt(0.7, dpi)))
    for x in (230, 258):
        cv2.line(img, (_pt(x, dpi), _pt(10, dpi)), (_pt(x, dpi), _pt(45, dpi)), INK, max(1, _pt(0.7, dpi)))
    _frame(img, 232, 20, dpi)
    _tick(img, 232, 20, 10, dpi, seed=5)
    _frame(img, 260, 20, dpi, 14.0)  # a bigger empty box, as near its cell's rule
    found = _found(img, kind, dpi)
    assert len(found) == 6, found  # no letter is a box
    assert not any(135 <= x <= 195 for x in found)
    for x, state in ((19, False), (49, True), (79, True), (231, True), (259, False)):
        hit = _near(found, x)
        assert hit[0] is state and hit[1] >= CLEAR, (x, hit)
    assert _near(found, 109)[1] < CLEAR  # a dot: unsure, and said so
    assert _near(found, 109)[0] is False


@pytest.mark.parametrize("grey", [90, 110, 130])
@pytest.mark.parametrize("dpi", [200, 300])
def test_a_grey_frame_dithered_to_broken_dots_is_still_a_frame(dpi: int, grey: int) -> None:
    img = _canvas(120, 50, dpi)
    _frame(img, 20, 20, dpi, line=0.8, grey=grey)
    _frame(img, 50, 20, dpi, line=0.8, grey=grey)
    _tick(img, 50, 20, 10, dpi)
    _frame(img, 80, 20, dpi, 12.0, line=0.8, grey=grey)
    _cross(img, 80, 20, 12, dpi)
    found = _found(img, "dither", dpi)
    assert [(x, s) for x, (s, _) in sorted(found.items())] in ([(19, False), (49, True), (79, True)], [(20, False), (50, True), (79, True)], [(20, False), (50, True), (80, True)])
    assert all(c >= CLEAR for _, c in found.values())


def test_words_read_from_a_box_are_the_box() -> None:
    boxes = [(137, 266 + 64 * k, 156, 285 + 64 * k) for k in range(4)]  # a column of tick boxes
    assert read_from_box((130, 263, 166, 299), boxes[0])  # one box read as "0"
    assert read_from_box((136, 265, 157, 485), boxes[1])  # the column read as one tall "oOoO00"
    assert not any(read_from_box((229, 329, 290, 350), b) for b in boxes)  # the label beside a box


# ---- pen ticks on the scan fixtures ------------------------------------------------------------


def _pen_sets() -> list[dict]:
    facts = [json.loads(p.read_text()) for p in sorted(SCANS.glob("*.facts.json"))]
    return [f for f in facts if f.get("pen")]


def _pages(facts: dict) -> list[tuple[np.ndarray, float]]:
    """Each page's ink, straightened as the reader straightens it, and its dpi."""
    path = SCANS / facts["files"][0]
    if path.suffix == ".pdf":
        images = ocr.render_pdf(path.read_bytes())
    else:
        images = [frame.copy() for frame in ImageSequence.Iterator(Image.open(path))]
    out = []
    for im in images:
        dpi = float(im.info.get("dpi", (facts["dpi"],))[0])
        grey = np.asarray(im.convert("L"))
        angle = turn.skew(_ink(grey))
        if abs(angle) >= 0.05:
            grey = turn.turned(grey, -angle, int(np.percentile(grey, 90)))
        out.append((_ink(grey), dpi))
    return out


def _meets(a: tuple[float, ...], b: tuple[float, ...], slack: float = 4.0) -> bool:
    return min(a[2], b[2]) + slack > max(a[0], b[0]) and min(a[3], b[3]) + slack > max(a[1], b[1])


def test_every_pen_tick_on_the_scan_fixtures_is_found_ticked_and_no_other_box_is() -> None:
    sets = _pen_sets()
    assert len(sets) >= 2, "the pen-marked scan fixtures (fixtures/make_scans.py) are missing"
    pens = 0
    for facts in sets:
        for page, (ink, dpi) in zip(facts["pages"], _pages(facts)):
            scale = 72 / dpi
            found = [(tuple(v * scale for v in rect), state, conf) for rect, state, conf in tick_boxes(ink, dpi)]
            marks = [tuple(p["box"]) for p in page.get("pen_ticks", [])]
            for mark in marks:
                pens += 1
                hits = [f for f in found if _meets(f[0], mark)]
                assert any(state and conf >= CLEAR for _, state, conf in hits), (facts["files"][0], page["page"], mark, hits)
            for rect, state, _ in found:  # the paper copy's boxes are empty but where the pen ticked
                assert bool(state) == any(_meets(rect, m) for m in marks), (facts["files"][0], page["page"], rect)
    assert pens >= 20


# ---- boxes the scan broke or glued to a rule; letters that are still no box -------------------------


@pytest.mark.parametrize("kind", ["jpeg", "threshold"])
@pytest.mark.parametrize("dpi", [200, 300])
def test_a_box_glued_under_a_table_rule_is_found(dpi: int, kind: str) -> None:
    img = _canvas(200, 60, dpi)
    cv2.line(img, (_pt(5, dpi), _pt(20, dpi)), (_pt(195, dpi), _pt(20, dpi)), INK, max(1, _pt(0.7, dpi)))  # a row's top rule
    for x in (30, 90):
        cv2.rectangle(img, (_pt(x, dpi), _pt(20, dpi) + 1), (_pt(x + 10, dpi), _pt(30, dpi)), INK, max(1, _pt(0.6, dpi)))  # its top a pixel under the rule
    _cross(img, 90, 20.5, 10, dpi)
    found = _found(img, kind, dpi)
    assert sorted((x, s) for x, (s, _) in found.items()) in ([(30, False), (90, True)], [(29, False), (89, True)], [(29, False), (90, True)], [(30, False), (89, True)]), found


def _broken_frame(img: np.ndarray, x: float, y: float, dpi: int, gaps: list[tuple[str, float, float]]) -> None:
    """A 10 pt frame with gaps (side, from, to as shares of the side) where a copier's threshold dropped its thin line."""
    _frame(img, x, y, dpi, 10.0, line=0.4)
    for side, a, b in gaps:
        if side in ("top", "bottom"):
            yy = y if side == "top" else y + 10
            img[_pt(yy, dpi) - 2 : _pt(yy, dpi) + 3, _pt(x + 10 * a, dpi) : _pt(x + 10 * b, dpi)] = PAPER
        else:
            xx = x if side == "left" else x + 10
            img[_pt(y + 10 * a, dpi) : _pt(y + 10 * b, dpi), _pt(xx, dpi) - 2 : _pt(xx, dpi) + 3] = PAPER


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_frame_with_one_side_broken_is_a_frame_two_are_not(dpi: int) -> None:
    img = _canvas(200, 40, dpi)
    _broken_frame(img, 20, 15, dpi, [("top", 0.6, 0.95)])  # the break at a corner
    _broken_frame(img, 50, 15, dpi, [("left", 0.6, 0.9)])
    _broken_frame(img, 80, 15, dpi, [("bottom", 0.2, 0.45)])
    _broken_frame(img, 110, 15, dpi, [("top", 0.6, 0.95), ("right", 0.3, 0.6)])  # two sides broken: too little left
    _broken_frame(img, 140, 15, dpi, [("top", 0.1, 0.7)])  # most of a side gone
    found = _found(img, "threshold", dpi)
    assert sorted(found) in ([20, 50, 80], [19, 49, 79], [20, 50, 79], [19, 50, 80], [20, 49, 80], [19, 49, 80], [19, 50, 79], [20, 49, 79]), found
    assert all(s is False for s, _ in found.values())


@pytest.mark.parametrize("kind", ["jpeg", "threshold", "dither"])
@pytest.mark.parametrize("dpi", [200, 300])
def test_bold_letters_on_an_underline_are_no_box(dpi: int, kind: str) -> None:
    img = _canvas(300, 60, dpi)
    _text(img, "Support bdpq nnmh", 10, 14, 22, dpi, bold=True)
    cv2.line(img, (_pt(5, dpi), _pt(37, dpi)), (_pt(295, dpi), _pt(37, dpi)), INK, max(1, _pt(0.8, dpi)))
    assert _found(img, kind, dpi) == {}
