"""Who the plan is about and the plan's dates, from cover lines, cover tables, page headers and footers."""

from __future__ import annotations

import datetime as dt

import pytest

from msp_convert.layout import Cell, Document, Paragraph, Row, Run, Table
from msp_convert.mapping import map_document
from msp_convert.mapping.draft import Draft
from msp_convert.mapping.front import page_margins, read_child
from msp_convert.model import Plan, Source

SOURCE = Source(filename="t.docx", format="docx", sha256="0" * 64)
JAN_9 = dt.date(2008, 1, 9)


def read_lines(*lines: str, where: str = "cover") -> tuple[Plan, list[bool]]:
    draft = Draft(SOURCE)
    found = [read_child(line, draft.plan, draft, where) for line in lines]
    return draft.plan, found


def child(plan: Plan) -> dict:
    return plan.child.model_dump(exclude_none=True)


@pytest.mark.parametrize(
    "line, want",
    [
        ("DOB: 09/01/2008  Year: 9", {"date_of_birth": JAN_9, "year_group": "9"}),
        ("Name: Kai Dobson   D.O.B. 09/01/2008", {"name": "Kai Dobson", "date_of_birth": JAN_9}),
        ("Name: Kai Dobson D.O.B. 09/01/2008", {"name": "Kai Dobson", "date_of_birth": JAN_9}),
        ("Name: Kai Dobson (DOB: 09/01/2008)", {"name": "Kai Dobson", "date_of_birth": JAN_9}),
        ("Name: Daniel Okoro DOB: 21/07/2006", {"name": "Daniel Okoro", "date_of_birth": dt.date(2006, 7, 21)}),
        ("Name\tKai Dobson\tDOB\t09/01/2008\tYear\t9", {"name": "Kai Dobson", "date_of_birth": JAN_9, "year_group": "9"}),
        ("UPN A123456789012   Year group: Year 9", {"upn": "A123456789012", "year_group": "Year 9"}),
        ("Name: Kai Dobson   Year 9", {"name": "Kai Dobson", "year_group": "Year 9"}),
        ("NCY: 9", {"year_group": "9"}),
        ("First name: Kai   Last name: Dobson   Known as: KD", {"name": "Kai Dobson", "known_as": "KD"}),
        ("I like to be known as: Kai", {"known_as": "Kai"}),
        ("Preferred name: Kai", {"known_as": "Kai"}),
        ("Name of setting: Castlefield Academy", {"setting": "Castlefield Academy"}),
        ("Child/Young Person's Name: Kai Dobson (known as KD)", {"name": "Kai Dobson", "known_as": "KD"}),
        ("Pupil name: Kai Dobson", {"name": "Kai Dobson"}),
        ("Setting: St Aidan's C of E Primary School    Year group: Year 2",
         {"setting": "St Aidan's C of E Primary School", "year_group": "Year 2"}),
    ],
)
def test_several_labels_on_one_line(line: str, want: dict) -> None:
    plan, found = read_lines(line)
    assert found == [True] and child(plan) == want and plan.unmapped == []


def test_first_name_and_surname_given_apart_in_either_order() -> None:
    plan, _ = read_lines("First name: Kai", "Date of birth: 09/01/2008", "Surname: Dobson")
    assert child(plan) == {"name": "Kai Dobson", "date_of_birth": JAN_9}
    plan, _ = read_lines("Family name: Dobson", "Forename(s): Kai")
    assert child(plan) == {"name": "Kai Dobson"}


def test_the_plan_dates() -> None:
    plan, found = read_lines(
        "Date of this plan: 12/03/2019   Date this plan will be reviewed by: 12/09/2019",
        "Date of initial plan: 1st May 2018",
    )
    assert found == [True, True]
    assert plan.plan_dates.model_dump() == {
        "this_plan": dt.date(2019, 3, 12), "review_by": dt.date(2019, 9, 12), "initial_plan": dt.date(2018, 5, 1),
    }
    plan, _ = read_lines("Plan date: 4.7.19   To be reviewed by: 4.1.20")
    assert (plan.plan_dates.this_plan, plan.plan_dates.review_by) == (dt.date(2019, 7, 4), dt.date(2020, 1, 4))


def test_an_unreadable_date_is_kept_as_written_and_flagged() -> None:
    plan, _ = read_lines("DOB 31/02/2008   Year: 9", "Review date: Summer term")
    assert child(plan) == {"year_group": "9"} and plan.plan_dates.review_by is None
    assert [(u.where, u.text) for u in plan.unmapped] == [("cover", "DOB 31/02/2008"), ("cover", "Review date: Summer term")]
    assert [w.code for w in plan.warnings] == ["unreadable-date", "unmapped-text", "unmapped-text"]


