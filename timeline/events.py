"""From events.csv to a validated, normalized table of events.

``load_events(path)`` returns a :class:`Dataset` or raises :class:`InvalidData`
carrying every problem in the file. :class:`EventLoader` does the same and keeps
its caches between calls, so a running app re-reads a growing file cheaply.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from .actors import ActorBook, fold, load_actors, split_names
from .csvfile import Table, read_table
from .dates import DateError, DateReader, Span, language_code
from .journal import dropped_rows
from .problems import InvalidData, Problem
from .schema import (
    DEFAULT_KIND,
    DEFAULT_STATUS,
    FRAME_COLUMNS,
    KINDS,
    KNOWN_COLUMNS,
    MAX_LENGTH,
    REQUIRED_COLUMNS,
    STATUSES,
)

_SHORTEST_LIMIT = min(MAX_LENGTH.values())

ACTORS_FILE = "actors.csv"
# A day-precise date this far from its story's date is more likely a typo than history.
FAR_FROM_REPORTED_DAYS = 365
# pandas' nanosecond timestamps cover 1677-09-21 to 2262-04-11.
EARLIEST, LATEST = date(1678, 1, 1), date(2261, 12, 31)
STATUS_SPELLINGS = {"canceled": "cancelled"}  # US spelling


@dataclass(frozen=True)
class Dataset:
    frame: pd.DataFrame
    as_of: pd.Timestamp | None
    members: dict[str, frozenset[str]]
    aliases: dict[str, str]  # folded spelling (actors.fold) -> canonical name, for names typed by readers
    problems: tuple[Problem, ...]  # warnings only: a Dataset exists only for a valid file
    path: str
    table: Table = field(repr=False)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self.problems


@dataclass(frozen=True)
class _Row:
    """What one row means, independent of the line it stands on."""

    values: dict
    issues: tuple[tuple[str | None, str, bool], ...]  # (column, message, is_warning)


def actors_path_for(events_path) -> str | None:
    if not isinstance(events_path, (str, os.PathLike)):
        return None
    candidate = os.path.join(os.path.dirname(os.path.abspath(events_path)), ACTORS_FILE)
    return candidate if os.path.isfile(candidate) else None


class EventLoader:
    """Loads events files, remembering dates and rows it has already read."""

    def __init__(self, actors=None):
        self._actors_source = actors
        self.dates = DateReader()
        self._rows: dict[tuple, _Row] = {}
        # What a row's date cells mean depends on them, its status and its language only.
        self._date_cells: dict[tuple, tuple] = {}
        self._actor_cells: dict[str, tuple[str, ...]] = {}
        self._book_fingerprint = None

    def load(self, source, name: str | None = None) -> Dataset:
        dataset, problems = self.check(source, name)
        if dataset is None:
            raise InvalidData(problems)
        return dataset

    def check(self, source, name: str | None = None) -> tuple[Dataset | None, list[Problem]]:
        """Every problem in the file, and the dataset when there is no error."""
        book, problems = self._book(source)
        table, table_problems = read_table(source, name)
        problems += table_problems
        if not table.header:
            return None, problems
        columns, header_problems = _columns(table)
        problems += header_problems
        if any(not p.warning for p in header_problems):
            return None, problems

        rows: list[tuple[int, _Row]] = []
        width = len(table.header)
        for line, cells in table.rows:
            if len(cells) > width:
                problems.append(
                    Problem(table.name, line, None,
                            f"has {len(cells)} fields but the header has {width}; "
                            "a comma inside a field needs the field in double quotes")
                )
                continue
            key = (columns, tuple(cells))
            row = self._rows.get(key)
            if row is None:
                row = self._rows[key] = self._read_row(dict(zip(columns, cells)), book)
            if row.issues:
                problems += [Problem(table.name, line, column, message, warning)
                             for column, message, warning in row.issues]
            rows.append((line, row))

        problems += _cross_row_warnings(table.name, rows, book)
        problems += dropped_rows(source, table, columns, table.name)
        order = {column: i for i, column in enumerate(columns)}
        problems.sort(key=lambda p: (p.file != table.name, p.line or 0, order.get(p.column, -1)))
        if any(not p.warning for p in problems):
            return None, problems
        return _dataset(table, rows, book, problems), problems

    def _book(self, source) -> tuple[ActorBook, list[Problem]]:
        actors = self._actors_source if self._actors_source is not None else actors_path_for(source)
        if actors is None:
            book, problems = ActorBook(), []
        elif isinstance(actors, ActorBook):
            book, problems = actors, []
        else:
            book, problems = load_actors(actors)
        if book.fingerprint() != self._book_fingerprint:
            # canonical names in cached rows may have changed
            self._rows.clear()
            self._actor_cells.clear()
            self._book_fingerprint = book.fingerprint()
        return book, problems

    def _actors(self, cell: str, book: ActorBook) -> tuple[str, ...]:
        actors = self._actor_cells.get(cell)
        if actors is None:
            actors = tuple(dict.fromkeys(book.canonical(name) for name in split_names(cell)))
            self._actor_cells[cell] = actors
        return actors

    def _read_row(self, raw: dict[str, str], book: ActorBook) -> _Row:
        issues: list[tuple[str | None, str, bool]] = []
        error = lambda column, message: issues.append((column, message, False))  # noqa: E731
        cells = {column: value.strip() for column, value in raw.items()}
        # The row's own cells, not every limit: this runs for each of 100,000 rows, and almost
        # every row is under the smallest limit, which one C-level pass over the lengths tells.
        too_long = [] if max(map(len, cells.values()), default=0) <= _SHORTEST_LIMIT else [
            column for column, value in cells.items() if len(value) > MAX_LENGTH.get(column, len(value))]
        for column in too_long:
            error(column, f"is {len(cells[column]):,} characters long; the limit is {MAX_LENGTH[column]:,} "
                          "(the README lists each column's limit)")
        get = cells.get

        title = get("title", "")
        if not title:
            error("title", "is empty")
        actors = self._actors(raw.get("actors", ""), book)
        if not actors:
            error("actors", "names no actor (separate several with ;)")

        status_text = get("status", "")
        status = status_text.lower() or DEFAULT_STATUS
        status = STATUS_SPELLINGS.get(status, status)
        if status not in STATUSES:
            error("status", f'"{status_text}" is not one of: {", ".join(STATUSES)}')
            status = DEFAULT_STATUS
        kind_text = get("kind", "")
        kind = kind_text.lower() or DEFAULT_KIND
        if kind not in KINDS:
            error("kind", f'"{kind_text}" is not one of: {", ".join(KINDS)}')

        url = get("url", "")
        if url and not _safe_url(url):
            error("url", f'"{url}" is not an absolute http:// or https:// address')

        language_text = get("language", "")
        language = None
        if too_long and any(column in too_long for column in ("date", "end_date", "reported", "language")):
            # A cell that long is never parsed: the time dates take grows with their length.
            return _Row({}, tuple(issues))
        if language_text:
            language = language_code(language_text)
            if language is None:
                error("language", f'"{language_text}" is not a language dateparser reads; write its code, '
                                  "such as es, pl, tr, zh or he (the README lists them)")

        date_text = get("date", "")
        end_text = get("end_date", "")
        reported_text = get("reported", "")
        key = (date_text, end_text, reported_text, status, language, bool(language_text))
        dates = self._date_cells.get(key)
        if dates is None:
            dates = self._date_cells[key] = self._read_dates(*key)
        span, end_span, reported, date_issues = dates
        issues += date_issues
        if span is None:
            return _Row({}, tuple(issues))
        precision = _coarser(span, end_span)
        values = {
            "title": title,
            "actors": actors,
            "kind": kind,
            "status": status,
            "start": span.start,
            "end": (end_span or span).end,
            "precision": precision,
            "date_text": date_text,
            "end_text": end_text,
            "reported": reported,
            "location": get("location", ""),
            "source": get("source", ""),
            "url": url,
            "notes": get("notes", ""),
        }
        return _Row(values, tuple(issues))

    def _read_dates(self, date_text: str, end_text: str, reported_text: str, status: str,
                    language: str | None, language_given: bool):
        """(span, end span, reported date, issues) of a row's date cells."""
        issues: list[tuple[str | None, str, bool]] = []
        error = lambda column, message: issues.append((column, message, False))  # noqa: E731
        reported = None
        if reported_text:
            try:
                reported = self.dates.read_reported(reported_text, language)
                warning = self.dates.read(reported_text, language=language).warning
                if warning:
                    issues.append(("reported", warning, True))
            except DateError as problem:
                error("reported", str(problem))

        span = end_span = None
        if not date_text:
            error("date", "is empty")
        # A bad reported date or language is already reported: no second message, no guesses.
        if not (reported_text and reported is None or language_given and language is None):
            for column, cell in (("date", date_text), ("end_date", end_text)):
                if not cell:
                    continue
                try:
                    read = self.dates.read(cell, reported, status, language)
                except DateError as problem:
                    error(column, str(problem))
                    continue
                if read.warning:
                    issues.append((column, read.warning, True))
                if column == "date":
                    span = read
                else:
                    end_span = read

        if span and end_span and end_span.end < span.start and not self.dates.is_absolute(end_text, language):
            # "Friday" to "Sunday": a relative end counts forward from the start, not from the story.
            try:
                end_span = self.dates.read(end_text, span.start, "planned", language)
            except DateError:
                pass  # reported below as an end before the start
        if span and end_span and end_span.end < span.start:
            error("end_date", f"ends ({end_span.end.isoformat()}) before the date starts ({span.start.isoformat()})")
        if span and reported:
            issues += _distance_warnings(span, end_span, reported, status, date_text)

        for column, read in (("date", span), ("end_date", end_span)):
            if read and not (EARLIEST <= read.start and read.end <= LATEST):
                error(column, f"{read.start.isoformat()} is outside the years the timeline can show "
                              f"({EARLIEST.year}–{LATEST.year})")
                span = None
        if reported and not EARLIEST <= reported <= LATEST:
            error("reported", f"{reported.isoformat()} is outside the years {EARLIEST.year}–{LATEST.year}")
            span = None
        return span, end_span, reported, tuple(issues)


