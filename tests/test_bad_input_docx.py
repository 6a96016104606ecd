"""Bad input to the Word parser: the right InputError, one line, no document text."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from msp_convert.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    InputError,
    UnsafeFileError,
    UnsupportedFormatError,
)
from msp_convert.parsers.docx import parse_docx

DATA = Path(__file__).resolve().parent / "data"
SECRET = "Secret Child"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DOCUMENT = (
    f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
    f"<w:p><w:r><w:t>Name: {SECRET}</w:t></w:r></w:p></w:body></w:document>"
)
PACKAGE_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>'
)


def zipped(files: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            z.writestr(name, content)
    return buf.getvalue()


def docx(document: str | bytes = DOCUMENT, extra: dict[str, str | bytes] | None = None) -> bytes:
    files: dict[str, str | bytes] = {"_rels/.rels": PACKAGE_RELS, "word/document.xml": document}
    files.update(extra or {})
    return zipped(files)


def refused(data: bytes, kind: type[InputError]) -> str:
    """Parse ``data``, expect exactly ``kind``; return its message after the common checks."""
    with pytest.raises(InputError) as caught:
        parse_docx(data)
    err = caught.value
    assert type(err) is kind, f"{type(err).__name__}: {err}"
    message = str(err)
    assert message and "\n" not in message and "\r" not in message
    assert SECRET not in message and "Secret" not in message
    assert message == err.message
    return message


# ------------------------------------------------------- OLE compound files --

ENDOFCHAIN, FATSECT, FREESECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal valid OLE compound file (CFB v3) holding ``streams`` at the root.

    Each stream is padded to at least 4096 bytes so that it lives in ordinary
    sectors (no mini stream). Sector 0 is the FAT, sector 1 the directory.
    """
    assert len(streams) <= 3
    data = b""
    fat = [FATSECT, ENDOFCHAIN]
    entries = [(("Root Entry", 5, 1 if streams else NOSTREAM, NOSTREAM, ENDOFCHAIN, 0))]
    names = list(streams)
    for i, name in enumerate(names):
        content = streams[name].ljust(4096, b"\0")
        padded = content.ljust(-(-len(content) // 512) * 512, b"\0")
        first = 2 + len(data) // 512
        count = len(padded) // 512
        fat.extend(list(range(first + 1, first + count)) + [ENDOFCHAIN])
        data += padded
        right = i + 2 if i + 1 < len(names) else NOSTREAM
        entries.append((name, 2, NOSTREAM, right, first, len(content)))
    assert len(fat) <= 128
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
    struct.pack_into("<I", header, 0x4C, 0)
    for i in range(1, 109):
        struct.pack_into("<I", header, 0x4C + 4 * i, FREESECT)
    fat_sector = b"".join(struct.pack("<I", v) for v in fat).ljust(512, b"\xff")
    directory = bytearray(512)
    for i, (name, kind, child, right, start, size) in enumerate(entries):
        e = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        e[: len(encoded)] = encoded
        struct.pack_into("<HBB", e, 64, len(encoded), kind, 1)
        struct.pack_into("<III", e, 68, NOSTREAM, right, child)
        struct.pack_into("<IQ", e, 116, start, size)
        directory[i * 128 : (i + 1) * 128] = e
    for i in range(len(entries), 4):  # unused entries
        struct.pack_into("<III", directory, i * 128 + 68, NOSTREAM, NOSTREAM, NOSTREAM)
    return bytes(header) + fat_sector + bytes(directory) + data


def word97_stream(encrypted: bool = False) -> bytes:
    fib = bytearray(64)
    struct.pack_into("<HH", fib, 0, 0xA5EC, 0x00C1)  # wIdent, nFib (Word 97)
    struct.pack_into("<H", fib, 0x0A, 0x0100 if encrypted else 0)  # fEncrypted
    return bytes(fib) + SECRET.encode("utf-16-le")


def test_the_ole_writer_makes_files_olefile_reads():
    import olefile

    ole = olefile.OleFileIO(ole_file({"WordDocument": b"x", "1Table": b"y"}))
    assert sorted(ole.listdir()) == [["1Table"], ["WordDocument"]]
    assert ole.openstream("WordDocument").read(1) == b"x"


def test_old_word_97_document_renamed_docx():
    message = refused(ole_file({"WordDocument": word97_stream(), "1Table": b"\0" * 10}), UnsupportedFormatError)
    assert ".doc" in message and "97-2003" in message and "save" in message.lower()


def test_password_protected_old_word_document():
    message = refused(ole_file({"WordDocument": word97_stream(encrypted=True)}), EncryptedFileError)
    assert "password" in message


def test_encrypted_ooxml_made_by_msoffcrypto():
    message = refused((DATA / "encrypted.docx").read_bytes(), EncryptedFileError)
    assert "password-protected" in message and "unprotected copy" in message


def test_encrypted_ooxml_crafted():
    streams = {"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00<encryption/>", "EncryptedPackage": b"\x07" * 64}
    assert "password-protected" in refused(ole_file(streams), EncryptedFileError)


def test_other_ole_file():
    assert "not a Word document" in refused(ole_file({"Workbook": b"\x09\x08"}), UnsupportedFormatError)


def test_damaged_ole_file():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    assert "damaged" in refused(data, CorruptFileError)


# ------------------------------------------------------------- not a docx ----


@pytest.mark.parametrize("data", [b"", b"   \r\n\t "])
def test_empty(data):
    assert "empty" in refused(data, EmptyFileError)


def test_not_a_zip():
    message = refused(f"Name: {SECRET}, just some text".encode(), CorruptFileError)
    assert "not a zip" in message


def test_truncated_zip():
    data = docx()
    assert "not a zip" in refused(data[: len(data) // 2], CorruptFileError)


def test_zip_without_a_word_document():
    message = refused(zipped({"notes.txt": f"{SECRET}"}), CorruptFileError)
    assert "not a Word document" in message


def test_package_relationship_to_a_missing_part():
    assert "not a Word document" in refused(zipped({"_rels/.rels": PACKAGE_RELS}), CorruptFileError)


def test_spreadsheet_renamed_docx():
    rels = PACKAGE_RELS.replace("word/document.xml", "xl/workbook.xml")
    workbook = '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'
    message = refused(zipped({"_rels/.rels": rels, "xl/workbook.xml": workbook}), CorruptFileError)
    assert "not a Word document" in message


def test_malformed_xml():
    bad = DOCUMENT.replace("</w:t>", "")
    message = refused(docx(bad), CorruptFileError)
    assert "word/document.xml" in message and "not well-formed" in message


def test_malformed_styles_part():
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/></Relationships>'
    )
    message = refused(
        docx(extra={"word/_rels/document.xml.rels": rels, "word/styles.xml": "<w:styles"}), CorruptFileError
    )
    assert "styles.xml" in message


def test_zip_member_encrypted_with_a_zip_password():
    data = bytearray(docx())
    # set the "encrypted" flag bit in every local and central header
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = data.find(sig)
        while pos >= 0:
            data[pos + offset] |= 0x01
            pos = data.find(sig, pos + 4)
    assert "encrypted" in refused(bytes(data), EncryptedFileError)


# ----------------------------------------------------------------- unsafe ----


def _zeros_member(size: int) -> bytes:
    """A .docx whose document part is ``size`` bytes of zeros, built streaming."""
    buf = io.BytesIO()
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_rels/.rels", PACKAGE_RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(size // len(chunk)):
                part.write(chunk)
    return buf.getvalue()


def test_zip_bomb_refused_before_inflating():
    data = _zeros_member(200 * 2**20)
    assert len(data) < 2**20  # 200 MiB of zeros packs into a few hundred KiB
    tracemalloc.start()
    try:
        message = refused(data, UnsafeFileError)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "zip bomb" in message
    assert peak < 8 * 2**20  # refused before inflating: 200 MiB never reached memory


def test_compression_ratio_bomb_under_the_size_cap():
    data = _zeros_member(48 * 2**20)  # 48 MiB: under the size cap, past the ratio floor, ~1000:1
    message = refused(data, UnsafeFileError)
    assert "compressed more than" in message and "zip bomb" in message


def raw_zip(entries: list[tuple[str, int, bytes, int, int]]) -> bytes:
    """A zip written by hand: (name, method, stored bytes, crc, declared size) per member."""
    out, central = bytearray(), bytearray()
    for name, method, stored, crc, size in entries:
        offset, encoded = len(out), name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(stored), size, len(encoded), 0)
        out += encoded + stored
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(stored), size,
            len(encoded), 0, 0, 0, 0, 0, offset,
        )
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + end)


