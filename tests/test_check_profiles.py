"""`check` per template profile: what the York 2014 form needs, the Kirklees form unchanged, tables per template.

York plans are built here as models (fictional children), not read: the check
asks the model, whichever reader made it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from msp_convert.ehc.check import check_plan, profile_of, to_text
from msp_convert.ehc.evidence import BundleError, match, read_map, references
from msp_convert.errors import InputError
from msp_convert.model import DocRef, Entry, Outcome, Plan, Provision, Section, Source
from msp_convert.template import DEFAULT_PROFILE, PROFILES, Check, Required
from msp_convert.writers.tables import PROVISION_COLUMNS, plan_rows

YORK = "york-2014"


def entries(*texts: str) -> list[Entry]:
    return [Entry(text=t) for t in texts]


def york_plan() -> Plan:
    """A York plan that is fully completed and reviewed once."""
    plan = Plan(source=Source(filename="ava.docx", format="docx", sha256="a" * 64))
    plan.template.id, plan.template.matched = YORK, 1.0
    plan.coverage.verdict = "complete"
    plan.child.name, plan.child.known_as, plan.child.date_of_birth = "Ava Whitfield", "Ava", dt.date(2010, 5, 17)
    plan.child.setting, plan.child.year_group = "Millbeck Primary School", "Year 4"
    plan.plan_dates.initial_plan, plan.plan_dates.this_plan, plan.plan_dates.review_by = dt.date(2018, 9, 14), dt.date(2019, 9, 12), dt.date(2020, 3, 12)
    plan.profile.important_now = entries("Seeing my friends at break time.")
    plan.parent_views.important_now = entries("That Ava feels confident to read aloud.")
    plan.needs.summary = entries("Ava finds reading and spelling hard.")
    plan.needs.cognition_and_learning = entries("Reading age two years below her age.")
    plan.health_needs = entries("None at present.")
    plan.social_care_needs = entries("None.")
    plan.outcomes = [
        Outcome(number=1, key_stage="KS2", statement=Entry(text="read a short chapter book aloud")),
        Outcome(number=2, key_stage="KS2", statement=Entry(text="write three sentences on her own")),
    ]
    plan.provision = [
        Provision(outcome_number=n, actions=entries("Daily reading with an adult"), who=entries("Teaching assistant"),
                  frequency=entries("15 minutes daily"), resources=entries("TA time £25.50 a week"), weekly_cost_gbp=25.5)
        for n in (1, 2)
    ]
    plan.appendices.education = [DocRef(reference="Educational Psychology report, Dr K Hill", date=dt.date(2019, 5, 3))]
    plan.appendices.health = [DocRef(reference="Speech and Language Therapy advice", date=dt.date(2019, 2, 12))]
    plan.sections = [
        Section(key=f"{YORK}/1.2", heading="1.2 What’s in my plan?", rows=[["1.1", "12/09/2019"], ["1.3", "12/09/2019"]]),
        Section(key=f"{YORK}/1.4", heading="1.4 My review contribution", entries=entries("I like my reading group now.")),
        Section(key=f"{YORK}/2.6", heading="2.6 My family’s review contribution", entries=entries("Reading at home is easier.")),
    ]
    return plan


def found(plan: Plan, **options) -> list[tuple[str, str, bool]]:
    return [(f.code, f.where, f.blocking) for f in check_plan(plan, **options).findings]


def test_a_completed_and_reviewed_york_plan_is_ready_with_no_r1_r3_reviews() -> None:
    plan = york_plan()
    assert plan.reviews == []
    readiness = check_plan(plan, min_reviews=3)  # no R1-R3 tables on this form: min_reviews does not apply
    assert readiness.ready and readiness.findings == []
    assert readiness.costs["per_outcome_weekly_gbp"] == {"1": 25.5, "2": 25.5} and readiness.costs["yearly_total_gbp"] == 1938.0
    assert readiness.template == YORK and profile_of(plan).name == YORK
    assert readiness.plan_dates == {"this_plan": "2019-09-12", "review_by": "2020-03-12", "initial_plan": "2018-09-14"}


def test_a_york_plan_whose_dates_have_not_moved_on_is_not_reviewed() -> None:
    plan = york_plan()
    plan.plan_dates.this_plan = plan.plan_dates.initial_plan
    [finding] = check_plan(plan).findings
    assert (finding.code, finding.where, finding.blocking) == ("not-reviewed", "part 1.1", True)
    assert finding.message == "“Date of this plan” is not later than “Date of initial plan”: the plan has not been reviewed since it was made."
    plan.plan_dates.initial_plan = None
    [finding] = check_plan(plan).findings
    assert (finding.code, finding.message) == (
        "not-reviewed", "Without both “Date of this plan” and “Date of initial plan” the plan does not show that it was reviewed.")


def test_a_york_review_needs_the_childs_and_the_familys_contributions() -> None:
    plan = york_plan()
    plan.sections = [s for s in plan.sections if s.key != f"{YORK}/1.4"]
    plan.sections[-1].entries = [Entry(text="Old view, struck through.", withdrawn=True)]
    readiness = check_plan(plan)
    assert not readiness.ready
    assert [(f.code, f.where) for f in readiness.findings] == [("not-reviewed", "part 1.4"), ("not-reviewed", "part 2.6")]
    assert "the child's or young person's view" in readiness.findings[0].message
    plan.sections.append(Section(key=f"{YORK}/1.4", heading="1.4 My review contribution", rows=[["Me", "I can read to my class."]]))
    assert found(plan) == [("not-reviewed", "part 2.6", True)]  # a table's rows count as written


def test_a_york_plan_with_parts_left_out_says_which() -> None:
    plan = york_plan()
    plan.child.date_of_birth = None
    plan.profile.important_now = []
    plan.needs = type(plan.needs)()
    plan.health_needs, plan.social_care_needs = [], []
    plan.appendices = type(plan.appendices)()
    plan.sections = [s for s in plan.sections if s.key != f"{YORK}/1.2"]
    readiness = check_plan(plan)
    assert [(f.code, f.where, f.blocking) for f in readiness.findings] == [
        ("not-completed", "part 1.1", True),
        ("not-completed", "part 1.2", False),
        ("not-completed", "part 1.3", True),
        ("not-completed", "part 3.1", True),
        ("empty-section", "part 4.1", False),
        ("empty-section", "part 4.3", False),
        ("no-evidence", "part 7", True),
    ]
    messages = {f.where: f.message for f in readiness.findings}
    assert messages["part 1.1"] == "The front cover gives no date of birth."
    assert messages["part 7"] == "Part 7 lists no documents that inform the plan."


def test_about_me_written_under_a_prompt_the_profile_does_not_route_counts() -> None:
    plan = york_plan()
    plan.profile.important_now = []
    plan.sections.append(Section(key=f"{YORK}/1.3", heading="My favourite things", entries=entries("Drawing horses.")))
    assert check_plan(plan).ready
    plan.sections[-1].key = None  # a heading the reader did not know is not Part 1.3
    assert found(plan) == [("not-completed", "part 1.3", True)]


def test_york_outcomes_need_their_actions_and_no_area_of_need() -> None:
    plan = york_plan()
    plan.provision[0].who = [Entry(text="Class teacher", withdrawn=True)]
    plan.provision[0].resources = []  # the cost is not asked for: the costs list it as "no cost stated"
    plan.provision = plan.provision[:1]
    plan.outcomes.append(Outcome(number=3))
    readiness = check_plan(plan)
    assert [(f.code, f.where, f.message) for f in readiness.findings] == [
        ("provision-incomplete", "part 5 actions 1", "The provision does not say who will do it."),
        ("no-provision", "part 5 outcome 2", "No provision row meets this outcome."),
        ("not-completed", "part 5 outcome 3", "The outcome has no statement of what the child will be able to do."),
        ("no-provision", "part 5 outcome 3", "No provision row meets this outcome."),
    ]
    assert readiness.costs["per_outcome_weekly_gbp"] == {"1": 0.0} and readiness.costs["no_cost_stated"] == []


def test_york_evidence_is_named_by_part_7() -> None:
    plan = york_plan()
    refs = references(plan)
    matched, unmatched = match(refs, ["EP report May 2019.pdf"])
    readiness = check_plan(plan, evidence=(matched, unmatched, []))
    assert found_missing(readiness) == ["part 7 health"]
    text = to_text(readiness, "ava.docx")
    assert "Evidence (Part 7):" in text and "Section 7" not in text


def found_missing(readiness) -> list[str]:
    return [f.where for f in readiness.findings if f.code == "evidence-missing"]


def test_york_text_report_gives_the_plans_dates_as_its_reviews() -> None:
    text = to_text(check_plan(york_plan()), "ava.docx")
    assert text.startswith("ava.docx: READY for an EHC needs assessment request\n")
    assert "Reviews:\n  Date of this plan: 2019-09-12\n  Date this plan will be reviewed by: 2020-03-12\n  Date of initial plan: 2018-09-14\n" in text


def test_the_profile_comes_from_the_template_unless_given() -> None:
    plan = york_plan()
    as_kirklees = {code for code, _, _ in found(plan, profile=DEFAULT_PROFILE)}
    assert {"consent-not-signed", "written-by-missing", "too-few-reviews"} <= as_kirklees
    plan.template.id = "unknown"  # no known form: checked as the Kirklees form
    assert {code for code, _, _ in found(plan)} == as_kirklees
    assert check_plan(plan).template == "kirklees-v2f" and check_plan(plan).plan_dates is None


def test_an_empty_kirklees_plan_gets_the_findings_it_always_got() -> None:
    plan = Plan(source=Source(filename="blank.docx", format="docx", sha256="b" * 64), template={"id": "kirklees-v2f"})
    got = found(plan)
    by_where = [(code, where) for code, where, _ in got]
    assert by_where[0] == ("consent-not-signed", "introduction")
    assert [w for c, w in by_where if c == "written-by-missing"] == ["section 1a", "section 1b", "section 1c", "section 1d"]
    assert [w for c, w in by_where if c == "not-completed"].count("section 1a") == 10
    assert got[-7:] == [
        ("not-completed", "section 2", True), ("not-completed", "section 2", True),
        ("empty-section", "section 3", False), ("empty-section", "section 4", False),
        ("no-outcomes", "section 5 outcomes", True), ("too-few-reviews", "section 6 review", True), ("no-evidence", "section 7", True),
    ]
    assert len(got) == 35
    assert check_plan(plan).findings[-1].message == "Section 7 lists no documents that inform the plan."


def test_a_profile_naming_no_field_of_the_plan_is_refused_in_one_line() -> None:
    broken = dataclasses.replace(PROFILES[YORK], check=Check(required=(Required(fields=("needs.nonsense",), where="part 3.1", message="m"),)))
    with pytest.raises(InputError) as err:
        check_plan(york_plan(), profile=broken)
    assert "'needs.nonsense'" in str(err.value) and "\n" not in str(err.value)


def test_the_evidence_map_names_part_7_for_a_york_plan(tmp_path: Path) -> None:
    refs = references(york_plan())
    bad = tmp_path / "map.csv"
    bad.write_text("Part 7,file\nhealth 2,x.pdf\n", encoding="utf-8")
    with pytest.raises(BundleError) as err:
        read_map(bad, refs, ["x.pdf"], [], part="Part 7")
    assert str(err.value) == "has \"health 2\", but Part 7 lists 1 health reference(s)"


def test_tables_name_a_york_plans_template_dates_and_actions() -> None:
    rows = plan_rows(york_plan(), "york/ava.docx")
    [plan_row] = rows["plans"]
    assert (plan_row["template_id"], plan_row["known_as"], plan_row["date_of_this_plan"], plan_row["date_of_initial_plan"]) == (
        YORK, "Ava", "2019-09-12", "2018-09-14")
    assert (plan_row["weekly_cost_gbp"], plan_row["reviews"], plan_row["sections"]) == ("51.00", "0", "3")
    first = [(r["column"], r["text"], r["weekly_cost_gbp"]) for r in rows["provision"] if r["outcome_number"] == "1"]
    assert first == [("actions", "Daily reading with an adult", ""), ("who", "Teaching assistant", ""),
                     ("frequency", "15 minutes daily", ""), ("resources", "TA time £25.50 a week", "25.50")]
    assert rows["reviews"] == []


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_profiles_provision_columns_keep_the_tables_order(name: str) -> None:
    fields = [c.field for c in PROFILES[name].provision_columns if c.field != "outcome_number"]
    assert fields and all(f in PROVISION_COLUMNS for f in fields)
    assert fields == sorted(fields, key=PROVISION_COLUMNS.index)
    needs = [n.field for n in PROFILES[name].check.provision_needs]
    assert needs and set(needs) <= set(fields)


YORK_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "york"
# What each York fixture lacks, from its description (fixtures/york/*.facts.json "about"): blocking, then advice.
# Costs are left out of the advice: how a bare amount under "Weekly cost" is read is the costs' business.
YORK_READ = {
    "y01-complete": (set(), set()),
    "y02-parts-left-out": (  # no initial plan date, 1.4 empty, no Part 7; no contents page, no Part 4
        {("not-reviewed", "part 1.1"), ("not-reviewed", "part 1.4"), ("no-evidence", "part 7")},
        {("not-completed", "part 1.2"), ("empty-section", "part 4.1"), ("empty-section", "part 4.3")},
    ),
    "y03-placeholders-left": (  # the review-by date left as a placeholder, 1.4 and 2.6 empty; 4.3 empty
        {("not-completed", "part 1.1"), ("not-reviewed", "part 1.4"), ("not-reviewed", "part 2.6")},
        {("empty-section", "part 4.3")},
    ),
    "y04-one-line-labels": ({("not-reviewed", "part 1.4"), ("not-reviewed", "part 2.6")}, set()),
}


@pytest.mark.parametrize("stem", sorted(YORK_READ))
def test_york_fixtures_as_read_get_the_findings_their_descriptions_give(stem: str) -> None:
    import msp_convert

    plan = msp_convert.read(YORK_FIXTURES / f"{stem}.docx")
    readiness = check_plan(plan)
    blocking, advice = YORK_READ[stem]
    assert readiness.template == YORK
    assert {(f.code, f.where) for f in readiness.findings if f.blocking} == blocking
    assert {(f.code, f.where) for f in readiness.findings if not f.blocking and f.code != "cost-unreadable"} == advice
    assert readiness.ready is (not blocking)


def test_york_amounts_under_the_weekly_cost_column_are_weekly_costs() -> None:
    # y01's actions table: "Weekly cost" | £25.50 and £12.00. Fails until ehc/costs.py reads a bare amount
    # as weekly under a column the profile marks weekly (mapping.entries.weekly_amount(text, weekly=True)).
    import msp_convert

    readiness = check_plan(msp_convert.read(YORK_FIXTURES / "y01-complete.docx"))
    assert readiness.costs["per_outcome_weekly_gbp"] == {"1": 25.5, "2": 12.0}
    assert readiness.costs["unreadable"] == [] and "cost-unreadable" not in {f.code for f in readiness.findings}
