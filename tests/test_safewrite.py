"""Whole-file writes and appends: a crash or a full disk leaves the old file whole, and a
temporary copy a crash left behind is removed by the next write of that file."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap

import pytest

from timeline.safewrite import append_bytes, remove_orphans, replace_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A writer killed between writing its temporary copy and renaming it over the file.
CRASH = textwrap.dedent("""
    import os, sys
    from timeline import safewrite
    os.replace = lambda *args: os._exit(9)
    safewrite.replace_file(sys.argv[1], b"new content\\n")
""")


def crash(path) -> None:
    done = subprocess.run([sys.executable, "-c", CRASH, str(path)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": ROOT}, timeout=60)
    assert done.returncode == 9


def temporaries(folder):
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def test_a_crash_between_write_and_rename_leaves_the_old_file_and_the_next_write_removes_the_copy(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"old\n")
    for _ in range(3):
        crash(path)
    assert path.read_bytes() == b"old\n"
    assert len(temporaries(tmp_path)) == 1  # each crashed write removed the copy of the one before
    assert all(name.startswith(".events.csv.") for name in temporaries(tmp_path))
    replace_file(str(path), b"newer\n")
    assert path.read_bytes() == b"newer\n"
    assert temporaries(tmp_path) == []


def test_a_copy_still_being_written_is_not_removed(tmp_path):
    import fcntl

    path = tmp_path / "events.csv"
    busy = tmp_path / ".events.csv.abc123.tmp"
    busy.write_bytes(b"half")
    other = tmp_path / ".other.csv.abc123.tmp"  # another file's copy: not ours to judge
    other.write_bytes(b"x")
    with open(busy, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert remove_orphans(str(path)) == []
    assert remove_orphans(str(path)) == [str(busy)]
    assert temporaries(tmp_path) == [".other.csv.abc123.tmp"]


@pytest.mark.parametrize("data, expected", [
    (b"b\n", b"a\nb\n"),
    (b"\nb\n", b"a\n\nb\n"),
], ids=["row", "own-line-ending"])
def test_append_adds_only_its_bytes(tmp_path, data, expected):
    path = tmp_path / "events.csv"
    path.write_bytes(b"a\n")
    assert append_bytes(str(path), data) == 2
    assert path.read_bytes() == expected


def test_append_ends_a_last_line_an_editor_left_open(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"a")
    append_bytes(str(path), b"b\n")
    assert path.read_bytes() == b"a\nb\n"


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_a_failed_append_leaves_the_file_as_it_was(tmp_path, monkeypatch, failing):
    path = tmp_path / "events.csv"
    path.write_bytes(b"a\n")
    real = getattr(os, failing)

    def full(descriptor, *args):
        if failing == "write":
            real(descriptor, args[0][:1])  # part of it lands before the disk fills
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, failing, full)
    with pytest.raises(OSError):
        append_bytes(str(path), b"b\n")
    monkeypatch.undo()
    assert path.read_bytes() == b"a\n"


def test_an_add_removes_the_copies_crashed_writes_left(tmp_path):
    from timeline.append import add_event

    path = tmp_path / "events.csv"
    path.write_bytes(b"date,title,actors\n2025-11-20,Talks,Ukraine\n")
    crash(path)
    assert len(temporaries(tmp_path)) == 1
    add_event(path, {"date": "2025-11-21", "title": "Plan", "actors": "Ukraine"})
    assert temporaries(tmp_path) == []
