"""How fast is the reader's page at 1k / 10k / 100k events, end to end?

For each size this writes a synthetic events file (``synthetic.synthetic_frame``
with a fixed seed, written as the CSV editors keep, plus an actors.csv that puts
each official under their state), serves it with the real app in-process
(werkzeug on 127.0.0.1, a free port) and measures:

1. callback ms: the server time of the ``render`` callback after a filter
   change -- a POST to ``/_dash-update-component`` with the payload the browser
   sends when the address changes (built from ``app.callback_map``; the same
   shape the Dash renderer sends), over loopback HTTP, so Dash's own work and
   the JSON encoding are included. Median of ``--runs`` after one warm-up call
   per view. The file is parsed inside ``create_app`` (Dash calls the layout
   function when it is set); that time is shown apart.
2. JSON KB: the response body of that callback, asked for uncompressed; gzip KB
   is what compression makes of it (the page sends it compressed to browsers;
   benchmarks/first_load.py measures a whole first visit as transferred).
3. draw s: in headless Chromium, from navigation start (``performance.now()``)
   until the graph has its ``.main-svg`` with traces drawn and ``#event-count``
   has text; a fresh browser context (empty cache) per run, median of
   ``--draw-runs``.

Compared, in the same run, with the straightforward build: ONE ``px.timeline``
over every event (y = first actor, colour = kind, hover data on every bar),
timed as build + ``to_json`` server side, its JSON size, and its draw time in
the same Chromium (a minimal page with the local plotly.min.js, served from
127.0.0.1; no CDN), capped at ``--base-timeout`` seconds.

    cd /work/main && .venv/bin/python benchmarks/page_speed.py [--sizes 1000,10000,100000]
        [--runs 7] [--draw-runs 3] [--base-timeout 60] [--check] [--profile] [--no-browser]

``--check`` runs ``python -m timeline check`` on each generated file; ``--profile``
prints a cProfile of the render callback at the largest size.

Targets (from the issue): callback < 50 ms at 10k and < 500 ms at 100k;
callback JSON < 5 MB at 100k; chart drawn < 3 s at 100k.

``--gunicorn`` measures instead the page as production serves it (issue 9, "the page at a
million"): the file under ``gunicorn -w 2`` (sync workers, 127.0.0.1, a fresh state
folder), and per size, in columns side by side:

1. start-up: seconds from starting gunicorn until each worker has loaded the file and
   indexed it (gunicorn's ``post_worker_init`` hook, in a config file written for the run)
   and until the first page answers; twice: a first start, which reads the CSV and fills
   the loader's store (``TIMELINE_CACHE_DIR``, in the run's folder), and a restart, which
   reads the store, after which everything else is measured. Each worker's RSS at ready,
   and what the data frame and the page's index hold of it.
2. filter change: the render callback's time, as a browser sends it (gzip accepted), for
   ``len(CHANGES)`` filter changes of four sorts (an actor, a kind, a period, a text
   search), each a view never asked for before, so the shared figure cache cannot answer
   it (the server says so in its ``X-Figure-Cache`` header, printed per request); median
   and p90, and the slowest. One view asked again shows what a cache hit costs.
3. each worker's peak RSS (``VmHWM`` in ``/proc/<pid>/status``) and RSS at the end.
4. draw s: the default page in headless Chromium, as above: the first load (its figure
   computed) and the median of ``--draw-runs`` loads after it (the figure cache answers).

    .venv/bin/python benchmarks/page_speed.py --gunicorn --sizes 100000,1000000

Targets at 1,000,000 events: a filter change < 300 ms, each worker < 1.5 GB, the default
view drawn < 4 s.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import http.client
import http.server
import io
import json
import logging
import os
import pstats
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import plotly  # noqa: E402
import plotly.express as px  # noqa: E402
from synthetic import AS_OF, members, synthetic_frame  # noqa: E402

from timeline.events import load_events  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 800}
HEADER = "date,end_date,reported,title,actors,kind,status,location,source,url,notes"
FIRST, LAST = (AS_OF - pd.DateOffset(years=30)).date(), (AS_OF + pd.Timedelta(days=6)).date()
# Filter changes, as the address the page moves to (the render callback's input).
VIEWS = {
    "default": "",
    "one actor": "?actor=" + quote("State 03"),
    "kind": "?kind=talks",
    "search": "?q=ceasefire",
    "whole span": f"?window={FIRST.isoformat()}..{LAST.isoformat()}",
}
TARGETS = {  # events -> (callback ms, JSON bytes, draw s); None = no target at that size
    10_000: (50, None, None),
    100_000: (500, 5 * 1024 * 1024, 3.0),
}
# Filter changes under gunicorn, each a view no reader asked for before (a figure-cache miss).
CHANGES = [
    ("actor", "?actor=" + quote("State 03")),
    ("actor", "?actor=" + quote("Official 02-1")),
    ("actor", "?actor=" + quote("State 07") + "&actor=" + quote("State 01")),
    ("actor", "?actor=" + quote("Official 05-3") + "&lanes=kinds"),
    ("kind", "?kind=talks"),
    ("kind", "?kind=deadline&kind=summit"),
    ("kind", "?kind=proposal&status=planned"),
    ("kind", "?kind=sanction&lanes=actors"),
    ("period", "?from=2010-01-01&to=2012-12-31"),
    ("period", "?from=2025-01-01"),
    ("period", "?to=2000-06-30"),
    ("period", "?from=1999-03-01&to=1999-03-31&lanes=actors"),
    ("search", "?q=ceasefire"),
    ("search", "?q=Geneva"),
    ("search", "?q=grain+corridor"),
    ("search", "?q=%2342"),
]
TARGETS_AT_SCALE = {1_000_000: (300, 1.5 * 2**30, 4.0)}  # events -> (filter change ms, worker RSS, draw s)
# gunicorn's config for the run: each worker notes when it has loaded the app (the events file
# parsed and indexed) and what it holds then.
GUNICORN_CONFIG = """
import json, os, sys, time

