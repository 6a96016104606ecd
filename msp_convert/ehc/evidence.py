"""Matching Section 7's references to the files in an evidence folder, and the map a person edits to settle them.

Schools name files their own way: "EP report March 2019.pdf" is the
"Educational Psychologist report (14/03/2019)". A reference and a file name
are compared by their words (with the abbreviations schools use spelled out)
and by the dates in them; each file goes to the reference it fits best.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

from ..atomic import shown
from ..errors import InputError
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


class BundleError(InputError):
    """Something a person must fix before a bundle can be written; ``name`` is the file concerned."""

    code = "bundle"

    def __init__(self, message: str, name: Optional[str] = None) -> None:
        super().__init__(message)
        self.name = name


# --- the map a person edits ---------------------------------------------------

_KEY = re.compile(r"(family|education|health|social care|careers|other)\s*(\d+)")


def read_map(path: Path, refs: list[Reference], files: list[str], refused: list[str], *, part: str = "Section 7") -> dict[str, str]:
    """``{"education 2": "path/in/DIR.pdf"}`` from JSON or a two-column CSV; "" settles "no file". ``part`` names the list ("Part 7")."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise BundleError(f"could not be read ({getattr(err, 'strerror', None) or type(err).__name__}); it should be UTF-8 JSON or CSV", path.name)
    pairs: list[tuple[str, Any]] = []
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise BundleError(f"is not valid JSON (line {err.lineno}); it should be an object such as {{\"education 2\": \"EP report.pdf\"}}", path.name)
        if not isinstance(data, dict):
            raise BundleError("should be a JSON object such as {\"education 2\": \"EP report.pdf\"}", path.name)
        pairs = list(data.items())
    else:
        for row in csv.reader(io.StringIO(text)):
            cells = [c.strip() for c in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if not pairs and cells[0].lower() in ("reference", "ref", "key", "section 7", part.lower()):
                continue  # a header
            if len(cells) > 2 and any(cells[2:]):
                raise BundleError(f"has a row with more than two columns ({shown(cells[0])!r}); write: reference,file", path.name)
            pairs.append((cells[0], cells[1] if len(cells) > 1 else ""))
    known = {(r.category, r.index) for r in refs}
    settled: dict[str, str] = {}
    for key, value in pairs:
        m = _KEY.fullmatch(" ".join(str(key).lower().replace("_", " ").split()))
        if not m:
            raise BundleError(f"has {shown(str(key))!r}, which is not a {part} reference; write e.g. \"education 2\" or \"social care 1\"", path.name)
        category, index = m.group(1).replace(" ", "_"), int(m.group(2))
        if (category, index) not in known:
            count = sum(1 for r in refs if r.category == category)
            raise BundleError(f"has \"{category.replace('_', ' ')} {index}\", but {part} lists {count} {category.replace('_', ' ')} reference(s)", path.name)
        if value is not None and not isinstance(value, str):
            raise BundleError(f"gives \"{category.replace('_', ' ')} {index}\" something other than a file name", path.name)
        file = (value or "").strip()
        if file not in files:  # written on Windows: folder\\file.pdf
            file = file.replace("\\", "/")
            while file.startswith("./"):
                file = file[2:]
        if file and file not in files:
            why = "is a link to a file outside the evidence folder" if file in refused else "is not a file in the evidence folder (give its path inside the folder)"
            raise BundleError(f"names {shown(file)!r} for \"{category.replace('_', ' ')} {index}\", which {why}", path.name)
        settled[f"{category} {index}"] = file
    return settled
