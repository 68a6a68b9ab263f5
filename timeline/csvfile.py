"""Reading a CSV file into columns of cells that remember the physical line each row starts on."""

from __future__ import annotations

import csv
import gc
import io
import os
import re
import stat
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import compress, islice

import numpy as np
import pandas as pd

from .problems import LIMIT, Problem, kind, limited

BOM = "\ufeff"
BOM_BYTES = BOM.encode("utf-8")
MAX_FIELD = 16 * 1024 * 1024  # csv's default of 128 KiB rejects a long pasted note
FAST_BYTES = 1 << 20  # smaller files are read by csv before Arrow would be imported
# Rows whose cells decide how a column is kept (codes, or text when most of them differ).
CHUNK = 1 << 16
# Rows csv reads before they become columns: blank rows never pile up as lists, and a file's
# rows are never all lists at once (16,384 rows of lists are 5-20 MB, a fixed part of the peak).
ROWS_AT_ONCE = 1 << 14


@dataclass(frozen=True)
class Form:
    """How a CSV file is written, which rows appended to it must follow."""

    header: tuple[str, ...]
    bom: bool
    newline: str
    ends_with_newline: bool


class Column:
    """One column's cells: the distinct ones once each, and which of them each row holds.

    A million rows of "talks" are one string and a million small codes, not a million
    references; a column of mostly distinct cells (titles, notes) keeps one cell per row
    (``codes`` None), as Arrow strings when Arrow read the file (no Python string per row), else
    as an object array. Iterating gives the cells row by row.
    """

    __slots__ = ("codes", "values")

    def __init__(self, codes: np.ndarray | None, values):
        self.codes = codes  # per row, an index into ``values``; None: row i holds values[i]
        self.values = values if isinstance(values, np.ndarray) or is_arrow(values) else objects(values)

    def __len__(self) -> int:
        return len(self.values) if self.codes is None else len(self.codes)

    def __getitem__(self, index: int) -> str:
        if self.codes is not None:
            return self.values[self.codes[index]]
        return self.values[index].as_py() if is_arrow(self.values) else self.values[index]

    def __iter__(self):
        return iter(self.cells().tolist())

    def cells(self) -> np.ndarray:
        """The cells row by row, an object array."""
        if self.codes is not None:
            return self.values[self.codes]
        return self.values.to_numpy(zero_copy_only=False) if is_arrow(self.values) else self.values

    def take(self, rows) -> Column:
        """The cells of ``rows`` (positions, or a slice)."""
        if self.codes is not None:
            return Column(self.codes[rows], self.values)
        if is_arrow(self.values) and not isinstance(rows, slice):
            return Column(None, self.values.take(rows))
        return Column(None, self.values[rows])

    def put(self, rows: np.ndarray, cells: list[str]) -> None:
        """Row ``rows[i]`` holds ``cells[i]`` from now on."""
        if self.codes is None and is_arrow(self.values):
            import pyarrow as pa
            import pyarrow.compute as pc

            mask = np.zeros(len(self.values), dtype=bool)
            mask[rows] = True  # rows ascend, as the cells given for them do
            values = self.values.combine_chunks() if isinstance(self.values, pa.ChunkedArray) else self.values
            self.values = pc.replace_with_mask(values, pa.array(mask), pa.array(cells, type=values.type))
            return
        if self.codes is None:
            self.values[rows] = cells
            return
        index = {value: code for code, value in enumerate(self.values.tolist())}
        codes = [index.setdefault(cell, len(index)) for cell in cells]
        if len(index) > len(self.values):
            self.values = objects(list(index))
        self.codes = self.codes.astype(code_type(len(index)), copy=True)
        self.codes[rows] = codes


def is_arrow(values) -> bool:
    """Whether ``values`` is an Arrow array (the import of pyarrow is not needed to tell)."""
    return type(values).__module__.startswith("pyarrow")


def objects(items: list) -> np.ndarray:
    # fromiter keeps a tuple as one item, where np.array would make a second dimension of it
    return np.fromiter(items, dtype=object, count=len(items))


def code_type(distinct: int):
    """The narrowest integer for ``distinct`` codes: a million rows of a dozen kinds cost 1 MB."""
    return np.int8 if distinct <= 2**7 else np.int16 if distinct <= 2**15 else np.int32 if distinct < 2**31 \
        else np.int64


class _Encoder:
    """A column's cells as chunks of rows arrive: each distinct cell kept once, until most
    cells turn out to differ (titles, notes), when it keeps them as they come."""

    def __init__(self):
        self._index: dict[str, int] | None = {}
        self._chunks: list[np.ndarray] = []
        self._rows = 0

    def add(self, cells: np.ndarray) -> None:
        self._rows += len(cells)
        if self._index is None:
            self._chunks.append(cells)
            return
        index = self._index
        codes, distinct = pd.factorize(cells)
        mapped = np.fromiter((index.setdefault(value, len(index)) for value in distinct.tolist()),
                             dtype=np.int64, count=len(distinct))
        self._chunks.append(mapped[codes].astype(code_type(len(index))))
        if len(index) * 2 > self._rows >= CHUNK:
            values = objects(list(index))
            self._chunks = [values[codes] for codes in self._chunks]
            self._index = None

    def column(self) -> Column:
        chunks, self._chunks = self._chunks, []
        if self._index is None:
            return Column(None, np.concatenate(chunks) if chunks else np.empty(0, dtype=object))
        codes = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
        return Column(codes, list(self._index))


