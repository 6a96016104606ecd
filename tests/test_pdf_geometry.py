"""PDF geometry on page records: strikethrough (strike.py) and tick boxes (boxes.py).

Unit tests build PageRecords by hand, one rule each; the real-file tests read
the shared real documents through ``open_pdf``/``page_records`` and assert the
facts in shared/real-docs/MANIFEST.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest

from msp_convert.glyphs import pdf_symbol_font_key, tick_state
from msp_convert.parsers.docx import symbols
from msp_convert.parsers.pdf.boxes import find_tick_boxes
from msp_convert.parsers.pdf.records import Box, Glyph, Mark, PageRecord, Path as DrawnPath, Segment, Widget
from msp_convert.parsers.pdf.source import open_pdf, page_records
from msp_convert.parsers.pdf.strike import mark_struck

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-docs"
EXAMPLE_PDF = Path(__file__).resolve().parents[2] / "shared" / "spec" / "example" / "example-plan.pdf"


# ---- helpers ----------------------------------------------------------------


def word(text: str, x: float = 72.0, baseline: Optional[float] = 100.0, size: float = 10.0, font: str = "ABCDEF+Arial", top: Optional[float] = None) -> list[Glyph]:
    """Glyphs for ``text`` on one line; the box runs 0.8 em above the baseline to 0.2 em below.

    ``baseline=None`` gives OCR-like glyphs (no baseline): pass ``top``.
    """
    out = []
    for ch in text:
        w = 0.3 * size if ch == " " else 0.55 * size
        if baseline is None:
            assert top is not None
            g = Glyph(ch, x, x + w, top, top + size, size, font)
        else:
            g = Glyph(ch, x, x + w, baseline - 0.8 * size, baseline + 0.2 * size, size, font)
            g.baseline = baseline
        out.append(g)
        x += w
    return out


def page(glyphs=(), segments=(), boxes=(), paths=(), widgets=(), marks=()) -> PageRecord:
    return PageRecord(
        number=1, width=612.0, height=792.0, glyphs=list(glyphs), segments=list(segments),
        boxes=list(boxes), paths=list(paths), widgets=list(widgets), marks=list(marks),
    )


def hline(x0: float, x1: float, y: float, width: float = 0.5) -> Segment:
    return Segment(x0, y, x1, y, width)


def vline(x: float, top: float, bottom: float, width: float = 0.5) -> Segment:
    return Segment(x, top, x, bottom, width)


def struck_text(glyphs: list[Glyph]) -> str:
    return "".join(g.text for g in glyphs if g.struck)


def frame(x0: float, top: float, side: float = 10.0) -> tuple[Box, list[Segment]]:
    """A stroked square as source.py records it: the Box and its four edges."""
    x1, bottom = x0 + side, top + side
    return Box(x0, top, x1, bottom, False, True), [
        hline(x0, x1, top), hline(x0, x1, bottom), vline(x0, top, bottom), vline(x1, top, bottom),
    ]


def cross(x0: float, top: float, side: float = 10.0) -> list[DrawnPath]:
    x1, bottom = x0 + side, top + side
    return [
        DrawnPath([(x0, top), (x1, bottom)], x0, top, x1, bottom),
        DrawnPath([(x0, bottom), (x1, top)], x0, top, x1, bottom),
    ]


def ticks(p: PageRecord) -> list[Glyph]:
    return sorted((g for g in p.glyphs if g.is_tick), key=lambda g: (round(g.top), g.x0))


# ---- glyphs.py: one table for both readers ----------------------------------


def test_docx_symbols_are_the_shared_tables():
    import msp_convert.glyphs as glyphs

    assert symbols.GLYPH_TICKS is glyphs.GLYPH_TICKS
    assert symbols.SYMBOL_TICKS is glyphs.SYMBOL_TICKS
    assert symbols.symbol_tick is glyphs.symbol_tick
    assert symbols.symbol_font_key("Wingdings 2") == "wingdings 2"
    assert symbols.symbol_font_key("Wingdings2") is None  # Word names unchanged
    assert symbols.parse_char("F0FE") == 0xF0FE


@pytest.mark.parametrize(
    "name, key",
    [
        ("ABCDEF+Wingdings-Regular", "wingdings"),
        ("Wingdings", "wingdings"),
        ("Wingdings2", "wingdings 2"),
        ("QWERTY+Wingdings 2,Bold", "wingdings 2"),
        ("Wingdings3-Regular", "wingdings 3"),
        ("SymbolMT", "symbol"),
        ("ZapfDingbats", "zapfdingbats"),
        ("ABCDEF+DejaVuSans", None),
        ("ArialMT", None),
        ("", None),
    ],
)
def test_pdf_symbol_font_names(name, key):
    assert pdf_symbol_font_key(name) == key


@pytest.mark.parametrize(
    "text, font, state",
    [
        ("\uf0fe", "wingdings", True),  # U+F0xx
        ("\u00fe", "wingdings", True),  # the plain low byte
        ("(cid:254)", "wingdings", True),  # no Unicode map
        ("\uf0a8", "wingdings", False),
        ("(cid:168)", "wingdings", False),
        ("R", "wingdings 2", True),
        ("\u00a3", "wingdings 2", False),
        ("4", "zapfdingbats", True),
        ("l", "wingdings", None),  # a bullet, not a box
        ("\u00fe", None, None),  # þ in a text font is a letter
        ("(cid:254)", None, None),  # cannot be told in a text font
        ("\u2612", None, True),
        ("\u2610", "wingdings", False),  # a Unicode box counts in any font
        ("a", None, None),
    ],
)
def test_tick_state(text, font, state):
    assert tick_state(text, font) is state


# ---- strike.py ----------------------------------------------------------------


def test_strike_line_through_the_middle_strikes():
    gs = word("struck", baseline=100.0)
    s = hline(gs[0].x0, gs[-1].x1, 97.0)  # 0.3 em above the baseline
    p = page(gs, [s])
    mark_struck(p)
    assert all(g.struck for g in gs)
    assert p.segments == []  # used: gone from the grid's view


def test_underline_is_not_strike_and_leaves_the_segments():
    gs = word("underlined", baseline=100.0)
    s = hline(gs[0].x0, gs[-1].x1, 101.0)  # 0.1 em below the baseline
    p = page(gs, [s])
    mark_struck(p)
    assert not any(g.struck for g in gs)
    assert p.segments == []  # recognised as an underline: not a ruling line


def test_highlight_fill_is_not_strike():
    gs = word("highlighted", baseline=100.0)
    hl = Box(gs[0].x0, 91.0, gs[-1].x1, 103.75, True, False, (1.0, 1.0, 0.0))
    p = page(gs, boxes=[hl])
    mark_struck(p)
    assert not any(g.struck for g in gs)
    assert p.boxes == [hl]


def test_table_borders_are_not_strike_nor_underline():
    gs = word("cell text", x=80.0, baseline=100.0)
    above = hline(70.0, 300.0, 90.5)  # the rule above the row, over the ascenders
    below = hline(70.0, 300.0, 102.4)  # the rule just under the baseline, cell-wide
    left, right = vline(70.0, 90.5, 102.4), vline(300.0, 90.5, 102.4)
    p = page(gs, [above, below, left, right])
    mark_struck(p)
    assert not any(g.struck for g in gs)
    assert p.segments == [above, below, left, right]


def test_border_hugging_the_text_is_kept_when_a_cell_edge_meets_it():
    gs = word("fills the cell", x=72.0, baseline=100.0)
    end = gs[-1].x1
    below = hline(71.0, end + 1.0, 102.4)  # ends within a hair of the text: looks like an underline
    p = page(gs, [below, vline(71.0, 80.0, 102.4), vline(end + 1.0, 80.0, 102.4)])
    mark_struck(p)
    assert below in p.segments


def test_double_strike_both_lines_strike_and_go():
    gs = word("Double", baseline=100.0, size=11.0)
    a = hline(gs[0].x0, gs[-1].x1, 96.6, 0.4)  # 0.31 em
    b = hline(gs[0].x0, gs[-1].x1, 97.9, 0.4)  # 0.19 em, 1.3 pt lower
    p = page(gs, [a, b])
    mark_struck(p)
    assert all(g.struck for g in gs)
    assert p.segments == []


def test_thin_filled_bar_strikes_but_a_thick_one_does_not():
    gs = word("bar", baseline=100.0)
    p = page(gs, [Segment(gs[0].x0, 96.6, gs[-1].x1, 97.4, 0.8)])
    mark_struck(p)
    assert all(g.struck for g in gs)
    gs = word("bar", baseline=100.0)
    thick = Segment(gs[0].x0, 95.0, gs[-1].x1, 99.0, 4.0)
    p = page(gs, [thick])
    mark_struck(p)
    assert not any(g.struck for g in gs)
    assert p.segments == [thick]


def test_only_the_glyphs_under_the_stroke_are_struck():
    gs = word("an excessive", baseline=100.0)
    n = gs[1]
    s = hline(n.x0, gs[-1].x1, 97.0)  # from the "n" of "an"
    p = page(gs, [s])
    mark_struck(p)
    assert struck_text(gs) == "n excessive"
    assert not gs[0].struck


def test_spaces_between_struck_glyphs_are_struck():
    gs = word("ab  cd ef", baseline=100.0)
    s1 = hline(gs[0].x0, gs[1].x1, 97.0)
    s2 = hline(gs[4].x0, gs[5].x1, 97.0)
    p = page(gs, [s1, s2])
    mark_struck(p)
    assert struck_text(gs) == "ab  cd"  # not the space before the unstruck "ef"


def test_strikeout_annotation_strikes_the_glyphs_under_it():
    gs = word("Dummy PDF", baseline=100.0, size=16.0)
    other = word("next line", baseline=120.0, size=16.0)
    thin = Mark("strikeout", gs[0].x0, 93.0, gs[-1].x1, 94.4)
    p = page(gs + other, marks=[thin, Mark("highlight", gs[0].x0, 85.0, gs[-1].x1, 104.0)])
    mark_struck(p)
    assert all(g.struck for g in gs)
    assert not any(g.struck for g in other)


def test_strikeout_annotation_quads_strike_each_line():
    one = word("first line", baseline=100.0)
    two = word("second", baseline=114.0)
    rest = word("rest", x=two[-1].x1 + 3.0, baseline=114.0)
    m = Mark(
        "strikeout", one[0].x0, 92.0, one[-1].x1, 116.0,
        parts=[(one[0].x0, 92.0, one[-1].x1, 102.0), (two[0].x0, 106.0, two[-1].x1, 116.0)],
    )
    p = page(one + two + rest, marks=[m])
    mark_struck(p)
    assert struck_text(one) == "first line"
    assert struck_text(two) == "second"
    assert not any(g.struck for g in rest)


def test_without_a_baseline_the_glyph_box_decides():
    gs = word("ocr", baseline=None, top=90.0)  # box 90-100
    p = page(gs, [hline(gs[0].x0, gs[-1].x1, 96.0)])
    mark_struck(p)
    assert all(g.struck for g in gs)
    gs = word("ocr", baseline=None, top=90.0)
    p = page(gs, [hline(gs[0].x0, gs[-1].x1, 100.5)])
    mark_struck(p)
    assert not any(g.struck for g in gs)
    assert p.segments == []  # an underline


def test_tick_box_edges_are_not_underlines():
    label = word("In Sequence:", baseline=100.0)
    box, edges = frame(label[0].x0, 102.6)  # the box's top edge 0.26 em under the label
    p = page(label, edges, [box])
    mark_struck(p)
    assert not any(g.struck for g in label)
    assert p.segments == edges


# ---- boxes.py: glyph ticks -----------------------------------------------------


def test_unicode_tick_glyphs_are_flagged():
    gs = word("\u2610a\u2612\u2611\u2713\u2714\u2717\u2718\u25a1", font="DejaVuSans")
    p = page(gs)
    assert find_tick_boxes(p) == []
    assert [(g.is_tick, g.tick) for g in gs] == [
        (True, False), (False, None), (True, True), (True, True), (True, True),
        (True, True), (True, True), (True, True), (True, False),
    ]
    assert all(g.tick_encoding == "glyph" for g in gs if g.is_tick)


def test_symbol_font_ticks_are_flagged_and_shown_as_boxes():
    gs = [
        Glyph("\uf0fe", 10, 20, 90, 100, 10, "ABCDEF+Wingdings-Regular"),
        Glyph("\u00a8", 30, 40, 90, 100, 10, "Wingdings"),
        Glyph("(cid:253)", 50, 60, 90, 100, 10, "Wingdings-Regular"),
        Glyph("S", 70, 80, 90, 100, 10, "Wingdings2"),
        Glyph("\u00fe", 90, 100, 90, 100, 10, "ArialMT"),  # thorn
        Glyph("(cid:253)", 110, 120, 90, 100, 10, "ArialMT"),
        Glyph("\uf0a7", 130, 140, 90, 100, 10, "Wingdings"),  # a bullet
    ]
    p = page(gs)
    find_tick_boxes(p)
    assert [(g.is_tick, g.tick) for g in gs] == [
        (True, True), (True, False), (True, True), (True, True),
        (False, None), (False, None), (False, None),
    ]
    assert [g.text for g in gs[:4]] == ["\u2612", "\u2610", "\u2612", "\u2612"]
    assert gs[0].tick_encoding == "symbol"
    assert [g.text for g in gs[4:]] == ["\u00fe", "(cid:253)", "\uf0a7"]


# ---- boxes.py: drawn boxes -----------------------------------------------------


def test_drawn_box_with_a_cross_is_ticked_and_its_parts_leave_the_page():
    label = word("Male", x=85.0, baseline=100.0)
    box, edges = frame(72.0, 91.0)
    rule = hline(20.0, 500.0, 120.0)
    marks = cross(72.0, 91.0)
    p = page(label, edges + [rule], [box], marks)
    assert find_tick_boxes(p) == []
    [t] = ticks(p)
    assert (t.text, t.tick, t.tick_encoding) == ("\u2612", True, "drawn")
    assert (t.x0, t.top, t.x1, t.bottom) == (72.0, 91.0, 82.0, 101.0)
    assert p.boxes == [] and p.paths == [] and p.segments == [rule]


def test_four_strokes_make_an_empty_box():
    box, edges = frame(72.0, 91.0, 9.0)
    p = page(word("No", x=85.0), edges)  # no Box record: only the strokes
    assert find_tick_boxes(p) == []
    [t] = ticks(p)
    assert (t.text, t.tick) == ("\u2610", False)
    assert p.segments == []


def test_strokes_that_do_not_close_a_square_are_left():
    edges = [hline(72, 82, 91), hline(72, 82, 101), vline(72, 91, 101)]  # one side missing
    p = page(segments=edges)
    find_tick_boxes(p)
    assert ticks(p) == [] and p.segments == edges


def test_tick_shaped_path_inside_a_box_ticks_it():
    box, edges = frame(72.0, 91.0)
    tick = DrawnPath([(73.5, 96.0), (76.0, 99.5), (81.0, 92.0)], 73.5, 92.0, 81.0, 99.5)
    p = page(segments=edges, boxes=[box], paths=[tick])
    find_tick_boxes(p)
    assert [g.tick for g in ticks(p)] == [True]
    assert p.paths == []


def test_filled_inner_square_ticks_a_box_but_a_white_one_does_not():
    box, edges = frame(72.0, 91.0)
    p = page(segments=edges, boxes=[box, Box(74.0, 93.0, 80.0, 99.0, True, False, (0.0,))])
    find_tick_boxes(p)
    assert [g.tick for g in ticks(p)] == [True]
    assert p.boxes == []
    box, edges = frame(72.0, 91.0)
    white = Box(72.5, 91.5, 81.5, 100.5, True, False, (1.0, 1.0, 1.0))
    p = page(segments=edges, boxes=[box, white])
    find_tick_boxes(p)
    assert [g.tick for g in ticks(p)] == [False]


def test_tick_glyph_inside_a_drawn_box_counts_once():
    box, edges = frame(72.0, 91.0)
    glyph = Glyph("\u2612", 73.0, 81.0, 92.0, 100.0, 9.0, "DejaVuSans")
    p = page([glyph], edges, [box])
    find_tick_boxes(p)
    assert ticks(p) == [glyph] and glyph.tick is True
    assert p.boxes == [] and p.segments == []


def test_x_typed_into_a_drawn_box_ticks_it():
    box, edges = frame(72.0, 91.0)
    x = Glyph("X", 74.0, 80.0, 92.0, 100.0, 9.0, "ArialMT")
    p = page([x], edges, [box])
    find_tick_boxes(p)
    [t] = ticks(p)
    assert t.tick is True and x not in p.glyphs


def test_a_letter_in_a_square_is_not_a_tick_box():
    box, edges = frame(72.0, 91.0)
    letter = Glyph("A", 74.0, 80.0, 92.0, 100.0, 9.0, "ArialMT")
    p = page([letter], edges, [box])
    find_tick_boxes(p)
    assert ticks(p) == [] and p.boxes == [box] and p.segments == edges


def test_big_or_oblong_frames_are_not_tick_boxes():
    cell, cell_edges = frame(72.0, 91.0, 40.0)
    oblong = Box(200.0, 91.0, 216.0, 98.0, False, True)
    p = page(segments=cell_edges, boxes=[cell, oblong])
    find_tick_boxes(p)
    assert ticks(p) == [] and len(p.boxes) == 2


def test_a_box_with_an_unreadable_mark_is_unknown_with_a_warning_without_text():
    label = word("Secret label", x=85.0)
    box, edges = frame(72.0, 91.0)
    slash = DrawnPath([(73.0, 100.0), (81.0, 92.0)], 73.0, 92.0, 81.0, 100.0)
    p = page(label, edges, [box], [slash])
    messages = find_tick_boxes(p)
    [t] = ticks(p)
    assert t.tick is None
    [m] = messages
    assert m.code == "tick-box-unknown" and m.where == "page 1 [72.0 91.0 82.0 101.0]"  # the frame's place
    assert "Secret" not in m.message and "label" not in m.message


def test_each_unknown_box_has_its_own_warning_unless_a_field_tells_its_state():
    parts, boxes, paths = [], [], []
    for x in (72.0, 120.0):
        box, edges = frame(x, 91.0)
        parts += edges
        boxes.append(box)
        paths.append(DrawnPath([(x + 1, 100.0), (x + 9, 92.0)], x + 1, 92.0, x + 9, 100.0))
    p = page(segments=parts, boxes=boxes, paths=paths)
    messages = find_tick_boxes(p)
    assert len(messages) == 2 and len(set(messages)) == 2  # distinct: dedupe keeps both
    box, edges = frame(72.0, 91.0)
    slash = DrawnPath([(73.0, 100.0), (81.0, 92.0)], 73.0, 92.0, 81.0, 100.0)
    p = page(segments=edges, boxes=[box], paths=[slash], widgets=[Widget("checkbox", 72, 91, 82, 101, checked=False)])
    assert find_tick_boxes(p) == []
    assert [(g.tick, g.tick_encoding) for g in ticks(p)] == [(False, "acroform")]


# ---- boxes.py: form fields -------------------------------------------------------


def test_check_box_and_radio_widgets_become_tick_glyphs():
    ws = [
        Widget("checkbox", 72, 90, 82, 100, checked=True, name="a"),
        Widget("checkbox", 72, 110, 82, 120, checked=False, name="b"),
        Widget("radio", 72, 130, 82, 140, checked=None, name="c"),
    ]
    p = page(widgets=ws)
    messages = find_tick_boxes(p)
    assert [(g.text, g.tick, g.tick_encoding) for g in ticks(p)] == [
        ("\u2612", True, "acroform"), ("\u2610", False, "acroform"), ("\u2610", None, "acroform"),
    ]
    assert [m.code for m in messages] == ["tick-box-unknown"]


def test_text_widgets_with_a_value_become_one_glyph():
    ws = [
        Widget("text", 160, 370, 320, 390, value="ABC def"),
        Widget("text", 160, 400, 320, 420, value=""),
        Widget("text", 160, 430, 320, 450, value=None),
        Widget("text", 0, 0, 0, 0, value="hidden field"),
        Widget("checkbox", 0, 0, 0, 0, checked=True),
    ]
    p = page(widgets=ws)
    find_tick_boxes(p)
    [g] = p.glyphs
    assert (g.text, g.x0, g.top, g.x1, g.bottom, g.is_tick) == ("ABC def", 160, 370, 320, 390, False)


def test_widget_over_a_drawn_box_is_one_tick_box_with_the_field_state():
    box, edges = frame(72.0, 91.0, 12.0)
    w = Widget("checkbox", 71.9, 91.1, 84.1, 102.9, checked=True)
    ring = DrawnPath([(72, 91), (84, 91), (84, 103), (72, 103)], 72.0, 91.0, 84.0, 103.0)
    p = page(segments=edges, boxes=[box], widgets=[w])
    find_tick_boxes(p)
    assert [(g.tick, g.tick_encoding) for g in ticks(p)] == [(True, "acroform")]
    assert p.boxes == [] and p.segments == []
    p = page(paths=[ring], widgets=[Widget("radio", 72, 91, 84, 103, checked=False)])
    find_tick_boxes(p)
    assert [g.tick for g in ticks(p)] == [False] and p.paths == []


def test_widget_over_a_tick_glyph_is_one_tick_box():
    glyph = Glyph("\u2610", 72.0, 81.0, 91.0, 101.0, 10.0, "DejaVuSans")
    p = page([glyph], widgets=[Widget("checkbox", 71.5, 91.0, 81.5, 101.0, checked=True)])
    find_tick_boxes(p)
    assert [(g.tick, g.tick_encoding) for g in ticks(p)] == [(True, "acroform")]
    glyph = Glyph("\u2612", 72.0, 81.0, 91.0, 101.0, 10.0, "DejaVuSans")
    p = page([glyph], widgets=[Widget("checkbox", 71.5, 91.0, 81.5, 101.0, checked=None)])
    assert find_tick_boxes(p) == []  # the drawn state stands in for an unreadable field
    assert [g.tick for g in ticks(p)] == [True]


def test_a_busy_page_of_words_and_rules_has_no_false_strikes_or_ticks():
    # Speed is the benchmark's business (bench/bench_pdf.py); that the steps stay near
    # linear on such pages is tested in test_hostile_pdf.py by counting, not by a clock.
    gs = []
    for row in range(60):
        gs += word("the quick brown fox jumps over the lazy dog " * 2, x=40.0, baseline=60.0 + 12 * row, size=9.0)
    rules = [hline(36.0, 560.0, 50.0 + 12 * k) for k in range(0, 60, 2)] + [vline(36.0 + 50 * k, 50.0, 780.0) for k in range(11)]
    p = page(gs, rules)
    mark_struck(p)
    find_tick_boxes(p)
    assert not any(g.struck or g.is_tick for g in p.glyphs) and len(p.segments) == 41


# ---- real files -------------------------------------------------------------------


def records(rel: str) -> list[PageRecord]:
    path = REAL / rel
    pdf = open_pdf(path.read_bytes())
    try:
        return list(page_records(pdf))
    finally:
        pdf.close()


def lines(p: PageRecord) -> list[list[Glyph]]:
    """Glyphs grouped by baseline, left to right, top to bottom."""
    rows: dict[int, list[Glyph]] = {}
    for g in p.glyphs:
        rows.setdefault(round(g.baseline if g.baseline is not None else g.bottom), []).append(g)
    return [sorted(rows[k], key=lambda g: g.x0) for k in sorted(rows)]


def line_with(p: PageRecord, fragment: str) -> list[Glyph]:
    found = [line for line in lines(p) if fragment in "".join(g.text for g in line)]
    assert len(found) == 1, fragment
    return found[0]


def struck_of(p: PageRecord, fragment: str) -> str:
    return struck_text(line_with(p, fragment)).strip()


def geometry(rel: str) -> tuple[list[PageRecord], list[list]]:
    pages = records(rel)
    messages = []
    for p in pages:
        mark_struck(p)
        messages.append(find_tick_boxes(p))
    return pages, messages


def field_states(pages: list[PageRecord]) -> dict[str, list[Optional[bool]]]:
    """Each check box/radio field's state(s), read off the tick glyph at its widget, by field name."""
    out: dict[str, list[Optional[bool]]] = {}
    for p in pages:
        for w in sorted(p.widgets, key=lambda w: w.top):
            if w.kind in ("checkbox", "radio"):
                [g] = [g for g in p.glyphs if g.is_tick and (g.x0, g.top, g.x1, g.bottom) == (w.x0, w.top, w.x1, w.bottom)]
                out.setdefault(w.name, []).append(g.tick)
    return out


