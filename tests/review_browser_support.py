"""What the review page's browser tests stand on: a batch's output folder made from fixture plans, the
real ``msp-convert review`` server in a child process, and Debian's Chromium driven headless by selenium.

Chromium and chromedriver come from apt (``install.sh``); they are never optional: without them the tests
fail and say how to install them. Chromium runs with a fresh profile in a temporary folder, no network of
its own (no updates, no sync, no first-run pages) and a 1280x800 viewport, the size the page must be
usable at.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import Any, Callable, Optional

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
WIDTH, HEIGHT = 1280, 800
WAIT = 30.0  # seconds a page may take to show something (a PDF page rendered on a busy 2-core machine)
URL_LINE = re.compile(r"^Review at (http://127\.0\.0\.1:(\d+)/)\?token=([A-Za-z0-9_\-]+)$")

WORD = "01-eyfs-speech-language"  # a Word plan: a ticked box, an unmapped note, entries
PDF = "03-ks2-dyslexia"  # a PDF plan: page images and origins
HOSTILE = "02-hostile-text"  # a Word plan whose text holds markup
SCRIPT = "<script>alert(1)</script>"
IMAGE = '<img src="x" onerror="alert(2)">'
HOSTILE_ENTRY = f"Oliver has Down syndrome {SCRIPT} and global developmental delay {IMAGE}."


def executable(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/bin:/usr/lib/chromium")
    if not found:
        pytest.fail(f"{name} is not installed: run install.sh (it installs Debian's chromium and chromium-driver)")
    return found


# --- the batch's folders ------------------------------------------------------------------------


def hostile_docx(target: Path) -> None:
    """Plan 02 with markup typed into its first need (escaped in the XML, as Word writes what a person types)."""
    source = FIXTURES / "plans" / "02-ks1-down-syndrome.docx"
    original = "Oliver has Down syndrome and global developmental delay."
    escaped = HOSTILE_ENTRY.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as given, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as written:
        for item in given.infolist():
            data = given.read(item)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert text.count(original) == 1, "fixture 02 changed: pick another entry to make hostile"
                data = text.replace(original, escaped).encode("utf-8")
            written.writestr(item, data)
    target.write_bytes(buffer.getvalue())


def make_batch(root: Path) -> Path:
    """root/in (a Word plan, a PDF plan, a hostile Word plan) converted by ``batch`` into root/out."""
    from msp_convert.batch import BatchOptions, run_batch

    source = root / "in"
    source.mkdir(parents=True)
    shutil.copy(FIXTURES / "plans" / f"{WORD}.docx", source)
    shutil.copy(FIXTURES / "pdf" / f"{PDF}.pdf", source)
    hostile_docx(source / f"{HOSTILE}.docx")
    result = run_batch(BatchOptions(source, root / "out", jobs=1))
    assert result.ok and result.count("converted") == 3, result.summary()
    return root / "out"


def convert_word_pages(out: Path) -> None:
    """The Word plans' page PDFs made now, as the review server makes them (LibreOffice, a few seconds each),
    into ``out``'s cache, so that the tests that copy this folder do not each wait for them."""
    from msp_convert.review.pages import Pages

    pages = Pages(out / ".msp-convert")
    for name in (WORD, HOSTILE):
        assert pages.sizes(out.parent / "in" / f"{name}.docx")


def read_json(path: Path) -> Any:
    return json.loads(path.read_bytes())


def journal(out: Path) -> list[dict[str, Any]]:
    path = out / ".msp-convert" / "review-journal.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


# --- the server ---------------------------------------------------------------------------------


class ReviewServer:
    """``msp-convert review OUT --no-browser`` in a child process; ``url`` is its first line's address."""

    def __init__(self, out: Path, reviewer: str, *options: str) -> None:
        command = [sys.executable, "-m", "msp_convert", "review", str(out), "--no-browser", "--reviewer", reviewer, *options]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=out.parent)
        self.stderr = ""
        self._stderr = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr.start()
        line = self._first_line()
        match = URL_LINE.match(line)
        assert match, f"the first line is not the review address: {line!r}"
        self.base, self.port, self.token = match[1], int(match[2]), match[3]
        self.url = line.removeprefix("Review at ")
        self._listening()

    def _listening(self) -> None:
        """The port takes connections as soon as the address is printed (a browser opened at once is not refused)."""
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=WAIT).close()
        except OSError as err:
            pytest.fail(f"msp-convert review printed its address before listening ({err}; {self.stderr[-300:]!r})")

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        self.stderr = self.process.stderr.read()

    def _first_line(self) -> str:
        """The first line of standard output, within WAIT seconds."""
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append(self.process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(WAIT)
        if not lines:
            self.process.kill()
            pytest.fail("msp-convert review printed no address in time")
        return lines[0].rstrip("\n")

    def stop(self) -> int:
        """Ctrl-C, as a person stops it; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stderr.join(WAIT)
        return self.process.returncode


# --- the browser --------------------------------------------------------------------------------


def chromium(profile: Path) -> WebDriver:
    """Headless Chromium with a fresh profile, nothing fetched of its own, a 1280x800 viewport."""
    options = webdriver.ChromeOptions()
    options.binary_location = executable("chromium")
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable("chromedriver")))
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
    driver.implicitly_wait(0)
    return driver


def wait_for(driver: WebDriver, what: Callable[[WebDriver], Any], message: str, timeout: float = WAIT) -> Any:
    """``what`` until it gives something true; an element gone from a page drawn again (or left) is asked again."""
    return WebDriverWait(driver, timeout, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)).until(what, message)


def shown(driver: WebDriver, css: str, message: Optional[str] = None) -> WebElement:
    """The first element ``css`` finds that is displayed, waited for."""

    def find(d: WebDriver) -> Any:
        for element in d.find_elements("css selector", css):
            if element.is_displayed():
                return element
        return False

    return wait_for(driver, find, message or f"nothing shown matches {css}")


def console_errors(driver: WebDriver) -> list[str]:
    """The browser console's errors since the last call (a script's exception, a CSP refusal, a failed request)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