def post_worker_init(worker):
    ready = time.time()
    from timeline import filters

    def status():
        with open(f"/proc/{os.getpid()}/status") as f:
            return {k: int(v.split()[0]) * 1024 for k, v in (line.split(":", 1) for line in f)
                    if k in ("VmRSS", "VmHWM")}

    frame_bytes = index_bytes = 0
    for ref, index in list(filters._INDEXES.values()):
        frame = ref()
        if frame is not None:
            frame_bytes += int(frame.memory_usage(deep=True).sum())
        index_bytes += sum(v.nbytes for v in vars(index).values() if hasattr(v, "nbytes"))
        for field in index._text or ():
            index_bytes += sum(sys.getsizeof(text) + starts.nbytes for _, text, starts in field.blocks)
            index_bytes += field.codes.nbytes if field.codes is not None else 0
    line = dict(pid=os.getpid(), ready=ready, frame=frame_bytes, index=index_bytes, **status())
    with open({ready_file!r}, "a") as f:
        f.write(json.dumps(line) + "\\n")
"""
# True once the chart is on screen: the graph's SVG exists, Plotly has drawn its traces
# (SVG traces, heat strips or WebGL markers), and the count line has text.
DRAWN_JS = """([sel, traces]) => {
  const gd = document.querySelector(sel + ' .js-plotly-plot') || document.querySelector(sel);
  const count = document.querySelector('#event-count');
  if (sel === '#timeline-graph' && !(count && count.textContent.trim())) return false;
  if (!gd || !gd.querySelector('.main-svg') || !gd._fullData) return false;
  if (traces && !(gd._fullData.length && gd.querySelector('.trace, .hm, .gl-canvas'))) return false;
  window.__drawnAt = window.__drawnAt || performance.now();
  return true;
}"""


# --- data ----------------------------------------------------------------------------------

def write_events(frame: pd.DataFrame, folder: Path) -> Path:
    """The frame as the CSV editors keep: ISO days, "2014-03" / "2014" for month / year
    precision, "this week" (reported on a day of it) for week precision, end_date for ranges;
    and an actors.csv so that choosing a state selects its officials, as in the real data."""
    start = frame["start"].dt.strftime("%Y-%m-%d")
    end = frame["end"].dt.strftime("%Y-%m-%d")
    precision = frame["precision"].to_numpy()
    date = np.select([precision == "month", precision == "year", precision == "week"],
                     [frame["start"].dt.strftime("%Y-%m"), frame["start"].dt.strftime("%Y"), "this week"],
                     start)
    end_date = np.where((precision == "day") & (end != start), end, "")
    table = pd.DataFrame({
        "date": date, "end_date": end_date, "reported": start, "title": frame["title"],
        "actors": frame["actors"].map("; ".join), "kind": frame["kind"], "status": frame["status"],
        "location": frame["location"], "source": frame["source"], "url": frame["url"], "notes": frame["notes"],
    })
    assert ",".join(table.columns) == HEADER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "events.csv"
    table.to_csv(path, index=False, lineterminator="\n")
    lines = ["name,aliases,member_of"]
    for state, officials in members().items():
        lines += [f"{state},,", *(f"{name},,{state}" for name in sorted(officials))]
    (folder / "actors.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- servers -------------------------------------------------------------------------------

def render_payload(app, search: str, version: int = 1) -> bytes:
    """The body the Dash renderer POSTs to /_dash-update-component for ``render`` when the address
    changes (the shape captured from Chromium with Dash 4.4; the data version is 1 after one load)."""
    key = next(k for k in app.callback_map if "timeline-graph.figure" in k)
    spec = app.callback_map[key]
    outputs = [{"id": o.component_id, "property": o.component_property} for o in spec["output"]]
    values = {("url", "search"): search, ("data-version", "data"): version}
    inputs = []
    for item in spec["inputs"]:
        item = {"id": item["id"], "property": item["property"]}
        if (item["id"], item["property"]) in values:
            item["value"] = values[(item["id"], item["property"])]
        inputs.append(item)
    state = [{"id": s["id"], "property": s["property"]} for s in spec.get("state", [])]
    return json.dumps({"output": key, "outputs": outputs, "inputs": inputs, "state": state,
                       "changedPropIds": ["url.search"], "parsedChangedPropsIds": ["url.search"]}).encode()


class AppServer:
    """The real app for one events file, served by werkzeug in a thread on loopback."""

    def __init__(self, path: Path):
        from timeline.app import create_app
        from timeline.devserver import ThreadedServer

        t = time.perf_counter()
        self.app = create_app(str(path))  # Dash calls the layout function here: this parses the file
        self.create_s = time.perf_counter() - t
        self._served = ThreadedServer(self.app.server)
        self.port = self._served.port

    @property
    def url(self) -> str:
        return self._served.url

    def request(self, method: str, path: str, body: bytes | None = None, timeout: float = 120) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            # No Accept-Encoding: the app compresses what a browser accepts, and these sizes are
            # the JSON itself (the gzip column shows what compression makes of it).
            headers = {"Content-Type": "application/json", "Accept": "application/json"} \
                if body is not None else {}
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            if response.getheader("Content-Encoding"):
                raise SystemExit(f"unexpected compressed response ({response.getheader('Content-Encoding')}); "
                                 "the sizes below assume none")
            return response.status, data
        finally:
            conn.close()

    def render(self, search: str) -> tuple[float, bytes]:
        payload = render_payload(self.app, search)
        t = time.perf_counter()
        status, body = self.request("POST", "/_dash-update-component", payload)
        elapsed = time.perf_counter() - t
        if status != 200:
            raise SystemExit(f"render callback answered {status}: {body[:300]!r}")
        return elapsed, body

    def stop(self) -> None:
        self._served.stop()


class GunicornServer:
    """``gunicorn -w 2`` serving one events file from this checkout, as the README runs it."""

    def __init__(self, path: Path, folder: Path, workers: int = 2, timeout: float = 900, *,
                 code: Path = ROOT, hook: str = GUNICORN_CONFIG):
        """``code``: the checkout served (benchmarks/near_floor.py compares two); ``hook``: the
        config, whose ``post_worker_init`` appends a line per worker to ``{ready_file!r}``."""
        self.ready_file = folder / "ready.jsonl"
        self.ready_file.unlink(missing_ok=True)
        config = folder / "gunicorn_conf.py"
        config.write_text(hook.replace("{ready_file!r}", repr(str(self.ready_file))), encoding="utf-8")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        # The loader's store of parsed files in the run's folder: the first start reads the CSV
        # and fills it, a restart reads it, and nothing is left behind in the user's cache.
        env = {**os.environ, "TIMELINE_EVENTS": str(path), "TIMELINE_STATE_DIR": str(folder / "state"),
               "TIMELINE_CACHE_DIR": str(folder / "store"),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH")]))}
        self.workers = workers
        self.started = time.time()
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
             "--timeout", str(int(timeout)), "-c", str(config), "--chdir", str(code), "timeline.app:server"],
            cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=open(folder / "gunicorn.log", "wb"))
        deadline = time.monotonic() + timeout
        self.first_page_s = None
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if self.request("GET", "/", timeout=timeout)[0] == 200:
                    self.first_page_s = time.time() - self.started
                    break
            except OSError:
                time.sleep(0.2)
        while time.monotonic() < deadline and self.process.poll() is None and len(self.ready()) < workers:
            time.sleep(0.2)
        if self.first_page_s is None or len(self.ready()) < workers:
            log = (folder / "gunicorn.log").read_text(errors="replace")[-2000:]
            self.stop()
            raise SystemExit(f"gunicorn did not start its {workers} workers on {path}:\n{log}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def ready(self) -> list[dict]:
        """What each worker noted when it had loaded the app, by start-up order."""
        if not self.ready_file.exists():
            return []
        lines = [json.loads(line) for line in self.ready_file.read_text().splitlines() if line.strip()]
        return sorted(lines, key=lambda line: line["ready"])

    def memory(self) -> dict[int, dict]:
        """VmHWM (peak) and VmRSS of each worker now, in bytes."""
        found = {}
        for worker in self.ready():
            try:
                with open(f"/proc/{worker['pid']}/status") as f:
                    found[worker["pid"]] = {k: int(v.split()[0]) * 1024 for k, v in
                                            (line.split(":", 1) for line in f) if k in ("VmRSS", "VmHWM")}
            except FileNotFoundError:  # the worker died (a timeout kills it): its memory is unknown
                found[worker["pid"]] = {}
        return found

    def request(self, method: str, path: str, body: bytes | None = None,
                timeout: float = 120) -> tuple[int, bytes, dict]:
        """As a browser asks: gzip accepted. The body comes back as sent (compressed or not)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            headers = {"Accept-Encoding": "gzip"}
            if body is not None:
                headers.update({"Content-Type": "application/json", "Accept": "application/json"})
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


