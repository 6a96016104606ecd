"""Where each field was read (mapping.origins, reader.read_all_with_origins): on real fixtures,
each origin's box holds on the page what the field says; the plan itself is unchanged."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

import msp_convert
from msp_convert.mapping.origins import Origin, Origins, with_rows
from msp_convert.model import Plan
from msp_convert.reader import read_all_with_origins
from msp_convert.results import field_place
from msp_convert.writers.json import to_json

REPO = Path(__file__).resolve().parents[1]
PDF = REPO / "fixtures" / "pdf" / "09-ks2-adhd.pdf"
TWO_PLANS = REPO / "fixtures" / "departures" / "pdf" / "d08-two-plans.pdf"
SCAN = REPO / "fixtures" / "scans" / "08-ks1-visual-impairment.pdf"
WORD = REPO / "fixtures" / "plans" / "09-ks2-adhd.docx"


@pytest.fixture(scope="module")
def read_pdf() -> tuple[Plan, Origins]:
    found, origins = read_all_with_origins(PDF)
    assert len(found.value) == len(origins) == 1
    return found.value[0], origins[0]


def words_in(path: Path, origin: Origin) -> str:
    """The text of the PDF's characters inside the origin's box."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[origin.page - 1]
        return page.within_bbox(origin.box).extract_text()


def value_at(plan: Plan, path: str) -> Any:
    """The value of the plan's JSON at a model path ("outcomes[2].statement"); KeyError/IndexError if none."""
    node: Any = plan.model_dump(mode="json")
    for name, index in re.findall(r"([a-z_]+)|\[(\d+)\]", path):
        node = node[name] if name else node[int(index)]
    return node


def test_an_outcomes_statement_is_found_where_its_words_are(read_pdf: tuple[Plan, Origins]) -> None:
    plan, origins = read_pdf
    for k in (0, 1):
        statement = plan.outcomes[k].statement
        assert statement is not None
        origin = origins.fields[f"outcomes[{k}].statement"]
        inside = words_in(PDF, origin)
        assert statement.text.split()[0] in inside.split()
        assert statement.text.split()[-1].rstrip(".") in inside
    first, second = origins.fields["outcomes[0].statement"], origins.fields["outcomes[1].statement"]
    assert first.page == second.page == 5 and first.box[3] <= second.box[1]  # one above the other, apart


def test_entries_in_cells_and_provision_rows_are_where_their_text_is(read_pdf: tuple[Plan, Origins]) -> None:
    plan, origins = read_pdf
    for path in ("profile.communication[0]", "needs.summary[1]", "provision[0].resources[1]", "provision[1].actions[3]", "reviews[1].progress[2].text[1]"):
        text = value_at(plan, path)["text"]
        inside = " ".join(words_in(PDF, origins.fields[path]).split())
        assert text.split()[0] in inside and text.split()[-1] in inside, path
    row = origins.fields["provision[0]"]  # a row: the box round its cells' entries
    assert row.page == 7 and row.box[0] <= origins.fields["provision[0].steps[0]"].box[0] and row.box[2] >= origins.fields["provision[0].resources[0]"].box[2]


def test_tick_boxes_and_the_cover_are_placed(read_pdf: tuple[Plan, Origins]) -> None:
    plan, origins = read_pdf
    tick = origins.fields["other_plans.child_in_need"]
    assert tick.page == 1 and 6 < tick.box[2] - tick.box[0] < 15 and 6 < tick.box[3] - tick.box[1] < 15  # the box itself
    assert tick.box != origins.fields["other_plans.child_protection"].box
    assert plan.child.name is not None and plan.child.name in words_in(PDF, origins.fields["child.name"])
    assert value_at(plan, "consent_signed_by") in " ".join(words_in(PDF, origins.fields["consent_signed_by"]).split())


def test_every_origin_names_a_field_of_the_plan_within_its_page(read_pdf: tuple[Plan, Origins]) -> None:
    plan, origins = read_pdf
    with pdfplumber.open(PDF) as pdf:
        sizes = [(float(p.width), float(p.height)) for p in pdf.pages]
    assert [(round(w), round(h)) for w, h in origins.pages] == [(round(w), round(h)) for w, h in sizes]
    assert len(origins.fields) > 100
    for path, origin in origins.fields.items():
        value_at(plan, path)  # raises if the path is not the plan's
        width, height = sizes[origin.page - 1]
        x0, top, x1, bottom = origin.box
        assert 0 <= x0 < x1 <= width and 0 <= top < bottom <= height, path
    file = origins.to_dict()
    assert file["version"] == 1 and file["pages"][0] == {"number": 1, "width": 595.3, "height": 841.9}
    assert file["fields"]["outcomes[0].statement"] == {"page": 5, "box": [round(v, 1) for v in origins.fields["outcomes[0].statement"].box]}


def test_the_plan_is_what_read_gives(read_pdf: tuple[Plan, Origins]) -> None:
    plan, _ = read_pdf
    assert to_json(plan) == to_json(msp_convert.read(PDF))


def test_each_plan_of_a_file_has_its_own_origins() -> None:
    found, origins = read_all_with_origins(TWO_PLANS)
    assert len(found.value) == len(origins) == 2
    first, second = origins
    assert first.pages == second.pages and len(first.pages) == 12
    assert max(o.page for o in first.fields.values()) < min(o.page for o in second.fields.values())
    for plan, kept in zip(found.value, origins):
        for path in kept.fields:
            value_at(plan, path)


def test_word_has_no_origins() -> None:
    found, origins = read_all_with_origins(WORD)
    assert len(found.value) == 1 and origins == [Origins()]
    assert origins[0].to_dict() == {"version": 1, "pages": [], "fields": {}}


def test_rows_take_the_box_round_their_fields_on_their_first_page() -> None:
    fields = {
        "outcomes[0].statement": Origin(2, (100.0, 50.0, 300.0, 60.0)),
        "outcomes[0].number": Origin(2, (40.0, 45.0, 50.0, 55.0)),
        "outcomes[0].supported_by.health": Origin(3, (400.0, 10.0, 410.0, 20.0)),
        "unmapped[0]": Origin(4, (1.0, 2.0, 3.0, 4.0)),
    }
    rows = with_rows(fields)
    assert rows["outcomes[0]"] == Origin(2, (40.0, 45.0, 300.0, 60.0))
    assert rows["unmapped[0]"] == fields["unmapped[0]"] and len(rows) == 5


@pytest.fixture(scope="module")
def read_scan() -> tuple[Plan, Origins]:
    found, origins = read_all_with_origins(SCAN)
    return found.value[0], origins[0]


def test_a_scans_origins_agree_with_its_warnings_and_its_pages(read_scan: tuple[Plan, Origins]) -> None:
    plan, origins = read_scan
    with pdfplumber.open(SCAN) as pdf:
        sizes = [(round(float(p.width)), round(float(p.height))) for p in pdf.pages]
    assert [(round(w), round(h)) for w, h in origins.pages] == sizes
    assert len(origins.fields) > 80
    for path in ("outcomes[0].statement", "provision[0].outcome_number", "other_plans.child_in_need", "profile.communication[0]"):
        assert path in origins.fields, path
        value_at(plan, path)
    # a value flagged for low confidence is placed where its warning says
    placed = {field_place(None, o.page, o.box) for o in origins.fields.values()}
    flagged = [w.where.split("; ", 1)[1] for w in plan.warnings if w.code == "ocr-low-confidence" and w.where and "; page" in w.where]
    assert flagged and all(at in placed for at in flagged)
