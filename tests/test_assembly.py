"""The checks across rows (timeline/assembly.py): the same event twice, and where actors first appear."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from timeline.actors import fold
from timeline.assembly import _first_of_each, _first_of_same, first_appearances
from timeline.columns import categorical, strings

TITLES = ["Talks in Geneva", "talks in  geneva", "Talks in Geneva.", "Straße deal", "STRASSE DEAL", "Київ", "КИЇВ",
          "other"]


def brute_first_of_same(titles, starts, ends, lines):
    first: dict = {}
    for title, start, end, line in sorted(zip(titles, starts.tolist(), ends.tolist(), lines.tolist()),
                                          key=lambda row: row[3]):
        first.setdefault((fold(title), start, end), line)
    return [first[(fold(t), s, e)] for t, s, e in zip(titles, starts.tolist(), ends.tolist())]


@pytest.mark.parametrize("sorted_by_start", [True, False], ids=["rows by start", "rows in any order"])
@pytest.mark.parametrize("make", [strings, lambda v: categorical(*pd.factorize(np.array(v, dtype=object)))],
                         ids=["arrow", "codes"])
def test_each_row_names_the_first_line_with_its_folded_title_and_dates(sorted_by_start, make):
    rng = random.Random(7)
    count = 400
    titles = [rng.choice(TITLES) for _ in range(count)]
    starts = np.array([f"2025-01-0{rng.randint(1, 3)}" for _ in range(count)], dtype="datetime64[ns]")
    ends = starts + np.array([rng.choice([0, 0, 1]) for _ in range(count)], dtype="timedelta64[D]")
    lines = np.array(rng.sample(range(2, 10 * count), count), dtype=np.int64)
    if sorted_by_start:  # as Rows holds them: by start, then line
        order = np.lexsort((lines, starts.view(np.int64)))
        titles, starts, ends, lines = [titles[i] for i in order], starts[order], ends[order], lines[order]
    got = _first_of_same(make(titles), starts, ends, lines)
    assert got.tolist() == brute_first_of_same(titles, starts, ends, lines)


@pytest.mark.parametrize("keys", ["one for all", "by length"])
def test_titles_whose_keys_collide_are_compared_by_their_folded_text_and_dates(keys):
    """Keys made by the rules (hashes of the folded titles, equal when the folded titles are) that
    collide, all of them or by the folded titles' lengths: rows are still the same event only when
    title and dates fold alike."""
    rng = random.Random(11)
    count = 300
    titles = [rng.choice(TITLES) for _ in range(count)]
    starts = np.array([f"2025-01-0{rng.randint(1, 3)}" for _ in range(count)], dtype="datetime64[ns]")
    ends = starts + np.array([rng.choice([0, 1]) for _ in range(count)], dtype="timedelta64[D]")
    lines = np.array(rng.sample(range(2, 10 * count), count), dtype=np.int64)
    order = np.lexsort((lines, starts.view(np.int64)))
    titles, starts, ends, lines = [titles[i] for i in order], starts[order], ends[order], lines[order]
    made = np.zeros(count, dtype=np.int64) if keys == "one for all" else np.array([len(fold(t)) for t in titles])
    got = _first_of_same(strings(titles), starts, ends, lines, made)
    assert got.tolist() == brute_first_of_same(titles, starts, ends, lines)


def test_first_appearances_and_first_lines_of_codes():
    codes = np.array([3, 1, 3, 0, 1, 5], dtype=np.int16)
    assert first_appearances(codes) == [(3, 0), (1, 1), (0, 3), (5, 5)]
    assert _first_of_each(codes, np.array([9, 4, 2, 7, 3, 1])) == [(5, 1), (3, 2), (1, 3), (0, 7)]
    assert first_appearances(np.zeros(0, dtype=np.int32)) == []
