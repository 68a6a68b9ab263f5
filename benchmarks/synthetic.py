"""Synthetic events frames for benchmarks: big, reproducible, shaped like the real data.

50 actors (10 states, 4 officials each) with skewed activity, 30 years, random
kinds / statuses / precisions, 1-3 actors per event, ~10% multi-day ranges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from timeline.schema import FRAME_COLUMNS, KINDS, PRECISIONS, STATUSES

AS_OF = pd.Timestamp("2025-11-24")
SOURCES = ("The Washington Post", "Reuters", "Associated Press", "BBC", "Kyiv Independent", "TASS")
PLACES = ("Geneva", "Abu Dhabi", "Moscow", "Kyiv", "Washington", "Istanbul", "Riyadh", "")
TOPICS = ("peace plan", "ceasefire", "security guarantees", "prisoner exchange", "energy truce",
          "sanctions relief", "territorial questions", "grain corridor", "reconstruction fund")


def members(n_states: int = 10, per_state: int = 4) -> dict[str, frozenset[str]]:
    return {
        f"State {s:02d}": frozenset(f"Official {s:02d}-{o}" for o in range(1, per_state + 1))
        for s in range(1, n_states + 1)
    }


def actor_names(n_actors: int = 50) -> list[str]:
    names = [n for state, officials in members().items() for n in (state, *sorted(officials))]
    return names[:n_actors]


def synthetic_frame(n: int, *, seed: int = 0, n_actors: int = 50, years: int = 30,
                    end: pd.Timestamp = AS_OF + pd.Timedelta(days=6)) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = np.array(actor_names(n_actors), dtype=object)
    weights = 1 / np.arange(1, len(names) + 1) ** 0.8  # a few actors dominate, as in the news
    weights /= weights.sum()

    first = end - pd.DateOffset(years=years)
    offsets = rng.integers(0, (end - first).days + 1, n)
    start = (first + pd.to_timedelta(offsets, unit="D")).to_numpy()

    precision = rng.choice(PRECISIONS, n, p=[0.82, 0.05, 0.10, 0.03])
    length = np.where(rng.random(n) < 0.1, rng.integers(1, 5, n), 0)
    start_ts = pd.DatetimeIndex(start)
    month_start = start_ts.to_period("M").to_timestamp()
    year_start = start_ts.to_period("Y").to_timestamp()
    start = np.select([precision == "month", precision == "year"],
                      [month_start, year_start], start_ts).astype("datetime64[ns]")
    stop = np.select(
        [precision == "week", precision == "month", precision == "year"],
        [start + np.timedelta64(6, "D"),
         (month_start + pd.offsets.MonthEnd(0)).to_numpy(),
         (year_start + pd.offsets.YearEnd(0)).to_numpy()],
        start + length.astype("timedelta64[D]"),
    ).astype("datetime64[ns]")

    n_act = rng.choice([1, 2, 3], n, p=[0.45, 0.4, 0.15])
    picks = rng.choice(len(names), (n, 3), p=weights)
    actors = [tuple(dict.fromkeys(names[row[:k]])) for row, k in zip(picks, n_act)]

    kind = rng.choice(KINDS, n)
    topic = rng.choice(TOPICS, n)
    status = rng.choice(STATUSES, n, p=[0.8, 0.1, 0.06, 0.04])
    frame = pd.DataFrame({
        "id": np.arange(2, n + 2, dtype=np.int64),
        "title": pd.Series(kind, dtype=object) + " on " + topic + " #" + np.arange(n).astype(str),
        "actors": actors,
        "kind": kind,
        "status": status,
        "start": start,
        "end": stop,
        "precision": precision,
        "date_text": np.datetime_as_string(start, unit="D"),
        "end_text": "",
        "reported": start,
        "location": rng.choice(PLACES, n),
        "source": rng.choice(SOURCES, n),
        "url": "",
        "notes": "synthetic note about " + topic,
    }, columns=list(FRAME_COLUMNS))
    return frame.sort_values(["start", "id"], kind="stable").reset_index(drop=True)
