"""bench_docx.py --bounds: each measured function does the work it stands for (not how fast: bench/ measures that)."""

from __future__ import annotations

import importlib.util
import re
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from lxml import etree

import msp_convert
from msp_convert.layout import Table, iter_paragraphs
from msp_convert.parsers.docx import parse_docx
from msp_convert.text import norm
from msp_convert.writers.json import to_json

REPO = Path(__file__).resolve().parents[1]
FILES = [REPO / "fixtures" / "plans" / "01-eyfs-speech-language.docx", REPO / "fixtures" / "messy" / "m1-tracked-changes.docx"]


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(REPO / "bench"))  # the script imports its neighbour timing.py
    try:
        spec = importlib.util.spec_from_file_location("bench_docx_under_test", REPO / "bench" / "bench_docx.py")
        module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # its dataclass looks itself up
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(REPO / "bench"))
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def files():
    return [(p.name, p.read_bytes()) for p in FILES]


@pytest.fixture(scope="module")
def prepared(bench, files):
    return bench.prepare(files)


def _paragraph_texts(data: bytes) -> list[str]:
    doc = parse_docx(data).value
    return [p.text for blocks in (doc.body, doc.headers, doc.footers) for p in iter_paragraphs(blocks)]


def _letters(texts: list[str]) -> str:
    return re.sub(r"\W", "", "".join(texts))


def test_package_opens_every_part(bench, files):
    packages = bench.open_all(files)
    assert len(packages) == len(files)
    for pkg, (_, data) in zip(packages, files):
        with zipfile.ZipFile(BytesIO(data)) as z:
            assert etree.tostring(pkg.document.root) == etree.tostring(etree.fromstring(z.read("word/document.xml")))
        in_zip = [n for n in z.namelist() if re.fullmatch(r"word/(?:header|footer)\d*\.xml", n)]
        assert pkg.styles is not None and len(pkg.headers) + len(pkg.footers) == len(in_zip)


def test_visit_counts_every_element(bench, prepared):
    every = sum(len(root.xpath("descendant-or-self::node()[not(self::text())]"))
                for pkg in prepared.packages for root in bench._parts(pkg))
    assert bench.visit(prepared.packages) == every > 5000


def test_bare_walk_keeps_the_parsers_text(bench, files, prepared):
    # Every letter and digit the parser reads, in order (tick glyphs, spacing and where
    # paragraphs part aside: the bare walk knows nothing of them).
    expected = _letters([t for _, data in files for t in _paragraph_texts(data)])
    assert _letters(bench.bare_walk(prepared.packages)) == expected
    assert len(expected) > 20_000


def test_layouts_are_the_parsers(bench, files, prepared):
    built = bench.layouts(prepared.layouts)
    assert built == [parse_docx(data).value for _, data in files]
    assert all(any(type(b) is Table for b in doc.body) for doc in built)


def test_json_is_the_readers(bench, files, prepared):
    assert bench.write_json(prepared.plans) == [to_json(msp_convert.read(data=data, filename=name)) for name, data in files]


def test_models_are_built_again(bench, prepared):
    rebuilt = bench.build_models(prepared.plans)
    assert rebuilt == prepared.plans
    for new, old in zip(rebuilt, prepared.plans):
        assert new is not old and new.child is not old.child
        assert new.outcomes[0] is not old.outcomes[0] and new.outcomes[0].statement is not old.outcomes[0].statement
        assert to_json(new) == to_json(old)


def test_lines_normalised_and_looked_up(bench, files, prepared):
    hits = bench.look_up_lines(prepared.lines)
    texts = [t for _, data in files for t in _paragraph_texts(data)]
    assert len(hits) == len(texts)
    wordings = prepared.lines[0][1]
    assert "my support plan" in wordings and wordings[norm("Outcome")] == "Outcome"
    found = [hit for hit in hits if hit is not None]
    assert len(found) > 50
    assert all(hit == wordings[norm(text)] for hit, text in zip(hits, texts) if hit is not None)
    assert bench.look_up_lines_afresh(prepared.lines) == hits
