"""The grid and entry readers take the form's wording from the profile, not from the code.

A profile changed as data ("can" for "will be able to", "At the end of" for "By
the end of", other review labels, another helper label, another name for an
area of need) changes what is read; York's profile, which has no provision or
review tables, no Supported-by columns and no areas prompt, reads its actions
table and its typed outcomes, and nothing crashes where a part is missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from msp_convert.layout import Cell, Paragraph, Row, Run, Table, TickBox
from msp_convert.mapping.draft import Draft
from msp_convert.mapping.entries import areas_of_need, key_stage
from msp_convert.mapping.flow import Flow
from msp_convert.mapping.grids import classify, read_outcomes, read_provision, read_review
from msp_convert.mapping.review_lines import review_date
from msp_convert.mapping.ticks import read_ticks
from msp_convert.model import Review, Source
from msp_convert.template import PROFILES, ReviewLabel, TickOption

SOURCE = Source(filename="t.docx", format="docx", sha256="0" * 64)
KIRKLEES = PROFILES["kirklees-v2f"]
YORK = PROFILES["york-2014"]
# The Kirklees form as another council might word it: data only.
CHANGED = replace(
    KIRKLEES,
    statement_prompt="can",
    key_stage_lead="At the end of",
    helper_label="helped by",
    review_labels=(ReviewLabel("R1", ("Review A",)), ReviewLabel("R2", ("Review B",))),
)


def _cell(text: str, col: int, span: int = 1) -> Cell:
    return Cell([Paragraph([Run(text)])] if text else [], col=col, col_span=span)


def _row(*texts: str) -> Row:
    return Row([_cell(text, col) for col, text in enumerate(texts)])


def _flow(profile) -> Flow:
    return Flow(profile, Draft(SOURCE))


def _outcome_grid(statement: str) -> Table:
    """Kirklees' outcome grid: the label, the statement, Education | Health | Social Care."""
    header = Row([_cell("Outcome", 0), _cell("The area(s) of my needs this outcome will address", 1),
                  _cell("Education", 2), _cell("Health", 3), _cell("Social Care", 4)])
    ticked = Cell([Paragraph([TickBox(True, "glyph")])], col=2)
    row = Row([_cell("Outcome 1", 0), _cell(statement, 1), ticked, _cell("", 3), _cell("", 4)])
    return Table([header, row], columns=5)


# --- the Kirklees form changed as data ------------------------------------------


def test_the_statement_and_the_key_stage_follow_the_profile_wording() -> None:
    flow = _flow(CHANGED)
    read_outcomes(_outcome_grid("At the end of KS2, Sam can read a page of his book aloud."), flow)
    [outcome] = flow.draft.plan.outcomes
    assert outcome.statement.text == "read a page of his book aloud"
    assert outcome.key_stage == "KS2"
    assert outcome.supported_by.education is True and outcome.supported_by.health is False


def test_the_kirklees_wording_is_no_longer_the_form_wording_once_the_profile_changes() -> None:
    text = "By the end of KS2, Sam will be able to read a page aloud."
    changed, kirklees = _flow(CHANGED), _flow(KIRKLEES)
    read_outcomes(_outcome_grid(text), changed)
    read_outcomes(_outcome_grid(text), kirklees)
    assert changed.draft.plan.outcomes[0].statement.text == "By the end of KS2, Sam will be able to read a page aloud"
    assert changed.draft.plan.outcomes[0].key_stage is None
    assert kirklees.draft.plan.outcomes[0].statement.text == "read a page aloud"
    assert kirklees.draft.plan.outcomes[0].key_stage == "KS2"
    assert key_stage("At the end of Year 6, Sam can swim", CHANGED.key_stage_lead) == "Year 6"
    assert key_stage("At the end of Year 6, Sam can swim") is None


def test_an_outcome_typed_as_a_paragraph_follows_the_profile_wording() -> None:
    flow = _flow(CHANGED)
    flow.enter(CHANGED.with_role("outcomes"))
    assert flow.outcome_lines.feed(Paragraph([Run("Outcome 2: At the end of Year 6, Sam can swim 25 metres.")]))
    assert flow.outcome_lines.feed(Paragraph([Run("Supported by: Health")]))
    [outcome] = flow.draft.plan.outcomes
    assert (outcome.number, outcome.key_stage, outcome.statement.text) == (2, "Year 6", "swim 25 metres")
    assert (outcome.supported_by.education, outcome.supported_by.health) == (False, True)


