"""How close a plan read from a scan comes to the model of its .docx, per field family.

Shared by tests/test_ocr.py, tests/test_scan_fixtures.py and tools/measure_scans.py.
`closeness(want, got)` gives each family a share 0-1 (1.0 = the same as the .docx's model);
`counts(want, got)` the families that are counts (template wording read as content, false
review markers); `field_errors(want, got)` lists the fields that are wrong, as
(path, want, got) with paths written as the plan model names them (`outcomes[2].statement`).
"""

from __future__ import annotations

import difflib
import json
import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parents[1]
SCANS = REPO / "fixtures" / "scans"
PLANS = REPO / "fixtures" / "plans"
BLANK = REPO / "fixtures" / "blank-template.docx"

FAMILIES = ("tick boxes", "entries", "withdrawn", "markers", "outcomes", "reviews", "provision", "section 1")
COUNTS = ("template wording", "false markers")
# Not compared: what is about the file or the reading (template and coverage are counts over the rest).
SKIP = ("source", "warnings", "unmapped", "template", "coverage")
SECTION_1 = ("profile", "story", "family", "parent_views")
PROVISION_FIELDS = ("steps", "targets", "actions", "who", "frequency", "resources")


# ---- leaves and similarity ---------------------------------------------------------------


def is_entry(v: Any) -> bool:
    return isinstance(v, dict) and {"text", "withdrawn", "struck"} <= set(v)


def leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) for every value; a list of entries is one leaf. Paths as `outcomes[2].statement`."""
    if isinstance(node, list) and node and all(is_entry(v) for v in node):
        yield path, node
    elif is_entry(node):
        yield path, [node]
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, f"{path}[{i}]")
    else:
        yield path, node


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def similar(a: str, b: str) -> float:
    wa, wb = words(a), words(b)
    if not wa and not wb:
        return 1.0
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def best(entry: dict[str, Any], candidates: list[dict[str, Any]]) -> tuple[float, Any]:
    scored = [(similar(entry["text"], c["text"]), c) for c in candidates]
    return max(scored, key=lambda s: s[0], default=(0.0, None))


def _entries(v: Any) -> list[dict[str, Any]]:
    return v if isinstance(v, list) and v and is_entry(v[0]) else []


def _joined(entries: list[dict[str, Any]]) -> str:
    return " ".join(e["text"] for e in entries)


def _compared(plan: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in plan.items() if k not in SKIP}


# ---- the families ---------------------------------------------------------------------


def _family(path: str) -> str | None:
    return "outcomes" if path.startswith("outcomes") else "reviews" if path.startswith("reviews") else None


def _entry_scores(value: list[dict[str, Any]], other: Any, scores: dict[str, list[float]], family: str | None) -> None:
    got_entries = _entries(other)
    scores[family or "entries"].append(similar(_joined(value), _joined(got_entries)))
    for e in value:
        sim, match = best(e, got_entries)
        if e["withdrawn"] or e["struck"]:
            scores["withdrawn"].append(
                float(match is not None and sim >= 0.5 and match["withdrawn"] == e["withdrawn"]
                      and similar(" ".join(e["struck"]), " ".join(match["struck"])) >= 0.5)
            )
        if e["review"] or e["review_date"]:
            scores["markers"].append(
                float(match is not None and sim >= 0.5 and (match["review"], match["review_date"]) == (e["review"], e["review_date"]))
            )


def _section_1(want: dict[str, Any], got: dict[str, Any]) -> list[float]:
    got_leaves = dict(leaves({k: got.get(k) for k in SECTION_1}))
    out = []
    for path, value in leaves({k: want[k] for k in SECTION_1}):
        other = got_leaves.get(path)
        if isinstance(value, list):
            out.append(similar(_joined(value), _joined(_entries(other))))
        elif isinstance(value, str):
            out.append(similar(value, other if isinstance(other, str) else ""))
        else:
            out.append(float(other == value))
    return out


def _provision(want: dict[str, Any], got: dict[str, Any]) -> list[float]:
    """Per provision row (matched by outcome number, else by place) and column: the words that agree."""
    by_number = {p["outcome_number"]: p for p in got.get("provision") or []}
    out = []
    for i, p in enumerate(want["provision"]):
        other = by_number.get(p["outcome_number"]) or (got["provision"][i] if i < len(got.get("provision") or []) else {})
        out += [similar(_joined(p[f]), _joined(_entries(other.get(f)))) for f in PROVISION_FIELDS if p[f]]
    return out


def closeness(want: dict[str, Any], got: dict[str, Any]) -> dict[str, float]:
    """Share of agreement per field family, 0-1 (1.0 where the family has nothing to compare).
    "markers" counts review markers found with their dates, against those in want plus the false ones."""
    got_leaves = dict(leaves(_compared(got)))
    scores: dict[str, list[float]] = {f: [] for f in FAMILIES}
    for path, value in leaves(_compared(want)):
        other, family = got_leaves.get(path), _family(path)
        if isinstance(value, list) and value and is_entry(value[0]):
            _entry_scores(value, other, scores, family)
        elif isinstance(value, str):
            scores[family or "entries"].append(similar(value, other if isinstance(other, str) else ""))
        else:
            scores[family or ("tick boxes" if isinstance(value, bool) else "entries")].append(float(other == value))
    scores["markers"] += [0.0] * len(false_markers(want, got))
    scores["section 1"] = _section_1(want, got)
    scores["provision"] = _provision(want, got)
    return {f: (sum(v) / len(v) if v else 1.0) for f, v in scores.items()}


# ---- counts -------------------------------------------------------------------------------


def false_markers(want: dict[str, Any], got: dict[str, Any]) -> list[tuple[str, str]]:
    """(path, text) of entries read with a review marker the .docx's entry does not have."""
    want_leaves = dict(leaves(_compared(want)))
    out = []
    for path, value in leaves(_compared(got)):
        for e in _entries(value):
            if e["review"] is None:
                continue
            sim, match = best(e, _entries(want_leaves.get(path)))
            if match is None or sim < 0.5 or match["review"] != e["review"]:
                out.append((path, e["text"]))
    return out