@dataclass
class Table:
    """A CSV file as columns of cells, plus the form an appender must keep.

    Held by column, not by row: a million rows are a few lists of strings, which the
    loader reads a column at a time, instead of a million small lists.
    """

    name: str
    header: list[str] = field(default_factory=list)
    # The physical line where each row starts (the header is line 1; blank rows are left out).
    lines: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # A Column per header column; a short row's missing cells are "".
    columns: list[Column] = field(default_factory=list)
    # How many cells each row has; the cells of a row longer than the header, whole, by its index.
    widths: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    wide: dict[int, list[str]] = field(default_factory=dict)
    bom: bool = False
    newline: str = "\n"
    ends_with_newline: bool = True
    # Rows too short to hold a cell of every required column, past the first LIMIT of them: never
    # read into columns, only counted, as runs of lines (first, last): each is an error whatever it holds.
    unread: tuple[np.ndarray, np.ndarray] = field(
        default_factory=lambda: (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)))

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def form(self) -> Form:
        return Form(tuple(self.header), self.bom, self.newline, self.ends_with_newline)

    @property
    def rows(self) -> list[tuple[int, list[str]]]:
        """(line, cells as written) of every row: for small files and tests; loaders read ``columns``."""
        return [(int(line), self.row(index)) for index, line in enumerate(self.lines)]

    def without(self, indices) -> Table:
        """The same table less the rows at ``indices``."""
        if not indices:
            return self
        keep = np.ones(len(self), dtype=bool)
        keep[list(indices)] = False
        kept = np.flatnonzero(keep)
        return Table(self.name, self.header, self.lines[kept], [column.take(kept) for column in self.columns],
                     self.widths[kept], {}, self.bom, self.newline, self.ends_with_newline, self.unread)

    def unread_lines(self) -> np.ndarray:
        """Every line of a row left unread (see ``unread``)."""
        first, last = self.unread
        sizes = last - first + 1
        return np.repeat(first - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()), dtype=np.int64)

    def row(self, index: int) -> list[str]:
        if index in self.wide:
            return list(self.wide[index])
        return [column[index] for column in self.columns][: int(self.widths[index])]


