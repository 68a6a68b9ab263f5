"""What does a reader's first visit cost: bytes over the wire and time to the first drawn chart?

Serves events.csv with the app of this checkout and, in the same run, with the app of an
earlier checkout (``--before``, e.g. ``git worktree add /tmp/before-load <commit>``), each in its
own process (werkzeug on 127.0.0.1, a free port), and loads the default page in headless
Chromium at 1280x800:

1. cold: a fresh browser context, so an empty HTTP cache. "transferred" is every byte the
   browser received (headers and bodies as sent, so compressed where the server compressed)
   from navigation until the chart is drawn and the network has been quiet for 500 ms.
2. warm: the same context loads the page a second time, as a reader coming back: what the
   first visit cached is reused as the server's cache headers allow.

"first chart" is the time from navigation start until the graph has drawn its traces and the
count line has its text (``page_speed.DRAWN_JS``, the same test as page_speed.py). The two
versions are loaded alternately, run after run, so that both see the same machine; medians of
``--runs``. Console warnings and errors seen on any load are listed at the end.

    git worktree add /tmp/before-load <commit>
    .venv/bin/python benchmarks/first_load.py --before /tmp/before-load [--runs 5] [--file events.csv]

Both run on this environment's Python, so the older checkout's imports must be installed here
(the code up to 40bea99 also needs dash-ag-grid).

Targets (from issue 12): under 2 MB transferred on a cold load, under 2 s to the first chart
with a warm cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from page_speed import CHROMIUM, CHROMIUM_ARGS, DRAWN_JS, VIEWPORT  # noqa: E402

TARGET_BYTES = 2_000_000
TARGET_WARM_S = 2.0
TIMEOUT_S = 60
# Run in a child process per checkout: two versions of the package cannot share one interpreter.
SERVE = """
import logging, sys, threading
sys.path.insert(0, sys.argv[1])
from timeline.app import create_app
from timeline.devserver import ThreadedServer
logging.getLogger("werkzeug").setLevel(logging.ERROR)
served = ThreadedServer(create_app(sys.argv[2]).server)
print(served.url, flush=True)
sys.stdin.read()  # until the benchmark closes the pipe
served.stop()
"""


class Checkout:
    """One version of the app, served from its own folder in a child process."""

    def __init__(self, label: str, folder: Path, events: Path):
        self.label = label
        self.folder = folder
        commit = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True)
        self.commit = (commit.stdout.strip() or "?") + (" + changes" if dirty.stdout.strip() else "")
        self._process = subprocess.Popen([sys.executable, "-c", SERVE, str(folder), str(events)], cwd=folder,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.url = self._process.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.stop()
            raise SystemExit(f"{label}: the app in {folder} did not start")
        self.cold: list[dict] = []
        self.warm: list[dict] = []

    def stop(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def load(page, cdp, url: str, console: list[str]) -> dict:
    """One page load: bytes received, requests, seconds to the first drawn chart."""
    received: dict[str, int] = {}
    requests: set[str] = set()
    cached: set[str] = set()

    def on_request(event):
        requests.add(event["requestId"])

    def on_finished(event):
        received[event["requestId"]] = event["encodedDataLength"]

    def on_cache(event):
        cached.add(event["requestId"])

    cdp.on("Network.requestWillBeSent", on_request)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.requestServedFromCache", on_cache)
    before = len(console)
    page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
    page.wait_for_function(DRAWN_JS, arg=["#timeline-graph", True], polling="raf", timeout=TIMEOUT_S * 1000)
    drawn = page.evaluate("window.__drawnAt") / 1000
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_S * 1000)
    cdp.remove_listener("Network.requestWillBeSent", on_request)
    cdp.remove_listener("Network.loadingFinished", on_finished)
    cdp.remove_listener("Network.requestServedFromCache", on_cache)
    return {"bytes": sum(received.values()), "requests": len(requests), "from_cache": len(cached),
            "drawn_s": drawn, "console": console[before:]}


def visit(browser, checkout: Checkout) -> None:
    """A first visit and a return visit in one browser context (its own, empty, HTTP cache)."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: m.type in ("warning", "error") and console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        checkout.cold.append(load(page, cdp, checkout.url, console))
        page.goto("about:blank")
        checkout.warm.append(load(page, cdp, checkout.url, console))
    finally:
        context.close()


