"""The timeline figure: one pure function from (events, view) to a Plotly figure.

The Dash page, the static exporter and the tests all call :func:`build_figure`,
so a screenshot and an export of the same view are the same picture.

Two drawing modes, chosen from the number of marks inside the visible window:

* individual: one mark per (event, lane) -- markers for exact days, bars for
  ranges and for approximate (week/month/year) dates -- with titles written on
  the chart where they fit (:func:`place_labels`);
* aggregate (more than ``MAX_MARKS`` marks in the window): a heat strip of
  event counts per period per lane, because thousands of overlapping marks
  cannot be told apart and would make the page slow. Zooming in (the app
  passes the new window back in ``view.window``) switches to individual marks.

Traces are built per (kind, style) group from numpy columns, never per event,
so the figure stays small and fast at 100,000 events.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import filters
from .filters import View, describe, format_day
from .schema import KINDS, PRECISIONS, STATUSES

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
DEFAULT_WIDTH = 1280  # assumed for label placement when the app autosizes the width
MIN_HEIGHT = 500
SLIDER_PX = 44
LANE_PX = 44  # fits a label tier above and below the marks
MAX_MARKS = 1000  # above this many marks in the window, too many to tell apart: draw counts
WHOLE_MARKS = 600  # up to this many marks, all are sent (the overview slider shows them all)
GL_MARKS = 2500  # above this many markers (near the window, for panning), WebGL; below it SVG draws faster
MAX_LABEL_EVENTS = 150  # label candidates tried: past this a dense view gains clutter and draw time, not reading
MAX_DEADLINE_LINES = 12
TITLE_CHARS, SHORT_TITLE_CHARS = 40, 18
RECENT_DAYS = 60

NS_DAY = 86_400 * 10**9

# Okabe-Ito colours (colour-blind safe); the symbol repeats the distinction for
# kinds that share a colour and for readers of greyscale prints.
KIND_STYLE: dict[str, tuple[str, str]] = {
    "talks": ("#0072B2", "circle"),
    "meeting": ("#56B4E9", "circle"),
    "summit": ("#CC79A7", "star"),
    "travel": ("#999999", "triangle-up"),
    "proposal": ("#E69F00", "square"),
    "statement": ("#009E73", "circle"),
    "deadline": ("#D55E00", "diamond"),
    "agreement": ("#000000", "star"),
    "election": ("#F0E442", "hexagon"),
    "sanction": ("#CC79A7", "square"),
    "military": ("#000000", "triangle-down"),
    "other": ("#999999", "circle"),
}
CANCELLED_COLOR = "#8c8c8c"
INK, MUTED, GRID = "#222222", "#666666", "#e8e8e8"

DEFAULT_TITLE = "Diplomatic timeline"

HOVER = (
    "<b>%{customdata[1]}</b><br>"
    "%{customdata[2]} <span style='color:#777'>(written: %{customdata[3]})</span><br>"
    "%{customdata[4]}<br>"
    "%{customdata[5]}<extra></extra>"
)
# customdata columns: event id (decimal string, for click callbacks), title,
# normalized date, date as written, actors, "kind · status[<br>location · source]"


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def plot_config(filename: str, *, width: int = 1600, height: int = 900, scale: float = 2) -> dict:
    """Plotly's config for the page and the HTML export: a named PNG download, nothing that
    leaves the page (no cloud sharing), no selection tools a timeline has no use for."""
    return {
        "displaylogo": False,
        "showSendToCloud": False,
        "modeBarButtonsToRemove": ["sendChartToCloud", "select2d", "lasso2d"],
        "toImageButtonOptions": {"format": "png", "filename": filename, "width": width, "height": height,
                                 "scale": scale},
    }


def event_id_from_point(point: Mapping | None) -> int | None:
    """The event behind a clicked or hovered mark (see HOVER); None for count marks."""
    data = (point or {}).get("customdata")
    if isinstance(data, (list, tuple)) and data and str(data[0]).isdigit():
        return int(data[0])
    return None


def escape(text: str) -> str:
    """Make event text literal in Plotly labels, which render a subset of HTML."""
    return str(text).translate(_ESCAPES)


def ellipsize(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Advance widths of Arial / Liberation Sans in em (metric-compatible fonts), so
# label placement can predict what the browser will draw.
_EM = {}
for _chars, _w in (
    ("ijl'|", 0.222), (" ftI.,:;!/[]\\", 0.278), ("r()-`", 0.333), ("\"", 0.355),
    ("*", 0.389), ("^", 0.469), ("ckszvxyJ", 0.5), ("abdeghnopqu0123456789$?_#L", 0.556),
    ("+<=>~", 0.584), ("TFZ", 0.611), ("ABEKPSVXY&", 0.667), ("wCDHNRU", 0.722),
    ("GOQ", 0.778), ("mM", 0.833), ("%", 0.889), ("W", 0.944), ("@", 1.015), ("…—", 1.0),
):
    _EM.update(dict.fromkeys(_chars, _w))


def text_width(text: str, font_px: float, *, bold: bool = False) -> float:
    """Estimated rendered width in pixels (slightly generous, never short)."""
    em = sum(_EM.get(c, 0.6) for c in text)
    return em * font_px * (1.1 if bold else 1.04) + 2


# ---------------------------------------------------------------- label placement


class Label(NamedTuple):
    event: int  # index into the candidates given to place_labels
    lane: int
    x0: float  # pixel box, x from the plot's left edge,
    x1: float  # y from the lane's centre (positive is down)
    y0: float
    y1: float
    text: str
    anchor_px: float  # the mark edge the label is attached to
    xanchor: str  # "left" | "right": which side of the text touches the anchor
    xshift: float


def label_tiers(lane_px: float, font_px: float, mark_px: float) -> list[float]:
    """Vertical offsets (pixels from the lane centre) where labels may sit.

    0 is "beside the mark"; then above and below the marks, as many rows as
    fit inside the lane so labels never cross into a neighbouring lane.
    """
    half_text = font_px * 0.65
    tiers = [0.0] if 2 * half_text <= lane_px else []
    step = 2 * half_text + 1
    offset = mark_px / 2 + 1 + half_text
    while offset + half_text <= lane_px / 2 + 0.5 and len(tiers) < 5:  # farther is ambiguous
        tiers += [-offset, offset]
        offset += step
    return tiers


def place_labels(
    texts: Sequence[Sequence[str]],
    anchors: Sequence[Sequence[tuple[int, float, float, float]]],
    obstacles: np.ndarray,
    *,
    plot_width: float,
    lane_px: float,
    font_px: float,
    mark_px: float,
    bold: Sequence[bool] | None = None,
) -> list[Label]:
    """Greedy, collision-free placement of one label per event.

    ``texts[i]`` are the label variants of event ``i`` (longest first; a
    shorter one is tried everywhere before the event is given up), candidates
    in priority order. ``anchors[i]`` are its marks as (lane, left px, right
    px, centre offset px). ``obstacles`` is an (n, 5) array of lane, x0, x1,
    y0, y1 boxes (the drawn marks). Labels stay inside the plot and their lane
    and overlap neither marks nor each other; what does not fit is dropped.
    ``bold[i]`` widens event ``i``'s text accordingly.
    """
    half = font_px * 0.65
    tiers = label_tiers(lane_px, font_px, mark_px)
    centres = sorted({c for marks in anchors for *_, c in marks}) if 0.0 in tiers else []
    offsets = sorted(set(centres) | {t for t in tiers if t})
    taken = _Occupancy([(o - half, o + half) for o in offsets], plot_width)
    band = {o: i for i, o in enumerate(offsets)}
    for lane, x0, x1, y0, y1 in np.asarray(obstacles, dtype=float).reshape(-1, 5).tolist():
        taken.take(int(lane), x0, x1, y0, y1)

    placed = []
    for event, (variants, marks) in enumerate(zip(texts, anchors)):
        heavy = bool(bold is not None and bold[event])
        for candidate in _candidates(variants, marks, tiers, font_px, plot_width, heavy):
            lane, x0, x1, offset = candidate[:4]
            inside = 0 <= x0 and x1 <= plot_width and abs(offset) + half <= lane_px / 2 + 0.5
            if inside and taken.free(lane, band[offset], x0, x1):
                label = Label(event, lane, x0, x1, offset - half, offset + half, *candidate[4:])
                taken.take(lane, x0, x1, label.y0, label.y1)
                placed.append(label)
                break
    return placed


def _candidates(variants, marks, tiers, font_px, plot_width, bold):
    """Positions to try, best first: (lane, x0, x1, centre offset, text, anchor px, xanchor, xshift)."""
    for text in variants:
        width = text_width(text, font_px, bold=bold)
        for lane, left, right, centre in marks:
            start, end = max(left, 0.0), min(right, plot_width)
            for tier in tiers:
                if tier == 0:  # beside the mark: after it, else before it
                    yield lane, right + 6, right + 6 + width, centre, text, right, "left", 6.0
                    yield lane, left - 6 - width, left - 6, centre, text, left, "right", -6.0
                else:  # above / below: start at the mark, else end at it
                    begin = max(start, 2.0)  # a bar running off the left edge is labelled at the edge
                    yield lane, begin - 2, begin - 2 + width, tier, text, begin, "left", -2.0
                    yield lane, end + 2 - width, end + 2, tier, text, end, "right", 2.0


class _Occupancy:
    """Taken pixel columns per horizontal band per lane: O(1) collision tests.

    Every box marks each band it vertically intersects, so testing a
    candidate that fills one band exactly needs only that band's columns.
    """

    def __init__(self, bands: list[tuple[float, float]], width: float):
        self.bands = bands
        self.width = int(math.ceil(width)) + 1
        self.lanes: dict[int, list[bytearray]] = {}

    def take(self, lane: int, x0: float, x1: float, y0: float, y1: float) -> None:
        a, b = max(0, math.floor(x0)), min(self.width, math.ceil(x1))
        if b <= a:
            return
        rows = self.lanes.setdefault(lane, [bytearray(self.width) for _ in self.bands])
        fill = b"\x01" * (b - a)
        for row, (c, d) in zip(rows, self.bands):
            if c < y1 and d > y0:
                row[a:b] = fill

    def free(self, lane: int, band: int, x0: float, x1: float) -> bool:
        rows = self.lanes.get(lane)
        return rows is None or rows[band].find(1, math.floor(x0), math.ceil(x1)) < 0


# ---------------------------------------------------------------- lanes and window


@dataclass(frozen=True)
class Lanes:
    names: list[str]
    heads: list[bool]  # states/bodies, drawn bold above their officials
    groups: list[tuple[int, int]]  # first and last lane of each state's block
    rows: np.ndarray  # frame position of each mark
    lane: np.ndarray  # lane of each mark


def lanes_for(ix: filters.FrameIndex, keep: np.ndarray, view: View,
              members: Mapping[str, Iterable[str]], window: tuple[int, int] | None = None) -> Lanes:
    """Swimlanes and the (event, lane) marks of the selected events.

    Actor lanes: the chosen actors each followed by their officials, or, with
    no actor filter, every involved actor grouped state-then-officials, most
    active groups first. An event appears once in each shown lane it involves.
    Only lanes with events in ``window`` ([lo, hi) in ns) are shown, if any
    are, so a zoomed view spends no space on actors absent from it; their
    order stays that of the whole selection so lanes don't jump when panning.
    """
    def seen_in_window(rows):
        if window is None:
            return np.ones(len(rows), dtype=bool)
        inside = (ix.end[rows].view("i8") + NS_DAY > window[0]) & (ix.start[rows].view("i8") < window[1])
        return inside if inside.any() else np.ones(len(rows), dtype=bool)

    if view.lanes == "kinds":
        rows = np.flatnonzero(keep)
        present = np.bincount(ix.kind_codes[rows][seen_in_window(rows)], minlength=len(KINDS)) > 0
        order = np.flatnonzero(present)
        lut = np.full(len(KINDS), -1)
        lut[order] = np.arange(len(order))
        lane = lut[ix.kind_codes[rows]]
        return Lanes([KINDS[k] for k in order], [False] * len(order), [], rows[lane >= 0], lane[lane >= 0])

    pairs = keep[ix.pair_rows]
    codes = ix.pair_actors[pairs]
    counts = np.bincount(codes, minlength=len(ix.names))
    shown = np.bincount(codes[seen_in_window(ix.pair_rows[pairs])], minlength=len(ix.names))
    active = {ix.names[c]: int(counts[c]) for c in np.flatnonzero(shown)}
    by_activity = lambda names: sorted(names, key=lambda n: (-active.get(n, 0), n))  # noqa: E731

    if view.actors:
        blocks = [[a, *by_activity(members.get(a, ()))] for a in view.actors]
    else:
        parent = {}
        for head in by_activity(members):
            for m in members[head]:
                parent.setdefault(m, head)
        grouped: dict[str, list[str]] = {}
        for name in active:
            grouped.setdefault(parent.get(name, name), []).append(name)
        total = {g: sum(active[n] for n in names) for g, names in grouped.items()}
        blocks = [[g, *by_activity(n for n in grouped[g] if n != g)]
                  for g in sorted(grouped, key=lambda g: (-total[g], g))]

    names, groups, seen = [], [], set()
    for block in blocks:
        shown = [n for n in block if n in active and n not in seen]
        if shown:
            groups.append((len(names), len(names) + len(shown) - 1))
            names += shown
            seen.update(shown)
    lut = np.full(len(ix.names), -1)
    lut[[ix.code_of[n] for n in names]] = np.arange(len(names))
    lane = lut[codes]
    inside = lane >= 0
    return Lanes(names, [n in members for n in names], groups, ix.pair_rows[pairs][inside], lane[inside])


def default_window(start: np.ndarray, end: np.ndarray, as_of: pd.Timestamp | None,
                   view: View) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The x range shown first, as [left, right) timestamps.

    ``view.window`` wins (with half a day of margin on the left, so a day
    drawn at its midnight tick is not cut in half by the edge); then the date
    filter; otherwise the recent dense period: from the earliest event in the
    RECENT_DAYS before ``as_of`` to a few days after it, stretched to upcoming
    events of the next three weeks (deadlines are usually just ahead of the news).
    """
    day = pd.Timedelta(days=1)
    if view.window:
        return pd.Timestamp(view.window[0]) - day / 2, pd.Timestamp(view.window[1]) + day
    start, end = pd.DatetimeIndex(start), pd.DatetimeIndex(end)
    if view.date_from or view.date_to:
        lo = pd.Timestamp(view.date_from) if view.date_from else start.min()
        hi = pd.Timestamp(view.date_to) + day if view.date_to else max(end.max() + day, lo + day)
    else:
        anchor = as_of if as_of is not None else start.max()
        past = start[start <= anchor]
        recent = past[past >= anchor - pd.Timedelta(days=RECENT_DAYS)]
        lo = recent.min() if len(recent) else (np.sort(past)[-10:].min() if len(past) else start.min())
        ahead = start[(start > anchor) & (start <= anchor + pd.Timedelta(days=21))]
        # Room after the last upcoming event for its title: it is often the deadline.
        hi = max(anchor + pd.Timedelta(days=6), ahead.max() + pd.Timedelta(days=10) if len(ahead) else anchor) + day
    pad = max(day, (hi - lo) * 0.03)
    if hi - lo < pd.Timedelta(days=7):
        pad = (pd.Timedelta(days=9) - (hi - lo)) / 2
    return (lo - pad).floor("D"), (hi + pad).ceil("D")


