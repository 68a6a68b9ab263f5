"""An events file that editors change while the app runs.

The app asks for :meth:`LiveEvents.current` on every interaction and on a short
timer. A ``stat`` call decides whether anything changed; only then is the file
read again, through a loader whose caches skip rows it has already read. A file
that turns invalid (a half-saved edit) keeps the last good data in service and
exposes the problems, so the page can show them until the file is fixed.
"""

from __future__ import annotations

import os
import threading
import zlib
from dataclasses import dataclass

from .events import Dataset, EventLoader, actors_path_for
from .problems import Problem


@dataclass(frozen=True)
class Snapshot:
    dataset: Dataset | None  # the newest valid data, possibly older than the file
    problems: tuple[Problem, ...]  # errors of the file as it is now ((), or warnings, when valid)
    version: int  # changes whenever the files change (the same in every process)

    @property
    def stale(self) -> bool:
        return any(not p.warning for p in self.problems)


class LiveEvents:
    def __init__(self, path: str, actors: str | None = None):
        self.path = os.fspath(path)
        self._actors = actors
        self._loader = EventLoader(actors)
        self._lock = threading.Lock()
        self._stamp = None
        self._snapshot = Snapshot(None, (), 0)

    def current(self) -> Snapshot:
        stamp = self._stamps()
        if stamp == self._stamp:
            return self._snapshot
        with self._lock:
            if stamp != self._stamp:
                self._reload(stamp)
            return self._snapshot

    def _stamps(self):
        actors = self._actors or actors_path_for(self.path)
        return tuple(_stamp(p) for p in (self.path, actors) if p)

    def _reload(self, stamp) -> None:
        dataset, problems = self._loader.check(self.path)
        previous = self._snapshot
        # From the file's stamps, not a counter: every worker process agrees on it.
        version = zlib.crc32(repr(stamp).encode())
        if dataset is not None:
            self._snapshot = Snapshot(dataset, tuple(problems), version)
        else:
            self._snapshot = Snapshot(previous.dataset, tuple(problems), version)
        self._stamp = stamp


def _stamp(path: str):
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)
