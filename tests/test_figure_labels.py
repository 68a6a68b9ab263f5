"""Titles on the chart: boxes stacked in rows inside their lane, never overlapping, never cut, never silent."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from timeline.figure.labels import GAP_PX, Item, box_for, line_px, stack, title_lines
from timeline.figure.style import text_width

FONT = 12


def items_of(seed=3, n=120, lanes=4, width=950.0, untitled=0.2):
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        shape = rng.choice(["point", "bar", "band"], p=[0.6, 0.15, 0.25])
        x = float(rng.uniform(-50, width))
        length = {"point": 11.0, "bar": float(rng.uniform(10, 80)), "band": float(rng.uniform(40, 600))}[shape]
        text = "" if rng.random() < untitled else f"Event {i}: " + "talks about the peace plan"[: rng.integers(4, 27)]
        out.append(Item(int(rng.integers(0, lanes)), x, x + length, str(shape), text, float(rng.integers(0, 7))))
    return out


def check(layout, items, width):
    """The rules, for any table of items."""
    assert len(layout.row) == len(items)
    for lane, rows in enumerate(layout.lane_rows):
        members = [i for i, it in enumerate(items) if it.lane == lane]
        assert all(0 <= layout.row[i] and layout.row[i] + layout.boxes[i].rows <= rows for i in members)
    written = [i for i, it in enumerate(items) if it.text and not layout.hidden[i]]
    span = lambda i: set(range(layout.row[i], layout.row[i] + layout.boxes[i].rows))  # noqa: E731
    for a, b in combinations(written, 2):  # no two titles overlap: same lane and a shared row is a shared line
        if items[a].lane == items[b].lane and span(a) & span(b):
            ba, bb = layout.boxes[a], layout.boxes[b]
            assert ba.x1 + GAP_PX <= bb.x0 or bb.x1 + GAP_PX <= ba.x0, (items[a], items[b])
    for i in written:  # whole, or shortened at a word with "…"; never off the chart
        box = layout.boxes[i]
        text = " ".join(items[i].text.split())
        assert len(box.lines) <= 2
        if box.cut:
            assert box.lines[-1].endswith("…")
            shown = " ".join(box.lines)[:-1]
            assert text.startswith(shown.split(" ")[0]) and len(shown) < len(text)
        else:
            assert " ".join(box.lines) == text
        width_px = max(text_width(line, FONT) for line in box.lines)
        assert width_px <= min(line_px(FONT), width) + 1e-6
        start = box.text_x if box.anchor == "left" else box.text_x - width_px
        assert -1e-6 <= start and start + width_px <= width + 1e-6
        assert box.x0 - 1e-6 <= start and start + width_px <= box.x1 + 1e-6
    for i, item in enumerate(items):  # marks titled in another lane: together on their lane's last row
        if not item.text:
            assert layout.row[i] == layout.lane_rows[item.lane] - 1 and layout.echo_rows[item.lane] == 1
            assert not layout.hidden[i]
        else:
            assert layout.row[i] + layout.boxes[i].rows <= layout.lane_rows[item.lane] - layout.echo_rows[item.lane]
    counted = sorted(i for _, _, group in layout.more for i in group)
    assert len(counted) == len(set(counted)) and all(layout.hidden[i] for i in counted)
    assert set(counted) >= {i for i in np.flatnonzero(layout.hidden) if items[i].text}  # every hidden title counted
    for lane, box, group in layout.more:
        assert all(items[i].lane == lane for i in group)
        assert all(layout.row[i] == layout.counting_row(lane) for i in group)  # on the lane's counting row
        assert -1e-6 <= box.x0 and box.x1 <= width + 1e-6
        # a count lands on no title of its row, nor on another count
        last_row = [layout.boxes[i] for i in written if items[i].lane == lane
                    and layout.row[i] + layout.boxes[i].rows - 1 == layout.counting_row(lane)]
        others = [b for ln, b, _ in layout.more if ln == lane and b is not box]
        for other in last_row + others:
            assert box.x1 + GAP_PX <= other.x0 or other.x1 + GAP_PX <= box.x0


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("width", [240.0, 620.0, 950.0, 1250.0])
def test_unlimited_rows_write_every_title(seed, width):
    items = items_of(seed, width=width)
    layout = stack(items, 4, plot_width=width, font_px=FONT)
    check(layout, items, width)
    assert not layout.hidden.any() and not layout.more


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("max_rows", [4, 8, 15, 30])
def test_a_row_budget_counts_what_it_cannot_write(seed, max_rows):
    items = items_of(seed)
    layout = stack(items, 4, plot_width=950, font_px=FONT, max_rows=max_rows)
    check(layout, items, 950)
    assert sum(layout.lane_rows) <= max(max_rows, sum(2 + e for e in layout.echo_rows))
    unlimited = stack(items, 4, plot_width=950, font_px=FONT)
    if sum(unlimited.lane_rows) > max_rows:
        assert layout.hidden.any()


def test_the_most_important_keep_their_rows():
    same_day = [Item(0, 100, 111, "point", f"Statement number {i}", 2.0) for i in range(6)]
    deadline = Item(0, 100, 111, "point", "The deadline", 1.0)
    chosen = Item(0, 100, 111, "point", "The selected event", 0.0)
    items = same_day + [deadline, chosen]
    layout = stack(items, 1, plot_width=600, font_px=FONT, max_rows=3)
    assert layout.lane_rows == [3]
    assert not layout.hidden[-1] and not layout.hidden[-2]
    assert layout.hidden[:6].all()
    assert [(lane, group) for lane, _, group in layout.more] == [(0, list(range(6)))]


def test_first_fit_shares_a_row_left_to_right():
    a = Item(0, 10, 21, "point", "Short", 2)
    b = Item(0, 300, 311, "point", "Another", 2)
    c = Item(0, 12, 23, "point", "Same day", 2)
    layout = stack([a, b, c], 1, plot_width=600, font_px=FONT)
    assert layout.row.tolist() == [0, 0, 1] and layout.lane_rows == [2]


@pytest.mark.parametrize("item, anchor", [
    (Item(0, 100, 111, "point", "Fits after", 0), "left"),
    (Item(0, 580, 591, "point", "Too close to the right edge", 0), "right"),
    (Item(0, -40, 300, "band", "A band running in from the left", 0), "left"),
    (Item(0, 500, 900, "band", "A band near the right end of the chart", 0), "right"),
])
def test_title_side(item, anchor):
    box = box_for(item, 600, FONT)
    assert box.anchor == anchor
    width = text_width(item.text, FONT)
    start = box.text_x if anchor == "left" else box.text_x - width
    assert 0 <= start and start + width <= 600


def test_an_untitled_mark_takes_only_its_own_room():
    box = box_for(Item(0, 100, 111, "point", "", 6), 600, FONT)
    assert (box.x0, box.x1) == (100, 111)
    band = box_for(Item(0, -30, 400, "band", "", 6), 600, FONT)
    assert band.x0 == 0 and band.x1 < 10  # a band's line lies under others' titles; only its start takes room


def test_a_title_with_no_room_beside_its_mark_wraps_onto_two_rows():
    item = Item(0, 120, 131, "point", "U.S.-Ukraine peace talks in Geneva", 2)
    box = box_for(item, 250, FONT)
    assert box.lines == ("U.S.-Ukraine peace", "talks in Geneva") and box.rows == 2
    assert box.anchor == "left" and box.text_x > item.right
    other = Item(0, 121, 132, "point", "Short", 2)
    layout = stack([item, other], 1, plot_width=250, font_px=FONT)
    assert sorted(layout.row.tolist()) == [0, 2] and layout.lane_rows == [3]


LONG = "Zelensky and Trump talk by phone about the twenty-eight point plan and its security guarantees"


@pytest.mark.parametrize("text, lines, cut", [
    ("Geneva talks", 1, False),                                       # short: one line, whole
    ("U.S. signals army cap could be dropped in the final text", 1, False),  # ~60 characters: still one line
    (LONG, 2, False),                                                 # longer: two balanced lines, whole
    (LONG + " " + LONG, 2, True),                                     # past two lines: shortened with "…"
    ("和平谈判在日内瓦举行" * 6, 2, True),                               # no spaces, wide glyphs: broken anywhere
])
def test_a_title_is_one_line_then_two_then_shortened(text, lines, cut):
    limit = line_px(FONT)
    got, was_cut = title_lines(text, limit, FONT)
    assert len(got) == lines and was_cut == cut
    assert all(text_width(line, FONT) <= limit + 1e-6 for line in got)
    if cut:
        assert got[-1].endswith("…") and text.startswith(got[0])
    else:
        assert " ".join(got) == text or "".join(got) == text
