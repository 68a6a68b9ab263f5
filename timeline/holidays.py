"""Holidays that news uses as deadlines and dateparser does not know."""

from __future__ import annotations

import calendar
from datetime import date

from dateutil.easter import easter


def thanksgiving(year: int) -> date:
    """US Thanksgiving: the fourth Thursday of November."""
    first = date(year, 11, 1)
    offset = (calendar.THURSDAY - first.weekday()) % 7
    return date(year, 11, 1 + offset + 21)


HOLIDAYS = {
    "thanksgiving": thanksgiving,
    "thanksgiving day": thanksgiving,
    "christmas": lambda year: date(year, 12, 25),
    "christmas day": lambda year: date(year, 12, 25),
    "christmas eve": lambda year: date(year, 12, 24),
    "new year": lambda year: date(year, 1, 1),
    "new year's": lambda year: date(year, 1, 1),
    "new years": lambda year: date(year, 1, 1),
    "new year's day": lambda year: date(year, 1, 1),
    "new years day": lambda year: date(year, 1, 1),
    "new year's eve": lambda year: date(year, 12, 31),
    "new years eve": lambda year: date(year, 12, 31),
    "easter": easter,
    "easter sunday": easter,
}


def nearest(name: str, reported: date, forward: bool) -> date:
    """The holiday on or before ``reported`` (or on or after it, when ``forward``)."""
    rule = HOLIDAYS[name]
    day = rule(reported.year)
    if forward and day < reported:
        return rule(reported.year + 1)
    if not forward and day > reported:
        return rule(reported.year - 1)
    return day
