"""The data commands: `python -m timeline check` and `python -m timeline normalize`."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import cli

REPO = Path(__file__).resolve().parent.parent

BOOK = "name,aliases,member_of\nVolodymyr Zelensky,Zelenskyy,Ukraine\nUnited States,U.S.; US,\nDonald Trump,Trump,United States\n"
VALID = "date,title,actors,reported\n2025-11-20,Talks in Geneva,US; Ukraine,2025-11-24\nSeptember 2025,Plan drafted,US,\n"
INVALID = (
    "date,title,actors,reported\n"
    "2025-11-20,Talks in Geneva,US; Ukraine,2025-11-24\n"
    "sometime soonish,Call,US,2025-11-24\n"
    "2025-11-21,,US,2025-11-24\n"
)
INVALID_MESSAGES = [
    'events.csv:3: date: cannot read "sometime soonish" as a date',
    "events.csv:4: title: is empty",
    "events.csv: invalid: 2 errors",
]


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Work in tmp_path, so that messages name files as the editor typed them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, content) -> Path:
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# --- check -------------------------------------------------------------------------------------

def test_check_valid_file(in_tmp):
    write(in_tmp / "events.csv", VALID)
    result = run("check", "events.csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["events.csv: ok: 2 events"]


def test_check_reads_events_csv_by_default(in_tmp):
    write(in_tmp / "events.csv", VALID)
    result = run("check")
    assert (result.exit_code, result.stdout) == (0, "events.csv: ok: 2 events\n")


def test_check_valid_file_with_warnings_exits_0(in_tmp):
    write(in_tmp / "events.csv", VALID + "2025-11-20,talks in geneva,Ukraine,2025-11-24\n")
    result = run("check", "events.csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "events.csv:4: warning: title: the same event as line 2 (same title and dates)",
        "events.csv: ok: 3 events (1 warning)",
    ]


def test_check_invalid_file_lists_every_problem_and_exits_1(in_tmp):
    write(in_tmp / "events.csv", INVALID)
    result = run("check", "events.csv")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == INVALID_MESSAGES


def test_check_missing_file(in_tmp):
    result = run("check", "nope.csv")
    assert result.exit_code == 1
    # One message: "invalid: 1 error" under "no such file" would only repeat it.
    assert result.stdout.splitlines() == ["nope.csv: invalid: no such file"]


def test_check_uses_actors_file_next_to_events_file(in_tmp):
    write(in_tmp / "events.csv", "date,title,actors\n2025-11-20,A,Zelenskiy\n")
    write(in_tmp / "actors.csv", BOOK)
    result = run("check", "events.csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith('events.csv:2: warning: actors: "Zelenskiy" differs from "Volodymyr Zelensky"')


def test_check_actors_option(in_tmp):
    write(in_tmp / "events.csv", "date,title,actors\n2025-11-20,A,Trump\n")
    write(in_tmp / "people.csv", "name,aliases\nA,X\nB,X\n")
    result = run("check", "events.csv", "--actors-file", "people.csv")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ['people.csv:3: aliases: "X" already names "A"', "events.csv: invalid: 1 error"]
    # The old name still works, unlisted.
    assert run("check", "events.csv", "--actors", "people.csv").stdout == result.stdout
    assert "--actors-file" in run("check", "--help").stdout and "--actors " not in run("check", "--help").stdout


def test_check_standard_input(in_tmp):
    result = run("check", "-", input=INVALID.encode("utf-8"))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        '<stdin>:3: date: cannot read "sometime soonish" as a date',
        "<stdin>:4: title: is empty",
    ]


@pytest.mark.parametrize("command", ["check", "normalize"])
def test_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: cli {command} [OPTIONS] [FILE]")


# --- normalize -------------------------------------------------------------------------------

ODD = (
    "\ufeffdate,title,desk,actors,reported,notes\r\n"
    '"Nov. 21, 2025",Talks in Geneva,Europe,Zelenskyy; U.S.,2025-11-24,"said ""no"", then left"\r\n'
    'September 2025,Plan drafted,Americas,Trump,,"two\r\nlines"\r\n'
    "yesterday,Call,Europe,Ukraine;Zelenskyy,2025-11-24,\r\n"
)
ODD_NORMALIZED = (
    "date,title,desk,actors,reported,notes,start,end,precision,edtf\n"
    '"Nov. 21, 2025",Talks in Geneva,Europe,Volodymyr Zelensky; United States,2025-11-24,"said ""no"", then left",'
    "2025-11-21,2025-11-21,day,2025-11-21\n"
    'September 2025,Plan drafted,Americas,Donald Trump,,"two\r\nlines",2025-09-01,2025-09-30,month,2025-09\n'
    "yesterday,Call,Europe,Ukraine; Volodymyr Zelensky,2025-11-24,,2025-11-23,2025-11-23,day,2025-11-23\n"
)


def test_normalize_writes_every_column_plus_start_end_precision_edtf(in_tmp):
    write(in_tmp / "events.csv", ODD)
    write(in_tmp / "actors.csv", BOOK)
    result = run("normalize", "events.csv")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout_bytes == ODD_NORMALIZED.encode("utf-8")  # .stdout would turn \r\n into \n


def test_normalize_output_file(in_tmp):
    write(in_tmp / "events.csv", ODD)
    write(in_tmp / "actors.csv", BOOK)
    result = run("normalize", "events.csv", "-o", "out.csv")
    assert (result.exit_code, result.stdout) == (0, "")
    assert (in_tmp / "out.csv").read_bytes() == ODD_NORMALIZED.encode("utf-8")


def test_normalize_invalid_file_prints_check_messages_on_stderr_and_exits_1(in_tmp):
    write(in_tmp / "events.csv", INVALID)
    result = run("normalize", "events.csv", "-o", "out.csv")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == INVALID_MESSAGES
    assert result.stderr == run("check", "events.csv").stdout
    assert not (in_tmp / "out.csv").exists()


def test_normalize_warnings_go_to_stderr(in_tmp):
    write(in_tmp / "events.csv", VALID + "2025-11-20,talks in geneva,Ukraine,2025-11-24\n")
    result = run("normalize", "events.csv")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == ["events.csv:4: warning: title: the same event as line 2 (same title and dates)"]
    assert len(result.stdout.splitlines()) == 4


def test_normalize_is_idempotent(in_tmp):
    write(in_tmp / "events.csv", ODD)
    write(in_tmp / "actors.csv", BOOK)
    assert run("normalize", "events.csv", "-o", "once.csv").exit_code == 0
    result = run("normalize", "once.csv")
    assert result.exit_code == 0
    assert result.stdout_bytes == ODD_NORMALIZED.encode("utf-8")


def test_normalize_replaces_stale_start_end_precision_columns(in_tmp):
    write(in_tmp / "events.csv", "date,title,actors,start,end,precision,edtf\nSeptember 2025,Plan,US,2025-01-01,,day,X\n")
    result = run("normalize", "events.csv")
    assert result.exit_code == 0
    assert result.stdout == ("date,title,actors,start,end,precision,edtf\n"
                             "September 2025,Plan,US,2025-09-01,2025-09-30,month,2025-09\n")


def test_normalize_keeps_duplicate_extra_columns_and_short_rows(in_tmp):
    write(in_tmp / "events.csv", "x,date,title,actors,x\n1,2025-11-20,Talks,US,2\n3,2025-11-21,Call,US\n")
    result = run("normalize", "events.csv")
    assert result.exit_code == 0
    assert result.stdout == (
        "x,date,title,actors,x,start,end,precision,edtf\n"
        "1,2025-11-20,Talks,US,2,2025-11-20,2025-11-20,day,2025-11-20\n"
        "3,2025-11-21,Call,US,,2025-11-21,2025-11-21,day,2025-11-21\n"
    )


# --- through the real interpreter --------------------------------------------------------------

def python_m_timeline(*args, env=None, **options):
    return subprocess.Popen(
        [sys.executable, "-m", "timeline", *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**(env or os.environ), "PYTHONIOENCODING": "utf-8"}, **options,
    )


def test_python_m_timeline_check_and_help(tmp_path):
    path = write(tmp_path / "events.csv", INVALID)
    check = python_m_timeline("check", str(path))
    helps = python_m_timeline("normalize", "--help")
    out, err = check.communicate(timeout=60)
    assert check.returncode == 1
    assert err == b""
    assert out.decode().splitlines() == [line.replace("events.csv", str(path)) for line in INVALID_MESSAGES]
    out, err = helps.communicate(timeout=60)
    assert helps.returncode == 0
    assert out.decode().startswith("Usage: python -m timeline normalize [OPTIONS] [FILE]")


def test_python_m_timeline_check_leaves_once_every_line_is_out(tmp_path):
    """check leaves without taking the process apart: still every line written, through a pipe,
    and the exit code; the same lines as the command run in this process."""
    rows = "".join(f"2025-11-{1 + i % 28:02d},Talks {i % 700},US,2025-11-30\n" for i in range(3000))
    path = write(tmp_path / "events.csv", "date,title,actors,reported\n" + rows)
    check = python_m_timeline("check", str(path), env={**os.environ, "TIMELINE_CACHE_DIR": "off"})
    out, err = check.communicate(timeout=120)
    assert check.returncode == 0
    assert err == b""
    lines = out.decode().splitlines()
    assert len(lines) > 1000 and lines[-1].endswith("ok: 3,000 events (2,300 warnings)")
    assert lines == run("check", str(path)).output.splitlines()


def _random_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


NASTY = {
    "random-bytes-1": _random_bytes(1, 3000),
    "random-bytes-2": _random_bytes(2, 200),
    "random-after-header": b"date,title,actors\n" + _random_bytes(3, 3000),
    "nul-bytes": b"\x00" * 64,
    "nul-in-cells": b"date,title,actors\n\x00,\x00\x00,\x00\n2025-11-20,A\x00B,US\n",
    "only-header": b"date,title,actors\n",
    "only-bom": b"\xef\xbb\xbf",
    "only-commas": b",,,,\n,,,\n,\n",
    "huge-field": b"date,title,actors,notes\n2025-11-20,A,US," + b"x" * 300_000 + b"\n2025-11-21,B,US,n\n",
    "huge-quoted-field": b'date,title,actors,notes\n2025-11-20,A,US,"' + b"y\n" * 100_000 + b'"\n',
    "lone-quote": b'"',
    "quotes-only": b'""""""""\n"""\n',
    "mixed-newlines": b"date,title,actors\r\n2025-11-20,A,US\r2025-11-21,B,US\n2025-11-22,\"C\r\nD\",US\n\r\n\r",
    "duplicate-header-columns": b"date,title,actors,date,extra,extra\n2025-11-20,A,US,2025-11-21,1,2\n",
    "unknown-duplicate-columns": b"date,title,actors,extra,extra\n2025-11-20,A,US,1,2\n",
    "unclosed-quote-in-header": b'date,"title,actors\n2025-11-20,A,US\n',
    "bad-utf8-in-header": b"dat\xe9,title,actors\n2025-11-20,A,US\n",
    "many-fields": b"date,title,actors\n" + b"2025-11-20,A,US," * 2000 + b"\n",
    "weird-dates": "date,title,actors,reported,end_date\n"
                   "0000-00-00,A,US,9999-12-31,\n"
                   "99999999999999999999,B,US,,\n"
                   "Friday,C,US,0001-01-01,\n"
                   "31/12/9999,D,US,,01/01/0001\n"
                   "-1,E,US,,\n"
                   "2025-11-20,F,US,1 January 1,\n".encode("utf-8"),
    "utf16": "date,title,actors\n2025-11-20,A,US\n".encode("utf-16"),
}


