"""Speed of the OCR reader: pages per second on 1 and 2 jobs, and Tesseract's share of the time.

The floor is what any Tesseract-based reader must pay: pytesseract's
image_to_data (words, boxes, confidences) on each rendered page. First, in
one process, the scanned fixtures are read and their time split by
``ocr.Timing`` into Tesseract's (orientation detection and reading the words)
and the project's own image work (binarising, deskew, rules, tick boxes,
strikethrough); the aim is own work under 25 % of the total. Then a folder of
copies of the scanned PDF (each made unique with a PDF comment at its end, so
that none is a duplicate of another) is converted by ``run_batch`` on 1 and 2
jobs. Both parts run twice: with OpenMP threads on every CPU (in one
process, on the PDF scan only), and with
OMP_THREAD_LIMIT=1, which msp-convert sets for its Tesseract runs unless the
user set it (set here before the workers fork, so they and their tesseract
processes inherit it). Each figure is
followed by the CPU seconds other processes used meanwhile ([others N CPU-s]):
OCR fills the CPUs, so anything else running slows it and the numbers mean
little unless that is near 0.

    python bench/bench_ocr.py [--copies 2] [--repeat 1] [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator, Optional

import pytesseract
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from msp_convert.batch import BatchOptions, run_batch  # noqa: E402
from msp_convert.parsers import ocr  # noqa: E402
from timing import best  # noqa: E402  (bench/ is the script's folder)

SCANS = REPO / "fixtures" / "scans"
PDF_SCAN = SCANS / "08-ks1-visual-impairment.pdf"
JPG_SCAN = SCANS / "11-ks1-dcd"
LIMIT = "OMP_THREAD_LIMIT"
# OpenMP threads on every CPU, and one thread (what msp-convert sets when the user has not).
# Tesseract's true default, the variable unset, was slower still in one process (about 3x
# a page here); it cannot be measured through msp-convert, which sets the variable then.
ALL_CPUS = str(os.cpu_count() or 1)
SETTINGS: list[tuple[str, str]] = [(f"{LIMIT}={ALL_CPUS}", ALL_CPUS), (f"{LIMIT}=1", "1")]


@contextlib.contextmanager
def omp_limit(value: Optional[str]) -> Iterator[None]:
    """OMP_THREAD_LIMIT set to ``value`` (unset for None) for tesseract runs started inside."""
    before = os.environ.get(LIMIT)
    if value is None:
        os.environ.pop(LIMIT, None)
    else:
        os.environ[LIMIT] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(LIMIT, None)
        else:
            os.environ[LIMIT] = before


class Others:
    """CPU seconds that processes other than this benchmark (and its children) used since it was made.

    The machine's busy time (/proc/stat) less this process's and its waited-for
    children's (the batch workers, the tesseract runs). More than a few seconds
    means something else ran at the same time and the numbers are disturbed.
    """

    def __init__(self) -> None:
        self.start = self._machine() - self._ours()

    @staticmethod
    def _machine() -> float:
        try:
            with open("/proc/stat", encoding="ascii") as handle:
                f = [int(x) for x in handle.readline().split()[1:]]
        except OSError:
            return 0.0
        return (f[0] + f[1] + f[2] + f[5] + f[6]) / os.sysconf("SC_CLK_TCK")  # user nice system irq softirq

    @staticmethod
    def _ours() -> float:
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def seconds(self) -> float:
        return max(0.0, self._machine() - self._ours() - self.start)


# ---- one process: where the time goes -------------------------------------------------------


def jpg_pages(folder: Path) -> list[Image.Image]:
    pages = sorted(folder.glob("page-*.jpg"), key=lambda p: int(p.stem.split("-")[1]))
    out = []
    for p in pages:
        with Image.open(p) as im:
            im.load()
            out.append(im.copy())  # keeps info["dpi"]
    return out


def scans(quick: bool) -> list[tuple[str, bytes | list[Image.Image], list[Image.Image]]]:
    """(name, what the reader is given, the pages as images for the floor) per scanned fixture."""
    pdf = PDF_SCAN.read_bytes()
    out: list[tuple[str, bytes | list[Image.Image], list[Image.Image]]] = [(PDF_SCAN.stem, pdf, ocr.render_pdf(pdf))]
    if not quick:
        jpgs = jpg_pages(JPG_SCAN)
        out.append((JPG_SCAN.name, jpgs, jpgs))
    return out


def floor(pages: list[Image.Image]) -> None:
    for image in pages:
        pytesseract.image_to_data(image.convert("L"), lang="eng", config="--psm 3", output_type=pytesseract.Output.DICT)


def ours(source: bytes | list[Image.Image], timing: ocr.Timing) -> None:
    if isinstance(source, bytes):
        ocr.parse_scanned_pdf(source, timing)
    else:
        ocr.parse_images(source, timing)


def split(source: bytes | list[Image.Image], repeat: int) -> tuple[float, ocr.Timing]:
    """Best wall time of reading one scan, and the Timing of that best run."""
    best_wall, best_timing = float("inf"), ocr.Timing()
    for _ in range(repeat):
        timing = ocr.Timing()
        start = time.perf_counter()
        ours(source, timing)
        wall = time.perf_counter() - start
        if wall < best_wall:
            best_wall, best_timing = wall, timing
    return best_wall, best_timing


# ---- the batch runner: pages per second ----------------------------------------------------------


def build(folder: Path, copies: int) -> None:
    """``copies`` of the scanned PDF, each with a different comment after %%EOF (so a different sha256)."""
    data = PDF_SCAN.read_bytes()
    if not data.endswith(b"\n"):
        data += b"\n"
    for n in range(copies):
        (folder / f"scan-{n:02d}.pdf").write_bytes(data + f"%copy {n}\n".encode())


def run(folder: Path, out: Path, jobs: int) -> tuple[float, int]:
    """Seconds for the batch, and the pages it read by OCR (every file checked converted, by OCR)."""
    start = time.perf_counter()
    result = run_batch(BatchOptions(folder, out, jobs=jobs, force=True))
    seconds = time.perf_counter() - start
    assert result.count("converted") == len(result.rows), result.summary()
    pages = 0
    for row in result.rows:
        plan = json.loads((out / row.output).read_text(encoding="utf-8"))
        assert any(w["code"] == "ocr-used" for w in plan["warnings"]), f"{row.path} was not read by OCR"
        pages += plan["source"]["pages"]
    return seconds, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=None, help="copies of the scanned PDF in the batch folder (default 2, 1 with --quick)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement; the best is kept")
    parser.add_argument("--quick", action="store_true", help="the PDF scan only in one process, and 1 copy in the batch")
    args = parser.parse_args()
    copies = args.copies if args.copies is not None else (1 if args.quick else 2)
    others, started = Others(), time.perf_counter()
    print(f"machine: {os.cpu_count()} CPUs, tesseract {pytesseract.get_tesseract_version()}")
    if os.environ.get(LIMIT) is not None:
        print(f"note: {LIMIT}={os.environ[LIMIT]} was set in the environment; each run below sets or unsets it itself")

    fixtures = scans(args.quick)
    print("\none process (ms/page; Tesseract = orientation + words):")
    for label, value in SETTINGS:
        # Tesseract's own threads are slow enough that one scan shows them; the limit gets every scan
        these = fixtures if value == "1" else fixtures[:1]
        n_pages = sum(len(f[2]) for f in these)
        section = Others()
        with omp_limit(value):
            t_floor = best(lambda: [floor(f[2]) for f in these], args.repeat, warm_up=False)
            wall, tess, own = 0.0, 0.0, 0.0
            for name, source, pages in these:
                w, t = split(source, args.repeat)
                wall, tess, own = wall + w, tess + t.tesseract, own + t.own
                print(f"  {label:<20} {name:<26} {t.pages:2d} pages  Tesseract {t.tesseract / t.pages * 1000:5.0f}  own {t.own / t.pages * 1000:4.0f}"
                      f"  own share {t.own_share * 100:4.1f} %")
        share = own / (tess + own)
        print(f"  {label:<20} floor (image_to_data):      {t_floor:6.2f} s  ({n_pages / t_floor:4.2f} pages/s)")
        print(f"  {label:<20} msp-convert scan -> layout: {wall:6.2f} s  ({n_pages / wall:4.2f} pages/s)  ratio {wall / t_floor:.2f}x"
              f"  own share {share * 100:.1f} % (aim: under 25 %)  [others {section.seconds():.0f} CPU-s]")

    print(f"\nbatch (run_batch), {copies} cop{'ies' if copies != 1 else 'y'} of {PDF_SCAN.name}:")
    results: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory(prefix="msp-bench-ocr-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        build(folder, copies)
        for label, value in SETTINGS:
            for jobs in (1, 2):
                section = Others()
                with omp_limit(value):
                    times = []
                    for i in range(args.repeat):
                        seconds, pages = run(folder, Path(tmp) / f"out-{value}-{jobs}-{i}", jobs)
                        times.append(seconds)
                seconds = min(times)
                results[value, jobs] = pages / seconds
                print(f"  {label:<20} {jobs} job{'s' if jobs > 1 else ' '}: {pages} pages {seconds:7.2f} s  {pages / seconds:5.2f} pages/s  [others {section.seconds():.0f} CPU-s]")
    for label, value in SETTINGS:
        print(f"  {label:<20} speed-up of 2 jobs over 1: {results[value, 2] / results[value, 1]:.2f}x")
    (b_label, b_value), b_jobs = max(((s, j) for s in SETTINGS for j in (1, 2)), key=lambda sj: results[sj[0][1], sj[1]])
    print(f"  best: {b_label}, {b_jobs} job{'s' if b_jobs > 1 else ''} ({results[b_value, b_jobs]:.2f} pages/s,"
          f" {results[b_value, b_jobs] / results[ALL_CPUS, 1]:.2f}x 1 job with threads on every CPU)")
    total = time.perf_counter() - started
    busy = others.seconds()
    print(f"\nother processes used {busy:.1f} CPU-s of the {total * (os.cpu_count() or 1):.0f} the machine had during the"
          f" {total:.0f} s run{' (the numbers above are disturbed)' if busy > 0.02 * total * (os.cpu_count() or 1) else ''}")


if __name__ == "__main__":
    main()
