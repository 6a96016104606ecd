"""A plan written as a Word document laid out like the My Support Plan template.

    from msp_convert.writers.docx import write_docx
    data = write_docx(plan)                   # the "new" plan of the third review
    data = write_docx(plan, mode="as-is")     # the plan exactly as it stands
    data = write_docx(plan, renumber=True)    # new, outcomes numbered 1..n

``mode="new"`` (``newplan.new_plan``): withdrawn entries, struck fragments and
review markers left out, ``plan_number`` one higher, the review tables empty.
``mode="as-is"``: struck text struck through, review markers after their entry
("R1 12/03/2019"), the reviews filled, unmapped text where it was found.

Either way, reading the document back (``msp_convert.read``) gives the model
that was written. What a Word document cannot say, and so does not come back:

- a tick box in an unknown state (null) is written as its label alone, so it
  reads back null but without its ``tick-box-unknown`` warning; a null in a
  Supported-by column where other outcomes have a value is an empty cell, so
  it reads back ``false`` (a column null for every outcome is not drawn, and
  reads back null);
- deletions under tracked changes are written as strikethrough, which reads
  back the same but without the ``tracked-deletion`` warning;
- ``source`` is the new file's, and ``weekly_cost_gbp``, ``rating`` and
  ``key_stage`` are worked out again from the text, as for any document.

The form is the plan's own (``plan.template.id``; "unknown" or an id no
packaged profile has: the Kirklees form) unless ``profile`` names another;
the profile's ``writer`` says how it is drawn: "kirklees-v2f" the faithful
drawing of that form (``form.py``), "generic" from the profile's data alone
(``generic.py``: York's 2014 form, or a new council's).

The bytes depend only on the plan: fixed dates in the core properties, no
rsids, and a zip with fixed timestamps and member order.
"""

from __future__ import annotations

from typing import Literal, Optional

from ...model import Plan
from ...template import Profile
from .form import Form
from .generic import Generic
from .newplan import new_plan, profile_of

Mode = Literal["new", "as-is"]
MODES = ("new", "as-is")


DRAWINGS = {"kirklees-v2f": Form, "generic": Generic}


def write_docx(plan: Plan, mode: Mode = "new", renumber: bool = False, profile: Optional[Profile] = None) -> bytes:
    """The plan as .docx bytes (see the module's docstring for the modes and the profile)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    profile = profile or profile_of(plan)
    if mode == "new":
        plan = new_plan(plan, renumber=renumber, profile=profile)
    elif renumber:
        raise ValueError("renumber makes a new plan; it does not go with mode='as-is'")
    return DRAWINGS[profile.writer](plan, profile).write()


__all__ = ["write_docx", "new_plan", "profile_of", "MODES", "Mode"]
