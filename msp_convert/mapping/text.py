"""Recognising a form's wording in what a document shows.

The wording is the profile's (``msp_convert/templates/*.toml``): nothing here
knows any form. Schools leave the template's prompts in place, edit them a
little, or delete them, and a PDF may break a prompt over lines. So wording is
compared after normalising (case, quotes, dashes, "&", punctuation, dotted
leaders) and, for longer wording, by word overlap rather than equality.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Callable, Generic, Iterable, Optional, TypeVar

from ..layout import Paragraph
from ..text import norm

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")

_LEADER = re.compile(r"(?:\u2026|\.{2,}|_{3,}|(?<=\s)\.(?=\s))+")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")

# What is left of a line that only holds a bullet or a dotted leader.
_EMPTY_LINE = re.compile(r"^[\s\u00b7\u2022\u25aa\u25cf\u2023\u2043\uf0b7\uf0a7\-\u2013\u2014*o.\u2026_:]*$")


# Compiled forms kept by the identity of what they were made of (a profile's columns): looking one up
# hashes no Column (a tuple of them hashes each, with all its wordings, on every call).
MOST_COMPILED = 64


def by_identity(build: Callable[[K], V]) -> Callable[[K], V]:
    """A function of one argument (a profile's tuple of columns or options) remembered by the
    argument's identity; the argument is kept, so its id is not another's while remembered."""
    made: dict[int, tuple[K, V]] = {}

    def compiled(key: K) -> V:
        hit = made.get(id(key))
        if hit is None or hit[0] is not key:
            if len(made) >= MOST_COMPILED:
                made.clear()
            hit = made[id(key)] = (key, build(key))
        return hit[1]

    return compiled


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


# --- wording misread a letter or two (a scan's OCR) ---------------------------------

# A line is respelt only when at least this share of its words are the wording's already.
RESPELL_SHARE = 0.5
# Words this long may be one edit off the wording's (a letter misread, lost or added);
# this long, two ("intorim" for "inform").
ONE_EDIT, TWO_EDITS = 4, 7
# Letters OCR takes for one another, which may stand for each other in a short word too ("le." for "Ie.").
_LOOKALIKES = frozenset(
    (a, b) for pair in ("il", "i1", "l1", "it", "lt", "ij", "ce", "ao", "o0", "un", "nh", "bh", "s5") for a, b in (pair, pair[::-1])
)
# What a "/" between two words is read as ("parent/child" as "parentichild").
_SLASH_READ = frozenset("il1t")
_ALNUM = re.compile(r"[0-9A-Za-z]+")


def edits(a: str, b: str, most: int) -> int:
    """The edit distance between two words, or ``most + 1`` when it is more than ``most``."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        if min(row) > most:
            return most + 1
    return row[-1]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class Respeller:
    """Words of a form's wording put back from a misreading: a word one or two letters off
    ("tnteraction", "intorm"), a short word with a look-alike letter ("le"), two words run
    together, or run together over a "/" ("parentichild")."""

    def __init__(self, vocabulary: set[str]) -> None:
        self.vocabulary = vocabulary
        self._near: dict[str, set[str]] = {}
        for word in vocabulary:
            for key in _deletions(word) | {word}:
                self._near.setdefault(key, set()).add(word)
        self._known: dict[str, Optional[str]] = {}
        # Longer words are none of the wording's misread (nor two run together): never looked at, as
        # the deletions of a long word cost its length cubed (a mangled file's 10,000-letter "word").
        self._longest = max(map(len, vocabulary), default=0)

    def word(self, word: str) -> Optional[str]:
        """The wording's word (or two, spaced) this word misreads; None if none, or it is one."""
        if word not in self._known:
            plain = word in self.vocabulary or not 2 <= len(word) <= 2 * self._longest + 1
            self._known[word] = None if plain else self._respelt(word)
        return self._known[word]

    def _respelt(self, word: str) -> Optional[str]:
        for i in range(2, len(word) - 1):
            left, right = word[:i], word[i:]
            if left in self.vocabulary and right in self.vocabulary and len(left) + len(right) >= 5:
                return f"{left} {right}"
            if word[i] in _SLASH_READ and left in self.vocabulary and word[i + 1:] in self.vocabulary and min(i, len(word) - i - 1) >= 3:
                return f"{left} {word[i + 1:]}"
        most = 2 if len(word) >= TWO_EDITS else 1 if len(word) >= ONE_EDIT else 0
        if len(word) > self._longest + most:
            return None
        keys = _deletions(word) | {word}
        if most == 2:
            keys |= {d for k in _deletions(word) for d in _deletions(k)}
        found = {v for k in keys for v in self._near.get(k, ()) if edits(word, v, most) <= most}
        if not found and len(word) < ONE_EDIT:
            found = {v for k in _deletions(word) for v in self._near.get(k, ()) if len(v) == len(word) and _lookalike(word, v)}
        return found.pop() if len(found) == 1 else None

    def line(self, line: "Line") -> "Optional[tuple[Line, Callable[[int], int]]]":
        """The line respelt, and where an offset in the respelt text falls in the line's own;
        None when it needs no respelling, or is too little the wording's to be."""
        words = line.words
        if len(words) < 2 or sum(map(self.vocabulary.__contains__, words)) < RESPELL_SHARE * len(words):
            return None
        known = self._known
        if all(known.get(w, _UNKNOWN) is None for w in map(str.lower, _ALNUM.findall(line.text))):
            return None  # every word already known to need no respelling (the usual line): no walk
        pieces: list[str] = []
        moves: list[tuple[int, int]] = []  # (end in the respelt text, end in the line's own)
        at = 0
        for m in _ALNUM.finditer(line.text):
            new = self.word(m.group(0).lower())
            if new is not None:
                pieces += [line.text[at:m.start()], new]
                at = m.end()
                moves.append((sum(map(len, pieces)), at))
        if not moves:
            return None
        pieces.append(line.text[at:])

        def original(offset: int) -> int:
            shift = next(((old - new) for new, old in reversed(moves) if new <= offset), 0)
            return max(0, min(len(line.text), offset + shift))

        return Line("".join(pieces)), original


_UNKNOWN = object()  # a word not yet looked at by a Respeller


def _lookalike(a: str, b: str) -> bool:
    """Two words of one length apart by one letter that OCR takes for the other."""
    diff = [(x, y) for x, y in zip(a, b) if x != y]
    return len(diff) == 1 and diff[0] in _LOOKALIKES


class Line:
    """A line of text with its normalised form, worked out once for every matcher.

    ``exact``: the file itself stored the words (the layout's ``Paragraph.confidence`` is None), so
    no letter of them was misread: the tolerance for a scan's misreadings (respelling) is not tried.

    ``kept``: a document's own line (``line_of``), shared by every stage: each matcher remembers its answer
    by the line itself (its text never changes), so it looks at the line once, and a lookup makes no key.
    """

    __slots__ = ("text", "n", "words", "_wordset", "exact", "kept")

    def __init__(self, text: str, normalised: Optional[str] = None, exact: bool = False) -> None:
        self.text = text
        self.n = norm(text) if normalised is None else normalised
        self.words = self.n.split()
        self._wordset: Optional[set[str]] = None
        self.exact = exact
        self.kept = False

    @property
    def wordset(self) -> set[str]:
        if self._wordset is None:
            self._wordset = set(self.words)
        return self._wordset


def _line(value: "str | Line") -> Line:
    return value if isinstance(value, Line) else Line(value)


# Matching is a pure function of the line, so each matcher remembers its answers for one document
# (its lines are looked at by the profile chooser, the plan divider and the mapping); ``new_document``
# forgets them, so that memory stays flat over a batch and one file's lines never speed up the next's.
_DOCUMENT = [0]
_SEEN: list[object] = [None]  # the document the answers are about
MEMO_MOST = 20_000


def new_document(document: object = None) -> None:
    """Forget the matchers' remembered answers, unless ``document`` is the one they are about."""
    if document is None or document is not _SEEN[0]:
        _SEEN[0] = document
        _DOCUMENT[0] += 1


def _memo_key(value: "str | Line", *extra: object) -> tuple:
    return (value, None, *extra) if isinstance(value, str) else (value.text, value.n, value.exact, *extra)


_LINES = [0, {}]  # the document the lines are of (as _DOCUMENT), and its lines by (text, exact)


def line_of(para: "Paragraph") -> Line:
    """The paragraph's text as a Line, made once per document and shared by the profile chooser,
    the plan divider and the mapping; exact where the layout says no word was read from pixels."""
    memo = _LINES[1] if _LINES[0] == _DOCUMENT[0] and len(_LINES[1]) < MEMO_MOST else _lines()
    key = (para.text, para.confidence is None)
    return memo.get(key) or _new_line(memo, key)  # type: ignore[union-attr]


def lines_of(paras: "Iterable[Paragraph]") -> list[Line]:
    """``line_of`` of each paragraph, in one call (a walk over a whole document)."""
    memo = _lines()
    return [memo.get(key) or _new_line(memo, key) for key in [(para.text, para.confidence is None) for para in paras]]


def _new_line(memo: "dict[tuple[str, bool], Line]", key: "tuple[str, bool]") -> Line:
    line = memo[key] = Line(key[0], exact=key[1])
    line.kept = True  # the document's line: matchers remember their answers by it
    return line


def _lines() -> "dict[tuple[str, bool], Line]":
    """The current document's lines by (text, exact): started afresh for another document, or when full."""
    if _LINES[0] != _DOCUMENT[0] or len(_LINES[1]) >= MEMO_MOST:
        _LINES[0], _LINES[1] = _DOCUMENT[0], {}
    return _LINES[1]  # type: ignore[return-value]


# Values worked out once per document by the function that works them out: each thread keeps its
# own document's, and a value is kept with the document it is of (never in another's place).
_KEPT = threading.local()


def per_document(document: object, make: "Callable[[Any], V]") -> V:
    """``make(document)``, worked out once per document (the profile chooser and the plan divider
    share it); kept until this thread reads another document, or ``forget_documents()``. The document
    must not change once read (its walk is kept while it is the one looked at)."""
    new_document(document)
    kept = getattr(_KEPT, "values", None)
    if kept is None or kept[0] is not document:
        kept = _KEPT.values = (document, {})
    values = kept[1]  # this document's, even if a read of another (a nested call) takes the slot
    if make not in values:
        values[make] = make(document)
    return values[make]  # type: ignore[no-any-return]


def forget_documents() -> None:
    """Let go of this thread's document and what ``per_document`` worked out for it (a read has ended: an idle
    batch thread holds no plan)."""
    kept = _KEPT.__dict__.pop("values", None)
    if kept is not None and _SEEN[0] is kept[0]:
        _SEEN[0] = None
    # The matchers' answers and the line store hold the plan's text: let go of them too (a read of another
    # document in another thread only starts its answers afresh).
    _DOCUMENT[0] += 1
    _LINES[0], _LINES[1] = _DOCUMENT[0], {}
    for memo in list(_MEMOS.values()):
        memo.clear()


class LineIndex:
    """A document's lines by their first word and spaceless form (normalised): which of the
    lines the file stored show a wording is then a lookup per wording, not a match per line."""

    def __init__(self, lines: Iterable[Line]) -> None:
        self.by_first: dict[str, list[Line]] = defaultdict(list)
        self.by_two: dict[str, list[Line]] = defaultdict(list)  # by their first two words: lines of two or more
        self.by_tight: dict[str, list[Line]] = defaultdict(list)  # lines of two words or more
        self.read: list[Line] = []  # lines read from pixels: their wording may be misread, so each is matched
        by_first, by_two, by_tight, read = self.by_first, self.by_two, self.by_tight, self.read
        for line in lines:  # the normalised text is its words, one space apart: no other look at it
            words = line.words
            if words:
                first = words[0]
                by_first[first].append(line)
                if len(words) > 1:
                    by_two[first + " " + words[1]].append(line)
                    by_tight["".join(words)].append(line)
                if not line.exact:
                    read.append(line)

    def every(self) -> list[Line]:
        """All the lines (with any normalised text)."""
        return [line for lines in self.by_first.values() for line in lines]

    def with_n(self, normalised: Iterable[str]) -> list[Line]:
        """The lines whose normalised text is one of these."""
        return [line for n in normalised for line in self.by_first.get(n.split(" ", 1)[0], ()) if line.n == n]

    def starting(self, words: Iterable[str]) -> list[Line]:
        """The lines whose first word (normalised) is one of these."""
        return [line for w in words for line in self.by_first.get(w, ())]


_UNSEEN = object()  # not yet in a memo (None is an answer)


class DocumentMemo(dict):
    """One matcher's answers for the current document (each made is emptied by ``forget_documents``)."""

    __slots__ = ("document", "__weakref__")

    def __init__(self) -> None:
        super().__init__()
        self.document = _DOCUMENT[0]
        _MEMOS[id(self)] = self

    def answer(self, key: object, work: "Callable[..., V]", *args: object) -> V:
        """``work(*args)``, remembered by ``key`` for the current document."""
        if self.document != _DOCUMENT[0] or len(self) >= MEMO_MOST:
            self.clear()
            self.document = _DOCUMENT[0]
        found = self.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = self[key] = work(*args)
        return found  # type: ignore[no-any-return]


_MEMOS: "weakref.WeakValueDictionary[int, DocumentMemo]" = weakref.WeakValueDictionary()  # every memo made, by id


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
        # The wordings long enough for _in_order, as words.
        self._ordered = [(n.split(), wset, item) for n, wset, item in entries if len(n.split()) >= ORDERED_WORDS]
        self._fuzzy = fuzzy
        self._by_first: dict[str, list[tuple[str, set[str], T]]] = {}
        for e in entries:  # stays longest first within each list
            self._by_first.setdefault(e[0].split(" ", 1)[0], []).append(e)
        self._vocabulary = set().union(*(e[1] for e in entries)) if entries else set()
        # The wordings of one word, and the first two words of the others: a line the file stored shows a
        # wording as printed only when it starts with these (``matches``).
        self._lead_words = {e[0] for e in entries if " " not in e[0]}
        self._leads = {" ".join(e[0].split()[:2]) for e in entries if " " in e[0]}
        # Without spaces: a PDF's narrow cell breaks a word ("Educ ation").
        self._tight: dict[str, T] = {}
        for n, _, item in entries:
            self._tight.setdefault(n.replace(" ", ""), item)
        self._respeller: Optional[Respeller] = None
        self._memo = DocumentMemo()
        self._lines = (DocumentMemo(), DocumentMemo())  # its answers by a document's line (``Line.kept``): without tolerance, with

    def match(self, value: "str | Line", fuzzy: bool = True) -> Optional[Match[T]]:
        """The wording the line shows; ``fuzzy=False`` tries only the exact forms (equal, or followed by the answer).

        A line that is mostly the wording's words is tried respelt first ("Communication and
        tnteraction"), so a misread letter does not leave a shorter wording the only match."""
        if type(value) is Line:
            if value.kept:  # a document's line: remembered by the line itself
                return self._lines[fuzzy].answer(value, self._line_match, value, fuzzy)
            if self._unstarted(value):
                return self._no_first(value, fuzzy)  # a lookup or two, no memo
            key: tuple = (value.text, value.n, value.exact, fuzzy)
        else:
            key = (value, None, fuzzy)
        return self._memo.answer(key, self._line_match, value, fuzzy)

    def _unstarted(self, line: Line) -> bool:
        """A line the file stored that no wording starts."""
        return line.exact and (not line.n or line.words[0] not in self._by_first)

    def _line_match(self, value: "str | Line", fuzzy: bool) -> Optional[Match[T]]:
        line = value if type(value) is Line else Line(value)
        return self._no_first(line, fuzzy) if self._unstarted(line) else self._match_respelt(line, fuzzy)

    def matches(self, index: LineIndex, fuzzy: bool = True, read: bool = True) -> "dict[Line, Match[T]]":
        """The index's lines that show a wording, and what ``match`` gives each. Without the word-overlap
        tolerance (``fuzzy=False``, or a Wording built without it) a line the file stored can only when
        it starts with a wording's first two words (its one word) or its spaceless form is one: those are
        looked up, then matched (with it, every line is). ``read``: the lines read from pixels too (else
        left out, for the caller)."""
        if fuzzy and self._fuzzy:
            found = dict.fromkeys(index.every())
        else:
            found = {}
            for w in self._lead_words & index.by_first.keys():
                found.update(dict.fromkeys(index.by_first[w]))
            for lead in self._leads & index.by_two.keys():
                found.update(dict.fromkeys(index.by_two[lead]))
            for t in self._tight.keys() & index.by_tight.keys():
                found.update(dict.fromkeys(index.by_tight[t]))
            found.update(dict.fromkeys(index.read))
        matched = {line: self.match(line, fuzzy) for line in found if read or line.exact}
        return {line: m for line, m in matched.items() if m is not None}

    def _match_respelt(self, line: Line, fuzzy: bool) -> Optional[Match[T]]:
        if line.exact or not line.n:
            return self._match(line, fuzzy)
        if self._respeller is None:
            self._respeller = Respeller(self._vocabulary)
        respelt = self._respeller.line(line)
        if respelt is not None:
            found = self._match(respelt[0], fuzzy)
            if found is not None:
                return Match(found.item, respelt[1](found.rest_at), False)
        return self._match(line, fuzzy)

    def _match(self, line: Line, fuzzy: bool) -> Optional[Match[T]]:
        n, text = line.n, line.text
        if not n:
            return None
        for wn, _, item in self._by_first.get(line.words[0], ()):
            if n == wn:
                return Match(item, len(text), True)
            if n.startswith(wn) and n[len(wn)] == " ":
                cut = original_offset(text, len(wn))
                if len(wn.split()) >= 4 or self._open_ended(item) or _separated(text, cut):
                    return self._longer_misread(line, Match(item, _after_separators(text, cut), True), fuzzy)
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
            in_order = None if line.exact else self._in_order(line)
            if in_order is not None:
                return in_order
        if len(line.words) > 1:
            tight = self._tight.get(n.replace(" ", ""))
            if tight is not None:
                return Match(tight, len(text), False)
        return None


    def _no_first(self, line: Line, fuzzy: bool) -> Optional[Match[T]]:
        """``_match`` for a line the file stored whose first word starts no wording: only the
        word-overlap and the spaceless forms can match it (the same answer, without the memo)."""
        if not line.n:
            return None
        if fuzzy and self._fuzzy and len(line.words) >= 4:
            got = line.wordset
            if len(got & self._vocabulary) >= 0.7 * len(got):
                return self._match(line, fuzzy)
        if len(line.words) > 1:
            tight = self._tight.get(line.n.replace(" ", ""))
            if tight is not None:
                return Match(tight, len(line.text), False)
        return None

    def _longer_misread(self, line: Line, found: Match[T], fuzzy: bool) -> Match[T]:
        """A short wording ("Long term") that starts a line which is its item's long wording misread
        ("Long term- what I want for my. child's future ... ane 'when they are an adult'"): the long one."""
        if not (fuzzy and self._fuzzy) or line.exact:
            return found
        longer = self._in_order(line)
        return longer if longer is not None and longer.item is found.item and longer.rest_at > found.rest_at else found

    def _in_order(self, line: Line) -> Optional[Match[T]]:
        """The one wording of ORDERED_WORDS or more that starts the line, their words agreeing in order
        but for a word or two misread past respelling or lost ("Any vitierSe things which are important
        ... poy family"); what follows it is the line's own."""
        words = line.words
        found: Optional[tuple[T, int]] = None
        got = line.wordset
        for wording, wset, item in self._ordered:
            if len(got & wset) < ORDERED_SHARE * len(wording) * 0.5 or not _may_agree(got, wording):
                continue
            blocks = [b for b in SequenceMatcher(None, words, wording, autojunk=False).get_matching_blocks() if b.size]
            # The line's words up to where the wording ends: its last agreeing word and as many after as it has left.
            end = min(len(words), blocks[-1].a + blocks[-1].size + len(wording) - blocks[-1].b - blocks[-1].size)
            if blocks[0].a > blocks[0].b or 2 * sum(b.size for b in blocks) < ORDERED_SHARE * (end + len(wording)):
                continue
            if found is not None and found[0] is not item:
                return None
            found = (item, end)
        if found is None:
            return None
        cut = original_offset(line.text, len(" ".join(words[: found[1]])))
        return Match(found[0], _after_separators(line.text, cut), False)


# A line is a wording of this many words or more when the two agree this much in order (difflib's ratio).
ORDERED_WORDS, ORDERED_SHARE = 6, 0.8


def _may_agree(got: set[str], wording: list[str]) -> bool:
    """False when the line cannot agree with the wording in order by ORDERED_SHARE: the words
    agreeing (S) are at most the wording's words the line holds, and _in_order's test
    2S >= share (end + L), with end >= S, needs S >= share L / (2 - share)."""
    held = sum(map(got.__contains__, wording))
    return (2 - ORDERED_SHARE) * held >= ORDERED_SHARE * len(wording) - 1e-9

_SEPARATORS = re.compile(r"[\s:;\-\u2013\u2014.\u2026_?]*")


def _after_separators(text: str, cut: int) -> int:
    """Skip the colon, dashes or dotted leader between a prompt and its answer."""
    return _SEPARATORS.match(text, cut).end()  # type: ignore[union-attr]


def _separated(text: str, cut: int) -> bool:
    rest = text[cut:].lstrip(" \t\u00a0")
    return not rest or rest[0] in ":?-\u2013\u2014.\u2026)(_\t" or text[cut - 1:cut] in ":?"


class Wordings:
    """Several Wordings together, for one question asked of a line before any of them: whether it may show
    one. A line the file stored whose first word starts none, whose words are too few of their vocabulary
    for the word-overlap tolerance, and whose spaceless form is none's, is matched by none (``Wording.match``
    gives None for each, by those same three tests), so none need be asked."""

    def __init__(self, wordings: "Iterable[Wording[Any]]") -> None:
        every = list(wordings)
        self._first = frozenset().union(*(w._by_first.keys() for w in every))
        self._vocabulary = frozenset().union(*(w._vocabulary for w in every if w._fuzzy))
        self._tight = frozenset().union(*(w._tight.keys() for w in every))

    def may_show(self, line: Line) -> bool:
        """False only where every one of the wordings would find nothing in the line (read from pixels: True)."""
        if not line.exact or not line.n:
            return True
        words = line.words
        if words[0] in self._first:
            return True
        if len(words) >= 4 and len(line.wordset & self._vocabulary) >= 0.7 * len(line.wordset):
            return True
        return len(words) > 1 and line.n.replace(" ", "") in self._tight


class Guidance:
    """The template's printed help text, recognised however it was cut into lines."""

    def __init__(self, lines: Iterable[str]) -> None:
        normals = [norm(line) for line in lines]
        self._joined = "\n" + "\n".join(n for n in normals if n) + "\n"
        # Whole texts, as sets: a line (never holding a line end) that is one of them.
        self._whole = frozenset(n for n in normals if n)
        self._whole_tight = frozenset(n.replace(" ", "") for n in self._whole)
        # Without spaces, for text from a PDF whose narrow column broke a word;
        # and without line ends too, for consecutive lines read as one.
        self._tight = self._joined.replace(" ", "")
        self._flat = self._tight.replace("\n", "")
        self._sets = [set(n.split()) for n in normals if len(n.split()) >= 5]
        self._vocabulary = set().union(*self._sets) if self._sets else set()
        self._respeller = Respeller(set(self._joined.split()))
        self._texts = [(n.split(), set(n.split())) for n in normals if len(n.split()) >= RUN_WORDS]
        # All the texts' words in the form's order, for a line that runs from one text into the next.
        self._all_words = " ".join(normals).split()
        self._all_vocabulary = set(self._all_words)
        self._all = SequenceMatcher(None, autojunk=False)
        self._all.set_seq2(self._all_words)
        self._memo = DocumentMemo()
        self._lines = DocumentMemo()  # its answers by a document's line (``Line.kept``)

    def __contains__(self, value: "str | Line") -> bool:
        if type(value) is Line and value.kept:  # a document's line: remembered by the line itself
            return self._lines.answer(value, self._contains, value)
        return self._memo.answer(_memo_key(value), self._contains, value)

    def _contains(self, value: "str | Line") -> bool:
        line = value if type(value) is Line else Line(value)
        if self._holds(line):
            return True
        respelt = self._respeller.line(line) if line.n and not line.exact else None
        return respelt is not None and self._holds(respelt[0])

    def _holds(self, line: Line) -> bool:
        n = line.n
        if not n:
            return False
        if n in self._whole:
            return True
        if len(line.words) >= 3 and len(n) >= 12 and n in self._joined:
            return True
        tight = n.replace(" ", "")
        if tight in self._whole_tight or (len(n) >= 24 and tight in self._flat):
            return True
        if len(line.words) >= 5:
            got = line.wordset
            if len(got & self._vocabulary) >= 0.75 * len(got):
                # The share of two sets' words in common is at most the smaller's size over the larger's.
                for gset in self._sets:
                    if 0.75 * len(gset) <= len(got) <= len(gset) / 0.75 and len(got & gset) / len(got | gset) >= 0.75:
                        return True
        return not line.exact and self._in_a_run(line.words)

    def _in_a_run(self, words: list[str]) -> bool:
        """Most of the line's words, in order, are a stretch of one text of the guidance: part of a
        sentence with a word or two misread past respelling ("make msrnenstto provision"), lost or added."""
        if len(words) < RUN_WORDS:
            return False
        least = RUN_SHARE * len(words)
        for text, vocabulary in self._texts:
            if len(text) < least or sum(map(vocabulary.__contains__, words)) < least:
                continue  # cheap: most lines share too few words with the text to be a run of it
            if _a_run(words, text):
                return True
        if sum(map(self._all_vocabulary.__contains__, words)) < least:
            return False
        # Across two texts ("... relate to my SEN;" "the outcomes which will help me ..."): around
        # the longest stretch the line shares with all the guidance, in the form's order.
        self._all.set_seq1(words)
        anchor = self._all.find_longest_match(0, len(words), 0, len(self._all_words))
        if anchor.size < 2:
            return False
        start = max(0, anchor.b - anchor.a - len(words) // 2)
        return _a_run(words, self._all_words[start : anchor.b + len(words) - anchor.a + len(words) // 2])


def _a_run(words: list[str], text: list[str]) -> bool:
    """RUN_SHARE of ``words``, in order, are a stretch of ``text`` no longer than RUN_SPREAD times them."""
    blocks = [b for b in SequenceMatcher(None, words, text, autojunk=False).get_matching_blocks() if b.size]
    span = blocks[-1].b + blocks[-1].size - blocks[0].b if blocks else 0
    return sum(b.size for b in blocks) >= RUN_SHARE * len(words) and span <= RUN_SPREAD * len(words)


# A line of at least this many words is the guidance's when this share of them are, in order, a
# stretch of one of its texts no longer than RUN_SPREAD times the line.
RUN_WORDS, RUN_SHARE, RUN_SPREAD = 5, 0.8, 1.5
