"""Plans a person has reviewed: OUT/.msp-convert/review.json, and the ``review`` column of the report.

The review server marks a plan ``corrected`` when a person saves it and
``approved`` when they approve it (``mark``); a later batch reads the marks
(``load``) and never writes over a reviewed plan, unless ``--force``: its row
is reported ``reviewed``, with its facts. Each file is written whole, atomically.

review.json: {"version": 1, "plans": {"<output rel path, POSIX>": {"review":
"corrected"|"approved", "reviewer": "...", "time": "ISO-8601 UTC"}}}.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path, PurePosixPath
from typing import Any, Optional

from ..atomic import write_atomically
from ..errors import InputError
from .files import STATE
from .outputs import numbered
from .report import PLAN_FACTS, ReportRow, more_rows, report_text

REVIEW_FILE = "review.json"
REVIEWS = ("corrected", "approved")
VERSION = 1


def now() -> str:
    """The time as review.json and the review journal write it: ISO 8601, UTC, to the second."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def review_path(out_dir: Path) -> Path:
    return out_dir / STATE / REVIEW_FILE


def load(out_dir: Path) -> dict[str, str]:
    """Output rel path (POSIX) -> "corrected" or "approved", for each reviewed plan; {} when none is.
    A file that is not the review record is an ``InputError`` (it is never written over unread)."""
    return {rel: entry["review"] for rel, entry in _entries(out_dir).items()}


def _entries(out_dir: Path) -> dict[str, dict[str, Any]]:
    path = review_path(out_dir)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        raise InputError(f"{STATE}/{REVIEW_FILE} in the output folder cannot be read; restore it from a backup, or move it away to forget the reviews") from None
    plans = record.get("plans") if isinstance(record, dict) else None
    if not isinstance(plans, dict):
        raise InputError(f"{STATE}/{REVIEW_FILE} in the output folder is not a review record; restore it from a backup, or move it away to forget the reviews")
    return {rel: e for rel, e in plans.items() if isinstance(e, dict) and e.get("review") in REVIEWS}


def mark(out_dir: Path, output_rel: str, review: str, reviewer: str) -> None:
    """Record that ``reviewer`` corrected or approved the plan at ``output_rel`` (relative to
    ``out_dir``, POSIX): review.json, then the ``review`` column of report.json and report.csv."""
    if review not in REVIEWS:
        raise ValueError(f"a review is one of {', '.join(REVIEWS)}")
    rel = PurePosixPath(output_rel).as_posix()
    if rel.startswith("/") or ".." in PurePosixPath(rel).parts:
        raise ValueError("a plan is named by its path inside the output folder")
    entries = _entries(out_dir)
    entries[rel] = {"review": review, "reviewer": reviewer, "time": now()}
    _write(out_dir, entries)
    _report_json(out_dir, rel, review)
    _report_csv(out_dir, rel, review)


def forget(out_dir: Path, output_rels: list[str]) -> None:
    """The plans at ``output_rels`` were written over (``batch --force``): no longer reviewed."""
    entries = _entries(out_dir)
    gone = set(output_rels)
    kept = {rel: e for rel, e in entries.items() if rel not in gone}
    if len(kept) != len(entries):
        _write(out_dir, kept)


def _write(out_dir: Path, entries: dict[str, dict[str, Any]]) -> None:
    (out_dir / STATE).mkdir(exist_ok=True)
    write_atomically(review_path(out_dir), json.dumps({"version": VERSION, "plans": entries}, indent=2, ensure_ascii=False) + "\n")


def settle(row: ReportRow, previous: Optional[dict[str, Any]], reviews: dict[str, str], out_dir: Path, to: str) -> Optional[list[ReportRow]]:
    """A file one of whose plans a person reviewed is not converted again: ``row`` becomes
    ``reviewed``, with its facts (from the plan on disk, else the journal); the rows of the
    file's other plans. None when none of its plans is reviewed (or one is missing: converted again)."""
    more = list((previous or {}).get("more") or [])
    outputs = [p.as_posix() for p in numbered(PurePosixPath(row.output), 1 + len(more))]
    if not any(rel in reviews for rel in outputs) or not all((out_dir / rel).is_file() for rel in outputs):
        return None
    facts = [_facts(out_dir / rel, k, previous, to) for k, rel in enumerate(outputs)]
    row.status = "reviewed"
    for key in PLAN_FACTS:
        setattr(row, key, facts[0].get(key))
    return more_rows(row, facts[1:])


def _facts(path: Path, k: int, previous: Optional[dict[str, Any]], to: str) -> dict[str, Any]:
    """The report's facts of the k-th plan (0-based) of a file: counted from the JSON plan on disk,
    as the person left it; else (a Word output, a plan that no longer reads) as the journal has them."""
    if to == "json":
        from ..model import Plan
        from .workers import plan_facts

        try:
            return plan_facts(Plan.model_validate_json(path.read_bytes()))
        except (OSError, ValueError):
            pass
    if previous is None:
        return {}
    return previous if k == 0 else ((previous.get("more") or [])[k - 1:k] or [{}])[0]


def _report_json(out_dir: Path, rel: str, review: str) -> None:
    path = out_dir / "report.json"
    if not path.exists():
        return
    report = json.loads(path.read_text(encoding="utf-8"))
    for row in report.get("files", []):
        if row.get("output") == rel:
            row["review"] = review
    write_atomically(path, report_text(report))


def _report_csv(out_dir: Path, rel: str, review: str) -> None:
    path = out_dir / "report.csv"
    if not path.exists():
        return
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8", "surrogateescape"), newline="")))
    if not rows:
        return
    fields = list(rows[0].keys()) + ([] if "review" in rows[0] else ["review"])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        if row.get("output") == rel:
            row["review"] = review
        writer.writerow({k: row.get(k) or "" for k in fields})
    write_atomically(path, buffer.getvalue().encode("utf-8", "surrogateescape"))
