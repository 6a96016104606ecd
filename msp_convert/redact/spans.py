"""Spans: what a recogniser found in a text and what replaces it, and how spans are settled.

A ``Span`` is a stretch of a text, its count key (KINDS), its replacement and the
recogniser that found it. Overlaps are settled by one rule (``resolve``): the
longer span wins; of two alike, the more specific recogniser (the order of
``PRIORITY``). A text longer than ``pieces.SIZE`` characters is searched in
overlapping pieces (``in_pieces``: presidio settles its duplicates pairwise), its
spans settled together.

presidio searches each pattern with a time-out and, on a TimeoutError, logs a
warning and goes on without that pattern's matches. Each pattern it searches for
us is compiled here and watched (``watched``, ``watching_timeouts``), so that
redaction stops instead, whatever presidio's log level.
"""

from __future__ import annotations

import bisect
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator, Optional

import regex
from presidio_analyzer import PatternRecognizer

from .pieces import pieces

# Same-length spans: the earlier kind here wins.
PRIORITY = ("kept", "person", "labelled", "upn", "nhs-number", "uln", "email", "web", "phone", "postcode", "address",
            "date-of-birth", "title", "relation", "school", "uncertain-name")
PLACEHOLDER = {"upn": "[UPN]", "uln": "[ULN]", "nhs-number": "[NHS number]", "address": "[address]",
               "postcode": "[postcode]", "phone": "[phone]", "email": "[email]", "date-of-birth": "[date of birth]"}
CASE_SENSITIVE = re.DOTALL | re.MULTILINE


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # a count key (KINDS)
    replacement: str
    finder: str  # which recogniser: its place in PRIORITY settles ties
    # a name this span teaches the plan's second pass: (form, kind, pseudonym), redacted wherever written
    learn: Optional[tuple[str, str, str]] = None
    also: tuple[str, ...] = ()  # more forms learnt with the same kind and pseudonym (a full name's parts)


# presidio's time-out, watched -----------------------------------------------------------------------

# presidio searches each pattern with a time-out (REGEX_TIMEOUT_SECONDS); on a TimeoutError it logs a warning
# and goes on without that pattern's matches: a text that may still hold a name. Each pattern it searches here
# is compiled by us and watched: a time-out is noted for ``watching_timeouts`` whatever presidio logs.
_GAVE_UP: ContextVar[Optional[list[str]]] = ContextVar("redact_gave_up", default=None)


class _Watched:
    """A compiled pattern whose ``finditer`` notes a time-out (then raises it, for presidio to catch)."""

    def __init__(self, compiled: regex.Pattern) -> None:
        self.compiled = compiled

    def finditer(self, *args: object, **kwargs: object) -> Iterator[regex.Match]:
        try:
            yield from self.compiled.finditer(*args, **kwargs)
        except TimeoutError:
            gave_up = _GAVE_UP.get()
            if gave_up is not None:
                gave_up.append("timeout")
            raise

    def __getattr__(self, name: str) -> object:
        return getattr(self.compiled, name)


def watched(recogniser: PatternRecognizer) -> PatternRecognizer:
    """``recogniser`` with each pattern compiled now, as presidio would, and watched (``_Watched``)."""
    flags = recogniser.global_regex_flags
    for pattern in recogniser.patterns:
        pattern.compiled_regex = _Watched(regex.compile(pattern.regex, flags=flags))
        pattern.compiled_with_flags = flags
    return recogniser


@contextmanager
def watching_timeouts() -> Iterator[list[str]]:
    """A list that holds an entry for each search that gave up within the block (this context only)."""
    token = _GAVE_UP.set([])
    try:
        yield _GAVE_UP.get()  # type: ignore[misc]
    finally:
        _GAVE_UP.reset(token)


# settling spans ------------------------------------------------------------------------------------


def in_pieces(text: str, search: Callable[[str], Iterable[Span]]) -> Iterator[Span]:
    """``search`` over a long text window by window (``pieces``): each span once, where it is in ``text``."""
    for piece in pieces(text):
        window = text if piece.end - piece.start == len(text) else text[piece.start:piece.end]
        for span in search(window):
            start = span.start + piece.start
            if piece.core_start <= start < piece.core_end:
                yield span if not piece.start else replace(span, start=start, end=span.end + piece.start)


def merged(spans: list[Span], text: str) -> list[Span]:
    """Parts of one name side by side ("KAI" "DUNMORE"), each found by the model's names, as one: the
    pseudonym once, counted once. Not two people who share a role ("Mrs Rowe (TA) Mr Shah (TA)"), nor a
    pseudonym already written twice."""
    out: list[Span] = []
    for span in spans:
        last = out[-1] if out else None
        same = (last is not None and last.replacement == span.replacement and last.finder == span.finder == "person"
                and last.kind == span.kind)
        if last and same and text[last.end:span.start].isspace():
            out[-1] = Span(last.start, span.end, last.kind, last.replacement, last.finder, last.learn, last.also)
        else:
            out.append(span)
    return out


def trimmed(span: Span, text: str) -> Span:
    """``span`` without a bracket it opens and does not close, or closes and did not open ("(+44 ...")."""
    start, end = span.start, span.end
    while start < end and text[start] in "([" and text.count(")" if text[start] == "(" else "]", start, end) == 0:
        start += 1
    while end > start and text[end - 1] in ")]" and text.count("(" if text[end - 1] == ")" else "[", start, end) == 0:
        end -= 1
    return span if (start, end) == (span.start, span.end) else Span(start, end, span.kind, span.replacement,
                                                                     span.finder, span.learn, span.also)


def resolve(spans: Iterable[Span], text: str = "") -> list[Span]:
    spans = [trimmed(s, text) for s in spans] if text else list(spans)
    ranked = sorted(spans, key=lambda s: (-(s.end - s.start), PRIORITY.index(s.finder), s.start))
    taken = Taken([])
    return [span for span in ranked if span.end > span.start and taken.add(span)]


class Taken:
    """The parts of a text already given to a span: each new span is taken if it overlaps none
    (intervals kept sorted, so a long text with many spans stays fast)."""

    def __init__(self, spans: list[Span]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for span in sorted(spans, key=lambda s: s.start):
            self.starts.append(span.start)
            self.ends.append(span.end)

    def add(self, span: Span) -> bool:
        i = bisect.bisect_left(self.starts, span.start)
        if i < len(self.starts) and self.starts[i] < span.end:
            return False  # one starts inside it
        if i > 0 and self.ends[i - 1] > span.start:
            return False  # the one before runs into it
        self.starts.insert(i, span.start)
        self.ends.insert(i, span.end)
        return True


def apply(text: str, spans: list[Span]) -> str:
    """``text`` with each span (in order, none overlapping) replaced."""
    out, at = [], 0
    for span in spans:
        out += [text[at:span.start], span.replacement]
        at = span.end
    return "".join(out) + text[at:]
