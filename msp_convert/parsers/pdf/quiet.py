"""pdfminer's, pdfplumber's, pypdfium2's and pypdf's log records kept off standard error while a PDF is read.

pdfminer logs a warning for each odd operator it meets, quoting the file's
bytes (a child's name can be among them): one damaged PDF gave 1,401 lines.
The choice here is scoped, not global: one filter on those libraries'
loggers drops a record only while the current thread (or asyncio task) is
inside ``quiet()``. No level, handler or ``propagate`` flag is changed, so
the caller's own use of the same libraries, in another thread or at another
time, logs exactly as before.

A filter on a logger sees only records logged on that logger, not those
propagated from its children, so it goes on every logger under those names,
checked again on each entry (a library module imported late makes a new one).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

LIBRARIES = ("pdfminer", "pdfplumber", "pypdfium2", "pypdf")  # pypdf: the EHC bundle's evidence
_PREFIXES = tuple(name + "." for name in LIBRARIES)

_reading: ContextVar[bool] = ContextVar("msp_convert_reading_pdf", default=False)


class _WhileReading(logging.Filter):
    """Drops every record while msp-convert reads a PDF in this context."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _reading.get()


_FILTER = _WhileReading()
_known = -1  # size of the logger registry when the filter was last put on


def _install() -> None:
    global _known
    registry = logging.Logger.manager.loggerDict
    if len(registry) == _known:
        return
    names = {name for name in list(registry) if name.startswith(_PREFIXES)} | set(LIBRARIES)
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    _known = len(registry)


@contextmanager
def quiet() -> Iterator[None]:
    """Nothing the PDF libraries log inside this block reaches any handler."""
    _install()
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)
