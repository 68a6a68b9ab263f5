"""Other people's files on the page, at 1280x800 and on a 390 px phone: the drawn chart's texts,
measured in the browser, overlap no other and stay on the chart.

The measure is the one a reader's eye makes (and ../shared/tools/text_overlaps.py makes): every
visible text element's box; two overlap when they share more than 2x2 px and 15% of the smaller.
"""

from __future__ import annotations

import os

import pytest
from test_app import ROOT, assert_clean, open_page, screenshots_dir

import awkwardfiles
from conftest import BrowserPage

pytestmark = pytest.mark.browser

MEASURE = r"""(root) => {
  const texts = [...root.querySelectorAll('text')].filter(t => {
    const s = getComputedStyle(t);
    if (s.display === 'none' || s.visibility === 'hidden' || +s.opacity === 0) return false;
    for (let e = t; e && e !== root; e = e.parentElement) {
      const o = e.getAttribute && e.getAttribute('opacity'); if (o !== null && +o === 0) return false; }
    return (t.textContent || '').trim().length > 0; });
  const c = root.getBoundingClientRect();
  const boxes = texts.map(t => { const r = t.getBoundingClientRect();
    return {x0: r.left, x1: r.right, y0: r.top, y1: r.bottom, s: t.textContent.trim().slice(0, 60)}; })
    .filter(b => b.x1 > b.x0 && b.y1 > b.y0);
  const overlaps = [], outside = [];
  for (const b of boxes)
    if (b.x0 < c.left - 1 || b.x1 > c.right + 1 || b.y0 < c.top - 1 || b.y1 > c.bottom + 1) outside.push(b.s);
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0), h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
    if (w > 2 && h > 2 && w * h > 0.15 * Math.min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0)))
      overlaps.push(a.s + '  |  ' + b.s);
  }
  return {n: boxes.length, overlaps, outside};
}"""

FILES = {
    "tweets": lambda folder: awkwardfiles.tweets(folder / "tweets.csv"),
    "many_lanes": lambda folder: awkwardfiles.many_lanes(folder / "lanes.csv"),
    "wide_glyphs": lambda folder: awkwardfiles.wide_glyphs(folder / "wide.csv"),
    "events": lambda folder: ROOT / "events.csv",
}


def measure(page) -> dict:
    page.page.wait_for_function(
        "() => { const g = document.querySelector('#timeline-graph .js-plotly-plot');"
        " return g && g.layout && g.layout.meta && g.querySelector('.annotation'); }")
    return page.page.evaluate("(" + MEASURE + ")(document.querySelector('#timeline-graph .js-plotly-plot'))")


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["1280x800", "390x844"])
@pytest.mark.parametrize("name", FILES)
def test_no_text_on_the_chart_overlaps_or_leaves_it(browser, serve_events, tmp_path, name, viewport):
    width, height = viewport
    server = serve_events(FILES[name](tmp_path))
    phone = width < 700
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    page = BrowserPage(context.new_page(), None)
    page.page.set_default_timeout(30_000)
    try:
        open_page(page, server.url)
        if phone:
            page.page.locator("a.switch-link", has_text="Chart").click()
        found = measure(page)
        page.page.locator("#chart-box").screenshot(
            path=os.path.join(screenshots_dir(tmp_path), f"awkward-{name}-{width}.png"))
        assert found["n"] > 10, "a chart with its texts"
        assert found["overlaps"] == [], found["overlaps"][:10]
        assert found["outside"] == [], found["outside"][:10]
        assert_clean(page)
    finally:
        context.close()


def test_the_details_panel_covers_no_control_and_no_chart(serve_events, page):
    server = serve_events(ROOT / "events.csv")
    open_page(page, server.url)
    before = page.page.evaluate("() => document.querySelector('#timeline-graph .js-plotly-plot').layout.width")
    page.page.locator("#timeline-graph .scatterlayer .point").nth(3).click(force=True)
    page.page.wait_for_selector("#event-details:not([hidden])")
    # The chart is laid out again for the narrower page.
    page.page.wait_for_function(
        "w => document.querySelector('#timeline-graph .js-plotly-plot').layout.width < w", arg=before)
    covered = page.page.evaluate("""() => {
      const d = document.querySelector('#event-details').getBoundingClientRect();
      return [...document.querySelectorAll('.controls .field, .toolbar a, .toolbar button, #chart-box')]
        .filter(e => { const r = e.getBoundingClientRect();
                       return r.right > d.left && r.left < d.right && r.bottom > d.top && r.top < d.bottom; })
        .map(e => e.id || e.className); }""")
    assert covered == []
    assert measure(page)["overlaps"] == []
    assert_clean(page)
