"""Actor names: aliases merged into one canonical name, and who acts for which state or body.

The book is a small CSV that editors keep next to events.csv (``actors.csv``)::

    name,aliases,member_of
    Volodymyr Zelensky,Zelenskyy; Zelensky; President Zelensky,Ukraine
    United States,U.S.; US; USA,
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .csvfile import read_table
from .problems import Problem
from .schema import ACTOR_SEPARATOR

COLUMNS = ("name", "aliases", "member_of")
# Two folded names at least this similar (rapidfuzz's ratio, 0-100) are one name spelled two ways.
LOOKALIKE_SCORE = 85
# Names compared at once: bounds the score matrix's memory (rows x every name x 4 bytes).
_BLOCK = 256


def fold(name: str) -> str:
    """The key two spellings of one name share: "U.S." and "us", "Zelensky " and "zelensky"."""
    # str.split() splits on exactly what \s matches, and is what a million titles can afford.
    return " ".join(name.replace(".", "").casefold().split())


def actor_pairs(lists: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The (event, actor) pairs of a column of actor tuples: how many actors each event has,
    every event's actors one after another as codes, and the names the codes stand for, in
    the order they first appear. A million events share a few thousand distinct tuples: each
    is read once, and the pairs are gathered from them with numpy."""
    which, distinct = pd.factorize(lists)
    code_of: dict[str, int] = {}
    listed = [[code_of.setdefault(name, len(code_of)) for name in names] for names in distinct]
    sizes = np.fromiter(map(len, listed), dtype=np.int64, count=len(listed))
    flat = np.fromiter(chain.from_iterable(listed), dtype=np.int32, count=int(sizes.sum()))
    counts = sizes[which]
    # Pair i of event e is item (i - e's first pair) of e's tuple, which starts at its offset in ``flat``.
    shift = (np.cumsum(counts) - counts) - (np.cumsum(sizes) - sizes)[which]
    codes = flat[np.arange(int(counts.sum())) - np.repeat(shift, counts)]
    return counts, codes, list(code_of)


def tidy(name: str) -> str:
    return " ".join(name.split())


def split_names(cell: str) -> list[str]:
    names: list[str] = []
    for part in cell.split(ACTOR_SEPARATOR):
        name = tidy(part)
        if name and name not in names:
            names.append(name)
    return names


@dataclass
class ActorBook:
    """Canonical names, their aliases, and the state or body each actor belongs to."""

    by_key: dict[str, str] = field(default_factory=dict)  # folded alias or name -> canonical
    parent: dict[str, str] = field(default_factory=dict)  # canonical -> canonical state/body
    source: str | None = None

    def canonical(self, name: str) -> str:
        return self.by_key.get(fold(name), tidy(name))

    def known(self, name: str) -> bool:
        return fold(name) in self.by_key

    @property
    def names(self) -> set[str]:
        return set(self.by_key.values())

    def members(self) -> dict[str, frozenset[str]]:
        """Each state or body -> every actor below it, at any depth."""
        below: dict[str, set[str]] = {}
        for actor in self.parent:
            seen = set()
            up = self.parent.get(actor)
            while up and up not in seen and up != actor:
                seen.add(up)
                below.setdefault(up, set()).add(actor)
                up = self.parent.get(up)
        return {group: frozenset(names) for group, names in below.items()}

    def lookalike(self, name: str, others) -> str | None:
        """A different known or seen name that ``name`` differs from only by spelling."""
        return self.lookalikes([name], others).get(name)

    def lookalikes(self, names, others) -> dict[str, str]:
        """For each of ``names``, a different known or seen name (in ``others``) it differs from only
        by spelling; names with none are left out.

        One pass of rapidfuzz's score matrix over every name, remembered per set of names: a
        file naming thousands of actors is checked in well under a second, and an append that
        brings no new actor costs nothing.
        """
        found = _lookalikes(tuple(dict.fromkeys(names)), tuple(dict.fromkeys(others)),
                            tuple(sorted(self.by_key.items())))
        return dict(found)

    def fingerprint(self):
        return (tuple(sorted(self.by_key.items())), tuple(sorted(self.parent.items())))


@lru_cache(maxsize=16)
def _lookalikes(names: tuple[str, ...], others: tuple[str, ...],
                book: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    found: dict[str, str] = {}
    by_key: dict[str, list[str]] = {}
    for other in others:
        by_key.setdefault(fold(other), []).append(other)
    rest = []
    for name in names:
        same = sorted(other for other in by_key.get(fold(name), ()) if other != name)
        if same:
            found[name] = same[0]
        else:
            rest.append(name)
    # Every spelling that may be matched, by folded key; the book's spelling wins a shared key.
    keys = {key: spellings[-1] for key, spellings in by_key.items()}
    keys.update(book)
    choices = list(keys)
    owners = [keys[key] for key in choices]
    if not rest or not choices:
        return tuple(found.items())
    queries = [fold(name) for name in rest]
    # Ties go to the greater key, as difflib.get_close_matches breaks them.
    order = np.argsort(np.array(choices, dtype=object), kind="stable")[::-1]
    ranked = [choices[i] for i in order]
    ranked_owners = [owners[i] for i in order]
    for start in range(0, len(queries), _BLOCK):
        block = queries[start:start + _BLOCK]
        scores = process.cdist(block, ranked, scorer=fuzz.ratio, score_cutoff=LOOKALIKE_SCORE,
                               dtype=np.float32, workers=-1)
        for row, query in enumerate(block):
            name = rest[start + row]
            line = scores[row]
            # Its own key, and a book entry naming this very actor, are not another spelling.
            for index in np.flatnonzero(line):
                if ranked[index] == query or ranked_owners[index] == name:
                    line[index] = 0
            best = int(np.argmax(line))
            if line[best] >= LOOKALIKE_SCORE:
                found[name] = ranked_owners[best]
    return tuple(found.items())


def load_actors(source) -> tuple[ActorBook, list[Problem]]:
    """Read an actors file; problems are collected, never raised."""
    table, problems = read_table(source)
    book = ActorBook(source=table.name)
    if problems:
        return book, problems
    header = [fold(h) for h in table.header]
    if "name" not in header:
        found = ", ".join(h for h in table.header if h.strip()) or "nothing"
        return book, [Problem(table.name, 1, None, f'missing required column "name" (found: {found})')]
    index = {column: header.index(column) for column in COLUMNS if column in header}
    cell = lambda cells, column: cells[index[column]] if column in index and index[column] < len(cells) else ""  # noqa: E731
    for line, cells in table.rows:
        name = tidy(cell(cells, "name"))
        if not name:
            problems.append(Problem(table.name, line, "name", "is empty"))
            continue
        for spelling in [name, *split_names(cell(cells, "aliases"))]:
            owner = book.by_key.setdefault(fold(spelling), name)
            if owner != name:
                problems.append(
                    Problem(table.name, line, "aliases", f'"{spelling}" already names "{owner}"')
                )
        group = tidy(cell(cells, "member_of"))
        if group:
            book.parent[name] = group
    for actor, group in list(book.parent.items()):
        book.parent[actor] = book.canonical(group)
    return book, problems
