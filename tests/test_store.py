"""The Parquet store of normalized events (timeline.store) and the loader's ways around a full read:
an unchanged file from the store, rows appended read alone, anything else read whole."""

from __future__ import annotations

import os
import random

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from framehelpers import assert_same_events
from fuzzfiles import ROOT
from test_events_columns import generated

import timeline.events
import timeline.schema
import timeline.store
from timeline.events import EventLoader

HEADER = "date,reported,title,actors,kind,status,notes\n"


def rows(count: int, seed: int = 0, start: int = 0) -> str:
    rng = random.Random(seed)
    out = []
    for i in range(start, start + count):
        day = f"2025-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        text = rng.choice([day, "Nov. 21, 2025", "last week", "Thanksgiving", "March 2024"])
        out.append(f'"{text}",2025-11-23,Event {i % 40},"{rng.choice(["Ukraine", "Russia; Ukraine", "U.S."])}",'
                   f'{rng.choice(["talks", "meeting"])},{rng.choice(["happened", "planned"])},note {i}\n')
    return "".join(out)


@pytest.fixture
def small_entries(monkeypatch, tmp_path):
    """Every valid file is stored, however small, in a store of the test's own."""
    monkeypatch.setattr(timeline.events, "MIN_ROWS", 1)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def whole(path_or_bytes, name=None):
    return EventLoader(cache=False).check(path_or_bytes, name)


def assert_same(got, expected):
    (dataset, problems), (expected_dataset, expected_problems) = got, expected
    assert [str(p) for p in problems] == [str(p) for p in expected_problems]
    assert (dataset is None) == (expected_dataset is None)
    if dataset is not None:
        assert_same_events(dataset.frame, expected_dataset.frame)
        assert dataset.as_of == expected_dataset.as_of
        assert list(dataset.aliases.items()) == list(expected_dataset.aliases.items())


def entries(folder):
    return sorted(folder.rglob("*.parquet"))


# --- the store ----------------------------------------------------------------------------------

def test_an_unchanged_file_is_read_from_the_store_by_the_next_process(small_entries, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows(300) + '2025-11-21,2025-11-23,Event 1,Ukrane,talks,happened,""\n')
    first = EventLoader()
    expected = first.check(path)
    assert first.last_read == "whole" and len(entries(small_entries)) == 1
    second = EventLoader()
    got = second.check(path)
    assert second.last_read == "store"
    assert_same(got, expected)
    assert any("only by spelling" in p.message for p in got[1])  # warnings come back with the events
    assert_same(got, whole(path))


def test_a_restart_reads_the_newest_entry_ahead_and_only_when_the_file_is_older(small_entries, tmp_path, monkeypatch):
    """The newest entry is read on another thread while the file is read and hashed, when it was
    written after the file last changed; a file changed since is not read ahead, and a guess that
    misses (the same time, other bytes) is not used."""
    import threading

    from timeline.store import Store

    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows(80))
    EventLoader().check(path)
    asked, get = [], Store.get
    monkeypatch.setattr(Store, "get", lambda self, key: asked.append(threading.current_thread() is
                                                                     threading.main_thread()) or get(self, key))
    loader = EventLoader()
    got = loader.check(path)
    assert loader.last_read == "store" and asked == [False]  # once, ahead
    assert_same(got, whole(path))

    asked.clear()
    stamp = os.stat(path)
    path.write_text(HEADER + rows(81, seed=2))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**10))  # changed after the entry
    loader = EventLoader()
    got = loader.check(path)
    assert loader.last_read == "whole" and asked == [True]  # the new key's, on this thread
    assert_same(got, whole(path))

    asked.clear()
    stamp = os.stat(path)
    path.write_text(HEADER + rows(81, seed=3))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns - 10**10))  # changed, dated before the entry
    loader = EventLoader()
    got = loader.check(path)
    assert loader.last_read == "whole" and sorted(asked) == [False, True]  # the guess read ahead, not used
    assert_same(got, whole(path))


def test_a_summary_of_many_warnings_comes_back_from_the_store_with_its_count(small_entries, tmp_path):
    """Past the first thousand, the same warning is one line ("N more warnings not listed"): the
    next process, reading the events from the store, says the same N and the same last line."""
    path = tmp_path / "events.csv"
    twice = "".join(f"2025-11-{1 + i % 28:02d},2025-11-30,Talks {i},Ukraine,talks,happened,a\n" for i in range(1200))
    path.write_text(HEADER + twice + twice)
    expected = whole(path)
    assert any(p.summed and p.count == 200 for p in expected[1])
    EventLoader().check(path)
    again = EventLoader()
    got = again.check(path)
    assert again.last_read == "store"
    assert_same(got, expected)


