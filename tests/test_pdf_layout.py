"""Grid, reading order and page joining of the PDF reader, on hand-made records."""

from __future__ import annotations

from msp_convert.layout import Cell, Paragraph, Row, Run, Table
from msp_convert.parsers.pdf.grid import find_tables
from msp_convert.parsers.pdf.pages import PageBlocks, _Placed, join_pages
from msp_convert.parsers.pdf.reading import make_lines, paragraphs, to_paragraph
from msp_convert.parsers.pdf.records import Box, Glyph, Segment


def h(y: float, x0: float, x1: float) -> Segment:
    return Segment(x0, y, x1, y, 0.5)


def v(x: float, y0: float, y1: float) -> Segment:
    return Segment(x, y0, x, y1, 0.5)


def test_grid_with_a_merged_cell_a_shaded_cell_and_an_underline() -> None:
    # 3 columns x 2 rows; the first row's last two cells are one (no rule at x=200 in row 0).
    segments = [h(0, 0, 300), h(20, 0, 300), h(40, 0, 300), v(0, 0, 40), v(100, 0, 40), v(200, 20, 40), v(300, 0, 40)]
    segments.append(h(15, 110, 150))  # an underline under text: meets no rule
    boxes = [Box(0, 0, 100, 20, filled=True, stroked=False, fill=(0.85, 0.88, 0.95))]
    [table] = find_tables(segments, boxes)
    assert [(c.row, c.col, c.row_span, c.col_span) for c in table.cells] == [(0, 0, 1, 1), (0, 1, 1, 2), (1, 0, 1, 1), (1, 1, 1, 1), (1, 2, 1, 1)]
    assert [c.shaded for c in table.cells] == [True, False, False, False, False]
    assert len(table.ys) == 3  # the underline made no row


def test_a_table_inside_a_cell_is_nested() -> None:
    outer = [h(0, 0, 300), h(100, 0, 300), v(0, 0, 100), v(300, 0, 100)]
    inner = [h(20, 20, 120), h(40, 20, 120), h(60, 20, 120), v(20, 20, 60), v(70, 20, 60), v(120, 20, 60)]
    [table] = find_tables(outer + inner, [])
    [cell] = table.cells
    [nested] = cell.nested
    assert (len(nested.xs), len(nested.ys)) == (3, 3)


def glyphs(text: str, x: float, top: float, size: float = 10.0, width: float = 5.0) -> list[Glyph]:
    return [Glyph(ch, x + i * width, x + (i + 1) * width, top, top + size, size) for i, ch in enumerate(text)]


def texts(lines, right: float, spaced: bool) -> list[str]:
    return [to_paragraph(group, "p").text for group in paragraphs(lines, 0, right, spaced)]


def test_wraps_and_paragraph_ends_when_the_wrap_space_is_kept() -> None:
    lines = make_lines(
        glyphs("Lexia for ", 0, 0) + glyphs("twenty minutes", 0, 11)  # wrapped: the space was kept
        + glyphs("Toe by Toe", 0, 22)  # no space, short of the edge: a new paragraph
        + glyphs("Precision teaching", 0, 33) + glyphs("sessions", 0, 44)  # filled to the edge (90): wrapped
    )
    assert texts(lines, right=90, spaced=True) == ["Lexia for twenty minutes", "Toe by Toe", "Precision teaching sessions"]


def test_words_decide_without_wrap_spaces() -> None:
    lines = make_lines(
        glyphs("Speech therapy with the", 0, 0) + glyphs("NHS team", 0, 11)  # ends in "the": runs on
        + glyphs("Weekly sessions", 0, 22) + glyphs("Termly review", 0, 33)  # next word would have fitted
    )
    assert texts(lines, right=120, spaced=False) == ["Speech therapy with the NHS team", "Weekly sessions", "Termly review"]


