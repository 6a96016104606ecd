"""The bundle that goes with a request for an EHC needs assessment.

``make_bundle`` takes the plan as read (by the CLI: ehc reads no files as plans), matches Section 7's references to the files
of an evidence folder (``ehc.evidence``; ``--map`` settles what a person
decided), checks the plan's readiness (``ehc.check``) and writes one ZIP:

    manifest.json     every document: category, reference, original name, sha256, pages
    plan.json         the canonical model
    readiness.txt     the readiness report, and readiness.json
    01-plan.docx      the plan as it stands, history kept: the reviews are the evidence
    02-education-access-reading-test-2018-10-10.pdf, ...   the evidence, renamed in order
    bundle.pdf        cover, contents, every document, bookmarks, page numbers

Office documents reach bundle.pdf through LibreOffice (``ehc.office``); with
no LibreOffice the ZIP is written without bundle.pdf and the result says
what to install. The same inputs give the same bytes. Messages name files
and Section 7 labels ("education 2"), never what the plan says.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Optional

from ..version import __version__
from ..atomic import TEMP_PREFIX, TEMP_SUFFIX, check_writable, shown, write_problem
from ..model import Plan
from ..writers.json import to_json
from ..parsers.legacy import is_encrypted
from .. import office
from . import pdfs
from ..template import profile_named
from ..writers.docx.newplan import profile_of
from .check import Finding, Readiness, check_plan, evidence_part, part_where, to_text
from .evidence import BundleError, Matched, Reference, evidence_files, match, read_map, references

MAX_EVIDENCE_BYTES = 200 * 1024 * 1024
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a ZIP can say: no clock in the bytes
LABELS = {"family": "Family/young person", "education": "Education", "health": "Health",
          "social_care": "Social care", "careers": "Careers", "other": "Other evidence"}
PLAN_TITLE = "My Support Plan, as it stands, with its reviews"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected Office files are OLE packages


@dataclass
class BundleOptions:
    plan_path: Path
    evidence_dir: Path
    output: Path
    map_file: Optional[Path] = None
    password: Optional[str] = None  # of an encrypted PDF plan
    min_reviews: int = 2
    weeks: int = 38
    threshold: Decimal = Decimal(6000)
    timeout: float = 120.0  # seconds LibreOffice may take over one document
    soffice: Optional[str] = None  # LibreOffice's program; None: $MSP_CONVERT_SOFFICE, then PATH
    plan_docx: Optional[Callable[[Plan], bytes]] = None  # None: writers.docx.write_docx(plan, mode="as-is")


@dataclass
class Document:
    number: int
    category: str  # "plan", or a Section 7 category
    index: Optional[int]  # within its category
    reference: str
    date: Optional[dt.date]
    original: str  # the plan's file name, or the file's path inside the evidence folder
    name: Optional[str] = None  # in the ZIP; None when the file could not be read
    data: Optional[bytes] = field(default=None, repr=False)
    pages: Optional[int] = None
    problem: Optional[str] = None  # why it is not (wholly) usable
    blocking: bool = False  # the problem is the file's own: nobody could read it as it is
    pdf: Optional[bytes] = field(default=None, repr=False)  # what goes into bundle.pdf
    first_page: Optional[int] = None  # in bundle.pdf

    @property
    def sha256(self) -> Optional[str]:
        return hashlib.sha256(self.data).hexdigest() if self.data is not None else None

    @property
    def label(self) -> str:
        return "the plan" if self.category == "plan" else f"{self.category.replace('_', ' ')} {self.index}"

    @property
    def title(self) -> str:
        if self.category == "plan":
            return PLAN_TITLE
        return f"{LABELS[self.category]} {self.index}: {self.reference}" + (f" ({long_date(self.date)})" if self.date else "")


@dataclass
class BundleResult:
    output: Path
    plan_name: str
    readiness: Readiness
    documents: list[Document]
    missing: list[Reference]
    unmatched: list[str]
    refused: list[str]
    names: list[str]  # the ZIP's entries, in order
    pdf_pages: Optional[int] = None
    pdf_skipped: Optional[str] = None  # why there is no bundle.pdf

    def messages(self) -> list[str]:
        """What a person should know, one line each: file names and labels only."""
        lines = []
        blocking = [f for f in self.readiness.findings if f.blocking]
        if blocking:
            lines.append(f"{shown(self.plan_name)}: NOT READY for an EHC needs assessment request: {len(blocking)} thing(s) to do first (readiness.txt in the ZIP lists them)")
        else:
            lines.append(f"{shown(self.plan_name)}: ready for an EHC needs assessment request")
        part = evidence_part(profile_named(self.readiness.template))
        if self.missing:
            labels = ", ".join(f"{r.category.replace('_', ' ')} {r.index}" for r in self.missing)
            lines.append(f"evidence: no file for {part} {labels}; add the file(s) to the evidence folder or settle with --map")
        if self.unmatched:
            lines.append(f"evidence: {len(self.unmatched)} file(s) match no {part} reference and were left out: " + ", ".join(map(shown, self.unmatched)))
        for name in self.refused:
            lines.append(f"evidence: {shown(name)}: refused: it is a link to a file outside the evidence folder")
        for doc in self.documents:
            if doc.problem:
                lines.append(f"{'plan' if doc.category == 'plan' else 'evidence'}: {shown(doc.original)} ({doc.label}): {doc.problem}")
        kept = sum(1 for d in self.documents if d.name)
        if self.pdf_pages is not None:
            lines.append(f"{shown(str(self.output))}: written: {kept} document(s) and bundle.pdf of {self.pdf_pages} pages")
        else:
            lines.append(f"{shown(str(self.output))}: written: {kept} document(s), WITHOUT bundle.pdf: {self.pdf_skipped}")
        return lines


def long_date(date: dt.date) -> str:
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def slug(text: str, limit: int = 48) -> str:
    """Lower-case ASCII words joined by hyphens: safe in any file system and ZIP."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out or (words[0][:limit] if words else "document")


