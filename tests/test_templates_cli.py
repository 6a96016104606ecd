"""Choosing a template profile (issue 14): by what the document shows, or forced with --template.

The reader scores a document against every profile and reads it with the best;
``--template ID|FILE`` forces one; ``msp-convert templates`` lists them. A wrong
--template, or a profile file that does not fit the schema, is one line and exit 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import msp_convert
from msp_convert.cli import main
from msp_convert.layout import Document, Paragraph, Run
from msp_convert.mapping.landmarks import best_profile
from msp_convert.template import DEFAULT_PROFILE, PROFILES, ProfileError, choose, load_profile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
YORK = FIXTURES / "york" / "y01-complete.docx"
KIRKLEES = FIXTURES / "plans" / "01-eyfs-speech-language.docx"


def _lines(*texts: str) -> Document:
    return Document(body=[Paragraph([Run(t)]) for t in texts])


def test_the_reader_chooses_the_profile_the_document_shows() -> None:
    assert msp_convert.read(YORK).template.id == "york-2014"
    assert msp_convert.read(KIRKLEES).template.id == "kirklees-v2f"
    york = PROFILES["york-2014"]
    profiles = [DEFAULT_PROFILE, york]
    assert best_profile(_lines("Part 2: Information gathered by me and my family", "2.1\tWhat my family thinks is important to and for me"), profiles) is york
    assert best_profile(_lines("Section 2: My special educational needs", "Section 3: My health needs"), profiles) is DEFAULT_PROFILE
    assert best_profile(_lines("A letter about swimming"), profiles) is DEFAULT_PROFILE  # nothing shown: the default


def test_forcing_a_profile_reads_with_it() -> None:
    forced = msp_convert.read(YORK, profile=DEFAULT_PROFILE)  # a York plan read as a Kirklees one
    assert (forced.template.id, forced.coverage.verdict) == ("unknown", "other-layout") and forced.template.matched < 0.15
    assert not any((s.key or "").startswith("york-2014/") for s in forced.sections)  # nothing kept as York's parts
    counted = forced.coverage  # nothing lost: what no Kirklees field takes is kept, for a person to read
    assert counted.in_sections + counted.unmapped > 0.8 * counted.words and forced.child.name is None


def test_convert_template_option(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = CliRunner().invoke(main, ["convert", str(YORK), "--template", "york-2014", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text())
    assert plan["template"]["id"] == "york-2014" and plan["child"]["name"] == "Ava Lindfield"


def test_a_wrong_template_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(YORK), "--template", "leeds-1999", "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "leeds-1999" in lines[0] and "msp-convert templates" in lines[0]
    assert not (tmp_path / "x.json").exists()


def test_a_profile_file_that_does_not_fit_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "council.toml"
    bad.write_text('id = "council"\n[[sections]]\nkey = "a"\nwhere = "part a"\nheadings = ["A"]\nrole = "cover"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match=r"council.toml: not a template profile: sections\.0\.role"):
        load_profile(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text('id = "x"\nsections = [\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="broken.toml: not a TOML template profile"):
        choose(str(broken))
    result = CliRunner().invoke(main, ["convert", str(YORK), "--template", str(bad), "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_templates_lists_every_profile() -> None:
    result = CliRunner().invoke(main, ["templates"])
    assert result.exit_code == 0
    heads = [line.split(":")[0] for line in result.output.splitlines() if not line.startswith(" ")]
    assert heads == ["kirklees-v2f (default)", "york-2014"]
    york = next(line for line in result.output.splitlines() if line.startswith("    recognises") and "5 title lines" in line)
    assert f"recognises {len(PROFILES['york-2014'].landmarks())} pieces of wording" in york


def test_a_profiles_id_is_one_the_json_can_carry(tmp_path: Path) -> None:
    from msp_convert.model import TEMPLATE_ID_PATTERN
    from msp_convert.template import PROFILE_ID

    assert PROFILE_ID == TEMPLATE_ID_PATTERN  # what a profile may be called, the JSON's template.id accepts
    for bad in ("Council Form", "unknown"):
        path = tmp_path / "council.toml"
        path.write_text(f'id = "{bad}"\n[[sections]]\nkey = "a"\nwhere = "part a"\nheadings = ["A"]\n', encoding="utf-8")
        with pytest.raises(ProfileError, match=r"council.toml: not a template profile: (name|id)"):
            load_profile(path)
