"""Reading the dates editors copy from articles into (start, end, precision).

The fast paths (ISO, numeric, "Nov. 21, 2025" and its forms in the supported
languages, weekdays, holidays, "N days ago", "last month") are our own code;
anything else goes to dateparser. Every reading is cached by what it depends on,
so a file with 100,000 rows costs one dateparser call per distinct phrase at most.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from . import holidays
from .schema import FORWARD_STATUSES

LANGUAGES = ("en", "uk", "ru", "fr", "de")

# Two unrelated reference days: a phrase that reads differently against them
# depends on the day it was written, so it needs the row's reported date.
_PROBE_BASES = (datetime(2001, 3, 14), datetime(2013, 8, 27))


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


# --- vocabulary, taken from dateparser's own locale data -------------------------------

@lru_cache(maxsize=None)
def _vocabulary(languages: tuple[str, ...]):
    from dateparser.languages.loader import LocaleDataLoader

    loader = LocaleDataLoader()
    months: dict[str, set[int]] = {}
    weekdays: dict[str, set[int]] = {}
    for code in languages:
        info = loader.get_locale(code).info
        for number, name in enumerate(calendar.month_name[1:], start=1):
            for word in info.get(name.lower(), []):
                months.setdefault(_fold(word), set()).add(number)
        for number, name in enumerate(calendar.day_name):
            for word in info.get(name.lower(), []):
                weekdays.setdefault(_fold(word), set()).add(number)
    # A word that names two different months or days in two languages is left to dateparser.
    clean = lambda table: {w: n.pop() for w, n in table.items() if len(n) == 1 and w}  # noqa: E731
    return clean(months), clean(weekdays)


def _fold(word: str) -> str:
    return word.lower().strip(". ")


# Words that carry no date information around day-month-year forms in the supported languages.
_FILLER = {
    "the", "of", "on", "in", "st", "nd", "rd", "th",  # en
    "le", "er", "en",  # fr
    "am", "im",  # de
    "року", "рік", "році", "р", "у",  # uk
    "года", "год", "году", "г", "в",  # ru
}
_QUALIFIER = {"early", "mid", "late", "end", "beginning", "start"}
_TOKEN = re.compile(r"\d+|[^\W\d_]+(?:'s)?")
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "couple of": 2,
}
_NUMBER = r"(?P<n>\d+|" + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True)) + r")"
_HEDGE = r"(?:(?:nearly|almost|about|around|some|roughly|more than|over|less than|just over|just under) )?"
_AGO = re.compile(rf"^{_HEDGE}{_NUMBER} (?P<unit>day|week|month|year)s? ago$")
_IN = re.compile(rf"^in {_NUMBER} (?P<unit>day|week|month|year)s?(?: time)?$")
_PERIOD = re.compile(r"^(?P<which>last|this|next|earlier this|later this|past) (?P<unit>week|weekend|month|year)$")
_TIME_OF_DAY = r"(?: (?:morning|afternoon|evening|night|noon|midday|overnight))?"
_DAYWORD = re.compile(rf"^(?P<word>today|tonight|yesterday|tomorrow|last night|this morning|this afternoon|this evening){_TIME_OF_DAY}$")
_LEADING = re.compile(r"^(?:on|by|at|since|the|в|во|у|am|le)\s+")
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_HOLIDAY = re.compile(
    r"^(?P<name>" + "|".join(sorted(map(re.escape, holidays.HOLIDAYS), key=len, reverse=True)) + r")(?: (?P<year>\d{4}))?$"
)


def _clean(text: str) -> str:
    folded = " ".join(text.lower().replace("\u2019", "'").split()).rstrip(".!,;")
    return _LEADING.sub("", folded)


# --- the reader ------------------------------------------------------------------------

class DateReader:
    """Reads date cells; one instance keeps its caches across files and reloads."""

    def __init__(self, languages: tuple[str, ...] = LANGUAGES):
        self.languages = tuple(languages)
        self._absolute: dict[str, Span | DateError | None] = {}
        self._relative: dict[tuple[str, date, bool], Span | DateError] = {}
        self._parsers: dict = {}

    def read(self, text: str, reported: date | None = None, status: str = "happened") -> Span:
        """The span ``text`` means for a row reported on ``reported`` with ``status``."""
        text = text.strip()
        if not text:
            raise DateError("is empty")
        found = self._absolute.get(text, ...)
        if found is ...:
            found = self._absolute[text] = self._try_absolute(text)
        if isinstance(found, DateError):
            raise found
        if found is not None:
            return found
        if reported is None:
            raise DateError(f'"{text}" is relative to when the story was written: fill in the reported column')
        key = (text, reported, status in FORWARD_STATUSES)
        found = self._relative.get(key)
        if found is None:
            try:
                found = self._read_relative(text, reported, key[2])
            except DateError as error:
                found = error
            except (OverflowError, ValueError):
                found = DateError(f'"{text}" falls outside the calendar when counted from {reported.isoformat()}')
            self._relative[key] = found
        if isinstance(found, DateError):
            raise found
        return found

    def is_absolute(self, text: str) -> bool:
        """Whether ``text`` means the same days whenever the story was written."""
        text = text.strip()
        if text not in self._absolute:
            self._absolute[text] = self._try_absolute(text)
        return isinstance(self._absolute[text], Span)

    def read_reported(self, text: str) -> date:
        """A reported date: absolute, to the day."""
        span = self.read(text)
        if span.precision != "day":
            raise DateError(f'"{text.strip()}" names a {span.precision}; a reported date needs the day')
        return span.start

    # Absolute readings depend on the text alone; None means "relative, needs reported".
    def _try_absolute(self, text: str) -> Span | DateError | None:
        try:
            span = self._absolute_fast(text)
            if span is None and not self._is_relative_phrase(text):
                span = self._absolute_slow(text)
            return span
        except DateError as error:
            return error
        except (ValueError, OverflowError):  # year 0, counts past the calendar
            return DateError(f'"{text}" is outside the calendar')

    def _absolute_fast(self, text: str) -> Span | None:
        if m := _ISO_DAY.match(text):
            return day_span(real_date(int(m[1]), int(m[2]), int(m[3]), text))
        if m := _ISO_MONTH.match(text):
            if not 1 <= int(m[2]) <= 12:
                raise DateError(f'"{text}" has no month {int(m[2])}')
            return month_span(int(m[1]), int(m[2]))
        if m := _YEAR.match(text):
            return year_span(int(m[1]))
        if m := _NUMERIC.match(text):
            return _numeric(text, int(m["a"]), int(m["b"]), int(m["y"]))
        cleaned = _clean(text)
        if (m := _HOLIDAY.match(cleaned)) and m["year"]:
            return day_span(holidays.HOLIDAYS[m["name"]](int(m["year"])))
        parts = self._named_month_parts(cleaned)
        if parts is not None:
            year, month, day = parts
            if year is None:
                return None  # a day or month without a year is relative
            if month is None:
                return year_span(year)
            if day is None:
                return month_span(year, month)
            return day_span(real_date(year, month, day, text))
        return None

    def _is_relative_phrase(self, text: str) -> bool:
        try:
            return self._relative_fast(_clean(text), _PROBE_BASES[0].date(), False) is not None
        except (DateError, ValueError, OverflowError):
            # e.g. "29 February" has no such day in the probe year: it still needs the reported date
            return True

    def _named_month_parts(self, cleaned: str):
        """(year|None, month, day|None) for "Nov. 21, 2025", "23 листопада", "mars 2022"..."""
        months, _ = _vocabulary(self.languages)
        tokens = [t for t in _TOKEN.findall(cleaned) if t not in _FILLER]
        # "early 2022", "mid-November 2025": the period's precision already says "roughly"
        if tokens and tokens[0] in _QUALIFIER:
            tokens = tokens[1:]
        if not 1 <= len(tokens) <= 3 or tokens[0] in _QUALIFIER and len(tokens) == 1:
            return None
        shape = []
        for token in tokens:
            if token in months:
                shape.append("M")
            elif token.isdigit() and len(token) <= 2:
                shape.append("D")
            elif token.isdigit() and len(token) == 4:
                shape.append("Y")
            else:
                return None
        shape = "".join(shape)
        pick = lambda kind: tokens[shape.index(kind)] if kind in shape else None  # noqa: E731
        if shape not in {"DMY", "MDY", "MY", "YMD", "DM", "MD", "M", "YM", "Y"}:
            return None
        year, month, day = pick("Y"), pick("M"), pick("D")
        return (int(year) if year else None, months[month] if month else None, int(day) if day else None)

    def _absolute_slow(self, text: str) -> Span | None:
        readings = [self._dateparser(text, base, None) for base in _PROBE_BASES]
        if readings[0] is None:
            raise DateError(f'cannot read "{text}" as a date')
        spans = [_from_dateparser(*reading) for reading in readings]
        return spans[0] if spans[0] == spans[1] else None

    def _read_relative(self, text: str, reported: date, forward: bool) -> Span:
        cleaned = _clean(text)
        span = self._relative_fast(cleaned, reported, forward)
        if span is not None:
            return span
        prefer = "future" if forward else "past"
        reading = self._dateparser(text, datetime.combine(reported, datetime.min.time()), prefer)
        if reading is None:
            raise DateError(f'cannot read "{text}" as a date')
        return _from_dateparser(*reading)

    def _relative_fast(self, cleaned: str, reported: date, forward: bool) -> Span | None:
        if m := _DAYWORD.match(cleaned):
            offset = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(m["word"], 0)
            return day_span(reported + timedelta(days=offset))
        if m := _AGO.match(cleaned):
            return _offset(reported, -_count(m["n"]), m["unit"])
        if m := _IN.match(cleaned):
            return _offset(reported, _count(m["n"]), m["unit"])
        if m := _PERIOD.match(cleaned):
            return _period(reported, m["which"], m["unit"])
        if m := _HOLIDAY.match(cleaned):
            return day_span(holidays.nearest(m["name"], reported, forward))
        if span := self._weekday(cleaned, reported, forward):
            return span
        parts = self._named_month_parts(cleaned)
        if parts is not None:
            _, month, day = parts
            return _nearest_month_day(month, day, reported, forward)
        return None

    def _weekday(self, cleaned: str, reported: date, forward: bool) -> Span | None:
        _, weekdays = _vocabulary(self.languages)
        m = re.match(rf"^(?:(?P<which>last|this|next|past|coming) )?(?P<day>[^\W\d_]+(?:'[^\W\d_]+)?){_TIME_OF_DAY}$", cleaned)
        if not m or m["day"] not in weekdays:
            return None
        target = weekdays[m["day"]]
        which = m["which"]
        back = (reported.weekday() - target) % 7
        ahead = (target - reported.weekday()) % 7
        if which in ("last", "past"):
            return day_span(reported - timedelta(days=back or 7))
        if which in ("next", "coming"):
            return day_span(reported + timedelta(days=ahead or 7))
        return day_span(reported + timedelta(days=ahead) if forward else reported - timedelta(days=back))

    def _dateparser(self, text: str, base: datetime, prefer: str | None):
        parser = self._parsers.get((base, prefer))
        if parser is None:
            from dateparser.date import DateDataParser

            settings = {
                "RELATIVE_BASE": base,
                "DATE_ORDER": "DMY",
                "PREFER_DAY_OF_MONTH": "first",
                "RETURN_AS_TIMEZONE_AWARE": False,
            }
            if prefer:
                settings["PREFER_DATES_FROM"] = prefer
            parser = self._parsers[(base, prefer)] = DateDataParser(languages=list(self.languages), settings=settings)
        data = parser.get_date_data(text)
        # dateparser sometimes reads stray numbers as a year in the first millennium: not our news.
        if data.date_obj is None or data.date_obj.year < 1000:
            return None
        return data.date_obj.date(), data.period or "day"


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _from_dateparser(day: date, period: str) -> Span:
    if period == "year":
        return year_span(day.year)
    if period == "month":
        return month_span(day.year, day.month)
    if period == "week":
        return week_span(day)
    return day_span(day)


def _numeric(text: str, first: int, second: int, year: int) -> Span:
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


def _offset(reported: date, amount: int, unit: str) -> Span:
    if unit == "day":
        return day_span(reported + timedelta(days=amount))
    if unit == "week":
        return week_span(reported + timedelta(weeks=amount))
    if unit == "month":
        return month_span(*shift_months(reported, amount))
    return year_span(reported.year + amount)


def _period(reported: date, which: str, unit: str) -> Span:
    step = {"last": -1, "past": -1, "next": 1}.get(which, 0)
    if unit == "week":
        return week_span(reported + timedelta(weeks=step))
    if unit == "weekend":
        monday = week_span(reported + timedelta(weeks=step)).start
        return Span(monday + timedelta(days=5), monday + timedelta(days=6), "day")
    if unit == "month":
        return month_span(*shift_months(reported, step))
    return year_span(reported.year + step)


def _nearest_month_day(month: int, day: int | None, reported: date, forward: bool) -> Span:
    """A day or month named without a year: the nearest one in the status's direction."""
    years = (reported.year, reported.year + 1) if forward else (reported.year, reported.year - 1)
    for year in years:
        span = month_span(year, month) if day is None else day_span(real_date(year, month, day, f"{day}/{month}"))
        if (span.end >= reported) if forward else (span.start <= reported):
            return span
    return span
