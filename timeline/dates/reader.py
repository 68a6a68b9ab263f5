"""DateReader: finds what kind of text a date cell is, reads it, and caches every reading."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from .. import holidays
from . import edtf
from ..schema import FORWARD_STATUSES, MAX_LENGTH
from .names import _named_month_parts
from .numeric import _DIGITS_ONLY, _OTHER_DIGIT, Order, _ascii_digits, _numbers, written_order
from .phrases import _HOLIDAY, fiscal_year, qualified_parts, range_ends, refused, relative, spelled_year
from .spans import DateError, Span, day_span, month_span, part_of, real_date, week_span, year_span
from .vocabulary import _ENGLISH_WORDS, _JOINED, _TOKEN, LANGUAGES, _candidates, _loader, _Vocabulary, _vocabulary

# Two unrelated reference days: a phrase that reads differently against them
# depends on the day it was written, so it needs the row's reported date.
_PROBE_BASES = (datetime(2001, 3, 14), datetime(2013, 8, 27))

_LEADING = re.compile(r"^(?:on|by|at|since|the|в|во|у|am|le)\s+")
# "14:00", "9.30 Uhr", "10h11", "2:57 p.m.", "8 pm": a time of day, which never moves the day.
_CLOCK = re.compile(
    r"(?<![\d/.:-])(?:\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[ap]\.?\s?m\b\.?)?"
    r"|\d{1,2}\.\d{2}(?=\s*(?:uhr|h)\b)|\d{1,2}\s*[ap]\.?\s?m\b\.?)(?![\d/.:-]?\d)"
)

def _clean(text: str) -> str:
    folded = " ".join(_ascii_digits(text).lower().replace("\u2019", "'").split())
    folded = " ".join(_CLOCK.sub(" ", folded).split()).rstrip(".!,;")
    return _LEADING.sub("", folded)


@dataclass(frozen=True)
class _Relative:
    """A phrase that needs the reported date: read by us from ``cleaned``, else by dateparser."""

    cleaned: str | None
    vocabulary: _Vocabulary | None
    languages: tuple[str, ...]
    order: Order = None
    # "early next year": the part ``qualifier`` names of what ``inner`` (the text ``inner_text``) reads as
    qualifier: str | None = None
    inner: _Relative | Span | None = None
    inner_text: str = ""
    # a range in one cell ("November 15-16"): its end, read as ``inner`` is its start
    other: _Relative | Span | None = None
    other_text: str = ""


# --- the reader ------------------------------------------------------------------------

_DIGIT_SEPARATOR = re.compile(r"\d[/.]\d")


class DateReader:
    """Reads date cells; one instance keeps its caches across files and reloads."""

    def __init__(self, languages: tuple[str, ...] = LANGUAGES):
        self.languages = tuple(languages)
        self._texts: dict[tuple[str, str | None], Span | DateError | _Relative] = {}
        self._relative: dict[tuple[str, str | None, date, bool], Span | DateError] = {}
        self._parsers: dict = {}
        self._translations: dict[tuple[str, str], str] = {}
        self._vocabularies: dict[str | None, _Vocabulary] = {}
        self._orders: dict[str, str] = {}
        # template of a text (_template) -> how its named-month reading takes its numbers (_by_template)
        self._templates: dict[tuple[str, str | None, Order], _TemplateReading] = {}
        self._template_safe: dict[str | None, tuple[bool, frozenset]] = {}
        self._fast = True  # False: the readers alone, which tests/test_dates_fast.py compares the fast paths with

    def _vocabulary(self, language: str | None) -> _Vocabulary:
        found = self._vocabularies.get(language)
        if found is None:
            found = self._vocabularies[language] = _vocabulary(self._languages(language))
        return found

    def read(self, text: str, reported: date | None = None, status: str = "happened",
             language: str | None = None, order: Order = None) -> Span:
        """The span ``text`` means for a row reported on ``reported`` with ``status``.

        ``language``, a dateparser language code, pins the language instead of detecting it;
        ``order`` ("DMY", "MDY" or "YMD") reads numeric dates in that order only (see numeric.py).
        """
        text, found = self._found(text, language, order)
        if isinstance(found, Span):
            return found
        if reported is None:
            raise DateError(f'"{text}" is relative to when the story was written: fill in the reported column')
        key = (text, language, reported, status in FORWARD_STATUSES, order)
        span = self._relative.get(key)
        if span is None:
            try:
                span = self._read_relative(found, text, reported, key[3])
            except DateError as error:
                span = error
            except (OverflowError, ValueError):
                span = DateError(f'"{text}" falls outside the calendar when counted from {reported.isoformat()}')
            self._relative[key] = span
        if isinstance(span, DateError):
            raise span
        return span

    def _found(self, text: str, language: str | None, order: Order):
        """The stripped text and what it is: a Span (absolute) or a relative phrase to count from
        the story's date; raises DateError for an empty or unreadable cell."""
        text = text.strip()
        if not text:
            raise DateError("is empty")
        found = self._classified(text, language, order)
        if isinstance(found, DateError):
            raise found
        return text, found

    def is_absolute(self, text: str, language: str | None = None, order: Order = None) -> bool:
        """Whether ``text`` means the same days whenever the story was written."""
        return self.absolute(text, language, order) is not None

    def absolute(self, text: str, language: str | None = None, order: Order = None) -> Span | None:
        """The span ``text`` means whenever the story was written; None when that depends on the
        story's date, or when it cannot be read (``read`` says why)."""
        found = self._classified(text.strip(), language, order)
        return found if isinstance(found, Span) else None

    def written_order(self, text: str) -> str | None:
        """What a cell says of the order of its numbers: "DMY", "MDY", "either" or None (numeric.py)."""
        found = self._orders.get(text)
        if found is None and not _DIGIT_SEPARATOR.search(text):
            return None
        if found is None:
            found = self._orders[text] = written_order(_clean(text)) or ""
        return found or None

    def read_reported(self, text: str, language: str | None = None, order: Order = None) -> date:
        """A reported date: absolute, to the day, as a dateline gives it."""
        text, found = self._found(text, language, order)
        if isinstance(found, _Relative):
            raise DateError(f'"{text}" is relative; the reported date is the day the story was '
                            "published, written out (2025-11-23, Nov. 23, 2025)")
        if found.precision != "day" or found.start != found.end:
            raise DateError(f'"{text}" names a {found.precision}; a reported date needs the day')
        return found.start

    # --- what a text is, whatever the row ---------------------------------------------

    def _classified(self, text: str, language: str | None, order: Order) -> Span | DateError | _Relative:
        if len(text) > MAX_LENGTH["date"]:
            # Parsing time grows with the text (dateparser took 10 s per MB): a date is never that long.
            return DateError(f"is {len(text):,} characters long; a date has at most {MAX_LENGTH['date']}")
        key = (text, language, order)
        found = self._texts.get(key)
        if found is None:
            try:
                found = self._classify(text, language, order)
            except DateError as error:
                found = error
            except (ValueError, OverflowError):  # year 0, counts past the calendar
                found = DateError(f'"{text}" is outside the calendar')
            self._texts[key] = found
        return found

    def _languages(self, language: str | None) -> tuple[str, ...]:
        return (language,) if language else self.languages

    def _classify(self, text: str, language: str | None, order: Order) -> Span | _Relative:
        # Fast paths, each giving exactly what the readers below give (tests/test_dates_fast.py):
        # most cells are ISO days or "21 November 2025" with other numbers.
        if self._fast and _ISO_DAY_ONLY.fullmatch(text):
            try:
                return day_span(date.fromisoformat(text))  # what edtf.parse reads, first below
            except ValueError:
                pass  # year 0, 2025-02-30: the readers below say why
        template = _template(text) if self._fast else None
        if template is not None and (known := self._templates.get((template, language, order))) is not None:
            return known.span(text)
        languages = self._languages(language)
        # EDTF first: "1991?" and "2025-11-15/.." mean more than the numbers the other readers see.
        if (reading := edtf.parse(text)) is not None:
            return reading.span
        cleaned = _clean(text)
        span = _numbers(text, cleaned, order)
        if span is not None:
            return span
        if (why := refused(text)) is not None:
            raise DateError(why)
        if (year := spelled_year(cleaned)) is not None:
            return year_span(year)
        if (span := fiscal_year(cleaned, text)) is not None:
            return span
        if (qualified := self._qualified(text, cleaned, language, order)) is not None:
            return qualified
        if (ends := range_ends(cleaned)) is not None:
            return self._range(text, ends, language, order)
        vocabulary = self._vocabulary(language)
        span = self._absolute_words(text, cleaned, vocabulary)
        if span is not None:
            if template is not None and (reading := self._by_template(template, language)) is not None:
                self._templates[(template, language, order)] = reading
            return span
        if self._is_relative_phrase(text, cleaned, vocabulary, order):
            return _Relative(cleaned, vocabulary, languages, order)
        candidates = _candidates(text, languages) if language is None else languages
        for code in candidates:
            english = self._translate(text, code)
            if english is None:
                continue
            # dateparser's translation keeps the words it does not know, such as "prochain"
            # in "lundi prochain": the vocabulary of that language reads them.
            vocabulary = _vocabulary(("en", code) if code != "en" else ("en",))
            # What it left untranslated and means nothing ("la" in "la in 1 week") goes.
            english = _clean(" ".join(w for w in english.split()
                                      if w not in vocabulary.filler or w in _ENGLISH_WORDS))
            span = self._absolute_fast(text, english, vocabulary, order)
            if span is not None:
                return span
            if self._is_relative_phrase(text, english, vocabulary, order):
                return _Relative(english, vocabulary, (code,), order)
        return self._absolute_slow(text, candidates, order)

    def _absolute_fast(self, text: str, cleaned: str, vocabulary: _Vocabulary, order: Order) -> Span | None:
        span = _numbers(text, cleaned, order)
        return span if span is not None else self._absolute_words(text, cleaned, vocabulary)

    def _absolute_words(self, text: str, cleaned: str, vocabulary: _Vocabulary) -> Span | None:
        if (m := _HOLIDAY.match(cleaned)) and m["year"]:
            return day_span(holidays.HOLIDAYS[m["name"]](int(m["year"])))
        parts = _named_month_parts(cleaned, vocabulary)
        return None if parts is None else _parts_span(parts, text)

    def _by_template(self, template: str, language: str | None) -> _TemplateReading | None:
        """How every text of ``template`` reads, when its numbers cannot change which reader takes it.

        Called once a text of ``template`` was read by _absolute_words from a named month. Each
        reader before it is checked on the template itself (its digits all 9s) and must not claim it;
        they then claim no text of the template, since every pattern they use matches any digit as
        any other (\\d, [0-9]), apart from those shut out here: EDTF's shape (its digits are read),
        numbers alone (_numbers reads their values), 月/월 (_cjk), a digit touching a letter ("1st",
        "q3" in qualified_parts), qualifiers and ranges (they read their parts, which may fail), a
        vocabulary with a name of digits alone or a name of several words whose digits make the pair.
        """
        safe, pairs = self._template_vocabulary(language)
        cleaned = _clean(template)
        if not safe or edtf._SHAPE.match(template) or _DIGITS_ONLY.match(cleaned) or "月" in cleaned \
                or "월" in cleaned or _LETTER_DIGIT.search(cleaned) or _JOINED.search(cleaned) \
                or _HOLIDAY.match(cleaned) or refused(template) is not None or spelled_year(cleaned) is not None \
                or fiscal_year(cleaned, template) is not None or qualified_parts(cleaned) is not None \
                or range_ends(cleaned) is not None:
            return None
        found = _TOKEN.findall(cleaned)
        if any(pair in pairs for pair in zip(found, found[1:])):
            return None
        vocabulary = self._vocabulary(language)
        numbers = [token for token in vocabulary.tokens(cleaned) if token.isdigit()]
        parts = _named_month_parts(cleaned, vocabulary)
        if parts is None or numbers != _RUN.findall(template):
            return None  # a number cleaning or the tokens dropped (a time of day): not placed by its rank
        year, month, day = parts
        if year is None:
            return None
        sizes = [len(number) for number in numbers]
        return _TemplateReading(month, sizes.index(4),
                                next(i for i, size in enumerate(sizes) if size <= 2) if day is not None else None)

    def _template_vocabulary(self, language: str | None) -> tuple[bool, frozenset]:
        """Whether the vocabulary has no name of digits alone (nor a holiday a digit), and its names of
        several words by their first two words with digits as 9s."""
        found = self._template_safe.get(language)
        if found is None:
            vocabulary = self._vocabulary(language)
            safe = not any(word.isdigit() for names in (vocabulary.months, vocabulary.weekdays, vocabulary.filler)
                           for word in names) and not any(c.isdigit() for name in holidays.HOLIDAYS for c in name)
            pairs = frozenset((a.translate(_NINES), b.translate(_NINES)) for a, b in vocabulary.several)
            found = self._template_safe[language] = (safe, pairs)
        return found

    def _is_relative_phrase(self, text: str, cleaned: str, vocabulary: _Vocabulary, order: Order) -> bool:
        try:
            return relative(text, cleaned, _PROBE_BASES[0].date(), False, vocabulary, order) is not None
        except (DateError, ValueError, OverflowError):
            # e.g. "29 February" has no such day in the probe year: it still needs the reported date
            return True

    def _absolute_slow(self, text: str, languages: tuple[str, ...], order: Order) -> Span | _Relative:
        readings = [self._dateparser(text, base, None, languages, order) for base in _PROBE_BASES]
        if readings[0] is None:
            raise DateError(f'cannot read "{text}" as a date')
        spans = [_from_dateparser(*reading) for reading in readings]
        if spans[0] != spans[1]:
            return _Relative(None, None, languages, order)
        _check_year_is_written(text, spans[0])
        return spans[0]

    def _translate(self, text: str, code: str) -> str | None:
        key = (text, code)
        if key not in self._translations:
            from dateparser.conf import settings

            try:
                self._translations[key] = _loader().get_locale(code).translate(text, settings=settings)
            except Exception:  # noqa: BLE001 - a locale that cannot translate this text is not its language
                self._translations[key] = None
        return self._translations[key]

    # --- relative readings ----------------------------------------------------------------

    def _qualified(self, text: str, cleaned: str, language: str | None, order: Order) -> Span | _Relative | None:
        """ "late November 2025", "early next year", "the end of the month", "around Nov. 1": the part of
        the period the rest names (spans.part_of); None when the rest is no date."""
        found = qualified_parts(cleaned)
        if found is None:
            return None
        qualifier, rest = found
        inner = self._classified(rest, language, order)
        if isinstance(inner, DateError):
            return None  # not ours: the whole text may still read ("early" as a word of a phrase)
        if isinstance(inner, Span):
            return part_of(inner, qualifier, text)
        return _Relative(None, None, inner.languages, order, qualifier, inner, rest)

    def _range(self, text: str, ends: tuple[str, str], language: str | None, order: Order) -> Span | _Relative:
        first, last = (self._classified(end, language, order) for end in ends)
        for end, found in zip(ends, (first, last)):
            if isinstance(found, DateError):
                raise DateError(f'cannot read "{text}" as a range of dates: "{end}" is not a date ({found})')
        if isinstance(first, Span) and isinstance(last, Span):
            return _joined(first, last, text)
        languages = (first if isinstance(first, _Relative) else last).languages
        return _Relative(None, None, languages, order, "range", first, ends[0], last, ends[1])

    def _read_relative(self, found: _Relative, text: str, reported: date, forward: bool) -> Span:
        if found.qualifier == "range":
            # The end that faces the status's direction is read from the story's day, the other from it:
            # "Nov. 21-23" planned on Nov. 23 is the one under way, not next year's.
            def read(end, end_text: str, day: date, ahead: bool) -> Span:
                return end if isinstance(end, Span) else self._read_relative(end, end_text, day, ahead)

            if forward:
                last = read(found.other, found.other_text, reported, True)
                first = read(found.inner, found.inner_text, last.end, False)
            else:
                first = read(found.inner, found.inner_text, reported, False)
                last = read(found.other, found.other_text, first.start, True)
            return _joined(first, last, text)
        if found.qualifier is not None:
            return part_of(self._read_relative(found.inner, found.inner_text, reported, forward), found.qualifier,
                           text)
        if found.cleaned is not None:
            span = relative(text, found.cleaned, reported, forward, found.vocabulary, found.order)
            if span is not None:
                return span
        reading = self._dateparser(text, _base(reported, forward), "future" if forward else "past", found.languages,
                                   found.order)
        if reading is None:
            raise DateError(f'cannot read "{text}" as a date')
        span = _from_dateparser(*reading)
        _check_year_is_written(text, span, reported)
        return span

    def _dateparser(self, text: str, base: datetime, prefer: str | None, languages: tuple[str, ...],
                    order: Order = None):
        numeric = bool(re.search(r"\d{1,2}\s*[/.-]\s*\d{1,2}", text))
        key = (languages, base, prefer, numeric, order)
        parser = self._parsers.get(key)
        if parser is None:
            from dateparser.date import DateDataParser

            settings = {
                "RELATIVE_BASE": base,
                "PREFER_DAY_OF_MONTH": "first",
                "RETURN_AS_TIMEZONE_AWARE": False,
            }
            if numeric:  # our rule for numbers; the locales' own order reads 2025年11月 and the like
                settings["DATE_ORDER"] = order or "DMY"
            if prefer:
                settings["PREFER_DATES_FROM"] = prefer
            parser = self._parsers[key] = DateDataParser(
                languages=list(languages), settings=settings, use_given_order=True,
            )
        try:
            data = parser.get_date_data(text)
        except (ValueError, OverflowError):
            return None
        # dateparser sometimes reads stray numbers as a year in the first millennium: not our news.
        if data.date_obj is None or data.date_obj.year < 1000:
            return None
        return data.date_obj.date(), data.period or "day"


