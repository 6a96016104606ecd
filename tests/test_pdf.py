"""Plans read from PDF give the model their .docx gives, under the rules in
pdf_equivalence.py; and bad PDFs are refused with one clear line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

import msp_convert
from msp_convert.errors import CorruptFileError, EncryptedFileError, NotAPlanError, UnsupportedFormatError
from pdf_equivalence import comparable

REPO = Path(__file__).resolve().parents[1]
PDFS = REPO / "fixtures" / "pdf"
BAD = Path(__file__).resolve().parent / "data" / "pdf"
ALL_PDFS = sorted(p for p in PDFS.rglob("*.pdf"))


def _docx_for(pdf: Path) -> Path:
    beside = pdf.with_suffix(".docx")  # a PDF made with its own .docx (departures/)
    if beside.exists():
        return beside
    stem = pdf.name.split(".")[0]
    plan = REPO / "fixtures" / "plans" / f"{stem}.docx"
    return plan if plan.exists() else REPO / "fixtures" / f"{stem}.docx"


def _apply(plan: dict[str, Any], changes: dict[str, Any]) -> None:
    """Set model paths such as "outcomes[1].supported_by.health"."""
    for path, value in changes.items():
        keys = [int(k) if k.isdigit() else k for k in re.findall(r"[^.\[\]]+", path)]
        node: Any = plan
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value


def test_every_kind_of_pdf_is_here() -> None:
    names = {str(p.relative_to(PDFS)) for p in ALL_PDFS}
    assert len([n for n in names if "/" not in n]) == 13  # every Word fixture, LibreOffice
    assert any(n.startswith("forms/") and n.endswith(".toggled.pdf") for n in names)
    assert any(n.startswith("other-producer/ghostscript/") for n in names)
    assert any(n.startswith("other-producer/abiword/") for n in names)


@pytest.mark.parametrize("pdf", ALL_PDFS, ids=lambda p: str(p.relative_to(PDFS)))
def test_pdf_reads_like_its_docx(pdf: Path) -> None:
    name = str(pdf.relative_to(PDFS))[: -len(".pdf")]
    want = msp_convert.read(_docx_for(pdf)).model_dump(mode="json")
    changes = pdf.with_name(pdf.name.replace(".pdf", ".changes.json"))
    if changes.exists():  # a filled-in form whose boxes were changed after export
        _apply(want, json.loads(changes.read_text(encoding="utf-8")))
    got = msp_convert.read(pdf).model_dump(mode="json")
    assert got["source"]["format"] == "pdf"
    with pdfplumber.open(pdf) as opened:
        assert got["source"]["pages"] == len(opened.pages)
    want_c, got_c = comparable(want, name), comparable(got, name)
    for key in want_c:  # one part at a time, for a readable failure
        assert got_c[key] == want_c[key], key


def test_the_worked_examples_pdf(example_docx: Path) -> None:
    pdf = example_docx.with_suffix(".pdf")
    got = comparable(msp_convert.read(pdf).model_dump(mode="json"))
    assert got == comparable(msp_convert.read(example_docx).model_dump(mode="json"))
    # And the published JSON, on the points where a PDF can hold it.
    published = comparable(json.loads(example_docx.with_suffix(".json").read_text(encoding="utf-8")))
    for key in published:
        if key not in ("unmapped", "warnings", "template"):  # see test_example.py
            assert got[key] == published[key], key
    assert got["template"] == {"id": "kirklees-v2f", "matched": 1.0}  # published as null: see test_example.py


def test_form_fields_fill_the_plan() -> None:
    plan = msp_convert.read(PDFS / "forms" / "02-ks1-down-syndrome.toggled.pdf")
    assert plan.other_plans.looked_after_child_care_plan is True
    assert plan.family.written_by.parent is False
    assert plan.outcomes[2].supported_by.social_care is True


def test_password_protected_pdf() -> None:
    data = (BAD / "encrypted.pdf").read_bytes()
    with pytest.raises(EncryptedFileError, match="password-protected; give its password with --password"):
        msp_convert.read(data=data, filename="plan.pdf")
    with pytest.raises(EncryptedFileError, match="does not open"):
        msp_convert.read(data=data, filename="plan.pdf", password="wrong")
    opened = msp_convert.read(data=data, filename="plan.pdf", password="msp-test")
    plain = msp_convert.read(PDFS / "08-ks1-visual-impairment.pdf")
    assert comparable(opened.model_dump(mode="json")) == comparable(plain.model_dump(mode="json"))


def test_password_from_a_file_on_the_command_line(tmp_path: Path) -> None:
    secret = tmp_path / "password.txt"
    secret.write_text("msp-test\n", encoding="utf-8")
    run = [sys.executable, "-m", "msp_convert", "convert", str(BAD / "encrypted.pdf")]
    refused = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "--password" in refused.stderr
    opened = subprocess.run(run + ["-q", "--password-file", str(secret)], capture_output=True, text=True, timeout=120)
    assert opened.returncode == 0 and json.loads(opened.stdout)["child"]["name"] is None
    assert "msp-test" not in opened.stdout + opened.stderr


@pytest.mark.parametrize(
    "name, error, says",
    [
        ("truncated.pdf", CorruptFileError, "this PDF is damaged"),
        ("scanned.pdf", UnsupportedFormatError, "scanned at about 100 dpi, too small to read"),  # goes to OCR
        ("not-a-plan.pdf", NotAPlanError, "does not look like a My Support Plan"),
    ],
)
def test_bad_pdfs(name: str, error: type, says: str) -> None:
    with pytest.raises(error, match=says) as caught:
        msp_convert.read(BAD / name)
    assert "\n" not in str(caught.value)


def test_a_letter_forced_keeps_its_text() -> None:
    plan = msp_convert.read(BAD / "not-a-plan.pdf", force=True)
    assert plan.unmapped and plan.warnings[-1].code == "not-a-plan"


_GROWTH = """
import io, resource, sys
from pypdf import PdfReader, PdfWriter
src = open(sys.argv[1], "rb").read()
writer, reader = PdfWriter(), PdfReader(io.BytesIO(src))
for _ in range(int(sys.argv[2])):
    for page in reader.pages:
        writer.add_page(page)
