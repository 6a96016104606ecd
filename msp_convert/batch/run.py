"""The run: what is to do, the workers on it, and the report at the end."""

from __future__ import annotations

import contextlib
import time
from collections import deque
from pathlib import Path
from typing import Any, Callable, Optional

from ..atomic import check_writable, remove_stale, write_problem
from ..errors import InputError
from .files import STATE, Found, discover, output_paths, sha256_of
from .outputs import numbered_names, origins_names
from . import reviewed
from .journal import JOURNAL, JournalFile, forget, from_journal, load_journal
from .redaction import check_link_file, clear_tables, copy_name, earlier_copies, keyed, one_kind, prune_copies, redacted_names, remove_copies, stem_of, write_links
from .report import BatchOptions, BatchResult, OutputError, Progress, ReportRow, more_rows, write_report
from .workers import Stopped, run_tasks

LEGACY = ("doc", "rtf", "odt")
# Legacy files go to a worker this many at a time: one LibreOffice start-up
# (about a second) serves them all.
LEGACY_CHUNK = 8
WRITE_FAILED = "an output could not be written"  # why a batch stopped, unless it says otherwise


def _folders(options: BatchOptions, key_file: Optional[Path]) -> tuple[Path, Path]:
    """IN_DIR and OUT_DIR resolved, the link file checked (``LinkFileError``, before OUT_DIR exists), OUT_DIR
    made ready (writable, one kind of output: redacted or not, what a killed run left removed);
    ``InputError`` / ``OutputError`` in one line."""
    in_dir, out_dir = options.in_dir.resolve(), options.out_dir.resolve()
    if not in_dir.is_dir():
        raise InputError(f"{options.in_dir} is not a folder; give the folder that holds the plans")
    if out_dir == in_dir:
        raise InputError("the output folder is the input folder, whose plans would be overwritten; choose another -o")
    if options.link_file is not None:
        check_link_file(options.link_file, out_dir, in_dir, key_file)  # the one check: nothing read or made yet
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        check_writable(out_dir)
        one_kind(out_dir, options.key, options.force)  # first: a folder refused is left as it was (its temporaries too)
        remove_stale(out_dir)
        (out_dir / STATE).mkdir(exist_ok=True)
    except OSError as err:
        raise OutputError(write_problem(err, out_dir)) from None
    return in_dir, out_dir


def _report(out_dir: Path, result: BatchResult) -> None:
    """report.csv and report.json written, or neither (an older run's would not tell what is on disk now)."""
    try:
        write_report(out_dir, result)
    except OSError as err:
        for name in ("report.csv", "report.json"):
            with contextlib.suppress(OSError):
                (out_dir / name).unlink()
        raise OutputError(f"{write_problem(err, out_dir)}; no report was written (the journal keeps what was done)") from None


def run_batch(
    options: BatchOptions, progress: Optional[Progress] = None, scheduler: Optional[str] = None,
    notice: Optional[Callable[[str], None]] = None, key_file: Optional[Path] = None,
) -> BatchResult:
    """Convert every plan under ``options.in_dir`` into ``options.out_dir``.

    With ``scheduler`` (a Dask scheduler's address, or ``local:N``) the files
    are converted on that cluster (``batch.cluster``), otherwise by this
    machine's worker processes (``options.jobs``); the outputs, journal and
    report are the same. ``notice`` is given a line worth telling (with --redact: copies removed
    because no input names them any more). ``key_file``: the --redact key's file, which a
    --link-file must not be (``LinkFileError``).

    Raises ``InputError`` for a bad IN_DIR and ``OutputError`` when OUT_DIR
    cannot be written at all; a write that fails mid-batch (a full disk)
    stops it cleanly, and ``BatchResult.stopped`` says why.
    """
    started = time.monotonic()
    in_dir, out_dir = _folders(options, key_file)
    reviews = {} if options.key is not None else reviewed.load(out_dir)  # no review of redacted plans
    found, links = _found(in_dir, out_dir, options)
    rows, tasks, earlier = _tasks(found, options, out_dir, {} if options.force else reviews)
    total = len(rows)
    finished = 0
    for row in rows.values():
        if row.status != "pending":
            finished += 1
            if progress is not None:
                progress(row, finished, total)
    journal, tables = _open_records(out_dir, options, earlier)
    interrupted, stopped, why = False, "", WRITE_FAILED
    try:
        run_tasks(options, tasks, rows, journal, tables, progress, finished, total, scheduler)
    except KeyboardInterrupt:
        interrupted = True
    except Stopped as stop:
        stopped, why = stop.reason, getattr(stop, "why", WRITE_FAILED)  # a cluster with no worker says so (cluster.NoWorkers)
    finally:
        stopped = _close_records(journal, tables, interrupted or bool(stopped), out_dir) or stopped
        remove_stale(out_dir)  # what a killed worker, or a write a full disk cut short, left
    _settle(rows, "the batch was interrupted" if interrupted else f"the batch stopped, as {why}", options.force, reviews, out_dir)
    redacted = options.key is not None
    if redacted and not interrupted and not stopped:
        stopped = _mirror(out_dir, rows, notice)
    result = BatchResult(sorted(rows.values(), key=lambda r: r.path), time.monotonic() - started, interrupted, stopped, "" if redacted else str(in_dir), redacted)
    _report(out_dir, result)
    if options.link_file is not None:
        _links(options.link_file, links, rows)
    return result


