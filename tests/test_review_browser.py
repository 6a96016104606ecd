"""The review page end to end in a real browser (issue 16): headless Chromium through selenium, against the real
``msp-convert review`` server on a batch's output of three plans (a Word plan, a PDF plan, and a Word plan whose
text holds markup). A person's path through the page, then the files on disk; markup shown as text and never
run; a PDF's page image with the place a field came from marked on it; the keys.

The pages are driven only through what they give for this: ``data-path`` on every control (the model path it
edits), ``data-move`` on an unmapped item's move, ids of the buttons (#save, #approve) and of the state
(#review-state), ``body[data-ready]`` once a page's script has drawn it. Chromium and chromedriver are Debian's,
installed by install.sh: these tests never skip.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import struct
from pathlib import Path
from typing import Any, Iterator

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from review_browser_support import (
    HEIGHT, HOSTILE, HOSTILE_ENTRY, PDF, REPO, WIDTH, WORD, ReviewServer, chromium, console_errors, convert_word_pages, journal,
    make_batch, read_json, shown, wait_for,
)

REVIEWER = "Test Reviewer"
NEW_TEXT = "Maisie's language delay was confirmed by the speech and language therapist in October 2018."
TICK = "profile.written_by.me_with_help"  # ticked in plan 01
ENTRY = "needs.summary[0]"
SCREENSHOT = "MSP_CONVERT_SCREENSHOT"  # set to a path (docs/review.png) to keep the README's screenshot there
# Given to every page before its own scripts (by DevTools, so the page's CSP does not stop it): alert, confirm
# and prompt only record that they were called (a dialog would stop the page), so markup that ran is seen.
SPY = """
window.__ran = [];
for (const name of ["alert", "confirm", "prompt"]) window[name] = (text) => { window.__ran.push(name + ":" + text); };
"""


COLD = {"test_a_word_plan_is_shown_as_its_pages_and_its_warning_leads_to_its_field"}  # tests that convert Word pages themselves


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The batch's output as written, and a copy with the Word plans' pages already converted."""
    out = make_batch(tmp_path_factory.mktemp("review-batch"))
    warm = out.with_name("warm")
    shutil.copytree(out, warm)
    convert_word_pages(warm)
    return out, warm


@pytest.fixture
def out(batch: tuple[Path, Path], tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A fresh copy of the batch's output for each test (the tests write to it); its report names the input."""
    shutil.copytree(batch[0] if request.node.name in COLD else batch[1], tmp_path / "out")
    assert (tmp_path / "out" / ".msp-convert" / "pages").exists() is (request.node.name not in COLD)
    return tmp_path / "out"


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    browser = chromium(tmp_path_factory.mktemp("chromium-profile"))
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SPY})
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def server(out: Path, driver: WebDriver) -> Iterator[ReviewServer]:
    """The review command on ``out``; afterwards: the browser saw no error, Ctrl-C stopped it cleanly, and its
    standard error held nothing of a plan."""
    console_errors(driver)  # what an earlier test left
    running = ReviewServer(out, REVIEWER)  # the originals found where report.json says: the batch's input folder
    try:
        yield running
        driver.get("about:blank")  # the page's last requests ended before the server is
        errors = console_errors(driver)
    finally:
        code = running.stop()
    assert errors == []
    assert code == 0, running.stderr[-2000:]
    for content in ("Maisie", "Oliver", "<script", "WellComm", "Clarke"):
        assert content not in running.stderr


# --- the page, step by step -----------------------------------------------------------------------


def ready(driver: WebDriver) -> None:
    shown(driver, "body[data-ready='true']", "the page's script did not finish drawing it")


def open_queue(driver: WebDriver, server: ReviewServer) -> None:
    driver.get(server.url)
    ready(driver)
    assert driver.current_url == server.base  # the token left the address (it is in a cookie now)


def open_plan(driver: WebDriver, name: str) -> None:
    """From the queue: the plan's link clicked, its form drawn."""
    link = next(a for a in driver.find_elements(By.CSS_SELECTOR, "#queue tr.plan-row a.open") if a.text == f"{name}.json")
    link.click()
    ready(driver)
    shown(driver, f"[data-path='{ENTRY}.text']", "the plan's form was not drawn")
    assert driver.find_element(By.ID, "plan-file").text == f"{name}.json"


