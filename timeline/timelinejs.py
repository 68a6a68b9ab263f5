"""Knight Lab's TimelineJS3 in and out: its JSON and its Google-Sheets template as our events CSV,
and a view of our events as its JSON. Pure: no Dash, no printing; problems are Problems.

In (``read_timeline``), the format found from the content:

* TimelineJS JSON: an object with an ``events`` list (and perhaps a ``title`` slide and ``eras``);
* the sheet template saved as CSV, its header ``Year, Month, Day, Time, End Year, ... Group, Background``;
  rows of Type ``title`` and ``era`` are not events.

Field by field: each date keeps its precision (a year alone is a year); the headline becomes
the title and the text the notes, as plain text (tags stripped, entities decoded, links kept
as text); the group becomes the actor (a placeholder, with a warning, when there is none); an
http(s) media address becomes the url and its credit the source; a display date that says
more than the date stays in the notes, and one that says exactly the event's days becomes
its date cell ("late November 2025" keeps its week). An event our page cannot place (a year
before 1678 or after 2261, BCE years, no start) is an error at its place in the source, as is
HTML that would run in a browser (a script, an event handler, a javascript: link): stripping
would make it harmless here, but a file carrying it is not one to import unread.

Out (``timeline_json``): one event per row of the view, each end at its own precision (the
start of "2025-11" to "2026" is {year, month}, its end {year}), the title and notes escaped,
the row's lane as group, the url as media, and a title slide naming the view; what the
structured date cannot say (a week, an EDTF flag, the editor's words) rides in display_date,
which the import reads back.
"""

from __future__ import annotations

import calendar
import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

from .csvfile import read_table
from .dates import DateError, DateReader
from .dates.edtf import end_precision, written
from .rules import EARLIEST, LATEST, safe_url
from .problems import Problem
from .schema import MAX_LENGTH

MAX_BYTES = 20 * 1024 * 1024  # a TimelineJS timeline of 20 MB holds some 20,000 slides: far past its own limits
MAX_EVENTS = 50_000
MAX_DEPTH = 20  # TimelineJS JSON nests five levels (events, slide, date or text or media, value)
MAX_SHOWN = 5  # positions named in one warning about many events
DEFAULT_ACTOR = "Ungrouped"
# The years our page can place (pandas' nanosecond days).
EARLIEST_YEAR, LATEST_YEAR = EARLIEST.year, LATEST.year
HEADER = ("date", "end_date", "reported", "title", "actors", "kind", "status", "location", "source", "url", "notes")
SHEET_COLUMNS = ("Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
                 "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
                 "Background")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NUMBER = re.compile(r"^\s*([+-]?\d+)(?:\.0*)?\s*$")


