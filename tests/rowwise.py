"""The loader as it was before it read by column: row by row, a dict per row.

An oracle for tests/test_events_columns.py, which checks that the column-wise
loader gives the same events and the same messages on generated and mutated files.
It shares the per-cell rules (the dates, the actors book, the URL test) with the
loader, and has its own row loop, cross-row checks and frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from timeline.actors import ActorBook, fold
from timeline.csvfile import Table, read_table
from timeline.dates import language_code, locale_order
from timeline.assembly import Dataset, _lookalike_warnings
from timeline.events import EventLoader
from timeline.rules import (
    CONTROL,
    FORMULA,
    STATUS_SPELLINGS,
    _coarser,
    _control_message,
    _decided_order,
    _formula_message,
    safe_url,
)
from timeline.rules import header_columns as _columns
from timeline.journal import dropped_rows
from timeline.problems import Problem, limited
from timeline.schema import DEFAULT_KIND, DEFAULT_STATUS, FRAME_COLUMNS, KINDS, MAX_LENGTH, STATUSES

_SHORTEST_LIMIT = min(MAX_LENGTH.values())


@dataclass(frozen=True)
class _Row:
    values: dict
    issues: tuple[tuple[str | None, str, bool], ...]


class RowLoader(EventLoader):
    def __init__(self, actors=None):
        super().__init__(actors)
        self._rows: dict[tuple, _Row] = {}

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
        (order, _, _), note = self._file_order(table, columns)
        problems += note
        for line, cells in table.rows:
            if len(cells) > width:
                problems.append(
                    Problem(table.name, line, None,
                            f"has {len(cells)} fields but the header has {width}; "
                            "a comma inside a field needs the field in double quotes")
                )
                continue
            key = (columns, tuple(cells), order)
            row = self._rows.get(key)
            if row is None:
                row = self._rows[key] = self._read_row(list(zip(columns, cells)), book, order)
            if row.issues:
                problems += [Problem(table.name, line, column, message, warning)
                             for column, message, warning in row.issues]
            rows.append((line, row))

        problems += _cross_row_warnings(table.name, rows, book)
        problems += dropped_rows(source, None, table.name, table)
        order = {column: i for i, column in enumerate(columns)}
        problems.sort(key=lambda p: (p.file != table.name, p.line or 0, order.get(p.column, -1)))
        problems = limited(problems)  # the first problems in full, the others summed up by kind
        if any(not p.warning for p in problems):
            return None, problems
        return _dataset(table, rows, book, problems), problems

    def _file_order(self, table: Table, columns):
        """The order of the file's numeric dates, counted a row at a time."""
        counts = {"DMY": 0, "MDY": 0, "either": 0}
        examples: dict[str, tuple[str, int]] = {}
        for line, cells in table.rows:
            if len(cells) > len(table.header):
                continue
            row = {column: value.strip() for column, value in zip(columns, cells)}
            dated = ("date", "end_date", "reported", "language")
            if any(len(row.get(column, "")) > MAX_LENGTH[column] for column in dated):
                continue
            if any(CONTROL.search(value) for column, value in zip(columns, cells) if column in dated):
                continue  # not read: the loader leaves a date cell with a control character out
            if locale_order(row.get("language", "")):
                continue
            for column in ("date", "end_date", "reported"):
                text = row.get(column, "")
                if text and (kind := self.dates.written_order(text)):
                    counts[kind] += 1
                    examples.setdefault(kind, (text, line))
        return _decided_order(self.date_order, counts, examples, table.name)

    def _read_row(self, pairs: list[tuple[str, str]], book: ActorBook, order: str) -> _Row:
        issues: list[tuple[str | None, str, bool]] = []
        error = lambda column, message: issues.append((column, message, False))  # noqa: E731
        unread = False  # a date cell with a control character is not read
        for column, value in pairs:
            if CONTROL.search(value):
                error(column, _control_message(value))
                unread = unread or column in ("date", "end_date", "reported", "language")
            if FORMULA.match(value):
                issues.append((column, _formula_message(value), True))
        raw = dict(pairs)
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
        actors = self.rows.actors(raw.get("actors", ""), book)
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
        if url and not safe_url(url):
            error("url", f'"{url}" is not an absolute http:// or https:// address')

        language_text = get("language", "")
        language = None
        if unread or too_long and any(column in too_long for column in ("date", "end_date", "reported", "language")):
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
        key = (date_text, end_text, reported_text, status, language, bool(language_text),
               locale_order(language_text) or order)
        dates = self.rows.date_cells.get(key)
        if dates is None:
            dates = self.rows.date_cells[key] = self.rows.read_dates(*key)
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
    # the spelling rule itself, per actor, is the loader's: only the row loop around it is compared
    return problems + _lookalike_warnings(name, actor_lines, counts, book)


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
        form=table.form,
        read_table=lambda: table,
    )
