"""Tick boxes in a page image: frames found from their straight sides, states from the ink inside.

A box ticked by pen is no clean square of ink: the tick or cross crosses the
frame and overshoots it, so the frame and the mark are one blob whose outline
is not square; a 1-bit dithered or copied frame has breaks. So the frame is
found from its sides: short horizontal and vertical strokes (morphology on
the ink; on a dithered page small breaks bridged first), a flat stroke paired with the one
opposite it and the uprights near both its ends (a pen stroke over a corner
lengthens a side a little), the whole a tick-box frame as
``parsers/pdf/frames.py`` defines one (its stroke centre lines in points,
pixels * 72 / dpi). A letter is no frame: an "o" or an "O" has no square
corners, however bold; letters over an underline have a side that runs on
past a corner, and the stem of a bold "p" by its bowl runs on past one.

A thin side on a copier's 1-bit page may be broken by the threshold: one
side may be inked along only half its length, in pieces (the others, and the
corners of the sides not broken, as usual). A thin side left a little askew
by the deskew steps a row (or a column) part way along: its two parts, end
to end a row apart, are one side, and the run from each corner is looked
for in the ink itself, a pixel either way, where a part too short for the
stroke masks still is. A box set a pixel under a table row's rule is one
blob with the rule: a flat side may run on past both its corners (a rule,
an underline, stepping a row as it runs) when the side across the frame
stops at both.

The state is judged from the ink inside the frame once the frame's own sides
are left out, specks ignored (the rule table in ``_judge``): a mark across
half the box or more is a tick (the wider, the surer); no ink, an empty box;
a speck, a dot or a short stroke is unsure (confidence under 0.8, so the page
says so), a short stroke that runs out across the frame, as a pen's does,
leaning to a tick.

The flat strokes that may be a side are first picked all at once, by the
ink counted over rectangles beside them (a summed-area table of the stroke
masks in 2-pixel blocks); only those are looked at one by one.

Known limits: two sides broken (one at a corner, the side meeting it there
too) are missed. A bare tick or cross typed with no frame (a font's "✓",
"✗"), a box glyph a substitute font drew as another shape ("¤"), or a box
whose frame a copier lost, leaving its "X", is no frame: Tesseract reads
it as a letter.
"""

from __future__ import annotations

from typing import Optional

import cv2
import numpy as np

from ..pdf.frames import FRAME, is_frame
from .common import Rect

TickBox = tuple[Rect, Optional[bool], float]  # (outer rect in pixels, ticked, confidence)

SIDE_COVER = 0.8  # a frame's side is inked along this share of its length
BROKEN = 0.5  # but one side may be broken by the scan down to this share
END = 0.3  # the uprights are looked for this share of a flat stroke's length in from its ends
ALONG = (0.2, 0.35, 0.5, 0.65, 0.8)  # where along a side its thickness is measured
CORNER = 0.25  # and runs straight from each corner this share of the side
STEP_OVERLAP = 0.25  # a side stepping a row: its two rows' ink overlaps by at most this share of the shorter
CLOSE = 3  # pixels: breaks in a dithered stroke bridged before strokes are found
DOTTED = 0.05  # a page whose ink is this share lone pixels (in their row) is dithered
STROKE = 0.6  # a side is found as a stroke at least this share of the smallest frame's side
BLOCK = 2  # pixels: the side of the blocks ink is first counted in
RIM = 2  # pixels: inside the frame, a band this wide where its sides' strokes are left out
SPECK = 1.0  # points: ink inside a box spanning less than this square is dust
# (share of the box's inside inked, share of its side the mark spans) -> what it says
FILLED = 0.5  # inked this much: filled in
CLEAR_SPAN, CLEAR_INK = 0.5, 0.04  # a mark across half the box: ticked
BLANK_SPAN, BLANK_INK = 0.15, 0.01  # under these: empty
UNSURE = 0.5  # the confidence of a mark that is neither


