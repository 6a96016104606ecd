"""Redaction on the command line and in batch (``--redact``; the engine is ``msp_convert.redact``):
convert to JSON, Word and standard output; ``new-key``; key file errors; a batch on the local pool and
on a Dask cluster: outputs named by the redacted plan's stem, the report's counts, no origins files, a
rerun with the same key resuming, and nothing under OUT_DIR or the temporary folder naming the child
or an input file (the planted names are the child's, as the unredacted read gives them)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from msp_convert.batch.redaction import row_id
from msp_convert.cli import main
from msp_convert.model import Plan
from msp_convert.reader import read_result
from msp_convert.redact import KINDS
from msp_convert.redact.keys import read_key

REPO = Path(__file__).resolve().parents[1]
WORD = REPO / "fixtures" / "plans" / "04-ks2-autism.docx"
DYSLEXIA = REPO / "fixtures" / "plans" / "03-ks2-dyslexia.docx"
PDF = REPO / "fixtures" / "pdf" / "09-ks2-adhd.pdf"  # read from pages: without --redact, an origins file beside it
TWO_PLANS = REPO / "fixtures" / "departures" / "pdf" / "d08-two-plans.pdf"


def child_names(path: Path) -> list[str]:
    """The child's name and its words, as the unredacted read gives them."""
    name = read_result(path).value.child.name
    assert name and len(name.split()) >= 2
    return [name, *name.split()]


NAMES = child_names(WORD)
FIRST, LAST = NAMES[1], NAMES[-1]


def cli(*args: str, tmp: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """``msp-convert ARGS`` in its own process, its temporary files (and its workers') under ``tmp``."""
    env = {**os.environ, **({"TMPDIR": str(tmp)} if tmp else {})}
    return subprocess.run([sys.executable, "-m", "msp_convert", *args], capture_output=True, timeout=600, env=env)


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    """``msp-convert ARGS`` in this process (for what ends before any plan is read or worker started)."""
    result = CliRunner().invoke(main, list(args))
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout_bytes, result.stderr_bytes)


def key_file(folder: Path) -> Path:
    path = folder / "secret.key"
    assert run("new-key", str(path)).returncode == 0
    return path


def holding(folder: Path, words: list[str]) -> list[str]:
    """Files under ``folder`` whose name or bytes (a Word document's parts unzipped) hold any of ``words``."""
    found = []
    for path in sorted(folder.rglob("*")):
        texts = [path.name]
        if path.is_file():
            data = path.read_bytes()
            texts.append(data.decode("utf-8", "replace"))
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as docx:
                    texts.extend(docx.read(n).decode("utf-8", "replace") for n in docx.namelist())
        if any(w.casefold() in t.casefold() for w in words for t in texts):
            found.append(str(path.relative_to(folder)))
    return found


# --- convert -------------------------------------------------------------------------------------


def test_convert_writes_a_redacted_plan_and_counts_it_with_v(tmp_path: Path) -> None:
    key, out = key_file(tmp_path), tmp_path / "shared.json"
    before = hashlib.sha256(WORD.read_bytes()).hexdigest()
    done = cli("convert", str(WORD), "--redact", "--key-file", str(key), "-o", str(out), "-v")
    assert done.returncode == 0, done.stderr
    plan = Plan.model_validate_json(out.read_bytes())
    assert plan.source.filename.startswith("plan-") and plan.source.filename.endswith(".docx")
    assert plan.source.sha256 != before and hashlib.sha256(WORD.read_bytes()).hexdigest() == before  # input never changed
    assert holding(tmp_path, NAMES) == []
    assert len(plan.outcomes) == len(read_result(WORD).value.outcomes)  # the same plan, its child gone
    assert b"redacted " in done.stderr and b"child " in done.stderr  # -v: the counts
    assert b"pseudonyms will not match" not in done.stderr  # a key file was given
    again = cli("convert", str(WORD), "--redact", "--key-file", str(key))  # the same key: the same plan, on stdout
    assert again.returncode == 0 and again.stdout == out.read_bytes()


def test_convert_to_stdout_without_a_key_file_says_its_key_is_not_kept(tmp_path: Path) -> None:
    done = cli("convert", str(WORD), "--redact", tmp=tmp_path)
    assert done.returncode == 0
    assert b"pseudonyms will not match another run" in done.stderr
    text = done.stdout.decode("utf-8")
    assert Plan.model_validate_json(text).source.filename.startswith("plan-")
    assert not any(w.casefold() in text.casefold() for w in NAMES)
    quiet = cli("convert", str(WORD), "--redact", "-q")
    assert quiet.returncode == 0 and quiet.stderr == b""
    assert Plan.model_validate_json(quiet.stdout).child != Plan.model_validate_json(text).child  # another key, other pseudonyms


