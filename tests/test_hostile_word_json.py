"""Hostile Word and JSON plans (issue 12): no crash, no flood, no unbounded work.

Each input is a committed fixture rewritten: its document.xml or its zip bytes
for Word, its expected JSON for a plan's JSON. What comes back is one of two
things: the plan, with text no document can hold replaced by U+FFFD and a
warning ``invalid-character`` (the plan is kept and the place flagged), or one
``InputError`` line naming a limit; through the CLI, one line, exit 1, no
traceback, no output file, for ``convert`` and ``check`` alike.
"""

from __future__ import annotations

import io
import json
import re
import struct
import tracemalloc
import zipfile
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

import msp_convert
from msp_convert import cli
from msp_convert.cli import main
from msp_convert.errors import CorruptFileError, EncryptedFileError, InputError, UnsafeFileError
from msp_convert.layout import Cell, Paragraph, Row, Run, Table
from msp_convert.mapping.grids import MAX_HEADER_SPAN, header_columns
from msp_convert.model import Entry
from msp_convert.parsers.docx import parse_docx
from msp_convert.parsers.docx.package import MAX_DIRECTORY_BYTES, MAX_ZIP_MEMBERS
from msp_convert.parsers.docx.tables import MAX_GRID_COLUMNS
from msp_convert.reader import (
    MAX_JSON_NUMBER_CHARS,
    MAX_PLAN_JSON_BYTES,
    MAX_PLAN_JSON_DEPTH,
    MAX_PLAN_JSON_VALUES,
    MAX_PLAN_NUMBER,
    PlanJsonError,
    json_path,
)
from msp_convert.template import DEFAULT_PROFILE
from msp_convert.text import INVALID_CHARACTER, INVALID_CHARS, REPLACEMENT
from msp_convert.writers.docx import write_docx

PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"
WORD = PLANS / "01-eyfs-speech-language.docx"
PLAN_JSON = PLANS / "01-eyfs-speech-language.expected.json"
CHILD = "Maisie"  # the fixture child's first name: never in a message


# --------------------------------------------------------------- rewriting fixtures --

def rewritten(edit: Callable[[bytes], bytes], part: str = "word/document.xml") -> bytes:
    """The Word fixture with one part's bytes passed through ``edit``."""
    out = io.BytesIO()
    with zipfile.ZipFile(WORD) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info.filename, edit(body) if info.filename == part else body)
    return out.getvalue()


def before_every_text(xml: str) -> Callable[[bytes], bytes]:
    """Put ``xml`` in each run, before its text."""
    return lambda body: body.replace(b"<w:t>", xml.encode() + b"<w:t>").replace(b"<w:t xml:space", xml.encode() + b"<w:t xml:space")


def central_entries(data: bytes) -> list[int]:
    """Offsets of the zip's central directory headers."""
    return [m.start() for m in re.finditer(re.escape(b"PK\x01\x02"), data)]


def fixture_json() -> dict:
    return json.loads(PLAN_JSON.read_text(encoding="utf-8"))


def json_bytes(obj: object) -> bytes:
    return json.dumps(obj).encode("utf-8")


def with_text(text_escape: str) -> bytes:
    """The JSON fixture with ``text_escape`` (JSON escapes, e.g. ``\\ud800``) put into its first health need."""
    plan = fixture_json()
    plan["health_needs"] = [{"text": "MARK", "withdrawn": False, "struck": [], "review": None, "review_date": None}]
    return json_bytes(plan).replace(b"MARK", b"Sees the nurse" + text_escape.encode() + b" weekly")


def cli_run(tmp_path: Path, data: bytes, name: str, *args: str) -> tuple[int, list[str], str, Path]:
    """Run the real CLI on ``data`` saved as ``name``: exit code, stderr lines, stdout, the output path."""
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "out.json"
    command = list(args) + [str(path)] + (["-o", str(out)] if args[0] == "convert" else [])
    result = CliRunner().invoke(main, command)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr.splitlines(), result.stdout, out


def one_clear_line(tmp_path: Path, data: bytes, name: str, says: str) -> None:
    """``convert`` and ``check`` both: exit 1, one line naming the file and ``says``, nothing else."""
    for command in (("convert",), ("check",)):
        code, lines, stdout, out = cli_run(tmp_path, data, name, *command)
        assert code == 1, (command, lines)
        assert len(lines) == 1 and lines[0].startswith(f"msp-convert: {name}: "), (command, lines)
        assert says in lines[0], (command, lines)
        assert "Traceback" not in "\n".join(lines) and CHILD not in lines[0]
        assert stdout == "" and not out.exists()


