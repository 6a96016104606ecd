"""The batch's options, its report rows and result, and report.csv / report.json."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Optional

from ..atomic import write_atomically
from ..errors import InputError
from ..version import __version__

STATUSES = ("converted", "skipped", "failed", "ignored", "duplicate")


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


REPORT_FIELDS = tuple(ReportRow.__dataclass_fields__)
# What a converted plan tells its row: from the worker, kept in the journal for a skipped file.
PLAN_FACTS = ("warnings", "outcomes", "provision", "template", "verdict", "placed_share")
VERDICTS = ("complete", "partial", "other-layout", "not-a-plan")


@dataclass
class BatchResult:
    rows: list[ReportRow]
    seconds: float
    interrupted: bool = False
    stopped: str = ""  # why the batch stopped early: an output could not be written (a full disk...)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def ok(self) -> bool:
        return not self.interrupted and not self.stopped and self.count("failed") == 0

    def summary(self) -> str:
        parts = ", ".join(f"{self.count(s)} {s}" for s in STATUSES if self.count(s))
        head = "interrupted after" if self.interrupted else "stopped after" if self.stopped else "done:"
        return f"{head} {len(self.rows)} files ({parts or 'nothing to do'}) in {self.seconds:.1f} s"


Progress = Callable[[ReportRow, int, int], None]


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
    rows = [asdict(r) for r in result.rows]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REPORT_FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    write_atomically(out_dir / "report.csv", buffer.getvalue().encode("utf-8", "surrogateescape"))
    summary = {s: result.count(s) for s in STATUSES}
    summary["verdicts"] = {v: sum(1 for r in result.rows if r.verdict == v and r.status in ("converted", "skipped")) for v in VERDICTS}
    report = {"version": __version__, "interrupted": result.interrupted, "stopped": result.stopped, "seconds": round(result.seconds, 3), "summary": summary, "files": rows}
    text = _UNDECODED.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(report, indent=2, ensure_ascii=False))
    write_atomically(out_dir / "report.json", text + "\n")
