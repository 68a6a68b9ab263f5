"""Benchmark: normalizing 100,000 generated events.csv rows, against naive dateparser calls.

    .venv/bin/python benchmarks/dates_speed.py [--rows 100000] [--seed 7]

Prints the time and peak memory of `load_events` on the generated file (read, validate,
normalize dates, build the frame), then the naive pipeline (one `dateparser.parse(text)`
per row, timed on a sample and scaled to the same row count) and the ratio. The
measurement of each runs in a fresh child process so peak memory is its own.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "uk": ["січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
           "вересня", "жовтня", "листопада", "грудня"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
}
SHORT = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
RELATIVE = ["yesterday", "three days ago", "last month", "last week", "last weekend", "Friday",
            "on Sunday", "Saturday night", "Tuesday morning", "Thanksgiving", "two weeks ago"]


FORMS = (
    lambda d: f"{SHORT[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{MONTHS['en'][d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{d.day} {MONTHS['en'][d.month - 1]} {d.year}",
    lambda d: f"{MONTHS['en'][d.month - 1]} {d.year}",
    lambda d: str(d.year),
    lambda d: f"{d.day} {MONTHS['uk'][d.month - 1]} {d.year}",
    lambda d: f"{d.day} {MONTHS['ru'][d.month - 1]} {d.year} года",
    lambda d: f"{d.day} {MONTHS['fr'][d.month - 1]} {d.year}",
    lambda d: f"{d.day}. {MONTHS['de'][d.month - 1]} {d.year}",
)


def date_text(rng: random.Random, day: date) -> str:
    """One date as an editor might copy it (absolute forms only)."""
    return FORMS[rng.randrange(len(FORMS))](day)


def generate(path: str, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    first = date(1995, 1, 1)
    span = (date(2025, 12, 31) - first).days
    reported_days = [first + timedelta(days=rng.randrange(span)) for _ in range(400)]
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["date", "reported", "title", "actors", "kind", "status"])
        for i in range(rows):
            day = first + timedelta(days=rng.randrange(span))
            reported = ""
            status = "happened"
            if i % 2 == 0:
                text = day.isoformat()
            elif rng.random() < 0.2:
                reported_day = rng.choice(reported_days)
                reported = reported_day.isoformat()
                text = rng.choice(RELATIVE)
                status = "planned" if text == "Thanksgiving" else "happened"
            else:
                text = date_text(rng, day)
            writer.writerow([text, reported, f"Event {i}", f"Actor {i % 50}; Actor {(i * 7) % 50}", "talks", status])


def measure_ours(path: str) -> None:
    from timeline.events import load_events

    load_events(io.BytesIO(b"date,title,actors\n2025-11-23,warm-up,A\n"))  # import-time work out of the timing
    started = time.perf_counter()
    dataset = load_events(path)
    elapsed = time.perf_counter() - started
    print(f"{elapsed:.3f} {len(dataset.frame)}")


def measure_naive(path: str, sample: int) -> None:
    import dateparser

    with open(path, newline="", encoding="utf-8") as handle:
        texts = [row["date"] for row in csv.DictReader(handle)]
    rng = random.Random(1)
    picked = rng.sample(texts, sample)
    for text in picked[:50]:  # warm up: language data loads on first use, not per call
        dateparser.parse(text)
    started = time.perf_counter()
    for text in picked:
        dateparser.parse(text)
    elapsed = time.perf_counter() - started
    print(f"{elapsed:.3f} {len(texts)}")


def child(mode: str, path: str, sample: int) -> tuple[float, int, float]:
    """Run one measurement in a fresh interpreter; returns (seconds, rows, peak MB)."""
    code = (
        f"import sys; sys.path.insert(0, {ROOT!r}); sys.argv = ['x'];"
        f"from benchmarks.dates_speed import measure_{mode}; "
        + (f"measure_ours({path!r})" if mode == "ours" else f"measure_naive({path!r}, {sample})")
        + "; import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    timing, peak = out.stdout.strip().splitlines()[-2:]
    seconds, rows = timing.split()
    return float(seconds), int(rows), int(peak) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=2_000, help="rows timed for the naive pipeline")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "events.csv")
        generate(path, args.rows, args.seed)
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        distinct = len({(r["date"], r["reported"], r["status"]) for r in rows})
        print(f"rows: {len(rows):,}  distinct (text, reported, status): {distinct:,}  "
              f"file: {os.path.getsize(path) / 1e6:.1f} MB")

        ours, loaded, ours_peak = child("ours", path, args.sample)
        naive_sample, total, naive_peak = child("naive", path, args.sample)
        naive = naive_sample / args.sample * total
        print(f"timeline load_events: {ours:8.2f} s   peak RSS {ours_peak:6.0f} MB   ({loaded:,} events)")
        print(f"naive dateparser.parse per row: {naive:8.2f} s   "
              f"(timed {args.sample:,} rows: {naive_sample:.2f} s, scaled to {total:,})")
        print(f"speed-up: {naive / ours:.0f}x   targets: < 5 s, < 500 MB peak -> "
              f"{'PASS' if ours < 5 and ours_peak < 500 else 'MISS'}")


if __name__ == "__main__":
    main()
