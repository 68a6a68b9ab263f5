"""Thousands of mutated files through check and add: problems come back, never an exception.

Bounded: a fixed seed and a fixed number of files, one loader whose caches keep
the unchanged rows cheap. How long the slowest case takes is printed by
``benchmarks/hostile_check.py --fuzz``, not asserted here.
"""

from __future__ import annotations

import random

import pytest
from fuzzfiles import cases, mutate

from timeline.actors import ActorBook, load_actors
from timeline.append import AddError, plan_add
from timeline.events import EventLoader
from timeline.problems import Problem

FILES = 2_000


@pytest.mark.parametrize("seed", [10, 11])
def test_mutated_files_give_problems_not_exceptions(seed):
    loaders: dict[bytes, EventLoader] = {}
    for events, actors in cases(FILES // 2, seed):
        loader = loaders.setdefault(actors, EventLoader(load_actors(actors)[0]))
        dataset, problems = loader.check(events, "events.csv")
        assert all(isinstance(p, Problem) and p.file in ("events.csv", "<input>") for p in problems)
        assert all(p.line is None or 1 <= p.line <= events.count(b"\n") + events.count(b"\r") + 1 for p in problems)
        assert dataset is not None or any(not p.warning for p in problems)
        if dataset is not None:
            assert set(dataset.frame["id"]) <= set(range(2, events.count(b"\n") + events.count(b"\r") + 2))


def test_adds_to_mutated_files_are_written_or_refused():
    rng = random.Random(12)
    loader = EventLoader(ActorBook())
    values = {"date": "2025-11-28", "title": "Fuzzed add", "actors": "Ukraine"}
    for events, _ in cases(200, 13):
        row = {column: mutate(value.encode(), rng).decode("utf-8", "replace") for column, value in values.items()}
        try:
            plan = plan_add(events, row, name="events.csv", loader=loader)
        except AddError as error:
            assert error.lines()
            continue
        assert plan.content.startswith(events)
