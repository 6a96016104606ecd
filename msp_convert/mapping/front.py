"""Page 1, page headers and footers: the plan's number, who the plan is about, the plan's dates.

A line holds labels ("Name: Kai Dobson   D.O.B. 09/01/2008   Year: 9") when
one starts it or follows a clear separator (a tab, two spaces, "|", ";"):
labels are never looked for inside a sentence. After the first, a label may
follow a single space ("Name: Kai Dobson DOB: 21/07/2006", a header's tab as
a PDF joins it). A label takes a colon; or stands before a tab or two spaces
("Year<tab>9", a table row "Name | Kai" joined); or, where no sentence would
hold it (DOB, D.O.B., UPN), is followed by a value with a figure; "Year 9"
on its own is a year group as written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator, Optional, Union
from weakref import WeakKeyDictionary

from ..layout import Block, Paragraph, iter_paragraphs
from ..model import Entry, Plan
from ..template import DEFAULT_PROFILE
from .dates import parse_date
from .text import Line, Respeller, clean, norm

if TYPE_CHECKING:
    from ..template import Profile
    from .draft import Draft



@dataclass(frozen=True)
class _Label:
    group: str  # the regular expression's group name
    field: str  # what it fills: a Child field, a PlanDates field, or a part of the name
    pattern: str
    distinctive: bool = False  # no colon needed before a value with a figure


# The labels, as a table: longer wording before the shorter it starts with.
_LABELS = (
    _Label("dob", "date_of_birth", r"d\.?\s?o\.?\s?b\.?|date\s+of\s+birth", distinctive=True),
    _Label("initial", "initial_plan", r"date\s+of\s+(?:the\s+)?(?:initial|first)\s+plan"),
    _Label("this", "this_plan", r"date\s+of\s+(?:this\s+)?plan|plan\s+date|date\s+written"),
    _Label("review", "review_by",
           r"date\s+this\s+plan\s+will\s+be\s+reviewed\s+by|date\s+of\s+next\s+review|review\s+date|to\s+be\s+reviewed\s+by"),
    _Label("year", "year_group", r"year\s+group|national\s+curriculum\s+year|ncy|year"),
    _Label("upn", "upn", r"upn|unique\s+pupil\s+number", distinctive=True),
    _Label("setting", "setting",
           r"(?:name\s+of\s+)?(?:current\s+)?(?:education\s+)?(?:setting|school|nursery|college)(?:\s*/\s*(?:setting|school))?"),
    _Label("known", "known_as", r"(?:i\s+like\s+to\s+be\s+)?known\s+as|preferred\s+name"),
    _Label("first", "first_name", r"first\s+names?|forenames?(?:\(s\))?|given\s+names?"),
    _Label("surname", "surname", r"surname|last\s+name|family\s+name"),
    _Label("name", "name",
           r"name\s+of\s+(?:the\s+)?(?:child|pupil|student|young\s+person)"
           r"|(?:(?:(?:child\s*/\s*)?young\s+person|child|pupil|student|learner)(?:['\u2019]?s)?\s+|full\s+)?name"),
)
# Any other label after a clear separator ("Class: 9B", "Key worker: Mrs Shah") ends the value
# before it; it and its value are kept in ``unmapped``.
_OTHER = r"(?P<other>[a-z][a-z'\u2019]*(?:[ /][a-z'\u2019]+){0,3})[ \t]*:"
_COLON = r"[ \t]*:"
_BEFORE_VALUE = r"(?:[ \t]*\t|[ \t]{2,})[ \t]*[^\s:]"  # "Year<tab>9", "Surname   Dobson"
_FIGURE_VALUE = r"[ \t]+[^\s:]*\d"  # "DOB 09/01/2008", "UPN A123456789012"
_YEAR_AS_WRITTEN = r"(?P<year_written>)(?=year[ \t]+\d{1,2}(?:[ \t]*$|[ \t]*\t|[ \t]{2,}))"  # "Year 9" kept whole


def _alternative(label: _Label) -> str:
    follows = _COLON + "|" + _BEFORE_VALUE + ("|" + _FIGURE_VALUE if label.distinctive else "")
    return rf"(?P<{label.group}>{label.pattern})(?!\w)(?={follows})(?:{_COLON})?"


def _wording_pattern(wording: str) -> str:
    """A cover label as its form prints it, tolerant of spacing, apostrophes and a dropped full stop."""
    words = [re.escape(w).replace("\u2019", "'").replace("'", "['\u2019]") for w in wording.rstrip(":").split()]
    return r"\s+".join(words)


@dataclass(frozen=True)
class Labels:
    """The labels a line is searched for: a profile's own cover labels, then the usual identity labels."""

    key_re: "re.Pattern[str]"
    fields: dict  # group name -> field ("section" for a label with no field)
    distinctive: frozenset
    placeholders: frozenset  # normalised placeholder text: a value that is one is no value
    part: tuple  # (key, heading) of the ``sections`` item a "section" label's line goes to
    plan_number: "Optional[re.Pattern[str]]"
    titles: frozenset


