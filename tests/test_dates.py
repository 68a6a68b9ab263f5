"""Reading date cells into (start, end, precision): timeline.dates and timeline.holidays.

Every expected value is exact. None of them depends on the day the suite runs:
absolute dates must not need a reference day at all, and relative ones are read
against the row's reported date only.
"""

from __future__ import annotations

import calendar
from datetime import date

import pytest

from timeline import holidays
from timeline.dates import DateError, DateReader, Span

D = date


@pytest.fixture(scope="module")
def reader():
    return DateReader()


def day(y, m, d):
    return Span(D(y, m, d), D(y, m, d), "day")


def span(start, end, precision):
    return Span(start, end, precision)


# --- absolute dates: the text alone decides ----------------------------------------------

ABSOLUTE = [
    # the article forms the issue names, one per language
    pytest.param("Nov. 21, 2025", day(2025, 11, 21), id="en-abbrev-month"),
    pytest.param("23 листопада 2025", day(2025, 11, 23), id="uk-genitive-month"),
    pytest.param("24 февраля 2022 года", day(2022, 2, 24), id="ru-with-goda"),
    pytest.param("29 mars 2022", day(2022, 3, 29), id="fr"),
    pytest.param("22. Juli 2022", day(2022, 7, 22), id="de-dotted-day"),
    # more spellings of the same idea
    pytest.param("21 November 2025", day(2025, 11, 21), id="en-day-month-year"),
    pytest.param("November 21st, 2025", day(2025, 11, 21), id="en-ordinal"),
    pytest.param("le 29 mars 2022", day(2022, 3, 29), id="fr-with-article"),
    pytest.param("am 22. Juli 2022", day(2022, 7, 22), id="de-with-am"),
    pytest.param("22 лютого 2022 року", day(2022, 2, 22), id="uk-with-roku"),
    # numeric: day first, ISO always ISO
    pytest.param("16/05/2025", day(2025, 5, 16), id="slashes-day-first"),
    pytest.param("05/06/2025", day(2025, 6, 5), id="slashes-ambiguous-read-day-first"),
    pytest.param("22.07.2022", day(2022, 7, 22), id="dots-day-first"),
    pytest.param("2025-05-06", day(2025, 5, 6), id="iso-never-day-first"),
    pytest.param("2025-11-12", day(2025, 11, 12), id="iso-day-could-be-month"),
    pytest.param("2025-1-9", day(2025, 1, 9), id="iso-unpadded"),
    # precision kept
    pytest.param("September 2025", span(D(2025, 9, 1), D(2025, 9, 30), "month"), id="month"),
    pytest.param("Sept. 2025", span(D(2025, 9, 1), D(2025, 9, 30), "month"), id="month-abbrev"),
    pytest.param("February 2024", span(D(2024, 2, 1), D(2024, 2, 29), "month"), id="month-leap-february"),
    pytest.param("February 2025", span(D(2025, 2, 1), D(2025, 2, 28), "month"), id="month-february"),
    pytest.param("2025-09", span(D(2025, 9, 1), D(2025, 9, 30), "month"), id="iso-month"),
    pytest.param("листопад 2025", span(D(2025, 11, 1), D(2025, 11, 30), "month"), id="uk-month"),
    pytest.param("März 2022", span(D(2022, 3, 1), D(2022, 3, 31), "month"), id="de-month"),
    pytest.param("1991", span(D(1991, 1, 1), D(1991, 12, 31), "year"), id="year"),
    pytest.param("в 1991 году", span(D(1991, 1, 1), D(1991, 12, 31), "year"), id="ru-year-in-prepositional"),
    # holidays with a year are absolute too
    pytest.param("Thanksgiving 2025", day(2025, 11, 27), id="thanksgiving-2025"),
    pytest.param("Thanksgiving 2024", day(2024, 11, 28), id="thanksgiving-2024"),
    pytest.param("Christmas 2024", day(2024, 12, 25), id="christmas-2024"),
    pytest.param("New Year 2026", day(2026, 1, 1), id="new-year-2026"),
    pytest.param("Easter 2024", day(2024, 3, 31), id="easter-2024"),
    pytest.param("Easter 2025", day(2025, 4, 20), id="easter-2025"),
]


@pytest.mark.parametrize("text, expected", ABSOLUTE)
def test_absolute_date(reader, text, expected):
    assert reader.read(text) == expected


@pytest.mark.parametrize("text, expected", ABSOLUTE)
def test_absolute_date_ignores_reported_and_status(reader, text, expected):
    # Neither a reported date years away nor a forward-looking status moves an absolute date.
    assert reader.read(text, D(2031, 6, 15), "planned") == expected
    assert reader.read(text, D(1990, 1, 2), "happened") == expected


def test_surrounding_whitespace_is_ignored(reader):
    assert reader.read("  2025-05-06 \t") == day(2025, 5, 6)


def test_numeric_date_valid_only_month_first_is_read_month_first_with_a_warning(reader):
    assert reader.read("11/23/2025") == Span(
        D(2025, 11, 23),
        D(2025, 11, 23),
        "day",
        '"11/23/2025" only makes sense month first; read as 2025-11-23 (write ISO dates to be unambiguous)',
    )


@pytest.mark.parametrize("text", ["16/05/2025", "05/06/2025", "2025-05-06", "Nov. 21, 2025"])
def test_unambiguous_dates_carry_no_warning(reader, text):
    assert reader.read(text).warning is None


# --- relative dates: against the row's reported date, never today -------------------------

MON_24_NOV = D(2025, 11, 24)  # a Monday
WED_19_NOV = D(2025, 11, 19)

RELATIVE = [
    pytest.param("yesterday", MON_24_NOV, day(2025, 11, 23), id="yesterday"),
    pytest.param("yesterday", D(2025, 3, 1), day(2025, 2, 28), id="yesterday-across-month"),
    pytest.param("yesterday", D(1999, 1, 1), day(1998, 12, 31), id="yesterday-long-ago"),
    pytest.param("three days ago", MON_24_NOV, day(2025, 11, 21), id="three-days-ago"),
    pytest.param("three days ago", D(2024, 3, 2), day(2024, 2, 28), id="three-days-ago-leap-year"),
    pytest.param("3 days ago", MON_24_NOV, day(2025, 11, 21), id="3-days-ago"),
    pytest.param("last month", MON_24_NOV, span(D(2025, 10, 1), D(2025, 10, 31), "month"), id="last-month"),
    pytest.param("last month", D(2025, 1, 15), span(D(2024, 12, 1), D(2024, 12, 31), "month"), id="last-month-across-year"),
    pytest.param("last month", D(2024, 3, 31), span(D(2024, 2, 1), D(2024, 2, 29), "month"), id="last-month-from-31st"),
    pytest.param("last week", MON_24_NOV, span(D(2025, 11, 17), D(2025, 11, 23), "week"), id="last-week-from-monday"),
    pytest.param("last week", D(2025, 11, 23), span(D(2025, 11, 10), D(2025, 11, 16), "week"), id="last-week-from-sunday"),
    pytest.param("last week", D(2026, 1, 1), span(D(2025, 12, 22), D(2025, 12, 28), "week"), id="last-week-across-year"),
    pytest.param("last weekend", MON_24_NOV, span(D(2025, 11, 22), D(2025, 11, 23), "day"), id="last-weekend-from-monday"),
    pytest.param("last weekend", D(2025, 11, 22), span(D(2025, 11, 15), D(2025, 11, 16), "day"), id="last-weekend-from-saturday"),
    pytest.param("last weekend", D(2025, 11, 23), span(D(2025, 11, 15), D(2025, 11, 16), "day"), id="last-weekend-from-sunday"),
    pytest.param("Yesterday.", MON_24_NOV, day(2025, 11, 23), id="capitalised-with-full-stop"),
    pytest.param("вчера", MON_24_NOV, day(2025, 11, 23), id="ru-yesterday"),
    pytest.param("vor drei Tagen", MON_24_NOV, day(2025, 11, 21), id="de-three-days-ago"),
]


