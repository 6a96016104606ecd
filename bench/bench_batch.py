"""Throughput of `msp-convert batch` on a folder of at least 200 plans, 1 and 2 jobs.

The folder is the .docx fixtures copied (each copy made unique with one byte
in its core properties so that none is a duplicate of another), plus the PDF
fixtures. Reports plans per second, the speed-up of 2 jobs over 1, and the
peak memory (resident set) of the parent and of the workers. With --cluster,
also a local Dask cluster of 2 worker processes (``batch --scheduler``): its
start-up, and its plans per second once started, beside the pool's at 2 jobs
(the difference is the cluster's overhead per plan: bytes sent and returned,
the scheduler's round trips), each answer fetched through the scheduler (the
default) and from its worker (``MSP_CONVERT_DASK_DIRECT=1``), in turns, with
the parent's CPU a plan (on local:N the client and the scheduler are the parent).

    python bench/bench_batch.py [--plans 200] [--cluster]

With --small N: only N small files (text named .docx, each refused at once), to
measure the parent's peak memory and the cost a file of the batch itself, on
the pool of 2 jobs or, with --cluster, a local cluster of 2: the wall time a
file, and the parent's CPU a file (the pool's parent; the cluster's client and,
on local:N, its scheduler, which runs in the same process): one process does
that for every file, so it bounds the files a second whatever the cores. With
--cluster, each way of fetching the answers in a process of its own (the peak
memory is a process's).

    python bench/bench_batch.py --small 10000 [--cluster [--fetch scheduler|direct]]
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from msp_convert.batch import BatchOptions, BatchResult, run_batch  # noqa: E402
from msp_convert.batch.cluster import DIRECT  # noqa: E402

FETCH = {"scheduler": "0", "direct": "1"}  # how the answers come back: DIRECT's value


def unique_copy(data: bytes, n: int) -> bytes:
    """The same .docx with a comment that differs, so its sha256 differs."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.comment = f"copy {n}".encode()
    return out.getvalue()


def build(folder: Path, plans: int) -> int:
    docx = [p.read_bytes() for p in sorted((REPO / "fixtures" / "plans").glob("*.docx"))]
    pdfs = sorted((REPO / "fixtures" / "pdf").glob("*.pdf"))
    for pdf in pdfs[:8]:
        shutil.copy(pdf, folder / pdf.name)
    n = 0
    while n + 8 < plans:
        sub = folder / f"class-{n // 40:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"plan-{n:04d}.docx").write_bytes(unique_copy(docx[n % len(docx)], n))
        n += 1
    return n + min(8, len(pdfs))


