"""The batch's conversions on a Dask distributed cluster (``msp-convert batch --scheduler``).

The client (this process) reads each input and sends its bytes: the workers
need no disk in common with it. A worker reads the plan and sends back its
outputs' bytes; the client writes them, the journal, the report and the
tables exactly as the local pool does (``batch.workers.take_answer``), so
the outputs and report rows are the same. At most ``WINDOW`` tasks a worker
thread are in flight, and ``FLIGHT`` bytes of input, so a folder of large
scans is never held all at once. The client's calls are few a round, not
one a file: the files sent in one ``map``, the answers fetched together as
they finish; and while many files wait, small ones go ``BUNDLE`` to a task
(Dask's own cost is milliseconds a task), each with its own time limit.

A file over its time limit is cancelled and its worker restarted (a running
task cannot be stopped otherwise; the worker needs a nanny, as ``dask
worker`` has by default). The limit runs from the task's start on its worker,
and again from each page a scan's OCR reads: a task that has run ``QUIET``
seconds tells the client so (an event, ``BEAT``), and again after each page;
a quick one says nothing. A worker that dies is the scheduler's to retry,
and the client counts the deaths (the scheduler's events) of the files that
had started on it (each task says so as it starts, ``START``, before its
work): at the second the file is cancelled and reported failed, whatever the
scheduler's allowed-failures (``local:N`` sets 1 as well; Dask's default is
3). A file only queued on a worker that dies (or is restarted, or removed for
missing its heartbeats) uses no retry: when the scheduler, counting those too,
gives it up first, it is sent again as a new task, once; a file whose worker
was restarted under it for another file over its limit, each time (as many
times as files are stopped). Ctrl-C cancels what is in flight.

A cluster with no worker is never waited on for ever, nor waited for before
the files are sent (an adaptive cluster starts its workers only once tasks
wait): with files in flight and no worker for ``watch.NO_WORKERS`` seconds (or
``PATIENCE``'s), a scheduler that has had none since the client connected is
one line (``ClusterError``, nothing done), and a cluster whose workers are all
gone (or, with ``local:N``, none able to start again) stops the batch
(``NoWorkers``): the files done are kept, the others left for a rerun; so does
a scheduler that goes away mid-run (``watch.SchedulerGone``), or answers nothing (``watch.SchedulerSilent``). The window is sized
again during the run from the cluster's threads (``watch.Census``).

Each answer comes back through the scheduler, or with ``DIRECT`` set to 1,
from its worker (the scheduler's CPU spared; the client must reach the
workers).

An outside cluster keeps its worker-saturation (``local:N`` uses 1.0: a
worker holds only the task it runs, the others wait at the scheduler for the
first worker free).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import queue
import tempfile
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any, Iterable, Optional

from ..atomic import write_problem
from ..errors import InputError
from .report import BatchOptions
from .watch import CONNECT, PATIENCE, Census, ClusterError, NoWorkers, SchedulerGone, hushed, lost, no_workers, patience  # noqa: F401 (PATIENCE, NoWorkers, no_workers: this module's names too)
from .workers import CRASH, _WriteFailed, convert_many, _convert, internal, timed_out, unreadable, write_outputs

BEAT = "msp-convert-beat"  # the event a task that has run QUIET seconds logs, and again after each page of a scan
START = "msp-convert-start"  # the event each task logs as it starts, before its work: the scheduler has it before any death
QUIET = 0.5  # seconds a task runs before its worker tells the client it has started
RETRIES = 1  # a file whose worker died is tried this many times more, whatever the scheduler allows
# With this set to 1, each answer (a plan's bytes) is fetched from its worker, not through the scheduler
# (which otherwise relays every answer: its CPU bounds the plans a second); the client must then reach
# the workers' addresses, as it need not by default. 0 or unset: through the scheduler.
DIRECT = "MSP_CONVERT_DASK_DIRECT"
# Test hooks: a worker converting a file whose relative path contains this value dies (when
# MSP_CONVERT_TEST_CRASH_ONCE names a folder, a marker there for each death, and a file named
# *once* dies the first time only; one named *early*, before its task starts); one whose folder of
# page images this names waits SLOW_PAGE seconds after each page it reads.
CRASH_HOOK = "MSP_CONVERT_TEST_CRASH"
SLOW_HOOK = "MSP_CONVERT_TEST_SLOW_PAGES"
SLOW_PAGE = 8.0
EARLY_DEATHS = 6
# In flight at most: WINDOW tasks a worker thread (small files: the next is always waiting at the
# scheduler, and the client's calls are few a file), and FLIGHT bytes of input beyond one file a
# worker thread (large scans: never all held at once; the scheduler keeps each to retry it).
WINDOW = 16
FLIGHT = 256 * 2**20
# While many files wait, small ones (BUNDLE_BYTES at most) go BUNDLE to a task: the client's and
# the scheduler's cost a task (milliseconds) shared. Each has its own time limit; when a bundle's
# worker dies, or one of its files is stopped, the others go again each on its own.
BUNDLE = 8
BUNDLE_BYTES = 2**20
# Dask keeps the last messages of each stream for debugging (1,000 by default, each up to 1 MB): in the
# client, the tasks it sent, with their inputs' bytes; in local:N's scheduler (this process), the tasks it
# sent its workers. That many is this process's memory growing with the files: it keeps LOG.
LOG = 8
# What this process's Dask is set to while it runs a local cluster (``LocalSetting``): its streams' logs LOG
# long, a worker holding only the task it runs (saturation 1.0), a worker that is slow to come back after
# a restart or a death (a loaded machine: over Dask's 15 s) not closed for good by the cluster for 2
# minutes (it reads the setting at each removal; one that can never start again is started again and
# again till then, or till the batch, with no worker for watch.NO_WORKERS seconds, stops), the distributed
# logger at CRITICAL, and WORKER_LOG for its workers (processes that read it as they start, again as they restart),
# unless the user set WORKER_LOG: Dask's own lines then as they asked, here and on the workers.
LOST_WORKER = "distributed.deploy.lost-worker-timeout"
LOCAL_CONFIG = {"distributed.admin.low-level-log-length": LOG, "distributed.scheduler.worker-saturation": 1.0, LOST_WORKER: "2m"}
WORKER_LOG = "DASK_LOGGING__DISTRIBUTED"


# --- on a worker -------------------------------------------------------------------------


def convert_remote(task: dict[str, Any]) -> dict[str, Any]:
    """One task on a worker: its outputs come back as bytes (``send_back``); a bundle's, a file's after another's."""
    _crash_hook(task["rel"], early=True)
    clock = _clock()
    key = clock.start()
    try:
        if task["kind"] == "bundle":
            return {"results": [_convert_one(item, clock, key, k) for k, item in enumerate(task["items"])]}
        return _convert_one(task, clock, key, 0)
    finally:
        clock.stop(key)