def test_convert_to_word_writes_the_redacted_plans_document(tmp_path: Path) -> None:
    out = tmp_path / "shared.docx"
    done = cli("convert", str(WORD), "--redact", "--key-file", str(key_file(tmp_path)), "--to", "docx", "-o", str(out), "-q")
    assert done.returncode == 0, done.stderr
    assert zipfile.is_zipfile(out) and holding(tmp_path, NAMES) == []
    back = read_result(out).value  # it opens and reads back
    assert back.child.name and back.child.name != NAMES[0]


def test_new_key_is_private_and_never_written_over(tmp_path: Path) -> None:
    path = key_file(tmp_path)
    text = path.read_text(encoding="ascii")
    assert len(text.strip()) == 64 and bytes.fromhex(text.strip())  # 32 random bytes as hex
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = run("new-key", str(path))
    assert again.returncode == 1 and again.stderr.count(b"\n") == 1 and b"already exists" in again.stderr
    assert path.read_text(encoding="ascii") == text
    assert run("new-key", str(tmp_path / "other.key")).returncode == 0
    assert (tmp_path / "other.key").read_text(encoding="ascii") != text


@pytest.mark.parametrize("problem", ["missing", "short", "folder"])
def test_a_bad_key_file_is_one_line_and_nothing_written(tmp_path: Path, problem: str) -> None:
    key = tmp_path / "secret.key"
    if problem == "short":
        key.write_text("abc\n")
    elif problem == "folder":
        key.mkdir()
    out = tmp_path / "shared.json"
    done = run("convert", str(WORD), "--redact", "--key-file", str(key), "-o", str(out))
    assert done.returncode == 1 and done.stderr.count(b"\n") == 1, done.stderr
    assert b"new-key" in done.stderr and not out.exists()
    batch = run("batch", str(WORD.parent), "-o", str(tmp_path / "out"), "--redact", "--key-file", str(key))
    assert batch.returncode == 1 and batch.stderr.count(b"\n") == 1
    assert not (tmp_path / "out").exists()


def test_key_file_and_link_file_need_redact(tmp_path: Path) -> None:
    key = key_file(tmp_path)
    assert run("convert", str(WORD), "--key-file", str(key)).returncode == 2
    assert run("batch", str(WORD.parent), "-o", str(tmp_path / "out"), "--key-file", str(key)).returncode == 2
    assert run("batch", str(WORD.parent), "-o", str(tmp_path / "out"), "--link-file", str(tmp_path / "links.csv")).returncode == 2
    inside = run("batch", str(WORD.parent), "-o", str(tmp_path / "out"), "--redact", "--link-file", str(tmp_path / "out" / "links.csv"))
    assert inside.returncode == 2 and b"outside the output folder" in inside.stderr
    assert not (tmp_path / "out").exists()


def test_an_unreadable_input_is_one_line_and_nothing_written(tmp_path: Path) -> None:
    out = tmp_path / "shared.json"
    done = run("convert", str(tmp_path / "none.docx"), "--redact", "-q", "-o", str(out))
    assert done.returncode == 1 and done.stderr.count(b"\n") == 1 and not out.exists()


SCAN = REPO / "fixtures" / "scans" / "12-ks4-eal-sen-g4-200.tif"  # the quickest scan to read: 200 dpi, Group 4


