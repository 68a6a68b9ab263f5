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
with slashes or dots are day first, month first only when nothing else is a
real date (with a warning); a number in a relative phrase is a count, never a
year.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, cached_property, lru_cache
from itertools import pairwise

from . import holidays
from .schema import FORWARD_STATUSES, MAX_LENGTH

# Tried first, in this order, when a word means different things in different
# languages ("listopad" is November in Polish and Czech, October in Croatian):
# the languages our editors paste from most. The README lists them.
PREFERRED = ("en", "uk", "ru", "fr", "de", "es", "pl", "tr", "ar", "zh", "ja", "it", "pt", "nl", "he")


def _all_languages() -> tuple[str, ...]:
    from dateparser.data.languages_info import language_order

    return PREFERRED + tuple(code for code in language_order if code not in PREFERRED)


LANGUAGES = _all_languages()
_BY_FOLDED_CODE = {code.lower(): code for code in LANGUAGES}

# Two unrelated reference days: a phrase that reads differently against them
# depends on the day it was written, so it needs the row's reported date.
_PROBE_BASES = (datetime(2001, 3, 14), datetime(2013, 8, 27))
# How many of the likeliest languages a phrase is tried in before giving up.
_CANDIDATES = 4


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


def language_code(text: str) -> str | None:
    """dateparser's code for a language as an editor may type it ("PL", "zh-hans"), or None."""
    return _BY_FOLDED_CODE.get(text.strip().lower().replace("_", "-"))


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

def _fold(word: str) -> str:
    return word.lower().strip(". ")


def _plain(word: str) -> str:
    """Lower case without accents, as dateparser's translations write unknown words."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if unicodedata.category(c) != "Mn")


@cache
def _info(code: str) -> dict:
    """The locale's data as dateparser ships it (a third of the time of building its Locale)."""
    import importlib

    from dateparser.utils import combine_dicts

    info = importlib.import_module(f"dateparser.data.date_translation_data.{code}").info
    return combine_dicts(info, info.get("locale_specific", {}).get(code, {}))


@lru_cache(maxsize=1)
def _loader():
    from dateparser.languages.loader import LocaleDataLoader

    return LocaleDataLoader()


_UNIT_KEYS = ("year", "month", "week", "day", "decade", "fortnight", "century")
_WORD = re.compile(r"[^\W\d_]+")


def _modifiers(info: dict) -> tuple[dict[str, int], set[str], dict[str, int]]:
    """The words a language writes for "next" (+1), "last" (-1) and "this" (0).

    dateparser lists "next week", "last month"... as whole phrases; the word that
    is not the unit and not shared with the opposite phrase is the modifier, and
    the shared ones ("el", "на") are articles and prepositions. Also returned:
    the whole "next week" phrases of languages written without spaces ("下周"),
    which name a weekday of that week when one follows ("下周一").
    """
    relative = info.get("relative-type", {})
    units = {_plain(w) for key in _UNIT_KEYS for phrase in info.get(key, []) for w in _WORD.findall(phrase)}
    week_words = [w for w in info.get("week", []) if w]
    words: dict[int, set[str]] = {1: set(), -1: set(), 0: set()}
    weeks: dict[str, int] = {}
    for unit in ("week", "month", "year"):
        for sign, key in ((1, f"in 1 {unit}"), (-1, f"1 {unit} ago"), (0, f"0 {unit} ago")):
            for phrase in relative.get(key, []):
                words[sign].update(w for w in map(_plain, _WORD.findall(phrase)) if w not in units)
                if unit == "week" and not phrase.isascii() and any(w in phrase and w != phrase for w in week_words):
                    weeks[phrase.replace(" ", "").lower()] = sign
    found = {}
    for sign, own in words.items():
        others = set().union(*(words[s] for s in words if s != sign))
        for word in own - others:
            if len(word) >= 2:
                found[word] = sign
    shared = (words[1] & words[-1]) | (words[1] & words[0]) | (words[-1] & words[0])
    return found, shared, weeks


