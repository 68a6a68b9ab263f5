"""The command line: a thin click layer over the library; problems become clean messages."""

from __future__ import annotations

import functools
import os
import sys
from shlex import quote

import click

from .dates import ORDERS
from .events import EventLoader
from .invocation import command
from .private import UnsafeFolder
from .problems import InvalidData, counted, report, shown
from .schema import KINDS, STATUSES

DEFAULT_FILE = "events.csv"

events_file = click.argument("file", default=DEFAULT_FILE, type=click.Path(dir_okay=False, allow_dash=True))
ACTORS_FILE_HELP = "Actor aliases file (default: actors.csv next to FILE, if present)."


def actors_option(function):
    """``--actors-file FILE``, the name add and restore give it (their ``--actors`` is the event's
    actors); ``--actors FILE``, its old name in check, normalize, serve and export, still works, unlisted."""
    @functools.wraps(function)
    def merged(*args, old_actors_option=None, **kwargs):
        if old_actors_option is not None and kwargs.get("actors") is None:
            kwargs["actors"] = old_actors_option
        return function(*args, **kwargs)

    merged = click.option("--actors", "old_actors_option", type=click.Path(dir_okay=False), default=None,
                          hidden=True)(merged)
    return click.option("--actors-file", "actors", type=click.Path(dir_okay=False), default=None,
                        help=ACTORS_FILE_HELP)(merged)


def _echo(text: str, err: bool = False) -> None:
    """A message, its control characters escaped: text from a file's cells (or a file's name) must
    not clear the screen or set the clipboard, on a terminal or in a log."""
    click.echo(shown(text), err=err)


date_order_option = click.option(
    "--date-order", type=click.Choice(ORDERS, case_sensitive=False), default=None,
    callback=lambda ctx, param, value: value.upper() if value else None,
    help="How numeric dates such as 3/7/2022 are written: DMY (3 July), MDY (March 7) or YMD. "
         "Default: the file's unambiguous dates (24/2/2022, 2/24/2022) decide; day first when none do.",
)


def _name(file: str) -> str:
    return "<stdin>" if file == "-" else file


def _source(file: str):
    return sys.stdin.buffer if file == "-" else file


def load_or_exit(file: str, actors: str | None = None, date_order: str | None = None, *,
                 skip_invalid: bool | None = None):
    """The dataset, or every problem on stderr and exit 1.

    ``skip_invalid``: None, a file with errors exits; False, too, saying that --skip-invalid
    would give the valid rows when only rows have errors; True, those rows' dataset.
    """
    loader = EventLoader(actors, date_order=date_order, once=True)
    dataset, problems = loader.check(_source(file), _name(file), partial=skip_invalid is not None)
    refused = dataset is None or (dataset.partial and not skip_invalid)
    lines = report(_name(file), problems)
    for line in lines if refused else lines[:-1]:  # a verdict only for a file refused
        _echo(line, err=True)
    if refused:
        if dataset is not None:
            rows = len(dataset.left_out)
            _echo(f"{_name(file)}: --skip-invalid draws the other {len(dataset.frame):,} rows without "
                  f"the {rows:,} with errors; the figure's subtitle then says so", err=True)
        raise SystemExit(1)
    if dataset.partial:
        _echo(f"{_name(file)}: {dataset.left_out_note()}; the figure's subtitle says so", err=True)
    return dataset


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=None, version=__import__("timeline").__version__)
@click.pass_context
def cli(ctx: click.Context):
    """Diplomatic event timelines from a plain CSV file.

    With no command, serves events.csv as an interactive page (same as `serve`).
    """
    if ctx.invoked_subcommand is None:
        serve_command = ctx.command.get_command(ctx, "serve")
        if serve_command is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(serve_command)


@cli.command()
@events_file
@actors_option
@date_order_option
def check(file: str, actors: str | None, date_order: str | None):
    """Check FILE (default events.csv): every error and warning, then a summary.

    Exits 0 when the file is valid (warnings allowed), 1 when it is not.
    """
    loader = EventLoader(actors, date_order=date_order, keep_table=False, once=True)
    dataset, problems = loader.check(_source(file), _name(file))
    for line in report(_name(file), problems, len(dataset.frame) if dataset else None):
        _echo(line)
    global _all_said
    _all_said = True
    raise SystemExit(0 if dataset is not None else 1)


