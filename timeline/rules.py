"""The rules of events.csv, each run once per distinct cell.

:class:`RowReader` reads the rows of a :class:`~timeline.csvfile.Table` a column at a time: a
column's distinct cells are looked at once each (a file of a million rows has a dozen kinds and a
few hundred thousand date texts), and each verdict is spread to the rows that hold the cell. The
rules between a row's dates (an end before its start, a date far from the story's) run on arrays
of days, one per distinct combination of date cells; only the combinations with an issue, a
language or a relative end are read one by one (:meth:`RowReader.read_dates`). It gives
:class:`Rows`: the values of the rows that have an event, as the frame will hold them, and the
problems of single rows. What it read (dates, actor cells) it keeps for the next read.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from .actors import ActorBook, tidy
from .columns import arrow_bytes, arrow_fold_keys, byte_positions, categorical, first_rows, strings
from .csvfile import Column, Table, is_arrow, objects
from .dates import DateError, Span
from .problems import LIMIT, Problem, bounded
from .problems import kind as kind_of
from .shared import release_freed
from .schema import (
    ACTOR_SEPARATOR,
    DEFAULT_KIND,
    DEFAULT_STATUS,
    KINDS,
    KNOWN_COLUMNS,
    MAX_LENGTH,
    PRECISIONS,
    REQUIRED_COLUMNS,
    STATUSES,
)

FAR_FROM_REPORTED_DAYS = 365
# pandas' nanosecond timestamps cover 1677-09-21 to 2262-04-11.
EARLIEST, LATEST = date(1678, 1, 1), date(2261, 12, 31)
STATUS_SPELLINGS = {"canceled": "cancelled"}  # US spelling
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A cell a spreadsheet would run: after any tabs or carriage returns (which some drop), an =, or a
# +, - or @ before a function, a DDE call, a cell or another sheet's, or a sum; not "-30 °C in Kyiv"
# or "+2 more talks". The README's "Cells that look like formulas" says the same.
FORMULA = re.compile(r'''
    [\t\r]*
    (?: =\s*\S
      | [+\-@][\s+\-@=]*
        (?: [A-Za-z_][\w.]*\(
          | [\w.]+\|
          | \w+!\$?[A-Za-z]{1,3}\$?\d
          | \$?[A-Za-z]{1,3}\$?\d+\s*(?:$|[-+*/^&:,;=<>)])
          | [\d.]+\s*[-+*/^&]\s*[\d.(]
        )
    )''', re.VERBOSE)
_MAY_BE_FORMULA = re.compile(r"(?m)^[\t\r]*[=+\-@]")  # over a whole column: are any cells worth a look?


class RowReader:
    """Reads rows into :class:`Rows`, keeping the dates and actor cells it has read."""

    def __init__(self, date_order: str | None = None, *, remember: bool = True):
        """``date_order`` (DMY, MDY or YMD) reads every numeric date so, instead of deciding it per file.
        ``remember``: keep each row's dates read for the next read (a file read once needs none)."""
        self.date_order = date_order
        self.remember = remember
        self._dates = None
        # What a row's date cells mean depends on them, its status and its language only.
        self.date_cells: dict[tuple, tuple] = {}
        self.actor_cells: dict[str, tuple[str, ...]] = {}
        self.actor_names: dict[str, str] = {}  # a name as written, or tidied -> its canonical name ("": none)
        # (text, language, order) -> (reported day, warning, error) of the reported dates read
        # (kept for one read: a server reads many files' worth of them over a day).
        self.reported_dates: dict[tuple, tuple] = {}

    @property
    def dates(self):
        """The DateReader (made on the first date read: a restart from the store reads none)."""
        if self._dates is None:
            from .dates import DateReader

            self._dates = DateReader()
        return self._dates

    def forget_actors(self) -> None:
        """The actors file changed: canonical names in the actor cells read may have too."""
        self.actor_cells.clear()
        self.actor_names.clear()

    def actors(self, cell: str, book: ActorBook) -> tuple[str, ...]:
        """An actors cell's canonical names, in order, each once (none for a cell of blanks)."""
        return self.actors_of([cell], book)[0]

    def actors_of(self, cells: list[str], book: ActorBook) -> list[tuple[str, ...]]:
        """:meth:`actors` of each of ``cells``."""
        known, names = self.actor_cells, self.actor_names

        def canonical(part: str) -> str:
            # A name as written ("  U.S. "), tidied and looked up once: a file's cells are lists of a
            # few hundred names.
            name = tidy(part)
            found = names[part] = (names[name] if name in names else names.setdefault(name, book.canonical(name))) \
                if name else ""
            return found

        found = []
        for cell in cells:
            actors = known.get(cell)
            if actors is None:
                actors = known[cell] = tuple(dict.fromkeys([
                    name for name in (names[part] if part in names else canonical(part)
                                      for part in cell.split(ACTOR_SEPARATOR)) if name]))
            found.append(actors)
        return found

    def read(self, table: Table, columns: tuple[str, ...], book: ActorBook, *, consume: bool = False) -> Rows:
        """Every row's values and problems, read a column at a time; with ``consume``, the
        table's columns are let go of as the rows take them (a table read for these rows only).

        Each rule runs once per distinct cell (a file of a million rows has a few kinds, a
        few hundred thousand date texts) and its verdict is spread to the rows that hold it.
        Problems are gathered rule by rule in the order one row's rules run, so that, once
        sorted by line and column, they read exactly as a row-by-row check wrote them.
        """
        from .dates import language_code, locale_order

        count = len(table)
        found = _Found(table)
        self.reported_dates.clear()
        dead = np.zeros(count, dtype=bool)  # rows with no event: no dates could be read
        # Columns of mostly distinct cells that Arrow holds (titles, notes) are ruled by Arrow's
        # kernels, which let go of the GIL: on another thread, while Python reads the dates.
        later = {index: column for index, column in enumerate(columns) if _ruled_later(table.columns[index], column)}
        cells = _cells_by_column(table, columns, set(later))
        helper = ThreadPoolExecutor(max_workers=1) if later else None
        jobs = [helper.submit(_arrow_cells, table, index, column) for index, column in later.items()]

        for index, column in enumerate(columns):
            if index not in later:
                cell = cells[column] if column in cells else _Cells.of(table.columns[index])
                _text_rules(cell, column, found, dead)

        actors = cells["actors"]
        actor_tuples = self.actors_of(actors.raw, book)
        found.add(actors.rows_where(np.array([not a for a in actor_tuples]))[0], "actors",
                  "names no actor (separate several with ;)")

        status = cells["status"]
        statuses = []
        for text in status.values:
            value = text.lower() or DEFAULT_STATUS
            statuses.append(STATUS_SPELLINGS.get(value, value))
        bad = np.array([value not in STATUSES for value in statuses])
        rows, at = status.rows_where(bad)
        found.add(rows, "status", lambda v, texts=status.values: f'"{texts[v]}" is not one of: {", ".join(STATUSES)}', at=at)
        statuses = [DEFAULT_STATUS if wrong else value for value, wrong in zip(statuses, bad)]
        statuses_by_text = dict(zip(status.values, statuses))

        kind = cells["kind"]
        kinds = [text.lower() or DEFAULT_KIND for text in kind.values]
        rows, at = kind.rows_where(np.array([value not in KINDS for value in kinds]))
        found.add(rows, "kind", lambda v, texts=kind.values: f'"{texts[v]}" is not one of: {", ".join(KINDS)}', at=at)

        url = cells["url"]
        rows, at = url.rows_where(np.array([bool(v) and not safe_url(v) for v in url.values]))
        found.add(rows, "url", lambda v, texts=url.values: f'"{texts[v]}" is not an absolute http:// or https:// address', at=at)

        language = cells["language"]
        languages = [language_code(text) if text else None for text in language.values]
        languages_by_text = dict(zip(language.values, languages))
        rows, at = language.rows_where(np.array([bool(t) and c is None for t, c in zip(language.values, languages)]))
        rows, at = rows[~dead[rows]], at[~dead[rows]]
        found.add(rows, "language", lambda v, texts=language.values: f'"{texts[v]}" is not a language dateparser reads; write its '
                  "code, such as es, pl, tr, zh or he (the README lists them)", at=at)

        # The dates of each distinct (date, end, reported, status, language), read once.
        date, end, reported = cells["date"], cells["end_date"], cells["reported"]
        key = _combined(count, *(cell.key_part() for cell in (date, end, reported, status, language)))
        alive = np.flatnonzero(~dead).astype(np.int32 if count < 2**31 else np.int64)
        # Each live row's distinct key, numbered as they first appear (a hash, not a sort of the rows):
        # the dead rows' keys are never looked up.
        codes, distinct = pd.factorize(key[alive])
        del key
        distinct = len(distinct)
        first = alive[first_rows(codes)]
        repeats = np.bincount(codes, minlength=distinct)
        # Per key, which distinct cell it holds of each of its columns.
        keyed = (date, end, reported, status, language)
        at = [first if cell.codes is None else cell.codes[first] for cell in keyed]
        orders = {text: locale_order(text) for text in language.values}
        local = np.array([bool(orders[text]) for text in language.values], dtype=bool)[at[4]]
        file_order, order_note = self._file_order((date, end, reported), at[:3], repeats, table.lines[first],
                                                  local, table.name)
        # Most keys' cells are absolute dates that break no rule: read a distinct text at a time, into
        # arrays of days; the others one key at a time.
        clean, start_day, stop_day, precise, reported_day = self._clean_dates(
            (date, end, reported), at[:3], np.array(statuses, dtype=object)[at[3]],
            np.array([not text for text in language.values], dtype=bool)[at[4]], orders.get("") or file_order[0])
        issues = {}  # distinct key -> its issues, for those that have any
        for number in np.flatnonzero(~clean).tolist():
            date_text, end_text, reported_text, status_text, language_text = (
                cell.values[which[number]] for cell, which in zip(keyed, at))
            cache_key = (date_text, end_text, reported_text, statuses_by_text[status_text],
                         languages_by_text[language_text], bool(language_text),
                         orders[language_text] or file_order[0])
            dates = self.date_cells.get(cache_key)
            if dates is None:
                dates = self.read_dates(*cache_key)
                if self.remember:
                    self.date_cells[cache_key] = dates
            span, end_span, reported_date, issues[number] = dates
            if span is not None:
                start_day[number] = span.start.toordinal() - _EPOCH
                stop_day[number] = (end_span or span).end.toordinal() - _EPOCH
                precise[number] = PRECISIONS.index(_coarser(span, end_span))
            if reported_date is not None:
                reported_day[number] = reported_date.toordinal() - _EPOCH
        del orders, at, keyed
        # Which distinct key each row holds (-1: none), as narrow as their count allows.
        where = np.full(count, -1, dtype=np.int32 if distinct < 2**31 else np.int64)
        where[alive] = codes
        del codes, alive
        # The rows of each distinct date with issues, its issues once for all of them.
        with_issues = np.zeros(distinct + 1, dtype=bool)
        with_issues[[number for number, found_here in issues.items() if found_here]] = True
        rows = np.flatnonzero(with_issues[where])
        by_dates = np.argsort(where[rows], kind="stable")
        groups = np.split(rows[by_dates], np.flatnonzero(np.diff(where[rows][by_dates])) + 1) if len(rows) else []
        for group in groups:
            for column, message, warning in issues[int(where[group[0]])]:
                found.add(group, column, message, warning)
        dead |= np.append(start_day == _NO_DAY, True)[where]

        live = np.flatnonzero(~dead).astype(np.int32 if count < 2**31 else np.int64)
        # The rows in the frame's order, by start then line (the sort keeps ties in line order):
        # each column is taken once, already sorted.
        live = live[np.argsort(start_day[where[live]], kind="stable")]
        at = where[live]
        starts, stops, reported_days = (_days(days[at]) for days in (start_day, stop_day, reported_day))
        precision = categorical(precise[at], list(PRECISIONS), PRECISIONS)
        # The dates read, once per distinct cell, are in the columns now: their memory goes to the
        # columns still to take (the peak of a big file's read is here).
        del start_day, stop_day, reported_day, precise, where, at, dead
        release_freed()
        lines, actor_codes = table.lines[live], actors.key_part()[0][live]
        title_keys = None
        for (column, job) in zip(later.values(), jobs):
            cell, their_found, keys = job.result()
            found.take(their_found)
            if column in KNOWN_COLUMNS:
                cells[column] = cell
            if keys is not None:
                title_keys = keys[live]
            del cell, their_found, keys
        if helper is not None:
            helper.shutdown()
        title = cells["title"]
        texts = {  # per frame column, its cells' column and one text per distinct cell
            "title": ("title", title.values, None),
            "kind": ("kind", [k if k in KINDS else DEFAULT_KIND for k in kinds], KINDS),
            "status": ("status", statuses, STATUSES),
            "date_text": ("date", date.values, None),
            "end_text": ("end_date", end.values, None),
            **{column: (column, cells[column].values, None) for column in ("location", "source", "url", "notes")},
        }
        del title, kind, status, date, end, url, language, reported
        # A column's cells are let go of once taken, and with ``consume`` the table's column too:
        # a big file's peak is here, where the rows' columns and the table's would all be held.
        position = {column: index for index, column in enumerate(columns)}

        def taken(column: str) -> _Cells:
            if consume and column in position:
                table.columns[position[column]] = None
            return cells.pop(column)

        values = {"actors": taken("actors").per_row(actor_tuples, live), "start": starts, "end": stops,
                  "precision": precision, "reported": reported_days}
        del actors
        for name in list(texts):
            column, per_value, vocabulary = texts.pop(name)
            values[name] = taken(column).column(per_value, live, vocabulary)
            del per_value
        if consume:
            table.columns[:] = [None] * len(table.columns)  # the columns no rule knows
        return Rows(lines, values, found.problems() + order_note, actor_codes, actor_tuples, found.error_lines(),
                    file_order, title_keys)

    def _file_order(self, cells: tuple[_Cells, ...], at: list[np.ndarray], repeats: np.ndarray, lines: np.ndarray,
                    local: np.ndarray, name: str) -> tuple[tuple, list[Problem]]:
        """((order, decided by the file, numeric cells), file-level warning) for the distinct keys
        that hold the date cells ``at`` of ``cells`` (date, end, reported), ``repeats`` rows each, first
        on ``lines``; a key with a locale (``local``) decides for itself.

        The file's unambiguous cells decide how the ambiguous ones read (2/24/2022 makes 3/7/2022 the 7th
        of March); a row with a locale, and an order given by the caller, decide for themselves.
        """
        counts = {"DMY": 0, "MDY": 0, "either": 0}
        examples = {}
        kinds = ("DMY", "MDY", "either")
        for cell, which in zip(cells, at):  # a key's date before its end before its reported date
            # Each distinct text's order once: 0 none, else 1 + its place in kinds.
            written = np.zeros(len(cell.values), dtype=np.int8)
            for value in np.unique(which).tolist():
                kind = self.dates.written_order(cell.values[value]) if cell.values[value] else None
                written[value] = kinds.index(kind) + 1 if kind else 0
            kind_at = np.where(local, 0, written[which])
            for number, kind in enumerate(kinds, start=1):
                holding = np.flatnonzero(kind_at == number)
                if not len(holding):
                    continue
                counts[kind] += int(repeats[holding].sum())
                key = holding[np.argmin(lines[holding])]
                if kind not in examples or lines[key] < examples[kind][1]:
                    examples[kind] = (cell.values[which[key]], int(lines[key]))
        return _decided_order(self.date_order, counts, examples, name)

    def _clean_dates(self, cells: tuple[_Cells, _Cells, _Cells], at: list[np.ndarray], statuses: np.ndarray,
                     plain: np.ndarray, order: str) -> tuple[np.ndarray, ...]:
        """Per distinct key (holding the distinct cells ``at`` of ``cells``, with its status in
        ``statuses``, ``plain`` when it names no language), whether it is clean: it names no
        language, its end is absolute, its date absolute or relative to a clean reported date, and
        no rule of :meth:`read_dates` finds an issue in them. Then (clean, start, stop, precision, reported):
        for the clean keys, their days since 1970-01-01 and their precision's place in
        PRECISIONS; for the others, _NO_DAY (read_dates reads them one by one).

        Each distinct text is read once, and the rules run on arrays of the keys' days, where
        read_dates would run once per key."""
        days = []  # per cell, per key: (start, stop, precision, whether the key has the cell)
        for index, (cell, which) in enumerate(zip(cells, at)):
            size = len(cell.values)
            start, stop = np.full(size, _NO_DAY, dtype=np.int64), np.full(size, _NO_DAY, dtype=np.int64)
            precision = np.zeros(size, dtype=np.int8)
            for value in np.unique(which).tolist():
                text = cell.values[value]
                if not text:
                    continue
                if index == 2:  # a reported date: a day, no warning, within the years shown
                    day, warning, message = self._reported(text, None, order)
                    span = Span(day, day, "day") if message is None and not warning else None
                else:
                    span = self.dates.absolute(text, None, order)
                if _clean_span(span):
                    start[value], stop[value] = span.start.toordinal() - _EPOCH, span.end.toordinal() - _EPOCH
                    precision[value] = PRECISIONS.index(span.precision)
            written = np.array([bool(text) for text in cell.values], dtype=bool)
            days.append((start[which], stop[which], precision[which], written[which]))
        (start, stop, precision, has_date), (end_start, end_stop, end_precision, has_end), \
            (reported, _, _, has_reported) = days
        # A date relative to a clean reported date ("this week") is read once per key.
        dates = cells[0].values
        relative = plain & has_date & (start == _NO_DAY) & (reported != _NO_DAY) & (~has_end | (end_start != _NO_DAY))
        keys = np.flatnonzero(relative)
        for key, value, day in zip(keys.tolist(), at[0][keys].tolist(), reported[keys].tolist()):
            try:
                span = self.dates.read(dates[value], date.fromordinal(day + _EPOCH), statuses[key], None, order)
            except DateError:
                continue
            if _clean_span(span):
                start[key], stop[key] = span.start.toordinal() - _EPOCH, span.end.toordinal() - _EPOCH
                precision[key] = PRECISIONS.index(span.precision)
        # A key is clean when each cell it has is, and none of the rules between them finds an issue.
        clean = (start != _NO_DAY) & (~has_end | (end_start != _NO_DAY)) & (~has_reported | (reported != _NO_DAY))
        clean &= plain
        clean &= ~has_end | (end_stop >= start)  # no end before the start
        last = np.where(has_end, end_stop, stop)
        far = (precision <= PRECISIONS.index("week")) & (np.abs(reported - start) > FAR_FROM_REPORTED_DAYS)
        early = (statuses == "happened") & (start > reported)
        late = np.isin(statuses, ("planned", "proposed")) & (last < reported)
        clean &= ~has_reported | ~(far | early | late)  # no warning of a date far from, or against, the story's
        precision = np.where(has_end, np.maximum(precision, end_precision), precision)
        return (clean, np.where(clean, start, _NO_DAY), np.where(clean, last, _NO_DAY), np.where(clean, precision, 0),
                np.where(clean & has_reported, reported, _NO_DAY))

    def _reported(self, text: str, language: str | None, order: str) -> tuple:
        """(day, warning, error message) of a reported date, read once per text in a read."""
        known = self.reported_dates.get((text, language, order))
        if known is None:
            try:
                known = (self.dates.read_reported(text, language, order),
                         self.dates.read(text, language=language, order=order).warning, None)
            except DateError as problem:
                known = (None, None, str(problem))
            self.reported_dates[(text, language, order)] = known
        return known

    def read_dates(self, date_text: str, end_text: str, reported_text: str, status: str,
                    language: str | None, language_given: bool, order: str):
        """(span, end span, reported date, issues) of a row's date cells."""
        issues: list[tuple[str | None, str, bool]] = []
        error = lambda column, message: issues.append((column, message, False))  # noqa: E731
        reported = None
        if reported_text:
            # Many rows' dates share a story's date: it is read once for all of them.
            reported, warning, message = self._reported(reported_text, language, order)
            if message is not None:
                error("reported", message)
            elif warning:
                issues.append(("reported", warning, True))

        span = end_span = None
        if not date_text:
            error("date", "is empty")
        # A bad reported date or language is already reported: no second message, no guesses.
        if not (reported_text and reported is None or language_given and language is None):
            for column, cell in (("date", date_text), ("end_date", end_text)):
                if not cell:
                    continue
                try:
                    read = self.dates.read(cell, reported, status, language, order)
                except DateError as problem:
                    error(column, str(problem))
                    continue
                if read.warning:
                    issues.append((column, read.warning, True))
                if column == "date":
                    span = read
                else:
                    end_span = read

        if span and end_span and end_span.end < span.start and not self.dates.is_absolute(end_text, language, order):
            # "Friday" to "Sunday": a relative end counts forward from the start, not from the story.
            try:
                end_span = self.dates.read(end_text, span.start, "planned", language, order)
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


