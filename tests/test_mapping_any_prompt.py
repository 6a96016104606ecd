"""Whether a line may show any of a profile's prompts, asked once: a line it says cannot is matched by
none of them, and the flow then asks none of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from msp_convert.layout import iter_paragraphs
from msp_convert.mapping import text as T
from msp_convert.mapping.flow import matchers
from msp_convert.parsers.docx import parse_docx
from msp_convert.reader import read
from msp_convert.template import PROFILES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FILES = sorted((FIXTURES / "plans").glob("*.docx"))[:4] + sorted((FIXTURES / "york").glob("*.docx"))[:1]


@pytest.mark.parametrize("profile", list(PROFILES.values()), ids=list(PROFILES))
def test_a_line_no_prompt_may_show_is_matched_by_none(profile) -> None:  # type: ignore[no-untyped-def]
    m = matchers(profile)
    every = [*m.prompts.values(), m.global_prompts]
    texts = {p.text for f in FILES for p in iter_paragraphs(parse_docx(f.read_bytes()).value.body) if p.text.strip()}
    turned_away = [T.Line(t, exact=True) for t in texts if not m.any_prompt.may_show(T.Line(t, exact=True))]
    assert len(turned_away) > len(texts) // 3  # most written lines
    for line in turned_away:
        assert all(w.match(line) is None for w in every)
    read_from_pixels = T.Line(next(iter(texts)), exact=False)
    assert m.any_prompt.may_show(read_from_pixels)  # a scan's line: its words may be misread


def test_the_flow_asks_no_prompt_of_a_written_line_none_may_show(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (FIXTURES / "plans" / "04-ks2-autism.docx").read_bytes()
    m = matchers(PROFILES["kirklees-v2f"])
    prompts = {id(w) for w in m.prompts.values()}
    texts = [p.text for p in iter_paragraphs(parse_docx(data).value.body) if len(p.text.split()) >= 6]
    written = [t for t in texts if not m.any_prompt.may_show(T.Line(t, exact=True))]
    assert written
    asked: list[str] = []
    match = T.Wording.match

    def counted(self, value, fuzzy=True):  # type: ignore[no-untyped-def]
        if id(self) in prompts:
            asked.append(value.text if isinstance(value, T.Line) else value)
        return match(self, value, fuzzy)

    monkeypatch.setattr(T.Wording, "match", counted)
    assert read(data=data, filename="plan.docx").child.name
    assert asked  # the prompts were asked of other lines
    assert not set(written) & set(asked)


# Written lines (stored, no confidence) showing a prompt whose first word starts no prompt: only the
# word-overlap tolerance (a misspelt or dropped first word, a word before it) or the spaceless form lets them by.
SHOWN_WITHOUT_ITS_FIRST_WORD = [
    "Wht people like and admire about me",  # its first word misspelt
    "Wen and how I communicate best, and what help I need",
    "I enjoy doing and what I do well",  # its first word dropped
    "is important to me now",
    "1. What is important to me now",  # mid-line
    "Please What people like and admire about me",
    "Whatpeople likeandadmire aboutme",  # its spaces lost
    "Whatis importanttomenow",
]


@pytest.mark.parametrize("text", SHOWN_WITHOUT_ITS_FIRST_WORD)
def test_a_line_showing_a_prompt_only_the_tolerance_finds_may_show_it(text: str) -> None:
    m = matchers(PROFILES["kirklees-v2f"])
    line = T.Line(text, exact=True)
    assert any(w.match(line) is not None for w in [*m.prompts.values(), m.global_prompts])
    assert m.any_prompt.may_show(line)


@pytest.mark.parametrize("text", SHOWN_WITHOUT_ITS_FIRST_WORD)
def test_a_profile_of_no_prompts_lets_no_written_line_by(text: str) -> None:
    m = matchers(PROFILES["york-2014"])  # York's prompts are not in its profile: none is asked
    line = T.Line(text, exact=True)
    assert not m.any_prompt.may_show(line)
    assert all(w.match(line) is None for w in [*m.prompts.values(), m.global_prompts])


def _edits(wording: str) -> list[str]:
    """A prompt as a plan may write it: misspelt, a word dropped, spaces squashed, a word or number before it."""
    words = wording.split()
    half = len(words) // 2
    return [
        wording, wording.upper(), "1. " + wording, "Please " + wording, "Notes: " + wording,
        " ".join([words[0][:1] + words[0][2:], *words[1:]]), " ".join([*words[:-1], words[-1][:-1]]),
        " ".join(words[1:]), " ".join(words[:-1]), " ".join(words[:half] + words[half + 1:]),
        "".join(words), "".join(words[:half]) + " " + "".join(words[half:]), "".join(words[:2]) + " " + " ".join(words[2:]),
    ]


@pytest.mark.parametrize("profile", list(PROFILES.values()), ids=list(PROFILES))
def test_a_line_any_prompt_matches_may_show_a_prompt(profile) -> None:  # type: ignore[no-untyped-def]
    m = matchers(profile)
    every = [*m.prompts.values(), m.global_prompts]
    wordings = sorted({w for s in profile.sections for p in s.prompts for w in p.wordings})
    matched = 0
    for text in (t for w in wordings for t in _edits(w)):
        line = T.Line(text, exact=True)
        if any(w.match(line) is not None for w in every):
            matched += 1
            assert m.any_prompt.may_show(line), "a line a prompt matches was turned away"
    assert matched >= 8 * len(wordings)  # most edits still match (none for a profile of no prompts)