def _build(own: tuple, placeholders: frozenset, part: tuple, plan_number: "Optional[re.Pattern[str]]", titles: frozenset) -> Labels:
    labels = own + _LABELS
    key_re = re.compile(
        r"(?:^|(?<=[\s|;,(/]))(?:" + "|".join(_alternative(label) for label in labels) + "|" + _YEAR_AS_WRITTEN + "|" + _OTHER + ")",
        re.IGNORECASE,
    )
    fields = {label.group: label.field for label in labels} | {"year_written": "year_group", "other": "other"}
    distinctive = frozenset(label.group for label in labels if label.distinctive)
    return Labels(key_re, fields, distinctive, placeholders, part, plan_number, titles)


def _number_re(wordings: "tuple[str, ...]") -> "Optional[re.Pattern[str]]":
    """"My Support Plan 2", "MSP No. 3": the profile's plan-number wordings, then the number."""
    if not wordings:
        return None
    names = "|".join(re.escape(norm(w)) for w in wordings)
    return re.compile(rf"^(?:{names})(?: plan)?(?: no| number)? (\d{{1,2}})$")


@lru_cache(maxsize=16)
def labels_for(profile: "Optional[Profile]") -> Labels:
    """The labels of a profile's cover (none given: the default form's) before the usual identity labels."""
    if profile is None:
        profile = DEFAULT_PROFILE
    own = tuple(
        _Label(f"cover{i}", label.to.split(".")[-1] if label.to != "section" else "section",
               "|".join(_wording_pattern(w) for w in label.wordings))
        for i, label in enumerate(profile.cover)
    )
    front = profile.with_role("front")
    part = (f"{profile.name}/{front.key}", front.headings[0]) if front is not None else ("", "")
    titles = frozenset({norm(profile.plan_title), *(norm(w) for w in profile.plan_number), *_TITLES})
    return _build(own, frozenset(norm(p) for p in profile.placeholders), part, _number_re(profile.plan_number), titles)


_PLAN_DATES = frozenset({"this_plan", "review_by", "initial_plan"})
_DATES = _PLAN_DATES | {"date_of_birth"}
_NAME_PARTS = ("first_name", "surname")

# A first name waiting for its surname (or the other way round), per plan being read.
_NAME_SO_FAR: "WeakKeyDictionary[Draft, dict[str, str]]" = WeakKeyDictionary()


def read_plan_number(normalised: str, plan: Plan, profile: "Optional[Profile]" = None) -> bool:
    """"My Support Plan 2" / "MSP No. 3" (the profile's plan-number wording) on a line of its own sets
    plan_number; its words may be misread a letter or two ("My Suppoit Plan 2", from a scan)."""
    pattern = labels_for(profile).plan_number
    m = pattern.match(normalised) if pattern is not None else None
    if m is None and pattern is not None and _ENDS_IN_NUMBER.search(normalised):
        respelt = _number_words(profile or DEFAULT_PROFILE).line(Line(normalised))
        m = pattern.match(respelt[0].n) if respelt is not None else None
    if not m:
        return False
    if plan.plan_number is None:
        plan.plan_number = int(m.group(1))
    return True


_ENDS_IN_NUMBER = re.compile(r" \d{1,2}$")


@lru_cache(maxsize=8)
def _number_words(profile: "Profile") -> Respeller:
    """The words of the profile's plan-number wordings, for putting them back where a scan misread them."""
    return Respeller({w for wording in profile.plan_number for w in norm(wording).split()} | {"plan", "no", "number"})