def test_a_scan_loses_the_child_its_fixture_plants(tmp_path: Path) -> None:
    """Read by OCR: the child's name, date of birth and school (the fixture's plan's facts) gone from the JSON,
    the date of birth kept as its month. That the read found each of them is checked on the redacted plan
    (a name, a setting and a date of birth in their fields, none of them the planted one), not on an
    unredacted read, which would OCR the scan a second time."""
    facts = json.loads(SCAN.with_suffix(".facts.json").read_text(encoding="utf-8"))
    child = json.loads((REPO / "fixtures" / "plans" / f"{facts['plan']}.expected.json").read_text(encoding="utf-8"))["child"]
    born = date.fromisoformat(child["date_of_birth"])
    out = tmp_path / "shared.json"
    done = cli("convert", str(SCAN), "--redact", "--key-file", str(key_file(tmp_path)), "-o", str(out), "-q")
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8").casefold()
    planted = [child["name"], *child["name"].split(), child["setting"], child["setting"].split()[0], child["upn"],
               child["date_of_birth"], f"{born:%d/%m/%Y}", f"{born.day} {born:%B %Y}"]
    assert [w for w in planted if w.casefold() in text] == []
    plan = Plan.model_validate_json(out.read_bytes())
    assert plan.child.date_of_birth == born.replace(day=1) and plan.child.year_group == child["year_group"]
    assert plan.child.name and plan.child.name.casefold() != child["name"].casefold()  # read, and replaced
    assert plan.child.setting and plan.child.setting.casefold() != child["setting"].casefold()


# --- batch ----------------------------------------------------------------------------------------


def plant(root: Path) -> Path:
    """IN_DIR with the child's name where schools put it: a folder and a file named after the child."""
    src = root / "in"
    (src / f"{FIRST} {LAST}").mkdir(parents=True)
    shutil.copy(WORD, src / f"{FIRST} {LAST}" / f"{FIRST}-{LAST}-plan.docx")
    shutil.copy(WORD, src / f"{LAST}-copy.docx")  # the same bytes: a duplicate
    shutil.copy(PDF, src / f"{FIRST} {LAST}" / f"{FIRST}-review.pdf")
    shutil.copy(TWO_PLANS, src / f"{LAST}-two-plans.pdf")
    (src / f"{FIRST}-notes.txt").write_text("not a plan\n")
    return src


def report(out: Path) -> dict[str, Any]:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def batch_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, Path, subprocess.CompletedProcess[bytes]]:
    """One --redact batch on the local pool, with tables and a link file: (IN_DIR, OUT_DIR, key file, temp folder, its run)."""
    root = tmp_path_factory.mktemp("redact")
    src, out, tmp = plant(root), root / "out", root / "tmp"
    tmp.mkdir()
    key = key_file(root)
    done = cli("batch", str(src), "-o", str(out), "--redact", "--key-file", str(key), "--tables", "--jobs", "2",
               "--link-file", str(root / "links.csv"), tmp=tmp)
    assert done.returncode == 0, done.stderr
    return src, out, key, tmp, done


def test_batch_outputs_are_named_by_stem_and_nothing_names_the_child_or_an_input(batch_once: Any) -> None:
    src, out, _, tmp, done = batch_once
    outputs = sorted(p.name for p in out.iterdir() if p.is_file() and p.suffix == ".json" and p.name != "report.json")
    assert len(outputs) == 4  # the Word plan, the PDF, and the two plans of two.pdf (plan-X.json, plan-X-2.json); no duplicate
    assert all(name.startswith("plan-") for name in outputs)
    assert not list(out.rglob("*.origins.json"))  # origins quote the original text
    assert not (out / ".msp-convert" / "review.json").exists()
    inputs = [p.stem for p in src.rglob("*")]  # names of the input files and folders (without their suffixes)
    assert holding(out, NAMES + inputs) == [] and holding(tmp, NAMES) == []
    assert all(w.encode() not in done.stderr for w in NAMES + inputs)  # the progress lines name rows by their keys
    assert report(out)["in_dir"] == "" and report(out)["redacted"] is True


def test_batch_report_counts_each_kind_per_row_and_in_all(batch_once: Any) -> None:
    _, out, _, _, done = batch_once
    full = report(out)
    rows = {r["path"]: r for r in full["files"]}
    assert all(path.startswith("input-") for path in rows)
    written = [r for r in rows.values() if r["status"] == "converted"]
    assert len(written) == 4 and sorted(r["status"] for r in rows.values()).count("duplicate") == 1
    for row in written:
        assert list(row["redactions"]) == list(KINDS)
        assert row["redactions"]["child"] > 0 and row["uncertain"] == row["redactions"]["uncertain-name"]
        plan = Plan.model_validate_json((out / row["output"]).read_bytes())
        assert row["sha256"] == plan.source.sha256  # keyed, as the redacted plan's: names no file
        stem = row["output"].removesuffix(".json").removesuffix("-2" if row["plan"] == 2 else "")
        assert plan.source.filename == f"{stem}.{row['format']}"  # the output's stem, a file's plans numbered after it
    totals = {kind: sum(r["redactions"][kind] for r in written) for kind in KINDS}
    assert full["summary"]["redactions"] == totals and list(full["summary"]["redactions"]) == list(KINDS)
    assert full["summary"]["uncertain"] == sum(r["uncertain"] for r in written)
    assert f"redacted {sum(totals.values())} (".encode() in done.stderr  # the summary line's totals
    with open(out / "report.csv", newline="", encoding="utf-8") as handle:
        csv_rows = {r["path"]: r for r in csv.DictReader(handle)}
    assert {p: int(r["redacted_child"]) for p, r in csv_rows.items() if r["status"] == "converted"} == {
        p: r["redactions"]["child"] for p, r in rows.items() if r["status"] == "converted"
    }


