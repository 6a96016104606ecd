"""The one timer the benchmarks share: the best of several runs.

Wall time (``time.perf_counter``) is what a user waits; CPU time
(``time.process_time``: this process's user and system time) does not count
the time another process held the core, so on a shared machine it is the
steadier of the two. ``best_both`` measures both in the same runs.
"""

from __future__ import annotations

import time
from typing import Callable

WALL = time.perf_counter
CPU = time.process_time


def best(fn: Callable[[], object], repeat: int, warm_up: bool = True, clock: Callable[[], float] = WALL) -> float:
    """Seconds of the fastest of ``repeat`` calls (after one untimed call, when ``warm_up``), by ``clock``."""
    if warm_up:
        fn()  # imports, caches
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times)


def best_both(fn: Callable[[], object], repeat: int, warm_up: bool = True) -> tuple[float, float]:
    """(wall, CPU) seconds of the fastest of ``repeat`` calls, each clock's best taken on its own."""
    if warm_up:
        fn()  # imports, caches
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, wall = CPU(), WALL()
        fn()
        walls.append(WALL() - wall)
        cpus.append(CPU() - cpu)
    return min(walls), min(cpus)

