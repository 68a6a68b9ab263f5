"""Benchmark: normalizing 100,000 generated events.csv rows, against naive dateparser calls.

    .venv/bin/python benchmarks/dates_speed.py [--rows 100000] [--seed 7] [--mix english|languages|both]

Two mixes: "english", the five languages editors first wrote in (English, Ukrainian,
Russian, French, German); and "languages", the same with a fifth of the rows in ten
other languages (es, pl, tr, ar, zh, ja, it, pt, nl, he), absolute and relative forms.
For each, prints the time and peak memory of `load_events` on the generated file (read,
validate, normalize dates, build the frame), then the naive pipeline (one
`dateparser.parse(text)` per row, timed on a sample and scaled to the same row count)
and the ratio. For the other languages it also compares how the language is found: our
reader on every distinct (text, reported, status) of those rows, against dateparser's own
detection (`DateDataParser()` with no languages) once per distinct one, timed on a sample
and scaled. Each measurement runs in a fresh child process so peak memory is its own.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "uk": ["січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
           "вересня", "жовтня", "листопада", "грудня"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
}
SHORT = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
RELATIVE = ["yesterday", "three days ago", "last month", "last week", "last weekend", "Friday",
            "on Sunday", "Saturday night", "Tuesday morning", "Thanksgiving", "two weeks ago"]

# The ten other languages, as their wires write a day (from dateparser's locale data).
OTHER_MONTHS = {
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "pl": ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
           "października", "listopada", "grudnia"],
    "tr": ["Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım",
           "Aralık"],
    "ar": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
           "ديسمبر"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"],
    "he": ["בינואר", "בפברואר", "במרץ", "באפריל", "במאי", "ביוני", "ביולי", "באוגוסט", "בספטמבר", "באוקטובר",
           "בנובמבר", "בדצמבר"],
}
OTHER_FORMS = (
    lambda d: f"{d.day} de {OTHER_MONTHS['es'][d.month - 1]} de {d.year}",
    lambda d: f"{d.day} {OTHER_MONTHS['pl'][d.month - 1]} {d.year}",
    lambda d: f"{d.day} {OTHER_MONTHS['tr'][d.month - 1]} {d.year}",
    lambda d: f"{d.day} {OTHER_MONTHS['ar'][d.month - 1]} {d.year}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",  # zh
    lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日",  # ja
    lambda d: f"{d.day} {OTHER_MONTHS['it'][d.month - 1]} {d.year}",
    lambda d: f"{d.day} de {OTHER_MONTHS['pt'][d.month - 1]} de {d.year}",
    lambda d: f"{d.day} {OTHER_MONTHS['nl'][d.month - 1]} {d.year}",
    lambda d: f"{d.day} {OTHER_MONTHS['he'][d.month - 1]} {d.year}",
)
# (text, status): yesterday, three days ago, last week, a weekday, next Monday.
OTHER_RELATIVE = [
    *[(t, "happened") for t in ("ayer", "hace 3 días", "la semana pasada", "el viernes")], ("el próximo lunes", "planned"),
    *[(t, "happened") for t in ("wczoraj", "3 dni temu", "w zeszłym tygodniu", "w piątek")],
    ("w przyszły poniedziałek", "planned"),
    *[(t, "happened") for t in ("dün", "3 gün önce", "geçen hafta", "cuma")], ("gelecek pazartesi", "planned"),
    *[(t, "happened") for t in ("أمس", "قبل 3 أيام", "الأسبوع الماضي", "الجمعة")], ("الاثنين القادم", "planned"),
    *[(t, "happened") for t in ("昨天", "3天前", "上周", "星期五")], ("下周一", "planned"),
    *[(t, "happened") for t in ("昨日", "3日前", "先週", "金曜日")], ("来週の月曜日", "planned"),
    *[(t, "happened") for t in ("ieri", "3 giorni fa", "la settimana scorsa", "venerdì")], ("lunedì prossimo", "planned"),
    *[(t, "happened") for t in ("ontem", "há 3 dias", "semana passada", "sexta-feira")],
    ("próxima segunda-feira", "planned"),
    *[(t, "happened") for t in ("gisteren", "3 dagen geleden", "vorige week", "vrijdag")], ("volgende maandag", "planned"),
    *[(t, "happened") for t in ("אתמול", "לפני 3 ימים", "השבוע שעבר", "יום שישי")], ("יום שני הבא", "planned"),
]


FORMS = (
    lambda d: f"{SHORT[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{MONTHS['en'][d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{d.day} {MONTHS['en'][d.month - 1]} {d.year}",
    lambda d: f"{MONTHS['en'][d.month - 1]} {d.year}",
    lambda d: str(d.year),
    lambda d: f"{d.day} {MONTHS['uk'][d.month - 1]} {d.year}",
    lambda d: f"{d.day} {MONTHS['ru'][d.month - 1]} {d.year} года",
    lambda d: f"{d.day} {MONTHS['fr'][d.month - 1]} {d.year}",
    lambda d: f"{d.day}. {MONTHS['de'][d.month - 1]} {d.year}",
)


def date_text(rng: random.Random, day: date) -> str:
    """One date as an editor might copy it (absolute forms only)."""
    return FORMS[rng.randrange(len(FORMS))](day)


def generate(path: str, rows: int, seed: int, other_languages: float = 0.0) -> None:
    """``other_languages``: the share of rows written in the ten other languages.

    Their distinct (text, reported, status) go to ``path + ".other"``, one JSON list a line.
    """
    rng = random.Random(seed)
    other = set()
    first = date(1995, 1, 1)
    span = (date(2025, 12, 31) - first).days
    reported_days = [first + timedelta(days=rng.randrange(span)) for _ in range(400)]
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["date", "reported", "title", "actors", "kind", "status"])
        for i in range(rows):
            day = first + timedelta(days=rng.randrange(span))
            reported = ""
            status = "happened"
            if other_languages and rng.random() < other_languages:
                if rng.random() < 0.2:
                    reported = rng.choice(reported_days).isoformat()
                    text, status = rng.choice(OTHER_RELATIVE)
                else:
                    text = OTHER_FORMS[rng.randrange(len(OTHER_FORMS))](day)
                other.add((text, reported, status))
            elif i % 2 == 0:
                text = day.isoformat()
            elif rng.random() < 0.2:
                reported_day = rng.choice(reported_days)
                reported = reported_day.isoformat()
                text = rng.choice(RELATIVE)
                status = "planned" if text == "Thanksgiving" else "happened"
            else:
                text = date_text(rng, day)
            writer.writerow([text, reported, f"Event {i}", f"Actor {i % 50}; Actor {(i * 7) % 50}", "talks", status])
    with open(path + ".other", "w", encoding="utf-8") as out:
        out.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in sorted(other))


def measure_ours(path: str) -> None:
    from timeline.events import load_events

    load_events(io.BytesIO(b"date,title,actors\n2025-11-23,warm-up,A\n"))  # import-time work out of the timing
    started, cpu = time.perf_counter(), time.process_time()
    dataset = load_events(path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{elapsed:.3f} {len(dataset.frame)} {cpu:.3f}")


def measure_naive(path: str, sample: int) -> None:
    import dateparser

    with open(path, newline="", encoding="utf-8") as handle:
        texts = [row["date"] for row in csv.DictReader(handle)]
    rng = random.Random(1)
    picked = rng.sample(texts, sample)
    for text in picked[:50]:  # warm up: language data loads on first use, not per call
        dateparser.parse(text)
    started, cpu = time.perf_counter(), time.process_time()
    for text in picked:
        dateparser.parse(text)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{elapsed:.3f} {len(texts)} {cpu:.3f}")


def measure_detect(path: str, sample: int) -> None:
    """Our reader on every distinct other-language phrase, against dateparser's detection on a sample."""
    from datetime import datetime

    from dateparser.date import DateDataParser

    from timeline.dates import DateError, DateReader
    from timeline.schema import FORWARD_STATUSES

    with open(path + ".other", encoding="utf-8") as handle:
        items = [tuple(json.loads(line)) for line in handle]
    day = lambda text: date.fromisoformat(text) if text else None  # noqa: E731

    reader = DateReader()
    started = time.perf_counter()
    ours = {}
    for text, reported, status in items:
        try:
            ours[(text, reported, status)] = reader.read(text, day(reported), status)
        except DateError:
            ours[(text, reported, status)] = None
    elapsed = time.perf_counter() - started

    picked = random.Random(1).sample(items, min(sample, len(items)))
    started = time.perf_counter()
    agree = 0
    for text, reported, status in picked:
        base = datetime.combine(day(reported) or date(2025, 11, 22), datetime.min.time())
        settings = {"RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False,
                    "PREFER_DATES_FROM": "future" if status in FORWARD_STATUSES else "past"}
        found = DateDataParser(settings=settings).get_date_data(text).date_obj
        span = ours[(text, reported, status)]
        agree += bool(found and span and span.start <= found.date() <= span.end)
    detect = (time.perf_counter() - started) / len(picked) * len(items)
    print(f"{elapsed:.3f} {len(items)} {detect:.3f} {agree} {len(picked)}")


