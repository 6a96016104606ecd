"""Where output meets the world: folders that cannot be written, a disk that fills
mid-batch, file names that are not fit for a terminal, failures remembered between
runs, and the notices about a file reaching the plan's warnings everywhere.

Tests run as root, whom file modes do not stop, so a read-only folder is
simulated where the system call would fail (``os.access``, ``mkstemp``) and a
full disk where bytes go to disk (``atomic._write``, the journal's
``append_line``): each test says which. A path under a regular file is a real
failure, for root too.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pdf_objects import assemble
from click.testing import CliRunner

import msp_convert
from msp_convert import atomic
from msp_convert.atomic import TEMP_PREFIX, shown
from msp_convert.batch import HANG_HOOK, JOURNAL, STATE, BatchOptions, OutputError, run_batch
from msp_convert.batch import journal as batch_journal
from msp_convert.cli import main
from msp_convert.ehc import pdfs
from msp_convert.writers.json import to_json

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "fixtures" / "plans"
EVIDENCE = REPO / "fixtures" / "evidence"
ANDREI = PLANS / "12-ks4-eal-sen.docx"
NAMES = ["a-01.docx", "b-02.docx", "c-03.docx", "d-04.docx", "e-05.docx"]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "msp_convert", *args], capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})


def plans(folder: Path, names: list[str] = NAMES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(PLANS.glob("*.docx"))
    for name, source in zip(names, sources):
        shutil.copy(source, folder / name)
    return folder


def report(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "report.csv", newline="", encoding="utf-8") as handle:
        return {row["path"]: row for row in csv.DictReader(handle)}


def leftovers(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.startswith(TEMP_PREFIX)]


# ---- names fit for a terminal ------------------------------------------------------------------


def test_shown_escapes_what_a_terminal_would_obey_and_nothing_else() -> None:
    assert shown("plan\nforged line.docx") == "plan\\nforged line.docx"
    assert shown("\x1b[2J\x1b]0;title\x07x") == "\\x1b[2J\\x1b]0;title\\x07x"
    assert shown("del\x7f c1\x9b cr\r tab\t") == "del\\x7f c1\\x9b cr\\r tab\\t"
    assert shown("cod\u202efdp.exe \u2066iso\u2069 \u200fmark \u2028sep") == "cod\\u202efdp.exe \\u2066iso\\u2069 \\u200fmark \\u2028sep"
    assert shown("bytes\udcff.docx") == "bytes\\udcff.docx"  # a name that was not UTF-8
    kept = "Zoë Ní Bhriain – plan (2019) ابن ½.docx"
    assert shown(kept) == kept
    assert shown(shown("a\nb\x1b")) == shown("a\nb\x1b")  # idempotent: safe to apply at every edge


def test_convert_names_a_hostile_file_in_one_escaped_line(tmp_path: Path) -> None:
    missing = cli("convert", str(tmp_path / "x\n\x1b[31mmsp-convert: all good\u202e.docx"))
    assert missing.returncode == 1
    assert missing.stderr == "msp-convert: x\\n\\x1b[31mmsp-convert: all good\\u202e.docx: no such file; check the path\n"
    bad = tmp_path / "notes\r\x1b[1A.docx"
    bad.write_text("Notes from the meeting", encoding="utf-8")
    refused = cli("convert", str(bad))
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert refused.stderr.startswith("msp-convert: notes\\r\\x1b[1A.docx: ") and "\x1b" not in refused.stderr


def test_batch_lines_are_escaped_and_the_report_keeps_the_true_names(tmp_path: Path) -> None:
    src = tmp_path / "in"
    hostile = ["two\nlines.docx", "esc\x1b[2J.docx", "rtl\u202excod.docx"]
    plans(src, hostile)
    (src / "bell\x07.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("batch", str(src), "-o", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 5  # a line per file and the summary: no name split one
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr and "\x07" not in result.stderr
    assert "[1/4] bell\\x07.txt: ignored" in lines
    assert {"esc\\x1b[2J.docx: converted", "rtl\\u202excod.docx: converted", "two\\nlines.docx: converted"} == {line.split("] ", 1)[1] for line in lines[1:4]}
    assert set(report(out)) == {*hostile, "bell\x07.txt"}  # the true names
    files = json.loads((out / "report.json").read_text(encoding="utf-8"))["files"]
    assert {f["path"] for f in files} == {*hostile, "bell\x07.txt"}
    assert json.loads((out / "two\nlines.json").read_text(encoding="utf-8"))["source"]["filename"] == "two\nlines.docx"


def test_bundle_messages_escape_file_names(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    shutil.copytree(EVIDENCE / "12-ks4-eal-sen", evidence)
    (evidence / "stray\n\x1b[31mnote.pdf").write_bytes((evidence / "Lunch menu autumn term.pdf").read_bytes())
    result = cli("bundle", str(ANDREI), "--evidence", str(evidence), "-o", str(tmp_path / "b.zip"), env={"MSP_CONVERT_SOFFICE": "/nonexistent/soffice"})
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr
    assert "stray\\n\\x1b[31mnote.pdf" in result.stderr
    assert all(line.startswith("msp-convert: ") for line in result.stderr.splitlines())


# ---- folders that cannot be written ---------------------------------------------------------------


def test_batch_into_a_path_under_a_file_is_one_line(tmp_path: Path) -> None:
    src = plans(tmp_path / "in", NAMES[:1])
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = cli("batch", str(src), "-o", str(blocker / "out"))  # a real failure, for root too
    assert result.returncode == 1
    assert result.stderr == f"msp-convert: could not write in {blocker / 'out'} (Not a directory); check the folder exists\n"


def test_batch_into_a_read_only_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated: ``os.access`` says what it says of a 0o555 folder to anyone but root."""
    src = plans(tmp_path / "in", NAMES[:1])
    out = tmp_path / "out"
    out.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path) == out and mode & os.W_OK else real(path, mode, **kw))
    result = CliRunner().invoke(main, ["batch", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"msp-convert: could not write in {out} (Permission denied); choose a folder you may write to, or ask for write access to this one\n"
    assert list(out.iterdir()) == []  # refused before anything was written


def test_bundle_into_a_read_only_folder_is_one_line_not_an_internal_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated twice: ``os.access`` refusing (the early check), and ``mkstemp``
    failing as it does in a read-only folder (the write itself, which root meets)."""
    evidence = EVIDENCE / "12-ks4-eal-sen"
    out = tmp_path / "ro" / "b.zip"
    out.parent.mkdir()
    args = ["bundle", str(ANDREI), "--evidence", str(evidence), "-o", str(out)]
    monkeypatch.setenv("MSP_CONVERT_SOFFICE", "/nonexistent/soffice")
    real = os.access
    with monkeypatch.context() as m:
        m.setattr(os, "access", lambda path, mode, **kw: False if Path(path) == out.parent and mode & os.W_OK else real(path, mode, **kw))
        early = CliRunner().invoke(main, args)
    assert early.exit_code == 1
    assert early.stderr == f"msp-convert: b.zip: could not write in {out.parent} (Permission denied); choose a folder you may write to, or ask for write access to this one\n"

    def refuse(*a: object, **k: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    late = CliRunner().invoke(main, args)
    assert late.exit_code == 1
    assert "internal error" not in late.stderr
    assert late.stderr.endswith(f"msp-convert: b.zip: could not write in {out.parent} (Permission denied); choose a folder you may write to, or ask for write access to this one\n")
    assert list(out.parent.iterdir()) == []


# ---- a disk that fills mid-batch --------------------------------------------------------------------


def _full_disk_for(marker: str):  # type: ignore[no-untyped-def]
    """``atomic._write`` that writes half of any file whose temporary is for ``marker``'s
    output, then fails as a full disk does. The workers are forked: they get it too."""
    real = atomic._write

    def write(handle, data: bytes) -> None:  # type: ignore[no-untyped-def]
        if marker in _target_of(handle):
            handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        real(handle, data)

    return write


def _target_of(handle) -> str:  # type: ignore[no-untyped-def]
    """The path of an open temporary file."""
    try:
        return os.readlink(f"/proc/self/fd/{handle.fileno()}")
    except OSError:
        return ""


def test_a_full_disk_stops_the_batch_cleanly_and_the_next_run_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated ENOSPC where bytes go to disk: the write of c-03's output fails halfway."""
    src = tmp_path / "in"
    plans(src / "a")
    (src / "full").mkdir()
    shutil.copy(PLANS / "06-ks2-semh.docx", src / "full" / "a-01.docx")  # its output goes under out/full/: the disk is "full" there
    out = tmp_path / "out"
    monkeypatch.setattr(atomic, "_write", _full_disk_for(f"{os.sep}full{os.sep}"))
    result = run_batch(BatchOptions(src, out, jobs=1))
    assert result.stopped == f"could not write in {out / 'full'} (No space left on device); free some space on that disk (or choose another folder), then run it again"
    assert not result.ok
    rows = {r.path: r for r in result.rows}
    assert [rows[f"a/{n}"].status for n in NAMES] == ["converted"] * 5
    assert rows["full/a-01.docx"].status == "failed" and rows["full/a-01.docx"].error.startswith("not converted: the batch stopped")
    assert leftovers(out) == []  # the half-written temporary is gone
    assert not (out / "full" / "a-01.json").exists()
    journal = [json.loads(line) for line in (out / STATE / JOURNAL).read_text(encoding="utf-8").splitlines()]
    assert sorted(e["path"] for e in journal) == [f"a/{n}" for n in NAMES]  # what the report says was converted
    assert {p: r["status"] for p, r in report(out).items()} == {r.path: r.status for r in result.rows}

    monkeypatch.undo()
    again = run_batch(BatchOptions(src, out, jobs=1))
    assert {r.path: r.status for r in again.rows} == {**{f"a/{n}": "skipped" for n in NAMES}, "full/a-01.docx": "converted"}
    assert again.ok


def test_the_cli_says_why_the_batch_stopped_after_its_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated ENOSPC under out/full/ only: the report can still be written, and says the same."""
    src = plans(tmp_path / "in", NAMES[:2])
    (src / "full").mkdir()
    shutil.copy(PLANS / "06-ks2-semh.docx", src / "full" / "z.docx")
    out = tmp_path / "out"
    monkeypatch.setattr(atomic, "_write", _full_disk_for(f"{os.sep}full{os.sep}"))
    result = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "-q", "--jobs", "1"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("msp-convert: stopped after 3 files (2 converted, 1 failed) in ")
    why = f"could not write in {out / 'full'} (No space left on device); free some space on that disk (or choose another folder), then run it again"
    assert lines[1] == f"msp-convert: stopped: {why}"
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["stopped"] == why
    assert report(out)["full/z.docx"]["error"] == "not converted: the batch stopped, as an output could not be written; run it again to resume"


def test_the_cli_says_the_batch_stopped_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated ENOSPC for every write, the report's too: one line, exit 1, no report left that would mislead."""
    src = plans(tmp_path / "in", NAMES[:2])
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.csv").write_text("an older run's\n", encoding="utf-8")

    def full(handle, data: bytes) -> None:  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_write", full)
    result = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "-q", "--jobs", "1"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"msp-convert: could not write in {out} (No space left on device); free some space on that disk (or choose another folder), "
        "then run it again; no report was written (the journal keeps what was done)\n"
    )
    assert not (out / "report.csv").exists() and not (out / "report.json").exists()
    assert leftovers(out) == [] and not list(out.glob("*.json"))


def test_a_journal_line_a_full_disk_cut_short_costs_one_file_and_nothing_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated ENOSPC on the journal (written by the parent): the third line is cut halfway."""
    src = plans(tmp_path / "in")
    out = tmp_path / "out"
    real = batch_journal.append_line
    calls = []

    def append(fd: int, data: bytes) -> None:
        calls.append(data)
        if len(calls) == 3:
            os.write(fd, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(batch_journal, "append_line", append)
    result = run_batch(BatchOptions(src, out, jobs=1))
    assert result.stopped.startswith("could not write in ") and "No space left on device" in result.stopped
    assert [r.status for r in result.rows] == ["converted", "converted", "failed", "failed", "failed"]
    monkeypatch.undo()
    again = run_batch(BatchOptions(src, out, jobs=1))
    assert [r.status for r in again.rows] == ["skipped", "skipped", "converted", "converted", "converted"]
    lines = (out / STATE / JOURNAL).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6  # two, the cut one ended by the next run, three more
    assert sum(1 for line in lines if line.endswith("}")) == 5
    for rel in NAMES:
        assert (out / rel).with_suffix(".json").read_text(encoding="utf-8") == to_json(msp_convert.read(src / rel))


# ---- failures remembered ----------------------------------------------------------------------------


def test_a_time_out_is_remembered_until_more_time_or_retry_failed(tmp_path: Path) -> None:
    src = plans(tmp_path / "in", NAMES[:2])
    shutil.copy(PLANS / "03-ks2-dyslexia.docx", src / "slow.docx")
    (src / "cut.docx").write_bytes((PLANS / "02-ks1-down-syndrome.docx").read_bytes()[:4000])  # corrupt
    out = tmp_path / "out"
    first = cli("batch", str(src), "-o", str(out), "--timeout", "2", "-q", env={HANG_HOOK: "slow"})
    assert first.returncode == 1
    rows = report(out)
    assert rows["slow.docx"]["status"] == "failed" and "took longer than 2 s" in rows["slow.docx"]["error"]
    cut_error = rows["cut.docx"]["error"]
    # The hook is gone: converting slow.docx again would now succeed, so "failed" proves it was not tried.
    again = cli("batch", str(src), "-o", str(out), "--timeout", "2", "-q")
    assert again.returncode == 1
    rows = report(out)
    assert {p: r["status"] for p, r in rows.items()} == {"a-01.docx": "skipped", "b-02.docx": "skipped", "cut.docx": "failed", "slow.docx": "failed"}
    assert rows["slow.docx"]["error"] == "took longer than 2 s and was stopped; check the file, or allow more with --timeout (as in an earlier run of the same file; --retry-failed tries it again)"
    assert rows["cut.docx"]["error"] == f"{cut_error} (as in an earlier run of the same file; --retry-failed tries it again)"
    assert rows["slow.docx"]["seconds"] == "" and rows["cut.docx"]["seconds"] == ""
    more_time = cli("batch", str(src), "-o", str(out), "--timeout", "30", "-q")
    rows = report(out)
    assert rows["slow.docx"]["status"] == "converted"  # a longer limit is another question
    assert rows["cut.docx"]["status"] == "failed" and "earlier run" in rows["cut.docx"]["error"]
    retried = cli("batch", str(src), "-o", str(out), "-q", "--retry-failed")
    rows = report(out)
    assert more_time.returncode == retried.returncode == 1
    assert rows["cut.docx"]["status"] == "failed" and rows["cut.docx"]["error"] == cut_error  # tried again, failed again
    assert rows["slow.docx"]["status"] == "skipped"


def test_a_changed_file_or_an_encrypted_one_is_tried_again(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(REPO / "tests" / "data" / "pdf" / "encrypted.pdf", src / "locked.pdf")
    (src / "cut.docx").write_bytes((PLANS / "02-ks1-down-syndrome.docx").read_bytes()[:4000])
    out = tmp_path / "out"
    cli("batch", str(src), "-o", str(out), "-q")
    shutil.copy(PLANS / "02-ks1-down-syndrome.docx", src / "cut.docx")  # the whole file this time
    cli("batch", str(src), "-o", str(out), "-q")
    rows = report(out)
    assert rows["cut.docx"]["status"] == "converted"
    assert rows["locked.pdf"]["status"] == "failed" and "earlier run" not in rows["locked.pdf"]["error"]  # a password may open it


# ---- the notices about a file, among the plan's warnings --------------------------------------------------


def test_an_extension_mismatch_reaches_the_batch_report_and_the_json(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PLANS / "03-ks2-dyslexia.docx", src / "ruby.pdf")  # a Word document named .pdf
    out = tmp_path / "out"
    assert cli("batch", str(src), "-o", str(out), "-q").returncode == 0
    truth = msp_convert.read(PLANS / "03-ks2-dyslexia.docx")
    row = report(out)["ruby.pdf"]
    assert row["warnings"] == str(len(truth.warnings) + 1)
    written = json.loads((out / "ruby.json").read_text(encoding="utf-8"))
    assert written["warnings"][0]["code"] == "extension-mismatch"
    assert [w["code"] for w in written["warnings"][1:]] == [w.code for w in truth.warnings]
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["files"][0]["warnings"] == len(truth.warnings) + 1


def test_convert_prints_the_notice_with_the_other_warnings(tmp_path: Path) -> None:
    named = tmp_path / "ruby.pdf"
    shutil.copy(PLANS / "03-ks2-dyslexia.docx", named)
    result = cli("convert", str(named))
    assert result.returncode == 0
    assert result.stderr.count("\n") == 1 and "extension-mismatch x1" in result.stderr
    assert json.loads(result.stdout)["warnings"][0]["code"] == "extension-mismatch"


def test_the_bundle_takes_a_plan_and_keeps_its_warnings(tmp_path: Path) -> None:
    import zipfile

    from msp_convert.ehc.bundle import BundleOptions, make_bundle
    from msp_convert.reader import read_result

    named = tmp_path / "andrei.pdf"
    shutil.copy(ANDREI, named)
    plan = read_result(named).value
    out = tmp_path / "b.zip"
    make_bundle(BundleOptions(named, EVIDENCE / "12-ks4-eal-sen", out, soffice="/nonexistent/soffice"), plan)
    with zipfile.ZipFile(out) as archive:
        inside = json.loads(archive.read("plan.json"))
    assert inside["warnings"][0]["code"] == "extension-mismatch"
    assert inside == json.loads(to_json(plan))
    cli_run = cli("bundle", str(named), "--evidence", str(EVIDENCE / "12-ks4-eal-sen"), "-o", str(tmp_path / "c.zip"), env={"MSP_CONVERT_SOFFICE": "/nonexistent/soffice"})
    assert cli_run.returncode == 0 and "andrei.pdf: " in cli_run.stderr and "extension-mismatch x1" in cli_run.stderr


# ---- an evidence PDF of absurd length -------------------------------------------------------------------


def many_pages(count: int, declared: int | None = None) -> bytes:
    """A valid PDF of ``count`` empty pages whose page tree says ``declared`` (it may lie)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for _ in range(count):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Count %d /Kids [" % (count if declared is None else declared) + b" ".join(kids) + b"] >>"
    return assemble(objects, b"1.4")


def test_a_pdf_of_100000_pages_is_refused_before_its_pages_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The old code read every page's box (14 s here) and then failed in pypdf; now the page tree is
    counted, and the count stops past the limit: no more page objects opened than the limit allows."""
    from pypdf import PdfReader

    walks: list[int] = []  # objects opened by each count
    real_count, real_get = pdfs._count_pages, PdfReader.get_object

    def counting(reader, limit=pdfs.MAX_EVIDENCE_PAGES):  # type: ignore[no-untyped-def]
        opened = []
        with monkeypatch.context() as m:
            m.setattr(PdfReader, "get_object", lambda self, ref: opened.append(ref) or real_get(self, ref))
            try:
                return real_count(reader, limit)
            finally:
                walks.append(len(opened))

    monkeypatch.setattr(pdfs, "_count_pages", counting)
    for declared in (None, 1):  # honest, and a /Count that lies
        with pytest.raises(pdfs.Unusable, match=f"more than {pdfs.MAX_EVIDENCE_PAGES} pages, .*MAX_EVIDENCE_PAGES"):
            pdfs.pdf_pages(many_pages(100_000, declared))
    assert len(walks) == 2 and all(w <= pdfs.MAX_EVIDENCE_PAGES + 5 for w in walks), walks  # not 100,000
    assert pdfs.pdf_pages(many_pages(3)) == 3
    assert pdfs.pdf_pages(many_pages(pdfs.MAX_EVIDENCE_PAGES)) == pdfs.MAX_EVIDENCE_PAGES


def test_the_bundle_reports_the_long_pdf_in_one_line(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    shutil.copytree(EVIDENCE / "12-ks4-eal-sen", evidence)
    (evidence / "records.pdf").write_bytes(many_pages(100_000))
    mapping = tmp_path / "map.csv"
    mapping.write_text("careers 2,records.pdf\n", encoding="utf-8")
    result = cli("bundle", str(ANDREI), "--evidence", str(evidence), "-o", str(tmp_path / "b.zip"), "--map", str(mapping),
                 env={"MSP_CONVERT_SOFFICE": "/nonexistent/soffice"})
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    assert f"evidence: records.pdf (careers 2): it has more than {pdfs.MAX_EVIDENCE_PAGES} pages, more than bundle.pdf takes" in result.stderr
    import zipfile

    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        manifest, names = json.loads(archive.read("manifest.json")), archive.namelist()
    records = next(d for d in manifest["documents"] if d["original"] == "records.pdf")
    assert records["name"] in names and records["pages"] is None  # in the ZIP as given, uncounted


def test_a_folder_of_pages_with_a_stray_file_keeps_not_a_page_in_batch_and_bundle(tmp_path: Path) -> None:
    import zipfile

    from msp_convert.ehc.bundle import BundleOptions, make_bundle
    from msp_convert.reader import read_result

    src = tmp_path / "in"
    folder = src / "harvey"
    folder.mkdir(parents=True)
    for n in (1, 2):
        shutil.copy(REPO / "fixtures" / "scans" / "11-ks1-dcd" / f"page-{n}.jpg", folder / f"page-{n}.jpg")
    (folder / "Thumbs.db").write_bytes(b"\0" * 10)  # what Windows leaves: the folder is still one plan's pages
    out = tmp_path / "out"
    assert cli("batch", str(src), "-o", str(out), "-q").returncode == 0
    written = json.loads((out / "harvey.json").read_text(encoding="utf-8"))
    assert written["warnings"][0]["code"] == "not-a-page"
    assert report(out)["harvey"]["warnings"] == str(len(written["warnings"]))

    plan = read_result(folder).value
    assert [w.code for w in plan.warnings].count("not-a-page") == 1
    bundle = tmp_path / "b.zip"
    make_bundle(BundleOptions(folder, EVIDENCE / "12-ks4-eal-sen", bundle, soffice="/nonexistent/soffice"), plan)
    with zipfile.ZipFile(bundle) as archive:
        assert json.loads(archive.read("plan.json"))["warnings"][0]["code"] == "not-a-page"


def test_a_name_that_is_not_utf8_is_shown_escaped_and_kept_true_in_the_reports(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    name = os.fsdecode(b"Gr\xfcn plan.docx")  # Latin-1 bytes, from an old file share
    shutil.copy(PLANS / "03-ks2-dyslexia.docx", src / name)
    out = tmp_path / "out"
    result = cli("batch", str(src), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == "[1/1] Gr\\udcfcn plan.docx: converted"
    assert (out / "report.csv").read_bytes().splitlines()[1].startswith(b"Gr\xfcn plan.docx,docx,converted,")
    files = json.loads((out / "report.json").read_text(encoding="utf-8"))["files"]
    assert os.fsencode(files[0]["path"]) == b"Gr\xfcn plan.docx"
    assert (out / files[0]["output"]).exists()