def zip_name(number: int, width: int, category: str, reference: str, date: Optional[dt.date], suffix: str) -> str:
    """``02-education-ep-report-2019-03-14.pdf``: order, category, the reference, its date; the file's own extension."""
    suffix = suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix) else ""
    parts = [f"{number:0{width}d}", category.replace("_", "-")]
    if category != "plan":
        parts.append(slug(reference))
    if date:
        parts.append(date.isoformat())
    return "-".join(parts) + suffix


# --- reading and preparing each document -------------------------------------

def _read_inside(root: Path, rel: str) -> bytes:
    real = (root / rel).resolve()
    if not real.is_relative_to(root):
        raise pdfs.Unusable("it leads outside the evidence folder")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(real, flags)
    with os.fdopen(fd, "rb") as handle:
        if os.fstat(handle.fileno()).st_size > MAX_EVIDENCE_BYTES:
            raise pdfs.Unusable(f"it is larger than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB; send it separately")
        return handle.read()


def _prepare(doc: Document, suffix: str) -> Optional[str]:
    """Set ``doc.pdf``/``pages`` for PDFs and scans, or its problem; "office" if LibreOffice must convert it."""
    data = doc.data
    assert data is not None
    try:
        if not data:
            raise pdfs.Unusable("it is empty")
        if suffix == ".pdf":
            doc.pages = pdfs.pdf_pages(data)
            doc.pdf = data
        elif suffix in pdfs.IMAGE_SUFFIXES:
            doc.pdf = pdfs.images_to_pdf(data)
            doc.pages = pdfs.pdf_pages(doc.pdf)
        elif suffix in office.SUFFIXES:
            if data.startswith(_OLE) and is_encrypted(data):
                raise pdfs.Unusable("it is locked with a password (encrypted); save a copy without the password and add that")
            return "office"
        else:
            raise pdfs.Unusable(f"files of this kind ({shown(suffix) or 'no extension'}) cannot be put into bundle.pdf; it is in the ZIP as it is", damaged=False)
    except pdfs.Unusable as err:
        doc.problem, doc.blocking = err.reason, err.damaged
    return None


