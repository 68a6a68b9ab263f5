import gc
import random
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from framehelpers import event, frame

from timeline import filters
from timeline.filters import View, actor_counts, apply, describe, slug

MEMBERS = {
    "United States": frozenset({"Steve Witkoff", "Marco Rubio"}),
    "Ukraine": frozenset({"Rustem Umerov", "Volodymyr Zelensky"}),
    "Russia": frozenset({"Kirill Dmitriev"}),
}

EVENTS = frame(
    event("Geneva talks", "2025-11-23", actors="Marco Rubio; Steve Witkoff; Rustem Umerov",
          location="Geneva", notes="Refined 19-point framework"),
    event("Miami meeting", "2025-10-24", actors="Steve Witkoff; Kirill Dmitriev", kind="meeting"),
    event("Plan drafted", "2025-10", precision="month", actors="Steve Witkoff; Kirill Dmitriev",
          kind="proposal", date_text="October"),
    event("Zelensky address", "2025-11-21", actors="Volodymyr Zelensky", kind="statement"),
    event("Thanksgiving deadline", "2025-11-27", actors="Ukraine", kind="deadline", status="planned",
          date_text="Thanksgiving (Nov. 27)"),
    event("Abu Dhabi talks", "2025-11-24", "2025-11-25", actors="United States; Russia"),
    event("Istanbul round", "2025-11-12", actors="Ukraine; Russia", status="cancelled"),
    event("Budapest Memorandum", "1994-12-05", actors="Ukraine; Russia; United States", kind="agreement"),
    event("Moscow trip", "2025-12-01", actors="Steve Witkoff; Russia", kind="travel", status="proposed"),
)


def titles(view: View, data: pd.DataFrame = EVENTS) -> set[str]:
    return set(apply(data, view, MEMBERS)["title"])


@pytest.mark.parametrize(
    "view, expected",
    [
        pytest.param(View(), set(EVENTS["title"]), id="no filter"),
        pytest.param(View(actors=("Volodymyr Zelensky",)), {"Zelensky address"}, id="official"),
        pytest.param(View(actors=("Ukraine",)),
                     {"Geneva talks", "Zelensky address", "Thanksgiving deadline", "Istanbul round",
                      "Budapest Memorandum"}, id="state includes its officials"),
        pytest.param(View(actors=("United States",)),
                     {"Geneva talks", "Miami meeting", "Plan drafted", "Abu Dhabi talks", "Budapest Memorandum",
                      "Moscow trip"}, id="members expansion"),
        pytest.param(View(actors=("Steve Witkoff",)),
                     {"Geneva talks", "Miami meeting", "Plan drafted", "Moscow trip"},
                     id="official does not pull in the state's events"),
        pytest.param(View(actors=("Volodymyr Zelensky", "Kirill Dmitriev")),
                     {"Zelensky address", "Miami meeting", "Plan drafted"}, id="any"),
        pytest.param(View(actors=("Ukraine", "United States"), match="all"),
                     {"Geneva talks", "Budapest Memorandum"}, id="all, via members"),
        pytest.param(View(actors=("Russia", "United States"), match="all"),
                     {"Miami meeting", "Plan drafted", "Abu Dhabi talks", "Budapest Memorandum", "Moscow trip"},
                     id="all, official of one and state of other"),
        pytest.param(View(actors=("Steve Witkoff", "Rustem Umerov"), match="all"), {"Geneva talks"},
                     id="all officials"),
        pytest.param(View(actors=("Ukraine", "Nobody"), match="all"), set(), id="all with an unknown actor"),
        pytest.param(View(actors=("Nobody",)), set(), id="unknown actor"),
        pytest.param(View(kinds=("meeting", "proposal")), {"Miami meeting", "Plan drafted"}, id="kinds"),
        pytest.param(View(statuses=("planned", "proposed")), {"Thanksgiving deadline", "Moscow trip"}, id="statuses"),
        pytest.param(View(statuses=("cancelled",), actors=("Russia",)), {"Istanbul round"}, id="status and actor"),
        pytest.param(View(date_from=date(2025, 11, 24)),
                     {"Thanksgiving deadline", "Abu Dhabi talks", "Moscow trip"}, id="from"),
        pytest.param(View(date_from=date(2025, 11, 25), date_to=date(2025, 11, 26)),
                     {"Abu Dhabi talks"}, id="range event overlapping at its end"),
        pytest.param(View(date_to=date(2025, 10, 5), date_from=date(2025, 9, 1)),
                     {"Plan drafted"}, id="month precision overlapping at its start"),
        pytest.param(View(date_from=date(2025, 10, 31), date_to=date(2025, 11, 12)),
                     {"Plan drafted", "Istanbul round"}, id="month precision overlapping at its end"),
        pytest.param(View(date_from=date(2025, 11, 1), date_to=date(2025, 11, 11)), set(),
                     id="month precision outside"),
        pytest.param(View(date_to=date(1995, 1, 1)), {"Budapest Memorandum"}, id="to"),
        pytest.param(View(search="GENEVA"), {"Geneva talks"}, id="search title, case-insensitive"),
        pytest.param(View(search="19-point"), {"Geneva talks"}, id="search notes"),
        pytest.param(View(search="dmitriev"), {"Miami meeting", "Plan drafted"}, id="search actors"),
        pytest.param(View(search="talks"), {"Geneva talks", "Abu Dhabi talks"}, id="search several"),
        pytest.param(View(search="talksrefined"), set(), id="search does not join fields"),
        pytest.param(View(search="(nov"), set(), id="search is not a regex"),
        pytest.param(View(search="talks", actors=("Russia",)), {"Abu Dhabi talks"}, id="search and actor"),
    ],
)
def test_filter_rules(view, expected):
    assert titles(view) == expected


