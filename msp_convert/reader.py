"""``read(path)``, ``read_all(path)``: detect the format, parse it into layout, map each plan it holds into the model.

The CLI and the batch runner call this and nothing else below it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional, Union

from pydantic import ValidationError

from . import detect
from .errors import EmptyFileError, InputError, UnsupportedFormatError
from .mapping import map_document, map_with_origins
from .mapping.origins import Origins
from .mapping.landmarks import best_profile, forget
from .mapping.coverage import recount
from .mapping.plans import Start, divide
from .model import MAX_NUMBER, Plan, PlanWarning, Source
from .results import Message, PageDone, Result
from .template import DEFAULT_PROFILE, PROFILES, Profile
from .text import INVALID_CHARACTER, INVALID_CHARACTER_MESSAGE, INVALID_CHARS, replace_invalid
from .writers.json import to_json

# No plan is this big; refusing early keeps a stray video from filling memory.
MAX_INPUT_BYTES = 200 * 1024 * 1024


def read(
    path: Union[str, "os.PathLike[str]", None] = None,
    *,
    data: Optional[bytes] = None,
    filename: Optional[str] = None,
    force: bool = False,
    profile: Optional[Profile] = None,
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
    """``parsers.ocr``, or ``missing`` raised where Tesseract (tesserocr and its language data) is not installed."""
    try:
        from .parsers import ocr
        from .parsers.ocr import engine
    except ImportError:  # the Python libraries the reader needs are missing
        raise missing from None
    if engine.missing() is not None:
        raise missing
    return ocr


NO_TESSERACT = (
    "this is a scan (page images); reading it needs Tesseract OCR, which is not installed: "
    "install tesseract-ocr-eng and tesseract-ocr-osd and the Python package tesserocr (see the README), then convert it again"
)


def _read_page_folder(
    folder: Path, force: bool, profile: Optional[Profile], on_page: Optional[PageDone], kept: Optional[list[Origins]] = None
) -> Result[list[Plan]]:
    """A folder of one plan's scanned pages (page-1.jpg, page-2.jpg...) read as one file."""
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
    return _noted(_map(parsed, source, force, profile, _Kept(kept, _image_sizes(ocr, pages) if kept is not None else [])), notices)


@dataclass
class _Kept:
    """Where the plans' origins go (None: not asked for), and the file's page sizes (points)."""

    origins: Optional[list[Origins]] = None
    sizes: list[tuple[float, float]] = field(default_factory=list)


def _map(parsed: Result, source: Source, force: bool, profile: Optional[Profile], kept: Optional[_Kept] = None) -> list[Plan]:  # type: ignore[type-arg]
    """The layout mapped into the model, one plan per plan the file holds (``mapping.plans``):
    each counted on its own, its source the file's. The parser's notices come first,
    as they are about the whole file; then, when there are several, ``several-plans``.
    With ``kept.origins`` a list, each plan's origins are appended to it, in the plans' order.
    The document's walk is let go when it returns (a batch thread keeps no plan between files)."""
    try:
        return _mapped(parsed, source, force, profile, kept)
    finally:
        forget()


def _mapped(parsed: Result, source: Source, force: bool, profile: Optional[Profile], kept: Optional[_Kept]) -> list[Plan]:  # type: ignore[type-arg]
    if profile is None:  # the reader chooses: the profile the document shows most of
        profile = best_profile(parsed.value, [DEFAULT_PROFILE, *(p for p in PROFILES.values() if p is not DEFAULT_PROFILE)])
    division = divide(parsed.value, profile)
    if len(division.plans) > MAX_PLANS:
        raise InputError(
            f"this holds more than {MAX_PLANS} plans, far more than any file of plans; "
            "check it is the right file, or split it into files of fewer plans"
        )
    plans = []
    for document in division.plans:
        if kept is None or kept.origins is None:
            plans.append(map_document(document, source.model_copy(), profile=profile, force=force).value)
            continue
        mapped, fields = map_with_origins(document, source.model_copy(), profile=profile, force=force)
        plans.append(mapped.value)
        kept.origins.append(Origins(list(kept.sizes), fields))
    for k, plan in enumerate(plans, 1):
        plan.warnings[:0] = [PlanWarning(code=m.code, message=m.message, where=m.where) for m in parsed.messages]
        if len(plans) > 1:
            plan.warnings.insert(len(parsed.messages), _several(k, division.starts))
        if len(to_json(plan).encode("utf-8")) > MAX_PLAN_JSON_BYTES:  # ~0.1 ms: what is read must read back
            raise InputError(
                f"this holds far more text than any plan (its JSON would pass {MAX_PLAN_JSON_BYTES // 2**20} MiB); "
                "check it is the right file, or split it into one file per plan"
            )
    return plans


