"""Titles on the chart: every mark with its title beside it, stacked in rows inside its own lane.

A mark and its title form one box, measured before anything is placed. A title of
up to about sixty characters is one line; a longer one wraps onto two lines, and
beyond two lines it is shortened at a word with "…" (its hover keeps it whole). A
box never starts left of the plot nor ends right of it: the title goes after its
mark, or before it, or is shortened to the room there is. Boxes are stacked first
fit, left to right, into the rows of their lane (vis-timeline's rule, which needs
the fewest rows), so no two titles overlap and none leaves its lane. When the lanes
need more rows than the chart has, each lane keeps the rows its share allows for
its most important events, and the rest of its events are counted on a last row:
"+3 more", which lists them on hover. The counts are boxes of the same kind, placed
with the titles of that row, so neither lands on the other. Nothing in view is silent.

Pure: pixels in, rows out; the tests check the rules on tables of boxes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations
from typing import NamedTuple

import numpy as np

from .style import chars_within, fit_width, text_width

GAP_PX = 8  # between two boxes in a row
LABEL_PAD = 4  # between a mark and its title
BAND_TICK = 3  # a band's title starts this far into the band
CLUSTER_PX = 90  # hidden events farther apart than this get a "+N more" each
MAX_RETRIES = 60  # hidden titles tried again on the counting row
LINE_EM = 30.0  # a title line's longest: about sixty characters of average text
MIN_ROOM_EM = 6.0  # less room than this beside a mark is no room for a title


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
    lines: tuple[str, ...] = ()  # the title as written: one line or two, shortened with "…" past that
    cut: bool = False  # the title is shortened: its whole text is a hover away

    @property
    def rows(self) -> int:
        return max(len(self.lines), 1)


class Layout(NamedTuple):
    boxes: list[Box]
    row: np.ndarray  # row of each item inside its lane
    hidden: np.ndarray  # items counted on their lane's last row instead of written
    lane_rows: list[int]  # rows of each lane
    more: list[tuple[int, Box, list[int]]]  # (lane, box, items) of each "+N more"
    echo_rows: list[int]  # 1 where a lane's last row holds its marks of events titled in another lane

    def counting_row(self, lane: int) -> int:
        """The row of a lane where its "+N more" boxes stand: its last title row."""
        return self.lane_rows[lane] - 1 - self.echo_rows[lane]


def line_px(font_px: float) -> float:
    return LINE_EM * font_px * 1.04


def title_lines(text: str, max_px: float, font_px: float, max_lines: int = 2) -> tuple[tuple[str, ...], bool]:
    """``text`` in at most ``max_lines`` lines no wider than ``max_px``, and whether it had to be
    shortened. Two lines are balanced (cut at the space nearest the middle) when that fits; a
    word wider than a line (a long address, a script written without spaces) breaks anywhere."""
    text = " ".join(text.split())
    if text_width(text, font_px) <= max_px or max_lines == 1:
        line = fit_width(text, max_px, font_px)
        return (line,), line != text
    halves = _halves(text)
    if len(halves) == 2 and all(text_width(h, font_px) <= max_px for h in halves):
        return halves, False
    lines, rest = [], text
    while rest and len(lines) < max_lines - 1:
        n = max(chars_within(rest, max_px, font_px), 1)
        if n < len(rest):
            space = rest.rfind(" ", 0, n + 1)
            n = space if space > 0 else n
        lines.append(rest[:n].rstrip())
        rest = rest[n:].lstrip()
    if rest:
        last = fit_width(rest, max_px, font_px)
        lines.append(last)
        return tuple(lines), last != rest
    return tuple(lines), False


def box_for(item: Item, plot_width: float, font_px: float) -> Box:
    """The mark and its title, inside [0, plot_width]: the title after the mark if it fits, else
    before it; one line before two, whole before shortened; shortened to the wider side's room
    when the whole title fits neither; over the mark only on a chart too narrow for either."""
    if not item.text:
        x0 = max(item.left, 0.0) if item.shape == "band" else item.left
        x1 = x0 + 2 * BAND_TICK if item.shape == "band" else item.right
        return Box(x0, x1, x0, "left")
    limit = min(line_px(font_px), plot_width)
    least = MIN_ROOM_EM * font_px
    if item.shape == "band":  # the title rides on the band from its start, or ends at the chart's edge
        start = min(max(item.left, 0.0) + BAND_TICK, plot_width)
        sides = [("left", start, plot_width - start), ("right", plot_width, plot_width)]
    else:
        after, before = max(item.right + LABEL_PAD, 0.0), min(item.left - LABEL_PAD, plot_width)
        sides = [("left", after, plot_width - after), ("right", before, before)]
    best = None
    for rank, (anchor, x, room) in enumerate(sides):
        if room < least:
            continue
        lines, cut = title_lines(item.text, min(limit, room), font_px)
        score = (cut, len(lines), rank)
        if best is None or score < best[0]:
            best = (score, anchor, x, lines, cut)
    if best is None:  # too narrow beside the mark: over it, inside the chart
        lines, cut = title_lines(item.text, limit, font_px)
        width = max(text_width(line, font_px) for line in lines)
        x = min(max(item.left, 0.0), plot_width - width)
        return Box(min(x, item.left), max(x + width, item.right), x, "left", lines, cut)
    _, anchor, x, lines, cut = best
    width = max(text_width(line, font_px) for line in lines)
    if item.shape == "band":
        x0 = x - BAND_TICK if anchor == "left" else x - width
        return Box(min(x0, max(item.left, 0.0)), x + width if anchor == "left" else x, x, anchor, lines, cut)
    if anchor == "left":
        return Box(item.left, x + width, x, "left", lines, cut)
    return Box(x - width, item.right, x, "right", lines, cut)


def _squeezed(item: Item, others: Sequence[Box], plot_width: float, font_px: float) -> Box | None:
    """The item's title on one line in the free stretch of its row around its mark (a title too long
    for one line shortened to it); None when another box covers the mark or the stretch is too short."""
    if item.shape == "band":  # a band's title rides on the band: it has its box already
        return None
    left, right = item.left, item.right
    if any(b.x1 + GAP_PX > left and b.x0 - GAP_PX < right for b in others):
        return None
    lo = max([b.x1 + GAP_PX for b in others if b.x1 <= left] + [0.0])
    hi = min([b.x0 - GAP_PX for b in others if b.x0 >= right] + [plot_width])
    after, before = max(right + LABEL_PAD, 0.0), min(left - LABEL_PAD, plot_width)
    limit = line_px(font_px)
    room, anchor = max((hi - after, "left"), (before - lo, "right"))
    if room < MIN_ROOM_EM * font_px:
        return None
    (line,), cut = title_lines(item.text, min(limit, room), font_px, max_lines=1)
    if cut and text_width(item.text, font_px) <= limit:  # a title of one line is written whole or counted
        return None
    width = text_width(line, font_px)
    if anchor == "left":
        return Box(left, after + width, after, "left", (line,), cut)
    return Box(before - width, right, before, "right", (line,), cut)


def _halves(text: str) -> tuple[str, ...]:
    """The title cut at the space nearest its middle."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return (text,)
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut], text[cut + 1:]


