"""The batch's part of review: NAME.origins.json beside each plan read from pages, written and
kept as the plans are; the report's review column; a reviewed plan never written over, unless --force."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from msp_convert.batch import STATE, BatchOptions, run_batch
from msp_convert.batch import reviewed
from msp_convert.errors import InputError
from msp_convert.model import Plan
from msp_convert.reader import read_all_with_origins
from msp_convert.writers.json import to_json

REPO = Path(__file__).resolve().parents[1]
PDF = REPO / "fixtures" / "pdf" / "09-ks2-adhd.pdf"
OTHER_PDF = REPO / "fixtures" / "pdf" / "06-ks2-semh.pdf"
TWO_PLANS = REPO / "fixtures" / "departures" / "pdf" / "d08-two-plans.pdf"
WORD = REPO / "fixtures" / "plans" / "01-eyfs-speech-language.docx"


def run(src: Path, out: Path, force: bool = False) -> dict[str, dict[str, str]]:
    """One batch; the report.csv rows by input path (checked against report.json's)."""
    result = run_batch(BatchOptions(src, out, jobs=1, force=force))
    assert result.ok
    with open(out / "report.csv", newline="", encoding="utf-8") as handle:
        rows = {row["path"]: row for row in csv.DictReader(handle)}
    files = json.loads((out / "report.json").read_text(encoding="utf-8"))["files"]
    assert {f["path"]: f["review"] for f in files} == {p: r["review"] for p, r in rows.items()}
    return rows


@pytest.fixture(scope="module")
def batch_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, dict[str, str]]]:
    """A PDF, a Word plan and a PDF of two plans, converted once (the tests copy the output)."""
    root = tmp_path_factory.mktemp("batch")
    src, out = root / "in", root / "out"
    src.mkdir()
    shutil.copy(PDF, src / "a.pdf")
    shutil.copy(WORD, src / "b.docx")
    shutil.copy(TWO_PLANS, src / "two.pdf")
    return src, out, run(src, out)


@pytest.fixture()
def done(batch_once: tuple[Path, Path, dict[str, dict[str, str]]], tmp_path: Path) -> tuple[Path, Path]:
    src, out, _ = batch_once
    shutil.copytree(src, tmp_path / "in")
    shutil.copytree(out, tmp_path / "out")
    return tmp_path / "in", tmp_path / "out"


def test_origins_are_written_beside_each_plan_read_from_pages(batch_once: tuple[Path, Path, dict[str, dict[str, str]]]) -> None:
    src, out, rows = batch_once
    assert {p: r["status"] for p, r in rows.items()} == {"a.pdf": "converted", "b.docx": "converted", "two.pdf": "converted", "two.pdf#2": "converted"}
    assert all(r["review"] == "" for r in rows.values())
    found, origins = read_all_with_origins(src / "a.pdf")
    written = json.loads((out / "a.origins.json").read_text(encoding="utf-8"))
    assert written == origins[0].to_dict() and written["fields"]["outcomes[0].statement"]["page"] == 5
    assert (out / "a.json").read_text(encoding="utf-8") == to_json(found.value[0])
    assert not (out / "b.origins.json").exists()  # Word: no pages
    first = json.loads((out / "two.origins.json").read_text(encoding="utf-8"))
    second = json.loads((out / "two-2.origins.json").read_text(encoding="utf-8"))
    assert max(f["page"] for f in first["fields"].values()) < min(f["page"] for f in second["fields"].values())
    assert sorted(p.name for p in out.iterdir() if p.name.endswith(".json")) == [
        "a.json", "a.origins.json", "b.json", "report.json", "two-2.json", "two-2.origins.json", "two.json", "two.origins.json",
    ]


def test_a_rerun_keeps_the_origins_and_a_plan_read_again_without_pages_loses_them(done: tuple[Path, Path]) -> None:
    src, out = done
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.origins.json")}
    rows = run(src, out)
    assert {r["status"] for r in rows.values()} == {"skipped"}
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.origins.json")} == before
    (src / "a.pdf").unlink()
    shutil.copy(WORD, src / "a.docx")  # the same output name, now read from Word
    rows = run(src, out)
    assert rows["a.docx"]["status"] == "converted" and not (out / "a.origins.json").exists()