@pytest.mark.parametrize("text, reported, expected", RELATIVE)
def test_relative_date_against_reported(reader, text, reported, expected):
    assert reader.read(text, reported) == expected


# Weekdays: on or before reported for happened; on or after for planned/proposed/cancelled.
WEEKDAYS = [
    pytest.param("Friday", WED_19_NOV, "happened", day(2025, 11, 14), id="friday-happened"),
    pytest.param("Friday", WED_19_NOV, "planned", day(2025, 11, 21), id="friday-planned"),
    pytest.param("on Sunday", WED_19_NOV, "happened", day(2025, 11, 16), id="on-sunday-happened"),
    pytest.param("on Sunday", WED_19_NOV, "proposed", day(2025, 11, 23), id="on-sunday-proposed"),
    pytest.param("Saturday night", WED_19_NOV, "happened", day(2025, 11, 15), id="saturday-night-happened"),
    pytest.param("Saturday night", WED_19_NOV, "cancelled", day(2025, 11, 22), id="saturday-night-cancelled"),
    pytest.param("Tuesday morning", WED_19_NOV, "happened", day(2025, 11, 18), id="tuesday-morning-happened"),
    pytest.param("Tuesday morning", WED_19_NOV, "planned", day(2025, 11, 25), id="tuesday-morning-planned"),
    pytest.param("Wednesday", WED_19_NOV, "happened", day(2025, 11, 19), id="same-weekday-happened-is-that-day"),
    pytest.param("Wednesday", WED_19_NOV, "planned", day(2025, 11, 19), id="same-weekday-planned-is-that-day"),
    pytest.param("FRIDAY", MON_24_NOV, "happened", day(2025, 11, 21), id="upper-case"),
    pytest.param("Friday", D(2026, 1, 1), "happened", day(2025, 12, 26), id="across-year-back"),
    pytest.param("Friday", D(2025, 12, 30), "planned", day(2026, 1, 2), id="across-year-forward"),
]


@pytest.mark.parametrize("text, reported, status, expected", WEEKDAYS)
def test_weekday(reader, text, reported, status, expected):
    assert reader.read(text, reported, status) == expected


FRI_21_NOV = D(2025, 11, 21)

# The same rule for weekday phrases in the other supported languages ("on Friday").
FOREIGN_WEEKDAYS = [
    pytest.param("vendredi", FRI_21_NOV, "happened", day(2025, 11, 21), id="fr-on-the-day"),
    pytest.param("Freitag", FRI_21_NOV, "planned", day(2025, 11, 21), id="de-on-the-day-planned"),
    pytest.param("в пятницу", MON_24_NOV, "happened", day(2025, 11, 21), id="ru-happened"),
    pytest.param("в пятницу", MON_24_NOV, "planned", day(2025, 11, 28), id="ru-planned"),
    pytest.param("в пятницу", FRI_21_NOV, "happened", day(2025, 11, 21), id="ru-on-the-day-happened"),
    pytest.param("в пятницу", FRI_21_NOV, "planned", day(2025, 11, 21), id="ru-on-the-day-planned"),
    pytest.param("у п'ятницю", MON_24_NOV, "happened", day(2025, 11, 21), id="uk-happened"),
    pytest.param("am Freitag", MON_24_NOV, "happened", day(2025, 11, 21), id="de-with-am"),
]


@pytest.mark.parametrize("text, reported, status, expected", FOREIGN_WEEKDAYS)
def test_weekday_in_other_languages(reader, text, reported, status, expected):
    assert reader.read(text, reported, status) == expected


HOLIDAYS = [
    pytest.param("Thanksgiving", MON_24_NOV, "happened", day(2024, 11, 28), id="thanksgiving-happened"),
    pytest.param("Thanksgiving", MON_24_NOV, "planned", day(2025, 11, 27), id="thanksgiving-planned"),
    pytest.param("by Thanksgiving", MON_24_NOV, "planned", day(2025, 11, 27), id="by-thanksgiving-planned"),
    pytest.param("Thanksgiving", D(2025, 11, 27), "happened", day(2025, 11, 27), id="thanksgiving-on-the-day-happened"),
    pytest.param("Thanksgiving", D(2025, 11, 27), "planned", day(2025, 11, 27), id="thanksgiving-on-the-day-planned"),
    pytest.param("Christmas", MON_24_NOV, "happened", day(2024, 12, 25), id="christmas-happened"),
    pytest.param("Christmas", MON_24_NOV, "proposed", day(2025, 12, 25), id="christmas-proposed"),
    pytest.param("New Year", MON_24_NOV, "happened", day(2025, 1, 1), id="new-year-happened"),
    pytest.param("New Year", MON_24_NOV, "planned", day(2026, 1, 1), id="new-year-planned"),
    pytest.param("Easter", MON_24_NOV, "happened", day(2025, 4, 20), id="easter-happened"),
    pytest.param("Easter", MON_24_NOV, "cancelled", day(2026, 4, 5), id="easter-cancelled"),
    pytest.param("Easter", D(2025, 3, 1), "happened", day(2024, 3, 31), id="easter-happened-before-easter"),
    pytest.param("Easter", D(2025, 3, 1), "planned", day(2025, 4, 20), id="easter-planned-before-easter"),
    pytest.param("Thanksgiving 2025", D(2026, 6, 1), "planned", day(2025, 11, 27), id="year-given-wins"),
]


@pytest.mark.parametrize("text, reported, status, expected", HOLIDAYS)
def test_holiday(reader, text, reported, status, expected):
    assert reader.read(text, reported, status) == expected


@pytest.mark.parametrize(
    "year, expected",
    [(2022, D(2022, 11, 24)), (2024, D(2024, 11, 28)), (2025, D(2025, 11, 27)), (2026, D(2026, 11, 26)), (2029, D(2029, 11, 22))],
    ids=str,
)
def test_thanksgiving_is_the_fourth_thursday_of_november(year, expected):
    assert holidays.thanksgiving(year) == expected
    assert expected.weekday() == 3


@pytest.mark.parametrize(
    "year, expected", [(2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5))], ids=str
)
def test_easter_is_western_easter_sunday(year, expected):
    assert holidays.HOLIDAYS["easter"](year) == expected


def test_day_month_without_year_takes_the_nearest_in_the_status_direction(reader):
    assert reader.read("Nov 21", MON_24_NOV, "happened") == day(2025, 11, 21)
    assert reader.read("Nov 21", MON_24_NOV, "planned") == day(2026, 11, 21)
    assert reader.read("December 3", MON_24_NOV, "happened") == day(2024, 12, 3)
    assert reader.read("December 3", MON_24_NOV, "planned") == day(2025, 12, 3)


def test_cached_readings_depend_on_reported_and_status(reader):
    # One reader serves many rows: its caches must not hand one row's answer to another.
    assert reader.read("yesterday", D(2025, 11, 24)) == day(2025, 11, 23)
    assert reader.read("yesterday", D(2020, 5, 1)) == day(2020, 4, 30)
    assert reader.read("Friday", MON_24_NOV, "happened") == day(2025, 11, 21)
    assert reader.read("Friday", MON_24_NOV, "planned") == day(2025, 11, 28)
    assert reader.read("Friday", MON_24_NOV, "happened") == day(2025, 11, 21)


# --- errors -------------------------------------------------------------------------------

ERRORS = [
    pytest.param("sometime soonish", 'cannot read "sometime soonish" as a date', id="unreadable"),
    pytest.param("2025-02-30", '"2025-02-30" is not a real date: February 2025 has 28 days', id="iso-impossible"),
    pytest.param("2024-02-30", '"2024-02-30" is not a real date: February 2024 has 29 days', id="iso-impossible-leap"),
    pytest.param("31/04/2025", '"31/04/2025" is not a real date (read day first, then month)', id="numeric-impossible"),
    pytest.param("2025-13", '"2025-13" has no month 13', id="iso-month-13"),
    pytest.param("   ", "is empty", id="blank"),
]