def one_line(box: Box, item: Item, plot_width: float, font_px: float) -> Box:
    """A two-line title's box on one line, shortened: what a counting row can hold."""
    if box.rows == 1:
        return box
    if box.anchor == "left":
        room = plot_width - box.text_x
    else:
        room = box.text_x
    line, = title_lines(item.text, min(line_px(font_px), room), font_px, max_lines=1)[0]
    width = text_width(line, font_px)
    if box.anchor == "left":
        return Box(box.x0, box.text_x + width, box.text_x, "left", (line,), True)
    return Box(box.text_x - width, box.x1, box.text_x, "right", (line,), True)


def stack(items: Sequence[Item], n_lanes: int, *, plot_width: float, font_px: float,
          max_rows: int | None = None) -> Layout:
    """Rows for every item, at most ``max_rows`` in all (None: as many as needed).

    Untitled marks (an event's marks in the lanes other than the one carrying its title) take
    no title rows: they sit together on one row at the bottom of their lane, where a reader
    reads them as "also involved" rather than as events missing a title."""
    boxes = [box_for(item, plot_width, font_px) for item in items]
    lanes = np.array([item.lane for item in items], dtype=np.int64)
    titled = np.array([bool(item.text) for item in items], dtype=bool)
    row = np.zeros(len(items), dtype=np.int64)
    hidden = np.zeros(len(items), dtype=bool)
    per_lane = [np.flatnonzero((lanes == lane) & titled) for lane in range(n_lanes)]
    echoes = [np.flatnonzero((lanes == lane) & ~titled) for lane in range(n_lanes)]
    echo_rows = [1 if len(e) else 0 for e in echoes]
    need = []
    for members, echo in zip(per_lane, echo_rows):
        rows = _first_fit(members, boxes, key=lambda i: (boxes[i].x0, boxes[i].x1))
        row[members] = [rows[i] for i in members]
        need.append(max(max((rows[i] + boxes[i].rows for i in members), default=0) + echo, 1))
    caps = need if max_rows is None or sum(need) <= max_rows else _share(need, max_rows, echo_rows)
    more = []
    for lane, (members, cap) in enumerate(zip(per_lane, caps)):
        row[echoes[lane]] = cap - 1
        title_cap = cap - echo_rows[lane]
        if need[lane] <= cap or not len(members):
            continue
        # Most important first, into the rows above the counting row.
        order = sorted(members.tolist(), key=lambda i: (items[i].priority, boxes[i].x0))
        rows = _first_fit(order, boxes, key=None, limit=title_cap - 1,
                          single=lambda i: one_line(boxes[i], items[i], plot_width, font_px))
        for i in members:
            if i in rows:
                row[i] = rows[i]
            else:
                row[i], hidden[i] = title_cap - 1, True
        # The counting row writes what it can (a two-line title shortened to one), as long as
        # every count still has its room.
        last: list[int] = []
        counts = count_boxes([j for j in members if hidden[j]], items, plot_width, font_px)
        for i in [i for i in order if hidden[i]][:MAX_RETRIES]:
            # First against what stays whatever happens to i's own count (cheap), then exactly.
            fixed = [boxes[j] for j in last] + [b for b, group in counts if i not in group]
            single = one_line(boxes[i], items[i], plot_width, font_px)
            if not _apart(fixed + [single]):  # shortened to the gap its mark sits in, if that is room enough
                single = _squeezed(items[i], fixed, plot_width, font_px)
                if single is None:
                    continue
            rest = count_boxes([j for j in members if hidden[j] and j != i], items, plot_width, font_px)
            if _apart([boxes[j] for j in last] + [b for b, _ in rest] + [single]):
                boxes[i] = single
                last.append(i)
                hidden[i] = False
                counts = rest
        more += [(lane, box, group) for box, group in
                 count_boxes([i for i in members if hidden[i]], items, plot_width, font_px)]
    return Layout(boxes, row, hidden, list(caps), more, echo_rows)


