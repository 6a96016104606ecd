"""Which characters are tick boxes, and what symbol-font characters mean (Word side).

The tables live in ``msp_convert.glyphs``, shared with the PDF reader; this
module re-exports what the Word reader uses and adds the ``w:char`` parser.
"""

from __future__ import annotations

from typing import Optional

from ...glyphs import (
    GLYPH_RE,
    GLYPH_TICKS,
    SYMBOL_TICKS,
    low_byte,
    symbol_font_key,
    symbol_text,
    symbol_tick,
)

__all__ = [
    "GLYPH_RE",
    "GLYPH_TICKS",
    "SYMBOL_TICKS",
    "low_byte",
    "parse_char",
    "symbol_font_key",
    "symbol_text",
    "symbol_tick",
]


def parse_char(value: Optional[str]) -> Optional[int]:
    """A ``w:char`` hex code ("F0FE", "00FE", "FE") as an int; None if unreadable."""
    if not value:
        return None
    try:
        return int(value.strip(), 16)
    except ValueError:
        return None
