"""``read(path)``: detect the format, parse it into layout, map it into the model.

The CLI and the batch runner call this and nothing else below it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Optional, Union

from pydantic import ValidationError

from . import detect
from .errors import EmptyFileError, InputError, UnsupportedFormatError
from .mapping import map_document
from .model import Plan, PlanWarning, Source
from .results import Message, PageDone, Result
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


def _ocr_reader(missing: InputError):  # type: ignore[no-untyped-def]
    """``parsers.ocr``, or ``missing`` raised where Tesseract or its Python bindings are not installed."""
    import shutil

    if shutil.which("tesseract") is None:
        raise missing
    try:
        from .parsers import ocr
    except ImportError:  # the Python bindings are missing
        raise missing from None
    return ocr


NO_TESSERACT = (
    "this is a scan (page images); reading it needs Tesseract OCR, which is not installed: "
    "install tesseract-ocr and tesseract-ocr-eng (see the README), then convert it again"
)


def _read_page_folder(folder: Path, force: bool, profile: Profile, on_page: Optional[PageDone]) -> Result[Plan]:
    """A folder of one plan's scanned pages (page-1.jpg, page-2.jpg...) read as one plan."""
    from .parsers.images import IMAGE_SUFFIXES, folder_pages, read_files

    ocr = _ocr_reader(UnsupportedFormatError(NO_TESSERACT))
    files = folder_pages(folder)
    pages, sha256 = read_files(files)
    notices: list[Message] = []
    others = sum(1 for p in folder.iterdir() if not p.name.startswith(".") and p not in files)
    if others:
        notices.append(Message("not-a-page", f"{others} item(s) in the folder are not page images (.jpg, .png, .tif) and were left out"))
    parsed = ocr.parse_images(pages, on_page=on_page)
    fmt = IMAGE_SUFFIXES[files[0].suffix.lower()]
    source = Source(filename=folder.resolve().name, format=fmt, sha256=sha256, pages=parsed.value.pages)  # type: ignore[arg-type]
    return Result(_map(parsed, source, force, profile), notices)


def _map(parsed: Result, source: Source, force: bool, profile: Profile) -> Plan:  # type: ignore[type-arg]
    """The layout mapped into the model; the parser's notices first, as they are about the whole file."""
    plan = map_document(parsed.value, source, profile=profile, force=force).value
    plan.warnings[:0] = [PlanWarning(code=m.code, message=m.message, where=m.where) for m in parsed.messages]
    return plan


def read_result(
    path: Union[str, "os.PathLike[str]", None] = None,
    *,
    data: Optional[bytes] = None,
    filename: Optional[str] = None,
    force: bool = False,
    profile: Profile = DEFAULT_PROFILE,
    password: Optional[str] = None,
    converted: Optional[bytes] = None,
    on_page: Optional[PageDone] = None,
) -> Result[Plan]:
    """Like ``read``, with the notices that are about the file rather than the plan.

    ``converted``: the .docx LibreOffice already made of a legacy file (the
    batch converts many in one LibreOffice run); used only if the file is one.
    ``on_page(done, pages)`` is called as each page of a scan is read by OCR.
    """
    if (path is None) == (data is None):
        raise TypeError("give either a path or data=")
    if path is not None:
        p = Path(path)
        if p.is_dir():
            return _read_page_folder(p, force, profile, on_page)
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
        from .errors import NoTextLayerError
        from .parsers.pdf import parse_pdf

        try:
            parsed = parse_pdf(data, password)
        except NoTextLayerError as scan:
            parsed = _ocr_reader(scan).parse_scanned_pdf(data, on_page=on_page)
        fmt = "pdf"
    elif kind in detect.IMAGE_KINDS:  # a scanned page, or a multi-page TIFF
        from .parsers.images import load_pages

        ocr = _ocr_reader(UnsupportedFormatError(NO_TESSERACT))
        parsed = ocr.parse_images(load_pages(data), on_page=on_page)
        fmt = kind
    elif kind == "json":  # a plan as the model's JSON (what `convert` prints)
        return Result(read_json(data, name), notices)
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
    return Result(_map(parsed, source, force, profile), notices)


class PlanJsonError(InputError):
    """A JSON file that is not a valid plan; ``problems`` names each one by its path in the JSON."""

    code = "invalid-plan-json"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"this JSON is not a valid plan ({len(problems)} problem{'s' if len(problems) != 1 else ''}); "
            "fix each place named, or convert the plan's .docx or .pdf again"
        )


def json_path(loc: tuple) -> str:
    """("outcomes", 0, "statement", "text") -> "outcomes[0].statement.text"."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(the whole plan)"


def read_json(data: bytes, name: str) -> Plan:
    """A plan from its JSON, validated against the model.

    Its ``source`` becomes the JSON file itself (format "json"): that is
    where this plan was read from. A problem is named by its path in the JSON
    and pydantic's description of it, never by the value found there.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("this JSON is not UTF-8 text; save it as UTF-8 and try again") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"this is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno}); fix it, or convert the plan's .docx or .pdf again") from None
    if not isinstance(obj, dict):
        raise PlanJsonError([f"(the whole plan): a plan is a JSON object {{...}}, not {type(obj).__name__ if obj is not None else 'null'}"])
    obj = dict(obj)
    obj["source"] = Source(filename=name, format="json", sha256=hashlib.sha256(data).hexdigest()).model_dump()
    try:
        return Plan.model_validate(obj)
    except ValidationError as err:
        raise PlanJsonError([f"{json_path(e['loc'])}: {e['msg']}" for e in err.errors(include_input=False, include_url=False)]) from None