def test_apply_keeps_frame_order_and_columns():
    kept = apply(EVENTS, View(actors=("Ukraine",)), MEMBERS)
    assert list(kept.columns) == list(EVENTS.columns)
    assert kept["start"].is_monotonic_increasing
    assert kept.index.isin(EVENTS.index).all()


def test_search_with_non_ascii_lowercasing():
    data = frame(event("İstanbul talks", "2025-11-01"), event("Kyiv talks", "2025-11-02", notes="ДЕЛЕГАЦИЯ"))
    assert titles(View(search="делегация"), data) == {"Kyiv talks"}
    assert titles(View(search="kyiv"), data) == {"Kyiv talks"}


def test_empty_frame():
    empty = EVENTS.iloc[0:0].copy()
    assert apply(empty, View(actors=("Ukraine",), search="x"), MEMBERS).empty
    assert actor_counts(empty) == []


# ---------------------------------------------------------------- the View and its query string


def test_view_normalises():
    view = View(actors=[" Ukraine", "Ukraine", ""], kinds=["meeting", "talks", "meeting"],
                statuses=("planned",), date_from=date(2025, 12, 1), date_to=pd.Timestamp("2025-11-01"),
                search="  geneva ", window=(date(2025, 11, 30), date(2025, 11, 1)))
    assert view.actors == ("Ukraine",)
    assert view.kinds == ("talks", "meeting")  # vocabulary order, as in the menus
    assert (view.date_from, view.date_to) == (date(2025, 11, 1), date(2025, 12, 1))
    assert view.search == "geneva"
    assert view.window == (date(2025, 11, 1), date(2025, 11, 30))
    assert View(kinds=("talks", "meeting")) == View(kinds=("meeting", "talks"))


@pytest.mark.parametrize("kwargs", [dict(kinds=("chat",)), dict(statuses=("done",)), dict(match="some"),
                                    dict(lanes="rows")])
def test_view_rejects_bad_vocabulary(kwargs):
    with pytest.raises(ValueError):
        View(**kwargs)


