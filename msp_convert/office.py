"""LibreOffice, headless and kept to itself: the one runner every converter uses.

The legacy reader turns .doc/.rtf/.odt into .docx with it, the EHC bundle turns
office documents into PDF. Each run gets a private folder: the documents are
copied in under plain names (``001.doc``), LibreOffice runs with its own
throw-away profile there (so it neither reads nor locks the user's profile, nor
waits on a running instance, and parallel batch workers never share one), under
a time limit after which its whole process group is killed, and the folder goes
when the caller's temporary directory does. Nothing of a document's content
reaches a message.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

ENV = "MSP_CONVERT_SOFFICE"
INSTALL_HINT = (
    "install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui; "
    f"elsewhere libreoffice.org) or set {ENV} to its soffice program"
)
SUFFIXES = frozenset({
    ".doc", ".docx", ".docm", ".dot", ".dotx", ".odt", ".ott", ".rtf", ".txt", ".wpd", ".wps",
    ".xls", ".xlsx", ".xlsm", ".ods", ".ppt", ".pptx", ".odp",
})
_MAC = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


def find_soffice(binary: Optional[str] = None) -> Optional[str]:
    """The LibreOffice program: ``binary``, else ``$MSP_CONVERT_SOFFICE``, else on PATH.

    A name given (by either) that does not lead to a program means "not
    found": nothing else is tried, so a test or a person can rule it out.
    """
    wanted = binary or os.environ.get(ENV)
    if wanted:
        return shutil.which(wanted)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return _MAC if os.access(_MAC, os.X_OK) else None


@dataclass
class Converted:
    data: Optional[bytes] = None  # the converted file
    error: Optional[str] = None  # why there is none, in words free of content


PDF = ("pdf", ".pdf")
DOCX = ("docx:MS Word 2007 XML", ".docx")


def convert_to_pdf(sources: Sequence[tuple[str, bytes]], soffice: str, workdir: Path, *, timeout: float = 120.0) -> list[Converted]:
    """Each (suffix, data) as PDF bytes, or why not; in order."""
    return convert(sources, soffice, workdir, to=PDF, timeout=timeout)


def convert(
    sources: Sequence[tuple[str, bytes]], soffice: str, workdir: Path, *, to: tuple[str, str] = PDF, timeout: float = 120.0
) -> list[Converted]:
    """Each (suffix, data) converted (``to``: LibreOffice's filter and the file suffix it makes), or why not; in order.

    All go through one LibreOffice run (``timeout`` seconds each); if that
    run is stopped at its limit, what it had not done is tried again one
    by one, so one document that hangs costs only itself.
    """
    results = [Converted() for _ in sources]
    if not sources:
        return results
    pending = list(range(len(sources)))
    timed_out = _run(sources, pending, soffice, workdir / "all", timeout * len(pending), results, to)
    if timed_out:
        for i in [i for i in pending if results[i].data is None]:
            if _run(sources, [i], soffice, workdir / f"one-{i + 1}", timeout, results, to):
                results[i].error = f"LibreOffice took longer than {timeout:g} s over it and was stopped"
    for result in results:
        if result.data is None and result.error is None:
            result.error = "LibreOffice could not convert it (damaged, password-protected or not what its name says?)"
    return results


def _run(
    sources: Sequence[tuple[str, bytes]], which: list[int], soffice: str, folder: Path, timeout: float,
    results: list[Converted], to: tuple[str, str],
) -> bool:
    """Convert ``which`` in ``folder``; True if LibreOffice had to be stopped."""
    inputs, outputs, profile = folder / "in", folder / "out", folder / "profile"
    for path in (inputs, outputs, profile):
        path.mkdir(parents=True, mode=0o700)
    names = []
    for i in which:
        suffix, data = sources[i]
        name = f"{i + 1:03d}{suffix}"
        (inputs / name).write_bytes(data)
        names.append(name)
    command = [
        soffice, f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless", "--invisible", "--nologo", "--nodefault", "--norestore", "--nolockcheck", "--nofirststartwizard",
        "--convert-to", to[0], "--outdir", str(outputs.resolve()),
        *[str((inputs / name).resolve()) for name in names],
    ]
    env = dict(os.environ, SAL_USE_VCLPLUGIN="svp", HOME=str(folder.resolve()))  # nothing lands in the user's home
    timed_out = False
    try:
        process = subprocess.Popen(
            command, cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as err:
        for i in which:
            results[i].error = f"LibreOffice could not be started ({err.strerror or type(err).__name__})"
        return False
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        if process.poll() is None:  # stopped at its limit, or we were interrupted
            _stop(process)
    for i, name in zip(which, names):
        pdf = outputs / (Path(name).stem + to[1])
        if pdf.is_file() and pdf.stat().st_size and not timed_out:
            results[i].data = pdf.read_bytes()
        elif pdf.is_file() and pdf.stat().st_size and to == PDF:  # finished before the limit: keep it only if whole
            data = pdf.read_bytes()
            if data.rstrip().endswith(b"%%EOF"):
                results[i].data = data
    return timed_out


def _stop(process: "subprocess.Popen[bytes]") -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)  # LibreOffice's own children too
        else:  # pragma: no cover - Windows
            process.kill()
    except ProcessLookupError:
        pass
    process.wait()
