"""The divider hands on the walk it read: each plan cut out of a file maps from the file's lines."""

from __future__ import annotations

from pathlib import Path

from msp_convert.mapping import landmarks, plans
from msp_convert.parsers.docx import parse_docx
from msp_convert.template import DEFAULT_PROFILE

from test_several_plans import JOINED, joined_docx

PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"


def test_the_division_holds_the_walk_it_read(tmp_path: Path) -> None:
    three = joined_docx(tmp_path / "three.docx", *JOINED).read_bytes()
    for data, count in ((three, 3), ((PLANS / f"{JOINED[0]}.docx").read_bytes(), 1)):
        document = parse_docx(data).value
        try:
            division = plans.divide(document, DEFAULT_PROFILE)
            assert len(division.plans) == count
            assert division.lines is not None and division.lines is landmarks.document_lines(document)
        finally:
            landmarks.forget()