def window_from_relayout(relayout: Mapping | None, frame: pd.DataFrame) -> tuple[date, date] | None:
    """The window a Plotly relayout event asks for; None when it does not touch x.

    "autorange" (the "all" button, double click) means the whole data span.
    """
    relayout = relayout or {}
    if relayout.get("xaxis.autorange"):
        return frame["start"].min().date(), frame["end"].max().date()
    lo = relayout.get("xaxis.range[0]")
    hi = relayout.get("xaxis.range[1]")
    if lo is None and isinstance(relayout.get("xaxis.range"), (list, tuple)):
        lo, hi = relayout["xaxis.range"][:2]
    if lo is None or hi is None:
        return None
    try:
        lo, hi = pd.Timestamp(lo), pd.Timestamp(hi)
        first = (lo + pd.Timedelta(hours=12)).date()
    except (ValueError, OverflowError):  # zoomed out past what pandas can hold
        return frame["start"].min().date(), frame["end"].max().date()  # undoes default_window's half-day margin
    return first, max(first, (hi - pd.Timedelta(microseconds=1)).date())


# ---------------------------------------------------------------- canvas


@dataclass(frozen=True)
class Canvas:
    """Pixel geometry the figure is laid out for (margins fixed, not auto-expanded)."""

    width: float
    height: float
    left: int
    right: int
    top: int
    bottom: int
    slider: float  # range slider thickness, fraction of the plot height
    font: int
    label_font: int
    mark_px: int

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom


