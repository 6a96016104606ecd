"""The My Support Plan template's wording, as data.

One source for two readers of it: the mapping recognises sections, prompts,
guidance and tick-list labels by this wording (tolerant of small edits), and
the DOCX writer draws the blank form from it. Another local authority's version
of the form is another ``Profile`` value, not new parser code.

Wording is written as the published template prints it (seeds/000_...txt);
``variants`` hold the other ways schools and local authorities word the same
thing. Matching normalises case, quotes, dashes, "&"/"and" and punctuation, so
variants only need to differ in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Prompt:
    """A printed question or label; what follows it belongs to ``field``.

    ``field`` names an attribute of the section's model object (or of
    ``Plan`` for top-level lists); ``None`` marks a group prompt whose own
    answers belong to no field (e.g. "What I enjoy doing..." before its
    "In school/setting:" sub-prompt). ``kind`` is "entries" (a list of
    Entry), "text" (one string: the rest of the line, or the next line) or
    "helper" (the name after "with help from").
    """

    field: Optional[str]
    wording: str
    variants: tuple[str, ...] = ()
    kind: str = "entries"

    @property
    def wordings(self) -> tuple[str, ...]:
        return (self.wording, *self.variants)


@dataclass(frozen=True)
class TickOption:
    key: str  # field of the model's tick-box group
    label: str
    variants: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class Section:
    """A part of the form read as flowing text: headings, prompts, answers.

    Table-shaped parts (outcomes, provision, reviews) also have a Section for
    the rows around their grid (explanatory notes, the review questions).
    """

    key: str  # model attribute: "profile", "needs", "appendices", ...
    where: str  # how messages and `unmapped` name it: "section 1a"
    headings: tuple[str, ...]  # wordings that open it; the first is drawn
    prompts: tuple[Prompt, ...] = ()
    guidance: tuple[str, ...] = ()  # printed help text: never content
    ticks: tuple[TickOption, ...] = ()  # its tick list, if any
    ticks_field: Optional[str] = None  # "written_by", "other_plans"
    default_field: Optional[str] = None  # where answers go before any prompt


@dataclass(frozen=True)
class Column:
    field: str
    wording: str
    variants: tuple[str, ...] = ()

    @property
    def wordings(self) -> tuple[str, ...]:
        return (self.wording, *self.variants)


@dataclass(frozen=True)
class Profile:
    """One published version of the form."""

    name: str  # its id, as the JSON's ``template.id`` gives it
    group_headings: tuple[str, ...]  # headings that open no section of their own
    sections: tuple[Section, ...]
    outcome_label: str  # "Outcome" in "Outcome 1"
    areas_prompt: Prompt  # "The area(s) of my needs this outcome will address"
    statement_prompt: str  # "will be able to"
    supported_by: tuple[Column, ...]  # Education | Health | Social Care
    provision_columns: tuple[Column, ...]
    provision_notes_label: str
    review_labels: tuple[tuple[str, tuple[str, ...]], ...]  # ("R1", wordings)
    review_date_prompt: str
    review_progress_columns: tuple[Column, ...]
    plan_title: str = "My Support Plan"

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def landmarks(self) -> tuple[tuple[str, ...], ...]:
        """The headings and prompts ``template.matched`` counts, each once.

        Each section's heading (whichever of its wordings), the group headings
        (as one), every prompt of every section (but one printed inside a
        tick-list label: "Me with help from" is read as the tick list), the
        column headers of the provision and review tables, and the review date
        prompt.
        """
        found = [("heading", s.key) for s in self.sections]
        found += [("heading", "")] if self.group_headings else []
        found += [
            ("prompt", s.key, p.wording) for s in self.sections for p in s.prompts
            if not any(p.wording.lower() in label.lower() for t in s.ticks for label in t.labels)
        ]
        found += [("column", "provision", c.field) for c in self.provision_columns]
        found += [("column", "reviews", c.field) for c in self.review_progress_columns]
        found.append(("prompt", "reviews", self.review_date_prompt))
        return tuple(dict.fromkeys(found))


_WITH_HELP = Prompt("helper", "with help from", ("me, with help from",), kind="helper")

_INTRO = Section(
    key="introduction",
    where="introduction",
    headings=("Introduction to My Support Plan",),
    prompts=(Prompt("consent_signed_by", "Signed by parent/carer", ("Signed by parent / carer", "Signed by parent or carer", "Parent/carer signature"), kind="text"),),
    guidance=(
        "This is My Support Plan. Included in my plan is information on;",
        "what is important to me and to my parents, including our goals and aspirations for the future;",
        "my strengths, my special educational needs (SEN) and my health and social care needs which relate to my SEN;",
        "the outcomes which will help me to move towards my goals and aspirations;",
        "the support given to me to help me to make progress towards my outcomes.",
        "My plan should be a useful working plan for those involved in supporting me, and should actively promote co-ordinated support for me and my family so that I can make progress.",
        "I might already have other plans in place such as (please tick as appropriate):-",
        "Please gain consent of Parent/Carer when using information from plans listed above.",
        "Please see attached ‘My Support Plan - Information & Guidance’ for further information on aligning My Support Plan with existing plans, and how to act on information which indicates that a child/young person and their family may benefit from further support.",
    ),
    ticks=(
        TickOption("team_around_the_family", "Team around the Family (TAF) Plan", ("Team around the Family Plan", "TAF Plan")),
        TickOption("child_in_need", "Child in Need Plan", ("CIN Plan",)),
        TickOption("child_protection", "Child Protection Plan", ("CP Plan",)),
        TickOption("personal_education_plan", "Personal Education Plan (PEP)", ("Personal Education Plan", "PEP")),
        TickOption("looked_after_child_care_plan", "Looked After Child Care Plan", ("LAC Care Plan", "Care Plan")),
        TickOption("health_care_plan", "Health Care Plan", ("Healthcare Plan", "Individual Health Care Plan")),
    ),
    ticks_field="other_plans",
)

_PROFILE = Section(
    key="profile",
    where="section 1a",
    headings=("a) my profile", "Section 1a: my profile", "1a) my profile", "1a my profile", "My profile",
              # Rewordings schools use for the same part (matched as headings only: a line of its own).
              "All about me", "My one page profile", "One page profile"),
    prompts=(
        Prompt(None, "My profile has been written by:", ("Written by:",)),
        _WITH_HELP,
        Prompt("communication", "When and how I communicate best, and what help I need", ("How I communicate best and what help I need",)),
        Prompt("information_and_choice", "How information and choice need to be presented to me to help me make decisions", ("How information and choices need to be presented to me",)),
        Prompt("liked_and_admired", "What people like and admire about me", ("What people like about me",)),
        Prompt(None, "What I enjoy doing and what I do well"),
        Prompt("enjoy_in_setting", "In school/setting:", ("In school:", "In setting:", "At school:")),
        Prompt("enjoy_out_of_setting", "Out of school/setting:", ("Out of school:", "Out of setting:", "At home:")),
        Prompt("important_now", "What is important to me now", ("What is important to me",)),
        Prompt("not_working", "What are the things that aren’t working so well for me at the moment", ("What isn’t working so well for me at the moment", "What is not working so well for me at the moment")),
        Prompt("would_make_better", "What would make things better for me"),
        Prompt(None, "What are my goals and aspirations for the future –", ("What are my goals and aspirations for the future", "My goals and aspirations for the future")),
        Prompt("goals_short_term", "Short term - the next 6-12 months", ("Short term",)),
        Prompt("goals_long_term", "Long term - what I want for my future beyond next year and ‘when I am an adult’", ("Long term",)),
    ),
    ticks=(
        TickOption("me_with_help", "Me with help from", ("Me, with help from",)),
        TickOption("me", "Me"),
    ),
    ticks_field="written_by",
)

_STORY = Section(
    key="story",
    where="section 1b",
    headings=("b) my story (background information)", "b) my story", "Section 1b: my story", "1b) my story", "1b my story", "My story (background information)", "My story",
              "My background", "My history"),
    prompts=(
        Prompt(None, "My story has been written by:", ("Written by:",)),
        _WITH_HELP,
        Prompt("growing_up", "Growing up"),
        Prompt("people_involved", "People involved in helping and supporting me", ("People involved in supporting me",)),
        Prompt("feelings_school_and_home", "How do I feel when I am at school/setting and how do I feel and behave when I come home from school/setting", ("How I feel at school/setting and how I feel and behave when I come home",)),
        Prompt("other", "Any other things which are important for you to know about me", ("Anything else which is important for you to know about me", "Any other things that are important for you to know about me")),
    ),
    ticks=(
        TickOption("parent", "My parent", ("Parent",)),
        TickOption("carer", "My carer", ("Carer",)),
        TickOption("me", "Me"),
    ),
    ticks_field="written_by",
)

_FAMILY = Section(
    key="family",
    where="section 1c",
    headings=("c) my family", "Section 1c: my family", "1c) my family", "1c my family", "My family", "About my family"),
    prompts=(
        Prompt(None, "My family has been written by:", ("Written by:",)),
        _WITH_HELP,
        Prompt("family_at_home", "My family at home / extended family", ("My family at home",)),
        Prompt("community_connections", "Wider community connections"),
        Prompt("attendance_barriers", "Times or days or barriers that make it difficult for me or my family to attend appointments or to meet professionals", ("Times, days or barriers that make it difficult for my family to attend appointments or meet professionals",)),
        Prompt("other", "Any other things which are important for you to know about my family", ("Anything else which is important for you to know about my family", "Any other things that are important for you to know about my family")),
    ),
    ticks=_STORY.ticks,
    ticks_field="written_by",
)

_PARENT_VIEWS = Section(
    key="parent_views",
    where="section 1d",
    headings=("d) my parents/carers views", "d) my parents’/carers’ views", "Section 1d: my parents/carers views", "1d) my parents/carers views", "1d my parents/carers views", "My parents/carers views", "My parents’ views",
              "Parent/carer views", "Parents’ views", "What my parents/carers think"),
    prompts=(
        Prompt(None, "Written by:", ("My parents/carers views have been written by:",)),
        _WITH_HELP,
        Prompt("important_now", "What is important for my child now", ("What is important for my child",)),
        Prompt("not_working", "What is not working so well for my child at the moment", ("What isn’t working so well for my child at the moment",)),
        Prompt("would_make_better", "What would make things better for my child"),
        Prompt(None, "What are my goals and aspirations for my child", ("My goals and aspirations for my child",)),
        Prompt("goals_short_term", "Short term - the next 6-12 months", ("Short term",)),
        Prompt("goals_long_term", "Long term - what I want for my child’s future beyond next year and ‘when they are an adult’", ("Long term",)),
    ),
    ticks=(
        TickOption("parent", "My parent", ("Parent",)),
        TickOption("carer", "My carer", ("Carer",)),
    ),
    ticks_field="written_by",
)

_NEEDS = Section(
    key="needs",
    where="section 2",
    headings=("Section 2: My special educational needs", "Section 2: My SEN", "My special educational needs",
              "My strengths and needs", "My needs"),
    prompts=(
        Prompt("summary", "A summary of my needs", ("Summary of my needs",)),
        Prompt("cognition_and_learning", "Cognition and Learning"),
        Prompt("communication_and_interaction", "Communication and Interaction"),
        Prompt("social_emotional", "Social and Emotional", ("Social, Emotional and Mental Health", "SEMH")),
        Prompt("sensory_physical", "Sensory and/or Physical", ("Sensory and Physical", "Sensory / Physical", "Sensory or Physical", "Physical and/or Sensory")),
        Prompt("preparing_for_adulthood", "Preparing for key transitions and/or preparing for adulthood", ("Preparing for adulthood", "Preparing for key transitions")),
    ),
    guidance=(
        "My strengths and my special educational needs are described by my family, education, health and care services.  Their assessments are listed at the end of My Support Plan.",
    ),
)

_HEALTH = Section(
    key="health_needs",
    where="section 3",
    headings=("Section 3: My health needs which relate to my special educational needs", "Section 3: My health needs", "My health needs which relate to my special educational needs",
              "My health needs"),
    default_field="health_needs",
)

_SOCIAL_CARE = Section(
    key="social_care_needs",
    where="section 4",
    headings=("Section 4: My social care needs which relate to my special educational needs", "Section 4: My social care needs", "My social care needs which relate to my special educational needs",
              "My social care needs"),
    default_field="social_care_needs",
)

_OUTCOMES = Section(
    key="outcomes",
    where="section 5 outcomes",
    headings=("Section 5: Outcomes and provision", "Section 5: My outcomes and provision", "Section 5: Outcomes",
              "What we are working towards", "My outcomes and provision", "My outcomes", "Outcomes and provision"),
    prompts=(
        Prompt(None, "Supported by"),
        Prompt(None, "Education"),
        Prompt(None, "Health"),
        Prompt(None, "Social Care"),
    ),
    guidance=(
        "My Outcomes:-",
        "are what I will be able to do by the end of a phase or stage of education",
        "should take into account what is important to me and help me move towards my goals and aspirations",
        "should take into account what it important for me and address the area of my needs (barriers) set out in Section 2, 3 and 4 of my plan so that I can make progress. Sometimes an outcome will address more than one area of my needs and may be shared across education, health and social care",
        "Explanatory note",
        "(Add or delete outcome boxes as appropriate)",
        "The area(s) of my needs this outcome will address:",
        "(eg. Cognition & Learning, Communication & interaction, Social and Emotional, Sensory and Physical, Preparing for key transitions/preparing for adulthood, Health needs, Social Care needs or more than one area of need – Cognition and Learning/Communication and Interaction, Sensory and/or Physical/Health needs)",
        "Use wording which allows the outcomes to be measurable (SMART):-",
        "Ie. By the end of key stage (Early Years Foundation Stage (EYFS)/ KS1/KS2/ KS3/KS4) &&& will be able to",
    ),
)

_PROVISION = Section(
    key="provision",
    where="section 5 provision",
    headings=("Provision", "Section 5: Provision", "My provision", "The support I will get", "How I will be supported"),
    guidance=(
        "The provision (support) to meet my special educational needs (Section 2) and needs which relate to my special educational needs (Sections 3 & 4).  This provision should help me to make progress towards achieving my outcomes.",
        "Steps I will make towards achieving my outcomes",
        "Steps towards outcomes will also be set out in this section, leading towards the achievement of the outcomes.  They should normally be relevant for at least a year and sometimes longer.  Where appropriate, they can be expressed separately for education, health and social care.",
        "Short term targets",
        "These can be reviewed and amended regularly to ensure that the child/young person remains on track to achieve the outcomes.  Regular progress monitoring should always be considered in the light of the steps, outcomes and aspirations.",
        "Key",
        "At each review, update My Support Plan to set new targets, make adjustments to provision etc.",
        "at the 1st review - add to these columns and indicate additions with an R1 and the date of the review;",
        "at the 2nd review – add to these columns and indicate additions with an R2 and the date of the review;",
        "If a provision is no longer in place then strikethrough. If no strikethrough then this will indicate that provision is still in place and potentially being added to at the review.",
        "at the 3rd review ensure all sections of My Support Plan are fully reviewed and updated to produce a ‘new’ My Support Plan.  No history of amendments need to be shown on the ‘new’ My Support Plan as the history will be recorded on the previous plan.  The number ‘My Support Plan’ should be recorded on page 1. The beginning of this key then applies again.",
        "Notes",
        "Use wording which allows steps to be measurable (SMART):-\nie. By the end of year %%%, &&& will be able to………..\n\nOutcomes may be supported by education and/or health and/or social care.  Steps towards outcomes might be expressed separately for education, health and social care and should all be brought together within this plan.   Information to support this is provided in the My Support Plan Information and Guidance.",
        "Use targets to ensure child/young person remains on track to achieve steps/outcomes and enable regular progress monitoring.  Use wording which allows targets to be measurable (SMART):-\nie.By the end for the autumn term/within the next 6 weeks, %%% will be able to…..  \n\nIf adjustments need to be made to targets between reviews these should be added and dated in the appropriate      section.",
        "Describe provision and delivery  - ie. approaches, programmes, training, resources, materials and how they are delivered eg. in the classroom, in a small group, 1-1\n\nDescriptions of provision must be clear and understandable to those involved ie. parents and practitioners across services.  \nPlease be clear about the purpose of the provision and avoid jargon, abbreviations etc.",
        "ie. Teacher, SENCO, Teaching Assistant, Teaching Assistant with specific training or skills or health or social care professional as determined by health and social care assessments",
        "Ie. 3xper week, 20 minutes per session",
        "Identify where the resources come from ie Education, Health or Social Care. Where funding comes from a school’s delegated funding (Elements 1&2) provide weekly costs",
    ),
)

_REVIEW_GUIDANCE = tuple(
    f"At this review, update My Support Plan to set new targets, make adjustments to provision etc. Please reference these updates with an {r} and the date of the review in Section 5.\n"
    f"If any provision is not continuing then strikethrough in Section 5. If no strikethrough then this will indicate that provision is continuing and if it is being added to following this review please reference these additions with an {r} and the date of the review."
    for r in ("R1", "R2")
) + (
    "At this review ensure all sections of My Support Plan are fully reviewed and updated to produce a ‘new’ My Support Plan.  No history of amendments need to be shown on the ‘new’ My Support Plan as the history will be recorded on the previous plan.  The number ‘My Support Plan’ should be recorded on page 1.",
)

_REVIEW = Section(
    key="reviews",
    where="section 6 review",
    headings=("Section 6: Reviewing My Support Plan", "Section 6: Reviews", "Reviewing My Support Plan", "Reviewing my plan"),
    prompts=(
        Prompt("working_well", "What is working well with provision and support and needs to continue?", ("What’s working well with provision and support and needs to continue?", "What is working well?")),
        Prompt("not_working", "What isn’t working well with provision and support and needs to finish or change?", ("What isn’t working with provision and support and needs to finish or change?", "What is not working well with provision and support and needs to finish or change?", "What isn’t working well?")),
        Prompt("new_to_introduce", "Should anything new be introduced to match the parent/child’s goals and aspirations?", ("Should anything new be introduced?",)),
    ),
    guidance=_REVIEW_GUIDANCE,
)

_APPENDICES = Section(
    key="appendices",
    where="section 7",
    headings=("Section 7: Appendices", "Section 7: Appendix", "Appendices", "Supporting documents"),
    prompts=(
        Prompt("family", "Family/Young person", ("Family / young person", "Family")),
        Prompt("education", "Education"),
        Prompt("health", "Health"),
        Prompt("social_care", "Social Care"),
        Prompt("careers", "Careers"),
        Prompt("other", "Other evidence from other people or agencies", ("Other evidence", "Other")),
    ),
    guidance=(
        "Documents that inform My Support Plan",
        "(Reference (and date) below)",
        "(Reference (and date) eg. previous My Support Plan(s), risk assessments/positive handling assessments, behaviour log/diary)",
        "(Reference (and date) eg. Health Care Plan, Therapy advice, Paediatricians report)",
        "(Reference (and date) eg. TAF Plan, Child in Need Plan, Child Protection Plan, PEP, Care Plan)",
        "It is good practice to make sure that the young person/parents understand what information is being used to inform the My Support Plan and that some of this information may need to be shared more widely with the professionals involved in order to work effectively together to support the child/young person.",
    ),
)

MSP_2019 = Profile(
    name="kirklees-v2f",
    group_headings=("Section 1: About me",),
    sections=(
        _INTRO, _PROFILE, _STORY, _FAMILY, _PARENT_VIEWS, _NEEDS, _HEALTH,
        _SOCIAL_CARE, _OUTCOMES, _PROVISION, _REVIEW, _APPENDICES,
    ),
    outcome_label="Outcome",
    areas_prompt=Prompt("areas_of_need", "The area(s) of my needs this outcome will address", ("The area of my needs this outcome will address", "Area(s) of need")),
    statement_prompt="will be able to",
    supported_by=(
        Column("education", "Education"),
        Column("health", "Health"),
        Column("social_care", "Social Care", ("Social care",)),
    ),
    provision_columns=(
        Column("outcome_number", "No. of outcome", ("Outcome number", "Outcome no.", "Outcome")),
        Column("steps", "Steps I will make towards achieving this outcome", ("Steps towards outcome", "Steps")),
        Column("targets", "Short term targets", ("Short-term targets", "Targets")),
        Column("actions", "What needs to happen to help me achieve this outcome?", ("What needs to happen?", "Provision")),
        Column("who", "Who will do it?", ("Who will do this?", "Who?", "Who")),
        Column("frequency", "How often? (frequency and duration)", ("How often?", "Frequency and duration", "Frequency")),
        Column("resources", "Resources required (including weekly costs)", ("Resources required", "Resources", "Cost")),
    ),
    provision_notes_label="Notes",
    review_labels=(
        ("R1", ("1st review (R1)", "1st review", "first review", "(R1)", "review 1")),
        ("R2", ("2nd review (R2)", "2nd review", "second review", "(R2)", "review 2")),
        ("R3", ("3rd review (R3)", "3rd review", "third review", "(R3)", "review 3")),
    ),
    review_date_prompt="Date of review",
    review_progress_columns=(
        Column("outcome_number", "No. of outcome", ("Outcome number", "Outcome no.", "Outcome")),
        Column("text", "Progress towards outcomes in My Support Plan", ("Progress towards outcomes",)),
    ),
)

PROFILES = {MSP_2019.name: MSP_2019}
DEFAULT_PROFILE = MSP_2019
