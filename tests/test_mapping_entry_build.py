"""make_entry builds its Entry without pydantic's model_construct walk: the same Entry all the same."""

from __future__ import annotations

import datetime as dt

from msp_convert.mapping.entries import make_entry
from msp_convert.model import Entry


def _same(made: Entry, values: dict) -> None:
    constructed = Entry.model_construct(**values)
    assert made == constructed
    assert made.__dict__ == constructed.__dict__ and list(made.__dict__) == list(Entry.model_fields)
    assert made.model_fields_set == constructed.model_fields_set
    assert made.__pydantic_extra__ == constructed.__pydantic_extra__
    assert made.__pydantic_private__ == constructed.__pydantic_private__
    assert made.model_dump_json() == constructed.model_dump_json()
    assert Entry.model_validate_json(made.model_dump_json()) == made


def test_an_entry_with_a_marker_and_struck_words_is_model_construct_s() -> None:
    written = make_entry([("R1 12/03/2019: Kai ", False), ("reads", True), (" daily", False)])
    assert written is not None
    _same(written.entry, {"text": "Kai reads daily", "withdrawn": False, "struck": ["reads"], "review": "R1",
                          "review_date": dt.date(2019, 3, 12)})


def test_a_plain_entry_is_model_construct_s_and_copies_and_dumps_alike() -> None:
    written = make_entry([("  Likes music.", False)])
    assert written is not None
    entry = written.entry
    _same(entry, {"text": "Likes music.", "withdrawn": False, "struck": [], "review": None, "review_date": None})
    copy = entry.model_copy(update={"text": "Other"})
    assert copy.text == "Other" and entry.text == "Likes music."
    assert Entry.model_validate(entry.model_dump()) == entry
