"""Open a .docx safely and hand back the parts the parser needs as lxml trees.

Everything that can go wrong with the *container* is decided here, before any
text is read: empty input, bytes that are not a zip, an old Word 97-2003 file
or a password-protected document (both OLE compound files), a zip with no
Word document in it, zip bombs, XML with a DTD or entities, malformed XML.
Each raises an ``InputError`` whose message is one line saying what is wrong
and what to do; no message quotes document text.

Zip-bomb guard: a part's *declared* size is checked before it is inflated
(at most ``MAX_PART_BYTES``, and at most ``MAX_RATIO``:1 over its compressed
size once past ``RATIO_FLOOR_BYTES``), and the same limits are enforced again
while reading in chunks, because declared sizes can lie. The zip's table of
contents is measured before ``zipfile`` reads it (``MAX_DIRECTORY_BYTES``,
then ``MAX_ZIP_MEMBERS`` parts): a file of millions of empty entries would
otherwise cost minutes and gigabytes before any part is opened.

Every way ``zipfile`` can fail (``_ZIP_FAILURES``: damaged or truncated data,
a zip feature Word never uses, an encrypted entry) is one ``InputError``, as
is a package naming the same part twice. A part is named in a message only
when its name is plain (``_shown``): names are bytes from the file.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Optional

from lxml import etree

from ...errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    InputError,
    UnsafeFileError,
    UnsupportedFormatError,
)
from .ns import REL_RELATIONSHIP, W_NS, W_STRICT_NS

MAX_PART_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 192 * 1024 * 1024  # all parts read from one package together
MAX_RATIO = 200
# Past this, a part packed more than MAX_RATIO:1 is a bomb. Below it memory is bounded by the
# part limits anyway, and the Word writer's own document of the largest plan the readers keep
# (reader.MAX_PLAN_JSON_BYTES of text, & written as &amp;) stays below it, so it reads back.
RATIO_FLOOR_BYTES = 32 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000  # a plan's package has tens of parts (a few hundred with many pictures)
MAX_DIRECTORY_BYTES = 1024 * 1024  # the zip's table of contents: about 46 bytes and a name per part
_CHUNK = 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAIN_FALLBACK = "word/document.xml"

_STRICT_W = W_STRICT_NS.encode()
_TRANSITIONAL_W = W_NS.encode()


@dataclass(slots=True)
class Part:
    name: str  # path inside the zip, e.g. "word/header1.xml"
    root: etree._Element

    @property
    def origin(self) -> str:
        """The part's file name, as ``layout`` blocks report it ("header1.xml")."""
        return posixpath.basename(self.name)


@dataclass(slots=True)
class Package:
    document: Part
    styles: Optional[Part] = None
    headers: list[Part] = field(default_factory=list)
    footers: list[Part] = field(default_factory=list)


def open_package(data: bytes) -> Package:
    """The main document, styles, headers and footers of ``data``, parsed."""
    if not data or not data.strip():
        raise EmptyFileError(
            "the file is empty; check that it was saved or copied completely and try again"
        )
    if data[:8] == OLE_MAGIC:
        _reject_ole(data)
    with _open_zip(data) as zf:
        reader = _Reader(zf)
        main_name = reader.main_part_name()
        if main_name is None:
            raise CorruptFileError(
                "the file is a zip archive but not a Word document (it has no main document"
                " part); check that the right file was chosen"
            )
        document = Part(main_name, reader.xml(main_name))
        pkg = Package(document)
        rels = reader.rels_of(main_name)
        styles_name = None
        for rtype, target in rels:
            if rtype == "styles":
                styles_name = styles_name or target
            elif rtype == "header":
                if reader.has(target):
                    pkg.headers.append(Part(target, reader.xml(target)))
            elif rtype == "footer":
                if reader.has(target):
                    pkg.footers.append(Part(target, reader.xml(target)))
        if styles_name is None:
            guess = posixpath.join(posixpath.dirname(main_name), "styles.xml")
            styles_name = guess
        if reader.has(styles_name):
            pkg.styles = Part(styles_name, reader.xml(styles_name))
        return pkg


_NOT_A_ZIP = (
    "the file is not a valid .docx (it is not a zip package, or it is truncated);"
    " open it in Word and save it again as .docx"
)
_END = b"PK\x05\x06"  # the end of central directory record (22 bytes and a comment)
_END64_LOCATOR, _END64 = b"PK\x06\x07", b"PK\x06\x06"  # 20 and 56 bytes, just before it


def _open_zip(data: bytes) -> zipfile.ZipFile:
    """The zip, its table of contents measured first; any failure is one ``InputError``."""
    if _directory_size(data) > MAX_DIRECTORY_BYTES:
        raise _too_many_parts()
    with _zip_failures(None):
        zf = zipfile.ZipFile(io.BytesIO(data))
    if len(zf.filelist) > MAX_ZIP_MEMBERS:
        zf.close()
        raise _too_many_parts()
    return zf


