"""Reading a tick list: which box goes with which label, and what state it is in.

The layout already turned every encoding of a box into a ``TickBox``; what
is left here is the typed kind: an "X" typed in place of a box ("X Me") or
beside an empty one ("☐ X My parent") counts as ticked; a box typed in
brackets ("[x]", "[X]", "(x)", "[✓]" ticked, "[ ]", "( )" not) stands for a
box before or after its label, as a Google Docs export writes one; and
"Yes"/"No"/"Y"/"N" after a label ("Child in Need Plan: No", "Health Care Plan
Yes") is the box's state when everything else on the line is labels.
The name after the profile's ``helper_label`` ("Me with help from Mrs Lewis")
is the helper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional, Sequence

from difflib import SequenceMatcher

from ..layout import Inline, Run, TickBox
from ..template import DEFAULT_PROFILE, TickOption
from .text import Line, Respeller, by_identity, clean, edits, norm, words_pattern

_BRACKET = re.compile(r"[\[(][ \t\u00a0]*(?P<mark>[xX\u2713\u2714])?[ \t\u00a0]*[\])]")
_ANSWER = re.compile(r"\b(?P<answer>yes|no|y|n)\b\.?", re.IGNORECASE)  # what separates it from its label is left to norm()
# A typed mark: "X", "✓" or "✔", or a "v" (how OCR reads a printed tick).
_MARK = r"(?:[xXvV]|\u2713|\u2714)"
_TYPED_MARK = re.compile(r"^[ \t\u00a0]*" + _MARK + r"(?=[ \t\u00a0]|$)[ \t\u00a0]*")


@lru_cache(maxsize=8)
def _help(label: str) -> re.Pattern[str]:
    """The profile's ``helper_label`` ("with help from"), any spacing or case."""
    return re.compile(words_pattern(label) or r"(?!)", re.IGNORECASE)


NO_BOX = object()  # a label with no box before it


@dataclass(slots=True)
class TickReading:
    states: dict[str, Optional[bool]] = field(default_factory=dict)
    helper: Optional[str] = None
    unknown: bool = False  # a box whose state could not be told
    loose_boxes: list[Optional[bool]] = field(default_factory=list)  # boxes with no label
    loose_labels: list[str] = field(default_factory=list)  # labels with neither box nor mark
    boxes: dict[str, TickBox] = field(default_factory=dict)  # the box that gave an option its state


_INNER_MARK = re.compile(r"(?<=[ \t\u00a0])" + _MARK + r"(?=[ \t\u00a0]+\S)")
MARKED = object()  # an "X" typed where a box would be


_WINDOW = 200  # far longer than any label: what follows a mark is looked at this far only (linear)


def _head(text: str, start: int) -> str:
    """The start of ``text[start:]``, cut at a space so no word is cut short."""
    end = start + _WINDOW
    if end >= len(text):
        return text[start:]
    cut = max(text.rfind(" ", start, end), text.rfind("\t", start, end))
    return text[start:cut] if cut > start else ""


def _split_marks(segs: list[tuple[object, str]], options: tuple[TickOption, ...]) -> list[tuple[object, str]]:
    """"☐ Me   X Me with help from": the X starts a segment of its own."""
    out: list[tuple[object, str]] = []
    for box, label in segs:
        cut = 0
        for m in _INNER_MARK.finditer(label):
            if _option_for(_head(label, m.end()), options, near=True) is not None:
                out.append((box, label[cut:m.start()]))
                box, cut = MARKED, m.end()
        out.append((box, label[cut:]))
    return out


def typed_ticks(text: str) -> bool:
    """True if ``text`` holds a box typed in brackets ("[x]", "( )"): read it as a tick list."""
    return _BRACKET.search(text) is not None


def _split_brackets(segs: list[tuple[object, str]]) -> list[tuple[object, str]]:
    """"[x] Me [ ] My parent": each typed box starts a segment, as a TickBox would."""
    out: list[tuple[object, str]] = []
    for box, label in segs:
        cut = 0
        for m in _BRACKET.finditer(label):
            out.append((box, label[cut:m.start()]))
            box, cut = m.group("mark") is not None, m.end()
        out.append((box, label[cut:]))
    return out


def _segments(inlines: Sequence[Inline], start: int) -> list[tuple[object, str]]:
    segs: list[tuple[object, str]] = [(NO_BOX, "")]
    pos = 0
    for item in inlines:
        if isinstance(item, TickBox):
            if pos >= start:
                segs.append((item, ""))  # the box itself: its state is read where it is paired
            pos += 1
            continue
        text = item.text if isinstance(item, Run) else ""
        if pos + len(text) > start:
            box, label = segs[-1]
            segs[-1] = (box, label + text[max(0, start - pos):])
        pos += len(text)
    return segs


