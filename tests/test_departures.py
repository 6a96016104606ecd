"""Plans that depart from the template (issue 13): each item lands where the design says.

fixtures/make_departures.py draws each plan from a description and writes its
facts (fixtures/departures/NAME.facts.json): dotted paths of the model and the
values the description says they hold, never what this reader printed. A fact
key is a path ("child.name", "profile.communication[*].text": a list over
"[*]"), or "len:PATH", "codes:CODE" (how many warnings have that code),
"where:CODE" (their places, in order), "sections" (each {key, heading, entry
texts, rows}), "unmapped"; a value {"one_of": [...]} accepts any of them.
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
from msp_convert.template import DEFAULT_PROFILE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEPARTURES = FIXTURES / "departures"
CASES = sorted(DEPARTURES.glob("*.facts.json"))
MISSING = object()


def _steps(path: str) -> list[str]:
    return [s for s in re.split(r"\.|(\[[^\]]*\])", path) if s]


def resolve(value: object, steps: list[str]) -> object:
    for i, step in enumerate(steps):
        if step == "[*]":
            if not isinstance(value, list):
                return MISSING
            return [resolve(v, steps[i + 1:]) for v in value]
        if step.startswith("["):
            k = int(step[1:-1])
            if not isinstance(value, list) or k >= len(value):
                return MISSING
            value = value[k]
        elif isinstance(value, dict) and step in value:
            value = value[step]
        else:
            return MISSING
    return value


def actual(plan: dict, key: str) -> object:
    kind, _, rest = key.partition(":")
    if not rest:
        if key == "sections":
            return [{"key": s["key"], "heading": s["heading"], "entries": [e["text"] for e in s["entries"]],
                     "rows": s["rows"]} for s in plan["sections"]]
        return resolve(plan, _steps(key))
    if kind == "len":
        got = resolve(plan, _steps(rest))
        return len(got) if isinstance(got, list) else MISSING
    if kind == "codes":
        return sum(1 for w in plan["warnings"] if w["code"] == rest)
    if kind == "where":
        return [w["where"] for w in plan["warnings"] if w["code"] == rest]
    raise AssertionError(f"unknown fact kind {kind!r}")


def mismatches(plan_obj: msp_convert.Plan, facts: dict) -> list[str]:
    plan = json.loads(msp_convert.to_json(plan_obj))
    out = []
    for key, want in facts.items():
        got = actual(plan, key)
        ok = got in want["one_of"] if isinstance(want, dict) and "one_of" in want else got == want
        if not ok:
            out.append(f"{key}: got {'(absent)' if got is MISSING else got!r}, want {want!r}")
    return out


def _facts(case: Path) -> dict:
    return json.loads(case.read_text(encoding="utf-8"))


def _docx(case: Path) -> Path:
    return case.with_name(case.name.replace(".facts.json", ".docx"))


def plans_of(case: Path) -> list[msp_convert.Plan]:
    """Every plan the reader gives for a fixture, as its facts say to read it."""
    mode = _facts(case)["read"]
    if mode == "read_all":
        return list(msp_convert.read_all(_docx(case)))  # type: ignore[attr-defined]
    return [msp_convert.read(_docx(case), force=(mode == "refused"))]


def test_every_departure_of_the_issue_has_a_fixture() -> None:
    assert [c.name.split("-")[0] for c in CASES] == [f"d{n:02d}" for n in range(1, 12)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name.split(".")[0])
def test_departure_reads_to_its_facts(case: Path) -> None:
    facts = _facts(case)
    path = _docx(case)
    if facts["read"] == "refused":
        with pytest.raises(msp_convert.NotAPlanError):
            msp_convert.read(path)
        problems = mismatches(msp_convert.read(path, force=True), facts["force"])
    elif facts["read"] == "read_all":
        plans = plans_of(case)
        assert len(plans) == len(facts["plans"])
        problems = [f"plan {k + 1}: {p}" for k, (plan, want) in enumerate(zip(plans, facts["plans"]))
                    for p in mismatches(plan, want)]
        # read() gives the first plan, warned that there are more
        problems += [f"read(): {p}" for p in mismatches(msp_convert.read(path), facts["plans"][0])]
    else:
        problems = mismatches(msp_convert.read(path), facts["facts"])
    assert not problems, "\n".join(problems)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _template_wordings() -> set[str]:
    p = DEFAULT_PROFILE
    out = set(p.group_headings) | {p.plan_title}
    for s in p.sections:
        out |= set(s.headings) | {w for pr in s.prompts for w in pr.wordings}
        out |= {label for t in s.ticks for label in t.labels}
    for cols in (p.provision_columns, p.review_progress_columns, p.supported_by):
        out |= {w for c in cols for w in c.wordings}
    return {_norm(w) for w in out}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name.split(".")[0])
def test_no_heading_of_the_template_starts_a_section_of_its_own(case: Path) -> None:
    wordings = _template_wordings()
    for plan in plans_of(case):
        known = [s.heading for s in plan.sections if s.key is None and _norm(s.heading) in wordings]
        assert known == []


def _entry_texts(value: object, out: list[str]) -> list[str]:
    """The text of every Entry in the model outside `sections` (fields, statements, progress)."""
    if isinstance(value, dict):
        if set(value) >= {"text", "withdrawn", "struck"}:
            out.append(value["text"])
        for k, v in value.items():
            if k not in ("sections", "unmapped", "warnings", "source"):
                _entry_texts(v, out)
    elif isinstance(value, list):
        for v in value:
            _entry_texts(v, out)
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name.split(".")[0])
def test_nothing_of_an_unknown_section_is_filed_under_a_prompt(case: Path) -> None:
    for plan in plans_of(case):
        filed = {_norm(t) for t in _entry_texts(json.loads(msp_convert.to_json(plan)), [])}
        own = [s.heading for s in plan.sections if s.key is None]
        own += [e.text for s in plan.sections if s.key is None for e in s.entries]
        assert [t for t in own if _norm(t) in filed] == []


def test_the_fixtures_are_what_the_committed_script_makes() -> None:
    sys.path.insert(0, str(FIXTURES))
    try:
        make = importlib.import_module("make_departures")
        data = importlib.import_module("departures_data")
    finally:
        sys.path.remove(str(FIXTURES))
    for fx in data.FIXTURES:
        assert make.draw(fx) == (DEPARTURES / f"{fx['name']}.docx").read_bytes(), fx["name"]
        want = {"about": fx["about"], **make.facts_for(fx)}
        assert json.loads((DEPARTURES / f"{fx['name']}.facts.json").read_text(encoding="utf-8")) == want


# What each document holds, from its XML: the departure is really there (a guard on the
# generator). (part, pattern, how many times it occurs); d02: the form's 16 tables and 2 extra.
HOLDS = {
    "d01": [("document", r"All about me", 1), ("document", r"What we are working towards", 1),
            ("document", r"(?s)c\) my family.*b\) my story", 1), ("document", r"Section 8: Transport", 1)],
    "d02": [("document", r"<w:tbl>", 16 + 2), ("document", r"Intervention", 1)],
    "d03": [("document", r"<w:txbxContent>", 14), ("document", r"<mc:Fallback>", 7)],
    "d04": [("document", r"<w:body><w:tbl>", 1), ("document", r"</w:tbl><w:sectPr", 1)],
    "d05": [("document", r"<w:tbl>", 0), ("document", r"Outcome 1: By the end of KS2, Sam", 1)],
    "d06": [("header1", r"DOB: 09/01/2008", 1), ("footer1", r'w:instr=" PAGE "', 1),
            ("footer1", r"Hillside Primary - SEN team", 1), ("document", r">Name<", 0)],
    "d07": [("document", r"<w:sdt>", 0), ("document", r'w:val="Heading1"', 6), ("document", r"\[x\]", 6),
            ("document", r"D\.O\.B\. 03/05/2012", 1)],
    "d08": [("document", r"Introduction to My Support Plan", 2), ("document", r"Noah Brennan", 1),
            ("document", r"Lily Osei", 1)],
    "d09": [("document", r"(?s)Section 7: Appendices.*Educational Psychology Report - summary", 1)],
    "d10": [("document", r"\[R1 10/06/19\]", 1), ("document", r"\(R2 - 4\.11\.19\)", 1),
            ("document", r"room R1 with", 1), ("document", r"<w:t>Outcome</w:t>", 3)],
    "d11": [("document", r"Individual Education Plan", 1), ("document", r"My Support Plan", 0)],
}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name.split(".")[0])
def test_each_fixture_holds_its_departure(case: Path) -> None:
    with zipfile.ZipFile(_docx(case)) as z:
        parts = {n[5:-4]: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")}
    got = [(part, pattern, len(re.findall(pattern, parts.get(part, ""))))
           for part, pattern, _ in HOLDS[case.name[:3]]]
    assert got == HOLDS[case.name[:3]]
