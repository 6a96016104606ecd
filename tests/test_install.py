"""The install is reproducible: requirements.lock pins what passed, and this environment has it.

pyproject.toml keeps honest ranges for people installing the package; the
lock (made by ``uv pip compile``, see the README) pins one version of every
package, and ``install.sh`` installs through it. A dependency added to
pyproject.toml without refreshing the lock, or an environment that drifted
from it, fails here rather than in some OCR test next month.
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import tomllib

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)\s*(?:;\s*(.+))?$")


def locked() -> dict[str, str]:
    """Package -> pinned version, for this Python (the lock is universal: markers choose)."""
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match and (match[3] is None or Marker(match[3]).evaluate()):
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def declared(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    wanted = [Requirement(line) for line in lines]
    return [r for r in wanted if r.marker is None or r.marker.evaluate()]  # those for this Python


def test_every_declared_dependency_is_pinned_within_its_range() -> None:
    pins = locked()
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    for requirement in declared(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is in pyproject.toml but not in requirements.lock: refresh the lock (README)"
        assert requirement.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} is outside {requirement}"


def test_this_environment_is_the_locked_one() -> None:
    """What the tests run on is what the lock says: the install went through it."""
    pins = locked()
    for requirement in declared("test"):
        name = canonicalize_name(requirement.name)
        assert version(name) == pins[name], f"{name} {version(name)} is installed, the lock says {pins[name]}: run install.sh"
    drifted = []
    for name, pinned in pins.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue  # in another extra (bench): not installed for the tests
        if installed != pinned:
            drifted.append(f"{name} {installed} (locked {pinned})")
    assert not drifted, "installed versions differ from requirements.lock: " + ", ".join(drifted)


def test_the_lock_is_read_as_meant() -> None:
    pins = locked()
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.\d+)?", pins["opencv-python-headless"])
    assert "numpy" in pins and "pdfminer-six" in pins  # markers for this Python chose one numpy; transitive pins are there
    assert not any(name.startswith("msp") for name in pins)  # the project itself is never pinned


def test_every_data_file_of_the_package_is_in_its_package_data() -> None:
    """A file under msp_convert/ that is not Python (a profile, a template or script of the review page) ships
    in a wheel only if pyproject's package-data names it."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["msp_convert"]
    package = ROOT / "msp_convert"
    data = [p.relative_to(package) for p in package.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert data, "the package holds data files (profiles at least)"
    left_out = [str(p) for p in data if not any(p.match(pattern) for pattern in patterns)]
    assert not left_out, f"not in [tool.setuptools.package-data]: {left_out}"
