"""One sort of a page's glyphs shared by the steps (pages._by_middle, Rows sorted by a key).

Each short cut against the way it replaces, on made-up pages: the same cells,
body, lines and answers, and the same work counted (``limits.page_work``).
"""

from __future__ import annotations

import random

from msp_convert.parsers.pdf.grid import find_tables
from msp_convert.parsers.pdf.index import TALL, Rows
from msp_convert.parsers.pdf.limits import page_work
from msp_convert.parsers.pdf.pages import _by_middle, _placed_glyphs
from msp_convert.parsers.pdf.reading import make_lines
from msp_convert.parsers.pdf.records import Glyph, Segment


def _grid(xs: list[float], ys: list[float]) -> list[Segment]:
    """The rules of a table whose column lines are ``xs`` and row lines ``ys``."""
    across = [Segment(xs[0], y, xs[-1], y, 0.5) for y in ys]
    down = [Segment(x, ys[0], x, ys[-1], 0.5) for x in xs]
    return across + down


def _glyphs(rnd: random.Random, n: int) -> list[Glyph]:
    """Glyphs anywhere on the page, some on one height (ties of the sort), some tall (a field's box)."""
    out = []
    for k in range(n):
        x, top = rnd.uniform(0, 600), rnd.choice([rnd.uniform(0, 800), 100.0, 305.0])
        h = rnd.choice([8.0, 10.0, 12.0, 30.0])
        out.append(Glyph(rnd.choice("ab "), x, x + rnd.uniform(2, 8), top, top + h, 10.0, is_tick=k % 17 == 0))
    return out


def _page_tables():
    """Two tables side by side, one with a table nested in a cell (read through ``_Locator.cell``)."""
    segments = _grid([50, 150, 250], [80, 200, 320, 400]) + _grid([300, 450, 560], [90, 300, 500])
    segments += _grid([310, 380, 440], [120, 200, 280])  # inside the cell (300..450, 90..300)
    return find_tables(segments, [])


def test_glyphs_sorted_once_are_placed_and_lined_as_the_glyphs_as_given():
    rnd = random.Random(3)
    tables = _page_tables()
    assert len(tables) == 2 and any(cell.nested for t in tables for cell in t.cells)
    glyphs = _glyphs(rnd, 600)
    ordered, middles = _by_middle(glyphs)
    assert middles is not None
    with page_work(1) as before:
        cells, body = _placed_glyphs(glyphs, tables)
    with page_work(1) as after:
        sorted_cells, sorted_body = _placed_glyphs(ordered, tables, middles)
    assert before.done == after.done
    assert sorted_cells.keys() == cells.keys() and len(cells) > 4 and body
    for key, given in [*cells.items(), (None, body)]:
        mine = sorted_body if key is None else sorted_cells[key]
        assert mine == sorted(given, key=lambda g: (g.top + g.bottom) / 2)  # the sort is stable
        assert _lines(make_lines(mine, True)) == _lines(make_lines(given))


def _lines(lines):
    return [([id(g) for g in line.glyphs], line.top, line.bottom, line.x0, line.x1) for line in lines]


def test_a_middle_not_a_number_leaves_the_glyphs_as_given():
    glyphs = [Glyph("a", 0, 5, 10, 20, 10), Glyph("b", 0, 5, float("nan"), 20, 10)]
    assert _by_middle(glyphs) == (glyphs, None)


def test_rows_sorted_by_a_key_answer_and_count_as_rows_given_the_tops():
    rnd = random.Random(5)
    for tall in (False, True):
        items = [(rnd.choice([rnd.uniform(0, 800), 400.0]), n) for n in range(300)]
        heights = [rnd.uniform(0, 20) for _ in items]
        if tall:
            heights[7] = TALL + 1
        given, keyed = Rows(items, [i[0] for i in items], heights), Rows(items, None, heights, lambda i: i[0])
        for y in [rnd.uniform(-10, 810) for _ in range(50)] + [400.0]:
            with page_work(1) as first:
                a = given.across(y, y + 0.01)
            with page_work(1) as second:
                b = keyed.across(y, y + 0.01)
            assert a == b and first.done == second.done
