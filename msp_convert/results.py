"""A value travelling with what was noticed on the way (after mammoth's Result).

Warnings are data, not log lines: each layer returns ``Result(value,
messages)`` and the caller decides what to show. A message never quotes plan
content; ``where`` names a section, table or part instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Generic, Iterable, Optional, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Message:
    code: str  # stable, machine-readable: "tracked-deletion", "unmapped-text", ...
    message: str  # one plain sentence for a person; no plan content
    where: Optional[str] = None


@dataclass(slots=True)
class Result(Generic[T]):
    value: T
    messages: list[Message] = field(default_factory=list)

    def extend(self, messages: Iterable[Message]) -> "Result[T]":
        self.messages.extend(messages)
        return self


def place(page: int, box: Optional[Sequence[float]] = None) -> str:
    """A place on a page as every message's ``where`` writes it: "page 3 [72.0 410.5 300.2 428.0]"
    (x0 top x1 bottom, PDF points from the page's top left, to one decimal); "page 3" with no box."""
    if box is None:
        return f"page {page}"
    return f"page {page} [" + " ".join(f"{v:.1f}" for v in box) + "]"


def field_place(field: Optional[str], page: Optional[int], box: Optional[Sequence[float]] = None) -> Optional[str]:
    """A field's path and its place on a page, joined as a warning's ``where`` says both:
    "outcomes[2].statement; page 3 [72.0 410.5 300.2 428.0]"; either alone when the other is not known."""
    at = place(page, box) if page is not None else None
    return "; ".join(p for p in (field, at) if p) or None


def dedupe(messages: Iterable[Message]) -> list[Message]:
    """Messages in first-seen order, each once."""
    seen: set[Message] = set()
    out = []
    for m in messages:
        if m not in seen:
            seen.add(m)
            out.append(m)
    return out


# Called as each page of a long read (OCR of a scan) is done: (pages done, pages in all).
# The batch uses it to tell a slow scan from a hung worker.
PageDone = Callable[[int, int], None]
