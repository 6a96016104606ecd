"""A batch of plans as flat CSV tables, the form case systems and spreadsheets import.

Four tables, one file each, every row starting with the plan's key (``file``,
its path relative to the batch's input folder with POSIX slashes, and
``sha256`` of its bytes):

- ``plans.csv``: one row per plan.
- ``outcomes.csv``: one row per Section 5 outcome.
- ``provision.csv``: one row per entry of every provision row and column,
  withdrawn or not (the plan's history stays in the table; filter on
  ``withdrawn`` for what is still in place); ``column`` names the model's
  column (a York plan's "What will happen" is ``actions``, its weekly cost
  ``resources``), in the order the forms print them.
- ``reviews.csv``: one row per review progress line and per answer to the
  review questions.

Values are strings: dates ISO, booleans ``true``/``false``, absent values
empty, lists joined (areas of need with ``;``, struck fragments with
`` | ``), money with at least two decimals. ``plans.csv`` ends with the
plan's ``template.id``, its ``coverage.verdict`` and ``placed_share``, the
share of its written words the model placed (``coverage.placed / words``,
three decimals; empty when nothing is written). ``entry_index`` counts from 1
within its column. The files are written with Python's csv module, default
dialect, UTF-8 without a byte order mark.

``plan_rows`` is pure and cheap, so batch workers can build one plan's rows
and the parent only streams them to ``TableWriter``.
"""

from __future__ import annotations

import csv
import os
import tempfile
from decimal import Decimal
from pathlib import Path, PurePath
from types import TracebackType
from typing import IO, Iterable, Mapping, Optional, Union

from ..atomic import TEMP_PREFIX, TEMP_SUFFIX
from ..model import Coverage, Entry, Plan, Provision, Review

# Header rows, in order. Importing systems depend on these names.
TABLES: dict[str, tuple[str, ...]] = {
    "plans": (
        "file",
        "sha256",
        "child_name",
        "date_of_birth",
        "setting",
        "year_group",
        "upn",
        "plan_number",
        "consent_signed",
        "consent_signed_by",
        "outcomes",
        "provision_rows",
        "reviews",
        "unmapped",
        "warnings",
        "weekly_cost_gbp",
        "template_id",
        "verdict",
        "placed_share",
        "known_as",
        "date_of_this_plan",
        "review_by",
        "date_of_initial_plan",
        "sections",
    ),
    "outcomes": (
        "file",
        "sha256",
        "outcome_number",
        "areas_of_need",
        "key_stage",
        "statement",
        "withdrawn",
        "struck",
        "review",
        "review_date",
        "supported_by_education",
        "supported_by_health",
        "supported_by_social_care",
    ),
    "provision": (
        "file",
        "sha256",
        "outcome_number",
        "column",
        "entry_index",
        "text",
        "withdrawn",
        "struck",
        "review",
        "review_date",
        "weekly_cost_gbp",
    ),
    "reviews": (
        "file",
        "sha256",
        "review",
        "review_date",
        "kind",
        "outcome_number",
        "rating",
        "entry_index",
        "text",
        "withdrawn",
        "struck",
    ),
}

# The provision table's columns: every column of the model's Provision that holds entries, in the model's
# order, which is the order both forms print them in (Kirklees: steps .. resources; York: actions, who, how
# often, cost). Taken from the model, not listed again; this module stays on floor 1's model alone (a test
# keeps it so), and tests/test_check_profiles.py checks every profile's columns keep this order.
PROVISION_COLUMNS = tuple(name for name in Provision.model_fields if name not in ("outcome_number", "weekly_cost_gbp"))
# The review questions after "Progress towards outcomes", in the model's order (the Kirklees form's).
REVIEW_QUESTIONS = tuple(name for name in Review.model_fields if name not in ("label", "date", "progress"))

AREA_SEPARATOR = ";"
STRUCK_SEPARATOR = " | "

# The same marks msp_convert/atomic.py gives its temporaries, so that clearing
# a killed batch's leftovers clears these too.

Rows = dict[str, list[dict[str, str]]]


def _bool(value: Optional[bool]) -> str:
    if value is None:
        return ""
    return "true" if value else "false"


