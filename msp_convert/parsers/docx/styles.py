"""When is a run struck? Effective strikethrough (and symbol font) from styles.xml.

The rule, for ``w:strike`` and ``w:dstrike`` separately: the value comes from
the first level that sets it:

1. the run's own ``w:rPr`` (the body parser reads that; see ``direct``),
2. the character style (``w:rStyle``, through its ``w:basedOn`` chain; with no
   ``w:rStyle``, the default character style),
3. the paragraph style (``w:pStyle`` through ``w:basedOn``; with none, the
   default paragraph style),
4. ``w:docDefaults/w:rPrDefault``.

ST_OnOff: a missing ``w:val``, "1", "true", "on" mean ON; "0", "false", "off"
mean OFF. A run is struck when strike OR dstrike is ON.

The run's font is resolved the same way, only to tell whether its text is in a
symbol font (Wingdings, Symbol, ...). Levels 2-4 depend only on the pair
(pStyle, rStyle), so they are computed once per pair and cached.
"""

from __future__ import annotations

from typing import Optional

from lxml import etree

from .ns import (
    W_ASCII,
    W_ASCII_THEME,
    W_BASEDON,
    W_DEFAULT,
    W_DOCDEFAULTS,
    W_DSTRIKE,
    W_HANSI,
    W_HANSI_THEME,
    W_NUMID,
    W_NUMPR,
    W_PPR,
    W_RFONTS,
    W_RPR,
    W_RPRDEFAULT,
    W_RSTYLE,
    W_STRIKE,
    W_STYLE,
    W_STYLE_ID,
    W_TYPE,
    W_VAL,
)
from .symbols import symbol_font_key

_ON = frozenset({"1", "true", "on"})
_OFF = frozenset({"0", "false", "off", "none"})
_MAX_CHAIN = 64

# "not set at this level": distinct from None (font set, but not a symbol font)
UNSET = object()


def on_off(el: etree._Element) -> Optional[bool]:
    """An ST_OnOff element's value; None when ``w:val`` is not a recognised spelling."""
    v = el.get(W_VAL)
    if v is None:
        return True
    v = v.strip().lower()
    if v in _ON:
        return True
    if v in _OFF:
        return False
    return None


def rfonts_symbol(el: etree._Element):
    """What a ``w:rFonts`` element says about symbol fonts.

    ``UNSET`` when it names no ascii/hAnsi font (the level above decides), else
    the symbol-font key ("wingdings", "symbol", ...) or None for a text font.
    """
    ascii_ = el.get(W_ASCII)
    hansi = el.get(W_HANSI)
    if ascii_ is None and hansi is None:
        if el.get(W_ASCII_THEME) is None and el.get(W_HANSI_THEME) is None:
            return UNSET
        return None  # theme fonts are text fonts
    return symbol_font_key(ascii_) or symbol_font_key(hansi)


class _Style:
    __slots__ = ("type", "based_on", "strike", "dstrike", "font", "list_item")

    def __init__(self, el: etree._Element) -> None:
        self.type = el.get(W_TYPE) or "paragraph"
        self.based_on: Optional[str] = None
        self.strike: Optional[bool] = None
        self.dstrike: Optional[bool] = None
        self.font = UNSET
        self.list_item: Optional[bool] = None
        for child in el:
            tag = child.tag
            if tag == W_BASEDON:
                self.based_on = child.get(W_VAL)
            elif tag == W_RPR:
                self.strike, self.dstrike, self.font, _ = rpr_levels(child)
            elif tag == W_PPR:
                for q in child:
                    if q.tag == W_NUMPR:
                        self.list_item = numpr_is_list(q)


def rpr_levels(rpr: etree._Element):
    """(strike, dstrike, symbol font, character style) that one ``w:rPr`` sets.

    None (UNSET for the font) where it says nothing, so the level below decides.
    """
    strike = dstrike = rstyle = None
    font = UNSET
    for q in rpr:
        tag = q.tag
        if tag == W_STRIKE:
            strike = on_off(q)
        elif tag == W_DSTRIKE:
            dstrike = on_off(q)
        elif tag == W_RSTYLE:
            rstyle = q.get(W_VAL)
        elif tag == W_RFONTS:
            font = rfonts_symbol(q)
    return strike, dstrike, font, rstyle


def numpr_is_list(numpr: etree._Element) -> bool:
    """numPr makes a list item unless its numId is 0 ("numbering removed")."""
    for q in numpr:
        if q.tag == W_NUMID:
            return (q.get(W_VAL) or "").strip() != "0"
    return True


class Styles:
    """The style sheet of one document, with the (pStyle, rStyle) lookups cached."""

    def __init__(self, root: Optional[etree._Element]) -> None:
        self._styles: dict[str, _Style] = {}
        self._default = {"paragraph": None, "character": None}
        self._doc = (None, None, UNSET)
        self._cache: dict[tuple, tuple] = {}
        self._list_cache: dict[Optional[str], bool] = {}
        if root is None:
            return
        for el in root:
            tag = el.tag
            if tag == W_STYLE:
                sid = el.get(W_STYLE_ID)
                if sid is None:
                    continue
                style = _Style(el)
                self._styles.setdefault(sid, style)
                if on_off_attr(el.get(W_DEFAULT)) and self._default.get(style.type, 0) is None:
                    self._default[style.type] = sid
            elif tag == W_DOCDEFAULTS:
                for d in el:
                    if d.tag == W_RPRDEFAULT:
                        for rpr in d:
                            if rpr.tag == W_RPR:
                                self._doc = rpr_levels(rpr)[:3]

    def inherited(self, pstyle: Optional[str], rstyle: Optional[str]) -> tuple:
        """(strike, dstrike, symbol font) a run gets from levels 2-4.

        strike/dstrike are True/False; the font is a symbol-font key or None.
        """
        key = (pstyle, rstyle)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        strike = dstrike = None
        font = UNSET
        levels = []
        levels.extend(self._chain(rstyle, "character"))
        levels.extend(self._chain(pstyle, "paragraph"))
        for style in levels:
            if strike is None:
                strike = style.strike
            if dstrike is None:
                dstrike = style.dstrike
            if font is UNSET:
                font = style.font
        d_strike, d_dstrike, d_font = self._doc
        if strike is None:
            strike = d_strike
        if dstrike is None:
            dstrike = d_dstrike
        if font is UNSET:
            font = d_font
        hit = (bool(strike), bool(dstrike), None if font is UNSET else font)
        self._cache[key] = hit
        return hit

    def is_list_style(self, pstyle: Optional[str]) -> bool:
        """The paragraph style (through basedOn) gives its paragraphs numbering."""
        hit = self._list_cache.get(pstyle)
        if hit is None:
            hit = False
            for style in self._chain(pstyle, "paragraph"):
                if style.list_item is not None:
                    hit = style.list_item
                    break
            self._list_cache[pstyle] = hit
        return hit

    def _chain(self, sid: Optional[str], kind: str) -> list[_Style]:
        """The style and its basedOn ancestors, nearest first; cycles cut."""
        if sid is None or sid not in self._styles:
            sid = self._default[kind]
        out: list[_Style] = []
        seen: set[str] = set()
        while sid is not None and sid not in seen and len(out) < _MAX_CHAIN:
            style = self._styles.get(sid)
            if style is None:
                break
            seen.add(sid)
            out.append(style)
            sid = style.based_on
        return out


def on_off_attr(v: Optional[str]) -> bool:
    """An ST_OnOff attribute (absent = off here: it is w:default="1" on a style)."""
    return v is not None and v.strip().lower() in _ON
