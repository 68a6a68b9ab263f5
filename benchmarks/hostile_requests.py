"""Hostile readers of the page: this code beside a baseline's, in one run on one machine.

The request attacks of issue 17, each against ``gunicorn -w 2`` (sync workers, loopback, a
fresh private state folder) serving this checkout and ``--baseline`` (a git worktree of the
code before, for example ``git worktree add --detach /tmp/base 8c6fb88``):

1. **Made-up actors.** Two figure callbacks at once whose address names 45,000 made-up
   actors with ``match=all`` (0.85 MB each), at 100,000 events (benchmarks/synthetic.py,
   seed 0). Prints how long each took, and the latency of a reader meanwhile: one page
   polling the figure callback of an ordinary view every 50 ms.
2. **Downloads.** 20 concurrent "Download PNG" requests of 20 views at 100,000 events.
   Prints how many were drawn (200) and told to come back (503), the time until all were
   answered, the reader's latency meanwhile, and the most Chromium processes alive at once.
   The same 20 downloads against ``timeline serve`` (werkzeug, threaded) on events.csv
   (and, with ``--cases serve-big``, on the 100,000 events): the most Chromium processes at
   once, the server's peak memory with its children, and a reader's latency meanwhile.
   ``--workers sync,gthread`` serves the gunicorn cases both with sync workers and with
   ``--threads 8`` (the README's command).
3. **A huge body.** One POST of ``--body-gb`` GB (1 by default) to the callback endpoint, on
   events.csv: the status, the time until it was answered, and how much the workers' peak
   memory (VmHWM) grew.

    .venv/bin/python benchmarks/hostile_requests.py [--baseline /tmp/base] [--body-gb 1] [--skip-serve]
        [--cases actors,downloads,body,serve,serve-big] [--workers sync,gthread]

Targets (issue 17): the made-up actors cost what one ordinary filter costs and readers
wait no longer than usual; downloads never run more than one Chromium at once, readers are
answered while they run, and those that would wait too long get 503 with Retry-After; the
huge body is refused with 413 with no growth in memory. Bounded: every request has a
timeout, every server is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import select
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load import Gunicorn, free_port, request  # noqa: E402

READER_VIEW = "?lanes=actors"
# A reader moving through the years: views no one asked for yet, each figure computed.
NEW_VIEWS = [f"?from={date(1996, 1, 1) + timedelta(days=30 * i)}" for i in range(300)]
HOSTILE_VIEW = "?" + "&".join(f"actor=Nobody{i:05d}" for i in range(45_000)) + "&match=all"
DOWNLOADS = 20

BODY = """
import json, sys
from timeline.app import create_app
app = create_app(sys.argv[1])
key = next(k for k in app.callback_map if "timeline-graph.figure" in k)
spec = app.callback_map[key]
for search in open(sys.argv[2], encoding="utf-8").read().split("\\n"):
    values = {("url", "search"): search, ("chart-size", "data"): {"width": 1232, "height": 700}}
    print(json.dumps({"output": key,
                      "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
                      "inputs": [{"id": i["id"], "property": i["property"],
                                  "value": values.get((i["id"], i["property"]))} for i in spec["inputs"]],
                      "state": [{"id": s["id"], "property": s["property"]} for s in spec.get("state", [])],
                      "changedPropIds": ["url.search"]}))
"""


def bodies(tree: Path, events: Path, searches: list[str], work: Path) -> list[bytes]:
    """The figure callback's body for each address, as that checkout's page would post it."""
    listing = work / "searches.txt"
    listing.write_text("\n".join(searches), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", BODY, str(events), str(listing)], cwd=tree, capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(tree), "TIMELINE_STATE_DIR": tempfile.mkdtemp(dir=work)},
                          check=True, timeout=900)
    return [line.encode() for line in done.stdout.decode().splitlines()]


class Reader(threading.Thread):
    """One page asking for the figure callback of ordinary views in turn, every 50 ms: (start,
    seconds) of each request. One view: answered from the figure cache; many: each computed."""

    def __init__(self, port: int, *bodies: bytes):
        super().__init__(daemon=True)
        self.port, self.bodies, self.times, self.stopped = port, bodies, [], threading.Event()

    def run(self):
        while not self.stopped.is_set():
            began = time.monotonic()
            try:
                request(self.port, "POST", "/_dash-update-component", self.bodies[len(self.times) % len(self.bodies)])
            except OSError:
                pass
            self.times.append((began, time.monotonic() - began))
            time.sleep(0.05)

    def during(self, start: float, end: float, *more: tuple[float, float]) -> str:
        """The reader's latency over one or more windows of time."""
        spans = []
        for start, end in ((start, end), *more):
            end = max(end, start + 1)  # at least a second: a quick attack still shows what readers saw
            spans += [t for began, t in self.times if began + t >= start and began <= end]
        if not spans:
            return "-"
        spans.sort()
        tail = f", p90 {spans[int(len(spans) * 0.9)] * 1000:,.0f} ms" if len(spans) >= 20 else ""
        return f"p50 {statistics.median(spans) * 1000:,.0f} ms{tail}, max {spans[-1] * 1000:,.0f} ms"


