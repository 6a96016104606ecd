"""Convert a whole folder of plans: worker processes, time limits, resume, report.

A migration is thousands of plans in a shared drive. Each file is converted in
a worker process under a time limit: a file that hangs its worker is killed
and reported, and the batch goes on. Outputs are written atomically and
recorded in a journal as they finish, so an interrupted batch resumes where it
stopped and converts nothing twice. The parent process keeps only one report
row per file; a plan's table rows go straight to the CSV files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing
import os
import signal
import tempfile
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from .version import __version__
from .atomic import remove_stale, write_atomically
from .errors import InputError
from .model import Plan
from .parsers.images import IMAGE_SUFFIXES, folder_pages, page_folder
from .reader import read_result
from .results import PageDone
from .writers.json import to_json

# Extensions the readers take; the bytes decide the format, the name only picks candidates.
SUPPORTED = {".docx": "docx", ".docm": "docx", ".pdf": "pdf", ".doc": "doc", ".rtf": "rtf", ".odt": "odt", **IMAGE_SUFFIXES}
STATE = ".msp-convert"  # under OUT_DIR: the journal that makes a re-run resume
JOURNAL = "journal.jsonl"
# Test hook: a worker converting a file whose relative path contains this
# value sleeps far past any time limit, as a hung conversion would.
HANG_HOOK = "MSP_CONVERT_TEST_HANG"

STATUSES = ("converted", "skipped", "failed", "ignored", "duplicate")
LEGACY = ("doc", "rtf", "odt")
# Legacy files go to a worker this many at a time: one LibreOffice start-up
# (about a second) serves them all.
LEGACY_CHUNK = 8


@dataclass
class BatchOptions:
    in_dir: Path
    out_dir: Path
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout: float = 120.0
    force: bool = False
    tables: bool = False
    password: Optional[str] = None
    to: str = "json"  # or "docx": each plan's new-plan Word document


@dataclass
class ReportRow:
    path: str  # relative to IN_DIR, POSIX slashes
    format: str
    status: str
    error: str = ""
    warnings: Optional[int] = None
    outcomes: Optional[int] = None
    provision: Optional[int] = None
    seconds: Optional[float] = None
    sha256: str = ""
    output: str = ""  # relative to OUT_DIR
    duplicate_of: str = ""


REPORT_FIELDS = tuple(ReportRow.__dataclass_fields__)


@dataclass
class BatchResult:
    rows: list[ReportRow]
    seconds: float
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def ok(self) -> bool:
        return not self.interrupted and self.count("failed") == 0

    def summary(self) -> str:
        parts = ", ".join(f"{self.count(s)} {s}" for s in STATUSES if self.count(s))
        head = "interrupted after" if self.interrupted else "done:"
        return f"{head} {len(self.rows)} files ({parts or 'nothing to do'}) in {self.seconds:.1f} s"


# --- finding the files ---------------------------------------------------------


@dataclass
class _Found:
    rel: str
    path: Path
    format: str  # "" for files that are not taken
    ignored_because: str = ""
    pages_folder: bool = False  # a folder of one plan's scanned pages


def discover(in_dir: Path, out_dir: Path) -> Iterator[_Found]:
    """Every file under ``in_dir``, sorted; links are not followed out of it.

    A folder that holds only one plan's page images (page-1.jpg,
    page-2.jpg...) is one plan, not a plan per page.
    """
    root = in_dir.resolve()
    out = out_dir.resolve()
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if (here / d).resolve() != out and d != STATE)
        pages = page_folder(here) if here != root else None
        if pages:
            if any(p.is_symlink() and not p.resolve().is_relative_to(root) for p in pages):
                yield _Found(here.relative_to(root).as_posix(), here, "", "a folder of page images with a link to a file outside the folder")
            else:
                yield _Found(here.relative_to(root).as_posix(), here, SUPPORTED[pages[0].suffix.lower()], pages_folder=True)
            continue
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    yield _Found(rel, path, "", "a link to a file outside the folder")
                    continue
            fmt = SUPPORTED.get(path.suffix.lower(), "")
            yield _Found(rel, path, fmt, "" if fmt else "not a plan format msp-convert reads")


def _sha256(path: Path) -> str:
    """A file's sha256; for a folder of page images, of its pages' bytes one after another (as the reader's)."""
    digest = hashlib.sha256()
    for each in folder_pages(path) if path.is_dir() else [path]:
        with open(each, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _outputs(found: list[_Found], suffix: str = ".json") -> dict[str, str]:
    """Relative output path per input: a/b/plan.docx -> a/b/plan.json (plan.pdf.json on a clash)."""
    stems: dict[str, list[str]] = {}
    for f in found:
        stems.setdefault(f.rel + suffix if f.pages_folder else str(Path(f.rel).with_suffix(suffix)), []).append(f.rel)
    out = {}
    for target, rels in stems.items():
        for rel in rels:
            out[rel] = target if len(rels) == 1 else rel + suffix
    return out


# --- the journal -------------------------------------------------------------------


def _journal(out_dir: Path, force: bool) -> dict[str, dict[str, Any]]:
    path = out_dir / STATE / JOURNAL
    if force or not path.exists():
        return {}
    done: dict[str, dict[str, Any]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                entry = json.loads(line)
                done[entry["path"]] = entry
            except (ValueError, KeyError):
                continue  # a line cut short by a crash: that file is converted again
    return done


# --- the workers ---------------------------------------------------------------------


def _convert_many(task: dict[str, Any]) -> dict[str, Any]:
    """Legacy files, in a worker: one LibreOffice run for all, then each read."""
    from .parsers.legacy import to_docx_many

    items = task["items"]
    try:
        sources = [(Path(item["src"]).read_bytes(), item["format"]) for item in items]
        converted = to_docx_many(sources, timeout=task["timeout"])
    except InputError as err:  # LibreOffice is missing: the same answer for each
        return {"results": [{"rel": i["rel"], "status": "failed", "error": err.message, "seconds": 0.0} for i in items]}
    results = []
    for item, docx in zip(items, converted):
        if isinstance(docx, InputError):
            results.append({"rel": item["rel"], "status": "retry"})  # once more on its own
        else:
            results.append(_convert(item, docx))
    return {"results": results}


def _convert(task: dict[str, Any], converted: Optional[bytes] = None, beat: Optional[PageDone] = None) -> dict[str, Any]:
    """One file, in a worker: convert, write atomically, return the report fields.

    ``beat`` is called after each page a scan's OCR reads: the time limit
    is then per page, as a 40-page scan is slow but alive.
    """
    start = time.perf_counter()
    hang = os.environ.get(HANG_HOOK)
    if hang and hang in task["rel"]:
        time.sleep(3600)
    out: dict[str, Any] = {"rel": task["rel"]}
    try:
        if task["kind"] == "tables":  # an earlier run's output, for this run's tables
            if task["to"] == "json":
                plan = Plan.model_validate_json(Path(task["out"]).read_text(encoding="utf-8"))
            else:
                plan = read_result(task["src"], password=task["password"]).value
        else:
            plan = read_result(task["src"], password=task["password"], converted=converted, on_page=beat).value
            if task["to"] == "docx":
                from .writers.docx import write_docx

                write_atomically(Path(task["out"]), write_docx(plan, mode="new"))
            else:
                write_atomically(Path(task["out"]), to_json(plan))
        out.update(status="ok", warnings=len(plan.warnings), outcomes=len(plan.outcomes), provision=len(plan.provision))
        if task["tables"]:
            from .writers.tables import plan_rows

            out["tables"] = plan_rows(plan, task["rel"])
    except InputError as err:
        out.update(status="failed", error=err.message)
    except Exception as err:  # a bug of ours: name it, never the content
        out.update(status="failed", error=f"internal error while converting ({type(err).__name__}); report it")
    out["seconds"] = round(time.perf_counter() - start, 3)
    return out


def _worker_main(conn: Connection, scratch: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # Temporary files (OCR's page images, LibreOffice's copies) go under the batch's own
    # private folder, which the parent removes even when it had to kill this worker.
    tempfile.tempdir = scratch
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        if task["kind"] == "convert-many":
            conn.send(_convert_many(task))
        else:
            conn.send(_convert(task, beat=lambda done, pages: conn.send({"beat": done})))


class _Worker:
    def __init__(self, ctx: Any, scratch: str) -> None:
        self.scratch = scratch
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, scratch), daemon=True)
        self.proc.start()
        child.close()
        self.task: Optional[dict[str, Any]] = None
        self.started = 0.0

    def give(self, task: dict[str, Any]) -> None:
        self.task, self.started = task, time.monotonic()
        self.conn.send(task)

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()


# --- the run ----------------------------------------------------------------------------


Progress = Callable[[ReportRow, int, int], None]


def run_batch(options: BatchOptions, progress: Optional[Progress] = None) -> BatchResult:
    """Convert every plan under ``options.in_dir`` into ``options.out_dir``."""
    started = time.monotonic()
    in_dir, out_dir = options.in_dir.resolve(), options.out_dir.resolve()
    if not in_dir.is_dir():
        raise InputError(f"{options.in_dir} is not a folder; give the folder that holds the plans")
    if out_dir == in_dir:
        raise InputError("the output folder is the input folder, whose plans would be overwritten; choose another -o")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / STATE).mkdir(exist_ok=True)
    remove_stale(out_dir)

    found = list(discover(in_dir, out_dir))
    outputs = _outputs([f for f in found if f.format], "." + options.to)
    done = _journal(out_dir, options.force)
    rows: dict[str, ReportRow] = {}
    first_of: dict[str, str] = {}
    tasks: deque[dict[str, Any]] = deque()
    legacy: list[dict[str, Any]] = []
    for f in found:
        if not f.format:
            rows[f.rel] = ReportRow(f.rel, "", "ignored", error=f.ignored_because)
            continue
        sha = _sha256(f.path)
        row = rows[f.rel] = ReportRow(f.rel, f.format, "pending", sha256=sha, output=outputs[f.rel])
        if sha in first_of:
            row.status, row.duplicate_of, row.output = "duplicate", first_of[sha], ""
            continue
        first_of[sha] = f.rel
        target = out_dir / outputs[f.rel]
        previous = done.get(f.rel)
        task = {"rel": f.rel, "src": str(f.path), "out": str(target), "tables": options.tables, "password": options.password, "to": options.to}
        same = previous and previous.get("sha256") == sha and previous.get("version") == __version__ and previous.get("to", "json") == options.to
        if same and target.exists():
            row.status = "skipped"
            row.warnings, row.outcomes, row.provision = previous.get("warnings"), previous.get("outcomes"), previous.get("provision")
            if options.tables:
                tasks.append({**task, "kind": "tables"})
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if f.format in LEGACY:
            legacy.append({**task, "kind": "convert", "format": f.format})
        else:
            tasks.append({**task, "kind": "convert"})
    for start in range(0, len(legacy), LEGACY_CHUNK):
        chunk = legacy[start:start + LEGACY_CHUNK]
        budget = options.timeout * len(chunk)  # LibreOffice's own limit; the worker's a little more
        tasks.appendleft({"kind": "convert-many", "items": chunk, "rel": chunk[0]["rel"], "timeout": budget, "limit": budget + 10})

    total = len(rows)
    finished = 0
    for row in rows.values():
        if row.status != "pending":
            finished += 1
            if progress is not None:
                progress(row, finished, total)
    interrupted = False
    tables = None
    if options.tables:
        from .writers.tables import TableWriter

        tables = TableWriter(out_dir)
    journal = open(out_dir / STATE / JOURNAL, "w" if options.force else "a", encoding="utf-8")
    try:
        finished = _run_tasks(options, tasks, rows, journal, tables, progress, finished, total)
    except KeyboardInterrupt:
        interrupted = True
        for row in rows.values():
            if row.status == "pending":
                row.status, row.error, row.output = "failed", "not converted: the batch was interrupted; run it again to resume", ""
    finally:
        journal.close()
        if tables is not None:  # renamed into place, or dropped if interrupted
            if interrupted:
                tables.abort()
            else:
                tables.close()
        remove_stale(out_dir)  # what a killed worker left
    result = BatchResult(sorted(rows.values(), key=lambda r: r.path), time.monotonic() - started, interrupted)
    write_report(out_dir, result)
    return result


def _run_tasks(
    options: BatchOptions,
    tasks: deque[dict[str, Any]],
    rows: dict[str, ReportRow],
    journal: Any,
    tables: Any,
    progress: Optional[Progress],
    finished: int,
    total: int,
) -> int:
    if not tasks:
        return finished
    ctx = multiprocessing.get_context("spawn" if os.name != "posix" else "fork")
    scratch = tempfile.TemporaryDirectory(prefix="msp-convert-batch-")  # 0700; removed below, whatever happens
    workers = [_Worker(ctx, scratch.name) for _ in range(max(1, min(options.jobs, len(tasks))))]
    busy: dict[Connection, _Worker] = {}

    def finish(rel: str, result: dict[str, Any]) -> None:
        nonlocal finished
        row = rows[rel]
        converting = row.status == "pending"
        if result.get("status") == "ok":
            if converting:
                row.status = "converted"
                row.warnings, row.outcomes, row.provision = result["warnings"], result["outcomes"], result["provision"]
                row.seconds = result["seconds"]
                journal.write(json.dumps({
                    "path": rel, "sha256": row.sha256, "version": __version__, "to": options.to, "output": row.output,
                    "warnings": row.warnings, "outcomes": row.outcomes, "provision": row.provision,
                }) + "\n")
                journal.flush()
            if tables is not None and result.get("tables"):
                tables.write(result["tables"])
        elif converting:
            row.status, row.error, row.seconds, row.output = "failed", result.get("error", ""), result.get("seconds"), ""
        if converting:
            finished += 1
            if progress is not None:
                progress(row, finished, total)

    try:
        while tasks or busy:
            for worker in workers:
                if worker.task is None and tasks:
                    worker.give(tasks.popleft())
                    busy[worker.conn] = worker
            for conn in wait(list(busy), timeout=0.25):
                worker = busy.pop(conn)  # type: ignore[arg-type]
                task = worker.task
                assert task is not None
                try:
                    result = conn.recv()  # type: ignore[union-attr]
                    if "beat" in result:  # a page of a scan read: its time limit starts again
                        worker.started = time.monotonic()
                        busy[conn] = worker  # type: ignore[index]
                        continue
                    worker.task = None
                except (EOFError, OSError):
                    worker.task = None
                    result = {"status": "failed", "error": "the converter stopped unexpectedly on this file; report it"}
                    workers[workers.index(worker)] = _replace(worker, ctx)
                    if task["kind"] == "convert-many":
                        tasks.extend(task["items"])  # each once more, on its own
                        continue
                if task["kind"] == "convert-many" and "results" in result:
                    for item, each in zip(task["items"], result["results"]):
                        if each["status"] == "retry":
                            tasks.append(item)
                        else:
                            finish(item["rel"], each)
                    continue
                finish(task["rel"], result)
            now = time.monotonic()
            for conn, worker in list(busy.items()):
                if worker.task is not None and now - worker.started > worker.task.get("limit", options.timeout):
                    task = worker.task
                    del busy[conn]
                    workers[workers.index(worker)] = _replace(worker, ctx)
                    if task["kind"] == "convert-many":
                        tasks.extend(task["items"])  # each once more, on its own
                        continue
                    finish(task["rel"], {
                        "status": "failed", "seconds": round(now - worker.started, 3),
                        "error": f"took longer than {options.timeout:g} s and was stopped; check the file, or allow more with --timeout",
                    })
    finally:
        for worker in workers:
            if worker.task is None:
                worker.stop()
            else:
                worker.kill()
        scratch.cleanup()
    return finished


def _replace(worker: _Worker, ctx: Any) -> _Worker:
    worker.kill()
    return _Worker(ctx, worker.scratch)


# --- the report ----------------------------------------------------------------------------


def write_report(out_dir: Path, result: BatchResult) -> None:
    """report.csv and report.json: one row per input file."""
    rows = [asdict(r) for r in result.rows]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REPORT_FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    write_atomically(out_dir / "report.csv", buffer.getvalue())
    summary = {s: result.count(s) for s in STATUSES}
    report = {"version": __version__, "interrupted": result.interrupted, "seconds": round(result.seconds, 3), "summary": summary, "files": rows}
    write_atomically(out_dir / "report.json", json.dumps(report, indent=2, ensure_ascii=False) + "\n")