def test_a_label_the_model_has_no_field_for_ends_the_value_before_it() -> None:
    plan, _ = read_lines("Name: Kai Dobson   Class: 9B   DOB: 09/01/2008   Key worker: Mrs Shah")
    assert child(plan) == {"name": "Kai Dobson", "date_of_birth": JAN_9}
    assert [u.text for u in plan.unmapped] == ["Class: 9B", "Key worker: Mrs Shah"]


def test_text_before_the_labels_and_a_second_child_are_kept_in_unmapped() -> None:
    plan, _ = read_lines("Riverside Primary School\tName: Kai Dobson", "Name: Amira Hassan")
    assert child(plan) == {"name": "Kai Dobson"}
    assert [u.text for u in plan.unmapped] == ["Riverside Primary School", "Name: Amira Hassan"]


@pytest.mark.parametrize(
    "line",
    [
        "Year 4 will visit the Museum of Science on Friday 5 April 2019.",
        "Update from school: he has settled well",
        "Kai's dob is not known",
        "Mum's name is on the contact sheet",
        "Riverside Primary School",
    ],
)
def test_no_labels_inside_sentences(line: str) -> None:
    plan, found = read_lines(line)
    assert found == [False] and child(plan) == {} and plan.unmapped == []


def p(text: str) -> Paragraph:
    return Paragraph([Run(text)])


def row(*cells: str) -> Row:
    return Row([Cell([p(c)]) for c in cells])


def test_page_headers_and_footers() -> None:
    draft = Draft(SOURCE)
    headers = [
        p("My Support Plan"),
        p("Name: Kai Dobson   D.O.B. 09/01/2008"),
        Table(rows=[row("Year", "9"), row("UPN", "A123456789012")], columns=2),
        p("Name: Kai Dobson   D.O.B. 09/01/2008"),  # the header of page 2
    ]
    footers = [
        p("Page 1 of 4"), p("Date of plan: 12/03/2019   Review date: 12/09/2019"),
        p("Printed from the Riverside records system"), p("Page 2 of 4"),
        p("Printed from the Riverside records system"), p("3"), p("MSP No. 2"),
    ]
    page_margins(headers, footers, draft)
    plan = draft.plan
    assert child(plan) == {"name": "Kai Dobson", "date_of_birth": JAN_9, "year_group": "9", "upn": "A123456789012"}
    assert (plan.plan_dates.this_plan, plan.plan_dates.review_by) == (dt.date(2019, 3, 12), dt.date(2019, 9, 12))
    assert plan.plan_number == 2
    assert [(u.where, u.text) for u in plan.unmapped] == [("page footer", "Printed from the Riverside records system")]


def test_a_header_wrapped_on_one_page_reads_as_one_line() -> None:
    draft = Draft(SOURCE)
    page_margins([p("Name: Oliver Bennett    UPN: "), p("H820200418007")], [], draft)
    assert child(draft.plan) == {"name": "Oliver Bennett", "upn": "H820200418007"} and draft.plan.unmapped == []


def test_identity_through_the_mapping() -> None:
    cover = Table(rows=[row("First name", "Kai"), row("Surname", "Dobson"), row("Known as", "KD"),
                        row("DOB", "09/01/2008", "Year", "9")], columns=4)
    body = [p("My Support Plan 2"), cover, p("Introduction to My Support Plan"), p("Section 1: About me"),
            Table(rows=[Row([Cell([p("What people like and admire about me"), p("Kind to others")])])], columns=1)]
    footers = [p("Date of this plan: 12/03/2019"), p("Kai Dobson - Riverside Primary School")]
    plan = map_document(Document(body=body, footers=footers), SOURCE).value
    assert child(plan) == {"name": "Kai Dobson", "known_as": "KD", "date_of_birth": JAN_9, "year_group": "9"}
    assert plan.plan_dates.this_plan == dt.date(2019, 3, 12) and plan.plan_number == 2
    assert [(u.where, u.text) for u in plan.unmapped] == [("page footer", "Kai Dobson - Riverside Primary School")]


def test_two_digit_years_of_birth_in_the_last_century() -> None:
    plan, _ = read_lines("Name: Kai Dobson   DOB: 3/4/98   Date of plan: 4.7.19")
    assert (plan.child.date_of_birth, plan.plan_dates.this_plan) == (dt.date(1998, 4, 3), dt.date(2019, 7, 4))