def descendants(pid: int) -> list[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent]
        found += children
        frontier += children
    return found


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


def status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Watcher(threading.Thread):
    """The most Chromium processes under ``pid`` at once, and the most memory of it and its children."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.chromium, self.rss_kb, self.stopped = pid, 0, 0, threading.Event()

    def run(self):
        while not self.stopped.is_set():
            family = [self.pid, *descendants(self.pid)]
            self.chromium = max(self.chromium, sum("chrom" in cmdline(p).lower() for p in family))
            self.rss_kb = max(self.rss_kb, sum(status_kb(p, "VmRSS") for p in family))
            time.sleep(0.2)


def get(port: int, path: str) -> int:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        connection.close()


def downloads(port: int, round_: int = 0) -> tuple[list[int], float]:
    """``DOWNLOADS`` of as many views at once, each of thousands of events (new views each round:
    none is drawn yet)."""
    began = time.monotonic()
    views = [date(2000, 1, 1) + timedelta(days=7 * (round_ * DOWNLOADS + i)) for i in range(DOWNLOADS)]
    with ThreadPoolExecutor(DOWNLOADS) as pool:
        statuses = list(pool.map(lambda day: get(port, f"/_timeline/figure.png?from={day}&lanes=kinds"), views))
    return statuses, time.monotonic() - began


def download_rounds(port: int, rounds: int) -> tuple[list[int], list[tuple[float, float]]]:
    """Every answer's status, and the time each round took."""
    statuses, windows = [], []
    for round_ in range(rounds):
        began = time.monotonic()
        statuses += downloads(port, round_)[0]
        windows.append((began, time.monotonic()))
        time.sleep(0.5)
    return statuses, windows


def readers_meanwhile(reader: Reader, browsing: Reader, quiet, windows) -> str:
    return (f"      reader of one view: before {reader.during(*quiet)}, "
            f"during {reader.during(*windows[0], *windows[1:])}\n"
            f"      reader of new views: before {browsing.during(*quiet)}, "
            f"during {browsing.during(*windows[0], *windows[1:])}")


def counts(statuses: list[int]) -> str:
    return ", ".join(f"{statuses.count(s)}x{s}" for s in sorted(set(statuses)))


def gunicorn_cases(name: str, tree: Path, big: Path, work: Path, cases: set[str], options=(), rounds=1) -> None:
    reader_body, hostile, *new_views = bodies(tree, big, [READER_VIEW, HOSTILE_VIEW, *NEW_VIEWS], work)
    server = Gunicorn(tree, big, Path(tempfile.mkdtemp(dir=work)), tuple(options))
    try:
        for _ in range(4):  # each worker loads and indexes the data before the clock starts
            request(server.port, "POST", "/_dash-update-component", reader_body)
        reader, browsing = Reader(server.port, reader_body), Reader(server.port, *new_views)
        reader.start()
        browsing.start()
        time.sleep(3)
        quiet = (time.monotonic() - 3, time.monotonic())
        if "actors" in cases:
            made_up_actors(name, server, reader, hostile, quiet)
        if "downloads" in cases:
            watcher = Watcher(server.process.pid)
            watcher.start()
            statuses, windows = download_rounds(server.port, rounds)
            watcher.stopped.set()
            print(f"  {rounds}x20 PNG downloads {name:<8} {counts(statuses)}, each 20 answered in "
                  + "/".join(f"{end - start:.1f}" for start, end in windows)
                  + f" s, at most {watcher.chromium} Chromium processes\n"
                  + readers_meanwhile(reader, browsing, quiet, windows), flush=True)
        reader.stopped.set()
        browsing.stopped.set()
    finally:
        server.stop()


def made_up_actors(name: str, server: Gunicorn, reader: Reader, hostile: bytes, quiet: tuple[float, float]) -> None:
    def attack(_):
        began = time.monotonic()
        status, _ = request(server.port, "POST", "/_dash-update-component", hostile)
        return status, time.monotonic() - began

    began = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(attack, range(2)))
    ended = time.monotonic()
    print(f"  made-up actors  {name:<9} {len(hostile) / 1e6:.2f} MB bodies: "
          + "; ".join(f"{status} in {seconds:.1f} s" for status, seconds in results)
          + f" | reader before {reader.during(*quiet)}, during {reader.during(began, ended)}", flush=True)


