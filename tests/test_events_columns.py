"""The column-wise loader against the row-by-row loader it replaced (tests/rowwise.py).

Same events, spans, precisions and frame, same messages in the same order, on
generated files that hold every date form and every error kind, and on mutated
copies of the real files.
"""

from __future__ import annotations

import csv
import io
import random

import pytest
from framehelpers import assert_same_events
from fuzzfiles import ROOT, cases
from rowwise import RowLoader

from timeline.events import EventLoader

DATES = [
    "2025-11-21", "Nov. 21, 2025", "November 21, 2025", "21 November 2025", "November 2025", "2025",
    "23 листопада 2025", "21 ноября 2025 года", "21 novembre 2025", "21. November 2025", "15 de marzo de 2024",
    "2025年11月21日", "Thanksgiving", "Thanksgiving 2025", "yesterday", "three days ago", "last month",
    "last week", "Saturday night", "on Sunday", "next Monday", "2 weeks from now", "week of Nov. 17, 2025",
    "mid-November 2025", "late 2024", "11/21/2025", "21/11/2025", "5/6", "Nov. 21", "Friday", "dün", "昨天",
    "", "  2025-11-20  ", "not a date", "2025-13-45", "0000-00-00", "99999-01-01", "1500-01-01",
    "2262-06-01", "1" * 201, "listopad 2025",
]
REPORTED = ["", "", "", "2025-11-23", "Nov. 24, 2025", "2025-11-01", "yesterday", "November 2025", "2010-01-05",
            "x" * 201, "23 листопада 2025"]
END_DATES = ["", "", "", "", "2025-11-22", "2025-11-20", "Sunday", "December 2025", "2024", "bad end", "e" * 201]
KINDS = ["", "talks", "Meeting", "DEADLINE", "summit", "proposal", "statement", "nonsense", "k" * 60]
STATUSES = ["", "happened", "Planned", "proposed", "canceled", "cancelled", "rumoured", "s" * 60]
URLS = ["", "", "https://example.org/a", "http://x.test/b?q=1", "javascript:alert(1)", "ftp://x", "www.x.org",
        "https://a b.org", "https://" + "u" * 2001]
LANGUAGES = ["", "", "", "", "en", "uk", "RU", "de", "hr", "klingon", "l" * 51]
ACTORS = ["Ukraine", "United States; Ukraine", "Zelensky", "Zelenskyy", "U.S.", "US", "Russia; Ukraine; Russia",
          "", " ; ", "Steve Witkoff", "Witkoff", "Rustem Umerov;Ukraine", "a" * 2001, "Trump;  Donald Trump "]
TITLES = ["Geneva talks", "Peace plan", "Peace  plan", "peace plan.", "", "  ", "t" * 1001, "Call", "Deadline"]
HEADER = ["date", "end_date", "reported", "title", "actors", "kind", "status", "location", "source", "url",
          "notes", "language", "extra"]


