"""Format-neutral blocks: what a document *shows*, before anyone knows it is a plan.

A parser's only job is to produce these faithfully; it knows nothing of the
template. The mapping reads them and never asks which parser made them. The
records are plain dataclasses so that the PDF geometry code, the OCR code and
the Word reader can all build them cheaply and the mapping can walk them fast.

Conventions every parser follows:

* ``Run.text`` keeps soft line breaks as ``"\\n"`` and tabs as ``"\\t"``;
  other whitespace (non-breaking spaces included) is kept as written.
  Normalising whitespace is the mapping's job.
* A tick box, whatever its encoding (a glyph, a symbol-font character, a
  content-control or legacy form-field check box, an AcroForm field, a drawn
  square), becomes one ``TickBox`` in the paragraph where it sits. The glyph
  that displays a content control's state is *not* emitted again as text.
* A table row lists only the cells that *start* in it: a cell merged down
  (``row_span > 1``) is absent from the rows it covers, as in HTML.
* ``origin`` says where a block came from ("document.xml", "header1.xml",
  "page 3"), so messages can name a place without quoting content.
* A paged reader (PDF, OCR) also gives a paragraph's and a tick box's
  ``page`` (1-based) and ``box`` (x0, top, x1, bottom in PDF points, origin
  at the page's top left): where it was read, for a person checking it
  against the paper. A paragraph over a page break has the page it starts on
  and its box there. Word gives neither (None).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, Union


# A place on a page: (x0, top, x1, bottom), PDF points, origin at the top left.
Box = tuple[float, float, float, float]


@dataclass(slots=True)
class Run:
    """A stretch of text with one set of the properties the model cares about."""

    text: str
    struck: bool = False  # single or double strikethrough, however it was applied
    deleted: bool = False  # removed under tracked changes (w:del, w:moveFrom)
    inserted: bool = False  # added under tracked changes (w:ins, w:moveTo)


@dataclass(slots=True)
class TickBox:
    """A tick box as the document shows it."""

    checked: Optional[bool]  # None: present, but its state could not be told
    encoding: str  # "glyph", "symbol", "content-control", "form-field", "acroform", "drawn"
    confidence: float = 1.0  # below 1 only for boxes judged from pixels or geometry
    page: Optional[int] = None  # where it was read (paged formats): see the module's notes
    box: Optional[Box] = None


Inline = Union[Run, TickBox]

# How a TickBox is shown when it has to be written out as text.
TICK_GLYPHS = {True: "\u2612", False: "\u2610", None: "\u2610"}


@dataclass(slots=True)
class Paragraph:
    inlines: list[Inline] = field(default_factory=list)
    list_item: bool = False  # bulleted or numbered through the document's numbering
    origin: str = ""
    # How sure the reader was of the words (0-1, their mean) when it read them
    # from pixels (OCR); None for text the file itself stored.
    confidence: Optional[float] = None
    # The least sure word's confidence (0-1) when read from pixels; else None.
    low: Optional[float] = None
    page: Optional[int] = None  # where it was read (paged formats): see the module's notes
    box: Optional[Box] = None
    # The document marks this line as a heading: a heading or title style or an
    # outline level; or only shows every letter of it in bold. Hints for lines
    # the template does not know (an unknown heading starts a section of its
    # own); never needed for the template's own headings, known by their wording.
    heading: bool = False
    bold: bool = False
    _text: Optional[str] = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        """Plain text, tick boxes shown as glyphs, deleted text included.

        Computed once: a paragraph is not changed after its parser hands it on.
        """
        if self._text is None:
            self._text = "".join(
                i.text if isinstance(i, Run) else TICK_GLYPHS[i.checked] for i in self.inlines
            )
        return self._text

    @property
    def tick_boxes(self) -> list[TickBox]:
        return [i for i in self.inlines if isinstance(i, TickBox)]


def read_confidence(paragraphs: Iterable[Paragraph]) -> tuple[Optional[float], int]:
    """The mean confidence of the words read from pixels in these paragraphs, and how many words."""
    total, words = 0.0, 0
    for para in paragraphs:
        if para.confidence is not None:
            n = len(para.text.split()) or 1
            total += para.confidence * n
            words += n
    return (total / words if words else None), words


@dataclass(slots=True)
class Cell:
    blocks: list["Block"] = field(default_factory=list)
    col: int = 0  # grid column where the cell starts
    col_span: int = 1
    row_span: int = 1
    shaded: bool = False

    def paragraphs(self) -> list[Paragraph]:
        """Every paragraph in the cell, nested tables' included, in order."""
        blocks = self.blocks
        if all(type(b) is Paragraph for b in blocks):
            return blocks  # type: ignore[return-value]  # the usual cell: no nested table
        return list(iter_paragraphs(blocks))

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs())


@dataclass(slots=True)
class Row:
    cells: list[Cell] = field(default_factory=list)


@dataclass(slots=True)
class Table:
    rows: list[Row] = field(default_factory=list)
    columns: int = 0  # width of the grid
    origin: str = ""


Block = Union[Paragraph, Table]


@dataclass(slots=True)
class Document:
    """A file's layout. Build it whole, then read it: the mapping keeps what it worked out about a
    document (its walk) while that document object is the one it reads, so a Document changed in
    place after it was read may be read as it was (make a new Document instead)."""

    body: list[Block] = field(default_factory=list)
    headers: list[Block] = field(default_factory=list)  # page headers, all sections
    footers: list[Block] = field(default_factory=list)
    pages: Optional[int] = None  # known for paged formats (PDF), else None


def iter_paragraphs(blocks: list[Block]) -> Iterator[Paragraph]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block
        else:
            for row in block.rows:
                for cell in row.cells:
                    yield from iter_paragraphs(cell.blocks)
