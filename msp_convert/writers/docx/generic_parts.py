"""The parts of a form drawn from its profile alone that are more than prompts and answers (``generic.py``).

The cover (role "front"), the contents page, the outcomes with the provision
table, and the appendices: see ``generic.py`` for the rules they follow.
"""

from __future__ import annotations

import re
from typing import Any, Optional, Sequence

from ...model import Appendices, DocRef, Entry, Outcome, Plan
from ...template import Label, Profile, Section
from .build import Builder
from .form import date_text, entry_pieces

_NUMBER = re.compile(r"\d+")


def group_numbers(profile: Profile) -> dict[str, str]:
    """Part number -> the group heading drawn for it (its first wording)."""
    out: dict[str, str] = {}
    for heading in profile.group_headings:
        m = _NUMBER.search(heading)
        if m:
            out.setdefault(m.group(), heading)
    return out


def group_of(section: Section, groups: dict[str, str]) -> Optional[str]:
    head, dot, _ = section.key.partition(".")
    return groups.get(head) if dot else None


class Parts:
    """Drawn by ``generic.Generic``, whose helpers (entries, rows, own_and_others ...) these use."""

    plan: Plan
    profile: Profile
    b: Builder
    groups: dict[str, str]
    entries: Any
    paragraphs: Any
    prompt: Any
    rows: Any
    item: Any
    others: Any
    shown: Any
    own_and_others: Any

    def front(self, section: Section) -> None:
        """The cover: label | value rows; kept text before any label's in the first value cell, the rest after."""
        b = self.b
        own, others = self.own_and_others(section)
        entries = list(own.entries) if own else []
        used: set[int] = set()
        values = [self.cover_value(label, entries, used) for label in self.profile.cover]
        first_used = min(used, default=len(entries))
        before = [e for i, e in enumerate(entries) if i < first_used and i not in used]
        after = [e for i, e in enumerate(entries) if i > first_used and i not in used]
        if self.profile.cover:
            table = b.table([b.width * 2 // 5, b.width - b.width * 2 // 5])
            for n, (label, value) in enumerate(zip(self.profile.cover, values)):
                cells = b.row(table)
                b.text(cells[0], label.wording + ":")
                b.text(cells[1], value)
                if n == 0:
                    self.entries(before, cells[1])
        else:
            after = before + after
        self.entries(after)
        if own is not None:
            self.rows(own.rows)
        self.others(others)
        self.paragraphs(self.profile.marks[1:])

    def cover_value(self, label: Label, entries: list[Entry], used: set[int]) -> str:
        child, dates = self.plan.child, self.plan.plan_dates
        to = label.to
        if to == "section":
            for i, entry in enumerate(entries):
                for wording in label.wordings:
                    if i not in used and entry.text.startswith(wording + ":"):
                        used.add(i)
                        return entry.text[len(wording) + 1:].strip()
            return ""
        name = (child.name or "").split(None, 1)
        split = {"child.first_name", "child.surname"} <= {c.to for c in self.profile.cover}
        if to == "child.first_name":
            return (name[0] if split else child.name or "") if name else ""
        if to == "child.surname":
            return name[1] if len(name) > 1 else ""
        owner, _, field = to.partition(".")
        return self.shown(getattr(child if owner == "child" else dates, field))

    def contents(self, section: Section) -> None:
        b, profile = self.b, self.profile
        own, others = self.own_and_others(section)
        columns = profile.contents_columns
        values = {row[0]: list(row[1:]) for row in (own.rows if own else []) if row}
        first = b.width // 2
        table = b.table([first] + [(b.width - first) // max(len(columns), 1)] * len(columns))
        for cell, text in zip(b.row(table, header=True), ["", *columns]):
            b.text(cell, text, bold=True)
        drawn: set[str] = set()
        for part in profile.sections:
            group = group_of(part, self.groups)
            if group and group not in drawn:
                drawn.add(group)
                self.contents_row(table, group, [], len(columns), bold=True)
                if part.by:
                    self.contents_row(table, part.by, [], len(columns))
            self.contents_row(table, part.headings[0], values.pop(part.key, []), len(columns))
        for key, rest in values.items():  # rows for no part of this profile
            self.contents_row(table, key, rest, len(columns))
        if own is not None:
            self.entries(own.entries)
        self.others(others)

    def contents_row(self, table, title: str, values: list[str], width: int, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
        values = values[-width:] if width else []
        cells = self.b.row(table)
        self.b.text(cells[0], title, bold=bold)
        for cell, text in zip(cells[1:], [""] * (width - len(values)) + values):
            self.b.text(cell, text)

    def outcomes(self, section: Section) -> None:
        own, others = self.own_and_others(section)
        for outcome in self.plan.outcomes:
            self.outcome(outcome)
        if self.profile.with_role("provision") is None:
            self.provision_table()
        if own is not None:
            self.item(own)
        self.others(others)

    def outcome(self, outcome: Outcome) -> None:
        """"Outcome 1: By the end of KS2, Ava will be able to read aloud." (the statement's closing stop added)."""
        profile = self.profile
        p = self.b.paragraph(self.b.body)
        name = (self.plan.child.name or "").split()
        who = name[0] if name else "I"
        lead = f"{profile.outcome_label} {outcome.number}: "
        if outcome.key_stage:
            lead += f"{profile.key_stage_lead} {outcome.key_stage}, "
        statement = outcome.statement
        self.b.run(p, lead + f"{who} {profile.statement_prompt} ", strike=bool(statement and statement.withdrawn))
        if statement is not None:
            self.b.pieces(p, entry_pieces(statement))
            if not statement.text.rstrip().endswith(".") and not statement.review:
                self.b.run(p, ".", strike=statement.withdrawn)

    def provision(self, section: Section) -> None:
        own, others = self.own_and_others(section)
        self.provision_table()
        if own is not None:
            self.item(own)
        self.others(others)

    def provision_table(self) -> None:
        b, columns = self.b, self.profile.provision_columns
        if not columns:
            return
        table = b.table([b.width // len(columns)] * len(columns))
        for cell, column in zip(b.row(table, header=True), columns):
            b.text(cell, column.wording, bold=True)
        for provision in self.plan.provision:
            for cell, column in zip(b.row(table), columns):
                value = getattr(provision, column.field)
                if isinstance(value, list):
                    self.entries(value, cell)
                else:
                    b.text(cell, str(value))

    def appendices(self, section: Section) -> None:
        """One line per document; those of a bucket the part has a prompt for under that prompt (after the rest)."""
        own, others = self.own_and_others(section)
        apps = self.plan.appendices
        prompted = [p for p in section.prompts if p.field in Appendices.model_fields]
        fields = {p.field for p in prompted}
        for field in Appendices.model_fields:
            if field not in fields:
                self.refs(getattr(apps, field))
        for prompt in prompted:
            self.prompt(prompt.wording)
            self.refs(getattr(apps, prompt.field))  # type: ignore[arg-type]
        if own is not None:
            self.item(own)
        self.others(others)

    def refs(self, refs: Sequence[DocRef]) -> None:
        self.paragraphs([r.reference + (f", {date_text(r.date)}" if r.date else "") for r in refs])
