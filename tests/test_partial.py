"""A file with errors in some rows: its valid rows are still shown (page, shared view, `export
--skip-invalid`), never stored or kept as if they were the file, and `check` still fails."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import timeline.events
from timeline.cli import cli
from timeline.components import banner
from timeline.events import EventLoader
from test_live import touch, worker

HEADER = "date,reported,title,actors,kind,status\n"
# One of each kind of row error a real file has: no actor, a date nobody can read, a kind not on
# the list, a comma that split a field, an empty title.
BAD_ROWS = (
    "2025-11-{day:02d},2025-11-24,Talks {i},,talks,happened\n",
    "sometime soonish,2025-11-24,Call {i},Ukraine,talks,happened\n",
    "2025-11-{day:02d},2025-11-24,Flight {i},Ukraine,flying,happened\n",
    "2025-11-{day:02d},2025-11-24,Kyiv, then Geneva {i},Ukraine,travel,happened\n",
    "2025-11-{day:02d},2025-11-24,,Russia,statement,happened\n",
)


def fifth_invalid(count: int = 100, start: int = 0) -> tuple[str, list[int]]:
    """``count`` rows, every fifth with an error; and the lines of those rows (the header is line 1)."""
    text, bad = [], []
    for i in range(start, start + count):
        day = 1 + i % 28
        if i % 5 == 4:
            text.append(BAD_ROWS[(i // 5) % len(BAD_ROWS)].format(day=day, i=i))
            bad.append(i - start + 2)
        else:
            actors = ("Ukraine", "Russia; Ukraine", "United States")[i % 3]
            text.append(f"2025-11-{day:02d},2025-11-24,Event {i},{actors},meeting,happened\n")
    return "".join(text), bad


def valid_rows(count: int, start: int) -> str:
    return "".join(f"2025-10-{1 + i % 28:02d},2025-11-24,Valid {i},Ukraine,talks,happened\n"
                   for i in range(start, start + count))


@pytest.fixture
def store(monkeypatch, tmp_path):
    """A store of the test's own that keeps every valid file, however small."""
    monkeypatch.setattr(timeline.events, "MIN_ROWS", 1)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def entries(folder):
    return sorted(folder.rglob("*.parquet"))


# --- the data layer ------------------------------------------------------------------------------

def test_a_file_with_a_fifth_of_its_rows_invalid_keeps_the_other_four_fifths():
    rows, bad = fifth_invalid(100)
    data = (HEADER + rows).encode()
    dataset, problems = EventLoader(cache=False).check(data, "events.csv")
    assert dataset is None  # as before: the file is invalid
    partial, partial_problems = EventLoader(cache=False).check(data, "events.csv", partial=True)
    assert partial_problems == problems  # the same messages as check prints
    assert len(partial.frame) == 80
    assert tuple(partial.left_out.tolist()) == tuple(bad)
    assert {p.line for p in problems if not p.warning} == set(bad)
    assert not set(partial.frame["id"]) & set(bad)
    assert "Call 4" not in set(partial.frame["title"]) and "Event 3" in set(partial.frame["title"])
    assert partial.left_out_note() == "20 of 100 rows left out: they have errors"
    assert partial.problems == tuple(p for p in problems if p.warning)  # a Dataset's problems: warnings


def test_a_valid_file_is_not_partial():
    dataset, _ = EventLoader(cache=False).check((HEADER + valid_rows(5, 0)).encode(), "e.csv", partial=True)
    assert not dataset.partial and len(dataset.left_out) == 0 and dataset.left_out_note() == ""


