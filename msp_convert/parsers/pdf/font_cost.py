"""What making a font costs pdfminer and PDFium, measured before either makes it.

A font dictionary is small; what it points to need not be. One ``bfrange``
of a ToUnicode CMap may span 4 billion codes, so may one range of a CID
font's /W widths or one group of an embedded TrueType font's cmap, and
pdfminer makes a dictionary entry for each: a 1 kB file took the memory of
the machine. A few kB of Flate may inflate to gigabytes, and PDFium and
pdfminer decode every font stream they use whole.

``FontCost`` charges a file's fonts against ``LIMITS`` before they are made:
the decoded bytes of each stream a font points to (measured capped, as the
guard measures content streams: ``decoded.decoded_size``); the bytes given
to pdfminer's PostScript parser (ToUnicode CMaps, Type1 font headers: about
a MB a second); and the entries the maps and widths make, each code once and
once more for each 16 characters it maps to (a ToUnicode's counted by
pdfminer's own parser, stopped past the limit; a TrueType cmap's, the
widths' and PDFium's map read as each reads them). ``pdfium`` charges what
PDFium may load with a page: the guard calls it for the fonts of the page,
of each form drawn, of a Type3 font's glyphs and of the interactive form,
before PDFium loads a page. ``CountedFonts``, pdfminer's resource manager
for both sources, charges each font pdfminer makes, once. Past a limit the
file is refused in one line.
"""

from __future__ import annotations

import io
import re
import struct
from typing import Any, Iterable, Optional

from pdfminer.cmapdb import CMapBase, CMapParser
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import literal_name

from .decoded import decoded_size, stream_data
from .limits import LIMITS, refuse


class FontCost:
    """A file's fonts so far: decoded bytes, bytes given to pdfminer's PostScript parser, and entries made,
    against ``LIMITS``."""

    def __init__(self) -> None:
        self.bytes = self.parsed = self.entries = 0
        self._loaded: set[int] = set()  # fonts and streams charged for PDFium (it keeps them for the document)

    def charge(self, stream: Any) -> bool:
        """Charge ``stream``'s decoded size (measured capped; past the room left, refused); False for no stream."""
        if not isinstance(stream, PDFStream):
            return False
        room = LIMITS.font_bytes_per_file - self.bytes
        self.bytes += decoded_size(stream, room, "its fonts are")
        if self.bytes > LIMITS.font_bytes_per_file:
            raise refuse(f"this PDF's fonts hold more than {LIMITS.font_bytes_per_file // 2**20} MiB once decoded")
        return True

    def decoded(self, stream: Any) -> Optional[bytes]:
        """``stream`` decoded (None if it is none), its size charged first (``charge``)."""
        return stream_data(stream) if self.charge(stream) else None

    def parse(self, stream: Any, most: Optional[int] = None) -> Optional[bytes]:
        """``stream`` decoded (``decoded``) for pdfminer's PostScript parser, which reads ``most`` bytes of it
        (all when None): past ``LIMITS.font_parsed_bytes_per_file`` a file, refused (the parser reads about a
        MB a second)."""
        data = self.decoded(stream)
        self.parsed += 0 if data is None else len(data) if most is None else min(len(data), max(most, 0))
        if self.parsed > LIMITS.font_parsed_bytes_per_file:
            mib = LIMITS.font_parsed_bytes_per_file // 2**20
            raise refuse(f"this PDF's fonts give more than {mib} MiB of character maps and font programs to read")
        return data

    def made(self, entries: int) -> None:
        """``entries`` more made (codes mapped, widths given)."""
        self.entries += entries
        if self.entries > LIMITS.font_entries_per_file:
            raise refuse(f"this PDF's fonts map more than {LIMITS.font_entries_per_file:,} character codes")

    def left(self) -> int:
        """The entries a font may still make."""
        return LIMITS.font_entries_per_file - self.entries

    def pdfium(self, resources: Any, depth: int = 0) -> None:
        """Charge what PDFium and ``pdfium_text`` may read of ``resources``' fonts when a page drawn with them
        is loaded (each font and stream once a file: PDFium keeps them for the document): each stream's bytes,
        a ToUnicode's map as PDFium makes it (``_pdfium_map``), the widths and differences listed, and the
        fonts a Type3 font's glyphs draw with (its own resources)."""
        fonts = resolve1(resources.get("Font")) if isinstance(resources, dict) else None
        for ref in fonts.values() if isinstance(fonts, dict) else ():
            spec = resolve1(ref) if self._first(ref) else None
            if not isinstance(spec, dict):
                continue
            self.made(_listed(spec))
            for stream in filter(self._first, _pdfium_streams(spec)):
                data = self.decoded(resolve1(stream)) if stream is spec.get("ToUnicode") else self.charge(resolve1(stream))
                self.made(_pdfium_map(data) if isinstance(data, bytes) else 0)
            if depth < LIMITS.form_depth:
                self.pdfium(resolve1(spec.get("Resources")), depth + 1)

    def _first(self, ref: Any) -> bool:
        """Whether the object ``ref`` gives is charged here for the first time (one not numbered always is)."""
        objid = ref.objid if isinstance(ref, (PDFObjRef, PDFStream)) else None
        if objid is None:
            return True
        if objid in self._loaded:
            return False
        self._loaded.add(objid)
        return True

    def pdfminer(self, spec: dict) -> None:
        """Charge what pdfminer reads making the font ``spec`` (at its own level: a Type0's descendant is made,
        and charged, as a font of its own)."""
        subtype = literal_name(spec.get("Subtype", "Type1"))
        if subtype == "Type0":
            return
        data = self.parse(resolve1(spec.get("ToUnicode")))
        self.made(0 if data is None else _cmap_codes(data, self.left()))
        descriptor = resolve1(spec.get("FontDescriptor"))
        descriptor = descriptor if isinstance(descriptor, dict) else {}
        if subtype in ("CIDFontType0", "CIDFontType2"):
            self.made(_widths(resolve1(spec.get("W")), 3) + _widths(resolve1(spec.get("W2")), 5))
            font_file = self.decoded(resolve1(descriptor.get("FontFile2")))
            if font_file is not None and "ToUnicode" not in spec:  # pdfminer reads the file's cmap
                self.made(_truetype_codes(font_file, self.left()))
            return
        self.made(_listed(spec))
        if subtype != "Type3" and "Encoding" not in spec:  # a Type1 (or TrueType) font's encoding from its file
            font_file = resolve1(descriptor.get("FontFile"))
            length = resolve1(font_file.get("Length1")) if isinstance(font_file, PDFStream) else None
            self.parse(font_file, length if isinstance(length, int) else None)  # its first /Length1 bytes read