def _review_table(label: str) -> Table:
    return Table([
        Row([_cell(f"{label}   Date of review: 12/03/2020", 0, 2)]),
        _row("No. of outcome", "Progress towards outcomes in My Support Plan"),
        _row("1", "Reads a page aloud most days: partly met"),
    ], columns=2)


def test_review_labels_are_the_profiles() -> None:
    flow = _flow(CHANGED)
    read_review(_review_table("Review B"), flow)
    [review] = flow.draft.plan.reviews
    assert (review.label, review.date) == ("R2", dt.date(2020, 3, 12))
    assert [(p.outcome_number, p.rating) for p in review.progress] == [(1, "partly_met")]
    flow = _flow(CHANGED)
    read_review(_review_table("2nd review (R2)"), flow)  # Kirklees' label: no label on this form
    assert [r.label for r in flow.draft.plan.reviews] == ["R1"]


def test_a_review_typed_as_paragraphs_is_labelled_by_the_profile() -> None:
    flow = _flow(CHANGED)
    flow.enter(CHANGED.with_role("reviews"))
    assert not flow.review_lines.feed(Paragraph([Run("1st review (R1)")]))
    assert flow.review_lines.feed(Paragraph([Run("Review B")]))
    assert [r.label for r in flow.draft.plan.reviews] == ["R2"]


def test_the_helper_follows_the_profile_helper_label() -> None:
    options = (TickOption("me_with_help", "Me helped by"), TickOption("me", "Me"))
    reading = read_ticks([Run("[x] Me helped by Mrs Okafor")], options, helper_label=CHANGED.helper_label)
    assert reading.states == {"me_with_help": True} and reading.helper == "Mrs Okafor"
    assert read_ticks([Run("[x] Me helped by Mrs Okafor")], options).helper is None  # "with help from" is not here


def test_an_area_of_need_is_known_by_the_profile_prompt_too() -> None:
    needs = next(s for s in KIRKLEES.sections if any(p.field == "cognition_and_learning" for p in s.prompts))
    prompts = tuple(replace(p, variants=("Thinking and Learning",)) if p.field == "cognition_and_learning" else p
                    for p in needs.prompts)
    profile = replace(KIRKLEES, sections=tuple(replace(s, prompts=prompts) if s is needs else s for s in KIRKLEES.sections))
    text = "Thinking & Learning; Sensory and Physical"
    assert areas_of_need(text, profile) == ["cognition_and_learning", "sensory_physical"]
    assert areas_of_need(text, KIRKLEES) == ["sensory_physical"]


# --- York: the parts it has, and none that it lacks -----------------------------


def test_york_actions_table_is_provision_read_by_header_wording() -> None:
    table = Table([
        _row("Who", "Outcome", "Weekly cost", "What will happen", "How often"),  # not the usual order
        _row("Teaching assistant", "1", "£25.50", "Paired reading with books at her level", "4 x 15 minutes a week"),
        _row("Learning mentor", "2", "£10 + £2.00", "Playground buddy group", "Twice a week"),
    ], columns=5)
    assert classify(table, YORK) == "provision"
    flow = _flow(YORK)
    read_provision(table, flow)
    got = [(p.outcome_number, [e.text for e in p.actions], [e.text for e in p.who], [e.text for e in p.frequency],
            [e.text for e in p.resources], p.weekly_cost_gbp) for p in flow.draft.plan.provision]
    assert got == [
        (1, ["Paired reading with books at her level"], ["Teaching assistant"], ["4 x 15 minutes a week"], ["£25.50"], 25.5),
        (2, ["Playground buddy group"], ["Learning mentor"], ["Twice a week"], ["£10 + £2.00"], 12.0),
    ]
    assert flow.draft.plan.unmapped == []


def test_york_actions_table_without_a_cost_column() -> None:
    table = Table([_row("Outcome", "What will happen", "Who", "How often"),
                   _row("1", "Help card on his table", "Class teacher", "Daily")], columns=4)
    assert classify(table, YORK) == "provision"
    flow = _flow(YORK)
    read_provision(table, flow)
    [provision] = flow.draft.plan.provision
    assert ([e.text for e in provision.who], provision.resources, provision.weekly_cost_gbp) == (["Class teacher"], [], None)


