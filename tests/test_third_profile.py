"""A third form costs data only (issue 14): a made-up council's profile, written here as TOML text.

Its headings, cover labels, prompts, column headers and section order are
none of Kirklees' or York's: the learning part before the about-me part, the
health part after it, a contents page with other columns, a kept part with a
table of its own (attendance), outcomes called "Target", a provision table of
four columns. ``load_profile`` reads it; a plan filled for it is written with
``write_docx(profile=...)`` (the generic drawing) and read back with the same
profile, and the model is the same (``written_back.assert_same``). No code names the
profile: ``test_no_code_names_the_profile`` looks.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import msp_convert
from written_back import assert_same
from msp_convert.mapping.coverage import recount
from msp_convert.model import (
    Appendices, Child, DocRef, Entry, Needs, Outcome, Plan, PlanDates, Profile, Provision, Section, Source, Template,
)
from msp_convert.template import Profile as FormProfile
from msp_convert.template import load_profile
from msp_convert.writers.docx import new_plan, write_docx

REPO = Path(__file__).resolve().parents[1]
PROFILE_ID = "test-council-2024"


PROFILE_TOML = """
id = "test-council-2024"
title = "Support Plan"
description = "A made-up council's support plan (tests only)"
writer = "generic"
reviews = "dates"
marks = ["Test Council Support Plan 2024"]
group_headings = ["Part 1: My learning", "Part 2: All about me"]
outcome_label = "Target"
contents_columns = ["Page", "Last looked at"]

[[cover]]
to = "child.name"
wording = "Full name"
[[cover]]
to = "child.date_of_birth"
wording = "Date of birth"
[[cover]]
to = "child.setting"
wording = "School"
[[cover]]
to = "section"
wording = "Key adult"
[[cover]]
to = "plan_dates.this_plan"
wording = "Plan date"
[[cover]]
to = "plan_dates.review_by"
wording = "Review date"

[[provision_columns]]
field = "outcome_number"
wording = "Target"
[[provision_columns]]
field = "actions"
wording = "Support given"
[[provision_columns]]
field = "who"
wording = "Adult"
[[provision_columns]]
field = "frequency"
wording = "When"

[[appendix_buckets]]
field = "health"
words = ["nhs", "therap"]
[[appendix_buckets]]
field = "education"
words = ["school", "teacher"]

[[sections]]
key = "0"
where = "front page"
role = "front"
kept = true
headings = ["Front page"]

[[sections]]
key = "contents"
where = "contents"
role = "contents"
kept = true
headings = ["Contents"]

[[sections]]
key = "1.1"
where = "part 1.1"
fills = "needs"
default_field = "summary"
headings = ["1.1 How I learn"]
routes = [{ words = "talking", field = "communication_and_interaction" }]
[[sections.prompts]]
field = "cognition_and_learning"
wording = "Reading and number work"

[[sections]]
key = "1.2"
where = "part 1.2"
kept = true
headings = ["1.2 My attendance"]

[[sections]]
key = "2.1"
where = "part 2.1"
fills = "profile"
headings = ["2.1 What matters to me"]
[[sections.prompts]]
field = "important_now"
wording = "The things I care about most"
[[sections.prompts]]
field = "goals_long_term"
wording = "When I am grown up I would like to"

[[sections]]
key = "2.2"
where = "part 2.2"
fills = "health_needs"
default_field = "health_needs"
headings = ["2.2 Keeping well"]

[[sections]]
key = "3"
where = "part 3"
role = "outcomes"
kept = true
headings = ["Part 3: My targets and support"]

