"""Shared paths: the repo's fixtures and the shared/ folder CI clones beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = REPO / "fixtures"
EXAMPLE = SHARED / "spec" / "example"
REAL_DOCS = SHARED / "real-docs"


@pytest.fixture(scope="session")
def example_docx() -> Path:
    path = EXAMPLE / "example-plan.docx"
    assert path.exists(), f"shared/ must sit beside the repo: {path} is missing"
    return path
