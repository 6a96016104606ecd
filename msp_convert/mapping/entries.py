"""From what a paragraph shows to one Entry, and the values read out of entries.

This is where "R1 12/03/2019:" becomes ``review="R1"``, struck runs become
``withdrawn`` or ``struck`` fragments, "£45 per week" becomes a weekly cost,
"Partly met" a rating and "Social, Emotional and Mental Health" an area of need.
What a form prints (its review labels, "will be able to", "By the end of", its
names for the areas of need) comes from the profile; the defaults are the
Kirklees form's (``DEFAULT_PROFILE``), for callers that read no profile.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Callable, NamedTuple, Optional, Sequence, Union, get_args

from ..layout import TICK_GLYPHS, Box, Inline, Paragraph, Run
from ..model import MAX_NUMBER, Area, DocRef, Entry, ReviewLabel
from ..template import DEFAULT_PROFILE, Profile
from .dates import DATE_PATTERN, _MONTH_WORD, parse_date
from .text import words_pattern

# A piece of a line: its text and whether it is struck through or deleted.
Piece = tuple[str, bool]


class From(NamedTuple):
    """A piece of no text: the pieces after it were read from this paragraph (``pieces`` of a
    paragraph read from a page). Lines joined into one entry keep each paragraph's."""

    text: str
    struck: bool
    paragraph: Paragraph


@dataclass(slots=True, frozen=True)
class Read:
    """Where an entry was read (its first paragraph's page and box) and, read from pixels,
    how sure the reader was of its words: their mean and the least sure one (0-1)."""

    page: Optional[int]
    box: Optional[Box]
    confidence: Optional[float] = None
    low: Optional[float] = None


@dataclass(slots=True)
class Written:
    """An entry and what reading it noticed (for warnings, never shown as text)."""

    entry: Entry
    deleted: bool  # some of it was deleted under tracked changes
    bad_date: bool  # a review marker carried a date that is not a real date
    read: Optional[Read] = None  # where it was read, for a paged document


def read_from(paragraphs: Sequence[Paragraph]) -> Optional[Read]:
    """Where these paragraphs were read: the first's page, the box round those on its page, the
    words' mean confidence (weighted by paragraph) and the least sure word's; None from Word."""
    placed = [p for p in paragraphs if p.page is not None]
    if not placed:
        return None
    first = placed[0]
    boxes = [p.box for p in placed if p.page == first.page and p.box is not None]
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)) if boxes else None
    sure = [p.confidence for p in placed if p.confidence is not None]
    lows = [p.low for p in placed if p.low is not None]
    return Read(first.page, box, sum(sure) / len(sure) if sure else None, min(lows) if lows else None)


def pieces(source: Union[Paragraph, Sequence[Inline]], start: int = 0) -> tuple[list[Piece], bool]:
    """The line's text from character ``start`` on, as (text, struck) pieces; a paragraph read
    from a page (``source`` a Paragraph, not its inlines) puts a ``From`` piece first."""
    out: list[Piece] = []
    deleted = False
    inlines = source.inlines if isinstance(source, Paragraph) else source
    if isinstance(source, Paragraph) and source.page is not None:
        out.append(From("", False, source))  # type: ignore[arg-type]  # read by make_entry only
    pos = 0
    for item in inlines:
        if isinstance(item, Run):
            text, struck = item.text, item.struck or item.deleted
            if item.deleted:
                deleted = deleted or pos + len(text) > start
        else:
            text, struck = TICK_GLYPHS[item.checked], False
        end = pos + len(text)
        if end > start:
            out.append((text[max(0, start - pos):], struck))
        pos = end
    return out, deleted


_BULLET = re.compile(r"^(?:[-\u2013\u2022\u00b7\u25aa\u25cf\u2023\u2043\uf0b7\uf0a7*>]|o(?=[ \t]))[ \t\u00a0]*")
_LEADERS = re.compile(r"^(?:[\s\u2026._]|\.\.)+|(?:[\s\u2026_]|\.{2,})+$")
_LEAD_CHARS = frozenset("\u2026._")  # with white space: what leaders are drawn with
_SPACES = " \t\u00a0\u2009\u202f\r\f\v"  # what a line's spacing is made of
_SPACE_RUN = re.compile("[" + _SPACES + "]+")
# What ``_SPACE_RUN`` changes: two spaces together, or a space other than " " (a line without them is as it was).
_ODD_SPACING = ("  ", *_SPACES[1:])
_TOKEN = re.compile(r"\s+|\S+")

