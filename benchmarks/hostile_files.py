"""Time and peak memory of ``check`` on big hostile files, against a valid file of the same size.

The files of issue 17 (part 2), each ``--mb`` MB (20 by default):

- a header followed by blank lines (each blank line used to become a Python list);
- ``x`` rows (a row of one cell: three errors each, 31 million lines of output at 20 MB);
- rows of commas only (blank rows that are not empty lines);
- lines that are not UTF-8 (one problem each);
- a valid file (benchmarks/dates_speed.py, seed 7), the baseline the others are compared with.

Each is checked by ``python -m timeline check FILE`` in a fresh process, with the Parquet
store off, here and, with ``--baseline``, in another checkout (for example
``git worktree add --detach /tmp/before 8c6fb88``), so both columns come from one run on
one machine. Printed per file and checkout: wall time, the child's peak memory (its own
``ru_maxrss`` from ``wait4``), lines and bytes of output, then each figure as a ratio to the
valid file's in the same checkout, and peak memory per MB of input over the cost of
checking a tiny file (the fixed base: the interpreter and its imports). Each file is also made at
half its size ("/2"): "growth" is what each MB more costs, (peak - peak at half) / (MB - MB at half),
the fixed base of a big file (pyarrow, the date languages it names) left out.

A run over ``--cap`` seconds or ``--max-gb`` of memory is stopped (shown as ">"): the
baseline needs minutes and several GB on the ``x`` file, and the machine may be shared.

    .venv/bin/python benchmarks/hostile_files.py [--baseline /tmp/before] [--mb 20] [--cap 300] [--max-gb 6]

Target (issue 17): a hostile file costs no more than a valid one of its size, at most
1,000 problems are printed in full, and peak memory stays within about 4x the file's size
plus the fixed base.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from dates_speed import generate  # noqa: E402
from hostile_check import env  # noqa: E402  (the small hostile files' benchmark: the same checkout first)

HEADER = b"date,end_date,reported,title,actors,kind,status,location,source,url,notes\n"


def repeated(path: Path, size: int, line: bytes, header: bytes = HEADER) -> Path:
    with open(path, "wb") as out:
        out.write(header)
        block = line * ((1 << 16) // len(line) + 1)
        written = 0
        while written < size:
            out.write(block)
            written += len(block)
    return path


def tiny(path: Path) -> Path:
    path.write_bytes(HEADER + b"2025-11-21,,,Talks,Ukraine\n")
    return path


def valid(path: Path, size: int) -> Path:
    """A file from dates_speed.generate about ``size`` bytes long (its rows are about 60 bytes)."""
    generate(str(path), 1000, 7)
    per_row = path.stat().st_size / 1000
    generate(str(path), int(size / per_row), 7)
    os.unlink(str(path) + ".other")
    return path


class Run:
    """One ``check`` in a child process: seconds, peak MB, output lines and bytes; None when stopped."""

    def __init__(self, tree: Path, path: Path, cap: float, max_mb: float):
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "timeline", "check", str(path)], cwd=tree,
                                 env={**env(tree), "TIMELINE_CACHE_DIR": "off"},
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines = self.bytes = 0
        counter = threading.Thread(target=self._count, args=(child.stdout,), daemon=True)
        counter.start()
        self.stopped = ""
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > cap:
                self.stopped = f">{cap:g} s"
            elif _rss_mb(child.pid) > max_mb:
                self.stopped = f">{max_mb / 1024:g} GB"
            if self.stopped:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.02)
        self.seconds = time.perf_counter() - started
        counter.join()
        self.peak = usage.ru_maxrss / 1024
        self.code = os.waitstatus_to_exitcode(status)

    def _count(self, stream) -> None:
        while chunk := stream.read(1 << 20):
            self.lines += chunk.count(b"\n")
            self.bytes += len(chunk)


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, default=None, help="a checkout of the code to compare with")
    parser.add_argument("--mb", type=float, default=20.0, help="size of each file, in MB")
    parser.add_argument("--cap", type=float, default=300.0, help="seconds before a run is stopped")
    parser.add_argument("--max-gb", type=float, default=6.0, help="memory at which a run is stopped")
    parser.add_argument("--only", default="", help="comma-separated labels to run (default: all)")
    args = parser.parse_args()
    size = int(args.mb * 1e6)
    trees = [("now", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        makers = [
            ("valid", lambda path, size: valid(path, size)),
            ("blank lines", lambda path, size: repeated(path, size, b"\n")),
            ("x rows", lambda path, size: repeated(path, size, b"x\n")),
            ("comma rows", lambda path, size: repeated(path, size, b",,,,\n")),
            ("not UTF-8", lambda path, size: repeated(path, size, b"2025-11-21,,,Caf\xe9,Ukraine\n")),
        ]
        files = [("tiny", tiny(folder / "tiny.csv"))]
        for label, make in makers:
            files.append((f"{label} /2", make(folder / f"{label.replace(' ', '-')}-half.csv", size // 2)))
            files.append((label, make(folder / f"{label.replace(' ', '-')}.csv", size)))
        wanted = {"valid", "tiny", *filter(None, args.only.split(","))} if args.only else None
        for tree_name, tree in trees:
            print(f"\n{tree_name}: {tree}", flush=True)
            print(f"  {'file':<14}{'MB':>7}{'time':>11}{'peak':>10}{'out lines':>12}{'out MB':>9}"
                  f"{'time/valid':>12}{'peak/valid':>12}{'(peak-base)/size':>18}{'growth':>9}", flush=True)
            runs = {}
            for label, path in files:
                if wanted is not None and label.removesuffix(" /2") not in wanted:
                    continue
                run = runs[label] = Run(tree, path, args.cap, args.max_gb * 1024)
                mb = path.stat().st_size / 1e6
                seconds, peak = f"{run.seconds:.2f} s", f"{run.peak:.0f} MB"
                if run.stopped:  # the figure that was not stopped is a lower bound too
                    seconds = run.stopped if run.stopped.endswith(" s") else f"{run.seconds:.0f} s+"
                    peak = run.stopped if run.stopped.endswith("GB") else f"{run.peak:.0f} MB+"
                ratios = ""
                if label != "tiny" and not label.endswith(" /2"):
                    good = runs["valid"]
                    ratios = (f"{run.seconds / good.seconds:>11.1f}x{run.peak / good.peak:>11.1f}x"
                              f"{(run.peak - runs['tiny'].peak) / mb:>17.1f}x")
                    half = runs.get(f"{label} /2")
                    if half is not None:  # what each MB more costs: the fixed base of a big file left out
                        half_mb = next(p for name, p in files if name == f"{label} /2").stat().st_size / 1e6
                        ratios += f"{(run.peak - half.peak) / (mb - half_mb):>8.1f}x"
                print(f"  {label:<14}{mb:>7.1f}{seconds:>11}{peak:>10}{run.lines:>12,}{run.bytes / 1e6:>9.1f}"
                      f"{ratios}", flush=True)
    print("\n(a fresh process each, imports included; peak is the child's ru_maxrss; "
          "'+': the run was stopped, so the true figure is higher)")


if __name__ == "__main__":
    main()
