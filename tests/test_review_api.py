"""The review server's API through Starlette's test client, on a real batch's output (a Word plan and a PDF):
the token, the Host check, writes needing the header, saving (422 paths, journal, atomic, NAME.read.json),
approving, ids not paths, the headers of every answer, and nothing of a plan in the log."""

from __future__ import annotations

import copy
import errno
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any, Iterator

import pytest

from msp_convert import atomic
from msp_convert.batch import BatchOptions, run_batch
from msp_convert.review.app import make_app
from msp_convert.review.store import etag, open_store, plan_id

with warnings.catch_warnings():  # Starlette would rather have httpx2, which Python 3.10's Starlette does not take
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from starlette.testclient import TestClient

REPO = Path(__file__).resolve().parents[1]
PORT = 8123
TOKEN = "t0ken-for-tests-only"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
WORD, PDF = "01-eyfs-speech-language.json", "03-ks2-dyslexia.json"


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch's input and output folders: one Word plan and one PDF plan, converted once."""
    root = tmp_path_factory.mktemp("batch")
    (root / "in").mkdir()
    shutil.copy(REPO / "fixtures" / "plans" / "01-eyfs-speech-language.docx", root / "in")
    shutil.copy(REPO / "fixtures" / "pdf" / "03-ks2-dyslexia.pdf", root / "in")
    result = run_batch(BatchOptions(root / "in", root / "out", jobs=1))
    assert result.ok and result.count("converted") == 2
    return root


@pytest.fixture
def out(batch_out: Path, tmp_path: Path) -> Path:
    """A fresh copy of the batch's output for each test (tests write to it); its input beside it."""
    shutil.copytree(batch_out / "in", tmp_path / "in")
    shutil.copytree(batch_out / "out", tmp_path / "out")
    return tmp_path / "out"


@pytest.fixture
def client(out: Path) -> Iterator[TestClient]:
    store = open_store(out, originals=out.parent / "in")
    with TestClient(make_app(store, TOKEN, PORT, "Test Reviewer"), base_url=f"http://127.0.0.1:{PORT}") as test_client:
        yield test_client


def plan_of(out: Path, name: str) -> dict[str, Any]:
    return json.loads((out / name).read_bytes())


def put(client: TestClient, name: str, plan: dict[str, Any]) -> Any:
    return client.put(f"/api/plans/{plan_id(name)}", content=json.dumps(plan).encode(), headers=BEARER)


def journal(out: Path) -> list[dict[str, Any]]:
    path = out / ".msp-convert" / "review-journal.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


# --- the token and the Host ----------------------------------------------------------------


