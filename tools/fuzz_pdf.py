"""PDF mutants: edits of objects (numbers, names, references, page counts), of content-stream operators, of the
cross-reference table, truncation and raw bytes.

The fixtures' PDFs have classic xref tables and Flate-compressed streams. A
content stream is inflated, its tokens edited (numbers at the edges, operators
swapped, deleted or repeated thousands of times, text strings replaced by odd
bytes), deflated again, and its ``/Length`` written directly. Afterwards the
xref table is usually rebuilt so the reader gets past it and meets the edit;
sometimes it is left stale, so the reader's repair path runs too.
"""

from __future__ import annotations

import random
import re
import zlib

from fuzz_mutate import CANARY, MAX_ADDED_BYTES, raw_op

_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_STREAM = re.compile(rb"stream\r?\n")
_NUMBER = re.compile(rb"(?<![\w.\-+])[-+]?(?:\d+\.?\d*|\.\d+)(?![\w.])")
_NAME = re.compile(rb"/[A-Za-z][A-Za-z0-9]*")
_REF = re.compile(rb"\b(\d+) (\d+) R\b")
_OPERATOR = re.compile(rb"(?<![\w/])(?:re|m|l|c|v|y|h|f\*?|F|S|s|B\*?|b\*?|n|W\*?|BT|ET|Tf|Tj|TJ|Td|TD|Tm|T\*|Tz|TL|Tc|Tw|Ts|Tr|cm|q|Q|Do|gs|w|J|j|d|rg|RG|g|G|k|K|cs|CS|sc|scn|SC|SCN|BDC|BMC|EMC)(?![\w*])")
_STRING = re.compile(rb"\((?:[^()\\]|\\.){0,200}\)")
_DICT_STRING = re.compile(rb"\((?:[^()\\]|\\.){0,200}\)|<[0-9A-Fa-f\s]{2,400}>(?!>)")
_CMAP_DEST = re.compile(rb"<([0-9A-Fa-f]{4,})>\s*(?=\n|\r|<|\])")
# Strings in dictionaries (form values, field names, titles): the canary, UTF-16 with a lone surrogate or NUL, huge.
ODD_STRINGS = [b"(" + CANARY.encode() + b"\\000\\377)", b"<FEFFD800>", b"<FEFF0000" + CANARY.encode().hex().encode() + b">",
               b"<FEFF>", b"()", b"(" + b"x" * 70000 + b")", b"<" + b"0" * 3 + b">", b"(\\)"]
# ToUnicode destinations: surrogates, NUL, controls, noncharacters, very long.
CMAP_DESTS = [b"<D800>", b"<DFFF>", b"<0000>", b"<001B>", b"<FFFF>", b"<FFFE>", b"<D83DDE00>", b"<" + b"0041" * 5000 + b">", b"<>", b"<0>"]

NUMBERS = [b"0", b"-0", b"-1", b"99999999999", b"-99999999999", b"3.4e38", b"1e308", b"nan", b".", b"-.", b"--1", b"1.2.3",
           b"340282366920938463463374607431768211456", b"0.000000001", b"2147483648", b"65535", b"-2147483649"]
NAMES = [b"/Page", b"/Pages", b"/Catalog", b"/Font", b"/XObject", b"/Kids", b"/Parent", b"/Count", b"/Annots", b"/Widget",
         b"/Btn", b"/Tx", b"/FlateDecode", b"/DCTDecode", b"/LZWDecode", b"/Identity-H", b"/Type0", b"/" + b"N" * 300, b"/"]
OPERATORS = [b"re", b"m", b"l", b"c", b"h", b"f", b"S", b"n", b"W", b"BT", b"ET", b"Tf", b"Tj", b"TJ", b"Td", b"Tm", b"cm",
             b"q", b"Q", b"Do", b"gs", b"w", b"BI", b"ID", b"EI", b"'", b'"', b"d0", b"d1", b"sh", b"BX", b"EX"]


