"""The normalized CSV: every input column, canonical actors, ISO reported dates, lower-case status
and kind, plus start, end, precision and edtf (the row's dates in EDTF, dates/edtf.py)."""

from __future__ import annotations

import csv
import io
import re

import numpy as np

from .dates.edtf import row_edtf
from .events import Dataset
from .schema import ACTOR_SEPARATOR

ADDED = ("start", "end", "precision", "edtf")
# What a spreadsheet takes as the start of a formula (OWASP's list): with --safe-for-spreadsheets a
# cell that begins with one is written after a single quote, which spreadsheets show as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ANY_FORMULA_START = re.compile(r"(?m)^[=+\-@\t\r]")


def normalized_csv(dataset: Dataset, *, safe_for_spreadsheets: bool = False) -> str:
    """Rows in the file's order, a column at a time: a million rows are written by csv in C.

    ``safe_for_spreadsheets``: every cell that begins like a formula (FORMULA_START) gets a ' before it."""
    table = dataset.table
    header = list(table.header)
    names = [h.strip().lower() for h in header]
    added = [c for c in ADDED if c not in names]

    frame = dataset.frame
    keep, at = _rows_in_frame(table.lines, frame["id"].to_numpy())

    def days(column: str) -> np.ndarray:
        return np.datetime_as_string(frame[column].to_numpy()[at], unit="D")

    derived = {"start": days("start"), "end": days("end"), "precision": frame["precision"].to_numpy()[at]}
    derived["edtf"] = _edtf(frame, at)
    actors = _joined(frame["actors"].to_numpy()[at])
    reported = frame["reported"].to_numpy()[at]
    written = days("reported")

    columns = []
    for index, name in enumerate(names):
        cells = table.columns[index].cells()[keep]
        if name in derived:
            cells = derived[name]
        elif name == "actors":
            cells = actors
        elif name == "reported":
            # NaT: a blank reported cell stays blank
            cells = np.where(np.isnat(reported), cells, written)
        elif name in ("status", "kind"):
            # as stored: "Planned" and "canceled" as planned, cancelled; a blank cell stays blank
            given = np.array([bool(cell.strip()) for cell in cells], dtype=bool)
            cells = np.where(given, frame[name].to_numpy()[at], cells)
        columns.append(cells)
    columns += [derived[c] for c in added]
    header = header + added
    if safe_for_spreadsheets:
        header = list(_neutralized(np.array(header, dtype=object)))
        columns = [_neutralized(np.asarray(column, dtype=object)) for column in columns]

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(zip(*(column.tolist() for column in columns)))
    return out.getvalue()


def _edtf(frame, at: np.ndarray) -> np.ndarray:
    """Each row's EDTF, worked out once per distinct (start, end, precision, date cell, end cell)."""
    keys = list(zip(frame["start"].dt.date.tolist(), frame["end"].dt.date.tolist(), frame["precision"].tolist(),
                    frame["date_text"].tolist(), frame["end_text"].tolist()))
    known: dict[tuple, str] = {}
    cells = [known.get(key) or known.setdefault(key, row_edtf(*key)) for key in keys]
    return np.asarray(cells, dtype=object)[at] if cells else np.zeros(0, dtype=object)


def _rows_in_frame(lines: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of the table's rows are events, and where each is in the frame (sorted by date)."""
    if not len(ids):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    by_line = np.argsort(ids, kind="stable")
    found = np.minimum(np.searchsorted(ids, lines, sorter=by_line), len(ids) - 1)
    keep = np.flatnonzero(ids[by_line[found]] == lines)
    return keep, by_line[found[keep]]


def _joined(actors: np.ndarray) -> np.ndarray:
    """Each actors tuple as a cell; each distinct tuple joined once."""
    joined: dict[tuple, str] = {}
    separator = f"{ACTOR_SEPARATOR} "
    return np.fromiter((joined.get(a) or joined.setdefault(a, separator.join(a)) for a in actors),
                       dtype=object, count=len(actors))


def _neutralized(cells: np.ndarray) -> np.ndarray:
    """``cells`` with a ' before each that begins like a formula; one search in C when none does."""
    if not len(cells) or not _ANY_FORMULA_START.search("\n".join(cells)):
        return cells
    risky = np.fromiter((cell.startswith(FORMULA_START) for cell in cells), dtype=bool, count=len(cells))
    cells = cells.copy()
    cells[risky] = ["'" + cell for cell in cells[risky].tolist()]
    return cells
