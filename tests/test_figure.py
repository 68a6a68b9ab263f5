import html
import json
import re
import sys
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from framehelpers import NEWS_AS_OF, NEWS_MEMBERS, event, frame, news_frame

from timeline import figure as tf
from timeline.figure import (
    build_figure,
    date_labels,
    default_window,
    label_tiers,
    place_labels,
    text_width,
    window_from_relayout,
)
from timeline.filters import View, describe
from timeline.schema import KINDS, PRECISIONS

NEWS = news_frame()
ID = dict(zip(NEWS["title"], NEWS["id"].astype(str)))
MALICIOUS = "<img src=x onerror=alert(1)> & co"


def build(view=View(), data=NEWS, **kwargs):
    kwargs = {"width": 1280, "height": 800, **kwargs}
    return build_figure(data, view, as_of=NEWS_AS_OF, members=NEWS_MEMBERS, **kwargs)


def lanes(fig) -> list[str]:
    return [t.removeprefix("<b>").removesuffix("</b>") for t in fig.layout.yaxis.ticktext]


def labels(fig) -> list:
    return [a for a in fig.layout.annotations if a.name == "label"]


def label_texts(fig) -> list[str]:
    return [a.text.removeprefix("<i>").removesuffix("</i>").removeprefix("<s>").removesuffix("</s>")
            for a in labels(fig)]


def event_traces(fig) -> list:
    return [t for t in fig.data if t.customdata is not None and len(t.customdata)]


def marks(fig) -> list[tuple[str, str, object]]:
    """(event id, lane name, trace) of every drawn mark."""
    names = lanes(fig)
    return [(row[0], names[int(round(y))], t) for t in event_traces(fig) for row, y in zip(t.customdata, t.y)]


def trace_of(fig, title):
    return next(t for t in event_traces(fig) if ID[title] in {row[0] for row in t.customdata})


def hover_row(fig, title):
    t = trace_of(fig, title)
    return tuple(next(row for row in t.customdata if row[0] == ID[title]))[1:]


# ---------------------------------------------------------------- validity and the marks


@pytest.mark.parametrize("view, kwargs", [
    (View(), {}),
    (View(actors=("Ukraine", "Steve Witkoff")), {}),
    (View(lanes="kinds"), {}),
    (View(), {"report": True, "width": 1600, "height": 900, "title": "Peace plan"}),
    (View(search="no such thing"), {}),
    (View(search="no such thing"), {"report": True}),
    (View(window=(date(1991, 1, 1), date(2025, 12, 31))), {"width": None, "height": None}),
])
def test_figure_is_valid_plotly(view, kwargs):
    fig = build(view, **kwargs)
    go.Figure(fig.to_dict())  # full validation, which build_figure skips for speed
    json.loads(fig.to_json())


def test_every_event_is_drawn_once_in_each_of_its_actors_lanes():
    fig = build()
    drawn = {}
    for event_id, lane, _ in marks(fig):
        drawn.setdefault(event_id, []).append(lane)
    for _, row in NEWS.iterrows():
        assert sorted(drawn[str(row["id"])]) == sorted(row["actors"]), row["title"]


def test_marks_per_lane():
    fig = build()
    per_lane = pd.Series([lane for _, lane, _ in marks(fig)]).value_counts()
    expected = NEWS["actors"].explode().value_counts()
    assert per_lane.sort_index().to_dict() == expected.sort_index().to_dict()
    assert per_lane["Ukraine"] == 10 and per_lane["Marco Rubio"] == 4


def test_lanes_group_officials_under_their_state():
    names = lanes(build())
    assert names[:4] == ["United States", "Donald Trump", "Steve Witkoff", "Marco Rubio"]
    assert names[4:8] == ["Ukraine", "Volodymyr Zelensky", "Rustem Umerov", "Andriy Yermak"]
    assert names[8:] == ["Russia", "Kirill Dmitriev", "Vladimir Putin", "European Union"]
    bold = [t for t in build().layout.yaxis.ticktext if t.startswith("<b>")]
    assert bold == ["<b>United States</b>", "<b>Ukraine</b>", "<b>Russia</b>"]


