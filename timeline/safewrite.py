"""Writing files so that a crash or a full disk never leaves half a file behind.

Two ways: :func:`replace_file` writes a whole new file beside the old one and renames it
over (for files we produce: exports, ``normalize -o``, a new events file);
:func:`append_bytes` adds bytes at the end of a file others may also be saving (an
events file: an editor's whole-file save must never be overwritten by ours).

A temporary copy is named ``.<file>.<random>.tmp`` and locked (``flock``) by its writer
until it is renamed. One left by a crash (its writer gone, so its lock free) is removed
by the next write of the same file.
"""

from __future__ import annotations

import errno
import fcntl
import glob
import os
import stat
import tempfile

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def replace_file(path: str, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename over."""
    folder = os.path.dirname(os.path.abspath(path))
    prefix = f".{os.path.basename(path)}."
    remove_orphans(path)
    handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    try:
        # Held until the rename: a free lock on such a file means its writer died (remove_orphans).
        fcntl.flock(handle, fcntl.LOCK_EX)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            if os.path.exists(path):
                os.chmod(temporary, os.stat(path).st_mode & 0o777)
            else:  # mkstemp makes 0600 files; a new file gets what open() would give it
                os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, path)
        sync_folder(folder)  # the rename itself must reach the disk, or a crash brings back the old file
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def append_bytes(path: str, data: bytes, *, create: bool = False) -> int:
    """Add ``data`` at the end of the file ``path`` (an existing one unless ``create``) in one
    ``O_APPEND`` write, flushed to disk; never through a symlink.

    Returns the file's size before the write. A line ending is put first when the file does
    not end with one (an editor may have saved it so since it was read, or a full disk cut its
    last line). On failure the file is cut back to its old size, so it is left as it was.
    """
    flags = os.O_RDWR | os.O_APPEND | NOFOLLOW | NONBLOCK | (os.O_CREAT if create else 0)
    descriptor = os.open(path, flags, 0o666)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):  # a FIFO would swallow the bytes, or block the writer
            raise OSError(errno.EINVAL, "not a regular file (another user may have put it there)")
        size = info.st_size
        if size and data[:1] not in (b"\n", b"\r") and os.pread(descriptor, 1, size - 1) not in (b"\n", b"\r"):
            data = b"\n" + data
        try:
            write_all(descriptor, data)
            os.fsync(descriptor)
        except BaseException:
            try:
                os.ftruncate(descriptor, size)
            except OSError:
                pass
            raise
        if not size and create:  # a new file: its name must survive a crash too
            sync_folder(os.path.dirname(path) or ".")
        return size
    finally:
        os.close(descriptor)


def write_all(descriptor: int, data: bytes) -> None:
    """Write every byte of ``data`` or raise OSError. A regular file takes fewer bytes than it is
    given when the disk fills or a size limit is reached part way: the rest is written again,
    which then fails with the reason (or, on a file system that was only interrupted, lands)."""
    view = memoryview(data)
    while view:
        count = os.write(descriptor, view)
        if count <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[count:]


def sync_folder(folder: str) -> None:
    """Flush a folder's entries (a new or renamed file's name) to disk."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a platform whose folders cannot be opened: the file itself is on disk
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def remove_orphans(path: str) -> list[str]:
    """Remove the temporary copies of ``path`` that crashed writers left behind; returns their paths."""
    folder = os.path.dirname(os.path.abspath(path))
    pattern = os.path.join(glob.escape(folder), f".{glob.escape(os.path.basename(path))}.*.tmp")
    removed = []
    for candidate in glob.glob(pattern):
        try:
            # Never through a symlink, and never waiting on a FIFO someone put in its place.
            descriptor = os.open(candidate, os.O_RDONLY | NOFOLLOW | NONBLOCK)
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                continue  # not a copy of ours: left alone
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.unlink(candidate)
            removed.append(candidate)
        except OSError:  # its writer is still at work (or it is gone already)
            pass
        finally:
            os.close(descriptor)
    return removed
