"""Page 1 and page headers: the plan's number and who the plan is about."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..layout import Block, iter_paragraphs

from ..model import Plan
from .dates import parse_date
from .text import clean, norm

if TYPE_CHECKING:
    from .draft import Draft

_PLAN_NUMBER = re.compile(r"^(?:my support plan|msp)(?: plan)?(?: no| number)? (\d{1,2})$")

_KEYS = (
    ("date_of_birth", r"d\.?\s?o\.?\s?b\.?|date\s+of\s+birth"),
    ("year_group", r"year\s+group|national\s+curriculum\s+year|ncy"),
    ("upn", r"upn|unique\s+pupil\s+number"),
    ("setting", r"(?:name\s+of\s+)?(?:education\s+)?(?:setting|school|nursery|college)(?:\s*/\s*(?:setting|school))?"),
    ("name", r"(?:child'?s|pupil'?s|young\s+person'?s|full|child)?\s*name"),
)
_KEY_RE = re.compile(
    r"(?:^|(?<=[\s|;,(]))(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _KEYS) + r")\s*:",
    re.IGNORECASE,
)


def read_plan_number(normalised: str, plan: Plan) -> bool:
    """"My Support Plan 2" / "MSP No. 3" on a line of its own sets plan_number."""
    m = _PLAN_NUMBER.match(normalised)
    if not m:
        return False
    if plan.plan_number is None:
        plan.plan_number = int(m.group(1))
    return True


def read_child(text: str, plan: Plan, draft: "Draft", where: str) -> bool:
    """Fill ``plan.child`` from "Name: ...  DOB: ..." pairs; True if the line holds such labels."""
    if ":" not in text:
        return False
    keys = list(_KEY_RE.finditer(text))
    if not keys:
        return False
    found = False
    for i, m in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(text)
        value = clean(text[m.end():end])
        field = m.lastgroup
        found = True  # "UPN:" with nothing after it is still the form's own label
        if not value or field is None:
            continue
        if getattr(plan.child, field) is not None:
            continue
        if field == "date_of_birth":
            date = parse_date(value)
            if date is None:
                draft.warn("unreadable-date", where)
                draft.unmapped(where, f"{m.group(0)} {value}")
            plan.child.date_of_birth = date
        else:
            setattr(plan.child, field, value)
    return found


def page_margins(headers: "list[Block]", footers: "list[Block]", draft: "Draft") -> None:
    """The child's details and the plan number where a page header or footer holds them."""
    for para in iter_paragraphs(headers + footers):
        text = para.text
        if read_plan_number(norm(text), draft.plan):
            continue
        read_child(text, draft.plan, draft, "page header")
