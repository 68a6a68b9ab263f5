"""From the rows read to the events: the frame, the checks across rows, and the dataset.

:class:`Version` is a valid file read (its frame, and what reading rows appended to it needs),
which the loader remembers and the store keeps; :func:`dataset_of` makes the :class:`Dataset`
the app, the exporter and the command line use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd

from .actors import ActorBook, fold
from .columns import concat, fold_keys
from .csvfile import Form, Table, read_table
from .problems import Problem, bounded, limited
from .rules import Rows
from .schema import FRAME_COLUMNS
from .store import Entry, Store

NO_LINES = np.zeros(0, dtype=np.int64)


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
    left_out: np.ndarray = field(default_factory=lambda: NO_LINES, compare=False)
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


def _sort(problems: list[Problem], name: str, columns) -> None:
    order = {column: i for i, column in enumerate(columns)}
    problems.sort(key=lambda p: (p.file != name, p.summed, p.line or 0, order.get(p.column, -1)))


def every_problem(name: str, columns, problems: list[Problem], actor_index, book: ActorBook,
                   journal: list[Problem]) -> list[Problem]:
    """The problems found so far, the warnings that need every row, and the journal's: sorted."""
    problems = problems + _lookalike_warnings(name, *actor_index, book) + journal
    _sort(problems, name, columns)
    return limited(problems)


def partial_version(book_digest: str, name: str, content: str, length: int, older: pd.DataFrame | None, rows: Rows,
             row_problems: list[Problem], form: Form, table: Table | None, unread: np.ndarray) -> Version | None:
    """The valid rows of a file whose only errors are rows' (``older``: the events of a valid
    file these rows were appended to); None when no row is valid. Not remembered: the
    next read of a file built on this one must see its errors again."""
    # The problems are capped (the rest summed up by kind): the rows' own errors come whole.
    listed = {p.line for p in row_problems if not p.warning and not p.summed}
    if None in listed:  # an error of no row: which rows are good is unknown
        return None
    bad = np.union1d(rows.error_lines, np.fromiter(listed, dtype=np.int64, count=len(listed)))
    kept = frame_of(rows)
    kept = kept[~np.isin(kept["id"].to_numpy(), bad)]
    if older is not None:
        both = concat([older, kept])
        kept = both.take(np.argsort(both["start"].to_numpy(), kind="stable"))
    if not len(kept):
        return None
    return Version(name=name, content=content, length=length, frame=kept.reset_index(drop=True), form=form,
                 row_problems=(), duplicate_problems=(), book_digest=book_digest,
                 actor_index=({}, {}), table=table, left_out=np.union1d(bad, unread),
                 date_order=rows.date_order[0] if rows.date_order[2] else None)


def duplicate_warnings(name: str, rows: Rows, before: pd.DataFrame | None = None) -> list[Problem]:
    """A warning on each row whose title (folded) and dates an earlier row has.

    ``before``: the events of the rows above these ones (rows appended to a file read
    before), searched by date; an append is a few rows, each compared with one day's events."""
    count = len(rows.lines)
    if not count:
        return []
    titles, starts, ends = rows.values["title"], rows.values["start"], rows.values["end"]
    earlier = _first_of_same(titles, starts, ends, rows.lines, rows.title_keys)
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
    lines = rows.lines[repeated]
    if len(lines) > 1 and not bool(np.all(lines[1:] > lines[:-1])):  # rows of one day come in line order
        by_line = np.argsort(lines, kind="stable")
        repeated, lines = repeated[by_line], lines[by_line]
    return bounded(name, lines, "title",
                   lambda i: f"the same event as line {earlier[repeated[i]]} (same title and dates)", True)


def _first_of_same(titles, starts: np.ndarray, ends: np.ndarray, lines: np.ndarray,
                   keys: np.ndarray | None = None) -> np.ndarray:
    """For each row, the first line with its folded title and its dates (its own line when none is before).

    Rows are grouped by a key of the folded title (:func:`columns.fold_keys`) and their dates, with
    numpy. Where keys are hashes, not the folded titles themselves (a million of them would be a
    million new strings held at once), the rows that share a key and dates are folded again and
    compared, so a hash collision never makes two events one. ``keys``: the titles' hashes, when
    the rules made them (as fold_keys does, while the dates were read)."""
    keys, exact = fold_keys(titles) if keys is None else (keys, False)
    days, until = starts.view(np.int64), ends.view(np.int64)
    # The last key sorts first: by title, dates, then line. Rows come sorted by start, then line
    # (Rows), and the sort keeps the order of rows that tie: lines need no pass of their own then.
    by_start = len(lines) < 2 or bool(np.all((days[1:] > days[:-1]) | ((days[1:] == days[:-1])
                                                                      & (lines[1:] > lines[:-1]))))
    if by_start and not exact:
        return _first_by_hash(titles, keys, days, until, lines)
    order = np.lexsort((until, days, keys) if by_start else (lines, until, days, keys))
    # Neighbours in this order with the same key and dates, one column sorted at a time: a file
    # whose every row repeats the one before holds one sorted copy, not three.
    same = None
    for column in (keys, days, until):
        column = column[order]
        equal = column[1:] == column[:-1]
        same = equal if same is None else np.logical_and(same, equal, out=same)
        del column, equal
    del keys, days, until
    if exact:  # each row's first is the first of its run in this order
        starts_run = np.concatenate(([True], ~same))
        del same
        firsts = lines[order[np.flatnonzero(starts_run)]]
        run = np.cumsum(starts_run, dtype=np.int32 if len(lines) < 2**31 else np.int64)
        run -= 1
        del starts_run
        earlier = np.empty_like(lines)
        earlier[order] = firsts[run]
        return earlier
    earlier = lines.copy()
    if not same.any():
        return earlier
    edges = np.diff(np.concatenate(([0], same.view(np.int8), [0])))
    for first, last in zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()):
        seen: dict[str, int] = {}
        rows = order[first:last + 1]
        for row, title in zip(rows.tolist(), titles.take(rows).tolist()):  # ascending lines
            earlier[row] = seen.setdefault(fold(title), int(lines[row]))
    return earlier


