"""Layout of page records read from pixels: wraps in narrow cells, grids from broken rules.

The records are built here as the OCR reader makes them (words as glyphs with
``ocr=True``, a space glyph between two words of one Tesseract line, rules as
segments in pieces), so no image or Tesseract is needed.
"""

from __future__ import annotations

from msp_convert.parsers.pdf.grid import SCANNED, TEXT_LAYER, find_tables
from msp_convert.parsers.pdf.pages import keeps_wrap_spaces
from msp_convert.parsers.pdf.reading import ends_in_space, make_lines, paragraphs, to_paragraph
from msp_convert.parsers.pdf.records import Glyph, Segment


def _word(text: str, x0: float, x1: float, top: float, ocr: bool = True) -> Glyph:
    g = Glyph(text, x0, x1, top, top + 14.3, 14.3)
    g.ocr, g.confidence = ocr, 0.9 if ocr else 1.0
    return g


def _space(x0: float, x1: float, top: float) -> Glyph:
    return Glyph(" ", x0, x1, top, top + 14.3, 14.3)  # put in by the OCR reader: no ocr flag of its own


def _who_will_do_it(ocr: bool) -> list[Glyph]:
    """ "Who will do it?" wrapped in a cell 77 pt wide (320.5-398.0), as read from the 1-bit fixture:
    the first line ends in the space Tesseract's line ran on with into the next cell."""
    return [
        _word("Who", 325.9, 347.0, 101.1, ocr), _space(347.0, 350.2, 101.1),
        _word("will", 350.2, 365.5, 101.1, ocr), _space(365.5, 369.4, 101.1),
        _word("do", 369.4, 381.1, 101.1, ocr), _space(381.1, 395.0, 101.1),
        _word("it?", 326.4, 337.7, 112.6, ocr),
    ]


def test_a_line_read_from_pixels_has_no_wrap_space_of_its_own():
    lines = make_lines(_who_will_do_it(ocr=True))
    assert [ends_in_space(line) for line in lines] == [False, False]
    text_layer = make_lines(_who_will_do_it(ocr=False))
    assert [ends_in_space(line) for line in text_layer] == [True, False]


def test_a_page_read_from_pixels_is_never_taken_for_a_producer_that_keeps_wrap_spaces():
    lines = make_lines(_who_will_do_it(ocr=True)) * 3
    assert keeps_wrap_spaces(lines) is False
    assert keeps_wrap_spaces(make_lines(_who_will_do_it(ocr=False)) * 3) is True


def test_a_wrapped_entry_in_a_narrow_cell_is_one_paragraph():
    lines = make_lines(_who_will_do_it(ocr=True))
    spaced = keeps_wrap_spaces(lines)
    groups = paragraphs(lines, 325.9, 392.6, spaced)
    assert [to_paragraph(group, "page 7").text for group in groups] == ["Who will do it?"]


def test_a_new_line_that_would_have_fitted_is_still_a_new_paragraph():
    glyphs = [_word("Mrs", 325.9, 345.0, 101.1), _space(345.0, 348.0, 101.1), _word("Shah", 348.0, 370.0, 101.1),
              _word("Outreach", 326.0, 370.0, 116.0)]
    lines = make_lines(glyphs)
    groups = paragraphs(lines, 325.9, 392.6, keeps_wrap_spaces(lines))
    assert [to_paragraph(group, "page 7").text for group in groups] == ["Mrs Shah", "Outreach"]


def _h(y: float, x0: float, x1: float) -> Segment:
    return Segment(x0, y - 0.3, x1, y + 0.3, 0.6)


def _v(x: float, top: float, bottom: float) -> Segment:
    return Segment(x - 0.3, top, x + 0.3, bottom, 0.6)


def _broken_grid() -> list[Segment]:
    """A 2 x 2 table (x 42.8, 300, 553.1; y 72.8, 96.8, 120.8) as a 200 dpi G4 scan gives its rules:
    in pieces with gaps of 4 pt, a pixel or three off their line, the middle row's rule stopping
    4.6 pt short of the left border."""
    return [
        _h(72.8, 42.5, 170.3), _h(73.6, 174.3, 553.4),
        _h(97.7, 47.4, 553.1),
        _h(120.8, 42.5, 361.4), _h(119.9, 365.4, 553.4),
        _v(42.8, 72.5, 100.0), _v(43.6, 104.0, 121.0),
        _v(300.0, 73.0, 120.5),
        _v(553.1, 72.5, 121.0),
    ]


def test_a_grid_is_made_from_broken_rules_read_from_pixels():
    tables = find_tables(_broken_grid(), [], SCANNED)
    assert len(tables) == 1
    table = tables[0]
    assert (len(table.xs) - 1, len(table.ys) - 1, len(table.cells)) == (2, 2, 4)
    assert all(abs(got - want) <= 1.0 for got, want in zip(table.xs, [42.8, 300.0, 553.1]))
    assert all(abs(got - want) <= 1.0 for got, want in zip(table.ys, [72.8, 96.8, 120.8]))


def test_a_text_layer_keeps_its_exact_tolerances():
    # the same pieces, read as a text layer's exact rules, make no whole grid: the middle rule
    # meets one border only, and the rules a pixel off their line are not one rule
    tables = find_tables(_broken_grid(), [], TEXT_LAYER)
    assert [(len(t.xs) - 1, len(t.ys) - 1) for t in tables] == [(1, 1)]  # the top right cell alone
    assert TEXT_LAYER.snap == 2.0 and TEXT_LAYER.join == 2.0 and TEXT_LAYER.same == 0.6
