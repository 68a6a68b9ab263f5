"""Titles on the chart: every mark with its title beside it, stacked in rows inside its own lane.

A mark and its title form one box. Boxes are stacked first fit, left to right,
into the rows of their lane (vis-timeline's rule, which needs the fewest rows), so
no two titles overlap, none leaves its lane, and none is cut. On a narrow chart a
title with no room beside its mark wraps onto two lines and takes two rows. When the lanes
need more rows than the chart has, each lane keeps the rows its share allows for
its most important events, and the rest of its events are counted on a last row:
"+3 more", which lists them on hover. Nothing in view is silent.

Pure: pixels in, rows out; the tests check the rules on tables of boxes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations
from typing import NamedTuple

import numpy as np

from .style import text_width

GAP_PX = 8  # between two boxes in a row
LABEL_PAD = 4  # between a mark and its title
BAND_TICK = 3  # a band's title starts this far into the band
CLUSTER_PX = 90  # hidden events farther apart than this get a "+N more" each
MAX_RETRIES = 60  # hidden titles tried again on the counting row


class Item(NamedTuple):
    lane: int
    left: float  # the mark's extent in px
    right: float
    shape: str  # "point" | "bar" | "band"
    text: str  # the title, or "" for a mark whose title is written in another lane
    priority: float  # lower is more important: kept first when rows run out


class Box(NamedTuple):
    x0: float  # what the item occupies in its rows, mark and title
    x1: float
    text_x: float  # where its title is anchored
    anchor: str  # "left" | "right": the side of the title at text_x
    lines: tuple[str, ...] = ()  # the title as written: one line, or two where one does not fit

    @property
    def rows(self) -> int:
        return max(len(self.lines), 1)


class Layout(NamedTuple):
    boxes: list[Box]
    row: np.ndarray  # row of each item inside its lane
    hidden: np.ndarray  # items counted on their lane's last row instead of written
    lane_rows: list[int]  # rows of each lane
    more: list[tuple[int, float, list[int]]]  # (lane, x, items) of each "+N more"


def box_for(item: Item, plot_width: float, font_px: float) -> Box:
    """The mark and its title: the title after the mark if it fits, else before it, else on two
    lines (a narrow chart), and only when even that fails over what is left of the mark."""
    if not item.text:
        x0 = max(item.left, 0.0) if item.shape == "band" else item.left
        x1 = x0 + 2 * BAND_TICK if item.shape == "band" else item.right
        return Box(x0, x1, x0, "left")
    one = (item.text,)
    box = _beside(item, one, plot_width, font_px)
    if box is None:
        two = _halves(item.text)
        box = _beside(item, two, plot_width, font_px) if len(two) == 2 else None
    if box is None:
        width = text_width(item.text, font_px)
        box = Box(min(item.left, plot_width - width), max(item.right, plot_width), plot_width, "right", one)
    return box


def _beside(item: Item, lines: tuple[str, ...], plot_width: float, font_px: float) -> Box | None:
    width = max(text_width(line, font_px) for line in lines)
    if item.shape == "band":  # the title rides on the band, from its start
        start = max(item.left, 0.0) + BAND_TICK
        if start + width <= plot_width:
            return Box(start - BAND_TICK, start + width, start, "left", lines)
        return Box(plot_width - width, plot_width, plot_width, "right", lines) if width <= plot_width else None
    after = max(item.right + LABEL_PAD, 0.0)  # a mark running in from the left is titled at the edge
    if after + width <= plot_width:
        return Box(item.left, after + width, after, "left", lines)
    before = item.left - LABEL_PAD
    if before - width >= 0:
        return Box(before - width, item.right, before, "right", lines)
    return None


def _halves(text: str) -> tuple[str, ...]:
    """The title cut at the space nearest its middle."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return (text,)
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut], text[cut + 1:]