# Odd multipliers that spread a title's key and its two dates over 64 bits (from splitmix64).
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def _first_by_hash(titles, keys: np.ndarray, days: np.ndarray, until: np.ndarray,
                   lines: np.ndarray) -> np.ndarray:
    """:func:`_first_of_same` of rows in (start, line) order, by one hash of each row's key and
    dates grouped by a hash table (no sort of a million rows). Only the rows that share a hash
    are folded again, and compared by title and dates: a collision never makes two events one."""
    with np.errstate(over="ignore"):
        mixed = keys.view(np.uint64) * _MIX[0]
        mixed += days.view(np.uint64) * _MIX[1]
        mixed += until.view(np.uint64) * _MIX[2]
    codes, distinct = pd.factorize(mixed)
    del mixed
    earlier = lines.copy()
    if len(distinct) == len(lines):
        return earlier
    rows = np.flatnonzero(np.bincount(codes, minlength=len(distinct))[codes] > 1)  # in (start, line) order
    rows = rows[np.argsort(codes[rows], kind="stable")]
    cuts = np.flatnonzero(np.diff(codes[rows])) + 1
    for group in np.split(rows, cuts):
        seen: dict[tuple, int] = {}
        for row, title in zip(group.tolist(), titles.take(group).tolist()):  # a day's rows: ascending lines
            earlier[row] = seen.setdefault((fold(title), int(days[row]), int(until[row])), int(lines[row]))
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


def index_actors(rows: Rows) -> tuple[dict[str, int], dict[str, int]]:
    """Each actor's first line and its number of events, in the order actors first appear in the file.

    Worked out per distinct actor cell (a few tens of thousands of a million rows): its first line
    and its rows are gathered by numpy, and only its names are visited in Python."""
    actor_lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    per_cell = np.bincount(rows.actor_codes, minlength=len(rows.actor_tuples))
    for cell, line in _first_of_each(rows.actor_codes, rows.lines):
        for actor in rows.actor_tuples[cell]:
            actor_lines.setdefault(actor, line)
            counts[actor] = counts.get(actor, 0) + int(per_cell[cell])
    return actor_lines, counts


def first_appearances(codes: np.ndarray) -> list[tuple[int, int]]:
    """(code, first position) of each distinct code, in the order they first appear."""
    return _first_of_each(codes, np.arange(len(codes)))


def _first_of_each(codes: np.ndarray, places: np.ndarray) -> list[tuple[int, int]]:
    """(code, smallest place of its rows) of each code that rows hold (codes from 0, places
    distinct), by that place: one pass of numpy over the rows, no sort of them."""
    if not len(codes):
        return []
    never = np.iinfo(np.int64).max
    first = np.full(int(codes.max()) + 1, never, dtype=np.int64)
    np.minimum.at(first, codes, places)
    held = np.flatnonzero(first != never)
    held = held[np.argsort(first[held])]
    return list(zip(held.tolist(), first[held].tolist()))


def frame_of(rows: Rows) -> pd.DataFrame:
    """The events, as ``rows`` holds them (sorted by start, then line)."""
    data = {"id": pd.Series(rows.lines, dtype=np.int64)}
    for column in FRAME_COLUMNS[1:]:
        # Dates as datetime64, actors as shared tuples, texts as codes or Arrow strings (timeline.columns).
        data[column] = pd.Series(rows.values[column], copy=False)
    return pd.DataFrame(data, columns=list(FRAME_COLUMNS), copy=False)


def _actors_in_order(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """The distinct actor tuples of ``frame``, in the order they first appear in it."""
    return list(pd.unique(frame["actors"].to_numpy()))  # in the order of first appearance


def dataset_of(base: Version, book: ActorBook, problems, read: Callable[[], Table]) -> Dataset:
    frame = base.frame
    as_of = frame["reported"].max()  # NaT skipped (no copy of the column without them)
    as_of = None if pd.isna(as_of) else as_of
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
class Version:
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
    left_out: np.ndarray = field(default_factory=lambda: NO_LINES)

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
    def from_entry(cls, name: str, entry: Entry, book_digest: str) -> Version:
        def named(problems):  # the file as this reader names it; a summary keeps its count and last line
            return tuple(replace(p, file=name) for p in problems)

        actor_index = ({a: line for a, line, _ in entry.actors}, {a: count for a, _, count in entry.actors})
        return cls(name=name, content=entry.content, length=entry.length, frame=entry.frame, form=entry.form,
                   row_problems=named(entry.row_problems), duplicate_problems=named(entry.duplicate_problems),
                   book_digest=book_digest, actor_index=actor_index, date_order=entry.date_order,
                   _tuples=entry.actor_tuples)