def test_other_tools_read_the_entry_as_a_table(small_entries):
    EventLoader().check(ROOT / "events.csv")
    [entry] = entries(small_entries)
    table = pq.read_table(entry).to_pandas()
    frame = whole(ROOT / "events.csv")[0].frame
    assert list(table.columns) == [*frame.columns, "actors_code"]
    assert [tuple(a) for a in table["actors"]] == list(frame["actors"])
    # The code numbers the distinct lists of actors as they first come.
    assert table["actors_code"].tolist() == pd.factorize(frame["actors"].to_numpy())[0].tolist()
    assert pd.to_datetime(table["start"]).tolist() == frame["start"].tolist()


def test_changed_content_with_the_same_size_and_time_is_read_again(small_entries, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows(50) + "2025-11-21,2025-11-23,Talks in Geneva,Ukraine,talks,happened,a\n")
    EventLoader().check(path)
    stamp = os.stat(path)
    path.write_text(HEADER + rows(50) + "2025-11-22,2025-11-23,Talks in Geneva,Ukraine,talks,happened,a\n")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert os.stat(path).st_size == stamp.st_size and os.stat(path).st_mtime_ns == stamp.st_mtime_ns
    loader = EventLoader()
    dataset, _ = loader.check(path)
    assert loader.last_read == "whole"
    talks = dataset.frame[dataset.frame["title"] == "Talks in Geneva"]
    assert talks["start"].tolist() == [pd.Timestamp("2025-11-22")]


@pytest.mark.parametrize("damage", ["truncated", "emptied", "not parquet", "foreign parquet"])
def test_a_damaged_entry_is_ignored_and_written_again(small_entries, tmp_path, damage):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows(120))
    expected = whole(path)
    EventLoader().check(path)
    [entry] = entries(small_entries)
    data = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "emptied":
        entry.write_bytes(b"")
    elif damage == "not parquet":
        entry.write_bytes(b"date,title\n" * 50)
    else:
        pd.DataFrame({"id": [1]}).to_parquet(entry)
    loader = EventLoader()
    assert_same(loader.check(path), expected)
    assert loader.last_read == "whole"
    again = EventLoader()
    assert_same(again.check(path), expected)
    assert again.last_read == "store"


def test_an_entry_whose_actor_codes_do_not_follow_the_rows_is_not_trusted(small_entries, tmp_path):
    """A whole entry of ours (its sum and key right) whose actors_code is not a number of the lists
    as they first come (here -1, which numpy would read as the last list): ignored, not read as
    other actors."""
    import hashlib

    import pyarrow as pa

    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows(120))
    expected = whole(path)
    EventLoader().check(path)
    [entry] = entries(small_entries)
    table = pq.read_table(entry)
    codes = table["actors_code"].to_numpy()
    assert codes.max() > 0
    damaged = codes.copy()
    damaged[np.flatnonzero(codes == 0)[-1]] = -1
    table = table.set_column(table.column_names.index("actors_code"), "actors_code", pa.array(damaged))
    pq.write_table(table, entry)
    key = entry.stem.rpartition("-")[0]
    entry.rename(entry.with_name(f"{key}-{hashlib.sha256(entry.read_bytes()).hexdigest()[:40]}.parquet"))
    loader = EventLoader()
    assert_same(loader.check(path), expected)
    assert loader.last_read == "whole"


@pytest.mark.parametrize("size", [0, 1, 2 * 64, 2 * 64 + 1, 5 * 64 + 7])
def test_the_digest_of_a_big_file_names_every_byte_of_it(monkeypatch, size):
    """Past two pieces the digest is made of the pieces' digests: still one byte changed anywhere,
    or one more byte, changes it, and bytes or a view of them give the same."""
    monkeypatch.setattr(timeline.store, "PIECE", 64)
    data = bytes(random.Random(size).randrange(256) for _ in range(size))
    named = timeline.store.digest(data)
    assert timeline.store.digest(memoryview(data)) == named == timeline.store.digest(bytearray(data))
    assert timeline.store.digest(data + b"\0") != named
    for at in range(0, size, 17):
        changed = bytearray(data)
        changed[at] ^= 1
        assert timeline.store.digest(bytes(changed)) != named


def test_an_entry_of_another_version_is_not_trusted(small_entries, tmp_path, monkeypatch):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows(80))
    EventLoader().check(path)
    monkeypatch.setattr(timeline.store, "code_version", lambda: "another version")
    loader = EventLoader()
    assert_same(loader.check(path), whole(path))
    assert loader.last_read == "whole"