@pytest.mark.parametrize("text", [
    "date,title\n2025-11-01,No actors column\n",  # the header: no row can be trusted
    HEADER + '2025-11-01,2025-11-24,"Half written,Ukraine,talks,happened\n2025-11-02,2025-11-24,B,Ukraine,talks,\n',
    HEADER + "sometime,2025-11-24,A,Ukraine,talks,happened\n2025-11-01,2025-11-24,B,,talks,happened\n",  # none valid
    HEADER + "2025-11-01,2025-11-24,A\xff,Ukraine,talks,happened\n2025-11-02,2025-11-24,B,,talks,happened\n",
], ids=["header", "unclosed-quote", "no-valid-row", "not-utf8"])
def test_errors_beyond_rows_give_no_partial_dataset(text):
    data = text.encode("utf-8", "surrogateescape").replace("\xff".encode(), b"\xff")
    dataset, problems = EventLoader(cache=False).check(data, "e.csv", partial=True)
    assert dataset is None and any(not p.warning for p in problems)


def test_an_error_in_the_actors_file_gives_no_partial_dataset(tmp_path):
    (tmp_path / "actors.csv").write_text("name,aliases\nA,X\nB,X\n", encoding="utf-8")
    rows, _ = fifth_invalid(10)
    (tmp_path / "events.csv").write_text(HEADER + rows, encoding="utf-8")
    dataset, problems = EventLoader(cache=False).check(str(tmp_path / "events.csv"), partial=True)
    assert dataset is None and any(p.file.endswith("actors.csv") for p in problems)


def test_a_partial_dataset_is_never_stored_nor_built_on(store, tmp_path):
    path = tmp_path / "events.csv"
    rows, bad = fifth_invalid(50)
    path.write_text(HEADER + rows, encoding="utf-8")
    loader = EventLoader()
    partial, _ = loader.check(str(path), partial=True)
    assert len(partial.frame) == 40 and entries(store) == []
    # Rows appended to it are read with the whole file again: the partial read was not remembered
    # as a base, so its errors are found again, and the file stays invalid.
    with open(path, "a", encoding="utf-8") as out:
        out.write(valid_rows(3, 100))
    assert loader.check(str(path))[0] is None and loader.last_read == "whole"
    again, _ = loader.check(str(path), partial=True)
    assert len(again.frame) == 43 and tuple(again.left_out.tolist()) == tuple(bad) and entries(store) == []
    # A new loader (the next process) finds nothing stored either.
    assert EventLoader().check(str(path))[0] is None
    assert entries(store) == []


def test_rows_with_errors_appended_to_a_valid_file_leave_its_stored_version_alone(store, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + valid_rows(40, 0), encoding="utf-8")
    loader = EventLoader()
    valid, _ = loader.check(str(path))
    stored = entries(store)
    assert len(valid.frame) == 40 and len(stored) == 1
    rows, bad = fifth_invalid(10, start=40)
    with open(path, "a", encoding="utf-8") as out:
        out.write(rows)
    assert loader.check(str(path))[0] is None
    partial, problems = loader.check(str(path), partial=True)
    assert loader.last_read == "appended"
    assert len(partial.frame) == 48 and tuple(partial.left_out.tolist()) == tuple(line + 40 for line in bad)
    assert {p.line for p in problems if not p.warning} == set(partial.left_out.tolist())
    assert entries(store) == stored  # no entry for the partial version
    # Read whole, the same rows and the same order.
    whole, _ = EventLoader(cache=False).check(str(path), partial=True)
    assert whole.frame["id"].tolist() == partial.frame["id"].tolist()
    # Fixed by removing the bad rows, the file is valid and read as such.
    path.write_text(HEADER + valid_rows(40, 0) + valid_rows(2, 200), encoding="utf-8")
    fixed, _ = loader.check(str(path))
    assert fixed is not None and not fixed.partial and len(fixed.frame) == 42


# --- the shared view ---------------------------------------------------------------------------

def text_of(parts) -> str:
    """The text of a few Dash components, nested ones too."""
    out = []

    def walk(part):
        if isinstance(part, (list, tuple)):
            for item in part:
                walk(item)
        elif hasattr(part, "children"):
            walk(part.children)
        elif part is not None:
            out.append(str(part))

    walk(parts)
    return "\n".join(out)


