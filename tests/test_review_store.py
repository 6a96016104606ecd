"""The review store without the server: which plans a folder or a file gives, where their originals are,
the order a person sees them in, and the journal's lines (review/store.py, review/journal.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from msp_convert.errors import InputError
from msp_convert.review import server_config
from msp_convert.review.journal import changes, lines
from msp_convert.review.pages import MAX_WIDTH, NoPages, Pages
from msp_convert.review.store import Entry, Store, open_store, plan_id, summary

REPO = Path(__file__).resolve().parents[1]
EXPECTED = REPO / "fixtures" / "plans" / "03-ks2-dyslexia.expected.json"


def report(out: Path, *rows: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps({"version": "0", "files": list(rows)}), encoding="utf-8")


def row(path: str, output: str, status: str = "converted", plan: Any = None) -> dict[str, Any]:
    return {"path": path, "output": output, "status": status, "plan": plan}


def a_plan(folder: Path, name: str, **changed: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = json.loads(EXPECTED.read_text(encoding="utf-8"))
    data.update(changed)
    (folder / name).write_text(json.dumps(data), encoding="utf-8")
    return folder / name


# --- finding the plans ----------------------------------------------------------------------


def test_a_batch_folder_lists_the_plans_on_disk(tmp_path: Path) -> None:
    out, src = tmp_path / "out", tmp_path / "in"
    a_plan(out / "year 3", "a.json")
    a_plan(out, "b.json")
    a_plan(out, "b-2.json")
    (src / "year 3").mkdir(parents=True)
    (src / "year 3" / "a.docx").write_bytes(b"x")
    (src / "b.pdf").write_bytes(b"x")
    report(
        out, row("year 3/a.docx", "year 3/a.json"), row("b.pdf", "b.json", "skipped", 1), row("b.pdf#2", "b-2.json", "reviewed", 2),
        row("c.docx", "", "failed"), row("d.docx", "d.json"),  # failed; converted but its output is gone
        row("e.docx", "../outside.json"), row("f.docx", "/etc/passwd.json"),  # a report edited to point out of the folder
        row("g.docx", "g.docx"),  # a Word output
    )
    a_plan(tmp_path, "outside.json")
    store = open_store(out, originals=src)
    assert [e.rel for e in store.entries.values()] == ["year 3/a.json", "b.json", "b-2.json"]
    entries = {e.rel: e for e in store.entries.values()}
    assert entries["year 3/a.json"].original == (src / "year 3" / "a.docx").resolve()
    assert entries["b-2.json"].source == "b.pdf#2" and entries["b-2.json"].original == (src / "b.pdf").resolve()
    assert entries["b.json"].id == plan_id("b.json") != plan_id("b-2.json")


def test_originals_from_the_report_or_none(tmp_path: Path) -> None:
    out, src = tmp_path / "out", tmp_path / "in"
    a_plan(out, "a.json")
    src.mkdir()
    (src / "a.docx").write_bytes(b"x")
    report(out, row("a.docx", "a.json"))
    assert next(iter(open_store(out).entries.values())).original is None
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    data["in_dir"] = str(src)
    (out / "report.json").write_text(json.dumps(data), encoding="utf-8")
    assert next(iter(open_store(out).entries.values())).original == (src / "a.docx").resolve()
    report(out, row("../../etc/passwd", "a.json"))  # an original outside the input folder is not shown
    assert next(iter(open_store(out, originals=src).entries.values())).original is None


def test_one_plan_file_and_its_original(tmp_path: Path) -> None:
    plan = a_plan(tmp_path, "ruby.json", source={"filename": "03-ks2-dyslexia.pdf", "format": "pdf", "sha256": "0" * 64, "pages": 11})
    store = open_store(plan)
    entry = next(iter(store.entries.values()))
    assert (entry.rel, entry.path, entry.original, store.out_dir) == ("ruby.json", plan.resolve(), None, tmp_path.resolve())
    shutil.copy(REPO / "fixtures" / "pdf" / "03-ks2-dyslexia.pdf", tmp_path)
    assert next(iter(open_store(plan).entries.values())).original == (tmp_path / "03-ks2-dyslexia.pdf").resolve()
    other = tmp_path / "scan.pdf"
    other.write_bytes(b"%PDF")
    assert next(iter(open_store(plan, original=other).entries.values())).original == other.resolve()


NOT_PLANS = {  # what PATH holds -> what the line says
    "nothing": ("", "report.json"),
    "plan.docx": ("x", "plan's .json"),
    "report.json": ("{", "not valid JSON"),
    "report.json ": ("[]", "lists no files"),
    "report.json  ": (json.dumps({"files": [{"path": "a.docx", "output": "a.docx", "status": "converted"}]}), "--to json"),
    # a --redact batch: its plans cannot be corrected against the originals, which it does not name
    "report.json   ": (json.dumps({"redacted": True, "files": [{"path": "input-0a1b", "output": "plan-ABC.json", "status": "converted"}]}), "redacted copies"),
}


@pytest.mark.parametrize("name", NOT_PLANS)
def test_what_is_not_plans_is_one_line(tmp_path: Path, name: str) -> None:
    text, says = NOT_PLANS[name]
    path = tmp_path
    if name != "nothing":
        (tmp_path / name.strip()).write_text(text, encoding="utf-8")
        path = tmp_path / name.strip() if name.endswith(".docx") else tmp_path
    with pytest.raises(InputError) as err:
        open_store(path)
    assert says in err.value.message and "\n" not in err.value.message


# --- the queue ------------------------------------------------------------------------------


def test_summary_from_the_plans_json(tmp_path: Path) -> None:
    data = json.loads(EXPECTED.read_text(encoding="utf-8"))
    data["coverage"] = {"words": 200, "placed": 150, "in_sections": 0, "unmapped": 50, "verdict": "partial"}
    data["warnings"] = [{"code": "unmapped-text", "message": "m", "where": None}] * 2 + [{"code": "unknown-heading", "message": "m", "where": None}]
    entry = Entry("id", "a.json", tmp_path / "a.json", "a.docx", None)
    assert summary(entry, data) == {
        "id": "id", "file": "a.json", "source": "a.docx", "verdict": "partial", "placed_share": 0.75,
        "warnings": {"unmapped-text": 2, "unknown-heading": 1}, "warning_count": 3,
    }
    data["coverage"] = {"words": 0, "placed": 0, "in_sections": 0, "unmapped": 0, "verdict": "other-layout"}
    assert summary(entry, data)["placed_share"] is None


def test_priority_puts_what_needs_a_person_first(tmp_path: Path) -> None:
    def cover(verdict: str, placed: int) -> dict[str, Any]:
        return {"words": 100, "placed": placed, "in_sections": 0, "unmapped": 100 - placed, "verdict": verdict}

    def warned(n: int) -> list[dict[str, Any]]:
        return [{"code": "unmapped-text", "message": "m", "where": None}] * n

    plans = {
        "complete.json": (cover("complete", 99), warned(0)),
        "complete-warned.json": (cover("complete", 99), warned(2)),
        "partial-1.json": (cover("partial", 60), warned(1)),
        "partial-3.json": (cover("partial", 90), warned(3)),
        "partial-3-less.json": (cover("partial", 40), warned(3)),
        "approved.json": (cover("not-a-plan", 0), warned(9)),
    }
    for name, (coverage, warnings) in plans.items():
        a_plan(tmp_path, name, coverage=coverage, warnings=warnings)
    report(tmp_path, *(row(n.replace(".json", ".docx"), n) for n in plans))
    store = open_store(tmp_path)
    store.approve(plan_id("approved.json"), "R")
    order = [p["file"] for p in sorted(store.plans(), key=lambda p: p["priority"])]
    assert order == ["partial-3-less.json", "partial-3.json", "partial-1.json", "complete-warned.json", "complete.json", "approved.json"]
    assert store.meta("R") == {"approved": 1, "total": 6, "reviewer": "R"}


def test_a_broken_review_record_is_one_line_at_the_start(tmp_path: Path) -> None:
    a_plan(tmp_path, "a.json")
    report(tmp_path, row("a.docx", "a.json"))
    (tmp_path / ".msp-convert").mkdir()
    (tmp_path / ".msp-convert" / "review.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputError) as err:
        open_store(tmp_path)
    assert "review.json" in err.value.message


# --- the journal ----------------------------------------------------------------------------


def test_changes_leaf_by_leaf() -> None:
    old = {"a": {"b": [1, 2, 3], "c": "x", "d": True}, "e": None, "f": [{"g": 1}]}
    new = {"a": {"b": [1, 5], "c": "x", "d": 1}, "e": [], "f": [{"g": 1}, {"g": 2}]}
    found = [(path, o, n) for path, o, n in changes(old, new)]
    absent = [o for _, o, _ in found if not isinstance(o, (int, str, type(None), list, dict))][0]
    assert found == [
        (("a", "b", 1), 2, 5), (("a", "b", 2), 3, absent),
        (("a", "d"), True, 1),  # a boolean became a number: a change, though True == 1
        (("e",), None, []), (("f", 1), absent, {"g": 2}),
    ]
    assert list(changes(old, json.loads(json.dumps(old)))) == []


def test_journal_lines() -> None:
    old = {"outcomes": [{"statement": {"text": "a"}}], "child": {"name": None}}
    new = {"outcomes": [{"statement": {"text": "b"}}, {"statement": None}], "child": {"name": None}}
    found = lines("x/plan.json", "Sam", old, new)
    assert [{k: v for k, v in line.items() if k != "time"} for line in found] == [
        {"reviewer": "Sam", "plan": "x/plan.json", "path": "outcomes[0].statement.text", "old": "a", "new": "b"},
        {"reviewer": "Sam", "plan": "x/plan.json", "path": "outcomes[1]", "new": {"statement": None}},
    ]
    assert len({line["time"] for line in found}) == 1 and found[0]["time"].endswith("Z")


# --- the server's settings ------------------------------------------------------------------


def test_server_listens_on_loopback_and_logs_no_requests(tmp_path: Path) -> None:
    a_plan(tmp_path, "a.json")
    config = server_config(open_store(tmp_path / "a.json"), 8125, "R", "token")
    assert config.host == "127.0.0.1" and config.port == 8125
    assert config.access_log is False
    assert config.log_level in ("warning", 30)


def test_store_is_what_the_server_holds(tmp_path: Path) -> None:
    a_plan(tmp_path, "a.json")
    store = open_store(tmp_path / "a.json")
    assert isinstance(store, Store) and store.state == tmp_path.resolve() / ".msp-convert"


# --- page images ----------------------------------------------------------------------------

SCANS = REPO / "fixtures" / "scans"


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_a_multipage_tiff_scan_in_points(tmp_path: Path) -> None:
    from PIL import Image

    tiff = SCANS / "04-ks2-autism-g4-dither300.tif"
    with Image.open(tiff) as image:
        frames, first = image.n_frames, (image.size, image.info["dpi"][0])
    pages = Pages(tmp_path)
    sizes = pages.sizes(tiff)
    assert len(sizes) == frames > 1
    (w_px, h_px), dpi = first
    assert sizes[0] == pytest.approx((w_px * 72 / dpi, h_px * 72 / dpi))
    assert sizes[0] == pytest.approx((595, 842), abs=3)  # A4
    width, height = png_size(pages.png(tiff, frames))
    assert width <= MAX_WIDTH and abs(width / height - sizes[-1][0] / sizes[-1][1]) < 0.01
    with pytest.raises(IndexError):
        pages.png(tiff, frames + 1)


def test_a_folder_of_page_images(tmp_path: Path) -> None:
    folder = SCANS / "09-ks2-adhd-copy2"
    sizes = Pages(tmp_path).sizes(folder)
    assert len(sizes) == len(list(folder.glob("page-*.jpg")))
    assert all(s == pytest.approx((595, 842), abs=6) for s in sizes)


def test_a_scanned_pdf_is_rendered(tmp_path: Path) -> None:
    pdf = SCANS / "03-ks2-dyslexia-grey300.pdf"
    pages = Pages(tmp_path)
    assert pages.sizes(pdf)[0] == pytest.approx((595.3, 841.9), abs=1)
    assert png_size(pages.png(pdf, 1))[0] == pytest.approx(595.3 * 150 / 72, abs=1)  # 150 dpi: 1240 pixels


def test_what_has_no_pages_says_why(tmp_path: Path) -> None:
    pages = Pages(tmp_path)
    with pytest.raises(NoPages, match="not found"):
        pages.sizes(None)
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(NoPages, match="format"):
        pages.sizes(tmp_path / "notes.txt")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 cut short")
    with pytest.raises(NoPages, match="could not be opened"):
        pages.sizes(tmp_path / "bad.pdf")
    (tmp_path / "a.doc").write_bytes((REPO / "fixtures" / "legacy" / "03-ks2-dyslexia.doc").read_bytes())
    with pytest.raises(NoPages, match="LibreOffice"):
        Pages(tmp_path, soffice="no-such-soffice-here").sizes(tmp_path / "a.doc")


def test_a_plan_file_broken_on_disk_is_still_listed(tmp_path: Path) -> None:
    a_plan(tmp_path, "a.json")
    a_plan(tmp_path, "b.json")
    report(tmp_path, row("a.docx", "a.json"), row("b.docx", "b.json"))
    store = open_store(tmp_path)
    (tmp_path / "b.json").write_text("{ cut short", encoding="utf-8")
    listed = {p["file"]: p for p in store.plans()}
    assert listed["b.json"]["problem"] and listed["b.json"]["verdict"] == "" and listed["b.json"]["warning_count"] == 0
    assert listed["a.json"]["verdict"] == "complete" and "problem" not in listed["a.json"]
