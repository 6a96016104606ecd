"""Header rows of the form's grids: each table's rows read once, and let go of with the read."""

from __future__ import annotations

from pathlib import Path

from msp_convert.layout import Cell, Paragraph, Row, Run, Table
from msp_convert.mapping import grids
from msp_convert.template import DEFAULT_PROFILE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
COLUMNS = DEFAULT_PROFILE.provision_columns


def _row(*texts: str) -> Row:
    return Row([Cell([Paragraph([Run(t)])], col=i) for i, t in enumerate(texts)])


HEADER = ("No. of outcome", "Steps", "Short term targets", "Who will do it?")


def test_a_table_s_rows_are_read_once_for_each_set_of_columns(monkeypatch) -> None:
    row = _row(*HEADER)
    table = Table([row], columns=4)
    read = []
    real = grids._header_cells
    monkeypatch.setattr(grids, "_header_cells", lambda *a: read.append(a) or real(*a))
    for _ in range(3):  # the classifier, the landmarks, the grid's reader
        assert grids.header_columns(row, COLUMNS, 3, table) == {0: "outcome_number", 1: "steps", 2: "targets", 3: "who"}
    assert len(read) == 1
    grids.header_columns(row, DEFAULT_PROFILE.review_progress_columns, 2, table)
    assert len(read) == 2


def test_the_readings_go_with_their_table_and_with_the_read() -> None:
    from msp_convert.mapping import landmarks
    from msp_convert.reader import read

    one, other = Table([_row(*HEADER)], columns=4), Table([_row(*HEADER)], columns=4)
    grids.header_columns(one.rows[0], COLUMNS, 3, one)
    grids.header_columns(other.rows[0], COLUMNS, 3, other)
    assert all(key[0] != id(one.rows[0]) for key in grids._HEADS.memo)  # one table's at a time
    landmarks.forget()
    assert not vars(grids._HEADS)
    data = (FIXTURES / "plans" / "04-ks2-autism.docx").read_bytes()
    assert read(data=data, filename="plan.docx").provision
    assert not vars(grids._HEADS)  # an idle batch thread holds no table of the plan it read


def test_a_header_squashed_past_a_long_run_of_borders_is_still_found() -> None:
    """A cell whose wording comes after more than the squashed window of a scan's borders ("|")."""
    border = "| " * grids.SQUASH_WINDOW
    row = _row(border + "No.ofout come", border + "Ste ps", border + "Shortterm targets")
    assert grids.header_columns(row, COLUMNS, 3) == {0: "outcome_number", 1: "steps", 2: "targets"}
    long_text = ("Shortterm targets " + "and what was written after them " * 20, "x" * 300 + "Steps")
    assert grids.header_columns(_row("No. of outcome", *long_text), COLUMNS, 3) is None
    assert grids.header_columns(_row("No. of outcome", "Steps", long_text[0]), COLUMNS, 3) is not None


def test_a_line_that_cannot_hold_ticks_is_told_without_reading_it() -> None:
    """``may_hold_ticks`` says False only of lines ``read_ticks`` finds nothing in."""
    from msp_convert.mapping.ticks import may_hold_ticks, read_ticks

    options = next(s.ticks for s in DEFAULT_PROFILE.sections if s.ticks)
    label = options[0].labels[0]
    lines = ["I like trains and drawing", label, f"{label}: yes", "[x] " + label, "X " + label, "( )", "no", "Written with help from Mrs Lewis", "the end."]
    for text in lines:
        reading = read_ticks([Run(text)], options)
        found = reading.states or reading.loose_boxes or reading.loose_labels or reading.helper
        assert may_hold_ticks(text, options) or not found, text
    assert not may_hold_ticks(lines[0], options) and all(may_hold_ticks(t, options) for t in lines[1:-1])
