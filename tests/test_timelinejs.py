"""TimelineJS3 in and out: Knight Lab's own examples, our every-field fixture, round trips, refusals."""

import html
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from timeline import timelinejs
from timeline.cli import cli
from timeline.events import check_events, load_events
from timeline.filters import View
from timeline.timelinejs import TimelineJSError, read_timeline, rows_csv, timeline_json

FIXTURES = Path(__file__).parent / "fixtures" / "timelinejs"


def imported(name: str):
    return read_timeline((FIXTURES / name).read_bytes(), name)


def run(*args, input=None):
    return CliRunner().invoke(cli, list(map(str, args)), input=input)


# --- Knight Lab's examples ------------------------------------------------------------------

# fixture, kind, slides, rows imported, the places of the events left out
EXAMPLES = [
    ("whitney-houston.json", "json", 18, 18, []),
    ("user-interface-timeline3.json", "json", 22, 20, ["events[0].start_date.year", "events[1].start_date.year"]),
    ("twain-marktwain.json", "json", 17, 17, []),
    ("all-media-types.json", "json", 41, 41, []),
    ("cosmo-mixed.json", "json", 11, 3, [f"events[{i}].start_date.year" for i in range(8)]),
    ("eras.json", "json", 20, 0, None),  # every year is 602-698: none placeable
    ("my-own-timeline.csv", "sheet", 10, 10, []),
]


@pytest.mark.parametrize("name, kind, slides, rows, left_out", EXAMPLES)
def test_knight_lab_examples(name, kind, slides, rows, left_out):
    found = imported(name)
    assert (found.kind, found.slides, len(found.rows)) == (kind, slides, rows)
    if left_out is not None:
        assert [p.column for p in found.errors] == left_out
    if rows:
        dataset, problems = check_events(rows_csv(found.rows).encode())
        assert dataset is not None, problems
        assert len(dataset.frame) == rows


def test_bce_years_are_named_with_their_place():
    found = imported("cosmo-mixed.json")
    first = found.errors[0]
    assert first.column == "events[0].start_date.year"
    assert "13,800,000,000 is a year before 1 AD (BCE)" in first.message
    assert "1678" in first.message


def test_sheet_template_keeps_dates_precision_and_strips_html():
    rows = imported("my-own-timeline.csv").rows
    assert (rows[0]["date"], rows[0]["end_date"], rows[0]["title"]) == ("1815-12-10", "1852-11-27", "Ada Lovelace")
    assert "Ada Lovelace (https://en.wikipedia.org/wiki/Ada_Lovelace)" in rows[0]["notes"]
    assert "<" not in "".join(r["notes"] + r["title"] for r in rows)
    months = [r for r in rows if r["title"] == "...And the women who made it work"][0]
    assert (months["date"], months["end_date"]) == ("1943-07", "1946")  # a month to a year, each as given


def test_timelinejs2_is_refused_by_name():
    with pytest.raises(TimelineJSError, match="TimelineJS 2 JSON"):
        imported("houston-timeline2.json")


# --- our fixture with every field -----------------------------------------------------------

ALL_FIELDS = [
    {"date": "23–24 Nov. 2025", "end_date": "", "title": "Geneva talks & next steps", "actors": "United States",
     "location": "Geneva", "source": "Agency (https://example.org) photo", "url": "https://example.org/photo.jpg",
     "notes": "Delegations met in Geneva (https://example.org/geneva).\n\nSecond paragraph."},
    {"date": "2025-11", "end_date": "", "title": "Plan drafted", "actors": "Ukraine", "location": "", "source": "",
     "url": "", "notes": "Month only."},
    {"date": "2026", "end_date": "2027", "title": "Elections", "actors": "Ukraine", "location": "", "source": "",
     "url": "", "notes": "Display date: some time in 2027"},
    {"date": "late November 2025", "end_date": "", "title": "Deadline week", "actors": "Ungrouped", "location": "",
     "source": "Wire", "url": "https://example.org/protocol-relative.jpg", "notes": ""},
]


