"""The figure as a whole: marks per lane, weight by certainty, every title written or counted, the story axis."""

import html
import json
import re
import sys
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from framehelpers import NEWS_AS_OF, NEWS_MEMBERS, event, frame, news_frame

from timeline.figure import Scale, build_figure, text_width
from timeline.figure import marks as st_marks
from timeline.figure import style as st
from timeline.filters import View, describe, normalized_date
from timeline.schema import KINDS

ROOT = Path(__file__).resolve().parents[1]
NEWS = news_frame()
ID = dict(zip(NEWS["title"], NEWS["id"].astype(str)))
MALICIOUS = "<img src=x onerror=alert(1)> & co"


def build(view=View(), data=NEWS, **kwargs):
    kwargs = {"width": 1232, "height": 800, **kwargs}
    return build_figure(data, view, as_of=NEWS_AS_OF, members=NEWS_MEMBERS, **kwargs)


def lanes(fig) -> list[str]:
    return [t.removeprefix("<b>").removesuffix("</b>") for t in fig.layout.yaxis.ticktext]


def labels(fig) -> list:
    return [a for a in fig.layout.annotations if a.name == "label"]


def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def label_texts(fig) -> list[str]:
    return [plain(a.text) for a in labels(fig)]


def event_traces(fig) -> list:
    return [t for t in fig.data if t.customdata is not None and len(t.customdata)]


def lane_of(fig, y: float) -> str:
    """The lane a y (px from the top) falls in: lanes start half a row above their first row's centre."""
    tops = np.array(fig.layout.yaxis.tickvals) - row_px(fig) / 2
    return lanes(fig)[int(np.searchsorted(tops, y + 1e-6, "right")) - 1]


def row_px(fig) -> float:
    ticks = fig.layout.yaxis.tickvals
    return 2 * ticks[0]


def marks(fig) -> list[tuple[str, str, object]]:
    """(event id, lane name, trace) of every drawn mark."""
    return [(row[0], lane_of(fig, y), t) for t in event_traces(fig) for row, y in zip(t.customdata, t.y)]


def look(trace, k: int) -> SimpleNamespace:
    """Mark ``k`` of a trace as drawn: each part of its look is the trace's one value or its own."""
    def at(value):
        return value[k] if isinstance(value, (list, tuple, np.ndarray)) else value
    marker = trace.marker
    return SimpleNamespace(type=trace.type, mode=getattr(trace, "mode", None), symbol=at(getattr(marker, "symbol", None)),
                           size=at(getattr(marker, "size", None)), color=at(marker.color),
                           line_width=at(marker.line.width), width=at(getattr(trace, "width", None)),
                           opacity=(1 if trace.opacity is None else trace.opacity) * (1 if marker.opacity is None else at(marker.opacity)),
                           y=trace.y[k],
                           customdata=tuple(trace.customdata[k]), trace=trace)


def looks_of(fig, title) -> list[SimpleNamespace]:
    """Every mark of the event, in each of its lanes."""
    return [look(t, k) for t in event_traces(fig) for k, row in enumerate(t.customdata) if row[0] == ID[title]]


def mark_of(fig, title) -> SimpleNamespace:
    """The event's titled mark (its marks in other lanes are smaller and faded)."""
    found = looks_of(fig, title)
    return next((m for m in found if m.opacity == 1), found[0])


def hover_row(fig, title):
    return mark_of(fig, title).customdata[1:]


# ---------------------------------------------------------------- validity and the marks


@pytest.mark.parametrize("view, kwargs", [
    (View(), {}),
    (View(actors=("Ukraine", "Steve Witkoff")), {}),
    (View(lanes="kinds"), {}),
    (View(lanes="actors", axis="time"), {}),
    (View(), {"report": True, "width": 1600, "height": 900, "title": "Peace plan"}),
    (View(search="no such thing"), {}),
    (View(search="no such thing"), {"report": True}),
    (View(window=(date(1991, 1, 1), date(2025, 12, 31))), {"width": None, "height": None}),
    (View(axis="time", window=(date(1991, 1, 1), date(2025, 12, 31))), {}),
])
def test_figure_is_valid_plotly(view, kwargs):
    fig = build(view, **kwargs)
    go.Figure(fig.to_dict())  # full validation, which build_figure skips for speed
    json.loads(fig.to_json())


