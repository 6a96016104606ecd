"""The plan being filled in, and the warnings gathered while filling it."""

from __future__ import annotations

from typing import Optional

from ..model import Entry, Plan, PlanWarning, Source, Unmapped
from ..model import Section as KeptSection
from .entries import Written

_MESSAGES = {
    "unmapped-text": "Text {place} fits no field of the template; it is kept in 'unmapped'.",
    "tracked-deletion": "Text {place} was deleted under tracked changes; it is kept and marked withdrawn.",
    "unreadable-date": "A date {place} could not be read; it is kept as written and its date is null.",
    "tick-box-unknown": "A tick box {place} is in a state that could not be told; it is recorded as null.",
    "outcome-number-unread": "An outcome's number {place} could not be read; it is numbered after the outcome before it.",
    "not-a-plan": "No part of the My Support Plan template was found; all text is kept in 'unmapped'.",
    "unknown-heading": "A heading {place} is not one the template has; it and what follows it are kept in 'sections' under it.",
    "other-layout": "Too little of the template's wording was found for its layout to be trusted; everything is kept, little is placed: a person should read this plan.",
    "several-plans": "{detail}",
}


class Draft:
    """A Plan under construction: fields appended to in document order."""

    def __init__(self, source: Source) -> None:
        self.plan = Plan(source=source)
        self._once: set[tuple[str, Optional[str]]] = set()
        self.anchors = 0  # how many pieces of the template were recognised

    def warn(self, code: str, where: Optional[str], once: bool = True, detail: str = "") -> None:
        key = (code, where)
        if once and key in self._once:
            return
        self._once.add(key)
        place = where if where and where.startswith("after ") else f"in {where or 'the document'}"
        message = _MESSAGES[code].format(place=place, detail=detail)
        self.plan.warnings.append(PlanWarning(code=code, message=message, where=where))

    def noticed(self, written: Written, where: str) -> Entry:
        """Record what reading an entry noticed; give back the entry."""
        if written.deleted:
            self.warn("tracked-deletion", where)
        if written.bad_date:
            self.warn("unreadable-date", where)
        return written.entry

    def unmapped(self, where: str, text: str) -> None:
        self.plan.unmapped.append(Unmapped(where=where, text=text))
        self.warn("unmapped-text", where, once=False)

    def part(self, key: str, heading: str) -> KeptSection:
        """The ``sections`` item of a part of the form the model has no field for (found or opened)."""
        for section in self.plan.sections:
            if section.key == key and section.heading == heading:
                return section
        section = KeptSection(key=key, heading=heading)
        self.plan.sections.append(section)
        return section
