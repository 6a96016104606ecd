"""Batch on a Dask cluster (``--scheduler``): the same outputs, journal, tables and report rows as
the local pool on the same folder; a re-run resumes; a hung file is stopped at --timeout while a slow
scan that reads its pages lives on; a worker that dies is retried once (the client's count, not the
scheduler's), then its file is reported failed; a scheduler that does not answer is one line.
The clusters are local processes on 127.0.0.1, with no dashboard."""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator

import dask
import distributed  # in the test extras (requirements.lock): these tests never skip
import pytest

import msp_convert.batch.cluster as cluster_module
import msp_convert.batch.watch as watch_module
from msp_convert.batch import HANG_HOOK, JOURNAL, STATE, BatchOptions, run_batch
from msp_convert.batch.cluster import CRASH_HOOK, DIRECT, LOCAL_CONFIG, LOG, LOST_WORKER, PATIENCE, SLOW_HOOK, SLOW_PAGE, START, WORKER_LOG, ClusterError, _close, connect, local_cluster

from test_batch import PLANS, make_folder

REPO = Path(__file__).resolve().parents[1]
LEGACY = REPO / "fixtures" / "legacy"
SCANS = REPO / "fixtures" / "scans" / "11-ks1-dcd"


@pytest.fixture(scope="module", autouse=True)
def workers_slow_to_return_kept() -> Iterator[None]:
    """This module's clusters, as local:N's for its life (LOST_WORKER): a worker slow to come back after a
    restart or a death on a loaded machine is waited for, not closed for good (the batch then waited for ever)."""
    with dask.config.set({LOST_WORKER: LOCAL_CONFIG[LOST_WORKER]}):
        yield


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A cluster of two worker processes, started as an outside one would be: the batch gets only its address.
    Its workers' test hooks (set by their nannies, so a restarted worker has them too): hangs.docx stalls, a
    folder of page images named slow-scan waits after each page, a worker converting bundled-dies.docx dies."""
    hooks = {HANG_HOOK: "hangs", SLOW_HOOK: "slow-scan", CRASH_HOOK: "bundled-dies"}
    with dask.config.set({"distributed.nanny.environ": hooks}):
        cluster = local_cluster(2)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def rows_of(out: Path) -> dict[str, dict[str, str]]:
    """report.csv's rows by path, without the seconds a conversion took."""
    with open(out / "report.csv", newline="", encoding="utf-8") as handle:
        return {row["path"]: {k: v for k, v in row.items() if k != "seconds"} for row in csv.DictReader(handle)}


def files_of(out: Path) -> dict[str, Any]:
    """Every file the batch wrote but its report: bytes, and the journal's and tables' lines in any order."""
    found: dict[str, Any] = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and rel not in ("report.csv", "report.json"):
            found[rel] = sorted(path.read_bytes().splitlines()) if rel.endswith((".csv", ".jsonl")) else path.read_bytes()
    return found


def folder(tmp_path: Path) -> Path:
    """test_batch's folder of plans and junk, but the file that hangs (``test_a_file_over_its_time_is_stopped``)."""
    src = make_folder(tmp_path)
    (src / "hangs.docx").unlink()
    shutil.copy(LEGACY / "03-ks2-dyslexia.rtf", src / "year 3" / "03.rtf")  # through LibreOffice, on a worker
    pages = src / "scans" / "harvey"  # one plan's scanned pages: sent as its files, laid out again on the worker
    pages.mkdir(parents=True)
    for n in (1, 2):
        shutil.copy(SCANS / f"page-{n}.jpg", pages / f"scan{n:04d}.jpg")
    (pages / "Thumbs.db").write_bytes(b"\0" * 10)  # not a page: the plan says so
    return src


def test_the_cluster_writes_what_the_local_pool_writes(tmp_path: Path, scheduler: str) -> None:
    src = folder(tmp_path)
    local, remote = tmp_path / "local", tmp_path / "remote"
    run_batch(BatchOptions(src, local, jobs=2, timeout=60, tables=True))
    result = run_batch(BatchOptions(src, remote, jobs=2, timeout=60, tables=True), scheduler=scheduler)
    rows = rows_of(remote)
    assert rows == rows_of(local)
    assert {path: row["status"] for path, row in rows.items() if row["status"] != "ignored"} == {
        "01.docx": "converted", "archive/01 copy.docx": "duplicate", "broken.docx": "failed", "corrupt.docx": "failed",
        "empty.docx": "failed", "locked.pdf": "failed", "notes.docx": "failed",
        "year 3/03.rtf": "converted", "year 3/04.docx": "converted", "year 3/autumn/06.pdf": "converted", "scans/harvey": "converted",
    }
    assert result.count("converted") == 5 and not result.interrupted and not result.stopped
    written = files_of(remote)
    assert written == files_of(local)
    assert {"year 3/autumn/06.origins.json", "year 3/03.json", "scans/harvey.json", "scans/harvey.origins.json", "plans.csv"} <= set(written)
    assert b"not page images" in written["scans/harvey.json"]
    summary = json.loads((remote / "report.json").read_text(encoding="utf-8"))["summary"]
    assert summary == json.loads((local / "report.json").read_text(encoding="utf-8"))["summary"]

    # Run again: nothing converted twice, the tables made again from the outputs (sent to the workers),
    # what may have changed since (a password, a worker's crash) tried again, as the pool does.
    again = run_batch(BatchOptions(src, remote, jobs=2, timeout=60, tables=True), scheduler=scheduler)
    assert again.count("converted") == 0 and again.count("skipped") == 5
    run_batch(BatchOptions(src, local, jobs=2, timeout=60, tables=True))
    assert rows_of(remote) == rows_of(local)
    assert files_of(remote) == files_of(local)
    assert {k: v for k, v in files_of(remote).items() if k != f"{STATE}/{JOURNAL}"} == {k: v for k, v in written.items() if k != f"{STATE}/{JOURNAL}"}


