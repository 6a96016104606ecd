"""What a page's content stream shows, each string decoded as pdfminer decodes it (for ``pdfium_text.Drawn``).

The stream is scanned flat (``content_tokens``), for the text-showing
operators, fonts, saves and restores and form draws alone; pdfminer's
parser is 20 times slower. Fonts are pdfminer's, made once a document.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, TypeVar

from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import PDFObjRef, resolve1

from .content_tokens import (CLOSE, DRAW, FONT, FONT_SET, NAME, OPEN, OPERATOR, RESTORE, SAVE, SHOW_ALL, SHOW_LAST,
                             SHOWN_RUNS, STRING, STRINGS, name_keys, tokens)
from .limits import LIMITS, refuse
from .source import _decoded_size, find_form, form_resources, form_xobjects


class Shown:
    """The strings a content stream shows, each decoded as pdfminer decodes it, forms run where drawn.

    Each stream run (the page's own, a form each time it is drawn) and its
    bytes are counted against the page's limits, as the guard counts them;
    an operator inside ``[ ]``, ``{ }`` or ``<< >>`` is an operand, not run.
    A form is found as the guard finds it (``source.find_form``: the same
    names, the page's /XObject where a stream's resources have none, a form's
    own /Resources or its caller's), so no form runs here that the guard did
    not measure; forms deeper than ``LIMITS.form_depth`` are not run.
    """

    def __init__(self, fonts: "Fonts", number: int) -> None:
        self.fonts, self.number, self.strings, self.shown = fonts, number, [], 0  # type: ignore[var-annotated]
        self.unmapped: list[list[int]] = []  # each string's codes pdfminer reads as "(cid:N)" (U+FFFD in strings)
        self.streams, self.content = 0, 0
        self.page_xobjects: Optional[dict] = None  # the page's /XObject: where PDFium looks when a form's has none

    def run(self, data: bytes, resources: Any, depth: int, counted: bool = False) -> None:
        """Run one stream (a form's starts with no font, as pdfminer runs it); ``counted``: its run and bytes are
        counted already."""
        if not counted:
            self._stream(len(data))
        if depth == 0:
            self.page_xobjects = form_xobjects(resources, None)
        fonts: dict[bytes, Any] = {}
        font, saved, strings, name, nested = None, [], [], b"", 0
        for kind, value in tokens(data, numbers=False):  # one token at a time: memory is the stream's; no numbers
            if kind == OPERATOR:  # the commonest first
                if nested:
                    continue
                does = SHOWN_RUNS.get(value)
                if does == SAVE:
                    saved.append(font)
                elif does == RESTORE:
                    font = saved.pop() if saved else font
                elif does == SHOW_ALL or does == SHOW_LAST and strings:
                    self._show(font, strings if does == SHOW_ALL else strings[-1:])
                elif does == DRAW and depth < LIMITS.form_depth:
                    self._form(resources, name, depth)
                elif does == FONT:
                    font = self._font(fonts, resources, name)
                strings, name = [], b""
            elif kind == STRING:
                strings.append(value)
                self._spend(1)
            elif kind == FONT_SET:  # a name and its Tf: as the two tokens
                if nested:
                    name = value
                else:
                    font, strings, name = self._font(fonts, resources, value), [], b""
            elif kind == STRINGS:  # an array of strings and numbers alone (a short one): no operator, no name in it
                self._spend(len(value))
                strings += value
            elif kind == NAME:
                name = value
            elif kind == OPEN or kind == CLOSE:
                nested = nested + 1 if kind == OPEN else max(nested - 1, 0)

    def _font(self, fonts: dict[bytes, Any], resources: Any, name: bytes) -> Any:
        """The stream's font of ``name`` (each name's looked up once a stream run)."""
        return fonts[name] if name in fonts else fonts.setdefault(name, self.fonts.get(resources, name))

    def _stream(self, size: int) -> None:
        """One more stream run, of ``size`` bytes: past the page's limits, the page is refused as the guard
        refuses it."""
        self.streams, self.content = self.streams + 1, self.content + size
        if self.streams > LIMITS.streams_per_page:
            raise refuse(f"page {self.number} of this PDF runs more than {LIMITS.streams_per_page:,} drawing streams "
                         "(a form drawn over and over)")
        if self.content > LIMITS.content_bytes_per_page:
            mib = LIMITS.content_bytes_per_page // 2**20
            raise refuse(f"page {self.number} of this PDF holds more than {mib} MiB of drawing instructions")

    def _show(self, font: Any, strings: list[bytes]) -> None:
        parts = strings
        if font is None or not any(parts):
            return  # pdfminer shows nothing without a font; PDFium makes no text object of empty strings
        least = sum(map(len, parts)) // 4 - len(parts)  # a character is at most 4 bytes (a CMap's longest code)
        if self.shown + least > LIMITS.glyphs_per_page:
            self._spend(least)  # refused before it is decoded
        font, chars = font
        cids = [cid for part in parts for cid in font.decode(part)]
        text = list(map(chars.get, cids))
        if None in text:  # a code not yet decoded
            text = [chars[cid] if cid in chars else chars.setdefault(cid, _unichr(font, cid)) for cid in cids]
        self._spend(len(text) - len(parts))
        self.strings.append("".join(text))
        self.unmapped.append([cid for cid, char in zip(cids, text) if char == "\ufffd"] if "\ufffd" in text else [])

    def _spend(self, n: int) -> None:
        """Strings and characters shown, off the page too (the text page leaves those out), as pdfminer counts
        them: past the page's limit, the page is refused as the pdfplumber source refuses it."""
        self.shown += n
        if self.shown > LIMITS.glyphs_per_page:
            raise refuse(f"page {self.number} of this PDF draws more than {LIMITS.glyphs_per_page:,} characters")

    def _form(self, resources: Any, name: bytes, depth: int) -> None:
        form = find_form(form_xobjects(resources, self.page_xobjects), name)
        if form is not None:  # measured as the guard measures it, before pdfminer decodes it whole
            self._stream(_decoded_size(form, LIMITS.content_bytes_per_page - self.content))
            self.run(form.get_data(), form_resources(form, resources), depth + 1, counted=True)


def _unichr(font: Any, cid: int) -> str:
    try:
        return str(font.to_unichr(cid))
    except Exception:  # pdfminer's "(cid:N)": not a space
        return "\ufffd"


T = TypeVar("T")


class Fonts:
    """pdfminer's fonts for ``Drawn``, each made once a document, with its characters as they are decoded; and
    what ``Drawn`` works out of each font dictionary (``fact``), once a document."""

    def __init__(self) -> None:
        self.manager = PDFResourceManager(caching=True)
        self.made: dict[Optional[int], tuple[Any, dict[int, str]]] = {}
        self.facts: dict[tuple[Callable[[Any], Any], int], Any] = {}

    def fact(self, fact: Callable[[Any], T], spec: Any) -> T:
        """``fact`` of a font dictionary (or a resources' /Font) as pdfminer reads it (``spec``: as written where
        it is used). One written once (an indirect object, the same for every page that uses it) is read and
        worked out once a document, for up to ``LIMITS.fonts_remembered`` of them: pdfminer, keeping no object
        once read, would parse it again on every page (a third of the pdfium source's time)."""
        key = (fact, spec.objid) if isinstance(spec, PDFObjRef) else None
        if key is not None and key in self.facts:
            return self.facts[key]
        value = fact(resolve1(spec))
        if key is not None and len(self.facts) < LIMITS.fonts_remembered:
            self.facts[key] = value
        return value

    def named(self, resources: Any) -> Any:
        """The resources' /Font as pdfminer reads it (None without resources): one written once, read once a
        document."""
        return self.fact(_itself, resources.get("Font")) if isinstance(resources, dict) else None

    def get(self, resources: Any, name: bytes) -> tuple[Any, dict[int, str]]:
        """The resource's font as pdfminer makes it (a default one for a name not there, as pdfminer has it)."""
        fonts = self.named(resources)
        spec = next((fonts[k] for k in name_keys(name) if k in fonts), None) if isinstance(fonts, dict) else None
        objid = spec.objid if isinstance(spec, PDFObjRef) else None
        if objid is None or objid not in self.made:
            spec = resolve1(spec)
            made = (self.manager.get_font(objid, spec if isinstance(spec, dict) else {}), {})
            if objid is None:
                return made
            self.made[objid] = made
        return self.made[objid]


def _itself(value: Any) -> Any:
    """A ``Fonts.fact``: the dictionary as read."""
    return value


def manager() -> Fonts:
    """pdfminer's fonts for ``Drawn``, one set for a document."""
    return Fonts()
