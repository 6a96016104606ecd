"""What a run's content becomes: ``Run`` text and ``TickBox`` es, in place.

The output half of ``body.PartWalker`` (which supplies ``note``, ``inlines``,
``buf``, ``buf_key`` and the paragraph's bold counts): text that may hold tick
glyphs or be in a symbol font, ``w:sym`` characters, the buffer that joins
adjacent text with the same flags into one ``Run``, and whether every letter
of the paragraph is bold.
"""

from __future__ import annotations

import re
from typing import Optional

from lxml import etree

from ...layout import TICK_GLYPHS, Run, TickBox
from ...text import INVALID_CHARACTER, INVALID_CHARACTER_MESSAGE, replace_invalid
from .ns import DEL, INS, STRUCK, W_CHAR, W_FONT
from .symbols import GLYPH_RE, GLYPH_TICKS, low_byte, parse_char, symbol_font_key, symbol_text, symbol_tick

# key -> (struck, deleted, inserted)
_FLAGS = tuple((bool(k & STRUCK), bool(k & DEL), bool(k & INS)) for k in range(8))
# layout.Paragraph's fields in order: the walk passes them all by position (keywords and defaults cost
# a third more per paragraph); tests/test_docx_plain.py checks the order.
PARAGRAPH_FIELDS = ("inlines", "list_item", "origin", "confidence", "low", "page", "box", "heading", "bold", "_text")
LETTER = re.compile(r"[^\W\d_]")
# The ASCII characters LETTER does not match: an ASCII text has a letter when text.lstrip(them) is not
# empty (half the cost of LETTER.search).
ASCII_NOT_LETTERS = "".join(chr(c) for c in range(128) if LETTER.match(chr(c)) is None)


class InlineOutput:
    """Run content out as inlines. Mixed into ``PartWalker``; no state of its own."""

    __slots__ = ()

    def weigh(self, text: str, key: int) -> None:
        """Keep count of whether every letter of the paragraph is bold (text of the current run)."""
        if not key & DEL and LETTER.search(text) is not None:
            if self.r_bold:
                self.lettered = True
            else:
                self.all_bold = False

    def text(self, text: str, key: int, sym: Optional[str]) -> None:
        """Text that may hold tick glyphs or be in a symbol font."""
        if sym is not None:
            for ch in text:
                code = ord(ch)
                checked = symbol_tick(sym, code)
                if checked is None:
                    self.add_symbol(symbol_text(sym, code), key)
                else:
                    self.tick(checked, "symbol", key, ch)
            return
        pos = 0
        for m in GLYPH_RE.finditer(text):
            start = m.start()
            if start > pos:
                self.add(text[pos:start], key)
            glyph = m.group()
            self.tick(GLYPH_TICKS[glyph], "glyph", key, glyph)
            pos = m.end()
        if pos < len(text):
            self.add(text[pos:], key)

    def sym(self, c: etree._Element, key: int) -> None:
        code = parse_char(c.get(W_CHAR))
        if code is None or not 0 < code < 0x110000:
            return
        font = symbol_font_key(c.get(W_FONT))
        if font is not None and low_byte(code) is not None:
            checked = symbol_tick(font, code)
            if checked is None:
                self.add_symbol(symbol_text(font, code), key)
            else:
                self.tick(checked, "symbol", key)
            return
        ch = chr(code)
        checked = GLYPH_TICKS.get(ch)
        if checked is None:
            self.add_symbol(ch, key)
        else:
            self.tick(checked, "symbol", key, ch)

    def add(self, text: str, key: int) -> None:
        if key != self.buf_key:
            if self.buf:
                self.flush()
            self.buf_key = key
        self.buf.append(text)

    def add_symbol(self, text: str, key: int) -> None:
        """A ``w:sym`` or symbol-font character, which may be one no document can hold."""
        self.add(text, key)
        self.buf_check = True

    def flush(self) -> None:
        """The buffered text as one ``Run``: every text path (w:t, w:sym, symbol fonts, fields) ends here.

        Only a ``w:sym`` or symbol-font code can be a character no document can hold (XML text and
        attributes cannot): the text is checked only when one of those was added (``buf_check``).
        """
        buf = self.buf
        text = buf[0] if len(buf) == 1 else "".join(buf)
        if self.buf_check:
            self.buf_check = False
            text, invalid = replace_invalid(text)
            if invalid:
                self.note(INVALID_CHARACTER, INVALID_CHARACTER_MESSAGE)
        struck, deleted, inserted = _FLAGS[self.buf_key]
        self.inlines.append(Run(text, struck, deleted, inserted))
        self.buf = []

    def tick(self, checked: Optional[bool], encoding: str, key: int, glyph: str = "") -> None:
        if key & DEL:  # no longer there: keep what it showed, as deleted text
            self.add(glyph or TICK_GLYPHS[checked], key)
            return
        if self.buf:
            self.flush()
        self.inlines.append(TickBox(checked, encoding))
        if checked is None:
            self.note(
                "tick-box-unknown",
                "A tick box is present but its state could not be read; it is reported as unknown.",
            )