@cli.command()
@events_file
@actors_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@click.option("--safe-for-spreadsheets", is_flag=True,
              help="Write every cell that begins with =, +, -, @, a tab or a carriage return after a single "
                   "quote, so that a spreadsheet shows it as text instead of running it as a formula.")
@date_order_option
def normalize(file: str, actors: str | None, output: str | None, safe_for_spreadsheets: bool,
              date_order: str | None):
    """Write FILE as CSV with normalized start, end, precision and canonical actors.

    Every input column is kept. Problems go to stderr; an invalid file exits 1.
    """
    from .normalized import normalized_csv

    dataset = load_or_exit(file, actors, date_order)
    text = normalized_csv(dataset, safe_for_spreadsheets=safe_for_spreadsheets)
    if output:
        _write_or_exit(output, text)
    else:
        click.echo(text, nl=False)


def _write_or_exit(output: str, text: str) -> None:
    """``text`` as the whole of ``output``, replaced at once; a message and exit 1 when it cannot be."""
    from .safewrite import replace_file

    try:
        replace_file(output, text.encode("utf-8"))
    except OSError as error:
        _echo(f"error: {output}: cannot write: {error.strerror or error}", err=True)
        raise SystemExit(1)


@cli.command()
@events_file
@actors_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535))
@click.option("--debug/--no-debug", default=False, show_default=True, help="Dash's debug mode (reloader, dev tools).")
@click.option("--title", default=None, help="Page title (default: Diplomatic timeline).")
@date_order_option
def serve(file: str, actors: str | None, host: str, port: int, debug: bool, title: str | None,
          date_order: str | None = None):
    """Serve FILE (default events.csv) as an interactive timeline page.

    The page follows the file: rows editors append appear within seconds.
    """
    from .app import create_app
    from .events import EventLoader

    dataset, problems = EventLoader(actors, date_order=date_order).check(file, partial=True)
    for problem in problems:
        _echo(str(problem), err=True)
    if dataset is not None and dataset.partial:
        _echo(f"{file}: {dataset.left_out_note()}; the page shows the other rows (or the last valid version "
              "of the file, if it saw one) and these errors until the file is fixed", err=True)
    elif any(not p.warning for p in problems):
        _echo(f"{file}: serving anyway; the page shows these errors until the file is fixed", err=True)
    app = create_app(file, actors=actors, title=title, date_order=date_order)
    _echo(f"Serving {file} at http://{host}:{port}/  (Ctrl+C to stop)")
    app.run(host=host, port=port, debug=debug)


@cli.command()
@events_file
@actors_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write: .png, .svg, .pdf or .html, or .json for TimelineJS3 JSON of the view's events.")
@click.option("--actor", "actors_shown", multiple=True, help="Only events of this actor (repeat for several).")
@click.option("--match", type=click.Choice(["any", "all"]), default="any", show_default=True,
              help="Events of any of the actors, or of all of them.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this kind (repeatable).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES), help="Only this status (repeatable).")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Events ending on or after this day.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Events starting on or before this day.")
@click.option("--search", default="", help="Only events whose title or notes contain this text.")
@click.option("--lanes", type=click.Choice(["states", "actors", "kinds"]), default="states", show_default=True,
              help="One row per state or body (its officials inside it), per actor, or per kind.")
@click.option("--axis", "axis_mode", type=click.Choice(["story", "time"]), default="story", show_default=True,
              help="story: long empty stretches collapse to marked breaks; time: linear time.")
@click.option("--window", default=None,
              help="Visible date range, FROM..TO (default: every event on the story axis, the recent weeks on time).")
@click.option("--url", default=None, help="A shared page address: export exactly the view it shows.")
@click.option("--width", type=click.IntRange(200, 10000), default=1600, show_default=True)
@click.option("--height", type=click.IntRange(200, 10000), default=None,
              help="Figure height in px (default: as tall as the lanes need, up to 2400; past that the "
                   "busiest lanes are drawn and the figure says how many are left out).")
@click.option("--scale", type=click.FloatRange(0.1, 10), default=2.0, show_default=True,
              help="Pixel density for PNG.")
@click.option("--title", default=None, help="Figure title (default: Diplomatic timeline).")
@click.option("--skip-invalid", is_flag=True,
              help="Draw a file whose rows have errors without those rows; the subtitle says how many.")
