"""Who the model says is named where, and the pseudonym each of them gets.

- the child: ``child.name`` and ``known_as`` (every part of the name, the
  initials "K.D." / "K. D." / "KD", upper-case forms), as "Child XXXXXX";
- the family: ``consent_signed_by``, and every ``helper`` unless the text gives
  a staff role ("Mrs Lewis (SENCO)", "Mrs Lewis, SENCO"), as "Parent XXXXXX"
  (a helper "Mum (Sarah)" is Sarah);
- staff: people named in provision's "who" entries and helpers with a role,
  as "Staff XXXXXX" (a role written beside the name replaces name and role:
  "Mrs Shah (TA)" -> "TA", which ``names`` does wherever it is written).

Each person's names become a deny-list for the text recognisers, matched in
the case written, upper case, and lower case when no part of the name is an
English word ("kai"). An adult's name part that is an English word ("Mrs
Green") is matched only with the rest of the name. A surname shared with the
child (a parent's) stays the child's when written alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Optional

from ..model import Plan
from . import keys
from .words import is_word, not_names

ROLE_OF = {"child": "Child", "family": "Parent", "staff": "Staff", "school": "School", "uncertain-name": "Person"}
TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Rev|Revd)\.?"
_PAREN = re.compile(r"^\s*(?P<name>[^()]*?)\s*\((?P<inner>[^()]*)\)\s*$")
_COMMA = re.compile(r"^\s*(?P<name>[^,()]*?)\s*[,\u2013\u2014-]\s*(?P<inner>[^,()]+?)\s*$")
# Words that say a staff role when a helper's text holds them (in its brackets or beside the name).
STAFF_WORDS = frozenset(
    "teacher ta tas hlta lsa senco sendco senco's elsa qtvi qthi assistant therapist mentor tutor adviser advisor"
    " officer supervisor head headteacher deputy nurse paediatrician psychologist worker practitioner key"
    " keyworker coordinator co-ordinator lead manager support staff teaching learning class form bilingual"
    " physiotherapist doctor gp clinician consultant specialist instructor coach".split()
)


@dataclass(frozen=True)
class Person:
    kind: str  # "child", "family", "staff"
    identity: str  # normalised name: what the pseudonym is keyed by
    forms: tuple[str, ...]  # the ways the plan writes the name, longest first
    pseudonym: str
    surname: str = ""  # the last part of the name, when it has two or more


@dataclass(frozen=True)
class Cast:
    people: tuple[Person, ...]

    def by_form(self) -> dict[str, Person]:
        """Every written form and its person: the child's first, then the family's, then staff's."""
        out: dict[str, Person] = {}
        for person in self.people:
            for form in person.forms:
                out.setdefault(form, person)
        return out

    def adult(self, name: str) -> Optional[Person]:
        """The family member or staff the cast knows by this name (full, or surname with a title)."""
        identity = keys.normalise(name)
        surname = identity.split()[-1:] or [""]
        for person in self.people:
            if person.kind != "child" and (person.identity == identity or person.identity.split()[-1:] == surname):
                return person
        return None


def name_words(text: str) -> list[str]:
    """The parts of a person's name when ``text`` is one ("Mrs Grant", "Grace Okoro", "Mr and Mrs Price"):
    it has a title, or every word is capitalised ("and" aside) and one is no known word. Else []."""
    words = re.findall(r"[\w'\u2019\-]+\.?", text)
    titled = any(re.fullmatch(TITLE, w) for w in words)
    capitalised = all(w[0].isupper() or w == "and" for w in words)
    # an all-capital short word is an acronym ("EAL TA"), not a name
    parts = [w.rstrip(".") for w in words if w[0].isupper() and not re.fullmatch(TITLE, w) and not _acronym(w)]
    if not parts or not (titled or (capitalised and not all(is_word(p) for p in parts))):
        return []
    return [p for p in parts if p.casefold() not in not_names()]


def _acronym(word: str) -> bool:
    return word.isupper() and len(word.rstrip(".")) <= 4 and "." not in word


def split_role(text: str) -> tuple[str, Optional[str]]:
    """"Mrs Lewis (SENCO)", "Mrs Lewis, SENCO" -> ("Mrs Lewis", "SENCO"); no role beside it -> (text, None)."""
    for form in (_PAREN, _COMMA):
        m = form.match(text)
        if m and is_role(m["inner"]):
            return m["name"], m["inner"].strip()
    m = _PAREN.match(text)
    if m and _is_relation(m["name"]) and name_words(m["inner"]):
        return m["inner"].strip(), None  # "Mum (Sarah)": the name is Sarah
    return text.strip(), None


def _is_relation(text: str) -> bool:
    words = re.findall(r"[\w'\-]+", text)
    return bool(words) and all(w.casefold() in not_names() or w.casefold() in ("my", "his", "her") for w in words)


