"""Is the plan ready to go with a request for an EHC needs assessment, and why not?

The template's guidance: the plan must be fully completed and reviewed, the
reviews must show what was put in place and what difference it made, and the
plan goes with its evidence. Each gap is a finding that names the section;
a plan is ready when no finding blocks it. The costs set what the provision
still in place costs a year against the school's notional SEN threshold.

What "completed" means is the profile's (``profile.check``, the ``[check]``
table of its TOML file): the parts that need something written
(``required``), the parts whose "written by" ticks and prompts must be
filled, consent, the columns each outcome's provision fills, and how
findings name an outcome and its provision. The profile is the one the plan
was read with (``plan.template.id``; an unknown layout is checked as the
Kirklees form). How a plan shows it was reviewed depends on the form:

- ``reviews = "table"`` (Kirklees V2f): at least ``min_reviews`` dated
  R1-R3 reviews, each with progress on every current outcome and the
  review questions answered.
- ``reviews = "dates"`` (York 2014): York's guidance asks that the plan be
  "fully completed and reviewed" and that "The review needs to evidence what
  has been put in place and what difference it has made"; the form has no
  review table, it is reviewed by updating the same document. So a York plan
  counts as reviewed when its "Date of this plan" is later than its "Date of
  initial plan" (the dates moved on: ``not-reviewed`` otherwise) and the
  review contributions are written: the child's (1.4) and the family's (2.6),
  which York's ``[check]`` requires with the code ``not-reviewed``. What was
  put in place is Part 5's outcomes with their actions (who, how often), and
  the advice behind the plan is Part 7's list (``no-evidence`` when empty).
  York also needs the front cover's name, date of birth, date of this plan and
  review-by date, 1.3 (about me), 2.1 (the family's view) and 3.1 (needs).
  ``min_reviews`` does not apply: the dates record the latest review only.
  No consent line, "written by" ticks or areas of need per outcome were seen
  on the form, so none is asked for.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from ..errors import InputError
from ..model import Entry, Outcome, Plan
from ..template import DEFAULT_PROFILE, Profile, Required, Section, profile_named
from ..writers.docx.newplan import profile_of
from .costs import Costs, plan_costs
from .evidence import Matched, evidence_files, match, references

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
    template: str = DEFAULT_PROFILE.name  # the profile whose rules were applied
    plan_dates: Optional[dict[str, Optional[str]]] = None  # a form reviewed by its dates: the plan's dates (ISO)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


WRITERS = ("me", "me_with_help", "parent", "carer")  # the "written by" boxes that name who wrote a part
_ABSENT = object()


def evidence_part(profile: Profile) -> str:
    """How a person names the part that lists the evidence: "Section 7", "Part 7"."""
    return _capital(part_where(profile, "appendices"))


def part_where(profile: Profile, role: str) -> str:
    """How findings name the part with that role ("section 7", "part 7")."""
    section = profile.with_role(role)
    return section.where if section is not None else role


def _live(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if not e.withdrawn]


def _holds(plan: Plan, path: str) -> bool:
    """Whether a model path holds something: a live entry, a value, or a kept section ("sections:KEY") with entries or rows."""
    if path.startswith("sections:"):
        key = path.removeprefix("sections:")
        return any(_live(s.entries) or s.rows for s in plan.sections if s.key == key)
    value: Any = plan
    for name in path.split("."):
        value = getattr(value, name, _ABSENT)
        if value is _ABSENT:
            raise InputError(f"the template profile's [check] names {path!r}, which is not a field of the plan; fix the profile")
    if isinstance(value, list):
        return any(not getattr(item, "withdrawn", False) for item in value)
    return value not in (None, "")


def check_plan(
    plan: Plan,
    *,
    min_reviews: int = 2,
    weeks: int = 38,
    threshold: Decimal = Decimal(6000),
    evidence_dir: Optional[Path] = None,
    evidence: Optional[tuple[list[Matched], list[str], list[str]]] = None,
    profile: Optional[Profile] = None,
) -> Readiness:
    """The findings; ``evidence`` is (matched, unmatched, refused) when the caller
    matched the folder already (the bundle, with a person's ``--map``); ``profile``
    is the plan's own (``profile_of``) unless given."""
    profile = profile or profile_of(plan)
    current = [o for o in plan.outcomes if o.statement is None or not o.statement.withdrawn]
    findings = _read(plan) + _completed(plan, profile) + _outcomes(plan, current, profile) + _reviewed(plan, current, min_reviews, profile)
    costs = plan_costs(plan, weeks, weekly=any(c.field == "resources" and c.weekly for c in profile.provision_columns))
    findings += [
        Finding("cost-unreadable", profile.check.provision_where.format(number=entry.outcome_number),
                f"Resources entry {entry.index}: its cost could not be read as a weekly amount.", blocking=False)
        for entry in costs.unreadable
    ]
    refs = references(plan)
    appendices = part_where(profile, "appendices")
    if not refs:
        findings.append(Finding("no-evidence", appendices, f"{evidence_part(profile)} lists no documents that inform the plan."))
    if evidence is None and evidence_dir is not None:
        files, refused = evidence_files(evidence_dir)
        evidence = (*match(refs, files), refused)
    matched, unmatched, refused = evidence if evidence is not None else ([Matched(r, None) for r in refs], [], [])
    if evidence is not None:
        findings += _evidenced(matched, refused, appendices)
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
        template=profile.name,
        plan_dates=_iso_dates(plan) if profile.reviews == "dates" else None,
    )


