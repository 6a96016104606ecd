"""Errors a person can act on: what is wrong with the input, and what to do.

Every error the library raises for bad input is an ``InputError`` whose
message is one line, free of plan content, saying what is wrong and what to do.
The CLI prefixes it with the file name and exits 1; the batch runner records it
in its report and goes on.
"""

from __future__ import annotations


class InputError(Exception):
    """The input cannot be read as a plan. ``str(err)`` is one actionable line."""

    code = "unreadable"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EmptyFileError(InputError):
    code = "empty"


class UnsupportedFormatError(InputError):
    code = "unsupported-format"


class CorruptFileError(InputError):
    code = "corrupt"


class NoTextLayerError(UnsupportedFormatError):
    """A PDF of page images only (a scan): for OCR, not the PDF reader."""

    code = "no-text-layer"


class EncryptedFileError(InputError):
    code = "encrypted"


class UnsafeFileError(InputError):
    """A zip bomb, XML with a DTD or entities: refused before it can do harm."""

    code = "unsafe"


class NotAPlanError(InputError):
    """The document reads, but nothing in it is the My Support Plan template."""

    code = "not-a-plan"
