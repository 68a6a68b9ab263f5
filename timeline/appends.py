"""Rows appended to a file read before: only they are read, and the checks across rows
(duplicates, actors' first lines and counts) are carried on from the older version.

An editor appends a row as news breaks; the app re-reads the file on its next look. A file
changed any other way (a row edited, removed or inserted) is read whole by the loader.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .actors import ActorBook
from .assembly import Version, duplicate_warnings, every_problem, index_actors, frame_of, partial_version
from .columns import concat
from .csvfile import line_breaks, read_table
from .journal import dropped_rows
from .problems import Problem
from .rules import RowReader, has_errors, header_columns, unread_rows, wide_rows
from .schema import REQUIRED_COLUMNS

MAX_TAIL = 50_000  # rows appended at once beyond which the whole file is read again


def appended(reader: RowReader, book_digest: str, older: Version, data: bytes, content: str, source, book: ActorBook,
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
    columns, _ = header_columns(tail)
    rows = reader.read(tail.without(tail.wide), columns, book)
    order, decided, numeric = rows.date_order
    if numeric and decided and (older.date_order not in (None, order) or order != "DMY"):
        return None  # the order the whole file decides, and the count its warning gives, may change
    actor_lines, counts = (dict(index) for index in older.actor_index)
    new_lines, new_counts = index_actors(rows)
    for actor, line in new_lines.items():
        actor_lines.setdefault(actor, line)
        counts[actor] = counts.get(actor, 0) + new_counts[actor]
    row_problems = list(older.row_problems) + tail_problems + wide_rows(tail) + unread_rows(tail) \
        + rows.problems
    duplicates = list(older.duplicate_problems) + duplicate_warnings(name, rows, older.frame)
    if has_errors(problems) or has_errors(row_problems):
        every = every_problem(name, columns, problems + row_problems + duplicates, (actor_lines, counts),
                               book, dropped_rows(source, data, name))
        if not partial or has_errors(problems) or has_errors(tail_problems):
            return None, every
        form = replace(older.form, ends_with_newline=tail.ends_with_newline)
        return partial_version(book_digest, name, content, len(data), older.frame, rows, row_problems, form, None,
                             tail.unread_lines()), every
    both = concat([older.frame, frame_of(rows)])
    # Both are sorted by date, then line; every new line comes after every old one.
    frame = both.take(np.argsort(both["start"].to_numpy(), kind="stable")).reset_index(drop=True)
    form = replace(older.form, ends_with_newline=tail.ends_with_newline)
    base = Version(name=name, content=content, length=len(data), frame=frame, form=form,
                 row_problems=tuple(row_problems), duplicate_problems=tuple(duplicates),
                 book_digest=book_digest, actor_index=(actor_lines, counts), table=None,
                 date_order=older.date_order or (order if numeric else None))
    return base, problems

