"""pdfplumber as a source of page records, one page at a time.

Each page is read into plain records and released before the next, so a
300-page PDF costs the memory of one page. Nothing here interprets the
page: that is the geometry's job, on the records.

pdfminer interprets each page here, not inside pdfplumber, with a device
that counts glyphs, drawings and content streams as they come, so a page
past ``LIMITS`` is refused before it costs minutes or gigabytes; pdfplumber
then reads its objects from that same result. Everything the libraries log
meanwhile is dropped (``quiet``).
"""

from __future__ import annotations

import io
import math
import re
from collections import OrderedDict
from itertools import islice
from typing import Any, Callable, Iterator, Optional

import pdfplumber
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser, PDFStreamParser
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSEOF, PSLiteral
from pdfminer.utils import apply_matrix_pt, decode_text, mult_matrix
from pdfplumber.page import PDFPageAggregatorWithMarkedContent

from ...errors import CorruptFileError, EncryptedFileError, InputError, UnsafeFileError
from .limits import LIMITS, refuse
from .quiet import quiet
from .content_tokens import array_items, draws, keys_unsure, marked_depth, name_keys
from .decoded import decoded_size, stream_data
from .font_cost import CountedFonts, FontCost
from .records import INVISIBLE_MODES, INVISIBLE_TEXT_CONFIDENCE, Box, Glyph, Mark, PageRecord, Path, Segment, Widget

THIN = 2.0  # a filled rectangle thinner than this is a drawn line


def open_pdf(data: bytes, password: Optional[str] = None) -> "pdfplumber.PDF":
    """Open the PDF, or say in one line why it cannot be opened (or that it holds far too much)."""
    with quiet():
        return _open(data, password)


def _open(data: bytes, password: Optional[str]) -> "pdfplumber.PDF":
    try:
        try:
            pdf = pdfplumber.open(io.BytesIO(data), password=password or "")
            pdf.rsrcmgr = CountedFonts()  # each font charged before pdfminer makes it (``font_cost``), made once
            _count_pages(pdf)
            pdf.pages  # reads the page tree: a broken file fails here, not later
            return pdf
        except Exception as err:
            # pdfplumber wraps pdfminer's own errors; the wrapped one says what happened.
            inner = err.args[0] if err.args and isinstance(err.args[0], BaseException) else None
            if inner is not None:
                raise inner from None
            raise
    except PDFPasswordIncorrect:
        if password:
            raise EncryptedFileError("the password given does not open this PDF; check it and try again") from None
        raise EncryptedFileError(
            "this PDF is password-protected; give its password with --password, or save an unprotected copy"
        ) from None
    except PDFEncryptionError:
        raise EncryptedFileError("this PDF uses an encryption msp-convert cannot open; save an unprotected copy") from None
    except InputError:
        raise
    except Exception as err:  # pdfminer raises many kinds for a damaged file
        raise CorruptFileError(
            f"this PDF is damaged and cannot be read ({type(err).__name__}); export or save it again"
        ) from None


def _count_pages(pdf: "pdfplumber.PDF") -> None:
    """Refuse a page tree past ``LIMITS.pages_per_file`` before pdfplumber makes a page object for each."""
    most = LIMITS.pages_per_file
    if sum(1 for _ in islice(PDFPage.create_pages(pdf.doc), most + 1)) > most:
        raise refuse(f"this PDF has more than {most:,} pages")


class _Budget:
    """What one file has drawn so far, against ``LIMITS``: checked as pdfminer draws, not after."""

    def __init__(self) -> None:
        self.page = 0
        self.glyphs = self.drawings = self.content = self.streams = self.file_glyphs = 0

    def new_page(self, number: int) -> None:
        self.page, self.glyphs, self.drawings, self.content, self.streams = number, 0, 0, 0, 0

    def glyph(self) -> None:
        self.glyphs += 1
        self.file_glyphs += 1
        if self.glyphs > LIMITS.glyphs_per_page:
            raise refuse(f"page {self.page} of this PDF draws more than {LIMITS.glyphs_per_page:,} characters")
        if self.file_glyphs > LIMITS.glyphs_per_file:
            raise refuse(f"this PDF draws more than {LIMITS.glyphs_per_file:,} characters")

    def drawing(self) -> None:
        self.drawings += 1
        if self.drawings > LIMITS.drawings_per_page:
            raise refuse(f"page {self.page} of this PDF draws more than {LIMITS.drawings_per_page:,} lines and shapes")

    def run(self, times: int = 1) -> None:
        """``times`` more content streams run (a form drawn ``times`` times)."""
        self.streams += times
        if self.streams > LIMITS.streams_per_page:
            raise refuse(f"page {self.page} of this PDF runs more than {LIMITS.streams_per_page:,} drawing streams (a form drawn over and over)")

    def spend(self, size: int) -> None:
        """``size`` more bytes of drawing instructions read."""
        self.content += size
        if self.content > LIMITS.content_bytes_per_page:
            mib = LIMITS.content_bytes_per_page // 2**20
            raise refuse(f"page {self.page} of this PDF holds more than {mib} MiB of drawing instructions")

    def room(self) -> int:
        return LIMITS.content_bytes_per_page - self.content

    def stream(self, obj: Any) -> None:
        """Count a content stream's decoded size; a Flate stream is measured before pdfminer inflates it whole."""
        self.run()
        stream = resolve1(obj)
        if isinstance(stream, PDFStream):
            self.spend(decoded_size(stream, self.room()))