@contextmanager
def paused_gc():
    """No cyclic garbage collection while a million rows of new lists and strings are made.

    None of them is garbage, yet each collection walks them all: with it on, reading
    a million rows took three times as long. Collection resumes as it was.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def line_breaks(data: bytes) -> int:
    """Lines ended in ``data`` as csv counts them: \\n, \\r\\n and a lone \\r each end one."""
    data = bytes(data)
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def display_name(source) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return getattr(source, "name", None) or "<input>"


class NotAFile(OSError):
    """A path that names something other than a regular file: a FIFO would block the reader
    until someone writes to it, a device such as /dev/zero would never end."""


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"))


def read_bytes(source) -> bytes | str:
    """The raw content of a path or a file object (binary or text); a path must name a regular file."""
    if not isinstance(source, (str, os.PathLike)):
        return source.read()
    # Opened without blocking, so that a FIFO put in the file's place is refused, not waited on.
    fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(source)
        if not stat.S_ISREG(mode):
            what = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise NotAFile(f"is {what}, not a CSV file")
        return handle.read()


def read_table(source, name: str | None = None, *, header: list[str] | None = None,
               first_line: int = 1, required: tuple[str, ...] = ()) -> tuple[Table, list[Problem]]:
    """Parse ``source`` (a path, a file object, or bytes); never raises for bad content.

    With ``header``, ``source`` is rows that follow that header in a file, its first line
    being ``first_line`` of the file (the rows an editor appended): every row is data, and
    lines in the table and its problems are the file's.
    """
    if isinstance(source, bytes):
        raw = source
        name = name or "<input>"
    else:
        name = name or display_name(source)
        try:
            raw = read_bytes(source)
        except FileNotFoundError:
            return Table(name), [Problem(name, None, None, "no such file")]
        except IsADirectoryError:
            return Table(name), [Problem(name, None, None, "is a directory, not a CSV file")]
        except NotAFile as error:
            return Table(name), [Problem(name, None, None, str(error))]
        except PermissionError:
            return Table(name), [Problem(name, None, None, "permission denied")]
        except OSError as error:
            return Table(name), [Problem(name, None, None, f"cannot read file: {error.strerror or error}")]

    problems: list[Problem] = []
    if isinstance(raw, bytes) and _looks_utf16(raw):
        return Table(name), [Problem(name, None, None, "looks like UTF-16 (every other byte is 0), not UTF-8; "
                                                       "save the file as UTF-8 (in Excel: CSV UTF-8)")]
    if isinstance(raw, bytes) and len(raw) >= FAST_BYTES and header is None and first_line == 1:
        # A plain file is read from its bytes (Arrow checks they are UTF-8): no copy of it as text.
        table = Table(name, bom=raw.startswith(BOM_BYTES))
        table.newline = _first_line_ending_of_bytes(raw)
        table.ends_with_newline = raw.endswith((b"\n", b"\r"))
        with paused_gc():
            if _read_plain(table, raw, 3 if table.bom else 0):
                return table, problems
    # Bytes stay bytes: csv is given their lines decoded a block at a time (see ``_lines``), never
    # the whole file as text (at two bytes a character once one replacement character is in it).
    text = raw if isinstance(raw, str) else _report_undecodable(raw, name, problems)
    problems = _shifted(problems, first_line)
    table = Table(name)
    marks = _marks(text)
    table.bom = text.startswith(marks.bom)
    if table.bom:
        text = text[len(marks.bom):]
    table.newline = _first_line_ending(text) if isinstance(text, str) else _first_line_ending_of_bytes(text)
    table.ends_with_newline = text.endswith((marks.nl, marks.cr))

    if header is not None:
        table.header = list(header)
        if not _blank(text):
            _parse(table, text, problems, first_line, header_given=True, required=required)
        return table, _listed(problems)
    if _blank(text):
        problems.append(Problem(name, None, None, "file is empty: expected a header row naming the columns"))
        return table, problems
    _parse(table, text, problems, first_line, header_given=False, required=required)
    if not table.header and not problems:
        problems.append(Problem(name, None, None, "file is empty: expected a header row naming the columns"))
    return table, _listed(problems)


def _listed(problems: list[Problem]) -> list[Problem]:
    """Undecodable lines and refused rows together listed up to LIMIT, as each kind alone is."""
    if len(problems) <= LIMIT:
        return problems
    return limited(sorted(problems, key=lambda p: (p.summed, p.line or 0)))


def _parse(table: Table, text: str | bytes, problems: list[Problem], first_line: int, header_given: bool,
           required: tuple[str, ...] = ()) -> None:
    csv.field_size_limit(MAX_FIELD)
    found: list[Problem] = []
    shorter, lines = _without_blank_runs(text)
    needed = _needed(table.header, required) if header_given else _header_needs(shorter, required)
    cut_out = None
    if needed >= 2:  # a row of one cell is too short: long runs of them are counted, never read
        shorter, lines, cut_out = _without_one_cell_runs(shorter, lines)
    with paused_gc():
        try:
            _fill(table, _records(shorter, lines), lines, first_line, header_given, required, cut_out)
            return
        except (csv.Error, _InsideQuotes):
            # Broken quoting is rare; the careful loop reads the file again and reports each place.
            del shorter
            table.wide = {}
            if not header_given:
                table.header = []
        _fill(table, _records_reporting(text, table.name, found), _Lines([], []), first_line, header_given,
              required)
        problems += _shifted(found, first_line)


class _InsideQuotes(Exception):
    """Blank lines taken out were inside a quoted cell (after a stray quote the count of quotes missed)."""


class _Lines:
    """The file's line numbers of a text's lines, after runs of lines were taken out of it."""

    def __init__(self, after: list[int], removed: list[int]):
        self._after = np.array(after, dtype=np.int64)  # the first line after each run, in the shorter text
        self._removed = np.array([0, *removed], dtype=np.int64)  # lines taken out up to each run

    def __call__(self, lines: np.ndarray) -> np.ndarray:
        if not len(self._after):
            return lines
        return lines + self._removed[np.searchsorted(self._after, lines, "right")]

    def runs_ended(self, ends: list[int]) -> np.ndarray:
        """Which runs a record of csv ends just before (an end of line that ends a record)."""
        return np.isin(self._after - 1, np.array(ends, dtype=np.int64)) | (self._after == 1)


# An end of line, then lines of nothing but spaces, tabs and commas: rows csv would read only to skip.
# One character class repeated: the regex engine keeps no stack for it, however long the run.
_BLANK_RUN = re.compile(r"[\r\n][\r\n \t,]*[\r\n]|^[\r\n \t,]*[\r\n]")
MIN_RUN = 8  # blank lines in a row worth taking out (a blank line between rows costs csv no more than a row)


def _without_blank_runs(text: str | bytes) -> tuple[str | bytes, _Lines]:
    """``text`` less its long runs of blank lines outside quoted cells: 20 MB of them would be 20
    million rows for csv to read, and skip, one by one. Lines are counted as before through ``_Lines``."""
    pieces, after, removed = [], [], []
    kept, scanned, line, quotes, gone = 0, 0, 1, 0, 0
    marks = _marks(text)
    for match in marks.blank_run.finditer(text):
        start, end = match.span()
        breaks = _breaks(text, start, end)
        if breaks < MIN_RUN:
            continue
        quotes += text.count(marks.quote, scanned, start)
        line += _breaks(text, scanned, end)
        scanned = end
        if quotes % 2:
            continue  # inside a quoted cell: its blank lines are its text
        first = 0 if start == 0 and match.group()[:1] not in marks.crlf \
            else (2 if text.startswith(marks.crlf, start) else 1)
        pieces.append(text[kept:start + first])
        kept = end
        gone += breaks - (1 if first else 0)
        after.append(line - gone)
        removed.append(gone)
    if not pieces:
        return text, _Lines([], [])
    pieces.append(text[kept:])
    return marks.empty.join(pieces), _Lines(after, removed)


class _BothLines:
    """Line numbers through two takings-out: ``inner``'s of the text, then ``outer``'s of what it left."""

    def __init__(self, inner: _Lines, outer: _Lines):
        self.inner, self.outer = inner, outer

    def __call__(self, lines: np.ndarray) -> np.ndarray:
        return self.inner(self.outer(lines))

    def runs_ended(self, ends: list[int]) -> np.ndarray:
        outer = self.outer.runs_ended(ends)
        return np.concatenate((self.inner.runs_ended(self.outer(np.array(ends, dtype=np.int64)).tolist()), outer))


# Lines of one cell: no comma, no quote, printable ASCII, spaces and tabs, with \n or \r\n after
# them (a lone \r is checked apart); a run of MIN_RUN of them is worth looking for.
_ONE_CELL = r"\t\r -!#-+\--~"  # a character class's body
_ONE_CELL_RUN = re.compile(r"\n(?:[%s]*\n){%d}" % (_ONE_CELL, MIN_RUN))
_ONE_CELL_STRETCH = re.compile(r"[\n%s]*" % _ONE_CELL)  # one class repeated: no stack, however long
_BLANK_AHEAD = re.compile(r"\n(?=[ \t]*\r?\n)")


def _header_needs(text: str | bytes, required: tuple[str, ...]) -> int:
    """``_needed`` of the file's header: its first row with a cell."""
    try:
        for cells in csv.reader(_lines(text), strict=True):
            if any(cell.strip() for cell in cells):
                return _needed(cells, required)
    except csv.Error:
        pass
    return 0


