"""Do other people's files read well? Texts that overlap or leave the chart, per file and surface.

For each generated file of ``tests/awkwardfiles.py`` (and our events.csv), in headless Chromium:
the page at 1280x800, the page's chart on a 390x844 phone, and the report export (SVG), each
measured as a reader's eye would (tests/test_page_awkward.MEASURE: every visible text's box; two
overlap when they share more than 2x2 px and 15% of the smaller). The same files are measured with
this checkout and, with ``--base DIR``, with another checkout (say the code before a change) in the
same run, so the two columns compare like with like.

    .venv/bin/python benchmarks/awkward_picture.py [--base /tmp/base] [--files tweets,many_lanes]

Prints one line per file and surface: texts, overlapping pairs and texts off the chart, and for
the export the lanes it draws.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE / "tests"))

import awkwardfiles  # noqa: E402
from test_page_awkward import MEASURE  # noqa: E402

# Run inside the checkout measured (its own timeline package), one file per call.
PROBE = r"""
import json, logging, subprocess, sys, tempfile, os
from playwright.sync_api import sync_playwright
from timeline.app import create_app
from timeline.devserver import ThreadedServer
logging.getLogger("werkzeug").setLevel(logging.ERROR)
path, measure = sys.argv[1], sys.argv[2]
out = {}
server = ThreadedServer(create_app(path).server)
svg = os.path.join(tempfile.mkdtemp(), "figure.svg")
made = subprocess.run([sys.executable, "-m", "timeline", "export", path, "-o", svg], capture_output=True, text=True)
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
    for name, (w, h) in (("page 1280x800", (1280, 800)), ("phone 390x844", (390, 844))):
        page = browser.new_page(viewport={"width": w, "height": h}, is_mobile=w < 700, has_touch=w < 700)
        page.goto(server.url)
        page.wait_for_function("() => { const g = document.querySelector('#timeline-graph .js-plotly-plot');"
                               " return g && g.layout && g.querySelector('.annotation'); }", timeout=120000)
        if w < 700:
            page.locator("a.switch-link", has_text="Chart").click()
        page.wait_for_timeout(1000)
        out[name] = page.evaluate("(" + measure + ")(document.querySelector('#timeline-graph .js-plotly-plot'))")
        out[name]["lanes"] = page.evaluate("() => document.querySelectorAll('#timeline-graph .ytick').length")
        page.close()
    if made.returncode == 0:
        page = browser.new_page()
        page.goto("file://" + svg)
        out["report SVG"] = page.evaluate("(" + measure + ")(document.documentElement)")
        out["report SVG"]["lanes"] = page.evaluate("() => document.querySelectorAll('.ytick').length")
        page.close()
    else:
        out["report SVG"] = {"error": made.stderr.strip()[-200:]}
    browser.close()
server.stop()
print(json.dumps(out))
"""


def measure(checkout: Path, csv: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    result = subprocess.run([sys.executable, "-c", PROBE, str(csv), MEASURE], cwd=checkout, env=env,
                            capture_output=True, text=True, timeout=900)
    if result.returncode:
        return {"error": result.stderr.strip().splitlines()[-1:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, help="another checkout to measure beside this one")
    parser.add_argument("--files", default=",".join([*awkwardfiles.ALL, "events"]))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    checkouts = [("this", HERE)] + ([("base", args.base.resolve())] if args.base else [])
    print(f"{'file':<12} {'surface':<14}" + "".join(f" {name + ': texts/overlaps/off/lanes':>34}"
                                                     for name, _ in checkouts))
    for name in args.files.split(","):
        csv = HERE / "events.csv" if name == "events" else awkwardfiles.ALL[name](folder / f"{name}.csv")
        results = [measure(checkout, csv) for _, checkout in checkouts]
        for surface in ("page 1280x800", "phone 390x844", "report SVG"):
            cells = []
            for found in results:
                got = found.get(surface, found)
                cells.append(f"{got['n']}/{len(got['overlaps'])}/{len(got['outside'])}/{got['lanes']}"
                             if "n" in got else str(got.get("error"))[:34])
            print(f"{name:<12} {surface:<14}" + "".join(f" {c:>34}" for c in cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
