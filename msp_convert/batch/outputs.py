"""The outputs of a file that holds several plans: OUT, OUT-2, OUT-3 ..., written all or none."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path, PurePath
from typing import Sequence, TypeVar, Union

from ..atomic import TEMP_PREFIX, TEMP_SUFFIX, write_atomically

P = TypeVar("P", bound=PurePath)


def numbered(first: P, count: int) -> list[P]:
    """``plan.json`` and the names of the plans after it: ``plan-2.json``, ``plan-3.json`` ..."""
    return [first] + [first.with_name(f"{first.stem}-{k}{first.suffix}") for k in range(2, count + 1)]


_NUMBERED = re.compile(r"-\d+(\.[^./]+)$")


def numbered_names(targets: "Sequence[str]") -> dict[str, list[str]]:
    """Outputs of a batch that look like another output's numbered plans (``a-2.json`` beside
    ``a.json``), by the output they would follow: a file of several plans must not overwrite them."""
    index: dict[str, list[str]] = {}
    for target in targets:
        base = _NUMBERED.sub(r"\1", target)
        if base != target:
            index.setdefault(base, []).append(PurePath(target).name)
    return index


ORIGINS_SUFFIX = ".origins.json"


def origins_path(plan: P) -> P:
    """Where a plan's origins go (``mapping.origins``): ``plan.json`` -> ``plan.origins.json``, ``plan-2.json`` -> ``plan-2.origins.json``."""
    return plan.with_name(plan.stem + ORIGINS_SUFFIX)


def origins_names(targets: "Sequence[str]") -> list[str]:
    """Outputs of a batch named as another output's origins file would be (an input ``a.origins.pdf``
    beside ``a.pdf``): no origins file is written over them."""
    return [t for t in targets if t.endswith(ORIGINS_SUFFIX)]


def write_all(outputs: Sequence[tuple[Path, Union[str, bytes]]]) -> None:
    """Each output written atomically, and all of them or none: each is first written whole
    beside its place (to a hidden name that ``atomic.remove_stale`` clears), then all are renamed in.
    An ``OSError`` leaves none of them (a rename failing midway, which needs the folder
    to change under us, takes back those already renamed; what they replaced is gone)."""
    if len(outputs) == 1:
        write_atomically(*outputs[0])
        return
    for path, _ in outputs:
        if path.is_dir():  # a rename onto it would fail after others were made
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    staged: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for path, data in outputs:
            hidden = path.with_name(f"{TEMP_PREFIX}{os.getpid()}-{len(staged)}{TEMP_SUFFIX}")  # remove_stale clears one a crash left
            write_atomically(hidden, data)
            staged.append((hidden, path))
        for hidden, path in staged:
            os.replace(hidden, path)
            placed.append(path)
    except OSError:
        for path in placed:  # none of them, rather than some
            path.unlink()
        raise
    finally:
        for hidden, _ in staged:
            if hidden.exists():
                hidden.unlink()