def _clear_before(text: str, at: int) -> bool:
    """The line starts at ``at``, or a tab, two spaces, "|" or ";" comes before it."""
    i = at
    while i > 0 and text[i - 1] in " \t\u00a0":
        i -= 1
    return i == 0 or at - i >= 2 or "\t" in text[i:at] or text[i - 1] in "|;\u2022"


def _labels(text: str, labels: Labels) -> list[re.Match[str]]:
    """The labels of a line: none unless the first is clear of what comes before it.

    After the first, a label with a colon, or a distinctive one ("DOB 09/01/2008"),
    may follow a single space; one with neither must be clear of what comes before
    it too ("Primary School    Year group: 2" is a setting's name, not a label "School").
    """
    found: list[re.Match[str]] = []
    if _MAY_LABEL.search(text) is None:
        return found
    key_re = labels.key_re
    m = key_re.search(text)
    while m:
        if _counts(m, text, bool(found), labels):
            found.append(m)
            m = key_re.search(text, max(m.end(), m.start() + 1))  # "Year 9" is matched empty
        else:  # words that only look like a label may hide one ("Daniel Okoro DOB:")
            m = key_re.search(text, m.start() + 1)
    return found


# Every label is followed by a colon, a tab, two spaces or (a distinctive one, "Year 9") a figure:
# a line with none of them holds none, and is not searched with the labels' long pattern.
_MAY_LABEL = re.compile(r"[:\t\d]|  ")


def _counts(m: re.Match[str], text: str, after_one: bool, labels: Labels) -> bool:
    if m.lastgroup == "other":  # only after a label of ours, and clear of the value before it
        return after_one and _clear_before(text, m.start())
    loose = m.group(0).endswith(":") or m.lastgroup in labels.distinctive
    return (after_one and loose) or _clear_before(text, m.start())


def holds_labels(text: str, profile: "Optional[Profile]" = None) -> bool:
    """Whether ``read_child`` would read labels in the line (what it returns), with no plan to fill."""
    return bool(_labels(text, labels_for(profile)))


def read_child(text: str, plan: Plan, draft: "Draft", where: str, profile: "Optional[Profile]" = None) -> bool:
    """Fill ``plan.child`` and ``plan.plan_dates`` from a line's labels; True if it holds any.

    What comes before the first label is kept in ``unmapped``; a value that
    disagrees with one already read (a second child's name) is kept there too.
    """
    labels = labels_for(profile)
    keys = _labels(text, labels)
    if not keys:
        return False
    lead = clean(text[:keys[0].start()])
    if lead and not read_plan_number(norm(lead), plan, profile):
        draft.unmapped(where, lead)
    for i, m in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(text)
        value = _tidy(text[m.end():end])
        if value and norm(value) not in labels.placeholders and m.lastgroup:
            written = " ".join(text[m.start():end].split()).rstrip(" |;,(")
            field = labels.fields[m.lastgroup]
            if field == "section":  # a label the model has no field for: kept, as written, in its part
                draft.part(*labels.part).entries.append(Entry(text=written))
            else:
                _store(field, value, written, plan, draft, where)
    return True


def _tidy(value: str) -> str:
    """A value less leaders and what separates it from the next label ("Kai Dobson (" of "... (DOB: ...)")."""
    value = clean(value).rstrip(" |;,(")
    if value.endswith(")") and value.count(")") > value.count("("):
        value = value[:-1].rstrip()
    return clean(value)


def _store(field: str, value: str, written: str, plan: Plan, draft: "Draft", where: str) -> None:
    """One labelled value into the plan; ``written`` (label and value) is what ``unmapped`` keeps."""
    if field == "other":
        draft.unmapped(where, written)
        return
    if field in _NAME_PARTS:
        _name_part(field, value, written, plan, draft, where)
        return
    if field == "name":
        value = _known_as_beside(value, plan, draft, where)
    holder: object = plan.plan_dates if field in _PLAN_DATES else plan.child
    new: Union[str, dt.date, None] = value
    if field in _DATES:
        new = parse_date(value)
        if new is None:
            draft.warn("unreadable-date", where)
            draft.unmapped(where, written)
            return
    current = getattr(holder, field)
    if current is None:
        setattr(holder, field, new)
    elif not _same(current, new):
        draft.unmapped(where, written)


