"""The date reader's fast paths (an exact ISO day, a text of a template already read from a named
month) give exactly what its readers alone give: same span, precision, warning, error message."""

from __future__ import annotations

import csv
import random
import re
from datetime import date

import pytest

from benchmarks.dates_speed import generate
from tests import test_dates
from timeline.dates import DateError, DateReader


def _strings(value, found: set[str]) -> None:
    if isinstance(value, str):
        found.add(value)
    elif isinstance(value, dict):
        for item in value.items():
            _strings(item, found)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _strings(item, found)


def _table_texts() -> set[str]:
    found: set[str] = set()
    for name, value in vars(test_dates).items():
        if name.isupper():
            _strings(value, found)
    return {text.strip() for text in found if text.strip()}


# Digits that are no day, month or year, or the edge of one, for the same templates.
_EDGES = ["0", "00", "0000", "31", "30", "29", "99", "9999", "1", "12", "13", "2024", "2023", "1000", "0001"]
_AWKWARD = ["31 February 2025", "29 February 2023", "29 February 2024", "0 November 2025", "21 November 0000",
            "Nov 31, 2025", "Nov. 0, 2025", "q3 2025", "Q5 2025", "1st quarter 2025", "early 21 November 2025",
            "21 November 2025 14:00", "21 November 2025, 9 pm", "21-23 November 2025", "2025-02-30", "0000-01-01",
            "2025-13-01", "2025-11-21?", "2025-11-21~", "2025-11", "21 listopada 2025", "٢١ November ٢٠٢٥",
            "21 November 2025 року", "fiscal 2025", "summer 2025", "year 2025", "Christmas 2025", "11/21/2025",
            "2025年11月21日", "2025年13月21日", "21 de noviembre de 2025", "Friday 21 November 2025"]


def _texts(tmp_path) -> list[str]:
    texts: list[str] = []
    for seed in (7, 8):
        path = tmp_path / f"dates_{seed}.csv"
        generate(str(path), 200_000, seed, other_languages=0.2)
        with open(path, encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            next(rows)
            texts.extend(dict.fromkeys(row[0].strip() for row in rows))
    texts.extend(sorted(_table_texts()))
    texts.extend(_AWKWARD)
    # Each template again with awkward digits, after texts of it taught the reader the template.
    rng = random.Random(5)
    for text in dict.fromkeys(re.sub(r"[0-9]", "9", t) for t in list(texts)):
        for _ in range(3):
            texts.append(re.sub(r"[0-9]+", lambda m: rng.choice([e for e in _EDGES if len(e) == len(m[0])]
                                                               or [m[0].replace("9", str(rng.randrange(10)))]),
                                text))
    return list(dict.fromkeys(texts))


def _outcome(reader: DateReader, text: str, language: str | None, order):
    found = reader._classified(text, language, order)
    if isinstance(found, DateError):
        return ("error", str(found))
    return found


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> list[str]:
    return _texts(tmp_path_factory.mktemp("dates_fast"))


@pytest.mark.slow
def test_the_texts_reach_the_fast_paths(texts):
    reader = DateReader()
    for text in texts:
        reader._classified(text, None, None)
    assert len(reader._templates) > 50
    assert ("99 listopada 9999", None, None) in reader._templates


@pytest.mark.slow
@pytest.mark.parametrize("language, order, every", [
    (None, None, 1), (None, "DMY", 1), (None, "MDY", 1),
    ("en", None, 7), ("uk", "DMY", 7), ("de", None, 7), ("fr", "MDY", 7), ("ja", None, 7), ("es", None, 7),
])
def test_fast_reader_gives_what_the_readers_give(texts, language, order, every):
    fast, slow = DateReader(), DateReader()
    slow._fast = False
    differ = []
    for text in texts[::every]:
        expected, got = _outcome(slow, text, language, order), _outcome(fast, text, language, order)
        if got != expected:
            differ.append((text, expected, got))
    assert not differ, differ[:10]


def test_an_iso_day_reads_as_before():
    fast, slow = DateReader(), DateReader()
    slow._fast = False
    for text in ("2025-11-21", "1000-01-01", "0001-01-01", "9999-12-31", "2024-02-29"):
        assert fast._classified(text, None, None) == slow._classified(text, None, None)
        assert fast._classified(text, None, None).start == date.fromisoformat(text)
