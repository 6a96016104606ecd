"""The import floors of ../shared/spec/architecture.md, kept by reading every module's imports.

A module imports only from floors below it, or from its own part of the
package (parsers from parsers, ehc from ehc); never sideways across parsers,
mapping and writers, never up. Imports inside functions count as much as
those at the top: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "msp_convert"

# (module or package prefix, floor, part). The longest matching prefix wins.
FLOORS: list[tuple[str, int, str]] = [
    ("msp_convert.model", 1, "model"),
    ("msp_convert.template", 1, "template"),
    ("msp_convert.layout", 1, "layout"),
    ("msp_convert.results", 1, "results"),
    ("msp_convert.detect", 1, "detect"),
    ("msp_convert.text", 1, "text"),
    ("msp_convert.errors", 1, "errors"),
    ("msp_convert.glyphs", 1, "glyphs"),
    ("msp_convert.atomic", 1, "atomic"),
    ("msp_convert.office", 1, "office"),
    ("msp_convert.version", 1, "version"),
    ("msp_convert.parsers", 2, "parsers"),
    ("msp_convert.mapping", 2, "mapping"),
    ("msp_convert.writers", 2, "writers"),
    ("msp_convert.redact", 2, "redact"),  # model -> redacted model
    ("msp_convert.reader", 3, "reader"),
    ("msp_convert.ehc", 3, "ehc"),
    ("msp_convert.batch", 4, "batch"),
    ("msp_convert.review", 5, "review"),
    # the command line sits on top: its `review` command starts the review app (architecture.md puts both on
    # floor 5; cli calling review is the one import between them, so cli is counted a floor higher)
    ("msp_convert.cli", 6, "cli"),
    ("msp_convert.__main__", 6, "cli"),
    ("msp_convert", 5, "api"),  # the package itself: the public API (read, to_json...)
]


def place(module: str) -> tuple[int, str]:
    for prefix, floor, part in sorted(FLOORS, key=lambda f: -len(f[0])):
        if module == prefix or module.startswith(prefix + "."):
            return floor, part
    raise AssertionError(f"{module} is on no floor: add it to FLOORS as architecture.md places it")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every msp_convert module the file imports, relative imports resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([node.module] if node.module else []))
            # "from . import detect" imports a module; "from .model import Plan" a name in one.
            found.update(f"{base}.{a.name}" if _is_module(f"{base}.{a.name}") else base for a in node.names)
    return {m for m in found if m == "msp_convert" or m.startswith("msp_convert.")}


def _is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    return (PACKAGE.parent / relative).with_suffix(".py").exists() or (PACKAGE.parent / relative / "__init__.py").exists()


def allowed(importer: str, target: str) -> bool:
    (floor, part), (to_floor, to_part) = place(importer), place(target)
    if floor == 1:
        return False  # floor 1 imports nothing from the package
    return part == to_part or to_floor < floor


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_is_on_a_floor() -> None:
    for path in MODULES:
        place(module_name(path))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_keep_the_floors(path: Path) -> None:
    name = module_name(path)
    wrong = sorted(t for t in imported(path) if not allowed(name, t))
    assert not wrong, f"{name} (floor {place(name)[0]}) imports " + ", ".join(f"{t} (floor {place(t)[0]})" for t in wrong)


def test_the_rule_catches_what_it_should() -> None:
    """The check itself: these are what architecture.md forbids."""
    assert not allowed("msp_convert.writers.docx.form", "msp_convert.mapping.text")  # sideways
    assert not allowed("msp_convert.ehc.bundle", "msp_convert.reader")  # sideways on floor 3
    assert not allowed("msp_convert.mapping.flow", "msp_convert.reader")  # up
    assert not allowed("msp_convert.model", "msp_convert.errors")  # floor 1 imports nothing
    assert not allowed("msp_convert.ehc.bundle", "msp_convert")  # the package root is the public API, on top
    assert allowed("msp_convert.parsers.ocr.page", "msp_convert.parsers.pdf.records")  # OCR reuses PDF geometry
    assert allowed("msp_convert.batch", "msp_convert.reader")
    assert imported(PACKAGE / "reader.py") >= {"msp_convert.detect", "msp_convert.mapping", "msp_convert.model"}
