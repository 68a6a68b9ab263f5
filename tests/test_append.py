"""`python -m timeline add`: one event appended, checked first, in the file's own form, safely."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner

from timeline.cli import cli
from timeline.csvfile import read_table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = "date,end_date,reported,title,actors,kind,status,location,source,url,notes"
ROW = "2025-11-20,,2025-11-20,Talks in Geneva,United States; Ukraine,talks,happened,Geneva,,,"
BASIC = ["--date", "2025-11-21", "--reported", "2025-11-21", "--title", "Plan published", "--actors", "Ukraine"]
BASIC_ROW = "2025-11-21,,2025-11-21,Plan published,Ukraine,,,,,,"


@pytest.fixture
def here(tmp_path, monkeypatch):
    """Run in tmp_path so messages name plain `events.csv`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path, data: bytes):
    path.write_bytes(data)
    return data


def add(*args):
    return CliRunner().invoke(cli, ["add", *args])


def check(file="events.csv"):
    return CliRunner().invoke(cli, ["check", file])


def assert_clean_failure(result):
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --- form is kept -------------------------------------------------------------------------

FORMS = {
    "lf": (f"{HEADER}\n{ROW}\n", "\n", ""),
    "crlf": (f"{HEADER}\r\n{ROW}\r\n", "\r\n", ""),
    "bom-crlf": (f"\ufeff{HEADER}\r\n{ROW}\r\n", "\r\n", ""),
    "no-final-newline": (f"{HEADER}\n{ROW}", "\n", "\n"),
    "crlf-no-final-newline": (f"{HEADER}\r\n{ROW}", "\r\n", "\r\n"),
    "header-only": (f"{HEADER}\n", "\n", ""),
    "trailing-blank-lines": (f"{HEADER}\n{ROW}\n\n\n", "\n", ""),
}


@pytest.mark.parametrize("form", FORMS)
def test_round_trip_keeps_form(here, form):
    text, newline, added = FORMS[form]
    old = write(here / "events.csv", text.encode("utf-8"))
    result = add(*BASIC)
    assert result.exit_code == 0, result.stderr
    assert (here / "events.csv").read_bytes() == old + (added + BASIC_ROW + newline).encode("utf-8")
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").count("\n") + (1 if added else 0)
    assert f"added line {lines + 1} to events.csv" in result.stdout
    assert check().exit_code == 0


def test_existing_quoted_fields_are_untouched(here):
    old = write(here / "events.csv", (
        f"{HEADER}\r\n"
        '2025-11-20,,2025-11-20,"Talks, in ""Geneva""",United States; Ukraine,talks,,,,,"line one\r\nline two"\r\n'
        '2025-11-21,,2025-11-21,"multi\nline, title",Ukraine,,,,,,'
    ).encode())
    result = add(*BASIC)
    assert result.exit_code == 0, result.stderr
    # the quoted newlines count as physical lines: header 1, row 2-3, row 4-5, new row 6
    assert "added line 6 to events.csv" in result.stdout
    assert (here / "events.csv").read_bytes() == old + f"\r\n{BASIC_ROW}\r\n".encode()
    assert check().exit_code == 0


def test_reordered_and_extra_columns(here):
    old = write(here / "events.csv", b"Title,extra,Date,actors,reported,another\nOld,x,2025-01-01,Ukraine,,y\n")
    result = add("--date", "Sunday", "--reported", "2025-11-23", "--title", "New", "--actors", "Marco Rubio; Ukraine")
    assert result.exit_code == 0, result.stderr
    assert (here / "events.csv").read_bytes() == old + b"New,,Sunday,Marco Rubio; Ukraine,2025-11-23,\n"
    assert check().exit_code == 0


