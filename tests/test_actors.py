"""Actor names: aliases, canonical names, membership (timeline.actors) and their use in events files."""

from __future__ import annotations

import random
import string

import pytest

from timeline.actors import ActorBook, fold, load_actors, split_names
from timeline.events import check_events, load_events

BOOK = (
    "name,aliases,member_of\n"
    "Volodymyr Zelensky,Zelenskyy; President Zelensky,Ukraine\n"
    "Ukraine,,\n"
    "Donald Trump,Trump; President Trump,United States\n"
    "United States,U.S.; USA,NATO\n"
    "Marco Rubio,Rubio,US\n"  # member_of by a spelling of an alias: "US" folds like "U.S."
    "NATO,North Atlantic Treaty Organization,\n"
)
SPELLING = "differs from {other} only by spelling; if they are one actor, use one spelling or list the other as an alias in actors.csv"


def book_from(text: str):
    book, problems = load_actors(text.encode("utf-8"))
    return book, [str(p) for p in problems]


def events_dir(tmp_path, events: str, actors: str | None = None):
    (tmp_path / "events.csv").write_text(events, encoding="utf-8")
    if actors is not None:
        (tmp_path / "actors.csv").write_text(actors, encoding="utf-8")
    return tmp_path / "events.csv"


def check(path, **options):
    dataset, problems = check_events(path, name="events.csv", **options)
    return dataset, [str(p) for p in problems]


# --- names ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name, key",
    [("U.S.", "us"), ("US", "us"), (" Zelensky ", "zelensky"), ("Donald   TRUMP", "donald trump"),
     ("Straße", "strasse"), ("Україна", "україна")],
    ids=["dots", "plain", "padded", "spaces-and-case", "casefold", "cyrillic"],
)
def test_fold(name, key):
    assert fold(name) == key


@pytest.mark.parametrize(
    "cell, names",
    [("US; Ukraine", ["US", "Ukraine"]), ("US;Ukraine", ["US", "Ukraine"]), (" US ;; ;Ukraine; ", ["US", "Ukraine"]),
     ("US; US", ["US"]), ("Donald   Trump", ["Donald Trump"]), ("", []), (" ; ", []),
     ("Trump, Donald", ["Trump, Donald"])],
    ids=["spaced", "tight", "empty-parts", "repeated", "inner-spaces", "blank", "only-separators", "comma-is-not-a-separator"],
)
def test_split_names(cell, names):
    assert split_names(cell) == names


# --- actors.csv ----------------------------------------------------------------------------

def test_aliases_map_to_the_canonical_name():
    book, problems = book_from(BOOK)
    assert problems == []
    for spelling, canonical in [
        ("Zelenskyy", "Volodymyr Zelensky"), ("president zelensky", "Volodymyr Zelensky"),
        ("Volodymyr Zelensky", "Volodymyr Zelensky"), ("U.S.", "United States"), ("us", "United States"),
        ("USA", "United States"), ("Trump", "Donald Trump"), ("Rubio", "Marco Rubio"),
        ("north atlantic treaty organization", "NATO"),
    ]:
        assert book.canonical(spelling) == canonical, spelling
    assert book.canonical("  Keir   Starmer ") == "Keir Starmer"  # unknown: tidied, kept
    assert book.known("zelenskyy") and not book.known("Keir Starmer")


def test_member_of_builds_a_transitive_members_mapping():
    book, _ = book_from(BOOK)
    assert book.members() == {
        "Ukraine": frozenset({"Volodymyr Zelensky"}),
        "United States": frozenset({"Donald Trump", "Marco Rubio"}),
        "NATO": frozenset({"United States", "Donald Trump", "Marco Rubio"}),
    }


def test_member_of_may_name_a_group_by_its_alias():
    book, _ = book_from("name,aliases,member_of\nMarco Rubio,,U.S.\nUnited States,U.S.,\n")
    assert book.members() == {"United States": frozenset({"Marco Rubio"})}


def test_a_membership_cycle_never_makes_a_group_its_own_member():
    book, _ = book_from("name,aliases,member_of\nA,,B\nB,,A\nC,,C\n")
    for group, names in book.members().items():
        assert group not in names, group