@lru_cache(maxsize=1)
def blank_wording() -> frozenset[str]:
    """Every word of the blank form (its paragraphs and table cells)."""
    import docx

    doc = docx.Document(str(BLANK))
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return frozenset(w for t in texts for w in words(t))


@lru_cache(maxsize=20000)
def _form_word(w: str) -> bool:
    vocab = blank_wording()
    return w in vocab or (len(w) > 3 and bool(difflib.get_close_matches(w, vocab, n=1, cutoff=0.8)))


def _lines(plan: dict[str, Any]) -> list[str]:
    out = [ln for _, v in leaves(_compared(plan)) for e in _entries(v) for ln in e["text"].split("\n")]
    return out + [ln for u in plan.get("unmapped") or [] for ln in u["text"].split("\n")]


def template_lines(want: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Lines of got's entries and unmapped text that are the form's own wording (fuzzy: at least 0.8 of
    the line's words, each as written or a letter or two off, are the blank form's) and not a line of want."""
    want_lines = _lines(want)
    out = []
    for line in _lines(got):
        ws = words(line)
        if len(ws) < 3 or sum(map(_form_word, ws)) < 0.8 * len(ws):
            continue
        if not any(similar(line, w) >= 0.8 for w in want_lines):
            out.append(line)
    return out


def counts(want: dict[str, Any], got: dict[str, Any]) -> dict[str, int]:
    return {"template wording": len(template_lines(want, got)), "false markers": len(false_markers(want, got))}


# ---- where the errors are -------------------------------------------------------------------


def _entries_wrong(value: list[dict[str, Any]], other: Any, tolerance: float) -> bool:
    got_entries = _entries(other)
    if similar(_joined(value), _joined(got_entries)) < tolerance:
        return True
    for e in value:
        _, m = best(e, got_entries)
        if m is None or (m["withdrawn"], m["review"], m["review_date"]) != (e["withdrawn"], e["review"], e["review_date"]):
            return True
    return any(e["review"] and best(e, value)[1]["review"] != e["review"] for e in got_entries if value)


def field_errors(want: dict[str, Any], got: dict[str, Any], tolerance: float = 0.9) -> list[tuple[str, Any, Any]]:
    """(path, want, got) for every field read wrong: a tick box or number that differs, a text whose words
    agree less than `tolerance`, an entry list whose words agree less or whose entries lost or gained a
    strike or a marker. Paths as the plan model writes them (`outcomes[2].statement`, `profile.communication`)."""
    got_leaves = dict(leaves(_compared(got)))
    out = []
    for path, value in leaves(_compared(want)):
        other = got_leaves.get(path)
        if isinstance(value, list) and value and is_entry(value[0]):
            wrong = _entries_wrong(value, other, tolerance)
        elif isinstance(value, str):
            wrong = similar(value, other if isinstance(other, str) else "") < tolerance
        else:
            wrong = other != value
        if wrong:
            out.append((path, value, other))
    return out


# ---- the scan sets ----------------------------------------------------------------------------


def scan_sets() -> dict[str, dict[str, Any]]:
    """name -> facts, for every scan set with a facts file."""
    return {p.name[: -len(".facts.json")]: json.loads(p.read_text()) for p in sorted(SCANS.glob("*.facts.json"))}


def scan_path(name: str, facts: dict[str, Any]) -> Path:
    return SCANS / name if facts["container"] == "jpg" else SCANS / facts["files"][0]


def want_of(plan: str) -> dict[str, Any]:
    return json.loads((PLANS / f"{plan}.expected.json").read_text())


def read_timed(path: Path) -> tuple[dict[str, Any], float]:
    """The plan read from path by the public reader, and the seconds it took."""
    import msp_convert

    start = time.perf_counter()
    plan = msp_convert.read(path)
    return plan.model_dump(mode="json"), time.perf_counter() - start


def measure(want: dict[str, Any], got: dict[str, Any]) -> dict[str, float]:
    return {**closeness(want, got), **counts(want, got)}
