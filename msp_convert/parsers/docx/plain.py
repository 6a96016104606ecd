"""The common paragraph in one tight loop: plain runs of text, read without the full walk.

Most paragraphs of a plan are runs of ``w:t`` (with tabs and breaks) whose
``w:rPr`` changes nothing the layout shows but bold. ``PlainParagraph.plain``
reads such a paragraph with local variables only (each run's content in the
same loop: a call per run cost more than its work) and builds its one ``Run`` directly; at the first thing it does not
know (a field, a symbol, a tick glyph, a tracked change, a run-level strike,
character style, symbol font or complex-script mark, a wrapper, a paragraph
in deleted text, a ``w:pPr`` after a run, a paragraph whose style, or the
defaults with no style, is in a symbol font) it gives up (None) and the full
walk (``body.PartWalker``) reads the paragraph from its start. What it builds
is what the full walk builds for the same paragraph: the rules (bold, breaks
at the start, one ``Run`` for text of one key) are those of ``body`` and
``inline``, applied to the one key all of the paragraph's text has here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from lxml import etree

from ...layout import Paragraph, Run
from .inline import _FLAGS, ASCII_NOT_LETTERS, LETTER
from .ns import (
    BREAK_SILENT_AT_START,
    DEL,
    MC_ALTERNATE,
    M_R,
    M_T,
    W_B,
    W_BR,
    W_CR,
    W_CS,
    W_DELTEXT,
    W_DRAWING,
    W_DSTRIKE,
    W_FLDCHAR,
    W_NOBREAKHYPHEN,
    W_OBJECT,
    W_PICT,
    W_PPR,
    W_PTAB,
    W_R,
    W_RFONTS,
    W_RPR,
    W_RSTYLE,
    W_RTL,
    W_RUBY,
    W_STRIKE,
    W_SYM,
    W_T,
    W_TAB,
    W_TYPE,
)
from .styles import UNSET, on_off, rfonts_symbol
from .symbols import GLYPH_RE

if TYPE_CHECKING:
    from .body import ParagraphStyle

_GIVE_UP = object()
# What a paragraph's letters were so far (bits): it is bold when it has bold letters and no others.
_BOLD_LETTER, _PLAIN_LETTER = 1, 2
# Run content that adds a character whatever the run's properties (w:br: see body.PartWalker.item).
_PLAIN_ITEMS = {W_TAB: "\t", W_PTAB: "\t", W_CR: "\n", W_NOBREAKHYPHEN: "-"}
# Run content the full walk gives more than text for (fields, symbols, deleted text, drawings, ...):
# every tag body.PartWalker.item reads but the ones above. Anything else in a run gives nothing.
_ITEMS_GIVE_UP = frozenset({W_FLDCHAR, W_DELTEXT, M_T, W_SYM, W_DRAWING, W_PICT, W_OBJECT, MC_ALTERNATE, W_RUBY})
# rPr elements that change a run's key, symbol font or which bold counts (rFonts: only a symbol font).
_RPR_GIVE_UP = frozenset({W_STRIKE, W_DSTRIKE, W_RSTYLE, W_RTL, W_CS})


class PlainParagraph:
    """The fast half of ``body.PartWalker``; no state of its own."""

    __slots__ = ()

    def plain(self, p: etree._Element, flags: int) -> Optional[Paragraph]:
        """``p`` read as plain runs, or None when it holds more (see the module's notes)."""
        if flags & DEL:  # deleted text: its letters do not count for bold
            return None
        self.pstyle, self.p_style = None, self.p_default  # paragraph_props sets them when a pPr says
        style = self.p_default
        style_bold = style.bold
        direct_list = outline = None
        texts: list[str] = []
        letters, ran = 0, False
        for el in p:
            tag = el.tag
            if tag == W_R:  # the run's content read here, not in a call of its own: most paragraphs are runs
                ran = True
                bold = style_bold
                for c in el:
                    ctag = c.tag
                    if ctag == W_T:
                        text = c.text
                        if text:
                            ascii_ = text.isascii()
                            if not ascii_ and GLYPH_RE.search(text) is not None:
                                return None
                            if letters == 0 or (letters == _BOLD_LETTER and not bold):  # else nothing changes
                                if text.lstrip(ASCII_NOT_LETTERS) if ascii_ else LETTER.search(text):
                                    letters |= _BOLD_LETTER if bold else _PLAIN_LETTER
                            texts.append(text)
                    elif ctag == W_RPR:
                        bold = _run_bold(c, style_bold)
                        if bold is _GIVE_UP:
                            return None
                    elif _item(c, ctag, texts):
                        return None
            elif tag == W_PPR:
                if ran:
                    return None
                direct_list, outline = self.paragraph_props(el)
                style = self.p_style
                style_bold = style.bold
            elif len(el) or tag == M_R:
                return None
        return self._paragraph(texts, letters == _BOLD_LETTER, flags, style, direct_list, outline)

    def _paragraph(
        self, texts: list[str], bold: bool, flags: int, style: ParagraphStyle, direct_list: Optional[bool], outline: Optional[bool]
    ) -> Optional[Paragraph]:
        """The paragraph of the plain runs' ``texts``, or None when its style is in a symbol font (ticks, mapped text)."""
        if style.sym is not None:
            return None
        if texts:
            struck, deleted, inserted = _FLAGS[flags | style.key]
            text = texts[0] if len(texts) == 1 else "".join(texts)
            inlines = [Run(text, struck, deleted, inserted)]
        else:
            text, inlines = "", []
        return Paragraph(  # every field by position (PARAGRAPH_FIELDS): keywords cost a third more
            inlines,
            style.list_item if direct_list is None else direct_list,
            self.origin,
            None, None, None, None,  # confidence, low, page, box
            style.heading if outline is None else outline,
            bold,
            text,  # Paragraph.text, known here: the mapping asks for it many times
        )


def _item(c: etree._Element, ctag, texts: list[str]) -> bool:
    """Adds what run content other than ``w:t`` and ``w:rPr`` shows to ``texts``; True when it is more
    than plain runs know."""
    if ctag in _PLAIN_ITEMS:
        texts.append(_PLAIN_ITEMS[ctag])
    elif ctag == W_BR:
        if texts or c.get(W_TYPE) not in BREAK_SILENT_AT_START:
            texts.append("\n")
    else:
        return ctag in _ITEMS_GIVE_UP
    return False


def _run_bold(rpr: etree._Element, inherited: bool):
    """Whether a run with this ``w:rPr`` is bold, or ``_GIVE_UP`` when the rPr sets more than plain runs know."""
    bold = None
    for q in rpr:
        qtag = q.tag
        if qtag == W_B:
            bold = on_off(q) if q.values() else True  # a bare <w:b/>: values() is a fifth of get()
        elif qtag in _RPR_GIVE_UP:
            return _GIVE_UP
        elif qtag == W_RFONTS:
            font = rfonts_symbol(q)
            if font is not UNSET and font is not None:
                return _GIVE_UP
    return inherited if bold is None else bold
