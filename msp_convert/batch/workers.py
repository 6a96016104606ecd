"""The worker processes: each file converted under a time limit, written atomically, its answer sent back."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import tempfile
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Optional

from ..atomic import write_problem
from ..errors import InputError
from ..model import Plan
from ..mapping.origins import Origins
from ..reader import read_all_result, read_all_with_origins
from ..template import choose
from ..results import PageDone
from ..writers.json import to_json
from .journal import JournalFile, record
from .outputs import numbered, origins_path, write_all
from .report import BatchOptions, Progress, ReportRow, plan_path

# Test hook: a worker converting a file whose relative path contains this
# value sleeps far past any time limit, as a hung conversion would.
HANG_HOOK = "MSP_CONVERT_TEST_HANG"


# --- the workers ---------------------------------------------------------------------


def convert_many(task: dict[str, Any]) -> dict[str, Any]:
    """Legacy files, in a worker: one LibreOffice run for all, then each read."""
    from ..parsers.legacy import to_docx_many

    items = task["items"]
    try:
        sources = [(item["data"] if "data" in item else Path(item["src"]).read_bytes(), item["format"]) for item in items]
        converted = to_docx_many(sources, timeout=task["timeout"])
    except InputError as err:  # LibreOffice is missing: the same answer for each
        return {"results": [{"rel": i["rel"], "status": "failed", "error": err.message, "code": _code(err), "seconds": 0.0} for i in items]}
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
    is then per page, as a 40-page scan is slow but alive. A task with
    ``"data"`` (its bytes, and ``"name"``) is read from them, not from ``"src"``;
    one with ``"send_back"`` returns its outputs (``"outputs"``, and ``"stale"``
    origins files to remove) for the caller to write (``write_outputs``): a
    cluster's worker has no disk in common with the batch (``batch.cluster``).
    """
    start = time.perf_counter()
    hang = os.environ.get(HANG_HOOK)
    if hang and hang in task["rel"]:
        time.sleep(3600)
    out: dict[str, Any] = {"rel": task["rel"]}
    try:
        plans, origins = _plans_of(task, converted, beat)
        plans, origins, task, extra = _redacted(task, plans, origins)
        if task["kind"] != "tables":
            outputs, stale = plan_outputs(task, plans, origins)
            if task.get("send_back"):
                out.update(outputs=[(str(path), data) for path, data in outputs], stale=[str(path) for path in stale])
            else:
                write_outputs(outputs, stale)
        out.update(status="ok", **plan_facts(plans[0]), **extra[0])
        if task.get("key") is not None:
            out["output"] = Path(task["out"]).name  # a redacted plan's, by its stem: flat in OUT_DIR
        if len(plans) > 1:  # a row each in the report: file.docx#2 ...
            out["more"] = [{**plan_facts(plan), **more} for plan, more in zip(plans[1:], extra[1:])]
        if task["tables"]:
            out["tables"] = _table_rows(plans, task["rel"])
    except _WriteFailed as failed:  # the output folder's fault, not the file's: the batch stops
        out.update(status="write-failed", error=write_problem(failed.err, Path(task["out"]).parent), errno=failed.err.errno)
    except InputError as err:
        out.update(status="failed", error=err.message, code=_code(err))
    except OSError as err:  # the input vanished, or may not be read
        out.update(unreadable(err))
    except Exception as err:  # a bug of ours: name it, never the content
        out.update(internal(err))
    out["seconds"] = round(time.perf_counter() - start, 3)
    return out


def unreadable(err: OSError) -> dict[str, Any]:
    """The answer of a file whose input vanished or may not be read."""
    return {"status": "failed", "error": f"could not be read ({err.strerror or type(err).__name__}); check it is there and you may read it", "code": "unreadable-file"}


def internal(err: BaseException) -> dict[str, Any]:
    """The answer of a file a bug of ours stopped: the error's type, never the content."""
    return {"status": "failed", "error": f"internal error while converting ({type(err).__name__}); report it", "code": "internal"}


class _WriteFailed(Exception):
    def __init__(self, err: OSError) -> None:
        super().__init__(str(err))
        self.err = err


def plan_facts(plan: Plan) -> dict[str, Any]:
    """What the report says of a converted plan (report.PLAN_FACTS): counts, template, verdict, placed share."""
    from ..writers.tables import placed_share

    return {
        "warnings": len(plan.warnings), "outcomes": len(plan.outcomes), "provision": len(plan.provision),
        "template": plan.template.id, "verdict": plan.coverage.verdict, "placed_share": placed_share(plan.coverage),
    }


