"""Matching Section 7's references to the files in an evidence folder.

Schools name files their own way: "EP report March 2019.pdf" is the
"Educational Psychologist report (14/03/2019)". A reference and a file name
are compared by their words (with the abbreviations schools use spelled out)
and by the dates in them; each file goes to the reference it fits best.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from ..mapping.dates import DATE_RE, parse_date
from ..model import Plan

CATEGORIES = ("family", "education", "health", "social_care", "careers", "other")

_ABBREVIATIONS = {
    "ep": "educational psychologist", "epr": "educational psychologist report", "salt": "speech language therapy",
    "slt": "speech language therapy", "ot": "occupational therapy", "pt": "physiotherapy", "physio": "physiotherapy",
    "camhs": "child adolescent mental health", "paed": "paediatrician", "paeds": "paediatrician",
    "ihcp": "individual health care plan", "hcp": "health care plan", "pep": "personal education plan",
    "taf": "team around family", "cin": "child need", "cp": "child protection", "vi": "visual impairment",
    "hi": "hearing impairment", "asc": "autism", "asd": "autism", "adhd": "adhd", "semh": "social emotional mental health",
    "sen": "special educational needs", "send": "special educational needs disability", "ehc": "education health care",
    "eal": "english additional language", "ta": "teaching assistant", "senco": "senco", "ss": "social services",
}
_WEAK = {"report", "reports", "letter", "plan", "record", "records", "notes", "assessment", "scan", "copy", "doc", "final", "v2", "draft"}
_STOP = {"the", "of", "and", "a", "an", "for", "from", "to", "in", "on", "with", "by", "at", "my", "his", "her", "their", "dated", "date"}
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO = re.compile(r"(\d{4})[-_.](\d{1,2})[-_.](\d{1,2})")
_MONTH_YEAR = re.compile(r"\b([a-z]{3})[a-z]*[\s_-]+(\d{4})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(20\d{2})\b")


@dataclass(frozen=True)
class Reference:
    category: str
    index: int  # 1-based within its category
    reference: str
    date: Optional[dt.date]


@dataclass
class Matched:
    reference: Reference
    file: Optional[str]  # relative to the evidence folder, POSIX slashes
    score: float = 0.0


def references(plan: Plan) -> list[Reference]:
    return [
        Reference(category, index, ref.reference, ref.date)
        for category in CATEGORIES
        for index, ref in enumerate(getattr(plan.appendices, category), 1)
    ]


def evidence_files(folder: Path) -> tuple[list[str], list[str]]:
    """(files, refused): every file under ``folder``; links that lead outside it are refused."""
    root = folder.resolve()
    files: list[str] = []
    refused: list[str] = []
    for path in sorted(_walk(root)):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            refused.append(rel)
        elif path.is_file() and not path.name.startswith("."):
            files.append(rel)
    return files, refused


def _walk(root: Path) -> Iterator[Path]:
    for path in root.rglob("*"):
        if path.is_file() or path.is_symlink():
            yield path


def _words(text: str) -> dict[str, float]:
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    out: dict[str, float] = {}
    for word in re.findall(r"[a-z]+", text.lower()):
        for part in _ABBREVIATIONS.get(word, word).split():
            if part in _STOP or len(part) < 2:
                continue
            stem = part[:-1] if part.endswith("s") and len(part) > 3 else part
            out[stem] = 0.3 if part in _WEAK else 1.0
    return out


def _file_dates(name: str) -> tuple[Optional[dt.date], Optional[tuple[int, int]], Optional[int]]:
    """(full date, (year, month), year) written in a file name."""
    m = _ISO.search(name)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None, None
        except ValueError:
            pass
    m = DATE_RE.search(name.replace("_", " "))
    if m:
        found = parse_date(m.group(0))
        if found:
            return found, None, None
    m = _MONTH_YEAR.search(name)
    if m and m.group(1).lower() in _MONTHS:
        return None, (int(m.group(2)), _MONTHS[m.group(1).lower()]), None
    m = _YEAR.search(name)
    return None, None, int(m.group(1)) if m else None


def score(ref: Reference, file: str) -> float:
    name = Path(file).stem
    a, b = _words(ref.reference), _words(name)
    shared = sum(min(a[w], b[w]) for w in a.keys() & b.keys())
    total = shared
    if ref.date is not None:
        full, month, year = _file_dates(name)
        if full is not None:
            total += 3.0 if full == ref.date else -2.0
        elif month is not None:
            total += 1.5 if month == (ref.date.year, ref.date.month) else -1.0
        elif year is not None:
            total += 0.5 if year == ref.date.year else -0.5
    return total if shared >= 1.0 else 0.0  # a date alone names no document


def match(refs: list[Reference], files: list[str], settled: Optional[dict[str, str]] = None) -> tuple[list[Matched], list[str]]:
    """Each reference with its file (or None), and the files no reference took.

    ``settled`` maps "category index" (e.g. "education 2") to a file, as a
    person decided it (``--map``); those are kept as given.
    """
    settled = settled or {}
    taken: set[str] = set()
    result: dict[Reference, Matched] = {}
    for ref in refs:
        chosen = settled.get(f"{ref.category} {ref.index}")
        if chosen is not None:
            result[ref] = Matched(ref, chosen if chosen in files else None, 99.0)
            taken.add(chosen)
    pairs = sorted(
        ((score(ref, f), ref, f) for ref in refs if ref not in result for f in files if f not in taken),
        key=lambda p: (-p[0], p[1].category, p[1].index, p[2]),
    )
    for value, ref, file in pairs:
        if value < 1.0 or ref in result or file in taken:
            continue
        result[ref] = Matched(ref, file, round(value, 2))
        taken.add(file)
    return [result.get(ref, Matched(ref, None)) for ref in refs], [f for f in files if f not in taken]
