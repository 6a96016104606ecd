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
symbol font (Wingdings, Symbol, ...), and so is bold (``w:b``; ``w:bCs`` for a
run marked complex-script by ``w:rtl`` or ``w:cs``), only to tell whether every
letter of a paragraph is bold (a heading the document marks by hand). Levels
2-4 depend only on the pair (pStyle, rStyle), so they are computed once per
pair and cached.

A paragraph style is a heading style when it, or the nearest style of its
``w:basedOn`` chain that says anything, is named or identified as a heading
("heading 1".."heading 9", "Title", "Subtitle") or sets ``w:outlineLvl`` 0-8
(level 9 is body text: a style saying so is not a heading).
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from lxml import etree

from .ns import (
    W_ASCII,
    W_ASCII_THEME,
    W_B,
    W_BASEDON,
    W_BCS,
    W_CS,
    W_DEFAULT,
    W_DOCDEFAULTS,
    W_DSTRIKE,
    W_HANSI,
    W_HANSI_THEME,
    W_NAME,
    W_NUMID,
    W_NUMPR,
    W_OUTLINELVL,
    W_PPR,
    W_RFONTS,
    W_RPR,
    W_RPRDEFAULT,
    W_RSTYLE,
    W_RTL,
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
# Style ids and names of heading and title styles (built-in names are lower case
# in styles.xml: "heading 1"; ids are "Heading1", or localised for other languages).
_HEADING_STYLE = re.compile(r"(?:heading ?[1-9]|title|subtitle)", re.IGNORECASE)

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


class RunProps(NamedTuple):
    """What one ``w:rPr`` sets: None (UNSET for the font) where it says nothing."""

    strike: Optional[bool] = None
    dstrike: Optional[bool] = None
    font: object = UNSET
    rstyle: Optional[str] = None
    bold: Optional[bool] = None  # w:b
    bold_cs: Optional[bool] = None  # w:bCs, for complex-script runs
    cs: bool = False  # the run is complex script (w:rtl or w:cs on)


_NO_PROPS = RunProps()


class _Style:
    __slots__ = ("type", "based_on", "props", "list_item", "heading")

    def __init__(self, el: etree._Element) -> None:
        self.type = el.get(W_TYPE) or "paragraph"
        self.based_on: Optional[str] = None
        self.props = _NO_PROPS
        self.list_item: Optional[bool] = None
        # True: a heading or title style; False: says it is body text; None: says nothing
        self.heading: Optional[bool] = True if _HEADING_STYLE.fullmatch(el.get(W_STYLE_ID) or "") else None
        for child in el:
            tag = child.tag
            if tag == W_BASEDON:
                self.based_on = child.get(W_VAL)
            elif tag == W_NAME and _HEADING_STYLE.fullmatch((child.get(W_VAL) or "").strip()):
                self.heading = True
            elif tag == W_RPR:
                self.props = rpr_levels(child)
            elif tag == W_PPR:
                self._ppr(child)

    def _ppr(self, ppr: etree._Element) -> None:
        for q in ppr:
            if q.tag == W_NUMPR:
                self.list_item = numpr_is_list(q)
            elif q.tag == W_OUTLINELVL and self.heading is None:
                self.heading = outline_heading(q)


def outline_heading(el: etree._Element) -> Optional[bool]:
    """A ``w:outlineLvl``: levels 0-8 are headings, 9 is body text; None if unreadable."""
    v = (el.get(W_VAL) or "").strip()
    if len(v) == 1 and v.isdigit():
        return v != "9"
    return None


def rpr_levels(rpr: etree._Element) -> RunProps:
    """What one ``w:rPr`` sets (strike, dstrike, symbol font, character style, bold)."""
    strike = dstrike = rstyle = bold = bold_cs = None
    cs = False
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
        elif tag == W_B:  # mostly a bare <w:b/>: on without a call
            bold = on_off(q) if q.values() else True  # values(): a fifth of the cost of get()
        elif tag == W_BCS:
            bold_cs = on_off(q)
        elif tag == W_RTL or tag == W_CS:
            cs = cs or on_off(q) is True
    return RunProps(strike, dstrike, font, rstyle, bold, bold_cs, cs)


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
        self._doc = _NO_PROPS
        self._cache: dict[tuple, tuple] = {}
        self._list_cache: dict[Optional[str], bool] = {}
        self._heading_cache: dict[Optional[str], bool] = {}
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
                                self._doc = rpr_levels(rpr)

    def inherited(self, pstyle: Optional[str], rstyle: Optional[str]) -> tuple:
        """(strike, dstrike, symbol font, bold, bold_cs) a run gets from levels 2-4.

        strike, dstrike, bold and bold_cs are True/False; the font is a
        symbol-font key or None.
        """
        key = (pstyle, rstyle)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        levels = [s.props for s in self._chain(rstyle, "character")]
        levels.extend(s.props for s in self._chain(pstyle, "paragraph"))
        levels.append(self._doc)
        strike = _first(levels, 0, None)
        dstrike = _first(levels, 1, None)
        font = _first(levels, 2, UNSET)
        bold = _first(levels, 4, None)
        bold_cs = _first(levels, 5, None)
        hit = (bool(strike), bool(dstrike), None if font is UNSET else font, bool(bold), bool(bold_cs))
        self._cache[key] = hit
        return hit

    def is_heading_style(self, pstyle: Optional[str]) -> bool:
        """The paragraph style (through basedOn) is a heading or title style."""
        return self._inherited(pstyle, "heading", self._heading_cache)

    def is_list_style(self, pstyle: Optional[str]) -> bool:
        """The paragraph style (through basedOn) gives its paragraphs numbering."""
        return self._inherited(pstyle, "list_item", self._list_cache)

    def _inherited(self, pstyle: Optional[str], attr: str, cache: dict[Optional[str], bool]) -> bool:
        """A paragraph style's yes/no property: the nearest style in its chain that says, else no (cached)."""
        hit = cache.get(pstyle)
        if hit is None:
            said = (getattr(style, attr) for style in self._chain(pstyle, "paragraph"))
            hit = cache[pstyle] = next((value for value in said if value is not None), False)
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


def _first(levels: list[RunProps], index: int, unset: object):
    """The value of the first level (nearest first) that sets property ``index``."""
    for props in levels:
        value = props[index]
        if value is not unset:
            return value
    return unset


def on_off_attr(v: Optional[str]) -> bool:
    """An ST_OnOff attribute (absent = off here: it is w:default="1" on a style)."""
    return v is not None and v.strip().lower() in _ON
