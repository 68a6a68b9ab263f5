"""Folders and files only the user running the code can change.

What a server keeps between requests (the last good version of a file, cached figures
and images) and the Parquet store are read back and trusted. Another local user who can
put a file in such a folder, swap it for a symlink or create it first under a
predictable name could make every reader see forged events, or make our own pruning
delete the victim's files. So a folder is used only when it is ours: owned by the
effective user, not writable by its group or others, and not a symlink. A folder that
is not raises :class:`UnsafeFolder`, whose message names the folder and what is wrong;
no fallback is tried, since quietly going elsewhere would hide the attack.

Files in such folders are opened with ``O_NOFOLLOW`` (where the platform has it), and
written whole to a temporary file that is renamed over: a reader sees a whole file or
none.
"""

from __future__ import annotations

import errno
import hashlib
import mmap
import os
import stat
import tempfile
import time
from contextlib import contextmanager

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
STALE_PART = 600.0  # seconds after which a temporary ``.part`` file is a crashed writer's
DIRECTORY = getattr(os, "O_DIRECTORY", 0)


class UnsafeFolder(Exception):
    """A state or cache folder another user could change; the message says which and why."""


class NoFolder(UnsafeFolder):
    """A folder that cannot be made or is not a folder at all: no attack, but unusable."""


def private_folder(path, *, what: str = "state folder") -> str:
    """``path`` as a folder only we can change: created with mode 0700 (and its missing
    parents) when absent; checked when present. Returns the path; raises UnsafeFolder."""
    path = os.fspath(path)
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as error:
        raise NoFolder(f"{what} {path}: cannot create it: {error.strerror or error}") from None
    check_folder(path, what=what)
    _check_ancestors(path, what)
    return path


def check_folder(path, *, what: str = "state folder") -> None:
    """Raise UnsafeFolder unless ``path`` is a real folder of ours that only we can write."""
    path = os.fspath(path)
    try:
        info = os.lstat(path)
    except OSError as error:
        raise NoFolder(f"{what} {path}: cannot use it: {error.strerror or error}") from None
    if stat.S_ISLNK(info.st_mode):
        problem = "is a symbolic link (to " + _target(path) + "); it must be a real folder"
    elif not stat.S_ISDIR(info.st_mode):
        raise NoFolder(f"{what} {path}: is not a folder")
    elif info.st_uid != os.geteuid():
        problem = (f"is owned by {_user(info.st_uid)}, not by {_user(os.geteuid())} who runs this; "
                   "another user may have created it first")
    elif info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        who = " and ".join(w for bit, w in ((stat.S_IWGRP, "its group"), (stat.S_IWOTH, "other users"))
                           if info.st_mode & bit)
        problem = (f"is writable by {who} "
                   f"(mode {stat.S_IMODE(info.st_mode):04o}); make it private: chmod 700 {path}")
    else:
        return
    raise UnsafeFolder(f"{what} {path} {problem}. Refusing to use it: remove it, or point the setting "
                       "at a folder of your own")


def check_if_present(path, *, what: str = "cache folder") -> None:
    """Like :func:`check_folder` for a folder that may not exist yet (then nothing to check)."""
    if os.path.lexists(path):
        check_folder(path, what=what)
        _check_ancestors(os.fspath(path), what)


def _check_ancestors(path: str, what: str) -> None:
    """Whoever can rename entries in a folder above ours can swap ours for theirs after it was
    checked: each one must belong to us or root, and be closed to others unless sticky (/tmp)."""
    folder = os.path.dirname(os.path.realpath(path))
    while True:
        try:
            info = os.stat(folder)
        except OSError:
            return
        shared = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not info.st_mode & stat.S_ISVTX
        if info.st_uid not in (0, os.geteuid()) or shared:
            who = _user(info.st_uid) if info.st_uid not in (0, os.geteuid()) else "other users"
            raise UnsafeFolder(f"{what} {path} is inside {folder}, which {who} can change "
                               f"(owner uid {info.st_uid}, mode {stat.S_IMODE(info.st_mode):04o}), so they could "
                               "swap the folder for their own. Refusing to use it: choose a folder in a tree "
                               "only you (or root) can write")
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


