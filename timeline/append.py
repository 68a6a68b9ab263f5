"""Appending one event to an events file without disturbing what is already there.

``add_event(path, values)`` checks the new row with the same rules as ``check``,
then appends the new row (after a line ending when the last line had none) in the
file's own form: BOM, line ending, column order. The work happens under a lock
beside the file (``<file>.lock``); the file is re-read under that lock and the row
added in place with one ``O_APPEND`` write, so concurrent adds all land, a crash or
a full disk leaves the old file whole, and an editor who saves the whole file
meanwhile never loses their save to ours. Each row added is recorded in the
journal beside the file (:mod:`timeline.journal`), so a row such a save drops is
noticed by ``check`` and put back by ``restore``.

What blocks an add: an error in the new row, a header that cannot be used, or a
file that is not well-formed UTF-8 CSV (appending to it could swallow the row
into an unclosed quote or mix encodings). What does not: errors already present
on other rows; they are returned as ``existing_errors`` for the caller to mention,
so one editor's broken row does not stop everyone else from adding.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from shlex import quote

import pandas as pd

from . import journal
from .actors import ActorBook, fold, load_actors
from .csvfile import NotAFile, line_breaks, read_bytes, read_table
from .dates import language_code
from .events import EventLoader, actors_path_for
from .rules import STATUS_SPELLINGS
from .invocation import command
from .lockfile import LockError, LockTimeout, held, write_bits_mode
from .problems import Problem
from .safewrite import append_bytes, remove_orphans, replace_file
from .schema import KNOWN_COLUMNS

# The header a new file starts with (``--create``).
STANDARD_HEADER = (
    "date", "end_date", "reported", "title", "actors", "kind",
    "status", "location", "source", "url", "notes",
)
LOCK_TIMEOUT = 30.0  # seconds to wait for another add to finish
SETTLE_TIMEOUT, SETTLE_STEP = 1.0, 0.02  # seconds an empty file is given to fill again
REPLANS = 5  # checks of a file that keeps changing under us before giving up

_NEEDS_QUOTES = re.compile(r'[",\r\n]|^\s|\s$')


class AddError(Exception):
    """Nothing was written. ``message`` is the headline; ``problems`` the details, if any."""

    def __init__(self, message: str | None, problems=()):
        self.message = message
        self.problems = tuple(problems)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems] + ([self.message] if self.message else [])


@dataclass(frozen=True)
class Normalized:
    """What the new row's dates and actors were read as."""

    start: date
    end: date
    precision: str
    reported: date | None
    actors: tuple[str, ...]

    @property
    def span(self) -> str:
        if self.start == self.end:
            return f"{self.start.isoformat()} ({self.precision})"
        return f"{self.start.isoformat()} to {self.end.isoformat()} ({self.precision})"


@dataclass(frozen=True)
class Plan:
    """One add, worked out in memory: what would be written and what it means."""

    name: str  # the file as the user named it, for messages
    path: str  # the real file written (symlinks resolved)
    old: bytes | None  # the bytes this plan was made from; None when the file does not exist
    content: bytes  # the complete new file
    row: str  # the new row as written, without its line ending
    line: int  # the physical line the new row starts on
    creates: bool  # the file is missing or empty and gets the standard header
    added_newline: bool  # the old last line had no line ending and gets one
    values: dict  # the field values given, by column
    warnings: tuple[Problem, ...]  # warnings the add brings (on the new row or caused by it)
    existing_errors: tuple[Problem, ...]  # errors already in the file (or actors file); not blocking
    normalized: Normalized | None

    def describe(self) -> str:
        """``Sunday, reported 2025-11-23, planned -> 2025-11-23 (day)``"""
        said = self.values["date"].strip()
        if (self.values.get("end_date") or "").strip():
            said += f" to {self.values['end_date'].strip()}"
        if self.normalized is None:
            return said
        if self.normalized.reported:
            said += f", reported {self.normalized.reported.isoformat()}"
        if (self.values.get("status") or "").strip():
            said += f", {self.values['status'].strip().lower()}"
        return f"{said} -> {self.normalized.span}"