def _canvas(lane_names, heads, *, width, height, report, aggregate, bottom_extra=0) -> Canvas:
    font = 13 if report else 12
    tick_px = max((text_width(ellipsize(n, 30), font, bold=h) for n, h in zip(lane_names, heads)), default=40)
    left = int(min(max(tick_px + 18, 90), 280))
    right = 110 if aggregate else int(text_width("same event (linked)", font) + 64)
    top = 116 if report else 64
    bottom = 52 + bottom_extra
    # The range slider hangs below the x axis inside the bottom margin
    # (margins don't auto-expand, so label placement knows the plot size).
    slider_px = 0 if report else SLIDER_PX + 16
    if height is None:
        plot = max(len(lane_names) * LANE_PX, MIN_HEIGHT - top - bottom - slider_px)
        height = top + bottom + slider_px + plot
    plot = max(height - top - bottom - slider_px, 1)
    return Canvas(width or DEFAULT_WIDTH, height, left, right, top, bottom + slider_px,
                  0 if report else SLIDER_PX / plot, font, 12 if report else 11, 12 if report else 11)


# ---------------------------------------------------------------- the figure


def build_figure(frame: pd.DataFrame | None, view: View = View(), **options) -> go.Figure:
    """The figure of :func:`figure_spec` as a ``go.Figure``, for export and inspection.

    Validating thousands of values through graph_objects costs more than building them
    (the tests validate instead), and the page sends :func:`figure_spec`'s plain dict,
    which Dash serializes without the deep copy a ``go.Figure`` costs.
    """
    return go.Figure(figure_spec(frame, view, **options), skip_invalid=False, _validate=False)


