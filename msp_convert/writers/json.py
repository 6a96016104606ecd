"""The plan as the canonical JSON: UTF-8, two-space indent, keys in the model's order."""

from __future__ import annotations

from ..model import Plan


def to_json(plan: Plan) -> str:
    """Byte for byte the layout of the spec's worked example.

    pydantic's serializer writes what ``json.dumps(indent=2, ensure_ascii=False)``
    would (the tests compare the two), without the pure-Python encoder.
    """
    return plan.model_dump_json(indent=2) + "\n"