@dataclass(frozen=True)
class _Vocabulary:
    months: dict[str, int]
    weekdays: dict[str, int]
    modifiers: dict[str, int]  # plain word -> +1 next, -1 last, 0 this
    stems: tuple[tuple[str, int], ...]  # inflected modifiers: "nächsten" for "nächste"
    phrases: dict[str, str]  # dateparser's relative phrases in English: "minggu depan" -> "in 1 week"
    filler: frozenset[str]
    weeks: dict[str, int]  # "下周" +1, "上周" -1, "本周" 0: a weekday of that calendar week follows
    counts: dict[str, tuple[int, str]]  # "hace # días" -> (-1, "day"): dateparser's "N units ago" phrases
    # Names of several words ("יום שישי", "thứ sáu"), by their first two words; they
    # are looked up joined by hyphens, as "sexta-feira" is written.
    several: dict[tuple[str, str], tuple[tuple[str, ...], ...]]

    def tokens(self, cleaned: str) -> list[str]:
        """The words and numbers of ``cleaned`` that may carry a date, names of several words joined."""
        found = _TOKEN.findall(cleaned)
        if (self.first_words.isdisjoint(found) or not any(pair in self.several for pair in pairwise(found))) \
                and not _JOINED.search(cleaned):
            filler = self.filler
            return [t for t in found if t not in filler]
        tokens = []
        i = 0
        while i < len(found):
            token = found[i]
            for name in self.several.get(tuple(found[i:i + 2]), ()):
                if tuple(found[i:i + len(name)]) == name:
                    token = "-".join(name)
                    i += len(name) - 1
                    break
            i += 1
            if token in self.filler:
                continue
            if token in self.months or token in self.weekdays or not _JOINED.search(token):
                tokens.append(token)
            else:  # "mid-november", "l'année"
                tokens.extend(part for part in _JOINED.split(token) if part and part not in self.filler)
        return tokens

    @cached_property
    def first_words(self) -> frozenset[str]:
        return frozenset(first for first, _ in self.several)

    @cached_property
    def longest_week(self) -> int:
        return max(map(len, self.weeks), default=0)

    def modifier(self, word: str) -> int | None:
        plain = _plain(word)
        if plain in self.modifiers:
            return self.modifiers[plain]
        for stem, sign in self.stems:
            if plain.startswith(stem) and len(plain) <= len(stem) + 7:
                return sign
        return None


# Words that carry no date information around day-month-year forms: ours, plus
# every word dateparser's locales skip ("de", "del", "roku", "à", "om"...).
_FILLER = {
    "the", "of", "on", "in", "st", "nd", "rd", "th", "at", "by", "since",  # en
    "le", "er", "en", "à",  # fr
    "am", "im", "um", "uhr",  # de
    "року", "рік", "році", "р", "у", "о", "об",  # uk
    "года", "год", "году", "г", "в", "го",  # ru
    "la", "il", "lo", "el", "los", "las", "les", "der", "die", "das", "dem", "het", "την", "τον", "το",  # articles
}
_ENGLISH_WORDS = {"next", "last", "this", "past", "coming", "ago", "in", "a", "an"}


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    info = _info("en")
    names = {_fold(w) for key in (*map(str.lower, calendar.month_name[1:]), *map(str.lower, calendar.day_name))
             for w in info.get(key, [])}
    words = set(_ENGLISH_WORDS)
    for value in info.values():
        texts = value if isinstance(value, list) else value.values() if isinstance(value, dict) else []
        for text in texts:
            for phrase in text if isinstance(text, list) else [text]:
                if isinstance(phrase, str):
                    words.update(w.lower() for w in _WORD.findall(phrase))
    return frozenset(words - names)


@cache
def _vocabulary(languages: tuple[str, ...]) -> _Vocabulary:
    if languages != LANGUAGES:
        return _build_vocabulary(languages)
    # Every language's words take dateparser's locale data and a fifth of a second to gather;
    # a command that adds one row would spend a fifth of its time on it.
    from .store import remembered

    return remembered("vocabulary", lambda: _build_vocabulary(languages), _vocabulary_json, _vocabulary_from_json)


