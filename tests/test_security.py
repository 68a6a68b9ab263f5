"""The attacks of issue 17 on state, requests and full disks, each reproduced against the code.

A second local user is simulated: a folder "they" made is one whose owner is not us
(chowned to another uid when the tests run as root, else our uid is made to look like
another one), or one whose mode lets others write; their plants are pre-created paths,
symlinks and pickles. A full disk is a file-size limit (RLIMIT_FSIZE) in a subprocess,
or an ``os.write`` that takes fewer bytes than it is given.

Tests of the file-reading and output parts of the issue are in test_security_input.py.
"""

from __future__ import annotations

import json
import os
import pickle
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import timeline.private
from test_figcache import URL, post, render_body
from timeline import app as page
from timeline import figcache, renders
from timeline.live import LiveEvents, SharedState, state_root
from timeline.private import UnsafeFolder

ROOT = Path(__file__).resolve().parent.parent
SMALL = "date,title,actors\n2025-11-20,Talks,Ukraine\n2025-11-21,Plan,United States\n"
OTHER_UID = 4242


@pytest.fixture
def events(tmp_path):
    path = tmp_path / "data" / "events.csv"
    path.parent.mkdir()
    path.write_text(SMALL, encoding="utf-8")
    return path


def made_by_someone_else(path: Path, monkeypatch) -> None:
    """``path`` as if another local user had created it."""
    if os.geteuid() == 0:
        os.chown(path, OTHER_UID, OTHER_UID, follow_symlinks=False)
    else:
        real = os.geteuid()
        monkeypatch.setattr(timeline.private.os, "geteuid", lambda: real + 1)


def serve(events: Path, env: dict) -> subprocess.CompletedProcess:
    """``timeline serve`` as a deployment starts it; a safe state makes it listen (then it is stopped)."""
    return subprocess.run([sys.executable, "-m", "timeline", "serve", str(events), "--port", "1"],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env})


# --- 1. State only its owner can touch --------------------------------------------------------

def test_the_default_state_folder_is_private_and_not_in_the_shared_temporary_folder(monkeypatch, tmp_path, events):
    monkeypatch.delenv("TIMELINE_STATE_DIR")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    (tmp_path / "run").mkdir(mode=0o700)
    assert state_root() == str(tmp_path / "run" / "timeline")
    state = SharedState(str(events))
    for folder in (tmp_path / "run" / "timeline", Path(state.folder)):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert state_root() == str(tmp_path / "cache" / "timeline" / "state")


def test_a_state_folder_another_user_created_first_stops_the_server(monkeypatch, tmp_path, events):
    root = tmp_path / "state"
    root.mkdir(mode=0o700)
    made_by_someone_else(root, monkeypatch)
    monkeypatch.setenv("TIMELINE_STATE_DIR", str(root))
    with pytest.raises(UnsafeFolder, match=f"{root} is owned by .*another user may have created it first"):
        page.create_app(str(events))


@pytest.mark.parametrize("top", [False, True])
def test_a_shared_writable_state_folder_or_top_folder_stops_the_server(tmp_path, events, top):
    """The issue's attack: the folder (or just its top folder) made by another user, mode 0777."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    root = shared / "timeline" if top else shared
    with pytest.raises(UnsafeFolder) as error:
        SharedState(str(events), str(root))
    assert str(shared) in str(error.value)
    assert "and other users (mode 0777)" in str(error.value) or "can change" in str(error.value)
    assert not any((shared / "timeline").glob("*/good"))


def test_a_symlinked_state_folder_stops_the_server(tmp_path, events):
    (tmp_path / "victim").mkdir()
    (tmp_path / "state").symlink_to(tmp_path / "victim")
    with pytest.raises(UnsafeFolder, match="is a symbolic link"):
        SharedState(str(events), str(tmp_path / "state"))


def test_serve_names_the_folder_and_what_is_wrong_without_a_traceback(tmp_path, events):
    root = tmp_path / "state"
    root.mkdir()
    root.chmod(0o777)
    result = serve(events, {"TIMELINE_STATE_DIR": str(root)})
    assert result.returncode == 1
    assert f"state folder {root} is writable by its group and other users (mode 0777)" in result.stderr
    assert "Traceback" not in result.stderr and "Serving" not in result.stdout


def test_under_gunicorn_an_unsafe_state_folder_fails_the_worker_with_the_message(monkeypatch, tmp_path, events):
    root = tmp_path / "state"
    root.mkdir()
    root.chmod(0o757)
    monkeypatch.setenv("TIMELINE_EVENTS", str(events))
    monkeypatch.setenv("TIMELINE_STATE_DIR", str(root))
    if "server" in vars(page):  # built by an earlier test: gunicorn's worker starts without it
        monkeypatch.delattr(page, "server")
    with pytest.raises(UnsafeFolder, match=f"state folder {root} is writable by other users"):
        page.server  # what gunicorn's "timeline.app:server" loads


def test_a_pickle_planted_in_the_figure_cache_is_never_unpickled(monkeypatch, tmp_path, events):
    """Flask-Caching unpickled the folder's count file before each write: a planted one ran code."""
    monkeypatch.setenv("TIMELINE_STATE_DIR", str(tmp_path / "state"))
    marker = tmp_path / "owned"

    class Payload:
        def __reduce__(self):
            return (Path.write_text, (marker, "code ran"))

    app = page.create_app(str(events))
    figures = next((tmp_path / "state").glob("*")) / "figures"
    planted = pickle.dumps(Payload())
    for name in ("__wz_cache_count", "0" * 64, "f" * 32):
        (figures / name).write_bytes(planted)
    for i in range(3):
        post(app, render_body(app, f"?q=x{i}"))
    post(page.create_app(str(events)), render_body(app, "?q=x0"))
    assert not marker.exists()


