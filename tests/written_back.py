"""A plan written to a form's Word document and read back: what must come back the same.

Used by test_profile_writer.py and test_third_profile.py. Two things differ by
nature and are left out: ``source`` (the written document is another file: its
own name, format and sha256) and ``template.matched`` (the writer draws each
heading, label and title line of the profile once, in its first wording; the
original printed some twice, in other wordings, or not at all).
"""

from __future__ import annotations

from typing import Any

from msp_convert.model import Plan


def comparable(plan: Plan) -> dict[str, Any]:
    data = plan.model_dump(mode="json")  # a fresh dict: nothing of the plan is changed
    data.pop("source")
    data["template"].pop("matched")
    return data


def assert_same(got: Plan, want: Plan) -> None:
    g, w = comparable(got), comparable(want)
    assert list(g) == list(w)
    for key in w:  # field by field, for a readable failure
        assert g[key] == w[key], key
