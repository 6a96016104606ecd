"""Which characters are tick boxes, and what symbol-font characters mean.

Shared by the Word and the PDF reader, so both read one table. Two kinds of
tick box live in text:

* Unicode glyphs in any font (``GLYPH_TICKS``): ☐ □ empty; ☒ ☑ ✓ ✔ ✗ ✘ marked.
* Symbol-font characters (``SYMBOL_TICKS``). Word stores their codes as
  U+F0xx (or plain 0x00-0xFF); a PDF gives them as U+F0xx, as the plain low
  byte, or, when the font has no Unicode map, as ``"(cid:N)"``. All are
  normalised to the low byte.

Any other symbol-font character is text: the Unicode character it shows where
that is known (the Symbol font is Adobe's Symbol encoding), else the Private
Use Area character U+F0xx, so nothing is lost.

Floor 1: imports nothing from the package.
"""

from __future__ import annotations

import re
from typing import Optional

# Unicode tick-box glyphs -> checked
GLYPH_TICKS: dict[str, bool] = {
    "\u2610": False,  # ☐ ballot box
    "\u25a1": False,  # □ white square
    "\u2612": True,  # ☒ ballot box with X
    "\u2611": True,  # ☑ ballot box with check
    "\u2713": True,  # ✓ check mark
    "\u2714": True,  # ✔ heavy check mark
    "\u2717": True,  # ✗ ballot X
    "\u2718": True,  # ✘ heavy ballot X
    "\u2716": True,  # ✖ heavy multiplication X (ZapfDingbats 0x36), marked like ✗
    "\u274f": False,  # ❏ lower right drop-shadowed white square (ZapfDingbats 0x6F)
    "\u2750": False,  # ❐ upper right drop-shadowed white square (0x70)
    "\u2751": False,  # ❑ lower right shadowed white square (0x71)
    "\u2752": False,  # ❒ upper right shadowed white square (0x72)
    "\u22a0": True,  # ⊠ squared times
    "\U0001f5f9": True,  # 🗹 ballot box with bold check
    "\U0001f5f7": True,  # 🗷 ballot box with bold script X
}
GLYPH_RE = re.compile("[" + "".join(GLYPH_TICKS) + "]")

# Symbol fonts as Word names them (w:rFonts, w:sym), by lower-cased name.
_SYMBOL_FONTS = {
    "wingdings": "wingdings",
    "wingdings 2": "wingdings 2",
    "wingdings 3": "wingdings 3",
    "webdings": "webdings",
    "symbol": "symbol",
    "ms outlook": "ms outlook",
}

# Symbol fonts as a PDF names them ("ABCDEF+Wingdings-Regular", "Wingdings2",
# "SymbolMT"): the base name without subset prefix, style suffix, spaces or case.
_PDF_SYMBOL_FONTS = {
    "wingdings": "wingdings",
    "wingdings2": "wingdings 2",
    "wingdings3": "wingdings 3",
    "webdings": "webdings",
    "symbol": "symbol",
    "symbolmt": "symbol",
    "symbolps": "symbol",
    "msoutlook": "ms outlook",
    "zapfdingbats": "zapfdingbats",  # AcroForm check marks, flattened
    "itczapfdingbats": "zapfdingbats",
}
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_STYLE = re.compile(r"[-,].*$")