def child(mode: str, path: str, sample: int) -> tuple[float, int, float, float]:
    """Run one measurement in a fresh interpreter; returns (seconds, rows, peak MB, CPU seconds).

    CPU seconds are printed too because the wall clock of a shared machine counts other work.
    """
    code = (
        f"import sys; sys.path.insert(0, {ROOT!r}); sys.argv = ['x'];"
        f"from benchmarks.dates_speed import measure_{mode}; "
        + (f"measure_ours({path!r})" if mode == "ours" else f"measure_{mode}({path!r}, {sample})")
        + "; import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    timing, peak = out.stdout.strip().splitlines()[-2:]
    seconds, rows, cpu = timing.split()
    return float(seconds), int(rows), int(peak) / 1024, float(cpu)


MIXES = {"english": 0.0, "languages": 0.2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=2_000, help="rows timed for the naive pipeline")
    parser.add_argument("--mix", choices=[*MIXES, "both"], default="both")
    args = parser.parse_args()

    for mix in MIXES if args.mix == "both" else [args.mix]:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "events.csv")
            generate(path, args.rows, args.seed, MIXES[mix])
            with open(path, newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
            distinct = len({(r["date"], r["reported"], r["status"]) for r in rows})
            other = f", {MIXES[mix]:.0%} in es pl tr ar zh ja it pt nl he" if MIXES[mix] else ""
            print(f"mix {mix}{other}")
            print(f"  rows: {len(rows):,}  distinct (text, reported, status): {distinct:,}  "
                  f"file: {os.path.getsize(path) / 1e6:.1f} MB")

            ours, loaded, ours_peak, ours_cpu = child("ours", path, args.sample)
            naive_sample, total, naive_peak, _ = child("naive", path, args.sample)
            naive = naive_sample / args.sample * total
            print(f"  timeline load_events: {ours:8.2f} s   (CPU {ours_cpu:.2f} s)   peak RSS {ours_peak:6.0f} MB   "
                  f"({loaded:,} events)")
            print(f"  naive dateparser.parse per row: {naive:8.2f} s   "
                  f"(timed {args.sample:,} rows: {naive_sample:.2f} s, scaled to {total:,}; peak RSS {naive_peak:.0f} MB)")
            print(f"  speed-up: {naive / ours:.0f}x   targets: < 5 s, < 500 MB peak -> "
                  f"{'PASS' if ours < 5 and ours_peak < 500 else 'MISS'}")
            if MIXES[mix]:
                code = (f"import sys; sys.path.insert(0, {ROOT!r}); from benchmarks.dates_speed import measure_detect; "
                        f"measure_detect({path!r}, {args.sample})")
                out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
                elapsed, distinct, detect, agree, picked = out.stdout.split()
                print(f"  other languages, {int(distinct):,} distinct phrases: our reader {float(elapsed):.2f} s; "
                      f"dateparser's own detection once per phrase {float(detect):.2f} s "
                      f"(timed {int(picked):,}, scaled; same day as ours for {int(agree)} of them)")


if __name__ == "__main__":
    main()