SEVERAL_PLANS = "several-plans"
# A file of a class's plans holds thirty or so; past this it is not a file of plans.
MAX_PLANS = 200


def _several(k: int, starts: list[Start]) -> PlanWarning:
    """"This file holds 2 plans; this is plan 1; plan 2 begins at ...": the form's wording and a page, never content."""
    n = len(starts) + 1
    this = "this is plan 1" if k == 1 else f"this is plan {k} of {n}, which begins at {starts[k - 2].describe()}"
    after = f"; plan {k + 1} begins at {starts[k - 1].describe()}" if k < n else ""
    message = f"This file holds {n} plans; {this}{after}. Each is read on its own: read_all, or convert -o, gives every one."
    return PlanWarning(code=SEVERAL_PLANS, message=message, where=None)


def _noted(plans: list[Plan], notices: list[Message]) -> Result[list[Plan]]:
    """The notices about the file go first in each plan's ``warnings``, the one route every caller reads.

    They stay in the ``Result``'s messages too, for callers that looked there.
    """
    for plan in plans:
        plan.warnings[:0] = [PlanWarning(code=m.code, message=m.message, where=m.where) for m in notices]
    return Result(plans, notices)


def read_result(
    path: Union[str, "os.PathLike[str]", None] = None,
    *,
    data: Optional[bytes] = None,
    filename: Optional[str] = None,
    force: bool = False,
    profile: Optional[Profile] = None,
    password: Optional[str] = None,
    converted: Optional[bytes] = None,
    on_page: Optional[PageDone] = None,
) -> Result[Plan]:
    """Like ``read`` (the first plan of a file that holds several, with a ``several-plans``
    warning; ``read_all`` gives them all); the notices about the file rather than the plan (its name says another
    format; a folder of pages holds other files) are the first of ``plan.warnings``,
    and also the ``Result``'s messages.

    ``converted``: the .docx LibreOffice already made of a legacy file (the
    batch converts many in one LibreOffice run); used only if the file is one.
    ``on_page(done, pages)`` is called as each page of a scan is read by OCR.
    """
    found = read_all_result(path, data=data, filename=filename, force=force, profile=profile, password=password, converted=converted, on_page=on_page)
    return Result(found.value[0], found.messages)


def read_all(
    path: Union[str, "os.PathLike[str]", None] = None,
    *,
    data: Optional[bytes] = None,
    filename: Optional[str] = None,
    force: bool = False,
    profile: Optional[Profile] = None,
    password: Optional[str] = None,
) -> list[Plan]:
    """Every plan a file holds, in document order, each read on its own (as ``read`` reads one).

    A file holds several when a second plan's front part (its introduction,
    title, plan number or cover naming a child) follows the first plan's
    sections (``mapping.plans``); each then has a ``several-plans`` warning
    saying which it is. A file with one plan gives a list of one.
    """
    return read_all_result(path, data=data, filename=filename, force=force, profile=profile, password=password).value


def read_all_result(
    path: Union[str, "os.PathLike[str]", None] = None,
    *,
    data: Optional[bytes] = None,
    filename: Optional[str] = None,
    force: bool = False,
    profile: Optional[Profile] = None,
    password: Optional[str] = None,
    converted: Optional[bytes] = None,
    on_page: Optional[PageDone] = None,
) -> Result[list[Plan]]:
    """``read_all`` with ``read_result``'s options; the notices about the file are also the ``Result``'s messages."""
    return _read_all(path, data, filename, _Options(force, profile, password, converted, on_page))


def read_all_with_origins(
    path: Union[str, "os.PathLike[str]", None] = None,
    *,
    data: Optional[bytes] = None,
    filename: Optional[str] = None,
    force: bool = False,
    profile: Optional[Profile] = None,
    password: Optional[str] = None,
    converted: Optional[bytes] = None,
    on_page: Optional[PageDone] = None,
) -> tuple[Result[list[Plan]], list[Origins]]:
    """``read_all_result``, and where each plan's fields were read, one ``Origins`` per plan in
    the same order: the file's page sizes and each field's page and box (``mapping.origins``;
    ``Origins.to_dict()`` is the ``NAME.origins.json`` file). Empty origins for Word and JSON."""
    kept: list[Origins] = []
    found = _read_all(path, data, filename, _Options(force, profile, password, converted, on_page), kept)
    kept += [Origins() for _ in found.value[len(kept):]]  # a plan read from its JSON has none
    return found, kept