def control(driver: WebDriver, path: str) -> Any:
    element = driver.find_element(By.CSS_SELECTOR, f"#plan-form [data-path='{path}']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    return element


def replace_text(driver: WebDriver, path: str, text: str) -> None:
    box = control(driver, path)
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(text)  # typed: the page sees input events, as from a person
    assert box.get_attribute("value") == text


def review_state(driver: WebDriver, expected: str) -> None:
    wait_for(driver, lambda d: d.find_element(By.ID, "review-state").get_attribute("data-review") == expected, f"the plan is not shown {expected}")


def status(driver: WebDriver, starts: str) -> str:
    return wait_for(driver, lambda d: (t := d.find_element(By.ID, "status").text).startswith(starts) and t, f"the status never said {starts!r}")


def report_review(out: Path, output: str) -> tuple[str, str]:
    """The plan's ``review`` in report.json and in report.csv."""
    row = next(r for r in read_json(out / "report.json")["files"] if r["output"] == output)
    with open(out / "report.csv", newline="", encoding="utf-8") as handle:
        line = next(r for r in csv.DictReader(handle) if r["output"] == output)
    return row["review"], line["review"]


# --- the tests ------------------------------------------------------------------------------------


def test_the_queue_lists_every_plan_with_what_needs_a_person_first(driver: WebDriver, server: ReviewServer, out: Path) -> None:
    open_queue(driver, server)
    rows = driver.find_elements(By.CSS_SELECTOR, "#queue tbody tr.plan-row")
    names = [f"{n}.json" for n in (WORD, HOSTILE, PDF)]
    assert sorted(r.find_element(By.CSS_SELECTOR, "a.open").text for r in rows) == sorted(names)
    assert [r.find_element(By.CSS_SELECTOR, "a.open").text for r in rows] == sorted(names, key=lambda n: urgency(read_json(out / n)))
    assert [int(r.get_attribute("data-priority")) for r in rows] == [0, 1, 2]
    assert driver.find_element(By.ID, "progress").text == "0 of 3 approved"
    assert driver.find_element(By.ID, "reviewer").text == REVIEWER
    pdf = row_id(driver, PDF)
    assert driver.find_element(By.CSS_SELECTOR, f"#row-{pdf} a.open").get_attribute("href") == f"{server.base}plans/{pdf}"  # an id, no path
    Select(driver.find_element(By.ID, "filter-warning")).select_by_value("unmapped-text")
    shown_rows = [r for r in rows if r.is_displayed()]
    assert shown_rows and all("unmapped-text" in str(r.get_attribute("data-codes")).split() for r in shown_rows)
    assert len(shown_rows) == sum(1 for n in (WORD, HOSTILE, PDF) if read_json(out / f"{n}.json")["unmapped"])


def urgency(plan: dict[str, Any]) -> tuple[bool, int, float]:
    """What needs a person first: a plan not read completely, then more warnings, then less of its text placed."""
    coverage = plan["coverage"]
    return (coverage["verdict"] == "complete", -len(plan["warnings"]), coverage["placed"] / coverage["words"])


def row_id(driver: WebDriver, name: str) -> str:
    rows = driver.find_elements(By.CSS_SELECTOR, "#queue tr.plan-row")
    return str(next(r for r in rows if r.find_element(By.CSS_SELECTOR, "a.open").text == f"{name}.json").get_attribute("data-id"))


MOVE_TO = "reviews[0].not_working"  # where the test moves plan 01's unmapped note (said at its first review)


def correct(driver: WebDriver) -> None:
    """What a person does on plan 01: untick a box, rewrite an entry, move the unmapped note to a field."""
    tick = control(driver, TICK)
    assert tick.is_selected()
    tick.click()
    assert not tick.is_selected()
    replace_text(driver, f"{ENTRY}.text", NEW_TEXT)
    Select(control(driver, "unmapped[0]").find_element(By.CSS_SELECTOR, "select[data-move='unmapped[0]']")).select_by_value(MOVE_TO)
    driver.find_element(By.CSS_SELECTOR, "button.move[data-move='unmapped[0]']").click()
    assert not driver.find_elements(By.CSS_SELECTOR, "#plan-form [data-path='unmapped[0]']")
    assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-dirty") == "true"


def test_a_person_corrects_and_approves_a_plan_and_the_files_say_so(driver: WebDriver, server: ReviewServer, out: Path) -> None:
    name = f"{WORD}.json"
    read = (out / name).read_bytes()
    before = json.loads(read)
    assert before["profile"]["written_by"]["me_with_help"] is True and len(before["unmapped"]) == 1
    open_queue(driver, server)
    open_plan(driver, WORD)
    correct(driver)
    driver.find_element(By.ID, "save").click()
    saved = status(driver, "Saved")
    review_state(driver, "corrected")
    assert read_json(out / ".msp-convert" / "review.json")["plans"][name]["review"] == "corrected"
    assert report_review(out, name) == ("corrected", "corrected")
    driver.find_element(By.ID, "approve").click()
    review_state(driver, "approved")
    status(driver, "Approved")

    after = read_json(out / name)
    assert after["profile"]["written_by"]["me_with_help"] is False
    assert after["needs"]["summary"][0]["text"] == NEW_TEXT
    assert after["unmapped"] == [] and after["reviews"][0]["not_working"][-1]["text"] == before["unmapped"][0]["text"]
    assert (out / f"{WORD}.read.json").read_bytes() == read  # the reader's first version, kept
    assert saved == f"Saved: {len(journal(out))} change(s)."
    check_journal(journal(out), name, before)
    marked = read_json(out / ".msp-convert" / "review.json")["plans"][name]
    assert (marked["review"], marked["reviewer"]) == ("approved", REVIEWER)
    assert report_review(out, name) == ("approved", "approved")
    assert report_review(out, f"{PDF}.json") == ("", "")

    driver.find_element(By.ID, "queue-link").click()
    ready(driver)
    assert driver.find_element(By.ID, "progress").text == "1 of 3 approved"
    approved = driver.find_element(By.CSS_SELECTOR, f"#row-{row_id(driver, WORD)}")
    assert approved.get_attribute("data-review") == "approved" and approved.get_attribute("data-priority") == "2"


def check_journal(lines: list[dict[str, Any]], name: str, before: dict[str, Any]) -> None:
    """One line per changed value: the person's four (not the coverage the server counted again)."""
    by_path = {line["path"]: line for line in lines}
    assert len(by_path) == len(lines)
    assert set(by_path) == {TICK, f"{ENTRY}.text", f"{MOVE_TO}[1]", "unmapped[0]"}
    assert all(line["reviewer"] == REVIEWER and line["plan"] == name and line["time"].endswith("Z") for line in lines)
    assert (by_path[TICK]["old"], by_path[TICK]["new"]) == (True, False)
    assert (by_path[f"{ENTRY}.text"]["old"], by_path[f"{ENTRY}.text"]["new"]) == (before["needs"]["summary"][0]["text"], NEW_TEXT)
    assert by_path[f"{MOVE_TO}[1]"]["new"]["text"] == before["unmapped"][0]["text"]
    assert by_path["unmapped[0]"]["old"] == before["unmapped"][0] and "new" not in by_path["unmapped[0]"]


def test_markup_in_a_plan_is_shown_as_text_and_never_runs(driver: WebDriver, server: ReviewServer, out: Path) -> None:
    open_queue(driver, server)
    open_plan(driver, HOSTILE)
    assert control(driver, f"{ENTRY}.text").get_attribute("value") == HOSTILE_ENTRY
    scripts = driver.execute_script("return [...document.scripts].map((s) => s.getAttribute('src'))")
    assert scripts and all(src and src.startswith("/static/") for src in scripts)  # only the app's own
    assert driver.execute_script("return document.querySelectorAll('img[onerror], [onerror], [onload]').length") == 0
    assert driver.execute_script("return window.__ran") == []
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    driver.find_element(By.ID, "save").click()  # the form sends back the plan it was given, unchanged
    assert status(driver, "Nothing changed") == "Nothing changed."
    assert not (out / f"{HOSTILE}.read.json").exists() and journal(out) == []


def test_a_pdf_plan_shows_its_pages_and_where_a_field_came_from(driver: WebDriver, server: ReviewServer, out: Path) -> None:
    origins = read_json(out / f"{PDF}.origins.json")
    place = origins["fields"][ENTRY]
    size = next(p for p in origins["pages"] if p["number"] == place["page"])
    open_queue(driver, server)
    open_plan(driver, PDF)
    pages = driver.find_elements(By.CSS_SELECTOR, "#pages .page[data-page]")
    assert len(pages) == len(origins["pages"])

    control(driver, f"{ENTRY}.text").click()  # a field with an origin
    highlight = shown(driver, f"#pages .page[data-page='{place['page']}'] #highlight", "no highlight over the page image")
    image = driver.find_element(By.CSS_SELECTOR, f"#pages .page[data-page='{place['page']}'] img")
    wait_for(driver, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image), "the page image did not load")
    natural = driver.execute_script("return [arguments[0].naturalWidth, arguments[0].naturalHeight]", image)
    assert abs(natural[0] / natural[1] - size["width"] / size["height"]) < 0.01  # the page, rendered
    box = driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", image)
    mark = driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", highlight)
    x0, top, x1, bottom = place["box"]
    scale_x, scale_y = box["width"] / size["width"], box["height"] / size["height"]
    expected = {
        "left": box["left"] + x0 * scale_x, "top": box["top"] + top * scale_y,
        "right": box["left"] + x1 * scale_x, "bottom": box["top"] + bottom * scale_y,
    }
    for side, at in expected.items():
        assert abs(mark[side] - at) < 2.0, (side, mark, expected)
    keep_screenshot(driver)


