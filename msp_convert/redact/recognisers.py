"""Finding what identifies someone in a text: every recogniser, set up for one plan (``Finder``).

The recognisers are in ``numbers`` (presidio's, for numbers, contacts and
places, and ours beside them: UPN, ULN, NHS number, phone, e-mail, postcode,
street and web addresses, the date of birth) and ``names`` (the names the model
gives, titles, relations, schools, uncertain names); ``spans`` settles what they
find. A pseudonym or placeholder already written (a plan redacted twice) is kept
as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import chain
from typing import Iterator, Optional

from . import keys
from .names import NameList, person_spans, relation_spans, school_span, school_spans, title_spans, uncertain_spans
from .numbers import (address_spans, born_spans, dob_recogniser, labelled_spans, nhs_spans, presidio_recognisers,
                      presidio_spans, web_spans)
from .people import Cast, Person
from .spans import PLACEHOLDER, Span, Taken, in_pieces, merged, resolve, watched
from .words import is_word

__all__ = ["Finder"]

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
        self.names = NameList(forms) if forms else None
        self.dob = watched(dob_recogniser(born)) if born else None
        self.named = _named(self.by_form, setting)
        self.learned: dict[str, Person] = {}

    def candidates(self, text: str) -> Iterator[Span]:
        yield from (Span(m.start(), m.end(), "kept", m[0], "kept") for m in keys.WRITTEN.finditer(text))
        yield from person_spans(text, self.names, self.by_form, self.key)
        yield from labelled_spans(text)
        yield from presidio_spans(text, presidio_recognisers())
        yield from nhs_spans(text)
        if self.dob is not None:
            yield from (Span(f.start, f.end, "date-of-birth", PLACEHOLDER["date-of-birth"], "date-of-birth")
                        for f in self.dob.analyze(text, self.dob.supported_entities, None))
        yield from born_spans(text)
        yield from address_spans(text)
        yield from title_spans(text, self.key, self.cast)
        yield from relation_spans(text, self.key, self.by_form)
        yield from school_spans(text, self.key, self.setting)

    def find(self, text: str) -> list[Span]:
        """The spans to replace, in order, none overlapping: the longer wins, then the earlier in PRIORITY;
        then the uncertain names among the words left."""
        # web addresses on the whole text (one linear pattern): one may be longer than the pieces' overlap
        chosen = resolve(chain(in_pieces(text, self.candidates), web_spans(text, self.named)), text)
        taken = Taken(chosen)
        chosen += [s for s in in_pieces(text, lambda window: uncertain_spans(window, self.key)) if taken.add(s)]
        for span in chosen:
            if span.learn:
                form, kind, pseudonym = span.learn
                for written in (variant for one in (form, *span.also) for variant in _cases(one)):
                    self._learn(written, Person(kind, keys.normalise(form), (written,), pseudonym))
        return merged(sorted(chosen, key=lambda s: s.start), text)

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
        learnt = school_span(setting, 0, len(setting.strip()), b"").learn
        schools.append((learnt[0] if learnt else setting, "school"))
    people = [(f, p.kind) for f, p in by_form.items() if p.kind != "school" and not is_word(f)]
    for form, kind in schools + people:
        token = re.sub(r"[\W_]", "", form.casefold())
        if len(token) >= 3:  # a short one ("kai") only as a word of the address (web_spans)
            named.setdefault(token, kind)
    return named


def _cases(form: str) -> tuple[str, ...]:
    """A learnt name as written, and in capitals or as a name from capitals ("Tomasz", "TOMASZ"), when it
    is no English word (a capitalised "Mark" is learnt; "MARK" in a heading is left)."""
    if len(form) < 3 or is_word(form) or not form[0].isupper():
        return (form,)
    return (form, form.title() if form.isupper() else form.upper())