class StaticServer:
    """Serves one folder on loopback (the baseline's page, figure JSON and plotly.min.js)."""

    def __init__(self, folder: Path):
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(folder), **kwargs)

            def log_message(self, *args):
                pass

        self.folder = folder
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


# --- measurements --------------------------------------------------------------------------

def callback_facts(body: bytes) -> tuple[str, str]:
    """(count line, drawing mode) from a render response."""
    response = json.loads(body)["response"]
    count = response["event-count"]["children"]
    traces = response["timeline-graph"]["figure"].get("data", [])
    mode = "counts" if any(t.get("type") == "heatmap" for t in traces) else "events"
    return count, mode


def draw_time(browser, url: str, selector: str, timeout_s: float, traces: bool = True) -> float | None:
    """Seconds from navigation start until the chart is drawn; None on timeout."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        deadline = time.perf_counter() + timeout_s
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        remaining = max(1.0, deadline - time.perf_counter())
        try:
            page.wait_for_function(DRAWN_JS, arg=[selector, traces], polling="raf", timeout=remaining * 1000)
        except Exception as error:  # playwright's TimeoutError
            if "Timeout" in type(error).__name__ or "Timeout" in str(error):
                return None
            raise
        if errors:
            raise SystemExit(f"page error while drawing {url}: {errors[0]}")
        return page.evaluate("window.__drawnAt") / 1000
    finally:
        context.close()


def baseline_figure(frame: pd.DataFrame):
    """The straightforward build: one px.timeline, a bar per event on its first actor's row.
    The frame's end is the last day covered, so the bar runs to the next midnight."""
    rows = frame.assign(first_actor=frame["actors"].map(lambda a: a[0]),
                        actors=frame["actors"].map("; ".join),
                        finish=frame["end"] + pd.Timedelta(days=1))
    return px.timeline(rows, x_start="start", x_end="finish", y="first_actor", color="kind",
                       hover_data=["title", "actors", "kind", "status", "location", "source"])


