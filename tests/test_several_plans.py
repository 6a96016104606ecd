"""Several plans in one file: each found where its front part begins, each read on its own,
written as OUT, OUT-2 ... by convert and reported as a row each by batch.

Two-plan documents are made here from the committed fixture plans (their bodies
joined in one Word document, the first's styles and page setup kept), and built
as layout in code; what each plan must read as comes from the fixtures'
expected JSON, never from running the reader on the joined file.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Optional

import pytest

import msp_convert
from msp_convert.atomic import TEMP_PREFIX
from msp_convert.layout import Cell, Document, Paragraph, Row, Run, Table
from msp_convert.mapping.plans import MIN_LATER_PARTS, divide, names_child, split
from msp_convert.template import DEFAULT_PROFILE
from msp_convert.writers.json import to_json

PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"
# Three plans whose content reads the same under the first one's styles (no style-made strike,
# no child only in a page header): Oliver (plan number 2), Zofia (a cover table), and 08 (no name).
JOINED = ("02-ks1-down-syndrome", "10-ks2-selective-mutism", "08-ks1-visual-impairment")


def joined_docx(path: Path, *names: str) -> Path:
    """One Word document holding these fixture plans' bodies one after another."""
    bodies = []
    for name in names:
        xml = zipfile.ZipFile(PLANS / f"{name}.docx").read("word/document.xml").decode("utf-8")
        bodies.append(xml[xml.index("<w:body>") + len("<w:body>"): xml.rindex("<w:sectPr")])
    with zipfile.ZipFile(PLANS / f"{names[0]}.docx") as first:
        xml = first.read("word/document.xml").decode("utf-8")
        document = xml[: xml.index("<w:body>") + len("<w:body>")] + "".join(bodies) + xml[xml.rindex("<w:sectPr"):]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for info in first.infolist():
                out.writestr(info, document if info.filename == "word/document.xml" else first.read(info))
    return path


def expected(name: str) -> dict:
    return json.loads((PLANS / f"{name}.expected.json").read_text(encoding="utf-8"))


def without(plan: dict, *keys: str) -> dict:
    return {k: v for k, v in plan.items() if k not in keys}


def cli(*args: str, cwd: Optional[Path] = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "msp_convert", *args], capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return joined_docx(tmp_path_factory.mktemp("three") / "three plans.docx", *JOINED)


# --- layout: where a plan begins -----------------------------------------------------------


def para(text: str) -> Paragraph:
    return Paragraph([Run(text)], origin="document.xml")


def plan_blocks(name: str, title: str = "My Support Plan") -> list[Paragraph]:
    """A plan typed as paragraphs: its front part, then sections 1a, 1b, 2 and 5."""
    return [para(t) for t in (
        title, f"Name: {name}", "Introduction to My Support Plan", "Section 1: About me", "a) my profile",
        "Likes trains.", "b) my story", "Moved here in Year 2.", "Section 2: My special educational needs",
        "Reading is hard.", "Section 5: Outcomes and provision",
    )]


def texts(document: Document) -> list[str]:
    return [b.text for b in document.body]  # type: ignore[union-attr]


def test_a_second_front_part_after_the_sections_starts_a_second_plan() -> None:
    lead = [para("Confidential")]  # before any plan: it stays with the first
    document = Document(body=lead + plan_blocks("Kai Dobson") + plan_blocks("Amy Lee", "My Support Plan 2"))
    division = divide(document, DEFAULT_PROFILE)
    assert [texts(d) for d in division.plans] == [
        ["Confidential"] + [b.text for b in plan_blocks("Kai Dobson")],
        [b.text for b in plan_blocks("Amy Lee", "My Support Plan 2")],
    ]
    assert [s.describe() for s in division.starts] == ["a plan-number line"]
    # Without its title line the second plan begins at the line naming its child.
    document = Document(body=plan_blocks("Kai Dobson") + plan_blocks("Amy Lee")[1:], headers=[para("Hollybank")])
    parts = split(document, DEFAULT_PROFILE)
    assert [texts(d)[0] for d in parts] == ["My Support Plan", "Name: Amy Lee"]
    assert all(d.headers == [para("Hollybank")] for d in parts)  # headers go with every part


