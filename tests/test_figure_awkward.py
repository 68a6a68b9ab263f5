"""Files nobody on this project wrote (tests/awkwardfiles.py): the figure's placement holds on each.

For every file, on the page (1232 px), on a phone (370 px) and in a report (1600 px, as tall as
its lanes need), the written titles and "+N more" boxes of the figure:
* overlap no other text, measured as the browser would lay them out (Liberation Sans metrics);
* stay inside the plot, and lane names inside the left margin;
* account for every event in view: each is titled or counted.
"""

from __future__ import annotations

import html
import re
from itertools import combinations

import pytest

import awkwardfiles
from timeline.events import load_events
from timeline.figure import figure_spec
from timeline.figure.labels import line_px
from timeline.figure.style import text_width
from timeline.filters import View

SIZES = {"page": dict(width=1232, height=720), "phone": dict(width=370, height=800),
         "report": dict(width=1600, report=True), "report-900": dict(width=1600, height=900, report=True)}
TAGS = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("awkward")
    made = {name: load_events(make(folder / f"{name}.csv")) for name, make in awkwardfiles.ALL.items()}
    made["events"] = load_events(awkwardfiles.Path(__file__).resolve().parent.parent / "events.csv")
    return made


def plain_lines(text: str) -> list[str]:
    return [html.unescape(TAGS.sub("", line)) for line in text.split("<br>")]


def text_boxes(spec: dict) -> list[tuple[str, float, float, float, float]]:
    """(text, x0, x1, y0, y1) in plot pixels of every title and count drawn on the chart."""
    lay = spec["layout"]
    boxes = []
    for note in lay["annotations"]:
        if note.get("name") not in ("label", "more"):
            continue
        lines = plain_lines(note["text"])
        size = note["font"]["size"]
        bold = note["name"] == "more"
        width = max(text_width(line, size, bold=bold) for line in lines) + (4 if bold else 0)
        x0 = note["x"] if note["xanchor"] == "left" else note["x"] - width
        half = len(lines) * size * 1.15 / 2
        boxes.append((" ".join(lines), x0, x0 + width, note["y"] - half, note["y"] + half))
    return boxes


def plot_size(spec: dict) -> tuple[float, float]:
    lay = spec["layout"]
    return lay["width"] - lay["margin"]["l"] - lay["margin"]["r"], lay["height"] - lay["margin"]["t"] - lay["margin"]["b"]


VIEWS = {"default": View(), "actors": View(lanes="actors"), "kinds": View(lanes="kinds"), "time": View(axis="time")}


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", [*awkwardfiles.ALL, "events"])
def test_no_text_overlaps_leaves_the_plot_or_is_silent(files, name, size, view):
    dataset = files[name]
    spec = figure_spec(dataset.frame, VIEWS[view], as_of=dataset.as_of, members=dataset.members, **SIZES[size])
    width, height = plot_size(spec)
    boxes = text_boxes(spec)
    # Titles, or (past a thousand marks in view) counts per period, said so above the chart.
    assert boxes or any(n.get("name") == "aggregate-note" for n in spec["layout"]["annotations"])
    for text, x0, x1, y0, y1 in boxes:
        assert x0 >= -1 and x1 <= width + 1, f"{text!r} leaves the plot: {x0:.0f}..{x1:.0f} of {width:.0f}"
        assert y0 >= -1 and y1 <= height + 1, f"{text!r} below the plot: {y0:.0f}..{y1:.0f} of {height:.0f}"
    for a, b in combinations(boxes, 2):
        w = min(a[2], b[2]) - max(a[1], b[1])
        h = min(a[4], b[4]) - max(a[3], b[3])
        assert not (w > 2 and h > 2), f"{a[0]!r} overlaps {b[0]!r}"
    meta = spec["layout"]["meta"]
    assert meta["written"] + meta["counted"] == meta["events"], "every event in view is titled or counted"
    # Lane names fit the left margin.
    lay = spec["layout"]
    for tick in lay["yaxis"]["ticktext"]:
        bold = tick.startswith("<b>")
        assert text_width(plain_lines(tick)[0], lay["yaxis"]["tickfont"]["size"], bold=bold) <= lay["margin"]["l"]