def test_an_entry_renamed_to_another_key_is_not_trusted(small_entries, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    (one / "events.csv").write_text(HEADER + rows(40, seed=1))
    (two / "events.csv").write_text(HEADER + rows(40, seed=2))
    EventLoader().check(one / "events.csv")
    EventLoader().check(two / "events.csv")
    [first], [second] = (entries(timeline.store.Store(one_or_two / "events.csv").folder) for one_or_two in (one, two))
    second.write_bytes(first.read_bytes())  # one file's events under the other file's key
    loader = EventLoader()
    assert_same(loader.check(two / "events.csv"), whole(two / "events.csv"))
    assert loader.last_read == "whole"


def test_a_changed_actors_file_is_a_different_entry(small_entries, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows(60))
    EventLoader().check(path)
    (tmp_path / "actors.csv").write_text("name,aliases,member_of\nUnited States,U.S.,\n")
    loader = EventLoader()
    dataset, _ = loader.check(path)
    assert loader.last_read == "whole"
    assert "United States" in {a for actors in dataset.frame["actors"] for a in actors}


def test_the_store_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.setattr(timeline.events, "MIN_ROWS", 1)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows(30))
    EventLoader().check(path)
    assert timeline.store.cache_root() is None and not (tmp_path / "xdg").exists()


def test_the_store_is_in_the_users_cache_folder_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("TIMELINE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert timeline.store.cache_root() == tmp_path / "xdg" / "timeline"


def test_small_files_are_not_stored(monkeypatch, tmp_path):
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    EventLoader().check(ROOT / "events.csv")
    assert not entries(tmp_path)


def test_a_store_that_cannot_be_written_is_no_error(monkeypatch, tmp_path):
    monkeypatch.setattr(timeline.events, "MIN_ROWS", 1)
    blocker = tmp_path / "not a folder"
    blocker.write_text("")
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(blocker))
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows(30))
    assert_same(EventLoader().check(path), whole(path))


# --- rows appended ----------------------------------------------------------------------------

TAILS = {
    "one row": "2025-11-24,2025-11-24,Call,Ukraine,talks,happened,x\n",
    "a duplicate of an earlier row": rows(1, seed=0),
    "two duplicates of each other": "2025-11-01,,Same,Ukraine,talks,happened,\n2025-11-01,,same.,Ukraine,talks,,\n",
    "a new spelling of an actor": "2025-11-24,,Call,Ukrane,talks,happened,x\n",
    "a spelling that outnumbers": "2025-11-24,,A,Ukrane,talks,,\n" * 3,
    "an error": "2025-11-24,2025-11-24,,Ukraine,nonsense,happened,x\n",
    "a relative date": '"Saturday night",2025-11-23,Talks,Ukraine,talks,happened,\n',
    "a quoted cell over two lines": '2025-11-24,,"Two\nlines",Ukraine,talks,happened,\n2025-11-25,,After,Ukraine,,,\n',
    "blank lines": "\n\n2025-11-24,,After blanks,Ukraine,,,\n\n",
    "a row too wide": "2025-11-24,,Wide,Ukraine,talks,happened,x,y\n",
    "a short row": "2025-11-24,,Short,Ukraine\n",
    "no final line ending": "2025-11-24,,Last,Ukraine,,,",
    "an unclosed quote": '2025-11-24,,"Open,Ukraine,,,\n',
    "not UTF-8": b"2025-11-24,,Caf\xe9,Ukraine,,,\n",
}


@pytest.mark.parametrize("tail", TAILS.values(), ids=TAILS.keys())
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_rows_appended_are_read_alone_and_give_what_a_whole_read_gives(tmp_path, tail, newline):
    before = (HEADER + rows(200)).replace("\n", newline).encode()
    tail = tail if isinstance(tail, bytes) else tail.replace("\n", newline).encode()
    loader = EventLoader()
    loader.check(before, "events.csv")
    got = loader.check(before + tail, "events.csv")
    assert loader.last_read == "appended"
    assert_same(got, whole(before + tail, "events.csv"))


def test_appends_one_after_another_stay_the_same_as_whole_reads():
    data = generated(400, seed=3)
    valid = EventLoader(ROOT / "actors.csv").check(data, "events.csv")
    lines = (HEADER + rows(600, seed=5)).encode().splitlines(keepends=True)
    loader = EventLoader(ROOT / "actors.csv")
    cut = 80
    loader.check(b"".join(lines[:cut]), "events.csv")
    rng = random.Random(9)
    while cut < len(lines):
        cut = min(len(lines), cut + rng.randint(1, 60))
        content = b"".join(lines[:cut])
        got = loader.check(content, "events.csv")
        assert loader.last_read == "appended"
        assert_same(got, EventLoader(ROOT / "actors.csv", cache=False).check(content, "events.csv"))
    assert valid is not None