def test_from_query_full_example():
    view = View.from_query("?actor=Ukraine&actor=Steve+Witkoff&kind=talks&from=2025-11-01&to=2025-11-30"
                           "&status=planned&q=geneva&match=all&lanes=kinds&window=2025-11-01..2025-11-30")
    assert view == View(actors=("Ukraine", "Steve Witkoff"), match="all", kinds=("talks",),
                        statuses=("planned",), date_from=date(2025, 11, 1), date_to=date(2025, 11, 30),
                        search="geneva", lanes="kinds", window=(date(2025, 11, 1), date(2025, 11, 30)))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", View()),
        ("?", View()),
        ("actor=Ukraine", View(actors=("Ukraine",))),
        ("?view=report&utm_source=x", View()),
        ("from=2025-13-01&to=yesterday", View()),
        ("from=2025-11-01T10:00", View(date_from=date(2025, 11, 1))),
        ("lanes=sideways&match=most", View()),
        ("kind=talks&kind=chat&status=done&status=planned", View(kinds=("talks",), statuses=("planned",))),
        ("window=2025-11-01", View()),
        ("window=2025-11-01..soon", View()),
        ("window=2025-11-30..2025-11-01", View(window=(date(2025, 11, 1), date(2025, 11, 30)))),
        ("actor=&actor=+&q=+", View()),
        ("actor=A%26B&q=50%25", View(actors=("A&B",), search="50%")),
    ],
)
def test_from_query_is_lenient(query, expected):
    assert View.from_query(query) == expected


def test_with_window():
    view = View(actors=("Ukraine",))
    zoomed = view.with_window(("2025-11-30", date(2025, 11, 1)))
    assert zoomed == View(actors=("Ukraine",), window=(date(2025, 11, 1), date(2025, 11, 30)))
    assert zoomed.with_window(None) == view


def test_from_query_accepts_parsed_mappings():
    assert View.from_query({"actor": ["Ukraine", "Russia"], "kind": "talks", "from": ["2025-11-01"]}) == View(
        actors=("Ukraine", "Russia"), kinds=("talks",), date_from=date(2025, 11, 1))


def test_to_query_is_canonical():
    assert View().to_query() == ""
    view = View(actors=("Ukraine", "Steve Witkoff"), kinds=("talks",), date_from=date(2025, 11, 1))
    assert view.to_query() == "?actor=Ukraine&actor=Steve+Witkoff&kind=talks&from=2025-11-01"
    assert View(lanes="kinds", window=(date(2025, 11, 1), date(2025, 11, 30))).to_query() == (
        "?lanes=kinds&window=2025-11-01..2025-11-30")


@pytest.mark.parametrize(
    "view",
    [
        View(),
        View(actors=("Ukraine",)),
        View(actors=("Steve Witkoff", "Ukraine"), match="all"),
        View(actors=("A&B=C", "x+y", "50% off", "Ševčenko", "a..b", "?#")),
        View(kinds=tuple(filters.KINDS), statuses=tuple(filters.STATUSES)),
        View(date_from=date(1991, 8, 24)),
        View(date_to=date(2025, 11, 27), search="Thanksgiving & co <b>"),
        View(lanes="kinds", window=(date(2025, 11, 1), date(2025, 11, 1))),
        View(order="newest"),
        View(actors=("Ukraine",), order="oldest"),
    ],
)
def test_query_round_trip(view):
    assert View.from_query(view.to_query()) == view
    assert View.from_query(view.to_query().lstrip("?")) == view


def test_query_round_trip_random_views():
    rng = random.Random(20251124)
    alphabet = "abcXYZ &=+%?#/.;é ü'\"<>"
    names = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(40)]
    day = lambda: date(1991, 1, 1) + pd.Timedelta(days=rng.randint(0, 13000))  # noqa: E731
    for _ in range(500):
        view = View(
            actors=rng.sample(names, rng.randint(0, 4)),
            match=rng.choice(filters.MATCHES),
            kinds=rng.sample(filters.KINDS, rng.randint(0, 3)),
            statuses=rng.sample(filters.STATUSES, rng.randint(0, 2)),
            date_from=rng.choice([None, day()]),
            date_to=rng.choice([None, day()]),
            search=rng.choice(["", *names]),
            lanes=rng.choice(filters.LANES),
            window=rng.choice([None, (day(), day())]),
        )
        assert View.from_query(view.to_query()) == view, view


