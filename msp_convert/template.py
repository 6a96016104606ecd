"""Template profiles: what a council's My Support Plan form says, as data.

A profile is a TOML file (``msp_convert/templates/*.toml``, or one given with
``--template FILE``) checked on load against the dataclasses below: a missing
or misspelt key is refused with the file, the key and what to do. The mapping
recognises headings, prompts, guidance, tick labels and column headers by the
profile's wording (tolerant of small edits); the DOCX writer draws the form
from it; ``check`` asks what the profile says the form needs. A new council's
form is a new file, not new code.

Why TOML: it is written and reviewed by people who know the form, not the
code; it keeps long guidance as text with comments beside it; Python reads it
(``tomllib``); and pydantic checks it against these
classes, so a profile is either whole or refused.

Wording is written as the form prints it; ``variants`` hold the other ways
schools word the same thing. Matching normalises case, quotes, dashes,
"&"/"and" and punctuation, so variants only need to differ in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import ConfigDict, StringConstraints, TypeAdapter, ValidationError

import tomllib

STRICT = ConfigDict(extra="forbid", frozen=True)
# A profile's id: lower-case words and figures joined by hyphens (model.TEMPLATE_ID_PATTERN, which
# the JSON's template.id follows; "unknown" is the reader's, for a plan no profile fits).
PROFILE_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class ProfileError(Exception):
    """A profile that cannot be used; ``message`` is one line: which file, what is wrong, what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

# What a part of the form is, where the mapping and the writer treat it apart.
Role = Literal["front", "contents", "outcomes", "provision", "reviews", "appendices"]
# Where a cover label's value goes.
CoverField = Literal[
    "child.name", "child.first_name", "child.surname", "child.known_as", "child.date_of_birth", "child.setting",
    "child.year_group", "child.upn", "plan_dates.this_plan", "plan_dates.review_by", "plan_dates.initial_plan", "section",
]


class _Worded:
    """Printed wording and the other ways schools word it."""

    wording: str
    variants: tuple[str, ...]

    @property
    def wordings(self) -> tuple[str, ...]:
        return (self.wording, *self.variants)


@dataclass(frozen=True)
class Prompt(_Worded):
    """A printed question or label; what follows it belongs to ``field``.

    ``field`` names an attribute of the section's model object (or of
    ``Plan`` for top-level lists); "" (None once loaded) marks a group prompt
    whose own answers belong to no field (e.g. "What I enjoy doing..." before
    its "In school/setting:" sub-prompt). ``kind`` is "entries" (a list of
    Entry), "text" (one string: the rest of the line, or the next line) or
    "helper" (the name after "with help from").
    """

    __pydantic_config__ = STRICT
    field: Optional[str]
    wording: str
    variants: tuple[str, ...] = ()
    kind: Literal["entries", "text", "helper"] = "entries"

    def __post_init__(self) -> None:
        if self.field == "":
            object.__setattr__(self, "field", None)


@dataclass(frozen=True)
class TickOption:
    __pydantic_config__ = STRICT
    key: str  # field of the model's tick-box group
    label: str
    variants: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class Note:
    """A line of printed guidance: never content. ``name`` says what it is for the writer
    ("before-ticks": the tick list is drawn after it); several lines may share a name."""

    __pydantic_config__ = STRICT
    text: str
    name: Optional[str] = None


@dataclass(frozen=True)
class Route:
    """Where the answers under a prompt the profile does not print go, by a few words of it.

    Forms carry prompts nobody wrote into the profile (York's, whose prompts
    were never seen). A line that looks like a prompt (bold, a label cell, a
    label before a colon) is form wording; when it holds ``words``, what follows
    it goes to ``field``. Routes are never counted as the form's wording found.
    """

    __pydantic_config__ = STRICT
    words: str
    field: str


@dataclass(frozen=True)
class Section:
    """A part of the form read as flowing text: headings, prompts, answers.

    Table-shaped parts (outcomes, provision, reviews) also have a Section for
    the rows around their grid (explanatory notes, the review questions).
    """

    __pydantic_config__ = STRICT
    key: str  # the part's name in the profile: "profile", "needs", "2.4"
    where: str  # how messages and `unmapped` name it: "section 1a", "part 2.4"
    headings: tuple[str, ...]  # wordings that open it; the first is drawn
    prompts: tuple[Prompt, ...] = ()
    notes: tuple[Note, ...] = ()  # printed help text: never content ("guidance" in the TOML)
    ticks: tuple[TickOption, ...] = ()  # its tick list, if any
    ticks_field: Optional[str] = None  # "written_by", "other_plans"
    default_field: Optional[str] = None  # where answers go before any prompt
    role: Optional[Role] = None
    fills: Optional[str] = None  # the model attribute its prompts fill (default: ``key``)
    kept: bool = False  # no field in the model: it goes to ``sections`` as "PROFILE/KEY"
    routes: tuple[Route, ...] = ()
    by: Optional[str] = None  # who completes it, as the form prints it under the heading
    history: bool = False  # it records a review (York's 1.4, 2.6, the contents' dates): a new plan starts it empty

    @property
    def guidance(self) -> tuple[str, ...]:
        return tuple(n.text for n in self.notes)

    def named(self, name: str) -> tuple[str, ...]:
        """The guidance lines with that name, in order."""
        return tuple(n.text for n in self.notes if n.name == name)

    @property
    def model_key(self) -> str:
        return self.fills or self.key


