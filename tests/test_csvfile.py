"""Reading CSV files with physical line numbers (timeline.csvfile) and the problem type (timeline.problems)."""

from __future__ import annotations

import io

import pytest

from timeline.csvfile import read_table
from timeline.problems import InvalidData, Problem, summary


def read(raw: bytes, name: str = "f.csv"):
    table, problems = read_table(raw, name)
    return table, [str(p) for p in problems]


# --- physical lines ---------------------------------------------------------------------

def test_rows_remember_the_physical_line_they_start_on():
    table, problems = read(
        b'date,title,actors\n'
        b'2025-01-01,"two\nlines",A\n'      # lines 2-3
        b'2025-01-02,"three\n\nlines",B\n'  # lines 4-6
        b'2025-01-03,one line,C\n'           # line 7
    )
    assert problems == []
    assert table.header == ["date", "title", "actors"]
    assert table.rows == [
        (2, ["2025-01-01", "two\nlines", "A"]),
        (4, ["2025-01-02", "three\n\nlines", "B"]),
        (7, ["2025-01-03", "one line", "C"]),
    ]


def test_blank_lines_are_skipped_but_still_counted():
    table, problems = read(b"a,b\n\n  \n,\n1,2\n")
    assert problems == []
    assert table.rows == [(5, ["1", "2"])]


def test_crlf_lines_are_counted_like_lf():
    table, problems = read(b'a,b\r\n1,"x\r\ny"\r\n3,4\r\n')
    assert problems == []
    assert table.rows == [(2, ["1", "x\r\ny"]), (4, ["3", "4"])]
    assert table.newline == "\r\n"


def test_standard_quoting():
    table, problems = read(b'a,b,c\n"x, y","say ""no""",""\n')
    assert problems == []
    assert table.rows == [(2, ["x, y", 'say "no"', ""])]


def test_bom_is_stripped_from_the_first_column_name():
    table, problems = read(b"\xef\xbb\xbfdate,title\n1,2\n")
    assert problems == []
    assert table.header == ["date", "title"]


def test_table_remembers_the_form_of_the_file():
    # An appender must keep the BOM, the line ending and the final newline as they were.
    plain, _ = read(b"a,b\n1,2")
    assert (plain.bom, plain.newline, plain.ends_with_newline) == (False, "\n", False)
    windows, _ = read(b"\xef\xbb\xbfa,b\r\n1,2\r\n")
    assert (windows.bom, windows.newline, windows.ends_with_newline) == (True, "\r\n", True)


def test_text_file_objects_and_binary_file_objects_are_read_alike():
    content = "date,title\n2025-01-01,Київ\n"
    from_text, text_problems = read_table(io.StringIO(content), "t.csv")
    from_binary, binary_problems = read_table(io.BytesIO(content.encode("utf-8")), "b.csv")
    assert text_problems == binary_problems == []
    assert from_text.rows == from_binary.rows == [(2, ["2025-01-01", "Київ"])]


def test_path_name_is_used_in_problems(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"")
    _, problems = read_table(path)
    assert [str(p) for p in problems] == [f"{path}: file is empty: expected a header row naming the columns"]


# --- problems ------------------------------------------------------------------------------

def test_empty_file():
    table, problems = read(b"")
    assert table.header == []
    assert problems == ["f.csv: file is empty: expected a header row naming the columns"]


def test_whitespace_only_file_is_empty():
    _, problems = read(b"\n \r\n\t\n")
    assert problems == ["f.csv: file is empty: expected a header row naming the columns"]


def test_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    table, problems = read_table(path)
    assert table.header == []
    assert [str(p) for p in problems] == [f"{path}: no such file"]


def test_directory_instead_of_file(tmp_path):
    _, problems = read_table(tmp_path)
    assert [str(p) for p in problems] == [f"{tmp_path}: is a directory, not a CSV file"]


