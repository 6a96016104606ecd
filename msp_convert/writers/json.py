"""The plan as the canonical JSON: two-space indent, keys in the model's order."""

from __future__ import annotations

import json

from ..model import Plan


def to_json(plan: Plan) -> str:
    # ASCII-escaped like the spec's worked example, so files compare byte for byte.
    return json.dumps(plan.model_dump(mode="json"), indent=2) + "\n"
