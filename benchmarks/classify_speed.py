"""Benchmark: DateReader._classified over the distinct date texts of a generated file, the readers alone
against the fast paths (an exact ISO day; a template already read from a named month), in the same run.

    .venv/bin/python benchmarks/classify_speed.py [--rows 1000000] [--seed 7] [--path /tmp/x.csv] [--rounds 2]

The file is benchmarks/dates_speed.py's, a fifth of its rows in ten other languages.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from benchmarks.dates_speed import generate  # noqa: E402
from timeline.dates import DateReader  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--path", help="the generated file (kept); a temporary one when not given")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.path or os.path.join(folder, "dates.csv")
        if not os.path.exists(path):
            generate(path, args.rows, args.seed, other_languages=0.2)
        with open(path, encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            next(rows)
            texts = sorted({row[0].strip() for row in rows})
    print(f"{len(texts):,} distinct date texts of {args.rows:,} rows (seed {args.seed})")
    DateReader()._classified("21 November 2025", None, None)  # vocabulary and imports out of the timing
    for _ in range(args.rounds):
        for order in (None, "DMY"):
            seconds = {}
            for fast in (False, True):
                reader = DateReader()
                reader._fast = fast
                started = time.perf_counter()
                for text in texts:
                    reader._classified(text, None, order)
                seconds[fast] = time.perf_counter() - started
            print(f"order {order}: readers alone {seconds[False]:.2f} s, fast paths {seconds[True]:.2f} s, "
                  f"{seconds[False] / seconds[True]:.1f}x")


if __name__ == "__main__":
    main()
