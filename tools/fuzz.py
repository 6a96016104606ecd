"""A longer fuzz campaign over mutated Word files, PDFs and plan JSON, with a summary table.

    python tools/fuzz.py --seed 1 --count 3000 --jobs 2 --repro /tmp/msp-fuzz
    python tools/fuzz.py --only docx-1-17 --repro /tmp/msp-fuzz     # one mutant again, by its id

Mutants (``fuzz_mutate.py``, ``fuzz_docx.py``, ``fuzz_pdf.py``) are made from
the fixtures by a seeded generator: the same ``--seed`` gives the same mutants
on every machine. Each runs through ``read``, the writers and ``convert`` in a
worker process with a memory cap and a wall-clock guard (``fuzz_oracle.py``,
``fuzz_pool.py``) and is classed ok, refused, crash, hang, flood, leak or
spill. Any failure's mutant is written to the ``--repro`` folder (by default a
new folder under the system's temporary directory, never in the repository)
with ``failures.jsonl``: id, class, exception type and our frame, operators.
Output names mutants, classes, exception types and our own functions, never
plan text. Exit 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_mutate import make_mutant, parse_id, seed_pool  # noqa: E402
from fuzz_pool import FAILURES, Outcome, failure_groups, run_campaign, summary_table  # noqa: E402

MIX = {"docx": 0.45, "pdf": 0.2, "json": 0.35}  # shares of --count; PDFs are the slowest to read


def split_count(count: int, formats: list[str]) -> dict[str, int]:
    """--count shared between the formats by MIX, the rounding given to the first."""
    total = sum(MIX[f] for f in formats)
    counts = {f: int(count * MIX[f] / total) for f in formats}
    counts[formats[0]] += count - sum(counts.values())
    return counts


def save_reproducers(failed: list[Outcome], folder: Path, pool_name: str) -> None:
    """Each failing mutant's bytes (made again from its id) and one JSON line describing it."""
    if not failed:
        return
    folder.mkdir(parents=True, exist_ok=True)
    pool = seed_pool(pool_name)
    with open(folder / "failures.jsonl", "a", encoding="utf-8") as log:
        for r in failed:
            mutant = make_mutant(*parse_id(r.id), pool)
            (folder / mutant.filename).write_bytes(mutant.data)
            same = not r.sha256 or hashlib.sha256(mutant.data).hexdigest() == r.sha256  # a hang's bytes were never reported
            log.write(json.dumps({"id": r.id, "class": r.cls, "detail": r.detail, "ops": mutant.ops, "from": mutant.seed_file,
                                  "pool": pool_name, "same_bytes_as_run": same}) + "\n")


def _progress(start: float, total: int, log: "Path | None"):  # type: ignore[no-untyped-def]
    done = [0]

    def show(r: Outcome) -> None:
        done[0] += 1
        if log:
            with open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps({"id": r.id, "class": r.cls, "detail": r.detail, "ops": r.ops, "from": r.seed_file}) + "\n")
        if r.cls in FAILURES:
            print(f"{r.id}: {r.cls}: {r.detail}", file=sys.stderr, flush=True)
        if done[0] % 100 == 0 or done[0] == total:
            rate = done[0] / max(1e-9, time.monotonic() - start)
            print(f"... {done[0]}/{total} mutants, {rate:.1f}/s", file=sys.stderr, flush=True)

    return show


def main(argv: "list[str] | None" = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="campaign seed (default 1)")
    parser.add_argument("--count", type=int, default=3000, help="mutants in all (default 3000), shared by --formats")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: the cores)")
    parser.add_argument("--formats", default="docx,pdf,json", help="comma-separated, from docx,pdf,json")
    parser.add_argument("--pool", choices=["quick", "full"], default="full", help="which fixtures to mutate (default full)")
    parser.add_argument("--guard", type=float, default=120.0, help="seconds before a mutant is a hang (default 120)")
    parser.add_argument("--cap-mb", type=int, default=2048, help="address space a worker may add, MiB (default 2048)")
    parser.add_argument("--repro", type=Path, help="folder for failing mutants (default: a new temporary folder)")
    parser.add_argument("--log", type=Path, help="append every outcome (id, class, detail, operators) to this JSON-lines file")
    parser.add_argument("--only", help="check one mutant by its id (docx-1-17), nothing else")
    args = parser.parse_args(argv)
    if args.only:
        fmt, seed, index = parse_id(args.only)
        counts = {fmt: index + 1}
        start_at = index
    else:
        formats = [f.strip() for f in args.formats.split(",") if f.strip()]
        counts, seed, start_at = split_count(args.count, formats), args.seed, 0
    start = time.monotonic()
    results = run_campaign(seed, counts, jobs=args.jobs, pool=args.pool, guard_s=args.guard, cap_mb=args.cap_mb,
                           on_outcome=_progress(start, sum(counts.values()), args.log), first_index=start_at)
    failed = [r for r in results if r.cls in FAILURES]
    print(summary_table(results))
    print(f"\n{len(results)} mutants in {time.monotonic() - start:.0f} s with {args.jobs} job(s), seed {seed}, pool {args.pool}")
    for (cls, detail), ids in sorted(failure_groups(results).items()):
        print(f"- {cls}: {detail}: {len(ids)} mutant(s), e.g. {', '.join(sorted(ids)[:3])}")
    if failed:
        folder = args.repro or Path(tempfile.mkdtemp(prefix="msp-fuzz-"))
        save_reproducers(failed, folder, args.pool)
        print(f"reproducers: {folder}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