def is_role(text: str) -> bool:
    words = re.findall(r"[\w'\-]+", text.casefold())
    return bool(words) and any(w in STAFF_WORDS for w in words) and not name_words(text)


def initials(names: list[str], bare_if_parts_are_words: bool = True) -> tuple[str, ...]:
    """"Noor Haddad" -> "N.H.", "N. H.", and "NH" unless "NH" is an English word (nor, when not
    ``bare_if_parts_are_words``, any part of the name: an uncertain name's "Rose Lane" is no "RL")."""
    letters = [n[0] for n in names]
    if len(letters) < 2:
        return ()
    bare = "".join(letters)
    plain = not is_word(bare) and (bare_if_parts_are_words or not any(is_word(n) for n in names))
    return (".".join(letters) + ".", ". ".join(letters) + ".") + ((bare,) if plain else ())


def _forms(name: str, parts: list[str], terms: bool = False) -> list[str]:
    """A name as the plan may write it: whole, without its title, each part, upper-case; longest first.
    A part that is a term or the form's wording ("May", "Will", "Reading") is left out unless ``terms``
    (the child's name: every part of it goes, over-redaction being the safe side)."""
    whole = name.strip()
    plain = re.sub(rf"^{TITLE}\s+", "", whole)
    forms = [whole, plain] + [p for p in parts if len(p) > 1]
    forms += [p[0] + p[1:].lower() for p in parts if len(p) > 1 and p.isupper()]  # "DAWSON, Kai": Dawson too
    forms += [f.upper() for f in forms if len(f) > 2]
    # written in lower case ("my name is kai"), when no part of it is an English word
    forms += [f.lower() for f in forms if len(f) > 2 and not any(is_word(w) for w in re.findall(r"[\w'\u2019\-]+", f))]
    return sorted({f for f in forms if f and (terms or f.casefold() not in not_names())}, key=len, reverse=True)


def _person(key: bytes, kind: str, name: str, parts: list[str], extra: tuple[str, ...] = ()) -> Person:
    identity = keys.normalise(name)
    forms = tuple(dict.fromkeys(_forms(name, parts, terms=kind == "child") + list(extra)))
    written = re.findall(r"[\w'\u2019\-]+", name)
    surname = written[-1] if len(written) > 1 and written[-1] in forms else ""
    return Person(kind, identity, forms, keys.pseudonym(key, kind, identity, ROLE_OF[kind]), surname)


def _child(plan: Plan, key: bytes) -> Iterator[Person]:
    """The child, named by the model: every capitalised part of the name is the child's, word or not."""
    written = (plan.child.name, plan.child.known_as)
    name = next((n for n in written if n and keys.normalise(n) and not keys.is_pseudonym(n)), None)
    if name is None:
        return  # no name, or only what a redaction gave already
    parts = [p for p in re.findall(r"[\w'\u2019\-]+", name) if p[0].isupper()]
    known_as = plan.child.known_as or ""
    extra = _forms(known_as, re.findall(r"[\w'\u2019\-]+", known_as), terms=True) + list(initials(parts))
    yield _person(key, "child", name, parts, tuple(extra))


def _adults(plan: Plan) -> Iterator[tuple[str, str]]:
    """(kind, name) of each adult the model names: the signature, helpers, provision's "who"."""
    if plan.consent_signed_by:
        yield "family", plan.consent_signed_by
    for part in (plan.profile, plan.story, plan.family, plan.parent_views):
        if part.written_by.helper:
            for text in _each(part.written_by.helper):
                name, role = split_role(text)
                yield ("staff" if role or _titled_staff(name) else "family"), name
    for provision in plan.provision:
        for entry in provision.who:
            for text in _each(entry.text):
                name, _ = split_role(text)
                if name_words(name):
                    yield "staff", name


def _each(text: str) -> list[str]:
    """"Mrs Shah and Mr Osei" -> two people; "Mr and Mrs Price" (a name shared) -> one."""
    pieces = [p for p in re.split(r"\s+(?:and|&)\s+|;\s*|,\s*(?=[A-Z])", text) if p.strip()]
    return pieces if len(pieces) > 1 and all(name_words(p) for p in pieces) else [text]


def _titled_staff(name: str) -> bool:
    words = re.findall(r"[\w'\-]+", name.casefold())
    return any(w in STAFF_WORDS for w in words)


def cast(plan: Plan, key: bytes) -> Cast:
    """Everyone the model names, each once (by identity), the child first."""
    people = list(_child(plan, key))
    seen = {p.identity for p in people}
    for kind, name in _adults(plan):
        if not name_words(name) or keys.normalise(name) in seen:
            continue
        seen.add(keys.normalise(name))
        # an adult's name part that is also a word ("Mrs Green") is matched only with the rest of the name
        people.append(_person(key, kind, name, [p for p in name_words(name) if not is_word(p)]))
    return Cast(tuple(people))
