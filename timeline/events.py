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
from .csvfile import Table, paused_gc, read_table
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


def actors_path_for(events_path) -> str | None:
    if not isinstance(events_path, (str, os.PathLike)):
        return None
    candidate = os.path.join(os.path.dirname(os.path.abspath(events_path)), ACTORS_FILE)
    return candidate if os.path.isfile(candidate) else None


class EventLoader:
    """Loads events files, remembering the dates and actor cells it has already read."""

    def __init__(self, actors=None):
        self._actors_source = actors
        self.dates = DateReader()
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
        if table.wide:
            width = len(table.header)
            problems += [Problem(table.name, int(table.lines[index]), None,
                                 f"has {len(cells)} fields but the header has {width}; "
                                 "a comma inside a field needs the field in double quotes")
                         for index, cells in table.wide.items()]
        with paused_gc():
            rows = self._read_rows(table.without(table.wide), columns, book)
            problems += rows.problems
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
            # canonical names in cached actor cells may have changed
            self._actor_cells.clear()
            self._book_fingerprint = book.fingerprint()
        return book, problems

    def _actors(self, cell: str, book: ActorBook) -> tuple[str, ...]:
        actors = self._actor_cells.get(cell)
        if actors is None:
            actors = tuple(dict.fromkeys(book.canonical(name) for name in split_names(cell)))
            self._actor_cells[cell] = actors
        return actors

    def _read_rows(self, table: Table, columns: tuple[str, ...], book: ActorBook) -> _Rows:
        """Every row's values and problems, read a column at a time.

        Each rule runs once per distinct cell (a file of a million rows has a few kinds, a
        few hundred thousand date texts) and its verdict is spread to the rows that hold it.
        Problems are gathered rule by rule in the order one row's rules run, so that, once
        sorted by line and column, they read exactly as a row-by-row check wrote them.
        """
        count = len(table)
        found = _Found(table)
        cells = _cells_by_column(table, columns)
        dead = np.zeros(count, dtype=bool)  # rows with no event: no dates could be read

        for column, cell in cells.items():
            limit = MAX_LENGTH.get(column)
            if limit is None or limit >= cell.longest:
                continue
            lengths = np.fromiter(map(len, cell.values), dtype=np.int64, count=len(cell.values))
            rows, at = cell.rows_where(lengths > limit)
            found.add(rows, column, [f"is {lengths[v]:,} characters long; the limit is {limit:,} "
                                     "(the README lists each column's limit)" for v in at])
            if column in ("date", "end_date", "reported", "language"):
                # A cell that long is never parsed: the time dates take grows with their length.
                dead[rows] = True

        title = cells["title"]
        found.add(title.rows_where(np.array([not v for v in title.values]))[0], "title", "is empty")

        actors = cells["actors"]
        actor_tuples = [self._actors(raw, book) for raw in actors.raw]
        found.add(actors.rows_where(np.array([not a for a in actor_tuples]))[0], "actors",
                  "names no actor (separate several with ;)")

        status = cells["status"]
        statuses = []
        for text in status.values:
            value = text.lower() or DEFAULT_STATUS
            statuses.append(STATUS_SPELLINGS.get(value, value))
        bad = np.array([value not in STATUSES for value in statuses])
        rows, at = status.rows_where(bad)
        found.add(rows, "status", [f'"{status.values[v]}" is not one of: {", ".join(STATUSES)}' for v in at])
        statuses = [DEFAULT_STATUS if wrong else value for value, wrong in zip(statuses, bad)]

        kind = cells["kind"]
        kinds = [text.lower() or DEFAULT_KIND for text in kind.values]
        rows, at = kind.rows_where(np.array([value not in KINDS for value in kinds]))
        found.add(rows, "kind", [f'"{kind.values[v]}" is not one of: {", ".join(KINDS)}' for v in at])

        url = cells["url"]
        rows, at = url.rows_where(np.array([bool(v) and not _safe_url(v) for v in url.values]))
        found.add(rows, "url", [f'"{url.values[v]}" is not an absolute http:// or https:// address' for v in at])

        language = cells["language"]
        languages = [language_code(text) if text else None for text in language.values]
        rows, at = language.rows_where(np.array([bool(t) and c is None for t, c in zip(language.values, languages)]))
        rows, at = rows[~dead[rows]], at[~dead[rows]]
        found.add(rows, "language", [f'"{language.values[v]}" is not a language dateparser reads; write its code, '
                                     "such as es, pl, tr, zh or he (the README lists them)" for v in at])

        # The dates of each distinct (date, end, reported, status, language), read once.
        date, end, reported = cells["date"], cells["end_date"], cells["reported"]
        key = _combined(count, date, end, reported, status, language)
        alive = np.flatnonzero(~dead)
        keys, first = np.unique(key[alive], return_index=True)
        first = alive[first]
        read = []
        for row in first.tolist():
            cache_key = (date.value(row), end.value(row), reported.value(row), statuses[status.codes[row]],
                         languages[language.codes[row]], bool(language.value(row)))
            dates = self._date_cells.get(cache_key)
            if dates is None:
                dates = self._date_cells[cache_key] = self._read_dates(*cache_key)
            read.append(dates)
        where = np.full(count, -1, dtype=np.int64)
        where[alive] = np.searchsorted(keys, key[alive])
        with_issues = np.array([bool(r[3]) for r in read] + [False])
        for row in np.flatnonzero(with_issues[where]).tolist():
            for column, message, warning in read[where[row]][3]:
                found.add_one(row, column, message, warning)
        no_span = np.array([r[0] is None for r in read] + [True])
        dead |= no_span[where]

        live = np.flatnonzero(~dead)
        at = where[live]
        spans = [r[0] for r in read]
        ends = [r[1] or r[0] for r in read]
        starts = _days([s.start if s else None for s in spans])[at]
        stops = _days([e.end if e else None for e in ends])[at]
        precision = _objects([_coarser(r[0], r[1]) if r[0] else None for r in read])[at]
        reported_days = _days([r[2] for r in read])[at]
        values = {
            "title": title.per_row(title.values, live),
            "actors": actors.per_row(actor_tuples, live),
            "kind": kind.per_row(kinds, live),
            "status": status.per_row(statuses, live),
            "start": starts,
            "end": stops,
            "precision": precision,
            "date_text": date.per_row(date.values, live),
            "end_text": end.per_row(end.values, live),
            "reported": reported_days,
            "location": cells["location"].per_row(cells["location"].values, live),
            "source": cells["source"].per_row(cells["source"].values, live),
            "url": url.per_row(url.values, live),
            "notes": cells["notes"].per_row(cells["notes"].values, live),
        }
        return _Rows(table.lines[live], values, found.problems(), actors.codes[live], actor_tuples)

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