def test_a_file_over_its_time_is_stopped_and_its_worker_restarted(tmp_path: Path, scheduler: str) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(PLANS / "08-ks1-visual-impairment.docx", src / "hangs.docx")  # the workers' test hook stalls it
    for name in ("01-eyfs-speech-language", "02-ks1-down-syndrome", "03-ks2-dyslexia"):
        shutil.copy(PLANS / f"{name}.docx", src / f"{name}.docx")
    result = run_batch(BatchOptions(src, out, timeout=3), scheduler=scheduler)
    rows = {row.path: row for row in result.rows}
    assert rows["hangs.docx"].status == "failed"
    assert rows["hangs.docx"].error == "took longer than 3 s and was stopped; check the file, or allow more with --timeout"
    assert {row.status for path, row in rows.items() if path != "hangs.docx"} == {"converted"}
    client = distributed.Client(scheduler)
    try:  # the stalled worker was restarted (its return not waited for by the batch): each of the two (one thread each) runs a task again
        client.wait_for_workers(2, timeout=60)
        workers = list(client.scheduler_info()["workers"])
        assert len(workers) == 2
        assert [client.submit(len, "ab", workers=[w], pure=False).result(timeout=30) for w in workers] == [2, 2]
    finally:
        client.close()


def test_a_file_over_its_time_on_an_adaptive_cluster_holds_the_others_no_longer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An adaptive cluster (0 to 2 workers): the worker of a file over its time is restarted, and the adaptive cluster
    retires it, idle; the batch waits for its kill, not for the cluster's size again (which never comes back: the batch
    then held its files unsent till it stopped with no worker), and the other files convert."""
    monkeypatch.setattr(watch_module, "NO_WORKERS", 20.0)  # a worker process starts well within it
    monkeypatch.delenv(PATIENCE, raising=False)
    monkeypatch.setenv(HANG_HOOK, "hangs")  # the workers' environment, as they start
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PLANS / "02-ks1-down-syndrome.docx", src / "a-hangs.docx")
    names = ["01-eyfs-speech-language", "03-ks2-dyslexia", "04-ks2-autism", "05-ks3-hearing-impairment", "06-ks2-semh"]
    for n, name in enumerate(names):
        shutil.copy(PLANS / f"{name}.docx", src / f"f{n}.docx")
    cluster = distributed.LocalCluster(n_workers=0, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)
    cluster.adapt(minimum=0, maximum=2, interval="500ms", target_duration="100ms", wait_count=1)
    try:
        result = ended(lambda: run_batch(BatchOptions(src, tmp_path / "out", timeout=2), scheduler=cluster.scheduler_address))
    finally:
        cluster.close()
    assert not result.stopped, result.stopped
    assert {row.path: (row.status, row.error) for row in result.rows} == {
        "a-hangs.docx": ("failed", "took longer than 2 s and was stopped; check the file, or allow more with --timeout"),
        **{f"f{n}.docx": ("converted", "") for n in range(len(names))}}


def test_a_slow_scan_reading_its_pages_lives_past_the_limit_a_hung_file_does_not(tmp_path: Path, scheduler: str) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    pages = src / "slow-scan"  # three pages, each followed by SLOW_PAGE seconds: more than the limit in all
    pages.mkdir(parents=True)
    for n in (1, 2, 3):
        shutil.copy(SCANS / f"page-{n}.jpg", pages / f"scan{n:04d}.jpg")
    shutil.copy(PLANS / "08-ks1-visual-impairment.docx", src / "hangs.docx")  # the workers' test hook stalls it
    timeout = 20  # over a page's OCR (5 s on a loaded machine) and SLOW_PAGE, under the three pages' SLOW_PAGE
    assert 3 * SLOW_PAGE > timeout > SLOW_PAGE
    result = run_batch(BatchOptions(src, out, timeout=timeout), scheduler=scheduler)
    rows = {row.path: row for row in result.rows}
    assert (rows["hangs.docx"].status, rows["hangs.docx"].error) == (
        "failed", "took longer than 20 s and was stopped; check the file, or allow more with --timeout")
    assert rows["slow-scan"].status == "converted", rows["slow-scan"].error
    assert rows["slow-scan"].seconds is not None and rows["slow-scan"].seconds > timeout  # alive past the limit: its pages' beats
    assert json.loads((out / "slow-scan.json").read_text(encoding="utf-8"))["template"]["id"] == rows["slow-scan"].template == "kirklees-v2f"


@pytest.mark.parametrize("allowed", [0, 1])  # each restart under the scan is the scheduler's KilledWorker; local:N's
def test_a_file_over_its_time_costs_the_others_on_its_worker_no_retry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, allowed: int) -> None:
    """One worker of two threads: a slow scan (five pages, each followed by SLOW_PAGE seconds) runs beside a
    hung file, then beside another; each hung file's time-out restarts the worker under the scan, twice. Those
    restarts are no deaths of the scan's, nor its one resend: when the scheduler, counting them, gives it up
    (at each restart, allowing none; at the second, allowing one), it is sent anew, free, and converts."""
    src = tmp_path / "in"
    pages = src / "a-slow-scan"
    pages.mkdir(parents=True)
    for n in range(1, 6):
        shutil.copy(SCANS / f"page-{n}.jpg", pages / f"scan{n:04d}.jpg")
    shutil.copy(PLANS / "08-ks1-visual-impairment.docx", src / "b-hangs.docx")  # sent first (a file of the top folder)
    (src / "z").mkdir()
    shutil.copy(PLANS / "01-eyfs-speech-language.docx", src / "z" / "c-hangs.docx")  # last (after the scan's folder)
    # The limit: over a page's OCR on a loaded machine (16 s) and SLOW_PAGE, and the scan's five pages' SLOW_PAGE
    # outlast the second hung file's limit by as much again (it starts as the scan runs again).
    timeout = 24
    assert 5 * SLOW_PAGE >= timeout + 2 * SLOW_PAGE and timeout >= SLOW_PAGE + 16
    monkeypatch.setenv(HANG_HOOK, "hangs")
    monkeypatch.setenv(SLOW_HOOK, "slow-scan")
    with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
        cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                                           dashboard_address=None, scheduler_kwargs={"allowed_failures": allowed})
    try:
        result = run_batch(BatchOptions(src, tmp_path / "out", timeout=timeout), scheduler=cluster.scheduler_address)
    finally:
        cluster.close()
    stopped = "took longer than 24 s and was stopped; check the file, or allow more with --timeout"
    assert {row.path: (row.status, row.error) for row in result.rows} == {
        "a-slow-scan": ("converted", ""), "b-hangs.docx": ("failed", stopped), "z/c-hangs.docx": ("failed", stopped)}
    assert [row.seconds for row in result.rows if row.path == "a-slow-scan"][0] > 5 * SLOW_PAGE  # its last run whole


def unique_copy(src: Path, n: int) -> bytes:
    """The same .docx with a zip comment of its own: not a duplicate of another copy."""
    out = io.BytesIO()
    with zipfile.ZipFile(src) as docx, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in docx.infolist():
            copy.writestr(item, docx.read(item.filename))
        copy.comment = f"copy {n}".encode()
    return out.getvalue()


def test_small_files_go_in_bundles_each_with_its_own_limit_and_retry(tmp_path: Path, scheduler: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    plans = sorted(PLANS.glob("*.docx"))
    for n in range(16):  # many small files waiting: several to a task
        (src / f"f{n:02d}.docx").write_bytes(unique_copy(plans[n % len(plans)], n))
    (src / "a-bundled-dies.docx").write_bytes(unique_copy(plans[0], 100))  # in the first bundle: its worker dies
    (src / "f05-hangs.docx").write_bytes(unique_copy(plans[1], 101))  # in a later one: it stalls
    result = run_batch(BatchOptions(src, tmp_path / "remote", timeout=10), scheduler=scheduler)
    rows = {row.path: (row.status, row.error) for row in result.rows}
    assert rows.pop("a-bundled-dies.docx") == ("failed", "the converter stopped unexpectedly on this file; report it")
    assert rows.pop("f05-hangs.docx") == ("failed", "took longer than 10 s and was stopped; check the file, or allow more with --timeout")
    assert rows == {f"f{n:02d}.docx": ("converted", "") for n in range(16)}  # the others in their bundles, or again on their own
    run_batch(BatchOptions(src, tmp_path / "local", jobs=2))
    local = {path: data for path, data in files_of(tmp_path / "local").items() if path.startswith("f") and "hangs" not in path}
    assert len(local) == 16 and local == {path: data for path, data in files_of(tmp_path / "remote").items() if path in local}


def test_a_worker_that_dies_is_retried_once_by_the_client_whatever_the_scheduler_allows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, out, died = tmp_path / "in", tmp_path / "out", tmp_path / "died"
    src.mkdir()
    shutil.copy(PLANS / "01-eyfs-speech-language.docx", src / "01.docx")
    shutil.copy(PLANS / "03-ks2-dyslexia.docx", src / "dies.docx")
    monkeypatch.setenv(CRASH_HOOK, "dies")  # the workers' environment, as they start
    monkeypatch.setenv(CRASH_HOOK + "_ONCE", str(died))  # a marker a death
    assert dask.config.get("distributed.scheduler.allowed-failures") == 3  # an outside cluster's default: 3 retries
    with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)
    try:
        result = run_batch(BatchOptions(src, out, timeout=60), scheduler=cluster.scheduler_address)
    finally:
        cluster.close()
    status = {row.path: (row.status, row.error) for row in result.rows}
    assert status == {"01.docx": ("converted", ""), "dies.docx": ("failed", "the converter stopped unexpectedly on this file; report it")}
    assert sorted(path.name for path in died.iterdir()) == ["dies.docx.1", "dies.docx.2"]  # tried, retried once, not four times


@pytest.mark.parametrize("allowed", [1, 3])  # local:N's, and Dask's default
def test_a_file_only_queued_on_a_worker_that_dies_uses_no_retry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, allowed: int) -> None:
    """One worker of one thread holding two tasks (saturation 2.0): each file kills it the first time it runs,
    so the one that dies first leaves the other queued there (and the other may be queued again when it dies in
    turn). Only a file's own death is counted: both converted."""
    src, died = tmp_path / "in", tmp_path / "died"
    src.mkdir()
    shutil.copy(PLANS / "01-eyfs-speech-language.docx", src / "a-dies-once.docx")
    shutil.copy(PLANS / "03-ks2-dyslexia.docx", src / "b-dies-once.docx")
    monkeypatch.setenv(CRASH_HOOK, "dies")
    monkeypatch.setenv(CRASH_HOOK + "_ONCE", str(died))  # each dies the first time only
    with dask.config.set({"distributed.scheduler.worker-saturation": 2.0}):
        cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                           dashboard_address=None, scheduler_kwargs={"allowed_failures": allowed})
    try:
        result = run_batch(BatchOptions(src, tmp_path / "out", timeout=60), scheduler=cluster.scheduler_address)
    finally:
        cluster.close()
    assert {row.path: (row.status, row.error) for row in result.rows} == {"a-dies-once.docx": ("converted", ""), "b-dies-once.docx": ("converted", "")}
    assert sorted(path.name for path in died.iterdir()) == ["a-dies-once.docx.1", "b-dies-once.docx.1"]  # each killed its worker once