@pytest.mark.parametrize("name", [*awkwardfiles.ALL])
def test_long_titles_wrap_then_shorten_and_stay_whole_on_hover(files, name):
    dataset = files[name]
    spec = figure_spec(dataset.frame, View(), as_of=dataset.as_of, members=dataset.members, width=1232, height=720)
    for note in (n for n in spec["layout"]["annotations"] if n.get("name") == "label"):
        lines = plain_lines(note["text"])
        assert len(lines) <= 2
        assert all(text_width(line, note["font"]["size"]) <= line_px(note["font"]["size"]) + 1 for line in lines)
        if lines[-1].endswith("…"):  # shortened: the whole title is one hover away
            assert html.unescape(note["hovertext"]).startswith(" ".join(lines)[:-1].rstrip())


def test_the_report_of_our_file_writes_every_title_in_full(files):
    dataset = files["events"]
    spec = figure_spec(dataset.frame, View(), as_of=dataset.as_of, members=dataset.members, width=1600, report=True)
    written = {" ".join(plain_lines(n["text"])) for n in spec["layout"]["annotations"] if n.get("name") == "label"}
    titles = dataset.frame["title"].tolist()
    assert len(titles) == 33
    assert all(any(written_text.startswith(t) for written_text in written) for t in titles)
    assert not any(text.endswith("…") for text in written)


def test_a_report_grows_with_its_lanes_then_says_which_it_leaves_out(tmp_path):
    few = load_events(awkwardfiles.many_lanes(tmp_path / "few.csv", lanes=12))
    many = load_events(awkwardfiles.many_lanes(tmp_path / "many.csv", lanes=120))
    spec_few = figure_spec(few.frame, View(), width=1600, report=True)
    spec_many = figure_spec(many.frame, View(), width=1600, report=True)
    assert spec_few["layout"]["height"] < spec_many["layout"]["height"] <= 2400
    assert spec_few["layout"]["meta"]["lane_count"] == 12 and "lanes_left_out" not in spec_few["layout"]["meta"]
    meta = spec_many["layout"]["meta"]
    drawn, left_out = meta["lane_count"], meta["lanes_left_out"]
    assert drawn + left_out == 120 and left_out > 0
    note = next(n for n in spec_many["layout"]["annotations"] if n.get("name") == "lanes-left-out")
    assert note["text"].startswith(f"{left_out:,} of 120 lanes not drawn")
    assert "--actor" in note["text"] and "--height" in note["text"]
    subtitle = spec_many["layout"]["title"]["subtitle"]["text"]
    assert subtitle.startswith(f"The busiest {drawn} of 120 lanes") and "All events" not in subtitle
    # A given height is kept exactly, and holds fewer lanes.
    short = figure_spec(many.frame, View(), width=1600, height=900, report=True)
    assert short["layout"]["height"] == 900 and short["layout"]["meta"]["lane_count"] < drawn


def test_a_filtered_report_is_not_half_empty(files):
    dataset = files["events"]
    whole = figure_spec(dataset.frame, View(), as_of=dataset.as_of, members=dataset.members, width=1600, report=True)
    one = figure_spec(dataset.frame, View(actors=("Russia",)), as_of=dataset.as_of, members=dataset.members,
                      width=1600, report=True)
    assert one["layout"]["height"] < whole["layout"]["height"]
    _, plot_height = plot_size(one)
    lanes = one["layout"]["yaxis"]["tickvals"]
    assert plot_height <= max(lanes) + 80 or one["layout"]["height"] <= 520  # no tall empty band under the lanes


@pytest.mark.parametrize("name", [*awkwardfiles.ALL, "events"])
def test_a_phone_legend_is_never_clipped(files, name):
    """Two columns under the chart: each entry's words fit its half of the width beside its symbol."""
    dataset = files[name]
    spec = figure_spec(dataset.frame, View(), as_of=dataset.as_of, members=dataset.members, width=370, height=800)
    lay = spec["layout"]
    entries = [t["name"] for t in spec["data"] if t.get("showlegend", True) and t.get("x") == [None]]
    assert entries and lay["legend"]["orientation"] == "h"
    column = lay["width"] * lay["legend"]["entrywidth"]
    for entry in entries:
        assert text_width(entry, lay["legend"]["font"]["size"]) + 70 <= column, entry  # symbol, gaps, edge
    # Under the chart, in a bottom margin tall enough for its rows (two entries a row).
    assert lay["margin"]["b"] >= 20 * -(-len(entries) // 2)