# After a marker's closing bracket, a speck a scan reads as a mark of its own ("(R1 14/03/2019) ["): no writing.
_SPECKS = r"(?:(?<=[\])])[ \t]+[\[\]|\u00b0'\u2018\u2019\"~`*]{1,2}[ \t]*)?"
_MARK_DATE = r"(?P<date>" + DATE_PATTERN + r"|" + _MONTH_WORD + r"\s+\d{4})"
_DASH = r"[-\u2013\u2014]"


def _label_names(labels: tuple[str, ...]) -> str:
    """The labels as a regex alternation, longest first ("R10" before "R1")."""
    return "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))


@lru_cache(maxsize=8)
def _marker_patterns(labels: tuple[str, ...]) -> Optional[tuple[re.Pattern[str], re.Pattern[str]]]:
    """A review marker at the start and at the end of a line, for these labels:
    "R1 12/03/2019:", "[R1 10/06/19]", "(R2)", "R1 - 4.7.19", "R2 \u2013 4 July 2019", "R2 \u2014 20th March 2019"
    (any dash; a dash doubled, as a scan may read one, is one)."""
    if not labels:
        return None
    names = _label_names(labels)
    label = r"(?P<label>" + names + r")(?![0-9A-Za-z])[ \t]*(?:(?P<sep>[:,]|" + _DASH + r"(?:[ \t]*" + _DASH + r")?)[ \t]*)?"
    start = re.compile(
        r"^(?P<open>[\[(])?[ \t]*" + label + r"(?:" + _MARK_DATE + r"[ \t]*)?(?P<close>[\])])?[ \t]*(?P<colon>:|" + _DASH + r")?[ \t]*",
        re.IGNORECASE,
    )
    end = re.compile(
        r"(?:^|(?<=[\s(,;.]))[ \t]*(?P<dash>" + _DASH + r")?[ \t]*(?P<open>[\[(])?[ \t]*" + label + r"(?:"
        + _MARK_DATE + r")?[ \t]*(?P<close>[\])])?[ \t]*[.:]?[ \t]*" + _SPECKS + r"$",
        re.IGNORECASE,
    )
    return start, end