def run(folder: Path, out: Path, jobs: int, scheduler: "str | None" = None) -> float:
    start = time.perf_counter()
    result = run_batch(BatchOptions(folder, out, jobs=jobs, force=True), scheduler=scheduler)
    assert result.count("converted") == len(result.rows), result.summary()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--cluster", action="store_true", help="also a local Dask cluster of 2 workers")
    parser.add_argument("--small", type=int, default=0, metavar="N", help="only N small files: the parent's peak memory")
    parser.add_argument("--fetch", choices=sorted(FETCH), help="with --small --cluster: only this way (default: each in a process of its own)")
    args = parser.parse_args()
    if args.small and args.cluster and not args.fetch:
        for fetch in FETCH:
            subprocess.run([sys.executable, __file__, "--small", str(args.small), "--cluster", "--fetch", fetch], check=True)
        return
    if args.small:
        os.environ[DIRECT] = FETCH[args.fetch or "scheduler"]
        small(args.small, args.cluster, args.fetch or "")
        return
    with tempfile.TemporaryDirectory(prefix="msp-bench-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        count = build(folder, args.plans)
        t1 = run(folder, Path(tmp) / "out1", 1)
        t2 = run(folder, Path(tmp) / "out2", 2)
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if args.cluster:
            started, clusters = on_cluster(folder, Path(tmp))
    print(f"plans: {count} (.docx copies and 8 PDFs)")
    print(f"1 job:  {t1:6.2f} s  {count / t1:6.1f} plans/s")
    print(f"2 jobs: {t2:6.2f} s  {count / t2:6.1f} plans/s   speed-up {t1 / t2:.2f}x")
    print(f"peak resident memory: parent {parent:.0f} MiB, largest worker {workers:.0f} MiB")
    if args.cluster:
        print(f"Dask, 2 workers (started in {started:.1f} s), the best of {TURNS} turns each:")
        for fetch, (tc, cpu) in clusters.items():
            print(f"  answers via {fetch:9}: {tc:6.2f} s  {count / tc:6.1f} plans/s   {(tc - t2) / count * 1000:+.1f} ms a plan "
                  f"over the pool's 2 jobs; the parent's CPU {cpu / count * 1000:.2f} ms a plan")


def small(count: int, cluster: bool, fetch: str) -> None:
    """N small files through the pool or a local cluster of 2: files a second, the parent's peak memory."""
    with tempfile.TemporaryDirectory(prefix="msp-bench-") as tmp:
        folder = Path(tmp) / "in"
        for n in range(count):
            sub = folder / f"class-{n // 500:03d}"
            sub.mkdir(parents=True, exist_ok=True)
            (sub / f"notes-{n:05d}.docx").write_text(f"Notes from meeting {n}", encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if cluster:
            from msp_convert.batch.cluster import LocalSetting, local_cluster

            with LocalSetting(), local_cluster(2) as local:  # the setting local:N holds, for the cluster's life (a restarted worker reads it)
                seconds, cpu, result = _timed(lambda: run_batch(BatchOptions(folder, Path(tmp) / "out", jobs=2), scheduler=local.scheduler_address))
        else:
            seconds, cpu, result = _timed(lambda: run_batch(BatchOptions(folder, Path(tmp) / "out", jobs=2)))
        assert result.count("failed") == count, result.summary()
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    where = f"Dask, 2 workers, answers via {fetch}" if cluster else "pool, 2 jobs"
    print(f"{count} small files, {where}: {seconds:6.2f} s  {count / seconds:6.0f} files/s  "
          f"{seconds / count * 1000:.1f} ms a file; the parent's CPU {cpu / count * 1000:.1f} ms a file; "
          f"parent's peak memory {parent:.0f} MiB (before the batch {before:.0f} MiB)")


def _timed(run: "Callable[[], BatchResult]") -> "tuple[float, float, BatchResult]":
    """(wall seconds, this process's CPU seconds, the result) of a run."""
    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    start, began = time.perf_counter(), cpu()
    result = run()
    return time.perf_counter() - start, cpu() - began, result


TURNS = 2


def on_cluster(folder: Path, tmp: Path) -> "tuple[float, dict[str, tuple[float, float]]]":
    """(seconds to start a local cluster of 2 and warm its workers, {how the answers come back:
    (seconds of the batch on it, the parent's CPU seconds)}, the best of TURNS turns each, in turns)."""
    from msp_convert.batch.cluster import LocalSetting, local_cluster

    start = time.perf_counter()
    with LocalSetting(), local_cluster(2) as cluster:  # the setting local:N holds, for the cluster's life
        warm = tmp / "warm"
        warm.mkdir()
        for n, pdf in enumerate(sorted(folder.glob("*.pdf"))[:2]):
            shutil.copy(pdf, warm / f"{n}.pdf")
        run(warm, tmp / "out-warm", 2, cluster.scheduler_address)  # each worker imports the readers once
        started = time.perf_counter() - start
        best: dict[str, tuple[float, float]] = {}
        for _ in range(TURNS):
            for fetch, value in FETCH.items():
                os.environ[DIRECT] = value
                seconds, cpu, _ = _timed(lambda: run_batch(BatchOptions(folder, tmp / "out-cluster", jobs=2, force=True), scheduler=cluster.scheduler_address))
                best[fetch] = min(best.get(fetch, (seconds, cpu)), (seconds, cpu))
        os.environ.pop(DIRECT, None)
        return started, best


if __name__ == "__main__":
    main()
