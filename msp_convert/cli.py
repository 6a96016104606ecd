"""The ``msp-convert`` command: thin click wrappers around the library.

Messages name the file and the section, never what the plan says: these
documents are about children.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

import click

from .version import __version__
from .atomic import shown, write_problem
from .errors import InputError
from .model import Plan, schema_text
from .reader import PlanJsonError, read_all_result, read_result
from .template import Profile, ProfileError, choose, describe_profiles
from .writers.json import to_json

if TYPE_CHECKING:
    from .batch import ReportRow
    from .results import Result


def _say(line: str) -> None:
    """One line on standard error, names in it escaped (a name may hold a newline or ESC)."""
    click.echo(f"msp-convert: {shown(line)}", err=True)


def _fail(name: str, message: str) -> "click.exceptions.Exit":
    _say(f"{name}: {message}")
    return click.exceptions.Exit(1)


def summarise(plan: Plan, name: str, verbose: bool, verdict: bool = False) -> None:
    """Warnings on stderr: counts and sections; the full messages with -v. With ``verdict``,
    the line starts with ``verdict_line`` (and is given even for a plan with no warnings)."""
    head = f"{name}: {verdict_line(plan)}" if verdict else name
    if not plan.warnings:
        if verdict:
            _say(head)
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
    _say(f"{head}{'; ' if verdict else ': '}{len(plan.warnings)} warning(s): " + "; ".join(parts))
    if verbose:
        for w in plan.warnings:
            click.echo(shown(f"  - {w.code}" + (f" [{w.where}]" if w.where else "") + f": {w.message}"), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="msp-convert")
def main() -> None:
    """Read completed My Support Plans into canonical JSON."""


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here (atomically) instead of to standard output.")
@click.option("--to", "to", type=click.Choice(["json", "docx"]), default="json", show_default=True, help="Output format: the model's JSON, or a Word document laid out like the template.")
@click.option("--mode", type=click.Choice(["new", "as-is"]), default=None, help="new: the new plan of the third review (nothing withdrawn, no review history, plan number + 1); as-is: the plan as it stands. Default: new for --to docx, as-is for --to json.")
@click.option("--renumber", is_flag=True, help="With --mode new: number the outcomes 1..n in order, provision following its outcome.")
@click.option("--force", is_flag=True, help="Convert a document that does not look like a plan, keeping its text in 'unmapped'.")
@click.option("--template", "template", metavar="ID|FILE", help="Read with this template profile (an id from 'msp-convert templates', or a profile's .toml file) instead of the one the document matches best.")
@click.option("--password", "ask_password", is_flag=True, help="Ask for the password of an encrypted PDF (never given on the command line).")
@click.option("--password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Read the password of an encrypted PDF from the first line of this file.")
@click.option("--redact", is_flag=True, help="Write a redacted copy: the child, family, staff, school, dates of birth, numbers and contacts replaced by keyed pseudonyms and placeholders.")
@click.option("--key-file", metavar="FILE", type=click.Path(path_type=Path), help="With --redact: the secret key (from 'msp-convert new-key FILE') that makes pseudonyms match across runs.")
@click.option("-v", "--verbose", is_flag=True, help="Every warning in full, and a traceback on errors.")
@click.option("-q", "--quiet", is_flag=True, help="Nothing on standard error but errors.")
def convert(
    input_path: Path, output: Optional[Path], to: str, mode: Optional[str], renumber: bool, force: bool, template: Optional[str],
    ask_password: bool, password_file: Optional[Path], redact: bool, key_file: Optional[Path], verbose: bool, quiet: bool,
) -> None:
    """Convert one plan to the canonical JSON or to a Word document.

    INPUT is a plan's file (.docx, .doc, .rtf, .odt, .pdf, a scan as .jpg,
    .png or .tif, or a plan's .json), or a folder of one plan's scanned pages
    (page-1.jpg, page-2.jpg...).
    """
    name = input_path.name
    mode = mode or ("new" if to == "docx" else "as-is")
    if renumber and mode != "new":
        raise click.UsageError("--renumber makes a new plan; it does not go with --mode as-is")
    password = _password(ask_password, password_file)
    if output is not None and output.resolve() == input_path.resolve():
        raise click.UsageError("the output would overwrite the input; choose another -o")
    if to == "docx" and output is None and sys.stdout.isatty():
        raise click.UsageError("a Word document is not for the terminal; give -o FILE.docx")
    if not input_path.exists():
        raise _fail(name, "no such file; check the path")
    profile = _profile(template)
    key = _redaction_key(redact, key_file, quiet)
    plans = _read_or_fail(input_path, verbose, read_all_result, force=force, password=password, profile=profile).value
    if key is not None:  # in memory, before anything is written
        plans = _redacted(plans, key, name, verbose)
    if not quiet:  # the notices about the file are among each plan's warnings
        for k, plan in enumerate(plans, 1):
            shown_as = name if len(plans) == 1 else f"{name} (plan {k} of {len(plans)})"
            summarise(plan, shown_as, verbose, verdict=True)
    if output is None:
        _to_stdout(_rendered(plans[0], to, mode, renumber, name, verbose, profile))
        if len(plans) > 1 and not quiet:
            _say(f"{name}: holds {len(plans)} plans; only plan 1 was written; give -o FILE to write each (FILE, FILE-2 ...)")
        return
    _write_plans(input_path, output, [_rendered(plan, to, mode, renumber, name, verbose, profile) for plan in plans], quiet)


def _redaction_key(redact: bool, key_file: Optional[Path], quiet: bool, batch: bool = False) -> Optional[bytes]:
    """--redact's key: the key file's, or one made for this run (said on stderr); None without --redact."""
    from .batch.redaction import NO_KEY_FILE, NO_RESUME, available, run_key

    if not redact:
        if key_file is not None:
            raise click.UsageError("--key-file goes with --redact")
        return None
    try:
        available()
    except InputError as err:
        _say(err.message)
        raise click.exceptions.Exit(1)
    try:
        key = run_key(key_file)
    except InputError as err:
        raise _fail(key_file.name if key_file is not None else "--key-file", err.message)
    if key_file is None and not quiet:
        _say(NO_RESUME if batch else NO_KEY_FILE)
    return key


def _redacted(plans: "list[Plan]", key: bytes, name: str, verbose: bool) -> "list[Plan]":
    """The plans redacted (``batch.redaction``); with -v, what was replaced."""
    from .batch.redaction import counts_line, facts, redact_plans, totals

    try:
        done = redact_plans(plans, key)
    except InputError as err:  # the word list missing, presidio giving up on a text: one line, what to do
        raise _fail(name, err.message) from None
    except Exception as err:  # a bug of ours: one line, no content, nothing written
        if verbose:
            traceback.print_exc()
        raise _fail(name, f"internal error while redacting ({type(err).__name__}); nothing was written; run again with -v and report it")
    if verbose:
        counted = [facts(d) for d in done]
        _say(f"{name}: {counts_line(totals(c['redactions'] for c in counted), sum(c['uncertain'] for c in counted))}")
    return [d.plan for d in done]


def _profile(spec: Optional[str]) -> "Optional[Profile]":
    """The profile --template names, or one line and exit 1."""
    try:
        return choose(spec)
    except ProfileError as err:
        raise _fail(spec or "--template", err.message)


def _rendered(plan: Plan, to: str, mode: str, renumber: bool, name: str, verbose: bool, profile: "Optional[Profile]" = None) -> "str | bytes":
    """The plan as the JSON or Word document asked for, on its own form (``profile``: the one
    --template gave, else the plan's template.id); one line if that fails (a bug of ours)."""
    try:
        if to == "docx":
            from .writers.docx import write_docx

            return write_docx(plan, mode=mode, renumber=renumber, profile=profile)  # type: ignore[arg-type]
        if mode == "new":
            from .mapping.coverage import recount
            from .writers.docx.newplan import new_plan

            return to_json(recount(new_plan(plan, renumber=renumber, profile=profile)))  # what the new plan holds, counted again
        return to_json(plan)
    except Exception as err:  # a bug of ours: say so without spilling content
        if verbose:
            traceback.print_exc()
        raise _fail(name, f"internal error while writing ({type(err).__name__}); run again with -v and report it")


def _to_stdout(data: "str | bytes") -> None:
    if isinstance(data, bytes):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        click.echo(data, nl=False)


def _write_plans(input_path: Path, output: Path, datas: "list[str | bytes]", quiet: bool) -> None:
    """OUTPUT, and for a file of several plans OUTPUT-2, OUTPUT-3 ...: all written, or none."""
    from .batch.outputs import numbered, write_all

    targets = numbered(output, len(datas))
    if any(t.resolve() == input_path.resolve() for t in targets[1:]):
        raise click.UsageError("the output of a later plan (OUTPUT-2 ...) would overwrite the input; choose another -o")
    try:
        write_all(list(zip(targets, datas)))
    except OSError as err:
        raise _fail(output.name, write_problem(err, output.parent))
    if len(datas) > 1 and not quiet:
        _say(f"{input_path.name}: {len(datas)} plans written: {', '.join(t.name for t in targets)}")


# The places a verdict line names before it counts the rest.
SHOWN_PLACES = 6


def verdict_line(plan: Plan) -> str:
    """"read as partial: 71 % placed, 3 unknown headings; a person should look at: section 2, section 5 outcomes".

    Places come from the ``where`` of the unknown-heading and unmapped-text warnings,
    never from a heading's text: a heading a school added may name the child.
    """
    coverage = plan.coverage
    if coverage.verdict == "not-a-plan":
        return "read as not-a-plan: none of the template was found; all its text is kept in 'unmapped'"
    share = f"{100 * coverage.placed // coverage.words} % placed" if coverage.words else "nothing written to place"
    unknown = sum(1 for w in plan.warnings if w.code == "unknown-heading")
    line = f"read as {coverage.verdict}: {share}" + (f", {unknown} unknown heading{'s' if unknown != 1 else ''}" if unknown else "")
    places = list(dict.fromkeys(w.where for w in plan.warnings if w.code in ("unknown-heading", "unmapped-text") and w.where))
    if coverage.verdict == "complete" or not places:
        return line + ("; a person should read it" if coverage.verdict == "other-layout" else "")
    rest = len(places) - SHOWN_PLACES
    return f"{line}; a person should look at: {', '.join(places[:SHOWN_PLACES])}" + (f" and {rest} more" if rest > 0 else "")


def _read_or_fail(path: Path, verbose: Optional[bool], reader: Optional[Callable[..., "Result[Any]"]] = None, **options: object) -> "Result[Any]":
    """``read_result(path)`` (or another ``reader``: ``read_all_result``), or exit 1 after one line saying why not (for a JSON plan, its
    first ``PlanJsonError.SHOWN`` problems follow, one a line, and a count of the rest).

    ``verbose``: -v was given, and a traceback goes with an error; None for a
    command without -v, which never shows one.
    """
    name = path.name
    try:
        return (reader or read_result)(path, **options)
    except PlanJsonError as err:
        _say(f"{name}: {err.message}")
        for line in err.shown():  # the place in the JSON, and what is wrong there; never the value
            _say(f"{name}: {line}")
        raise click.exceptions.Exit(1)
    except InputError as err:
        if verbose:
            traceback.print_exc()
        raise _fail(name, err.message)
    except OSError as err:
        raise _fail(name, f"could not be read ({err.strerror or type(err).__name__}); check it exists and you may read it")
    except Exception as err:  # a bug of ours: say so without spilling content
        if verbose:
            traceback.print_exc()
        again = "run again with -v and report it" if verbose is not None else "please report it"
        raise _fail(name, f"internal error while reading ({type(err).__name__}); {again}")


class _ProgressLine:
    """Files done, failed, rate and time left: one line redrawn on a terminal,
    a plain line per file otherwise. Paths only, never plan content."""

    def __init__(self, terminal: bool) -> None:
        self.terminal = terminal
        self.start = time.monotonic()
        self.failed = 0

    def __call__(self, row: "ReportRow", done: int, total: int) -> None:
        self.failed += row.status == "failed"
        if not self.terminal:
            click.echo(shown(f"[{done}/{total}] {row.path}: {row.status}" + (f" ({row.error})" if row.error and row.status == "failed" else "")), err=True)
            return
        elapsed = max(time.monotonic() - self.start, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0
        click.echo(f"\r{done}/{total} done, {self.failed} failed, {rate:.1f} files/s, {int(left // 60)}:{int(left % 60):02d} left ", err=True, nl=False)
        if done == total:
            click.echo("", err=True)


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
@click.argument("in_dir", metavar="IN_DIR", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the outputs and the report (mirrors IN_DIR).")
@click.option("--jobs", type=click.IntRange(1, 256), default=None, help="Worker processes (default: the machine's cores).")
@click.option("--timeout", type=click.FloatRange(1, None), default=120.0, show_default=True, help="Seconds one file (a scan: one page of it) may take before its worker is stopped.")
@click.option("--force", is_flag=True, help="Convert everything again, not only what changed since the last run, writing over plans a person corrected or approved (review) too.")
@click.option("--retry-failed", is_flag=True, help="Convert again the files an earlier run failed on or stopped for taking too long (otherwise reported as failed again, unchanged).")
@click.option("--to", "to", type=click.Choice(["json", "docx"]), default="json", show_default=True, help="Each plan's JSON, or its new-plan Word document.")
@click.option("--tables", is_flag=True, help="Also write plans.csv, outcomes.csv, provision.csv and reviews.csv across the batch.")
@click.option("--password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Password for encrypted PDFs, from this file's first line.")
@click.option("--template", "template", metavar="ID|FILE", help="Read every plan with this template profile instead of the one each matches best.")
@click.option("--scheduler", metavar="ADDRESS|local:N", help="Convert on a Dask cluster: its scheduler's address (tcp://HOST:8786), or local:N for N local worker processes (needs msp-convert[cluster]).")
@click.option("--redact", is_flag=True, help="Redacted copies only, named plan-XXXXXXXXXX by a keyed hash (no input's name in OUT_DIR, not even in the report); no origins files.")
@click.option("--key-file", metavar="FILE", type=click.Path(path_type=Path), help="With --redact: the secret key (from 'msp-convert new-key FILE'): pseudonyms match across runs, and a rerun resumes; an OUT_DIR made with another key is refused (--force removes its copies first).")
@click.option("--link-file", type=click.Path(dir_okay=False, path_type=Path), help="With --redact: also write which output came from which input to this CSV (outside OUT_DIR: it names the inputs).")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary.")
def batch(
    in_dir: Path, out_dir: Path, jobs: Optional[int], timeout: float, force: bool, retry_failed: bool,
    to: str, tables: bool, password_file: Optional[Path], template: Optional[str], scheduler: Optional[str],
    redact: bool, key_file: Optional[Path], link_file: Optional[Path], quiet: bool,
) -> None:
    """Convert every plan under IN_DIR into OUT_DIR, with report.csv and report.json."""
    from .batch import BatchOptions, OutputError, run_batch
    from .batch.cluster import ClusterError, fetch_direct, local_workers
    from .batch.redaction import LinkFileError

    if link_file is not None and not redact:
        raise click.UsageError("--link-file goes with --redact")
    options = BatchOptions(
        in_dir, out_dir, timeout=timeout, force=force, tables=tables, password=_password(False, password_file), to=to, retry_failed=retry_failed,
        template=template, link_file=link_file,
    )
    _profile(template)  # a wrong --template is one line before any file is read
    options.key = _redaction_key(redact, key_file, quiet, batch=True)
    try:
        if scheduler is not None:
            local_workers(scheduler)  # a malformed --scheduler too
            fetch_direct()  # and a malformed MSP_CONVERT_DASK_DIRECT, before any file is read
    except ClusterError as err:
        raise click.UsageError(err.message) from None
    if jobs:
        options.jobs = jobs
    progress = None if quiet else _ProgressLine(sys.stderr.isatty())
    try:
        result = run_batch(options, progress, scheduler, notice=_say, key_file=key_file)  # notice: copies removed, even with -q
    except LinkFileError as err:  # checked there, before OUT_DIR is made or any file read
        raise click.UsageError(err.message) from None
    except (OutputError, ClusterError) as err:  # the message names the output folder, or the scheduler
        _say(err.message)
        raise click.exceptions.Exit(1)
    except InputError as err:
        raise _fail(in_dir.name or str(in_dir), err.message)
    _say(f"{result.summary()}; report in {out_dir / 'report.csv'}")
    if result.stopped:
        _say(f"stopped: {result.stopped}")
    if result.interrupted:
        raise click.exceptions.Exit(130)
    raise click.exceptions.Exit(0 if result.ok else 1)


@main.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="The findings as JSON instead of text.")
@click.option("--min-reviews", type=click.IntRange(0, 3), default=2, show_default=True, help="Dated R1-R3 reviews a request needs (forms reviewed by review tables; a York plan is reviewed by its dates).")
@click.option("--weeks", type=click.IntRange(1, 52), default=38, show_default=True, help="School weeks in a year, for the yearly cost.")
@click.option("--threshold", type=click.FloatRange(0, None), default=6000.0, show_default=True, help="The notional SEN threshold in pounds a year.")
@click.option("--evidence", "evidence_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), help="Folder of the documents Section 7 lists.")
@click.option("--password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Password of an encrypted PDF, from this file's first line.")
def check(plan_path: Path, as_json: bool, min_reviews: int, weeks: int, threshold: float, evidence_dir: Optional[Path], password_file: Optional[Path]) -> None:
    """Is PLAN ready to go with an EHC needs assessment request? Exit 0 if so, 1 if not."""
    from decimal import Decimal

    from .ehc.check import check_plan, to_text

    plan = _read_or_fail(plan_path, None, password=_password(False, password_file)).value
    try:
        readiness = check_plan(plan, min_reviews=min_reviews, weeks=weeks, threshold=Decimal(str(threshold)), evidence_dir=evidence_dir)
    except Exception as err:  # a bug of ours: one line, as for reading (check has no -v for a traceback)
        raise _fail(plan_path.name, f"internal error while checking ({type(err).__name__}); please report it")
    if as_json:
        click.echo(json.dumps(readiness.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(to_text(readiness, shown(plan_path.name)), nl=False)
    raise click.exceptions.Exit(0 if readiness.ready else 1)


@main.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--evidence", "evidence_dir", required=True, type=click.Path(file_okay=False, exists=True, path_type=Path), help="Folder of the documents Section 7 lists.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The ZIP to write (atomically).")
@click.option("--map", "map_file", type=click.Path(dir_okay=False, exists=True, path_type=Path), help='JSON or CSV settling matches: "education 2" -> a file in the evidence folder ("" for none).')
@click.option("--min-reviews", type=click.IntRange(0, 3), default=2, show_default=True, help="Dated R1-R3 reviews a request needs (forms reviewed by review tables; a York plan is reviewed by its dates).")
@click.option("--weeks", type=click.IntRange(1, 52), default=38, show_default=True, help="School weeks in a year, for the yearly cost.")
@click.option("--threshold", type=click.FloatRange(0, None), default=6000.0, show_default=True, help="The notional SEN threshold in pounds a year.")
@click.option("--timeout", type=click.FloatRange(1, None), default=120.0, show_default=True, help="Seconds LibreOffice may take over one document.")
@click.option("--password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Password of an encrypted PDF plan, from this file's first line.")
def bundle(
    plan_path: Path, evidence_dir: Path, output: Path, map_file: Optional[Path], min_reviews: int,
    weeks: int, threshold: float, timeout: float, password_file: Optional[Path],
) -> None:
    """Write one ZIP for an EHC needs assessment request: the plan, its evidence, the readiness report and bundle.pdf."""
    from decimal import Decimal

    from .ehc.bundle import BundleOptions, check_output, make_bundle

    options = BundleOptions(
        plan_path, evidence_dir, output, map_file=map_file, password=_password(False, password_file),
        min_reviews=min_reviews, weeks=weeks, threshold=Decimal(str(threshold)), timeout=timeout,
    )
    try:
        check_output(options)  # before the plan is read: a scan takes a while
    except InputError as err:
        raise _fail(getattr(err, "name", None) or output.name, err.message)
    plan = _read_or_fail(plan_path, None, password=options.password).value  # ehc reads no plans: it is given one
    try:
        result = make_bundle(options, plan)
    except InputError as err:
        raise _fail(getattr(err, "name", None) or plan_path.name, err.message)
    except Exception as err:  # a bug of ours: say so without spilling content
        raise _fail(plan_path.name, f"internal error while bundling ({type(err).__name__}); please report it")
    summarise(plan, plan_path.name, verbose=False)  # the plan's warnings, as convert gives them
    for line in result.messages():
        _say(line)


@main.command()
@click.argument("path", metavar="PATH", type=click.Path(exists=True, path_type=Path))
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Serve on this port of 127.0.0.1 (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Print the address only; do not open a browser.")
@click.option("--reviewer", metavar="NAME", help="The name the review journal records for each change (default: your login name).")
@click.option("--original", type=click.Path(exists=True, path_type=Path), help="PATH is one plan's .json: the document it was read from (default: the file its source names, beside it).")
@click.option("--input", "originals", metavar="IN_DIR", type=click.Path(file_okay=False, exists=True, path_type=Path), help="PATH is a batch's output folder: the batch's IN_DIR, which holds the originals (default: the one report.json names).")
def review(path: Path, port: Optional[int], no_browser: bool, reviewer: Optional[str], original: Optional[Path], originals: Optional[Path]) -> None:
    """Check and correct plans beside their originals, in a local web page.

    PATH is a batch's output folder (its report.json lists the plans) or one
    plan's .json. The first line printed is the page's address, with its token.
    Ctrl-C stops the server.
    """
    from .review import serve

    try:
        serve(path, port=port, open_browser=not no_browser, reviewer=reviewer, original=original, originals=originals, say=click.echo)
    except InputError as err:
        raise _fail(path.name or str(path), err.message)
    except OSError as err:
        raise _fail(path.name or str(path), f"could not serve on port {port or 'chosen'} ({err.strerror or type(err).__name__}); choose another --port")


@main.command("new-key")
@click.argument("key_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
def new_key(key_file: Path) -> None:
    """Write a new secret key for --redact --key-file to FILE (readable by you only; never over a file).

    Keep it safe and apart from the redacted copies: with it, pseudonyms
    match across runs; whoever has it and an original can confirm a match.
    """
    from .batch.redaction import write_new_key

    try:
        write_new_key(key_file)
    except InputError as err:
        raise _fail(key_file.name, err.message)


@main.command()
def templates() -> None:
    """List the template profiles a plan can be read with, and what each recognises."""
    for line in describe_profiles():
        click.echo(line)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the canonical model."""
    click.echo(schema_text(), nl=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
