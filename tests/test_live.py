"""An events file followed while editors change it: every worker shows the same version, says
plainly when there is none, and notices rows that disappeared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from timeline.append import add_event
from timeline.components import banner
from timeline.live import LiveEvents, SharedState

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = "date,title,actors\n"


def rows(count: int, start: int = 0) -> str:
    return "".join(f"2025-11-{1 + i % 28:02d},Event {i},Ukraine\n" for i in range(start, start + count))


def worker(path, state) -> LiveEvents:
    """A worker process's view of the file: its own loader and memory, the shared state folder."""
    return LiveEvents(str(path), state=SharedState(str(path), str(state)))


def touch(path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    info = os.stat(path)  # a new stamp even within the clock's resolution
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))


def text_of(component) -> str:
    return "\n".join(str(getattr(part, "children", part)) for part in component)


@pytest.fixture
def files(tmp_path):
    return tmp_path / "events.csv", tmp_path / "state"


def test_workers_show_the_same_last_good_version_while_the_file_is_invalid(files):
    path, state = files
    touch(path, HEADER + rows(35))
    first = worker(path, state)
    assert len(first.current().dataset.frame) == 35
    touch(path, HEADER + rows(34) + "sometime soonish,Broken,Ukraine\n")
    second = worker(path, state)  # started after the file broke: it never read a good version itself
    for live in (first, second):
        snapshot = live.current()
        assert snapshot.stale and len(snapshot.dataset.frame) == 35
    assert first.current().version == second.current().version


def test_with_no_good_version_the_banner_says_so(files):
    path, state = files
    touch(path, HEADER + '2025-11-01,"Half written')
    snapshot = worker(path, state).current()
    assert snapshot.dataset is None and snapshot.stale
    said = text_of(banner(snapshot.problems, str(path), shown_data=snapshot.dataset is not None))
    assert "events.csv has 1 error, and no earlier version of it was valid: there is nothing to show" in said
    assert "showing the last good version" not in said


@pytest.mark.parametrize("before, after, notice", [
    (35, 10, "25 events disappeared since "),
    (35, 33, None),  # two rows deleted: an edit, not a loss
    (8, 5, "3 events disappeared since "),
    (35, 36, None),
], ids=["cut-at-a-row", "two-deleted", "small-file", "grown"])
def test_a_valid_version_with_far_fewer_events_says_how_many_disappeared(files, before, after, notice):
    path, state = files
    touch(path, HEADER + rows(before))
    first = worker(path, state)
    first.current()
    touch(path, HEADER + rows(after))
    late = worker(path, state)  # a worker that never saw the longer version says the same
    for live in (first, late):
        notices = live.current().notices
        if notice is None:
            assert notices == ()
        else:
            [said] = notices
            assert said.startswith(notice) and f": {before} then, {after} now." in said
    assert notice is None or notice in text_of(banner(first.current().problems, str(path),
                                                      notices=first.current().notices))


def test_a_dropped_added_row_is_in_the_banner(files):
    path, state = files
    touch(path, HEADER + rows(3))
    live = worker(path, state)
    live.current()
    add_event(path, {"date": "2025-11-21", "title": "Added", "actors": "Ukraine"})
    assert len(live.current().dataset.frame) == 4 and live.current().notices == ()
    touch(path, HEADER + rows(3))  # an editor's save of the copy they opened before the add
    [notice] = live.current().notices
    assert "the row add wrote to line 5 of" in notice and "2025-11-21,Added,Ukraine" in notice
    assert notice in text_of(banner(live.current().problems, str(path), notices=live.current().notices))


WORKER = textwrap.dedent("""
    import json, sys
    from timeline.live import LiveEvents, SharedState
    snapshot = LiveEvents(sys.argv[1], state=SharedState(sys.argv[1], sys.argv[2])).current()
    print(json.dumps({"events": None if snapshot.dataset is None else len(snapshot.dataset.frame),
                      "version": snapshot.version, "stale": snapshot.stale}))
""")


def test_worker_processes_agree(files):
    path, state = files

    def run():
        done = subprocess.run([sys.executable, "-c", WORKER, str(path), str(state)], cwd=ROOT, check=True,
                              env={**os.environ, "PYTHONPATH": ROOT}, capture_output=True, text=True, timeout=120)
        return json.loads(done.stdout)

    touch(path, HEADER + rows(35))
    assert run()["events"] == 35
    touch(path, HEADER + rows(34) + "2025-11-40,Broken,Ukraine\n")
    seen = [run(), run()]
    assert seen[0] == seen[1] and seen[0]["events"] == 35 and seen[0]["stale"]


@pytest.mark.parametrize("order, expected", [
    (None, "events.csv · as of 24 Nov 2025"),
    ("MDY", "events.csv · as of 24 Nov 2025 · numeric dates month first"),
    ("DMY", "events.csv · as of 24 Nov 2025 · numeric dates day first"),
])
def test_the_page_says_how_its_numeric_dates_are_read(order, expected):
    from datetime import date

    from timeline.components import subtitle

    assert subtitle("/data/events.csv", date(2025, 11, 24), order) == expected


def test_a_served_month_first_file_is_read_month_first(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("date,title,actors\n3/7/2022,Talks,US\n")
    assert LiveEvents(str(path)).current().dataset.date_order == "DMY"
    live = LiveEvents(str(path), date_order="MDY")
    assert live.current().dataset.frame["start"].dt.date.astype(str).tolist() == ["2022-03-07"]
