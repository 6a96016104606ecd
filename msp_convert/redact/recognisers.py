"""Finding what identifies someone in a text: presidio's recognisers, and ours beside them.

presidio-analyzer's recognisers are called directly, without an NLP engine:
spaCy's trained pipelines (NER) cannot be installed where this runs, and every
recogniser used here works on the text alone. From presidio: e-mail addresses
(its pattern; the domain checked against tldextract's bundled suffix list,
never fetched), UK phone numbers (phonenumbers, region GB: numbers of a possible
GB length written as UK numbers are, Ofcom's drama ranges included), NHS numbers
(python-stdnum's check digit; without "NHS" before it, a valid UK phone number is
the phone and any other is counted as uncertain), UK postcodes, and a deny-list recogniser over the
names the model gives (``people``). Ours, as presidio PatternRecognizers where a
pattern is all it takes: UPN (python-stdnum's check letter), ULN (the LRS check
digit), the date of birth in any common format; and as functions: a date after
"born" or "DOB", a number beside its label ("UPN:", "NHS No") that fails its check,
title + name ("Mrs Rowe", "Dr A. Patel", with a role after it: "Mrs Rowe (Class
teacher)" -> "Class teacher"), relation + name ("Mum (Sarah)", "my brother Tom"),
street addresses, school and setting names, web addresses that name a school or a person. ``uncertain`` finds capitalised
words inside a sentence that are no known word: perhaps names. A pseudonym or
placeholder already written (a plan redacted twice) is kept as it is.

Overlaps are settled by one rule: the longer span wins; of two alike, the more
specific recogniser (the order of ``PRIORITY``).
presidio gives up on a pattern after its time-out and goes on: each pattern is
watched (``watching_timeouts``) so that redaction stops instead.
A text longer than ``pieces.SIZE`` characters is searched in overlapping pieces
(``pieces``: presidio settles its duplicates pairwise), its spans settled together.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Optional

import phonenumbers
import regex
import tldextract
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import EmailRecognizer, NhsRecognizer, PhoneRecognizer, UkPostcodeRecognizer
from stdnum.gb import nhs, upn

from . import keys
from .pieces import pieces
from .people import ROLE_OF, STAFF_WORDS, TITLE, Cast, Person, initials, is_role
from .words import countries_named, is_given_name, is_name_part, is_word, not_names

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


# presidio's time-out, watched ------------------------------------------------------------------------

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


# presidio's recognisers, made once ------------------------------------------------------------------


_EXTRACT = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=())  # the bundled suffix list: no fetch, no cache


class _OfflineEmail(EmailRecognizer):
    """presidio's e-mail recogniser, its domain checked against tldextract's bundled list."""

    def validate_result(self, pattern_text: str) -> bool:
        return _EXTRACT(pattern_text).fqdn != ""


class _Nhs(NhsRecognizer):
    def validate_result(self, pattern_text: str) -> bool:
        return nhs.is_valid(pattern_text)


class _UkPhone(PhoneRecognizer):
    """presidio's phone recogniser for region GB, at phonenumbers' "possible" leniency (a GB number's
    length; Ofcom's drama ranges, which are never assigned, are numbers too), kept only when written
    as a UK number is: 0 and 9 or 10 more digits, or +44 and 9 or 10."""

    def __init__(self) -> None:
        super().__init__(supported_regions=("GB",), leniency=0)

    def analyze(self, text: str, entities: list, nlp_artifacts: object = None) -> list:
        found = [r for r in super().analyze(text, entities, nlp_artifacts) if _uk_shaped(text[r.start:r.end])]
        # "+44 (0)113 496 0702", which phonenumbers does not match; a national number written beside another
        for m in itertools.chain(_TRUNK_IN_BRACKETS.finditer(text), _NATIONAL.finditer(text)):
            if _possible(m[0].replace("(0)", "")):
                found.append(RecognizerResult(self.supported_entities[0], m.start(), m.end(), self.SCORE))
        return found


_NATIONAL = re.compile(r"(?<![\d+])0\d{2,4}[\s\-]?\d{3,4}[\s\-]?\d{3,4}(?![\d])")
_TRUNK_IN_BRACKETS = re.compile(r"\+44\s*\(0\)\s*\d(?:[\s\-]?\d){8,9}(?!\d)")


def _possible(number: str) -> bool:
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(number, "GB"))
    except phonenumbers.NumberParseException:
        return False


def _uk_shaped(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    if number.lstrip("( ").startswith("+"):
        return digits.startswith("44") and len(digits) in (11, 12)
    return digits.startswith("0") and not digits.startswith("00") and len(digits) in (10, 11)


class _Upn(PatternRecognizer):
    def __init__(self) -> None:
        super().__init__("UPN", patterns=[Pattern("UPN", r"\b[A-HJ-NP-TV-Z]\d{11}[0-9A-HJ-NP-TV-Z]\b", 0.5)],
                         global_regex_flags=CASE_SENSITIVE)

    def validate_result(self, pattern_text: str) -> bool:
        return upn.is_valid(pattern_text)


def uln_valid(number: str) -> bool:
    """A ULN (Learning Records Service): 10 digits, the first not 0; the last is 10 minus the sum of
    the first nine weighted 10..2, modulo 11 (a remainder giving 10 makes no valid ULN)."""
    if not re.fullmatch(r"[1-9]\d{9}", number):
        return False
    check = 10 - sum(int(d) * w for d, w in zip(number, range(10, 1, -1))) % 11
    return check < 10 and check == int(number[9])


class _Uln(PatternRecognizer):
    def __init__(self) -> None:
        super().__init__("ULN", patterns=[Pattern("ULN", r"\b\d{10}\b", 0.5)], global_regex_flags=CASE_SENSITIVE)

    def validate_result(self, pattern_text: str) -> bool:
        return uln_valid(pattern_text)


@lru_cache(maxsize=1)
def _presidio() -> tuple[tuple[str, object], ...]:
    return (
        ("email", watched(_OfflineEmail())),
        ("phone", _UkPhone()),
        ("postcode", watched(UkPostcodeRecognizer())),
        ("upn", watched(_Upn())),
        ("uln", watched(_Uln())),
    )


@lru_cache(maxsize=1)
def _nhs() -> PatternRecognizer:
    return watched(_Nhs())


_NHS_LABEL = re.compile(r"\bNHS\b[^\d\n]{0,24}$", re.IGNORECASE)


def nhs_spans(text: str) -> Iterator[Span]:
    """An NHS number (3-3-4 or 10 digits, its check digit right): certain after its label ("NHS", "NHS No:",
    "NHS number is"). Without it, one in eleven 10-digit numbers passes the check: a valid UK phone number
    ("016 977 4321") is the phone; any other is still redacted as "[NHS number]" (it may be one whose
    label is in the table cell beside it) but counted as uncertain."""
    for found in _nhs().analyze(text, _nhs().supported_entities, None):
        number = text[found.start:found.end]
        if _NHS_LABEL.search(text, max(0, found.start - 40), found.start):
            kind, replacement = "nhs-number", PLACEHOLDER["nhs-number"]
        elif _valid_phone(number):
            kind, replacement = "phone", PLACEHOLDER["phone"]
        else:
            kind, replacement = "uncertain-name", PLACEHOLDER["nhs-number"]
        yield Span(found.start, found.end, kind, replacement, "nhs-number")


def _valid_phone(number: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, "GB"))
    except phonenumbers.NumberParseException:
        return False


def presidio_spans(text: str, recognisers: Iterable[tuple[str, object]]) -> Iterator[Span]:
    for kind, recogniser in recognisers:
        for found in recogniser.analyze(text, recogniser.supported_entities, None):  # type: ignore[attr-defined]
            yield Span(found.start, found.end, kind, PLACEHOLDER[kind], kind)


# numbers beside their label ------------------------------------------------------------------------

_LABELLED = re.compile(
    r"(?P<label>\bUPN\b|\bULN\b|\bNHS\s*(?:[Nn]o\b\.?|[Nn]umber\b|#))\s*[:.\-]?\s*"
    r"(?P<value>[A-Z0-9](?:[ \-]?[A-Z0-9]){5,15})(?![A-Za-z0-9])"
)
_LABEL_KIND = {"UPN": "upn", "ULN": "uln"}


def labelled_spans(text: str) -> Iterator[Span]:
    """The value after "UPN", "ULN" or "NHS No": its kind's placeholder; counted as its kind when it
    passes its check, else as uncertain (it may be a mistyped number, or another)."""
    for m in _LABELLED.finditer(text):
        kind = _LABEL_KIND.get(m["label"], "nhs-number")
        value = m["value"]
        if sum(c.isdigit() for c in value) < 5:
            continue
        valid = {"upn": upn.is_valid, "uln": uln_valid, "nhs-number": nhs.is_valid}[kind](value.replace(" ", ""))
        yield Span(m.start("value"), m.end("value"), kind if valid else "uncertain-name", PLACEHOLDER[kind], "labelled")


# the date of birth, in any format --------------------------------------------------------------------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def dob_recogniser(born: dt.date) -> PatternRecognizer:
    """The child's date of birth as people write it: 3/12/2008, 03.12.08, 2008-12-03, 2008/12/3,
    3rd December 2008, 3 Dec 08, 3-Dec-2008, December 3rd, 2008 (any case)."""
    day = rf"0?{born.day}(?:st|nd|rd|th)?"
    month_name = rf"(?:{_MONTHS[born.month - 1]}|{_MONTHS[born.month - 1][:3]}\.?)"
    month_number = rf"0?{born.month}"
    year = rf"(?:{born.year}|'?{born.year % 100:02d})"
    patterns = [
        rf"\b{day}\s*[/.\-]\s*{month_number}\s*[/.\-]\s*{year}\b",
        rf"\b{day}(?:\s+of)?[\s/.\-]+{month_name}[\s/.,\-]+{year}\b",
        rf"\b{month_name}\s+{day},?\s+{year}\b",
        rf"\b{born.year}\s*[/.\-]\s*{month_number}\s*[/.\-]\s*{day}\b",
    ]
    return PatternRecognizer("DATE_OF_BIRTH", patterns=[Pattern("dob", p, 0.9) for p in patterns])


_DATE = (r"(?:\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}"
         r"|\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})")
_BORN = re.compile(rf"(?i:\b(?:born(?:\s+on)?|d\.?o\.?b\.?|date\s+of\s+birth)\b)\s*[:\-]?\s*(?P<date>{_DATE})\b")


def born_spans(text: str) -> Iterator[Span]:
    """A date after "born", "DOB", "date of birth": the date of birth, whatever the model holds."""
    for m in _BORN.finditer(text):
        if m["date"][-4:].isdigit() or re.search(r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]", m["date"]):
            yield Span(m.start("date"), m.end("date"), "date-of-birth", PLACEHOLDER["date-of-birth"], "date-of-birth")


# people: the cast's names, titles, relations ---------------------------------------------------------

# A capital and a small letter, any alphabet ("Zoë", "Łukasz"): not a-z, not A-Z, as Python's re has no \p{Lu}.
UP, LOW = r"[^\W\d_a-z]", r"[^\W\d_A-Z]"
_NAME = rf"(?:{UP}['\u2019]|Mc|Mac)?{UP}{LOW}+(?:-{UP}{LOW}+)?"  # Tom, O'Brien, McKenzie, Ana-María
_CAPS = r"(?:[A-Z]['\u2019])?[A-Z]{2,}(?:-[A-Z]{2,})?(?![\w'\u2019])"  # ROWE, O'BRIEN, SMITH-JONES
_TITLED = re.compile(
    rf"\b(?P<name>(?P<couple>{TITLE}\s+(?:and|&)\s+)?{TITLE}\s+(?:[A-Z](?:\.\s*|\s+)){{0,2}}(?:{_NAME}|{_CAPS}))"
    r"(?:\s*\((?P<role>[^()\n]{1,40})\)|(?:,|\s+[-\u2013\u2014])\s*(?:the\s+|our\s+|their\s+|his\s+|her\s+)?"
    r"(?P<role2>(?i:(?:(?!or\b|with\b|to\b)[a-z\-]+\s+){0,4}?(?:teacher|TA|SENCO|SENCo|SENDCo|assistant|therapist|mentor|tutor|"
    r"adviser|advisor|officer|supervisor|headteacher|nurse|paediatrician|psychologist|worker|practitioner|"
    r"key person|key adult|keyworker|coordinator|co-ordinator|lead|manager|ELSA|QTVI|physiotherapist|GP))))?"
)
# Words for a relative or friend, after "my", "his", "her", "their"; and those written alone before a name.
RELATIVES = ("brother sister stepbrother step-brother stepsister step-sister half-brother half-sister cousin aunt"
             " auntie uncle nan nana gran grandma grandad grandpa mum dad friend friends best\\s+friend carer"
             " foster\\s+carer partner stepmum step-mum stepdad step-dad stepfather stepmother boyfriend girlfriend"
             " husband wife").split()
NAMED_ALONE = "Mum Mummy Mam Mom Dad Daddy Nan Nana Nanna Nanny Gran Granny Grandma Grandad Grandpa Auntie Aunty Uncle"
PARENT_WORDS = frozenset("mum mummy mam mom dad daddy carer partner stepmum step-mum stepdad step-dad stepfather"
                         " stepmother".split())
_RELATION = re.compile(
    rf"\b(?P<rel>(?:[Mm]y|[Hh]is|[Hh]er|[Tt]heir|{_NAME}['\u2019]s)\s+(?:(?:big|little|baby|older|younger|elder|eldest|youngest|twin|new)\s+)?"
    rf"(?:{'|'.join(RELATIVES)})|{'|'.join(NAMED_ALONE.split())})"
    rf"(?:\s*\(\s*(?P<inner>{_NAME}(?:\s+{_NAME})?)\s*\)|,?\s+(?P<after>{_NAME}(?:\s+{_NAME})?))"
)


def person_spans(text: str, recogniser: Optional[PatternRecognizer], by_form: dict[str, Person],
                 key: bytes) -> Iterator[Span]:
    """The names the model gives, wherever written (case as written; possessives keep their "'s");
    a first name before the child's or family's surname ("Lee Dawson") names a relative of theirs."""
    if recogniser is None:
        return
    for found in recogniser.analyze(text, recogniser.supported_entities, None):
        form = text[found.start:found.end]
        person = by_form[form]
        yield Span(found.start, found.end, person.kind, person.pseudonym, "person")
        before = _FIRST_NAME.search(text, max(0, found.start - 64), found.start)
        if person.kind in ("child", "family") and form == person.surname and before and _first_name(before[1], by_form):
            name = f"{before[1]} {form}"
            yield Span(before.start(1), found.end, "family", keys.pseudonym(key, "family", name, "Relative"), "person")


_FIRST_NAME = re.compile(rf"(?<![\w'\u2019])({_NAME})\s+$")
_NOT_FIRST_NAMES = frozenset(
    "then today now so but and also when if as because yesterday tomorrow with by for at in on to from dear"
    " the a an his her their our my".split()
)


def _first_name(word: str, by_form: dict[str, Person]) -> bool:
    return word not in by_form and _may_name(word)


def title_spans(text: str, key: bytes, cast: Cast) -> Iterator[Span]:
    """"Mrs Rowe", "Dr A. Patel": the cast's pseudonym if it knows them, else staff ("Staff XXXXXX");
    with a role beside it ("Mrs Rowe (Class teacher)", "Mrs Rowe, class teacher", "Mr O'Neill - PE
    teacher") the role instead. A couple under one surname ("Mr and Mrs Dawson") is one pseudonym, the
    family's that the surname has (else "Parent XXXXXX" keyed by the surname): they are named as one."""
    for m in _TITLED.finditer(text):
        written = m["name"].split()[-1]
        surname = keys.normalise(written)
        if not surname or (written.isupper() and surname in not_names()):
            continue  # "Mr Mrs": a title after a title, no name; "Mr TA": a term in capitals
        role = m["role"] if m["role"] and is_role(m["role"]) else m["role2"]
        person = cast.adult(m["name"])
        kind = person.kind if person else "family" if m["couple"] else "staff"
        pseudonym = person.pseudonym if person else keys.pseudonym(key, kind, surname, ROLE_OF[kind])
        learn = None if is_word(written) else (written, kind, pseudonym)
        if role and kind == "staff" and _plain_role(role):  # else the name alone; the rest is searched as text
            yield Span(m.start(), m.end(), kind, role[0].upper() + role[1:], "title", learn)
        else:
            yield Span(m.start("name"), m.end("name"), kind, pseudonym, "title", learn)


def _plain_role(role: str) -> bool:
    """A role that may stand for the name as written: no digit, and every word a staff word or a lower-case
    English word or term (no capitalised word that may be a name or a place: "TA for Kai", "SENCO at Brackenholt")."""
    words = re.findall(r"[\w'\u2019\-]+", role)
    return not any(c.isdigit() for c in role) and all(
        w.casefold() in STAFF_WORDS or (is_word(w) and (w.islower() or w.casefold() in not_names())) for w in words)


def relation_spans(text: str, key: bytes, by_form: dict[str, Person]) -> Iterator[Span]:
    """"Mum (Sarah)", "my brother Tom", "Nan Jean": the name after the relation, as family."""
    for m in _RELATION.finditer(text):
        group = "inner" if m["inner"] else "after"
        name = m[group]
        if name not in by_form and all(w.casefold() in not_names() for w in name.split()):
            continue  # "Mum (Dad)", "Nan Monday": a term, not a name
        said = m["rel"].split()[-1]
        role = "Parent" if said.casefold() in PARENT_WORDS else "Person" if said.startswith("friend") else "Relative"
        person = by_form.get(name)
        replacement = person.pseudonym if person else keys.pseudonym(key, "family", name, role)
        kind = person.kind if person else "family"
        yield Span(m.start(group), m.end(group), kind, replacement, "relation", (name, kind, replacement))


# places: addresses and schools -----------------------------------------------------------------------

_STREET = (r"Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Way|Crescent|Cres|Grove|Place|Terrace|Court|"
           r"Gardens|Gdns|Walk|Row|Hill|View|Square|Mews|Rise|Fold|Croft|Bank|Parade|Vale|Green")
_ADDRESS = re.compile(
    rf"\b(?:(?:Flat|Apartment|Apt)\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][\w'\u2019\-]*\s+){{1,3}}"
    rf"(?:{_STREET})\b(?:,\s*[A-Z][a-z'\u2019\-]+(?:\s+[A-Z][a-z'\u2019\-]+)?){{0,3}}"
)
_SCHOOL = re.compile(
    r"\b(?:(?:St|Saint)\.?\s+)?(?:(?:(?!School\b|Academy\b|College\b)[A-Z][\w'\u2019\-]*|of|the|C\s+of\s+E)\s+){1,6}"
    r"(?:School|Academy|College|Nursery|Pre-School|Preschool|Infants)\b"
)
_SCHOOL_SHORT = re.compile(r"\b(?:[A-Z][\w'\u2019\-]*\s+){1,3}(?:High|Primary|Juniors|Infants)\b(?!\s+(?:School|Academy))")
_SCHOOL_ENDS = ("School", "Academy", "College", "Nursery", "Pre-School", "Preschool", "Infants", "Juniors", "Primary",
                 "Junior", "Infant", "Secondary", "High", "Grammar", "Special", "First", "Middle", "C of E", "CE", "RC",
                 "Catholic", "Church of England", "Community", "Free")
_GENERIC_SCHOOL = frozenset(
    "st saint of the and c e ce rc catholic church england methodist community primary junior infant infants"
    " secondary high grammar special first middle nursery free upper lower school academy college pre-school"
    " preschool new current previous next local mainstream".split()
)
_LEADING = frozenset("at in on to from into for with before after when while since until and but or if".split())


def school_spans(text: str, key: bytes, setting: Optional[str]) -> Iterator[Span]:
    """School and setting names ("... Primary School", "... Academy", "St Aidan's C of E ..."), as
    "School XXXXXX" keyed by the name; a name of generic words only ("Secondary School") is left."""
    for m in _SCHOOL.finditer(text):
        start = _after_leading(text, m.start(), m.end())
        own = [w for w in text[start:m.end()].split() if re.sub(r"['\u2019]s$", "", w).casefold() not in _GENERIC_SCHOOL]
        if own and not all(w.casefold() in not_names() for w in own):
            yield _school(text, start, m.end(), key)
    for m in _SCHOOL_SHORT.finditer(text):
        start = _after_leading(text, m.start(), m.end())
        own = [w for w in text[start:m.end()].split()[:-1] if w.casefold() not in _GENERIC_SCHOOL]
        if own and not all(is_word(w) for w in own):  # "Westfield High", not "Very High"
            yield _school(text, start, m.end(), key)
    if setting and setting.strip():
        for m in re.finditer(rf"(?<!\w){re.escape(setting.strip())}(?!\w)", text):
            yield _school(text, m.start(), m.end(), key)


def _after_leading(text: str, start: int, end: int) -> int:
    """Where a name starts once the sentence's leading little words are left out ("At Westfield High")."""
    while (lead := re.match(r"(\S+)\s+", text[start:end])) and lead[1].casefold() in _LEADING:
        start += lead.end()
    return start


def _school(text: str, start: int, end: int, key: bytes) -> Span:
    """The school's pseudonym; its own name ("Hollinbrook", "Little Acorns": the name without "Primary
    School", "Nursery"...) is learnt, to go where written alone; a single English word is not."""
    name = text[start:end]
    pseudonym = keys.pseudonym(key, "school", name, ROLE_OF["school"])
    own = re.sub(rf"(?:\s+(?:{'|'.join(_SCHOOL_ENDS)}))+$", "", name)  # "Little Acorns", "Hollinbrook"
    learnt = own != name and (len(own.split()) > 1 or not is_word(own)) and own.casefold() not in _GENERIC_SCHOOL
    return Span(start, end, "school", pseudonym, "school", (own, "school", pseudonym) if learnt else None)


_WEB = re.compile(r"(?<![\w@.\-/])(?:https?://)?(?:[\w\-]+\.)+[A-Za-z]{2,}(?::\d+)?(?:/[^\s<>\"'()\[\]]*)?")
WEB_ADDRESS = "[web address]"


def web_spans(text: str, named: dict[str, str]) -> Iterator[Span]:
    """A web address that names a school or a person ("www.hollinbrook.example.org/send", a UK school's
    ".sch.uk"): "[web address]", counted as the kind it names; others ("www.kirklees.gov.uk") stay.
    ``named``: each school's own name and each person's name part that is no word, as letters and digits
    casefolded ("hollinbrook", "dawson"): found anywhere in the address's letters."""
    for m in _WEB.finditer(text):
        address = m[0].rstrip(".,;:!?")
        if not _EXTRACT(address.split("/", 3)[2] if "://" in address else address.split("/")[0]).suffix:
            continue  # "e.g.", "report.docx": no web domain ("x.sch.uk" is a suffix itself: *.sch.uk)
        letters = re.sub(r"[\W_]", "", address.casefold())
        kind = "school" if ".sch.uk" in address.casefold() else next(
            (k for token, k in named.items() if token in letters), None)
        if kind:
            yield Span(m.start(), m.start() + len(address), kind, WEB_ADDRESS, "web")


def address_spans(text: str) -> Iterator[Span]:
    for m in _ADDRESS.finditer(text):
        yield Span(m.start(), m.end(), "address", PLACEHOLDER["address"], "address")


# uncertain names -------------------------------------------------------------------------------------

_CAPITALISED = re.compile(
    rf"(?<![\w'\u2019\-])(?:{UP}['\u2019])?{UP}{LOW}+(?:{UP}{LOW}+)?(?:-{UP}?{LOW}+)*(?:['\u2019]s)?(?![\w\-])"
)
_SENTENCE_END = frozenset(".!?:;\"\u201c\u2018'([\u2022\u00b7\u2013\u2014-/")


def _starts_sentence(text: str, start: int) -> bool:
    """Nothing but white space before ``start`` since the text's start, a line break or a mark ending a
    sentence or opening a clause (". ", ": ", "(", a bullet, a dash)."""
    i = start
    while i > 0 and text[i - 1].isspace():
        if text[i - 1] == "\n":
            return True
        i -= 1
    return i == 0 or text[i - 1] in _SENTENCE_END


_POSSESSIVE = re.compile(r"['\u2019]s$")


def uncertain_spans(text: str, key: bytes) -> Iterator[Span]:
    """Capitalised words inside a sentence (not its first) that are no known word, no term and no
    wording of the form: perhaps a name, redacted as "Person XXXXXX" and counted as uncertain. Words
    side by side are one name ("Sara Boyd"), and so is a capitalised word just before such a word,
    even a sentence's first or an English word ("Jackie Holroyd", "Social worker: Tom Briggs"),
    unless it is a term, a title or a little word ("Then Briggs")."""
    for group in _name_groups(text):
        if len(group) == 1 and (_starts_sentence(text, group[0].start()) or _a_country(text, group[0])):
            continue
        end = group[-1].start() + len(_POSSESSIVE.sub("", group[-1][0]))
        name = text[group[0].start():end]
        replacement = keys.pseudonym(key, "uncertain-name", name, ROLE_OF["uncertain-name"])
        parts = tuple(_POSSESSIVE.sub("", m[0]) for m in group if not is_word(m[0]) or is_given_name(m[0])) \
            if len(group) > 1 else ()
        parts += initials([_POSSESSIVE.sub("", m[0]) for m in group], bare_if_parts_are_words=False)
        yield Span(group[0].start(), end, "uncertain-name", replacement, "uncertain-name",
                   (name, "uncertain-name", replacement), parts)


# Words before a country's name that say it is the place ("moved from Jordan", "born in India", "visited
# Georgia"): "in", "into", "across", "visit"; "from" and "to" only after a word of coming or going.
_AS_PLACE = re.compile(
    r"(?i:\b(?:in|into|across|visit(?:s|ed|ing)?)"
    r"|\b(?:came|comes?|coming|moved?|moving|fled|flee(?:s|ing)?|arrived?|arriving|is|are|was|were|originally|family"
    r"|relatives|return(?:s|ed|ing)?)\s+from"
    r"|\b(?:moved?|moving|went|go(?:es|ing)?|travel(?:s|led|ling)?|flew|fly(?:ing)?|return(?:s|ed|ing)?|back|trip"
    r"|holiday|visit)\s+to)\s+$"
)


def _a_country(text: str, word: re.Match[str]) -> bool:
    """A country that is also a first name, written as the place: "moved from Jordan", "born in India",
    "visited Georgia" stay; elsewhere ("plays with Jordan", "India's book", "Chad helps") it is a name:
    a person named after a country is more likely in a plan than the country, and a country alone
    identifies no one, so where the words do not say which, it goes (over-redaction, the safe side)."""
    return word[0] in countries_named() and _AS_PLACE.search(text, max(0, word.start() - 40), word.start()) is not None


def _name_groups(text: str) -> list[list[re.Match[str]]]:
    """Runs of capitalised words, one space apart, that hold a word that is no known word."""
    runs: list[list[re.Match[str]]] = []
    for m in _CAPITALISED.finditer(text):
        if not m[0][0].isupper():
            continue  # a letter with no case ("中标", "πʬ"): UP is "no a-z", so a script without capitals matches
        if runs and text[runs[-1][-1].end():m.start()] == " " and not _POSSESSIVE.search(runs[-1][-1][0]):
            runs[-1].append(m)
        else:
            runs.append([m])
    groups = []
    for run in runs:
        unknown = _names_in(run)
        for i in unknown:  # each unknown word, with the unknown words after it and a name-like word before
            previous = run[i - 1] if i else None
            if previous is not None and groups and groups[-1][-1] is previous:
                groups[-1].append(run[i])
            elif previous is not None and _may_name(previous[0]):
                groups.append([previous, run[i]])
            else:
                groups.append([run[i]])
    return groups


def _names_in(run: list[re.Match[str]]) -> list[int]:
    """Which words of a run of capitalised words may name someone: those that are no known word; all of
    them when one is a listed first name ("Poppy", even an English word) and every other a name part
    ("Grace Baker"), but not beside an ordinary word ("Golden Time", "Christmas Eve")."""
    words = [m[0] for m in run]
    if any(is_given_name(w) for w in words) and all(is_name_part(w) for w in words):
        return list(range(len(run)))
    return [i for i, w in enumerate(words) if not is_word(w)]


def _may_name(word: str) -> bool:
    folded = word.casefold()
    return not (folded in not_names() or folded in _NOT_FIRST_NAMES or folded in _LEADING or re.fullmatch(TITLE, word))


# all of them, for one plan ---------------------------------------------------------------------------


class Finder:
    """Every recogniser, set up for one plan (its cast, its child's date of birth and setting).

    ``learned`` holds the names a first pass over the plan found beside a title or a relation, or as
    uncertain names: the second pass redacts them wherever they are written, alone too (a struck
    fragment, a list of names)."""

    def __init__(self, key: bytes, cast: Cast, born: Optional[dt.date], setting: Optional[str],
                 learned: Optional[dict[str, Person]] = None) -> None:
        self.key, self.cast, self.setting = key, cast, setting
        self.by_form = cast.by_form()
        for form, person in (learned or {}).items():
            self.by_form.setdefault(form, person)
        forms = sorted(self.by_form, key=len, reverse=True)
        self.names = watched(PatternRecognizer("PERSON", deny_list=forms, global_regex_flags=CASE_SENSITIVE)) if forms else None
        self.dob = watched(dob_recogniser(born)) if born else None
        self.named = _named(self.by_form, setting)
        self.learned: dict[str, Person] = {}

    def candidates(self, text: str) -> Iterator[Span]:
        yield from (Span(m.start(), m.end(), "kept", m[0], "kept") for m in keys.WRITTEN.finditer(text))
        yield from person_spans(text, self.names, self.by_form, self.key)
        yield from labelled_spans(text)
        yield from presidio_spans(text, _presidio())
        yield from nhs_spans(text)
        if self.dob is not None:
            yield from (Span(f.start, f.end, "date-of-birth", PLACEHOLDER["date-of-birth"], "date-of-birth")
                        for f in self.dob.analyze(text, self.dob.supported_entities, None))
        yield from born_spans(text)
        yield from address_spans(text)
        yield from web_spans(text, self.named)
        yield from title_spans(text, self.key, self.cast)
        yield from relation_spans(text, self.key, self.by_form)
        yield from school_spans(text, self.key, self.setting)

    def find(self, text: str) -> list[Span]:
        """The spans to replace, in order, none overlapping: the longer wins, then the earlier in PRIORITY;
        then the uncertain names among the words left."""
        chosen = resolve(in_pieces(text, self.candidates), text)
        taken = _Taken(chosen)
        chosen += [s for s in in_pieces(text, lambda window: uncertain_spans(window, self.key)) if taken.add(s)]
        for span in chosen:
            if span.learn:
                form, kind, pseudonym = span.learn
                for written in (variant for one in (form, *span.also) for variant in _cases(one)):
                    self._learn(written, Person(kind, keys.normalise(form), (written,), pseudonym))
        return _merged(sorted(chosen, key=lambda s: s.start), text)

    def _learn(self, written: str, person: Person) -> None:
        """The first person learnt by a form keeps it; but a part of a full name ("Noor" of "Noor Haddad")
        learnt alone before as an uncertain name is that person's: one person, one pseudonym."""
        known = self.learned.get(written)
        alone = known is not None and known.kind == "uncertain-name" and known.identity == keys.normalise(written)
        if known is None or (alone and len(person.identity.split()) > 1):
            self.learned[written] = person


def _named(by_form: dict[str, Person], setting: Optional[str]) -> dict[str, str]:
    """Schools' own names and people's name parts that are no word, as ``web_spans`` looks for them."""
    named: dict[str, str] = {}
    schools = [(f, p.kind) for f, p in by_form.items() if p.kind == "school"]
    if setting and setting.strip():
        learnt = _school(setting, 0, len(setting.strip()), b"").learn
        schools.append((learnt[0] if learnt else setting, "school"))
    people = [(f, p.kind) for f, p in by_form.items() if p.kind != "school" and not is_word(f)]
    for form, kind in schools + people:
        token = re.sub(r"[\W_]", "", form.casefold())
        if len(token) >= 4:
            named.setdefault(token, kind)
    return named


def in_pieces(text: str, search: Callable[[str], Iterable[Span]]) -> Iterator[Span]:
    """``search`` over a long text window by window (``pieces``): each span once, where it is in ``text``."""
    for piece in pieces(text):
        window = text if piece.end - piece.start == len(text) else text[piece.start:piece.end]
        for span in search(window):
            start = span.start + piece.start
            if piece.core_start <= start < piece.core_end:
                yield span if not piece.start else replace(span, start=start, end=span.end + piece.start)


def _cases(form: str) -> tuple[str, ...]:
    """A learnt name as written, and in capitals or as a name from capitals ("Tomasz", "TOMASZ"), when it
    is no English word (a capitalised "Mark" is learnt; "MARK" in a heading is left)."""
    if len(form) < 3 or is_word(form) or not form[0].isupper():
        return (form,)
    return (form, form.title() if form.isupper() else form.upper())


def _merged(spans: list[Span], text: str) -> list[Span]:
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
    taken = _Taken([])
    return [span for span in ranked if span.end > span.start and taken.add(span)]


class _Taken:
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
