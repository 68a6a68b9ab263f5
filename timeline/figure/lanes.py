"""Which rows the chart has, and which marks sit in each.

Three layouts (``View.lanes``):

* ``states`` (the default): a lane per state or body, its officials' events inside
  it, and the actors with a single event in view together in one "Other actors"
  lane, so a newsroom's dataset fits a laptop screen. A reader who picks one state
  gets that state's people, one lane each: one level below what was picked.
* ``actors``: a lane per actor, each state followed by its officials.
* ``kinds``: a lane per kind of event.

An event shows in each lane it involves (once per lane); its title is written in
its *primary* lane, the lane of its first actor, so each title appears once. A reader who picks a person
gets that person's lane, and their state's, as in ``actors``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from .. import filters
from ..filters import View
from ..schema import KINDS
from .style import NS_DAY

OTHER = "Other actors"
MIN_LANES_FOR_OTHER = 5  # with fewer lanes, a lane of its own costs less than a mixed one


@dataclass(frozen=True)
class Lanes:
    names: list[str]
    heads: list[bool]  # states/bodies, drawn bold
    rows: np.ndarray  # frame position of each mark
    lane: np.ndarray  # lane of each mark
    primary: np.ndarray  # the mark of its event that carries the title
    mode: str  # the layout drawn: "states" | "actors" | "kinds"


def lanes_for(ix: filters.FrameIndex, keep: np.ndarray, view: View,
              members: Mapping[str, Iterable[str]], window: tuple[int, int] | None = None) -> Lanes:
    """Swimlanes and the (event, lane) marks of the selected events.

    Only lanes with events in ``window`` ([lo, hi) in ns) are shown, if any are, so a
    zoomed view spends no space on actors absent from it; their order is that of the
    whole selection, most active first, so lanes don't jump when panning.
    """
    def seen(rows):
        if window is None:
            return np.ones(len(rows), dtype=bool)
        inside = (ix.end[rows].view("i8") + NS_DAY > window[0]) & (ix.start[rows].view("i8") < window[1])
        return inside if inside.any() else np.ones(len(rows), dtype=bool)

    if view.lanes == "kinds":
        rows = np.flatnonzero(keep)
        present = np.bincount(ix.kind_codes[rows][seen(rows)], minlength=len(KINDS)) > 0
        order = np.flatnonzero(present)
        lut = np.full(len(KINDS), -1)
        lut[order] = np.arange(len(order))
        lane = lut[ix.kind_codes[rows]]
        inside = lane >= 0
        return Lanes([KINDS[k] for k in order], [False] * len(order), rows[inside], lane[inside],
                     np.ones(int(inside.sum()), dtype=bool), "kinds")

    pairs = keep[ix.pair_rows]
    codes, pair_rows = ix.pair_actors[pairs], ix.pair_rows[pairs]
    in_view = seen(pair_rows)
    # Picking one state opens it up into its people; picking a person keeps that person's lane.
    one_state = len(view.actors) == 1 and bool(members.get(view.actors[0]))
    official = set().union(*map(set, members.values())) if members else set()
    people = any(a in official for a in view.actors)
    if view.lanes == "actors" or one_state or people:
        names, heads, group = _actor_lanes(ix, codes, in_view, view, members)
        mode = "actors"
    else:
        names, heads, group = _state_lanes(ix, codes, pair_rows, in_view, members)
        mode = "states"
    lane = group[codes]
    inside = lane >= 0
    rows, lane = pair_rows[inside], lane[inside]
    # One mark per (event, lane), in the event's actor order: the first is its primary lane.
    first = _first_of_each(rows, lane)
    rows, lane = rows[first], lane[first]
    primary = np.r_[True, rows[1:] != rows[:-1]] if len(rows) else np.zeros(0, dtype=bool)
    return Lanes(names, heads, rows, lane, primary, mode)


def _activity(ix, codes, in_view):
    total = np.bincount(codes, minlength=len(ix.names))
    shown = np.bincount(codes[in_view], minlength=len(ix.names))
    return {ix.names[c]: int(total[c]) for c in np.flatnonzero(shown)}


def _actor_lanes(ix, codes, in_view, view, members):
    active = _activity(ix, codes, in_view)
    by_activity = lambda names: sorted(names, key=lambda n: (-active.get(n, 0), n))  # noqa: E731
    if view.actors:
        blocks = [[a, *by_activity(members.get(a, ()))] for a in view.actors]
    else:
        parent = lane_parents(members, active)
        grouped: dict[str, list[str]] = {}
        for name in active:
            grouped.setdefault(parent.get(name, name), []).append(name)
        total = {g: sum(active[n] for n in names) for g, names in grouped.items()}
        blocks = [[g, *by_activity(n for n in grouped[g] if n != g)]
                  for g in sorted(grouped, key=lambda g: (-total[g], g))]
    names, taken = [], set()
    for block in blocks:
        for n in block:
            if n in active and n not in taken:
                names.append(n)
                taken.add(n)
    group = np.full(len(ix.names), -1)
    group[[ix.code_of[n] for n in names]] = np.arange(len(names))
    return names, [n in members for n in names], group


def lane_parents(members, active) -> dict[str, str]:
    """Each official's top state (membership is transitive: a ministry's head belongs to its state too)."""
    heads = sorted(members, key=lambda h: (-sum(active.get(m, 0) for m in members[h]) - active.get(h, 0), h))
    parent: dict[str, str] = {}
    for head in heads:
        for m in members[head]:
            parent.setdefault(m, head)
    top = {}
    for name in parent:
        seen, up = {name}, parent[name]
        while up in parent and parent[up] not in seen:
            seen.add(up)
            up = parent[up]
        top[name] = up
    return top


def _state_lanes(ix, codes, pair_rows, in_view, members):
    parent = lane_parents(members, _activity(ix, codes, in_view))
    group_of = np.array([parent.get(n, n) for n in ix.names], dtype=object)
    groups, group_code = np.unique(group_of, return_inverse=True)
    pair_group = group_code[codes]
    # Events per state, in view and in all (an event with two officials of one state counts
    # once). An event's pairs are all in view or all out, so the firsts of all are the firsts in view.
    first = _first_of_each(pair_rows, pair_group)
    in_window = np.bincount(pair_group[first[in_view[first]]], minlength=len(groups))
    total = np.bincount(pair_group[first], minlength=len(groups))
    shown = np.flatnonzero(in_window)
    order = sorted(shown.tolist(), key=lambda g: (-int(total[g]), groups[g]))
    lone = [g for g in order if in_window[g] <= 1]
    if len(order) >= MIN_LANES_FOR_OTHER and len(lone) >= 2:
        order = [g for g in order if g not in lone]
    else:
        lone = []
    names = [str(groups[g]) for g in order] + ([OTHER] if lone else [])
    lut = np.full(len(groups), -1)
    lut[order] = np.arange(len(order))
    lut[lone] = len(order)
    heads = [True] * len(order) + ([False] if lone else [])
    return names, heads, lut[group_code]


def _first_of_each(rows: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Positions of the first of each distinct (row, key) pair, in order, for ``rows`` that
    never decrease (pairs come in frame order).

    A pair can only repeat within its event's few pairs, so each is compared with the few
    before it: a handful of passes over the array instead of sorting a million keys.
    """
    n = len(rows)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    at = np.arange(n)
    new_event = np.r_[True, rows[1:] != rows[:-1]]
    depth = at - np.maximum.accumulate(np.where(new_event, at, 0))  # place among its event's pairs
    longest = int(depth.max()) + 1
    if longest > 16:  # an event with many actors: sorting is cheaper than that many passes
        _, first = np.unique(rows.astype(np.int64) * (int(keys.max()) + 1) + keys, return_index=True)
        return np.sort(first)
    repeated = np.zeros(n, dtype=bool)
    for back in range(1, longest):
        repeated[back:] |= (depth[back:] >= back) & (keys[back:] == keys[:-back])
    return np.flatnonzero(~repeated)