def _links(link_file: Path, links: dict[str, str], rows: dict[str, ReportRow]) -> None:
    try:
        write_links(link_file, links, rows)
    except OSError as err:
        raise OutputError(f"--link-file: {write_problem(err, link_file.parent)}") from None


def _mirror(out_dir: Path, rows: dict[str, ReportRow], notice: Optional[Callable[[str], None]]) -> str:
    """A finished --redact run: OUT_DIR mirrors IN_DIR. Every copy no row of this run names (a deleted
    input's, an older one a duplicate or a failure left, one a killed run wrote before its journal line)
    removed, then the journal entries of files no longer found and the converted entries naming a removed
    copy (a failed entry stays: it says "failed again" next time); said in one line, never by name. A write
    that fails is the run's reason to stop (the report is still written), as a full disk mid-batch is."""
    try:
        removed = prune_copies(out_dir, {row.output for row in rows.values() if row.output})
        forget(out_dir, lambda entry: _still(entry, rows, removed))
    except OSError as err:
        return write_problem(err, out_dir)
    if removed and notice is not None:
        notice(f"removed {len(removed)} cop{'y' if len(removed) == 1 else 'ies'} that no input makes now")
    return ""


def _still(entry: dict[str, Any], rows: dict[str, ReportRow], removed: "set[str]") -> bool:
    """Whether a journal entry stays after the mirror (a path that is no string, from a damaged line, goes)."""
    path = entry.get("path")
    return isinstance(path, str) and path in rows and (entry.get("status") == "failed" or copy_name(entry) not in removed)

def _found(in_dir: Path, out_dir: Path, options: BatchOptions) -> tuple[list[Found], dict[str, str]]:
    """The files to take; with --redact each named by its row id (``batch.redaction``), and the ids' paths."""
    found = list(discover(in_dir, out_dir))
    return redacted_names(found, options.key) if options.key is not None else (found, {})


def _settle(rows: dict[str, ReportRow], why: str, force: bool, reviews: dict[str, str], out_dir: Path) -> None:
    """The rows' last word: a file left pending failed (``why``: the batch was interrupted or stopped), a plan
    converted again under --force is no longer the one a person reviewed, and each row's review state."""
    for row in rows.values():
        if row.status == "pending":
            row.status, row.error, row.output = "failed", f"not converted: {why}; run it again to resume", ""
    if force and reviews:
        reviewed.forget(out_dir, [r.output for r in rows.values() if r.status == "converted"])
    for row in rows.values():
        row.review = reviews.get(row.output, "") if row.output and row.status in ("reviewed", "skipped") else ""


