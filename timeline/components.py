"""Pieces of the page built from event data: the event list, the chart's summary, the details panel, the banner."""

from __future__ import annotations

import os
from dataclasses import replace
from shlex import quote

import numpy as np
import pandas as pd
from dash import html

from .dates import edtf
from .filters import index_for, normalized_date
from .invocation import command
from .problems import Problem, counted
from .schema import KINDS


def placeholder():
    return [html.H2("Details"), html.P("Click an event on the chart or a row in the table.", className="hint")]


def panel(frame: pd.DataFrame | None, event_id: int | None):
    """Every field of one event; text stays text, and only http(s) links become links."""
    if frame is None or event_id is None:
        return placeholder()
    match = frame[frame["id"] == event_id]
    if match.empty:
        return placeholder()
    event = match.iloc[0]
    written = event["date_text"] + (f" → {event['end_text']}" if event["end_text"] else "")
    reported = event["reported"]
    rows = [
        ("Date", f"{normalized_date(event['start'], event['end'], event['precision'])} "
                 f"({', '.join(filter(None, (event['precision'], edtf.described(event['date_text'], event['end_text']))))})"),
        ("As written", written),
        ("Reported", "" if pd.isna(reported) else f"{reported.day} {reported.strftime('%b %Y')}"),
        ("Actors", ", ".join(event["actors"])),
        ("Kind", event["kind"]),
        ("Status", event["status"]),
        ("Location", event["location"]),
        ("Source", event["source"]),
        ("Notes", event["notes"]),
        ("Line", f"{event['id']}"),
    ]
    items = []
    for label, value in rows:
        if value:
            items += [html.Dt(label), html.Dd(value)]
    link = []
    if event["url"].lower().startswith(("http://", "https://")):
        link = [html.A("Open the source ↗", href=event["url"], target="_blank", rel="noopener noreferrer",
                       className="source-link")]
    return [html.H2(event["title"], className="details-title"), html.Dl(items), *link]


def event_count(selected: int, total: int, in_view: int | None) -> str:
    """What the reader sees, then what the filters select: "9 in view · 33 events"."""
    events = f"{selected:,} events" if selected == total else f"{selected:,} of {total:,} events"
    return events if in_view is None or in_view == selected else f"{in_view:,} in view · {events}"


def banner(problems: tuple[Problem, ...], path: str, *, shown_data: bool = True, notices=(), left_out: str = ""):
    """The file's errors as `check` prints them, and what the reader must know about the data
    shown (``notices``: rows that disappeared); nothing when the file is valid and all is there.
    ``left_out``: the data shown is the file's valid rows, and this says how many are not."""
    errors = [p for p in problems if not p.warning]
    parts = [html.P(notice, className="banner-notice") for notice in notices]
    if left_out:
        return [*_left_out(problems, errors, path, left_out), *parts]
    if not errors:
        return parts
    shown = errors[:8]
    total = counted(errors)  # a summary of many errors of one kind counts for all of them
    more = total - counted(shown)
    name = os.path.basename(path)
    plural = "s" if total != 1 else ""
    headline = (f"{name} has {total:,} error{plural}; showing the last good version until it is fixed."
                if shown_data else
                f"{name} has {total:,} error{plural}, and no earlier version of it was valid: "
                "there is nothing to show until it is fixed.")
    return [
        html.Strong(headline),
        html.Pre("\n".join(_for_readers(p) for p in shown) + (f"\n… and {more:,} more" if more else ""),
                 className="banner-lines"),
        *parts,
    ]


LISTED = 1_000  # problems written out on the page; `check` prints the rest


def _left_out(problems, errors: list[Problem], path: str, note: str) -> list:
    """The headline of a partial file (how many rows are left out and the columns at fault), and
    every problem, folded: a reader of the chart wants the count first, an editor the list."""
    name = os.path.basename(path)
    columns: dict[str, int] = {}
    for line, column, count in sorted({(p.line, p.column or "fields", p.count) for p in errors}):
        columns[column] = columns.get(column, 0) + count  # a summary stands for ``count`` rows
    why = "; ".join(f"{column}: {count:,}" for column, count in columns.items())
    listed = [_for_readers(p) for p in problems[:LISTED]]
    if len(problems) > LISTED:
        listed.append(f"… and {len(problems) - LISTED:,} more: `{command()} check {quote(name)}` lists them all")
    plural = lambda n, word: f"{n:,} {word}{'' if n == 1 else 's'}"  # noqa: E731
    errors_n, warnings = counted(problems), counted(problems, warning=True)
    return [
        html.Strong(f"{name}: {note} ({why}). The chart and the list show the other rows."),
        html.Details(className="banner-details", children=[
            html.Summary(f"The {plural(errors_n, 'error')}"
                         + (f" and {plural(warnings, 'warning')}" if warnings else "") + ", as check prints them"),
            # Focusable: a keyboard reader scrolls a long list with the arrow keys.
            html.Pre("\n".join(listed), className="banner-lines", tabIndex="0"),
        ]),
    ]


def _for_readers(problem: Problem) -> str:
    """A problem as `check` prints it, the file named by its name: a reader of the page is told
    nothing about where the server keeps it."""
    return str(replace(problem, file=os.path.basename(problem.file)))


_ORDER_NOTES = {"DMY": "numeric dates day first", "MDY": "numeric dates month first",
                "YMD": "numeric dates year, month, day"}


