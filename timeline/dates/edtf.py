"""EDTF, the Library of Congress's Extended Date/Time Format (ISO 8601-2), levels 0 and 1, in and out.

Read (``parse``): a date cell written in EDTF becomes the span of days it covers, at our
precision, with the flags EDTF adds to it:

    1991 / 2025-11 / 2025-11-15       a year, a month, a day (level 0)
    2025-11-15T10:20:30Z              a day: a clock time never moves the date
    2025-11-15/2025-11-16             an interval; each end at its own precision
    1991? / 2025-11~ / 2025-11-15%    uncertain, approximate, both: the span, flagged
    201X / 2025-XX / 2025-11-2X       unspecified digits: the span they cover (a decade is read
                                      as years, ten days as a week, like "late November")
    2025-21 ... 2025-24               spring, summer, autumn, winter (as spans.SEASONS: winter 2025
                                      is December 2024 to February 2025);
                                      the level-2 codes 25-41 (hemispheres, quarters, quadrimesters,
                                      semesters) too, being plain runs of months
    2025-11-15/.. and ../2025-11-15   an open end: the known end's span, flagged "open end"
    2025-11-15/ and /2025-11-15       an unknown end: likewise, flagged "end unknown"

Refused with a message: a year before 1 AD (-0044, 0000), a 'Y' year past four digits,
a month or day that does not exist, and unspecified digits followed by known ones
(156X-12-25 is ten Christmases, not a span). Anything else that is not EDTF is left to
the other readers (15/11/2025, "Nov. 15").

Why our own grammar rather than the ``edtf`` package (5.0.2, the Library of Congress
format's Python implementation): on the forms this project needs it fails or misreads
("2025-11-2X" raises ValueError, "2025-1X" an AttributeError after printing to standard
output, "2025-11-15/.." a TypeError; "2025-11-15/" ends ten years later; "2025-02-29" is
accepted), and each reading costs 2-30 ms of pyparsing. Levels 0 and 1 are a few regular
expressions; this module is their whole grammar.

Written (``to_edtf``): a row's start, end and precision as the EDTF that says the same days.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .spans import DateError, Span, day_span, month_span, year_span

UNCERTAIN, APPROXIMATE = "uncertain", "approximate"
OPEN_START, OPEN_END, UNKNOWN_START, UNKNOWN_END = "open start", "open end", "start unknown", "end unknown"
# The flags a qualifier gives: what the chart draws as an approximate date.
QUALIFIERS = {"?": (UNCERTAIN,), "~": (APPROXIMATE,), "%": (UNCERTAIN, APPROXIMATE)}
_FLAG_ORDER = (UNCERTAIN, APPROXIMATE, OPEN_START, OPEN_END, UNKNOWN_START, UNKNOWN_END)

_DATE = re.compile(r"""
    (?P<sign>-)?
    (?:(?P<long>Y-?\d{5,})
      | (?P<year>[\dX]{4})
        (?:-(?P<month>[\dX]{2})
           (?:-(?P<day>[\dX]{2})
              (?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?
           )?
        )?
    )
    (?P<qualifier>[?~%])?
    """, re.VERBOSE)
_SHAPE = re.compile(r"^[-\dXY:.?~%/TZ+]+$")
_PRECISIONS = ("day", "week", "month", "year")

# The level-2 sub-year groupings that are plain runs of months: code -> (first month, months).
_GROUPS = {
    **{21 + i: (first, 3) for i, first in enumerate((3, 6, 9, 12))},  # level 1: spring .. winter
    **{25 + i: (first, 3) for i, first in enumerate((3, 6, 9, 12))},  # northern hemisphere
    **{29 + i: (first, 3) for i, first in enumerate((9, 12, 3, 6))},  # southern hemisphere
    **{33 + i: (1 + 3 * i, 3) for i in range(4)},  # quarters
    **{37 + i: (1 + 4 * i, 4) for i in range(3)},  # quadrimesters
    **{40 + i: (1 + 6 * i, 6) for i in range(2)},  # semesters
}


@dataclass(frozen=True)
class Reading:
    """An EDTF cell read: its span of days and its flags, in _FLAG_ORDER."""

    span: Span
    flags: tuple[str, ...] = ()


def parse(text: str) -> Reading | None:
    """The reading of ``text`` (stripped) when it is EDTF; None when it is not; DateError when
    it is EDTF that names no span our timeline has (a BCE year, month 13)."""
    if not text or len(text) > 64 or not _SHAPE.match(text) or not text[:1].isdigit() and text[:1] not in "-/.XY":
        return None
    return _parse(text)


@lru_cache(maxsize=65_536)
def _parse(text: str) -> Reading | None:
    if "/" in text:
        first, _, last = text.partition("/")
        if "/" in last:
            return None
        return _interval(text, first, last)
    found = _date(text, text)
    if found is None:
        return None
    span, qualifier = found
    return Reading(span, QUALIFIERS.get(qualifier, ()))


def flags(text: str) -> tuple[str, ...]:
    """The EDTF flags of a date cell as written ("" when it is not EDTF or cannot be read)."""
    try:
        found = parse(text.strip())
    except DateError:
        return ()
    return found.flags if found is not None else ()


def qualified(text: str) -> bool:
    """Whether the cell is an EDTF date its writer marked uncertain or approximate."""
    return any(flag in (UNCERTAIN, APPROXIMATE) for flag in flags(text))


def described(date_text: str, end_text: str = "") -> str:
    """The flags of a row's date cells in words, "" when none: "approximate, open end"."""
    found = set(flags(date_text)) | (set(flags(end_text)) if end_text else set())
    return ", ".join(flag for flag in _FLAG_ORDER if flag in found)


def _interval(text: str, first: str, last: str) -> Reading | None:
    ends, found_flags = [], set()
    for end, open_flag, unknown_flag in ((first, OPEN_START, UNKNOWN_START), (last, OPEN_END, UNKNOWN_END)):
        if end in ("", ".."):
            ends.append(None)
            found_flags.add(open_flag if end == ".." else unknown_flag)
            continue
        found = _date(end, text)
        if found is None:
            return None
        span, qualifier = found
        ends.append(span)
        found_flags.update(QUALIFIERS.get(qualifier, ()))
    start, stop = ends
    if start is None and stop is None:
        raise DateError(f'"{text}" is an interval with neither end known')
    if start is None or stop is None:
        span = start or stop
    else:
        if stop.end < start.start:
            raise DateError(f'"{text}" ends ({stop.end.isoformat()}) before it starts ({start.start.isoformat()})')
        span = Span(start.start, stop.end, max(start.precision, stop.precision, key=_PRECISIONS.index))
    return Reading(span, tuple(flag for flag in _FLAG_ORDER if flag in found_flags))


def _date(part: str, text: str) -> tuple[Span, str | None] | None:
    """(span, qualifier) of one EDTF date, ``text`` being the whole cell for messages."""
    m = _DATE.fullmatch(part)
    if m is None:
        return None
    if m["long"] or m["sign"]:
        if m["long"] and not m["sign"] and "-" not in m["long"]:
            raise DateError(f'"{text}" is the year {int(m["long"][1:]):,}: past any date the timeline can show')
        raise DateError(f'"{text}" is a year before the Common Era (BCE): the timeline shows years AD only')
    year, month, day = m["year"], m["month"], m["day"]
    digits = year + (month or "") + (day or "")
    if "X" in digits and digits.index("X") < len(digits.rstrip("X")):
        raise DateError(f'"{text}": only the last digits of a date can be unspecified (X); '
                        f"{part} names days that are not one span")
    if (m["time"] or m["zone"]) and "X" in digits:
        return None
    if m["time"]:
        _check_time(m["time"], m["zone"], text)
    if "X" in year:
        if year == "XXXX":
            raise DateError(f'"{text}" names no year: the timeline needs at least its first digit')
        low, high = int(year.replace("X", "0")), int(year.replace("X", "9"))
        _check_year(low if low else 1, text)
        if low == 0:
            raise DateError(f'"{text}" starts before the year 1 AD')
        return Span(date(low, 1, 1), date(high, 12, 31), "year"), m["qualifier"]
    number = int(year)
    _check_year(number, text)
    if month is None or month == "XX":
        return year_span(number), m["qualifier"]
    if "X" in month:
        low, high = max(int(month[0] + "0"), 1), min(int(month[0] + "9"), 12)
        if month[0] not in "01":
            raise DateError(f'"{text}" has no month {month}')
        return Span(date(number, low, 1), month_span(number, high).end, "month"), m["qualifier"]
    months = int(month)
    if day is None and months in _GROUPS:
        return _group(number, months), m["qualifier"]
    if not 1 <= months <= 12:
        raise DateError(f'"{text}" has no month {months}')
    if day is None or day == "XX":
        return month_span(number, months), m["qualifier"]
    last = calendar.monthrange(number, months)[1]
    if "X" in day:
        low, high = max(int(day[0] + "0"), 1), min(int(day[0] + "9"), last)
        if low > high:
            raise DateError(f'"{text}": {calendar.month_name[months]} {number} has {last} days')
        if low == high:
            return day_span(date(number, months, low)), m["qualifier"]
        return Span(date(number, months, low), date(number, months, high), "week"), m["qualifier"]
    days = int(day)
    if not 1 <= days <= last:
        raise DateError(f'"{text}" is not a real date: {calendar.month_name[months]} {number} has {last} days')
    return day_span(date(number, months, days)), m["qualifier"]


def _check_year(year: int, text: str) -> None:
    if year == 0:
        raise DateError(f'"{text}" is the year 0, 1 BCE: the timeline shows years AD only')


def _check_time(clock: str, zone: str | None, text: str) -> None:
    hour, minute = int(clock[:2]), int(clock[3:5])
    second = int(clock[6:8]) if len(clock) >= 8 else 0
    if hour > 24 or minute > 59 or second > 60 or hour == 24 and (minute or second):
        raise DateError(f'"{text}" has no time {clock}')
    if zone and zone != "Z" and (int(zone[1:3]) > 14 or len(zone) > 3 and int(zone[-2:]) > 59):
        raise DateError(f'"{text}" has no time zone {zone}')


def _group(year: int, code: int) -> Span:
    first, months = _GROUPS[code]
    # A winter (or a southern summer) of year Y holds January Y and starts in December Y-1, as
    # "winter 2022" does in spans.season_span.
    start_year = year - 1 if first == 12 else year
    end_year, end_month = divmod(start_year * 12 + first - 1 + months - 1, 12)
    return Span(date(start_year, first, 1), month_span(end_year, end_month + 1).end, "month")


# --- writing -----------------------------------------------------------------------------------

def end_precision(day: date, precision: str, first: bool) -> str:
    """The precision one end of a row is written at: the coarsest unit, no coarser than the row's,
    that ``day`` starts (``first``) or ends. A start of 2025-11-01 of a row known to the year is
    written 2025-11; one of a row known to the day stays 2025-11-01."""
    limit = _PRECISIONS.index(precision)
    if limit >= _PRECISIONS.index("year") and (day.month, day.day) == ((1, 1) if first else (12, 31)):
        return "year"
    edge = 1 if first else calendar.monthrange(day.year, day.month)[1]
    if limit >= _PRECISIONS.index("month") and day.day == edge:
        return "month"
    return "day"


def written(day: date, precision: str) -> str:
    """One day as EDTF at ``precision`` (year, month or day)."""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def to_edtf(start: date, end: date, precision: str, flags_: tuple[str, ...] = ()) -> str:
    """The EDTF of a span: one date when it is one year, month or day, else an interval with each
    end at its own precision; ``flags_`` uncertain/approximate add their qualifier to each end."""
    qualifier = {(UNCERTAIN,): "?", (APPROXIMATE,): "~", (UNCERTAIN, APPROXIMATE): "%"}.get(
        tuple(f for f in flags_ if f in (UNCERTAIN, APPROXIMATE)), "")
    first = end_precision(start, precision, True)
    last = end_precision(end, precision, False)
    head, tail = written(start, first), written(end, last)
    if head == tail:
        return head + qualifier
    return f"{head}{qualifier}/{tail}{qualifier}"


def row_edtf(start: date, end: date, precision: str, date_text: str, end_text: str) -> str:
    """A row's EDTF: its cells as written when they are EDTF (a season, 201X and the flags stay as
    the editor wrote them), else the days it was read as."""
    try:
        first = parse(date_text.strip())
        last = parse(end_text.strip()) if end_text.strip() else None
    except DateError:
        first = last = None
    if first is not None and not end_text.strip():
        return date_text.strip()
    if first is not None and last is not None and "/" not in date_text + end_text:
        return f"{date_text.strip()}/{end_text.strip()}"
    return to_edtf(start, end, precision)


__all__ = ["APPROXIMATE", "described", "OPEN_END", "OPEN_START", "Reading", "UNCERTAIN", "UNKNOWN_END", "UNKNOWN_START",
           "end_precision", "flags", "parse", "qualified", "row_edtf", "to_edtf", "written"]
