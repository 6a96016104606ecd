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

    python bench/bench_docx.py [--repeat 15] [--set fixtures|messy|both] [--calls] [--instructions] [--bounds]

``--calls`` also counts the Python function calls of one pass (cProfile) of the
parser and of the whole reader: unlike times, counts do not move with the load
of a shared machine, so they show whether a change cut work. ``--instructions``
counts the machine instructions of one pass of the floor, the package, the parser and the
whole reader (valgrind's cachegrind, when installed: slow, minutes, but the
same on a quiet machine and a busy one, C code included, which calls miss).

``--bounds`` prints, instead, how low a reader of this design can go: each part it
cannot do without, timed alone from input prepared beforehand (CPU time, in turns with
the floor, as ratios to it): 1 opening the package as the reader does; 2 visiting every
element of the trees it walks from Python, and a bare walk keeping only each paragraph's
text; 3 the layout objects alone, from plain data; 4 the output alone, the JSON of the
finished plans and their models built from their parts as the mapping builds them; 5 each
line normalised once and looked up once among its profile's wordings. The sum of 1-5 (2 by
the bare walk) is a lower bound; 3x less it is the room left for all else the reader does
(template matching with tolerances, tick boxes, tracked changes, tables, the profile
choice, plan division, validation).

Two sets: the fixture plans, and the larger, messier plans of fixtures/messy/.

Figures depend on the machine; the ratio is what to compare.
"""

from __future__ import annotations

import argparse
import io
import sys
import tracemalloc
import zipfile
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional

from lxml import etree
from pydantic import BaseModel

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import msp_convert  # noqa: E402
from msp_convert.parsers.docx import parse_docx  # noqa: E402
from msp_convert.layout import Block, Cell, Document, Inline, Paragraph, Row, Run, Table, TickBox, iter_paragraphs  # noqa: E402
from msp_convert.mapping.entries import _entry  # noqa: E402  (how the mapping builds an Entry)
from msp_convert.mapping.text import Line  # noqa: E402
from msp_convert.model import Entry, Plan  # noqa: E402
from msp_convert.parsers.docx.ns import W_BR, W_CR, W_DELTEXT, W_P, W_T, W_TAB  # noqa: E402
from msp_convert.parsers.docx.package import Package, open_package  # noqa: E402
from msp_convert.template import DEFAULT_PROFILE, PROFILES  # noqa: E402
from msp_convert.template import Profile as TemplateProfile  # noqa: E402
from msp_convert.text import norm  # noqa: E402
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
    parser.add_argument("--bounds", action="store_true", help="instead, the lower bounds of a reader of this design")
    parser.add_argument("--passes-of", choices=list(PASSES), help=argparse.SUPPRESS)  # run under valgrind, see instructions
    parser.add_argument("--passes", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    for name in SETS if args.set == "both" else [args.set]:
        files = SETS[name]()
        if args.passes_of:
            for _ in range(args.passes + 1):  # the first: imports, caches
                PASSES[args.passes_of](files)
            continue
        if args.bounds:
            measure_bounds(name, files, args.repeat)
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


# --bounds: the least each part of a reader of this design costs, each measured alone on input
# prepared beforehand (so no part's time is counted twice), in turns with the floor and the reader.


@dataclass
class Prepared:
    """What each bound starts from, built once from a set's files before any timing."""

    packages: list[Package]  # each file opened as the reader opens it
    layouts: list[tuple]  # each file's layout (``parse_docx``) as plain tuples and lists
    plans: list[Plan]  # every plan of every file, as the reader gives them
    lines: list[tuple[list[str], dict[str, str]]]  # each file's paragraph texts, its profile's wordings


def prepare(files: list[tuple[str, bytes]]) -> Prepared:
    packages, layouts, plans, lines = [], [], [], []
    for name, data in files:
        packages.append(open_package(data))
        document = parse_docx(data).value
        layouts.append(_plain_document(document))
        read = msp_convert.read_all(data=data, filename=name)
        plans.extend(read)
        texts = [p.text for blocks in (document.body, document.headers, document.footers) for p in iter_paragraphs(blocks)]
        lines.append((texts, profile_wordings(PROFILES.get(read[0].template.id, DEFAULT_PROFILE))))
    return Prepared(packages, layouts, plans, lines)


def open_all(files: list[tuple[str, bytes]]) -> list[Package]:
    """Bound 1: opening each package as the reader does (every part it reads, unzipped and parsed)."""
    return [open_package(data) for _, data in files]


