"""Seeded, structure-aware mutants of the fixtures: Word, PDF and plan JSON.

    from fuzz_mutate import make_mutant, seed_pool
    m = make_mutant("docx", seed=1, index=17, pool=seed_pool("quick"))
    m.id, m.ops, m.data          # "docx-1-17", ["xml-attr word/document.xml w:gridSpan@w:val"], b"PK..."

A mutant depends only on (format, campaign seed, index, the pool's files):
its random generator is seeded from a hash of those, never from the clock, so
the same seed gives the same bytes on every machine, and one mutant can be
made again alone (``tools/fuzz.py --only docx-1-17``). Plain ``random.Random``
drives it: no new dependency, and every choice is a named operator in a table
(``ops`` records which ran, with places and our own values, never plan text).

The Word operators live in ``fuzz_docx.py``, the PDF ones in ``fuzz_pdf.py``;
this module has what they share (boundary values, odd code points, raw-byte
operators) and the plan-JSON operators.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"

# What one edit may add: enough for huge counts (thousands of rows, pages, operators), never an absurd file.
MAX_ADDED_BYTES = 3 * 1024 * 1024
MAX_MUTANT_BYTES = 24 * 1024 * 1024
MAX_LIST = 3000  # a list repeated grows to at most this many items

# Inserted into mutated text: a message that shows it has quoted the document.
CANARY = "Qz7Canary"

# Numbers at the edges: integer widths, float limits, signs, spellings Python accepts and Word does not.
BOUNDARY_NUMBERS = [
    "0", "-0", "-1", "1", "2", "255", "256", "32767", "32768", "65535", "65536", "2147483647", "2147483648",
    "-2147483649", "4294967296", "9223372036854775808", "1" + "0" * 40, "9" * 5000, "1e308", "1e309", "-1e309",
    "NaN", "Infinity", "0.5", "1e-320", "0x10", "", " ", "+1", "1_000", "\u0663", "\uff11", "12pt", "-",
]
# Hex code points (w:sym w:char and the like): surrogates, beyond Unicode, private use, noncharacters.
BOUNDARY_HEX = ["D800", "DFFF", "DBFF", "110000", "FFFFFFFF", "0", "1", "FFFE", "FFFF", "F0FE", "F0FC", "F052", "zz", "-1", "2612"]
# Text that is awkward for a reader: controls, invisible and bidi marks, astral, noncharacters, combining runs.
ODD_TEXT = [
    "\u0000", "\u0001\u001f", "\u007f\u0085", "\u200b\u200e\u202e", "\ufeff", "\uffff\ufffe", "\U0001f600",
    "\U0010ffff", "\ud800", "\udfff\ud800", "\u2028\u2029", "a" + "\u0301" * 200, "\u2610\u2612\u2713\uf0fe\uf0a8",
    "\t\t\r\n", "\u00a0" * 50, "\u0130\u0131\u00df\ufb03",
]
# Plan-like text aimed at the mapping's readers of markers, dates, costs and numbers.
PLANISH_TEXT = [
    "R1 99/99/9999", "R99999999999999999999 12/03/2019", "R1 31/02/2019", "R1 00/00/0000", "R1 12/03/99999",
    "\u00a399999999999999999999999 per week", "\u00a31e309 per week", "\u00a3NaN per week", "99999999999999 hours a week at \u00a399999999 an hour",
    "\u00a343.75 \u00f7 0", "\u00a343.75 \u00f7 99999999999999999999", "Outcome 99999999999999999999", "Outcome -1", "Outcome \u0663",
    "By the end of", "will be able to", "Rating: 99999999999", "12/03/2019 \u2013 31/13/2019", "\u2610 \u2612 X x \u2713",
]


def rng_for(fmt: str, seed: int, index: int) -> random.Random:
    """The generator of one mutant: a hash of its coordinates, the same on every machine."""
    digest = hashlib.sha256(f"msp-fuzz:{fmt}:{seed}:{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def odd_string(rng: random.Random) -> str:
    """A short string with the canary and odd code points, or plan-like text, or a long run."""
    kind = rng.random()
    if kind < 0.45:
        return CANARY + rng.choice(ODD_TEXT) + CANARY
    if kind < 0.85:
        return rng.choice(PLANISH_TEXT) + " " + CANARY
    return CANARY * rng.choice([200, 5000, 50000])


# --- raw bytes ---------------------------------------------------------------------------------------------

def _flip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    out = bytearray(data)
    n = rng.choice([1, 2, 8, 64])
    for _ in range(n):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out), f"flip {n} byte(s)"


def _truncate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    cut = rng.choice([1, 2, 16, rng.randrange(len(data)), len(data) // 2, len(data) - 1, len(data) - 22])
    cut = max(0, min(cut, len(data)))
    return data[:cut], f"truncate at {cut}"


def _delete_range(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.choice([1, 4, 100, 5000]))
    return data[:a] + data[b:], f"delete bytes {a}..{b}"


def _insert(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data) + 1)
    blob = rng.choice([b"\x00", b"\xff" * 8, b"\xed\xa0\x80", b"\xc3(", CANARY.encode(), rng.randbytes(rng.choice([1, 16, 512]))])
    return data[:at] + blob + data[at:], f"insert {len(blob)} byte(s) at {at}"


def _duplicate_range(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.choice([16, 256, 4096]))
    times = rng.choice([1, 2, 20])
    return data[:b] + data[a:b] * times + data[b:], f"repeat bytes {a}..{b} x{times}"


RAW_OPS: list[Callable[[random.Random, bytes], tuple[bytes, str]]] = [_flip, _truncate, _delete_range, _insert, _duplicate_range]


def raw_op(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """One raw-byte operator applied to the whole file."""
    if not data:
        return data, "raw on empty"
    out, what = rng.choice(RAW_OPS)(rng, data)
    return out, "raw " + what


# --- plan JSON ---------------------------------------------------------------------------------------------

_RAW = "@@raw{}@@"  # a placeholder string replaced by raw JSON text after dumping


def _paths(obj: Any, path: tuple = ()) -> list[tuple]:
    """Every path to a value in the parsed JSON, the root last."""
    out: list[tuple] = []
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    for key, value in items:
        out.extend(_paths(value, path + (key,)))
    out.append(path)
    return out


def _raw_value(rng: random.Random) -> str:
    """JSON text Python's json.dumps would never write: huge or special numbers, lone surrogates, deep nesting."""
    depth = rng.choice([64, 900, 5000, 100000])
    return rng.choice([
        "1" + "0" * rng.choice([20, 400, 5000, 100000]), "1e309", "-1e309", "NaN", "Infinity", "-Infinity", "1e-400", "-0",
        '"\\ud800"', '"\\udfff\\ud800x"', '"\\u0000' + CANARY + '"', "[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth,
    ])


