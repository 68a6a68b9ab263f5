"""The time axis: which dates the chart shows, and where each date is drawn.

The x axis is in plot pixels. A :class:`Scale` maps time to pixels piecewise
linearly: on the "time" axis there is one piece, on the "story" axis each busy
stretch of the events is a piece with a scale of its own and each long empty
stretch between two pieces collapses to a narrow, labelled break ("≈ 31 years").
Plotly's own ``rangebreaks`` draw no break mark and fail with WebGL, so the
mapping, the ticks and the break labels are ours, and hover shows true dates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from .style import NS_DAY, RECENT_DAYS, text_width

BREAK_PX = 30  # width of a collapsed stretch
MIN_PIECE_PX = 56  # a piece holding one event still shows its mark and a tick
MIN_GAP_DAYS = 10  # a shorter empty stretch is never worth a break
GAP_SHARE = 0.12  # ... nor one under this share of the stretch it would split
TICK_GAP_PX = 14
DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class Scale:
    """Pieces ``[t0, t1)`` (ns) drawn on ``[x0, x1)`` (px), left to right; between two pieces, a break."""

    t0: np.ndarray
    t1: np.ndarray
    x0: np.ndarray
    x1: np.ndarray
    first: np.ndarray | None = None  # each piece's busy days [first, stop) in ns, inside its padding
    stop: np.ndarray | None = None

    @property
    def breaks(self) -> list[tuple[float, float, int, int]]:
        """(x0, x1, t0 ns, t1 ns) of every collapsed stretch."""
        after = self.stop if self.stop is not None else self.t1
        before = self.first if self.first is not None else self.t0
        return [(float(self.x1[i]), float(self.x0[i + 1]), int(after[i]), int(before[i + 1]))
                for i in range(len(self.t0) - 1)]

    def knots(self) -> tuple[np.ndarray, np.ndarray]:
        return (np.column_stack([self.t0, self.t1]).ravel().astype(np.float64),
                np.column_stack([self.x0, self.x1]).ravel().astype(np.float64))

    def to_px(self, ns: np.ndarray) -> np.ndarray:
        """Pixel position of each time; past either end the end piece's scale goes on, so marks just
        outside the window sit where a pan will bring them."""
        ts, xs = self.knots()
        ns = np.asarray(ns, dtype=np.float64)
        out = np.interp(ns, ts, xs)
        left = (self.x1[0] - self.x0[0]) / max(self.t1[0] - self.t0[0], 1)
        right = (self.x1[-1] - self.x0[-1]) / max(self.t1[-1] - self.t0[-1], 1)
        out = np.where(ns < ts[0], xs[0] + (ns - ts[0]) * left, out)
        return np.where(ns > ts[-1], xs[-1] + (ns - ts[-1]) * right, out)

    def to_time(self, px: np.ndarray) -> np.ndarray:
        """The inverse of :meth:`to_px` (a pixel inside a break maps into the time it skips)."""
        ts, xs = self.knots()
        px = np.asarray(px, dtype=np.float64)
        out = np.interp(px, xs, ts)
        left = (self.t1[0] - self.t0[0]) / max(self.x1[0] - self.x0[0], 1e-9)
        right = (self.t1[-1] - self.t0[-1]) / max(self.x1[-1] - self.x0[-1], 1e-9)
        out = np.where(px < xs[0], ts[0] + (px - xs[0]) * left, out)
        return np.where(px > xs[-1], ts[-1] + (px - xs[-1]) * right, out)

    def to_store(self) -> dict:
        """Plain lists for the page, which turns a zoom in pixels back into dates with :func:`window_from_relayout`."""
        data = {"t0": self.t0.tolist(), "t1": self.t1.tolist(), "x0": self.x0.tolist(), "x1": self.x1.tolist()}
        if self.first is not None and self.stop is not None:
            data.update(first=self.first.tolist(), stop=self.stop.tolist())
        return data

    @classmethod
    def from_store(cls, data: Mapping) -> Scale:
        arrays = [np.asarray(data[k], dtype=np.float64) for k in ("t0", "t1", "x0", "x1")]
        if not all(a.ndim == 1 and len(a) == len(arrays[0]) and len(a) and np.isfinite(a).all() for a in arrays):
            raise ValueError("not a scale")
        ts, xs = np.column_stack(arrays[:2]).ravel(), np.column_stack(arrays[2:]).ravel()
        if (np.diff(ts) <= 0).any() or (np.diff(xs) < 0).any():
            raise ValueError("not a scale")
        busy = [np.asarray(data[k], dtype=np.float64) for k in ("first", "stop") if k in data]
        if len(busy) == 2 and all(b.shape == arrays[0].shape and np.isfinite(b).all() for b in busy):
            return cls(*arrays, *busy)
        return cls(*arrays)


def linear(lo_ns: int, hi_ns: int, width: float) -> Scale:
    return Scale(np.array([lo_ns]), np.array([hi_ns]), np.array([0.0]), np.array([float(width)]))


def story_pieces(start_ns: np.ndarray, end_ns: np.ndarray, precision: np.ndarray, lo_ns: int, hi_ns: int,
                 extra_ns: Sequence[int] = ()) -> list[tuple[int, int, int]]:
    """The busy stretches of a window: (first day, day after the last, events) in day numbers.

    Every event is an interval of days, but a month or year that holds finer-dated
    events counts only by its first day: "November 2025" must not glue the Geneva
    week to the start of the month. Intervals closer than a gap are merged; a gap
    of at least MIN_GAP_DAYS and GAP_SHARE of the stretch it splits becomes a
    break, applied again inside each part until nothing splits.
    """
    lo, hi = lo_ns // NS_DAY, -(-hi_ns // NS_DAY)
    s = np.clip(np.asarray(start_ns, dtype=np.int64) // NS_DAY, lo, hi - 1)
    e = np.clip(np.asarray(end_ns, dtype=np.int64) // NS_DAY + 1, lo + 1, hi)
    coarse = np.asarray(precision) >= 2  # month, year
    fine_days = np.sort(s[~coarse])
    if coarse.any() and len(fine_days):
        inside = np.searchsorted(fine_days, e[coarse], "left") > np.searchsorted(fine_days, s[coarse], "left")
        e = e.copy()
        e[np.flatnonzero(coarse)[inside]] = s[coarse][inside] + 1
    extra = np.clip(np.asarray(list(extra_ns), dtype=np.int64) // NS_DAY, lo, hi - 1)
    # The as-of day is an anchor, not an event: it counts for no width.
    counts = np.concatenate([np.ones(len(s), dtype=np.int64), np.zeros(len(extra), dtype=np.int64)])
    s = np.concatenate([s, extra])
    e = np.concatenate([e, extra + 1])
    if not len(s):
        return [(lo, hi, 0)]
    order = np.argsort(s, kind="stable")
    s, e, counts = s[order], np.maximum.accumulate(e[order]), counts[order]
    return _split(s, e, counts)


def _split(s: np.ndarray, e: np.ndarray, counts: np.ndarray) -> list[tuple[int, int, int]]:
    gaps = s[1:] - e[:-1]
    span = e[-1] - s[0]
    cut = np.flatnonzero((gaps >= MIN_GAP_DAYS) & (gaps >= GAP_SHARE * span))
    if not len(cut):
        return [(int(s[0]), int(e[-1]), int(counts.sum()))]
    pieces, first = [], 0
    for c in [*cut.tolist(), len(s) - 1]:
        pieces += _split(s[first:c + 1], e[first:c + 1], counts[first:c + 1])
        first = c + 1
    return pieces


def story_scale(pieces: list[tuple[int, int, int]], width: float) -> Scale:
    """Pixels for each piece: a share by the events it holds (so a busy week is wide and a lone
    event in 1991 is narrow), never under MIN_PIECE_PX (less on a phone), a little room at both ends."""
    n = len(pieces)
    # On a narrow chart (a phone) breaks and small pieces shrink so that the busy ones keep room.
    gap = min(BREAK_PX, width * 0.15 / max(n - 1, 1))
    floor = min(MIN_PIECE_PX, width * 0.45 / n)
    room = width - gap * (n - 1)
    weight = np.array([math.sqrt(max(c, 1)) * 0.4 + max(c, 1) for *_, c in pieces], dtype=float)
    px = np.maximum(room * weight / weight.sum(), floor)
    # Pieces raised to the floor took room from the others: the pieces above it give it back.
    free = px > floor
    if free.any():
        px[free] -= (px.sum() - room) * px[free] / px[free].sum()
    t0, t1, x0, x1, x = [], [], [], [], 0.0
    for (first, stop, _), w in zip(pieces, px):
        days = stop - first
        pad = min(max(0.5, days * 0.04), 3.0) if days < 300 else days * 0.02
        t0.append(int((first - pad) * NS_DAY))
        t1.append(int((stop + pad) * NS_DAY))
        x0.append(x)
        x1.append(x + w)
        x += w + gap
    busy = np.array([(first * NS_DAY, stop * NS_DAY) for first, stop, _ in pieces], dtype=np.int64)
    return Scale(np.array(t0), np.array(t1), np.array(x0), np.array(x1), busy[:, 0], busy[:, 1])


def skipped(t0_ns: int, t1_ns: int) -> str:
    """What a break leaves out, in words: "≈ 31 years", "≈ 8 months", "≈ 2 weeks"."""
    days = (t1_ns - t0_ns) / NS_DAY
    for unit, length in (("year", 365.25), ("month", 30.44), ("week", 7), ("day", 1)):
        if days >= length * (1.5 if unit != "day" else 1):
            n = round(days / length)
            return f"≈ {n} {unit}{'s' if n != 1 else ''}"
    return "≈ 1 day"


# ---------------------------------------------------------------- ticks

_STEPS = (  # (unit, count): numpy unit of the tick grid, and how many of them per tick
    ("D", 1), ("D", 2), ("W", 1), ("W", 2), ("M", 1), ("M", 2), ("M", 3), ("M", 6),
    ("Y", 1), ("Y", 2), ("Y", 5), ("Y", 10), ("Y", 25), ("Y", 50), ("Y", 100),
)
_STEP_DAYS = {"D": 1, "W": 7, "M": 30.44, "Y": 365.25}
_WIDEST = {"D": "28 Sep", "W": "28 Sep", "M": "Sep", "Y": "2025"}


def ticks(scale: Scale, font_px: float) -> tuple[list[float], list[str]]:
    """Tick positions and labels, right within each piece, none overlapping.

    Each piece picks the finest step whose labels fit its own scale; the first tick
    of a piece names the year when its step does not (day and month ticks), so a
    reader of any piece knows where it is. A piece with no whole step in it gets
    one tick at its first event.
    """
    boxes = []
    firsts = scale.first if scale.first is not None else np.ceil(scale.t0 / NS_DAY) * NS_DAY
    stops = scale.stop if scale.stop is not None else scale.t1
    for t0, t1, x0, x1, first, stop in zip(scale.t0.tolist(), scale.t1.tolist(), scale.x0.tolist(),
                                           scale.x1.tolist(), firsts.tolist(), stops.tolist()):
        days = (t1 - t0) / NS_DAY
        px_per_day = (x1 - x0) / max(days, 1e-9)
        placed = []
        # A piece of whole years (or months) is ticked in years (or months): "1991", not "Jan 1991".
        a, b = pd.Timestamp(int(first)), pd.Timestamp(int(stop))
        # A single month's piece drawn wide holds day-dated events (a month of news): ticked in days.
        coarsest = ("D" if scale.first is None else "Y" if (a.month, a.day, b.month, b.day) == (1, 1, 1, 1) else
                    "M" if (a.day, b.day) == (1, 1) and (b - a).days > 31 else "D")
        steps = _STEPS[[u for u, _ in _STEPS].index(coarsest):]
        for unit, count in steps:
            if _STEP_DAYS[unit] * count > days:
                break
            if _STEP_DAYS[unit] * count * px_per_day >= text_width(_WIDEST[unit], font_px) + TICK_GAP_PX:
                # Ticks in a piece's padding would name a time with nothing in it ("1995" after 1994).
                placed = _grid(max(t0, first) if len(scale.t0) > 1 else t0, min(t1, stop) if len(scale.t0) > 1
                               else t1, unit, count)
                break
        if not placed:  # no whole step fits: one tick, at the first busy day, as precise as that day is round
            day = pd.Timestamp(int(first))
            placed = [(int(first), "Y" if (day.month, day.day) == (1, 1) else "M" if day.day == 1 else "D")]
        for i, (ns, unit) in enumerate(placed):
            x = x0 + (ns - t0) / (t1 - t0) * (x1 - x0)
            if unit == "D":  # a day's tick at its middle, where its marks are
                x += NS_DAY / 2 / (t1 - t0) * (x1 - x0)
            label = _tick_label(pd.Timestamp(ns), unit, first=i == 0)
            if i == 0 and len(placed) == 1:  # a narrow piece says as much of its date as it has room for
                room = x1 - x0 + BREAK_PX
                day = pd.Timestamp(ns)
                label = next((text for text in (label, f"{day:%b %Y}", f"{day.year}")
                              if text_width(text, font_px) <= room), f"{day.year}")
            boxes.append((x, label, i == 0))
    kept: list[tuple[float, str, bool]] = []
    right_edge = -math.inf
    for x, label, first in sorted(boxes):
        half = text_width(label, font_px) / 2
        if x - half >= right_edge + 4:
            kept.append((x, label, first))
            right_edge = x + half
        elif first and kept and not kept[-1][2]:  # a piece's first tick names it: it beats the last one's
            kept[-1] = (x, label, first)
            right_edge = x + half
    return [x for x, *_ in kept], [label for _, label, _ in kept]


def _grid(t0: int, t1: int, unit: str, count: int) -> list[tuple[int, str]]:
    lo, hi = np.datetime64(int(t0), "ns"), np.datetime64(int(t1), "ns")
    if unit == "W":  # weeks start on Monday (1970-01-01 was a Thursday)
        first = (lo.astype("datetime64[D]").astype(np.int64) + 3) // 7 * 7 - 3
        days = np.arange(first, hi.astype("datetime64[D]").astype(np.int64) + 1, 7 * count)
        grid = days.astype("datetime64[D]")
        tick_unit = "D"
    else:
        start = lo.astype(f"datetime64[{unit}]").astype(np.int64)
        start = -(-start // count) * count
        grid = np.arange(start, hi.astype(f"datetime64[{unit}]").astype(np.int64) + 1, count).astype(
            f"datetime64[{unit}]").astype("datetime64[D]")
        tick_unit = unit
    ns = grid.astype("datetime64[ns]").astype(np.int64)
    return [(int(v), tick_unit) for v in ns if t0 <= v < t1]


def _tick_label(day: pd.Timestamp, unit: str, *, first: bool) -> str:
    if unit == "Y":
        return f"{day.year}"
    if unit == "M":
        return f"{day:%b %Y}" if first or day.month == 1 else f"{day:%b}"
    return f"{day.day} {day:%b %Y}" if first else f"{day.day} {day:%b}"


# ---------------------------------------------------------------- windows


def default_window(start: np.ndarray, end: np.ndarray, as_of: pd.Timestamp | None, view,
                   *, whole: bool = False) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The x range shown first, as [left, right) timestamps.

    ``view.window`` wins (with half a day of margin on the left, so a day drawn at
    its midnight is not cut in half by the edge); then the date filter; then, on the
    story axis (``whole``), every event; otherwise the recent dense period: from the
    earliest event in the RECENT_DAYS before ``as_of`` to a few days after it,
    stretched to upcoming events of the next three weeks (deadlines are usually just
    ahead of the news).
    """
    if view.window:
        return pd.Timestamp(view.window[0]) - DAY / 2, pd.Timestamp(view.window[1]) + DAY
    start, end = pd.DatetimeIndex(start), pd.DatetimeIndex(end)
    if view.date_from or view.date_to:
        lo = pd.Timestamp(view.date_from) if view.date_from else start.min()
        hi = pd.Timestamp(view.date_to) + DAY if view.date_to else max(end.max() + DAY, lo + DAY)
    elif whole:
        lo = start.min()
        hi = max(end.max(), as_of if as_of is not None else end.max()) + DAY
        return lo, hi
    else:
        anchor = as_of if as_of is not None else start.max()
        past = start[start <= anchor]
        recent = past[past >= anchor - pd.Timedelta(days=RECENT_DAYS)]
        lo = recent.min() if len(recent) else (np.sort(past)[-10:].min() if len(past) else start.min())
        ahead = start[(start > anchor) & (start <= anchor + pd.Timedelta(days=21))]
        hi = max(anchor + pd.Timedelta(days=6), ahead.max() + pd.Timedelta(days=3) if len(ahead) else anchor) + DAY
    pad = max(DAY, (hi - lo) * 0.03)
    if hi - lo < pd.Timedelta(days=7):
        pad = (pd.Timedelta(days=9) - (hi - lo)) / 2
    return (lo - pad).floor("D"), (hi + pad).ceil("D")


