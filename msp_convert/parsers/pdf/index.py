"""Where things are on a page: objects bucketed by a coarse grid, for "what lies near here?".

Every geometry step asks it instead of comparing each object with every
other, so a step's work grows with the objects near each other, not with the
square of the page's objects. Each question answers a superset (the objects
whose box meets the rectangle asked about, bucket by bucket): the caller
keeps its own exact test. What the index reads is counted (``limits.spend``):
a page that piles thousands of objects on one spot is refused, not ground
through.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from itertools import product
from typing import Callable, Generic, Iterable, Optional, TypeVar

from .limits import spend

T = TypeVar("T")
Rect = tuple[float, float, float, float]  # x0, top, x1, bottom

CELL = 16.0  # points: a bucket's side, about a line of text
FAR = 20_000.0  # points: coordinates are clamped to this (a PDF page is at most 14,400 pt)
WIDE = 96  # an object over more buckets than this (a page-sized box) is kept apart and always offered


def _at(v: float) -> int:
    return math.floor(min(max(v, -FAR), FAR) / CELL)


def _span(x0: float, top: float, x1: float, bottom: float) -> tuple[int, int, int, int]:
    """The buckets a box meets, as column and row ranges (either corner order)."""
    if -FAR <= x0 <= FAR and -FAR <= x1 <= FAR and -FAR <= top <= FAR and -FAR <= bottom <= FAR:
        if x1 < x0:
            x0, x1 = x1, x0
        if bottom < top:
            top, bottom = bottom, top
        return _floor(x0 / CELL), _floor(x1 / CELL), _floor(top / CELL), _floor(bottom / CELL)
    i0, i1, j0, j1 = _at(x0), _at(x1), _at(top), _at(bottom)  # far out, or not a number (raises)
    return min(i0, i1), max(i0, i1), min(j0, j1), max(j0, j1)


_floor = math.floor


def _first(pair: tuple[int, object]) -> int:
    return pair[0]


Strip = tuple[int, int, tuple[int, T]]  # an object over a run of buckets of one row or column: its first and last, (n, object)


def _strips_read(strips: dict[int, list[Strip[T]]], k0: int, k1: int, a0: int, a1: int, found: dict[int, T]) -> int:
    """The strips of rows (or columns) k0..k1 that meet buckets a0..a1 along them, put in ``found``;
    how many buckets' entries they stand for (what reading them bucket by bucket would count)."""
    read = 0
    for k in range(k0, k1 + 1) if k1 - k0 < len(strips) else [k for k in strips if k0 <= k <= k1]:
        for a, b, pair in strips.get(k, ()):
            over = (b if b < a1 else a1) - (a if a > a0 else a0) + 1
            if over > 0:
                read += over
                found[pair[0]] = pair[1]
    return read


class Buckets(Generic[T]):
    """Objects by the grid buckets their box (``box(item)``) meets."""

    def __init__(self, items: Iterable[T], box: Callable[[T], Rect]) -> None:
        self._cells: dict[tuple[int, int], list[tuple[int, T]]] = defaultdict(list)  # filled here only
        # An object over several buckets of one row (a rule along the page) is kept once, by its row, as
        # (first column, last column, (n, item)), one of one column by its column: read as if it were
        # in each of those buckets.
        self._rows: dict[int, list[Strip[T]]] = defaultdict(list)
        self._columns: dict[int, list[Strip[T]]] = defaultdict(list)
        self._wide: list[tuple[int, T]] = []
        self._points: dict[tuple[int, int], tuple[list[T], int]] = {}  # one bucket's answer, made once
        cells = self._cells
        for pair in enumerate(items):
            i0, i1, j0, j1 = _span(*box(pair[1]))
            if i0 == i1 and j0 == j1:  # most objects: one bucket
                cells[i0, j0].append(pair)
            elif (i1 - i0 + 1) * (j1 - j0 + 1) > WIDE:
                self._wide.append(pair)
            elif j0 == j1:
                self._rows[j0].append((i0, i1, pair))
            elif i0 == i1:
                self._columns[i0].append((j0, j1, pair))
            else:
                for key in product(range(i0, i1 + 1), range(j0, j1 + 1)):
                    cells[key].append(pair)

    def near(self, x0: float, top: float, x1: float, bottom: float) -> list[T]:
        """The objects whose box may meet this rectangle, each once, in the order they were given."""
        i0, i1, j0, j1 = _span(x0, top, x1, bottom)
        if i0 == i1 and j0 == j1:
            return self._one((i0, j0))
        found: dict[int, T] = dict(self._wide)
        read = len(self._wide)
        if (i1 - i0 + 1) * (j1 - j0 + 1) <= len(self._cells):
            keys: Iterable[tuple[int, int]] = product(range(i0, i1 + 1), range(j0, j1 + 1))
        else:  # a question wider than the page's filled buckets: read those instead
            keys = [k for k in self._cells if i0 <= k[0] <= i1 and j0 <= k[1] <= j1]
        for bucket in filter(None, map(self._cells.get, keys)):
            read += len(bucket)
            found.update(bucket)
        if self._rows:
            read += _strips_read(self._rows, j0, j1, i0, i1, found)
        if self._columns:
            read += _strips_read(self._columns, i0, i1, j0, j1, found)
        spend(read + 1)
        return [found[n] for n in sorted(found)] if len(found) > 1 else list(found.values())

    def _one(self, key: tuple[int, int]) -> list[T]:
        """``near`` for a rectangle inside one bucket: that bucket's objects and the wide ones."""
        made = self._points.get(key)
        if made is None:
            bucket = self._cells.get(key, [])
            i, j = key
            parts = self._wide + bucket
            parts += [pair for a, b, pair in self._rows.get(j, ()) if a <= i <= b] if self._rows else []
            parts += [pair for a, b, pair in self._columns.get(i, ()) if a <= j <= b] if self._columns else []
            made = self._points[key] = ([item for _, item in sorted(parts, key=_first)], len(parts))
        spend(made[1] + 1)
        return list(made[0])

    def around(self, x: float, y: float, tol: float) -> list[T]:
        """The objects whose box may come within ``tol`` of the point (x, y)."""
        return self.near(x - tol, y - tol, x + tol, y + tol)