@dataclass(frozen=True)
class Column(_Worded):
    __pydantic_config__ = STRICT
    field: str
    wording: str
    variants: tuple[str, ...] = ()
    seen: bool = True  # printed on the form as published (False: a likely header, matched but not counted)
    weekly: bool = False  # its amounts are weekly ("Weekly cost"): "£25.50" alone is a weekly cost


@dataclass(frozen=True)
class Label(_Worded):
    """A label on the form's cover ("My first name:") and where its value goes."""

    __pydantic_config__ = STRICT
    to: CoverField
    wording: str
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewLabel:
    __pydantic_config__ = STRICT
    label: Literal["R1", "R2", "R3"]  # the model's review labels: a form's reviews map onto them
    wordings: tuple[str, ...]

    def __iter__(self):  # label, wordings = review_label
        return iter((self.label, self.wordings))

    def __getitem__(self, i: int):
        return (self.label, self.wordings)[i]


@dataclass(frozen=True)
class Bucket:
    """A Section 7 (appendices) category and the words of who wrote a document in it."""

    __pydantic_config__ = STRICT
    field: Literal["family", "education", "health", "social_care", "careers", "other"]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Required:
    """A part ``check`` needs filled before an EHC needs assessment request."""

    __pydantic_config__ = STRICT
    fields: tuple[str, ...]  # model paths ("needs.summary", "sections:york-2014/1.4"); done when any holds something live
    where: str
    message: str
    blocking: bool = True
    code: str = "not-completed"  # the finding's code when none holds anything


@dataclass(frozen=True)
class Check:
    """What ``check`` asks of a plan on this form."""

    __pydantic_config__ = STRICT
    required: tuple[Required, ...] = ()
    written_by: tuple[str, ...] = ()  # parts whose "written by" ticks must say who wrote them
    prompts_of: tuple[str, ...] = ()  # sections each of whose prompts must be answered
    consent: bool = False  # the parent/carer signs the plan
    review_questions: tuple[Prompt, ...] = ()  # each review answers these (a "table" form's reviews)
    provision_needs: tuple[Prompt, ...] = ()  # each outcome's provision row fills these columns (field, what it says)
    outcome_where: str = "outcome {number}"  # how findings name one outcome
    provision_where: str = "provision {number}"  # how findings name one outcome's provision row


@dataclass(frozen=True, eq=False)
class Profile:
    """One published version of the form. Compared and hashed as itself: the caches keyed
    on a profile (its compiled wording) cost nothing to look up."""

    __pydantic_config__ = STRICT
    name: Annotated[str, StringConstraints(pattern=PROFILE_ID, max_length=64)]  # its id, as the JSON's ``template.id`` gives it ("id" in the TOML)
    sections: tuple[Section, ...]  # in the form's order
    plan_title: str = "My Support Plan"  # ("title" in the TOML)
    description: str = ""
    writer: Literal["kirklees-v2f", "generic"] = "generic"  # which drawing of the form
    reviews: Literal["table", "dates"] = "table"  # R1-R3 tables, or the plan's own dates moving on
    group_headings: tuple[str, ...] = ()  # headings that open no section of their own
    marks: tuple[str, ...] = ()  # lines only this form prints (its title, "published on ..."): never content
    placeholders: tuple[str, ...] = ()  # Word placeholder text ("Enter your first name"): never content
    plan_number: tuple[str, ...] = ()  # "My Support Plan" in "My Support Plan 2"
    cover: tuple[Label, ...] = ()  # the cover's labels (the reader also knows the usual identity labels)
    outcome_label: str = "Outcome"  # "Outcome" in "Outcome 1"
    areas_prompt: Optional[Prompt] = None  # "The area(s) of my needs this outcome will address"
    statement_prompt: str = "will be able to"
    key_stage_lead: str = "By the end of"
    helper_label: str = "with help from"
    supported_by: tuple[Column, ...] = ()  # Education | Health | Social Care
    provision_columns: tuple[Column, ...] = ()
    provision_notes_label: str = "Notes"
    review_labels: tuple[ReviewLabel, ...] = ()
    review_date_prompt: Optional[str] = None
    review_progress_columns: tuple[Column, ...] = ()
    appendix_buckets: tuple[Bucket, ...] = ()
    contents_columns: tuple[str, ...] = ()  # the contents page's column headers ("Date completed")
    check: Check = Check()

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def with_role(self, role: str) -> Optional[Section]:
        return next((s for s in self.sections if s.role == role), None)

    def landmarks(self) -> tuple[tuple[str, ...], ...]:
        """The headings, prompts and labels ``template.matched`` counts, each once.

        Each section's heading (whichever of its wordings), the group headings
        (as one), the form's own marks (its title line), every prompt of every
        section (but one printed inside a tick-list label: "Me with help from"
        is read as the tick list), the cover's labels, the printed column headers
        of the provision and review tables, and the review date prompt. Wording
        the form was never seen to print (``Column.seen`` false, routes) is not counted.
        """
        found = [("heading", s.key) for s in self.sections]
        found += [("heading", "")] if self.group_headings else []
        found += [("mark", m) for m in self.marks]
        found += [
            ("prompt", s.key, p.wording) for s in self.sections for p in s.prompts
            if not any(p.wording.lower() in label.lower() for t in s.ticks for label in t.labels)
        ]
        found += [("label", c.wording) for c in self.cover]
        found += [("column", "provision", c.field) for c in self.provision_columns if c.seen]
        found += [("column", "reviews", c.field) for c in self.review_progress_columns if c.seen]
        if self.review_date_prompt:
            found.append(("prompt", "reviews", self.review_date_prompt))
        return tuple(dict.fromkeys(found))