class TimelineJSError(Exception):
    """A source that is no TimelineJS timeline at all; the problems say why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)))


@dataclass
class Imported:
    """What a TimelineJS source became: our rows, where each came from, and what was not imported."""

    kind: str  # "json" or "sheet"
    rows: list[dict[str, str]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # per row, its place in the source ("events[3]", "line 5")
    problems: list[Problem] = field(default_factory=list)  # errors are events left out; warnings are not
    notes: list[str] = field(default_factory=list)  # what has no equivalent here (title slide, eras, embeds)
    slides: int = 0  # event slides in the source

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]


# --- reading --------------------------------------------------------------------------------

def read_timeline(data: bytes, name: str, *, default_actor: str = DEFAULT_ACTOR,
                  reader: DateReader | None = None) -> Imported:
    """The events of a TimelineJS JSON file or sheet CSV, as our rows; raises TimelineJSError when
    ``data`` is neither, or too big to be one."""
    if len(data) > MAX_BYTES:
        raise TimelineJSError([Problem(name, None, None, f"is {len(data):,} bytes; a TimelineJS timeline imported "
                                                         f"here has at most {MAX_BYTES:,}")])
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    reader = reader or DateReader()
    if head.startswith((b"{", b"[")):
        slides, imported = _json_slides(data, name)
    else:
        slides, imported = _sheet_slides(data, name)
    if len(slides) > MAX_EVENTS:
        raise TimelineJSError([Problem(name, None, None, f"has {len(slides):,} events; at most {MAX_EVENTS:,} "
                                                         "are imported at once")])
    imported.slides = len(slides)
    ungrouped = []
    embeds = 0
    for slide in slides:
        row, problems, embedded = _row(slide, name, reader, default_actor)
        imported.problems += problems
        embeds += embedded
        if row is None:
            continue
        if not slide.group:
            ungrouped.append(slide.place)
        imported.rows.append(row)
        imported.places.append(slide.place)
    if ungrouped:
        shown = ", ".join(ungrouped[:MAX_SHOWN]) + (f" and {len(ungrouped) - MAX_SHOWN:,} more"
                                                     if len(ungrouped) > MAX_SHOWN else "")
        imported.problems.append(Problem(name, None, "group", (
            f"{len(ungrouped):,} event{'s have' if len(ungrouped) > 1 else ' has'} no group ({shown}); "
            f'their actor is "{default_actor}" (--default-actor names another)'), True))
    if embeds:
        imported.notes.append(f"{embeds:,} media embed{'s' if embeds > 1 else ''} (HTML, relative or non-web "
                              "addresses) not imported: the url column takes http(s) addresses only")
    return imported


@dataclass
class _Slide:
    """One TimelineJS event, whatever it came from: its fields as given, and its place."""

    place: str  # for messages: "events[3]" or "line 5"
    line: int | None  # the sheet's line; None for JSON
    start: dict
    end: dict | None
    display: str
    headline: str
    text: str
    media: str
    credit: str
    group: str
    caption: str = ""
    location: str = ""

    def problem(self, name: str, where: str, message: str, warning: bool = False) -> Problem:
        if self.line is not None:
            return Problem(name, self.line, where, message, warning)
        return Problem(name, None, f"{self.place}.{where}" if where else self.place, message, warning)


def _json_slides(data: bytes, name: str) -> tuple[list[_Slide], Imported]:
    def refuse(message: str):
        raise TimelineJSError([Problem(name, None, None, message)])

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        refuse(f"is not UTF-8 text (byte {error.start + 1:,}); TimelineJS JSON is UTF-8")
    try:
        document = json.loads(text)
    except RecursionError:
        refuse(f"nests deeper than any TimelineJS JSON (more than {MAX_DEPTH} levels)")
    except ValueError as error:  # JSONDecodeError, and integers too long to convert
        where = f" (line {error.lineno}, column {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
        refuse(f"is not valid JSON{where}: {getattr(error, 'msg', str(error))}")
    if (depth := _depth(document)) > MAX_DEPTH:
        refuse(f"nests {depth} levels deep; TimelineJS JSON nests about 5 (at most {MAX_DEPTH} are read)")
    if not isinstance(document, dict):
        refuse(f"is a JSON {_type(document)}; TimelineJS JSON is an object with an \"events\" list")
    if "events" not in document:
        if isinstance(document.get("timeline"), dict):
            refuse('is TimelineJS 2 JSON ({"timeline": {...}}); this reads TimelineJS 3 JSON, an object with an '
                   '"events" list (Knight Lab\'s convert_json.py converts the old format)')
        refuse('has no "events" list: TimelineJS JSON is an object with an "events" list of slides')
    events = document["events"]
    if not isinstance(events, list):
        refuse(f'its "events" is a JSON {_type(events)}, not a list of slides')
    imported = Imported("json")
    title = document.get("title")
    if isinstance(title, dict):
        headline = _plain((title.get("text") or {}).get("headline", "") if isinstance(title.get("text"), dict)
                          else "", one_line=True)
        imported.notes.append(f'the title slide{f" ({headline!r})" if headline else ""} is not an event: not imported')
    eras = document.get("eras")
    if isinstance(eras, list) and eras:
        imported.notes.append(f"{len(eras):,} era{'s' if len(eras) > 1 else ''} (labelled spans of the time axis) "
                              "not imported: the page has no equivalent")
    slides = []
    for index, event in enumerate(events):
        place = f"events[{index}]"
        if not isinstance(event, dict):
            imported.problems.append(Problem(name, None, place, f"is a JSON {_type(event)}, not a slide object"))
            continue
        text = event.get("text") if isinstance(event.get("text"), dict) else {}
        media = event.get("media") if isinstance(event.get("media"), dict) else {}
        start = event.get("start_date")
        end = event.get("end_date")
        slides.append(_Slide(
            place=place, line=None,
            start=start if isinstance(start, dict) else ({} if start is None else {"?": start}),
            end=end if isinstance(end, dict) or end is None else {"?": end},
            display=_string(event.get("display_date")),
            headline=_string(text.get("headline")), text=_string(text.get("text")),
            media=_string(media.get("url")), credit=_string(media.get("credit")),
            group=_string(event.get("group")), caption=_string(media.get("caption")),
            location=_string(event["location"].get("name")) if isinstance(event.get("location"), dict) else ""))
    return slides, imported


def _sheet_slides(data: bytes, name: str) -> tuple[list[_Slide], Imported]:
    table, problems = read_table(data, name)
    errors = [p for p in problems if not p.warning]
    header = [h.strip().lower() for h in table.header]
    wanted = [c.lower() for c in SHEET_COLUMNS]
    if not errors and ("year" not in header or "headline" not in header):
        found = ", ".join(h for h in table.header[:6] if h.strip()) or "nothing"
        raise TimelineJSError([Problem(name, 1, None, (
            "is neither TimelineJS JSON (an object with an \"events\" list) nor the TimelineJS sheet template "
            f"saved as CSV (its header begins {', '.join(SHEET_COLUMNS[:4])}, ...; this one begins {found})"))])
    if errors:
        raise TimelineJSError(errors)
    imported = Imported("sheet")
    columns = {h: table.columns[i] for i, h in reversed(list(enumerate(header))) if h in wanted}
    unknown = [h for h, low in zip(table.header, header) if low not in wanted and h.strip()]
    if unknown:
        imported.notes.append(f"columns not in the TimelineJS template, not imported: {', '.join(unknown)}")

    def cell(column: str, row: int) -> str:
        cells = columns.get(column)
        return str(cells[row]).strip() if cells is not None else ""

    eras = 0
    slides = []
    for row, line in enumerate(table.lines.tolist()):
        kind = cell("type", row).lower()
        if kind == "title":
            headline = _plain(cell("headline", row), one_line=True)
            imported.notes.append(f"the title row (line {line}{f', {headline!r}' if headline else ''}) is not an "
                                  "event: not imported")
            continue
        if kind == "era":
            eras += 1
            continue
        start = {k: cell(c, row) for k, c in (("year", "year"), ("month", "month"), ("day", "day"))}
        end = {k: cell(c, row) for k, c in (("year", "end year"), ("month", "end month"), ("day", "end day"))}
        slides.append(_Slide(
            place=f"line {line}", line=line,
            start={k: v for k, v in start.items() if v}, end={k: v for k, v in end.items() if v} or None,
            display=cell("display date", row), headline=cell("headline", row), text=cell("text", row),
            media=cell("media", row), credit=cell("media credit", row), group=cell("group", row),
            caption=cell("media caption", row)))
    if eras:
        imported.notes.append(f"{eras:,} era row{'s' if eras > 1 else ''} (labelled spans of the time axis) not "
                              "imported: the page has no equivalent")
    return slides, imported


def _row(slide: _Slide, name: str, reader: DateReader, default_actor: str):
    """(our row or None, problems, 1 when a media embed was left out) of one slide."""
    problems: list[Problem] = []
    start = _date_parts(slide, "start_date" if slide.line is None else "Year", slide.start, name, problems)
    end = None
    if slide.end:
        end = _date_parts(slide, "end_date" if slide.line is None else "End Year", slide.end, name, problems)
    for where, value in (("headline", slide.headline), ("text", slide.text), ("group", slide.group),
                         ("credit", slide.credit), ("caption", slide.caption)):
        if (active := _active_html(value)) is not None:
            problems.append(slide.problem(name, _field(slide, where), (
                f"holds HTML that would run in a browser ({active}); it is not imported: remove it from the "
                "source first")))
    title = _plain(slide.headline, one_line=True)
    notes = _plain(slide.text)
    caption = _plain(slide.caption, one_line=True)
    if not title and (notes or caption):
        title = _shortened(" ".join((notes or caption).split()), 100)
        problems.append(slide.problem(name, _field(slide, "headline"), (
            f"has no headline; the title is the {'text' if notes else 'media caption'}'s start, \"{title}\""), True))
    elif not title:
        problems.append(slide.problem(name, _field(slide, "headline"), "has no headline, text or caption: no title"))
    if len(title) > MAX_LENGTH["title"]:
        title = _shortened(title, MAX_LENGTH["title"])
        problems.append(slide.problem(name, _field(slide, "headline"),
                                      f"is longer than {MAX_LENGTH['title']:,} characters: shortened", True))
    if start is not None and end is not None and _edge(end, last=True) < _edge(start, last=False):
        problems.append(slide.problem(name, "end_date" if slide.line is None else "End Year",
                                      f"ends ({_text(end)}) before it starts ({_text(start)})"))
    if any(not p.warning for p in problems) or start is None:
        return None, problems, 0

    date_cell, end_cell = _text(start), _text(end) if end is not None and end != start else ""
    first, last = _edge(start, last=False), _edge(end or start, last=True)
    display = " ".join(_plain(slide.display, one_line=True).split())
    start_display = _string(slide.start.get("display_date")) if slide.line is None else ""
    end_display = _string((slide.end or {}).get("display_date")) if slide.line is None else ""
    said = []
    if display and _means(reader, display, first, last):
        date_cell, end_cell = display, ""
    elif start_display and not end_display and _means(reader, start_display, first, last):
        date_cell, end_cell = start_display, ""  # "late November 2025", exported as its first and last days
    else:
        if start_display and _means(reader, start_display, first, _edge(start, last=True)):
            date_cell = start_display
        elif start_display:
            said.append(start_display)
        if end_display and end is not None and _means(reader, end_display, _edge(end, last=False), last):
            end_cell = end_display
        elif end_display:
            said.append(end_display)
        if display:
            said.insert(0, display)
    if said:
        notes = "\n\n".join(filter(None, [notes, "Display date: " + " – ".join(dict.fromkeys(said))]))

    url, embedded = _media_url(slide.media)
    group = " ".join(_plain(slide.group, one_line=True).replace(";", ",").split())
    row = {
        "date": date_cell, "end_date": end_cell, "reported": "", "title": title,
        "actors": group or default_actor, "kind": "", "status": "",
        "location": _shortened(" ".join(_plain(slide.location, one_line=True).split()), MAX_LENGTH["location"]),
        "source": _shortened(" ".join(_plain(slide.credit, one_line=True).split()), MAX_LENGTH["source"]) if url else "",
        "url": url, "notes": notes[:MAX_LENGTH["notes"]],
    }
    return row, problems, embedded


def _field(slide: _Slide, name: str) -> str:
    if slide.line is not None:
        return {"headline": "Headline", "text": "Text", "group": "Group", "credit": "Media Credit",
                "caption": "Media Caption"}[name]
    return {"headline": "text.headline", "text": "text.text", "group": "group", "credit": "media.credit",
            "caption": "media.caption"}[name]


def _date_parts(slide: _Slide, where: str, parts: dict, name: str, problems: list[Problem]):
    """(year, month or None, day or None) of a TimelineJS date, or None with the problem added."""
    if "?" in parts:
        problems.append(slide.problem(name, where, f"is a JSON {_type(parts['?'])}, not a date object "
                                                   "({\"year\": ..., \"month\": ..., \"day\": ...})"))
        return None
    if slide.line is not None:  # the sheet's columns: Year, Month, Day or End Year, End Month, End Day
        def label(part: str) -> str:
            return where.replace("Year", part.capitalize())
    else:
        def label(part: str) -> str:
            return f"{where}.{part}"
    if "year" not in parts or _string(parts.get("year")) == "":
        message = "no start: an event needs at least a year" if where in ("start_date", "Year") else \
            "has an end without a year"
        problems.append(slide.problem(name, where, message))
        return None
    values = {}
    for part in ("year", "month", "day"):
        raw = parts.get(part)
        if raw is None or _string(raw) == "":
            values[part] = None
            continue
        number = _integer(raw)
        if number is None:
            problems.append(slide.problem(name, label(part), f'"{_string(raw)[:40]}" is not a whole number'))
            return None
        values[part] = number
    year, month, day = values["year"], values["month"], values["day"]
    if year < 1:
        problems.append(slide.problem(name, label("year"), (
            f"{_year(year)} is a year before 1 AD (BCE): the page places years {EARLIEST_YEAR} to {LATEST_YEAR} only")))
        return None
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        problems.append(slide.problem(name, label("year"), (
            f"{_year(year)} is outside the years the page can place ({EARLIEST_YEAR}–{LATEST_YEAR})")))
        return None
    if month is None and day is not None:
        problems.append(slide.problem(name, label("day"), "a day without a month"))
        return None
    if month is not None and not 1 <= month <= 12:
        problems.append(slide.problem(name, label("month"), f"{month} is not a month (1 to 12)"))
        return None
    if day is not None:
        try:
            date(year, month, day)
        except ValueError:
            problems.append(slide.problem(name, label("day"), f"{year}-{month:02d} has no day {day}"))
            return None
    return year, month, day


def _year(year: int) -> str:
    return f"{year:,}" if abs(year) >= 10_000 else str(year)


def _text(parts) -> str:
    year, month, day = parts
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def _edge(parts, last: bool) -> date:
    year, month, day = parts
    if day is not None:
        return date(year, month, day)
    if month is None:
        return date(year, 12, 31) if last else date(year, 1, 1)
    return date(year, month, calendar.monthrange(year, month)[1] if last else 1)


def _means(reader: DateReader, text: str, first: date, last: date) -> bool:
    """Whether ``text``, read on its own, is exactly the days ``first`` to ``last`` (and reads so
    in any file: not relative, not a numeric date whose order the file would decide)."""
    text = text.strip()
    if not text or len(text) > MAX_LENGTH["date"] or _CONTROL.search(text) or reader.written_order(text):
        return False
    try:
        if not reader.is_absolute(text):
            return False
        span = reader.read(text)
    except (DateError, ValueError, OverflowError):
        return False
    return span.warning is None and (span.start, span.end) == (first, last)


def _media_url(url: str) -> tuple[str, int]:
    """(our url, 1 when a media item was given but is no web address we keep)."""
    url = url.strip()
    if not url:
        return "", 0
    if url.startswith("//"):
        url = "https:" + url
    if len(url) <= MAX_LENGTH["url"] and url.lower().startswith(("http://", "https://")) and safe_url(url):
        return url, 0
    return "", 1


# --- HTML ------------------------------------------------------------------------------------

_ACTIVE_TAGS = frozenset({"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
                          "link", "meta", "form", "svg", "math", "template", "noscript"})
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"})
_BREAKS = frozenset({"br", "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol"})


class _Text(HTMLParser):
    """The text of an HTML fragment: links kept as text ("Ada Lovelace (https://...)"), paragraphs
    and breaks as line breaks, and the active parts (script, style, handlers) noted."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.active: str | None = None
        self._links: list[tuple[str, int]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._note(tag, attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag in _BREAKS:
            self.parts.append("\n")
        if tag == "a":
            href = next((v for k, v in attrs if k == "href" and v), "")
            self._links.append((href.strip(), len(self.parts)))

    def handle_startendtag(self, tag, attrs):
        self._note(tag, attrs)
        if tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag in _BREAKS:
            self.parts.append("\n")
        if tag == "a" and self._links:
            href, at = self._links.pop()
            said = "".join(self.parts[at:]).strip()
            if href.lower().startswith(("http://", "https://", "mailto:")) and href not in said:
                self.parts.append(f" ({href})")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    def _note(self, tag: str, attrs) -> None:
        if self.active is not None:
            return
        if tag in _ACTIVE_TAGS:
            self.active = f"a <{tag}> element"
            return
        for key, value in attrs:
            if key.startswith("on"):
                self.active = f'an {key}="..." handler on <{tag}>'
                return
            scheme = re.sub(r"[\s\x00-\x1f]", "", html.unescape(value or "")).lower()
            if key in _URL_ATTRIBUTES and scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.active = f"a {scheme.split(':')[0]}: address in <{tag} {key}>"
                return


def _parsed(fragment: str) -> _Text:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return parser


def _active_html(fragment: str) -> str | None:
    """What in ``fragment`` would run in a browser, in words; None when nothing would. Its text
    once decoded too: "&lt;script&gt;" is harmless text here, but a file that hides a script
    so is not one to import unread."""
    if "<" not in fragment and "&" not in fragment:
        return None
    parsed = _parsed(fragment)
    if parsed.active is not None:
        return parsed.active
    decoded = "".join(parsed.parts)
    if "<" in decoded and (active := _parsed(decoded).active) is not None:
        return f"{active}, written with entities"
    return None


def _plain(fragment: str, one_line: bool = False) -> str:
    """An HTML fragment as plain text: tags stripped, entities decoded, control characters dropped;
    ``one_line``: whitespace collapsed to single spaces, else blank-line paragraphs kept."""
    if not fragment:
        return ""
    text = "".join(_parsed(fragment).parts) if ("<" in fragment or "&" in fragment) else fragment
    text = _CONTROL.sub("", text.replace("\xa0", " "))
    if one_line:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    out, blank = [], False
    for line in lines:
        if line:
            if blank and out:
                out.append("")
            out.append(line)
            blank = False
        else:
            blank = True
    return "\n".join(out)


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _string(value) -> str:
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else None
    m = _NUMBER.match(str(value)[:40])
    return int(m[1]) if m else None


def _type(value) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(
        type(value), "null")


def _depth(document) -> int:
    """How deep ``document`` nests (a scalar is 0), walked without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            values = value.values()
        elif isinstance(value, list):
            values = value
        else:
            continue
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        stack.extend((v, depth + 1) for v in values if isinstance(v, (dict, list)))
    return deepest


def rows_csv(rows: list[dict[str, str]]) -> str:
    """Our events CSV of ``rows``, with the standard header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows([row.get(column, "") for column in HEADER] for row in rows)
    return out.getvalue()


# --- writing ---------------------------------------------------------------------------------

def timeline_json(dataset, view, *, title: str | None = None, reader: DateReader | None = None) -> dict:
    """The TimelineJS3 JSON of ``view`` of ``dataset``: its events in time order, grouped by lane."""
    import numpy as np

    from .figure.lanes import OTHER, lane_parents, lanes_for
    from .filters import describe, index_for, matches

    frame = dataset.frame
    members = dataset.members
    keep = matches(frame, view, members).copy()
    ix = index_for(frame)
    if view.window is not None:
        first, last = (np.datetime64(d, "ns") for d in view.window)
        keep &= (ix.end >= first) & (ix.start <= last)
    lanes = lanes_for(ix, keep, view, members)
    group_of: dict[int, str] = {}
    parent = lane_parents(members, {}) if lanes.mode == "states" else {}
    for row, lane in zip(lanes.rows[lanes.primary].tolist(), lanes.lane[lanes.primary].tolist()):
        name = lanes.names[lane]
        if name == OTHER:  # the lane lone actors share on the page: each keeps its own state here
            first_actor = frame["actors"].iat[row][0]
            name = parent.get(first_actor, first_actor)
        group_of[row] = name
    reader = reader or DateReader()
    events = []
    for row in np.flatnonzero(keep).tolist():
        event = frame.iloc[row]
        events.append(_slide(event, group_of.get(row, ""), reader))
    heading = title or "Diplomatic timeline"
    return {
        "title": {"text": {"headline": html.escape(heading),
                           "text": html.escape(describe(view, dataset.as_of))}},
        "events": events,
    }


def _slide(event, group: str, reader: DateReader) -> dict:
    start, end, precision = event["start"].date(), event["end"].date(), event["precision"]
    first, last = end_precision(start, precision, True), end_precision(end, precision, False)
    start_date = _date_object(start, first)
    slide = {"start_date": start_date}
    if written(start, first) != written(end, last):
        slide["end_date"] = _date_object(end, last)
    date_text, end_text = event["date_text"].strip(), event["end_text"].strip()
    if _worth_showing(reader, date_text, written(start, first)):
        start_date["display_date"] = date_text
    if end_text and "end_date" in slide and _worth_showing(reader, end_text, written(end, last)):
        slide["end_date"]["display_date"] = end_text
    notes = html.escape(event["notes"]).replace("\r\n", "\n").replace("\n", "<br>")
    slide["text"] = {"headline": html.escape(event["title"]), "text": notes}
    if group:
        slide["group"] = group
    if event["url"]:
        slide["media"] = {"url": event["url"]}
        if event["source"]:
            slide["media"]["credit"] = html.escape(event["source"])
    slide["unique_id"] = f"line-{int(event['id'])}"
    return slide


def _worth_showing(reader: DateReader, text: str, structured: str) -> bool:
    """Whether the date as written says more than its structured form and reads the same anywhere."""
    if not text or text == structured or reader.written_order(text):
        return False
    try:
        return reader.is_absolute(text)
    except (DateError, ValueError):
        return False


def _date_object(day: date, precision: str) -> dict:
    found = {"year": day.year}
    if precision in ("month", "day"):
        found["month"] = day.month
    if precision == "day":
        found["day"] = day.day
    return found


def timeline_bytes(dataset, view, *, title: str | None = None) -> bytes:
    return (json.dumps(timeline_json(dataset, view, title=title), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


__all__ = ["DEFAULT_ACTOR", "Imported", "MAX_BYTES", "TimelineJSError", "read_timeline", "rows_csv",
           "timeline_bytes", "timeline_json"]