def test_actor_filter_shows_chosen_actors_and_their_officials():
    fig = build(View(actors=("Ukraine", "Steve Witkoff")))
    assert lanes(fig) == ["Ukraine", "Volodymyr Zelensky", "Rustem Umerov", "Andriy Yermak", "Steve Witkoff"]
    assert ID["Witkoff trip to Moscow"] in {m[0] for m in marks(fig)}
    assert ID["Putin says plan could be basis"] not in {m[0] for m in marks(fig)}


def test_kind_lanes_show_kinds_in_view_in_vocabulary_order():
    fig = build(View(lanes="kinds"))
    in_window = ["talks", "meeting", "travel", "proposal", "statement", "deadline", "sanction", "other"]
    assert lanes(fig) == in_window  # "agreement" (1994) is outside the window
    assert all(lane == NEWS.set_index(NEWS["id"].astype(str)).at[i, "kind"] for i, lane, _ in marks(fig))


def test_connector_ties_the_marks_of_a_multi_actor_event():
    fig = build()
    link = next(t for t in fig.data if t.name == "same event (linked)")
    segments = {(x0, y0, y1) for x0, x1, y0, y1 in zip(link.x[0::3], link.x[1::3], link.y[0::3], link.y[1::3])
                if x0 == x1}
    names = lanes(fig)
    geneva = [names.index(a) for a in ("Marco Rubio", "Steve Witkoff", "Rustem Umerov", "Andriy Yermak")]
    assert any(x.startswith("2025-11-23") and round(y0) == min(geneva) and round(y1) == max(geneva)
               for x, y0, y1 in segments)
    single = sum(NEWS["actors"].map(len) > 1)
    assert len(segments) == single
    assert link.showlegend


def test_day_events_are_markers_and_periods_are_bars():
    fig = build()
    month = trace_of(fig, "28-point plan drafted")
    assert month.type == "bar" and month.marker.pattern.shape == "/"  # approximate: hatched
    exact = trace_of(fig, "Abu Dhabi talks with Russian delegation")
    assert exact.type == "bar" and not exact.marker.pattern.shape
    i = [row[0] for row in exact.customdata].index(ID["Abu Dhabi talks with Russian delegation"])
    assert exact.base[i] == "2025-11-24" and exact.x[i] == 2 * 86_400_000
    week = trace_of(fig, "Ceasefire talks in week of Nov 3")
    assert week.type == "bar" and week.marker.pattern.shape == "/"
    assert trace_of(fig, "Geneva talks on US peace plan").mode == "markers"


def test_status_styles():
    fig = build()
    assert trace_of(fig, "Geneva talks on US peace plan").marker.symbol == "circle"
    assert trace_of(fig, "Witkoff–Umerov follow-up call").marker.symbol == "circle-open"
    assert trace_of(fig, "Energy truce proposal").marker.symbol == "square-open"
    assert trace_of(fig, "Planned Istanbul round cancelled").marker.symbol == "x"
    assert "<s>Planned Istanbul round cancelled</s>" in [a.text for a in labels(fig)]
    legend = {t.name for t in fig.data if t.showlegend is not False and t.customdata is None}
    assert {"happened", "planned / proposed", "cancelled", "approximate date"} <= legend
    assert {"talks", "deadline", "statement"} <= legend
    assert "agreement" not in legend  # the only agreement (1994) is outside the window
    assert "agreement" in {t.name for t in build(View(window=(date(1994, 1, 1), date(1994, 12, 31)))).data}


def test_deadline_stands_out():
    fig = build()
    deadline = trace_of(fig, "Deadline to accept peace plan (Thanksgiving)")
    assert deadline.marker.symbol == "diamond-open"  # a planned deadline
    assert deadline.marker.size > trace_of(fig, "Geneva talks on US peace plan").marker.size
    lines = [s for s in fig.layout.shapes if s.name == "deadline"]
    assert [s.x0[:10] for s in lines] == ["2025-11-27"] and lines[0].line.dash == "dot"


def test_as_of_line_and_label():
    fig = build()
    line = next(s for s in fig.layout.shapes if s.name == "as-of")
    assert line.x0 == line.x1 == "2025-11-24T12:00:00" and line.yref == "paper"
    assert [a.text for a in fig.layout.annotations if a.name == "as-of"] == ["as of 24 Nov 2025"]
    no_date = build_figure(NEWS, View(), members=NEWS_MEMBERS)
    assert not [s for s in no_date.layout.shapes if s.name == "as-of"]