def read_private(path, limit: int | None = None) -> bytes | None:
    """The bytes of a regular file (not through a symlink), or None when it is missing, is
    something else, or is larger than ``limit``."""
    with _regular(path) as (descriptor, info):
        if descriptor is None or (limit is not None and info.st_size > limit):
            return None
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            data = handle.read(info.st_size + 1)
        return data if limit is None or len(data) <= limit else None


def map_private(path, sha256: str) -> mmap.mmap | None:
    """The pages of a regular file of ours (not through a symlink), mapped read-only, when the
    SHA-256 of its bytes is ``sha256``; else None. The bytes are digested as they stream past,
    never held, and the descriptor digested is the one mapped: a file swapped in meanwhile is
    not seen. (Our files are replaced by rename, never rewritten, so the pages stay as digested.)"""
    with _regular(path) as (descriptor, info):
        if descriptor is None or info.st_uid != os.geteuid() or not info.st_size:
            return None
        with os.fdopen(os.dup(descriptor), "rb") as stream:
            if hashlib.file_digest(stream, "sha256").hexdigest() != sha256:
                return None  # cut short, altered, or another file under this name
        return mmap.mmap(descriptor, info.st_size, access=mmap.ACCESS_READ)


@contextmanager
def _regular(path):
    """(descriptor, stat) of the regular file at ``path`` opened for reading, not through a
    symlink; (None, None) when there is none. OSError while it is used counts as none."""
    try:
        descriptor = os.open(path, os.O_RDONLY | NOFOLLOW)
    except OSError:
        yield None, None
        return
    try:
        info = os.fstat(descriptor)
        yield (descriptor, info) if stat.S_ISREG(info.st_mode) else (None, None)
    except (OSError, ValueError):
        return  # the body's error: as if there were no file
    finally:
        os.close(descriptor)


def write_private(path, data: bytes) -> None:
    """Write ``data`` as ``path`` (mode 0600) through a temporary file renamed over; raises OSError."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)  # a buffered file writes all of it or raises
        os.replace(temporary, path)  # rename replaces a planted symlink; it never follows it
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _user(uid: int) -> str:
    try:
        import pwd

        return f"{pwd.getpwuid(uid).pw_name} (uid {uid})"
    except (ImportError, KeyError):
        return f"uid {uid}"


def _target(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError as error:
        return errno.errorcode.get(error.errno, "?")


class BytesCache:
    """A bounded folder of byte strings by key, shared by every process of the user.

    Values are bytes in files and come back as the same bytes: nothing in the folder is
    ever unpickled or otherwise run, so a planted file can at most be served as an answer,
    and only by someone who could already write the folder (which :func:`private_folder`
    rules out). Beyond ``entries`` files, the oldest go, and so do temporary files a crashed
    write left behind (:func:`remove_stale_parts`); pruning looks at this folder's own regular
    files only, never through a symlink.
    """

    def __init__(self, folder, *, entries: int, max_entry: int):
        self.folder = private_folder(folder, what="cache folder")
        self.entries, self.max_entry = entries, max_entry

    def _path(self, key: str) -> str:
        if not key or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("a cache key is a hex digest")
        return os.path.join(self.folder, key)

    def get(self, key: str) -> bytes | None:
        return read_private(self._path(key), self.max_entry)

    def put(self, key: str, data: bytes) -> None:
        """Keep ``data`` (if not too large); a full or unwritable folder is no error."""
        if len(data) > self.max_entry:
            return
        try:
            write_private(self._path(key), data)
            self._prune()
        except OSError:
            pass

    def _prune(self) -> None:
        files = []
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False) and not entry.name.startswith("."):
                    files.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.name))
        for _, name in sorted(files, reverse=True)[self.entries:]:
            try:
                os.unlink(os.path.join(self.folder, name))
            except OSError:
                pass
        remove_stale_parts(self.folder)


def remove_stale_parts(folder, *, older_than: float = STALE_PART) -> list[str]:
    """Remove the temporary files (``*.part``) a crashed writer left in ``folder``: only our own
    regular files, not changed for ``older_than`` seconds (a live write renames its file within
    a second or so). A symlink is never followed or removed. Returns the names removed."""
    removed, now = [], time.time()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.endswith(".part"):
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and now - info.st_mtime > older_than:
                    try:
                        os.unlink(os.path.join(folder, entry.name))
                        removed.append(entry.name)
                    except OSError:
                        pass
    except OSError:
        pass
    return removed