BASE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>baseline</title>
<script src="plotly.min.js"></script></head><body style="margin:0">
<div id="graph" style="width:100%;height:760px"></div>
<script>
fetch("{name}").then(r => r.json())
  .then(fig => Plotly.newPlot("graph", fig.data, fig.layout, {{responsive: true}}));
</script></body></html>
"""


def median(values):
    return statistics.median(values) if values else None


def fmt_ms(ms: float | None) -> str:
    return "-" if ms is None else (f"{ms:.1f}" if ms < 100 else f"{ms:.0f}")


def fmt_s(s: float | None, cap: float) -> str:
    return f"> {cap:g}" if s is None else f"{s:.2f}"


def ratio(base: float | None, ours: float | None, cap: float | None = None) -> str:
    if ours is None or ours <= 0:
        return "-"
    if base is None:  # the baseline hit the cap
        return f">{cap / ours:.0f}x" if cap else "-"
    return f"{base / ours:.1f}x" if base / ours < 10 else f"{base / ours:.0f}x"


# --- one size ------------------------------------------------------------------------------

def measure(n: int, args, browser, static: StaticServer, work: Path) -> dict:
    folder = work / f"n{n}"
    frame = synthetic_frame(n, seed=args.seed)
    path = write_events(frame, folder)
    size_mb = path.stat().st_size / 1e6
    if args.check:
        done = subprocess.run([sys.executable, "-m", "timeline", "check", str(path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=600)
        print(f"  check: {(done.stdout or done.stderr).strip()[:200]} (exit {done.returncode})", flush=True)
        if done.returncode:
            raise SystemExit("python -m timeline check rejected the generated file")

    result = {"n": n, "csv_mb": size_mb, "views": {}}
    server = AppServer(path)
    try:
        result["create_s"] = server.create_s
        status, _ = server.request("GET", "/_dash-layout")
        if status != 200:
            raise SystemExit(f"page answered {status}")
        for name, search in VIEWS.items():
            cold, body = server.render(search)  # warm-up (and the first call of this view)
            count, mode = callback_facts(body)
            if not count.endswith(f"{n:,} events"):  # "N of M events" or "K in view · M events"
                raise SystemExit(f"the app did not load all {n:,} events: {count!r}")
            times = [server.render(search)[0] for _ in range(args.runs)]
            result["views"][name] = {"ms": median(times) * 1000, "cold_ms": cold * 1000, "bytes": len(body),
                                     "gzip": len(gzip.compress(body, 6)), "count": count, "mode": mode}
        print(f"  {n:,}: callbacks done", flush=True)

        if browser is not None:
            draw_time(browser, server.url, "#timeline-graph", args.base_timeout)  # warm the server's files
            draws = [draw_time(browser, server.url, "#timeline-graph", args.base_timeout)
                     for _ in range(args.draw_runs)]
            if any(d is None for d in draws):
                result["draw_s"] = None
            else:
                result["draw_s"] = median(draws)
            result["draws"] = draws
            print(f"  {n:,}: page draws done", flush=True)
    finally:
        server.stop()

    # The baseline, on the very frame the app loaded from the file.
    loaded = load_events(path).frame
    builds, jsons, text = [], [], ""
    for _ in range(max(1, min(args.runs, 3))):
        t = time.perf_counter()
        figure = baseline_figure(loaded)
        built = time.perf_counter()
        text = figure.to_json()
        builds.append(built - t)
        jsons.append(time.perf_counter() - built)
        if builds[-1] + jsons[-1] > 2:  # slow enough that one run tells
            break
    result["base_build_ms"] = median(builds) * 1000
    result["base_json_ms"] = median(jsons) * 1000
    result["base_ms"] = result["base_build_ms"] + result["base_json_ms"]
    result["base_bytes"] = len(text.encode())
    result["base_gzip"] = len(gzip.compress(text.encode(), 6))
    result["base_traces"] = len(figure.data)
    del figure
    if browser is not None:
        name = f"base{n}.json"
        (static.folder / name).write_text(text, encoding="utf-8")
        (static.folder / f"base{n}.html").write_text(BASE_PAGE.format(name=name), encoding="utf-8")
        draws = []
        for _ in range(args.draw_runs):
            seconds = draw_time(browser, static.url(f"base{n}.html"), "#graph", args.base_timeout)
            draws.append(seconds)
            if seconds is None or seconds > 10:  # one slow or capped run tells; keep the total bounded
                break
        result["base_draws"] = draws
        result["base_draw_s"] = None if any(d is None for d in draws) else median(draws)
        (static.folder / name).unlink()
    print(f"  {n:,}: baseline done", flush=True)
    return result


def percentile(values, share: float):
    """The value below which ``share`` of them lie (nearest rank): p90 of 16 is the 15th."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, -(-int(share * 100) * len(ordered) // 100) - 1))]


