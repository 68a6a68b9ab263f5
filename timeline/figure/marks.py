"""Marks and their look. Weight follows certainty:

* a day is the strongest mark, a filled symbol in its kind's colour;
* a range of known days (15-16 Nov) is a solid bar;
* a week, month or year is a light band under its title, as long as the period
  it may lie in: visibly approximate, never louder than a day.

Planned and proposed marks are hollow (bands lighter) with italic titles,
cancelled ones grey crosses with struck-through titles, deadlines large diamonds
with a dotted line through the chart. The legend says all of it in words.
The marks are few traces, days and periods (each also faded, for "also involved"), with a look
per mark, built from numpy columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import filters
from ..dates import edtf
from ..filters import normalized_date
from ..schema import KINDS, STATUSES
from .style import CANCELLED_COLOR, INK, KIND_STYLE, MAX_DEADLINE_LINES, MUTED, escape

HOVER = (
    "<b>%{customdata[1]}</b><br>"
    "%{customdata[2]} <span style='color:#777'>(written: %{customdata[3]})</span><br>"
    "%{customdata[4]}<br>"
    "%{customdata[5]}<extra></extra>"
)
# customdata columns: event id (decimal string, for click callbacks), title,
# normalized date, date as written, actors, "kind · status[<br>location · source]"

HAPPENED, PLANNED, CANCELLED = 0, 1, 2
ECHO_OPACITY = 0.45  # an event's marks in its other lanes, on their own row: "also involved"
POINT, BAR, BAND = 0, 1, 2
SHAPES = ("point", "bar", "band")


def status_style(status_codes: np.ndarray) -> np.ndarray:
    """0 happened (filled), 1 planned/proposed (hollow), 2 cancelled (grey)."""
    planned = np.isin(status_codes, [STATUSES.index("planned"), STATUSES.index("proposed")])
    cancelled = status_codes == STATUSES.index("cancelled")
    return np.where(cancelled, CANCELLED, np.where(planned, PLANNED, HAPPENED))


def shapes_of(precision_codes: np.ndarray, start_ns: np.ndarray, stop_ns: np.ndarray, ns_day: int,
              qualified: np.ndarray | None = None) -> np.ndarray:
    """POINT for one known day, BAR for known days, BAND for a week, month or year, and for any
    date its writer marked uncertain or approximate (EDTF ?, ~, %: ``qualified``)."""
    approximate = precision_codes > 0 if qualified is None else (precision_codes > 0) | qualified
    return np.where(approximate, BAND, np.where(stop_ns - start_ns > ns_day, BAR, POINT))


def hover_table(frame: pd.DataFrame, ix: filters.FrameIndex, rows: np.ndarray) -> np.ndarray:
    """customdata rows (see HOVER), computed once per event and repeated per mark.

    A fixed-width string array, not objects: Plotly deep-copies the figure
    several times on its way to the browser, and that is a memcpy for it.
    """
    unique, back = np.unique(rows, return_inverse=True)
    f = frame.iloc[unique]
    columns = [f[c].astype(str).tolist() for c in
               ("title", "date_text", "end_text", "location", "source", "kind", "status", "precision")]
    table = []
    for (title, written, end_text, place, src, kind, status, precision), actors, start, end, event_id in zip(
        zip(*columns), f["actors"].tolist(), f["start"].tolist(), f["end"].tolist(), f["id"].astype(str).tolist()
    ):
        if end_text:
            written = f"{written} → {end_text}"
        when = normalized_date(start, end, precision)
        said = ", ".join(filter(None, (precision if precision != "day" else "", edtf.described(written, end_text))))
        if said:
            when += f" ({said})"
        where = " · ".join(filter(None, (place, src and f"Source: {src}")))
        details = f"{kind} · {status}" + (f"<br>{escape(where)}" if where else "")
        table.append((event_id, escape(title), escape(when), escape(written), escape("; ".join(actors)), details))
    return np.array(table, dtype=str).reshape(-1, 6)[back]


def rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def marker_look(kind: str, style: int, size: float) -> tuple[str, str, float, str, float]:
    """A day's mark: (symbol, colour, size, outline colour, outline width)."""
    color, symbol = KIND_STYLE[kind]
    outline = "#7a6f00" if kind == "election" else "white"
    if kind == "deadline":
        size += 4
    return {
        HAPPENED: (symbol, color, size, outline, 1),
        PLANNED: (f"{symbol}-open", color, size, color, 2),
        CANCELLED: ("x", CANCELLED_COLOR, size - 1, "white", 0.5),
    }[style]