def test_new_row_quoting_is_minimal_and_reads_back(here):
    old = write(here / "events.csv", f"{HEADER}\r\n".encode())
    values = {
        "title": 'Rubio says "progress", talks go on',
        "notes": "first line\nsecond line",
        "location": "  Geneva ",
        "source": "Reuters",
    }
    result = add("--date", "2025-11-23", "--title", values["title"], "--actors", "Marco Rubio",
                 "--notes", values["notes"], "--location", values["location"], "--source", values["source"])
    assert result.exit_code == 0, result.stderr
    row = ('2025-11-23,,,"Rubio says ""progress"", talks go on",Marco Rubio,,,"  Geneva ",Reuters,,'
           '"first line\nsecond line"\r\n')
    assert (here / "events.csv").read_bytes() == old + row.encode()
    table, problems = read_table(str(here / "events.csv"))
    assert not problems
    cells = dict(zip(table.header, table.rows[-1][1]))
    assert {k: cells[k] for k in values} == values
    # the next add counts the quoted newline as a physical line
    result = add(*BASIC)
    assert "added line 4 to events.csv" in result.stdout
    assert check().exit_code == 0


def test_non_ascii_text_is_utf8(here):
    old = write(here / "events.csv", f"\ufeff{HEADER}\n".encode())
    result = add("--date", "23 листопада 2025", "--title", "Зустріч у Женеві", "--actors", "Україна; Zelenskyy")
    assert result.exit_code == 0, result.stderr
    assert "23 листопада 2025 -> 2025-11-23 (day)" in result.stdout
    row = "23 листопада 2025,,,Зустріч у Женеві,Україна; Zelenskyy,,,,,,\n"
    assert (here / "events.csv").read_bytes() == old + row.encode()


# --- what the editor sees ------------------------------------------------------------------

def test_prints_normalization(here):
    write(here / "events.csv", f"{HEADER}\n{ROW}\n".encode())
    result = add("--date", "Sunday", "--reported", "2025-11-23", "--title", "Rubio meets Yermak",
                 "--actors", "Marco Rubio; Ukraine", "--status", "planned")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Sunday, reported 2025-11-23, planned -> 2025-11-23 (day)",
        "added line 3 to events.csv",
    ]
    result = add("--date", "last month", "--reported", "2025-11-22", "--title", "Earlier talks", "--actors", "Ukraine")
    assert "last month, reported 2025-11-22 -> 2025-10-01 to 2025-10-31 (month)" in result.stdout
    result = add("--date", "Nov. 21, 2025", "--end-date", "Nov. 23, 2025", "--title", "Summit", "--actors", "Ukraine")
    assert "Nov. 21, 2025 to Nov. 23, 2025 -> 2025-11-21 to 2025-11-23 (day)" in result.stdout
    assert check().exit_code == 0


def test_warnings_are_shown_but_do_not_block(here):
    write(here / "events.csv", f"{HEADER}\n{ROW}\n".encode())
    result = add("--date", "2025-11-20", "--reported", "2025-11-20", "--title", "Talks in Geneva",
                 "--actors", "United States; Ukraine")
    assert result.exit_code == 0
    assert "events.csv:3: warning: title: the same event as line 2" in result.stderr
    result = add("--date", "2021-11-20", "--reported", "2025-11-20", "--title", "Typo year", "--actors", "Ukrane")
    assert result.exit_code == 0
    assert "events.csv:4: warning: date:" in result.stderr and "check the year" in result.stderr
    assert "events.csv:4: warning: actors:" in result.stderr
    assert "added line 4" in result.stdout
    assert check().exit_code == 0


def test_existing_errors_elsewhere_do_not_block(here):
    old = write(here / "events.csv", f"{HEADER}\nnot a date at all,,,Broken,Ukraine,,,,,,\n".encode())
    result = add(*BASIC)
    assert result.exit_code == 0, result.stderr
    assert "note: not blocking this add: 1 error already in events.csv" in result.stderr
    assert 'events.csv:2: date: cannot read "not a date at all" as a date' in result.stderr
    assert (here / "events.csv").read_bytes() == old + f"{BASIC_ROW}\n".encode()


