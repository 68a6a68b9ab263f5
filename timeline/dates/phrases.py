"""The phrases read against the story's date ("yesterday", "three weeks ago", "last month"...).

RULES is the table of English phrases, tried in order on the cleaned text (lower case,
clock times and a leading "on"/"the" removed); other languages reach it through
dateparser's translation to English, or through their own words for counts, weekdays
and months (the last steps of ``relative``). Each rule names what it reads and gives
the span for the row's story (``_Story``: the story's date, ``forward`` for a status
that looks ahead, where a bare day or month is the next one, and the numeric order).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .. import holidays
from .names import _nearest_month_day, _named_month_parts, _weekday
from .numeric import _CJK, _NUMERIC_YEARLESS, Order, _yearless_numeric
from .spans import SEASONS, Span, day_span, month_span, season_span, shift_months, week_span, year_span
from .vocabulary import _FILLER, _Vocabulary

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "couple of": 2,
}
_NUMBER = r"(?P<n>\d+|" + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True)) + r")"
_HEDGE = r"(?:(?:nearly|almost|about|around|some|roughly|more than|over|less than|just over|just under) )?"
_UNIT = r"(?P<unit>second|minute|hour|day|week|fortnight|month|year|decade|century|centurie)s?"
_ONE_NUMBER = re.compile(r"^(\D*)(\d+)(\D*)$")
_HOLIDAY = re.compile(
    r"^(?P<name>" + "|".join(sorted(map(re.escape, holidays.HOLIDAYS), key=len, reverse=True)) + r")(?: (?P<year>\d{4}))?$"
)


_MONTHS = {**{name.lower(): i for i, name in enumerate(calendar.month_name) if i},
           **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if i}, "sept": 9}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _offset(reported: date, amount: int, unit: str) -> Span:
    if unit in ("second", "minute", "hour"):
        # The story's hour is unknown: counted from the middle of its day, "15 hours ago" is the day before.
        moment = datetime.combine(reported, time(12)) + timedelta(**{f"{unit}s": amount})
        return day_span(moment.date())
    if unit == "day":
        return day_span(reported + timedelta(days=amount))
    if unit == "week":
        return week_span(reported + timedelta(weeks=amount))
    if unit == "fortnight":
        return week_span(reported + timedelta(weeks=2 * amount))
    if unit == "month":
        return month_span(*shift_months(reported, amount))
    if unit == "decade":
        return year_span(reported.year + 10 * amount)
    if unit in ("century", "centurie"):
        return year_span(reported.year + 100 * amount)
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


def _named_month(m: re.Match, at: _Story) -> Span:
    """ "last May" is the latest May before the story's month, "next March" the first after it,
    "this September" the reported year's; "June last year" is June of the year before."""
    month, reported = _MONTHS[m["month"] or m["month2"]], at.reported
    if m["year"]:
        return month_span(reported.year + {"last": -1, "this": 0, "next": 1}[m["year"]], month)
    which = m["which"]
    if which in ("last", "past"):
        return month_span(reported.year - (month >= reported.month), month)
    if which in ("next", "coming"):
        return month_span(reported.year + (month <= reported.month), month)
    return month_span(reported.year, month)


def _weekend(m: re.Match, at: _Story) -> Span:
    """ "the weekend": the nearest Saturday and Sunday in the status's direction (the one under way
    when the story is told on a weekend)."""
    monday = week_span(at.reported).start
    saturday = monday + timedelta(days=5)
    if at.forward or at.reported >= saturday:
        return Span(saturday, saturday + timedelta(days=1), "day")
    return Span(saturday - timedelta(days=7), saturday - timedelta(days=6), "day")


def _named_holiday(m: re.Match, at: _Story) -> Span:
    """ "last Thanksgiving" is the one before the story's day, "next Christmas" the one after it."""
    if m["which"] == "last":
        return day_span(holidays.nearest(m["name"], at.reported - timedelta(days=1), False))
    if m["which"] == "next":
        return day_span(holidays.nearest(m["name"], at.reported + timedelta(days=1), True))
    return day_span(holidays.nearest(m["name"], at.reported, at.forward))