def load_events(source, *, actors=None, name: str | None = None) -> Dataset:
    """Read, normalize and validate an events file; raises InvalidData with every problem."""
    return EventLoader(actors).load(source, name)


def check_events(source, *, actors=None, name: str | None = None) -> tuple[Dataset | None, list[Problem]]:
    return EventLoader(actors).check(source, name)


# --- helpers ------------------------------------------------------------------------------

def _columns(table: Table) -> tuple[tuple[str, ...], list[Problem]]:
    columns = tuple(h.strip().lower() if h.strip().lower() in KNOWN_COLUMNS else h for h in table.header)
    problems = []
    seen = set()
    for column in columns:
        if column in KNOWN_COLUMNS and column in seen:
            problems.append(Problem(table.name, 1, column, "column appears twice in the header"))
        seen.add(column)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        found = ", ".join(h for h in table.header if h.strip()) or "no column names"
        names = ", ".join(f'"{c}"' for c in missing)
        plural = "s" if len(missing) > 1 else ""
        problems.append(Problem(table.name, 1, None, f"missing required column{plural} {names} (found: {found})"))
    return columns, problems


def _safe_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in url)


def _coarser(span: Span, end_span: Span | None) -> str:
    order = ("day", "week", "month", "year")
    if end_span is None:
        return span.precision
    return max(span.precision, end_span.precision, key=order.index)


