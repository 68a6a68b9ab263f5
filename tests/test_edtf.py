"""EDTF levels 0 and 1 in the date reader, the loader and normalize; and EDTF written out."""

from datetime import date

import pytest

from timeline.dates import DateError, DateReader
from timeline.dates import edtf
from timeline.events import load_events

D = date
U, A = ("uncertain",), ("approximate",)

# text, start, end, precision, flags: one row per EDTF level 0/1 feature (and the level-2 runs of months).
TABLE = [
    # level 0: dates, date and time, intervals
    ("1991", D(1991, 1, 1), D(1991, 12, 31), "year", ()),
    ("2025-11", D(2025, 11, 1), D(2025, 11, 30), "month", ()),
    ("2025-11-15", D(2025, 11, 15), D(2025, 11, 15), "day", ()),
    ("2025-11-15T23:20:30", D(2025, 11, 15), D(2025, 11, 15), "day", ()),
    ("2025-11-15T23:20:30Z", D(2025, 11, 15), D(2025, 11, 15), "day", ()),
    ("2025-11-15T23:20:30+05:30", D(2025, 11, 15), D(2025, 11, 15), "day", ()),
    ("2025-11-15/2025-11-16", D(2025, 11, 15), D(2025, 11, 16), "day", ()),
    ("1964/2008", D(1964, 1, 1), D(2008, 12, 31), "year", ()),
    ("2004-06/2006-08", D(2004, 6, 1), D(2006, 8, 31), "month", ()),
    ("2025-11-15/2026", D(2025, 11, 15), D(2026, 12, 31), "year", ()),
    # level 1: qualifiers
    ("1991?", D(1991, 1, 1), D(1991, 12, 31), "year", U),
    ("2025-11~", D(2025, 11, 1), D(2025, 11, 30), "month", A),
    ("2025-11-15%", D(2025, 11, 15), D(2025, 11, 15), "day", U + A),
    ("2004-06~/2004-06-11?", D(2004, 6, 1), D(2004, 6, 11), "month", U + A),
    # level 1: unspecified digits (and the day's last digit, as the issue writes it)
    ("201X", D(2010, 1, 1), D(2019, 12, 31), "year", ()),
    ("20XX", D(2000, 1, 1), D(2099, 12, 31), "year", ()),
    ("2025-XX", D(2025, 1, 1), D(2025, 12, 31), "year", ()),
    ("1985-04-XX", D(1985, 4, 1), D(1985, 4, 30), "month", ()),
    ("1985-XX-XX", D(1985, 1, 1), D(1985, 12, 31), "year", ()),
    ("2025-1X", D(2025, 10, 1), D(2025, 12, 31), "month", ()),
    ("2025-11-2X", D(2025, 11, 20), D(2025, 11, 29), "week", ()),
    ("2025-11-0X", D(2025, 11, 1), D(2025, 11, 9), "week", ()),
    ("2025-11-3X", D(2025, 11, 30), D(2025, 11, 30), "day", ()),
    ("2025-11-2X~", D(2025, 11, 20), D(2025, 11, 29), "week", A),
    # level 1: seasons (winter Y holds January Y, as "winter 2025" does)
    ("2025-21", D(2025, 3, 1), D(2025, 5, 31), "month", ()),
    ("2025-22", D(2025, 6, 1), D(2025, 8, 31), "month", ()),
    ("2025-23", D(2025, 9, 1), D(2025, 11, 30), "month", ()),
    ("2025-24", D(2024, 12, 1), D(2025, 2, 28), "month", ()),
    ("2025-22?", D(2025, 6, 1), D(2025, 8, 31), "month", U),
    # level 2 runs of months: quarters and semesters
    ("2025-34", D(2025, 4, 1), D(2025, 6, 30), "month", ()),
    ("2025-41", D(2025, 7, 1), D(2025, 12, 31), "month", ()),
    # level 1: extended intervals
    ("2025-11-15/..", D(2025, 11, 15), D(2025, 11, 15), "day", ("open end",)),
    ("../2025-11-15", D(2025, 11, 15), D(2025, 11, 15), "day", ("open start",)),
    ("2025-11-15/", D(2025, 11, 15), D(2025, 11, 15), "day", ("end unknown",)),
    ("/2025-11", D(2025, 11, 1), D(2025, 11, 30), "month", ("start unknown",)),
    ("2025-11~/..", D(2025, 11, 1), D(2025, 11, 30), "month", ("approximate", "open end")),
]


@pytest.mark.parametrize("text, start, end, precision, flags", TABLE)
def test_edtf_spans_and_flags(text, start, end, precision, flags):
    span = DateReader().read(text)
    assert (span.start, span.end, span.precision) == (start, end, precision)
    assert edtf.flags(text) == flags


