"""Text the file itself stored (Word, a PDF's text layer) is matched without the tolerance for a
scan's misreadings: the layout says which (``Paragraph.confidence`` is None), not the parser's name."""

from __future__ import annotations

from typing import Optional

from msp_convert.layout import Cell, Document, Paragraph, Row, Run, Table
from msp_convert.mapping import map_document
from msp_convert.model import Source
from msp_convert.mapping.text import Guidance, Line, Wording, line_of, new_document

SOURCE = Source(filename="plan.docx", format="docx", sha256="0" * 64)
HEADING = Wording([("Communication and interaction", "ci"), ("Any other things which are important to my family", "other")])


def test_a_misread_word_is_respelt_only_in_text_read_from_pixels() -> None:
    read = Line("Communication and tnteraction")
    stored = Line("Communication and tnteraction", exact=True)
    found = HEADING.match(read)
    assert found is not None and found.item == "ci"
    assert HEADING.match(stored) is None


def test_wording_agreeing_only_in_order_is_found_only_in_text_read_from_pixels() -> None:
    text = "Any vitierSe things which are important to my family: Ruby likes Lego"
    found = HEADING.match(Line(text))
    assert found is not None and found.item == "other"
    assert HEADING.match(Line(text, exact=True)) is None


def test_the_wording_as_printed_is_found_in_either() -> None:
    for exact in (False, True):
        found = HEADING.match(Line("Communication and Interaction: talks in short sentences", exact=exact))
        assert found is not None and found.item == "ci" and found.exact


def test_a_guidance_run_with_a_lost_word_is_found_only_in_text_read_from_pixels() -> None:
    guidance = Guidance(["Describe what helps your child to settle when they arrive at school each morning"])
    text = "what helps your chlld to settle when they qrrive at school"
    assert Line(text) in guidance
    assert Line(text, exact=True) not in guidance


def test_a_paragraph_is_exact_unless_its_words_were_read_from_pixels() -> None:
    new_document(object())
    stored, read = Paragraph([Run("Communication and interaction")]), Paragraph([Run("Communication and interaction")], confidence=0.91)
    assert line_of(stored).exact and not line_of(read).exact
    # One Line per text and kind in a document, shared by every reader of it.
    assert line_of(Paragraph([Run("Communication and interaction")])) is line_of(stored)
    assert line_of(read) is not line_of(stored)


def _outcome_statement(confidence: Optional[float], guidance: str) -> Optional[str]:
    """The statement of a one-outcome table whose box goes on with the form's guidance, as ``guidance`` words it."""
    def line(text: str) -> Paragraph:
        return Paragraph([Run(text)], confidence=confidence, low=confidence, page=None if confidence is None else 5)

    box = ["By the end of KS2, Sam will be able to read a book.", guidance]
    rows = [
        Row([Cell([line("Section 5: Outcomes and provision")], col=0, col_span=2),
             *(Cell([line(w)], col=c) for c, w in enumerate(("Education", "Health", "Social Care"), 2))]),
        Row([Cell([line("Outcome 1")], col=0), Cell([line(t) for t in box], col=1),
             *(Cell([line("X")], col=c) for c in (2, 3, 4))]),
    ]
    intro = [line("Introduction to My Support Plan"), line("Section 1: About me")]
    plan = map_document(Document(body=[*intro, Table(rows, columns=5)]), SOURCE).value
    assert plan is not None and len(plan.outcomes) == 1
    statement = plan.outcomes[0].statement
    return statement.text if statement is not None else None


# The form's help as another edition of the template words it: a letter off, a word more, a word lost.
EDITIONS = ("what is lmportant to me and help me move towards my goals",
            "take into account what is really important to me and help me move",
            "take into account what is imprtant to me and help me")


def test_the_forms_help_left_in_an_outcome_box_is_guidance_however_it_is_worded_or_read() -> None:
    for guidance in EDITIONS:
        assert _outcome_statement(0.9, guidance) == "read a book"
        assert _outcome_statement(None, guidance) == "read a book"