def _tasks(
    found: list[Found], options: BatchOptions, out_dir: Path, reviews: dict[str, str]
) -> tuple[dict[str, ReportRow], deque[dict[str, Any]], dict[str, tuple[dict[str, Any], list[Path]]]]:
    """A report row per file, and the work still to do: what the journal holds is not done twice,
    and a file whose plan a person reviewed (``reviews``) is not converted again. With --redact,
    the earlier copies of each file that a failure now removes (``JournalFile.earlier``)."""
    work = _Work(found, options, out_dir, reviews)
    for f in found:
        work.take(f)
    return work.rows, work.queue(), work.earlier


class _Work:
    """What a run is to do, settled a file at a time: its report rows, its tasks (legacy files in chunks
    at the front), and with --redact each file's earlier copies (``batch.redaction.earlier_copies``)."""

    def __init__(self, found: list[Found], options: BatchOptions, out_dir: Path, reviews: dict[str, str]) -> None:
        self.options, self.out_dir, self.reviews, self.key = options, out_dir, reviews, options.key
        self.outputs = _outputs(found, options)
        self.others = numbered_names(list(self.outputs.values()))  # names a file's plan 2, 3 ... must not take
        self.sides = [str(out_dir / rel) for rel in origins_names(list(self.outputs.values()))]  # outputs an origins file must not replace
        self.done = load_journal(out_dir, options.force)
        self.rows: dict[str, ReportRow] = {}
        self.first_of: dict[str, str] = {}
        self.tasks: deque[dict[str, Any]] = deque()
        self.legacy: list[dict[str, Any]] = []
        self.sums = {f.rel: _checksum(f) for f in found if f.format}
        # --redact: each stem this run's files are named by, and the first file with its checksum (whose copy it names)
        self.taken: dict[str, str] = {}
        for rel, raw in self.sums.items():
            if self.key is not None and isinstance(raw, str):
                self.taken.setdefault(stem_of(self.key, raw), rel)
        self.earlier: dict[str, tuple[dict[str, Any], list[Path]]] = {}

    def take(self, f: Found) -> None:
        """The file's report row, and its task unless the journal or a review settles it."""
        raw = self.sums.get(f.rel, "")
        if not f.format or isinstance(raw, OSError):
            self.rows[f.rel] = _unread(f, raw)
            return
        sha = raw if self.key is None else keyed(self.key, raw)
        row = self.rows[f.rel] = ReportRow(f.rel, f.format, "pending", sha256=sha, output=self.outputs[f.rel])
        previous = self.done.get(f.rel)
        if self.key is not None:
            self.earlier[f.rel] = earlier_copies(self.out_dir, previous, self.taken, f.rel)
        if sha in self.first_of:
            row.status, row.duplicate_of, row.output = "duplicate", self.first_of[sha], ""
            self._remove_earlier(f.rel)  # --redact: a copy of what the file held before
            return
        self.first_of[sha] = f.rel
        if self.key is not None:  # named by the redacted plan's stem, once read; an earlier run's as it named it
            earlier = copy_name(previous)  # of the same format only: --to docx after json names anew
            row.output = self.outputs[f.rel] = earlier if earlier.endswith("." + self.options.to) else ""
        target = self.out_dir / (self.outputs[f.rel] or "redacted." + self.options.to)
        task = self._task(f, target)
        if self._settled(row, previous, task, target):
            return
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(write_problem(err, target.parent)) from None
        (self.legacy if f.format in LEGACY else self.tasks).append({**task, "kind": "convert", "format": f.format})

    def _task(self, f: Found, target: Path) -> dict[str, Any]:
        options, name = self.options, self.outputs[f.rel]
        return {
            "rel": f.rel, "src": str(f.path), "out": str(target), "tables": options.tables,
            "password": options.password, "to": options.to, "template": options.template, "taken": self.others.get(name, []),
            "sides_taken": self.sides, **(_redacting(self.key, self.earlier[f.rel][1]) if self.key is not None else {}),
        }

    def _settled(self, row: ReportRow, previous: Optional[dict[str, Any]], task: dict[str, Any], target: Path) -> bool:
        """A reviewed file, or one the journal settles (skipped, or failed again); the tables still read for it."""
        more = reviewed.settle(row, previous, self.reviews, self.out_dir, self.options.to)
        if more is not None:
            self.rows.update((extra.path, extra) for extra in more)
            if self.options.tables:
                self.tasks.append({**task, "kind": "tables", "plans": 1 + len(more)})
            return True
        if not from_journal(row, previous, self.options, target):
            return False
        more = (previous or {}).get("more") or [] if row.status == "skipped" else []  # a failed file has no plans
        self.rows.update((extra.path, extra) for extra in more_rows(row, more))
        if self.options.tables and row.status == "skipped":
            self.tasks.append({**task, "kind": "tables", "plans": 1 + len(more)})
        if row.status == "failed":
            self._remove_earlier(row.path)  # --redact: what a run stopped after its failure left
        return True

    def _remove_earlier(self, rel: str) -> None:
        try:
            remove_copies(self.earlier.get(rel, ({}, []))[1])
        except OSError as err:
            raise OutputError(write_problem(err, self.out_dir)) from None

    def queue(self) -> deque[dict[str, Any]]:
        """The tasks, legacy files first in chunks: one LibreOffice start-up serves a chunk."""
        for start in range(0, len(self.legacy), LEGACY_CHUNK):
            chunk = self.legacy[start:start + LEGACY_CHUNK]
            budget = self.options.timeout * len(chunk)  # LibreOffice's own limit; the worker's a little more
            self.tasks.appendleft({"kind": "convert-many", "items": chunk, "rel": chunk[0]["rel"], "timeout": budget, "limit": budget + 10})
        return self.tasks