def _json_value(rng: random.Random, old: Any, raws: list[str]) -> Any:
    """A replacement for a JSON value: of the same type (so the plan stays valid and reaches the writers) or of
    a wrong type, a boundary, odd text, a huge list, or raw text."""
    if rng.random() < 0.5:
        same = _same_type(rng, old)
        if same is not None:
            return same
    kind = rng.random()
    if kind < 0.3:
        return rng.choice([None, True, False, 0, -1, 1.5, "", "x", [], {}, [[]], {"a": 1}, [None]])
    if kind < 0.45:
        return rng.choice([2**31, 2**63, 2**64, -(2**63) - 1, 1e308, -1e-308, 0.1, 10**30])
    if kind < 0.65:
        return odd_string(rng)
    if kind < 0.75 and isinstance(old, list) and old:
        return _repeat(old, rng.choice([2, 100, 3000]))
    raws.append(_raw_value(rng))
    return _RAW.format(len(raws) - 1)


def _same_type(rng: random.Random, old: Any) -> Any:
    """A value of the old one's type at an edge: odd text for text, boundary numbers, the other bool, a list
    emptied, repeated or reversed; None when there is nothing of that type to try."""
    if isinstance(old, bool):
        return not old
    if isinstance(old, str):
        return odd_string(rng)
    if isinstance(old, int):
        return rng.choice([0, -1, 1, 99, 2**31, 2**53 + 1, -(2**63), 10**18])
    if isinstance(old, float):
        return rng.choice([0.0, -0.0, 1e-9, 1e308, -1e308, 0.005, 123456789.125])
    if isinstance(old, list) and old:
        return rng.choice([[], old[::-1], _repeat(old, rng.choice([2, 50, 500]))])
    return None


def _repeat(items: list, times: int) -> list:
    """The list repeated, to at most MAX_LIST items (items are shared, so an edit of one shows in every copy)."""
    return (items * times)[: max(len(items), MAX_LIST)]


