"""Bad input on the command line: one line naming the file and what to do, exit 1,
no traceback, no output file, and the input left exactly as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx as python_docx
import pytest
from test_bad_input_docx import BILLION_LAUGHS, SECRET, _zeros_member, docx, ole_file, word97_stream, zipped

DATA = Path(__file__).resolve().parent / "data"


def _letter() -> bytes:
    import io

    document = python_docx.Document()
    document.add_paragraph(f"Dear {SECRET}, your appointment is on Tuesday.")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


CASES = {
    "empty": (lambda: b"", "the file is empty"),
    "not-a-zip": (lambda: f"Notes about {SECRET}\n".encode(), "not a Word document"),
    "zip-without-document": (lambda: zipped({"notes.txt": SECRET}), "not a Word document"),
    "password-protected": (lambda: (DATA / "encrypted.docx").read_bytes(), "password"),
    # A .doc is read through LibreOffice; this one is only a Word 97 header, not a document.
    "old-doc-renamed": (lambda: ole_file({"WordDocument": word97_stream()}), "LibreOffice could not convert"),
    "zip-bomb": (lambda: _zeros_member(200 * 2**20), "zip bomb"),
    "xml-entities": (lambda: docx(BILLION_LAUGHS), "DTD"),
    "not-a-plan": (_letter, "does not look like a My Support Plan"),
    "pdf-password-protected": (lambda: (DATA / "pdf" / "encrypted.pdf").read_bytes(), "password-protected"),
    "pdf-truncated": (lambda: (DATA / "pdf" / "truncated.pdf").read_bytes(), "damaged"),
    "pdf-scan-too-coarse": (lambda: (DATA / "pdf" / "scanned.pdf").read_bytes(), "too small to read"),
    "pdf-not-a-plan": (lambda: (DATA / "pdf" / "not-a-plan.pdf").read_bytes(), "does not look like a My Support Plan"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_is_one_clear_line(case: str, tmp_path: Path) -> None:
    make, says = CASES[case]
    data = make()
    plan = tmp_path / ("plan.pdf" if case.startswith("pdf-") else "plan.docx")
    plan.write_bytes(data)
    out = tmp_path / "plan.json"
    result = subprocess.run(
        [sys.executable, "-m", "msp_convert", "convert", str(plan), "-o", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"msp-convert: {plan.name}: "), result.stderr
    assert says.lower() in lines[0].lower()
    assert "Traceback" not in result.stderr and SECRET not in result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == [plan.name]  # no output, no temporary file
    assert plan.read_bytes() == data
