"""What a form control in a Word document shows.

Legacy form fields (``w:ffData`` on a field's begin: a check box's state, a
drop-down's chosen entry) and content controls (a block's content unless it
shows its placeholder; a ``w14:checkbox``'s state). ``body.PartWalker`` asks.
"""

from __future__ import annotations

from typing import Optional

from lxml import etree

from .ns import (
    W14_VAL,
    W_CHECKBOX,
    W_CHECKED,
    W_DDLIST,
    W_DEFAULT,
    W_FFDATA,
    W_LISTENTRY,
    W_RESULT,
    W_SDTCONTENT,
    W_SDTPR,
    W_SHOWINGPLCHDR,
    W_VAL,
)
from .styles import UNSET, on_off

MAX_INDEX_DIGITS = 6  # a drop-down's chosen entry: Word allows 25 entries


def form_field(fld_char: etree._Element) -> tuple[Optional[str], object]:
    """What a legacy form field shows, from its ``w:fldChar`` begin.

    ("checkbox", checked): ``w:checked`` beats ``w:default``; ``w:checked`` with
    no value means ticked. ("dropdown", text): the chosen ``w:listEntry`` (by
    ``w:result``, else ``w:default``, else the first). (None, None) otherwise:
    a text field shows its result runs, which are read as usual.
    """
    for ff in fld_char:
        if ff.tag != W_FFDATA:
            continue
        for field in ff:
            tag = field.tag
            if tag == W_CHECKBOX:
                checked = default = UNSET
                for q in field:
                    if q.tag == W_CHECKED:
                        checked = on_off(q)
                    elif q.tag == W_DEFAULT:
                        default = on_off(q)
                if checked is not UNSET:
                    return "checkbox", checked
                if default is not UNSET:
                    return "checkbox", default
                return "checkbox", False
            if tag == W_DDLIST:
                entries, chosen = [], None
                for q in field:
                    if q.tag == W_LISTENTRY:
                        entries.append(q.get(W_VAL) or "")
                    elif q.tag == W_RESULT or (q.tag == W_DEFAULT and chosen is None):
                        chosen = q.get(W_VAL)
                index = _index(chosen)
                return "dropdown", entries[index] if index < len(entries) else ""
    return None, None


def _index(value: Optional[str]) -> int:
    """A list index as Word writes it ("2"); 0 for anything else (a word, "\u00b2", a 5,000-digit number)."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= MAX_INDEX_DIGITS else 0


def sdt_content(sdt: etree._Element) -> Optional[etree._Element]:
    """A block-level content control's content, or None while it shows its placeholder."""
    content = None
    for c in sdt:
        tag = c.tag
        if tag == W_SDTPR:
            for q in c:
                if q.tag == W_SHOWINGPLCHDR and on_off(q) is not False:
                    return None
        elif tag == W_SDTCONTENT:
            content = c
    return content


def w14_on_off(el: etree._Element) -> Optional[bool]:
    v = el.get(W14_VAL)
    if v is None:
        v = el.get(W_VAL)
    if v is None:
        return True
    v = v.strip().lower()
    if v in ("1", "true", "on"):
        return True
    if v in ("0", "false", "off"):
        return False
    return None
