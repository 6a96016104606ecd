"""What a PDF may hold before it is refused, and the work one page may cost.

The limits are one settings object, ``LIMITS`` (in the manner of pdfplumber's
table settings), so they are read and changed in one place. Each is many times
what a real plan holds: the densest page among the fixtures and the shared
real documents has 4,193 glyphs, 452 strokes and 17 form fields, and no plan
runs past 30 pages. Past a limit the file is refused with one line
(``UnsafeFileError``) saying what and what to do, before the work can take
minutes or the memory of the machine.

``Work`` counts the comparisons the geometry makes on one page (candidate
pairs read out of an index, not pairs of all objects); the steps are near
linear, so a page that still needs more than ``comparisons_per_page`` is
hostile and refused. Tests read the count to prove the steps stay linear.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator, Optional

from ...errors import UnsafeFileError


@dataclass(frozen=True, slots=True)
class PdfLimits:
    pages_per_file: int = 500
    glyphs_per_page: int = 30_000  # a full A4 page of 6 pt text is about 15,000
    glyphs_per_file: int = 600_000
    drawings_per_page: int = 30_000  # lines, rectangles and curves as drawn
    annotations_per_page: int = 2_000  # form fields, strikeouts, links...
    content_bytes_per_page: int = 16 * 2**20  # decoded drawing instructions, form XObjects included
    streams_per_page: int = 20_000  # content streams run: the page's own, and each form XObject each time it is drawn
    form_depth: int = 32  # forms drawn inside forms (a real plan nests two or three)
    # marked content (BMC/BDC) open inside marked content, in one stream: PDFium copies the open marks at each
    # level, so 100,000 levels took 20 GB (a tagged PDF nests a few)
    marked_depth: int = 256
    # items in the arrays and inline dictionaries given to one operator in a content stream (a TJ's strings and
    # numbers, nested ones counted too): PDFium and pdfminer make an object of each, so one TJ of 16 MiB of numbers
    # took 534 MB. A real TJ holds at most a string and a number per glyph, 2 x glyphs_per_page = 60,000 (the fixtures'
    # and real documents' longest: 343); 100,000 leaves room (empty strings, numbers twice) and costs PDFium ~8 MB
    array_items: int = 100_000
    form_fields_per_file: int = 100_000
    # what a file's fonts may cost (``font_cost``): the bytes their streams (ToUnicode, font files, embedded CMaps,
    # Type3 glyphs) decode to, as PDFium and pdfminer decode them, each charged where it is decoded; and the entries
    # pdfminer makes of their character maps and widths (a dictionary entry each: one bfrange of 4 billion codes took
    # the memory of the machine). An embedded font file is a few kB to 20 MB; a ToUnicode CMap or a /W maps a few
    # hundred codes (a whole two-byte font 65,536)
    font_bytes_per_file: int = 128 * 2**20
    # bytes of CMaps and Type1 font headers given to pdfminer's PostScript parser (about 1 MB a second); a ToUnicode is
    # a few kB (a whole two-byte font's about 1 MB)
    font_parsed_bytes_per_file: int = 4 * 2**20
    font_entries_per_file: int = 1_000_000  # each code once, and once more for each 16 characters it maps to
    fonts_remembered: int = 10_000  # font dictionaries whose facts (descent, how PDFium reads them) a document keeps
    object_streams_kept: int = 4 * 2**20  # decoded bytes of object streams the guard keeps parsed; one larger is refused
    object_streams_parsed: int = 64 * 2**20  # decoded bytes of object streams the guard parses in all, kept or not
    # items (a dictionary's values, an array's, their strings' bytes in 16s) of the objects the guard keeps parsed, a
    # document (streams aside): each a few dozen bytes, ~20 MB at most; the fixtures' and real documents' most is 1,170
    objects_kept: int = 200_000
    cells_per_table: int = 20_000  # grid cells a table's rules make (a 40-row plan table has a few hundred)
    cells_per_page: int = 50_000
    comparisons_per_page: int = 3_000_000  # see ``Work``


LIMITS = PdfLimits()


def refuse(what: str) -> UnsafeFileError:
    """The one line for a file past a limit: what it holds, and what to do."""
    return UnsafeFileError(
        f"{what}, far more than any plan; check it is the right file, or print the plan to a new PDF"
    )


class Work:
    """Comparisons made on one page's records, refused past the cap."""

    __slots__ = ("page", "cap", "done")

    def __init__(self, page: int, cap: int) -> None:
        self.page, self.cap, self.done = page, cap, 0

    def spend(self, n: int) -> None:
        self.done += n
        if self.done > self.cap:
            raise refuse(f"page {self.page} of this PDF needs more than {self.cap:,} comparisons of its drawn objects")


_current: ContextVar[Optional[Work]] = ContextVar("msp_convert_pdf_work", default=None)


def spend(n: int) -> None:
    """Count ``n`` comparisons against the page being read (no count outside ``page_work``)."""
    work = _current.get()
    if work is not None:
        work.spend(n)


def check(count: int, most: int, what: str) -> None:
    """Refuse the page being read when ``count`` passes ``most``: "page 3 of this PDF draws <what>"."""
    if count > most:
        work = _current.get()
        where = f"page {work.page} of this PDF" if work is not None else "this PDF"
        raise refuse(f"{where} {what.format(most=most)}")


@contextmanager
def page_work(page: int, cap: Optional[int] = None) -> Iterator[Work]:
    """Count (and cap) the geometry's comparisons on one page."""
    work = Work(page, LIMITS.comparisons_per_page if cap is None else cap)
    token = _current.set(work)
    try:
        yield work
    finally:
        _current.reset(token)