def _plans_of(task: dict[str, Any], converted: Optional[bytes], beat: Optional[PageDone]) -> tuple[list[Plan], list[Origins]]:
    """Every plan the file holds (``reader.read_all``) and where each one's fields were read;
    for a skipped file's tables, an earlier run's outputs."""
    if task["kind"] == "tables" and task["to"] == "json":  # an earlier run's outputs, for this run's tables
        texts = task.get("earlier") or [path.read_text(encoding="utf-8") for path in numbered(Path(task["out"]), task.get("plans", 1))]
        return [Plan.model_validate_json(text) for text in texts], []
    source: dict[str, Any] = {"data": task["data"], "filename": task["name"]} if "data" in task else {"path": task["src"]}
    if task["kind"] == "tables":
        return read_all_result(**source, password=task["password"], profile=choose(task.get("template"))).value, []
    found, origins = read_all_with_origins(**source, password=task["password"], converted=converted, on_page=beat, profile=choose(task.get("template")))
    return found.value, origins


def _redacted(
    task: dict[str, Any], plans: list[Plan], origins: list[Origins]
) -> tuple[list[Plan], list[Origins], dict[str, Any], list[dict[str, Any]]]:
    """With --redact (``task["key"]``), the plans redacted in memory right after the read, before any
    output exists (``batch.redaction``): no origins (they quote the original text), the output named by
    the redacted plan's stem, and each plan's counts for its report row. Otherwise all as they were."""
    key = task.get("key")
    if key is None:
        return plans, origins, task, [{} for _ in plans]
    if task["kind"] == "tables" and task["to"] == "json":  # an earlier run's outputs: redacted already
        return plans, [], task, [{} for _ in plans]
    from .redaction import facts, redact_plans

    done = redact_plans(plans, key)
    out = Path(task["out"])
    out = out.with_name(done[0].stem + out.suffix)
    return [d.plan for d in done], [], {**task, "out": str(out)}, [facts(d) for d in done]


def plan_outputs(task: dict[str, Any], plans: list[Plan], origins: list[Origins]) -> "tuple[list[tuple[Path, str | bytes]], list[Path]]":
    """What to write: plan.json, and for a file of several plans plan-2.json ...; beside each plan
    whose fields' places are known (a PDF, a scan), plan.origins.json. And the older origins files
    beside plans that now have none, to remove (they would point at another reading); with --redact,
    the earlier copies of a changed input (``task["replaces"]``: named by its old checksum's stem)."""
    if task["to"] == "docx":
        from ..writers.docx import write_docx

        datas: "list[str | bytes]" = [write_docx(plan, mode="new") for plan in plans]
    else:
        datas = [to_json(plan) for plan in plans]
    paths = numbered(Path(task["out"]), len(plans))
    clash = next((k for k, path in enumerate(paths[1:], 2) if path.name in task.get("taken", ())), None)
    if clash is not None:
        raise InputError(
            f"it holds {len(plans)} plans and plan {clash}'s output would overwrite another file's; "
            "convert this file on its own with 'msp-convert convert FILE -o NAME.json'"
        )
    sides = [(origins_path(path), kept) for path, kept in zip(paths, origins) if str(origins_path(path)) not in task.get("sides_taken", ())]
    written = [(side, json.dumps(kept.to_dict(), indent=1) + "\n") for side, kept in sides if kept.fields]
    replaced = [Path(old) for old in task.get("replaces", ()) if Path(old) not in paths]  # a changed input's earlier redacted copies
    return list(zip(paths, datas)) + written, [side for side, kept in sides if not kept.fields] + replaced


def write_outputs(outputs: "list[tuple[Path, str | bytes]]", stale: list[Path]) -> None:
    """``plan_outputs``' files all written, or none; then the stale origins files removed.
    ``_WriteFailed`` when the output folder cannot take them."""
    try:
        write_all(outputs)
        for side in stale:
            side.unlink(missing_ok=True)
    except OSError as err:
        raise _WriteFailed(err) from None


def _table_rows(plans: list[Plan], rel: str) -> dict[str, list[dict[str, str]]]:
    """The tables' rows of every plan, each named by its report row (file.docx, file.docx#2 ...)."""
    from ..writers.tables import plan_rows

    rows: dict[str, list[dict[str, str]]] = {}
    for k, plan in enumerate(plans, 1):
        for table, lines in plan_rows(plan, plan_path(rel, k, len(plans))).items():
            rows.setdefault(table, []).extend(lines)
    return rows


def _code(err: InputError) -> str:
    """The error's code; a missing LibreOffice or Tesseract ("..., which is not installed") is the machine's, not the file's."""
    return "missing-tool" if "which is not installed" in err.message else err.code


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
            conn.send(convert_many(task))
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