ZOOMS = {"1w": 7, "1m": 31, "6m": 183, "1y": 365}


def zoom_window(zoom: str, start: np.ndarray, end: np.ndarray, kinds_deadline: np.ndarray,
                as_of: pd.Timestamp | None) -> tuple[date, date] | None:
    """The window of a zoom button: the period that ends on the as-of date, stretched to the
    upcoming deadlines and plans just after it, and reaching back to the latest events if the
    period before the as-of date is empty. "all" is every event. None when there are no events."""
    start, end = pd.DatetimeIndex(start), pd.DatetimeIndex(end)
    if not len(start):
        return None
    if zoom == "all" or zoom not in ZOOMS:
        return start.min().date(), max(end.max(), as_of if as_of is not None else end.max()).date()
    days = pd.Timedelta(days=ZOOMS[zoom])
    anchor = as_of if as_of is not None else start.max()
    lo = anchor - days + DAY
    if not ((start <= anchor) & (end >= lo)).any():  # nothing in the period: end on the latest event
        past = start[start <= anchor]
        anchor = past.max() if len(past) else start.min()
        lo = anchor - days + DAY
    ahead = start[(start > anchor) & (start <= anchor + max(days, pd.Timedelta(days=14)))
                  & np.asarray(kinds_deadline, dtype=bool)]
    hi = max(anchor, ahead.max() if len(ahead) else anchor)
    return lo.date(), hi.date()