def busiest(lanes: Lanes, weight: np.ndarray, cost: np.ndarray, room: float) -> tuple[Lanes, list[int]]:
    """The lanes with the most ``weight`` (marks in view) whose ``cost`` (each lane's least px) fits
    in ``room``, in their order, and the indices of the lanes left out (none when all fit). An
    event whose titled lane is left out is titled in the first of its lanes that stays."""
    if cost.sum() <= room:
        return lanes, []
    per_lane = np.bincount(lanes.lane, weights=weight, minlength=len(lanes.names))
    ranked = sorted(range(len(lanes.names)), key=lambda k: (-per_lane[k], k))
    fits = np.cumsum(cost[ranked]) <= room
    count = max(int(fits.sum()) if fits.all() else int(np.argmin(fits)), 1)
    kept = sorted(ranked[:count])
    lut = np.full(len(lanes.names), -1)
    lut[kept] = np.arange(len(kept))
    lane = lut[lanes.lane]
    inside = lane >= 0
    rows, lane = lanes.rows[inside], lane[inside]
    primary = np.r_[True, rows[1:] != rows[:-1]] if len(rows) else np.zeros(0, dtype=bool)
    left_out = sorted(ranked[count:])
    return Lanes([lanes.names[k] for k in kept], [lanes.heads[k] for k in kept], rows, lane, primary,
                 lanes.mode), left_out