def test_an_amount_alone_is_weekly_only_under_a_weekly_column() -> None:
    header = _row("No. of outcome", "What needs to happen to help me achieve this outcome?", "Who will do it?",
                  "Resources required (including weekly costs)")
    flow = _flow(KIRKLEES)
    read_provision(Table([header, _row("1", "Reading group", "TA", "£25.50")], columns=4), flow)
    [provision] = flow.draft.plan.provision
    assert [e.text for e in provision.resources] == ["£25.50"] and provision.weekly_cost_gbp is None


def test_a_review_marker_is_read_on_a_form_without_review_labels_too() -> None:
    """York prints no R1-R3, but a plan written on it from a Kirklees plan keeps its markers (as flowing text does)."""
    table = Table([_row("Outcome", "What will happen", "Who", "How often"),
                   _row("1", "R1 12/03/2019: Daily reading", "TA", "Daily")], columns=4)
    flow = _flow(YORK)
    read_provision(table, flow)
    [entry] = flow.draft.plan.provision[0].actions
    assert (entry.text, entry.review, entry.review_date) == ("Daily reading", "R1", dt.date(2019, 3, 12))


def test_york_outcome_lines_read_with_no_supported_by() -> None:
    flow = _flow(YORK)
    flow.enter(YORK.with_role("outcomes"))
    line = "Outcome 1: By the end of Key Stage 2, Ava will be able to read a short chapter book aloud."
    assert flow.outcome_lines.feed(Paragraph([Run(line)]))
    assert flow.outcome_lines.feed(Paragraph([Run("Outcome 2: Noah will be able to ask an adult for help.")]))
    assert not flow.outcome_lines.feed(Paragraph([Run("Supported by: Education")]))  # York prints no such line
    got = [(o.number, o.statement.text, o.key_stage, o.areas_of_need) for o in flow.draft.plan.outcomes]
    assert got == [(1, "read a short chapter book aloud", "KS2", []), (2, "ask an adult for help", None, [])]
    assert flow.draft.plan.outcomes[0].supported_by.model_dump() == {"education": None, "health": None, "social_care": None}


def test_york_has_no_review_table_and_reading_one_does_not_crash() -> None:
    table = _review_table("1st review (R1)")
    assert classify(table, YORK) != "review"
    flow = _flow(YORK)
    read_review(table, flow)  # what a caller might still pass it: its progress is kept, no label or date is read
    assert [(r.label, r.date, [p.outcome_number for p in r.progress]) for r in flow.draft.plan.reviews] == [("R1", None, [1])]
    review = Review(label="R1")
    assert review_date("Date of review: 12/03/2020", review, flow, YORK) is False and review.date is None
    assert not flow.review_lines.feed(Paragraph([Run("Date of review: 12/03/2020")]))


def test_york_outcome_grid_reads_without_supported_by_columns() -> None:
    table = Table([_row("Outcome 1", "By the end of KS1, Noah will be able to sit for story time."),
                   _row("Outcome 2", "Noah will be able to ask for help.")], columns=2)
    assert classify(table, YORK) == "outcomes"
    flow = _flow(YORK)
    read_outcomes(table, flow)
    got = [(o.number, o.statement.text, o.key_stage) for o in flow.draft.plan.outcomes]
    assert got == [(1, "sit for story time", "KS1"), (2, "ask for help", None)]


def test_a_profile_without_its_parts_reads_grids_without_crashing() -> None:
    bare = replace(YORK, sections=tuple(s for s in YORK.sections if s.role != "outcomes"), outcome_label="Target",
                   areas_prompt=None, statement_prompt="", key_stage_lead="")
    flow = _flow(bare)
    read_outcomes(Table([_row("Target 1", "Read a page aloud.")], columns=2), flow)
    read_provision(Table([_row("Outcome", "What will happen", "Who"), _row("1", "Reading", "TA")], columns=3), flow)
    assert [(o.number, o.statement.text, o.key_stage) for o in flow.draft.plan.outcomes] == [(1, "Read a page aloud", None)]
    assert [[e.text for e in p.actions] for p in flow.draft.plan.provision] == [["Reading"]]
