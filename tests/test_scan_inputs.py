"""Scans as image files: JPEG, PNG, TIFF (multi-page too) and folders of page
images, through detection, the reader, `convert` and `batch`. The closeness
of what OCR reads is tests/test_ocr.py's; here, that every way a school
office stores a scan arrives as one plan, and bad images are refused clearly.
Needs Tesseract (CI installs it): never skipped."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

import msp_convert
from msp_convert import detect
from msp_convert.batch import BatchOptions, run_batch
from msp_convert.errors import CorruptFileError, UnsafeFileError, UnsupportedFormatError
from msp_convert.parsers import images, ocr

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO / "fixtures" / "scans" / "11-ks1-dcd"  # plan 11 printed, scanned as JPEG pages
PLAN = REPO / "fixtures" / "plans" / "11-ks1-dcd.docx"


def _png(image: Image.Image, **save: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **save)
    return out.getvalue()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "msp_convert", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first two pages of plan 11 as a folder of JPEGs and as one two-page TIFF."""
    root = tmp_path_factory.mktemp("scans")
    folder = root / "in" / "harvey"
    folder.mkdir(parents=True)
    for n in (1, 2):
        shutil.copy(PAGES / f"page-{n}.jpg", folder / f"scan{n:04d}.jpg")
    first, second = (Image.open(PAGES / f"page-{n}.jpg") for n in (1, 2))
    first.save(root / "in" / "harvey.tif", save_all=True, append_images=[second], dpi=(200, 200), compression="tiff_lzw")
    return root


# ---- detection and loading -----------------------------------------------------------------


def test_image_formats_are_told_from_their_bytes() -> None:
    page = Image.new("L", (40, 40), 255)
    for fmt, kind, name in (("JPEG", "jpeg", "scan.jpg"), ("PNG", "png", "scan.png"), ("TIFF", "tiff", "scan.tif")):
        out = io.BytesIO()
        page.save(out, fmt)
        assert detect.sniff(out.getvalue()) == kind
        assert not detect.extension_mismatch(kind, name)
    assert detect.extension_mismatch("png", "scan.jpg")


def test_a_multi_page_tiff_gives_every_page_with_its_resolution(two_pages: Path) -> None:
    pages = images.load_pages((two_pages / "in" / "harvey.tif").read_bytes())
    assert [p.size for p in pages] == [(1654, 2339)] * 2
    assert all(p.mode == "L" and p.info["dpi"] == (200, 200) for p in pages)


def test_a_scan_finer_than_300_dpi_is_brought_down_to_it() -> None:
    page = images.load_pages(_png(Image.new("L", (2480 * 2, 3508 * 2), 255), dpi=(600, 600)))[0]
    assert page.size == (2480, 3508) and page.info["dpi"] == (300.0, 300.0)


def test_a_page_turned_in_its_exif_is_turned_upright() -> None:
    wide = Image.new("L", (300, 200), 255)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 clockwise to view"
    out = io.BytesIO()
    wide.save(out, "JPEG", exif=exif.tobytes())
    assert images.load_pages(out.getvalue())[0].size == (200, 300)


def test_a_16_bit_scan_reads_as_the_same_page_as_its_8_bit_copy() -> None:
    # some scanners write 16-bit grey TIFFs; Pillow's convert("L") clips them to white: "blank"
    import numpy as np

    page = Image.open(PAGES / "page-1.jpg").convert("L")
    for fmt in ("TIFF", "PNG"):
        wide = io.BytesIO()
        Image.fromarray(np.asarray(page).astype(np.uint16) * 257).save(wide, fmt, dpi=(200, 200))
        (got,) = images.load_pages(wide.getvalue())
        assert got.mode == "L" and np.array_equal(np.asarray(got), np.asarray(page)), fmt
        assert round(got.info["dpi"][0]) == 200


def test_an_image_bigger_than_any_page_is_refused_before_decoding() -> None:
    huge = _png(Image.new("1", (9000, 9000), 1))  # 81 million pixels, a small file
    with pytest.raises(UnsafeFileError, match="million pixels"):
        images.load_pages(huge)


def test_a_damaged_image_is_refused() -> None:
    data = (PAGES / "page-1.jpg").read_bytes()[:5000]
    with pytest.raises(CorruptFileError, match="cannot be decoded"):
        images.load_pages(data)


