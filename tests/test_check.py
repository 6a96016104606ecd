"""Readiness for an EHC needs assessment request: findings, costs, evidence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import msp_convert
from msp_convert.ehc.check import check_plan, to_text
from msp_convert.ehc.costs import group_size, plan_costs
from msp_convert.ehc.evidence import Reference, match
from msp_convert.model import Entry, Plan, Progress
from msp_convert.template import DEFAULT_PROFILE

PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"


def andrei() -> Plan:
    return msp_convert.read(PLANS / "12-ks4-eal-sen.docx")


def completed(plan: Plan) -> Plan:
    """The plan with every gap the check names filled in."""
    plan = plan.model_copy(deep=True)
    for key in ("profile", "story", "family", "parent_views"):
        part = getattr(plan, key)
        for prompt in DEFAULT_PROFILE.section(key).prompts:
            if prompt.field and prompt.kind == "entries" and not getattr(part, prompt.field):
                getattr(part, prompt.field).append(Entry(text="Nothing further at present."))
    plan.health_needs.append(Entry(text="No health needs."))
    for review in plan.reviews:
        done = {p.outcome_number for p in review.progress}
        review.progress += [Progress(outcome_number=o.number, text=[Entry(text="Partly met.")]) for o in plan.outcomes if o.number not in done]
        for name in ("working_well", "not_working", "new_to_introduce"):
            if not getattr(review, name):
                getattr(review, name).append(Entry(text="Discussed at the review."))
    return plan


def test_an_incomplete_plan_says_what_to_do() -> None:
    readiness = check_plan(andrei())
    assert not readiness.ready
    found = {(f.code, f.where) for f in readiness.findings if f.blocking}
    assert ("not-completed", "section 1b") in found
    assert ("progress-missing", "section 6 review R1") in found
    assert ("question-unanswered", "section 6 review R2") in found
    assert ("empty-section", "section 3") in {(f.code, f.where) for f in readiness.findings if not f.blocking}
    assert "consent-not-signed" not in {f.code for f in readiness.findings}


def test_a_completed_plan_is_ready_and_needs_enough_reviews() -> None:
    plan = completed(andrei())
    assert check_plan(plan).ready
    stricter = check_plan(plan, min_reviews=3)
    assert stricter.ready  # three dated reviews
    plan.reviews = plan.reviews[:1]
    late = check_plan(plan)
    assert not late.ready and [f.code for f in late.findings if f.blocking] == ["too-few-reviews"]


def test_costs_per_outcome_year_and_threshold() -> None:
    readiness = check_plan(andrei(), weeks=39, threshold=Decimal(2000))
    costs = readiness.costs
    assert costs["per_outcome_weekly_gbp"] == {"1": 64.8, "2": 0.0, "3": 2.0, "4": 0.0}  # the struck TA line is left out
    assert costs["weekly_total_gbp"] == 66.8
    assert costs["yearly_total_gbp"] == 2605.2 and costs["above_threshold"] is True


def test_group_sessions_are_shared_and_unreadable_costs_listed() -> None:
    plan = andrei()
    plan.provision[1].resources = [
        Entry(text="Social skills group £43.75 ÷ 8 per week"),
        Entry(text="Speech therapy – cost to be confirmed, about £"),
        Entry(text="Laptop £350 one-off"),
        Entry(text="Visual timetable resources"),
    ]
    costs = plan_costs(plan)
    assert costs.per_outcome[2] == Decimal("5.47")
    assert [(e.index, e.note) for e in costs.entries if e.outcome_number == 2] == [(1, ""), (2, "unreadable"), (3, "not weekly"), (4, "no cost stated")]
    readiness = check_plan(plan)
    assert ("cost-unreadable", "section 5 provision 2") in {(f.code, f.where) for f in readiness.findings}
    assert readiness.costs["group_shared"][0]["group"] == 8
    assert "shared by a group of 8" in to_text(readiness, "plan.docx")
    assert (group_size("£12.50/wk"), group_size("shared between 6 pupils"), group_size("group of 4")) == (None, 6, 4)


def test_evidence_files_matched_by_words_and_dates(tmp_path: Path) -> None:
    import datetime as dt

    refs = [
        Reference("education", 1, "Educational Psychologist report", dt.date(2019, 3, 14)),
        Reference("health", 1, "Speech and Language Therapy report", dt.date(2018, 3, 26)),
        Reference("education", 2, "Boxall Profile", dt.date(2018, 8, 18)),
        Reference("family", 1, "All About Me booklet", None),
    ]
    files = ["EP report March 2019.pdf", "SALT_report_2018-03-26.docx", "lunch menu.pdf", "boxall 2017.pdf", "Boxall Aug 2018.pdf", "All about me.jpg"]
    matched, unmatched = match(refs, files)
    assert [m.file for m in matched] == ["EP report March 2019.pdf", "SALT_report_2018-03-26.docx", "Boxall Aug 2018.pdf", "All about me.jpg"]
    assert unmatched == ["lunch menu.pdf", "boxall 2017.pdf"]  # last year's Boxall is not this one
    # A person's settled choice wins.
    settled, _ = match(refs, files, settled={"education 2": "lunch menu.pdf"})
    assert settled[2].file == "lunch menu.pdf"


def test_check_with_an_evidence_folder(tmp_path: Path) -> None:
    plan = completed(andrei())
    folder = tmp_path / "evidence"
    (folder / "school").mkdir(parents=True)
    (folder / "school" / "Access Reading Test 10.10.2018.pdf").write_bytes(b"%PDF-1.4")
    (folder / "Careers interview 30-01-2019.pdf").write_bytes(b"%PDF-1.4")
    (folder / "EAL Bell Foundation assessment Sept 2018.pdf").write_bytes(b"%PDF-1.4")
    outside = tmp_path / "elsewhere.pdf"
    outside.write_bytes(b"%PDF-1.4")
    os.symlink(outside, folder / "parent views.pdf")
    readiness = check_plan(plan, evidence_dir=folder)
    files = {(e["category"], e["index"]): e["file"] for e in readiness.evidence}
    assert files[("education", 1)] == "school/Access Reading Test 10.10.2018.pdf"
    assert files[("education", 2)] == "EAL Bell Foundation assessment Sept 2018.pdf"
    assert files[("careers", 1)] == "Careers interview 30-01-2019.pdf"
    assert files[("family", 1)] is None  # its only candidate is a link out of the folder
    assert readiness.refused_files == ["parent views.pdf"]
    missing = {f.where for f in readiness.findings if f.code == "evidence-missing"}
    assert missing == {"section 7 family", "section 7 careers", "section 7 other"}
    assert not readiness.ready


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "msp_convert", "check", *args], capture_output=True, text=True, timeout=120)


def test_check_command_exit_status_and_json(tmp_path: Path) -> None:
    text = run(str(PLANS / "12-ks4-eal-sen.docx"))
    assert text.returncode == 1 and text.stdout.startswith("12-ks4-eal-sen.docx: NOT READY")
    as_json = run(str(PLANS / "12-ks4-eal-sen.docx"), "--json")
    report = json.loads(as_json.stdout)
    assert report["ready"] is False and report["costs"]["weekly_total_gbp"] == 66.8
    assert "Provision still in place, per week:" in text.stdout and "Evidence (Section 7):" in text.stdout


def test_a_plan_read_as_partial_says_what_the_check_cannot_see() -> None:
    departures = Path(__file__).resolve().parents[1] / "fixtures" / "departures"
    partial = check_plan(msp_convert.read(departures / "d01-renamed-headings.docx"))
    [finding] = [f for f in partial.findings if f.code.startswith("read-")]
    assert (finding.code, finding.where, finding.blocking) == ("read-partial", "plan", False)
    assert finding.message.startswith("Read as partial: 87 % of what is written is in the form's fields; 3 part(s) under headings")
    complete = check_plan(msp_convert.read(departures / "d10-review-markers.docx"))
    assert not [f for f in complete.findings if f.code.startswith("read-")]
