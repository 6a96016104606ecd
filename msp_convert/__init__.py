"""msp-convert: read completed My Support Plans into one canonical model.

    import msp_convert
    plan = msp_convert.read("plan.docx")
    plan.warnings            # what the reader noticed and could not settle
    msp_convert.to_json(plan)
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import InputError, NotAPlanError
from .model import SCHEMA_VERSION, Plan
from .reader import read
from .writers.json import to_json

try:
    __version__ = version("msp-convert")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

__all__ = ["read", "to_json", "Plan", "InputError", "NotAPlanError", "SCHEMA_VERSION", "__version__"]
