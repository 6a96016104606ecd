"""Recognising a form's wording in what a document shows.

The wording is the profile's (``msp_convert/templates/*.toml``): nothing here
knows any form. Schools leave the template's prompts in place, edit them a
little, or delete them, and a PDF may break a prompt over lines. So wording is
compared after normalising (case, quotes, dashes, "&", punctuation, dotted
leaders) and, for longer wording, by word overlap rather than equality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Generic, Iterable, Optional, TypeVar

from ..text import norm

T = TypeVar("T")

_LEADER = re.compile(r"(?:\u2026|\.{2,}|_{3,}|(?<=\s)\.(?=\s))+")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")

# What is left of a line that only holds a bullet or a dotted leader.
_EMPTY_LINE = re.compile(r"^[\s\u00b7\u2022\u25aa\u25cf\u2023\u2043\uf0b7\uf0a7\-\u2013\u2014*o.\u2026_:]*$")


def is_blank(text: str) -> bool:
    """True for lines that hold nothing a person wrote: blanks, bullets, leaders."""
    return bool(_EMPTY_LINE.match(text))


def words_pattern(wording: str, gap: str = r"\s+") -> str:
    """A form's wording as a regular expression: its words as printed, ``gap`` between them ("" for none)."""
    return gap.join(re.escape(w) for w in wording.split())


def clean(text: str) -> str:
    """Collapse spaces and leaders in a short value (a name, a label)."""
    text = _LEADER.sub(" ", text)
    return _SPACES.sub(" ", text).strip(" \t:;,-\u2013.")


def original_offset(text: str, normalised_len: int) -> int:
    """Index in ``text`` just after the first ``normalised_len`` normalised characters.

    Used to cut a prompt off the front of a line while keeping the rest
    exactly as written (with its strikethrough).
    """
    if normalised_len <= 0:
        return 0
    # Walk the original text, counting the words-and-single-spaces that
    # ``norm`` would produce, until enough have been seen.
    seen = 0
    in_gap = True
    for i, ch in enumerate(text):
        piece = norm(ch) if ch not in "&" else "and"
        if piece:
            if not in_gap or seen == 0:
                seen += len(piece)
            else:
                seen += 1 + len(piece)  # the single space norm puts between words
            in_gap = False
            if seen >= normalised_len:
                return i + 1
        else:
            in_gap = True
    return len(text)


class Line:
    """A line of text with its normalised form, worked out once for every matcher."""

    __slots__ = ("text", "n", "words", "_wordset")

    def __init__(self, text: str, normalised: Optional[str] = None) -> None:
        self.text = text
        self.n = norm(text) if normalised is None else normalised
        self.words = self.n.split()
        self._wordset: Optional[set[str]] = None

    @property
    def wordset(self) -> set[str]:
        if self._wordset is None:
            self._wordset = set(self.words)
        return self._wordset


def _line(value: "str | Line") -> Line:
    return value if isinstance(value, Line) else Line(value)


@dataclass(frozen=True)
class Match(Generic[T]):
    item: T
    rest_at: int  # where the line's own text after the wording starts (in the original)
    exact: bool


