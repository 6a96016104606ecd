"""The batch's options, its report rows and result, and report.csv / report.json."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Optional

from ..atomic import write_atomically
from ..errors import InputError
from ..version import __version__
from .outputs import numbered
from .redaction import counts_line, totals

# reviewed: a plan a person corrected or approved (review.json), never written over unless --force
STATUSES = ("converted", "skipped", "reviewed", "failed", "ignored", "duplicate")


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
    retry_failed: bool = False  # convert again the files an earlier run failed on (timeouts too)
    template: Optional[str] = None  # a profile's id or .toml file to read every plan with (None: the reader chooses)
    key: Optional[bytes] = None  # --redact: every plan redacted with this key (batch.redaction); None: not redacted
    link_file: Optional[Path] = None  # --redact --link-file: where to write which output came from which input


@dataclass
class ReportRow:
    path: str  # relative to IN_DIR, POSIX slashes
    format: str
    status: str
    error: str = ""
    warnings: Optional[int] = None
    outcomes: Optional[int] = None
    provision: Optional[int] = None
    template: str = ""  # the profile the plan was read with (template.id)
    verdict: str = ""  # coverage.verdict: complete, partial, other-layout, not-a-plan
    placed_share: str = ""  # coverage placed / words, three decimals
    seconds: Optional[float] = None
    sha256: str = ""
    output: str = ""  # relative to OUT_DIR
    duplicate_of: str = ""
    plan: Optional[int] = None  # in a file that holds several plans, which one (the path of the 2nd is file.docx#2)
    review: str = ""  # "corrected" or "approved" once a person has reviewed the plan (batch.reviewed), else ""
    redactions: Optional[dict[str, int]] = None  # --redact: replacements per kind (redact.KINDS order)
    uncertain: Optional[int] = None  # --redact: redactions the engine was unsure of (its redaction-uncertain warnings)


REPORT_FIELDS = tuple(ReportRow.__dataclass_fields__)
# What a converted plan tells its row: from the worker, kept in the journal for a skipped file.
PLAN_FACTS = ("warnings", "outcomes", "provision", "template", "verdict", "placed_share", "redactions", "uncertain")
REDACTION_FACTS = ("redactions", "uncertain")  # only in a --redact run's report and journal
VERDICTS = ("complete", "partial", "other-layout", "not-a-plan")


@dataclass
class BatchResult:
    rows: list[ReportRow]
    seconds: float
    interrupted: bool = False
    stopped: str = ""  # why the batch stopped early: an output could not be written (a full disk...)
    in_dir: str = ""  # the folder the plans were read from (the review page finds the originals there)
    redacted: bool = False  # a --redact run: its rows name no input, and count what was replaced

    def count(self, status: str) -> int:
        """Files in this state (a file of several plans counted once)."""
        return sum(1 for r in self.rows if r.status == status and (r.plan or 1) == 1)

    @property
    def ok(self) -> bool:
        return not self.interrupted and not self.stopped and self.count("failed") == 0

    def summary(self) -> str:
        parts = ", ".join(f"{self.count(s)} {s}" for s in STATUSES if self.count(s))
        head = "interrupted after" if self.interrupted else "stopped after" if self.stopped else "done:"
        files = sum(1 for r in self.rows if (r.plan or 1) == 1)
        several = sum(1 for r in self.rows if r.plan == 1)
        more = len(self.rows) - files
        held = f"; {several} held several plans, {more} more plan{'s' if more != 1 else ''} reported as FILE#2 ..." if several else ""
        redacted = f"; {counts_line(self.redaction_totals(), self.uncertain_total())}" if self.redacted else ""
        return f"{head} {files} files ({parts or 'nothing to do'}{held}) in {self.seconds:.1f} s{redacted}"

    def _outputs(self) -> list[ReportRow]:
        return [r for r in self.rows if r.status in ("converted", "skipped", "reviewed")]

    def redaction_totals(self) -> dict[str, int]:
        """Replacements per kind across the plans this run's outputs hold (redact.KINDS order)."""
        return totals(r.redactions for r in self._outputs())

    def uncertain_total(self) -> int:
        return sum(r.uncertain or 0 for r in self._outputs())


Progress = Callable[[ReportRow, int, int], None]


