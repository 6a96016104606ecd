"""A plan whose Section 5 tables have narrow columns, as a PDF (issue 13).

The fixture is made by fixtures/make_pdf_departures.py: in it LibreOffice breaks
the Supported-by labels and the provision headers inside words ("Educ" / "ation",
"Socia" / "l"), wraps the provision notes over many short lines, leaves empty "·"
bullets in narrow cells, and the outcomes table carries its own header row
("Outcome | The area(s) of my needs ... | Education | Health | Social Care").
What must be read is the plan's description (FACTS and .expected.json, both
computed from it, never from the reader).
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

import msp_convert
from msp_convert.layout import Cell, Document, Paragraph, Row, Run, Table, iter_paragraphs
from msp_convert.mapping import map_document
from msp_convert.model import Source
from msp_convert.parsers.pdf import parse_pdf
from msp_convert.template import DEFAULT_PROFILE
from pdf_equivalence import comparable

REPO = Path(__file__).resolve().parents[1]
HERE = REPO / "fixtures" / "pdf" / "departures"
STEM = HERE / "21-ks2-narrow-columns"


def _script() -> Any:
    spec = importlib.util.spec_from_file_location("make_pdf_departures", REPO / "fixtures" / "make_pdf_departures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FACTS: dict[str, dict[str, Any]] = {slug: facts for slug, (_, _, facts) in _script().PLANS.items()}
SLUGS = sorted(FACTS)


def test_every_plan_of_the_script_is_here() -> None:
    assert SLUGS == ["21-ks2-narrow-columns", "22-ks3-school-outcomes-table"]
    for slug in SLUGS:
        assert all((HERE / f"{slug}{ext}").is_file() for ext in (".docx", ".pdf", ".expected.json"))


_READ: dict[str, dict[str, Any]] = {}


def _read(slug: str, kind: str = "pdf") -> dict[str, Any]:
    key = f"{slug}.{kind}"
    if key not in _READ:
        _READ[key] = msp_convert.read(HERE / key).model_dump(mode="json")
    return _READ[key]


@pytest.mark.parametrize("kind", ["pdf", "docx"])
@pytest.mark.parametrize("slug", SLUGS)
def test_the_plan_reads_as_described(slug: str, kind: str) -> None:
    want = json.loads((HERE / f"{slug}.expected.json").read_text(encoding="utf-8"))
    want_c, got_c = comparable(want, slug), comparable(_read(slug, kind), slug)
    for key in want_c:  # one part at a time, for a readable failure
        assert got_c[key] == want_c[key], key


@pytest.mark.parametrize("slug", SLUGS)
def test_where_each_item_lands(slug: str) -> None:
    pdf_plan, facts = _read(slug), FACTS[slug]
    outcomes = pdf_plan["outcomes"]
    assert [o["number"] for o in outcomes] == facts["outcome_numbers"]  # the header row is no outcome
    assert [tuple(o["supported_by"][k] for k in ("education", "health", "social_care")) for o in outcomes] == facts["supported_by"]
    provision = pdf_plan["provision"]
    assert [p["outcome_number"] for p in provision] == facts["provision_numbers"]
    assert [e["text"] for e in provision[0]["actions"]] == facts["provision_actions_1"]
    assert [e["text"] for e in provision[1]["who"]] == facts["provision_who_2"]
    assert pdf_plan["unmapped"] == facts["unmapped"]
    assert pdf_plan["sections"] == []
    assert not [w for w in pdf_plan["warnings"] if w["code"] in ("outcome-number-unread", "unknown-heading", "unmapped-text")]
    assert pdf_plan["coverage"]["verdict"] == "complete"


def _entries(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if "text" in node and "struck" in node:
            yield node["text"]
        for value in node.values():
            yield from _entries(value)
    elif isinstance(node, list):
        for value in node:
            yield from _entries(value)


TEMPLATE_WORDS = {"education", "health", "social care", "socia", "educ", "supported by", "outcome", "outcomes", "notes",
                  "who will do it", "how often", "short term targets", "resources required"}


@pytest.mark.parametrize("slug", SLUGS)
def test_no_entry_is_template_wording_a_piece_or_a_bullet(slug: str) -> None:
    texts = list(_entries({k: v for k, v in _read(slug).items() if k not in ("source", "warnings")}))
    assert len(texts) > 20
    for text in texts:
        squashed = re.sub(r"[^a-z ]", "", text.lower()).strip()
        assert squashed not in TEMPLATE_WORDS, text
        assert re.search(r"[A-Za-z0-9]", text), text  # a bullet with no text is no entry
        assert not re.fullmatch(r"[a-z]{1,5}\W*", text), text  # the tail of a broken word ("ation", "ents")
    # The broken words are whole again.
    assert not any(re.search(r"\b(?:Educ ation|assessm ents|Socia l)\b", t) for t in texts)


def test_pdf_layout_joins_words_broken_at_a_cell_edge() -> None:
    doc = parse_pdf(STEM.with_suffix(".pdf").read_bytes()).value
    texts = [p.text for p in iter_paragraphs(doc.body)]
    assert texts.count("Education") >= 2  # the template's label row and the school's header row
    assert texts.count("Social Care") >= 2
    assert not [t for t in texts if t in ("Educ", "ation", "Socia", "l", "Care", "ents")]
    # The provision notes' guidance: "assessm" / "ents" is one word again.
    assert any(t.endswith("health and social care assessments") for t in texts)


def test_bold_pdf_lines_are_marked_bold() -> None:
    doc = parse_pdf(STEM.with_suffix(".pdf").read_bytes()).value
    paras = {p.text: p for p in iter_paragraphs(doc.body)}
    assert paras["Section 5: Outcomes and provision"].bold is True  # bold in the template
    assert paras["Social Care"].bold is True
    assert paras["Language for Learning group"].bold is False  # typed in a regular font
    assert paras["\u00b7 Daily paired reading"].bold is False


# --- a table's header row is never an outcome -------------------------------------------

SOURCE = Source(filename="t.docx", format="docx", sha256="0" * 64)
INTRO = [Paragraph([Run("Introduction to My Support Plan")]), Paragraph([Run("Section 1: About me")])]


def _cell(text: str, col: int, span: int = 1) -> Cell:
    return Cell([Paragraph([Run(text)])] if text else [], col=col, col_span=span)


def _outcomes(label: str, support: tuple[str, ...] = ("Education", "Health", "Social Care")) -> Table:
    head = Row([_cell("Section 5: Outcomes and provision", 0, 2), _cell("Supported by", 2, 3)])
    header = Row([_cell(label, 0), _cell("The area(s) of my needs this outcome will address", 1)]
                 + [_cell(t, 2 + i) for i, t in enumerate(support)])
    rows = [head, header]
    for n, (what, education) in enumerate((("count to 20", "X"), ("write her name", "")), start=1):
        rows.append(Row([_cell(f"Outcome {n}", 0), _cell(f"By the end of KS1, Mia will be able to {what}.", 1),
                         _cell(education, 2), _cell("", 3), _cell("", 4)]))
    return Table(rows, columns=5)


@pytest.mark.parametrize("label", ["Outcome", "Outcomes", "Outcome(s)", "Outcome:", "OUTCOMES"])
def test_a_header_row_is_never_an_outcome(label: str) -> None:
    plan = map_document(Document(body=INTRO + [_outcomes(label)]), SOURCE).value
    assert plan is not None
    assert [(o.number, o.statement.text if o.statement else None) for o in plan.outcomes] == [(1, "count to 20"), (2, "write her name")]
    assert [o.supported_by.education for o in plan.outcomes] == [True, False]
    assert not [w for w in plan.warnings if w.code == "outcome-number-unread"]
    assert not plan.unmapped


@pytest.mark.parametrize("text, number", [("Outcome l", 1), ("Outcome s", 5), ("Outcome 3", 3), ("Outcomes", None), ("Outcome", None)])
def test_unread_outcome_numbers(text: str, number: int | None) -> None:
    from msp_convert.mapping.grids import unread_outcome_number

    assert unread_outcome_number(_cell(text, 0), 0, DEFAULT_PROFILE) == number


def test_a_header_row_with_supported_by_in_its_first_label_cell() -> None:
    # "Outcome | The area(s) ... | Supported by: Education | Health | Social Care"
    table = _outcomes("Outcome", ("Supported by: Education", "Health", "Social Care"))
    plan = map_document(Document(body=INTRO + [table]), SOURCE).value
    assert plan is not None
    assert [o.number for o in plan.outcomes] == [1, 2]
    assert [o.supported_by.education for o in plan.outcomes] == [True, False]  # the column is still Education's
    assert not plan.unmapped  # "Education" is no answer to "Supported by"


def test_a_school_table_of_outcomes_numbered_without_the_label() -> None:
    # "Outcomes | ... | Education | Health | Social Care", then rows "1", "2": an outcomes table.
    header = Row([_cell("Outcomes", 0), _cell("What success looks like", 1)]
                 + [_cell(t, 2 + i) for i, t in enumerate(("Education", "Health", "Social Care"))])
    rows = [header] + [
        Row([_cell(str(n), 0), _cell(f"By the end of KS2, Ola will be able to {what}.", 1), _cell("", 2), _cell("X", 3), _cell("", 4)])
        for n, what in ((1, "swim 25 metres"), (2, "tie her laces"))
    ]
    plan = map_document(Document(body=INTRO + [Table(rows, columns=5)]), SOURCE).value
    assert plan is not None
    assert [(o.number, o.statement.text if o.statement else None, o.supported_by.health) for o in plan.outcomes] == [
        (1, "swim 25 metres", True), (2, "tie her laces", True)]
    assert [u.text for u in plan.unmapped] == ["What success looks like"]  # not the template's wording: kept
