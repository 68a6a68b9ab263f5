"""Event text reaches the figure as text: no "%{...}" of a title, actor, place or source is
filled in by a Plotly template, and no tag in them is rendered, in any view or label."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from framehelpers import event, frame
from timeline.figure import escape, figure_spec
from timeline.filters import View

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
HOSTILE = "%{z} fake %{customdata[0]} <b>bold</b> <a href='x'>link</a> 100%"


def strings(value, path=""):
    """Every string in the figure, with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from strings(item, f"{path}[{i}]")
    elif hasattr(value, "tolist"):
        yield from strings(value.tolist(), path)


def hostile_frame(count: int) -> pd.DataFrame:
    days = pd.date_range("2025-01-01", periods=count, freq="6h")
    return frame(*(
        event(f"{HOSTILE} title {i}", day.strftime("%Y-%m-%d"), actors=f"{HOSTILE} actor {i % 7}; Ukraine",
              location=f"{HOSTILE} place", source=f"{HOSTILE} source", date_text=f"{HOSTILE} date",
              reported="2025-12-31")
        for i, day in enumerate(days)
    ))


@pytest.mark.parametrize("count, view, report", [
    (20, View(), False),
    (20, View(lanes="actors"), False),
    (20, View(lanes="actors"), True),
    (20, View(axis="time"), False),
    (1_400, View(lanes="actors", window=YEAR), False),  # too many marks: the counting view
    (1_400, View(lanes="actors", axis="time", window=YEAR), True),
], ids=["story", "actors", "report", "time", "counts", "counts-report"])
def test_no_event_text_is_left_for_plotly_to_interpret(count, view, report):
    events = hostile_frame(count)
    figure = figure_spec(events, view, as_of=pd.Timestamp("2025-12-31"), members={}, report=report,
                         width=1200, height=800, highlight=int(events["id"].iloc[0]),
                         title=f"{HOSTILE} report" if report else None)
    if count > 1_000:
        assert any(trace["type"] == "heatmap" and escape(HOSTILE) in trace["hovertemplate"]
                   for trace in figure["data"])
    raw = [(where, text) for where, text in strings(figure) if "%{z} fake" in text or "<b>bold" in text]
    assert raw == []
    escaped = escape(HOSTILE)
    assert any(escaped in text or escape(HOSTILE[:20]) in text for _, text in strings(figure))


@pytest.mark.parametrize("text, shown", [
    ("%{z}", "&#37;{z}"), ("<b>", "&lt;b&gt;"), ("AT&T", "AT&amp;T"), ("100 %", "100 &#37;"), (42, "42"),
])
def test_escape(text, shown):
    assert escape(text) == shown
