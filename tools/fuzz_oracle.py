"""The oracle: one mutant through ``read``, the JSON and Word writers and the ``convert`` command, classified.

    ok       read() gave a Plan: its JSON is valid (strict UTF-8, no NaN), reads back as a plan, the Word
             writer writes it (as-is, new, renumbered) into a document that reads again, and the readiness
             check (``msp-convert check``) and the CSV tables rows are made from it
    refused  read() raised InputError with one clean line (no control characters, no document text, no bytes)
    crash    anything else raised (type and our innermost frame), a CLI exit other than 0/1, a traceback on
             stderr, or an output file left after a failure
    spill    a refusal whose message quotes the file (the canary, a child's name, raw bytes) or is not one line
    flood    more than FLOOD_LINES lines on stderr (the CLI's, the library's, or C code writing to fd 2)
    leak     MemoryError under the worker's address-space cap
    hang     the wall-clock guard ran out (decided by the parent, fuzz_pool.py)

Run as a worker (``python tools/fuzz_oracle.py --pool quick --cap-mb 2048 --work DIR``): it sets RLIMIT_AS once its
imports are done, then reads one request a line on stdin ({"fmt", "seed", "index"}), makes that mutant,
checks it, and answers one JSON line on its protocol channel. Answers name classes, exception types and our
module and function names, never plan text.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import sys
import traceback
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
sys.path.insert(1, str(TOOLS.parent))

from fuzz_mutate import CANARY, FIXTURES, make_mutant, seed_pool  # noqa: E402

FLOOD_LINES = 15  # a refusal is one line; an invalid JSON plan a line and its first ten problems; a summary one
SEVERITY = ["leak", "hang", "crash", "spill", "flood", "refused", "ok"]


def secrets() -> list[str]:
    """Children's names in the fixtures ("Name: Maisie Clarke"): text no message may quote."""
    names: set[str] = set()
    for typed in sorted(FIXTURES.glob("plans/*.typed.json")):
        for line in json.loads(typed.read_text(encoding="utf-8")):
            if line.startswith("Name: "):
                names.update(w for w in line[6:].split() if len(w) > 3)
    return sorted(names) + [CANARY]


SECRETS = secrets()
# A problem of a JSON plan names its place ("provision[3].resources[0].withdrawnn: Extra inputs..."): the keys
# are the file's, by design (README), so an identifier-like path is not document text.
_JSON_PATH = re.compile(r"^(msp-convert: [^:]+: )[A-Za-z0-9_.\[\]]+: ")
_BYTES_REPR = re.compile(r"\\x[0-9a-fA-F]{2}|\bb'|\bb\"")


def message_problem(text: str) -> Optional[str]:
    """Why a refusal's message breaks the rules, or None: one line, no controls, no document text or bytes."""
    if not text.strip():
        return "empty message"
    if "\n" in text or "\r" in text:
        return "several lines"
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in text):
        return "control character"
    if any(s in text for s in SECRETS):
        return "document text"
    if _BYTES_REPR.search(text):
        return "raw bytes"
    return None


def where_ours(tb: Any) -> str:
    """The innermost frame in msp_convert ("msp_convert.parsers.docx.body:_run"), else the innermost at all."""
    frames = traceback.extract_tb(tb)
    for frame in reversed(frames):
        if f"{os.sep}msp_convert{os.sep}" in frame.filename:
            rel = frame.filename.split(f"{os.sep}msp_convert{os.sep}", 1)[1]
            return "msp_convert." + rel[:-3].replace(os.sep, ".") + ":" + frame.name
    return f"(not ours) {Path(frames[-1].filename).stem}:{frames[-1].name}" if frames else "(no frame)"


def crash(err: BaseException, phase: str) -> tuple[str, str]:
    if isinstance(err, MemoryError):
        return "leak", f"{phase}: MemoryError at {where_ours(err.__traceback__)}"
    return "crash", f"{phase}: {type(err).__name__} at {where_ours(err.__traceback__)}"


