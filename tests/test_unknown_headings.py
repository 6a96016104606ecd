"""What the template does not have is kept under its own heading, never filed as an answer.

Layouts built by hand (so these hold for every parser): a school's own
headings and tables, a plan inside a one-cell layout table, outcomes typed as
paragraphs.
"""

from __future__ import annotations

from msp_convert.layout import Cell, Document, Paragraph, Row, Table
from msp_convert.mapping import map_document
from msp_convert.model import Plan

from test_mapping_variants import INTRO, SOURCE, p, read, table


def bold(text: str) -> Paragraph:
    para = p(text)
    para.bold = True
    return para


def styled(text: str) -> Paragraph:
    para = p(text)
    para.heading = True
    return para


def column(*lines: Paragraph) -> Table:
    """A table of one column, a row a line (as the form's text boxes are)."""
    return table(*[[[line]] for line in lines])


def grid(*rows: list[str]) -> Table:
    return table(*[[[p(t)] for t in row] for row in rows])


def texts(entries: list) -> list[str]:
    return [e.text for e in entries]


def sections(plan: Plan) -> list[tuple]:
    return [(s.key, s.heading, texts(s.entries), s.rows) for s in plan.sections]


NEEDS_LINES = [p("Section 2: My special educational needs"), p("Cognition and Learning"), p("Reads at a Year 2 level")]
NEEDS = column(*NEEDS_LINES)


def test_a_bold_heading_the_template_lacks_starts_a_section_and_is_no_answer() -> None:
    plan = read(
        NEEDS,
        bold("Transition arrangements"),
        p("Two visits to Hillside High in June."),
        p("Section 3: My health needs"),
        p("Asthma: uses an inhaler before PE"),
    )
    assert texts(plan.needs.cognition_and_learning) == ["Reads at a Year 2 level"]
    assert sections(plan) == [(None, "Transition arrangements", ["Two visits to Hillside High in June."], [])]
    assert texts(plan.health_needs) == ["Asthma: uses an inhaler before PE"]  # the known heading ends the section
    assert [(w.code, w.where) for w in plan.warnings] == [("unknown-heading", "section 2")]
    assert (plan.coverage.in_sections, plan.coverage.verdict) == (9, "partial")


def test_numbered_and_bare_label_headings_inside_an_answer_cell() -> None:
    plan = read(table(
        [[p("Section 2: My special educational needs")]],
        [[p("Communication and Interaction")]],
        [[p("Uses short sentences"), p("Strategies that help:"), p("- Visual timetable"), p("- Now and next board")]],
        [[p("Section 8: Transport"), p("Taxi arranged by the council")]],
    ))
    assert texts(plan.needs.communication_and_interaction) == ["Uses short sentences"]
    assert sections(plan) == [
        (None, "Strategies that help:", ["Visual timetable", "Now and next board"], []),
        (None, "Section 8: Transport", ["Taxi arranged by the council"], []),
    ]
    # Plain short lines and sentences ending with a colon's answer on the same line are written text.
    plain = read(column(p("Section 2: My special educational needs"), p("Cognition and Learning"), p("Spelling: weak"), p("Enjoys maths")))
    assert texts(plain.needs.cognition_and_learning) == ["Spelling: weak", "Enjoys maths"] and plain.sections == []


def test_a_schools_extra_table_is_kept_as_rows_under_its_heading() -> None:
    plan = read(
        NEEDS,
        bold("Reading assessment results"),
        p("Scores from the spring term"),
        grid(["Test", "Date", "Score"], ["YARC", "03/2019", "85"], ["BPVS", "04/2019", "91"]),
        column(p("Retest in July")),
    )
    assert sections(plan) == [(
        None, "Reading assessment results", ["Scores from the spring term"],
        [["Test", "Date", "Score"], ["YARC", "03/2019", "85"], ["BPVS", "04/2019", "91"], ["Retest in July"]],
    )]


def test_a_table_with_no_heading_above_it_is_headed_by_its_first_row() -> None:
    plan = read(
        NEEDS,  # its answers end with its table
        grid(["Intervention", "Start date"], ["Toe by Toe", "Sept 2019"], ["Precision teaching", "Jan 2020"]),
        p("Section 3: My health needs"),
        p("No health needs"),
        grid(["Inhaler", "Before PE"], ["Spacer", "At home"]),  # under an open prompt: its answer
    )
    assert sections(plan) == [(None, "Intervention | Start date", [], [["Toe by Toe", "Sept 2019"], ["Precision teaching", "Jan 2020"]])]
    assert texts(plan.health_needs) == ["No health needs", "Inhaler", "Before PE", "Spacer", "At home"]
    assert [w.code for w in plan.warnings] == ["unknown-heading"]