def test_on_a_known_page_a_plan_begins_at_the_top_of_the_page_its_front_part_is_on() -> None:
    def paged(blocks: list[Paragraph], page: int) -> list[Paragraph]:
        return [Paragraph(b.inlines, origin=f"page {page}") for b in blocks]

    first = paged(plan_blocks("Kai Dobson"), 1) + paged([para("Copies to: parents")], 3)
    second = paged([para("Hollybank Primary School"), *plan_blocks("Amy Lee")], 4)
    division = divide(Document(body=first + second), DEFAULT_PROFILE)
    assert [texts(d) for d in division.plans] == [[b.text for b in first], [b.text for b in second]]
    assert [s.describe() for s in division.starts] == ["the title line (page 4)"]
    # A plan that begins on the page where the one before ends begins at its own front part.
    same = paged(plan_blocks("Kai Dobson"), 1) + paged([para("Copies to: parents"), *plan_blocks("Amy Lee")], 1)
    division = divide(Document(body=same), DEFAULT_PROFILE)
    assert texts(division.plans[0])[-1] == "Copies to: parents" and texts(division.plans[1])[0] == "My Support Plan"


def test_a_page_header_naming_one_child_goes_only_with_that_childs_plan(tmp_path: Path) -> None:
    header = [para("Name: Kai Dobson   DOB: 09/01/2008"), para("Hollybank Primary")]
    parts = split(Document(body=plan_blocks("Kai Dobson") + plan_blocks("Amy Lee"), headers=header), DEFAULT_PROFILE)
    assert [[p.text for p in d.headers] for d in parts] == [[p.text for p in header], ["Hollybank Primary"]]  # type: ignore[union-attr]
    # Maisie's plan names her only in its page header; Oliver's, joined after it, keeps his own name and birth date.
    maisie, oliver = msp_convert.read_all(joined_docx(tmp_path / "two.docx", "01-eyfs-speech-language", "02-ks1-down-syndrome"))
    assert maisie.child.model_dump(mode="json") == expected("01-eyfs-speech-language")["child"]
    assert oliver.child.model_dump(mode="json") == expected("02-ks1-down-syndrome")["child"]


def test_a_plan_with_reports_pasted_after_it_is_one_plan() -> None:
    # A report about the same child, and one naming someone else with fewer of the form's parts.
    report = [para("Name: Kai Dobson"), para("Educational Psychology report"), para("Kai reads at a Year 2 level.")]
    other = [para("Name: Dr A Patel"), para("Section 1: About me"), para("a) my profile"), para("Seen in clinic.")]
    document = Document(body=plan_blocks("Kai Dobson") + report + other)
    division = divide(document, DEFAULT_PROFILE)
    assert division.plans == [document] and division.starts == []
    assert MIN_LATER_PARTS == 3  # "other" shows two later parts (Section 1 and 1a): not a plan


def test_a_plan_inside_a_one_cell_layout_table_is_cut_inside_it() -> None:
    first, second = plan_blocks("Kai Dobson"), plan_blocks("Amy Lee")
    frame = Table([Row([Cell(first + second)])], columns=1, origin="document.xml")
    division = divide(Document(body=[para("Cover note"), frame]), DEFAULT_PROFILE)
    assert len(division.plans) == 2 and [s.describe() for s in division.starts] == ["the title line"]
    one, two = division.plans
    assert one.body[0] == para("Cover note")
    assert [b.text for b in one.body[1].rows[0].cells[0].blocks] == [b.text for b in first]  # type: ignore[union-attr]
    assert [b.text for b in two.body[0].rows[0].cells[0].blocks] == [b.text for b in second]  # type: ignore[union-attr]
    assert (two.body[0].columns, two.body[0].origin, len(two.body)) == (1, "document.xml", 1)  # type: ignore[union-attr]