def test_hover_data():
    fig = build()
    title, when, written, actors, details = hover_row(fig, "Geneva talks on US peace plan")
    assert (title, when, written) == ("Geneva talks on US peace plan", "23 Nov 2025", "Sunday")
    assert actors == "Marco Rubio; Steve Witkoff; Rustem Umerov; Andriy Yermak"
    assert details == "talks · happened<br>Geneva · Source: The Washington Post"
    assert hover_row(fig, "28-point plan drafted")[1:3] == ("Oct 2025 (month)", "October")
    assert hover_row(fig, "Ceasefire talks in week of Nov 3")[1] == "week of 3 Nov 2025"
    assert hover_row(fig, "Abu Dhabi talks with Russian delegation")[1:3] == (
        "24 Nov 2025 – 25 Nov 2025", "2025-11-24 → 2025-11-25")
    assert all("customdata" in t.hovertemplate for t in event_traces(fig))


@pytest.mark.parametrize("start, end, precision, text", [
    ("2025-11-23", "2025-11-23", "day", "23 Nov 2025"),
    ("2025-11-23", "2025-11-25", "day", "23 Nov 2025 – 25 Nov 2025"),
    ("2025-10-01", "2025-10-31", "month", "Oct 2025 (month)"),
    ("2025-10-01", "2025-11-30", "month", "Oct 2025 – Nov 2025 (month)"),
    ("2025-11-03", "2025-11-09", "week", "week of 3 Nov 2025"),
    ("2025-11-03", "2025-11-16", "week", "week of 3 Nov 2025 – 10 Nov 2025"),
    ("1991-01-01", "1991-12-31", "year", "1991 (year)"),
])
def test_date_labels(start, end, precision, text):
    ns = lambda d: np.array([np.datetime64(d, "ns")])  # noqa: E731
    assert date_labels(ns(start), ns(end), np.array([PRECISIONS.index(precision)])) == [text]


def test_event_text_is_escaped_everywhere():
    fig = build(report=True)
    malicious_marks = [m for m in marks(fig) if m[0] == ID[MALICIOUS]]
    assert malicious_marks
    everything = fig.to_json()
    assert "<img" not in everything and "\\u003cimg" not in everything
    assert hover_row(fig, MALICIOUS)[0] == "&lt;img src=x onerror=alert(1)&gt; &amp; co"
    sources = next(a for a in fig.layout.annotations if a.name == "sources")
    assert "Evil &lt;b&gt;source&lt;/b&gt;" in sources.text and "<b>source" not in sources.text
    evil_lane = frame(event("x", "2025-11-20", actors="<script>alert(1)</script>"))
    assert "&lt;script&gt;" in build(data=evil_lane).layout.yaxis.ticktext[0]


# ---------------------------------------------------------------- labels on the chart


def test_titles_are_written_on_the_chart():
    fig = build()
    texts = label_texts(fig)
    for title in ("Geneva talks on US peace plan", "Abu Dhabi talks with Russian delegation",
                  "Deadline to accept peace plan (Thanksgi…", "Witkoff trip to Moscow",
                  "Planned Istanbul round cancelled", "28-point plan drafted"):
        assert title in texts
    assert len(texts) == len(set(texts)) >= 20  # each event labelled at most once
    assert "Budapest Memorandum signed" not in texts  # outside the window
    assert all(len(html.unescape(t)) <= tf.TITLE_CHARS for t in texts)  # as the reader sees it
    truncated = [a for a in labels(fig) if a.hovertext]
    assert any(a.hovertext == "Deadline to accept peace plan (Thanksgiving)" for a in truncated)


def _label_boxes(fig):
    """Pixel boxes of the drawn labels, recomputed from the figure as Plotly will lay it out."""
    lay = fig.layout
    plot_w = lay.width - lay.margin.l - lay.margin.r
    plot_h = lay.height - lay.margin.t - lay.margin.b
    x0, x1 = (pd.Timestamp(v).value for v in lay.xaxis.range)
    lane_px = plot_h / len(lay.yaxis.ticktext)
    boxes = []
    for a in labels(fig):
        text = a.text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        bold = text.startswith("<b>")
        text = text.removeprefix("<b>").removesuffix("</b>")
        text = text.removeprefix("<i>").removesuffix("</i>").removeprefix("<s>").removesuffix("</s>")
        width = text_width(text, a.font.size, bold=bold)
        px = (pd.Timestamp(a.x).value - x0) / (x1 - x0) * plot_w + a.xshift
        left = px if a.xanchor == "left" else px - width
        y = a.y * lane_px
        boxes.append((left, left + width, y - a.font.size * 0.65, y + a.font.size * 0.65, round(a.y), text))
    return boxes, plot_w, lane_px


