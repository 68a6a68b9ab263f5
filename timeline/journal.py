"""A record beside an events file of every row ``add`` wrote, to notice rows a later save dropped.

An editor's spreadsheet or text editor saves the whole file as it read it, without our
lock: a row ``add`` appended meanwhile is gone, after ``add`` said "added line N".
``add`` cannot prevent that, but it writes each row it adds to ``<file>.journal`` (one
JSON object a line: when, the line it went to, the values given, the row as written),
so ``check`` and the page can say which added rows are missing, and ``restore`` can put
them back. The journal is only ever appended to, under add's lock.

An entry is written, whole and flushed to disk, before its row: when it cannot be (a
full disk), the add fails and the events file is not touched, so every row ``add``
reports as added has an entry ``restore`` can find. A row that then cannot be written
takes its entry back (:func:`cut`). Each entry starts on a line of its own, so one cut
by a crash never swallows the next; a line still holding one from an older version is
read for the entry at its end. The journal is opened with ``O_NOFOLLOW``: in a shared
folder, another editor's symlink in its place must not redirect the append.

A row counts as present when some row of the file holds the same value in each column
the add gave (whatever the column order or quoting); an event added twice must be there
twice. ``restore --forget`` records that missing rows were removed on purpose.
"""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from shlex import quote

from .csvfile import Table
from .invocation import command
from .problems import Problem
from .safewrite import append_bytes
from .schema import KNOWN_COLUMNS

SUFFIX = ".journal"


@dataclass(frozen=True)
class Entry:
    number: int  # the journal's line
    at: str  # when the row was added, ISO 8601 UTC
    line: int  # the line ``add`` reported
    values: dict  # column -> value, as given to add
    row: str  # the row as written


def journal_path(events_path) -> str:
    """Beside the real file: a symlinked events file and its target share one journal."""
    return os.path.realpath(events_path) + SUFFIX


NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def record(events_path: str, line: int, values: dict, row: str, *, when: datetime | None = None) -> int:
    """Append one entry for a row about to be added to ``events_path`` (under add's lock).

    Returns the journal's size before it, for :func:`cut`; raises OSError, leaving the
    journal as it was, when the entry cannot be written whole and flushed to disk."""
    at = (when or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    entry = {"at": at, "line": line, "values": {c: v for c, v in values.items() if v}, "row": row}
    return _append(journal_path(events_path), entry)


def cut(events_path: str, size: int) -> None:
    """Take back the entries written since the journal had ``size`` bytes (their row was not written)."""
    descriptor = os.open(journal_path(events_path), os.O_WRONLY | NOFOLLOW | NONBLOCK)
    try:
        os.ftruncate(descriptor, size)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def forget(events_path: str, entries) -> None:
    """Record that these missing rows were removed on purpose: no more warnings about them."""
    items = [{"forget": entry.number} for entry in entries]
    if items:
        _append(journal_path(events_path), *items)


def read(events_path: str) -> tuple[list[Entry], list[Problem]]:
    """The journal's entries still in force (forgotten ones left out), and its unreadable lines."""
    path = journal_path(events_path)
    try:
        # A FIFO in its place would make every reader (the server's workers too) wait forever.
        descriptor = os.open(path, os.O_RDONLY | NOFOLLOW | NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return [], [Problem(path, None, None, "is not a regular file (another user may have put it "
                                                      "there); not read", True)]
            raw = handle.read()
    except FileNotFoundError:
        return [], []
    except OSError as error:
        return [], [Problem(path, None, None, f"cannot read the add journal: {error.strerror or error}", True)]
    entries, forgotten, problems = [], set(), []
    for number, text in enumerate(raw.decode("utf-8", "replace").splitlines(), start=1):
        if not text.strip():
            continue
        item, glued = _item(text)
        if glued:  # an older version wrote an entry onto the end of a line a crash or full disk cut
            problems.append(Problem(path, number, None, "begins with an entry cut short (the add that wrote it "
                                                        "failed); skipped, the entry after it is read", True))
        if isinstance(item, dict) and isinstance(item.get("forget"), int):
            forgotten.add(item["forget"])
            continue
        entry = _entry(number, item)
        if entry is None:  # a line cut by a crash, or edited by hand
            problems.append(Problem(path, number, None, "is not an entry of the add journal; skipped", True))
        else:
            entries.append(entry)
    return [e for e in entries if e.number not in forgotten], problems


def missing(events_path: str, table: Table, columns) -> list[Entry]:
    """Entries whose row is not in ``table`` (read with these ``columns``)."""
    entries, _ = read(events_path)
    return _missing(entries, table, columns)


def dropped_rows(events_path, data: bytes | None, name: str, table=None) -> list[Problem]:
    """A warning for each added row that is no longer in the file, and for unreadable journal lines.

    ``data`` are the file's bytes; ``table``, the file read (or a function that reads it), is
    only needed when some row is not found as written."""
    if not isinstance(events_path, (str, os.PathLike)) or not os.path.exists(journal_path(events_path)):
        return []
    entries, problems = read(os.fspath(events_path))
    shown = name + SUFFIX
    problems = [Problem(shown, p.line, None, p.message, True) for p in problems]
    if entries and not _all_written_rows_there(entries, data):
        table = table() if callable(table) else table
        if table is None:
            from .csvfile import read_table

            table = read_table(data or b"", name)[0]
        columns = [h.strip().lower() if h.strip().lower() in KNOWN_COLUMNS else h for h in table.header]
        gone = _missing(entries, table, columns)
    else:
        gone = []
    for entry in gone:
        problems.append(Problem(
            shown, entry.number, None,
            f"the row add wrote to line {entry.line} of {name} on {entry.at.replace('T', ' ').rstrip('Z')} UTC "
            f"is no longer in it (a later whole-file save dropped it?): {entry.row} -- "
            f"{command()} restore {quote(name)} puts it back; restore --forget {quote(name)} if it was removed "
            "on purpose",
            True,
        ))
    return problems


def _all_written_rows_there(entries: list[Entry], data: bytes | None) -> bool:
    """Whether each added row is still a line of the file exactly as add wrote it.

    The common case, answered with a few substring counts instead of reading a million rows;
    when it is not (a row edited, moved, requoted or gone), the rows are compared by value."""
    if not data:
        return False
    text = "\n" + data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n") + "\n"
    wanted = Counter(entry.row for entry in entries)
    # Non-overlapping counts may miss a row repeated on consecutive lines: then the slow way decides.
    return all(text.count("\n" + row + "\n") >= times for row, times in wanted.items())


def _missing(entries: list[Entry], table: Table, columns) -> list[Entry]:
    if not entries:
        return []
    keys = {entry.number: _key(entry.values) for entry in entries}
    present: Counter = Counter()
    # One pass over the rows per set of columns the adds gave (a handful), not per entry.
    for given in {tuple(c for c, _ in key) for key in keys.values()}:
        where = [columns.index(c) if c in columns else None for c in given]
        if None in where:
            continue  # a column the file no longer has: none of these rows can be there
        wanted = {key for key in keys.values() if tuple(c for c, _ in key) == given}
        cells = [map(str.strip, table.columns[i]) for i in where]
        for values in zip(*cells):
            key = tuple(zip(given, values))
            if key in wanted:
                present[key] += 1
    gone = []
    # The latest entries of a row are the ones missing when it is there fewer times than added.
    for entry in entries:
        key = keys[entry.number]
        if present[key] > 0:
            present[key] -= 1
        else:
            gone.append(entry)
    return gone


def _key(values: dict) -> tuple:
    return tuple(sorted((c, v.strip()) for c, v in values.items() if v.strip()))


def _entry(number: int, item) -> Entry | None:
    if not isinstance(item, dict):
        return None
    values, at, line, row = item.get("values"), item.get("at"), item.get("line"), item.get("row")
    if not (isinstance(values, dict) and values and all(c in KNOWN_COLUMNS and isinstance(v, str)
                                                        for c, v in values.items())):
        return None
    if not (isinstance(at, str) and isinstance(line, int) and isinstance(row, str)):
        return None
    return Entry(number, at, line, values, row)


def _item(text: str) -> tuple[object, bool]:
    """A line's JSON value, and whether it was found after a cut entry at the line's start."""
    try:
        return json.loads(text), False
    except ValueError:
        pass
    start = text.find('{"', 1)
    while start > 0:
        try:
            item = json.loads(text[start:])
        except ValueError:
            start = text.find('{"', start + 1)
            continue
        if isinstance(item, dict) and ("forget" in item or _entry(0, item) is not None):
            return item, True
        start = text.find('{"', start + 1)
    return None, False


def _append(path: str, *items: dict) -> int:
    """Append each item as a line, all whole and on disk (a cut last line is ended first, so ours
    starts a line of its own), or raise OSError with the journal as it was.

    Returns the journal's size before."""
    data = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode("utf-8")
    return append_bytes(path, data, create=True)