def _convert_one(task: dict[str, Any], clock: "_Clock", key: str, item: int) -> dict[str, Any]:
    """A task's file (a bundle's ``item``), its time limit's clock started again."""
    clock.page(key, item)
    _crash_hook(task["rel"])
    if task["kind"] == "convert-many":
        return convert_many(task)
    if "pages" in task:
        return _convert_pages(task, lambda: clock.page(key, item))
    return _convert(task, beat=lambda done, pages: clock.page(key, item))


def _convert_pages(task: dict[str, Any], page: Any) -> dict[str, Any]:
    """A folder of one plan's page images, laid out again here in a folder of its own, and read."""
    slow = os.environ.get(SLOW_HOOK)

    def beat(done: int, pages: int) -> None:
        page()
        if slow and slow in task["rel"]:
            time.sleep(SLOW_PAGE)

    with tempfile.TemporaryDirectory(prefix="msp-convert-") as scratch:
        # the folder's own name is the plan's source.filename; a redacted run's copy names nobody
        folder = Path(scratch) / ("pages" if task.get("key") is not None else task["name"])
        folder.mkdir()
        for name, data in task["pages"]:
            (folder / name).write_bytes(data)
        return _convert({**task, "src": str(folder)}, beat=beat)


class _Clock:
    """On a worker: when each task it runs started, or last read a page (its time limit's clock).

    A task says nothing while it is quick: a thread tells the client (``BEAT``) of a task
    once it has run ``QUIET`` seconds, and again after each page it reads after that (and
    each file of a bundle), with the seconds its clock has run (``idle``), so the client needs
    no clock in common with it, and the bundle's file it is on (``item``).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: dict[str, list[Any]] = {}  # key -> [started, clock, clock last told, its worker, item]
        threading.Thread(target=self._tell, name="msp-convert-clock", daemon=True).start()

    def start(self) -> str:
        """The task's clock started, once the scheduler knows it runs here (``START``, a call it answers,
        so that a death after this comes after it): a worker that dies with a task it had not started costs
        that task no retry. When the call fails or goes unanswered for ``CONNECT`` * 6 seconds, the task runs
        all the same, its clock started (a file is never failed, nor sent round for ever, for it): a death
        then counts as one before its start, which the resend-once rule bounds."""
        from distributed import get_worker
        from distributed.utils import sync

        worker = get_worker()
        key = worker.get_current_task()
        with contextlib.suppress(OSError, asyncio.TimeoutError, TimeoutError):  # CommClosedError among them
            sync(worker.loop, worker.scheduler.log_event, topic=START, msg={"key": key, "worker": worker.address},
                 callback_timeout=CONNECT * 6)
        now = time.monotonic()
        with self.lock:
            self.running[key] = [now, now, 0.0, worker, 0]
        return key

    def page(self, key: str, item: int) -> None:
        with self.lock:
            self.running[key][1], self.running[key][4] = time.monotonic(), item

    def stop(self, key: str) -> None:
        with self.lock:
            self.running.pop(key, None)

    def _tell(self) -> None:
        while True:
            time.sleep(QUIET / 2)
            now = time.monotonic()
            with self.lock:
                due = [(key, list(times)) for key, times in self.running.items() if now - times[0] >= QUIET and times[1] != times[2]]
                for key, times in due:
                    self.running[key][2] = times[1]
            for key, (_, clock, _, worker, item) in due:
                worker.log_event(BEAT, {"key": key, "worker": worker.address, "idle": now - clock, "item": item})


_CLOCK: list[_Clock] = []  # this worker process's, made by its first task
_CLOCK_LOCK = threading.Lock()


def _clock() -> _Clock:
    with _CLOCK_LOCK:
        if not _CLOCK:
            _CLOCK.append(_Clock())
        return _CLOCK[0]


def _crash_hook(rel: str, early: bool = False) -> None:
    """The test hook (``CRASH_HOOK``); a file named *early* dies before its task's START (``early``), at most
    EARLY_DEATHS times when markers are kept (a file sent again without end converts at last)."""
    hook = os.environ.get(CRASH_HOOK)
    if not hook or hook not in rel or early != ("early" in rel):
        return
    once = os.environ.get(CRASH_HOOK + "_ONCE")  # a folder: a marker for each death
    if once:
        markers = Path(once)
        markers.mkdir(parents=True, exist_ok=True)
        died = len(list(markers.glob(rel.replace("/", "_") + ".*")))
        if died and "once" in rel or early and died >= EARLY_DEATHS:
            return
        (markers / f"{rel.replace('/', '_')}.{died + 1}").touch()
    os._exit(1)


# --- on the client -----------------------------------------------------------------------


def cluster_pool(scheduler: str, options: BatchOptions, tasks: deque[dict[str, Any]], direct: Optional[bool] = None) -> "_Flight":
    """The pool ``workers.run_tasks`` drives, on the cluster at ``scheduler``: its answers' outputs written here.
    ``direct``: each answer fetched from its worker (None: as ``DIRECT`` says)."""
    direct = fetch_direct() if direct is None else direct
    patience()  # a bad value: its line before any cluster is reached or started
    client, cluster = connect(scheduler)
    try:
        return _Flight(client, cluster, options, tasks, direct, scheduler)
    except BaseException:
        _close(client, cluster)
        raise


def fetch_direct() -> bool:
    """Whether answers are fetched from the workers (``DIRECT``); ``ClusterError`` for a value that is neither 0 nor 1."""
    value = os.environ.get(DIRECT, "").strip()
    if value not in ("", "0", "1"):
        raise ClusterError(f"{DIRECT}={value!r}: give 1 (fetch each answer from its worker) or 0 (through the scheduler)")
    return value == "1"


def _close(client: Any, cluster: Any) -> None:
    try:
        client.close()
    finally:
        if cluster is not None:
            _close_cluster(cluster)


def _close_cluster(cluster: Any) -> None:
    """The local cluster closed, and its hold on ``LocalSetting`` (``connect``) let go."""
    try:
        cluster.close()
    finally:
        setting = getattr(cluster, "msp_convert_setting", None)
        if setting is not None:
            setting.__exit__(None, None, None)


_SETTING: dict[str, Any] = {"users": 0, "undo": None}  # how many hold LocalSetting; what undoes it
_SETTING_LOCK = threading.Lock()


class LocalSetting:
    """``LOCAL_CONFIG``, the distributed logger at CRITICAL (a restarted worker is the batch's to report, not the
    log's) and ``WORKER_LOG`` (both unless the user set that variable) while any holds it: a local cluster for its life, a client as it
    starts. Reference-counted: when the last of overlapping holders (runs in threads, or one after another
    that failed mid-way) lets go, each is exactly as it was before the first. Let go once, however often
    ``__exit__`` is called."""

    def __init__(self) -> None:
        self.held = False

    def __enter__(self) -> "LocalSetting":
        with _SETTING_LOCK:
            if not _SETTING["users"]:
                _SETTING["undo"] = _set_local()
            _SETTING["users"] += 1
            self.held = True
        return self

    def __exit__(self, *exc: Any) -> None:
        with _SETTING_LOCK:
            if not self.held:
                return
            self.held = False
            _SETTING["users"] -= 1
            if not _SETTING["users"]:
                _undo_local(_SETTING["undo"])


def _set_local() -> tuple[Any, int, Optional[str]]:
    """``LocalSetting`` made: what undoes it (Dask's setting, the logger's level, the workers' variable before).
    Dask's own lines (a worker that cannot start again: errors, with tracebacks) kept off the user's terminal, the
    batch's one line says it, unless the user set ``WORKER_LOG`` (Dask's variable, read here as Dask started): then as asked."""
    import dask

    logger = logging.getLogger("distributed")
    undo = (dask.config.set(LOCAL_CONFIG), logger.level, os.environ.get(WORKER_LOG))
    if undo[2] is None:
        logger.setLevel(logging.CRITICAL)
        os.environ[WORKER_LOG] = "critical"
    return undo


def _undo_local(undo: tuple[Any, int, Optional[str]]) -> None:
    config, level, variable = undo
    try:
        config.__exit__(None, None, None)
    finally:
        logging.getLogger("distributed").setLevel(level)
        if variable is None:
            os.environ.pop(WORKER_LOG, None)
        else:
            os.environ[WORKER_LOG] = variable


def connect(scheduler: str) -> tuple[Any, Any]:
    """A client of the scheduler at ``scheduler``, or of a new local cluster (``local:N``): (client, cluster or None)."""
    from distributed import Client

    workers = local_workers(scheduler)
    if workers:
        return _connect_local(workers)
    client = Client.__new__(Client)  # made, then started: one that fails to start is closed here, not left to the collector
    try:
        with LocalSetting():  # the client's stream's log LOG long
            client.__init__(scheduler, timeout=CONNECT)
    except (OSError, TimeoutError, ValueError) as err:
        problem = f"no Dask scheduler answered there ({type(err).__name__})"
    except MemoryError:  # another server's answer (a web page's, as at the dashboard's port) read as Dask's message lengths
        problem = "something other than a Dask scheduler answered there"
    else:
        return client, None
    client.close(timeout=CONNECT)
    raise ClusterError(f"--scheduler {scheduler}: {problem}; start one or check the address (tcp://HOST:8786)")


def _connect_local(workers: int) -> tuple[Any, Any]:
    """A client of a new local cluster of ``workers`` processes, holding ``LocalSetting`` for its whole life (the
    scheduler sets a worker's stream's log length as it registers, and a restarted worker registers again):
    let go at close."""
    from distributed import Client

    setting = LocalSetting().__enter__()
    try:
        cluster = local_cluster(workers)
    except BaseException:
        setting.__exit__(None, None, None)
        raise
    cluster.msp_convert_setting = setting
    try:
        return Client(cluster), cluster
    except BaseException:
        _close_cluster(cluster)
        raise


def local_workers(scheduler: str) -> int:
    """N for ``local:N``, 0 for a scheduler's address; ``ClusterError`` for what is neither."""
    if scheduler.startswith("local:"):
        n = scheduler[len("local:"):]
        if not n.isdigit() or not 1 <= int(n) <= 256:
            raise ClusterError(f"--scheduler {scheduler}: give local:N with N worker processes, 1 to 256")
        return int(n)
    if not scheduler.strip() or any(c.isspace() for c in scheduler):
        raise ClusterError(f"--scheduler {scheduler!r}: give a Dask scheduler's address (tcp://HOST:8786) or local:N")
    return 0


def local_cluster(workers: int) -> Any:
    """A Dask cluster of ``workers`` processes of one thread on 127.0.0.1, with no dashboard.

    A file whose worker died is tried once more (``allowed_failures``); a worker holds
    only the task it runs (saturation 1.0: the others wait at the scheduler for the
    first worker free). Each stream keeps its last ``LOG`` messages, not 1,000 (``LocalSetting``, held as it starts).
    """
    from distributed import LocalCluster

    with LocalSetting():
        return LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None, memory_limit=0,
            scheduler_kwargs={"allowed_failures": 1, "dashboard_address": "127.0.0.1:0"},  # the scheduler's HTTP routes on a free loopback port
        )