def texts(pages: list[PageRecord]) -> list[str]:
    return [g.text for p in pages for g in p.glyphs if not g.font and not g.is_tick]


def test_qpdf_form_filled_by_acrobat():
    pages, messages = geometry("qpdf/form-filled-by-acrobat.pdf")
    assert field_states(pages) == {
        "r1": [True, False, False],
        "Check Box 1": [False],
        "Check Box 2": [True],
        "Check Box 3": [False],
        "r2": [False, True, False],
    }
    assert texts(pages) == ["abc potato", "salad \u03c0\u02ac xyz"]
    assert not any(messages)
    # LibreOffice drew each check box under its field: one tick box each, not two
    assert sum(g.is_tick for p in pages for g in p.glyphs) == 9


def test_qpdf_form_filled_with_atril():
    pages, messages = geometry("qpdf/form-filled-with-atril.pdf")
    assert field_states(pages) == {
        "r1": [False, False, True],
        "Check Box 1": [True],
        "Check Box 2": [True],
        "Check Box 3": [False],
        "r2": [False, True, False],
    }
    assert texts(pages)[0] == "Hagoogamagoogle"
    assert sum(g.is_tick for p in pages for g in p.glyphs) == 9


def test_qpdf_sample_form():
    pages, messages = geometry("qpdf/sample-form.pdf")
    assert field_states(pages) == {
        "Driving License Check Box": [True],
        "Language 1 Check Box": [False],
        "Language 2 Check Box": [True],
        "Language 3 Check Box": [False],
        "Language 4 Check Box": [False],
        "Language 5 Check Box": [False],
    }
    assert texts(pages) == ["ABC", "DEF", "Man", "Blue"]  # given, family name; gender, colour lists