@dataclass(frozen=True)
class _Options:
    force: bool
    profile: Optional[Profile]
    password: Optional[str]
    converted: Optional[bytes]
    on_page: Optional[PageDone]


def _read_all(
    path: Union[str, "os.PathLike[str]", None], data: Optional[bytes], filename: Optional[str], options: _Options, kept: Optional[list[Origins]] = None
) -> Result[list[Plan]]:
    force, profile, password, converted, on_page = options.force, options.profile, options.password, options.converted, options.on_page
    if (path is None) == (data is None):
        raise TypeError("give either a path or data=")
    if path is not None:
        if Path(path).is_dir():
            return _read_page_folder(Path(path), force, profile, on_page, kept)
        data, filename = _file_bytes(Path(path)), filename or Path(path).name
    assert data is not None
    name = os.path.basename(filename or "plan")
    kind = detect.sniff(data)
    notices: list[Message] = []
    if detect.extension_mismatch(kind, name):
        notices.append(Message("extension-mismatch", f"the file's name says one format but its content is {detect.DESCRIPTIONS[kind]}; it was read as what it is"))
    if kind == "json":  # a plan as the model's JSON (what `convert` prints)
        return _noted([read_json(data, name)], notices)
    given = _Input(data, kind, password, converted, on_page, [] if kept is not None else None)
    parsed, fmt = _parse(given)
    source = Source(filename=name, format=fmt, sha256=hashlib.sha256(data).hexdigest(), pages=parsed.value.pages)
    return _noted(_map(parsed, source, force, profile, _Kept(kept, given.sizes or [])), notices)


def _file_bytes(path: Path) -> bytes:
    if path.stat().st_size > MAX_INPUT_BYTES:
        raise InputError(f"the file is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB, far more than any plan; check it is the right file")
    return path.read_bytes()


@dataclass(frozen=True)
class _Input:
    """One file's bytes as detected, with what its parser may need."""

    data: bytes
    kind: str  # detect.sniff's answer
    password: Optional[str]
    converted: Optional[bytes]  # the .docx LibreOffice already made of a legacy file
    on_page: Optional[PageDone]
    sizes: Optional[list[tuple[float, float]]] = None  # a paged file's page sizes (points) go here when asked for


def _parse_word(given: _Input) -> tuple[Result, str]:  # type: ignore[type-arg]
    from .parsers.docx import parse_docx

    return parse_docx(given.data), "docx"


def _parse_old_format(given: _Input) -> tuple[Result, str]:  # type: ignore[type-arg]
    """Word 97-2003 (a password-protected .docx or .doc is decrypted in memory first), RTF, OpenDocument."""
    from .parsers import legacy

    if given.kind == "ole" and legacy.is_encrypted(given.data):
        plain = legacy.decrypt(given.data, given.password)
        return _parse(_Input(plain, detect.sniff(plain), None, given.converted, given.on_page, given.sizes))
    fmt = {"ole": "doc", "rtf": "rtf", "odt": "odt"}[given.kind]
    if given.converted is not None:
        return _parse_word(_Input(given.converted, "docx", None, None, None))[0], fmt
    return legacy.parse_legacy(given.data, fmt), fmt


def _parse_pdf(given: _Input) -> tuple[Result, str]:  # type: ignore[type-arg]
    """The text layer, or OCR for a PDF of page images (a scan)."""
    from .errors import NoTextLayerError
    from .parsers.pdf import parse_pdf

    try:
        parsed = parse_pdf(given.data, given.password)
    except NoTextLayerError as scan:
        parsed = _ocr_reader(scan).parse_scanned_pdf(given.data, on_page=given.on_page)
    if given.sizes is not None:
        given.sizes.extend(_pdf_sizes(given.data, given.password))
    return parsed, "pdf"


def _pdf_sizes(data: bytes, password: Optional[str]) -> list[tuple[float, float]]:
    """Each page's (width, height) in points as shown (turned as the page says), as the parsers place boxes."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(data, password=password)
    try:
        return [tuple(doc.get_page_size(i)) for i in range(len(doc))]  # type: ignore[misc]
    finally:
        doc.close()


def _image_sizes(ocr: Any, images: Any) -> list[tuple[float, float]]:
    """Each scanned page's (width, height) in points: its pixels at the resolution OCR reads it at."""
    return [(image.width * 72 / ocr._dpi(image), image.height * 72 / ocr._dpi(image)) for image in images]


def _parse_scan(given: _Input) -> tuple[Result, str]:  # type: ignore[type-arg]
    """A scanned page, or a multi-page TIFF."""
    from .parsers.images import load_pages

    ocr = _ocr_reader(UnsupportedFormatError(NO_TESSERACT))
    pages = load_pages(given.data)
    if given.sizes is not None:
        given.sizes.extend(_image_sizes(ocr, pages))
    return ocr.parse_images(pages, on_page=given.on_page), given.kind


