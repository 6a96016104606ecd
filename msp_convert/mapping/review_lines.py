"""Reviews typed as paragraphs, not in the form's review table.

In a plan written as headings and paragraphs, a review starts at its label
("1st review (R1)") or at "Date of review: 12/03/2020"; the review questions
that follow ("What is working well ...?") then fill that review, as they do
inside the table. A review that gets nothing (the questions left blank) is
dropped at the end, as an empty review table is. The labels and the date
prompt are the profile's; a form without them (York's, reviewed by its own
dates moving on) has no review lines.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from ..layout import Paragraph
from ..model import Review
from ..template import Profile
from .dates import DATE_RE, parse_date
from .text import clean, norm

if TYPE_CHECKING:
    from .flow import Flow



class ReviewLines:
    """The review being filled from lines, in a section 6 typed as paragraphs."""

    def __init__(self, flow: "Flow") -> None:
        self.flow = flow
        self.current: Optional[Review] = None
        self.started: list[Review] = []

    def feed(self, para: Paragraph) -> bool:
        """Take a review's label or date line; False leaves the line to the flow."""
        n = norm(para.text)
        label = self._label(n)
        prompt = norm(self.flow.profile.review_date_prompt or "")
        dated = bool(prompt) and n.startswith(prompt)
        if label is None and not dated:
            return False
        current = self.current
        if current is None or label is not None or current.date is not None:
            current = self._start(label)
            if current is None:
                return False
        if dated:
            review_date(para.text, current, self.flow, self.flow.profile)
        return True

    def _label(self, normalised: str) -> Optional[str]:
        for label, wordings in self.flow.profile.review_labels:
            if any(normalised == norm(w) or normalised.startswith(norm(w) + " ") for w in wordings):
                return label
        return None

    def _start(self, label: Optional[str]) -> Optional[Review]:
        reviews = self.flow.draft.plan.reviews
        labels = self.flow.m.markers  # the profile's review labels, in order (the model's when it names none)
        if label is None and len(reviews) >= len(labels):
            return None
        review = Review(label=label or labels[len(reviews)])  # type: ignore[arg-type]
        reviews.append(review)
        self.started.append(review)
        self.current = review
        self.flow.target, self.flow.field = review, None
        return review

    def finish(self) -> None:
        """Drop the reviews started here that got no date and no answers: the blank form's questions."""
        empty = [r for r in self.started if not (r.date or r.working_well or r.not_working or r.new_to_introduce)]
        plan = self.flow.draft.plan
        plan.reviews = [r for r in plan.reviews if not any(r is e for e in empty)]


def review_date(text: str, review: Review, flow: "Flow", profile: Profile) -> bool:
    """Read "Date of review: ..." into ``review.date``; True if anything was written there."""
    prompt = profile.review_date_prompt
    at = text.lower().find(prompt.lower()) if prompt else -1
    if at < 0:
        return False
    rest = text[at + len(prompt):]
    m = DATE_RE.search(rest)
    if m:
        review.date = parse_date(m.group(0))
        if review.date is None:
            flow.draft.warn("unreadable-date", flow.where)
            flow.draft.unmapped(flow.where, m.group(0))
        return True
    # Something written that is not a date ("Spring term 2019"): keep it.
    for _, wordings in profile.review_labels:
        for w in wordings:
            rest = re.sub(re.escape(w), " ", rest, flags=re.IGNORECASE)
    rest = clean(rest)
    if rest and norm(rest):
        flow.draft.warn("unreadable-date", flow.where)
        flow.draft.unmapped(flow.where, rest)
        return True
    return False