# The list, run through the real interpreter; every interpreter start costs most
# of a second, so the rest of NASTY goes through the same command in-process only.
THROUGH_PYTHON = ["random-bytes-1", "nul-bytes", "only-header", "only-commas", "huge-field", "lone-quote",
                  "mixed-newlines", "duplicate-header-columns", "weird-dates"]


@pytest.fixture(scope="module")
def nasty_results(tmp_path_factory):
    """Run `python -m timeline check` on the nasty files at once (in parallel, to keep this quick)."""
    folder = tmp_path_factory.mktemp("nasty")
    processes = {}
    for name in THROUGH_PYTHON:
        path = write(folder / f"{name}.csv", NASTY[name])
        processes[name] = (path, python_m_timeline("check", str(path)))
    results = {}
    for name, (path, process) in processes.items():
        out, err = process.communicate(timeout=120)
        results[name] = (str(path), process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
    return results


def assert_clean_verdict(path: str, code: int, out: str, err: str):
    assert "Traceback" not in out + err
    assert code in (0, 1), err
    # The last line is the verdict, and it agrees with the exit code.
    verdict = out.splitlines()[-1]
    assert verdict.startswith(f"{path}: {'ok' if code == 0 else 'invalid'}: "), out
    if code == 1:  # an invalid file must say what is wrong: in lines above, or in the verdict itself
        said = verdict.removeprefix(f"{path}: invalid: ")
        assert len(out.splitlines()) >= 2 or not said[:1].isdigit(), "an invalid file must say what is wrong"


@pytest.mark.parametrize("name", THROUGH_PYTHON)
def test_no_input_produces_a_traceback(nasty_results, name):
    assert_clean_verdict(*nasty_results[name])


@pytest.mark.parametrize("name", list(NASTY))
def test_check_never_crashes(tmp_path, name):
    path = write(tmp_path / "events.csv", NASTY[name])
    result = run("check", str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert_clean_verdict(str(path), result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("name", list(NASTY))
def test_normalize_never_crashes(tmp_path, name):
    path = write(tmp_path / "events.csv", NASTY[name])
    result = run("normalize", str(path))
    assert result.exit_code in (0, 1)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def test_normalize_writes_reported_dates_as_iso(in_tmp):
    write(in_tmp / "events.csv", "date,title,actors,reported\nyesterday,Talks,US,\"Nov. 23, 2025\"\n"
                                  "2025-11-20,Plan,US,23.11.2025\n2025-11-19,Call,US,\n")
    result = run("normalize")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "date,title,actors,reported,start,end,precision,edtf",
        "yesterday,Talks,US,2025-11-23,2025-11-22,2025-11-22,day,2025-11-22",
        "2025-11-20,Plan,US,2025-11-23,2025-11-20,2025-11-20,day,2025-11-20",
        "2025-11-19,Call,US,,2025-11-19,2025-11-19,day,2025-11-19",
    ]


def test_normalize_writes_status_and_kind_as_stored(in_tmp):
    write(in_tmp / "events.csv", "date,title,actors,status,kind\n2025-11-20,Talks,US,Planned,TALKS\n"
                                  "2025-11-21,Call,US,canceled,\n2025-11-22,Plan,US,,Proposal\n")
    result = run("normalize")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "date,title,actors,status,kind,start,end,precision,edtf",
        "2025-11-20,Talks,US,planned,talks,2025-11-20,2025-11-20,day,2025-11-20",
        "2025-11-21,Call,US,cancelled,,2025-11-21,2025-11-21,day,2025-11-21",
        "2025-11-22,Plan,US,,proposal,2025-11-22,2025-11-22,day,2025-11-22",
    ]


# --- --date-order ----------------------------------------------------------------------------

US = "date,title,actors\n2/24/2022,Invasion,Russia\n3/7/2022,Talks,Ukraine\n"
NUMERIC_DAY_FIRST = "date,title,actors\n3/7/2022,Talks,Ukraine\n"


# (file, options, the starts normalize writes, or the first line check prints on an error)
DATE_ORDERS = [
    pytest.param(US, [], ["2022-02-24", "2022-03-07"], id="month-first-file-decides"),
    pytest.param(NUMERIC_DAY_FIRST, [], ["2022-07-03"], id="day-first-by-default"),
    pytest.param(NUMERIC_DAY_FIRST, ["--date-order", "MDY"], ["2022-03-07"], id="given-month-first"),
    pytest.param(NUMERIC_DAY_FIRST, ["--date-order", "mdy"], ["2022-03-07"], id="any-case"),
    pytest.param(US, ["--date-order", "DMY"],
                 'events.csv:2: date: "2/24/2022" is a real date only month first (2022-02-24), but numeric dates '
                 "here are read day first: write 2022-02-24, or give the order (--date-order, or a locale such as "
                 "en-US or en-GB in the language column)", id="given-order-refuses-the-other"),
]


@pytest.mark.parametrize("content, options, expected", DATE_ORDERS)
def test_date_order_of_check_and_normalize(in_tmp, content, options, expected):
    write(in_tmp / "events.csv", content)
    checked = run("check", "events.csv", *options)
    normalized = run("normalize", "events.csv", *options)
    if isinstance(expected, str):
        assert (checked.exit_code, normalized.exit_code) == (1, 1)
        assert checked.stdout.splitlines()[0] == expected
    else:
        assert (checked.exit_code, normalized.exit_code) == (0, 0)
        assert [line.split(",")[-3] for line in normalized.stdout.splitlines()[1:]] == expected


def test_a_month_first_file_gets_one_warning_not_one_per_row(in_tmp):
    write(in_tmp / "events.csv", "date,title,actors\n" + "".join(f"2/{d}/2022,Talks {d},US\n" for d in range(13, 29))
          + "".join(f"3/{d}/2022,Call {d},US\n" for d in range(1, 13)))
    result = run("check", "events.csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        'events.csv: warning: numeric dates are read month first: 16 of them can only be month first, such as '
        '"2/13/2022" (line 2), and none can only be day first; so the 11 that could be read either way, such as '
        '"3/1/2022" (line 18), are read month first too. If that is wrong, give --date-order DMY, or a locale such '
        "as en-GB in the language column; ISO dates (2022-03-07) are never ambiguous",
        "events.csv: ok: 28 events (1 warning)",
    ]


@pytest.mark.parametrize("command", ["check", "normalize", "serve", "export", "add"])
def test_every_reading_command_takes_a_date_order(command):
    assert "--date-order [dmy|mdy|ymd]" in run(command, "--help").stdout.lower()
