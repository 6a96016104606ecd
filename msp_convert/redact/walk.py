"""Applying the recognisers to every string of the model, and counting what was replaced.

Walked: every Entry's text and struck fragments, ``unmapped`` (where and text),
``sections`` (heading, entries, rows), the child's fields, ``consent_signed_by``,
helpers, appendix references, and the ``where`` of warnings. Not walked: the
model's labels and codes (schema version, template id, review labels, ratings,
areas of need, key stages, section keys, warning codes and messages, which hold
no plan content), numbers, ticks and dates (the child's date of birth aside).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .recognisers import Finder
from .spans import apply

# Keys whose strings are labels or codes, never what a person wrote.
LABELS = frozenset({"schema_version", "code", "message", "key", "label", "review", "rating", "areas_of_need",
                    "key_stage", "verdict", "id", "format", "sha256", "filename"})
# Parts of the plan the walk leaves to redact() itself.
APART = frozenset({"source", "template", "coverage", "child"})
WORD = re.compile(r"\w+")  # a word as coverage counts it (plan-model.md, "Additions in 1.1")


@dataclass
class Tally:
    counts: dict[str, int]
    uncertain: list[str] = field(default_factory=list)  # the field paths where uncertain names were redacted
    words: dict[str, int] = field(default_factory=lambda: {"placed": 0, "in_sections": 0, "unmapped": 0})


def redact_string(text: str, path: str, finder: Finder, tally: Tally, bucket: str | None) -> str:
    spans = finder.find(text)
    if not spans:
        return text
    for span in spans:
        if span.kind != "kept":  # a pseudonym or placeholder already there: left as it is, not counted
            tally.counts[span.kind] += 1
    if any(s.kind == "uncertain-name" for s in spans):
        tally.uncertain.append(path)
    new = apply(text, spans)
    if bucket:
        tally.words[bucket] += len(WORD.findall(new)) - len(WORD.findall(text))
    return new


def walk(value: Any, path: str, visit: Callable[[str, str], str]) -> Any:
    """``value`` (the plan as plain data) with ``visit(text, path)`` put in place of each string."""
    if isinstance(value, str):
        return visit(value, path)
    if isinstance(value, list):
        return [walk(item, f"{path}[{i}]", visit) for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {k: v if k in LABELS else walk(v, f"{path}.{k}" if path else k, visit) for k, v in value.items()}
    return value


def bucket(path: str, data: dict[str, Any]) -> str | None:
    """Which coverage count a string's words are in (None: not counted), as mapping.coverage counts them."""
    if path.startswith("unmapped"):
        return "unmapped" if path.endswith(".text") else None
    if path.startswith("sections["):
        index = int(path[len("sections["):path.index("]")])
        known = data["sections"][index]["key"] is not None
        if known:
            return None if path.endswith(".heading") or ".struck" in path else "placed"
        return None if ".struck" in path else "in_sections"
    if path.startswith("warnings") or ".struck" in path:
        return None
    return "placed"


def redact_fields(data: dict[str, Any], finder: Finder, tally: Tally) -> dict[str, Any]:
    """Every walked string of the plan's data redacted; the parts in APART and warnings' codes untouched."""

    def visit(text: str, path: str) -> str:
        return redact_string(text, path, finder, tally, bucket(path, data))

    out = {k: v if k in APART else walk(v, k, visit) for k, v in data.items()}
    return out
