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