def test_actor_aliases_are_shown_and_a_broken_actors_file_does_not_block(here):
    write(here / "events.csv", f"{HEADER}\n".encode())
    write(here / "actors.csv", b"name,aliases,member_of\nVolodymyr Zelensky,Zelenskyy; Zelensky,Ukraine\n")
    result = add("--date", "2025-11-22", "--title", "Call", "--actors", "zelenskyy; Ukraine")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "actors: Volodymyr Zelensky; Ukraine"
    assert (here / "events.csv").read_text().endswith(",Call,zelenskyy; Ukraine,,,,,,\n")  # stored as typed
    write(here / "actors.csv", b"name,aliases\n,orphan alias\n")
    result = add("--date", "2025-11-23", "--title", "Call again", "--actors", "Ukraine")
    assert result.exit_code == 0, result.stderr
    assert "actors.csv:2: name: is empty" in result.stderr
    assert "2025-11-23 -> 2025-11-23 (day)" in result.stdout
    write(here / "other.csv", b"name,aliases\nMarco Rubio,Rubio\n")
    result = add("--date", "2025-11-24", "--title", "Rubio call", "--actors", "Rubio", "--actors-file", "other.csv")
    assert result.exit_code == 0, result.stderr
    assert "actors: Marco Rubio" in result.stdout


# --- nothing is written when something is wrong ---------------------------------------------

INVALID = {
    "bad date": (["--date", "sometime soonish", "--reported", "2025-11-22"],
                 'events.csv:3: date: cannot read "sometime soonish" as a date'),
    "bad kind": (["--date", "2025-11-22", "--kind", "party"], 'events.csv:3: kind: "party" is not one of'),
    "bad status": (["--date", "2025-11-22", "--status", "rumoured"], "events.csv:3: status:"),
    "unsafe url": (["--date", "2025-11-22", "--url", "javascript:alert(1)"],
                   'events.csv:3: url: "javascript:alert(1)" is not an absolute http:// or https:// address'),
    "relative without reported": (["--date", "Sunday"], "events.csv:3: date:"),
    "bad reported": (["--date", "Sunday", "--reported", "last week"], "events.csv:3: reported:"),
    "end before start": (["--date", "2025-11-22", "--end-date", "2025-11-20"], "events.csv:3: end_date: ends"),
    "blank title": (["--date", "2025-11-22", "--title", "  "], "events.csv:3: title: is empty"),
}


@pytest.mark.parametrize("case", INVALID)
def test_invalid_add_leaves_file_untouched(here, case):
    extra, message = INVALID[case]
    old = write(here / "events.csv", f"{HEADER}\r\n{ROW}\r\n".encode())
    before = os.stat(here / "events.csv")
    args = {"--title": "A title", "--actors": "Ukraine"}
    for i in range(0, len(extra), 2):
        args[extra[i]] = extra[i + 1]
    result = add(*[item for pair in args.items() for item in pair])
    assert_clean_failure(result)
    assert message in result.stderr
    assert "nothing written" in result.stderr or "not changed" in result.stderr
    assert result.stdout == ""
    assert (here / "events.csv").read_bytes() == old
    assert os.stat(here / "events.csv").st_ino == before.st_ino  # not even rewritten


def test_relative_date_without_reported_gets_a_hint(here):
    write(here / "events.csv", f"{HEADER}\n".encode())
    result = add("--date", "Sunday", "--title", "t", "--actors", "Ukraine")
    assert_clean_failure(result)
    assert "--reported" in result.stderr


def test_option_for_a_missing_column(here):
    old = write(here / "events.csv", b"date,title,actors\n2025-01-01,Old,Ukraine\n")
    result = add(*BASIC, "--url", "https://example.com/story")
    assert_clean_failure(result)
    assert result.stderr.strip() == (
        'events.csv: has no "reported", "url" columns for --reported, --url; '
        "add the columns to the header line or leave out --reported, --url"
    )
    assert (here / "events.csv").read_bytes() == old


