"""Nothing lost (issue 13): every word a person wrote in a Word fixture is in its JSON.

The document's words are taken independently of the reader, with lxml, from
word/document.xml and every header and footer part: every w:t and w:delText
(text boxes included; of mc:AlternateContent only the Choice, as Word shows
it), a tab or break between words. Then what the contract turns into
structure is taken away, each rule named below:

* the template's wording: every word of the profile's headings, prompts,
  guidance, tick labels, column headers and review labels, "My Support Plan",
  of the blank form as published (fixtures/wording.py: the second lines of
  wrapped column headers the profile does not list), and the labels the
  reader reads identity and plan dates by (LABELS);
* dates whose ISO form is in the output, and the review markers R1 R2 R3;
* a line that is only a page number ("Page 1 of 6"), dropped by design;
* tick marks typed as text ("[x]", "( )", a cell holding only "X" or "Yes",
  "X" before a tick label, "Yes"/"No" after one), read as true or false;
* the area line of an outcome (read as area codes) and an outcome's
  "By the end of KS2, Sam will be able to" lead (key stage and statement);
* a bullet typed as "o" and a tab.

What is left must be in the words of the output JSON's strings (and whole
numbers: outcome numbers), as a multiset: every fixture, with or without a
template, every layout (read with force for a document on no known form).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

import importlib.util

import msp_convert
from msp_convert.template import DEFAULT_PROFILE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DOCS = sorted(FIXTURES.glob("plans/*.docx")) + sorted(FIXTURES.glob("departures/*.docx"))

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
TEXT_TAGS = (W + "t", W + "delText", W + "tab", W + "br", W + "cr")
PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")

# The labels of identity and plan-date lines (design.md): read into child and plan_dates.
LABELS = ("name first forename surname last family known as preferred d o b dob date of birth year group ncy "
          "upn setting plan written this review reviewed next initial to be by msp no page")
TICK_WORDS = {"x", "yes", "no", "y", "n"}
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b")
WORDED_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4}|\d{2})\b")
TYPED_TICK = re.compile(r"[\[(]\s*[xX\u2713\u2714]?\s*[\])]")
PAGE_LINE = re.compile(r"\s*(page\s*)?\d+(\s*(of|/)\s*\d+)?\s*", re.I)
LEAD = re.compile(r"by the end of .{0,60}? will be able to", re.I | re.S)
ONLY_TICK = re.compile(r"\s*[\u2610\u2612\u2611\u2713\u2714\u2717\u2718]?\s*(x|yes|no|y|n|\u2713|\u2714)?\s*[.]?\s*", re.I)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _profile_texts() -> list[str]:
    p = DEFAULT_PROFILE
    out = [*p.group_headings, p.plan_title, "My Support Plan", p.outcome_label, *p.areas_prompt.wordings,
           p.statement_prompt, p.provision_notes_label, p.review_date_prompt]
    for s in p.sections:
        out += [*s.headings, *s.guidance]
        out += [w for pr in s.prompts for w in pr.wordings]
        out += [label for t in s.ticks for label in t.labels]
    for cols in (p.supported_by, p.provision_columns, p.review_progress_columns):
        out += [w for c in cols for w in c.wordings]
    out += [w for _, wordings in p.review_labels for w in wordings]
    return out


def _printed_texts() -> list[str]:
    """The blank form as published (fixtures/wording.py): the profile keeps only the first line
    of a wrapped column header ("(each outcome may need more than one step)", "(to include
    whether ... met, partly met, not met or need to be changed)"); the form prints the rest."""
    spec = importlib.util.spec_from_file_location("fixture_wording", FIXTURES / "wording.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    out: list[str] = [module.s6_guidance(n) for n in (1, 2, 3)]

    def walk(v: object) -> None:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)

    for name, value in vars(module).items():
        if name.isupper():
            walk(value)
    return out


VOCABULARY = {w for t in _profile_texts() + _printed_texts() for w in words(t)} | set(LABELS.split())
TICK_LABELS = sorted({label for s in DEFAULT_PROFILE.sections for t in s.ticks for label in t.labels}, key=len,
                     reverse=True)
LABEL_ANSWER = re.compile(
    "(" + "|".join(re.escape(label) for label in TICK_LABELS) + r")\s*[:\-]?\s*(yes|no|y|n)\b", re.I)
TICK_BEFORE_LABEL = re.compile(
    r"(?<!\w)[xX]\s+(?=(" + "|".join(re.escape(label) for label in TICK_LABELS) + r")\b)")
AREA_LEADS = tuple(w.lower() for w in DEFAULT_PROFILE.areas_prompt.wordings)