def callback_app(work: Path):
    """An app on a two-event file: only its callback map is used, to build the bodies the page
    posts (the same for any data), so the benchmark itself never loads the big file."""
    from timeline.app import create_app

    folder = work / "tiny"
    folder.mkdir(exist_ok=True)
    (folder / "events.csv").write_text(f"{HEADER}\n2025-11-20,,,Talks,Ukraine,talks,,,,,\n", encoding="utf-8")
    return create_app(str(folder / "events.csv"))


def measure_gunicorn(n: int, args, browser, work: Path, tiny) -> dict:
    folder = work / f"n{n}"
    path = write_events(synthetic_frame(n, seed=args.seed), folder)
    result = {"n": n, "csv_mb": path.stat().st_size / 1e6, "changes": []}
    print(f"  {n:,}: file written ({result['csv_mb']:.0f} MB); starting gunicorn -w 2", flush=True)
    # A first start reads the CSV (and leaves the loader's store of it); the measurements are
    # made after a restart, as a server runs most of its life.
    server = GunicornServer(path, folder)
    try:
        result["cold_first_page_s"] = server.first_page_s
        result["cold_workers"] = [dict(w, startup_s=w["ready"] - server.started) for w in server.ready()]
        result["cold_memory"] = server.memory()
    finally:
        server.stop()
    print(f"  {n:,}: first start done; restarting", flush=True)
    server = GunicornServer(path, folder)
    try:
        ready = server.ready()
        result["first_page_s"] = server.first_page_s
        result["workers"] = [dict(w, startup_s=w["ready"] - server.started) for w in ready]

        def post(search: str) -> tuple[float, bytes, dict]:
            began = time.perf_counter()
            status, body, headers = server.request("POST", "/_dash-update-component", render_payload(tiny, search),
                                                   timeout=args.base_timeout * 10)
            elapsed = time.perf_counter() - began
            if status != 200:
                raise SystemExit(f"render callback answered {status}: {body[:300]!r}")
            return elapsed, body, headers

        def facts(body: bytes, headers: dict) -> tuple[str, str]:
            plain = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
            return callback_facts(plain)

        # Both workers answer once before the clock runs (their first callback pays Dash's own
        # first-call costs); two at a time, so that each worker takes one.
        warm = [f"?window=2020-01-0{d}..2020-12-31" for d in range(1, 5)]
        for pair in (warm[:2], warm[2:]):
            threads = [threading.Thread(target=post, args=(search,)) for search in pair]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        _, body, headers = post("")
        count, mode = facts(body, headers)
        if not count.endswith(f"{n:,} events"):  # "N of M events" or "K in view · M events"
            raise SystemExit(f"the app did not load all {n:,} events: {count!r}")
        for sort, search in CHANGES:
            elapsed, body, headers = post(search)
            count, mode = facts(body, headers)
            result["changes"].append({"sort": sort, "search": search, "ms": elapsed * 1000, "bytes": len(body),
                                      "cache": headers.get("x-figure-cache", "?"), "count": count, "mode": mode})
        again = [post(CHANGES[0][1]) for _ in range(3)]
        result["hit_ms"] = median([a[0] for a in again]) * 1000
        result["hit_cache"] = ",".join(sorted({a[2].get("x-figure-cache", "?") for a in again}))
        print(f"  {n:,}: filter changes done", flush=True)

        if browser is not None:
            first = draw_time(browser, server.url, "#timeline-graph", args.base_timeout)
            draws = [draw_time(browser, server.url, "#timeline-graph", args.base_timeout)
                     for _ in range(args.draw_runs)]
            result["draw_first_s"] = first
            result["draws"] = draws
            result["draw_s"] = None if any(d is None for d in draws) else median(draws)
            if args.screenshots:
                shot(browser, server.url, Path(args.screenshots) / f"page-{n}.png", args.base_timeout)
            print(f"  {n:,}: page draws done", flush=True)
        result["memory"] = server.memory()
    finally:
        server.stop()
    return result


