"""What the reader asked to see, and the pure functions that select it.

A :class:`View` is the state of the page: the filters plus the lane layout and
the zoom window. It round-trips through the page's query string so any view can
be bookmarked, shared, screenshotted or exported again.

Filtering is vectorised over a per-frame :class:`FrameIndex` (events exploded
to (event, actor) pairs, codes for kinds and statuses, a lower-cased search
text). Building it costs one pass over the rows; it is cached per frame object,
so each later call costs a few numpy operations even at 100,000 events.
"""

from __future__ import annotations

import re
import threading
import unicodedata
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from . import shared
from .actors import actor_pairs, fold
from .dates import edtf
from .schema import DEFAULT_KIND, DEFAULT_STATUS, KINDS, PRECISIONS, STATUSES

MATCHES = ("any", "all")
# Actors a view filters by: far more than anyone picks, far fewer than would cost the server
# time (each is a pass over the events with match=all).
MAX_ACTORS = 300
LANES = ("states", "actors", "kinds")
AXES = ("story", "time")
ORDERS = ("oldest", "newest")  # the event list's, first to last


def _as_date(value) -> date | None:
    if value is None or pd.isna(value):
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"not a date: {value!r}")


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):  # a lone string is one value, not its letters
        values = (values,)
    cleaned = (str(v).strip() for v in values)
    return tuple(dict.fromkeys(v for v in cleaned if v))


def _in_vocabulary(values: Iterable[str], vocabulary: tuple[str, ...], what: str) -> tuple[str, ...]:
    chosen = set(_unique(values))
    unknown = chosen.difference(vocabulary)
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(sorted(unknown))}")
    # Vocabulary order makes equal selections equal Views and equal URLs.
    return tuple(v for v in vocabulary if v in chosen)


