"""What the provision still in place costs a week, per outcome and a year.

The weekly amount of an entry is read as the reader reads it (mapping.entries);
here it is also shared by the group size an entry gives ("£43.75 ÷ 8", "shared
between 6 pupils"), and entries whose money cannot be read as a weekly cost
are named, so a person can settle them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from ..mapping.entries import in_place, weekly_amount
from ..model import Plan

_GROUP = re.compile(
    r"(?:÷|\bdivided\s+by)\s*(\d{1,2})\b"
    r"|/\s*(\d{1,2})\s*(?:pupils|children|students|in\s+the\s+group)\b"
    r"|shared\s+(?:between|by|across|among)\s+(\d{1,2})\b"
    r"|group\s+of\s+(\d{1,2})\b",
    re.IGNORECASE,
)
_NOT_WEEKLY = re.compile(r"one[\s-]?off|per\s+term|termly|a\s+term|per\s+(?:year|annum)|annual|yearly|per\s+month|monthly", re.IGNORECASE)
_FREE = re.compile(r"\bno\s+cost\b|\bfree\b|\bnil\s+cost\b|£\s?0(?:\.00)?\b", re.IGNORECASE)
PENNY = Decimal("0.01")


@dataclass
class CostedEntry:
    outcome_number: int
    index: int  # 1-based, within the row's resources
    text: str
    weekly: Optional[Decimal]  # this plan's share
    group: Optional[int] = None
    note: str = ""  # why it is not counted, when it is not


@dataclass
class Costs:
    per_outcome: dict[int, Decimal] = field(default_factory=dict)
    entries: list[CostedEntry] = field(default_factory=list)
    weeks: int = 38

    @property
    def weekly_total(self) -> Decimal:
        return sum(self.per_outcome.values(), Decimal(0))

    @property
    def yearly_total(self) -> Decimal:
        return (self.weekly_total * self.weeks).quantize(PENNY)

    @property
    def unreadable(self) -> list[CostedEntry]:
        return [e for e in self.entries if e.note == "unreadable"]


def group_size(text: str) -> Optional[int]:
    m = _GROUP.search(text)
    if not m:
        return None
    size = int(next(g for g in m.groups() if g))
    return size if size > 1 else None


def plan_costs(plan: Plan, weeks: int = 38, weekly: bool = False) -> Costs:
    """What the provision still in place costs; ``weekly``: the form's resources column holds weekly
    amounts (York's "Weekly cost"), so an amount written alone is a weekly cost."""
    costs = Costs(weeks=weeks)
    for row in plan.provision:
        total = costs.per_outcome.get(row.outcome_number, Decimal(0))
        for index, entry in enumerate(row.resources, 1):
            if entry.withdrawn:
                continue
            text = in_place(entry)
            amount = weekly_amount(text, weekly)
            group = group_size(text)
            costed = CostedEntry(row.outcome_number, index, entry.text, None, group)
            if amount is not None:
                share = (amount / group) if group else amount
                costed.weekly = share.quantize(PENNY, rounding=ROUND_HALF_UP)
                total += costed.weekly
            elif "£" in text and not _FREE.search(text):
                costed.note = "not weekly" if _NOT_WEEKLY.search(text) else "unreadable"
            else:
                costed.note = "no cost stated" if not _FREE.search(text) else "no cost"
            costs.entries.append(costed)
        costs.per_outcome[row.outcome_number] = total
    return costs
