"""The plans under review: found from a batch's report.json or one plan file, named by ids, read, saved, approved.

Each plan is named by an id, the first 12 hex digits of the sha256 of its
output path (``a/b/plan.json``): a request never carries a path, so no request
can name a file the store did not list. Saving validates a whole plan against
the model (``reader.read_json``: each problem at its JSON path, never with its
value), keeps the reader's first version as ``NAME.read.json``, writes the plan
atomically over ``NAME.json``, appends each changed value to the review journal
and marks the plan corrected (``batch.reviewed``: review.json and the report's
``review`` column).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Optional

from ..atomic import write_atomically, write_problem
from ..batch.files import STATE
from ..errors import InputError
from ..model import Plan, Source
from ..reader import PlanJsonError, read_json
from ..writers.json import to_json
from . import journal

REPORT = "report.json"
REVIEWABLE = ("converted", "skipped", "reviewed")  # report rows whose plan is on disk
EMPTY_ORIGINS: dict[str, Any] = {"version": 1, "pages": [], "fields": {}}


class NotFound(Exception):
    """No plan has this id."""


class Invalid(Exception):
    """A plan sent to be saved that is not a valid plan: ``errors`` as [{"path", "message"}]."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


class Conflict(Exception):
    """The plan was saved by someone else since it was read (its etag is not the one given)."""


def etag(data: bytes) -> str:
    """A plan file's version, as HTTP's ETag and If-Match write it."""
    return '"' + hashlib.sha256(data).hexdigest()[:20] + '"'


class WriteFailed(Exception):
    """A file could not be written; ``message`` says where, why and what to do (no content)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def plan_id(rel: str) -> str:
    return hashlib.sha256(rel.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container's user with no passwd line)
        return "unknown"


@dataclass(frozen=True)
class Entry:
    id: str
    rel: str  # the plan's path under the output folder, POSIX
    path: Path  # NAME.json
    source: str  # the input's name (batch: its path under IN_DIR, with #k for a file's k-th plan)
    original: Optional[Path]  # the document it was read from, when it can be found

    def beside(self, kind: str) -> Path:
        """NAME.read.json, NAME.origins.json ... beside NAME.json."""
        return self.path.with_name(f"{self.path.stem}.{kind}.json")


class Store:
    """The plans of one output folder (``out_dir``) and their review state."""

    def __init__(self, out_dir: Path, entries: list[Entry]) -> None:
        self.out_dir = out_dir
        self.state = out_dir / STATE
        self.entries = {e.id: e for e in entries}
        self.lock = threading.Lock()
        self._summaries: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}

    # --- reading --------------------------------------------------------------------------

    def entry(self, plan_id: str) -> Entry:
        found = self.entries.get(plan_id)
        if found is None:
            raise NotFound(plan_id)
        return found

    def plan_bytes(self, plan_id: str) -> bytes:
        return self.entry(plan_id).path.read_bytes()

    def plan(self, plan_id: str) -> Plan:
        return Plan.model_validate_json(self.plan_bytes(plan_id))

    def origins(self, plan_id: str) -> Any:
        """NAME.origins.json's content, or an empty one (a Word original, or none written)."""
        path = self.entry(plan_id).beside("origins")
        try:
            return json.loads(path.read_bytes())
        except (OSError, ValueError):
            return EMPTY_ORIGINS

    def reviews(self) -> dict[str, str]:
        """Output path -> "corrected" or "approved", for the plans a person has touched."""
        from ..batch import reviewed

        return reviewed.load(self.out_dir)

    def plans(self) -> list[dict[str, Any]]:
        """Every plan's summary, with ``priority`` (0 first): to approve before approved, then
        a verdict short of complete, then more warnings, then less placed."""
        reviews = self.reviews()
        rows = [{**self._summary(e), "review": reviews.get(e.rel, "")} for e in self.entries.values()]
        order = sorted(range(len(rows)), key=lambda i: _urgency(rows[i]))
        for rank, i in enumerate(order):
            rows[i]["priority"] = rank
        return rows

    def meta(self, reviewer: str) -> dict[str, Any]:
        reviews = self.reviews()
        approved = sum(1 for e in self.entries.values() if reviews.get(e.rel) == "approved")
        return {"approved": approved, "total": len(self.entries), "reviewer": reviewer}

    def _summary(self, entry: Entry) -> dict[str, Any]:
        """What the queue shows of a plan, read from its JSON (cached while the file is unchanged)."""
        try:
            stat = entry.path.stat()
            key = (stat.st_mtime_ns, stat.st_size)
            cached = self._summaries.get(entry.id)
            if cached is None or cached[0] != key:
                data = json.loads(entry.path.read_bytes())
                cached = (key, summary(entry, data if isinstance(data, dict) else {}))
                self._summaries[entry.id] = cached
            return dict(cached[1])
        except (OSError, ValueError):  # moved away, or edited by hand into something else: listed, to be looked at
            return {**summary(entry, {}), "problem": "the plan's file cannot be read as JSON"}

    # --- writing --------------------------------------------------------------------------

    def save(self, plan_id: str, body: bytes, reviewer: str, expected: Optional[str] = None) -> dict[str, Any]:
        """Validate and write a whole plan; {"review", "changes", "etag"}. ``Invalid``, ``WriteFailed``;
        ``Conflict`` when ``expected`` (the etag it was read with) is not the file's now."""
        entry = self.entry(plan_id)
        with self.lock:
            before = entry.path.read_bytes()
            if expected is not None and expected != etag(before):
                raise Conflict()
            old = _loaded(before)
            plan = validated(body, entry.path.name, old.get("source"))
            text = to_json(plan)
            lines = journal.lines(entry.rel, reviewer, old, json.loads(text))
            if not lines:
                return {"review": self.reviews().get(entry.rel, ""), "changes": 0, "etag": etag(before)}
            try:
                if not entry.beside("read").exists():  # the reader's first version, kept once
                    write_atomically(entry.beside("read"), before)
                write_atomically(entry.path, text)
                journal.append(self.state, lines)
                self._mark(entry, "corrected", reviewer)
            except OSError as err:
                raise WriteFailed(write_problem(err, entry.path.parent)) from None
        return {"review": "corrected", "changes": len(lines), "etag": etag(text.encode("utf-8"))}

    def approve(self, plan_id: str, reviewer: str) -> dict[str, Any]:
        entry = self.entry(plan_id)
        with self.lock:
            try:
                self._mark(entry, "approved", reviewer)
            except OSError as err:
                raise WriteFailed(write_problem(err, self.out_dir)) from None
        return {"review": "approved"}

    def _mark(self, entry: Entry, review: str, reviewer: str) -> None:
        from ..batch import reviewed

        reviewed.mark(self.out_dir, entry.rel, review, reviewer)