def add_event(
    path,
    values: dict[str, str | None],
    *,
    actors=None,
    create: bool = False,
    dry_run: bool = False,
    timeout: float = LOCK_TIMEOUT,
    name: str | None = None,
    date_order: str | None = None,
) -> Plan:
    """Append one event (``values``: column -> text, None for not given) to ``path``.

    Returns the :class:`Plan` that was written (or, with ``dry_run``, that would be).
    Raises :class:`AddError` and leaves the file untouched when anything is wrong.
    """
    name = name or os.fspath(path)
    target = os.path.realpath(path)
    values = _clean_values(values, name)
    actors = actors if actors is not None else actors_path_for(target)
    loader = EventLoader(actors, date_order=date_order)

    old = _settled(target, name)
    if old is None and create and not os.path.isdir(os.path.dirname(target)):
        raise AddError(f"{name}: no such folder: {os.path.dirname(target)}")
    plan = plan_add(old, values, name=name, path=target, actors=actors, loader=loader, create=create)
    if dry_run:
        return plan
    return _land(target, name, timeout, [plan],
                 lambda current: [plan_add(current, values, name=name, path=target, actors=actors, loader=loader,
                                           create=create)])[0]


def plan_add(old: bytes | None, values: dict, *, name: str, path: str | None = None, actors=None,
             loader: EventLoader | None = None, create: bool = False) -> Plan:
    """The add worked out from the file's current bytes (None: no such file); raises AddError.

    ``actors`` is the actors file (or ActorBook) the rows are read with; ``loader``, if
    given, must have been made with the same actors, and keeps its caches across calls.
    """
    loader = loader or EventLoader(actors)
    values = _clean_values(values, name)
    creates = not old
    if creates and not create:
        why = "no such file" if old is None else "file is empty"
        raise AddError(f"{name}: {why} (use --create to start it with the standard header)")
    header = STANDARD_HEADER + (("language",) if values.get("language") else ())
    base = (",".join(header) + "\n").encode() if creates else old

    # A valid file's form comes with its events (remembered, or from the store): no second read.
    before_dataset, before_problems = loader.check(base, name)
    if before_dataset is not None:
        form = before_dataset.form
    else:
        table, problems = read_table(base, name)
        if problems:
            raise AddError(f"{name}: not changed: fix the file first ({command()} check {quote(name)})", problems)
        form = table.form
    columns = [h.strip().lower() if h.strip().lower() in KNOWN_COLUMNS else h for h in form.header]
    missing = [c for c, v in values.items() if v and c not in columns]
    if missing:
        names = ", ".join(f'"{c}"' for c in missing)
        options = ", ".join(_option(c) for c in missing)
        plural = "s" if len(missing) > 1 else ""
        raise AddError(f"{name}: has no {names} column{plural} for {options}; "
                       f"add the column{plural} to the header line or leave out {options}")
    where = {}
    for index, column in enumerate(columns):
        where.setdefault(column, index)
    cells = [""] * len(columns)
    for column, value in values.items():
        if value:
            cells[where[column]] = value
    if not any(cell.strip() for cell in cells):
        raise AddError(f"{name}: nothing to add: every field is blank")

    newline = form.newline
    if b"\n" not in base and b"\r" in base:
        newline = "\r"  # classic Mac line endings, which Table reports as "\n"
    added_newline = not form.ends_with_newline
    line = line_breaks(base) + 1 + (1 if added_newline else 0)
    row = ",".join(_quote(cell) for cell in cells)
    content = base + ((newline if added_newline else "") + row + newline).encode("utf-8")

    # The row must read back as exactly these cells. (It starts a record: the old content has
    # no CSV problem, so every quote in it is closed, and it now ends with a line ending.)
    alone, alone_problems = read_table((row + newline).encode("utf-8"), name)
    if alone_problems or alone.header != cells or alone.rows:
        raise AddError(f"{name}: not changed: the new row would not read back as written "
                       "(please report this as a bug)", alone_problems)

    after, after_problems = loader.check(content, name)
    before_errors = {str(p) for p in before_problems if not p.warning}
    before_warnings = {str(p) for p in before_problems if p.warning}
    header = [p for p in after_problems if not p.warning and p.file == name and (p.line or 1) == 1]
    if header:
        raise AddError(f"{name}: not changed: fix the header line first", header)
    new_errors = [p for p in after_problems if not p.warning and str(p) not in before_errors]
    if new_errors:
        hint = ""
        if not values.get("reported") and any(_needs_reported(loader, p, values) for p in new_errors):
            hint = " (a relative date needs --reported YYYY-MM-DD)"
        elif any(p.column == "end_date" for p in new_errors) and _ends_before(loader, values):
            hint = " (--end-date is the last day, on or after --date)"
        raise AddError(f"{name}: not changed: the new event has "
                       f"{len(new_errors)} error{'s' if len(new_errors) > 1 else ''}{hint}", new_errors)
    # A note on the whole file whose counts the new row moved ("numeric dates are read month first: 517
    # of them...") is the same note: not this row's warning.
    notes = {p.message.split(":")[0] for p in before_problems if p.warning and p.line is None}
    warnings = tuple(p for p in after_problems if p.warning and str(p) not in before_warnings
                     and not (p.line is None and p.message.split(":")[0] in notes))
    existing = tuple(p for p in after_problems if not p.warning)

    return Plan(
        name=name,
        path=path or name,
        old=old,
        content=content,
        row=row,
        line=line,
        creates=creates,
        added_newline=added_newline and not creates,
        values=values,
        warnings=warnings,
        existing_errors=existing,
        normalized=_normalized(loader, actors, columns, row, newline, name, after and after.date_order),
    )