def _without_one_cell_runs(text: str | bytes, lines: _Lines):
    """(text, its lines, (firsts, lasts)): ``text`` less its long runs of one-cell lines past the first
    LIMIT of them, the file's lines of those rows as runs. Each is too short to read (as ``_fill``
    would find once it has listed LIMIT short rows), so csv never reads them: ten million "x" lines
    cost a scan. Blank lines among them are left out of the runs, as csv skips them."""
    marks = _marks(text)
    nl, cr, crlf, quote = marks.nl, marks.cr, marks.crlf, marks.quote
    run, stretch, blank_ahead = marks.one_cell_run, marks.one_cell_stretch, marks.blank_ahead
    pieces, after, removed, firsts, lasts = [], [], [], [], []
    kept, scanned, line, quotes, gone, listed = 0, 0, 1, 0, 0, 0
    position = 0
    while (found := run.search(text, position)) is not None:
        start = found.start() + 1  # a line's start
        end = text.rfind(nl, start, stretch.match(text, start).end()) + 1  # after the last whole line
        position = end
        quotes += text.count(quote, scanned, start)
        line += _breaks(text, scanned, start)
        scanned = start
        if quotes % 2 or text.count(cr, start, end) != text.count(crlf, start, end):
            continue  # inside a quoted cell, or a lone \r (a line break of its own)
        # The whole lines of one cell from ``start``, ``count`` of them: blank ones (csv skips them)
        # apart, found only where a line break is followed by a space, a tab or another break.
        count = text.count(nl, start, end)
        blank = []
        if any(text.find(pair, start - 1, end) >= 0 for pair in marks.blank_pairs):
            # A match at the region's last line break looks past it: its line is not in the range.
            blank = [line + text.count(nl, start, m.end()) for m in blank_ahead.finditer(text, start - 1, end)]
            blank = [number for number in blank if number < line + count]
        first, short = line, count - len(blank)
        line += count
        scanned = end
        if listed + short <= LIMIT:
            listed += short
            continue
        # The first of them up to LIMIT in all stay for csv to read and list; the rest go.
        keep_to = first + max(LIMIT - listed, 0)  # the first line taken out: past LIMIT short ones
        for number in blank:
            if number > keep_to:
                break
            keep_to += 1  # a blank line before it is not a short row
        listed = LIMIT
        cut = start
        for _ in range(keep_to - first):
            cut = text.find(nl, cut) + 1
        pieces.append(text[kept:cut])
        kept = end
        gone += line - keep_to
        after.append(line - gone)
        removed.append(gone)
        # The lines taken out as runs of short rows, split at the blank lines among them.
        inside = np.array([number for number in blank if number >= keep_to], dtype=np.int64)
        starts = np.concatenate(([keep_to], inside + 1))
        ends = np.concatenate((inside - 1, [line - 1]))
        real = starts <= ends
        firsts.append(starts[real])
        lasts.append(ends[real])
    if not pieces:
        return text, lines, (np.zeros(0, dtype=np.int64),) * 2
    pieces.append(text[kept:])
    firsts, lasts = np.concatenate(firsts), np.concatenate(lasts)
    # The runs' lines as the file numbers them, split where runs of blank lines were taken out before.
    cuts = lines._after[(lines._after > firsts.min()) & (lines._after <= lasts.max())] if len(lines._after) else []
    for at in np.asarray(cuts).tolist():
        inside = np.flatnonzero((firsts < at) & (lasts >= at))
        firsts, lasts = np.concatenate((firsts, np.full(len(inside), at))), \
            np.concatenate((lasts, lasts[inside]))
        lasts[inside] = at - 1
    order = np.argsort(firsts, kind="stable")
    firsts, lasts = lines(firsts[order]), lines(lasts[order])
    return marks.empty.join(pieces), _BothLines(lines, _Lines(after, removed)), (firsts, lasts)


def _read_plain(table: Table, data: bytes, start: int = 0) -> bool:
    """Read a plain file (its bytes from ``start``, after a BOM) with Arrow's CSV reader, in C++,
    where csv's loop makes a list per row.

    Plain: each row on one line (so rows and lines correspond), every row as wide as the
    header, no blank row, UTF-8, and line endings \\n or \\r\\n. Lines with a quote are read again
    by csv itself, whose strict reading is the one that counts (Arrow keeps text after a
    closing quote that csv refuses). Anything else returns False, and the careful reader
    (which also says where a file is broken) reads it instead; both give the same table.
    """
    # memchr's scans, not counts: most files have no \r at all, and no quote.
    if data.find(b"\r", start) >= 0 and data.count(b"\r", start) != data.count(b"\r\n", start) \
            or data.startswith((b"\n", b"\r"), start):
        return False  # a lone \r, or a blank line first
    # Arrow skips an empty line further on (a row of empty cells would cost it a cell per column),
    # and the count of records then falls short of the lines: the careful reader reads the file.
    # Looking for one first would cost two scans of every valid file.
    import pyarrow as pa

    first_end = data.find(b"\n", start)
    width = data.count(b",", start, first_end if first_end >= 0 else len(data)) + 1
    names = [f"c{i}" for i in range(width)]
    try:
        with ThreadPoolExecutor(max_workers=min(os.cpu_count() or 2, 4)) as workers:
            cells = _read_plain_pieces(data, start, names, workers)
    except (pa.ArrowInvalid, ValueError):  # a row of another width, a quote left open, not UTF-8...
        cells = None
    if cells is None:  # that, or a blank row or line (the careful reader skips it), or a quoted line break
        pa.default_memory_pool().release_unused()  # the careful reader starts without what Arrow held
        return False
    records = len(cells[0])
    quoted = data.find(b'"', start) >= 0
    pa.default_memory_pool().release_unused()  # mimalloc would keep the freed table for later
    if quoted and not _quoted_lines_by_csv(data, start, cells, width):
        return False
    table.header = [column[0] for column in cells]
    table.lines = np.arange(2, records + 1, dtype=np.int64)
    table.widths = np.broadcast_to(np.int32(width), (records - 1,))  # one number, read as one per row
    table.columns = [column.take(slice(1, None)) for column in cells]
    return True


