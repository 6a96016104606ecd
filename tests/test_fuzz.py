"""A small fixed-seed fuzz campaign: mutated Word files, PDFs and plan JSON never crash, hang, flood or leak.

The machinery is in tools/ (``fuzz_mutate.py``, ``fuzz_docx.py``, ``fuzz_pdf.py``: the seeded mutators;
``fuzz_oracle.py``: what each mutant must do; ``fuzz_pool.py``: worker processes with a memory cap and a
wall-clock guard). ``python tools/fuzz.py --count 3000`` is the longer run. Here: 300 mutants of the quick
pool, two workers. The guard is only a safety net: a hang is a mutant that did not finish in minutes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / "tools"
sys.path.insert(0, str(TOOLS))

from fuzz_mutate import CANARY, make_mutant, parse_id, seed_pool  # noqa: E402
from fuzz_oracle import check, message_problem  # noqa: E402
from fuzz_pool import failure_groups, run_campaign, tally  # noqa: E402

from msp_convert.errors import CorruptFileError  # noqa: E402

SEED = 12
COUNTS = {"docx": 150, "pdf": 30, "json": 120}


@pytest.fixture(scope="module")
def campaign():  # type: ignore[no-untyped-def]
    return run_campaign(SEED, COUNTS, jobs=2, pool="quick", guard_s=180.0, cap_mb=2048)


def test_no_mutant_crashes_hangs_floods_leaks_or_spills(campaign) -> None:  # type: ignore[no-untyped-def]
    groups = failure_groups(campaign)
    listing = "\n".join(f"{cls}: {detail}: {', '.join(sorted(ids)[:4])}" for (cls, detail), ids in sorted(groups.items()))
    assert not groups, f"re-run one with: python tools/fuzz.py --pool quick --only ID\n{listing}"


def test_every_mutant_ran_and_each_format_was_both_read_and_refused(campaign) -> None:  # type: ignore[no-untyped-def]
    table = tally(campaign)
    for fmt, count in COUNTS.items():
        assert table[fmt]["run"] == count
        assert table[fmt]["ok"] >= 1, f"no {fmt} mutant was read: the mutator breaks everything"
        assert table[fmt]["refused"] >= 1, f"no {fmt} mutant was refused: the mutator changes nothing"
    assert len({r.id for r in campaign}) == sum(COUNTS.values())


_DIGESTS = """
import hashlib, json, sys
sys.path.insert(0, sys.argv[1])
from fuzz_mutate import make_mutant, seed_pool
pool = seed_pool("quick")
print(json.dumps({f"{fmt}-{i}": hashlib.sha256(make_mutant(fmt, 5, i, pool).data).hexdigest()
                  for fmt in ("docx", "pdf", "json") for i in range(12)}))
"""


def test_a_seed_gives_the_same_mutants_in_any_process() -> None:
    """No clock, no hash order: two interpreters with different hash seeds make the same bytes."""
    runs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", _DIGESTS, str(TOOLS)], capture_output=True, text=True, env=env, timeout=600, check=True)
        runs.append(json.loads(out.stdout))
    assert runs[0] == runs[1]
    assert len(set(runs[0].values())) == len(runs[0])  # and different mutants differ


def test_a_mutant_is_made_again_from_its_id_alone() -> None:
    pool = seed_pool("quick")
    first = make_mutant("docx", 3, 41, pool)
    again = make_mutant(*parse_id(first.id), pool)
    assert (again.id, again.ops, again.data) == ("docx-3-41", first.ops, first.data)
    assert again.data != make_mutant("docx", 3, 42, pool).data


@pytest.mark.parametrize(
    "message, problem",
    [
        ("the file is damaged; export it again", None),
        ("the zip is damaged\nexport it again", "several lines"),
        ("the part \x1b[2J is damaged", "control character"),
        (f"the value {CANARY} is not a date", "document text"),
        ("unexpected bytes b'PK\\x03' in the part", "raw bytes"),
        ("the text 'Maisie' is not a date", "document text"),
    ],
)
def test_the_oracle_judges_refusal_messages(message: str, problem: "str | None") -> None:
    assert message_problem(message) == problem


def _raises(err: BaseException):  # type: ignore[no-untyped-def]
    def reader(path):  # type: ignore[no-untyped-def]
        raise err

    return reader


def _prints_then_refuses(path):  # type: ignore[no-untyped-def]
    os.write(2, b"warning from C code\n" * 50)
    raise CorruptFileError("the file is damaged; export it again")


@pytest.mark.parametrize(
    "reader, cls, detail",
    [
        (_raises(KeyError("w:val")), "crash", "read: KeyError at "),
        (_raises(RecursionError()), "crash", "read: RecursionError at "),
        (_raises(MemoryError()), "leak", "read: MemoryError at "),
        (_raises(CorruptFileError(f"the part says {CANARY}")), "spill", "read: CorruptFileError: document text"),
        (_raises(CorruptFileError("the file is damaged; export it again")), "refused", "CorruptFileError"),
        (_prints_then_refuses, "flood", "50 lines written to stdout/stderr outside the CLI"),
    ],
)
def test_the_oracle_classes_each_outcome(tmp_path: Path, reader, cls: str, detail: str) -> None:  # type: ignore[no-untyped-def]
    plan = REPO / "fixtures" / "plans" / "03-ks2-dyslexia.docx"
    got = check(plan, tmp_path, reader=reader)
    assert got[0] == cls and got[1].startswith(detail), got


def test_the_oracle_passes_a_good_plan_through_read_writers_and_cli(tmp_path: Path) -> None:
    assert check(REPO / "fixtures" / "plans" / "03-ks2-dyslexia.docx", tmp_path) == ("ok", "")
    assert json.loads((tmp_path / "out" / "out.json").read_text(encoding="utf-8"))["source"]["format"] == "docx"  # the CLI wrote it


_FAKE_ORACLE = """
import json, os, sys, time
print(json.dumps({"ready": os.getpid()}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    i = req["index"]
    if i == 1:
        time.sleep(3600)
    if i == 2:
        os._exit(3)
    if i == 3:
        os.kill(os.getpid(), 9)
    mid = f"{req['fmt']}-{req['seed']}-{i}"
    print(json.dumps({"id": mid, "cls": "ok", "detail": "", "ops": [], "seed_file": "", "sha256": ""}), flush=True)
"""


def test_the_pool_classes_a_hung_or_dead_worker_and_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that never answers is a hang (its process group killed), one that dies a crash; the rest still run."""
    import fuzz_pool

    (tmp_path / "fuzz_oracle.py").write_text(_FAKE_ORACLE, encoding="utf-8")
    monkeypatch.setattr(fuzz_pool, "TOOLS", tmp_path)
    results = run_campaign(1, {"json": 5}, jobs=1, guard_s=3.0)
    got = {r.id: (r.cls, r.detail) for r in results}
    assert got == {
        "json-1-0": ("ok", ""), "json-1-1": ("hang", "wall-clock guard"), "json-1-2": ("crash", "worker exited 3"),
        "json-1-3": ("crash", "worker died (signal 9)"), "json-1-4": ("ok", ""),
    }
