"""Lock files: one process at a time, among processes of several users, without trusting the file.

``add`` and ``restore`` lock ``<events file>.lock`` beside the events file, in a folder the
file's editors may share on purpose (group-writable, or a sticky one such as /tmp), so
anyone who can write there may have made the lock file, or planted something in its
place. A lock file is therefore only ever:

- opened read-only (``flock`` needs no more), without following a symlink and without
  blocking on a FIFO, never truncated, written or chmodded: a planted symlink or hard link
  cannot make us change a file of ours;
- used when it is a regular file: anything else (a symlink, a FIFO, a socket, a folder) is
  refused with :class:`LockRefused`, whose message names the file and what it is;
- created, when missing, with the mode given (``add`` gives the events file's write bits:
  whoever may change the events file may take its turn, and nobody else, so a reader of a
  world-readable file cannot hold the lock to stop every add);
- waited for at most ``timeout`` seconds, then :class:`LockTimeout` names the file and,
  where the system tells (``/proc/locks``), the process holding it and its user.

The lock is ``flock`` on the open file, released when it is closed, so a crashed holder
never leaves it taken. Lock files are never removed: a waiter must lock the same file as
the holder.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from contextlib import contextmanager

from .private import NOFOLLOW, _user

_FLAGS = os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_STEP, _MAX_STEP = 0.02, 0.25  # seconds between tries, growing
_PROC_LOCKS_LIMIT = 1 << 20  # bytes of /proc/locks read to name a holder


class LockError(Exception):
    """The lock could not be had; the message names the lock file."""


class LockRefused(LockError):
    """Something other than a lock file we can use is where the lock file should be."""


class LockTimeout(LockError):
    """Another process held the lock for longer than we were willing to wait."""

    def __init__(self, path: str, waited: float, holder: str | None):
        self.path, self.waited, self.holder = path, waited, holder
        held = f", held by {holder}" if holder else ""
        super().__init__(f"waited {waited:g} s for {path}{held}")


def write_bits_mode(path: str) -> int:
    """The mode a lock file for ``path`` is created with: read and write for each class of user
    (owner, group, others) that may write ``path``, and always for the owner."""
    try:
        bits = os.stat(path).st_mode
    except OSError:  # a file still to be created: what open() would give it
        mask = os.umask(0o022)
        os.umask(mask)
        bits = 0o666 & ~mask
    mode = 0o600
    for write, both in ((stat.S_IWGRP, 0o060), (stat.S_IWOTH, 0o006)):
        if bits & write:
            mode |= both
    return mode


@contextmanager
def held(path: str, *, timeout: float, mode: int = 0o600):
    """Hold the lock file ``path`` for the block; raises LockRefused, LockTimeout or LockError."""
    descriptor = _open(path, mode)
    try:
        _take(descriptor, path, timeout)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _open(path: str, mode: int) -> int:
    for _ in range(10):  # each turn lost to another process removing or making it at that moment
        try:
            descriptor = os.open(path, _FLAGS | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            try:
                descriptor = os.open(path, _FLAGS)
            except FileNotFoundError:
                continue
            except OSError as error:
                raise _refusal(path, error) from None
        except OSError as error:  # an unwritable folder, a read-only disk...
            raise LockError(f"cannot create {path}: {error.strerror or error}") from None
        else:
            try:
                os.fchmod(descriptor, mode)  # the umask would take the group's bits away from editors
            except OSError:
                pass
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            os.close(descriptor)
            raise LockRefused(f"{path} is {_kind(info.st_mode)}, not a lock file; another user may have "
                              "put it there. Refusing to use it: remove it, then try again")
        return descriptor
    raise LockRefused(f"{path} keeps disappearing and coming back; something else is removing it")


def _refusal(path: str, error: OSError) -> LockError:
    if error.errno == errno.ELOOP:
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return LockRefused(f"{path} is a symbolic link (to {target}), not a lock file; another user may have "
                           "planted it to make this command open their choice of file. Refusing to follow it: "
                           "remove it, then try again")
    if error.errno in (errno.EACCES, errno.EPERM):
        owner = ""
        try:
            info = os.lstat(path)
            owner = f" (owned by {_user(info.st_uid)}, mode {stat.S_IMODE(info.st_mode):04o})"
        except OSError:
            pass
        return LockRefused(f"cannot open {path}{owner}: permission denied; its owner or the folder's "
                           "can remove it, then try again")
    if error.errno == errno.ENXIO:  # a socket
        return LockRefused(f"{path} is a socket, not a lock file. Refusing to use it: remove it, then try again")
    return LockError(f"cannot open {path}: {error.strerror or error}")


def _take(descriptor: int, path: str, timeout: float) -> None:
    began = time.monotonic()
    step = _STEP
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):  # a file system without locks
                raise LockError(f"cannot lock {path}: {error.strerror or error}") from None
        waited = time.monotonic() - began
        if waited >= timeout:
            raise LockTimeout(path, timeout, _holder(descriptor))
        time.sleep(min(step, max(timeout - waited, 0.001)))
        step = min(step * 1.5, _MAX_STEP)


def _holder(descriptor: int) -> str | None:
    """``process 1234 (alice: timeline add ...)`` holding the flock on the file, as /proc/locks tells."""
    try:
        info = os.fstat(descriptor)
        with open("/proc/locks", "rb") as handle:
            text = handle.read(_PROC_LOCKS_LIMIT).decode("ascii", "replace")
    except OSError:
        return None
    wanted = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    for line in text.splitlines():
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; a waiter's line has "->" after the number
        if len(fields) >= 6 and fields[1] == "FLOCK" and "->" not in fields[1:3] and fields[5] == wanted:
            pid = fields[4]
            return f"process {pid}{_process(pid)}"
    return None


def _process(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            uid = next(int(line.split()[1]) for line in handle.read(8192).splitlines() if line.startswith(b"Uid:"))
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            command = handle.read(200).replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except (OSError, StopIteration, ValueError):
        return ""
    printable = "".join(c if c.isprintable() else "?" for c in command)
    return f" of {_user(uid)}" + (f": {printable}" if printable else "")


def _kind(mode: int) -> str:
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return kind
    return "not a regular file"

