"""From events.csv to a validated, normalized table of events.

``load_events(path)`` returns a :class:`Dataset` or raises :class:`InvalidData`
carrying every problem in the file. :class:`EventLoader` does the same and keeps
its caches between calls, so a running app re-reads a growing file cheaply.

The rooms of the loader: :mod:`timeline.csvfile` reads bytes into a table;
:mod:`timeline.rules` applies the rules once per distinct cell; :mod:`timeline.assembly`
makes the frame and the dataset, with the checks across rows; :mod:`timeline.appends` reads
only the rows appended since a remembered version; :mod:`timeline.store` keeps versions for the
next process. This module decides which way a file is read.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future

from .actors import ActorBook, load_actors
from .appends import appended
from .assembly import Dataset, Version, dataset_of, duplicate_warnings, index_actors, every_problem, first_appearances, \
    frame_of, partial_version
from .csvfile import Table, display_name, paused_gc, read_bytes, read_table
from .journal import dropped_rows
from .problems import InvalidData, Problem
from .rules import RowReader, has_errors, header_columns, unread_rows, wide_rows
from .schema import REQUIRED_COLUMNS
from .shared import release_freed
from .store import MIN_ROWS, Store, digest

__all__ = ["Dataset", "EventLoader", "actors_path_for", "check_events", "load_events"]

ACTORS_FILE = "actors.csv"
# A day-precise date this far from its story's date is more likely a typo than history.
BASES = 2  # valid files remembered, for rows appended to them (each holds its events)
TURN_BYTES = 1 << 20  # files this big are worth waiting for another process to store
# C0 controls but tab, line feed and carriage return (which quoted cells may hold), DEL and C1:
# never text, and, printed, an escape sequence a terminal would act on.


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
                 once: bool = False, share: bool = False):
        """``date_order`` (DMY, MDY or YMD) reads every numeric date so, instead of deciding it per file.
        ``once``: the loader reads one file once (a command): it keeps nothing for a next read.
        ``share``: the stored events are mapped from one file all processes share (a server's workers)."""
        self._actors_source = actors
        self.date_order = date_order
        self.rows = RowReader(date_order, remember=not once)
        self._book_fingerprint = None
        self._book_digest = ""
        self._bases: list[Version] = []  # newest first
        self._keep_table = keep_table  # False: a dataset re-reads its table from the bytes when asked
        self._cache = cache
        self._share = share
        self.last_read = ""  # how the last check got its events: memory, store, appended or whole

    @property
    def dates(self):
        """The DateReader of this loader's rows (for reading single cells as they would be read)."""
        return self.rows.dates

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
        where = source if isinstance(source, (str, os.PathLike)) else name
        store = Store(where, share=self._share) if self._cache and _is_file(where) else None
        store = store if store is not None and store.folder is not None else None
        # A restart's events, read from the store while the file is read and hashed (on two cores:
        # each lets go of the GIL for most of its work), when a stored entry is newer than the file.
        ahead = _ReadAhead.of(store, [where, self._actors_path(source)]) \
            if store is not None and not self._bases and not self._share else None
        data = _bytes_of(source)
        if data is None:  # unreadable: read_table says why
            return None, problems + read_table(source, name)[1]
        # A command's read of one file needs the file's digest only for the events it gives: hashed
        # meanwhile, on another core (hashlib lets go of the GIL).
        content = digest(data) if self._bases or store is not None else _on_a_thread(digest, data)
        with paused_gc():
            base = self._base(name, content)
            self.last_read = "memory"
            if base is None and store is not None and len(data) >= TURN_BYTES:
                # Workers that start together take turns: the first reads the file and stores its
                # events, the others find them stored.
                with store.turn():
                    base, problems = self._read(data, content, name, source, book, problems, store, partial, ahead)
            elif base is None:
                base, problems = self._read(data, content, name, source, book, problems, store, partial, ahead)
            if base is None:
                return None, problems
            if len(base.left_out):  # its problems are complete: the error path gathered them
                return dataset_of(base, book, problems, base.table_reader(data)), problems
            return self._finish(base, data, source, book, problems)

    def _read(self, data: bytes, content: str, name: str, source, book: ActorBook, problems: list[Problem],
              store: Store | None, partial: bool = False, ahead: _ReadAhead | None = None):
        """(base, problems) from the store, from a file read before and the rows after it, or whole."""
        key = store.key(content, self._book_digest) if store else ""
        entry = (ahead.entry(key) if ahead is not None else store.get(key)) if store else None
        if entry is not None:
            self.last_read = "store"
            return self._remember(Version.from_entry(name, entry, self._book_digest)), problems
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

    def _saved(self, base: Version, store: Store, key: str) -> Version:
        """``base``, stored; when shared, as mapped from the shared file, in place of this process's copy."""
        base.save(store, key)
        entry = store.mapped(key)
        return self._remember(Version.from_entry(base.name, entry, self._book_digest)) if entry else base

    # --- the ways to the events -------------------------------------------------------------

    def _whole(self, data: bytes, content: str, name: str, source, book: ActorBook, problems: list[Problem],
               partial: bool = False):
        """(base, problems) from every row of the file; base is None when it has errors, or, with
        ``partial``, holds the valid rows when every error is a row's."""
        table, table_problems = read_table(data, name, required=REQUIRED_COLUMNS)
        problems += table_problems
        if not table.header:
            return None, problems
        columns, header_problems = header_columns(table)
        problems += header_problems
        if has_errors(header_problems):
            return None, problems
        release_freed()  # the blocks the reader parsed: not kept while the rules run
        # A table kept for later appends keeps its columns; else the rows take them over.
        rows = self.rows.read(table.without(table.wide), columns, book, consume=not self._keep_table)
        release_freed()
        row_problems = wide_rows(table) + unread_rows(table) + rows.problems
        duplicates = duplicate_warnings(name, rows)
        actor_index = index_actors(rows)
        if has_errors(problems) or has_errors(row_problems):
            cells = table if self._keep_table else lambda: read_table(data, name)[0]  # read again if asked
            every = every_problem(name, columns, problems + row_problems + duplicates, actor_index, book,
                                   dropped_rows(source, data, name, cells))
            if not partial or has_errors(problems):
                return None, every
            return partial_version(self._book_digest, name, _known(content), len(data), None, rows, row_problems, table.form,
                                 table if self._keep_table else None, table.unread_lines()), every
        base = Version(name=name, content=_known(content), length=len(data), frame=frame_of(rows), form=table.form,
                     row_problems=tuple(row_problems), duplicate_problems=tuple(duplicates),
                     book_digest=self._book_digest, actor_index=actor_index,
                     table=table if self._keep_table else None,
                     _tuples=[rows.actor_tuples[cell] for cell, _ in first_appearances(rows.actor_codes)],
                     date_order=rows.date_order[0] if rows.date_order[2] else None)
        return self._remember(base), problems

    def _appended(self, older: Version, data: bytes, content: str, source, book: ActorBook,
                  problems: list[Problem], partial: bool = False):
        """:func:`timeline.appends.appended`, the version it gives remembered (unless partial)."""
        found = appended(self.rows, self._book_digest, older, data, content, source, book, problems, partial)
        if found is not None and found[0] is not None and not len(found[0].left_out):
            self._remember(found[0])
        return found

    def _finish(self, base: Version, data: bytes, source, book: ActorBook, problems: list[Problem]):
        """The dataset of a valid file, with every warning, sorted as the whole-file read sorts them."""
        columns, _ = header_columns(Table(base.name, list(base.form.header)))
        table = base.table_reader(data)
        problems = every_problem(base.name, columns,
                                  problems + list(base.row_problems) + list(base.duplicate_problems),
                                  base.actor_index, book, dropped_rows(source, data, base.name, table))
        if has_errors(problems):  # the actors file's
            return None, problems
        return dataset_of(base, book, problems, table), problems

    # --- what is remembered -------------------------------------------------------------------

    def _base(self, name: str, content: str) -> Version | None:
        return next((b for b in self._bases if b.name == name and b.content == content
                     and b.book_digest == self._book_digest), None)

    def _older(self, name: str, data: bytes) -> Version | None:
        for base in self._bases:
            if base.name == name and base.book_digest == self._book_digest and base.length < len(data) \
                    and digest(memoryview(data)[: base.length]) == base.content:
                return base
        return None

    def _from_store(self, store: Store, name: str, data: bytes) -> Version | None:
        entry = store.prefix(data, self._book_digest)
        return Version.from_entry(name, entry, self._book_digest) if entry is not None else None

    def _remember(self, base: Version) -> Version:
        self._bases = [base] + [b for b in self._bases if b.content != base.content][: BASES - 1]
        return base

    def _actors_path(self, source) -> str | os.PathLike | None:
        actors = self._actors_source if self._actors_source is not None else actors_path_for(source)
        return actors if isinstance(actors, (str, os.PathLike)) else None

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
            self.rows.forget_actors()
            self._book_fingerprint = book.fingerprint()
            # What the events depend on besides the bytes, so the stored ones of another order are not taken.
            self._book_digest = digest(repr((self._book_fingerprint, self.date_order)).encode())
        return book, problems


def load_events(source, *, actors=None, name: str | None = None) -> Dataset:
    """Read, normalize and validate an events file; raises InvalidData with every problem."""
    return EventLoader(actors).load(source, name)


def check_events(source, *, actors=None, name: str | None = None) -> tuple[Dataset | None, list[Problem]]:
    return EventLoader(actors).check(source, name)


def _bytes_of(source) -> bytes | None:
    if isinstance(source, bytes):
        return source
    try:
        data = read_bytes(source)
    except OSError:
        return None
    return data.encode("utf-8") if isinstance(data, str) else data


def _on_a_thread(function, *args) -> Future:
    """``function(*args)``, worked out on a thread of its own."""
    found: Future = Future()

    def work() -> None:
        try:
            found.set_result(function(*args))
        except BaseException as error:  # noqa: BLE001 (given to whoever waits for it)
            found.set_exception(error)

    threading.Thread(target=work, daemon=True).start()
    return found


class _ReadAhead:
    """The store's newest entry, read on a thread of its own before the file's digest names the
    entry wanted: it is that one when it was written after the events file and its actors file
    last changed (unless the code or the date order changed since: then it is not used)."""

    def __init__(self, store: Store, key: str):
        self._store, self._key = store, key
        self._found = _on_a_thread(store.get, key)

    @classmethod
    def of(cls, store: Store, paths: list) -> _ReadAhead | None:
        try:
            since = max(os.stat(path).st_mtime for path in paths if path is not None)
        except (OSError, ValueError):
            return None
        key = store.newest_key(since)
        return cls(store, key) if key else None

    def entry(self, key: str):
        """The stored entry of ``key``: the one read ahead, or else read now."""
        return self._found.result() if key == self._key else self._store.get(key)


def _known(content: str | Future) -> str:
    """A digest, once worked out (on a thread of its own, :func:`_on_a_thread`)."""
    return content.result() if isinstance(content, Future) else content


def _is_file(where) -> bool:
    return isinstance(where, (str, os.PathLike)) and os.path.isfile(where)