@pytest.mark.parametrize("text, message", ERRORS)
def test_unreadable_date(reader, text, message):
    with pytest.raises(DateError) as raised:
        reader.read(text, MON_24_NOV)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "text",
    ["yesterday", "three days ago", "last month", "last week", "last weekend", "Friday",
     "Saturday night", "Thanksgiving", "Christmas", "Nov 21", "вчера"],
)
def test_relative_date_without_reported_is_an_error(reader, text):
    with pytest.raises(DateError) as raised:
        reader.read(text)
    assert str(raised.value) == f'"{text}" is relative to when the story was written: fill in the reported column'


REPORTED = [
    pytest.param("2025-11-24", D(2025, 11, 24), id="iso"),
    pytest.param("Nov 24, 2025", D(2025, 11, 24), id="words"),
    pytest.param("24/11/2025", D(2025, 11, 24), id="numeric"),
    # datelines as they are copied
    pytest.param("Nov. 23, 2025", D(2025, 11, 23), id="dateline-abbrev"),
    pytest.param("23.11.2025", D(2025, 11, 23), id="dateline-dots"),
    pytest.param("Sunday, Nov. 23, 2025", D(2025, 11, 23), id="dateline-with-weekday"),
    pytest.param("November 23, 2025, 10:42 a.m.", D(2025, 11, 23), id="dateline-with-clock"),
    pytest.param("Nov. 23, 2025 11:45 p.m. EST", D(2025, 11, 23), id="dateline-late-with-zone"),
    pytest.param("23 listopada 2025", D(2025, 11, 23), id="dateline-pl"),
    pytest.param("2025年11月23日", D(2025, 11, 23), id="dateline-zh"),
    pytest.param("Domingo, 23 de noviembre de 2025", D(2025, 11, 23), id="dateline-es"),
]


@pytest.mark.parametrize("text, expected", REPORTED)
def test_reported_date(reader, text, expected):
    assert reader.read_reported(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        pytest.param("not a date", 'cannot read "not a date" as a date', id="unreadable"),
        pytest.param("November 2025", '"November 2025" names a month; a reported date needs the day', id="month"),
        pytest.param("2025", '"2025" names a year; a reported date needs the day', id="year"),
        pytest.param("yesterday", '"yesterday" is relative; the reported date is the day the story was published, '
                     'written out (2025-11-23, Nov. 23, 2025)', id="relative"),
        pytest.param("Friday", '"Friday" is relative; the reported date is the day the story was published, '
                     'written out (2025-11-23, Nov. 23, 2025)', id="weekday"),
        pytest.param("15 March", '"15 March" is relative; the reported date is the day the story was published, '
                     'written out (2025-11-23, Nov. 23, 2025)', id="no-year"),
        pytest.param("2025-02-30", '"2025-02-30" is not a real date: February 2025 has 28 days', id="impossible"),
    ],
)
def test_bad_reported_date(reader, text, message):
    with pytest.raises(DateError) as raised:
        reader.read_reported(text)
    assert str(raised.value) == message


def test_span_str():
    assert str(day(2025, 11, 21)) == "2025-11-21 (day)"
    assert str(span(D(2025, 9, 1), D(2025, 9, 30), "month")) == "2025-09-01 to 2025-09-30 (month)"


@pytest.mark.parametrize(
    "text, reported, status",
    [
        pytest.param("yesterday", D(1, 1, 1), "happened", id="yesterday-before-year-1"),
        pytest.param("last week", D(1, 1, 1), "happened", id="last-week-before-year-1"),
        pytest.param("Friday", D(1, 1, 1), "happened", id="weekday-before-year-1"),
        pytest.param("Christmas", D(1, 1, 1), "happened", id="holiday-before-year-1"),
        pytest.param("tomorrow", D(9999, 12, 31), "planned", id="tomorrow-after-9999"),
        pytest.param("next year", D(9999, 12, 31), "planned", id="next-year-after-9999"),
        pytest.param("in 3 months", D(9999, 12, 1), "planned", id="months-after-9999"),
    ],
)
def test_relative_date_past_the_end_of_the_calendar_is_a_date_error(reader, text, reported, status):
    # An absurd reported date is the editor's typo: it must come back as a message, not a crash.
    with pytest.raises(DateError):
        reader.read(text, reported, status)


# --- every language: tables from dateparser's locale data ----------------------------------
#
# Each language writes the same events the way dateparser's locale data for it
# does (its month, weekday and relative words): 23 November 2025, 3 March with
# no year, a Friday, yesterday, three days ago, next and last week, next Monday
# and last Friday. The story is reported on Saturday 22 November 2025.

SAT_22_NOV = D(2025, 11, 22)
NEXT_WEEK = span(D(2025, 11, 24), D(2025, 11, 30), "week")
LAST_WEEK = span(D(2025, 11, 10), D(2025, 11, 16), "week")
# Where the phrase names a weekday of the next or last calendar week (下周一, 先週の金曜日,
# 지난주 금요일), last week's Friday is the 14th, not yesterday.
LAST_WEEKS_FRIDAY = day(2025, 11, 14)