def test_with_no_good_version_every_worker_shows_the_valid_rows_and_keeps_none(tmp_path):
    path, state = tmp_path / "events.csv", tmp_path / "state"
    rows, bad = fifth_invalid(100)
    touch(path, HEADER + rows)
    first, second = worker(path, state), worker(path, state)
    for live in (first, second):
        snapshot = live.current()
        assert snapshot.stale and snapshot.dataset.partial and len(snapshot.dataset.frame) == 80
        assert snapshot.good_since is None
    assert first.current().version == second.current().version
    assert first.shared.good() is None  # never the shared "last good version"


def test_a_last_good_version_is_still_shown_over_a_partial_file(tmp_path):
    path, state = tmp_path / "events.csv", tmp_path / "state"
    touch(path, HEADER + valid_rows(30, 0))
    first = worker(path, state)
    assert len(first.current().dataset.frame) == 30
    rows, _ = fifth_invalid(100)
    touch(path, HEADER + rows)
    for live in (first, worker(path, state)):
        snapshot = live.current()
        assert snapshot.stale and not snapshot.dataset.partial and len(snapshot.dataset.frame) == 30
    assert len(first.shared.good().data) == len((HEADER + valid_rows(30, 0)).encode())


def test_the_banner_says_how_many_rows_are_left_out_and_lists_what_check_prints(tmp_path, monkeypatch):
    path, state = tmp_path / "events.csv", tmp_path / "state"
    rows, _ = fifth_invalid(100)
    touch(path, HEADER + rows)
    snapshot = worker(path, state).current()
    parts = banner(snapshot.problems, str(path), shown_data=True, notices=snapshot.notices,
                   left_out=snapshot.dataset.left_out_note())
    headline = text_of(parts[0])
    assert headline.startswith("events.csv: 20 of 100 rows left out: they have errors (")
    assert "actors: 4" in headline and "date: 4" in headline and "kind: 4" in headline
    assert "The chart and the list show the other rows." in headline
    details = parts[1]
    assert type(details).__name__ == "Details"
    assert text_of(details.children[0]) == "The 20 errors and 12 warnings, as check prints them"
    listed = text_of(details.children[1]).splitlines()
    monkeypatch.chdir(path.parent)  # the page names the file by its name alone, as check does from its folder
    result = CliRunner().invoke(cli, ["check", path.name])
    assert result.exit_code == 1
    assert listed == result.stdout.splitlines()[:-1]  # every line check prints, but its summary


# --- the command line --------------------------------------------------------------------------

@pytest.fixture
def partial_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows, _ = fifth_invalid(100)
    (tmp_path / "events.csv").write_text(HEADER + rows, encoding="utf-8")
    return tmp_path / "events.csv"


@pytest.mark.parametrize("command", [["check"], ["normalize"]])
def test_check_and_normalize_still_fail_on_a_partial_file(partial_file, command):
    result = CliRunner().invoke(cli, [*command, "events.csv"])
    assert result.exit_code == 1
    assert "events.csv: invalid: 20 errors" in result.output