def test_a_file_that_kills_its_worker_before_it_starts_is_sent_again_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose worker dies before its START is no death of the client's count: the scheduler gives it up
    (local:N allows 1 retry), it is sent again once as a new task, given up again, and failed; not sent without
    end (the hook lets it convert after its sixth death, as the code before did)."""
    src, died = tmp_path / "in", tmp_path / "died"
    src.mkdir()
    shutil.copy(PLANS / "01-eyfs-speech-language.docx", src / "01.docx")
    shutil.copy(PLANS / "03-ks2-dyslexia.docx", src / "dies-early.docx")
    monkeypatch.setenv(CRASH_HOOK, "dies")
    monkeypatch.setenv(CRASH_HOOK + "_ONCE", str(died))
    result = run_batch(BatchOptions(src, tmp_path / "out", timeout=60), scheduler="local:1")
    status = {row.path: (row.status, row.error) for row in result.rows}
    assert status == {"01.docx": ("converted", ""), "dies-early.docx": ("failed", "the converter stopped unexpectedly on this file; report it")}
    assert sorted(path.name for path in died.iterdir()) == [f"dies-early.docx.{n}" for n in (1, 2, 3, 4)]  # two tasks, two tries each


def test_a_file_whose_start_cannot_be_told_runs_again(tmp_path: Path) -> None:
    """The START call failing (the scheduler out of reach: here its first START refused, OSError): the task runs
    all the same, the file converted, not failed as a bug of ours (nor sent round for ever)."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PLANS / "01-eyfs-speech-language.docx", src / "01.docx")
    cluster = local_cluster(1)
    refused: list[str] = []
    log_event = cluster.scheduler.handlers["log_event"]

    def refuse_first_start(topic: Any, msg: Any) -> None:
        if topic == START and not refused:
            refused.append(msg["key"])
            raise OSError("the scheduler out of reach")
        log_event(topic=topic, msg=msg)

    cluster.scheduler.handlers["log_event"] = refuse_first_start
    try:
        result = run_batch(BatchOptions(src, tmp_path / "out", timeout=60), scheduler=cluster.scheduler_address)
    finally:
        cluster.close()
    assert len(refused) == 1
    assert [(row.path, row.status, row.error) for row in result.rows] == [("01.docx", "converted", "")]