def plan_path(rel: str, k: int, count: int) -> str:
    """The name of the k-th plan of a file in the report and tables: ``file.docx``, ``file.docx#2`` ..."""
    return rel if k == 1 or count == 1 else f"{rel}#{k}"


def more_rows(row: ReportRow, more: list[dict[str, Any]]) -> list[ReportRow]:
    """The rows of the plans after the first in ``row``'s file, from their facts (``PLAN_FACTS``);
    ``row`` becomes plan 1. Their outputs are the first's numbered: plan-2.json ..."""
    if not more:
        return []
    row.plan = 1
    outputs = numbered(PurePosixPath(row.output), len(more) + 1) if row.output else []
    rows = []
    for k, facts in enumerate(more, 2):
        extra = ReportRow(plan_path(row.path, k, len(more) + 1), row.format, row.status, sha256=row.sha256, seconds=row.seconds, plan=k)
        extra.output = str(outputs[k - 1]) if outputs else ""
        for key in PLAN_FACTS:
            setattr(extra, key, facts.get(key))
        rows.append(extra)
    return rows


class OutputError(InputError):
    """OUT_DIR cannot take the outputs, the journal or the report: the message names it, why and what to do."""

    code = "output"


# --- the report ----------------------------------------------------------------------------


# A name that was not UTF-8 on disk reaches Python as lone surrogates (os.fsdecode).
_UNDECODED = re.compile("[\ud800-\udfff]")


def write_report(out_dir: Path, result: BatchResult) -> None:
    """report.csv and report.json: one row per input file, each with its true name.

    A name whose bytes are not UTF-8 keeps them: as they are in report.csv, and
    as ``\\udcXX`` escapes in report.json (which ``json.load`` and
    ``os.fsencode`` turn back into the same bytes).
    """
    rows = [_fields(r, result.redacted) for r in result.rows]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_csv_fields(result.redacted))
    writer.writeheader()
    for row in rows:
        writer.writerow(_csv_row(row))
    write_atomically(out_dir / "report.csv", buffer.getvalue().encode("utf-8", "surrogateescape"))
    summary: dict[str, Any] = {s: result.count(s) for s in STATUSES}
    summary["verdicts"] = {v: sum(1 for r in result.rows if r.verdict == v and r.status in ("converted", "skipped", "reviewed")) for v in VERDICTS}
    report = {"version": __version__, "in_dir": result.in_dir, "interrupted": result.interrupted, "stopped": result.stopped, "seconds": round(result.seconds, 3), "summary": summary, "files": rows}
    if result.redacted:  # redacted copies: rows keyed, no in_dir, and what was replaced
        summary.update(redactions=result.redaction_totals(), uncertain=result.uncertain_total())
        report = {"version": __version__, "redacted": True, **report}
    write_atomically(out_dir / "report.json", report_text(report))


def _fields(row: ReportRow, redacted: bool) -> dict[str, Any]:
    """A row's fields as the report gives them: a run without --redact has no redaction fields."""
    fields = asdict(row)
    if not redacted:
        for key in REDACTION_FACTS:
            del fields[key]
    elif row.redactions is not None:
        fields["redactions"] = totals([row.redactions])  # every kind, in KINDS order
    return fields


def _csv_fields(redacted: bool) -> list[str]:
    """report.csv's columns; a --redact run's counts as redacted_<kind> ... and uncertain."""
    base = [f for f in REPORT_FIELDS if f not in REDACTION_FACTS]
    return base + ["redacted_" + kind.replace("-", "_") for kind in totals([])] + ["uncertain"] if redacted else base


def _csv_row(fields: dict[str, Any]) -> dict[str, Any]:
    row = {k: ("" if v is None else v) for k, v in fields.items() if k != "redactions"}
    if "redactions" in fields:
        counts = fields["redactions"] or {}
        row.update(("redacted_" + kind.replace("-", "_"), counts.get(kind, "")) for kind in totals([]))
    return row


def report_text(report: dict[str, Any]) -> str:
    """report.json's text: a name's undecoded bytes kept as ``\\udcXX`` escapes (see ``write_report``)."""
    return _UNDECODED.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(report, indent=2, ensure_ascii=False)) + "\n"