def _capital(where: str) -> str:
    return where[:1].upper() + where[1:]


def _iso_dates(plan: Plan) -> dict[str, Optional[str]]:
    return {name: value.isoformat() if value else None for name, value in plan.plan_dates}


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
    """Consent, the parts whose "written by" boxes and prompts must be filled, the parts that need something written."""
    check = profile.check
    out = _consent(plan, profile) if check.consent else []
    for key in dict.fromkeys(check.written_by + check.prompts_of):
        section = profile.section(key)
        part = getattr(plan, section.model_key)
        if key in check.written_by and not any(getattr(part.written_by, name) for name in WRITERS):
            out.append(Finding("written-by-missing", section.where, "No box says who wrote this part."))
        if key in check.prompts_of:
            out += _unanswered(part, section)
    out += [Finding(r.code, r.where, r.message, r.blocking) for r in check.required if not _done(plan, r)]
    return out


def _done(plan: Plan, required: Required) -> bool:
    return any(_holds(plan, path) for path in required.fields)


def _unanswered(part: Any, section: Section) -> list[Finding]:
    return [
        Finding("not-completed", section.where, f"Nothing is written under \u201c{prompt.wording.rstrip(':')}\u201d.")
        for prompt in section.prompts
        if prompt.field and prompt.kind == "entries" and not _live(getattr(part, prompt.field))
    ]


def _consent(plan: Plan, profile: Profile) -> list[Finding]:
    """The parent/carer's signature, named where the form prints its prompt."""
    if plan.consent_signed_by:
        return []
    found = [(s, p) for s in profile.sections for p in s.prompts if p.field == "consent_signed_by"]
    where, label = (found[0][0].where, f" ({found[0][1].wording})") if found else ("plan", "")
    return [Finding("consent-not-signed", where, f"The parent/carer has not signed the plan{label}.")]


def _outcomes(plan: Plan, current: list[Outcome], profile: Profile) -> list[Finding]:
    """Each outcome in place, and the provision that meets it."""
    check = profile.check
    out = []
    if not current:
        out.append(Finding("no-outcomes", part_where(profile, "outcomes"), "The plan has no outcomes."))
    provision = {p.outcome_number: p for p in plan.provision}
    for outcome in current:
        where = check.outcome_where.format(number=outcome.number)
        if outcome.statement is None:
            out.append(Finding("not-completed", where, "The outcome has no statement of what the child will be able to do."))
        if profile.areas_prompt is not None and not outcome.areas_of_need:
            out.append(Finding("not-completed", where, "The outcome names no area of need.", blocking=False))
        row = provision.get(outcome.number)
        if row is None:
            out.append(Finding("no-provision", where, "No provision row meets this outcome."))
            continue
        out += [
            Finding("provision-incomplete", check.provision_where.format(number=outcome.number), f"The provision does not say {need.wording}.")
            for need in check.provision_needs if not _live(getattr(row, need.field))
        ]
    return out