def _season(m: re.Match, at: _Story) -> Span:
    """ "last summer" ended before the story's day, "next winter" starts after it; "this summer",
    "summer" and "this season" are the one under way, else the nearest in the status's direction."""
    reported, which, season = at.reported, m["which"], m["season"]
    if m["season2"]:  # this season: the one the story's day falls in
        year = reported.year + (reported.month == 12)
        return next(s for s in map(lambda name: season_span(name, year), SEASONS) if s.start <= reported <= s.end)
    spans = [season_span(season, year) for year in range(reported.year - 2, reported.year + 3)]
    if which in ("last", "past"):
        return [s for s in spans if s.end < reported][-1]
    if which in ("next", "coming"):
        return next(s for s in spans if s.start > reported)
    under_way = [s for s in spans if s.start <= reported <= s.end]
    if under_way:
        return under_way[0]
    return next(s for s in spans if s.start > reported) if at.forward else [s for s in spans if s.end < reported][-1]


def _day_word(m: re.Match, at: _Story) -> Span:
    offset = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(m["word"], 0)
    return day_span(at.reported + timedelta(days=offset))


def _yearless(m: re.Match, at: _Story) -> Span:
    (month, day), warning = _yearless_numeric(at.text, int(m["a"]), int(m["b"]), at.order)
    return day_span(_nearest_month_day(month, day, at.reported, at.forward, at.text).start, warning)


def _yearless_cjk(m: re.Match, at: _Story) -> Span | None:
    if not m["m"] or m["y"]:
        return None
    return _nearest_month_day(int(m["m"]), int(m["d"]) if m["d"] else None, at.reported, at.forward, at.text)


@dataclass(frozen=True)
class _Story:
    """What a phrase is read against: its cell's text, the story's date and the row's status and order."""

    text: str
    reported: date
    forward: bool
    order: Order


@dataclass(frozen=True)
class Rule:
    reads: str  # what editors write, as the README's table lists it
    pattern: re.Pattern
    span: Callable[[re.Match, _Story], Span | None]


RULES: tuple[Rule, ...] = (
    Rule("today, yesterday, tomorrow, last night, this morning, yesterday evening",
         re.compile(r"^(?P<word>today|tonight|yesterday|tomorrow|last night|this morning|this afternoon|this evening)"
                    r"(?: (?:morning|afternoon|evening|night|noon|midday|overnight))?$"),
         _day_word),
    Rule("3 days ago, about two weeks ago, a couple of months ago, a week or so ago",
         re.compile(rf"^{_HEDGE}{_NUMBER} {_UNIT}(?: or so)? ago$"),
         lambda m, at: _offset(at.reported, -_count(m["n"]), m["unit"])),
    Rule("in 3 days, within two weeks, in a month's time",
         re.compile(rf"^(?:in|after|within) {_HEDGE}{_NUMBER} {_UNIT}(?: time)?$"),
         lambda m, at: _offset(at.reported, _count(m["n"]), m["unit"])),
    Rule("3 days from now, two weeks later, a year hence",
         re.compile(rf"^{_NUMBER} {_UNIT} (?:from (?:now|today)|later|hence)$"),
         lambda m, at: _offset(at.reported, _count(m["n"]), m["unit"])),
    Rule("last/this/next/past week, weekend, month or year; earlier/later this week, earlier in the year",
         re.compile(r"^(?P<which>last|this|next|earlier this|later this|past|earlier in the|later in the|current) "
                    r"(?P<unit>week|weekend|month|year)$"),
         lambda m, at: _period(at.reported, m["which"], m["unit"])),
    Rule("last May, this September, next March; June last year, in March next year (month precision)",
         re.compile(rf"^(?:in )?(?:(?P<which>last|past|this|next|coming) {_MONTH}"
                    rf"|{_MONTH.replace('month', 'month2')} (?P<year>last|this|next) year)$"),
         _named_month),
    Rule("the weekend (the nearest in the status's direction)", re.compile(r"^weekend$"), _weekend),
    Rule("summer, this summer, last winter, next spring, this season (northern-hemisphere seasons)",
         re.compile(r"^(?:(?P<which>this|last|past|next|coming) )?(?P<season>spring|summer|autumn|fall|winter)$"
                    r"|^(?P<this>this|current) (?P<season2>season)$"),
         _season),
    Rule("last Thanksgiving, next Christmas, this Easter",
         re.compile(r"^(?P<which>last|next|this) (?P<name>" + "|".join(sorted(map(re.escape, holidays.HOLIDAYS),
                                                                         key=len, reverse=True)) + r")$"),
         _named_holiday),
    Rule("Thanksgiving, Christmas, Easter... (the nearest one in the status's direction)",
         _HOLIDAY,
         lambda m, at: day_span(holidays.nearest(m["name"], at.reported, at.forward))),
    Rule("05/06, 25.12. (a day and month without a year: the nearest one)",
         _NUMERIC_YEARLESS, _yearless),
    Rule("11月23日, 11월 (without a year: the nearest one)", _CJK, _yearless_cjk),
)