class Wording(Generic[T]):
    """A set of wordings, each standing for an item, matched against lines.

    A line matches a wording when, normalised, it equals it, or starts with it
    and goes on after a separator (":", a leader, "?") or the wording is long
    enough to be unmistakable; or, for wording of four words or more, when
    the two share most of their words (a slightly edited prompt).
    """

    def __init__(
        self,
        pairs: Iterable[tuple[str, T]],
        *,
        fuzzy: bool = True,
        open_ended: Optional[Callable[[T], bool]] = None,
    ) -> None:
        # open_ended(item): the wording is a label whose value follows it
        # directly ("with help from Mrs Lewis"), so no separator is needed.
        self._open_ended = open_ended or (lambda item: False)
        entries = []
        for wording, item in pairs:
            n = norm(wording)
            if n:
                entries.append((n, set(n.split()), item))
        # Longest first, so "me with help from" wins over "me".
        entries.sort(key=lambda e: -len(e[0]))
        self._entries = entries
        self._fuzzy = fuzzy
        self._by_first: dict[str, list[tuple[str, set[str], T]]] = {}
        for e in entries:  # stays longest first within each list
            self._by_first.setdefault(e[0].split(" ", 1)[0], []).append(e)
        self._vocabulary = set().union(*(e[1] for e in entries)) if entries else set()
        # Without spaces: a PDF's narrow cell breaks a word ("Educ ation").
        self._tight: dict[str, T] = {}
        for n, _, item in entries:
            self._tight.setdefault(n.replace(" ", ""), item)

    def match(self, value: "str | Line", fuzzy: bool = True) -> Optional[Match[T]]:
        """The wording the line shows; ``fuzzy=False`` tries only the exact forms (equal, or followed by the answer)."""
        line = _line(value)
        n, text = line.n, line.text
        if not n:
            return None
        for wn, _, item in self._by_first.get(line.words[0], ()):
            if n == wn:
                return Match(item, len(text), True)
            if n.startswith(wn) and n[len(wn)] == " ":
                cut = original_offset(text, len(wn))
                if len(wn.split()) >= 4 or self._open_ended(item) or _separated(text, cut):
                    return Match(item, _after_separators(text, cut), True)
        if not fuzzy:
            return None
        if self._fuzzy and len(line.words) >= 4:
            got = line.wordset
            # Jaccard >= 0.7 with any wording needs 70% of the line's words
            # in the vocabulary: one intersection rules out most written text.
            if len(got & self._vocabulary) >= 0.7 * len(got):
                best, best_score = None, 0.0
                for wn, wset, item in self._entries:
                    if len(wset) < 4 or len(got) > len(wset) + 4:
                        continue
                    score = len(got & wset) / len(got | wset)
                    if score > best_score:
                        best, best_score = item, score
                if best is not None and best_score >= 0.7:
                    return Match(best, len(text), False)
        if len(line.words) > 1:
            tight = self._tight.get(n.replace(" ", ""))
            if tight is not None:
                return Match(tight, len(text), False)
        return None


_SEPARATORS = re.compile(r"[\s:;\-\u2013\u2014.\u2026_?]*")


def _after_separators(text: str, cut: int) -> int:
    """Skip the colon, dashes or dotted leader between a prompt and its answer."""
    return _SEPARATORS.match(text, cut).end()  # type: ignore[union-attr]


def _separated(text: str, cut: int) -> bool:
    rest = text[cut:].lstrip(" \t\u00a0")
    return not rest or rest[0] in ":?-\u2013\u2014.\u2026)(_\t" or text[cut - 1:cut] in ":?"


class Guidance:
    """The template's printed help text, recognised however it was cut into lines."""

    def __init__(self, lines: Iterable[str]) -> None:
        normals = [norm(line) for line in lines]
        self._joined = "\n" + "\n".join(n for n in normals if n) + "\n"
        # Without spaces, for text from a PDF whose narrow column broke a word;
        # and without line ends too, for consecutive lines read as one.
        self._tight = self._joined.replace(" ", "")
        self._flat = self._tight.replace("\n", "")
        self._sets = [set(n.split()) for n in normals if len(n.split()) >= 5]
        self._vocabulary = set().union(*self._sets) if self._sets else set()

    def __contains__(self, value: "str | Line") -> bool:
        line = _line(value)
        n = line.n
        if not n:
            return False
        if f"\n{n}\n" in self._joined:
            return True
        if len(line.words) >= 3 and len(n) >= 12 and n in self._joined:
            return True
        tight = n.replace(" ", "")
        if f"\n{tight}\n" in self._tight or (len(n) >= 24 and tight in self._flat):
            return True
        if len(line.words) >= 5:
            got = line.wordset
            if len(got & self._vocabulary) >= 0.75 * len(got):
                for gset in self._sets:
                    if len(got & gset) / len(got | gset) >= 0.75:
                        return True
        return False