@pytest.mark.parametrize("content, message", [
    (f'{HEADER}\n2025-01-01,,,"never closed,Ukraine,,,,,,\n', "never closed"),
    (b"date,title,actors\n2025-01-01,Caf\xe9,Ukraine\n", "not UTF-8"),
    ("date,date,reported,title,actors\n", "column appears twice"),
    ("", "file is empty (use --create"),
    ("\n\n", "file is empty"),
])
def test_broken_file_is_refused(here, content, message):
    old = write(here / "events.csv", content if isinstance(content, bytes) else content.encode())
    result = add(*BASIC)
    assert_clean_failure(result)
    assert message in result.stderr
    assert (here / "events.csv").read_bytes() == old


def test_missing_file(here):
    result = add(*BASIC)
    assert_clean_failure(result)
    assert result.stderr.strip() == "events.csv: no such file (use --create to start it with the standard header)"
    assert not (here / "events.csv").exists()


def test_create(here):
    os.umask(umask := os.umask(0o022))
    result = add(*BASIC, "--create")
    assert result.exit_code == 0, result.stderr
    assert "added line 2 to events.csv (created it)" in result.stdout
    assert (here / "events.csv").read_bytes() == f"{HEADER}\n{BASIC_ROW}\n".encode()
    assert stat.S_IMODE(os.stat(here / "events.csv").st_mode) == 0o666 & ~umask
    result = add(*BASIC[:-1], "Ukraine; Russia", "--create")  # an existing file: --create changes nothing
    assert "added line 3 to events.csv" in result.stdout
    assert check().exit_code == 0


def test_create_in_missing_folder(here):
    result = add("nowhere/events.csv", *BASIC, "--create")
    assert_clean_failure(result)
    assert "no such folder" in result.stderr
    assert not (here / "nowhere").exists()


def test_dry_run_writes_nothing(here):
    old = write(here / "events.csv", f"{HEADER}\n{ROW}".encode())
    result = add("--date", "Sunday", "--reported", "2025-11-23", "--title", "Rubio, Yermak", "--actors", "Ukraine",
                 "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Sunday, reported 2025-11-23 -> 2025-11-23 (day)",
        "would add line 3 to events.csv, after ending its last line; nothing written:",
        'Sunday,,2025-11-23,"Rubio, Yermak",Ukraine,,,,,,',
    ]
    assert (here / "events.csv").read_bytes() == old
    assert sorted(os.listdir(here)) == ["events.csv"]
    result = add("new.csv", *BASIC, "--create", "--dry-run")
    assert "would add line 2 to new.csv (a new file)" in result.stdout
    assert not (here / "new.csv").exists()


def test_keeps_permissions_and_symlink(here):
    real = here / "data" / "events.csv"
    real.parent.mkdir()
    old = write(real, f"{HEADER}\n".encode())
    os.chmod(real, 0o640)
    (here / "events.csv").symlink_to(real)
    result = add(*BASIC)
    assert result.exit_code == 0, result.stderr
    assert (here / "events.csv").is_symlink()
    assert real.read_bytes() == old + f"{BASIC_ROW}\n".encode()
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640


def test_stdin_is_refused(here):
    result = add("-", *BASIC)
    assert_clean_failure(result)
    assert "not - (standard input)" in result.stderr


# --- crashes, full disks, locks ----------------------------------------------------------

@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_full_disk_leaves_the_file_whole(here, monkeypatch, failing):
    old = write(here / "events.csv", f"{HEADER}\n{ROW}\n".encode())

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, failing, no_space)
    result = add(*BASIC)
    monkeypatch.undo()
    assert_clean_failure(result)
    # The journal entry is written first; the disk is full for it already.
    assert result.stderr.strip() == ("events.csv: cannot write its add journal events.csv.journal: "
                                     "No space left on device; nothing written, the file is unchanged")
    assert (here / "events.csv").read_bytes() == old
    assert (here / "events.csv.journal").read_bytes() == b""
    assert [name for name in os.listdir(here) if name.endswith(".tmp")] == []