def _first_fit(members, boxes, *, key, limit: int | None = None, single=None) -> dict[int, int]:
    """Each item in the first row (or pair of rows, for a two-line title) where its box is free;
    with ``key``, items go left to right (then a row's right end is all there is to check),
    else in the given order, at most ``limit`` rows (``single(i)``: the item's one-line box, tried
    when its own does not fit; ``boxes`` then holds the box that was placed)."""
    rows: dict[int, int] = {}
    if key is not None:
        ends: list[float] = []
        for i in sorted(members, key=key):
            box = boxes[i]
            n, free = box.rows, box.x0 - GAP_PX
            r = 0
            if n == 1:  # the common case, one scan
                r = next((k for k, end in enumerate(ends) if end <= free), len(ends))
            else:
                while not all(end <= free for end in ends[r:r + n]):
                    r += 1
            ends += [-math.inf] * (r + n - len(ends))
            ends[r:r + n] = [box.x1] * n
            rows[i] = r
        return rows
    taken: list[list[tuple[float, float]]] = []
    for i in members:
        # Where rows are short, a two-line title that finds no pair of free rows tries one line.
        tries = (boxes[i],) if single is None or boxes[i].rows == 1 else (boxes[i], None)
        for box in tries:
            box = box or single(i)
            r = _free_row(taken, box, limit)
            if r is not None:
                taken += [[] for _ in range(r + box.rows - len(taken))]
                for row in taken[r:r + box.rows]:
                    row.append((box.x0, box.x1))
                rows[i] = r
                boxes[i] = box
                break
    return rows


