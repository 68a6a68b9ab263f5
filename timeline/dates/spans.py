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
    if qualifier == "week of":
        return week_span(span.start) if span.precision == "day" and span.start == span.end else span
    start, end = span.start, span.end
    if span.precision == "year" and start.year == end.year:
        first, last = {"early": (1, 4), "mid": (5, 8), "middle of": (5, 8), "late": (9, 12),
                       "beginning of": (1, 1), "end of": (12, 12)}[qualifier]
        return Span(date(start.year, first, 1), month_span(start.year, last).end, "month")
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