# "early 2022", "mid-November", "late next month", "the end of the year", "year-end", "around Nov. 1":
# a qualifier, then the period it cuts (spans.part_of gives the part).
_QUALIFIED = re.compile(
    r"^(?P<q>early|mid|late|later|earlier|beginning of|start of|middle of|end of|around|about|or about)"
    r"[- ](?:the )?(?P<rest>\S.*)$"
)
_QUALIFIERS = {"later": "late", "earlier": "early", "start of": "beginning of", "about": "around",
               "or about": "around"}  # "on or about", whose "on" cleaning took
_YEAR_END = re.compile(r"^(?:(?P<q>around|about|by|at) )?(?:the )?(?:year[- ]?end|year's end)$")
# "the week of March 6", "Easter week": the calendar week (Monday to Sunday) holding that day.
_WEEK_OF = re.compile(r"^(?:week of (?P<rest>\S.*)|(?P<holiday>" + "|".join(map(re.escape, holidays.HOLIDAYS))
                      + r") week)$")
# "the third quarter of 2005", "the final quarter", "the first half of the year", "Q3 2005".
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
             "1": 1, "2": 2, "3": 3, "4": 4}
_PART = re.compile(r"^(?:(?P<ord>first|second|third|fourth|final|1st|2nd|3rd|4th) (?P<part>quarter|half)"
                   r"(?: of (?:the )?(?P<rest>\S.*))?|q(?P<q>[1-4]) (?P<qrest>\d{4}))$")
# "summer 2025", "the summer of 2025": absolute; "this summer", "late summer" are read against the story.
_SEASON_OF = re.compile(r"^(?P<season>spring|summer|autumn|fall|winter) (?:of )?(?P<year>\d{4})$")
# "the day before yesterday", "day before last Tuesday": one day off a day the story names.
_DAY_BEFORE = re.compile(r"^day (?P<q>before|after) (?P<rest>\S.*)$")
_BARE_PERIODS = {"week": "this week", "month": "this month", "year": "this year"}
# "about 3 weeks ago" counts roughly by its own rule (_HEDGE): a week is honest enough, no warning.
_HEDGED = re.compile(rf"^(?:about|around) {_NUMBER} {_UNIT}")