# ---------------------------------------------------------------- counts, descriptions, names


def test_actor_counts_most_active_first_ties_by_name():
    counts = actor_counts(EVENTS)
    assert counts[:2] == [("Russia", 4), ("Steve Witkoff", 4)]
    assert dict(counts)["Volodymyr Zelensky"] == 1
    assert [c for _, c in counts] == sorted((c for _, c in counts), reverse=True)
    tied = [n for n, c in counts if c == 1]
    assert tied == sorted(tied)


@pytest.mark.parametrize(
    "view, as_of, text",
    [
        (View(), None, "All events"),
        (View(), date(2025, 11, 24), "All events · as of 24 Nov 2025"),
        (View(actors=("Ukraine", "Steve Witkoff"), kinds=("talks",), date_from=date(2025, 11, 1)),
         pd.Timestamp("2025-11-24"),
         "Actors: Ukraine, Steve Witkoff · Kinds: talks · From 1 Nov 2025 · as of 24 Nov 2025"),
        (View(actors=("Ukraine", "Russia"), match="all", statuses=("planned",),
              date_from=date(2025, 11, 1), date_to=date(2025, 11, 30), search="geneva"), None,
         "Actors (all of): Ukraine, Russia · Status: planned · 1 Nov 2025 – 30 Nov 2025 · Search: “geneva”"),
        (View(date_to=date(1994, 12, 5)), None, "Until 5 Dec 1994"),
    ],
)
def test_describe(view, as_of, text):
    assert describe(view, as_of) == text


@pytest.mark.parametrize(
    "view, as_of, name",
    [
        (View(actors=("Ukraine", "Steve Witkoff"), kinds=("talks",)), date(2025, 11, 24),
         "timeline-ukraine-steve-witkoff-talks-2025-11-24"),
        (View(), None, "timeline"),
        (View(actors=("Ševčenko / Kyiv",), search="50% <b>"), pd.Timestamp("2025-11-24"),
         "timeline-sevcenko-kyiv-50-b-2025-11-24"),
    ],
)
def test_slug(view, as_of, name):
    assert slug(view, as_of) == name


def test_slug_is_bounded():
    name = slug(View(actors=tuple(f"Official number {i}" for i in range(30))), date(2025, 11, 24))
    assert len(name) <= 80 and name.endswith("-2025-11-24") and "--" not in name


# ---------------------------------------------------------------- the index cache and speed


def test_index_is_cached_per_frame_object_and_released_with_it():
    data = EVENTS.copy()
    assert filters.index_for(data) is filters.index_for(data)
    assert filters.index_for(data.copy()) is not filters.index_for(data)
    del data
    gc.collect()
    alive = EVENTS.copy()
    filters.index_for(alive)  # a new index prunes the entries of dead frames
    assert all(ref() is not None for ref, _ in filters._INDEXES.values())


def test_filtering_100k_events_selects_exactly_the_matches():
    # Speed is measured by benchmarks/figure_speed.py, never asserted here.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synthetic import members, synthetic_frame

    data, groups = synthetic_frame(100_000), members()
    view = View(actors=("State 01", "State 02"), match="all", kinds=("talks", "meeting"))
    kept = apply(data, view, groups)
    assert len(kept) and np.isin(kept["kind"], ["talks", "meeting"]).all()
    for actors in kept["actors"]:
        for state in view.actors:
            assert state in actors or set(actors) & set(groups.get(state, ()))