@by_identity
def _labels(options: tuple[TickOption, ...]) -> list[tuple[str, TickOption]]:
    """Normalised labels, longest first, so "me with help from" wins over "me"."""
    return sorted(((norm(w), o) for o in options for w in o.labels), key=lambda p: -len(p[0]))


@by_identity
def _exact(options: tuple[TickOption, ...]) -> dict[str, TickOption]:
    return {norm(w): o for o in options for w in o.labels}


def _answers(text: str, options: tuple[TickOption, ...]) -> list[tuple[TickOption, bool]]:
    """"Child in Need Plan: No   Health Care Plan: Yes": each label's state, or [] unless the line is only that."""
    found: list[tuple[TickOption, bool]] = []
    labels = _exact(options)
    pos = 0
    for m in _ANSWER.finditer(text):
        option = labels.get(norm(text[pos:m.start()]))
        if option is None:
            return []  # words before the answer that are no label: a sentence, not a tick
        found.append((option, m.group("answer")[0] in "yY"))
        pos = m.end()
    if norm(text[pos:]):
        return []
    return found


def _option_for(label: str, options: tuple[TickOption, ...], near: bool = False) -> Optional[TickOption]:
    """The option ``label`` names: its wording as printed, or a letter or two misread (a scan's
    "Me with help ftom"). With ``near`` (a box or mark is before it), also the option whose letters
    the label's start comes nearest, OCR having lost or run together some of them ("my pare"), and
    a longer option spelt a letter or two off wins over a shorter one the label starts with
    ("Me will help from")."""
    n = _respelt(label, options)[0].n
    if not n:
        return None
    said = next(((w, o) for w, o in _labels(options) if n == w or n.startswith(w + " ")), None)
    if said is not None and (not near or n == said[0]):
        return said[1]
    if not near:
        return None
    if said is None:
        return _nearest(n, options)
    return _longer(n, options, said[0]) or said[1]


# A longer option wins over a shorter one the label starts with when its words, word for word, are
# this many letters off at most ("Me will help from" for "Me with help from"; never "Me v Me with").
LONGER_EDITS = 2


def _longer(n: str, options: tuple[TickOption, ...], said: str) -> Optional[TickOption]:
    """The one option longer than ``said`` whose words the label's first words spell, a letter or two off."""
    words = n.split()
    found = {
        o.key: o for w, o in _labels(options)
        if len(w) > len(said) and edits("".join(words[: len(w.split())]), w.replace(" ", ""), LONGER_EDITS) <= LONGER_EDITS
    }
    return next(iter(found.values())) if len(found) == 1 else None


# A label read from a scan is an option's when this share of their letters agree (difflib's ratio) ...
NEAR_LETTERS = 0.8
# ... and the option's label has this many letters: a short one ("Me") is told only as printed.
NEAR_MIN_LETTERS = 5


def _nearest(n: str, options: tuple[TickOption, ...]) -> Optional[TickOption]:
    """The one option whose label's letters the start of ``n`` comes nearest, if near enough."""
    letters = n.replace(" ", "")
    scores: dict[str, tuple[float, TickOption]] = {}
    for w, option in _labels(options):
        want = w.replace(" ", "")
        if len(want) < NEAR_MIN_LETTERS:
            continue
        score = max(SequenceMatcher(None, want, letters[:k], autojunk=False).ratio() for k in range(len(want) - 2, len(want) + 3))
        if score > scores.get(option.key, (0.0, option))[0]:
            scores[option.key] = (score, option)
    ranked = sorted(scores.values(), key=lambda s: -s[0])
    if not ranked or ranked[0][0] < NEAR_LETTERS or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
        return None
    return ranked[0][1]


@by_identity
def _respellers(options: tuple[TickOption, ...]) -> dict[str, Respeller]:
    """The options' respellers by helper label (remembered by the options' identity: no option hashed)."""
    return {}


def _respeller(options: tuple[TickOption, ...], helper_label: str) -> Respeller:
    made = _respellers(options)
    found = made.get(helper_label)
    if found is None:
        words = {w for o in options for label in o.labels for w in norm(label).split()}
        found = made[helper_label] = Respeller(words | set(norm(helper_label).split()))
    return found


def _respelt(label: str, options: tuple[TickOption, ...], helper_label: str = DEFAULT_PROFILE.helper_label) -> tuple[Line, Callable[[int], int]]:
    """The label (as a Line: normalised once) with the options' words put back where a scan misread a
    letter or two, and where an offset in it falls in the label as written."""
    line = Line(label)
    respelt = _respeller(options, helper_label).line(line)
    return respelt if respelt is not None else (line, _same)


def _same(at: int) -> int:
    return at


