"""Headings the template does not have: when a line a person wrote is one.

Schools add parts of their own ("Transition arrangements", "Section 8:
Transport", "Strategies that help:"). What follows such a heading is not an
answer to the template's prompt above it, so the flow keeps it in a section of
its own (``sections``, key null). A line is an unknown heading when it is short
and not a sentence, and the document shows it as a heading in one of the ways
below; a plain short line is what a person wrote.

Bold alone is weaker than a heading style: typing into a cell whose paragraph
mark is bold makes every answer bold. So a bold line is a heading only where
no prompt of the template is taking answers (between the form's tables, after
Section 7); under an open prompt it is an answer.
"""

from __future__ import annotations

import re
from typing import Callable

from ..layout import Paragraph
from .dates import DATE_RE
from .text import Line

# A heading is short: more words or characters than this and it is written text.
MAX_WORDS = 10
MAX_CHARS = 80
# A bare label ("Strategies that help:") has at most this many words.
LABEL_WORDS = 6

_NUMBERED = re.compile(r"^(?:section|part|appendix)\s+(?:\d{1,2}[a-z]?|[a-z])\b", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")


def _styled(para: Paragraph, text: str, line: Line, answering: bool) -> bool:
    return para.heading


def _bold(para: Paragraph, text: str, line: Line, answering: bool) -> bool:
    return para.bold and not answering


def _numbered(para: Paragraph, text: str, line: Line, answering: bool) -> bool:
    return bool(_NUMBERED.match(text))


def _bare_label(para: Paragraph, text: str, line: Line, answering: bool) -> bool:
    # a colon after a full stop is a speck, not a label's colon ("Lunchtime Lego club. :")
    return (text.endswith(":") and text.count(":") == 1 and len(line.words) <= LABEL_WORDS and text[0].isupper()
            and not text[:-1].rstrip().endswith((".", ",", ";")))


# The ways a document shows a heading, any one enough (a table's first row is
# the flow's to judge: it knows the table).
HEADING_STYLES: tuple[Callable[[Paragraph, str, Line, bool], bool], ...] = (_styled, _bold, _numbered, _bare_label)


def is_unknown_heading(para: Paragraph, line: Line, answering: bool) -> bool:
    """Whether a line the template does not know heads a part of its own (``answering``: a prompt is open)."""
    text = line.text.strip()
    if not text or len(text) >= MAX_CHARS or len(line.words) > MAX_WORDS or not _LETTER.search(text):
        return False
    if text.endswith((".", ",", ";")) or DATE_RE.search(text) or para.tick_boxes:
        return False
    return any(style(para, text, line, answering) for style in HEADING_STYLES)


# A label before its answer on one line ("What is important to me: playing with Sam").
_INLINE_LABEL = re.compile(r"^(?P<label>[A-Z][^:.!?]{2,70}?)\s*:\s+(?=\S)")


def prompt_by_look(para: Paragraph, line: Line, label_cell: bool) -> "tuple[str, int] | None":
    """A prompt the profile does not print, known by how forms print prompts: a bold line,
    a table's label cell, a bare "Label:", or a label before a colon with the answer after
    it. Gives the label and where its answer starts on the line. (A line in a heading style
    heads a part the form does not have: ``is_unknown_heading``.)"""
    text = line.text.strip()
    if not text or len(text) >= MAX_CHARS or not _LETTER.search(text) or DATE_RE.fullmatch(text):
        return None
    m = _INLINE_LABEL.match(line.text)
    if m is not None and len(m.group("label").split()) <= LABEL_WORDS:
        return m.group("label"), m.end()
    if len(line.words) > MAX_WORDS or text.endswith((".", ",", ";")):
        return None
    if para.bold or label_cell or _bare_label(para, text, line, False):
        return text.rstrip(":").strip(), len(line.text)
    return None
