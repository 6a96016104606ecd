"""The one place that talks to Tesseract: libtesseract in process, through tesserocr.

One engine per thread (in practice, per batch worker), made on first use and
kept: the model is loaded once, and no page image is written to disk or
handed to a new process. It reads a page's words (``words``: page
segmentation AUTO), a strip of marks as one block of text (``block``: the
second look, SINGLE_BLOCK), and, only when asked, a page's orientation
(``orientation``: its own engine on the ``osd`` data, made the first time a
page needs it). Other modules never import tesserocr themselves.

The language data (``eng.traineddata``, ``osd.traineddata``) is Tesseract's
own: ``TESSDATA_PREFIX`` when set (the folder holding them, or its parent),
else the places Debian, Ubuntu, Fedora and Homebrew put it. Without it, or
without tesserocr, ``missing()`` says what to install in one line.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from .common import Word, _words

# Where packaged Tesseract data lives, newest first (Debian/Ubuntu, Fedora, Homebrew, source builds).
TESSDATA_PLACES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
    "/usr/local/share/tesseract-ocr/tessdata",
)
OMP_LIMIT = "OMP_THREAD_LIMIT"
NEEDED = ("eng", "osd")  # the words, and the orientation of a page scanned upside down or sideways


@dataclass(frozen=True)
class Settings:
    """How Tesseract is asked: page segmentation modes, and the orientation detector's settings."""

    lang: str = "eng"
    page_psm: int = 3  # PSM.AUTO: a page's layout found by Tesseract
    block_psm: int = 6  # PSM.SINGLE_BLOCK: the second look's strip of marks
    osd_psm: int = 0  # PSM.OSD_ONLY
    osd_min_characters: int = 20  # characters the orientation detector looks at before it answers
    osd_min_confidence: float = 1.0  # an orientation told with less confidence is not acted on


SETTINGS = Settings()
created: Counter[str] = Counter()  # engines made in this process, by language data (one per thread, not one per page)
_local = threading.local()


def tessdata() -> Optional[Path]:
    """The folder holding the language data every read needs, or None."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    places = [Path(prefix), Path(prefix) / "tessdata"] if prefix else [Path(p) for p in TESSDATA_PLACES]
    for place in places:
        if all((place / f"{lang}.traineddata").is_file() for lang in NEEDED):
            return place
    return None


def _tesserocr():  # type: ignore[no-untyped-def]
    """tesserocr, loaded with ``OMP_THREAD_LIMIT=1`` unless the user set it (then the variable is put back).

    The wheel's libtesseract has no OpenMP; one built with it (tesserocr built
    from source against Debian's) would run its threads against the batch
    workers, about 3x slower a page here. OpenMP reads the variable once, as it
    is loaded, so it need not stay set after.
    """
    threads = os.environ.get(OMP_LIMIT)
    if threads is None:
        os.environ[OMP_LIMIT] = "1"
    try:
        import tesserocr
    finally:
        if threads is None:
            os.environ.pop(OMP_LIMIT, None)
    return tesserocr


def missing() -> Optional[str]:
    """What is missing to read scans (one line), or None when Tesseract can run here."""
    try:
        _tesserocr()
    except ImportError:
        return "the Python package tesserocr is not installed (run install.sh)"
    if tessdata() is None:
        where = "TESSDATA_PREFIX" if os.environ.get("TESSDATA_PREFIX") else "the usual places"
        return f"Tesseract's English and orientation data (eng.traineddata, osd.traineddata) are not in {where}"
    return None


def _api(lang: str, psm: int):  # type: ignore[no-untyped-def]
    """A loaded engine; Tesseract's own notes go nowhere (they would land on standard error)."""
    tesserocr = _tesserocr()
    folder = tessdata()
    if folder is None:
        from ...errors import UnsupportedFormatError

        raise UnsupportedFormatError(f"reading a scan needs Tesseract: {missing()}; see the README")
    api = tesserocr.PyTessBaseAPI(path=str(folder), lang=lang, psm=psm, variables={"debug_file": os.devnull})
    created[lang] += 1
    return api


def _engine():  # type: ignore[no-untyped-def]
    api = getattr(_local, "words", None)
    if api is None:
        api = _local.words = _api(SETTINGS.lang, SETTINGS.page_psm)
    return api


def _osd_engine():  # type: ignore[no-untyped-def]
    api = getattr(_local, "osd", None)
    if api is None:
        api = _local.osd = _api("osd", SETTINGS.osd_psm)
        api.SetVariable("min_characters_to_try", str(SETTINGS.osd_min_characters))
    return api


def _set(api, grey: np.ndarray) -> None:  # type: ignore[no-untyped-def]
    """The image handed over as it is in memory (8-bit grey), no file, no copy into another format."""
    grey = np.ascontiguousarray(grey, dtype=np.uint8)
    api.SetImageBytes(grey.tobytes(), grey.shape[1], grey.shape[0], 1, grey.shape[1])


def _read(grey: np.ndarray, psm: int) -> list[Word]:
    api = _engine()
    api.SetPageSegMode(psm)
    _set(api, grey)
    if not api.Recognize():
        return []
    return _words(_tsv(api.GetTSVText(0)))


def words(grey: np.ndarray) -> list[Word]:
    """A page's words (``common.Word``: box in pixels, text, confidence, line), its layout found by Tesseract."""
    return _read(grey, SETTINGS.page_psm)


def block(grey: np.ndarray) -> list[Word]:
    """The words of an image read as one block of text (the second look's strip)."""
    return _read(grey, SETTINGS.block_psm)


def orientation(grey: np.ndarray) -> int:
    """Quarter turns (degrees, counter-clockwise) that put the page upright; 0 if unsure or unreadable."""
    api = _osd_engine()
    _set(api, grey)
    found = api.DetectOrientationScript()
    if not found or found["orient_conf"] < SETTINGS.osd_min_confidence:
        return 0
    return int(found["orient_deg"]) % 360  # the page's clockwise rotation, undone counter-clockwise


def _tsv(text: str) -> dict[str, list]:
    """Tesseract's TSV (words with their block, paragraph and line) as columns, as ``common._words`` takes them."""
    names = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left", "top", "width", "height", "conf", "text")
    columns: dict[str, list] = {n: [] for n in names}
    for row in text.splitlines():
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue  # pages, blocks, paragraphs and lines: their words follow
        for n, cell in zip(names[:10], cells):
            columns[n].append(int(cell))
        columns["conf"].append(float(cells[10]))
        columns["text"].append("\t".join(cells[11:]))
    return columns
