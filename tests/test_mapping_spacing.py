"""An entry's spacing made one space a run: a line typed so already is not rewritten (most are),
and a line with any other spacing is as the one-space rule makes it."""

from __future__ import annotations

import re

import pytest

from msp_convert.mapping import entries

SPACING = re.compile(r"[ \t\u00a0\u2009\u202f\r\f\v]+")  # the rule, written out: a run of these is one space


@pytest.mark.parametrize("text", [
    "Sam reads with a friend.", "  Sam  reads ", "Sam\treads", "Sam\u00a0reads", "Sam \u2009 reads\u202f", "a\rb\fc\vd",
    "line one\nline  two\n\n  ", "\u3000wide\u3000space", "", " ", "\t\n\t",
])
def test_spacing_is_the_rules(text: str) -> None:
    expected = "\n".join(p for p in (SPACING.sub(" ", part).strip() for part in text.split("\n")) if p)
    assert entries._normalise_plain(text) == expected


def test_a_line_typed_with_single_spaces_is_not_rewritten(monkeypatch: pytest.MonkeyPatch) -> None:
    class Refuse:
        def sub(self, *args: object) -> str:
            raise AssertionError("rewritten")

    monkeypatch.setattr(entries, "_SPACE_RUN", Refuse())
    assert entries._normalise_plain("Sam reads a short book with a friend.") == "Sam reads a short book with a friend."
    with pytest.raises(AssertionError):
        entries._normalise_plain("Sam  reads")


# Each space the rule makes one " " (two spaces, and every other member of its table), written out.
ODD_SPACES = ["  ", "\t", "\u00a0", "\u2009", "\u202f", "\r", "\f", "\v"]


@pytest.mark.parametrize("space", ODD_SPACES, ids=[repr(s) for s in ODD_SPACES])
def test_each_odd_space_is_one_space(space: str) -> None:
    assert entries._normalise_plain("a" + space + "b") == "a b"
    assert entries._normalise_plain("a" + space + "b\nc" + space + space + "d") == "a b\nc d"


def test_every_space_of_the_rules_table_has_its_case() -> None:
    assert set(entries._SPACES[1:]) <= set(ODD_SPACES)
