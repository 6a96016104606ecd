"""``msp-convert review``: a local web page where a person checks and corrects each plan beside its original.

``serve`` opens the plans (``store``), makes a token, starts uvicorn on
127.0.0.1, prints ``Review at http://127.0.0.1:PORT/?token=TOKEN`` as the
first line of standard output and opens the browser. The server logs no
request lines (uvicorn's access log is off) and nothing of a plan.
"""

from __future__ import annotations

import os
import socket
import sys
import webbrowser
from pathlib import Path
from typing import Callable, Optional

from .store import Store, default_reviewer, open_store

HOST = "127.0.0.1"

__all__ = ["serve", "open_store", "default_reviewer", "free_port", "review_url", "server_config"]


def free_port() -> int:
    """A port no one listens on now (the system's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# Browsers that take over the terminal the server runs in: never started for it.
CONSOLE_BROWSERS = frozenset({"www-browser", "links", "links2", "elinks", "lynx", "w3m"})


def _open_browser(url: str) -> bool:
    """The system's browser on ``url``, unless it is none or one that runs in this terminal."""
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    if os.path.basename(str(getattr(browser, "name", ""))) in CONSOLE_BROWSERS:
        return False
    try:
        return bool(browser.open(url))
    except OSError:
        return False


def review_url(port: int, token: str) -> str:
    return f"http://{HOST}:{port}/?token={token}"


def server_config(store: Store, port: int, reviewer: str, token: str):  # type: ignore[no-untyped-def]
    """uvicorn's configuration: loopback, no access log, warnings only (paths hold ids; no line holds a plan)."""
    import uvicorn

    from .app import make_app

    app = make_app(store, token, port, reviewer)
    return uvicorn.Config(app, host=HOST, port=port, access_log=False, log_level="warning", server_header=False, lifespan="off")


def serve(
    path: Path, *, port: Optional[int] = None, open_browser: bool = True, reviewer: Optional[str] = None,
    original: Optional[Path] = None, originals: Optional[Path] = None, say: Callable[[str], None] = print,
) -> None:
    """Serve the review page for ``path`` (a batch's output folder, or one plan's .json) until Ctrl-C.

    ``InputError`` for a path that is neither; ``OSError`` when the port is taken.
    """
    import uvicorn

    from .security import new_token

    store = open_store(path, original=original, originals=originals)
    token = new_token()
    port = port or free_port()
    server = uvicorn.Server(server_config(store, port, reviewer or default_reviewer(), token))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((HOST, port))  # before the address is printed: a taken port fails here, in one line
    sock.listen(128)  # and a browser opened at once is not refused before uvicorn starts
    say(f"Review at {review_url(port, token)}")
    sys.stdout.flush()
    if open_browser and not _open_browser(review_url(port, token)):
        print("msp-convert: no browser could be opened here; open the address above in one", file=sys.stderr)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