# code: (23 November 2025, 3 March, Friday, yesterday, 3 days ago, next week, last week,
#        next Monday, last Friday, what last Friday is)
LANGUAGE_FORMS = {
    "en": ("23 November 2025", "3 March", "Friday", "yesterday", "3 days ago", "next week", "last week",
           "next Monday", "last Friday", day(2025, 11, 21)),
    "uk": ("23 листопада 2025", "3 березня", "п'ятниця", "вчора", "3 дні тому", "наступного тижня",
           "минулого тижня", "у наступний понеділок", "у минулу п'ятницю", day(2025, 11, 21)),
    "ru": ("23 ноября 2025", "3 марта", "пятница", "вчера", "3 дня назад", "на следующей неделе",
           "на прошлой неделе", "в следующий понедельник", "в прошлую пятницу", day(2025, 11, 21)),
    "fr": ("23 novembre 2025", "3 mars", "vendredi", "hier", "il y a 3 jours", "la semaine prochaine",
           "la semaine dernière", "lundi prochain", "vendredi dernier", day(2025, 11, 21)),
    "de": ("23. November 2025", "3. März", "Freitag", "gestern", "vor 3 Tagen", "nächste Woche",
           "letzte Woche", "nächsten Montag", "letzten Freitag", day(2025, 11, 21)),
    "es": ("23 de noviembre de 2025", "3 de marzo", "viernes", "ayer", "hace 3 días", "la próxima semana",
           "la semana pasada", "el próximo lunes", "el viernes pasado", day(2025, 11, 21)),
    "pl": ("23 listopada 2025", "3 marca", "piątek", "wczoraj", "3 dni temu", "w przyszłym tygodniu",
           "w zeszłym tygodniu", "w przyszły poniedziałek", "w zeszły piątek", day(2025, 11, 21)),
    "tr": ("23 Kasım 2025", "3 Mart", "cuma", "dün", "3 gün önce", "gelecek hafta", "geçen hafta",
           "gelecek pazartesi", "geçen cuma", day(2025, 11, 21)),
    "ar": ("23 نوفمبر 2025", "3 مارس", "الجمعة", "أمس", "قبل 3 أيام", "الأسبوع القادم", "الأسبوع الماضي",
           "الاثنين القادم", "الجمعة الماضية", day(2025, 11, 21)),
    "zh": ("2025年11月23日", "3月3日", "星期五", "昨天", "3天前", "下周", "上周", "下周一", "上周五",
           LAST_WEEKS_FRIDAY),
    "ja": ("2025年11月23日", "3月3日", "金曜日", "昨日", "3日前", "来週", "先週", "来週の月曜日", "先週の金曜日",
           LAST_WEEKS_FRIDAY),
    "it": ("23 novembre 2025", "3 marzo", "venerdì", "ieri", "3 giorni fa", "la settimana prossima",
           "la settimana scorsa", "lunedì prossimo", "venerdì scorso", day(2025, 11, 21)),
    "pt": ("23 de novembro de 2025", "3 de março", "sexta-feira", "ontem", "há 3 dias", "próxima semana",
           "semana passada", "próxima segunda-feira", "sexta-feira passada", day(2025, 11, 21)),
    "nl": ("23 november 2025", "3 maart", "vrijdag", "gisteren", "3 dagen geleden", "volgende week",
           "vorige week", "volgende maandag", "vorige vrijdag", day(2025, 11, 21)),
    "he": ("23 בנובמבר 2025", "3 במרץ", "יום שישי", "אתמול", "לפני 3 ימים", "השבוע הבא", "השבוע שעבר",
           "יום שני הבא", "יום שישי שעבר", day(2025, 11, 21)),
    "cs": ("23. listopadu 2025", "3. března", "pátek", "včera", "před 3 dny", "příští týden", "minulý týden",
           "příští pondělí", "minulý pátek", day(2025, 11, 21)),
    "sv": ("23 november 2025", "3 mars", "fredag", "igår", "för 3 dagar sedan", "nästa vecka", "förra veckan",
           "nästa måndag", "förra fredag", day(2025, 11, 21)),
    "ro": ("23 noiembrie 2025", "3 martie", "vineri", "ieri", "acum 3 zile", "săptămâna viitoare",
           "săptămâna trecută", "luni viitoare", "vineri trecută", day(2025, 11, 21)),
    "hu": ("2025. november 23.", "március 3.", "péntek", "tegnap", "3 nappal ezelőtt", "következő hét",
           "előző hét", "következő hétfő", "előző péntek", day(2025, 11, 21)),
    "el": ("23 Νοεμβρίου 2025", "3 Μαρτίου", "Παρασκευή", "χθες", "πριν από 3 ημέρες", "επόμενη εβδομάδα",
           "προηγούμενη εβδομάδα", "την επόμενη Δευτέρα", "την προηγούμενη Παρασκευή", day(2025, 11, 21)),
    "ko": ("2025년 11월 23일", "3월 3일", "금요일", "어제", "3일 전", "다음 주", "지난주", "다음 주 월요일",
           "지난주 금요일", LAST_WEEKS_FRIDAY),
    "fi": ("23. marraskuuta 2025", "3. maaliskuuta", "perjantai", "eilen", "3 päivää sitten", "ensi viikolla",
           "viime viikolla", "ensi maanantaina", "viime perjantaina", day(2025, 11, 21)),
    "da": ("23. november 2025", "3. marts", "fredag", "i går", "for 3 dage siden", "næste uge", "sidste uge",
           "næste mandag", "sidste fredag", day(2025, 11, 21)),
    "ca": ("23 de novembre de 2025", "3 de març", "divendres", "ahir", "fa 3 dies", "la setmana que ve",
           "la setmana passada", "el dilluns que ve", "divendres passat", day(2025, 11, 21)),
    "id": ("23 November 2025", "3 Maret", "Jumat", "kemarin", "3 hari yang lalu", "minggu depan", "minggu lalu",
           "Senin depan", "Jumat lalu", day(2025, 11, 21)),
}


def _language_cases():
    for code, (absolute, yearless, friday, yesterday, ago, next_week, last_week, next_monday, last_friday,
               last_friday_day) in LANGUAGE_FORMS.items():
        cases = [
            (absolute, None, "happened", day(2025, 11, 23), "absolute"),
            (f"{absolute} 14:00", None, "happened", day(2025, 11, 23), "absolute-with-clock"),
            (yearless, SAT_22_NOV, "happened", day(2025, 3, 3), "yearless-happened"),
            (yearless, SAT_22_NOV, "planned", day(2026, 3, 3), "yearless-planned"),
            (friday, SAT_22_NOV, "happened", day(2025, 11, 21), "weekday-happened"),
            (friday, SAT_22_NOV, "planned", day(2025, 11, 28), "weekday-planned"),
            (f"{friday} 14:00", FRI_21_NOV, "happened", day(2025, 11, 21), "weekday-clock-on-the-day"),
            (f"{friday} 14:00", SAT_22_NOV, "planned", day(2025, 11, 28), "weekday-clock-planned"),
            (yesterday, SAT_22_NOV, "happened", day(2025, 11, 21), "yesterday"),
            (ago, SAT_22_NOV, "happened", day(2025, 11, 19), "three-days-ago"),
            (next_week, SAT_22_NOV, "planned", NEXT_WEEK, "next-week"),
            (last_week, SAT_22_NOV, "happened", LAST_WEEK, "last-week"),
            (next_monday, SAT_22_NOV, "planned", day(2025, 11, 24), "next-monday"),
            (next_monday, SAT_22_NOV, "happened", day(2025, 11, 24), "next-monday-whatever-the-status"),
            (last_friday, SAT_22_NOV, "happened", last_friday_day, "last-friday"),
            (last_friday, SAT_22_NOV, "planned", last_friday_day, "last-friday-whatever-the-status"),
        ]
        for text, reported, status, expected, name in cases:
            yield pytest.param(code, text, reported, status, expected, id=f"{code}-{name}")


LANGUAGE_CASES = list(_language_cases())


@pytest.mark.parametrize("code, text, reported, status, expected", LANGUAGE_CASES)
def test_language_detected(reader, code, text, reported, status, expected):
    assert reader.read(text, reported, status) == expected


@pytest.mark.parametrize("code, text, reported, status, expected", LANGUAGE_CASES)
def test_language_pinned(reader, code, text, reported, status, expected):
    assert reader.read(text, reported, status, language=code) == expected


def test_at_least_twenty_languages_are_tested():
    assert len(LANGUAGE_FORMS) >= 20


# --- the reading rules ------------------------------------------------------------------------