def test_columns_in_any_order_and_case_and_member_of_optional():
    book, problems = book_from("Aliases,NAME\nUA,Ukraine\n")
    assert problems == []
    assert book.canonical("ua") == "Ukraine"
    assert book.members() == {}


def test_alias_claimed_by_two_actors_is_an_error():
    _, problems = book_from("name,aliases\nDonald Trump,President\nJoe Biden,President\n")
    assert problems == ['<input>:3: aliases: "President" already names "Donald Trump"']


def test_empty_name_is_an_error():
    _, problems = book_from("name,aliases\nUkraine,UA\n,Kyiv\n")
    assert problems == ["<input>:3: name: is empty"]


def test_actors_file_without_a_name_column():
    _, problems = book_from("who,aliases\nUkraine,UA\n")
    assert problems == ['<input>:1: missing required column "name" (found: who, aliases)']


def test_missing_actors_file(tmp_path):
    _, problems = load_actors(tmp_path / "actors.csv")
    assert [str(p) for p in problems] == [f"{tmp_path / 'actors.csv'}: no such file"]


# --- actors in events files ------------------------------------------------------------------

EVENTS = (
    "date,title,actors\n"
    "2025-11-20,Talks,Zelenskyy; trump; U.S.\n"
    "2025-11-21,Call,Rubio;USA;Keir Starmer\n"
)


def test_actors_file_next_to_the_events_file_is_used(tmp_path):
    dataset = load_events(events_dir(tmp_path, EVENTS, BOOK))
    assert list(dataset.frame["actors"]) == [
        ("Volodymyr Zelensky", "Donald Trump", "United States"),
        ("Marco Rubio", "United States", "Keir Starmer"),
    ]
    assert dataset.members["NATO"] == frozenset({"United States", "Donald Trump", "Marco Rubio"})


def test_without_an_actors_file_names_are_kept_as_written(tmp_path):
    dataset = load_events(events_dir(tmp_path, EVENTS))
    assert list(dataset.frame["actors"]) == [("Zelenskyy", "trump", "U.S."), ("Rubio", "USA", "Keir Starmer")]
    assert dataset.members == {}


def test_explicit_actors_file_wins_over_the_one_next_to_the_events_file(tmp_path):
    other = tmp_path / "elsewhere.csv"
    other.write_text("name,aliases\nPOTUS,Trump\n", encoding="utf-8")
    dataset = load_events(events_dir(tmp_path, EVENTS, BOOK), actors=str(other))
    assert dataset.frame.loc[0, "actors"] == ("Zelenskyy", "POTUS", "U.S.")


def test_actor_book_object_can_be_passed(tmp_path):
    book, _ = book_from(BOOK)
    dataset = load_events(EVENTS.encode("utf-8"), actors=book)
    assert dataset.frame.loc[0, "actors"] == ("Volodymyr Zelensky", "Donald Trump", "United States")


def test_aliases_of_one_actor_in_one_row_count_once(tmp_path):
    dataset = load_events(events_dir(tmp_path, "date,title,actors\n2025-11-20,Talks,US; U.S.; United States; Ukraine\n", BOOK))
    assert dataset.frame.loc[0, "actors"] == ("United States", "Ukraine")


def test_problems_in_the_actors_file_make_the_check_fail(tmp_path):
    path = events_dir(tmp_path, EVENTS, "name,aliases\nA,X\nB,X\n")
    dataset, problems = check(path)
    assert dataset is None
    assert problems == [f'{tmp_path / "actors.csv"}:3: aliases: "X" already names "A"']


# --- spelling look-alikes ----------------------------------------------------------------------

def test_spelling_variant_of_a_name_used_more_often(tmp_path):
    dataset, problems = check(events_dir(
        tmp_path,
        "date,title,actors\n2025-11-20,A,Zelensky\n2025-11-21,B,Zelenskyy\n2025-11-22,C,Zelensky\n",
    ))
    assert dataset is not None
    assert problems == ['events.csv:3: warning: actors: "Zelenskyy" ' + SPELLING.format(other='"Zelensky"')]