def test_answers_come_from_the_workers_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MSP_CONVERT_DASK_DIRECT=1: no answer through the scheduler (its 'gather', counted), the same outputs;
    unset, every answer through it; another value, one line."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("01-eyfs-speech-language", "02-ks1-down-syndrome", "03-ks2-dyslexia"):
        shutil.copy(PLANS / f"{name}.docx", src / f"{name}.docx")
    cluster = local_cluster(1)
    gathered: list[int] = []
    gather = cluster.scheduler.handlers["gather"]
    cluster.scheduler.handlers["gather"] = lambda **kw: (gathered.append(len(kw["keys"])), gather(**kw))[1]
    try:
        monkeypatch.delenv(DIRECT, raising=False)
        result = run_batch(BatchOptions(src, tmp_path / "via", timeout=60), scheduler=cluster.scheduler_address)
        assert result.count("converted") == 3 and sum(gathered) == 3  # each file's task, through the scheduler
        monkeypatch.setenv(DIRECT, "1")
        result = run_batch(BatchOptions(src, tmp_path / "direct", timeout=60), scheduler=cluster.scheduler_address)
        assert result.count("converted") == 3 and sum(gathered) == 3  # none more
        monkeypatch.setenv(DIRECT, "yes")
        with pytest.raises(ClusterError, match=r"^MSP_CONVERT_DASK_DIRECT='yes': give 1 \(fetch each answer from its worker\) or 0 \(through the scheduler\)$"):
            run_batch(BatchOptions(src, tmp_path / "wrong", timeout=60), scheduler=cluster.scheduler_address)
    finally:
        cluster.close()
    assert {k: v for k, v in files_of(tmp_path / "direct").items() if k.endswith(".json")} == {
        k: v for k, v in files_of(tmp_path / "via").items() if k.endswith(".json")} != {}


def test_the_client_and_its_scheduler_do_not_keep_the_inputs_they_sent(tmp_path: Path) -> None:
    """Dask keeps the last 1,000 messages of each stream (a task with its input's bytes among them): the batch's
    client and local scheduler keep a few (LOG), so this process's memory does not grow with the files."""
    src, files = tmp_path / "in", 600
    src.mkdir()
    for n in range(files):
        (src / f"notes-{n:04d}.docx").write_text(f"Notes from meeting {n}", encoding="utf-8")  # refused at once
    cluster = local_cluster(1)
    try:
        result = run_batch(BatchOptions(src, tmp_path / "out", timeout=60), scheduler=cluster.scheduler_address)
        gc.collect()
        sent = sum(1 for o in gc.get_objects() if isinstance(o, dict) and "send_back" in o)  # the tasks as sent, with their bytes
    finally:
        cluster.close()
    assert result.count("failed") == files
    assert sent < files // 4, sent