def test_a_word_broken_at_a_narrow_edge_is_joined() -> None:
    lines = make_lines(glyphs("Educatio", 0, 0) + glyphs("n", 0, 11))
    assert texts(lines, right=41, spaced=True) == ["Education"]


def _words(lines, right: float, spaced: bool, words=(), left: float = 0) -> list[str]:
    return [to_paragraph(group, "p").text for group in paragraphs(lines, left, right, spaced, words)]


def test_a_longer_tail_is_joined_when_the_word_is_written_elsewhere_on_the_page() -> None:
    # "Educ" fills the line (10 pt glyphs 5 wide: no room for "a"), "ation" is its tail
    # only if the page writes "education" somewhere; otherwise two pieces stay apart.
    lines = make_lines(glyphs("Educ", 0, 0) + glyphs("ation", 0, 11))
    assert _words(lines, right=20, spaced=True, words={"education", "health"}) == ["Education"]
    lines = make_lines(glyphs("Educ", 0, 0) + glyphs("ation", 0, 11))
    assert _words(lines, right=20, spaced=True, words={"health"}) == ["Educ ation"]


def test_a_tail_after_room_for_a_space_is_a_broken_word_when_wrap_spaces_are_drawn() -> None:
    # 4 pt left after "assessm": a space (2.8 pt) would have fitted and been drawn, so
    # the line did not wrap at a space: the word was broken ("e" is 5 wide, did not fit).
    lines = make_lines(glyphs("assessm", 0, 0) + glyphs("ents", 0, 11))
    assert _words(lines, right=39, spaced=True) == ["assessments"]
    # Without drawn wrap spaces the room says nothing, and the words are not known.
    lines = make_lines(glyphs("assessm", 0, 0) + glyphs("ents", 0, 11))
    assert _words(lines, right=39, spaced=False) != ["assessments"]


def test_two_words_at_a_narrow_edge_are_not_joined_into_one() -> None:
    # A line of several words is never the head of a broken word; nor is one word
    # whose joined form the page does not write.
    lines = make_lines(glyphs("steps to be", 0, 0) + glyphs("measured", 0, 11))
    assert _words(lines, right=56, spaced=True, words={"bemeasured"}) == ["steps to be measured"]
    lines = make_lines(glyphs("Speech", 0, 0) + glyphs("therapy", 0, 11))
    assert _words(lines, right=31, spaced=True, words={"speech", "therapy"}) == ["Speech therapy"]


def test_centred_lines_wrap_by_their_widths() -> None:
    # A narrow centred cell (left 0, right 26): "Socia" / "l" / "Care", drawn with no
    # space at the wraps; "l Care" would not fit the width, so it is one paragraph.
    lines = make_lines(glyphs("Socia", 0.5, 0) + glyphs("l", 10.5, 11) + glyphs("Care", 3, 22))
    assert _words(lines, right=26, spaced=True) == ["Social Care"]
    # Centred lines whose next word would have fitted are separate paragraphs.
    lines = make_lines(glyphs("Yes", 12.5, 0) + glyphs("No", 15, 11))
    assert _words(lines, right=40, spaced=True) == ["Yes", "No"]


def test_a_pdf_line_in_bold_is_marked_bold() -> None:
    def line(text: str, *fonts: str) -> list[Glyph]:
        out = glyphs(text, 0, 0)
        for g, font in zip(out, fonts * len(out)):
            g.font = font
        return out

    bold = "ABCDEF+LiberationSans-Bold"
    assert to_paragraph(make_lines(line("Transition", bold)), "p").bold is True
    assert to_paragraph(make_lines(line("Section 8: Transition", "Arial,Bold")), "p").bold is True  # digits need no bold
    assert to_paragraph(make_lines(line("Next steps", "Arial,B")), "p").bold is True
    assert to_paragraph(make_lines(line("Transition", bold, "ABCDEF+LiberationSans")), "p").bold is False
    assert to_paragraph(make_lines(line("Transition", "Arial")), "p").bold is False
    assert to_paragraph(make_lines(line("1.", bold)), "p").bold is False  # no letter


