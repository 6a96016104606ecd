"""How much of what a person wrote the model placed: ``coverage``, counted from the model itself.

plan-model.md ("Additions in 1.1") defines it: a word is a match of ``\\w+``
(Unicode). ``placed`` counts the words of every Entry's ``text`` outside
``sections`` (outcome statements and review progress included), of the
child's name, ``known_as``, setting, year group and UPN, of
``consent_signed_by``, of every ``helper``, of every appendix ``reference``,
and of the entries and rows of every section whose ``key`` is not null; not
enums, labels, numbers or dates the reader derived (key stages, ratings,
review labels, ISO dates), nor ``struck`` (a part of its entry's text).
``in_sections`` counts the heading, entries and rows of the sections whose
``key`` is null (what the reader did not recognise), ``unmapped`` the words of
``unmapped``; ``words`` is the three added.

Everything here is a function of the model, so a plan read from its JSON is
counted again the same way.
"""

from __future__ import annotations

import re
import typing
from functools import lru_cache
from typing import Iterable, Iterator

from pydantic import BaseModel

from ..model import Child, Coverage, DocRef, Entry, Plan, Section, WrittenBy

WORD = re.compile(r"\w+")

# "complete": at least this share of the words placed, in per cent.
COMPLETE_PERCENT = 95

# The strings of each model whose words are placed; every other string is
# derived (an enum, a label) or not written in the plan (its file name).
PLACED_STRINGS: dict[type, tuple[str, ...]] = {
    Entry: ("text",),
    Child: ("name", "known_as", "setting", "year_group", "upn"),
    WrittenBy: ("helper",),
    DocRef: ("reference",),
    Plan: ("consent_signed_by",),
}
# The plan's keys that are not the core model's fields: counted apart, or not at all.
NOT_WALKED = frozenset({"source", "template", "coverage", "plan_dates", "sections", "unmapped", "warnings"})


def count_words(texts: Iterable[str]) -> int:
    # One regex pass over the texts joined: a line break parts words as a space does.
    return len(WORD.findall("\n".join(texts)))


def _holds_models(annotation: object) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_models(arg) for arg in typing.get_args(annotation))


@lru_cache(maxsize=None)
def _shape(cls: type[BaseModel]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A model class's placed strings, and its fields that hold models (worked out once per class)."""
    skip = NOT_WALKED if cls is Plan else frozenset()
    nested = tuple(n for n, f in cls.model_fields.items() if n not in skip and _holds_models(f.annotation))
    return PLACED_STRINGS.get(cls, ()), nested


def _collect(model: BaseModel, out: list[str]) -> None:
    strings, nested = _shape(type(model))
    for name in strings:
        value = getattr(model, name)
        if value:
            out.append(value)
    for name in nested:
        value = getattr(model, name)
        if isinstance(value, list):
            for item in value:
                _collect(item, out)
        elif value is not None:
            _collect(value, out)


def placed_texts(model: BaseModel) -> list[str]:
    """Every placed string of ``model`` and the models inside it (a plan: its core fields)."""
    out: list[str] = []
    _collect(model, out)
    return out


def section_texts(section: Section, with_heading: bool) -> Iterator[str]:
    if with_heading:
        yield section.heading
    for entry in section.entries:
        yield entry.text
    for row in section.rows:
        yield from row


def verdict(plan: Plan, placed: int, words: int) -> str:
    """"not-a-plan" (read with --force), "other-layout" (no profile fits), else complete or partial."""
    if any(w.code == "not-a-plan" for w in plan.warnings):
        return "not-a-plan"
    if plan.template.id == "unknown":
        return "other-layout"
    # Nothing written (a blank form) is nothing lost: complete.
    return "complete" if placed * 100 >= COMPLETE_PERCENT * words else "partial"


def count(plan: Plan) -> Coverage:
    known = [s for s in plan.sections if s.key is not None]
    unknown = [s for s in plan.sections if s.key is None]
    placed = count_words(placed_texts(plan)) + count_words(t for s in known for t in section_texts(s, False))
    in_sections = count_words(t for s in unknown for t in section_texts(s, True))
    unmapped = count_words(u.text for u in plan.unmapped)
    words = placed + in_sections + unmapped
    return Coverage(
        words=words,
        placed=placed,
        in_sections=in_sections,
        unmapped=unmapped,
        verdict=verdict(plan, placed, words),  # type: ignore[arg-type]
    )


def recount(plan: Plan) -> Plan:
    """``plan`` with its ``coverage`` counted again from the rest of it."""
    plan.coverage = count(plan)
    return plan
