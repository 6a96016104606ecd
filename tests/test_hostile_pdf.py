"""Hostile PDFs: pages built to be slow, and files that make pdfminer talk.

Every geometry step must stay near linear in a page's objects: that is proved
by counting the comparisons the steps make (``limits.page_work``), for a page
and for one four times as busy, never by a clock. What is absurd is refused
with one line naming the limit (``limits.LIMITS``). Inputs that took tens of
seconds (or, for a dotted leader, longer than anyone would wait) run under a
generous alarm that is only a safety net; the assertions are on the output.
Nothing pdfminer, pdfplumber or pypdfium2 log may reach standard error.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterator

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import msp_convert
from msp_convert.errors import UnsafeFileError
from msp_convert.mapping.entries import _trim_leaders, make_entry
from msp_convert.parsers.pdf import parse_pdf
from msp_convert.parsers.pdf.boxes import find_tick_boxes
from msp_convert.parsers.pdf.grid import find_tables
from msp_convert.parsers.pdf.limits import LIMITS, page_work
from msp_convert.parsers.pdf.pages import page_blocks
from msp_convert.parsers.pdf.records import Glyph, PageRecord, Segment, Widget
from msp_convert.parsers.pdf.strike import mark_struck

REPO = Path(__file__).resolve().parents[1]
PLAN_PDF = REPO / "fixtures" / "pdf" / "01-eyfs-speech-language.pdf"
SECRET = "Maisie Smith"
GUARD = 600  # seconds: a safety net for a hang, never the assertion


@contextlib.contextmanager
def alarm(seconds: int = GUARD) -> Iterator[None]:
    def stop(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "msp_convert.cli", *args], capture_output=True, text=True, timeout=GUARD, cwd=cwd
    )


# ---- hostile PDFs, made here ---------------------------------------------------------


def _canvas(draw: Callable[[canvas.Canvas], None], pages: int = 1) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    for _ in range(pages):
        c.setFont("Helvetica", 10)
        draw(c)
        c.showPage()
    c.save()
    return buf.getvalue()


def many_rules(n: int = 50_000, rows: int = 60) -> bytes:
    """``n`` rules on one page, each underlining a whole line of text (the case that took minutes)."""
    text = "Provision reviewed at the meeting with parents and staff"

    def draw(c: canvas.Canvas) -> None:
        width = c.stringWidth(text, "Helvetica", 10)
        for r in range(rows):
            y = 740 - r * 11
            c.drawString(72, y, text)
            for k in range(n // rows):
                c.line(72, y - 0.5 - 2.0 * k / (n // rows), 72 + width, y - 0.5 - 2.0 * k / (n // rows))

    return _canvas(draw)


def repeated_text(n: int = 10_000, text: str = f"R1 12/03/2019 {SECRET}") -> bytes:
    """``n`` text operators drawing the same words at the same place."""
    return _canvas(lambda c: [c.drawString(72, 700, text) for _ in range(n)])


def strip_fonts(data: bytes) -> bytes:
    """The PDF with its fonts stripped: an unknown base font, no ToUnicode, no widths, nothing embedded."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            for key in ("/ToUnicode", "/Widths", "/FirstChar", "/LastChar", "/FontDescriptor", "/Encoding"):
                font.pop(key, None)
            font[NameObject("/BaseFont")] = NameObject("/ZZUnknown")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def leaders_in_a_stripped_font(underscores: int = 8_000, dots: int = 40) -> bytes:
    def draw(c: canvas.Canvas) -> None:
        c.drawString(72, 760, "My Support Plan")
        c.drawString(72, 700, "(" + "_" * underscores + "x")
        c.drawString(72, 680, "(" + "." * dots + "x")

    return strip_fonts(_canvas(draw))


def noisy_plan(n: int = 1_000) -> bytes:
    """A real plan whose first page also sets a line width to a name, ``n`` times: pdfminer warns each time."""
    writer = PdfWriter(clone_from=PdfReader(PLAN_PDF))
    page = writer.pages[0]
    noise = DecodedStreamObject()
    noise.set_data(page.get_contents().get_data() + b"\n" + f"({SECRET}) w\n".encode() * n)
    page[NameObject("/Contents")] = writer._add_object(noise)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---- linear by count: page records built by hand ----------------------------------------


def _line(text: str, x: float, baseline: float, size: float = 10.0) -> list[Glyph]:
    out = []
    for ch in text:
        g = Glyph(ch, x, x + 0.55 * size, baseline - 0.8 * size, baseline + 0.2 * size, size, "Arial")
        g.baseline = baseline
        out.append(g)
        x += 0.55 * size
    return out


