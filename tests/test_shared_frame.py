"""The events one server's workers share (timeline.shared): one Arrow file that each maps, replaced
atomically, never mixed across versions, and ignored (then written again) when it cannot be trusted."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pytest
from framehelpers import assert_same_events
from fuzzfiles import ROOT

import timeline.events
import timeline.store
from timeline import shared
from timeline.events import EventLoader
from timeline.filters import View, index_for, matches
from timeline.live import LiveEvents, SharedState
from timeline.store import Store

HEADER = "date,title,actors,kind,status,location,notes\n"
WORDS = ["Geneva", "İstanbul", "ΟΔΟΣ", "peace 🕊 plan", "Київ", "talks", "", "Straße", "x y"]


def rows(count: int, seed: int = 0, title: str = "Event") -> str:
    rng = random.Random(seed)
    return "".join(
        f'2025-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d},"{title} {rng.choice(WORDS)} {i}",'
        f'"{rng.choice(["Ukraine", "Russia; Ukraine", "U.S.", "Zoë"])}",{rng.choice(["talks", "meeting"])},'
        f'{rng.choice(["happened", "planned"])},"{rng.choice(WORDS)}","{rng.choice(WORDS[:4])}"\n'
        for i in range(count))


@pytest.fixture
def cache(monkeypatch, tmp_path):
    """Every valid file is stored, however small, in a store of the test's own."""
    monkeypatch.setattr(timeline.events, "MIN_ROWS", 1)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def worker() -> EventLoader:
    """What a server's worker reads with: the store's events mapped from the shared file."""
    return EventLoader(keep_table=False, share=True)


def whole(path) -> pd.DataFrame:
    return EventLoader(cache=False).load(path).frame


def shared_files(path) -> list:
    return sorted(Store(path).folder.glob(f"*{shared.SUFFIX}"))


def write(path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    info = os.stat(path)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))


def test_every_worker_maps_the_one_file_and_gets_the_events_a_whole_read_gives(cache, tmp_path):
    path = tmp_path / "events.csv"
    write(path, HEADER + rows(200))
    first, second = worker(), worker()
    one = first.load(path).frame
    assert first.last_read == "whole"
    two = second.load(path).frame
    assert second.last_read == "store"
    [file] = shared_files(path)
    for frame in (one, two):  # the first worker too gives up its own copy for the mapped one
        assert shared.table_of(frame) is not None
        assert_same_events(frame, whole(path))
    assert shared.table_of(whole(path)) is None  # a process of its own (a command) maps nothing
    assert file.stat().st_mode & 0o777 == 0o600


def test_a_search_in_the_mapped_text_finds_what_the_frame_holds(cache, tmp_path):
    path = tmp_path / "events.csv"
    write(path, HEADER + rows(120, seed=3))
    worker().load(path)
    frame = worker().load(path).frame
    own = whole(path)
    texts = index_for(frame).searchable(frame)
    # Titles, one per event, scanned in the mapped file's own lower-cased text; places and notes
    # repeat: their distinct values, and each event's code from the file.
    assert texts[0].encoding == "utf-8" and isinstance(texts[0].blocks[0][1], memoryview)
    assert texts[1].codes is not None and texts[2].codes is not None
    needles = ["geneva", "i̇stanbul", "İstanbul", "οδος", "ΟΔΟΣ", "🕊", "київ", "strasse", "straße", "zoë",
               "event 1", " 11", "x y", "e", "\x00", "1\x00", "nothing"]
    for needle in needles:
        view = View(search=needle)
        assert (matches(frame, view) == matches(own, view)).all(), needle


def test_the_shared_file_is_replaced_atomically(cache, tmp_path, monkeypatch):
    path = tmp_path / "events.csv"
    write(path, HEADER + rows(150))
    mapped = worker().load(path).frame
    [file] = shared_files(path)
    before = file.read_bytes()
    key = file.name.partition("-")[0]
    [entry] = file.parent.glob(f"{key}-*.parquet")
    file.unlink()
    # A writer that dies half-way leaves no file under a shared name, nor a temporary one behind.
    real = pa.ipc.new_file

    def dies(sink, schema):
        writer = real(sink, schema)
        writer.write_table = lambda *a, **k: (_ for _ in ()).throw(OSError("disk full"))
        return writer

    with monkeypatch.context() as patched:
        patched.setattr(pa.ipc, "new_file", dies)
        with pytest.raises(OSError, match="disk full"):
            shared.write(file.parent, key, timeline.store._read_table(entry, key), {})
    assert shared_files(path) == [] and not list(file.parent.glob("*.part"))
    # A worker whose writer fails (killed at once here) serves the events from the Parquet entry.
    with monkeypatch.context() as patched:
        patched.setattr(timeline.store, "SHARE_TIMEOUT", 0)
        loader = worker()
        frame = loader.load(path).frame
    assert loader.last_read == "store" and shared.table_of(frame) is None
    assert shared_files(path) == []
    # Written again, whole, under the same name: a worker that mapped the old file still reads it.
    again = worker().load(path).frame
    assert shared_files(path) == [file] and file.read_bytes() == before
    for frame in (mapped, again):
        assert_same_events(frame, whole(path))