def add_events(path, rows: list[dict[str, str]], *, actors=None, dry_run: bool = False,
               timeout: float = LOCK_TIMEOUT, name: str | None = None,
               date_order: str | None = None) -> tuple[list[Plan], list[int]]:
    """Append several events to an existing ``path``, each checked and journaled as ``add_event``
    does one, under one hold of the lock; returns the plans written (with ``dry_run``, that would be)
    and the indices of ``rows`` skipped because the file already has an event with their title
    (folded) and days. Raises AddError, writing nothing, when any row has an error."""
    name = name or os.fspath(path)
    target = os.path.realpath(path)
    actors = actors if actors is not None else actors_path_for(target)
    loader = EventLoader(actors, date_order=date_order)
    cleaned = [_clean_values(row, name) for row in rows]

    def planned(old: bytes | None) -> tuple[list[Plan], list[int]]:
        if not old:
            raise AddError(f"{name}: {'no such file' if old is None else 'file is empty'}: --append-to adds to "
                           "an events file that exists; write a new one with -o")
        dataset, _ = loader.check(old, name, partial=True)
        header = dataset.form.header if dataset is not None else read_table(old, name)[0].header
        columns = {h.strip().lower() for h in header}
        missing = [c for c in KNOWN_COLUMNS if c not in columns and any(values.get(c) for values in cleaned)]
        if missing:
            names = ", ".join(missing)
            raise AddError(f"{name}: has no column{'s' if len(missing) > 1 else ''} {names} for the events to add; "
                           "add them to its header line; nothing written")
        seen = set()
        if dataset is not None:
            frame = dataset.frame
            seen = set(zip(map(fold, frame["title"].tolist()), frame["start"].tolist(), frame["end"].tolist()))
        plans, skipped, content = [], [], old
        for index, values in enumerate(cleaned):
            plan = plan_add(content, values, name=name, path=target, actors=actors, loader=loader)
            if plan.normalized is not None:
                key = (fold(values.get("title", "")), pd.Timestamp(plan.normalized.start),
                       pd.Timestamp(plan.normalized.end))
                if key in seen:
                    skipped.append(index)
                    continue
                seen.add(key)
            plans.append(plan)
            content = plan.content
        return plans, skipped

    plans, skipped = planned(_settled(target, name))
    if dry_run or not plans:
        return plans, skipped

    def replanned(current: bytes | None) -> list[Plan]:
        nonlocal skipped
        again, skipped = planned(current)
        return again

    return _land(target, name, timeout, plans, replanned), skipped


def _land(target: str, name: str, timeout: float, plans: list[Plan],
          replan: Callable[[bytes | None], list[Plan]]) -> list[Plan]:
    """Under the file's lock, ``plans`` written: each journaled, then appended, in turn.

    Another add may have landed while they were checked, or an editor saved (without the lock):
    they are planned again (``replan``) from what is there now, until the file holds still while
    they are checked. The entry comes first: a row add reports as added must be one restore finds."""
    rows = "rows were" if len(plans) > 1 else "row was"
    try:
        with _turn(target, timeout):
            for _ in range(REPLANS):
                current = _settled(target, name)
                if current != plans[0].old:
                    plans = replan(current)
                    if not plans:
                        return plans
                if _read(target, name) == plans[0].old:
                    break
            else:
                raise AddError(f"{name}: changed while the new {rows} being added (edited elsewhere?); "
                               "nothing written, run the command again")
            for done, plan in enumerate(plans):
                mark = _record(plan)
                try:
                    _write(plan)
                except AddError as error:
                    _take_back(plan, mark)
                    if done:
                        raise AddError(f"{error.message}; the {done:,} rows before it were added") from None
                    raise
    except LockError as error:
        raise AddError(_lock_message(name, error, "nothing written")) from None
    return plans