def figure_spec(
    frame: pd.DataFrame | None,
    view: View = View(),
    *,
    as_of: date | pd.Timestamp | None = None,
    members: Mapping[str, Iterable[str]] | None = None,
    width: int | None = None,
    height: int | None = None,
    title: str | None = None,
    report: bool = False,
    highlight: int | str | None = None,
) -> dict:
    """The timeline of the events of ``frame`` (the FULL dataset) that ``view`` selects.

    ``members`` maps a state/body to its officials (``Dataset.members``), used
    for filtering and lane grouping. ``width``/``height`` in CSS pixels; the
    width defaults to the page's (assumed DEFAULT_WIDTH for label placement),
    the height grows with the lanes. ``report`` makes a static, self-describing
    picture: title, subtitle naming the filters, source line, no slider.
    ``highlight`` is an event id to ring and label first (the selected event).
    ``frame=None`` (nothing loaded) gives the empty figure.
    """
    members = members or {}
    as_of = None if as_of is None or pd.isna(as_of) else pd.Timestamp(as_of).normalize()
    if frame is None:
        return _empty(view, as_of, width, height, title, report, "No events loaded")
    ix = filters.index_for(frame)
    keep = filters.matches(frame, view, members)
    if not keep.any():
        return _empty(view, as_of, width, height, title, report, "No events match these filters")

    x0, x1 = default_window(ix.start[keep], ix.end[keep], as_of, view)
    lo_ns, hi_ns = x0.value, x1.value
    lanes = lanes_for(ix, keep, view, members, (lo_ns, hi_ns))
    m_start = ix.start[lanes.rows].view("i8")
    m_end = ix.end[lanes.rows].view("i8") + NS_DAY
    in_window = (m_end > lo_ns) & (m_start < hi_ns)
    aggregate = int(in_window.sum()) > MAX_MARKS

    sources = _sources(frame, lanes.rows[in_window]) if report else []
    source_lines = _wrap_sources(sources, (width or DEFAULT_WIDTH) - 40, 12)
    canvas = _canvas(lanes.names, lanes.heads, width=width, height=height, report=report, aggregate=aggregate,
                     bottom_extra=16 * len(source_lines) + (8 if source_lines else 0))
    span = hi_ns - lo_ns
    # Keep marks a window-width either side, so small pans show data before the
    # app re-renders; small datasets are drawn whole so the slider shows all.
    if len(lanes.rows) > WHOLE_MARKS:
        near = (m_end > lo_ns - span) & (m_start < hi_ns + span)
        if near.sum() > 3 * MAX_MARKS:
            near = in_window
    else:
        near = np.ones(len(lanes.rows), dtype=bool)

    if aggregate:
        events = int(((ix.end[keep].view("i8") + NS_DAY > lo_ns) & (ix.start[keep].view("i8") < hi_ns)).sum())
        traces, annotations, shapes = _aggregate(lanes, m_start, near, events, (lo_ns, hi_ns), canvas)
    else:
        traces, annotations, shapes = _individual(frame, ix, lanes, near, in_window, (lo_ns, hi_ns), as_of, canvas,
                                                  highlight)

    full_lo = pd.Timestamp(ix.start[keep].min())
    full_hi = max(pd.Timestamp(ix.end[keep].max()), as_of if as_of is not None else full_lo, x1 - pd.Timedelta(days=1))
    layout = _layout(lanes, canvas, (x0, x1), (full_lo, full_hi), report, width)
    layout["shapes"] = _group_bands(lanes) + shapes + _as_of_shapes(as_of)
    layout["annotations"] = annotations + _as_of_note(as_of, canvas, (x0, x1)) + _window_caption(canvas, (x0, x1))
    if report or title:
        shown = _window_days((x0, x1)) if report else None
        _titles(layout, canvas, title, view, as_of, source_lines, report, shown)
    return _figure(traces, layout)


def _figure(traces: list[dict], layout: dict) -> dict:
    layout.setdefault("template", {})  # no implicit theme: the figure looks the same everywhere
    return {"data": traces, "layout": layout}


def _status_style(status_codes: np.ndarray) -> np.ndarray:
    """0 happened (filled), 1 planned/proposed (hollow), 2 cancelled (grey)."""
    planned = np.isin(status_codes, [STATUSES.index("planned"), STATUSES.index("proposed")])
    cancelled = status_codes == STATUSES.index("cancelled")
    return np.where(cancelled, 2, np.where(planned, 1, 0))


