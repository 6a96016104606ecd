"""The Word writer per profile (issue 14): a York 2014 plan is drawn on the York form and reads back the same.

- ``write_docx`` draws the plan's own form (``plan.template.id``): a York plan
  on York's (its title, Parts, sub-parts, cover and contents), a Kirklees or
  "unknown" plan on the Kirklees form as before; a profile given wins;
- as-is: each York fixture (fixtures/york, H1's) and a York plan built here
  (struck text, a withdrawn entry, a review marker, an unrouted prompt, kept
  tables) read, written, and read again with the york-2014 profile give the
  same model, but for what ``written_back.comparable`` leaves out;
- new: the read-back is ``new_plan`` of the original (no plan number on a form
  that prints none, the plan's dates to fill in and the first plan's carried,
  the parts that record a review, 1.2's dates, 1.4 and 2.6, empty);
- the as-is documents open in LibreOffice, and their PDFs read back the same.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import docx
import pytest

import msp_convert
from written_back import assert_same
from msp_convert.mapping.coverage import recount
from msp_convert.model import (
    Appendices, Child, DocRef, Entry, Needs, Outcome, Plan, PlanDates, Profile, Provision, Section, Source, Template,
)
from msp_convert.template import DEFAULT_PROFILE, PROFILES
from msp_convert.writers.docx import new_plan, write_docx

REPO = Path(__file__).resolve().parents[1]
YORK_DOCS = sorted((REPO / "fixtures" / "york").glob("*.docx"))
YORK = PROFILES["york-2014"]
sys.path.insert(0, str(REPO / "tools"))
from render_pages import docx_to_pdfs, soffice  # noqa: E402
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_york(data: bytes) -> Plan:
    return msp_convert.read(data=data, filename="written.docx", profile=YORK)


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style name, text) of the body's paragraphs outside tables, in order."""
    document = docx.Document(io.BytesIO(data))
    return [(p.style.name, p.text) for p in document.paragraphs if p.text]


def all_text(data: bytes) -> str:
    """Every paragraph's text, tables' included, a line each."""
    body = docx.Document(io.BytesIO(data)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in body.iter(W + "p"))


def entries(*texts: str) -> list[Entry]:
    return [Entry(text=t) for t in texts]


def built_plan() -> Plan:
    """A York plan as the reader gives one, with what the fixtures do not have: history marks."""
    return Plan(
        source=Source(filename="built.docx", format="docx", sha256="0" * 64),
        template=Template(id="york-2014"),
        plan_dates=PlanDates(this_plan=dt.date(2020, 5, 18), review_by=dt.date(2020, 11, 18), initial_plan=dt.date(2019, 5, 20)),
        child=Child(name="Elsie Moorcroft", known_as="Elsie", date_of_birth=dt.date(2012, 8, 9), setting="Riverside Primary School",
                    year_group="Year 3"),
        profile=Profile(important_now=entries("My rabbit Clover"), goals_long_term=entries("I want to be a baker.")),
        needs=Needs(
            summary=[Entry(text="Elsie finds it hard to hold a pencil."), Entry(text="Extra handwriting sessions agreed.", review="R1")],
            sensory_physical=entries("Tires quickly when writing."),
        ),
        health_needs=[
            Entry(text="Mild eczema. Cream kept in the office.", struck=["Cream kept in the office."]),
            Entry(text="Hay fever in the summer term.", withdrawn=True),
        ],
        outcomes=[Outcome(number=1, key_stage="KS2", statement=Entry(text="write three sentences without a rest"))],
        provision=[Provision(outcome_number=1, actions=entries("Pencil grip and a sloped board"), who=entries("Teaching assistant"),
                             frequency=entries("Every writing lesson"), resources=entries("£8.00"), weekly_cost_gbp=8.0)],
        appendices=Appendices(health=[DocRef(reference="Occupational Therapy report", date=dt.date(2020, 1, 14))]),
        sections=[
            Section(key="york-2014/1.1", heading="1.1 Who I am",
                    entries=entries("My address: 2 Mill Lane, York YO10 4AA", "Main point of contact: Mrs S Dale, SENCO")),
            Section(key="york-2014/1.2", heading="1.2 What’s in my plan?", rows=[["1.1", "18/05/2020"], ["3.1", "11/05/2020"]]),
            Section(key="york-2014/1.3", heading="My favourite things", entries=entries("Baking with my gran")),
            Section(key="york-2014/1.4", heading="1.4 My review contribution", entries=entries("I like the sloped board.")),
            Section(key="york-2014/2.5", heading="2.5 People who can provide support and information",
                    rows=[["Name", "Role", "Contact"], ["Mrs S Dale", "SENCO", "01904 555 120"]]),
            Section(key="york-2014/3.2", heading="3.2 Educational attainment and progress",
                    entries=entries("Teacher assessment."), rows=[["Subject", "Summer 2020"], ["Writing", "Working towards"]]),
        ],
    )


@pytest.fixture(scope="module")
def originals() -> dict[str, Plan]:
    found = {p.stem: msp_convert.read(p, profile=YORK) for p in YORK_DOCS}
    found["built"] = recount(built_plan())
    return found


IDS = [p.stem for p in YORK_DOCS] + ["built"]


def test_the_york_fixtures_are_there() -> None:
    assert [p.stem for p in YORK_DOCS] == ["y01-complete", "y02-parts-left-out", "y03-placeholders-left", "y04-one-line-labels"]


