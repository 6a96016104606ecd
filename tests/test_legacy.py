"""Old Word formats through LibreOffice, and password-protected documents.

Differences from the .docx model, each for a reason in the file itself:
- source (another file and format);
- LibreOffice writes legacy check-box form fields to RTF without their state
  (no \\ffres), so in the RTF copies of plans 02 and 12 those boxes read unticked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import msp_convert
from msp_convert.errors import EncryptedFileError, InputError, UnsupportedFormatError
from msp_convert.parsers.legacy import SOFFICE_ENV, TEMP_PREFIX, to_docx
from pdf_equivalence import comparable

REPO = Path(__file__).resolve().parents[1]
LEGACY = REPO / "fixtures" / "legacy"
PLANS = REPO / "fixtures" / "plans"
CONVERTED = sorted(p for p in LEGACY.iterdir() if p.suffix in (".doc", ".rtf", ".odt"))
RTF_LOST_FORM_FIELDS = {"02-ks1-down-syndrome.rtf", "12-ks4-eal-sen.rtf"}


def docx_model(name: str) -> dict:
    return comparable(msp_convert.read(PLANS / f"{name}.docx").model_dump(mode="json"))


def _without_ticks(plan: dict) -> dict:
    """The parts that do not hang on legacy form-field states."""
    plan = dict(plan)
    for key in ("other_plans", "outcomes"):
        plan.pop(key)
    for key in ("profile", "story", "family", "parent_views"):
        plan[key] = {k: v for k, v in plan[key].items() if k != "written_by"}
    return plan


def test_there_are_legacy_fixtures() -> None:
    assert {p.suffix for p in CONVERTED} == {".doc", ".rtf", ".odt"} and len(CONVERTED) == 15


@pytest.mark.parametrize("path", CONVERTED, ids=lambda p: p.name)
def test_legacy_plan_reads_like_its_docx(path: Path) -> None:
    plan = msp_convert.read(path)
    assert plan.source.format == path.suffix[1:]
    got, want = comparable(plan.model_dump(mode="json")), docx_model(path.stem)
    if path.name in RTF_LOST_FORM_FIELDS:
        got, want = _without_ticks(got), _without_ticks(want)
    for key in want:
        assert got[key] == want[key], key


def test_password_protected_docx() -> None:
    path = LEGACY / "01-eyfs-speech-language.encrypted.docx"
    with pytest.raises(EncryptedFileError, match="password-protected; give its password with --password-file"):
        msp_convert.read(path)
    with pytest.raises(EncryptedFileError, match="does not open"):
        msp_convert.read(path, password="wrong")
    plan = msp_convert.read(path, password="msp-test")
    assert plan.source.format == "docx" and plan.source.filename == path.name
    assert comparable(plan.model_dump(mode="json")) == docx_model("01-eyfs-speech-language")


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*")}


def _soffice_running() -> bool:
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and b"soffice" in (proc / "cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


def test_nothing_left_behind_even_after_a_timeout() -> None:
    before = _leftovers()
    data = (LEGACY / "03-ks2-dyslexia.doc").read_bytes()
    assert to_docx(data, "doc")[:2] == b"PK"
    with pytest.raises(InputError, match="took longer than"):
        to_docx(data, "doc", timeout=0.05)
    assert _leftovers() == before
    assert not _soffice_running()


def test_password_file_on_the_command_line(tmp_path: Path) -> None:
    secret = tmp_path / "pw.txt"
    secret.write_text("msp-test\n", encoding="utf-8")
    path = LEGACY / "09-ks2-adhd.encrypted.docx"
    run = [sys.executable, "-m", "msp_convert", "convert", str(path), "-q"]
    refused = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "password-protected" in refused.stderr
    opened = subprocess.run(run + ["--password-file", str(secret)], capture_output=True, text=True, timeout=120)
    assert opened.returncode == 0
    assert json.loads(opened.stdout)["child"] == json.loads(msp_convert.to_json(msp_convert.read(PLANS / "09-ks2-adhd.docx")))["child"]


def test_without_libreoffice_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOFFICE_ENV, str(tmp_path / "no-such-soffice"))
    with pytest.raises(UnsupportedFormatError, match="needs LibreOffice, which is not installed; install LibreOffice .*libreoffice-writer-nogui"):
        msp_convert.read(LEGACY / "06-ks2-semh.odt")
    env = {**os.environ, SOFFICE_ENV: str(tmp_path / "no-such-soffice")}
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.odt").write_bytes((LEGACY / "06-ks2-semh.odt").read_bytes())
    (folder / "b.docx").write_bytes((PLANS / "06-ks2-semh.docx").read_bytes())
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "msp_convert", "batch", str(folder), "-o", str(out), "-q"], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 1
    rows = {r["path"]: r for r in json.loads((out / "report.json").read_text(encoding="utf-8"))["files"]}
    assert (rows["a.odt"]["status"], rows["b.docx"]["status"]) == ("failed", "converted")
    assert "libreoffice-writer-nogui" in rows["a.odt"]["error"]


def test_batch_converts_legacy_files_together(tmp_path: Path) -> None:
    before = _leftovers()
    folder = tmp_path / "in"
    folder.mkdir()
    picked = [p for p in CONVERTED if p.stem in ("03-ks2-dyslexia", "06-ks2-semh")]
    for path in picked:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "damaged.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)  # OLE header, no document
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "msp_convert", "batch", str(folder), "-o", str(out), "-q", "--jobs", "2"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1
    rows = {r["path"]: r for r in json.loads((out / "report.json").read_text(encoding="utf-8"))["files"]}
    assert rows["damaged.doc"]["status"] == "failed"  # tried again on its own, and reported
    for path in picked:
        row = rows[path.name]
        assert row["status"] == "converted" and row["format"] == path.suffix[1:]
        assert (out / row["output"]).read_text(encoding="utf-8") == msp_convert.to_json(msp_convert.read(path))
    assert _leftovers() == before