def _checksum(f: Found) -> "str | OSError":
    """The file's sha256, or why it could not be read."""
    try:
        return sha256_of(f.path)
    except OSError as err:
        return err


def _unread(f: Found, err: "str | OSError") -> ReportRow:
    """The row of a file not taken (not a plan format), or not readable."""
    if not f.format:
        return ReportRow(f.rel, "", "ignored", error=f.ignored_because)
    assert isinstance(err, OSError)
    return ReportRow(f.rel, f.format, "failed", error=f"could not be read ({err.strerror or type(err).__name__}); check you may read it")


def _redacting(key: bytes, copies: list[Path]) -> dict[str, Any]:
    """A --redact task's key, and an earlier run's copies of the file, which a changed input's new ones replace."""
    return {"key": key, "replaces": [str(path) for path in copies]}


def _outputs(found: list[Found], options: BatchOptions) -> dict[str, str]:
    """Each input's output, relative to OUT_DIR; with --redact none yet (the redacted plan's stem names it)."""
    if options.key is not None:
        return {f.rel: "" for f in found if f.format}
    return output_paths([f for f in found if f.format], "." + options.to)


def _open_records(out_dir: Path, options: BatchOptions, earlier: dict[str, tuple[dict[str, Any], list[Path]]]) -> tuple[JournalFile, Any]:
    """The journal (with --redact, each file's earlier copies, which a failure removes), and the tables' files when asked for."""
    try:
        journal = JournalFile(out_dir / STATE / JOURNAL, options.force, earlier)
    except OSError as err:
        raise OutputError(write_problem(err, out_dir / STATE)) from None
    if options.key is not None:  # --redact: an earlier run's tables keep rows of copies this run may remove,
        _clear_tables(out_dir, journal)  # gone now, not at the end: a run killed on the way leaves none
    if not options.tables:
        return journal, None
    from ..writers.tables import TableWriter

    try:
        return journal, TableWriter(out_dir)
    except OSError as err:
        journal.close()
        raise OutputError(write_problem(err, out_dir)) from None


def _clear_tables(out_dir: Path, journal: JournalFile) -> None:
    try:
        clear_tables(out_dir)
    except OSError as err:
        journal.close()
        raise OutputError(write_problem(err, out_dir)) from None


def _close_records(journal: JournalFile, tables: Any, abort: bool, out_dir: Path) -> str:
    """Close the journal; the tables renamed into place, or dropped when the batch did not finish
    (with --redact the earlier run's are gone already: ``_open_records``). Why they could not be finished, or ""."""
    journal.close()
    if tables is None:
        return ""
    try:
        if abort:
            tables.abort()
        else:
            tables.close()
    except OSError as err:
        return write_problem(err, out_dir)
    return ""