def keep_screenshot(driver: WebDriver) -> None:
    """The page at 1280x800 as a PNG; kept where MSP_CONVERT_SCREENSHOT says (the README's docs/review.png)."""
    png = driver.get_screenshot_as_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (WIDTH, HEIGHT)
    target = os.environ.get(SCREENSHOT)
    if target:
        (REPO / target).write_bytes(png)


def test_keys_move_through_the_queue_and_plans_and_approve(driver: WebDriver, server: ReviewServer, out: Path) -> None:
    open_queue(driver, server)
    names = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#queue tr.plan-row a.open")]
    assert driver.find_element(By.CSS_SELECTOR, "#queue tr.plan-row.selected a.open").text == names[0]
    driver.find_element(By.TAG_NAME, "body").send_keys("j")
    assert driver.find_element(By.CSS_SELECTOR, "#queue tr.plan-row.selected a.open").text == names[1]
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ENTER)
    ready(driver)
    assert driver.find_element(By.ID, "plan-file").text == names[1]
    driver.find_element(By.TAG_NAME, "body").send_keys("a")
    review_state(driver, "approved")
    assert read_json(out / ".msp-convert" / "review.json")["plans"][names[1]]["review"] == "approved"
    driver.find_element(By.TAG_NAME, "body").send_keys("j")
    wait_for(driver, lambda d: d.find_element(By.ID, "plan-file").text == names[2], "j did not open the next plan")
    ready(driver)
    driver.find_element(By.TAG_NAME, "body").send_keys("k")  # the plan approved went to the queue's end: the first is before
    wait_for(driver, lambda d: d.find_element(By.ID, "plan-file").text == names[0], "k did not open the previous plan")


