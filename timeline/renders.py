"""Figure downloads drawn a few at a time, in turn, each once per data version and view.

Drawing a PNG of 100,000 events takes a Chromium and about 3 s of CPU. Drawn on demand in
the request, 20 downloads at once started 180 Chromium processes under ``timeline serve``,
and under gunicorn took every worker for a minute while readers waited. So:

- One draw at a time on the machine (:data:`DRAWS` slots, each a lock file in the
  private state folder, so gunicorn's workers share them). A sync worker whose turn would
  mean waiting for another process's draw does not wait: the request is told to come back
  (503 with ``Retry-After``), and the worker goes on serving readers. A threaded server
  (``wsgi.multithread``: ``timeline serve``, gunicorn ``--threads``) answers readers from
  its other threads, so its draw waits for the slot, within the download's wait: under sync
  workers 19 of 20 downloads at once were refused, however short their wait.
- In a process, downloads wait in a short queue (:data:`QUEUE`) for the draw thread, each
  at most :data:`WAIT` seconds; one that would wait longer, by the time draws have been
  taking, is told at once to come back. At most ``QUEUE + 1`` requests wait at once, for
  whatever view, so threads are left for readers (requests for one view shared its draw,
  but every one of them held a thread).
- The draw runs in a thread of the server's process. It holds the interpreter only briefly
  (building the report figure of 100,000 events stalled another thread for 15 ms at most),
  and Chromium draws in processes of its own; a drawing process of ours measured no better
  for readers (benchmarks/hostile_requests.py) and cost 200 MB more.
- A drawn image is kept, as bytes, per data version and view (:class:`BytesCache` in the
  state folder): the next download of it, in any worker, is a file read. Requests for an
  image already being drawn wait for that draw instead of starting another.
- The draw thread keeps its Chromium (kaleido's sync server) between draws, and closes it
  after :data:`IDLE` seconds without one: starting a Chromium for each draw took most of
  its time (4-7 s for events.csv on a busy machine, 0.6 s in a running one).
"""

from __future__ import annotations

import fcntl
import math
import os
import threading
import time
import warnings
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from .private import NOFOLLOW, BytesCache, private_folder

DRAWS = 1  # draws at once on the machine: each is a Chromium and most of a core
QUEUE = 4  # downloads a process keeps waiting for its draw thread
WAIT = 20.0  # seconds a download may wait for its image
FIRST_GUESS = 5.0  # seconds a draw takes, until one has been timed
SLOT_STEP = 0.1  # seconds between looks at the machine's draw slots, for a request that may wait
IMAGES = 32  # images kept
MAX_IMAGE = 16 * 1024 * 1024  # bytes: a PNG is a few hundred KB; the bound keeps a tmpfs state folder small
IDLE = 60.0  # seconds a Chromium is kept with nothing to draw
# kaleido's server is the process's: while it runs, every figure.to_image of the process goes
# through it, and closing it under a draw of another thread would leave that draw waiting. A
# server process draws only here; a process that also exports elsewhere (the test suite) sets
# this False, and each draw starts a Chromium of its own.
KEEP_BROWSER = True

# plotly passes its browser options on every draw; a running kaleido server has its own.
warnings.filterwarnings("ignore", message="The kopts argument is ignored if using a server")


class Busy(Exception):
    """No image now: come back in ``retry_after`` seconds."""

    def __init__(self, retry_after: float, why: str):
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(why)


