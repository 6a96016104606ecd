"""The OCR reader's page steps that decide what Tesseract is asked: an upside-down page told by its print."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from msp_convert.parsers import ocr
from msp_convert.parsers.ocr import page, turn

SCANS = Path(__file__).resolve().parents[1] / "fixtures" / "scans"


def _ink(name: str, number: int) -> tuple[np.ndarray, float]:
    """A fixture page straightened, its ink (255 on 0), and its resolution."""
    with Image.open(SCANS / name / f"page-{number}.jpg") as im:
        grey = np.asarray(im.convert("L"))
        dpi = float(im.info["dpi"][0])
    ink = page._binarise(grey)
    return page._binarise(page._upright(grey, ink, 0)), dpi


@pytest.mark.parametrize("number", [1, 4, 8])
def test_print_leans_up_on_an_upright_page_and_down_on_one_upside_down(number: int) -> None:
    ink, dpi = _ink("11-ks1-dcd", number)
    up, down = turn.lean(ink, dpi), turn.lean(np.ascontiguousarray(ink[::-1, ::-1]), dpi)
    assert up >= 0.25 and down <= -0.25, (up, down)
    assert not turn.upside_down(ink, dpi) and turn.upside_down(np.ascontiguousarray(ink[::-1, ::-1]), dpi)


def test_no_print_no_lean() -> None:
    blank = np.zeros((2339, 1654), np.uint8)
    assert turn.lean(blank, 200) == 0.0
    ruled = blank.copy()
    ruled[100:2200, 400:403] = 255  # a rule down the page: a run of inked rows far taller than a line of print
    ruled[600:603, 100:1500] = 255  # a rule across it: thinner than a line of print
    assert turn.lean(ruled, 200) == 0.0
    ink, dpi = _ink("11-ks1-dcd", 4)
    sideways = np.ascontiguousarray(np.rot90(ink))
    assert not turn.upside_down(sideways, dpi)  # its "lines" are columns of letters: no lean to speak of


def test_an_upside_down_page_is_read_once() -> None:
    with Image.open(SCANS / "11-ks1-dcd" / "page-4.jpg") as im:
        upright = im.convert("L")
    upright.info["dpi"] = (200, 200)
    flipped = upright.rotate(180)
    flipped.info["dpi"] = (200, 200)
    timing_up, timing = ocr.Timing(), ocr.Timing()
    read_up = page.read_page(upright, 1, 200, timing_up)
    read_flipped = page.read_page(flipped, 1, 200, timing)
    assert read_up is not None and read_flipped is not None
    assert timing.orientations == 0 and timing_up.orientations == 0  # told by its print: no read wasted, no detector
    assert timing.upside_down == 1 and timing_up.upside_down == 0
    assert read_flipped.mean_conf is not None and read_flipped.mean_conf >= 85, read_flipped.mean_conf
    words = lambda found: [g.text for g in found.record.glyphs if not g.is_tick and not g.text.isspace()]  # noqa: E731
    common = set(words(read_up)) & set(words(read_flipped))
    assert len(common) >= 0.9 * len(set(words(read_up))), (len(common), len(set(words(read_up))))
