"""Reading order: glyphs into lines, lines into paragraphs, paragraphs into runs.

A PDF keeps no paragraphs, only positioned glyphs. A line ends a paragraph
when the next line's first word would have fitted after it (so the break was
made on purpose), when a clear gap follows it, or when the next line starts
with a bullet or a tick box; otherwise the text wrapped and the paragraph goes
on. Soft line breaks inside one Word paragraph look like deliberate breaks
and so read as separate paragraphs: a known, listed difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Collection, Iterable, Optional

from ...layout import Inline, Paragraph, Run, TickBox
from .records import Glyph

_BULLETS = frozenset("-\u2013\u2022\u00b7\u25aa\u25cf\u2023\u2043\uf0b7\uf0a7*\u25e6")


@dataclass(slots=True)
class TextLine:
    glyphs: list[Glyph]
    top: float
    bottom: float
    x0: float
    x1: float
    join: str = " "  # what goes between this line and the one before, in one paragraph

    @property
    def height(self) -> float:
        return self.bottom - self.top


def make_lines(glyphs: Iterable[Glyph], ordered: bool = False) -> list[TextLine]:
    """Glyphs grouped into lines (top to bottom), each sorted left to right.

    ``ordered``: the glyphs come in a stable sort by their middles already (``pages._by_middle``'s
    order, kept by placing them), so they are not sorted again.
    """
    lines: list[TextLine] = []
    line: Optional[TextLine] = None
    given = list(glyphs)
    middles = [(g.top + g.bottom) / 2 for g in given]
    if not ordered:
        order = sorted(range(len(given)), key=middles.__getitem__)
        given, middles = [given[n] for n in order], [middles[n] for n in order]
    members: list[Glyph] = []  # line.glyphs
    top = bottom = 0.0  # the band of ``line``, kept here while glyphs join it
    low = high = 0.0  # and that band widened by half a point
    for g, mid in zip(given, middles):
        # Either middle inside the other's band: a form field's box is taller than its text.
        if line is not None and (low <= mid <= high or g.top <= (top + bottom) / 2 <= g.bottom):
            if g.ocr:
                line.top, line.bottom = top, bottom
                if _over_a_word(line, g):
                    line = _split_off(line, g)
                    lines.append(line)
                    members, top, bottom = line.glyphs, line.top, line.bottom
                    low, high = top - 0.5, bottom + 0.5
                    continue
            members.append(g)
            if not g.is_tick:  # a box drawn taller than the text does not stretch the line
                if g.top < top:
                    top = low = g.top
                    low -= 0.5
                if g.bottom > bottom:
                    bottom = high = g.bottom
                    high += 0.5
        else:
            if line is not None:
                line.top, line.bottom = top, bottom
            top, bottom = g.top, g.bottom
            low, high = top - 0.5, bottom + 0.5
            members = [g]
            line = TextLine(members, top, bottom, g.x0, g.x1)
            lines.append(line)
    if line is not None:
        line.top, line.bottom = top, bottom
    for line in lines:
        _ends(line)
    return lines


def _ends(line: TextLine) -> None:
    """The line's glyphs sorted left to right, and its ends: those of its ink (trailing spaces do not
    show where the line ends), or of all its glyphs, in the order they joined it, when it has none."""
    glyphs = line.glyphs
    joined = glyphs[:]
    glyphs.sort(key=_left)
    ink = [g for g in glyphs if not g.text.isspace()]
    if not ink:
        line.x0, line.x1 = min([g.x0 for g in joined]), max([g.x1 for g in joined])
        return
    line.x1 = max([g.x1 for g in ink])
    line.x0 = min([g.x0 for g in ink])


_left = attrgetter("x0")


# Two words read from pixels that share this much of the narrower's width, their middles this much of
# the shorter's height apart, are on two lines.
WORD_OVERLAP = 0.5


def _word(g: Glyph) -> bool:
    return g.ocr and not g.is_tick and not g.text.isspace()


def _over_a_word(line: TextLine, g: Glyph) -> bool:
    """A word read from pixels that stands over or under a word of the line: two lines of print
    whose bands overlap (a toner-tall word stretched one over the next), never one. Words of one
    line sit side by side."""
    if not _word(g):
        return False
    return any(_word(o) and _stacked(o, g) for o in line.glyphs)


def _stacked(a: Glyph, b: Glyph) -> bool:
    """Two words, one over the other: they share most of the narrower's width, and their middles
    are apart by half the shorter's height or more (words side by side touch, at one height)."""
    across = min(a.x1, b.x1) - max(a.x0, b.x0) > WORD_OVERLAP * min(a.x1 - a.x0, b.x1 - b.x0)
    apart = abs((a.top + a.bottom) - (b.top + b.bottom)) / 2 >= WORD_OVERLAP * min(a.bottom - a.top, b.bottom - b.top)
    return across and apart


