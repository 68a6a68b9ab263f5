"""Many readers of one view: the figure callback under gunicorn, this code beside a baseline's.

Serves an events file with ``gunicorn -w 2`` (sync workers, 127.0.0.1 only, a free port,
a fresh state folder) from this checkout and from ``--baseline`` (a git worktree of the
code before, for example ``git worktree add --detach /tmp/before cdf9313``), and sends
the figure callback's request for one view -- the body the page posts when the address
changes, built from that checkout's own ``app.callback_map`` -- from ``--concurrency``
readers at once (client processes of 25 threads each, a new connection per request,
``Accept-Encoding: gzip`` as browsers send), ``--requests`` in all after one warm-up
request per worker. Prints p50 and p99 latency and requests per second.

Two cases, as in issue 10: events.csv with 100 readers; a synthetic file of 100,000
events (benchmarks/synthetic.py, seed 0) with 20 readers.

    .venv/bin/python benchmarks/load.py [--baseline /tmp/before] [--requests 3000] [--big-requests 400]

Targets: events.csv p99 < 300 ms and > 500 requests/s; 100,000 events p50 < 100 ms.
Bounded: every request has a 60 s timeout, every server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VIEW = "?lanes=actors"
PER_PROCESS = 25

BODY = """
import json, sys
from timeline.app import create_app
app = create_app(sys.argv[1])
key = next(k for k in app.callback_map if "timeline-graph.figure" in k)
spec = app.callback_map[key]
values = {("url", "search"): sys.argv[2], ("chart-size", "data"): {"width": 1232, "height": 700}}
values[("data-version", "data")] = None
print(json.dumps({"output": key,
                  "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
                  "inputs": [{"id": i["id"], "property": i["property"], "value": values.get((i["id"], i["property"]))}
                             for i in spec["inputs"]],
                  "state": [{"id": s["id"], "property": s["property"]} for s in spec.get("state", [])],
                  "changedPropIds": ["url.search"]}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, tree: Path, events: Path, state: Path, options: tuple[str, ...] = ()):
        self.port = free_port()
        env = {**os.environ, "TIMELINE_EVENTS": str(events), "TIMELINE_STATE_DIR": str(state),
               "PYTHONPATH": str(tree)}
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{self.port}", "--timeout", "300", "--backlog", "2048",
             "--chdir", str(tree), *options, "timeline.app:server"],
            cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/", None)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn for {tree} did not answer")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def request(port: int, method: str, path: str, body: bytes | None) -> tuple[int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Accept-Encoding": "gzip"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def client(port: int, body: bytes, count: int, threads: int, start_at: float, out) -> None:
    """One client process: ``threads`` readers sharing ``count`` requests; sends back latencies (s)."""
    times, failures, lock, left = [], [0], threading.Lock(), [count]

    def reader():
        while True:
            with lock:
                if left[0] == 0:
                    return
                left[0] -= 1
            began = time.perf_counter()
            try:
                status, _ = request(port, "POST", "/_dash-update-component", body)
            except OSError:
                status = 0
            elapsed = time.perf_counter() - began
            with lock:
                times.append(elapsed)
                if status != 200:
                    failures[0] += 1

    while time.time() < start_at:
        time.sleep(0.001)
    workers = [threading.Thread(target=reader) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put((times, failures[0]))


def load(port: int, body: bytes, requests: int, concurrency: int) -> dict:
    processes = max(1, concurrency // PER_PROCESS)
    threads = concurrency // processes
    queue = multiprocessing.Queue()
    start_at = time.time() + 1.0
    share = [requests // processes + (1 if i < requests % processes else 0) for i in range(processes)]
    clients = [multiprocessing.Process(target=client, args=(port, body, n, threads, start_at, queue))
               for n in share]
    for c in clients:
        c.start()
    results = [queue.get(timeout=600) for _ in clients]
    wall = time.time() - start_at
    for c in clients:
        c.join()
    times = sorted(t for chunk, _ in results for t in chunk)
    return {"p50": statistics.median(times) * 1000, "p99": times[int(0.99 * (len(times) - 1))] * 1000,
            "rps": len(times) / wall, "failed": sum(f for _, f in results)}


def body_for(tree: Path, events: Path) -> bytes:
    done = subprocess.run([sys.executable, "-c", BODY, str(events), VIEW], cwd=tree, capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(tree), "TIMELINE_STATE_DIR": tempfile.mkdtemp()},
                          check=True, timeout=600)
    return done.stdout.strip()


def measure(tree: Path, events: Path, requests: int, concurrency: int, work: Path) -> dict:
    body = body_for(tree, events)
    state = Path(tempfile.mkdtemp(dir=work))
    server = Gunicorn(tree, events, state)
    try:
        for _ in range(4):  # each worker computes (or finds) the figure once before the clock starts
            request(server.port, "POST", "/_dash-update-component", body)
        return load(server.port, body, requests, concurrency)
    finally:
        server.stop()


def big_file(work: Path) -> Path:
    from benchmarks.page_speed import write_events
    from benchmarks.synthetic import synthetic_frame

    return write_events(synthetic_frame(100_000, seed=0), work / "big")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, default=None)
    parser.add_argument("--requests", type=int, default=3000, help="requests for events.csv (100 readers)")
    parser.add_argument("--big-requests", type=int, default=400, help="requests at 100,000 events (20 readers)")
    parser.add_argument("--skip-big", action="store_true")
    args = parser.parse_args()
    trees = [("now", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    work = Path(tempfile.mkdtemp(prefix="timeline-load-"))
    try:
        cases = [("events.csv, 100 readers", ROOT / "events.csv", args.requests, 100)]
        if not args.skip_big:
            cases.append(("100,000 events, 20 readers", big_file(work), args.big_requests, 20))
        print(f"gunicorn -w 2 (sync), 127.0.0.1, view {VIEW}, Accept-Encoding: gzip")
        print(f"{'case':<28}{'code':<10}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}{'failed':>8}")
        for label, events, requests, concurrency in cases:
            for name, tree in trees:
                row = measure(tree, events, requests, concurrency, work)
                print(f"{label:<28}{name:<10}{row['p50']:>9.1f}{row['p99']:>9.1f}{row['rps']:>9.0f}"
                      f"{row['failed']:>8}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