def stack(items: Sequence[Item], n_lanes: int, *, plot_width: float, font_px: float,
          max_rows: int | None = None) -> Layout:
    """Rows for every item, at most ``max_rows`` in all (None: as many as needed)."""
    boxes = [box_for(item, plot_width, font_px) for item in items]
    lanes = np.array([item.lane for item in items], dtype=np.int64)
    row = np.zeros(len(items), dtype=np.int64)
    hidden = np.zeros(len(items), dtype=bool)
    per_lane = [np.flatnonzero(lanes == lane) for lane in range(n_lanes)]
    need = []
    for members in per_lane:
        rows = _first_fit(members, boxes, key=lambda i: (boxes[i].x0, boxes[i].x1))
        row[members] = [rows[i] for i in members]
        need.append(max((rows[i] + boxes[i].rows for i in members), default=0))
    need = [max(n, 1) for n in need]
    caps = need if max_rows is None or sum(need) <= max_rows else _share(need, max_rows)
    more = []
    for lane, (members, cap) in enumerate(zip(per_lane, caps)):
        if need[lane] <= cap:
            continue
        # Most important first, into the rows above the counting row.
        order = sorted(members.tolist(), key=lambda i: (items[i].priority, boxes[i].x0))
        rows = _first_fit(order, boxes, key=None, limit=cap - 1)
        for i in members:
            if i in rows:
                row[i] = rows[i]
            else:
                row[i], hidden[i] = cap - 1, True
        # The counting row writes what it can, as long as every count still has its room.
        last: list[int] = []
        for i in [i for i in order if hidden[i] and boxes[i].rows == 1][:MAX_RETRIES]:
            rest = [j for j in members if hidden[j] and j != i]
            taken = [boxes[j] for j in last] + [boxes[i]] + _count_boxes(rest, items, plot_width, font_px)
            if all(a.x1 + GAP_PX <= b.x0 or b.x1 + GAP_PX <= a.x0 for a, b in combinations(taken, 2)):
                last.append(i)
                hidden[i] = False
        more += [(lane, x, group) for x, group in _clusters([i for i in members if hidden[i]], items)]
    return Layout(boxes, row, hidden, list(caps), more)


def _first_fit(members, boxes, *, key, limit: int | None = None) -> dict[int, int]:
    """Each item in the first row (or pair of rows, for a two-line title) where its box is free;
    with ``key``, items go left to right (then a row's right end is all there is to check),
    else in the given order, at most ``limit`` rows."""
    rows: dict[int, int] = {}
    if key is not None:
        ends: list[float] = []
        for i in sorted(members, key=key):
            box = boxes[i]
            r = 0
            while not all(end + GAP_PX <= box.x0 for end in ends[r:r + box.rows]):
                r += 1
            ends += [-math.inf] * (r + box.rows - len(ends))
            ends[r:r + box.rows] = [box.x1] * box.rows
            rows[i] = r
        return rows
    taken: list[list[tuple[float, float]]] = []
    for i in members:
        box = boxes[i]
        r = 0
        while limit is None or r + box.rows <= limit:
            taken += [[] for _ in range(r + box.rows - len(taken))]
            if all(box.x1 + GAP_PX <= a or b + GAP_PX <= box.x0 for row in taken[r:r + box.rows] for a, b in row):
                for row in taken[r:r + box.rows]:
                    row.append((box.x0, box.x1))
                rows[i] = r
                break
            r += 1
    return rows


def _share(need: list[int], total: int) -> list[int]:
    """Rows per lane within ``total``: every lane at least two (a row and its count) or what it
    needs, then one row at a time to the lane that lacks the most, relative to its need."""
    caps = [min(n, 2) for n in need]
    while sum(caps) < total:
        lacking = [(caps[i] / need[i], -need[i], i) for i in range(len(need)) if caps[i] < need[i]]
        if not lacking:
            break
        caps[min(lacking)[2]] += 1
    return caps


def count_text(n: int) -> str:
    return f"+{n} more"


def count_box(x: float, first_left: float, n: int, plot_width: float, font_px: float) -> Box:
    """Where a "+N more" goes: after its group's marks, or before them at the chart's right edge."""
    width = text_width(count_text(n), font_px, bold=True) + 4
    if x + LABEL_PAD + width <= plot_width:
        return Box(first_left, x + LABEL_PAD + width, x + LABEL_PAD, "left")
    end = max(first_left - LABEL_PAD, width)
    return Box(end - width, x, end, "right")


def _count_boxes(hidden: list[int], items: Sequence[Item], plot_width: float, font_px: float) -> list[Box]:
    return [count_box(x, min(max(items[i].left, 0.0) for i in group), len(group), plot_width, font_px)
            for x, group in _clusters(hidden, items)]


def _clusters(hidden: list[int], items: Sequence[Item]) -> list[tuple[float, list[int]]]:
    """Hidden events of one lane, grouped where they sit close: (right end of the group's marks, items).
    A band counts by its start, where its title would have begun."""
    mark_end = lambda i: max(items[i].left, 0.0) + 2 * BAND_TICK if items[i].shape == "band" else items[i].right  # noqa: E731
    groups: list[tuple[float, list[int]]] = []
    for i in sorted(hidden, key=lambda i: items[i].left):
        if groups and items[i].left - groups[-1][0] <= CLUSTER_PX:
            end, members = groups[-1]
            groups[-1] = (max(end, mark_end(i)), members + [i])
        else:
            groups.append((mark_end(i), [i]))
    return groups
