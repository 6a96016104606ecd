"""The journal under OUT_DIR/.msp-convert: what each run converted or failed on, so the next neither repeats nor retries at full cost."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any, Callable, Optional

from ..atomic import write_atomically
from ..version import __version__
from .files import STATE
from .outputs import numbered
from .redaction import REDACTION_VERSION, remove_copies
from .report import PLAN_FACTS, REDACTION_FACTS, BatchOptions, ReportRow, more_rows

JOURNAL = "journal.jsonl"


# --- the journal -------------------------------------------------------------------


def load_journal(out_dir: Path, force: bool) -> dict[str, dict[str, Any]]:
    """The last entry per file: converted (no ``status``) or ``failed``."""
    path = out_dir / STATE / JOURNAL
    if force or not path.exists():
        return {}
    done: dict[str, dict[str, Any]] = {}
    with open(path, encoding="utf-8", errors="surrogateescape") as handle:
        for line in handle:
            try:
                entry = json.loads(line)
                done[entry["path"]] = entry
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a crash or a full disk: that file is converted again
    return done


def forget(out_dir: Path, keep: Callable[[dict[str, Any]], bool]) -> None:
    """The journal written again (atomically) with only the entries ``keep`` holds to; not at all when it
    keeps them all. A line a crash cut short goes too (it was read as nothing)."""
    path = out_dir / STATE / JOURNAL
    if not path.exists():
        return
    lines = path.read_bytes().splitlines(keepends=True)
    kept = [line for line in lines if _keeps(line, keep)]
    if len(kept) != len(lines):
        write_atomically(path, b"".join(line if line.endswith(b"\n") else line + b"\n" for line in kept))


def _keeps(line: bytes, keep: Callable[[dict[str, Any]], bool]) -> bool:
    try:
        entry = json.loads(line)
    except ValueError:
        return False
    return isinstance(entry, dict) and keep(entry)


class JournalFile:
    """Appends one whole line per finished file, with one system call and no buffer
    left to fail again at close; a line a full disk cut short is ended before the next."""

    def __init__(self, path: Path, force: bool, earlier: Optional[dict[str, tuple[dict[str, Any], list[Path]]]] = None) -> None:
        # --redact: per row, an earlier run's copies of the file (``redaction.earlier_copies``), removed if it fails now
        self.earlier = earlier or {}
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if force else 0)
        self.fd = os.open(path, flags, 0o644)
        size = os.fstat(self.fd).st_size
        if size:
            with open(path, "rb") as handle:
                handle.seek(size - 1)
                if handle.read(1) != b"\n":
                    append_line(self.fd, b"\n")

    def add(self, entry: dict[str, Any]) -> None:
        append_line(self.fd, (json.dumps(entry) + "\n").encode("utf-8"))

    def close(self) -> None:
        os.close(self.fd)


def append_line(fd: int, data: bytes) -> None:
    """All of ``data`` at the end of the file, or ``OSError`` (a short write is a full disk)."""
    if os.write(fd, data) != len(data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# Failures the journal does not hold against a file: the cause may be gone on the next run.
_RETRIED_CODES = {
    "encrypted": "a password (--password-file) may open it next time",
    "crash": "a worker that died may have been killed for the machine's sake, not the file's",
    "missing-tool": "LibreOffice or Tesseract may have been installed since",
    "unreadable-file": "the file may be readable now (its permissions, a share that was offline)",
    "word-list-missing": "the word list redaction needs may have been installed since",
    "redaction-incomplete": "presidio's time limit depends on the machine's load, not only on the file",
}


def still_failing(previous: dict[str, Any], options: BatchOptions) -> bool:
    """Report an earlier failure again instead of converting at full cost: the same bytes
    and version fail the same way. Not with --retry-failed, not for ``_RETRIED_CODES``,
    and not for a time-out when this run allows more time."""
    if options.retry_failed or previous.get("status") != "failed" or previous.get("code") in _RETRIED_CODES:
        return False
    return not (previous.get("code") == "timeout" and options.timeout > float(previous.get("timeout") or 0))


def from_journal(row: ReportRow, previous: Optional[dict[str, Any]], options: BatchOptions, target: Path) -> bool:
    """Settle ``row`` from an earlier run of the same bytes and version: skipped, or failed again."""
    if not previous or previous.get("sha256") != row.sha256 or previous.get("version") != __version__ or previous.get("to", "json") != options.to:
        return False
    if options.key is not None and previous.get("redaction") != REDACTION_VERSION:  # a copy an older redaction engine made
        return False
    if previous.get("status") == "failed":
        if not still_failing(previous, options):
            return False
        row.status, row.output = "failed", ""
        row.error = f"{previous.get('error', '')} (as in an earlier run of the same file; --retry-failed tries it again)"
        return True
    if not all(path.exists() for path in numbered(target, 1 + len(previous.get("more") or []))):
        return False
    row.status = "skipped"
    for key in PLAN_FACTS:  # a journal written before a fact was reported leaves it empty
        setattr(row, key, previous.get(key, getattr(row, key)))
    return True


def record(row: ReportRow, result: dict[str, Any], journal: JournalFile, tables: Any, options: BatchOptions) -> list[ReportRow]:
    """A worker's answer into the report row, the journal (converted or failed) and the tables;
    the rows of the plans after the first, for a file that holds several.

    ``result["converting"]`` is set when the row was waiting for it (a skipped
    plan's answer brings only its table rows)."""
    result["converting"] = row.status == "pending"
    entry = {"path": row.path, "sha256": row.sha256, "version": __version__, "to": options.to}
    if options.key is not None:
        entry["redaction"] = REDACTION_VERSION
    counts = {k: result.get(k) for k in PLAN_FACTS if k not in REDACTION_FACTS or result.get(k) is not None}
    more: list[dict[str, Any]] = []
    if result.get("status") == "ok":
        if result["converting"]:  # the journal first: a row is converted only once it is recorded
            more = result.get("more") or []
            row.output = result.get("output", row.output)  # a redacted plan's output is named by its stem, known once read
            journal.add({**entry, "output": row.output, **counts, **({"more": more} if more else {})})
            row.status, row.seconds = "converted", result["seconds"]
            for key, value in counts.items():
                setattr(row, key, value)
        if tables is not None and result.get("tables"):
            tables.write(result["tables"])
    elif result["converting"]:
        error = result.get("error", "")
        kept, copies = journal.earlier.get(row.path, ({}, []))
        journal.add({**entry, "status": "failed", "error": error, "code": result.get("code", ""), "timeout": options.timeout, **kept})
        remove_copies(copies)  # after the entry that names them: a run stopped between removes them next time
        row.status, row.error, row.seconds, row.output = "failed", error, result.get("seconds"), ""
    return more_rows(row, more)
