"""The page on a file with errors in some rows (its valid rows, a banner, the list of problems),
and the event list's order switch, kept in the address; in a real headless Chromium."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from conftest import BrowserPage
from test_app import screenshots_dir
from test_partial import HEADER, fifth_invalid
from timeline.cli import cli

pytestmark = pytest.mark.browser


def wait_for_text(page, selector: str, text: str):
    page.page.wait_for_function(
        "([s, t]) => { const e = document.querySelector(s); return e && e.innerText.includes(t); }",
        arg=[selector, text])


def list_titles(page) -> list[str]:
    return page.page.evaluate(
        "() => Array.from(document.querySelectorAll('#event-list .event-item .title')).map(e => e.textContent)")


def order(page) -> list[str]:
    return parse_qs(urlsplit(page.page.url).query).get("order", [])


def assert_clean(page):
    assert page.console_errors == []
    assert page.foreign_requests == []


@pytest.fixture
def partial_file(tmp_path):
    rows, _ = fifth_invalid(100)
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_partial_file_shows_its_chart_the_left_out_count_and_every_message(serve_events, page, partial_file,
                                                                              tmp_path):
    server = serve_events(partial_file)
    page.page.goto(server.url)
    wait_for_text(page, "#data-error", "20 of 100 rows left out: they have errors")
    page.page.wait_for_selector("#timeline-graph .main-svg")
    wait_for_text(page, "#event-list", "Event 0")
    headline = page.page.inner_text("#data-error strong")
    assert headline.startswith("events.csv: 20 of 100 rows left out: they have errors (")
    assert "The chart and the list show the other rows." in headline
    # The chart holds the valid rows: 80 events, none of the rows with errors.
    drawn = page.page.evaluate(
        "() => document.querySelector('#timeline-graph .js-plotly-plot').layout.meta.events")
    assert drawn == 80
    assert "Event 3" in list_titles(page) and not {"Call 9", "Flight 14"} & set(list_titles(page))
    # The messages are folded, one click away, and are check's own.
    details = page.page.locator("#data-error details")
    assert details.get_attribute("open") is None
    assert not page.page.locator("#data-error .banner-lines").is_visible()
    page.page.locator("#data-error summary").click()
    page.page.wait_for_selector("#data-error .banner-lines", state="visible")
    listed = page.page.inner_text("#data-error .banner-lines").splitlines()
    # The open list stays open while the chart renders again: opening it moved the chart down,
    # and a narrower window or a click on an event renders the chart once more.
    width = page.page.evaluate("() => document.querySelector('#timeline-graph .js-plotly-plot').layout.width")
    page.page.set_viewport_size({"width": page.page.viewport_size["width"] - 160,
                                 "height": page.page.viewport_size["height"]})
    page.page.wait_for_function(
        "w => document.querySelector('#timeline-graph .js-plotly-plot').layout.width !== w", arg=width)
    assert details.get_attribute("open") is not None
    assert page.page.inner_text("#data-error .banner-lines").splitlines() == listed
    result = CliRunner().invoke(cli, ["check", str(partial_file)])
    assert result.exit_code == 1
    assert [line.replace(str(partial_file), "events.csv") for line in result.stdout.splitlines()[:-1]] == \
        [line.replace(str(partial_file), "events.csv") for line in listed]
    page.page.screenshot(path=os.path.join(screenshots_dir(tmp_path), "partial-file.png"), full_page=False)
    assert_clean(page)


def test_the_list_reads_newest_first_at_a_switch_kept_in_the_address(serve_events, page, partial_file):
    server = serve_events(partial_file)
    page.page.goto(server.url)
    wait_for_text(page, "#event-list", "Event 0")
    oldest = list_titles(page)
    assert page.page.inner_text(".order-link.active") == "Oldest first" and order(page) == []
    page.page.locator("#order-newest").click()
    page.page.wait_for_function("() => new URLSearchParams(location.search).get('order') === 'newest'")
    page.page.wait_for_function("t => document.querySelector('#event-list .event-item .title').textContent === t",
                                arg=oldest[-1])
    assert list_titles(page) == oldest[::-1]
    assert page.page.inner_text(".order-link.active") == "Newest first"
    # A filter keeps the order, and the address keeps it through a reload.
    page.page.goto(server.url + "?order=newest&q=Event+1")
    wait_for_text(page, ".order-link.active", "Newest first")
    page.page.wait_for_function(
        "() => document.querySelectorAll('#event-list .event-item').length > 0 && "
        "[...document.querySelectorAll('#event-list .title')].every(e => /Event 1/.test(e.textContent))")
    titles = list_titles(page)
    assert titles == sorted(titles, key=lambda t: oldest.index(t), reverse=True)
    page.page.go_back()
    page.page.wait_for_function("() => new URLSearchParams(location.search).get('order') === 'newest' && "
                                "!location.search.includes('q=')")
    assert_clean(page)


def test_a_phone_lists_newest_first_and_the_switch_goes_back(serve_events, browser, partial_file):
    server = serve_events(partial_file)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        phone = BrowserPage(context.new_page(), None)
        phone.page.set_default_timeout(15_000)
        phone.page.goto(server.url)
        wait_for_text(phone, ".order-link.active", "Newest first")
        phone.page.wait_for_selector("#event-list .event-item")
        newest = list_titles(phone)
        assert order(phone) == []  # the phone's own default, not written into a shared link
        phone.page.locator("#order-oldest").tap()
        phone.page.wait_for_function("() => new URLSearchParams(location.search).get('order') === 'oldest'")
        phone.page.wait_for_function(
            "t => document.querySelector('#event-list .event-item .title').textContent === t", arg=newest[-1])
        assert list_titles(phone) == newest[::-1]
        assert_clean(phone)
    finally:
        context.close()


def test_axe_finds_no_violation_on_a_partial_file_with_its_messages_open(serve_events, page, partial_file):
    from test_accessibility import violations

    server = serve_events(partial_file)
    page.page.goto(server.url + "?order=newest")
    wait_for_text(page, "#data-error", "20 of 100 rows left out")
    page.page.wait_for_selector("#event-list .event-item")
    page.page.locator("#data-error summary").click()
    page.page.wait_for_selector("#data-error .banner-lines", state="visible")
    assert violations(page) == []
    assert_clean(page)