_ISO_DAY_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RUN = re.compile(r"[0-9]+")
_LETTER_DIGIT = re.compile(r"[^\W\d][0-9]|[0-9][^\W\d]")


_NINES = str.maketrans("012345678", "999999999")


def _template(text: str) -> str | None:
    """``text`` with each ASCII digit a 9; None when it has other digits (٢٠٢٥) or none."""
    if not text.isascii() and _OTHER_DIGIT.search(text):
        return None
    template = text.translate(_NINES)
    return template if template != text or "9" in text else None


def _parts_span(parts: tuple[int | None, int | None, int | None], text: str) -> Span | None:
    year, month, day = parts
    if year is None:
        return None  # a day or month without a year is relative
    if month is None:
        return year_span(year)
    if day is None:
        return month_span(year, month)
    return day_span(real_date(year, month, day, text))


@dataclass(frozen=True)
class _TemplateReading:
    """A named-month date's month, and which of its numbers (by rank) are its year and day."""

    month: int | None
    year: int
    day: int | None

    def span(self, text: str) -> Span:
        numbers = _RUN.findall(text)
        return _parts_span((int(numbers[self.year]), self.month,
                            None if self.day is None else int(numbers[self.day])), text)


def _base(reported: date, forward: bool) -> datetime:
    """The moment relative phrases count from: the whole reported day lies in the status's direction.

    Looking back, the day's end, so that "Friday 14:00" on a Friday is that Friday;
    looking ahead, its start.
    """
    return datetime.combine(reported, time.max if not forward else time.min)