def test_appended_rows_after_a_file_with_errors_are_read_whole():
    broken = (HEADER + rows(50) + "2025-11-24,,,Ukraine,,,\n").encode()
    loader = EventLoader()
    assert loader.check(broken, "events.csv")[0] is None
    loader.check(broken + b"2025-11-25,,Next,Ukraine,,,\n", "events.csv")
    assert loader.last_read == "whole"


@pytest.mark.parametrize("edit", ["a changed cell", "a removed row", "a row put in the middle", "the header"])
def test_an_edit_above_the_end_is_read_whole(edit):
    lines = (HEADER + rows(100)).encode().splitlines(keepends=True)
    loader = EventLoader()
    loader.check(b"".join(lines), "events.csv")
    if edit == "a changed cell":
        lines[40] = lines[40].replace(b"Event", b"Evant")
    elif edit == "a removed row":
        del lines[40]
    elif edit == "a row put in the middle":
        lines.insert(40, b"2025-11-24,,Inserted,Ukraine,,,\n")
    else:
        lines[0] = lines[0].replace(b"notes", b"remarks")
    content = b"".join(lines) + b"2025-11-25,,Appended too,Ukraine,,,\n"
    got = loader.check(content, "events.csv")
    assert loader.last_read == "whole"
    assert_same(got, whole(content, "events.csv"))


def test_rows_appended_since_the_stored_entry_are_read_alone_by_the_next_process(small_entries, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows(300))
    EventLoader().check(path)
    with open(path, "a") as handle:
        handle.write("2025-11-24,2025-11-24,Call,Ukraine,talks,happened,x\n")
    loader = EventLoader()
    got = loader.check(path)
    assert loader.last_read == "appended"
    assert_same(got, whole(path))


# --- what the date reader keeps -------------------------------------------------------------

def test_the_vocabulary_of_every_language_is_kept_and_read_back_whole(monkeypatch, tmp_path):
    from timeline.dates import vocabulary as dates

    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path))
    built = dates._build_vocabulary(dates.LANGUAGES)
    dates._vocabulary.cache_clear()
    assert dates._vocabulary(dates.LANGUAGES) == built  # made, and written
    [kept] = tmp_path.glob("vocabulary-*.json")
    dates._vocabulary.cache_clear()
    monkeypatch.setattr(dates, "_build_vocabulary", lambda languages: pytest.fail("read, not made again"))
    read = dates._vocabulary(dates.LANGUAGES)
    assert read == built and list(read.months) == list(built.months)
    kept.write_text('{"months": 3')  # damaged: made again
    monkeypatch.undo()
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path))
    dates._vocabulary.cache_clear()
    assert dates._vocabulary(dates.LANGUAGES) == built
    dates._vocabulary.cache_clear()


def test_processes_that_start_together_read_a_file_once(small_entries, tmp_path):
    """Two workers of a server start on the same new file: one reads it whole, the other waits
    for its turn and finds the events stored."""
    import subprocess
    import sys

    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows(3000))
    code = ("import sys, timeline.events as e; e.MIN_ROWS = 1; e.TURN_BYTES = 0; loader = e.EventLoader(); "
            "loader.check(sys.argv[1]); print(loader.last_read)")
    env = {**os.environ, "TIMELINE_CACHE_DIR": str(small_entries), "PYTHONPATH": str(ROOT)}
    workers = [subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True, env=env)
               for _ in range(2)]
    read = sorted(worker.communicate()[0].strip() for worker in workers)
    assert read == ["store", "whole"]


def test_a_big_files_texts_stay_codes_and_arrow_strings_through_the_store(tmp_path, monkeypatch):
    """A file Arrow reads (over a MB): no Python string per row in its frame, whole-read or stored."""
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows(30_000, seed=2).replace('"Thanksgiving"', '"2025-11-27"'), encoding="utf-8")
    assert path.stat().st_size > 1 << 20
    first = EventLoader().check(path)[0]
    again = EventLoader()
    stored = again.check(path)[0]
    assert again.last_read == "store"
    for frame in (first.frame, stored.frame):
        assert isinstance(frame["notes"].dtype, pd.StringDtype)  # "note 1", "note 2": one per row
        assert frame["notes"].array._pa_array is not None  # Arrow's buffers, not objects
        for column in ("title", "kind", "status", "precision", "date_text"):  # values that repeat
            assert isinstance(frame[column].dtype, pd.CategoricalDtype), column
            assert frame[column].cat.categories.dtype == object
    assert list(first.frame["kind"].cat.categories) == list(timeline.schema.KINDS)
    assert_same_events(first.frame, stored.frame)
