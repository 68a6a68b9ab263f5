"""`python -m timeline export`: report figures as PNG, SVG, PDF and HTML files, from flags or a shared address.

The command runs in a subprocess, as a report writer runs it. Exports through kaleido start a
headless Chromium each (2-3 s), so the files of the real events.csv are made once per module
and shared by the tests that only read them.
"""

from __future__ import annotations

import html
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import require_chromium
from timeline import export as export_module
from timeline.cli import cli
from timeline.events import load_events
from timeline.figure import DEFAULT_TITLE, build_figure
from timeline.filters import View, describe

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events.csv"
SHARED = "http://127.0.0.1:8050/?actor=Ukraine&kind=talks&lanes=kinds"
SHARED_FLAGS = ("--actor", "Ukraine", "--kind", "talks", "--lanes", "kinds")
TIMEOUT = 60  # seconds one export may take; a report writer would give up long before kaleido's 90 s
SVG = "{http://www.w3.org/2000/svg}"

browser = pytest.mark.browser

HEADER = "date,end_date,reported,title,actors,kind,status,location,source,url,notes\n"
SMALL_ROWS = [
    "2025-11-23,,2025-11-24,Talks in Geneva,United States; Ukraine; Marco Rubio,talks,happened,Geneva,Wire,,",
    "2025-11-19,,2025-11-24,Miami meeting,Steve Witkoff; Kirill Dmitriev,meeting,happened,Miami,The Paper,,",
    "2025-11-21,,2025-11-22,Trump sets a deadline,Donald Trump,statement,happened,,The Paper,,",
    "2025-11-27,,2025-11-22,Thanksgiving deadline,Donald Trump; Ukraine,deadline,planned,,Wire,,",
]
ACTORS = (
    "name,aliases,member_of\n"
    "United States,U.S.; US,\nUkraine,Kyiv,\nRussia,,\n"
    "Donald Trump,Trump,United States\nMarco Rubio,Rubio,United States\nSteve Witkoff,Witkoff,United States\n"
    "Kirill Dmitriev,,Russia\n"
)


# ---------------------------------------------------------------- helpers


