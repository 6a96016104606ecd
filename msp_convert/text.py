"""Normalising text, shared by every floor that compares wording (floor 1: imports nothing).

The reader recognises the template's wording, and the Word writer lays it
out, in one normal form: lower-case words with case, quotes, dashes, "&" and
punctuation evened out.

Characters no plan text may hold: XML 1.0 (so a Word document) cannot hold
the C0 control codes other than tab, line feed and carriage return, nor
U+FFFE and U+FFFF; UTF-8 (so the JSON msp-convert writes) cannot hold a lone
surrogate (U+D800-U+DFFF). None is something a person typed: they come from a
damaged or hostile file (a Word ``w:sym`` with such a code, a JSON
``"\\ud800"`` escape). ``replace_invalid`` puts U+FFFD, the replacement
character, in place of each, and the readers add one warning with the code
``INVALID_CHARACTER``: the plan is kept, and the place flagged for a person
to compare with the original.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2012": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ", "\n": " ",
    "\u2026": " ", "&": " and ",
})
_NON_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Lower-case words only: the form in which wording is compared.

    Cached: template wording and blank bullets recur in every plan.
    """
    return _NON_WORD.sub(" ", text.translate(_TRANSLATE).lower()).strip()


REPLACEMENT = "\ufffd"
INVALID_CHARACTER = "invalid-character"  # the warning code
INVALID_CHARACTER_MESSAGE = (
    "Characters that no document can hold (control codes or lone surrogates) were replaced by"
    " the replacement character U+FFFD; compare the place with the original."
)
# Not an XML 1.0 Char, or not encodable as UTF-8.
INVALID_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def replace_invalid(text: str) -> tuple[str, int]:
    """``text`` with each invalid character replaced by U+FFFD, and how many there were."""
    if INVALID_CHARS.search(text) is None:  # the common case: no copy
        return text, 0
    return INVALID_CHARS.subn(REPLACEMENT, text)
