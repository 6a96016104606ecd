"""The "new" My Support Plan made at the third review (or a York plan's next), as a model.

The template's key: at the 3rd review "all sections of My Support Plan are
fully reviewed and updated to produce a 'new' My Support Plan. No history of
amendments need to be shown". So the new plan is the old one with:

- withdrawn entries left out (a withdrawn outcome statement leaves its
  outcome without a statement: its number, areas and ticks stay, so that
  provision still has its outcome; the school deletes the row if it is gone);
- struck fragments cut out of the entries that keep the rest;
- review markers ("R1 12/03/2019") removed;
- ``plan_number`` one higher (a plan with no number is plan 1, so this is 2),
  on a form that prints a plan number (``Profile.plan_number``; York's does not);
- no reviews, and the parts that record a review (``Section.history``: York's
  1.4 and 2.6 contributions and its contents' dates) empty; the unmapped text
  found in the review tables or those parts left out with them (it was about
  those reviews);
- the plan's own dates to fill in, the first plan's date carried;
- with ``renumber``, outcomes numbered 1..n in order and each provision row
  following its outcome's new number (rows whose outcome is not in the plan
  are numbered on after the last outcome).

Everything else (child, tick boxes, helpers, consent, appendices, the other
unmapped text) is carried forward as it stands. The form is the plan's own
(``profile_of``) unless another profile is given.
"""

from __future__ import annotations

from typing import Optional

from ...model import Entry, Plan, PlanDates, Progress
from ...template import DEFAULT_PROFILE, Profile, profile_named

# Unmapped text found here is review history, not part of the new plan (the Kirklees form's reviews).
REVIEW_WHERE = DEFAULT_PROFILE.section("reviews").where
_CLOSERS = " \t\n.,;:!?)"


def without_fragments(text: str, fragments: list[str]) -> str:
    """``text`` with each struck fragment cut out (in order), and the space before it.

    "a ~~b~~ c" gives "a c", "a ~~b~~." gives "a."; only the places cut are
    tidied, the rest of the text stays as written.
    """
    out = text
    at = 0
    for fragment in fragments:
        found = out.find(fragment, at) if fragment else -1
        if found < 0 and fragment:
            found = out.find(fragment)
        if found < 0:
            continue
        before, after = out[:found], out[found + len(fragment):]
        if before.endswith((" ", "\t")) and (not after or after[0] in _CLOSERS):
            before = before.rstrip(" \t")
        out = before + after
        at = len(before)
    lines = (line.strip(" \t") for line in out.split("\n"))
    return "\n".join(line for line in lines if line)


def current_entry(entry: Entry) -> Optional[Entry]:
    """What is still in place of one entry, with no history; None if withdrawn."""
    if entry.withdrawn:
        return None
    text = without_fragments(entry.text, entry.struck) if entry.struck else entry.text
    if not text:
        return None
    return Entry(text=text)


def current_entries(entries: list[Entry]) -> list[Entry]:
    return [e for e in (current_entry(x) for x in entries) if e is not None]


def _clean_lists(obj) -> None:
    """Every list of Entry in a section object, in place."""
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        if isinstance(value, list) and value and isinstance(value[0], Entry):
            setattr(obj, name, current_entries(value))


def profile_of(plan: Plan) -> Profile:
    """The profile the plan was read with; the Kirklees form for "unknown" or an id not packaged."""
    return profile_named(plan.template.id)


def history_of(profile: Profile) -> tuple[set[str], set[str]]:
    """Where review history is on this form: the ``where`` of its review parts, and the keys of its kept ones."""
    parts = [s for s in profile.sections if s.role == "reviews" or s.history]
    return {s.where for s in parts}, {f"{profile.name}/{s.key}" for s in parts}


def new_plan(plan: Plan, renumber: bool = False, profile: Optional[Profile] = None) -> Plan:
    """The new plan the third review asks for (see the module's docstring)."""
    profile = profile or profile_of(plan)
    wheres, keys = history_of(profile)
    new = plan.model_copy(deep=True)
    if profile.plan_number:
        new.plan_number = (plan.plan_number or 1) + 1
    for section in (new.profile, new.story, new.family, new.parent_views, new.needs):
        _clean_lists(section)
    new.health_needs = current_entries(new.health_needs)
    new.social_care_needs = current_entries(new.social_care_needs)
    for outcome in new.outcomes:
        if outcome.statement is not None:
            outcome.statement = current_entry(outcome.statement)
    for provision in new.provision:
        _clean_lists(provision)
    # A row with nothing left in place is not in the new plan.
    new.provision = [p for p in new.provision if p.steps or p.targets or p.actions or p.who or p.frequency or p.resources]
    new.sections = [kept for kept in new.sections if kept.key not in keys]
    for kept in new.sections:
        kept.entries = current_entries(kept.entries)
    # The next plan is a new plan: its own dates are to fill in; the first plan's date carries on.
    new.plan_dates = PlanDates(initial_plan=plan.plan_dates.initial_plan or plan.plan_dates.this_plan)
    new.reviews = []
    new.unmapped = [u for u in new.unmapped if u.where not in wheres]
    new.warnings = [w for w in new.warnings if w.where not in wheres and w.code not in ("tracked-deletion", "tick-box-unknown")]
    if renumber:
        renumber_outcomes(new)
    return new


def renumber_outcomes(plan: Plan) -> None:
    """Outcomes 1..n in order; provision follows its outcome's new number."""
    mapping: dict[int, int] = {}
    for index, outcome in enumerate(plan.outcomes, start=1):
        mapping.setdefault(outcome.number, index)
        outcome.number = index
    spare = len(plan.outcomes)
    orphans: dict[int, int] = {}
    for provision in plan.provision:
        old = provision.outcome_number
        if old in mapping:
            provision.outcome_number = mapping[old]
        else:
            if old not in orphans:
                spare += 1
                orphans[old] = spare
            provision.outcome_number = orphans[old]
    for review in plan.reviews:  # none in a new plan; kept consistent for callers
        review.progress = [Progress(outcome_number=mapping.get(p.outcome_number, p.outcome_number), text=p.text, rating=p.rating) for p in review.progress]


__all__ = ["new_plan", "profile_of", "renumber_outcomes", "current_entry", "without_fragments", "REVIEW_WHERE"]
