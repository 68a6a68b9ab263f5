"""What every part of the figure shares: fonts, sizes, thresholds, colours, text measure and escaping."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
DEFAULT_WIDTH = 1232  # the page's chart width at a 1280 px window, until the page reports its own
DEFAULT_TITLE = "Diplomatic timeline"

MAX_MARKS = 1000  # above this many marks in the window, too many to tell apart: draw counts
WHOLE_MARKS = 600  # up to this many marks, all are sent, so a small pan shows data before the re-render
GL_MARKS = 2500  # above this many markers, WebGL; below it SVG draws faster
MAX_DEADLINE_LINES = 12
RECENT_DAYS = 60

NS_DAY = 86_400 * 10**9

# Okabe-Ito colours (colour-blind safe); the symbol repeats the distinction for
# kinds that share a colour and for readers of greyscale prints.
KIND_STYLE: dict[str, tuple[str, str]] = {
    "talks": ("#0072B2", "circle"),
    "meeting": ("#56B4E9", "circle"),
    "summit": ("#CC79A7", "star"),
    "travel": ("#999999", "triangle-up"),
    "proposal": ("#E69F00", "square"),
    "statement": ("#009E73", "circle"),
    "deadline": ("#D55E00", "diamond"),
    "agreement": ("#000000", "star"),
    "election": ("#F0E442", "hexagon"),
    "sanction": ("#CC79A7", "square"),
    "military": ("#000000", "triangle-down"),
    "other": ("#999999", "circle"),
}
CANCELLED_COLOR = "#8c8c8c"
INK, MUTED, FAINT, GRID = "#222222", "#595959", "#8a8a8a", "#ececec"
LANE_BAND = "#f5f6f8"
BREAK_FILL = "#eeeeee"

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "%": "&#37;"})


def escape(text: str) -> str:
    """Make event text literal in Plotly: its labels render a subset of HTML, and a "%{...}" in a
    hover template would be filled in (an entity keeps the percent sign a plain character)."""
    return str(text).translate(_ESCAPES)


def ellipsize(text: str, limit: int) -> str:
    """For source lists: at most ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fit_width(text: str, max_px: float, font_px: float, *, bold: bool = False) -> str:
    """``text`` on one line no wider than ``max_px``: whole, or cut with "…" (at a word where one is near)."""
    text = " ".join(str(text).split())
    if text_width(text, font_px, bold=bold) <= max_px:
        return text
    room = max_px - text_width("…", font_px, bold=bold)
    cut = chars_within(text, room, font_px, bold)
    space = text.rfind(" ", 0, cut + 1)
    if space > cut * 0.6:  # a word boundary that keeps most of what fits
        cut = space
    return text[:cut].rstrip(" ,;:-–—") + "…" if cut else "…"


def chars_within(text: str, max_px: float, font_px: float, bold: bool = False) -> int:
    """How many leading characters of ``text`` fit in ``max_px``."""
    return bisect_right(_ems(text), (max_px - 2) / (font_px * (1.1 if bold else 1.04)) + 1e-9) - 1


# Advance widths of Arial / Liberation Sans in em (metric-compatible fonts), so
# label placement can predict what the browser will draw.
_EM: dict[str, float] = {}
for _chars, _w in (
    ("ijl'|", 0.222), (" ftI.,:;!/[]\\", 0.278), ("r()-`", 0.333), ("\"", 0.355),
    ("*", 0.389), ("^", 0.469), ("ckszvxyJ", 0.5), ("abdeghnopqu0123456789$?_#L", 0.556),
    ("+<=>~", 0.584), ("TFZ", 0.611), ("ABEKPSVXY&", 0.667), ("wCDHNRU", 0.722),
    ("GOQ", 0.778), ("mM", 0.833), ("%", 0.889), ("W", 0.944), ("@", 1.015), ("…—", 1.0),
):
    _EM.update(dict.fromkeys(_chars, _w))


def _em(c: str) -> float:
    """A character's width in em; CJK and emoji draw about twice as wide as Latin letters, joiners
    and combining marks not at all. Looked up once per distinct character."""
    width = _EM.get(c)
    if width is None:
        code = ord(c)
        if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf") or 0xFE00 <= code <= 0xFE0F:
            width = 0.0
        elif code >= 0x1F000 or 0x2600 <= code <= 0x27BF:  # emoji and pictographs, often drawn wide
            width = 1.25
        elif unicodedata.east_asian_width(c) in ("W", "F"):
            width = 1.0
        else:
            width = 0.6
        _EM[c] = width
    return width


@lru_cache(maxsize=8192)
def _ems(text: str) -> tuple[float, ...]:
    """The width in em of each prefix of ``text`` (0 first): a title is measured many times while
    it is placed (whole, halved, shortened to each side's room), its characters looked up once."""
    return tuple(accumulate((_EM[c] if c in _EM else _em(c) for c in text), initial=0.0))


def text_width(text: str, font_px: float, *, bold: bool = False) -> float:
    """Estimated rendered width in pixels (slightly generous, never short)."""
    return _ems(text)[-1] * font_px * (1.1 if bold else 1.04) + 2