def test_a_restarted_worker_keeps_the_short_log_and_close_undoes_it() -> None:
    """local:N: the scheduler sets each worker's stream's log length as the worker registers, again after a restart:
    still LOG then; the setting undone at close (Dask's 1,000 again)."""
    default = dask.config.get("distributed.admin.low-level-log-length")
    client, cluster = connect("local:1")
    try:
        before = set(cluster.scheduler.stream_comms)
        client.restart_workers(list(before))
        client.wait_for_workers(1)
        lengths = {address: comm.recent_message_log.maxlen for address, comm in cluster.scheduler.stream_comms.items()}
    finally:
        _close(client, cluster)
    assert len(lengths) == 1 and set(lengths) != before and list(lengths.values()) == [LOG], lengths
    assert dask.config.get("distributed.admin.low-level-log-length") == default == 1000


def test_overlapping_local_clusters_leave_the_log_setting_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two local:N runs at once, each in a thread of its own (the first closed while the second runs), then one
    that fails as it starts: the setting (LOG, the saturation, LOST_WORKER, the distributed logger's level, the
    workers' logging variable) held while any runs, and exactly as it was once the last is out."""
    logger = logging.getLogger("distributed")
    monkeypatch.setattr(logger, "level", logging.WARNING)  # not ERROR, nor Dask's INFO: put back at the end
    monkeypatch.delenv("DASK_LOGGING__DISTRIBUTED", raising=False)
    default = dask.config.get(LOST_WORKER, config=dask.config.merge(*dask.config.defaults))  # Dask's, not this module's

    def setting() -> tuple[Any, ...]:
        return (dask.config.get("distributed.admin.low-level-log-length"), dask.config.get("distributed.scheduler.worker-saturation"),
                dask.config.get(LOST_WORKER), logger.level, os.environ.get("DASK_LOGGING__DISTRIBUTED"))

    def run(entered: threading.Event, release: threading.Event, failed: list[BaseException]) -> None:
        try:
            client, cluster = connect("local:1")
        except BaseException as err:  # noqa: BLE001 (the test fails on it below)
            failed.append(err)
            entered.set()
            return
        entered.set()
        release.wait(120)
        _close(client, cluster)

    with dask.config.set({LOST_WORKER: default}):  # the module's fixture holds LOCAL_CONFIG's: a leak would not show
        before = setting()
        events, failed = [(threading.Event(), threading.Event()) for _ in range(2)], []
        threads = [threading.Thread(target=run, args=(*pair, failed)) for pair in events]
        threads[0].start()
        events[0][0].wait(120)
        threads[1].start()
        events[1][0].wait(120)
        events[0][1].set()  # the first out while the second runs
        threads[0].join(120)
        during = setting()  # the second's worker, restarted now, would register with these
        events[1][1].set()
        threads[1].join(120)
        after = setting()
    assert not failed and not any(thread.is_alive() for thread in threads), failed
    assert during == (LOG, 1.0, "2m", logging.CRITICAL, "critical")
    assert after == before == (1000, 1.1, default, logging.WARNING, None) and default == "15s"

    def fails(workers: int) -> Any:
        raise OSError("no port free")

    monkeypatch.setattr(cluster_module, "local_cluster", fails)
    with dask.config.set({LOST_WORKER: default}):
        with pytest.raises(OSError):
            connect("local:1")
        assert setting() == before


def _http_server() -> int:
    """A port on 127.0.0.1 where a web server (not a Dask scheduler) answers: its port."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def answer() -> None:
        while True:
            conn, _ = server.accept()
            with conn:
                conn.recv(100)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n")

    threading.Thread(target=answer, daemon=True).start()
    return int(server.getsockname()[1])


def ended(call: Callable[[], Any], bound: float = 300) -> Any:
    """``call``'s answer (or its error), run in a thread: one that would wait for ever fails the test after ``bound``
    seconds (a bound, not a measure) instead of holding the run."""
    answer: list[Any] = []

    def run() -> None:
        try:
            answer.append((call(), None))
        except BaseException as err:  # noqa: BLE001 (raised again below, in the test's thread)
            answer.append((None, err))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(bound)
    assert answer, "still waiting"
    if answer[0][1] is not None:
        raise answer[0][1]
    return answer[0][0]


def test_a_scheduler_with_no_worker_is_one_line_and_nothing_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An outside scheduler with no worker: one line once MSP_CONVERT_DASK_NO_WORKERS seconds have passed with the
    file sent, not a wait for ever; nothing done (the journal empty: a rerun does it all). A value of that variable
    that is not seconds: one line."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(PLANS / "01-eyfs-speech-language.docx", src / "01.docx")
    cluster = distributed.LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address=None)
    address = cluster.scheduler_address
    try:
        for wrong in ("soon", "0", "-5", "inf"):
            monkeypatch.setenv(PATIENCE, wrong)
            with pytest.raises(ClusterError, match=rf"^MSP_CONVERT_DASK_NO_WORKERS='{wrong}': give the seconds a cluster may have no worker before the batch stops \(a number over 0, such as 600\)$"):
                run_batch(BatchOptions(src, out, timeout=5), scheduler=address)
        monkeypatch.setenv(PATIENCE, "1")
        with pytest.raises(ClusterError, match=rf"^--scheduler {address}: the scheduler has no workers; start one \(dask worker {address}\) and run again$"):
            ended(lambda: run_batch(BatchOptions(src, out, timeout=5), scheduler=address))
    finally:
        cluster.close()
    assert not (out / STATE / JOURNAL).exists() or not (out / STATE / JOURNAL).read_text(encoding="utf-8").strip()


def test_an_adaptive_cluster_from_no_worker_converts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cluster that starts its workers only once tasks wait (adapt(minimum=0), as dask-jobqueue's, Kubernetes'):
    the files are sent with no worker there yet, and converted (not the no-worker line, as a wait for a worker
    before sending gave)."""
    monkeypatch.setattr(watch_module, "NO_WORKERS", 20.0)  # a worker process starts well within it
    monkeypatch.delenv(PATIENCE, raising=False)
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PLANS / "01-eyfs-speech-language.docx", src / "01.docx")
    cluster = distributed.LocalCluster(n_workers=0, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)
    cluster.adapt(minimum=0, maximum=1, interval="500ms")
    try:
        result = ended(lambda: run_batch(BatchOptions(src, tmp_path / "out", timeout=60), scheduler=cluster.scheduler_address))
    finally:
        cluster.close()
    assert [(row.path, row.status, row.error) for row in result.rows] == [("01.docx", "converted", "")]
    assert not result.stopped and (tmp_path / "out" / "01.json").exists()