def _plan_docx(plan: Plan, writer: Optional[Callable[[Plan], bytes]]) -> bytes:
    if writer is None:
        try:
            from ..writers.docx import write_docx  # type: ignore[import-not-found]
        except ImportError:
            raise BundleError("this installation cannot write a plan as DOCX (msp_convert.writers.docx is missing); update msp-convert") from None

        def writer(p: Plan) -> bytes:
            return write_docx(p, mode="as-is")

    return _steady_zip(writer(plan))


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info


def _steady_zip(data: bytes) -> bytes:
    """A DOCX's parts again, same order and bytes, with the clock taken out of the ZIP."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as src:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as dst:
                for item in src.infolist():
                    dst.writestr(_info(item.filename), src.read(item), compresslevel=6)
        return out.getvalue()
    except zipfile.BadZipFile:
        return data


# --- the bundle --------------------------------------------------------------

def check_output(options: BundleOptions) -> None:
    """Refuse now, before the plan is read, what would stop the ZIP being written."""
    if not options.evidence_dir.resolve().is_dir():
        raise BundleError("is not a folder; --evidence needs the folder of the documents Section 7 lists", options.evidence_dir.name or str(options.evidence_dir))
    out = options.output
    folder = out.parent.resolve()
    if not folder.is_dir():
        raise BundleError("cannot be written: its folder does not exist", out.name)
    if out.resolve() == options.plan_path.resolve():
        raise BundleError("would overwrite the plan; choose another -o", out.name)
    try:
        check_writable(folder)
    except OSError as err:
        raise BundleError(write_problem(err, folder), out.name) from None


def make_bundle(options: BundleOptions, plan: Plan) -> BundleResult:
    """Write the ZIP at ``options.output`` for ``plan`` (read from ``options.plan_path``, whose name it keeps).

    Raises ``InputError`` (a ``BundleError`` names its file) for what a person must fix.
    """
    check_output(options)
    plan_name = options.plan_path.name
    root = options.evidence_dir.resolve()
    out = options.output

    # Which file is which reference.
    refs = references(plan)
    files, refused = evidence_files(root)
    inside, refused = [], list(refused)
    for rel in files:
        real = (root / rel).resolve()
        if real == out.resolve():
            continue  # an earlier bundle written into the folder
        (inside if real.is_relative_to(root) else refused).append(rel)
    files = inside
    settled = read_map(options.map_file, refs, files, refused, part=evidence_part(profile_of(plan))) if options.map_file else None
    matched, unmatched = match(refs, files, settled=settled)

    documents, needs_office = _documents(plan, plan_name, matched, root, options)
    skipped = _through_office(needs_office, options)
    readiness = _readiness(plan, options, matched, unmatched, refused, documents)
    bundle_pdf: Optional[bytes] = None
    pdf_pages: Optional[int] = None
    if skipped is None:
        bundle_pdf, pdf_pages = _bundle_pdf(plan, plan_name, documents, [m.reference for m in matched if m.file is None], readiness)

    plan_json = to_json(plan).encode("utf-8")
    report_text = to_text(readiness, plan_name).encode("utf-8")
    report_json = (json.dumps(readiness.to_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    entries: list[tuple[str, bytes]] = [("plan.json", plan_json), ("readiness.txt", report_text), ("readiness.json", report_json)]
    entries += [(d.name, d.data) for d in documents if d.name and d.data is not None]
    if bundle_pdf is not None:
        entries.append(("bundle.pdf", bundle_pdf))
    manifest = _manifest(plan, plan_name, documents, matched, unmatched, refused, readiness, entries, pdf_pages, skipped)
    entries.insert(0, ("manifest.json", manifest))
    _write_zip(out, entries)
    return BundleResult(
        output=out, plan_name=plan_name, readiness=readiness, documents=documents,
        missing=[m.reference for m in matched if m.file is None], unmatched=unmatched, refused=refused,
        names=[name for name, _ in entries], pdf_pages=pdf_pages, pdf_skipped=skipped,
    )


def _documents(plan: Plan, plan_name: str, matched: list[Matched], root: Path, options: BundleOptions) -> tuple[list[Document], list[Document]]:
    """The plan as DOCX and each matched file, numbered, read and named for the ZIP; and those LibreOffice must convert."""
    documents = [Document(1, "plan", None, PLAN_TITLE, None, plan_name)]
    documents[0].data = _plan_docx(plan, options.plan_docx)
    for m in matched:
        if m.file is not None:
            r = m.reference
            documents.append(Document(len(documents) + 1, r.category, r.index, r.reference, r.date, m.file))
    width = max(2, len(str(len(documents))))
    needs_office: list[Document] = []
    for doc in documents:
        suffix = ".docx" if doc.category == "plan" else Path(doc.original).suffix.lower()
        if doc.category != "plan":
            try:
                doc.data = _read_inside(root, doc.original)
            except pdfs.Unusable as err:
                doc.problem, doc.blocking = err.reason, True
            except OSError as err:
                doc.problem, doc.blocking = f"it could not be read ({err.strerror or type(err).__name__}); check you may read it", True
        if doc.data is None:
            continue
        doc.name = zip_name(doc.number, width, doc.category, doc.reference, doc.date, suffix)
        if _prepare(doc, suffix) == "office":
            needs_office.append(doc)
    return documents, needs_office


def _through_office(documents: list[Document], options: BundleOptions) -> Optional[str]:
    """Office documents to PDF through LibreOffice, in a private folder that goes even on failure.
    Why there can be no bundle.pdf (LibreOffice is missing), or None."""
    soffice = office.find_soffice(options.soffice)
    if not soffice:
        return f"LibreOffice was not found; {office.INSTALL_HINT}"
    if not documents:
        return None
    with tempfile.TemporaryDirectory(prefix="msp-convert-bundle-") as work:
        converted = office.convert_to_pdf(
            [(".docx" if d.category == "plan" else Path(d.original).suffix.lower(), d.data or b"") for d in documents],
            soffice, Path(work), timeout=options.timeout,
        )
    for doc, result in zip(documents, converted):
        try:
            if result.data is None:
                # Not the file's own fault for certain: it is in the ZIP as given.
                raise pdfs.Unusable(result.error or "LibreOffice could not convert it", damaged=False)
            doc.pages = pdfs.pdf_pages(result.data)
            doc.pdf = result.data
        except pdfs.Unusable as err:
            doc.problem, doc.blocking = err.reason, err.damaged
    return None


def _readiness(plan: Plan, options: BundleOptions, matched: list[Matched], unmatched: list[str], refused: list[str], documents: list[Document]) -> Readiness:
    """``check_plan``'s findings, with the evidence as matched here (the map settled) and the files that cannot be used."""
    readiness = check_plan(
        plan, min_reviews=options.min_reviews, weeks=options.weeks, threshold=options.threshold,
        evidence=(matched, unmatched, refused),
    )
    findings = list(readiness.findings)
    for doc in documents:
        if doc.problem and doc.category != "plan":
            where = f"{part_where(profile_of(plan), 'appendices')} {doc.category}"
            code = "evidence-unusable" if doc.blocking else "evidence-not-in-pdf"
            findings.append(Finding(code, where, f"The file for reference {doc.index} of {doc.category.replace('_', ' ')} ({doc.original}): {doc.problem}.", doc.blocking))
    readiness.findings = findings
    readiness.ready = not any(f.blocking for f in findings)
    return readiness


