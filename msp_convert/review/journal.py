"""The review journal: OUT/.msp-convert/review-journal.jsonl, one line per value a person changed.

It is the record of who changed what: each line holds the time, the reviewer,
the plan (its output path), the model path of the value (``outcomes[2].statement.text``,
as warnings name places) and its old and new values. Values are in the journal
because it is the record; they never go to a log.

A change is found leaf by leaf: two objects are compared key by key, two lists
index by index; anything else that differs (a string, a number, a value that
became a list, an entry added or taken away) is one line. What was not there
before has no ``old``; what is gone has no ``new``. ``coverage`` is not the
person's: the reader counts it again from the saved plan, so it changes in the
file but is no line of the record.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterator

from ..batch.journal import append_line
from ..batch.reviewed import now
from ..reader import json_path

REVIEW_JOURNAL = "review-journal.jsonl"
COUNTED = frozenset({"coverage"})  # parts of the plan counted from the rest, never edited
_ABSENT = object()


def changes(old: Any, new: Any, at: tuple = ()) -> Iterator[tuple[tuple, Any, Any]]:
    """(path, old, new) of every leaf that differs; ``_ABSENT`` where a side has none."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            yield from changes(old.get(key, _ABSENT), new.get(key, _ABSENT), at + (key,))
    elif isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            yield from changes(old[i] if i < len(old) else _ABSENT, new[i] if i < len(new) else _ABSENT, at + (i,))
    elif old != new or type(old) is not type(new):
        yield at, old, new


def lines(plan: str, reviewer: str, old: Any, new: Any) -> list[dict[str, Any]]:
    """The journal's lines for one save of ``plan`` (its output path), in the model's order."""
    time = now()
    out = []
    for path, before, after in changes(old, new):
        if path and path[0] in COUNTED:
            continue
        line: dict[str, Any] = {"time": time, "reviewer": reviewer, "plan": plan, "path": json_path(path)}
        if before is not _ABSENT:
            line["old"] = before
        if after is not _ABSENT:
            line["new"] = after
        out.append(line)
    return out


def append(state: Path, entries: list[dict[str, Any]]) -> None:
    """The lines added at the end of the journal in one write (a crash leaves all of them or a cut last line)."""
    if not entries:
        return
    data = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries).encode("utf-8", "surrogatepass")
    state.mkdir(parents=True, exist_ok=True)
    fd = os.open(state / REVIEW_JOURNAL, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        append_line(fd, data)
    finally:
        os.close(fd)


def read(state: Path) -> list[dict[str, Any]]:
    """Every whole line of the journal (a line a crash cut short is left out)."""
    path = state / REVIEW_JOURNAL
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out
