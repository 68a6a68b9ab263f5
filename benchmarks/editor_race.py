"""The editor race of issue 10, counted: one process runs ``add`` 21 times while an editor saves
the whole file 40 times or more without our lock (in place, or by writing a copy and renaming
it over), for this checkout and for ``--baseline``.

Counts, per save style: adds that said "added line N"; of those, rows missing afterwards, and
missing rows that ``check`` does not report (silently lost); editor saves missing afterwards.

    .venv/bin/python benchmarks/editor_race.py [--baseline /tmp/before] [--seed 1]

Target: no editor save lost; every add present or reported by check as dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = "date,end_date,reported,title,actors,kind,status,location,source,url,notes\n"
ADDER = """
import json, sys
from timeline.append import AddError, add_event
for i in range(21):
    try:
        plan = add_event(sys.argv[1], {"date": "2025-11-21", "reported": "2025-11-21",
                                       "title": f"Added {i}", "actors": "Ukraine"}, timeout=60)
    except AddError:
        continue
    print(i, flush=True)
"""
CHECK = """
import json, sys
from timeline.events import check_events
_, problems = check_events(sys.argv[1], name="events.csv")
print(json.dumps([p.message for p in problems]))
"""


def race(tree: Path, style: str, seed: int) -> dict:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        path.write_text(HEADER + "2025-11-20,,2025-11-20,Talks,Ukraine,talks,happened,,,,\n", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(tree)}
        adder = subprocess.Popen([sys.executable, "-c", ADDER, str(path)], cwd=tree, env=env,
                                 stdout=subprocess.PIPE, text=True)
        saves = 0
        while adder.poll() is None or saves < 40:
            text = path.read_text(encoding="utf-8")
            if not text.endswith("\n"):
                continue
            time.sleep(rng.uniform(0, 0.05))
            text += f"2025-11-22,,2025-11-22,Editor save {saves},Ukraine,,,,,,\n"
            if style == "in-place":
                path.write_text(text, encoding="utf-8")
            else:
                Path(f"{path}~").write_text(text, encoding="utf-8")
                os.replace(f"{path}~", path)
            saves += 1
            time.sleep(rng.uniform(0, 0.1))
        added = {int(line) for line in adder.stdout.read().split()}
        adder.stdout.close()
        adder.wait()
        final = path.read_text(encoding="utf-8")
        missing = {i for i in added if f",Added {i}," not in final}
        said = json.loads(subprocess.run([sys.executable, "-c", CHECK, str(path)], cwd=tree, env=env,
                                         capture_output=True, text=True, check=True).stdout)
        silent = {i for i in missing if not any(f",Added {i}," in message for message in said)}
        lost_saves = sum(f"Editor save {i}," not in final for i in range(saves))
        return {"added": len(added), "missing": len(missing), "silent": len(silent), "saves": saves,
                "saves_lost": lost_saves}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    trees = [("now", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    print(f"{'save style':<12}{'code':<10}{'added':>7}{'missing':>9}{'silently':>10}{'editor saves lost':>19}")
    for style in ("in-place", "rename"):
        for name, tree in trees:
            r = race(tree, style, args.seed)
            print(f"{style:<12}{name:<10}{r['added']:>7}{r['missing']:>9}{r['silent']:>10}"
                  f"{r['saves_lost']:>12} of {r['saves']}", flush=True)


if __name__ == "__main__":
    main()