def test_qpdf_button_set_on_state_yup_and_lost_parent_links():
    pages, messages = geometry("qpdf/button-set.pdf")
    states = field_states(pages)
    # checkbox1's widget has no /Parent and no /FT: its name and type come from the field tree
    assert states["checkbox1"] == [False]
    assert states["checkbox2"] == [True]
    assert states["checkbox3"] == [False]
    assert states["r1"] == [True, False, False]  # /1; the middle kid hangs off an extra node
    assert states["r2"] == [False, True, False]  # /2
    assert not any(messages)
    assert sum(g.is_tick for p in pages for g in p.glyphs) == 9


def test_pypdf_libreoffice_form_all_off():
    pages, messages = geometry("pypdf/libreoffice-form.pdf")
    assert field_states(pages) == {"female": [False, False], "gdpr": [False], "other": [False]}
    assert sum(g.is_tick for p in pages for g in p.glyphs) == 4
    assert texts(pages) == ["Alice", "Bob"]


def label_right_of(p: PageRecord, box: Glyph) -> str:
    """The first word to the right of a tick box on its line."""
    row = sorted(
        (g for g in p.glyphs if not g.is_tick and g.x0 >= box.x1 - 0.5 and box.top - 2 <= (g.top + g.bottom) / 2 <= box.bottom + 2),
        key=lambda g: g.x0,
    )
    text, prev = "", None
    for g in row:
        if prev is not None and g.x0 - prev.x1 > 1.5:
            text += " "
        text += g.text
        prev = g
    return text.split()[0]


