"""Outcomes typed as paragraphs, not in the form's grid.

A plan written as headings and paragraphs gives each outcome a line of its own,
"Outcome 1: By the end of KS2, Sam will be able to ...", perhaps followed by
"Area(s) of need: ..." and "Supported by: Education and Health" lines and by
more lines of the statement. They are read into ``outcomes`` as the grid's
rows are; anything else ends the outcome. "Outcome", "will be able to", "By the
end of" and "Supported by" are the profile's wording (a form may have none of
the last: York's).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Optional

from ..layout import Paragraph
from ..model import Outcome, SupportedBy
from ..template import Profile
from .entries import able_pattern, areas_of_need, key_stage, make_entry, pieces, statement_text
from .text import norm, words_pattern

if TYPE_CHECKING:
    from .flow import Flow


@lru_cache(maxsize=8)
def _outcome_line(label: str) -> re.Pattern[str]:
    """"Outcome 1:", "Outcome no. 2 -": the profile's outcome label, a number and a separator."""
    words = words_pattern(label, r"[ \t]+") or r"(?!)"
    return re.compile(r"^[ \t]*" + words + r"[ \t]*(?:no\.?[ \t]*)?(\d{1,2})[ \t]*[:.)\-\u2013][ \t]*", re.IGNORECASE)


def support_leads(profile: Profile) -> tuple[str, ...]:
    """The wording that leads the Supported-by labels ("Supported by"): the outcomes part's
    prompts that are not a label themselves; none on a form without the labels."""
    section = profile.with_role("outcomes")
    if not profile.supported_by or section is None:
        return ()
    labels = {norm(w) for c in profile.supported_by for w in c.wordings}
    return tuple(w for p in section.prompts for w in p.wordings if norm(w) not in labels)


class OutcomeLines:
    """The outcome being read, line by line, in a section 5 typed as paragraphs."""

    def __init__(self, flow: "Flow") -> None:
        self.flow = flow
        self.current: Optional[Outcome] = None
        self._leads: Optional[tuple[str, ...]] = None  # "supported by", normalised, once the profile is known

    def _supported_lead(self, normalised: str) -> Optional[str]:
        """The "Supported by" a line starts with, normalised; None if none."""
        if self._leads is None:
            self._leads = tuple(n for n in map(norm, support_leads(self.flow.profile)) if n)
        return next((n for n in self._leads if normalised.startswith(n)), None)

    def feed(self, para: Paragraph) -> bool:
        """Take the line if it starts or goes on with an outcome; False leaves it to the flow."""
        text = para.text
        m = _outcome_line(self.flow.profile.outcome_label).match(text)
        if m:
            self.current = self._start(para, int(m.group(1)), m.end())
            return self.current is not None
        if self.current is None:
            return False
        areas = self.flow.m.areas.match(text)
        if areas is not None:
            self.current.areas_of_need = _merged(self.current.areas_of_need, areas_of_need(text[areas.rest_at:], self.flow.profile))
            return True
        lead = self._supported_lead(norm(text))
        if lead is not None:
            self.current.supported_by = self._supported_by(norm(text)[len(lead):])
            return True
        self.current = None  # what follows an outcome's lines is the flow's again
        return False

    def _start(self, para: Paragraph, number: int, start: int) -> Optional[Outcome]:
        profile = self.flow.profile
        able = able_pattern(profile.statement_prompt).search(para.text, start)
        line, deleted = pieces(para, able.end() if able else start)
        written = make_entry(line, deleted, self.flow.m.markers)
        if written is None:
            return None
        statement = self.flow.draft.noticed(written, self.flow.where)
        statement.text = statement_text(statement.text)
        outcome = Outcome(
            number=number,
            areas_of_need=areas_of_need(para.text[start:able.start()], profile) if able else [],
            key_stage=key_stage(para.text[start:], profile.key_stage_lead),
            statement=statement,
        )
        self.flow.draft.plan.outcomes.append(outcome)
        return outcome

    def _supported_by(self, rest: str) -> SupportedBy:
        said = f" {rest} "
        marks = {c.field: any(f" {norm(w)} " in said for w in c.wordings) for c in self.flow.profile.supported_by}
        return SupportedBy(**marks)


def _merged(have: list, more: list) -> list:
    return have + [a for a in more if a not in have]