@pytest.mark.parametrize("size", [dict(width=1280, height=800), dict(width=1600, height=900, report=True),
                                  dict(width=1280, height=800, highlight=int(ID["Geneva talks on US peace plan"]))])
def test_labels_do_not_overlap_in_the_figure(size):
    fig = build(**size)
    boxes, plot_w, lane_px = _label_boxes(fig)
    assert len(boxes) >= 20
    for a, b in combinations(boxes, 2):
        overlap = a[0] < b[1] - 0.5 and b[0] < a[1] - 0.5 and a[2] < b[3] - 0.5 and b[2] < a[3] - 0.5
        assert not overlap, (a[-1], b[-1])
    for left, right, top, bottom, lane, text in boxes:
        assert -1 <= left and right <= plot_w + 1, text
        assert (lane - 0.5) * lane_px - 0.5 <= top and bottom <= (lane + 0.5) * lane_px + 0.5, text


def _dense_week(n_events=150, lanes=5, plot_width=1100.0, seed=3):
    rng = np.random.default_rng(seed)
    px_per_day = plot_width / 7
    days = rng.integers(0, 7, n_events)
    lane = rng.integers(0, lanes, n_events)
    left = days * px_per_day + px_per_day * 0.5 - 5
    titles = [f"Event {i}: " + "talks about the peace plan"[: rng.integers(5, 26)] for i in range(n_events)]
    texts = [(t, t[:12] + "…") for t in titles]
    centre = rng.choice([0.0, -8.0, 8.0], n_events).tolist()  # marks dodged off the lane's centre line
    centre[0] = 0.0  # so the first event can be labelled even in the thinnest lane
    anchors = [[(int(lane[i]), float(left[i]), float(left[i] + 10), centre[i])] for i in range(n_events)]
    obstacles = np.array([[lane[i], left[i], left[i] + 10, centre[i] - 5, centre[i] + 5] for i in range(n_events)])
    return texts, anchors, obstacles


@pytest.mark.parametrize("plot_width", [1280 - 300, 1600 - 330])
@pytest.mark.parametrize("lane_px", [24, 44, 80])
def test_place_labels_never_overlaps(plot_width, lane_px):
    texts, anchors, obstacles = _dense_week(plot_width=plot_width)
    placed = place_labels(texts, anchors, obstacles, plot_width=plot_width, lane_px=lane_px, font_px=11, mark_px=11)
    assert 0 < len(placed) < len(texts)  # dense: some are dropped rather than overlapped
    assert placed[0].event == 0  # the highest priority always gets a place when there is room
    for a, b in combinations(placed, 2):
        if a.lane == b.lane:
            assert a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0, (a, b)
    for label in placed:
        assert 0 <= label.x0 and label.x1 <= plot_width
        assert -lane_px / 2 - 0.5 <= label.y0 and label.y1 <= lane_px / 2 + 0.5
        assert abs(label.x1 - label.x0 - text_width(label.text, 11)) < 1e-6
        for lane, x0, x1, y0, y1 in obstacles:
            if lane == label.lane:
                assert label.x1 <= x0 or x1 <= label.x0 or label.y1 <= y0 or y1 <= label.y0
    assert len({p.event for p in placed}) == len(placed)


def test_place_labels_prefers_full_text_then_short_then_drops():
    texts = [("A long title that needs room", "A long…")] * 3
    anchors = [[(0, 100.0, 110.0, 0.0)]] * 3
    obstacles = np.array([[0, 100, 110, -5, 5]])
    placed = place_labels(texts, anchors, obstacles, plot_width=290, lane_px=20, font_px=11, mark_px=11)
    assert [p.text for p in placed] == ["A long title that needs room", "A long…"]