def shot(browser, url: str, out: Path, timeout_s: float) -> None:
    """The default page at 1280x800 once drawn, for a person to look at."""
    out.parent.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url, timeout=timeout_s * 1000)
        page.wait_for_function(DRAWN_JS, arg=["#timeline-graph", True], polling="raf", timeout=timeout_s * 1000)
        page.wait_for_timeout(500)  # the labels' last layout pass
        page.screenshot(path=str(out))
    finally:
        context.close()


def report_gunicorn(results: list[dict], args) -> None:
    cap = args.base_timeout
    mb = lambda b: f"{b / 2**20:,.0f} MB"  # noqa: E731
    print()
    print("filter changes under gunicorn -w 2 (POST /_dash-update-component over loopback, gzip accepted; "
          "each a view not asked before):")
    sizes = [r["n"] for r in results]
    header = f"{'change':<8} {'address':<46}" + "".join(f" {f'{n:,} ms':>12} {'cache':>5}" for n in sizes)
    print(header)
    print("-" * len(header))
    for i, (sort, search) in enumerate(CHANGES):
        cells = "".join(f" {fmt_ms(r['changes'][i]['ms']):>12} {r['changes'][i]['cache']:>5}" for r in results)
        print(f"{sort:<8} {search[:46]:<46}{cells}")
    print(f"{'again':<8} {CHANGES[0][1][:46]:<46}"
          + "".join(f" {fmt_ms(r['hit_ms']):>12} {r['hit_cache']:>5}" for r in results))
    print()
    print("the page at scale, side by side:")
    rows = []

    def row(label, cell):
        rows.append((label, [cell(r) for r in results]))

    row("events file", lambda r: f"{r['csv_mb']:.0f} MB CSV")
    row("first start (CSV read): page after", lambda r: f"{r['cold_first_page_s']:.1f} s")
    row("  workers ready after", lambda r: ", ".join(f"{w['startup_s']:.1f}" for w in r["cold_workers"]) + " s")
    row("  peak RSS by then, each worker",
        lambda r: ", ".join(mb(m.get("VmHWM", 0)) for m in r["cold_memory"].values()))
    row("restart (loader's store): page after", lambda r: f"{r['first_page_s']:.1f} s")
    row("  workers ready after", lambda r: ", ".join(f"{w['startup_s']:.1f}" for w in r["workers"]) + " s")
    row("  RSS at ready, each worker", lambda r: ", ".join(mb(w["VmRSS"]) for w in r["workers"]))
    row("  of it: data frame (deep)", lambda r: mb(r["workers"][0]["frame"]))
    row("  of it: page's index+search", lambda r: mb(r["workers"][0]["index"]))
    row("after all below: peak RSS (VmHWM)",
        lambda r: ", ".join(mb(m.get("VmHWM", 0)) for m in r["memory"].values()))
    row("  RSS at the end, each worker", lambda r: ", ".join(mb(m.get("VmRSS", 0)) for m in r["memory"].values()))
    for sort in dict.fromkeys(sort for sort, _ in CHANGES):
        row(f"filter change: {sort} (median)",
            lambda r, sort=sort: f"{fmt_ms(median([c['ms'] for c in r['changes'] if c['sort'] == sort]))} ms")
    row("filter change median / p90", lambda r: (f"{fmt_ms(median([c['ms'] for c in r['changes']]))} / "
                                                f"{fmt_ms(percentile([c['ms'] for c in r['changes']], 0.9))} ms"))
    row("  slowest", lambda r: (lambda c: f"{fmt_ms(c['ms'])} ms {c['search'][:22]}")(
        max(r["changes"], key=lambda c: c["ms"])))
    row("  cache misses", lambda r: f"{sum(c['cache'] == 'miss' for c in r['changes'])} of {len(r['changes'])}")
    row("same view again (cache)", lambda r: f"{fmt_ms(r['hit_ms'])} ms ({r['hit_cache']})")
    row("largest answer (gzip)", lambda r: f"{max(c['bytes'] for c in r['changes']) / 1024:,.0f} KB")
    if any("draws" in r for r in results):
        row("draw s, first load (computed)", lambda r: fmt_s(r.get("draw_first_s"), cap) if "draws" in r else "-")
        row("draw s, later loads (median)", lambda r: fmt_s(r.get("draw_s"), cap) if "draws" in r else "-")
    width = max(len(label) for label, _ in rows)
    columns = [max(len(f"{n:,} events"), *(len(cells[i]) for _, cells in rows)) for i, n in enumerate(sizes)]
    print(f"{'':<{width}}  " + "  ".join(f"{f'{n:,} events':>{w}}" for n, w in zip(sizes, columns)))
    for label, cells in rows:
        print(f"{label:<{width}}  " + "  ".join(f"{c:>{w}}" for c, w in zip(cells, columns)))
    print()
    print(f"load average at the end: {load()} (other work on the machine makes every time above noisier)")
    for r in results:
        targets = TARGETS_AT_SCALE.get(r["n"])
        if not targets:
            continue
        t_ms, t_rss, t_draw = targets
        times = [c["ms"] for c in r["changes"]]
        p90, peak = percentile(times, 0.9), max((m.get("VmHWM", 0) for m in r["memory"].values()), default=0)
        cold_peak = max((m.get("VmHWM", 0) for m in r["cold_memory"].values()), default=0)
        verdict = lambda ok: "PASS" if ok else "MISS"  # noqa: E731
        print(f"{verdict(p90 < t_ms)}  {r['n']:>9,} events: filter change p90 {fmt_ms(p90)} ms "
              f"(median {fmt_ms(median(times))}, slowest {fmt_ms(max(times))}) < {t_ms} ms")
        print(f"{verdict(0 < peak < t_rss)}  {r['n']:>9,} events: worker peak RSS {mb(peak)} < {mb(t_rss)} "
              f"(started from the loader's store; a first start, reading the CSV, peaked at {mb(cold_peak)})")
        if "draws" in r:
            worst = None if r.get("draw_first_s") is None or r.get("draw_s") is None else \
                max(r["draw_first_s"], r["draw_s"])
            print(f"{verdict(worst is not None and worst < t_draw)}  {r['n']:>9,} events: default view drawn in "
                  f"{fmt_s(r.get('draw_first_s'), cap)} s (first) / {fmt_s(r.get('draw_s'), cap)} s (later) "
                  f"< {t_draw:g} s")


