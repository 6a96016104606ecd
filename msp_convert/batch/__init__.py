"""Convert a whole folder of plans: worker processes, time limits, resume, report.

A migration is thousands of plans in a shared drive. Each file is converted in
a worker process under a time limit: a file that hangs its worker is killed
and reported, and the batch goes on. Outputs are written atomically and
recorded in a journal as they finish, so an interrupted batch resumes where it
stopped and converts nothing twice. The parent process keeps only one report
row per plan (a file of several plans gives file.docx, file.docx#2 ... and
file.json, file-2.json ...); a plan's table rows go straight to the CSV files.
"""

from .files import STATE, SUPPORTED, discover
from .journal import JOURNAL
from .report import STATUSES, BatchOptions, BatchResult, OutputError, Progress, ReportRow, write_report
from .run import run_batch
from .workers import HANG_HOOK

__all__ = [
    "BatchOptions", "BatchResult", "HANG_HOOK", "JOURNAL", "OutputError", "Progress", "ReportRow",
    "STATE", "STATUSES", "SUPPORTED", "discover", "run_batch", "write_report",
]
