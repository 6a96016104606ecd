"""The Word reader hands on Paragraph.text where it already has it (plain.py), and it is the text of the inlines.

``Paragraph.text`` is computed once from the inlines (layout.py) unless the
parser gave it (the ``_text`` field, last of PARAGRAPH_FIELDS): the plain path
and the empty paragraph do, since they hold the one run's text already. Every
paragraph of every case of test_docx_plain and of every .docx fixture and
real-world document must show the text its inlines make.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from msp_convert.layout import TICK_GLYPHS, Paragraph, Run, iter_paragraphs
from msp_convert.parsers.docx import parse_docx
from test_docx_parser import make_docx
from test_docx_plain import CASES, STYLES

REPO = Path(__file__).resolve().parents[1]
_DOCS = sorted(REPO.glob("fixtures/**/*.docx")) + sorted((REPO.parent / "shared" / "real-docs").glob("**/*.docx"))


def _paragraphs(data: bytes) -> list[Paragraph]:
    doc = parse_docx(data).value
    return [p for part in (doc.body, doc.headers, doc.footers) for p in iter_paragraphs(part)]


def _shown(p: Paragraph) -> str:
    return "".join(i.text if isinstance(i, Run) else TICK_GLYPHS[i.checked] for i in p.inlines)


def _check(paragraphs: list[Paragraph]) -> None:
    for i, p in enumerate(paragraphs):
        assert p.text == _shown(p), f"paragraph {i}"


@pytest.mark.parametrize("case", CASES)
def test_text_is_the_inlines_text(case: str) -> None:
    _check(_paragraphs(make_docx(CASES[case], styles=STYLES)))


@pytest.mark.parametrize("path", [p for p in _DOCS if ".encrypted" not in p.name], ids=lambda p: p.name)
def test_every_docx_fixture_text_is_the_inlines_text(path: Path) -> None:
    _check(_paragraphs(path.read_bytes()))


def test_plain_and_empty_paragraphs_come_with_their_text() -> None:
    """The parser gives the text it has (the mapping then never joins the inlines again)."""
    paragraphs = _paragraphs(make_docx(CASES["plain"] + "<w:p/>" + CASES["tabs, breaks, hyphens"], styles=STYLES))
    assert [p._text for p in paragraphs] == ["Ann likes trains", "", "\ta\n\n-\t\n"]
