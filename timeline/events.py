"""From events.csv to a validated, normalized table of events.

``load_events(path)`` returns a :class:`Dataset` or raises :class:`InvalidData`
carrying every problem in the file. :class:`EventLoader` does the same and keeps
its caches between calls, so a running app re-reads a growing file cheaply.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from datetime import date
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from .actors import ActorBook, fold, load_actors, split_names
from .csvfile import Form, Table, display_name, line_breaks, objects, paused_gc, read_bytes, read_table
from .dates import DateError, DateReader, Span, language_code, locale_order
from .journal import dropped_rows
from .problems import LIMIT, InvalidData, Problem, bounded, limited
from .problems import kind as kind_of
from .store import MIN_ROWS, Entry, Store, digest
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
BASES = 2  # valid files remembered, for rows appended to them (each holds its events)
TURN_BYTES = 1 << 20  # files this big are worth waiting for another process to store
MAX_TAIL = 50_000  # rows appended at once beyond which the whole file is read again
# C0 controls but tab, line feed and carriage return (which quoted cells may hold), DEL and C1:
# never text, and, printed, an escape sequence a terminal would act on.
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


@dataclass(frozen=True)
class Dataset:
    frame: pd.DataFrame
    as_of: pd.Timestamp | None
    members: dict[str, frozenset[str]]
    aliases: dict[str, str]  # folded spelling (actors.fold) -> canonical name, for names typed by readers
    problems: tuple[Problem, ...]  # warnings only: the errors are the caller's, from check()
    path: str
    form: Form  # header, line endings: what an appended row must match
    # The file as cells, read when first asked for (normalize wants it; the page never does).
    read_table: Callable[[], Table] = field(repr=False, compare=False)
    # The lines of rows with errors, not in ``frame``, ascending: only check(partial=True) gives a
    # Dataset of a file with errors, so that readers see the valid rows; it is never stored or kept.
    left_out: np.ndarray = field(default_factory=lambda: _NO_LINES, compare=False)
    date_order: str | None = None  # how 3/7/2022 was read: DMY, MDY or YMD; None when no date is so written

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self.problems

    @property
    def partial(self) -> bool:
        return bool(len(self.left_out))

    def left_out_note(self) -> str:
        """What a reader of the valid rows must be told, in a few words ("" for a valid file)."""
        count = len(self.left_out)
        if not count:
            return ""
        rows = len(self.frame) + count
        return f"{count:,} of {rows:,} rows left out: they have errors"

    @cached_property
    def table(self) -> Table:
        return self.read_table()


def actors_path_for(events_path) -> str | None:
    if not isinstance(events_path, (str, os.PathLike)):
        return None
    candidate = os.path.join(os.path.dirname(os.path.abspath(events_path)), ACTORS_FILE)
    return candidate if os.path.isfile(candidate) else None


class EventLoader:
    """Loads events files, remembering what it read so that the next read does less.

    It keeps the dates and actor cells it has read, the last two valid files it read
    (so a file with rows appended is read from the end of the old rows, plus the
    checks across rows), and, for files given by path, the normalized events in the
    Parquet store of :mod:`timeline.store`, for the next process to start from.
    """

    def __init__(self, actors=None, *, keep_table: bool = True, cache: bool = True, date_order: str | None = None,
                 share: bool = False):
        """``date_order`` (DMY, MDY or YMD) reads every numeric date so, instead of deciding it per file;
        ``share``: the stored events are mapped from one file all processes share (a server's workers)."""
        self._actors_source = actors
        self.date_order = date_order
        self.dates = DateReader()
        # What a row's date cells mean depends on them, its status and its language only.
        self._date_cells: dict[tuple, tuple] = {}
        self._actor_cells: dict[str, tuple[str, ...]] = {}
        self._book_fingerprint = None
        self._book_digest = ""
        self._bases: list[_Base] = []  # newest first
        self._keep_table = keep_table  # False: a dataset re-reads its table from the bytes when asked
        self._cache = cache
        self._share = share
        self.last_read = ""  # how the last check got its events: memory, store, appended or whole

    def load(self, source, name: str | None = None) -> Dataset:
        dataset, problems = self.check(source, name)
        if dataset is None:
            raise InvalidData(problems)
        return dataset

    def check(self, source, name: str | None = None, *,
              partial: bool = False) -> tuple[Dataset | None, list[Problem]]:
        """Every problem in the file, and the dataset when there is no error.

        ``partial``: when the only errors are in rows (not the header, the CSV's quoting or
        encoding, or the actors file), the dataset of the other rows, its ``left_out`` naming
        the lines left out; None still when no row is valid. Such a dataset is never stored,
        nor remembered as a file that later appends build on.
        """
        book, problems = self._book(source)
        name = name or ("<input>" if isinstance(source, bytes) else display_name(source))
        data = _bytes_of(source)
        if data is None:  # unreadable: read_table says why
            return None, problems + read_table(source, name)[1]
        where = source if isinstance(source, (str, os.PathLike)) else name
        store = Store(where, share=self._share) if self._cache and _is_file(where) else None
        store = store if store is not None and store.folder is not None else None
        content = digest(data)
        with paused_gc():
            base = self._base(name, content)
            self.last_read = "memory"
            if base is None and store is not None and len(data) >= TURN_BYTES:
                # Workers that start together take turns: the first reads the file and stores its
                # events, the others find them stored.
                with store.turn():
                    base, problems = self._read(data, content, name, source, book, problems, store, partial)
            elif base is None:
                base, problems = self._read(data, content, name, source, book, problems, store, partial)
            if base is None:
                return None, problems
            if len(base.left_out):  # its problems are complete: the error path gathered them
                return _dataset(base, book, problems, base.table_reader(data)), problems
            return self._finish(base, data, source, book, problems)

    def _read(self, data: bytes, content: str, name: str, source, book: ActorBook, problems: list[Problem],
              store: Store | None, partial: bool = False):
        """(base, problems) from the store, from a file read before and the rows after it, or whole."""
        key = store.key(content, self._book_digest) if store else ""
        entry = store.get(key) if store else None
        if entry is not None:
            self.last_read = "store"
            return self._remember(_Base.from_entry(name, entry, self._book_digest)), problems
        older = self._older(name, data) or (self._from_store(store, name, data) if store else None)
        found = self._appended(older, data, content, source, book, problems, partial) \
            if older is not None else None
        if found is not None:
            self.last_read = "appended"
            base, problems = found
            # Shared, a grown file is stored whatever was added: every worker then maps one copy.
            if base is not None and not len(base.left_out) and store \
                    and len(base.frame) - (0 if self._share else len(older.frame)) >= MIN_ROWS:
                base = self._saved(base, store, key)
            return base, problems
        self.last_read = "whole"
        base, problems = self._whole(data, content, name, source, book, problems, partial)
        if base is not None and not len(base.left_out) and store and len(base.frame) >= MIN_ROWS:
            base = self._saved(base, store, key)
        return base, problems

    def _saved(self, base: _Base, store: Store, key: str) -> _Base:
        """``base``, stored; when shared, as mapped from the shared file, in place of this process's copy."""
        base.save(store, key)
        entry = store.mapped(key)
        return self._remember(_Base.from_entry(base.name, entry, self._book_digest)) if entry else base

    # --- the ways to the events -------------------------------------------------------------

    def _whole(self, data: bytes, content: str, name: str, source, book: ActorBook, problems: list[Problem],
               partial: bool = False):
        """(base, problems) from every row of the file; base is None when it has errors, or, with
        ``partial``, holds the valid rows when every error is a row's."""
        table, table_problems = read_table(data, name, required=REQUIRED_COLUMNS)
        problems += table_problems
        if not table.header:
            return None, problems
        columns, header_problems = _columns(table)
        problems += header_problems
        if _errors(header_problems):
            return None, problems
        rows = self._read_rows(table.without(table.wide), columns, book)
        row_problems = _wide_rows(table) + _unread_rows(table) + rows.problems
        duplicates = _duplicates(name, rows)
        actor_index = _actor_index(rows)
        if _errors(problems) or _errors(row_problems):
            every = _every_problem(name, columns, problems + row_problems + duplicates, actor_index, book,
                                   dropped_rows(source, data, name, table))
            if not partial or _errors(problems):
                return None, every
            return self._partial(name, content, len(data), None, rows, row_problems, table.form,
                                 table if self._keep_table else None, table.unread_lines()), every
        base = _Base(name=name, content=content, length=len(data), frame=_frame(rows), form=table.form,
                     row_problems=tuple(row_problems), duplicate_problems=tuple(duplicates),
                     book_digest=self._book_digest, actor_index=actor_index,
                     table=table if self._keep_table else None,
                     _tuples=[rows.actor_tuples[cell] for cell, _ in _first_appearances(rows.actor_codes)],
                     date_order=rows.date_order[0] if rows.date_order[2] else None)
        return self._remember(base), problems

    def _appended(self, older: _Base, data: bytes, content: str, source, book: ActorBook,
                  problems: list[Problem], partial: bool = False):
        """(base, problems) from ``older`` and the rows after it, as ``_whole`` gives them; None when
        the file did not change by rows appended (or too many were: reading it whole is as quick)."""
        if not older.form.ends_with_newline or older.form.newline == "\r" or len(data) <= older.length:
            return None
        lines = line_breaks(memoryview(data)[: older.length])
        tail, tail_problems = read_table(data[older.length:], older.name, header=list(older.form.header),
                                         first_line=lines + 1, required=REQUIRED_COLUMNS)
        if len(tail) > MAX_TAIL:
            return None
        name = older.name
        columns, _ = _columns(tail)
        rows = self._read_rows(tail.without(tail.wide), columns, book)
        order, decided, numeric = rows.date_order
        if numeric and decided and (older.date_order not in (None, order) or order != "DMY"):
            return None  # the order the whole file decides, and the count its warning gives, may change
        actor_lines, counts = (dict(index) for index in older.actor_index)
        new_lines, new_counts = _actor_index(rows)
        for actor, line in new_lines.items():
            actor_lines.setdefault(actor, line)
            counts[actor] = counts.get(actor, 0) + new_counts[actor]
        row_problems = list(older.row_problems) + tail_problems + _wide_rows(tail) + _unread_rows(tail) \
            + rows.problems
        duplicates = list(older.duplicate_problems) + _duplicates(name, rows, older.frame)
        if _errors(problems) or _errors(row_problems):
            every = _every_problem(name, columns, problems + row_problems + duplicates, (actor_lines, counts),
                                   book, dropped_rows(source, data, name))
            if not partial or _errors(problems) or _errors(tail_problems):
                return None, every
            form = replace(older.form, ends_with_newline=tail.ends_with_newline)
            return self._partial(name, content, len(data), older.frame, rows, row_problems, form, None,
                                 tail.unread_lines()), every
        both = pd.concat([older.frame, _frame(rows)], ignore_index=True)
        # Both are sorted by date, then line; every new line comes after every old one.
        frame = both.take(np.argsort(both["start"].to_numpy(), kind="stable")).reset_index(drop=True)
        form = replace(older.form, ends_with_newline=tail.ends_with_newline)
        base = _Base(name=name, content=content, length=len(data), frame=frame, form=form,
                     row_problems=tuple(row_problems), duplicate_problems=tuple(duplicates),
                     book_digest=self._book_digest, actor_index=(actor_lines, counts), table=None,
                     date_order=older.date_order or (order if numeric else None))
        return self._remember(base), problems

    def _partial(self, name: str, content: str, length: int, older: pd.DataFrame | None, rows: _Rows,
                 row_problems: list[Problem], form: Form, table: Table | None, unread: np.ndarray) -> _Base | None:
        """The valid rows of a file whose only errors are rows' (``older``: the events of a valid
        file these rows were appended to); None when no row is valid. Not remembered: the
        next read of a file built on this one must see its errors again."""
        # The problems are capped (the rest summed up by kind): the rows' own errors come whole.
        listed = {p.line for p in row_problems if not p.warning and not p.summed}
        if None in listed:  # an error of no row: which rows are good is unknown
            return None
        bad = np.union1d(rows.error_lines, np.fromiter(listed, dtype=np.int64, count=len(listed)))
        kept = _frame(rows)
        kept = kept[~np.isin(kept["id"].to_numpy(), bad)]
        if older is not None:
            both = pd.concat([older, kept], ignore_index=True)
            kept = both.take(np.argsort(both["start"].to_numpy(), kind="stable"))
        if not len(kept):
            return None
        return _Base(name=name, content=content, length=length, frame=kept.reset_index(drop=True), form=form,
                     row_problems=(), duplicate_problems=(), book_digest=self._book_digest,
                     actor_index=({}, {}), table=table, left_out=np.union1d(bad, unread),
                     date_order=rows.date_order[0] if rows.date_order[2] else None)

    def _finish(self, base: _Base, data: bytes, source, book: ActorBook, problems: list[Problem]):
        """The dataset of a valid file, with every warning, sorted as the whole-file read sorts them."""
        columns, _ = _columns(Table(base.name, list(base.form.header)))
        table = base.table_reader(data)
        problems = _every_problem(base.name, columns,
                                  problems + list(base.row_problems) + list(base.duplicate_problems),
                                  base.actor_index, book, dropped_rows(source, data, base.name, table))
        if _errors(problems):  # the actors file's
            return None, problems
        return _dataset(base, book, problems, table), problems

    # --- what is remembered -------------------------------------------------------------------

    def _base(self, name: str, content: str) -> _Base | None:
        return next((b for b in self._bases if b.name == name and b.content == content
                     and b.book_digest == self._book_digest), None)

    def _older(self, name: str, data: bytes) -> _Base | None:
        for base in self._bases:
            if base.name == name and base.book_digest == self._book_digest and base.length < len(data) \
                    and digest(memoryview(data)[: base.length]) == base.content:
                return base
        return None

    def _from_store(self, store: Store, name: str, data: bytes) -> _Base | None:
        entry = store.prefix(data, self._book_digest)
        return _Base.from_entry(name, entry, self._book_digest) if entry is not None else None

    def _remember(self, base: _Base) -> _Base:
        self._bases = [base] + [b for b in self._bases if b.content != base.content][: BASES - 1]
        return base

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
            # What the events depend on besides the bytes, so the stored ones of another order are not taken.
            self._book_digest = digest(repr((self._book_fingerprint, self.date_order)).encode())
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

        for index, column in enumerate(columns):
            # A known column's distinct cells (an unknown one's, every cell), each looked at once.
            unknown = table.columns[index]
            cell = cells[column] if column in cells else _Cells(unknown.codes, unknown.values.tolist(), [], 0)
            joined = "\n".join(cell.raw)
            for sign, test, describe, warning in ((CONTROL, CONTROL.search, _control_message, False),
                                                  (_MAY_BE_FORMULA, FORMULA.match, _formula_message, True)):
                if not sign.search(joined):
                    continue
                bad = np.fromiter(map(bool, map(test, cell.raw)), dtype=bool, count=len(cell.raw))
                rows, at = cell.rows_where(bad)
                found.add(rows, column, lambda v, raw=cell.raw, describe=describe: describe(raw[v]), warning, at=at)
                if not warning and column in ("date", "end_date", "reported", "language"):
                    dead[rows] = True  # "2025-11\0-11" is not 2025-11-11: a cell with a control is not read
            del joined

        for column, cell in cells.items():
            limit = MAX_LENGTH.get(column)
            if limit is None or limit >= cell.longest:
                continue
            lengths = np.fromiter(map(len, cell.values), dtype=np.int64, count=len(cell.values))
            rows, at = cell.rows_where(lengths > limit)
            found.add(rows, column, lambda v, lengths=lengths, limit=limit: (
                f"is {lengths[v]:,} characters long; the limit is {limit:,} (the README lists each column's limit)"),
                at=at)
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
        found.add(rows, "status", lambda v: f'"{status.values[v]}" is not one of: {", ".join(STATUSES)}', at=at)
        statuses = [DEFAULT_STATUS if wrong else value for value, wrong in zip(statuses, bad)]
        statuses_by_text = dict(zip(status.values, statuses))

        kind = cells["kind"]
        kinds = [text.lower() or DEFAULT_KIND for text in kind.values]
        rows, at = kind.rows_where(np.array([value not in KINDS for value in kinds]))
        found.add(rows, "kind", lambda v: f'"{kind.values[v]}" is not one of: {", ".join(KINDS)}', at=at)

        url = cells["url"]
        rows, at = url.rows_where(np.array([bool(v) and not safe_url(v) for v in url.values]))
        found.add(rows, "url", lambda v: f'"{url.values[v]}" is not an absolute http:// or https:// address', at=at)

        language = cells["language"]
        languages = [language_code(text) if text else None for text in language.values]
        languages_by_text = dict(zip(language.values, languages))
        rows, at = language.rows_where(np.array([bool(t) and c is None for t, c in zip(language.values, languages)]))
        rows, at = rows[~dead[rows]], at[~dead[rows]]
        found.add(rows, "language", lambda v: f'"{language.values[v]}" is not a language dateparser reads; write its '
                  "code, such as es, pl, tr, zh or he (the README lists them)", at=at)

        # The dates of each distinct (date, end, reported, status, language), read once.
        date, end, reported = cells["date"], cells["end_date"], cells["reported"]
        key = _combined(count, *(cell.key_part() for cell in (date, end, reported, status, language)))
        alive = np.flatnonzero(~dead)
        keys, first, repeats = np.unique(key[alive], return_index=True, return_counts=True)
        first = alive[first]
        read = []
        parts = list(zip(*(cell.values_at(first) for cell in (date, end, reported, status, language))))
        orders = {text: locale_order(text) for text in language.values}
        file_order, order_note = self._file_order(parts, repeats, table.lines[first], orders, table.name)
        for date_text, end_text, reported_text, status_text, language_text in parts:
            parsed = statuses_by_text[status_text]
            cache_key = (date_text, end_text, reported_text, parsed, languages_by_text[language_text],
                         bool(language_text), orders[language_text] or file_order[0])
            dates = self._date_cells.get(cache_key)
            if dates is None:
                dates = self._date_cells[cache_key] = self._read_dates(*cache_key)
            read.append(dates)
        where = np.full(count, -1, dtype=np.int64)
        where[alive] = np.searchsorted(keys, key[alive])
        # The rows of each distinct date with issues, its issues once for all of them.
        with_issues = np.array([bool(r[3]) for r in read] + [False])
        rows = np.flatnonzero(with_issues[where])
        by_dates = np.argsort(where[rows], kind="stable")
        groups = np.split(rows[by_dates], np.flatnonzero(np.diff(where[rows][by_dates])) + 1) if len(rows) else []
        for group in groups:
            for column, message, warning in read[where[group[0]]][3]:
                found.add(group, column, message, warning)
        no_span = np.array([r[0] is None for r in read] + [True])
        dead |= no_span[where]

        live = np.flatnonzero(~dead)
        spans = [r[0] for r in read]
        ends = [r[1] or r[0] for r in read]
        key_starts = _days([s.start if s else None for s in spans])
        # The rows in the frame's order, by start then line (the sort keeps ties in line order):
        # each column is taken once, already sorted.
        live = live[np.argsort(key_starts[where[live]], kind="stable")]
        at = where[live]
        starts = key_starts[at]
        stops = _days([e.end if e else None for e in ends])[at]
        precision = objects([_coarser(r[0], r[1]) if r[0] else None for r in read])[at]
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
        return _Rows(table.lines[live], values, found.problems() + order_note, actors.key_part()[0][live], actor_tuples,
                     found.error_lines(), file_order)

    def _file_order(self, parts, repeats, lines, locale_orders, name: str) -> tuple[tuple, list[Problem]]:
        """((order, decided by the file, numeric cells), file-level warning) for the distinct date cells
        ``parts``, held by ``repeats`` rows each, first on ``lines``.

        The file's unambiguous cells decide how the ambiguous ones read (2/24/2022 makes 3/7/2022 the 7th
        of March); a row with a locale, and an order given by the caller, decide for themselves.
        """
        counts = {"DMY": 0, "MDY": 0, "either": 0}
        examples = {}
        written = self.dates.written_order
        for (date_text, end_text, reported_text, _, language_text), rows, line in zip(parts, repeats.tolist(),
                                                                                          lines.tolist()):
            if locale_orders[language_text]:
                continue
            for text in (date_text, end_text, reported_text):
                if text and (kind := written(text)):
                    counts[kind] += rows
                    if kind not in examples or line < examples[kind][1]:
                        examples[kind] = (text, line)
        return _decided_order(self.date_order, counts, examples, name)

    def _read_dates(self, date_text: str, end_text: str, reported_text: str, status: str,
                    language: str | None, language_given: bool, order: str):
        """(span, end span, reported date, issues) of a row's date cells."""
        issues: list[tuple[str | None, str, bool]] = []
        error = lambda column, message: issues.append((column, message, False))  # noqa: E731
        reported = None
        if reported_text:
            try:
                reported = self.dates.read_reported(reported_text, language, order)
                warning = self.dates.read(reported_text, language=language, order=order).warning
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
_NO_LINES = np.zeros(0, dtype=np.int64)
_EPOCH = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class _Cells:
    """One column's cells: the distinct ones, and which of them each row holds."""

    codes: np.ndarray | None  # per row, an index into ``raw``; None: row i holds raw[i]
    raw: list[str]  # as written
    values: list[str]  # stripped
    longest: int  # characters in the longest stripped cell

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
        """``per_value`` (one item per distinct cell) spread to ``rows``."""
        items = objects(per_value)
        return items[rows] if self.codes is None else items[self.codes[rows]]

    def key_part(self) -> tuple[np.ndarray, int]:
        """(code per row, number of codes), for ``_combined``."""
        if self.codes is None:
            return np.arange(len(self.raw), dtype=np.int64), len(self.raw)
        return self.codes, len(self.raw)


def _cells_by_column(table: Table, columns: tuple[str, ...]) -> dict[str, _Cells]:
    """The known columns' cells, as the table holds them: distinct cells once each."""
    count = len(table)
    cells: dict[str, _Cells] = {}
    for index, column in enumerate(columns):
        if column not in KNOWN_COLUMNS:
            continue
        codes, distinct = table.columns[index].codes, table.columns[index].values.tolist()
        values = list(map(str.strip, distinct))
        cells[column] = _Cells(codes, distinct, values, max(map(len, values), default=0))
    for column in KNOWN_COLUMNS:  # an absent column reads as blank cells
        cells.setdefault(column, _Cells(np.zeros(count, dtype=np.int32), [""], [""], 0))
    return cells


def _key_part(values: np.ndarray) -> tuple[np.ndarray, int]:
    """(code per row, number of codes) of any column of values, for ``_combined``."""
    codes, distinct = pd.factorize(values)
    return codes.astype(np.int64, copy=False), len(distinct)


def _combined(count: int, *parts: tuple[np.ndarray, int]) -> np.ndarray:
    """One number per row that is equal for two rows exactly when all these (codes, size) parts are."""
    key, size = np.zeros(count, dtype=np.int64), 1
    for codes, distinct in parts:
        key = key * distinct + codes
        size *= distinct
        if size > 2**31:  # renumber before the product could overflow
            key, uniques = pd.factorize(key)
            key, size = key.astype(np.int64, copy=False), len(uniques)
    return key


def _days(days: list) -> np.ndarray:
    """datetime.date (or None for NaT) as datetime64[ns]."""
    ordinals = np.fromiter((_NO_DAY if d is None else d.toordinal() - _EPOCH for d in days),
                           dtype=np.int64, count=len(days))
    return ordinals.astype("datetime64[D]").astype("datetime64[ns]")


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
class _Rows:
    """The rows that have an event, as columns, sorted by start, then line."""

    lines: np.ndarray
    values: dict[str, np.ndarray]  # FRAME_COLUMNS but id
    problems: list[Problem]  # of single rows, whatever their dates
    actor_codes: np.ndarray  # per row, which of ``actor_tuples`` it names
    actor_tuples: list[tuple[str, ...]]
    error_lines: np.ndarray  # every line with an error, past the problems' cap too
    date_order: tuple = (None, False, 0)  # (order, decided by the rows' own dates, numeric cells)


def _errors(problems) -> bool:
    return any(not p.warning for p in problems)


def _sort(problems: list[Problem], name: str, columns) -> None:
    order = {column: i for i, column in enumerate(columns)}
    problems.sort(key=lambda p: (p.file != name, p.summed, p.line or 0, order.get(p.column, -1)))


def _every_problem(name: str, columns, problems: list[Problem], actor_index, book: ActorBook,
                   journal: list[Problem]) -> list[Problem]:
    """The problems found so far, the warnings that need every row, and the journal's: sorted."""
    problems = problems + _lookalike_warnings(name, *actor_index, book) + journal
    _sort(problems, name, columns)
    return limited(problems)


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


def _unread_rows(table: Table) -> list[Problem]:
    """One summary for the rows too short to read (csvfile's ``Table.unread``)."""
    first, last = table.unread
    if not len(first):
        return []
    count = int((last - first + 1).sum())
    return [Problem(table.name, int(first[0]), None,
                    f"has too few fields to hold a cell in each required column ({', '.join(REQUIRED_COLUMNS)})",
                    False, count, int(last[-1]))]


def _wide_rows(table: Table) -> list[Problem]:
    width, wide = len(table.header), sorted(table.wide)
    return bounded(table.name, table.lines[wide], None,
                   lambda i: f"has {len(table.wide[wide[i]])} fields but the header has {width}; "
                             "a comma inside a field needs the field in double quotes")


def _duplicates(name: str, rows: _Rows, before: pd.DataFrame | None = None) -> list[Problem]:
    """A warning on each row whose title (folded) and dates an earlier row has.

    ``before``: the events of the rows above these ones (rows appended to a file read
    before), searched by date; an append is a few rows, each compared with one day's events."""
    count = len(rows.lines)
    if not count:
        return []
    titles, starts, ends = rows.values["title"], rows.values["start"], rows.values["end"]
    earlier = _first_of_same(titles, starts, ends, rows.lines)
    if before is not None and len(before):
        days = before["start"].to_numpy()
        low, high = np.searchsorted(days, starts, "left"), np.searchsorted(days, starts, "right")
        for row in np.flatnonzero(high > low).tolist():
            same = before.iloc[low[row]:high[row]]
            same = same[same["end"].to_numpy() == ends[row]]
            folded = fold(titles[row])
            lines = [line for line, title in zip(same["id"].tolist(), same["title"].tolist()) if fold(title) == folded]
            if lines:
                earlier[row] = min(lines)
    repeated = np.flatnonzero(earlier != rows.lines)
    repeated = repeated[np.argsort(rows.lines[repeated], kind="stable")]
    return bounded(name, rows.lines[repeated], "title",
                   lambda i: f"the same event as line {earlier[repeated[i]]} (same title and dates)", True)


def _first_of_same(titles: np.ndarray, starts: np.ndarray, ends: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """For each row, the first line with its folded title and its dates (its own line when none is before).

    Rows are first grouped by a hash of the folded title, not by the folded titles themselves (a
    million of them would be a million new strings held at once); only rows that share a hash and
    dates are folded again and compared, so a hash collision never makes two events one."""
    count = len(lines)
    hashes = np.fromiter(map(hash, map(fold, titles)), dtype=np.int64, count=count)
    days, until = starts.view(np.int64), ends.view(np.int64)
    order = np.lexsort((lines, until, days, hashes))  # the last key sorts first: by hash, dates, then line
    hashes, days, until = hashes[order], days[order], until[order]
    same = (hashes[1:] == hashes[:-1]) & (days[1:] == days[:-1]) & (until[1:] == until[:-1])
    del hashes, days, until
    earlier = lines.copy()
    if not same.any():
        return earlier
    edges = np.diff(np.concatenate(([0], same.view(np.int8), [0])))
    for first, last in zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()):
        seen: dict[str, int] = {}
        for row in order[first:last + 1].tolist():  # ascending lines
            earlier[row] = seen.setdefault(fold(titles[row]), int(lines[row]))
    return earlier


def _lookalike_warnings(name: str, actor_lines: dict[str, int], counts: dict[str, int],
                        book: ActorBook) -> list[Problem]:
    problems = []
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
    """Each actor's first line and its number of events, in the order actors first appear in the file."""
    actor_lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    per_cell = np.bincount(rows.actor_codes, minlength=len(rows.actor_tuples))
    by_line = np.argsort(rows.lines, kind="stable")
    for cell, row in _first_appearances(rows.actor_codes[by_line]):
        line = int(rows.lines[by_line[row]])
        for actor in rows.actor_tuples[cell]:
            actor_lines.setdefault(actor, line)
            counts[actor] = counts.get(actor, 0) + int(per_cell[cell])
    return actor_lines, counts


def _first_appearances(codes: np.ndarray) -> list[tuple[int, int]]:
    """(code, first position) of each distinct code, in the order they first appear."""
    distinct, first = np.unique(codes, return_index=True)
    order = np.argsort(first)
    return list(zip(distinct[order].tolist(), first[order].tolist()))


def _frame(rows: _Rows) -> pd.DataFrame:
    """The events, as ``rows`` holds them (sorted by start, then line)."""
    data = {"id": pd.Series(rows.lines, dtype=np.int64)}
    for column in FRAME_COLUMNS[1:]:
        values = rows.values[column]
        # object, not pandas' str: the values are Python strings and tuples already, kept as they are
        data[column] = pd.Series(values, dtype=values.dtype if values.dtype.kind == "M" else object, copy=False)
    return pd.DataFrame(data, columns=list(FRAME_COLUMNS), copy=False)


def _actors_in_order(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """The distinct actor tuples of ``frame``, in the order they first appear in it."""
    values = frame["actors"].to_numpy()
    codes, _ = pd.factorize(values)
    return [values[row] for _, row in _first_appearances(codes)]


def _dataset(base: _Base, book: ActorBook, problems, read: Callable[[], Table]) -> Dataset:
    frame = base.frame
    reported = frame["reported"].dropna()
    as_of = reported.max() if len(reported) else None
    aliases = dict(book.by_key)
    members = book.members()
    for group in members:  # a state named only as someone's member_of is still a filter
        aliases.setdefault(fold(group), group)
    # Each name folded once, in the order of first appearance in the frame: a million events
    # name a few thousand tuples of a few hundred names.
    names = dict.fromkeys(actor for actors in base.actor_tuples() for actor in actors)
    for actor in names:
        aliases.setdefault(fold(actor), actor)
    return Dataset(
        frame=frame,
        as_of=as_of,
        members=members,
        aliases=aliases,
        problems=tuple(p for p in problems if p.warning),
        path=base.name,
        form=base.form,
        read_table=read,
        date_order=base.date_order,
        left_out=base.left_out,
    )


@dataclass
class _Base:
    """A valid file read: its events, and what reading rows appended to it needs."""

    name: str
    content: str  # digest of the bytes
    length: int
    frame: pd.DataFrame
    form: Form
    row_problems: tuple[Problem, ...]  # warnings of single rows
    duplicate_problems: tuple[Problem, ...]
    book_digest: str
    actor_index: tuple[dict[str, int], dict[str, int]]  # each actor's first line and events, in file order
    table: Table | None = None
    _tuples: list | None = None
    date_order: str | None = None  # how its numeric dates were read; None when it has none
    # Lines of rows with errors, ascending: a partial read, never stored or remembered.
    left_out: np.ndarray = field(default_factory=lambda: _NO_LINES)

    def actor_tuples(self) -> list[tuple[str, ...]]:
        """The distinct actor tuples, in the order they first appear in the frame."""
        if self._tuples is None:
            self._tuples = _actors_in_order(self.frame)
        return self._tuples

    def table_reader(self, data: bytes) -> Callable[[], Table]:
        table = self.table
        if table is not None:
            return lambda: table
        return lambda: read_table(data, self.name)[0]

    def save(self, store: Store, key: str) -> None:
        actor_lines, counts = self.actor_index
        store.put(key, self.book_digest, Entry(
            frame=self.frame, length=self.length, content=self.content, form=self.form,
            row_problems=self.row_problems, duplicate_problems=self.duplicate_problems,
            actors=[(actor, line, counts[actor]) for actor, line in actor_lines.items()], date_order=self.date_order))

    @classmethod
    def from_entry(cls, name: str, entry: Entry, book_digest: str) -> _Base:
        def named(problems):  # the file as this reader names it
            return tuple(Problem(name, p.line, p.column, p.message, p.warning) for p in problems)

        actor_index = ({a: line for a, line, _ in entry.actors}, {a: count for a, _, count in entry.actors})
        return cls(name=name, content=entry.content, length=entry.length, frame=entry.frame, form=entry.form,
                   row_problems=named(entry.row_problems), duplicate_problems=named(entry.duplicate_problems),
                   book_digest=book_digest, actor_index=actor_index, date_order=entry.date_order)


def _bytes_of(source) -> bytes | None:
    if isinstance(source, bytes):
        return source
    try:
        data = read_bytes(source)
    except OSError:
        return None
    return data.encode("utf-8") if isinstance(data, str) else data


def _is_file(where) -> bool:
    return isinstance(where, (str, os.PathLike)) and os.path.isfile(where)
