"""The Word document the form is drawn into.

python-docx gives the package, the styles, the page sections, the page header
and the core properties. The body (a few hundred table cells and a thousand
paragraphs) is built straight into python-docx's lxml tree in schema order:
its object API finds each new element's place by scanning its siblings, which
made one plan cost over 100 ms. The pieces python-docx has no API for are
here too: content-control check boxes, cell shading, header rows repeated on
each page. Nothing here knows the template; ``form.py`` says what goes where.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import re
import zipfile
from typing import Iterable, Optional, Sequence, Union

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from lxml import etree

from ...layout import TICK_GLYPHS
from ...text import INVALID_CHARS, REPLACEMENT

# A4 in twentieths of a point, with the 15 mm margins of the published form.
PAGE_LONG, PAGE_SHORT, MARGIN = 16838, 11906, 850

FILL_HEADING = "D9E2F3"  # the heading rows of each table
FILL_PROMPT = "F2F2F2"  # the printed prompts
BOX_FONT = "MS Gothic"
FIXED_TIME = dt.datetime(2019, 1, 1, 0, 0, 0)
ZIP_TIME = (2019, 1, 1, 0, 0, 0)

STYLE_TITLE = "MSP Title"
STYLE_HEADING = "MSP Heading"
STYLE_SUBHEADING = "MSP Subheading"
STYLE_PROMPT = "MSP Prompt"
STYLE_NOTE = "MSP Guidance note"
STYLE_GUIDANCE = "MSP Guidance"
STYLE_BULLET = "List Bullet"  # python-docx's default template: a bullet list style
# Word's own styles, for a form drawn from a profile's data alone (generic.py): parts and sub-parts.
STYLE_WORD_TITLE, STYLE_PART, STYLE_SUBPART = "Title", "Heading 1", "Heading 2"
STYLES = (STYLE_TITLE, STYLE_HEADING, STYLE_SUBHEADING, STYLE_PROMPT, STYLE_NOTE, STYLE_GUIDANCE, STYLE_BULLET,
          STYLE_WORD_TITLE, STYLE_PART, STYLE_SUBPART)

# What a piece of a line is: its text and whether it is struck through.
Piece = tuple[str, bool]

# Parts of python-docx's default template a plan has no use for: a thumbnail of
# another document, Word 2010's duplicate styles, and a custom XML item.
_DROP = {RT.THUMBNAIL, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects", RT.CUSTOM_XML}

_TEXT_SPLIT = re.compile(r"(\n|\t)")

(P, R, T, PPR, RPR, PSTYLE, JC, KEEPNEXT, B, I, STRIKE, BR, TAB, RFONTS, VAL, TYPE, W, SPACE,
 TBL, TBLPR, TBLSTYLE, TBLW, TBLLAYOUT, TBLLOOK, TBLGRID, GRIDCOL, TR, TRPR, CANTSPLIT, TBLHEADER,
 TC, TCPR, TCW, GRIDSPAN, VMERGE, SHD, FILL, COLOR, SDT, SDTPR, SDTCONTENT, ID) = (
    qn(f"w:{t}") for t in (
        "p r t pPr rPr pStyle jc keepNext b i strike br tab rFonts val type w space "
        "tbl tblPr tblStyle tblW tblLayout tblLook tblGrid gridCol tr trPr cantSplit tblHeader "
        "tc tcPr tcW gridSpan vMerge shd fill color sdt sdtPr sdtContent id"
    ).split()
)
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
W14_CHECKBOX, W14_CHECKED, W14_VAL, W14_FONT = (qn(f"w14:{t}") for t in ("checkbox", "checked", "val", "font"))


def xml_text(text: str) -> str:
    """``text`` as XML can hold it: U+FFFD for a control code or lone surrogate (the readers
    replace them already, with a warning; a model built in code may still hold them)."""
    return INVALID_CHARS.sub(REPLACEMENT, text)


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


class Table:
    """A table being drawn: its element and its column widths (twips)."""

    __slots__ = ("element", "widths")

    def __init__(self, element: etree._Element, widths: Sequence[int]) -> None:
        self.element = element
        self.widths = list(widths)


Where = Union[etree._Element, "Body"]


class Body:
    """The document body: blocks go in before its last section properties."""

    def __init__(self, sentinel: etree._Element) -> None:
        self.sentinel = sentinel

    def append(self, el: etree._Element) -> None:
        self.sentinel.addprevious(el)


class Builder:
    """A python-docx Document set up for the form, and the small tools to fill it."""

    def __init__(self) -> None:
        self.doc = docx.Document(io.BytesIO(_prepared()))
        self._ids = itertools.count(1)
        self._style_ids = {name: self.doc.styles[name].style_id for name in STYLES}
        self._table_style = self.doc.styles["Table Grid"].style_id
        self.body = Body(self.doc.element.body.get_or_add_sectPr())
        self._maker = self.doc.element.makeelement  # python-docx's element classes

    # --- the package and its styles -------------------------------------------------

    @classmethod
    def prepare(cls) -> bytes:
        """python-docx's default document made into the form's: the same for every plan."""
        self = cls.__new__(cls)
        self.doc = docx.Document()
        self._prune()
        self._styles()
        self._settings()
        self._page(self.doc.sections[0], landscape=False)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    def _prune(self) -> None:
        for part in (self.doc.part.package, self.doc.part):
            for rid, rel in list(part.rels.items()):
                if rel.reltype in _DROP:
                    del part.rels[rid]

    def _settings(self) -> None:
        """No revision-save ids: they are the template's, and say nothing of this plan."""
        settings = self.doc.settings.element
        for tag in ("w:rsids", "w14:docId"):
            for el in settings.findall(qn(tag)):
                settings.remove(el)
        for root in (self.doc.element, self.doc.styles.element):
            for el in list(root.iter(qn("w:rsid"))):
                el.getparent().remove(el)
            for el in root.iter():
                for attr in [a for a in el.attrib if a.startswith(qn("w:rsid"))]:
                    del el.attrib[attr]

    def _styles(self) -> None:
        styles = self.doc.styles
        # The template's hundred table styles (340 KB of the 350 KB styles part):
        # a plan uses the plain grid only.
        root = styles.element
        for style in root.findall(qn("w:style")):
            if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in ("TableNormal", "TableGrid"):
                root.remove(style)
        normal = styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(10)
        fmt = normal.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:eastAsia", "w:cs"):
            fonts.set(qn(attr), "Arial")
        defaults = styles.element.find(qn("w:docDefaults"))
        if defaults is not None:  # UK English for the spelling checker
            for lang in defaults.iter(qn("w:lang")):
                lang.set(qn("w:val"), "en-GB")
        self._paragraph_style(STYLE_TITLE, size=16, bold=True, outline=0, center=True, after=6)
        self._paragraph_style(STYLE_HEADING, size=12, bold=True, outline=0, keep=True, after=3)
        self._paragraph_style(STYLE_SUBHEADING, size=11, bold=True, outline=1, keep=True, after=3)
        self._paragraph_style(STYLE_PROMPT, bold=True, keep=True)
        self._paragraph_style(STYLE_NOTE, size=8.5, italic=True)
        self._paragraph_style(STYLE_GUIDANCE, after=4)
        styles[STYLE_BULLET].paragraph_format.space_after = Pt(0)
        styles["Header"].font.size = Pt(9)  # the child's details, on one line

    def _paragraph_style(self, name: str, *, size: Optional[float] = None, bold: bool = False, italic: bool = False,
                         outline: Optional[int] = None, keep: bool = False, center: bool = False, after: float = 0) -> None:
        style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.doc.styles["Normal"]
        style.quick_style = True
        if size:
            style.font.size = Pt(size)
        if bold:
            style.font.bold = True
        if italic:
            style.font.italic = True
        fmt = style.paragraph_format
        fmt.keep_with_next = keep or None
        if center:
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if after:
            fmt.space_after = Pt(after)
        if outline is not None:  # shows in Word's navigation pane
            _sub(style.element.get_or_add_pPr(), qn("w:outlineLvl"), val=str(outline))

    # --- pages ------------------------------------------------------------------------

    @staticmethod
    def _page(section, landscape: bool) -> None:
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width = Twips(PAGE_LONG if landscape else PAGE_SHORT)
        section.page_height = Twips(PAGE_SHORT if landscape else PAGE_LONG)
        for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
            setattr(section, side, Twips(MARGIN))
        section.header_distance = Twips(425)
        section.footer_distance = Twips(425)

    def new_section(self, landscape: bool) -> None:
        """What follows starts on a new page, turned as asked (the page header carries on)."""
        self._page(self.doc.add_section(WD_SECTION.NEW_PAGE), landscape)

    @property
    def width(self) -> int:
        """The text width of the current page, in twips."""
        landscape = self.doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE
        return (PAGE_LONG if landscape else PAGE_SHORT) - 2 * MARGIN

    def page_break(self) -> None:
        p = self._maker(P)
        _sub(_sub(p, R), BR, type="page")
        self.body.append(p)

    # --- paragraphs and runs -------------------------------------------------------------

    def paragraph(self, where: Where, style: Optional[str] = None, *, center: bool = False) -> etree._Element:
        p = self._maker(P)
        if style or center:
            ppr = etree.SubElement(p, PPR)
            if style:
                etree.SubElement(ppr, PSTYLE).set(VAL, self._style_ids[style])
            if center:
                etree.SubElement(ppr, JC).set(VAL, "center")
        where.append(p)
        return p

    @staticmethod
    def align_right(p: etree._Element) -> None:
        ppr = p.find(PPR)
        if ppr is None:
            ppr = p.makeelement(PPR)
            p.insert(0, ppr)
        etree.SubElement(ppr, JC).set(VAL, "right")

    def text(self, where: Where, text: str = "", style: Optional[str] = None, *, bold: bool = False,
             center: bool = False, strike: bool = False) -> etree._Element:
        p = self.paragraph(where, style, center=center)
        if text:
            self.run(p, text, bold=bold, strike=strike)
        return p

    def lines(self, where: Where, text: str, style: Optional[str] = None) -> None:
        """A printed text whose line ends are paragraph ends (guidance with blank lines)."""
        for line in text.split("\n"):
            self.text(where, line.strip(), style)

    @staticmethod
    def run(p: etree._Element, text: str, *, bold: bool = False, strike: bool = False, italic: bool = False) -> None:
        """A run; "\\n" in the text is a line break (w:br), "\\t" a tab."""
        r = etree.SubElement(p, R)
        if bold or strike or italic:
            rpr = etree.SubElement(r, RPR)
            if bold:
                etree.SubElement(rpr, B)
            if italic:
                etree.SubElement(rpr, I)
            if strike:
                etree.SubElement(rpr, STRIKE)
        for chunk in _TEXT_SPLIT.split(xml_text(text)) if ("\n" in text or "\t" in text) else (text,):
            if chunk == "\n":
                etree.SubElement(r, BR)
            elif chunk == "\t":
                etree.SubElement(r, TAB)
            elif chunk:
                t = etree.SubElement(r, T)
                t.text = xml_text(chunk)
                if chunk[0] == " " or chunk[-1] == " " or "  " in chunk:
                    t.set(XML_SPACE, "preserve")

    def pieces(self, p: etree._Element, pieces: Iterable[Piece]) -> None:
        for text, struck in pieces:
            if text:
                self.run(p, text, strike=struck)

    def checkbox(self, p: etree._Element, checked: bool) -> None:
        """A Word content-control check box (clickable in Word) showing its state's glyph."""
        sdt = etree.SubElement(p, SDT)
        pr = etree.SubElement(sdt, SDTPR)
        _box_font(etree.SubElement(pr, RPR))
        etree.SubElement(pr, ID).set(VAL, str(next(self._ids)))
        box = etree.SubElement(pr, W14_CHECKBOX)
        etree.SubElement(box, W14_CHECKED).set(W14_VAL, "1" if checked else "0")
        for tag, shown in (("w14:checkedState", True), ("w14:uncheckedState", False)):
            state = etree.SubElement(box, qn(tag))
            state.set(W14_VAL, f"{ord(TICK_GLYPHS[shown]):04X}")
            state.set(W14_FONT, BOX_FONT)
        r = etree.SubElement(etree.SubElement(sdt, SDTCONTENT), R)
        _box_font(etree.SubElement(r, RPR), hint=True)
        etree.SubElement(r, T).text = TICK_GLYPHS[checked]  # what Word shows for the state

    # --- tables ------------------------------------------------------------------------------

    def table(self, widths: Sequence[int]) -> Table:
        """A ruled table of fixed column widths (twips), in the body."""
        tbl = self._maker(TBL)
        pr = etree.SubElement(tbl, TBLPR)
        _sub(pr, TBLSTYLE, val=self._table_style)
        _sub(pr, TBLW, w=str(sum(widths)), type="dxa")
        _sub(pr, JC, val="center")
        _sub(pr, TBLLAYOUT, type="fixed")
        _sub(pr, TBLLOOK, val="04A0", firstRow="1", lastRow="0", firstColumn="1", lastColumn="0", noHBand="0", noVBand="1")
        grid = etree.SubElement(tbl, TBLGRID)
        for width in widths:
            _sub(grid, GRIDCOL, w=str(width))
        before = self.body.sentinel.getprevious()
        if before is not None and before.tag == TBL:
            self.body.append(self._maker(P))  # two tables with nothing between are one table to Word
        self.body.append(tbl)
        return Table(tbl, widths)

    def row(self, table: Table, spans: Optional[Sequence[int]] = None, *, header: bool = False, keep: bool = True,
            vmerge: Optional[Sequence[Optional[str]]] = None, fill: Optional[str] = None) -> list[etree._Element]:
        """A new row's cells (``w:tc``), each spanning ``spans[i]`` grid columns.

        ``header``: repeated at the top of each page; ``keep``: not split over
        a page break; ``vmerge``: "restart" / "continue" per cell.
        """
        widths = table.widths
        spans = spans or [1] * len(widths)
        tr = etree.SubElement(table.element, TR)
        if keep or header:
            pr = etree.SubElement(tr, TRPR)
            if keep:
                etree.SubElement(pr, CANTSPLIT)
            if header:
                etree.SubElement(pr, TBLHEADER)
        cells = []
        col = 0
        for i, span in enumerate(spans):
            tc = etree.SubElement(tr, TC)
            pr = etree.SubElement(tc, TCPR)
            _sub(pr, TCW, w=str(sum(widths[col:col + span])), type="dxa")
            if span > 1:
                _sub(pr, GRIDSPAN, val=str(span))
            merge = vmerge[i] if vmerge else None
            if merge == "restart":
                _sub(pr, VMERGE, val="restart")
            elif merge == "continue":
                etree.SubElement(pr, VMERGE)
            if fill:
                _sub(pr, SHD, val="clear", color="auto", fill=fill)
            cells.append(tc)
            col += span
        return cells

    @staticmethod
    def shade(tc: etree._Element, fill: str) -> None:
        pr = tc[0]
        _sub(pr, SHD, val="clear", color="auto", fill=fill)  # after tcW, gridSpan, vMerge: schema order

    # --- the header and the package ---------------------------------------------------------------

    def header_lines(self, lines: Sequence[str]) -> None:
        self._margin_lines(self.doc.sections[0].header, lines)

    def footer_lines(self, lines: Sequence[str]) -> None:
        if lines:
            self._margin_lines(self.doc.sections[0].footer, lines)

    def _margin_lines(self, margin, lines: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
        """Lines in the page header or footer (python-docx's ``_Header``/``_Footer``), one paragraph each."""
        first = margin.paragraphs[0]
        for i, line in enumerate(lines):
            p = first if i == 0 else margin.add_paragraph(style=first.style)
            self.run(p._p, line)

    def save(self, title: str) -> bytes:
        """The .docx bytes: the same plan always gives the same bytes."""
        body = self.doc.element.body
        for tc in body.iter(TC):  # a cell must end with a paragraph
            if tc[-1].tag != P:
                etree.SubElement(tc, P)
        props = self.doc.core_properties
        props.title = title
        props.author = "msp-convert"
        props.last_modified_by = ""
        props.comments = ""
        props.created = FIXED_TIME
        props.modified = FIXED_TIME
        props.revision = 1
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return deterministic_zip(buffer.getvalue())


@functools.lru_cache(maxsize=1)
def _prepared() -> bytes:
    return Builder.prepare()


def _box_font(rpr: etree._Element, hint: bool = False) -> None:
    fonts = etree.SubElement(rpr, RFONTS)
    for attr in ("w:ascii", "w:eastAsia", "w:hAnsi"):
        fonts.set(qn(attr), BOX_FONT)
    if hint:
        fonts.set(qn("w:hint"), "eastAsia")


def deterministic_zip(data: bytes) -> bytes:
    """The package rewritten with fixed timestamps, attributes and member order.

    python-docx stamps each zip entry with the current time; Word does not
    care, but the same plan must give the same bytes.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    members.sort(key=lambda m: (m[0] != "[Content_Types].xml", m[0] != "_rels/.rels", m[0]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, body in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, body, compresslevel=6)
    return out.getvalue()
