"""Ticks typed as text: "[x]", "[ ]", "(x)", "( )", "[✓]" beside a label, "Yes"/"No"/"Y"/"N" after one; no false ticks."""

from __future__ import annotations

import pytest

from msp_convert.layout import Cell, Document, Paragraph, Row, Run, Table
from msp_convert.mapping import map_document
from msp_convert.mapping.ticks import read_ticks, typed_ticks
from msp_convert.model import Plan, Source
from msp_convert.template import DEFAULT_PROFILE

OTHER_PLANS = DEFAULT_PROFILE.section("introduction").ticks
WRITTEN_BY = DEFAULT_PROFILE.section("story").ticks
PROFILE_BY = DEFAULT_PROFILE.section("profile").ticks


def states(text: str, options=OTHER_PLANS) -> dict[str, bool | None]:
    return read_ticks([Run(text)], options).states


@pytest.mark.parametrize(
    "text, want",
    [
        ("[x] Child in Need Plan", {"child_in_need": True}),
        ("[X] Child in Need Plan", {"child_in_need": True}),
        ("Child in Need Plan [x]", {"child_in_need": True}),
        ("[ ] Child Protection Plan", {"child_protection": False}),
        ("(x) Personal Education Plan (PEP)", {"personal_education_plan": True}),
        ("Personal Education Plan (PEP) ( )", {"personal_education_plan": False}),
        ("[\u2713] TAF Plan   [ ] CP Plan", {"team_around_the_family": True, "child_protection": False}),
        ("Child in Need Plan: [ ]   Health Care Plan: [X]", {"child_in_need": False, "health_care_plan": True}),
        ("Child in Need Plan: No", {"child_in_need": False}),
        ("Health Care Plan  Yes", {"health_care_plan": True}),
        ("Looked After Child Care Plan - Y", {"looked_after_child_care_plan": True}),
        ("Child in Need Plan: No   Health Care Plan: Y", {"child_in_need": False, "health_care_plan": True}),
    ],
)
def test_typed_boxes_and_answers_read_as_boxes(text: str, want: dict[str, bool]) -> None:
    assert states(text) == want


def test_written_by_typed_both_ways_round() -> None:
    assert states("[x] My parent [ ] My carer", WRITTEN_BY) == {"parent": True, "carer": False}
    assert states("My parent [ ] My carer [x]", WRITTEN_BY) == {"parent": False, "carer": True}
    reading = read_ticks([Run("[x] Me with help from Mrs Begum (TA)")], PROFILE_BY)
    assert reading.states == {"me_with_help": True} and reading.helper == "Mrs Begum (TA)"


@pytest.mark.parametrize(
    "text, options",
    [
        ("No one helped me write this", PROFILE_BY),
        ("My parent said no to the trip", WRITTEN_BY),
        ("Child in Need Plan: No, closed in 2018", OTHER_PLANS),
        ("Yes we talked about the Health Care Plan", OTHER_PLANS),
    ],
)
def test_sentences_are_not_ticks(text: str, options) -> None:
    reading = read_ticks([Run(text)], options)
    assert (reading.states, reading.loose_labels, reading.loose_boxes) == ({}, [], [])


def test_a_bare_answer_or_box_is_a_box_for_the_label_in_the_next_cell() -> None:
    assert read_ticks([Run("No")], OTHER_PLANS).loose_boxes == [False]
    assert read_ticks([Run("[x]")], OTHER_PLANS).loose_boxes == [True]
    assert read_ticks([Run("Child in Need Plan")], OTHER_PLANS).loose_labels == ["child_in_need"]


def test_typed_ticks_says_when_a_line_holds_a_typed_box() -> None:
    assert typed_ticks("written by: [x] Me") and typed_ticks("Me ( )")
    assert not typed_ticks("Personal Education Plan (PEP)") and not typed_ticks("Me (with help)")


def p(text: str) -> Paragraph:
    return Paragraph([Run(text)])


def read(*paras: str) -> Plan:
    body = [p("Introduction to My Support Plan")] + [p(t) for t in paras] + [
        p("Section 1: About me"),
        Table(rows=[Row([Cell([p("What people like and admire about me"), p("Kind to others")])])], columns=1),
    ]
    return map_document(Document(body=body), Source(filename="t.docx", format="docx", sha256="0" * 64)).value


def test_other_plans_typed_as_a_google_docs_export_writes_them() -> None:
    plan = read(
        "I might already have other plans in place such as (please tick as appropriate):-",
        "[ ] Team around the Family (TAF) Plan",
        "[x] Child in Need Plan",
        "Child Protection Plan: No",
        "Health Care Plan  Yes",
    )
    got = plan.other_plans.model_dump()
    assert got == {
        "team_around_the_family": False, "child_in_need": True, "child_protection": False,
        "personal_education_plan": None, "looked_after_child_care_plan": None, "health_care_plan": True,
    }
    assert plan.unmapped == []


def test_written_by_typed_under_its_prompt() -> None:
    story = Table(rows=[
        Row([Cell([p("b) My story")])]),
        Row([Cell([p("My story has been written by:"), p("[x] My parent   [ ] My carer")])]),
        Row([Cell([p("Growing up"), p("Born in Leeds, moved to Huddersfield aged four")])]),
    ], columns=1)
    body = [p("Introduction to My Support Plan"), p("Section 1: About me"), story]
    plan = map_document(Document(body=body), Source(filename="t.docx", format="docx", sha256="0" * 64)).value
    assert (plan.story.written_by.parent, plan.story.written_by.carer) == (True, False)
    assert [e.text for e in plan.story.growing_up] == ["Born in Leeds, moved to Huddersfield aged four"]