def _page(number: int, *placed: _Placed) -> PageBlocks:
    return PageBlocks(number, 800.0, blocks=list(placed))


def _table(*rows: list[str]) -> Table:
    # An empty cell holds no paragraph, as on a real page.
    return Table([Row([Cell([Paragraph([Run(t)])] if t else [], col=i) for i, t in enumerate(r)]) for r in rows], columns=len(rows[0]))


def test_a_table_over_a_page_break_is_one_table() -> None:
    from msp_convert.parsers.pdf.grid import GridTable

    grid = GridTable([0.0, 50.0, 300.0], [0.0], [])
    first = _table(["No.", "Steps"], ["1", "Read CVC "])  # the cell's text runs on ("CVC " keeps its space)
    second = _table(["No.", "Steps"], ["", "words"], ["2", "Spell 10 words"])  # header repeated, then the rest of row 1
    body, _, _ = join_pages([
        _page(1, _Placed(500, 780, first, grid)),
        _page(2, _Placed(40, 200, second, grid)),
    ])
    [table] = body
    assert [[c.text for c in row.cells] for row in table.rows] == [["No.", "Steps"], ["1", "Read CVC words"], ["2", "Spell 10 words"]]


def test_repeated_header_lines_are_the_page_header() -> None:
    def page(number: int) -> PageBlocks:
        [header] = make_lines(glyphs(f"Name: Ava Reid   Page {number}", 50, 20))
        content = Paragraph([Run(f"content {number}")])
        return PageBlocks(number, 800.0, blocks=[_Placed(100, 110, content)], top_lines=[(to_paragraph([header], "").text, header)])

    body, headers, _ = join_pages([page(1), page(2)])
    assert [p.text for p in body] == ["content 1", "content 2"]
    assert [p.text for p in headers] == ["Name: Ava Reid   Page 1"]


def _cells(*cells: tuple[str, int, int]) -> Row:
    """A row of (text, col, col_span) cells; an empty cell holds no paragraph."""
    return Row([Cell([Paragraph([Run(t)])] if t else [], col=c, col_span=n) for t, c, n in cells])


def test_a_table_whose_inner_columns_change_at_a_page_break_is_one_table() -> None:
    from msp_convert.parsers.pdf.grid import GridTable

    # Page 1: "My Outcomes | Education | Health | Social Care"; page 2 splits the first
    # column ("Outcome 1" | its statement), and the cut row's text runs on ("and " kept its space).
    first = Table([_cells(("My Outcomes are set out in Section 2 and ", 0, 1), ("Education", 1, 1), ("Health", 2, 1), ("Social Care", 3, 1))], columns=4)
    second = Table([
        _cells(("4 of my plan", 0, 2), ("", 2, 1), ("", 3, 1), ("", 4, 1)),
        _cells(("Outcome 1", 0, 1), ("Read CVC words", 1, 1), ("☒", 2, 1), ("☐", 3, 1), ("☐", 4, 1)),
    ], columns=5)
    body, _, _ = join_pages([
        _page(1, _Placed(500, 780, first, GridTable([0.0, 150.0, 200.0, 250.0, 300.0], [0.0], []))),
        _page(2, _Placed(40, 200, second, GridTable([0.0, 60.0, 150.5, 200.0, 249.0, 300.0], [0.0], []))),
    ])
    [table] = body
    assert isinstance(table, Table) and table.columns == 5
    assert [[(c.text, c.col, c.col_span) for c in row.cells] for row in table.rows] == [
        [("My Outcomes are set out in Section 2 and 4 of my plan", 0, 2), ("Education", 2, 1), ("Health", 3, 1), ("Social Care", 4, 1)],
        [("Outcome 1", 0, 1), ("Read CVC words", 1, 1), ("☒", 2, 1), ("☐", 3, 1), ("☐", 4, 1)],
    ]