def test_every_event_is_drawn_once_in_each_of_its_actors_lanes():
    fig = build(View(lanes="actors"))
    drawn = {}
    for event_id, lane, _ in marks(fig):
        drawn.setdefault(event_id, []).append(lane)
    for _, row in NEWS.iterrows():
        assert sorted(drawn[str(row["id"])]) == sorted(row["actors"]), row["title"]


def test_state_lanes_hold_their_officials_events():
    fig = build()
    assert lanes(fig) == ["Ukraine", "United States", "Russia", "European Union"]  # most active first
    drawn = {}
    for event_id, lane, _ in marks(fig):
        drawn.setdefault(event_id, []).append(lane)
    assert sorted(drawn[ID["Geneva talks on US peace plan"]]) == ["Ukraine", "United States"]  # once per lane
    assert drawn[ID["Trump: 'not my final offer'"]] == ["United States"]
    assert sorted(drawn[ID["Witkoff meets Dmitriev in Miami"]]) == ["Russia", "United States"]
    assert all(len(set(v)) == len(v) for v in drawn.values())


def test_a_state_lane_names_the_official_the_title_does_not():
    texts = label_texts(build())
    assert "NSC meeting on Ukraine · Trump, Rubio" in texts or "NSC meeting on Ukraine · Rubio, Trump" in texts
    assert "Trump: 'not my final offer'" in texts  # already names him
    assert "Geneva talks on US peace plan · Rubio, Witkoff" in texts


def test_picking_one_state_opens_it_into_its_people():
    fig = build(View(actors=("Ukraine",)))
    assert lanes(fig)[:4] == ["Ukraine", "Volodymyr Zelensky", "Rustem Umerov", "Andriy Yermak"]
    several = build(View(actors=("Ukraine", "Russia")))
    assert {"Ukraine", "Russia"} <= set(lanes(several)) and "Volodymyr Zelensky" not in lanes(several)


def test_actor_filter_shows_chosen_actors_and_their_officials():
    fig = build(View(actors=("Ukraine", "Steve Witkoff")))
    assert lanes(fig) == ["Ukraine", "Volodymyr Zelensky", "Rustem Umerov", "Andriy Yermak", "Steve Witkoff"]
    assert ID["Witkoff trip to Moscow"] in {m[0] for m in marks(fig)}
    assert ID["Putin says plan could be basis"] not in {m[0] for m in marks(fig)}


def test_kind_lanes_show_kinds_in_view_in_vocabulary_order():
    fig = build(View(lanes="kinds"))
    assert lanes(fig) == [k for k in KINDS if k in set(NEWS["kind"])]  # the story axis shows every event
    assert all(lane == NEWS.set_index(NEWS["id"].astype(str)).at[i, "kind"] for i, lane, _ in marks(fig))
    recent = build(View(lanes="kinds", axis="time"))
    assert "agreement" not in lanes(recent)  # 1994 is outside the recent weeks


def test_other_actors_share_a_lane():
    extra = frame(*[event(f"Lone {i}", f"2025-11-{10 + i}", actors=(f"Country {i}",)) for i in range(3)],
                  *[event(f"Busy {i}", f"2025-11-{10 + i}", actors=(a,)) for i in range(2) for a in ("A", "B", "C")])
    fig = build(data=extra)
    assert lanes(fig) == ["A", "B", "C", "Other actors"]
    assert {lane for _, lane, _ in marks(fig) if lane == "Other actors"}


# ---------------------------------------------------------------- weight follows certainty


def test_a_day_is_a_mark_known_days_a_solid_bar_and_approximate_dates_a_light_band():
    fig = build()
    day = mark_of(fig, "Geneva talks on US peace plan")
    assert day.type == "scatter" and day.mode == "markers" and day.size >= 11
    days = mark_of(fig, "Abu Dhabi talks with Russian delegation")
    assert days.type == "bar" and days.color.startswith("#") and days.width >= 8  # solid
    month = mark_of(fig, "28-point plan drafted")
    week = mark_of(fig, "Ceasefire talks in week of Nov 3")
    for band in (month, week):
        assert band.type == "bar" and band.color.startswith("rgba") and band.width <= 4
        assert float(band.color.rsplit(",", 1)[1].rstrip(")")) <= 0.35  # light, never louder than a day
        assert band.width < days.width < day.size
    notes = {plain(a.text): a for a in labels(fig)}
    assert notes["28-point plan drafted · Witkoff"].font.color == st.MUTED
    assert notes["Talks in Riyadh"].font.color == st.INK