def test_every_field_of_our_json_fixture():
    found = imported("all-fields.json")
    keys = ("date", "end_date", "title", "actors", "location", "source", "url", "notes")
    assert [{k: r[k] for k in keys} for r in found.rows] == ALL_FIELDS
    assert [p.message.split(";")[0] for p in found.problems] == ["1 event has no group (events[3])"]
    assert any("title slide ('Talks on Ukraine')" in n for n in found.notes)
    assert any("1 era " in n for n in found.notes)
    assert any("1 media embed" in n for n in found.notes)


def test_every_column_of_our_sheet_fixture():
    found = imported("all-fields.csv")
    assert [(r["date"], r["end_date"], r["title"], r["actors"]) for r in found.rows] == [
        ("23–24 Nov. 2025", "", "Geneva talks & next steps", "United States"),
        ("2025-11", "", "Plan drafted", "Ukraine"),
        ("2026", "2027", "Elections", "Ukraine"),
        ("late November 2025", "", "Deadline week", "Ungrouped"),
    ]
    assert "(line 7)" in found.problems[0].message  # the row with no group, by its line
    assert any("era row" in n for n in found.notes)


# --- round trips ------------------------------------------------------------------------------

OURS = (
    "date,end_date,title,actors,notes\n"
    "2025-11-15,,Talks,United States,\"two\nlines & <b>\"\n"
    "\"Nov. 15-16, 2025\",,Summit,Russia,\n"
    "late November 2025,,Deadline week,Ukraine,\n"
    "2025-11,2026,Process,European Union,\n"
    "2025-11~,,Maybe,Ukraine,\n"
    "2025-21,,Spring offensive,Russia,\n"
    "1991?,,Independence,Ukraine,\n"
    "2025-12-01,2025-12-03,Visit,United States,\n"
)


def _key(frame):
    frame = frame.sort_values(["start", "title"])
    return list(zip(frame["title"], frame["start"], frame["end"], frame["precision"], frame["actors"]))


def _through_json(dataset):
    document = json.loads(json.dumps(timeline_json(dataset, View(lanes="actors"))))
    return document, read_timeline(json.dumps(document).encode(), "export.json")


@pytest.mark.parametrize("name", ["whitney-houston.json", "user-interface-timeline3.json", "all-fields.json",
                                  "my-own-timeline.csv", "twain-marktwain.json"])
def test_round_trip_json_csv_json_csv(name):
    first = load_events(rows_csv(imported(name).rows).encode())
    document, again = _through_json(first)
    assert not again.errors
    second = load_events(rows_csv(again.rows).encode())
    assert _key(second.frame) == _key(first.frame)
    groups = {html.unescape(e["text"]["headline"]): e["group"] for e in document["events"]}
    assert all(groups[title] == actors[0] for title, *_, actors in _key(first.frame))


def test_round_trip_keeps_each_precision_and_edtf_flags():
    first = load_events(OURS.encode())
    document, again = _through_json(first)
    second = load_events(rows_csv(again.rows).encode())
    assert _key(second.frame) == _key(first.frame)
    assert {r["date"] for r in again.rows} >= {"late November 2025", "2025-11~", "2025-21", "1991?"}
    process = [e for e in document["events"] if e["text"]["headline"] == "Process"][0]
    assert (process["start_date"], process["end_date"]) == ({"year": 2025, "month": 11}, {"year": 2026})
    talks = [e for e in document["events"] if e["text"]["headline"] == "Talks"][0]
    assert talks["text"]["text"] == "two<br>lines &amp; &lt;b&gt;"
    assert [r["notes"] for r in again.rows if r["title"] == "Talks"] == ["two\nlines & <b>"]


