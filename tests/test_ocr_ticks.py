"""Tick boxes in pixels (parsers/ocr/ticks.py) drawn pixel by pixel as a 1-bit scan leaves them: a thin
side a little askew steps a row (or a column) part way along, a copier's threshold drops pieces of it,
and a glyph box sits on a table rule that steps a row of its own."""

from __future__ import annotations

import numpy as np
import pytest

from msp_convert.parsers.ocr.ticks import tick_boxes

DPI = 200.0
SIDE = 28  # pixels: a 10 pt box at 200 dpi


def _page(h: int = 160, w: int = 400) -> np.ndarray:
    return np.zeros((h, w), np.uint8)


def _flat(ink: np.ndarray, y: int, x0: int, x1: int, step_at: int | None = None, dy: int = 1) -> None:
    """A one-pixel flat line from x0 to x1 (inclusive); from column step_at on it is dy rows lower."""
    for x in range(x0, x1 + 1):
        ink[y + (dy if step_at is not None and x >= step_at else 0), x] = 255


def _upright(ink: np.ndarray, x: int, y0: int, y1: int) -> None:
    ink[y0 : y1 + 1, x] = 255


def _box(ink: np.ndarray, x: int, y: int, bottom: bool = True) -> None:
    """A SIDE x SIDE frame, one pixel thick, its top left corner at (x, y); without its bottom side if asked."""
    _flat(ink, y, x, x + SIDE)
    _upright(ink, x, y, y + SIDE)
    _upright(ink, x + SIDE, y, y + SIDE)
    if bottom:
        _flat(ink, y + SIDE, x, x + SIDE)


def _lefts(ink: np.ndarray) -> list[tuple[int, bool | None]]:
    return sorted((r[0], state) for r, state, _ in tick_boxes(ink, DPI))


def test_a_side_stepping_a_row_part_way_across_is_a_side() -> None:
    ink = _page()
    for x, step in ((40, 14), (120, 5), (200, 24)):  # the top side steps down a row 14, 5, 24 pixels along
        _flat(ink, 40, x, x + SIDE, step_at=x + step)
        _upright(ink, x, 41, 40 + SIDE)
        _upright(ink, x + SIDE, 41, 40 + SIDE)
        _flat(ink, 40 + SIDE, x, x + SIDE)
    found = _lefts(ink)
    assert [x for x, _ in found] in ([39, 119, 199], [40, 120, 200]), found
    assert all(state is False for _, state in found)


def test_a_bottom_side_broken_and_stepping_a_row_is_still_a_side() -> None:
    """The side's left part in one row, a gap, its right part a row higher (a copier's thin line, askew)."""
    ink = _page()
    _box(ink, 40, 40, bottom=False)
    _flat(ink, 40 + SIDE, 40, 52)
    _flat(ink, 39 + SIDE, 59, 40 + SIDE)
    found = _lefts(ink)
    assert [x for x, _ in found] in ([39], [40]), found
    # the same pieces with the gap too wide (over half the side gone) are no frame
    ink = _page()
    _box(ink, 40, 40, bottom=False)
    _flat(ink, 40 + SIDE, 40, 46)
    _flat(ink, 39 + SIDE, 62, 40 + SIDE)
    assert tick_boxes(ink, DPI) == []


@pytest.mark.parametrize("step", [3, 6])
def test_a_box_on_a_table_rule_that_steps_a_row_past_its_corner(step: int) -> None:
    """A glyph box whose bottom side is a table rule's ink; the rule, a little askew, steps a row just past the box."""
    ink = _page()
    x, y = 150, 60
    _flat(ink, y, x, x + SIDE)
    _upright(ink, x, y, y + SIDE)
    _upright(ink, x + SIDE, y, y + SIDE)
    _flat(ink, y + SIDE, 10, 390, step_at=x + SIDE + step)  # the rule; the box's bottom is on it
    found = _lefts(ink)
    assert [x for x, _ in found] in ([149], [150]), found


def test_letters_stepping_rows_are_no_frame() -> None:
    """Two flat strokes end to end a row apart with uprights under them, but the uprights stop short: no frame."""
    ink = _page()
    _flat(ink, 40, 40, 40 + SIDE, step_at=54)
    _upright(ink, 40, 41, 52)
    _upright(ink, 40 + SIDE, 41, 52)
    _flat(ink, 40 + SIDE, 40, 40 + SIDE)
    assert tick_boxes(ink, DPI) == []


def test_a_box_glued_under_a_rule_with_a_side_broken_near_its_bottom_corner() -> None:
    """Its top is one blob with the rule, so it is found from its bottom side; the right side is broken a
    pixel wide three rows above the bottom corner (the piece under the break too short to be a stroke)."""
    ink = _page()
    _flat(ink, 40, 10, 390)  # the rule
    x, y = 150, 41  # the box's top a pixel under the rule
    _box(ink, x, y)
    ink[y + SIDE - 3, x + SIDE] = 0
    ink[50:80, 300:380] = 255  # solid ink beside it: the page is no dithered one (whose breaks are bridged first)
    found = _lefts(ink)
    assert [x for x, _ in found] in ([149], [150]), found
    assert found[0][1] is False
