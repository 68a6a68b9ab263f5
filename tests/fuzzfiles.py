"""Mutated events and actors files, reproducible from a seed, for the fuzz tests and the benchmark.

Each file is the real events.csv (or actors.csv) with one to four mutations: bytes
flipped, deleted, repeated or swapped between lines, and pieces that broke
something once inserted anywhere (quotes, separators, line endings, NUL, a BOM,
invalid UTF-8, superscript and Arabic digits, template and HTML text, long runs).
"""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIECES = (
    b'"', b",", b"\n", b"\r", b"\r\n", b'""', b";", b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xc3", b"%{z}",
    b"<b>", b"&#37;", "²".encode(), "٣".encode(), b"7" * 250, b"Sunday", b"next week", b"last month",
    b"2025-13-45", b"0000-00-00", b"99999-01-01", b"1e400", b"Nov. 21, 2025", b"\xe2\x80\x8b", b" ",
    b"happened", b"planned", b"deadline", b"Zelenskyy", b"U.S.", b"javascript:alert(1)", b"-1",
    "二〇二五年十一月".encode(), "ноября 2025".encode(), b"a" * 1100, b"x;" * 300,
)


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data) + 1)
        action = rng.randrange(7)
        if action == 0 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif action == 1:
            data[at:at] = rng.choice(PIECES)
        elif action == 2:
            del data[at:at + rng.randint(1, 80)]
        elif action == 3:
            data[at:at] = data[at:at + rng.randint(1, 200)] * rng.randint(1, 3)
        elif action == 4:
            del data[at:]
        elif action == 5:
            lines = bytes(data).split(b"\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        else:
            cells = bytes(data).split(b",")
            i = rng.randrange(len(cells))
            cells[i] = rng.choice(PIECES)
            data = bytearray(b",".join(cells))
    return bytes(data)


def cases(count: int, seed: int):
    """``count`` (events bytes, actors bytes) pairs; a fifth of them with a mutated actors file."""
    events = (ROOT / "events.csv").read_bytes()
    actors = (ROOT / "actors.csv").read_bytes()
    rng = random.Random(seed)
    for _ in range(count):
        yield mutate(events, rng), mutate(actors, rng) if rng.random() < 0.2 else actors