def _distance_warnings(span: Span, end_span: Span | None, reported: date, status: str, text: str):
    end = (end_span or span).end
    if span.precision in ("day", "week"):
        days = (reported - span.start).days
        if abs(days) > FAR_FROM_REPORTED_DAYS:
            side = "before" if days > 0 else "after"
            yield ("date", f'"{text}" is {abs(days)} days {side} the reported date {reported.isoformat()}; check the year', True)
            return
    if status == "happened" and span.start > reported:
        yield ("status", f'"happened", yet the event starts after its reported date {reported.isoformat()}; '
               "is it planned?", True)
    elif status in ("planned", "proposed") and end < reported:
        yield ("status", f'"{status}", yet the event ends before its reported date {reported.isoformat()}; '
               "did it happen?", True)


def _cross_row_warnings(name: str, rows: list[tuple[int, _Row]], book: ActorBook) -> list[Problem]:
    problems = []
    first_seen: dict[tuple, int] = {}
    actor_lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    for line, row in rows:
        values = row.values
        if not values:
            continue
        key = (fold(values["title"]), values["start"], values["end"])
        if key in first_seen:
            problems.append(
                Problem(name, line, "title", f"the same event as line {first_seen[key]} (same title and dates)", True)
            )
        else:
            first_seen[key] = line
        for actor in values["actors"]:
            actor_lines.setdefault(actor, line)
            counts[actor] = counts.get(actor, 0) + 1
    unknown = [actor for actor in actor_lines if not book.known(actor)]
    lookalikes = book.lookalikes(unknown, actor_lines)
    for actor in unknown:
        line, other = actor_lines[actor], lookalikes.get(actor)
        if other is None or (not book.known(other) and counts.get(other, 0) < counts[actor]):
            continue
        if not book.known(other) and counts.get(other, 0) == counts[actor] and other > actor:
            continue  # two equally used spellings: warn once, on the later name
        problems.append(
            Problem(name, line, "actors",
                    f'"{actor}" differs from "{other}" only by spelling; if they are one actor, '
                    "use one spelling or list the other as an alias in actors.csv", True)
        )
    return problems


def _dataset(table: Table, rows: list[tuple[int, _Row]], book: ActorBook, problems) -> Dataset:
    records = [row.values for _, row in rows]
    lines = np.fromiter((line for line, _ in rows), dtype=np.int64, count=len(rows))
    frame = pd.DataFrame(
        {
            "id": lines,
            **{column: [r[column] for r in records] for column in FRAME_COLUMNS if column != "id"},
        },
        columns=list(FRAME_COLUMNS),
    )
    for column in ("start", "end", "reported"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    for column in FRAME_COLUMNS:
        if column not in ("id", "start", "end", "reported", "actors"):
            frame[column] = frame[column].astype(object)
    frame = frame.sort_values(["start", "id"], kind="stable").reset_index(drop=True)
    reported = frame["reported"].dropna()
    as_of = reported.max() if len(reported) else None
    aliases = dict(book.by_key)
    members = book.members()
    for group in members:  # a state named only as someone's member_of is still a filter
        aliases.setdefault(fold(group), group)
    # Each name once, in the order of first appearance: folding is the costly part.
    for actor in dict.fromkeys(actor for actors in frame["actors"] for actor in actors):
        aliases.setdefault(fold(actor), actor)
    return Dataset(
        frame=frame,
        as_of=as_of,
        members=members,
        aliases=aliases,
        problems=tuple(p for p in problems if p.warning),
        path=table.name,
        table=table,
    )