def generated(rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    header = list(HEADER)
    rng.shuffle(header)
    if rng.random() < 0.3:
        header.remove(rng.choice(["end_date", "language", "url", "extra", "notes"]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=rng.choice(["\n", "\r\n"]))
    writer.writerow(header)
    for i in range(rows):
        pick = {
            "date": rng.choice(DATES), "end_date": rng.choice(END_DATES), "reported": rng.choice(REPORTED),
            "title": rng.choice(TITLES) + ("" if rng.random() < 0.3 else f" {i % 97}"),
            "actors": rng.choice(ACTORS), "kind": rng.choice(KINDS), "status": rng.choice(STATUSES),
            "location": rng.choice(["", "Geneva", " Miami "]), "source": rng.choice(["", "Reuters"]),
            "url": rng.choice(URLS), "notes": rng.choice(["", "a note", "two\nlines", "x" * 3]),
            "language": rng.choice(LANGUAGES), "extra": rng.choice(["", "kept"]),
        }
        cells = [pick[column] for column in header]
        shape = rng.random()
        if shape < 0.02:
            cells = cells[: rng.randrange(1, len(cells))]  # a short row
        elif shape < 0.03:
            cells = cells + ["one too many"]
        elif shape < 0.04:
            cells = [""] * len(cells)  # a blank row
        writer.writerow(cells)
        if rng.random() < 0.01:
            out.write("\n")
    return out.getvalue().encode("utf-8")


def assert_same(data: bytes, actors=None) -> None:
    """The server's loader (which keeps the table for appends) and check's (whose rows take the
    table's columns over as they read them) both read as the row-by-row oracle does."""
    expected_dataset, expected = RowLoader(actors).check(data, "events.csv")
    for loader in (EventLoader(actors), EventLoader(actors, once=True, keep_table=False, cache=False)):
        dataset, problems = loader.check(data, "events.csv")
        assert [str(p) for p in problems] == [str(p) for p in expected]
        assert (dataset is None) == (expected_dataset is None)
        if dataset is not None:
            # An empty frame: the old one let pandas guess the dtype of an empty actors column (float)
            assert_same_events(dataset.frame, expected_dataset.frame, check_dtype=len(dataset.frame) > 0)
            assert dataset.as_of == expected_dataset.as_of
            assert list(dataset.aliases.items()) == list(expected_dataset.aliases.items())
            assert dataset.members == expected_dataset.members


@pytest.mark.parametrize("seed", range(6))
def test_generated_files_read_as_row_by_row(seed):
    assert_same(generated(600, seed), actors=ROOT / "actors.csv")


def test_a_valid_generated_file_gives_the_same_frame():
    """Errors hide the frame; this file has warnings only, so the two frames are compared."""
    rng = random.Random(11)
    rows = ["date,end_date,reported,title,actors,kind,status,notes"]
    valid = [d for d in DATES[:24] if d not in ("Thanksgiving",)]
    for i in range(2000):
        rows.append(",".join([
            f'"{rng.choice(valid)}"', rng.choice(["", "", "2025-12-31"]), rng.choice(["2025-11-23", "2025-11-01"]),
            rng.choice(["Geneva talks", "Peace plan", "peace  plan", "Call"]) + f" {i % 300}",
            f'"{rng.choice(ACTORS[:7] + ACTORS[9:12])}"', rng.choice(KINDS[:7]), rng.choice(STATUSES[:6]),
            rng.choice(["", "note"]),
        ]))
    data = ("\n".join(rows) + "\n").encode()
    dataset, _ = EventLoader(ROOT / "actors.csv").check(data, "events.csv")
    assert dataset is not None and len(dataset.frame) == 2000
    assert_same(data, actors=ROOT / "actors.csv")


def test_the_real_file_reads_as_row_by_row():
    assert_same((ROOT / "events.csv").read_bytes(), actors=ROOT / "actors.csv")


@pytest.mark.parametrize("seed", range(3))
def test_mutated_files_read_as_row_by_row(seed):
    for events, actors in cases(100, seed):
        assert_same(events, actors=actors)


# Each row on one line (a line break inside a cell sends a file to csv's careful reading).
ARROW_TITLES = ["=SUM(A1:A3)", "\t=1+2", "-30 °C in Kyiv", "+2 more talks", "Talks =SUM(A1)", "\t\t@A1 x",
                "ti\x00tle", "bell\x07", "C1 \x9b control", "tab\tinside", "@A1", "plain", "+A1", "-1+2",
                "del\x7f", "next line\x85", "£5 «deal» ½", "St. Petersburg talks", "two  spaces", " edge "]


@pytest.mark.parametrize("pieces", ["whole", "lines"])
@pytest.mark.parametrize("seed", range(2))
def test_files_arrow_reads_give_what_row_by_row_gives(seed, pieces, monkeypatch):
    """Arrow reads files of a megabyte or more (in pieces of a few megabytes, or here of a line),
    and numpy runs the control and formula rules on its mostly distinct columns (titles, notes)
    from their bytes: the same problems, and the same duplicates, as row by row."""
    import timeline.columns as columns
    import timeline.csvfile as csvfile

    monkeypatch.setattr(csvfile, "FAST_BYTES", 0)
    if pieces == "lines":
        monkeypatch.setattr(csvfile, "PIECE", 1)
        monkeypatch.setattr(csvfile, "CHUNK", 100)  # rows that decide which columns stay text
        monkeypatch.setattr(columns, "_BYTE_BLOCK", 5)  # pairs of bytes across blocks
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "reported", "title", "actors", "notes"])
    for i in range(400):
        # Every tenth title repeats (as written, or differently spaced and cased): duplicates.
        title = f"{rng.choice(ARROW_TITLES)} {i}" if i % 10 else rng.choice(["Talks in  Geneva", "talks in geneva"])
        writer.writerow([rng.choice(DATES[:12]), "2025-11-23", title, rng.choice(ACTORS[:7]),
                         rng.choice(ARROW_TITLES) + f" note {i}"])
    data = out.getvalue().encode("utf-8")
    table, _ = csvfile.read_table(data, "events.csv")
    assert [csvfile.is_arrow(column.values) for column in table.columns] == [False, False, True, False, True]
    assert_same(data, actors=ROOT / "actors.csv")


