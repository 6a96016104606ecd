"""The Word reader loses no word: every w:t and w:delText of a document is in its layout.

For each document, the words (``\\w+``) of the text the parts store are counted
independently of the reader, with lxml: the main document, its headers and its
footers; each paragraph's ``w:t``/``w:delText`` joined in order (a tab or a
break between them separates words), text boxes' paragraphs on their own, of
an ``mc:AlternateContent`` only the ``mc:Choice``. Not counted, as no person
typed them: a content control's placeholder (``w:showingPlcHdr``) and field
instructions (``w:instrText``). These words must equal, as a multiset, the
words of the layout's paragraphs (body, headers and footers). The only words
the layout may add are a legacy drop-down's chosen entry, which the file keeps
in ``w:listEntry``, not in ``w:t``.

Documents: every .docx under fixtures/ (the departures' included) and
shared/real-docs/, and the plan of fixture 01 laid out as plans off the
template are: the whole plan in a one-cell layout table, in a column of
one-cell rows, in tables nested six deep, in a text box (with the VML copy
Word writes for older readers), in a group of three text boxes (a one-page
profile; with its VML copy), in a VML-only text box inside a one-cell table,
every block and run in content controls, every paragraph a form text field's
result, and a page footer with a page-number field and a text box.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, REAL_DOCS
from msp_convert.layout import Table, iter_paragraphs
from msp_convert.parsers.docx import parse_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORD = re.compile(r"\w+")
SEPARATORS = {W + "tab", W + "ptab", W + "br", W + "cr", W + "noBreakHyphen"}
PLAN_01 = FIXTURES / "plans" / "01-eyfs-speech-language.docx"


# ---- the independent count -----------------------------------------------------------


def _targets(z: zipfile.ZipFile, rels_name: str, base: str) -> list[tuple[str, str]]:
    if rels_name not in z.namelist():
        return []
    out = []
    for rel in etree.fromstring(z.read(rels_name)).iter(PKG_REL):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        out.append((rel.get("Type", "").rsplit("/", 1)[-1], posixpath.normpath(path)))
    return out


def stored_parts(data: bytes) -> list[etree._Element]:
    """The main document part, then the headers and footers it names."""
    z = zipfile.ZipFile(io.BytesIO(data))
    main = [t for kind, t in _targets(z, "_rels/.rels", "") if kind == "officeDocument"][0]
    folder, name = posixpath.split(main)
    rels = _targets(z, posixpath.join(folder, "_rels", name + ".rels"), folder)
    names = [main] + [t for kind, t in rels if kind in ("header", "footer")]
    return [etree.fromstring(z.read(n)) for n in names]


def _placeholder(sdt: etree._Element) -> bool:
    pr = sdt.find(W + "sdtPr")
    return pr is not None and pr.find(W + "showingPlcHdr") is not None


def paragraph_texts(root: etree._Element) -> list[str]:
    """Each w:p's stored text, in order; a w:p in a text box is a paragraph of its own.

    Recursive: the XML parser refuses trees deeper than 256, far below Python's limit.
    """
    texts: list[list[str]] = []

    def walk(el: etree._Element, mine: list[str] | None) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag == MC + "Fallback":
                continue
            if tag == W + "sdt" and _placeholder(child):
                continue
            if tag == W + "p":
                texts.append([])
                walk(child, texts[-1])
            elif mine is not None and tag in (W + "t", W + "delText"):
                mine.append(child.text or "")
            elif mine is not None and tag in SEPARATORS:
                mine.append(" ")
            else:
                walk(child, mine)

    walk(root, None)
    return ["".join(t) for t in texts]


def stored_words(data: bytes) -> Counter:
    words: Counter = Counter()
    for root in stored_parts(data):
        for text in paragraph_texts(root):
            words.update(WORD.findall(text))
    return words


def drop_down_words(data: bytes) -> Counter:
    words: Counter = Counter()
    for root in stored_parts(data):
        for entry in root.iter(W + "listEntry"):
            words.update(WORD.findall(entry.get(W + "val") or ""))
    return words


def layout_words(data: bytes) -> Counter:
    doc = parse_docx(data).value
    words: Counter = Counter()
    for p in iter_paragraphs(doc.body + doc.headers + doc.footers):
        words.update(WORD.findall(p.text))
    return words


def assert_no_word_lost(data: bytes) -> Counter:
    stored, read = stored_words(data), layout_words(data)
    assert stored - read == Counter(), "words stored in the file but not in its layout"
    extra = read - stored
    assert extra - drop_down_words(data) == Counter(), "words in the layout that the file does not store"
    return read


# ---- every document on disk ------------------------------------------------------------

DOCUMENTS = sorted(p for p in FIXTURES.rglob("*.docx") if zipfile.is_zipfile(p))
REAL = sorted(REAL_DOCS.rglob("*.docx"))


def test_the_documents_are_all_there():
    names = {p.name for p in DOCUMENTS}
    assert len(DOCUMENTS) >= 15 and "blank-template.docx" in names
    assert sum(1 for p in DOCUMENTS if p.parent.name == "plans") == 12
    assert len(REAL) == 23


@pytest.mark.parametrize("path", DOCUMENTS + REAL, ids=lambda p: p.name)
def test_every_stored_word_is_in_the_layout(path: Path):
    read = assert_no_word_lost(path.read_bytes())
    assert sum(read.values()) > 0


def test_the_count_is_real_on_a_plan_and_on_a_drop_down():
    """Plan 01 stores its child's name in the page header; a legacy drop-down adds its choice."""
    read = assert_no_word_lost(PLAN_01.read_bytes())
    assert read["Maisie"] > 10 and sum(read.values()) > 2500
    data = (REAL_DOCS / "docx2python" / "check_drop_my.docx").read_bytes()
    assert layout_words(data) - stored_words(data) == Counter({"Piihan": 1, "B": 1})