def _written(result: dict[str, Any]) -> dict[str, Any]:
    """A worker's outputs written here, as the local pool's worker writes them; the answer without them."""
    outputs, stale = result.pop("outputs", None), result.pop("stale", [])
    if outputs is None:
        return result
    try:
        write_outputs([(Path(path), data) for path, data in outputs], [Path(path) for path in stale])
    except _WriteFailed as failed:
        return {**result, "status": "write-failed", "error": write_problem(failed.err, Path(outputs[0][0]).parent)}
    return result


class _Flight:
    """The files on the cluster (within ``WINDOW`` and ``FLIGHT``), when each started, and the answers in.

    The client's calls are few a round, not one a file: the files sent in one ``map``; each
    answer fetched in the client's event loop as its file finishes (the fetches of files that
    finish together go as one), into ``fetched``, which this thread waits on. So an answer lost
    with its worker (computed again) never holds this thread, which counts the deaths.
    """

    def __init__(self, client: Any, cluster: Any, options: BatchOptions, tasks: deque[dict[str, Any]], direct: bool = False, scheduler: str = "") -> None:
        self.client, self.cluster, self.options, self.tasks, self.direct = client, cluster, options, tasks, direct
        self.scheduler = scheduler
        self.patience = patience()  # seconds with files in flight and no worker before the batch gives up
        self.census = Census(client, scheduler, self.patience)  # its threads (none yet, on an adaptive cluster: it starts its workers once tasks wait)
        self.futures: dict[str, tuple[Any, dict[str, Any]]] = {}  # key -> (future, task)
        self.sizes: dict[str, int] = {}  # key -> bytes of its input
        self.started: dict[str, tuple[float, str, int]] = {}  # key -> (when its clock started, its worker, a bundle's file), from BEAT
        self.ran: dict[str, str] = {}  # key -> the worker it last started on (START)
        self.deaths: dict[str, int] = {}  # key -> workers that died running it
        self.restarted: set[str] = set()  # workers overdue() restarted: their removal is no death of the others there
        self.spared: dict[str, int] = {}  # key -> restarts of its worker for another file: given up for them, it goes again free
        self.fetched: queue.SimpleQueue[tuple[str, Any, Optional[BaseException]]] = queue.SimpleQueue()  # (key, answer, error)
        self.early: list[tuple[str, dict[str, Any]]] = []  # files that could not be read here
        client.subscribe_topic(BEAT, self._beat)
        client.subscribe_topic(START, self._start)
        client.subscribe_topic("all", self._died)  # the scheduler's own events: a worker removed, and others

    def _beat(self, event: tuple[float, dict[str, Any]]) -> None:
        message = event[1]
        self.started[message["key"]] = (time.monotonic() - message["idle"], message["worker"], message["item"])

    def _start(self, event: tuple[float, dict[str, Any]]) -> None:
        self.ran[event[1]["key"]] = event[1]["worker"]

    def _died(self, event: tuple[float, dict[str, Any]]) -> None:
        """A worker died: each file it held waits again (its clock stopped); one it had started, one death nearer
        failing (one only queued there is no nearer: the scheduler sends it elsewhere, or ``_failed`` again)."""
        message = event[1]
        if not isinstance(message, dict) or message.get("action") != "remove-worker" or message.get("expected"):
            return
        restarted = message.get("worker") in self.restarted  # for another file over its limit: these go again free
        self.restarted.discard(message.get("worker"))
        for key in message.get("processing-tasks", ()):
            entry = self.futures.get(key)  # this thread is the client's event loop: the other may take it meanwhile
            self.started.pop(key, None)
            ran = self.ran.pop(key, None) == message.get("worker")
            if entry is not None and restarted:
                self.spared[key] = self.spared.get(key, 0) + 1
            elif entry is not None and ran:
                self.deaths[key] = self.deaths.get(key, 0) + 1
                if self.deaths[key] > (0 if entry[1]["kind"] == "bundle" else RETRIES):
                    self.fetched.put(("", None, None))  # wakes the other: cancel it before another worker takes it

    @property
    def busy(self) -> bool:
        return bool(self.futures)

    @property
    def window(self) -> int:
        """The tasks in flight at most: ``WINDOW`` a worker thread the cluster has now."""
        return WINDOW * self.census.threads

    def assign(self) -> None:
        """As many files sent as the window takes, in one call."""
        sent: list[tuple[dict[str, Any], dict[str, Any], int]] = []  # (payload, task, its bytes)
        files = len(self.futures)
        held, threads = sum(self.sizes.get(key, 0) for key in self.futures), self.census.threads
        while self.tasks and files < self.window and (held < FLIGHT or files < threads):
            task, payload = self._bundle() if _small(self.tasks[0]) else self._single(self.tasks.popleft())
            if payload is not None:
                sent.append((payload, task, _size(payload)))
                files, held = files + 1, held + sent[-1][2]
        if sent:
            futures = self.client.map(convert_remote, [payload for payload, _, _ in sent], pure=False)
            for future, (_, task, size) in zip(futures, sent):
                self.futures[future.key], self.sizes[future.key] = (future, task), size
                if task.get("deaths"):  # sent again after deaths on another key
                    self.deaths[future.key] = task["deaths"]
                self.client.loop.add_callback(self._fetch, future)

    async def _fetch(self, future: Any) -> None:
        """In the client's event loop: the file's answer once it is done, or why there is none."""
        try:
            self.fetched.put((future.key, await self.client.gather(future, asynchronous=True, direct=self.direct), None))
        except (Exception, asyncio.CancelledError) as err:  # the task's error, its worker's deaths, or cancelled
            self.fetched.put((future.key, None, err))

    def _single(self, task: dict[str, Any]) -> tuple[dict[str, Any], Optional[dict[str, Any]]]:
        return task, self._payload(task)

    def _bundle(self) -> tuple[dict[str, Any], Optional[dict[str, Any]]]:
        """The small files at the queue's head, up to BUNDLE, while many wait (two tasks a worker thread at least)."""
        size = max(1, min(BUNDLE, len(self.tasks) // (2 * self.census.threads)))
        tasks: list[dict[str, Any]] = []
        while self.tasks and len(tasks) < size and _small(self.tasks[0]):
            tasks.append(self.tasks.popleft())
        items = [(task, payload) for task, payload in zip(tasks, map(self._payload, tasks)) if payload is not None]
        if len(items) < 2:
            return items[0] if items else (tasks[0], None)
        bundle = {"kind": "bundle", "rel": items[0][0]["rel"]}
        return {**bundle, "items": [task for task, _ in items]}, {**bundle, "items": [payload for _, payload in items]}

    def _payload(self, task: dict[str, Any]) -> Optional[dict[str, Any]]:
        """The task with its input's bytes, read here; None when they cannot be (its answer is in ``early``)."""
        if task["kind"] == "convert-many":
            items = [each for each in map(self._payload, task["items"]) if each is not None]
            return {**task, "items": items} if items else None
        try:
            sent = {**task, **read_input(task), "send_back": True}
        except InputError as err:
            self.early.append((task["rel"], {"status": "failed", "error": err.message, "code": err.code, "seconds": 0.0}))
            return None
        except OSError as err:
            self.early.append((task["rel"], {**unreadable(err), "seconds": 0.0}))
            return None
        return sent  # the bytes in the task itself, not scattered: the scheduler keeps them to retry it if its worker dies

    def answers(self) -> list[tuple[str, dict[str, Any]]]:
        """(file, answer) for each file done within a quarter second, its outputs written here."""
        done, self.early = self.early, []
        fetched = self._fetched(wait=bool(self.futures) and not done)
        self.census.worked = self.census.worked or bool(fetched)  # an answer, or a worker's death, is a worker's
        for key, answer, error in fetched:
            if key in self.futures:  # not cancelled here since
                task = self.futures.pop(key)[1]
                done += self._answer(answer, task) if error is None else self._failed(error, task, key)
        done += self._crashed()
        self.census.watch(bool(done), bool(self.futures))
        for gone in (self.started, self.ran, self.deaths, self.spared, self.sizes):  # done, or another client's on a shared cluster
            for key in [key for key in list(gone) if key not in self.futures]:
                gone.pop(key, None)
        return [(rel, _written(result)) for rel, result in done]

    def _fetched(self, wait: bool) -> list[tuple[str, Any, Optional[BaseException]]]:
        """The answers fetched since the last round; waiting a quarter second for one when ``wait``."""
        found: list[tuple[str, Any, Optional[BaseException]]] = []
        try:
            if wait:
                found.append(self.fetched.get(timeout=0.25))
            while True:
                found.append(self.fetched.get_nowait())
        except queue.Empty:
            return found

    def _answer(self, result: dict[str, Any], task: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        if task["kind"] not in ("convert-many", "bundle"):
            return [(task["rel"], result)]
        self.tasks.extend(item for item, each in zip(task["items"], result["results"]) if each["status"] == "retry")
        return [(item["rel"], each) for item, each in zip(task["items"], result["results"]) if each["status"] != "retry"]

    def _failed(self, error: BaseException, task: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        """A file with no answer: its workers died (a legacy chunk's or a bundle's files go back, each on its own;
        a file the scheduler gave up on sooner than the client's count, with its deaths, as a new task), or a bug of ours.

        A file sent again for removals the client does not count (its worker's, while it only waited there, or before
        its START) is sent so once: one that kills its worker before it starts would go again without end. One whose
        worker was restarted under it for another file over its limit (``spared``) goes again free: as many times as
        files are stopped."""
        from distributed import KilledWorker

        if lost(error):  # the scheduler gone: every file in flight cancelled
            raise SchedulerGone(self.scheduler)
        died = isinstance(error, (KilledWorker, asyncio.CancelledError, concurrent.futures.CancelledError))  # cancelled: not by us
        if task["kind"] in ("convert-many", "bundle"):
            self.tasks.extend(_alone(task["items"]))
            return []
        deaths, spared = self.deaths.get(key, 0), key in self.spared
        if isinstance(error, KilledWorker) and deaths <= RETRIES and (spared or not task.get("resent")):
            self.tasks.appendleft({**task, "alone": True, "deaths": deaths, "resent": task.get("resent") or not spared})
            return []
        return [(task["rel"], dict(CRASH) if died else internal(error))]

    def _crashed(self) -> list[tuple[str, dict[str, Any]]]:
        """Files whose workers died running them 1 + RETRIES times, whatever the scheduler's
        allowed-failures: cancelled and failed (a legacy chunk's files go back, each on its own;
        a bundle's at its first death)."""
        done: list[tuple[str, dict[str, Any]]] = []
        for key, deaths in list(self.deaths.items()):
            if key in self.futures and deaths > (0 if self.futures[key][1]["kind"] == "bundle" else RETRIES):
                future, task = self.futures.pop(key)
                future.cancel()
                if task["kind"] in ("convert-many", "bundle"):
                    self.tasks.extend(_alone(task["items"]))
                else:
                    done.append((task["rel"], dict(CRASH)))
        return done

    def overdue(self) -> list[tuple[str, dict[str, Any]]]:
        """Files past their limit: cancelled, their workers restarted (a legacy chunk's files go back,
        each on its own; a bundle's too, but the one past its limit)."""
        done: list[tuple[str, dict[str, Any]]] = []
        now, restarting = time.monotonic(), set()  # a worker restarted once a pass, however many files overran there
        for key, (future, task) in list(self.futures.items()):
            began, worker, item = self.started.get(key, (now, "", 0))
            if now - began <= task.get("limit", self.options.timeout):
                continue
            del self.futures[key]
            self.started.pop(key, None)
            future.cancel()
            if worker not in restarting:  # a second add after its removal event would stay, stale
                self.census.alive()  # no restart asked of a scheduler gone since this round's answers
                restarting.add(worker)
                self.restarted.add(worker)
                self._restart(worker)
            if task["kind"] == "bundle":
                self.tasks.extend(_alone(each for k, each in enumerate(task["items"]) if k != item))
                task = task["items"][item]
            elif task["kind"] == "convert-many":
                self.tasks.extend(_alone(task["items"]))
                continue
            done.append((task["rel"], timed_out(now - began, self.options.timeout)))
        return done

    def _restart(self, worker: str) -> None:
        """``worker`` restarted by its nanny: its kill waited for (``patience`` seconds at most), not its return (an
        adaptive cluster retires a restarted idle worker: waiting for the cluster's size again held the batch, files
        unsent, till it stopped for no worker); a worker that cannot come back, or a scheduler that does not answer,
        is the census's to count."""
        with contextlib.suppress(asyncio.TimeoutError, TimeoutError):
            self.client.sync(self.client.scheduler.restart_workers, workers=[worker], timeout=self.patience, wait_for_workers=False,
                             on_error="return", stimulus_id=f"msp-convert-restart-{time.time()}", callback_timeout=self.patience + CONNECT)

    def close(self) -> None:
        """What is in flight cancelled; the client closed, and the local cluster if it is ours (Dask's lines about
        a scheduler lost, its futures already cancelled, held back: ``watch.hushed``)."""
        if self.client.status != "running":
            with hushed():
                _close(self.client, self.cluster)
            return
        try:
            if self.futures:
                self.client.cancel([future for future, _ in self.futures.values()])
            self.futures.clear()
            for topic in (BEAT, START, "all"):  # no event to a client closing (the scheduler would log that it could not send it)
                self.client.unsubscribe_topic(topic)
        finally:
            _close(self.client, self.cluster)


def _small(task: dict[str, Any]) -> bool:
    """Whether a task may go in a bundle: a file to convert of BUNDLE_BYTES at most, not one sent back to go alone."""
    if task["kind"] != "convert" or task.get("alone"):
        return False
    try:
        return os.stat(task["src"]).st_size <= BUNDLE_BYTES and os.path.isfile(task["src"])
    except OSError:
        return False


def _alone(tasks: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**task, "alone": True} for task in tasks]


def _size(payload: dict[str, Any]) -> int:
    """The bytes of a task's input: a file's, a folder's page images', a legacy chunk's files'."""
    if "items" in payload:
        return sum(map(_size, payload["items"]))
    return len(payload.get("data", b"")) + sum(len(data) for _, data in payload.get("pages", ()))


def read_input(task: dict[str, Any]) -> dict[str, Any]:
    """What a worker needs of a task's input, read here: its bytes and name; a folder of page
    images as its files; for a skipped file's tables, the earlier run's outputs."""
    from ..reader import _file_bytes
    from .outputs import numbered

    if task["kind"] == "tables" and task["to"] == "json":
        return {"earlier": [path.read_text(encoding="utf-8") for path in numbered(Path(task["out"]), task.get("plans", 1))]}
    src = Path(task["src"])
    if src.is_dir():
        files = sorted(p for p in src.iterdir() if not p.name.startswith(".") and p.is_file())
        return {"name": src.resolve().name, "pages": [(p.name, p.read_bytes()) for p in files]}
    return {"name": src.name, "data": _file_bytes(src)}
