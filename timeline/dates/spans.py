"""What a date cell becomes: a Span of days at a precision, and the calendar arithmetic behind it."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


class DateError(ValueError):
    """A date cell that cannot be read; the message is written for the editor."""


@dataclass(frozen=True)
class Span:
    start: date
    end: date  # inclusive
    precision: str  # day, week, month or year
    warning: str | None = None

    def __str__(self) -> str:
        if self.start == self.end:
            return f"{self.start.isoformat()} ({self.precision})"
        return f"{self.start.isoformat()} to {self.end.isoformat()} ({self.precision})"


# --- period arithmetic -------------------------------------------------------------

def day_span(day: date, warning: str | None = None) -> Span:
    return Span(day, day, "day", warning)


def week_span(day: date) -> Span:
    monday = day - timedelta(days=day.weekday())
    return Span(monday, monday + timedelta(days=6), "week")


def month_span(year: int, month: int) -> Span:
    last = calendar.monthrange(year, month)[1]
    return Span(date(year, month, 1), date(year, month, last), "month")


def year_span(year: int) -> Span:
    return Span(date(year, 1, 1), date(year, 12, 31), "year")


def shift_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def real_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        if 1 <= month <= 12 and 1 <= year <= 9999:
            days = calendar.monthrange(year, month)[1]
            raise DateError(
                f'"{text}" is not a real date: {calendar.month_name[month]} {year} has {days} days'
            ) from None
        raise DateError(f'"{text}" is not a real date') from None



# --- parts of periods: "early", "mid", "late", "the beginning/middle/end of" ----------------------

# Northern-hemisphere seasons by their first month; winter Y runs from December Y-1 to February Y,
# so that its January is in Y ("winter 2022" holds February 2022).
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def season_span(season: str, year: int) -> Span:
    first = SEASONS[season]
    start_year = year - 1 if first == 12 else year
    end_year, end_month = divmod(start_year * 12 + first - 1 + 2, 12)
    return Span(date(start_year, first, 1), month_span(end_year, end_month + 1).end, "month")


def _months(span: Span) -> int:
    """How many whole months ``span`` covers, 0 when it does not start and end on a month's edges."""
    if span.start.day != 1 or span.end != month_span(span.end.year, span.end.month).end:
        return 0
    return (span.end.year - span.start.year) * 12 + span.end.month - span.start.month + 1

def part_of(span: Span, qualifier: str, text: str) -> Span:
    """The part of ``span`` that ``qualifier`` names, at the precision of that part.

    A year: early Jan-Apr, mid May-Aug, late Sep-Dec (month precision); its beginning is
    January and its end December. A month: early the 1st-10th, mid the 11th-20th, late the
    21st to its end; its beginning and end are its first and last 7 days (week precision).
    A week: early Mon-Wed, mid Wed-Fri, late Fri-Sun (day precision). A day stays the day
    ("late yesterday", "early Tuesday": a time of day never moves a date). "around" keeps
    the span and says it is approximate.
    """
    if qualifier == "around":
        return Span(span.start, span.end, span.precision, f'"{text}" is approximate; read as the date it names')
    if qualifier in ("day before", "day after"):
        if span.precision != "day" or span.start != span.end:
            raise DateError(f'"{text}": the {qualifier} needs a day, not a {span.precision}')
        return day_span(span.start + timedelta(days=-1 if qualifier == "day before" else 1))
    if qualifier == "week of":
        return week_span(span.start) if span.precision == "day" and span.start == span.end else span
    months = _months(span) if span.precision in ("year", "month") else 0
    if months == 12 and qualifier.split()[0] in ("quarter", "half", *SEASONS):
        kind, _, number = qualifier.partition(" ")
        if kind in SEASONS:
            return season_span(kind, span.start.year)
        size = 3 if kind == "quarter" else 6
        first = date(span.start.year, (int(number) - 1) * size + 1, 1)
        return Span(first, month_span(first.year, first.month + size - 1).end, "month")
    start, end = span.start, span.end
    if span.precision == "year" and start.year == end.year:
        first, last = {"early": (1, 4), "mid": (5, 8), "middle of": (5, 8), "late": (9, 12),
                       "beginning of": (1, 1), "end of": (12, 12)}[qualifier]
        return Span(date(start.year, first, 1), month_span(start.year, last).end, "month")
    if months in (3, 6) and span.precision == "month":  # a season, a quarter, a half: thirds of its months
        third = months // 3
        first, last = {"early": (0, third), "beginning of": (0, 1), "mid": (third, 2 * third),
                       "middle of": (third, 2 * third), "late": (2 * third, months),
                       "end of": (months - 1, months)}[qualifier]
        begin = shift_months(start, first)
        stop = shift_months(start, last - 1)
        return Span(date(*begin, 1), month_span(*stop).end, "month")
    if span.precision == "month" and (start.year, start.month) == (end.year, end.month):
        days = end.day
        first, last = {"early": (1, 10), "mid": (11, 20), "middle of": (11, 20), "late": (21, days),
                       "beginning of": (1, 7), "end of": (days - 6, days)}[qualifier]
        return Span(start.replace(day=first), start.replace(day=last), "week")
    if span.precision == "week" and (end - start).days == 6:
        first, last = {"early": (0, 2), "beginning of": (0, 2), "mid": (2, 4), "middle of": (2, 4),
                       "late": (4, 6), "end of": (4, 6)}[qualifier]
        return Span(start + timedelta(days=first), start + timedelta(days=last), "day")
    return span