def _directory_size(data: bytes) -> int:
    """The size of the central directory as ``zipfile`` will take it (0 when there is none).

    The end record is found as ``zipfile._EndRecData`` finds it: at the very
    end when the zip has no comment, else the last one in the final 64 KiB;
    a ZIP64 end record just before it says the size instead.
    """
    end = len(data) - 22
    if not (end >= 0 and data.startswith(_END, end) and data.endswith(b"\0\0")):
        end = data.rfind(_END, max(len(data) - 65536 - 22, 0))
        if end < 0 or len(data) - end < 22:
            return 0
    size = int.from_bytes(data[end + 12:end + 16], "little")
    locator = end - 20
    if locator >= 56 and data.startswith(_END64_LOCATOR, locator) and data.startswith(_END64, locator - 56):
        size = int.from_bytes(data[locator - 16:locator - 8], "little")  # dirsize: bytes 40-47 of the record
    return size


# How each way zipfile fails reads to a person: (exceptions, error, what is wrong), the
# first that fits (NotImplementedError is a RuntimeError; zipfile's RuntimeError is a password).
_ZIP_FAILURES: tuple[tuple[tuple[type[BaseException], ...], type[InputError], str], ...] = (
    ((NotImplementedError,), CorruptFileError, "uses a zip feature Word never writes (a newer zip version or another"
     " compression method); open it in Word and save it again as .docx"),
    ((RuntimeError,), EncryptedFileError, "is encrypted with a password; save an unprotected copy in Word and convert that"),
    ((zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, struct.error),
     CorruptFileError, "is damaged (it cannot be unpacked); open it in Word and save it again as .docx"),
)
_ZIP_ERRORS = tuple(t for types, _, _ in _ZIP_FAILURES for t in types)


@contextmanager
def _zip_failures(part: Optional[str]) -> Iterator[None]:
    """Whatever ``zipfile`` raises inside, as the ``InputError`` for it; ``part``: the part being read."""
    try:
        yield
    except InputError:
        raise
    except _ZIP_ERRORS as err:
        if part is None and not isinstance(err, (NotImplementedError, RuntimeError)):
            raise CorruptFileError(_NOT_A_ZIP) from None
        what = "the document's zip package" if part is None else f"the document's part {_shown(part)}"
        kind, problem = next((k, p) for types, k, p in _ZIP_FAILURES if isinstance(err, types))
        raise kind(f"{what} {problem}") from None


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_./\[\]-]{1,120}")


def _shown(name: str) -> str:
    """A part's name as a message may show it: plain names only (names are bytes from the file)."""
    return name if _PLAIN_NAME.fullmatch(name) else "(a part with an unusual name)"


def _too_many_parts() -> UnsafeFileError:
    return UnsafeFileError(
        f"the file is a zip of more than {MAX_ZIP_MEMBERS} parts or a table of contents over"
        f" {MAX_DIRECTORY_BYTES // 2**20} MiB, far more than any Word document; it was not opened:"
        " check where the file came from"
    )


def _reject_ole(data: bytes) -> None:
    """An OLE compound file: password-protected OOXML, or an old binary .doc."""
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except Exception:
        raise CorruptFileError(
            "the file looks like an old-style Office file but is damaged;"
            " open it in Word and save it again as .docx"
        ) from None
    try:
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            raise EncryptedFileError(
                "this document is password-protected; save an unprotected copy in Word"
                " (File > Info > Protect Document, remove the password) and convert that"
            )
        if ole.exists("WordDocument"):
            if _doc97_encrypted(ole):
                raise EncryptedFileError(
                    "this is a password-protected old Word 97-2003 .doc; open it in Word,"
                    " remove the password and save it as .docx, then convert that"
                )
            raise UnsupportedFormatError(
                "this is an old Word 97-2003 .doc file, not a .docx; open it in Word,"
                " save it as Word Document (.docx) and convert that"
            )
        raise UnsupportedFormatError(
            "this is an old-style Office file that is not a Word document;"
            " check that the right file was chosen"
        )
    finally:
        ole.close()


def _doc97_encrypted(ole) -> bool:
    """fEncrypted, bit 8 of the FIB flags at offset 0x0A of the WordDocument stream."""
    try:
        head = ole.openstream("WordDocument").read(12)
    except Exception:
        return False
    return len(head) >= 12 and bool(int.from_bytes(head[10:12], "little") & 0x0100)


