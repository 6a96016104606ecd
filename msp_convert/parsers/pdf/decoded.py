"""A PDF stream's decoded size, measured before pdfminer or PDFium decodes it whole.

pdfminer and PDFium decode a stream whole when they read it; a few kB of
Flate can hold gigabytes. ``decoded_size`` decodes each filter's output only
as far as a cap, so a caller can refuse a stream past its room before either
library is given it: the guard and both sources for content streams, and
``font_cost`` for the streams a font points to.
"""

from __future__ import annotations

import io
import zlib
from typing import Any, Callable

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.lzw import LZWDecoder
from pdfminer.pdftypes import (
    LITERALS_ASCII85_DECODE, LITERALS_ASCIIHEX_DECODE, LITERALS_CCITTFAX_DECODE, LITERALS_DCT_DECODE,
    LITERALS_FLATE_DECODE, LITERALS_JBIG2_DECODE, LITERALS_JPX_DECODE, LITERALS_LZW_DECODE, LITERALS_RUNLENGTH_DECODE,
    PDFStream,
)

from ...errors import CorruptFileError


def decoded_size(stream: PDFStream, room: int, what: str = "its drawing instructions are") -> int:
    """The stream's decoded size, or more than ``room`` (not all of it decoded) if it decodes past ``room``.

    Each filter in turn decodes at most what could still end within ``room``: every one's output is at least
    half its input, so a stage holding more than ``room`` doubled for each stage after it is past already.
    An image's codec on a content stream (pdfminer decodes CCITT fax in pure Python: a minute for 80 bytes)
    is refused as damaged. At a filter not in ``_DECODE`` pdfminer fails, having decoded the stages before
    it: those are measured, capped, as any are (a Flate bomb before ``/Bogus``), and a stream it cannot
    start to decode counts as nothing.
    """
    if stream.data is not None:
        return len(stream.data)
    filters = [f for f, _ in stream.get_filters()]
    if any(f in _IMAGE_CODECS for f in filters):
        raise CorruptFileError(f"this PDF is damaged: {what} encoded as an image; export or save it again")
    if not filters:
        return len(stream_data(stream))
    data = stream.rawdata or b""
    try:
        if stream.decipher:  # an encrypted file (an owner password only, or the one given): as long once decrypted
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        for k, f in enumerate(filters):
            if f not in _DECODE:  # pdfminer fails on it, having decoded the stages before it (measured here)
                return len(data) if k else 0
            cap = (max(room, 0) + 1) << min(len(filters) - 1 - k, 3)
            data = _DECODE[f](data, cap)
            if len(data) > cap:
                return room + 1
    except Exception:  # pdfminer says the page is damaged, or recovers what it can
        return 0
    return len(data)


def _inflate(data: bytes, cap: int, step: int = 4096) -> bytes:
    """Inflate ``data`` to at most ``cap + 1`` bytes; damaged, up to the damage (pdfminer recovers that much)."""
    inflater, out, size = zlib.decompressobj(), [], 0
    for i in range(0, len(data), step):
        try:
            part = inflater.decompress(data[i : i + step], cap + 1 - size)
        except zlib.error:
            return _inflate(data[: i + step], cap, 1) if step > 1 else b"".join(out)
        out.append(part)
        size += len(part)
        if size > cap or inflater.eof:
            break
    return b"".join(out)


def _unlzw(data: bytes, cap: int) -> bytes:
    out, size = [], 0
    for part in LZWDecoder(io.BytesIO(data)).run():
        out.append(part)
        size += len(part)
        if size > cap:
            break
    return b"".join(out)


def _unrun(data: bytes, cap: int) -> bytes:
    """RunLengthDecode, stopped past ``cap``."""
    out, i = bytearray(), 0
    while i < len(data) and data[i] != 128 and len(out) <= cap:
        n = data[i]
        out += data[i + 1 : i + 2 + n] if n < 128 else data[i + 1 : i + 2] * (257 - n)
        i += n + 2 if n < 128 else 2
    return bytes(out)


_IMAGE_CODECS = frozenset(
    (*LITERALS_CCITTFAX_DECODE, *LITERALS_DCT_DECODE, *LITERALS_JBIG2_DECODE, *LITERALS_JPX_DECODE)
)

# each filter a content stream may use, decoding at most a cap (+ 1) bytes (ASCII ones only shrink)
_DECODE: dict[Any, Callable[[bytes, int], bytes]] = {
    **{f: _inflate for f in LITERALS_FLATE_DECODE}, **{f: _unlzw for f in LITERALS_LZW_DECODE},
    **{f: _unrun for f in LITERALS_RUNLENGTH_DECODE},
    **{f: (lambda d, _: asciihexdecode(d)) for f in LITERALS_ASCIIHEX_DECODE},
    **{f: (lambda d, _: ascii85decode(d)) for f in LITERALS_ASCII85_DECODE},
}


def stream_data(stream: PDFStream) -> bytes:
    """The stream decoded (PDFium joins a page's streams with a space); one that does not decode draws nothing."""
    try:
        return stream.get_data() or b""
    except Exception:
        return b""
