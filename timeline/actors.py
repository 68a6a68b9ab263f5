"""Actor names: aliases merged into one canonical name, and who acts for which state or body.

The book is a small CSV that editors keep next to events.csv (``actors.csv``)::

    name,aliases,member_of
    Volodymyr Zelensky,Zelenskyy; Zelensky; President Zelensky,Ukraine
    United States,U.S.; US; USA,
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .csvfile import read_table
from .problems import Problem
from .schema import ACTOR_SEPARATOR

COLUMNS = ("name", "aliases", "member_of")
_SPACE = re.compile(r"\s+")


def fold(name: str) -> str:
    """The key two spellings of one name share: "U.S." and "us", "Zelensky " and "zelensky"."""
    return _SPACE.sub(" ", name.replace(".", "").casefold()).strip()


def tidy(name: str) -> str:
    return _SPACE.sub(" ", name).strip()


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
        key = fold(name)
        same = sorted(other for other in others if other != name and fold(other) == key)
        if same:
            return same[0]
        keys = {fold(other): other for other in others if fold(other) != key}
        keys.update({alias: canonical for alias, canonical in self.by_key.items() if canonical != name})
        keys.pop(key, None)
        close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.85)
        return keys[close[0]] if close else None

    def fingerprint(self):
        return (tuple(sorted(self.by_key.items())), tuple(sorted(self.parent.items())))


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
