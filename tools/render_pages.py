"""Write a plan with the Word writer and render its pages, to look at them.

    python tools/render_pages.py PLAN.json|PLAN.docx|PLAN.pdf OUT_DIR [--mode new|as-is] [--renumber] [--dpi 60]

Writes OUT_DIR/plan.docx (the writer's output), OUT_DIR/plan.pdf (LibreOffice
headless) and OUT_DIR/page-N.png (pypdfium2, which the
reader already installs). The PNGs are for people to look
at; do not commit them.

``docx_to_pdf`` is also what the writer's tests use to open a written
document in a real word processor.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Optional

from msp_convert import office

SOFFICE_TIMEOUT = 180.0


def soffice() -> Optional[str]:
    return office.find_soffice()


def docx_to_pdf(data: bytes, timeout: float = SOFFICE_TIMEOUT) -> bytes:
    """The .docx converted to PDF by LibreOffice headless."""
    return docx_to_pdfs({"plan": data}, timeout)["plan"]


def docx_to_pdfs(documents: dict[str, bytes], timeout: float = SOFFICE_TIMEOUT) -> dict[str, bytes]:
    """Several .docx (name -> bytes) converted to PDF in one LibreOffice run
    (msp_convert.office: a private folder and profile, a time limit). A
    document LibreOffice could not convert is missing from the result."""
    program = soffice()
    if program is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    names = list(documents)
    with tempfile.TemporaryDirectory(prefix="msp-render-") as tmp:
        converted = office.convert([(".docx", documents[n]) for n in names], program, Path(tmp), to=office.PDF, timeout=timeout)
    result = {name: c.data for name, c in zip(names, converted) if c.data is not None}
    if not result:
        raise RuntimeError("LibreOffice converted nothing")
    return result


def render(pdf: Path, out_dir: Path, dpi: int) -> list[Path]:
    """PNG pages drawn by pypdfium2 (PDFium), one a page: page-1.png, page-2.png..."""
    import pypdfium2

    for old in out_dir.glob("page-*.png"):
        old.unlink()
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        pages = []
        for number, page in enumerate(document, start=1):
            target = out_dir / f"page-{number}.png"
            page.render(scale=dpi / 72).to_pil().save(target)
            page.close()
            pages.append(target)
    finally:
        document.close()
    return pages


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plan", type=Path, help="a plan: .json (the model), .docx or .pdf")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--mode", choices=["new", "as-is"], default="as-is")
    parser.add_argument("--renumber", action="store_true")
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args(argv)

    import msp_convert
    from msp_convert.writers.docx import write_docx

    plan = msp_convert.read(args.plan)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    data = write_docx(plan, mode=args.mode, renumber=args.renumber)
    docx_path = args.out_dir / "plan.docx"
    docx_path.write_bytes(data)
    pdf_path = args.out_dir / "plan.pdf"
    pdf_path.write_bytes(docx_to_pdf(data))
    pages = render(pdf_path, args.out_dir, args.dpi)
    print(f"{docx_path}, {pdf_path}, {len(pages)} page(s): {pages[0].name} ... {pages[-1].name}" if pages else "no pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
