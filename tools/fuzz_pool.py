"""Run a campaign: worker processes (``fuzz_oracle.py``), each mutant under a wall-clock guard, a summary.

    from fuzz_pool import run_campaign, summary_table
    results = run_campaign(seed=1, counts={"docx": 150, "pdf": 30, "json": 120}, jobs=2, pool="quick")

Each worker is a child process in its own session, with its address space
capped (RLIMIT_AS, set by the worker once its imports are done). A mutant
whose answer does not come within ``guard_s`` seconds is a hang: its worker's
process group is killed and a new worker started; a worker that dies (a
signal, an abort in C code) is a crash; MemoryError under the cap is a leak.
The guard is a safety net sized for a busy 2-core machine, never a measure.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

TOOLS = Path(__file__).resolve().parent
FORMATS = ("docx", "pdf", "json")
CLASSES = ("ok", "refused", "crash", "hang", "flood", "leak", "spill")
FAILURES = ("crash", "hang", "flood", "leak", "spill")
STARTUP_S = 180.0  # a worker's imports on a busy machine


@dataclass
class Outcome:
    id: str
    fmt: str
    cls: str
    detail: str = ""
    ops: list[str] = field(default_factory=list)
    seed_file: str = ""
    sha256: str = ""  # of the mutant's bytes, as the worker made them


class Worker:
    """One oracle process; one request in flight at a time."""

    def __init__(self, pool: str, cap_mb: int) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="msp-fuzz-worker-"))  # the parent's, removed even if the worker is killed
        self.proc = subprocess.Popen(
            [sys.executable, str(TOOLS / "fuzz_oracle.py"), "--pool", pool, "--cap-mb", str(cap_mb), "--work", str(self.work)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self.buf = b""
        self.task: Optional[dict] = None
        self.deadline = time.monotonic() + STARTUP_S
        self.ready = False

    def send(self, task: dict, guard_s: float) -> None:
        self.task = task
        self.deadline = time.monotonic() + guard_s
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(task) + "\n").encode())
        self.proc.stdin.flush()

    def read_lines(self) -> Optional[list[dict]]:
        """The complete answers now available; None when the worker has gone."""
        assert self.proc.stdout is not None
        chunk = os.read(self.proc.stdout.fileno(), 65536)
        if not chunk:
            return None
        self.buf += chunk
        *lines, self.buf = self.buf.split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]

    def kill(self) -> None:
        """Stop this worker and anything it started (its own process group)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close() if stream else None
            except OSError:
                pass
        shutil.rmtree(self.work, ignore_errors=True)


def _tasks(seed: int, counts: dict[str, int], first: int = 0) -> list[dict]:
    """Formats interleaved, so each worker gets a mix and slow PDFs do not come all at the end."""
    queues = {fmt: [{"fmt": fmt, "seed": seed, "index": i} for i in range(first, counts.get(fmt, 0))] for fmt in FORMATS}
    out = []
    while any(queues.values()):
        for fmt in FORMATS:
            if queues[fmt]:
                out.append(queues[fmt].pop(0))
    return out


def _lost(task: dict, cls: str, detail: str) -> Outcome:
    return Outcome(id=f"{task['fmt']}-{task['seed']}-{task['index']}", fmt=task["fmt"], cls=cls, detail=detail)


def run_campaign(
    seed: int, counts: dict[str, int], jobs: int = 2, pool: str = "full", guard_s: float = 120.0, cap_mb: int = 2048,
    on_outcome: Optional[Callable[[Outcome], None]] = None, first_index: int = 0,
) -> list[Outcome]:
    """Mutants ``first_index``.. of the campaign checked by ``jobs`` workers; outcomes in the order they finished."""
    todo = _tasks(seed, counts, first_index)
    todo.reverse()
    workers = [Worker(pool, cap_mb) for _ in range(max(1, min(jobs, len(todo))))]
    results: list[Outcome] = []

    def finish(outcome: Outcome) -> None:
        results.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    try:
        while todo or any(w.task for w in workers):
            for w in workers:
                if w.ready and w.task is None and todo:
                    w.send(todo.pop(), guard_s)
            _wait(workers, pool, cap_mb, finish)
    finally:
        for w in workers:
            w.kill()
    return results


def _wait(workers: list[Worker], pool: str, cap_mb: int, finish: Callable[[Outcome], None]) -> None:
    """Wait for an answer or a deadline; replace workers that hung or died."""
    timeout = max(0.0, min(w.deadline for w in workers) - time.monotonic())
    fds = {w.proc.stdout.fileno(): w for w in workers if w.proc.stdout}
    ready, _, _ = select.select(list(fds), [], [], None if timeout == float("inf") else timeout)
    for fd in ready:
        w = fds[fd]
        answers = w.read_lines()
        if answers is None:  # the worker died
            task, code = w.task, w.proc.wait()
            if task:
                detail = f"worker died (signal {-code})" if code < 0 else f"worker exited {code}"
                finish(_lost(task, "crash", detail))
            _replace(workers, w, pool, cap_mb)
            continue
        for answer in answers:
            if "ready" in answer:
                w.ready = True
                w.deadline = float("inf")
                continue
            finish(Outcome(id=answer["id"], fmt=answer["id"].split("-")[0], cls=answer["cls"], detail=answer["detail"],
                           ops=answer["ops"], seed_file=answer["seed_file"], sha256=answer["sha256"]))
            w.task = None
            w.deadline = float("inf")
    now = time.monotonic()
    for w in list(workers):
        if w.deadline <= now:
            if w.task:
                finish(_lost(w.task, "hang", "wall-clock guard"))
            elif not w.ready:
                raise RuntimeError("a fuzzing worker did not start (its imports failed?)")
            _replace(workers, w, pool, cap_mb)


def _replace(workers: list[Worker], w: Worker, pool: str, cap_mb: int) -> None:
    w.kill()
    workers[workers.index(w)] = Worker(pool, cap_mb)


def tally(results: list[Outcome]) -> dict[str, dict[str, int]]:
    """Counts per format and class, with a "run" column and an "all" row."""
    table = {fmt: {"run": 0, **{c: 0 for c in CLASSES}} for fmt in (*FORMATS, "all")}
    for r in results:
        for row in (r.fmt, "all"):
            table[row]["run"] += 1
            table[row][r.cls] += 1
    return table


def summary_table(results: list[Outcome]) -> str:
    """A Markdown table: mutants run per format, ok, refusals, crashes, hangs, floods, leaks, spills."""
    table = tally(results)
    cols = ["run", "ok", "refused", "crash", "hang", "flood", "leak", "spill"]
    heads = ["format", "mutants run", "ok", "refused", "crashes", "hangs", "floods", "leaks", "spills"]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for fmt, row in table.items():
        if row["run"]:
            lines.append(f"| {fmt} | " + " | ".join(str(row[c]) for c in cols) + " |")
    return "\n".join(lines)


def failure_groups(results: list[Outcome]) -> dict[tuple[str, str], list[str]]:
    """Failures grouped by class and detail (exception type and frame): the distinct bugs, with their mutant ids."""
    groups: dict[tuple[str, str], list[str]] = {}
    for r in results:
        if r.cls in FAILURES:  # "93 lines" and "22 lines" are one bug
            groups.setdefault((r.cls, re.sub(r"\d+", "N", r.detail)), []).append(r.id)
    return groups
