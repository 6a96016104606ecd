"""The plan as the canonical JSON: UTF-8, two-space indent, keys in the model's order."""

from __future__ import annotations

import json

from ..model import Plan


def to_json(plan: Plan) -> str:
    """Byte for byte the layout of the spec's worked example."""
    return json.dumps(plan.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