READING_RULES = [
    # a clock time never moves a date off its day
    pytest.param("Friday 14:00", FRI_21_NOV, "happened", day(2025, 11, 21), id="clock-on-the-reported-friday-happened"),
    pytest.param("Friday 14:00", FRI_21_NOV, "planned", day(2025, 11, 21), id="clock-on-the-reported-friday-planned"),
    pytest.param("Friday at 11:59 p.m.", FRI_21_NOV, "happened", day(2025, 11, 21), id="clock-late-evening"),
    pytest.param("Friday 00:01", FRI_21_NOV, "planned", day(2025, 11, 21), id="clock-just-after-midnight"),
    pytest.param("15 February 15:00", D(2015, 2, 15), "happened", day(2015, 2, 15), id="yearless-clock-on-the-day"),
    pytest.param("vendredi à 14h30", FRI_21_NOV, "happened", day(2025, 11, 21), id="fr-clock-h"),
    pytest.param("Freitag um 9.30 Uhr", FRI_21_NOV, "happened", day(2025, 11, 21), id="de-clock-uhr"),
    pytest.param("tomorrow at 23:30", FRI_21_NOV, "planned", day(2025, 11, 22), id="tomorrow-late"),
    pytest.param("yesterday 00:15", FRI_21_NOV, "happened", day(2025, 11, 20), id="yesterday-early"),
    # yearless numeric dates: day first when valid, the nearest year in the status's direction
    pytest.param("05/06", D(2025, 11, 22), "happened", day(2025, 6, 5), id="yearless-day-first-happened"),
    pytest.param("05/06", D(2025, 11, 22), "planned", day(2026, 6, 5), id="yearless-day-first-planned"),
    pytest.param("23.11.", D(2025, 11, 22), "planned", day(2025, 11, 23), id="yearless-dots-planned"),
    pytest.param("23.11", D(2025, 11, 24), "happened", day(2025, 11, 23), id="yearless-dots-happened"),
    pytest.param("29/02", D(2025, 11, 22), "happened", day(2024, 2, 29), id="yearless-leap-day-back"),
    pytest.param("29/02", D(2025, 11, 22), "planned", day(2028, 2, 29), id="yearless-leap-day-forward"),
    # named months without a year, the same rule
    pytest.param("3 March", D(2025, 3, 3), "happened", day(2025, 3, 3), id="yearless-on-the-day-happened"),
    pytest.param("3 March", D(2025, 3, 3), "planned", day(2025, 3, 3), id="yearless-on-the-day-planned"),
    pytest.param("March", D(2025, 11, 22), "planned", span(D(2026, 3, 1), D(2026, 3, 31), "month"), id="month-planned"),
    pytest.param("March", D(2025, 11, 22), "happened", span(D(2025, 3, 1), D(2025, 3, 31), "month"), id="month-happened"),
    # numbers in relative phrases are counts
    pytest.param("in 52 weeks", D(2025, 11, 22), "planned", span(D(2026, 11, 16), D(2026, 11, 22), "week"), id="in-52-weeks"),
    pytest.param("52 weeks from now", D(2025, 11, 22), "planned", span(D(2026, 11, 16), D(2026, 11, 22), "week"), id="52-weeks-from-now"),
    pytest.param("52 weeks from today", D(2025, 11, 22), "planned", span(D(2026, 11, 16), D(2026, 11, 22), "week"),
                 id="52-weeks-from-today"),
    pytest.param("in 30 days", D(2025, 11, 22), "planned", day(2025, 12, 22), id="in-30-days"),
    pytest.param("within 30 days", D(2025, 11, 22), "planned", day(2025, 12, 22), id="within-30-days"),
    pytest.param("in 25 years", D(2025, 11, 22), "planned", span(D(2050, 1, 1), D(2050, 12, 31), "year"), id="in-25-years"),
    pytest.param("in 52 Wochen", D(2025, 11, 22), "planned", span(D(2026, 11, 16), D(2026, 11, 22), "week"), id="de-in-52-weeks"),
    pytest.param("dans 52 semaines", D(2025, 11, 22), "planned", span(D(2026, 11, 16), D(2026, 11, 22), "week"), id="fr-in-52-weeks"),
    pytest.param("dentro de 52 semanas", D(2025, 11, 22), "planned", span(D(2026, 11, 16), D(2026, 11, 22), "week"), id="es-in-52-weeks"),
    pytest.param("52 hafta sonra", D(2025, 11, 22), "planned", span(D(2026, 11, 16), D(2026, 11, 22), "week"), id="tr-52-weeks-later"),
    pytest.param("через 52 недели", D(2025, 11, 22), "planned", span(D(2026, 11, 16), D(2026, 11, 22), "week"), id="ru-in-52-weeks"),
    pytest.param("hace 45 días", D(2025, 11, 22), "happened", day(2025, 10, 8), id="es-45-days-ago"),
]


@pytest.mark.parametrize("text, reported, status, expected", READING_RULES)
def test_reading_rules(reader, text, reported, status, expected):
    assert reader.read(text, reported, status) == expected


# A yearless number that is only a date month first is read so, with a warning naming the text.
MONTH_FIRST = [
    pytest.param("05/29", D(2020, 6, 10), "happened", D(2020, 5, 29), id="may-29-happened"),
    pytest.param("12/25", D(2025, 11, 22), "planned", D(2025, 12, 25), id="christmas-planned"),
    pytest.param("12/25", D(2025, 11, 22), "happened", D(2024, 12, 25), id="christmas-happened"),
]


@pytest.mark.parametrize("text, reported, status, expected", MONTH_FIRST)
def test_yearless_numeric_month_first_only_when_nothing_else_is_real(reader, text, reported, status, expected):
    read = reader.read(text, reported, status)
    assert (read.start, read.end, read.precision) == (expected, expected, "day")
    first, second = text.split("/")
    assert read.warning == (f'"{text}" only makes sense month first; read as month {int(first)}, day {int(second)} '
                            "(write ISO dates to be unambiguous)")


@pytest.mark.parametrize("text", ["05/06", "23.11.", "3 March"])
def test_yearless_day_first_carries_no_warning(reader, text):
    assert reader.read(text, D(2025, 11, 22), "happened").warning is None


READING_ERRORS = [
    pytest.param("31/31", '"31/31" is not a real date (read day first, then month)', id="yearless-no-reading"),
    pytest.param("13/13", '"13/13" is not a real date (read day first, then month)', id="yearless-13"),
    pytest.param("31 February", '"31 February" is not a real date: February 2025 has 28 days', id="yearless-feb-31"),
    pytest.param("sometime soonish", 'cannot read "sometime soonish" as a date', id="unreadable"),
    pytest.param("quelque part en été", 'cannot read "quelque part en été" as a date', id="fr-unreadable-quoted-as-written"),
    pytest.param("bald einmal", 'cannot read "bald einmal" as a date', id="de-unreadable-quoted-as-written"),
    pytest.param("2025年13月1日", '"2025年13月1日" has no month 13', id="zh-month-13"),
    pytest.param("in 52", 'cannot read "in 52" as a date: 52 would be the year 2052; '
                 "a number in a relative phrase counts days, weeks, months or years", id="count-never-a-year"),
    pytest.param("year 52", 'cannot read "year 52" as a date: 52 would be the year 2052; '
                 "a number in a relative phrase counts days, weeks, months or years", id="count-never-a-year-2"),
    pytest.param("30 lutego 2025", '"30 lutego 2025" is not a real date: February 2025 has 28 days', id="pl-impossible"),
]


@pytest.mark.parametrize("text, message", READING_ERRORS)
def test_reading_errors_quote_the_text_as_written(reader, text, message):
    with pytest.raises(DateError) as raised:
        reader.read(text, D(2025, 11, 22), "happened")
    assert str(raised.value) == message


# A word two languages use for different months: the order of LANGUAGES decides, a pinned language wins.
PINNED = [
    pytest.param("5 listopada 2025", None, day(2025, 11, 5), id="listopad-detected-polish"),
    pytest.param("5 listopada 2025", "pl", day(2025, 11, 5), id="listopad-pinned-polish"),
    pytest.param("5 listopada 2025", "hr", day(2025, 10, 5), id="listopad-pinned-croatian"),
    pytest.param("5 listopada 2025", "HR", day(2025, 10, 5), id="code-case-insensitive"),
]


@pytest.mark.parametrize("text, language, expected", PINNED)
def test_pinned_language(reader, text, language, expected):
    from timeline.dates import language_code

    assert reader.read(text, language=language_code(language) if language else None) == expected


def test_language_codes():
    from timeline.dates import LANGUAGES, PREFERRED, language_code

    assert LANGUAGES[: len(PREFERRED)] == PREFERRED
    assert len(LANGUAGES) > 200 and len(set(LANGUAGES)) == len(LANGUAGES)
    assert [language_code(c) for c in ("es", " PL ", "zh-hans", "zh_Hans", "xx", "")] == \
        ["es", "pl", "zh-Hans", "zh-Hans", None, None]


@pytest.mark.parametrize("text", ["lundi prochain", "3 giorni fa", "上周五", "05/29", "15 February"])
def test_relative_in_any_language_needs_reported(reader, text):
    with pytest.raises(DateError) as raised:
        reader.read(text)
    assert str(raised.value) == f'"{text}" is relative to when the story was written: fill in the reported column'


