"""Numbers, contacts and places in a text: presidio's recognisers, and ours beside them.

presidio-analyzer's recognisers are called directly, without an NLP engine:
spaCy's trained pipelines (NER) cannot be installed where this runs, and every
recogniser used here works on the text alone. From presidio: e-mail addresses
(its pattern; the domain checked against tldextract's bundled suffix list,
never fetched), UK phone numbers (phonenumbers, region GB: numbers of a possible
GB length written as UK numbers are, Ofcom's drama ranges included), NHS numbers
(python-stdnum's check digit; without "NHS" before it, a valid UK phone number is
the phone and any other is counted as uncertain), UK postcodes. Ours, as presidio
PatternRecognizers where a pattern is all it takes: UPN (python-stdnum's check
letter), ULN (the LRS check digit), the date of birth in any common format; and
as functions: a date after "born" or "DOB", a number beside its label ("UPN:",
"NHS No") that fails its check, street addresses, web addresses that name a
school or a person.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from functools import lru_cache
from typing import Iterable, Iterator

import phonenumbers
import tldextract
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import EmailRecognizer, NhsRecognizer, PhoneRecognizer, UkPostcodeRecognizer
from stdnum.gb import nhs, upn

from .spans import CASE_SENSITIVE, PLACEHOLDER, Span, watched

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
def presidio_recognisers() -> tuple[tuple[str, object], ...]:
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


# places: street addresses and web addresses ---------------------------------------------------------

_STREET = (r"Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Way|Crescent|Cres|Grove|Place|Terrace|Court|"
           r"Gardens|Gdns|Walk|Row|Hill|View|Square|Mews|Rise|Fold|Croft|Bank|Parade|Vale|Green")
_ADDRESS = re.compile(
    rf"\b(?:(?:Flat|Apartment|Apt)\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][\w'\u2019\-]*\s+){{1,3}}"
    rf"(?:{_STREET})\b(?:,\s*[A-Z][a-z'\u2019\-]+(?:\s+[A-Z][a-z'\u2019\-]+)?){{0,3}}"
)

_WEB = re.compile(r"(?<![\w@.\-/])(?:https?://)?(?:[\w\-]+\.)+[A-Za-z]{2,}(?::\d+)?(?:/[^\s<>\"'()\[\]]*)?")
WEB_ADDRESS = "[web address]"


def web_spans(text: str, named: dict[str, str]) -> Iterator[Span]:
    """A web address that names a school or a person ("www.hollinbrook.example.org/send", a UK school's
    ".sch.uk"): "[web address]", counted as the kind it names; others ("www.kirklees.gov.uk") stay.
    ``named``: each school's own name and each person's name part that is no word, as letters and digits
    casefolded ("hollinbrook", "dawson"): found anywhere in the address's letters; a short one (3 letters:
    "kai") only as a word of it ("www.example.org/kai-blog"), not inside another ("kaiser")."""
    for m in _WEB.finditer(text):
        address = m[0].rstrip(".,;:!?")
        if not _EXTRACT(address.split("/", 3)[2] if "://" in address else address.split("/")[0]).suffix:
            continue  # "e.g.", "report.docx": no web domain ("x.sch.uk" is a suffix itself: *.sch.uk)
        folded = address.casefold()
        letters, words = re.sub(r"[\W_]", "", folded), set(re.split(r"[\W_\d]+", folded))
        kind = "school" if ".sch.uk" in folded else next(
            (k for token, k in named.items() if (token in letters if len(token) > 3 else token in words)), None)
        if kind:
            yield Span(m.start(), m.start() + len(address), kind, WEB_ADDRESS, "web")


def address_spans(text: str) -> Iterator[Span]:
    for m in _ADDRESS.finditer(text):
        yield Span(m.start(), m.end(), "address", PLACEHOLDER["address"], "address")