class Draws:
    """The downloads of one server process, drawn in turn through the machine's draw slots."""

    def __init__(self, folder: str, *, draws: int = DRAWS, queue: int = QUEUE, wait: float = WAIT):
        self.folder = private_folder(folder)
        self.images = BytesCache(os.path.join(self.folder, "images"), entries=IMAGES, max_entry=MAX_IMAGE)
        self.draws, self.queue, self.wait = draws, queue, wait
        self.seconds = FIRST_GUESS  # how long a draw takes, as draws went lately
        self._pending: dict[str, Future] = {}
        self._waiting = 0  # requests waiting for an image, of any view
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="timeline-draw")
        self._browser = False  # whether the draw thread's Chromium is running
        self._last_draw = 0.0

    def image(self, key: str, draw, *, patient: bool = False) -> bytes:
        """The image ``draw()`` makes, kept under ``key`` (a hex digest naming data version and view).
        ``patient``: the server answers readers from other threads while this request waits, so its
        draw may wait for another worker's to end (a sync worker must not: it would stop answering).

        Raises Busy when it cannot be had within the wait; exceptions of ``draw`` pass through."""
        found = self.images.get(key)
        if found is not None:
            return found
        with self._lock:
            if self._waiting > self.queue:  # one being drawn, ``queue`` waiting
                raise Busy(self.seconds * len(self._pending), f"{self._waiting} downloads are waiting to be drawn")
            future = self._pending.get(key)
            if future is None:
                waiting = len(self._pending)
                if self.seconds * (waiting + 1) > self.wait:
                    raise Busy(self.seconds * waiting, f"the {waiting} downloads before it take too long")
                deadline = time.monotonic() + self.wait if patient else 0.0
                future = self._executor.submit(self._draw, key, draw, deadline)
                self._pending[key] = future
            self._waiting += 1
        try:
            return future.result(timeout=self.wait)
        except FutureTimeout:
            # The draw goes on and keeps its image: the retry finds it.
            raise Busy(self.seconds, "drawing it takes longer than a download may wait") from None
        finally:
            with self._lock:
                self._waiting -= 1

    def _draw(self, key: str, draw, deadline: float) -> bytes:
        try:
            # Waiting for the slot leaves the draw itself time within the deadline.
            with _Slot(self.folder, self.draws, deadline - self.seconds) as slot:
                if not slot.held:
                    raise Busy(self.seconds, "another worker of the server is drawing")
                self._open_browser()
                began = time.monotonic()
                try:
                    data = draw()
                finally:
                    self._last_draw = time.monotonic()
                    self.seconds = 0.7 * self.seconds + 0.3 * (self._last_draw - began)
                    self._close_later()
            self.images.put(key, data)
            return data
        finally:
            with self._lock:
                self._pending.pop(key, None)

    # The browser is opened and closed by the draw thread only, so never under a draw.
    def _open_browser(self) -> None:
        if self._browser or not KEEP_BROWSER:
            return
        try:
            import kaleido

            kaleido.start_sync_server(silence_warnings=True)
            self._browser = True
        except Exception:  # noqa: BLE001 -- no Chromium: each draw says so itself (ExportError)
            pass

    def _close_later(self) -> None:
        if self._browser:
            timer = threading.Timer(IDLE, self._ask_to_close)
            timer.daemon = True
            timer.start()

    def _ask_to_close(self) -> None:
        try:
            self._executor.submit(self._close_if_idle)
        except RuntimeError:
            pass  # the process is exiting: kaleido closes its browser itself then

    def _close_if_idle(self) -> None:
        if self._browser and time.monotonic() - self._last_draw >= IDLE * 0.99:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            self._browser = False


class _Slot:
    """One of the machine's draw slots, if one is free now or before ``until`` (a monotonic time)."""

    def __init__(self, folder: str, count: int, until: float = 0.0):
        self.folder, self.count, self.until = folder, count, until
        self.descriptor = None

    @property
    def held(self) -> bool:
        return self.descriptor is not None

    def __enter__(self):
        while True:
            for number in range(self.count):
                descriptor = os.open(os.path.join(self.folder, f"draw-{number}.lock"),
                                     os.O_RDWR | os.O_CREAT | NOFOLLOW, 0o600)
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    os.close(descriptor)
                    continue
                self.descriptor = descriptor
                return self
            if time.monotonic() + SLOT_STEP > self.until:
                return self
            time.sleep(SLOT_STEP)

    def __exit__(self, *_):
        if self.descriptor is not None:
            os.close(self.descriptor)  # closing releases the lock
            self.descriptor = None
