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