def _str(value: object) -> str:
    """None as empty, dates ISO (``str(date)`` is ISO), anything else as ``str``."""
    return "" if value is None else str(value)


def _decimal(value: float) -> Decimal:
    # repr is the shortest text that reads back as this float: 12.5, not 12.4999...
    return Decimal(repr(value))


def _money(value: Optional[Decimal]) -> str:
    """At least two decimals (85.00, 12.50) and never fewer than the value has (1.234)."""
    if value is None:
        return ""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:  # not NaN or infinity
        return f"{value:.2f}"  # formatting, unlike quantize, has no 28-digit limit (1E+308 raised)
    return str(value)


def placed_share(coverage: Coverage) -> str:
    """``placed / words`` to three decimals, exactly (Decimal, not float); empty when nothing is written."""
    if coverage.words == 0:
        return ""
    return str((Decimal(coverage.placed) / Decimal(coverage.words)).quantize(Decimal("0.001")))


def _entry_fields(entry: Entry) -> dict[str, str]:
    return {
        "text": entry.text,
        "withdrawn": _bool(entry.withdrawn),
        "struck": STRUCK_SEPARATOR.join(entry.struck),
        "review": _str(entry.review),
        "review_date": _str(entry.review_date),
    }


def plan_rows(plan: Plan, file: Union[str, PurePath]) -> Rows:
    """Every table's rows for one plan, values already formatted as strings.

    ``file`` is the plan's path relative to the batch's input folder; a path
    object is written with POSIX slashes, a string as given.
    """
    key = {
        "file": file.as_posix() if isinstance(file, PurePath) else file,
        "sha256": plan.source.sha256,
    }
    return {table: rows(plan, key) for table, rows in _TABLE_ROWS.items()}


def _plan_row(plan: Plan, key: dict[str, str]) -> list[dict[str, str]]:
    costs = [_decimal(p.weekly_cost_gbp) for p in plan.provision if p.weekly_cost_gbp is not None]
    child, dates = plan.child, plan.plan_dates
    return [{
        **key,
        "child_name": _str(child.name),
        "date_of_birth": _str(child.date_of_birth),
        "setting": _str(child.setting),
        "year_group": _str(child.year_group),
        "upn": _str(child.upn),
        "plan_number": _str(plan.plan_number),
        "consent_signed": _bool(bool(plan.consent_signed_by)),
        "consent_signed_by": _str(plan.consent_signed_by),
        "outcomes": str(len(plan.outcomes)),
        "provision_rows": str(len(plan.provision)),
        "reviews": str(len(plan.reviews)),
        "unmapped": str(len(plan.unmapped)),
        "warnings": str(len(plan.warnings)),
        "weekly_cost_gbp": _money(sum(costs, Decimal(0)) if costs else None),
        "template_id": plan.template.id,
        "verdict": plan.coverage.verdict,
        "placed_share": placed_share(plan.coverage),
        "known_as": _str(child.known_as),
        "date_of_this_plan": _str(dates.this_plan),
        "review_by": _str(dates.review_by),
        "date_of_initial_plan": _str(dates.initial_plan),
        "sections": str(len(plan.sections)),
    }]


_NO_STATEMENT = {"text": "", "withdrawn": "", "struck": "", "review": "", "review_date": ""}


def _outcome_rows(plan: Plan, key: dict[str, str]) -> list[dict[str, str]]:
    outcomes = []
    for outcome in plan.outcomes:
        fields = _entry_fields(outcome.statement) if outcome.statement is not None else dict(_NO_STATEMENT)
        outcomes.append({
            **key,
            "outcome_number": str(outcome.number),
            "areas_of_need": AREA_SEPARATOR.join(outcome.areas_of_need),
            "key_stage": _str(outcome.key_stage),
            "statement": fields.pop("text"),
            **fields,
            "supported_by_education": _bool(outcome.supported_by.education),
            "supported_by_health": _bool(outcome.supported_by.health),
            "supported_by_social_care": _bool(outcome.supported_by.social_care),
        })
    return outcomes


