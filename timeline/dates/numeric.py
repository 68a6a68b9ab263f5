"""Dates written in numbers: ISO, slashes and dots, and Chinese, Japanese and Korean forms.

The order of day and month in 3/7/2022 is the writer's convention, not the text's: an
``order`` of "DMY" reads it 3 July, "MDY" (and "YMD", whose month also comes before
its day) 7 March, and a cell that is a real date only the other way round is an
error. Without an order (a cell read on its own) it is day first, month first only
when that is the one real reading, with a warning. ``written_order`` says what a
cell itself tells about the convention, so that a file's order can be decided from
its unambiguous cells before any is read.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from typing import Literal

from .spans import DateError, Span, day_span, month_span, real_date, year_span

_NUMERIC = re.compile(r"^(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})$")
_NUMERIC_YEARLESS = re.compile(r"^(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?:(?<=\.\d)\.|(?<=\.\d\d)\.)?$")
_DIGITS_ONLY = re.compile(r"^[\d./-]+$")

ORDERS = ("DMY", "MDY", "YMD")
Order = Literal["DMY", "MDY", "YMD"] | None

_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
# Chinese, Japanese and Korean: 2025年11月23日, 2025년 11월 23일, 11月23日.
_CJK = re.compile(
    r"^(?:(?P<y>\d{4})\s*[年년]\s*)?(?:(?P<m>\d{1,2})\s*[月월]\s*(?:(?P<d>\d{1,2})\s*[日일号號]?)?)?$"
)

_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _ascii_digits(text: str) -> str:
    """٢٠٢٥ and २०२५ as 2025."""
    if text.isascii() or not _OTHER_DIGIT.search(text):
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.digit(m[0])), text)


def _numbers(text: str, cleaned: str, order: Order = None) -> Span | None:
    """ISO, numeric and CJK dates: no words, so no vocabulary needed."""
    if not _DIGITS_ONLY.match(cleaned):
        return _cjk(text, cleaned) if "月" in cleaned or "월" in cleaned else None
    if m := _ISO_DAY.match(cleaned):
        return day_span(real_date(int(m[1]), int(m[2]), int(m[3]), text))
    if m := _ISO_MONTH.match(cleaned):
        if not 1 <= int(m[2]) <= 12:
            raise DateError(f'"{text}" has no month {int(m[2])}')
        return month_span(int(m[1]), int(m[2]))
    if m := _YEAR.match(cleaned):
        return year_span(int(m[1]))
    if m := _NUMERIC.match(cleaned):
        return _numeric(text, int(m["a"]), int(m["b"]), int(m["y"]), order)
    if m := _NUMERIC_YEARLESS.match(cleaned):
        _yearless_numeric(text, int(m["a"]), int(m["b"]), order)  # an impossible one is an error at once
        return None
    return None


def _cjk(text: str, cleaned: str) -> Span | None:
    if (m := _CJK.match(cleaned)) and m["m"]:
        if not 1 <= int(m["m"]) <= 12:
            raise DateError(f'"{text}" has no month {int(m["m"])}')
        if not m["y"]:
            return None
        if not m["d"]:
            return month_span(int(m["y"]), int(m["m"]))
        return day_span(real_date(int(m["y"]), int(m["m"]), int(m["d"]), text))
    return None


def written_order(cleaned: str) -> str | None:
    """What a numeric cell says of its writer's order: "DMY" or "MDY" when only that reading is
    a real date (24/2/2022, 2/24/2022), "either" when both are and differ (3/7/2022), else None."""
    m = _NUMERIC.match(cleaned) or _NUMERIC_YEARLESS.match(cleaned)
    if m is None:
        return None
    first, second = int(m["a"]), int(m["b"])
    year = int(m["y"]) if m.groupdict().get("y") else 2024  # 2024: 29 February is real
    day_first, month_first = _real(year, second, first), _real(year, first, second)
    if day_first and month_first:
        return "either" if first != second else None
    return "DMY" if day_first else "MDY" if month_first else None


def _real(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _other_way(text: str, order: str, month: int, day: int, year: int | None) -> DateError:
    """The error for a cell that is a real date only in the order the file does not use."""
    written = f"{year:04d}-{month:02d}-{day:02d}" if year else f"{calendar.month_name[month]} {day}"
    first = "day" if order == "DMY" else "month"
    other = "month" if order == "DMY" else "day"
    return DateError(
        f'"{text}" is a real date only {other} first ({written}), but numeric dates here are read {first} '
        f"first: write {written}, or give the order (--date-order, or a locale such as en-US or en-GB "
        "in the language column)"
    )


def _numeric(text: str, first: int, second: int, year: int, order: Order = None) -> Span:
    if order is not None:
        month, day = (second, first) if order == "DMY" else (first, second)
        if _real(year, month, day):
            return day_span(date(year, month, day))
        if _real(year, day, month):
            raise _other_way(text, order, day, month, year)
        raise DateError(f'"{text}" is not a real date (read {"day" if order == "DMY" else "month"} first)')
    try:
        return day_span(date(year, second, first))
    except ValueError:
        pass
    try:
        day = date(year, first, second)
    except ValueError:
        raise DateError(f'"{text}" is not a real date (read day first, then month)') from None
    return day_span(
        day,
        f'"{text}" only makes sense month first; read as {day.isoformat()} (write ISO dates to be unambiguous)',
    )


def _yearless_numeric(text: str, first: int, second: int,
                      order: Order = None) -> tuple[tuple[int, int], str | None]:
    """((month, day), warning) for "05/06" (day first) or "12/25" (month first, the only reading)."""
    def real(month: int, day: int) -> bool:
        return _real(2024, month, day)  # 2024: 29 February is real

    if order is not None:
        month, day = (second, first) if order == "DMY" else (first, second)
        if real(month, day):
            return (month, day), None
        if real(day, month):
            raise _other_way(text, order, day, month, None)
        raise DateError(f'"{text}" is not a real date (read {"day" if order == "DMY" else "month"} first)')
    if real(second, first):
        return (second, first), None
    if real(first, second):
        return (first, second), (f'"{text}" only makes sense month first; read as month {first}, day {second} '
                                 "(write ISO dates to be unambiguous)")
    raise DateError(f'"{text}" is not a real date (read day first, then month)')

