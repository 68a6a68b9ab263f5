"""The canvas: sizes and margins, the axes, the title, subtitle and sources line of a report."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..filters import describe, format_day
from .style import DEFAULT_TITLE, DEFAULT_WIDTH, FONT, GRID, INK, MUTED, ellipsize, escape, fit_width, text_width

LANE_GAP = 8  # px between two lanes
LEGEND_PX = 182
NARROW = 700  # below this width (a phone) the legend goes under the chart, which keeps the width
LEGEND_BELOW_PX = 150
MIN_HEIGHT = 300
MAX_REPORT_HEIGHT = 2400  # a report grows to hold its lanes up to this, then draws the busiest
MODEBAR_PX = 30
NOTE_PX = 22  # a line under the chart saying which lanes are left out
LANE_NAME_PX = 200  # a lane name's longest on a wide chart
TICK_PAD = 8  # between a lane name and the plot, where Plotly puts it


@dataclass(frozen=True)
class Canvas:
    """Pixel geometry the figure is laid out for (margins fixed, never auto-expanded, so the
    placement of titles knows the plot's size)."""

    width: float
    height: float
    left: int
    right: int
    top: int
    bottom: int
    font: int
    label_font: int
    row_px: float
    mark_px: int

    @property
    def legend_below(self) -> bool:
        return self.width < NARROW

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom


def canvas(lane_names, heads, *, width, report, source_lines=0, notes=0) -> Canvas:
    """The margins; the height is settled once the lanes know their rows (:func:`fit_height`)."""
    font = 13 if report else 12
    tick_px = max((text_width(fit_width(n, LANE_NAME_PX, font, bold=h), font, bold=h)
                   for n, h in zip(lane_names, heads)), default=40)
    width = width or DEFAULT_WIDTH
    left = int(min(max(tick_px + 14, 70), 230, width * 0.3))
    below = width < NARROW
    right = 12 if below else LEGEND_PX
    # On a phone's page Plotly's toolbar sits in the top margin, above the as-of label, not on it.
    top = (86 if report else 0) + 44 + (MODEBAR_PX if below and not report else 0)
    bottom = 14 + (18 * source_lines + 10 if source_lines else 0) + NOTE_PX * notes \
        + (LEGEND_BELOW_PX if below else 0)
    return Canvas(width, 0, left, right, top, bottom, font, font, 20 if report else 19, 12 if report else 11)


def left_out_note(names: list[str], lanes: int, events: int, c: Canvas) -> dict:
    """Under the chart: how many lanes a report leaves out, which, and how to draw them."""
    head = f"{len(names):,} of {lanes:,} lanes not drawn ({events:,} more events): "
    tail = " To draw them, pick actors (--actor), lanes by kind (--lanes kinds) or a taller figure (--height)."
    room = c.width - c.left - 20 - text_width(head + tail, 12)
    listed = fit_width(", ".join(names), max(room, 60), 12)
    listed += "" if listed.endswith("…") else "."
    return dict(xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-10, align="left",
                showarrow=False, name="lanes-left-out", text=escape(head + listed + tail),
                font=dict(size=12, color=INK))


def legend_height(traces: list[dict], c: Canvas) -> float:
    """How tall the legend draws: an entry a line, and a title line per group."""
    if c.legend_below:  # its room is in the bottom margin already
        return 0
    titles = sum(1 for t in traces if (t.get("legendgrouptitle") or {}).get("text"))
    return c.top + c.bottom + len(traces) * (c.font + 11) + titles * (c.font + 16) + 12


def fit_height(c: Canvas, rows: int, lanes: int, height: float | None, report: bool, floor: float = 0) -> Canvas:
    """The canvas for ``rows`` rows: a report fills its given height (rows grow up to 26 px),
    the page is as tall as its rows, or as its legend (``floor``)."""
    chrome = c.top + c.bottom + LANE_GAP * max(lanes - 1, 0)
    row_px = c.row_px
    if report and height:
        row_px = min(max(c.row_px, (height - chrome) / max(rows, 1)), 26)
        total = height
    else:
        floor = floor if height is None else min(floor, height)  # the page's room wins; the legend then scrolls
        total = max(chrome + rows * row_px, floor, MIN_HEIGHT if height is None else min(MIN_HEIGHT, height))
    return Canvas(c.width, total, c.left, c.right, c.top, c.bottom, c.font, c.label_font, row_px, c.mark_px)


def least_lane_px(c: Canvas, echoes: np.ndarray) -> np.ndarray:
    """What each lane needs at the least, in px: a title row and a count row, a row for its marks
    of events titled elsewhere when it has some (``echoes``), and the gap after it."""
    return (2 + echoes.astype(int)) * c.row_px + LANE_GAP


def lanes_room(c: Canvas, height: float) -> float:
    """The px a figure ``height`` tall has for its lanes (each lane's gap counted with it)."""
    return height - c.top - c.bottom + LANE_GAP


def rows_that_fit(c: Canvas, lanes: int, height: float | None) -> int | None:
    if not height:
        return None
    chrome = c.top + c.bottom + LANE_GAP * max(lanes - 1, 0)
    return max(int((height - chrome) // c.row_px), lanes)


def base_layout(c: Canvas, width) -> dict:
    return dict(
        width=width,
        height=c.height,
        margin=dict(l=c.left, r=c.right, t=c.top, b=c.bottom, autoexpand=False),
        font=dict(family=FONT, size=c.font, color=INK),
        paper_bgcolor="white", plot_bgcolor="white",
        hovermode="closest", barmode="overlay", dragmode="zoom",
        hoverlabel=dict(bgcolor="white", font=dict(family=FONT, size=c.font), align="left"),
        legend=dict(x=0, xanchor="left", xref="container", y=0, yanchor="bottom", yref="container",
                    orientation="h", traceorder="normal", entrywidth=0.5, entrywidthmode="fraction", tracegroupgap=0, font=dict(size=c.font - 1),
                    itemclick=False,
                    itemdoubleclick=False, bgcolor="rgba(255,255,255,0)")
        if c.legend_below else
        dict(x=1, xanchor="left", xref="paper", y=1, yanchor="top",
             tracegroupgap=6, font=dict(size=c.font - 1), itemclick=False, itemdoubleclick=False,
             bgcolor="rgba(255,255,255,0)", indentation=4),
        showlegend=True,
    )


# The tick labels are placed to fit (axis.ticks spaces the dates, lane_ticktext shortens the
# names to the margin), so Plotly need not measure each one on every redraw to turn it
# ("tickangle" auto) or hide it past the chart's edge ("ticklabeloverflow"): at fifty lanes
# that measuring was a sixth of a redraw.
FITTED_TICKS = dict(ticklabeloverflow="allow")


def x_axis(c: Canvas, tickvals, ticktext) -> dict:
    # On top: at 1280x800 the dates are on screen however tall the lanes grow.
    return dict(
        type="linear", range=[0, c.plot_width], autorange=False, side="top", tickmode="array",
        tickvals=tickvals, ticktext=ticktext, showgrid=True, gridcolor=GRID, zeroline=False,
        showline=True, linecolor="#999", ticks="outside", tickcolor="#999", ticklen=4,
        tickfont=dict(size=c.font), automargin=False, fixedrange=False, tickangle=0, **FITTED_TICKS,
    )


def y_axis(c: Canvas, tickvals, ticktext) -> dict:
    return dict(tickmode="array", tickvals=tickvals, ticktext=ticktext, range=[c.plot_height, 0],
                autorange=False, fixedrange=True, showgrid=False, zeroline=False, ticks="",
                automargin=False, tickfont=dict(size=c.font), **FITTED_TICKS)


def lane_ticktext(names, heads, c: Canvas) -> list[str]:
    """Lane names shortened to the left margin, so none runs off the chart or into the plot."""
    room = c.left - TICK_PAD
    return [f"<b>{escape(fit_width(n, room, c.font, bold=True))}</b>" if h else escape(fit_width(n, room, c.font))
            for n, h in zip(names, heads)]


def sources(frame, rows) -> list[str]:
    values = frame["source"].iloc[np.unique(rows)].unique().tolist()
    return sorted({str(v).strip() for v in values if str(v).strip()})


def wrap_sources(items: list[str], width_px: float, font_px: float, max_lines: int = 3) -> list[str]:
    if not items:
        return []
    lines, current = [], "Sources: "
    for i, src in enumerate(items):
        piece = src + (", " if i < len(items) - 1 else "")
        if text_width(current + piece, font_px) > width_px and current.strip():
            lines.append(current.rstrip())
            current = ""
            if len(lines) == max_lines - 1:
                rest = items[i:]
                tail = ", ".join(rest)
                if text_width(tail, font_px) > width_px:
                    tail = ellipsize(tail, int(width_px / (font_px * 0.55)) - 12) + f" ({len(rest)} sources)"
                lines.append(tail)
                return lines
        current += piece
    lines.append(current)
    return lines


def titles(layout, c: Canvas, title, view, as_of, source_lines, report, shown=None, also=(), notes=0,
           note=None) -> None:
    """The title; a report's subtitle (``also``: what a still image must say first, such as lanes
    left out; its filters; the dates shown; ``note``: the rows of the file left out) and sources line."""
    layout["title"] = dict(
        text=escape(title or DEFAULT_TITLE), x=c.left / c.width, xanchor="left", xref="container",
        y=1 - 14 / c.height, yanchor="top", yref="container",
        font=dict(size=22 if report else 16, color=INK),
    )
    if report:
        # "All events" only when every event the filters let through is drawn.
        parts = [*also, describe(view, as_of, everything=not (also or note))]
        if shown is not None:  # a still image must say which dates it shows: the window may hide events
            parts.append(f"shown: {format_day(shown[0])} – {format_day(shown[1])}")
        if note:  # a figure of a file's valid rows only must say so wherever it goes
            parts.append(note)
        subtitle = " · ".join(part for part in parts if part)
        layout["title"]["subtitle"] = dict(text=escape(subtitle), font=dict(size=14, color=MUTED))
    if source_lines:
        layout.setdefault("annotations", []).append(dict(
            xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-8 - NOTE_PX * notes,
            align="left", showarrow=False, name="sources", text="<br>".join(escape(s) for s in source_lines),
            font=dict(size=12, color=MUTED)))


def empty(view, as_of, width, height, title, report, message, note=None) -> dict:
    c = Canvas(width or DEFAULT_WIDTH, height or MIN_HEIGHT, 40, 40, 116 if report else 40, 40,
               13 if report else 12, 12, 19, 11)
    layout = dict(
        width=width, height=c.height, paper_bgcolor="white", plot_bgcolor="white",
        font=dict(family=FONT, size=c.font, color=INK),
        margin=dict(l=c.left, r=c.right, t=c.top, b=c.bottom),
        xaxis=dict(visible=False), yaxis=dict(visible=False), showlegend=False,
        annotations=[dict(text=message, xref="paper", yref="paper", x=0.5, y=0.5,
                          showarrow=False, font=dict(size=18, color=MUTED), name="empty")],
    )
    if report or title:
        titles(layout, c, title, view, as_of, [], report, note=note)
    return {"data": [], "layout": dict(layout, template={})}
