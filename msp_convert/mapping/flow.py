"""Reading the free-text parts of the form, one line at a time.

A line is, in this order: a section heading, a prompt of the current section
(its answer may follow on the same line), a tick list, the template's guidance,
a prompt of another section (the heading was deleted), or what a person
wrote, which goes to the field of the last prompt, or to ``unmapped`` when no
prompt claims it. Answers never run across the end of a table.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from pydantic import BaseModel
from typing import TYPE_CHECKING, Any, Optional

from ..layout import Paragraph, Run, TickBox
from ..model import Entry
from ..model import Section as KeptSection
from ..template import Profile, Prompt, Section
from . import front
from .entries import doc_ref, make_entry, pieces, review_markers
from .draft import Draft
from .headings import is_unknown_heading, prompt_by_look
from .outcome_lines import OutcomeLines
from .review_lines import ReviewLines
from .text import Guidance, Line, Wording, Wordings, clean, is_blank, line_of, norm
from .ticks import TickReading, may_hold_ticks, read_ticks, typed_ticks

if TYPE_CHECKING:
    from .landmarks import DocumentLines


# A numbered heading, normalised: "section 7 appendices". One of at most NUMBERED_WORDS words is a
# part's, misread, when its words after the number share NUMBERED_NEAR of their letters with the part's.
_NUMBERED = re.compile(r"^section (?P<number>\d+[a-z]?) (?P<rest>.+)$")
NUMBERED_WORDS, NUMBERED_NEAR = 6, 0.6

# Decisions about the template's own wording, the same in every plan of a
# form; decisions about what a person wrote are never kept.
CACHEABLE = frozenset({"heading", "prompt", "guidance", "global"})
MAX_DECISIONS = 4096
# A heading is shorter than this, normalised (the walk of ``landmarks`` classifies the lines under it).
MAX_HEADING = 160


class Matchers:
    """The profile's wording, compiled once for matching."""

    def __init__(self, profile: Profile) -> None:
        self.decisions: dict[tuple, tuple] = {}
        pairs: list[tuple[str, Optional[Section]]] = []
        for section in profile.sections:
            pairs += [(h, section) for h in section.headings]
        pairs += [(h, None) for h in profile.group_headings]
        self.headings = Wording(pairs, fuzzy=False)
        self.prompts = {
            s.key: Wording(((w, p) for p in s.prompts for w in p.wordings), open_ended=lambda p: p.kind != "entries")
            for s in profile.sections
        }
        # Printed help, and the line saying who completes a part ("completed by child/young person").
        printed = {s.key: s.guidance + ((s.by,) if s.by else ()) for s in profile.sections}
        self.guidance = {key: Guidance(lines) for key, lines in printed.items()}
        self.all_guidance = Guidance(g for lines in printed.values() for g in lines)
        # Prompts that say which section they belong to even without a heading.
        seen: dict[str, list[tuple[Section, Prompt]]] = {}
        for s in profile.sections:
            for p in s.prompts:
                for w in p.wordings:
                    seen.setdefault(norm(w), []).append((s, p))
        distinctive = [
            (w, owners[0]) for w, owners in seen.items()
            if len(owners) == 1 and len(w.split()) >= 4 and owners[0][0].role not in ("reviews", "outcomes")
        ]
        self.global_prompts = Wording(distinctive)
        # Whether a line may show any part's prompt, or a prompt of another part (else neither is asked).
        self.any_prompt = Wordings([*self.prompts.values(), self.global_prompts])
        areas = profile.areas_prompt
        self.areas = Wording((w, areas) for w in (areas.wordings if areas is not None else ()))
        # Lines only this form prints (its title) and Word placeholder text: the form's, never content.
        self.marks = {norm(m): m for m in profile.marks}
        self.placeholders = frozenset(norm(p) for p in profile.placeholders)
        self.markers = review_markers(profile)  # the labels a review marker may carry
        # Each part's numbered headings by their number ("7" -> appendices, "section 7 appendices").
        self.by_number: dict[str, list[tuple[Section, str]]] = {}
        for section in profile.sections:
            for h in section.headings:
                m = _NUMBERED.match(norm(h))
                if m is not None:
                    self.by_number.setdefault(m.group("number"), []).append((section, m.group("rest")))

    def numbered(self, line: Line) -> Optional[Section]:
        """A part's numbered heading with its words misread ("Section 7: idices"): the number is one
        part's alone, and the words after it come near that part's (NUMBERED_NEAR of their letters)."""
        m = _NUMBERED.match(line.n)
        if m is None or len(line.words) > NUMBERED_WORDS:
            return None
        owners = self.by_number.get(m.group("number"), [])
        if len({id(section) for section, _ in owners}) != 1:
            return None  # no part's number, or several parts' ("Section 5": outcomes and provision)
        said = m.group("rest").replace(" ", "")
        near = max(SequenceMatcher(None, said, rest.replace(" ", ""), autojunk=False).ratio() for _, rest in owners)
        return owners[0][0] if said and near >= NUMBERED_NEAR else None

    def remember(self, key: tuple, decision: tuple) -> None:
        if len(self.decisions) >= MAX_DECISIONS:
            self.decisions.clear()
        self.decisions[key] = decision


