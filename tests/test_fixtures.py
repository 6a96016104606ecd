"""Every fixture plan reads to exactly the JSON its generator says it holds.

The expected JSON comes from the plan descriptions in fixtures/, never from
this reader. Warnings are compared by code and place: their wording is for
people and may improve.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import msp_convert
from msp_convert.mapping.coverage import count
from msp_convert.mapping.dates import DATE_RE
from msp_convert.mapping.entries import areas_of_need
from msp_convert.model import Plan
from msp_convert.writers.json import to_json

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

DOCS = sorted(FIXTURES.glob("plans/*.docx")) + [FIXTURES / "blank-template.docx"]


def _comparable(plan: dict) -> dict:
    plan = dict(plan)
    plan["warnings"] = [(w["code"], w["where"]) for w in plan["warnings"]]
    return plan


def test_there_are_enough_fixtures() -> None:
    assert len(DOCS) >= 13


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_fixture_reads_to_its_expected_json(path: Path) -> None:
    got = json.loads(to_json(msp_convert.read(path)))
    want = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    got_c, want_c = _comparable(got), _comparable(want)
    for key in want_c:  # one section at a time, for a readable failure
        assert got_c[key] == want_c[key], key
    assert list(got) == list(want)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_coverage_counted_from_the_model_agrees_with_the_generators_count(path: Path) -> None:
    # fixtures/expect.py counts the expected model's words field by field; the
    # package walks the model: two counts of one definition, neither from reading the file.
    want = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert count(Plan.model_validate(want)).model_dump() == want["coverage"]


def test_the_fixtures_hold_both_verdicts_and_a_form_missing_a_heading() -> None:
    wants = [json.loads(p.with_suffix(".expected.json").read_text(encoding="utf-8")) for p in DOCS]
    assert {w["coverage"]["verdict"] for w in wants} == {"complete", "partial"}
    assert sorted({w["template"]["matched"] for w in wants}) == [0.987, 1.0]
    assert all(w["template"]["id"] == "kirklees-v2f" and w["schema_version"] == "1.1" for w in wants)


# Lines the contract turns into structure (dates to ISO, "By the end of KS2,
# Jack will be able to" to key_stage and statement, areas to codes, header
# labels to child fields) are checked field by field above, not word by word.
_STRUCTURAL = re.compile(r"will be able to|area\(s\) of my needs|^(?:name|dob|date of birth|upn|setting|year group)\s*:|^my support plan|^msp no", re.IGNORECASE)
_MARKER = re.compile(r"\bR[123]\b")
_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f£]+")
# An outcome's areas become codes ("SEMH" -> social_emotional).
_AREA_WORDS = set("semh pfa slcn mental health physical sensory social emotional cognition learning communication interaction needs care preparing adulthood key transitions for and or".split())


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_every_word_typed_appears_in_the_output(path: Path) -> None:
    typed = json.loads(path.with_suffix(".typed.json").read_text(encoding="utf-8"))
    words = {w.lower() for text in _strings(msp_convert.read(path).model_dump(mode="json")) for w in _WORD.findall(text)}
    checked = 0
    for line in typed:
        if _STRUCTURAL.search(line):
            continue
        bare = _MARKER.sub(" ", DATE_RE.sub(" ", line))
        missing = [w for w in _WORD.findall(bare) if w.lower() not in words]
        if areas_of_need(line):
            missing = [w for w in missing if w.lower() not in _AREA_WORDS]
        assert not missing, f"{path.name}: typed words missing from the output: {missing}"
        checked += 1
    assert checked >= len(typed) // 2 or path.stem == "blank-template"
