"""(events, view) -> figure: the one function the page, the exporter and the tests call.

Two drawing modes, chosen from the number of marks inside the visible window:

* single events: one mark per (event, lane), its title beside it, stacked in rows
  inside the lane (:mod:`.labels`), on the story or time axis (:mod:`.axis`);
* counts (more than ``MAX_MARKS`` marks in the window): a strip of event counts per
  period per lane, because thousands of marks cannot be told apart. Zooming in (the
  app passes the new window back in ``view.window``) brings single events back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import filters
from ..filters import View, format_day
from ..schema import KINDS
from . import axis, labels, layout, marks
from .lanes import busiest, lanes_for
from .style import (
    BREAK_FILL, DEFAULT_WIDTH, FAINT, GL_MARKS, INK, LANE_BAND, MAX_MARKS, MUTED, NS_DAY, WHOLE_MARKS, escape,
    text_width,
)

MAX_LISTED = 15  # titles listed in a "+N more" hover
COLORBAR_PX = 220  # the counts' colour scale, as long as in a chart of ten lanes


def plot_config(filename: str, *, width: int = 1600, height: int = 900, scale: float = 2) -> dict:
    """Plotly's config for the page and the HTML export: a named PNG download, nothing that
    leaves the page (no cloud sharing), no selection tools a timeline has no use for."""
    return {
        "displaylogo": False,
        "showSendToCloud": False,
        # The page's own download writes the report; Plotly's would save the screen's chart as it is.
        "modeBarButtonsToRemove": ["sendChartToCloud", "select2d", "lasso2d", "autoScale2d", "toImage"],
        "toImageButtonOptions": {"format": "png", "filename": filename, "width": width, "height": height,
                                 "scale": scale},
    }


def event_id_from_point(point: Mapping | None) -> int | None:
    """The event behind a clicked or hovered mark (see marks.HOVER); None for anything else."""
    data = point.get("customdata") if isinstance(point, Mapping) else None
    if isinstance(data, (list, tuple)) and data and isinstance(data[0], str) and data[0].isascii() \
            and data[0].isdigit() and len(data[0]) < 19:
        return int(data[0])
    return None


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
    note: str | None = None,
) -> dict:
    """The timeline of the events of ``frame`` (the FULL dataset) that ``view`` selects.

    ``members`` maps a state/body to its officials (``Dataset.members``), used for
    filtering and lanes. ``width`` in CSS pixels (the page's chart width, assumed
    DEFAULT_WIDTH when not known). ``height``: a report is exactly that tall; the page
    is as tall as its lanes need, at most ``height`` (then the densest lanes count what
    they cannot write). ``report`` makes a still, self-describing picture: title,
    subtitle naming the filters and dates, sources line. ``highlight`` is an event id
    to ring, in every lane, and to write first (the selected event).
    ``note``: what the subtitle must add about the data (rows of the file left out).
    ``layout.meta`` carries the x scale (for turning a zoom back into dates) and the
    number of titles written and counted.
    """
    members = members or {}
    as_of = None if as_of is None or pd.isna(as_of) else pd.Timestamp(as_of).normalize()
    if frame is None:
        return layout.empty(view, as_of, width, height, title, report, "No events loaded", note)
    ix = filters.index_for(frame)
    keep = filters.matches(frame, view, members)
    if not keep.any():
        return layout.empty(view, as_of, width, height, title, report, "No events match these filters", note)

    story = view.axis == "story"
    x0, x1 = axis.default_window(ix.start[keep], ix.end[keep], as_of, view,
                                 whole=story and int(keep.sum()) <= MAX_MARKS)
    lo_ns, hi_ns = x0.value, x1.value
    lanes = lanes_for(ix, keep, view, members, (lo_ns, hi_ns))
    m_start = ix.start[lanes.rows].view("i8")
    m_stop = ix.end[lanes.rows].view("i8") + NS_DAY
    in_window = (m_stop > lo_ns) & (m_start < hi_ns)

    left_out, lanes_before, events_left_out = [], len(lanes.names), 0
    if report:  # a still image cannot scroll: it grows to hold its lanes, then draws the busiest
        probe = layout.canvas(lanes.names, lanes.heads, width=width, report=True, source_lines=3, notes=1)
        echoes = np.bincount(lanes.lane[~lanes.primary & in_window], minlength=lanes_before) > 0
        whole, whole_in_window = lanes, in_window
        lanes, dropped = busiest(lanes, in_window.astype(float), layout.least_lane_px(probe, echoes),
                                 layout.lanes_room(probe, height or layout.MAX_REPORT_HEIGHT))
        if dropped:
            left_out = [whole.names[k] for k in dropped]
            m_start = ix.start[lanes.rows].view("i8")
            m_stop = ix.end[lanes.rows].view("i8") + NS_DAY
            in_window = (m_stop > lo_ns) & (m_start < hi_ns)
            events_left_out = len(np.unique(whole.rows[whole_in_window])) - len(np.unique(lanes.rows[in_window]))
    aggregate = int(in_window.sum()) > MAX_MARKS

    source_lines = []
    if report:
        source_lines = layout.wrap_sources(layout.sources(frame, lanes.rows[in_window]),
                                           (width or DEFAULT_WIDTH) - 40, 12)
    c = layout.canvas(lanes.names, lanes.heads, width=width, report=report, source_lines=len(source_lines),
                      notes=1 if left_out else 0)
    if story and not aggregate:
        extra = [as_of.value] if as_of is not None and lo_ns <= as_of.value < hi_ns else []
        pieces = axis.story_pieces(m_start[in_window], m_stop[in_window] - NS_DAY,
                                   ix.precision_codes[lanes.rows[in_window]], lo_ns, hi_ns, extra)
        scale = axis.story_scale(pieces, c.plot_width)
    else:
        scale = axis.linear(lo_ns, hi_ns, c.plot_width)

    span = hi_ns - lo_ns
    # Marks a window-width either side are sent too, so a small pan shows data before the
    # app re-renders; small datasets are sent whole.
    if len(lanes.rows) > WHOLE_MARKS:
        near = (m_stop > lo_ns - span) & (m_start < hi_ns + span)
        if near.sum() > 3 * MAX_MARKS:
            near = in_window
    else:
        near = np.ones(len(lanes.rows), dtype=bool)

    if aggregate:
        events = int(((ix.end[keep].view("i8") + NS_DAY > lo_ns) & (ix.start[keep].view("i8") < hi_ns)).sum())
        c, traces, annotations, shapes, meta, axes = _counts(lanes, m_start, near, events, (lo_ns, hi_ns), c,
                                                             scale, height, report)
    else:
        c, traces, annotations, shapes, meta, axes = _events(frame, ix, lanes, near, in_window, scale, as_of, c,
                                                             highlight, height, report, members)

    fig_layout = layout.base_layout(c, c.width)
    fig_layout.update(axes)
    tickvals, ticktext = axis.ticks(scale, c.font)
    fig_layout["xaxis"] = layout.x_axis(c, tickvals, ticktext)
    shapes = _breaks(scale) + shapes + _as_of_line(as_of, scale)
    annotations = annotations + _break_notes(scale, c, as_of) + _as_of(as_of, scale, c)
    fig_layout["shapes"] = shapes
    fig_layout["annotations"] = annotations
    fig_layout["meta"] = dict(meta, scale=scale.to_store(), axis=view.axis, lanes=lanes.mode, lane_count=len(lanes.names),
                              window=[format_day(d) for d in _window_days(scale)])
    if left_out:
        annotations.append(layout.left_out_note(left_out, lanes_before, events_left_out, c))
        fig_layout["meta"]["lanes_left_out"] = len(left_out)
    if report or title:
        also = [f"The busiest {len(lanes.names):,} of {lanes_before:,} lanes"] if left_out else []
        layout.titles(fig_layout, c, title, view, as_of, source_lines, report,
                      _window_days(scale) if report else None, also, notes=1 if left_out else 0, note=note)
    fig_layout["template"] = {}  # no implicit theme: the figure looks the same everywhere
    # Stable trace ids: Plotly.react redraws the page's next view into the SVG groups of this
    # one instead of removing them all and making new ones (it names a trace at random otherwise).
    for number, trace in enumerate(traces):
        trace["uid"] = f"t{number}"
    return {"data": traces, "layout": fig_layout}


def _window_days(scale: axis.Scale) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last days the chart shows: on the story axis its first and last busy days (not
    the margin drawn around them), on the time axis the whole days of its range."""
    if scale.first is not None and scale.stop is not None:
        first, last = pd.Timestamp(int(scale.first[0])), pd.Timestamp(int(scale.stop[-1])) - pd.Timedelta(days=1)
        return first, max(first, last)
    lo, hi = pd.Timestamp(int(scale.t0[0])), pd.Timestamp(int(scale.t1[-1]))
    return lo.ceil("D"), max(lo.ceil("D"), (hi - pd.Timedelta(days=1)).ceil("D"))


