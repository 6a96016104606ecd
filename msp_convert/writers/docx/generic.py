"""A form drawn from its profile's data alone (``Profile.writer = "generic"``): York's 2014 form, or any other.

No profile is named here; the layout follows these rules, and what it writes is
what the mapping reads back with the same profile:

- the title: the profile's first mark (a line only that form prints), else its plan title;
  its other marks (York's cover sub-headings and "published on" line) after the cover;
- a group heading (Word's Heading 1) before the first sub-part whose key starts with the
  number in it ("Part 2: ..." before "2.1"), each number once, in its first wording; a
  sub-part of a group is a Heading 2, a part of no group a Heading 1;
- the part of role "front": the cover's labels as a table, label | value (the child's
  name split into first name and surname where the cover asks for both, dates day
  first, a "section" label's value taken from the kept entry "Label: value");
- the part of role "contents": a table under the profile's contents columns, a row per
  group and per part (its heading's first wording), the kept rows' values in the last
  columns ("1.1" | "" | "12/09/2019");
- any other part: what its default field holds (under no prompt), the text kept for it
  (``plan.sections`` "PROFILE/KEY" under the part's own heading) and its rows as a table,
  each printed prompt in bold with its answers, each routed field under a bold line of its
  route's words (which the reader routes back), a field nothing claims under its name, and
  each kept item with a heading of its own (a prompt the reader did not route) under it in bold;
- the outcomes part: "Outcome 1: By the end of KS2, Ava will be able to ...", then the
  provision (unless a provision part holds it) as a table under the profile's provision columns;
- the appendices part: one line per document, "reference, dd/mm/yyyy";
- unmapped text at the end of the part whose ``where`` it has, kept sections of no part
  of this profile at the end under their own headings.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Optional, Sequence

from ...model import Entry, Plan, Section as Kept
from ...template import Profile, Section
from ...text import norm
from .build import STYLE_PART, STYLE_SUBPART, STYLE_WORD_TITLE, Builder
from .form import CHILD_LABELS, DATE_LABELS, date_text, entry_pieces
from .generic_parts import Parts, group_numbers, group_of

MARGINS = ("cover", "page header", "page footer")
_LEADING_NUMBER = re.compile(r"^[\d\s]+")


def bare(heading: str) -> str:
    """A heading compared without its number: "1.1\tWho I am" and "Who I am" are the same."""
    return _LEADING_NUMBER.sub("", norm(heading))


def route_label(section: Section, field: str) -> Optional[str]:
    """A bold line the reader routes to ``field`` and to no other: the field's name, else one of its routes' words."""
    candidates = [field.replace("_", " ")] + [r.words for r in section.routes if r.field == field]
    for label in candidates:
        label = label[:1].upper() + label[1:]
        if {r.field for r in section.routes if f" {norm(r.words)} " in f" {norm(label)} "} == {field}:
            return label
    return None


def claims(section: Section) -> set[str]:
    """The fields a part's own wording sends answers to: default, prompts, routes."""
    found = {p.field for p in section.prompts if p.field} | {r.field for r in section.routes}
    return found | ({section.default_field} if section.default_field else set())