def _loaded(data: bytes) -> dict[str, Any]:
    """A stored plan's JSON; {} for a file broken on disk (the plan saved over it is then all new)."""
    try:
        found = json.loads(data)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _urgency(row: dict[str, Any]) -> tuple:
    share = row["placed_share"]
    return (row["review"] == "approved", row["verdict"] == "complete", -row["warning_count"], share if share is not None else -1.0, row["file"])


def summary(entry: Entry, data: dict[str, Any]) -> dict[str, Any]:
    """A plan's line in the queue, from its JSON: verdict, placed share, warnings by code."""
    coverage = data.get("coverage") or {}
    words, placed = coverage.get("words") or 0, coverage.get("placed") or 0
    counts: dict[str, int] = {}
    for warning in data.get("warnings") or []:
        counts[warning.get("code", "")] = counts.get(warning.get("code", ""), 0) + 1
    return {
        "id": entry.id, "file": entry.rel, "source": entry.source, "verdict": coverage.get("verdict", ""),
        "placed_share": round(placed / words, 3) if words else None, "warnings": counts, "warning_count": sum(counts.values()),
    }


def validated(body: bytes, name: str, source: Any) -> Plan:
    """The plan a person sent, as ``read_json`` reads a plan's JSON, its ``source`` the stored plan's
    (where it was read from is not the person's to change). ``Invalid`` with each problem at its path."""
    try:
        plan = read_json(body, name)
    except PlanJsonError as err:
        raise Invalid([_problem(p) for p in err.problems]) from None
    except InputError as err:
        raise Invalid([{"path": "(the whole plan)", "message": err.message}]) from None
    plan.source = _source(source) or _source(json.loads(body.decode("utf-8-sig")).get("source")) or plan.source  # stored; else sent (a plan broken on disk)
    return plan