class _Document(PDFDocument):
    """pdfminer's document keeping no stream once read (a page's streams are not kept past it), but the objects
    it parsed, streams aside (``getobj``), and the object streams parsed last, up to
    ``LIMITS.object_streams_kept`` decoded bytes of them: pdfminer without its cache parses a whole object stream
    again for each object it fetches from it."""

    def __init__(self, parser: PDFParser, password: str = "") -> None:
        self._kept: OrderedDict[Any, tuple[list[object], int, int, bytes]] = OrderedDict()  # objid -> objects, N, size, data
        self._kept_size = 0
        self._parsed = 0  # decoded bytes of object streams parsed, kept or not
        self._objects: dict[int, object] = {}  # objects read, streams aside (``getobj``)
        self._objects_size = 0
        super().__init__(parser, password=password, caching=False)

    def getobj(self, objid: int) -> object:
        """Object ``objid`` as pdfminer reads it, parsed once a document where it is no stream, up to
        ``LIMITS.objects_kept`` items of them (``_size``): the guard, the fonts and the records' reads of a page
        tree node, a font or a resources dictionary parse it once, not at each page that uses it (a third of
        the objects read). A stream (its data decoded) is never kept."""
        if objid in self._objects:
            return self._objects[objid]
        obj = super().getobj(objid)
        room = LIMITS.objects_kept - self._objects_size
        if room > 0 and not isinstance(obj, PDFStream):
            size = _size(obj, room)
            if size <= room:
                self._objects[objid], self._objects_size = obj, self._objects_size + size
        return obj

    def _get_objects(self, stream: PDFStream) -> tuple[list[object], int]:
        key = stream.objid
        if key in self._kept:
            self._kept.move_to_end(key)
            objs, n, _, _ = self._kept[key]
            return objs, n
        data = stream.get_data() or b""
        self._parsed += len(data)
        if len(data) > LIMITS.object_streams_kept or self._parsed > LIMITS.object_streams_parsed:
            raise refuse("this PDF packs more into its object streams than the reader parses")
        objs, n = _packed_objects(self, data, stream)
        if key is not None:
            self._kept[key] = (objs, n, len(data), data)
            self._kept_size += len(data)
            while self._kept_size > LIMITS.object_streams_kept:
                self._kept_size -= self._kept.popitem(last=False)[1][2]
        return objs, n

    def written(self, objid: int, data: bytes) -> bytes:
        """Object ``objid`` as written (``data``: the file), up to its ``stream`` or ``endobj``: where the xref
        pdfminer reads it by puts it; in an object stream, its part of it (the whole stream when not kept)."""
        for xref in self.xrefs:
            try:
                strmid, index, _ = xref.get_pos(objid)
            except KeyError:
                continue
            if strmid is None:
                end = _OBJECT_END.search(data, index)
                return data[index : end.end() if end else len(data)]
            return self._packed(strmid, index)
        return b""

    def _packed(self, strmid: int, index: int) -> bytes:
        stream = resolve1(self.getobj(strmid))
        kept = self._kept.get(strmid)
        if not isinstance(stream, PDFStream):
            return b""
        if kept is None:
            return stream_data(stream)
        objs, n, _, data = kept
        first = resolve1(stream.get("First"))
        at = objs[2 * index + 1 : min(2 * index + 4, 2 * n) : 2]  # its offset, and the next object's
        if not isinstance(first, int) or not at or not all(isinstance(o, int) for o in at):
            return data
        return data[first + at[0] : first + at[1]] if len(at) > 1 else data[first + at[0] :]


def _size(obj: object, most: int) -> int:
    """An object's items, nested ones counted, and its strings' bytes in 16s (past ``most``: ``most + 1``)."""
    size, stack = 0, [obj]
    while stack and size <= most:
        item = stack.pop()
        size += 1
        if isinstance(item, dict):
            stack += item.values()
        elif isinstance(item, list):
            stack += item
        elif isinstance(item, (bytes, str)):
            size += len(item) // 16
    return size if size <= most else most + 1


def _packed_objects(document: PDFDocument, data: bytes, stream: PDFStream) -> tuple[list[object], int]:
    """An object stream's numbers and objects as pdfminer reads them (the i-th object after the header is object
    i), refused unless each starts where the header says (PDFium reads each at /First plus its offset: a stream
    whose header lies would show the guard one object and PDFium another)."""
    n, first = resolve1(stream.get("N")), resolve1(stream.get("First"))
    n = n if isinstance(n, int) and n > 0 else 0
    parser = PDFStreamParser(data)
    parser.set_document(document)
    objs: list[object] = []
    starts: list[int] = []
    try:
        while True:
            at, obj = parser.nextobject()
            objs.append(obj)
            starts.append(at)
    except PSEOF:
        pass
    for i in range(min(n, max(len(objs) - 2 * n, 0))):
        offset = objs[2 * i + 1]
        if not isinstance(first, int) or not isinstance(offset, int) or not _starts_at(data, first + offset, starts[2 * n + i]):
            raise UnsafeFileError(
                "this PDF's object streams say their objects are where they are not (PDF readers would read "
                "different objects); check it is the right file, or print the plan to a new PDF"
            )
    return objs, n


def _starts_at(data: bytes, said: int, at: int) -> bool:
    """Whether the object pdfminer read at ``at`` is the one at ``said`` (only white space between)."""
    return 0 <= said <= at and not data[said:at].strip(b"\x00\t\n\x0c\r ")


_OBJECT_END = re.compile(rb"(?<=[\x00\t\n\x0c\r >])stream|endobj")  # a dictionary's end at the latest