# (font, low byte) -> checked
SYMBOL_TICKS: dict[tuple[str, int], bool] = {
    ("wingdings", 0xA8): False,  # empty box
    ("wingdings", 0x6F): False,
    ("wingdings", 0x71): False,
    ("wingdings", 0x72): False,
    ("wingdings", 0xFE): True,  # ☑
    ("wingdings", 0xFD): True,  # ☒
    ("wingdings", 0x78): True,  # ⌧
    ("wingdings", 0xFC): True,  # ✓
    ("wingdings", 0xFB): True,  # ✗
    ("wingdings 2", 0xA3): False,
    ("wingdings 2", 0xA2): False,
    ("wingdings 2", 0x2A): False,
    ("wingdings 2", 0x52): True,  # box with tick
    ("wingdings 2", 0x53): True,  # box with cross
    ("wingdings 2", 0x54): True,  # box with cross
    ("wingdings 2", 0x50): True,  # ✓
    ("wingdings 2", 0x4F): True,  # ✗
    ("symbol", 0xD6): True,  # √
    # ZapfDingbats reaches only PDFs (Word has no such font key)
    ("zapfdingbats", 0x33): True,  # ✓
    ("zapfdingbats", 0x34): True,  # ✔
    ("zapfdingbats", 0x37): True,  # ✗
    ("zapfdingbats", 0x36): True,  # ✖
    ("zapfdingbats", 0x38): True,  # ✘
    ("zapfdingbats", 0x6F): False,  # ❏
    ("zapfdingbats", 0x70): False,  # ❐
    ("zapfdingbats", 0x71): False,  # ❑
    ("zapfdingbats", 0x72): False,  # ❒
}

# Adobe Symbol encoding, 0x20-0xFE (gaps: no Unicode equivalent, kept as PUA).
_SYMBOL_LOW = (
    " !\u2200#\u2203%&\u220b()\u2217+,\u2212./0123456789:;<=>?"
    "\u2245\u0391\u0392\u03a7\u0394\u0395\u03a6\u0393\u0397\u0399\u03d1\u039a\u039b\u039c\u039d\u039f"
    "\u03a0\u0398\u03a1\u03a3\u03a4\u03a5\u03c2\u03a9\u039e\u03a8\u0396[\u2234]\u22a5_"
    "\uf060\u03b1\u03b2\u03c7\u03b4\u03b5\u03c6\u03b3\u03b7\u03b9\u03d5\u03ba\u03bb\u03bc\u03bd\u03bf"
    "\u03c0\u03b8\u03c1\u03c3\u03c4\u03c5\u03d6\u03c9\u03be\u03c8\u03b6{|}\u223c"
)
_SYMBOL_HIGH = (
    "\u20ac\u03d2\u2032\u2264\u2044\u221e\u0192\u2663\u2666\u2665\u2660\u2194\u2190\u2191\u2192\u2193"
    "\u00b0\u00b1\u2033\u2265\u00d7\u221d\u2202\u2022\u00f7\u2260\u2261\u2248\u2026\u23d0\u23af\u21b5"
    "\u2135\u2111\u211c\u2118\u2297\u2295\u2205\u2229\u222a\u2283\u2287\u2284\u2282\u2286\u2208\u2209"
    "\u2220\u2207\u00ae\u00a9\u2122\u220f\u221a\u22c5\u00ac\u2227\u2228\u21d4\u21d0\u21d1\u21d2\u21d3"
    "\u25ca\u2329\u00ae\u00a9\u2122\u2211\uf0e6\uf0e7\uf0e8\uf0e9\uf0ea\uf0eb\uf0ec\uf0ed\uf0ee\uf0ef"
    "\uf0f0\u232a\u222b\u2320\u23ae\u2321"
    + "".join(chr(c) for c in range(0xF0F6, 0xF0FF))  # bracket pieces: no Unicode
)
_MEANINGS: dict[tuple[str, int], str] = {}
for _i, _c in enumerate(_SYMBOL_LOW):
    _MEANINGS[("symbol", 0x20 + _i)] = _c
for _i, _c in enumerate(_SYMBOL_HIGH):
    _MEANINGS[("symbol", 0xA0 + _i)] = _c
_MEANINGS.update(
    {
        ("wingdings", 0x4A): "\u263a",  # ☺
        ("wingdings", 0x4B): "\U0001f610",  # 😐
        ("wingdings", 0x4C): "\u2639",  # ☹
        ("wingdings", 0x6C): "\u25cf",  # ●
        ("wingdings", 0x6E): "\u25a0",  # ■
        ("wingdings", 0x9F): "\u2022",  # •
        ("wingdings", 0xA7): "\u25aa",  # ▪
        ("wingdings", 0xD8): "\u27a2",  # ➢
        ("wingdings", 0xE8): "\u2794",  # ➔
    }
)
del _i, _c