def test_the_marks_are_a_few_traces_however_many_kinds_and_looks():
    # A trace per (kind, shape, look) made Plotly's redraw of a filtered view slow: the marks are
    # days and periods, each at full strength and faded ("also involved"), a look per mark.
    fig = build()
    traces = event_traces(fig)
    drawn = [look(t, k) for t in traces for k in range(len(t.customdata))]
    assert len(traces) <= 4 and len({m.symbol for m in drawn if m.type == "scatter"}) >= 6
    assert len({m.customdata[5].split(" · ")[0] for m in drawn}) >= 5  # kinds
    assert [t.name for t in traces] == sorted((t.name for t in traces), key=lambda name: "also" not in name)
    for m in drawn:  # the faded marks are a trace's, so that marks on one spot fade no less
        assert m.opacity == (st_marks.ECHO_OPACITY if "also involved" in m.trace.name else 1)
    for t in traces:  # every part of a look is one value for all, or one per mark
        for part in (t.marker.color, t.marker.line.width, getattr(t.marker, "size", None), getattr(t, "width", None)):
            assert not isinstance(part, (list, tuple)) or len(part) == len(t.customdata)
    # Its title in one lane, a smaller, faded mark of the same look in the other.
    faded, titled = sorted(looks_of(fig, "Geneva talks on US peace plan"), key=lambda m: m.opacity)
    assert (faded.opacity, titled.opacity) == (st_marks.ECHO_OPACITY, 1) and faded.size < titled.size
    assert (faded.symbol, faded.color) == (titled.symbol, titled.color)


def test_status_styles():
    fig = build()
    assert mark_of(fig, "Geneva talks on US peace plan").symbol == "circle"
    assert mark_of(fig, "Witkoff–Umerov follow-up call").symbol == "circle-open"
    assert mark_of(fig, "Energy truce proposal").symbol == "square-open"
    assert mark_of(fig, "Planned Istanbul round cancelled").symbol == "x"
    texts = [a.text for a in labels(fig)]
    assert "<s>Planned Istanbul round cancelled</s>" in texts
    assert "<i>Energy truce proposal</i>" in texts
    legend = {t.name for t in fig.data if t.showlegend is not False and t.customdata is None}
    assert {"exact day", "range of days", "approximate date", "planned / proposed", "cancelled", "deadline",
            "as of (latest report)"} <= legend
    assert {"talks", "deadline", "statement", "agreement"} <= legend


def test_deadline_stands_out():
    fig = build()
    deadline = mark_of(fig, "Deadline to accept peace plan (Thanksgiving)")
    assert deadline.symbol == "diamond-open"  # a planned deadline
    assert deadline.size > mark_of(fig, "Geneva talks on US peace plan").size
    lines = [s for s in fig.layout.shapes if s.name == "deadline"]
    scale = Scale.from_store(fig.layout.meta["scale"])
    thanksgiving = scale.to_px(np.array([pd.Timestamp("2025-11-27 12:00").value]))[0]
    assert len(lines) == 1 and lines[0].x0 == pytest.approx(thanksgiving, abs=0.2) and lines[0].line.dash == "dot"


def test_as_of_line_and_label():
    fig = build()
    line = next(s for s in fig.layout.shapes if s.name == "as-of")
    scale = Scale.from_store(fig.layout.meta["scale"])
    assert line.x0 == line.x1 == pytest.approx(scale.to_px(np.array([pd.Timestamp("2025-11-25").value]))[0])
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
    assert hover_row(fig, "Ceasefire talks in week of Nov 3")[1] == "week of 3 Nov 2025 (week)"
    assert hover_row(fig, "Abu Dhabi talks with Russian delegation")[1:3] == (
        "24–25 Nov 2025", "2025-11-24 → 2025-11-25")
    assert all("customdata" in t.hovertemplate for t in event_traces(fig))


@pytest.mark.parametrize("start, end, precision, text", [
    ("2025-11-23", "2025-11-23", "day", "23 Nov 2025"),
    ("2025-11-23", "2025-11-25", "day", "23–25 Nov 2025"),
    ("2025-10-30", "2025-11-02", "day", "30 Oct 2025 – 2 Nov 2025"),
    ("2025-10-01", "2025-10-31", "month", "Oct 2025"),
    ("2025-10-01", "2025-11-30", "month", "Oct 2025 – Nov 2025"),
    ("2025-11-03", "2025-11-09", "week", "week of 3 Nov 2025"),
    ("1991-01-01", "1991-12-31", "year", "1991"),
])
def test_normalized_dates(start, end, precision, text):
    assert normalized_date(pd.Timestamp(start), pd.Timestamp(end), precision) == text