def _parts(pkg: Package, styles: bool = True) -> list[etree._Element]:
    return [pkg.document.root, *([pkg.styles.root] if styles and pkg.styles else []),
            *(p.root for p in pkg.headers), *(p.root for p in pkg.footers)]


def visit(packages: list[Package]) -> int:
    """Bound 2a (not summed: 2b does it too): every element of every part the reader walks, visited
    from Python, doing nothing; how many."""
    n = 0
    for pkg in packages:
        for root in _parts(pkg):
            for _ in root.iter():
                n += 1
    return n


_BARE = {W_P: 0, W_T: 1, W_DELTEXT: 1, W_TAB: 2, W_BR: 3, W_CR: 3}


def bare_walk(packages: list[Package]) -> list[str]:
    """Bound 2b: one Python step per element of the text parts (document, headers, footers), keeping
    only each paragraph's text (its runs' text, deleted text included, tabs and breaks): the least
    any reader must do per element. A paragraph runs to the next one's start."""
    texts: list[str] = []
    for pkg in packages:
        for root in _parts(pkg, styles=False):
            text: list[str] = []
            for el in root.iter():
                kind = _BARE.get(el.tag)
                if kind is None:
                    continue
                if kind == 1:
                    text.append(el.text or "")
                elif kind == 0:
                    texts.append("".join(text))
                    text = []
                else:
                    text.append("\t" if kind == 2 else "\n")
            texts.append("".join(text))
    return texts


def _plain_inline(i: Inline) -> tuple:
    if type(i) is Run:
        return (Run, i.text, i.struck, i.deleted, i.inserted)
    return (TickBox, i.checked, i.encoding, i.confidence, i.page, i.box)


def _plain_blocks(blocks: list[Block]) -> list[tuple]:
    return [(Paragraph, [_plain_inline(i) for i in b.inlines], b.list_item, b.origin, b.confidence, b.low,
             b.page, b.box, b.heading, b.bold) if type(b) is Paragraph else
            (Table, [[(_plain_blocks(c.blocks), c.col, c.col_span, c.row_span, c.shaded) for c in row.cells]
                     for row in b.rows], b.columns, b.origin) for b in blocks]


def _plain_document(doc: Document) -> tuple:
    return (_plain_blocks(doc.body), _plain_blocks(doc.headers), _plain_blocks(doc.footers), doc.pages)


def _blocks(data: list[tuple]) -> list[Block]:
    # Each field by its index, no unpacking: the least Python a build of these objects takes.
    blocks: list[Block] = []
    for d in data:
        if d[0] is Paragraph:
            blocks.append(Paragraph([Run(i[1], i[2], i[3], i[4]) if i[0] is Run else TickBox(i[1], i[2], i[3], i[4], i[5])
                                     for i in d[1]], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9]))
        else:
            blocks.append(Table([Row([Cell(_blocks(c[0]), c[1], c[2], c[3], c[4]) for c in row]) for row in d[1]], d[2], d[3]))
    return blocks


def layouts(prepared: list[tuple]) -> list[Document]:
    """Bound 3: the layout objects alone: each file's Document, built from plain data, no XML."""
    return [Document(_blocks(body), _blocks(headers), _blocks(footers), pages) for body, headers, footers, pages in prepared]


def write_json(plans: list[Plan]) -> list[str]:
    """Bound 4a: each finished plan written as JSON (``to_json``)."""
    return [to_json(plan) for plan in plans]


def _rebuilt(value: object) -> object:
    if type(value) is Entry:
        return _entry(dict(value.__dict__))
    if isinstance(value, BaseModel):
        return type(value)(**{key: _rebuilt(v) for key, v in value.__dict__.items()})
    if type(value) is list:
        return [_rebuilt(v) for v in value]
    return value


def build_models(plans: list[Plan]) -> list[Plan]:
    """Bound 4b: each plan's model built again from its parts as the mapping builds them: an Entry by
    hand (``entries._entry``: what ``model_construct`` makes), every other model by its constructor
    from its fields' values (validated; a part already built is passed as it is, which pydantic
    does not validate again)."""
    return [_rebuilt(plan) for plan in plans]  # type: ignore[misc]


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for v in value:
            yield from _strings(v)
    elif is_dataclass(value):
        for f in fields(value):
            yield from _strings(getattr(value, f.name))


