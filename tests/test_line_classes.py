"""The profile chooser and the plan divider read one classification of a document's lines
(``landmarks.document_lines``, the divider's ``_Scan.kinds``) instead of matching each line
themselves: each line is what matching it one at a time says it is, and the document is walked
once, with a wording matched only on the lines its first word or spaceless form can take."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Optional

import pytest

from msp_convert.layout import Document, Paragraph, Run, iter_paragraphs
from msp_convert.mapping import landmarks, plans
from msp_convert.mapping import text as T
from msp_convert.mapping.flow import matchers
from msp_convert.mapping.front import labels_for
from msp_convert.parsers.docx import parse_docx
from msp_convert.template import DEFAULT_PROFILE, PROFILES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = [FIXTURES / "plans" / "03-ks2-dyslexia.docx", FIXTURES / "departures" / "d08-two-plans.docx", FIXTURES / "york" / "y01-complete.docx"]
PROFILES_IN_ORDER = [DEFAULT_PROFILE, *(p for p in PROFILES.values() if p is not DEFAULT_PROFILE)]


@lru_cache(maxsize=1)
def _documents() -> list[Document]:
    """Each case as stored, and as read from pixels (every line with a confidence)."""
    documents = []
    for path in CASES:
        document = parse_docx(path.read_bytes()).value
        read = [Paragraph([Run(p.text)], confidence=0.9) for p in iter_paragraphs(document.body)]
        documents += [document, Document(body=read)]  # type: ignore[arg-type]
    return documents


def _one_by_one(scan: "plans._Scan", line: T.Line, edited: bool) -> Optional[tuple]:
    """What the divider made of a line before: each matcher asked in turn, for this line alone."""
    m = scan.m
    heading = m.headings.match(line)
    if heading is not None:
        if heading.item is not None and heading.item is scan.front:
            return ("front", f"the heading '{scan.intro}'", None)
        return ("part", heading.item.key if heading.item is not None else "group")
    if line.n == scan.title:
        return ("front", "the title line", None)
    number = labels_for(scan.lines_profile).plan_number
    if number is not None and number.match(line.n):
        return ("front", "a plan-number line", None)
    name = plans.names_child(line.text)
    if name is not None:
        return ("front", "a line naming a child", name)
    prompt = m.global_prompts.match(line, fuzzy=edited)
    if prompt is not None and prompt.item[0] is not scan.front:
        return ("part", prompt.item[0].key)
    return None


def _as_tuple(signal: "Optional[plans._Signal]") -> Optional[tuple]:
    if signal is None:
        return None
    if signal.start is not None:
        return ("front", signal.start.wording, signal.name)
    return ("part", signal.part)


@pytest.mark.parametrize("which", range(2 * len(CASES)))
@pytest.mark.parametrize("edited", [False, True])
def test_each_line_is_to_the_divider_what_matching_it_alone_says(which: int, edited: bool) -> None:
    document = _documents()[which]
    lines = landmarks.document_lines(document)
    seen = 0
    for profile in PROFILES_IN_ORDER:
        scan = plans._Scan(profile, lines)
        scan.lines_profile = profile  # type: ignore[attr-defined]
        scan.edited = edited
        for _, origin, line in lines.items:
            if not isinstance(line, T.Line) or len(line.text) >= 2 * plans.MAX_HEADING:
                continue
            kind = scan.kinds.get(line, plans._EDITED if edited else None)
            got = _as_tuple(scan._signal(line, kind, origin)) if kind is not None else None
            assert got == _one_by_one(scan, line, edited)
            seen += got is not None
    assert seen >= 10


def test_the_chooser_reads_the_same_headings_as_matching_each_line() -> None:
    for document in _documents():
        lines = landmarks.document_lines(document)
        short = [line for line in lines.first if line.n and len(line.n) < landmarks.MAX_HEADING]
        for profile in PROFILES_IN_ORDER:
            one_by_one = {line: matchers(profile).headings.match(line) for line in short}
            assert lines.headings(profile) == {line: h for line, h in one_by_one.items() if h is not None}


NAME_LINES = ["Child's name: Kai Dobson", "CHILD\u2019S NAME - Kai", "Name of child | Kai Dobson", "Full name: Kai Dobson",
              "Pupil name: Kai", "Young person's full name: Kai", "Students name\tKai", "Name: Kai Dobson   DOB: 1.2.2015"]


@pytest.mark.parametrize("odd", ["", "\u0131", "\u017f"])  # letters matching a label's whatever their case
def test_every_line_naming_a_child_is_tried(odd: str) -> None:
    texts = NAME_LINES + ["Ch" + (odd or "i") + "ld's name: Kai Dobson", "Section 1: About me", "Kai likes Lego"]
    index = T.LineIndex(T.Line(t, exact=True) for t in texts)
    named = {line.text for line in index.every() if plans.names_child(line.text) is not None}
    assert named >= set(NAME_LINES)
    assert named <= {line.text for line in plans._Scan._may_name(index)}


def test_a_stored_document_is_walked_once_and_matched_on_few_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    document = parse_docx(CASES[0].read_bytes()).value
    walks, matched = [], []
    walk, match = landmarks._walk, T.Wording.match
    monkeypatch.setattr(landmarks, "_walk", lambda d: walks.append(d) or walk(d))
    monkeypatch.setattr(T.Wording, "match", lambda self, line, fuzzy=True: matched.append(line) or match(self, line, fuzzy))
    T.new_document(object())
    profile = landmarks.best_profile(document, PROFILES_IN_ORDER)
    assert len(plans.divide(document, profile).plans) == 1
    assert len(walks) == 1
    lines = sum(1 for p in iter_paragraphs(document.body) if p.text.strip())
    assert len(matched) < lines / 2  # before: each line by each profile's headings, and by the prompts: twice the lines and more


def _mapped(document: Document, profile: "object") -> list[str]:
    """Each plan of the divided document mapped afresh (no decision of an earlier mapping kept), as JSON."""
    from msp_convert.mapping import map_document
    from msp_convert.model import Source
    from msp_convert.writers.json import to_json

    out = []
    for plan in plans.divide(document, profile).plans:  # type: ignore[arg-type]
        matchers(profile).decisions.clear()  # type: ignore[arg-type]
        source = Source(filename="t.docx", format="docx", sha256="0" * 64)
        out.append(to_json(map_document(plan, source, profile=profile, force=True).value))  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize("which", range(2 * len(CASES)))
def test_the_flow_reads_the_walk_for_headings_and_maps_as_matching_each_line(which: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mapping the plans of a file the chooser and divider walked: no line of the walk is matched
    against the headings again (``landmarks.last_lines``), and each plan comes out as without the walk."""
    document = _documents()[which]
    profile = landmarks.best_profile(document, PROFILES_IN_ORDER)
    walked = landmarks.last_lines()
    assert walked is not None
    headings, asked = matchers(profile).headings, []
    match = headings.match
    monkeypatch.setattr(headings, "match", lambda line, fuzzy=True: asked.append(line) or match(line, fuzzy))
    with_walk = _mapped(document, profile)
    assert not [line for line in asked if isinstance(line, T.Line) and line in walked.first]
    monkeypatch.setattr(landmarks, "last_lines", lambda: None)  # the flow matches each line itself
    assert _mapped(document, profile) == with_walk
    assert [line for line in asked if isinstance(line, T.Line) and line in walked.first]