def test_unclosed_quote_names_the_line_where_the_field_starts():
    table, problems = read(b'a,b\n1,2\n3,"never closed\n4,5\n6,7\n')
    assert problems == ['f.csv:3: a quoted field starts on this line and is never closed (unclosed ")']
    assert table.rows == [(2, ["1", "2"])]


def test_unclosed_quote_after_a_multiline_field_names_the_line_of_the_unclosed_field():
    # The row starts on line 2 with a properly closed two-line field; the field that is
    # never closed opens on line 3.
    _, problems = read(b'a,b\n"one\ntwo","never closed\n4,5\n')
    assert problems == ['f.csv:3: a quoted field starts on this line and is never closed (unclosed ")']


def test_lone_quote():
    _, problems = read(b'"')
    assert problems == ['f.csv:1: a quoted field starts on this line and is never closed (unclosed ")']


def test_stray_quote_after_a_quoted_field_is_reported_and_reading_goes_on():
    table, problems = read(b'a,b\n"x"y,1\n2,3\n')
    assert problems == ["f.csv:2: malformed CSV quoting: ',' expected after '\"'"]
    assert table.rows == [(3, ["2", "3"])]


def test_undecodable_byte_reports_its_line_and_the_rest_is_still_read():
    table, problems = read(b"a,b\n1,2\n3,caf\xe9\n5,6\n")
    assert problems == ["f.csv:3: byte 0xe9 at character 6 is not UTF-8; save the file as UTF-8"]
    assert table.rows == [(2, ["1", "2"]), (3, ["3", "caf\ufffd"]), (4, ["5", "6"])]


def test_every_undecodable_line_is_reported():
    _, problems = read(b"a,b\n\xff,1\n2,3\n4,\xfe\n")
    assert problems == [
        "f.csv:2: byte 0xff at character 1 is not UTF-8; save the file as UTF-8",
        "f.csv:4: byte 0xfe at character 3 is not UTF-8; save the file as UTF-8",
    ]


def test_undecodable_byte_position_counts_characters_not_bytes():
    # "Київ," is five characters (nine bytes): the bad byte is the sixth character.
    _, problems = read("a,b\nКиїв,".encode("utf-8") + b"\xff\n")
    assert problems == ["f.csv:2: byte 0xff at character 6 is not UTF-8; save the file as UTF-8"]


def test_undecodable_byte_line_counts_a_lone_carriage_return_as_a_line_break():
    # The CSV reader counts a lone CR as a line break; the byte report must agree with it.
    table, problems = read(b"a,b\n1,2\r3,caf\xe9\n")
    assert table.rows[-1][0] == 3
    assert problems == ["f.csv:3: byte 0xe9 at character 6 is not UTF-8; save the file as UTF-8"]


# --- Problem, InvalidData, summary -----------------------------------------------------------

@pytest.mark.parametrize(
    "problem, text",
    [
        pytest.param(Problem("events.csv", 14, "date", 'cannot read "sometime soonish" as a date'),
                     'events.csv:14: date: cannot read "sometime soonish" as a date', id="error"),
        pytest.param(Problem("events.csv", 3, "title", "the same event as line 2", True),
                     "events.csv:3: warning: title: the same event as line 2", id="warning"),
        pytest.param(Problem("events.csv", 7, None, "has 4 fields but the header has 3"),
                     "events.csv:7: has 4 fields but the header has 3", id="no-column"),
        pytest.param(Problem("events.csv", None, None, "no such file"),
                     "events.csv: no such file", id="no-line"),
        pytest.param(Problem("events.csv", 1002, "date", 'cannot read "…" as a date', False, 4000, 9001),
                     'events.csv:1002-9001: date: 4,000 more errors not listed: cannot read "…" as a date',
                     id="summary"),
        pytest.param(Problem("events.csv", 1002, "title", "the same event as line …", True, 1, 1002),
                     "events.csv:1002-1002: warning: title: 1 more warning not listed: the same event as line …",
                     id="summary-of-one-warning"),
        pytest.param(Problem("e\x1b]0;x\x07.csv", 2, "title", "\x00\x9b[2J"),
                     "e\\x1b]0;x\\x07.csv:2: title: \\x00\\x9b[2J", id="controls-escaped"),
    ],
)
def test_problem_format(problem, text):
    assert str(problem) == text