@pytest.mark.parametrize("where", ["outside", "local:1"])
def test_a_cluster_left_with_no_worker_stops_the_batch_and_a_rerun_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """One worker, which cannot start again once the file after the first, hung, is stopped (its interpreter
    broken: as a worker gone for good, or, with local:N, one the nanny starts again and again): with the third
    file in flight and no worker for NO_WORKERS seconds, the batch stops with one line, the first file's outputs
    kept, the third left for a rerun, which converts it."""
    monkeypatch.setattr(watch_module, "NO_WORKERS", 2.0)
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name, plan in (("a", "01-eyfs-speech-language"), ("b-hangs", "02-ks1-down-syndrome"), ("c", "03-ks2-dyslexia")):
        shutil.copy(PLANS / f"{plan}.docx", src / f"{name}.docx")
    monkeypatch.setenv(HANG_HOOK, "hangs")

    def broken_after(cluster: Any) -> Any:
        monkeypatch.setenv("PYTHONHOME", "/nonexistent")  # a worker process started after this cannot start
        return cluster

    outside = None
    if where == "outside":
        with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
            outside = broken_after(distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None))
        scheduler = outside.scheduler_address
    else:
        made = cluster_module.local_cluster
        monkeypatch.setattr(cluster_module, "local_cluster", lambda workers: broken_after(made(workers)))
        monkeypatch.delenv(WORKER_LOG, raising=False)  # Dask's lines not asked for
        scheduler = where
    shown = _Shown()
    logging.getLogger("distributed").addHandler(shown)
    try:
        result = ended(lambda: run_batch(BatchOptions(src, out, timeout=3), scheduler=scheduler))
    finally:
        logging.getLogger("distributed").removeHandler(shown)
        monkeypatch.delenv("PYTHONHOME")
        if outside is not None:
            outside.close()
    assert result.stopped == cluster_module.no_workers(scheduler, connecting=False)
    if where == "local:1":  # the cluster is ours: the batch's line, not Dask's errors (a worker not back after its restart)
        assert shown.lines == []
    assert ("start one (dask worker" in result.stopped) == (where == "outside")
    assert {row.path: (row.status, row.error) for row in result.rows} == {
        "a.docx": ("converted", ""),
        "b-hangs.docx": ("failed", "took longer than 3 s and was stopped; check the file, or allow more with --timeout"),
        "c.docx": ("failed", "not converted: the batch stopped, as the cluster had no workers; run it again to resume"),
    }
    assert (out / "a.json").exists()
    journal = [json.loads(line) for line in (out / STATE / JOURNAL).read_text(encoding="utf-8").splitlines()]
    assert sorted(entry["path"] for entry in journal) == ["a.docx", "b-hangs.docx"]
    monkeypatch.undo()  # a cluster that starts, with no file that hangs
    again = run_batch(BatchOptions(src, out, timeout=60), scheduler="local:1")
    assert {row.path: row.status for row in again.rows if row.path != "b-hangs.docx"} == {"a.docx": "skipped", "c.docx": "converted"}


class _Shown(logging.Handler):
    """What Dask's loggers pass to their handlers (to the user's terminal, but for this one): each record's logger and level."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.levelname}")


def test_dasks_own_lines_as_the_user_asked_for_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """DASK_LOGGING__DISTRIBUTED set by the user: a local cluster leaves Dask's level as it is, here and on its workers."""
    logger = logging.getLogger("distributed")
    monkeypatch.setattr(logger, "level", logging.WARNING)
    monkeypatch.setenv(WORKER_LOG, "warning")
    with cluster_module.LocalSetting():
        assert (logger.level, os.environ[WORKER_LOG]) == (logging.WARNING, "warning")
    assert (logger.level, os.environ[WORKER_LOG]) == (logging.WARNING, "warning")