def symbol_font_key(name: Optional[str]) -> Optional[str]:
    """The table key of a symbol font as Word names it ("Wingdings 2"), or None for a text font."""
    if not name:
        return None
    return _SYMBOL_FONTS.get(name.strip().lower())


_pdf_font_cache: dict[str, Optional[str]] = {}


def pdf_symbol_font_key(fontname: Optional[str]) -> Optional[str]:
    """The table key of a symbol font as a PDF names it, or None for a text font.

    "ABCDEF+Wingdings-Regular", "Wingdings2", "Wingdings 2,Bold", "SymbolMT"
    all resolve; the subset prefix, the style suffix, spaces and case do not count.
    """
    if not fontname:
        return None
    key = _pdf_font_cache.get(fontname, "")
    if key != "":
        return key
    base = _STYLE.sub("", _SUBSET.sub("", fontname.strip()))
    key = _PDF_SYMBOL_FONTS.get(base.replace(" ", "").lower())
    if len(_pdf_font_cache) < 4096:
        _pdf_font_cache[fontname] = key
    return key


def low_byte(code: int) -> Optional[int]:
    """A symbol-font code (0x00-0xFF or U+F000-U+F0FF) as its low byte, else None."""
    if code < 0x100:
        return code
    if 0xF000 <= code <= 0xF0FF:
        return code - 0xF000
    return None


def symbol_tick(font: Optional[str], code: int) -> Optional[bool]:
    """checked for a tick-box character of a symbol font, None if it is not one."""
    low = low_byte(code)
    if low is None or font is None:
        return None
    return SYMBOL_TICKS.get((font, low))


def symbol_text(font: Optional[str], code: int) -> str:
    """What a non-tick symbol-font character means, as text."""
    if font is None or not 0 <= code < 0x110000:
        return chr(code) if 0 < code < 0x110000 else "\ufffd"
    low = low_byte(code)
    if low is None:
        return chr(code)
    if low == 0x20:
        return " "
    known = _MEANINGS.get((font, low))
    return known if known is not None else chr(0xF000 + low)


_CID = re.compile(r"^\(cid:(\d{1,3})\)$")


def char_code(text: str) -> Optional[int]:
    """The code of one character as a PDF text layer gives it: "x", or "(cid:N)" for an unmapped glyph."""
    if len(text) == 1:
        return ord(text)
    m = _CID.match(text)
    return int(m.group(1)) if m else None


def tick_state(text: str, font: Optional[str]) -> Optional[bool]:
    """Whether ``text`` in a font with symbol key ``font`` is a tick box: its state, else None.

    ``font`` is a key from ``symbol_font_key``/``pdf_symbol_font_key`` (None: a
    text font). In a symbol font the low byte decides (U+F0FE, "þ" and
    "(cid:254)" in Wingdings are all ☑); a Unicode tick glyph counts in any font.
    A "(cid:N)" in a text font cannot be told and is not a tick box.
    """
    if font is not None:
        code = char_code(text)
        if code is not None:
            checked = symbol_tick(font, code)
            if checked is not None:
                return checked
    elif len(text) == 1 and 0xF000 <= ord(text) <= 0xF0FF:
        # A Private Use code of Word's symbol-font range, drawn in another font
        # (LibreOffice substitutes OpenSymbol or DejaVu for a missing Wingdings):
        # the original font is lost, so try the fonts tick boxes come from.
        for guess in _SUBSTITUTED:
            checked = symbol_tick(guess, ord(text))
            if checked is not None:
                return checked
    return GLYPH_TICKS.get(text)


_SUBSTITUTED = ("wingdings", "wingdings 2")
