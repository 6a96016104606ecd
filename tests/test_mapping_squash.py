"""A grid's header read as OCR squashes it: a cell whose first letters start no column's wording is
turned away by them alone, with the same answer as squashing the cell's whole window."""

from __future__ import annotations

import pytest

from msp_convert.layout import Paragraph, Run
from msp_convert.mapping import grids
from msp_convert.template import DEFAULT_PROFILE

COLUMN_SETS = [DEFAULT_PROFILE.provision_columns, DEFAULT_PROFILE.review_progress_columns]


def _cells() -> list[list[Paragraph]]:
    """Header wordings as a PDF's narrow cells break them, and written text of every length."""
    texts = [w for columns in COLUMN_SETS for c in columns for w in c.wordings]
    broken = [t[: len(t) // 2] + " " + t[len(t) // 2:] for t in texts] + [t.upper().replace(" ", "") for t in texts]
    written = ["Ok", "Who", "1", ""] + ["Weekly sessions with the speech therapist " * n for n in (1, 3, 9)]
    cells = [[Paragraph(inlines=[Run(text=t)])] for t in texts + broken + written]
    cells += [[Paragraph(inlines=[Run(text=part)]) for part in t.split(" ", 1)] for t in broken if " " in t]
    return cells


def _whole_window(paragraphs: list[Paragraph], wording) -> object:  # type: ignore[no-untyped-def]
    """The answer from the cell's whole squashed window (as before the peek)."""
    by_start, longest = wording
    text = "\n".join(p.text for p in paragraphs)
    squashed = grids._squashed(text[: grids.SQUASH_WINDOW])
    if len(squashed) < longest and len(text) > grids.SQUASH_WINDOW:
        squashed = grids._squashed(text)
    return next((item for w, item in by_start.get(squashed[: grids.SQUASHED_LEAST], ()) if squashed.startswith(w)), None)


@pytest.mark.parametrize("columns", COLUMN_SETS, ids=["provision", "review"])
def test_peek_gives_the_whole_windows_answer(columns) -> None:  # type: ignore[no-untyped-def]
    wording = grids._squashed_wording(columns)
    answers = [grids._squashed_match(cell, wording) for cell in _cells()]
    assert answers == [_whole_window(cell, wording) for cell in _cells()]
    assert any(a is not None for a in answers)  # some headers are found, not only none


def test_written_cell_is_turned_away_by_its_first_letters(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[int] = []
    squash = grids._squashed
    monkeypatch.setattr(grids, "_squashed", lambda text: seen.append(len(text)) or squash(text))
    cell = [Paragraph(inlines=[Run(text="Weekly sessions with the speech therapist in a small group " * 4)])]
    assert grids._squashed_match(cell, grids._squashed_wording(DEFAULT_PROFILE.provision_columns)) is None
    assert seen and max(seen) < 40  # its first letters, not its whole window
