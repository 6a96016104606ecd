"""The client's watch on its Dask cluster (``batch.cluster``): its worker threads now, whether it has had a worker
lately, and whether its scheduler is still there.

The in-flight window is ``WINDOW`` tasks a worker thread. An adaptive cluster (``adapt(minimum=0)``, as
dask-jobqueue's) has no worker when the client connects and starts them as tasks wait, so the threads are
asked again during the run: at most once every ``ASK`` seconds (the client's call, a round trip to the
scheduler, is one a second, not one a file), never counted under one. More threads never lift the memory
bound: ``FLIGHT`` bytes of input beyond one file a worker thread (``cluster._Flight.assign``).

A scheduler that goes away mid-run (killed, its machine gone) cancels every file in flight (Dask's
``LOST``): that is no converter's crash, but the batch stopped in one line (``SchedulerGone``), what is done
kept, the other files "not converted" and left for a rerun. One that stays connected but answers nothing (frozen,
its machine overloaded) is asked with a time limit (``CONNECT``): with files in flight and no answer for the no-worker
patience, the batch stops so too, in a line of its own (``SchedulerSilent``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from typing import Any, Iterator

from ..errors import InputError
from .workers import Stopped

NO_WORKERS = 60.0  # seconds a cluster may have no worker while files are in flight before the batch gives up
PATIENCE = "MSP_CONVERT_DASK_NO_WORKERS"  # those seconds, when set (a queue whose workers take minutes to start)
ASK = 1.0  # seconds between two asks of the scheduler's thread count
CONNECT = 5  # seconds to wait for the scheduler's answer to an ask
LOST = "scheduler-connection-lost"  # Dask's reason for the futures a client cancels when it loses its scheduler


NO_WORKER_LINES = {  # (a local cluster, none since the client connected): the line's end
    (False, True): "the scheduler has no workers; start one (dask worker {scheduler}) and run again",
    (False, False): "the cluster has had no workers for {seconds:g} s; start one (dask worker {scheduler}) and run again to resume",
    (True, False): "no worker could be started again for {seconds:g} s (check this machine's free memory); run again to resume",
    (True, True): "no worker could be started for {seconds:g} s (check this machine's free memory); run again to resume",
}


class ClusterError(InputError):
    """The scheduler cannot be reached or started, or has no worker: one line, naming it and what to do."""

    code = "cluster"


class NoWorkers(Stopped):
    """The cluster has had no worker for ``NO_WORKERS`` seconds while files were in flight: the batch stops,
    what is done kept, the files not done left for a rerun (``why`` their rows say so)."""

    why = "the cluster had no workers"


class SchedulerSilent(Stopped):
    """The scheduler, still connected, has answered no ask for the patience's seconds (frozen, or its machine too
    busy) while files were in flight: the batch stops, what is done kept, the rest left for a rerun."""

    why = "the scheduler did not answer"

    def __init__(self, scheduler: str, seconds: float) -> None:
        super().__init__(f"--scheduler {scheduler}: the scheduler does not answer (for {seconds:g} s: stopped or overloaded); check it and run again to resume")


class SchedulerGone(Stopped):
    """The client lost its scheduler mid-run: the batch stops, what is done kept, the rest left for a rerun."""

    why = "the cluster went away"

    def __init__(self, scheduler: str) -> None:
        super().__init__(f"--scheduler {scheduler}: the client lost its scheduler (stopped or restarted); check it runs and run again to resume")


def patience() -> float:
    """The seconds a cluster may have no worker while files are in flight: ``PATIENCE``'s, or ``NO_WORKERS``;
    ``ClusterError`` for a value that is not a number of seconds over 0."""
    value = os.environ.get(PATIENCE, "").strip()
    if not value:
        return NO_WORKERS
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise ClusterError(f"{PATIENCE}={value!r}: give the seconds a cluster may have no worker before the batch stops (a number over 0, such as 600)")
    return seconds


def no_workers(scheduler: str, connecting: bool) -> str:
    """The line for a cluster with no worker: none since the client connected (``connecting``), or none left (``NoWorkers``)."""
    line = NO_WORKER_LINES[(scheduler.startswith("local:"), connecting)]
    return f"--scheduler {scheduler}: " + line.format(scheduler=scheduler, seconds=patience())


def lost(error: BaseException) -> bool:
    """Whether a file's error is its future cancelled because the client lost its scheduler."""
    return getattr(error, "reason", None) == LOST


class Census:
    """The cluster's worker threads as last asked (``threads``, one at least), when it last had one (``seen``),
    when its scheduler last answered (``heard``), and whether it has had one since the client connected (``worked``)."""

    def __init__(self, client: Any, scheduler: str, patience: float) -> None:
        self.client, self.scheduler, self.patience = client, scheduler, patience
        self.threads = 1
        self.seen = self.heard = time.monotonic()
        self.asked = float("-inf")
        self.worked = False
        self.ask(self.seen)

    def ask(self, now: float) -> None:
        """The threads asked of the scheduler, unless asked within ``ASK`` seconds; ``SchedulerGone`` when the client
        has lost it (Dask has then cancelled what was in flight). One that does not answer within ``CONNECT`` seconds
        (frozen, or out of reach): no worker known, nor its answer (``heard``)."""
        self.alive()
        if now - self.asked < ASK:
            return
        self.asked = now
        try:
            total = int(self.client.sync(self.client.scheduler.identity, n_workers=0, callback_timeout=CONNECT).get("total_threads") or 0)
        except (OSError, TimeoutError):  # asyncio's TimeoutError among them
            return
        self.heard, self.threads = now, max(1, total)
        if total:
            self.seen, self.worked = now, True

    def alive(self) -> None:
        """``SchedulerGone`` when the client has lost its scheduler (reconnecting, or closed after trying)."""
        if self.client.status != "running":
            raise SchedulerGone(self.scheduler)

    def watch(self, answered: bool, flying: bool) -> None:
        """Each round, the threads asked again (``ask``): when files are in flight (``flying``) and the cluster has had
        no worker, nor answered, for ``patience`` seconds, ``SchedulerSilent`` when the scheduler has not answered an ask
        in that time, else ``NoWorkers``, or, when it has had none since the client connected, ``ClusterError`` (nothing
        done: a rerun starts clean)."""
        now = time.monotonic()
        self.ask(now)
        if answered or not flying:
            self.seen = now
        elif now - self.seen >= self.patience:
            if now - self.heard >= self.patience:
                raise SchedulerSilent(self.scheduler, self.patience)
            stop = NoWorkers if self.worked else ClusterError
            raise stop(no_workers(self.scheduler, connecting=not self.worked))


def _grave(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.CRITICAL


@contextlib.contextmanager
def hushed() -> Iterator[None]:
    """Dask's own log lines held back from its handlers (a client closed after losing its scheduler logs its
    reconnection cut short as an error, with a traceback, through ``distributed.client``, whose level is its
    own): the batch's one line says what happened. The critical still pass."""
    handlers = list(logging.getLogger("distributed").handlers)
    for handler in handlers:
        handler.addFilter(_grave)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(_grave)
