"""The package's version, as installed (floor 1: for the batch journal, bundles and ``--version``)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("msp-convert")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"