def test_a_scheduler_that_does_not_answer_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PLANS / "01-eyfs-speech-language.docx", src / "01.docx")
    with socket.socket() as free:  # a port nothing listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(ClusterError, match=rf"^--scheduler tcp://127\.0\.0\.1:{port}: no Dask scheduler answered there \(OSError\); "
                       r"start one or check the address \(tcp://HOST:8786\)$"):
        run_batch(BatchOptions(src, tmp_path / "out"), scheduler=f"tcp://127.0.0.1:{port}")
    web = _http_server()  # as a dashboard's port, given for the scheduler's
    with pytest.raises(ClusterError, match=rf"^--scheduler tcp://127\.0\.0\.1:{web}: something other than a Dask scheduler answered there; "):
        run_batch(BatchOptions(src, tmp_path / "out"), scheduler=f"tcp://127.0.0.1:{web}")


def test_a_worker_that_dies_is_retried_once_then_its_file_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name in ("01-eyfs-speech-language", "dies-once", "dies"):
        shutil.copy(PLANS / ("03-ks2-dyslexia.docx" if name.startswith("dies") else f"{name}.docx"), src / f"{name}.docx")
    (src / "dies.docx").write_bytes((src / "dies.docx").read_bytes() + b"\0")  # not a duplicate of dies-once
    monkeypatch.setenv(CRASH_HOOK, "dies")
    monkeypatch.setenv(CRASH_HOOK + "_ONCE", str(tmp_path / "died"))  # files named *once* die the first time only
    result = run_batch(BatchOptions(src, out, timeout=60), scheduler="local:2")
    status = {row.path: (row.status, row.error) for row in result.rows}
    assert status == {
        "01-eyfs-speech-language.docx": ("converted", ""),
        "dies-once.docx": ("converted", ""),  # its worker died; another took it
        "dies.docx": ("failed", "the converter stopped unexpectedly on this file; report it"),
    }
    local = tmp_path / "local"
    shutil.copytree(src, tmp_path / "in2")
    (tmp_path / "in2" / "dies.docx").unlink()
    run_batch(BatchOptions(tmp_path / "in2", local, jobs=1))
    assert (out / "dies-once.json").read_bytes() == (local / "dies-once.json").read_bytes()
    journal = [json.loads(line) for line in (out / STATE / JOURNAL).read_text(encoding="utf-8").splitlines()]
    assert [(e["path"], e.get("code")) for e in journal if e.get("status") == "failed"] == [("dies.docx", "crash")]


def test_a_wrong_local_cluster_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PLANS / "01-eyfs-speech-language.docx", src / "01.docx")
    with pytest.raises(ClusterError, match=r"^--scheduler local:0: give local:N with N worker processes, 1 to 256$"):
        run_batch(BatchOptions(src, tmp_path / "out"), scheduler="local:0")


@pytest.mark.parametrize("scheduler,env,line", [
    ("local:many", {}, "Error: --scheduler local:many: give local:N with N worker processes, 1 to 256"),
    ("local:1", {DIRECT: "yes"},
     "Error: MSP_CONVERT_DASK_DIRECT='yes': give 1 (fetch each answer from its worker) or 0 (through the scheduler)"),
])
def test_the_command_refuses_a_wrong_setting_before_any_work(tmp_path: Path, scheduler: str, env: dict, line: str) -> None:
    """A malformed --scheduler or MSP_CONVERT_DASK_DIRECT: one line, exit 2, nothing made."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PLANS / "01-eyfs-speech-language.docx", src / "01.docx")
    done = subprocess.run(
        [sys.executable, "-m", "msp_convert", "batch", str(src), "-o", str(tmp_path / "out"), "--scheduler", scheduler],
        capture_output=True, text=True, timeout=120, env={**os.environ, **env},
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == line
    assert not (tmp_path / "out").exists()


def test_ctrl_c_cancels_and_a_rerun_resumes(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    names = ["01-eyfs-speech-language", "02-ks1-down-syndrome", "03-ks2-dyslexia", "04-ks2-autism", "05-ks3-hearing-impairment"]
    for n, name in enumerate(names):
        shutil.copy(PLANS / f"{name}.docx", src / f"{n}-{name}.docx")
    env = {**os.environ, HANG_HOOK: "3-04-ks2-autism"}  # the fourth file stalls: interrupt then
    command = [sys.executable, "-m", "msp_convert", "batch", str(src), "-o", str(out), "--scheduler", "local:2", "-q"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    journal = out / STATE / JOURNAL
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (journal.exists() and len(journal.read_text(encoding="utf-8").splitlines()) == 4):
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the batch, its scheduler and its workers
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted after 5 files (4 converted, 1 failed)" in stderr
    with open(out / "report.csv", newline="", encoding="utf-8") as handle:
        rows = {row["path"]: row for row in csv.DictReader(handle)}
    assert rows["3-04-ks2-autism.docx"]["error"] == "not converted: the batch was interrupted; run it again to resume"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _alive(proc.pid):
        time.sleep(0.2)
    assert not _alive(proc.pid)  # no worker left behind
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "5 files (1 converted, 4 skipped)" in again.stderr


def _alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        return int(free.getsockname()[1])


def _three_plans(tmp_path: Path) -> tuple[Path, Path]:
    """An input folder of three plans (the worker stalls on b-hangs.docx under HANG_HOOK) and an output folder."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name, plan in (("a", "01-eyfs-speech-language"), ("b-hangs", "02-ks1-down-syndrome"), ("c", "03-ks2-dyslexia")):
        shutil.copy(PLANS / f"{plan}.docx", src / f"{name}.docx")
    return src, out