# Counts of hours, minutes and seconds: the story's hour is unknown, so they count from the
# middle of the reported day; dateparser's relative phrases in other languages, unit by unit.
COUNTS = [
    pytest.param("3 hours ago", "happened", day(2025, 11, 22), id="hours-same-day"),
    pytest.param("15 hours ago", "happened", day(2025, 11, 21), id="hours-day-before"),
    pytest.param("in 15 hours", "planned", day(2025, 11, 23), id="hours-day-after"),
    pytest.param("a year from now", "planned", span(D(2026, 1, 1), D(2026, 12, 31), "year"), id="a-year-from-now"),
    pytest.param("just now", "happened", day(2025, 11, 22), id="just-now"),
    pytest.param("vor 23 Stunden", "happened", day(2025, 11, 21), id="de-hours"),
    pytest.param("il y a 21 minutes", "happened", day(2025, 11, 22), id="fr-minutes"),
    pytest.param("pojutrze", "planned", day(2025, 11, 24), id="pl-day-after-tomorrow"),
    pytest.param("3 dni temu", "happened", day(2025, 11, 19), id="pl-days-plural"),
    pytest.param("2 tygodnie temu", "happened", span(D(2025, 11, 3), D(2025, 11, 9), "week"), id="pl-weeks"),
    pytest.param("5 ay önce", "happened", span(D(2025, 6, 1), D(2025, 6, 30), "month"), id="tr-months"),
    pytest.param("قبل 3 سنوات", "happened", span(D(2022, 1, 1), D(2022, 12, 31), "year"), id="ar-years"),
    pytest.param("3个月前", "happened", span(D(2025, 8, 1), D(2025, 8, 31), "month"), id="zh-months"),
    pytest.param("2週間後", "planned", span(D(2025, 12, 1), D(2025, 12, 7), "week"), id="ja-weeks-later"),
    pytest.param("tra 2 mesi", "planned", span(D(2026, 1, 1), D(2026, 1, 31), "month"), id="it-in-months"),
    pytest.param("over 3 dagen", "planned", day(2025, 11, 25), id="nl-in-days"),
    pytest.param("בעוד שבועיים", "planned", span(D(2025, 12, 1), D(2025, 12, 7), "week"), id="he-in-two-weeks"),
    pytest.param("před 3 dny", "happened", day(2025, 11, 19), id="cs-days"),
    pytest.param("3 päivää sitten", "happened", day(2025, 11, 19), id="fi-days"),
]


@pytest.mark.parametrize("text, status, expected", COUNTS)
def test_counts(reader, text, status, expected):
    assert reader.read(text, SAT_22_NOV, status) == expected


# --- numeric dates in a given order (a file's, decided by the loader) --------------------------

# (text, reported, order, the day read or the error's start)
IN_ORDER = [
    ("3/7/2022", None, "DMY", date(2022, 7, 3)),
    ("3/7/2022", None, "MDY", date(2022, 3, 7)),
    ("3/7/2022", None, "YMD", date(2022, 3, 7)),  # the month before the day, as year-first writers put it
    ("3.7.2022", None, "MDY", date(2022, 3, 7)),
    ("2/24/2022", None, "MDY", date(2022, 2, 24)),
    ("24/2/2022", None, "DMY", date(2022, 2, 24)),
    ("3/7", date(2022, 11, 23), "MDY", date(2022, 3, 7)),
    ("3/7", date(2022, 11, 23), "DMY", date(2022, 7, 3)),
    ("2/24/2022", None, "DMY", '"2/24/2022" is a real date only month first (2022-02-24), but numeric dates here '
                               "are read day first"),
    ("24/2/2022", None, "MDY", '"24/2/2022" is a real date only day first (2022-02-24)'),
    ("2/24", date(2022, 11, 23), "DMY", '"2/24" is a real date only month first (February 24)'),
    ("31/31/2022", None, "MDY", '"31/31/2022" is not a real date (read month first)'),
]


@pytest.mark.parametrize("text, reported, order, expected", IN_ORDER)
def test_numeric_dates_read_in_the_order_given(reader, text, reported, order, expected):
    if isinstance(expected, str):
        with pytest.raises(DateError) as raised:
            reader.read(text, reported, order=order)
        assert str(raised.value).startswith(expected)
    else:
        span = reader.read(text, reported, order=order)
        assert (span.start, span.end, span.precision, span.warning) == (expected, expected, "day", None)


@pytest.mark.parametrize("text, written", [
    ("2/24/2022", "MDY"), ("24/2/2022", "DMY"), ("3/7/2022", "either"), ("3.7.2022", "either"), ("7/7/2022", None),
    ("2/24", "MDY"), ("29/2/2023", None), ("2025-11-23", None), ("Nov. 3, 2025", None), ("3/7/2022 14:00", "either"),
])
def test_what_a_numeric_cell_says_of_its_order(reader, text, written):
    assert reader.written_order(text) == written


@pytest.mark.parametrize("text, code, order", [
    ("en-US", "en", "MDY"), ("en_GB", "en", "DMY"), ("EN-us", "en", "MDY"), ("en", "en", None),
    ("fr-CA", "fr", "YMD"), ("de-AT", "de", "DMY"), ("xx-US", None, None),
])
def test_a_locale_in_the_language_column_names_the_language_and_the_order(text, code, order):
    from timeline.dates import language_code, locale_order

    assert (language_code(text), locale_order(text)) == (code, order)


# --- month names with last, this and next (issue 18, part 2) -------------------------------------

NOV_23 = D(2025, 11, 23)


def month(y, m):
    return span(D(y, m, 1), D(y, m, calendar.monthrange(y, m)[1]), "month")


# (text, story date, status, expected): the status does not move a month that says which one it is.
NAMED_MONTHS = [
    pytest.param("last May", NOV_23, "happened", month(2025, 5), id="last-may"),
    pytest.param("last November", NOV_23, "happened", month(2024, 11), id="last-of-the-story-month"),
    pytest.param("Last April", NOV_23, "happened", month(2025, 4), id="capitalized"),
    pytest.param("last December", NOV_23, "happened", month(2024, 12), id="last-after-the-story-month"),
    pytest.param("this September", NOV_23, "happened", month(2025, 9), id="this-september"),
    pytest.param("this December", NOV_23, "planned", month(2025, 12), id="this-december-planned"),
    pytest.param("next March", NOV_23, "planned", month(2026, 3), id="next-march"),
    pytest.param("next November", NOV_23, "planned", month(2026, 11), id="next-of-the-story-month"),
    pytest.param("next December", NOV_23, "happened", month(2025, 12), id="next-december"),
    pytest.param("last Nov.", NOV_23, "happened", month(2024, 11), id="abbreviated"),
    pytest.param("June last year", NOV_23, "happened", month(2024, 6), id="june-last-year"),
    pytest.param("July last year", NOV_23, "happened", month(2024, 7), id="july-last-year"),
    pytest.param("in March next year", NOV_23, "planned", month(2026, 3), id="march-next-year"),
    pytest.param("January this year", NOV_23, "happened", month(2025, 1), id="january-this-year"),
]


@pytest.mark.parametrize("text, reported, status, expected", NAMED_MONTHS)
def test_month_names_with_last_this_and_next(reader, text, reported, status, expected):
    assert reader.read(text, reported, status) == expected


# --- qualified periods: early, mid, late, the beginning/middle/end of, year-end (part 1) ----------

def days(start, end, precision):
    return span(start, end, precision)


