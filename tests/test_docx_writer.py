"""The Word writer: what it writes reads back as the model it was given.

- as-is: every fixture read, written, and read again gives the same model,
  field by field, but for the differences in ``ALLOWED`` (the one place);
- new: the read-back is the original less what the new plan leaves out, the
  expected model built here by transforming the original (``expected_new``);
- the documents open in LibreOffice: each section's heading and entries are
  in its PDF, and that PDF reads back like the .docx (pdf_equivalence's
  rules, and ``PDF_WRAP`` below);
- tick boxes are real content controls; the bytes depend only on the plan;
- the command line: --to docx from .docx, .pdf and .json, --mode, --renumber,
  and a JSON plan's problems each on a line of its own.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from lxml import etree

import msp_convert
from msp_convert.mapping.coverage import count, recount
from msp_convert.mapping.text import norm
from msp_convert.model import Plan, PlanWarning, Review, Unmapped
from msp_convert.template import DEFAULT_PROFILE
from msp_convert.writers.docx import write_docx

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
EXAMPLE = REPO.parent / "shared" / "spec" / "example" / "example-plan.docx"
DOCS = sorted(FIXTURES.glob("plans/*.docx")) + [FIXTURES / "blank-template.docx"] + ([EXAMPLE] if EXAMPLE.exists() else [])
IDS = [p.stem for p in DOCS]

sys.path.insert(0, str(REPO / "tools"))
from render_pages import docx_to_pdfs, soffice  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
ENTRY_KEYS = {"text", "withdrawn", "struck", "review", "review_date"}
REVIEW_WHERE = "section 6 review"

# ---------------------------------------------------------------------------------
# What a written document gives back differently from the plan it was written
# from: the one place, each with its reason. Nothing else may differ.
ALLOWED = {
    "source": "the written document is another file: its own name, format and sha256",
    "template.matched": (
        "the writer draws the whole form from the profile, so the written document holds every heading "
        "and prompt (matched 1.0) where the original had some deleted (08 lost the 'Provision' heading)"
    ),
    "warnings[tracked-deletion]": (
        "a deletion under tracked changes is written as strikethrough, so it reads back struck "
        "(withdrawn, or a struck fragment) as before, but a written document has no tracked "
        "changes for a warning to be about"
    ),
}
# And a written document's PDF (LibreOffice), besides pdf_equivalence's own rules:
PDF_WRAP = (
    "where a line in a narrow table column ends within a space's width of the cell's edge, LibreOffice "
    "draws no space at the wrap, and the PDF reader takes the line's end for the end of the paragraph: "
    "one entry comes back as two. So entry lists are compared as their words in order (with each "
    "word's strikethrough, and the review markers as written), not entry by entry; and coverage is "
    "not compared, as a marker left in the text of an entry cut in two counts as written words"
)
# ---------------------------------------------------------------------------------


def comparable(plan: Plan | dict) -> dict[str, Any]:
    """A plan with the ALLOWED differences taken out; warnings as (code, where)."""
    data = copy.deepcopy(plan if isinstance(plan, dict) else plan.model_dump(mode="json"))
    data.pop("source")
    data["template"].pop("matched")
    data["warnings"] = [(w["code"], w["where"]) for w in data["warnings"] if w["code"] != "tracked-deletion"]
    return data


def assert_same(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert list(got) == list(want)
    for key in want:  # field by field, for a readable failure
        assert got[key] == want[key], key


@pytest.fixture(scope="module")
def originals() -> dict[str, Plan]:
    return {p.stem: msp_convert.read(p) for p in DOCS}


@pytest.fixture(scope="module")
def written(originals: dict[str, Plan]) -> dict[str, bytes]:
    """Every fixture written both ways: "<stem>.as-is" and "<stem>.new"."""
    out = {}
    for stem, plan in originals.items():
        out[f"{stem}.as-is"] = write_docx(plan, mode="as-is")
        out[f"{stem}.new"] = write_docx(plan)
    return out


def read_back(data: bytes) -> Plan:
    return msp_convert.read(data=data, filename="written.docx")


def document_xml(data: bytes, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(part))


# --- as-is ------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", IDS)
def test_as_is_reads_back_as_the_same_plan(stem: str, originals: dict[str, Plan], written: dict[str, bytes]) -> None:
    got = read_back(written[f"{stem}.as-is"])
    assert got.source.format == "docx" and got.source.filename == "written.docx"
    assert got.template.matched == 1.0
    assert_same(comparable(got), comparable(originals[stem]))


# --- new ----------------------------------------------------------------------------------


def _cut_fragments(text: str, fragments: list[str]) -> str:
    """The text less its struck fragments, each with the space before it when
    punctuation, a space or the end follows ("a ~~b~~ c" -> "a c", "a ~~b~~." -> "a.")."""
    for fragment in fragments:
        at = text.find(fragment)
        assert at >= 0, (text, fragment)
        text = text[:at] + "\x00" + text[at + len(fragment):]
    text = re.sub(r"[ \t]*\x00(?=[ \t\n.,;:!?)]|$)", "", text).replace("\x00", "")
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _in_place(entry: dict[str, Any]) -> dict[str, Any] | None:
    if entry["withdrawn"]:
        return None
    return {"text": _cut_fragments(entry["text"], entry["struck"]), "withdrawn": False, "struck": [], "review": None, "review_date": None}


def _entries_in_place(value: Any) -> Any:
    """Every list of entries with the withdrawn ones left out and the rest cleaned of history."""
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and set(v) == ENTRY_KEYS for v in value):
            return [e for e in (_in_place(v) for v in value) if e is not None]
        return [_entries_in_place(v) for v in value]
    if isinstance(value, dict):
        return {k: _entries_in_place(v) for k, v in value.items()}
    return value


def expected_new(original: Plan) -> dict[str, Any]:
    """The new plan of the third review, from the original model (not from the writer's code)."""
    plan = comparable(original)
    plan = _entries_in_place(plan)
    plan["plan_number"] = (original.plan_number or 1) + 1
    for outcome in plan["outcomes"]:
        if outcome["statement"] is not None:
            outcome["statement"] = _in_place(outcome["statement"])
    fields = [c.field for c in DEFAULT_PROFILE.provision_columns[1:]]
    # A provision row with nothing left in place is not in the new plan; its
    # weekly cost already counted only what is in place, so it is unchanged.
    plan["provision"] = [p for p in plan["provision"] if any(p[f] for f in fields)]
    plan["reviews"] = []
    # Text found in the review tables was about those reviews: it goes with them.
    plan["unmapped"] = [u for u in plan["unmapped"] if u["where"] != REVIEW_WHERE]
    plan["warnings"] = [w for w in plan["warnings"] if w[1] != REVIEW_WHERE]
    # Fewer words written: the coverage of what is left, counted as the reader counts it.
    left = {**plan, "source": original.source.model_dump(), "template": original.template.model_dump(), "warnings": []}
    plan["coverage"] = count(Plan.model_validate(left)).model_dump()
    return plan


@pytest.mark.parametrize("stem", IDS)
def test_new_plan_reads_back_as_the_original_less_its_history(stem: str, originals: dict[str, Plan], written: dict[str, bytes]) -> None:
    got = read_back(written[f"{stem}.new"])
    assert_same(comparable(got), expected_new(originals[stem]))


def test_the_new_plan_transformation_is_really_exercised(originals: dict[str, Plan]) -> None:
    """The fixtures have what the new plan leaves out, so the tests above show it gone."""
    everything = json.dumps([p.model_dump(mode="json") for p in originals.values()])
    assert '"withdrawn": true' in everything and '"review": "R1"' in everything
    assert any(p.reviews for p in originals.values())
    assert any(e.struck for p in originals.values() for pr in p.provision for e in pr.resources + pr.actions + pr.frequency)
    assert any(o.statement and o.statement.withdrawn for p in originals.values() for o in p.outcomes)
    assert any(u.where == REVIEW_WHERE for p in originals.values() for u in p.unmapped)
    assert {p.plan_number for p in originals.values()} >= {None, 2, 3, 4}


def test_struck_fragments_leave_no_stray_spaces() -> None:
    assert _cut_fragments("Reading group 3x weekly before lunch after lunch", ["before lunch"]) == "Reading group 3x weekly after lunch"
    assert _cut_fragments("Reading group at lunch.", ["at lunch"]) == "Reading group."
    assert _cut_fragments("old start of the entry", ["old"]) == "start of the entry"


def test_renumber(originals: dict[str, Plan]) -> None:
    plan = originals["12-ks4-eal-sen"].model_copy(deep=True)
    old = [2, 4, 6, 9]
    for outcome, number in zip(plan.outcomes, old):
        outcome.number = number
    for provision, number in zip(plan.provision, old):
        provision.outcome_number = number
    kept = read_back(write_docx(plan))
    assert [o.number for o in kept.outcomes] == old
    renumbered = read_back(write_docx(plan, renumber=True))
    assert [o.number for o in renumbered.outcomes] == [1, 2, 3, 4]
    # Provision follows its outcome's new number (outcome 6's provision, all but
    # one cost withdrawn, is still there with what is in place).
    assert [p.outcome_number for p in renumbered.provision] == [1, 2, 3, 4]
    assert [p.steps for p in renumbered.provision] == [p.steps for p in kept.provision]
    with pytest.raises(ValueError):
        write_docx(plan, mode="as-is", renumber=True)


def test_a_plan_without_a_number_becomes_plan_2(originals: dict[str, Plan], written: dict[str, bytes]) -> None:
    assert originals["01-eyfs-speech-language"].plan_number is None
    assert read_back(written["01-eyfs-speech-language.new"]).plan_number == 2
    assert read_back(written["01-eyfs-speech-language.as-is"]).plan_number is None


def test_an_unreadable_review_date_goes_back_to_its_place(originals: dict[str, Plan]) -> None:
    """"Date of review: Spring term 2019": the review is there (empty), its date
    text in `unmapped` with a warning; written back in the date's place, it reads the same."""
    plan = originals["02-ks1-down-syndrome"].model_copy(deep=True)
    plan.reviews[1] = Review(label="R2")
    plan.unmapped.append(Unmapped(where=REVIEW_WHERE, text="Spring term 2019"))
    plan.warnings += [
        PlanWarning(code="unreadable-date", message="", where=REVIEW_WHERE),
        PlanWarning(code="unmapped-text", message="", where=REVIEW_WHERE),
    ]
    recount(plan)
    got = read_back(write_docx(plan, mode="as-is"))
    assert_same(comparable(got), comparable(plan))


# --- what the document is made of ------------------------------------------------------------


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def test_tick_boxes_are_word_check_box_content_controls(originals: dict[str, Plan], written: dict[str, bytes]) -> None:
    plan = originals["02-ks1-down-syndrome"]
    root = document_xml(written["02-ks1-down-syndrome.as-is"])
    boxes = [sdt for sdt in root.iter(f"{W}sdt") if sdt.find(f"{W}sdtPr/{W14}checkbox") is not None]
    boxes_in_model = sum(v is not None for v in plan.other_plans.model_dump().values())
    boxes_in_model += sum(v is not None for part in (plan.profile, plan.story, plan.family, plan.parent_views) for k, v in part.written_by.model_dump().items() if k != "helper")
    blank_rows = 7 - len(plan.outcomes)  # the form's empty outcome boxes keep their (unticked) boxes
    boxes_in_model += sum(v is not None for o in plan.outcomes for v in o.supported_by.model_dump().values()) + 3 * blank_rows
    assert len(boxes) == boxes_in_model
    for sdt in boxes:
        box = sdt.find(f"{W}sdtPr/{W14}checkbox")
        checked = box.find(f"{W14}checked").get(f"{W14}val")
        assert box.find(f"{W14}checkedState").get(f"{W14}val") == "2612"
        assert box.find(f"{W14}uncheckedState").get(f"{W14}val") == "2610"
        run = sdt.find(f"{W}sdtContent/{W}r")
        assert run.find(f"{W}rPr/{W}rFonts").get(f"{W}ascii") == "MS Gothic"
        assert _text(run) == {"1": "\u2612", "0": "\u2610"}[checked]
    # The introduction's six, in order, with the model's states.
    intro = [b.find(f"{W}sdtPr/{W14}checkbox/{W14}checked").get(f"{W14}val") == "1" for b in boxes[:6]]
    assert intro == list(plan.other_plans.model_dump().values())


def test_a_box_in_no_known_state_is_left_out_and_reads_back_null(originals: dict[str, Plan]) -> None:
    plan = originals["04-ks2-autism"].model_copy(deep=True)
    plan.other_plans.child_in_need = None
    plan.profile.written_by.me = None
    plan.profile.written_by.me_with_help = None
    plan.profile.written_by.helper = "Mr Day"
    plan.story.written_by.carer = None
    for outcome in plan.outcomes:  # a column no outcome has a value for is not drawn
        outcome.supported_by.social_care = None
    recount(plan)  # the helper's name is two more written words
    data = write_docx(plan, mode="as-is")
    got = read_back(data)
    assert got.other_plans == plan.other_plans
    assert got.profile.written_by == plan.profile.written_by
    assert got.story.written_by == plan.story.written_by
    assert [o.supported_by for o in got.outcomes] == [o.supported_by for o in plan.outcomes]
    assert comparable(got) == comparable(plan)
    text = _text(document_xml(data))
    assert "Child in Need Plan" in text and "My carer" in text  # the labels stay


def test_layout(originals: dict[str, Plan], written: dict[str, bytes]) -> None:
    data = written["03-ks2-dyslexia.new"]
    root = document_xml(data)
    body = root.find(f"{W}body")
    # "My Support Plan N" first on page 1.
    assert _text(body.find(f"{W}p")) == "My Support Plan 4"
    # The child in the page header.
    header = _text(document_xml(data, "word/header1.xml"))
    child = originals["03-ks2-dyslexia"].child
    assert header.startswith(f"Name: {child.name}") and f"DOB: {child.date_of_birth:%d/%m/%Y}" in header
    # A landscape section for the wide tables of Section 5, then portrait again.
    orients = [s.find(f"{W}pgSz").get(f"{W}orient") for s in root.iter(f"{W}sectPr")]
    assert orients == [None, "landscape", None] or orients == ["portrait", "landscape", "portrait"]
    # Header rows repeat on each page; prompts and headings are shaded; answers are bullets.
    tables = list(body.iter(f"{W}tbl"))
    provision = next(t for t in tables if "Who will do it?" in _text(t))
    first_row = provision.find(f"{W}tr")
    assert first_row.find(f"{W}trPr/{W}tblHeader") is not None
    assert {s.get(f"{W}fill") for s in root.iter(f"{W}shd")} >= {"D9E2F3", "F2F2F2"}
    styles = {p.get(f"{W}val") for p in root.iter(f"{W}pStyle")}
    assert "ListBullet" in styles
    # Every template heading is drawn, from the profile.
    text = norm(_text(root))
    for section in DEFAULT_PROFILE.sections:
        assert norm(section.headings[0]) in text, section.key


def test_as_is_shows_the_history(originals: dict[str, Plan], written: dict[str, bytes]) -> None:
    plan = originals["03-ks2-dyslexia"]
    root = document_xml(written["03-ks2-dyslexia.as-is"])
    struck = [_text(r) for r in root.iter(f"{W}r") if r.find(f"{W}rPr/{W}strike") is not None]
    for provision in plan.provision:
        for entry in provision.actions + provision.resources + provision.frequency:
            if entry.withdrawn:
                assert entry.text in struck
            for fragment in entry.struck:
                assert fragment in struck
    text = _text(root)
    marked = [e for p in plan.provision for e in p.actions + p.steps + p.targets if e.review and e.review_date]
    assert marked and all(f"{e.text} {e.review} {e.review_date:%d/%m/%Y}" in text for e in marked)


def test_the_new_plan_shows_no_history(written: dict[str, bytes]) -> None:
    for name, data in written.items():
        if name.endswith(".new"):
            root = document_xml(data)
            assert root.find(f".//{W}strike") is None, name
            assert not re.search(r"\bR[123] \d\d/\d\d/\d{4}", _text(root)), name


# --- the same bytes --------------------------------------------------------------------------------


def test_the_same_plan_gives_the_same_bytes(originals: dict[str, Plan], written: dict[str, bytes]) -> None:
    for stem, plan in originals.items():
        assert write_docx(plan, mode="as-is") == written[f"{stem}.as-is"], stem
        assert write_docx(plan) == written[f"{stem}.new"], stem
    with zipfile.ZipFile(io.BytesIO(written["06-ks2-semh.as-is"])) as z:
        assert {i.date_time for i in z.infolist()} == {(2019, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
        assert "2019-01-01T00:00:00Z" in core and "rsid" not in z.read("word/settings.xml").decode()
        assert not any("rsid" in z.read(n).decode("utf-8", "replace") for n in ("word/document.xml",))


def test_the_same_bytes_in_another_process(written: dict[str, bytes], tmp_path: Path) -> None:
    out = tmp_path / "again.docx"
    code = (
        "import sys, msp_convert; from msp_convert.writers.docx import write_docx; "
        "open(sys.argv[2], 'wb').write(write_docx(msp_convert.read(sys.argv[1]), mode='as-is'))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(FIXTURES / "plans" / "06-ks2-semh.docx"), str(out)], check=True, env=env, timeout=120)
    assert out.read_bytes() == written["06-ks2-semh.as-is"]


# --- in a real word processor ---------------------------------------------------------------------


def _soffice_or_skip() -> None:
    # The README's install command brings LibreOffice: a test that skipped here would prove nothing.
    if soffice() is None:
        pytest.fail("LibreOffice (soffice) is not installed; the README's install command installs it")


# Every fixture as-is, and a few as new plans (a new plan is a subset of its
# as-is document; reading a PDF costs most of a second).
IN_PDF = [f"{s}.as-is" for s in IDS] + [f"{s}.new" for s in ("03-ks2-dyslexia", "06-ks2-semh", "12-ks4-eal-sen")]


@pytest.fixture(scope="module")
def pdfs(written: dict[str, bytes]) -> dict[str, bytes]:
    """The written documents converted by LibreOffice headless (one run)."""
    _soffice_or_skip()
    return docx_to_pdfs({name: written[name] for name in IN_PDF})


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.mark.parametrize("name", IN_PDF)
def test_written_documents_open_in_libreoffice(name: str, originals: dict[str, Plan], pdfs: dict[str, bytes]) -> None:
    assert name in pdfs, f"LibreOffice could not convert {name}"
    text = norm(_pdf_text(pdfs[name]))
    for section in DEFAULT_PROFILE.sections:
        assert norm(section.headings[0]) in text, section.key
    plan = originals[name.split(".")[0]]
    # Entries from the full-width tables (narrow columns interleave in extracted text).
    samples = [
        *(e for e in plan.profile.communication + plan.story.growing_up + plan.needs.summary + plan.health_needs if not e.withdrawn),
        *(r for r in plan.appendices.education),
    ]
    for item in samples[:8]:
        words = norm(getattr(item, "text", None) or item.reference)
        assert words in text, words


def _words(entries: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    """Entries as (word, struck) in order, their review markers as written after them."""
    out: list[tuple[str, bool]] = []
    for e in entries:
        mask = [e["withdrawn"]] * len(e["text"])
        at = 0
        for fragment in e["struck"]:
            found = e["text"].find(fragment, at)
            mask[found:found + len(fragment)] = [True] * len(fragment)
            at = found + len(fragment)
        out += [(m.group(), all(mask[m.start():m.end()])) for m in re.finditer(r"\S+", e["text"])]
        if e["review"]:
            out.append((e["review"], e["withdrawn"]))
        if e["review_date"]:
            out.append((dt.date.fromisoformat(e["review_date"]).strftime("%d/%m/%Y"), e["withdrawn"]))
    return out


def _as_words(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == ENTRY_KEYS:
        return _words([value])
    if isinstance(value, list) and value and all(isinstance(v, dict) and set(v) == ENTRY_KEYS for v in value):
        return _words(value)
    if isinstance(value, list):
        return [_as_words(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_words(v) for k, v in value.items()}
    return value


def pdf_comparable(plan: Plan) -> dict[str, Any]:
    """pdf_equivalence's rules (no source, no tracked-deletion warning, soft breaks as
    paragraph ends), and PDF_WRAP: entry lists as their words."""
    data = comparable(plan)
    data.pop("coverage")
    data["unmapped"] = [{"where": u["where"], "text": t} for u in data["unmapped"] for t in u["text"].split("\n") if t.strip()]
    return _as_words(data)


@pytest.mark.parametrize("name", IN_PDF)
def test_the_pdf_of_a_written_document_reads_back_like_it(name: str, written: dict[str, bytes], pdfs: dict[str, bytes]) -> None:
    want = pdf_comparable(read_back(written[name]))
    got_plan = msp_convert.read(data=pdfs[name], filename="written.pdf")
    assert got_plan.source.format == "pdf"
    assert_same(pdf_comparable(got_plan), want)


# --- the command line ----------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "msp_convert", *args], capture_output=True, text=True, timeout=180)


def test_convert_to_docx_makes_the_new_plan(originals: dict[str, Plan], tmp_path: Path) -> None:
    out = tmp_path / "new.docx"
    result = run("convert", str(FIXTURES / "plans" / "09-ks2-adhd.docx"), "--to", "docx", "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert out.read_bytes() == write_docx(originals["09-ks2-adhd"])
    assert msp_convert.read(out).plan_number == 3
    # The same new plan as JSON.
    as_json = run("convert", str(FIXTURES / "plans" / "09-ks2-adhd.docx"), "--mode", "new", "-q")
    assert as_json.returncode == 0
    new = json.loads(as_json.stdout)
    assert new["plan_number"] == 3 and new["reviews"] == []
    assert new["outcomes"] == comparable(msp_convert.read(out))["outcomes"]


def test_convert_to_docx_from_a_pdf_and_as_is(tmp_path: Path) -> None:
    pdf = FIXTURES / "pdf" / "04-ks2-autism.pdf"
    out = tmp_path / "plan.docx"
    assert run("convert", str(pdf), "--to", "docx", "--mode", "as-is", "-o", str(out), "-q").returncode == 0
    assert comparable(msp_convert.read(out)) == comparable(msp_convert.read(pdf))


def test_convert_a_json_plan_to_docx(originals: dict[str, Plan], tmp_path: Path) -> None:
    plan_json = tmp_path / "plan.json"
    assert run("convert", str(FIXTURES / "plans" / "07-ks3-cerebral-palsy.docx"), "-o", str(plan_json), "-q").returncode == 0
    as_read = msp_convert.read(plan_json)
    assert as_read.source.format == "json" and as_read.source.filename == "plan.json"
    out = tmp_path / "plan.docx"
    result = run("convert", str(plan_json), "--to", "docx", "--mode", "as-is", "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    assert comparable(msp_convert.read(out)) == comparable(originals["07-ks3-cerebral-palsy"])
    renumbered = tmp_path / "renumbered.docx"
    assert run("convert", str(plan_json), "--to", "docx", "--renumber", "-o", str(renumbered), "-q").returncode == 0
    assert [o.number for o in msp_convert.read(renumbered).outcomes] == list(range(1, 10))


def test_a_json_plan_with_problems_is_refused_one_line_each(originals: dict[str, Plan], tmp_path: Path) -> None:
    data = originals["05-ks3-hearing-impairment"].model_dump(mode="json")
    secret = "Amira's private note"
    data["outcomes"][1]["number"] = secret
    data["provision"][0]["steps"][0]["review"] = "R7"
    data["child"]["date_of_birth"] = "not a date"
    data["favourite_colour"] = "green"
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "plan.docx"
    result = run("convert", str(bad), "--to", "docx", "-o", str(out))
    assert result.returncode == 1 and not out.exists() and result.stdout == ""
    lines = result.stderr.splitlines()
    assert all(line.startswith("msp-convert: plan.json: ") for line in lines)
    problems = [line.split(": ", 2)[2] for line in lines[1:]]
    assert [p.split(":")[0] for p in problems] == [
        "child.date_of_birth", "outcomes[1].number", "provision[0].steps[0].review", "favourite_colour",
    ]
    assert secret not in result.stderr and "Traceback" not in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": "1.0", ', encoding="utf-8")
    result = run("convert", str(broken), "--to", "docx", "-o", str(out))
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1 and "not valid JSON" in result.stderr


def test_renumber_goes_only_with_a_new_plan(tmp_path: Path) -> None:
    plan = str(FIXTURES / "plans" / "01-eyfs-speech-language.docx")
    result = run("convert", plan, "--to", "docx", "--mode", "as-is", "--renumber", "-o", str(tmp_path / "x.docx"))
    assert result.returncode == 2 and "--renumber" in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_outcome_numbers_below_one_are_written_not_looped_over() -> None:
    # A model built in code may hold any int; the blank rows after the last number
    # once counted up from -10**12 and never finished.
    plan = msp_convert.read(FIXTURES / "plans" / "01-eyfs-speech-language.docx")
    for outcome in plan.outcomes:
        outcome.number = -10**12
    for row in plan.provision:
        row.outcome_number = -10**12
    def overran(*_: object) -> None:  # a safety net only: the old loop never ended
        raise AssertionError("the writer loops over outcome numbers from below one")

    previous = signal.signal(signal.SIGALRM, overran)
    signal.alarm(120)
    try:
        data = write_docx(plan, mode="as-is")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    again = msp_convert.read(data=data, filename="again.docx")
    first_words = plan.outcomes[0].statement.text.split()[:4]
    assert " ".join(first_words) in msp_convert.to_json(again)  # the odd row is written, its text kept
