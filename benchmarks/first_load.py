"""What does a reader's first visit cost: bytes over the wire, time to the first drawn chart,
and how fast does the chart follow a filter change?

Serves an events file (events.csv, or ``--events N`` synthetic events as page_speed.py writes
them) with the app of this checkout and, in the same run, with the app of an earlier checkout
(``--before``, e.g. ``git worktree add /tmp/before-load <commit>``), each in its own process
(werkzeug on 127.0.0.1, a free port, a fresh state folder), and loads the default page in
headless Chromium at 1280x800:

1. cold: a fresh browser context, so an empty HTTP cache. "transferred" is every byte the
   browser received (headers and bodies as sent, so compressed where the server compressed)
   from navigation until Dash's page has drawn its chart (and taken the first paint's place)
   and the network has been quiet for 500 ms.
2. warm: the same context loads the page a second time, as a reader coming back: what the
   first visit cached is reused as the server's cache headers allow.
3. bare: the floor for the cold first chart. A page holding only the plotly.js bundle this
   checkout serves (assets/plotly-timeline.min.js) and the figure JSON and config the app
   answered for the default view, drawn with ``Plotly.newPlot``; served by the same server
   (so compressed the same way), in a fresh context each time.
4. redraw: in one loaded page per version, filter changes made as a reader makes them (a
   control's value set through ``dash_clientside.set_props``, so the address follows, then
   the render callback runs: the address callback first, in versions before 3ffe843), each view asked for once before the timed rounds so that the
   server's figure cache answers (the ``X-Figure-Cache`` header is counted). Timed from the
   change to the end of the ``Plotly.react`` that draws the new figure, split into: until
   the last callback answer before the redraw arrived (callbacks and network), until Dash
   handed the figure to Plotly, and Plotly's own ``react``.

"first chart" is the time from navigation start until the graph has drawn its traces and the
count line has its text (``page_speed.DRAWN_JS``, the same test as page_speed.py), in Dash's
page or, from 2026-12 on, in the page's first paint (``timeline.firstpaint``: a copy of the page
the index carries, drawn before Dash starts, which Dash's page replaces once it shows the same). The
versions and the bare page are loaded alternately, run after run, so that all see the same
machine; medians of ``--runs`` (redraw: of every timed change). Console warnings and errors
seen on any load are listed at the end.

    git worktree add /tmp/before-load <commit>
    .venv/bin/python benchmarks/first_load.py --before /tmp/before-load [--runs 5] [--events 100000]
        [--file events.csv] [--redraw-rounds 3] [--screenshots DIR]

Both run on this environment's Python, so the older checkout's imports must be installed here
(the code up to 40bea99 also needs dash-ag-grid).

Targets (issue 12): under 2 MB transferred on a cold load, under 2 s to the first chart with a
warm cache. Issue 19 ("a lighter page"), at 100,000 events: at most 1.0 MB transferred on a
cold load; the cold first chart at most 1.25x the bare page's; a filter change answered from
the server's cache redrawn in at most 150 ms (median).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from page_speed import CHROMIUM, CHROMIUM_ARGS, DRAWN_JS, VIEWPORT  # noqa: E402

# DRAWN_JS, or the same test on the page's first paint (timeline.firstpaint), whichever is first.
FIRST_JS = """([sel, traces]) => {
  const copy = sel === '#timeline-graph' && document.getElementById('first-paint');
  const gd = copy && copy.querySelector('[data-first="timeline-graph"]');
  const count = copy && copy.querySelector('[data-first="event-count"]');
  if (gd && count && count.textContent.trim() && gd.querySelector('.main-svg') && gd._fullData
      && gd._fullData.length && gd.querySelector('.trace, .hm, .gl-canvas')) {
    window.__drawnAt = window.__drawnAt || performance.now();
    return true;
  }
  return (""" + DRAWN_JS + """)([sel, traces]);
}"""
# Dash's page has drawn its chart and the first paint, if any, is gone.
TAKEN_OVER_JS = """([sel]) => sel !== '#timeline-graph' || (!document.getElementById('first-paint')
  && (""" + DRAWN_JS + """)([sel, false]))"""
TARGET_BYTES = 2_000_000
TARGET_WARM_S = 2.0
TARGET_LIGHT_BYTES = 1_000_000  # issue 19
TARGET_BARE_RATIO = 1.25
TARGET_REDRAW_MS = 150
TIMEOUT_S = 60
BUNDLE = ROOT / "assets" / "plotly-timeline.min.js"
# Filter changes, as a reader makes them: (control, value). Half of them go back to the default.
CHANGES = [("kind-filter", ["talks"]), ("kind-filter", []), ("status-filter", ["planned"]), ("status-filter", []),
           ("lane-mode", "actors"), ("lane-mode", "states"), ("text-filter", "ceasefire"), ("text-filter", "")]
# Run in a child process per checkout: two versions of the package cannot share one interpreter.
# /_bare/ serves the bare page's folder through the same Flask app (compressed the same way).
SERVE = """
import logging, sys, threading
sys.path.insert(0, sys.argv[1])
from flask import send_from_directory
from timeline.app import create_app
from timeline.devserver import ThreadedServer
logging.getLogger("werkzeug").setLevel(logging.ERROR)
app = create_app(sys.argv[2])
app.server.add_url_rule("/_bare/<path:name>", "bare", lambda name: send_from_directory(sys.argv[3], name))
served = ThreadedServer(app.server)
print(served.url, flush=True)
sys.stdin.read()  # until the benchmark closes the pipe
served.stop()
"""
BARE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare</title></head>
<body style="margin:0"><div id="graph"></div>
<script src="plotly-timeline.min.js"></script>
<script>
fetch("figure.json").then(r => r.json()).then(f => Plotly.newPlot("graph", f.figure.data, f.figure.layout, f.config));
</script></body></html>
"""
# One filter change, timed in the page (no polling from outside): from the change until the
# Plotly.react that draws the answer has finished.
REDRAW_JS = """async ([id, value]) => {
  const P = window.Plotly;
  if (!P.__timed) {
    const react = P.react;
    P.react = function (...args) {
      const started = performance.now();
      const done = react.apply(this, args);
      const waiting = window.__waiting;
      window.__waiting = null;
      if (waiting) { Promise.resolve(done).then(() => waiting(started)); }
      return done;
    };
    P.__timed = true;
  }
  performance.clearResourceTimings();
  const t0 = performance.now();
  const started = await new Promise((resolve, reject) => {
    window.__waiting = resolve;
    setTimeout(() => reject(new Error("no redraw within 30 s")), 30000);
    window.dash_clientside.set_props(id, {value: value});
  });
  const t1 = performance.now();
  const answered = performance.getEntriesByType("resource")
    .filter(e => e.name.includes("_dash-update-component") && e.responseEnd <= started)
    .reduce((last, e) => Math.max(last, e.responseEnd), t0);
  await new Promise(r => setTimeout(r, 400));  // the list and the rest of the page settle
  return {total: t1 - t0, answered: answered - t0, handed: started - answered, react: t1 - started};
}"""