_ADAPTER = TypeAdapter(Profile)
_RENAMED = {"id": "name", "title": "plan_title"}


def profile_from_data(data: dict[str, Any], origin: str) -> Profile:
    """A profile from a TOML file's tables; one clear line when they do not fit the schema."""
    data = {_RENAMED.get(k, k): v for k, v in data.items()}
    if data.get("name") == "unknown":
        raise ProfileError(f"{origin}: not a template profile: id: 'unknown' is the reader's word for no profile; give the form its own id")
    for section in data.get("sections", ()) if isinstance(data.get("sections"), list) else ():
        if isinstance(section, dict) and "guidance" in section:
            section["notes"] = [{"text": g} if isinstance(g, str) else g for g in section.pop("guidance")]
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise ProfileError(
            f"{origin}: not a template profile: {where}: {first['msg']}; "
            f"compare it with msp_convert/templates/kirklees-v2f.toml ({exc.error_count()} problem(s))"
        ) from None


def load_profile(path: Union[str, Path]) -> Profile:
    """A profile from a TOML file a person gives (``--template FILE``)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"{path.name}: cannot read the template profile ({exc.strerror}); check the path") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{path.name}: not a TOML template profile ({str(exc).splitlines()[0]}); fix the file") from None
    return profile_from_data(data, path.name)


@lru_cache(maxsize=1)
def _packaged() -> dict[str, Profile]:
    found: dict[str, Profile] = {}
    for item in sorted(resources.files("msp_convert").joinpath("templates").iterdir(), key=lambda i: i.name):
        if item.name.endswith(".toml"):
            profile = profile_from_data(tomllib.loads(item.read_text(encoding="utf-8")), item.name)
            found[profile.name] = profile
    return found


PROFILES: dict[str, Profile] = dict(_packaged())
DEFAULT_PROFILE = PROFILES["kirklees-v2f"]
MSP_2019 = DEFAULT_PROFILE


def profile_named(template_id: str) -> Profile:
    """The packaged profile a plan's ``template.id`` names; the Kirklees form for "unknown" or any other."""
    return PROFILES.get(template_id, DEFAULT_PROFILE)


def choose(spec: Optional[str]) -> Optional[Profile]:
    """The profile ``--template`` names: a packaged id or a TOML file; None (no option) lets the reader choose."""
    if spec is None or spec == "auto":
        return None
    if spec in PROFILES:
        return PROFILES[spec]
    if spec.endswith(".toml") or Path(spec).exists():
        return load_profile(spec)
    raise ProfileError(f"no template profile {spec!r}: use one of {', '.join(sorted(PROFILES))} "
                     "(msp-convert templates lists them) or a profile's .toml file")


def describe_profiles() -> list[str]:
    """What ``msp-convert templates`` prints: each profile, and what it recognises a plan by."""
    lines: list[str] = []
    for profile in PROFILES.values():
        marks = profile.landmarks()
        kinds = {kind: sum(1 for m in marks if m[0] == kind) for kind in ("heading", "mark", "prompt", "label", "column")}
        default = " (default)" if profile is DEFAULT_PROFILE else ""
        lines.append(f"{profile.name}{default}: {profile.description}")
        lines.append(
            f"    recognises {len(marks)} pieces of wording: {kinds['heading']} headings, {kinds['mark']} title lines, "
            f"{kinds['prompt']} prompts, {kinds['label']} cover labels, {kinds['column']} column headers"
        )
        lines.append(f"    parts: {', '.join(s.headings[0] for s in profile.sections)}")
        lines.append(f"    reviews: {'R1-R3 review tables' if profile.reviews == 'table' else 'the plan dates moving on'}")
    return lines
