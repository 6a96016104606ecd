"""Throughput of `msp-convert batch` on a folder of at least 200 plans, 1 and 2 jobs.

The folder is the .docx fixtures copied (each copy made unique with one byte
in its core properties so that none is a duplicate of another), plus the PDF
fixtures. Reports plans per second, the speed-up of 2 jobs over 1, and the
peak memory (resident set) of the parent and of the workers.

    python bench/bench_batch.py [--plans 200]
"""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from msp_convert.batch import BatchOptions, run_batch  # noqa: E402


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


def run(folder: Path, out: Path, jobs: int) -> float:
    start = time.perf_counter()
    result = run_batch(BatchOptions(folder, out, jobs=jobs, force=True))
    assert result.count("converted") == len(result.rows), result.summary()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="msp-bench-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        count = build(folder, args.plans)
        t1 = run(folder, Path(tmp) / "out1", 1)
        t2 = run(folder, Path(tmp) / "out2", 2)
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"plans: {count} (.docx copies and 8 PDFs)")
    print(f"1 job:  {t1:6.2f} s  {count / t1:6.1f} plans/s")
    print(f"2 jobs: {t2:6.2f} s  {count / t2:6.1f} plans/s   speed-up {t1 / t2:.2f}x")
    print(f"peak resident memory: parent {parent:.0f} MiB, largest worker {workers:.0f} MiB")


if __name__ == "__main__":
    main()