def test_invalid_data_sorts_problems_and_splits_errors_from_warnings():
    late = Problem("e.csv", 9, "date", "bad")
    warning = Problem("e.csv", 3, "title", "twice", True)
    early = Problem("e.csv", 2, "kind", "bad kind")
    error = InvalidData([late, warning, early])
    assert error.problems == (early, warning, late)
    assert error.errors == (early, late)
    assert error.warnings == (warning,)
    assert str(error) == "e.csv:2: kind: bad kind\ne.csv:9: date: bad"


@pytest.mark.parametrize(
    "errors, warnings, events, text",
    [
        pytest.param(0, 0, 1, "e.csv: ok: 1 event", id="ok-one"),
        pytest.param(0, 0, 0, "e.csv: ok: 0 events", id="ok-none"),
        pytest.param(0, 2, 5, "e.csv: ok: 5 events (2 warnings)", id="ok-warnings"),
        pytest.param(0, 1, 5, "e.csv: ok: 5 events (1 warning)", id="ok-one-warning"),
        pytest.param(1, 0, None, "e.csv: invalid: 1 error", id="invalid-one"),
        pytest.param(3, 1, None, "e.csv: invalid: 3 errors, 1 warning", id="invalid-warning"),
    ],
)
def test_summary(errors, warnings, events, text):
    problems = [Problem("e.csv", 2, None, "x")] * errors + [Problem("e.csv", 2, None, "y", True)] * warnings
    assert summary("e.csv", problems, events) == text


def test_summary_counts_what_summed_up_problems_stand_for():
    problems = [Problem("e.csv", 2, None, "x"), Problem("e.csv", 3, None, "x", False, 2499, 9000),
                Problem("e.csv", 4, None, "y", True, 1000, 5000)]
    assert summary("e.csv", problems) == "e.csv: invalid: 2,500 errors, 1,000 warnings"


# --- the plain files Arrow reads -----------------------------------------------------------

def _same_table(data: bytes, monkeypatch, pieces: str = "whole") -> bool:
    """Whether Arrow's reading of ``data`` (when it takes it) is csv's, cell for cell; with
    ``pieces`` "lines", Arrow reads each line as a piece of its own after the first two rows."""
    import timeline.csvfile as csvfile

    if pieces == "lines":
        monkeypatch.setattr(csvfile, "PIECE", 1)
        monkeypatch.setattr(csvfile, "CHUNK", 2)
    monkeypatch.setattr(csvfile, "FAST_BYTES", 0)
    fast, fast_problems = read_table(data, "f.csv")
    monkeypatch.setattr(csvfile, "FAST_BYTES", 1 << 62)
    slow, slow_problems = read_table(data, "f.csv")
    assert [str(p) for p in fast_problems] == [str(p) for p in slow_problems]
    assert fast.header == slow.header and fast.rows == slow.rows
    assert fast.form == slow.form and fast.wide == slow.wide
    return True


PLAIN_CASES = [
    b'a,b\n"abc"def,x\n', b'a,b\nab"c,x\n', b'a,b\n "abc",x\n', b'a,b\n"a""b",x\n', b'a,b\n"abc,x\n',
    b'a,b\n"ab""",x\n', b'a,b\n"ab" ,x\n', b'a,b\nx,""\n', b'a,b\n"x"""y,z\n', b'a,b\nab""c,x\n', b'a,b\n,\n',
    b'a,b\n \t, \n', b"a,b\nx,y", b"a,b\r\nx,y\r\n", b'a\n"x"\n', b'a,b\n"a,b","c"""\n', b"a,b\n\nx,y\n",
    b"a,b\nx\n", b"a,b\nx,y,z\n", b'a,b\n"x\ny",z\n', b"a,b\rx,y\r", b'"a,b",c\nx,y\n', b"a,b\n\x1c,\x1f\n",
    "a,b\n\u00a0,\u3000\n".encode(), b'a,b\n"",""\n', b'a,b\n""x,y\n', b'a,b\n"""x""",y\n',
    # Blank lines further on (Arrow meets them as it reads: no scan looks for them first)
    b"a,b\r\nx,y\r\n\r\nz,w\r\n", b"a\nx\n\ny\n", b"a\nx\n \ny\n", b"a,b\nx,y\n\n", b"a,b\nx,y\n \t\nz,w\n",
    b"a,b\nx,y\n\n\n\nz,w\n", b"a,b\nx,y\n\r\nz,w\n",
]


