"""The date words of every language dateparser knows, taken from its own locale data.

Month and weekday names, the words for "next", "last" and "this", the "N days ago"
phrases and the filler words around dates, gathered once for all 205 languages
(and kept in the cache folder), plus the guess of which languages a text is in.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import pairwise


# Tried first, in this order, when a word means different things in different
# languages ("listopad" is November in Polish and Czech, October in Croatian):
# the languages our editors paste from most. The README lists them.
PREFERRED = ("en", "uk", "ru", "fr", "de", "es", "pl", "tr", "ar", "zh", "ja", "it", "pt", "nl", "he")


def _all_languages() -> tuple[str, ...]:
    from dateparser.data.languages_info import language_order

    return PREFERRED + tuple(code for code in language_order if code not in PREFERRED)


LANGUAGES = _all_languages()
_BY_FOLDED_CODE = {code.lower(): code for code in LANGUAGES}

# How many of the likeliest languages a phrase is tried in before giving up.
_CANDIDATES = 4

def language_code(text: str) -> str | None:
    """dateparser's code for a language as an editor may type it ("PL", "zh-hans", "en-US"), or None."""
    folded = text.strip().lower().replace("_", "-")
    code = _BY_FOLDED_CODE.get(folded)
    return code if code is not None else (_locale(folded) or (None, None))[0]


def locale_order(text: str) -> str | None:
    """The order of numeric dates in a locale ("en-US" MDY, "en-GB" DMY, "en-CA" YMD) as dateparser's
    data gives it; None for a bare language ("en" is written in too many countries to tell)."""
    folded = text.strip().lower().replace("_", "-")
    return None if folded in _BY_FOLDED_CODE else (_locale(folded) or (None, None))[1]


@lru_cache(maxsize=256)
def _locale(folded: str) -> tuple[str, str] | None:
    """(language code, date order) of a locale such as "en-us" or "zh-hant-hk", or None."""
    from dateparser.data.languages_info import language_locale_dict

    for cut in range(folded.count("-"), 0, -1):
        code = _BY_FOLDED_CODE.get(folded.rsplit("-", cut)[0])
        locale = next((name for name in language_locale_dict.get(code, ()) if name.lower() == folded), None)
        if locale is not None:
            info = _info(code)
            order = info.get("locale_specific", {}).get(locale, {}).get("date_order") or info.get("date_order")
            return code, order if order in ("DMY", "MDY", "YMD") else "DMY"
    return None


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
    from ..store import remembered

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


_TOKEN = re.compile(r"\d+|[^\W\d_]+(?:['’-][^\W\d_]+)*")
_JOINED = re.compile(r"['’-]")
