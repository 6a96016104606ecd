"""What a poor scan does to the form's wording and tables, and how the mapping still reads them: a
guidance sentence with a word misread past respelling, a provision header printed again on a new page
with a cell that did not read, a speck after a review marker's bracket."""

from __future__ import annotations

from msp_convert.layout import Cell, Document, Paragraph, Row, Run, Table
from msp_convert.mapping import map_document
from msp_convert.mapping.entries import make_entry
from msp_convert.mapping.text import Guidance
from msp_convert.model import Plan, Source

STEPS = (
    "Steps towards outcomes will also be set out in this section, leading towards the achievement of the outcomes.  "
    "They should normally be relevant for at least a year and sometimes longer."
)


def test_a_stretch_of_guidance_with_a_word_misread_is_still_guidance() -> None:
    guidance = Guidance([STEPS])
    # "wing" for "leading": no respelling reaches it, but the rest runs as printed
    assert "Steps towards outcomes will also be set out in this section, wing towards the achievement of the outcomes." in guidance
    assert "They should normally be relevant for \u2018at least a yeer and sometimes longer." in guidance


def test_the_same_words_out_of_order_or_too_few_are_not_guidance() -> None:
    guidance = Guidance([STEPS])
    assert "The outcomes of this section were set out towards the steps." not in guidance
    assert "Steps towards the bus" not in guidance  # too short to be sure of
    assert "Jack will also be set out his steps in this section every morning before class." not in guidance


def p(text: str) -> Paragraph:
    return Paragraph([Run(text)], confidence=0.8, page=1)


def row(*cells: str) -> Row:
    return Row([Cell([p(t)] if t else [], col=i) for i, t in enumerate(cells)])


HEADER = ("No. of outcome", "Steps I will make towards achieving this outcome", "Short term targets",
          "What needs to happen to help me achieve this outcome?", "Who will do it?", "How often?", "Resources required")


def read(table: Table) -> Plan:
    body = [p(t) for t in ("Introduction to My Support Plan", "Section 1: About me", "Section 5: Outcomes and provision")] + [table]
    return map_document(Document(body=body, pages=2), Source(filename="t.pdf", format="pdf", sha256="0" * 64, pages=2)).value


def test_a_header_printed_again_keeps_the_columns_its_unread_cells_had() -> None:
    table = Table(rows=[
        row(*HEADER),
        row("1", "Jack will use a now/next board", "Within 4 weeks Jack will work alone", "Task plan and timer", "TA", "Daily", "Timer \u00a35"),
        # the header again on the next page, two of its cells misread past knowing
        row("No. of outcome", "Steps I will make towards achieving this outcome", "Short ier targets",
            "Whe I needs to happen to help me achieve this oute ome?", "Who will do it?", "How often?", "Resources required"),
        row("2", "Jack will join a club", "By Easter Jack will go 3 days a week", "Lunchtime Lego club", "Mentor", "Weekly", "\u00a318"),
    ], columns=7)
    plan = read(table)
    got = [(v.outcome_number, [e.text for e in v.targets], [e.text for e in v.actions]) for v in plan.provision]
    assert got == [
        (1, ["Within 4 weeks Jack will work alone"], ["Task plan and timer"]),
        (2, ["By Easter Jack will go 3 days a week"], ["Lunchtime Lego club"]),
    ]


def test_a_header_again_that_names_a_column_elsewhere_moves_it() -> None:
    moved = ("No. of outcome", "Steps I will make towards achieving this outcome", "What needs to happen?",
             "Short term targets", "Who will do it?", "How often?", "Resources required")
    table = Table(rows=[row(*HEADER), row("1", "S1", "T1", "A1", "W1", "F1", "R1 \u00a35"), row(*moved), row("2", "S2", "A2", "T2", "W2", "F2", "\u00a36")], columns=7)
    second = read(table).provision[1]
    assert ([e.text for e in second.targets], [e.text for e in second.actions]) == (["T2"], ["A2"])


def test_a_speck_after_a_markers_bracket_is_no_writing() -> None:
    written = make_entry([("wait for his turn to speak (R1 14/03/2019) [", False)])
    assert written is not None
    entry = written.entry
    assert (entry.text, entry.review, str(entry.review_date)) == ("wait for his turn to speak", "R1", "2019-03-14")
    # without the bracket the mark may be writing: left as it is
    plain = make_entry([("Buddy R2 ~", False)])
    assert plain is not None and (plain.entry.text, plain.entry.review) == ("Buddy R2 ~", None)


