"""The add journal: rows a whole-file save dropped are reported by check and put back by restore,
and an editor who saves over `add` loses nothing of their own."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner

from timeline.append import add_event, restore_rows
from timeline.cli import cli
from timeline.csvfile import read_table
from timeline.events import check_events
from timeline.journal import journal_path, read

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = "date,end_date,reported,title,actors,kind,status,location,source,url,notes"
ROW = "2025-11-20,,2025-11-20,Talks in Geneva,United States; Ukraine,talks,happened,Geneva,,,"


def add(path, title, **values):
    return add_event(path, {"date": "2025-11-21", "reported": "2025-11-21", "title": title, "actors": "Ukraine",
                            **values})


def dropped(path):
    _, problems = check_events(path, name="events.csv")
    return [p for p in problems if p.file == "events.csv.journal"]


@pytest.fixture
def events(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    return path


def test_each_add_is_journaled_with_its_line_values_and_row(events):
    plan = add(events, "Plan published", kind="Proposal")
    entries, problems = read(str(events))
    assert problems == []
    assert [(e.line, e.values, e.row) for e in entries] == [
        (3, {"date": "2025-11-21", "reported": "2025-11-21", "title": "Plan published", "actors": "Ukraine",
             "kind": "proposal"}, plan.row)]
    assert entries[0].at.endswith("Z")
    assert dropped(events) == []


SAVES = {
    # How an editor's save can lose an added row: the editor's copy predates the add.
    "stale-copy": lambda text, row: text.replace(row + "\n", ""),
    "reordered-columns": lambda text, row: "\n".join(
        ",".join(reversed(cells.split(","))) for cells in text.replace(row + "\n", "").splitlines()) + "\n",
}


@pytest.mark.parametrize("save", SAVES.values(), ids=SAVES.keys())
def test_a_dropped_row_is_a_warning_naming_the_journal_entry(events, save):
    plan = add(events, "Plan published")
    events.write_text(save(events.read_text(encoding="utf-8"), plan.row), encoding="utf-8")
    [problem] = dropped(events)
    assert problem.warning and problem.line == 1
    assert "the row add wrote to line 3 of events.csv on " in problem.message
    assert f"is no longer in it (a later whole-file save dropped it?): {plan.row} -- " in problem.message


def test_check_finds_a_dropped_row_in_a_file_with_errors_too(events):
    """check reads a file once and lets the table's cells go as its rules read them: the
    journal's search for a dropped row reads them again."""
    plan = add(events, "Plan published")
    edited = events.read_text(encoding="utf-8").replace(plan.row + "\n", "")
    events.write_text(edited + "someday,,,Call,Ukraine,,,,,,\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(events)])
    assert result.exit_code == 1
    assert 'cannot read "someday" as a date' in result.stdout
    assert f"is no longer in it (a later whole-file save dropped it?): {plan.row} -- " in result.stdout


@pytest.mark.parametrize("edit, expected", [
    (lambda text: text.replace("Talks in Geneva", "Geneva talks"), 0),  # another row edited: ours stays
    (lambda text: text.replace("2025-11-21,,2025-11-21,Plan", '"2025-11-21",,2025-11-21,Plan'), 0),  # quoted
    (lambda text: text + "\n\n", 0),
    (lambda text: text.replace("Plan published", "Plan published (updated)"), 1),  # our row edited: not ours
], ids=["other-row-edited", "requoted", "blank-lines", "row-edited"])
def test_what_counts_as_the_added_row(events, edit, expected):
    add(events, "Plan published")
    events.write_text(edit(events.read_text(encoding="utf-8")), encoding="utf-8")
    assert len(dropped(events)) == expected


def test_a_row_added_twice_must_be_there_twice(events):
    add(events, "Same")
    add(events, "Same")
    text = events.read_text(encoding="utf-8")
    events.write_text(text[: text.rindex("\n2025-11-21") + 1], encoding="utf-8")
    [problem] = dropped(events)
    assert problem.line == 2  # the later entry


def test_restore_puts_back_dropped_rows_and_forget_silences_them(events):
    first, second = add(events, "First"), add(events, "Second")
    events.write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    assert len(dropped(events)) == 2
    done = restore_rows(events, dry_run=True)
    assert [item.entry.row for item in done] == [first.row, second.row]
    assert events.read_text(encoding="utf-8") == f"{HEADER}\n{ROW}\n"
    done = restore_rows(events)
    assert [item.plan.line for item in done] == [3, 4]
    assert events.read_text(encoding="utf-8") == f"{HEADER}\n{ROW}\n{first.row}\n{second.row}\n"
    assert dropped(events) == []
    assert restore_rows(events) == []

    events.write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    assert [item.entry.row for item in restore_rows(events, forget=True)] == [first.row, second.row]
    assert dropped(events) == [] and events.read_text(encoding="utf-8") == f"{HEADER}\n{ROW}\n"


def test_restore_command(events, monkeypatch):
    monkeypatch.chdir(events.parent)
    plan = add(events, "Plan published")
    events.write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    checked = CliRunner().invoke(cli, ["check", "events.csv"])
    assert checked.exit_code == 0 and "events.csv.journal:1: warning: the row add wrote" in checked.stdout
    result = CliRunner().invoke(cli, ["restore", "events.csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("put back as line 3 (added on ")
    assert result.stdout.rstrip().endswith(plan.row)
    result = CliRunner().invoke(cli, ["restore", "events.csv"])
    assert result.stdout == "events.csv: every row add wrote is there; nothing to restore\n"


def test_a_row_that_no_longer_passes_the_checks_is_not_restored(events, monkeypatch):
    monkeypatch.chdir(events.parent)
    add(events, "Plan published", kind="proposal")
    events.write_text("date,title,actors\n2025-11-20,Other,Ukraine\n", encoding="utf-8")  # no kind column now
    result = CliRunner().invoke(cli, ["restore", "events.csv"])
    assert result.exit_code == 1
    assert "not restored (added on " in result.stderr and 'has no "reported", "kind" columns' in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("line", ["", "not json", '{"at": 1}', '{"values": {"nope": "x"}, "at": "x", "line": 1, '
                                  '"row": ""}', "[1]"], ids=["blank", "text", "no-values", "unknown-column", "list"])
def test_a_broken_journal_line_is_a_warning_not_a_failure(events, line):
    add(events, "Plan published")
    with open(journal_path(events), "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    problems = dropped(events)
    assert [p.message for p in problems] == ([] if not line else ["is not an entry of the add journal; skipped"])
    assert check_events(events)[0] is not None


# --- the editor race ---------------------------------------------------------------------

ADDER = textwrap.dedent("""
    import json, sys
    from timeline.append import AddError, add_event
    for i in range(int(sys.argv[2])):
        try:
            plan = add_event(sys.argv[1], {"date": "2025-11-21", "reported": "2025-11-21",
                                           "title": f"Added {i}", "actors": "Ukraine"}, timeout=60)
        except AddError as error:
            print(json.dumps({"failed": i, "why": str(error)}), flush=True)
        else:
            print(json.dumps({"added": i, "line": plan.line}), flush=True)
""")


def editor_save(path, text: str, style: str, rng: random.Random) -> None:
    """A whole-file save without our lock, as a text editor or a spreadsheet does it."""
    if style == "in-place":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        temporary = f"{path}.editor~"
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temporary, path)


@pytest.mark.parametrize("style", ["in-place", "rename"])
def test_editor_race_loses_no_editor_save_and_no_add_silently(events, style):
    adds = 21
    adder = subprocess.Popen([sys.executable, "-c", ADDER, str(events), str(adds)], cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": ROOT}, stdout=subprocess.PIPE, text=True)
    rng = random.Random(style)
    saves = 0
    while adder.poll() is None or saves < 40:
        text = events.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            continue  # caught mid-write: an editor would not save that
        time.sleep(rng.uniform(0, 0.05))  # the editor's copy grows stale while they type
        editor_save(events, text + f"2025-11-22,,2025-11-22,Editor save {saves},Ukraine,,,,,,\n", style, rng)
        saves += 1
        time.sleep(rng.uniform(0, 0.1))
    outcomes = [json.loads(line) for line in adder.stdout.read().splitlines()]
    adder.stdout.close()
    assert adder.wait() == 0
    added = [o["added"] for o in outcomes if "added" in o]
    assert len(added) >= 5, outcomes  # the race was run, not refused

    table, problems = read_table(events.read_bytes())
    assert problems == []
    titles = [cells[3] for _, cells in table.rows[1:]]
    assert [t for t in titles if t.startswith("Editor save")] == [f"Editor save {i}" for i in range(saves)]
    present = {int(t.split()[1]) for t in titles if t.startswith("Added")}
    reported = {int(p.message.split(",Added ")[1].split(",")[0]) for p in dropped(events)}
    assert present | reported == set(added) and not present & reported

    restore_rows(events)
    titles = [cells[3] for _, cells in read_table(events.read_bytes())[0].rows[1:]]
    assert {int(t.split()[1]) for t in titles if t.startswith("Added")} == set(added)
    assert dropped(events) == []
    assert check_events(events)[0] is not None
