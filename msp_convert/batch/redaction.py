"""Redacted runs (``--redact``): the run's key, the plans redacted as they are read, and what the report says.

The engine (``msp_convert.redact``) works on the model in memory; this module
only wires it in. A plan is redacted in the worker right after it is read,
before any output bytes exist, so the unredacted plan is never written, not
even to a temporary file. With ``--redact`` nothing the batch writes under
OUT_DIR names an input file (its name or folders often hold the child's):

- outputs are named by ``Redacted.stem`` ("plan-" + 10 base32 chars of an
  HMAC of the input's checksum), flat in OUT_DIR;
- the report's and the journal's rows are keyed by ``row_id`` (an HMAC of the
  input's relative path) and carry the checksum keyed too (``keyed``), as the
  redacted plan's ``source.sha256`` does; ``in_dir`` is left empty;
- no origins files (they quote the original text) and no review state.

With the same key file a rerun finds the same rows, so it resumes; with a
key made for the run (no ``--key-file``), nothing can match another run.
OUT_DIR never holds an earlier copy beside what it holds now: the folder is
marked with the key's fingerprint, and a rerun with another key is refused
(a new OUT_DIR, or ``--force``, which removes the old copies first); a file
that changed has its earlier copies replaced, and one that now fails, or now
holds a copy of another file's bytes, has them removed (a failed journal
entry keeps their name until they are gone).
Which output came from which input is written only on request, to a link
file outside OUT_DIR (``--link-file``).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import re
from dataclasses import replace
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional

from ..atomic import write_atomically
from ..errors import InputError
from .outputs import numbered

if TYPE_CHECKING:
    from ..model import Plan
    from ..redact import Redacted
    from .files import Found
    from .report import ReportRow

NO_KEY_FILE = "no --key-file: a key was made for this run and not kept; pseudonyms will not match another run"
NO_RESUME = NO_KEY_FILE + ", and a rerun cannot resume this batch (its rows are keyed by this run's key)"


NOT_INSTALLED = "--redact needs the redact extra, which is not installed: pip install 'msp-convert[redact]'"


def available(word_list: bool = True) -> None:
    """The engine can be loaded (its recognisers are an extra) and its word list read; else ``InputError``,
    one line saying how to install what is missing."""
    try:
        words = import_module("..redact.words", __package__)
    except ImportError:
        raise InputError(NOT_INSTALLED) from None
    if word_list:
        words.english()  # read now: without it, one line before any file is read (WordListMissing)


def kinds() -> tuple[str, ...]:
    from ..redact import KINDS

    return KINDS


def run_key(key_file: Optional[Path]) -> bytes:
    """The key file's key, or a new one kept nowhere; ``InputError`` (one line) for a bad key file."""
    from ..redact import new_key, read_key

    return read_key(key_file) if key_file is not None else new_key()


def write_new_key(path: Path) -> None:
    """A fresh key (32 random bytes as hex) in a new file only its owner may read; never over a file."""
    available(word_list=False)
    from ..redact import new_key

    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputError("already exists; a key file is never written over (choose another name)") from None
    except OSError as err:
        raise InputError(f"could not be created ({err.strerror or type(err).__name__}); check the folder exists and you may write to it") from None
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(new_key().hex() + "\n")
    except OSError as err:  # a full disk: no half a key left to be used
        path.unlink(missing_ok=True)
        raise InputError(f"could not be written ({err.strerror or type(err).__name__}); free some space, then run it again") from None


def keyed(key: bytes, sha256: str) -> str:
    """An input's checksum as the report and journal keep it: the redacted plan's ``source.sha256``
    (HMAC-SHA256(key, sha256)), which links what one key file sees twice and reveals nothing without it."""
    from ..redact.keys import source_digest

    return source_digest(key, sha256)


def row_id(key: bytes, rel: str) -> str:
    """A report and journal row's name for the input at ``rel`` (relative to IN_DIR): names no file."""
    digest = hmac.new(key, ("path:" + rel).encode("utf-8", "surrogateescape"), hashlib.sha256).hexdigest()
    return "input-" + digest[:16]


def redact_plans(plans: "list[Plan]", key: bytes) -> "list[Redacted]":
    """Each plan redacted in memory (the engine's ``redact``); ``InputError`` on a machine (a cluster's
    worker) without the redact extra, which the batch reports as a missing tool (tried again next run)."""
    available()
    from ..redact import redact

    return [redact(plan, key).value for plan in plans]


def facts(done: "Redacted") -> dict[str, Any]:
    """What the report says of one redacted plan: replacements per kind (``KINDS`` order), and how many
    of them the engine was unsure of (its "redaction-uncertain" warning's count: the uncertain-name kind)."""
    return {"redactions": {kind: done.counts.get(kind, 0) for kind in kinds()}, "uncertain": done.counts.get("uncertain-name", 0)}


