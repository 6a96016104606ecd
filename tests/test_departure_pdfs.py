"""The departures read the same from their PDFs (fixtures/make_departure_pdfs.py) as from their .docx.

Each PDF is checked against the facts its .docx's description gives
(tests/test_departures.py), less the few a PDF cannot hold, each named with its
reason in PDF_ONLY.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import msp_convert
from test_departures import CASES, DEPARTURES, _facts, mismatches

PDFS = DEPARTURES / "pdf"

# fixture -> {fact: why the PDF cannot give it}
_NOT_DRAWN = "LibreOffice does not draw the text overflowing this text box: the words are not in the PDF"
_OVERDRAWN = "LibreOffice draws two overflowing text boxes' words over each other: the PDF holds them interleaved"
PDF_ONLY: dict[str, dict[str, str]] = {
    "d03-profile-text-boxes": {
        "profile.communication[*].text": _OVERDRAWN,
        "profile.liked_and_admired[*].text": _OVERDRAWN,
        "profile.would_make_better[*].text": _OVERDRAWN,
        "profile.information_and_choice[*].text": _NOT_DRAWN,
        "profile.enjoy_out_of_setting[*].text": _NOT_DRAWN,
        "profile.not_working[*].text": _NOT_DRAWN + " (its frame runs off the page's right edge)",
        "profile.goals_long_term[*].text": _NOT_DRAWN,
    },
}


def _pdf(case: Path) -> Path:
    return PDFS / case.name.replace(".facts.json", ".pdf")


def _without(facts: dict, name: str) -> dict:
    skip = PDF_ONLY.get(name, {})
    return {k: v for k, v in facts.items() if k not in skip}


def test_every_departure_has_its_pdf() -> None:
    assert sorted(p.stem for p in PDFS.glob("*.pdf")) == [c.name.replace(".facts.json", "") for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name.split(".")[0])
def test_departure_pdf_reads_to_the_facts_of_its_docx(case: Path) -> None:
    facts, name, path = _facts(case), case.name.split(".")[0], _pdf(case)
    if facts["read"] == "refused":
        with pytest.raises(msp_convert.NotAPlanError):
            msp_convert.read(path)
        problems = mismatches(msp_convert.read(path, force=True), _without(facts["force"], name))
    elif facts["read"] == "read_all":
        plans = msp_convert.read_all(path)
        assert len(plans) == len(facts["plans"])
        problems = [f"plan {k + 1}: {p}" for k, (plan, want) in enumerate(zip(plans, facts["plans"]))
                    for p in mismatches(plan, _without(want, name))]
    else:
        problems = mismatches(msp_convert.read(path), _without(facts["facts"], name))
    assert not problems, "\n".join(problems)
