"""A document's line is classified once per matcher: each remembers its answer by the line (``Line.kept``)."""

from __future__ import annotations

from msp_convert.layout import Paragraph, Run
from msp_convert.mapping import text
from msp_convert.mapping.flow import matchers
from msp_convert.mapping.text import Line, Wording, line_of, new_document
from msp_convert.template import DEFAULT_PROFILE


def _para(words: str, confidence: float | None = None) -> Paragraph:
    return Paragraph(inlines=[Run(words)], confidence=confidence)


def _counting(monkeypatch, name: str) -> list[int]:
    calls = [0]
    original = getattr(Wording, name)

    def counted(self, *args):
        calls[0] += 1
        return original(self, *args)

    monkeypatch.setattr(Wording, name, counted)
    return calls


def test_a_stored_line_no_wording_starts_is_looked_at_once_per_matcher(monkeypatch) -> None:
    new_document(object())
    calls = _counting(monkeypatch, "_no_first")
    prompts = matchers(DEFAULT_PROFILE).prompts
    line = line_of(_para("Zebras graze quietly near the old shed every single morning"))
    for _ in range(3):
        for wording in prompts.values():
            assert wording.match(line) is None
    assert calls[0] == len(prompts)


def test_the_answer_kept_on_the_line_is_the_answer_of_a_line_made_afresh() -> None:
    new_document(object())
    m = matchers(DEFAULT_PROFILE)
    heading = DEFAULT_PROFILE.sections[0].headings[0]
    for words, confidence in ((heading, None), (heading + ": more", None), (heading, 0.9), ("Nothing of the form", None)):
        line = line_of(_para(words, confidence))
        for fuzzy in (True, False):
            kept = [m.headings.match(line, fuzzy) for _ in range(2)]
            fresh = m.headings.match(Line(line.text, exact=line.exact), fuzzy)
            assert kept[0] == kept[1] == fresh
        for guidance in (m.all_guidance, *m.guidance.values()):
            assert (line in guidance) == (line in guidance) == (Line(line.text, exact=line.exact) in guidance)


def test_a_line_made_for_one_look_is_not_a_document_s() -> None:
    new_document(object())
    line = Line("Zebras graze quietly near the old shed")
    matchers(DEFAULT_PROFILE).headings.match(line)
    assert not line.kept and text.line_of(_para("Zebras graze")).kept


def test_the_index_holds_each_line_by_its_first_words_and_spaceless_form() -> None:
    new_document(object())
    lines = [line_of(_para(t, c)) for t, c in (("Educ ation: plans", None), ("Me", 0.7), ("   ", None), ("Educ-ation plans", None))]
    index = text.LineIndex(lines)
    assert index.by_first["educ"] == [lines[0], lines[3]] and index.by_first["me"] == [lines[1]]
    assert index.by_two["educ ation"] == [lines[0], lines[3]] and "me" not in index.by_two
    assert index.by_tight["educationplans"] == [lines[0], lines[3]] and index.read == [lines[1]]
    assert index.with_n(["educ ation plans"]) == [lines[0], lines[3]] and index.every() == [lines[0], lines[3], lines[1]]


def _texts(value: object):
    if isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)
    elif isinstance(value, str) and len(value) > 40:
        yield value


def _keys_text(key: object) -> str:
    return key.text if type(key) is Line else key[0] if isinstance(key, tuple) else key  # type: ignore[return-value]


def test_after_a_read_no_line_of_the_plan_is_kept_by_the_matchers_or_the_line_store() -> None:
    """An idle batch thread holds no plan: forget (at a read's end) empties every matcher's memo and the line store."""
    import gc
    import json
    from pathlib import Path

    import msp_convert
    from msp_convert.writers.json import to_json

    data = (Path(__file__).parent.parent / "fixtures" / "plans" / "04-ks2-autism.docx").read_bytes()
    written = set(_texts(json.loads(to_json(msp_convert.read(data=data, filename="p.docx")))))
    assert written
    gc.collect()
    memos = [o for o in gc.get_objects() if isinstance(o, text.DocumentMemo)]
    assert not [k for memo in memos for k in memo if _keys_text(k) in written]
    assert not [key for key in text._LINES[1] if key[0] in written]