@date_order_option
def export(file, actors, output, actors_shown, match, kinds, statuses, date_from, date_to, search, lanes,
           axis_mode, window, url, width, height, scale, title, skip_invalid, date_order):
    """Export the timeline of FILE as a PNG, SVG, PDF or HTML figure for a report, or as TimelineJS3 JSON.

    Takes the page's filters as flags, or a shared page address with --url. PNG,
    SVG and PDF need Chrome or Chromium; HTML works offline with no browser.
    """
    from .export import ExportError, export as write_figure, export_format
    from .filters import View, resolve_actors

    try:
        export_format(output)
    except ExportError as error:
        raise click.UsageError(str(error)) from None
    filter_flags = actors_shown or kinds or statuses or date_from or date_to or search or window \
        or match != "any" or lanes != "states" or axis_mode != "story"
    if url and filter_flags:
        raise click.UsageError("--url already names the view; use either --url or the filter flags")
    if url:
        from urllib.parse import urlsplit

        view = View.from_query(urlsplit(url).query)
    else:
        query = {
            "actor": list(actors_shown), "match": [match], "kind": list(kinds), "status": list(statuses),
            "from": [date_from.date().isoformat()] if date_from else [],
            "to": [date_to.date().isoformat()] if date_to else [],
            "q": [search] if search else [], "lanes": [lanes], "axis": [axis_mode],
            "window": [window] if window else [],
        }
        view = View.from_query(query)
        if window and view.window is None:
            raise click.BadParameter("expected FROM..TO with ISO dates, e.g. 2025-11-01..2025-11-30",
                                     param_hint="--window")
    dataset = load_or_exit(file, actors, date_order, skip_invalid=skip_invalid)
    view, unknown = resolve_actors(view, dataset.aliases)
    for name in unknown:
        _echo(f'warning: {_name(file)} names no actor "{name}"; left out of the filter', err=True)
    try:
        fmt, height = write_figure(dataset, view, output, width=width, height=height, scale=scale, title=title)
    except ExportError as error:
        _echo(f"error: {error}", err=True)
        raise SystemExit(1)
    if fmt == "json":
        _echo(f"wrote {output} (TimelineJS JSON, {height:,} event{'s' if height != 1 else ''})")
        return
    _echo(f"wrote {output} ({fmt.upper()}, {width}x{height}"
               + (f" at scale {scale:g}" if fmt == "png" else "") + ")")


@cli.command()
@events_file
@click.option("--date", required=True,
              help='When it happens, as the story says: "Sunday", "Nov. 21, 2025", "last month".')
@click.option("--end-date", help="Last day, for an event spanning several days.")
@click.option("--reported", help='The story\'s date, as its dateline gives it (2025-11-23, "Nov. 23, 2025"); '
                                 'needed for relative dates such as "Sunday".')
@click.option("--title", required=True, help="What happens.")
@click.option("--actors", "actor_names", required=True,
              help='Who takes part, separated by ";": "Marco Rubio; Ukraine".')
@click.option("--kind", help="talks, meeting, summit, travel, proposal, statement, deadline, agreement, election, "
                             "sanction, military or other (default other).")
@click.option("--status", help="happened, planned, proposed or cancelled (default happened).")
@click.option("--location")
@click.option("--source")
@click.option("--url", help="An absolute http:// or https:// address.")
@click.option("--notes")
@click.option("--language", help="The language the dates are written in, as a code (es, pl, zh...), "
                                 "when detection guesses wrong; needs a language column.")
@click.option("--actors-file", type=click.Path(exists=True, dir_okay=False), default=None, help=ACTORS_FILE_HELP)
@click.option("--create", is_flag=True,
              help="If FILE is missing (or empty), create it with the standard header "
                   "date,end_date,reported,title,actors,kind,status,location,source,url,notes "
                   "(and language, with --language). "
                   "Without it, a missing FILE is an error.")
