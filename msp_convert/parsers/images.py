"""Page images of a scanned plan: image files (JPEG, PNG, TIFF, multi-page TIFF) and folders of them.

The school office scans a plan into one image per page, or one multi-page
TIFF. This module opens them safely (Pillow's limit on pixels, so a crafted
"image bomb" is refused before it is decoded), turns each page upright as
its EXIF says, and brings a scan finer than OCR needs down to
``MAX_DPI``. OCR itself is the work of ``parsers/ocr/``.

A folder is one plan when it holds only page images whose names differ by a
number alone (``page-1.jpg``, ``page-2.jpg``; ``scan0001.tif``...): the
pages, in the order of those numbers.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from pathlib import Path
from typing import Optional

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from ..errors import CorruptFileError, UnsafeFileError, UnsupportedFormatError

IMAGE_SUFFIXES = {".jpg": "jpeg", ".jpeg": "jpeg", ".jpe": "jpeg", ".png": "png", ".tif": "tiff", ".tiff": "tiff"}
MAX_DPI = 300  # finer scans are brought down to this: Tesseract gains nothing and takes longer
# An A4 page at 600 dpi is 35 million pixels; more than this is not a page scan.
MAX_PIXELS = 60_000_000
MAX_PAGES = 200  # a plan is rarely more than 20 pages

_NUMBER = re.compile(r"\d+")


def load_pages(data: bytes) -> list[Image.Image]:
    """Every page of one image file, greyscale, upright, its resolution in ``info["dpi"]``.

    Raises ``UnsafeFileError`` for an image bigger than any page scan and
    ``CorruptFileError`` for one that cannot be decoded.
    """
    return [_page(frame) for frame in frames(data)]


def frames(data: bytes) -> list[Image.Image]:
    """Every page of one image file, decoded and upright as its EXIF says, keeping its stated resolution.

    The size of each page is checked before it is decoded: ``UnsafeFileError``
    above ``MAX_PIXELS`` or ``MAX_PAGES``; ``CorruptFileError`` for an image
    Pillow cannot decode. (The EHC bundle reads evidence scans through this too.)
    """
    try:
        with warnings.catch_warnings():
            # Pillow warns of a big image at open; the size is checked here, per page, before decoding.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        pages = []
        for number, frame in enumerate(ImageSequence.Iterator(image), 1):
            if number > MAX_PAGES:
                raise UnsafeFileError(f"this image has more than {MAX_PAGES} pages, far more than any plan; check it is the right file")
            if frame.width * frame.height > MAX_PIXELS:
                raise Image.DecompressionBombError
            dpi = frame.info.get("dpi")
            page = ImageOps.exif_transpose(frame)  # phones and some scanners store the turn in EXIF; a decoded copy
            if dpi is not None:
                page.info["dpi"] = dpi
            pages.append(page)
    except Image.DecompressionBombError:
        raise UnsafeFileError(
            f"this image is larger than {MAX_PIXELS // 1_000_000} million pixels, far more than a page scan; scan the page again at 200-300 dpi"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as err:  # Pillow's ways of saying "damaged"
        raise CorruptFileError(f"this image cannot be decoded ({type(err).__name__}); check it is not damaged, or scan the page again") from None
    return pages


def _page(frame: Image.Image) -> Image.Image:
    """One frame as a greyscale page at most ``MAX_DPI``, keeping its stated resolution."""
    dpi = _stated_dpi(frame)
    page = _grey(frame)
    if dpi and dpi > MAX_DPI + 0.5:
        scale = MAX_DPI / dpi
        page = page.resize((round(page.width * scale), round(page.height * scale)), Image.Resampling.LANCZOS)
        dpi = float(MAX_DPI)
    if dpi:
        page.info["dpi"] = (dpi, dpi)
    else:
        page.info.pop("dpi", None)
    return page


def _grey(frame: Image.Image) -> Image.Image:
    """The frame as 8-bit greyscale. A 16-bit scan (TIFF, PNG) keeps its high byte: Pillow's
    ``convert("L")`` clips it, and every page would come out white, "blank"."""
    if frame.mode.startswith("I;16") or frame.mode == "I":
        values = np.asarray(frame)
        if frame.mode.startswith("I;16") or int(values.max(initial=0)) > 255:
            values = values >> 8  # 0-65535 to 0-255
        return Image.fromarray(np.clip(values, 0, 255).astype(np.uint8), "L")
    return frame.convert("L")


def _stated_dpi(image: Image.Image) -> Optional[float]:
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    return value if value > 1 else None  # 1 or 0: "unknown" as some scanners write it


def is_image_name(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(".")


def folder_pages(folder: Path) -> list[Path]:
    """The page images in ``folder`` (not its subfolders), in natural order: page-2 before page-10."""
    return sorted((p for p in folder.iterdir() if p.is_file() and is_image_name(p)), key=_natural)


def page_folder(folder: Path) -> Optional[list[Path]]:
    """The pages, if ``folder`` is one scanned plan as a folder of page images; else None.

    Only page images, at least two, and their names the same but for one
    number: anything else is a folder of separate files, each its own plan.
    """
    files = [p for p in folder.iterdir() if not p.name.startswith(".") and p.name != "Thumbs.db"]
    if len(files) < 2 or any(not p.is_file() or not is_image_name(p) for p in files):
        return None
    shapes = {_NUMBER.sub("#", p.name.lower()) for p in files}
    if len(shapes) != 1 or "#" not in next(iter(shapes)):
        return None
    return folder_pages(folder)


def read_files(files: list[Path]) -> tuple[list[Image.Image], str]:
    """The pages of these image files, in order, and the sha256 of their bytes one after another."""
    if not files:
        raise UnsupportedFormatError("the folder holds no page images (.jpg, .png, .tif); give a plan's file, or the folder of its scanned pages")
    pages: list[Image.Image] = []
    digest = hashlib.sha256()
    for path in files:
        data = path.read_bytes()
        try:
            pages += load_pages(data)
        except (CorruptFileError, UnsafeFileError) as err:
            raise type(err)(f"{path.name}: {err.message}") from None
        digest.update(data)
    return pages, digest.hexdigest()


def _natural(path: Path) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name.lower())]