def _split_off(line: TextLine, g: Glyph) -> TextLine:
    """A new line for ``g`` and the glyphs of ``line`` at its height (a line read from pixels gives
    its words one band); ``line`` keeps the rest, its band made again from them."""
    mid, tol = (g.top + g.bottom) / 2, (g.bottom - g.top) / 4
    here = [abs((o.top + o.bottom) / 2 - mid) <= tol for o in line.glyphs]
    new = TextLine([], 0.0, 0.0, 0.0, 0.0)
    if all(here):  # the whole line at g's height: it stays as it is, g goes alone
        _bound(new, [g])
        return new
    moved, kept = [o for o, h in zip(line.glyphs, here) if h], [o for o, h in zip(line.glyphs, here) if not h]
    _bound(line, kept)
    _bound(new, moved + [g])
    return new


def _bound(line: TextLine, glyphs: list[Glyph]) -> None:
    """``line`` made of ``glyphs``: its band (boxes drawn taller than the text aside) and its ends."""
    text = [o for o in glyphs if not o.is_tick] or glyphs
    line.glyphs = glyphs
    line.top, line.bottom = min(o.top for o in text), max(o.bottom for o in text)
    line.x0, line.x1 = min(o.x0 for o in glyphs), max(o.x1 for o in glyphs)


def _first_word_width(line: TextLine) -> float:
    start = None
    for g in line.glyphs:
        if g.text.isspace():
            if start is not None:
                return g.x0 - start
            continue
        if start is None:
            start = g.x0
    return line.x1 - (start if start is not None else line.x0)


def _starts_new(line: TextLine) -> bool:
    for g in line.glyphs:
        if g.text.isspace():
            continue
        return g.is_tick or g.text[:1] in _BULLETS
    return False


# A line ending in one of these words or marks stops mid-phrase: the text wrapped.
_CONNECTORS = frozenset(",;:(-\u2013/&@=+\u00d7")
_FUNCTION_WORDS = frozenset(
    "a an the of to and or but with for in on at by from into onto as is are was be will can his her "
    "their my our your its this that these those who which when if than then per mr mrs ms miss dr".split()
)


_DAY = re.compile(r"\d{1,2}(?:st|nd|rd|th)?")
_MONTH = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d\b")


def _text(line: TextLine) -> str:
    return "".join([g.text for g in line.glyphs]).strip()


def _runs_on(prev: TextLine, line: TextLine) -> bool:
    """Where a line break could be a wrap or a new paragraph, the words decide."""
    before, after = _text(prev), _text(line)
    if not before or not after:
        return False
    if after[0].islower() or after[0] in ")]},.;:!?%":
        return True
    if before[-1] in _CONNECTORS:
        return True
    # What a bracket opens says more of the words before it ("classroom" / "(cream paper)"), after
    # words that end no sentence.
    if after[0] in "([" and before[-1] not in ".!?:":
        return True
    last = before.rsplit(" ", 1)[-1].strip(".,;:'\"").lower()
    if last in _FUNCTION_WORDS:
        return True
    # A date cut after its day ("R1 14th" / "March 2019") or its month ("14th March" / "2019").
    return bool(_DAY.fullmatch(last)) and bool(_MONTH.match(after)) or bool(_MONTH.fullmatch(last)) and bool(_YEAR.match(after))


_SHORT_WORDS = frozenset("a i an as at be by do go he if in is it me my no of on or so to up us we".split())


def _fragment(word: str) -> bool:
    """One or two lower-case letters that are no word: the tail of a broken word."""
    return 1 <= len(word) <= 2 and word.isalpha() and word.islower() and word not in _SHORT_WORDS