@dataclass(frozen=True)
class Restored:
    """What ``restore`` did with one journal entry whose row was missing."""

    entry: journal.Entry
    plan: Plan | None  # the add that put it back (None when forgotten or refused)
    error: AddError | None = None


def restore_rows(path, *, actors=None, forget: bool = False, dry_run: bool = False,
                 timeout: float = LOCK_TIMEOUT, name: str | None = None) -> list[Restored]:
    """Put back every row the journal says ``add`` wrote and the file no longer has, oldest first,
    each checked and appended like a new ``add``; with ``forget``, record
    instead that they were removed on purpose. Raises AddError when the file cannot be read."""
    name = name or os.fspath(path)
    target = os.path.realpath(path)
    loader = EventLoader(actors if actors is not None else actors_path_for(target))
    try:
        # The lock keeps adds out while the missing rows are worked out, so none is counted twice.
        with _turn(target, timeout):
            gone = _missing_entries(target, name, loader)
            if forget:
                if not dry_run:
                    try:
                        journal.forget(target, gone)
                    except OSError as error:
                        raise AddError(f"{name}: cannot write its add journal {name}{journal.SUFFIX}: "
                                       f"{_reason(error)}; nothing forgotten") from None
                return [Restored(entry, None) for entry in gone]
            done = []
            for entry in gone:
                try:
                    plan = plan_add(_read(target, name), entry.values, name=name, path=target, loader=loader)
                    if not dry_run:
                        _write(plan)  # its journal entry stands for it again: no second one
                    done.append(Restored(entry, plan))
                except AddError as error:
                    done.append(Restored(entry, None, error))
            return done
    except LockError as error:
        raise AddError(_lock_message(name, error, "nothing restored")) from None


def _turn(target: str, timeout: float):
    """The events file's lock (``<file>.lock``), open to those who may write the file."""
    return held(target + ".lock", timeout=timeout, mode=write_bits_mode(target))


def _lock_message(name: str, error: LockError, outcome: str) -> str:
    if isinstance(error, LockTimeout):
        return f"{name}: another add is still writing it ({error}); {outcome}, try again"
    return f"{name}: {error}; {outcome}"


def _missing_entries(target: str, name: str, loader: EventLoader) -> list[journal.Entry]:
    data = _read(target, name)
    if data is None:
        raise AddError(f"{name}: no such file")
    table, problems = read_table(data, name)
    if problems:
        raise AddError(f"{name}: not changed: fix the file first ({command()} check {quote(name)})", problems)
    columns = [h.strip().lower() if h.strip().lower() in KNOWN_COLUMNS else h for h in table.header]
    return journal.missing(target, table, columns)


# --- helpers ------------------------------------------------------------------------------

def _clean_values(values: dict, name: str) -> dict[str, str]:
    unknown = [c for c in values if c not in KNOWN_COLUMNS]
    if unknown:
        raise ValueError(f"unknown event fields: {', '.join(unknown)}")
    clean = {}
    for column, value in values.items():
        if value is None:
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise AddError(f"{name}: {_option(column)}: is not valid text (not UTF-8); nothing written") from None
        clean[column] = _canonical(column, value)
    return clean


def _canonical(column: str, value: str) -> str:
    """Status and kind as the file stores them (``--status Planned`` writes planned); a language's code."""
    if column in ("status", "kind") and value.strip():
        folded = value.strip().lower()
        return STATUS_SPELLINGS.get(folded, folded) if column == "status" else folded
    if column == "language" and value.strip():
        return language_code(value) or value  # an unknown one is reported by the row's check
    return value


def _needs_reported(loader: EventLoader, problem: Problem, values: dict) -> bool:
    """Whether ``problem`` is a date that would read with a reported date."""
    if problem.column not in ("date", "end_date") or not values.get(problem.column):
        return False
    language = language_code(values.get("language") or "")
    if loader.dates.is_absolute(values[problem.column], language):
        return False  # a reported date changes nothing: the problem is another (an end before the start)
    try:
        loader.dates.read(values[problem.column], date(2000, 1, 3), (values.get("status") or "").strip().lower(),
                          language_code(values.get("language") or ""))
    except ValueError:
        return False
    return True