def test_a_wrong_value_is_shown_at_its_field_and_nothing_is_written(driver: WebDriver, server: ReviewServer, out: Path) -> None:
    name = f"{WORD}.json"
    before = (out / name).read_bytes()
    open_queue(driver, server)
    open_plan(driver, WORD)
    replace_text(driver, "reviews[0].date", "the twelfth of March")
    driver.find_element(By.ID, "save").click()
    status(driver, "Not saved")
    refused = "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    assert [e.split(" - ", 1)[1] for e in console_errors(driver)] == [refused]  # the save's answer, nothing else
    error = shown(driver, "#plan-form .field-error[data-error-path='reviews[0].date']", "the problem is not shown at its field")
    assert error.text and "twelfth" not in error.text  # what is wrong, never the value
    assert "invalid" in str(control(driver, "reviews[0].date").get_attribute("class"))
    assert [a.get_attribute("data-goto") for a in driver.find_elements(By.CSS_SELECTOR, "#errors a.goto")] == ["reviews[0].date"]
    assert (out / name).read_bytes() == before and journal(out) == [] and not (out / f"{WORD}.read.json").exists()
    review_state(driver, "")
    replace_text(driver, "reviews[0].date", "2019-03-13")  # put right, it saves
    driver.find_element(By.ID, "save").click()
    assert status(driver, "Saved") == f"Saved: {len(journal(out))} change(s)."
    assert read_json(out / name)["reviews"][0]["date"] == "2019-03-13"
    assert not driver.find_elements(By.CSS_SELECTOR, "#plan-form .field-error")