def test_raw_zip_writer_makes_zips_zipfile_reads():
    stored = zlib.compress(b"hello", 9)[2:-4]
    z = zipfile.ZipFile(io.BytesIO(raw_zip([("a.txt", 8, stored, zlib.crc32(b"hello"), 5)])))
    assert z.read("a.txt") == b"hello"


def test_declared_size_that_lies_is_caught_without_inflating_the_rest():
    # 64 MiB of zeros whose headers declare 1 KiB (and that 1 KiB's CRC)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = b"".join(packer.compress(b"\0" * (1 << 20)) for _ in range(64)) + packer.flush()
    rels = PACKAGE_RELS.encode()
    data = raw_zip(
        [
            ("_rels/.rels", 0, rels, zlib.crc32(rels), len(rels)),
            ("word/document.xml", 8, stream, zlib.crc32(b"\0" * 1024), 1024),
        ]
    )
    tracemalloc.start()
    try:
        message = refused(data, CorruptFileError)  # only the declared 1 KiB is inflated: not XML
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "word/document.xml" in message
    assert peak < 8 * 2**20


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
    ' <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">\n]>\n'
    f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol9; {SECRET}</w:t></w:r></w:p></w:body></w:document>'
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>'
)


@pytest.mark.parametrize("document", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "external-entity"])
def test_dtd_and_entities_refused(document):
    message = refused(docx(document), UnsafeFileError)
    assert "DTD" in message and "word/document.xml" in message


def test_dtd_in_utf16_refused():
    assert "DTD" in refused(docx(BILLION_LAUGHS.replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")), UnsafeFileError)


def test_dtd_in_the_package_relationships_refused():
    rels = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]>' + PACKAGE_RELS
    message = refused(zipped({"_rels/.rels": rels, "word/document.xml": DOCUMENT}), UnsafeFileError)
    assert "_rels/.rels" in message


def test_doctype_text_in_the_body_is_not_a_dtd():
    text = DOCUMENT.replace(SECRET, "&lt;!DOCTYPE html&gt; <![CDATA[<!ENTITY x>]]>")
    result = parse_docx(docx(text))
    assert result.value.body[0].text == "Name: <!DOCTYPE html> <!ENTITY x>"


def test_nesting_deeper_than_the_parser_allows_is_refused():
    deep = "<w:tbl><w:tr><w:tc>" * 100 + f"<w:p><w:r><w:t>{SECRET}</w:t></w:r></w:p>" + "</w:tc></w:tr></w:tbl>" * 100
    document = f'<w:document xmlns:w="{W}"><w:body>{deep}</w:body></w:document>'
    assert "deeper" in refused(docx(document), UnsafeFileError)
