"""Plans a second a core, by format, and what a migration takes on N cores (README "At scale").

One process (one core) converts each format's fixtures as a batch worker does
(``batch.workers._convert``: read, map, the JSON made; the files not written), and
reports plans a second of its CPU time (the process's own: Tesseract runs in it,
one thread), and where that time goes: the format's parser (the PDF page source,
Word's XML walk, OCR and a scanned PDF's page images), the JSON writer, and the
rest (mapping: sections, fields, coverage). Word and PDF are the best of
``--repeat`` turns; scans one turn (OCR is seconds a page).

    python bench/bench_scale.py [--repeat 3] [--mix 60,30,10] [--no-scans]

Then the arithmetic: hours for 10,000 and 1,000,000 plans on 1, 2, 16 and 64
cores, for each format and for a mix (Word, text PDF, scan shares), at the
measured rate and linear scaling: the batch's own cost a file (the parent's, or
a Dask client's and scheduler's: ``bench_batch.py --small``) is beside it, not in it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SCANS = ["01-eyfs-speech-language-pen-grey200.pdf", "03-ks2-dyslexia-grey300.pdf", "04-ks2-autism-g4-dither300.tif",
         "06-ks2-semh-pen-g4-200.tif", "09-ks2-adhd-copy2", "12-ks4-eal-sen-g4-200.tif"]  # those whose facts are known
CORES = (1, 2, 16, 64)
MIGRATIONS = (10_000, 1_000_000)


class Stages:
    """CPU seconds spent in each wrapped function (the parsers, the JSON writer), and pages OCR read."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self.pages = 0
        self.wrapped: list[tuple[Any, str, Any]] = []  # (module, name, the function it had)

    def wrap(self, module: Any, name: str, stage: str) -> None:
        inner = getattr(module, name)
        self.wrapped.append((module, name, inner))

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                found = inner(*args, **kwargs)
            finally:
                self.cpu[stage] = self.cpu.get(stage, 0.0) + time.process_time() - start
            if stage in ("PDF parser", "OCR"):  # a document's pages (a scanned PDF's: once, by OCR)
                self.pages += found.value.pages or 0
            return found

        setattr(module, name, timed)

    def undo(self) -> None:
        for module, name, inner in reversed(self.wrapped):
            setattr(module, name, inner)


def stages() -> Stages:
    from msp_convert.batch import workers
    from msp_convert.parsers import docx, ocr, pdf

    found = Stages()
    found.wrap(docx, "parse_docx", "Word parser")
    found.wrap(pdf, "parse_pdf", "PDF parser")
    found.wrap(ocr, "parse_images", "OCR")
    found.wrap(ocr, "render_pdf", "scan's page images")
    found.wrap(workers, "to_json", "JSON")
    return found


def task(path: Path, out: Path) -> dict[str, Any]:
    """A batch worker's task for one input: its bytes sent, its outputs sent back, not written."""
    given: dict[str, Any] = {"src": str(path)} if path.is_dir() else {"data": path.read_bytes(), "name": path.name}
    return {"rel": path.name, "kind": "convert", "to": "json", "out": str(out / f"{path.stem}.json"),
            "password": None, "tables": False, "send_back": True, **given}


def turn(paths: list[Path], found: Stages) -> tuple[int, float, float]:
    """(plans, CPU seconds, wall seconds) of converting every path once."""
    from msp_convert.batch.workers import _convert

    plans, cpu, wall = 0, time.process_time(), time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="msp-bench-") as out:
        for path in paths:
            result = _convert(task(path, Path(out)))
            assert result["status"] == "ok", (path.name, result.get("error"))
            plans += 1 + len(result.get("more", []))
    return plans, time.process_time() - cpu, time.perf_counter() - wall


def measure(name: str, paths: list[Path], repeat: int, source: str = "") -> dict[str, Any]:
    """The best of ``repeat`` turns: plans, CPU and wall seconds, pages, and the CPU a stage."""
    import msp_convert.parsers.pdf as pdf_reader

    before = pdf_reader.SOURCE
    pdf_reader.SOURCE = source or before
    try:
        best: dict[str, Any] = {}
        for _ in range(repeat):
            found = stages()
            try:
                plans, cpu, wall = turn(paths, found)
            finally:
                found.undo()
            if not best or cpu < best["cpu"]:
                best = {"name": name, "plans": plans, "cpu": cpu, "wall": wall, "pages": found.pages, "stages": found.cpu}
        return best
    finally:
        pdf_reader.SOURCE = before


def report(row: dict[str, Any]) -> str:
    rate = row["plans"] / row["cpu"]
    parts = [f"{stage} {seconds / row['cpu'] * 100:.1f} %" for stage, seconds in sorted(row["stages"].items(), key=lambda s: -s[1])]
    rest = 1 - sum(row["stages"].values()) / row["cpu"]
    pages = f", {row['pages']} pages: {row['cpu'] / row['pages']:.2f} s a page" if row["pages"] else ""
    return (f"{row['name']:<18} {row['plans']:3d} plans  {rate:7.2f} plans/s a core  ({row['cpu'] / row['plans'] * 1000:7.0f} ms CPU a plan, "
            f"wall {row['wall'] / row['plans'] * 1000:.0f} ms{pages})\n{'':20}{', '.join(parts)}, mapping and the rest {rest * 100:.1f} %")


def arithmetic(rates: dict[str, float], mix: dict[str, float]) -> list[str]:
    """Time for each migration on each number of cores, a format each and the mix."""
    seconds = {name: 1 / rate for name, rate in rates.items()}  # CPU seconds a plan
    seconds["mix"] = sum(share * seconds[name] for name, share in mix.items())
    lines = [f"{'':30}" + "".join(f"{f'{c} core' + ('s' if c > 1 else ''):>12}" for c in CORES)]
    for name, each in seconds.items():
        for n in MIGRATIONS:
            lines.append(f"{name:<18}{n:>12,}" + "".join(f"{_hours(n * each / c):>12}" for c in CORES))
    return lines


def _hours(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400 * 2:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mix", default="60,30,10", help="Word, text PDF and scan shares of the migration, in per cent")
    parser.add_argument("--no-scans", action="store_true", help="Word and PDF only (OCR takes minutes)")
    args = parser.parse_args()
    word = sorted((REPO / "fixtures" / "plans").glob("*.docx"))
    pdfs = sorted((REPO / "fixtures" / "pdf").glob("*.pdf"))
    runs: list[Callable[[], dict[str, Any]]] = [
        lambda: measure("Word", word, args.repeat),
        lambda: measure("PDF (pdfium)", pdfs, args.repeat, "pdfium"),
        lambda: measure("PDF (pdfplumber)", pdfs, args.repeat, "pdfplumber"),
    ]
    if not args.no_scans:
        runs.append(lambda: measure("scan (OCR)", [REPO / "fixtures" / "scans" / name for name in SCANS], 1))
    measure("warm-up", word[:2] + pdfs[:2], 1)  # the readers imported once, outside the turns
    rows = [run() for run in runs]
    for row in rows:
        print(report(row))
    rates = {row["name"]: row["plans"] / row["cpu"] for row in rows}
    shares = [float(x) / 100 for x in args.mix.split(",")]
    mix = dict(zip(["Word", "PDF (pdfium)", "scan (OCR)"], shares))
    if "scan (OCR)" not in rates:
        mix.pop("scan (OCR)")
    print(f"\nCPU-hours at the rates above, spread over N cores (linear); mix: "
          + ", ".join(f"{name} {share * 100:.0f} %" for name, share in mix.items()))
    print("\n".join(arithmetic(rates, mix)))


if __name__ == "__main__":
    main()
