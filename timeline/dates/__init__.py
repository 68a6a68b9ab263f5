"""Reading the dates editors copy from articles into (start, end, precision).

Every language dateparser knows is read. The common forms ("Nov. 21, 2025",
"21 października 2025", "2025年11月23日", numeric, weekdays, "N days ago") take our
own fast paths, with month and weekday names from dateparser's locale data; a
phrase they cannot read is translated to English by dateparser's locale of the
likeliest language and read again, and only then handed to dateparser itself.
The language is found once per distinct text, and every reading is cached by
what it depends on, so a file of 100,000 rows costs little more than its
distinct phrases.

The reading rules: a clock time never moves a date off its day; a day or month
without a year is the nearest one in the direction of the row's status (on or
before the reported date for "happened", on or after it otherwise); numbers
with slashes or dots are read in the order the caller gives (the loader decides
it per file, numeric.py says how), and without one day first, month first only
when nothing else is a real date (with a warning); a number in a relative phrase
is a count, never a year.

Where each piece lives:
    spans.py       Span, DateError and the day/week/month/year arithmetic
    vocabulary.py  the date words of every language, from dateparser's locale data
    numeric.py     ISO, 21/11/2025 and 2025年11月23日: dates written in numbers
    names.py       dates with month and weekday names, in any language
    phrases.py     the table of phrases read against the story's date ("3 days ago")
    edtf.py        EDTF levels 0 and 1 (1991?, 2025-11-2X, 2025-21, 2025-11-15/..): read first, and written
    reader.py      DateReader, which classifies a text, reads it and caches the reading
"""

from .spans import DateError, Span, day_span, month_span, real_date, shift_months, week_span, year_span
from .numeric import ORDERS

# The reader and the languages' words load dateparser's locale data (a tenth of a second): imported
# when first asked for, so that a restart served from the store never pays for them.
_LAZY = {"DateReader": "reader", "LANGUAGES": "vocabulary", "PREFERRED": "vocabulary",
         "language_code": "vocabulary", "locale_order": "vocabulary"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "DateError", "DateReader", "LANGUAGES", "ORDERS", "PREFERRED", "Span", "day_span", "language_code", "locale_order",
    "month_span",
    "real_date", "shift_months", "week_span", "year_span",
]
