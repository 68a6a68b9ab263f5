"""Dates written with month and weekday names, in any language: "Nov. 21, 2025", "lundi prochain"."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from .spans import DateError, Span, day_span, month_span, real_date, week_span
from .vocabulary import _Vocabulary

_QUALIFIER = {"early", "mid", "late", "end", "beginning", "start"}

_TIME_OF_DAY = {"morning", "afternoon", "evening", "night", "noon", "midday", "overnight", "tonight"}

_SHAPES = frozenset({"DMY", "MDY", "MY", "YMD", "DM", "MD", "M", "YM", "Y"})


def _named_month_parts(cleaned: str, vocabulary: _Vocabulary):
    """(year|None, month|None, day|None) for "Nov. 21, 2025", "23 листопада", "mars 2022"..."""
    months, weekdays = vocabulary.months, vocabulary.weekdays
    tokens = vocabulary.tokens(cleaned)
    # "early 2022", "mid-November 2025": the period's precision already says "roughly"
    if tokens and tokens[0] in _QUALIFIER:
        tokens = tokens[1:]
    if len(tokens) > 1:
        # "Martes 21 de Octubre de 2014": the date names the day; the weekday adds nothing.
        named = [t for t in tokens if t in weekdays and t not in months]
        if len(named) == 1:
            tokens.remove(named[0])
    if not 1 <= len(tokens) <= 3:
        return None
    shape = ""
    year = month = day = None
    for token in tokens:
        number = months.get(token)
        if number is not None:
            shape += "M"
            month = number
        elif token.isdigit() and len(token) <= 2:
            shape += "D"
            day = int(token)
        elif token.isdigit() and len(token) == 4:
            shape += "Y"
            year = int(token)
        else:
            return None
    return (year, month, day) if shape in _SHAPES else None


def _weekday(cleaned: str, reported: date, forward: bool, vocabulary: _Vocabulary) -> Span | None:
    """ "Friday", "next Monday", "lundi prochain", "w zeszły piątek", "Saturday night"."""
    if vocabulary.weeks and (span := _weekday_of_week(cleaned.replace(" ", ""), reported, vocabulary)):
        return span
    words = vocabulary.tokens(cleaned)
    days = [vocabulary.weekdays[w] for w in words if w in vocabulary.weekdays]
    if len(days) != 1:
        return None
    which = None
    for word in words:
        if word in vocabulary.weekdays or word in _TIME_OF_DAY:
            continue
        sign = {"last": -1, "past": -1, "next": 1, "coming": 1, "this": 0}.get(word)
        if sign is None:
            sign = vocabulary.modifier(word)
        if sign is None:
            return None
        if sign == 0:  # "this" adds nothing to a weekday, and Greek's article "την" reads as one
            continue
        if which is not None and sign != which:
            return None
        which = sign
    target = days[0]
    back = (reported.weekday() - target) % 7
    ahead = (target - reported.weekday()) % 7
    if which == -1:
        return day_span(reported - timedelta(days=back or 7))
    if which == 1:
        return day_span(reported + timedelta(days=ahead or 7))
    return day_span(reported + timedelta(days=ahead) if forward else reported - timedelta(days=back))


def _weekday_of_week(cleaned: str, reported: date, vocabulary: _Vocabulary) -> Span | None:
    """ "下周一", "上周五", "来週の月曜日": that weekday of the next, last or this calendar week."""
    for length in range(1, min(len(cleaned), vocabulary.longest_week) + 1):
        phrase = cleaned[:length]
        sign = vocabulary.weeks.get(phrase)
        if sign is None:
            continue
        # The weekday may share the week's character: 下周 + 周一 is written 下周一.
        for cut in range(len(phrase), 0, -1):
            rest = cleaned[cut:].strip().lstrip("の的").strip()
            if rest in vocabulary.weekdays:
                monday = week_span(reported + timedelta(weeks=sign)).start
                return day_span(monday + timedelta(days=vocabulary.weekdays[rest]))
    return None


def _nearest_month_day(month: int, day: int | None, reported: date, forward: bool, text: str) -> Span:
    """A day or month named without a year: the nearest one in the status's direction."""
    step = 1 if forward else -1
    if day is not None and not 1 <= day <= calendar.monthrange(2024, month)[1]:
        real_date(reported.year, month, day, text)  # raises with the month's length
    for offset in range(9):  # 29 February comes round within eight years
        year = reported.year + step * offset
        if day is None:
            span = month_span(year, month)
        elif day > calendar.monthrange(year, month)[1]:
            continue
        else:
            span = day_span(date(year, month, day))
        if (span.end >= reported) if forward else (span.start <= reported):
            return span
    raise DateError(f'"{text}" is not a real date')
