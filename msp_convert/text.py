"""Normalising text, shared by every floor that compares wording (floor 1: imports nothing).

The reader recognises the template's wording, and the Word writer lays it
out, in one normal form: lower-case words with case, quotes, dashes, "&" and
punctuation evened out.
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