def header_columns(table: Table) -> tuple[tuple[str, ...], list[Problem]]:
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


def safe_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) \
        and not any(c.isspace() for c in url) and not CONTROL.search(url)


def _control_message(cell: str) -> str:
    found = CONTROL.search(cell)
    return f'holds a control character ("{found.group()}") at character {found.start() + 1}; remove it'


def _formula_message(cell: str) -> str:
    start = cell if len(cell) <= 24 else cell[:23] + "…"
    return (f'"{start}" would run as a formula in a spreadsheet; reword it, or write the file for '
            "spreadsheets with normalize --safe-for-spreadsheets")


def _coarser(span: Span, end_span: Span | None) -> str:
    order = ("day", "week", "month", "year")
    if end_span is None:
        return span.precision
    return max(span.precision, end_span.precision, key=order.index)


def _clean_span(span: Span | None) -> bool:
    """Whether a span read gives no warning and lies within the years the timeline shows."""
    return span is not None and not span.warning and EARLIEST <= span.start and span.end <= LATEST


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

_NO_DAY = np.iinfo(np.int64).min  # NaT, as a count of days
NO_LINES = np.zeros(0, dtype=np.int64)
_EPOCH = date(1970, 1, 1).toordinal()


# Columns whose rules Arrow and numpy can run (controls, formulas, length, emptiness): kept as Arrow
# strings when their cells mostly differ, never a Python string per row, and ruled on a helper
# thread while Python reads the dates. The others' rules are Python's.
_ARROW_RULED = ("title", "location", "source", "notes")
# A formula's first byte.
_FORMULA_BYTE = np.zeros(256, dtype=bool)
_FORMULA_BYTE[list(b"\t\r=+-@")] = True


