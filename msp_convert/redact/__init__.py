"""Redacted copies of a plan: the same model with nobody in it (issue 18).

``redact(plan, key)`` returns a new ``Plan`` of the same shape, every string
walked (``walk``) and each identifying span replaced; it works on the model in
memory and writes nothing. What goes, and what it becomes:

- the child's name, parts of it, known-as, initials, possessives -> "Child XXXXXX"
  ("Kai's" -> "Child 7KQXM2's"); family -> "Parent XXXXXX" ("Relative XXXXXX" for
  a sibling, grandparent... named after the relation); staff -> their role when
  the text gives one beside the name ("Mrs Rowe (Class teacher)" -> "Class
  teacher"), else "Staff XXXXXX"; schools and settings -> "School XXXXXX"; a
  capitalised word inside a sentence that is no known word (and a friend named
  after "my friend") -> "Person XXXXXX", counted as uncertain and warned about
  ("redaction-uncertain", where = the field paths).
  XXXXXX is keyed (``keys``): the same person gets the same pseudonym in every
  plan redacted with one key, and nobody can say who it is without the key.
  Two passes: the first learns the names found beside a title or a relation,
  the uncertain ones and schools' own names; the second redacts them wherever
  written, alone too (a struck fragment, a table cell, a sentence's first word).
- the date of birth -> the 1st of its month (key stage, by the 1 September
  cut-off, and age in years stay true at any date outside the birth month);
  written in text, in any format -> "[date of birth]".
- UPN, ULN, NHS number, address, postcode, phone, e-mail -> "[UPN]", "[ULN]",
  "[NHS number]", "[address]", "[postcode]", "[phone]", "[email]": validated by
  their check characters (python-stdnum; ULN by the LRS check digit) or by
  phonenumbers; a number beside its label that fails its check is replaced too
  and counted as uncertain. One 10-digit number in eleven passes the NHS check:
  without "NHS" before it, a valid UK phone number is the phone, any other is
  "[NHS number]" counted as uncertain (its label may be in the cell beside it).
  A web address that names the school or a person ("www.<school>.example.org/send",
  a UK school's ".sch.uk") -> "[web address]", counted as the kind it names; other
  web addresses stay.
- first names that are also words ("Poppy", "Daisy": Faker's lists of given
  names) are names inside a sentence unless an ordinary word stands beside them
  ("Golden Time"); a country that is also a first name ("Jordan") is a name
  unless the words before it say the place ("moved from Jordan").
- ``source``: the file name becomes the stem (``Redacted.stem``) and the format,
  the sha256 HMAC-SHA256(key, sha256) in hex; pages kept.

Everything else stays exactly: needs, outcomes, provision and costs, ticks,
struck and withdrawn entries, review markers and their dates, other dates (they
date the plan's events, not the child; with the date of birth gone they
identify no one), the template. ``coverage``: its word counts changed by the
words each replacement adds or takes away, as mapping.coverage would count
them afresh (a module on this floor, so not imported here); its verdict kept.
Nothing of the removed text is in any message.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..model import Plan
from ..results import Message, Result
from . import keys
from .keys import new_key, read_key
from .people import cast
from .recognisers import Finder
from .spans import watching_timeouts
from .walk import WORD, Tally, redact_fields, redact_string

__all__ = ["KINDS", "Redacted", "RedactionIncomplete", "new_key", "read_key", "redact"]

KINDS: tuple[str, ...] = ("child", "date-of-birth", "upn", "uln", "nhs-number", "address", "postcode", "phone",
                          "email", "family", "staff", "school", "uncertain-name")
UNCERTAIN = "redaction-uncertain"


class RedactionIncomplete(InputError):
    """A recogniser gave up on a text (presidio's regex time-out): the plan is not known to be clean."""

    code = "redaction-incomplete"


@dataclass(frozen=True)
class Redacted:
    plan: Plan  # the redacted model: a valid Plan, the same shape
    counts: dict[str, int]  # every kind in KINDS: replacements made (each occurrence counts)
    stem: str  # "plan-" + 10 base32 characters of HMAC(key, source.sha256)


def redact(plan: Plan, key: bytes) -> Result[Redacted]:
    """``plan`` with nobody in it; warnings: "redaction-uncertain" (how many uncertain names, and where).
    Raises ``RedactionIncomplete`` if a recogniser gave up on a text (presidio's regex time-out, which it
    logs and passes over: watched here whatever its log level): never a copy that may hold a name."""
    with watching_timeouts() as gave_up:
        result = _redact(plan, key)
    if gave_up:
        raise RedactionIncomplete("a text took too long to search for personal data; the plan was not redacted")
    return result


def _redact(plan: Plan, key: bytes) -> Result[Redacted]:
    people = cast(plan, key)
    born, setting = plan.child.date_of_birth, plan.child.setting
    first = Finder(key, people, born, setting)
    first.find(setting or "")  # the setting's own name word ("Hollinbrook") first: it is the school's
    redact_fields(plan.model_dump(mode="python"), first, Tally({kind: 0 for kind in KINDS}))  # learns names
    finder = Finder(key, people, born, setting, first.learned)
    tally = Tally({kind: 0 for kind in KINDS})
    data = redact_fields(plan.model_dump(mode="python"), finder, tally)
    child = next((p.pseudonym for p in people.people if p.kind == "child"), None)
    data["child"] = _child(plan, finder, tally, child)
    stem = keys.file_stem(key, plan.source.sha256)
    data["source"] = {**data["source"], "filename": f"{stem}.{plan.source.format}",
                      "sha256": keys.source_digest(key, plan.source.sha256)}
    data["coverage"] = _coverage(data["coverage"], tally)
    messages = _warn(tally)
    data["warnings"] = data["warnings"] + [{"code": m.code, "message": m.message, "where": m.where} for m in messages]
    return Result(Redacted(Plan.model_validate(data), dict(tally.counts), stem), list(messages))


def _child(plan: Plan, finder: Finder, tally: Tally, pseudonym: str | None) -> dict:
    """The child's fields: name and known-as the child's pseudonym, the UPN "[UPN]", the date of birth
    the 1st of its month; setting and year group through the recognisers."""
    child = plan.child.model_dump(mode="python")
    replaced = {"name": pseudonym, "known_as": pseudonym, "upn": "[UPN]"}
    for name, kind in (("name", "child"), ("known_as", "child"), ("upn", "upn")):
        if child[name] and not keys.is_pseudonym(child[name]):
            new = replaced[name] or "[child]"
            tally.words["placed"] += len(WORD.findall(new)) - len(WORD.findall(child[name]))
            child[name] = new
            tally.counts[kind] += 1
    if child["date_of_birth"]:
        child["date_of_birth"] = child["date_of_birth"].replace(day=1)
        tally.counts["date-of-birth"] += 1
    for name in ("setting", "year_group"):
        if child[name]:
            child[name] = redact_string(child[name], f"child.{name}", finder, tally, "placed")
    return child


def _coverage(coverage: dict, tally: Tally) -> dict:
    """The counts changed by the words the replacements added or took away (exact for a plan whose
    coverage was counted; mapping.coverage, which counts afresh, is on this floor and not importable)."""
    counts = {k: max(0, coverage[k] + tally.words[k]) for k in ("placed", "in_sections", "unmapped")}
    return {**coverage, **counts, "words": sum(counts.values())}


def _warn(tally: Tally) -> list[Message]:
    n = tally.counts["uncertain-name"]
    if not n:
        return []
    text = (f"{n} {'words that may be names or numbers were' if n != 1 else 'word that may be a name or number was'}"
            " redacted without certainty; check the places named against the original.")
    return [Message(UNCERTAIN, text, "; ".join(dict.fromkeys(tally.uncertain)))]
