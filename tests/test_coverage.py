"""schema_version 1.1: which template a plan was read with, how much of it was placed, and 1.0 plans read as 1.1.

The rules are plan-model.md's "Additions in 1.1"; the worked example's
published figures (895 words, 880 placed) are checked in test_example.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import msp_convert
from msp_convert.layout import Document, Paragraph, Run
from msp_convert.mapping import map_document
from msp_convert.mapping.coverage import count
from msp_convert.model import (
    Appendices, Child, DocRef, Entry, Outcome, Plan, PlanWarning, Profile, Section, Source, Template, Unmapped, WrittenBy,
)
from msp_convert.template import DEFAULT_PROFILE, PROFILES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SOURCE = Source(filename="x.docx", format="docx", sha256="0" * 64)
KNOWN = Template(id="kirklees-v2f", matched=1.0)


def _plan(**fields) -> Plan:
    return Plan(source=SOURCE, template=fields.pop("template", KNOWN), **fields)


def test_placed_counts_written_strings_and_not_what_the_reader_derived() -> None:
    plan = _plan(
        # name 3 ("O'Neil" is two words of \w+), known_as 1, setting 3, year_group 2, upn 1; the date of birth is derived
        child=Child(name="Zoë O'Neil", known_as="Zo", setting="Ash Grove Primary", year_group="Year 4",
                    upn="A123", date_of_birth="2012-05-15"),
        consent_signed_by="S. Dobson",  # 2
        profile=Profile(
            written_by=WrittenBy(me=True, helper="Mrs Okoye (TA)"),  # 3
            # 5 words: the struck fragment is part of the text, not counted twice; the marker is gone from it
            communication=[Entry(text="I like the café, mostly", struck=["mostly"], review="R1", review_date="2019-03-12")],
        ),
        # the statement's 4 words; its number, areas and key stage are derived
        outcomes=[Outcome(number=1, areas_of_need=["health"], key_stage="KS1", statement=Entry(text="read 20 sight words"))],
        appendices=Appendices(health=[DocRef(reference="SaLT report", date="2018-03-26")]),  # 2
    )
    got = count(plan)
    assert got.placed == 3 + 1 + 3 + 2 + 1 + 2 + 3 + 5 + 4 + 2
    assert (got.words, got.in_sections, got.unmapped, got.verdict) == (got.placed, 0, 0, "complete")


def test_sections_count_as_placed_when_known_and_apart_when_not() -> None:
    known = Section(key="york-2014/2.4", heading="My Health", entries=[Entry(text="Asthma, uses an inhaler")], rows=[["Dr Patel", "GP"]])
    unknown = Section(key=None, heading="Transport to school", entries=[Entry(text="Taxi each day")], rows=[["Escort", "Mrs Ward"]])
    plan = _plan(sections=[known, unknown], unmapped=[Unmapped(where="cover", text="Copies to: parents")])
    got = count(plan)
    # known: its entries (4) and rows (3), not its heading (the form's own wording)
    # unknown: heading (3), entries (3), rows (3); unmapped 3
    assert (got.placed, got.in_sections, got.unmapped, got.words) == (7, 9, 3, 19)
    assert got.verdict == "partial"  # 7 of 19 placed


@pytest.mark.parametrize(
    ("placed", "unmapped", "verdict"),
    [(19, 1, "complete"), (18, 1, "partial"), (0, 0, "complete")],  # 95 % exactly; 94.7 %; a blank form loses nothing
)
def test_verdict_on_a_known_template_is_complete_from_95_per_cent_placed(placed: int, unmapped: int, verdict: str) -> None:
    plan = _plan(
        health_needs=[Entry(text=" ".join(["word"] * placed))] if placed else [],
        unmapped=[Unmapped(where="cover", text="note")] * unmapped,
    )
    assert (count(plan).placed, count(plan).unmapped, count(plan).verdict) == (placed, unmapped, verdict)


def test_verdict_without_a_known_template_and_for_a_forced_non_plan() -> None:
    assert count(_plan(template=Template(id="unknown"), health_needs=[Entry(text="all of it")])).verdict == "other-layout"
    forced = _plan(warnings=[PlanWarning(code="not-a-plan", message="", where=None)])
    assert count(forced).verdict == "not-a-plan"


def _para(text: str) -> Paragraph:
    return Paragraph(inlines=[Run(text)])


def test_matched_is_the_share_of_the_profiles_headings_and_prompts_found() -> None:
    lines = [
        "Section 2: My special educational needs", "A summary of my needs", "Finds reading hard.",
        "Cognition and Learning", "Reads at a Year 2 level.",
        "Section 3: My health needs", "Asthma.",
    ]
    plan = map_document(Document(body=[_para(t) for t in lines]), SOURCE).value
    total = len(DEFAULT_PROFILE.landmarks())
    assert total == 76
    # two headings and two prompts of the 76
    assert plan.template == Template(id="kirklees-v2f", matched=round(4 / 76, 3)) and plan.template.matched == 0.053
    assert plan.coverage.model_dump() == {"words": 10, "placed": 10, "in_sections": 0, "unmapped": 0, "verdict": "complete"}


def test_a_forced_non_plan_keeps_its_words_in_unmapped() -> None:
    lines = ["Dear Mrs Hughes,", "Thank you for your letter about the trip."]
    plan = map_document(Document(body=[_para(t) for t in lines]), SOURCE, force=True).value
    assert plan.template == Template(id="unknown", matched=0.0)  # no profile fits it
    assert plan.coverage.model_dump() == {"words": 11, "placed": 0, "in_sections": 0, "unmapped": 11, "verdict": "not-a-plan"}
    assert "other-layout" not in [w.code for w in plan.warnings]  # its verdict is not-a-plan


def test_a_plan_on_a_layout_the_profile_does_not_describe_is_other_layout() -> None:
    # Three of the form's headings (enough to be read), the rest a layout of its own:
    # under 15 % of the landmarks, and under half the words placed.
    lines = ["Introduction to My Support Plan", "Section 1: About me", "Section 3: My health needs"]
    notes = [f"Our school's own record, part {n}: notes from the meeting held with the family." for n in range(6)]
    plan = map_document(Document(body=[_para(t) for t in lines[:2] + notes + lines[2:]]), SOURCE).value
    assert plan.template.id == "unknown" and plan.template.matched < 0.15
    assert plan.coverage.verdict == "other-layout" and plan.coverage.placed * 2 < plan.coverage.words
    assert [w.code for w in plan.warnings if w.code == "other-layout"] == ["other-layout"]
    # The same few headings with the writing placed under them: a partial plan on the form.
    placed = map_document(Document(body=[_para(t) for t in lines[:3] + ["Asthma: uses an inhaler before PE."]]), SOURCE).value
    assert placed.template.id == "kirklees-v2f" and placed.coverage.verdict == "complete"


def test_the_profiles_landmarks_are_distinct_and_the_blank_form_has_them_all() -> None:
    landmarks = DEFAULT_PROFILE.landmarks()
    assert len(set(landmarks)) == len(landmarks)
    # "with help from" is printed inside 1a's tick label "Me with help from": read as the tick list
    assert ("prompt", "profile", "with help from") not in landmarks
    assert ("prompt", "story", "with help from") in landmarks
    assert set(PROFILES) == {"kirklees-v2f", "york-2014"} and DEFAULT_PROFILE.name == "kirklees-v2f"  # issue 14 adds York
    blank = msp_convert.read(FIXTURES / "blank-template.docx")
    assert blank.template.matched == 1.0
    assert blank.coverage.model_dump() == {"words": 0, "placed": 0, "in_sections": 0, "unmapped": 0, "verdict": "complete"}
    # 08 deleted the key table above the provision, and the "Provision" heading with it
    assert msp_convert.read(FIXTURES / "plans" / "08-ks1-visual-impairment.docx").template.matched == round(75 / 76, 3)


def _as_1_0(plan: dict) -> dict:
    old = {k: v for k, v in plan.items() if k not in ("template", "coverage", "plan_dates", "sections")}
    old["schema_version"] = "1.0"
    old["child"] = {k: v for k, v in plan["child"].items() if k != "known_as"}
    return old


def test_a_plan_written_as_1_0_is_converted_as_1_1(tmp_path: Path) -> None:
    want = json.loads((FIXTURES / "plans" / "06-ks2-semh.expected.json").read_text(encoding="utf-8"))
    old = tmp_path / "old.json"
    old.write_text(json.dumps(_as_1_0(want), indent=2), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "msp_convert", "convert", str(old), "-q"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["schema_version"] == "1.1"
    assert got["template"] == {"id": "kirklees-v2f", "matched": None}  # the one form 1.0 knew; its share was not recorded
    assert got["coverage"] == want["coverage"] == {"words": 652, "placed": 612, "in_sections": 0, "unmapped": 40, "verdict": "partial"}
    assert got["plan_dates"] == {"this_plan": None, "review_by": None, "initial_plan": None}
    assert got["sections"] == [] and got["child"]["known_as"] is None
    assert list(got) == list(want)
    for key in want:
        if key not in ("source", "template"):
            assert got[key] == want[key], key


def test_coverage_in_a_json_plan_is_counted_again_never_taken_on_trust(tmp_path: Path) -> None:
    want = json.loads((FIXTURES / "plans" / "03-ks2-dyslexia.expected.json").read_text(encoding="utf-8"))
    claimed = dict(want, coverage={"words": 1, "placed": 1, "in_sections": 0, "unmapped": 0, "verdict": "complete"})
    plan = msp_convert.read(data=json.dumps(claimed).encode(), filename="claimed.json")
    assert plan.coverage.model_dump() == want["coverage"] == {"words": 572, "placed": 563, "in_sections": 0, "unmapped": 9, "verdict": "complete"}
    assert plan.template.model_dump() == want["template"]