def _listed(spec: dict) -> int:
    """The widths and encoding differences a simple font lists (pdfminer makes an entry of each)."""
    encoding = resolve1(spec.get("Encoding"))
    differences = resolve1(encoding.get("Differences")) if isinstance(encoding, dict) else None
    return sum(len(items) for items in (resolve1(spec.get("Widths")), differences) if isinstance(items, list))


_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_RANGE_TOKEN = re.compile(rb"<([^<>]*)>|\[[^\]]*\]")  # a hex string, or an array (its strings one code each)
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]")


def _pdfium_map(data: bytes) -> int:
    """About the entries PDFium's map of the ToUnicode CMap ``data`` makes (one a code, one more for each 16
    characters it maps to): a bfrange's destination copied for each code of the range (at most 256: PDFium
    keeps a range within its last byte), every other string once."""
    count = len(data) // 8
    for body in _BFRANGE.findall(data):
        parts = [_NOT_HEX.sub(b"", part) for part in _RANGE_TOKEN.findall(body)]
        for low, high, dest in zip(parts[::3], parts[1::3], parts[2::3]):
            codes = 256 if len(low) < 2 or len(high) < 2 else max(0, int(high[-2:], 16) - int(low[-2:], 16) + 1)
            count += codes * (1 + len(dest) // 64)
    return count


def _pdfium_streams(spec: Any) -> list[Any]:
    """The streams PDFium may decode loading the font ``spec`` (references to them, read once a file: some may
    be no stream): its ToUnicode, its (or its descendant's) font file, a Type0's embedded CMap, a Type3's glyph
    procedures."""
    if not isinstance(spec, dict):
        return []
    found = [spec.get("ToUnicode"), spec.get("Encoding")]
    descendants = resolve1(spec.get("DescendantFonts"))
    for font in [spec, *(map(resolve1, descendants[:1]) if isinstance(descendants, list) else ())]:
        descriptor = resolve1(font.get("FontDescriptor")) if isinstance(font, dict) else None
        if isinstance(descriptor, dict):
            found += [descriptor.get(key) for key in ("FontFile", "FontFile2", "FontFile3")]
    procs = resolve1(spec.get("CharProcs"))
    found += list(procs.values()) if isinstance(procs, dict) else []
    return [ref for ref in found if isinstance(ref, (PDFObjRef, PDFStream))]  # a stream is written as an object


class _Past(Exception):
    """More codes than the room left."""


class _Tally(CMapBase):
    """A CMap that only counts the codes pdfminer's parser adds, stopping past ``most``."""

    def __init__(self, most: int) -> None:
        super().__init__()
        self.count, self.most = 0, most

    def add(self, _: Any, code: Any) -> None:
        self.count += 1 + len(code) // 32 if isinstance(code, bytes) else 1  # one more each 16 characters (shown's)
        if self.count > self.most:
            raise _Past

    add_code2cid = add_cid2unichr = add


def _cmap_codes(data: bytes, most: int) -> int:
    """The codes pdfminer's ``CMapParser`` adds reading the CMap ``data`` (up to where it fails), or ``most``
    + 1 when more (counting stops there)."""
    tally = _Tally(most)
    try:
        CMapParser(tally, io.BytesIO(data)).run()
    except _Past:
        pass
    except Exception:  # pdfminer fails here too, having added what was counted
        pass
    return tally.count


def _widths(seq: Any, size: int) -> int:
    """The entries pdfminer's ``get_widths`` (``size`` 3: /W) or ``get_widths2`` (5: /W2) makes of ``seq``: a
    range's each code, an array's each item (a /W2 array's each three)."""
    count, numbers = 0, []
    for value in seq if isinstance(seq, list) else ():
        value = resolve1(value)
        if isinstance(value, list):
            count += (len(value) if size == 3 else len(value) // 3) if numbers else 0
            numbers = []
        elif isinstance(value, (int, float)):
            numbers.append(value)
            if len(numbers) == size:
                first, last = numbers[0], numbers[1]
                count += max(0, last - first + 1) if isinstance(first, int) and isinstance(last, int) else 0
                numbers = []
    return count


def _truetype_codes(data: bytes, most: int) -> int:
    """The codes pdfminer's ``TrueTypeFont.create_unicode_map`` visits in the font file ``data``: each of its
    Unicode cmap subtables' (read as it reads them; a damaged one up to the damage), counting stopped past
    ``most``."""
    count = 0
    try:
        base = _table(data, b"cmap")
        for platform, encoding, offset in _subtables(data, base):
            if platform == 0 or platform == 3 and encoding in (1, 10):
                count += _subtable_codes(data, base + offset)
                if count > most:
                    break
    except (struct.error, KeyError, ValueError):
        pass  # pdfminer fails here too
    return count


def _table(data: bytes, name: bytes) -> int:
    """Where the font file's table ``name`` starts, its directory read as pdfminer reads it: up to where it ends
    (KeyError: none)."""
    (count,) = struct.unpack_from(">H", data, 4)
    tables = {entry[0]: entry[2] for entry in _each(">4sLLL", data, 12, count)}
    return tables[name]


def _each(form: str, data: bytes, at: int, count: int) -> Iterable[tuple[Any, ...]]:
    """``count`` records of ``form`` from ``at``, as far as ``data`` holds them."""
    size = struct.calcsize(form)
    return (struct.unpack_from(form, data, at + size * k) for k in range(min(count, (len(data) - at) // size)))


def _subtables(data: bytes, base: int) -> Iterable[tuple[int, int, int]]:
    (count,) = struct.unpack_from(">H", data, base + 2)
    return [struct.unpack_from(">HHL", data, base + 4 + 8 * k) for k in range(count)]


def _subtable_codes(data: bytes, at: int) -> int:
    """The codes pdfminer visits reading the cmap subtable at ``at`` (ValueError: a format it fails on)."""
    (form,) = struct.unpack_from(">H", data, at)
    if form == 0:
        return 256
    if form == 2:
        keys = struct.unpack_from(">256H", data, at + 6)
        return sum(struct.unpack_from(">HHhH", data, at + 518 + 8 * k)[1] for k in range(max(keys) // 8 + 1))
    if form == 4:
        (segments,) = struct.unpack_from(">H", data, at + 6)
        n = segments // 2
        ends = struct.unpack_from(f">{n}H", data, at + 14)
        starts = struct.unpack_from(f">{n}H", data, at + 16 + 2 * n)
        return sum(max(0, end - start + 1) for end, start in zip(ends, starts))
    if form in (6, 10):
        return int(struct.unpack_from(">H", data, at + 8)[0] if form == 6 else struct.unpack_from(">I", data, at + 16)[0])
    if form == 12:  # each group read as it is used
        (groups,) = struct.unpack_from(">I", data, at + 12)
        return sum(max(0, end - start + 1) for start, end, _ in _each(">III", data, at + 16, groups))
    raise ValueError(form)


class CountedFonts(PDFResourceManager):
    """pdfminer's resource manager, each font charged to ``cost`` before it is made (``FontCost.pdfminer``),
    and made once: by object number as pdfminer caches, a font written in place (a direct dictionary) by the
    dictionary, which pdfminer would make again at each use."""

    def __init__(self, cost: Optional[FontCost] = None) -> None:
        super().__init__(caching=True)
        self.cost = cost or FontCost()
        self._direct: dict[int, tuple[Any, Any]] = {}  # id(spec) -> (spec, its font): the spec held, its id kept

    def get_font(self, objid: object, spec: Any) -> Any:
        if objid and objid in self._cached_fonts:
            return self._cached_fonts[objid]
        held = self._direct.get(id(spec)) if not objid else None
        if held is not None and held[0] is spec:
            return held[1]
        if isinstance(spec, dict):
            self.cost.pdfminer(spec)
        font = super().get_font(objid, spec)
        if not objid and len(self._direct) < LIMITS.fonts_remembered:
            self._direct[id(spec)] = (spec, font)
        return font