def totals(counts: "Iterable[Optional[dict[str, int]]]") -> dict[str, int]:
    """Replacements per kind, summed, in ``KINDS`` order."""
    total = dict.fromkeys(kinds(), 0)
    for each in counts:
        for kind, n in (each or {}).items():
            total[kind] = total.get(kind, 0) + n
    return total


def counts_line(counts: dict[str, int], unsure: int) -> str:
    """"redacted 14 (child 9, date-of-birth 1, staff 4); 2 uncertain": the kinds with any, in ``KINDS`` order."""
    some = [f"{kind} {n}" for kind, n in counts.items() if n]
    return f"redacted {sum(counts.values())}" + (f" ({', '.join(some)})" if some else "") + f"; {unsure} uncertain"


def redacted_names(found: "list[Found]", key: bytes) -> "tuple[list[Found], dict[str, str]]":
    """The files with each one's relative path replaced by its ``row_id``; and row id -> relative path, for a link file."""
    named = [replace(f, rel=row_id(key, f.rel)) for f in found]
    return named, {n.rel: f.rel for n, f in zip(named, found)}


# The redaction engine's version, in each redacted journal entry: a copy made by another is redone.
# Raise it whenever msp_convert.redact (or its word lists) would redact a plan differently.
REDACTION_VERSION = "2"
MARK = "redacted"  # under OUT_DIR/.msp-convert: this folder holds redacted copies only, made with the key it names
_FINGERPRINT = b"msp-convert: the key of a folder of redacted copies"
# What a --redact batch writes in OUT_DIR with its key's pseudonyms: plans (plan-STEM, plan-STEM-2 ...) and tables.
_COPY = re.compile(r"plan-[a-z2-7]{10}(-[0-9]+)?\.(json|docx)")


def fingerprint(key: bytes) -> str:
    """The mark's word for a key: HMAC-SHA256(key, a fixed label) in hex. It tells two keys apart and
    gives nothing of the key (nor any pseudonym: those are HMACs of other messages)."""
    return hmac.new(key, _FINGERPRINT, hashlib.sha256).hexdigest()


def one_kind(out_dir: Path, key: Optional[bytes], force: bool = False) -> None:
    """A folder of redacted copies never takes a run's unredacted outputs, nor the other way round
    (a rerun that forgot --redact would put named plans in what is shared); nor another key's copies
    (their pseudonyms and names differ, so both would stay side by side, and link each other). A --redact
    run marks the folder with its key's ``fingerprint``; with --force, the copies another run left
    are removed first (``clear_copies``), then the mark is this run's. ``OutputError``, one line."""
    from .files import STATE
    from .journal import JOURNAL
    from .report import OutputError

    mark, journal = out_dir / STATE / MARK, out_dir / STATE / JOURNAL
    if key is None:
        if mark.exists():
            raise OutputError(f"{out_dir} holds redacted copies (--redact); give --redact with its --key-file, or choose another -o")
        return
    used = journal.exists() and journal.stat().st_size > 0
    if not mark.exists() and (used or any(path.name != STATE for path in out_dir.iterdir())):
        # unmarked: an unredacted batch's outputs (one stopped before its journal had a line), or files of the user's own
        raise OutputError(f"{out_dir} holds unredacted outputs or files of its own; choose an empty or new -o for the redacted copies")
    held = mark.read_text(encoding="ascii", errors="replace").strip() if mark.exists() else None
    if force and held is not None:
        clear_copies(out_dir)
    elif held == "" and used:  # a mark of an earlier version names no key
        raise OutputError(f"{out_dir} holds redacted copies made before keys were recorded: rerun once with --force (it removes them first)")
    elif held is not None and held not in ("", fingerprint(key)):
        raise OutputError(
            f"{out_dir} holds redacted copies made with another key; give that --key-file, choose a new -o, "
            "or give --force to remove them and start again with this key"
        )
    if held != fingerprint(key):
        mark.parent.mkdir(exist_ok=True)
        write_atomically(mark, fingerprint(key) + "\n")


def clear_copies(out_dir: Path) -> None:
    """What a --redact batch wrote in OUT_DIR, removed: the plans and the tables (report.* are written
    anew at the end; the journal starts again). For --force, before any file is read."""
    for path in out_dir.iterdir():
        if _COPY.fullmatch(path.name) and path.is_file():
            path.unlink()
    clear_tables(out_dir)


def clear_tables(out_dir: Path) -> None:
    """A --redact batch's tables removed: a run without --tables (or one that stopped before its new
    tables were in place) would leave rows of copies it removed or replaced."""
    from ..writers.tables import TABLES

    for name in TABLES:
        path = out_dir / f"{name}.csv"
        if path.is_file():
            path.unlink()


