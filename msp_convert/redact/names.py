"""People and settings in a text: the names the model gives, titles, relations, schools, and the
capitalised words that may be names.

Ours: the names the model gives (``people``), found as a deny list
(``NameList``); title + name ("Mrs Rowe", "Dr A. Patel", with a role after it:
"Mrs Rowe (Class teacher)" -> "Class teacher"), relation + name ("Mum (Sarah)",
"my brother Tom"), school and setting names. ``uncertain_spans`` finds
capitalised words inside a sentence that are no known word, or a listed first
name among names: perhaps names.
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from . import keys
from .people import ROLE_OF, STAFF_WORDS, TITLE, Cast, Person, initials, is_role
from .spans import Span
from .words import POSSESSIVE, countries_named, is_given_name, is_name_part, is_word, not_names

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


class NameList:
    """The names the model gives and those learnt, found as presidio's deny list finds them (as written,
    whole words: no word character either side; at each place the longest; left to right, none
    overlapping) by a lookup of each word in the text, not one alternation of every name: compiling and
    searching that cost most of a long, name-heavy plan's time (thousands of learnt names)."""

    def __init__(self, forms: list[str]) -> None:
        self.by_head: dict[str, list[str]] = {}  # a form's first run of word characters -> its forms, longest first
        odd = []  # forms not starting with a word character: rare, one alternation
        for form in sorted(set(forms), key=len, reverse=True):
            head = _HEAD.match(form)
            if head:
                self.by_head.setdefault(head[0], []).append(form)
            else:
                odd.append(re.escape(form))
        self.odd = re.compile(rf"(?<!\w)(?=((?:{'|'.join(odd)})(?!\w)))") if odd else None

    def find(self, text: str) -> Iterator[tuple[int, int]]:
        found = [(m.start(), m.start() + len(form)) for m in _HEAD.finditer(text) if (form := self._at(text, m))]
        if self.odd is not None:
            found += [(m.start(), m.start() + len(m[1])) for m in self.odd.finditer(text)]
        at = 0
        for start, end in sorted(found, key=lambda f: (f[0], -f[1])):
            if start >= at:
                yield start, end
                at = end

    def _at(self, text: str, word: re.Match[str]) -> Optional[str]:
        return next((f for f in self.by_head.get(word[0], ()) if text.startswith(f, word.start())
                     and _bounded(text, word.start() + len(f))), None)


_HEAD = re.compile(r"(?<!\w)\w+")
_WORD_CHARACTER = re.compile(r"\w")


def _bounded(text: str, end: int) -> bool:
    return _WORD_CHARACTER.match(text, end) is None


def person_spans(text: str, names: Optional[NameList], by_form: dict[str, Person], key: bytes) -> Iterator[Span]:
    """The names the model gives, wherever written (case as written; possessives keep their "'s");
    a first name before the child's or family's surname ("Lee Dawson") names a relative of theirs."""
    if names is None:
        return
    for start, end in names.find(text):
        form = text[start:end]
        person = by_form[form]
        yield Span(start, end, person.kind, person.pseudonym, "person")
        before = _FIRST_NAME.search(text, max(0, start - 64), start)
        if person.kind in ("child", "family") and form == person.surname and before and _first_name(before[1], by_form):
            name = f"{before[1]} {form}"
            yield Span(before.start(1), end, "family", keys.pseudonym(key, "family", name, "Relative"), "person")


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


# schools and settings ----------------------------------------------------------------------------

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
        own = [w for w in text[start:m.end()].split() if POSSESSIVE.sub("", w).casefold() not in _GENERIC_SCHOOL]
        if own and not all(w.casefold() in not_names() for w in own):
            yield school_span(text, start, m.end(), key)
    for m in _SCHOOL_SHORT.finditer(text):
        start = _after_leading(text, m.start(), m.end())
        own = [w for w in text[start:m.end()].split()[:-1] if w.casefold() not in _GENERIC_SCHOOL]
        if own and not all(is_word(w) for w in own):  # "Westfield High", not "Very High"
            yield school_span(text, start, m.end(), key)
    if setting and setting.strip():
        for m in re.finditer(rf"(?<!\w){re.escape(setting.strip())}(?!\w)", text):
            yield school_span(text, m.start(), m.end(), key)


def _after_leading(text: str, start: int, end: int) -> int:
    """Where a name starts once the sentence's leading little words are left out ("At Westfield High")."""
    while (lead := re.match(r"(\S+)\s+", text[start:end])) and lead[1].casefold() in _LEADING:
        start += lead.end()
    return start