def qualified_parts(cleaned: str) -> tuple[str, str] | None:
    """(qualifier, the period it cuts) of a cleaned text, or None: "end of the month" is ("end of",
    "this month"), "year-end" ("end of", "this year")."""
    if m := _PART.match(cleaned):
        kind = m["part"] or "quarter"
        number = _ORDINALS.get(m["ord"] or m["q"], 0) or (4 if kind == "quarter" else 2)
        rest = m["rest"] or m["qrest"] or "year"
        return f"{kind} {number}", _BARE_PERIODS.get(rest, rest)
    if m := _SEASON_OF.match(cleaned):
        return m["season"], m["year"]
    if m := _WEEK_OF.match(cleaned):
        return "week of", m["rest"] or m["holiday"]
    if m := _DAY_BEFORE.match(cleaned):
        return f"day {m['q']}", m["rest"]
    if m := _YEAR_END.match(cleaned):
        return ("around", "end of this year") if m["q"] in ("around", "about") else ("end of", "this year")
    if (m := _QUALIFIED.match(cleaned)) and not _HEDGED.match(cleaned) \
            and not (m["q"] in ("later", "earlier") and m["rest"].startswith(("this ", "in the "))):
        # "earlier this year" is this year so far, told as the year: the period rule reads it whole
        return _QUALIFIERS.get(m["q"], m["q"]), _BARE_PERIODS.get(m["rest"], m["rest"])
    return None


# Ranges in one cell: "1980-1988", "November 15-16", "Nov. 30-Dec. 2, 2025", "15-16 November 2025".
# A number after the dash is a day, never a year, unless it has four digits.
_DASH = r"\s*[-–—]\s*"
_RANGE_YEAR = r"(?:,?\s*(?P<y>\d{4}))?"
_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_RANGES = (
    re.compile(rf"^(?P<y1>\d{{4}}){_DASH}(?P<y2>\d{{4}})$"),
    re.compile(rf"^(?P<m1>{_NAME})\.?\s+(?P<d1>\d{{1,2}}){_DASH}(?:(?P<m2>{_NAME})\.?\s+)?(?P<d2>\d{{1,2}}){_RANGE_YEAR}$"),
    re.compile(rf"^(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{_NAME})\.?)?{_DASH}(?P<d2>\d{{1,2}})\s+(?P<m2>{_NAME})\.?{_RANGE_YEAR}$"),
)


def range_ends(cleaned: str) -> tuple[str, str] | None:
    """The two ends of a range written in one cell, each as a date the reader reads on its own,
    the month and year it shares with the other written out ("nov 15-16, 2025": "nov 15 2025",
    "nov 16 2025"); None for any other text."""
    if "-" not in cleaned and "–" not in cleaned and "—" not in cleaned:
        return None
    for pattern in _RANGES:
        if m := pattern.match(cleaned):
            found = m.groupdict()
            if "y1" in found:
                return found["y1"], found["y2"]
            year = f" {found['y']}" if found["y"] else ""
            first, second = found["m1"] or found["m2"], found["m2"] or found["m1"]
            return f"{first} {found['d1']}{year}", f"{second} {found['d2']}{year}"
    return None


# --- years in words, fiscal years, and phrases anchored on another event --------------------------

_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine".split())}
_TEENS = {w: i + 10 for i, w in enumerate("ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
                                            "eighteen nineteen".split())}
_TENS = {w: (i + 2) * 10 for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}


def _below_100(words: list[str]) -> int | None:
    """ "ninety six" -> 96, "five" -> 5, "oh five" -> 5, "" -> 0."""
    if not words:
        return 0
    if words[0] == "oh" and len(words) == 2 and words[1] in _UNITS:
        return _UNITS[words[1]]
    if len(words) == 1:
        return _UNITS.get(words[0], _TEENS.get(words[0], _TENS.get(words[0])))
    if len(words) == 2 and words[0] in _TENS and words[1] in _UNITS and words[1] != "zero":
        return _TENS[words[0]] + _UNITS[words[1]]
    return None


