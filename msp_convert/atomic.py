"""Writing output so that nobody ever sees half a file.

Every output goes to a private temporary file in the target's own folder,
then is renamed over the target: a reader sees the old file or the whole new
one. A failure, or a worker killed mid-write, leaves only a temporary whose
name ``TEMP_PREFIX`` marks, which ``remove_stale`` clears.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".msp-convert-"
TEMP_SUFFIX = ".tmp"


def write_atomically(path: Path, data: "str | bytes") -> None:
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def remove_stale(folder: Path) -> int:
    """Remove temporaries a killed writer left under ``folder``; how many there were."""
    removed = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX):
                try:
                    os.unlink(os.path.join(root, name))
                    removed += 1
                except FileNotFoundError:
                    pass
    return removed