def _individual(frame, ix, lanes, near, in_window, window, as_of, canvas, highlight):
    lo_ns, hi_ns = window
    rows, lane = lanes.rows[near], lanes.lane[near]
    in_window = in_window[near]
    start = ix.start[rows].view("i8")
    stop = ix.end[rows].view("i8") + NS_DAY
    is_bar = (ix.precision_codes[rows] > 0) | (stop - start > NS_DAY)
    scale = canvas.plot_width / (hi_ns - lo_ns)
    # A day's marker sits on its midnight tick, where readers look dates up.
    px_left = (start - lo_ns) * scale - np.where(is_bar, 0, canvas.mark_px / 2)
    px_right = np.where(is_bar, np.maximum((stop - lo_ns) * scale, px_left + 3), px_left + canvas.mark_px)

    lane_px = canvas.plot_height / max(len(lanes.names), 1)
    mark_px = min(canvas.mark_px, max(5, int(lane_px * 0.4)))
    bar_px = mark_px - 1
    slot = _dodge(lane, px_left, px_right, is_bar)
    dy_px = np.array([0.0, -1.0, 1.0])[slot] * (mark_px * 0.9)
    y = lane + dy_px / lane_px

    kind = ix.kind_codes[rows]
    style = _status_style(ix.status_codes[rows])
    approx = ix.precision_codes[rows] > 0
    hover = _hover_table(frame, ix, rows)

    centre = np.where(is_bar, (start + stop) // 2, start)
    chosen = _is_event(frame, rows, highlight)
    traces = [_connectors(rows, y, centre)]
    use_gl = int((~is_bar).sum()) > GL_MARKS
    group = kind * 100 + is_bar * 10 + approx * 5 + style
    for key in np.unique(group):
        sel = group == key
        k, bar, appr, st = KINDS[key // 100], bool(key // 10 % 10), bool(key % 10 >= 5), int(key % 5)
        if bar:
            traces.append(_bar_trace(k, appr, st, start[sel], stop[sel] - start[sel], y[sel],
                                     hover[sel], bar_px / lane_px))
        else:
            traces.append(_marker_trace(k, st, start[sel], y[sel], hover[sel], mark_px, use_gl))
    if chosen.any():  # drawn last, so the ring is on top
        traces.append(dict(type="scatter", x=_iso(centre[chosen]), y=y[chosen], mode="markers", name="selected",
                           marker=dict(symbol="circle-open", size=mark_px + 12, color=INK, line=dict(width=2.5)),
                           hoverinfo="skip", showlegend=False))
    shown = in_window if in_window.any() else np.ones(len(rows), dtype=bool)  # a legend for what is in view
    traces += _legend_traces(kind[shown], style[shown], (is_bar & approx)[shown])

    shapes = _deadline_lines(ix, rows[in_window], start[in_window], stop[in_window], as_of)
    annotations = _labels(frame, ix, rows, lane, in_window, px_left, px_right, dy_px, style,
                          (lo_ns, scale), canvas, lane_px, mark_px, highlight, background=is_bar & approx)
    return traces, annotations, shapes


def _is_event(frame: pd.DataFrame, rows: np.ndarray, event_id: int | str | None) -> np.ndarray:
    if event_id is None or not str(event_id).strip().lstrip("-").isdigit():
        return np.zeros(len(rows), dtype=bool)
    return frame["id"].to_numpy()[rows] == int(event_id)


def _dodge(lane, left, right, is_bar, slots=3) -> np.ndarray:
    """Sub-row (0 centre, 1 above, 2 below) so same-lane marks don't hide each other."""
    slot = np.zeros(len(lane), dtype=int)
    order = np.lexsort((left, is_bar, lane))
    ends = [-math.inf] * slots
    current = None
    for i in order:
        key = (lane[i], is_bar[i])
        if key != current:
            ends, current = [-math.inf] * slots, key
        k = next((s for s in range(slots) if ends[s] <= left[i]), None)
        if k is None:
            k = int(np.argmin(ends))
        slot[i] = k
        ends[k] = max(ends[k], right[i] + 1)
    return slot


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _ymd(ns: np.ndarray) -> tuple[list[int], list[int], list[int]]:
    days = ns.astype("datetime64[ns]").astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    return ((months.astype(np.int64) // 12 + 1970).tolist(), (months.astype(np.int64) % 12).tolist(),
            ((days - months.astype("datetime64[D]")).astype(np.int64) + 1).tolist())


def date_labels(start_ns: np.ndarray, end_ns: np.ndarray, precision_codes: np.ndarray) -> list[str]:
    """Normalized dates for readers: "23 Nov 2025", "Oct 2025 (month)", "week of 3 Nov 2025"."""
    week_end = end_ns.astype("datetime64[ns]") - np.timedelta64(6, "D")
    labels = []
    for (y0, m0, d0), (y1, m1, d1), (yw, mw, dw), p in zip(
        zip(*_ymd(start_ns)), zip(*_ymd(end_ns)), zip(*_ymd(week_end)), precision_codes.tolist()
    ):
        precision = PRECISIONS[p]
        if precision == "year":
            first, last = f"{y0}", f"{y1}"
        elif precision == "month":
            first, last = f"{_MONTHS[m0]} {y0}", f"{_MONTHS[m1]} {y1}"
        elif precision == "week":
            first, last = f"week of {d0} {_MONTHS[m0]} {y0}", f"{dw} {_MONTHS[mw]} {yw}"
            last = first if (yw, mw, dw) == (y0, m0, d0) else last
        else:
            first, last = f"{d0} {_MONTHS[m0]} {y0}", f"{d1} {_MONTHS[m1]} {y1}"
        label = first if first == last else f"{first} – {last}"
        labels.append(f"{label} ({precision})" if precision in ("month", "year") else label)
    return labels


def _hover_table(frame: pd.DataFrame, ix: filters.FrameIndex, rows: np.ndarray) -> np.ndarray:
    """customdata rows (see HOVER), computed once per event and repeated per mark.

    A fixed-width string array, not objects: Plotly deep-copies the figure
    several times on its way to the browser, and that is a memcpy for it.
    """
    unique, back = np.unique(rows, return_inverse=True)
    f = frame.iloc[unique]
    columns = [f[c].astype(str).tolist() for c in
               ("title", "date_text", "end_text", "location", "source", "kind", "status")]
    dates = date_labels(ix.start[unique], ix.end[unique], ix.precision_codes[unique])
    table = []
    for (title, written, end_text, place, src, kind, status), actors, when, event_id in zip(
        zip(*columns), f["actors"].tolist(), dates, f["id"].astype(str).tolist()
    ):
        if end_text:
            written = f"{written} → {end_text}"
        where = " · ".join(filter(None, (place, src and f"Source: {src}")))
        details = f"{kind} · {status}" + (f"<br>{escape(where)}" if where else "")
        table.append((event_id, escape(title), when, escape(written), escape("; ".join(actors)), details))
    return np.array(table, dtype=str).reshape(-1, 6)[back]


def _iso(ns: np.ndarray, unit: str = "m") -> np.ndarray:
    return np.datetime_as_string(ns.astype("datetime64[ns]"), unit=unit)


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _marker_trace(kind, style, x_ns, y, hover, size, use_gl):
    color, symbol = KIND_STYLE[kind]
    outline = "#7a6f00" if kind == "election" else "white"
    if kind == "deadline":
        size += 3
    marker = {
        0: dict(symbol=symbol, color=color, size=size, line=dict(color=outline, width=1)),
        1: dict(symbol=f"{symbol}-open", color=color, size=size, line=dict(color=color, width=2)),
        2: dict(symbol="x", color=CANCELLED_COLOR, size=size - 1, line=dict(color="white", width=0.5)),
    }[style]
    return dict(type="scattergl" if use_gl else "scatter", x=_iso(x_ns), y=y, mode="markers", marker=marker,
                customdata=hover, hovertemplate=HOVER, name=kind, legendgroup=kind, showlegend=False)


def _bar_trace(kind, approx, style, base_ns, length_ns, y, hover, thickness):
    color, _ = KIND_STYLE[kind]
    if style == 2:
        color = CANCELLED_COLOR
    # Approximate dates are hatched: the bar says "some time in this period".
    fill = {0: _rgba(color, 0.3 if approx else 0.85), 1: "white", 2: _rgba(color, 0.25)}[style]
    pattern = dict(shape="/", fgcolor=color, size=6, solidity=0.25) if approx else None
    return dict(
        type="bar", base=_iso(base_ns, "D"), x=length_ns // 10**6, y=y, orientation="h", width=thickness,
        marker=dict(color=fill, line=dict(color=color, width=1.5 if style == 1 else 1), pattern=pattern),
        customdata=hover, hovertemplate=HOVER, name=kind, legendgroup=kind, showlegend=False,
    )


def _connectors(rows, y, x_ns) -> dict:
    """A thin line through the marks of each multi-lane event: one event, one line."""
    order = np.lexsort((y, rows))
    rows, y, x_ns = rows[order], y[order], x_ns[order]
    first = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    last = np.r_[first[1:], len(rows)] - 1
    multi = last > first
    first, last = first[multi], last[multi]
    n = len(first)
    xs = np.empty(3 * n, dtype=object)
    ys = np.full(3 * n, np.nan)
    xs[0::3] = xs[1::3] = _iso(x_ns[first])
    xs[2::3] = None
    ys[0::3], ys[1::3] = y[first], y[last]
    return dict(type="scatter", x=xs, y=ys, mode="lines", line=dict(color="#b5b5b5", width=1.2),
                hoverinfo="skip", name="same event (linked)", legendgroup="status", legendrank=1100,
                showlegend=n > 0)


def _legend_traces(kind_codes, style, hatched) -> list[dict]:
    """Legend-only entries: the kinds present, then the status glyphs used."""
    traces = []
    for k in np.unique(kind_codes):
        name = KINDS[k]
        color, symbol = KIND_STYLE[name]
        outline = "#7a6f00" if name == "election" else "white"
        traces.append(dict(type="scatter", x=[None], y=[None], mode="markers", name=name, legendgroup=name,
                           legendrank=100 + int(k),
                           marker=dict(symbol=symbol, color=color, size=11, line=dict(color=outline, width=1))))
    glyphs = [
        (0, "happened", dict(symbol="circle", color="#777777", size=10)),
        (1, "planned / proposed", dict(symbol="circle-open", color="#777777", size=10, line=dict(width=2))),
        (2, "cancelled", dict(symbol="x", color=CANCELLED_COLOR, size=10)),
    ]
    used = set(np.unique(style).tolist())
    for code, label, marker in glyphs:
        if code in used:
            traces.append(dict(type="scatter", x=[None], y=[None], mode="markers", name=label, marker=marker,
                               legendgroup="status", legendrank=1000 + code,
                               legendgrouptitle=dict(text="Status" if code == min(used) else "")))
    if hatched.any():
        traces.append(dict(type="bar", x=[None], y=[None], name="approximate date", legendgroup="status",
                           legendrank=1050, orientation="h",
                           marker=dict(color="rgba(119,119,119,0.3)", line=dict(color="#777777", width=1),
                                       pattern=dict(shape="/", fgcolor="#777777", size=6, solidity=0.25))))
    return traces


def _deadline_lines(ix, rows, x_ns, stop_ns, as_of) -> list[dict]:
    """Dotted verticals at deadlines in view, nearest to the as-of date first."""
    deadline = ix.kind_codes[rows] == KINDS.index("deadline")
    if not deadline.any():
        return []
    at = np.unique(np.where(ix.precision_codes[rows] > 0, stop_ns, x_ns)[deadline])
    anchor = as_of.value if as_of is not None else at.max()
    at = at[np.argsort(np.abs(at - anchor), kind="stable")][:MAX_DEADLINE_LINES]
    color = KIND_STYLE["deadline"][0]
    return [dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1, layer="below",
                 line=dict(color=color, width=1.2, dash="dot"), opacity=0.7, name="deadline")
            for x in _iso(at)]


def _labels(frame, ix, rows, lane, in_window, left, right, dy, style, xmap, canvas, lane_px, mark_px, highlight,
            background):
    """Titles on the chart for events in the window, most important first.

    Hatched bars of approximate dates are ``background``: a label (on its white backing) may
    cover part of one, or a month-long bar would leave no room for the events inside it.
    """
    lo_ns, scale = xmap
    rows_w, lane_w = rows[in_window], lane[in_window]
    left_w, right_w, dy_w = left[in_window], right[in_window], dy[in_window]
    solid = ~background[in_window]
    obstacles = np.column_stack([lane_w, left_w, right_w, dy_w - mark_px / 2, dy_w + mark_px / 2])[solid]
    events = np.unique(rows_w)
    deadline = ix.kind_codes[events] == KINDS.index("deadline")
    chosen = _is_event(frame, events, highlight)
    # The selected event, deadlines, then events with more actors, then the most recent.
    order = np.lexsort((-ix.start[events].view("i8"), -ix.actor_count[events], ~deadline, ~chosen))
    events, chosen = events[order][:MAX_LABEL_EVENTS], chosen[order][:MAX_LABEL_EVENTS]
    titles = frame["title"].to_numpy()[events]
    texts = [(ellipsize(t, TITLE_CHARS), ellipsize(t, SHORT_TITLE_CHARS)) for t in titles]
    by_row = np.lexsort((lane_w, rows_w))  # each event's marks, top lane first
    marks = list(zip(lane_w[by_row].tolist(), left_w[by_row].tolist(), right_w[by_row].tolist(),
                     dy_w[by_row].tolist()))
    bounds = zip(np.searchsorted(rows_w[by_row], events, "left").tolist(),
                 np.searchsorted(rows_w[by_row], events, "right").tolist())
    anchors = [marks[a:b] for a, b in bounds]
    placed = place_labels(texts, anchors, obstacles, plot_width=canvas.plot_width, lane_px=lane_px,
                          font_px=canvas.label_font, mark_px=mark_px, bold=chosen)
    status_of = dict(zip(rows.tolist(), style.tolist()))
    at = _iso(np.array([lo_ns + label.anchor_px / scale for label in placed], dtype=np.int64), "s")
    notes = []
    for label, x in zip(placed, at):
        status = status_of[int(events[label.event])]
        text = escape(label.text)
        text = f"<s>{text}</s>" if status == 2 else f"<i>{text}</i>" if status == 1 else text
        if chosen[label.event]:
            text = f"<b>{text}</b>"
        note = dict(
            x=x, y=label.lane + (label.y0 + label.y1) / 2 / lane_px, xref="x", yref="y", text=text,
            showarrow=False, xanchor=label.xanchor, yanchor="middle", xshift=label.xshift,
            font=dict(size=canvas.label_font, color=MUTED if status == 2 else INK),
            bgcolor="rgba(255,255,255,0.7)", borderpad=0, name="label",
        )
        if label.text != titles[label.event]:
            note["hovertext"] = escape(titles[label.event])
        notes.append(note)
    return notes


# ---------------------------------------------------------------- aggregate mode

# name, numpy unit, bin width in units, hover format, plotly period
_PERIODS = (
    ("day", "D", 1, "%{x|%-d %b %Y}", NS_DAY // 10**6),
    ("week", "D", 7, "week of %{x|%-d %b %Y}", 7 * NS_DAY // 10**6),
    ("month", "M", 1, "%{x|%b %Y}", "M1"),
    ("quarter", "M", 3, "quarter from %{x|%b %Y}", "M3"),
    ("year", "Y", 1, "%{x|%Y}", "M12"),
)


def period_for(span_days: float) -> tuple:
    """The finest period that keeps the window under ~160 columns."""
    for period, limit in zip(_PERIODS, (160, 7 * 160, 30.4 * 160, 91 * 160, math.inf)):
        if span_days <= limit:
            return period


def _bins(ns: np.ndarray, unit: str, width: int) -> np.ndarray:
    units = ns.astype("datetime64[ns]").astype(f"datetime64[{unit}]").astype(np.int64)
    return (units + 3) // 7 if width == 7 else units // width  # weeks start on Monday


def _bin_start(bins: np.ndarray, unit: str, width: int) -> np.ndarray:
    units = bins * 7 - 3 if width == 7 else bins * width
    return units.astype(f"datetime64[{unit}]").astype("datetime64[D]")


def _aggregate(lanes, m_start, near, events, window, canvas):
    lo_ns, hi_ns = window
    name, unit, width, hover_period, xperiod = period_for((hi_ns - lo_ns) / NS_DAY)
    bins = _bins(m_start, unit, width)
    if np.ptp(bins) > 3000:  # a fine period over decades: only the neighbourhood of the window
        bins, lane = bins[near], lanes.lane[near]
    else:
        lane = lanes.lane
    first = bins.min()
    ncols = int(bins.max() - first + 1)
    counts = np.bincount(lane * ncols + (bins - first), minlength=len(lanes.names) * ncols)
    z = counts.reshape(len(lanes.names), ncols).astype(np.float32)
    z[z == 0] = np.nan
    xs = np.datetime_as_string(_bin_start(np.arange(first, first + ncols), unit, width), unit="D")
    traces = [
        dict(type="heatmap", x=xs, y=[i], z=z[i:i + 1], coloraxis="coloraxis", xperiod=xperiod,
             xperiodalignment="start", xgap=1, ygap=3,
             hovertemplate=f"<b>{escape(lane_name)}</b><br>%{{z:,}} events · {hover_period}<extra></extra>")
        for i, lane_name in enumerate(lanes.names) if np.isfinite(z[i]).any()
    ]
    note = dict(
        xref="paper", yref="paper", x=1, y=1, xanchor="right", yanchor="bottom", yshift=24, showarrow=False,
        text=f"{events:,} events in view, counted per {name} and lane. Zoom in to see single events.",
        font=dict(size=canvas.font, color=MUTED), name="aggregate-note",
    )
    return traces, [note], []


# ---------------------------------------------------------------- layout


def _layout(lanes, canvas, window, full, report, width) -> dict:
    n = len(lanes.names)
    ticktext = [f"<b>{escape(ellipsize(name, 30))}</b>" if head else escape(ellipsize(name, 30))
                for name, head in zip(lanes.names, lanes.heads)]
    first, last = _window_days(window)
    span_days = (last - first).days
    xaxis = dict(
        type="date", range=[window[0].isoformat(), window[1].isoformat()], autorange=False,
        showgrid=True, gridcolor=GRID, linecolor="#999", ticks="outside", tickcolor="#999",
        tickfont=dict(size=canvas.font), automargin=False,
        nticks=max(4, int(canvas.plot_width / 75)),
        tickformatstops=[
            dict(dtickrange=[None, 27 * NS_DAY // 10**6], value="%-d %b"),
            dict(dtickrange=["M1", "M6"], value="%b %Y"),
            dict(dtickrange=["M6", None], value="%Y"),
        ],
    )
    if not canvas.slider and span_days <= 400:  # day ticks name no year: say it once, under them
        years = " – ".join(map(str, sorted({first.year, last.year})))
        xaxis["title"] = dict(text=years, font=dict(size=canvas.font - 1, color=MUTED), standoff=4)
    if canvas.slider:
        pad = max((full[1] - full[0]) * 0.01, pd.Timedelta(days=2))
        xaxis["rangeslider"] = dict(visible=True, thickness=canvas.slider, bgcolor="#f7f7f7",
                                    bordercolor="#cccccc", borderwidth=1, autorange=False,
                                    range=[(full[0] - pad).isoformat(), (full[1] + pad).isoformat()])
        xaxis["rangeselector"] = dict(
            x=0, xanchor="left", y=1, yanchor="bottom", font=dict(size=11),
            bgcolor="#f0f0f0", activecolor="#d0d0d0",
            buttons=[dict(count=7, step="day", stepmode="backward", label="1w"),
                     dict(count=1, step="month", stepmode="backward", label="1m"),
                     dict(count=6, step="month", stepmode="backward", label="6m"),
                     dict(count=1, step="year", stepmode="backward", label="1y"),
                     dict(step="all", label="all")])
    return dict(
        width=width,
        height=canvas.height,
        margin=dict(l=canvas.left, r=canvas.right, t=canvas.top, b=canvas.bottom, autoexpand=False),
        font=dict(family=FONT, size=canvas.font, color=INK),
        paper_bgcolor="white", plot_bgcolor="white",
        hovermode="closest", barmode="overlay", dragmode="zoom",
        hoverlabel=dict(bgcolor="white", font=dict(family=FONT, size=canvas.font), align="left"),
        xaxis=xaxis,
        yaxis=dict(tickmode="array", tickvals=list(range(n)), ticktext=ticktext, range=[n - 0.5, -0.5],
                   autorange=False, fixedrange=True, showgrid=True, gridcolor="#f0f0f0", zeroline=False,
                   ticks="", automargin=False, tickfont=dict(size=canvas.font)),
        legend=dict(x=1.01, xanchor="left", xref="paper", y=1, yanchor="top",
                    title=dict(text="Kind"), tracegroupgap=0, font=dict(size=canvas.font),
                    itemclick="toggle", bgcolor="rgba(255,255,255,0)"),
        coloraxis=dict(colorscale=[[0, "#d6e6f4"], [0.5, "#4a90c4"], [1, "#08306b"]], cmin=1,
                       colorbar=dict(title=dict(text="events"), thickness=12, len=0.5, x=1.01,
                                     xanchor="left", y=1, yanchor="top")),
        showlegend=True,
    )


def _group_bands(lanes) -> list[dict]:
    """Every other state's block of lanes on a faint band, so officials read as a group."""
    return [dict(type="rect", xref="paper", yref="y", x0=0, x1=1, y0=a - 0.5, y1=b + 0.5,
                 fillcolor="#f6f7f9", line=dict(width=0), layer="below", name="group-band")
            for i, (a, b) in enumerate(lanes.groups) if i % 2 == 1]


def _as_of_shapes(as_of) -> list[dict]:
    if as_of is None:
        return []
    x = (as_of + pd.Timedelta(hours=12)).isoformat()  # after the as-of day's marks, before the next day's
    return [dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                 line=dict(color="#444444", width=1.5, dash="dash"), name="as-of")]


def _as_of_note(as_of, canvas, window) -> list[dict]:
    if as_of is None or not (window[0] <= as_of <= window[1]):
        return []
    return [dict(x=(as_of + pd.Timedelta(hours=12)).isoformat(), xref="x", y=1, yref="paper",
                 yanchor="bottom", xanchor="center", showarrow=False, yshift=2,
                 text=f"as of {format_day(as_of)}", font=dict(size=canvas.font, color="#444444"),
                 bgcolor="white", name="as-of")]


def _window_days(window) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last whole days inside an x range."""
    return window[0].ceil("D"), (window[1] - pd.Timedelta(days=1)).ceil("D")


def _window_caption(canvas, window) -> list[dict]:
    """The window's dates beside the zoom buttons: day ticks name no year."""
    if not canvas.slider:
        return []
    first, last = _window_days(window)
    return [dict(xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom", xshift=184, yshift=2,
                 showarrow=False, text=f"{format_day(first)} – {format_day(last)}",
                 font=dict(size=canvas.font, color=MUTED), name="window")]


def _sources(frame, rows) -> list[str]:
    values = frame["source"].to_numpy()[np.unique(rows)]
    return sorted({str(v).strip() for v in values if str(v).strip()})


def _wrap_sources(sources: list[str], width_px: float, font_px: float, max_lines: int = 3) -> list[str]:
    if not sources:
        return []
    lines, current = [], "Sources: "
    for i, src in enumerate(sources):
        piece = src + (", " if i < len(sources) - 1 else "")
        if text_width(current + piece, font_px) > width_px and current.strip():
            lines.append(current.rstrip())
            current = ""
            if len(lines) == max_lines - 1:
                rest = sources[i:]
                tail = ", ".join(rest)
                if text_width(tail, font_px) > width_px:
                    tail = ellipsize(tail, int(width_px / (font_px * 0.55)) - 12) + f" ({len(rest)} sources)"
                lines.append(tail)
                return lines
        current += piece
    lines.append(current)
    return lines


def _titles(layout, canvas, title, view, as_of, source_lines, report, shown=None):
    layout["title"] = dict(
        text=escape(title or DEFAULT_TITLE), x=canvas.left / canvas.width, xanchor="left", xref="container",
        y=1 - 14 / canvas.height, yanchor="top", yref="container",
        font=dict(size=22 if report else 16, color=INK),
    )
    if report:
        subtitle = describe(view, as_of)
        if shown is not None:  # a still image must say which dates it shows: the window may hide events
            subtitle += f" · shown: {format_day(shown[0])} – {format_day(shown[1])}"
        layout["title"]["subtitle"] = dict(text=escape(subtitle), font=dict(size=14, color=MUTED))
    if source_lines:
        layout.setdefault("annotations", []).append(dict(
            xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-46, align="left",
            showarrow=False, name="sources", text="<br>".join(escape(s) for s in source_lines),
            font=dict(size=12, color=MUTED)))


def _empty(view, as_of, width, height, title, report, message) -> dict:
    canvas = Canvas(width or DEFAULT_WIDTH, height or MIN_HEIGHT, 40, 40, 116 if report else 40, 40, 0,
                    13 if report else 12, 12, 12)
    layout = dict(
        width=width, height=canvas.height, paper_bgcolor="white", plot_bgcolor="white",
        font=dict(family=FONT, size=canvas.font, color=INK),
        margin=dict(l=canvas.left, r=canvas.right, t=canvas.top, b=canvas.bottom),
        xaxis=dict(visible=False), yaxis=dict(visible=False), showlegend=False,
        annotations=[dict(text=message, xref="paper", yref="paper", x=0.5, y=0.5,
                          showarrow=False, font=dict(size=18, color=MUTED), name="empty")],
    )
    if report or title:
        _titles(layout, canvas, title, view, as_of, [], report)
    return _figure([], layout)