def test_a_table_nested_in_an_answer_stays_that_answer() -> None:
    nested = grid(["Maths", "Working at Year 3"], ["English", "Working at Year 2"])
    cell = Cell([p("Cognition and Learning"), nested], col=0)
    plan = read(column(p("Section 2: My special educational needs")), Table([Row([cell])], columns=1))
    assert texts(plan.needs.cognition_and_learning) == ["Maths", "Working at Year 3", "English", "Working at Year 2"]
    assert plan.sections == []


def test_a_plan_inside_a_one_cell_layout_table_reads_as_a_plan() -> None:
    outcomes = table(
        [[p("Section 5: Outcomes and provision")]],
        [[p("Outcome 1")], [p("By the end of KS2 Sam will be able to read a short book aloud")]],
        spans={(0, 0): 2},
    )
    inner = INTRO + [
        column(p("Section 3: My health needs"), p("Asthma, uses an inhaler")),
        outcomes,
        p("Section 4: My social care needs"),
        p("None known"),
    ]
    layout = Table([Row([Cell(inner)])], columns=1)
    plan = map_document(Document(body=[layout]), SOURCE).value
    assert texts(plan.health_needs) == ["Asthma, uses an inhaler"]
    assert [(o.number, o.key_stage, o.statement.text) for o in plan.outcomes] == [(1, "KS2", "read a short book aloud")]
    assert texts(plan.social_care_needs) == ["None known"]
    assert plan.unmapped == [] and plan.template.id == "kirklees-v2f"


def test_outcomes_typed_as_paragraphs() -> None:
    plan = read(
        p("Section 5: Outcomes and provision"),
        p("Outcome 1: By the end of KS2, Sam will be able to read a short book aloud."),
        p("Area(s) of need: Cognition and Learning"),
        p("Supported by: Education and Health"),
        p("Outcome 2 - By the end of Year 6 Sam will be able to ask an adult for help."),
        p("Sam enjoys reading."),
    )
    got = [(o.number, o.areas_of_need, o.key_stage, o.statement.text, o.supported_by.model_dump()) for o in plan.outcomes]
    assert got == [
        (1, ["cognition_and_learning"], "KS2", "read a short book aloud", {"education": True, "health": True, "social_care": False}),
        (2, [], "Year 6", "ask an adult for help", {"education": None, "health": None, "social_care": None}),
    ]
    assert [(u.where, u.text) for u in plan.unmapped] == [("section 5 outcomes", "Sam enjoys reading.")]


def test_before_any_of_the_templates_wording_a_heading_is_not_a_section() -> None:
    plan = map_document(Document(body=[bold("Hillside Primary School"), *INTRO, p("Section 3: My health needs"), p("Asthma")]), SOURCE).value
    assert plan.sections == [] and [u.text for u in plan.unmapped] == ["Hillside Primary School"]


def test_a_long_or_sentence_like_bold_line_is_written_text() -> None:
    plan = read(
        *NEEDS_LINES,  # as lines, not in a table: the prompt stays open
        bold("He reads well when the text is enlarged to 16 point and printed on cream paper"),
        bold("Reads best in the morning."),
    )
    assert texts(plan.needs.cognition_and_learning)[1:] == [
        "He reads well when the text is enlarged to 16 point and printed on cream paper",
        "Reads best in the morning.",
    ]
    assert plan.sections == []


def test_under_an_open_prompt_bold_is_an_answer_a_heading_style_is_a_heading() -> None:
    # Typing into a cell whose paragraph mark is bold makes every answer bold.
    plan = read(*NEEDS_LINES, bold("Phonics phase 3"), bold("Reading"), styled("Transition arrangements"), p("Visits in June"))
    assert texts(plan.needs.cognition_and_learning) == ["Reads at a Year 2 level", "Phonics phase 3", "Reading"]
    assert sections(plan) == [(None, "Transition arrangements", ["Visits in June"], [])]