def test_label_tiers_fit_the_lane():
    assert label_tiers(14, 11, 11) == []
    assert label_tiers(20, 11, 11) == [0.0]
    assert len(label_tiers(44, 11, 11)) == 3
    assert len(label_tiers(200, 11, 11)) == 5  # at most two rows above and below


def test_text_width_estimate():
    assert text_width("WWWW", 11) > text_width("iiii", 11) * 3
    assert 60 < text_width("Geneva talks", 11) < 75  # Arial renders it in ~63 px


# ---------------------------------------------------------------- window, modes, states


def test_default_window_is_the_recent_dense_period():
    fig = build()
    lo, hi = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert pd.Timestamp("2025-09-20") <= lo <= pd.Timestamp("2025-10-01")  # earliest event of the last 60 days
    assert hi >= pd.Timestamp("2025-12-02")  # the Thanksgiving deadline and the Moscow trip are visible
    slider = fig.layout.xaxis.rangeslider
    assert slider.visible and slider.range[0] < "1991-08-24" and slider.range[1] > "2025-12-01"
    assert [b.label for b in fig.layout.xaxis.rangeselector.buttons] == ["1w", "1m", "6m", "1y", "all"]


def test_view_window_and_date_filter_set_the_range():
    fig = build(View(window=(date(2025, 11, 20), date(2025, 11, 26))))
    assert fig.layout.xaxis.range == ("2025-11-19T12:00:00", "2025-11-27T00:00:00")
    relayout = {"xaxis.range[0]": fig.layout.xaxis.range[0], "xaxis.range[1]": fig.layout.xaxis.range[1]}
    assert window_from_relayout(relayout, NEWS) == (date(2025, 11, 20), date(2025, 11, 26))  # round trip
    assert "Geneva talks on US peace plan" in label_texts(fig)
    assert "Witkoff meets Dmitriev in Miami" not in label_texts(fig)
    start = NEWS["start"].to_numpy()
    lo, hi = default_window(start, start, None, View(date_from=date(2025, 11, 1), date_to=date(2025, 11, 30)))
    assert lo <= pd.Timestamp("2025-11-01") and hi >= pd.Timestamp("2025-12-01") and hi - lo < pd.Timedelta(days=35)


def test_empty_state():
    fig = build(View(search="no such thing"))
    assert not fig.data
    assert [a.text for a in fig.layout.annotations] == ["No events match these filters"]
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False


def test_nothing_loaded():
    fig = build_figure(None, View())
    assert not fig.data and [a.text for a in fig.layout.annotations] == ["No events loaded"]


def test_selected_event_is_ringed_and_labelled_first():
    geneva = int(ID["Geneva talks on US peace plan"])
    fig = build(highlight=geneva)
    ring = next(t for t in fig.data if t.name == "selected")
    assert len(ring.x) == 4 and set(ring.x) == {"2025-11-23T00:00"}
    assert labels(fig)[0].text == "<b>Geneva talks on US peace plan</b>"
    assert not [t for t in build(highlight=None).data if t.name == "selected"]
    assert not [t for t in build(highlight="not an id").data if t.name == "selected"]


def test_report_mode():
    view = View(actors=("Ukraine",))
    fig = build(view, report=True, width=1600, height=900, title="Negotiations over the peace plan")
    assert fig.layout.title.text == "Negotiations over the peace plan"
    assert describe(view, NEWS_AS_OF) == "Actors: Ukraine · as of 24 Nov 2025"
    # A still image names the dates it shows: the window may leave events out.
    assert re.fullmatch(r"Actors: Ukraine · as of 24 Nov 2025 · shown: \d+ \w{3} \d{4} – \d+ \w{3} \d{4}",
                        fig.layout.title.subtitle.text)
    sources = next(a for a in fig.layout.annotations if a.name == "sources")
    assert sources.text == "Sources: Associated Press, Evil &lt;b&gt;source&lt;/b&gt;, Reuters, The Washington Post"
    assert not fig.layout.xaxis.rangeslider.visible and not fig.layout.xaxis.rangeselector.buttons
    assert fig.layout.paper_bgcolor == fig.layout.plot_bgcolor == "white"
    sizes = []

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "size" and "font" in key:
                    sizes.append(v)
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
    walk(fig.to_dict())
    assert sizes and min(sizes) >= 12


