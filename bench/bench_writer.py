"""Speed of the Word writer: each fixture plan written as .docx, as-is and new.

The plans are read once, outside the timing; then every plan is written in
both modes, many times, and the best time of each is reported per plan, with
the first write in the process (which also builds the prepared template once)
and python-docx's own floor: opening its default document and saving it.

    python bench/bench_writer.py [--repeat 15]

Figures depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import docx  # noqa: E402

import msp_convert  # noqa: E402
from msp_convert.writers.docx import write_docx  # noqa: E402
from timing import best  # noqa: E402  (bench/ is the script's folder)


def plans() -> list[tuple[str, "msp_convert.Plan"]]:
    paths = sorted((REPO / "fixtures" / "plans").glob("*.docx")) + [REPO / "fixtures" / "blank-template.docx"]
    example = REPO.parent / "shared" / "spec" / "example" / "example-plan.docx"
    if example.exists():
        paths.append(example)
    return [(p.stem, msp_convert.read(p)) for p in paths]


def floor() -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    loaded = plans()
    start = time.perf_counter()
    write_docx(loaded[0][1])
    first = time.perf_counter() - start
    print(f"first write in the process (prepares the template once): {first * 1000:.1f} ms")
    print(f"python-docx floor (open its default document, save it): {best(floor, args.repeat, warm_up=False) * 1000:.1f} ms\n")
    print(f"{'plan':32} {'as-is':>9} {'new':>9} {'size':>9}")
    totals = {"as-is": 0.0, "new": 0.0}
    for name, plan in loaded:
        row = {}
        for mode in ("as-is", "new"):
            row[mode] = best(lambda: write_docx(plan, mode=mode), args.repeat, warm_up=False)  # noqa: B023
            totals[mode] += row[mode]
        size = len(write_docx(plan, mode="as-is"))
        print(f"{name:32} {row['as-is'] * 1000:7.1f}ms {row['new'] * 1000:7.1f}ms {size / 1024:7.1f}KB")
    n = len(loaded)
    print(f"\n{n} plans: {totals['as-is'] * 1000:.0f} ms as-is, {totals['new'] * 1000:.0f} ms new; "
          f"per plan {totals['as-is'] / n * 1000:.1f} ms as-is, {totals['new'] / n * 1000:.1f} ms new (best of {args.repeat})")


if __name__ == "__main__":
    main()
