"""Tell a file's format from its bytes, never from its name.

Schools rename files, e-mail gateways change extensions, and an old .doc
saved as ".docx" is common. The reader dispatches on what the bytes are and
says so when the extension disagrees.
"""

from __future__ import annotations

from typing import Literal, Optional

Kind = Literal["docx", "odt", "zip", "pdf", "ole", "rtf", "json", "jpeg", "png", "tiff", "empty", "unknown"]

# Page images of a scanned plan: read by OCR.
IMAGE_KINDS = ("jpeg", "png", "tiff")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODT_MIME = b"application/vnd.oasis.opendocument.text"

# What each kind is called in a message to a person.
DESCRIPTIONS = {
    "docx": "a Word document (.docx)",
    "odt": "an OpenDocument text file (.odt)",
    "zip": "a zip archive that is not a Word document",
    "pdf": "a PDF",
    "ole": "an old-style Office file (.doc, or a password-protected document)",
    "rtf": "a Rich Text file (.rtf)",
    "json": "a JSON file",
    "jpeg": "a JPEG image",
    "png": "a PNG image",
    "tiff": "a TIFF image",
    "empty": "an empty file",
    "unknown": "not a format msp-convert reads",
}

# Extensions that go with each kind, for "the extension lies" notices.
EXTENSIONS = {
    "docx": {".docx", ".docm", ".dotx"},
    "odt": {".odt"},
    "pdf": {".pdf"},
    "ole": {".doc", ".docx", ".dot"},
    "rtf": {".rtf", ".doc"},
    "json": {".json"},
    "jpeg": {".jpg", ".jpeg", ".jpe"},
    "png": {".png"},
    "tiff": {".tif", ".tiff"},
}


def sniff(data: bytes) -> Kind:
    """The kind of file ``data`` is, from its first bytes and, for zips, its parts."""
    if not data.strip():
        return "empty"
    head = data[:1024]
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if head.lstrip()[:1] in (b"{", b"["):
        return "json"
    return "unknown"


def _zip_kind(data: bytes) -> Kind:
    """OpenDocument or (by default) OOXML, from the first local file header.

    ODF requires its first entry to be "mimetype", stored uncompressed, so
    the bytes tell without opening the archive; whether a zip really holds a
    Word document is for the Word reader to say, with its own message.
    """
    name_length = int.from_bytes(data[26:28], "little")
    extra_length = int.from_bytes(data[28:30], "little")
    if data[30:30 + name_length] == b"mimetype":
        start = 30 + name_length + extra_length
        if data[start:start + len(ODT_MIME)] == ODT_MIME:
            return "odt"
        return "zip"
    return "docx"


def extension_mismatch(kind: Kind, filename: Optional[str]) -> bool:
    """True when the file's name promises a different format from its bytes."""
    if not filename or kind not in EXTENSIONS:
        return False
    dot = filename.rfind(".")
    if dot < 0:
        return False
    return filename[dot:].lower() not in EXTENSIONS[kind]