def _source(data: Any) -> Optional[Source]:
    try:
        return Source.model_validate(data)
    except ValueError:
        return None


def _problem(line: str) -> dict[str, str]:
    """"outcomes[2].statement: Field required" -> {"path": ..., "message": ...}."""
    path, _, message = line.partition(": ")
    return {"path": path, "message": message}


# --- finding the plans ----------------------------------------------------------------------


def open_store(path: Path, original: Optional[Path] = None, originals: Optional[Path] = None) -> Store:
    """The plans at ``path``: a batch's output folder (its report.json) or one plan's .json.

    ``original``: the document one plan was read from (else the file its
    ``source`` names, beside it). ``originals``: the batch's input folder (else
    the one report.json names, if any). ``InputError`` for anything else.
    """
    path = path.resolve()
    store = _batch_store(path, originals) if path.is_dir() else _plan_store(path, original)
    store.reviews()  # a review record that cannot be read is one line now, not an error on every page
    return store


def _plan_store(path: Path, original: Optional[Path]) -> Store:
    if path.suffix.lower() != ".json" or not path.is_file():
        raise InputError("give a batch's output folder (it holds report.json) or one plan's .json file")
    data = _json_file(path)
    source = (data.get("source") or {}).get("filename") if isinstance(data, dict) else None
    if original is None and isinstance(source, str) and source and source != path.name:
        candidate = path.parent / PurePosixPath(source).name
        original = candidate if candidate.exists() else None
    entry = Entry(plan_id(path.name), path.name, path, source or "", original.resolve() if original else None)
    return Store(path.parent, [entry])


def _batch_store(out_dir: Path, originals: Optional[Path]) -> Store:
    report = out_dir / REPORT
    if not report.is_file():
        raise InputError("this folder has no report.json: give a batch's output folder, or one plan's .json file")
    data = _json_file(report)
    if isinstance(data, dict) and data.get("redacted") is True:
        raise InputError("this folder holds redacted copies; review the unredacted batch's folder, then redact it again")
    rows = data.get("files") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise InputError("report.json lists no files; run the batch again to write it")
    named = data.get("in_dir")
    in_dir = originals or (Path(named) if isinstance(named, str) and named else None)
    entries = [e for e in (_batch_entry(out_dir, in_dir, row) for row in rows if isinstance(row, dict)) if e is not None]
    if not entries and any(str(r.get("output", "")).endswith(".docx") for r in rows if isinstance(r, dict)):
        raise InputError("this batch wrote Word documents; review reads plans' JSON: run the batch with --to json")
    return Store(out_dir, entries)


def _batch_entry(out_dir: Path, in_dir: Optional[Path], row: dict[str, Any]) -> Optional[Entry]:
    """The report row's plan, if its JSON is on disk inside the output folder."""
    rel, source = row.get("output"), row.get("path")
    if row.get("status") not in REVIEWABLE or not isinstance(rel, str) or not rel.endswith(".json") or not isinstance(source, str):
        return None
    target = _inside(out_dir, rel)
    if target is None or not target.is_file():
        return None
    plan = row.get("plan")
    name = source[: -len(f"#{plan}")] if isinstance(plan, int) and plan > 1 and source.endswith(f"#{plan}") else source
    original = _inside(in_dir, name) if in_dir is not None else None
    return Entry(plan_id(rel), rel, target, source, original if original is not None and original.exists() else None)


def _inside(folder: Path, rel: str) -> Optional[Path]:
    """``folder / rel`` when it stays inside ``folder`` (a report is a file anyone may edit)."""
    try:
        base = folder.resolve()
        target = (base / rel).resolve()
    except (OSError, ValueError):
        return None
    return target if target.is_relative_to(base) and target != base else None


def _json_file(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except OSError as err:
        raise InputError(f"{path.name} could not be read ({err.strerror or type(err).__name__})") from None
    except ValueError:
        raise InputError(f"{path.name} is not valid JSON; run the batch (or convert) again to write it") from None
