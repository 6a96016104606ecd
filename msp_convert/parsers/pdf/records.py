"""Plain page records: what a PDF page holds, in the reader's own terms.

The geometry (strikethrough, tick boxes, table grids, reading order) works on
these, never on a library's dicts, so another page-object source (pypdfium2,
or OCR giving words and boxes) can plug in without touching it. Coordinates
are PDF points with the origin at the page's top left: ``top`` < ``bottom``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

# The confidence of a character drawn invisibly (text render mode 3): a
# "searchable PDF" layer, put over a page image by Tesseract or a scanner's
# OCR, not words the author typed. Its words are not read as exact (a person
# should check them against the image) but are not flagged as low either:
# they are OCR we cannot re-score, so one value, above ``mapping.draft``'s
# ``Bounds.word`` (0.5), stands for all of them. Both page sources set it,
# with ``Glyph.ocr`` True.
INVISIBLE_TEXT_CONFIDENCE = 0.9
# The text render modes that draw nothing: 3 (neither filled nor stroked), 7 (added to the clip only).
INVISIBLE_MODES = frozenset({3, 7})


@dataclass(slots=True)
class Glyph:
    """One character as placed on the page (several for a form field's value)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str = ""
    struck: bool = False  # set by strike detection
    tick: Optional[bool] = None  # set when the glyph is a tick box: its state
    is_tick: bool = False
    confidence: float = 1.0  # below 1 for judgements from pixels (OCR) or geometry
    baseline: Optional[float] = None  # y of the text baseline, when the source knows it
    tick_encoding: Optional[str] = None  # for a tick: "glyph", "symbol", "drawn", "acroform"
    ocr: bool = False  # a word read from pixels, its confidence Tesseract's


@dataclass(slots=True)
class Segment:
    """A straight axis-aligned stroke: a ruled line, a rectangle's edge, a thin filled bar."""

    x0: float
    top: float
    x1: float
    bottom: float
    width: float  # stroke width (thickness across the segment)

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


@dataclass(slots=True)
class Box:
    """A rectangle as drawn: filled (shading, highlight, bar) and/or stroked (a frame)."""

    x0: float
    top: float
    x1: float
    bottom: float
    filled: bool
    stroked: bool
    fill: Optional[tuple[float, ...]] = None  # fill colour, as the PDF gives it


@dataclass(slots=True)
class Path:
    """Any other drawn path (curves, diagonal lines): a tick or a cross is one."""

    points: list[tuple[float, float]]
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(slots=True)
class Widget:
    """An interactive form field's widget (AcroForm)."""

    kind: str  # "checkbox", "radio", "text", "other"
    x0: float
    top: float
    x1: float
    bottom: float
    checked: Optional[bool] = None  # check boxes and radio buttons
    value: Optional[str] = None  # text fields
    name: Optional[str] = None  # the field's fully qualified name (/T parts joined by ".")


@dataclass(slots=True)
class Mark:
    """A text-markup annotation: "strikeout", "underline", "highlight"."""

    kind: str
    x0: float
    top: float
    x1: float
    bottom: float
    # the marked areas (/QuadPoints) as (x0, top, x1, bottom), one per line; empty: the whole rectangle
    parts: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass(slots=True)
class PageRecord:
    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    widgets: list[Widget] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
