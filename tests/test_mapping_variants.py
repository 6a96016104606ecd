"""The mapping on layouts built by hand: how real plans drift from the template.

These use the neutral layout directly, so they hold for every parser.
"""

from __future__ import annotations

import datetime as dt

import pytest

from msp_convert.errors import NotAPlanError
from msp_convert.layout import Cell, Document, Paragraph, Row, Run, Table, TickBox
from msp_convert.mapping import map_document
from msp_convert.model import Plan, Source

SOURCE = Source(filename="t.docx", format="docx", sha256="0" * 64)


def p(*parts: object) -> Paragraph:
    return Paragraph([Run(x) if isinstance(x, str) else x for x in parts])  # type: ignore[misc]


def box(checked: bool | None) -> TickBox:
    return TickBox(checked, "glyph")


def table(*rows: list[list[Paragraph]], spans: dict[tuple[int, int], int] | None = None) -> Table:
    out = []
    width = 0
    for r, row in enumerate(rows):
        cells, col = [], 0
        for c, paras in enumerate(row):
            span = (spans or {}).get((r, c), 1)
            cells.append(Cell(list(paras), col=col, col_span=span))
            col += span
        width = max(width, col)
        out.append(Row(cells))
    return Table(out, columns=width)


INTRO = [p("Introduction to My Support Plan"), p("Section 1: About me")]  # enough to be a plan


def read(*blocks: object) -> Plan:
    return map_document(Document(body=INTRO + list(blocks)), SOURCE).value  # type: ignore[arg-type]


def test_headings_deleted_prompts_still_place_answers() -> None:
    plan = read(
        table([[p("What people like and admire about me"), p("- Kind to others")]]),
        table([[p("Growing up"), p("Born at 28 weeks")]]),
    )
    assert [e.text for e in plan.profile.liked_and_admired] == ["Kind to others"]
    # "Growing up" is short, so only counts inside its own section: here it is unmapped.
    assert [(u.where, u.text) for u in plan.unmapped] == [("section 1a", "Growing up"), ("section 1a", "Born at 28 weeks")]


def test_answers_in_the_row_below_the_prompt_and_edited_prompts() -> None:
    plan = read(
        table(
            [[p("Section 1: About me"), p("a) my profile")]],
            [[p("What are the things that aren't working so well for me right now")]],
            [[p("Loud dinner hall"), p("Changes to my timetable")]],
            [[p("What would make things better for me")]],
            [[p("Ear defenders")]],
        )
    )
    assert [e.text for e in plan.profile.not_working] == ["Loud dinner hall", "Changes to my timetable"]
    assert [e.text for e in plan.profile.would_make_better] == ["Ear defenders"]
    assert plan.unmapped == []


def test_answer_on_the_prompts_own_line() -> None:
    plan = read(
        table([[p("Section 2: My special educational needs")], [p("Cognition and Learning: reads at a Year 1 level")]])
    )
    assert [e.text for e in plan.needs.cognition_and_learning] == ["reads at a Year 1 level"]


def test_typed_x_and_boxes_after_labels() -> None:
    plan = read(
        table(
            [[p("a) my profile")]],
            [[p("My profile has been written by: X Me ", box(False), " Me with help from\u2026\u2026 ")]],
        ),
        table([[p("b) my story")], [p("My story has been written by: ", box(False), " X My parent ", box(False), " My carer ", box(None), " Me")]]),
        table([[p("c) my family")], [p("Written by: My parent ", box(True), " My carer ", box(False))]]),
    )
    assert (plan.profile.written_by.me, plan.profile.written_by.me_with_help, plan.profile.written_by.helper) == (True, False, None)
    assert (plan.story.written_by.parent, plan.story.written_by.carer, plan.story.written_by.me) == (True, False, None)
    assert [(w.code, w.where) for w in plan.warnings] == [("tick-box-unknown", "section 1b")]
    assert (plan.family.written_by.parent, plan.family.written_by.carer) == (True, False)


