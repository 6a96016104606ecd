"""Speed of the Word reader, as a ratio against the unavoidable floor.

The floor is what any reader must do: unzip the file and parse
word/document.xml and word/styles.xml with lxml. The benchmark converts every
.docx fixture to JSON in one run, many times, in turns with the floor, and
reports the best run's ratio to the floor's best run (and the parser's alone: the rest
is the mapping's; and of the parser, opening the package alone: unzipping and parsing
every part it reads, the rest is the walk of the trees), by wall time and by CPU time (``time.process_time``: the
steadier on a shared machine, as it leaves out time other processes held the
core), plus docx2python's plain
text extraction of the same files (when installed: ``pip install -e '.[bench]'``)
for comparison, and the peak memory of one conversion pass.

    python bench/bench_docx.py [--repeat 15] [--set fixtures|messy|both] [--calls] [--instructions]

``--calls`` also counts the Python function calls of one pass (cProfile) of the
parser and of the whole reader: unlike times, counts do not move with the load
of a shared machine, so they show whether a change cut work. ``--instructions``
counts the machine instructions of one pass of the floor, the package, the parser and the
whole reader (valgrind's cachegrind, when installed: slow, minutes, but the
same on a quiet machine and a busy one, C code included, which calls miss).

Two sets: the fixture plans, and the larger, messier plans of fixtures/messy/.

Figures depend on the machine; the ratio is what to compare.
"""

from __future__ import annotations

import argparse
import io
import sys
import tracemalloc
import zipfile
from pathlib import Path
from typing import Callable

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import msp_convert  # noqa: E402
from msp_convert.parsers.docx import parse_docx  # noqa: E402
from msp_convert.parsers.docx.package import open_package  # noqa: E402
from msp_convert.writers.json import to_json  # noqa: E402
from timing import best, best_both  # noqa: E402  (bench/ is the script's folder)


def fixture_files() -> list[tuple[str, bytes]]:
    # The plans and the blank template (not the encrypted or evidence .docx under fixtures/).
    paths = sorted((REPO / "fixtures" / "plans").glob("*.docx")) + [REPO / "fixtures" / "blank-template.docx"]
    example = REPO.parent / "shared" / "spec" / "example" / "example-plan.docx"
    if example.exists():
        paths.append(example)
    return [(p.name, p.read_bytes()) for p in paths]


def messy_files() -> list[tuple[str, bytes]]:
    # Larger, messier plans (fixtures/make_messy.py): 9-10 outcome and provision rows, tracked
    # changes, merged rows, three reviews, every tick-box encoding in one file.
    return [(p.name, p.read_bytes()) for p in sorted((REPO / "fixtures" / "messy").glob("*.docx"))]


SETS = {"fixtures": fixture_files, "messy": messy_files}


def floor(files: list[tuple[str, bytes]]) -> None:
    for _, data in files:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            etree.fromstring(z.read("word/document.xml"))
            etree.fromstring(z.read("word/styles.xml"))


def convert(files: list[tuple[str, bytes]]) -> None:
    for name, data in files:
        to_json(msp_convert.read(data=data, filename=name))


def parse(files: list[tuple[str, bytes]]) -> None:
    """The Word parser alone (the layout, before any mapping)."""
    for _, data in files:
        parse_docx(data)


def package(files: list[tuple[str, bytes]]) -> None:
    """Opening the package alone: what the parser unzips and parses before its walk of the trees."""
    for _, data in files:
        open_package(data)


def docx2python_text(files: list[tuple[str, bytes]]) -> None:
    from docx2python import docx2python

    for _, data in files:
        with docx2python(io.BytesIO(data)) as doc:
            doc.text