def _reviewed(plan: Plan, current: list[Outcome], min_reviews: int, profile: Profile) -> list[Finding]:
    """Reviewed as the form records reviews: R1-R3 tables, or the plan's own dates moving on."""
    if profile.reviews == "dates":
        return _reviewed_by_dates(plan, profile)
    return _reviewed_in_tables(plan, current, min_reviews, profile)


def _reviewed_in_tables(plan: Plan, current: list[Outcome], min_reviews: int, profile: Profile) -> list[Finding]:
    """Enough dated reviews, each with progress on every outcome and the questions answered."""
    out = []
    part = part_where(profile, "reviews")
    dated = [r for r in plan.reviews if r.date is not None]
    if len(dated) < min_reviews:
        out.append(Finding("too-few-reviews", part, f"{len(dated)} dated review(s); a request needs at least {min_reviews}."))
    for review in plan.reviews:
        where = f"{part} {review.label}"
        if review.date is None:
            out.append(Finding("review-undated", where, "The review has no date."))
        recorded = {p.outcome_number for p in review.progress if _live(p.text)}
        missing = [o.number for o in current if o.number not in recorded]
        if missing:
            out.append(Finding("progress-missing", where, "No progress is recorded for outcome(s) " + ", ".join(map(str, missing)) + "."))
        out += [
            Finding("question-unanswered", where, f"The review does not answer {question.wording}.")
            for question in profile.check.review_questions if not _live(getattr(review, question.field))
        ]
    return out


def _reviewed_by_dates(plan: Plan, profile: Profile) -> list[Finding]:
    """A form reviewed by updating the plan itself: its date of this plan later than its initial plan's."""
    dates = plan.plan_dates
    if dates.this_plan and dates.initial_plan and dates.this_plan > dates.initial_plan:
        return []
    this, initial = _cover_label(profile, "plan_dates.this_plan"), _cover_label(profile, "plan_dates.initial_plan")
    if dates.this_plan is None or dates.initial_plan is None:
        message = f"Without both \u201c{this}\u201d and \u201c{initial}\u201d the plan does not show that it was reviewed."
    else:
        message = f"\u201c{this}\u201d is not later than \u201c{initial}\u201d: the plan has not been reviewed since it was made."
    return [Finding("not-reviewed", part_where(profile, "front"), message)]


def _cover_label(profile: Profile, to: str) -> str:
    """The cover's label for a field, as the form prints it ("Date of this plan")."""
    return next((label.wording for label in profile.cover if label.to == to), to.split(".")[-1].replace("_", " "))


def _evidenced(matched: list[Matched], refused: list[str], appendices: str) -> list[Finding]:
    """A file in the evidence folder for every document the plan's appendices part lists."""
    out = [
        Finding("evidence-missing", f"{appendices} {m.reference.category}",
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
    profile = profile_named(readiness.template)
    lines += ["", "Reviews:"] + _review_lines(readiness, profile)
    appendices = evidence_part(profile)
    lines += ["", f"Evidence ({appendices}):"]
    for e in readiness.evidence:
        found = (f" -> {e['file']}" if e["file"] else " -> no file found") if readiness.evidence_checked else ""
        lines.append(f"  {e['category'].replace('_', ' ')} {e['index']}: {e['reference']}{' (' + e['date'] + ')' if e['date'] else ''}{found}")
    for name_ in readiness.unmatched_files:
        lines.append(f"  file not listed in {appendices}: {name_}")
    return "\n".join(lines) + "\n"


def _review_lines(readiness: Readiness, profile: Profile) -> list[str]:
    """The R1-R3 reviews, or, on a form reviewed by its dates, the plan's dates as its cover labels them."""
    if readiness.plan_dates is not None:
        return [f"  {_cover_label(profile, 'plan_dates.' + key)}: {value or 'no date'}" for key, value in readiness.plan_dates.items()]
    lines = [f"  {r['label']}: {r['date'] or 'no date'}, progress for {r['outcomes_with_progress']} outcome(s)" for r in readiness.reviews]
    return lines or ["  none"]
