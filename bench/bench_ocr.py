"""Speed of the OCR reader against the bare-Tesseract floor, and pages per second on 1 and 2 workers.

The floor is what any reader built on Tesseract must pay: the page images
got out of the file (a scanned PDF's pages rendered; image files are decoded
before either is timed) and one loaded engine (tesserocr, in process, made
before the clock starts) reading the words of each page: SetImageBytes +
Recognize + the words with their boxes (GetTSVText). msp-convert's time per
page is given as a ratio to it, split by ``ocr.Timing`` into Tesseract's
words, orientation detection (only for pages that still read poorly: one
upside down is told by its print and turned before it is read), the second
look at lone marks, and the project's own image work. The floor's engine has
Tesseract's default settings, as msp-convert's has: a setting that made
Tesseract faster would be given to both. Times are CPU seconds of this
process (Tesseract runs in it, and msp-convert's OpenCV on the reading thread
alone), which a busy machine changes little; the clock's time is shown
beside them.

Then a folder of copies of the scanned PDF (each made unique with a PDF
comment at its end) is converted by ``run_batch``, the batch path: worker
processes, each loading its engine once and reading whole files. Each figure
is followed by the CPU seconds other processes used meanwhile ([others N
CPU-s]): anything else running slows the batch, whose figures are the
clock's.

    python bench/bench_ocr.py [--copies 2] [--repeat 1] [--quick] [--all]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Union

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from msp_convert.batch import BatchOptions, run_batch  # noqa: E402
from msp_convert.parsers import ocr  # noqa: E402
from msp_convert.parsers.images import folder_pages, load_pages, read_files  # noqa: E402
from msp_convert.parsers.ocr import engine  # noqa: E402

SCANS = REPO / "fixtures" / "scans"
PDF_SCAN = SCANS / "08-ks1-visual-impairment.pdf"
JPG_SCAN = SCANS / "11-ks1-dcd"
NOT_PLANS = {"blank.pdf", "low-dpi.jpg"}  # fixtures that are refused, not read

Source = Union[bytes, list[Image.Image]]  # a scanned PDF's bytes, or decoded page images


class Others:
    """CPU seconds that processes other than this benchmark (and its children) used since it was made.

    The machine's busy time (/proc/stat) less this process's and its waited-for
    children's (the batch workers). More than a few seconds means something else
    ran at the same time and the clock's numbers are disturbed.
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


# ---- the fixtures ------------------------------------------------------------------------------


def scans(everything: bool, quick: bool) -> list[tuple[str, Source]]:
    """(name, what the reader is given) per scanned fixture: 08 and 11, or (``everything``) all of fixtures/scans."""
    chosen = [PDF_SCAN] if quick else [PDF_SCAN, JPG_SCAN]
    if everything:
        chosen += sorted(p for p in SCANS.iterdir() if p not in chosen and p.name not in NOT_PLANS and _is_scan(p))
    return [(p.stem if p.is_file() else p.name, _source(p)) for p in chosen]


def _is_scan(path: Path) -> bool:
    if path.is_dir():
        return bool(folder_pages(path))
    return path.suffix.lower() in {".pdf", ".tif", ".tiff", ".jpg", ".png"}


def _source(path: Path) -> Source:
    if path.is_dir():
        return read_files(folder_pages(path))[0]
    if path.suffix.lower() == ".pdf":
        return path.read_bytes()
    return load_pages(path.read_bytes())


def pages_of(source: Source) -> list[Image.Image]:
    return ocr.render_pdf(source) if isinstance(source, bytes) else list(source)


# ---- one process: the floor, and where msp-convert's time goes -------------------------------------


def floor_reader() -> Callable[[Source], int]:
    """The floor as a function of a source (its pages' words read by one engine, loaded now); it returns the words read."""
    import tesserocr

    api = tesserocr.PyTessBaseAPI(path=str(engine.tessdata()), lang="eng", psm=tesserocr.PSM.AUTO,
                                  variables={"debug_file": os.devnull})

    def read(source: Source) -> int:
        words = 0
        for image in pages_of(source):
            grey = np.ascontiguousarray(np.asarray(image.convert("L")))
            api.SetImageBytes(grey.tobytes(), grey.shape[1], grey.shape[0], 1, grey.shape[1])
            api.Recognize()
            words += sum(1 for row in api.GetTSVText(0).splitlines() if row.startswith("5\t"))
        return words

    return read


@dataclass
class Spent:
    """CPU and clock seconds of the fastest of some runs (and, for ours, the Timing of that run)."""

    cpu: float = float("inf")
    wall: float = float("inf")
    timing: ocr.Timing = field(default_factory=ocr.Timing)


def timed(fn: Callable[[ocr.Timing], object], repeat: int) -> Spent:
    best = Spent()
    for _ in range(repeat):
        timing = ocr.Timing()
        cpu, wall = time.process_time(), time.perf_counter()
        fn(timing)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if cpu < best.cpu:
            best = Spent(cpu, wall, timing)
    return best