def test_box_and_label_in_neighbouring_cells() -> None:
    plan = read(
        table(
            [[p("Introduction to My Support Plan")]],
            [[p(box(True))], [p("Child in Need Plan")]],
            [[p("Team around the Family (TAF) Plan")], [p(box(False))]],
        )
    )
    assert plan.other_plans.child_in_need is True
    assert plan.other_plans.team_around_the_family is False
    assert plan.other_plans.health_care_plan is None  # not in this document at all


def test_outcomes_supported_by_marks_and_merged_rows() -> None:
    header = [[p("Section 5: Outcomes and provision")], [p("Education")], [p("Health")], [p("Social Care")]]
    outcome_1 = [
        [p("Outcome 1")],
        [p("The area(s) of my needs this outcome will address\u2026 Cognition and Learning"), p("By the end of KS2, Sam will be able to read 100 words.")],
        [p("X")], [p("")], [p("\u2713")],
    ]
    outcome_8 = [[p("Outcome 8")], [p("Sam will be able to:"), p("tie his laces"), p("do up buttons")], [p("yes")], [p("no")], [p("")]]
    plan = read(table(header, outcome_1, outcome_8, spans={(0, 0): 2}))
    one, eight = plan.outcomes
    assert (one.number, one.areas_of_need, one.key_stage) == (1, ["cognition_and_learning"], "KS2")
    assert one.statement is not None and one.statement.text == "read 100 words"
    assert one.supported_by.model_dump() == {"education": True, "health": False, "social_care": True}
    assert eight.number == 8 and eight.statement is not None and eight.statement.text == "tie his laces\ndo up buttons"
    assert eight.supported_by.model_dump() == {"education": True, "health": False, "social_care": False}


def test_supported_by_marks_a_pdf_could_not_map_are_unknown_and_warned() -> None:
    # Chromium's print of a plan draws Wingdings boxes as glyph 0 with no Unicode: pdfminer's "(cid:0)" for the
    # ticked and the empty box alike, so the mark cannot be told (it was read ticked, silently).
    header = [[p("Section 5: Outcomes and provision")], [p("Education")], [p("Health")], [p("Social Care")]]
    outcome_1 = [
        [p("Outcome 1")],
        [p("By the end of KS2, Sam will be able to read 100 words.")],
        [p("(cid:0)")], [p("(cid:0) (cid:12)")], [p("X")],
    ]
    plan = read(table(header, outcome_1, spans={(0, 0): 2}))
    assert plan.outcomes[0].supported_by.model_dump() == {"education": None, "health": None, "social_care": True}
    assert "tick-box-unknown" in [w.code for w in plan.warnings]


def test_outcome_labels_whose_number_did_not_read() -> None:
    # OCR reads "Outcome 1" as "Outcome l" or "Outcome a4": a label with no number as written
    # is numbered as OCR meant it where a letter looks like a digit, else after the one before.
    header = [[p("Section 5: Outcomes and provision")], [p("Education")], [p("Health")], [p("Social Care")]]

    def outcome(label: str, what: str) -> list[list[Paragraph]]:
        return [[p(label)], [p(f"By the end of KS1, Sam will be able to {what}.")], [p("X")], [p("")], [p("")]]

    rows = [outcome("Outcome a4", "hop"), outcome("Outcome Z", "skip"), outcome("Outcome 3", "jump"), outcome("Outcome ?", "run")]
    plan = read(table(header, *rows, spans={(0, 0): 2}))
    assert [(o.number, o.statement.text if o.statement else None) for o in plan.outcomes] == [(1, "hop"), (2, "skip"), (3, "jump"), (4, "run")]
    assert [w.where for w in plan.warnings if w.code == "outcome-number-unread"] == ["section 5 outcomes"] * 3
    assert not plan.unmapped