def _ends_before(loader: EventLoader, values: dict) -> bool:
    """Whether the new row's end date is before its date, read as the row reads them."""
    language = language_code(values.get("language") or "")
    status = (values.get("status") or "").strip().lower() or "happened"
    try:
        reported = loader.dates.read_reported(values["reported"], language) if values.get("reported") else None
        start = loader.dates.read(values.get("date") or "", reported, status, language)
        end = loader.dates.read(values.get("end_date") or "", reported, status, language)
    except ValueError:
        return False
    return end.end < start.start


def _quote(cell: str) -> str:
    """CSV minimal quoting, plus fields with leading or trailing spaces (kept as typed)."""
    if cell and _NEEDS_QUOTES.search(cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _option(column: str) -> str:
    return "--" + column.replace("_", "-")


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _read(path: str, name: str) -> bytes | None:
    try:
        return read_bytes(path)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise AddError(f"{name}: is a directory, not a CSV file") from None
    except NotAFile as error:
        raise AddError(f"{name}: {error}; nothing written") from None
    except OSError as error:
        raise AddError(f"{name}: cannot read: {_reason(error)}") from None


def _settled(path: str, name: str) -> bytes | None:
    """The file's bytes, waiting out an empty moment: an editor saving in place empties the
    file before writing it again, and an add must not take that moment for an empty file."""
    data = _read(path, name)
    waited = 0.0
    while data == b"" and waited < SETTLE_TIMEOUT:
        time.sleep(SETTLE_STEP)
        waited += SETTLE_STEP
        data = _read(path, name)
    return data


def _write(plan: Plan) -> None:
    try:
        if plan.creates:
            replace_file(plan.path, plan.content)
        else:
            # Only our bytes: an editor's save that lands meanwhile is never overwritten by ours.
            append_bytes(plan.path, plan.content[len(plan.old):])
            remove_orphans(plan.path)  # copies a crashed whole-file write of it left behind
    except OSError as error:
        raise AddError(f"{plan.name}: cannot write: {_reason(error)}; the file is unchanged") from None


def _record(plan: Plan) -> int:
    """The row's journal entry, written whole and flushed; returns where it starts, for
    :func:`_take_back`. A journal that cannot take it stops the add: a row added without
    its entry would be lost for good by the next whole-file save that drops it."""
    try:
        return journal.record(plan.path, plan.line, plan.values, plan.row)
    except OSError as error:
        raise AddError(f"{plan.name}: cannot write its add journal {plan.name}{journal.SUFFIX}: {_reason(error)}; "
                       "nothing written, the file is unchanged") from None


def _take_back(plan: Plan, mark: int) -> None:
    """The row was not written: neither is its entry (restore would otherwise add a row no add reported)."""
    try:
        journal.cut(plan.path, mark)
    except OSError:
        pass  # its row is missing, so check and restore name it: nothing is lost, at worst one row too many


def _normalized(loader: EventLoader, actors, columns, row: str, newline: str, name: str,
                order: str | None = None) -> Normalized | None:
    """The new row read on its own (cached by the loader), for its start, end and precision, its numeric
    dates in the ``order`` the whole file reads them in."""
    if order and order != loader.date_order:
        loader = EventLoader(loader._actors_source, date_order=order)
    alone = (",".join(_quote(c) for c in columns) + newline + row + newline).encode("utf-8")
    dataset, _ = loader.check(alone, name)
    if dataset is None and actors is not None and not isinstance(actors, ActorBook):
        # The actors file has errors (already reported as notes): use what could be read of it.
        book, _ = load_actors(actors)
        dataset, _ = EventLoader(book, date_order=order or loader.date_order).check(alone, name)
    if dataset is None or len(dataset.frame) != 1:
        return None
    event = dataset.frame.iloc[0]
    reported = event["reported"]
    return Normalized(
        start=event["start"].date(),
        end=event["end"].date(),
        precision=event["precision"],
        reported=None if reported != reported else reported.date(),  # NaT != NaT
        actors=tuple(event["actors"]),
    )


__all__ = ["AddError", "LOCK_TIMEOUT", "Normalized", "Plan", "Restored", "STANDARD_HEADER", "add_event", "add_events",
           "plan_add",
           "restore_rows"]