def test_batch_link_file_says_which_output_came_from_which_input(batch_once: Any) -> None:
    src, out, _, _, _ = batch_once
    links = out.parent / "links.csv"
    assert stat.S_IMODE(links.stat().st_mode) == 0o600
    with open(links, newline="", encoding="utf-8") as handle:
        pairs = {row["input"]: row["output"] for row in csv.DictReader(handle)}
    word = f"{FIRST} {LAST}/{FIRST}-{LAST}-plan.docx"
    assert Plan.model_validate_json((out / pairs[word]).read_bytes()).outcomes[0].statement == read_result(src / word).value.outcomes[0].statement
    two = f"{LAST}-two-plans.pdf"
    assert pairs[two + "#2"] == pairs[two].replace(".json", "-2.json")
    assert pairs[f"{FIRST}-notes.txt"] == ""


def test_a_rerun_with_the_same_key_resumes(batch_once: Any, tmp_path: Path) -> None:
    src, first, key, _, _ = batch_once
    out = tmp_path / "out"
    shutil.copytree(first, out)
    before = {p.name: p.read_bytes() for p in out.glob("plan-*")}
    done = redact_batch(src, out, key, "--tables")
    assert done.returncode == 0, done.stderr
    for table in ("plans.csv", "outcomes.csv"):  # a skipped plan's rows from its redacted output
        assert sorted((out / table).read_bytes().splitlines()) == sorted((first / table).read_bytes().splitlines())
    rows = {r["path"]: r for r in report(out)["files"]}
    assert rows.keys() == {r["path"] for r in report(first)["files"]}
    assert sorted(r["status"] for r in rows.values() if r["format"]) == ["duplicate", "skipped", "skipped", "skipped", "skipped"]
    assert report(out)["summary"]["redactions"] == report(first)["summary"]["redactions"]  # a skipped plan's counts, from the journal
    assert {p.name: p.read_bytes() for p in out.glob("plan-*")} == before
    fresh = cli("batch", str(src), "-o", str(tmp_path / "again"), "--redact")  # no key file: a key of its own
    assert fresh.returncode == 0 and fresh.stderr.count(b"pseudonyms will not match another run, and a rerun cannot resume") == 1
    assert not {p.name for p in (tmp_path / "again").glob("plan-*")} & before.keys()


def test_batch_on_a_dask_cluster_redacts_in_the_same_per_file_work(batch_once: Any, tmp_path: Path) -> None:
    _, first, key, _, _ = batch_once
    src, out, tmp = tmp_path / "in", tmp_path / "out", tmp_path / "tmp"
    (src / f"{FIRST} {LAST}").mkdir(parents=True)
    tmp.mkdir()
    shutil.copy(WORD, src / f"{FIRST} {LAST}" / f"{FIRST}-{LAST}-plan.docx")
    done = cli("batch", str(src), "-o", str(out), "--redact", "--key-file", str(key), "--scheduler", "local:1", "-q", tmp=tmp)
    assert done.returncode == 0, done.stderr
    [output] = [p for p in out.glob("plan-*")]
    assert output.read_bytes() == (first / output.name).read_bytes()  # the same stem and plan as the local pool's
    [row] = report(out)["files"]
    assert row["output"] == output.name and row["redactions"]["child"] > 0
    assert holding(out, NAMES) == [] and holding(tmp, NAMES) == []


