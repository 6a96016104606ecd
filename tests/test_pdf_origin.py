"""Both page sources measure from the top left of the page as displayed, wherever its MediaBox starts.

A page whose MediaBox starts at (-300, -421), with its content moved there,
reads as the same page at (0, 0): the records (glyphs, boxes, markups) are
the same, through pdfplumber and through PDFium. A CropBox is the page as
shown: records are measured from its top left. The files are made here.
"""

from __future__ import annotations

from typing import Any

import pytest
from pdf_objects import assemble

from msp_convert.parsers.pdf.pdfium_source import StreamGuard, open_pdfium, pdfium_records
from msp_convert.parsers.pdf.source import open_pdf, page_records

TEXT = b"BT /T 12 Tf 72 700 Td (Ava reads) Tj ET 100 500 200 40 re S\n"


def page(origin: tuple[float, float] = (0, 0), crop: bytes = b"", rotate: int = 0) -> bytes:
    """A one-page A4 PDF: a line of text, a framed box and a /StrikeOut over the text, all moved by ``origin``
    with the MediaBox; ``crop``: a /CropBox entry as written; ``rotate``: its /Rotate."""
    ox, oy = origin
    content = b"1 0 0 1 %g %g cm\n" % (ox, oy) + TEXT
    quad = [72, 712, 130, 712, 72, 698, 130, 698]
    points = b" ".join(b"%g" % (v + (ox if k % 2 == 0 else oy)) for k, v in enumerate(quad))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [%g %g %g %g] %s /Rotate %d /Contents 5 0 R "
        b"/Resources << /Font << /T 4 0 R >> >> /Annots [6 0 R] >>" % (ox, oy, ox + 595, oy + 842, crop, rotate),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Annot /Subtype /StrikeOut /Rect [%g %g %g %g] /QuadPoints [%s] >>"
        % (72 + ox, 698 + oy, 130 + ox, 712 + oy, points),
    ]
    return assemble(objects)


def read(data: bytes, source: str) -> dict[str, Any]:
    """The first page's records, rounded to a hundredth of a point."""
    if source == "pdfium":
        pdf = open_pdfium(data)
        try:
            record = next(pdfium_records(pdf, StreamGuard(data)))
        finally:
            pdf.close()
    else:
        pdf = open_pdf(data)
        try:
            record = next(page_records(pdf))
        finally:
            pdf.close()

    def r(*values: float) -> tuple[float, ...]:
        return tuple(round(v, 2) + 0.0 for v in values)

    return {
        "size": r(record.width, record.height),
        "glyphs": [(g.text, *r(g.x0, g.x1, g.top, g.bottom)) for g in record.glyphs],
        "boxes": sorted(r(b.x0, b.top, b.x1, b.bottom) for b in record.boxes),
        "marks": [(m.kind, *r(m.x0, m.top, m.x1, m.bottom), [r(*p) for p in m.parts]) for m in record.marks],
    }


def moved(got: dict[str, Any], dx: float, dy: float) -> dict[str, Any]:
    """``got`` with every x moved by ``dx`` and every top by ``dy`` (the size left)."""
    def box(b: tuple[float, ...]) -> tuple[float, ...]:
        return tuple(round(v + (dx if k % 2 == 0 else dy), 2) + 0.0 for k, v in enumerate(b))

    return {
        "size": got["size"],
        "glyphs": [(g[0], *(round(v + d, 2) + 0.0 for v, d in zip(g[1:], (dx, dx, dy, dy)))) for g in got["glyphs"]],
        "boxes": [box(b) for b in got["boxes"]],
        "marks": [(m[0], *box(m[1:5]), [box(p) for p in m[5]]) for m in got["marks"]],
    }


SOURCES = ("pdfplumber", "pdfium")


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("origin", [(-300, -421), (40, 70)])
def test_a_page_whose_mediabox_does_not_start_at_zero_reads_as_the_same_page(source: str, origin: tuple[float, float]) -> None:
    plain = read(page(), source)
    assert plain["glyphs"] and plain["boxes"] and plain["marks"][0][5]  # the page says something
    assert plain["glyphs"][0][1] == 72.0 and plain["boxes"][0][:2] == (100.0, 842.0 - 540.0)
    assert read(page(origin), source) == plain


@pytest.mark.parametrize("source", SOURCES)
def test_a_cropbox_is_the_page_as_shown(source: str) -> None:
    plain = read(page(), source)
    cropped = read(page(crop=b"/CropBox [15 20 580 827]"), source)
    assert cropped["size"] == (565.0, 807.0)
    assert {k: v for k, v in cropped.items() if k != "size"} == {k: v for k, v in moved(plain, -15, -15).items() if k != "size"}


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_a_turned_page_with_a_moved_origin_reads_the_same_through_both_sources(rotate: int) -> None:
    data = page((-300, -421), rotate=rotate)
    plain = page(rotate=rotate)
    pdfplumber, pdfium = read(data, "pdfplumber"), read(data, "pdfium")
    assert {k: v for k, v in pdfplumber.items() if k != "marks"} == {k: v for k, v in pdfium.items() if k != "marks"}
    assert pdfplumber == read(plain, "pdfplumber")
    assert pdfium == read(plain, "pdfium")