class _Reader:
    """Bounded reads of one open zip, with names looked up case-insensitively."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.budget = MAX_TOTAL_BYTES
        self.names: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            key = info.filename.replace("\\", "/").lstrip("/").lower()
            if key in self.names:  # Word refuses this too: which of the two is the part?
                raise CorruptFileError(
                    "the document's zip package holds two parts of the same name, which Word never"
                    " writes (programs would differ on which to read); open it in Word and save it again as .docx"
                )
            self.names[key] = info
        self.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
            collect_ids=False,
        )

    def has(self, name: str) -> bool:
        return name.lower() in self.names

    def main_part_name(self) -> Optional[str]:
        for rtype, target in self._rels("_rels/.rels", ""):
            if rtype == "officeDocument" and self.has(target):
                return target
        return _MAIN_FALLBACK if self.has(_MAIN_FALLBACK) else None

    def rels_of(self, part: str) -> list[tuple[str, str]]:
        folder = posixpath.dirname(part)
        rels = posixpath.join(folder, "_rels", posixpath.basename(part) + ".rels")
        return self._rels(rels, folder)

    def _rels(self, rels_name: str, base: str) -> list[tuple[str, str]]:
        """(type's last segment, target part name) of each internal relationship."""
        if not self.has(rels_name):
            return []
        out = []
        for rel in self.xml(rels_name).iter(REL_RELATIONSHIP):
            if rel.get("TargetMode", "Internal") == "External":
                continue
            rtype = rel.get("Type", "").rstrip("/").rsplit("/", 1)[-1]
            target = rel.get("Target", "").replace("\\", "/")
            if not target:
                continue
            if target.startswith("/"):
                target = target.lstrip("/")
            else:
                target = posixpath.join(base, target)
            target = posixpath.normpath(target)
            if target.startswith("../") or target == "..":
                continue
            out.append((rtype, target))
        return out

    def read(self, name: str) -> bytes:
        info = self.names[name.lower()]
        size, packed = info.file_size, max(info.compress_size, 1)
        if size > MAX_PART_BYTES or size > self.budget:
            raise _too_big()
        if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * packed:
            raise _too_dense()
        if info.flag_bits & 0x1:
            raise EncryptedFileError(
                "the document's zip package is encrypted with a password;"
                " save an unprotected copy in Word and convert that"
            )
        chunks = []
        total = 0
        with _zip_failures(info.filename), self.zf.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > MAX_PART_BYTES or total > self.budget:
                    raise _too_big()
                if total > RATIO_FLOOR_BYTES and total > MAX_RATIO * packed:
                    raise _too_dense()
                chunks.append(chunk)
        self.budget -= total
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def xml(self, name: str) -> etree._Element:
        data = self.read(name)
        if _declares_dtd(data):
            raise UnsafeFileError(
                f"the document's part {_shown(name)} declares a DTD or entities, which Word never"
                " writes (a possible entity-expansion attack); it was not read"
            )
        if _STRICT_W in data:  # ISO strict OOXML: same vocabulary, other namespace
            data = data.replace(_STRICT_W, _TRANSITIONAL_W)
        try:
            root = etree.fromstring(data, self.parser)
        except etree.XMLSyntaxError as err:
            if "depth" in str(err).lower():
                raise UnsafeFileError(
                    f"the document's part {_shown(name)} nests elements deeper than Word ever does;"
                    " it was not read: check where the file came from"
                ) from None
            root = None
        if root is None:
            raise CorruptFileError(
                f"the document is damaged: its part {_shown(name)} is not well-formed XML;"
                " open it in Word (which can repair it) and save it again"
            )
        if root.getroottree().docinfo.doctype:
            raise UnsafeFileError(
                f"the document's part {_shown(name)} declares a DTD, which Word never writes;"
                " it was not read"
            )
        return root


def _declares_dtd(data: bytes) -> bool:
    """True when the XML prolog holds a DOCTYPE (the only place a DTD or entity can be).

    Only the prolog is scanned: everything before the root element's start tag,
    skipping the XML declaration, processing instructions and comments. Any
    other ``<!`` there is a document type declaration.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        text = _utf16(data)
        return text is not None and _prolog_has_dtd(text, "<", "<?", "?>", "<!--", "-->", "<!")
    return _prolog_has_dtd(data, b"<", b"<?", b"?>", b"<!--", b"-->", b"<!")


def _prolog_has_dtd(s, lt, pi, pi_end, com, com_end, decl) -> bool:
    pos = 0
    while True:
        pos = s.find(lt, pos)
        if pos < 0:
            return False
        if s.startswith(pi, pos):
            pos = s.find(pi_end, pos)
        elif s.startswith(com, pos):
            pos = s.find(com_end, pos)
        elif s.startswith(decl, pos):
            return True
        else:
            return False  # the root element: the prolog is over
        if pos < 0:
            return False


def _utf16(data: bytes):
    for enc in ("utf-16", "utf-16-le", "utf-16-be"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def _too_big() -> UnsafeFileError:
    return UnsafeFileError(
        f"the document unpacks to more than {MAX_PART_BYTES // 2**20} MiB in one part"
        f" or {MAX_TOTAL_BYTES // 2**20} MiB in all (a possible zip bomb);"
        " it was not opened: check where the file came from"
    )


def _too_dense() -> UnsafeFileError:
    return UnsafeFileError(
        f"the document contains a part compressed more than {MAX_RATIO}:1"
        " (a possible zip bomb); it was not opened: check where the file came from"
    )