# (text, story date, status, expected span and precision)
QUALIFIED = [
    # a year: thirds of four months; its beginning January, its end December
    pytest.param("early 2022", NOV_23, "happened", days(D(2022, 1, 1), D(2022, 4, 30), "month"), id="early-year"),
    pytest.param("mid-2022", NOV_23, "happened", days(D(2022, 5, 1), D(2022, 8, 31), "month"), id="mid-year"),
    pytest.param("late 2024", NOV_23, "happened", days(D(2024, 9, 1), D(2024, 12, 31), "month"), id="late-year"),
    pytest.param("early next year", NOV_23, "planned", days(D(2026, 1, 1), D(2026, 4, 30), "month"),
                 id="early-next-year"),
    pytest.param("the beginning of 2025", NOV_23, "happened", month(2025, 1), id="beginning-of-year"),
    pytest.param("the end of the year", NOV_23, "planned", month(2025, 12), id="end-of-the-year"),
    pytest.param("year-end", NOV_23, "planned", month(2025, 12), id="year-end"),
    pytest.param("year end", NOV_23, "planned", month(2025, 12), id="year-end-spaced"),
    pytest.param("year's end", NOV_23, "planned", month(2025, 12), id="years-end"),
    pytest.param("by year-end", NOV_23, "planned", month(2025, 12), id="by-year-end"),
    # a month: thirds (1-10, 11-20, 21-end); its beginning and end its first and last 7 days
    pytest.param("late November 2025", NOV_23, "happened", days(D(2025, 11, 21), D(2025, 11, 30), "week"),
                 id="late-month"),
    pytest.param("mid-November 2025", NOV_23, "happened", days(D(2025, 11, 11), D(2025, 11, 20), "week"),
                 id="mid-month"),
    pytest.param("Early November", NOV_23, "happened", days(D(2025, 11, 1), D(2025, 11, 10), "week"),
                 id="early-month-without-year"),
    pytest.param("late February 2024", NOV_23, "happened", days(D(2024, 2, 21), D(2024, 2, 29), "week"),
                 id="late-leap-february"),
    pytest.param("early this month", NOV_23, "happened", days(D(2025, 11, 1), D(2025, 11, 10), "week"),
                 id="early-this-month"),
    pytest.param("late last month", NOV_23, "happened", days(D(2025, 10, 21), D(2025, 10, 31), "week"),
                 id="late-last-month"),
    pytest.param("the end of the month", NOV_23, "planned", days(D(2025, 11, 24), D(2025, 11, 30), "week"),
                 id="end-of-the-month"),
    pytest.param("the middle of October", NOV_23, "happened", days(D(2025, 10, 11), D(2025, 10, 20), "week"),
                 id="middle-of-month"),
    pytest.param("the middle of October", NOV_23, "planned", days(D(2026, 10, 11), D(2026, 10, 20), "week"),
                 id="middle-of-month-ahead"),
    # a week: Mon-Wed, Wed-Fri, Fri-Sun
    pytest.param("early this week", NOV_23, "happened", days(D(2025, 11, 17), D(2025, 11, 19), "day"),
                 id="early-this-week"),
    pytest.param("the end of this week", NOV_23, "planned", days(D(2025, 11, 21), D(2025, 11, 23), "day"),
                 id="end-of-this-week"),
    # a day stays the day: a time of day never moves a date
    pytest.param("late yesterday", NOV_23, "happened", day(2025, 11, 22), id="late-yesterday"),
    pytest.param("Later yesterday", NOV_23, "happened", day(2025, 11, 22), id="later-yesterday"),
    pytest.param("early Tuesday", NOV_23, "happened", day(2025, 11, 18), id="early-tuesday"),
    # "earlier in the year" is this year, as "earlier this year" is
    pytest.param("earlier in the year", NOV_23, "happened", days(D(2025, 1, 1), D(2025, 12, 31), "year"),
                 id="earlier-in-the-year"),
    pytest.param("a week or so ago", NOV_23, "happened", days(D(2025, 11, 10), D(2025, 11, 16), "week"),
                 id="a-week-or-so-ago"),
]


@pytest.mark.parametrize("text, reported, status, expected", QUALIFIED)
def test_qualified_periods(reader, text, reported, status, expected):
    assert reader.read(text, reported, status) == expected


@pytest.mark.parametrize("text, expected", [
    ("around Nov. 1", D(2025, 11, 1)), ("about March 3, 2025", D(2025, 3, 3)),
    ("on or about March 3, 2025", D(2025, 3, 3)), ("around year end", D(2025, 12, 1)),
])
def test_around_a_date_is_that_date_with_a_warning(reader, text, expected):
    read = reader.read(text, NOV_23, "happened")
    assert read.start == expected
    assert read.warning == f'"{text}" is approximate; read as the date it names'


def test_about_a_count_stays_a_count_without_a_warning(reader):
    assert reader.read("about 3 weeks ago", NOV_23).warning is None


# --- ranges in one cell (part 4) ------------------------------------------------------------------

# (text, story date, status, expected span and precision): a number after a dash is a day, never a year,
# unless it has four digits.
RANGES = [
    pytest.param("November 15-16", NOV_23, "happened", days(D(2025, 11, 15), D(2025, 11, 16), "day"),
                 id="month-days"),
    pytest.param("December 15-16", NOV_23, "planned", days(D(2025, 12, 15), D(2025, 12, 16), "day"),
                 id="month-days-ahead"),
    pytest.param("December 15-16", NOV_23, "happened", days(D(2024, 12, 15), D(2024, 12, 16), "day"),
                 id="month-days-back"),
    pytest.param("15-16 November 2025", NOV_23, "happened", days(D(2025, 11, 15), D(2025, 11, 16), "day"),
                 id="days-month-year"),
    pytest.param("15-16 November", NOV_23, "happened", days(D(2025, 11, 15), D(2025, 11, 16), "day"),
                 id="days-month"),
    pytest.param("Nov. 15-16, 2025", NOV_23, "happened", days(D(2025, 11, 15), D(2025, 11, 16), "day"),
                 id="abbreviated-with-year"),
    pytest.param("Nov. 30-Dec. 2", NOV_23, "planned", days(D(2025, 11, 30), D(2025, 12, 2), "day"),
                 id="across-months"),
    pytest.param("Nov. 29-Dec. 2", D(2025, 12, 1), "happened", days(D(2025, 11, 29), D(2025, 12, 2), "day"),
                 id="across-months-told-in-the-middle"),
    pytest.param("Dec. 30-Jan. 2", NOV_23, "planned", days(D(2025, 12, 30), D(2026, 1, 2), "day"),
                 id="across-years"),
    pytest.param("Dec. 30-Jan. 2", NOV_23, "happened", days(D(2024, 12, 30), D(2025, 1, 2), "day"),
                 id="across-years-back"),
    pytest.param("Nov. 21-23", NOV_23, "planned", days(D(2025, 11, 21), D(2025, 11, 23), "day"),
                 id="planned-and-under-way"),
    pytest.param("Nov. 30-Dec. 2", NOV_23, "happened", days(D(2024, 11, 30), D(2024, 12, 2), "day"),
                 id="across-months-back"),
    pytest.param("30 November - 2 December 2025", NOV_23, "happened", days(D(2025, 11, 30), D(2025, 12, 2), "day"),
                 id="day-month-to-day-month"),
    pytest.param("1980-1988", NOV_23, "happened", days(D(1980, 1, 1), D(1988, 12, 31), "year"), id="years"),
    pytest.param("2008–2009", NOV_23, "happened", days(D(2008, 1, 1), D(2009, 12, 31), "year"), id="years-en-dash"),
]


@pytest.mark.parametrize("text, reported, status, expected", RANGES)
def test_ranges_in_one_cell(reader, text, reported, status, expected):
    assert reader.read(text, reported, status) == expected


def test_an_absolute_range_needs_no_reported_date(reader):
    assert reader.read("Nov. 15-16, 2025") == days(D(2025, 11, 15), D(2025, 11, 16), "day")


@pytest.mark.parametrize("text, message", [
    ("Nov 16-15, 2025", '"Nov 16-15, 2025" ends (2025-11-15) before it starts (2025-11-16)'),
    ("1988-1980", '"1988-1980" ends (1980-12-31) before it starts (1988-01-01)'),
    ("Feb. 30-31, 2025", 'cannot read "Feb. 30-31, 2025" as a range of dates: "feb 30 2025" is not a date'),
])
def test_a_range_that_is_not_one_is_an_error(reader, text, message):
    with pytest.raises(DateError) as raised:
        reader.read(text, NOV_23)
    assert str(raised.value).startswith(message)


# --- named days and weeks (part 3, in part) ------------------------------------------------------

THU_20_NOV = D(2025, 11, 20)