@lru_cache(maxsize=8)
def matchers(profile: Profile) -> Matchers:
    return Matchers(profile)


def _before_first_box(para: Paragraph) -> str:
    """The line's text up to its first tick box (all of it when it has none)."""
    out = []
    for item in para.inlines:
        if isinstance(item, TickBox):
            break
        out.append(item.text if isinstance(item, Run) else "")
    return "".join(out)


def _has_box(para: Paragraph) -> bool:
    for item in para.inlines:  # a loop, not any() over a generator: every line asks
        if isinstance(item, TickBox):
            return True
    return False


class Flow:
    def __init__(self, profile: Profile, draft: Draft, walked: "Optional[DocumentLines]" = None) -> None:
        self.profile = profile
        self.m = matchers(profile)
        # The lines the profile chooser and the plan divider walked, and which show the profile's
        # headings (``DocumentLines.headings``: what matching each gives): a walked line is looked up.
        self._walked, self._headings = (walked.first, walked.headings(profile)) if walked is not None else ({}, {})
        self.draft = draft
        self.section: Optional[Section] = None
        self.target: Any = None  # the model object whose fields take answers
        self.field: Optional[str] = None
        self.waiting_text: Optional[str] = None  # a "text" prompt whose answer is on the next line
        self.after_appendices = False
        self.review_heading: Optional[str] = None  # a review heading seen outside its table
        self.just_prompted = False  # nothing written since the last prompt
        self._loose_boxes: list[Optional[bool]] = []
        self._loose_labels: list[str] = []
        # The template's headings and prompts recognised, as Profile.landmarks names them.
        self.found: set[tuple[str, ...]] = set()
        # A heading the template does not have, and the section that keeps what follows it.
        self.kept: Optional[KeptSection] = None
        self.kept_in_table = False  # it was a line in a table: the section ends with that table
        self.table_depth = 0  # how many tables the line being read is inside
        self.outcome_lines = OutcomeLines(self)  # section 5 typed as paragraphs
        self.review_lines = ReviewLines(self)  # section 6 typed as paragraphs
        self.title = norm(profile.plan_title)
        self.part_heading: Optional[str] = None  # a prompt taken by its look in a part kept in `sections`
        self.label_cell = False  # the line is a table row's first cell, beside its answer

    # --- where we are -------------------------------------------------------

    @property
    def where(self) -> str:
        if self.after_appendices:
            return "after section 7"
        return self.section.where if self.section else "cover"

    def enter(self, section: Section, target: Any = None) -> None:
        self.section = section
        self.after_appendices = False
        self.kept = None
        self.outcome_lines.current = self.review_lines.current = None
        self.draft.anchors += 1
        self.target = target if target is not None else self._target(section)
        self.part_heading = None
        self.field = section.default_field
        self.waiting_text = None
        self._loose_boxes, self._loose_labels = [], []  # a box and its label pair within one section's tick list

    def _target(self, section: Section) -> Any:
        """The model object a part's prompts fill: the plan itself for its top-level lists
        (health needs), none for the lists read from tables (reviews, outcomes, provision:
        outside one, what is written is kept, never written into the list)."""
        plan = self.draft.plan
        target = getattr(plan, section.model_key, None)
        if target is None or (section.default_field and isinstance(target, list)):
            return plan
        return None if isinstance(target, list) else target

    def end_table(self) -> None:
        """Answers do not run on past the table that holds their prompt."""
        self.field = None
        self.waiting_text = None
        if self.kept_in_table:
            self.kept = None
        if self.section is not None and self.section.role == "appendices" and not self.section.kept:
            self.after_appendices = True

    # --- what the template does not have ------------------------------------------

    def keep_under(self, heading: str) -> KeptSection:
        """Open a section of its own for a heading the template does not have."""
        kept = KeptSection(key=None, heading=" ".join(heading.split()))
        self.draft.plan.sections.append(kept)
        self.draft.warn("unknown-heading", self.where, once=False)
        self.kept, self.kept_in_table = kept, self.table_depth > 0
        self.field = None
        self.waiting_text = None
        return kept

    def is_template_line(self, para: Paragraph) -> bool:
        """Whether the line is the template's own wording (a heading, prompt, tick list or guidance)."""
        text = para.text
        has_boxes = bool(para.tick_boxes)
        if not has_boxes and is_blank(text):
            return False
        line = line_of(para)
        if front.read_plan_number(line.n, self.draft.plan, self.profile):
            return True
        key = (self.section.key if self.section else None, has_boxes, text, line.exact)
        decision = self.m.decisions.get(key) or self._decide(line, self.section, has_boxes, para)
        # A word or two of guidance ("Notes", "Key") is as likely a school's own column header.
        return decision[0] not in ("content", "unknown", "look") and (decision[0] != "guidance" or len(line.words) >= 3)

    def answering(self) -> bool:
        """A prompt of the template is open and takes what is written next."""
        return self.kept is None and self.field is not None and self.target is not None and not self.after_appendices

    # --- one line -----------------------------------------------------------

    def feed(self, para: Paragraph) -> None:
        text = para.text
        if is_blank(text):  # a box shows its glyph in the text: a blank line has none
            return
        has_boxes = _has_box(para)
        section = self.section
        role = section.role if section is not None else "front"
        line = line_of(para)
        if role == "front":
            if front.read_plan_number(line.n, self.draft.plan, self.profile):
                self.draft.anchors += 1
                return
        if self._on_front(section) and front.read_child(text, self.draft.plan, self.draft, self.where, self.profile):
            return
        if role == "outcomes" and self.outcome_lines.feed(para):
            return
        if role == "reviews" and self._typed_review(para):
            return
        key = (section.key if section else None, has_boxes, text, line.exact)
        decision = self.m.decisions.get(key)
        if decision is None:
            decision = self._decide(line, section, has_boxes, para)
            if decision[0] in CACHEABLE:
                self.m.remember(key, decision)
        self._act(decision, para)

    def _on_front(self, section: Optional[Section]) -> bool:
        """The cover or the introduction: where the child's details and the plan's dates are written."""
        return (section is None or section.role == "front") and not self.after_appendices

    def _typed_review(self, para: Paragraph) -> bool:
        """A review's label or date line outside the review table (a plan typed as paragraphs)."""
        return (self.target is None or self.target is self.review_lines.current) and self.review_lines.feed(para)

    def _decide(self, line: Line, section: Optional[Section], has_boxes: bool, para: Paragraph) -> tuple:
        """What the line is, from its wording alone (no change to the plan)."""
        if line.n == self.title or line.n in self.m.placeholders:  # "My Support Plan" over the page: the form's title
            return ("guidance",)
        if line.n in self.m.marks:
            return ("mark", self.m.marks[line.n])
        if len(line.n) < MAX_HEADING:
            heading = self._headings.get(line) if line in self._walked else self.m.headings.match(line)
            if heading is not None:
                return ("heading", heading.item, heading.rest_at)
            numbered = self.m.numbered(line)
            if numbered is not None:
                return ("heading", numbered, len(line.text))
        prompted = self.m.any_prompt.may_show(line)
        if section is not None and prompted:
            prompt = self.m.prompts[section.key].match(line)
            if prompt is not None:
                return ("prompt", prompt.item, prompt.rest_at)
        if has_boxes:
            before = self._before_boxes(para, section)
            if before is not None:
                return before
        if section is not None:
            # A line with no box is read for ticks only where it can hold any: short, or holding a typed box.
            short = len(line.words) <= 8
            if section.ticks and (
                has_boxes
                or (may_hold_ticks(line.text, section.ticks, self.profile.helper_label) if short else typed_ticks(line.text))
            ):
                reading = read_ticks(para.inlines, section.ticks, helper_label=self.profile.helper_label)
                # A box typed alone ("Yes", "[x]") waits for its label in the next cell: in a table only.
                if has_boxes or reading.states or reading.loose_labels or (reading.loose_boxes and self.table_depth):
                    return ("ticks", reading)
            if self._guidance(line, section):
                return ("guidance",)
            if (section.kept or section.routes) and not has_boxes:
                look = prompt_by_look(para, line, self.label_cell)
                if look is not None:
                    return ("look", *look)
        other = self.m.global_prompts.match(line) if prompted else None
        if other is not None:
            return ("global", other.item, other.rest_at)
        if len(line.n) > 20 and line in self.m.all_guidance:
            return ("guidance",)
        # Only once the template's wording has been seen: before it, nothing says what is a part of a plan.
        if self.draft.anchors and self.waiting_text is None and is_unknown_heading(para, line, self.answering()):
            return ("unknown",)
        return ("content",)

    def _guidance(self, line: Line, section: Section) -> bool:
        """The part's printed help. A line the file stored that is in none of the form's help (``all_guidance``,
        which ``_decide`` asks of a line this long in any case) is in no part's: the form's help holds each
        part's in order, and only a line read from pixels is given a scan's tolerance."""
        if line.exact and len(line.n) > 20 and line not in self.m.all_guidance:
            return False
        return line in self.m.guidance[section.key]

    def _before_boxes(self, para: Paragraph, section: Optional[Section]) -> Optional[tuple]:
        """The words before a line's first box, on their own, as a prompt: its tick list's prompt
        ("My story has been written by: ☐ My parent ☐ Me"), misread, or in a part whose heading
        was not read (a prompt printed in one part only names its part)."""
        head = _before_first_box(para)
        line = Line(head)
        if len(line.words) < 2:
            return None
        found = self.m.prompts[section.key].match(line) if section is not None else None
        if found is not None:
            return ("prompt", found.item, len(head))
        other = self.m.global_prompts.match(line)
        if other is not None and other.item[0] is not section:
            return ("global", other.item, len(head))
        return None

    def _act(self, decision: tuple, para: Paragraph) -> None:
        kind = decision[0]
        if kind != "content":
            self.kept = None  # the template's wording, or another heading, ends a kept section
        if kind == "unknown":
            self.keep_under(para.text)
        elif kind == "heading":
            self.found.add(("heading", decision[1].key if decision[1] is not None else ""))
            self._heading(decision[1], para, decision[2])
        elif kind == "prompt":
            self.draft.anchors += 1
            assert self.section is not None
            self.found.add(("prompt", self.section.key, decision[1].wording))
            self._prompt(decision[1], para, decision[2])
        elif kind == "mark":
            self.found.add(("mark", decision[1]))
            self.draft.anchors += 1
        elif kind == "look":
            self._look(decision[1], para, decision[2])
        elif kind == "ticks":
            self._apply_ticks(decision[1], para)
        elif kind == "guidance":
            # Help printed under a prompt explains it; anywhere else it
            # starts a new part of the form, which no earlier answer runs into.
            if not self.just_prompted:
                self.field = None
        elif kind == "global":
            owner, prompt = decision[1]
            self.found.add(("prompt", owner.key, prompt.wording))
            self.enter(owner)
            self._prompt(prompt, para, decision[2])
        else:
            self.content(para)

    def _heading(self, section: Optional[Section], para: Paragraph, rest_at: int) -> None:
        if section is None:  # "Section 1: About me": opens its parts, holds no answers
            self.field = None
            self.draft.anchors += 1
            return
        self.enter(section)
        if section.role == "reviews":
            self.review_heading = para.text
            return
        if rest_at < len(para.text) and not is_blank(para.text[rest_at:]):
            self.content(para, rest_at)

    def _prompt(self, prompt: Prompt, para: Paragraph, rest_at: int) -> None:
        section = self.section
        self.waiting_text = None
        self.just_prompted = True
        assert section is not None
        rest = para.text[rest_at:]
        if section.ticks and (_has_box(para) or typed_ticks(rest)):
            self._apply_ticks(read_ticks(para.inlines, section.ticks, rest_at, self.profile.helper_label), para)
            if prompt.kind != "helper":
                self.field = None
                return
        if prompt.kind == "helper":
            # The name is written on the dots; a line below is not the helper.
            self.field = None
            name = clean(rest)
            if name:
                self._set_helper(name)
                self._read_into(getattr(self.target, "written_by", None), "helper", para)
            return
        if prompt.kind == "text":
            self.field = None
            value = clean(rest)
            if value and self.target is not None:
                setattr(self.target, prompt.field, value)
                self._read_into(self.target, prompt.field, para)
            else:
                self.waiting_text = prompt.field
            return
        self.field = prompt.field
        if not is_blank(rest):
            self.content(para, rest_at)

    def _read_into(self, model: object, name: str, para: Paragraph) -> None:
        if isinstance(model, BaseModel):
            self.draft.read_into(model, name, self.where, [para])

    def _set_helper(self, name: str) -> None:
        written_by = getattr(self.target, "written_by", None)
        if written_by is not None:
            written_by.helper = name

    # --- tick lists -----------------------------------------------------------

    def _apply_ticks(self, reading: TickReading, para: Paragraph) -> None:
        section = self.section
        assert section is not None and section.ticks_field
        group = self.draft.plan if section.ticks_field == "other_plans" else self.target
        group = getattr(group, section.ticks_field)
        for key, state in reading.states.items():
            setattr(group, key, state)
            if key in reading.boxes:
                self.draft.read_into(group, key, section.where, boxes=[reading.boxes[key]])
            else:  # a tick typed in the text ("X My parent"): its line is where it was read
                self.draft.placed(group, key, [para])
        if reading.unknown:
            self.draft.warn("tick-box-unknown", section.where)
        if reading.helper:
            self._set_helper(reading.helper)
        # A box and its label in neighbouring cells.
        if reading.loose_labels and self._loose_boxes:
            setattr(group, reading.loose_labels[0], self._loose_boxes.pop(0))
        elif reading.loose_boxes and self._loose_labels:
            setattr(group, self._loose_labels.pop(0), reading.loose_boxes[0])
        else:
            self._loose_boxes = list(reading.loose_boxes)
            self._loose_labels = list(reading.loose_labels)
        if reading.states or reading.loose_boxes or reading.loose_labels:
            self.draft.anchors += 1

    # --- what a person wrote ---------------------------------------------------

    def content(self, para: Paragraph, start: int = 0) -> None:
        line, deleted = pieces(para, start)
        written = make_entry(line, deleted, self.m.markers)
        if written is None:
            return
        self.just_prompted = False
        where = self.where
        entry = self.draft.noticed(written, where)
        if self.waiting_text is not None and self.target is not None:
            value = entry.text
            setattr(self.target, self.waiting_text, value)
            self.waiting_text = None
            return
        if self.kept is not None:
            self.kept.entries.append(entry)
            return
        if self.field is None and self._in_part(entry):
            return
        if self.field is None or self.after_appendices or self.target is None:
            self.draft.unmapped(where, entry.text)
            return
        self.add(entry, where)

    # --- parts with no field, and prompts taken by their look -------------------------

    def _in_part(self, entry: Entry) -> bool:
        """What is written in a part kept in `sections` (under no prompt of a field): its Part 7
        documents by who wrote them, the rest in the part's `sections` item."""
        section = self.section
        if section is None or not section.kept or self.after_appendices:
            return False
        if section.role == "appendices" and self._appendix(entry):
            return True
        self.part().entries.append(entry)
        return True

    def in_kept_part(self) -> bool:
        """Inside a part kept in `sections`, with no prompt of a field open."""
        return self.section is not None and self.section.kept and not self.answering() and not self.after_appendices

    def part(self) -> KeptSection:
        """The current kept part's `sections` item (under the prompt taken by look, if one is open)."""
        section = self.section
        assert section is not None
        return self.draft.part(f"{self.profile.name}/{section.key}", self.part_heading or section.headings[0])

    def _appendix(self, entry: Entry) -> bool:
        """A document the plan draws on, into the category of who wrote it (by the profile's buckets)."""
        said = f" {norm(entry.text)} "  # a bucket's words start a word ("occupational therap", "nhs")
        bucket = next((b.field for b in self.profile.appendix_buckets if any(f" {norm(w)}" in said for w in b.words)), None)
        ref, bad = doc_ref(entry.text)
        if bucket is None and ref.date is None:
            return False  # prose, not a document
        if bad:
            self.draft.warn("unreadable-date", self.where)
        getattr(self.draft.plan.appendices, bucket or "other").append(ref)
        return True

    def routes(self, label: str) -> Optional[str]:
        """The field a route of the current part sends a prompt's answers to."""
        said = norm(label)
        routes = self.section.routes if self.section is not None else ()
        return next((r.field for r in routes if norm(r.words) in said), None)

    def _look(self, label: str, para: Paragraph, rest_at: int) -> None:
        """A prompt the profile does not print, known by its look (see ``take_prompt``), and its answer on the line."""
        self.take_prompt(label)
        if rest_at < len(para.text) and not is_blank(para.text[rest_at:]):
            self.content(para, rest_at)

    def take_prompt(self, label: str) -> None:
        """Answers after a prompt the profile does not print go to the field a route names, else
        to the part's `sections` under it. Never counted as the form's wording found."""
        section = self.section
        assert section is not None
        route = self.routes(label)
        self.kept = None
        self.waiting_text = None
        self.just_prompted = True
        if route is not None:
            self.target = getattr(self.draft.plan, section.model_key)
            self.field, self.part_heading = route, None
        else:
            self.field, self.part_heading = None, " ".join(label.split())
            self.part()

    def add(self, entry: Entry, where: str) -> None:
        assert self.section is not None and self.field is not None
        values = getattr(self.target, self.field)
        if self.section.role == "appendices":
            ref, bad = doc_ref(entry.text)
            if bad:
                self.draft.warn("unreadable-date", where)
            values.append(ref)
        else:
            values.append(entry)
