"""The plan being filled in, and the warnings gathered while filling it.

A value read from pixels less surely than ``Bounds`` says gets one
``ocr-low-confidence`` warning whose ``where`` is the model field it went to
and its place on the page ("outcomes[2].statement; page 3 [72.0 410.5
300.2 428.0]"): the field's path is known once the plan is whole (``finish``).

Every value placed from a block with a known page and box also keeps that
place (``origins``, for the ``NAME.origins.json`` beside the plan: see
``mapping.origins``), whatever the confidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from pydantic import BaseModel

from ..layout import Paragraph, TickBox
from ..model import Entry, Plan, PlanWarning, Source, Unmapped
from ..model import Section as KeptSection
from ..results import field_place
from .entries import Read, Written, read_from
from .origins import Fields, Origin, Recorded, resolve


@dataclass(frozen=True, slots=True)
class Bounds:
    """Under these confidences (0-1) a value read from pixels is flagged ``ocr-low-confidence``.

    ``word``: an entry's least sure word (Tesseract's word confidence). Chosen
    on the scan fixtures (tests/test_confidence.py): see the numbers there.
    ``tick``: a tick box's state as judged from its pixels.
    """

    word: float = 0.5
    tick: float = 0.8


_LOW = {
    "entry": "Text here was read from the scan with low confidence; check it against the paper.",
    "tick": "A tick box here was read from the scan with low confidence; check it against the paper.",
    "value": "This value was read from the scan with low confidence; check it against the paper.",
}

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

    def __init__(self, source: Source, bounds: Bounds = Bounds()) -> None:
        self.plan = Plan(source=source)
        self._once: set[tuple[str, Optional[str]]] = set()
        self.anchors = 0  # how many pieces of the template were recognised
        self.bounds = bounds
        # flagged values: (the model object, its field or None for an entry, the warning, the read)
        self._flagged: list[tuple[Any, Optional[str], PlanWarning, Read]] = []
        self._origins: list[Recorded] = []  # each placed value and where it was read
        self._last: Optional[tuple[str, Origin]] = None  # the last entry read from a page: its text and place

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
        read = written.read
        origin = self._origin(written.entry, None, read)
        self._last = (written.entry.text, origin) if origin is not None else None
        if read is not None and read.low is not None and read.low < self.bounds.word:
            self._flag(written.entry, None, where, read, "entry")
        return written.entry

    def read_into(
        self, model: BaseModel, name: str, where: str, paragraphs: Sequence[Paragraph] = (), boxes: Iterable[TickBox] = ()
    ) -> None:
        """``model.name`` was set from these paragraphs (their words) or tick boxes (their states):
        flagged when one of them was read from pixels less surely than the bounds."""
        boxes = [b for b in boxes if b.page is not None]
        read = read_from(paragraphs)
        self._origin(model, name, Read(boxes[0].page, boxes[0].box) if boxes else read)
        self._unsure(model, name, where, read, boxes)

    def placed(self, model: BaseModel, name: str, paragraphs: Sequence[Paragraph] = (), boxes: Iterable[TickBox] = ()) -> None:
        """``model.name`` was set from these tick boxes, else these paragraphs: only where, not how surely."""
        boxes = [b for b in boxes if b.page is not None]
        self._origin(model, name, Read(boxes[0].page, boxes[0].box) if boxes else read_from(paragraphs))

    def _unsure(self, model: BaseModel, name: str, where: str, read: Optional[Read], boxes: list[TickBox]) -> None:
        """Flag the value when a box, or else a word, it came from was read from pixels less surely than the bounds."""
        unsure = [b for b in boxes if b.confidence < self.bounds.tick]
        if unsure:
            self._flag(model, name, where, Read(unsure[0].page, unsure[0].box), "tick")
            return
        if read is not None and read.low is not None and read.low < self.bounds.word:
            self._flag(model, name, where, read, "value")

    def _origin(self, value: Any, name: Optional[str], read: Optional[Read]) -> Optional[Origin]:
        """Keep where ``value`` (or its field ``name``) was read, when the page and box are known."""
        if read is None or read.page is None or read.box is None:
            return None
        origin = Origin(read.page, read.box)
        self._origins.append((value, name, origin))
        return origin

    def origins(self) -> Fields:
        """Each placed value's model path -> where it was read; call once the plan is whole."""
        return resolve(self._origins, self.plan)

    def _flag(self, value: Any, name: Optional[str], where: str, read: Read, what: str) -> None:
        warning = PlanWarning(code="ocr-low-confidence", message=_LOW[what], where=field_place(where, read.page, read.box))
        self.plan.warnings.append(warning)
        self._flagged.append((value, name, warning, read))

    def finish(self) -> None:
        """Each flagged value's warning names the model field it went to, now that the plan is
        whole (a value that went to no field keeps the section's name); one warning per place."""
        if not self._flagged:
            return
        paths = model_paths(self.plan)
        for value, name, warning, read in self._flagged:
            path = paths.get(id(value))
            if path is not None:
                warning.where = field_place(f"{path}.{name}" if name else path, read.page, read.box)
        seen: set[tuple[str, Optional[str]]] = set()
        kept = []
        for w in self.plan.warnings:
            if w.code == "ocr-low-confidence" and (w.code, w.where) in seen:
                continue
            seen.add((w.code, w.where))
            kept.append(w)
        self.plan.warnings[:] = kept
        self._flagged.clear()

    def unmapped(self, where: str, text: str) -> None:
        item = Unmapped(where=where, text=text)
        self.plan.unmapped.append(item)
        if self._last is not None and self._last[0] == text:  # an entry read from a page that fits no field
            self._origins.append((item, None, self._last[1]))
        self.warn("unmapped-text", where, once=False)

    def part(self, key: str, heading: str) -> KeptSection:
        """The ``sections`` item of a part of the form the model has no field for (found or opened)."""
        for section in self.plan.sections:
            if section.key == key and section.heading == heading:
                return section
        section = KeptSection(key=key, heading=heading)
        self.plan.sections.append(section)
        return section


def model_paths(model: BaseModel, path: str = "", out: Optional[dict[int, str]] = None) -> dict[int, str]:
    """id -> path of every model object and entry in ``model`` ("outcomes[2].statement"); the
    entries of a list of entries share the list's path ("provision[0].resources")."""
    out = {} if out is None else out
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = f"{path}.{name}" if path else name
        if isinstance(value, BaseModel):
            out[id(value)] = here
            model_paths(value, here, out)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Entry):
                    out[id(item)] = here
                elif isinstance(item, BaseModel):
                    out[id(item)] = f"{here}[{i}]"
                    model_paths(item, f"{here}[{i}]", out)
    return out