def test_reviews_typed_as_paragraphs() -> None:
    plan = read(
        p("Section 6: Reviewing My Support Plan"),
        p("1st review (R1)"),
        p("Date of review: 12/03/2020"),
        p("What is working well with provision and support and needs to continue?"),
        p("The reading group three times a week"),
        p("Date of review:"),  # the second review's questions, left blank
        p("What is working well with provision and support and needs to continue?"),
    )
    got = [(r.label, r.date.isoformat() if r.date else None, texts(r.working_well)) for r in plan.reviews]
    assert got == [("R1", "2020-03-12", ["The reading group three times a week"])]
    assert plan.unmapped == [] and plan.coverage.verdict == "complete"


def test_the_forms_title_over_the_page_is_not_written_text() -> None:
    plan = read(p("My Support Plan"), p("Section 3: My health needs"), p("Asthma"))
    assert plan.unmapped == [] and texts(plan.health_needs) == ["Asthma"]


def test_ticks_typed_in_brackets_after_a_prompt_and_on_a_long_line() -> None:
    plan = read(
        column(p("a) My profile"), p("My profile has been written by: [x] Me [ ] Me with help from")),
        column(p("Introduction to My Support Plan"),
               p("[x] Team around the Family (TAF) Plan [ ] Child in Need Plan [ ] Child Protection Plan [x] Health Care Plan")),
    )
    assert (plan.profile.written_by.me, plan.profile.written_by.me_with_help) == (True, False)
    got = plan.other_plans
    assert (got.team_around_the_family, got.child_in_need, got.child_protection, got.health_care_plan) == (True, False, False, True)
    assert plan.unmapped == []


def test_the_plans_dates_written_in_the_introduction() -> None:
    plan = map_document(Document(body=[
        column(p("Introduction to My Support Plan"), p("Date of this plan: 12/09/2019   Review date: 12/03/2020")),
        p("Section 1: About me"), p("Section 3: My health needs"), p("Asthma"),
    ]), SOURCE).value
    assert (str(plan.plan_dates.this_plan), str(plan.plan_dates.review_by)) == ("2019-09-12", "2020-03-12")
    assert plan.unmapped == []


def test_a_typed_box_and_its_label_in_neighbouring_cells() -> None:
    plan = read(table(
        [[p("Introduction to My Support Plan")]],
        [[p("Child in Need Plan")], [p("Yes")]],
        [[p("[x]")], [p("Child Protection Plan")]],
        [[p("Health Care Plan")], [p("No")]],
        spans={(0, 0): 2},
    ))
    got = plan.other_plans
    assert (got.child_in_need, got.child_protection, got.health_care_plan) == (True, True, False)
    assert plan.unmapped == []


def test_a_section_headed_by_a_tables_first_row_ends_with_that_table() -> None:
    plan = read(
        NEEDS,
        grid(["Intervention", "Start date"], ["Toe by Toe", "Sept 2019"]),
        p("Section 3: My health needs"),
        p("Asthma"),
        column(p("Our notes after the meeting")),  # a box of text under section 3: its answer
    )
    assert sections(plan) == [(None, "Intervention | Start date", [], [["Toe by Toe", "Sept 2019"]])]
    assert texts(plan.health_needs) == ["Asthma", "Our notes after the meeting"]  # section 3's answers run on


def test_a_yes_written_as_a_line_of_its_own_is_kept() -> None:
    plan = read(p("Introduction to My Support Plan"), p("Yes"), p("Section 3: My health needs"), p("Asthma"))
    assert [(u.where, u.text) for u in plan.unmapped] == [("introduction", "Yes")]


def test_a_typed_review_date_that_is_no_date_is_kept() -> None:
    plan = read(
        p("Section 6: Reviewing My Support Plan"),
        p("Date of review: Spring term 2020"),
        p("What is working well with provision and support and needs to continue?"),
        p("Reading group"),
    )
    assert [(r.label, r.date, texts(r.working_well)) for r in plan.reviews] == [("R1", None, ["Reading group"])]
    assert [(u.where, u.text) for u in plan.unmapped] == [("section 6 review", "Spring term 2020")]
    assert "unreadable-date" in [w.code for w in plan.warnings]


def test_a_sentence_with_a_speck_read_as_a_colon_is_no_heading() -> None:
    """A scan's speck after a full stop reads as ':' -- a sentence, not a label heading its own part."""
    plan = read(column(p("Section 2: My special educational needs"), p("Cognition and Learning"), p("Lunchtime Lego club. :"), p("Enjoys maths")))
    assert texts(plan.needs.cognition_and_learning) == ["Lunchtime Lego club. :", "Enjoys maths"] and plan.sections == []
