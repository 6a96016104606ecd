"""msp-convert: read completed My Support Plans into one canonical model.

    import msp_convert
    plan = msp_convert.read("plan.docx")
    plan.warnings            # what the reader noticed and could not settle
    plans = msp_convert.read_all("file.docx")   # every plan a file holds (two children's, say)
    msp_convert.to_json(plan)
"""

from __future__ import annotations

from .errors import InputError, NotAPlanError
from .model import SCHEMA_VERSION, Plan
from .reader import read, read_all
from .version import __version__
from .writers.json import to_json

__all__ = ["read", "read_all", "to_json", "Plan", "InputError", "NotAPlanError", "SCHEMA_VERSION", "__version__"]
