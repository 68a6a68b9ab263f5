"""Events files nobody on this project wrote, reproducible from a seed: the shapes real files take.

Each generator writes a valid events CSV (unless it says otherwise) and returns its path:

* ``tweets``: a newsroom's post log, titles of a tweet's length, dozens of accounts;
* ``many_lanes``: a hundred and more lanes, a few events each;
* ``dense_month``: a thousand events in one month, in a handful of lanes;
* ``wide_glyphs``: titles in CJK, Arabic, Cyrillic and emoji, which draw wider than Latin text;
* ``shared_events``: a hundred actors, each event shared by two of them (marks in two lanes);
* ``partly_invalid``: a fifth of the rows broken (no actor, an unreadable date, a bad status).

The tests, the benchmarks and a person looking at screenshots use the same files.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path  # noqa: F401  (the tests build paths from it)

HEADER = ["date", "title", "actors", "kind", "status", "source"]
WORDS = ("talks ceasefire envoy sanctions summit minister proposal delegation border grain corridor frontline "
         "truce negotiators security guarantees territory referendum parliament drone strike energy grid "
         "prisoners exchange humanitarian convoy evacuation reconstruction fund assets frozen Kyiv Moscow "
         "Washington Geneva Brussels Ankara Riyadh Istanbul statement deadline").split()
KINDS = ("talks", "meeting", "statement", "proposal", "deadline", "travel", "military", "sanction")
WIDE = ("和平谈判在日内瓦举行", "停火协议草案", "في جنيف محادثات السلام", "Переговоры в Женеве о мире",
        "🇺🇦 🤝 🇺🇸 talks", "평화 회담", "交渉の期限は感謝祭", "🕊️ ceasefire ✍️ draft")


SYLLABLES = ("ka", "lo", "mir", "ta", "sen", "vo", "ri", "dan", "bel", "us", "gor", "ne", "shi", "pra", "zu", "el")


def names(count: int, prefix: str = "") -> list[str]:
    """Distinct made-up names, far enough apart that the spelling check does not take them for one actor."""
    out = []
    for k in range(count):
        a, b, c = k % 16, (k // 16) % 16, (k * 7 + 3) % 16
        out.append(prefix + (SYLLABLES[a] + SYLLABLES[c] + SYLLABLES[b]).capitalize() + f" {chr(65 + k % 26)}{k // 26}")
    return out


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _write(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _day(rng: random.Random, first: date, days: int) -> str:
    return (first + timedelta(days=rng.randrange(days))).isoformat()


def tweets(path: Path, rows: int = 860, accounts: int = 85, seed: int = 1) -> Path:
    """Posts of about 230 characters from ``accounts`` accounts over four months, a few busy ones."""
    rng = random.Random(seed)
    weights = [1 / (k + 1) for k in range(accounts)]
    handles = names(accounts, "@")
    out = []
    for i in range(rows):
        account = rng.choices(range(accounts), weights)[0]
        handle = handles[account]
        text = _sentence(rng, rng.randint(28, 38))[:225].rstrip() + f" #{i}"
        out.append([_day(rng, date(2022, 2, 24), 120), text, handle,
                    rng.choice(KINDS), "happened", "Post archive"])
    return _write(path, out)


def many_lanes(path: Path, lanes: int = 120, per_lane: int = 3, seed: int = 2) -> Path:
    """``lanes`` actors with ``per_lane`` events each (a few with more), titles of every length."""
    rng = random.Random(seed)
    out, countries = [], names(lanes)
    for lane in range(lanes):
        for _ in range(per_lane + (5 if lane % 17 == 0 else 0)):
            out.append([_day(rng, date(2020, 1, 1), 1800), _sentence(rng, rng.choice([2, 4, 7, 12, 20])),
                        countries[lane], rng.choice(KINDS), "happened", "Visits register"])
    return _write(path, out)


def dense_month(path: Path, rows: int = 1000, lanes: int = 6, seed: int = 3) -> Path:
    """``rows`` events in November 2025, in ``lanes`` lanes."""
    rng = random.Random(seed)
    parties = names(lanes)
    out = [[_day(rng, date(2025, 11, 1), 30), _sentence(rng, rng.randint(2, 9)), rng.choice(parties),
            rng.choice(KINDS), "happened", "Wire"] for _ in range(rows)]
    return _write(path, out)


def wide_glyphs(path: Path, rows: int = 120, lanes: int = 8, seed: int = 4) -> Path:
    """Titles in wide scripts and emoji, some long, in lanes named in the same scripts."""
    rng = random.Random(seed)
    names = ["Україна", "Россия", "中国", "日本", "대한민국", "السعودية", "Türkiye", "🇺🇸 United States"][:lanes]
    out = []
    for _ in range(rows):
        title = " ".join(rng.choice(WIDE) for _ in range(rng.choice([1, 1, 2, 4])))
        out.append([_day(rng, date(2025, 9, 1), 90), title, rng.choice(names), rng.choice(KINDS), "happened", "Wire"])
    return _write(path, out)


def shared_events(path: Path, rows: int = 400, actors: int = 100, seed: int = 6) -> Path:
    """``rows`` events of a year, each between two of ``actors`` actors: every lane holds marks of
    events titled in another lane."""
    rng = random.Random(seed)
    people = names(actors)
    out = [[_day(rng, date(2024, 1, 1), 365), _sentence(rng, rng.randint(2, 8)) + f" {i}",
            "; ".join(rng.sample(people, 2)), rng.choice(KINDS), "happened", "Wire"] for i in range(rows)]
    return _write(path, out)


def partly_invalid(path: Path, rows: int = 500, lanes: int = 20, seed: int = 5) -> tuple[Path, int]:
    """A valid file of ``rows`` rows with a fifth of them broken; returns (path, broken rows)."""
    rng = random.Random(seed)
    out, broken, actors = [], 0, names(lanes)
    for i in range(rows):
        row = [_day(rng, date(2025, 1, 1), 330), _sentence(rng, rng.randint(3, 10)) + f" {i}",
               rng.choice(actors), rng.choice(KINDS), "happened", "Wire"]
        if i % 5 == 4:
            broken += 1
            which = (i // 5) % 3
            if which == 0:
                row[2] = ""
            elif which == 1:
                row[0] = "the day after never"
            else:
                row[4] = "rumoured"
        out.append(row)
    return _write(path, out), broken


ALL = {"tweets": tweets, "many_lanes": many_lanes, "dense_month": dense_month, "wide_glyphs": wide_glyphs,
       "shared_events": shared_events}