class Checkout:
    """One version of the app, served from its own folder in a child process."""

    def __init__(self, label: str, folder: Path, events: Path, bare: Path, state: Path):
        self.label = label
        self.folder = folder
        commit = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True)
        self.commit = (commit.stdout.strip() or "?") + (" + changes" if dirty.stdout.strip() else "")
        env = dict(os.environ, TIMELINE_STATE_DIR=str(state / "state"), TIMELINE_CACHE_DIR=str(state / "cache"))
        self._process = subprocess.Popen([sys.executable, "-c", SERVE, str(folder), str(events), str(bare)],
                                         cwd=folder, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        self.url = self._process.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.stop()
            raise SystemExit(f"{label}: the app in {folder} did not start")
        self.cold: list[dict] = []
        self.warm: list[dict] = []
        self.redraws: list[dict] = []
        self.bare: list[dict] = []  # the bare page's loads (the "now" version only)
        self.cache = Counter()  # X-Figure-Cache answers during the timed redraws

    def stop(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def load(page, cdp, url: str, console: list[str], selector: str = "#timeline-graph") -> dict:
    """One page load: bytes received, requests, seconds to the first drawn chart."""
    received: dict[str, int] = {}
    requests: set[str] = set()
    cached: set[str] = set()
    plotly_min: list[str] = []

    def on_request(event):
        requests.add(event["requestId"])
        if "plotly.min.js" in event["request"]["url"]:
            plotly_min.append(event["request"]["url"])

    def on_finished(event):
        received[event["requestId"]] = event["encodedDataLength"]

    def on_cache(event):
        cached.add(event["requestId"])

    cdp.on("Network.requestWillBeSent", on_request)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.requestServedFromCache", on_cache)
    before = len(console)
    page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
    page.wait_for_function(FIRST_JS, arg=[selector, True], polling="raf", timeout=TIMEOUT_S * 1000)
    drawn = page.evaluate("window.__drawnAt") / 1000
    # Dash's page in charge (its scripts follow the first paint: the network may pause before them).
    page.wait_for_function(TAKEN_OVER_JS, arg=[selector], timeout=TIMEOUT_S * 1000)
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_S * 1000)
    cdp.remove_listener("Network.requestWillBeSent", on_request)
    cdp.remove_listener("Network.loadingFinished", on_finished)
    cdp.remove_listener("Network.requestServedFromCache", on_cache)
    return {"bytes": sum(received.values()), "requests": len(requests), "from_cache": len(cached),
            "drawn_s": drawn, "console": console[before:], "plotly_min": plotly_min}


def _context(browser, console: list[str]):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.on("console", lambda m: m.type in ("warning", "error") and console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    return context, page, cdp


def visit(browser, checkout: Checkout) -> None:
    """A first visit and a return visit in one browser context (its own, empty, HTTP cache)."""
    console: list[str] = []
    context, page, cdp = _context(browser, console)
    try:
        checkout.cold.append(load(page, cdp, checkout.url, console))
        page.goto("about:blank")
        checkout.warm.append(load(page, cdp, checkout.url, console))
    finally:
        context.close()


def visit_bare(browser, checkout: Checkout) -> None:
    """The bare page (bundle + figure JSON), served by ``checkout``'s server, with an empty cache."""
    console: list[str] = []
    context, page, cdp = _context(browser, console)
    try:
        checkout.bare.append(load(page, cdp, checkout.url + "_bare/bare.html", console, selector="#graph"))
    finally:
        context.close()


def write_bare_page(browser, checkout: Checkout, folder: Path) -> None:
    """The bare page's files: this checkout's bundle, and the figure and config the app answers
    for the default view at 1280x800 (taken from the page's own render callback)."""
    answers = []
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.on("response", lambda r: "_dash-update-component" in r.url and answers.append(r))
        page.goto(checkout.url, timeout=TIMEOUT_S * 1000)
        page.wait_for_function(DRAWN_JS, arg=["#timeline-graph", True], polling="raf", timeout=TIMEOUT_S * 1000)
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_S * 1000)
        for answer in answers:
            body = answer.json().get("response", {})
            if "figure" in body.get("timeline-graph", {}):
                figure, config = body["timeline-graph"]["figure"], body["timeline-graph"].get("config")
        if config is None:  # set once in the page's layout, not by the callback
            config = _graph_config(page.request.get(checkout.url + "_dash-layout").json())
    finally:
        context.close()
    (folder / "figure.json").write_text(json.dumps({"figure": figure, "config": config}), encoding="utf-8")
    (folder / "bare.html").write_text(BARE_PAGE, encoding="utf-8")
    shutil.copy(BUNDLE, folder / BUNDLE.name)


def _graph_config(node) -> dict | None:
    """The chart's config in the page's layout (Dash's JSON of the component tree)."""
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == "timeline-graph":
            return props.get("config")
        node = props.get("children") if "props" in node else None
    for child in node if isinstance(node, list) else [node] if isinstance(node, dict) else []:
        found = _graph_config(child)
        if found is not None:
            return found
    return None


def redraw(browser, checkouts: list[Checkout], rounds: int, shots: Path | None = None) -> None:
    """Filter changes in one loaded page per version, the versions taking turns change by
    change: a first round fills the servers' figure caches, the next ``rounds`` are timed."""
    pages = []
    try:
        for checkout in checkouts:
            console: list[str] = []
            context, page, cdp = _context(browser, console)
            cache: list[str] = []
            page.on("response", lambda r, cache=cache: "_dash-update-component" in r.url
                    and r.headers.get("x-figure-cache") and cache.append(r.headers["x-figure-cache"]))
            pages.append((checkout, context, page, cache))
            load(page, cdp, checkout.url, console)
            checkout.redraw_console = console
            if shots is not None:
                page.screenshot(path=str(shots / f"{checkout.label}.png"))
        for round_ in range(rounds + 1):
            for control, value in CHANGES:
                for checkout, _, page, cache in pages:
                    cache.clear()
                    timing = page.evaluate(REDRAW_JS, [control, value])
                    if round_:
                        checkout.redraws.append(dict(timing, change=f"{control}={value}"))
                        checkout.cache.update(cache)
    finally:
        for _, context, _, _ in pages:
            context.close()


def median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def report(checkouts: list[Checkout], runs: int, events_label: str) -> None:
    print()
    print(f"first load of the default page of {events_label} (1280x800, headless Chromium, loopback; "
          f"median of {runs}):")
    header = (f"{'':<8} {'code':<18} | {'cold: transferred':>17} {'requests':>8} {'first chart':>11} | "
              f"{'warm: transferred':>17} {'from cache':>10} {'first chart':>11}")
    print(header)
    print("-" * len(header))
    now = checkouts[-1]
    for c in checkouts:
        print(f"{c.label:<8} {c.commit:<18} | {median(c.cold, 'bytes') / 1e6:>14.2f} MB "
              f"{median(c.cold, 'requests'):>8.0f} {median(c.cold, 'drawn_s'):>9.2f} s | "
              f"{median(c.warm, 'bytes') / 1e6:>14.2f} MB {median(c.warm, 'from_cache'):>10.0f} "
              f"{median(c.warm, 'drawn_s'):>9.2f} s")
    if now.bare:
        print(f"{'bare':<8} {'bundle + figure':<18} | {median(now.bare, 'bytes') / 1e6:>14.2f} MB "
              f"{median(now.bare, 'requests'):>8.0f} {median(now.bare, 'drawn_s'):>9.2f} s |")
    print()
    for c in checkouts:
        cold = ", ".join(f"{r['drawn_s']:.2f}" for r in c.cold)
        warm = ", ".join(f"{r['drawn_s']:.2f}" for r in c.warm)
        print(f"{c.label}: first chart cold {cold} s; warm {warm} s")
        full = sorted({url.split("?")[0] for r in c.cold + c.warm for url in r["plotly_min"]})
        print(f"{c.label}: Dash's full plotly.min.js {'asked for: ' + ', '.join(full) if full else 'never asked for'}")
    if now.bare:
        bare = ", ".join(f"{r['drawn_s']:.2f}" for r in now.bare)
        print(f"bare: first chart cold {bare} s")
    if len(checkouts) == 2:
        before = checkouts[0]
        print(f"\ntransferred cold: {median(before.cold, 'bytes') / median(now.cold, 'bytes'):.1f}x less; "
              f"first chart cold {median(before.cold, 'drawn_s') / median(now.cold, 'drawn_s'):.1f}x, "
              f"warm {median(before.warm, 'drawn_s') / median(now.warm, 'drawn_s'):.1f}x sooner")
    if any(c.redraws for c in checkouts):
        print(f"\nredraw after a filter change answered from the server's cache (ms; median of "
              f"{len(now.redraws)} changes, p90 in brackets):")
        header = f"{'':<8} | {'total':>12} | {'answered':>9} {'to Plotly':>9} {'react':>12} | figure cache"
        print(header)
        print("-" * len(header))
        for c in checkouts:
            if not c.redraws:
                continue
            p90 = lambda key: statistics.quantiles([r[key] for r in c.redraws], n=10)[-1]  # noqa: E731
            print(f"{c.label:<8} | {median(c.redraws, 'total'):>5.0f} ({p90('total'):>4.0f}) | "
                  f"{median(c.redraws, 'answered'):>9.0f} {median(c.redraws, 'handed'):>9.0f} "
                  f"{median(c.redraws, 'react'):>5.0f} ({p90('react'):>4.0f}) | "
                  f"{', '.join(f'{n} {k}' for k, n in sorted(c.cache.items()))}")
        for c in checkouts:
            per = {}
            for r in c.redraws:
                per.setdefault(r["change"], []).append(r["total"])
            print(f"{c.label}: " + "; ".join(f"{k} {statistics.median(v):.0f}" for k, v in per.items()))
    cold_bytes, warm_s = median(now.cold, "bytes"), median(now.warm, "drawn_s")
    print()
    print(f"{'PASS' if cold_bytes < TARGET_BYTES else 'MISS'}  cold load transfers {cold_bytes / 1e6:.2f} MB "
          f"< {TARGET_BYTES / 1e6:g} MB")
    print(f"{'PASS' if warm_s < TARGET_WARM_S else 'MISS'}  first chart with a warm cache in {warm_s:.2f} s "
          f"< {TARGET_WARM_S:g} s")
    print(f"{'PASS' if cold_bytes <= TARGET_LIGHT_BYTES else 'MISS'}  cold load transfers {cold_bytes / 1e6:.2f} MB "
          f"<= {TARGET_LIGHT_BYTES / 1e6:g} MB")
    if now.bare:
        ratio = median(now.cold, "drawn_s") / median(now.bare, "drawn_s")
        print(f"{'PASS' if ratio <= TARGET_BARE_RATIO else 'MISS'}  cold first chart {median(now.cold, 'drawn_s'):.2f} s"
              f" = {ratio:.2f}x the bare page's {median(now.bare, 'drawn_s'):.2f} s <= {TARGET_BARE_RATIO:g}x")
    if now.redraws:
        total = median(now.redraws, "total")
        print(f"{'PASS' if total <= TARGET_REDRAW_MS else 'MISS'}  redraw after a cached filter change "
              f"{total:.0f} ms <= {TARGET_REDRAW_MS} ms (median)")
    print()
    for c in checkouts:
        messages = Counter(line for run in c.cold + c.warm + c.bare for line in run["console"])
        messages.update(getattr(c, "redraw_console", []))
        if not messages:
            print(f"{c.label}: no console warning or error")
        for line, count in messages.items():
            print(f"{c.label}: console, {count} times: {line[:300]}")
    try:
        print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    except OSError:
        pass


def synthetic_events(n: int, folder: Path) -> Path:
    """``n`` synthetic events as page_speed.py writes them (seed 0), with their actors.csv."""
    from page_speed import write_events
    from synthetic import synthetic_frame

    return write_events(synthetic_frame(n, seed=0), folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, default=None,
                        help="a checkout of the code to compare with (e.g. a git worktree of an older commit)")
    parser.add_argument("--runs", type=int, default=5, help="cold and warm loads per version (median)")
    parser.add_argument("--file", type=Path, default=ROOT / "events.csv", help="the events file served")
    parser.add_argument("--events", type=int, default=None,
                        help="serve this many synthetic events instead of --file (e.g. 100000)")
    parser.add_argument("--redraw-rounds", type=int, default=3,
                        help=f"timed rounds of the {len(CHANGES)} filter changes per version (0: none)")
    parser.add_argument("--screenshots", type=Path, default=None,
                        help="save the loaded default page of each version as DIR/<label>.png (1280x800; "
                             "with --redraw-rounds above 0)")
    args = parser.parse_args()
    if args.runs < 1 or args.redraw_rounds < 0:
        parser.error("--runs must be positive, --redraw-rounds not negative")
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} not found")
    if args.before is not None and not (args.before / "timeline" / "app.py").is_file():
        raise SystemExit(f"{args.before} is not a checkout of this project (no timeline/app.py)")
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="first_load-"))
    checkouts: list[Checkout] = []
    try:
        events = args.file.resolve()
        label = args.file.name
        if args.events is not None:
            events = synthetic_events(args.events, work / "events")
            label = f"{args.events:,} synthetic events"
        bare = work / "bare"
        bare.mkdir()
        if args.screenshots is not None:
            args.screenshots.mkdir(parents=True, exist_ok=True)
        if args.before is not None:
            checkouts.append(Checkout("before", args.before.resolve(), events, bare, work / "before"))
        checkouts.append(Checkout("now", ROOT, events, bare, work / "now"))
        now = checkouts[-1]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for checkout in checkouts:  # the servers read their files once before anything is timed
                    visit(browser, checkout)
                    checkout.cold.clear()
                    checkout.warm.clear()
                write_bare_page(browser, now, bare)
                visit_bare(browser, now)
                now.bare.clear()
                for run in range(args.runs):
                    for checkout in checkouts:
                        visit(browser, checkout)
                    visit_bare(browser, now)
                    print(f"  run {run + 1} of {args.runs} done", flush=True)
                if args.redraw_rounds:
                    redraw(browser, checkouts, args.redraw_rounds, args.screenshots)
                    print("  redraws done", flush=True)
            finally:
                browser.close()
        report(checkouts, args.runs, label)
    finally:
        for checkout in checkouts:
            checkout.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
