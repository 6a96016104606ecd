"""``python -m msp_convert`` is the ``msp-convert`` command."""

from .cli import main

main()