@pytest.mark.parametrize("pieces", ["whole", "lines"])
@pytest.mark.parametrize("data", PLAIN_CASES)
def test_arrow_and_csv_read_the_same_cells(data, pieces, monkeypatch):
    assert _same_table(data, monkeypatch, pieces)


@pytest.mark.parametrize("pieces", ["whole", "lines"])
def test_arrow_and_csv_read_the_same_cells_of_mutated_files(pieces, monkeypatch):
    from fuzzfiles import cases

    for events, _ in cases(300, 21):
        assert _same_table(events, monkeypatch, pieces)


def test_a_blank_row_in_the_first_piece_ends_arrows_read_of_the_others(monkeypatch):
    """The pieces after one that holds a blank row are never parsed: the careful reader reads the
    file, as it would have from the start."""
    import pyarrow.csv

    import timeline.csvfile as csvfile

    monkeypatch.setattr(csvfile, "CHUNK", 10)
    monkeypatch.setattr(csvfile, "PIECE", 100)
    data = b"date,title\n2025-11-21,x\n , \n" + b"".join(b"2025-11-%02d,t%d\n" % (i % 28 + 1, i) for i in range(2000))
    parsed, read_csv = [], pyarrow.csv.read_csv
    monkeypatch.setattr(pyarrow.csv, "read_csv", lambda *a, **k: parsed.append(1) or read_csv(*a, **k))
    assert _same_table(data, monkeypatch)
    assert 1 <= len(parsed) <= 4  # the first piece, and at most the few begun beside it (of 300)


# --- bytes read as text a block at a time ----------------------------------------------------

BLANKS = b"\n" * 12
AWKWARD_BYTES = {
    "not-utf8": b"date,title\n2025-11-21,Caf\xe9\n2025-11-22,ok\n",
    "not-utf8-crlf": b"date,title\r\n2025-11-21,Caf\xe9\r\n2025-11-22,\xff\xfe ok\r\n",
    "bom": b"\xef\xbb\xbfdate,title\n2025-11-21,x\n",
    "blank-runs": b"date,title\n" + BLANKS + b"2025-11-21,x\n" + b" , ,\n" * 9 + b"2025-11-22,y\n" + BLANKS,
    "quoted-break": b'date,title,notes\n2025-11-21,x,"two\n\nlines"\n2025-11-22,y,\xe9\n',
    "blank-run-in-quotes": b'date,title,notes\n2025-11-21,x,"a' + BLANKS + b'b"\n2025-11-22,y,z\n',
    "unclosed-quote": b'date,title\n2025-11-21,ok\n2025-11-22,"open\n2025-11-23,z\n',
    "bad-quoting": b'date,title\n2025-11-21,"a"b\n2025-11-22,\xe9\n',
    "lone-cr": b"date,title\r2025-11-21,x\r2025-11-22,\xe9\r",
    "no-final-break": b"date,title\n2025-11-21,\xe9",
    "cut-character": b"date,title\n2025-11-21,\xe2\x82\n2025-11-22,\xe2\x82\xac\n",
    "only-spaces": "date,title\n\u3000\n".encode(),
    "blank-file": " \n\t\n\u00a0".encode(),
}