def test_event_text_is_escaped_everywhere():
    fig = build(report=True, width=1600, height=900)
    assert [m for m in marks(fig) if m[0] == ID[MALICIOUS]]
    everything = fig.to_json()
    assert "<img" not in everything and "\\u003cimg" not in everything
    assert hover_row(fig, MALICIOUS)[0] == "&lt;img src=x onerror=alert(1)&gt; &amp; co"
    sources = next(a for a in fig.layout.annotations if a.name == "sources")
    assert "Evil &lt;b&gt;source&lt;/b&gt;" in sources.text and "<b>source" not in sources.text
    evil_lane = frame(event("x", "2025-11-20", actors="<script>alert(1)</script>"))
    assert "&lt;script&gt;" in build(data=evil_lane).layout.yaxis.ticktext[0]


def test_template_sequences_in_event_text_stay_literal():
    spoof = frame(event("Costs 100%{z} fake", "2025-11-20", actors="%{z} Corp", source="%{customdata[0]}"),
                  *[event(f"E{i}", "2025-11-21", actors="B") for i in range(3)])
    fig = build(data=spoof, report=True)
    everything = fig.to_json()
    assert "%{z}" not in everything and "%{customdata[0]}" not in everything
    assert "&#37;{z} Corp" in fig.layout.yaxis.ticktext[0] or "&#37;{z} Corp" in fig.layout.yaxis.ticktext[1]
    crowded = _crowded(actors=("%{z} fake", "B"))
    heat = build_figure(crowded, View(), as_of=pd.Timestamp("2025-11-30"), width=1280, height=800)
    assert all("%{z} fake" not in t.hovertemplate for t in heat.data if t.type == "heatmap")


# ---------------------------------------------------------------- every title on the chart


def _label_boxes(fig):
    """Pixel boxes of the drawn titles, recomputed from the figure as Plotly lays it out."""
    boxes = []
    for a in labels(fig):
        text = plain(a.text)
        width = text_width(text, a.font.size, bold=a.text.startswith("<b>"))
        left = a.x if a.xanchor == "left" else a.x - width
        boxes.append((left, left + width, a.y - a.font.size * 0.6, a.y + a.font.size * 0.6, text, a.y))
    return boxes


@pytest.mark.parametrize("size", [dict(width=1232, height=800), dict(width=1600, height=900, report=True),
                                  dict(width=1232, height=590), dict(width=900, height=700),
                                  dict(width=1232, height=800, highlight=int(ID["Geneva talks on US peace plan"]))])
@pytest.mark.parametrize("view", [View(), View(axis="time"), View(lanes="actors"), View(lanes="kinds")])
def test_titles_never_overlap_never_leave_their_lane_and_are_never_cut(size, view):
    fig = build(view, **size)
    boxes = _label_boxes(fig)
    plot_w = fig.layout.width - fig.layout.margin.l - fig.layout.margin.r
    assert boxes
    for a, b in combinations(boxes, 2):
        overlap = a[0] < b[1] - 0.5 and b[0] < a[1] - 0.5 and a[2] < b[3] - 0.5 and b[2] < a[3] - 0.5
        assert not overlap, (a[4], b[4])
    tops = list(np.array(fig.layout.yaxis.tickvals) - row_px(fig) / 2)
    for left, right, top, bottom, text, y in boxes:
        assert -1 <= left and right <= plot_w + 1, text
        lane = int(np.searchsorted(tops, y, "right")) - 1
        lane_bottom = tops[lane + 1] - 8 if lane + 1 < len(tops) else fig.layout.yaxis.range[0]
        assert tops[lane] <= y <= lane_bottom, text
    titles = set(NEWS["title"])
    assert all(any(text.startswith(t) for t in titles) for *_, text, _ in boxes)  # full titles, no ellipsis
    assert not any(text.endswith("…") for *_, text, _ in boxes)


@pytest.mark.parametrize("size", [dict(width=1232, height=560), dict(width=700, height=400),
                                  dict(width=1600, height=900, report=True)])
def test_every_event_in_view_is_written_or_counted(size):
    fig = build(**size)
    meta = fig.layout.meta
    assert meta["written"] + meta["counted"] == meta["events"] == len(NEWS)
    more = [a for a in fig.layout.annotations if a.name == "more"]
    assert sum(int(re.search(r"\+(\d+) more", a.text).group(1)) for a in more) == meta["counted"]
    for a in more:  # hovering lists them
        assert all(plain(line) in set(NEWS["title"]) or line.startswith("…") for line in a.hovertext.split("<br>"))