def _lane_geometry(lane_rows: list[int], row_px: float) -> np.ndarray:
    """The y (px from the top) where each lane starts."""
    heights = np.array(lane_rows, dtype=float) * row_px + layout.LANE_GAP
    return np.concatenate([[0.0], np.cumsum(heights)[:-1]])


def _lane_axis(c, lanes, tops) -> dict:
    return layout.y_axis(c, (tops + c.row_px / 2).tolist(), layout.lane_ticktext(lanes.names, lanes.heads, c))


def _lane_bands(tops, lane_rows, row_px) -> list[dict]:
    """Every other lane on a faint band and a hairline between lanes: a title is in the lane of its band."""
    shapes = []
    for i, (top, n) in enumerate(zip(tops.tolist(), lane_rows)):
        y0, y1 = top - layout.LANE_GAP / 2, top + n * row_px + layout.LANE_GAP / 2
        if i % 2 == 1:
            shapes.append(dict(type="rect", xref="paper", yref="y", x0=0, x1=1, y0=y0, y1=y1,
                               fillcolor=LANE_BAND, line=dict(width=0), layer="below", name="lane-band"))
        if i:
            shapes.append(dict(type="line", xref="paper", yref="y", x0=0, x1=1, y0=y0, y1=y0,
                               line=dict(color="#dcdcdc", width=1), layer="below", name="lane-rule"))
    return shapes


