"""Old formats (.doc, .rtf, .odt) through LibreOffice, and password-protected Office files.

A legacy document is converted to .docx by LibreOffice (``msp_convert.office``:
a private folder and profile, a time limit, the process group killed at it),
then the Word reader reads it. Nothing is left behind: the folder goes,
converted copy and profile included, even on failure.

A password-protected Office file is an encrypted OLE package; it is
decrypted in memory with msoffcrypto-tool, never written to disk.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Optional

from .. import office
from ..errors import CorruptFileError, EncryptedFileError, InputError, UnsupportedFormatError
from ..layout import Document
from ..results import Result
from .docx import parse_docx

SOFFICE_ENV = office.ENV  # points the converter at another soffice (a test uses a missing one)
SUFFIX = {"doc": ".doc", "rtf": ".rtf", "odt": ".odt"}
TEMP_PREFIX = "msp-convert-lo-"  # the private folders this module makes (and removes)
DEFAULT_TIMEOUT = 120.0


def soffice() -> str:
    """The LibreOffice program, or a one-line error naming the package to install."""
    found = office.find_soffice()
    if not found:
        raise UnsupportedFormatError(f"reading this format needs LibreOffice, which is not installed; {office.INSTALL_HINT}")
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
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:  # created 0700; gone even on failure
        converted = office.convert([(SUFFIX[kind], data) for data, kind in items], program, Path(tmp), to=office.DOCX, timeout=timeout)
    results: list[bytes | InputError] = []
    for result in converted:
        if result.data is not None:
            results.append(result.data)
        elif result.error and "longer than" in result.error:
            results.append(InputError(f"{result.error}; open the file and save it as .docx, or allow more time"))
        else:
            results.append(CorruptFileError(
                "LibreOffice could not convert this file; it may be damaged: open it and save it again as .docx"
            ))
    return results


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