def _join(prev: TextLine, line: TextLine, left: float, right: float, spaced: bool, words: Collection[str] = ()) -> Optional[str]:
    """How ``line`` goes on from ``prev`` if the text wrapped there: " " or ""; None if not."""
    room = right - prev.x1
    if ends_in_space(prev):
        return " "
    if _breaks_after(prev):
        return ""
    nxt = next((g for g in line.glyphs if not g.text.isspace()), None)
    # Not even the next character would have fitted: a word broken at the
    # edge, and what wrapped is its tail ("Educatio" "n", "20/03/201" "9)").
    if nxt is not None and room < (nxt.x1 - nxt.x0) + 0.5 and _cut_word(prev, line, room, spaced, words):
        return ""
    if _centred(prev, line, left, right):
        # Centred text draws no space at a wrap: only the widths tell.
        fits = prev.x1 - prev.x0 + _first_word_width(line) + prev.height * 0.3 < right - left
        return None if fits else " "
    flush = room <= prev.height * 0.4  # less room than a space: the wrap's space was not drawn
    if spaced:
        # Filled to the edge: it wrapped. A little more room and no space drawn:
        # either could be true, and the words decide.
        return " " if room <= 1.5 or (flush and _runs_on(prev, line)) else None
    return " " if not _fitted(prev, line, right) and (flush or _runs_on(prev, line)) else None


def _fitted(prev: TextLine, line: TextLine, right: float) -> bool:
    """Would the next line's first word have fitted after this line?"""
    return prev.x1 + _first_word_width(line) + prev.height * 0.3 < right


SPACE = 0.278  # a space's width in ems (Arial, Liberation Sans, Helvetica)


def _space(line: TextLine) -> float:
    ink = next((g for g in reversed(line.glyphs) if not g.text.isspace()), None)
    return SPACE * (ink.size if ink is not None else line.height)


def _cut_word(prev: TextLine, line: TextLine, room: float, spaced: bool, words: Collection[str]) -> bool:
    """Is the start of ``line`` the tail of a word broken at the edge of ``prev``?

    A short tail that is no word ("n", "me") always is. A longer one ("ation")
    when the line before is that word's head alone (a word is broken only
    when it does not fit a line of its own) and either the wrap's space would
    have fitted (a producer that draws that space did not: no space there) or
    the whole word is written elsewhere on the page.
    """
    before = _text(prev)
    word = _text(line).split(" ", 1)[0]
    tail = before[-1:]
    if tail.isdigit():
        return word[:1].isdigit() and len(word.rstrip(").,;:")) <= 2
    if not tail.isalpha() or not word[:1].isalpha() or not word[:1].islower():
        return False
    if _fragment(word):
        return True
    head = before.lstrip("".join(_BULLETS) + " \t")
    if not head or " " in head:
        return False
    if spaced and room > _space(prev) + 0.5:
        return True
    return bare_word(head + word) in words


_EDGES = re.compile(r"^[^\w]+|[^\w]+$")


def bare_word(token: str) -> str:
    """A word as the page vocabulary keeps it: lower case, no punctuation at either end."""
    return _EDGES.sub("", token.lower())


def page_words(lines: Iterable[TextLine]) -> set[str]:
    """Every word written on a page, for telling a broken word from two words."""
    tokens: set[str] = set()
    for line in lines:
        tokens.update(_text(line).split())
    return {bare_word(t) for t in tokens}  # each token made bare once, however often it is written


def _centred(prev: TextLine, line: TextLine, left: float, right: float) -> bool:
    """Two lines of different widths, each centred between ``left`` and ``right``."""
    mid = (left + right) / 2
    return (
        abs(prev.x0 - line.x0) > 1.0
        and abs((prev.x0 + prev.x1) / 2 - mid) <= 1.0
        and abs((line.x0 + line.x1) / 2 - mid) <= 1.0
    )


def _breaks_after(line: TextLine) -> bool:
    """A line ending inside a word at a hyphen or slash ("3-" "word"): wrapped there."""
    text = _text(line)
    return len(text) >= 2 and text[-1] in "-/" and text[-2].isalnum()


def ends_in_space(line: TextLine) -> bool:
    """Does the line end in a space glyph a producer drew? A line read from pixels has none of
    its own: a space there was put between two words of a Tesseract line that ran on into the
    next cell, and says nothing of a wrap."""
    return bool(line.glyphs) and line.glyphs[-1].text.isspace() and not from_pixels(line)


def from_pixels(line: TextLine) -> bool:
    """A line of words read from pixels (OCR): its widths are ink, not advance widths."""
    return any(map(_ocr, line.glyphs))


_ocr = attrgetter("ocr")


# Lines of one paragraph are no further apart than this share of a line's height.
LINE_GAP = 0.6