def profile(path: Path, runs: int, top: int) -> None:
    """cProfile of the render callback (in-process, Flask test client) over every view."""
    from timeline.app import create_app

    app = create_app(str(path))
    client = app.server.test_client()
    client.get("/_dash-layout")
    payloads = {name: render_payload(app, search) for name, search in VIEWS.items()}
    for body in payloads.values():
        client.post("/_dash-update-component", data=body, content_type="application/json")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        for body in payloads.values():
            response = client.post("/_dash-update-component", data=body, content_type="application/json")
            assert response.status_code == 200
    profiler.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(top)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"\nrender callback profile, {runs} x {len(payloads)} views, by {order}:")
        print("\n".join(lines[start:start + top + 1]))


# --- report --------------------------------------------------------------------------------

def load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def report(results: list[dict], args, floor: float | None) -> None:
    cap = args.base_timeout
    print()
    print("render callback per view (POST /_dash-update-component over loopback; median of "
          f"{args.runs} after a warm-up; 'first' is that warm-up call):")
    header = f"{'events':>7}  {'view':<11} {'mode':<7} {'ms':>7} {'first':>7} {'JSON KB':>8} {'gzip KB':>8}  shown"
    print(header)
    print("-" * len(header))
    for r in results:
        for name, v in r["views"].items():
            print(f"{r['n']:>7}  {name:<11} {v['mode']:<7} {fmt_ms(v['ms']):>7} {fmt_ms(v['cold_ms']):>7} "
                  f"{v['bytes'] / 1024:>8.0f} {v['gzip'] / 1024:>8.0f}  {v['count']}")
        print(f"{r['n']:>7}  (CSV {r['csv_mb']:.1f} MB; create_app, which parses it: {r['create_s']:.2f} s)")

    print()
    print("ours (worst view for callback and JSON; default page for draw) vs the straightforward px.timeline")
    print("(base: one px.timeline, hover on every bar; base ms = build + to_json; ratio = base / ours):")
    header = (f"{'events':>7}  {'callback ms':>11} {'(base)':>8} {'ratio':>6} | {'JSON KB':>8} {'(base)':>8} "
              f"{'ratio':>6} | {'draw s':>6} {'(base)':>8} {'ratio':>6} | targets")
    print(header)
    print("-" * len(header))
    verdicts = []
    for r in results:
        n = r["n"]
        worst_ms = max(r["views"].items(), key=lambda kv: kv[1]["ms"])
        worst_kb = max(r["views"].items(), key=lambda kv: kv[1]["bytes"])
        ms, kb = worst_ms[1]["ms"], worst_kb[1]["bytes"]
        draw, base_draw = r.get("draw_s"), r.get("base_draw_s")
        targets = TARGETS.get(n)
        flags = []
        if targets:
            t_ms, t_bytes, t_draw = targets
            if t_ms is not None:
                ok = ms < t_ms
                flags.append(f"cb<{t_ms}ms {'PASS' if ok else 'MISS'}")
                verdicts.append(f"{'PASS' if ok else 'MISS'}  {n:>7,} events: render callback {fmt_ms(ms)} ms "
                                f"(worst view: {worst_ms[0]}) < {t_ms} ms")
            if t_bytes is not None:
                ok = kb < t_bytes
                flags.append(f"json<{t_bytes / 2**20:g}MB {'PASS' if ok else 'MISS'}")
                verdicts.append(f"{'PASS' if ok else 'MISS'}  {n:>7,} events: callback JSON {kb / 2**20:.2f} MB "
                                f"(largest view: {worst_kb[0]}) < {t_bytes / 2**20:g} MB")
            if t_draw is not None:
                if "draw_s" not in r:
                    flags.append("draw not measured")
                else:
                    ok = draw is not None and draw < t_draw
                    flags.append(f"draw<{t_draw:g}s {'PASS' if ok else 'MISS'}")
                    verdicts.append(f"{'PASS' if ok else 'MISS'}  {n:>7,} events: chart drawn in "
                                    f"{fmt_s(draw, cap)} s < {t_draw:g} s")
        draw_cols = (f"{fmt_s(draw, cap) if 'draw_s' in r else '-':>6} "
                     f"{fmt_s(base_draw, cap) if 'base_draw_s' in r else '-':>8} "
                     f"{ratio(base_draw, draw, cap) if 'draw_s' in r else '-':>6}")
        print(f"{n:>7}  {fmt_ms(ms):>11} {fmt_ms(r['base_ms']):>8} {ratio(r['base_ms'], ms):>6} | "
              f"{kb / 1024:>8.0f} {r['base_bytes'] / 1024:>8.0f} {ratio(r['base_bytes'], kb):>6} | "
              f"{draw_cols} | {', '.join(flags) or '(none)'}")
    print()
    for r in results:
        extra = ""
        if "draws" in r:
            extra = (f"; draw runs ours {', '.join(fmt_s(d, cap) for d in r['draws'])} s, "
                     f"base {', '.join(fmt_s(d, cap) for d in r['base_draws'])} s")
        print(f"{r['n']:>7}: base build {fmt_ms(r['base_build_ms'])} ms + to_json {fmt_ms(r['base_json_ms'])} ms, "
              f"{r['base_traces']} traces, gzip {r['base_gzip'] / 1024:.0f} KB{extra}")
    print()
    if floor is not None:
        print(f"draw floor: an empty Plotly figure on the bare baseline page draws in {floor:.2f} s "
              "(loading and running plotly.min.js alone)")
    print(f"load average at the end: {load()} (other work on the machine makes every time above noisier)")
    print()
    for line in verdicts:
        print(line)
    if not verdicts:
        print("(no targets at these sizes; the targets are for 10,000 and 100,000 events)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000",
                        type=lambda s: [int(x.replace("_", "")) for x in s.split(",") if x.strip()],
                        help="comma-separated event counts (default 1000,10000,100000)")
    parser.add_argument("--runs", type=int, default=7, help="timed callback calls per view (median)")
    parser.add_argument("--draw-runs", type=int, default=3, help="page loads per size (median)")
    parser.add_argument("--base-timeout", type=float, default=60, help="cap in seconds for one page draw")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-browser", action="store_true", help="skip the draw times")
    parser.add_argument("--check", action="store_true", help="run `python -m timeline check` on each file")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile the render callback at the largest size")
    parser.add_argument("--gunicorn", action="store_true",
                        help="serve each file under gunicorn -w 2: filter changes, worker memory and start-up, draw")
    parser.add_argument("--screenshots", metavar="DIR",
                        help="with --gunicorn: save the default page at 1280x800 per size as DIR/page-N.png")
    args = parser.parse_args()
    if not args.sizes or min(args.sizes) < 1 or args.runs < 1 or args.draw_runs < 1:
        parser.error("sizes, --runs and --draw-runs must be positive")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="page_speed-"))
    if args.gunicorn:
        try:
            main_gunicorn(args, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"\ntotal {time.perf_counter() - started:.0f} s")
        return
    static_folder = work / "static"
    static_folder.mkdir()
    shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", static_folder / "plotly.min.js")
    static = StaticServer(static_folder)
    results = []
    playwright = browser = None
    try:
        if not args.no_browser:
            playwright, browser = start_browser()
        print(f"page speed: sizes {', '.join(f'{n:,}' for n in args.sizes)}; seed {args.seed}; "
              f"views: {', '.join(VIEWS)}; {os.cpu_count()} CPUs, load average {load()}", flush=True)
        baseline_figure(synthetic_frame(50, seed=args.seed))  # px's first call pays for lazy imports
        floor = None
        if browser is not None:
            (static_folder / "empty.json").write_text('{"data": [], "layout": {}}', encoding="utf-8")
            (static_folder / "empty.html").write_text(BASE_PAGE.format(name="empty.json"), encoding="utf-8")
            floor = median([draw_time(browser, static.url("empty.html"), "#graph", args.base_timeout, traces=False)
                            for _ in range(args.draw_runs)])
        for n in args.sizes:
            results.append(measure(n, args, browser, static, work))
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()
        static.stop()
    try:
        report(results, args, floor)
        if args.profile:
            profile(work / f"n{max(args.sizes)}" / "events.csv", runs=max(1, min(args.runs, 3)), top=25)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


def start_browser():
    """Playwright and headless Chromium (the system's, never a downloaded one)."""
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} not found; use --no-browser to skip the draw times")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    return playwright, playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def main_gunicorn(args, work: Path) -> None:
    playwright = browser = None
    results = []
    try:
        if not args.no_browser:
            playwright, browser = start_browser()
        print(f"page speed under gunicorn -w 2: sizes {', '.join(f'{n:,}' for n in args.sizes)}; seed {args.seed}; "
              f"{len(CHANGES)} filter changes; {os.cpu_count()} CPUs, load average {load()}", flush=True)
        tiny = callback_app(work)
        for n in args.sizes:
            results.append(measure_gunicorn(n, args, browser, work, tiny))
            shutil.rmtree(work / f"n{n}", ignore_errors=True)
    finally:
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()
    report_gunicorn(results, args)


if __name__ == "__main__":
    main()
