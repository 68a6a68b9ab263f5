"""Pieces of the page built from event data: the details panel, the error banner, the table rows."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
from dash import html

from .filters import normalized_date
from .problems import Problem

TABLE_COLUMNS = [
    # Sorted on the ISO day, shown as a reader writes it.
    {"field": "sortkey", "headerName": "Date", "sort": "desc", "width": 150, "suppressSizeToFit": True,
     "valueFormatter": {"function": "params.data.date"}},
    {"field": "title", "headerName": "Event", "minWidth": 220, "flex": 3, "tooltipField": "title"},
    {"field": "actors", "headerName": "Actors", "minWidth": 160, "flex": 2, "tooltipField": "actors"},
    {"field": "kind", "headerName": "Kind", "width": 105, "suppressSizeToFit": True},
    {"field": "status", "headerName": "Status", "width": 110, "suppressSizeToFit": True},
    {"field": "source", "headerName": "Source", "minWidth": 120, "flex": 1, "tooltipField": "source"},
]


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
        ("Date", f"{normalized_date(event['start'], event['end'], event['precision'])} ({event['precision']})"),
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


def banner(problems: tuple[Problem, ...], path: str):
    """The file's errors as `check` prints them, or nothing when the file is valid."""
    errors = [p for p in problems if not p.warning]
    if not errors:
        return []
    shown = errors[:8]
    more = len(errors) - len(shown)
    return [
        html.Strong(f"{os.path.basename(path)} has {len(errors)} error{'s' if len(errors) != 1 else ''}; "
                    "showing the last good version until it is fixed."),
        html.Pre("\n".join(str(p) for p in shown) + (f"\n… and {more} more" if more else ""),
                 className="banner-lines"),
    ]


def table_rows(shown: pd.DataFrame, view, limit: int) -> tuple[list[dict], str]:
    """The rows of the table for the events in view, newest first, at most ``limit``."""
    start, end = shown["start"].to_numpy(), shown["end"].to_numpy()
    inside = np.ones(len(shown), dtype=bool)
    if view.window is not None:
        first, last = (np.datetime64(d, "ns") for d in view.window)
        inside = (end >= first) & (start <= last)
    positions = np.flatnonzero(inside)
    total = len(positions)
    # Only the newest ``limit`` rows are sorted and built, whatever the size of the selection.
    newest = positions[np.argsort(start[positions], kind="stable")[::-1][:limit]]
    picked = shown.iloc[newest]
    rows = [
        {"id": str(i), "date": normalized_date(s, e, p), "sortkey": s.strftime("%Y-%m-%d"), "title": t,
         "actors": "; ".join(a), "kind": k, "status": st, "source": src}
        for i, s, e, p, t, a, k, st, src in zip(
            picked["id"], picked["start"], picked["end"], picked["precision"], picked["title"],
            picked["actors"], picked["kind"], picked["status"], picked["source"])
    ]
    note = f"Showing the newest {limit:,} of {total:,} events in view; narrow the filters to see the rest." \
        if total > limit else ""
    return rows, note


def subtitle(path: str, as_of) -> str:
    name = os.path.basename(path)
    if as_of is None:
        return name
    return f"{name} · as of {as_of.day} {as_of.strftime('%b %Y')}"