@pytest.mark.parametrize("block", [1 << 20, 7])
@pytest.mark.parametrize("data", AWKWARD_BYTES.values(), ids=AWKWARD_BYTES.keys())
def test_bytes_read_as_their_text_reads(data, block, monkeypatch):
    """csv gets a file's bytes decoded a block of lines at a time (however small the block): the
    table is the one its whole text gives, undecodable bytes as U+FFFD, and each such line reported."""
    import timeline.csvfile as csvfile

    monkeypatch.setattr(csvfile, "_DECODE_BLOCK", block)
    from_bytes, problems = read_table(data, "f.csv")
    text = data.decode("utf-8", errors="replace")
    from_text, text_problems = read_table(io.StringIO(text, newline=""), "f.csv")
    assert (from_bytes.header, from_bytes.rows, from_bytes.form) == (from_text.header, from_text.rows, from_text.form)
    undecodable = [p for p in problems if "is not UTF-8" in p.message]
    assert [p for p in problems if p not in undecodable] == text_problems
    assert len(undecodable) == sum(1 for line in data.splitlines() if line.decode("utf-8", "replace") !=
                                   line.decode("utf-8", "ignore"))


# --- runs of one-cell rows, counted without csv ------------------------------------------------

H = b"date,title,actors\n"
ONE_CELL_FILES = {
    "x-rows": H + b"x\n" * 5000,
    "crlf": H.replace(b"\n", b"\r\n") + b"x\r\n" * 5000,
    "blank-lines-among": H + (b"x\n" * 30 + b"\n" * 3 + b"  \n") * 300,
    "blank-runs-among": H + (b"x\n" * 300 + b"\n" * 20) * 20,
    "valid-and-short": H + b"2025-11-21,T,A\n" * 10 + b"x\n" * 1500 + b"a,b\n" * 10 + b"y\n" * 2000
    + b"2025-11-22,U,B\n",
    "inside-quotes": H + b'2025-11-21,"T\n' + b"x\n" * 3000 + b'",A\n' + b"z\n" * 3000,
    "lone-cr": H + b"x\rx\n" * 3000,
    "two-cell-rows-first": H + b"a,b\n" * 1200 + b"x\n" * 3000,
    "not-utf8-first": H + b"caf\xe9\n" * 3000 + b"x\n" * 3000,
    "no-final-break": H + b"x\n" * 3000 + b"x",
    "blank-lines-first": b"\n\n" + H + b"x\n" * 3000,
    "header-of-one-column": b"title\n" + b"x\n" * 3000,
}


@pytest.mark.parametrize("data", ONE_CELL_FILES.values(), ids=ONE_CELL_FILES.keys())
def test_runs_of_one_cell_rows_are_counted_as_csv_would_leave_them_unread(data, monkeypatch):
    """Past the first LIMIT short rows, runs of rows of one cell are taken out before csv reads the
    file: the table, its unread runs and its problems are those of csv reading every line."""
    import numpy as np

    import timeline.csvfile as csvfile
    from timeline.schema import REQUIRED_COLUMNS

    cut, cut_problems = read_table(data, "f.csv", required=REQUIRED_COLUMNS)
    monkeypatch.setattr(csvfile, "_without_one_cell_runs",
                        lambda text, lines: (text, lines, (np.zeros(0, dtype=np.int64),) * 2))
    read, problems = read_table(data, "f.csv", required=REQUIRED_COLUMNS)
    assert (cut.header, cut.rows, cut.form, cut.wide) == (read.header, read.rows, read.form, read.wide)
    assert [list(runs) for runs in cut.unread] == [list(runs) for runs in read.unread]
    assert [str(p) for p in cut_problems] == [str(p) for p in problems]


def test_ten_million_one_letter_rows_are_never_read_by_csv():
    from timeline.schema import REQUIRED_COLUMNS

    table, problems = read_table(H + b"x\n" * 10_000_000, "f.csv", required=REQUIRED_COLUMNS)
    assert len(table.rows) == 1000  # the first LIMIT short rows, read and listed by the loader
    assert [list(runs) for runs in table.unread] == [[1002], [10_000_001]]
    assert problems == []
