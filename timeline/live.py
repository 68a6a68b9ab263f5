"""An events file that editors change while the app runs.

The app asks for :meth:`LiveEvents.current` on every interaction and on a short
timer. A ``stat`` call decides whether anything changed; only then is the file
read again, through a loader whose caches skip rows it has already read.

Every worker process of a server must show the same thing, so what they remember is
kept in the file system (:class:`SharedState`), not in memory: the last valid version
of the file, its size in events, and the version before it. A file that turns invalid
(a half-saved edit) shows that last good version in every worker, with the file's
errors; with none yet, the file's valid rows when its errors are only in rows (the
dataset's ``left_out`` says which), else nothing, and the page says so. A valid version with far fewer
events than the one before it (a file cut at a row boundary) carries a notice of how
many disappeared since when.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import zlib
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from .csvfile import read_bytes
from .csvfile import read_table as read_cells
from .events import Dataset, EventLoader, actors_path_for
from .journal import dropped_rows
from .problems import Problem
from .private import private_folder, read_private, write_private
from .shared import release_freed

# A new valid version "lost" events when at least this many, and this share, are gone.
DISAPPEARED_AT_LEAST = 3
DISAPPEARED_SHARE = 0.25


@dataclass(frozen=True)
class Snapshot:
    # The newest valid data, possibly older than the file; with none ever valid, the file's valid
    # rows when only rows have errors (``dataset.partial``).
    dataset: Dataset | None
    problems: tuple[Problem, ...]  # errors of the file as it is now ((), or warnings, when valid)
    version: int  # changes whenever the files change (the same in every process)
    notices: tuple[str, ...] = ()  # what the reader must know about the data shown, in plain words
    good_since: str | None = None  # when the data shown was first seen valid (ISO 8601 UTC)

    @property
    def stale(self) -> bool:
        return any(not p.warning for p in self.problems)


@dataclass(frozen=True)
class Good:
    """The last valid version of a file, as every worker sees it."""

    digest: str  # sha256 of the bytes
    events: int
    since: str  # when it was first seen valid, ISO 8601 UTC
    previous_events: int | None  # the valid version before it
    previous_since: str | None
    data: bytes

    @property
    def disappeared(self) -> int:
        if self.previous_events is None:
            return 0
        lost = self.previous_events - self.events
        return lost if lost >= max(DISAPPEARED_AT_LEAST, DISAPPEARED_SHARE * self.previous_events) else 0


def state_root() -> str:
    """Where the server keeps its state: ``$TIMELINE_STATE_DIR``, else ``$XDG_RUNTIME_DIR/timeline``,
    else ``timeline/state`` in the user's cache folder. Never a shared temporary folder, where
    another user could create it first."""
    configured = os.environ.get("TIMELINE_STATE_DIR")
    if configured:
        return configured
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime):
        return os.path.join(runtime, "timeline")
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "timeline", "state")


class SharedState:
    """The last good version of one events file, in a folder every process of the user shares.

    The folder is :func:`state_root`, with one subfolder per events file (by its real path).
    Both must be private (:mod:`timeline.private`): otherwise UnsafeFolder is raised here, when
    the server starts, not at the first request.
    """

    def __init__(self, path: str, root: str | None = None):
        root = private_folder(root or state_root())
        key = hashlib.sha256(os.path.realpath(path).encode("utf-8", "surrogateescape")).hexdigest()[:20]
        self.folder = private_folder(os.path.join(root, key))
        self._good = os.path.join(self.folder, "good")

    def good(self) -> Good | None:
        raw = read_private(self._good)
        if raw is None:  # none yet, or not a file of ours: as if none
            return None
        head, _, data = raw.partition(b"\n")
        try:
            good = Good(data=data, **json.loads(head))
        except (ValueError, TypeError):
            return None
        # A cut or altered record is no version at all: the bytes must be the ones digested.
        return good if isinstance(good.digest, str) and hashlib.sha256(data).hexdigest() == good.digest else None

    def keep(self, data: bytes, events: int) -> Good:
        """Record ``data`` as the last good version (if it is not already), and return the record."""
        digest = hashlib.sha256(data).hexdigest()
        old = self.good()
        if old is not None and old.digest == digest:
            return old
        good = Good(digest, events, _now(), old.events if old else None, old.since if old else None, data)
        meta = {k: v for k, v in good.__dict__.items() if k != "data"}
        try:
            write_private(self._good, json.dumps(meta).encode() + b"\n" + data)
        except OSError:
            pass  # a full disk: this process still shows what it read
        return good


class LiveEvents:
    def __init__(self, path: str, actors: str | None = None, *, state: SharedState | None = None,
                 date_order: str | None = None):
        self.path = os.fspath(path)
        self._actors = actors
        self._date_order = date_order
        self._loaders: dict[str | None, EventLoader] = {}
        self._lock = threading.Lock()
        self._stamp = None
        self._snapshot = Snapshot(None, (), 0)
        self.shared = state or SharedState(self.path)

    def current(self) -> Snapshot:
        stamp = self._stamps()
        if stamp == self._stamp:
            return self._snapshot
        with self._lock:
            if stamp != self._stamp:
                self._reload(stamp)
                release_freed()  # what reading freed (its locals too): not kept while the snapshot is shown
            return self._snapshot

    def _actors_path(self):
        return self._actors or actors_path_for(self.path)

    def _stamps(self):
        actors = self._actors_path()
        return tuple(_stamp(p) for p in (self.path, actors) if p) + (_stamp(self.path + ".journal"),)

    def _loader(self) -> EventLoader:
        actors = self._actors_path()
        loader = self._loaders.get(actors)
        if loader is None:
            self._loaders.clear()
            # A server holds the events, not the cells they came from: a million rows of cells is
            # several hundred MB a worker; the rare reader of the table reads it from the bytes.
            # Its stored events are mapped from one file that every worker of the server shares.
            loader = self._loaders[actors] = EventLoader(actors, keep_table=False, date_order=self._date_order,
                                                         share=True)
        return loader

    def _reload(self, stamp) -> None:
        loader = self._loader()
        try:
            data = read_bytes(self.path)  # a regular file only: a FIFO in its place would hang every worker
        except OSError:
            data = None
        # The bytes read are the bytes checked and, when valid, the bytes every worker keeps.
        dataset, problems = loader.check(self.path if data is None else data, self.path, partial=True)
        notices = []
        if dataset is not None and not dataset.partial:
            problems = list(problems) + dropped_rows(self.path, data, self.path, dataset.read_table)
            # Said to anonymous readers: the journal by its name, not where the server keeps it.
            notices += [str(replace(p, file=os.path.basename(p.file))) for p in problems if p.file.endswith(".journal")]
            good = self.shared.keep(data, len(dataset.frame))
        else:
            # The last good version wins over the valid rows of a broken one: a half-saved edit
            # must not hide what readers saw a moment ago. Never kept as good: it has errors.
            good = self.shared.good()
            if good is not None:
                dataset = loader.check(good.data, self.path)[0]
        if good is not None and dataset is not None and good.disappeared:
            notices.insert(0, f"{good.disappeared:,} events disappeared since {_when(good.previous_since)}: "
                              f"{good.previous_events:,} then, {good.events:,} now. If the file was cut short, "
                              "put the missing rows back from a copy.")
        if dataset is not None and good is not None and not dataset.partial:
            # The cells are read again from the kept copy when asked for, so that the dataset does
            # not hold the file's bytes (155 MB at a million events) for as long as it is shown.
            dataset = replace(dataset, read_table=self._table_reader(good.digest))
        digest = good.digest if good is not None else ""
        # From the file's stamps and the data shown, not a counter: every worker process agrees on it.
        version = zlib.crc32(repr((stamp, digest)).encode())
        self._snapshot = Snapshot(dataset, tuple(problems), version, tuple(notices),
                                  good.since if good is not None else None)
        self._stamp = stamp

    def _table_reader(self, digest: str):
        """The cells of the version ``digest``, read from the kept copy while it is the one kept."""
        def read_table():
            good = self.shared.good()
            if good is None or good.digest != digest:
                raise OSError(f"{self.path}: the version shown is no longer kept; reload it")
            return read_cells(good.data, self.path)[0]
        return read_table


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(iso: str | None) -> str:
    if not iso:
        return "the last version"
    moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")
    return f"{moment.day} {moment.strftime('%b %Y, %H:%M')} UTC"


def _stamp(path: str):
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)