# ---- plan 01 laid out as plans off the template are -------------------------------------

NS_DECL = (
    f'xmlns:w="{W_NS}" xmlns:r="{REL}" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="w14"'
)


def body_blocks(data: bytes) -> tuple[list[str], str]:
    """Plan 01's top-level blocks as XML strings, and its section properties."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    body = root.find(W + "body")
    blocks = [etree.tostring(c, encoding="unicode") for c in body if c.tag != W + "sectPr"]
    sect = body.find(W + "sectPr")
    return blocks, "" if sect is None else etree.tostring(sect, encoding="unicode")


def repackage(data: bytes, body: str, sect: str, extra: dict[str, str] | None = None) -> bytes:
    """The same package with a new document body (and parts added or replaced)."""
    document = f'<w:document {NS_DECL}><w:body>{body}{sect}</w:body></w:document>'
    replaced = {"word/document.xml": document, **(extra or {})}
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename not in replaced:
                out.writestr(info.filename, src.read(info))
        for name, text in replaced.items():
            out.writestr(name, text)
    return buf.getvalue()


def one_cell(inner: str) -> str:
    return f'<w:tbl><w:tblGrid><w:gridCol w:w="10000"/></w:tblGrid><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>'


def column(blocks: list[str]) -> str:
    rows = "".join(f"<w:tr><w:tc>{b}<w:p/></w:tc></w:tr>" for b in blocks)
    return f'<w:tbl><w:tblGrid><w:gridCol w:w="10000"/></w:tblGrid>{rows}</w:tbl>'


def text_box(inner: str) -> str:
    """A floating text box as Word 2010+ writes it: DrawingML, with a VML copy as the fallback."""
    return (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        '<wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>'
        f"<w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        '</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>'
        f"<w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )


def vml_box(inner: str) -> str:
    """A text box as Word 2003-era documents hold it: VML only."""
    return f"<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"


def grouped_boxes(blocks: list[str]) -> str:
    """A one-page profile: a group of three text boxes, each holding a third of the blocks."""
    third = -(-len(blocks) // 3)
    parts = ["".join(blocks[i : i + third]) for i in range(0, len(blocks), third)]
    dml = "".join(f"<wps:wsp><wps:txbx><w:txbxContent>{x}</w:txbxContent></wps:txbx></wps:wsp>" for x in parts)
    vml = "".join(f"<v:shape><v:textbox><w:txbxContent>{x}</w:txbxContent></v:textbox></v:shape>" for x in parts)
    return (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wpg"><w:drawing><wp:inline><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup">'
        f"<wpg:wgp>{dml}</wpg:wgp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:group>{vml}</v:group></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )


def controls(blocks: list[str]) -> str:
    """Every block in a content control, every run in one too, the lot in custom XML."""
    def sdt(inner: str) -> str:
        return f'<w:sdt><w:sdtPr><w:alias w:val="Part"/></w:sdtPr><w:sdtContent>{inner}</w:sdtContent></w:sdt>'

    wrapped = []
    for block in blocks:
        root = etree.fromstring(block)
        for r in list(root.iter(W + "r")):
            if r.getparent().tag == W + "p":
                holder = etree.SubElement(r.getparent(), W + "sdt")
                r.addprevious(holder)
                etree.SubElement(holder, W + "sdtContent").append(r)
        wrapped.append(sdt(etree.tostring(root, encoding="unicode")))
    return f'<w:customXml w:element="plan">{"".join(wrapped)}</w:customXml>'


FIELD_START = (
    '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:textInput/></w:ffData></w:fldChar></w:r>'
    '<w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
)


def form_fields(blocks: list[str]) -> str:
    """Every paragraph's runs as the result of a legacy form text field."""
    out = []
    for block in blocks:
        root = etree.fromstring(block)
        for p in root.iter(W + "p"):
            runs = [c for c in p if c.tag != W + "pPr"]
            if runs:
                for r in etree.fromstring(f'<x xmlns:w="{W_NS}">{FIELD_START}</x>'):
                    runs[0].addprevious(r)
                etree.SubElement(p, W + "r").append(etree.Element(W + "fldChar", {W + "fldCharType": "end"}))
        out.append(etree.tostring(root, encoding="unicode"))
    return "".join(out)