def bar_look(kind: str, style: int, band: bool) -> tuple[str, str, float]:
    """Known days: a solid bar. A band: a light strip, fainter still when only planned.
    (fill, outline colour, outline width)."""
    color, _ = KIND_STYLE[kind]
    if style == CANCELLED:
        color = CANCELLED_COLOR
    if band:
        return rgba(color, {HAPPENED: 0.34, PLANNED: 0.2, CANCELLED: 0.16}[style]), color, 0
    fill = {HAPPENED: color, PLANNED: "white", CANCELLED: rgba(color, 0.35)}[style]
    return fill, color, 2 if style == PLANNED else 0


def _looks(keys: np.ndarray, look) -> list[list]:
    """One column per part of a look, a value per mark: each distinct ``keys`` value's look
    (``look(key)``, a tuple) computed once and spread to the marks that share it."""
    distinct, back = np.unique(keys, return_inverse=True)
    looks = [look(int(key)) for key in distinct.tolist()]
    return [_column([part[i] for part in looks], back) for i in range(len(looks[0]))]


def _column(values: list, back: np.ndarray):
    """``values[back]``, or the one value when all are the same (a smaller figure to send)."""
    if all(v == values[0] for v in values):
        return values[0]
    return np.asarray(values, dtype=object)[back].tolist()