def _with_people(title: str, actors, lane_name: str, members) -> str:
    """In a state's lane, the officials a title does not name: "U.S. signals army cap could be dropped · Trump"."""
    officials = [a for a in actors if a in members.get(lane_name, ())]
    missing = [a.split()[-1] for a in officials if a.split()[-1].lower() not in title.lower()]
    return f"{title} · {', '.join(missing)}" if missing else title


def _events(frame, ix, lanes, near, in_window, scale, as_of, c, highlight, height, report, members):
    rows, lane, primary = lanes.rows[near], lanes.lane[near], lanes.primary[near]
    inw = in_window[near]
    start = ix.start[rows].view("i8")
    stop = ix.end[rows].view("i8") + NS_DAY
    shape = marks.shapes_of(ix.precision_codes[rows], start, stop, NS_DAY, ix.qualified(frame)[rows])
    style = marks.status_style(ix.status_codes[rows])
    kind = ix.kind_codes[rows]
    deadline = kind == KINDS.index("deadline")
    # A day is drawn at its middle, between its midnights, where its tick is.
    centre_px = scale.to_px(start + NS_DAY // 2)
    left_px, right_px = scale.to_px(start), scale.to_px(stop)
    radius = c.mark_px / 2 + np.where(deadline, 2, 0)
    left = np.where(shape == marks.POINT, centre_px - radius, left_px)
    right = np.where(shape == marks.POINT, centre_px + radius, np.maximum(right_px, left_px + 2))
    chosen = _is_event(frame, rows, highlight)

    shown = np.flatnonzero(inw)
    # The titles of the marks in the window only: a million titles are Arrow strings, not Python ones.
    titles = dict(zip(shown.tolist(), frame["title"].iloc[rows[shown]].tolist()))
    actors = frame["actors"].to_numpy()[rows]
    items = []
    for i in shown.tolist():
        text = ""
        if primary[i]:
            text = str(titles[i])
            if lanes.mode == "states":
                text = _with_people(text, actors[i], lanes.names[lane[i]], members)
        base = (0 if chosen[i] else 1 if deadline[i] else 2 if shape[i] != marks.BAND and style[i] == 0
                else 3 if shape[i] != marks.BAND else 4) if text else 6
        items.append(labels.Item(int(lane[i]), float(left[i]), float(right[i]), marks.SHAPES[shape[i]], text,
                                 base - float(right[i]) / 1e6))
    n_lanes = len(lanes.names)
    max_rows = layout.rows_that_fit(c, n_lanes, height or (layout.MAX_REPORT_HEIGHT if report else None))
    placed = labels.stack(items, n_lanes, plot_width=c.plot_width, font_px=c.label_font, max_rows=max_rows)
    in_view = inw if inw.any() else np.ones(len(rows), dtype=bool)
    as_of_shown = _as_of_px(as_of, scale) is not None
    legend = marks.legend_traces(kind[in_view], style[in_view], shape[in_view], bool((deadline & inw).any()),
                                 as_of_shown, echoes=bool((~primary & inw).any()))
    if c.legend_below:  # a phone: one group of even columns under the chart, as tall as its rows
        for trace in legend:
            trace.pop("legendgrouptitle", None)
            trace.pop("legendgroup", None)
        c = replace(c, bottom=c.bottom - layout.LEGEND_BELOW_PX + 20 * -(-len(legend) // 2) + 12)  # two a row
    # Never shorter than the legend, which would otherwise scroll.
    c = layout.fit_height(c, sum(placed.lane_rows), n_lanes, height, report, layout.legend_height(legend, c))
    row = np.zeros(len(rows), dtype=np.int64)
    row[shown] = placed.row
    tops = _lane_geometry(placed.lane_rows, c.row_px)
    y = tops[lane] + (row + 0.5) * c.row_px
    y_band = y + c.row_px * 0.4

    hover = marks.hover_table(frame, ix, rows)
    traces = []
    # An event's marks in its other lanes are smaller and faded, on their lane's last row ("also
    # involved"): its title is written beside the full-strength one. Within a trace the marks are
    # in the order of the former trace per (kind, shape, look): where they overlap, the same is on top.
    order = np.argsort(kind * 1000 + shape * 100 + style * 10 + primary, kind="stable")
    use_gl = int((shape == marks.POINT).sum()) > GL_MARKS
    for echo in (True, False):
        days = order[(shape[order] == marks.POINT) & (primary[order] != echo)]
        periods = order[(shape[order] != marks.POINT) & (primary[order] != echo)]
        if len(days):
            traces.append(marks.marker_trace(kind[days], style[days], centre_px[days], y[days], hover[days], c.mark_px,
                                             use_gl, echo))
        if len(periods):
            band = shape[periods] == marks.BAND
            traces.append(marks.bar_trace(kind[periods], style[periods], band, left_px[periods], right_px[periods],
                                          np.where(band, y_band[periods], y[periods]), hover[periods], c.mark_px,
                                          echo))
    if chosen.any():  # drawn last, so the ring is on top
        ring_x = np.where(shape == marks.POINT, centre_px, (left_px + right_px) / 2)[chosen]
        traces.append(dict(type="scatter", x=ring_x, y=np.where(shape == marks.BAND, y_band, y)[chosen],
                           mode="markers", name="selected", hoverinfo="skip", showlegend=False,
                           marker=dict(symbol="circle-open", size=c.mark_px + 12, color=INK, line=dict(width=2.5))))
    traces += legend

    notes = []
    for item, box, r, hidden, i in zip(items, placed.boxes, placed.row.tolist(), placed.hidden.tolist(),
                                       shown.tolist()):
        if not item.text or hidden:
            continue
        notes.append(dict(
            x=box.text_x, y=float(tops[item.lane] + (r + box.rows / 2) * c.row_px), xref="x", yref="y",
            text="<br>".join(marks.label_text(line, int(style[i]), shape[i] == marks.BAND, bool(chosen[i]))
                             for line in box.lines),
            showarrow=False, xanchor=box.anchor, yanchor="middle", align=box.anchor,
            font=dict(size=c.label_font, color=marks.label_color(int(style[i]), shape[i] == marks.BAND)),
            bgcolor="rgba(255,255,255,0.72)", borderpad=0, name="label",
            # A shortened title is whole one hover away (and in the mark's hover, the list and the details).
            **({"hovertext": escape(item.text)} if box.cut else {}),
        ))
    counted = 0
    for lane_i, box, group_items in placed.more:
        ids = [shown[g] for g in group_items if items[g].text]
        counted += len(ids)
        listed = "<br>".join(escape(str(titles[i])) for i in ids[:MAX_LISTED])
        if len(ids) > MAX_LISTED:
            listed += f"<br>… and {len(ids) - MAX_LISTED} more"
        notes.append(dict(
            x=box.text_x, y=float(tops[lane_i] + (placed.counting_row(lane_i) + 0.5) * c.row_px), xref="x", yref="y",
            text=f"<b>{labels.count_text(len(ids))}</b>", hovertext=listed, showarrow=False, xanchor=box.anchor,
            yanchor="middle",
            font=dict(size=c.label_font, color=MUTED), bgcolor="#f0f0f0", bordercolor="#bbbbbb", borderpad=2,
            name="more",
        ))
    shapes = _lane_bands(tops, placed.lane_rows, c.row_px)
    shapes += marks.deadline_lines(centre_px[deadline & inw], _as_of_px(as_of, scale))
    written = sum(1 for n in notes if n["name"] == "label")
    meta = dict(written=written, counted=counted, events=int(len(np.unique(rows[inw]))))
    return c, traces, notes, shapes, meta, {"yaxis": _lane_axis(c, lanes, tops)}


def _is_event(frame: pd.DataFrame, rows: np.ndarray, event_id: int | str | None) -> np.ndarray:
    text = str(event_id).strip() if event_id is not None else ""
    if not (text.lstrip("-").isascii() and text.lstrip("-").isdigit()) or len(text) > 18:
        return np.zeros(len(rows), dtype=bool)
    return frame["id"].to_numpy()[rows] == int(text)


def _counts(lanes, m_start, near, events, window, c, scale, height, report):
    lo_ns, hi_ns = window
    name, unit, width, hover_period = axis.period_for((hi_ns - lo_ns) / NS_DAY)
    bins = axis.bins(m_start, unit, width)
    if np.ptp(bins) > 3000:  # a fine period over decades: only the neighbourhood of the window
        bins, lane = bins[near], lanes.lane[near]
    else:
        lane = lanes.lane
    first = bins.min()
    ncols = int(bins.max() - first + 1)
    counts = np.bincount(lane * ncols + (bins - first), minlength=len(lanes.names) * ncols)
    z = counts.reshape(len(lanes.names), ncols).astype(np.float32)
    z[z == 0] = np.nan
    starts = axis.bin_start(np.arange(first, first + ncols + 1), unit, width)
    edges = scale.to_px(starts.astype(np.int64))
    periods = [f"{pd.Timestamp(s):{hover_period}}" for s in starts[:-1]]
    lane_rows = [2] * len(lanes.names)
    c = layout.fit_height(c, sum(lane_rows), len(lanes.names), height, report)
    tops = _lane_geometry(lane_rows, c.row_px)
    traces = [
        dict(type="heatmap", x=edges, y=[tops[i] + 2, tops[i] + 2 * c.row_px - 2], z=z[i:i + 1],
             text=[periods], coloraxis="coloraxis", xgap=1,
             hovertemplate=f"<b>{escape(lane_name)}</b><br>%{{z:,}} events · %{{text}}<extra></extra>")
        for i, lane_name in enumerate(lanes.names) if np.isfinite(z[i]).any()
    ]
    note = dict(
        xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom", yshift=22, showarrow=False,
        text=f"{events:,} events in view, counted per {name} and lane. Zoom in to see single events.",
        font=dict(size=c.font, color=MUTED), name="aggregate-note",
    )
    meta = dict(written=0, counted=events, events=events)
    # The colours span the periods on screen: the data sent either side of the window (for a
    # pan) may hold a peak, such as every year-dated event counted on 1 January, that would
    # leave what is in view all one pale shade.
    visible = (starts[1:].astype(np.int64) > lo_ns) & (starts[:-1].astype(np.int64) < hi_ns)
    top = float(np.nanmax(z[:, visible])) if np.isfinite(z[:, visible]).any() else float(np.nanmax(z))
    axes = {"yaxis": _lane_axis(c, lanes, tops), "coloraxis": dict(
        colorscale=[[0, "#d6e6f4"], [0.5, "#4a90c4"], [1, "#08306b"]], cmin=1, cmax=max(top, 2.0),
        # In pixels: half of a chart of fifty lanes would run below the screen, with its low end.
        colorbar=dict(title=dict(text="events"), thickness=12, lenmode="pixels",
                      len=min(COLORBAR_PX, c.plot_height), x=1.01, xanchor="left", y=1, yanchor="top"))}
    return c, traces, [note], _lane_bands(tops, lane_rows, c.row_px), meta, axes


def _breaks(scale: axis.Scale) -> list[dict]:
    """Each collapsed stretch: a grey strip through the chart, and a zigzag cut in the axis line."""
    shapes = []
    for x0, x1, _, _ in scale.breaks:
        shapes.append(dict(type="rect", xref="x", yref="paper", x0=x0 + 3, x1=x1 - 3, y0=0, y1=1,
                           fillcolor=BREAK_FILL, line=dict(width=0), layer="below", name="break"))
        for x in (x0 + 3, x1 - 3):
            shapes.append(dict(type="line", xref="x", yref="paper", x0=x - 3, x1=x + 3, y0=0.99, y1=1.01,
                               line=dict(color="#777777", width=1.5), name="break"))
    return shapes


def _break_notes(scale: axis.Scale, c, as_of=None) -> list[dict]:
    """What each break skips, above it; where breaks crowd (a phone), the longest skips are said."""
    taken = []
    x = _as_of_px(as_of, scale)
    if x is not None:
        half = text_width(f"as of {format_day(as_of)}", c.font) / 2
        taken.append((x - half, x + half))
    notes = []
    for x0, x1, t0, t1 in sorted(scale.breaks, key=lambda b: b[2] - b[3]):
        text, x = axis.skipped(t0, t1), (x0 + x1) / 2
        half = text_width(text, c.font - 1) / 2
        if all(x + half + 4 <= a or b + 4 <= x - half for a, b in taken) and x - half >= -c.left:
            taken.append((x - half, x + half))
            notes.append(dict(x=x, xref="x", y=1, yref="paper", yanchor="bottom", xanchor="center", yshift=22,
                              showarrow=False, text=text, font=dict(size=c.font - 1, color=FAINT), name="break"))
    return sorted(notes, key=lambda n: n["x"])


def _as_of_px(as_of, scale: axis.Scale) -> float | None:
    """Where the as-of line goes: after the newest reported day's marks; None when not in view."""
    if as_of is None or not (scale.t0[0] <= as_of.value + NS_DAY <= scale.t1[-1]):
        return None
    return float(scale.to_px(np.array([as_of.value + NS_DAY]))[0])


def _as_of_line(as_of, scale: axis.Scale) -> list[dict]:
    """A dashed line after the newest reported day: what is right of it had not happened when reported."""
    x = _as_of_px(as_of, scale)
    if x is None:
        return []
    return [dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                 line=dict(color="#444444", width=1.5, dash="dash"), name="as-of")]


def _as_of(as_of, scale: axis.Scale, c) -> list[dict]:
    """The as-of line's label, above the axis."""
    x = _as_of_px(as_of, scale)
    if x is None:
        return []
    text = f"as of {format_day(as_of)}"
    half = text_width(text, c.font) / 2
    # Kept on the figure: near an edge the label ends at its line instead of centring on it.
    anchor = "right" if x + half > c.plot_width + c.right - 2 else "left" if x - half < -c.left + 2 else "center"
    return [dict(x=x, xref="x", y=1, yref="paper", yanchor="bottom", xanchor=anchor, yshift=22,
                 showarrow=False, text=text, font=dict(size=c.font, color="#444444"),
                 bgcolor="white", name="as-of")]