def test_two_workers_on_different_versions_never_mix_them(cache, tmp_path):
    path = tmp_path / "events.csv"
    write(path, HEADER + rows(80, seed=1, title="Old"))
    old_frame = whole(path)
    old = worker()
    seen_old = old.load(path).frame
    write(path, HEADER + rows(95, seed=2, title="New"))
    new_frame = whole(path)
    new = worker()
    seen_new = new.load(path).frame
    assert new.last_read == "whole"
    # Other versions come and go: the old file is pruned while the old worker still maps it.
    for seed in (3, 4, 5):
        write(path, HEADER + rows(60, seed=seed, title=f"Later{seed}"))
        worker().load(path)
    assert len(shared_files(path)) == shared.KEEP
    assert_same_events(seen_old, old_frame)
    assert_same_events(seen_new, new_frame)
    for frame, title, count in ((seen_old, "old", 80), (seen_new, "new", 95)):
        assert len(frame) == count
        assert matches(frame, View(search=title)).all()  # each searches its own version's text
        assert not matches(frame, View(search="later")).any()


def test_a_worker_keeps_its_version_while_another_process_replaces_and_removes_the_file(cache, tmp_path):
    """Two real processes: the first maps a version and waits; meanwhile the file changes, a
    second process stores the new version, and the old shared file is removed."""
    path = tmp_path / "events.csv"
    write(path, HEADER + rows(70, seed=1, title="Old"))
    code = ("import sys, timeline.events as e; e.MIN_ROWS = 1; "
            "from timeline import shared; loader = e.EventLoader(keep_table=False, share=True); "
            "frame = loader.load(sys.argv[1]).frame; print(shared.table_of(frame) is not None, flush=True); "
            "sys.stdin.readline(); print(len(frame), sorted(set(t.split()[0] for t in frame['title'])))")
    env = {**os.environ, "TIMELINE_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, env=env)
    assert first.stdout.readline().strip() == "True"
    [old_file] = shared_files(path)
    write(path, HEADER + rows(90, seed=2, title="New"))
    second = subprocess.run([sys.executable, "-c", code, str(path)], input="\n", capture_output=True, text=True,
                            env=env)
    assert second.stdout.splitlines() == ["True", "90 ['New']"]
    shared.prune(old_file.parent, keep=1)
    assert not old_file.exists()
    out, _ = first.communicate("\n", timeout=60)
    assert out.strip() == "70 ['Old']"


@pytest.mark.parametrize("damage", ["truncated", "emptied", "one byte changed", "another key's file", "symlink"])
def test_a_shared_file_that_cannot_be_trusted_is_ignored_and_written_again(cache, tmp_path, damage):
    path = tmp_path / "events.csv"
    write(path, HEADER + rows(130))
    worker().load(path)
    [file] = shared_files(path)
    data = file.read_bytes()
    if damage == "truncated":
        file.write_bytes(data[: len(data) // 2])
    elif damage == "emptied":
        file.write_bytes(b"")
    elif damage == "one byte changed":
        middle = len(data) // 2
        file.write_bytes(data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1:])
    elif damage == "another key's file":  # a whole, well-digested file, renamed to this key
        other = tmp_path / "other.csv"
        write(other, HEADER + rows(40, seed=9))
        worker().load(other)
        [theirs] = shared_files(other)
        file.unlink()
        file = file.with_name(f"{file.name.partition('-')[0]}-{theirs.name.partition('-')[2]}")
        file.write_bytes(theirs.read_bytes())
    else:
        target = tmp_path / "elsewhere.arrow"
        target.write_bytes(data)
        file.unlink()
        file.symlink_to(target)
    loader = worker()
    frame = loader.load(path).frame
    assert loader.last_read == "store"  # from the Parquet entry, which then shares it again
    assert_same_events(frame, whole(path))
    assert shared.table_of(frame) is not None
    assert any(f.read_bytes() == data for f in shared_files(path) if not f.is_symlink())


def test_a_server_shows_the_mapped_events_and_does_not_keep_the_files_bytes(cache, tmp_path):
    path = tmp_path / "events.csv"
    write(path, HEADER + rows(60))
    live = LiveEvents(str(path), state=SharedState(str(path), str(tmp_path / "state")))
    dataset = live.current().dataset
    assert shared.table_of(dataset.frame) is not None
    data = path.read_bytes()
    closure = [cell.cell_contents for cell in dataset.read_table.__closure__ or ()]
    assert not any(isinstance(value, bytes) and len(value) >= len(data) for value in closure)
    assert dataset.table.header == HEADER.strip().split(",")  # read again from the kept copy
    write(path, HEADER + rows(61))
    live.current()  # another version is kept: the old dataset's cells are gone, and it says so
    with pytest.raises(OSError, match="no longer kept"):
        dataset.read_table()