def _no_constant(name: str) -> Any:
    raise ValueError(f"JSON has {name}")


def _readiness(plan: Any) -> None:
    """``msp-convert check``'s work: the findings, as JSON (no NaN) and as text."""
    from msp_convert.ehc.check import check_plan as readiness, to_text

    report = readiness(plan)
    json.dumps(report.to_dict(), allow_nan=False)
    to_text(report, "plan.json")


def check_plan(plan: Any) -> list[tuple[str, str]]:
    """A plan read from a mutant: valid JSON that reads back, and Word documents that write and read again."""
    from msp_convert import read, to_json
    from msp_convert.errors import InputError
    from msp_convert.reader import read_json
    from msp_convert.writers.docx import write_docx
    from msp_convert.writers.tables import plan_rows

    steps: list[tuple[str, Callable[[], Any]]] = []
    state: dict[str, Any] = {}
    steps.append(("to_json", lambda: state.setdefault("json", to_json(plan).encode("utf-8"))))
    steps.append(("json valid", lambda: json.loads(state["json"], parse_constant=_no_constant)))
    steps.append(("json round trip", lambda: read_json(state["json"], "plan.json")))
    steps.append(("write_docx as-is", lambda: state.setdefault("docx", write_docx(plan, mode="as-is"))))
    steps.append(("write_docx new", lambda: write_docx(plan)))
    steps.append(("write_docx renumbered", lambda: write_docx(plan, renumber=True)))
    steps.append(("read written docx", lambda: read(data=state["docx"], filename="plan.docx")))
    steps.append(("ehc check", lambda: _readiness(plan)))
    steps.append(("csv tables", lambda: plan_rows(plan, "plan.json")))
    found = []
    for phase, step in steps:
        try:
            step()
        except InputError as err:
            if phase in ("json round trip", "read written docx"):  # our own output refused by our own reader
                found.append(("crash", f"{phase}: {type(err).__name__} (our output refused)"))
                break
            found.append(crash(err, phase))
            break
        except Exception as err:  # noqa: BLE001 - the point is to catch everything
            found.append(crash(err, phase))
            break
    return found


def check_read(path: Path, reader: Callable[..., Any]) -> tuple[list[tuple[str, str]], Any]:
    """read_result on the mutant: (findings, the outcome the CLI will be given: a Result or the exception)."""
    from msp_convert.errors import InputError

    try:
        result = reader(path)
    except InputError as err:
        problem = message_problem(err.message)
        return ([("spill", f"read: {type(err).__name__}: {problem}")] if problem else [("refused", type(err).__name__)]), err
    except Exception as err:  # noqa: BLE001
        return [crash(err, "read")], err
    return check_plan(result.value) or [("ok", "")], result


def check_cli(path: Path, out_dir: Path, outcome: Any) -> list[tuple[str, str]]:
    """``msp-convert convert MUTANT -o OUT`` in this process, given the read's outcome (the read is not repeated)."""
    from click.testing import CliRunner

    from msp_convert import cli

    def remembered(*args: Any, **kwargs: Any) -> Any:
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    out = out_dir / "out.json"
    real, cli.read_result = cli.read_result, remembered
    try:
        res = CliRunner().invoke(cli.main, ["convert", str(path), "-o", str(out)])
    finally:
        cli.read_result = real
    found = []
    lines = res.stderr.splitlines()
    if res.exit_code not in (0, 1):
        found.append(("crash", f"cli: exit {res.exit_code}" + (f" {type(res.exception).__name__} at {where_ours(res.exc_info[2])}" if res.exception else "")))
    if "Traceback" in res.stderr:
        found.append(("crash", "cli: traceback on stderr"))
    if res.exit_code == 1 and any(out_dir.iterdir()):
        found.append(("crash", "cli: output left after a failure"))
    if res.exit_code == 0 and not out.exists():
        found.append(("crash", "cli: exit 0 without output"))
    if len(lines) > FLOOD_LINES:
        found.append(("flood", f"cli: {len(lines)} lines on stderr"))
    bad = [message_problem(_JSON_PATH.sub(r"\1", line)) for line in lines]
    found += [("spill", f"cli: stderr line: {p}") for p in bad if p and p != "several lines"]
    return found


