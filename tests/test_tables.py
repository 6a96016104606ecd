"""The batch CSV tables: rows read from real fixture plans, and files written safely."""

from __future__ import annotations

import ast
import csv
from pathlib import Path, PurePosixPath

import pytest

import msp_convert
from msp_convert.model import Entry, Plan, Provision, Source
from msp_convert.writers import tables
from msp_convert.writers.tables import PROVISION_COLUMNS, TABLES, TableWriter, plan_rows

PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"
DOCS = sorted(PLANS.glob("*.docx"))


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {path.stem: msp_convert.read(path) for path in DOCS}


@pytest.fixture(scope="module")
def dyslexia(plans: dict[str, Plan]) -> tuple[Plan, dict[str, list[dict[str, str]]]]:
    plan = plans["03-ks2-dyslexia"]
    return plan, plan_rows(plan, "ks2/03-ks2-dyslexia.docx")


def _entries(provision: list[Provision]) -> list[tuple[int, str, int, Entry]]:
    return [
        (row.outcome_number, column, index, entry)
        for row in provision
        for column in PROVISION_COLUMNS
        for index, entry in enumerate(getattr(row, column), start=1)
    ]


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def test_there_are_fixture_plans() -> None:
    assert len(DOCS) >= 12


def test_every_row_has_exactly_its_tables_columns_and_the_plan_key(plans: dict[str, Plan]) -> None:
    for stem, plan in plans.items():
        rows = plan_rows(plan, f"in/{stem}.docx")
        assert set(rows) == set(TABLES)
        for name, table_rows in rows.items():
            for row in table_rows:
                assert list(row)[:2] == ["file", "sha256"]
                assert set(row) == set(TABLES[name]), (stem, name)
                assert row["file"] == f"in/{stem}.docx"
                assert row["sha256"] == plan.source.sha256
                assert all(isinstance(value, str) for value in row.values())


def test_row_counts_follow_the_model(plans: dict[str, Plan]) -> None:
    for stem, plan in plans.items():
        rows = plan_rows(plan, stem)
        assert len(rows["plans"]) == 1
        assert len(rows["outcomes"]) == len(plan.outcomes)
        assert len(rows["provision"]) == len(_entries(plan.provision))
        want_reviews = sum(
            sum(len(p.text) for p in r.progress)
            + len(r.working_well)
            + len(r.not_working)
            + len(r.new_to_introduce)
            for r in plan.reviews
        )
        assert len(rows["reviews"]) == want_reviews


def test_plans_row(dyslexia) -> None:
    plan, rows = dyslexia
    (row,) = rows["plans"]
    assert row["file"] == "ks2/03-ks2-dyslexia.docx"
    assert row["sha256"] == plan.source.sha256
    assert row["child_name"] == plan.child.name == "Ruby Hughes"
    assert row["date_of_birth"] == plan.child.date_of_birth.isoformat() == "2009-11-02"
    assert row["setting"] == row["year_group"] == row["upn"] == ""
    assert row["plan_number"] == str(plan.plan_number) == "3"
    assert row["consent_signed"] == "true"
    assert row["consent_signed_by"] == plan.consent_signed_by == "Mr D. Hughes"
    assert row["outcomes"] == str(len(plan.outcomes)) == "3"
    assert row["provision_rows"] == str(len(plan.provision)) == "3"
    assert row["reviews"] == str(len(plan.reviews)) == "1"
    assert row["unmapped"] == str(len(plan.unmapped)) == "1"
    assert row["warnings"] == str(len(plan.warnings)) == "1"
    # 85 + 6 + 18: the withdrawn "Spelling workbooks £4 per week" is not in place.
    assert [p.weekly_cost_gbp for p in plan.provision] == [85.0, 6.0, 18.0]
    assert row["weekly_cost_gbp"] == "109.00"
    # 563 of the 572 written words placed; the 9 left are the note in the key table.
    assert (plan.coverage.placed, plan.coverage.words) == (563, 572)
    assert (row["template_id"], row["verdict"], row["placed_share"]) == ("kirklees-v2f", "complete", "0.984")