def serve_case(name: str, tree: Path, events: Path, work: Path, rounds: int = 1, label: str = "events.csv") -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(tree), "TIMELINE_STATE_DIR": tempfile.mkdtemp(dir=work)}
    server = subprocess.Popen([sys.executable, "-m", "timeline", "serve", str(events), "--port", str(port)],
                              cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            if get(port, "/") == 200:
                break
            time.sleep(0.2)
        reader_body, *new_views = bodies(tree, events, [READER_VIEW, *NEW_VIEWS], work)
        reader, browsing = Reader(port, reader_body), Reader(port, *new_views)
        reader.start()
        browsing.start()
        time.sleep(3)
        quiet = (time.monotonic() - 3, time.monotonic())
        watcher = Watcher(server.pid)
        watcher.start()
        statuses, windows = download_rounds(port, rounds)
        watcher.stopped.set()
        reader.stopped.set()
        browsing.stopped.set()
        watcher.join()
        print(f"  {rounds}x20 PNG downloads, timeline serve, {label}  {name:<9} {counts(statuses)} in "
              + "/".join(f"{end - start:.1f}" for start, end in windows)
              + f" s, at most {watcher.chromium} Chromium processes, peak memory {watcher.rss_kb / 1024**2:.2f} GB\n"
              + readers_meanwhile(reader, browsing, quiet, windows), flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def post_huge(port: int, size: int) -> tuple[str, float]:
    """POST ``size`` bytes to the callback endpoint, as fast as the server takes them, until it answers."""
    began = time.monotonic()
    chunk = b" " * (1 << 20)
    with socket.create_connection(("127.0.0.1", port), timeout=600) as connection:
        connection.sendall((f"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            f"Content-Type: application/json\r\nContent-Length: {size}\r\n"
                            "Connection: close\r\n\r\n").encode())
        sent = 0
        try:
            while sent < size:
                if select.select([connection], [], [], 0)[0]:
                    break  # answered before the body was all sent
                sent += connection.send(chunk[: min(len(chunk), size - sent)])
        except OSError:
            pass
        try:
            head = connection.recv(200).split(b"\r\n", 1)[0].decode("latin-1")
        except OSError as error:
            head = f"no answer ({error.__class__.__name__})"
    return f"{head} after {sent / 1e9:.2f} GB sent", time.monotonic() - began


def body_case(name: str, tree: Path, events: Path, work: Path, size: int) -> None:
    server = Gunicorn(tree, events, Path(tempfile.mkdtemp(dir=work)))
    try:
        workers = descendants(server.process.pid)
        before = sum(status_kb(p, "VmHWM") for p in workers)
        answer, seconds = post_huge(server.port, size)
        time.sleep(0.5)
        after = sum(status_kb(p, "VmHWM") for p in workers)
        print(f"  {size / 1e9:.1f} GB POST      {name:<9} {answer}, in {seconds:.1f} s; "
              f"workers' peak memory +{(after - before) / 1024:,.0f} MB", flush=True)
    finally:
        server.stop()


WORKERS = {"sync": (), "gthread": ("--worker-class", "gthread", "--threads", "8")}
CASES = ("actors", "downloads", "body", "serve", "serve-big")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, default=None)
    parser.add_argument("--body-gb", type=float, default=1.0)
    parser.add_argument("--skip-serve", action="store_true", help="leave out the timeline serve downloads")
    parser.add_argument("--cases", default=",".join(CASES), help=f"which attacks, of {','.join(CASES)}")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of 20 downloads (new views each)")
    parser.add_argument("--workers", default="sync",
                        help=f"gunicorn worker kinds to serve with, of {','.join(WORKERS)}")
    args = parser.parse_args()
    cases = set(args.cases.split(",")) - ({"serve"} if args.skip_serve else set())
    workers = args.workers.split(",")
    if cases - set(CASES) or set(workers) - set(WORKERS):
        parser.error(f"--cases takes {','.join(CASES)}; --workers takes {','.join(WORKERS)}")
    trees = ([("baseline", args.baseline.resolve())] if args.baseline else []) + [("now", ROOT)]
    work = Path(tempfile.mkdtemp(prefix="timeline-hostile-"))
    from benchmarks.load import big_file

    def each_tree(case, *case_args, **options):
        for name, tree in trees:
            os.environ["TIMELINE_CACHE_DIR"] = str(work / f"store-{name}")  # each code its own Parquet store
            case(name, tree, *case_args, **options)

    big = big_file(work) if cases & {"actors", "downloads", "serve-big"} else None
    if cases & {"actors", "downloads"}:
        for kind in workers:
            print(f"gunicorn -w 2 ({kind}{' --threads 8' if WORKERS[kind] else ''}), 127.0.0.1; 100,000 events; "
                  "a reader polls the figure callback every 50 ms", flush=True)
            each_tree(gunicorn_cases, big, work, cases, options=WORKERS[kind], rounds=args.rounds)
    if "body" in cases:
        each_tree(body_case, ROOT / "events.csv", work, int(args.body_gb * 1e9))
    if "serve" in cases:
        each_tree(serve_case, ROOT / "events.csv", work, args.rounds)
    if "serve-big" in cases:
        each_tree(serve_case, big, work, args.rounds, "100,000 events")


if __name__ == "__main__":
    main()