def test_marking_a_plan_fills_the_review_column_and_the_record(done: tuple[Path, Path]) -> None:
    _, out = done
    reviewed.mark(out, "two-2.json", "approved", "Ms Reviewer")
    reviewed.mark(out, "a.json", "corrected", "Ms Reviewer")
    assert reviewed.load(out) == {"two-2.json": "approved", "a.json": "corrected"}
    record = json.loads((out / STATE / "review.json").read_text(encoding="utf-8"))
    assert record["version"] == 1 and record["plans"]["a.json"]["reviewer"] == "Ms Reviewer"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["plans"]["a.json"]["time"])
    with open(out / "report.csv", newline="", encoding="utf-8") as handle:
        rows = {row["path"]: row["review"] for row in csv.DictReader(handle)}
    assert rows == {"a.pdf": "corrected", "b.docx": "", "two.pdf": "", "two.pdf#2": "approved"}
    files = json.loads((out / "report.json").read_text(encoding="utf-8"))["files"]
    assert {f["path"]: f["review"] for f in files} == rows
    with pytest.raises(ValueError):
        reviewed.mark(out, "a.json", "looked at", "Ms Reviewer")
    with pytest.raises(ValueError):
        reviewed.mark(out, "../a.json", "approved", "Ms Reviewer")


def test_a_reviewed_plan_is_never_written_over_unless_forced(done: tuple[Path, Path]) -> None:
    src, out = done
    plan = Plan.model_validate_json((out / "a.json").read_bytes())
    plan.child.name = "Corrected Name"
    (out / "a.json").write_text(to_json(plan), encoding="utf-8")
    corrected = (out / "a.json").read_bytes()
    reviewed.mark(out, "a.json", "corrected", "Ms Reviewer")
    shutil.copy(OTHER_PDF, src / "a.pdf")  # the original changed: it would be converted again
    rows = run(src, out)
    assert rows["a.pdf"]["status"] == "reviewed" and rows["a.pdf"]["review"] == "corrected"
    assert rows["a.pdf"]["verdict"] == plan.coverage.verdict and rows["a.pdf"]["outcomes"] == str(len(plan.outcomes))
    assert (out / "a.json").read_bytes() == corrected
    summary = json.loads((out / "report.json").read_text(encoding="utf-8"))["summary"]
    assert summary["reviewed"] == 1 and summary["skipped"] == 2  # files: two.pdf once
    rows = run(src, out, force=True)
    assert rows["a.pdf"]["status"] == "converted" and rows["a.pdf"]["review"] == ""
    found, origins = read_all_with_origins(OTHER_PDF)
    assert (out / "a.json").read_text(encoding="utf-8") == to_json(found.value[0].model_copy(update={"source": found.value[0].source.model_copy(update={"filename": "a.pdf"})}))
    assert json.loads((out / "a.origins.json").read_text(encoding="utf-8")) == origins[0].to_dict()
    assert reviewed.load(out) == {}


def test_a_file_of_several_plans_is_kept_whole_when_one_of_them_is_reviewed(done: tuple[Path, Path]) -> None:
    src, out = done
    reviewed.mark(out, "two-2.json", "approved", "Ms Reviewer")
    plans = [(out / name).read_bytes() for name in ("two.json", "two-2.json", "two.origins.json", "two-2.origins.json")]
    (src / "two.pdf").write_bytes(OTHER_PDF.read_bytes())
    rows = run(src, out)
    assert (rows["two.pdf"]["status"], rows["two.pdf#2"]["status"]) == ("reviewed", "reviewed")
    assert (rows["two.pdf"]["review"], rows["two.pdf#2"]["review"]) == ("", "approved")
    assert rows["two.pdf#2"]["output"] == "two-2.json" and rows["two.pdf#2"]["verdict"] != ""
    assert [(out / name).read_bytes() for name in ("two.json", "two-2.json", "two.origins.json", "two-2.origins.json")] == plans


def test_a_review_record_that_cannot_be_read_stops_the_batch_in_one_line(done: tuple[Path, Path]) -> None:
    src, out = done
    (out / STATE / "review.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as err:
        run_batch(BatchOptions(src, out, jobs=1))
    assert "review.json" in err.value.message and "\n" not in err.value.message
    (out / STATE / "review.json").write_text('{"plans": ["a.json"]}', encoding="utf-8")
    with pytest.raises(InputError):
        reviewed.load(out)
