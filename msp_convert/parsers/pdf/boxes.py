"""Tick boxes on a page's records: glyphs, drawn squares, AcroForm fields.

Each tick box ends as one glyph with ``is_tick`` set, where it sits, so the
reading order puts it in its line like any character:

* a tick character (☐ ☒ ✓ ..., or a Wingdings/Wingdings 2/Symbol/ZapfDingbats
  code, also as U+F0xx or "(cid:N)") is flagged in place;
* a small, roughly square drawn frame (a stroked rectangle, or four strokes
  meeting at the corners, as ``frames.py`` defines one) becomes a new glyph "☒"/"☐":
  ticked when an X or a tick is drawn inside it (diagonal strokes of both
  slopes), or a filled dark square, or an "x" typed in it; a tick glyph inside
  it is the box's state and stays the only glyph. The frame and its mark leave
  ``page.boxes``/``page.segments``/``page.paths``, so the table grid does not
  see them. A frame holding any other character is a boxed letter, not a tick
  box, and is left alone;
* each check box or radio button widget becomes a glyph at its rectangle, in
  place of any glyph or drawn box under it (LibreOffice draws the box and
  exports the field); each text or choice field with a value becomes one glyph
  holding the whole value.

A box whose state cannot be told gives one ``tick-box-unknown`` warning.
"""

from __future__ import annotations

from typing import Optional

from ...glyphs import GLYPH_TICKS, pdf_symbol_font_key, tick_state
from ...layout import TICK_GLYPHS
from ...results import Message, place
from .frames import FRAME, Frame, find_frames
from .index import Buckets
from .records import Box, Glyph, PageRecord, Path, Segment, Widget

TICKED, EMPTY = TICK_GLYPHS[True], TICK_GLYPHS[False]  # ☒ ☐
FRAME_MAX = FRAME.side_max  # a frame's side, points (frames.py says what a frame is)
TOL = FRAME.corner_tol
MARK_MIN = 0.3  # a mark inside a frame spans at least this fraction of its side
DRAWN_CONFIDENCE = 0.95  # a state judged from drawn geometry
X_CHARS = frozenset("xX\u00d7\u2715\u2716\u2573")  # x X × ✕ ✖ ╳ typed into a box: ticked


def find_tick_boxes(page: PageRecord) -> list[Message]:
    """Flag tick glyphs, turn drawn boxes and form fields into tick glyphs; a warning per unknown state."""
    _glyph_ticks(page.glyphs)
    unknown: list[Glyph] = []
    frames = find_frames(page.segments, page.boxes)
    if frames:
        unknown += _read_frames(page, frames)
    if page.widgets:
        unknown += _widgets(page)
    if not unknown:
        return []
    kept = {id(g) for g in page.glyphs if g.is_tick}  # a drawn box under a field gave way to it
    return [
        Message(
            "tick-box-unknown",
            f"a {'form-field' if g.tick_encoding == 'acroform' else 'drawn'} tick box could not be read as "
            "ticked or not; check it by eye",
            where=place(page.number, (g.x0, g.top, g.x1, g.bottom)),
        )
        for g in unknown
        if id(g) in kept
    ]


# ---- (a) tick characters -----------------------------------------------------


def _glyph_ticks(glyphs: list[Glyph]) -> None:
    if _no_ticks({g.font for g in glyphs}, {g.text for g in glyphs}):
        return
    fonts: dict[str, Optional[str]] = {}
    states: dict[tuple[str, str], Optional[bool]] = {}  # each character of each font judged once
    for g in glyphs:
        key = (g.font, g.text)
        try:
            state = states[key]
        except KeyError:
            name = g.font
            try:
                font = fonts[name]
            except KeyError:
                font = fonts[name] = pdf_symbol_font_key(name)
            state = states[key] = tick_state(g.text, font)
        if state is None:
            continue
        encoding = "glyph" if g.text in GLYPH_TICKS else "symbol"
        if encoding == "symbol":
            g.text = TICKED if state else EMPTY  # not the symbol font's private code
        g.is_tick, g.tick, g.tick_encoding = True, state, encoding


def _no_ticks(fonts: set[str], texts: set[str]) -> bool:
    """No glyph can be a tick character: no symbol font among the page's, nor a tick among its
    characters (the common page: decided from its few distinct fonts and characters)."""
    return all(pdf_symbol_font_key(f) is None for f in fonts) and all(tick_state(t, None) is None for t in texts)


# ---- (b) drawn frames --------------------------------------------------------