@dataclass(frozen=True)
class View:
    """The filters, lane layout and zoom window of one page.

    Construction normalises (strips and de-duplicates names, puts kinds and
    statuses in vocabulary order, orders date pairs), so two Views that select
    the same thing compare equal and serialise to the same query string.
    Invalid vocabulary raises ``ValueError``; :meth:`from_query` is the lenient
    door for untrusted input.
    """

    actors: tuple[str, ...] = ()
    match: str = "any"  # "any" | "all" of the chosen actors must be involved
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    date_from: date | None = None  # keep events overlapping [date_from, date_to]
    date_to: date | None = None
    search: str = ""  # case-insensitive substring of title, notes, location, actors
    lanes: str = "states"  # "states" (a state or body with its officials) | "actors" | "kinds"
    axis: str = "story"  # "story": long empty stretches collapse to marked breaks | "time": linear
    window: tuple[date, date] | None = None  # visible x range, inclusive days; not a filter
    # The event list's order, oldest or newest first; "": the page's choice (newest on a phone). Not a filter.
    order: str = ""

    def __post_init__(self):
        put = object.__setattr__.__get__(self)
        put("actors", _unique(self.actors))
        put("kinds", _in_vocabulary(self.kinds, KINDS, "kind"))
        put("statuses", _in_vocabulary(self.statuses, STATUSES, "status"))
        if self.match not in MATCHES:
            raise ValueError(f"match must be one of {MATCHES}, not {self.match!r}")
        if self.lanes not in LANES:
            raise ValueError(f"lanes must be one of {LANES}, not {self.lanes!r}")
        if self.axis not in AXES:
            raise ValueError(f"axis must be one of {AXES}, not {self.axis!r}")
        if self.order and self.order not in ORDERS:
            raise ValueError(f"order must be one of {ORDERS} or empty, not {self.order!r}")
        lo, hi = _as_date(self.date_from), _as_date(self.date_to)
        if lo and hi and lo > hi:
            lo, hi = hi, lo
        put("date_from", lo)
        put("date_to", hi)
        put("search", str(self.search or "").strip())
        if self.window is not None:
            a, b = (_as_date(d) for d in self.window)
            if a is None or b is None:
                raise ValueError("window needs two dates")
            put("window", (min(a, b), max(a, b)))

    @classmethod
    def from_query(cls, query: str | Mapping[str, list[str] | str]) -> View:
        """Read a query string (with or without the leading "?") or a parsed one.

        Lenient, because links are typed and edited by people: unknown keys,
        kinds, statuses, lanes or match values and unparsable dates are dropped
        (the default applies); it never raises. Actors beyond the first
        :data:`MAX_ACTORS` are dropped too (:func:`read_view` says so).
        """
        if isinstance(query, str):
            params = parse_qs(query.removeprefix("?"))
        else:
            params = {k: [v] if isinstance(v, str) else list(v) for k, v in query.items()}

        def first(key: str) -> str:
            values = params.get(key) or [""]
            return values[0].strip()

        def parse_date(text: str) -> date | None:
            try:
                day = date.fromisoformat(text[:10])
            except ValueError:
                return None
            return day if 1678 <= day.year <= 2261 else None  # what the timeline can draw

        window = None
        lo, sep, hi = first("window").partition("..")
        if sep and parse_date(lo) and parse_date(hi):
            window = (parse_date(lo), parse_date(hi))
        return cls(
            actors=_unique(params.get("actor", ()))[:MAX_ACTORS],
            match=first("match") if first("match") in MATCHES else "any",
            kinds=[k for k in params.get("kind", ()) if k in KINDS],
            statuses=[s for s in params.get("status", ()) if s in STATUSES],
            date_from=parse_date(first("from")),
            date_to=parse_date(first("to")),
            search=first("q"),
            lanes=first("lanes") if first("lanes") in LANES else "states",
            axis=first("axis") if first("axis") in AXES else "story",
            window=window,
            order=first("order") if first("order") in ORDERS else "",
        )

    def to_query(self) -> str:
        """The canonical query string: "?key=value&..." or "" for the default view.

        Defaults are omitted, so the plain page URL is the default view. The
        leading "?" makes it usable as-is for ``dcc.Location.search`` and for
        appending to a path.
        """
        pairs: list[tuple[str, str]] = [("actor", a) for a in self.actors]
        if self.match != "any":
            pairs.append(("match", self.match))
        pairs += [("kind", k) for k in self.kinds]
        pairs += [("status", s) for s in self.statuses]
        if self.date_from:
            pairs.append(("from", self.date_from.isoformat()))
        if self.date_to:
            pairs.append(("to", self.date_to.isoformat()))
        if self.search:
            pairs.append(("q", self.search))
        if self.lanes != "states":
            pairs.append(("lanes", self.lanes))
        if self.axis != "story":
            pairs.append(("axis", self.axis))
        if self.window:
            pairs.append(("window", f"{self.window[0].isoformat()}..{self.window[1].isoformat()}"))
        if self.order:
            pairs.append(("order", self.order))
        return "?" + urlencode(pairs) if pairs else ""

    def with_window(self, window: tuple[date | str, date | str] | None) -> View:
        """This view zoomed to ``window`` (inclusive days, ISO strings welcome); None resets the zoom."""
        if window is None:
            return replace(self, window=None)
        return replace(self, window=tuple(date.fromisoformat(d[:10]) if isinstance(d, str) else d
                                          for d in window))