def test_redacted_and_unredacted_outputs_never_share_a_folder(batch_once: Any, tmp_path: Path) -> None:
    src, first, key, _, _ = batch_once
    out = tmp_path / "out"
    shutil.copytree(first, out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    forgot = cli("batch", str(src), "-o", str(out), "-q")  # a rerun that forgot --redact
    assert forgot.returncode == 1 and forgot.stderr.count(b"\n") == 1 and b"holds redacted copies" in forgot.stderr
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    plain = tmp_path / "plain"
    (tmp_path / "one").mkdir()
    shutil.copy(WORD, tmp_path / "one" / "a.docx")
    assert cli("batch", str(tmp_path / "one"), "-o", str(plain), "-q").returncode == 0
    mixed = cli("batch", str(tmp_path / "one"), "-o", str(plain), "--redact", "--key-file", str(key), "-q")
    assert mixed.returncode == 1 and b"unredacted outputs" in mixed.stderr
    assert sorted(p.name for p in plain.glob("*.json")) == ["a.json", "report.json"]


def test_without_the_redact_extra_redact_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "msp_convert.redact" or m.startswith("msp_convert.redact.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "presidio_analyzer", None)  # as if not installed: importing it fails
    out = tmp_path / "shared.json"
    done = run("convert", str(WORD), "--redact", "-o", str(out))
    assert done.returncode == 1 and done.stderr.count(b"\n") == 1 and b"pip install 'msp-convert[redact]'" in done.stderr
    assert not out.exists()
    assert run("convert", str(WORD), "-o", str(out)).returncode == 0  # without --redact nothing needs it


def test_a_changed_input_replaces_its_earlier_redacted_copy(batch_once: Any, tmp_path: Path) -> None:
    _, _, key, _, _ = batch_once
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(WORD, src / "a.docx")
    assert redact_batch(src, out, key).returncode == 0
    [before] = [p.name for p in out.glob("plan-*")]
    shutil.copy(DYSLEXIA, src / "a.docx")  # the same file, new bytes
    assert redact_batch(src, out, key).returncode == 0
    [after] = [p.name for p in out.glob("plan-*")]
    assert after != before and report(out)["files"][0]["output"] == after


# --- no earlier copy left behind (a failed run in between, another key, --force) ------------------


def journal(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / ".msp-convert" / "journal.jsonl").read_text(encoding="utf-8").splitlines()]


def outputs(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("plan-*"))


def redact_batch(src: Path, out: Path, key: Path, *more: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """``batch SRC -o OUT --redact --key-file KEY -q MORE``; ``env`` added to the environment."""
    args = [sys.executable, "-m", "msp_convert", "batch", str(src), "-o", str(out), "--redact", "--key-file", str(key), "-q", *more]
    return subprocess.run(args, capture_output=True, timeout=600, env={**os.environ, **(env or {})})


def rewrite_journal(out: Path, change: dict[str, Any]) -> None:
    """Each journal entry with ``change`` applied (a value None: the key removed)."""
    entries = [{k: v for k, v in {**entry, **change}.items() if v is not None} for entry in journal(out)]
    (out / ".msp-convert" / "journal.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")


def folders(tmp_path: Path, **files: Path) -> tuple[Path, Path, Path]:
    """A key file, IN_DIR holding ``files`` (name -> the fixture copied there; "a" -> a.docx) and OUT_DIR."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name, fixture in files.items():
        shutil.copy(fixture, src / f"{name}.docx")
    return key_file(tmp_path), src, out


def test_a_file_that_now_fails_leaves_no_earlier_redacted_copy(tmp_path: Path) -> None:
    key, src, out = folders(tmp_path, a=WORD, b=DYSLEXIA)
    assert redact_batch(src, out, key).returncode == 0
    rows = {r["path"]: r["output"] for r in report(out)["files"]}
    (src / "a.docx").write_bytes(b"PK\x03\x04 not a Word document any more")  # changed, and now failing
    failed = redact_batch(src, out, key)
    assert failed.returncode == 1
    a = next(r for r in report(out)["files"] if r["status"] == "failed")
    assert outputs(out) == sorted(o for p, o in rows.items() if p != a["path"])  # a's earlier copy is gone, b's stays
    assert journal(out)[-1]["status"] == "failed" and journal(out)[-1]["output"] == rows[a["path"]]  # its name kept
    (out / rows[a["path"]]).write_text("{}")  # as a run stopped between that entry and the removal leaves it
    assert redact_batch(src, out, key).returncode == 1  # failed again
    assert outputs(out) == sorted(o for p, o in rows.items() if p != a["path"])


def test_a_file_that_fails_never_takes_away_the_copy_another_file_makes_now(tmp_path: Path) -> None:
    key, src, out = folders(tmp_path, b=WORD)
    assert redact_batch(src, out, key).returncode == 0
    [made] = outputs(out)
    shutil.copy(WORD, src / "a.docx")  # b's earlier bytes, now a's: a's copy has b's earlier copy's name
    (src / "b.docx").write_bytes(b"PK\x03\x04 not a Word document any more")
    assert redact_batch(src, out, key, "--jobs", "1").returncode == 1
    rows = {r["status"]: r for r in report(out)["files"]}
    assert rows["converted"]["output"] == made and outputs(out) == [made]  # a's, though b's failure named it too


def test_a_file_that_now_holds_another_files_bytes_leaves_no_earlier_copy(tmp_path: Path) -> None:
    key, src, out = folders(tmp_path, a=WORD, b=DYSLEXIA)
    assert redact_batch(src, out, key).returncode == 0
    assert len(outputs(out)) == 2
    shutil.copy(WORD, src / "b.docx")  # a duplicate of a now: no copy of its own
    assert redact_batch(src, out, key).returncode == 0
    rows = sorted((r["status"], r["output"]) for r in report(out)["files"])
    assert [status for status, _ in rows] == ["duplicate", "skipped"] and outputs(out) == [rows[1][1]]


def test_a_rerun_with_another_key_is_refused_and_force_clears_the_old_copies(batch_once: Any, tmp_path: Path) -> None:
    src, first, key, _, _ = batch_once
    out = tmp_path / "out"
    shutil.copytree(first, out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    other = tmp_path / "other.key"
    assert run("new-key", str(other)).returncode == 0
    for keyed_by in (["--key-file", str(other)], []):  # another key file, or a key made for the run
        again = cli("batch", str(src), "-o", str(out), "--redact", *keyed_by, "-q")
        assert again.returncode == 1 and again.stderr.count(b"\n") == 1 and b"another key" in again.stderr, again.stderr
        assert b"--force" in again.stderr and sorted(p.relative_to(out) for p in out.rglob("*")) == before
    mark = (out / ".msp-convert" / "redacted").read_bytes()
    assert len(mark.strip()) == 64 and key.read_bytes().strip() not in mark  # a fingerprint, never the key
    forced = cli("batch", str(src), "-o", str(out), "--redact", "--key-file", str(other), "-q", "--force")
    assert forced.returncode == 0, forced.stderr
    assert len(outputs(out)) == len(outputs(first)) and not set(outputs(out)) & set(outputs(first))  # the old key's all gone
    assert not (out / "plans.csv").exists()  # the old key's tables (its pseudonyms) too
    assert cli("batch", str(src), "-o", str(out), "--redact", "--key-file", str(other), "-q").returncode == 0  # its key now


def test_force_leaves_no_copy_of_a_file_changed_since(tmp_path: Path) -> None:
    key, src, out = folders(tmp_path, a=WORD)
    assert redact_batch(src, out, key).returncode == 0
    [before] = outputs(out)
    shutil.copy(DYSLEXIA, src / "a.docx")
    assert redact_batch(src, out, key, "--force").returncode == 0
    assert outputs(out) == [report(out)["files"][0]["output"]] and before not in outputs(out)


# --- --link-file checked before any file is read -------------------------------------------------


def test_link_file_is_checked_before_anything_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = key_file(tmp_path)
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(WORD, src / "a.docx")
    text = key.read_bytes()
    cases = {
        str(tmp_path / "none" / "links.csv"): b"folder does not exist",
        str(key): b"is the key file",
        str(src / "a.docx"): b"is an input file",
        str(src / "links.csv"): b"inside the input folder",
        str(tmp_path / "locked" / "links.csv"): b"cannot be written",
    }
    (tmp_path / "locked").mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == tmp_path / "locked" else real(p, mode, **kw))
    for link, says in cases.items():
        done = run("batch", str(src), "-o", str(tmp_path / "out"), "--redact", "--key-file", str(key), "--link-file", link)
        assert done.returncode == 2 and says in done.stderr and done.stderr.count(b"--link-file") == 1, (link, done.stderr)
        assert not (tmp_path / "out").exists() and key.read_bytes() == text and (src / "a.docx").read_bytes() == WORD.read_bytes()


# --- the review's findings (redfix): unchanged bytes, unmarked folders, tables, the journal's names, the engine ----


def test_a_file_with_unchanged_bytes_that_now_fails_leaves_no_earlier_copy(tmp_path: Path) -> None:
    key, src, out = folders(tmp_path, a=WORD)
    assert redact_batch(src, out, key).returncode == 0
    [made] = outputs(out)
    rewrite_journal(out, {"version": "0.0.9"})  # converted by an older version: done again, and it times out now
    failed = redact_batch(src, out, key, "--timeout", "1", env={"MSP_CONVERT_TEST_HANG": "input-"})
    assert failed.returncode == 1 and report(out)["files"][0]["status"] == "failed"
    assert outputs(out) == [] and journal(out)[-1]["output"] == made  # its copy gone, its name kept until it is


def test_a_file_converted_again_into_fewer_plans_leaves_no_later_plan(tmp_path: Path) -> None:
    key, src, out = folders(tmp_path, a=WORD)
    assert redact_batch(src, out, key).returncode == 0
    [made] = outputs(out)
    second = made.replace(".json", "-2.json")
    shutil.copy(out / made, out / second)  # as a run whose engine read two plans in the same bytes left it
    rewrite_journal(out, {"version": "0.0.9", "more": [{}]})
    assert redact_batch(src, out, key).returncode == 0
    assert outputs(out) == [made] and report(out)["files"][0]["status"] == "converted"


@pytest.mark.parametrize("left", ["interrupted", "own"])
def test_redact_refuses_an_unmarked_folder_that_holds_anything(tmp_path: Path, left: str) -> None:
    key, src, out = folders(tmp_path, a=WORD)
    out.mkdir()
    if left == "interrupted":  # an unredacted batch stopped after its first output, before its journal had a line
        (out / ".msp-convert").mkdir()
        (out / ".msp-convert" / "journal.jsonl").write_bytes(b"")
        (out / "a.json").write_bytes(b"{}")
    else:  # -o at a folder of the user's own plans
        shutil.copy(WORD, out / "mine.docx")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    done = redact_batch(src, out, key)
    assert done.returncode == 1 and done.stderr.count(b"\n") == 1 and b"unredacted outputs or files of its own" in done.stderr
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before and not (out / ".msp-convert" / "redacted").exists()


def test_a_run_without_tables_removes_the_earlier_runs_tables(tmp_path: Path) -> None:
    key, src, out = folders(tmp_path, a=WORD)
    assert redact_batch(src, out, key, "--tables").returncode == 0
    assert (out / "plans.csv").exists() and (out / "outcomes.csv").exists()
    (src / "a.docx").write_bytes(b"PK\x03\x04 not a Word document any more")  # its copy goes: so do its rows
    assert redact_batch(src, out, key).returncode == 1
    assert outputs(out) == [] and not [p.name for p in out.glob("*.csv") if p.name != "report.csv"]


def test_a_journal_names_no_file_outside_the_copies_for_removal(tmp_path: Path) -> None:
    key, src, out = folders(tmp_path, a=WORD)
    assert redact_batch(src, out, key).returncode == 0
    [made] = outputs(out)
    victim, beside = tmp_path / "victim.json", out / "notes.json"
    victim.write_text("{}")
    beside.write_text("{}")
    for name in ("../victim.json", "notes.json"):  # outside OUT_DIR; inside, but no copy's name
        rewrite_journal(out, {"output": name})
        (src / "a.docx").write_bytes(b"PK\x03\x04 not a Word document any more")  # now failing: its copies go
        assert redact_batch(src, out, key).returncode == 1
    assert victim.exists() and beside.exists()
    assert outputs(out) == [] and made not in {e.get("output") for e in journal(out)}  # no row names it: removed at the end


def test_a_copy_an_older_redaction_engine_made_is_made_again(tmp_path: Path) -> None:
    key, src, out = folders(tmp_path, a=WORD)
    assert redact_batch(src, out, key).returncode == 0
    from msp_convert.batch.redaction import REDACTION_VERSION

    assert journal(out)[-1]["redaction"] == REDACTION_VERSION
    assert redact_batch(src, out, key).returncode == 0 and report(out)["files"][0]["status"] == "skipped"
    rewrite_journal(out, {"redaction": None})  # an entry from before the engine's version was kept
    assert redact_batch(src, out, key).returncode == 0 and report(out)["files"][0]["status"] == "converted"


def test_a_folder_marked_before_keys_were_recorded_says_so(batch_once: Any, tmp_path: Path) -> None:
    src, first, key, _, _ = batch_once
    out = tmp_path / "out"
    shutil.copytree(first, out)
    (out / ".msp-convert" / "redacted").write_bytes(b"")  # an earlier version's mark: no fingerprint
    done = redact_batch(src, out, key)
    assert done.returncode == 1 and done.stderr.count(b"\n") == 1 and b"made before keys were recorded" in done.stderr
    assert b"--force" in done.stderr and b"another key" not in done.stderr
    assert redact_batch(src, out, key, "--force").returncode == 0


# --- the second review's findings (redfix2): OUT_DIR mirrors IN_DIR, tables, a refused folder, the link file ---------


def test_a_finished_run_removes_the_copy_of_a_deleted_input_and_its_journal_entry(tmp_path: Path) -> None:
    key, src, out = folders(tmp_path, a=WORD, b=DYSLEXIA)
    assert redact_batch(src, out, key).returncode == 0
    rows = {r["path"]: r["output"] for r in report(out)["files"]}
    a_id = row_id(read_key(key), "a.docx")
    (src / "a.docx").unlink()
    done = redact_batch(src, out, key)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == b"msp-convert: removed 1 copy that no input makes now"  # no name in it
    assert outputs(out) == [o for p, o in rows.items() if p != a_id]  # b's stays, a's is gone
    assert [e["path"] for e in journal(out)] == [p for p in rows if p != a_id]  # and its journal entry
    again = redact_batch(src, out, key)
    assert again.returncode == 0 and b"removed" not in again.stderr and report(out)["files"][0]["status"] == "skipped"


def test_a_duplicate_whose_first_file_fails_keeps_no_older_copy(tmp_path: Path) -> None:
    key, src, out = folders(tmp_path, b=WORD)
    assert redact_batch(src, out, key).returncode == 0
    [made] = outputs(out)
    shutil.copy(WORD, src / "a.docx")  # the same bytes, first: b is its duplicate, and a times out
    failed = redact_batch(src, out, key, "--timeout", "1", env={"MSP_CONVERT_TEST_HANG": row_id(read_key(key), "a.docx")})
    assert failed.returncode == 1 and b"removed 1 copy that no input makes now" in failed.stderr
    assert sorted(r["status"] for r in report(out)["files"]) == ["duplicate", "failed"]
    assert outputs(out) == [] and not [e for e in journal(out) if e.get("output") == made]  # b's older copy and its entry gone


def test_redact_clears_the_earlier_tables_as_the_run_opens_its_records(tmp_path: Path) -> None:
    """A run killed at any point after it opened its records (SIGKILL: no clean-up) leaves no earlier
    run's tables, which could hold rows of copies it removed: they are gone before any file is converted."""
    from msp_convert.batch import BatchOptions
    from msp_convert.batch.run import _close_records, _open_records
    from msp_convert.writers.tables import TABLES

    out = tmp_path / "out"
    (out / ".msp-convert").mkdir(parents=True)
    for name in TABLES:
        (out / f"{name}.csv").write_text("an earlier run's rows\n")
    for tables in (True, False):
        options = BatchOptions(tmp_path / "in", out, tables=tables, key=b"k" * 32)
        records, writer = _open_records(out, options, {})
        try:
            assert [name for name in TABLES if (out / f"{name}.csv").exists()] == [], tables
        finally:
            _close_records(records, writer, True, out)
        (out / "plans.csv").write_text("an earlier run's rows\n")


def test_a_refused_folder_keeps_its_own_temporary_files(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(WORD, src / "a.docx")
    (out / ".msp-convert").mkdir(parents=True)
    (out / ".msp-convert" / "redacted").write_text("0" * 64 + "\n")  # a folder of redacted copies
    left = out / ".msp-convert-unfinished.tmp"
    left.write_text("a write a killed run left")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    done = run("batch", str(src), "-o", str(out))  # without --redact: refused
    assert done.returncode == 1 and b"holds redacted copies" in done.stderr
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before and left.read_text() == "a write a killed run left"


def test_run_batch_checks_the_link_file_against_the_key_file(tmp_path: Path) -> None:
    """One check, in run_batch, with the key file (the command line only maps it to its usage line)."""
    from msp_convert.batch import BatchOptions, run_batch
    from msp_convert.batch.redaction import LinkFileError

    key, src, out = folders(tmp_path, a=WORD)
    text = key.read_bytes()
    with pytest.raises(LinkFileError, match="is the key file"):
        run_batch(BatchOptions(src, out, key=read_key(key), link_file=key), key_file=key)
    assert not out.exists() and key.read_bytes() == text
