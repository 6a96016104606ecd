"""The geometry's shared indexes (index.py) and the tick-character pass's short cut (boxes.py).

Each rule on made-up objects: what an index answers, and what it counts
(``limits.page_work``); a page with no symbol font still has its tick
characters found.
"""

from __future__ import annotations

import random

from msp_convert.parsers.pdf.boxes import find_tick_boxes
from msp_convert.parsers.pdf.index import TALL, Buckets, Rows, Spans
from msp_convert.parsers.pdf.limits import page_work
from msp_convert.parsers.pdf.records import Glyph, PageRecord


def _page(glyphs: list[Glyph]) -> PageRecord:
    return PageRecord(number=1, width=612.0, height=792.0, glyphs=glyphs)


def test_a_private_use_tick_in_a_text_font_is_found_on_a_page_of_text_fonts_only():
    # LibreOffice draws a missing Wingdings in another font: the code is kept, the font is not.
    gs = [Glyph("a", 10, 15, 90, 100, 10, "DejaVuSans"), Glyph("\uf0fe", 20, 30, 90, 100, 10, "DejaVuSans")]
    find_tick_boxes(_page(gs))
    assert [(g.is_tick, g.tick) for g in gs] == [(False, None), (True, True)]
    assert gs[1].text == "\u2612"


def test_a_page_without_ticks_is_left_as_it_was():
    gs = [Glyph(ch, 10 * n, 10 * n + 5, 90, 100, 10, "ABCDEF+Arial") for n, ch in enumerate("Plan \u00fe")]
    find_tick_boxes(_page(gs))
    assert not any(g.is_tick for g in gs)
    assert "".join(g.text for g in gs) == "Plan \u00fe"


def test_rows_answer_every_object_reaching_the_strip_and_the_tall_ones_always():
    items = ["a", "b", "c", "tall"]
    tops = [0.0, 20.0, 100.0, 0.0]
    heights = [10.0, 15.0, 5.0, TALL + 1]
    rows = Rows(items, tops, heights)
    assert sorted(rows.across(30.0, 30.0)) == ["b", "tall"]  # b reaches down to 35
    assert sorted(rows.across(50.0, 60.0)) == ["tall"]
    assert sorted(rows.across(0.0, 200.0)) == ["a", "b", "c", "tall"]


def test_rows_reach_down_by_the_tallest_height_given():
    rows = Rows(["a", "b"], [0.0, 50.0], [40.0, 1.0])
    assert rows.across(39.0, 39.0) == ["a"]


def test_an_object_over_many_buckets_is_found_from_each_once_and_each_read_counted():
    wide = (0.0, 0.0, 100.0, 40.0)  # 7 by 3 buckets
    small = (50.0, 20.0, 51.0, 21.0)
    index = Buckets(["wide", "small"], {"wide": wide, "small": small}.__getitem__)
    for x in (1.0, 33.0, 99.0):
        for y in (1.0, 39.0):
            assert index.near(x, y, x + 1.0, y + 1.0)[:1] == ["wide"]
    with page_work(1) as work:
        assert index.near(0.0, 0.0, 100.0, 40.0) == ["wide", "small"]
    assert work.done == 21 + 1 + 1  # the wide object in each of its 21 buckets, the small one, and the question


def test_a_rule_along_one_row_of_buckets_is_read_as_in_each_of_its_buckets():
    # A rule (one row, 7 buckets) kept once by its row: found where it lies, counted per bucket read.
    rule, dot, after = (0.0, 20.0, 100.0, 20.0), (50.0, 20.0, 51.0, 21.0), (40.0, 21.0, 41.0, 22.0)
    index = Buckets(["rule", "dot", "after"], {"rule": rule, "dot": dot, "after": after}.__getitem__)
    with page_work(1) as work:
        assert index.near(45.0, 17.0, 55.0, 18.0) == ["rule", "dot", "after"]  # buckets 2 and 3 of its row
    assert work.done == 2 + 1 + 1 + 1
    with page_work(1) as work:
        assert index.near(99.0, 17.0, 99.5, 18.0) == ["rule"]  # one bucket
        assert index.near(120.0, 17.0, 121.0, 18.0) == []  # past its end
        assert index.near(80.0, 40.0, 200.0, 50.0) == []  # the row below
    assert work.done == (1 + 1) + 1 + 1
    with page_work(1) as work:
        assert index.near(0.0, 0.0, 600.0, 40.0) == ["rule", "dot", "after"]  # wider than the filled buckets
    assert work.done == 7 + 1 + 1 + 1


def test_spans_answer_and_count_as_buckets_do():
    rnd = random.Random(7)
    boxes = []
    for _ in range(60):  # points, rules across and down, cells, and page-sized frames (kept apart as wide)
        x, y = rnd.uniform(-20, 600), rnd.uniform(-20, 800)
        w, h = rnd.choice([(0, 0), (rnd.uniform(0, 300), 0), (0, rnd.uniform(0, 300)), (rnd.uniform(0, 80), rnd.uniform(0, 40)), (500, 700)])
        boxes.append((x, y, x + w, y + h))
    questions = [(x, y, x + rnd.choice([0, 5, 40, 700]), y + rnd.choice([0, 5, 40])) for x, y in
                 ((rnd.uniform(-20, 600), rnd.uniform(-20, 800)) for _ in range(200))]
    for index in (Buckets(range(60), boxes.__getitem__), Spans(range(60), boxes.__getitem__)):
        with page_work(1) as work:
            answers = [index.near(*q) for q in questions]
        assert all({n for n in range(60) if _meets(boxes[n], q)} <= set(a) for q, a in zip(questions, answers))
        if isinstance(index, Buckets):
            expected, done = answers, work.done
    assert answers == expected and work.done == done
    assert any(len(a) > 1 for a in answers) and done > 2 * len(questions)  # something found, more than once


def _meets(box: tuple[float, float, float, float], q: tuple[float, float, float, float]) -> bool:
    return box[0] <= q[2] and q[0] <= box[2] and box[1] <= q[3] and q[1] <= box[3]