[[sections]]
key = "4"
where = "part 4"
role = "appendices"
fills = "appendices"
kept = true
headings = ["Part 4: Reports I have had"]
"""


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> FormProfile:
    path = tmp_path_factory.mktemp("profile") / f"{PROFILE_ID}.toml"
    path.write_text(PROFILE_TOML, encoding="utf-8")
    return load_profile(path)


def entries(*texts: str) -> list[Entry]:
    return [Entry(text=t) for t in texts]


def filled_plan() -> Plan:
    """A plan as the reader gives one for this form (fictional child)."""
    key = f"{PROFILE_ID}/"
    plan = Plan(
        source=Source(filename="priya.docx", format="docx", sha256="0" * 64),
        template=Template(id=PROFILE_ID),  # type: ignore[arg-type]
        plan_dates=PlanDates(this_plan=dt.date(2024, 3, 4), review_by=dt.date(2024, 7, 19)),
        child=Child(name="Priya Marsh", date_of_birth=dt.date(2015, 6, 30), setting="Brookside Primary"),
        needs=Needs(
            summary=entries("Priya is a confident talker who finds reading hard."),
            cognition_and_learning=entries("Reads at a Year 1 level.", "Counts to 20 reliably."),
            communication_and_interaction=entries("Needs instructions repeated."),
        ),
        profile=Profile(important_now=entries("My cat Pickle", "Netball club"), goals_long_term=entries("Be a nurse like my auntie")),
        health_needs=[Entry(text="Wears glasses."), Entry(text="Asthma, now outgrown.", withdrawn=True)],
        outcomes=[
            Outcome(number=1, key_stage="KS2", statement=Entry(text="read a book of 20 pages on her own")),
            Outcome(number=2, statement=Entry(text="ask for help when she is stuck")),
        ],
        provision=[
            Provision(outcome_number=1, actions=entries("Daily reading with an adult"), who=entries("Teaching assistant"),
                      frequency=entries("Every morning")),
            Provision(outcome_number=2, actions=entries("Help card on her desk"), who=entries("Class teacher"), frequency=entries("All lessons")),
        ],
        appendices=Appendices(
            health=[DocRef(reference="NHS eye clinic letter", date=dt.date(2023, 11, 2))],
            education=[DocRef(reference="School reading assessment", date=dt.date(2024, 2, 1))],
        ),
        sections=[
            Section(key=key + "0", heading="Front page", entries=entries("Key adult: Mr T Quinn")),
            Section(key=key + "contents", heading="Contents", rows=[["1.1", "01/03/2024"], ["2.1", "04/03/2024"]]),
            Section(key=key + "1.2", heading="1.2 My attendance", entries=entries("Attendance is good this year."),
                    rows=[["Term", "Attendance"], ["Autumn 2023", "96%"], ["Spring 2024", "94%"]]),
            Section(key=key + "1.2", heading="Late arrivals", entries=entries("Two late marks in the spring term")),
        ],
    )
    return recount(plan)


def read_back(data: bytes, profile: FormProfile) -> Plan:
    return msp_convert.read(data=data, filename="written.docx", profile=profile)


def test_the_profile_loads_as_written(profile: FormProfile) -> None:
    assert profile.name == PROFILE_ID and profile.writer == "generic"
    assert [s.key for s in profile.sections] == ["0", "contents", "1.1", "1.2", "2.1", "2.2", "3", "4"]
    assert profile.with_role("provision") is None and profile.with_role("outcomes").key == "3"  # type: ignore[union-attr]


def test_a_plan_on_it_reads_back_the_same(profile: FormProfile) -> None:
    plan = filled_plan()
    got = read_back(write_docx(plan, mode="as-is", profile=profile), profile)
    assert got.template.id == PROFILE_ID
    assert got.coverage.verdict == "complete" and got.coverage.words == plan.coverage.words > 0
    assert_same(got, plan)


def test_its_new_plan_reads_back_the_same(profile: FormProfile) -> None:
    plan = filled_plan()
    want = recount(new_plan(plan, profile=profile))
    assert want.plan_number is None  # the form prints none
    assert want.plan_dates == PlanDates(initial_plan=dt.date(2024, 3, 4))  # its dates to fill in, the first plan's carried
    assert [e.text for e in want.health_needs] == ["Wears glasses."]
    assert_same(read_back(write_docx(plan, profile=profile), profile), want)


def test_the_form_is_drawn_from_the_data(profile: FormProfile) -> None:
    import io

    import docx

    document = docx.Document(io.BytesIO(write_docx(filled_plan(), mode="as-is", profile=profile)))
    shown = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert shown[0] == ("Title", "Test Council Support Plan 2024")
    assert [t for s, t in shown if s == "Heading 1"] == [
        "Front page", "Contents", "Part 1: My learning", "Part 2: All about me", "Part 3: My targets and support", "Part 4: Reports I have had"]
    assert [t for s, t in shown if s == "Heading 2"] == [
        "1.1 How I learn", "1.2 My attendance", "2.1 What matters to me", "2.2 Keeping well"]
    texts = [t for _, t in shown]
    assert texts.index("Reading and number work") < texts.index("Reads at a Year 1 level.")
    assert "Target 1: By the end of KS2, Priya will be able to read a book of 20 pages on her own." in texts
    assert [c.text for c in document.tables[-1].rows[0].cells] == ["Target", "Support given", "Adult", "When"]


def test_no_code_names_the_profile() -> None:
    named = [p for p in (REPO / "msp_convert").rglob("*") if p.is_file() and PROFILE_ID.encode() in p.read_bytes()]
    assert named == []


def test_the_command_line_takes_the_form_as_a_file(tmp_path: Path) -> None:
    """convert --template FILE.toml: the written plan is drawn on that form and read back from it."""
    from click.testing import CliRunner

    from msp_convert.cli import main

    form = tmp_path / f"{PROFILE_ID}.toml"
    form.write_text(PROFILE_TOML, encoding="utf-8")
    plan_json = tmp_path / "priya.json"
    plan_json.write_text(msp_convert.to_json(filled_plan()), encoding="utf-8")
    written = tmp_path / "priya.docx"
    run = CliRunner().invoke(main, ["convert", str(plan_json), "--to", "docx", "--mode", "as-is", "--template", str(form), "-o", str(written), "-q"])
    assert run.exit_code == 0, run.output
    back = tmp_path / "back.json"
    run = CliRunner().invoke(main, ["convert", str(written), "--template", str(form), "-o", str(back), "-q"])
    assert run.exit_code == 0, run.output
    assert_same(msp_convert.read(back), filled_plan())