def test_other_inner_columns_at_the_head_of_the_next_page_are_another_table_without_a_cut_row() -> None:
    from msp_convert.parsers.pdf.grid import GridTable

    first = Table([_cells(("Section 4: My social care needs", 0, 1))], columns=1)
    second = Table([_cells(("Outcome", 0, 1), ("Education", 1, 1))], columns=2)
    body, _, _ = join_pages([
        _page(1, _Placed(500, 780, first, GridTable([0.0, 300.0], [0.0], []))),
        _page(2, _Placed(40, 200, second, GridTable([0.0, 150.0, 300.0], [0.0], []))),
    ])
    assert [t.columns for t in body if isinstance(t, Table)] == [1, 2]


def test_a_row_is_not_cut_by_the_break_when_its_table_ends_above_the_foot_of_the_page() -> None:
    from msp_convert.parsers.pdf.grid import GridTable

    # Page 2's table ends 180 pt above the foot the other pages' tables reach (780): the
    # next page's table follows it, and its "d) my parents/carers views" row starts a row
    # of its own, though it starts in lower case.
    grid, other = GridTable([0.0, 300.0], [0.0], []), GridTable([10.0, 290.0], [0.0], [])
    family = Table([_cells(("Grandma collects from school on Wednesdays and passes on messages", 0, 1))], columns=1)
    views = Table([_cells(("d) my parents/carers views", 0, 1)), _cells(("Written by: ☒ My parent", 0, 1))], columns=1)
    body, _, _ = join_pages([
        _page(1, _Placed(40, 780, _table(["About me"]), other)),
        _page(2, _Placed(40, 600, family, grid)),
        _page(3, _Placed(40, 200, views, grid), _Placed(300, 780, _table(["Section 2"]), other)),
    ])
    joined = body[1]
    assert isinstance(joined, Table)
    assert [row.cells[0].text for row in joined.rows] == [
        "Grandma collects from school on Wednesdays and passes on messages", "d) my parents/carers views", "Written by: ☒ My parent",
    ]


def test_a_heading_wrapped_at_the_top_of_a_page_is_one_paragraph() -> None:
    from msp_convert.parsers.pdf.pages import page_blocks
    from msp_convert.parsers.pdf.records import PageRecord

    # The first line lies in the header band; it is no page header (it does not repeat),
    # so it is read with the line it wraps onto.
    one = PageRecord(1, 612.0, 792.0, glyphs("Section 3: My health needs which relate to my special ", 90, 71) + glyphs("educational needs", 90, 84.6)
                     + glyphs("Izzy carries an adrenaline pen.", 90, 109))
    two = PageRecord(2, 612.0, 792.0, glyphs("Section 4: My social care needs", 90, 71))
    body, headers, _ = join_pages([page_blocks(one, []), page_blocks(two, [])])
    assert headers == []
    assert [b.text for b in body] == [
        "Section 3: My health needs which relate to my special educational needs", "Izzy carries an adrenaline pen.", "Section 4: My social care needs",
    ]


def test_a_text_box_frame_drawn_as_a_rounded_rectangle_reads_as_a_one_cell_table() -> None:
    from msp_convert.parsers.pdf.source import _frame

    # A Word text box as LibreOffice draws it: straight sides, curved corners (top-based points).
    frame = [(90, 125), (93, 114), (100, 107), (111, 104), (310, 104), (320, 107), (328, 115), (331, 125),
             (331, 210), (328, 221), (320, 229), (310, 231), (111, 232), (100, 229), (93, 221), (90, 210), (90, 125)]
    assert _frame(frame, 90, 104, 331, 232)
    assert not _frame([(0, 0), (5, 8), (12, 0)], 0, 0, 12, 8)  # a drawn tick: small
    assert not _frame([(0, 0), (150, 100), (300, 0), (150, 50)], 0, 0, 300, 100)  # a big zigzag: points far from the edges
