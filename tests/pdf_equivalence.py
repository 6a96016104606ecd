"""How a plan read from a PDF may differ from the same plan read from its .docx.

This is the one place the differences are allowed, each for a reason a PDF
cannot escape:

1. ``source``: another file (filename, format, sha256, pages).
2. Soft line breaks. A line break inside one Word paragraph is drawn exactly
   like the end of a paragraph, so the PDF reads two entries where Word has
   one entry with "\\n". Both sides are compared with entries split at "\\n";
   the review markers of a field are compared as a collection, since the
   marker belongs to one of the split parts.
3. Tracked changes. A PDF shows a tracked deletion as struck text (so the
   entry is still withdrawn or struck) but cannot say it was a deletion:
   the "tracked-deletion" warning exists only for Word.
4. Warnings are compared as codes and places, like every other reader test.

5. Named cases in ``KNOWN`` below, each with the reason no PDF reader could
   do better; and, read through the reference page source (pdfplumber,
   ``MSP_CONVERT_PDF_SOURCE=pdfplumber``), the cases in ``REFERENCE_MISSES``,
   which PDFium reads as the .docx has them.

Everything else must be equal: every tick box, every struck fragment, every
outcome, cost, rating, date and unmapped line.
"""

from __future__ import annotations

from typing import Any

import msp_convert.parsers.pdf as pdf_reader

WORD_ONLY_WARNINGS = {"tracked-deletion"}

# PDF (its path under fixtures/pdf, or its bare name for every producer's copy)
#   -> {field path: why it may differ}
KNOWN: dict[str, dict[str, str]] = {
    "other-producer/abiword/09-ks2-adhd": {
        "provision.1.who": (
            "'Learning mentor' ends its paragraph a point short of the column's edge and the next line "
            "('Lunchtime supervisor') starts with a capital: drawn exactly like one entry wrapping"
        ),
    },
    "10-ks2-selective-mutism": {
        "provision.0.actions": (
            "'Talking games at home<TAB>and school': the tab reaches past the column's last tab stop, "
            "so the word processor moves 'and school' to a line of its own, which reads as a new paragraph"
        ),
    },
}

# What pdfminer (the reference page source) misreads, through it only (tests/test_pdf_sources.py DIFFER)
_WINGDINGS_ACTUAL_TEXT = "the Wingdings ticks' state is in /ActualText, which pdfminer ignores"
REFERENCE_MISSES: dict[str, dict[str, str]] = {
    "07-ks3-cerebral-palsy": {
        field: _WINGDINGS_ACTUAL_TEXT
        for field in ("other_plans", "profile.written_by", "story.written_by", "family.written_by", "parent_views.written_by")
    },
}


def _split_entry(entry: dict[str, Any]) -> list[dict[str, Any]]:
    parts = [p for p in entry["text"].split("\n") if p.strip()]
    if len(parts) <= 1:
        return [{**entry, "review": None, "review_date": None}]
    out = []
    for part in parts:
        struck = [f for f in entry["struck"] if f in part]
        out.append({"text": part, "withdrawn": entry["withdrawn"], "struck": struck, "review": None, "review_date": None})
    return out


def _is_entry(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"text", "withdrawn", "struck", "review", "review_date"}


def _normalise(value: Any) -> Any:
    if isinstance(value, list):
        if value and all(_is_entry(v) for v in value):
            markers = sorted((v["review"] or "", v["review_date"] or "") for v in value if v["review"])
            entries = [part for v in value for part in _split_entry(v)]
            return {"entries": entries, "markers": markers}
        if value and all(isinstance(v, dict) and set(v) == {"where", "text"} for v in value):
            return [{"where": v["where"], "text": t} for v in value for t in v["text"].split("\n") if t.strip()]
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    return value


def comparable(plan: dict[str, Any], name: str = "") -> dict[str, Any]:
    """The plan with only what must agree between its .docx and its PDF."""
    plan = dict(plan)
    plan.pop("source")
    known = {**KNOWN.get(name.rsplit("/", 1)[-1], {}), **KNOWN.get(name, {})}
    if pdf_reader.SOURCE == "pdfplumber":
        known.update(REFERENCE_MISSES.get(name.rsplit("/", 1)[-1], {}))
    for path in known:
        node: Any = plan
        *parents, last = path.split(".")
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = "(differs for a known reason)"
    plan["warnings"] = [(w["code"], w["where"]) for w in plan["warnings"] if w["code"] not in WORD_ONLY_WARNINGS]
    return _normalise(plan)
