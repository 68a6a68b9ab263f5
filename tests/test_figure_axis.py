"""The time axis: story pieces and breaks, the piecewise scale, ticks, zoom windows, relayouts."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from timeline.figure import axis
from timeline.figure.axis import Scale, linear, skipped, story_pieces, story_scale, ticks, window_from_relayout
from timeline.figure.style import NS_DAY, text_width
from timeline.schema import PRECISIONS

P = {name: i for i, name in enumerate(PRECISIONS)}


def ns(day: str) -> int:
    return pd.Timestamp(day).value


def day_no(day: str) -> int:
    return ns(day) // NS_DAY


def events(*spans):
    """(start, end, precision) rows as the arrays story_pieces takes."""
    start = np.array([ns(s) for s, _, _ in spans], dtype=np.int64)
    end = np.array([ns(e) for _, e, _ in spans], dtype=np.int64)
    return start, end, np.array([P[p] for *_, p in spans])


NEWSROOM = events(
    ("1991-01-01", "1991-12-31", "year"),
    ("1994-01-01", "1994-12-31", "year"),
    ("2025-01-01", "2025-12-31", "year"),  # holds finer events: counts by its first day only
    ("2025-09-01", "2025-09-30", "month"),
    ("2025-10-01", "2025-10-31", "month"),
    ("2025-11-01", "2025-11-30", "month"),  # holds the Geneva week: first day only
    ("2025-11-15", "2025-11-16", "day"),
    ("2025-11-21", "2025-11-21", "day"),
    ("2025-11-22", "2025-11-22", "day"),
    ("2025-11-23", "2025-11-23", "day"),
    ("2025-11-27", "2025-11-27", "day"),
)


def newsroom_pieces():
    start, end, precision = NEWSROOM
    return story_pieces(start, end, precision, ns("1991-01-01"), ns("2025-12-01"), [ns("2025-11-24")])


def test_story_pieces_of_the_newsroom_data():
    pieces = newsroom_pieces()
    assert [(p[0], p[1]) for p in pieces] == [
        (day_no("1991-01-01"), day_no("1992-01-01")),
        (day_no("1994-01-01"), day_no("1995-01-01")),
        (day_no("2025-01-01"), day_no("2025-01-02")),
        (day_no("2025-09-01"), day_no("2025-11-02")),
        (day_no("2025-11-15"), day_no("2025-11-28")),
    ]
    assert [p[2] for p in pieces] == [1, 1, 1, 3, 5]  # the as-of day is an anchor, not an event


@pytest.mark.parametrize("days, pieces", [
    ([0, 1, 2, 3, 4, 5, 6], 1),  # a busy week: no break
    ([0, 5, 10, 15, 20, 25, 30, 35], 1),  # evenly spread: no break
    ([0, 1, 2, 200, 201], 2),  # one long gap
    ([0, 1, 40, 41, 42, 400], 3),  # gaps long for their stretch, at two scales
    ([0, 9], 1),  # under MIN_GAP_DAYS
])
def test_a_gap_breaks_only_when_long_for_its_stretch(days, pieces):
    start = np.array([ns("2025-01-01") + d * NS_DAY for d in days])
    got = story_pieces(start, start, np.zeros(len(days), dtype=int), int(start.min()), int(start.max()) + NS_DAY)
    assert len(got) == pieces
    assert sum(p[2] for p in got) == len(days)


def test_story_scale_maps_each_piece_monotonically_and_inside_the_width():
    pieces = newsroom_pieces()
    scale = story_scale(pieces, 950)
    assert scale.x0[0] == 0 and scale.x1[-1] == pytest.approx(950)
    assert len(scale.breaks) == len(pieces) - 1
    for x0, x1 in zip(scale.x1[:-1], scale.x0[1:]):
        assert x1 - x0 == axis.BREAK_PX
    assert all(w >= axis.MIN_PIECE_PX - 1e-9 for w in scale.x1 - scale.x0)
    # The Geneva week's piece is the widest: it holds the most events.
    widths = scale.x1 - scale.x0
    assert widths.argmax() == len(widths) - 1 and widths[-1] > 0.35 * 950
    days = np.arange(ns("1990-06-01"), ns("2026-01-01"), NS_DAY // 4)
    px = scale.to_px(days)
    assert (np.diff(px) >= 0).all()
    for t0, t1, x0, x1 in zip(scale.t0, scale.t1, scale.x0, scale.x1):
        inside = (days >= t0) & (days <= t1)
        assert ((px[inside] >= x0 - 1e-6) & (px[inside] <= x1 + 1e-6)).all()
        slope = np.diff(px[inside]) / np.diff(days[inside])
        assert np.allclose(slope, (x1 - x0) / (t1 - t0))  # linear inside a piece: its ticks are right
    assert np.allclose(scale.to_time(scale.to_px(days)), days, atol=NS_DAY / 1000)


@pytest.mark.parametrize("t0, t1, text", [
    ("1992-01-01", "1994-01-01", "≈ 2 years"),
    ("1995-01-01", "2025-01-01", "≈ 30 years"),
    ("2025-01-02", "2025-09-01", "≈ 8 months"),
    ("2025-11-02", "2025-11-15", "≈ 2 weeks"),
    ("2025-11-02", "2025-11-12", "≈ 10 days"),
])
def test_break_labels_say_what_they_skip(t0, t1, text):
    assert skipped(ns(t0), ns(t1)) == text


def test_break_labels_of_the_newsroom_scale():
    scale = story_scale(newsroom_pieces(), 950)
    assert [skipped(t0, t1) for *_, t0, t1 in scale.breaks] == ["≈ 2 years", "≈ 30 years", "≈ 8 months",
                                                                "≈ 2 weeks"]


def _tick_days(scale, font=12):
    values, labels = ticks(scale, font)
    return values, labels


def test_ticks_are_right_within_each_piece_and_never_overlap():
    scale = story_scale(newsroom_pieces(), 950)
    values, labels = _tick_days(scale)
    assert labels[:3] == ["1991", "1994", "2025"]
    assert "Sep 2025" in labels and "Oct" in labels
    assert any(label.endswith("Nov 2025") and label[0].isdigit() for label in labels)  # day ticks name the year
    boxes = sorted((x - text_width(t, 12) / 2, x + text_width(t, 12) / 2) for x, t in zip(values, labels))
    assert all(a[1] <= b[0] for a, b in zip(boxes, boxes[1:]))
    for x, label in zip(values, labels):
        t = scale.to_time(np.array([x]))[0]
        if label[0].isdigit() and " " in label:  # a day: drawn at the middle of that day
            day = pd.Timestamp(int(t)).floor("D")
            assert f"{day.day} {day:%b}" in label and (t - day.value) == pytest.approx(NS_DAY / 2, rel=1e-3)
        elif label.isdigit():
            assert pd.Timestamp(int(round(t / NS_DAY)) * NS_DAY) == pd.Timestamp(f"{label}-01-01")


def test_time_axis_is_one_linear_piece():
    scale = linear(ns("2025-11-01"), ns("2025-12-01"), 900)
    assert not scale.breaks
    assert scale.to_px(np.array([ns("2025-11-16")]))[0] == pytest.approx(450)
    values, labels = _tick_days(scale)
    assert labels[0] == "1 Nov 2025" or labels[0].endswith("Nov 2025")


def test_scale_round_trips_through_the_page_store():
    scale = story_scale(newsroom_pieces(), 950)
    again = Scale.from_store(scale.to_store())
    days = np.array([ns("1991-06-01"), ns("2025-11-23")])
    assert np.allclose(again.to_px(days), scale.to_px(days))
    for bad in ({"t0": [1], "t1": [0], "x0": [0], "x1": [1]}, {"t0": [], "t1": [], "x0": [], "x1": []},
                {"t0": ["x"], "t1": [1], "x0": [0], "x1": [1]}):
        with pytest.raises((ValueError, TypeError)):
            Scale.from_store(bad)


FULL = (date(1991, 1, 1), date(2025, 11, 27))


@pytest.mark.parametrize("relayout, window", [
    ({"xaxis.range[0]": 450.0, "xaxis.range[1]": 900.0}, (date(2025, 11, 16), date(2025, 11, 30))),
    ({"xaxis.range": [0, 900]}, (date(2025, 11, 1), date(2025, 11, 30))),
    ({"xaxis.autorange": True}, FULL),
    ({"dragmode": "pan"}, None),
    (None, None),
    ({"xaxis.range[0]": "2025-11-03", "xaxis.range[1]": 5}, None),  # not pixels: not ours
    ({"xaxis.range[0]": True, "xaxis.range[1]": 5}, None),
    ([1, 2], None),
    ({"xaxis.range[0]": -1e30, "xaxis.range[1]": 1e30}, FULL),  # past what pandas can hold
])
def test_window_from_relayout(relayout, window):
    scale = linear(ns("2025-11-01"), ns("2025-12-01"), 900)
    assert window_from_relayout(relayout, scale, FULL) == window


def test_relayout_without_a_scale_changes_nothing():
    assert window_from_relayout({"xaxis.range[0]": 1, "xaxis.range[1]": 2}, None, FULL) is None


def zoom(label, as_of="2025-11-24"):
    start, end, precision = NEWSROOM
    kinds = np.zeros(len(start), dtype=bool)
    kinds[-1] = True  # the Thanksgiving deadline
    return axis.zoom_window(label, start.astype("datetime64[ns]"), end.astype("datetime64[ns]"), kinds,
                            pd.Timestamp(as_of))


@pytest.mark.parametrize("label, window", [
    ("1w", (date(2025, 11, 18), date(2025, 11, 27))),  # the week up to the report, and the deadline after it
    ("1m", (date(2025, 10, 25), date(2025, 11, 27))),
    ("6m", (date(2025, 5, 26), date(2025, 11, 27))),
    ("1y", (date(2024, 11, 25), date(2025, 11, 27))),
    ("all", (date(1991, 1, 1), date(2025, 12, 31))),
])
def test_zoom_buttons_end_at_the_as_of_date_with_the_deadline_after_it(label, window):
    assert zoom(label) == window


def test_zoom_never_opens_on_an_empty_week():
    # Reported long after the last event: 1w ends on the latest event instead.
    lo, hi = zoom("1w", as_of="2026-03-01")
    assert hi == date(2025, 12, 31) or lo <= date(2025, 11, 27) <= hi
    start, end, _ = NEWSROOM
    inside = [(pd.Timestamp(s).date() <= hi and pd.Timestamp(e).date() >= lo) for s, e in zip(start, end)]
    assert any(inside)


def test_a_linear_year_is_ticked_in_months():
    _, labels = _tick_days(linear(ns("2025-01-01"), ns("2026-01-01"), 900))
    assert labels[0] == "Jan 2025" and "Jun" in labels