@pytest.mark.parametrize("text, says", [
    ("-1985", "before the Common Era"),
    ("-0044-03-15", "before the Common Era"),
    ("0000", "year 0"),
    ("Y170000002", "past any date"),
    ("2025-13", "no month 13"),
    ("2025-00", "no month 0"),
    ("2025-02-29", "February 2025 has 28 days"),
    ("2025-11-31", "November 2025 has 30 days"),
    ("156X-12-25", "only the last digits"),
    ("1XXX-12", "only the last digits"),
    ("XXXX", "names no year"),
    ("2025-11-16/2025-11-15", "before it starts"),
    ("/", "neither end"),
    ("2025-11-15T25:00:00", "no time"),
])
def test_edtf_refusals(text, says):
    with pytest.raises(DateError, match=says):
        DateReader().read(text)


@pytest.mark.parametrize("text", ["15/11/2025", "Nov. 15, 2025", "2025年11月15日", "3 days ago", "late 2025"])
def test_not_edtf_is_left_to_the_other_readers(text):
    assert edtf.parse(text) is None


def test_edtf_interval_is_no_numeric_order_hint():
    # "2025-11-15/2025-11-16" has a digit, a slash and a digit: it says nothing of DMY or MDY.
    assert DateReader().written_order("2025-11-15/2025-11-16") is None


@pytest.mark.parametrize("start, end, precision, expected", [
    (D(2025, 11, 15), D(2025, 11, 15), "day", "2025-11-15"),
    (D(2025, 11, 15), D(2025, 11, 16), "day", "2025-11-15/2025-11-16"),
    (D(2025, 11, 1), D(2025, 11, 30), "month", "2025-11"),
    (D(2025, 1, 1), D(2025, 12, 31), "year", "2025"),
    (D(2025, 11, 1), D(2026, 12, 31), "year", "2025-11/2026"),  # a start known to the month, an end to the year
    (D(2025, 1, 1), D(2026, 3, 31), "year", "2025/2026-03"),
    (D(2025, 11, 21), D(2025, 11, 30), "week", "2025-11-21/2025-11-30"),
    (D(2025, 1, 1), D(2025, 12, 31), "day", "2025-01-01/2025-12-31"),  # two days written: days stay
])
def test_to_edtf(start, end, precision, expected):
    assert edtf.to_edtf(start, end, precision) == expected
    span = DateReader().read(expected)
    assert (span.start, span.end) == (start, end)


def test_to_edtf_qualifiers():
    assert edtf.to_edtf(D(1991, 1, 1), D(1991, 12, 31), "year", U) == "1991?"
    assert edtf.to_edtf(D(2025, 11, 1), D(2025, 12, 31), "month", A) == "2025-11~/2025-12~"


def test_loader_reads_edtf_cells_and_refuses_bce(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("date,end_date,title,actors\n2025-11-2X,,Talks,A\n2025-11~,2026?,Process,B\n", encoding="utf-8")
    frame = load_events(str(path)).frame.sort_values("id")
    assert frame["precision"].tolist() == ["week", "year"]
    assert frame["start"].dt.date.tolist() == [D(2025, 11, 20), D(2025, 11, 1)]
    assert frame["end"].dt.date.tolist() == [D(2025, 11, 29), D(2026, 12, 31)]
    path.write_text("date,title,actors\n-0044-03-15,Ides,Rome\n", encoding="utf-8")
    from timeline.problems import InvalidData

    with pytest.raises(InvalidData) as error:
        load_events(str(path))
    assert any("before the Common Era" in str(p) for p in error.value.problems if not p.warning)


def test_normalize_writes_an_edtf_column(tmp_path):
    from click.testing import CliRunner

    from timeline.cli import cli

    path = tmp_path / "events.csv"
    path.write_text("date,end_date,title,actors\n2025-21,,Spring talks,A\nNov. 15 2025,Nov. 16 2025,Summit,B\n"
                    "2025-11,2026,Process,C\n1991?,,Doubtful,D\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["normalize", str(path)])
    assert result.exit_code == 0, result.output
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["edtf"] for r in rows] == ["2025-21", "2025-11-15/2025-11-16", "2025-11/2026", "1991?"]


def test_qualified_dates_are_drawn_and_described_as_approximate():
    from timeline.components import panel
    from timeline.figure import build_figure
    from timeline.filters import View

    data = load_events(b"date,end_date,title,actors\n2025-11-15~,,Maybe talks,A\n2025-11-16,,Talks,A\n"
                       b"2025-11-17,2025-11-18?,Visit,B\n2025-11-20/..,,Ceasefire,B\n")
    figure = build_figure(data.frame, View())
    hovers = {}
    for trace in figure.data:
        for row in (trace.customdata if trace.customdata is not None else []):
            hovers.setdefault(row[1], set()).add((trace.name, row[2]))
    assert any("approximate" in when for _, when in hovers["Maybe talks"])
    assert any("uncertain" in when for _, when in hovers["Visit"])
    assert any("open end" in when for _, when in hovers["Ceasefire"])
    assert not any("approximate" in when for _, when in hovers["Talks"])
    legend = {trace.name for trace in figure.data if trace.showlegend is not False and trace.x == (None,)}
    assert "approximate date" in legend
    frame = data.frame
    event = frame[frame["title"] == "Maybe talks"].iloc[0]
    text = str(panel(frame, int(event["id"])))
    assert "(day, approximate)" in text