@lru_cache(maxsize=8)
def _any_label(labels: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the labels anywhere, as the marker patterns match them (any case)."""
    return re.compile(_label_names(labels), re.IGNORECASE)


def review_markers(profile: Profile) -> tuple[str, ...]:
    """The labels a profile's review markers carry; the model's ("R1", "R2", "R3") on a form
    with none of its own (York's): a plan written on it from another form's keeps its markers."""
    return tuple(label for label, _ in profile.review_labels) or get_args(ReviewLabel)


REVIEW_MARKERS = review_markers(DEFAULT_PROFILE)

# A bare "R1" at the end after one of these words is a place or a thing ("in room R1"), not a marker.
_NOT_BEFORE_MARKER = frozenset(
    "in at to from into with and or of the a room rooms classroom class block unit building floor base lab "
    "studio hall bay area group form set table bus route".split()
)


def _word_before(text: str, end: int) -> str:
    """The last word before ``end``, lower-cased (looked at over a few characters only: linear)."""
    i = end
    while i > 0 and end - i < 8 and not text[i - 1].isalnum():
        i -= 1
    j = i
    while j > 0 and i - j < 16 and text[j - 1].isalnum():
        j -= 1
    return text[j:i].lower()


def _is_marker(m: re.Match[str], text: str, at_start: bool) -> bool:
    """A marker, not words that look like one ("R1 is the quiet room", "in room R1", "(R1 is ...")."""
    if m.end() - m.start() >= len(text):
        return False  # nothing left but the marker: it is the entry
    if bool(m.group("open")) != bool(m.group("close")):
        return False
    if m.group("open") or m.group("date"):
        return True
    if at_start:
        return bool(m.group("sep") or m.group("colon"))
    if m.group("dash"):
        return True
    return _word_before(text, m.start()) not in _NOT_BEFORE_MARKER


def _review_marker(text: str, labels: tuple[str, ...]) -> Optional[tuple[re.Match[str], Optional[dt.date], bool]]:
    """The marker at the start or the end of ``text``, its date and whether a date would not read."""
    patterns = _marker_patterns(labels)
    if patterns is None or _any_label(labels).search(text) is None:
        return None  # a marker holds its label: a line without any has none
    for pattern, at_start in zip(patterns, (True, False)):
        m = pattern.search(text)
        if m and _is_marker(m, text, at_start):
            date_text = m.group("date")
            if not date_text:
                return m, None, False
            date = parse_date(date_text)
            bad = date is None and any(c.isdigit() for c in date_text) and not _MONTH_YEAR.fullmatch(date_text)
            return m, date, bad
    return None


_MONTH_YEAR = re.compile(_MONTH_WORD + r"\s+\d{4}", re.IGNORECASE)


# A line read from pixels that ends in a marker cut from its date or entry by a wrap in a narrow
# cell: "R1" alone, "(R2" with its bracket open, "R2 -".
@lru_cache(maxsize=8)
def _cut_marker(labels: tuple[str, ...]) -> re.Pattern[str]:
    names = _label_names(labels)
    return re.compile(r"(?:^|[\s(\[])(?:[(\[][ \t]*(?:" + names + r")|(?:" + names + r")[ \t]*(?:" + _DASH + r"|:)?)[ \t]*$", re.IGNORECASE)


def _from_pixels(line: list[Piece]) -> bool:
    return any(type(p) is From and p.paragraph.confidence is not None for p in line)  # type: ignore[attr-defined]


def _ends_in_cut_marker(line: list[Piece], markers: tuple[str, ...]) -> bool:
    text = "".join(p[0] for p in line).rstrip()
    m = _cut_marker(markers).search(text) if markers and text else None
    return m is not None and (m.start() == 0 or "(" in m.group(0) or "[" in m.group(0) or not text[: m.start()].strip())


def marker_lines(lines: Sequence[tuple[list[Piece], bool]], markers: tuple[str, ...] = REVIEW_MARKERS) -> list[tuple[list[Piece], bool]]:
    """A cell's lines (pieces, deleted) with a review marker that a wrap cut from its date or
    entry joined to the next line ("R1" / "12/03/2019: Colourful Semantics", "Buddy (R2" /
    "20/03/2019)"); only lines read from pixels: a typed "R1" alone is as written."""
    out: list[tuple[list[Piece], bool]] = []
    for line, deleted in lines:
        if out and _from_pixels(line) and _ends_in_cut_marker(out[-1][0], markers):
            before, was = out.pop()
            line, deleted = before + [(" ", False)] + [p for p in line if type(p) is not From], was or deleted
        out.append((line, deleted))
    return out


def make_entry(line: list[Piece], deleted: bool = False, markers: tuple[str, ...] = REVIEW_MARKERS) -> Optional[Written]:
    """One Entry from a line's pieces, or None when nothing was written.

    ``markers``: the review labels a marker may carry (``review_markers(profile)``).
    """
    sources = [p.paragraph for p in line if type(p) is From]  # type: ignore[attr-defined]
    if sources:
        line = [p for p in line if type(p) is not From]
    if _any_struck(line):
        text, mask = _normalise_masked(line)
    else:
        text, mask = _normalise_plain("".join([t for t, _ in line])), None
    if not text:
        return None
    text, mask = _cut(text, mask, _BULLET.match(text))
    text, mask = _trim_leaders(text, mask)
    review = None
    review_date = None
    bad_date = False
    marker = _review_marker(text, markers)
    if marker:
        m, review_date, bad_date = marker
        review = next(label for label in markers if label.lower() == m.group("label").lower())
        text, mask = _cut(text, mask, m)
        text, mask = _trim_leaders(text, mask)
    if not text:
        return None
    withdrawn, struck = _strike_summary(text, mask)
    entry = _entry({"text": text, "withdrawn": withdrawn, "struck": struck, "review": review, "review_date": review_date})
    return Written(entry, deleted, bad_date, read_from(sources) if sources else None)


_ENTRY_FIELDS = frozenset(Entry.model_fields)
_new_entry, _set = Entry.__new__, object.__setattr__


def _hand_built(values: dict[str, object]) -> Entry:
    """An Entry of every field's value, already checked here: what ``Entry.model_construct`` makes (no
    validation) for a model with no aliases, extra or private attributes, without its walk over the
    fields (most of its cost; every written line makes one). Written against pydantic 2.14's
    model_construct: ``_entry_builder`` uses it only where it makes what model_construct makes."""
    entry = _new_entry(Entry)
    _set(entry, "__dict__", values)
    _set(entry, "__pydantic_fields_set__", set(_ENTRY_FIELDS))
    _set(entry, "__pydantic_extra__", None)
    _set(entry, "__pydantic_private__", None)
    return entry


def _constructed(values: dict[str, object]) -> Entry:
    return Entry.model_construct(**values)


_SAMPLE = {"text": "x", "withdrawn": False, "struck": ["x"], "review": "R1", "review_date": dt.date(2019, 3, 12)}
_MISSING = object()


def _state(entry: Entry) -> list[object]:
    """All an instance holds: every slot of its classes (pydantic's internals among them), and its JSON."""
    names = {name for cls in type(entry).__mro__ for name in getattr(cls, "__slots__", ())}
    return [(name, getattr(entry, name, _MISSING)) for name in sorted(names)] + [list(vars(entry)), entry.model_dump_json()]


def _entry_builder(hand_built: "Callable[[dict[str, object]], Entry]") -> "Callable[[dict[str, object]], Entry]":
    """``hand_built`` where, once at import, it makes what model_construct makes (the installed pydantic
    builds models as the version it was written against), else model_construct itself."""
    try:
        same = _state(hand_built(dict(_SAMPLE))) == _state(_constructed(dict(_SAMPLE)))
    except Exception:  # a pydantic whose models cannot be built by hand
        same = False
    return hand_built if same else _constructed


_entry = _entry_builder(_hand_built)


def _any_struck(line: list[Piece]) -> bool:
    for piece in line:  # a loop, not any() over a generator: every entry asks
        if piece[1]:
            return True
    return False


def _normalise_plain(text: str) -> str:
    if "\n" not in text:
        return _one_spaced(text).strip()
    lines = (_one_spaced(part).strip() for part in text.split("\n"))
    return "\n".join(part for part in lines if part)


def _one_spaced(text: str) -> str:
    """Each run of spacing one space: looked for first (a few searches), as most lines are typed so already."""
    for odd in _ODD_SPACING:
        if odd in text:
            return _SPACE_RUN.sub(" ", text)
    return text


def _normalise_masked(line: list[Piece]) -> tuple[str, list[bool]]:
    """Like _normalise_plain, carrying a struck flag for every character kept."""
    chars: list[str] = []
    mask: list[bool] = []
    for text, struck in line:
        chars.extend(text)
        mask.extend([struck] * len(text))
    raw = "".join(chars)
    out_text: list[str] = []
    out_mask: list[bool] = []
    for m in _TOKEN.finditer(raw):
        token = m.group(0)
        flags = mask[m.start():m.end()]
        if token[0].isspace():
            sep = "\n" if "\n" in token else " "
            if out_text and out_text[-1] != "\n":
                if sep == "\n" and out_text[-1] == " ":
                    out_text.pop()
                    out_mask.pop()
                out_text.append(sep)
                out_mask.append(all(flags))
            elif out_text and sep == "\n":
                pass
        else:
            out_text.extend(token)
            out_mask.extend(flags)
    while out_text and out_text[-1] in (" ", "\n"):
        out_text.pop()
        out_mask.pop()
    return "".join(out_text), out_mask


def _cut(text: str, mask: Optional[list[bool]], m: Optional[re.Match[str]]) -> tuple[str, Optional[list[bool]]]:
    if not m or m.end() == m.start():
        return text, mask
    a, b = m.start(), m.end()
    text = text[:a] + text[b:]
    if mask is not None:
        mask = mask[:a] + mask[b:]
    return text, mask


def _trim_leaders(text: str, mask: Optional[list[bool]]) -> tuple[str, Optional[list[bool]]]:
    """Leaders, spaces and dots cut off both ends (what ``_LEADERS`` matches), in one pass each way.

    A sentence's own full stop stays: at the end only a run of two or more
    dots is a leader. Not done with ``_LEADERS.finditer``: its end-anchored
    half backtracks over every long run of leader characters (quadratic in
    "____" and exponential in "....." before other text).
    """
    if not text or (text[0].isalnum() and (text[-1].isalnum() or text[-1] in ").?!'\"")):
        return text, mask  # the common case: nothing to trim
    start = 0
    while start < len(text) and (text[start] in _LEAD_CHARS or text[start].isspace()):
        start += 1
    end = len(text)
    while end > start:
        c = text[end - 1]
        if c == ".":
            run = end
            while run > start and text[run - 1] == ".":
                run -= 1
            if end - run < 2:
                break
            end = run
        elif c in _LEAD_CHARS or c.isspace():
            end -= 1
        else:
            break
    if start == 0 and end == len(text):
        return text, mask
    return text[start:end], (mask[start:end] if mask is not None else None)


def _strike_summary(text: str, mask: Optional[list[bool]]) -> tuple[bool, list[str]]:
    """withdrawn, and the struck fragments when only part is struck.

    Spaces take no side: a space between two struck stretches joins them,
    so "before lunch" struck word by word is one fragment.
    """
    if mask is None or not any(mask):
        return False, []
    if all(s or c.isspace() for c, s in zip(text, mask)):
        return True, []
    fragments = []
    start = last = None
    for i, (c, s) in enumerate(zip(text, mask)):
        if c.isspace():
            continue
        if s:
            if start is None:
                start = i
            last = i
        elif start is not None:
            fragments.append(text[start:last + 1])
            start = None
    if start is not None:
        fragments.append(text[start:last + 1])
    return False, fragments


# --- values read from entries -------------------------------------------

_MONEY = r"£\s?(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)"
_WEEKLY_AFTER = re.compile(r"[ \t]*(?:per\s+week|/\s*wk\b|/\s*week|a\s+week|each\s+week|p\.\s?w\.|pw\b|weekly|/\s*w\b)", re.IGNORECASE)
_NOT_WEEKLY_AFTER = re.compile(
    r"[ \t]*(?:/\s*h(?:ou)?r|per\s+h(?:ou)?r|an?\s+h(?:ou)?r|ph\b|p/h|one[\s-]?off|per\s+term|a\s+term|/\s*term|termly|per\s+(?:year|annum)|a\s+year|/\s*y(?:ea)?r|p\.?a\.?\b|annual|yearly|per\s+session|per\s+month|a\s+month|monthly|/\s*month|total)",
    re.IGNORECASE,
)
_WEEKLY_ANYWHERE = re.compile(r"per\s+week|/\s*wk\b|/\s*week|a\s+week|each\s+week|\bweekly\b|\bpw\b|p\.w\.", re.IGNORECASE)
_MONEY_RE = re.compile(_MONEY)
_HOURLY_AFTER = re.compile(r"[ \t]*(?:/\s*h|per\s+h|an?\s+h|ph\b|p/h)", re.IGNORECASE)
_HOURS_WEEK = re.compile(r"(?<!\d)(?P<hours>\d+(?:\.\d+)?)\s*(?:hrs?|hours?)\s*(?:/|per|a|each)\s*(?:wk|week)\b", re.IGNORECASE)


def weekly_amount(text: str, weekly: bool = False) -> Optional[Decimal]:
    """The weekly cost an entry states, or None if it states none.

    ``weekly``: the entry is under a column whose amounts are weekly ("Weekly
    cost", ``Column.weekly``), so an amount with no "per ..." after it is weekly.
    """
    if "£" not in text:
        return None
    weekly_somewhere = weekly or bool(_WEEKLY_ANYWHERE.search(text))
    if "=" in text and weekly_somewhere:
        m = _MONEY_RE.search(text, text.rindex("=") + 1)
        if m:
            return _decimal(m.group("amount"))
    total = Decimal(0)
    found = False
    bare: list[Decimal] = []
    hourly: list[Decimal] = []
    for m in _MONEY_RE.finditer(text):
        value = _decimal(m.group("amount"))
        after = m.end()  # matched in place: no copy of the rest of the text per amount
        if _WEEKLY_AFTER.match(text, after):
            total += value
            found = True
        elif _NOT_WEEKLY_AFTER.match(text, after):
            if _HOURLY_AFTER.match(text, after):
                hourly.append(value)
        else:
            bare.append(value)
    if found:
        return total
    hours = _HOURS_WEEK.search(text)
    if hours and len(hourly) == 1:
        return (Decimal(hours.group("hours")) * hourly[0]).quantize(Decimal("0.01"))
    if weekly_somewhere and len(bare) == 1 and not hourly:
        return bare[0]
    if weekly and bare and not hourly:
        return sum(bare, Decimal(0))
    return None


def _decimal(amount: str) -> Decimal:
    return Decimal(amount.replace(",", ""))


def in_place(entry: Entry) -> str:
    """The entry's text less its struck fragments (in order, each after the last): what is still in place."""
    text = entry.text
    kept: list[str] = []
    cursor = 0
    for fragment in entry.struck:
        at = text.find(fragment, cursor) if fragment else -1
        if at < 0:
            continue
        kept += [text[cursor:at], " "]
        cursor = at + len(fragment)
    kept.append(text[cursor:])
    return "".join(kept)


def weekly_cost(resources: Sequence[Entry], weekly: bool = False) -> Optional[float]:
    """The sum of the weekly amounts of entries still in place (struck parts left out);
    ``weekly`` as for ``weekly_amount``."""
    total = Decimal(0)
    found = False
    for entry in resources:
        if entry.withdrawn:
            continue
        amount = weekly_amount(in_place(entry), weekly)
        if amount is not None:
            total += amount
            found = True
    if not found or total > MAX_NUMBER:  # an amount past any budget is not read as a cost
        return None
    return float(round(total, 2))


# Between "partly" and "met" a scan may read a speck as a quote mark ("Partly’met").
_RATING = re.compile(
    r"\b(?P<partly_met>(?:partly|partially)(?:\s+|\s*['\u2018\u2019`]\s*)(?:met|achieved))\b"
    r"|\b(?P<not_met>not\s+(?:yet\s+)?(?:been\s+)?(?:met|achieved))\b"
    r"|\b(?P<needs_change>needs?\s+(?:to\s+(?:be\s+)?)?chang\w*|to\s+be\s+changed|needs?\s+amending)"
    r"|\b(?P<met>met|achieved)\b",
    re.IGNORECASE,
)


def rating(text: str) -> Optional[str]:
    """met, partly_met, not_met or needs_change: the first the progress text names."""
    m = _RATING.search(text)
    return m.lastgroup if m else None


# The areas of need as schools write them (the SEND Code of Practice's names and
# their usual short forms), by the model's name; a profile adds its own wording.
_AREA_FORMS = (
    ("social_emotional", r"social,?\s*(?:and\s+|&\s*)?emotional(?:\s*(?:and|&)\s*mental\s+health)?|\bsemh\b|\bsocial\s+emotional\b"),
    ("social_care", r"social\s+care"),
    ("cognition_and_learning", r"cognition\s*(?:and|&|/)?\s*learning|\bc\s?(?:&|and)\s?l\b"),
    ("communication_and_interaction", r"communication\s*(?:and|&|/)?\s*interaction|\bc\s?(?:&|and)\s?i\b|\bslcn\b"),
    ("sensory_physical", r"sensory\s*(?:and/or|and|or|&|/)?\s*physical|physical\s*(?:and/or|and|or|&|/)?\s*sensory|\bsensory\b|\bphysical\b"),
    ("preparing_for_adulthood", r"preparing\s+for\s+(?:key\s+transitions|adulthood)|\bpfa\b"),
    ("health", r"(?<!mental\s)\bhealth\b"),
)
_AREA_NAMES = frozenset(get_args(Area))


def _wording_pattern(wording: str) -> str:
    """A form's wording as a pattern tolerant of case, spacing, punctuation and "&" for "and"."""
    words = [r"(?:and|&)" if w == "and" else re.escape(w) for w in re.findall(r"\w+", wording.lower())]
    return r"\b" + r"\W*".join(words) + r"\b" if words else ""


@lru_cache(maxsize=8)
def _areas_pattern(profile: Optional[Profile]) -> re.Pattern[str]:
    """The built-in forms of each area, then the profile's prompts that fill an area ("Cognition and Learning")."""
    own: dict[str, list[str]] = {}
    for section in profile.sections if profile is not None else ():
        for prompt in section.prompts:
            if prompt.field in _AREA_NAMES:
                own.setdefault(prompt.field, []).extend(sorted(prompt.wordings, key=len, reverse=True))
    groups = []
    for area, forms in _AREA_FORMS:
        extra = [p for p in map(_wording_pattern, own.get(area, ())) if p]
        groups.append(f"(?P<{area}>" + "|".join([forms, *extra]) + ")")
    return re.compile("|".join(groups), re.IGNORECASE)


def areas_of_need(text: str, profile: Optional[Profile] = None) -> list[str]:
    """Areas of need named in ``text``, in order of first mention (by the profile's wording too)."""
    found: list[str] = []
    for m in _areas_pattern(profile).finditer(text):
        area = m.lastgroup
        if area and area not in found:
            found.append(area)
    return found


def able_pattern(prompt: str) -> re.Pattern[str]:
    """What an outcome's statement follows ("By the end of KS2, Sam will be able to: ..."),
    from the profile's ``statement_prompt``: any spacing or case, and the colon, dash
    or dots after it taken too."""
    return _able(" ".join(prompt.split()).lower())


@lru_cache(maxsize=8)
def _able(prompt: str) -> re.Pattern[str]:
    if not prompt:
        return re.compile(r"(?!)")  # a form with no such wording: nothing follows it
    return re.compile(words_pattern(prompt) + (r"\b" if prompt[-1].isalnum() else "") + r"[\s:\-\u2013\u2026.]*", re.IGNORECASE)


# The Kirklees form's ("will be able to"), for callers that read no profile.
ABLE = able_pattern(DEFAULT_PROFILE.statement_prompt)


def statement_text(text: str) -> str:
    """An outcome statement without its closing full stop (a leader's dots stay)."""
    text = text.rstrip()
    return text[:-1].rstrip() if text.endswith(".") and not text.endswith("..") else text


@lru_cache(maxsize=8)
def _key_stage_pattern(lead: str) -> Optional[re.Pattern[str]]:
    """"By the end of" (the profile's ``key_stage_lead``) and the stage after it."""
    if not lead.split():
        return None
    return re.compile(
        words_pattern(lead) + r"\s+(?:the\s+)?(?:(?:key\s+stage|ks)\s*(?P<ks>[1-5])\b|(?P<eyfs>eyfs|early\s+years(?:\s+foundation\s+stage)?"
        r"|reception|foundation\s+stage)|year\s*(?P<year>\d{1,2})\b|(?P<other>[^,]{1,200}?),)",
        re.IGNORECASE,
    )


def key_stage(text: str, lead: str = DEFAULT_PROFILE.key_stage_lead) -> Optional[str]:
    """"KS1".."KS5", "EYFS", "Year 9", or what follows ``lead`` ("By the end of")."""
    pattern = _key_stage_pattern(lead)
    m = pattern.search(text) if pattern is not None else None
    if not m:
        return None
    if m.group("ks"):
        return f"KS{m.group('ks')}"
    if m.group("eyfs"):
        return "EYFS"
    if m.group("year"):
        return f"Year {int(m.group('year'))}"
    other = _LEADERS.sub("", m.group("other") or "").strip()
    other = re.sub(r"^key\s+stage\b", "", other, flags=re.IGNORECASE).strip(" .\u2026")
    return other or None


_REF_DATE_START = re.compile(r"^\(?(?P<date>" + DATE_PATTERN + r")\)?[ \t]*[-\u2013:,]?[ \t]*", re.IGNORECASE)
_REF_DATE_END = re.compile(r"[ \t]*[-\u2013:,]?[ \t]*\(?(?:dated[ \t]+)?(?P<date>" + DATE_PATTERN + r")\)?\.?$", re.IGNORECASE)


def doc_ref(text: str) -> tuple[DocRef, bool]:
    """A Section 7 reference with its date taken out; True if a date would not read."""
    for pattern in (_REF_DATE_START, _REF_DATE_END):
        m = pattern.search(text)
        if m and m.end() - m.start() < len(text):
            date: Optional[dt.date] = parse_date(m.group("date"))
            if date is None:
                return DocRef(reference=text), True
            rest = (text[: m.start()] + text[m.end():]).strip(" ,;:-\u2013")
            return DocRef(reference=rest, date=date), False
    return DocRef(reference=text), False