def school_span(text: str, start: int, end: int, key: bytes) -> Span:
    """The school's pseudonym; its own name ("Hollinbrook", "Little Acorns": the name without "Primary
    School", "Nursery"...) is learnt, to go where written alone; a single English word is not."""
    name = text[start:end]
    pseudonym = keys.pseudonym(key, "school", name, ROLE_OF["school"])
    own = re.sub(rf"(?:\s+(?:{'|'.join(_SCHOOL_ENDS)}))+$", "", name)  # "Little Acorns", "Hollinbrook"
    learnt = own != name and (len(own.split()) > 1 or not is_word(own)) and own.casefold() not in _GENERIC_SCHOOL
    return Span(start, end, "school", pseudonym, "school", (own, "school", pseudonym) if learnt else None)


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


def uncertain_spans(text: str, key: bytes) -> Iterator[Span]:
    """Capitalised words inside a sentence (not its first) that are no known word, no term and no
    wording of the form: perhaps a name, redacted as "Person XXXXXX" and counted as uncertain. Words
    side by side are one name ("Sara Boyd"), and so is a capitalised word just before such a word,
    even a sentence's first or an English word ("Jackie Holroyd", "Social worker: Tom Briggs"),
    unless it is a term, a title or a little word ("Then Briggs")."""
    for group in _name_groups(text):
        if len(group) == 1 and (_starts_sentence(text, group[0].start()) or _a_country(text, group[0])
                                or _a_rating(text, group[0])):
            continue
        end = group[-1].start() + len(POSSESSIVE.sub("", group[-1][0]))
        name = text[group[0].start():end]
        replacement = keys.pseudonym(key, "uncertain-name", name, ROLE_OF["uncertain-name"])
        parts = tuple(POSSESSIVE.sub("", m[0]) for m in group if not is_word(m[0]) or is_given_name(m[0])) \
            if len(group) > 1 else ()
        parts += initials([POSSESSIVE.sub("", m[0]) for m in group], bare_if_parts_are_words=False)
        yield Span(group[0].start(), end, "uncertain-name", replacement, "uncertain-name",
                   (name, "uncertain-name", replacement), parts)


# Words before a country's name that say it is the place, and only those ("born in India", "lives in
# Georgia", "moved from Jordan", "a holiday in Israel", "family in Chad"); a bare "in", "into", "visit" or
# "went to" says nothing ("confides in Georgia", "visits Jordan", "interested in Jordan", "went to Jordan").
_AS_PLACE = re.compile(
    r"(?i:\b(?:born|li(?:ve[sd]?|ving)|holidays?|holidaying|family|relatives|grew\s+up|brought\s+up|raised"
    r"|settled|citizens?|nationals?|refugees?|war|conflict)\s+in"
    r"|\b(?:originally|moved?|moving|fled|flee(?:s|ing)?|arrived?|arriving|emigrated|emigrating|relocated"
    r"|refugees?|family|relatives)\s+from"
    r"|\b(?:moved?|moving|emigrated|emigrating|relocated|flew|fl(?:y|ies|ying)|travel(?:s|led|ling)?|trips?"
    r"|holidays?|deported)\s+to)\s+$"
)


def _a_country(text: str, word: re.Match[str]) -> bool:
    """A country that is also a first name, written as the place: "moved from Jordan", "born in India",
    "lives in Georgia" stay; elsewhere ("plays with Jordan", "visits Jordan", "Chad helps") it is a name:
    a person named after a country is more likely in a plan than the country, and a country alone
    identifies no one, so where the words do not say which, it goes (over-redaction, the safe side)."""
    return word[0] in countries_named() and _AS_PLACE.search(text, max(0, word.start() - 40), word.start()) is not None


# First names that are also a rating's colour, and what says a rating near them ("rated Amber",
# "Red, Amber or Green", "RAG: Amber"): without it "Amber" is a person ("plays with Amber").
_RATING_NAMES = frozenset({"Amber"})
_RATING = re.compile(r"\b(?:Red|Green|RAG|[Rr]ated|[Rr]ating|RAG-rated)\b")


def _a_rating(text: str, word: re.Match[str]) -> bool:
    """A colour that is also a first name, used as a rating within the same few words."""
    return word[0] in _RATING_NAMES and _RATING.search(text, max(0, word.start() - 40), word.end() + 40) is not None


def _name_groups(text: str) -> list[list[re.Match[str]]]:
    """Runs of capitalised words, one space apart, that hold a word that is no known word."""
    runs: list[list[re.Match[str]]] = []
    for m in _CAPITALISED.finditer(text):
        if not m[0][0].isupper():
            continue  # a letter with no case ("中标", "πʬ"): UP is "no a-z", so a script without capitals matches
        if runs and text[runs[-1][-1].end():m.start()] == " " and not POSSESSIVE.search(runs[-1][-1][0]):
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
