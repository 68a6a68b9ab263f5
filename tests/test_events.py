"""From events.csv to the validated, normalized table (timeline.events)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest

from framehelpers import assert_same_events

from timeline.events import EventLoader, check_events, load_events
from timeline.problems import InvalidData
from timeline.schema import FRAME_COLUMNS, KINDS

D = date
HEADER = "date,title,actors,reported,end_date,status,kind,url"
ROW = "2025-11-20,Talks in Geneva,US; Ukraine,2025-11-24,,,,"
ALLOWED_KINDS = "talks, meeting, summit, travel, proposal, statement, deadline, agreement, election, sanction, military, other"


def lines(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")


def csv_bytes(header, *rows, newline="\n", bom=False, quoting=csv.QUOTE_MINIMAL) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline, quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def check(tmp_path, content: bytes, **options):
    """(dataset, problems as printed) for ``content`` saved as events.csv."""
    path = tmp_path / "events.csv"
    path.write_bytes(content)
    dataset, problems = check_events(path, name="events.csv", **options)
    return dataset, [str(p) for p in problems]


def load(tmp_path, content: bytes, **options):
    path = tmp_path / "events.csv"
    path.write_bytes(content)
    return load_events(path, name="events.csv", **options)


def filler(count: int):
    """``count`` valid, distinct rows."""
    return [f"2025-11-{i + 1:02d},Meeting {i},US,2025-11-24,,,," for i in range(count)]


# --- one test per error: exact line, column and message ----------------------------------

ERRORS = [
    pytest.param(b"", ["events.csv: file is empty: expected a header row naming the columns"], id="empty-file"),
    pytest.param(
        lines("date,headline,who", "2025-11-20,Talks,US"),
        ['events.csv:1: missing required columns "title", "actors" (found: date, headline, who)'],
        id="missing-required-columns",
    ),
    pytest.param(
        lines("date,title,notes", "2025-11-20,Talks,x"),
        ['events.csv:1: missing required column "actors" (found: date, title, notes)'],
        id="missing-required-column",
    ),
    pytest.param(
        lines("date,title,actors,title", "2025-11-20,Talks,US,Talks"),
        ["events.csv:1: title: column appears twice in the header"],
        id="required-column-twice",
    ),
    pytest.param(
        lines(HEADER, ROW, '2025-11-21,"Call with Rubio,Ukraine,2025-11-24,,,,', *filler(2)),
        ['events.csv:3: a quoted field starts on this line and is never closed (unclosed ")'],
        id="unclosed-quote",
    ),
    pytest.param(
        lines(HEADER, *filler(12), "sometime soonish,Talks,US,2025-11-24,,,,"),
        ['events.csv:14: date: cannot read "sometime soonish" as a date'],
        id="unreadable-date",
    ),
    pytest.param(
        lines(HEADER, ROW, "2025-02-30,Call,US,2025-11-24,,,,"),
        ['events.csv:3: date: "2025-02-30" is not a real date: February 2025 has 28 days'],
        id="impossible-date",
    ),
    pytest.param(
        lines(HEADER, ROW, "2025-11-20,Call,US,not a date,,,,"),
        ['events.csv:3: reported: cannot read "not a date" as a date'],
        id="bad-reported",
    ),
    pytest.param(
        lines(HEADER, ROW, "2025-11-20,Call,US,2025-11-24,2025-11-18,,,"),
        ["events.csv:3: end_date: ends (2025-11-18) before the date starts (2025-11-20)"],
        id="end-before-start",
    ),
    pytest.param(
        lines(HEADER, ROW, "2025-11-20,Call,US,2025-11-24,October 2025,,,"),
        ["events.csv:3: end_date: ends (2025-10-31) before the date starts (2025-11-20)"],
        id="month-end-before-start",
    ),
    pytest.param(
        lines(HEADER, ROW, "yesterday,Call,US,,,,,"),
        ['events.csv:3: date: "yesterday" is relative to when the story was written: fill in the reported column'],
        id="relative-without-reported",
    ),
    pytest.param(
        lines("date,title,actors", "2025-11-20,Talks,US", "Friday,Call,US"),
        ['events.csv:3: date: "Friday" is relative to when the story was written: fill in the reported column'],
        id="relative-without-reported-column",
    ),
    pytest.param(
        lines(HEADER, ROW, "2025-11-20,Call,US,2025-11-24,,done,,"),
        ['events.csv:3: status: "done" is not one of: happened, planned, proposed, cancelled'],
        id="bad-status",
    ),
    pytest.param(
        lines(HEADER, ROW, "2025-11-20,Call,US,2025-11-24,,,party,"),
        [f'events.csv:3: kind: "party" is not one of: {ALLOWED_KINDS}'],
        id="bad-kind",
    ),
    pytest.param(
        lines(HEADER, ROW, "2025-11-20,Call,US,2025-11-24,,,,javascript:alert(1)"),
        ['events.csv:3: url: "javascript:alert(1)" is not an absolute http:// or https:// address'],
        id="unsafe-url",
    ),
    pytest.param(
        lines(HEADER, ROW, "2025-11-20,  ,US,2025-11-24,,,,"),
        ["events.csv:3: title: is empty"],
        id="empty-title",
    ),
    pytest.param(
        lines(HEADER, ROW, "2025-11-20,Call, ; ,2025-11-24,,,,"),
        ["events.csv:3: actors: names no actor (separate several with ;)"],
        id="empty-actors",
    ),
    pytest.param(
        lines(HEADER, ROW, ",Call,US,2025-11-24,,,,"),
        ["events.csv:3: date: is empty"],
        id="empty-date",
    ),
    pytest.param(
        lines(HEADER, ROW) + b"2025-11-21,Caf\xe9 talks,US,2025-11-24,,,,\n" + lines(*filler(1)),
        ["events.csv:3: byte 0xe9 at character 15 is not UTF-8; save the file as UTF-8"],
        id="undecodable-byte",
    ),
    pytest.param(
        lines(HEADER, ROW, "2025-11-21,Talks, Geneva,US,2025-11-24,,,,"),
        ["events.csv:3: has 9 fields but the header has 8; a comma inside a field needs the field in double quotes"],
        id="too-many-fields",
    ),
]


@pytest.mark.parametrize("content, expected", ERRORS)
def test_error(tmp_path, content, expected):
    dataset, problems = check(tmp_path, content)
    assert problems == expected
    assert dataset is None


def month_first_note(text: str, line: int) -> str:
    """The one warning of a file whose numeric dates are read month first, for its only such date."""
    return (f'events.csv: warning: numeric dates are read month first: 1 of them can only be month first, such as '
            f'"{text}" (line {line}), and none can only be day first. If that is wrong, give --date-order DMY, '
            "or a locale such as en-GB in the language column; ISO dates (2022-03-07) are never ambiguous")


def test_every_problem_in_the_file_is_reported_in_one_run(tmp_path):
    dataset, problems = check(
        tmp_path,
        lines(
            HEADER,
            "sometime soonish,A,US,2025-11-24,,,,",       # 2
            '2025-11-20,"B, with a',                       # 3 (row spans 3-4)
            'newline",US,2025-11-24,,done,party,',          # 4
            "2025-11-20,C,,2025-11-24,,,,/relative/path",   # 5
            "2025-11-20,D,US,2025-11-24,,,,,",              # 6
            "yesterday,E,US,,,,,",                         # 7
            "2025-11-20,F,US,2025-11-24,11/23/2025,,,",    # 8 (warning only)
        ),
    )
    assert dataset is None
    assert problems == [
        month_first_note("11/23/2025", 8),
        'events.csv:2: date: cannot read "sometime soonish" as a date',
        'events.csv:3: status: "done" is not one of: happened, planned, proposed, cancelled',
        f'events.csv:3: kind: "party" is not one of: {ALLOWED_KINDS}',
        "events.csv:5: actors: names no actor (separate several with ;)",
        'events.csv:5: url: "/relative/path" is not an absolute http:// or https:// address',
        "events.csv:6: has 9 fields but the header has 8; a comma inside a field needs the field in double quotes",
        'events.csv:7: date: "yesterday" is relative to when the story was written: fill in the reported column',
    ]


def test_line_numbers_are_physical_after_quoted_newlines_and_blank_lines(tmp_path):
    _, problems = check(
        tmp_path,
        lines(
            "date,title,actors,notes",
            '2025-11-20,A,US,"line one',
            "line two",
            'line three"',
            "",
            "2025-02-30,B,US,",
        ),
    )
    assert problems == ['events.csv:6: date: "2025-02-30" is not a real date: February 2025 has 28 days']


def test_crlf_file_reports_the_same_lines(tmp_path):
    content = lines(HEADER, ROW, '2025-11-20,"Call\nwith Rubio",US,2025-11-24,,,,', "2025-02-30,X,US,2025-11-24,,,,")
    _, problems = check(tmp_path, content.replace(b"\n", b"\r\n"))
    assert problems == ['events.csv:5: date: "2025-02-30" is not a real date: February 2025 has 28 days']


def test_a_file_of_only_commas_is_invalid_with_a_message(tmp_path):
    # No header at all: the file must not be "invalid" without saying why.
    dataset, problems = check(tmp_path, b",,,,\n,,,\n")
    assert dataset is None
    assert len(problems) == 1
    assert problems[0].startswith("events.csv")
    assert "header" in problems[0]


def test_load_events_raises_invalid_data_with_every_problem(tmp_path):
    with pytest.raises(InvalidData) as raised:
        load(tmp_path, lines(HEADER, "2025-02-30,A,US,2025-11-24,,,,", "2025-11-20,B,US,2025-11-24,,bad,,"))
    assert [str(p) for p in raised.value.errors] == [
        'events.csv:2: date: "2025-02-30" is not a real date: February 2025 has 28 days',
        'events.csv:3: status: "bad" is not one of: happened, planned, proposed, cancelled',
    ]
    assert raised.value.warnings == ()


# --- warnings: the file stays valid -----------------------------------------------------

WARNINGS = [
    pytest.param(
        lines(HEADER, '"November 5, 2023",Talks,US,2025-11-24,,,,'),
        ['events.csv:2: warning: date: "November 5, 2023" is 750 days before the reported date 2025-11-24; check the year'],
        id="far-from-reported",
    ),
    pytest.param(
        lines(HEADER, ROW, "2025-11-21,Call,US,2025-11-24,,,,", "2025-11-20,talks in  geneva,Ukraine,2025-11-24,,,,"),
        ["events.csv:4: warning: title: the same event as line 2 (same title and dates)"],
        id="same-event-twice",
    ),
    pytest.param(
        lines(HEADER, "2025-11-20,A,Zelensky,2025-11-24,,,,", "2025-11-21,B,Zelensky,2025-11-24,,,,",
              "2025-11-22,C,Zelenskyy,2025-11-24,,,,"),
        ['events.csv:4: warning: actors: "Zelenskyy" differs from "Zelensky" only by spelling; '
         "if they are one actor, use one spelling or list the other as an alias in actors.csv"],
        id="actor-spelling",
    ),
    pytest.param(
        lines(HEADER, "11/23/2025,Talks,US,2025-11-24,,,,"),
        [month_first_note("11/23/2025", 2)],
        id="month-first-date",
    ),
    pytest.param(
        lines(HEADER, "2025-11-20,Talks,US,11/24/2025,,,,"),
        [month_first_note("11/24/2025", 2)],
        id="month-first-reported",
    ),
]


@pytest.mark.parametrize("content, expected", WARNINGS)
def test_warning(tmp_path, content, expected):
    dataset, problems = check(tmp_path, content)
    assert problems == expected
    assert dataset is not None
    assert [str(p) for p in dataset.warnings] == expected


def test_happened_event_after_its_reported_date_is_flagged(tmp_path):
    dataset, problems = check(tmp_path, lines(HEADER, "2025-12-01,Summit,US,2025-11-24,,,,"))
    assert dataset is not None
    assert len(problems) == 1 and problems[0].startswith("events.csv:2: warning: status: ")


def test_clean_file_has_no_problems(tmp_path):
    dataset, problems = check(tmp_path, lines(HEADER, ROW, *filler(3)))
    assert problems == []
    assert len(dataset.frame) == 4


# --- the frame ------------------------------------------------------------------------------

def test_frame_columns_types_and_values(tmp_path):
    dataset = load(
        tmp_path,
        csv_bytes(
            ["notes", "date", "title", "actors", "reported", "end_date", "status", "kind",
             "location", "source", "url", "desk"],
            ["n", "Nov. 21, 2025", " Talks in Geneva ", "US;  Ukraine ;US", "2025-11-24", "Nov. 23, 2025",
             "", "Talks", "Geneva", "Reuters", "https://example.com/a?b=1", "Europe"],
            ["", "September 2025", "Calls", "Ukraine", "", "", "Planned", "", "", "", "", ""],
        ),
    )
    frame = dataset.frame
    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert str(frame["id"].dtype) == "int64"
    for column in ("start", "end", "reported"):
        assert str(frame[column].dtype) == "datetime64[ns]"
    assert frame.to_dict("records") == [
        {
            "id": 3, "title": "Calls", "actors": ("Ukraine",), "kind": "other", "status": "planned",
            "start": pd.Timestamp("2025-09-01"), "end": pd.Timestamp("2025-09-30"), "precision": "month",
            "date_text": "September 2025", "end_text": "", "reported": pd.NaT, "location": "", "source": "",
            "url": "", "notes": "",
        },
        {
            "id": 2, "title": "Talks in Geneva", "actors": ("US", "Ukraine"), "kind": "talks", "status": "happened",
            "start": pd.Timestamp("2025-11-21"), "end": pd.Timestamp("2025-11-23"), "precision": "day",
            "date_text": "Nov. 21, 2025", "end_text": "Nov. 23, 2025", "reported": pd.Timestamp("2025-11-24"),
            "location": "Geneva", "source": "Reuters", "url": "https://example.com/a?b=1", "notes": "n",
        },
    ]
    assert dataset.as_of == pd.Timestamp("2025-11-24")
    assert dataset.path == "events.csv"


def test_frame_is_sorted_by_start_then_line(tmp_path):
    frame = load(
        tmp_path,
        lines("date,title,actors", "2025-03-01,C,US", "2025-01-01,A,US", "2025-03-01,D,US", "2024-12-31,Z,US"),
    ).frame
    assert list(frame["title"]) == ["Z", "A", "C", "D"]
    assert list(frame["id"]) == [5, 3, 2, 4]


def test_only_a_header_is_a_valid_empty_table(tmp_path):
    dataset, problems = check(tmp_path, lines("date,title,actors"))
    assert problems == []
    assert list(dataset.frame.columns) == list(FRAME_COLUMNS)
    assert len(dataset.frame) == 0
    assert dataset.as_of is None


def test_header_names_are_case_and_space_insensitive(tmp_path):
    frame = load(tmp_path, lines(" Date ,TITLE,Actors,Status", "2025-11-20,Talks,US,planned")).frame
    assert frame.loc[0, "title"] == "Talks"
    assert frame.loc[0, "status"] == "planned"


def test_unknown_columns_are_ignored(tmp_path):
    dataset, problems = check(tmp_path, lines("desk,date,title,actors,desk", "x,2025-11-20,Talks,US,y"))
    assert problems == []
    assert list(dataset.frame.columns) == list(FRAME_COLUMNS)


def test_a_long_pasted_note_is_kept_whole(tmp_path):
    note = "word " * 40_000  # 200 KB: beyond the csv module's default field limit
    frame = load(tmp_path, csv_bytes(["date", "title", "actors", "notes"], ["2025-11-20", "T", "US", note])).frame
    assert frame.loc[0, "notes"] == note.strip()


def test_short_rows_leave_optional_cells_blank(tmp_path):
    frame = load(tmp_path, lines(HEADER, "2025-11-20,Talks,US")).frame
    assert (frame.loc[0, "status"], frame.loc[0, "kind"], frame.loc[0, "url"]) == ("happened", "other", "")
    assert pd.isna(frame.loc[0, "reported"])


@pytest.mark.parametrize(
    "cell, expected",
    [("", "happened"), ("happened", "happened"), ("planned", "planned"), (" Proposed ", "proposed"),
     ("CANCELLED", "cancelled"), ("canceled", "cancelled")],
    ids=["blank-default", "happened", "planned", "proposed-padded", "cancelled-upper", "us-spelling"],
)
def test_status(tmp_path, cell, expected):
    frame = load(tmp_path, csv_bytes(["date", "title", "actors", "status"], ["2025-11-20", "T", "US", cell])).frame
    assert frame.loc[0, "status"] == expected


@pytest.mark.parametrize("cell, expected", [("", "other"), ("Talks", "talks"), *[(k, k) for k in KINDS]],
                         ids=["blank-default", "capitalised", *KINDS])
def test_kind(tmp_path, cell, expected):
    frame = load(tmp_path, csv_bytes(["date", "title", "actors", "kind"], ["2025-11-20", "T", "US", cell])).frame
    assert frame.loc[0, "kind"] == expected


@pytest.mark.parametrize(
    "url",
    ["https://example.com/a", "http://example.com", "HTTPS://EXAMPLE.COM/A?x=1,2#frag", "https://example.com:8080/p"],
    ids=["https", "http", "upper-case", "port"],
)
def test_safe_url(tmp_path, url):
    frame = load(tmp_path, csv_bytes(["date", "title", "actors", "url"], ["2025-11-20", "T", "US", url])).frame
    assert frame.loc[0, "url"] == url


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>", "/news/story", "news/story.html",
     "www.example.com/a", "//example.com/a", "ftp://example.com/f", "mailto:desk@example.com", "https://",
     "http://exa mple.com/"],
    ids=["javascript", "javascript-mixed-case", "data", "absolute-path", "relative-path", "no-scheme",
         "scheme-relative", "ftp", "mailto", "no-host", "space"],
)
def test_unsafe_url(tmp_path, url):
    _, problems = check(tmp_path, csv_bytes(["date", "title", "actors", "url"], ["2025-11-20", "T", "US", url]))
    assert problems == [f'events.csv:2: url: "{url}" is not an absolute http:// or https:// address']


# --- dates in rows ----------------------------------------------------------------------------

def span_of(tmp_path, date_cell, end_cell="", reported="2025-11-24", status=""):
    frame = load(
        tmp_path,
        csv_bytes(["date", "end_date", "reported", "status", "title", "actors"],
                  [date_cell, end_cell, reported, status, "T", "US"]),
    ).frame
    return frame.loc[0, "start"].date(), frame.loc[0, "end"].date(), frame.loc[0, "precision"]


ROW_SPANS = [
    pytest.param("Nov. 21, 2025", "", "", (date(2025, 11, 21), date(2025, 11, 21), "day"), id="day"),
    pytest.param("September 2025", "", "", (date(2025, 9, 1), date(2025, 9, 30), "month"), id="month"),
    pytest.param("1991", "", "", (date(1991, 1, 1), date(1991, 12, 31), "year"), id="year"),
    pytest.param("last week", "", "", (date(2025, 11, 17), date(2025, 11, 23), "week"), id="last-week"),
    pytest.param("Friday", "", "planned", (date(2025, 11, 28), date(2025, 11, 28), "day"), id="weekday-planned"),
    pytest.param("2025-11-20", "2025-11-20", "", (date(2025, 11, 20), date(2025, 11, 20), "day"), id="same-day-end"),
    pytest.param("2025-11-20", "Nov. 22, 2025", "", (date(2025, 11, 20), date(2025, 11, 22), "day"), id="day-range"),
    pytest.param("2025-09-15", "October 2025", "", (date(2025, 9, 15), date(2025, 10, 31), "month"), id="month-end-covers-month"),
    pytest.param("2024", "2025", "", (date(2024, 1, 1), date(2025, 12, 31), "year"), id="year-end-covers-year"),
    pytest.param("yesterday", "Friday", "planned", (date(2025, 11, 23), date(2025, 11, 28), "day"), id="relative-end-forward"),
]


@pytest.mark.parametrize("date_cell, end_cell, status, expected", ROW_SPANS)
def test_row_span(tmp_path, date_cell, end_cell, status, expected):
    assert span_of(tmp_path, date_cell, end_cell, status=status) == expected


def test_month_and_year_precision_do_not_depend_on_today(tmp_path):
    # The same exact periods whatever day the suite runs, with or without a reported date.
    assert span_of(tmp_path, "September 2025", reported="") == (date(2025, 9, 1), date(2025, 9, 30), "month")
    assert span_of(tmp_path, "1991", reported="") == (date(1991, 1, 1), date(1991, 12, 31), "year")
    assert span_of(tmp_path, "last month", reported="2001-03-14") == (date(2001, 2, 1), date(2001, 2, 28), "month")


def test_bad_reported_date_is_reported_once(tmp_path):
    _, problems = check(tmp_path, lines(HEADER, "yesterday,Call,US,someday,,,,"))
    assert problems == ['events.csv:2: reported: cannot read "someday" as a date']


# --- odd but valid files give the same frame ---------------------------------------------------

COLUMNS = ["date", "title", "actors", "reported", "end_date", "kind", "status", "location", "source", "url", "notes"]
RECORDS = [
    ["Nov. 21, 2025", 'Talks, "round two"', "US; Ukraine", "2025-11-24", "", "talks", "", "Geneva", "Reuters",
     "https://example.com/a?b=1,2", "first line\nsecond line"],
    ["September 2025", "Plan drafted", "US", "", "", "proposal", "proposed", "", "", "", ""],
    ["yesterday", "Call with Rubio", "Ukraine;US", "2025-11-24", "", "", "", "", "", "", 'quoted "word"'],
    ["23 листопада 2025", "Зустріч у Женеві", "Ukraine", "", "", "meeting", "", "Женева", "", "", ""],
]


def variant(name: str) -> bytes:
    if name == "plain":
        return csv_bytes(COLUMNS, *RECORDS)
    if name == "bom-crlf":
        return csv_bytes(COLUMNS, *RECORDS, newline="\r\n", bom=True)
    if name == "quote-all":
        return csv_bytes(COLUMNS, *RECORDS, quoting=csv.QUOTE_ALL)
    if name == "reordered":
        order = list(reversed(COLUMNS))
        return csv_bytes(order, *[[r[COLUMNS.index(c)] for c in order] for r in RECORDS])
    if name == "extra-columns":
        header = ["desk", *COLUMNS[:3], "internal id", *COLUMNS[3:]]
        return csv_bytes(header, *[["Europe", *r[:3], str(i), *r[3:]] for i, r in enumerate(RECORDS)])
    raise AssertionError(name)


@pytest.mark.parametrize("name", ["bom-crlf", "quote-all", "reordered", "extra-columns"])
def test_odd_files_give_the_same_frame_as_the_plain_file(tmp_path, name):
    (tmp_path / "plain").mkdir()
    (tmp_path / "odd").mkdir()
    plain = load(tmp_path / "plain", variant("plain"))
    odd = load(tmp_path / "odd", variant(name))
    assert plain.warnings == odd.warnings == ()
    assert_same_events(odd.frame, plain.frame)
    assert plain.frame.loc[plain.frame["id"] == 2, "title"].item() == 'Talks, "round two"'
    assert plain.frame.loc[plain.frame["id"] == 2, "notes"].item() == "first line\nsecond line"
    assert list(plain.frame["id"]) == [4, 2, 5, 6]  # the first record spans lines 2-3


# --- the loader keeps caches that must not go stale -------------------------------------------------

def test_loader_rereads_a_growing_file(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(lines(HEADER, ROW))
    loader = EventLoader()
    assert len(loader.load(path).frame) == 1
    with open(path, "ab") as handle:
        handle.write(lines("2025-02-30,Call,US,2025-11-24,,,,"))
    dataset, problems = loader.check(path, "events.csv")
    assert dataset is None
    assert [str(p) for p in problems] == ['events.csv:3: date: "2025-02-30" is not a real date: February 2025 has 28 days']


def test_loader_notices_a_changed_actors_file(tmp_path):
    (tmp_path / "events.csv").write_bytes(lines("date,title,actors", "2025-11-20,Talks,U.S."))
    (tmp_path / "actors.csv").write_bytes(lines("name,aliases", "United States,U.S."))
    loader = EventLoader()
    assert loader.load(tmp_path / "events.csv").frame.loc[0, "actors"] == ("United States",)
    (tmp_path / "actors.csv").write_bytes(lines("name,aliases", "USA,U.S."))
    assert loader.load(tmp_path / "events.csv").frame.loc[0, "actors"] == ("USA",)


def test_same_row_on_different_lines_keeps_its_own_line(tmp_path):
    # Rows are cached by content; problems must still point at each row's own line.
    _, problems = check(tmp_path, lines(HEADER, "2025-02-30,X,US,2025-11-24,,,,", ROW, "2025-02-30,X,US,2025-11-24,,,,"))
    assert problems == [
        'events.csv:2: date: "2025-02-30" is not a real date: February 2025 has 28 days',
        'events.csv:4: date: "2025-02-30" is not a real date: February 2025 has 28 days',
    ]


def test_relative_end_date_counts_forward_from_the_start(tmp_path):
    # Reported on Sunday 23 Nov: "Saturday" is the 22nd, and the meeting ran to the Monday after it.
    assert span_of(tmp_path, "Saturday", "Monday", reported="2025-11-23") == (date(2025, 11, 22), date(2025, 11, 24), "day")


@pytest.mark.parametrize("row, expected", [
    ("0000,,,A,X", 'events.csv:2: date: "0000" is the year 0, 1 BCE: the timeline shows years AD only'),
    ("1648,,,A,X", "events.csv:2: date: 1648-01-01 is outside the years the timeline can show (1678–2261)"),
    ("99999999999 days ago,,2025-01-01,A,X",
     'events.csv:2: date: "99999999999 days ago" falls outside the calendar when counted from 2025-01-01'),
    ("2025-01-01,,9999-01-01,A,X", "events.csv:2: reported: 9999-01-01 is outside the years 1678–2261"),
], ids=["year-zero", "before-pandas-range", "huge-count", "reported-far-future"])
def test_dates_beyond_the_calendar_are_errors_not_crashes(tmp_path, row, expected):
    _, problems = check(tmp_path, lines("date,end_date,reported,title,actors", row))
    assert expected in problems


def test_a_leap_day_without_a_year_reads_against_its_reported_date(tmp_path):
    frame = load(tmp_path, lines("date,reported,title,actors", '"29 February",2024-03-01,A,X')).frame
    assert frame.loc[0, "start"] == pd.Timestamp("2024-02-29")


def test_a_state_named_only_as_member_of_is_known_to_filters(tmp_path):
    (tmp_path / "actors.csv").write_text("name,aliases,member_of\nMarco Rubio,Rubio,United States\n", encoding="utf-8")
    dataset = load(tmp_path, lines("date,title,actors", "2025-11-20,Talks,Rubio"))
    assert dataset.aliases["united states"] == "United States"
    assert dataset.members["United States"] == frozenset({"Marco Rubio"})


# --- the language column and the reported column --------------------------------------------

LANGUAGE_ROWS = [
    # (date, reported, status, language) -> (start, end, precision)
    pytest.param("5 listopada 2025", "", "", "", (D(2025, 11, 5), D(2025, 11, 5), "day"), id="detected-polish"),
    pytest.param("5 listopada 2025", "", "", "hr", (D(2025, 10, 5), D(2025, 10, 5), "day"), id="pinned-croatian"),
    pytest.param("5 listopada 2025", "", "", " HR ", (D(2025, 10, 5), D(2025, 10, 5), "day"), id="pinned-upper-case"),
    pytest.param("lundi prochain", "2025-11-22", "planned", "fr", (D(2025, 11, 24), D(2025, 11, 24), "day"), id="pinned-fr"),
    pytest.param("lundi prochain", "22 novembre 2025", "Planned", "", (D(2025, 11, 24), D(2025, 11, 24), "day"),
                 id="reported-in-french"),
    pytest.param("下周一", "2025年11月22日", "PLANNED", "zh", (D(2025, 11, 24), D(2025, 11, 24), "day"), id="pinned-zh"),
]


@pytest.mark.parametrize("date_cell, reported, status, language, expected", LANGUAGE_ROWS)
def test_language_column(tmp_path, date_cell, reported, status, language, expected):
    frame = load(tmp_path, csv_bytes(["date", "title", "actors", "reported", "status", "language"],
                                     [date_cell, "T", "US", reported, status, language])).frame
    assert (frame.loc[0, "start"].date(), frame.loc[0, "end"].date(), frame.loc[0, "precision"]) == expected


def test_unknown_language_is_an_error_naming_the_cell(tmp_path):
    _, problems = check(tmp_path, csv_bytes(["date", "title", "actors", "language"],
                                            ["5 listopada 2025", "T", "US", "Klingon"]))
    assert problems == [
        'events.csv:2: language: "Klingon" is not a language dateparser reads; write its code, '
        "such as es, pl, tr, zh or he (the README lists them)",
    ]


REPORTED_CELLS = [
    pytest.param("Nov. 23, 2025", D(2025, 11, 23), id="dateline"),
    pytest.param("23.11.2025", D(2025, 11, 23), id="dots"),
    pytest.param("Sunday, November 23, 2025, 9:15 a.m.", D(2025, 11, 23), id="weekday-and-clock"),
    pytest.param("23 листопада 2025", D(2025, 11, 23), id="ukrainian"),
]


@pytest.mark.parametrize("cell, expected", REPORTED_CELLS)
def test_reported_accepts_any_absolute_day(tmp_path, cell, expected):
    frame = load(tmp_path, csv_bytes(["date", "title", "actors", "reported"], ["yesterday", "T", "US", cell])).frame
    assert frame.loc[0, "reported"].date() == expected
    assert frame.loc[0, "start"].date() == expected - pd.Timedelta(days=1)


REPORTED_ERRORS = [
    pytest.param("yesterday", '"yesterday" is relative; the reported date is the day the story was published, '
                 "written out (2025-11-23, Nov. 23, 2025)", id="relative"),
    pytest.param("Sunday", '"Sunday" is relative; the reported date is the day the story was published, '
                 "written out (2025-11-23, Nov. 23, 2025)", id="weekday"),
    pytest.param("November 2025", '"November 2025" names a month; a reported date needs the day', id="month"),
    pytest.param("2025", '"2025" names a year; a reported date needs the day', id="year"),
    pytest.param("listopad 2025", '"listopad 2025" names a month; a reported date needs the day', id="month-polish"),
]


@pytest.mark.parametrize("cell, message", REPORTED_ERRORS)
def test_reported_must_be_an_absolute_day(tmp_path, cell, message):
    _, problems = check(tmp_path, csv_bytes(["date", "title", "actors", "reported"], ["2025-11-20", "T", "US", cell]))
    assert problems == [f"events.csv:2: reported: {message}"]


@pytest.mark.parametrize("cell, expected", [("Talks", "talks"), ("MEETING", "meeting"), (" Summit ", "summit")])
def test_kind_is_case_insensitive_and_stored_lower_case(tmp_path, cell, expected):
    frame = load(tmp_path, csv_bytes(["date", "title", "actors", "kind"], ["2025-11-20", "T", "US", cell])).frame
    assert frame.loc[0, "kind"] == expected


LONG_CELLS = [
    pytest.param("date", "7" * 201, 'is 201 characters long; the limit is 200', id="date"),
    pytest.param("date", "Sunday " * 700_000, "is 4,899,999 characters long; the limit is 200", id="date-5MB"),
    pytest.param("end_date", "x" * 300, "is 300 characters long; the limit is 200", id="end-date"),
    pytest.param("reported", "2025-11-20" * 30, "is 300 characters long; the limit is 200", id="reported"),
    pytest.param("title", "t" * 1_001, "is 1,001 characters long; the limit is 1,000", id="title"),
    pytest.param("actors", "US;" * 700, "is 2,100 characters long; the limit is 2,000", id="actors"),
    pytest.param("location", "l" * 501, "is 501 characters long; the limit is 500", id="location"),
    pytest.param("language", "e" * 51, "is 51 characters long; the limit is 50", id="language"),
]


@pytest.mark.parametrize("column, cell, message", LONG_CELLS)
def test_a_cell_over_its_length_limit_is_an_error_on_its_line(tmp_path, column, cell, message):
    values = {"date": "2025-11-20", "title": "T", "actors": "US", column: cell}
    header = list(values)
    _, problems = check(tmp_path, csv_bytes(header, ["2025-11-19", "Fine", "US"] + [""] * (len(header) - 3),
                                            [values[c] for c in header]))
    assert problems == [f"events.csv:3: {column}: {message} (the README lists each column's limit)"]


@pytest.mark.parametrize("column, cell", [("date", "7" * 200), ("title", "t" * 1_000), ("notes", "n" * 1_000_000)],
                         ids=["date", "title", "notes"])
def test_a_cell_at_its_length_limit_is_read(tmp_path, column, cell):
    values = {"date": "2025-11-20", "title": "T", "actors": "US", column: cell}
    _, problems = check(tmp_path, csv_bytes(list(values), list(values.values())))
    assert not any("characters long" in p for p in problems)


# --- the order of day and month in numeric dates, decided per file -------------------------------

ORDER_HEADER = "date,title,actors,reported,language"


def _order_file(*rows: str) -> bytes:
    return lines(ORDER_HEADER, *(f"{date},Talks {i},US,{reported},{language}"
                                 for i, (date, reported, language) in enumerate(rows)))


# (rows as (date, reported, language), the order given, the starts read, the problems)
ORDER_FILES = [
    pytest.param([("2/24/2022", "2/25/2022", ""), ("3/7/2022", "3/8/2022", ""), ("11/30/2022", "", "")], None,
                 ["2022-02-24", "2022-03-07", "2022-11-30"],
                 ['events.csv: warning: numeric dates are read month first: 3 of them can only be month first, '
                  'such as "2/24/2022" (line 2), and none can only be day first; so the 2 that could be read either '
                  'way, such as "3/7/2022" (line 3), are read month first too. If that is wrong, give --date-order '
                  "DMY, or a locale such as en-GB in the language column; ISO dates (2022-03-07) are never "
                  "ambiguous"],
                 id="month-first-file"),
    pytest.param([("24/2/2022", "", ""), ("3/7/2022", "", ""), ("3.7.2022", "", "")], None,
                 ["2022-02-24", "2022-07-03", "2022-07-03"], [], id="day-first-file"),
    pytest.param([("3/7/2022", "", ""), ("4/8/2022", "", "")], None,
                 ["2022-07-03", "2022-08-04"], [], id="only-ambiguous-is-day-first"),
    pytest.param([("2/24/2022", "", ""), ("3/7/2022", "", ""), ("25/12/2022", "", ""), ("2/26/2022", "", "")], None,
                 None,
                 ['events.csv:4: date: "25/12/2022" is a real date only day first (2022-12-25), but numeric dates '
                  "here are read month first: write 2022-12-25, or give the order (--date-order, or a locale such "
                  "as en-US or en-GB in the language column)"],
                 id="mixed-file-errs-where-the-minority-is"),
    pytest.param([("2/24/2022", "", ""), ("3/7/2022", "", "")], "DMY", None,
                 ['events.csv:2: date: "2/24/2022" is a real date only month first (2022-02-24), but numeric dates '
                  "here are read day first: write 2022-02-24, or give the order (--date-order, or a locale such as "
                  "en-US or en-GB in the language column)"],
                 id="given-order-decides"),
    pytest.param([("3/7/2022", "", ""), ("4/8/2022", "", "")], "MDY", ["2022-03-07", "2022-04-08"], [],
                 id="given-month-first"),
    pytest.param([("3/7/2022", "", "en-US"), ("3/7/2022", "", "en-GB"), ("3/7/2022", "", "")], None,
                 ["2022-03-07", "2022-07-03", "2022-07-03"], [], id="a-locale-decides-its-row"),
    pytest.param([("24/2/2022", "", "en-US"), ("3/7/2022", "", "")], None, None,
                 ['events.csv:2: date: "24/2/2022" is a real date only day first (2022-02-24), but numeric dates '
                  "here are read month first: write 2022-02-24, or give the order (--date-order, or a locale such "
                  "as en-US or en-GB in the language column)"],
                 id="a-locale-is-not-outvoted"),
    pytest.param([("3/7", "3/10/2022", "")], "MDY", ["2022-03-07"], [], id="yearless-read-in-the-order"),
]


@pytest.mark.parametrize("rows, order, starts, expected", ORDER_FILES)
def test_a_file_reads_its_numeric_dates_in_one_order(tmp_path, rows, order, starts, expected):
    path = tmp_path / "events.csv"
    path.write_bytes(_order_file(*rows))
    dataset, problems = EventLoader(date_order=order).check(path, "events.csv")
    assert [str(p) for p in problems] == expected
    if starts is None:
        assert dataset is None
    else:
        by_line = dataset.frame.sort_values("id")
        assert [d.date().isoformat() for d in by_line["start"]] == starts


def test_the_dataset_says_how_its_numeric_dates_were_read(tmp_path):
    assert load(tmp_path, _order_file(("2/24/2022", "", ""))).date_order == "MDY"
    assert load(tmp_path, _order_file(("3/7/2022", "", ""))).date_order == "DMY"
    assert load(tmp_path, _order_file(("2022-03-07", "", ""))).date_order is None


def test_rows_appended_to_a_month_first_file_are_read_month_first(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(_order_file(("2/24/2022", "", ""), ("3/7/2022", "", "")))
    loader = EventLoader()
    loader.check(path)
    with open(path, "ab") as handle:
        handle.write(b"4/8/2022,Talks 9,US,,\n")
    dataset, problems = loader.check(path)
    assert dataset.frame.sort_values("id")["start"].dt.date.astype(str).tolist() == [
        "2022-02-24", "2022-03-07", "2022-04-08"]
    assert [p.message.split(":")[0] for p in problems] == ["numeric dates are read month first"]
    assert "so the 2 that could be read either way" in problems[0].message