def test_the_cache_prunes_its_own_files_never_a_symlinks_target(monkeypatch, tmp_path, events):
    """Another user's symlinks in the cache folder made its pruning delete the victim's files."""
    monkeypatch.setenv("TIMELINE_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr(figcache, "ENTRIES", 2)
    victim = tmp_path / "home"
    victim.mkdir()
    for i in range(20):
        (victim / f"file{i}").write_text("mine")
    app = page.create_app(str(events))
    figures = next((tmp_path / "state").glob("*")) / "figures"
    for i in range(20):
        (figures / f"{i:02x}").symlink_to(victim / f"file{i}")
    for i in range(6):
        post(app, render_body(app, f"?q=y{i}"))
    assert len(list(victim.iterdir())) == 20


def test_a_symlinked_figure_cache_folder_stops_the_server(monkeypatch, tmp_path, events):
    monkeypatch.setenv("TIMELINE_STATE_DIR", str(tmp_path / "state"))
    state = SharedState(str(events))
    (tmp_path / "elsewhere").mkdir()
    Path(state.folder, "figures").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafeFolder, match="figures is a symbolic link"):
        page.create_app(str(events))


def test_a_forged_last_good_version_is_not_shown(tmp_path, events):
    """A rewritten "good" file showed forged events and a fake "899 events disappeared"."""
    state = SharedState(str(events), str(tmp_path / "state"))
    live = LiveEvents(str(events), state=state)
    assert len(live.current().dataset.frame) == 2
    forged = b"date,title,actors\n2025-11-23,FORGED: Ukraine signs capitulation in Moscow,Ukraine\n"
    good = Path(state.folder) / "good"
    meta = json.loads(good.read_bytes().partition(b"\n")[0])
    meta.update(events=1, previous_events=900)
    good.write_bytes(json.dumps(meta).encode() + b"\n" + forged)  # the digest no longer matches
    assert state.good() is None
    good.unlink()
    (tmp_path / "forged.csv").write_bytes(json.dumps(meta).encode() + b"\n" + forged)
    good.symlink_to(tmp_path / "forged.csv")  # never followed
    assert state.good() is None
    events.write_text("date,title,actors\n2025-11-20,Talks,\n", encoding="utf-8")  # invalid now
    snapshot = LiveEvents(str(events), state=state).current()
    assert snapshot.dataset is None and not snapshot.notices


def test_the_state_folder_is_checked_for_every_worker_process(tmp_path, events):
    """A folder made unsafe after the first worker started stops the next one."""
    SharedState(str(events), str(tmp_path / "state"))
    (tmp_path / "state").chmod(0o775)
    with pytest.raises(UnsafeFolder, match="writable by its group"):
        SharedState(str(events), str(tmp_path / "state"))


def test_a_store_folder_another_user_owns_stops_check_with_a_message(monkeypatch, tmp_path, events):
    store = tmp_path / "store"
    store.mkdir()
    store.chmod(0o777)
    result = subprocess.run([sys.executable, "-m", "timeline", "check", str(events)], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT), "TIMELINE_CACHE_DIR": str(store)})
    assert result.returncode == 1
    assert f"store folder {store} is writable by its group and other users" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_store_entry_is_read_only_when_its_bytes_match_its_digest(monkeypatch, tmp_path):
    import pandas as pd

    import timeline.events
    from timeline.events import EventLoader

    monkeypatch.setattr(timeline.events, "MIN_ROWS", 1)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "store"))
    path = tmp_path / "events.csv"
    path.write_text("date,title,actors\n" + "".join(f"2025-11-{d:02},Talks {d},Ukraine\n" for d in range(1, 29)))
    EventLoader().check(path)
    [entry] = (tmp_path / "store").rglob("*.parquet")
    table = pd.read_parquet(entry)
    import pyarrow as pa
    import pyarrow.parquet as pq

    original = pq.read_table(entry)
    forged = original.set_column(original.schema.get_field_index("title"), "title",
                                 pa.array(["FORGED"] * len(table), pa.string()))
    pq.write_table(forged.replace_schema_metadata(original.schema.metadata), entry)
    loader = EventLoader()
    dataset, _ = loader.check(path)
    assert loader.last_read == "whole" and "FORGED" not in set(dataset.frame["title"])
    # A symlink planted under an entry's name is never followed.
    entry.unlink()
    EventLoader().check(path)
    [entry] = (tmp_path / "store").rglob("*.parquet")
    target = tmp_path / "planted.parquet"
    entry.rename(target)
    entry.symlink_to(target)
    loader = EventLoader()
    loader.check(path)
    assert loader.last_read == "whole"


