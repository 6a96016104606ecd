"""The My Support Plan form, drawn from a template profile and filled from a plan.

Every heading, prompt, guidance line, tick label and column header comes from
the ``Profile`` (``msp_convert/template.py``); this module only knows the
layout: which table each part is, what is shaded, where the tick boxes and the
answers go. What it writes is what the mapping reads back: the layout keeps
each answer under the prompt that claims it, and text that fits no field
(``plan.unmapped``) where its ``where`` says it was found.

The plan is written as it stands: struck text as ``w:strike`` runs, review
markers after their entry ("R1 12/03/2019"), reviews filled. For a new plan,
``newplan.new_plan`` takes the history out first.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional, Sequence

from lxml import etree

from ...model import DocRef, Entry, Outcome, Plan, Provision, Review, WrittenBy
from ...template import Profile, Prompt, Section, TickOption
from ...text import norm
from .build import (
    FILL_HEADING, FILL_PROMPT, STYLE_BULLET, STYLE_HEADING, STYLE_NOTE, STYLE_PROMPT, STYLE_SUBHEADING,
    STYLE_GUIDANCE, STYLE_TITLE, Builder, Piece, Table,
)

LEADER = "\u2026" * 12  # the dotted line a person writes on
DATE_FORMAT = "%d/%m/%Y"  # UK day first, which the reader reads day first
# The child's details in the page header, with labels the reader knows (mapping/front.py).
CHILD_LABELS = (
    ("name", "Name"), ("known_as", "Known as"), ("date_of_birth", "DOB"), ("setting", "Setting"),
    ("year_group", "Year group"), ("upn", "UPN"),
)
# The plan's own dates, on a second header line, with labels the reader knows.
DATE_LABELS = (("this_plan", "Date of this plan"), ("review_by", "Review date"), ("initial_plan", "Date of initial plan"))

# Layout the profile's data does not say: prompts drawn inside the answer cell
# of the group prompt before them ("What I enjoy doing ..." -> "In school/setting:").
SUB_PROMPTS = frozenset({"enjoy_in_setting", "enjoy_out_of_setting", "goals_short_term", "goals_long_term"})
# Guidance is named in the profile (``Section.named``): the introduction's tick list
# goes after its "before-ticks" lines and the signature after its "before-signature"
# lines; the outcomes' "lead" and explanatory note ("note-left", "note-right"); the
# provision key ("key"), its notes row ("note:" + column field); each review's ("R1");
# Section 7's "title", each category's reference note (its field) and "closing".
TEMPLATE_ROWS = 7  # outcome boxes (and provision and review rows) the blank form has
EMPTY_LINES = 2  # blank bullets under a prompt nobody has answered, to write on

# Where unmapped text found outside the form's parts goes, so that it reads back from the same place.
MARGINS = ("cover", "page header", "page footer", "after section 7")


def date_text(value: Optional[dt.date]) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def entry_pieces(entry: Entry) -> list[Piece]:
    """An entry as struck and plain stretches, its review marker after it."""
    text = entry.text
    out: list[Piece] = []
    if entry.withdrawn:
        out.append((text, True))
    elif entry.struck:
        at = 0
        for fragment in entry.struck:
            found = text.find(fragment, at) if fragment else -1
            if found < 0:
                continue
            out.append((text[at:found], False))
            out.append((fragment, True))
            at = found + len(fragment)
        out.append((text[at:], False))
    else:
        out.append((text, False))
    if entry.review:
        marker = entry.review + (" " + date_text(entry.review_date) if entry.review_date else "")
        out.append((" " + marker, entry.withdrawn))
    return out


def is_bullet(line: str) -> bool:
    """Guidance that goes on a list started by the line before ("what is important to me ...")."""
    return line[:1].islower()


def is_subheading(line: str) -> bool:
    """Short guidance that titles what follows ("Key", "Explanatory note")."""
    words = line.split()
    return 0 < len(words) <= 8 and not line.startswith("(") and line[-1:] not in ".;"


class Form:
    def __init__(self, plan: Plan, profile: Profile) -> None:
        self.plan = plan
        self.profile = profile
        self.b = Builder()
        notes: dict[str, list[str]] = {}
        for item in plan.unmapped:
            notes.setdefault(item.where, []).append(item.text)
        self.notes = notes

    # --- the whole form -------------------------------------------------------------------

    def write(self) -> bytes:
        b = self.b
        self.page_header()
        self.cover()
        self.introduction()
        self.notes_after(self.part("front").where)
        b.page_break()
        for key in ("profile", "story", "family", "parent_views"):
            self.about_me(self.profile.section(key))
        b.page_break()
        self.needs()
        self.free_text(self.profile.section("health_needs"), self.plan.health_needs)
        self.free_text(self.profile.section("social_care_needs"), self.plan.social_care_needs)
        b.new_section(landscape=True)  # Section 5's tables are wide
        numbers = self.outcomes()
        self.provision()
        b.new_section(landscape=False)
        self.reviews(numbers)
        self.appendices()
        # Text found after Section 7, and any whose place this form does not have.
        known = {*MARGINS, *(s.where for s in self.profile.sections)}
        rest = [t for where, texts in self.notes.items() if where not in known for t in texts]
        texts = self.notes.get("after section 7", []) + rest
        if texts:
            b.text(b.body)
        for text in texts:
            b.text(b.body, text)
        self.kept_sections()
        return b.save(self.profile.plan_title)

    def part(self, role: str) -> Section:
        """The form's part of that role (this drawing needs each of them)."""
        section = self.profile.with_role(role)
        if section is None:
            raise ValueError(f"profile {self.profile.name!r} has no {role} section for the {self.profile.writer} drawing")
        return section

    def kept_sections(self) -> None:
        """The parts the form does not have, each under its heading as written (read back as such)."""
        b = self.b
        for section in self.plan.sections:
            b.text(b.body)
            b.text(b.body, section.heading, STYLE_HEADING)
            self.entries(b.body, section.entries, style=None, blank=0)
            width = max((len(row) for row in section.rows), default=0)
            if width:
                table = b.table([b.width // width] * width)
                for row in section.rows:
                    for cell, text in zip(b.row(table), row + [""] * (width - len(row))):
                        for line in text.split("\n"):
                            b.text(cell, line)

    def notes_after(self, where: str) -> None:
        """Text that fits no field, placed after its section's table (where no prompt claims it)."""
        texts = self.notes.get(where, [])
        if texts:
            self.b.text(self.b.body)
        for text in texts:
            self.b.text(self.b.body, text)

    # --- page header, page 1 ------------------------------------------------------------------

    def page_header(self) -> None:
        child = self.plan.child
        parts = []
        for field, label in CHILD_LABELS:
            value = getattr(child, field)
            value = date_text(value) if isinstance(value, dt.date) else value
            if value or field in ("name", "date_of_birth"):  # those two always, to fill in
                parts.append(f"{label}: {value or ''}")
        dates = self.plan.plan_dates
        written = [f"{label}: {date_text(getattr(dates, field))}" for field, label in DATE_LABELS if getattr(dates, field)]
        lines = ["    ".join(parts)] + (["    ".join(written)] if written else [])
        self.b.header_lines(lines + self.notes.get("page header", []))
        self.b.footer_lines(self.notes.get("page footer", []))

    def cover(self) -> None:
        b = self.b
        if self.plan.plan_number is not None:
            b.text(b.body, f"{self.profile.plan_title} {self.plan.plan_number}", STYLE_TITLE)
        notes = self.notes.get("cover", [])
        for text in notes:
            b.text(b.body, text)
        if notes:
            b.text(b.body)

    def introduction(self) -> None:
        b = self.b
        section = self.part("front")
        cell = self.one_cell_table()
        b.text(cell, section.headings[0], STYLE_HEADING)
        notes = section.notes
        for i, note in enumerate(notes):
            self.guidance_line(cell, note.text)
            last = i + 1 == len(notes) or notes[i + 1].name != note.name
            if last and note.name == "before-ticks":
                b.text(cell)
                self.other_plans(cell, section)
                b.text(cell)
            elif last and note.name == "before-signature":
                b.text(cell)
                for prompt in section.prompts:
                    value = getattr(self.plan, prompt.field) if prompt.field else None
                    b.text(cell, prompt.wording + LEADER + (f" {value}" if value else ""))
                b.text(cell)

    def other_plans(self, cell: etree._Element, section: Section) -> None:
        group = self.plan.other_plans
        for option in section.ticks:
            self.tick_line(cell, option, getattr(group, option.key))

    def tick_line(self, where, option: TickOption, state: Optional[bool], after: str = "") -> None:
        """One box and its label; a box in no known state is left out, its label kept."""
        p = self.b.paragraph(where)
        if state is not None:
            self.b.checkbox(p, state)
            self.b.run(p, "  ")
        self.b.run(p, option.label + after)

    def guidance_line(self, where, line: str) -> None:
        if is_bullet(line):
            self.b.text(where, line, STYLE_BULLET)
        elif is_subheading(line):
            self.b.text(where, line, STYLE_PROMPT)
        else:
            self.b.text(where, line, STYLE_GUIDANCE)

    # --- tables ----------------------------------------------------------------------------

    def one_cell_table(self) -> etree._Element:
        return self.b.row(self.b.table([self.b.width]), keep=False)[0]

    def heading_cell(self, table: Table, header: bool = True) -> etree._Element:
        """A shaded first row across the whole table."""
        return self.b.row(table, [len(table.widths)], header=header, fill=FILL_HEADING)[0]

    def prompt_row(self, table: Table, wording: str) -> None:
        self.b.text(self.b.row(table, fill=FILL_PROMPT)[0], wording, STYLE_PROMPT)

    def answer_cell(self, table: Table) -> etree._Element:
        return self.b.row(table)[0]

    def entries(self, where, entries: Sequence[Entry], style: Optional[str] = STYLE_BULLET, blank: int = EMPTY_LINES) -> None:
        for entry in entries:
            p = self.b.paragraph(where, style)
            self.b.pieces(p, entry_pieces(entry))
        if not entries:
            for _ in range(blank):
                self.b.paragraph(where, style)

    # --- Section 1 -------------------------------------------------------------------------

    def about_me(self, section: Section) -> None:
        b = self.b
        part = getattr(self.plan, section.key)
        table = b.table([b.width])
        head = self.heading_cell(table, header=False)
        if self.profile.group_headings:
            b.text(head, self.profile.group_headings[0], STYLE_HEADING)
        b.text(head, section.headings[0], STYLE_SUBHEADING)
        b.text(head)
        prompts = list(section.prompts)
        lead = prompts.pop(0) if prompts and prompts[0].field is None else None
        helper = next((p for p in prompts if p.kind == "helper"), None)
        prompts = [p for p in prompts if p.kind != "helper"]
        self.written_by(head, section, lead, helper, part.written_by)
        i = 0
        while i < len(prompts):
            prompt = prompts[i]
            i += 1
            self.prompt_row(table, prompt.wording)
            cell = self.answer_cell(table)
            if prompt.field is not None:
                self.entries(cell, getattr(part, prompt.field))
                continue
            while i < len(prompts) and prompts[i].field in SUB_PROMPTS:
                sub = prompts[i]
                i += 1
                b.text(cell, sub.wording, STYLE_PROMPT)
                self.entries(cell, getattr(part, sub.field))  # type: ignore[arg-type]
        self.notes_after(section.where)

    def written_by(self, cell: etree._Element, section: Section, lead: Optional[Prompt], helper: Optional[Prompt], values: WrittenBy) -> None:
        """"… has been written by: ☐ Me ☐ Me with help from…… Name", and who helped."""
        b = self.b
        helped = norm(helper.wording) if helper else None
        # The box whose label ends "with help from" carries the helper's name on its dots: last.
        options = sorted(section.ticks, key=lambda o: bool(helped and norm(o.label).endswith(helped)))
        name = f"{LEADER} {values.helper}" if values.helper else LEADER
        p = b.paragraph(cell)
        if lead is not None:
            b.run(p, lead.wording + "   ")
        inline_helper = False
        missing = []
        for option in options:
            state = getattr(values, option.key)
            carries = bool(helped and norm(option.label).endswith(helped))
            inline_helper |= carries
            if state is None:
                missing.append((option, name if carries else ""))
                continue
            b.checkbox(p, state)
            b.run(p, " " + option.label + (name if carries else "") + "    ")
        # A box whose state is not known: its label on a line of its own, no box.
        for option, after in missing:
            self.tick_line(cell, option, None, after)
        if helper is not None and not inline_helper:
            b.text(cell, helper.wording + name)

    # --- Sections 2, 3, 4 -------------------------------------------------------------------

    def needs(self) -> None:
        b = self.b
        section = self.profile.section("needs")
        table = b.table([b.width])
        head = self.heading_cell(table, header=False)
        b.text(head, section.headings[0], STYLE_HEADING)
        for line in section.guidance:
            self.guidance_line(head, line)
        for i, prompt in enumerate(section.prompts):
            self.prompt_row(table, prompt.wording)
            # The summary is prose; the areas of need are lists.
            self.entries(self.answer_cell(table), getattr(self.plan.needs, prompt.field), None if i == 0 else STYLE_BULLET)  # type: ignore[arg-type]
        self.notes_after(section.where)

    def free_text(self, section: Section, entries: list[Entry]) -> None:
        b = self.b
        b.text(b.body)
        table = b.table([b.width])
        b.text(self.heading_cell(table, header=False), section.headings[0], STYLE_HEADING)
        self.entries(self.answer_cell(table), entries, None, blank=4)
        self.notes_after(section.where)

    # --- Section 5 -------------------------------------------------------------------------------

    def outcomes(self) -> list[int]:
        """The outcomes table; gives the outcome numbers it has rows for."""
        b = self.b
        profile = self.profile
        section = self.part("outcomes")
        outcomes = self.plan.outcomes
        # A Supported-by column no outcome has a known value for is not drawn (it reads back null).
        columns = [c for c in profile.supported_by if not outcomes or any(getattr(o.supported_by, c.field) is not None for o in outcomes)]
        width = b.width
        side = 1300
        number = 1500
        table = b.table([number, width - number - side * len(columns)] + [side] * len(columns))
        n = len(columns)
        # One header row, repeated on each page: the heading, "Supported by" beside
        # the columns, and Education | Health | Social Care.
        first = b.row(table, [2] + [1] * n, header=True, fill=FILL_HEADING)
        b.text(first[0], section.headings[0], STYLE_HEADING)
        if columns:
            right = b.text(first[0], section.prompts[0].wording + ":", STYLE_PROMPT)
            b.align_right(right)
            for cell, column in zip(first[1:], columns):
                b.text(cell, column.wording, STYLE_PROMPT, center=True)
        cell = b.row(table, [2] + [1] * n)[0]
        for line in section.named("lead"):
            self.guidance_line(cell, line)
        note = b.row(table)
        for line in section.named("note-left"):
            b.text(note[0], line, bold=is_subheading(line))
        for line in section.named("note-right"):
            b.text(note[1], line + (LEADER if line.rstrip().endswith(":") or line.endswith(profile.statement_prompt) else ""))
        numbers = []
        for outcome in outcomes:
            self.outcome_row(table, outcome, columns)
            numbers.append(outcome.number)
        for n in range(max(max(numbers, default=0), 0) + 1, TEMPLATE_ROWS + 1):  # numbers below 1 (a model built in code) fill from 1
            self.outcome_row(table, Outcome(number=n), columns, blank=True)
            numbers.append(n)
        self.notes_after(section.where)
        return numbers

    def outcome_row(self, table: Table, outcome: Outcome, columns, blank: bool = False) -> None:
        b = self.b
        profile = self.profile
        cells = b.row(table)
        b.text(cells[0], f"{profile.outcome_label}\n{outcome.number}", bold=True, center=True)
        text = cells[1]
        areas = ", ".join(self.area_label(a) for a in outcome.areas_of_need)
        b.text(text, profile.areas_prompt.wording + LEADER + (f" {areas}" if areas else ""))
        b.text(text)
        p = b.paragraph(text)
        statement = outcome.statement
        if blank:
            b.run(p, f"{profile.key_stage_lead}{LEADER} {profile.statement_prompt}{LEADER}")
        else:
            struck = bool(statement and statement.withdrawn)
            b.run(p, self.statement_lead(outcome.key_stage), strike=struck)
            if statement is not None:
                b.pieces(p, entry_pieces(statement))
        for cell, column in zip(cells[2:], columns):
            value = False if blank else getattr(outcome.supported_by, column.field)
            if value is not None:
                b.checkbox(b.paragraph(cell, center=True), value)

    def statement_lead(self, key_stage: Optional[str]) -> str:
        """"By the end of KS2, Jack will be able to " (the child's first name, or "I")."""
        name = (self.plan.child.name or "").split()
        who = name[0] if name else "I"
        able = self.profile.statement_prompt
        if key_stage:
            return f"{self.profile.key_stage_lead} {key_stage}, {who} {able} "
        return f"{who} {able} "

    def area_label(self, area: str) -> str:
        """An area of need in the form's own words (Section 2's prompts, the Supported-by columns)."""
        for prompt in self.profile.section("needs").prompts:
            if prompt.field == area:
                return prompt.wording
        for column in self.profile.supported_by:
            if column.field == area:
                return column.wording
        return area.replace("_", " ")

    def provision(self) -> None:
        b = self.b
        profile = self.profile
        section = self.part("provision")
        b.text(b.body)
        key = self.one_cell_table()
        b.text(key, section.headings[0], STYLE_HEADING)
        for line in section.named("key"):
            self.guidance_line(key, line)
        b.text(b.body)
        columns = profile.provision_columns
        width = b.width
        first = 1150
        table = b.table([first] + [(width - first) // (len(columns) - 1)] * (len(columns) - 1))
        for cell, column in zip(b.row(table, header=True, fill=FILL_PROMPT), columns):
            b.text(cell, column.wording, STYLE_PROMPT)
        notes = b.row(table)
        b.text(notes[0], profile.provision_notes_label, bold=True)
        for cell, column in zip(notes[1:], columns[1:]):
            for text in section.named(f"note:{column.field}"):
                b.lines(cell, text, STYLE_NOTE)
        used = []
        for provision in self.plan.provision:
            self.provision_row(table, provision)
            used.append(provision.outcome_number)
        for n in range(max(max(used, default=0), 0) + 1, TEMPLATE_ROWS + 1):
            self.provision_row(table, Provision(outcome_number=n))
        self.notes_after(section.where)

    def provision_row(self, table: Table, provision: Provision) -> None:
        b = self.b
        cells = b.row(table)
        b.text(cells[0], str(provision.outcome_number), bold=True, center=True)
        for i, (cell, column) in enumerate(zip(cells[1:], self.profile.provision_columns[1:])):
            self.entries(cell, getattr(provision, column.field), blank=0 if i else EMPTY_LINES)

    # --- Section 6 -------------------------------------------------------------------------------

    def reviews(self, numbers: list[int]) -> None:
        labels = [label for label, _ in self.profile.review_labels]
        reviews = list(self.plan.reviews)
        got = [r.label for r in reviews]
        if got == sorted(set(got)):  # the usual case: R1, R2, R3 in order, each once
            by_label = {r.label: r for r in reviews}
            tables: list[tuple[str, Optional[Review]]] = [(label, by_label.get(label)) for label in labels]
        else:
            tables = [(r.label, r) for r in reviews] + [(label, None) for label in labels if label not in got]
        where = self.part("reviews").where
        notes = self.notes.get(where, [])
        for i, (label, review) in enumerate(tables):
            if i:
                self.b.page_break()
            # A review with nothing in it but what was written for its date, which
            # could not be read as one: that text went to `unmapped`; it goes back there.
            unread = notes.pop(0) if review is not None and review.date is None and not _has_content(review) and notes else None
            self.review_table(label, review, numbers, unread)
        self.notes_after(where)

    def review_table(self, label: str, review: Optional[Review], numbers: list[int], unread: Optional[str] = None) -> None:
        b = self.b
        profile = self.profile
        section = self.part("reviews")
        index = [lab for lab, _ in profile.review_labels].index(label)
        wording = profile.review_labels[index][1][0]
        table = b.table([1300, b.width - 1300])
        head = self.heading_cell(table)
        p = b.paragraph(head)
        date = unread or (date_text(review.date) if review else "")
        gap = "      "
        b.run(p, section.headings[0], bold=True)
        b.run(p, f"{gap}{profile.review_date_prompt}: {date or LEADER}{gap}", bold=True)
        b.run(p, wording, bold=True)
        for cell, column in zip(b.row(table, header=True, fill=FILL_PROMPT), profile.review_progress_columns):
            b.text(cell, column.wording, STYLE_PROMPT)
        progress = list(review.progress) if review else []
        done = [p.outcome_number for p in progress]
        if done == sorted(set(done)):
            by_number = {p.outcome_number: p for p in progress}
            rows = [(n, by_number.get(n)) for n in sorted(set(numbers) | set(done))]
        else:
            rows = [(p.outcome_number, p) for p in progress] + [(n, None) for n in numbers if n not in done]
        for n, item in rows:
            cells = b.row(table)
            b.text(cells[0], str(n), bold=True, center=True)
            self.entries(cells[1], item.text if item else [], None, blank=1 if review else 3)
        for prompt in section.prompts:
            cell = b.row(table, [2])[0]
            b.text(cell, prompt.wording, STYLE_PROMPT)
            self.entries(cell, getattr(review, prompt.field) if review else [], None, blank=EMPTY_LINES if review else 4)  # type: ignore[arg-type]
        guidance = section.named(label)
        if guidance:
            cell = b.row(table, [2])[0]
            for text in guidance:
                b.lines(cell, text, STYLE_NOTE)

    # --- Section 7 -------------------------------------------------------------------------------

    def appendices(self) -> None:
        b = self.b
        section = self.part("appendices")
        b.page_break()
        table = b.table([b.width])
        head = self.heading_cell(table, header=False)
        b.text(head, section.headings[0], STYLE_HEADING)
        for line in section.named("title"):
            b.text(head, line, STYLE_SUBHEADING)
        for text in self.notes.get(section.where, []):
            b.text(head, text)
        appendices = self.plan.appendices
        for prompt in section.prompts:
            cell = b.row(table, fill=FILL_PROMPT)[0]
            b.text(cell, prompt.wording, STYLE_PROMPT)
            for line in section.named(prompt.field) if prompt.field else ():
                b.text(cell, line, STYLE_NOTE)
            refs: list[DocRef] = getattr(appendices, prompt.field) if prompt.field else []
            for ref in refs:
                b.text(self.answer_cell(table), ref.reference + (f", {date_text(ref.date)}" if ref.date else ""))
            for _ in range(max(0, EMPTY_LINES - len(refs))):
                self.answer_cell(table)
        closing = section.named("closing")
        if closing:
            cell = b.row(table)[0]
            for line in closing:
                b.text(cell, line, STYLE_NOTE)


def _has_content(review: Review) -> bool:
    return bool(review.progress or review.working_well or review.not_working or review.new_to_introduce)
