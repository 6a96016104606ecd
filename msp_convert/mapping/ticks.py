"""Reading a tick list: which box goes with which label, and what state it is in.

The layout already turned every encoding of a box into a ``TickBox``; what
is left here is the typed kind: an "X" typed in place of a box ("X Me") or
beside an empty one ("☐ X My parent") counts as ticked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Sequence

from ..layout import Inline, Run, TickBox
from ..template import TickOption
from .text import clean, norm

_TYPED_MARK = re.compile(r"^[ \t\u00a0]*(?:[xX]|\u2713|\u2714)(?=[ \t\u00a0]|$)[ \t\u00a0]*")
_HELP = re.compile(r"with\s+help\s+from", re.IGNORECASE)

NO_BOX = object()  # a label with no box before it


@dataclass(slots=True)
class TickReading:
    states: dict[str, Optional[bool]] = field(default_factory=dict)
    helper: Optional[str] = None
    unknown: bool = False  # a box whose state could not be told
    loose_boxes: list[Optional[bool]] = field(default_factory=list)  # boxes with no label
    loose_labels: list[str] = field(default_factory=list)  # labels with neither box nor mark


def _segments(inlines: Sequence[Inline], start: int) -> list[tuple[object, str]]:
    segs: list[tuple[object, str]] = [(NO_BOX, "")]
    pos = 0
    for item in inlines:
        if isinstance(item, TickBox):
            if pos >= start:
                segs.append((item.checked, ""))
            pos += 1
            continue
        text = item.text if isinstance(item, Run) else ""
        if pos + len(text) > start:
            box, label = segs[-1]
            segs[-1] = (box, label + text[max(0, start - pos):])
        pos += len(text)
    return segs


@lru_cache(maxsize=32)
def _labels(options: tuple[TickOption, ...]) -> list[tuple[str, TickOption]]:
    """Normalised labels, longest first, so "me with help from" wins over "me"."""
    return sorted(((norm(w), o) for o in options for w in o.labels), key=lambda p: -len(p[0]))


def _option_for(label: str, options: tuple[TickOption, ...]) -> Optional[TickOption]:
    n = norm(label)
    if not n:
        return None
    for w, option in _labels(options):
        if n == w or n.startswith(w + " "):
            return option
    return None


def read_ticks(inlines: Sequence[Inline], options: tuple[TickOption, ...], start: int = 0) -> TickReading:
    """The states of ``options`` shown in one line, from character ``start`` on."""
    reading = TickReading()
    segs = _segments(inlines, start)
    for i, (box, label) in enumerate(segs):
        mark = _TYPED_MARK.match(label)
        if mark:
            label = label[mark.end():]
        found = _option_for(label, options)
        if box is NO_BOX and not mark:
            if found is None:
                continue
            # "Me ☒": a label whose box follows it.
            nxt = segs[i + 1] if i + 1 < len(segs) else None
            if nxt is not None and not norm(nxt[1]):
                state: object = nxt[0]
            else:
                reading.loose_labels.append(found.key)
                continue
        else:
            state = True if mark else box
        if found is None:
            if box is not NO_BOX and not norm(label) and not (i > 0 and segs[i - 1][0] is NO_BOX and _option_for(segs[i - 1][1], options)):
                reading.loose_boxes.append(None if state is None else bool(state))
            continue
        option = found
        if state is None:
            reading.unknown = True
        reading.states[option.key] = None if state is None else bool(state)
        if _HELP.search(label):
            helper = clean(label[_HELP.search(label).end():])
            if helper:
                reading.helper = helper
    return reading