def test_provision_rows_continued_and_costed() -> None:
    header = [[p("No. of outcome")], [p("Steps")], [p("Short term targets")], [p("What needs to happen?")], [p("Who will do it?")], [p("How often?")], [p("Resources required")]]
    row_1 = [[p("1")], [p("Read CVC words")], [p("")], [p("Phonics catch-up")], [p("TA")], [p("Daily")], [p("TA 2.5 hrs/wk @ £14/hr")]]
    more_1 = [[p("")], [p("")], [p("")], [p("Lexia")], [p("")], [p("3 x 20 mins")], [p("£5 per week"), p(Run("£9 per week", struck=True))]]
    plan = read(table(header, row_1, more_1))
    [row] = plan.provision
    assert [e.text for e in row.actions] == ["Phonics catch-up", "Lexia"]
    assert row.resources[-1].withdrawn is True
    assert row.weekly_cost_gbp == 40.0  # 2.5 x £14 + £5; the struck £9 no longer counts


def test_provision_header_as_ocr_reads_it() -> None:
    # spaces lost and borders read as "|": the columns are still known
    header = [[p("No.of | outco | me")], [p("Steps | will make towards achieving this outcome")], [p("Short term  targets")],
              [p("What needs tohappento | help me achieve this outcome?")], [p("Who will do  it?")], [p("How often?")], [p("Resources required")]]
    row_1 = [[p("1")], [p("Read CVC words")], [p("")], [p("Phonics catch-up")], [p("TA")], [p("Daily")], [p("£5 per week")]]
    [row] = read(table(header, row_1)).provision
    assert ([e.text for e in row.steps], [e.text for e in row.actions], row.weekly_cost_gbp) == (["Read CVC words"], ["Phonics catch-up"], 5.0)


def test_review_heading_outside_its_table_and_a_bad_date() -> None:
    plan = read(
        p("Section 6: Reviewing My Support Plan   Date of review: 31/02/2019   2nd review (R2)"),
        table(
            [[p("No. of outcome")], [p("Progress towards outcomes in My Support Plan")]],
            [[p("1")], [p("Partly met")]],
            [[p("What is working well with provision and support and needs to continue?"), p("Lexia")]],
        ),
    )
    [review] = plan.reviews
    assert (review.label, review.date) == ("R2", None)
    assert [(x.outcome_number, x.rating) for x in review.progress] == [(1, "partly_met")]
    assert [e.text for e in review.working_well] == ["Lexia"]
    assert ("unreadable-date", "section 6 review") in [(w.code, w.where) for w in plan.warnings]


def test_cover_table_and_plan_number() -> None:
    plan = map_document(Document(body=[
        p("MSP No. 3"),
        table([[p("Name")], [p("Ava Reid")]], [[p("Date of birth:")], [p("03/04/2016")]], [[p("Year group")], [p("Year 2")]], [[p("UPN")], [p("A123456789012")]]),
        *INTRO,
        p("a) my profile"),
    ]), SOURCE).value
    assert plan.plan_number == 3
    assert plan.child.model_dump() == {"name": "Ava Reid", "known_as": None, "date_of_birth": dt.date(2016, 4, 3), "setting": None, "year_group": "Year 2", "upn": "A123456789012"}


def test_not_a_plan_is_refused_unless_forced() -> None:
    letter = [p("Dear parents,"), p("Sports day is on Friday.")]
    with pytest.raises(NotAPlanError):
        read(*letter)
    forced = map_document(Document(body=letter), SOURCE, force=True).value  # type: ignore[arg-type]
    assert [u.text for u in forced.unmapped] == ["Dear parents,", "Sports day is on Friday."]


def test_a_review_typed_as_paragraphs_is_kept_not_lost() -> None:
    plan = read(
        p("Section 6: Reviewing My Support Plan   Date of review: 12/03/2019   1st review (R1)"),
        p("What is working well with provision and support and needs to continue?"),
        p("Lexia every morning"),
    )
    assert plan.reviews == []  # no review table: nothing to fill
    assert [(u.where, u.text) for u in plan.unmapped] == [("section 6 review", "Lexia every morning")]