def spelled_year(cleaned: str) -> int | None:
    """The year written in words ("nineteen ninety-six", "two thousand and five", "twenty twenty-five"),
    or in digits after "year" ("the year 2000"); None for any other text."""
    words = cleaned.replace("-", " ").split()
    if words[:1] == ["year"]:
        words = words[1:]
        if len(words) == 1 and words[0].isdigit() and len(words[0]) == 4:
            return int(words[0])
    if len(words) < 2 or not all(w.isalpha() for w in words):
        return None
    words = [w for w in words if w != "and"]
    if len(words) >= 2 and words[1] == "thousand" and words[0] in _UNITS:
        rest = _below_100(words[2:])
        return None if rest is None else _UNITS[words[0]] * 1000 + rest
    century = _TEENS.get(words[0]) or _TENS.get(words[0])
    if century is None:
        return None
    if words[1:] == ["hundred"]:
        return century * 100
    rest = _below_100(words[1:])
    return None if rest is None or not rest and len(words) > 1 else century * 100 + rest


_FISCAL = re.compile(r"^(?:fiscal(?: year)?|fy) ?(?P<year>\d{4})$")
_FISCAL_WORDS = re.compile(r"^(?:(?:this|last|next|the|current) )?fiscal(?: year)?$")
_ANCHORED = re.compile(
    rf"^(?:{_NUMBER} {_UNIT} (?:earlier|before|after)|(?:later|earlier) that (?:day|week|month|year)"
    r"|the next (?:morning|afternoon|evening|night|day)|the same day"
    r"|the (?:following|previous|preceding) (?:morning|afternoon|evening|night|day|week|weekend|month|year"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|that (?:day|morning|afternoon|evening|night|week|month|year)|the day (?:before|after))$"
)


def refused(text: str) -> str | None:
    """Why a phrase we recognise cannot be a date of its own, or None."""
    said = " ".join(text.lower().split()).rstrip(".")
    if _ANCHORED.match(said):
        return (f'"{text}" counts from another event, not from the story\'s date: write that event\'s date, '
                "or the date itself")
    if _FISCAL_WORDS.match(said):
        return (f'cannot read "{text}" as a date: fiscal years differ between governments and companies; '
                "write the year (fiscal 2025) or its months (2024-10 to 2025-09)")
    return None


def fiscal_year(cleaned: str, text: str) -> Span | None:
    """ "fiscal 1989", "FY2025": that calendar year, with a warning that fiscal years vary."""
    if m := _FISCAL.match(cleaned):
        year = int(m["year"])
        span = year_span(year)
        return Span(span.start, span.end, span.precision,
                    f'"{text}" is read as the calendar year {year}: fiscal years vary; write its months '
                    f"(such as {year - 1}-10 to {year}-09) when the convention is known")
    return None


def relative(text: str, cleaned: str, reported: date, forward: bool, vocabulary: _Vocabulary,
             order: Order = None) -> Span | None:
    """The span of a phrase read against the story's date, or None when no rule reads it."""
    # "minggu depan" is next week, though "minggu" is also Sunday: a whole phrase first.
    phrase = vocabulary.phrases.get(cleaned)
    if phrase is None and " " in cleaned:  # "la settimana scorsa" for dateparser's "settimana scorsa"
        phrase = vocabulary.phrases.get(" ".join(w for w in cleaned.split() if w not in _FILLER))
    cleaned = phrase or cleaned
    at = _Story(text, reported, forward, order)
    for rule in RULES:
        if (m := rule.pattern.match(cleaned)) and (span := rule.span(m, at)):
            return span
    # Every language's own "N days ago" ("hace 3 días", "3 dni temu"), weekdays and months.
    if (m := _ONE_NUMBER.match(cleaned)) and (found := vocabulary.counts.get(f"{m[1]}#{m[3]}")):
        sign, unit = found
        return _offset(reported, sign * int(m[2]), unit)
    if span := _weekday(cleaned, reported, forward, vocabulary):
        return span
    parts = _named_month_parts(cleaned, vocabulary)
    if parts is not None:
        _, month, day = parts
        if month is not None:
            return _nearest_month_day(month, day, reported, forward, text)
    return None