@contextmanager
def fd_capture(spool: Path) -> Iterator[Callable[[], list[str]]]:
    """Send fds 1 and 2 to a file while checking; yields a function giving the lines that landed there."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(spool, "wb+") as f:
        os.dup2(f.fileno(), 1)
        os.dup2(f.fileno(), 2)
        try:
            yield lambda: spool.read_bytes().decode("utf-8", "replace").splitlines()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def check(path: Path, work: Path, reader: Optional[Callable[..., Any]] = None) -> tuple[str, str]:
    """The class of one mutant (the most severe finding) and its detail."""
    from msp_convert.reader import read_result

    out_dir = work / "out"
    out_dir.mkdir(exist_ok=True)
    for old in out_dir.iterdir():
        old.unlink()
    with fd_capture(work / "stderr.txt") as printed:
        found, outcome = check_read(path, reader or read_result)
        found += check_cli(path, out_dir, outcome)
        stray = printed()
    if len(stray) > FLOOD_LINES:
        found.append(("flood", f"{len(stray)} lines written to stdout/stderr outside the CLI"))
    problems = sorted({p for p in map(message_problem, stray) if p and p != "empty message"})
    found += [("spill", f"stray output: {p}") for p in problems]
    return min(found, key=lambda f: SEVERITY.index(f[0]))


def _preload() -> None:
    """Import what the checks use before the memory cap, so the cap measures the mutant, not the imports."""
    import msp_convert.cli  # noqa: F401
    import msp_convert.parsers.docx  # noqa: F401
    import msp_convert.parsers.pdf  # noqa: F401
    import msp_convert.parsers.pdf.boxes  # noqa: F401
    import msp_convert.parsers.pdf.strike  # noqa: F401
    import msp_convert.writers.docx  # noqa: F401
    import msp_convert.writers.tables  # noqa: F401
    import msp_convert.ehc.check  # noqa: F401
    from click.testing import CliRunner  # noqa: F401

    try:
        import msp_convert.parsers.ocr  # noqa: F401
    except ImportError:
        pass


def _address_space_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1])
    return 0


def serve(pool_name: str, cap_mb: int, work: Path) -> None:
    """The worker loop: one request a line on stdin, one answer a line on the protocol channel.

    ``work`` is a private folder the parent made and removes (the worker may be killed mid-mutant).
    """
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    _preload()
    resource.setrlimit(resource.RLIMIT_AS, (_address_space_kb() * 1024 + cap_mb * 1024 * 1024, resource.RLIM_INFINITY))
    pool = seed_pool(pool_name)
    proto.write(json.dumps({"ready": os.getpid()}) + "\n")
    for line in sys.stdin:
        req = json.loads(line)
        mutant = make_mutant(req["fmt"], req["seed"], req["index"], pool)
        path = work / mutant.filename
        path.write_bytes(mutant.data)
        try:
            cls, detail = check(path, work)
        except MemoryError:
            cls, detail = "leak", "MemoryError in the oracle"
        path.unlink()
        answer = {"id": mutant.id, "cls": cls, "detail": detail, "ops": mutant.ops, "seed_file": mutant.seed_file,
                  "sha256": hashlib.sha256(mutant.data).hexdigest()}
        proto.write(json.dumps(answer) + "\n")
        if cls == "leak":
            break  # start afresh: memory may be fragmented or half-freed


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="A fuzzing worker (started by tools/fuzz.py).")
    parser.add_argument("--pool", default="full")
    parser.add_argument("--cap-mb", type=int, default=2048)
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args()
    serve(args.pool, args.cap_mb, args.work)
