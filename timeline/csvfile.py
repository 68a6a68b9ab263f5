"""Reading a CSV file into columns of cells that remember the physical line each row starts on."""

from __future__ import annotations

import csv
import gc
import io
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress

import numpy as np

from .problems import Problem

BOM = "\ufeff"
MAX_FIELD = 16 * 1024 * 1024  # csv's default of 128 KiB rejects a long pasted note
FAST_BYTES = 1 << 20  # smaller files are read by csv before Arrow would be imported


@dataclass(frozen=True)
class Form:
    """How a CSV file is written, which rows appended to it must follow."""

    header: tuple[str, ...]
    bom: bool
    newline: str
    ends_with_newline: bool


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
    # One sequence of cells (an object array) per header column; a short row's missing cells are "".
    columns: list = field(default_factory=list)
    # How many cells each row has; the cells of a row longer than the header, whole, by its index.
    widths: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    wide: dict[int, list[str]] = field(default_factory=dict)
    bom: bool = False
    newline: str = "\n"
    ends_with_newline: bool = True

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
        return Table(self.name, self.header, self.lines[kept], [[column[i] for i in kept.tolist()] for column in self.columns],
                     self.widths[kept], {}, self.bom, self.newline, self.ends_with_newline)

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


def read_bytes(source) -> bytes | str:
    """The raw content of a path or a file object (binary or text)."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            return handle.read()
    return source.read()


def read_table(source, name: str | None = None, *, header: list[str] | None = None,
               first_line: int = 1) -> tuple[Table, list[Problem]]:
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
        except PermissionError:
            return Table(name), [Problem(name, None, None, "permission denied")]
        except OSError as error:
            return Table(name), [Problem(name, None, None, f"cannot read file: {error.strerror or error}")]

    problems: list[Problem] = []
    text = raw if isinstance(raw, str) else _decode(raw, name, problems)
    problems = _shifted(problems, first_line)
    table = Table(name)
    table.bom = text.startswith(BOM)
    if table.bom:
        text = text[1:]
    table.newline = _first_line_ending(text)
    table.ends_with_newline = text.endswith(("\n", "\r"))

    if header is not None:
        table.header = list(header)
        if text.strip():
            _parse(table, text, problems, first_line, header_given=True)
        return table, problems
    if not text.strip():
        problems.append(Problem(name, None, None, "file is empty: expected a header row naming the columns"))
        return table, problems
    if not problems and isinstance(raw, bytes) and len(raw) >= FAST_BYTES and first_line == 1:
        body = raw[3:] if table.bom else raw
        with paused_gc():
            if _read_plain(table, body):
                return table, problems
    _parse(table, text, problems, first_line, header_given=False)
    if not table.header and not problems:
        problems.append(Problem(name, None, None, "file is empty: expected a header row naming the columns"))
    return table, problems


def _parse(table: Table, text: str, problems: list[Problem], first_line: int, header_given: bool) -> None:
    csv.field_size_limit(MAX_FIELD)
    found: list[Problem] = []
    with paused_gc():
        lines, rows = _records(text, table.name, found)
        if first_line != 1:
            lines = [line + first_line - 1 for line in lines]
        problems += _shifted(found, first_line)
        if not header_given and rows:
            table.header = rows[0]
            lines, rows = lines[1:], rows[1:]
        _fill(table, lines, rows)


def _read_plain(table: Table, data: bytes) -> bool:
    """Read a plain file with Arrow's CSV reader, in C++, where csv's loop makes a list per row.

    Plain: each row on one line (so rows and lines correspond), every row as wide as the
    header, no blank row, and line endings \\n or \\r\\n. Lines with a quote are read again
    by csv itself, whose strict reading is the one that counts (Arrow keeps text after a
    closing quote that csv refuses). Anything else returns False, and the careful reader
    (which also says where a file is broken) reads it instead; both give the same table.
    """
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return False
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    width = data[: data.find(b"\n") if b"\n" in data else len(data)].count(b",") + 1
    names = [f"c{i}" for i in range(width)]
    try:
        arrow = pcsv.read_csv(
            io.BytesIO(data),
            read_options=pcsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, ValueError):  # a row of another width, a quote left open...
        return False
    records = arrow.num_rows
    if records != data.count(b"\n") + (0 if data.endswith(b"\n") else 1):  # every \\r is in a \\r\\n
        return False  # a line break inside a quoted cell, or a blank line
    blank = None
    for column in arrow.columns:
        empty = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(column)), 0)
        blank = empty if blank is None else pc.and_(blank, empty)
    if records and pc.any(blank).as_py():
        return False
    cells = [arrow_strings(column, only_repeated=True) for column in arrow.columns]
    if not _quoted_lines_by_csv(data, cells, width):
        return False
    table.header = [column[0] for column in cells]
    table.lines = np.arange(2, records + 1, dtype=np.int64)
    table.widths = np.full(records - 1, width, dtype=np.int64)
    table.columns = [column[1:] for column in cells]
    return True


def arrow_strings(column, *, only_repeated: bool = False) -> np.ndarray:
    """A column of Arrow strings (plain or dictionary-encoded) as an object array, one Python
    string per distinct cell, not a million copies of "talks"; a missing cell is "".
    ``only_repeated``: a column of mostly distinct cells is converted cell by cell instead."""
    import pyarrow as pa

    encoded = column.combine_chunks()
    if not pa.types.is_dictionary(encoded.type):
        encoded = encoded.dictionary_encode()
        if only_repeated and len(encoded.dictionary) * 2 > len(encoded):
            return column.to_numpy(zero_copy_only=False)
    distinct = np.array(encoded.dictionary.to_pylist() + [""], dtype=object)
    return distinct[encoded.indices.fill_null(len(distinct) - 1).to_numpy(zero_copy_only=False).astype(np.int64)]


def _quoted_lines_by_csv(data: bytes, cells: list[np.ndarray], width: int) -> bool:
    """Put csv's reading of every line that has a quote into ``cells``; False when csv differs in
    shape (an error, a quote left open across lines, another number of cells)."""
    marks = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(marks == ord('"'))
    if not len(quotes):
        return True
    ends = np.flatnonzero(marks == ord("\n"))
    starts = np.concatenate(([0], ends + 1))
    ends = np.concatenate((ends, [len(marks)]))
    quoted = np.unique(np.searchsorted(ends, quotes))
    text = b"\n".join(data[starts[line]:ends[line]] for line in quoted.tolist()).decode("utf-8")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return False
    if len(rows) != len(quoted) or any(len(row) != width for row in rows):
        return False
    for index, column in enumerate(cells):
        column[quoted] = [row[index] for row in rows]
    return True


def _shifted(problems: list[Problem], first_line: int) -> list[Problem]:
    """Problems of a piece of a file that starts on ``first_line``, at the file's lines."""
    if first_line == 1:
        return problems
    return [Problem(p.file, p.line + first_line - 1 if p.line else p.line, p.column, p.message, p.warning)
            for p in problems]


