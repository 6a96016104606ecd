"""A cover row's labels told without a plan to fill (``front.holds_labels``), as ``read_child`` tells them."""

from __future__ import annotations

from msp_convert.mapping import front
from msp_convert.mapping.draft import Draft
from msp_convert.model import Plan, Source
from msp_convert.template import PROFILES

SOURCE = Source(filename="t.docx", format="docx", sha256="0" * 64)
LINES = [
    "Name: Kai Dobson   DOB: 09/01/2008",
    "Child's name: Maisie Clarke",
    "Primary School    Year group: 2",
    "Daniel Okoro DOB: 01/02/2010",
    "I like trains",
    "Year 9",
    "Date of birth:",
    "",
    "My Support Plan 2",
    "School: Hill Top   Class: Owls",
]


def test_holds_labels_says_what_read_child_says() -> None:
    for profile in [None, *PROFILES.values()]:
        told = [front.holds_labels(line, profile) for line in LINES]
        read = [front.read_child(line, Plan(source=SOURCE), Draft(SOURCE), "cover", profile) for line in LINES]
        assert told == read
        assert any(told) and not all(told)