def profile_wordings(profile: TemplateProfile) -> dict[str, str]:
    """Every string the profile gives (headings, prompts, labels, their variants, marks), by its normal form."""
    return {n: s for s in _strings(profile) if (n := norm(s))}


def look_up_lines(prepared: list[tuple[list[str], dict[str, str]]]) -> list[Optional[str]]:
    """Bound 5: the mapping's least per-line work: each line normalised once (``mapping.text.Line``:
    the normal form and its words) and looked up once among its profile's wordings."""
    return [wordings.get(Line(text, exact=True).n) for texts, wordings in prepared for text in texts]


_NORM_AFRESH = norm.__wrapped__  # type: ignore[attr-defined]  # norm without its cache


def look_up_lines_afresh(prepared: list[tuple[list[str], dict[str, str]]]) -> list[Optional[str]]:
    """Bound 5 as for plans never read before: each line's normal form worked out, not taken from
    ``norm``'s cache (which, over repeated passes, holds every line of the set, for the reader too)."""
    return [wordings.get(Line(text, _NORM_AFRESH(text), exact=True).n) for texts, wordings in prepared for text in texts]


BOUNDS = {  # name: (what it is, the function, what it takes from Prepared)
    "package": ("1 opening the package (every part read)", None, None),
    "visit": ("2a every element visited from Python (not summed)", visit, "packages"),
    "walk": ("2b a bare walk keeping each paragraph's text", bare_walk, "packages"),
    "layout": ("3 the layout objects alone (no XML)", layouts, "layouts"),
    "json": ("4a the JSON of the finished plans", write_json, "plans"),
    "model": ("4b the plans' models built from their parts", build_models, "plans"),
    "lines": ("5 each line normalised and looked up once", look_up_lines, "lines"),
    "afresh": ("5' the same, norm's cache bypassed (not summed)", look_up_lines_afresh, "lines"),
}
SUMMED = ("package", "walk", "layout", "json", "model", "lines")


def measure_bounds(name: str, files: list[tuple[str, bytes]], repeat: int) -> dict[str, float]:
    """Each bound's CPU time and the reader's parts', best of ``repeat``, in turns with the floor: ratios to it."""
    prepared = prepare(files)
    fns = {"floor": lambda: floor(files), "parser": lambda: parse(files), "reader": lambda: convert(files),
           "package": lambda: open_all(files)}
    fns.update({key: (lambda fn=fn, arg=getattr(prepared, arg): fn(arg))
                for key, (_, fn, arg) in BOUNDS.items() if fn is not None})
    cpu = dict(zip(fns, (c for _, c in best_in_turns(list(fns.values()), repeat))))
    ratio = {key: c / cpu["floor"] for key, c in cpu.items()}
    lines = sum(len(texts) for texts, _ in prepared.lines)
    print(f"{name}: {len(files)} .docx, {len(prepared.plans)} plans, {lines:,} lines (paragraphs); lower bounds by CPU time,"
          f" best of {repeat}, in turns, as ratios to the floor ({cpu['floor'] / len(files) * 1000:.2f} ms a file)")
    print_bounds(ratio)
    room = (3 - sum(ratio[key] for key in SUMMED)) * cpu["floor"]
    print(f"  the room under 3x: {room / len(files) * 1000:.2f} ms a file, {room / lines * 1e6:.1f} us a line")
    return ratio


def print_bounds(r: dict[str, float]) -> None:
    for key, (what, _, _) in BOUNDS.items():
        print(f"  {what:<56} {r[key]:5.2f}x")
    bound = sum(r[key] for key in SUMMED)
    parser_bound = r["package"] + r["walk"] + r["layout"]
    rest_bound = r["json"] + r["model"] + r["lines"]
    print(f"  {'sum of 1-5: a lower bound for a reader of this design':<56} {bound:5.2f}x")
    print(f"  {'the reader: whole':<56} {r['reader']:5.2f}x  (parser {r['parser']:.2f}x, rest {r['reader'] - r['parser']:.2f}x)")
    print(f"  bounds below their parts: parser {parser_bound:.2f}x < {r['parser']:.2f}x"
          f" {'yes' if parser_bound < r['parser'] else 'NO'}, rest {rest_bound:.2f}x < {r['reader'] - r['parser']:.2f}x"
          f" {'yes' if rest_bound < r['reader'] - r['parser'] else 'NO'}; under 3x, room for all else {3 - bound:.2f}x")


if __name__ == "__main__":
    main()
