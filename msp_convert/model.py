"""The canonical My Support Plan model (schema_version "1.0").

This module is the single source of truth for the JSON contract described in
``shared/spec/plan-model.md``: field names, their order (pydantic keeps
declaration order when dumping), and the rule that every key is present, an
absent value being ``null`` and an absent list ``[]``. Importing systems depend
on these names; change them only with a new ``schema_version``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

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


class Child(_Model):
    name: Optional[str] = None
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

    schema_version: Literal["1.0"] = SCHEMA_VERSION
    source: Source
    plan_number: Optional[int] = None
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
    unmapped: list[Unmapped] = Field(default_factory=list)
    warnings: list[PlanWarning] = Field(default_factory=list)


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