def _vocabulary_json(vocabulary: _Vocabulary) -> dict:
    return {**{name: getattr(vocabulary, name) for name in ("months", "weekdays", "modifiers", "phrases", "weeks",
                                                            "counts", "stems")},
            "filler": sorted(vocabulary.filler),
            "several": [[list(first), [list(name) for name in names]] for first, names in vocabulary.several.items()]}


def _vocabulary_from_json(data: dict) -> _Vocabulary:
    return _Vocabulary(
        months=data["months"], weekdays=data["weekdays"], modifiers=data["modifiers"],
        stems=tuple((stem, sign) for stem, sign in data["stems"]), phrases=data["phrases"],
        filler=frozenset(data["filler"]), weeks=data["weeks"],
        counts={phrase: (sign, unit) for phrase, (sign, unit) in data["counts"].items()},
        several={tuple(first): tuple(tuple(name) for name in names) for first, names in data["several"]},
    )


def _build_vocabulary(languages: tuple[str, ...]) -> _Vocabulary:
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    modifiers: dict[str, int] = {}
    # "now" is November somewhere, "sat" a weekday: an English date word keeps its English meaning.
    english = _english_words()
    weeks: dict[str, int] = {}
    several: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    phrases: dict[str, str] = {}
    counts: dict[str, tuple[int, str]] = {}
    filler = set(_FILLER)
    for code in languages:
        info = _info(code)
        for table, names in ((months, calendar.month_name[1:]), (weekdays, calendar.day_name)):
            for number, name in enumerate(names, start=1 if table is months else 0):
                for word in info.get(name.lower(), []):
                    word = _fold(word)
                    # Two-letter abbreviations ("ma", "do", "so") are common words elsewhere.
                    if len(word) < 3 and word.isascii() or word in english and code != "en":
                        continue
                    # The first language in the order wins a word two of them use differently.
                    parts = tuple(_TOKEN.findall(word))
                    if len(parts) > 1:
                        several.setdefault(parts[:2], set()).add(parts)
                        word = "-".join(parts)
                    table.setdefault(word, number)
        found, shared, week_phrases = _modifiers(info)
        for word, sign in found.items():
            modifiers.setdefault(word, sign)
        filler.update(shared)
        for key, texts in info.get("relative-type", {}).items():
            for phrase in texts:
                phrases.setdefault(" ".join(phrase.lower().split()), key)
        for key, patterns in info.get("relative-type-regex", {}).items():
            sign, unit = _count_key(key)
            if unit not in _COUNTED_UNITS:
                continue
            # "3 dni temu": the patterns name one form of the unit, the locale lists them all.
            forms = [f.lower() for f in info.get(unit, []) if len(f) > 1]
            for pattern in patterns:
                template = " ".join(pattern.replace(_DATEPARSER_NUMBER, "#").lower().split())
                if template.count("#") != 1 or _REGEX_SYNTAX.search(template):
                    continue
                counts.setdefault(template, (sign, unit))
                words = template.split()
                for i, word in enumerate(words):
                    if word in forms:
                        for form in forms:
                            counts.setdefault(" ".join(words[:i] + [form] + words[i + 1:]), (sign, unit))
        for phrase, sign in week_phrases.items():
            weeks.setdefault(phrase, sign)
        for word in info.get("skip", []) + info.get("pertain", []):
            if _WORD.fullmatch(word.strip()):
                filler.add(word.strip().lower())
    # Our own filler words are articles and prepositions, whatever a locale's phrases suggest.
    modifiers = {word: sign for word, sign in modifiers.items() if word not in _FILLER}
    filler -= months.keys() | weekdays.keys() | modifiers.keys()
    # Slavic and Romance modifiers inflect with the weekday's gender and case
    # ("наступного тижня", "у наступний понеділок"): the stem decides.
    stems = tuple(sorted(
        {(word[: max(5, len(word) - 4)], sign) for word, sign in modifiers.items() if len(word) >= 6},
        key=lambda item: -len(item[0]),
    ))
    several_names = {first: tuple(sorted(names, key=len, reverse=True)) for first, names in several.items()}
    return _Vocabulary(months, weekdays, modifiers, stems, phrases, frozenset(filler), weeks, counts, several_names)