def _reviews_fact(plan: Plan, readiness: Readiness) -> str:
    """The R1-R3 reviews, or on a form reviewed by its dates (York) the plan's date and its initial plan's."""
    if readiness.plan_dates is None:
        return "; ".join(f"{r.label} {long_date(r.date)}" if r.date else f"{r.label} (undated)" for r in plan.reviews) or "none"
    dates = plan.plan_dates
    return "; ".join(f"{label} {long_date(value) if value else '(undated)'}"
                     for label, value in (("this plan", dates.this_plan), ("initial plan", dates.initial_plan)))


def _bundle_pdf(plan: Plan, plan_name: str, documents: list[Document], missing: list[Reference], readiness: Readiness) -> tuple[bytes, int]:
    child = plan.child
    part = evidence_part(profile_named(readiness.template))
    blocking = sum(1 for f in readiness.findings if f.blocking)
    facts = [
        ("Child or young person", child.name or ""),
        ("Date of birth", long_date(child.date_of_birth) if child.date_of_birth else ""),
        ("Setting", child.setting or ""),
        ("Year group", child.year_group or ""),
        ("Plan", f"My Support Plan {plan.plan_number}" if plan.plan_number else "My Support Plan"),
        ("Reviews", _reviews_fact(plan, readiness)),
        ("Documents", f"{sum(1 for d in documents if d.pdf)} in this PDF" + (f"; {len(missing)} listed in {part} without a file" if missing else "")),
        ("Readiness", "ready" if readiness.ready else f"not ready: {blocking} thing(s) to do (readiness.txt)"),
    ]
    cover = pdfs.Cover(
        title="Request for an Education, Health and Care needs assessment",
        subtitle=f"My Support Plan and the documents that inform it ({part})",
        facts=[(label, value) for label, value in facts if value],
        notes=[f"Made by msp-convert {__version__} from {plan_name}. Every document in this PDF is also in the ZIP as it was given; manifest.json lists each with its SHA-256."],
    )
    parts = []
    for doc in documents:
        note = "" if doc.pdf else f"Not in this PDF: {doc.problem or 'it could not be converted'}."
        parts.append(pdfs.Part(f"{doc.number:02d}", doc.title, doc.pdf, note))
    for ref in missing:
        title = f"{LABELS[ref.category]} {ref.index}: {ref.reference}" + (f" ({long_date(ref.date)})" if ref.date else "")
        parts.append(pdfs.Part("", title, None, "No file for this reference is in the bundle."))
    digest = hashlib.sha256()
    for doc in documents:
        digest.update((doc.sha256 or "-").encode() + b"\n")
    digest.update(to_json(plan).encode("utf-8"))
    assembled = pdfs.assemble(cover, parts, title=f"EHC needs assessment request: {plan_name}", identifier=digest.digest()[:16])
    for doc, part in zip(documents, parts):
        doc.first_page = part.first_page
    return assembled.pdf, assembled.pages


