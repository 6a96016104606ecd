"""York 2014 My Support Plans (issue 14) read to the facts of their description.

fixtures/make_york.py draws each plan (fixtures/york/NAME.docx, and its LibreOffice PDF
fixtures/york/pdf/NAME.pdf) from fixtures/york_data.py and writes its facts
(NAME.facts.json): dotted model paths and the values the description says they hold,
never what this reader printed. Fact kinds as tests/test_departures.py, plus
"section-entries:KEY" (the entry texts of every `sections` item with that key, in order;
"section-entries:KEY@HEADING" only of the items headed HEADING) and "section-rows:KEY"
(their rows, in order).
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

import msp_convert
from test_departures import MISSING, actual

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
YORK = FIXTURES / "york"
PDFS = YORK / "pdf"
CASES = sorted(YORK.glob("*.facts.json"))

# fixture -> {fact: why its PDF cannot give it}. LibreOffice keeps every word, table and
# the page header of these plans; nothing is excluded yet. Add an item only with its reason.
PDF_ONLY: dict[str, dict[str, str]] = {}


def _name(case: Path) -> str:
    return case.name.replace(".facts.json", "")


def _facts(case: Path) -> dict:
    return json.loads(case.read_text(encoding="utf-8"))["facts"]


def _sections(plan: dict, key: str) -> list[dict]:
    key, _, heading = key.partition("@")
    return [s for s in plan["sections"] if s["key"] == key and (not heading or s["heading"] == heading)]


def york_actual(plan: dict, key: str) -> object:
    kind, _, rest = key.partition(":")
    if kind == "section-entries":
        return [e["text"] for s in _sections(plan, rest) for e in s["entries"]]
    if kind == "section-rows":
        return [r for s in _sections(plan, rest) for r in s["rows"]]
    return actual(plan, key)


def mismatches(plan_obj: msp_convert.Plan, facts: dict, skip: dict | None = None) -> list[str]:
    plan = json.loads(msp_convert.to_json(plan_obj))
    out = []
    for key, want in facts.items():
        if key in (skip or {}):
            continue
        got = york_actual(plan, key)
        ok = got in want["one_of"] if isinstance(want, dict) and "one_of" in want else got == want
        if not ok:
            out.append(f"{key}: got {'(absent)' if got is MISSING else got!r}, want {want!r}")
    return out


def test_every_plan_of_the_brief_has_a_fixture_and_a_pdf() -> None:
    names = [_name(c) for c in CASES]
    assert names == ["y01-complete", "y02-parts-left-out", "y03-placeholders-left", "y04-one-line-labels"]
    assert sorted(p.stem for p in PDFS.glob("*.pdf")) == names


@pytest.mark.parametrize("case", CASES, ids=_name)
def test_york_docx_reads_to_its_facts(case: Path) -> None:
    problems = mismatches(msp_convert.read(YORK / f"{_name(case)}.docx"), _facts(case))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", CASES, ids=_name)
def test_york_pdf_reads_to_the_facts_of_its_docx(case: Path) -> None:
    name = _name(case)
    problems = mismatches(msp_convert.read(PDFS / f"{name}.pdf"), _facts(case), PDF_ONLY.get(name))
    assert not problems, "\n".join(problems)


def _strings(value: object, out: list[str]) -> list[str]:
    if isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)
    elif isinstance(value, str):
        out.append(value)
    return out


def _never_content() -> list[str]:
    sys.path.insert(0, str(FIXTURES))
    try:
        return importlib.import_module("make_york").NEVER_CONTENT
    finally:
        sys.path.remove(str(FIXTURES))


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("case", CASES, ids=_name)
def test_no_placeholder_or_contents_wording_anywhere_in_the_json(case: Path, fmt: str) -> None:
    path = YORK / f"{_name(case)}.docx" if fmt == "docx" else PDFS / f"{_name(case)}.pdf"
    texts = _strings(json.loads(msp_convert.to_json(msp_convert.read(path))), [])
    found = sorted({w for w in _never_content() for t in texts if w.lower() in t.lower()})
    assert found == []


def test_the_fixtures_are_what_the_committed_script_makes() -> None:
    sys.path.insert(0, str(FIXTURES))
    try:
        make = importlib.import_module("make_york")
        data = importlib.import_module("york_data")
    finally:
        sys.path.remove(str(FIXTURES))
    for fx in data.FIXTURES:
        assert make.draw(fx) == (YORK / f"{fx['name']}.docx").read_bytes(), fx["name"]
        want = {"about": fx["about"], **make.facts_for(fx)}
        assert json.loads((YORK / f"{fx['name']}.facts.json").read_text(encoding="utf-8")) == want


# What each document holds, from its XML: the layout the brief asks for is really there
# (a guard on the generator). (part, pattern, how many times it occurs)
HOLDS = {
    "y01": [("document", r"<w:t>My Support Plan: coordinated SEN Support</w:t>", 1),
            ("document", r"<w:gridSpan w:val=\"3\"/>", 11),     # one-label cover rows: value over 3 cells
            ("document", r"<w:gridSpan w:val=\"4\"/>", 3),      # its sub-headings: one cell over 4
            ("document", r"<w:t>Plan page number</w:t>", 1), ("document", r"w:val=\"Heading1\"", 6),
            ("document", r"<w:t>£25\.50</w:t>", 1), ("document", r"<w:sdt>", 0)],
    "y02": [("document", r"Plan page number", 0), ("document", r"Part 4:", 0), ("document", r"Part 7:", 0),
            ("document", r"<w:t>N/A</w:t>", 1), ("document", r"Weekly cost", 0)],
    "y03": [("header1", r"Name: Mia Hartley  Date of birth: 04/11/2008  Initial plan date: 20/01/2019"
                        r"  Current plan date: 14/10/2019", 1),
            ("document", r"<w:showingPlcHdr/>", 7), ("document", r"<w:dropDownList>", 1),
            ("document", r"<w:sdt>", 7 + 2),                      # showing placeholders, and 2 typed into
            ("document", r"Enter your leaving date", 1), ("document", r">Enter date<", 3)],
    "y04": [("document", r"<w:tbl>", 2),                          # the contents and Part 5's actions: no cover table
            ("document", r"<w:t>Email address: r\.sandhu@example\.org</w:t><w:tab/><w:t>Phone number:", 1),
            ("document", r"<w:t>Date of this plan: 06/02/2020</w:t><w:tab/><w:t>Date this plan will", 1),
            ("document", r"<w:t>N/A</w:t>", 4)],
}


@pytest.mark.parametrize("case", CASES, ids=_name)
def test_each_fixture_holds_its_layout(case: Path) -> None:
    with zipfile.ZipFile(YORK / f"{_name(case)}.docx") as z:
        parts = {n[5:-4]: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")}
    want = HOLDS[case.name[:3]]
    got = [(part, pattern, len(re.findall(pattern, parts.get(part, "")))) for part, pattern, _ in want]
    assert got == want