# The number in dateparser's "N units ago" patterns; the rest of nearly all of them is literal text.
_DATEPARSER_NUMBER = r"(\d++[.,]?\d*+)"
_REGEX_SYNTAX = re.compile(r"[\\()\[\]?*+|{}^$.]")


_COUNTED_UNITS = {"second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade", "century"}


def _count_key(key: str) -> tuple[int, str | None]:
    """dateparser's "\\1 day ago" -> (-1, "day"), "in \\1 week" -> (1, "week")."""
    words = key.replace("\\1", "#").split()
    if len(words) == 3 and words[0] == "#" and words[2] == "ago":
        return -1, words[1]
    if len(words) == 3 and words[:2] == ["in", "#"]:
        return 1, words[2]
    return 0, None


@lru_cache(maxsize=1)
def _word_index() -> dict[str, tuple[str, ...]]:
    """Every word of every language's date vocabulary -> the languages that use it, in order."""
    index: dict[str, list[str]] = {}
    for code in LANGUAGES:
        info = _info(code)
        words = set()
        for key, value in info.items():
            if key in ("name", "date_order", "locale_specific", "sentence_splitter_group"):
                continue
            texts = []
            if isinstance(value, list):
                texts = [v for v in value if isinstance(v, str)]
                # simplifications: [{"pojutrze": "za 2 dnia"}, ...]
                texts += [re.sub(r"\\.|[()\[\]+*?|]", " ", k) for v in value if isinstance(v, dict) for k in v]
            elif isinstance(value, dict):
                texts = [t for phrases in value.values() for t in phrases if isinstance(t, str)]
                if key == "relative-type-regex":
                    texts = [re.sub(r"\\.|\(|\)|\[|\]|\+|\*|\?|\|", " ", t) for t in texts]
            words.update(_WORD.findall(_plain(" ".join(texts))))
        for word in words:
            index.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in index.items()}


_SCRIPTS = (  # texts written without spaces between words: the language by its script
    (re.compile(r"[\u3040-\u30ff]"), ("ja",)),
    (re.compile(r"[\uac00-\ud7af]"), ("ko",)),
    (re.compile(r"[\u4e00-\u9fff]"), ("zh", "ja", "zh-Hant", "zh-Hans", "yue")),
    (re.compile(r"[\u0e00-\u0e7f]"), ("th",)),
)