class FrameIndex:
    """Columnar lookups for one events frame; get it through :func:`index_for`.

    It holds no reference to the frame, so the cache entry dies with the frame.
    """

    def __init__(self, frame: pd.DataFrame):
        counts, codes, names = actor_pairs(frame["actors"].to_numpy())
        self.size = len(frame)
        #: position of the event of each (event, actor) pair, in frame order (so never decreasing)
        self.pair_rows = np.repeat(np.arange(len(frame), dtype=np.int32), counts)
        #: actor code of each pair, indexing :attr:`names`
        self.pair_actors = codes
        self.names = np.asarray(names, dtype=object)
        self.code_of = {name: code for code, name in enumerate(names)}
        self.kind_codes = _codes(frame["kind"], KINDS, DEFAULT_KIND)
        self.status_codes = _codes(frame["status"], STATUSES, DEFAULT_STATUS)
        self.precision_codes = _codes(frame["precision"], PRECISIONS, "day")
        self._qualified: np.ndarray | None = None
        # The frame's own arrays when they are already in ns: a million events' copies cost 16 MB.
        self.start = frame["start"].to_numpy().astype("datetime64[ns]", copy=False)
        self.end = frame["end"].to_numpy().astype("datetime64[ns]", copy=False)
        self._text: list[SearchText] | None = None
        self._masks: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._text_lock = threading.Lock()  # held for the second a big text takes; masks go on meanwhile

    def qualified(self, f: pd.DataFrame) -> np.ndarray:
        """Per row of ``f`` (this index's frame), whether its date cells are EDTF marked uncertain or
        approximate (?, ~, %), which the chart draws as approximate: worked out on the first figure,
        not with the index (a third of a second per million rows, which filtering never needs)."""
        if self._qualified is None:
            self._qualified = _qualified(f)
        return self._qualified

    def searchable(self, f: pd.DataFrame) -> list[SearchText]:
        """The text a search looks in, one :class:`SearchText` per field; built on the first
        search only (about a second at 1,000,000 events), once even when requests race for it."""
        with self._text_lock:
            if self._text is None:
                table = shared.table_of(f)  # the mapped file the frame was made from: its text needs no copy
                self._text = [(table is not None and SearchText.mapped(table, c)) or SearchText.of(f[c])
                              for c in shared.SEARCHED]
                self._text.append(SearchText(self.names.tolist()))
            return self._text

    def mask(self, key: tuple, compute) -> np.ndarray:
        """The read-only row mask of a selection: the page asks for one selection several
        times per request (chart, list, summary), and the figure of the next view often
        shares it (a zoom, a change of rows)."""
        with self._lock:
            found = self._masks.get(key)
            if found is not None:
                self._masks.move_to_end(key)
                return found
        found = compute()
        found.setflags(write=False)
        with self._lock:
            self._masks[key] = found
            while len(self._masks) > MASKS_KEPT:
                self._masks.popitem(last=False)
        return found

    def expand(self, actor: str, members: Mapping[str, Iterable[str]]) -> np.ndarray:
        """Codes of an actor and its officials (those that occur in the frame)."""
        names = (actor, *members.get(actor, ()))
        return np.array([self.code_of[n] for n in names if n in self.code_of], dtype=np.int32)

    def rows_with(self, codes: np.ndarray) -> np.ndarray:
        lookup = np.zeros(len(self.names), dtype=bool)
        lookup[codes] = True
        hit = np.zeros(self.size, dtype=bool)
        hit[self.pair_rows[lookup[self.pair_actors]]] = True
        return hit


MASKS_KEPT = 8  # selections remembered per frame: 1,000,000 events make a mask of 1 MB
SAMPLE = 10_000  # rows that tell whether a field's values repeat