def test_rows_added_before_the_lock_is_taken_are_kept(here, monkeypatch):
    """The file is re-read under the lock: a row that landed meanwhile moves ours down a line."""
    from timeline import append

    write(here / "events.csv", f"{HEADER}\n".encode())
    real_read, calls = append._read, []

    def read(path, name):
        calls.append(path)
        if len(calls) == 2:  # the first read under the lock: another add has just finished
            with open(path, "ab") as handle:
                handle.write(f"{ROW}\n".encode())
        return real_read(path, name)

    monkeypatch.setattr(append, "_read", read)
    result = add(*BASIC)
    assert result.exit_code == 0, result.stderr
    assert "added line 3 to events.csv" in result.stdout
    assert (here / "events.csv").read_bytes() == f"{HEADER}\n{ROW}\n{BASIC_ROW}\n".encode()


def test_file_edited_elsewhere_during_the_add(here, monkeypatch):
    from timeline import append

    old = write(here / "events.csv", f"{HEADER}\n".encode())
    real_read, calls = append._read, []

    def read(path, name):
        calls.append(path)  # an editor saving again and again while the add checks
        return real_read(path, name) + (f"edited {len(calls)}\n".encode() if len(calls) >= 3 else b"")

    monkeypatch.setattr(append, "_read", read)
    result = add(*BASIC)
    assert_clean_failure(result)
    assert "events.csv: changed while the new row was being added" in result.stderr
    assert (here / "events.csv").read_bytes() == old


def test_lock_timeout(here):
    import fcntl

    old = write(here / "events.csv", f"{HEADER}\n".encode())
    with open(here / "events.csv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another add, holding its turn
        result = subprocess.run([sys.executable, "-m", "timeline", "add", "events.csv", *BASIC, "--wait", "0.2"],
                                cwd=here, env=_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "events.csv: another add is still writing it" in result.stderr
    assert "Traceback" not in result.stderr
    assert (here / "events.csv").read_bytes() == old


def test_concurrent_adds_all_land(tmp_path):
    old = write(tmp_path / "events.csv", f"{HEADER}\r\n{ROW}".encode())  # CRLF, no final newline
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "timeline", "add", str(tmp_path / "events.csv"), "--date", "2025-11-22",
             "--reported", "2025-11-22", "--title", f"Event number {i}", "--actors", "Ukraine", "--wait", "120"],
            cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for i in range(20)
    ]
    outcomes = [(p.wait(timeout=180), p.stdout.read(), p.stderr.read()) for p in processes]
    for process in processes:
        process.stdout.close()
        process.stderr.close()
    assert [code for code, _, _ in outcomes] == [0] * 20, outcomes
    data = (tmp_path / "events.csv").read_bytes()
    assert data.startswith(old + b"\r\n")
    table, problems = read_table(data)
    assert not problems
    titles = [cells[3] for _, cells in table.rows[1:]]
    assert sorted(titles) == sorted(f"Event number {i}" for i in range(20))
    assert data.count(b"\r\n") == 22 and b"\n" not in data.replace(b"\r\n", b"")
    # each process reported the line its row actually landed on
    lines = sorted(int(out.split("added line ")[1].split()[0]) for _, out, _ in outcomes)
    assert lines == list(range(3, 23))
    assert check(str(tmp_path / "events.csv")).exit_code == 0


def test_module_entry_point_and_bad_argv_bytes(tmp_path):
    old = write(tmp_path / "events.csv", f"{HEADER}\n".encode())
    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"timeline", b"add", b"events.csv", b"--date", b"2025-11-22",
         b"--title", b"Caf\xe9", b"--actors", b"Ukraine"],
        cwd=tmp_path, env=_env(), capture_output=True, timeout=60,
    )
    assert result.returncode == 1, result
    assert b"Traceback" not in result.stderr
    assert b"events.csv: --title: is not valid text" in result.stderr
    assert (tmp_path / "events.csv").read_bytes() == old


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.parametrize(
    "options, cells",
    [
        pytest.param(["--status", "Planned", "--kind", "MEETING"], ("meeting", "planned"), id="upper-and-title-case"),
        pytest.param(["--status", " canceled ", "--kind", "Talks"], ("talks", "cancelled"), id="us-spelling"),
    ],
)
def test_status_and_kind_are_written_lower_case(here, options, cells):
    write(here / "events.csv", f"{HEADER}\n{ROW}\n".encode())
    result = add("--date", "2025-11-25", "--reported", "2025-11-22", "--title", "Talks", "--actors", "Ukraine", *options)
    assert result.exit_code == 0, result.stderr
    last = read_table(here / "events.csv")[0].rows[-1][1]
    assert (last[5], last[6]) == cells
    assert check().exit_code == 0


