"""Walk a WordprocessingML part (body, header, footer) into ``layout`` blocks.

One pass over the tree in document order, comparing tags with precomputed
Clark names. What comes out:

* Text: ``w:t``; ``w:delText`` (deleted); ``w:tab``/``w:ptab`` -> "\\t";
  ``w:br``/``w:cr`` -> "\\n"; ``w:noBreakHyphen`` -> "-"; ``w:softHyphen``
  -> nothing. A page or column break gives "\\n" only when something precedes
  it in the paragraph (a paragraph holding just a page break stays empty, and
  words either side of a mid-paragraph page break are not glued together).
* Tracked changes: ``w:ins``/``w:moveTo`` mark runs inserted, ``w:del``/
  ``w:moveFrom`` deleted (nested, both can hold); a row deleted under tracked
  changes (``w:trPr/w:del``) marks everything in it deleted.
* Wrappers are transparent: hyperlinks, smart tags, custom XML, simple fields,
  content controls (``w:sdtContent``), ``w:bdo``/``w:dir``, math.
  ``mc:AlternateContent`` takes the first ``mc:Choice`` whose namespaces are
  understood, else ``mc:Fallback``; never both.
* Complex fields: instruction text is dropped, the result kept. An instruction
  that is still open at the end of a paragraph is closed there (a broken field
  must not swallow the rest of the document).
* Text boxes (``w:txbxContent`` in drawings or VML): their blocks follow the
  paragraph that anchors them, once.
* Tick boxes, one ``TickBox`` each, in place: Unicode glyphs ("glyph"),
  symbol-font characters as ``w:sym`` or as text ("symbol"), ``w14:checkbox``
  content controls ("content-control", the glyph inside is not emitted), and
  legacy FORMCHECKBOX fields ("form-field"). A tick box inside deleted text is
  not a tick box any more: it is kept as a deleted run showing its glyph.
* Adjacent text with the same flags is one ``Run``.
* ``Paragraph.heading``: the paragraph's style is a heading or title style
  (``styles.Styles.is_heading_style``), or its own ``w:outlineLvl`` is 0-8
  (9, body text, overrides the style). ``Paragraph.bold``: every letter in it
  is bold (bold resolved like strike; deleted text and symbol fonts are not
  counted).
"""

from __future__ import annotations

from typing import NamedTuple, Optional

from lxml import etree

from ...layout import Block, Cell, Paragraph
from ...results import Message
from .ns import (
    BREAK_SILENT_AT_START,
    DEL,
    INS,
    MC_ALTERNATE,
    M_R,
    M_T,
    SKIP,
    STRUCK,
    W14_CHECKBOX,
    W14_CHECKED,
    W_ALTCHUNK,
    W_BR,
    W_CR,
    W_DEL,
    W_DELTEXT,
    W_DRAWING,
    W_FLDCHAR,
    W_FLD_CHAR_TYPE,
    W_INS,
    W_MOVEFROM,
    W_MOVETO,
    W_NOBREAKHYPHEN,
    W_NUMPR,
    W_OBJECT,
    W_OUTLINELVL,
    W_P,
    W_PICT,
    W_PPR,
    W_PSTYLE,
    W_PTAB,
    W_R,
    W_RPR,
    W_RUBY,
    W_RUBYBASE,
    W_SDT,
    W_SDTCONTENT,
    W_SDTPR,
    W_SHOWINGPLCHDR,
    W_SYM,
    W_T,
    W_TAB,
    W_TBL,
    W_TXBXCONTENT,
    W_TYPE,
    W_VAL,
    choose_branch,
)
from .styles import UNSET, Styles, numpr_is_list, on_off, outline_heading, rpr_levels
from .symbols import GLYPH_RE
from .controls import form_field, sdt_content, w14_on_off
from .inline import LETTER, InlineOutput
from .plain import PlainParagraph
from .tables import TableReader


_TRACK = {W_INS: INS, W_MOVETO: INS, W_DEL: DEL, W_MOVEFROM: DEL}


class ParagraphStyle(NamedTuple):
    """What a paragraph style gives its paragraph and the plain runs in it."""

    key: int  # STRUCK when the style strikes plain runs
    sym: Optional[str]  # symbol font of plain runs
    list_item: bool
    heading: bool  # a heading or title style
    bold: bool  # plain runs are bold (w:b)
    bold_cs: bool  # plain complex-script runs are bold (w:bCs)