def _answer(document: Document) -> tuple:
    profile = landmarks.best_profile(document, PROFILES_IN_ORDER)
    divided = plans.divide(document, profile)
    return profile.name, len(divided.plans), [repr(s) for s in divided.starts]


def test_a_thread_reads_its_own_documents_walk_when_another_walks_between(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thread A's walk finishes after thread B started reading its document: B still gets its own
    walk, and each thread's ``last_lines`` is its own walk (forced interleaving, real threads)."""
    two, one = (parse_docx(CASES[i].read_bytes()).value for i in (1, 0))
    serial = {"A": _answer(two), "B": _answer(one)}
    a_walking, b_read, a_chose, b_done = (threading.Event() for _ in range(4))
    walk = landmarks.lines_of

    def held(paras: list) -> list:
        if threading.current_thread().name == "A" and not a_walking.is_set():
            a_walking.set()
            b_read.wait(20)  # B reads its document while A is in its walk
        return walk(paras)

    monkeypatch.setattr(landmarks, "lines_of", held)
    got: dict[str, object] = {}

    def thread_a() -> None:
        profile = landmarks.best_profile(two, PROFILES_IN_ORDER)
        a_chose.set()
        b_done.wait(20)
        got["A last"] = landmarks.last_lines() is landmarks.document_lines(two)
        got["A"] = (profile.name, *_answer(two)[1:])

    def thread_b() -> None:
        a_walking.wait(20)
        landmarks.best_profile(one, PROFILES_IN_ORDER)
        b_read.set()
        a_chose.wait(20)
        got["B"] = _answer(one)
        b_done.set()

    threads = [threading.Thread(target=f, name=n) for f, n in ((thread_a, "A"), (thread_b, "B"))]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert got == {"A": serial["A"], "B": serial["B"], "A last": True}


def test_a_nested_read_of_another_document_leaves_each_its_own_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """One thread: a read of document B starts inside document A's walk; B then reads as alone."""
    two, one = (parse_docx(CASES[i].read_bytes()).value for i in (1, 0))
    serial = _answer(one)
    walk = landmarks.lines_of

    def b_meanwhile(paras: list) -> list:
        monkeypatch.setattr(landmarks, "lines_of", walk)
        landmarks.best_profile(one, PROFILES_IN_ORDER)
        return walk(paras)

    monkeypatch.setattr(landmarks, "lines_of", b_meanwhile)
    landmarks.best_profile(two, PROFILES_IN_ORDER)
    assert _answer(one) == serial


def test_a_read_lets_go_of_its_document_and_walk_when_it_returns() -> None:
    """A batch thread idle between files holds no plan: the walk and the per-document values go with the read."""
    from msp_convert.mapping import text as mapping_text
    from msp_convert.parsers.docx import parse_docx
    from msp_convert.reader import read

    data = (FIXTURES / "plans" / "04-ks2-autism.docx").read_bytes()

    def held() -> list[object]:
        kept = getattr(mapping_text._KEPT, "values", None)
        return [x for x in (landmarks.last_lines(), kept, mapping_text._SEEN[0]) if x is not None]

    assert read(data=data, filename="plan.docx").child.name
    assert held() == []
    document = parse_docx(data).value
    landmarks.document_lines(document)
    assert len(held()) == 3
    landmarks.forget()
    assert held() == []
