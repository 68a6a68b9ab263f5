"""How long does ``check`` take on small hostile files, here and in a baseline checkout?

The files of the issue: 2,000 (and 4,000) distinct actors in about 50 KB (every unknown
actor used to be compared with every other through difflib), a single 5 MB date cell
(dateparser was called twice on it), and the 2,000-actor file after a one-row append
checked by the same loader (the spelling warning used to be re-done in full). Each is
timed in a fresh ``python -m timeline check`` process, wall clock, best of ``--runs``;
the same files are timed with the code of ``--baseline`` (a git worktree, for example
``git worktree add --detach /tmp/before cdf9313``), so both columns come from one run
on one machine. Runs the baseline with a time cap (``--cap`` seconds, shown as ">cap").

    .venv/bin/python benchmarks/hostile_check.py [--baseline /tmp/before] [--runs 3] [--cap 120] [--fuzz 3000]

``--fuzz N`` also checks the fuzz test's N mutated files (tests/fuzzfiles.py, seed 10) each
with a fresh loader, as a first check of a new file would, and prints the slowest.

Target (issue 10): each file checked in under 2 s; no mutated file over 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def actors_file(path: Path, count: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    word = lambda n: "".join(rng.choice(string.ascii_lowercase) for _ in range(n)).title()  # noqa: E731
    rows = ["date,title,actors"] + [f"2025-11-{1 + i % 28:02d},Event {i},{word(6)} {word(7)}" for i in range(count)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def long_date_file(path: Path, size: int) -> Path:
    path.write_text(f"date,title,actors\n{'7' * size},A long date,Ukraine\n", encoding="utf-8")
    return path


def appended_twice(path: Path, source: Path) -> Path:
    """A script checking ``source``, appending one row (naming an actor already in it, as most do),
    and checking again with the same loader."""
    path.write_text(
        "import sys, time\n"
        "from timeline.events import EventLoader\n"
        "loader = EventLoader()\n"
        f"data = open({str(source)!r}, 'rb').read()\n"
        "loader.check(data, 'events.csv')\n"
        "start = time.perf_counter()\n"
        "actor = data.splitlines()[1].split(b',')[2]\n"
        "loader.check(data + b'2025-11-29,One more,' + actor + b'\\n', 'events.csv')\n"
        "print(f'{time.perf_counter() - start:.3f}')\n", encoding="utf-8")
    return path


def env(tree: Path) -> dict:
    """The checkout's own package first, whatever the environment has installed."""
    return {**os.environ, "PYTHONPATH": str(tree)}


def timed(command: list[str], cwd: Path, cap: float) -> float | None:
    start = time.perf_counter()
    try:
        subprocess.run(command, cwd=cwd, env=env(cwd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=cap)
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - start


def append_time(script: Path, cwd: Path, cap: float) -> float | None:
    try:
        done = subprocess.run([sys.executable, str(script)], cwd=cwd, env=env(cwd), capture_output=True, text=True,
                              timeout=cap)
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout.strip()) if done.returncode == 0 else None


def show(value: float | None, cap: float) -> str:
    return f">{cap:g} s" if value is None else f"{value:.2f} s"


def fuzz(count: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT))
    from fuzzfiles import cases

    from timeline.actors import load_actors
    from timeline.events import EventLoader

    slowest, total = [], 0.0
    for number, (events, actors) in enumerate(cases(count, 10)):
        began = time.perf_counter()
        EventLoader(load_actors(actors)[0]).check(events, "events.csv")
        elapsed = time.perf_counter() - began
        total += elapsed
        slowest = sorted(slowest + [(elapsed, number)], reverse=True)[:3]
    print(f"fuzz: {count} mutated files, {total:.1f} s in all; slowest: "
          + ", ".join(f"#{n} {t:.2f} s" for t, n in slowest))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, default=None, help="a checkout of the code to compare with")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cap", type=float, default=120.0)
    parser.add_argument("--fuzz", type=int, default=0, help="also time this many mutated files")
    args = parser.parse_args()
    trees = [("now", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        files = [
            ("2,000 actors", actors_file(folder / "actors2000.csv", 2000)),
            ("4,000 actors", actors_file(folder / "actors4000.csv", 4000)),
            ("5 MB date cell", long_date_file(folder / "longdate.csv", 5_000_000)),
        ]
        script = appended_twice(folder / "append.py", files[0][1])
        print(f"{'file':<34}" + "".join(f"{name:>14}" for name, _ in trees))
        for label, path in files:
            size = path.stat().st_size
            cells = []
            for _, tree in trees:
                runs = [timed([sys.executable, "-m", "timeline", "check", str(path)], tree, args.cap)
                        for _ in range(1 if tree != ROOT else args.runs)]
                cells.append(None if None in runs else min(runs))
            print(f"{label + f' ({size / 1e3:,.0f} KB)':<34}" + "".join(f"{show(c, args.cap):>14}" for c in cells))
        cells = [append_time(script, tree, args.cap) for _, tree in trees]
        print(f"{'one-row append, same loader':<34}" + "".join(f"{show(c, args.cap):>14}" for c in cells))
        print("(a full check in a fresh process, including Python's start and imports; target < 2 s)")
    if args.fuzz:
        fuzz(args.fuzz)


if __name__ == "__main__":
    main()