def marker_trace(kind_codes: np.ndarray, style: np.ndarray, x: np.ndarray, y: np.ndarray, hover: np.ndarray,
                 size: float, use_gl: bool, echo: bool = False) -> dict:
    """Days in one trace, a look per mark: Plotly redraws one trace of many points several
    times faster than a trace per look. ``echo``: an event's smaller, faded marks in its other
    lanes ("also involved"), faded as one layer so that marks on one spot fade no less."""
    key = kind_codes.astype(np.int64) * 10 + style
    scale = 0.8 if echo else 1.0
    symbol, color, px, outline, width = _looks(key, lambda k: marker_look(KINDS[k // 10], k % 10, size * scale))
    # Opaque said outright: Plotly fades markers of many sizes (a "bubble" chart) by default.
    trace = dict(type="scattergl" if use_gl else "scatter", x=x, y=y, mode="markers",
                 marker=dict(symbol=symbol, color=color, size=px, opacity=1, line=dict(color=outline, width=width)),
                 customdata=hover, hovertemplate=HOVER, name="days", showlegend=False)
    return dict(trace, opacity=ECHO_OPACITY, name="days, also involved") if echo else trace


def bar_trace(kind_codes: np.ndarray, style: np.ndarray, band: np.ndarray, x0: np.ndarray, x1: np.ndarray,
              y: np.ndarray, hover: np.ndarray, size: float, echo: bool = False) -> dict:
    """Ranges of days (a solid bar ``size`` * 0.75 thick) and approximate dates (a 3 px band)
    in one trace of bars, a look per bar; ``echo`` as for :func:`marker_trace`."""
    key = (kind_codes.astype(np.int64) * 10 + style) * 2 + band
    thick = size * (0.8 if echo else 1.0) * 0.75

    def look(k: int):
        return *bar_look(KINDS[k // 20], k // 2 % 10, bool(k % 2)), 3.0 if k % 2 else thick
    fill, outline, width, thickness = _looks(key, look)
    trace = dict(type="bar", base=x0, x=np.maximum(x1 - x0, 2.0), y=y, orientation="h", width=thickness,
                 marker=dict(color=fill, line=dict(color=outline, width=width)), customdata=hover,
                 hovertemplate=HOVER, name="periods", showlegend=False)
    return dict(trace, opacity=ECHO_OPACITY, name="periods, also involved") if echo else trace


def deadline_lines(x: np.ndarray, as_of_px: float | None) -> list[dict]:
    """Dotted verticals at deadlines in view, nearest to the as-of date first."""
    if not len(x):
        return []
    at = np.unique(np.round(x, 1))
    anchor = as_of_px if as_of_px is not None else at.max()
    at = at[np.argsort(np.abs(at - anchor), kind="stable")][:MAX_DEADLINE_LINES]
    color = KIND_STYLE["deadline"][0]
    return [dict(type="line", xref="x", yref="paper", x0=float(v), x1=float(v), y0=0, y1=1, layer="below", line=dict(color=color, width=1.2, dash="dot"), opacity=0.8,
                 name="deadline") for v in at]


def label_text(title: str, style: int, band: bool, chosen: bool) -> str:
    text = escape(title)
    if style == CANCELLED:
        text = f"<s>{text}</s>"
    elif style == PLANNED:
        text = f"<i>{text}</i>"
    return f"<b>{text}</b>" if chosen else text


def label_color(style: int, band: bool) -> str:
    return MUTED if style == CANCELLED or band else INK


def legend_traces(kind_codes: np.ndarray, style: np.ndarray, shape: np.ndarray, deadlines: bool,
                  as_of: bool, echoes: bool = False) -> list[dict]:
    """Legend-only entries that say every mark in words: the kinds present, then the looks used."""
    traces = []
    for k in np.unique(kind_codes):
        name = KINDS[k]
        color, symbol = KIND_STYLE[name]
        outline = "#7a6f00" if name == "election" else "white"
        traces.append(dict(type="scatter", x=[None], y=[None], mode="markers", name=name, legendgroup=name,
                           legendrank=100 + int(k), legendgrouptitle=dict(text="Kind" if k == kind_codes.min() else ""),
                           marker=dict(symbol=symbol, color=color, size=11, line=dict(color=outline, width=1))))
    grey = "#555555"
    looks = [
        (shape == POINT, "exact day", dict(type="scatter", mode="markers",
                                           marker=dict(symbol="circle", color=grey, size=11))),
        (shape == BAR, "range of days", dict(type="scatter", mode="lines", line=dict(color=grey, width=7))),
        (shape == BAND, "approximate date", dict(type="scatter", mode="lines",
                                                                 line=dict(color=rgba(grey, 0.34), width=4))),
        (style == PLANNED, "planned / proposed",
         dict(type="scatter", mode="markers", marker=dict(symbol="circle-open", color=grey, size=10,
                                                          line=dict(width=2)))),
        (style == CANCELLED, "cancelled",
         dict(type="scatter", mode="markers", marker=dict(symbol="x", color=CANCELLED_COLOR, size=10))),
        (np.array([echoes]), "also involved",
         dict(type="scatter", mode="markers", opacity=ECHO_OPACITY, marker=dict(symbol="circle", color=grey, size=10))),
        (np.array([deadlines]), "deadline",
         dict(type="scatter", mode="lines", line=dict(color=KIND_STYLE["deadline"][0], width=1.5, dash="dot"))),
        (np.array([as_of]), "as of (latest report)",
         dict(type="scatter", mode="lines", line=dict(color="#444444", width=1.5, dash="dash"))),
    ]
    first = True
    for rank, (used, label, trace) in enumerate(looks):
        if np.any(used):
            traces.append(dict(trace, x=[None], y=[None], name=label, legendgroup="look", legendrank=1000 + rank,
                               legendgrouptitle=dict(text="Marks" if first else "")))
            first = False
    return traces

