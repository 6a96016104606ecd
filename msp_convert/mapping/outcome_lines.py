"""Outcomes typed as paragraphs, not in the form's grid.

A plan written as headings and paragraphs gives each outcome a line of its own,
"Outcome 1: By the end of KS2, Sam will be able to ...", perhaps followed by
"Area(s) of need: ..." and "Supported by: Education and Health" lines and by
more lines of the statement. They are read into ``outcomes`` as the grid's
rows are; anything else ends the outcome.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from ..layout import Paragraph
from ..model import Outcome, SupportedBy
from .entries import ABLE, areas_of_need, key_stage, make_entry, pieces, statement_text
from .text import norm

if TYPE_CHECKING:
    from .flow import Flow

_OUTCOME = re.compile(r"^[ \t]*outcome[ \t]*(?:no\.?[ \t]*)?(\d{1,2})[ \t]*[:.)\-\u2013][ \t]*", re.IGNORECASE)
_SUPPORTED_BY = "supported by"


class OutcomeLines:
    """The outcome being read, line by line, in a section 5 typed as paragraphs."""

    def __init__(self, flow: "Flow") -> None:
        self.flow = flow
        self.current: Optional[Outcome] = None

    def feed(self, para: Paragraph) -> bool:
        """Take the line if it starts or goes on with an outcome; False leaves it to the flow."""
        text = para.text
        m = _OUTCOME.match(text)
        if m:
            self.current = self._start(para, int(m.group(1)), m.end())
            return self.current is not None
        if self.current is None:
            return False
        areas = self.flow.m.areas.match(text)
        if areas is not None:
            self.current.areas_of_need = _merged(self.current.areas_of_need, areas_of_need(text[areas.rest_at:]))
            return True
        if norm(text).startswith(_SUPPORTED_BY):
            self.current.supported_by = self._supported_by(norm(text)[len(_SUPPORTED_BY):])
            return True
        self.current = None  # what follows an outcome's lines is the flow's again
        return False

    def _start(self, para: Paragraph, number: int, start: int) -> Optional[Outcome]:
        able = ABLE.search(para.text, start)
        line, deleted = pieces(para.inlines, able.end() if able else start)
        written = make_entry(line, deleted)
        if written is None:
            return None
        statement = self.flow.draft.noticed(written, self.flow.where)
        statement.text = statement_text(statement.text)
        outcome = Outcome(
            number=number,
            areas_of_need=areas_of_need(para.text[start:able.start()]) if able else [],
            key_stage=key_stage(para.text[start:]),
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