def underlined_page(strokes: int, per_line: int = 25) -> PageRecord:
    """Lines of words, each underlined ``per_line`` times (strokes a hair apart), and small ruled tables beside."""
    glyphs: list[Glyph] = []
    segments: list[Segment] = []
    rows = strokes // per_line
    for r in range(rows):
        baseline = 20.0 + 12.0 * r
        words = _line("reviewed termly", 40.0, baseline, size=6.0)
        glyphs += words
        for k in range(per_line):
            y = baseline + 0.3 + 0.5 * k / per_line
            segments.append(Segment(words[0].x0, y, words[-1].x1, y, 0.2))
    for t in range(rows // 4):  # a 2 x 2 table every fourth line
        top = 14.0 + 48.0 * t
        for y in (top, top + 4, top + 8):
            segments.append(Segment(400, y, 440, y, 0.5))
        for x in (400, 420, 440):
            segments.append(Segment(x, top, x, top + 8, 0.5))
    return PageRecord(1, 612.0, 20.0 + 12.0 * rows + 40.0, glyphs=glyphs, segments=segments)


def framed_page(frames: int) -> PageRecord:
    """Tick boxes drawn as four strokes each, 20 to a row, and beside them as many check-box fields."""
    segments: list[Segment] = []
    widgets: list[Widget] = []
    glyphs: list[Glyph] = []
    for k in range(frames):
        x0, top, side = 20.0 + 14.0 * (k % 20), 20.0 + 14.0 * (k // 20), 8.0
        x1, bottom = x0 + side, top + side
        segments += [Segment(x0, top, x1, top, 0.5), Segment(x0, bottom, x1, bottom, 0.5),
                     Segment(x0, top, x0, bottom, 0.5), Segment(x1, top, x1, bottom, 0.5)]
        widgets.append(Widget("checkbox", x0 + 300.0, top, x1 + 300.0, bottom, checked=k % 2 == 0))
        if k % 20 == 0:
            glyphs += _line("Yes", 600.0, bottom, size=8.0)
    return PageRecord(1, 900.0, 40.0 + 14.0 * (frames // 20), glyphs=glyphs, segments=segments, widgets=widgets)


def work(make: Callable[[int], PageRecord], n: int) -> tuple[int, PageRecord]:
    page = make(n)
    with page_work(1, cap=10**12) as counted:
        mark_struck(page)
        find_tick_boxes(page)
        page_blocks(page, find_tables(page.segments, page.boxes))
    return counted.done, page


def test_underlines_over_text_cost_linear_work_and_are_all_dropped() -> None:
    small, _ = work(underlined_page, 2_000)
    big, page = work(underlined_page, 8_000)
    # Four times the strokes: about four times the comparisons (pairwise would be sixteen).
    assert 3.0 * small < big < 5.0 * small
    assert big < 8_000 * 60
    flat_left = [s for s in page.segments if s.bottom - s.top < 1 and s.x1 < 100]
    assert flat_left == []  # every underline recognised, and taken out of the rules
    assert len(find_tables(page.segments, page.boxes)) == 8_000 // 25 // 4  # the tables are still tables


def test_drawn_tick_boxes_and_form_fields_cost_linear_work() -> None:
    small, _ = work(framed_page, 500)
    big, page = work(framed_page, 2_000)
    assert 3.0 * small < big < 5.0 * small
    ticks = [g for g in page.glyphs if g.is_tick]
    assert sum(g.tick_encoding == "drawn" for g in ticks) == 2_000
    assert sum(g.tick_encoding == "acroform" and g.tick for g in ticks) == 1_000


def test_a_page_needing_absurd_work_is_refused_with_its_number() -> None:
    page = underlined_page(4_000)
    page.number = 7
    with pytest.raises(UnsafeFileError) as refused, page_work(7, cap=5_000):
        mark_struck(page)
    assert "page 7 of this PDF" in str(refused.value) and "\n" not in str(refused.value)


# ---- the slow inputs, end to end ---------------------------------------------------------


def test_a_page_of_50000_rules_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "rules.pdf"
    path.write_bytes(many_rules())
    done = cli("convert", str(path), cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"msp-convert: rules.pdf: page 1 of this PDF draws more than {LIMITS.drawings_per_page:,} lines and shapes, "
        "far more than any plan; check it is the right file, or print the plan to a new PDF"
    ]


def test_10000_repeated_text_operators_are_refused_with_one_line() -> None:
    with alarm(), pytest.raises(UnsafeFileError) as refused:
        parse_pdf(repeated_text())
    message = str(refused.value)
    assert message.startswith(f"page 1 of this PDF draws more than {LIMITS.glyphs_per_page:,} characters")
    assert SECRET not in message


def test_repeated_text_under_the_limit_is_read() -> None:
    with alarm():
        layout = parse_pdf(repeated_text(500, "R1 ")).value
    text = "".join(p.text for p in layout.body)  # 500 stacked copies: one line of glyphs, sorted by x
    assert (text.count("R"), text.count("1")) == (500, 500)


def test_leaders_in_a_stripped_font_are_kept_whole_and_quickly() -> None:
    with alarm():
        plan = msp_convert.read(data=leaders_in_a_stripped_font(), filename="stripped.pdf", force=True)
    texts = [u.text for u in plan.unmapped]
    assert "(" + "_" * 8_000 + "x" in texts and "(" + "." * 40 + "x" in texts


def test_trim_leaders_is_linear_and_keeps_a_full_stop() -> None:
    with alarm(60):  # the old regex needed about 1.6 times longer for each dot: 60 dots never finish
        assert _trim_leaders("a" + "." * 60 + "x", None) == ("a" + "." * 60 + "x", None)
        long = "(" + "_" * 200_000 + "x"
        assert _trim_leaders(long, None) == (long, None)
    assert _trim_leaders("... Speech therapy weekly.", [True] * 26) == ("Speech therapy weekly.", [True] * 22)
    assert _trim_leaders("(Speech therapy \u2026 ....", None) == ("(Speech therapy", None)
    assert _trim_leaders("_ _ Met.", None) == ("Met.", None)  # one dot at the end is a full stop
    entry = make_entry([("- ................ R1 12/03/2019 met", False)])
    assert entry is not None and (entry.entry.text, entry.entry.review) == ("met", "R1")


# ---- limits ------------------------------------------------------------------------------


def test_a_pdf_of_too_many_pages_is_refused_before_reading_them() -> None:
    data = _canvas(lambda c: c.drawString(72, 700, "page"), pages=LIMITS.pages_per_file + 1)
    with alarm(), pytest.raises(UnsafeFileError, match=f"more than {LIMITS.pages_per_file:,} pages"):
        parse_pdf(data)


def test_a_page_of_too_many_annotations_is_refused() -> None:
    def draw(c: canvas.Canvas) -> None:
        c.drawString(72, 700, "links")
        for k in range(LIMITS.annotations_per_page + 1):
            c.linkURL("https://example.org", (72, 10 + k * 0.3, 80, 11 + k * 0.3), relative=0)

    with alarm(), pytest.raises(UnsafeFileError, match="annotations and form fields"):
        parse_pdf(_canvas(draw))


def test_a_content_stream_bomb_is_refused_before_it_is_inflated() -> None:
    data = _canvas(lambda c: (c.drawString(72, 700, "text"), c._code.append(" " * (LIMITS.content_bytes_per_page + 10))))
    assert len(data) < 100_000  # a few kB that would inflate past the limit
    with alarm(), pytest.raises(UnsafeFileError, match="MiB of drawing instructions"):
        parse_pdf(data)


def test_a_form_drawn_over_and_over_is_refused() -> None:
    def draw(c: canvas.Canvas) -> None:
        c.beginForm("dot")
        c.line(0, 0, 1, 0)
        c.endForm()
        c.drawString(72, 700, "text")
        for _ in range(LIMITS.streams_per_page + 1):
            c.doForm("dot")

    with alarm(), pytest.raises(UnsafeFileError, match="drawing streams"):
        parse_pdf(_canvas(draw))


# ---- nothing from the PDF libraries on standard error -------------------------------------


def test_pdfminer_warnings_reach_no_handler_and_the_callers_logging_is_unchanged() -> None:
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    handler = Keep()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        levels = {name: logging.getLogger(name).level for name in ("pdfminer", "pdfminer.pdfinterp", "pdfplumber")}
        plan = msp_convert.read(data=noisy_plan(), filename="noisy.pdf")
        assert plan.child.name  # the plan read as usual
        assert [r for r in seen if r.name.startswith(("pdfminer", "pdfplumber", "pypdfium2"))] == []
        # Outside our reading, the caller's own pdfminer logging goes through as before.
        logging.getLogger("pdfminer.pdfinterp").warning("the caller's own record")
        assert [r.getMessage() for r in seen] == ["the caller's own record"]
        assert {name: logging.getLogger(name).level for name in levels} == levels
    finally:
        root.removeHandler(handler)


def test_convert_and_batch_print_nothing_from_pdfminer(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "noisy.pdf").write_bytes(noisy_plan())
    quiet = cli("convert", "-q", str(folder / "noisy.pdf"), "-o", str(tmp_path / "noisy.json"), cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert json.loads((tmp_path / "noisy.json").read_text())["child"]["name"]
    loud = cli("convert", str(folder / "noisy.pdf"), cwd=tmp_path)
    assert loud.returncode == 0 and "Cannot set" not in loud.stderr and SECRET not in loud.stderr
    assert all(line.startswith("msp-convert: ") for line in loud.stderr.splitlines())
    batch = cli("batch", str(folder), "-o", str(tmp_path / "out"), "-q", "--jobs", "1", cwd=tmp_path)
    # -q leaves batch's one closing summary ("msp-convert: done: 1 files ..."), and nothing else.
    assert batch.returncode == 0 and len(batch.stderr.splitlines()) == 1
    assert batch.stderr.startswith("msp-convert: done: ") and SECRET not in batch.stderr
    assert (tmp_path / "out" / "noisy.json").exists()
