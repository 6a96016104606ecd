"""The larger, messier plans (fixtures/messy/, made by fixtures/make_messy.py) read to exactly
the JSON their descriptions say they hold: nine or ten outcome and provision rows, tracked
changes, merged rows, three reviews, and every tick-box encoding in one file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

import msp_convert
from msp_convert.writers.json import to_json

MESSY = Path(__file__).resolve().parents[1] / "fixtures" / "messy"
DOCS = sorted(MESSY.glob("*.docx"))


def _comparable(plan: dict) -> dict:
    return {**plan, "warnings": [(w["code"], w["where"]) for w in plan["warnings"]]}


def test_there_are_three_messy_plans() -> None:
    assert [p.stem for p in DOCS] == ["m1-tracked-changes", "m2-merged-rows", "m3-three-reviews"]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_messy_plan_reads_to_its_expected_json(path: Path) -> None:
    got = _comparable(json.loads(to_json(msp_convert.read(path))))
    want = _comparable(json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8")))
    for key in want:
        assert got[key] == want[key], key
    assert list(got) == list(want)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_messy_plan_holds_every_box_encoding_and_nine_outcomes(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    for mark in ("w14:checkbox", "FORMCHECKBOX", 'w:font="Wingdings"', 'w:font="Wingdings 2"', "\uf0fe", "\u2612", "\u2714"):
        assert mark in xml, mark
    want = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert len(want["outcomes"]) >= 9
