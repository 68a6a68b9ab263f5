"""The command line: a thin click layer over the library; problems become clean messages."""

from __future__ import annotations

import csv
import io
import sys

import click

from .events import EventLoader
from .problems import InvalidData, summary

DEFAULT_FILE = "events.csv"

events_file = click.argument("file", default=DEFAULT_FILE, type=click.Path(dir_okay=False, allow_dash=True))
actors_option = click.option(
    "--actors", type=click.Path(dir_okay=False), default=None,
    help="Actor aliases file (default: actors.csv next to FILE, if present).",
)


def _source(file: str):
    return sys.stdin.buffer if file == "-" else file


def load_or_exit(file: str, actors: str | None = None):
    """The dataset, or every problem on stderr and exit 1."""
    loader = EventLoader(actors)
    dataset, problems = loader.check(_source(file), "<stdin>" if file == "-" else None)
    for problem in problems:
        click.echo(str(problem), err=True)
    if dataset is None:
        click.echo(summary(file, problems), err=True)
        raise SystemExit(1)
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
def check(file: str, actors: str | None):
    """Check FILE (default events.csv): every error and warning, then a summary.

    Exits 0 when the file is valid (warnings allowed), 1 when it is not.
    """
    loader = EventLoader(actors)
    dataset, problems = loader.check(_source(file), "<stdin>" if file == "-" else None)
    for problem in problems:
        click.echo(str(problem))
    click.echo(summary(file, problems, len(dataset.frame) if dataset else None))
    raise SystemExit(0 if dataset is not None else 1)


@cli.command()
@events_file
@actors_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
def normalize(file: str, actors: str | None, output: str | None):
    """Write FILE as CSV with normalized start, end, precision and canonical actors.

    Every input column is kept. Problems go to stderr; an invalid file exits 1.
    """
    from .normalized import normalized_csv

    dataset = load_or_exit(file, actors)
    text = normalized_csv(dataset)
    if output:
        from .safewrite import replace_file

        replace_file(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


def main():
    try:
        cli.main(prog_name="python -m timeline", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except InvalidData as error:  # a layer below raised instead of returning problems
        for problem in error.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