class PartWalker(TableReader, InlineOutput, PlainParagraph):
    """Turns one part's tree into blocks. One instance per document."""

    __slots__ = (
        "styles", "messages", "origin", "pstyle", "inlines", "buf", "buf_key", "buf_check", "boxes",
        "fields", "hidden", "p_cache", "p_default", "p_key", "p_sym", "p_style", "r_bold",
        "all_bold", "lettered",
    )

    def __init__(self, styles: Styles, messages: list[Message]) -> None:
        self.styles = styles
        self.messages = messages
        self.origin = ""
        self.pstyle: Optional[str] = None
        self.inlines: list = []
        self.buf: list[str] = []
        self.buf_key = -1
        self.buf_check = False  # the buffer holds a w:sym or symbol-font character: see flush
        self.boxes: list[etree._Element] = []
        self.fields: list[bool] = []  # open complex fields: True once in their result
        self.hidden = 0  # open fields still in their instruction
        self.merges: dict[int, Cell] = {}  # open vertical merges of the current table
        self.row_width = 0
        self.p_cache: dict[Optional[str], ParagraphStyle] = {}
        self.p_default = self.paragraph_style(None)
        self.p_style = self.p_default  # what the paragraph's style gives: see paragraph_style
        self.p_key = 0  # STRUCK when the paragraph's style strikes plain runs
        self.p_sym: Optional[str] = None
        self.r_bold = False  # the current run is bold
        self.all_bold = True  # no letter of the paragraph so far is in a run that is not bold
        self.lettered = False  # the paragraph has a bold letter

    # ---- parts and blocks -------------------------------------------------

    def part(self, container: etree._Element, origin: str) -> list[Block]:
        self.origin = origin
        self.fields = []
        self.hidden = 0
        out: list[Block] = []
        self.blocks(container, out, 0)
        return out

    def blocks(self, parent: etree._Element, out: list, flags: int) -> None:
        for el in parent:
            tag = el.tag
            if tag == W_P:
                self.paragraph(el, out, flags)
            elif tag == W_TBL:
                out.append(self.table(el, flags))
            else:
                self.block(el, tag, out, flags)

    def block(self, el: etree._Element, tag, out: list, flags: int) -> None:
        """Block-level content other than a paragraph or a table."""
        if tag in SKIP:
            return
        if tag == MC_ALTERNATE:
            branch = choose_branch(el)
            if branch is not None:
                self.blocks(branch, out, flags)
        elif tag in _TRACK:
            self.blocks(el, out, flags | _TRACK[tag])
        elif tag == W_SDT:
            content = sdt_content(el)
            if content is not None:
                self.blocks(content, out, flags)
        elif tag == W_ALTCHUNK:
            self.note(
                "alt-chunk",
                "The document includes content imported from another file (altChunk),"
                " which was not read.",
            )
        elif type(tag) is str:  # customXml and other wrappers
            self.blocks(el, out, flags)

    def note(self, code: str, message: str) -> None:
        self.messages.append(Message(code, message, self.origin or None))

    # ---- paragraphs -------------------------------------------------------

    def paragraph(self, p: etree._Element, out: list, flags: int) -> None:
        if not len(p):  # empty: a third of the paragraphs in a typical form
            out.append(Paragraph([], self.p_default.list_item, self.origin, None, None, None, None, False, False, ""))
            if self.hidden:
                self.close_instructions()
            return
        para = self.plain(p, flags)  # the common shape, in one loop (plain.py)
        if para is not None:
            out.append(para)
            return
        self.pstyle = None
        self.p_style = self.p_default
        self.p_key, self.p_sym = self.p_default.key, self.p_default.sym
        direct_list = outline = None
        self.inlines = inlines = []
        self.buf = []
        self.all_bold, self.lettered = True, False
        run = self.run
        for el in p:
            tag = el.tag
            if tag == W_R:
                run(el, flags)
            elif tag == W_PPR:
                direct_list, outline = self.paragraph_props(el)
            elif len(el) or tag == M_R:  # an empty element other than a math run gives nothing
                self.inline(el, flags)  # (bookmarks and proofing marks, most of them in Word's files)
        if self.buf:
            self.flush()
        if self.hidden:
            self.close_instructions()
        style = self.p_style
        out.append(
            Paragraph(  # every field by position: see inline.PARAGRAPH_FIELDS
                inlines,
                style.list_item if direct_list is None else direct_list,
                self.origin,
                None, None, None, None,  # confidence, low, page, box
                style.heading if outline is None else outline,
                self.lettered and self.all_bold,
                None,
            )
        )
        if self.boxes:
            boxes, self.boxes = self.boxes, []
            fields, hidden = self.fields, self.hidden
            for box in boxes:
                self.fields, self.hidden = [], 0
                self.blocks(box, out, flags)
            self.fields, self.hidden = fields, hidden

    def close_instructions(self) -> None:
        """A field instruction does not outlive its paragraph: treat it as closed."""
        self.fields = [True] * len(self.fields)
        self.hidden = 0

    def paragraph_props(self, ppr: etree._Element) -> tuple[Optional[bool], Optional[bool]]:
        """Read a ``w:pPr``: sets the paragraph style; (list item, heading) set directly, or None."""
        direct_list = outline = None
        for q in ppr:
            qtag = q.tag
            if qtag == W_PSTYLE:
                self.pstyle = pstyle = q.get(W_VAL)
                self.p_style = style = self.paragraph_style(pstyle)
                self.p_key, self.p_sym = style.key, style.sym
            elif qtag == W_NUMPR:
                direct_list = numpr_is_list(q)
            elif qtag == W_OUTLINELVL:
                outline = outline_heading(q)
        return direct_list, outline

    def paragraph_style(self, pstyle: Optional[str]) -> ParagraphStyle:
        """What a paragraph style gives, computed once per style."""
        hit = self.p_cache.get(pstyle)
        if hit is None:
            styles = self.styles
            strike, dstrike, font, bold, bold_cs = styles.inherited(pstyle, None)
            hit = ParagraphStyle(
                STRUCK if strike or dstrike else 0,
                font,
                styles.is_list_style(pstyle),
                styles.is_heading_style(pstyle),
                bold,
                bold_cs,
            )
            self.p_cache[pstyle] = hit
        return hit

    def inline(self, el: etree._Element, flags: int) -> None:
        """Paragraph content other than a plain ``w:r``."""
        tag = el.tag
        if tag == W_R or tag == M_R:
            self.run(el, flags)
        elif tag in _TRACK:
            flags |= _TRACK[tag]
            for c in el:
                self.inline(c, flags)
        elif tag == W_SDT:
            self.sdt(el, flags)
        elif tag in SKIP:
            return
        elif tag == MC_ALTERNATE:
            branch = choose_branch(el)
            if branch is not None:
                for c in branch:
                    self.inline(c, flags)
        elif type(tag) is str:  # hyperlink, smartTag, customXml, fldSimple, bdo, dir, math
            for c in el:
                self.inline(c, flags)

    def sdt(self, el: etree._Element, flags: int) -> None:
        """A run-level content control: a check box, placeholder text, or a wrapper."""
        content = None
        checkbox = placeholder = False
        state: Optional[bool] = False
        for c in el:
            tag = c.tag
            if tag == W_SDTPR:
                for q in c:
                    qtag = q.tag
                    if qtag == W14_CHECKBOX:
                        checkbox = True
                        for s in q:
                            if s.tag == W14_CHECKED:
                                state = w14_on_off(s)
                    elif qtag == W_SHOWINGPLCHDR:
                        placeholder = on_off(q) is not False
            elif tag == W_SDTCONTENT:
                content = c
        if checkbox:
            if not self.hidden:
                self.tick(state, "content-control", flags)
        elif content is not None and not placeholder:
            for c in content:
                self.inline(c, flags)

    # ---- runs ---------------------------------------------------------------

    def run(self, r: etree._Element, flags: int) -> None:
        key = flags | self.p_key
        sym = self.p_sym
        self.r_bold = bold = self.p_style.bold
        for c in r:
            tag = c.tag
            if tag == W_T:
                text = c.text
                if not text or self.hidden:
                    continue
                if sym is not None:
                    self.text(text, key, sym)
                    continue
                # weigh(), inline: whether every letter of the paragraph is bold
                if self.all_bold and not (bold and self.lettered) and not key & DEL and LETTER.search(text) is not None:
                    if self.r_bold:  # not always bold: a w:ruby's runs set it
                        self.lettered = True
                    else:
                        self.all_bold = False
                if text.isascii() or GLYPH_RE.search(text) is None:
                    if key != self.buf_key:
                        if self.buf:
                            self.flush()
                        self.buf_key = key
                    self.buf.append(text)
                else:
                    self.text(text, key, None)
            elif tag == W_RPR:
                key, sym, bold = self.run_props(c, flags)
                self.r_bold = bold
            else:
                self.item(c, tag, key, sym)

    def run_props(self, rpr: etree._Element, flags: int) -> tuple[int, Optional[str], bool]:
        """(key, symbol font, bold) of a run from its ``w:rPr`` and the styles."""
        props = rpr_levels(rpr)
        strike, dstrike, font = props.strike, props.dstrike, props.font
        bold = props.bold_cs if props.cs else props.bold
        if props.rstyle is None and strike is None and dstrike is None:
            style = self.p_style
            if bold is None:
                bold = style.bold_cs if props.cs else style.bold
            return flags | self.p_key, self.p_sym if font is UNSET else font, bold
        i_strike, i_dstrike, i_font, i_bold, i_bold_cs = self.styles.inherited(self.pstyle, props.rstyle)
        if strike is None:
            strike = i_strike
        if dstrike is None:
            dstrike = i_dstrike
        if bold is None:
            bold = i_bold_cs if props.cs else i_bold
        key = flags | STRUCK if strike or dstrike else flags
        return key, (i_font if font is UNSET else font), bold

    def item(self, c: etree._Element, tag, key: int, sym: Optional[str]) -> None:
        """Run content other than ``w:t``."""
        if tag == W_FLDCHAR:
            self.fld_char(c, key)
            return
        if self.hidden:
            return
        if tag == W_TAB or tag == W_PTAB:
            self.add("\t", key)
        elif tag == W_BR:
            if c.get(W_TYPE) not in BREAK_SILENT_AT_START or self.buf or self.inlines:
                self.add("\n", key)
        elif tag == W_CR:
            self.add("\n", key)
        elif tag == W_DELTEXT or tag == M_T or tag == W_T:
            if c.text:
                key = key | DEL if tag == W_DELTEXT else key
                if self.all_bold and sym is None:
                    self.weigh(c.text, key)
                self.text(c.text, key, sym)
        elif tag == W_NOBREAKHYPHEN:
            self.add("-", key)
        elif tag == W_SYM:
            self.sym(c, key)
        elif tag == W_DRAWING or tag == W_PICT or tag == W_OBJECT:
            self.find_boxes(c)
        elif tag == MC_ALTERNATE:
            branch = choose_branch(c)
            if branch is not None:
                for cc in branch:
                    self.item(cc, cc.tag, key, sym)
        elif tag == W_RUBY:
            for base in c:
                if base.tag == W_RUBYBASE:
                    for cc in base:
                        self.inline(cc, key & (DEL | INS))
        # w:softHyphen, w:instrText, w:lastRenderedPageBreak, notes refs...: nothing

    def fld_char(self, c: etree._Element, key: int) -> None:
        kind = c.get(W_FLD_CHAR_TYPE)
        if kind == "begin":
            outer_hidden = self.hidden
            self.fields.append(False)
            self.hidden += 1
            if not outer_hidden:
                kind, value = form_field(c)
                if kind == "checkbox":
                    self.tick(value, "form-field", key)
                elif kind == "dropdown" and value:
                    self.weigh(value, key)
                    self.add(value, key)
        elif kind == "separate":
            if self.fields and not self.fields[-1]:
                self.fields[-1] = True
                self.hidden -= 1
        elif kind == "end":
            if self.fields and not self.fields.pop():
                self.hidden -= 1

    def find_boxes(self, el: etree._Element) -> None:
        """Text boxes inside a drawing, not counting boxes nested in them."""
        for c in el:
            tag = c.tag
            if tag == W_TXBXCONTENT:
                self.boxes.append(c)
            elif tag == MC_ALTERNATE:
                branch = choose_branch(c)
                if branch is not None:
                    self.find_boxes(branch)
            elif type(tag) is str:
                self.find_boxes(c)
