"""How fast is filter + build_figure, and how big is the figure, at 1k / 10k / 100k events?

Compared, in the same run, with the straightforward build: one
``px.timeline`` over every (event, actor) row with hover data on every bar.

    .venv/bin/python benchmarks/figure_speed.py [--sizes 1000 10000 100000] [--runs 5]

Targets: < 50 ms at 10k and < 500 ms at 100k for the page callback (filter +
figure), figure JSON < 5 MB at 100k.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd  # noqa: E402
import plotly.express as px  # noqa: E402
from synthetic import AS_OF, members, synthetic_frame  # noqa: E402

from timeline import filters  # noqa: E402
from timeline.figure import build_figure  # noqa: E402
from timeline.filters import View  # noqa: E402


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, result


def naive(frame: pd.DataFrame):
    rows = frame.explode("actors")
    rows = rows.assign(finish=rows["end"] + pd.Timedelta(days=1))
    return px.timeline(rows, x_start="start", x_end="finish", y="actors", color="kind",
                       hover_data=["title", "date_text", "status", "location", "source"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    groups = members()
    first, last = AS_OF - pd.DateOffset(years=30), AS_OF + pd.Timedelta(days=6)
    scenarios = {
        "default (recent)": View(),
        "one state": View(actors=("State 03",)),
        "search": View(search="ceasefire"),
        "whole span": View(window=(first.date(), last.date())),
    }
    header = f"{'events':>7}  {'view':<17} {'mode':<10} {'filter+fig ms':>13} {'to_json ms':>10} {'JSON KB':>9}"
    print(header)
    print("-" * len(header))
    naive_rows = []
    for n in args.sizes:
        frame = synthetic_frame(n)
        t = time.perf_counter()
        filters.index_for(frame)
        index_ms = (time.perf_counter() - t) * 1000
        for name, view in scenarios.items():
            def page(view=view, frame=frame):
                kept = filters.apply(frame, view, groups)  # what the app shows as the count
                return len(kept), build_figure(frame, view, as_of=AS_OF, members=groups)
            build_figure(frame, view, as_of=AS_OF, members=groups)  # warm caches (search text)
            ms, (_, fig) = timed(page, args.runs)
            json_ms, text = timed(fig.to_json, max(1, args.runs // 2))
            mode = "counts" if any(t.type == "heatmap" for t in fig.data) else "events"
            print(f"{n:>7}  {name:<17} {mode:<10} {ms:>13.1f} {json_ms:>10.1f} {len(text) / 1024:>9.0f}")
        print(f"{n:>7}  (one-off index build: {index_ms:.0f} ms)")
        naive_runs = 1 if n >= 100_000 else min(3, args.runs)
        naive_ms, fig = timed(lambda frame=frame: naive(frame), naive_runs)
        naive_json_ms, text = timed(fig.to_json, 1)
        ours_ms, ours = timed(lambda frame=frame: build_figure(frame, View(), as_of=AS_OF, members=groups),
                              args.runs)
        ours_json = len(ours.to_json())
        naive_rows.append((n, naive_ms, naive_json_ms, len(text), ours_ms, ours_json))

    print()
    print("straightforward px.timeline (all rows, hover on every bar) vs build_figure (default view):")
    header = (f"{'events':>7}  {'px ms':>9} {'px json ms':>10} {'px KB':>9}   {'ours ms':>8} {'ours KB':>8}"
              f"   {'speed-up':>8} {'smaller':>8}")
    print(header)
    print("-" * len(header))
    for n, p_ms, p_json, p_size, o_ms, o_size in naive_rows:
        print(f"{n:>7}  {p_ms:>9.0f} {p_json:>10.0f} {p_size / 1024:>9.0f}   {o_ms:>8.1f} {o_size / 1024:>8.0f}"
              f"   {p_ms / o_ms:>7.0f}x {p_size / o_size:>7.0f}x")


if __name__ == "__main__":
    main()