def _signal_scheduler_mid_run(src: Path, out: Path, signals: tuple[int, ...], bound: float) -> tuple[str, list[Any]]:
    """An outside ``dask scheduler`` (a process of its own) and one ``dask worker``; the batch run on it, and the
    scheduler sent ``signals`` once the first file is journalled and b-hangs.docx has started. The address, and
    the batch's result (none if it had not ended within ``bound`` seconds)."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    dask_cli = [sys.executable, "-m", "dask"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": {**os.environ, HANG_HOOK: "hangs"},
             "start_new_session": True}
    scheduler = subprocess.Popen([*dask_cli, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"], **quiet)
    worker = subprocess.Popen([*dask_cli, "worker", address, "--nthreads", "1", "--no-dashboard"], **quiet)
    journal = out / STATE / JOURNAL
    answer: list[Any] = []
    try:
        batch = threading.Thread(target=lambda: answer.append(ended(lambda: run_batch(BatchOptions(src, out, timeout=120), scheduler=address), bound=bound)))
        batch.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (journal.exists() and journal.read_text(encoding="utf-8").strip()):
            time.sleep(0.1)
        time.sleep(1)  # b-hangs.docx started
        for sig in signals:
            os.killpg(scheduler.pid, sig)
        batch.join(bound + 30)
    finally:
        for proc in (scheduler, worker):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGCONT)
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
    return address, answer


def test_a_scheduler_that_goes_away_stops_the_batch_and_a_rerun_resumes(tmp_path: Path) -> None:
    """An outside scheduler killed while a file runs and another waits: not a converter's crash, but the batch
    stopped in one line, the first file's outputs kept, the two others "not converted" (the cluster went away)
    and converted by a rerun."""
    src, out = _three_plans(tmp_path)
    address, answer = _signal_scheduler_mid_run(src, out, (signal.SIGKILL,), bound=300)
    result = answer[0]
    assert result.stopped == f"--scheduler {address}: the client lost its scheduler (stopped or restarted); check it runs and run again to resume"
    gone = "not converted: the batch stopped, as the cluster went away; run it again to resume"
    assert {row.path: (row.status, row.error) for row in result.rows} == {
        "a.docx": ("converted", ""), "b-hangs.docx": ("failed", gone), "c.docx": ("failed", gone)}
    journal = out / STATE / JOURNAL
    assert [json.loads(line)["path"] for line in journal.read_text(encoding="utf-8").splitlines()] == ["a.docx"]
    assert (out / "a.json").exists()
    again = run_batch(BatchOptions(src, out, timeout=60), scheduler="local:1")
    assert {row.path: row.status for row in again.rows} == {"a.docx": "skipped", "b-hangs.docx": "converted", "c.docx": "converted"}


def test_a_frozen_scheduler_stops_the_batch_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An outside scheduler frozen (SIGSTOP) while a file runs and another waits: its connection stays open, but no
    ask is answered; after MSP_CONVERT_DASK_NO_WORKERS seconds the batch stops with its own line (not a wait for
    ever), the first file's outputs kept, the two others "not converted"."""
    monkeypatch.setenv(PATIENCE, "3")
    src, out = _three_plans(tmp_path)
    address, answer = _signal_scheduler_mid_run(src, out, (signal.SIGSTOP,), bound=60)
    assert answer, "still waiting"
    result = answer[0]
    assert result.stopped == f"--scheduler {address}: the scheduler does not answer (for 3 s: stopped or overloaded); check it and run again to resume"
    silent = "not converted: the batch stopped, as the scheduler did not answer; run it again to resume"
    assert {row.path: (row.status, row.error) for row in result.rows} == {
        "a.docx": ("converted", ""), "b-hangs.docx": ("failed", silent), "c.docx": ("failed", silent)}
    assert (out / "a.json").exists()


def test_the_window_grows_with_an_adaptive_clusters_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An adaptive cluster from no worker to two (one thread each): the in-flight window, sized for one thread at
    connect, is sized again during the run from the scheduler's threads (WINDOW tasks a thread). A scan that
    waits SLOW_PAGE seconds after each page keeps the run going while the second worker starts."""
    monkeypatch.setattr(watch_module, "NO_WORKERS", 60.0)
    monkeypatch.delenv(PATIENCE, raising=False)
    monkeypatch.setenv(SLOW_HOOK, "slow-scan")  # the workers' environment, as they start
    src = tmp_path / "in"
    (src / "slow-scan").mkdir(parents=True)
    for n in (1, 2):  # one plan's pages
        shutil.copy(SCANS / f"page-{n}.jpg", src / "slow-scan" / f"scan{n:04d}.jpg")
    for name, plan in (("a", "01-eyfs-speech-language"), ("b", "02-ks1-down-syndrome"), ("c", "03-ks2-dyslexia")):
        shutil.copy(PLANS / f"{plan}.docx", src / f"{name}.docx")
    windows: list[int] = []
    assign = cluster_module._Flight.assign
    monkeypatch.setattr(cluster_module._Flight, "assign", lambda flight: (windows.append(flight.window), assign(flight))[1])
    cluster = distributed.LocalCluster(n_workers=0, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)
    cluster.adapt(minimum=0, maximum=2, interval="2s", target_duration="100ms")  # each task waiting wants a worker of its own
    try:
        result = ended(lambda: run_batch(BatchOptions(src, tmp_path / "out", timeout=60), scheduler=cluster.scheduler_address))
    finally:
        cluster.close()
    assert {row.path: (row.status, row.error) for row in result.rows} == {
        "a.docx": ("converted", ""), "b.docx": ("converted", ""), "c.docx": ("converted", ""), "slow-scan": ("converted", "")}
    assert windows[0] == cluster_module.WINDOW  # no worker at connect: sized for one thread
    assert max(windows) == 2 * cluster_module.WINDOW, windows