def test_language_pins_the_dates_language(here):
    write(here / "events.csv", f"{HEADER},language\n{ROW},\n".encode())
    result = add("--date", "5 listopada 2025", "--title", "Talks", "--actors", "Ukraine", "--language", "HR")
    assert result.exit_code == 0, result.stderr
    assert "5 listopada 2025 -> 2025-10-05 (day)" in result.stdout
    assert read_table(here / "events.csv")[0].rows[-1][1][-1] == "hr"
    result = add("--date", "5 listopada 2025", "--title", "Talks", "--actors", "Ukraine")
    assert "5 listopada 2025 -> 2025-11-05 (day)" in result.stdout


def test_language_needs_a_column_or_a_new_file(here):
    write(here / "events.csv", f"{HEADER}\n{ROW}\n".encode())
    result = add("--date", "lundi prochain", "--reported", "2025-11-22", "--status", "planned", "--title", "T",
                 "--actors", "Ukraine", "--language", "fr")
    assert_clean_failure(result)
    assert 'has no "language" column for --language' in result.stderr
    result = add("new.csv", "--date", "lundi prochain", "--reported", "2025-11-22", "--status", "planned",
                 "--title", "T", "--actors", "Ukraine", "--language", "fr", "--create")
    assert result.exit_code == 0, result.stderr
    assert (here / "new.csv").read_text().splitlines() == [
        f"{HEADER},language", "lundi prochain,,2025-11-22,T,Ukraine,,planned,,,,,fr"]
    assert "-> 2025-11-24 (day)" in result.stdout


def test_unknown_language_is_refused(here):
    write(here / "events.csv", f"{HEADER},language\n{ROW},\n".encode())
    before = (here / "events.csv").read_bytes()
    result = add("--date", "2025-11-25", "--title", "T", "--actors", "Ukraine", "--language", "Klingon")
    assert_clean_failure(result)
    assert 'events.csv:3: language: "Klingon" is not a language dateparser reads' in result.stderr
    assert (here / "events.csv").read_bytes() == before


# --- numeric dates: the new row is read in the file's order -----------------------------------

@pytest.mark.parametrize("existing, options, said", [
    ("2/24/2022,,,Invasion,Russia,,,,,,\n", [], "2022-03-07"),  # the file is month first
    ("24/2/2022,,,Invasion,Russia,,,,,,\n", [], "2022-07-03"),
    ("", ["--date-order", "MDY"], "2022-03-07"),
    ("", [], "2022-07-03"),
])
def test_an_added_numeric_date_reads_as_the_file_does(here, existing, options, said):
    (here / "events.csv").write_text(HEADER + "\n" + existing)
    result = add("--date", "3/7/2022", "--title", "Talks", "--actors", "Ukraine", *options)
    assert result.exit_code == 0, result.output
    assert f"-> {said} (day)" in result.stdout


def test_adding_to_a_month_first_file_does_not_repeat_its_note(here):
    (here / "events.csv").write_text(HEADER + "\n2/24/2022,,,Invasion,Russia,,,,,,\n")
    result = add("--date", "3/7/2022", "--title", "Talks", "--actors", "Ukraine")
    assert result.exit_code == 0, result.output
    assert "numeric dates are read month first" not in result.output


def test_the_first_month_first_date_of_a_file_brings_its_note(here):
    (here / "events.csv").write_text(HEADER + "\n3/7/2022,,,Talks,Ukraine,,,,,,\n")
    result = add("--date", "2/24/2022", "--title", "Invasion", "--actors", "Russia")
    assert result.exit_code == 0, result.output
    assert "events.csv: warning: numeric dates are read month first" in result.output
