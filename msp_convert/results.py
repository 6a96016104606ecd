"""A value travelling with what was noticed on the way (after mammoth's Result).

Warnings are data, not log lines: each layer returns ``Result(value,
messages)`` and the caller decides what to show. A message never quotes plan
content; ``where`` names a section, table or part instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Generic, Iterable, Optional, TypeVar

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
