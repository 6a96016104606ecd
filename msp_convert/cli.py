"""The ``msp-convert`` command: thin click wrappers around the library.

Messages name the file and the section, never what the plan says: these
documents are about children.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path
from typing import Optional

import click

from . import __version__
from .errors import InputError
from .model import Plan, schema_text
from .reader import read_result
from .writers.json import to_json


def _fail(name: str, message: str) -> "click.exceptions.Exit":
    click.echo(f"msp-convert: {name}: {message}", err=True)
    return click.exceptions.Exit(1)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a private temporary file and a rename.

    A reader of ``path`` sees the old file or the whole new one, never half; a
    failure leaves no temporary file behind.
    """
    fd, tmp = tempfile.mkstemp(prefix=".msp-convert-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def summarise(plan: Plan, name: str, verbose: bool) -> None:
    """Warnings on stderr: counts and sections; the full messages with -v."""
    if not plan.warnings:
        return
    counts = Counter(w.code for w in plan.warnings)
    wheres: dict[str, list[str]] = {}
    for w in plan.warnings:
        if w.where and w.where not in wheres.setdefault(w.code, []):
            wheres[w.code].append(w.where)
    parts = []
    for code, count in counts.items():
        places = wheres.get(code)
        parts.append(f"{code} x{count}" + (f" ({', '.join(places)})" if places else ""))
    click.echo(f"msp-convert: {name}: {len(plan.warnings)} warning(s): " + "; ".join(parts), err=True)
    if verbose:
        for w in plan.warnings:
            click.echo(f"  - {w.code}" + (f" [{w.where}]" if w.where else "") + f": {w.message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="msp-convert")
def main() -> None:
    """Read completed My Support Plans into canonical JSON."""


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here (atomically) instead of to standard output.")
@click.option("--to", "to", type=click.Choice(["json"]), default="json", show_default=True, help="Output format.")
@click.option("--force", is_flag=True, help="Convert a document that does not look like a plan, keeping its text in 'unmapped'.")
@click.option("--password", "ask_password", is_flag=True, help="Ask for the password of an encrypted PDF (never given on the command line).")
@click.option("--password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Read the password of an encrypted PDF from the first line of this file.")
@click.option("-v", "--verbose", is_flag=True, help="Every warning in full, and a traceback on errors.")
@click.option("-q", "--quiet", is_flag=True, help="Nothing on standard error but errors.")
def convert(
    input_path: Path, output: Optional[Path], to: str, force: bool,
    ask_password: bool, password_file: Optional[Path], verbose: bool, quiet: bool,
) -> None:
    """Convert one plan (.docx or .pdf) to the canonical JSON."""
    name = input_path.name
    password = _password(ask_password, password_file)
    if output is not None and output.resolve() == input_path.resolve():
        raise click.UsageError("the output would overwrite the input; choose another -o")
    if not input_path.exists():
        raise _fail(name, "no such file; check the path")
    try:
        result = read_result(input_path, force=force, password=password)
    except InputError as err:
        if verbose:
            traceback.print_exc()
        raise _fail(name, err.message)
    except OSError as err:
        raise _fail(name, f"could not be read ({err.strerror or type(err).__name__}); check it exists and you may read it")
    except Exception as err:  # a bug of ours: say so without spilling content
        if verbose:
            traceback.print_exc()
        raise _fail(name, f"internal error while reading ({type(err).__name__}); run again with -v and report it")
    plan = result.value
    text = to_json(plan)
    if not quiet:
        for notice in result.messages:
            click.echo(f"msp-convert: {name}: {notice.message}", err=True)
        summarise(plan, name, verbose)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomically(output, text)
    except OSError as err:
        raise _fail(output.name, f"could not be written ({err.strerror or type(err).__name__}); check the folder exists and is writable")


def _password(ask: bool, path: Optional[Path]) -> Optional[str]:
    """A password from a file or the terminal: never from the command line itself,
    where other users' process lists and the shell's history would see it."""
    if path is not None:
        return path.read_text(encoding="utf-8").splitlines()[0] if path.stat().st_size else ""
    if ask:
        if not sys.stdin.isatty():
            raise click.UsageError("--password asks on a terminal; in a script use --password-file FILE")
        return click.prompt("Password", hide_input=True, err=True)
    return None


@main.command()
def schema() -> None:
    """Print the JSON Schema of the canonical model."""
    click.echo(schema_text(), nl=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
