"""Two lines of print whose bands overlap on a poor copy (a toner-tall word stretched one line's band
over the next) are two lines: words one over the other are never on one line. Words of one line that
touch or overlap side by side, at one height, stay one line; a text layer is as it was."""

from __future__ import annotations

from msp_convert.parsers.pdf.reading import make_lines
from msp_convert.parsers.pdf.records import Glyph


def word(text: str, x0: float, x1: float, top: float, bottom: float, ocr: bool = True) -> Glyph:
    return Glyph(text, x0, x1, top, bottom, bottom - top, ocr=ocr, confidence=0.9 if ocr else 1.0)


def texts(glyphs: list[Glyph]) -> list[str]:
    return [" ".join(g.text for g in line.glyphs) for line in make_lines(glyphs)]


# A printed prompt read with a band 33 pt tall, over the answer typed under it (11.6 pt).
PROMPT = [word(t, x0, x1, 336.3, 369.3) for t, x0, x1 in
          (("WHAT", 54.0, 79.0), ("IS", 81.0, 91.8), ("IMPORTANT", 93.2, 153.4), ("TO", 155.2, 168.8), ("ME", 172.4, 186.8))]
ANSWER = [word(t, x0, x1, 359.2, 370.8) for t, x0, x1 in
          (("Getting", 54.4, 86.0), ("my", 90.0, 102.6), ("Golden", 105.8, 137.2), ("Time", 140.4, 162.4))]


def test_a_line_whose_band_reaches_over_the_next_is_not_read_into_it() -> None:
    assert texts(PROMPT + ANSWER) == ["WHAT IS IMPORTANT TO ME", "Getting my Golden Time"]
    assert texts(ANSWER + PROMPT) == ["WHAT IS IMPORTANT TO ME", "Getting my Golden Time"]


def test_an_answer_word_beyond_the_prompt_still_goes_with_its_line() -> None:
    answer = ANSWER + [word("club", 190.0, 210.0, 359.2, 370.8)]
    assert texts(PROMPT + answer) == ["WHAT IS IMPORTANT TO ME", "Getting my Golden Time club"]


def test_words_side_by_side_that_overlap_stay_one_line() -> None:
    # Tesseract's boxes for "repc" "rt" (a word it broke) overlap, at one height
    line = [word("Lunchtime", 245.0, 290.0, 200.0, 211.0), word("repc", 292.0, 312.0, 200.0, 211.0), word("rt", 306.0, 318.0, 200.5, 211.0)]
    assert texts(line) == ["Lunchtime repc rt"]


def test_a_text_layer_is_grouped_as_before() -> None:
    prompt = [word(g.text, g.x0, g.x1, g.top, g.bottom, ocr=False) for g in PROMPT]
    answer = [word(g.text, g.x0, g.x1, g.top, g.bottom, ocr=False) for g in ANSWER]
    assert len(make_lines(prompt + answer)) == 1


def cell(*rows: list[tuple[str, float, float]]) -> list[str]:
    """Lines of words (text, x0, x1) 11.6 pt apart in a cell 249.1-313.6, as paragraphs' text."""
    from msp_convert.parsers.pdf.reading import paragraphs, to_paragraph

    glyphs = [word(t, x0, x1, 470.9 + 11.6 * n, 482.0 + 11.6 * n) for n, row in enumerate(rows) for t, x0, x1 in row]
    lines = make_lines(glyphs)
    return [to_paragraph(group, "page 7").text for group in paragraphs(lines, 249.1, 313.6)]


def test_a_bracket_opening_the_next_line_goes_on_from_words_that_end_no_sentence() -> None:
    classroom = [("Dyslexia-friendly", 249.1, 289.2), ("classroom", 249.0, 293.3)]
    got = cell(classroom[:1], classroom[1:], [("(cream", 248.9, 278.9), ("paper,", 283.0, 309.8)])
    assert got == ["Dyslexia-friendly classroom (cream paper,"]
    # after a full stop the bracket starts an entry of its own
    assert cell([("Daily.", 249.1, 280.0)], [("(R1", 249.0, 270.0), ("only)", 273.0, 300.0)]) == ["Daily.", "(R1 only)"]


def test_a_date_cut_after_its_month_is_one_line_of_text() -> None:
    got = cell([("Mentor", 249.1, 279.4), ("R1", 283.0, 294.7), ("14th", 297.0, 312.0)], [("March", 249.1, 298.1)], [("2019", 248.9, 270.2)])
    assert got == ["Mentor R1 14th March 2019"]
    assert cell([("Lunch", 249.1, 279.4), ("club", 283.0, 300.0)], [("2019", 248.9, 270.2), ("plan", 273.0, 300.0)]) == ["Lunch club", "2019 plan"]