def paragraphs(
    lines: list[TextLine], left: float, right: float, spaced: bool = False, words: Collection[str] = ()
) -> list[list[TextLine]]:
    """Lines grouped into paragraphs, for text set between ``left`` and ``right``.

    ``spaced``: the producer keeps the space at a wrap as the line's last
    glyph (LibreOffice does), so a line without one that stops short of the
    right edge ends its paragraph. ``words``: the words written on the page
    (``page_words``), to tell a word broken at the edge from two words.
    """
    groups: list[list[TextLine]] = []
    for line in lines:
        if groups:
            prev = groups[-1][-1]
            join = _join(prev, line, left, right, spaced, words)
            if join is not None and line.top - prev.bottom <= prev.height * LINE_GAP and not _starts_new(line):
                line.join = join
                groups[-1].append(line)
                continue
        groups.append([line])
    return groups


class _Runs:
    """Collects text into runs, starting a new run where strikethrough changes."""

    def __init__(self) -> None:
        self.inlines: list[Inline] = []
        self._text: list[str] = []
        self._struck = False

    def add(self, piece: str, struck: bool) -> None:
        if self._text and struck != self._struck:
            self.flush()
        self._text.append(piece)
        self._struck = struck

    def box(self, box: TickBox) -> None:
        self.flush()
        self.inlines.append(box)

    def flush(self) -> None:
        if self._text:
            self.inlines.append(Run("".join(self._text), struck=self._struck))
            self._text = []

    def trim(self) -> None:
        """The spaces the text so far ends with, dropped."""
        while self._text and self._text[-1].isspace():
            self._text.pop()

    @property
    def ends_open(self) -> bool:
        """True when the text so far ends in a space or a hyphen (no space needed)."""
        if self._text:
            last = self._text[-1]
        elif self.inlines and isinstance(self.inlines[-1], Run):
            last = self.inlines[-1].text  # type: ignore[union-attr]
        else:
            return True
        return last.endswith((" ", "-", "/"))


def to_paragraph(lines: list[TextLine], origin: str) -> Paragraph:
    """One paragraph's lines as runs and tick boxes; wrapped lines joined by a space.

    ``bold`` is set when every letter is in a bold font (a hint for
    headings the template does not know; a PDF has no heading styles).
    """
    runs = _Runs()
    letters = bold = 0
    font, font_bold = None, False  # the last letter's font, and is_bold of it
    for n, line in enumerate(lines):
        if n and line.glyphs:
            _line_start(runs, line, lines[n - 1])
        prev: Optional[Glyph] = None
        prev_space = False
        for g in line.glyphs:
            text = g.text
            space = text.isspace()
            if g.is_tick:
                runs.box(TickBox(g.tick, g.tick_encoding or "glyph", g.confidence))
            else:
                struck = g.struck
                if prev is not None and not space and not prev_space:
                    gap = g.x0 - prev.x1
                    if prev.is_tick or (gap > 0.15 * g.size and gap > 0.8):  # past max(0.15 em, 0.8 pt)
                        runs.add(" ", bool(prev.struck and struck))
                if runs._text and struck != runs._struck:  # add(text, g.struck), inline
                    runs.flush()
                runs._text.append(text)
                runs._struck = struck
                if text.isalpha():
                    letters += 1
                    if g.font is not font:
                        font = g.font
                        font_bold = is_bold(font or "")
                    bold += font_bold
            prev, prev_space = g, space
    runs.flush()
    read = [g.confidence for line in lines for g in line.glyphs if g.ocr and not g.is_tick and not g.text.isspace()]
    return Paragraph(
        runs.inlines,
        origin=origin,
        confidence=sum(read) / len(read) if read else None,
        bold=letters > 0 and bold == letters,
    )


def _line_start(runs: _Runs, line: TextLine, above: TextLine) -> None:
    """What goes between a paragraph's line and the one above it, before the line's first glyph."""
    if line.join and not runs.ends_open:
        runs.add(line.join, bool(line.glyphs[0].struck and _last_struck(above)))
    elif not line.join and from_pixels(above):
        runs.trim()  # OCR's space after a word broken at a hyphen ("co- " "ordinated"): no space was drawn


_BOLD = re.compile(r"bold|black|heavy|,b$", re.IGNORECASE)


@lru_cache(maxsize=256)
def is_bold(font: str) -> bool:
    """A bold face, by its name ("ABCDEF+LiberationSans-Bold", "Arial,Bold", "Arial,B", "Roboto-Black")."""
    return bool(_BOLD.search(font.rsplit("+", 1)[-1]))


def _last_struck(line: TextLine) -> bool:
    for g in reversed(line.glyphs):
        if not g.text.isspace():
            return g.struck
    return False
