"""The batch's conversions on a Dask distributed cluster (``msp-convert batch --scheduler``).

The client (this process) reads each input and sends its bytes: the workers
need no disk in common with it. A worker reads the plan and sends back its
outputs' bytes; the client writes them, the journal, the report and the
tables exactly as the local pool does (``batch.workers.take_answer``), so
the outputs and report rows are the same. At most ``window`` files are in
flight, so a folder of large scans is never held all at once.

A file over its time limit is cancelled and its worker restarted (a running
task cannot be stopped otherwise; the worker needs a nanny, as ``dask
worker`` has by default). The limit runs from the task's start on its worker
(an event it logs), and again from each page a scan's OCR reads. A worker
that dies is the scheduler's to retry (``distributed.scheduler.allowed-failures``:
once on ``local:N``); after that the file is reported failed. Ctrl-C cancels
what is in flight.

An outside cluster keeps its own settings: its scheduler's allowed-failures
(3 unless set), and its worker-saturation (``local:N`` uses 1.0: a worker holds
only the task it runs; above 1.0 a task waiting on a worker that dies counts
that death against its own retries).
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any, Optional

from ..atomic import write_problem
from ..errors import InputError
from .report import BatchOptions
from .workers import CRASH, _WriteFailed, convert_many, _convert, internal, timed_out, unreadable, write_outputs

BEAT = "msp-convert-beat"  # the event a task logs as it starts, and after each page of a scan
# Test hook: a worker converting a file whose relative path contains this value dies (a file
# named *once* only the first time, when MSP_CONVERT_TEST_CRASH_ONCE names a folder for markers).
CRASH_HOOK = "MSP_CONVERT_TEST_CRASH"
WINDOW = 2  # files in flight a worker thread: one running, one waiting at the scheduler


class ClusterError(InputError):
    """The scheduler cannot be reached or started: one line, naming it and what to do."""

    code = "cluster"


# --- on a worker -------------------------------------------------------------------------


def convert_remote(task: dict[str, Any]) -> dict[str, Any]:
    """One task on a worker: its outputs come back as bytes (``send_back``)."""
    beat = _beat_sender()
    beat()
    _crash_hook(task["rel"])
    with tempfile.TemporaryDirectory(prefix="msp-convert-") as scratch:
        if "pages" in task:  # a folder of one plan's page images, laid out again here
            folder = Path(scratch) / task["name"]
            folder.mkdir()
            for name, data in task["pages"]:
                (folder / name).write_bytes(data)
            task = {**task, "src": str(folder)}
        if task["kind"] == "convert-many":
            return convert_many(task)
        return _convert(task, beat=lambda done, pages: beat())


def _beat_sender() -> Any:
    from distributed import get_worker

    worker = get_worker()
    key, address = worker.get_current_task(), worker.address
    return lambda: worker.log_event(BEAT, {"key": key, "worker": address})


def _crash_hook(rel: str) -> None:
    hook = os.environ.get(CRASH_HOOK)
    if not hook or hook not in rel:
        return
    once = os.environ.get(CRASH_HOOK + "_ONCE")  # a folder: a file named *once* dies the first time only
    if once and "once" in rel:
        marker = Path(once) / rel.replace("/", "_")
        if marker.exists():
            return
        Path(once).mkdir(parents=True, exist_ok=True)
        marker.touch()
    os._exit(1)


# --- on the client -----------------------------------------------------------------------


def cluster_pool(scheduler: str, options: BatchOptions, tasks: deque[dict[str, Any]]) -> "_Flight":
    """The pool ``workers.run_tasks`` drives, on the cluster at ``scheduler``: its answers' outputs written here."""
    client, cluster = connect(scheduler)
    try:
        return _Flight(client, cluster, options, tasks)
    except BaseException:
        _close(client, cluster)
        raise


def _close(client: Any, cluster: Any) -> None:
    client.close()
    if cluster is not None:
        cluster.close()