@lru_cache(maxsize=4096)
def _candidates(text: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages ``text`` is likeliest written in: most of its words known, then our order."""
    index = _word_index()
    rank = {code: i for i, code in enumerate(languages)}
    counts: dict[str, int] = {}
    for word in {_plain(w) for w in _WORD.findall(text)}:
        for code in index.get(word, ()):
            if code in rank:
                counts[code] = counts.get(code, 0) + 1
    for pattern, codes in _SCRIPTS:
        if pattern.search(text):
            for code in codes:
                if code in rank:
                    counts[code] = counts.get(code, 0) + 1
    ordered = sorted(counts, key=lambda code: (-counts[code], rank[code]))
    return tuple(ordered[:_CANDIDATES]) or languages[:1]


# --- the shapes we read ourselves -------------------------------------------------------

_QUALIFIER = {"early", "mid", "late", "end", "beginning", "start"}
_TOKEN = re.compile(r"\d+|[^\W\d_]+(?:['’-][^\W\d_]+)*")
_JOINED = re.compile(r"['’-]")
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "couple of": 2,
}
_NUMBER = r"(?P<n>\d+|" + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True)) + r")"
_HEDGE = r"(?:(?:nearly|almost|about|around|some|roughly|more than|over|less than|just over|just under) )?"
_UNIT = r"(?P<unit>second|minute|hour|day|week|fortnight|month|year|decade|century|centurie)s?"
_AGO = re.compile(rf"^{_HEDGE}{_NUMBER} {_UNIT} ago$")
_IN = re.compile(rf"^(?:in|after|within) {_HEDGE}{_NUMBER} {_UNIT}(?: time)?$")
_LATER = re.compile(rf"^{_NUMBER} {_UNIT} (?:from (?:now|today)|later|hence)$")
_PERIOD = re.compile(r"^(?P<which>last|this|next|earlier this|later this|past) (?P<unit>week|weekend|month|year)$")
_TIME_OF_DAY = {"morning", "afternoon", "evening", "night", "noon", "midday", "overnight", "tonight"}
_DAYWORD = re.compile(
    r"^(?P<word>today|tonight|yesterday|tomorrow|last night|this morning|this afternoon|this evening)"
    r"(?: (?:morning|afternoon|evening|night|noon|midday|overnight))?$"
)
_LEADING = re.compile(r"^(?:on|by|at|since|the|в|во|у|am|le)\s+")
# "14:00", "9.30 Uhr", "10h11", "2:57 p.m.", "8 pm": a time of day, which never moves the day.
_CLOCK = re.compile(
    r"(?<![\d/.:-])(?:\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[ap]\.?\s?m\b\.?)?"
    r"|\d{1,2}\.\d{2}(?=\s*(?:uhr|h)\b)|\d{1,2}\s*[ap]\.?\s?m\b\.?)(?![\d/.:-]?\d)"
)
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})$")
_NUMERIC_YEARLESS = re.compile(r"^(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?:(?<=\.\d)\.|(?<=\.\d\d)\.)?$")
_DIGITS_ONLY = re.compile(r"^[\d./-]+$")
_ONE_NUMBER = re.compile(r"^(\D*)(\d+)(\D*)$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
# Chinese, Japanese and Korean: 2025年11月23日, 2025년 11월 23일, 11月23日.
_CJK = re.compile(
    r"^(?:(?P<y>\d{4})\s*[年년]\s*)?(?:(?P<m>\d{1,2})\s*[月월]\s*(?:(?P<d>\d{1,2})\s*[日일号號]?)?)?$"
)
_HOLIDAY = re.compile(
    r"^(?P<name>" + "|".join(sorted(map(re.escape, holidays.HOLIDAYS), key=len, reverse=True)) + r")(?: (?P<year>\d{4}))?$"
)


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _ascii_digits(text: str) -> str:
    """٢٠٢٥ and २०२५ as 2025."""
    if text.isascii() or not _OTHER_DIGIT.search(text):
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.digit(m[0])), text)


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


# --- the reader ------------------------------------------------------------------------

class DateReader:
    """Reads date cells; one instance keeps its caches across files and reloads."""

    def __init__(self, languages: tuple[str, ...] = LANGUAGES):
        self.languages = tuple(languages)
        self._texts: dict[tuple[str, str | None], Span | DateError | _Relative] = {}
        self._relative: dict[tuple[str, str | None, date, bool], Span | DateError] = {}
        self._parsers: dict = {}
        self._translations: dict[tuple[str, str], str] = {}
        self._vocabularies: dict[str | None, _Vocabulary] = {}

    def _vocabulary(self, language: str | None) -> _Vocabulary:
        found = self._vocabularies.get(language)
        if found is None:
            found = self._vocabularies[language] = _vocabulary(self._languages(language))
        return found

    def read(self, text: str, reported: date | None = None, status: str = "happened",
             language: str | None = None) -> Span:
        """The span ``text`` means for a row reported on ``reported`` with ``status``.

        ``language``, a dateparser language code, pins the language instead of detecting it.
        """
        text = text.strip()
        if not text:
            raise DateError("is empty")
        found = self._classified(text, language)
        if isinstance(found, DateError):
            raise found
        if isinstance(found, Span):
            return found
        if reported is None:
            raise DateError(f'"{text}" is relative to when the story was written: fill in the reported column')
        key = (text, language, reported, status in FORWARD_STATUSES)
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

    def is_absolute(self, text: str, language: str | None = None) -> bool:
        """Whether ``text`` means the same days whenever the story was written."""
        return isinstance(self._classified(text.strip(), language), Span)

    def read_reported(self, text: str, language: str | None = None) -> date:
        """A reported date: absolute, to the day, as a dateline gives it."""
        text = text.strip()
        if not text:
            raise DateError("is empty")
        found = self._classified(text, language)
        if isinstance(found, DateError):
            raise found
        if isinstance(found, _Relative):
            raise DateError(f'"{text}" is relative; the reported date is the day the story was '
                            "published, written out (2025-11-23, Nov. 23, 2025)")
        if found.precision != "day" or found.start != found.end:
            raise DateError(f'"{text}" names a {found.precision}; a reported date needs the day')
        return found.start

    # --- what a text is, whatever the row ---------------------------------------------

    def _classified(self, text: str, language: str | None) -> Span | DateError | _Relative:
        if len(text) > MAX_LENGTH["date"]:
            # Parsing time grows with the text (dateparser took 10 s per MB): a date is never that long.
            return DateError(f"is {len(text):,} characters long; a date has at most {MAX_LENGTH['date']}")
        key = (text, language)
        found = self._texts.get(key)
        if found is None:
            try:
                found = self._classify(text, language)
            except DateError as error:
                found = error
            except (ValueError, OverflowError):  # year 0, counts past the calendar
                found = DateError(f'"{text}" is outside the calendar')
            self._texts[key] = found
        return found

    def _languages(self, language: str | None) -> tuple[str, ...]:
        return (language,) if language else self.languages

    def _classify(self, text: str, language: str | None) -> Span | _Relative:
        languages = self._languages(language)
        cleaned = _clean(text)
        span = _numbers(text, cleaned)
        if span is not None:
            return span
        vocabulary = self._vocabulary(language)
        span = self._absolute_words(text, cleaned, vocabulary)
        if span is not None:
            return span
        if self._is_relative_phrase(text, cleaned, vocabulary):
            return _Relative(cleaned, vocabulary, languages)
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
            span = self._absolute_fast(text, english, vocabulary)
            if span is not None:
                return span
            if self._is_relative_phrase(text, english, vocabulary):
                return _Relative(english, vocabulary, (code,))
        return self._absolute_slow(text, candidates)

    def _absolute_fast(self, text: str, cleaned: str, vocabulary: _Vocabulary) -> Span | None:
        span = _numbers(text, cleaned)
        return span if span is not None else self._absolute_words(text, cleaned, vocabulary)

    def _absolute_words(self, text: str, cleaned: str, vocabulary: _Vocabulary) -> Span | None:
        if (m := _HOLIDAY.match(cleaned)) and m["year"]:
            return day_span(holidays.HOLIDAYS[m["name"]](int(m["year"])))
        parts = _named_month_parts(cleaned, vocabulary)
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

    def _is_relative_phrase(self, text: str, cleaned: str, vocabulary: _Vocabulary) -> bool:
        try:
            return self._relative_fast(text, cleaned, _PROBE_BASES[0].date(), False, vocabulary) is not None
        except (DateError, ValueError, OverflowError):
            # e.g. "29 February" has no such day in the probe year: it still needs the reported date
            return True

    def _absolute_slow(self, text: str, languages: tuple[str, ...]) -> Span | _Relative:
        readings = [self._dateparser(text, base, None, languages) for base in _PROBE_BASES]
        if readings[0] is None:
            raise DateError(f'cannot read "{text}" as a date')
        spans = [_from_dateparser(*reading) for reading in readings]
        if spans[0] != spans[1]:
            return _Relative(None, None, languages)
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

    def _read_relative(self, found: _Relative, text: str, reported: date, forward: bool) -> Span:
        if found.cleaned is not None:
            span = self._relative_fast(text, found.cleaned, reported, forward, found.vocabulary)
            if span is not None:
                return span
        reading = self._dateparser(text, _base(reported, forward), "future" if forward else "past", found.languages)
        if reading is None:
            raise DateError(f'cannot read "{text}" as a date')
        span = _from_dateparser(*reading)
        _check_year_is_written(text, span, reported)
        return span

    def _relative_fast(self, text: str, cleaned: str, reported: date, forward: bool,
                       vocabulary: _Vocabulary) -> Span | None:
        # "minggu depan" is next week, though "minggu" is also Sunday: a whole phrase first.
        phrase = vocabulary.phrases.get(cleaned)
        if phrase is None and " " in cleaned:  # "la settimana scorsa" for dateparser's "settimana scorsa"
            phrase = vocabulary.phrases.get(" ".join(w for w in cleaned.split() if w not in _FILLER))
        cleaned = phrase or cleaned
        if m := _DAYWORD.match(cleaned):
            offset = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(m["word"], 0)
            return day_span(reported + timedelta(days=offset))
        if m := _AGO.match(cleaned):
            return _offset(reported, -_count(m["n"]), m["unit"])
        if m := _IN.match(cleaned) or _LATER.match(cleaned):
            return _offset(reported, _count(m["n"]), m["unit"])
        if (m := _ONE_NUMBER.match(cleaned)) and (found := vocabulary.counts.get(f"{m[1]}#{m[3]}")):
            sign, unit = found
            return _offset(reported, sign * int(m[2]), unit)
        if m := _PERIOD.match(cleaned):
            return _period(reported, m["which"], m["unit"])
        if m := _HOLIDAY.match(cleaned):
            return day_span(holidays.nearest(m["name"], reported, forward))
        if m := _NUMERIC_YEARLESS.match(cleaned):
            (month, day), warning = _yearless_numeric(text, int(m["a"]), int(m["b"]))
            span = _nearest_month_day(month, day, reported, forward, text)
            return day_span(span.start, warning)
        if (m := _CJK.match(cleaned)) and m["m"] and not m["y"]:
            return _nearest_month_day(int(m["m"]), int(m["d"]) if m["d"] else None, reported, forward, text)
        if span := _weekday(cleaned, reported, forward, vocabulary):
            return span
        parts = _named_month_parts(cleaned, vocabulary)
        if parts is not None:
            _, month, day = parts
            if month is not None:
                return _nearest_month_day(month, day, reported, forward, text)
        return None

    def _dateparser(self, text: str, base: datetime, prefer: str | None, languages: tuple[str, ...]):
        numeric = bool(re.search(r"\d{1,2}\s*[/.-]\s*\d{1,2}", text))
        key = (languages, base, prefer, numeric)
        parser = self._parsers.get(key)
        if parser is None:
            from dateparser.date import DateDataParser

            settings = {
                "RELATIVE_BASE": base,
                "PREFER_DAY_OF_MONTH": "first",
                "RETURN_AS_TIMEZONE_AWARE": False,
            }
            if numeric:  # our rule for numbers; the locales' own order reads 2025年11月 and the like
                settings["DATE_ORDER"] = "DMY"
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


def _numbers(text: str, cleaned: str) -> Span | None:
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
        return _numeric(text, int(m["a"]), int(m["b"]), int(m["y"]))
    if m := _NUMERIC_YEARLESS.match(cleaned):
        _yearless_numeric(text, int(m["a"]), int(m["b"]))  # an impossible one is an error at once
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


def _yearless_numeric(text: str, first: int, second: int) -> tuple[tuple[int, int], str | None]:
    """((month, day), warning) for "05/06" (day first) or "12/25" (month first, the only reading)."""
    def real(month: int, day: int) -> bool:
        return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]  # 2024: 29 February is real

    if real(second, first):
        return (second, first), None
    if real(first, second):
        return (first, second), (f'"{text}" only makes sense month first; read as month {first}, day {second} '
                                 "(write ISO dates to be unambiguous)")
    raise DateError(f'"{text}" is not a real date (read day first, then month)')


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