def test_export_refuses_a_partial_file_and_says_how_to_draw_it(partial_file):
    result = CliRunner().invoke(cli, ["export", "events.csv", "-o", "figure.html"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-2].startswith("events.csv: invalid: 20 errors")
    assert lines[-1] == ("events.csv: --skip-invalid draws the other 80 rows without the 20 with errors; "
                         "the figure's subtitle then says so")
    assert not (partial_file.parent / "figure.html").exists()


def test_export_skip_invalid_draws_the_valid_rows_and_the_subtitle_says_how_many_are_left_out(partial_file):
    result = CliRunner().invoke(cli, ["export", "events.csv", "-o", "figure.html", "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert "events.csv: 20 of 100 rows left out: they have errors; the figure's subtitle says so" in result.stderr
    page = (partial_file.parent / "figure.html").read_text(encoding="utf-8")
    start = page.index('"subtitle":')
    subtitle = json.JSONDecoder().raw_decode(page, start + len('"subtitle":'))[0]["text"]
    assert subtitle.endswith("· 20 of 100 rows left out: they have errors")


def test_export_skip_invalid_still_refuses_a_file_broken_beyond_its_rows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "events.csv").write_text("date,title\n2025-11-01,A\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "events.csv", "-o", "figure.html", "--skip-invalid"])
    assert result.exit_code == 1 and 'missing required column "actors"' in result.stderr
    assert "--skip-invalid draws" not in result.stderr
    assert not (tmp_path / "figure.html").exists()


def test_serve_says_the_page_shows_the_other_rows(partial_file, monkeypatch):
    import timeline.app

    served = []

    class App:
        def run(self, **options):
            served.append(options)

    monkeypatch.setattr(timeline.app, "create_app", lambda *args, **options: App())
    result = CliRunner().invoke(cli, ["serve", "events.csv", "--port", "8051"])
    assert result.exit_code == 0 and served == [{"host": "127.0.0.1", "port": 8051, "debug": False}]
    assert ("events.csv: 20 of 100 rows left out: they have errors; the page shows the other rows (or the last "
            "valid version of the file, if it saw one) and these errors until the file is fixed") in result.stderr
    assert "Serving events.csv at http://127.0.0.1:8051/" in result.stdout


def test_a_long_list_of_problems_ends_with_the_command_that_lists_them_all(monkeypatch):
    import timeline.components

    monkeypatch.setattr(timeline.components, "LISTED", 5)
    rows, _ = fifth_invalid(100)
    dataset, problems = EventLoader(cache=False).check((HEADER + rows).encode(), "data/events.csv", partial=True)
    parts = banner(tuple(problems), "data/events.csv", left_out=dataset.left_out_note())
    listed = text_of(parts[1].children[1]).splitlines()
    assert listed[:5] == [str(p).removeprefix("data/") for p in problems[:5]]  # the file by its name
    assert listed[5].startswith(f"… and {len(problems) - 5} more: `") and listed[5].endswith(
        " check events.csv` lists them all")
    assert len(listed) == 6


def test_the_pages_download_of_a_partial_file_says_so_in_its_subtitle():
    from timeline.export import report_figure
    from timeline.figure import figure_spec
    from timeline.filters import View

    rows, _ = fifth_invalid(100)
    dataset, _ = EventLoader(cache=False).check((HEADER + rows).encode(), "events.csv", partial=True)
    figure = report_figure(dataset, View(kinds=("meeting",)), width=1600, height=900)
    assert figure.layout.title.subtitle.text.endswith(" · 20 of 100 rows left out: they have errors")
    # A view that matches nothing still says it.
    empty = figure_spec(dataset.frame, View(kinds=("summit",)), report=True, note=dataset.left_out_note())
    assert empty["layout"]["title"]["subtitle"]["text"].endswith(" · 20 of 100 rows left out: they have errors")
    # The page's own chart, with no titles, carries none.
    assert "title" not in figure_spec(dataset.frame, View(), note=dataset.left_out_note())["layout"]


def test_past_the_cap_on_listed_problems_every_bad_row_is_still_left_out(tmp_path):
    """Problems are listed for the first 1,000 lines and summed up after; the rows left out are all
    the bad ones, not just those listed."""
    rows, bad = fifth_invalid(10_000)
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    dataset, problems = EventLoader().check(str(path), partial=True)
    assert any(p.summed for p in problems), "the cap was reached"
    assert dataset is not None and dataset.partial
    assert dataset.left_out.tolist() == bad and len(bad) == 2_000
    assert len(dataset.frame) == 8_000
    assert not set(dataset.frame["id"].tolist()) & set(bad)