def test_pdfplumber_flattened_form_drawn_boxes():
    pages, messages = geometry("pdfplumber/150109DSP-Milw-505-90D.pdf")
    one, two = pages
    boxes1, boxes2 = ticks(one), ticks(two)
    assert all(g.tick_encoding == "drawn" for g in boxes1 + boxes2)
    assert [label_right_of(one, g) for g in boxes1 if g.tick] == ["Male", "Yes", "Yes", "In-home", "No"]
    assert sum(g.tick is False for g in boxes1) == 5
    assert sum(g.tick is True for g in boxes2) == 6
    assert sum(g.tick is False for g in boxes2) == 16
    assert [label_right_of(two, g) for g in boxes2 if g.tick] == [
        "Screening", "Initial", "Collaboration", "Collaboration", "Case", "Yes",
    ]
    assert not any(messages)
    # the squares and their crosses are gone: the grid sees no 9-pt cells
    assert not one.paths and not two.paths
    assert not [b for b in one.boxes if b.stroked and b.x1 - b.x0 < 12]


def test_libreoffice_vector_check_boxes():
    pages, messages = geometry("derived-libreoffice/checkboxes.pdf")
    [p] = pages
    assert [g.tick for g in ticks(p)] == [False, True, False, True, False, True, True, False, True]
    assert not any(messages)
    assert not p.paths and not p.boxes


