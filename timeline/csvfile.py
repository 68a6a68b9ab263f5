"""Reading a CSV file into rows that remember the physical line they start on."""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field

from .problems import Problem

BOM = "\ufeff"
MAX_FIELD = 16 * 1024 * 1024  # csv's default of 128 KiB rejects a long pasted note


@dataclass
class Table:
    """A CSV file as cells, plus the form an appender must keep."""

    name: str
    header: list[str] = field(default_factory=list)
    # (physical line where the row starts, cells)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    bom: bool = False
    newline: str = "\n"
    ends_with_newline: bool = True


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


def read_table(source, name: str | None = None) -> tuple[Table, list[Problem]]:
    """Parse ``source`` (a path, a file object, or bytes); never raises for bad content."""
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
    table = Table(name)
    table.bom = text.startswith(BOM)
    if table.bom:
        text = text[1:]
    table.newline = _first_line_ending(text)
    table.ends_with_newline = text.endswith(("\n", "\r"))

    if not text.strip():
        problems.append(Problem(name, None, None, "file is empty: expected a header row naming the columns"))
        return table, problems

    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
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
        if not any(cell.strip() for cell in cells):
            continue
        if not table.header:
            table.header = cells
        else:
            table.rows.append((start, cells))
    if not table.header and not problems:
        problems.append(Problem(name, None, None, "file is empty: expected a header row naming the columns"))
    return table, problems


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
