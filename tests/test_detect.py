"""The format comes from the bytes, never from the file's name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import msp_convert
from msp_convert.detect import extension_mismatch, sniff
from msp_convert.errors import CorruptFileError, UnsupportedFormatError


def odt() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"%PDF-1.7\n...", "pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "ole"),
        (b"{\\rtf1\\ansi hello}", "rtf"),
        (b'{"schema_version": "1.0"}', "json"),
        (b"Just some notes", "unknown"),
    ],
)
def test_sniff(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_sniff_zips(example_docx: Path) -> None:
    assert sniff(example_docx.read_bytes()) == "docx"
    assert sniff(odt()) == "odt"


def test_extension_that_lies() -> None:
    assert extension_mismatch("pdf", "plan.docx")
    assert extension_mismatch("ole", "plan.pdf")
    assert not extension_mismatch("ole", "plan.docx")  # an encrypted .docx is an OLE file
    assert not extension_mismatch("docx", "Plan.DOCX")


def test_each_format_goes_to_its_reader(example_docx: Path) -> None:
    with pytest.raises(CorruptFileError, match="this PDF is damaged"):
        msp_convert.read(data=b"%PDF-1.4\n%...", filename="plan.docx")  # read as the PDF it is
    with pytest.raises(CorruptFileError, match="LibreOffice could not convert"):
        msp_convert.read(data=odt(), filename="plan.odt")  # an OpenDocument file goes through LibreOffice
    with pytest.raises(UnsupportedFormatError, match="not a Word document"):
        msp_convert.read(data=b"Just some notes", filename="plan.docx")


def test_a_docx_named_pdf_is_read_and_the_name_noted(example_docx: Path) -> None:
    from msp_convert.reader import read_result

    result = read_result(data=example_docx.read_bytes(), filename="plan.pdf")
    assert result.value.child.name == "Kai Dobson"
    assert [m.code for m in result.messages] == ["extension-mismatch"]