def ours(source: Source, timing: ocr.Timing) -> None:
    if isinstance(source, bytes):
        ocr.parse_scanned_pdf(source, timing)
    else:
        ocr.parse_images(source, timing)


def one_process(fixtures: list[tuple[str, Source]], repeat: int) -> None:
    floor = floor_reader()
    engine.words(np.full((64, 64), 255, dtype=np.uint8))  # msp-convert's engine loaded too, before the clock starts
    print("\none process, per page (CPU ms; the clock's in brackets):")
    print(f"  {'fixture':<30} {'pages':>5} {'floor':>11} {'ours':>11} {'ratio':>6}   {'words':>5} {'orient':>6} {'2nd':>4} {'own':>4}")
    total_floor = total_ours = 0.0
    total = ocr.Timing()
    for name, source in fixtures:
        f = timed(lambda _t: floor(source), repeat)
        o = timed(lambda t: ours(source, t), repeat)
        t, n = o.timing, o.timing.pages or 1
        words = t.tesseract - t.orientation - t.second_look
        print(f"  {name:<30} {t.pages:5d} {f.cpu / n * 1000:5.0f} ({f.wall / n * 1000:4.0f}) {o.cpu / n * 1000:5.0f} ({o.wall / n * 1000:4.0f})"
              f" {o.cpu / f.cpu:5.2f}x   {words / n * 1000:5.0f} {t.orientation / n * 1000:6.0f} {t.second_look / n * 1000:4.0f} {t.own / n * 1000:4.0f}"
              f"  (upside down by print {t.upside_down}, orientation detected {t.orientations})")
        total_floor, total_ours = total_floor + f.cpu, total_ours + o.cpu
        for k in ("tesseract", "own", "orientation", "second_look", "pages", "orientations", "upside_down"):
            setattr(total, k, getattr(total, k) + getattr(t, k))
    n = total.pages or 1
    print(f"  all {n} pages: floor {total_floor / n * 1000:.0f} ms/page ({n / total_floor:.2f} pages/s), msp-convert"
          f" {total_ours / n * 1000:.0f} ms/page ({n / total_ours:.2f} pages/s): {total_ours / total_floor:.2f}x the floor (aim: 1.2x);"
          f" own image work {total.own_share * 100:.1f} % of the reading")


# ---- the batch runner: pages per second ---------------------------------------------------------


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


def batch(copies: int, repeat: int) -> None:
    print(f"\nbatch (run_batch: worker processes, one engine each), {copies} cop{'ies' if copies != 1 else 'y'} of {PDF_SCAN.name}:")
    rates: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="msp-bench-ocr-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        build(folder, copies)
        for jobs in (1, 2):
            section = Others()
            times = []
            for i in range(repeat):
                seconds, pages = run(folder, Path(tmp) / f"out-{jobs}-{i}", jobs)
                times.append(seconds)
            rates[jobs] = pages / min(times)
            print(f"  {jobs} job{'s' if jobs > 1 else ' '}: {pages} pages {min(times):7.2f} s  {rates[jobs]:5.2f} pages/s  [others {section.seconds():.0f} CPU-s]")
    print(f"  speed-up of 2 jobs over 1: {rates[2] / rates[1]:.2f}x")


def openmp() -> str:
    """Whether the loaded libtesseract runs OpenMP threads (the tesserocr wheel's does not)."""
    try:
        with open("/proc/self/maps", encoding="ascii", errors="replace") as maps:
            return "with OpenMP" if "libgomp" in maps.read() else "no OpenMP: one thread"
    except OSError:
        return "OpenMP unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=None, help="copies of the scanned PDF in the batch folder (default 2, 1 with --quick)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement; the fastest is kept")
    parser.add_argument("--quick", action="store_true", help="the PDF scan only in one process, and 1 copy in the batch")
    parser.add_argument("--all", action="store_true", help="every scanned plan in fixtures/scans, not only 08 and 11")
    args = parser.parse_args()
    copies = args.copies if args.copies is not None else (1 if args.quick else 2)
    others, started = Others(), time.perf_counter()
    import tesserocr

    fixtures = scans(args.all, args.quick)
    print(f"machine: {os.cpu_count()} CPUs; libtesseract {tesserocr.tesseract_version().split()[1]} via tesserocr {tesserocr.__version__}"
          f" ({openmp()}); data {engine.tessdata()}")
    one_process(fixtures, args.repeat)
    batch(copies, args.repeat)
    total = time.perf_counter() - started
    busy = others.seconds()
    print(f"\nother processes used {busy:.1f} CPU-s of the {total * (os.cpu_count() or 1):.0f} the machine had during the"
          f" {total:.0f} s run{' (the clock times above are disturbed)' if busy > 0.02 * total * (os.cpu_count() or 1) else ''}")


if __name__ == "__main__":
    main()