def test_a_cover_table_row_naming_another_child_starts_a_plan_and_a_page_is_given() -> None:
    cover = Table([Row([Cell([para("Child's name")]), Cell([para("Amy Lee")])])], columns=2, origin="page 4")
    second = [p for p in plan_blocks("Amy Lee") if not p.text.startswith(("Name:", "My Support"))]
    division = divide(Document(body=plan_blocks("Kai Dobson") + [cover] + second), DEFAULT_PROFILE)
    assert [s.describe() for s in division.starts] == ["a cover row naming a child (page 4)"]
    assert division.plans[1].body[0] is cover


def test_name_lines() -> None:
    assert names_child("Name: Kai Dobson   D.O.B. 09/01/2008") == "kai dobson"
    assert names_child("Child's name – Amy Lee") == "amy lee"
    assert names_child("Name of child: Amy Lee DOB: 01/02/2010") == "amy lee"
    assert names_child("Mum's name: Sarah") is None
    assert names_child("Name of school: Hollybank") is None
    assert names_child("Name: 12/03/2019") is None


def test_every_fixture_plan_is_one_plan() -> None:
    for path in sorted(PLANS.glob("*.docx")):
        assert len(msp_convert.read_all(path)) == 1, path.name


# --- reading: read_all and read -------------------------------------------------------------


def test_read_all_reads_each_plan_as_its_own_file_reads(three: Path) -> None:
    plans = msp_convert.read_all(three)
    assert len(plans) == 3
    for k, (plan, name) in enumerate(zip(plans, JOINED), 1):
        got, want = json.loads(to_json(plan)), expected(name)
        assert without(got, "source", "warnings") == without(want, "source", "warnings"), name
        assert [(w["code"], w["where"]) for w in got["warnings"]] == [("several-plans", None)] + [(w["code"], w["where"]) for w in want["warnings"]]
        assert got["source"]["filename"] == "three plans.docx" and got["source"]["sha256"] == plans[0].source.sha256
        assert f"this is plan {k}" in plan.warnings[0].message
    assert [p.child.name for p in plans] == ["Oliver Bennett", "Zofia Kowalska", None]  # never merged


def test_read_gives_the_first_plan_and_says_where_the_next_begins(three: Path) -> None:
    plan = msp_convert.read(three)
    assert plan.child.name == "Oliver Bennett" and plan.coverage == msp_convert.Plan.model_validate(expected(JOINED[0])).coverage
    warning = plan.warnings[0]
    assert warning.code == "several-plans" and warning.where is None
    assert warning.message == (
        "This file holds 3 plans; this is plan 1; plan 2 begins at a cover row naming a child. "
        "Each is read on its own: read_all, or convert -o, gives every one."
    )
    last = msp_convert.read_all(three)[2].warnings[0].message
    assert last.startswith("This file holds 3 plans; this is plan 3 of 3, which begins at the heading 'Introduction to My Support Plan'.")
    typed = [s for name in JOINED for s in json.loads((PLANS / f"{name}.typed.json").read_text(encoding="utf-8"))]
    assert not [s for s in typed if s in warning.message or s in last]  # no content in the message


def test_two_pdfs_in_one_each_read_as_alone_and_the_margins_go_with_their_pages(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    pdfs = [PLANS.parent / "pdf" / f"{name}.pdf" for name in ("02-ks1-down-syndrome", "06-ks2-semh")]
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(pdf))
    joined = tmp_path / "two.pdf"
    with open(joined, "wb") as handle:
        writer.write(handle)
    oliver, tyler = msp_convert.read_all(joined)
    assert oliver.warnings[0].message.startswith("This file holds 2 plans; this is plan 1; plan 2 begins at a cover row naming a child (page 12).")
    alone = [json.loads(to_json(msp_convert.read(pdf))) for pdf in pdfs]
    assert without(json.loads(to_json(oliver)), "source", "warnings") == without(alone[0], "source", "warnings")
    # The PDF reader keeps one of the page-top lines that differ only in their number ("My Support
    # Plan 2", "My Support Plan 3"): Tyler's is not read, and Oliver's (page 1's) is never his.
    assert without(json.loads(to_json(tyler)), "source", "warnings", "plan_number") == without(alone[1], "source", "warnings", "plan_number")
    assert (oliver.plan_number, tyler.plan_number) == (2, None)