def test_a_tight_page_counts_rather_than_overlaps():
    fig = build(height=420)
    assert fig.layout.meta["counted"] > 0 and fig.layout.height <= 420
    assert [a for a in fig.layout.annotations if a.name == "more"]


# ---------------------------------------------------------------- the story axis


def test_story_axis_shows_1991_to_this_week_in_one_picture():
    fig = build()
    assert fig.layout.meta["axis"] == "story"
    breaks = [a.text for a in fig.layout.annotations if a.name == "break"]
    assert breaks[:2] == ["≈ 3 years", "≈ 31 years"]
    ticks = list(fig.layout.xaxis.ticktext)
    assert ticks[:2] == ["24 Aug 1991", "5 Dec 1994"]  # one event each: a tick at it
    texts = label_texts(fig)
    assert "Ukraine declares independence" in texts and "Budapest Memorandum signed · Ukraine" not in texts
    scale = Scale.from_store(fig.layout.meta["scale"])
    week = scale.to_px(np.array([pd.Timestamp(d).value for d in ("2025-11-21", "2025-11-28")]))
    assert week[1] - week[0] > 60  # over 10 px a day; on linear time since 1991, a week is under 1 px


def test_time_axis_is_linear_and_opens_on_the_recent_weeks():
    fig = build(View(axis="time"))
    assert not [a for a in fig.layout.annotations if a.name == "break"]
    scale = Scale.from_store(fig.layout.meta["scale"])
    assert len(scale.t0) == 1
    lo, hi = pd.Timestamp(int(scale.t0[0])), pd.Timestamp(int(scale.t1[0]))
    assert pd.Timestamp("2025-09-20") <= lo <= pd.Timestamp("2025-10-01")  # the earliest of the last 60 days
    assert hi >= pd.Timestamp("2025-12-02")  # the Thanksgiving deadline and the Moscow trip are visible
    assert "Ukraine declares independence" not in label_texts(fig)


def test_view_window_sets_the_range_on_both_axes():
    for axis_mode in ("story", "time"):
        fig = build(View(axis=axis_mode, window=(date(2025, 11, 20), date(2025, 11, 26))))
        scale = Scale.from_store(fig.layout.meta["scale"])
        assert pd.Timestamp(int(scale.t0[0])) <= pd.Timestamp("2025-11-20")
        assert pd.Timestamp(int(scale.t1[-1])) >= pd.Timestamp("2025-11-27")
        texts = label_texts(fig)
        assert any(t.startswith("Geneva talks on US peace plan") for t in texts)
        assert not any(t.startswith("Witkoff meets Dmitriev in Miami") for t in texts)


def test_empty_state():
    fig = build(View(search="no such thing"))
    assert not fig.data
    assert [a.text for a in fig.layout.annotations] == ["No events match these filters"]
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False


def test_nothing_loaded():
    fig = build_figure(None, View())
    assert not fig.data and [a.text for a in fig.layout.annotations] == ["No events loaded"]


def test_selected_event_is_ringed_in_every_lane_and_written_first():
    geneva = int(ID["Geneva talks on US peace plan"])
    fig = build(View(lanes="actors"), highlight=geneva)
    ring = next(t for t in fig.data if t.name == "selected")
    assert len(ring.x) == 4 and len(set(np.round(ring.x, 3))) == 1
    assert "<b>Geneva talks on US peace plan</b>" in [a.text for a in labels(fig)]
    assert not [t for t in build(highlight=None).data if t.name == "selected"]
    assert not [t for t in build(highlight="not an id").data if t.name == "selected"]
    assert not [t for t in build(highlight="¹").data if t.name == "selected"]