def test_plans_row_says_how_much_was_placed(plans: dict[str, Plan]) -> None:
    # 06 has five notes typed where no field is: 40 of its 652 words are in `unmapped`.
    (row,) = plan_rows(plans["06-ks2-semh"], "x")["plans"]
    assert (row["template_id"], row["verdict"], row["placed_share"]) == ("kirklees-v2f", "partial", "0.939")
    (row,) = plan_rows(plans["10-ks2-selective-mutism"], "x")["plans"]
    assert (row["verdict"], row["placed_share"]) == ("complete", "1.000")
    # Nothing written: no share to give.
    empty = Plan(source=Source(filename="x.json", format="json", sha256="0" * 64))
    (row,) = plan_rows(empty, "x")["plans"]
    assert (row["template_id"], row["verdict"], row["placed_share"]) == ("unknown", "other-layout", "")


def test_weekly_totals_are_summed_exactly(plans: dict[str, Plan]) -> None:
    # 14.6 + 3.5 + 139.5 + 21.9 as floats is 179.49999999999997.
    assert plan_rows(plans["07-ks3-cerebral-palsy"], "x")["plans"][0]["weekly_cost_gbp"] == "179.50"
    assert plan_rows(plans["11-ks1-dcd"], "x")["plans"][0]["weekly_cost_gbp"] == "12.85"


def test_a_plan_without_child_details_leaves_them_empty(plans: dict[str, Plan]) -> None:
    plan = plans["08-ks1-visual-impairment"]
    assert plan.child.name is None
    (row,) = plan_rows(plan, "x")["plans"]
    assert row["child_name"] == row["date_of_birth"] == ""


def test_outcomes_rows(dyslexia) -> None:
    plan, rows = dyslexia
    assert [r["outcome_number"] for r in rows["outcomes"]] == [str(o.number) for o in plan.outcomes]
    third = rows["outcomes"][2]
    assert third["areas_of_need"] == "social_emotional;sensory_physical"
    assert third["key_stage"] == "KS2"
    assert third["statement"] == plan.outcomes[2].statement.text
    assert third["statement"] == "talk about her dyslexia and ask for the help she needs"
    assert third["withdrawn"] == "false"
    assert (third["supported_by_education"], third["supported_by_health"], third["supported_by_social_care"]) == (
        "true",
        "true",
        "false",
    )
    assert rows["outcomes"][0]["areas_of_need"] == "cognition_and_learning"


def test_provision_has_one_row_per_entry_in_order(dyslexia) -> None:
    plan, rows = dyslexia
    want = _entries(plan.provision)
    assert len(rows["provision"]) == len(want) == 34
    for row, (number, column, index, entry) in zip(rows["provision"], want):
        assert (row["outcome_number"], row["column"], row["entry_index"], row["text"]) == (
            str(number),
            column,
            str(index),
            entry.text,
        )
        assert row["withdrawn"] == ("true" if entry.withdrawn else "false")


def test_provision_keeps_withdrawn_struck_and_review_markers(dyslexia) -> None:
    _plan, rows = dyslexia
    by_text = {r["text"]: r for r in rows["provision"]}

    withdrawn = by_text["Look, say, cover, write, check"]
    assert (withdrawn["outcome_number"], withdrawn["column"], withdrawn["entry_index"]) == ("2", "actions", "2")
    assert withdrawn["withdrawn"] == "true"
    assert sum(r["withdrawn"] == "true" for r in rows["provision"]) == 4

    partly = by_text["Precision Teaching of spellings 2 x weekly"]
    assert partly["withdrawn"] == "false"
    assert partly["struck"] == "2 x weekly"

    marked = by_text["Paired reading with a Year 6 buddy"]
    assert (marked["review"], marked["review_date"]) == ("R1", "2019-03-14")
    plain = by_text["Lexia Core5 on the laptop"]
    assert (plain["review"], plain["review_date"], plain["struck"]) == ("", "", "")