def test_libreoffice_tick_glyphs():
    pages, _ = geometry("derived-libreoffice/docx_checkboxes.pdf")
    [p] = pages
    states = [g.tick for g in ticks(p)]
    assert states == [True, False, True, False, True, True, False, True, True, True, True, False]
    assert all(g.tick_encoding == "glyph" for g in ticks(p))


def test_run_styles_strike_not_underline_nor_highlight():
    pages, _ = geometry("derived-libreoffice/run_styles.pdf")
    [p] = pages
    assert struck_of(p, "Strikethrough") == "Strikethrough"
    assert struck_of(p, "Double Strikethough") == "Double Strikethough"
    assert struck_of(p, "Underline") == ""
    highlighted = [line for line in lines(p) if "Highlighted" in "".join(g.text for g in line)]
    assert len(highlighted) == 3  # two paragraphs, and one line with both runs
    assert not any(g.struck for line in highlighted for g in line)
    assert sum(g.struck for g in p.glyphs) == len("Strikethrough") + len("Double Strikethough")
    assert p.segments == []  # 1 underline + 3 strike lines: none is a ruling line
    assert len(p.boxes) == 4  # the highlights stay


def test_mammoth_strikethrough():
    pages, _ = geometry("derived-libreoffice/strikethrough.pdf")
    [p] = pages
    line = line_with(p, "Sold out")
    assert struck_text(line) == "Today's Special: Salmon"