TALL = 4 * CELL  # points: an object taller than this (or of no sure height) is kept apart and always offered


class Rows(Generic[T]):
    """Objects by their vertical extent alone, for questions along a thin horizontal strip.

    One sort makes it, where ``Buckets`` files each object: for many objects
    asked few questions (a page's glyphs, asked about its few thin strokes).
    An answer holds, in no set order, every object whose extent
    (``tops[n]`` down by ``heights[n]``) may meet the strip, whatever its x: the
    caller keeps its own exact test. What it reads is counted (``limits.spend``).
    """

    def __init__(
        self, items: list[T], tops: Optional[list[float]], heights: list[float], top: Optional[Callable[[T], float]] = None
    ) -> None:
        """``tops``: each item's top; or None, ``top`` reading it from the item (a page's glyphs are then
        sorted by it once, with no list of their indexes made and read back)."""
        if tops is None:
            assert top is not None
            if all(map(TALL.__ge__, heights)):  # as below, the sort as stable
                self._items, self._tall = sorted(items, key=top), []
                self._tops = list(map(top, self._items))
                self._reach = max(0.0, max(heights, default=0.0))
                return
            tops = list(map(top, items))
        if all(map(TALL.__ge__, heights)):  # most pages: nothing tall (h <= TALL, in C)
            low, self._tall = sorted(range(len(heights)), key=tops.__getitem__), []
            self._reach = max(0.0, max(heights, default=0.0))  # no NaN here: any order gives it
        else:
            low = [n for n, h in enumerate(heights) if h <= TALL]  # NaN and infinity fail: tall
            self._tall = [items[n] for n, h in enumerate(heights) if not h <= TALL]
            low.sort(key=tops.__getitem__)
            self._reach = max(0.0, max([heights[n] for n in low], default=0.0))
        self._items = [items[n] for n in low]
        self._tops = [tops[n] for n in low]

    def across(self, top: float, bottom: float) -> list[T]:
        """The objects whose extent may meet the strip from ``top`` to ``bottom``."""
        lo = bisect_left(self._tops, top - self._reach)
        hi = bisect_right(self._tops, bottom)
        found = self._items[lo:hi] + self._tall if hi > lo else list(self._tall)
        spend(len(found) + 1)
        return found


class Spans(Generic[T]):
    """``Buckets``' answers and counts for a few questions (a page's tables, each asking which cells
    hold its corner), read from each object's span of buckets: no bucket is filled."""

    def __init__(self, items: Iterable[T], box: Callable[[T], Rect]) -> None:
        self._wide: list[tuple[int, T]] = []
        self._spans: list[tuple[int, int, int, int, tuple[int, T]]] = []
        for pair in enumerate(items):
            i0, i1, j0, j1 = _span(*box(pair[1]))
            if (i1 - i0 + 1) * (j1 - j0 + 1) > WIDE:
                self._wide.append(pair)
            else:
                self._spans.append((i0, i1, j0, j1, pair))

    def near(self, x0: float, top: float, x1: float, bottom: float) -> list[T]:
        """As ``Buckets.near``: each bucket the rectangle meets read for the objects in it."""
        i0, i1, j0, j1 = _span(x0, top, x1, bottom)
        found: dict[int, T] = dict(self._wide)
        read = len(self._wide)
        for a, b, c, d, pair in self._spans:
            across = (b if b < i1 else i1) - (a if a > i0 else i0) + 1
            down = (d if d < j1 else j1) - (c if c > j0 else j0) + 1
            if across > 0 and down > 0:
                read += across * down
                found[pair[0]] = pair[1]
        spend(read + 1)
        return [found[n] for n in sorted(found)]