# --- 4. Nothing lost on a full disk -----------------------------------------------------------

JOURNAL_HEADER = "date,reported,title,actors\n2025-11-20,2025-11-20,Talks in Geneva,Ukraine\n"
ADD = ["add", "events.csv", "--date", "2025-11-21", "--reported", "2025-11-21", "--actors", "Ukraine", "--title"]


def timeline_cli(folder: Path, *args: str, file_size_limit: int | None = None) -> subprocess.CompletedProcess:
    """The command in a process of its own, under a file-size limit if given (a disk that fills)."""
    def limit():
        if file_size_limit is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run([sys.executable, "-m", "timeline", *args], cwd=folder, capture_output=True, text=True,
                          timeout=120, preexec_fn=limit, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture
def editors(tmp_path):
    (tmp_path / "events.csv").write_text(JOURNAL_HEADER, encoding="utf-8")
    return tmp_path


def test_an_add_whose_journal_entry_does_not_fit_fails_and_changes_nothing(editors):
    """Under a file-size limit, add said "added line 3", exited 0 and left a cut journal entry."""
    journal = editors / "events.csv.journal"
    journal.write_text('{"forget": 0}\n' * 60)  # near the limit: the next entry cannot be whole
    before = (editors / "events.csv").read_bytes(), journal.read_bytes()
    result = timeline_cli(editors, *ADD, "First", file_size_limit=len(before[1]) + 40)
    assert result.returncode == 1 and "added" not in result.stdout
    assert "cannot write its add journal events.csv.journal" in result.stderr
    assert "nothing written, the file is unchanged" in result.stderr and "Traceback" not in result.stderr
    assert ((editors / "events.csv").read_bytes(), journal.read_bytes()) == before


def test_every_row_add_reported_as_added_is_restored_after_a_save_drops_it(editors):
    """The issue's sequence: a cut entry, the next add onto it, a whole-file save dropping both rows;
    check said "is not an entry... skipped", restore "nothing to restore"."""
    journal = editors / "events.csv.journal"
    journal.write_text('{"forget": 0}\n' * 60)
    original = (editors / "events.csv").read_bytes()
    limited = timeline_cli(editors, *ADD, "First", file_size_limit=journal.stat().st_size + 40)
    added = timeline_cli(editors, *ADD, "Second")
    assert added.returncode == 0 and "added line 3" in added.stdout
    reported = [r for r in (limited, added) if "added line" in r.stdout]
    (editors / "events.csv").write_bytes(original)  # an editor's stale copy, saved whole
    check = timeline_cli(editors, "check", "events.csv")
    assert "is not an entry" not in check.stdout and "Second" in check.stdout
    restore = timeline_cli(editors, "restore", "events.csv")
    assert restore.returncode == 0 and restore.stdout.count("put back") == len(reported) == 1
    assert "Second" in (editors / "events.csv").read_text()


def test_short_writes_are_finished_or_undone(editors, monkeypatch):
    from timeline.append import AddError, add_event
    from timeline.journal import read

    real, calls = os.write, []

    def a_few_bytes_at_a_time(descriptor, data):
        calls.append(len(data))
        return real(descriptor, bytes(data[:7]))

    values = {"date": "2025-11-21", "reported": "2025-11-21", "title": "Slow disk", "actors": "Ukraine"}
    monkeypatch.setattr(os, "write", a_few_bytes_at_a_time)
    add_event(editors / "events.csv", values)
    monkeypatch.undo()
    entries, problems = read(str(editors / "events.csv"))
    assert len(calls) > 3 and problems == [] and [e.values["title"] for e in entries] == ["Slow disk"]

    journal = (editors / "events.csv.journal").read_bytes()
    events = (editors / "events.csv").read_bytes()

    def then_full(descriptor, data):
        if calls:
            raise OSError(28, os.strerror(28))
        calls.append(len(data))
        return real(descriptor, bytes(data[:10]))  # part of the entry lands, then the disk is full

    calls.clear()
    monkeypatch.setattr(os, "write", then_full)
    with pytest.raises(AddError, match="cannot write its add journal"):
        add_event(editors / "events.csv", {**values, "title": "Full disk"})
    monkeypatch.undo()
    assert (editors / "events.csv.journal").read_bytes() == journal
    assert (editors / "events.csv").read_bytes() == events


def test_a_row_that_cannot_be_written_takes_its_journal_entry_back(editors, monkeypatch):
    import timeline.append
    from timeline.append import AddError, add_event

    def full(path, data):
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(timeline.append, "append_bytes", full)
    with pytest.raises(AddError, match="cannot write: No space left on device; the file is unchanged"):
        add_event(editors / "events.csv", {"date": "2025-11-21", "reported": "2025-11-21", "title": "Lost",
                                           "actors": "Ukraine"})
    assert (editors / "events.csv.journal").read_bytes() == b""
    assert (editors / "events.csv").read_text() == JOURNAL_HEADER


def test_a_cut_journal_line_is_reported_by_its_number_and_never_swallows_the_next_entry(editors):
    from timeline.journal import read

    journal = editors / "events.csv.journal"
    assert timeline_cli(editors, *ADD, "First").returncode == 0
    whole = journal.read_bytes()
    journal.write_bytes(whole[:-25])  # a crash in the middle of the next entry's write
    assert timeline_cli(editors, *ADD, "Second").returncode == 0
    entries, problems = read(str(editors / "events.csv"))
    assert [e.values["title"] for e in entries] == ["Second"]
    assert [(p.line, p.message) for p in problems] == [(1, "is not an entry of the add journal; skipped")]
    # An older version wrote the next entry onto the cut line: it is read from the line's end.
    journal.write_bytes(whole[:-25] + whole)
    entries, problems = read(str(editors / "events.csv"))
    assert [e.values["title"] for e in entries] == ["First"]
    assert [p.line for p in problems] == [1] and "entry cut short" in problems[0].message


def test_a_symlink_in_place_of_the_journal_is_never_followed(editors):
    """In a shared group-writable folder, another editor's symlink redirected the append."""
    victim = editors / "victim.txt"
    victim.write_text("the victim's own file\n")
    (editors / "events.csv.journal").symlink_to(victim)
    result = timeline_cli(editors, *ADD, "Redirected")
    assert result.returncode == 1 and "cannot write its add journal" in result.stderr
    assert victim.read_text() == "the victim's own file\n"
    assert (editors / "events.csv").read_text() == JOURNAL_HEADER


# --- 1. Lock files beside a shared events file ----------------------------------------------
# The events folder may be shared by its editors on purpose (group-writable): another local
# user can make <file>.lock before us, or plant a symlink, a hard link or a FIFO there.

VICTIM = "the victim's own file\n"


@pytest.fixture
def victim(tmp_path):
    path = tmp_path / "home" / "notes.txt"
    path.parent.mkdir()
    path.write_text(VICTIM)
    path.chmod(0o600)
    return path


def assert_untouched(victim: Path) -> None:
    assert victim.read_text() == VICTIM and stat.S_IMODE(victim.stat().st_mode) == 0o600


@pytest.mark.parametrize("command", [ADD + ["Redirected"], ["restore", "events.csv"]], ids=["add", "restore"])
def test_a_symlink_in_place_of_the_lock_file_is_refused_and_never_followed(editors, victim, command):
    """filelock 3.16 (which pyproject allowed) opened the lock with O_TRUNC through a symlink and
    chmodded it 0644: the victim's file was emptied and made readable by all."""
    (editors / "events.csv.lock").symlink_to(victim)
    result = timeline_cli(editors, *command)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "events.csv.lock is a symbolic link" in result.stderr and str(victim) in result.stderr
    assert_untouched(victim)
    assert (editors / "events.csv").read_text() == JOURNAL_HEADER


def test_a_hard_link_in_place_of_the_lock_file_is_neither_written_nor_chmodded(editors, victim):
    os.link(victim, editors / "events.csv.lock")
    result = timeline_cli(editors, *ADD, "Linked")
    assert result.returncode == 0, result.stderr
    assert_untouched(victim)


def test_a_fifo_in_place_of_the_lock_file_is_refused_at_once(editors):
    """Opened as a lock file, a FIFO blocks the command until someone writes to it: forever."""
    os.mkfifo(editors / "events.csv.lock")
    began = time.monotonic()
    result = timeline_cli(editors, *ADD, "Blocked")
    assert time.monotonic() - began < 60
    assert result.returncode == 1 and "events.csv.lock is a FIFO (named pipe), not a lock file" in result.stderr
    assert "Traceback" not in result.stderr and (editors / "events.csv").read_text() == JOURNAL_HEADER


def test_a_lock_held_by_another_user_times_out_naming_the_file_and_its_holder(editors):
    """A lock another user holds (or never lets go of) must not block an add forever."""
    (editors / "events.csv.lock").write_bytes(b"")
    if os.geteuid() == 0:
        os.chown(editors / "events.csv.lock", OTHER_UID, OTHER_UID)
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1]); "
                               "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(120)",
                               str(editors / "events.csv.lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        result = timeline_cli(editors, *ADD, "Waited", "--wait", "0.5")
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"waited 0.5 s for {editors / 'events.csv.lock'}, held by process {holder.pid}" in result.stderr
    assert "nothing written, try again" in result.stderr
    assert (editors / "events.csv").read_text() == JOURNAL_HEADER


@pytest.mark.parametrize("events_mode, lock_mode", [(0o644, 0o600), (0o664, 0o660), (0o666, 0o666),
                                                    (0o600, 0o600)])
def test_a_new_lock_file_is_open_to_those_who_may_write_the_events_file(editors, events_mode, lock_mode):
    """Editors sharing a folder on purpose share the lock; a reader of a world-readable file cannot
    open it, so cannot hold it to stop every add. The umask does not take the group's bits away."""
    (editors / "events.csv").chmod(events_mode)
    old = os.umask(0o077)
    try:
        from timeline.append import add_event

        add_event(editors / "events.csv", {"date": "2025-11-21", "reported": "2025-11-21", "title": "Shared",
                                           "actors": "Ukraine"})
    finally:
        os.umask(old)
    info = os.lstat(editors / "events.csv.lock")
    assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == lock_mode


def test_an_existing_lock_file_of_another_user_is_used_as_it_is(editors):
    lock = editors / "events.csv.lock"
    lock.write_bytes(b"their bytes")
    lock.chmod(0o644)
    if os.geteuid() == 0:
        os.chown(lock, OTHER_UID, OTHER_UID)
    before = lock.stat()
    assert timeline_cli(editors, *ADD, "Theirs").returncode == 0
    after = lock.stat()
    assert lock.read_bytes() == b"their bytes"
    assert (after.st_mode, after.st_uid, after.st_ino) == (before.st_mode, before.st_uid, before.st_ino)


def test_a_symlink_in_place_of_the_stores_lock_is_never_followed(monkeypatch, tmp_path, victim):
    from timeline.store import Store

    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    store = Store(str(tmp_path / "events.csv"))
    store.folder.mkdir(parents=True, mode=0o700)
    (store.folder / "reading.lock").symlink_to(victim)
    with store.turn(timeout=0.1):  # goes on without the turn
        pass
    assert_untouched(victim)


def test_stale_temporary_files_of_a_crashed_write_are_removed_from_the_cache(tmp_path, victim):
    """A crash between writing a cache entry and renaming it left its .part file for good."""
    from timeline.private import STALE_PART, BytesCache

    cache = BytesCache(tmp_path / "images", entries=4, max_entry=1000)
    folder = Path(cache.folder)
    old = time.time() - STALE_PART - 60
    stale, fresh = folder / ".crashed.part", folder / ".writing.part"
    for path in (stale, fresh):
        path.write_bytes(b"half an image")
    os.utime(stale, (old, old))
    planted = folder / ".planted.part"
    planted.symlink_to(victim)
    os.utime(planted, (old, old), follow_symlinks=False)
    theirs = folder / ".theirs.part"
    theirs.write_bytes(b"not ours")
    os.utime(theirs, (old, old))
    if os.geteuid() == 0:
        os.chown(theirs, OTHER_UID, OTHER_UID)
    cache.put("ab" * 32, b"an image")
    left = sorted(p.name for p in folder.iterdir())
    assert ".crashed.part" not in left and ".writing.part" in left and ".planted.part" in left
    assert (".theirs.part" in left) == (os.geteuid() == 0)  # not ours only when we can make it another's
    assert_untouched(victim)
    assert cache.get("ab" * 32) == b"an image"


def test_a_fifo_in_place_of_the_journal_blocks_neither_the_server_nor_the_commands(editors):
    """Opened to be read, a FIFO waits for a writer: every worker reloading the file hung for good."""
    os.mkfifo(editors / "events.csv.journal")
    check = timeline_cli(editors, "check", "events.csv")
    assert "events.csv.journal: warning: is not a regular file" in check.stdout and check.returncode == 0
    add = timeline_cli(editors, *ADD, "Piped")
    assert add.returncode == 1 and "cannot write its add journal events.csv.journal: not a regular file" in add.stderr
    assert "Traceback" not in add.stderr and (editors / "events.csv").read_text() == JOURNAL_HEADER
    snapshot = LiveEvents(str(editors / "events.csv"), state=SharedState(str(editors / "events.csv"),
                                                                          str(editors / "state"))).current()
    assert len(snapshot.dataset.frame) == 1


@pytest.mark.parametrize("make, what", [
    (lambda path: os.mkfifo(path), "a FIFO (named pipe)"),
    (lambda path: path.symlink_to("/dev/zero"), "a device"),
], ids=["fifo", "dev-zero"])
def test_a_fifo_or_device_in_place_of_the_events_file_is_refused_not_waited_on_or_read_forever(
        editors, make, what):
    """A FIFO opened to be read waits for a writer (every command and worker hung); /dev/zero never ends."""
    (editors / "events.csv").unlink()
    make(editors / "events.csv")
    check = timeline_cli(editors, "check", "events.csv")
    assert check.returncode == 1 and check.stdout.strip() == f"events.csv: invalid: is {what}, not a CSV file"
    add = timeline_cli(editors, *ADD, "Piped")
    assert add.returncode == 1 and f"events.csv: is {what}, not a CSV file; nothing written" in add.stderr
    assert "Traceback" not in add.stderr + check.stderr
    snapshot = LiveEvents(str(editors / "events.csv"), state=SharedState(str(editors / "events.csv"),
                                                                          str(editors / "state"))).current()
    assert snapshot.dataset is None and f"is {what}, not a CSV file" in str(snapshot.problems[0])


def test_crash_leftovers_are_removed_but_a_planted_fifo_or_symlink_is_left_alone(tmp_path, victim):
    from timeline.safewrite import remove_orphans, replace_file

    target = tmp_path / "out.csv"
    (tmp_path / ".out.csv.crashed.tmp").write_bytes(b"half")
    os.mkfifo(tmp_path / ".out.csv.fifo.tmp")
    (tmp_path / ".out.csv.link.tmp").symlink_to(victim)
    assert remove_orphans(str(target)) == [str(tmp_path / ".out.csv.crashed.tmp")]
    replace_file(str(target), b"a,b\n")
    assert target.read_bytes() == b"a,b\n" and (tmp_path / ".out.csv.fifo.tmp").exists()
    assert_untouched(victim)


def test_a_whole_file_write_flushes_the_file_and_its_folder(tmp_path, monkeypatch):
    from timeline.safewrite import replace_file

    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc to tell what was flushed")
    real, flushed = os.fsync, []
    monkeypatch.setattr(os, "fsync", lambda d: flushed.append(os.readlink(f"/proc/self/fd/{d}")) or real(d))
    replace_file(str(tmp_path / "out.csv"), b"a,b\n")
    assert str(tmp_path) in flushed and len(flushed) == 2


# --- 3. Bounded requests ----------------------------------------------------------------------

class Endless:
    """A request body that never ends, counting what the server reads of it."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        size = 65536 if size is None or size < 0 else min(size, 65536)
        self.read_bytes += size
        return b"x" * size

    def readline(self, size=-1):
        return self.read(size)


@pytest.mark.parametrize("declared", [2 * 1024**3, None], ids=["content-length-2GB", "chunked"])
def test_an_oversized_body_is_refused_with_413_before_it_is_read(events, declared):
    """A 1-2 GB POST was read whole into memory (+2 GB) before the 1 MB limit refused it."""
    from werkzeug.test import EnvironBuilder

    from timeline.callbackguard import MAX_BODY

    app = page.create_app(str(events))
    assert app.server.config["MAX_CONTENT_LENGTH"] == MAX_BODY
    body = Endless()
    environ = EnvironBuilder(path=URL, method="POST", content_type="application/json").get_environ()
    environ["wsgi.input"] = body
    if declared is None:
        environ.pop("CONTENT_LENGTH", None)
        environ["wsgi.input_terminated"] = True  # what gunicorn says of a chunked body
    else:
        environ["CONTENT_LENGTH"] = str(declared)
    statuses = []
    b"".join(app.server(environ, lambda status, headers, *_: statuses.append(status)))
    assert statuses[0].startswith("413")
    assert body.read_bytes <= (0 if declared else MAX_BODY + 65536)


def test_unknown_actors_are_dropped_before_any_work_and_named_in_the_notice(events, monkeypatch):
    """45,000 made-up actor= filters with match=all took 14 s of CPU at 100k events."""
    from timeline import filters

    passes = []
    real = filters.FrameIndex.rows_with
    monkeypatch.setattr(filters.FrameIndex, "rows_with", lambda self, codes: passes.append(1) or real(self, codes))
    app = page.create_app(str(events))
    search = "?" + "&".join(f"actor=made-up-{i}" for i in range(45_000)) + "&actor=Ukraine&match=all"
    body = render_body(app, search)
    assert len(body) < 1_000_000
    answer = post(app, body)["response"]
    notice = json.dumps(answer["data-error"]["children"], ensure_ascii=False)
    assert "The address names 45,001 actors; a view filters by at most 300" in notice
    assert "No actor in the data is named “made-up-0”, “made-up-1”" in notice and "and 295 more" in notice
    assert answer["event-count"]["children"] == "2 events"
    assert len(passes) <= 2


def test_a_selection_costs_the_same_whatever_the_number_of_unknown_names(events):
    """The selection cache was keyed by every name's codes: a new count of made-up names missed it."""
    from timeline.events import EventLoader
    from timeline.filters import View, index_for, matches

    frame = EventLoader().load(str(events)).frame
    ix = index_for(frame)
    computed = []
    real = ix.mask
    ix.mask = lambda key, compute: real(key, lambda: computed.append(key) or compute())
    for unknown in (10, 1000, 5000):
        names = ("Ukraine", *(f"nobody-{i}" for i in range(unknown)))
        for match in ("any", "all"):
            keep = matches(frame, View(actors=names, match=match))
            assert keep.sum() == (1 if match == "any" else 0)
    assert len(computed) == 2


def test_a_view_caps_its_actors(events):
    from timeline.filters import MAX_ACTORS, View, read_view

    query = "&".join(f"actor=a{i}" for i in range(MAX_ACTORS + 50))
    assert len(View.from_query(query).actors) == MAX_ACTORS
    view, notes = read_view(query, None)
    assert len(view.actors) == MAX_ACTORS and f"names {MAX_ACTORS + 50:,} actors" in notes[0]


class FakeDraws:
    """figure_bytes as a draw that holds until released, counting draws at once."""

    def __init__(self, monkeypatch):
        import threading

        self.release = threading.Event()
        self.started = threading.Event()
        self.lock = threading.Lock()
        self.now = self.most = self.count = 0
        monkeypatch.setattr(page, "figure_bytes", self)
        monkeypatch.setattr(renders.Draws, "_open_browser", lambda draws: None)  # no Chromium needed

    def __call__(self, dataset, view, fmt, **_):
        with self.lock:
            self.now += 1
            self.count += 1
            self.most = max(self.most, self.now)
        self.started.set()
        self.release.wait(60)
        with self.lock:
            self.now -= 1
        return b"\x89PNG " + view.to_query().encode()


def download(app, query: str):
    return app.server.test_client().get(f"/_timeline/figure.png{query}")


def at_once(app, draws: FakeDraws, queries: list[str]):
    """Downloads of ``queries`` all at once: those answered while the first draw is held, then all answers."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(queries)) as pool:
        answers = [pool.submit(download, app, query) for query in queries]
        assert draws.started.wait(60)
        # While the one draw is held, those beyond the queue are answered: they do not wait for it.
        for _ in range(600):
            if sum(a.done() for a in answers) >= len(queries) - 1 - renders.QUEUE:
                break
            time.sleep(0.1)
        early = [a.result() for a in answers if a.done()]
        draws.release.set()
        return early, [a.result(timeout=120) for a in answers]


def test_concurrent_downloads_are_drawn_one_at_a_time_and_the_rest_told_to_come_back(events, monkeypatch):
    """20 concurrent downloads ran 20 Chromiums at once (180 processes) or took every worker for a minute."""
    draws = FakeDraws(monkeypatch)
    answered, answers = at_once(page.create_app(str(events)), draws, [f"?q=view{i}" for i in range(20)])
    assert draws.most == 1
    assert len(answered) >= 20 - 1 - renders.QUEUE and all(a.status_code == 503 for a in answered)
    refused = [a for a in answers if a.status_code == 503]
    assert all(int(a.headers["Retry-After"]) >= 1 for a in refused)
    assert all(a.status_code in (200, 503) for a in answers)
    assert draws.count == sum(a.status_code == 200 for a in answers) <= 1 + renders.QUEUE


def test_a_drawn_image_is_kept_per_data_version_and_view(events, monkeypatch):
    draws = FakeDraws(monkeypatch)
    draws.release.set()
    app = page.create_app(str(events))
    first = download(app, "?kind=talks")
    again = [download(page.create_app(str(events)), "?kind=talks") for _ in range(3)]  # other workers too
    assert first.status_code == 200 and all(a.data == first.data for a in again) and draws.count == 1
    assert download(app, "?kind=summit").status_code == 200 and draws.count == 2
    events.write_text(SMALL + "2025-11-22,More,Ukraine\n", encoding="utf-8")
    os.utime(events, ns=(events.stat().st_atime_ns, events.stat().st_mtime_ns + 10**9))
    assert download(app, "?kind=talks").status_code == 200 and draws.count == 3


def test_a_worker_never_waits_for_another_workers_draw(events, monkeypatch):
    import threading

    draws = FakeDraws(monkeypatch)
    first, second = page.create_app(str(events)), page.create_app(str(events))  # two gunicorn workers
    holder = threading.Thread(target=download, args=(first, "?q=a"))
    holder.start()
    assert draws.started.wait(60)
    answer = download(second, "?q=b")  # would hang here if it waited for the first worker's draw
    draws.release.set()
    holder.join(60)
    assert answer.status_code == 503 and "another worker" in answer.get_data(as_text=True)
    assert int(answer.headers["Retry-After"]) >= 1


def test_readers_callbacks_never_wait_behind_a_draw(events, monkeypatch):
    import threading

    draws = FakeDraws(monkeypatch)
    app = page.create_app(str(events))
    holder = threading.Thread(target=download, args=(app, "?q=a"))
    holder.start()
    assert draws.started.wait(60)
    answers = []
    reader = threading.Thread(target=lambda: answers.append(post(app, render_body(app, "?lanes=kinds"))))
    reader.start()
    reader.join(60)  # the draw is held until after this: a reader behind it would still be waiting
    finished = not reader.is_alive()
    draws.release.set()
    holder.join(60)
    reader.join(60)
    assert finished and answers[0]["response"]["event-count"]["children"] == "2 events"


def test_the_draw_thread_keeps_one_browser_and_closes_it_when_idle(events, monkeypatch):
    """Each draw started a Chromium of its own; now draws share one, closed when downloads stop."""
    import threading
    import types

    calls, closed = [], threading.Event()
    fake = types.SimpleNamespace(start_sync_server=lambda **_: calls.append("start"),
                                 stop_sync_server=lambda **_: calls.append("stop") or closed.set())
    monkeypatch.setitem(sys.modules, "kaleido", fake)
    monkeypatch.setattr(renders, "KEEP_BROWSER", True)
    monkeypatch.setattr(page, "figure_bytes", lambda dataset, view, fmt, **_: b"PNG" + view.to_query().encode())
    app = page.create_app(str(events))
    assert all(download(app, f"?q=v{i}").status_code == 200 for i in range(3))
    assert calls == ["start"]
    monkeypatch.setattr(renders, "IDLE", 0.01)
    assert download(app, "?q=last").status_code == 200
    assert closed.wait(60) and calls == ["start", "stop"]


def test_a_threaded_worker_waits_for_another_workers_draw_instead_of_refusing(events, monkeypatch):
    """Under sync workers a download that met another worker's draw was refused at once, so 19 of
    20 downloads got 503 however short the wait; a thread may wait (the others answer readers)."""
    import threading

    draws = FakeDraws(monkeypatch)
    first, second = page.create_app(str(events)), page.create_app(str(events))
    holder = threading.Thread(target=download, args=(first, "?q=a"))
    holder.start()
    assert draws.started.wait(60)
    answers = []
    waiter = threading.Thread(target=lambda: answers.append(second.server.test_client().get(
        "/_timeline/figure.png?q=b", environ_overrides={"wsgi.multithread": True})))
    waiter.start()
    waiter.join(1.5)
    waiting = waiter.is_alive()
    draws.release.set()
    holder.join(60)
    waiter.join(60)
    assert waiting and answers[0].status_code == 200 and draws.count == 2 and draws.most == 1


def test_requests_waiting_for_one_image_are_bounded_too(events, monkeypatch):
    """Requests for the same view shared one draw, but all of them waited: under threads, enough
    of them took every thread, and readers waited behind them."""

    draws = FakeDraws(monkeypatch)
    early, answers = at_once(page.create_app(str(events)), draws, ["?q=same"] * 20)
    assert len(early) == 20 - 1 - renders.QUEUE and all(a.status_code == 503 for a in early)
    assert sum(a.status_code == 200 for a in answers) == 1 + renders.QUEUE and draws.count == 1


# --- 5. Clean output, on the page -------------------------------------------------------------

def test_a_title_is_escaped_in_the_pages_title(events):
    app = page.create_app(str(events), title="</title><script>alert(1)</script> & co")
    body = app.server.test_client().get("/").get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>" in body


def test_the_banner_names_the_file_by_its_name_not_where_the_server_keeps_it(tmp_path):
    from timeline.components import banner
    from timeline.events import EventLoader

    folder = tmp_path / "srv" / "private-data"
    folder.mkdir(parents=True)
    broken = folder / "events.csv"
    broken.write_text(SMALL + "sometime,Broken,\n", encoding="utf-8")
    _, problems = EventLoader().check(str(broken))
    for partial in (False, True):
        dataset, problems = EventLoader().check(str(broken), partial=partial)
        note = dataset.left_out_note() if dataset is not None else ""
        text = json.dumps(banner(tuple(problems), str(broken), shown_data=dataset is not None, left_out=note),
                          default=lambda c: c.to_plotly_json())
        assert "events.csv:4" in text and str(folder) not in text and "private-data" not in text


HOSTILE_TEXTS = ["</script><script>alert(1)</script>", "<!--", "<img src=x onerror=alert(2)>",
                 "line\u2028separator\u2029end & co"]


def test_a_title_is_escaped_in_the_pages_first_paint(events):
    app = page.create_app(str(events), title=HOSTILE_TEXTS[0] + HOSTILE_TEXTS[1])
    body = app.server.test_client().get("/").get_data(as_text=True)
    copy = body[body.index('<div id="first-paint"'):body.index('id="react-entry-point"')]
    assert '<h1 data-first="page-title">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--</h1>' in copy
    assert "<script>alert" not in body and "<!--<" not in body
    # The controls show the address's view: what it says is text too.
    body = app.server.test_client().get("/", query_string={"q": HOSTILE_TEXTS[0], "actor": HOSTILE_TEXTS[2]})
    copy = body.get_data(as_text=True).split('id="react-entry-point"')[0]
    assert "<script>alert" not in copy and "<img" not in copy
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</span>" in copy


def first_answer(app, search: str) -> tuple:
    from urllib.parse import urlencode

    response = app.server.test_client().get("/_timeline/first?" + urlencode({"search": search, "width": 1000}))
    return response, json.loads(response.get_data())


def test_the_first_paints_answer_is_json_and_its_texts_stay_text(tmp_path):
    """The answer is drawn by the page's script: titles go in as text (listOf), the figure's
    text is escaped by the figure, the banner is HTML made here with every text escaped, and the
    answer itself is JSON that a browser never reads as a page."""
    path = tmp_path / "events.csv"
    rows = [f'2025-11-2{i},"{text}","Ukraine; {text}",talks,happened,"{text}","{text}"'
            for i, text in enumerate(HOSTILE_TEXTS)]
    path.write_text("date,title,actors,kind,status,location,source\n" + "\n".join(rows)
                    + '\n2025-11-30,"<b>broken</b>,"\n', encoding="utf-8")
    app = page.create_app(str(path))
    response, answer = first_answer(app, "?actor=<img src=x onerror=alert(3)>&lanes=actors")
    assert response.mimetype == "application/json" and response.headers["X-Content-Type-Options"] == "nosniff"
    titles = [item["title"] for group in answer["list"] for item in group["items"]]
    assert sorted(titles) == sorted(HOSTILE_TEXTS)
    figure = json.dumps(answer["figure"], ensure_ascii=False)
    assert "<script" not in figure and "<img" not in figure and "<!--" not in figure
    banner = answer["banner"]
    assert "<b>" not in banner and "<img" not in banner and "&lt;img src=x onerror=alert(3)&gt;" in banner
