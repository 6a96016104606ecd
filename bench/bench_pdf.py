"""Speed of the PDF reader, as a ratio against pdfplumber reading the pages.

The floor is what any pdfplumber-based reader must pay: opening each file
and reading every page's chars, lines and rects. The benchmark converts every
PDF fixture to JSON in one run and reports the best run's ratio to the
floor's best run, and the peak memory of converting a small and a 300-page
PDF (it should not grow with the page count). The reader is timed through
the pdfium page source (the default) and the pdfplumber one (the reference),
and the pdfium source's records alone, against the same floor; and how many
pages the pdfium source scans the content stream of (to count the spaces of a
run its text page folds into one).

    python bench/bench_pdf.py [--repeat 3] [--clock cpu|wall]
"""

from __future__ import annotations

import argparse
import io
import sys
import tracemalloc
from pathlib import Path
from typing import Callable

import pdfplumber

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import msp_convert  # noqa: E402
from msp_convert.writers.json import to_json  # noqa: E402
from timing import CPU, WALL, best  # noqa: E402  (bench/ is the script's folder)

Files = list[tuple[str, bytes]]


def fixture_files() -> Files:
    return [(p.name, p.read_bytes()) for p in sorted((REPO / "fixtures" / "pdf").rglob("*.pdf"))]


def floor(files: Files) -> None:
    for _, data in files:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.chars, page.lines, page.rects
                page.close()


def convert(files: Files, source: str = "pdfium") -> None:
    import msp_convert.parsers.pdf as pdf_reader

    before, pdf_reader.SOURCE = pdf_reader.SOURCE, source
    try:
        for name, data in files:
            to_json(msp_convert.read(data=data, filename=name))
    finally:
        pdf_reader.SOURCE = before


def pdfium_records_only(files: Files) -> None:
    """What the pdfium source alone costs: every page read into records (its stream guard included), no geometry."""
    from msp_convert.parsers.pdf.pdfium_source import open_pdfium, pdfium_records
    from msp_convert.parsers.pdf.source import StreamGuard

    for _, data in files:
        pdf = open_pdfium(data)
        try:
            for _ in pdfium_records(pdf, StreamGuard(data)):
                pass
        finally:
            pdf.close()


def streams_scanned(files: Files) -> tuple[int, int]:
    """Pages whose content stream the pdfium source scans (a run of spaces the text page folded, to count), of all:
    a count, which the machine's load does not move."""
    from msp_convert.parsers.pdf import pdfium_source, pdfium_text

    counts = [0, 0]
    scan, record = pdfium_text.Drawn._read, pdfium_source._Page.record

    def counted_scan(self):  # type: ignore[no-untyped-def]
        counts[0] += 1
        return scan(self)

    def counted_record(self):  # type: ignore[no-untyped-def]
        counts[1] += 1
        return record(self)

    pdfium_text.Drawn._read, pdfium_source._Page.record = counted_scan, counted_record  # type: ignore[method-assign]
    try:
        pdfium_records_only(files)
    finally:
        pdfium_text.Drawn._read, pdfium_source._Page.record = scan, record  # type: ignore[method-assign]
    return counts[0], counts[1]


def parsed_only(files: Files) -> None:
    """The pdfium source and the geometry (parse_pdf): the reader without the mapping and the JSON."""
    from msp_convert.parsers.pdf import parse_pdf

    for _, data in files:
        parse_pdf(data, None, source="pdfium")


def peak_records(data: bytes) -> float:
    """The pdfium source's peak memory reading every page into records (each dropped once read).

    The file limits are lifted for it: 1,000 pages is past what a plan may hold.
    """
    import dataclasses

    import msp_convert.parsers.pdf.pdfium_source as pdfium_source
    from msp_convert.parsers.pdf.source import StreamGuard

    limits = pdfium_source.LIMITS
    pdfium_source.LIMITS = dataclasses.replace(limits, pages_per_file=10**6, glyphs_per_file=10**9)
    tracemalloc.start()
    try:
        pdf = pdfium_source.open_pdfium(data)
        try:
            for _ in pdfium_source.pdfium_records(pdf, StreamGuard(data)):
                pass
        finally:
            pdf.close()
    finally:
        pdfium_source.LIMITS = limits
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 2**20


def peak(data: bytes, source: str = "pdfplumber") -> float:
    from msp_convert.parsers.pdf import parse_pdf

    tracemalloc.start()
    parse_pdf(data, source=source)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 2**20


def pages_copied(data: bytes, copies: int) -> bytes:
    from pypdf import PdfReader, PdfWriter

    reader, writer = PdfReader(io.BytesIO(data)), PdfWriter()
    for _ in range(copies):
        for page in reader.pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    parser.add_argument("--quick", action="store_true",
                        help="the floor and the pdfium source only: no pdfplumber source, no memory")
    args = parser.parse_args()
    clock = CPU if args.clock == "cpu" else WALL
    files = fixture_files()
    pages = 0
    for _, data in files:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages += len(pdf.pages)
    t_floor = best(lambda: floor(files), args.repeat, clock=clock)
    print(f"files: {len(files)} PDFs, {pages} pages; best of {args.repeat}, {args.clock} time")
    print(f"floor (pdfplumber: open, chars, lines, rects): {t_floor:7.2f} s  ({t_floor / pages * 1000:.1f} ms/page)")
    if not args.quick:
        t_ours = best(lambda: convert(files, "pdfplumber"), args.repeat, clock=clock)
        print(f"... through the pdfplumber source:            {t_ours:7.2f} s  ({t_ours / pages * 1000:.1f} ms/page)  ratio {t_ours / t_floor:.2f}x")
    pdfium_times(files, pages, t_floor, lambda fn: best(fn, args.repeat, clock=clock))
    if not args.quick:
        memory()


def pdfium_times(files: Files, pages: int, t_floor: float, timed: Callable[[Callable[[], None]], float]) -> None:
    t_pdfium = timed(lambda: convert(files, "pdfium"))
    t_records = timed(lambda: pdfium_records_only(files))
    t_parsed = timed(lambda: parsed_only(files))
    print(f"msp-convert .pdf -> JSON (pdfium):            {t_pdfium:7.2f} s  ({t_pdfium / pages * 1000:.1f} ms/page)  ratio {t_pdfium / t_floor:.2f}x")
    print(f"pdfium source alone (records, no geometry):  {t_records:7.2f} s  ({t_records / pages * 1000:.1f} ms/page)  ratio {t_records / t_floor:.2f}x")
    scanned, read = streams_scanned(files)
    print(f"... its pages whose content stream is scanned for the spaces a run holds: {scanned} of {read}")
    print(f"... with its geometry (parse_pdf, no mapping): {t_parsed:7.2f} s  geometry {(t_parsed - t_records) / t_floor:.2f}x, "
          f"mapping + JSON {(t_pdfium - t_parsed) / t_floor:.2f}x")


def memory() -> None:
    small = (REPO / "fixtures" / "pdf" / "08-ks1-visual-impairment.pdf").read_bytes()
    big = pages_copied(small, 38)
    for source in ("pdfplumber", "pdfium"):
        print(f"peak memory while reading ({source}): 8 pages {peak(small, source):.1f} MiB; 304 pages {peak(big, source):.1f} MiB")
    huge = pages_copied(small, 125)  # 1,000 pages
    print(f"peak memory, pdfium records alone: 8 pages {peak_records(small):.1f} MiB; 1,000 pages {peak_records(huge):.1f} MiB")


if __name__ == "__main__":
    main()