def test_report_mode():
    view = View(actors=("Ukraine",))
    fig = build(view, report=True, width=1600, height=900, title="Negotiations over the peace plan")
    assert fig.layout.title.text == "Negotiations over the peace plan"
    assert describe(view, NEWS_AS_OF) == "Actors: Ukraine · as of 24 Nov 2025"
    assert re.fullmatch(r"Actors: Ukraine · as of 24 Nov 2025 · shown: \d+ \w{3} \d{4} – \d+ \w{3} \d{4}",
                        fig.layout.title.subtitle.text)
    sources = next(a for a in fig.layout.annotations if a.name == "sources")
    assert sources.text.startswith("Sources: ") and "Reuters" in sources.text
    assert not fig.layout.xaxis.rangeslider.visible and not fig.layout.xaxis.rangeselector.buttons
    assert fig.layout.paper_bgcolor == fig.layout.plot_bgcolor == "white"
    assert fig.layout.height == 900
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
    assert len(heat) == 5 and not labels(fig) and not [t for t in fig.data if t.type in ("scatter", "scattergl")
                                                       and t.customdata is not None]
    assert sum(np.nansum(t.z) for t in heat) == len(data)
    assert "%{z:,} events" in heat[0].hovertemplate and heat[0].text[0][0].endswith("2025")  # per day
    note = next(a for a in fig.layout.annotations if a.name == "aggregate-note")
    assert note.text.startswith(f"{len(data):,} events in view, counted per day")
    go.Figure(fig.to_dict())

    zoomed = build_figure(data, View(window=(date(2025, 11, 3), date(2025, 11, 3))),
                          as_of=pd.Timestamp("2025-11-30"), width=1280, height=800)
    assert not [t for t in zoomed.data if t.type == "heatmap"]
    assert sum(len(t.customdata) for t in event_traces(zoomed)) > 0
    meta = zoomed.layout.meta
    assert meta["written"] > 0 and meta["written"] + meta["counted"] == meta["events"]


def _gl_view(days=150):
    """Few enough in the window to draw one by one, but more than GL_MARKS kept around it for panning."""
    data = _crowded(n=int(st.GL_MARKS * 1.4), days=days)
    per_day = len(data) / days
    window_days = int(st.MAX_MARKS * 0.9 / per_day)
    window = date(2025, 11, 1) + timedelta(days=days // 2 - window_days // 2)  # mid-data
    return data, View(window=(window, window + timedelta(days=window_days - 1)))


def test_many_markers_use_webgl():
    data, view = _gl_view()
    fig = build_figure(data, view, width=1280, height=800)
    assert {t.type for t in event_traces(fig)} == {"scattergl"}
    assert {t.type for t in event_traces(build())} <= {"scatter", "bar"}


def test_the_page_bundle_holds_every_trace_type_the_figure_draws():
    # The page loads a plotly.js holding only these (assets/plotly-timeline.README.md): a figure
    # with any other type would not draw in the browser.
    entry = (ROOT / "tools" / "plotly-bundle" / "entry.js").read_text(encoding="utf-8")
    bundled = {"scatter", *re.findall(r"require\('plotly\.js/lib/(\w+)'\)", entry)} - {"core"}
    header = (ROOT / "assets" / "plotly-timeline.min.js").read_bytes()[:300].decode()
    assert f"partial bundle: core, {', '.join(sorted(bundled - {'scatter'}))};" in header
    crowded, gl_view = _gl_view()
    figures = [build(), build(report=True), build(View(lanes="kinds", axis="time")),
               build_figure(crowded, View(), as_of=pd.Timestamp("2025-11-30"), width=1280, height=800),
               build_figure(crowded, gl_view, width=1280, height=800)]
    drawn = {t.type for fig in figures for t in fig.data}
    assert drawn == bundled


# ---------------------------------------------------------------- size at scale


def _bench():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import AS_OF, members, synthetic_frame
    return AS_OF, members(), synthetic_frame


@pytest.mark.parametrize("n", [10_000, 100_000])
def test_figure_stays_small_at_scale(n):
    # Build times are measured by benchmarks/figure_speed.py, never asserted in tests.
    as_of, groups, synthetic_frame = _bench()
    data = synthetic_frame(n)
    whole = View(window=(date(1995, 11, 30), date(2025, 11, 30)))
    for view in (View(), View(actors=("State 02",)), whole, View(axis="time")):
        fig = build_figure(data, view, as_of=as_of, members=groups)
        assert len(fig.to_json()) < 5_000_000


@pytest.mark.parametrize("longest", [1, 3, 40], ids=["one-actor", "few", "many-actors-sorted"])
def test_first_mark_of_each_event_and_lane_is_found_without_sorting(longest):
    from timeline.figure.lanes import _first_of_each

    rng = np.random.default_rng(longest)
    rows = np.sort(np.repeat(np.arange(300), rng.integers(0, longest + 1, 300)))
    keys = rng.integers(0, 5, len(rows))
    _, expected = np.unique(rows * 5 + keys, return_index=True)
    assert _first_of_each(rows, keys).tolist() == sorted(expected.tolist())
    assert _first_of_each(rows[:0], keys[:0]).tolist() == []