class StreamGuard:
    """Each page's drawing measured as PDFium would draw it, before the pdfium source loads the page.

    PDFium parses a page whole when it loads it, and a form XObject again
    each time the page (or a form) draws it with ``Do``: a few kB nesting
    forms drawn a hundred times each reach gigabytes. Here each content
    stream is read flat (``content_tokens.draws``: strings and comments
    passed over) for every ``Do`` PDFium could run; each form drawn counts
    against ``LIMITS`` (its bytes, one stream run) as often as it is drawn,
    the forms it draws multiplied in turn, so the total is known before
    PDFium is given the page. Names resolve as PDFium resolves them
    (``find_form``, which ``shown.Shown`` uses too: a name's ``#`` escapes
    read both as PDFium and as pdfminer reads them: ``_Named.found``; a page
    whose resources, as written, PDFium may key otherwise than pdfminer is
    refused: ``_sure``; a /Subtype (Form) string
    as a form, a form without /Resources drawing with its caller's,
    resources without /XObject with the page's). Each stream is decoded and read once a
    page, however often drawn; a form named in /Resources and never drawn
    costs nothing; a stream that does not decode draws nothing. Past a
    limit, forms nested past ``LIMITS.form_depth`` or a form drawn inside
    itself (PDFium redraws it to its own depth limit), the page is refused
    in one line; so is a file whose pages pdfminer cannot find.
    """

    def __init__(self, data: bytes, password: Optional[str] = None) -> None:
        self.budget = _Budget()
        self.fonts = FontCost()  # what the fonts of the pages and forms drawn cost PDFium (and pdfminer: ``shown``)
        self.parsed = 0  # streams decoded and read for Do (each once a page), on all pages so far
        self._drawn: dict[tuple[Any, Any], tuple[int, list[tuple[str, int]]]] = {}  # this page's forms read
        self._named: dict[Any, _Named] = {}  # this page's /XObject dicts (by owner): their forms' names
        self._page_xobjects: Any = None
        self._sure_ids: set[int] = set()  # objects holding resources read as written, and found keyed alike
        self._chains: dict[Any, list[Any]] = {}  # a page tree node -> its /Parent chain: each node read once a file
        self.data, self.password = data, password
        try:
            with quiet():
                self.document = _Document(PDFParser(io.BytesIO(data)), password=password or "")
                self.pages: Optional[Iterator[Any]] = PDFPage.create_pages(self.document)
                self.fonts.pdfium(_form_resources(self.document))  # PDFium may make a field's look with them
        except InputError:
            raise
        except Exception:
            raise _unguarded() from None

    def check(self, number: int) -> None:
        """Measure the next page's drawing (page ``number``); past a limit, refuse it in one line."""
        self.budget.new_page(number)
        try:
            with quiet():
                page = next(self.pages)  # type: ignore[arg-type]
                contents = page.contents if isinstance(page.contents, list) else [page.contents]
                streams = [s for s in map(resolve1, contents) if isinstance(s, PDFStream)]
                resources = resolve1(page.resources)
                if resources is None and isinstance(page.attrs.get("Resources"), PDFObjRef):  # a reference to nothing
                    resources = self._inherited(page.attrs.get("Parent"))
                holders = _holding(page.attrs.get("Resources")) + self._parents(page.attrs.get("Parent"))
                self._sure([page.pageid, *holders])
                self._page_xobjects = _xobjects_of(resources)
                self._draw(streams, resources, "page", 1, ())
        except InputError:
            raise
        except Exception:  # a damaged page tree: never left to PDFium unmeasured
            raise _unguarded() from None
        finally:  # nothing of the page is kept past it
            self._drawn, self._named, self._page_xobjects = {}, {}, None

    def _parents(self, parent: Any) -> list[Any]:
        """A page's /Parent chain (``_parents``), each page tree node's read once a file, not once a page (the
        document keeps no object: a /Pages node's /Kids parsed again for each of its pages, quadratic in pages)."""
        key = parent.objid if isinstance(parent, PDFObjRef) else None
        if key is None:
            return []
        if key not in self._chains:
            self._chains[key] = _parents(parent)
        return self._chains[key]

    def _inherited(self, parent: Any) -> Any:
        """The resources PDFium gives a page whose own are a reference to nothing (pdfminer: none): the nearest
        page tree node's that resolve."""
        nodes = (resolve1(node) for node in self._parents(parent))
        return next((found for found in (resolve1(n.get("Resources")) for n in nodes if isinstance(n, dict)) if found), None)

    def _sure(self, holders: list[Any]) -> None:
        """Refuse the page when an object holding its resources or a form's (``holders``: object numbers or
        references) is written so that PDFium may key it otherwise than pdfminer (``content_tokens.keys_unsure``:
        /FG1 and /F#G1 are one key for pdfminer, two for PDFium): the guard, reading pdfminer's keys, could miss
        a form PDFium draws. Each object is read once a file."""
        for ref in holders:
            objid = ref.objid if isinstance(ref, PDFObjRef) else ref
            if not isinstance(objid, int) or objid in self._sure_ids:
                continue
            if keys_unsure(self.document.written(objid, self.data)):
                raise UnsafeFileError(
                    f"page {self.budget.page} of this PDF names the drawings it holds in a way PDF readers read "
                    "differently (a name with a bad # escape, a NUL, or a name given twice); check it is the right "
                    "file, or print the plan to a new PDF"
                )
            self._sure_ids.add(objid)

    def _draw(self, streams: list[PDFStream], resources: Any, owner: Any, times: int, inside: tuple[Any, ...]) -> None:
        """Count ``streams`` drawn ``times`` times, and each form they draw as often as drawn; charge the fonts
        ``resources`` give them (``FontCost.pdfium``). ``owner``: whose /Resources ``resources`` are (the page's, or
        a form's key)."""
        self.budget.run(times * len(streams))
        self.fonts.pdfium(resources)
        xobjects = form_xobjects(resources, self._page_xobjects)
        scope = owner if xobjects is not self._page_xobjects else "page"
        for name, n in self._read(streams, times, xobjects, scope):
            ref = xobjects.get(name)
            form = resolve1(ref)
            key = ref.objid if isinstance(ref, PDFObjRef) else id(form)
            if key in inside:
                raise UnsafeFileError(
                    f"page {self.budget.page} of this PDF draws a form inside itself, which would be drawn "
                    "over and over; check it is the right file, or print the plan to a new PDF"
                )
            if len(inside) >= LIMITS.form_depth:
                raise refuse(f"page {self.budget.page} of this PDF draws forms inside forms more than {LIMITS.form_depth} deep")
            self._sure([ref, *_holding(form.get("Resources"))])
            own = form_resources(form, resources)
            self._draw([form], own, key if own is not resources else owner, times * n, inside + (key,))

    def _read(self, streams: list[PDFStream], times: int, xobjects: Any, scope: Any) -> list[tuple[str, int]]:
        """Spend ``streams``' bytes ``times`` over; the forms they may draw (name, how often), read once a page."""
        key = (streams[0].objid, scope) if len(streams) == 1 and streams[0].objid is not None else None
        if key is not None and key in self._drawn:
            size, names = self._drawn[key]
            self.budget.spend(size * times)
            return names
        size, most = 0, self.budget.room() // times  # the bytes a draw may hold
        for stream in streams:  # each measured before it is decoded
            size += decoded_size(stream, most - size)
            if size > most:
                break
        self.budget.spend(size * times)  # past the room: refused here
        self.parsed += len(streams)
        data = b" ".join(map(stream_data, streams))
        if marked_depth(data, LIMITS.marked_depth) > LIMITS.marked_depth:
            raise refuse(f"page {self.budget.page} of this PDF nests marked content more than {LIMITS.marked_depth} deep")
        listed(data, self.budget.page)
        names = list(_drawn(data, self._forms(xobjects, scope), LIMITS.streams_per_page).items()) if xobjects and b"Do" in data else []
        if key is not None:
            self._drawn[key] = (size, names)
        return names

    def _forms(self, xobjects: dict, scope: Any) -> "_Named":
        """The forms ``xobjects`` (``scope``'s) name, read once a page: only these are counted."""
        if scope not in self._named:
            self._named[scope] = _Named.of(xobjects)
        return self._named[scope]