@click.option("--dry-run", is_flag=True, help="Show the line that would be added and what it means; write nothing.")
@click.option("--wait", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="Seconds to wait while another add is writing FILE.")
@date_order_option
def add(file: str, actor_names: str, actors_file: str | None, create: bool, dry_run: bool, wait: float,
        date_order: str | None, **fields):
    """Append one event to FILE (default events.csv), checked with the same rules as `check`.

    The new row goes after the existing bytes, which stay exactly as they were, in the
    file's own form (BOM, line endings, column order). A row with an error is not added
    and FILE is not touched (exit 1); warnings are shown but do not block, and neither
    do errors already on other rows. Concurrent adds wait for each other (FILE.lock).
    """
    from .append import AddError, add_event

    if file == "-":
        _echo("add: needs a file to add to, not - (standard input)", err=True)
        raise SystemExit(1)
    try:
        plan = add_event(file, {"actors": actor_names, **fields}, actors=actors_file, create=create,
                         dry_run=dry_run, timeout=wait, date_order=date_order)
    except AddError as error:
        for line in error.lines():
            _echo(line, err=True)
        raise SystemExit(1)
    for problem in plan.warnings:
        _echo(str(problem), err=True)
    if plan.existing_errors:
        count = counted(plan.existing_errors)
        _echo(f"note: not blocking this add: {count} error{'s' if count > 1 else ''} already in {file} "
              f"or its actors file ({command()} check {quote(file)} lists them):", err=True)
        for problem in plan.existing_errors[:5]:
            _echo(f"  {problem}", err=True)
        if count > 5:
            _echo(f"  ... and {count - 5} more", err=True)
    if plan.normalized and list(plan.normalized.actors) != [a.strip() for a in actor_names.split(";") if a.strip()]:
        _echo(f"actors: {'; '.join(plan.normalized.actors)}")
    _echo(plan.describe())
    if dry_run:
        _echo(f"would add line {plan.line} to {file}{' (a new file)' if plan.creates else ''}"
                   f"{', after ending its last line' if plan.added_newline else ''}; nothing written:")
        _echo(plan.row)
    else:
        _echo(f"added line {plan.line} to {file}{' (created it)' if plan.creates else ''}")


@cli.command("import")
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the events to this new CSV file (default: standard output).")
@click.option("--append-to", type=click.Path(dir_okay=False), default=None,
              help="Add the events to this existing events file instead, as `add` adds one (locked, journaled), "
                   "skipping those it already has (same title and dates).")
@click.option("--default-actor", default="Ungrouped", show_default=True,
              help="The actor of events that have no group.")
@click.option("--skip-invalid", is_flag=True,
              help="Import the other events when some cannot be (listed with their place in SOURCE).")