_PARSERS = {
    "docx": _parse_word, "zip": _parse_word,
    "ole": _parse_old_format, "rtf": _parse_old_format, "odt": _parse_old_format,
    "pdf": _parse_pdf,
    **{kind: _parse_scan for kind in detect.IMAGE_KINDS},
}


def _parse(given: _Input) -> tuple[Result, str]:  # type: ignore[type-arg]
    """The layout and ``source.format`` of a file by what its bytes are; one line for what is not read."""
    if given.kind == "empty":
        raise EmptyFileError("the file is empty (0 bytes or only blank space); check the copy or export it again")
    parser = _PARSERS.get(given.kind)
    if parser is not None:
        return parser(given)
    if given.kind == "unknown":
        raise UnsupportedFormatError(
            "this is not a Word document, nor any other format msp-convert reads; check it is the right file, "
            "or open it in a word processor and save it as .docx"
        )
    raise UnsupportedFormatError(
        f"this is {detect.DESCRIPTIONS[given.kind]}, which msp-convert does not read yet; save it as a Word .docx and convert that"
    )


# A plan's JSON is tens of KiB, about a thousand values, nested 9 deep (an
# Entry's struck text in a review's progress); far past that is not a plan.
MAX_PLAN_JSON_BYTES = 4 * 1024 * 1024
# The JSON every reader writes is indented: each value takes at least six bytes, so a plan
# within the byte limit (which _map holds every reader to) is within this one too.
MAX_PLAN_JSON_VALUES = MAX_PLAN_JSON_BYTES // 6
MAX_PLAN_JSON_DEPTH = 20
MAX_JSON_NUMBER_CHARS = 30  # digits, sign, point and exponent: plan numbers, counts, pounds
MAX_PLAN_NUMBER = MAX_NUMBER  # every number in a plan is a count, a plan or outcome number, pounds or a share: never below 0
_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PLACE = re.compile(r"[a-z0-9][a-z0-9 ._/()\[\],-]{0,119}")


class PlanJsonError(InputError):
    """A JSON file that is not a valid plan; ``problems`` names each one by its path in the JSON."""

    code = "invalid-plan-json"
    SHOWN = 10  # problems listed one a line; the rest counted on one more

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"this JSON is not a valid plan ({len(problems)} problem{'s' if len(problems) != 1 else ''}); "
            "fix each place named, or convert the plan's .docx or .pdf again"
        )

    def shown(self) -> list[str]:
        """The first ``SHOWN`` problems, then one line counting the rest: a flood stays readable."""
        rest = len(self.problems) - self.SHOWN
        return self.problems[: self.SHOWN] + ([f"... and {rest} more problem{'s' if rest != 1 else ''}"] if rest > 0 else [])


_KEY_LIKE = re.compile(r"[a-z][a-z0-9_]{0,39}")  # shaped like the model's keys: lower-case snake_case


