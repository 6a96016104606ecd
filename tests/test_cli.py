"""The command line: output, exit status, and what it says on standard error."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
from click.testing import CliRunner

import msp_convert
from msp_convert.cli import main
from msp_convert.writers.json import to_json


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command in a child process: real exit codes, real stderr."""
    return subprocess.run([sys.executable, "-m", "msp_convert", *args], capture_output=True, text=True, timeout=120)


def test_convert_prints_the_json(example_docx: Path) -> None:
    result = run("convert", str(example_docx))
    assert result.returncode == 0
    assert result.stdout == to_json(msp_convert.read(example_docx))
    # A summary of warnings: counts and places, never what the plan says.
    assert "2 warning(s): unmapped-text x2 (section 6 review, after section 7)" in result.stderr
    assert "Copies to" not in result.stderr and "Kai" not in result.stderr


def test_output_file_is_written_whole_and_alone(example_docx: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = CliRunner().invoke(main, ["convert", str(example_docx), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["child"]["name"] == "Kai Dobson"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]  # no temporary file left


def test_quiet_says_nothing_and_verbose_says_each_warning(example_docx: Path) -> None:
    assert run("convert", "-q", str(example_docx)).stderr == ""
    verbose = run("convert", "-v", str(example_docx)).stderr
    assert "[section 6 review]: Text in section 6 review fits no field" in verbose
    assert "review booked" not in verbose


def test_output_never_replaces_the_input(example_docx: Path, tmp_path: Path) -> None:
    copy = tmp_path / "plan.docx"
    copy.write_bytes(example_docx.read_bytes())
    result = run("convert", str(copy), "-o", str(copy))
    assert result.returncode == 2
    assert "overwrite the input" in result.stderr
    assert copy.read_bytes() == example_docx.read_bytes()


def test_usage_errors_exit_2(example_docx: Path) -> None:
    assert run("convert").returncode == 2
    assert run("convert", str(example_docx), "--to", "xml").returncode == 2
    assert run("frobnicate").returncode == 2


def test_version_and_schema() -> None:
    assert run("--version").stdout.strip() == f"msp-convert, version {msp_convert.__version__}"
    schema = json.loads(run("schema").stdout)
    assert schema["title"] == "Plan" and "provision" in schema["properties"]


def test_committed_schema_matches_the_models() -> None:
    committed = Path(__file__).resolve().parents[1] / "schema" / "plan-1.1.schema.json"
    assert committed.read_text(encoding="utf-8") == run("schema").stdout


def _letter(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Parents' evening", level=1)
    document.add_paragraph("Dear parents, parents' evening is on Thursday at 6pm in the hall.")
    document.save(path)
    return path


def test_a_document_that_is_not_a_plan(tmp_path: Path) -> None:
    letter = _letter(tmp_path / "letter.docx")
    out = tmp_path / "letter.json"
    refused = run("convert", str(letter), "-o", str(out))
    assert refused.returncode == 1
    assert refused.stderr.startswith("msp-convert: letter.docx: this does not look like a My Support Plan")
    assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert not out.exists()
    forced = run("convert", "--force", "-q", str(letter))
    assert forced.returncode == 0
    plan = json.loads(forced.stdout)
    assert [u["text"] for u in plan["unmapped"]] == [
        "Parents' evening",
        "Dear parents, parents' evening is on Thursday at 6pm in the hall.",
    ]
    assert plan["warnings"][-1]["code"] == "not-a-plan"


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    result = run("convert", str(tmp_path / "nowhere.docx"))
    assert result.returncode == 1
    assert result.stderr == "msp-convert: nowhere.docx: no such file; check the path\n"


def test_bad_input_gives_a_traceback_only_with_v(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("hello.txt", "not a document")
    quiet = run("convert", str(bad))
    assert quiet.returncode == 1 and "Traceback" not in quiet.stderr
    loud = run("convert", "-v", str(bad))
    assert loud.returncode == 1 and "Traceback" in loud.stderr


def test_convert_says_the_verdict_and_where_a_person_should_look() -> None:
    """The verdict leads the summary line: the placed share from the fixture's own count, the
    places from its warnings (never what is written there), and -q says nothing."""
    plans = Path(__file__).resolve().parents[1] / "fixtures" / "plans"
    semh = json.loads((plans / "06-ks2-semh.expected.json").read_text(encoding="utf-8"))
    share = 100 * semh["coverage"]["placed"] // semh["coverage"]["words"]
    result = run("convert", str(plans / "06-ks2-semh.docx"))
    assert result.returncode == 0 and semh["coverage"]["verdict"] == "partial"
    places = ", ".join(dict.fromkeys(u["where"] for u in semh["unmapped"]))
    assert result.stderr == (
        f"msp-convert: 06-ks2-semh.docx: read as partial: {share} % placed; a person should look at: {places}; "
        f"5 warning(s): unmapped-text x5 ({places})\n"
    )
    assert places == "cover, section 1a, section 2, section 6 review, after section 7"
    whole = run("convert", str(plans / "10-ks2-selective-mutism.docx"))  # no warnings: the verdict alone
    assert whole.stderr == "msp-convert: 10-ks2-selective-mutism.docx: read as complete: 100 % placed\n"
    assert run("convert", "-q", str(plans / "06-ks2-semh.docx")).stderr == ""


def test_a_plan_that_is_not_one_read_with_force_says_so(tmp_path: Path) -> None:
    letter = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("Dear parents, the trip to the farm is on Friday.")
    document.save(str(letter))
    result = run("convert", "--force", str(letter))
    assert result.returncode == 0
    assert result.stderr.startswith("msp-convert: letter.docx: read as not-a-plan: none of the template was found; all its text is kept in 'unmapped'")