def _set(obj: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    parent = obj
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return obj


def _json_edit(rng: random.Random, obj: Any, raws: list[str]) -> tuple[Any, str]:
    """One structural edit of the parsed plan: replace, delete, add, or duplicate a key."""
    paths = _paths(obj)
    path = rng.choice(paths[:-1] or paths) if rng.random() < 0.97 else ()
    where = json_path_text(path)
    kind = rng.random()
    parent = obj
    for key in path[:-1]:
        parent = parent[key]
    if path and kind < 0.15 and isinstance(parent, dict):
        del parent[path[-1]]
        return obj, f"json delete {where}"
    if path and kind < 0.25 and isinstance(parent, (dict, list)):
        if isinstance(parent, dict):  # a key of our own; one with an escape sequence tests the messages naming it
            parent[rng.choice(["fuzz_extra", "fuzz\u001b[2J", "fuzz\u202e"])] = 1
        else:
            parent.append(parent[path[-1]])
        return obj, f"json add beside {where}"
    old = parent[path[-1]] if path else obj
    return _set(obj, path, _json_value(rng, old, raws)), f"json set {where}"


def json_path_text(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path) or "(root)"


def mutate_json(rng: random.Random, data: bytes) -> tuple[bytes, list[str]]:
    """1-3 edits of the parsed plan (values of the wrong type, boundaries, odd text, nesting), or raw bytes."""
    if rng.random() < 0.12:
        out, what = raw_op(rng, data)
        return out, [what]
    obj = json.loads(data)
    raws: list[str] = []
    ops = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        obj, what = _json_edit(rng, obj, raws)
        ops.append(what)
    text = json.dumps(obj, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2]))
    for i, raw in enumerate(raws):
        text = text.replace(json.dumps(_RAW.format(i)), raw)
    out = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.05:
        out = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b" \n"]) + out
        ops.append("json prefix bytes")
    return out, ops


# --- the mutant ----------------------------------------------------------------------------------------------

SUFFIX = {"docx": ".docx", "pdf": ".pdf", "json": ".json"}


@dataclass
class Mutant:
    id: str
    fmt: str
    seed_file: str  # the fixture it came from, relative to the repo
    ops: list[str] = field(default_factory=list)
    data: bytes = b""

    @property
    def filename(self) -> str:
        return self.id + SUFFIX[self.fmt]


# Which fixtures each pool mutates. "quick" is the test's: small and fast to read.
POOLS = {
    "quick": {
        "docx": ["plans/*.docx", "blank-template.docx"],
        "pdf": ["pdf/08-ks1-visual-impairment.pdf", "pdf/other-producer/abiword/08-ks1-visual-impairment.pdf"],
        "json": ["plans/*.expected.json"],
    },
    "full": {
        "docx": ["plans/*.docx", "blank-template.docx"],
        "pdf": ["pdf/*.pdf", "pdf/forms/*.pdf", "pdf/other-producer/*/*.pdf"],
        "json": ["plans/*.expected.json", "blank-template.expected.json"],
    },
}


def seed_pool(name: str) -> dict[str, list[tuple[str, bytes]]]:
    """The pool's fixtures per format, sorted by path so every machine picks the same one."""
    pool: dict[str, list[tuple[str, bytes]]] = {}
    for fmt, patterns in POOLS[name].items():
        files = sorted({p for pattern in patterns for p in FIXTURES.glob(pattern)})
        assert files, f"no {fmt} fixtures for pool {name!r} under {FIXTURES}"
        pool[fmt] = [(str(p.relative_to(REPO)), p.read_bytes()) for p in files]
    return pool


def make_mutant(fmt: str, seed: int, index: int, pool: dict[str, list[tuple[str, bytes]]]) -> Mutant:
    """Mutant number ``index`` of a campaign: a fixture of the format and 1-3 of the format's operators."""
    rng = rng_for(fmt, seed, index)
    seed_file, data = pool[fmt][rng.randrange(len(pool[fmt]))]
    mutate = {"docx": mutate_docx, "pdf": mutate_pdf, "json": mutate_json}[fmt]
    out, ops = mutate(rng, data)
    if len(out) > MAX_MUTANT_BYTES:  # edits compound; a mutant stays a file a school could have
        out, ops = out[:MAX_MUTANT_BYTES], ops + [f"cut to {MAX_MUTANT_BYTES} bytes"]
    return Mutant(id=f"{fmt}-{seed}-{index}", fmt=fmt, seed_file=seed_file, ops=ops, data=out)


def parse_id(mutant_id: str) -> tuple[str, int, int]:
    """"docx-1-17" -> ("docx", 1, 17)."""
    fmt, seed, index = mutant_id.rsplit("-", 2)
    return fmt, int(seed), int(index)


# The format modules use this one's shared operators, so they are imported last (and at once, so a long run's
# parent makes reproducers with the code its workers ran, even if the files are edited meanwhile).
from fuzz_docx import mutate_docx  # noqa: E402
from fuzz_pdf import mutate_pdf  # noqa: E402