def _c0_control(block: np.ndarray) -> np.ndarray:
    """A C0 control but \t, \n and \r, or DEL: one byte each in UTF-8."""
    marked = block < 0x20
    if marked.any():
        marked &= (block != 0x09) & (block != 0x0A) & (block != 0x0D)
    marked |= block == 0x7F
    return marked


def _c1_control(block: np.ndarray) -> np.ndarray:
    """U+0080-U+009F: 0xc2, then a byte of 0x80-0x9f."""
    follows = block[1:]
    return (block[:-1] == 0xC2) & (follows >= 0x80) & (follows <= 0x9F)


def _arrow_candidates(texts, sign: re.Pattern) -> np.ndarray:
    """Per cell of Arrow strings, whether it may hold what ``sign`` (CONTROL or _MAY_BE_FORMULA)
    looks for, from its bytes with numpy: comparisons over blocks of bytes, where a regex kernel
    runs a machine per cell, five times slower. The cells found are then tested one by one."""
    import pyarrow as pa

    found = []
    for chunk in texts.chunks if isinstance(texts, pa.ChunkedArray) else [texts]:
        count = len(chunk)
        offsets, data = arrow_bytes(chunk)
        marked = np.zeros(count, dtype=bool)
        if sign is CONTROL:
            data = data[offsets[0]:offsets[-1]]
            at = np.concatenate((byte_positions(data, _c0_control), byte_positions(data, _c1_control))) + offsets[0]
            if len(at):
                marked[np.searchsorted(offsets, at, side="right") - 1] = True
        elif len(data):
            starts = offsets[:-1]
            marked = (offsets[1:] > starts) & _FORMULA_BYTE[data[np.minimum(starts, len(data) - 1)]]
        found.append(marked)
    return np.concatenate(found) if found else np.zeros(0, dtype=bool)


