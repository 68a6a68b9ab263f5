"""Every reader: axe-core finds nothing on the page, the keyboard reaches every event, a phone gets a list."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_app import assert_clean, open_page, screenshots_dir

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events.csv"

pytestmark = pytest.mark.browser


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page.page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result.response["violations"]]


def chart_drawn(page):
    page.page.wait_for_function(
        "() => { const g = document.querySelector('#timeline-graph .js-plotly-plot');"
        " return g && g.layout && g.layout.meta; }")


@pytest.mark.parametrize("address", ["", "?actor=Ukraine&kind=talks&kind=proposal", "?view=report"])
def test_axe_finds_no_violation(serve_events, page, address):
    server = serve_events(EVENTS)
    open_page(page, server.url + address)
    chart_drawn(page)
    assert violations(page) == []
    assert_clean(page)


def test_axe_finds_no_violation_with_the_details_open(serve_events, page):
    server = serve_events(EVENTS)
    open_page(page, server.url)
    page.page.locator(".event-item").first.click()
    page.page.wait_for_selector("#event-details:not([hidden])")
    assert violations(page) == []
    assert_clean(page)


def test_the_chart_has_a_summary_a_screen_reader_reads(serve_events, page):
    server = serve_events(EVENTS)
    open_page(page, server.url)
    chart_drawn(page)
    summary = page.page.inner_text("#chart-summary")
    assert summary.startswith("33 events from ") and " in 4 lanes" in summary
    assert "next deadline: Trump's Thanksgiving deadline, 27 Nov 2025" in summary
    assert page.page.get_attribute("#chart-box", "aria-describedby") == "chart-summary"
    assert page.page.get_attribute("#event-count", "aria-live") == "polite"
    open_page(page, server.url + "?actor=Rustem+Umerov")
    page.page.wait_for_function("() => document.querySelector('#chart-summary').innerText.startsWith('3 events')")
    assert_clean(page)


def test_the_keyboard_alone_opens_and_closes_an_events_details(serve_events, page):
    server = serve_events(EVENTS)
    open_page(page, server.url)
    chart_drawn(page)
    # Tab reaches the list, as one stop.
    for _ in range(80):
        page.page.keyboard.press("Tab")
        if page.page.evaluate("() => document.activeElement.classList.contains('event-item')"):
            break
    else:
        pytest.fail("Tab never reached the event list")
    first = page.page.evaluate("() => document.activeElement.innerText")
    assert first.startswith("●\nYugoslavia's breakup begins") or "Yugoslavia" in first
    for _ in range(3):
        page.page.keyboard.press("ArrowDown")
    assert "Israeli strike on Hamas officials in Qatar" in page.page.evaluate("() => document.activeElement.innerText")
    page.page.keyboard.press("ArrowUp")
    assert "U.S. sanctions Russian oil and gas" in page.page.evaluate("() => document.activeElement.innerText")
    page.page.keyboard.press("End")
    assert "Thanksgiving deadline" in page.page.evaluate("() => document.activeElement.innerText")
    outline = page.page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # focus is visible
    page.page.keyboard.press("Enter")
    page.page.wait_for_selector("#event-details:not([hidden])")
    page.page.wait_for_function(
        "() => document.querySelector('#details-body h2').innerText === \"Trump's Thanksgiving deadline\"")
    page.page.keyboard.press("Escape")
    page.page.wait_for_selector("#event-details[hidden]", state="attached")
    assert "Thanksgiving deadline" in page.page.evaluate("() => document.activeElement.innerText")
    assert_clean(page)


@pytest.mark.parametrize("width", [360, 390, 430])
def test_a_phone_gets_the_events_as_a_list_without_horizontal_scrolling(browser, serve_events, width, tmp_path):
    from conftest import BrowserPage

    context = browser.new_context(viewport={"width": width, "height": 844}, is_mobile=True, has_touch=True)
    page = BrowserPage(context.new_page(), None)
    page.page.set_default_timeout(15_000)
    try:
        server = serve_events(EVENTS)
        open_page(page, server.url + "?actor=Ukraine")
        chart_drawn(page)
        assert page.page.evaluate("() => document.documentElement.scrollWidth") <= width
        titles = page.page.locator(".event-item .title").all_inner_texts()
        count = int(page.page.inner_text("#event-count").split(" of ")[0])
        assert len(titles) == count == 19
        assert not page.page.evaluate("() => document.getElementById('filters').open")  # folded
        list_top = page.page.locator("#event-list-section").bounding_box()["y"]
        chart_top = page.page.locator("#chart-box").bounding_box()["y"]
        assert list_top < chart_top  # the list first, the chart after it
        assert "approximate (month)" in page.page.inner_text("#event-list")
        page.page.click(".switch-link >> text=Chart")
        page.page.wait_for_function("() => Math.abs(document.querySelector('#chart-box').getBoundingClientRect().top) < 40")
        graph_width = page.page.evaluate("() => document.querySelector('#timeline-graph .js-plotly-plot').layout.width")
        assert graph_width <= width
        page.page.screenshot(path=os.path.join(screenshots_dir(tmp_path), f"phone-{width}.png"))
        assert_clean(page)
    finally:
        context.close()