@click.option("--actors-file", type=click.Path(exists=True, dir_okay=False), default=None, help=ACTORS_FILE_HELP)
def import_command(source: str, output: str | None, append_to: str | None, default_actor: str, skip_invalid: bool,
                   actors_file: str | None):
    """Convert a TimelineJS3 timeline (its JSON, or its Google-Sheets template saved as CSV) to events.

    The format is found from the content. Events the page cannot place (years before 1678, BCE
    years, no start) and HTML that would run in a browser are errors, named by their place in
    SOURCE: nothing is written (exit 1) unless --skip-invalid imports the others.
    """
    from .events import check_events
    from .timelinejs import MAX_BYTES, TimelineJSError, read_timeline, rows_csv

    if output and append_to:
        raise click.UsageError("give either -o FILE (a new file) or --append-to FILE (an existing one)")
    name = _name(source)
    try:
        if source == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with open(source, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        _echo(f"error: {name}: cannot read: {error.strerror or error}", err=True)
        raise SystemExit(1)
    default_actor = " ".join(default_actor.replace(";", ",").split())
    if not default_actor:
        raise click.BadParameter("names no actor", param_hint="--default-actor")
    try:
        imported = read_timeline(data, name, default_actor=default_actor)
    except TimelineJSError as error:
        for problem in error.problems:
            _echo(str(problem), err=True)
        _echo(f"{name}: not imported; nothing written", err=True)
        raise SystemExit(1)
    for problem in imported.problems:
        _echo(str(problem), err=True)
    for note in imported.notes:
        _echo(f"{name}: note: {note}", err=True)
    errors = imported.errors
    if errors and not skip_invalid:
        _echo(f"{name}: {len(errors):,} error{'s' if len(errors) > 1 else ''} in {imported.slides:,} events; "
              f"nothing written (--skip-invalid imports the other {len(imported.rows):,})", err=True)
        raise SystemExit(1)
    if not imported.rows:
        _echo(f"{name}: no event to import; nothing written", err=True)
        raise SystemExit(1)
    text = rows_csv(imported.rows)
    # What we write must be what `check` accepts: a row it refuses is a bug here, never written.
    dataset, problems = check_events(text.encode("utf-8"), name=output or append_to or "<output>",
                                     actors=actors_file)
    if dataset is None:
        for problem in problems:
            if not problem.warning:
                line = problem.line
                where = imported.places[line - 2] if line and 2 <= line < len(imported.places) + 2 else ""
                _echo(f"{name}: {where + ': ' if where else ''}{problem.message}", err=True)
        _echo(f"{name}: the events would not pass check; nothing written", err=True)
        raise SystemExit(1)
    skipped_note = f" ({len(errors):,} left out, listed above)" if errors else ""
    if append_to:
        from .append import AddError, add_events

        try:
            plans, skipped = add_events(append_to, imported.rows, actors=actors_file)
        except AddError as error:
            for line in error.lines():
                _echo(line, err=True)
            raise SystemExit(1)
        for index in skipped:
            _echo(f"{name}: {imported.places[index]}: already in {append_to} (same title and dates): skipped",
                  err=True)
        _echo(f"added {len(plans):,} of {imported.slides:,} events from {name} to {append_to}{skipped_note}")
        return
    if output:
        _write_or_exit(output, text)
        _echo(f"wrote {len(imported.rows):,} of {imported.slides:,} events from {name} to {output}{skipped_note}",
              err=True)
    else:
        click.echo(text, nl=False)


@cli.command()
@events_file
@click.option("--actors-file", type=click.Path(exists=True, dir_okay=False), default=None, help=ACTORS_FILE_HELP)
@click.option("--forget", is_flag=True,
              help="Do not put the rows back: record that they were removed on purpose, so check stops warning.")
@click.option("--dry-run", is_flag=True, help="List the rows that would be put back; write nothing.")
@click.option("--wait", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="Seconds to wait while an add is writing FILE.")
def restore(file: str, actors_file: str | None, forget: bool, dry_run: bool, wait: float):
    """Put back the rows `add` wrote to FILE that a later whole-file save dropped.

    `add` records every row it writes in FILE.journal; `check` warns about those no longer
    in FILE. Each is appended again, checked like a new add. Exits 1 if any could not be.
    """
    from .append import AddError, restore_rows

    if file == "-":
        _echo("restore: needs a file, not - (standard input)", err=True)
        raise SystemExit(1)
    try:
        done = restore_rows(file, actors=actors_file, forget=forget, dry_run=dry_run, timeout=wait)
    except AddError as error:
        for line in error.lines():
            _echo(line, err=True)
        raise SystemExit(1)
    for item in done:
        added = f"added on {item.entry.at.replace('T', ' ').rstrip('Z')} UTC"
        if item.error is not None:
            _echo(f"not restored ({added}): {item.entry.row}", err=True)
            for line in item.error.lines():
                _echo(f"  {line}", err=True)
        elif forget:
            _echo(f"{'would forget' if dry_run else 'forgot'} ({added}): {item.entry.row}")
        else:
            _echo(f"{'would put back' if dry_run else 'put back'} as line {item.plan.line} ({added}): "
                       f"{item.entry.row}")
    if not done:
        _echo(f"{file}: every row add wrote is there; nothing to restore")
    raise SystemExit(1 if any(item.error is not None for item in done) else 0)


# Set by a command that has printed all it had to say and holds nothing another process waits for.
_all_said = False


def _leave(code) -> None:
    """Exit with ``code`` at once, without taking the process apart: a check of a million events
    would spend 0.2 s more freeing its frame, Arrow's buffers and every module, which the system
    frees in one go (a server's restart, which the check stands for, never pays it)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nobody reads the rest
            pass
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


def main(prog_name: str = "timeline"):
    """The ``timeline`` command; ``python -m timeline`` passes its own name for the help and usage lines.

    Commands run here in a process of their own, which check leaves at once when done (click's test
    runner calls them in its own process, where nothing leaves early)."""
    try:
        cli.main(prog_name=prog_name, standalone_mode=True)
    except SystemExit as done:
        if _all_said:
            _leave(done.code)
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except UnsafeFolder as error:  # a state or store folder another user could change
        _echo(f"error: {error}", err=True)
        sys.exit(1)
    except InvalidData as error:  # a layer below raised instead of returning problems
        for problem in error.problems:
            _echo(str(problem), err=True)
        sys.exit(1)
