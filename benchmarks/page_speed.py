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
    return json.dumps({"output": key, "outputs": outputs, "inputs": inputs,
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
            if not count.endswith(f"of {n:,} events"):
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
    args = parser.parse_args()
    if not args.sizes or min(args.sizes) < 1 or args.runs < 1 or args.draw_runs < 1:
        parser.error("sizes, --runs and --draw-runs must be positive")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="page_speed-"))
    static_folder = work / "static"
    static_folder.mkdir()
    shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", static_folder / "plotly.min.js")
    static = StaticServer(static_folder)
    results = []
    playwright = browser = None
    try:
        if not args.no_browser:
            if not os.access(CHROMIUM, os.X_OK):
                raise SystemExit(f"{CHROMIUM} not found; use --no-browser to skip the draw times")
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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


if __name__ == "__main__":
    main()