def test_provision_carries_the_rows_weekly_cost_on_resources_entries(dyslexia) -> None:
    _plan, rows = dyslexia
    resources = [r for r in rows["provision"] if r["column"] == "resources"]
    assert [(r["outcome_number"], r["text"], r["withdrawn"], r["weekly_cost_gbp"]) for r in resources] == [
        ("1", "Lexia licence £12.50/wk", "false", "85.00"),
        ("1", "TA 5 hrs/wk @ £14.50/hr = £72.50", "false", "85.00"),
        ("2", "Nessy licence £6 per week", "false", "6.00"),
        ("2", "Spelling workbooks £4 per week", "true", "6.00"),
        ("3", "Learning Mentor £18 per week", "false", "18.00"),
    ]
    assert all(r["weekly_cost_gbp"] == "" for r in rows["provision"] if r["column"] != "resources")


def test_reviews_rows(dyslexia) -> None:
    _plan, rows = dyslexia
    got = [
        (r["review"], r["review_date"], r["kind"], r["outcome_number"], r["rating"], r["entry_index"], r["text"])
        for r in rows["reviews"]
    ]
    assert got == [
        ("R1", "2019-03-14", "progress", "1", "partly_met", "1", "Partly met; reading age now 7 years 6 months."),
        ("R1", "2019-03-14", "progress", "2", "not_met", "1", "Not met. Ruby spells 12 of the 30 words."),
        ("R1", "2019-03-14", "progress", "3", "met", "1", "Achieved: Ruby told the class about dyslexia in an assembly."),
        ("R1", "2019-03-14", "working_well", "", "", "1", "Lexia every day"),
        ("R1", "2019-03-14", "working_well", "", "", "2", "Reading buddy"),
        ("R1", "2019-03-14", "not_working", "", "", "1", "Weekly spelling test"),
        ("R1", "2019-03-14", "new_to_introduce", "", "", "1", "Paired reading with a buddy"),
    ]
    assert {r["withdrawn"] for r in rows["reviews"]} == {"false"}


def test_several_reviews_keep_their_labels(plans: dict[str, Plan]) -> None:
    plan = plans["12-ks4-eal-sen"]
    rows = plan_rows(plan, "x")["reviews"]
    assert len(plan.reviews) == 3
    assert [r["review"] for r in rows] == sorted(r["review"] for r in rows)
    assert {r["review"] for r in rows} == {r.label for r in plan.reviews}


def test_struck_fragments_join_and_money_keeps_its_decimals() -> None:
    plan = Plan(
        source=Source(filename="p.docx", format="docx", sha256="ab" * 32),
        provision=[
            Provision(
                outcome_number=1,
                resources=[Entry(text="Kit £1.234 per week, was £2", struck=["was", "£2"])],
                weekly_cost_gbp=1.234,
            )
        ],
    )
    rows = plan_rows(plan, PurePosixPath("a/b/p.docx"))
    (row,) = rows["provision"]
    assert row["file"] == "a/b/p.docx"
    assert row["struck"] == "was | £2"
    assert row["weekly_cost_gbp"] == "1.234"
    assert rows["plans"][0]["weekly_cost_gbp"] == "1.234"
    assert rows["plans"][0]["consent_signed"] == "false"
    assert rows["plans"][0]["plan_number"] == ""
    assert rows["outcomes"] == rows["reviews"] == []


def test_writer_writes_headers_and_rows_that_read_back(plans: dict[str, Plan], tmp_path: Path) -> None:
    batch = [plan_rows(plans[stem], f"{stem}.docx") for stem in ("03-ks2-dyslexia", "12-ks4-eal-sen")]
    with TableWriter(tmp_path) as writer:
        for rows in batch:
            writer.write(rows)
        assert not any(p.name.endswith(".csv") for p in tmp_path.iterdir())  # not in place yet
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{name}.csv" for name in TABLES)
    for name, columns in TABLES.items():
        header, got = _read_csv(tmp_path / f"{name}.csv")
        assert header == list(columns)
        assert got == [row for rows in batch for row in rows[name]]
    # Newlines inside cells, commas and £ survive; the default dialect ends lines with CRLF.
    raw = (tmp_path / "provision.csv").read_bytes()
    assert raw.startswith(b"file,sha256,outcome_number,column,entry_index,text,")
    assert raw.split(b"\n", 1)[0].endswith(b"\r")
    assert "£".encode("utf-8") in raw