def test_no_token_no_answer(client: TestClient) -> None:
    for path in ("/api/plans", f"/api/plans/{plan_id(PDF)}", "/api/meta", "/", "/static/app.js"):
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert "Ruby" not in answer.text
    assert client.get("/api/plans", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/api/plans", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 403
    assert client.get("/api/plans", headers={"Authorization": "Bearer \u00e9\u00e9".encode("utf-8")}).status_code == 403


def test_bearer_reads(client: TestClient) -> None:
    answer = client.get("/api/plans", headers=BEARER)
    assert answer.status_code == 200
    assert {p["file"] for p in answer.json()} == {WORD, PDF}
    assert client.get("/favicon.ico", headers=BEARER).status_code == 204  # asked for by every browser: no 404 in its console


def test_token_in_the_address_becomes_a_cookie(client: TestClient) -> None:
    answer = client.get(f"/plans/abc?token={TOKEN}&x=1", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/plans/abc?x=1"  # the token leaves the address
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"msp-review-{PORT}={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert client.get("/api/plans").status_code == 200  # the client keeps the cookie, as a browser does
    assert client.get(f"/?token=wrong{TOKEN}", follow_redirects=False).status_code == 403


def test_the_token_visit_never_sends_the_browser_to_another_site() -> None:
    import asyncio

    from msp_convert.review.security import Guard

    sent: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("the guard answers this itself")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "GET", "path": "//evil.example/x", "query_string": f"token={TOKEN}".encode(),
             "headers": [(b"host", f"127.0.0.1:{PORT}".encode())]}
    asyncio.run(Guard(app, TOKEN, PORT)(scope, receive, send))
    assert sent[0]["status"] == 303 and dict(sent[0]["headers"])[b"location"] == b"/evil.example/x"


def test_api_takes_no_token_in_the_address(client: TestClient) -> None:
    assert client.get(f"/api/plans?token={TOKEN}", follow_redirects=False).status_code == 403


def test_writes_need_the_header_not_only_the_cookie(client: TestClient, out: Path) -> None:
    client.cookies.set(f"msp-review-{PORT}", TOKEN)
    assert client.get("/api/meta").status_code == 200
    before = (out / PDF).read_bytes()
    assert client.post(f"/api/plans/{plan_id(PDF)}/approve").status_code == 403
    assert client.put(f"/api/plans/{plan_id(PDF)}", content=before).status_code == 403
    assert (out / PDF).read_bytes() == before
    assert not (out / ".msp-convert" / "review.json").exists()
    assert client.post(f"/api/plans/{plan_id(PDF)}/approve", headers=BEARER).status_code == 200


@pytest.mark.parametrize("host, status", [
    (f"127.0.0.1:{PORT}", 200), (f"localhost:{PORT}", 200),
    (f"evil.example:{PORT}", 403), ("127.0.0.1:9", 403), ("127.0.0.1", 403), ("", 403),
])
def test_host_header_checked(client: TestClient, host: str, status: int) -> None:
    assert client.get("/api/meta", headers={**BEARER, "Host": host}).status_code == status


def test_every_answer_has_the_security_headers(client: TestClient) -> None:
    answers = [
        client.get("/api/plans"),  # 403
        client.get("/api/plans", headers={**BEARER, "Host": "evil.example"}),  # 403 for the host
        client.get("/api/plans", headers=BEARER),
        client.get("/api/plans/000000000000", headers=BEARER),  # 404
        client.get(f"/api/plans/{plan_id(PDF)}/pages/1.png", headers=BEARER),
        client.get(f"/?token={TOKEN}", follow_redirects=False),  # 303
    ]
    for answer in answers:
        assert answer.headers["content-security-policy"].startswith("default-src 'self'")
        assert "unsafe-inline" not in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["referrer-policy"] == "no-referrer"


# --- ids, reading -------------------------------------------------------------------------


def test_plans_are_named_by_ids_never_paths(client: TestClient, out: Path) -> None:
    listed = client.get("/api/plans", headers=BEARER).json()
    assert sorted(p["id"] for p in listed) == sorted(plan_id(n) for n in (WORD, PDF))
    assert all(len(p["id"]) == 12 and "/" not in p["id"] for p in listed)
    (out / "other.json").write_bytes((out / PDF).read_bytes())  # on disk, but not in the report
    for path in (
        f"/api/plans/{PDF}", "/api/plans/..%2Freport.json", "/api/plans/%2Fetc%2Fpasswd", "/api/plans/../report.json",
        f"/api/plans/{plan_id('other.json')}", f"/api/plans/{plan_id(PDF).upper()}",
    ):
        assert client.get(path, headers=BEARER).status_code == 404, path
    assert client.put(f"/api/plans/{plan_id('other.json')}", content=b"{}", headers=BEARER).status_code == 404


def test_plan_list(client: TestClient) -> None:
    listed = {p["file"]: p for p in client.get("/api/plans", headers=BEARER).json()}
    pdf = listed[PDF]
    assert pdf["source"] == "03-ks2-dyslexia.pdf"
    assert pdf["verdict"] == "complete"
    assert pdf["placed_share"] == round(563 / 572, 3)
    assert pdf["warnings"] == {"unmapped-text": 1} and pdf["warning_count"] == 1
    assert pdf["review"] == ""
    assert sorted(p["priority"] for p in listed.values()) == [0, 1]
    meta = client.get("/api/meta", headers=BEARER).json()
    assert meta == {"approved": 0, "total": 2, "reviewer": "Test Reviewer"}


def test_plan_is_its_json(client: TestClient, out: Path) -> None:
    answer = client.get(f"/api/plans/{plan_id(PDF)}", headers=BEARER)
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == plan_of(out, PDF)


def test_a_plan_holding_script_is_json(client: TestClient, out: Path) -> None:
    plan = plan_of(out, PDF)
    plan["child"]["name"] = "<script>alert('Ruby')</script>"
    plan["outcomes"][0]["statement"]["text"] = "</script><img src=x onerror=alert(1)>"
    assert put(client, PDF, plan).status_code == 200
    answer = client.get(f"/api/plans/{plan_id(PDF)}", headers=BEARER)
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.json()["child"]["name"] == "<script>alert('Ruby')</script>"
    assert answer.json()["outcomes"][0]["statement"]["text"] == "</script><img src=x onerror=alert(1)>"


# --- saving -------------------------------------------------------------------------------


def test_save_writes_journals_and_marks(client: TestClient, out: Path) -> None:
    plan = plan_of(out, PDF)
    old = copy.deepcopy(plan)
    plan["outcomes"][0]["statement"]["text"] = "read age-appropriate texts with 95% accuracy"
    plan["other_plans"]["child_in_need"] = True
    plan["outcomes"][0]["supported_by"]["health"] = None  # a box set back to "not found"
    answer = put(client, PDF, plan)
    assert answer.status_code == 200
    assert answer.json() == {"review": "corrected", "changes": 3, "etag": etag((out / PDF).read_bytes())}
    saved = plan_of(out, PDF)
    assert saved["outcomes"][0]["statement"]["text"] == "read age-appropriate texts with 95% accuracy"
    assert saved["source"] == old["source"]  # still the PDF it was read from
    lines = journal(out)
    assert [(l["path"], l["old"], l["new"]) for l in lines] == [
        ("other_plans.child_in_need", False, True),
        ("outcomes[0].statement.text", "read age-appropriate texts with 90% accuracy", "read age-appropriate texts with 95% accuracy"),
        ("outcomes[0].supported_by.health", False, None),
    ]
    assert all(l["reviewer"] == "Test Reviewer" and l["plan"] == PDF and l["time"].endswith("Z") for l in lines)
    review = json.loads((out / ".msp-convert" / "review.json").read_text(encoding="utf-8"))
    assert review["plans"][PDF]["review"] == "corrected" and review["plans"][PDF]["reviewer"] == "Test Reviewer"
    rows = {r["output"]: r for r in json.loads((out / "report.json").read_text(encoding="utf-8"))["files"]}
    assert rows[PDF]["review"] == "corrected" and rows[WORD].get("review", "") == ""
    listed = {p["file"]: p for p in client.get("/api/plans", headers=BEARER).json()}
    assert listed[PDF]["review"] == "corrected"


def test_an_added_and_a_removed_value_in_the_journal(client: TestClient, out: Path) -> None:
    plan = plan_of(out, PDF)
    gone = plan["outcomes"].pop()
    plan["health_needs"].append({"text": "wears glasses", "withdrawn": False, "struck": [], "review": None, "review_date": None})
    answer = put(client, PDF, plan)
    assert answer.status_code == 200, answer.text
    lines = journal(out)
    added = [l for l in lines if l["path"] == f"health_needs[{len(plan['health_needs']) - 1}]"]
    removed = [l for l in lines if l["path"] == f"outcomes[{len(plan['outcomes'])}]"]
    assert len(added) == 1 and "old" not in added[0] and added[0]["new"]["text"] == "wears glasses"
    assert len(removed) == 1 and "new" not in removed[0] and removed[0]["old"] == gone


def test_saving_the_same_plan_changes_nothing(client: TestClient, out: Path) -> None:
    before = (out / PDF).read_bytes()
    answer = put(client, PDF, plan_of(out, PDF))
    assert answer.json() == {"review": "", "changes": 0, "etag": etag(before)}
    assert (out / PDF).read_bytes() == before
    assert not (out / "03-ks2-dyslexia.read.json").exists() and journal(out) == []


def test_invalid_plan_is_422_with_paths_and_no_values(client: TestClient, out: Path) -> None:
    before = (out / PDF).read_bytes()
    plan = plan_of(out, PDF)
    plan["outcomes"][0]["statement"]["review_date"] = "Zebedee 2019"
    plan["outcomes"][0]["statement"]["review"] = "Zanzibar"
    plan["child"]["name"] = ["Ruby"]
    plan["other_plans"]["withdrawnn"] = True
    plan["provision"][0]["weekly_cost_gbp"] = -5
    answer = put(client, PDF, plan)
    assert answer.status_code == 422
    paths = [e["path"] for e in answer.json()["errors"]]
    assert paths == ["provision[0].weekly_cost_gbp"]  # numbers are refused first, before the model
    plan["provision"][0]["weekly_cost_gbp"] = 5
    answer = put(client, PDF, plan)
    assert answer.status_code == 422
    paths = sorted(e["path"] for e in answer.json()["errors"])
    assert paths == sorted(["outcomes[0].statement.review_date", "outcomes[0].statement.review", "child.name", "other_plans.withdrawnn"])
    assert all(e["message"] for e in answer.json()["errors"])
    for value in ("Zebedee", "Zanzibar", "Ruby"):
        assert value not in answer.text
    assert (out / PDF).read_bytes() == before and journal(out) == []


@pytest.mark.parametrize("body, path", [
    (b"not json", "(the whole plan)"), (b"[1, 2]", "(the whole plan)"), (b"{\"child\": {\"name\": \"\xff\"}}", "(the whole plan)"),
])
def test_what_is_no_plan_at_all_is_422(client: TestClient, body: bytes, path: str) -> None:
    answer = client.put(f"/api/plans/{plan_id(PDF)}", content=body, headers=BEARER)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["path"] == path


def test_too_big_a_plan_is_refused(client: TestClient, out: Path) -> None:
    answer = client.put(f"/api/plans/{plan_id(PDF)}", content=b" " * (4 * 2**20 + 2), headers=BEARER)
    assert answer.status_code == 413


def test_the_readers_version_is_kept_once(client: TestClient, out: Path) -> None:
    first = (out / PDF).read_bytes()
    plan = plan_of(out, PDF)
    plan["child"]["year_group"] = "Year 5"
    assert put(client, PDF, plan).json()["changes"] == 1  # coverage, counted again (two words more), is no change of the person's
    assert plan_of(out, PDF)["coverage"]["words"] == plan["coverage"]["words"] + 2
    plan["child"]["year_group"] = "Year 6"
    assert put(client, PDF, plan).json()["changes"] == 1
    assert (out / "03-ks2-dyslexia.read.json").read_bytes() == first
    assert plan_of(out, PDF)["child"]["year_group"] == "Year 6"
    lines = journal(out)
    assert [(l["path"], l["old"], l["new"]) for l in lines] == [("child.year_group", None, "Year 5"), ("child.year_group", "Year 5", "Year 6")]


def test_a_failing_write_leaves_the_plan_as_it_was(client: TestClient, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (out / PDF).read_bytes()
    real, calls = atomic._write, []

    def full_disk(handle: Any, data: bytes) -> None:
        calls.append(len(data))
        if len(calls) == 2:  # NAME.read.json goes down, the plan over NAME.json does not
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(handle, data)

    monkeypatch.setattr(atomic, "_write", full_disk)
    plan = plan_of(out, PDF)
    plan["child"]["year_group"] = "Year 5"
    answer = put(client, PDF, plan)
    assert answer.status_code == 500
    assert "free some space" in answer.json()["error"] and "Year 5" not in answer.text
    assert (out / PDF).read_bytes() == before
    assert (out / "03-ks2-dyslexia.read.json").read_bytes() == before
    assert journal(out) == [] and not (out / ".msp-convert" / "review.json").exists()
    assert not [p for p in out.rglob(f"{atomic.TEMP_PREFIX}*")]
    monkeypatch.setattr(atomic, "_write", real)
    assert put(client, PDF, plan).status_code == 200  # and it saves once the disk has room


# --- approving ----------------------------------------------------------------------------


def test_approve(client: TestClient, out: Path) -> None:
    answer = client.post(f"/api/plans/{plan_id(WORD)}/approve", headers=BEARER)
    assert answer.status_code == 200 and answer.json() == {"review": "approved"}
    assert client.get("/api/meta", headers=BEARER).json()["approved"] == 1
    listed = {p["file"]: p for p in client.get("/api/plans", headers=BEARER).json()}
    assert listed[WORD]["review"] == "approved" and listed[WORD]["priority"] == 1  # needs nobody: last
    rows = {r["output"]: r for r in json.loads((out / "report.json").read_text(encoding="utf-8"))["files"]}
    assert rows[WORD]["review"] == "approved"
    assert "approved" in (out / "report.csv").read_text(encoding="utf-8")
    assert client.post("/api/plans/000000000000/approve", headers=BEARER).status_code == 404


# --- pages, origins, check, docx ----------------------------------------------------------


def test_pdf_pages(client: TestClient) -> None:
    listed = client.get(f"/api/plans/{plan_id(PDF)}/pages", headers=BEARER).json()
    assert listed["count"] == len(listed["pages"]) > 1
    first = listed["pages"][0]
    assert first["number"] == 1 and abs(first["width"] - 595.3) < 1 and abs(first["height"] - 841.9) < 1  # A4 in points
    image = client.get(f"/api/plans/{plan_id(PDF)}/pages/1.png", headers=BEARER)
    assert image.headers["content-type"] == "image/png" and image.content.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(image.content[16:20], "big")
    height = int.from_bytes(image.content[20:24], "big")
    assert abs(width / height - 595.3 / 841.9) < 0.01 and width >= 1000
    assert client.get(f"/api/plans/{plan_id(PDF)}/pages/{listed['count'] + 1}.png", headers=BEARER).status_code == 404
    assert client.get(f"/api/plans/{plan_id(PDF)}/pages/0.png", headers=BEARER).status_code == 404


def test_word_pages_are_converted_once(client: TestClient, out: Path) -> None:
    listed = client.get(f"/api/plans/{plan_id(WORD)}/pages", headers=BEARER).json()
    assert listed["count"] >= 1, listed
    cached = list((out / ".msp-convert" / "pages").glob("*.pdf"))
    sha = json.loads((out / "report.json").read_text(encoding="utf-8"))["files"][0]["sha256"]
    assert [p.name for p in cached] == [f"{sha}.pdf"]
    assert client.get(f"/api/plans/{plan_id(WORD)}/pages/1.png", headers=BEARER).content.startswith(b"\x89PNG")


def test_no_original_no_pages(out: Path) -> None:
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    del report["in_dir"]  # a report from before it named the batch's input folder, and none given
    (out / "report.json").write_text(json.dumps(report), encoding="utf-8")
    store = open_store(out)
    with TestClient(make_app(store, TOKEN, PORT, "r"), base_url=f"http://127.0.0.1:{PORT}") as client:
        listed = client.get(f"/api/plans/{plan_id(PDF)}/pages", headers=BEARER).json()
        assert listed["count"] == 0 and listed["pages"] == [] and "--input" in listed["problem"]
        assert client.get(f"/api/plans/{plan_id(PDF)}/pages/1.png", headers=BEARER).status_code == 404


def test_origins(client: TestClient, out: Path) -> None:
    origins_file = out / "03-ks2-dyslexia.origins.json"
    origins_file.unlink()  # the batch wrote them for a PDF
    assert client.get(f"/api/plans/{plan_id(PDF)}/origins", headers=BEARER).json() == {"version": 1, "pages": [], "fields": {}}
    mine = {"version": 1, "pages": [{"number": 1, "width": 595.3, "height": 841.9}], "fields": {"child.name": {"page": 1, "box": [1, 2, 3, 4]}}}
    origins_file.write_text(json.dumps(mine), encoding="utf-8")
    assert client.get(f"/api/plans/{plan_id(PDF)}/origins", headers=BEARER).json() == mine


def test_check_findings(client: TestClient) -> None:
    answer = client.get(f"/api/plans/{plan_id(PDF)}/check", headers=BEARER).json()
    assert isinstance(answer["findings"], list) and isinstance(answer["ready"], bool)
    assert all({"code", "where", "message", "blocking"} <= set(f) for f in answer["findings"])


def test_docx_downloads(client: TestClient) -> None:
    new = client.get(f"/api/plans/{plan_id(PDF)}/docx?mode=new", headers=BEARER)
    as_is = client.get(f"/api/plans/{plan_id(PDF)}/docx?mode=as-is", headers=BEARER)
    for answer, suffix in ((new, "-new-plan.docx"), (as_is, "-as-is.docx")):
        assert answer.status_code == 200 and answer.content.startswith(b"PK")
        assert answer.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
        assert answer.headers["content-disposition"].endswith(f"03-ks2-dyslexia{suffix}")
    assert new.content != as_is.content
    assert client.get(f"/api/plans/{plan_id(PDF)}/docx?mode=old", headers=BEARER).status_code == 400


# --- the log ------------------------------------------------------------------------------


def test_no_plan_content_in_the_log(client: TestClient, out: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.DEBUG)
    plan = plan_of(out, PDF)
    plan["child"]["name"] = "Zephyrine Quill"
    put(client, PDF, plan)
    plan["child"]["date_of_birth"] = "Zephyrine"
    assert put(client, PDF, plan).status_code == 422
    client.get(f"/api/plans/{plan_id(PDF)}", headers=BEARER)
    client.get("/api/plans", headers=BEARER)

    def broken(*args: Any) -> Any:
        raise ValueError("Zephyrine Quill")

    monkeypatch.setattr("msp_convert.review.store.Store.plan", broken)
    answer = client.get(f"/api/plans/{plan_id(PDF)}/check", headers=BEARER)
    assert answer.status_code == 500 and "Zephyrine" not in answer.text
    assert "ValueError" in caplog.text  # the error is logged, by its type
    assert "Zephyrine" not in caplog.text and "Ruby" not in caplog.text


# --- the command --------------------------------------------------------------------------


def test_review_command_prints_the_address_first_and_stops_on_ctrl_c(out: Path) -> None:
    command = [sys.executable, "-m", "msp_convert", "review", str(out / PDF), "--no-browser", "--reviewer", "R"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline() if process.stdout else ""
        prefix = "Review at http://127.0.0.1:"
        assert first.startswith(prefix), first
        port, token = first[len(prefix):].strip().split("/?token=")
        import httpx

        answer = httpx.get(f"http://127.0.0.1:{port}/api/plans", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert answer.status_code == 200 and answer.json()[0]["file"] == PDF
        assert httpx.get(f"http://127.0.0.1:{port}/api/plans", timeout=30).status_code == 403
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert "Ruby" not in stdout + stderr


def test_a_taken_port_is_one_line(out: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "msp_convert", "review", str(out), "--no-browser", "--port", str(port)],
            capture_output=True, text=True, timeout=60,
        )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and f"port {port}" in done.stderr and "choose another --port" in done.stderr


def test_no_browser_here_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    import webbrowser

    from msp_convert import review

    monkeypatch.setattr(webbrowser, "get", lambda: webbrowser.GenericBrowser("w3m"))
    assert review._open_browser("http://127.0.0.1:1/") is False  # a browser in this terminal is never started

    def none() -> None:
        raise webbrowser.Error("none")

    monkeypatch.setattr(webbrowser, "get", none)
    assert review._open_browser("http://127.0.0.1:1/") is False


def test_a_plan_broken_on_disk_can_be_saved_over(client: TestClient, out: Path) -> None:
    good = plan_of(out, PDF)
    (out / PDF).write_text("{ cut short", encoding="utf-8")
    answer = put(client, PDF, good)
    assert answer.status_code == 200 and answer.json()["changes"] == len(good) - 1  # every top-level key is new but the coverage (counted)
    assert plan_of(out, PDF)["child"] == good["child"] and plan_of(out, PDF)["source"] == good["source"]
    assert (out / "03-ks2-dyslexia.read.json").read_text(encoding="utf-8") == "{ cut short"


def test_a_plan_saved_elsewhere_since_it_was_read_is_409(client: TestClient, out: Path) -> None:
    read = client.get(f"/api/plans/{plan_id(PDF)}", headers=BEARER)
    version = read.headers["etag"]
    plan = read.json()
    plan["child"]["upn"] = "A123"
    first = client.put(f"/api/plans/{plan_id(PDF)}", content=json.dumps(plan).encode(), headers={**BEARER, "If-Match": version})
    assert first.status_code == 200 and first.headers["etag"] == first.json()["etag"] != version
    plan["child"]["upn"] = "B456"  # the other tab, still holding the first version
    second = client.put(f"/api/plans/{plan_id(PDF)}", content=json.dumps(plan).encode(), headers={**BEARER, "If-Match": version})
    assert second.status_code == 409 and "reload" in second.json()["error"]
    assert plan_of(out, PDF)["child"]["upn"] == "A123"
    third = client.put(f"/api/plans/{plan_id(PDF)}", content=json.dumps(plan).encode(), headers={**BEARER, "If-Match": first.headers["etag"]})
    assert third.status_code == 200 and plan_of(out, PDF)["child"]["upn"] == "B456"


# --- a provision row's weekly cost (POST /api/cost): the reader's own count -------------------------------------

COST_TEXTS = [
    "£45 per week", "£12.50/wk", "TA 5 hrs/wk @ £14.50/hr = £72.50", "TA 3 hrs/wk @ £14.50/hr", "£30 a week (Element 2)",
    "Weekly cost: £18", "PECS book – one-off £15", "£120 one-off", "£14.50 per hour", "£20", "£20 and £5", "£1,200 per term",
    "£7 p.a.", "£3pwé", "£٣٠ pw", "£5 + £6 = £11 per week", "= £4 weekly", "£10 an hour, 3 hours per week",
    "2.5 hrs per week at £0.01/hr", "3.333 hours a week @ £10.07 ph", "£1,000,000,000,001 per week", "£999,999,999,999.99 per week",
    "£4 p.w. and £2 p. w.", "£9 total", "no cost", "£2/week £3/week £4 monthly", "£6.123 per week", "£,5 per week",
]


@pytest.fixture(scope="module")
def fixture_rows() -> list[tuple[list[dict[str, Any]], bool, Any]]:
    """Every provision row of the fixture plans as the reader reads them: its resources (as JSON), whether its
    form's resources column is weekly (what the page sends: shape.json's ``weekly``), and the cost the reader gave it."""
    import msp_convert
    from msp_convert.errors import InputError
    from msp_convert.review.web import weekly_costs

    rows = []
    for path in sorted((REPO / "fixtures").rglob("*.docx")):
        try:
            plan = msp_convert.read(path)
        except InputError:  # not a plan (an evidence report, another form) or encrypted
            continue
        weekly = weekly_costs(plan.template.id)
        rows += [([e.model_dump(mode="json") for e in row.resources], weekly, row.weekly_cost_gbp) for row in plan.provision]
    return rows


def cost(client: TestClient, resources: list[dict[str, Any]], weekly: Any) -> Any:
    answer = client.post("/api/cost", json={"resources": resources, "weekly": weekly}, headers=BEARER)
    assert answer.status_code == 200, answer.text
    return answer.json()["weekly_cost_gbp"]


def test_the_weekly_cost_is_the_readers_on_every_fixture_row(client: TestClient, fixture_rows: list[Any]) -> None:
    assert [cost(client, resources, weekly) for resources, weekly, _ in fixture_rows] == [held for *_, held in fixture_rows]
    assert len(fixture_rows) >= 60 and sum(1 for *_, held in fixture_rows if held is not None) >= 40
    assert sum(1 for _, weekly, held in fixture_rows if weekly and held is not None) >= 3  # York's "Weekly cost" column


def test_the_weekly_cost_as_a_person_edits_a_row(client: TestClient, fixture_rows: list[Any]) -> None:
    """Withdrawn and struck entries left out, an amount added, each text alone either way: weekly_cost's answers."""
    from msp_convert.mapping.entries import weekly_cost
    from msp_convert.model import Entry

    resources = copy.deepcopy(next(r for r, _, held in fixture_rows if held is not None and len(r) >= 2))
    withdrawn = [{**resources[0], "withdrawn": True}, *resources[1:]]
    struck = [{**resources[0], "struck": [resources[0]["text"]]}, *resources[1:]]
    added = [*resources, {"text": "Taxi £7.25 per week and £3 a week for lunch"}]
    rows = [withdrawn, struck, added, *([{"text": t}] for t in COST_TEXTS)]
    for weekly in (False, True):
        page = [cost(client, r, weekly) for r in rows]
        assert page == [weekly_cost([Entry(**e) for e in r], weekly) for r in rows]
    assert cost(client, added, False) == round(cost(client, resources, False) + 10.25, 2)
    assert cost(client, withdrawn, False) == cost(client, struck, False) != cost(client, resources, False)
    assert (cost(client, [{"text": "£20"}], False), cost(client, [{"text": "£20"}], True)) == (None, 20.0)
    assert cost(client, [{"text": "£1,000,000,000,001 per week"}], False) is None  # past any budget: no cost


def test_the_weekly_cost_needs_the_token_in_the_header(client: TestClient) -> None:
    question = {"resources": [{"text": "£45 per week"}], "weekly": False}
    assert client.post("/api/cost", json=question).status_code == 403
    assert client.post("/api/cost", json=question, headers={"Authorization": "Bearer wrong"}).status_code == 403
    client.cookies.set(f"msp-review-{PORT}", TOKEN)  # the cookie reads; a POST needs the header
    assert client.post("/api/cost", json=question).status_code == 403
    assert client.post("/api/cost", json=question, headers=BEARER).json() == {"weekly_cost_gbp": 45.0}
    assert client.get("/api/cost", headers=BEARER).status_code == 405


@pytest.mark.parametrize("question, path", [
    ({"resources": [{"text": "Maisie £5 per week"}] * 51}, "resources"),  # more entries than a row has
    ({"resources": [{"text": "Maisie " + "1" * 1000 + " per week"}]}, "resources[0].text"),  # one text too long
    ({"resources": [{"text": "£5 pw", "struck": ["Maisie " * 100]}] * 8}, "resources[5]"),  # too much in all: 6 x 705 characters
    ({"resources": [{"text": "Maisie", "withdrawn": "Maisie"}]}, "resources[0].withdrawn"),
    ({"resources": [{"text": "Maisie", "Maisie": 1}]}, "resources[0].(a key not in the model)"),
    ({"resources": "Maisie £5 per week"}, "resources"),
    ({"resources": [], "weekly": "Maisie"}, "weekly"),
    ({"resources": [], "Maisie": True}, "(a key not in the model)"),
    (["Maisie"], "(the whole request)"),
])
def test_a_weekly_cost_question_out_of_bounds_is_422_at_its_path(client: TestClient, question: Any, path: str) -> None:
    answer = client.post("/api/cost", json=question, headers=BEARER)
    assert answer.status_code == 422
    assert [e["path"] for e in answer.json()["errors"]] == [path]
    assert "Maisie" not in answer.text and "1111" not in answer.text  # where and what is wrong, never the value


def test_a_weekly_cost_question_too_big_is_413(client: TestClient) -> None:
    from msp_convert.review.app import COST_BYTES

    answer = client.post("/api/cost", content=b'{"resources": [{"text": "' + b"x" * COST_BYTES + b'"}]}', headers=BEARER)
    assert answer.status_code == 413 and "x" * 10 not in answer.text
    for raw in (b"Maisie", b"\xff\xfe{}", b""):
        refused = client.post("/api/cost", content=raw, headers=BEARER)
        assert refused.status_code == 422 and refused.json()["errors"][0]["path"] == "(the whole request)", raw