def _objects(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each "N G obj ... endobj"."""
    spans = []
    for m in _OBJ.finditer(data):
        end = data.find(b"endobj", m.end())
        if end > 0:
            spans.append((m.start(), end + len(b"endobj")))
    return spans


def _streams(data: bytes) -> list[tuple[int, int, int, int]]:
    """(dict start, data start, data end, object end) of each Flate stream that inflates."""
    out = []
    for start, end in _objects(data):
        body = data[start:end]
        s = _STREAM.search(body)
        e = body.rfind(b"endstream")
        if s and e > s.end() and b"FlateDecode" in body[: s.start()]:
            out.append((start, start + s.end(), start + e, end))
    return out


def _inflate(raw: bytes) -> "bytes | None":
    try:
        return zlib.decompressobj().decompress(raw, 20 * 1024 * 1024)
    except zlib.error:
        return None


def _edit_tokens(rng: random.Random, ops: bytes) -> tuple[bytes, str]:
    """One edit of a content stream's operators and operands."""
    kind = rng.choice(["number", "number", "operator", "delete", "repeat", "repeat", "string", "deep", "inline-image"])
    pattern = {"number": _NUMBER, "operator": _OPERATOR, "delete": _OPERATOR, "string": _STRING}.get(kind, _OPERATOR)
    matches = list(pattern.finditer(ops))
    if not matches and kind not in ("deep", "inline-image"):
        return ops, f"content {kind} (none)"
    m = rng.choice(matches) if matches else None
    if kind == "number":
        return ops[: m.start()] + rng.choice(NUMBERS) + ops[m.end():], "content number"
    if kind == "operator":
        new = rng.choice(OPERATORS)
        return ops[: m.start()] + new + ops[m.end():], f"content operator to {new.decode()}"
    if kind == "delete":
        return ops[: m.start()] + ops[m.end():], "content delete operator"
    if kind == "repeat":  # the operator with its operands, the line it ends, many times
        line_start = max(ops.rfind(b"\n", 0, m.start()) + 1, m.start() - 80)
        line = ops[line_start: m.end()] + b"\n"
        times = rng.choice([10, 1000, 20000])
        return ops[: m.end()] + b"\n" + line * times + ops[m.end():], f"content repeat {m.group().decode()} x{times}"
    if kind == "string":
        odd = rng.choice([b"\\000\\377\\376", b"\xff\xfe\x00", b"\xed\xa0\x80", b"\\(", b"\\", b"x" * 20000])
        return ops[: m.start()] + b"(" + CANARY.encode() + odd + b")" + ops[m.end():], "content string"
    at = rng.randrange(len(ops) + 1)
    if kind == "deep":
        depth = rng.choice([50, 5000, 100000])
        blob = rng.choice([b"q " * depth, b"[" * depth, b"<<" * depth, b"BT " * depth, b"BMC " * depth])
        return ops[:at] + blob + ops[at:], f"content deep x{depth}"
    blob = b"BI /W 99999 /H 99999 /BPC 8 /CS /RGB ID " + bytes(range(256)) + b" EI "
    return ops[:at] + blob + ops[at:], "content inline-image"


def op_content(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Inflate one stream, edit its tokens, deflate it again with a direct /Length."""
    streams = _streams(data)
    if not streams:
        return data, "content (no streams)"
    start, d0, d1, end = rng.choice(streams)
    plain = _inflate(data[d0:d1].rstrip(b"\r\n"))
    if plain is None:
        return data, "content (does not inflate)"
    for _ in range(rng.choice([1, 1, 2, 4])):
        plain, what = _edit_tokens(rng, plain)
    packed = zlib.compress(plain, 6)
    head = data[start:d0]
    head = re.sub(rb"/Length\s+\d+(?:\s+\d+\s+R)?", b"/Length " + str(len(packed)).encode(), head, count=1)
    return data[:start] + head + packed + b"\nendstream\nendobj" + data[end:], what


def op_object(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Change a number, a name or a reference in one object's dictionary (not its stream)."""
    spans = _objects(data)
    if not spans:
        return data, "object (none)"
    start, end = rng.choice(spans)
    s = _STREAM.search(data, start, end)
    stop = s.start() if s else end
    body = data[start:stop]
    head = _OBJ.match(body)
    pick = rng.choice([(_NUMBER, "number"), (_NAME, "name"), (_REF, "reference"), (_DICT_STRING, "string")])
    matches = [m for m in pick[0].finditer(body) if m.start() >= head.end()]
    if not matches:
        return data, f"object {pick[1]} (none)"
    m = rng.choice(matches)
    if pick[1] == "number":
        new = rng.choice(NUMBERS)
    elif pick[1] == "name":
        new = rng.choice(NAMES)
    elif pick[1] == "string":
        new = rng.choice(ODD_STRINGS)
    else:
        new = rng.choice([b"999999 0 R", b"0 0 R", head.group(1) + b" 0 R", b"1 65535 R", b"-1 0 R", b"2147483648 0 R"])
    return data[: start + m.start()] + new + data[start + m.end():], f"object {pick[1]}"


def op_pages(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Page-tree counts: /Count at the edges, /Kids repeated (the same page many times), /MediaBox and /Rotate odd."""
    kind = rng.choice(["count", "kids", "mediabox", "rotate"])
    if kind == "count":
        new, n = re.subn(rb"/Count\s+-?\d+", b"/Count " + rng.choice([b"0", b"-1", b"2147483647", b"99999999999999999999"]), data, count=1)
        return new, "pages count"
    if kind == "kids":
        m = re.search(rb"/Kids\s*\[([^\]]*)\]", data)
        if not m:
            return data, "pages kids (none)"
        times = rng.choice([2, 40, 3000])
        times = max(1, min(times, MAX_ADDED_BYTES // max(1, len(m.group(1)))))  # many pages, not a huge file
        return data[: m.start(1)] + m.group(1) * times + data[m.end(1):], f"pages kids x{times}"
    if kind == "mediabox":
        box = rng.choice([b"[0 0 0 0]", b"[0 0 1e308 1e308]", b"[0 0 -595 -842]", b"[595 842 0 0]", b"[0 0 14400 14400]", b"[]", b"[0 0 nan 1]"])
        return re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox" + box, data, count=rng.choice([1, 0])), "pages mediabox"
    rotate = rng.choice([b"90", b"45", b"-90", b"180", b"99999999999"])
    return re.sub(rb"/Type\s*/Page\b", b"/Type/Page/Rotate " + rotate, data, count=1), "pages rotate"


def op_xref(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Break the cross-reference table: an entry's offset, startxref, /Size, or the table removed."""
    kind = rng.choice(["entry", "startxref", "size", "remove"])
    if kind == "entry":
        entries = list(re.finditer(rb"(\d{10}) (\d{5}) ([nf])", data))
        if not entries:
            return data, "xref entry (none)"
        m = rng.choice(entries)
        new = rng.choice([b"0000000000", b"9999999999", b"%010d" % rng.randrange(len(data))])
        return data[: m.start(1)] + new + data[m.end(1):], "xref entry offset"
    if kind == "startxref":
        return re.sub(rb"startxref\s+\d+", b"startxref\n" + rng.choice([b"0", b"99999999999", b"-1", b"1"]), data), "xref startxref"
    if kind == "size":
        return re.sub(rb"/Size\s+\d+", b"/Size " + rng.choice([b"0", b"1", b"2147483647", b"-5"]), data), "xref size"
    at = data.rfind(b"xref")
    end = data.find(b"trailer", at)
    return (data[:at] + data[end:] if at >= 0 and end > at else data), "xref removed"


def rebuild_xref(data: bytes) -> bytes:
    """A classic xref table pointing at each "N 0 obj" where it now is (the last of a number wins)."""
    at = data.rfind(b"\nxref")
    trailer = data.find(b"trailer", at)
    if at < 0 or trailer < 0:
        return data
    offsets: dict[int, int] = {}
    for m in _OBJ.finditer(data, 0, at):
        offsets[int(m.group(1))] = m.start()
    size = max(offsets, default=0) + 1
    rows = [b"0000000000 65535 f \n"] + [(b"%010d 00000 n \n" % offsets[i]) if i in offsets else b"0000000000 65535 f \n" for i in range(1, size)]
    table = b"\nxref\n0 %d\n" % size + b"".join(rows)
    tail = re.sub(rb"startxref\s+\d+", b"startxref\n%d" % (at + 1), data[trailer:], count=1)
    return data[:at] + table + tail


def op_cmap(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Map glyphs of a font's ToUnicode CMap to surrogates, controls, noncharacters or very long text."""
    streams = [st for st in _streams(data) if b"begincmap" in (_inflate(data[st[1]:st[2]].rstrip(b"\r\n")) or b"")]
    if not streams:
        return data, "cmap (none)"
    start, d0, d1, end = rng.choice(streams)
    plain = _inflate(data[d0:d1].rstrip(b"\r\n")) or b""
    dests = list(_CMAP_DEST.finditer(plain))
    chosen = sorted(rng.sample(dests, min(len(dests), rng.choice([1, 5, 50]))), key=lambda m: m.start(), reverse=True)
    for m in chosen:
        plain = plain[: m.start()] + rng.choice(CMAP_DESTS) + plain[m.end():]
    packed = zlib.compress(plain, 6)
    head = re.sub(rb"/Length\s+\d+(?:\s+\d+\s+R)?", b"/Length " + str(len(packed)).encode(), data[start:d0], count=1)
    return data[:start] + head + packed + b"\nendstream\nendobj" + data[end:], f"cmap x{len(chosen)}"


OBJECT_OPS = [op_content] * 5 + [op_object] * 3 + [op_pages] * 2 + [op_xref] + [op_cmap] * 2


def mutate_pdf(rng: random.Random, data: bytes) -> tuple[bytes, list[str]]:
    """1-3 object, content or xref edits (the xref rebuilt after most), or raw bytes, or truncation."""
    if rng.random() < 0.15:
        out, what = raw_op(rng, data)
        return out, [what]
    ops = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        op = rng.choice(OBJECT_OPS)
        data, what = op(rng, data)
        ops.append(what)
    if op is not op_xref and rng.random() < 0.8:
        data = rebuild_xref(data)
    else:
        ops.append("xref stale")
    return data, ops