FOOTER = (
    f"<w:ftr {NS_DECL}>"
    '<w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> of 12</w:t></w:r></w:p>'
    '<w:p><w:r><w:t xml:space="preserve">Plan written by Mrs Okafor (SENCo), Little Acorns Nursery</w:t>'
    "</w:r></w:p>"
    + text_box("<w:p><w:r><w:t>Review booked for the spring term</w:t></w:r></w:p>")
    + "</w:ftr>"
)
FOOTER_WORDS = Counter(WORD.findall(
    "Page 3 of 12 Plan written by Mrs Okafor (SENCo), Little Acorns Nursery Review booked for the spring term"
))


def with_footer(data: bytes, body: str, sect: str) -> bytes:
    z = zipfile.ZipFile(io.BytesIO(data))
    rels = z.read("word/_rels/document.xml.rels").decode().replace(
        "</Relationships>",
        f'<Relationship Id="rIdFtr9" Type="{REL}/footer" Target="footer9.xml"/></Relationships>',
    )
    return repackage(data, body, sect, {"word/footer9.xml": FOOTER, "word/_rels/document.xml.rels": rels})


LAYOUTS = {
    "one-cell table": lambda blocks: one_cell("".join(blocks)),
    "column of one-cell rows": column,
    "tables nested six deep": lambda blocks: _nest("".join(blocks), 6),
    "text box": lambda blocks: text_box("".join(blocks)),
    "group of text boxes": grouped_boxes,
    "VML text box in a one-cell table": lambda blocks: one_cell(vml_box("".join(blocks))),
    "content controls": controls,
    "form text fields": form_fields,
}


def _nest(inner: str, depth: int) -> str:
    for _ in range(depth):
        inner = one_cell(inner)
    return inner


@pytest.fixture(scope="module")
def plan_01():
    data = PLAN_01.read_bytes()
    blocks, sect = body_blocks(data)
    return data, blocks, sect, layout_words(data)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_plan_01_in_another_layout_reads_every_word_once(plan_01, layout):
    data, blocks, sect, words = plan_01
    moved = repackage(data, LAYOUTS[layout](blocks), sect)
    assert assert_no_word_lost(moved) == words  # the same words, none twice (text box: not its VML copy too)


def test_plan_01_in_a_one_cell_table_is_one_table_holding_the_plans_tables(plan_01):
    data, blocks, sect, _ = plan_01
    doc = parse_docx(repackage(data, one_cell("".join(blocks)), sect)).value
    assert len(doc.body) == 1 and isinstance(doc.body[0], Table)
    outer = doc.body[0]
    assert (len(outer.rows), len(outer.rows[0].cells), outer.columns) == (1, 1, 1)
    inner = [b for b in outer.rows[0].cells[0].blocks if isinstance(b, Table)]
    original = [b for b in parse_docx(data).value.body if isinstance(b, Table)]
    assert len(inner) == len(original) > 10
    assert [len(t.rows) for t in inner] == [len(t.rows) for t in original]


def test_a_footer_with_a_page_field_and_a_text_box_keeps_every_line(plan_01):
    data, blocks, sect, words = plan_01
    doc_data = with_footer(data, "".join(blocks), sect)
    read = assert_no_word_lost(doc_data)
    assert read == words + FOOTER_WORDS
    footers = [" ".join(p.text.split()) for p in iter_paragraphs(parse_docx(doc_data).value.footers)]
    assert footers == [
        "Page 3 of 12",
        "Plan written by Mrs Okafor (SENCo), Little Acorns Nursery",
        "",
        "Review booked for the spring term",
    ]
