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


def test_the_hand_built_entry_is_used_only_where_it_is_model_construct_s(monkeypatch) -> None:
    from msp_convert.mapping import entries

    assert entries._entry_builder(entries._hand_built) is entries._hand_built  # the pydantic it was checked on

    def with_fields_set_unlike_construct(values: dict) -> Entry:  # as if pydantic built models otherwise
        entry = entries._hand_built(values)
        object.__setattr__(entry, "__pydantic_fields_set__", set())
        return entry

    def failing(values: dict) -> Entry:
        raise TypeError("no such slot")

    assert entries._entry_builder(with_fields_set_unlike_construct) is entries._constructed
    assert entries._entry_builder(failing) is entries._constructed


def test_make_entry_by_model_construct_is_the_same_entry(monkeypatch) -> None:
    from msp_convert.mapping import entries

    pieces = [("R1 12/03/2019: Kai ", False), ("reads", True), (" daily", False)]
    by_hand = make_entry(pieces)
    monkeypatch.setattr(entries, "_entry", entries._constructed)
    constructed = make_entry(pieces)
    assert by_hand is not None and constructed is not None
    assert by_hand == constructed and entries._state(by_hand.entry) == entries._state(constructed.entry)