def stem_of(key: bytes, sha256: str) -> str:
    """The stem the redacted plans of a file with this checksum get (``Redacted.stem``), known before it is read."""
    from ..redact.keys import file_stem

    return file_stem(key, sha256)


def copy_stem(name: str) -> str:
    """The stem of an output's name: plan-X.json, plan-X-2.docx -> plan-X."""
    return name.split(".", 1)[0][:15]


def copy_name(previous: Optional[dict[str, Any]]) -> str:
    """The output a journal entry names, if it is a --redact copy's name (plan-STEM...) directly in OUT_DIR;
    else "": the journal sits in the folder meant for sharing, and names no other file to replace or remove."""
    name = (previous or {}).get("output")
    return name if isinstance(name, str) and _COPY.fullmatch(name) else ""


def earlier_copies(
    out_dir: Path, previous: Optional[dict[str, Any]], taken: "dict[str, str]", rel: str
) -> "tuple[dict[str, Any], list[Path]]":
    """An earlier run's copies of the file at ``rel`` (its journal entry's output, and its plans after the
    first), unless another of this run's files makes that stem now (``taken``: stem -> the first file with
    that checksum): then they are that file's. The file's own stem (its bytes unchanged) is still its own.
    What a failed entry keeps of them (so a run stopped before they went removes them next time), and their paths."""
    name = copy_name(previous)
    if not name or taken.get(copy_stem(name), rel) != rel:
        return {}, []
    more = (previous or {}).get("more")
    more = more if isinstance(more, list) else []
    return {"output": name, "more": more}, numbered(out_dir / name, 1 + len(more))


def prune_copies(out_dir: Path, keep: "set[str]") -> "set[str]":
    """Every copy's name directly in OUT_DIR (``_COPY``: plan-STEM, plan-STEM-2 ...) not in ``keep``, removed;
    their names (``OSError`` if one cannot be)."""
    removed = {path.name for path in out_dir.iterdir() if _COPY.fullmatch(path.name) and path.name not in keep and path.is_file()}
    remove_copies(out_dir / name for name in sorted(removed))
    return removed


def remove_copies(paths: "Iterable[Path]") -> None:
    """Earlier copies of a file that now fails, is a duplicate, or changed: removed (``OSError`` if one cannot be)."""
    for path in paths:
        path.unlink(missing_ok=True)


# A link file names the inputs: where it must not be, and why; checked before any file is read.
_LINK_PLACES = (
    ("out", "--link-file names the input files: put it outside the output folder, which is for sharing"),
    ("key", "--link-file is the key file, which it would overwrite: give another file for the links"),
    ("input", "--link-file is an input file, which it would overwrite: give another file for the links"),
    ("in", "--link-file is inside the input folder, where it would overwrite or join the inputs: put it outside it"),
)


class LinkFileError(InputError):
    """A --link-file that must not be written (``check_link_file``): the command line's usage error."""


def check_link_file(link: Path, out_dir: Path, in_dir: Path, key_file: Optional[Path] = None) -> None:
    """``LinkFileError``, one line, for a link file that would be shared (under OUT_DIR), would overwrite the
    key file or an input, sits among the inputs (IN_DIR), or cannot be written (its folder missing or
    read-only): found now, not after the batch."""
    where = link.resolve()
    checks = {
        "out": where.is_relative_to(out_dir.resolve()),
        "key": key_file is not None and where == key_file.resolve(),
        "input": where.is_relative_to(in_dir.resolve()) and where.is_file(),
        "in": where.is_relative_to(in_dir.resolve()),
    }
    for place, says in _LINK_PLACES:
        if checks[place]:
            raise LinkFileError(says)
    if not where.parent.is_dir():
        raise LinkFileError("--link-file's folder does not exist: make it, or give a file in another folder")
    if not os.access(where.parent, os.W_OK | os.X_OK):
        raise LinkFileError("--link-file's folder cannot be written: give a file in a folder you may write to")


def write_links(link: Path, links: dict[str, str], rows: "dict[str, ReportRow]") -> None:
    """The link file (CSV: input, output; "" for a file with none), written atomically and readable by its owner only."""
    lines = []
    for path, row in rows.items():
        first, _, k = path.partition("#")  # a file's plan 2 ...: its row is ID#2
        output = rows[row.duplicate_of].output if row.duplicate_of in rows else row.output  # a duplicate's is its first copy's
        lines.append([links.get(first, "") + (f"#{k}" if k else ""), output])
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["input", "output"], *sorted(lines)])
    write_atomically(link, buffer.getvalue().encode("utf-8", "surrogateescape"))  # mkstemp's mode: 0600