class Generic(Parts):
    def __init__(self, plan: Plan, profile: Profile) -> None:
        self.plan, self.profile, self.b = plan, profile, Builder()
        self.groups = group_numbers(profile)
        self.notes: dict[str, list[str]] = {}
        for item in plan.unmapped:
            self.notes.setdefault(item.where, []).append(item.text)
        self.kept: dict[Optional[str], list[Kept]] = {}
        for item in plan.sections:
            self.kept.setdefault(item.key, []).append(item)
        claimed = {(s.model_key, f) for s in profile.sections for f in claims(s)}
        self.first_of: dict[str, str] = {}  # model attribute -> the first part filling it
        for s in profile.sections:
            self.first_of.setdefault(s.model_key, s.key)
        # Fields of a part's model object no part claims: drawn under their names in the first part filling it.
        self.unclaimed = {key: [f for f in self.fields(key) if (key, f) not in claimed] for key in self.first_of}

    # --- the whole form ----------------------------------------------------------------

    def write(self) -> bytes:
        b, profile = self.b, self.profile
        self.margins()
        b.text(b.body, profile.marks[0] if profile.marks else profile.plan_title, STYLE_WORD_TITLE)
        if profile.with_role("front") is None:
            self.paragraphs(profile.marks[1:])
        self.unmapped("cover")
        drawn: set[str] = set()
        for section in profile.sections:
            group = group_of(section, self.groups)
            if group and group not in drawn:
                drawn.add(group)
                b.text(b.body, group, STYLE_PART)
            b.text(b.body, section.headings[0], STYLE_SUBPART if group else STYLE_PART)
            DRAW.get(section.role or "", Generic.part)(self, section)
            self.unmapped(section.where)
        self.the_rest()
        return b.save(profile.plan_title)

    def margins(self) -> None:
        """The child's details and dates the cover has no label for, in the page header."""
        covered = {label.to for label in self.profile.cover}
        child, dates = self.plan.child, self.plan.plan_dates
        parts = [f"{label}: {self.shown(getattr(child, field))}" for field, label in CHILD_LABELS
                 if getattr(child, field) and f"child.{field}" not in covered
                 and not (field == "name" and "child.first_name" in covered)]
        parts += [f"{label}: {date_text(getattr(dates, field))}" for field, label in DATE_LABELS
                  if getattr(dates, field) and f"plan_dates.{field}" not in covered]
        lines = (["    ".join(parts)] if parts else []) + self.notes.get("page header", [])
        if lines:
            self.b.header_lines(lines)
        self.b.footer_lines(self.notes.get("page footer", []))

    def the_rest(self) -> None:
        """Unmapped text of no part, and kept sections of no part of this profile, each under its heading."""
        wheres = {*MARGINS, *(s.where for s in self.profile.sections)}
        for where, texts in self.notes.items():
            if where not in wheres:
                self.paragraphs(texts)
        ours = {self.key_of(s) for s in self.profile.sections}
        for item in self.plan.sections:
            if item.key not in ours:
                self.b.text(self.b.body, item.heading, STYLE_PART)
                self.item(item)

    # --- helpers -------------------------------------------------------------------------

    def key_of(self, section: Section) -> str:
        return f"{self.profile.name}/{section.key}"

    @staticmethod
    def shown(value: Any) -> str:
        return date_text(value) if isinstance(value, dt.date) else (value or "")

    def fields(self, model_key: str) -> list[str]:
        target = getattr(self.plan, model_key, None)
        if target is None or isinstance(target, list):
            return []
        return [f for f in type(target).model_fields if isinstance(getattr(target, f), list)
                and all(isinstance(e, Entry) for e in getattr(target, f))]

    def answers(self, section: Section, field: str) -> list[Entry]:
        target = getattr(self.plan, section.model_key, None)
        if isinstance(target, list):  # a part that fills a list of the plan itself ("health_needs")
            return target if field == section.model_key else []
        value = getattr(target, field, None) if target is not None else None
        return value if isinstance(value, list) else []

    def own_and_others(self, section: Section) -> tuple[Optional[Kept], list[Kept]]:
        """The kept item under the part's own heading (the first such), and those under headings of their own."""
        items = self.kept.get(self.key_of(section), [])
        own_heads = {bare(h) for h in section.headings}
        own = next((i for i in items if bare(i.heading) in own_heads or not i.heading.strip()), None)
        return own, [i for i in items if i is not own]

    def paragraphs(self, texts: Sequence[str], where: Any = None) -> None:
        for text in texts:
            self.b.text(self.b.body if where is None else where, text)

    def entries(self, entries: Sequence[Entry], where: Any = None) -> None:
        for entry in entries:
            self.b.pieces(self.b.paragraph(self.b.body if where is None else where), entry_pieces(entry))

    def prompt(self, wording: str) -> None:
        self.b.text(self.b.body, wording, bold=True)

    def rows(self, rows: Sequence[Sequence[str]]) -> None:
        width = max((len(r) for r in rows), default=0)
        if not width:
            return
        table = self.b.table([self.b.width // width] * width)
        for row in rows:
            for cell, text in zip(self.b.row(table), list(row) + [""] * (width - len(row))):
                for line in text.split("\n"):
                    self.b.text(cell, line)

    def item(self, item: Kept) -> None:
        self.entries(item.entries)
        self.rows(item.rows)

    def others(self, items: Sequence[Kept]) -> None:
        for item in items:
            self.prompt(item.heading)
            self.item(item)

    def unmapped(self, where: str) -> None:
        self.paragraphs(self.notes.get(where, []))

    # --- a part of the form ----------------------------------------------------------------

    def part(self, section: Section) -> None:
        own, others = self.own_and_others(section)
        if section.default_field:
            self.entries(self.answers(section, section.default_field))
        if own is not None:
            self.item(own)
        done = {section.default_field}
        for prompt in section.prompts:
            self.prompt(prompt.wording)
            if prompt.field:
                self.entries(self.answers(section, prompt.field))
                done.add(prompt.field)
        for route in section.routes:
            if route.field in done:
                continue
            done.add(route.field)
            answers = self.answers(section, route.field)
            label = route_label(section, route.field)
            if answers and label:
                self.prompt(label)
                self.entries(answers)
        if self.first_of.get(section.model_key) == section.key:
            for field in self.unclaimed.get(section.model_key, []):
                answers = self.answers(section, field)
                if answers:
                    self.prompt(field.replace("_", " ").capitalize())
                    self.entries(answers)
        self.others(others)


DRAW = {
    "front": Generic.front, "contents": Generic.contents, "outcomes": Generic.outcomes,
    "provision": Generic.provision, "appendices": Generic.appendices,
}
