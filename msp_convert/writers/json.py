"""The plan as the canonical JSON: UTF-8, two-space indent, keys in the model's order."""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticSerializationError

from ..model import Plan
from ..text import replace_invalid


def to_json(plan: Plan) -> str:
    """Byte for byte the layout of the spec's worked example.

    pydantic's serializer writes what ``json.dumps(indent=2, ensure_ascii=False)``
    would (the tests compare the two), without the pure-Python encoder.
    A lone surrogate cannot be written as UTF-8: the readers replace them (with
    a warning), and one in a model built in code is written as U+FFFD.
    """
    try:
        return plan.model_dump_json(indent=2) + "\n"
    except PydanticSerializationError:
        return Plan.model_validate(_replaced(plan.model_dump())).model_dump_json(indent=2) + "\n"


def _replaced(data: Any) -> Any:
    """``data`` (a dumped model: as deep as the model, no deeper) with every string's invalid characters replaced."""
    if isinstance(data, str):
        return replace_invalid(data)[0]
    if isinstance(data, dict):
        return {key: _replaced(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_replaced(value) for value in data]
    return data
