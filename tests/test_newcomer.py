"""What a newcomer meets on a clean clone: the README's set-up and examples work as written, and the
command line's messages say what is wrong and which command to run next."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline.invocation
from timeline.append import add_event
from timeline.cli import cli
from timeline.invocation import command

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_set_up_is_two_commands_and_says_how_to_change_the_port():
    set_up = section("Set up")
    commands = re.findall(r"```sh\n(.*?)```", set_up, re.S)
    assert len(commands) == 2
    assert "timeline serve" in commands[0] and "pytest" in commands[1]
    assert "`--port 8051`" in set_up and "serve" in set_up


def test_serve_takes_the_port_the_readme_names():
    result = run("serve", "--help")
    assert result.exit_code == 0 and "--port" in result.stdout


def readme_adds() -> list[list[str]]:
    """The README's `add` examples, as argument lists (continued lines joined, comments cut)."""
    block = README.split("Checking and adding.", 1)[1]
    text = "\n".join(re.findall(r"```sh\n(.*?)```", block, re.S)[:1]).replace("\\\n", " ")
    return [shlex.split(line, comments=True)[1:] for line in text.splitlines()
            if line.startswith(".venv/bin/timeline add ")]


def test_the_readme_add_examples_work_on_the_shipped_files(tmp_path, monkeypatch):
    for name in ("events.csv", "actors.csv"):
        shutil.copy(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    examples = readme_adds()
    assert len(examples) == 2 and any("--language" in args for args in examples)
    for args in examples:
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
    assert "Zagreb talks" in (tmp_path / "croatia.csv").read_text(encoding="utf-8")
    # The Croatian reading is kept in the file: 5 October, not Polish 5 November.
    result = run("normalize", "croatia.csv")
    assert result.stdout.splitlines()[1].endswith(",hr,2025-10-05,2025-10-05,day,2025-10-05")


def test_language_on_a_file_without_the_column_says_how_to_add_it(tmp_path):
    shutil.copy(ROOT / "events.csv", tmp_path / "events.csv")
    result = run("add", tmp_path / "events.csv", "--date", "5 listopada 2025", "--language", "hr",
                 "--title", "Zagreb talks", "--actors", "Croatia")
    assert result.exit_code == 1
    assert 'has no "language" column for --language; add the column to the header line' in result.stderr


@pytest.mark.parametrize("dates, hint", [
    (("2025-11-20", "2025-11-18"), "(--end-date is the last day, on or after --date)"),
    (("Nov. 20, 2025", "18 November 2025"), "(--end-date is the last day, on or after --date)"),
    (("Sunday", ""), "(a relative date needs --reported YYYY-MM-DD)"),
], ids=["iso", "written", "relative"])
def test_add_names_the_right_cause(tmp_path, dates, hint):
    shutil.copy(ROOT / "events.csv", tmp_path / "events.csv")
    date, end = dates
    result = run("add", tmp_path / "events.csv", "--date", date, *(["--end-date", end] if end else []),
                 "--title", "Talks", "--actors", "Ukraine")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].endswith(hint)
    assert ("--reported" in result.stderr) == ("--reported" in hint)


def test_check_on_a_missing_file_says_so_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("check", "nope.csv")
    assert result.exit_code == 1
    assert result.output == "nope.csv: invalid: no such file\n"


# --- one name for the aliases file ----------------------------------------------------------------

COMMANDS = ("check", "normalize", "serve", "export", "add", "restore")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_calls_the_aliases_file_actors_file(name):
    helped = run(name, "--help").stdout
    assert re.search(r"--actors-file FILE\s+Actor aliases file", helped), helped
    # --actors is the event's actors in add, and nowhere the aliases file.
    assert ("--actors TEXT" in helped) == (name == "add")
    assert not re.search(r"--actors FILE", helped)


def test_the_old_actors_spelling_still_names_the_aliases_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "events.csv").write_text("date,title,actors\n2025-11-20,A,Zelenskyy\n", encoding="utf-8")
    (tmp_path / "people.csv").write_text("name,aliases\nVolodymyr Zelensky,Zelenskyy\n", encoding="utf-8")
    for name in ("check", "normalize"):
        new = run(name, "events.csv", "--actors-file", "people.csv")
        old = run(name, "events.csv", "--actors", "people.csv")
        assert new.exit_code == old.exit_code == 0 and new.output == old.output
    assert "Volodymyr Zelensky" in run("normalize", "events.csv", "--actors-file", "people.csv").stdout
    result = run("export", "events.csv", "--actors", "people.csv", "--actor", "Volodymyr Zelensky", "-o", "f.html")
    assert result.exit_code == 0 and "names no actor" not in result.stderr


# --- the command to run next --------------------------------------------------------------------

def test_the_restore_hint_names_the_command_that_ran(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text("date,title,actors\n2025-11-20,Talks,Ukraine\n", encoding="utf-8")
    add_event(str(events), {"date": "2025-11-21", "title": "Call", "actors": "Ukraine"})
    events.write_text("date,title,actors\n2025-11-20,Talks,Ukraine\n", encoding="utf-8")  # a stale save
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    started = subprocess.run([sys.executable, "-m", "timeline", "check", "events.csv"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    python = os.path.basename(sys.executable) if shutil.which(os.path.basename(sys.executable)) == sys.executable \
        else sys.executable
    assert f" -- {shlex.quote(python)} -m timeline restore events.csv puts it back" in started.stdout, started.stdout
    assert "python -m timeline restore" not in started.stdout.replace(f"{python} -m", "")


@pytest.mark.parametrize("argv0, path_has_bin, expected", [
    ("{bin}/timeline", False, "{relbin}/timeline"),
    ("{bin}/timeline", True, "timeline"),
    ("{pkg}/__main__.py", False, "{relbin}/python -m timeline"),
    ("/usr/bin/gunicorn", False, "{relbin}/timeline"),  # a server: the script beside its Python
], ids=["script", "script-on-path", "python-m", "server"])
def test_command_is_what_the_user_can_type_from_here(tmp_path, monkeypatch, argv0, path_has_bin, expected):
    venv = tmp_path / "venv" / "bin"
    venv.mkdir(parents=True)
    for name in ("python", "timeline"):
        (venv / name).write_text("#!/bin/sh\n", encoding="utf-8")
        (venv / name).chmod(0o755)
    pkg = Path(timeline.invocation.__file__).parent
    monkeypatch.setattr(sys, "executable", str(venv / "python"))
    monkeypatch.setattr(sys, "argv", [argv0.format(bin=venv, pkg=pkg), "check"])
    monkeypatch.setenv("PATH", f"{venv}{os.pathsep}/usr/bin" if path_has_bin else "/usr/bin")
    monkeypatch.chdir(tmp_path)
    assert command() == expected.format(relbin=os.path.join("venv", "bin"))