def tick_boxes(ink: np.ndarray, dpi: float) -> list[TickBox]:
    """Small square frames in a page's ink (255 on 0, upright): (outer rect, ticked, confidence)."""
    px = dpi / 72.0
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((CLOSE, CLOSE), np.uint8)) if _dotted(ink) else ink
    k = max(5, round(STROKE * FRAME.side_min * px))
    flat = cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    upright = cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k)))
    strokes = _strokes(flat, px)
    found: list[tuple[float, Rect, int]] = []
    for stroke, below in _candidates(strokes, (_Sums(flat, BLOCK), _Sums(upright, BLOCK)), px):
        frame = _frame_from(stroke, below, (joined, flat, upright), px)
        if frame is not None:
            found.append(frame)
    found.sort(key=lambda f: -f[0])
    kept: list[tuple[float, Rect, int]] = []
    for f in found:
        if not any(_overlaps(f[1], g[1]) for g in kept):
            kept.append(f)
    return [(rect, *_state((joined, flat, upright), rect, thick, px)) for _, rect, thick in sorted(kept, key=lambda f: (f[1][1], f[1][0]))]


def _dotted(ink: np.ndarray) -> bool:
    """Is the page dithered (its grey drawn in dots, its lines broken)? Judged on a band across its middle.

    Dots stand alone in their row: many ink pixels with paper either side of them.
    """
    h = ink.shape[0]
    band = ink[h // 3 : h // 3 + max(h // 8, 1)] > 0
    inked = int(band.sum())
    alone = int((band[:, 1:-1] & ~band[:, :-2] & ~band[:, 2:]).sum())
    return inked > 0 and alone > DOTTED * inked


def read_from_box(word: Rect, box: Rect) -> bool:
    """Did Tesseract read this word from a tick box's frame? (It is the box, not text.)

    Its middle lies across the box's width and it overlaps the box: a box read
    as "o", "O" or "0", or a column of boxes read as one tall word ("oOoO00")
    whose middle falls between two of them. A label beside a box is not across it.
    """
    middle = (word[0] + word[2]) / 2
    return box[0] - 2 <= middle <= box[2] + 2 and word[1] < box[3] and word[3] > box[1]


# ---- frames ---------------------------------------------------------------------------


Stroke = tuple[int, int, int, int]  # x0, top, x1, bottom (exclusive), in pixels


def _strokes(flat: np.ndarray, px: float) -> list[Stroke]:
    """The flat strokes as long as a frame's side could be: their cores, not what ink touches them.

    A pen mark glued to a side (or a side to a rule) makes the stroke's box
    bigger than the side; the side is its longest run of rows alone.
    """
    lo, hi, thin = 0.7 * FRAME.side_min * px, (FRAME.side_max + FRAME.thin) * px, FRAME.thin * px
    boxes = np.array(_boxes(flat), dtype=int).reshape(-1, 4)
    boxes = boxes[boxes[:, 2] >= lo]
    plain = (boxes[:, 3] <= thin) & (boxes[:, 2] <= hi)
    out: list[Stroke] = [(x, y, x + w, y + h) for x, y, w, h in boxes[plain].tolist()]
    for x, y, w, h in boxes[~plain].tolist():
        core = _core(flat[y : y + h, x : x + w] > 0)
        if core is not None and lo <= core[2] - core[0] <= hi and core[3] - core[1] <= thin:
            out.append((x + core[0], y + core[1], x + core[2], y + core[3]))
    return out


def _boxes(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The bounding boxes (x, y, w, h) of a mask's blobs (outlines are far cheaper to find than labels)."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return [cv2.boundingRect(c) for c in contours]


def _core(part: np.ndarray) -> Optional[tuple[int, int, int, int]]:
    """The longest rows of a component and those next to them nearly as long: (x0, top, x1, bottom), in the part."""
    counts = part.sum(axis=1)
    best = int(counts.argmax())
    long = counts >= 0.85 * counts[best]
    top, bottom = best, best + 1
    while top > 0 and long[top - 1]:
        top -= 1
    while bottom < len(long) and long[bottom]:
        bottom += 1
    cols = np.flatnonzero(part[top:bottom].any(axis=0))
    return (int(cols[0]), top, int(cols[-1]) + 1, bottom) if cols.size else None


class _Sums:
    """Ink counted over rectangles of a mask, cheaply: its summed-area table in blocks of `block` pixels
    a side. A rectangle is counted over the blocks it touches, so a little more than it holds."""

    def __init__(self, mask: np.ndarray, block: int) -> None:
        h, w = mask.shape[0] // block, mask.shape[1] // block
        means = cv2.resize(mask[: h * block, : w * block], (w, h), interpolation=cv2.INTER_AREA)
        self.table, self.block, self.scale = cv2.integral(means), block, block * block / 255.0

    def inked(self, cols: tuple[np.ndarray, np.ndarray], rows: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """About how many ink pixels in each rectangle (columns and rows from and to, both inclusive)."""
        h, w = self.table.shape[0] - 1, self.table.shape[1] - 1
        c0, r0 = (np.clip(np.floor(v / self.block).astype(int), 0, n) for v, n in ((cols[0], w), (rows[0], h)))
        c1, r1 = (np.clip(np.floor(v / self.block).astype(int) + 1, 0, n) for v, n in ((cols[1], w), (rows[1], h)))
        t = self.table
        return (t[r1, c1] - t[r0, c1] - t[r1, c0] + t[r0, c0]) * self.scale


def _candidates(strokes: list[Stroke], sums: tuple[_Sums, _Sums], px: float) -> list[tuple[Stroke, bool]]:
    """The flat strokes that may be a frame's top (below: True) or bottom side, by the cheap tests, all at once:
    upright ink down (or up) from near both ends along half the side or more, and flat ink about a square
    away under (over) half the stroke or more (a side may be broken that far). The rest are looked at
    one by one (``_frame_from``)."""
    if not strokes:
        return []
    flat, upright = sums
    x0, top, x1, bottom = np.array(strokes, dtype=float).T
    y, width = (top + bottom - 1) / 2, x1 - x0
    tol, inset = FRAME.corner_tol * px + 1, END * width
    near, far = (1 - FRAME.squareness) * width - tol, width / (1 - FRAME.squareness) + tol  # the side across
    out: list[tuple[Stroke, bool]] = []
    for below in (True, False):
        rows = (y + tol, y + near) if below else (y - near, y - tol)
        band = (y + near, y + far) if below else (y - far, y - near)
        least = BROKEN * (near - tol)
        ok = (width >= FRAME.side_min * px) & (flat.inked((x0, x1 - 1), band) >= BROKEN * width)
        ok &= upright.inked((x0 - tol, x0 + inset), rows) >= least
        ok &= upright.inked((x1 - 1 - inset, x1 - 1 + tol), rows) >= least
        out += [(strokes[i], below) for i in np.flatnonzero(ok)]
    return out


def _frame_from(stroke: Stroke, below: bool, masks: tuple[np.ndarray, np.ndarray, np.ndarray], px: float) -> Optional[tuple[float, Rect, int]]:
    """The frame whose top (or bottom) side is this flat stroke: (how well its sides are inked, outer rect, side thickness).

    A pen stroke across a corner lengthens the flat stroke a little: the
    uprights are looked for near its ends, not only at them.
    """
    joined, flat, upright = masks
    x0, top, x1, bottom = stroke
    y = (top + bottom - 1) / 2
    tol, inset = FRAME.corner_tol * px + 1, END * (x1 - x0)
    reach = (1 if below else -1) * 0.7 * FRAME.side_min * px
    ends = ((x0 - tol, x0 + inset), (x1 - 1 - inset, x1 - 1 + tol))
    rows = upright[round(min(y, y + reach)) : round(max(y, y + reach)) + 1]
    left = _side(rows, ends[0], x0)
    right = _side(rows, ends[1], x1 - 1) if left is not None else None
    if right is None:
        return None
    xa, xb = left, right
    if not FRAME.side_min <= (xb - xa) / px <= FRAME.side_max:
        return None
    other = _opposite(flat, (xa, xb), y, below)
    if other is None:
        return None
    ya, yb = min(y, other), max(y, other)
    if not is_frame((xb - xa) / px, (yb - ya) / px):
        return None
    cover = _covers((flat, upright), (xa, ya, xb, yb))
    broken = [i for i, c in enumerate(cover) if c < SIDE_COVER]
    if len(broken) > 1 or min(cover) < BROKEN:
        return None  # a side broken by the scan may be, but only one, and only so far
    outer = _outer(joined, (xa, ya, xb, yb))
    if not _cornered((joined, flat, upright), (xa, ya, xb, yb), outer, broken[0] if broken else None):
        return None  # round: an "o", an "O"
    rect = (int(outer[0]), int(outer[1]), int(np.ceil(outer[2])) + 1, int(np.ceil(outer[3])) + 1)
    return sum(cover) / 4, rect, max(1, round(max(ya - outer[1], outer[3] - yb, xa - outer[0], outer[2] - xb) * 2))


def _covers(masks: tuple[np.ndarray, np.ndarray], lines: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """How much of each side (top, bottom, left, right) is inked between the corners."""
    flat, upright = masks
    xa, ya, xb, yb = (round(v) for v in lines)
    return (_cover(flat, (ya, ya), (xa, xb), 1), _cover(flat, (yb, yb), (xa, xb), 1), _along(upright, xa, ya, yb), _along(upright, xb, ya, yb))


def _outer(joined: np.ndarray, lines: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The frame's outer edges: each side's centre line out by half the ink across it.

    Measured at five places along the side, the thinnest kept: a pen mark
    that touches the side makes it look thicker where it does.
    """
    xa, ya, xb, yb = lines
    ys, xs = [round(ya + f * (yb - ya)) for f in ALONG], [round(xa + f * (xb - xa)) for f in ALONG]
    h = [min((r for r in (_run(joined[y], x) for y in ys) if r), default=1) for x in (xa, xb)]
    v = [min((r for r in (_run(joined[:, x], y) for x in xs) if r), default=1) for y in (ya, yb)]
    return xa - h[0] / 2, ya - v[0] / 2, xb + h[1] / 2, yb + v[1] / 2


def _run(line: np.ndarray, at: float) -> int:
    """The length of the run of ink through index `at` of a row or column (0 if paper there)."""
    i = round(at)
    if not 0 <= i < len(line) or not line[i]:
        return 0
    a, b = i, i
    while a > 0 and line[a - 1]:
        a -= 1
    while b < len(line) - 1 and line[b + 1]:
        b += 1
    return b - a + 1


def _side(rows: np.ndarray, xs: tuple[float, float], end: float) -> Optional[float]:
    """The middle column of the upright side in columns xs of these rows nearest the stroke's end;
    if there is none, one the scan broke near the corner."""
    a = max(int(xs[0]), 0)
    found = _line(rows[:, a : int(xs[1]) + 1].T, end - a, SIDE_COVER, BROKEN)
    return None if found is None else a + found


def _along(upright: np.ndarray, x: float, ya: float, yb: float) -> float:
    """How much of an upright side at column x (give or take a pixel) is inked from row ya to yb."""
    x = round(x)
    return float(upright[round(ya) : round(yb) + 1, max(x - 1, 0) : x + 2].any(axis=1).mean())


def _opposite(flat: np.ndarray, xs: tuple[float, float], y: float, below: bool) -> Optional[float]:
    """The middle row of the flat side across the frame from the one at row y, about a square away, maybe broken."""
    width = xs[1] - xs[0]
    near, far = width * (1 - FRAME.squareness), width / (1 - FRAME.squareness)
    r0, r1 = (round(y + near), round(y + far) + 1) if below else (round(y - far), round(y - near) + 1)
    r0 = max(r0, 0)
    found = _line(flat[r0:max(r1, r0), round(xs[0]) : round(xs[1]) + 1], (y + width if below else y - width) - r0, BROKEN)
    return None if found is None else r0 + found


def _cornered(masks: tuple[np.ndarray, np.ndarray, np.ndarray], lines: tuple[float, float, float, float], outer: tuple[float, float, float, float], broken: Optional[int] = None) -> bool:
    """Are the corners square and the sides' ends there, as a drawn frame's are?

    From each corner (where the sides' centre lines meet) both sides run
    straight on: a ring's outline ("o", "O") bends away before it reaches the
    corner, and leaves the outer corner bare, however thick it is. A side the
    scan broke (``broken``: 0 top, 1 bottom, 2 left, 3 right) need not reach
    its corners, so long as the other side there does. And no side runs on past
    a corner (letters over an underline are not a frame), but for a box glued
    to a table rule: a flat side that runs on past both its corners while the
    side across the frame stops at both.
    """
    joined, flat, upright = masks
    x0, y0, x1, y1 = ((a + b) / 2 for a, b in zip(outer, lines))  # halfway into the sides' ink
    for x, y in ((round(x0), round(y0)), (round(x1), round(y0)), (round(x0), round(y1)), (round(x1), round(y1))):
        if not joined[max(y - 1, 0) : y + 2, max(x - 1, 0) : x + 2].any():
            return False
    xa, ya, xb, yb = (round(v) for v in lines)
    reach = max(2, round(CORNER * min(xb - xa, yb - ya)))
    corners = ((xa, ya, 1, 1, 0, 2), (xb, ya, -1, 1, 0, 3), (xa, yb, 1, -1, 1, 2), (xb, yb, -1, -1, 1, 3))
    on = [0, 0]  # corners past which each flat side (top, bottom) runs on
    for x, y, dx, dy, fs, us in corners:
        if (fs != broken and _cover(joined, (y, y), (x, x + dx * reach), 1) < SIDE_COVER) or (us != broken and _cover(joined, (y, y + dy * reach), (x, x), 1) < SIDE_COVER):
            return False
        # a side's line on past the corner: half a side flat, three quarters upright (a steep pen stroke can
        # follow a side a little way; the stem of a bold "p" or "b" by its bowl runs on further)
        if _cover(upright, (y - dy * 3, y - dy * 3 * reach), (x, x), 0) >= SIDE_COVER:
            return False
        on[fs] += _cover(flat, (y, y), (x - dx * 3, x - dx * 2 * reach), 1) >= SIDE_COVER  # a rule a row off: it steps
    return on in ([0, 0], [2, 0], [0, 2]) and (broken is None or on == [0, 0])


def _cover(mask: np.ndarray, ys: tuple[int, int], xs: tuple[int, int], slack: int) -> float:
    """The share of a straight run from (xs[0], ys[0]) to (xs[1], ys[1]) (one of them flat) inked, give or take `slack` pixels across it."""
    y0, y1, x0, x1 = min(ys), max(ys), min(xs), max(xs)
    flat = y0 == y1
    part = mask[max(y0 - (slack if flat else 0), 0) : y1 + 1 + (slack if flat else 0), max(x0 - (0 if flat else slack), 0) : x1 + 1 + (0 if flat else slack)]
    if not part.size:
        return 0.0
    return float(part.any(axis=0 if flat else 1).mean())


def _line(mask: np.ndarray, expected: float, least: float = SIDE_COVER, broken: Optional[float] = None) -> Optional[float]:
    """The middle row of the inked line across a strip (rows of the mask) nearest `expected`;
    if there is none and `broken` is given, of one inked that much.

    A thin side left a little askew steps a row as it runs across: part of it
    in one row, the rest in the next, end to end. Two such rows are a line
    between them (the bowl of a bold "o" is no step: its rows overlap, the
    wider under the narrower).
    """
    if mask.size == 0:
        return None
    inked = mask > 0
    count = inked.sum(axis=1)
    found = None
    for share in (least,) if broken is None else (least, broken):
        enough = count >= share * mask.shape[1]
        found = _middles(np.flatnonzero(enough))
        if not found.size or np.abs(found - expected).min() > 2:  # no line where it is looked for: a step may be nearer
            shorter = np.minimum(count[:-1], count[1:])
            overlap = (inked[:-1] & inked[1:]).sum(axis=1)
            union = count[:-1] + count[1:] - overlap
            steps = ~enough[:-1] & ~enough[1:] & (shorter > 0) & (overlap <= STEP_OVERLAP * shorter) & (union >= share * mask.shape[1])
            found = np.concatenate([found, np.flatnonzero(steps) + 0.5])
        if found.size:
            return float(found[np.abs(found - expected).argmin()])
    return None


def _middles(rows: np.ndarray) -> np.ndarray:
    """The middle of each run of consecutive rows."""
    if not rows.size:
        return rows.astype(float)
    gap = np.diff(rows) > 1
    return (rows[np.concatenate(([True], gap))] + rows[np.concatenate((gap, [True]))]) / 2


def _overlaps(a: Rect, b: Rect) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


# ---- states -----------------------------------------------------------------------------


def _state(masks: tuple[np.ndarray, np.ndarray, np.ndarray], rect: Rect, thick: int, px: float) -> tuple[Optional[bool], float]:
    """Ticked or not, and how sure, from the ink inside the frame (its sides left out) and across it."""
    joined, flat, upright = masks
    x0, top, x1, bottom = rect
    sides = cv2.bitwise_or(flat[top:bottom, x0:x1], upright[top:bottom, x0:x1])
    edge = thick + 1
    inner = (slice(top + edge, bottom - edge), slice(x0 + edge, x1 - edge))
    inside = joined[inner] > 0
    if inside.size == 0:
        return None, 0.0
    rim = cv2.dilate(sides, np.ones((3, 3), np.uint8))[edge : bottom - top - edge, edge : x1 - x0 - edge] > 0
    rim[RIM:-RIM, RIM:-RIM] = False  # a side drawn thicker than measured, or a little askew: not a mark
    inside &= ~rim
    ink, span = _mark(inside, px)
    crosses = ink > 0 and _crosses(joined, rect, edge)
    return _judge(ink / inside.size, span / max(inside.shape), crosses)


def _judge(ink: float, span: float, crosses: bool) -> tuple[Optional[bool], float]:
    """The rule table: (share inked, share of the side spanned, a mark runs out across the frame) -> (state, confidence)."""
    if ink >= FILLED:
        return True, 0.95
    if span >= CLEAR_SPAN and ink >= CLEAR_INK:
        return True, min(1.0, 0.85 + 0.3 * (span - CLEAR_SPAN))
    if ink == 0:
        return False, 0.95
    if span < BLANK_SPAN and ink < BLANK_INK:
        return False, 0.7  # a speck: most likely dust, but say so
    if crosses and span >= BLANK_SPAN:
        return True, 0.75  # a short stroke that runs out of the box: a pen's, most likely
    return span >= 0.35 or ink >= 2 * CLEAR_INK, UNSURE


def _mark(inside: np.ndarray, px: float) -> tuple[int, int]:
    """(inked pixels, the longer side of their bounding box) once specks are left out."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(inside.astype(np.uint8), connectivity=8)
    speck = SPECK * px
    keep = [i for i in range(1, n) if max(stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT]) >= speck]
    if not keep:
        return 0, 0
    s = stats[keep]
    x0, y0 = s[:, cv2.CC_STAT_LEFT].min(), s[:, cv2.CC_STAT_TOP].min()
    x1 = (s[:, cv2.CC_STAT_LEFT] + s[:, cv2.CC_STAT_WIDTH]).max()
    y1 = (s[:, cv2.CC_STAT_TOP] + s[:, cv2.CC_STAT_HEIGHT]).max()
    return int(s[:, cv2.CC_STAT_AREA].sum()), int(max(x1 - x0, y1 - y0))


def _crosses(joined: np.ndarray, rect: Rect, edge: int) -> bool:
    """Does ink run through a side: inked just inside, on the side and just outside, at one place?"""
    x0, top, x1, bottom = rect
    h, w = joined.shape
    if x0 - edge < 0 or top - edge < 0 or x1 + edge > w or bottom + edge > h:
        return False
    m = joined[top - edge : bottom + edge, x0 - edge : x1 + edge] > 0
    e, bh, bw = edge, bottom - top, x1 - x0  # the frame's rows and columns in m: e .. e + bh - 1
    pairs = (
        (m[0, e : e + bw], m[2 * e, e : e + bw]),
        (m[bh - 1 + 2 * e, e : e + bw], m[bh - 1, e : e + bw]),
        (m[e : e + bh, 0], m[e : e + bh, 2 * e]),
        (m[e : e + bh, bw - 1 + 2 * e], m[e : e + bh, bw - 1]),
    )
    return any(bool((outer & inner).any()) for outer, inner in pairs)
