"""Tesseract's usual misreadings of a plan's words, put right before the words are placed.

Each rule is a general truth about print read from pixels, not about any form:

- A bullet point at the start of a line is read as a stray mark ("e", "e¢",
  "«", "©", "*", "+"), or glued to the line's first word ("«Tyler").
- The capital "I", a single upright stroke, is read as "|", "!", "{", "l",
  "t" or "1": alone before a word in lower case it can only be "I" ("| might",
  "what t do"); glued to its neighbour the space is lost too ("{understand",
  "what|", "1am polite").
- In a date the digits 0 and 1 are read as the letters O and l ("2O/O3/2019").
- A review marker's "R1" is read as "Rl", "RI" or "R|" before its date.
- A speck after a closing bracket is read as a mark ("4.7.19)°").

Nothing here makes a word out of nothing: a rule only rewrites a word whose
shape no writer types (a lone "|" before a word, a date with an O in it).
"""

from __future__ import annotations

import re
from typing import Callable, Optional, Sequence

from .common import Word

BULLET = "\u2022"

# What Tesseract reads a bullet point as, when it is alone as the first word of a line.
BULLET_MISREADS = frozenset({
    "\u00a2", "\u00a9", "\u00ab", "\u00bb", "\u00b0", "\u00ae", "\u00b7", "e", "e\u00a2", "e\u00a9", "*", "+", "~",
    ".", "\u00ab=", "\u00ab-", "\u00a2\u00ab",
})
# Marks that are a bullet glued to the first word of a line ("«Tyler", "~Jack").
_GLUED_BULLET = re.compile(r"^[\u00ab\u00bb\u00a2\u00a9\u00ae\u00b0~*\u2014](?=[A-Za-z])")
# A lone stroke that stands for "I" before a word in lower case.
_LONE_I = frozenset({"|", "!", "{", "}", "l", "t", "]"})
# "I" glued to the next word: "{understand", "|feel".
_I_BEFORE = re.compile(r"^[|{](?=[a-z]{2,})")
# "I" glued to the word before: "what|", "what!" before a word in lower case.
_I_AFTER = re.compile(r"(?<=[a-z])[|!]$")
# "1am", "1'm": a "1" for "I" glued to "am" at the start of a line, before a word (not "1am" the hour).
_ONE_AM = {"1am": "I am", "1'm": "I'm", "1\u2019m": "I\u2019m"}
# A date with letters for digits: O or o for 0, l or I for 1 ("2O/O3/2019", "l4.3.19").
_DATE_LIKE = re.compile(r"^(?P<open>[(\[]?)(?P<date>[0-9OolI]{1,2}[/.\-][0-9OolI]{1,2}[/.\-](?:[0-9OolI]{4}|[0-9OolI]{2}))(?P<close>[)\]:;,.]*)$")
_DATE_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})
# A review marker's "R1" with the 1 misread, before a date: "Rl", "(RI", "Ri", "R|:".
_MARKER_ONE = re.compile(r"^(?P<open>[(\[]?)R[lIi|!](?P<sep>[:,\-\u2013\u2014]?)$")
_DATE = re.compile(r"^[(\[]?\d{1,2}(?:[/.\-]\d{1,2}[/.\-]\d{2,4}|st|nd|rd|th)?\b")
# Specks after a closing bracket: "4.7.19)°", "2019)[".
_SPECK_AFTER = re.compile(r"(?<=[)\]])[\u00b0\[\]|'\u2018\u2019\"~`*]{1,2}$")


def _lower_word(text: Optional[str]) -> bool:
    """A word in lower case: what follows an "I" in a sentence ("might", "am", "don't")."""
    return text is not None and len(text) >= 2 and text[0].islower() and text[:2].isalpha()


def _bullet(text: str, i: int, words: Sequence[str]) -> str:
    if i != 0:
        return text
    if text in BULLET_MISREADS:
        return BULLET
    glued = _GLUED_BULLET.match(text)
    return BULLET + " " + text[glued.end():] if glued else text


def _lone_i(text: str, i: int, words: Sequence[str]) -> str:
    after = words[i + 1] if i + 1 < len(words) else None
    if text in _LONE_I and _lower_word(after):
        return "I"
    if (i == 0 or words[i - 1] == BULLET) and text in _ONE_AM and _lower_word(after):
        return _ONE_AM[text]
    return text


def _glued_i(text: str, i: int, words: Sequence[str]) -> str:
    text = _I_BEFORE.sub("I ", text)
    after = words[i + 1] if i + 1 < len(words) else None
    if _lower_word(after) and _I_AFTER.search(text) and text[:-1].isalpha():
        return text[:-1] + " I"
    return text


def _date(text: str, i: int, words: Sequence[str]) -> str:
    m = _DATE_LIKE.match(text)
    if m is None or sum(c.isdigit() for c in m.group("date")) < 3:
        return text
    return m.group("open") + m.group("date").translate(_DATE_DIGITS) + m.group("close")


def _marker(text: str, i: int, words: Sequence[str]) -> str:
    m = _MARKER_ONE.match(text)
    if m is None:
        return text
    after = [w for w in words[i + 1 : i + 3] if w not in ("-", "\u2013", "\u2014", ":")]
    return m.group("open") + "R1" + m.group("sep") if after and _DATE.match(after[0]) else text


def _speck(text: str, i: int, words: Sequence[str]) -> str:
    return _SPECK_AFTER.sub("", text) if len(text) > 2 else text


# The rules in order, each given a word, its place in its line and the line's words (already
# put right up to it, as read after it): specks and dates first, so a marker's "Rl" sees its date.
RULES: tuple[Callable[[str, int, Sequence[str]], str], ...] = (_speck, _date, _marker, _bullet, _lone_i, _glued_i)


def corrected(line: Sequence[str], touching: Optional[Sequence[bool]] = None) -> list[str]:
    """One Tesseract line's words put right, word for word (a word may come back as two, with a space).

    ``touching[i]``: word i's box touches the one before it, so no space will be
    put between them; an "I" read apart from a word it touches gets its space.
    """
    words = list(line)
    for rule in RULES:
        words = [rule(text, i, words) for i, text in enumerate(words)]
    for i, (was, now) in enumerate(zip(line, words)):
        if touching and touching[i] and now == "I" and was != "I":
            words[i] = " I"
    return words


def correct(words: list[Word]) -> list[Word]:
    """Tesseract's words (box, text, confidence, line) with their text put right, line by line."""
    out: list[Word] = []
    start = 0
    for end in range(1, len(words) + 1):
        if end == len(words) or words[end][3] != words[start][3]:
            line = words[start:end]
            texts = corrected([wd[1] for wd in line], [i > 0 and wd[0][0] <= line[i - 1][0][2] for i, wd in enumerate(line)])
            out += [(wd[0], text, wd[2], wd[3]) for wd, text in zip(line, texts)]
            start = end
    return out