def peak_memory(fn: Callable[[list[tuple[str, bytes]]], None], files: list[tuple[str, bytes]]) -> int:
    tracemalloc.start()
    fn(files)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--set", choices=[*SETS, "both"], default="both", help="which files (default: each set in turn)")
    parser.add_argument("--calls", action="store_true", help="also count the function calls of one pass")
    parser.add_argument("--instructions", action="store_true", help="also count the instructions of one pass (valgrind)")
    parser.add_argument("--passes-of", choices=list(PASSES), help=argparse.SUPPRESS)  # run under valgrind, see instructions
    parser.add_argument("--passes", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    for name in SETS if args.set == "both" else [args.set]:
        files = SETS[name]()
        if args.passes_of:
            for _ in range(args.passes + 1):  # the first: imports, caches
                PASSES[args.passes_of](files)
            continue
        measure(name, files, args.repeat)
        if args.calls:
            print(f"function calls of one pass: parser {calls(parse, files):,}, whole reader {calls(convert, files):,}")
        if args.instructions:
            counts = {what: instructions(what, name) for what in PASSES}
            print("instructions of one pass: " + ", ".join(f"{what} {n / 1e6:,.0f} M" for what, n in counts.items())
                  + f"; package {counts['package'] / counts['floor']:.2f}x the floor, parser {counts['parser'] / counts['floor']:.2f}x,"
                  + f" whole reader {counts['reader'] / counts['floor']:.2f}x")


PASSES = {"floor": floor, "package": package, "parser": parse, "reader": convert}


def instructions(what: str, set_name: str, passes: int = 2) -> int:
    """Machine instructions of one pass of ``PASSES[what]`` over a set: valgrind's count of a run with
    ``passes`` more passes, less that of a run with none (start-up, imports and the warm pass cancel)."""
    import re
    import shutil
    import subprocess

    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")

    def run(n: int) -> int:
        cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               sys.executable, __file__, "--set", set_name, "--passes-of", what, "--passes", str(n)]
        err = subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
        return int(re.search(r"I\s+refs:\s+([\d,]+)", err).group(1).replace(",", ""))

    return (run(passes) - run(0)) // passes


def calls(fn: Callable[[list[tuple[str, bytes]]], None], files: list[tuple[str, bytes]]) -> int:
    """Python function calls (cProfile's count, built-ins included) of one warm pass of ``fn``."""
    import cProfile
    import pstats

    fn(files)  # imports, caches
    profile = cProfile.Profile()
    profile.runcall(fn, files)
    return pstats.Stats(profile).total_calls


def best_in_turns(fns: list[Callable[[], None]], repeat: int) -> list[tuple[float, float]]:
    """Each function's best (wall, CPU) times, the functions run in turns (a shared machine's load falls
    on both the floor and the reader, so their ratio holds better than when each is timed in a block)."""
    times = [[best_both(fn, 1, warm_up=True)] for fn in fns]
    for _ in range(repeat - 1):
        for fn, kept in zip(fns, times):
            kept.append(best_both(fn, 1, warm_up=False))
    return [(min(w for w, _ in kept), min(c for _, c in kept)) for kept in times]


def measure(name: str, files: list[tuple[str, bytes]], repeat: int) -> None:
    size = sum(len(d) for _, d in files)
    (t_floor, c_floor), (t_pkg, c_pkg), (t_parse, c_parse), (t_ours, c_ours) = best_in_turns(
        [lambda: floor(files), lambda: package(files), lambda: parse(files), lambda: convert(files)], repeat
    )
    print(f"{name}: {len(files)} .docx, {size / 1024:.0f} KiB (ratios by wall time, and by CPU time: steadier on a shared machine)")
    print(f"floor (unzip + lxml parse of document.xml, styles.xml): {t_floor * 1000:8.1f} ms  ({t_floor / len(files) * 1000:.2f} ms/file)")
    print(f"msp-convert .docx -> JSON:                           {t_ours * 1000:8.1f} ms  ({t_ours / len(files) * 1000:.2f} ms/file)"
          f"  ratio {t_ours / t_floor:.2f}x (CPU {c_ours / c_floor:.2f}x)")
    print(f"  of which the parser (.docx -> layout):             {t_parse * 1000:8.1f} ms  ratio {t_parse / t_floor:.2f}x"
          f" (CPU {c_parse / c_floor:.2f}x), the rest (choosing, dividing, mapping, JSON) {(t_ours - t_parse) / t_floor:.2f}x"
          f" (CPU {(c_ours - c_parse) / c_floor:.2f}x)")
    print(f"    of which opening the package (every part read):  {t_pkg * 1000:8.1f} ms  ratio {t_pkg / t_floor:.2f}x"
          f" (CPU {c_pkg / c_floor:.2f}x), the walk of the trees {(t_parse - t_pkg) / t_floor:.2f}x"
          f" (CPU {(c_parse - c_pkg) / c_floor:.2f}x)")
    try:
        t_d2p = best(lambda: docx2python_text(files), max(3, repeat // 3))
        print(f"docx2python plain text:                              {t_d2p * 1000:8.1f} ms  ratio {t_d2p / t_floor:.2f}x")
    except ImportError:
        print("docx2python plain text: not installed (pip install -e '.[bench]')")
    print(f"peak memory of one pass: floor {peak_memory(floor, files) / 2**20:.1f} MiB, "
          f"msp-convert {peak_memory(convert, files) / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
