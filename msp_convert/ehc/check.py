"""Is the plan ready to go with a request for an EHC needs assessment, and why not?

The template's guidance: the plan must be fully completed and reviewed, the
reviews must show what was put in place and what difference it made, and the
plan goes with its evidence. Each gap is a finding that names the section;
a plan is ready when no finding blocks it. The costs set what the provision
still in place costs a year against the school's notional SEN threshold.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from ..model import Entry, Outcome, Plan
from ..template import DEFAULT_PROFILE, Profile
from .costs import Costs, plan_costs
from .evidence import Matched, evidence_files, match, references

SECTION_1 = ("profile", "story", "family", "parent_views")
AREAS = ("cognition_and_learning", "communication_and_interaction", "social_emotional", "sensory_physical", "preparing_for_adulthood")
REVIEW_QUESTIONS = (
    ("working_well", "what is working well"),
    ("not_working", "what is not working well"),
    ("new_to_introduce", "what new should be introduced"),
)


@dataclass
class Finding:
    code: str
    where: str
    message: str
    blocking: bool = True


@dataclass
class Readiness:
    ready: bool
    findings: list[Finding]
    costs: dict[str, Any]
    reviews: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    evidence_checked: bool = False  # an evidence folder was given
    unmatched_files: list[str] = field(default_factory=list)
    refused_files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _live(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if not e.withdrawn]


def check_plan(
    plan: Plan,
    *,
    min_reviews: int = 2,
    weeks: int = 38,
    threshold: Decimal = Decimal(6000),
    evidence_dir: Optional[Path] = None,
    evidence: Optional[tuple[list[Matched], list[str], list[str]]] = None,
    profile: Profile = DEFAULT_PROFILE,
) -> Readiness:
    """The findings; ``evidence`` is (matched, unmatched, refused) when the caller
    matched the folder already (the bundle, with a person's ``--map``)."""
    findings: list[Finding] = []
    current = [o for o in plan.outcomes if o.statement is None or not o.statement.withdrawn]
    findings += _read(plan)
    findings += _completed(plan, profile)
    findings += _outcomes(plan, current)
    findings += _reviewed(plan, current, min_reviews)
    costs = plan_costs(plan, weeks)
    findings += [
        Finding("cost-unreadable", f"section 5 provision {entry.outcome_number}",
                f"Resources entry {entry.index}: its cost could not be read as a weekly amount.", blocking=False)
        for entry in costs.unreadable
    ]
    refs = references(plan)
    if not refs:
        findings.append(Finding("no-evidence", "section 7", "Section 7 lists no documents that inform the plan."))
    if evidence is None and evidence_dir is not None:
        files, refused = evidence_files(evidence_dir)
        evidence = (*match(refs, files), refused)
    matched, unmatched, refused = evidence if evidence is not None else ([Matched(r, None) for r in refs], [], [])
    if evidence is not None:
        findings += _evidenced(matched, refused)
    return Readiness(
        ready=not any(f.blocking for f in findings),
        findings=findings,
        costs=_costs_summary(costs, threshold),
        reviews=[{"label": r.label, "date": r.date.isoformat() if r.date else None, "outcomes_with_progress": len(r.progress)} for r in plan.reviews],
        evidence=[{
            "category": m.reference.category, "index": m.reference.index, "reference": m.reference.reference,
            "date": m.reference.date.isoformat() if m.reference.date else None, "file": m.file,
        } for m in matched],
        evidence_checked=evidence is not None,
        unmatched_files=unmatched,
        refused_files=refused,
    )


def _read(plan: Plan) -> list[Finding]:
    """What the reader could not place: the check sees only the form's fields, so a person looks at the rest."""
    coverage = plan.coverage
    if coverage.verdict == "complete" or not coverage.words:
        return []
    share = coverage.placed * 100 // coverage.words
    kept = f"; {len(plan.sections)} part(s) under headings the form does not have" if plan.sections else ""
    return [Finding(
        "read-" + coverage.verdict, "plan",
        f"Read as {coverage.verdict}: {share} % of what is written is in the form's fields{kept}. "
        "This check cannot see the rest ('sections', 'unmapped'); read them before sending.",
        blocking=False,
    )]


def _completed(plan: Plan, profile: Profile) -> list[Finding]:
    """Section 1 a-d, Section 2, Sections 3 and 4, consent."""
    out = []
    if not plan.consent_signed_by:
        out.append(Finding("consent-not-signed", "introduction", "The parent/carer has not signed the plan (Signed by parent/carer)."))
    for key in SECTION_1:
        section = profile.section(key)
        part = getattr(plan, key)
        ticks = part.written_by
        if not any(getattr(ticks, name) for name in ("me", "me_with_help", "parent", "carer")):
            out.append(Finding("written-by-missing", section.where, "No box says who wrote this part."))
        for prompt in section.prompts:
            if prompt.field and prompt.kind == "entries" and not _live(getattr(part, prompt.field)):
                out.append(Finding("not-completed", section.where, f"Nothing is written under \u201c{prompt.wording.rstrip(':')}\u201d."))
    needs = plan.needs
    if not _live(needs.summary):
        out.append(Finding("not-completed", "section 2", "The summary of needs is empty."))
    if not any(_live(getattr(needs, a)) for a in AREAS):
        out.append(Finding("not-completed", "section 2", "No area of need is described."))
    for name, where in (("health_needs", "section 3"), ("social_care_needs", "section 4")):
        if not _live(getattr(plan, name)):
            out.append(Finding("empty-section", where, "This section is empty; write \u201cnone\u201d if there are no such needs.", blocking=False))
    return out


def _outcomes(plan: Plan, current: list[Outcome]) -> list[Finding]:
    """Each outcome in place, and the provision that meets it."""
    out = []
    if not current:
        out.append(Finding("no-outcomes", "section 5 outcomes", "The plan has no outcomes."))
    provision = {p.outcome_number: p for p in plan.provision}
    for outcome in current:
        where = f"section 5 outcome {outcome.number}"
        if outcome.statement is None:
            out.append(Finding("not-completed", where, "The outcome has no statement of what the child will be able to do."))
        if not outcome.areas_of_need:
            out.append(Finding("not-completed", where, "The outcome names no area of need.", blocking=False))
        row = provision.get(outcome.number)
        if row is None:
            out.append(Finding("no-provision", where, "No provision row meets this outcome."))
            continue
        for column, label in (("who", "who will do it"), ("frequency", "how often"), ("resources", "what resources")):
            if not _live(getattr(row, column)):
                out.append(Finding("provision-incomplete", f"section 5 provision {outcome.number}", f"The provision does not say {label}."))
    return out


def _reviewed(plan: Plan, current: list[Outcome], min_reviews: int) -> list[Finding]:
    """Enough dated reviews, each with progress on every outcome and the questions answered."""
    out = []
    dated = [r for r in plan.reviews if r.date is not None]
    if len(dated) < min_reviews:
        out.append(Finding("too-few-reviews", "section 6 review", f"{len(dated)} dated review(s); a request needs at least {min_reviews}."))
    for review in plan.reviews:
        where = f"section 6 review {review.label}"
        if review.date is None:
            out.append(Finding("review-undated", where, "The review has no date."))
        recorded = {p.outcome_number for p in review.progress if _live(p.text)}
        missing = [o.number for o in current if o.number not in recorded]
        if missing:
            out.append(Finding("progress-missing", where, "No progress is recorded for outcome(s) " + ", ".join(map(str, missing)) + "."))
        for name, question in REVIEW_QUESTIONS:
            if not _live(getattr(review, name)):
                out.append(Finding("question-unanswered", where, f"The review does not answer {question}."))
    return out


def _evidenced(matched: list[Matched], refused: list[str]) -> list[Finding]:
    """A file in the evidence folder for every document Section 7 lists."""
    out = [
        Finding("evidence-missing", f"section 7 {m.reference.category}",
                f"No file was found for reference {m.reference.index} of {m.reference.category.replace('_', ' ')}.")
        for m in matched if m.file is None
    ]
    out += [Finding("evidence-refused", "evidence folder", f"{name} is a link to a file outside the evidence folder and was not used.") for name in refused]
    return out


def _money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def _costs_summary(costs: Costs, threshold: Decimal) -> dict[str, Any]:
    return {
        "per_outcome_weekly_gbp": {str(k): _money(v) for k, v in sorted(costs.per_outcome.items())},
        "weekly_total_gbp": _money(costs.weekly_total),
        "weeks": costs.weeks,
        "yearly_total_gbp": _money(costs.yearly_total),
        "threshold_gbp": _money(threshold),
        "above_threshold": costs.yearly_total > threshold,
        "group_shared": [asdict(e) | {"weekly": _money(e.weekly)} for e in costs.entries if e.group and e.weekly is not None],
        "unreadable": [{"outcome_number": e.outcome_number, "index": e.index, "text": e.text} for e in costs.unreadable],
        "not_weekly": [{"outcome_number": e.outcome_number, "index": e.index, "text": e.text} for e in costs.entries if e.note == "not weekly"],
        "no_cost_stated": [{"outcome_number": e.outcome_number, "index": e.index, "text": e.text} for e in costs.entries if e.note == "no cost stated"],
    }


def to_text(readiness: Readiness, name: str) -> str:
    """The readiness report as a person reads it."""
    lines = [f"{name}: {'READY' if readiness.ready else 'NOT READY'} for an EHC needs assessment request"]
    blocking = [f for f in readiness.findings if f.blocking]
    advice = [f for f in readiness.findings if not f.blocking]
    if blocking:
        lines += ["", f"To do before the request ({len(blocking)}):"]
        lines += [f"  - [{f.where}] {f.message}" for f in blocking]
    if advice:
        lines += ["", f"To look at ({len(advice)}):"]
        lines += [f"  - [{f.where}] {f.message}" for f in advice]
    c = readiness.costs
    lines += ["", "Provision still in place, per week:"]
    lines += [f"  outcome {n}: \u00a3{v:,.2f}" for n, v in c["per_outcome_weekly_gbp"].items()]
    lines.append(f"  total: \u00a3{c['weekly_total_gbp']:,.2f} a week; \u00a3{c['yearly_total_gbp']:,.2f} over {c['weeks']} weeks, "
                 f"{'above' if c['above_threshold'] else 'within'} the \u00a3{c['threshold_gbp']:,.2f} notional SEN threshold")
    for entry in c["unreadable"]:
        lines.append(f"  cost not read: outcome {entry['outcome_number']}, resources entry {entry['index']}: {entry['text']}")
    for entry in c["group_shared"]:
        lines.append(f"  shared by a group of {entry['group']}: outcome {entry['outcome_number']}, entry {entry['index']}: \u00a3{entry['weekly']:,.2f} a week")
    lines += ["", "Reviews:"]
    lines += [f"  {r['label']}: {r['date'] or 'no date'}, progress for {r['outcomes_with_progress']} outcome(s)" for r in readiness.reviews] or ["  none"]
    lines += ["", "Evidence (Section 7):"]
    for e in readiness.evidence:
        found = (f" -> {e['file']}" if e["file"] else " -> no file found") if readiness.evidence_checked else ""
        lines.append(f"  {e['category'].replace('_', ' ')} {e['index']}: {e['reference']}{' (' + e['date'] + ')' if e['date'] else ''}{found}")
    for name_ in readiness.unmatched_files:
        lines.append(f"  file not listed in Section 7: {name_}")
    return "\n".join(lines) + "\n"