@pytest.mark.parametrize("order", ["DMY", "MDY"])
def test_keys_read_in_arrays_are_what_read_dates_gives_them(order):
    """Every (date, end, reported, status) of these cells: a key the arrays call clean reads, one
    by one, to the same days and precision with no issue. The others are read one by one."""
    import numpy as np

    from timeline.rules import _EPOCH, _NO_DAY, PRECISIONS, RowReader, _Cells, _coarser

    dates = [text.strip() for text in DATES if len(text) < 100] + ["1677-12-31", "2261-12-31", "2024-11-23"]
    ends = [text.strip() for text in END_DATES if len(text) < 100] + ["2262-01-01", "next week"]
    reported = [text for text in REPORTED if len(text) < 100] + ["2261-12-31", "1680-01-02"]
    statuses = ["happened", "planned", "proposed", "cancelled"]
    keys = [(d, e, r, s) for d in range(len(dates)) for e in range(len(ends)) for r in range(len(reported))
            for s in range(len(statuses))]
    at = [np.array([key[i] for key in keys]) for i in range(3)]
    cells = tuple(_Cells(None, texts, texts, max(map(len, texts))) for texts in (dates, ends, reported))
    rows = RowReader()
    clean, start, stop, precision, day = rows._clean_dates(
        cells, at, np.array([statuses[key[3]] for key in keys], dtype=object), np.ones(len(keys), dtype=bool), order)
    relative = 0
    for number in np.flatnonzero(clean).tolist():
        d, e, r, s = keys[number]
        span, end_span, reported_on, issues = rows.read_dates(dates[d], ends[e], reported[r], statuses[s], None,
                                                              False, order)
        assert issues == () and span is not None, keys[number]
        assert start[number] == span.start.toordinal() - _EPOCH
        assert stop[number] == (end_span or span).end.toordinal() - _EPOCH
        assert PRECISIONS[precision[number]] == _coarser(span, end_span)
        assert day[number] == (_NO_DAY if reported_on is None else reported_on.toordinal() - _EPOCH)
        relative += not rows.dates.is_absolute(dates[d])
    # Neither none nor every key: the rules between the cells cut both ways, relative dates included.
    assert 0.05 * len(keys) < clean.sum() < 0.8 * len(keys) and relative > 10
    # A key with issues is never clean.
    with_issues = [number for number, (d, e, r, s) in enumerate(keys) if d % 3 == 0
                   and rows.read_dates(dates[d], ends[e], reported[r], statuses[s], None, False, order)[3]]
    assert with_issues and not clean[with_issues].any()
