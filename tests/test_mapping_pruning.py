"""The Word reader's shortcuts in mapping/text.py change no answer: each is checked against the
same matcher without it, on the fixture plans' lines and on lines made of the form's wording
cut, shuffled and misspelt (where the shortcuts are nearest to deciding)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from msp_convert.layout import iter_paragraphs
from msp_convert.mapping import text as T
from msp_convert.mapping.flow import matchers
from msp_convert.parsers.docx import parse_docx
from msp_convert.template import DEFAULT_PROFILE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _lines() -> list[str]:
    lines = []
    for path in sorted(FIXTURES.glob("plans/*.docx"))[:6]:
        lines += [p.text for p in iter_paragraphs(parse_docx(path.read_bytes()).value.body) if p.text.strip()]
    rng = random.Random(17)
    wordings = [w for s in DEFAULT_PROFILE.sections for p in s.prompts for w in p.wordings] + list(DEFAULT_PROFILE.sections[0].guidance)
    for wording in wordings:
        words = wording.split()
        for _ in range(6):
            cut = words[rng.randrange(len(words)):] if rng.random() < 0.3 else list(words)
            for _ in range(rng.randrange(4)):
                cut.insert(rng.randrange(len(cut) + 1), rng.choice(["my", "child", "the", "xq", "Ruby", "and"]))
            if len(cut) > 3 and rng.random() < 0.5:
                i = rng.randrange(len(cut) - 1)
                cut[i], cut[i + 1] = cut[i + 1], cut[i]
            lines.append(" ".join(cut) + rng.choice(["", ": Ruby likes Lego", " ...... swimming"]))
    return lines


def test_the_in_order_bound_drops_only_wordings_that_cannot_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    m = matchers(DEFAULT_PROFILE)
    wordings = [m.global_prompts, *m.prompts.values()]
    lines = [T.Line(t) for t in _lines()]
    fast = [[w._in_order(line) for line in lines] for w in wordings]
    monkeypatch.setattr(T, "_may_agree", lambda got, wording: True)
    slow = [[w._in_order(line) for line in lines] for w in wordings]
    assert fast == slow
    assert sum(r is not None for rs in slow for r in rs) > 50  # the lines reach the in-order match


def test_the_quick_ratios_drop_only_labels_that_are_not_close() -> None:
    import difflib

    from msp_convert.mapping.grids import _close

    rng = random.Random(5)
    labels = ["education", "health", "socialcare", "supportedby", "outcome"]
    texts = [*labels, "educatio", "educationn", "helth", "socialcar", "caresocial", "educ", "sociacare", "outcomes"]
    texts += ["".join(rng.sample(label, len(label))) for label in labels for _ in range(5)]
    pairs = [(t, label) for t in texts for label in labels]
    plain = [difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.8 for a, b in pairs]
    assert [_close(a, b) for a, b in pairs] == plain
    assert 10 < sum(plain) < len(pairs) - 10


def _index_lines() -> list[T.Line]:
    """The lines above as the file stored them and as read from pixels, the form's headings and
    prompts as a narrow PDF column breaks them ("Educ ation"), and headings misread, one Line each."""
    texts = _lines()
    m = matchers(DEFAULT_PROFILE)
    broken = [w[: len(w) // 2] + " " + w[len(w) // 2:] for w in [*(e[0] for e in m.headings._entries), *(e[0] for e in m.global_prompts._entries)]]
    # A letter of the first word misread ("Cornmunication and interaction"): only respelling finds these.
    misread = [w.replace("m", "rn", 1).replace("i", "l", 1) for w in (e[0] for e in m.headings._entries)]
    texts += broken + [t.upper() for t in broken[:20]] + misread
    return [T.Line(t, exact=exact) for t in dict.fromkeys(texts) for exact in (True, False)]


def test_the_lines_looked_up_are_all_those_a_wording_can_match() -> None:
    """``Wording.matches`` (the first-word and spaceless lookups) gives what ``match`` gives each line."""
    T.new_document(object())
    lines = _index_lines()
    index = T.LineIndex(lines)
    m = matchers(DEFAULT_PROFILE)
    for wording, fuzzy in ((m.headings, True), (m.global_prompts, False), (m.global_prompts, True), (m.prompts["profile"], False)):
        every = {line: wording.match(line, fuzzy) for line in lines}
        expected = {line: found for line, found in every.items() if found is not None}
        assert wording.matches(index, fuzzy) == expected
        assert wording.matches(index, fuzzy, read=False) == {line: f for line, f in expected.items() if line.exact}
        assert sum(line.exact for line in expected) > 20  # the stored lines reach the wordings
    found = m.headings.matches(index)
    assert any(not line.exact and line.n.split()[0] not in m.headings._by_first for line in found)  # respelt