ALIASES = {"zelenskyy": "Volodymyr Zelensky", "zelensky": "Volodymyr Zelensky",
           "volodymyr zelensky": "Volodymyr Zelensky", "us": "United States", "united states": "United States"}


@pytest.mark.parametrize("typed, canonical, unknown", [
    (("Zelenskyy",), ("Volodymyr Zelensky",), []),
    (("U.S.", "zelensky"), ("United States", "Volodymyr Zelensky"), []),
    (("Volodymyr Zelensky",), ("Volodymyr Zelensky",), []),
    (("Nobody", "US"), ("United States",), ["Nobody"]),
    ((), (), []),
], ids=["alias", "dots-and-case", "canonical", "unknown-dropped-and-reported", "none"])
def test_resolve_actors_maps_spellings_to_canonical_names(typed, canonical, unknown):
    view, missing = filters.resolve_actors(View(actors=typed, kinds=("talks",)), ALIASES)
    assert view.actors == canonical and missing == unknown
    assert view.kinds == ("talks",)  # the rest of the view is untouched


def _naive_search(data: pd.DataFrame, needle: str) -> np.ndarray:
    """What a search means, one event at a time: the needle in a field or in an actor's name, in any case."""
    needle = needle.lower()
    return np.array([any(needle in str(value).lower() for value in (title, notes, place, *actors))
                     for title, notes, place, actors in zip(data["title"], data["notes"], data["location"],
                                                            data["actors"])], dtype=bool)


def test_search_finds_exactly_the_events_holding_the_text_in_any_field_or_case(monkeypatch):
    # Blocks of 7 values, so matches fall at block edges; a letter that lower-cases to two
    # ("İ"), an emoji and Greek final sigma each change how a block's text is laid out.
    monkeypatch.setattr(filters.SearchText, "BLOCK", 7)
    rng = random.Random(3)
    words = ["Geneva", "İstanbul", "ΟΔΟΣ", "peace 🕊 plan", "Київ", "talks", "", "x\ny", "Straße", "a\x00b"]
    data = frame(*[
        event(f"{rng.choice(words)} {i}", "2025-11-20", actors="; ".join(rng.sample(["Ukraine", "Russia", "Zoë"], 2)),
              location=rng.choice(words), notes=rng.choice(words[:4]))
        for i in range(60)
    ])
    for needle in ["geneva", "GENEVA", "i̇stanbul", "İstanbul", "οδος", "ΟΔΟΣ", "🕊", "київ", "zoë", "ukraine; r",
                   "x\ny", "strasse", "straße", "1", " 1", "e", "\x00", "a\x00", "\x00b", "b\x00", "nothing"]:
        view = View(search=needle)  # as the page reads it: trimmed
        assert (filters.matches(data, view) == _naive_search(data, view.search)).all(), needle


def test_a_selection_is_computed_once_and_shared_read_only():
    data = EVENTS.copy()
    view = View(actors=("Ukraine",), kinds=("talks", "statement"))
    first = filters.matches(data, view, MEMBERS)
    # Rows and zoom are not filters: the page's next view finds the same selection.
    assert filters.matches(data, replace(view, lanes="kinds", window=(date(2025, 1, 1), date(2025, 2, 1))),
                           MEMBERS) is first
    with pytest.raises(ValueError):
        first[0] = not first[0]
    assert set(data["title"][first]) == {"Geneva talks", "Zelensky address", "Istanbul round"}
    # The same names with other members are another selection.
    assert set(data["title"][filters.matches(data, view, {})]) == {"Istanbul round"}


def test_the_list_order_is_in_the_address_and_never_a_filter():
    assert View(order="newest").to_query() == "?order=newest"
    assert View.from_query("order=newest&q=Geneva") == View(search="Geneva", order="newest")
    assert View.from_query("order=sideways").order == ""  # a typed link falls back to the page's choice
    with pytest.raises(ValueError):
        View(order="sideways")
    assert describe(View(order="newest")) == describe(View())
    assert slug(View(order="newest")) == slug(View())
