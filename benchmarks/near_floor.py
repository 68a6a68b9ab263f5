"""How far the data layer and the served page stand from the physical floor (issue 19, part 3).

    .venv/bin/python benchmarks/near_floor.py [--code DIR] [--sizes 1000000[,5000000]] [--runs 3]
        [--gunicorn-size 1000000] [--seed 0]

``--code`` is the checkout measured (default: the one this file lives in), so the same
script compares main with a branch: ``--code /work/main`` then ``--code /work/wt/lead``.
Its files are generated here (``synthetic.synthetic_frame`` written as editors keep it by
``page_speed.write_events``: eleven columns, an actors.csv putting each official under a
state), the same files for every checkout.

Every figure comes from a fresh ``python`` process (wall clock from start to exit, imports
included, and its own peak memory, ``ru_maxrss`` from ``wait4``, started by a small process so
that the peak is the child's own), best of ``--runs``; the
runs are interleaved (ours, the floor, ours, ...) so a busy moment of the machine falls on
both, and each round runs every size. The floors are measured in the same run, on the same files:

1. ``python -m timeline check FILE`` with ``TIMELINE_CACHE_DIR=off`` against
   ``pyarrow.csv.read_csv`` of the file; both also timed inside their process (after the
   imports), the loader through the CLI's own ``check``.
2. a restart on an unchanged file (``check`` with the store on, after a first run filled
   it) against ``pyarrow.parquet.read_table`` of the store's Parquet entry.
3. ``check``'s peak memory (store off) against read_csv's, and the 600 MB target at 1M.
4. at ``--gunicorn-size`` events: ``gunicorn -w 2`` serving the file (as ``page_speed.py
   --gunicorn`` starts it; the workers start from the store the checks above filled), each worker's RSS and
   PSS (``/proc/PID/smaps_rollup``: pages shared between workers count half in each) after
   serving the page and one filter change; the floor is the Arrow table of the store's entry.
5. with two sizes: the per-row cost of ``check`` (timed inside the process) at the largest
   against the smallest, and the same ratio for read_csv.
6. filter changes at ``--gunicorn-size``: the render callback as a browser posts it, for
   views nobody asked before (figure-cache misses), median and p90; the floor is the same
   view asked again (a cache hit: Dash and HTTP alone).

Targets (issue 19): check <= 5x read_csv; restart <= 1.5x read_table; check peak <= 600 MB
at 1M; each worker <= 300 MB RSS at 1M; per-row cost at 5M <= 1.2x that at 1M; a filter
change at 1M under 300 ms (p90).
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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

# The measured processes are started by a small process of their own. A child's ru_maxrss counts
# the memory of the process it was forked from (Linux keeps the larger of the two when the child
# execs), so children forked from this one, which holds pandas and Plotly, would all seem to
# peak at its size.
SPAWN = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    job = json.loads(line)
    with open(job["out"], "wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(job["args"], cwd=job["cwd"], env=job["env"], stdout=out,
                                 stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    print(json.dumps([wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)]), flush=True)
"""
SPAWNER = subprocess.Popen([sys.executable, "-c", SPAWN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

from page_speed import CHANGES, GunicornServer, load, percentile  # noqa: E402

MB = 2**20
# The events files, made in a child so that this process never holds a frame of millions of rows.
GENERATE = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from page_speed import write_events
from synthetic import synthetic_frame
write_events(synthetic_frame(int(sys.argv[2]), seed=int(sys.argv[3])), Path(sys.argv[4]))
"""
# Each child prints "@elapsed SECONDS [BYTES]": its time after the imports, and for the floors
# the size of the Arrow table read.
CHECK_INSIDE = """
import sys, time
from timeline.cli import cli
started = time.perf_counter()
try:
    cli.main(["check", sys.argv[1]], prog_name="timeline", standalone_mode=False)
except SystemExit:
    pass
print(f"@elapsed {time.perf_counter() - started:.4f}")
"""
READ_CSV = """
import sys, time
import pyarrow.csv
started = time.perf_counter()
table = pyarrow.csv.read_csv(sys.argv[1])
print(f"@elapsed {time.perf_counter() - started:.4f} {table.nbytes}")
"""
READ_PARQUET = """
import sys, time
import pyarrow.dataset, pyarrow.parquet  # read_table of a path imports pyarrow.dataset on its first call
started = time.perf_counter()
table = pyarrow.parquet.read_table(sys.argv[1])
print(f"@elapsed {time.perf_counter() - started:.4f} {table.nbytes}")
"""
# The render callback's bodies as the measured checkout's own Dash app builds them. Its
# timeline package is imported first, so page_speed (which puts this checkout first on the
# path) finds it already loaded.
PAYLOADS = """
import json, sys
from pathlib import Path
import timeline.app
sys.path.insert(0, sys.argv[1])
from page_speed import callback_app, render_payload
app = callback_app(Path(sys.argv[2]))
print(json.dumps({search: render_payload(app, search).decode() for search in json.loads(sys.argv[3])}))
"""
# gunicorn's config: each worker notes its pid once it has loaded the app (the file read).
HOOK = """
import json, os, time

def post_worker_init(worker):
    with open({ready_file!r}, "a") as f:
        f.write(json.dumps({"pid": os.getpid(), "ready": time.time()}) + "\\n")
"""
TARGETS = {"check": 5.0, "restart": 1.5, "check peak MB": 600, "worker RSS MB": 300, "per row": 1.2,
           "filter change ms": 300}


class Sample:
    """One measurement's runs: wall seconds, peak MB, and what the child printed after "@elapsed"."""

    def __init__(self):
        self.runs: list[tuple[float, float, list[float]]] = []

    def add(self, result: tuple[float, float, str]) -> None:
        wall, peak, out = result
        line = next((line for line in out.splitlines() if line.startswith("@elapsed ")), None)
        self.runs.append((wall, peak, [float(x) for x in line.split()[1:]] if line else []))

    @property
    def wall(self) -> float:
        return min(wall for wall, _, _ in self.runs)

    @property
    def peak(self) -> float:
        return min(peak for _, peak, _ in self.runs)

    @property
    def inside(self) -> float:
        return min((extra[0] for _, _, extra in self.runs if extra), default=float("nan"))

    @property
    def table_bytes(self) -> float:
        return max((extra[1] for _, _, extra in self.runs if len(extra) > 1), default=float("nan"))


def timed(code: Path, args: list[str], env: dict) -> tuple[float, float, str]:
    """Wall seconds from start to exit, peak MB (``ru_maxrss`` from ``wait4``) and what it printed, of
    ``python ARGS`` run with ``code`` first on the path."""
    with tempfile.NamedTemporaryFile(prefix="near-floor-out-", delete=False) as out:
        name = out.name
    try:
        job = {"args": [sys.executable, *args], "cwd": str(code), "out": name,
               "env": {**os.environ, "PYTHONPATH": str(code), **env}}
        SPAWNER.stdin.write(json.dumps(job) + "\n")
        SPAWNER.stdin.flush()
        wall, peak, _ = json.loads(SPAWNER.stdout.readline())
        return wall, peak, Path(name).read_text(errors="replace")
    finally:
        os.unlink(name)


def prepare(code: Path, n: int, folder: Path) -> dict:
    """A first check with the store on (it must accept the file), which leaves the store's entry."""
    path = folder / "events.csv"
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(code), "TIMELINE_CACHE_DIR": str(folder / "store")}
    first = subprocess.run([sys.executable, "-m", "timeline", "check", str(path)], cwd=code, capture_output=True,
                           text=True, env=env)
    first_s = time.perf_counter() - started
    if first.returncode:
        raise SystemExit(f"check refused the generated file:\n{(first.stdout + first.stderr)[-2000:]}")
    entries = sorted((folder / "store").rglob("*.parquet"), key=lambda p: p.stat().st_mtime)
    entry = entries[-1] if entries else None
    stored = f"store entry {entry.stat().st_size / 1e6:.0f} MB" if entry else "no Parquet entry in the store"
    print(f"  {n:,}: {path.stat().st_size / 1e6:.0f} MB CSV; first check with the store on {first_s:.1f} s; {stored}",
          flush=True)
    samples = {name: Sample() for name in ("check", "check inside", "read_csv", "restart", "restart inside",
                                           "read_table")}
    return {"n": n, "folder": folder, "samples": samples, "entry": entry, "first_s": first_s}


def measure_once(code: Path, result: dict) -> None:
    """One run of each: check (store off), restart (store on), and their floors, one after the other."""
    path, samples, entry = result["folder"] / "events.csv", result["samples"], result["entry"]
    off = {"TIMELINE_CACHE_DIR": "off"}
    store = {"TIMELINE_CACHE_DIR": str(result["folder"] / "store")}
    check = ["-m", "timeline", "check", str(path)]
    samples["check"].add(timed(code, check, off))
    samples["read_csv"].add(timed(code, ["-c", READ_CSV, str(path)], off))
    samples["check inside"].add(timed(code, ["-c", CHECK_INSIDE, str(path)], off))
    samples["restart"].add(timed(code, check, store))
    samples["restart inside"].add(timed(code, ["-c", CHECK_INSIDE, str(path)], store))
    if entry is not None:
        samples["read_table"].add(timed(code, ["-c", READ_PARQUET, str(entry)], off))
    print(f"  {result['n']:,}: run {len(samples['check'].runs)}: check {samples['check'].runs[-1][0]:.2f} s, "
          f"read_csv {samples['read_csv'].runs[-1][0]:.2f} s, restart {samples['restart'].runs[-1][0]:.2f} s",
          flush=True)


def payloads(code: Path, work: Path, searches: list[str]) -> dict[str, bytes]:
    done = subprocess.run([sys.executable, "-c", PAYLOADS, str(BENCHMARKS), str(work), json.dumps(searches)],
                          cwd=code, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(code)})
    if done.returncode:
        raise SystemExit(f"could not build the render callback's bodies:\n{done.stderr[-2000:]}")
    return {search: body.encode() for search, body in json.loads(done.stdout.splitlines()[-1]).items()}