def test_which_folders_are_one_plans_pages(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("page-10.jpg", "page-2.jpg", "page-1.jpg"):
        (pages / name).write_bytes(b"x")
    (pages / ".DS_Store").write_bytes(b"x")
    assert [p.name for p in images.page_folder(pages) or []] == ["page-1.jpg", "page-2.jpg", "page-10.jpg"]
    (tmp_path / "plans").mkdir()  # separate scans, named for the children
    for name in ("ali.jpg", "beth.jpg"):
        (tmp_path / "plans" / name).write_bytes(b"x")
    assert images.page_folder(tmp_path / "plans") is None
    (pages / "letter.pdf").write_bytes(b"x")  # not only page images
    assert images.page_folder(pages) is None


# ---- through the reader, convert and batch --------------------------------------------------


def test_a_tiff_and_a_folder_of_pages_read_as_the_same_plan(two_pages: Path) -> None:
    from_tiff = msp_convert.read(two_pages / "in" / "harvey.tif")
    from_folder = msp_convert.read(two_pages / "in" / "harvey")
    truth = msp_convert.read(PLAN)
    assert from_tiff.source.format == "tiff" and from_tiff.source.pages == 2
    assert from_folder.source.format == "jpeg" and from_folder.source.filename == "harvey"
    # the folder's sha256 is of its pages' bytes, one after another
    import hashlib

    joined = b"".join((two_pages / "in" / "harvey" / f"scan{n:04d}.jpg").read_bytes() for n in (1, 2))
    assert from_folder.source.sha256 == hashlib.sha256(joined).hexdigest()
    assert from_tiff.child == from_folder.child == truth.child
    assert from_tiff.model_dump(exclude={"source"}) == from_folder.model_dump(exclude={"source"})
    codes = [(w.code, w.where) for w in from_tiff.warnings]
    assert ("ocr-used", None) in codes
    sections = [where for code, where in codes if code == "ocr-confidence"]
    assert "section 1a" in sections and len(sections) == len(set(sections))


def test_batch_takes_images_and_page_folders_and_times_scans_per_page(two_pages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = two_pages / "in"
    Image.new("L", (1654, 2339), 255).save(src / "blank.png", dpi=(200, 200))
    out = two_pages / "out"
    result = run_batch(BatchOptions(src, out, jobs=2))
    rows = {r.path: r for r in result.rows}
    assert {p: r.status for p, r in rows.items()} == {"harvey": "converted", "harvey.tif": "converted", "blank.png": "failed"}
    assert "blank" in rows["blank.png"].error
    assert rows["harvey"].output == "harvey.json" and rows["harvey"].format == "jpeg"
    folder = json.loads((out / "harvey.json").read_text(encoding="utf-8"))
    assert folder == json.loads(msp_convert.read(src / "harvey").model_dump_json())
    assert not (out / "blank.json").exists()


def test_the_time_limit_of_a_scan_is_per_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Three pages of 1.5 s each under a 2 s limit: the worker says each page is done,
    # so the scan is not stopped; it fails for what it is (blank), not for the time.
    import time

    def slow_blank_page(*args: object) -> None:
        time.sleep(1.5)
        return None

    monkeypatch.setattr(ocr, "read_page", slow_blank_page)  # the workers are forked: they see it
    (tmp_path / "in").mkdir()
    page = Image.new("L", (1654, 2339), 255)
    page.save(tmp_path / "in" / "long.tif", save_all=True, append_images=[page, page], dpi=(200, 200))
    result = run_batch(BatchOptions(tmp_path / "in", tmp_path / "out", jobs=1, timeout=2))
    (row,) = result.rows
    assert row.status == "failed" and "blank" in row.error, row.error


def test_convert_refuses_a_blank_scan_in_one_line(tmp_path: Path) -> None:
    Image.new("L", (1654, 2339), 255).save(tmp_path / "blank.png", dpi=(200, 200))
    run = _cli("convert", str(tmp_path / "blank.png"), "-o", str(tmp_path / "blank.json"))
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        "msp-convert: blank.png: every page of this scan is blank; check the scanner fed the right side of the paper"
    ]
    assert not (tmp_path / "blank.json").exists()


def test_convert_of_a_folder_without_page_images_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    run = _cli("convert", str(tmp_path))
    assert run.returncode == 1 and "holds no page images" in run.stderr and "Traceback" not in run.stderr


def test_without_tesseract_an_image_names_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    with pytest.raises(UnsupportedFormatError, match="tesseract-ocr-eng"):
        msp_convert.read(PAGES / "page-1.jpg")


def test_tesseract_writes_no_files_and_leaves_the_thread_limit_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tesseract runs in process (tesserocr): no page image or output is written anywhere. OMP_THREAD_LIMIT=1
    # is set only while tesserocr loads (OpenMP reads it then), unless the user chose a value.
    import os
    import tempfile

    from msp_convert.parsers.ocr import engine

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    ocr.parse_images([Image.open(PAGES / "page-1.jpg")])
    assert not list(tmp_path.iterdir())
    assert "OMP_THREAD_LIMIT" not in os.environ
    monkeypatch.setenv("OMP_THREAD_LIMIT", "2")  # the user's own choice stands
    engine._tesserocr()
    assert os.environ["OMP_THREAD_LIMIT"] == "2"
