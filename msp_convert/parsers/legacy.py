"""Old formats (.doc, .rtf, .odt) through LibreOffice, and password-protected Office files.

A legacy document is converted to .docx by LibreOffice headless in a private
temporary folder with its own throw-away user profile (so parallel batch
workers never share one), under a time limit after which the whole process
group is killed; then the Word reader reads it. Nothing is left behind: the
folder goes, converted copy and profile included, even on failure.

A password-protected Office file is an encrypted OLE package; it is
decrypted in memory with msoffcrypto-tool, never written to disk.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from ..errors import CorruptFileError, EncryptedFileError, InputError, UnsupportedFormatError
from ..layout import Document
from ..results import Result
from .docx import parse_docx

# Points the converter at another soffice (a test uses a missing one).
SOFFICE_ENV = "MSP_CONVERT_SOFFICE"
PACKAGE = "libreoffice-writer-nogui"
SUFFIX = {"doc": ".doc", "rtf": ".rtf", "odt": ".odt"}
TEMP_PREFIX = "msp-convert-lo-"  # the private folders this module makes (and removes)
DEFAULT_TIMEOUT = 120.0


def soffice() -> str:
    """The LibreOffice program, or a one-line error naming the package to install."""
    named = os.environ.get(SOFFICE_ENV)
    found = shutil.which(named) if named else (shutil.which("soffice") or shutil.which("libreoffice"))
    if not found:
        raise UnsupportedFormatError(
            f"reading this format needs LibreOffice, which is not installed; install it (Debian/Ubuntu: apt-get install {PACKAGE}) "
            "or save the file as .docx"
        )
    return found


def to_docx(data: bytes, kind: str, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The document converted to .docx bytes by LibreOffice headless."""
    result = to_docx_many([(data, kind)], timeout)[0]
    if isinstance(result, InputError):
        raise result
    return result


def to_docx_many(items: list[tuple[bytes, str]], timeout: float = DEFAULT_TIMEOUT) -> list["bytes | InputError"]:
    """Several documents converted by one LibreOffice run (its start-up costs about
    a second, the conversion itself a fraction of that): each item's .docx bytes,
    or the InputError that says why that one failed."""
    program = soffice()
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:  # created 0700
        folder = Path(tmp)
        sources = []
        for n, (data, kind) in enumerate(items):
            source = folder / f"plan-{n:04d}{SUFFIX[kind]}"
            source.write_bytes(data)
            sources.append(source)
        out = folder / "out"
        command = [
            program, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), *map(str, sources),
        ]
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, env={**os.environ, "HOME": tmp},
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            late = InputError(
                f"LibreOffice took longer than {timeout:g} s to convert this file and was stopped; "
                "open it and save it as .docx, or allow more time"
            )
            return [late for _ in items]
        finally:
            _kill_group(process)  # nothing it started outlives the conversion
        results: list[bytes | InputError] = []
        for source in sources:
            converted = out / f"{source.stem}.docx"
            if converted.exists():
                results.append(converted.read_bytes())
            else:
                results.append(CorruptFileError(
                    "LibreOffice could not convert this file; it may be damaged: open it and save it again as .docx"
                ))
        return results


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - the kernel has it by now
        pass


def parse_legacy(data: bytes, kind: str, timeout: float = DEFAULT_TIMEOUT) -> Result[Document]:
    """A .doc, .rtf or .odt read as the Word reader reads its .docx conversion."""
    return parse_docx(to_docx(data, kind, timeout))


def is_encrypted(data: bytes) -> bool:
    """An OLE package holding an encrypted Office document (OOXML or .doc)."""
    import msoffcrypto

    try:
        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:
        return False


def decrypt(data: bytes, password: Optional[str]) -> bytes:
    """The document inside an encrypted Office file, decrypted in memory."""
    import msoffcrypto
    from msoffcrypto.exceptions import InvalidKeyError

    if not password:
        raise EncryptedFileError(
            "this document is password-protected; give its password with --password-file FILE "
            "(or --password to be asked), or save an unprotected copy"
        )
    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        office.load_key(password=password)
        out = io.BytesIO()
        office.decrypt(out)
    except InvalidKeyError:
        raise EncryptedFileError("the password given does not open this document; check it and try again") from None
    except Exception as err:
        raise EncryptedFileError(
            f"this password-protected document could not be decrypted ({type(err).__name__}); save an unprotected copy"
        ) from None
    return out.getvalue()