class _Named:
    """The keys of an /XObject dictionary's forms as pdfminer gives them (``forms``): PDFium's too, as a page
    whose resources are written so that the two may key them otherwise is refused first
    (``StreamGuard._sure``, ``content_tokens.keys_unsure``)."""

    __slots__ = ("forms",)

    def __init__(self, forms: frozenset) -> None:
        self.forms = forms

    @classmethod
    def of(cls, xobjects: dict) -> "_Named":
        return cls(frozenset(k for k, v in xobjects.items() if is_form(resolve1(v))))

    def found(self, raw: Optional[bytes]) -> tuple[str, ...]:
        """The keys ``raw Do`` draws (its ``#`` escapes read as PDFium and as pdfminer read them), or () where it
        may draw any form: a Do after no name."""
        return () if raw is None else name_keys(raw)


def _form_resources(document: PDFDocument) -> Any:
    """The interactive form's default resources (/AcroForm /DR): the fonts a field's look is made with."""
    form = resolve1(document.catalog.get("AcroForm"))
    return resolve1(form.get("DR")) if isinstance(form, dict) else None


def _holding(resources: Any) -> list[Any]:
    """The references on the way to a /Resources' /XObject dictionary (``resources`` as written: a reference or
    a dictionary): the objects that may hold it."""
    found = resolve1(resources)
    return [resources, found.get("XObject") if isinstance(found, dict) else None]


def _parents(parent: Any) -> list[Any]:
    """A page's /Parent chain (its resources may be inherited from any), at most ``LIMITS.form_depth`` up."""
    chain = []
    while isinstance(parent, PDFObjRef) and len(chain) < LIMITS.form_depth and parent not in chain:
        chain.append(parent)
        node = resolve1(parent)
        parent = node.get("Parent") if isinstance(node, dict) else None
    return chain


def _drawn(data: bytes, named: _Named, most: int) -> dict[str, int]:
    """How often ``data`` may draw each of ``named``'s forms, never less often than PDFium
    (``content_tokens.draws``; a Do that may draw any form counts for each: ``_Named.found``); the count stops
    past ``most``."""
    forms = named.forms
    counts: dict[str, int] = {}
    total = anything = 0
    for raw in draws(data) if forms else ():
        keys = named.found(raw)
        if not keys:
            anything, total = anything + 1, total + len(forms)
        for key in keys:  # as PDFium decodes the name, and as pdfminer does (its keys' way)
            if key in forms:
                counts[key], total = counts.get(key, 0) + 1, total + 1
        if total > most:
            break
    for name in forms if anything else ():
        counts[name] = counts.get(name, 0) + anything
    return counts


def is_form(obj: Any) -> bool:
    """Whether PDFium draws ``obj`` as a form: a stream whose /Subtype is Form, a name or a string."""
    if not isinstance(obj, PDFStream):
        return False
    subtype = resolve1(obj.get("Subtype"))
    return subtype == b"Form" or _name(subtype) == "Form"


def _xobjects_of(resources: Any) -> Optional[dict]:
    xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    return xobjects if isinstance(xobjects, dict) else None


def form_xobjects(resources: Any, page_xobjects: Optional[dict]) -> Optional[dict]:
    """Where a stream drawn with ``resources`` finds the names it draws, as PDFium looks: in their /XObject, or
    the page's when they have none."""
    xobjects = _xobjects_of(resources)
    return page_xobjects if xobjects is None else xobjects


def form_resources(form: PDFStream, resources: Any) -> Any:
    """The resources a form draws with: its own /Resources, or its caller's ``resources`` when it has none."""
    own = resolve1(form.get("Resources"))
    return own if isinstance(own, dict) else resources


