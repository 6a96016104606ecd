"""UK dates as schools write them: day first, in figures or words.

"03/04/2019" is 3 April 2019; "4.7.19", "14th March 2019", "6 May 19" are
read too (two-digit years: 00-68 are 2000-2068, 69-99 are 1969-1999). A date needs a day, a month and a year: "Autumn term 2018" and
"March 2019" are not dates, and stay in the text.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)

# One pattern, two shapes: figures (12/03/2019, 4.7.19, 12-3-2019) or words.
DATE_PATTERN = (
    r"(?:\d{1,2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?(?:\d{4}|\d{2})(?!\d)"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_WORD + r"\.?,?\s+(?:\d{4}|\d{2})(?!\d))"
)
DATE_RE = re.compile(DATE_PATTERN, re.IGNORECASE)
_NUMERIC = re.compile(r"(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{2,4})")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?\s+(\d{2,4})", re.IGNORECASE)


# A two-digit year as strptime's %y reads it: 00-68 are 2000-2068, 69-99 are 1969-1999
# ("4.7.19" is 2019; a date of birth "3/4/98" is 1998, not 2098).
TWO_DIGIT_PIVOT = 69


def _year(text: str) -> int:
    year = int(text)
    if len(text) != 2:
        return year
    return 1900 + year if year >= TWO_DIGIT_PIVOT else 2000 + year


def parse_date(text: str) -> Optional[dt.date]:
    """The date ``text`` holds (day first), or None if it holds no real date."""
    text = text.strip()
    m = _NUMERIC.fullmatch(text)
    try:
        if m:
            return dt.date(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = _WORDS.fullmatch(text)
        if m:
            month = _MONTHS.get(m.group(2).lower()[:4]) or _MONTHS.get(m.group(2).lower()[:3])
            if month:
                return dt.date(_year(m.group(3)), month, int(m.group(1)))
    except ValueError:  # 31/02/2019 and the like
        return None
    return None


def find_date(text: str) -> tuple[Optional[dt.date], Optional[re.Match[str]]]:
    """The first date-shaped stretch of ``text`` and its value (None if impossible)."""
    m = DATE_RE.search(text)
    if not m:
        return None, None
    return parse_date(m.group(0)), m