def _free_row(taken, box: Box, limit: int | None) -> int | None:
    r = 0
    while limit is None or r + box.rows <= limit:
        if all(box.x1 + GAP_PX <= a or b + GAP_PX <= box.x0 for row in taken[r:r + box.rows] for a, b in row):
            return r
        r += 1
    return None


def _share(need: list[int], total: int, echo_rows: list[int]) -> list[int]:
    """Rows per lane within ``total``: every lane at least two (a row and its count, plus its row
    of marks titled elsewhere) or what it needs, then one row at a time to the lane that lacks
    the most, relative to its need."""
    caps = [min(n, 2 + e) for n, e in zip(need, echo_rows)]
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
    x = min(x, plot_width)  # a bar running out of the window ends, for the count, at the edge
    if x + LABEL_PAD + width <= plot_width:
        return Box(first_left, x + LABEL_PAD + width, x + LABEL_PAD, "left")
    end = max(first_left - LABEL_PAD, width)
    return Box(end - width, max(x, end), end, "right")


def count_boxes(hidden: list[int], items: Sequence[Item], plot_width: float,
                font_px: float) -> list[tuple[Box, list[int]]]:
    """A "+N more" box per group of hidden events, groups merged until no two boxes touch."""
    groups = _clusters(hidden, items)
    while True:
        placed = [(count_box(x, min(_start(items[i]) for i in group), sum(1 for i in group if items[i].text),
                             plot_width, font_px), group)
                  for x, group in groups if any(items[i].text for i in group)]
        clash = next((k for k in range(1, len(placed)) if not _apart([placed[k - 1][0], placed[k][0]])), None)
        if clash is None:
            return placed
        a, b = placed[clash - 1][1], placed[clash][1]
        at = next(k for k, (_, group) in enumerate(groups) if group is a)
        to = next(k for k, (_, group) in enumerate(groups) if group is b)
        groups[at:to + 1] = [(max(end for end, _ in groups[at:to + 1]), [i for _, g in groups[at:to + 1] for i in g])]


def _apart(boxes: Sequence[Box]) -> bool:
    return all(a.x1 + GAP_PX <= b.x0 or b.x1 + GAP_PX <= a.x0 for a, b in combinations(boxes, 2))


def _start(item: Item) -> float:
    return max(item.left, 0.0)


def _clusters(hidden: list[int], items: Sequence[Item]) -> list[tuple[float, list[int]]]:
    """Hidden events of one lane, grouped where they sit close: (right end of the group's marks, items).
    A band counts by its start, where its title would have begun."""
    mark_end = lambda i: _start(items[i]) + 2 * BAND_TICK if items[i].shape == "band" else items[i].right  # noqa: E731
    groups: list[tuple[float, list[int]]] = []
    for i in sorted(hidden, key=lambda i: items[i].left):
        if groups and items[i].left - groups[-1][0] <= CLUSTER_PX:
            end, members = groups[-1]
            groups[-1] = (max(end, mark_end(i)), members + [i])
        else:
            groups.append((mark_end(i), [i]))
    return groups
