"""Build normalized event frames (schema.FRAME_COLUMNS) by hand in tests.

    frame(
        event("Geneva talks", "2025-11-23", actors="Steve Witkoff; Rustem Umerov"),
        event("Peace plan drafted", "2025-10", precision="month", kind="proposal"),
    )
"""

from __future__ import annotations

import pandas as pd

from timeline.schema import ACTOR_SEPARATOR, FRAME_COLUMNS

_LENGTH = {"day": pd.DateOffset(days=0), "week": pd.DateOffset(days=6)}


def _span(text: str, precision: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(text)
    if precision == "month":
        return start, start + pd.offsets.MonthEnd(0)
    if precision == "year":
        return start, start + pd.offsets.YearEnd(0)
    return start, start + _LENGTH[precision]


def event(
    title: str,
    date: str,
    end: str | None = None,
    *,
    actors: str | tuple[str, ...] = "Ukraine",
    kind: str = "talks",
    status: str = "happened",
    precision: str = "day",
    date_text: str | None = None,
    end_text: str = "",
    reported: str | None = None,
    location: str = "",
    source: str = "",
    url: str = "",
    notes: str = "",
) -> dict:
    """One row; ``date`` is ISO ("2025-11-23", "2025-10", "2025"), ``end`` inclusive."""
    if isinstance(actors, str):
        actors = tuple(a.strip() for a in actors.split(ACTOR_SEPARATOR) if a.strip())
    start, last = _span(date, precision)
    if end is not None:
        last = _span(end, precision)[1]
    return {
        "title": title,
        "actors": tuple(actors),
        "kind": kind,
        "status": status,
        "start": start,
        "end": last,
        "precision": precision,
        "date_text": date if date_text is None else date_text,
        "end_text": end_text or (end or ""),
        "reported": pd.Timestamp(reported) if reported else pd.NaT,
        "location": location,
        "source": source,
        "url": url,
        "notes": notes,
    }


def frame(*events: dict) -> pd.DataFrame:
    """The frame the data layer would return: ids by input order, sorted by start then id."""
    rows = [{"id": i + 2, **e} for i, e in enumerate(events)]  # line 1 is the header
    df = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
    for column in ("start", "end", "reported"):
        df[column] = pd.to_datetime(df[column]).astype("datetime64[ns]")
    df["id"] = df["id"].astype("int64")
    return df.sort_values(["start", "id"], kind="stable").reset_index(drop=True)


# A realistic small dataset: the November 2025 negotiations, a little history.
W, R, Z, U, Y, D, T = ("Steve Witkoff", "Marco Rubio", "Volodymyr Zelensky", "Rustem Umerov", "Andriy Yermak",
                       "Kirill Dmitriev", "Donald Trump")
UA, RU, US = "Ukraine", "Russia", "United States"
NEWS_MEMBERS = {US: frozenset({W, R, T}), UA: frozenset({Z, U, Y}), RU: frozenset({D, "Vladimir Putin"})}
NEWS_AS_OF = pd.Timestamp("2025-11-24")
_WP, _RT, _AP = "The Washington Post", "Reuters", "Associated Press"


def news_frame() -> pd.DataFrame:
    return frame(
        event("Ukraine declares independence", "1991-08-24", actors=(UA,), kind="statement", source=_WP),
        event("Budapest Memorandum signed", "1994-12-05", actors=(UA, RU, US), kind="agreement", source=_WP,
              location="Budapest"),
        event("Talks in Riyadh", "2025-09-15", actors=(US, RU), source=_WP, location="Riyadh"),
        event("Trump UN speech on Ukraine", "2025-09-23", actors=(T, UA), kind="statement", source=_AP),
        event("28-point plan drafted", "2025-10", precision="month", actors=(W, D), kind="proposal", source=_WP,
              date_text="October"),
        event("Trump–Zelensky meeting at White House", "2025-10-17", actors=(T, Z), kind="meeting", source=_RT,
              location="Washington"),
        event("Sanctions on Rosneft and Lukoil", "2025-10-22", actors=(US, RU), kind="sanction", source=_RT),
        event("Witkoff meets Dmitriev in Miami", "2025-10-24", actors=(W, D), kind="meeting", source=_WP,
              location="Miami"),
        event("Ceasefire talks in week of Nov 3", "2025-11-03", precision="week", actors=(U, D), source=_RT),
        event("Energy truce proposal", "2025-11-10", actors=(UA,), kind="proposal", status="proposed", source=_AP),
        event("Planned Istanbul round cancelled", "2025-11-12", actors=(UA, RU), status="cancelled", source=_RT),
        event("Umerov in Miami talks with Witkoff", "2025-11-15", actors=(U, W), source=_WP, location="Miami"),
        event("<img src=x onerror=alert(1)> & co", "2025-11-17", actors=(UA,), kind="other",
              source="Evil <b>source</b>"),
        event("NSC meeting on Ukraine", "2025-11-18", actors=(T, R), kind="meeting", source=_AP),
        event("Plan leaked to press", "2025-11-19", actors=(US, RU), kind="statement", source=_AP),
        event("Army secretary Driscoll in Kyiv", "2025-11-20", actors=(US, Z), kind="travel", source=_RT,
              location="Kyiv"),
        event("Zelensky: 'one of the most difficult moments'", "2025-11-21", actors=(Z,), kind="statement",
              source=_WP),
        event("Trump sets Thanksgiving deadline", "2025-11-21", actors=(T, UA), kind="statement", source=_WP),
        event("Putin says plan could be basis", "2025-11-21", actors=("Vladimir Putin",), kind="statement",
              source=_AP),
        event("Zelensky address to the nation", "2025-11-21", actors=(Z,), kind="statement", source=_WP),
        event("Trump: 'not my final offer'", "2025-11-22", actors=(T,), kind="statement", source=_WP),
        event("Geneva talks on US peace plan", "2025-11-23", actors=(R, W, U, Y), source=_WP, location="Geneva",
              date_text="Sunday"),
        event("Rubio: 'tremendous progress'", "2025-11-23", actors=(R,), kind="statement", source=_RT,
              location="Geneva"),
        event("Joint US–Ukraine statement on refined framework", "2025-11-23", actors=(US, UA), kind="statement",
              source=_AP),
        event("European counter-proposal", "2025-11-23", actors=("European Union", UA), kind="proposal",
              source=_RT),
        event("Rubio–Yermak working session", "2025-11-23", actors=(R, Y), kind="meeting", source=_WP,
              location="Geneva"),
        event("Abu Dhabi talks with Russian delegation", "2025-11-24", "2025-11-25", actors=(US, RU), source=_RT,
              location="Abu Dhabi"),
        event("Kremlin rejects European plan", "2025-11-24", actors=(RU,), kind="statement", source=_AP),
        event("Witkoff–Umerov follow-up call", "2025-11-26", actors=(W, U), status="planned", source=_RT),
        event("Deadline to accept peace plan (Thanksgiving)", "2025-11-27", actors=(UA,), kind="deadline",
              status="planned", source=_WP, date_text="Thanksgiving"),
        event("Zelensky visit to Washington", "2025-11-28", actors=(Z, T), kind="meeting", status="proposed",
              source=_RT),
        event("Yermak resigns", "2025-11-28", actors=(Y,), kind="other", source=_RT),
        event("Witkoff trip to Moscow", "2025-12-01", actors=(W, RU), kind="travel", status="planned", source=_WP),
    )


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text columns as object columns: the loader keeps them as codes or Arrow
    strings (timeline.columns), the row-wise oracle and hand-made frames as Python strings."""
    from timeline.columns import TEXT_COLUMNS

    return frame.assign(**{c: pd.Series(frame[c].tolist(), index=frame.index, dtype=object)
                           for c in TEXT_COLUMNS if c in frame})


def assert_same_events(left: pd.DataFrame, right: pd.DataFrame, **options) -> None:
    """The same events, whatever holds their texts; and the loader's frames typed as schema.py says."""
    for frame in (left, right):
        for name in ("kind", "status", "precision"):
            dtype = frame[name].dtype
            assert dtype == object or isinstance(dtype, pd.CategoricalDtype), (name, dtype)
    pd.testing.assert_frame_equal(plain(left), plain(right), **options)
