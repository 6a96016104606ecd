"""A PDF file written from its objects, for tests that craft one byte by byte (odd names, bombs, moved boxes)."""

from __future__ import annotations

from typing import Sequence


def assemble(objects: Sequence[bytes], version: bytes = b"1.7") -> bytes:
    """The objects numbered 1, 2, ... in order (object 1 the catalog), a cross-reference table and a trailer."""
    out = bytearray(b"%PDF-" + version + b"\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
