"""The one timer the benchmarks share: the best of several runs."""

from __future__ import annotations

import time
from typing import Callable


def best(fn: Callable[[], object], repeat: int, warm_up: bool = True) -> float:
    """Seconds of the fastest of ``repeat`` calls (after one untimed call, when ``warm_up``)."""
    if warm_up:
        fn()  # imports, caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)