def test_report_sources_are_those_of_the_events_shown():
    fig = build(View(window=(date(1994, 1, 1), date(1994, 12, 31))), report=True)
    sources = next(a for a in fig.layout.annotations if a.name == "sources")
    assert sources.text == "Sources: The Washington Post"


def _crowded(n=6000, days=30, actors=("A", "B", "C", "D", "E"), seed=1):
    rng = np.random.default_rng(seed)
    return frame(*(event(f"Event {i}", str(pd.Timestamp("2025-11-01") + pd.Timedelta(days=int(d))),
                         actors=(actors[i % len(actors)],), kind=KINDS[i % len(KINDS)])
                   for i, d in enumerate(rng.integers(0, days, n))))


def test_too_many_marks_in_view_are_counted_not_drawn():
    data = _crowded()
    fig = build_figure(data, View(), as_of=pd.Timestamp("2025-11-30"), width=1280, height=800)
    heat = [t for t in fig.data if t.type == "heatmap"]
    assert len(heat) == 5 and not labels(fig) and not [t for t in fig.data if t.type in ("scatter", "scattergl")]
    assert sum(np.nansum(t.z) for t in heat) == len(data)
    assert "%{z:,} events" in heat[0].hovertemplate and "%-d %b %Y" in heat[0].hovertemplate  # per day
    note = next(a for a in fig.layout.annotations if a.name == "aggregate-note")
    assert note.text.startswith(f"{len(data):,} events in view, counted per day")
    go.Figure(fig.to_dict())

    zoomed = build_figure(data, View(window=(date(2025, 11, 3), date(2025, 11, 3))),
                          as_of=pd.Timestamp("2025-11-30"), width=1280, height=800)
    assert not [t for t in zoomed.data if t.type == "heatmap"]
    assert sum(len(t.customdata) for t in event_traces(zoomed)) > 0
    assert labels(zoomed)


def test_many_markers_use_webgl():
    # Few enough in the window to draw one by one, but more than GL_MARKS kept around it for panning.
    days = 150
    data = _crowded(n=int(tf.GL_MARKS * 1.4), days=days)
    per_day = len(data) / days
    window_days = int(tf.MAX_MARKS * 0.9 / per_day)
    window = date(2025, 11, 1) + timedelta(days=days // 2 - window_days // 2)  # mid-data
    fig = build_figure(data, View(window=(window, window + timedelta(days=window_days - 1))),
                       width=1280, height=800)
    assert {t.type for t in event_traces(fig)} == {"scattergl"}
    assert {t.type for t in event_traces(build())} <= {"scatter", "bar"}


@pytest.mark.parametrize("relayout, window", [
    ({"xaxis.range[0]": "2025-11-03 10:00:00.123", "xaxis.range[1]": "2025-11-20"},
     (date(2025, 11, 3), date(2025, 11, 19))),
    ({"xaxis.range[0]": "2025-11-03 13:00", "xaxis.range[1]": "2025-11-03 14:00"},
     (date(2025, 11, 4), date(2025, 11, 4))),
    ({"xaxis.range": ["2025-11-03", "2025-11-20 12:00"]}, (date(2025, 11, 3), date(2025, 11, 20))),
    ({"xaxis.autorange": True}, (date(1991, 8, 24), date(2025, 12, 1))),
    ({"dragmode": "pan"}, None),
    (None, None),
])
def test_window_from_relayout(relayout, window):
    assert window_from_relayout(relayout, NEWS) == window


# ---------------------------------------------------------------- speed and size


def _bench():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synthetic import AS_OF, members, synthetic_frame
    return AS_OF, members(), synthetic_frame


@pytest.mark.parametrize("n", [10_000, 100_000])
def test_figure_stays_small_at_scale(n):
    # Build times are measured by benchmarks/figure_speed.py, never asserted in tests.
    as_of, groups, synthetic_frame = _bench()
    data = synthetic_frame(n)
    whole = View(window=(date(1995, 11, 30), date(2025, 11, 30)))
    for view in (View(), View(actors=("State 02",)), whole):
        fig = build_figure(data, view, as_of=as_of, members=groups)
        assert len(fig.to_json()) < 5_000_000
    assert any(t.type == "heatmap" for t in fig.data)  # the whole span of 30 years is counted