# --- the command line ------------------------------------------------------------------------


def test_convert_writes_each_plan_and_names_the_files(three: Path, tmp_path: Path) -> None:
    plans = msp_convert.read_all(three)
    result = cli("convert", str(three), "-o", str(tmp_path / "kids.json"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kids-2.json", "kids-3.json", "kids.json"]
    for name, plan in zip(("kids.json", "kids-2.json", "kids-3.json"), plans):
        assert (tmp_path / name).read_text(encoding="utf-8") == to_json(plan)
    lines = result.stderr.splitlines()
    assert lines[0].startswith("msp-convert: three plans.docx (plan 1 of 3): read as complete: 97 % placed; 2 warning(s): several-plans x1")
    assert lines[1] == "msp-convert: three plans.docx (plan 2 of 3): read as complete: 100 % placed; 1 warning(s): several-plans x1"
    assert lines[-1] == "msp-convert: three plans.docx: 3 plans written: kids.json, kids-2.json, kids-3.json"
    assert "Oliver" not in result.stderr and "Zofia" not in result.stderr


def test_convert_to_standard_output_gives_the_first_and_says_so(three: Path) -> None:
    result = cli("convert", str(three))
    assert result.returncode == 0 and result.stdout == to_json(msp_convert.read(three))
    assert result.stderr.splitlines()[-1] == (
        "msp-convert: three plans.docx: holds 3 plans; only plan 1 was written; give -o FILE to write each (FILE, FILE-2 ...)"
    )
    assert cli("convert", "-q", str(three)).stderr == ""


def test_convert_writes_all_the_plans_or_none(three: Path, tmp_path: Path) -> None:
    (tmp_path / "kids-3.docx").mkdir()  # the third output cannot be written
    result = cli("convert", str(three), "--to", "docx", "-o", str(tmp_path / "kids.docx"))
    assert result.returncode == 1 and "kids.docx: could not write" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kids-3.docx"]  # nothing else, no temporary file
    (tmp_path / "kids-3.docx").rmdir()
    assert cli("convert", str(three), "--to", "docx", "-o", str(tmp_path / "kids.docx"), "-q").returncode == 0
    assert [msp_convert.read(tmp_path / f).child.name for f in ("kids.docx", "kids-2.docx")] == ["Oliver Bennett", "Zofia Kowalska"]


def test_batch_reports_a_row_per_plan(three: Path, tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "three.docx").write_bytes(three.read_bytes())
    (src / "one.docx").write_bytes((PLANS / "06-ks2-semh.docx").read_bytes())
    result = cli("batch", str(src), "-o", str(out), "--tables", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("msp-convert: done: 2 files (2 converted; 1 held several plans, 2 more plans reported as FILE#2 ...)")
    for _ in range(2):  # converted, then skipped from the journal: the same rows
        with open(out / "report.csv", encoding="utf-8", newline="") as handle:
            rows = {r["path"]: r for r in csv.DictReader(handle)}
        assert {p: (r["output"], r["plan"], r["verdict"], r["outcomes"]) for p, r in rows.items()} == {
            "one.docx": ("one.json", "", "partial", str(len(expected("06-ks2-semh")["outcomes"]))),
            "three.docx": ("three.json", "1", "complete", "3"),
            "three.docx#2": ("three-2.json", "2", "complete", str(len(expected(JOINED[1])["outcomes"]))),
            "three.docx#3": ("three-3.json", "3", "complete", str(len(expected(JOINED[2])["outcomes"]))),
        }
        summary = json.loads((out / "report.json").read_text(encoding="utf-8"))["summary"]
        assert summary["verdicts"] == {"complete": 3, "partial": 1, "other-layout": 0, "not-a-plan": 0}
        for rel, plan in zip(("three.json", "three-2.json", "three-3.json"), msp_convert.read_all(src / "three.docx")):
            assert (out / rel).read_text(encoding="utf-8") == to_json(plan)
        with open(out / "plans.csv", encoding="utf-8", newline="") as handle:
            assert sorted((r["file"], r["child_name"]) for r in csv.DictReader(handle)) == [
                ("one.docx", "Tyler Robinson"), ("three.docx", "Oliver Bennett"), ("three.docx#2", "Zofia Kowalska"), ("three.docx#3", ""),
            ]
        again = cli("batch", str(src), "-o", str(out), "--tables", "-q")
        assert again.returncode == 0 and "2 skipped" in again.stderr
    assert not list(out.rglob(f"{TEMP_PREFIX}*"))


def test_batch_never_writes_a_plan_over_another_files_output(three: Path, tmp_path: Path) -> None:
    # three.docx's plan 2 would be three-2.json: the output of the file three-2.docx.
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "three.docx").write_bytes(three.read_bytes())
    (src / "three-2.docx").write_bytes((PLANS / "06-ks2-semh.docx").read_bytes())
    result = cli("batch", str(src), "-o", str(out), "-q")
    assert result.returncode == 1, result.stderr
    rows = {r["path"]: r for r in json.loads((out / "report.json").read_text(encoding="utf-8"))["files"]}
    assert rows["three-2.docx"]["status"] == "converted"
    assert rows["three.docx"]["status"] == "failed"
    assert rows["three.docx"]["error"].startswith("it holds 3 plans and plan 2's output would overwrite another file's;")
    assert msp_convert.read(out / "three-2.json").child.name == "Tyler Robinson"
    assert not (out / "three.json").exists()  # all of a file's plans, or none


def test_a_file_of_more_plans_than_any_is_refused_in_one_line(three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from msp_convert import reader

    monkeypatch.setattr(reader, "MAX_PLANS", 2)
    with pytest.raises(msp_convert.InputError, match="^this holds more than 2 plans, far more than any file of plans; check it is the right file"):
        msp_convert.read_all(three)


def test_a_second_plan_showing_only_edited_prompts_is_found_by_their_edited_wording() -> None:
    """Stored text, no heading after the second plan's title: only the prompts, each worded a little
    differently from the form, show its later parts (the scan's edited-wording match)."""
    edited = [
        "Times or days or barriers that make it hard for me or my family to attend appointments or to meet professionals",
        "How do I feel when I am at school and how do I feel and behave when I get home from school",
        "Long term, what I want for my child's future beyond next year and when they are grown up",
        "What are the things that are not working so well for me at the moment",
    ]
    second = [para("My Support Plan"), para("Name: Amy Lee")] + [p for t in edited for p in (para(t), para("An answer."))]
    division = divide(Document(body=plan_blocks("Kai Dobson") + second), DEFAULT_PROFILE)
    assert [texts(d) for d in division.plans] == [texts(Document(body=plan_blocks("Kai Dobson"))), texts(Document(body=second))]
    assert [s.describe() for s in division.starts] == ["the title line"]


def test_many_plans_on_one_page_cost_a_page_lookup_per_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where each plan begins on a page is worked out in one pass over the units, not a walk back
    to the top of the page for each plan (quadratic in the units on one page)."""
    from msp_convert.mapping import plans

    calls = [0]
    page = plans._page

    def counted(origin: str) -> Optional[int]:
        calls[0] += 1
        return page(origin)

    monkeypatch.setattr(plans, "_page", counted)
    body = [Paragraph(b.inlines, origin="page 1") for _ in range(60) for b in plan_blocks("Kai Dobson")]
    units = len(body)
    division = divide(Document(body=body), DEFAULT_PROFILE)
    assert len(division.plans) == 60
    assert calls[0] <= 2 * units