def prompts(section: str):
    from msp_convert.mapping.flow import matchers
    from msp_convert.template import DEFAULT_PROFILE

    m = matchers(DEFAULT_PROFILE)
    return m.areas if section == "areas" else m.prompts[section]


def test_a_prompt_with_words_misread_past_respelling_is_the_prompt_and_its_answer_follows() -> None:
    found = prompts("family").match("Any vitierSe things which are important for you to know poy family")
    assert found is not None and found.item.field == "other"
    areas = prompts("areas").match("The area(s) of my nccds this outcome will address \u2026 Cognition &")
    text = "The area(s) of my nccds this outcome will address \u2026 Cognition &"
    assert areas is not None and areas.item.field == "areas_of_need" and text[areas.rest_at:] == "Cognition &"


def test_a_short_variant_starting_its_long_wording_misread_takes_the_whole_line() -> None:
    text = "Long term- what I want for my. child\u2019s future beyond next year ane \u2018when they are an adult\u2019"
    found = prompts("parent_views").match(text)
    assert found is not None and found.item.field == "goals_long_term" and text[found.rest_at:].strip("\u2019 ") == ""
    # the short variant with an answer of its own keeps the answer
    said = prompts("parent_views").match("Long term - For Jack to get a job he loves.")
    assert said is not None and "Long term - For Jack to get a job he loves."[said.rest_at:] == "For Jack to get a job he loves."


def test_words_of_a_prompt_in_another_order_or_with_more_written_are_not_the_prompt() -> None:
    scattered = "Any child has other things, which we think are important for you and the school to know about, like my family"
    assert prompts("family").match(scattered) is None


def test_a_numbered_heading_misread_is_its_parts_when_the_number_is_one_parts_alone() -> None:
    from msp_convert.mapping.flow import matchers
    from msp_convert.mapping.text import Line
    from msp_convert.template import DEFAULT_PROFILE

    m = matchers(DEFAULT_PROFILE)
    found = m.numbered(Line("Section 7: idices"))
    assert found is not None and found.key == "appendices"
    reviews = m.numbered(Line("Section 6: Reviewing My Suzzsrt Plan"))
    assert reviews is not None and reviews.key == "reviews"
    assert m.numbered(Line("Section 6: Transition to secondary school")) is None  # words far from the part's
    assert m.numbered(Line("Section 8: Transport")) is None  # no part's number
    assert m.numbered(Line("Section 5: Outcomes and provisn")) is None  # two parts' number: words alone must tell
    assert m.numbered(Line("Section 7: the reports we were given by the school nurse")) is None  # a sentence


def test_partly_met_with_a_speck_read_as_a_quote_between_the_words() -> None:
    from msp_convert.mapping.entries import rating

    assert rating("Partly\u2019met. Jack works for 6 minutes with his timer.") == "partly_met"
    assert rating("Partly 'met") == "partly_met"
    assert rating("Met. Jack is partly there") == "met"  # the first the text names


def test_the_plan_number_under_a_misread_title() -> None:
    from msp_convert.mapping.front import read_plan_number
    from msp_convert.model import Plan

    plan = Plan.model_construct(plan_number=None)
    assert read_plan_number("my suppoit plan 2", plan) and plan.plan_number == 2
    for line in ("my suppoit plan", "my sport plan 2", "my support plan for jack 2"):
        other = Plan.model_construct(plan_number=None)
        assert not read_plan_number(line, other) and other.plan_number is None


def test_a_line_running_from_one_guidance_text_into_the_next_is_guidance() -> None:
    guidance = Guidance([
        "my strengths, my special educational needs (SEN) and my health and social care needs which relate to my SEN;",
        "the outcomes which will help me to move towards my goals and aspirations;",
        "the support given to me to help me to make progress towards my outcomes.",
    ])
    two = "my SEN;thy strengths, my special educational needs (SEN) and my health and social care needs which relate to the outcomes which will help me to move towards my goals and aspirations;"
    assert two in guidance
    # the texts' words, not in the form's order, are not
    assert "the outcomes of my health and social care needs which relate to my goals and my special needs" not in guidance
