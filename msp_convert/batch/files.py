"""Which files a batch takes, their checksums, and where each one's output goes."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..parsers.images import IMAGE_SUFFIXES, folder_pages, page_folder

# Extensions the readers take; the bytes decide the format, the name only picks candidates.
SUPPORTED = {".docx": "docx", ".docm": "docx", ".pdf": "pdf", ".doc": "doc", ".rtf": "rtf", ".odt": "odt", **IMAGE_SUFFIXES}
STATE = ".msp-convert"  # under OUT_DIR: the journal that makes a re-run resume


# --- finding the files ---------------------------------------------------------


@dataclass
class Found:
    rel: str
    path: Path
    format: str  # "" for files that are not taken
    ignored_because: str = ""
    pages_folder: bool = False  # a folder of one plan's scanned pages


def discover(in_dir: Path, out_dir: Path) -> Iterator[Found]:
    """Every file under ``in_dir``, sorted; links are not followed out of it.

    A folder that holds only one plan's page images (page-1.jpg,
    page-2.jpg...) is one plan, not a plan per page.
    """
    root = in_dir.resolve()
    out = out_dir.resolve()
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if (here / d).resolve() != out and d != STATE)
        pages = page_folder(here) if here != root else None
        if pages:
            if any(p.is_symlink() and not p.resolve().is_relative_to(root) for p in pages):
                yield Found(here.relative_to(root).as_posix(), here, "", "a folder of page images with a link to a file outside the folder")
            else:
                yield Found(here.relative_to(root).as_posix(), here, SUPPORTED[pages[0].suffix.lower()], pages_folder=True)
            continue
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    yield Found(rel, path, "", "a link to a file outside the folder")
                    continue
            fmt = SUPPORTED.get(path.suffix.lower(), "")
            yield Found(rel, path, fmt, "" if fmt else "not a plan format msp-convert reads")


def sha256_of(path: Path) -> str:
    """A file's sha256; for a folder of page images, of its pages' bytes one after another (as the reader's)."""
    digest = hashlib.sha256()
    for each in folder_pages(path) if path.is_dir() else [path]:
        with open(each, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def output_paths(found: list[Found], suffix: str = ".json") -> dict[str, str]:
    """Relative output path per input: a/b/plan.docx -> a/b/plan.json (plan.pdf.json on a clash)."""
    stems: dict[str, list[str]] = {}
    for f in found:
        stems.setdefault(f.rel + suffix if f.pages_folder else str(Path(f.rel).with_suffix(suffix)), []).append(f.rel)
    out = {}
    for target, rels in stems.items():
        for rel in rels:
            out[rel] = target if len(rels) == 1 else rel + suffix
    return out