# Bytes of a file Arrow reads at once, on one of the workers: a plain file's rows are its lines,
# so pieces cut at line ends read as the whole would, both cores busy and only a few pieces' text
# held before it becomes codes.
PIECE = 4 << 20


def _read_plain_pieces(data: bytes, start: int, names: list[str], workers) -> list[Column] | None:
    """The columns of a plain file, read by Arrow a piece at a time on ``workers``; None at a blank row.

    Each piece's columns become codes (or stay text when the first CHUNK rows' cells mostly
    differ) on the worker that read it; Arrow lets go of the GIL, so two workers keep two cores busy."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    buffer = pa.py_buffer(data)
    options = (pcsv.ReadOptions(column_names=names, block_size=1 << 20, use_threads=True),
               pcsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=True),
               pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                   strings_can_be_null=False, quoted_strings_can_be_null=False))

    def read(first: int, last: int):
        return pcsv.read_csv(pa.BufferReader(buffer[first:last]), *options)

    def kept(piece, plain: list[bool], first: int, last: int):
        """A piece's columns as they are held; None when a row of it is blank, or when its
        records fall short of its lines: Arrow skipped a blank line, or read a quoted line
        break as one (every \r is in a \r\n)."""
        lines = np.count_nonzero(np.frombuffer(data, dtype=np.uint8, count=last - first, offset=first) == 10)
        if piece.num_rows != lines + (data[last - 1] != 10) or _has_blank_row(piece.columns):
            return None
        # A piece's column as one chunk: the rules look at a column's bytes a chunk at a time, a few
        # long calls that each let go of the GIL rather than many short ones.
        return [column.combine_chunks() if plain[index] else pc.dictionary_encode(column).combine_chunks()
                for index, column in enumerate(piece.columns)]

    def line_end(after: int) -> int:
        end = data.find(b"\n", after)
        return len(data) if end < 0 else end + 1

    # The first piece, the first CHUNK rows (lines), decides which columns stay text.
    end = start
    for _ in range(CHUNK):
        end = line_end(end)
        if end == len(data):
            break
    first = read(start, end)
    cuts = [start, end]
    while cuts[-1] < len(data):
        cuts.append(line_end(cuts[-1] + PIECE))
    plain = _mostly_distinct(first.slice(0, CHUNK).to_batches()) or [False] * len(names)
    jobs = [workers.submit(kept, first, plain, cuts[0], cuts[1])]
    del first
    jobs += [workers.submit(lambda a, b: kept(read(a, b), plain, a, b), a, b) for a, b in zip(cuts[1:-1], cuts[2:])]
    pieces = []
    try:
        for job in jobs:
            piece = job.result()
            if piece is None:
                return None
            pieces.append(piece)
    finally:
        # A piece that fails, or holds a blank row, ends the read: the pieces not yet begun are
        # never read, and none is held once the careful reader takes over.
        for job in jobs:
            job.cancel()
        if len(pieces) < len(jobs):
            jobs.clear()
            pieces.clear()
    cells = []
    for index in range(len(names)):
        parts = [chunk for piece in pieces for chunk in getattr(piece[index], "chunks", [piece[index]])]
        for piece in pieces:
            piece[index] = None
        if plain[index]:
            cells.append(Column(None, pa.chunked_array(parts, type=pa.string())))
        else:
            column = pa.chunked_array(parts, type=pa.dictionary(pa.int32(), pa.string())).unify_dictionaries()
            cells.append(_coded_column(column))
        del parts
    return cells


def _has_blank_row(columns) -> bool:
    """Whether a row of these Arrow columns (a piece of a file) has nothing but spaces in every cell;
    a column with no blank cell, as a file's first column usually is, settles it alone."""
    import pyarrow.compute as pc

    blank = None
    for column in columns:
        # Empty, or only white space (utf8_is_space is false for an empty cell).
        empty = pc.or_(pc.equal(pc.binary_length(column), 0), pc.utf8_is_space(column))
        blank = empty if blank is None else pc.and_(blank, empty)
        if not pc.any(blank).as_py():
            return False
    return blank is not None and len(blank) > 0