@dataclass(frozen=True)
class _Cells:
    """One column's cells: the distinct ones, and which of them each row holds."""

    codes: np.ndarray | None  # per row, an index into ``raw``; None: row i holds raw[i]
    raw: list[str] | object  # as written: a list, or (codes None) Arrow strings
    values: list[str] | object  # stripped, the same
    longest: int  # characters in the longest stripped cell

    @classmethod
    def of(cls, column: Column, arrow_ruled: bool = True) -> _Cells:
        """A table's column; Arrow strings stay so when ``arrow_ruled``."""
        raw = column.values
        if is_arrow(raw) and not arrow_ruled:
            raw = raw.to_pylist()
        if not is_arrow(raw):
            raw = raw.tolist() if isinstance(raw, np.ndarray) else list(raw)
            values = list(map(str.strip, raw))
            return cls(column.codes, raw, values, max(map(len, values), default=0))
        import pyarrow.compute as pc

        values = pc.utf8_trim_whitespace(raw)
        if values.equals(raw):
            values = raw  # one copy of a million titles, not two
        return cls(column.codes, raw, values, pc.max(pc.utf8_length(values)).as_py() or 0)

    @property
    def arrow(self) -> bool:
        return is_arrow(self.raw)

    def text(self, value: int) -> str:
        """A distinct cell as written."""
        return self.raw[value].as_py() if self.arrow else self.raw[value]

    def marked(self, sign: re.Pattern, test) -> np.ndarray | None:
        """Per distinct cell, whether ``test`` finds it bad; None when ``sign`` (a looser pattern)
        finds no cell worth testing."""
        if self.arrow:
            candidates = _arrow_candidates(self.raw, sign)
            if not candidates.any():
                return None
            bad = np.zeros(len(self.raw), dtype=bool)
            where = np.flatnonzero(candidates)
            bad[where] = [bool(test(text)) for text in self.raw.take(where).to_pylist()]
            return bad
        if not sign.search("\n".join(self.raw)):
            return None
        return np.fromiter(map(bool, map(test, self.raw)), dtype=bool, count=len(self.raw))

    def lengths(self) -> np.ndarray:
        """Characters in each stripped distinct cell."""
        if self.arrow:
            import pyarrow.compute as pc

            return pc.utf8_length(self.values).to_numpy(zero_copy_only=False)
        return np.fromiter(map(len, self.values), dtype=np.int64, count=len(self.values))

    def values_at(self, rows: np.ndarray) -> list[str]:
        """The stripped cells of ``rows``."""
        at = rows if self.codes is None else self.codes[rows]
        return objects(self.values)[at].tolist()

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
        """``per_value`` (one item per distinct cell) spread to ``rows``, as an object array."""
        items = objects(per_value)
        return items[rows] if self.codes is None else items[self.codes[rows]]

    def column(self, per_value, rows: np.ndarray, vocabulary: tuple[str, ...] | None = None):
        """``per_value`` (one text per distinct cell, or Arrow strings) spread to ``rows``, as the
        frame holds it (:mod:`timeline.columns`)."""
        if self.codes is not None:
            return categorical(self.codes[rows], per_value, vocabulary)
        if vocabulary is not None:
            return categorical(rows, per_value.to_pylist() if is_arrow(per_value) else per_value, vocabulary)
        if is_arrow(per_value):
            # A file kept in date order, every row an event: its cells as they are, not a copy.
            every = len(rows) == len(per_value) and (not len(rows) or rows[-1] == len(rows) - 1) \
                and bool(np.all(rows[1:] > rows[:-1]))
            return strings(per_value if every else per_value.take(rows))
        return strings(objects(per_value)[rows])

    def key_part(self) -> tuple[np.ndarray, int]:
        """(code per row, number of codes), for ``_combined``."""
        if self.codes is None:
            return np.arange(len(self.raw), dtype=np.int64), len(self.raw)
        return self.codes, len(self.raw)


