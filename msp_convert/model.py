"""The canonical My Support Plan model (schema_version "1.1").

This module is the single source of truth for the JSON contract described in
``shared/spec/plan-model.md``: field names, their order (pydantic keeps
declaration order when dumping), and the rule that every key is present, an
absent value being ``null`` and an absent list ``[]``. Importing systems depend
on these names; change them only with a new ``schema_version``.

A plan's JSON as schema_version "1.0" wrote it (without ``template``,
``coverage``, ``plan_dates``, ``child.known_as`` and ``sections``) still
validates: it is read as 1.1, the new keys at their defaults and
``template.id`` the one form the 1.0 reader knew; ``coverage`` is counted
again from the model by whoever reads it (``reader.read_json``), as it is a
function of the rest.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

SCHEMA_VERSION = "1.1"
# Every number in a plan (a count, a plan or outcome number, pounds, a share) is from 0 to this:
# the readers keep to it, so a plan's JSON always reads back (reader.read_json holds input to it).
MAX_NUMBER = 10**12
# The one template profile the 1.0 reader knew: what a 1.0 plan was read with.
TEMPLATE_OF_1_0 = "kirklees-v2f"

ReviewLabel = Literal["R1", "R2", "R3"]
Rating = Literal["met", "partly_met", "not_met", "needs_change"]
Area = Literal[
    "cognition_and_learning",
    "communication_and_interaction",
    "social_emotional",
    "sensory_physical",
    "preparing_for_adulthood",
    "health",
    "social_care",
]
SourceFormat = Literal["docx", "pdf", "doc", "odt", "rtf", "json", "jpeg", "png", "tiff"]
# A template profile's id: "kirklees-v2f", "york-2014", a council's own profile file's id, or "unknown".
TEMPLATE_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TemplateId = Annotated[str, StringConstraints(pattern=TEMPLATE_ID_PATTERN, max_length=64)]
Verdict = Literal["complete", "partial", "other-layout", "not-a-plan"]


class _Model(BaseModel):
    # extra="forbid": a JSON plan with an unknown key is a mistake worth naming.
    model_config = ConfigDict(extra="forbid")


class Entry(_Model):
    """One written item: a bullet or a paragraph as a person wrote it."""

    text: str
    withdrawn: bool = False
    struck: list[str] = Field(default_factory=list)
    review: Optional[ReviewLabel] = None
    review_date: Optional[dt.date] = None


class Source(_Model):
    filename: str
    format: SourceFormat
    sha256: str
    pages: Optional[int] = None


class Template(_Model):
    """Which template profile the document was read with, and how much of its wording was found."""

    id: TemplateId = "unknown"
    matched: Optional[float] = Field(default=None, ge=0, le=1)  # share of the profile's headings and prompts


class Coverage(_Model):
    """How many written words the model placed; ``mapping.coverage`` counts them from the model."""

    words: int = Field(default=0, ge=0)
    placed: int = Field(default=0, ge=0)
    in_sections: int = Field(default=0, ge=0)
    unmapped: int = Field(default=0, ge=0)
    verdict: Verdict = "other-layout"  # what an empty model read with no known template gets


class PlanDates(_Model):
    this_plan: Optional[dt.date] = None
    review_by: Optional[dt.date] = None
    initial_plan: Optional[dt.date] = None


class Child(_Model):
    name: Optional[str] = None
    known_as: Optional[str] = None
    date_of_birth: Optional[dt.date] = None
    setting: Optional[str] = None
    year_group: Optional[str] = None
    upn: Optional[str] = None


class OtherPlans(_Model):
    team_around_the_family: Optional[bool] = None
    child_in_need: Optional[bool] = None
    child_protection: Optional[bool] = None
    personal_education_plan: Optional[bool] = None
    looked_after_child_care_plan: Optional[bool] = None
    health_care_plan: Optional[bool] = None


class WrittenBy(_Model):
    me: Optional[bool] = None
    me_with_help: Optional[bool] = None
    parent: Optional[bool] = None
    carer: Optional[bool] = None
    helper: Optional[str] = None


class Profile(_Model):
    written_by: WrittenBy = Field(default_factory=WrittenBy)
    communication: list[Entry] = Field(default_factory=list)
    information_and_choice: list[Entry] = Field(default_factory=list)
    liked_and_admired: list[Entry] = Field(default_factory=list)
    enjoy_in_setting: list[Entry] = Field(default_factory=list)
    enjoy_out_of_setting: list[Entry] = Field(default_factory=list)
    important_now: list[Entry] = Field(default_factory=list)
    not_working: list[Entry] = Field(default_factory=list)
    would_make_better: list[Entry] = Field(default_factory=list)
    goals_short_term: list[Entry] = Field(default_factory=list)
    goals_long_term: list[Entry] = Field(default_factory=list)


class Story(_Model):
    written_by: WrittenBy = Field(default_factory=WrittenBy)
    growing_up: list[Entry] = Field(default_factory=list)
    people_involved: list[Entry] = Field(default_factory=list)
    feelings_school_and_home: list[Entry] = Field(default_factory=list)
    other: list[Entry] = Field(default_factory=list)


class Family(_Model):
    written_by: WrittenBy = Field(default_factory=WrittenBy)
    family_at_home: list[Entry] = Field(default_factory=list)
    community_connections: list[Entry] = Field(default_factory=list)
    attendance_barriers: list[Entry] = Field(default_factory=list)
    other: list[Entry] = Field(default_factory=list)


class ParentViews(_Model):
    written_by: WrittenBy = Field(default_factory=WrittenBy)
    important_now: list[Entry] = Field(default_factory=list)
    not_working: list[Entry] = Field(default_factory=list)
    would_make_better: list[Entry] = Field(default_factory=list)
    goals_short_term: list[Entry] = Field(default_factory=list)
    goals_long_term: list[Entry] = Field(default_factory=list)


class Needs(_Model):
    summary: list[Entry] = Field(default_factory=list)
    cognition_and_learning: list[Entry] = Field(default_factory=list)
    communication_and_interaction: list[Entry] = Field(default_factory=list)
    social_emotional: list[Entry] = Field(default_factory=list)
    sensory_physical: list[Entry] = Field(default_factory=list)
    preparing_for_adulthood: list[Entry] = Field(default_factory=list)


class SupportedBy(_Model):
    education: Optional[bool] = None
    health: Optional[bool] = None
    social_care: Optional[bool] = None


class Outcome(_Model):
    number: int
    areas_of_need: list[Area] = Field(default_factory=list)
    key_stage: Optional[str] = None
    statement: Optional[Entry] = None
    supported_by: SupportedBy = Field(default_factory=SupportedBy)


class Provision(_Model):
    outcome_number: int
    steps: list[Entry] = Field(default_factory=list)
    targets: list[Entry] = Field(default_factory=list)
    actions: list[Entry] = Field(default_factory=list)
    who: list[Entry] = Field(default_factory=list)
    frequency: list[Entry] = Field(default_factory=list)
    resources: list[Entry] = Field(default_factory=list)
    weekly_cost_gbp: Optional[float] = None


class Progress(_Model):
    outcome_number: int
    text: list[Entry] = Field(default_factory=list)
    rating: Optional[Rating] = None


class Review(_Model):
    label: ReviewLabel
    date: Optional[dt.date] = None
    progress: list[Progress] = Field(default_factory=list)
    working_well: list[Entry] = Field(default_factory=list)
    not_working: list[Entry] = Field(default_factory=list)
    new_to_introduce: list[Entry] = Field(default_factory=list)


class DocRef(_Model):
    reference: str
    date: Optional[dt.date] = None


class Appendices(_Model):
    family: list[DocRef] = Field(default_factory=list)
    education: list[DocRef] = Field(default_factory=list)
    health: list[DocRef] = Field(default_factory=list)
    social_care: list[DocRef] = Field(default_factory=list)
    careers: list[DocRef] = Field(default_factory=list)
    other: list[DocRef] = Field(default_factory=list)


class Section(_Model):
    """A part of the document no field of the model holds, kept under its own heading.

    ``key`` names the part in its profile ("york-2014/2.4"), or is null for a
    heading the reader does not know; ``rows`` is a table under it, as cell texts.
    """

    key: Optional[str] = None
    heading: str
    entries: list[Entry] = Field(default_factory=list)
    rows: list[list[str]] = Field(default_factory=list)


class Unmapped(_Model):
    where: str
    text: str


class PlanWarning(_Model):
    """Something the reader noticed and could not settle; never plan content."""

    code: str
    message: str
    where: Optional[str] = None


class Plan(_Model):
    """A whole My Support Plan, as read from one document."""

    schema_version: Literal["1.1"] = SCHEMA_VERSION
    source: Source
    template: Template = Field(default_factory=Template)
    coverage: Coverage = Field(default_factory=Coverage)
    plan_number: Optional[int] = None
    plan_dates: PlanDates = Field(default_factory=PlanDates)
    child: Child = Field(default_factory=Child)
    other_plans: OtherPlans = Field(default_factory=OtherPlans)
    consent_signed_by: Optional[str] = None
    profile: Profile = Field(default_factory=Profile)
    story: Story = Field(default_factory=Story)
    family: Family = Field(default_factory=Family)
    parent_views: ParentViews = Field(default_factory=ParentViews)
    needs: Needs = Field(default_factory=Needs)
    health_needs: list[Entry] = Field(default_factory=list)
    social_care_needs: list[Entry] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    provision: list[Provision] = Field(default_factory=list)
    reviews: list[Review] = Field(default_factory=list)
    appendices: Appendices = Field(default_factory=Appendices)
    sections: list[Section] = Field(default_factory=list)
    unmapped: list[Unmapped] = Field(default_factory=list)
    warnings: list[PlanWarning] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _from_1_0(cls, data: Any) -> Any:
        """A 1.0 plan is read as 1.1: the 1.0 reader knew one template, and nothing else changed."""
        if not isinstance(data, dict) or data.get("schema_version") != "1.0":
            return data
        upgraded = {**data, "schema_version": SCHEMA_VERSION}
        upgraded.setdefault("template", {"id": TEMPLATE_OF_1_0, "matched": None})
        return upgraded


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON-ready data (dates as ISO strings)."""
    return plan.model_dump(mode="json")


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema of the contract, as ``msp-convert schema`` prints it."""
    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text() -> str:
    return json.dumps(plan_json_schema(), indent=2, ensure_ascii=False) + "\n"