class SearchText:
    """The distinct values of one field, lower-cased, for a substring search.

    Each value is searched once however many events share it (places, notes that repeat,
    the few hundred actors), then events are found through their value's code. The values
    stand in blocks, each one string ending every value in "\\x00" (so a needle without it
    cannot span two): one regex scan over a long string beats a per-row ``str.contains`` by
    an order of magnitude, and blocks keep the cost of one odd character local (a string is
    as wide per character as its widest one; one emoji would make a single text four times
    its size).
    """

    BLOCK = 65_536  # values per block

    def __init__(self, values: list[str], codes: np.ndarray | None = None):
        self.size = len(values)
        self.codes = codes  # the value of each event; None when values and events are one to one
        self.blocks = [(lo, *_text_block(values[lo:lo + self.BLOCK])) for lo in range(0, len(values), self.BLOCK)]

    @classmethod
    def of(cls, column: pd.Series) -> SearchText:
        if isinstance(column.dtype, pd.CategoricalDtype):  # codes and distinct values already
            return cls(list(map(str, column.cat.categories.tolist())), column.cat.codes.to_numpy())
        sample = column.iloc[:SAMPLE]
        if sample.nunique(dropna=False) > len(sample) // 2:  # titles: hashing a million of them buys nothing
            return cls(list(map(str, column.tolist())))
        codes, values = pd.factorize(column, use_na_sentinel=False)
        return cls(list(map(str, values.tolist())), codes.astype(np.int32))

    @classmethod
    def mapped(cls, table, name: str) -> SearchText | None:
        """The field ``name`` as the shared file of :mod:`timeline.shared` keeps it, None when it
        keeps no search text for it: text that repeats as its distinct values, else the file's own
        lower-cased text, scanned where it is mapped (UTF-8 bytes; a needle's bytes match there
        exactly where its characters do)."""
        found = shared.search_text(table, name)
        if found is None:
            return None
        first, second = found
        if isinstance(first, list):
            return cls(first, second)
        text = cls([])
        text.size, text.blocks, text.encoding = len(second), [(0, first, second)], "utf-8"
        return text

    def events(self, needle: str) -> np.ndarray:
        """Which events' values hold ``needle`` (lower-cased)."""
        hit = self.hits(needle)
        return hit if self.codes is None else hit[self.codes]

    encoding = ""  # the blocks' text: str, or bytes in this encoding

    def hits(self, needle: str) -> np.ndarray:
        """Which values hold ``needle`` (lower-cased)."""
        spans = "\x00" in needle
        if self.encoding:
            needle = needle.encode(self.encoding)
        escaped = re.escape(needle)
        if spans:  # it may span the separator: every place it starts is checked
            pattern = re.compile(b"(?=%s)" % escaped if self.encoding else f"(?={escaped})")
        else:
            # After a hit the pattern runs on to the separator, so a value is found once however
            # often it says the word: the Python work is per matching value, not per occurrence.
            pattern = re.compile(escaped + (b"[^\x00]*" if self.encoding else "[^\x00]*"))
        hit = np.zeros(self.size, dtype=bool)
        for first, text, starts in self.blocks:
            found = np.fromiter((m.start() for m in pattern.finditer(text)), dtype=np.int64)
            value = np.searchsorted(starts, found, side="right") - 1
            if spans:
                ends = np.append(starts[1:], len(text)) - 1  # where each value's separator stands
                value = value[found + len(needle) <= ends[value]]
            hit[first + value] = True
        return hit


def _text_block(values: list[str]) -> tuple[str, np.ndarray]:
    """The values lower-cased, each ended by "\\x00", as one string; and each one's offset.

    Lower-casing the whole block gives the same text as lower-casing each value (the
    separator is not a letter, so no case rule looks across it) unless a letter lower-cases
    to several, which moves the offsets: then each value is lower-cased on its own.
    """
    text = "\x00".join(values) + "\x00"
    lowered = text.lower()
    if len(lowered) != len(text):
        values = [v.lower() for v in values]
        lowered = "\x00".join(values) + "\x00"
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) + 1
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    return lowered, offsets.astype(np.int32 if len(lowered) < 2**31 else np.int64)


def _codes(column: pd.Series, vocabulary: tuple[str, ...], default: str) -> np.ndarray:
    """Positions in ``vocabulary``; values outside it count as ``default``, as the loader would have read them."""
    if isinstance(column.dtype, pd.CategoricalDtype) and list(column.cat.categories) == list(vocabulary):
        codes = column.cat.codes.to_numpy().astype(np.int16)  # the loader's: codes of the vocabulary already
    else:
        codes = pd.Categorical(column, categories=vocabulary).codes.astype(np.int16)
    codes[codes < 0] = vocabulary.index(default)
    return codes


_INDEXES: dict[int, tuple[weakref.ref, FrameIndex]] = {}


def _qualified(frame: pd.DataFrame) -> np.ndarray:
    """Per row, whether its date or end cell is EDTF its writer marked ?, ~ or %: each distinct cell
    looked at once (a file of a million rows has a few hundred thousand date texts at most)."""
    found = np.zeros(len(frame), dtype=bool)
    for column in ("date_text", "end_text"):
        if column not in frame or not len(frame):
            continue
        codes, distinct = pd.factorize(frame[column])
        distinct = distinct.tolist()
        marked = [bool(text) and isinstance(text, str) and text.rstrip()[-1:] in "?~%" or "/" in str(text)
                  for text in distinct]
        if not any(marked):
            continue
        marked = np.array([m and edtf.qualified(str(text)) for m, text in zip(marked, distinct)] + [False])
        found |= marked[codes]
    return found