def _cells_by_column(table: Table, columns: tuple[str, ...], later: set[int] = frozenset()) -> dict[str, _Cells]:
    """The known columns' cells, as the table holds them: distinct cells once each; not those of
    the columns at ``later`` (:func:`_arrow_cells` makes theirs)."""
    count = len(table)
    cells: dict[str, _Cells] = {}
    for index, column in enumerate(columns):
        if column in KNOWN_COLUMNS and index not in later:
            cells[column] = _Cells.of(table.columns[index], column in _ARROW_RULED)
    for column in KNOWN_COLUMNS:  # an absent column reads as blank cells
        if column not in columns:
            cells[column] = _Cells(np.zeros(count, dtype=np.int32), [""], [""], 0)
    return cells


def _ruled_later(column: Column, name: str) -> bool:
    """Whether Arrow's kernels alone rule this column (its cells Arrow strings, one per row)."""
    return is_arrow(column.values) and (name in _ARROW_RULED or name not in KNOWN_COLUMNS)


def _arrow_cells(table: Table, index: int, column: str) -> tuple[_Cells, _Found, np.ndarray | None]:
    """An Arrow column's cells, the problems of its rules, and per row a title's folded key."""
    cell = _Cells.of(table.columns[index])
    found = _Found(table)
    _text_rules(cell, column, found, None)
    return cell, found, arrow_fold_keys(cell.values) if column == "title" else None


