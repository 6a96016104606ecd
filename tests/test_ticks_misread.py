"""Tick lists read from a scan: a label misread a letter or two, cut short or run together, a tick
read as a "v", a typed "X" beside an empty box, and a written-by line whose part's heading was not read.
The boxes are found; what is tested is that their states reach the plan's fields."""

from __future__ import annotations

import pytest

from msp_convert.layout import Cell, Document, Inline, Paragraph, Row, Run, Table, TickBox
from msp_convert.mapping import map_document
from msp_convert.mapping.ticks import read_ticks
from msp_convert.model import Plan, Source
from msp_convert.template import DEFAULT_PROFILE

OTHER_PLANS = DEFAULT_PROFILE.section("introduction").ticks
WRITTEN_BY = DEFAULT_PROFILE.section("story").ticks
PROFILE_BY = DEFAULT_PROFILE.section("profile").ticks


def line(*parts: str | bool) -> list[Inline]:
    """Text and boxes: True / False a ticked / empty box."""
    return [TickBox(p, "drawn", confidence=0.9) if isinstance(p, bool) else Run(p) for p in parts]


@pytest.mark.parametrize(
    "inlines, options, want",
    [
        # a typed X beside an empty box, the label misread a letter ("ftom")
        (line(False, " Me . X Me with help ftom\u2026 Mr Quinn"), PROFILE_BY, {"me": False, "me_with_help": True}),
        # the label's last word misread ("aia" for "Plan"), an X typed in place of the box
        (line("X Health Care aia"), OTHER_PLANS, {"health_care_plan": True}),
        # the label cut short ("my pare"), the next line's words run into it
        (line(False, " X my pare with help from\u2026 \u2026"), WRITTEN_BY, {"parent": True}),
        # two words run together
        (line(False, " Mycarer", False, " Me"), WRITTEN_BY, {"carer": False, "me": False}),
        # a longer option misread wins over the shorter one it starts with
        (line(False, " Me", True, " Me will help from \u2026 Mrs Grant (ELSA)"), PROFILE_BY, {"me": False, "me_with_help": True}),
        # a printed tick read as a "v"
        (line(False, " Me. v Me with help from \u2026 Mrs Green (TA)"), PROFILE_BY, {"me": False, "me_with_help": True}),
        (line("v Health Care Plan"), OTHER_PLANS, {"health_care_plan": True}),
    ],
)
def test_a_misread_label_still_names_its_option(inlines: list[Inline], options, want: dict[str, bool]) -> None:
    assert read_ticks(inlines, options).states == want


def test_the_helper_after_a_misread_helper_label() -> None:
    assert read_ticks(line(False, " Me . X Me with help ftom\u2026 Mr Quinn"), PROFILE_BY).helper == "Mr Quinn"
    assert read_ticks(line(True, " Me will help from \u2026 Mrs Grant (ELSA)"), PROFILE_BY).helper is None


@pytest.mark.parametrize(
    "inlines, options, want",
    [
        (line(True, " My pet"), WRITTEN_BY, {}),  # near no option: a loose box, no guess
        (line(True, " Grandma"), WRITTEN_BY, {}),
        (line(True, " Mo"), PROFILE_BY, {}),  # a short label is told only as printed
        # an extra word between two labels is no misreading of the longer one
        (line(True, " Me v Me"), PROFILE_BY, {"me": True}),
        (line(False, " Me & Me with help from"), PROFILE_BY, {"me": False}),
    ],
)
def test_labels_far_from_every_option_are_not_guessed(inlines: list[Inline], options, want: dict[str, bool]) -> None:
    assert read_ticks(inlines, options).states == want


def test_boxes_come_first_when_a_label_follows_the_last_box() -> None:
    """The first box unread ("“ My parent ☐ My carer"): My carer keeps its own box, My parent is not given it."""
    assert read_ticks(line("\u201c My parent", False, " My carer"), WRITTEN_BY).states == {"carer": False}
    assert read_ticks(line("= My parent", False, " Mycarer", False, " Me"), WRITTEN_BY).states == {"carer": False, "me": False}
    # labels truly before their boxes leave nothing after the last one
    assert read_ticks(line("My parent ", True, " My carer ", False), WRITTEN_BY).states == {"parent": True, "carer": False}


def scanned(*parts: str | bool) -> Paragraph:
    return Paragraph(line(*parts), confidence=0.8)


def read(*cells: list[Paragraph]) -> Plan:
    table = Table(rows=[Row([Cell(c)]) for c in cells], columns=1)
    body = [Paragraph([Run("Introduction to My Support Plan")]), Paragraph([Run("Section 1: About me")]), table]
    return map_document(Document(body=body, pages=2), Source(filename="t.pdf", format="pdf", sha256="0" * 64, pages=2)).value


def test_a_written_by_line_opens_its_part_when_the_heading_was_misread() -> None:
    plan = read(
        [scanned("\u2018a) my pionle 5"), scanned("My profile has been wiillen by:", False, " Me . X Me with help ftom\u2026 Mr Quinn")],
        [scanned("What people like and admire about me"), scanned("Kind to others")],
        [scanned("Section 1: About me"), scanned("b) my story i at intormation)"), scanned("My Story has been walle by: ", False, " x My parent ", False, " My carer ", False, " Me")],
        [scanned("Growing up"), scanned("Born in Leeds")],
    )
    assert plan.profile.written_by.model_dump() == {"me": False, "me_with_help": True, "parent": None, "carer": None, "helper": "Mr Quinn"}
    assert plan.story.written_by.model_dump() == {"me": False, "me_with_help": None, "parent": True, "carer": False, "helper": None}
    assert [e.text for e in plan.profile.liked_and_admired] == ["Kind to others"]
    assert [e.text for e in plan.story.growing_up] == ["Born in Leeds"]


def test_a_line_of_boxes_whose_words_are_another_parts_prompt_is_not_this_parts_tick_list() -> None:
    """Under the introduction (which has tick boxes too), the profile's written-by line goes to the profile."""
    plan = read([scanned("My profile has been writen by:", True, " Me ", False, " Me with help from")])
    assert (plan.profile.written_by.me, plan.profile.written_by.me_with_help) == (True, False)
    assert plan.other_plans.model_dump() == dict.fromkeys(plan.other_plans.model_dump())