# --- reading by column ----------------------------------------------------------------------

# Columns where nearly every cell differs: finding the distinct ones would only cost time.
_EVERY_CELL_DIFFERS = ("title", "notes")
_NO_DAY = np.iinfo(np.int64).min  # NaT, as a count of days
_EPOCH = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class _Cells:
    """One column's cells: the distinct ones, and which of them each row holds."""

    codes: np.ndarray | None  # per row, an index into ``raw``; None: row i holds raw[i]
    raw: list[str]  # as written
    values: list[str]  # stripped
    longest: int  # characters in the longest stripped cell

    def value(self, row: int) -> str:
        return self.values[row if self.codes is None else self.codes[row]]

    def rows_where(self, bad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows holding a distinct cell marked in ``bad``, and which one each holds."""
        if not bad.any():
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if self.codes is None:
            rows = np.flatnonzero(bad)
            return rows, rows
        rows = np.flatnonzero(bad[self.codes])
        return rows, self.codes[rows]

    def per_row(self, per_value: list, rows: np.ndarray) -> np.ndarray:
        """``per_value`` (one item per distinct cell) spread to ``rows``."""
        items = _objects(per_value)
        return items[rows] if self.codes is None else items[self.codes[rows]]

    def key_part(self) -> tuple[np.ndarray, int]:
        if self.codes is None:
            return np.arange(len(self.raw), dtype=np.int64), len(self.raw)
        return self.codes, len(self.raw)


def _cells_by_column(table: Table, columns: tuple[str, ...]) -> dict[str, _Cells]:
    count = len(table)
    cells: dict[str, _Cells] = {}
    for index, column in enumerate(columns):
        if column not in KNOWN_COLUMNS:
            continue
        raw = table.columns[index]
        if column in _EVERY_CELL_DIFFERS:
            codes, distinct = None, list(raw)
        else:
            codes, distinct = pd.factorize(np.asarray(raw, dtype=object))
            codes, distinct = codes.astype(np.int64, copy=False), distinct.tolist()
        values = [cell.strip() for cell in distinct]
        cells[column] = _Cells(codes, distinct, values, max(map(len, values), default=0))
    for column in KNOWN_COLUMNS:  # an absent column reads as blank cells
        cells.setdefault(column, _Cells(np.zeros(count, dtype=np.int64), [""], [""], 0))
    return cells


def _combined(count: int, *cells: _Cells) -> np.ndarray:
    """One number per row that is equal for two rows exactly when all these cells are."""
    key, size = np.zeros(count, dtype=np.int64), 1
    for part in cells:
        codes, distinct = part.key_part()
        key = key * distinct + codes
        size *= distinct
        if size > 2**31:  # renumber before the product could overflow
            key, uniques = pd.factorize(key)
            key, size = key.astype(np.int64, copy=False), len(uniques)
    return key


def _objects(items: list) -> np.ndarray:
    # fromiter keeps a tuple as one item, where np.array would make a second dimension of it
    return np.fromiter(items, dtype=object, count=len(items))


def _days(days: list) -> np.ndarray:
    """datetime.date (or None for NaT) as datetime64[ns]."""
    ordinals = np.fromiter((_NO_DAY if d is None else d.toordinal() - _EPOCH for d in days),
                           dtype=np.int64, count=len(days))
    return ordinals.astype("datetime64[D]").astype("datetime64[ns]")


class _Found:
    """Problems of rows, gathered a rule at a time, made into Problems once."""

    def __init__(self, table: Table):
        self._name = table.name
        self._lines = table.lines
        self._groups: list[tuple] = []

    def add(self, rows, column: str, messages, warning: bool = False) -> None:
        """``messages``: one for all ``rows``, or one per row."""
        if len(rows):
            self._groups.append((rows, column, messages, warning))

    def add_one(self, row: int, column: str | None, message: str, warning: bool) -> None:
        self._groups.append(((row,), column, message, warning))

    def problems(self) -> list[Problem]:
        found = []
        for rows, column, messages, warning in self._groups:
            lines = self._lines[np.asarray(rows, dtype=np.int64)].tolist()
            if isinstance(messages, str):
                messages = [messages] * len(lines)
            found += [Problem(self._name, line, column, message, warning) for line, message in zip(lines, messages)]
        return found


@dataclass
class _Rows:
    """The rows that have an event, in file order, as columns."""

    lines: np.ndarray
    values: dict[str, np.ndarray]  # FRAME_COLUMNS but id
    problems: list[Problem]  # of single rows, whatever their dates
    actor_codes: np.ndarray  # per row, which of ``actor_tuples`` it names
    actor_tuples: list[tuple[str, ...]]


def _cross_row_warnings(name: str, rows: _Rows, book: ActorBook) -> list[Problem]:
    problems = []
    count = len(rows.lines)
    if count:
        titles = pd.factorize(np.fromiter(map(fold, rows.values["title"]), dtype=object, count=count))
        starts = pd.factorize(rows.values["start"])
        ends = pd.factorize(rows.values["end"])
        parts = [_Cells(codes.astype(np.int64, copy=False), list(range(len(distinct))), [], 0)
                 for codes, distinct in (titles, starts, ends)]
        key = _combined(count, *parts)
        uniques, first_index, inverse = np.unique(key, return_index=True, return_inverse=True)
        earlier = first_index[inverse]
        for row in np.flatnonzero(earlier != np.arange(count)).tolist():
            problems.append(Problem(name, int(rows.lines[row]), "title",
                                    f"the same event as line {int(rows.lines[earlier[row]])} (same title and dates)",
                                    True))

    actor_lines, counts = _actor_index(rows)
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


def _actor_index(rows: _Rows) -> tuple[dict[str, int], dict[str, int]]:
    """Each actor's first line and its number of events, in the order actors first appear."""
    actor_lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    per_cell = np.bincount(rows.actor_codes, minlength=len(rows.actor_tuples))
    for cell, row in _first_appearances(rows.actor_codes):
        line = int(rows.lines[row])
        for actor in rows.actor_tuples[cell]:
            actor_lines.setdefault(actor, line)
            counts[actor] = counts.get(actor, 0) + int(per_cell[cell])
    return actor_lines, counts


def _first_appearances(codes: np.ndarray) -> list[tuple[int, int]]:
    """(code, first position) of each distinct code, in the order they first appear."""
    distinct, first = np.unique(codes, return_index=True)
    order = np.argsort(first)
    return list(zip(distinct[order].tolist(), first[order].tolist()))


def _dataset(table: Table, rows: _Rows, book: ActorBook, problems) -> Dataset:
    order = np.argsort(rows.values["start"], kind="stable")  # rows are in line order: ties stay so
    data = {"id": pd.Series(rows.lines[order], dtype=np.int64)}
    for column in FRAME_COLUMNS[1:]:
        values = rows.values[column][order]
        data[column] = pd.Series(values, dtype=values.dtype if values.dtype.kind == "M" else object)
    frame = pd.DataFrame(data, columns=list(FRAME_COLUMNS))
    reported = frame["reported"].dropna()
    as_of = reported.max() if len(reported) else None
    aliases = dict(book.by_key)
    members = book.members()
    for group in members:  # a state named only as someone's member_of is still a filter
        aliases.setdefault(fold(group), group)
    # Each name once, in the order of first appearance in the frame: folding is the costly part.
    for cell, _ in _first_appearances(rows.actor_codes[order]):
        for actor in rows.actor_tuples[cell]:
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
