"""Files: written so that nobody ever sees half of one, and their names shown safely.

Every output goes to a private temporary file in the target's own folder,
then is renamed over the target: a reader sees the old file or the whole new
one. A failure, or a worker killed mid-write, leaves only a temporary whose
name ``TEMP_PREFIX`` marks, which ``remove_stale`` clears. A write that
fails is told in one line by ``write_problem``: the folder, why, what to do.

A file's name is the user's, not ours: it may hold a newline, an escape
sequence or a right-to-left override. ``shown`` is the one way a name (or a
line holding one) reaches a terminal; reports keep the true name.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO, Union

TEMP_PREFIX = ".msp-convert-"
TEMP_SUFFIX = ".tmp"


def write_atomically(path: Path, data: "str | bytes") -> None:
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            _write(handle, data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _write(handle: BinaryIO, data: bytes) -> None:
    """The one place bytes go to disk (a test puts a full disk here)."""
    handle.write(data)


# errno -> what to do; the first that matches. Anything else: check the folder.
_WRITE_ADVICE = (
    ({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}, "free some space on that disk (or choose another folder), then run it again"),
    ({errno.EACCES, errno.EPERM, errno.EROFS}, "choose a folder you may write to, or ask for write access to this one"),
    ({errno.ENOENT, errno.ENOTDIR}, "check the folder exists"),
)


def write_problem(err: OSError, folder: Union[str, "os.PathLike[str]"]) -> str:
    """One line for a write that failed: the folder, the system's reason, what to do."""
    why = err.strerror or type(err).__name__
    advice = next((says for codes, says in _WRITE_ADVICE if err.errno in codes), "check the folder exists and is writable")
    return f"could not write in {shown(os.fspath(folder))} ({why}); {advice}"


def check_writable(folder: Path) -> None:
    """Raise ``PermissionError`` now, before any work, for a folder that cannot take a file.

    ``os.access`` is honest about read-only file systems even for root; a
    folder whose mode forbids writing stops a user other than root here, and
    root at the first real write.
    """
    if not os.access(folder, os.W_OK | os.X_OK):
        code = errno.EROFS if _read_only_fs(folder) else errno.EACCES
        raise PermissionError(code, os.strerror(code), os.fspath(folder))


def _read_only_fs(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1))
    except (OSError, AttributeError):
        return False


# What a terminal must never get raw from a name: C0 and C1 controls (newline,
# ESC...), DEL, lone surrogates (undecodable bytes), line and paragraph
# separators, and the bidirectional marks, embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: "re.Match[str]") -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """``text`` fit for one terminal line: unsafe characters as repr-style escapes (``\\n``, ``\\x1b``, ``\\u202e``).

    Idempotent (a backslash is left as it is, as Windows paths hold them), and
    linear in the length of ``text``.
    """
    return _UNSAFE.sub(_escape, text)


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