NAMED_DAYS = [
    pytest.param("the weekend", THU_20_NOV, "happened", days(D(2025, 11, 15), D(2025, 11, 16), "day"),
                 id="weekend-back"),
    pytest.param("the weekend", THU_20_NOV, "planned", days(D(2025, 11, 22), D(2025, 11, 23), "day"),
                 id="weekend-ahead"),
    pytest.param("the weekend", NOV_23, "happened", days(D(2025, 11, 22), D(2025, 11, 23), "day"),
                 id="weekend-told-on-a-sunday"),
    pytest.param("the week of March 6", NOV_23, "happened", days(D(2025, 3, 3), D(2025, 3, 9), "week"),
                 id="week-of"),
    pytest.param("the week of Nov. 3, 2025", NOV_23, "happened", days(D(2025, 11, 3), D(2025, 11, 9), "week"),
                 id="week-of-a-dated-day"),
    pytest.param("Easter week", NOV_23, "happened", days(D(2025, 4, 14), D(2025, 4, 20), "week"),
                 id="easter-week"),
    pytest.param("last Thanksgiving", NOV_23, "happened", day(2024, 11, 28), id="last-thanksgiving"),
    pytest.param("last Thanksgiving", D(2025, 11, 27), "happened", day(2024, 11, 28), id="last-told-on-the-day"),
    pytest.param("next Christmas", D(2025, 12, 25), "planned", day(2026, 12, 25), id="next-told-on-the-day"),
]


@pytest.mark.parametrize("text, reported, status, expected", NAMED_DAYS)
def test_named_days_and_weeks(reader, text, reported, status, expected):
    assert reader.read(text, reported, status) == expected


# --- quarters, halves and seasons (part 4, second half) --------------------------------------------

# Seasons are the northern hemisphere's: spring Mar-May, summer Jun-Aug, autumn Sep-Nov, winter Dec-Feb
# (winter Y holds January Y).
PARTS_OF_YEARS = [
    pytest.param("the third quarter of 2005", NOV_23, "happened", days(D(2005, 7, 1), D(2005, 9, 30), "month"),
                 id="third-quarter"),
    pytest.param("Q3 2005", NOV_23, "happened", days(D(2005, 7, 1), D(2005, 9, 30), "month"), id="q3"),
    pytest.param("the final quarter", NOV_23, "planned", days(D(2025, 10, 1), D(2025, 12, 31), "month"),
                 id="final-quarter"),
    pytest.param("the fourth quarter of last year", NOV_23, "happened",
                 days(D(2024, 10, 1), D(2024, 12, 31), "month"), id="quarter-of-last-year"),
    pytest.param("the first half of the year", NOV_23, "happened", days(D(2025, 1, 1), D(2025, 6, 30), "month"),
                 id="first-half"),
    pytest.param("second half of 2024", NOV_23, "happened", days(D(2024, 7, 1), D(2024, 12, 31), "month"),
                 id="second-half"),
    pytest.param("summer 2025", NOV_23, "happened", days(D(2025, 6, 1), D(2025, 8, 31), "month"), id="summer-year"),
    pytest.param("the summer of 2025", NOV_23, "happened", days(D(2025, 6, 1), D(2025, 8, 31), "month"),
                 id="the-summer-of"),
    pytest.param("winter 2022", NOV_23, "happened", days(D(2021, 12, 1), D(2022, 2, 28), "month"), id="winter-year"),
    pytest.param("late summer", NOV_23, "happened", month(2025, 8), id="late-summer"),
    pytest.param("early summer 2024", NOV_23, "happened", month(2024, 6), id="early-summer-year"),
    pytest.param("last summer", NOV_23, "happened", days(D(2025, 6, 1), D(2025, 8, 31), "month"), id="last-summer"),
    pytest.param("next spring", NOV_23, "planned", days(D(2026, 3, 1), D(2026, 5, 31), "month"), id="next-spring"),
    pytest.param("this winter", NOV_23, "planned", days(D(2025, 12, 1), D(2026, 2, 28), "month"), id="this-winter"),
    pytest.param("summer", NOV_23, "planned", days(D(2026, 6, 1), D(2026, 8, 31), "month"), id="summer-ahead"),
    pytest.param("this season", NOV_23, "happened", days(D(2025, 9, 1), D(2025, 11, 30), "month"),
                 id="this-season"),
]


@pytest.mark.parametrize("text, reported, status, expected", PARTS_OF_YEARS)
def test_quarters_halves_and_seasons(reader, text, reported, status, expected):
    assert reader.read(text, reported, status) == expected


# --- years in words, fiscal years, anchored phrases (parts 5, 6 and 7) ----------------------------

@pytest.mark.parametrize("text, year", [
    ("nineteen ninety-six", 1996), ("two thousand and five", 2005), ("two thousand five", 2005),
    ("twenty twenty-five", 2025), ("nineteen hundred", 1900), ("nineteen oh five", 1905),
    ("the year 2000", 2000), ("the year two thousand", 2000), ("the year nineteen eighty-nine", 1989),
])
def test_years_in_words(reader, text, year):
    assert reader.read(text) == span(D(year, 1, 1), D(year, 12, 31), "year")


@pytest.mark.parametrize("text, year", [("fiscal 1989", 1989), ("FY2025", 2025), ("fiscal year 2024", 2024)])
def test_a_fiscal_year_is_its_calendar_year_with_a_warning(reader, text, year):
    read = reader.read(text)
    assert (read.start, read.end, read.precision) == (D(year, 1, 1), D(year, 12, 31), "year")
    assert read.warning == (f'"{text}" is read as the calendar year {year}: fiscal years vary; write its months '
                            f"(such as {year - 1}-10 to {year}-09) when the convention is known")


@pytest.mark.parametrize("text", ["the fiscal year", "this fiscal year", "fiscal year"])
def test_a_fiscal_year_without_its_year_is_refused_saying_how_to_write_it(reader, text):
    with pytest.raises(DateError, match="fiscal years differ between governments and companies; write the year"):
        reader.read(text, NOV_23)


@pytest.mark.parametrize("text", [
    "a year earlier", "two days before", "later that year", "earlier that day", "the next morning", "the next day",
    "the previous Friday", "the following week", "the same day", "that morning", "the day before",
])
def test_phrases_anchored_on_another_event_are_refused_helpfully(reader, text):
    with pytest.raises(DateError) as raised:
        reader.read(text, NOV_23)
    assert str(raised.value) == (f'"{text}" counts from another event, not from the story\'s date: write that '
                                 "event's date, or the date itself")


@pytest.mark.parametrize("text, expected", [
    ("next week", span(D(2025, 11, 24), D(2025, 11, 30), "week")),  # the story's next week, not an anchor
    ("two days later", day(2025, 11, 25)),  # counted from the story, as before
    ("the current year", span(D(2025, 1, 1), D(2025, 12, 31), "year")),
])
def test_phrases_counted_from_the_story_stay_read(reader, text, expected):
    assert reader.read(text, NOV_23, "planned") == expected


@pytest.mark.parametrize("text, expected", [
    ("day before last Tuesday", day(2025, 11, 17)), ("the day before yesterday", day(2025, 11, 21)),
    ("the day after tomorrow", day(2025, 11, 25)), ("the day after Nov. 3, 2025", day(2025, 11, 4)),
])
def test_the_day_before_or_after_a_day_the_story_names(reader, text, expected):
    assert reader.read(text, NOV_23) == expected


def test_the_day_before_a_month_is_an_error(reader):
    with pytest.raises(DateError, match="the day before needs a day, not a month"):
        reader.read("the day before November 2025", NOV_23)


@pytest.mark.parametrize("text, expected", [
    ("earlier this year", span(D(2025, 1, 1), D(2025, 12, 31), "year")),
    ("later this week", span(D(2025, 11, 17), D(2025, 11, 23), "week")),
    ("later this month", month(2025, 11)),
    ("earlier today", day(2025, 11, 23)),
])
def test_earlier_and_later_this_period_stay_the_whole_period(reader, text, expected):
    assert reader.read(text, NOV_23, "planned") == expected