def rollup(pid: int) -> dict[str, float]:
    """A process's RSS, PSS and peak RSS in MB (0 when it is gone), and the RSS and PSS of its
    mappings of the store's shared file (``.arrow``, timeline/shared.py) as "Mapped"/"MappedPss"."""
    found = {"Mapped": 0.0, "MappedPss": 0.0}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("Rss", "Pss"):
                    found[key] = int(value.split()[0]) / 1024
        with open(f"/proc/{pid}/smaps") as f:
            shared = False
            for line in f:
                key, _, value = line.partition(":")
                if " " in key or "-" in key:  # a mapping's first line: "start-end perms offset dev inode path"
                    shared = line.rstrip().endswith(".arrow")
                elif shared and key in ("Rss", "Pss"):
                    found["Mapped" if key == "Rss" else "MappedPss"] += int(value.split()[0]) / 1024
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key == "VmHWM":
                    found[key] = int(value.split()[0]) / 1024
    except FileNotFoundError:
        pass
    return found


def measure_gunicorn(code: Path, n: int, folder: Path, work: Path) -> dict:
    """Worker memory after the page and one filter change, then the filter changes' times."""
    bodies = payloads(code, work, ["", *(search for _, search in CHANGES)])
    # The store in the folder holds the file's entry (measure_size's checks filled it): the workers
    # start as a restarted server does, from it.
    server = GunicornServer(folder / "events.csv", folder, code=code, hook=HOOK)
    try:
        print(f"  {n:,}: restarted from the store; page after {server.first_page_s:.1f} s", flush=True)

        def post(search: str) -> tuple[float, dict]:
            began = time.perf_counter()
            status, body, headers = server.request("POST", "/_dash-update-component", bodies[search], timeout=600)
            if status != 200:
                raise SystemExit(f"render callback answered {status}: {body[:300]!r}")
            return time.perf_counter() - began, headers

        def both(*calls) -> None:
            # Two at a time, so that each of the two (sync) workers takes one.
            threads = [threading.Thread(target=call) for call in calls]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        both(lambda: server.request("GET", "/"), lambda: server.request("GET", "/"))
        both(lambda: server.request("GET", "/_dash-layout"), lambda: server.request("GET", "/_dash-layout"))
        both(lambda: post(""), lambda: post(CHANGES[1][1]))  # the default page's figure, and a filter change
        both(lambda: post(CHANGES[0][1]), lambda: post(CHANGES[2][1]))
        workers = {w["pid"]: rollup(w["pid"]) for w in server.ready()}
        changes = []
        for sort, search in CHANGES[3:]:
            seconds, headers = post(search)
            changes.append((sort, search, seconds * 1000, headers.get("x-figure-cache", "?")))
        hits = [post(CHANGES[3][1]) for _ in range(3)]
        end = {w["pid"]: rollup(w["pid"]) for w in server.ready()}
    finally:
        server.stop()
    return {"workers": workers, "end": end, "changes": changes,
            "hit_ms": statistics.median(seconds * 1000 for seconds, _ in hits),
            "hit_cache": ",".join(sorted({headers.get("x-figure-cache", "?") for _, headers in hits}))}