def test_writer_with_no_plans_writes_headers_only(tmp_path: Path) -> None:
    with TableWriter(tmp_path):
        pass
    for name, columns in TABLES.items():
        header, got = _read_csv(tmp_path / f"{name}.csv")
        assert header == list(columns)
        assert got == []


def test_an_exception_inside_the_with_leaves_no_table_and_no_temporary(dyslexia, tmp_path: Path) -> None:
    _plan, rows = dyslexia
    with pytest.raises(RuntimeError):
        with TableWriter(tmp_path) as writer:
            writer.write(rows)
            assert len(list(tmp_path.iterdir())) == len(TABLES)  # the temporaries
            raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_batch_leaves_older_tables_as_they_were(dyslexia, tmp_path: Path) -> None:
    _plan, rows = dyslexia
    old = tmp_path / "plans.csv"
    old.write_bytes(b"old\r\n")
    with pytest.raises(KeyboardInterrupt):
        with TableWriter(tmp_path) as writer:
            writer.write(rows)
            raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["plans.csv"]
    assert old.read_bytes() == b"old\r\n"

    with TableWriter(tmp_path) as writer:  # a clean run replaces it
        writer.write(rows)
    assert _read_csv(old)[1] == rows["plans"]


def test_writer_refuses_unknown_tables_and_writes_after_close(dyslexia, tmp_path: Path) -> None:
    _plan, rows = dyslexia
    writer = TableWriter(tmp_path)
    with pytest.raises(ValueError):
        writer.write({"nonsense": []})
    writer.write({"plans": rows["plans"]})  # a subset of the tables is fine
    writer.close()
    with pytest.raises(ValueError):
        writer.write(rows)
    assert _read_csv(tmp_path / "plans.csv")[1] == rows["plans"]
    assert _read_csv(tmp_path / "outcomes.csv")[1] == []


def test_tables_imports_only_floor_one() -> None:
    tree = ast.parse(Path(tables.__file__).read_text(encoding="utf-8"))
    relative = [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level]
    assert sorted((node.level, node.module) for node in relative) == [(2, "atomic"), (2, "model")]
    absolute = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and not node.level}
    assert not any(name and name.startswith("msp_convert") for name in absolute)


def test_money_of_any_size_is_written_with_its_pennies() -> None:
    # quantize() stops at 28 digits: a cost of 1E+308 in a model built in code raised InvalidOperation.
    from decimal import Decimal

    assert tables._money(Decimal("1E+308")) == "1" + "0" * 308 + ".00"
    assert tables._money(Decimal("85")) == "85.00" and tables._money(Decimal("1.234")) == "1.234"


def test_plans_csv_carries_the_dates_known_as_and_sections_of_a_plan_off_the_template() -> None:
    departures = Path(__file__).resolve().parents[1] / "fixtures" / "departures"
    dated = plan_rows(msp_convert.read(departures / "d06-header-footer.docx"), "d06.docx")["plans"][0]
    assert (dated["date_of_this_plan"], dated["review_by"], dated["date_of_initial_plan"]) == ("2019-09-12", "2020-03-12", "")
    named = plan_rows(msp_convert.read(departures / "d07-google-docs.docx"), "d07.docx")["plans"][0]
    assert (named["child_name"], named["known_as"]) == ("Isabella Grant", "Izzy")
    kept = plan_rows(msp_convert.read(departures / "d01-renamed-headings.docx"), "d01.docx")["plans"][0]
    assert (kept["sections"], kept["verdict"]) == ("3", "partial")
