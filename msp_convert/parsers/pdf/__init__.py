"""PDF reader: page objects (PDFium's, or pdfplumber's) -> plain page records -> the neutral layout.

``pdfium_source`` (or ``source``) reads records; ``strike`` and ``boxes`` mark
struck glyphs and tick boxes on them; ``grid`` finds ruled tables; ``reading``
and ``pages`` put glyphs into lines, paragraphs, cells and one body. Only the
two sources know PDFium or pdfplumber. ``limits`` holds what a file may hold and what a page's geometry
may cost; ``index`` is how the steps find what lies near something without
comparing every pair; ``quiet`` keeps the PDF libraries' logging off the
caller's standard error.

``SOURCE`` chooses who reads the page objects: "pdfium" (``pdfium_source``,
pypdfium2's raw API: the default) or "pdfplumber" (``source``, the reference, which also reads the
pages PDFium would misread: Type3 fonts, fractional widths, codes it cannot name as pdfminer does):
tests/test_pdf_sources.py reads every PDF through both and requires the same plan. The environment variable
``MSP_CONVERT_PDF_SOURCE`` (one of ``SOURCES``) sets ``SOURCE`` when the package is imported.
"""

from __future__ import annotations

import os
from typing import Optional

from ...errors import InputError, NoTextLayerError
from ...layout import Document
from ...results import Message, Result, dedupe
from .grid import find_tables
from .limits import page_work
from .pages import PageBlocks, join_pages, page_blocks
from .source import open_pdf, page_records

SOURCES = ("pdfium", "pdfplumber")
# the page-object source parse_pdf uses when none is given: pdfium (issue 17: two red-team rounds, 276 legitimate PDFs,
# read as the reference reads them or better); MSP_CONVERT_PDF_SOURCE=pdfplumber for the reference
SOURCE = os.environ.get("MSP_CONVERT_PDF_SOURCE") or "pdfium"


def parse_pdf(data: bytes, password: Optional[str] = None, source: Optional[str] = None) -> Result[Document]:
    """Read a PDF's bytes into the neutral layout, one page at a time.

    Raises ``EncryptedFileError`` (no or wrong password), ``CorruptFileError``,
    or ``NoTextLayerError`` for a PDF with no text layer (a scan: the reader
    hands it to OCR). ``source`` is one of ``SOURCES``; ``SOURCE`` when not given.
    """
    from .boxes import find_tick_boxes
    from .strike import mark_struck

    source = source or SOURCE
    if source not in SOURCES:
        raise InputError(f"unknown PDF page source {source!r}: set MSP_CONVERT_PDF_SOURCE to one of {', '.join(SOURCES)}")
    if source == "pdfium":
        from .pdfium_source import open_pdfium, pdfium_records
        from .source import StreamGuard

        pdf = open_pdfium(bytes(data), password)
        records = pdfium_records(pdf, StreamGuard(bytes(data), password), data=bytes(data), password=password)
    else:
        pdf = open_pdf(bytes(data), password)
        records = page_records(pdf)
    messages: list[Message] = []
    pages: list[PageBlocks] = []
    glyphs = 0
    try:
        for record in records:
            glyphs += len(record.glyphs)
            with page_work(record.number):  # each step's comparisons counted, and capped (limits.py)
                mark_struck(record)
                messages += find_tick_boxes(record)
                tables = find_tables(record.segments, record.boxes)
                pages.append(page_blocks(record, tables))
    finally:
        pdf.close()
    if pages and not glyphs:
        raise NoTextLayerError(
            "this PDF has no text layer (it looks like a scan); reading it needs OCR: install tesseract-ocr-eng, "
            "tesseract-ocr-osd and the Python package tesserocr, or convert the original document"
        )
    body, headers, footers = join_pages(pages)
    return Result(Document(body=body, headers=headers, footers=footers, pages=len(pages)), dedupe(messages))