def index_for(frame: pd.DataFrame) -> FrameIndex:
    """The cached index of ``frame``; frames are treated as immutable."""
    key = id(frame)
    cached = _INDEXES.get(key)
    if cached is not None and cached[0]() is frame:
        return cached[1]
    for k in [k for k, (ref, _) in list(_INDEXES.items()) if ref() is None]:
        _INDEXES.pop(k, None)  # another request thread may have pruned it already
    index = FrameIndex(frame)
    _INDEXES[key] = (weakref.ref(frame), index)
    return index


def matches(frame: pd.DataFrame, view: View, members: Mapping[str, Iterable[str]] | None = None) -> np.ndarray:
    """Boolean mask over ``frame`` rows of the events ``view`` selects (read-only: it is shared).

    Choosing a state or body also selects the events of its officials
    (``members``); with ``match="all"`` each chosen actor, or one of its
    officials, must be involved.
    """
    members = members or {}
    ix = index_for(frame)
    groups = [ix.expand(a, members) for a in view.actors]
    match = view.match if len(groups) > 1 else "any"
    # An actor not in the data: with "all" nothing can match, with "any" it adds nothing. Either
    # way its name costs no pass over the events, and the key is the same whatever such names come.
    if match == "all" and any(len(g) == 0 for g in groups):
        groups = [np.array([], dtype=np.int32)]
    else:
        groups = [g for g in groups if len(g)] or ([np.array([], dtype=np.int32)] if groups else [])
    # Keyed by the actor codes the view stands for, so the same names under other members are
    # another selection.
    codes = sorted({tuple(sorted(g.tolist())) for g in groups})
    groups = [np.array(c, dtype=np.int32) for c in codes]
    key = (tuple(codes), match, view.kinds, view.statuses, view.date_from, view.date_to, view.search.lower())
    return ix.mask(key, lambda: _select(ix, frame, replace(view, match=match), groups))


def _select(ix: FrameIndex, frame: pd.DataFrame, view: View, groups: list[np.ndarray]) -> np.ndarray:
    keep = np.ones(ix.size, dtype=bool)
    if groups:
        if view.match == "all":
            for codes in groups:
                keep &= ix.rows_with(codes)
        else:
            keep &= ix.rows_with(np.concatenate(groups))
    if view.kinds:
        keep &= np.isin(ix.kind_codes, [KINDS.index(k) for k in view.kinds])
    if view.statuses:
        keep &= np.isin(ix.status_codes, [STATUSES.index(s) for s in view.statuses])
    if view.date_from:
        keep &= ix.end >= np.datetime64(view.date_from, "ns")
    if view.date_to:
        keep &= ix.start <= np.datetime64(view.date_to, "ns")
    if view.search:
        keep &= _search(ix, frame, view.search)
    return keep


def _search(ix: FrameIndex, frame: pd.DataFrame, needle: str) -> np.ndarray:
    """Events whose title, notes, place or one of whose actors holds ``needle``, in any case."""
    needle = needle.lower()
    *fields, actors = ix.searchable(frame)
    hit = ix.rows_with(np.flatnonzero(actors.hits(needle)))
    for field in fields:
        hit |= field.events(needle)
    return hit


def apply(frame: pd.DataFrame, view: View, members: Mapping[str, Iterable[str]] | None = None) -> pd.DataFrame:
    """The events of ``frame`` that ``view`` selects, in frame order."""
    return frame[matches(frame, view, members)]


def resolve_actors(view: View, aliases: Mapping[str, str]) -> tuple[View, list[str]]:
    """``view`` with its actors under their canonical names ("Zelenskyy" -> "Volodymyr
    Zelensky") and without the names that match no actor in the data, and those names.

    Unknown names are left out, not kept to match nothing: a made-up name costs no work
    later (a request of 45,000 of them with match=all took 14 s of CPU), and the reader is
    told which were left out."""
    resolved, unknown = [], []
    for name in view.actors:
        canonical = aliases.get(fold(name))
        if canonical is None:
            unknown.append(name)
        else:
            resolved.append(canonical)
    if tuple(resolved) == view.actors:
        return view, unknown
    return replace(view, actors=tuple(resolved)), unknown