class _Inside:
    """What lies in and around a page's frames, each kind indexed once; what leaves the page as frames are read."""

    def __init__(self, page: PageRecord) -> None:
        self.glyphs = Buckets(page.glyphs, lambda g: ((g.x0 + g.x1) / 2, (g.top + g.bottom) / 2, (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2))
        self.paths = Buckets(
            (p for p in page.paths if p.x1 - p.x0 <= FRAME_MAX + 2 * TOL and p.bottom - p.top <= FRAME_MAX + 2 * TOL),
            _rect,
        )
        self.fills = Buckets(
            (b for b in page.boxes if b.filled and not b.stroked and b.x1 - b.x0 <= FRAME_MAX and b.bottom - b.top <= FRAME_MAX),
            _rect,
        )
        self.drop: dict[str, set[int]] = {"glyphs": set(), "boxes": set(), "segments": set(), "paths": set()}

    def characters(self, f: Frame) -> tuple[Optional[Glyph], list[Glyph], bool]:
        """The tick glyph inside ``f``, the typed x's, and whether any other character is inside."""
        tick_glyph: Optional[Glyph] = None
        typed_x: list[Glyph] = []
        other = False
        for g in self.glyphs.near(f.x0, f.top, f.x1, f.bottom):
            cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
            if not (f.x0 <= cx <= f.x1 and f.top <= cy <= f.bottom) or not g.text.strip():
                continue
            if g.is_tick:
                tick_glyph = g
            elif g.text in X_CHARS:
                typed_x.append(g)
            else:
                other = True
        return tick_glyph, typed_x, other

    def marks(self, f: Frame) -> tuple[list[Path], list[Box]]:
        """The strokes drawn inside ``f`` and the dark squares filled inside it."""
        pad = max(1.0, 0.12 * f.side)
        x0, top, x1, bottom = f.x0 - pad, f.top - pad, f.x1 + pad, f.bottom + pad
        strokes = [p for p in self.paths.near(x0, top, x1, bottom) if x0 <= p.x0 <= f.x1 and p.x1 <= x1 and p.top >= top and p.bottom <= bottom]
        fills = [
            b for b in self.fills.near(x0, top, x1, bottom)
            if b.x0 >= x0 and b.x1 <= x1 and b.top >= top and b.bottom <= bottom
            and max(b.x1 - b.x0, b.bottom - b.top) <= 0.95 * f.side and not _white(b.fill)
            and min(b.x1 - b.x0, b.bottom - b.top) >= MARK_MIN * f.side
        ]
        return strokes, fills

    def apply(self, page: PageRecord) -> None:
        """The frames, their marks and typed x's leave the page's records."""
        for kind, ids in self.drop.items():
            if ids:
                setattr(page, kind, [d for d in getattr(page, kind) if id(d) not in ids])


def _read_frames(page: PageRecord, frames: list[Frame]) -> list[Glyph]:
    """Each frame's state from what lies inside it; returns the boxes whose state could not be told.

    A tick glyph inside is the state (the frame is its drawing); drawn strokes of
    both slopes or a dark fill tick it, as does a typed x; any other character
    makes it a boxed letter, left alone."""
    inside = _Inside(page)
    unknown: list[Glyph] = []
    for f in frames:
        tick_glyph, typed_x, other = inside.characters(f)
        if other:
            continue
        strokes, fills = inside.marks(f)
        state = _drawn_state(strokes, f.side) if strokes else False
        if fills:
            state = True if state is not None else None
        if typed_x:
            state = True
        inside.drop["paths"].update(id(p) for p in strokes)
        inside.drop["boxes"].update(id(b) for b in fills)
        if f.box is not None:
            inside.drop["boxes"].add(id(f.box))
        inside.drop["segments"].update(id(e) for e in f.edges)
        if tick_glyph is not None:
            continue
        inside.drop["glyphs"].update(id(g) for g in typed_x)
        box = _tick_glyph(f.x0, f.top, f.x1, f.bottom, state, "drawn", DRAWN_CONFIDENCE)
        if state is None:
            unknown.append(box)
        page.glyphs.append(box)
    inside.apply(page)
    return unknown


def _rect(d: "Path | Box | Segment | Widget") -> tuple[float, float, float, float]:
    return d.x0, d.top, d.x1, d.bottom


def _drawn_state(marks: list[Path], side: float) -> Optional[bool]:
    """Ticked if the marks hold diagonal strokes of both slopes (an X, a ✓); None if unreadable."""
    big = [p for p in marks if max(p.x1 - p.x0, p.bottom - p.top) >= MARK_MIN * side]
    if not big:
        return False  # specks
    slopes = set()
    least = 0.125 * side
    for p in big:
        pts = p.points
        for (xa, ya), (xb, yb) in zip(pts, pts[1:]):
            dx, dy = xb - xa, yb - ya
            if abs(dx) >= least and abs(dy) >= least:
                slopes.add((dx > 0) == (dy > 0))
    if len(slopes) == 2:
        return True
    return None  # one slash, a dash: cannot be told


def _white(fill: Optional[tuple[float, ...]]) -> bool:
    if not fill:
        return False
    if len(fill) == 4:  # CMYK
        return all(c <= 0.05 for c in fill)
    return all(c >= 0.95 for c in fill)


def _tick_glyph(x0: float, top: float, x1: float, bottom: float, state: Optional[bool], encoding: str, confidence: float = 1.0) -> Glyph:
    g = Glyph(TICKED if state else EMPTY, x0, x1, top, bottom, max(bottom - top, 1.0))
    g.is_tick, g.tick, g.tick_encoding, g.confidence = True, state, encoding, confidence
    return g


# ---- (c) form fields ---------------------------------------------------------


def _overlap(a: Glyph, w: Widget) -> float:
    """Overlap of a glyph's box and a widget's rectangle, as a fraction of the smaller."""
    ix = min(a.x1, w.x1) - max(a.x0, w.x0)
    iy = min(a.bottom, w.bottom) - max(a.top, w.top)
    if ix <= 0 or iy <= 0:
        return 0.0
    smaller = min((a.x1 - a.x0) * (a.bottom - a.top), (w.x1 - w.x0) * (w.bottom - w.top))
    return ix * iy / smaller if smaller > 0 else 0.0


def _widgets(page: PageRecord) -> list[Glyph]:
    """Form fields as glyphs; returns the boxes whose state could not be told."""
    unknown: list[Glyph] = []
    placed = [w for w in page.widgets if _on_page(w, page)]
    buttons = [w for w in placed if w.kind in ("checkbox", "radio")]
    ticks = Buckets((g for g in page.glyphs if g.is_tick), _rect) if buttons else None
    drop: set[int] = set()
    added: list[Glyph] = []
    for w in buttons:
        state = w.checked
        for g in ticks.near(w.x0, w.top, w.x1, w.bottom) if ticks else ():  # a box drawn or typed under the field: the field wins, one box only
            if id(g) not in drop and _overlap(g, w) >= 0.5:
                drop.add(id(g))
                if state is None:
                    state = g.tick
        box = _tick_glyph(w.x0, w.top, w.x1, w.bottom, state, "acroform")
        if state is None:
            unknown.append(box)
        added.append(box)
    for w in placed:
        if w.kind in ("text", "other") and w.value and w.value.strip():
            size = max(1.0, min(w.bottom - w.top, 12.0))
            added.append(Glyph(w.value, w.x0, w.x1, w.top, w.bottom, size))
    if drop:
        page.glyphs = [g for g in page.glyphs if id(g) not in drop]
    if buttons and page.paths:  # a radio button's drawn circle is the field's face
        faces = Buckets(buttons, lambda w: (w.x0 - TOL, w.top - TOL, w.x1 + TOL, w.bottom + TOL))
        page.paths = [p for p in page.paths if not any(_inside(p, w) for w in faces.near(*_rect(p)))]
    if placed:  # the frame or white ground drawn under a field is the field's face too
        fields = Buckets(placed, lambda w: (w.x0 - FACE, w.top - FACE, w.x1 + FACE, w.bottom + FACE))
        page.boxes = [b for b in page.boxes if not any(_framing(b, w) for w in fields.near(*_rect(b)))]
        page.segments = [s for s in page.segments if not any(_framing(s, w) for w in fields.near(*_rect(s)))]
    page.glyphs += added
    return unknown


def _on_page(w: Widget, page: PageRecord) -> bool:
    """A widget with an area, on the page (hidden fields often sit at [0 0 0 0])."""
    return w.x1 > w.x0 and w.bottom > w.top and w.x1 > 0 and w.bottom > 0 and w.x0 < page.width and w.top < page.height


FACE = 3.0  # points: LibreOffice draws a field's frame a little outside its widget


def _framing(d: "Box | Segment", w: Widget) -> bool:
    return d.x0 >= w.x0 - FACE and d.x1 <= w.x1 + FACE and d.top >= w.top - FACE and d.bottom <= w.bottom + FACE


def _inside(p: Path, w: Widget) -> bool:
    return p.x0 >= w.x0 - TOL and p.x1 <= w.x1 + TOL and p.top >= w.top - TOL and p.bottom <= w.bottom + TOL