def paragraphs(xml: bytes) -> list[str]:
    """The text of each w:p of a part, its own runs only (a text box's paragraphs are their own)."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    return ["".join(_own_text(p)) for p in root.iter(W + "p")
            if not any(a.tag == FALLBACK for a in p.iterancestors())]


def _own_text(node: etree._Element):
    for child in node:
        if child.tag in (W + "p", FALLBACK):
            continue
        if child.tag in (W + "t", W + "delText"):
            yield child.text or ""
        elif child.tag in TEXT_TAGS:
            yield " "
        yield from _own_text(child)


def document_lines(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if PARTS.fullmatch(n)]
        return [line for n in sorted(names, key=lambda n: (n != "word/document.xml", n))
                for line in paragraphs(z.read(n))]


def _iso(day: str, month: int, year: str) -> str | None:
    y = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return f"{y:04d}-{month:02d}-{int(day):02d}"
    except ValueError:
        return None


def without_dates(line: str, isos: set[str]) -> str:
    def numeric(m: re.Match) -> str:
        return " " if _iso(m.group(1), int(m.group(2)), m.group(3)) in isos else m.group(0)

    def worded(m: re.Match) -> str:
        month = m.group(2)[:3].lower()
        if month not in MONTHS:
            return m.group(0)
        return " " if _iso(m.group(1), MONTHS.index(month) + 1, m.group(3)) in isos else m.group(0)

    return WORDED_DATE.sub(worded, NUMERIC_DATE.sub(numeric, line))


def structural(line: str) -> str:
    """The line less what the contract turns into structure (see the module's docstring)."""
    if PAGE_LINE.fullmatch(line) or ONLY_TICK.fullmatch(line):
        return ""
    low = line.strip().lower()
    if low.startswith(AREA_LEADS):
        return ""
    line = re.sub(r"^\s*o\t", " ", line)
    line = TYPED_TICK.sub(" ", line)
    line = TICK_BEFORE_LABEL.sub(" ", line)
    line = LABEL_ANSWER.sub(lambda m: m.group(1), line)
    return LEAD.sub(" ", line)


def written_words(path: Path, output_strings: set[str]) -> Counter:
    isos = {s for s in output_strings if re.fullmatch(r"\d{4}-\d\d-\d\d", s)}
    out: Counter = Counter()
    for line in document_lines(path):
        for w in words(without_dates(structural(line), isos)):
            if w not in VOCABULARY and w not in ("r1", "r2", "r3"):
                out[w] += 1
    return out


def _strings(value: object, out: list) -> list:
    if isinstance(value, dict):
        for k, v in value.items():
            _strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)
    elif isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        out.append(str(value))
    return out


def output_strings(path: Path, force: bool) -> list[str]:
    """The output's strings, of every plan the file holds."""
    out: list[str] = []
    for plan in msp_convert.read_all(path, force=force):
        data = json.loads(msp_convert.to_json(plan))
        for key in ("source", "warnings"):
            data.pop(key)
        _strings(data, out)
    return out


NOT_PLANS = {"d11-other-form"}  # refused without --force (tests/test_departures.py)
CASES = [(p, True) for p in DOCS] + [(p, False) for p in DOCS if p.stem not in NOT_PLANS]


@pytest.mark.parametrize("path,force", CASES, ids=lambda v: v.stem if isinstance(v, Path) else ("force" if v else "no-force"))
def test_every_word_written_is_in_the_output(path: Path, force: bool) -> None:
    strings = output_strings(path, force)
    kept = Counter(w for s in strings for w in words(s))
    lost = written_words(path, set(strings)) - kept
    assert not lost, f"{sum(lost.values())} word(s) lost: {sorted(lost.items())}"


def test_the_count_sees_text_boxes_headers_and_footers() -> None:
    # the extraction itself: words in a text box, a page header and a footer are counted, once each
    box = Counter(written_words(FIXTURES / "departures" / "d03-profile-text-boxes.docx", set()))
    margins = Counter(written_words(FIXTURES / "departures" / "d06-header-footer.docx", set()))
    assert box["dinosaur"] == 2  # two answers in 1a's text boxes, each once (not again from the VML copy)
    assert margins["hillside"] == 1 and margins["kai"] >= 2 and margins["2008"] == 1


def test_the_check_fails_when_a_section_is_dropped() -> None:
    # the comparison can fail: d09's pasted report, left out of the output, is counted as lost
    path = FIXTURES / "departures" / "d09-pasted-report.docx"
    pasted = ("Oscar was seen in school", "Cognitive assessment placed")
    strings = [s for s in output_strings(path, False) if not s.startswith(pasted)]
    lost = written_words(path, set(strings)) - Counter(w for s in strings for w in words(s))
    assert {"november", "cognitive", "verbal", "reasoning", "processing"} <= set(lost)
