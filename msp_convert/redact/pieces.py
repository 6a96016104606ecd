"""A long text searched in pieces, so that no text costs more than its length (issue 18).

presidio's recognisers settle their duplicates pairwise (``remove_duplicates``:
quadratic in the matches of one text: a 20,000-word entry took 19 s). A text
longer than ``SIZE`` characters is therefore searched as windows: each window is
a core, cut after a line break if there is one (else after a sentence's end,
else at a space), with at least ``OVERLAP`` characters of the text either side,
so a name, a title and its role, or an address across the cut is found whole in
the window whose core it starts in; spans starting outside the core are left to
the window whose core holds them. The overlap resolves as the whole text would:
the caller settles all the kept spans together (``spans.resolve``, linear).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

SIZE = 4_000  # a core's most characters; a text this long or shorter is one piece, searched as before
OVERLAP = 240  # the context kept either side of a core: longer than any span a recogniser finds in pieces
# (web addresses, unbounded, are searched on the whole text: recognisers.Finder.find)
# Where a cut may go, best first: after a line break, after a sentence's end, after a space.
_CUTS = (re.compile(r"\n"), re.compile(r"[.!?;:]\s"), re.compile(r"\s"))


@dataclass(frozen=True)
class Piece:
    start: int  # the window searched: text[start:end]
    core_start: int  # spans starting in [core_start, core_end) are this piece's
    core_end: int
    end: int


def cut(text: str, low: int, high: int) -> int:
    """The best place in (low, high] to cut ``text`` (just after the mark): ``high`` if none."""
    low, high = max(low, 0), min(high, len(text))
    for mark in _CUTS:
        found = [m.end() for m in mark.finditer(text, low, high)]
        if found:
            return found[-1]
    return high


def pieces(text: str) -> Iterator[Piece]:
    """The windows to search ``text`` in: one, the whole text, when it is ``SIZE`` characters or fewer."""
    size, overlap, start = SIZE, OVERLAP, 0
    while start < len(text):
        end = len(text) if len(text) - start <= size else cut(text, start + size // 2, start + size)
        before = 0 if start <= overlap else cut(text, start - 2 * overlap, start - overlap)
        after = len(text) if end == len(text) else cut(text, end + overlap, end + 2 * overlap)
        yield Piece(before, start, end, after)
        start = end
