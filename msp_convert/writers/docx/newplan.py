"""The "new" My Support Plan made at the third review, as a model.

The template's key: at the 3rd review "all sections of My Support Plan are
fully reviewed and updated to produce a 'new' My Support Plan. No history of
amendments need to be shown". So the new plan is the old one with:

- withdrawn entries left out (a withdrawn outcome statement leaves its
  outcome without a statement: its number, areas and ticks stay, so that
  provision still has its outcome; the school deletes the row if it is gone);
- struck fragments cut out of the entries that keep the rest;
- review markers ("R1 12/03/2019") removed;
- ``plan_number`` one higher (a plan with no number is plan 1, so this is 2);
- no reviews, and the unmapped text that was found in the review tables left
  out with them (it was about those reviews);
- with ``renumber``, outcomes numbered 1..n in order and each provision row
  following its outcome's new number (rows whose outcome is not in the plan
  are numbered on after the last outcome).

Everything else (child, tick boxes, helpers, consent, appendices, the other
unmapped text) is carried forward as it stands.
"""

from __future__ import annotations

from typing import Optional

from ...model import Entry, Plan, PlanDates, Progress

# Unmapped text found here is review history, not part of the new plan.
REVIEW_WHERE = "section 6 review"
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


def new_plan(plan: Plan, renumber: bool = False) -> Plan:
    """The new plan the third review asks for (see the module's docstring)."""
    new = plan.model_copy(deep=True)
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
    for kept in new.sections:
        kept.entries = current_entries(kept.entries)
    # The next plan is a new plan: its own dates are to fill in; the first plan's date carries on.
    new.plan_dates = PlanDates(initial_plan=plan.plan_dates.initial_plan or plan.plan_dates.this_plan)
    new.reviews = []
    new.unmapped = [u for u in new.unmapped if u.where != REVIEW_WHERE]
    new.warnings = [w for w in new.warnings if w.where != REVIEW_WHERE and w.code not in ("tracked-deletion", "tick-box-unknown")]
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


__all__ = ["new_plan", "renumber_outcomes", "current_entry", "without_fragments", "REVIEW_WHERE"]