# Columns whose cell, when it breaks a rule of any text, leaves its row without dates.
_DATE_CELLS = ("date", "end_date", "reported", "language")


def _text_rules(cell: _Cells, column: str, found: _Found, dead: np.ndarray | None) -> None:
    """The rules of every text: no control character, no formula a spreadsheet would run, no
    longer than its column allows, and a title not empty. A date cell that breaks one is not read
    (its rows marked ``dead``): "2025-11\0-11" is not 2025-11-11, and the time dates take grows
    with their length."""
    for sign, test, describe, warning in ((CONTROL, CONTROL.search, _control_message, False),
                                          (_MAY_BE_FORMULA, FORMULA.match, _formula_message, True)):
        bad = cell.marked(sign, test)
        if bad is None:
            continue
        rows, at = cell.rows_where(bad)
        found.add(rows, column, lambda v, cell=cell, describe=describe: describe(cell.text(v)), warning, at=at)
        if not warning and column in _DATE_CELLS:
            dead[rows] = True
    limit = MAX_LENGTH.get(column) if column in KNOWN_COLUMNS else None
    if limit is not None and limit < cell.longest:
        lengths = cell.lengths()
        rows, at = cell.rows_where(lengths > limit)
        found.add(rows, column, lambda v, lengths=lengths, limit=limit: (
            f"is {lengths[v]:,} characters long; the limit is {limit:,} (the README lists each column's limit)"),
            at=at)
        if column in _DATE_CELLS:
            dead[rows] = True
    if column == "title":
        found.add(cell.rows_where(cell.lengths() == 0)[0], "title", "is empty")