def test_superdoc_strike_combinations():
    pages, _ = geometry("derived-libreoffice/ooxml-strike-rstyle-linked-combos-demo.pdf")
    one, two = pages
    for form in ("(omitted)", "true", "1", "on"):
        assert struck_of(one, f"w:val={form}:") == "Strikethrough sample"
    for form in ("false", "0", "off"):
        assert struck_of(one, f"w:val={form}:") == ""
    assert struck_of(one, "Styled strike") == "Styled strike"
    assert struck_of(one, "Styled no-strike") == ""
    assert struck_of(one, "=> expect NOT strikethrough: Strike style") == ""
    assert struck_of(one, "overridden off") == ""
    assert struck_of(one, "=> expect strikethrough: No-strike style") == "No-strike style"
    assert struck_of(one, "overridden on") == "overridden on"
    assert struck_of(one, "Linked Char style applied") == "Linked Char style applied"
    assert struck_of(one, "pStyle='SD_LinkedStrikeHeading'") == "- pStyle='SD_LinkedStrikeHeading' + inline 'off' on a run:"
    assert struck_of(one, "be struck") == ""
    assert struck_of(one, "Struck cell") == "Struck cell"
    assert struck_of(two, "Should be struck") == "Should be struck"
    assert struck_of(two, "Double-struck sample") == "Double-struck sample"
    assert not any(g.struck for g in line_with(two, "Should be struck") if g.x1 <= 300)


