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
