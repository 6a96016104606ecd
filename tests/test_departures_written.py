"""A plan read off the template, written as a Word document, reads back as the same plan.

What the form has no place for goes where the writer puts it, and comes back
where it was: the sections a school added (after Section 7, each under its
heading, its table as a table), the child's known-as and the plan's dates (in
the page header), footer lines (in the footer). Only the places named in the
``unknown-heading`` warnings change: the sections are drawn after Section 7.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import msp_convert
from msp_convert.writers.docx import write_docx
from msp_convert.writers.docx.newplan import new_plan

DEPARTURES = Path(__file__).resolve().parents[1] / "fixtures" / "departures"
# d08 holds two plans (each is a plan like these); d11 is no plan at all.
CASES = [p for p in sorted(DEPARTURES.glob("d*.docx")) if not p.name.startswith(("d08", "d11"))]


def comparable(plan: msp_convert.Plan) -> dict:
    data = json.loads(msp_convert.to_json(plan))
    for key in ("source", "template"):
        data.pop(key)
    data["warnings"] = sorted(w["code"] for w in data["warnings"])
    return data


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem.split("-")[0])
def test_written_as_is_it_reads_back_the_same(path: Path) -> None:
    plan = msp_convert.read(path)
    back = msp_convert.read(data=write_docx(plan, mode="as-is"), filename="written.docx")
    assert comparable(back) == comparable(plan)


def test_the_cases_hold_sections_rows_dates_known_as_and_a_footer() -> None:
    plans = [msp_convert.read(p) for p in CASES]
    assert sum(len(p.sections) for p in plans) >= 6 and any(s.rows for p in plans for s in p.sections)
    assert any(p.plan_dates.this_plan for p in plans) and any(p.child.known_as for p in plans)
    assert any(u.where == "page footer" for p in plans for u in p.unmapped)


def test_the_next_plan_keeps_the_sections_and_dates_itself_anew() -> None:
    plan = msp_convert.read(DEPARTURES / "d06-header-footer.docx")
    assert plan.plan_dates.this_plan == dt.date(2019, 9, 12)
    new = new_plan(plan)
    assert (new.plan_dates.this_plan, new.plan_dates.review_by, new.plan_dates.initial_plan) == (None, None, dt.date(2019, 9, 12))
    kept = msp_convert.read(DEPARTURES / "d09-pasted-report.docx")
    back = msp_convert.read(data=write_docx(kept), filename="new.docx")
    assert [(s.heading, [e.text for e in s.entries]) for s in back.sections] == [
        (s.heading, [e.text for e in s.entries]) for s in kept.sections
    ]