def _manifest(
    plan: Plan, plan_name: str, documents: list[Document], matched: list[Matched], unmatched: list[str], refused: list[str],
    readiness: Readiness, entries: list[tuple[str, bytes]], pdf_pages: Optional[int], skipped: Optional[str],
) -> bytes:
    def pages_in_pdf(doc: Document) -> Optional[list[int]]:
        return [doc.first_page, doc.first_page + (doc.pages or 1) - 1] if doc.first_page else None

    data = {
        "format": "msp-convert EHC request bundle",
        "version": 1,
        "made_by": f"msp-convert {__version__}",
        "plan": {"original": plan_name, "sha256": plan.source.sha256, "format": plan.source.format},
        "ready": readiness.ready,
        "blocking_findings": sum(1 for f in readiness.findings if f.blocking),
        "documents": [{
            "number": d.number, "name": d.name, "category": d.category, "index": d.index, "reference": d.reference,
            "date": d.date.isoformat() if d.date else None, "original": d.original, "sha256": d.sha256,
            "bytes": len(d.data) if d.data is not None else None, "pages": d.pages,
            "bundle_pdf_pages": pages_in_pdf(d), "problem": d.problem,
        } for d in documents],
        "missing": [{"category": m.reference.category, "index": m.reference.index, "reference": m.reference.reference,
                     "date": m.reference.date.isoformat() if m.reference.date else None} for m in matched if m.file is None],
        "unmatched_files": unmatched,
        "refused_files": refused,
        "bundle_pdf": {"name": "bundle.pdf", "pages": pdf_pages} if pdf_pages is not None else {"name": None, "why_not": skipped},
        "files": {name: hashlib.sha256(content).hexdigest() for name, content in entries},
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _write_zip(path: Path, entries: list[tuple[str, bytes]]) -> None:
    """Fixed order, times and modes; through a temporary renamed into place."""
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w") as archive:
                for name, content in entries:
                    archive.writestr(_info(name), content, compresslevel=6)
        os.replace(tmp, path)
    except BaseException as err:
        if tmp:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        if isinstance(err, OSError):
            raise BundleError(write_problem(err, path.parent), path.name) from None
        raise
