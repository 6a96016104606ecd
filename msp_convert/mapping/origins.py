"""Where each model field came from: the page and the box round what it was read from.

Kept beside the plan (``NAME.origins.json``), never in it: the JSON contract is
the model's alone. A paged reader (PDF, OCR) gives each paragraph and tick box
its page and box (``layout``); the ``Draft`` records, as it places a value,
what it was read from; once the plan is whole each recorded value is named by
its model path, as warnings name a field (``results.field_place``):
``outcomes[2].statement``, ``provision[0].resources[1]``,
``other_plans.child_in_need``, ``unmapped[4]`` (JSON keys, 0-based indexes).
A value the mapping set from a line's text without telling the draft (the
cover's labelled values: the child's name, the plan's dates) is found by its
value among the document's placed paragraphs, the first that holds it.
Word gives no places, so a plan read from Word has no origins.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional, Sequence

from pydantic import BaseModel

from ..layout import Box, Document, Paragraph, iter_paragraphs
from ..model import Entry, Plan
from ..text import norm
from .dates import DATE_RE, parse_date

VERSION = 1

# Parts of a plan that were not read from the page: where it came from, how it was counted, what was noticed.
_NOT_READ = frozenset({"schema_version", "source", "template", "coverage", "warnings"})
# Values named by the form, not written on it (a review's label, a rating, a key stage: one of
# a few words), and an unmapped item's place: never looked for by value.
_NAMED = frozenset({"label", "rating", "key_stage", "where", "review"})
# Dates are looked for only here: a review's date or one in a line of text recurs too often to tell.
_DATED = ("child.", "plan_dates.", "appendices.")
# A paragraph this long or longer (normalised) may be the start of an entry that runs on past it.
_MIN_START = 12


@dataclass(frozen=True, slots=True)
class Origin:
    page: int  # 1-based
    box: Box  # x0, top, x1, bottom: PDF points from the page's top left


Fields = dict[str, Origin]
Recorded = tuple[Any, Optional[str], Origin]  # (model object or entry, its field or None, where it was read)


@dataclass(slots=True)
class Origins:
    """One plan's origins: its file's page sizes (points), and each field's page and box."""

    pages: list[tuple[float, float]] = field(default_factory=list)
    fields: Fields = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The origins file's content: {"version": 1, "pages": [...], "fields": {path: {"page", "box"}}}."""
        return {
            "version": VERSION,
            "pages": [{"number": k, "width": round(w, 1), "height": round(h, 1)} for k, (w, h) in enumerate(self.pages, 1)],
            "fields": {path: {"page": o.page, "box": [round(v, 1) for v in o.box]} for path, o in self.fields.items()},
        }


def model_paths(plan: Plan) -> dict[int, str]:
    """id -> model path of every model object and entry of ``plan`` (the plan itself "")."""
    out: dict[int, str] = {id(plan): ""}
    for obj, path in _walk(plan, ""):
        out[id(obj)] = path
    return out


def _walk(model: BaseModel, path: str) -> Iterator[tuple[BaseModel, str]]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = f"{path}.{name}" if path else name
        if isinstance(value, BaseModel):
            yield value, here
            yield from _walk(value, here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield item, f"{here}[{i}]"
                    yield from _walk(item, f"{here}[{i}]")


def resolve(recorded: Sequence[Recorded], plan: Plan) -> Fields:
    """Each recorded value's path in the finished plan -> where it was read (the first reading
    of a field wins); a value that went to no field (dropped, or copied elsewhere) is left out."""
    paths = model_paths(plan)
    out: Fields = {}
    for value, name, origin in recorded:
        path = paths.get(id(value))
        if path is None:
            continue
        key = f"{path}.{name}" if name and path else (name or path)
        out.setdefault(key, origin)
    return out


def found_by_value(plan: Plan, document: Document, fields: Fields) -> Fields:
    """``fields`` and, for each value read from the page but not yet in it (text, a date, an
    entry), the first placed paragraph holding that value (the body first, then the page margins)
    that is not already the origin of what the draft placed (else the first): a reference kept
    in ``unmapped`` too is found where it is listed."""
    lines = _Lines(document)
    out = dict(fields)
    used = {(o.page, o.box) for o in out.values()}
    for path, value in _leaves(plan, "", fields):
        if path in out or value in (None, "") or (isinstance(value, dt.date) and not path.startswith(_DATED)):
            continue
        found = [Origin(p.page, p.box) for p in lines.holding(value)]  # type: ignore[arg-type]
        if found:
            origin = next((o for o in found if (o.page, o.box) not in used), found[0])
            out[path] = origin
    return out


def with_rows(fields: Fields) -> Fields:
    """``fields`` and each list item holding some of them ("outcomes[2]", "reviews[0].progress[1]")
    not yet in it: the box round its fields on the first page they are on (a row, to show whole)."""
    rows: dict[str, list[Origin]] = {}
    for path, origin in fields.items():
        for end in (m.end() for m in _ITEM_END.finditer(path)):
            if end < len(path):
                rows.setdefault(path[:end], []).append(origin)
    out = dict(fields)
    for path, origins in rows.items():
        if path not in out:
            page = min(o.page for o in origins)
            boxes = [o.box for o in origins if o.page == page]
            out[path] = Origin(page, (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)))
    return out


_ITEM_END = re.compile(r"\[\d+\]")


def _leaves(model: BaseModel, path: str, known: Fields) -> Iterator[tuple[str, Any]]:
    """(path, value) of each text, date and entry of ``model`` read from the page; not within an object already placed."""
    for name in type(model).model_fields:
        if (not path and name in _NOT_READ) or name in _NAMED:
            continue
        value = getattr(model, name)
        here = f"{path}.{name}" if path else name
        if isinstance(value, Entry):
            yield here, value.text
        elif isinstance(value, BaseModel):
            yield from _leaves(value, here, known)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Entry):
                    yield f"{here}[{i}]", item.text
                elif isinstance(item, BaseModel) and f"{here}[{i}]" not in known:
                    yield from _leaves(item, f"{here}[{i}]", known)
        elif isinstance(value, (str, dt.date)):
            yield here, value


class _Lines:
    """The document's placed paragraphs, normalised once, in reading order."""

    def __init__(self, document: Document) -> None:
        blocks = [*document.body, *document.headers, *document.footers]
        self.paras = [(p, f" {norm(p.text)} ") for p in iter_paragraphs(blocks) if p.page is not None and p.box is not None]
        self._dates: Optional[list[tuple[Paragraph, set[dt.date]]]] = None

    def holding(self, value: Any) -> list[Paragraph]:
        """The paragraphs holding ``value`` (its words, or an entry starting with a whole paragraph), in order."""
        if isinstance(value, dt.date):
            return [p for p, dates in self.dates() if value in dates]
        wanted = norm(str(value))
        if not wanted:
            return []
        padded = f" {wanted} "
        return [p for p, text in self.paras if padded in text or (len(text) - 2 >= _MIN_START and padded.startswith(text))]

    def dates(self) -> list[tuple[Paragraph, set[dt.date]]]:
        if self._dates is None:
            self._dates = []
            for para, _ in self.paras:
                found = {d for d in (parse_date(m.group(0)) for m in DATE_RE.finditer(para.text)) if d is not None}
                if found:
                    self._dates.append((para, found))
        return self._dates