@pytest.mark.parametrize("stem", IDS)
def test_as_is_reads_back_as_the_same_plan(stem: str, originals: dict[str, Plan]) -> None:
    plan = originals[stem]
    assert plan.template.id == "york-2014"
    got = read_york(write_docx(plan, mode="as-is"))
    assert got.source.filename == "written.docx"
    assert_same(got, plan)


@pytest.mark.parametrize("stem", IDS)
def test_new_reads_back_as_the_new_plan(stem: str, originals: dict[str, Plan]) -> None:
    plan = originals[stem]
    assert_same(read_york(write_docx(plan)), recount(new_plan(plan)))


def test_a_new_york_plan_has_no_history() -> None:
    plan = built_plan()
    new = new_plan(plan)
    assert new.plan_number is None  # York's form prints no plan number
    assert new.plan_dates == PlanDates(initial_plan=dt.date(2019, 5, 20))
    assert [s.key for s in new.sections] == ["york-2014/1.1", "york-2014/1.3", "york-2014/2.5", "york-2014/3.2"]
    assert [e.text for e in new.health_needs] == ["Mild eczema."]
    assert [(e.text, e.review) for e in new.needs.summary] == [
        ("Elsie finds it hard to hold a pencil.", None), ("Extra handwriting sessions agreed.", None)]
    # A York plan with no initial date: its own date becomes the first plan's.
    plan.plan_dates = PlanDates(this_plan=dt.date(2020, 5, 18))
    assert new_plan(plan).plan_dates == PlanDates(initial_plan=dt.date(2020, 5, 18))


def test_a_york_plan_is_drawn_on_the_york_form() -> None:
    shown = paragraphs(write_docx(built_plan(), mode="as-is"))
    assert shown[0] == ("Title", "My Support Plan: coordinated SEN Support")
    assert shown[1] == ("Heading 1", "Part 1: Who am I and what’s in my plan?")
    assert shown[2] == ("Heading 2", "1.1 Who I am")
    headings = [text for style, text in shown if style == "Heading 1"]
    assert headings == [
        "Part 1: Who am I and what’s in my plan?", "Part 2: Information gathered by me and my family",
        "Part 3: Information about my special educational needs",
        "Part 4: Information about my health and social care needs related to by special educational needs",
        "Part 5: Information shared and agreed at my meeting", "Part 7: Relevant advice and information that supports my plan",
    ]
    assert len([1 for style, _ in shown if style == "Heading 2"]) == 19  # 1.1-1.4, 2.1-2.6, 3.1-3.4, 4.1-4.5
    texts = [text for _, text in shown]
    assert "Outcome 1: By the end of KS2, Elsie will be able to write three sentences without a rest." in texts
    assert "Occupational Therapy report, 14/01/2020" in texts
    assert "Introduction to My Support Plan" not in texts


def test_the_cover_and_contents_are_tables() -> None:
    document = docx.Document(io.BytesIO(write_docx(built_plan(), mode="as-is")))
    cover, contents = document.tables[0], document.tables[1]
    rows = {r.cells[0].text: r.cells[1].text for r in cover.rows}
    assert rows["My first name:"] == "Elsie" and rows["My surname:"] == "Moorcroft"
    assert rows["My date of birth:"] == "09/08/2012" and rows["Date of initial plan:"] == "20/05/2019"
    assert rows["My address:"] == "2 Mill Lane, York YO10 4AA" and rows["Email address:"] == ""
    assert [c.text for c in contents.rows[0].cells] == ["", "Plan page number", "Date completed"]
    dated = {r.cells[0].text: r.cells[2].text for r in contents.rows[1:] if r.cells[2].text}
    assert dated == {"1.1 Who I am": "18/05/2020", "3.1 Special educational needs (SEN)": "11/05/2020"}


def test_the_profile_comes_from_the_plan_unless_given() -> None:
    york = built_plan()
    on_kirklees = all_text(write_docx(york, mode="as-is", profile=DEFAULT_PROFILE))
    assert "Introduction to My Support Plan" in on_kirklees and "coordinated SEN Support" not in on_kirklees
    on_york = all_text(write_docx(york, mode="as-is"))
    assert "Introduction to My Support Plan" not in on_york and "coordinated SEN Support" in on_york
    for other in ("unknown", "kirklees-v2f"):
        plan = york.model_copy(update={"template": Template(id=other)})
        assert write_docx(plan, mode="as-is") == write_docx(plan, mode="as-is", profile=DEFAULT_PROFILE)
    assert write_docx(york, mode="as-is") == write_docx(york, mode="as-is", profile=YORK)


def test_the_same_plan_gives_the_same_bytes() -> None:
    assert write_docx(built_plan()) == write_docx(built_plan())


@pytest.fixture(scope="module")
def pdfs(originals: dict[str, Plan]) -> dict[str, bytes]:
    """Each York plan's as-is document through LibreOffice, in one run."""
    if soffice() is None:  # the README's install command brings it: a skip here would prove nothing
        pytest.fail("LibreOffice (soffice) is not installed; the README's install command installs it")
    return docx_to_pdfs({stem: write_docx(plan, mode="as-is") for stem, plan in originals.items()})


@pytest.mark.parametrize("stem", IDS)
def test_its_pdf_reads_back_as_the_same_plan(stem: str, originals: dict[str, Plan], pdfs: dict[str, bytes]) -> None:
    got = msp_convert.read(data=pdfs[stem], filename="written.pdf", profile=YORK)
    assert got.source.format == "pdf"
    assert_same(got, originals[stem])
