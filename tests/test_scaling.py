"""The store read by another engine (docs/scaling.md): DuckDB, given a page's view as SQL over the
store's Parquet entry, selects the same events as the page's own selection (timeline.filters)."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from timeline.events import load_events
from timeline.filters import View, apply, read_view
from timeline.store import MIN_ROWS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from page_speed import write_events  # noqa: E402
from synthetic import synthetic_frame  # noqa: E402

# A state, and every actor under it at any depth (actors.csv's member_of, written by a name or
# one of its aliases), as the page's ActorBook.members() reads them. ``folded`` is actors.fold
# for the names editors write: dots dropped, case and runs of spaces ignored.
MEMBERS = [statement for statement in r"""
CREATE OR REPLACE MACRO folded(s) AS lower(regexp_replace(trim(replace(s, '.', '')), '\s+', ' ', 'g'));
CREATE OR REPLACE TEMP TABLE spelling AS
    SELECT DISTINCT name, folded(spelled) AS spelled FROM (
        SELECT trim(name) AS name, name AS spelled FROM read_csv($book, all_varchar = true, header = true)
        UNION ALL
        SELECT trim(name), unnest(string_split(aliases, ';'))
        FROM read_csv($book, all_varchar = true, header = true) WHERE aliases IS NOT NULL);
CREATE OR REPLACE TEMP TABLE parent AS
    SELECT trim(b.name) AS name, coalesce(s.name, trim(b.member_of)) AS parent
    FROM read_csv($book, all_varchar = true, header = true) AS b
    LEFT JOIN spelling AS s ON s.spelled = folded(b.member_of)
    WHERE trim(coalesce(b.member_of, '')) <> '';
""".split(";\n") if statement.strip()]


def members_table(con, book: Path) -> None:
    """The tables ``folded``, ``spelling`` and ``parent`` of an actors file, in ``con``."""
    for statement in MEMBERS:
        con.execute(statement, {"book": str(book)} if "$book" in statement else None)


def selection_sql(view: View) -> tuple[str, dict]:
    """The events ``view`` selects, as DuckDB SQL over ``read_parquet($entry)`` and its parameters;
    the view's actors as the page resolved them (canonical names, unknown ones left out)."""
    where, params, chosen = [], {}, ""
    if view.actors:
        params["actors"] = list(view.actors)
        chosen = """WITH RECURSIVE below(chosen, name) AS (
            SELECT chosen, chosen FROM unnest($actors) AS t(chosen)
            UNION
            SELECT below.chosen, parent.name FROM below JOIN parent ON parent.parent = below.name
        ), chosen AS (SELECT chosen, list(name) AS names FROM below GROUP BY chosen)
        """
        every = view.match == "all" and len(view.actors) > 1
        where.append(f"(SELECT {'bool_and' if every else 'bool_or'}(list_has_any(e.actors, names)) FROM chosen)")
    if view.kinds:
        params["kinds"] = list(view.kinds)
        where.append("list_contains($kinds, e.kind)")
    if view.statuses:
        params["statuses"] = list(view.statuses)
        where.append("list_contains($statuses, e.status)")
    if view.date_from:
        params["date_from"] = view.date_from
        where.append('e."end" >= $date_from')
    if view.date_to:
        params["date_to"] = view.date_to
        where.append("e.start <= $date_to")
    if view.search:
        params["needle"] = view.search.lower()
        where.append("(" + " OR ".join([
            *(f"contains(lower(coalesce(e.{column}, '')), $needle)" for column in ("title", "notes", "location")),
            "len(list_filter(e.actors, lambda a: contains(lower(a), $needle))) > 0",
        ]) + ")")
    sql = (f"{chosen}SELECT e.id FROM read_parquet($entry) AS e WHERE {' AND '.join(where) or 'true'} "
           "ORDER BY e.start, e.id")
    return sql, params


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A generated file of states and their officials, checked with the store on: its dataset,
    its actors file and the store's Parquet entry of it."""
    folder = tmp_path_factory.mktemp("scaling")
    path = write_events(synthetic_frame(MIN_ROWS + 5_000, seed=3), folder)
    book = folder / "actors.csv"
    # A body above states, named in member_of by its alias in any case: members are found at any depth.
    text = book.read_text(encoding="utf-8").replace("State 03,,\n", "State 03,,Council\n")
    text = text.replace("State 04,,\n", "State 04,,THE COUNCIL\n")
    book.write_text(text + "Council,The Council,\nState 11,,the council\nState 12,,the council\n", encoding="utf-8")
    store = folder / "store"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TIMELINE_CACHE_DIR", str(store))
        dataset = load_events(str(path))
    entries = sorted(store.rglob("*.parquet"))
    assert len(entries) == 1, entries
    return dataset, book, entries[0]


VIEWS = {
    "actor, kinds, period, text": "?actor=State+03&kind=talks&kind=meeting&from=2005-06-15&to=2015-06-15"
                                  "&q=ceasefire",
    "a body over states, at any depth": "?actor=Council&status=planned&status=proposed",
    "every one of two actors": "?actor=Official+02-1&actor=State+07&match=all",
    "text in a place, any case": "?q=GENEVA&from=2024-03-10",
    "text in an actor's name": "?q=official+05-&to=2001-06-30",
    "a name not in the data is left out": "?actor=Nobody&actor=State+05&match=all&kind=summit",
}


@pytest.mark.parametrize("query", VIEWS.values(), ids=VIEWS.keys())
def test_duckdb_on_the_store_selects_what_the_page_does(stored, query):
    dataset, book, entry = stored
    view, _ = read_view(query, dataset.aliases)
    expected = apply(dataset.frame, view, dataset.members)["id"].tolist()
    assert 0 < len(expected) < len(dataset.frame) // 2  # a selection that leaves events on both sides

    sql, params = selection_sql(view)
    with duckdb.connect() as con:
        members_table(con, book)
        got = [row[0] for row in con.execute(sql, {**params, "entry": str(entry)}).fetchall()]
    assert got == expected  # and in the page's order: by start, then line


def test_the_members_duckdb_reads_are_the_pages(stored):
    dataset, book, _ = stored
    with duckdb.connect() as con:
        members_table(con, book)
        below = con.execute("""
            WITH RECURSIVE below(top, name) AS (
                SELECT DISTINCT parent, name FROM parent
                UNION
                SELECT below.top, parent.name FROM below JOIN parent ON parent.parent = below.name)
            SELECT top, list(name ORDER BY name) FROM below GROUP BY top""").fetchall()
    assert {top: set(names) for top, names in below} == {k: set(v) for k, v in dataset.members.items()}
    assert dataset.members["Council"] >= {"State 03", "Official 03-1", "State 04", "State 11"}