def test_export_json_through_the_cli(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text(OURS.replace("Talks,", "Talks <script>x</script>,", 1), encoding="utf-8")
    out = tmp_path / "out.json"
    result = run("export", events, "-o", out, "--actor", "Ukraine", "--title", "Kyiv & co")
    assert result.exit_code == 0, result.output
    assert "TimelineJS JSON, 3 events" in result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["title"]["text"]["headline"] == "Kyiv &amp; co"
    assert "Actors: Ukraine" in document["title"]["text"]["text"]
    assert {e["group"] for e in document["events"]} == {"Ukraine"}
    everything = tmp_path / "all.json"
    assert run("export", events, "-o", everything).exit_code == 0
    assert "<script>" not in everything.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in everything.read_text(encoding="utf-8")


# --- the command: writing, appending, refusing --------------------------------------------------

def test_import_writes_a_file_that_check_accepts(tmp_path):
    out = tmp_path / "events.csv"
    result = run("import", FIXTURES / "whitney-houston.json", "-o", out)
    assert result.exit_code == 0, result.output
    assert "wrote 18 of 18 events" in result.output
    checked = run("check", out)
    assert checked.exit_code == 0 and "ok: 18 events" in checked.output


def test_import_skip_invalid_lists_what_it_leaves_out(tmp_path):
    out = tmp_path / "events.csv"
    result = run("import", FIXTURES / "user-interface-timeline3.json", "-o", out)
    assert result.exit_code == 1
    assert "events[0].start_date.year: 1600 is outside the years the page can place" in result.output
    assert not out.exists()
    result = run("import", FIXTURES / "user-interface-timeline3.json", "-o", out, "--skip-invalid")
    assert result.exit_code == 0
    assert "wrote 20 of 22 events" in result.output and "events[1].start_date.year" in result.output
    assert len(load_events(str(out)).frame) == 20


def _timeline(*events, **top):
    return json.dumps({"events": list(events), **top})


EVENT = {"start_date": {"year": 2025, "month": 11, "day": 15}, "text": {"headline": "Talks"}, "group": "A"}

REFUSALS = [
    ("bce", _timeline({**EVENT, "start_date": {"year": -44, "month": 3, "day": 15}}),
     "events[0].start_date.year: -44 is a year before 1 AD (BCE)"),
    ("bad-month", _timeline({**EVENT, "start_date": {"year": 2025, "month": 13}}),
     "events[0].start_date.month: 13 is not a month (1 to 12)"),
    ("bad-day", _timeline({**EVENT, "start_date": {"year": 2025, "month": 2, "day": 30}}),
     "events[0].start_date.day: 2025-02 has no day 30"),
    ("no-start", _timeline({"text": {"headline": "Talks"}}), "events[0].start_date: no start"),
    ("events-not-a-list", json.dumps({"events": {"0": EVENT}}), '"events" is a JSON object, not a list'),
    ("no-events", json.dumps({"title": {}}), 'has no "events" list'),
    ("not-an-object", json.dumps([EVENT]), "is a JSON list"),
    ("script-headline", _timeline({**EVENT, "text": {"headline": "Talks<script>alert(1)</script>"}}),
     "events[0].text.headline: holds HTML that would run in a browser (a <script> element)"),
    ("handler-headline", _timeline({**EVENT, "text": {"headline": '<img src=x onerror="alert(1)">Talks'}}),
     'an onerror="..." handler on <img>'),
    ("javascript-link", _timeline({**EVENT, "text": {"headline": "T", "text": '<a href=" jav&#x09;ascript:x">y</a>'}}),
     "a javascript: address in <a href>"),
    ("escaped-script", _timeline({**EVENT, "text": {"headline": "&lt;script&gt;alert(1)&lt;/script&gt;"}}),
     "(a <script> element, written with entities)"),
    ("ends-before", _timeline({**EVENT, "end_date": {"year": 2024}}), "ends (2024) before it starts (2025-11-15)"),
    ("too-deep", '{"events": [], "x": ' + "[" * 30 + "1" + "]" * 30 + "}",
     "levels deep"),
    ("not-json", "{events: []}", "is not valid JSON (line 1, column 2)"),
    ("not-utf8", b'{"events": []}\xff', "is not UTF-8"),
    ("other-csv", "title,count\na,1\n", "is neither TimelineJS JSON"),
    ("sheet-bad-month", "Year,Month,Day,Headline,Group\n2025,14,,Talks,A\n", "2: Month: 14 is not a month"),
    ("sheet-bce", "Year,Month,Day,Headline,Group\n-500,,,Marathon,Athens\n", "2: Year: -500 is a year before 1 AD"),
]


@pytest.mark.parametrize("name, source, message", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_say_why_exit_1_and_write_nothing(tmp_path, name, source, message):
    path = tmp_path / "source"
    path.write_bytes(source if isinstance(source, bytes) else source.encode("utf-8"))
    out = tmp_path / "out.csv"
    result = run("import", path, "-o", out)
    assert result.exit_code == 1
    assert message in result.output
    assert "nothing written" in result.output
    assert not out.exists()
    assert "Traceback" not in result.output


def test_a_file_too_big_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(timelinejs, "MAX_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(_timeline(*[EVENT] * 10), encoding="utf-8")
    result = run("import", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert "a TimelineJS timeline imported here has at most 100" in result.output
    assert not (tmp_path / "out.csv").exists()


def test_tags_are_stripped_and_entities_decoded():
    found = read_timeline(_timeline({**EVENT, "text": {"headline": " <b>Talks</b>&nbsp;&amp;\n <i>more</i> ",
                                                       "text": "<p>a &lt;b&gt; b</p>"}}).encode(), "t.json")
    assert (found.rows[0]["title"], found.rows[0]["notes"]) == ("Talks & more", "a <b> b")


def test_import_to_stdout_and_default_actor():
    result = run("import", "-", "--default-actor", "Newsroom",
                 input=_timeline({**EVENT, "group": ""}))
    assert result.exit_code == 0
    assert "2025-11-15,,,Talks,Newsroom," in result.output
    assert 'their actor is "Newsroom"' in result.output


def test_append_to_adds_through_add_and_skips_what_is_there(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text("date,title,actors\n1963-08-09,A Musical Heritage,Ungrouped\n", encoding="utf-8")
    refused = run("import", FIXTURES / "whitney-houston.json", "--append-to", events)
    assert refused.exit_code == 1 and "has no columns source, url, notes" in refused.output
    events.write_text("date,end_date,reported,title,actors,kind,status,location,source,url,notes\n"
                      "1963-08-09,,,A Musical Heritage,Ungrouped,,,,,,\n", encoding="utf-8")
    result = run("import", FIXTURES / "whitney-houston.json", "--append-to", events)
    assert result.exit_code == 0, result.output
    assert "added 17 of 18 events" in result.output
    assert "events[0]: already in" in result.output
    assert len(load_events(str(events)).frame) == 18
    journal = Path(str(events) + ".journal")
    assert journal.exists() and len(journal.read_text(encoding="utf-8").splitlines()) >= 17
    before = events.read_bytes()
    again = run("import", FIXTURES / "whitney-houston.json", "--append-to", events)
    assert again.exit_code == 0 and "added 0 of 18 events" in again.output
    assert events.read_bytes() == before


def test_append_to_a_missing_file_is_refused(tmp_path):
    result = run("import", FIXTURES / "whitney-houston.json", "--append-to", tmp_path / "none.csv")
    assert result.exit_code == 1
    assert "no such file" in result.output
    assert not (tmp_path / "none.csv").exists()


def test_output_and_append_to_together_is_a_usage_error(tmp_path):
    result = run("import", FIXTURES / "whitney-houston.json", "-o", tmp_path / "a.csv", "--append-to", tmp_path / "b")
    assert result.exit_code == 2


def test_group_is_the_lane_and_never_the_page_s_shared_other_lane():
    rows = "".join(f"2025-11-{day:02d},Event {actor}{day},{actor}\n"
                   for actor, days in (("A", (1, 2, 3)), ("B", (4, 5, 6)), ("C", (7, 8)), ("D", (9, 10)),
                                       ("E", (11,)), ("F", (12,)))
                   for day in days)
    dataset = load_events(("date,title,actors\n" + rows).encode())
    from timeline.figure.lanes import OTHER, lanes_for
    from timeline.filters import index_for

    lanes = lanes_for(index_for(dataset.frame), np.ones(len(dataset.frame), dtype=bool), View(), dataset.members)
    assert OTHER in lanes.names  # the page puts E and F together
    document = timeline_json(dataset, View())
    assert {html.unescape(e["text"]["headline"]): e["group"] for e in document["events"]}["Event E11"] == "E"
    assert [e["group"] for e in document["events"]] == [t[len("Event ")] for t in
                                                         (e["text"]["headline"] for e in document["events"])]