def start_export(*args, env: dict | None = None) -> subprocess.Popen:
    command = [sys.executable, "-m", "timeline", "export", *map(str, args)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8")


def finish_export(process: subprocess.Popen, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    """The result of a started export; fails the test when it hangs."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # Killing the exporter closes kaleido's pipe, and its Chromium exits with it.
        process.kill()
        process.communicate()
        pytest.fail(f"{' '.join(process.args[2:])} took more than {timeout} s")
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def run_export(*args, env: dict | None = None, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    """`python -m timeline export ARGS` from the repository root, as a report writer runs it."""
    return finish_export(start_export(*args, env=env), timeout)


def exported(result: subprocess.CompletedProcess, path: Path) -> bytes:
    """The bytes of a successful export, after checking the command said so cleanly."""
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.stdout.startswith(f"wrote {path} ("), result.stdout
    return path.read_bytes()


def assert_clean_failure(result: subprocess.CompletedProcess, code: int) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.stderr.strip(), "a failure must say why"


def leftovers(folder: Path) -> list[str]:
    """Temporary files an interrupted or failed write would leave behind (safewrite's .NAME.tmp)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp"))


def png_header(data: bytes) -> tuple[int, int, tuple[int, ...]]:
    """Width, height and top-left pixel of a PNG, read from its bytes (8-bit RGB or RGBA)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:8]
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height, depth, color = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and color in (2, 6), (depth, color)
    channels = 3 if color == 2 else 4
    idat, at = b"", 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IDAT":
            idat += data[at + 8:at + 8 + length]
        at += 12 + length
    first_row = zlib.decompressobj().decompress(idat, 1 + width * channels)
    # The first pixel of the first row is stored as is under every PNG filter (no left or upper neighbour).
    return width, height, tuple(first_row[1:1 + channels])


def svg_texts(data: bytes) -> tuple[ET.Element, list[str]]:
    """The parsed SVG and the text of each of its <text> elements, as a reader sees it."""
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    return root, ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def plain(markup: str) -> str:
    """Plotly label markup (<b>, <i>, <s>, entities) as the drawn text."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def normalized_svg(data: bytes) -> str:
    """An SVG with plotly.js's random ids (figure uid, clip paths, patterns, trace classes) numbered in order."""
    text = data.decode("utf-8")
    ids = {name: f"id{n}" for n, name in enumerate(dict.fromkeys(re.findall(r'\bid="([^"]+)"', text)))}
    text = re.sub(r'(?<=\bid=")[^"]+(?=")|(?<=#)[^)"\' ]+', lambda m: ids.get(m.group(0), m.group(0)), text)
    return re.sub(r"(?<=\btrace)[0-9a-f]{6}\b", "UID", text)


def write_small_events(folder: Path, rows=SMALL_ROWS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "events.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    (folder / "actors.csv").write_text(ACTORS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dataset():
    return load_events(str(EVENTS))


@pytest.fixture(scope="module")
def default_png(tmp_path_factory):
    require_chromium()
    path = tmp_path_factory.mktemp("png") / "timeline.png"
    result = run_export("-o", path)
    return result, exported(result, path)


@pytest.fixture(scope="module")
def default_svg(tmp_path_factory):
    require_chromium()
    path = tmp_path_factory.mktemp("svg") / "timeline.svg"
    return exported(run_export("-o", path), path)


@pytest.fixture(scope="module")
def default_html(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "timeline.html"
    return exported(run_export("-o", path), path).decode("utf-8")


# ---------------------------------------------------------------- PNG


def default_height(dataset) -> int:
    """A report is as tall as its lanes need: the default report of events.csv."""
    return int(export_module.report_figure(dataset, View(), width=1600).layout.height)


def test_a_report_is_as_tall_as_its_lanes_need(dataset):
    whole = default_height(dataset)
    one_state = int(export_module.report_figure(dataset, View(actors=("Russia",)), width=1600).layout.height)
    assert 300 <= one_state < whole <= 1200


@browser
def test_png_defaults_to_1600_wide_at_scale_2(default_png, dataset):
    require_chromium()
    result, data = default_png
    height = default_height(dataset)
    assert f"(PNG, 1600x{height} at scale 2)" in result.stdout
    width, png_height, corner = png_header(data)
    assert (width, png_height) == (3200, 2 * height)
    assert len(data) > 20_000, "a real timeline, not a blank page"
    assert corner[:3] == (255, 255, 255) and corner[3:] in ((), (255,)), f"white, opaque background: {corner}"


@browser
def test_png_size_and_scale_flags(tmp_path):
    require_chromium()
    path = tmp_path / "small.png"
    data = exported(run_export("--width", 800, "--height", 500, "--scale", 1, "-o", path), path)
    assert png_header(data)[:2] == (800, 500)
    assert len(data) > 20_000
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- SVG


@browser
def test_svg_shows_the_titles_subtitle_and_sources(default_svg, dataset):
    require_chromium()
    root, texts = svg_texts(default_svg)
    figure = export_module.report_figure(dataset, View(), width=1600)
    labels = [plain(a.text) for a in figure.layout.annotations if a.name == "label"]
    assert labels and any(label.startswith("U.S.-Ukraine peace talks in Geneva") for label in labels)
    missing = [label for label in labels if label not in texts]
    assert not missing, f"labels of the figure not drawn in the SVG: {missing}"
    assert DEFAULT_TITLE in texts
    # "All events · as of 24 Nov 2025 · shown: 1 Jan 1991 – 30 Nov 2025"
    assert any(t.startswith(describe(View(), dataset.as_of) + " · shown: ") for t in texts)
    sources = next(a for a in figure.layout.annotations if a.name == "sources")
    for line in plain(sources.text.replace("<br>", "\n")).splitlines():
        assert any(line in text for text in texts), f"source line {line!r} not drawn"
    assert any(text.startswith("Sources: ") for text in texts)


@browser
def test_the_default_report_writes_every_title_of_events_csv_in_full(default_svg, dataset, tmp_path):
    require_chromium()
    _, texts = svg_texts(default_svg)
    titles = dataset.frame["title"].tolist()
    missing = [t for t in titles if not any(t in text for text in texts)]
    assert not missing and len(titles) == 33
    assert not [t for t in texts if t.endswith("…")]
    # 1991, 1994 and the Geneva week in one picture: the story axis, its breaks labelled.
    assert {"1991", "1994"} <= set(texts) and "≈ 30 years" in texts
    path = tmp_path / "time.svg"
    time_svg = exported(run_export("--axis", "time", "-o", path), path)
    _, time_texts = svg_texts(time_svg)
    assert "≈ 30 years" not in time_texts and "Yugoslavia's breakup begins" not in time_texts


@browser
def test_svg_is_sized_in_css_pixels_not_scaled(default_svg, dataset):
    """--scale is the PNG's pixel density ("Pixel density for PNG", and the command prints
    "SVG, 1600x674"); an SVG that says width="3200" comes into a document twice too big."""
    require_chromium()
    root, _ = svg_texts(default_svg)
    height = default_height(dataset)
    assert root.get("viewBox") == f"0 0 1600 {height}"
    assert (root.get("width"), root.get("height")) == ("1600", str(height))


@browser
def test_title_flag_and_actor_filter(tmp_path):
    """Filters really filter: Dmitriev's meeting in Miami is drawn, the Geneva talks are not."""
    require_chromium()
    events = write_small_events(tmp_path / "data")
    path = tmp_path / "dmitriev.svg"
    data = exported(run_export(events, "--actor", "Kirill Dmitriev", "--title", "Back channel & <Miami>",
                               "-o", path), path)
    _, texts = svg_texts(data)
    text = "\n".join(texts)
    assert "Miami meeting" in texts
    assert "Geneva" not in text and "Thanksgiving" not in text
    assert "Back channel & <Miami>" in texts
    assert any(t.startswith("Actors: Kirill Dmitriev · as of 24 Nov 2025 · shown: ") for t in texts)
    assert "Sources: The Paper" in texts  # only the publications of the events shown


@browser
def test_actor_filter_on_the_real_data(tmp_path):
    require_chromium()
    path = tmp_path / "dmitriev.svg"
    _, texts = svg_texts(exported(run_export("--actor", "Kirill Dmitriev", "-o", path), path))
    assert "Kushner, Witkoff meet Dmitriev in Miami" in texts
    assert "U.S.-Ukraine peace talks in Geneva" not in texts
    assert "Kirill Dmitriev" in texts and "Volodymyr Zelensky" not in texts  # lanes too


@browser
def test_shared_address_exports_the_same_svg_as_the_flags(tmp_path):
    require_chromium()
    by_url, by_flags = tmp_path / "url.svg", tmp_path / "flags.svg"
    both = start_export("--url", SHARED, "-o", by_url), start_export(*SHARED_FLAGS, "-o", by_flags)
    url_svg, flags_svg = (exported(finish_export(p), path) for p, path in zip(both, (by_url, by_flags)))
    assert normalized_svg(url_svg) == normalized_svg(flags_svg)
    _, texts = svg_texts(url_svg)
    assert any(t.startswith("Actors: Ukraine · Kinds: talks · as of 24 Nov 2025 · shown: ") for t in texts)
    assert "talks" in texts and "Steve Witkoff" not in texts  # kind lanes, not actor lanes


# ---------------------------------------------------------------- PDF


@browser
def test_pdf(tmp_path, dataset):
    """A one-page vector PDF of the figure's size (1600x674 CSS px = 1200x505.5 pt), quickly and compactly.

    Hatched bars (approximate dates) are SVG patterns; Chromium's PDF printer expands them
    tile by tile, so a plain export of the real data takes minutes and tens of megabytes.
    """
    require_chromium()
    path = tmp_path / "timeline.pdf"
    data = exported(run_export("-o", path, timeout=30), path)  # a healthy PDF export takes ~3 s
    assert data.startswith(b"%PDF-")
    assert b"%%EOF" in data[-64:]
    assert len(data) < 5_000_000, f"{len(data):,} bytes for one page"
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert boxes, "no page box"
    x0, y0, x1, y1 = map(float, boxes[0])
    height_pt = default_height(dataset) * 0.75
    assert abs((x1 - x0) - 1200) < 2 and abs((y1 - y0) - height_pt) < 2, f"page is {x1 - x0} x {y1 - y0} pt"
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- HTML (no browser needed)


def test_html_carries_the_data_and_works_offline(default_html):
    page = default_html
    assert page.lstrip().lower().startswith("<html") or page.lstrip().lower().startswith("<!doctype html")
    assert "U.S.-Ukraine peace talks in Geneva" in page
    assert "Sources" in page
    assert len(page) > 1_000_000, "plotly.js is inlined"
    assert "<script src=\"http" not in page and "<script src='http" not in page
    assert not re.search(r"<script[^>]*\bsrc=", page), "every script is inline"
    # plotly.js itself names cdn.plot.ly as the default (unused) topojson address; nothing else may.
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)
    bundle = max(scripts, key=len)
    assert len(bundle) > 1_000_000
    assert "cdn.plot.ly" not in page.replace(bundle, "")
    assert not re.search(r"<link[^>]+href=[\"']?https?:", page), "no external stylesheet"


def test_html_download_button_names_the_view(default_html, dataset):
    # The page's config: a named PNG download of the figure's size, nothing sent to the cloud.
    height = default_height(dataset)
    assert f'"filename": "timeline-{dataset.as_of:%Y-%m-%d}", "width": 1600, "height": {height}' in default_html
    assert '"showSendToCloud": false' in default_html and '"displaylogo": false' in default_html


# ---------------------------------------------------------------- the view: flags, address, page


@pytest.fixture
def recorded(monkeypatch):
    """The figures the exporter makes, recorded as it makes them."""
    figures = []
    original = export_module.report_figure

    def record(dataset, view, **kwargs):
        figure = original(dataset, view, **kwargs)
        figures.append((view, figure))
        return figure

    monkeypatch.setattr(export_module, "report_figure", record)
    return figures


def cli_export(tmp_path, name, *args):
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["export", str(EVENTS), *args, "-o", str(out)])
    assert result.exit_code == 0, (result.output, result.exception)
    assert out.exists()
    return result


@pytest.mark.parametrize("url, flags", [
    (SHARED, SHARED_FLAGS),
    ("http://example.org/?actor=Donald+Trump&actor=Ukraine&match=all&status=planned",
     ("--actor", "Donald Trump", "--actor", "Ukraine", "--match", "all", "--status", "planned")),
    ("http://127.0.0.1:8050/?q=Geneva&from=2025-11-01&to=2025-11-30&window=2025-11-15..2025-11-28",
     ("--search", "Geneva", "--from", "2025-11-01", "--to", "2025-11-30", "--window", "2025-11-15..2025-11-28")),
    ("http://127.0.0.1:8050/?actor=Ukraine&view=report", ("--actor", "Ukraine")),
])
def test_shared_address_is_the_same_figure_as_the_flags_and_the_page(tmp_path, recorded, dataset, url, flags):
    cli_export(tmp_path, "url.html", "--url", url)
    cli_export(tmp_path, "flags.html", *flags)
    (url_view, url_figure), (flags_view, flags_figure) = recorded
    view = View.from_query(url.partition("?")[2])
    assert url_view == flags_view == view
    assert url_figure.to_json() == flags_figure.to_json()
    page = build_figure(dataset.frame, view, as_of=dataset.as_of, members=dataset.members, report=True,
                        width=1600)
    assert url_figure.to_json() == page.to_json()


def test_report_figure_is_the_page_figure_in_report_mode(dataset):
    view = View(actors=("Ukraine",), kinds=("talks", "proposal"))
    ours = export_module.report_figure(dataset, view, width=1200, height=700, title="Peace plan")
    page = build_figure(dataset.frame, view, as_of=dataset.as_of, members=dataset.members, report=True,
                        width=1200, height=700, title="Peace plan")
    assert ours.to_json() == page.to_json()
    assert ours.layout.title.text == "Peace plan"
    assert ours.layout.title.subtitle.text.startswith(describe(view, dataset.as_of) + " · shown: ")
    assert any(a.name == "sources" for a in ours.layout.annotations)


# ---------------------------------------------------------------- usage errors


@pytest.mark.parametrize("args, message", [
    (("-o", "{out}/timeline.jpg"), "must end in .png, .svg, .pdf, .html"),
    (("--url", SHARED, "--actor", "Ukraine", "-o", "{out}/timeline.svg"), "either --url or the filter flags"),
    (("--url", SHARED, "--lanes", "kinds", "-o", "{out}/timeline.svg"), "either --url or the filter flags"),
    (("--from", "2025-13-01", "-o", "{out}/timeline.svg"), "--from"),
    (("--to", "Sunday", "-o", "{out}/timeline.svg"), "--to"),
    (("--window", "last week", "-o", "{out}/timeline.svg"), "--window"),
    (("--kind", "party", "-o", "{out}/timeline.svg"), "--kind"),
    (("--width", "0", "-o", "{out}/timeline.png"), "--width"),
])
def test_usage_errors(tmp_path, args, message):
    result = run_export(*(a.format(out=tmp_path) if isinstance(a, str) else a for a in args))
    assert_clean_failure(result, 2)
    assert message in result.stderr
    assert "Usage:" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_invalid_events_file(tmp_path):
    rows = [*SMALL_ROWS, "notadate,,2025-11-24,Bad date,Ukraine,talks,happened,,Wire,,",
            "2025-11-20,,2025-11-24,Bad kind,Ukraine,flying,happened,,Wire,,"]
    events = write_small_events(tmp_path / "data", rows)
    out = tmp_path / "out"
    out.mkdir()
    result = run_export(events, "-o", out / "timeline.svg")
    assert_clean_failure(result, 1)
    lines = result.stderr.strip().splitlines()
    assert any(re.match(r".*events\.csv:6: date: ", line) for line in lines), lines
    assert any(re.match(r".*events\.csv:7: kind: ", line) for line in lines), lines
    assert lines[-2].endswith("events.csv: invalid: 2 errors")
    # Only rows have errors: the last line says how to draw the others.
    assert lines[-1].endswith("events.csv: --skip-invalid draws the other 4 rows without the 2 with errors; "
                              "the figure's subtitle then says so")
    assert result.stdout == ""
    assert list(out.iterdir()) == [], "no output file for invalid data"

    # An existing figure is left as it was.
    previous = out / "timeline.html"
    previous.write_text("the last good export", encoding="utf-8")
    result = run_export(events, "-o", previous)
    assert_clean_failure(result, 1)
    assert previous.read_text(encoding="utf-8") == "the last good export"
    assert sorted(p.name for p in out.iterdir()) == ["timeline.html"]


def test_missing_events_file(tmp_path):
    result = run_export(tmp_path / "nowhere.csv", "-o", tmp_path / "timeline.html")
    assert_clean_failure(result, 1)
    assert "nowhere.csv" in result.stderr
    assert not (tmp_path / "timeline.html").exists()


def test_unwritable_output_is_one_clean_line(tmp_path):
    result = run_export("-o", tmp_path / "no such folder" / "timeline.html")
    assert_clean_failure(result, 1)
    assert result.stderr.strip().count("\n") == 0
    assert "cannot write" in result.stderr


# ---------------------------------------------------------------- no browser


def no_browser_env(tmp_path: Path) -> dict:
    """An environment where kaleido finds no Chrome or Chromium.

    choreographer looks in its own download folder (under the XDG data home), then takes
    BROWSER_PATH when set (a path that does not exist ends the search with "not found"),
    else searches PATH and well-known paths such as /usr/bin/chromium. So: an empty data home,
    a BROWSER_PATH to nowhere, and a PATH holding nothing but python.
    """
    bin_dir, home = tmp_path / "bin", tmp_path / "home"
    bin_dir.mkdir()
    home.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    return {
        "PATH": str(bin_dir),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "BROWSER_PATH": "/nonexistent/chromium",
        "LANG": "C.UTF-8",
    }


def test_without_a_browser_png_fails_in_one_line_and_html_still_works(tmp_path):
    env = no_browser_env(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    result = run_export("-o", out / "timeline.png", env=env)
    if result.returncode == 0:
        pytest.fail("kaleido still found a browser: this test could not hide it (see no_browser_env)")
    assert_clean_failure(result, 1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert "Chromium" in line and "PNG" in line
    assert "apt-get install chromium" in line and "BROWSER_PATH" in line  # how to fix it
    assert "HTML" in line  # and what works meanwhile
    assert result.stdout == ""
    assert list(out.iterdir()) == []

    for fmt in ("svg", "pdf"):
        result = run_export("-o", out / f"timeline.{fmt}", env=env)
        assert_clean_failure(result, 1)
        assert len(result.stderr.strip().splitlines()) == 1 and fmt.upper() in result.stderr

    page = exported(run_export("-o", out / "timeline.html", env=env), out / "timeline.html").decode("utf-8")
    assert "U.S.-Ukraine peace talks in Geneva" in page and len(page) > 1_000_000
    assert sorted(p.name for p in out.iterdir()) == ["timeline.html"]


# ---------------------------------------------------------------- replacing a file


def test_existing_output_is_replaced_atomically(tmp_path):
    path = tmp_path / "report.html"
    exported(run_export("--title", "First draft", "-o", path), path)
    assert "First draft" in path.read_text(encoding="utf-8")
    path.chmod(0o640)
    before = path.stat()
    keep = tmp_path / "old-link.html"
    os.link(path, keep)  # the old file's inode: a rename leaves it intact, an in-place rewrite would not

    exported(run_export("--title", "Final version", "-o", path), path)
    text = path.read_text(encoding="utf-8")
    assert "Final version" in text and "First draft" not in text
    assert "First draft" in keep.read_text(encoding="utf-8")
    after = path.stat()
    assert after.st_ino != before.st_ino, "written to a temporary file and renamed over"
    assert after.st_mode & 0o777 == 0o640, "the file keeps its permissions"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old-link.html", "report.html"]
    assert leftovers(tmp_path) == []


def test_an_actor_may_be_named_by_an_alias_and_an_unknown_one_is_reported(tmp_path):
    events = write_small_events(tmp_path / "data")
    path = tmp_path / "alias.html"  # HTML: no browser needed to check the view it names
    result = run_export(events, "--actor", "witkoff", "--actor", "Nobody", "-o", path)
    html_text = exported(result, path).decode("utf-8")
    assert "Actors: Steve Witkoff" in html_text and "Nobody" not in html_text
    assert result.stderr.strip() == f'warning: {events} names no actor "Nobody"; left out of the filter'


# ---------------------------------------------------------------- other people's files


@browser
def test_a_120_lane_file_says_on_the_figure_how_many_lanes_are_left_out(tmp_path):
    import awkwardfiles

    require_chromium()
    events = awkwardfiles.many_lanes(tmp_path / "lanes.csv", lanes=120)
    path = tmp_path / "lanes.svg"
    result = run_export(events, "-o", path)
    data = exported(result, path)
    height = int(result.stdout.split("x")[-1].split(")")[0])
    assert 900 < height <= 2400  # grown to hold what it could
    _, texts = svg_texts(data)
    note = next(t for t in texts if " of 120 lanes not drawn (" in t)
    left_out = int(note.split(" of ")[0].replace(",", ""))
    assert 0 < left_out < 120 and "--actor" in note and "--height" in note
    assert any(t.startswith(f"The busiest {120 - left_out} of 120 lanes") for t in texts)
    assert not any(t.startswith("All events") for t in texts)
    # Taller still, and every lane is drawn with nothing said.
    tall = tmp_path / "tall.svg"
    _, tall_texts = svg_texts(exported(run_export(events, "--height", 6000, "-o", tall), tall))
    assert not any("lanes not drawn" in t for t in tall_texts)