def _provision_rows(plan: Plan, key: dict[str, str]) -> list[dict[str, str]]:
    provision = []
    for row in plan.provision:
        number = str(row.outcome_number)
        row_cost = _money(None if row.weekly_cost_gbp is None else _decimal(row.weekly_cost_gbp))
        for column in PROVISION_COLUMNS:
            cost = row_cost if column == "resources" else ""
            for index, entry in enumerate(getattr(row, column), start=1):
                provision.append({
                    **key,
                    "outcome_number": number,
                    "column": column,
                    "entry_index": str(index),
                    **_entry_fields(entry),
                    "weekly_cost_gbp": cost,
                })
    return provision


def _review_entries(line: dict[str, str], entries: list[Entry]) -> list[dict[str, str]]:
    return [
        {**line, "entry_index": str(index), "text": entry.text, "withdrawn": _bool(entry.withdrawn),
         "struck": STRUCK_SEPARATOR.join(entry.struck)}
        for index, entry in enumerate(entries, start=1)
    ]


def _review_rows(plan: Plan, key: dict[str, str]) -> list[dict[str, str]]:
    reviews = []
    for review in plan.reviews:
        head = {**key, "review": review.label, "review_date": _str(review.date)}
        for progress in review.progress:
            line = {**head, "kind": "progress", "outcome_number": str(progress.outcome_number), "rating": _str(progress.rating)}
            reviews += _review_entries(line, progress.text)
        for question in REVIEW_QUESTIONS:
            reviews += _review_entries({**head, "kind": question, "outcome_number": "", "rating": ""}, getattr(review, question))
    return reviews


_TABLE_ROWS = {"plans": _plan_row, "outcomes": _outcome_rows, "provision": _provision_rows, "reviews": _review_rows}


class TableWriter:
    """The four CSV files of a batch, one plan's rows at a time.

    ``TableWriter(out_dir)`` creates ``<table>.csv`` for every table in
    ``TABLES`` under temporary names in ``out_dir`` and writes the headers;
    ``write`` appends one plan's rows and flushes; a clean ``close`` (or the
    end of a ``with`` block) renames each file into place, replacing an older
    one. An exception inside the ``with`` (or ``abort``) removes the
    temporaries and leaves any older tables as they were.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self._files: dict[str, tuple[IO[str], "csv.DictWriter[str]", str]] = {}
        self._closed = False
        try:
            for name, columns in TABLES.items():
                fd, tmp = tempfile.mkstemp(
                    prefix=f"{TEMP_PREFIX}{name}-", suffix=TEMP_SUFFIX, dir=self.out_dir
                )
                try:
                    handle = os.fdopen(fd, "w", newline="", encoding="utf-8", errors="surrogateescape")  # a name not UTF-8 keeps its bytes
                except BaseException:
                    os.close(fd)
                    _unlink(tmp)
                    raise
                writer = csv.DictWriter(handle, fieldnames=list(columns))
                self._files[name] = (handle, writer, tmp)
                writer.writeheader()
        except BaseException:
            self.abort()
            raise

    def paths(self) -> dict[str, Path]:
        """Where each table ends up."""
        return {name: self.out_dir / f"{name}.csv" for name in self._files}

    def write(self, rows: Mapping[str, Iterable[Mapping[str, str]]]) -> None:
        """Append one plan's rows (as ``plan_rows`` gives them) and flush."""
        if self._closed:
            raise ValueError("the tables are closed")
        unknown = set(rows) - set(self._files)
        if unknown:
            raise ValueError(f"no such table: {', '.join(sorted(unknown))}")
        for name, table_rows in rows.items():
            handle, writer, _tmp = self._files[name]
            writer.writerows(table_rows)
            handle.flush()

    def close(self) -> None:
        """Finish every file and rename it into place."""
        if self._closed:
            return
        try:
            for handle, _writer, _tmp in self._files.values():
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
            for name, (_handle, _writer, tmp) in self._files.items():
                os.replace(tmp, self.out_dir / f"{name}.csv")
        except BaseException:
            self.abort()
            raise
        self._closed = True

    def abort(self) -> None:
        """Close and remove the temporaries; tables already in place stay as they were."""
        self._closed = True
        for handle, _writer, tmp in self._files.values():
            try:
                handle.close()
            except OSError:
                pass
            _unlink(tmp)

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
