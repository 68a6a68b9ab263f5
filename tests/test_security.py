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
import textwrap
from pathlib import Path

import pytest

import timeline.private
from test_figcache import URL, post, render_body
from timeline import app as page
from timeline import figcache
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