def report(code: Path, sizes: list[dict], served: dict | None, served_n: int, runs: int) -> None:
    rows = []

    def row(what, now, floor, ratio, target, met):
        rows.append((what, now, floor, "-" if ratio is None else f"{ratio:.2f}x", target,
                     "-" if met is None else ("yes" if met else "NO")))

    for result in sizes:
        n, s = result["n"], result["samples"]
        ratio = s["check"].wall / s["read_csv"].wall
        row(f"check {n:,}, store off (process)", f"{s['check'].wall:.2f} s", f"read_csv {s['read_csv'].wall:.2f} s",
            ratio, "<= 5x", ratio <= TARGETS["check"])
        row("  timed inside the process", f"{s['check inside'].inside:.2f} s",
            f"read_csv {s['read_csv'].inside:.2f} s", s["check inside"].inside / s["read_csv"].inside, "", None)
        if result["entry"] is not None:
            ratio = s["restart"].wall / s["read_table"].wall
            row(f"restart {n:,}, unchanged file", f"{s['restart'].wall:.2f} s",
                f"read_table {s['read_table'].wall:.2f} s", ratio, "<= 1.5x", ratio <= TARGETS["restart"])
            row("  timed inside the process", f"{s['restart inside'].inside:.2f} s",
                f"read_table {s['read_table'].inside:.2f} s", s["restart inside"].inside / s["read_table"].inside,
                "", None)
        else:
            row(f"restart {n:,}, unchanged file", f"{s['restart'].wall:.2f} s", "(no Parquet entry)", None,
                "<= 1.5x", None)
        peak = s["check"].peak
        row(f"check {n:,} peak memory", f"{peak:,.0f} MB", f"read_csv {s['read_csv'].peak:,.0f} MB",
            peak / s["read_csv"].peak, "<= 600 MB" if n == 1_000_000 else "",
            peak <= TARGETS["check peak MB"] if n == 1_000_000 else None)
    if len(sizes) > 1:
        small, big = sizes[0], sizes[-1]
        per_row = lambda r, name: r["samples"][name].inside / r["n"] * 1e6  # noqa: E731
        ours = per_row(big, "check inside") / per_row(small, "check inside")
        floor = per_row(big, "read_csv") / per_row(small, "read_csv")
        row(f"per-row cost at {big['n']:,} / {small['n']:,} (check, inside)",
            f"{per_row(big, 'check inside'):.2f} / {per_row(small, 'check inside'):.2f} µs",
            f"read_csv {floor:.2f}x", ours, "<= 1.2x", ours <= TARGETS["per row"])
        walls = [r["samples"]["check"] for r in (big, small)]
        row("  check wall, store off", f"{walls[0].wall:.1f} / {walls[1].wall:.1f} s",
            f"peak {walls[0].peak:,.0f} / {walls[1].peak:,.0f} MB",
            (walls[0].wall / big["n"]) / (walls[1].wall / small["n"]), "", None)
    if served is not None:
        table = next((r["samples"]["read_table"].table_bytes for r in sizes if r["n"] == served_n), float("nan"))
        workers = served["workers"]
        rss = max((w.get("Rss", 0) for w in workers.values()), default=0)
        pss = max((w.get("Pss", 0) for w in workers.values()), default=0)
        row(f"gunicorn worker RSS, {served_n:,} (max of 2)",
            ", ".join(f"{w.get('Rss', 0):,.0f}" for w in workers.values()) + " MB",
            f"Arrow table {table / MB:,.0f} MB", rss / (table / MB), "<= 300 MB",
            rss <= TARGETS["worker RSS MB"] if served_n == 1_000_000 else None)
        row("  PSS (shared pages count half)", ", ".join(f"{w.get('Pss', 0):,.0f}" for w in workers.values()) + " MB",
            "", pss / (table / MB), "", None)
        row("  of which the shared file's pages, RSS/PSS",
            ", ".join(f"{w.get('Mapped', 0):,.0f}/{w.get('MappedPss', 0):,.0f}" for w in workers.values()) + " MB",
            "", None, "", None)
        row("  after all filter changes: RSS / peak",
            ", ".join(f"{w.get('Rss', 0):,.0f}/{w.get('VmHWM', 0):,.0f}" for w in served["end"].values()) + " MB",
            "", None, "", None)
        times = [ms for _, _, ms, _ in served["changes"]]
        p90 = percentile(times, 0.9)
        row(f"filter change {served_n:,}, p90 of {len(times)}", f"{p90:.0f} ms",
            f"cache hit {served['hit_ms']:.0f} ms", p90 / served["hit_ms"], "< 300 ms",
            p90 < TARGETS["filter change ms"])
        row("  median / slowest", f"{statistics.median(times):.0f} / {max(times):.0f} ms",
            f"misses {sum(c == 'miss' for *_, c in served['changes'])} of {len(times)}; hit {served['hit_cache']}",
            None, "", None)

    header = ("what", "now", "floor, same run", "ratio", "target", "met?")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print()
    print(f"near the floor: code {code}; best of {runs} fresh processes per figure, interleaved with its floor")
    line = lambda cells: "| " + " | ".join(f"{c:<{w}}" for c, w in zip(cells, widths)) + " |"  # noqa: E731
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))
    print(f"\nload average at the end: {load()} ({os.cpu_count()} CPUs; other work on the machine makes every "
          "time above noisier)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--sizes", default="1000000",
                        type=lambda s: [int(x.replace("_", "")) for x in s.split(",") if x.strip()])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--gunicorn-size", type=int, default=1_000_000,
                        help="events served under gunicorn (one of --sizes; 0 skips the server)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    code = args.code.resolve()
    if not (code / "timeline" / "__init__.py").exists():
        parser.error(f"{code} holds no timeline package")
    if not args.sizes or min(args.sizes) < 1 or args.runs < 1:
        parser.error("--sizes and --runs must be positive")
    sizes = sorted(set(args.sizes))
    print(f"near the floor: sizes {', '.join(f'{n:,}' for n in sizes)}; code {code}; {args.runs} runs; "
          f"load average {load()}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="near-floor-"))
    started = time.perf_counter()
    try:
        results, served = [], None
        for n in sizes:
            folder = work / f"n{n}"
            subprocess.run([sys.executable, "-c", GENERATE, str(BENCHMARKS), str(n), str(args.seed), str(folder)],
                           check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            results.append(prepare(code, n, folder))
        # Every size in each round, so a busy stretch of the machine falls on all of them alike
        # (the per-row comparison is between sizes).
        for _ in range(args.runs):
            for result in results:
                measure_once(code, result)
        if args.gunicorn_size in sizes:
            served = measure_gunicorn(code, args.gunicorn_size, work / f"n{args.gunicorn_size}", work)
        report(code, results, served, args.gunicorn_size, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        SPAWNER.stdin.close()
        SPAWNER.wait()
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