def _records(text: str, name: str, problems: list[Problem]) -> tuple[list[int], list[list[str]]]:
    """The start line and the cells of every row that is not blank, header included."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    ends: list[int] = []
    try:
        # The quick loop: a million rows, two appends each. A row's start is the line after the
        # previous row's end (csv's line_num counts the lines it consumed, blank ones too).
        add_row, add_end = rows.append, ends.append
        for cells in reader:
            add_row(cells)
            add_end(reader.line_num)
    except csv.Error:
        # Broken quoting is rare; the careful loop reads the file again and reports each place.
        return _records_reporting(text, name, problems)
    starts = [1, *(end + 1 for end in ends[:-1])] if ends else []
    # A row whose cells are all blank is skipped, like an empty line ("".join + strip run in C).
    kept = list(map(str.strip, map("".join, rows)))
    if all(kept):
        return starts, rows
    return list(compress(starts, kept)), list(compress(rows, kept))


def _records_reporting(text: str, name: str, problems: list[Problem]) -> tuple[list[int], list[list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    lines, rows = [], []
    consumed = 0
    while True:
        start = consumed + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                problems.append(
                    Problem(name, _unclosed_quote_line(text, start), None,
                            "a quoted field starts on this line and is never closed (unclosed \")")
                )
                break
            problems.append(Problem(name, start, None, f"malformed CSV quoting: {error}"))
            consumed = reader.line_num
            continue
        consumed = reader.line_num
        if any(cell.strip() for cell in cells):
            lines.append(start)
            rows.append(cells)
    return lines, rows


def _fill(table: Table, lines: list[int], rows: list[list[str]]) -> None:
    """The data rows into the table's columns."""
    width = len(table.header)
    table.lines = np.array(lines, dtype=np.int64)
    table.widths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    for index in np.flatnonzero(table.widths != width).tolist():
        cells = rows[index]
        if len(cells) > width:
            table.wide[index] = cells
            rows[index] = cells[:width]
        else:
            rows[index] = cells + [""] * (width - len(cells))
    # One object array for all the cells: numpy's arrays are not walked by the garbage collector,
    # where a million lists (or a tuple per column) are, on every full collection, for as long as
    # the table lives.
    if rows and width:
        cells = np.empty((len(rows), width), dtype=object)
        cells[:] = rows
        table.columns = [cells[:, index] for index in range(width)]
    else:
        table.columns = [np.empty(len(rows), dtype=object) for _ in range(width)]


def _unclosed_quote_line(text: str, start: int) -> int:
    """The physical line where the quote left open in the row starting on ``start`` opens."""
    lines = re.split(r"(\r\n|\r|\n)", text)  # odd items are the line endings
    rest = "".join(lines[2 * (start - 1):])
    line, opened, quoted, previous = start, start, False, ""
    for index, char in enumerate(rest):
        if char == '"':
            if not quoted and previous != '"':
                opened = line
            quoted = not quoted
        elif char == "\n" or (char == "\r" and rest[index + 1:index + 2] != "\n"):
            line += 1
        previous = char
    return opened


def _first_line_ending(text: str) -> str:
    for index, char in enumerate(text):
        if char == "\n":
            return "\n"
        if char == "\r":
            return "\r\n" if text[index + 1:index + 2] == "\n" else "\r"
    return "\n"


def _decode(raw: bytes, name: str, problems: list[Problem]) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Report every undecodable line, then go on with replacement characters so that
    # the rest of the file is still checked in the same run.
    for number, line in enumerate(re.split(rb"\r\n|\r|\n", raw), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            byte = line[error.start]
            column = len(line[: error.start].decode("utf-8").removeprefix(BOM)) + 1
            problems.append(
                Problem(
                    name,
                    number,
                    None,
                    f"byte 0x{byte:02x} at character {column} is not UTF-8; save the file as UTF-8",
                )
            )
    return raw.decode("utf-8", errors="replace")