def test_the_weekly_cost_follows_the_resources_as_they_are_typed(driver: WebDriver, server: ReviewServer, out: Path) -> None:
    open_queue(driver, server)
    open_plan(driver, WORD)
    assert cost_shown(driver, "£22.50")
    replace_text(driver, "provision[1].resources[0].text", "Speech therapist 1.5 hrs/wk @ £45.50/hr")
    assert cost_shown(driver, "£68.25")  # hours a week times the rate, before anything is saved
    driver.find_element(By.ID, "save").click()
    status(driver, "Saved")
    assert read_json(out / f"{WORD}.json")["provision"][1]["weekly_cost_gbp"] == 68.25  # the model's own count agrees
    assert cost_shown(driver, "£68.25")


def cost_shown(driver: WebDriver, money: str) -> bool:
    """Provision row 2's weekly cost shows ``money`` (it may be counted a moment after the typing)."""
    cost = "#plan-form output[data-path='provision[1].weekly_cost_gbp']"
    return bool(wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, cost).text == money, f"the weekly cost never showed {money}"))


def test_a_word_plan_is_shown_as_its_pages_and_its_warning_leads_to_its_field(driver: WebDriver, server: ReviewServer, out: Path) -> None:
    open_queue(driver, server)
    open_plan(driver, WORD)
    image = shown(driver, "#pages .page[data-page='1'] img", "no page image of the Word plan")
    wait_for(driver, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image), "the page image did not load")
    assert len(list((out / ".msp-convert" / "pages").glob("*.pdf"))) == 1  # converted once by LibreOffice, kept
    assert len(driver.find_elements(By.CSS_SELECTOR, "#pages .page[data-page]")) > 1
    link = driver.find_element(By.CSS_SELECTOR, "#warnings li[data-code='unmapped-text'] a.goto")
    assert link.get_attribute("data-goto") == "unmapped[0]"
    link.click()
    focused = driver.switch_to.active_element
    assert driver.execute_script("return arguments[0].closest('[data-path]').dataset.path", focused).startswith("unmapped[0]")
    assert focused.get_attribute("value") == read_json(out / f"{WORD}.json")["unmapped"][0]["text"]


FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(async (r) => done([r.status, r.headers.get('content-type'), [...new Uint8Array(await r.arrayBuffer()).slice(0, 2)]]))
  .catch((e) => done([0, String(e), []]));
"""


def test_a_plan_s_findings_and_word_documents(driver: WebDriver, server: ReviewServer, out: Path) -> None:
    open_queue(driver, server)
    open_plan(driver, PDF)
    driver.find_element(By.ID, "check").click()
    title = wait_for(driver, lambda d: (t := d.find_element(By.CSS_SELECTOR, "#findings h2").text).startswith("Check: ") and "working" not in t and t,
                     "no findings")
    count = len(driver.find_elements(By.CSS_SELECTOR, "#findings li.finding"))
    assert title.startswith(f"Check: {count} finding(s)")
    for link in ("download-new", "download-as-is"):
        href = driver.find_element(By.ID, link).get_attribute("href")
        code, kind, start = driver.execute_async_script(FETCH, href)
        assert (code, kind, bytes(start)) == (200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK")