def _mostly_distinct(batches: list) -> list[bool]:
    """Per column of these record batches (a file's first rows), whether most of its cells differ."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not batches:
        return []
    table = pa.Table.from_batches(batches)
    return [pc.count_distinct(column).as_py() * 2 > len(column) > 1 for column in table.columns]


def _coded_column(column) -> Column:
    """A dictionary-encoded Arrow column as a Column: its distinct cells as Python strings, once
    each, and a code per row (a missing cell is ""); or, when most of its cells differ after all,
    its cells as Arrow strings, one per row."""
    import pyarrow as pa

    encoded = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if len(encoded.dictionary) * 2 > len(encoded):
        return Column(None, encoded.dictionary.take(encoded.indices).fill_null(""))
    distinct = encoded.dictionary.to_pylist() + [""]
    codes = encoded.indices.fill_null(len(distinct) - 1).to_numpy(zero_copy_only=False)
    return Column(codes.astype(code_type(len(distinct)), copy=False), distinct)


# A CSV line whose every field is quoted whole ("a ""b"", c") or unquoted (quotes only after its
# first character, which csv and Arrow both keep as they are), with \n or \r\n after it.
_FIELD = rb'(?:"(?:[^"]|"")*"|[^,"\r\n][^,\r\n]*|)'
_WELL_FORMED_LINE = re.compile(_FIELD + rb"(?:," + _FIELD + rb")*\r?")


def _quoted_lines_by_csv(data: bytes, start: int, cells: list[Column], width: int) -> bool:
    """Put csv's reading of every line that has a quote into ``cells``; False when csv differs in
    shape (an error, a quote left open across lines, another number of cells)."""
    marks = np.frombuffer(data, dtype=np.uint8, offset=start)
    quotes = np.flatnonzero(marks == ord('"'))
    ends = np.flatnonzero(marks == ord("\n"))
    starts = np.concatenate(([0], ends + 1))
    ends = np.concatenate((ends, [len(marks)]))
    quoted = np.unique(np.searchsorted(ends, quotes))
    # A line of well-formed fields reads the same by both (a quoted field's "" is one quote in
    # each); only the others are read again by csv.
    well_formed = _WELL_FORMED_LINE.fullmatch
    quoted = quoted[np.fromiter((well_formed(data, start + starts[line], start + ends[line]) is None
                                 for line in quoted.tolist()), dtype=bool, count=len(quoted))]
    if not len(quoted):
        return True
    text = b"\n".join(data[start + starts[line]:start + ends[line]] for line in quoted.tolist()).decode("utf-8")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return False
    if len(rows) != len(quoted) or any(len(row) != width for row in rows):
        return False
    for index, column in enumerate(cells):
        column.put(quoted, [row[index] for row in rows])
    return True


def _shifted(problems: list[Problem], first_line: int) -> list[Problem]:
    """Problems of a piece of a file that starts on ``first_line``, at the file's lines."""
    if first_line == 1:
        return problems
    return [replace(p, line=p.line + first_line - 1 if p.line else p.line,
                    last=p.last + first_line - 1 if p.summed else None) for p in problems]


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str | bytes):
    """The lines of ``text`` with their endings, as ``io.StringIO(text, newline="")`` gives them to
    csv, without its copy of the whole text at four bytes a character; bytes are decoded a block
    at a time (undecodable bytes as U+FFFD, as ``_report_undecodable`` reported them)."""
    if isinstance(text, str):
        return map(re.Match.group, _LINE.finditer(text))
    return (line for block in _decoded_blocks(text) for line in map(re.Match.group, _LINE.finditer(block)))