def read_view(query: str, aliases: Mapping[str, str] | None) -> tuple[View, list[str]]:
    """The view an address asks for, with actors as the data names them (``aliases``, None
    when there is no data), and what was left out of it, in plain words for the reader."""
    params = parse_qs((query or "").removeprefix("?"))
    view = View.from_query(params)
    notes = []
    asked = len(_unique(params.get("actor", ())))
    if asked > MAX_ACTORS:
        notes.append(f"The address names {asked:,} actors; a view filters by at most {MAX_ACTORS:,}, "
                     f"so only the first {MAX_ACTORS:,} were read.")
    if aliases is not None:
        view, unknown = resolve_actors(view, aliases)
        if unknown:
            named = ", ".join(f"“{name[:80]}”" for name in unknown[:5])
            more = f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else ""
            notes.append(f"No actor in the data is named {named}{more}: left out of the filter.")
    return view, notes


def actor_counts(frame: pd.DataFrame) -> list[tuple[str, int]]:
    """(actor, number of events) pairs, most active first, ties by name."""
    ix = index_for(frame)
    counts = np.bincount(ix.pair_actors, minlength=len(ix.names))
    return sorted(zip(ix.names.tolist(), counts.tolist()), key=lambda p: (-p[1], p[0]))


def format_day(d: date | pd.Timestamp) -> str:
    """"24 Nov 2025": unambiguous for readers on both sides of the Atlantic."""
    return f"{d.day} {d:%b %Y}"


def normalized_date(start: pd.Timestamp, end: pd.Timestamp, precision: str) -> str:
    """A date as a reader says it: "23 Nov 2025", "Oct 2025", "1994", "15–16 Nov 2025"."""
    if precision == "year" and start.year == end.year:
        return str(start.year)
    if precision == "month" and (start.year, start.month) == (end.year, end.month):
        return start.strftime("%b %Y")
    if start == end:
        return f"{start.day} {start.strftime('%b %Y')}"
    if precision == "week":
        return f"week of {start.day} {start.strftime('%b %Y')}"
    if start.year == end.year and start.month == end.month:
        return f"{start.day}–{end.day} {end.strftime('%b %Y')}"
    if precision in ("month", "year"):
        fmt = "%Y" if precision == "year" else "%b %Y"
        return f"{start.strftime(fmt)} – {end.strftime(fmt)}"
    return f"{start.day} {start.strftime('%b %Y')} – {end.day} {end.strftime('%b %Y')}"


def describe(view: View, as_of: date | pd.Timestamp | None = None, *, everything: bool = True) -> str:
    """One line naming the filters, for report subtitles and screen readers (``everything``: the
    picture shows every event the filters let through, so no filter at all reads "All events")."""
    parts = []
    if view.actors:
        label = "Actors (all of)" if view.match == "all" and len(view.actors) > 1 else "Actors"
        parts.append(f"{label}: {', '.join(view.actors)}")
    if view.kinds:
        parts.append(f"Kinds: {', '.join(view.kinds)}")
    if view.statuses:
        parts.append(f"Status: {', '.join(view.statuses)}")
    if view.date_from and view.date_to:
        parts.append(f"{format_day(view.date_from)} – {format_day(view.date_to)}")
    elif view.date_from:
        parts.append(f"From {format_day(view.date_from)}")
    elif view.date_to:
        parts.append(f"Until {format_day(view.date_to)}")
    if view.search:
        parts.append(f"Search: “{view.search}”")
    if not parts and everything:
        parts.append("All events")
    if as_of is not None:
        parts.append(f"as of {format_day(as_of)}")
    return " · ".join(parts)


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def slug(view: View, as_of: date | pd.Timestamp | None = None, *, max_length: int = 80) -> str:
    """A file-name stem naming the view, e.g. "timeline-ukraine-talks-2025-11-24"."""
    words = [*view.actors, *view.kinds, *view.statuses]
    if view.date_from:
        words.append(f"from-{view.date_from.isoformat()}")
    if view.date_to:
        words.append(f"to-{view.date_to.isoformat()}")
    if view.search:
        words.append(view.search)
    tail = f"-{as_of:%Y-%m-%d}" if as_of is not None else ""
    stem = "-".join(filter(None, ["timeline", *map(_slugify, words)]))
    if len(stem) + len(tail) > max_length:
        stem = stem[: max_length - len(tail)].rsplit("-", 1)[0]
    return stem + tail
