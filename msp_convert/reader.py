"""``read(path)``: detect the format, parse it into layout, map it into the model.

The CLI and the batch runner call this and nothing else below it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Optional, Union

from . import detect
from .errors import EmptyFileError, InputError, UnsupportedFormatError
from .mapping import map_document
from .model import Plan, PlanWarning, Source
from .results import Message, Result
from .template import DEFAULT_PROFILE, Profile

# No plan is this big; refusing early keeps a stray video from filling memory.
MAX_INPUT_BYTES = 200 * 1024 * 1024


def read(
    path: Union[str, "os.PathLike[str]", None] = None,
    *,
    data: Optional[bytes] = None,
    filename: Optional[str] = None,
    force: bool = False,
    profile: Profile = DEFAULT_PROFILE,
    password: Optional[str] = None,
) -> Plan:
    """Read one plan into the canonical model; its warnings are in ``plan.warnings``.

    Give a ``path``, or the file's bytes as ``data`` with its ``filename``.
    Raises ``InputError`` (one actionable line) when the input cannot be read
    as a plan; ``force=True`` keeps the text of a document that is not a plan
    in ``unmapped`` instead of refusing it. ``password`` opens an encrypted PDF.
    """
    return read_result(path, data=data, filename=filename, force=force, profile=profile, password=password).value


def read_result(
    path: Union[str, "os.PathLike[str]", None] = None,
    *,
    data: Optional[bytes] = None,
    filename: Optional[str] = None,
    force: bool = False,
    profile: Profile = DEFAULT_PROFILE,
    password: Optional[str] = None,
    converted: Optional[bytes] = None,
) -> Result[Plan]:
    """Like ``read``, with the notices that are about the file rather than the plan.

    ``converted``: the .docx LibreOffice already made of a legacy file (the
    batch converts many in one LibreOffice run); used only if the file is one.
    """
    if (path is None) == (data is None):
        raise TypeError("give either a path or data=")
    if path is not None:
        p = Path(path)
        filename = filename or p.name
        if p.stat().st_size > MAX_INPUT_BYTES:
            raise InputError(f"the file is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB, far more than any plan; check it is the right file")
        data = p.read_bytes()
    assert data is not None
    name = os.path.basename(filename or "plan")
    kind = detect.sniff(data)
    notices: list[Message] = []
    if detect.extension_mismatch(kind, name):
        notices.append(Message("extension-mismatch", f"the file's name says one format but its content is {detect.DESCRIPTIONS[kind]}; it was read as what it is"))
    if kind == "empty":
        raise EmptyFileError("the file is empty (0 bytes or only blank space); check the copy or export it again")
    plain = data
    if kind == "ole":
        from .parsers import legacy

        if legacy.is_encrypted(data):  # a password-protected .docx or .doc, opened in memory
            plain = legacy.decrypt(data, password)
            kind = detect.sniff(plain)
    if kind in ("docx", "zip"):
        from .parsers.docx import parse_docx

        parsed = parse_docx(plain)
        fmt = "docx"
    elif kind in ("ole", "rtf", "odt"):  # Word 97-2003, RTF, OpenDocument: through LibreOffice
        from .parsers.legacy import parse_legacy

        fmt = {"ole": "doc", "rtf": "rtf", "odt": "odt"}[kind]
        if converted is not None:
            from .parsers.docx import parse_docx

            parsed = parse_docx(converted)
        else:
            parsed = parse_legacy(plain, fmt)
    elif kind == "pdf":
        from .parsers.pdf import parse_pdf

        parsed = parse_pdf(data, password)
        fmt = "pdf"
    elif kind == "unknown":
        raise UnsupportedFormatError(
            "this is not a Word document, nor any other format msp-convert reads; check it is the right file, "
            "or open it in a word processor and save it as .docx"
        )
    else:
        raise UnsupportedFormatError(
            f"this is {detect.DESCRIPTIONS[kind]}, which msp-convert does not read yet; save it as a Word .docx and convert that"
        )
    source = Source(filename=name, format=fmt, sha256=hashlib.sha256(data).hexdigest(), pages=parsed.value.pages)
    mapped = map_document(parsed.value, source, profile=profile, force=force)
    plan = mapped.value
    # Notices from the parser come first: they are about the whole file.
    early = [PlanWarning(code=m.code, message=m.message, where=m.where) for m in parsed.messages]
    plan.warnings[:0] = early
    return Result(plan, notices)