_RELATIVE_WORDS = re.compile(
    r"\b(?:ago|in|second|minute|hour|day|week|fortnight|month|year|decade|century)s?\b"
)


def _check_year_is_written(text: str, span: Span, reported: date | None = None) -> None:
    """A number in a relative phrase is a count: dateparser must not make it a year.

    A reading whose year is not written in the text but is a one- or two-digit number
    of it ("in 52 settimane" read as 2052) took a count for a year: we refuse it rather
    than put the event decades away. Two-digit years of dates ("1/1/16") stay.
    """
    year = span.start.year
    numbers = re.findall(r"\d+", _ascii_digits(text))
    if str(year) in numbers or reported is not None and span.precision != "year":
        return
    counts = [n for n in numbers if len(n) <= 2 and int(n) == year % 100]
    if not counts or reported is not None and abs(year - reported.year) <= 1:
        return
    if reported is not None or span.precision == "year" or _RELATIVE_WORDS.search(text.lower()):
        raise DateError(
            f'cannot read "{text}" as a date: {counts[0]} would be the year {year}; '
            "a number in a relative phrase counts days, weeks, months or years"
        )


_PRECISIONS = ("day", "week", "month", "year")


def _joined(first: Span, last: Span, text: str) -> Span:
    """The span from ``first``'s start to ``last``'s end, at the coarser precision of the two."""
    if last.end < first.start:
        raise DateError(f'"{text}" ends ({last.end.isoformat()}) before it starts ({first.start.isoformat()})')
    precision = max(first.precision, last.precision, key=_PRECISIONS.index)
    return Span(first.start, last.end, precision)


def _from_dateparser(day: date, period: str) -> Span:
    if period == "year":
        return year_span(day.year)
    if period == "month":
        return month_span(day.year, day.month)
    if period == "week":
        return week_span(day)
    return day_span(day)