_KNOWN_BESIDE = re.compile(
    r"(?P<name>.+?)\s*\((?:known\s+as|preferred\s+name|prefers(?:\s+to\s+be\s+called)?)\s*:?\s*(?P<known>[^()]+)\)", re.IGNORECASE,
)


def _known_as_beside(value: str, plan: Plan, draft: "Draft", where: str) -> str:
    """"Kai Dobson (known as KD)": the name, and the preferred name into ``known_as``."""
    m = _KNOWN_BESIDE.fullmatch(value)
    if not m:
        return value
    _store("known_as", clean(m.group("known")), f"Known as: {clean(m.group('known'))}", plan, draft, where)
    return m.group("name")


def _same(a: object, b: object) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return norm(a) == norm(b)
    return a == b


def _name_part(field: str, value: str, written: str, plan: Plan, draft: "Draft", where: str) -> None:
    """"First name: Kai" ... "Surname: Dobson" (one line or two, in either order) -> "Kai Dobson"."""
    child = plan.child
    parts = _NAME_SO_FAR.setdefault(draft, {})
    if child.name is not None and not parts:  # the whole name came first: a part of it adds nothing
        if f" {norm(value)} " not in f" {norm(child.name)} ":
            draft.unmapped(where, written)
        return
    if field in parts:
        if not _same(parts[field], value):
            draft.unmapped(where, written)
        return
    parts[field] = value
    child.name = " ".join(parts[f] for f in _NAME_PARTS if f in parts)


# --- page headers and footers ------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^(?:page |p )?\d{1,4}(?: (?:of )?\d{1,4})?$")  # "Page 3 of 12", "3", "- 3 -", "3/12"
_TITLES = frozenset({"my support plan", "msp", "my support plan msp"})  # the plan's title, on every page


def page_margins(headers: "list[Block]", footers: "list[Block]", draft: "Draft", profile: "Optional[Profile]" = None) -> None:
    """What page headers and footers hold: the plan number, the child, the plan's dates.

    A page number or the plan's title is dropped; every other line is kept in
    ``unmapped`` ("page header", "page footer"), each distinct line once
    however many pages repeat it. A header table's row ("Name | Kai Dobson")
    is read as one line, its cells apart; a line ending in a label with no
    value ("... UPN:") takes the next line as its value (a header wrapped on a page).
    """
    seen: set[str] = set()
    labels = labels_for(profile)
    for where, blocks in (("page header", headers), ("page footer", footers)):
        lines = list(_lines(blocks, labels))
        i = 0
        while i < len(lines):
            text = lines[i]
            if i + 1 < len(lines) and _open_label(text, labels) and _is_value(lines[i + 1], labels):
                i += 1
                text = f"{text} {lines[i]}"
            _margin_line(text, draft, where, seen, profile)
            i += 1


def _lines(blocks: "list[Block]", labels: Labels) -> Iterator[str]:
    """The margin's lines: a paragraph, or a table row whose cells hold labels and values."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
            continue
        for row in block.rows:
            texts = [t for t in (c.text.strip() for c in row.cells) if t]
            joined = "\t".join(texts).replace("\n", "\t")
            if len(texts) >= 2 and _labels(joined, labels):
                yield joined
            else:
                yield from (p.text for cell in row.cells for p in iter_paragraphs(cell.blocks))


def _open_label(text: str, labels: Labels) -> bool:
    keys = _labels(text, labels)
    return bool(keys) and not _tidy(text[keys[-1].end():])


def _is_value(text: str, labels: Labels) -> bool:
    n = norm(text)
    return bool(n) and not _labels(text, labels) and not _PAGE_NUMBER.match(n) and n not in labels.titles


def _margin_line(text: str, draft: "Draft", where: str, seen: set[str], profile: "Optional[Profile]") -> None:
    if not _once(text, seen):
        return
    n = norm(text)
    if not n or _PAGE_NUMBER.match(n) or n in labels_for(profile).titles or read_plan_number(n, draft.plan, profile):
        return
    if not read_child(text, draft.plan, draft, where, profile):
        draft.unmapped(where, " ".join(text.split()))


def _once(text: str, seen: set[str]) -> bool:
    """True the first time a line is seen (spaces aside)."""
    key = " ".join(text.split())
    if not key or key in seen:
        return False
    seen.add(key)
    return True
