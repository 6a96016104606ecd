"""The Word (.docx) reader: bytes -> ``layout.Document``.

``parse_docx(data)`` opens the package safely (``package``), resolves styles
(``styles``) and walks the body, headers and footers (``body``). Bad input
raises an ``InputError`` subclass; what the layout cannot show goes into the
``Result``'s messages.
"""

from __future__ import annotations


from ...errors import CorruptFileError
from ...layout import Document
from ...results import Message, Result, dedupe
from .body import PartWalker
from .ns import W_BODY
from .package import open_package
from .styles import Styles

__all__ = ["parse_docx"]


def parse_docx(data: bytes) -> Result[Document]:
    """Read a .docx file's bytes into the neutral layout.

    Raises ``EmptyFileError``, ``CorruptFileError``, ``EncryptedFileError``,
    ``UnsafeFileError`` or ``UnsupportedFormatError`` for input that cannot be
    read as a Word document.
    """
    if not isinstance(data, bytes):
        data = bytes(data)  # bytearray, memoryview
    return _parse(data)


def _parse(data: bytes) -> Result[Document]:
    pkg = open_package(data)
    root = pkg.document.root
    body = None
    for child in root:
        if child.tag == W_BODY:
            body = child
            break
    if body is None:
        raise CorruptFileError(
            "the file is not a Word document (its main part has no document body);"
            " check that the right file was chosen"
        )
    messages: list[Message] = []
    walker = PartWalker(Styles(pkg.styles.root if pkg.styles else None), messages)
    doc = Document(body=walker.part(body, pkg.document.origin))
    for part in pkg.headers:
        doc.headers.extend(walker.part(part.root, part.origin))
    for part in pkg.footers:
        doc.footers.extend(walker.part(part.root, part.origin))
    return Result(doc, dedupe(messages))