def _helper(label: str, options: tuple[TickOption, ...], help_words: re.Pattern[str], helper_label: str) -> Optional[str]:
    """The name after the helper label ("with help from Mrs Lewis"), the label perhaps misread."""
    line, original = _respelt(label, options, helper_label)
    helped = help_words.search(line.text)
    return clean(label[original(helped.end()):]) or None if helped else None


_BARE_ANSWER = re.compile(r"(?P<answer>yes|no|y|n)\.?", re.IGNORECASE)


def _unboxed(
    label: str, option: Optional[TickOption], options: tuple[TickOption, ...], reading: TickReading, help_words: re.Pattern[str]
) -> None:
    """A label with no box: "Label: No" answers; a bare label or a bare "Yes" pairs with a box in the next cell."""
    answers = _answers(label, options)
    for answered, state in answers:
        reading.states[answered.key] = state
    if answers:
        return
    bare = _BARE_ANSWER.fullmatch(label.strip())
    if bare:
        reading.loose_boxes.append(bare.group("answer")[0] in "yY")
    elif option is not None and (_exact(options).get(norm(label)) is option or help_words.search(label)):
        reading.loose_labels.append(option.key)  # the label alone: "My parent said no" is a sentence


# A mark standing alone ("X", "v", a tick): all that ``_TYPED_MARK`` and ``_INNER_MARK`` can find.
_LONE_MARK = re.compile(r"(?<!\w)" + _MARK + r"(?!\w)")


def _may_answer(label: str, options: tuple[TickOption, ...], help_words: re.Pattern[str]) -> bool:
    """Whether a line with no box (typed or not) can say a state: only by a typed mark, an answer
    ("Yes", "No"), the helper label, or an option's label alone (``_unboxed``); a cheap test first."""
    if _LONE_MARK.search(label) or _ANSWER.search(label) or help_words.search(label):
        return True
    return norm(label.lstrip(" \t:;-\u2013")) in _exact(options)


def may_hold_ticks(text: str, options: tuple[TickOption, ...], helper_label: str = DEFAULT_PROFILE.helper_label) -> bool:
    """Whether a line with no TickBox (``text``: its text) can say an option's state: a box typed in
    brackets, a typed mark, an answer, the helper label or an option's label alone. A line it says
    cannot gives ``read_ticks`` nothing: a caller need not read it."""
    return typed_ticks(text) or _may_answer(text, options, _help(helper_label))


def _pairs(segs: list[tuple[object, str]], options: tuple[TickOption, ...]) -> list[tuple[object, str]]:
    """Each box with its label: the text after it, or, where the line's first words are a label before any box
    ("My parent ☒ My carer ☐"), the text before it."""
    first = segs[0][1].lstrip(" \t:;-\u2013")
    # Labels before their boxes leave nothing after the last box: a label there says the boxes come first.
    label_first = (
        len(segs) > 1 and not _TYPED_MARK.match(first) and _option_for(first, options) is not None
        and _option_for(segs[-1][1], options) is None
    )
    if not label_first:
        return segs
    return [(segs[i + 1][0], segs[i][1]) for i in range(len(segs) - 1)] + [(NO_BOX, segs[-1][1])]


def read_ticks(
    inlines: Sequence[Inline], options: tuple[TickOption, ...], start: int = 0, helper_label: str = DEFAULT_PROFILE.helper_label
) -> TickReading:
    """The states of ``options`` shown in one line, from character ``start`` on; the name
    after ``helper_label`` (the profile's "with help from") is the helper.

    Boxes usually come before their labels ("☒ My parent ☐ My carer"); a
    line whose first words are a label before any box ("My parent ☒ My
    carer ☐") pairs each label with the box after it instead.
    """
    reading = TickReading()
    help_words = _help(helper_label)
    segs = _split_brackets(_segments(inlines, start))
    if len(segs) == 1 and not _may_answer(segs[0][1], options, help_words):
        return reading  # no box, typed box, mark, answer or label alone: the usual written line, no tick in it
    for box, label in _pairs(_split_marks(segs, options), options):
        if box is NO_BOX:
            label = label.lstrip(" \t:;-\u2013")  # what is left of "Written by:"
        mark = _TYPED_MARK.match(label)
        if mark:
            label = label[mark.end():]
        option = _option_for(label, options, near=box is not NO_BOX or mark is not None)
        if box is NO_BOX and not mark:
            _unboxed(label, option, options, reading, help_words)
            continue
        tick = box if isinstance(box, TickBox) else None
        state = True if mark or box is MARKED else tick.checked if tick is not None else box
        if option is None:
            if not norm(label):
                reading.loose_boxes.append(state)  # type: ignore[arg-type]
            continue
        if state is None:
            reading.unknown = True
        reading.states[option.key] = None if state is None else bool(state)
        if tick is not None and not mark:
            reading.boxes[option.key] = tick
        helper = _helper(label, options, help_words, helper_label)
        if helper:
            reading.helper = helper
    return reading