def find_form(xobjects: Optional[dict], raw: bytes) -> Optional[PDFStream]:
    """The form ``raw Do`` draws (``raw``: the name's bytes in the stream), found as the guard finds it."""
    for key in name_keys(raw) if xobjects else ():
        form = resolve1(xobjects.get(key))  # type: ignore[union-attr]
        if is_form(form):
            return form  # type: ignore[no-any-return]
    return None


def listed(data: bytes, page: int) -> None:
    """Refuse page ``page`` when its drawing instructions (``data``: a stream, or a page's streams joined) give one
    operator arrays or dictionaries of more than ``LIMITS.array_items`` items (``content_tokens.array_items``):
    PDFium and pdfminer make an object of each before any limit on what is drawn is reached."""
    if array_items(data, LIMITS.array_items) > LIMITS.array_items:
        raise _too_many(page)


def _too_many(page: int) -> Exception:
    return refuse(f"page {page} of this PDF gives one drawing instruction more than {LIMITS.array_items:,} values in arrays")


def _unguarded() -> CorruptFileError:
    return CorruptFileError("this PDF's pages cannot be read in full (its page tree is damaged); export or save it again")


class _CountingDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's own device, counting glyphs and drawings as they come, and marking each character
    drawn invisibly (text render mode 3, a searchable scan's OCR layer, or 7, a clip only) ``invisible``."""

    def __init__(self, budget: _Budget, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget
        self.invisible = False

    def render_string(self, textstate: Any, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self.invisible = textstate.render in INVISIBLE_MODES
        super().render_string(textstate, *args, **kwargs)

    def render_char(self, *args: Any, **kwargs: Any) -> float:  # type: ignore[override]
        self.budget.glyph()
        advance = super().render_char(*args, **kwargs)
        made = self.cur_item._objs[-1]  # the character just made (as pdfplumber marks its mcid)
        if self.invisible:
            made.invisible = True
        rise = args[4] if len(args) > 4 else kwargs.get("rise", 0)  # (matrix, font, fontsize, scaling, rise, ...)
        if rise:
            made.rise = rise
        return advance

    def paint_path(self, *args: Any, **kwargs: Any) -> None:
        self.budget.drawing()
        super().paint_path(*args, **kwargs)


class _CountingInterpreter(PDFPageInterpreter):
    """Measures every content stream (the page's and each form XObject's, each time it is drawn)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sized: dict[int, int] = {}  # by id: the items each array or dictionary on the stack holds (``push``)

    def execute(self, streams: Any) -> None:
        budget = getattr(self.device, "budget", None)
        if budget is not None:
            for obj in streams:
                budget.stream(obj)
            found = [s for s in map(resolve1, streams) if isinstance(s, PDFStream)]
            listed(b" ".join(map(stream_data, found)), budget.page)  # as pdfminer reads them: one after the other
        super().execute(streams)

    def push(self, obj: Any) -> None:
        """pdfminer's ``pop`` takes only an operator's own operands: the rest (arrays before ``n``, an unknown
        operator or ``0 0 Td``) would stay to the page's end. The last ``_OPERANDS_KEPT`` are kept (what any
        operator receives is unchanged), and the page is refused when the arrays and dictionaries among them hold
        more than ``LIMITS.array_items`` items (PDFium drops them at each operator; ``listed`` counts so)."""
        stack = self.argstack
        stack.append(obj)
        if len(stack) > _OPERANDS_KEPT:
            del stack[:-_OPERANDS_KEPT]
        if not isinstance(obj, (list, dict)):
            return
        held = [o for o in stack if isinstance(o, (list, dict))]
        if len(held) == 1:  # one operator's arrays: counted by ``listed`` already
            self._sized = {}
            return
        sizes = self._sized  # each of an array on the stack (a new one's always counted)
        self._sized = {id(o): sizes.get(id(o)) or _held(o) for o in held if o is not obj}
        self._sized[id(obj)] = _held(obj)
        if sum(self._sized.values()) > LIMITS.array_items:
            budget = getattr(self.device, "budget", None)
            raise _too_many(budget.page if budget is not None else 1)


# no pdfminer operator takes more operands (sc and scn a colour space's components: DeviceN 32 at most)
_OPERANDS_KEPT = 64


def _held(obj: Any) -> int:
    """The items an array or dictionary holds, nested ones' too."""
    count, todo = 0, [obj]
    while todo:
        held = todo.pop()
        count += len(held)
        todo.extend(o for o in (held.values() if isinstance(held, dict) else held) if isinstance(o, (list, dict)))
    return count


Matrix = tuple[float, float, float, float, float, float]
# user space -> (x, top) from the displayed box's top left (x0, y0, x1, y1 its corners), for each /Rotate
_TURNS: dict[int, Callable[[float, float, float, float], Matrix]] = {
    0: lambda x0, y0, x1, y1: (1, 0, 0, -1, -x0, y1), 90: lambda x0, y0, x1, y1: (0, 1, 1, 0, -y0, -x0),
    180: lambda x0, y0, x1, y1: (-1, 0, 0, 1, x1, -y0), 270: lambda x0, y0, x1, y1: (0, -1, -1, 0, y1, x1),
}


def page_frame(box: Any, rotation: int) -> tuple[Matrix, float, float]:
    """How both sources measure a page: user space -> (x, top) from the top left of the page as displayed
    (``box``: the CropBox within the MediaBox, as PDFium shows the page; turned upright by ``rotation``), and
    its width and height. A MediaBox whose origin is not (0, 0) moves nothing."""
    x0, x1 = sorted((float(box[0]), float(box[2])))
    y0, y1 = sorted((float(box[1]), float(box[3])))
    turn = rotation % 360 if rotation % 90 == 0 else 0
    size = (y1 - y0, x1 - x0) if turn in (90, 270) else (x1 - x0, y1 - y0)
    return _TURNS[turn](x0, y0, x1, y1), size[0], size[1]


def shown_box(mediabox: Any, cropbox: Any) -> tuple[float, float, float, float]:
    """The part of the page shown (PDFium's page box): the CropBox cut to the MediaBox, or the MediaBox."""
    mx0, mx1 = sorted((float(mediabox[0]), float(mediabox[2])))
    my0, my1 = sorted((float(mediabox[1]), float(mediabox[3])))
    try:
        cx0, cx1 = sorted((float(cropbox[0]), float(cropbox[2])))
        cy0, cy1 = sorted((float(cropbox[1]), float(cropbox[3])))
    except (TypeError, ValueError, IndexError):
        return (mx0, my0, mx1, my1)
    x0, y0, x1, y1 = max(mx0, cx0), max(my0, cy0), min(mx1, cx1), min(my1, cy1)
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else (mx0, my0, mx1, my1)


def _plumber_shift(page: Any) -> tuple[Matrix, float, float, float, float]:
    """The page's frame, and what to add to pdfplumber's x and top (measured from the MediaBox's origin, moved by
    its corner: pdfplumber #1181) for the frame's: pdfminer's device space taken back to user space, then framed."""
    obj = page.page_obj
    frame, width, height = page_frame(shown_box(obj.mediabox, obj.cropbox), obj.rotate)
    x0, y0, x1, y1 = obj.mediabox
    turn = {90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1), 270: (0, 1, -1, 0, y1, -x0)}
    a, b, c, d, e, f = turn.get(obj.rotate, (1, 0, 0, 1, -x0, -y0))  # pdfminer's (pdfinterp.process_page)
    det = a * d - b * c
    back = (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)
    left, top = apply_matrix_pt(mult_matrix(back, frame), (0, 0))  # device (0, 0), framed
    mb_x0, mb_top = page.mediabox[:2]
    return frame, width, height, left - mb_x0, top - float(page.height) - mb_top


def _layout(page: Any, budget: _Budget) -> tuple[Matrix, float, float]:
    """Interpret the page as pdfplumber would, within the budget, and hand pdfplumber the result, each object
    measured from the page's top left as displayed; the page's frame, width and height returned."""
    pdf = page.pdf
    device = _CountingDevice(budget, pdf.rsrcmgr, pageno=page.page_number, laparams=pdf.laparams)
    _CountingInterpreter(pdf.rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()  # pdfplumber reads its objects from here (Page.layout)
    made = page.process_object
    frame, width, height, dx, dy = _plumber_shift(page)

    def process(obj: Any) -> Any:  # pdfplumber keeps only the attributes it knows: "invisible", "rise" passed on
        attr = made(obj)
        if getattr(obj, "invisible", False):
            attr["invisible"] = True
        if getattr(obj, "rise", 0):
            attr["rise"] = obj.rise
        if dx or dy:
            _moved(attr, dx, dy)
        return attr

    page.process_object = process
    return frame, width, height


def _moved(attr: dict, dx: float, dy: float) -> None:
    for key, by in (("x0", dx), ("x1", dx), ("top", dy), ("bottom", dy)):
        if key in attr:
            attr[key] += by
    if "pts" in attr:
        attr["pts"] = [(x + dx, y + dy) for x, y in attr["pts"]]


def page_records(pdf: "pdfplumber.PDF") -> Iterator[PageRecord]:
    """Every page as records, in order; each pdfplumber page is released once read."""
    fields, budget = field_map(pdf), _Budget()
    for number in range(1, len(pdf.pages) + 1):
        yield page_record(pdf, number, fields, budget)


def field_map(pdf: "pdfplumber.PDF") -> dict[int, "_Field"]:
    """The document's form fields by widget object, for ``page_record``."""
    with quiet():
        return _field_map(pdf)


def page_record(pdf: "pdfplumber.PDF", number: int, fields: Optional[dict[int, "_Field"]] = None,
                budget: Optional[_Budget] = None) -> PageRecord:
    """Page ``number`` (from 1) as records; its pdfplumber page released once read."""
    page, budget = pdf.pages[number - 1], budget or _Budget()
    try:
        with quiet():
            budget.new_page(number)
            return _record(page, fields, budget)
    except InputError:
        raise
    except Exception as err:
        raise CorruptFileError(f"page {number} of this PDF is damaged ({type(err).__name__}); export or save it again") from None
    finally:
        page.close()


def _finite(*values: float) -> bool:
    return all(map(math.isfinite, values))


def _record(page: Any, fields: Optional[dict[int, "_Field"]] = None, budget: Optional[_Budget] = None) -> PageRecord:
    frame, width, height = _layout(page, budget or _Budget())
    record = PageRecord(number=page.page_number, width=width, height=height)
    for c in page.chars:
        text = c["text"].replace("\x00", "")  # U+0000 (a /ToUnicode's for a glyph the font lacks): no character
        if not text or not _finite(c["x0"], c["x1"], c["top"], c["bottom"], c["size"]):
            continue
        glyph = Glyph(text, c["x0"], c["x1"], c["top"], c["bottom"], c["size"], c["fontname"])
        if c.get("invisible"):  # OCR's words over a page image, not the author's: not exact
            glyph.ocr, glyph.confidence = True, INVISIBLE_TEXT_CONFIDENCE
        m = c.get("matrix")
        if m and m[1] == 0 and m[2] == 0 and m[0] > 0 and m[3] > 0:  # upright text: the origin is on the baseline,
            glyph.baseline = c["bottom"] - (m[5] - c["y0"]) - c.get("rise", 0) * m[3]  # raised by the text rise (Ts)
        record.glyphs.append(glyph)
    for line in page.lines:
        _line(record, line)
    for rect in page.rects:
        _rect(record, rect)
    for curve in page.curves:
        pts = [(float(x), float(y)) for x, y in curve["pts"]]
        if _finite(curve["x0"], curve["top"], curve["x1"], curve["bottom"]):
            record.paths.append(Path(pts, curve["x0"], curve["top"], curve["x1"], curve["bottom"]))
            if curve.get("stroke") and _frame(pts, curve["x0"], curve["top"], curve["x1"], curve["bottom"]):
                _edges(record, curve["x0"], curve["top"], curve["x1"], curve["bottom"], float(curve.get("linewidth") or 0.5))
    _count_annotations(page)
    annots = page.annots
    refs = resolve1(page.page_obj.annots) if fields and annots else None
    if not isinstance(refs, list) or len(refs) != len(annots):
        refs = None
    for i, annot in enumerate(annots):
        ref = refs[i] if refs is not None else None
        field_ = fields.get(ref.objid) if fields and isinstance(ref, PDFObjRef) else None
        _annotation(record, annot, field_, (frame, page.rotation))
    return record


def _count_annotations(page: Any) -> None:
    raw = resolve1(page.page_obj.annots)
    if isinstance(raw, list) and len(raw) > LIMITS.annotations_per_page:
        raise refuse(f"page {page.page_number} of this PDF has more than {LIMITS.annotations_per_page:,} annotations and form fields")


def _line(record: PageRecord, line: dict) -> None:
    x0, x1, top, bottom = line["x0"], line["x1"], line["top"], line["bottom"]
    if not _finite(x0, x1, top, bottom):
        return
    width = float(line.get("linewidth") or 0.5)
    if abs(x1 - x0) < 0.5 or abs(bottom - top) < 0.5:
        record.segments.append(Segment(x0, top, x1, bottom, width))
    else:  # a diagonal: part of a drawn tick or cross
        pts = [(float(x), float(y)) for x, y in line["pts"]]
        record.paths.append(Path(pts, x0, top, x1, bottom))


def _rect(record: PageRecord, rect: dict) -> None:
    x0, x1, top, bottom = rect["x0"], rect["x1"], rect["top"], rect["bottom"]
    if not _finite(x0, x1, top, bottom):
        return
    filled, stroked = bool(rect.get("fill")), bool(rect.get("stroke"))
    height, width = bottom - top, x1 - x0
    if filled and (height <= THIN or width <= THIN):
        record.segments.append(Segment(x0, top, x1, bottom, min(height, width)))
        return
    fill = rect.get("non_stroking_color") if filled else None
    record.boxes.append(Box(x0, top, x1, bottom, filled, stroked, tuple(fill) if isinstance(fill, (list, tuple)) else None))
    if stroked:
        _edges(record, x0, top, x1, bottom, float(rect.get("linewidth") or 0.5))


def _edges(record: PageRecord, x0: float, top: float, x1: float, bottom: float, w: float) -> None:
    """A frame's four sides as ruling lines: the frame reads as a one-cell table."""
    record.segments += [
        Segment(x0, top, x1, top, w), Segment(x0, bottom, x1, bottom, w),
        Segment(x0, top, x0, bottom, w), Segment(x1, top, x1, bottom, w),
    ]


FRAME = 36.0  # points: a closed curve at least this wide and high, drawn along its bounds, frames text


def _frame(pts: list[tuple[float, float]], x0: float, top: float, x1: float, bottom: float) -> bool:
    """A rounded rectangle (a Word text box's frame): big, and every point near an edge of its bounds."""
    if x1 - x0 < FRAME or bottom - top < FRAME or len(pts) < 4:
        return False
    near = min(x1 - x0, bottom - top) / 4  # a corner's curve stays within this of two edges
    return all(min(x - x0, x1 - x, y - top, bottom - y) <= near for x, y in pts)


def _name(value: Any) -> Optional[str]:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        name = value.name
        return name.decode("latin-1") if isinstance(name, bytes) else str(name)
    return None


def _inherited(data: dict, key: str) -> Any:
    """A field attribute, looked up through the widget's /Parent chain."""
    seen = 0
    node: Any = data
    while isinstance(node, dict) and seen < 32:
        if key in node:
            return resolve1(node[key])
        node = resolve1(node.get("Parent"))
        seen += 1
    return None


class _Field:
    """A form field's inherited attributes, read from the AcroForm tree."""

    __slots__ = ("name", "ft", "ff", "v")

    def __init__(self, name: Optional[str], ft: Any, ff: Any, v: Any) -> None:
        self.name, self.ft, self.ff, self.v = name, ft, ff, v


def _field_map(pdf: Any) -> dict[int, _Field]:
    """Object id of every field node and widget in /AcroForm /Fields -> its field's attributes.

    A widget can lose its /Parent link (qpdf's button-set.pdf has two): its
    name, type and value are then found only by walking the field tree down.
    """
    out: dict[int, _Field] = {}
    try:
        acro = resolve1(pdf.doc.catalog.get("AcroForm"))
        roots = resolve1(acro.get("Fields")) if isinstance(acro, dict) else None
        if not isinstance(roots, list):
            return out
        stack: list[tuple[Any, Optional[str], Any, Any, Any, int]] = [(r, None, None, None, None, 0) for r in reversed(roots)]
        while stack and len(out) < LIMITS.form_fields_per_file:
            ref, name, ft, ff, v, depth = stack.pop()
            node = resolve1(ref)
            if not isinstance(node, dict) or depth > 32:
                continue
            part = _text(node.get("T"))
            name = part if name is None else (name if part is None else f"{name}.{part}")
            ft = node.get("FT", ft)
            ff = node.get("Ff", ff)
            v = node.get("V", v)
            if isinstance(ref, PDFObjRef):
                if ref.objid in out:
                    continue  # a loop in the tree
                out[ref.objid] = _Field(name, resolve1(ft), resolve1(ff), resolve1(v))
            kids = resolve1(node.get("Kids"))
            if isinstance(kids, list):
                stack += [(k, name, ft, ff, v, depth + 1) for k in reversed(kids)]
    except Exception:  # a damaged form tree: widgets fall back to their /Parent chain
        return out
    return out


def _text(value: Any) -> Optional[str]:
    value = resolve1(value)
    if isinstance(value, bytes):
        return decode_text(value)
    if isinstance(value, str):
        return value
    return None


def _qualified_name(data: dict) -> Optional[str]:
    """The field name through the widget's /Parent chain: the /T parts joined by "."."""
    parts: list[str] = []
    node: Any = data
    seen = 0
    while isinstance(node, dict) and seen < 32:
        part = _text(node.get("T"))
        if part is not None:
            parts.append(part)
        node = resolve1(node.get("Parent"))
        seen += 1
    return ".".join(reversed(parts)) if parts else None


def framed_box(frame: Matrix, xs: list[float], ys: list[float]) -> tuple[float, float, float, float]:
    """The bounds (x0, top, x1, bottom) of the points ``xs`` x ``ys`` (user space) in the page's ``frame``."""
    pts = [apply_matrix_pt(frame, (x, y)) for x in xs for y in ys]
    return (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))


def _numbers(values: Any) -> Optional[list[float]]:
    try:
        return [float(resolve1(v)) for v in values]
    except (TypeError, ValueError):
        return None


def _quads(data: dict, frame: Matrix) -> list[tuple[float, float, float, float]]:
    """A markup annotation's /QuadPoints as boxes (x0, top, x1, bottom) in the page's ``frame``."""
    quads = resolve1(data.get("QuadPoints"))
    if not isinstance(quads, list) or len(quads) < 8:
        return []
    out = []
    for i in range(0, len(quads) - 7, 8):
        pts = _numbers(quads[i : i + 8])
        if pts is None:
            return []
        out.append(framed_box(frame, pts[0::2], pts[1::2]))
    return out


def _placed(data: dict, frame: Matrix) -> Optional[tuple[float, float, float, float]]:
    """An annotation's /Rect in the page's ``frame``; None if it is not four finite numbers."""
    rect = resolve1(data.get("Rect"))
    corners = _numbers(rect) if isinstance(rect, list) and len(rect) == 4 else None
    box = framed_box(frame, corners[0::2], corners[1::2]) if corners else None
    return box if box is not None and _finite(*box) else None


def _annotation(record: PageRecord, annot: dict, field_: Optional[_Field], placed: tuple[Matrix, int]) -> None:
    """``placed``: the page's frame and rotation (a turned page's markups keep no quads, as PDFium's)."""
    data = annot.get("data") or {}
    subtype = _name(data.get("Subtype"))
    frame, rotation = placed
    box = _placed(data, frame)
    if box is None:
        return
    if subtype in ("StrikeOut", "Underline", "Highlight", "Squiggly"):
        record.marks.append(Mark(subtype.lower(), *box, parts=[] if rotation else _quads(data, frame)))
        return
    if subtype != "Widget":
        return
    field_type = _name(_inherited(data, "FT"))
    flags = resolve1(_inherited(data, "Ff"))
    value = _inherited(data, "V")
    name = _qualified_name(data)
    if field_ is not None:  # the AcroForm tree knows the widget: it fills what the /Parent chain lost
        field_type = field_type or _name(field_.ft)
        flags = flags if flags is not None else field_.ff
        value = value if value is not None else field_.v
        name = field_.name or name
    if field_type is None and _on_states(data):
        field_type = "Btn"  # no field at all, but it has on/off appearances: a check box
    flags = int(flags) if isinstance(flags, int) else 0
    if field_type == "Btn":
        if flags & (1 << 16):  # a push button: no state
            return
        kind = "radio" if flags & (1 << 15) else "checkbox"
        record.widgets.append(Widget(kind, *box, checked=button_checked(data, value), name=name))
    elif field_type == "Tx":
        record.widgets.append(Widget("text", *box, value=_text(value), name=name))
    elif field_type == "Ch":
        record.widgets.append(Widget("other", *box, value=chosen(value), name=name))


# a field's values joined into the one its widget's record holds (a list box with more than one selected)
VALUES_JOINED = ", "


def field_value(data: dict) -> Any:
    """A widget's field's /V, through its /Parent chain."""
    return _inherited(data, "V")


def button_checked(data: dict, value: Any = None) -> Optional[bool]:
    """Whether a check box or radio button is ticked, from its widget dictionary as written: its state (/AS, else
    its field's /V: ``value`` or through the /Parent chain) anything but "Off" ("/Yes", "/1", "/Yup"), unless its
    appearances name its on-state otherwise (a filler that writes /Yes where the on appearance is /On: the page
    shows it empty); None without a state."""
    state = _name(data.get("AS"))
    if state is None:
        state = _name(value if value is not None else field_value(data))
    if state is None:
        return None
    on_states = _on_states(data)
    return state != "Off" and (not on_states or state in on_states)


def chosen(value: Any) -> Optional[str]:
    """A choice field's value: its text, or the texts of the options selected in a list box, joined."""
    value = resolve1(value)
    if isinstance(value, list):
        texts = [_text(v) for v in value[: LIMITS.form_fields_per_file]]
        return VALUES_JOINED.join(t for t in texts if t is not None) or None
    return _text(value)


def _on_states(data: dict) -> list[str]:
    """The on-state names of a widget's normal appearances (/AP /N), "Off" left out."""
    ap = resolve1(data.get("AP"))
    normal = resolve1(ap.get("N")) if isinstance(ap, dict) else None
    if not isinstance(normal, dict):
        return []
    return [k for k in normal if k != "Off"]
