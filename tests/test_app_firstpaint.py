"""The page's first paint in a real headless Chromium: the chart is drawn before Dash's callback
answers, and Dash's page then takes its place showing the same chart."""

from __future__ import annotations

import shutil

import pytest

from test_app import ROOT, assert_clean, open_page, write_events

pytestmark = pytest.mark.browser

FIGURE_CALLBACK = "..timeline-graph.figure."
# The copy's chart drawn, with its count line.
COPY_DRAWN = """() => {
  const copy = document.getElementById('first-paint');
  const gd = copy && copy.querySelector('[data-first="timeline-graph"]');
  const count = copy && copy.querySelector('[data-first="event-count"]');
  return !!(gd && gd._fullData && gd._fullData.length && gd.querySelector('.main-svg .trace, .main-svg .hm')
            && count.textContent.trim());
}"""
HOSTILE = ["</script><script>window.__hacked=1</script>", "<!--", "<img src=x onerror=window.__hacked=2>",
           "line\u2028separator\u2029end & co"]


class HeldFigure:
    """Holds the page's figure callback until released; every other request goes on."""

    def __init__(self, page):
        self.held = []
        self.answers = []
        page.route("**/_dash-update-component*", self._route)
        page.on("response", self._response)

    def _route(self, route):
        if FIGURE_CALLBACK in (route.request.post_data or ""):
            self.held.append(route)
        else:
            route.continue_()

    def _response(self, response):
        if "_dash-update-component" in response.url and FIGURE_CALLBACK in (response.request.post_data or ""):
            self.answers.append(response.json())

    def release(self, page):
        """Let the held figure callback go on (once Dash has asked for it)."""
        for _ in range(300):
            if self.held:
                break
            page.wait_for_timeout(50)
        assert self.held, "Dash never asked for the figure"
        while self.held:
            self.held.pop().continue_()


def chart_box(page) -> bytes:
    """The chart as the reader sees it: a screenshot of the visible chart box, the mouse away."""
    page.mouse.move(1, 1)
    box = page.evaluate("""() => {
        const copy = document.getElementById('first-paint');
        const box = copy ? copy.querySelector('[data-first="chart-box"]') : document.getElementById('chart-box');
        const r = box.getBoundingClientRect();
        return {x: r.x, y: r.y, width: r.width, height: r.height};
    }""")
    return page.screenshot(clip=box)


def test_the_chart_is_drawn_before_dashs_callback_answers_and_dash_shows_the_same(serve_events, page):
    server = serve_events(ROOT / "events.csv")
    held = HeldFigure(page.page)
    firsts = []
    page.page.on("response", lambda r: "/_timeline/first" in r.url and firsts.append(r))
    page.page.goto(server.url)
    page.page.wait_for_function(COPY_DRAWN)
    assert not held.answers
    assert page.page.evaluate("() => !document.querySelector('#react-entry-point #timeline-graph .trace')")
    assert page.page.inner_text('[data-first="event-count"]') == "33 events"
    before = chart_box(page.page)
    copy_figure = firsts[0].json()["figure"]
    held.release(page.page)
    page.page.wait_for_function("() => !document.getElementById('first-paint')")
    assert page.page.inner_text("#event-count") == "33 events"
    # Dash's callback answered the same figure, and the reader sees the same picture.
    assert held.answers[0]["response"]["timeline-graph"]["figure"] == copy_figure
    assert chart_box(page.page) == before
    assert_clean(page)


def test_the_first_paint_shows_hostile_titles_as_text(serve_events, page, tmp_path):
    rows = [f'2025-11-2{i},,2025-11-2{i},"{title}",Ukraine,statement,happened,,Wire,,'
            for i, title in enumerate(HOSTILE)]
    server = serve_events(write_events(tmp_path, rows))
    held = HeldFigure(page.page)
    page.page.goto(server.url)
    page.page.wait_for_function(COPY_DRAWN)
    titles = page.page.eval_on_selector_all('#first-paint [data-first="event-list"] .title',
                                            "items => items.map(i => i.textContent)")
    assert sorted(titles) == sorted(HOSTILE)
    held.release(page.page)
    page.page.wait_for_function("() => !document.getElementById('first-paint')")
    assert page.page.evaluate("() => window.__hacked") is None
    assert_clean(page)


def test_an_answer_too_large_to_send_twice_is_left_to_dash(serve_events, page, monkeypatch, tmp_path):
    from timeline import firstpaint

    monkeypatch.setattr(firstpaint, "MAX_ANSWER", 100)
    shutil.copy(ROOT / "events.csv", tmp_path / "events.csv")  # a cache of its own, with no answer kept
    server = serve_events(tmp_path / "events.csv")
    statuses = []
    page.page.on("response", lambda r: "/_timeline/first" in r.url and statuses.append(r.status))
    open_page(page, server.url)
    page.page.wait_for_function("() => !document.getElementById('first-paint')")
    assert statuses == [204]
    assert page.page.inner_text("#event-count") == "33 events"
    assert_clean(page)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_dash_takes_the_copys_place_where_it_stood(serve_events, browser, viewport):
    """The copy and Dash's page lay the chart out in the same place: the page does not move."""
    server = serve_events(ROOT / "events.csv")
    context = browser.new_context(viewport=viewport)
    try:
        tab = context.new_page()
        held = HeldFigure(tab)
        tab.goto(server.url)
        tab.wait_for_function(COPY_DRAWN)
        where = """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                            return [r.x, r.y, r.width, r.height]; }"""
        copy = [tab.evaluate(where, f'#first-paint [data-first="{name}"]') for name in ("chart-box", "event-count")]
        held.release(tab)
        tab.wait_for_function("() => !document.getElementById('first-paint')")
        assert [tab.evaluate(where, f"#{name}") for name in ("chart-box", "event-count")] == copy
    finally:
        context.close()