def connect(scheduler: str) -> tuple[Any, Any]:
    """A client of the scheduler at ``scheduler``, or of a new local cluster (``local:N``): (client, cluster or None)."""
    from distributed import Client

    workers = local_workers(scheduler)
    if workers:
        logging.getLogger("distributed").setLevel(logging.ERROR)  # a restarted worker is the batch's to report, not the log's
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")  # nor its workers' (processes that read it as they start)
        cluster = local_cluster(workers)
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout=20), None
    except (OSError, TimeoutError, ValueError) as err:
        raise ClusterError(f"--scheduler {scheduler}: no Dask scheduler answered there ({type(err).__name__}); start one or check the address") from None


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
    only the task it runs (saturation 1.0: the others wait at the scheduler), so a
    worker that dies takes no other file's retry with it.
    """
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
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
    """The files on the cluster (at most ``window``), when each started, and the answers in."""

    def __init__(self, client: Any, cluster: Any, options: BatchOptions, tasks: deque[dict[str, Any]]) -> None:
        self.client, self.cluster, self.options, self.tasks = client, cluster, options, tasks
        self.window = max(4, WINDOW * sum(client.nthreads().values()))
        self.futures: dict[str, tuple[Any, dict[str, Any]]] = {}  # key -> (future, task)
        self.started: dict[str, tuple[float, str]] = {}  # key -> (when it started or last beat, its worker), from BEAT
        self.early: list[tuple[str, dict[str, Any]]] = []  # files that could not be read here
        client.subscribe_topic(BEAT, self._beat)

    def _beat(self, event: tuple[float, dict[str, Any]]) -> None:
        message = event[1]
        self.started[message["key"]] = (time.monotonic(), message["worker"])

    @property
    def busy(self) -> bool:
        return bool(self.futures)

    def assign(self) -> None:
        while self.tasks and len(self.futures) < self.window:
            task = self.tasks.popleft()
            sent = self._payload(task)
            if sent is not None:
                future = self.client.submit(convert_remote, sent, pure=False)
                self.futures[future.key] = (future, task)

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
        from distributed import wait
        from distributed.client import FuturesCancelledError

        done, self.early = self.early, []
        if self.futures and not done:
            try:
                wait([future for future, _ in self.futures.values()], timeout=0.25, return_when="FIRST_COMPLETED")
            except (TimeoutError, FuturesCancelledError):  # none done yet; or one cancelled, told below
                pass
        for key, (future, task) in list(self.futures.items()):
            if future.done():
                del self.futures[key]
                done += self._result(future, task)
        for key in [key for key in self.started if key not in self.futures]:  # done, or another client's on a shared cluster
            self.started.pop(key, None)
        return [(rel, _written(result)) for rel, result in done]

    def _result(self, future: Any, task: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        from distributed import KilledWorker

        if future.status == "finished":
            result = future.result()
            if task["kind"] != "convert-many":
                return [(task["rel"], result)]
            self.tasks.extend(item for item, each in zip(task["items"], result["results"]) if each["status"] == "retry")
            return [(item["rel"], each) for item, each in zip(task["items"], result["results"]) if each["status"] != "retry"]
        error = future.exception() if future.status == "error" else None
        if task["kind"] == "convert-many" and isinstance(error, KilledWorker):
            self.tasks.extend(task["items"])  # each on its own
            return []
        if error is None or isinstance(error, KilledWorker):
            return [(task["rel"], dict(CRASH))]
        return [(task["rel"], internal(error))]

    def overdue(self) -> list[tuple[str, dict[str, Any]]]:
        """Files past their limit: cancelled, their workers restarted (a legacy chunk's files go back, each on its own)."""
        done: list[tuple[str, dict[str, Any]]] = []
        now = time.monotonic()
        for key, (future, task) in list(self.futures.items()):
            began, worker = self.started.get(key, (now, ""))
            if now - began <= task.get("limit", self.options.timeout):
                continue
            del self.futures[key], self.started[key]
            future.cancel()
            self.client.restart_workers([worker], raise_for_error=False)
            if task["kind"] == "convert-many":
                self.tasks.extend(task["items"])
                continue
            done.append((task["rel"], timed_out(now - began, self.options.timeout)))
        return done

    def close(self) -> None:
        """What is in flight cancelled; the client closed, and the local cluster if it is ours."""
        try:
            if self.futures:
                self.client.cancel([future for future, _ in self.futures.values()])
            self.futures.clear()
        finally:
            _close(self.client, self.cluster)


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