def _decoded_blocks(data: bytes):
    """``data`` decoded, a block of whole lines at a time. A line break is a byte of its own in
    UTF-8, never inside a character, so the blocks read as the whole would."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", min(start + _DECODE_BLOCK, len(data)))
        end = len(data) if end < 0 else end + 1
        yield data[start:end].decode("utf-8", errors="replace")
        start = end


def _blank(text: str | bytes) -> bool:
    """Whether ``text`` holds nothing but white space (a block at a time for bytes)."""
    if isinstance(text, str):
        return not text.strip()
    return not any(block.strip() for block in _decoded_blocks(text))


def _records(text: str | bytes, lines: _Lines):
    """(start line, cells) of the rows that are not blank, header included, a chunk at a time;
    raises _InsideQuotes when a run of blank lines taken out of ``text`` was inside a quoted cell."""
    reader = csv.reader(_lines(text), strict=True)
    ended = lines.runs_ended([])
    end = 0
    while True:
        # The quick loop: a million rows, two appends each. A row's start is the line after the
        # previous row's end (csv's line_num counts the lines it consumed, blank ones too).
        rows: list[list[str]] = []
        ends: list[int] = []
        add_row, add_end = rows.append, ends.append
        for cells in islice(reader, ROWS_AT_ONCE):
            add_row(cells)
            add_end(reader.line_num)
        if not rows:
            if not ended.all():
                raise _InsideQuotes
            return
        if len(ended):
            ended |= lines.runs_ended(ends)
        starts = np.array(ends, dtype=np.int64)
        starts[1:], starts[0] = starts[:-1] + 1, end + 1
        end = ends[-1]
        # A row whose cells are all blank is skipped, like an empty line ("".join + strip run in C).
        kept = list(map(str.strip, map("".join, rows)))
        if all(kept):
            yield starts, rows
        elif any(kept):
            yield starts[np.fromiter(map(bool, kept), dtype=bool, count=len(kept))], list(compress(rows, kept))


def _records_reporting(text: str | bytes, name: str, problems: list[Problem]):
    """As ``_records``, reporting each row csv refuses (the first LIMIT in full, the others counted)."""
    reader = csv.reader(_lines(text), strict=True)
    starts, rows = [], []
    refused: list[Problem] = []
    more, first, last = 0, None, 0
    unclosed = []
    consumed = 0
    while True:
        start = consumed + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                unclosed.append(
                    Problem(name, _unclosed_quote_line(text, start), None,
                            "a quoted field starts on this line and is never closed (unclosed \")")
                )
                break
            if len(refused) < LIMIT:
                refused.append(Problem(name, start, None, f"malformed CSV quoting: {error}"))
            else:
                first = first or Problem(name, start, None, kind(f"malformed CSV quoting: {error}"))
                more, last = more + 1, start
            consumed = reader.line_num
            continue
        consumed = reader.line_num
        if any(cell.strip() for cell in cells):
            starts.append(start)
            rows.append(cells)
            if len(rows) == ROWS_AT_ONCE:
                yield starts, rows
                starts, rows = [], []
    if rows:
        yield starts, rows
    if more:
        refused.append(replace(first, count=more, last=last))
    problems += refused + unclosed


def _fill(table: Table, chunks, lines_of: _Lines, first_line: int, header_given: bool,
          required: tuple[str, ...] = (), cut_out: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """The rows of ``chunks`` into the table's columns, a chunk at a time; without ``header_given``
    the first row is the header.

    Columns are encoded as they come (see ``_Encoder``), never a list per row, nor two copies of
    the table. With ``required``, the column names a row must have a cell for: past the first
    LIMIT rows too short for one of them, such rows are only counted (``Table.unread``), as a
    file of ten million "x" rows must cost what a file of blank lines costs. ``cut_out``: runs of such
    rows taken out of the text before csv read it (``_without_one_cell_runs``), (firsts, lasts).
    """
    width = len(table.header)
    encoders: list[_Encoder] = []
    lines, widths, runs = [], [], []
    count, short_kept, needed = 0, 0, 0
    for starts, rows in chunks:
        starts = lines_of(np.asarray(starts, dtype=np.int64)) + (first_line - 1)
        if not header_given and not table.header:
            table.header, starts, rows = rows[0], starts[1:], rows[1:]
            width = len(table.header)
        if not encoders:
            encoders = [_Encoder() for _ in range(width)]
            needed = _needed(table.header, required)
        sizes = np.fromiter(map(len, rows), dtype=np.int32, count=len(rows))
        if needed:
            short = np.flatnonzero(sizes < needed)
            if len(short) > LIMIT - short_kept:
                unread = short[LIMIT - short_kept:]
                short_kept = LIMIT
                runs.append(_runs(starts[unread]))
                keep = np.ones(len(rows), dtype=bool)
                keep[unread] = False
                rows, starts, sizes = list(compress(rows, keep.tolist())), starts[keep], sizes[keep]
            else:
                short_kept += len(short)
        if rows and width:
            if (sizes == width).all():
                blocks = [np.fromiter(cells, dtype=object, count=len(rows)) for cells in zip(*rows)]
            elif sizes[0] < width and (sizes == sizes[0]).all():
                # Rows all as short: the columns they lack are blank.
                blocks = [np.fromiter(cells, dtype=object, count=len(rows)) for cells in zip(*rows)]
                blocks += [np.full(len(rows), "", dtype=object) for _ in range(width - len(blocks))]
            else:
                # Rows of each width at once, a short row's missing cells "": no padded copy of a
                # row, nor a Python step per row, however many short rows a file has.
                blocks = [np.full(len(rows), "", dtype=object) for _ in range(width)]
                for size in np.unique(sizes).tolist():
                    at = np.flatnonzero(sizes == size)
                    same = [rows[index] for index in at.tolist()]
                    if size > width:
                        for index in at.tolist():
                            table.wide[count + index] = rows[index]
                    for column, cells in zip(blocks, zip(*same)):
                        column[at] = cells
            for encoder, cells in zip(encoders, blocks):
                encoder.add(cells)
        lines.append(starts)
        widths.append(sizes)
        count += len(rows)
        rows = blocks = None  # let go of this chunk before csv reads the next
    table.lines = np.concatenate(lines) if lines else np.zeros(0, dtype=np.int64)
    table.widths = np.concatenate(widths) if widths else np.zeros(0, dtype=np.int32)
    table.columns = [encoder.column() for encoder in encoders] if encoders else \
        [Column(None, np.empty(0, dtype=object)) for _ in range(width)]
    if cut_out is not None and len(cut_out[0]):
        runs.append((cut_out[0] + (first_line - 1), cut_out[1] + (first_line - 1)))
    if runs:
        firsts, lasts = (np.concatenate(ends) for ends in zip(*runs))
        order = np.argsort(firsts, kind="stable")
        firsts, lasts = firsts[order], lasts[order]
        # A run cut by a chunk's end goes on in the next chunk: join the two.
        joined = np.flatnonzero(firsts[1:] == lasts[:-1] + 1)
        for index in joined[::-1].tolist():  # from the end: a chain of runs joins into its first
            lasts[index] = lasts[index + 1]
        keep = np.ones(len(firsts), dtype=bool)
        keep[joined + 1] = False
        table.unread = (firsts[keep], lasts[keep])


def _needed(header: list[str], required: tuple[str, ...]) -> int:
    """Cells a row needs to reach every required column; 0 when the header lacks one (then no
    row is left unread: the header's own error says enough)."""
    names = [name.strip().lower() for name in header]
    if not required or any(name not in names for name in required):
        return 0
    return 1 + max(names.index(name) for name in required)


def _runs(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ascending ``lines`` as runs of consecutive ones: (firsts, lasts)."""
    breaks = np.flatnonzero(np.diff(lines) != 1)
    firsts = np.concatenate((lines[:1], lines[breaks + 1]))
    lasts = np.concatenate((lines[breaks], lines[-1:]))
    return firsts, lasts


def _unclosed_quote_line(text: str | bytes, start: int) -> int:
    """The physical line where the quote left open in the row starting on ``start`` opens."""
    marks = _marks(text)
    offset = 0
    if start > 1:  # where line ``start`` begins: after the (start - 1)th line break
        breaks = marks.line_break.finditer(text)
        offset = next(islice(breaks, start - 2, None)).end()
    line, opened, quoted, after_quote = start, start, False, -1
    # Quotes and line breaks only: a quote opens a cell unless it follows another (an escaped "").
    for token in marks.quote_or_break.finditer(text, offset):
        if token.group() == marks.quote:
            if not quoted and token.start() != after_quote:
                opened = line
            quoted = not quoted
            after_quote = token.end()
        else:
            line += 1
    return opened


def _first_line_ending_of_bytes(data: bytes) -> str:
    found = _BREAK_BYTE.search(data)
    return _first_line_ending(data[found.start():found.start() + 2].decode("latin-1")) if found else "\n"


_BREAK_BYTE = re.compile(rb"[\r\n]")


def _first_line_ending(text: str) -> str:
    for index, char in enumerate(text):
        if char == "\n":
            return "\n"
        if char == "\r":
            return "\r\n" if text[index + 1:index + 2] == "\n" else "\r"
    return "\n"


_BREAK = re.compile(r"\r\n|\r|\n")
_QUOTE_OR_BREAK = re.compile(r'"|\r\n|\r|\n')
# From a byte that is not UTF-8 (escaped by surrogateescape) to the end of its line: one match per line.
_UNDECODABLE_LINE = re.compile("[\udc80-\udcff][^\r\n]*")
_DECODE_BLOCK = 1 << 20  # bytes of a file escaped at once to find its undecodable lines


def _breaks(text: str | bytes, start: int, end: int) -> int:
    """Lines ended in ``text[start:end]``, as csv counts them (see ``line_breaks``)."""
    marks = _marks(text)
    return text.count(marks.nl, start, end) + text.count(marks.cr, start, end) - text.count(marks.crlf, start, end)


def _report_undecodable(raw: bytes, name: str, problems: list[Problem]) -> bytes:
    """``raw``, each of its lines that is not UTF-8 reported."""
    # Report every undecodable line (the first LIMIT in full, the others counted), then go on
    # with replacement characters so that the rest of the file is still checked in the same run.
    # Found a block of lines at a time, in the block's text escaped by surrogateescape (four bytes
    # a character: the whole file so escaped would be four times its size), a match per bad line.
    listed, more, first, last = 0, 0, None, None
    line = 1  # the line the block starts on
    block_start = 0
    while block_start < len(raw):
        block_end = raw.find(b"\n", min(block_start + _DECODE_BLOCK, len(raw)))
        block_end = len(raw) if block_end < 0 else block_end + 1
        block = raw[block_start:block_end]
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            escaped = block.decode("utf-8", errors="surrogateescape")
            scanned, at_line = 0, line
            for match in _UNDECODABLE_LINE.finditer(escaped):
                at = match.start()
                at_line += _breaks(escaped, scanned, at)
                scanned = at
                if listed < LIMIT:
                    listed += 1
                    begins = max(escaped.rfind("\n", 0, at), escaped.rfind("\r", 0, at)) + 1
                    column = at - begins + 1 - (at_line == 1 and escaped.startswith(BOM))
                    byte = ord(escaped[at]) - 0xDC00
                    problems.append(Problem(name, at_line, None, f"byte 0x{byte:02x} at character {column} is not "
                                                                 "UTF-8; save the file as UTF-8"))
                else:
                    more += 1
                    first = at_line if first is None else first
                    last = at_line
            del escaped
        line += line_breaks(block) if block_end < len(raw) else 0
        block_start = block_end
    if more:
        problems.append(Problem(name, first, None, kind(problems[-1].message), False, more, last))
    return raw


def _looks_utf16(raw: bytes) -> bool:
    """A BOM of UTF-16, or, without one, a 0 in every other byte of the start: the header's column
    names are ASCII, whatever the language of the rows."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:128]
    if len(head) < 4:
        return False
    halves = head[0::2], head[1::2]
    zeros = [half.count(0) for half in halves]
    return any(z >= 0.9 * len(half) and other < 0.1 * len(half)
               for z, half, other in ((zeros[1], halves[1], zeros[0]), (zeros[0], halves[0], zeros[1])))


@dataclass(frozen=True)
class _Marks:
    """What the careful reader looks for in a text, as that text is: str, or bytes (a file read
    from its bytes stays bytes, its lines decoded a block at a time)."""

    nl: str | bytes
    cr: str | bytes
    crlf: str | bytes
    quote: str | bytes
    empty: str | bytes
    bom: str | bytes
    blank_pairs: tuple  # a line break before a blank line's first character
    blank_run: re.Pattern
    one_cell_run: re.Pattern
    one_cell_stretch: re.Pattern
    blank_ahead: re.Pattern
    line_break: re.Pattern
    quote_or_break: re.Pattern

    @classmethod
    def of(cls, as_bytes: bool) -> _Marks:
        literal = (lambda text: text.encode("utf-8")) if as_bytes else (lambda text: text)
        pattern = (lambda p: re.compile(p.pattern.encode())) if as_bytes else (lambda p: p)
        return cls(*map(literal, ("\n", "\r", "\r\n", '"', "", BOM)),
                   tuple(map(literal, ("\n\n", "\n\r\n", "\n ", "\n\t"))),
                   *map(pattern, (_BLANK_RUN, _ONE_CELL_RUN, _ONE_CELL_STRETCH, _BLANK_AHEAD, _BREAK, _QUOTE_OR_BREAK)))


_TEXT_MARKS, _BYTE_MARKS = _Marks.of(False), _Marks.of(True)


def _marks(text: str | bytes) -> _Marks:
    return _TEXT_MARKS if isinstance(text, str) else _BYTE_MARKS