def test_spelling_variant_of_a_name_in_the_actors_file(tmp_path):
    dataset, problems = check(events_dir(
        tmp_path, "date,title,actors\n2025-11-20,A,Zelenskiy\n", "name,aliases\nVolodymyr Zelensky,Zelenskyy\n",
    ))
    assert dataset is not None
    assert problems == ['events.csv:2: warning: actors: "Zelenskiy" ' + SPELLING.format(other='"Volodymyr Zelensky"')]


def test_two_equally_used_spellings_are_flagged_once(tmp_path):
    _, problems = check(events_dir(tmp_path, "date,title,actors\n2025-11-20,A,Zelenskyy\n2025-11-21,B,Zelensky\n"))
    assert len(problems) == 1
    assert '"Zelenskyy"' in problems[0] and '"Zelensky"' in problems[0]


def test_known_aliases_are_not_flagged(tmp_path):
    _, problems = check(events_dir(
        tmp_path, "date,title,actors\n2025-11-20,A,Zelenskyy\n2025-11-21,B,Volodymyr Zelensky\n", BOOK,
    ))
    assert problems == []


@pytest.mark.parametrize("first, second", [("US", "U.S."), ("Zelensky", "zelensky"), ("Donald Trump", "Donald  trump")],
                         ids=["dots", "case", "case-and-space"])
def test_spellings_that_fold_to_the_same_key_are_not_silently_two_actors(tmp_path, first, second):
    # Without actors.csv, "US" and "U.S." must not become two actors without a word.
    dataset, problems = check(events_dir(
        tmp_path, f"date,title,actors\n2025-11-20,A,{first}\n2025-11-21,B,{first}\n2025-11-22,C,{second}\n",
    ))
    assert dataset is not None
    merged = len({fold(a) for actors in dataset.frame["actors"] for a in actors}) == len(
        {a for actors in dataset.frame["actors"] for a in actors})
    flagged = any(p.startswith("events.csv:4: warning: actors: ") for p in problems)
    assert merged or flagged, problems


def test_lookalike_ignores_its_own_name():
    book, _ = book_from(BOOK)
    assert book.lookalike("Volodymyr Zelensky", ["Volodymyr Zelensky"]) is None
    assert book.lookalike("Zelenskiy", []) == "Volodymyr Zelensky"
    assert book.lookalike("Keir Starmer", ["Rishi Sunak"]) is None


def test_empty_book():
    book = ActorBook()
    assert book.canonical("U.S.") == "U.S."
    assert book.members() == {}
    assert not book.known("U.S.")


def test_lookalikes_among_thousands_of_actors_are_found_in_one_pass(tmp_path):
    rng = random.Random(5)
    word = lambda n: "".join(rng.choice(string.ascii_lowercase) for _ in range(n)).title()  # noqa: E731
    names = [f"{word(6)} {word(7)}" for _ in range(2_000)] + ["Actor Ofhaland", "Actor Ofhaland", "Actor Ofhalnd"]
    rows = [f"2025-11-{1 + i % 28:02d},E{i},{name}" for i, name in enumerate(names)]
    _, problems = check(events_dir(tmp_path, "date,title,actors\n" + "\n".join(rows) + "\n"))
    spelling = [p for p in problems if "only by spelling" in p]
    assert spelling == ['events.csv:2004: warning: actors: "Actor Ofhalnd" ' + SPELLING.format(other='"Actor Ofhaland"')]


@pytest.mark.parametrize("name, others, expected", [
    ("Zelenskiy", [], "Volodymyr Zelensky"),
    ("Keir Starmer", ["Keir Starmer"], None),
    ("Starmer", ["Keir Starmer", "Starmar"], "Starmar"),
    ("Starmer", ["Starmer", "STARMER"], "STARMER"),
    ("Rishi Sunak", ["Keir Starmer"], None),
], ids=["from-the-book", "own-name-only", "seen-spelling", "same-fold-first", "none"])
def test_lookalikes(name, others, expected):
    book, _ = book_from(BOOK)
    assert book.lookalikes([name], others).get(name) == expected