def json_path(loc: tuple) -> str:
    """("outcomes", 0, "statement", "text") -> "outcomes[0].statement.text".

    A key is shown when it is shaped like the model's own (a misspelt one,
    "withdrawnn", is what a person needs to see); any other came from the file
    and may hold a line end, a lone surrogate or plan content ("Maisie"), so
    it is shown as ``(a key not in the model)``.
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            part = str(part) if _KEY_LIKE.fullmatch(str(part)) else "(a key not in the model)"
            out += f".{part}" if out else part
    return out or "(the whole plan)"


def _not_a_plan(problem: str) -> InputError:
    return InputError(f"this JSON {problem}, far past any plan; check it is the right file, or convert the plan's .docx or .pdf again")


def _number(text: str, convert: type) -> object:
    """A JSON number no longer than ``MAX_JSON_NUMBER_CHARS``, finite (json.loads' hook)."""
    if len(text) > MAX_JSON_NUMBER_CHARS:
        raise _not_a_plan(f"holds a number of more than {MAX_JSON_NUMBER_CHARS} characters")
    value = convert(text)
    if value in (float("inf"), float("-inf")):
        raise _not_a_plan("holds a number too large for any plan")
    return value


def _constant(name: str) -> object:
    raise InputError(f"this is not valid JSON ({name} is not a JSON value); fix it, or convert the plan's .docx or .pdf again")


def _parse_json(text: str) -> object:
    """``json.loads`` with its numbers bounded and its nesting refused past what the stack allows."""
    try:
        return json.loads(text, parse_int=lambda t: _number(t, int), parse_float=lambda t: _number(t, float), parse_constant=_constant)
    except json.JSONDecodeError as err:
        raise InputError(f"this is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno}); fix it, or convert the plan's .docx or .pdf again") from None
    except RecursionError:
        raise _not_a_plan(f"nests deeper than {MAX_PLAN_JSON_DEPTH} levels") from None


def _leaves(obj: object) -> Iterator[tuple[tuple, Any, Any]]:
    """(path, container, key) of every string, number, boolean and null below ``obj``, walked
    without recursion; nesting and size refused past the limits, keys no document can hold replaced."""
    values = 0
    stack: list[tuple[Any, tuple]] = [(obj, ())]
    while stack:
        node, path = stack.pop()
        if len(path) >= MAX_PLAN_JSON_DEPTH:
            raise _not_a_plan(f"nests deeper than {MAX_PLAN_JSON_DEPTH} levels")
        if isinstance(node, dict) and any(INVALID_CHARS.search(key) for key in node):  # no model key: named "(a key)"
            pairs = [(replace_invalid(key)[0], value) for key, value in node.items()]
            node.clear()
            node.update(pairs)
        items = list(node.items() if isinstance(node, dict) else enumerate(node))
        values += len(items)
        if values > MAX_PLAN_JSON_VALUES:
            raise _not_a_plan(f"holds more than {MAX_PLAN_JSON_VALUES:,} values")
        for key, value in items:
            if isinstance(value, (dict, list)):
                stack.append((value, path + (key,)))
            else:
                yield path + (key,), node, key


def _cleaned(obj: object) -> list[tuple]:
    """The parsed JSON's text no document can hold replaced (``text.replace_invalid``); the paths
    of the strings changed. A number outside 0..``MAX_PLAN_NUMBER`` is a problem at its path."""
    changed: list[tuple] = []
    problems: list[str] = []
    for path, node, key in _leaves(obj):
        value = node[key]
        if isinstance(value, str):
            text, invalid = replace_invalid(value)
            if invalid:
                node[key] = text
                changed.append(path)
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and not 0 <= value <= MAX_PLAN_NUMBER:
            problems.append(f"{json_path(path)}: a plan's numbers are from 0 to {MAX_PLAN_NUMBER:,}")
    if problems:
        raise PlanJsonError(sorted(problems))
    return changed


def _unplain_warnings(plan: Plan) -> list[str]:
    """The file's own warnings whose code or place is not shaped like the readers': the CLI's
    summary shows both, and must not show plan content a file put there."""
    problems = []
    for i, w in enumerate(plan.warnings):
        if not _CODE.fullmatch(w.code):
            problems.append(f"warnings[{i}].code: a warning code is lower-case words joined by hyphens")
        if w.where is not None and not _PLACE.fullmatch(w.where):
            problems.append(f"warnings[{i}].where: a place is lower-case words, numbers and part names ('section 5 outcomes')")
    return problems


def _replaced_warning(changed: list[tuple]) -> PlanWarning:
    more = f" and {len(changed) - 1} other place(s)" if len(changed) > 1 else ""
    return PlanWarning(code=INVALID_CHARACTER, message=INVALID_CHARACTER_MESSAGE, where=json_path(sorted(changed, key=str)[0]) + more)


def read_json(data: bytes, name: str) -> Plan:
    """A plan from its JSON, validated against the model.

    Its ``source`` becomes the JSON file itself (format "json"): that is
    where this plan was read from. A problem is named by its path in the JSON
    and pydantic's description of it, never by the value found there.
    """
    if len(data) > MAX_PLAN_JSON_BYTES:
        raise _not_a_plan(f"is larger than {MAX_PLAN_JSON_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("this JSON is not UTF-8 text; save it as UTF-8 and try again") from None
    obj = _parse_json(text)
    if not isinstance(obj, dict):
        raise PlanJsonError([f"(the whole plan): a plan is a JSON object {{...}}, not {type(obj).__name__ if obj is not None else 'null'}"])
    changed = _cleaned(obj)
    obj = dict(obj)
    obj["source"] = Source(filename=name, format="json", sha256=hashlib.sha256(data).hexdigest()).model_dump()
    try:
        plan = recount(Plan.model_validate(obj))  # coverage is counted from the model, never taken on trust
    except ValidationError as err:
        raise PlanJsonError([f"{json_path(e['loc'])}: {e['msg']}" for e in err.errors(include_input=False, include_url=False)]) from None
    unplain = _unplain_warnings(plan)
    if unplain:
        raise PlanJsonError(unplain)
    if changed:
        plan.warnings.append(_replaced_warning(changed))
    return plan