def _combined(count: int, *parts: tuple[np.ndarray, int]) -> np.ndarray:
    """One number per row that is equal for two rows exactly when all these (codes, size) parts are."""
    key, size = np.zeros(count, dtype=np.int64), 1
    for codes, distinct in parts:
        if size * distinct > 2**62:  # renumbered before the product could overflow
            key, uniques = pd.factorize(key)
            key, size = key.astype(np.int64, copy=False), len(uniques)
        key *= distinct
        key += codes
        size *= distinct
    return key


def _days(days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 (_NO_DAY for NaT) as datetime64[ns]."""
    return days.astype("datetime64[D]").astype("datetime64[ns]")


class _Found:
    """Problems of rows, gathered a rule at a time, made into Problems once, as far as shown."""

    def __init__(self, table: Table):
        self._name = table.name
        self._lines = table.lines
        self._groups: list[tuple] = []

    def add(self, rows, column: str, messages, warning: bool = False, at=None) -> None:
        """``rows`` ascending; ``messages``: one for all ``rows``, or a function of which of the
        column's distinct cells a row holds (``at``, one per row), called only for the rows shown."""
        if len(rows):
            self._groups.append((np.asarray(rows, dtype=np.int64), column, messages, warning, at))

    def take(self, other: _Found) -> None:
        """The problems ``other`` found (in another column's rules), as if found here."""
        self._groups += other._groups

    def error_lines(self) -> np.ndarray:
        """Every line with an error, listed or summed up: a partial dataset leaves out exactly these."""
        rows = [rows for rows, _, _, warning, _ in self._groups if not warning]
        return self._lines[np.unique(np.concatenate(rows))] if rows else np.zeros(0, dtype=np.int64)

    def problems(self) -> list[Problem]:
        """The problems on the LIMIT first lines with problems in full; each rule's others summed up.

        Rows and lines both ascend: a rule's rows listed are those before the first row past the
        last line listed, and only their lines are looked up (not ten million of them)."""
        lines = self._lines
        heads = [lines[rows[:LIMIT]] for rows, *_ in self._groups]
        heads = np.concatenate(heads) if heads else np.zeros(0, dtype=np.int64)
        cut = None
        if len(heads) > LIMIT:
            cut = int(np.searchsorted(lines, np.partition(heads, LIMIT - 1)[LIMIT - 1], "right"))
        found = []
        for rows, column, messages, warning, at in self._groups:
            say = (lambda _, m=messages: m) if isinstance(messages, str) else (lambda i, m=messages, at=at: m(at[i]))
            listed = len(rows) if cut is None else int(np.searchsorted(rows, cut))
            found += [Problem(self._name, line, column, say(i), warning)
                      for i, line in enumerate(lines[rows[:listed]].tolist())]
            if listed < len(rows):
                found.append(Problem(self._name, int(lines[rows[listed]]), column, kind_of(say(listed)), warning,
                                     len(rows) - listed, int(lines[rows[-1]])))
        return found


@dataclass
class Rows:
    """The rows that have an event, as columns, sorted by start, then line."""

    lines: np.ndarray
    values: dict[str, np.ndarray]  # FRAME_COLUMNS but id
    problems: list[Problem]  # of single rows, whatever their dates
    actor_codes: np.ndarray  # per row, which of ``actor_tuples`` it names
    actor_tuples: list[tuple[str, ...]]
    error_lines: np.ndarray  # every line with an error, past the problems' cap too
    date_order: tuple = (None, False, 0)  # (order, decided by the rows' own dates, numeric cells)
    title_keys: np.ndarray | None = None  # per row, its folded title's hash (columns.fold_keys), when known


def has_errors(problems) -> bool:
    return any(not p.warning for p in problems)


def _decided_order(given: str | None, counts: dict[str, int], examples: dict[str, tuple[str, int]],
                   name: str) -> tuple[tuple, list[Problem]]:
    """((order, decided by the file, numeric cells), file-level warning) from the rows counted of each
    kind of numeric cell ("DMY", "MDY", "either") and the first of each (text, line)."""
    numeric = sum(counts.values())
    if given:
        return (given, False, numeric), []
    # More rows of one order than of the other: the others are errors where they are read.
    order = "MDY" if counts["MDY"] > counts["DMY"] else "DMY"
    if order == "DMY" or counts["DMY"]:
        return (order, True, numeric), []
    text, line = examples["MDY"]
    either = ""
    if counts["either"]:
        other, other_line = examples["either"]
        either = (f"; so the {counts['either']:,} that could be read either way, such as \"{other}\" "
                  f"(line {other_line}), are read month first too")
    return (order, True, numeric), [Problem(
        name, None, None,
        f"numeric dates are read month first: {counts['MDY']:,} of them can only be month first, such as "
        f"\"{text}\" (line {line}), and none can only be day first{either}. If that is wrong, give --date-order "
        "DMY, or a locale such as en-GB in the language column; ISO dates (2022-03-07) are never ambiguous",
        True)]


def unread_rows(table: Table) -> list[Problem]:
    """One summary for the rows too short to read (csvfile's ``Table.unread``)."""
    first, last = table.unread
    if not len(first):
        return []
    count = int((last - first + 1).sum())
    return [Problem(table.name, int(first[0]), None,
                    f"has too few fields to hold a cell in each required column ({', '.join(REQUIRED_COLUMNS)})",
                    False, count, int(last[-1]))]


def wide_rows(table: Table) -> list[Problem]:
    width, wide = len(table.header), sorted(table.wide)
    return bounded(table.name, table.lines[wide], None,
                   lambda i: f"has {len(table.wide[wide[i]])} fields but the header has {width}; "
                             "a comma inside a field needs the field in double quotes")