class Stopped(Exception):
    """An output could not be written mid-batch (a full disk): stop, keeping what is done."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def run_tasks(
    options: BatchOptions,
    tasks: deque[dict[str, Any]],
    rows: dict[str, ReportRow],
    journal: JournalFile,
    tables: Any,
    progress: Optional[Progress],
    finished: int,
    total: int,
    scheduler: Optional[str] = None,
) -> int:
    """Every task through the workers (with ``scheduler``, a Dask cluster's: ``batch.cluster``); each
    answer into the rows, journal and tables as it comes.
    Raises ``Stopped`` when an output, the journal or the tables cannot be written."""
    if not tasks:
        return finished
    if scheduler:
        from .cluster import cluster_pool

        pool: Any = cluster_pool(scheduler, options, tasks)
    else:
        pool = _Pool(options, tasks)
    try:
        while tasks or pool.busy:
            pool.assign()
            for rel, result in [*pool.answers(), *pool.overdue()]:
                if take_answer(rows, rel, result, journal, tables, options):
                    finished += 1
                    if progress is not None:
                        progress(rows[rel], finished, total)
    finally:
        pool.close()
    return finished


CRASH = {"status": "failed", "error": "the converter stopped unexpectedly on this file; report it", "code": "crash"}


def timed_out(seconds: float, timeout: float) -> dict[str, Any]:
    """The answer of a file stopped after ``seconds``, past its time limit (the pool's and a cluster's)."""
    return {
        "status": "failed", "seconds": round(seconds, 3), "code": "timeout",
        "error": f"took longer than {timeout:g} s and was stopped; check the file, or allow more with --timeout",
    }


def take_answer(rows: dict[str, ReportRow], rel: str, result: dict[str, Any], journal: JournalFile, tables: Any, options: BatchOptions) -> bool:
    """A file's answer into its report row (and those of its plans after the first), the journal
    and the tables; True when the row was waiting for it. ``Stopped`` when they cannot be written."""
    if result.get("status") == "write-failed":
        raise Stopped(result["error"])  # the file stays pending: converted on the next run
    try:
        for extra in record(rows[rel], result, journal, tables, options):
            rows[extra.path] = extra
    except OSError as err:
        raise Stopped(write_problem(err, options.out_dir)) from None
    return bool(result.get("converting"))


class _Pool:
    """The workers, the task each is on, and the queue they take from."""

    def __init__(self, options: BatchOptions, tasks: deque[dict[str, Any]]) -> None:
        self.options, self.tasks = options, tasks
        self.ctx = multiprocessing.get_context("spawn" if os.name != "posix" else "fork")
        self.scratch = tempfile.TemporaryDirectory(prefix="msp-convert-batch-")  # 0700; removed in close, whatever happens
        self.workers = [_Worker(self.ctx, self.scratch.name) for _ in range(max(1, min(options.jobs, len(tasks))))]
        self.busy: dict[Connection, _Worker] = {}

    def assign(self) -> None:
        for worker in self.workers:
            if worker.task is None and self.tasks:
                worker.give(self.tasks.popleft())
                self.busy[worker.conn] = worker

    def answers(self) -> list[tuple[str, dict[str, Any]]]:
        """(file, result) for each answer in within a quarter second; a died worker's file failed."""
        done: list[tuple[str, dict[str, Any]]] = []
        for conn in wait(list(self.busy), timeout=0.25):
            worker = self.busy.pop(conn)  # type: ignore[arg-type]
            task = worker.task
            assert task is not None
            try:
                result = conn.recv()  # type: ignore[union-attr]
                if "beat" in result:  # a page of a scan read: its time limit starts again
                    worker.started = time.monotonic()
                    self.busy[conn] = worker  # type: ignore[index]
                    continue
                worker.task = None
            except (EOFError, OSError):
                result = dict(CRASH)
                if self._lost(worker):
                    continue
            if task["kind"] == "convert-many" and "results" in result:
                for item, each in zip(task["items"], result["results"]):
                    if each["status"] == "retry":
                        self.tasks.append(item)
                    else:
                        done.append((item["rel"], each))
                continue
            done.append((task["rel"], result))
        return done

    def overdue(self) -> list[tuple[str, dict[str, Any]]]:
        """(file, its time-out) for each worker past its limit, which is replaced."""
        done: list[tuple[str, dict[str, Any]]] = []
        now = time.monotonic()
        for conn, worker in list(self.busy.items()):
            task = worker.task
            if task is not None and now - worker.started > task.get("limit", self.options.timeout):
                del self.busy[conn]
                if not self._lost(worker):
                    done.append((task["rel"], timed_out(now - worker.started, self.options.timeout)))
        return done

    def _lost(self, worker: _Worker) -> bool:
        """Replace a worker that died or was stopped; True if its task was a legacy chunk, whose files go back in the queue, each on its own."""
        task = worker.task
        assert task is not None
        worker.task = None
        self.workers[self.workers.index(worker)] = _replace(worker, self.ctx)
        if task["kind"] == "convert-many":
            self.tasks.extend(task["items"])
            return True
        return False

    def close(self) -> None:
        for worker in self.workers:
            if worker.task is None:
                worker.stop()
            else:
                worker.kill()
        self.scratch.cleanup()


def _replace(worker: _Worker, ctx: Any) -> _Worker:
    worker.kill()
    return _Worker(ctx, worker.scratch)
