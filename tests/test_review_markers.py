"""Review markers ("R1 12/03/2019:", "[R1 10/06/19]", "(R2)") at either end of an entry, and none inside a sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from msp_convert.layout import Cell, Document, Paragraph, Row, Run, Table
from msp_convert.mapping import map_document
from msp_convert.mapping.entries import make_entry
from msp_convert.model import Source

JUNE_10 = dt.date(2019, 6, 10)


def read(text: str) -> tuple[str, str | None, dt.date | None, bool]:
    written = make_entry([(text, False)])
    assert written is not None
    e = written.entry
    return e.text, e.review, e.review_date, written.bad_date


@pytest.mark.parametrize(
    "text, body, label, date",
    [
        ("[R1 10/06/19] Uses a visual timetable", "Uses a visual timetable", "R1", JUNE_10),
        ("(R1 10/06/19) Uses a visual timetable", "Uses a visual timetable", "R1", JUNE_10),
        ("R1 - 10/06/19 Uses a visual timetable", "Uses a visual timetable", "R1", JUNE_10),
        ("R1 \u2013 10.6.19: Uses a visual timetable", "Uses a visual timetable", "R1", JUNE_10),
        ("R2: Uses a visual timetable", "Uses a visual timetable", "R2", None),
        ("[R3] Uses a visual timetable", "Uses a visual timetable", "R3", None),
        ("Uses a visual timetable [R1 10/06/19]", "Uses a visual timetable", "R1", JUNE_10),
        ("Uses a visual timetable R1 - 10/06/19", "Uses a visual timetable", "R1", JUNE_10),
        ("Uses a visual timetable (R2 4.7.19).", "Uses a visual timetable", "R2", dt.date(2019, 7, 4)),
        ("Uses a visual timetable R2 \u2013 4 July 2019", "Uses a visual timetable", "R2", dt.date(2019, 7, 4)),
        ("Uses a visual timetable [R2]", "Uses a visual timetable", "R2", None),
        ("Sensory circuit R1", "Sensory circuit", "R1", None),
        ("Sessions with the ELSA - R2", "Sessions with the ELSA", "R2", None),
        ("r1 10/06/19: lower-case label", "lower-case label", "R1", JUNE_10),
    ],
)
def test_markers_at_either_end_come_off_the_text(text: str, body: str, label: str, date: dt.date | None) -> None:
    assert read(text) == (body, label, date, False)


@pytest.mark.parametrize(
    "text",
    [
        "Works in room R1 with Mrs Shah",
        "Works in room R1",
        "Small group work in R2",
        "R2D2 club on Fridays",
        "R1 is the quiet room by the hall",
        "Plays with R1 and R2 toys",
        "(R1 is the quiet room) at lunchtime",
        "Uses Room R3.",
        "R4 12/03/2019: there is no fourth review",
    ],
)
def test_no_false_markers(text: str) -> None:
    assert read(text) == (text, None, None, False)


def test_a_marker_with_an_impossible_date_is_taken_off_and_flagged() -> None:
    assert read("Lexia three times a week [R1 31/02/19]") == ("Lexia three times a week", "R1", None, True)


def test_a_line_that_is_only_a_marker_stays_as_written() -> None:
    assert read("[R1 10/06/19]") == ("[R1 10/06/19]", None, None, False)


def test_a_struck_entry_keeps_its_strike_when_the_marker_comes_off() -> None:
    written = make_entry([("[R1 10/06/19] ", False), ("Daily phonics group", True)])
    assert written is not None
    e = written.entry
    assert (e.text, e.withdrawn, e.review, e.review_date) == ("Daily phonics group", True, "R1", JUNE_10)


def _para(text: str) -> Paragraph:
    return Paragraph([Run(text)])


def test_markers_through_the_mapping() -> None:
    # Section 1a's prompt and three answers, as a Google Docs export types them.
    doc = Document(body=[
        _para("Introduction to My Support Plan"),
        _para("Section 1: About me"),
        Table(rows=[
            Row([Cell([_para("What people like and admire about me")])]),
            Row([Cell([
                _para("[R1 10/06/19] Always says good morning to the office staff"),
                _para("Tidies the quiet room R1 without being asked"),
                _para("Helps younger pupils at the breakfast club (R2 4.7.19)"),
            ])]),
        ], columns=1),
    ])
    plan = map_document(doc, Source(filename="m.docx", format="docx", sha256="0" * 64)).value
    assert [(e.text, e.review, e.review_date) for e in plan.profile.liked_and_admired] == [
        ("Always says good morning to the office staff", "R1", JUNE_10),
        ("Tidies the quiet room R1 without being asked", None, None),
        ("Helps younger pupils at the breakfast club", "R2", dt.date(2019, 7, 4)),
    ]
