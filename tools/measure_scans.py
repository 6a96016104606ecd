"""How close each scan set (fixtures/scans/*.facts.json) reads to its .docx: a markdown table,
field family x scan set, and pages a second. With --pdf, each set's source PDF
(fixtures/pdf/<plan>.pdf) read by the PDF reader too, as a column beside it.

    .venv/bin/python tools/measure_scans.py [--pdf] [SET ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import scan_closeness as sc  # noqa: E402


def measured(path: Path, plan: str) -> tuple[dict[str, float], float]:
    got, seconds = sc.read_timed(path)
    return sc.measure(sc.want_of(plan), got), seconds


def cell(family: str, value: float) -> str:
    return str(int(value)) if family in sc.COUNTS else f"{value:.2f}"


def table(columns: dict[str, tuple[dict[str, float], float, int]]) -> str:
    rows = ["| field family | " + " | ".join(f"`{c}`" for c in columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for family in sc.FAMILIES + sc.COUNTS:
        rows.append(f"| {family} | " + " | ".join(cell(family, m[family]) for m, _, _ in columns.values()) + " |")
    rows.append("| pages/s | " + " | ".join(f"{n / s:.2f}" for _, s, n in columns.values()) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdf", action="store_true", help="also read each set's source PDF")
    ap.add_argument("sets", nargs="*", help="scan set names (default: all)")
    args = ap.parse_args(argv)
    sets = {n: f for n, f in sc.scan_sets().items() if not args.sets or n in args.sets}
    if not sets:
        print("no such scan set: " + " ".join(args.sets), file=sys.stderr)
        return 2
    columns: dict[str, tuple[dict[str, float], float, int]] = {}
    for name, facts in sets.items():
        m, s = measured(sc.scan_path(name, facts), facts["plan"])
        columns[name] = (m, s, len(facts["pages"]))
        if args.pdf:
            m, s = measured(sc.REPO / "fixtures" / "pdf" / f"{facts['plan']}.pdf", facts["plan"])
            columns[f"{facts['plan']}.pdf"] = (m, s, len(facts["pages"]))
    print(table(columns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