def subtitle(path: str, as_of, date_order: str | None = None) -> str:
    name = os.path.basename(path)
    if as_of is not None:
        name = f"{name} · as of {as_of.day} {as_of.strftime('%b %Y')}"
    # Whoever reads a shared page of a file with 3/7/2022 in it must know which day that is.
    return f"{name} · {_ORDER_NOTES[date_order]}" if date_order else name


# The kind's symbol in the list repeats the chart's, filled for what happened, hollow for plans,
# so nothing is told by colour alone.
SYMBOLS = {
    "talks": ("●", "○"), "meeting": ("●", "○"), "statement": ("●", "○"), "other": ("●", "○"),
    "summit": ("★", "☆"), "agreement": ("★", "☆"), "travel": ("▲", "△"), "military": ("▼", "▽"),
    "proposal": ("■", "□"), "sanction": ("■", "□"), "deadline": ("◆", "◇"), "election": ("⬢", "⬡"),
}


def _group_label(start: pd.Timestamp, end: pd.Timestamp, precision: str) -> str:
    """A day as a heading ("Sun 23 Nov 2025"), or the period of an approximate date, said as such."""
    if precision == "day":
        return f"{start:%a} {start.day} {start:%b %Y}"
    return f"{normalized_date(start, end, precision)} · approximate ({precision})"


def event_list(frame: pd.DataFrame, keep: np.ndarray, view, limit: int,
               newest_first: bool = False) -> tuple[list[dict], str]:
    """The events in view (``keep``, a mask over ``frame``) in time order, grouped by day: the
    phone's view, and the keyboard's and screen reader's way through the chart. Plain data,
    which the page's script draws as buttons: Dash's renderer takes about a second per hundred
    components, so 500 events as components would hold the page for a minute. Only the listed
    rows are taken from the frame: a copy of a million selected rows would cost more than the chart.
    ``newest_first``: the same events and groups, from the latest back (a news reader's order)."""
    ix = index_for(frame)
    rows = np.flatnonzero(keep)
    start, end = ix.start[rows], ix.end[rows]
    inside = np.ones(len(rows), dtype=bool)
    if view.window is not None:
        first, last = (np.datetime64(d, "ns") for d in view.window)
        inside = (end >= first) & (start <= last)
    positions = np.flatnonzero(inside)
    total = len(positions)
    # The newest ``limit`` only, in time order: the story is at the end.
    order = positions[np.lexsort((frame["id"].to_numpy()[rows[positions]], start[positions]))][-limit:]
    if newest_first:
        order = order[::-1]
    picked = frame.iloc[rows[order]]
    groups: list[dict] = []
    current = None
    for event_id, s, e, p, title, actors, kind, status, place, written, end_text in zip(
            picked["id"], picked["start"], picked["end"], picked["precision"], picked["title"], picked["actors"],
            picked["kind"], picked["status"], picked["location"], picked["date_text"], picked["end_text"]):
        key = (s, p if p != "day" else "day", e if p != "day" else None)
        if key != current:
            current = key
            groups.append({"label": _group_label(s, e, p), "items": []})
        planned = status in ("planned", "proposed")
        when = normalized_date(s, e, p) if p == "day" and s != e else ""
        when = ", ".join(filter(None, (when, edtf.described(written, end_text))))
        groups[-1]["items"].append({
            "id": int(event_id),
            "symbol": "✕" if status == "cancelled" else SYMBOLS.get(kind, ("●", "○"))[planned],
            "title": str(title),
            "actors": "; ".join(actors),
            "meta": " · ".join(filter(None, [kind, status, when, place])),
            "kind": kind,
            "status": status,
        })
    note = (f"The latest {limit:,} of {total:,} events that match the filters; narrow them to list the rest."
            if total > limit else "")
    return groups, note


def chart_summary(frame: pd.DataFrame, keep: np.ndarray, meta: dict, as_of) -> str:
    """What the chart shows (``keep``, a mask over ``frame``), in a sentence a screen reader reads:
    "31 events from 15 Nov to 27 Nov 2025 in 4 lanes; next deadline: Thanksgiving deadline, 27 Nov 2025"."""
    ix = index_for(frame)
    rows = np.flatnonzero(keep)
    if not len(rows):
        return "The chart is empty: no events match these filters."
    events = meta.get("events", len(rows))
    window = meta.get("window") or ["", ""]
    lanes = meta.get("lane_count")
    text = f"{events:,} event{'s' if events != 1 else ''} from {window[0]} to {window[1]}"
    if lanes:
        text += f" in {lanes} lane{'s' if lanes != 1 else ''}"
    if meta.get("counted"):
        text += f"; {meta['counted']:,} of them counted, not titled"
    start = ix.start[rows]
    since = np.datetime64(as_of, "ns") if as_of is not None else start.min()
    deadlines = rows[(ix.kind_codes[rows] == KINDS.index("deadline")) & (start >= since)]
    if len(deadlines):
        # The earliest; among deadlines of one day, the first in the file (a stable sort's pick).
        first = frame.iloc[deadlines[np.argsort(ix.start[deadlines], kind="stable")[0]]]
        text += f"; next deadline: {first['title']}, {first['start'].day} {first['start']:%b %Y}"
    return text + ". The events are listed in time order below the chart."
