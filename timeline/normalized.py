"""The normalized CSV: every input column, canonical actors, ISO reported dates, lower-case status
and kind, plus start, end, precision."""

from __future__ import annotations

import csv
import io

from .events import Dataset
from .schema import ACTOR_SEPARATOR

ADDED = ("start", "end", "precision")


def normalized_csv(dataset: Dataset) -> str:
    table = dataset.table
    by_id = dataset.frame.set_index("id")
    header = [h for h in table.header]
    added = [c for c in ADDED if c not in (h.strip().lower() for h in header)]
    actors_at = [h.strip().lower() for h in header].index("actors")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header + added)
    for line, cells in table.rows:
        if line not in by_id.index:
            continue
        event = by_id.loc[line]
        cells = list(cells) + [""] * (len(header) - len(cells))
        cells = cells[: len(header)]
        cells[actors_at] = f"{ACTOR_SEPARATOR} ".join(event["actors"])
        derived = {
            "start": event["start"].date().isoformat(),
            "end": event["end"].date().isoformat(),
            "precision": event["precision"],
        }
        if event["reported"] == event["reported"]:  # NaT != NaT: a blank reported cell stays blank
            derived["reported"] = event["reported"].date().isoformat()
        for index, column in enumerate(h.strip().lower() for h in header):
            if column in derived:
                cells[index] = derived[column]
            elif column in ("status", "kind") and cells[index].strip():
                cells[index] = event[column]  # as stored: "Planned" and "canceled" as planned, cancelled
        writer.writerow(cells + [derived.get(c, "") for c in added])
    return out.getvalue()