def median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def report(checkouts: list[Checkout], runs: int) -> None:
    print()
    print(f"first load of the default page (1280x800, headless Chromium, loopback; median of {runs}):")
    header = (f"{'':<8} {'code':<18} | {'cold: transferred':>17} {'requests':>8} {'first chart':>11} | "
              f"{'warm: transferred':>17} {'from cache':>10} {'first chart':>11}")
    print(header)
    print("-" * len(header))
    for c in checkouts:
        print(f"{c.label:<8} {c.commit:<18} | {median(c.cold, 'bytes') / 1e6:>14.2f} MB "
              f"{median(c.cold, 'requests'):>8.0f} {median(c.cold, 'drawn_s'):>9.2f} s | "
              f"{median(c.warm, 'bytes') / 1e6:>14.2f} MB {median(c.warm, 'from_cache'):>10.0f} "
              f"{median(c.warm, 'drawn_s'):>9.2f} s")
    print()
    for c in checkouts:
        cold = ", ".join(f"{r['drawn_s']:.2f}" for r in c.cold)
        warm = ", ".join(f"{r['drawn_s']:.2f}" for r in c.warm)
        print(f"{c.label}: first chart cold {cold} s; warm {warm} s")
    if len(checkouts) == 2:
        before, now = checkouts
        print(f"\ntransferred cold: {median(before.cold, 'bytes') / median(now.cold, 'bytes'):.1f}x less; "
              f"first chart cold {median(before.cold, 'drawn_s') / median(now.cold, 'drawn_s'):.1f}x, "
              f"warm {median(before.warm, 'drawn_s') / median(now.warm, 'drawn_s'):.1f}x sooner")
    now = checkouts[-1]
    cold_bytes, warm_s = median(now.cold, "bytes"), median(now.warm, "drawn_s")
    print()
    print(f"{'PASS' if cold_bytes < TARGET_BYTES else 'MISS'}  cold load transfers {cold_bytes / 1e6:.2f} MB "
          f"< {TARGET_BYTES / 1e6:g} MB")
    print(f"{'PASS' if warm_s < TARGET_WARM_S else 'MISS'}  first chart with a warm cache in {warm_s:.2f} s "
          f"< {TARGET_WARM_S:g} s")
    print()
    for c in checkouts:
        messages = Counter(line for run in c.cold + c.warm for line in run["console"])
        if not messages:
            print(f"{c.label}: no console warning or error")
        for line, count in messages.items():
            print(f"{c.label}: console, {count} of {2 * runs} loads: {line[:300]}")
    try:
        print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    except OSError:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, default=None,
                        help="a checkout of the code to compare with (e.g. a git worktree of an older commit)")
    parser.add_argument("--runs", type=int, default=5, help="cold and warm loads per version (median)")
    parser.add_argument("--file", type=Path, default=ROOT / "events.csv", help="the events file served")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be positive")
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} not found")
    if args.before is not None and not (args.before / "timeline" / "app.py").is_file():
        raise SystemExit(f"{args.before} is not a checkout of this project (no timeline/app.py)")
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    checkouts: list[Checkout] = []
    try:
        if args.before is not None:
            checkouts.append(Checkout("before", args.before.resolve(), args.file.resolve()))
        checkouts.append(Checkout("now", ROOT, args.file.resolve()))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for checkout in checkouts:  # the servers read their files once before anything is timed
                    visit(browser, checkout)
                    checkout.cold.clear()
                    checkout.warm.clear()
                for run in range(args.runs):
                    for checkout in checkouts:
                        visit(browser, checkout)
                    print(f"  run {run + 1} of {args.runs} done", flush=True)
            finally:
                browser.close()
    finally:
        for checkout in checkouts:
            checkout.stop()
    report(checkouts, args.runs)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