def test_tracked_deletion_drawn_struck():
    pages, _ = geometry("derived-libreoffice/track_changes_deletion.pdf")
    [p] = pages
    line = line_with(p, "excessively")
    text = "".join(g.text for g in line)
    assert text == "This is a text with an excessively modified deletion."
    start = text.index("n excessively")
    flags = [g.struck for g in line]
    struck = "".join(g.text for g in line if g.struck)
    assert struck.strip() == "n excessively modified"
    assert not any(flags[:start])  # "a" of "an" and all before
    assert not any(flags[text.index("deletion"):])
    # the change bar in the margin is not a strike and stays
    assert [s for s in p.segments if s.x1 - s.x0 < 1] == p.segments and len(p.segments) == 1


def test_strikeout_annotation():
    pages, _ = geometry("pdfplumber/annotations.pdf")
    [p] = pages
    line = line_with(p, "Dummy PDF file")
    assert "".join(g.text for g in line) == "Dummy PDF file"
    assert all(g.struck for g in line)


def test_example_plan_geometry():
    pdf = open_pdf(EXAMPLE_PDF.read_bytes())
    try:
        pages = list(page_records(pdf))
    finally:
        pdf.close()
    messages = []
    for p in pages:
        mark_struck(p)
        messages += find_tick_boxes(p)
    assert not messages
    boxes = [g for p in pages for g in ticks(p)]
    assert all(g.tick_encoding == "glyph" for g in boxes)
    eight = pages[7]
    struck = [struck_text(line).strip() for line in lines(eight) if any(g.struck for g in line)]
    assert struck[:3] == ["1 x", "30 mins on", "Fridays"]  # "1 x 30 mins on Fridays", withdrawn provision


def test_two_tables_a_gap_apart_stay_two_when_their_borders_are_a_hair_out_of_line():
    # A scan's left border reads at x 42.6 below the gap and 42.8 above it: sorted by x,
    # the lower piece came first and the upper one was joined across the gap.
    from msp_convert.parsers.pdf.grid import find_tables

    def h(y: float) -> Segment:
        return Segment(42.5, y - 0.2, 553.3, y + 0.2, 0.4)

    def v(x: float, top: float, bottom: float) -> Segment:
        return Segment(x - 0.2, top, x + 0.2, bottom, 0.4)

    segments = [h(42.7), h(204.7), h(216.7), h(735.3),
                v(42.8, 42.5, 204.8), v(553.1, 42.5, 204.8), v(42.6, 216.4, 735.5), v(553.1, 216.4, 735.5)]
    tables = find_tables(segments, [])
    assert [(round(t.top), round(t.bottom)) for t in tables] == [(43, 205), (217, 735)]
