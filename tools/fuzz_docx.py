"""Word mutants: edits inside the zip (XML attributes, text, elements, whole parts), zip header fields, raw bytes.

Each operator takes the seeded generator and returns what it did, naming
parts, tags and our own values only. The XML edits work on the parts as the
fixture has them: attribute values and text by regular expression on the
bytes (so values XML forbids, such as ``&#xD800;`` or a raw control byte, can
be written), elements through lxml (deleted, duplicated many times, nested
in themselves, moved, renamed). The package is zipped again with fixed
timestamps; the zip-header operators then change fields of the local headers,
the central directory or its end record.
"""

from __future__ import annotations

import io
import random
import re
import struct
import warnings
import zipfile
from copy import deepcopy

from lxml import etree

from fuzz_mutate import BOUNDARY_HEX, BOUNDARY_NUMBERS, MAX_ADDED_BYTES, odd_string, raw_op

# Parts most worth mutating, most likely first; others are picked now and then.
PARTS = ["word/document.xml"] * 6 + ["word/styles.xml", "[Content_Types].xml", "word/_rels/document.xml.rels", "word/numbering.xml", "word/settings.xml"]
# Elements a reader of the plan template acts on.
TAGS = [
    "tbl", "tr", "tc", "tcPr", "gridSpan", "vMerge", "gridCol", "tblGrid", "p", "r", "t", "sym", "strike", "dstrike", "rStyle",
    "pStyle", "basedOn", "style", "checkBox", "checked", "default", "fldChar", "instrText", "fldSimple", "sdt", "sdtContent",
    "ins", "del", "delText", "hyperlink", "tab", "br", "rFonts", "numPr", "ilvl", "numId", "txbxContent", "hMerge",
]
_ATTR = re.compile(rb'(\s)([A-Za-z0-9]+:)?([A-Za-z0-9]+)="([^"]*)"')
_TEXT = re.compile(rb"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _attr_value(rng: random.Random, name: bytes, valid: bool) -> bytes:
    """A value for one attribute: hex for code points, paths for targets, boundary numbers, odd text.

    ``valid``: only what well-formed XML allows (most mutants), so the edit reaches the reader behind the parser.
    """
    if name in (b"char",):
        return rng.choice(BOUNDARY_HEX).encode()
    if name in (b"Target", b"PartName"):
        return rng.choice([b"", b"/", b"../../../etc/passwd", b"word/document.xml", b"/word/document.xml", b"http://example.invalid/x", b"document.xml#x", b"%00", b"a" * 5000])
    pick = rng.random()
    if pick < 0.6:
        return rng.choice(BOUNDARY_NUMBERS).encode()
    if pick < 0.8:
        return rng.choice([b"true", b"false", b"on", b"off", b"1", b"0", b"&amp;", b"&#x2612;"] + ([] if valid else [b"&#xD800;", b"&#0;", b"\x01", b"\xff"]))
    return _xml_text(odd_string(rng), valid)


def _xml_text(text: str, valid: bool) -> bytes:
    """Text as it could sit in XML bytes, escaped; code points XML forbids left out when ``valid``, else written
    as character references (which the parser must refuse)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "<&\"":
            out.append({"<": "&lt;", "&": "&amp;", '"': "&quot;"}[ch])
        elif code < 0x20 and ch not in "\t\r\n" or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            out.append("" if valid else f"&#x{code:X};")
        else:
            out.append(ch)
    return "".join(out).encode("utf-8")


def _pick(rng: random.Random, matches: list) -> "re.Match | None":
    return rng.choice(matches) if matches else None


# (element, attribute) pairs a reader of the template decides on: aimed at more often than the rest.
TARGETS = [
    (b"sym", b"char"), (b"sym", b"font"), (b"gridSpan", b"val"), (b"vMerge", b"val"), (b"gridCol", b"w"), (b"tcW", b"w"),
    (b"numId", b"val"), (b"ilvl", b"val"), (b"strike", b"val"), (b"dstrike", b"val"), (b"b", b"val"), (b"sz", b"val"),
    (b"checked", b"val"), (b"default", b"val"), (b"rStyle", b"val"), (b"pStyle", b"val"), (b"basedOn", b"val"),
    (b"rFonts", b"ascii"), (b"rFonts", b"hAnsi"), (b"style", b"styleId"), (b"Relationship", b"Target"), (b"tblW", b"w"),
]


def _element_of(xml: bytes, at: int) -> bytes:
    """The local name of the element whose start tag holds position ``at``."""
    lt = xml.rfind(b"<", 0, at)
    name = re.match(rb"<([A-Za-z0-9:]+)", xml[lt: lt + 64])
    return name.group(1).rsplit(b":", 1)[-1] if name else b""


def op_attr(rng: random.Random, name: str, xml: bytes) -> tuple[bytes, str]:
    """Set one attribute's value (boundary number, hex code point, path, odd text) or remove it."""
    matches = list(_ATTR.finditer(xml))
    tag, attr = rng.choice(TARGETS)
    wanted = [m for m in matches if m.group(3) == attr and _element_of(xml, m.start()) == tag]
    m = _pick(rng, wanted if wanted and rng.random() < 0.8 else matches)
    if m is None:
        return xml, f"xml-attr {name} (none)"
    label = f"{_element_of(xml, m.start()).decode()}@{(m.group(2) or b'').decode()}{m.group(3).decode()}"
    if rng.random() < 0.1:
        return xml[: m.start()] + xml[m.end():], f"xml-attr-remove {name} {label}"
    new = m.group(1) + (m.group(2) or b"") + m.group(3) + b'="' + _attr_value(rng, m.group(3), rng.random() < 0.9) + b'"'
    return xml[: m.start()] + new + xml[m.end():], f"xml-attr {name} {label}"


def op_text(rng: random.Random, name: str, xml: bytes) -> tuple[bytes, str]:
    """Replace the text of one or several w:t runs with odd or plan-like text."""
    matches = list(_TEXT.finditer(xml))
    if not matches:
        return xml, f"xml-text {name} (none)"
    chosen = sorted(rng.sample(matches, min(len(matches), rng.choice([1, 1, 3, 20]))), key=lambda m: m.start(), reverse=True)
    valid = rng.random() < 0.9
    for m in chosen:
        xml = xml[: m.start(2)] + _xml_text(odd_string(rng), valid) + xml[m.end(2):]
    return xml, f"xml-text {name} x{len(chosen)}"


def _elements(rng: random.Random, root: etree._Element) -> list:
    every = [e for e in root.iter() if isinstance(e.tag, str) and e is not root]
    local = rng.choice(TAGS)
    wanted = [e for e in every if etree.QName(e).localname == local]
    return wanted if wanted and rng.random() < 0.75 else every


def _delete(rng: random.Random, root: etree._Element, el: etree._Element, parent: etree._Element) -> str:
    parent.remove(el)
    return ""


def _duplicate(rng: random.Random, root: etree._Element, el: etree._Element, parent: etree._Element) -> str:
    times = rng.choice([1, 2, 30, 1000, 5000])
    times = min(times, max(1, MAX_ADDED_BYTES // len(etree.tostring(el))))  # huge counts of small things only
    for _ in range(times):
        el.addnext(deepcopy(el))
    return f" x{times}"


def _nest_in_itself(rng: random.Random, root: etree._Element, el: etree._Element, parent: etree._Element) -> str:
    depth = rng.choice([1, 3, 40, 120, 300])
    _nest(el, parent, depth)
    return f" x{depth}"


def _move(rng: random.Random, root: etree._Element, el: etree._Element, parent: etree._Element) -> str:
    target = rng.choice([e for e in root.iter() if isinstance(e.tag, str)])
    if not _inside(target, el):
        target.append(el)
    return ""


def _rename(rng: random.Random, root: etree._Element, el: etree._Element, parent: etree._Element) -> str:
    new = rng.choice(TAGS)
    el.tag = etree.QName(etree.QName(el).namespace, new).text if etree.QName(el).namespace else new
    return f" to {new}"


def _empty(rng: random.Random, root: etree._Element, el: etree._Element, parent: etree._Element) -> str:
    for child in list(el):
        el.remove(child)
    el.text = None
    return ""


ELEMENT_EDITS = {"delete": _delete, "duplicate": _duplicate, "nest": _nest_in_itself, "move": _move, "rename": _rename, "empty": _empty}


def op_element(rng: random.Random, name: str, xml: bytes) -> tuple[bytes, str]:
    """Delete, duplicate (up to thousands of times), nest in itself, move, rename or empty one element."""
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError:
        return xml, f"xml-element {name} (part does not parse)"
    els = _elements(rng, root)
    if not els:
        return xml, f"xml-element {name} (none)"
    el = rng.choice(els)
    kind = rng.choice(list(ELEMENT_EDITS))
    what = kind + ELEMENT_EDITS[kind](rng, root, el, el.getparent())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), f"xml-element {name} {etree.QName(el).localname} {what}"


def _nest(el: etree._Element, parent: etree._Element, depth: int) -> None:
    """Put ``el`` inside ``depth`` empty copies of itself, where it was."""
    pos = parent.index(el)
    parent.remove(el)
    holder = parent
    for level in range(depth):
        wrapper = etree.SubElement(holder, el.tag, attrib=dict(el.attrib))
        if level == 0:
            parent.insert(pos, wrapper)
        holder = wrapper
    holder.append(el)


def _inside(target: etree._Element, el: etree._Element) -> bool:
    return any(a is el for a in target.iterancestors()) or target is el


def op_truncate_part(rng: random.Random, name: str, xml: bytes) -> tuple[bytes, str]:
    """Cut the part short: mid-tag, mid-character, or empty."""
    cut = rng.choice([0, 1, rng.randrange(max(1, len(xml))), len(xml) // 2, len(xml) - 2])
    return xml[: max(0, cut)], f"truncate-part {name}"


XML_OPS = [op_attr] * 5 + [op_text] * 3 + [op_element] * 4 + [op_truncate_part]


def _rezip(parts: list[tuple[str, bytes]], method: int) -> bytes:
    buf = io.BytesIO()
    warnings.filterwarnings("ignore", "Duplicate name", UserWarning)  # a duplicated part name is one of the mutations
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(2019, 3, 12, 0, 0, 0))
            info.compress_type = method
            zf.writestr(info, data)
    return buf.getvalue()


def _package_ops(rng: random.Random, parts: list[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], str]:
    """Whole-part edits: drop one, duplicate its name, add a huge or odd-named part."""
    kind = rng.choice(["drop", "dup-name", "odd-name", "big-part"])
    i = rng.randrange(len(parts))
    name = parts[i][0]
    if kind == "drop":
        return parts[:i] + parts[i + 1:], f"zip-drop-part {name}"
    if kind == "dup-name":
        return parts + [(name, parts[rng.randrange(len(parts))][1])], f"zip-duplicate-name {name}"
    if kind == "odd-name":
        odd = rng.choice(["../evil.xml", "/abs.xml", "word/\u202edocument.xml", "word/" + "d" * 300 + ".xml", "word\\document.xml", "word/document.xml/"])
        return parts + [(odd, b"<x/>")], "zip-odd-name"
    return parts + [("word/media/big.bin", b"\x00" * rng.choice([10**6, 30 * 10**6]))], "zip-big-part"


# Header fields: (signature, offset, struct format, label). Values at the edges of each field's width.
_FIELDS = [
    (b"PK\x03\x04", 4, "<H", "local version-needed"), (b"PK\x03\x04", 6, "<H", "local flags"),
    (b"PK\x03\x04", 8, "<H", "local method"), (b"PK\x03\x04", 14, "<I", "local crc"),
    (b"PK\x03\x04", 18, "<I", "local compressed-size"), (b"PK\x03\x04", 22, "<I", "local size"),
    (b"PK\x03\x04", 26, "<H", "local name-length"), (b"PK\x03\x04", 28, "<H", "local extra-length"),
    (b"PK\x01\x02", 4, "<H", "central version-made"), (b"PK\x01\x02", 6, "<H", "central version-needed"),
    (b"PK\x01\x02", 8, "<H", "central flags"), (b"PK\x01\x02", 10, "<H", "central method"),
    (b"PK\x01\x02", 20, "<I", "central compressed-size"), (b"PK\x01\x02", 24, "<I", "central size"),
    (b"PK\x01\x02", 28, "<H", "central name-length"), (b"PK\x01\x02", 30, "<H", "central extra-length"),
    (b"PK\x01\x02", 42, "<I", "central local-offset"), (b"PK\x05\x06", 10, "<H", "end entries"),
    (b"PK\x05\x06", 12, "<I", "end directory-size"), (b"PK\x05\x06", 16, "<I", "end directory-offset"),
    (b"PK\x05\x06", 20, "<H", "end comment-length"),
]
_HEADER_VALUES = {"<H": [0, 1, 2, 10, 20, 45, 51, 63, 99, 0x0001, 0x0008, 0x0800, 0x0041, 12, 14, 93, 99, 0x7FFF, 0xFFFF],
                  "<I": [0, 1, 0x7FFFFFFF, 0xFFFFFFFF, 0xFFFFFFFE, 1 << 30]}


def op_zip_header(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Set one field of one zip header record to a value at the edge of its width."""
    sig, offset, fmt, label = rng.choice(_FIELDS)
    places = [m.start() for m in re.finditer(re.escape(sig), data)]
    if not places:
        return data, f"zip-header {label} (none)"
    at = rng.choice(places) + offset
    if at + struct.calcsize(fmt) > len(data):
        return data, f"zip-header {label} (past end)"
    value = rng.choice(_HEADER_VALUES[fmt])
    out = bytearray(data)
    struct.pack_into(fmt, out, at, value)
    return bytes(out), f"zip-header {label}={value}"


def _xml_edits(rng: random.Random, parts: list[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], list[str]]:
    names = [n for n, _ in parts]
    ops = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        wanted = rng.choice(PARTS)
        name = wanted if wanted in names else rng.choice([n for n in names if n.endswith((".xml", ".rels"))] or names)
        i = names.index(name)
        xml, what = rng.choice(XML_OPS)(rng, name, parts[i][1])
        parts[i] = (name, xml)
        ops.append(what)
    return parts, ops


def mutate_docx(rng: random.Random, data: bytes) -> tuple[bytes, list[str]]:
    """XML edits inside the package (most mutants), whole-part edits, header fields, raw bytes."""
    kind = rng.random()
    if kind < 0.12:
        out, what = raw_op(rng, data)
        return out, [what]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = [(i.filename, zf.read(i)) for i in zf.infolist()]
    ops: list[str] = []
    if kind < 0.85:
        parts, ops = _xml_edits(rng, parts)
    else:
        parts, what = _package_ops(rng, parts)
        ops.append(what)
    out = _rezip(parts, rng.choice([zipfile.ZIP_DEFLATED] * 4 + [zipfile.ZIP_STORED]))
    if rng.random() < 0.15:
        out, what = op_zip_header(rng, out)
        ops.append(what)
    return out, ops
