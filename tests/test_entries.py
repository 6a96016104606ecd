"""How one written line becomes an Entry, and the values read out of entries."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from msp_convert.mapping.dates import parse_date
from msp_convert.mapping.entries import (
    areas_of_need,
    doc_ref,
    key_stage,
    make_entry,
    rating,
    weekly_amount,
    weekly_cost,
)
from msp_convert.model import Entry


def entry(*pieces: tuple[str, bool]) -> Entry:
    written = make_entry(list(pieces))
    assert written is not None
    return written.entry


@pytest.mark.parametrize(
    "text, date",
    [
        ("03/04/2019", dt.date(2019, 4, 3)),
        ("4.7.19", dt.date(2019, 7, 4)),
        ("12-3-2019", dt.date(2019, 3, 12)),
        ("14th March 2019", dt.date(2019, 3, 14)),
        ("6 May 19", dt.date(2019, 5, 6)),
        ("1st Sept 2020", dt.date(2020, 9, 1)),
        ("31/02/2019", None),
        ("March 2019", None),
        ("Autumn term 2018", None),
    ],
)
def test_dates_are_day_first(text: str, date: dt.date | None) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    "text, body, label, date",
    [
        ("R1 12/03/2019: Peer buddy at lunchtime", "Peer buddy at lunchtime", "R1", dt.date(2019, 3, 12)),
        ("Peer buddy at lunchtime (R2 - 4.7.19)", "Peer buddy at lunchtime", "R2", dt.date(2019, 7, 4)),
        ("Movement breaks every hour R1 14th March 2019", "Movement breaks every hour", "R1", dt.date(2019, 3, 14)),
        ("R1 - 12.3.19: Lexia 3 x 20 mins", "Lexia 3 x 20 mins", "R1", dt.date(2019, 3, 12)),
        ("(R2 14/03/2019) Social skills group", "Social skills group", "R2", dt.date(2019, 3, 14)),
        ("Sensory circuit R1", "Sensory circuit", "R1", None),
        ("ELSA sessions R3 March 2021", "ELSA sessions", "R3", None),
    ],
)
def test_review_markers_come_off_the_text(text: str, body: str, label: str, date: dt.date | None) -> None:
    e = entry((text, False))
    assert (e.text, e.review, e.review_date) == (body, label, date)


def test_text_that_only_looks_like_a_marker_stays() -> None:
    e = entry(("Room R12 at the end of the corridor", False))
    assert e.review is None and e.text == "Room R12 at the end of the corridor"


def test_bullets_leaders_and_spaces_are_tidied() -> None:
    assert entry(("- \tReading  with\u00a0a TA ", False)).text == "Reading with a TA"
    assert entry(("\u2022 Lexia", False)).text == "Lexia"
    assert entry(("Within 6 weeks \nhe will", False)).text == "Within 6 weeks\nhe will"
    assert make_entry([("- ", False)]) is None
    assert make_entry([("\u2026\u2026\u2026", False)]) is None


def test_strike_whole_part_and_gaps() -> None:
    whole = entry(("Early Years SENCO", True))
    assert whole.withdrawn and whole.struck == []
    part = entry(("Throughout the day, ", False), ("1 x 30 mins", True), (" ", True), ("on Fridays", True))
    assert not part.withdrawn and part.struck == ["1 x 30 mins on Fridays"]
    two = entry(("Lexia ", True), ("daily and ", False), ("Toe by Toe", True))
    assert two.struck == ["Lexia", "Toe by Toe"]
    # A struck entry that a review added keeps its marker apart.
    marked = entry(("Speech therapy", True), (" R1 6/5/19", False))
    assert marked.withdrawn and marked.review == "R1" and marked.text == "Speech therapy"


@pytest.mark.parametrize(
    "text, amount",
    [
        ("£45 per week", "45"),
        ("£12.50/wk", "12.50"),
        ("TA 5 hrs/wk @ £14.50/hr = £72.50", "72.50"),
        ("TA 3 hrs/wk @ £14.50/hr", "43.50"),
        ("£30 a week (Element 2)", "30"),
        ("Weekly cost: £18", "18"),
        ("PECS book – one-off £15", None),
        ("£120 one-off", None),
        ("£14.50 per hour", None),
        ("Speech therapy (NHS)", None),
    ],
)
def test_weekly_amounts(text: str, amount: str | None) -> None:
    got = weekly_amount(text)
    assert (str(got) if got is not None else None) == (str(__import__("decimal").Decimal(amount)) if amount else None)


def test_weekly_cost_leaves_out_withdrawn_and_struck() -> None:
    resources = [
        Entry(text="TA 3 hrs/wk @ £14.50/hr = £43.50"),
        Entry(text="£15 per week (Element 2)"),
        Entry(text="£20 per week", withdrawn=True),
        Entry(text="£10 per week £25 per week", struck=["£25 per week"]),
    ]
    assert weekly_cost(resources) == 68.5
    assert weekly_cost([Entry(text="Sensory resources")]) is None


@pytest.mark.parametrize(
    "text, value",
    [
        ("Partly met – still needs prompting", "partly_met"),
        ("Outcome met.", "met"),
        ("Not yet met: continue", "not_met"),
        ("Needs changing – see Section 5", "needs_change"),
        ("Target needs to be changed to 10 words", "needs_change"),
        ("Kai is working on this every week", None),
        ("He meets his friends at the gate", None),
    ],
)
def test_progress_ratings(text: str, value: str | None) -> None:
    assert rating(text) == value


def test_areas_of_need_in_order_and_mental_health_is_not_health() -> None:
    assert areas_of_need("Social, Emotional and Mental Health / Communication & interaction / Health needs") == [
        "social_emotional",
        "communication_and_interaction",
        "health",
    ]
    assert areas_of_need("Cognition and Learning, Sensory and/or Physical, Social Care needs, PfA") == [
        "cognition_and_learning",
        "sensory_physical",
        "social_care",
        "preparing_for_adulthood",
    ]


@pytest.mark.parametrize(
    "text, stage",
    [
        ("By the end of KS1, Kai will be able to", "KS1"),
        ("By the end of key stage 3 Sam will be able to", "KS3"),
        ("By the end of the Early Years Foundation Stage, Ava will be able to", "EYFS"),
        ("By the end of Reception Ava will be able to", "EYFS"),
        ("By the end of Year 9 Sam will be able to", "Year 9"),
        ("By the end of the spring term, Ali will be able to", "spring term"),
        ("Ali will be able to read", None),
    ],
)
def test_key_stage(text: str, stage: str | None) -> None:
    assert key_stage(text) == stage


def test_appendix_references_lose_their_dates() -> None:
    assert doc_ref("Boxall Profile, 18 August 2018")[0].model_dump() == {"reference": "Boxall Profile", "date": dt.date(2018, 8, 18)}
    assert doc_ref("26.3.18 Speech and Language Therapy report")[0].date == dt.date(2018, 3, 26)
    assert doc_ref("Educational Psychologist report (14/03/2019)")[0].reference == "Educational Psychologist report"
    ref, bad = doc_ref("Attendance certificate – Autumn term 2018")
    assert ref.date is None and ref.reference == "Attendance certificate – Autumn term 2018" and not bad
    assert doc_ref("OT report 31/02/2019")[1] is True


def test_a_long_run_of_digits_costs_its_length_not_its_square() -> None:
    """"N hours a week" looked for from each digit of a run was quadratic: 40,000 digits took minutes. In a
    child process, stopped after a minute (a hang guard, not a speed measure: it now takes milliseconds)."""
    code = (
        "from msp_convert.mapping.entries import weekly_amount\n"
        "print(weekly_amount('£5 an hour, ' + '7' * 40_000 + ' apples, and 2 hours per week'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "10.00"  # £5 an hour for the 2 hours a week (the run of digits is no count of hours)