# ----------------------------------------------------- Word text no document can hold --

@pytest.mark.parametrize("code", ["D800", "DFFF", "DBFF", "0001", "000B", "001F", "FFFE", "FFFF"])
@pytest.mark.parametrize("font", ["", ' w:font="Arial"', ' w:font="Symbol"', ' w:font="Wingdings"'])
def test_a_sym_no_document_can_hold_is_replaced_and_flagged(code: str, font: str) -> None:
    plan = msp_convert.read(data=rewritten(before_every_text(f'<w:sym{font} w:char="{code}"/>')), filename="plan.docx")
    original = msp_convert.read(WORD)
    text = msp_convert.to_json(plan)
    assert INVALID_CHARS.search(text) is None
    # A symbol font's low codes are read as its Private Use characters (U+F001...): valid, nothing replaced.
    replaced = not (font in (' w:font="Symbol"', ' w:font="Wingdings"') and code in ("0001", "000B", "001F"))
    assert (INVALID_CHARACTER in [w.code for w in plan.warnings]) is replaced
    assert (REPLACEMENT in text) is replaced
    assert len(plan.outcomes) == len(original.outcomes) == 3 and len(plan.provision) == len(original.provision)
    for mode in ("as-is", "new"):
        assert write_docx(plan, mode=mode)[:2] == b"PK"


def test_a_sym_documents_can_hold_gives_no_warning() -> None:
    plan = msp_convert.read(data=rewritten(before_every_text('<w:sym w:char="0041"/>')), filename="plan.docx")
    assert INVALID_CHARACTER not in [w.code for w in plan.warnings]
    assert REPLACEMENT not in msp_convert.to_json(plan)


@pytest.mark.parametrize("chosen", ["\u00b2", "1" * 5000, "-1", "\u0663"])
def test_a_drop_down_index_that_is_no_small_number_shows_the_first_entry(chosen: str) -> None:
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="D"/><w:ddList>'
        f'<w:result w:val="{chosen}"/><w:listEntry w:val="Weekly"/><w:listEntry w:val="Daily"/>'
        '</w:ddList></w:ffData></w:fldChar></w:r><w:r><w:instrText> FORMDROPDOWN </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    doc = parse_docx(rewritten(lambda body: body.replace(b"<w:body>", f"<w:body><w:p>{field}</w:p>".encode(), 1))).value
    first = doc.body[0]
    assert isinstance(first, Paragraph) and first.text == "Weekly"


# ------------------------------------------------------------ numbers used as counts --