buf = io.BytesIO(); writer.write(buf); data = buf.getvalue(); del writer, reader, buf
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from msp_convert.parsers.pdf import parse_pdf
pages = parse_pdf(data).value.pages
print(pages, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)
"""


def _growth(copies: int) -> tuple[int, float]:
    src = PDFS / "08-ks1-visual-impairment.pdf"
    out = subprocess.run([sys.executable, "-c", _GROWTH, str(src), str(copies)], capture_output=True, text=True, timeout=600, check=True)
    pages, mib = out.stdout.split()
    return int(pages), float(mib)


def test_a_300_page_pdf_is_read_a_page_at_a_time() -> None:
    small_pages, small = _growth(1)
    big_pages, big = _growth(38)
    assert (small_pages, big_pages) == (8, 304)
    # Pages are read and released one at a time: 38 times the pages, about the same memory.
    assert big < small * 2 + 16, (small, big)


SCANS = REPO / "fixtures" / "scans"


def test_a_scanned_pdf_goes_to_ocr() -> None:
    plan = msp_convert.read(SCANS / "08-ks1-visual-impairment.pdf")
    assert plan.source.format == "pdf" and plan.source.pages == 8
    assert plan.warnings[0].code == "ocr-used"
    assert plan.outcomes  # read from the page images


def test_without_tesseract_a_scan_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # no language data there: Tesseract cannot run
    with pytest.raises(UnsupportedFormatError, match="no text layer .*install tesseract-ocr-eng"):
        msp_convert.read(SCANS / "08-ks1-visual-impairment.pdf")
