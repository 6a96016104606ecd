"""A whole folder: every file's fate in the report, outputs equal to `convert`'s,
one bad file never stopping the rest, and an interrupted batch resuming."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import msp_convert
from msp_convert.atomic import TEMP_PREFIX
from msp_convert.batch import HANG_HOOK, STATE, JOURNAL
from msp_convert.writers.json import to_json

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "fixtures" / "plans"
PDFS = REPO / "fixtures" / "pdf"
BAD_PDFS = Path(__file__).resolve().parent / "data" / "pdf"


def make_folder(root: Path) -> Path:
    """Plans from the fixtures, nested, with the junk a shared drive holds."""
    src = root / "in"
    (src / "year 3" / "autumn").mkdir(parents=True)
    (src / "archive").mkdir()
    shutil.copy(PLANS / "01-eyfs-speech-language.docx", src / "01.docx")
    shutil.copy(PLANS / "04-ks2-autism.docx", src / "year 3" / "04.docx")
    shutil.copy(PDFS / "06-ks2-semh.pdf", src / "year 3" / "autumn" / "06.pdf")
    shutil.copy(PLANS / "01-eyfs-speech-language.docx", src / "archive" / "01 copy.docx")  # a duplicate
    (src / "empty.docx").write_bytes(b"")
    (src / "notes.docx").write_text("Notes from the meeting", encoding="utf-8")  # text renamed .docx
    with zipfile.ZipFile(src / "broken.docx", "w") as z:
        z.writestr("word/other.xml", "<x/>")
    (src / "corrupt.docx").write_bytes((PLANS / "02-ks1-down-syndrome.docx").read_bytes()[:4000])  # cut short
    shutil.copy(BAD_PDFS / "encrypted.pdf", src / "locked.pdf")
    shutil.copy(PLANS / "08-ks1-visual-impairment.docx", src / "hangs.docx")  # the test hook stalls this one
    (src / "budget.xlsx").write_bytes(b"PK\x03\x04 not really")
    (src / "Thumbs.db").write_bytes(b"\0" * 10)
    outside = root / "outside.docx"
    shutil.copy(PLANS / "03-ks2-dyslexia.docx", outside)
    (src / "link.docx").symlink_to(outside)
    return src


def plans_folder(tmp_path: Path, *names: str) -> Path:
    """tmp_path/in holding these fixture plans under their own names."""
    src = tmp_path / "in"
    src.mkdir()
    for name in names:
        shutil.copy(PLANS / f"{name}.docx", src / f"{name}.docx")
    return src


def batch(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "msp_convert", "batch", *args], capture_output=True, text=True, timeout=300, env=env)


def report(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "report.csv", newline="", encoding="utf-8") as handle:
        return {row["path"]: row for row in csv.DictReader(handle)}


def test_every_file_accounted_for(tmp_path: Path) -> None:
    src, out = make_folder(tmp_path), tmp_path / "out"
    result = batch(str(src), "-o", str(out), "--jobs", "2", "--timeout", "5", env_extra={HANG_HOOK: "hangs"})
    assert result.returncode == 1  # some files failed
    rows = report(out)
    status = {path: row["status"] for path, row in rows.items()}
    assert status == {
        "01.docx": "converted",
        "archive/01 copy.docx": "duplicate",
        "broken.docx": "failed",
        "budget.xlsx": "ignored",
        "corrupt.docx": "failed",
        "empty.docx": "failed",
        "hangs.docx": "failed",
        "link.docx": "ignored",
        "locked.pdf": "failed",
        "notes.docx": "failed",
        "Thumbs.db": "ignored",
        "year 3/04.docx": "converted",
        "year 3/autumn/06.pdf": "converted",
    }
    assert rows["archive/01 copy.docx"]["duplicate_of"] == "01.docx"
    assert "empty" in rows["empty.docx"]["error"]
    assert "password-protected" in rows["locked.pdf"]["error"]
    assert "not a Word document" in rows["broken.docx"]["error"]
    assert "took longer than 5 s" in rows["hangs.docx"]["error"]
    assert "outside the folder" in rows["link.docx"]["error"]
    assert rows["year 3/04.docx"]["outcomes"] == "4" and rows["year 3/04.docx"]["format"] == "docx"
    # The summary line, and no plan content anywhere on stderr.
    assert "13 files (3 converted, 6 failed, 3 ignored, 1 duplicate)" in result.stderr
    assert "Ethan" not in result.stderr
    # Outputs mirror the folders and equal what `convert` gives for each file.
    for rel, row in rows.items():
        if row["status"] == "converted":
            written = (out / row["output"]).read_text(encoding="utf-8")
            assert written == to_json(msp_convert.read(src / rel)), rel
    assert (out / "year 3" / "autumn" / "06.json").exists()
    assert not list(out.rglob(f"{TEMP_PREFIX}*"))
    full = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert full["in_dir"] == str(src.resolve())  # where the review page finds the originals
    assert full["summary"] == {
        "converted": 3, "skipped": 0, "reviewed": 0, "failed": 6, "ignored": 3, "duplicate": 1,
        "verdicts": {"complete": 2, "partial": 1, "other-layout": 0, "not-a-plan": 0},  # 06 is partial
    }


def test_a_rerun_skips_what_is_done_and_force_redoes_it(tmp_path: Path) -> None:
    src, out = plans_folder(tmp_path, *("01-eyfs-speech-language", "02-ks1-down-syndrome")), tmp_path / "out"
    assert batch(str(src), "-o", str(out), "-q").returncode == 0
    assert {r["status"] for r in report(out).values()} == {"converted"}
    assert batch(str(src), "-o", str(out), "-q").returncode == 0
    assert {r["status"] for r in report(out).values()} == {"skipped"}
    # A changed file is converted again; the other is not.
    shutil.copy(PLANS / "03-ks2-dyslexia.docx", src / "02-ks1-down-syndrome.docx")
    batch(str(src), "-o", str(out), "-q")
    assert {p: r["status"] for p, r in report(out).items()} == {
        "01-eyfs-speech-language.docx": "skipped",
        "02-ks1-down-syndrome.docx": "converted",
    }
    batch(str(src), "-o", str(out), "-q", "--force")
    assert {r["status"] for r in report(out).values()} == {"converted"}


def test_an_interrupted_batch_resumes_without_converting_twice(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    names = ["01-eyfs-speech-language", "02-ks1-down-syndrome", "03-ks2-dyslexia", "04-ks2-autism", "05-ks3-hearing-impairment"]
    for n, name in enumerate(names):
        shutil.copy(PLANS / f"{name}.docx", src / f"{n}-{name}.docx")
    out = tmp_path / "out"
    env = {**os.environ, HANG_HOOK: "3-04-ks2-autism"}  # the fourth file stalls: interrupt then
    proc = subprocess.Popen([sys.executable, "-m", "msp_convert", "batch", str(src), "-o", str(out), "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    journal = out / STATE / JOURNAL
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if journal.exists() and len(journal.read_text(encoding="utf-8").splitlines()) == 3:
            break
        time.sleep(0.1)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted after 5 files" in stderr
    first = report(out)
    assert [r["status"] for r in first.values()] == ["converted", "converted", "converted", "failed", "failed"]
    assert not list(out.rglob(f"{TEMP_PREFIX}*"))  # nothing half-written
    for row in first.values():
        if row["status"] == "converted":
            json.loads((out / row["output"]).read_text(encoding="utf-8"))
    assert not (out / "3-04-ks2-autism.json").exists()
    again = batch(str(src), "-o", str(out), "-q")
    assert again.returncode == 0
    assert [r["status"] for r in report(out).values()] == ["skipped", "skipped", "skipped", "converted", "converted"]


def test_progress_lines_when_not_a_terminal(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PLANS / "01-eyfs-speech-language.docx", src / "a.docx")
    (src / "b.txt").write_text("x", encoding="utf-8")
    result = batch(str(src), "-o", str(tmp_path / "out"))
    lines = result.stderr.splitlines()
    assert lines[:2] == ["[1/2] b.txt: ignored", "[2/2] a.docx: converted"]
    quiet = batch(str(src), "-o", str(tmp_path / "out2"), "-q")
    assert quiet.stderr.count("\n") == 1 and quiet.stderr.startswith("msp-convert: done: 2 files")


def test_in_dir_must_be_a_folder(tmp_path: Path) -> None:
    result = batch(str(tmp_path / "missing"), "-o", str(tmp_path / "out"))
    assert result.returncode == 2


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_same_outputs_whatever_the_jobs(tmp_path: Path, jobs: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for path in sorted(PLANS.glob("*.docx"))[:4]:
        shutil.copy(path, src / path.name)
    out = tmp_path / f"out{jobs}"
    assert batch(str(src), "-o", str(out), "-q", "--jobs", jobs).returncode == 0
    for path in sorted(src.iterdir()):
        assert (out / path.with_suffix(".json").name).read_text(encoding="utf-8") == to_json(msp_convert.read(path))


def test_tables_across_the_batch_include_resumed_plans(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "y4").mkdir(parents=True)
    shutil.copy(PLANS / "03-ks2-dyslexia.docx", src / "y4" / "ruby.docx")
    shutil.copy(PDFS / "06-ks2-semh.pdf", src / "tyler.pdf")
    out = tmp_path / "out"
    assert batch(str(src), "-o", str(out), "-q", "--tables").returncode == 0
    (src / "notes.txt").write_text("x", encoding="utf-8")
    assert batch(str(src), "-o", str(out), "-q", "--tables").returncode == 0  # both skipped now

    def table(name: str) -> list[dict[str, str]]:
        with open(out / f"{name}.csv", newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    plans = {row["file"]: row for row in table("plans")}
    assert set(plans) == {"y4/ruby.docx", "tyler.pdf"}  # the skipped plans' rows are still there
    ruby = msp_convert.read(src / "y4" / "ruby.docx")
    assert plans["y4/ruby.docx"]["child_name"] == ruby.child.name
    assert plans["y4/ruby.docx"]["sha256"] == ruby.source.sha256
    entries = sum(len(getattr(p, c)) for p in ruby.provision for c in ("steps", "targets", "actions", "who", "frequency", "resources"))
    assert len([r for r in table("provision") if r["file"] == "y4/ruby.docx"]) == entries
    assert {r["file"] for r in table("outcomes")} == {"y4/ruby.docx", "tyler.pdf"}
    assert not list(out.rglob(f"{TEMP_PREFIX}*"))


def test_new_plan_documents_for_a_whole_folder(tmp_path: Path) -> None:
    from msp_convert.writers.docx import write_docx

    src = tmp_path / "in"
    (src / "y1").mkdir(parents=True)
    shutil.copy(PLANS / "08-ks1-visual-impairment.docx", src / "y1" / "isla.docx")
    shutil.copy(PDFS / "09-ks2-adhd.pdf", src / "jack.pdf")
    out = tmp_path / "out"
    assert batch(str(src), "-o", str(out), "-q", "--to", "docx").returncode == 0
    rows = report(out)
    assert {p: r["output"] for p, r in rows.items()} == {"jack.pdf": "jack.docx", "y1/isla.docx": "y1/isla.docx"}
    for rel, row in rows.items():
        assert (out / row["output"]).read_bytes() == write_docx(msp_convert.read(src / rel), mode="new")
    # The JSON of an earlier run is not taken for the documents asked for now.
    again = batch(str(src), "-o", str(out), "-q")
    assert again.returncode == 0 and {r["status"] for r in report(out).values()} == {"converted"}


def test_the_output_folder_may_not_be_the_input_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PLANS / "08-ks1-visual-impairment.docx", src / "isla.docx")
    before = (src / "isla.docx").read_bytes()
    result = batch(str(src), "-o", str(src), "--to", "docx")
    assert result.returncode == 1 and "would be overwritten" in result.stderr
    assert (src / "isla.docx").read_bytes() == before


def test_the_report_says_which_plans_need_a_person(tmp_path: Path) -> None:
    # 06 places 612 of its 652 words (its review is typed as paragraphs): partial.
    src, out = plans_folder(tmp_path, *("01-eyfs-speech-language", "06-ks2-semh")), tmp_path / "out"
    for status in ("converted", "skipped"):  # the journal keeps what a skipped plan's row says
        assert batch(str(src), "-o", str(out), "-q").returncode == 0
        rows = report(out)
        assert {p: (r["status"], r["template"], r["verdict"]) for p, r in rows.items()} == {
            "01-eyfs-speech-language.docx": (status, "kirklees-v2f", "complete"),
            "06-ks2-semh.docx": (status, "kirklees-v2f", "partial"),
        }
        semh = msp_convert.read(src / "06-ks2-semh.docx").coverage
        assert rows["06-ks2-semh.docx"]["placed_share"] == f"{semh.placed / semh.words:.3f}" == "0.939"
        summary = json.loads((out / "report.json").read_text(encoding="utf-8"))["summary"]
        assert summary["verdicts"] == {"complete": 1, "partial": 1, "other-layout": 0, "not-a-plan": 0}


def test_tables_keep_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    odd = os.fsdecode(b"ruby-\xff.docx")  # a name from an old file server, not UTF-8
    shutil.copy(PLANS / "03-ks2-dyslexia.docx", src / odd)
    out = tmp_path / "out"
    result = batch(str(src), "-o", str(out), "-q", "--tables")
    assert result.returncode == 0, result.stderr
    with open(out / "plans.csv", "rb") as handle:
        assert b"ruby-\xff.docx" in handle.read()  # its true bytes, as report.csv keeps them