def test_a_header_cell_spanning_two_billion_columns_is_read_as_the_limit() -> None:
    data = rewritten(lambda body: body.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="2147483647"/>'))
    doc = parse_docx(data).value
    spans = [c.col_span for b in doc.body if isinstance(b, Table) for row in b.rows for c in row.cells]
    assert spans and max(spans) == MAX_GRID_COLUMNS
    tracemalloc.start()
    try:
        plan = msp_convert.read(data=data, filename="plan.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "table-grid-clamped" in [w.code for w in plan.warnings]
    assert peak < 100 * 2**20  # the old code asked for 2**31 dictionary entries: a MemoryError at 2 GB


@pytest.mark.parametrize("before", ["2147483647", "-2147483647", "9" * 5000, "\u00b2"])
def test_a_row_starting_far_off_the_grid_is_held_to_it(before: str) -> None:
    data = rewritten(lambda body: body.replace(b"<w:tr>", f'<w:tr><w:trPr><w:gridBefore w:val="{before}"/></w:trPr>'.encode()))
    doc = parse_docx(data).value
    cols = [c.col for b in doc.body if isinstance(b, Table) for row in b.rows for c in row.cells]
    assert cols and 0 <= min(cols) and max(cols) <= MAX_GRID_COLUMNS + 64
    plan = msp_convert.read(data=data, filename="plan.docx")  # every row shifted: what was read is kept
    assert plan.outcomes or plan.unmapped
    assert ("table-grid-clamped" in [w.code for w in plan.warnings]) is (before == "2147483647")


def test_header_columns_names_at_most_the_limit_for_one_cell() -> None:
    """The mapping sizes nothing by a span, whoever made the layout."""
    wording = DEFAULT_PROFILE.provision_columns
    cells = [Cell([Paragraph([Run(c.wordings[0])])], col=i, col_span=2**31 - 1 if i == 0 else 1) for i, c in enumerate(wording)]
    found = header_columns(Row(cells), wording, 3)
    assert found is not None and len(found) <= MAX_HEADER_SPAN + len(wording)


# ------------------------------------------------------------------- every zip failure --

def _edit_central(data: bytes, at: int, value: bytes, every: bool = True) -> bytes:
    out = bytearray(data)
    for start in central_entries(data) if every else central_entries(data)[:1]:
        out[start + at:start + at + len(value)] = value
    return bytes(out)


def _edit_local(data: bytes, at: int, value: bytes) -> bytes:
    out = bytearray(data)
    for m in re.finditer(re.escape(b"PK\x03\x04"), data):
        out[m.start() + at:m.start() + at + len(value)] = value
    return bytes(out)


def _duplicated() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(WORD) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("WORD/Document.xml", b"<w:document/>")
    return out.getvalue()


def _damaged_deflate() -> bytes:
    data = bytearray(WORD.read_bytes())
    with zipfile.ZipFile(WORD) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + 60):
        data[i] ^= 0x5A
    return bytes(data)


def _truncated_member() -> bytes:
    data = bytearray(WORD.read_bytes())
    with zipfile.ZipFile(WORD) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    # The member's data ends early: what follows it is stored instead of the rest.
    del data[start + info.compress_size // 2:start + info.compress_size]
    for at in central_entries(bytes(data)):  # the central directory's offsets now point past it; fix them up
        offset = struct.unpack_from("<L", data, at + 42)[0]
        if offset > start:
            struct.pack_into("<L", data, at + 42, offset - (info.compress_size - info.compress_size // 2))
    end = bytes(data).rfind(b"PK\x05\x06")
    struct.pack_into("<L", data, end + 16, struct.unpack_from("<L", data, end + 16)[0] - (info.compress_size - info.compress_size // 2))
    return bytes(data)


ZIP_CASES = {
    # zipfile's NotImplementedError, RuntimeError, zlib.error, EOFError, BadZipFile...
    "zip-version": (lambda: _edit_central(WORD.read_bytes(), 6, b"\x63"), CorruptFileError, "zip feature Word never writes"),
    "compression-method": (
        lambda: _edit_local(_edit_central(WORD.read_bytes(), 10, b"\x63\x00"), 8, b"\x63\x00"), CorruptFileError, "zip feature Word never writes"),
    "encrypted-entry": (lambda: _edit_central(WORD.read_bytes(), 8, b"\x01"), EncryptedFileError, "encrypted"),
    "damaged-deflate": (_damaged_deflate, CorruptFileError, "damaged"),
    "truncated-member": (_truncated_member, CorruptFileError, "damaged"),
    "truncated-file": (lambda: WORD.read_bytes()[: len(WORD.read_bytes()) // 2], CorruptFileError, "not a valid .docx"),
    "duplicate-names": (_duplicated, CorruptFileError, "two parts of the same name"),
}


@pytest.mark.parametrize("case", ZIP_CASES, ids=list(ZIP_CASES))
def test_every_zip_failure_is_one_input_error(case: str, tmp_path: Path) -> None:
    make, kind, says = ZIP_CASES[case]
    data = make()
    with pytest.raises(InputError) as caught:
        parse_docx(data)
    assert type(caught.value) is kind and says in caught.value.message, caught.value.message
    one_clear_line(tmp_path, data, "plan.docx", says)


def many_members(count: int, claimed_size: int | None = None, zip64: bool = False) -> bytes:
    """A zip of ``count`` empty central directory entries (no data: zipfile reads the directory first)."""
    entries = b"".join(
        struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, len(name), 0, 0, 0, 0, 0, 0) + name
        for name in (b"%x" % i for i in range(count))
    )
    size = len(entries) if claimed_size is None else claimed_size
    tail = b""
    if zip64:
        record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(entries), 0)
        tail = record + struct.pack("<4sLQL", b"PK\x06\x07", 0, len(entries), 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, min(count, 0xFFFF), min(count, 0xFFFF), size, 0, 0)
    return entries + tail + end


@pytest.mark.parametrize(
    "data, mib",
    [
        pytest.param(lambda: many_members(500_000), 4, id="500000-members"),
        pytest.param(lambda: many_members(40_000, claimed_size=100, zip64=True), 4, id="zip64-record-says-the-size"),
        # Within the directory's bytes, past the count: zipfile reads the directory, then it is refused.
        pytest.param(lambda: many_members(MAX_ZIP_MEMBERS + 2000), 32, id="over-the-member-limit"),
    ],
)
def test_a_zip_of_absurdly_many_parts_is_refused(data: Callable[[], bytes], mib: int) -> None:
    blob = data()
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeFileError) as caught:
            parse_docx(blob)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert f"more than {MAX_ZIP_MEMBERS} parts" in caught.value.message
    # zipfile would build a ZipInfo for each: 500,000 took 230 MB and over a minute.
    assert peak < mib * 2**20


def test_the_directory_limit_leaves_room_for_a_real_package() -> None:
    with zipfile.ZipFile(WORD) as z:
        directory = sum(46 + len(i.filename.encode()) + len(i.extra) + len(i.comment) for i in z.infolist())
    assert directory * 50 < MAX_DIRECTORY_BYTES
    assert msp_convert.read(WORD).outcomes


# ----------------------------------------------------------------------- JSON limits --

DEEP = {
    "arrays-100000": b"[" * 100_000 + b"]" * 100_000,
    "objects-100000": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "just-past-the-limit": b'{"health_needs": ' + b"[" * MAX_PLAN_JSON_DEPTH + b"]" * MAX_PLAN_JSON_DEPTH + b"}",
}


@pytest.mark.parametrize("case", DEEP, ids=list(DEEP))
def test_json_nested_deeper_than_any_plan_is_one_line(case: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        msp_convert.read(data=DEEP[case], filename="plan.json")
    assert not isinstance(caught.value, PlanJsonError)
    assert f"nests deeper than {MAX_PLAN_JSON_DEPTH} levels" in caught.value.message
    one_clear_line(tmp_path, DEEP[case], "plan.json", "nests deeper")


NUMBERS = {
    "10000-digit-integer": (b'{"plan_number": ' + b"9" * 10_000 + b"}", f"more than {MAX_JSON_NUMBER_CHARS} characters"),
    "long-float": (b'{"plan_number": 0.' + b"1" * 5_000 + b"}", f"more than {MAX_JSON_NUMBER_CHARS} characters"),
    "overflowing-float": (b'{"plan_number": 1e400}', "too large"),
    "nan": (b'{"plan_number": NaN}', "NaN is not a JSON value"),
    "infinity": (b'{"plan_number": -Infinity}', "-Infinity is not a JSON value"),
}


@pytest.mark.parametrize("case", NUMBERS, ids=list(NUMBERS))
def test_json_numbers_past_any_plan_are_one_line(case: str, tmp_path: Path) -> None:
    data, says = NUMBERS[case]
    with pytest.raises(InputError) as caught:
        msp_convert.read(data=data, filename="plan.json")
    assert says in caught.value.message
    one_clear_line(tmp_path, data, "plan.json", says)


def test_json_too_big_or_too_many_values_is_refused_before_validation(tmp_path: Path) -> None:
    values = b'{"unmapped": [' + b",".join([b"1"] * (MAX_PLAN_JSON_VALUES + 1)) + b"]}"
    assert len(values) < MAX_PLAN_JSON_BYTES
    one_clear_line(tmp_path, values, "plan.json", f"more than {MAX_PLAN_JSON_VALUES:,} values")
    big = b'{"unmapped": "' + b"x" * MAX_PLAN_JSON_BYTES + b'"}'
    one_clear_line(tmp_path, big, "plan.json", f"larger than {MAX_PLAN_JSON_BYTES // 2**20} MiB")


def test_the_json_limits_leave_room_for_every_fixture() -> None:
    for path in sorted(PLANS.glob("*.expected.json")):
        plan = msp_convert.read(path)
        assert INVALID_CHARACTER not in [w.code for w in plan.warnings], path.name


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud83d", "\\u0001", "\\u001f", "\\ufffe", "\\uffff"])
def test_json_text_no_document_can_hold_is_replaced_and_flagged(escape: str, tmp_path: Path) -> None:
    plan = msp_convert.read(data=with_text(escape), filename="plan.json")
    assert plan.health_needs[0].text == f"Sees the nurse{REPLACEMENT} weekly"
    flagged = [w for w in plan.warnings if w.code == INVALID_CHARACTER]
    assert len(flagged) == 1 and flagged[0].where == "health_needs[0].text"
    assert INVALID_CHARS.search(msp_convert.to_json(plan)) is None
    for command in (["convert"], ["convert", "--to", "docx", "--mode", "as-is"], ["convert", "--to", "docx"]):
        path = tmp_path / "plan.json"
        path.write_bytes(with_text(escape))
        out = tmp_path / ("out.docx" if "docx" in command else "out.json")
        result = CliRunner().invoke(main, command + [str(path), "-o", str(out)])
        assert result.exit_code == 0, (command, result.stderr)
        assert INVALID_CHARACTER in result.stderr and "Traceback" not in result.stderr
        assert out.stat().st_size > 0
    back = msp_convert.read(tmp_path / "out.docx")  # the new plan, written and read again
    assert back.health_needs[0].text == f"Sees the nurse{REPLACEMENT} weekly"


def test_a_surrogate_in_a_json_key_is_named_without_it(tmp_path: Path) -> None:
    data = json_bytes(fixture_json()).replace(b'"health_needs"', b'"\\ud800health\\nneeds": 1, "health_needs"', 1)
    with pytest.raises(PlanJsonError) as caught:
        msp_convert.read(data=data, filename="plan.json")
    assert caught.value.problems == ["(a key not in the model): Extra inputs are not permitted"]
    code, lines, _, out = cli_run(tmp_path, data, "plan.json", "convert")
    assert code == 1 and lines[1:] == ["msp-convert: plan.json: (a key not in the model): Extra inputs are not permitted"]
    assert not out.exists()


def test_json_path_shows_keys_shaped_like_the_models_and_hides_the_rest() -> None:
    assert json_path(("outcomes", 1, "statement", "text")) == "outcomes[1].statement.text"
    assert json_path(("reviews", 0, "progress", 2, "rating")) == "reviews[0].progress[2].rating"
    assert json_path(("outcomes", 1, "numbre")) == "outcomes[1].numbre"  # misspelt: what a person must see
    assert json_path(("outcomes", 1, CHILD)) == "outcomes[1].(a key not in the model)"
    assert json_path(("parent_views", f"not_{CHILD}_working")) == "parent_views.(a key not in the model)"
    assert json_path(("text\nmsp-convert: forged",)) == "(a key not in the model)"
    assert json_path(()) == "(the whole plan)"


@pytest.mark.parametrize("value", ["-1", "-1000000000000", "1e300", "-1e+308", "1000000000001"])
def test_a_number_no_plan_holds_is_a_problem_at_its_place(value: str, tmp_path: Path) -> None:
    plan = fixture_json()
    plan["outcomes"][1]["number"] = "NUMBER"
    data = json_bytes(plan).replace(b'"NUMBER"', value.encode())
    with pytest.raises(PlanJsonError) as caught:
        msp_convert.read(data=data, filename="plan.json")
    assert caught.value.problems == [f"outcomes[1].number: a plan's numbers are from 0 to {MAX_PLAN_NUMBER:,}"]
    code, lines, _, out = cli_run(tmp_path, data, "plan.json", "convert", "--to", "docx")
    assert code == 1 and len(lines) == 2 and not out.exists()


def test_a_warning_from_the_file_must_be_shaped_like_the_readers(tmp_path: Path) -> None:
    """The summary on standard error shows each warning's code and place: a file must not put a name there."""
    plan = fixture_json()
    plan["warnings"] = [
        {"code": f"{CHILD} Clarke", "message": "", "where": None},
        {"code": "unmapped-text", "message": "", "where": f"section 5 outcomes, {CHILD}"},
        {"code": "unmapped-text", "message": "", "where": "section 5 outcomes"},
        {"code": "invalid-character", "message": "", "where": "health_needs[0].text and 2 other place(s)"},
    ]
    with pytest.raises(PlanJsonError) as caught:
        msp_convert.read(data=json_bytes(plan), filename="plan.json")
    assert caught.value.problems == [
        "warnings[0].code: a warning code is lower-case words joined by hyphens",
        "warnings[1].where: a place is lower-case words, numbers and part names ('section 5 outcomes')",
    ]
    code, lines, _, _ = cli_run(tmp_path, json_bytes(plan), "plan.json", "check")
    assert code == 1 and CHILD not in "\n".join(lines)


def test_an_invalid_plan_json_lists_ten_problems_and_counts_the_rest(tmp_path: Path) -> None:
    plan = fixture_json()
    plan["health_needs"] = [{"text": 1, "withdrawn": "perhaps"}] * 25_000  # 2 problems each
    data = json_bytes(plan)
    with pytest.raises(PlanJsonError) as caught:
        msp_convert.read(data=data, filename="plan.json")
    assert len(caught.value.problems) == 50_000
    for command in ("convert", "check"):
        code, lines, stdout, out = cli_run(tmp_path, data, "plan.json", command)
        assert code == 1 and stdout == "" and not out.exists()
        assert len(lines) == 1 + PlanJsonError.SHOWN + 1, lines[:3]
        assert lines[0] == "msp-convert: plan.json: " + caught.value.message
        assert lines[1] == "msp-convert: plan.json: health_needs[0].text: Input should be a valid string"
        assert lines[-1] == f"msp-convert: plan.json: ... and {50_000 - PlanJsonError.SHOWN} more problems"


def test_a_few_problems_are_all_listed(tmp_path: Path) -> None:
    plan = fixture_json()
    plan["health_needs"] = [{"text": 1}]
    code, lines, _, _ = cli_run(tmp_path, json_bytes(plan), "plan.json", "convert")
    assert code == 1 and lines[1:] == ["msp-convert: plan.json: health_needs[0].text: Input should be a valid string"]


# ------------------------------------------------------------ writers and the check --

def test_a_model_built_in_code_is_written_with_its_invalid_text_replaced() -> None:
    plan = msp_convert.read(WORD)
    plan.health_needs.append(Entry(text="Nurse\ud800 on\x01 Fridays"))
    assert '"text": "Nurse\ufffd on\ufffd Fridays"' in msp_convert.to_json(plan)
    back = msp_convert.read(data=write_docx(plan, mode="as-is"), filename="plan.docx")
    assert back.health_needs[-1].text == "Nurse\ufffd on\ufffd Fridays"


def test_check_says_an_internal_error_in_one_line_without_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError(CHILD)

    monkeypatch.setattr(cli, "read_result", broken)
    code, lines, stdout, _ = cli_run(tmp_path, WORD.read_bytes(), "plan.docx", "check")
    assert code == 1 and stdout == ""
    assert lines == ["msp-convert: plan.docx: internal error while reading (KeyError); please report it"]


# --- what a reader keeps, its own JSON and Word writer give back ----------------------


def test_a_plan_whose_json_would_pass_the_limit_is_refused_where_it_is_read() -> None:
    # 5 MiB of text in one run: read, it could never be read back from its own JSON.
    big = ("word " * (MAX_PLAN_JSON_BYTES // 5 + 1000)).encode()
    data = rewritten(lambda body: body.replace(b"TA support", big, 1))
    with pytest.raises(InputError) as err:
        msp_convert.read(data=data, filename="big.docx")
    assert f"its JSON would pass {MAX_PLAN_JSON_BYTES // 2**20} MiB" in str(err.value)
    assert "\n" not in str(err.value)


def test_a_cost_past_any_budget_is_not_read_and_the_plan_reads_back() -> None:
    data = rewritten(lambda body: body.replace("£22.50 per week".encode(), "£99999999999999999999999 per week".encode(), 1))
    plan = msp_convert.read(data=data, filename="cost.docx")
    row = next(p for p in plan.provision if any("99999" in e.text for e in p.resources))
    assert row.weekly_cost_gbp is None
    assert msp_convert.read(data=msp_convert.to_json(plan).encode(), filename="cost.json").provision == plan.provision


def test_the_word_writers_document_of_a_long_entry_reads_back() -> None:
    # 3,000,000 letters pack 200:1 and more; below the ratio floor that is not a bomb.
    plan = msp_convert.read(WORD)
    plan.needs.summary[0].text = "A" * 3_000_000
    again = msp_convert.read(data=write_docx(plan, mode="as-is"), filename="long.docx")
    assert again.needs.summary[0].text == plan.needs.summary[0].text