def window_from_relayout(relayout: Mapping | None, scale: Scale | None,
                         full: tuple[date, date]) -> tuple[date, date] | None:
    """The window a Plotly relayout event asks for, in days; None when it does not touch x.

    The chart's x is in pixels of ``scale`` (the figure the reader zoomed on);
    "autorange" (a double click) means every event, ``full``.
    """
    if not isinstance(relayout, Mapping):
        return None
    if relayout.get("xaxis.autorange"):
        return full
    lo, hi = relayout.get("xaxis.range[0]"), relayout.get("xaxis.range[1]")
    if lo is None and isinstance(relayout.get("xaxis.range"), (list, tuple)) and len(relayout["xaxis.range"]) >= 2:
        lo, hi = relayout["xaxis.range"][:2]
    if scale is None or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                                for v in (lo, hi)):
        return None
    t_lo, t_hi = sorted(float(t) for t in scale.to_time(np.array([lo, hi], dtype=np.float64)))
    try:
        first = (pd.Timestamp(int(t_lo)) + pd.Timedelta(hours=12)).date()
        last = (pd.Timestamp(int(t_hi)) - pd.Timedelta(microseconds=1)).date()
    except (ValueError, OverflowError):  # zoomed out past what pandas can hold
        return full
    if not (1678 <= first.year and last.year <= 2261):
        return full
    return first, max(first, last)


# ---------------------------------------------------------------- count periods

# name, numpy unit, bin width in units, hover format
PERIODS = (
    ("day", "D", 1, "%-d %b %Y"),
    ("week", "D", 7, "week of %-d %b %Y"),
    ("month", "M", 1, "%b %Y"),
    ("quarter", "M", 3, "quarter from %b %Y"),
    ("year", "Y", 1, "%Y"),
)


def period_for(span_days: float) -> tuple:
    """The finest period that keeps the window under ~160 columns."""
    for period, limit in zip(PERIODS, (160, 7 * 160, 30.4 * 160, 91 * 160, math.inf)):
        if span_days <= limit:
            return period


def bins(ns: np.ndarray, unit: str, width: int) -> np.ndarray:
    units = ns.astype("datetime64[ns]").astype(f"datetime64[{unit}]").astype(np.int64)
    return (units + 3) // 7 if width == 7 else units // width  # weeks start on Monday


def bin_start(bins_: np.ndarray, unit: str, width: int) -> np.ndarray:
    units = bins_ * 7 - 3 if width == 7 else bins_ * width
    return units.astype(f"datetime64[{unit}]").astype("datetime64[ns]")
