"""The page's first paint as HTML: the layout's elements and classes, no ids, controls as boxes,
everything escaped; and the bound on what is sent twice."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from dash import dcc, html

from timeline import firstpaint
from timeline.app import _layout
from timeline.components import banner
from timeline.problems import Problem

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = '</div><script>alert(1)</script><!-- " onmouseover="alert(2)'


@pytest.fixture(scope="module")
def page():
    return firstpaint.page_html(_layout("Diplomatic timeline", "events.csv", [], 7), "/app/")


def test_the_copy_has_the_pages_elements_and_classes_and_no_ids(page):
    assert page.startswith('<div id="first-paint" class="first-paint" inert aria-hidden="true" data-prefix="/app/">')
    assert re.findall(r"\sid=", page) == [" id="]  # the copy's own; Dash's page has the rest
    for name in ("page", "filters", "event-count", "chart-box", "timeline-graph", "event-list", "order-newest"):
        assert f'data-first="{name}"' in page
    assert '<details data-first="filters" class="filters" open>' in page
    assert '<div data-first="data-error" class="banner" hidden role="alert"></div>' in page
    assert '<section class="controls" aria-label="Filters">' in page
    # Nothing that names another element by id, nothing Dash keeps out of sight.
    assert not re.search(r"\s(for|aria-describedby|aria-labelledby)=", page)
    assert "address-rules" not in page and "Loading" not in page


def test_dashs_controls_are_boxes_showing_what_they_show_before_a_choice(page):
    assert '<div class="first-box first-menu"><span>All kinds</span></div>' in page
    assert '<div class="first-box"><span>From → To</span></div>' in page
    assert '<div class="first-box first-input"><span>Titles, notes</span></div>' in page
    assert ('<div data-first="lane-mode" class="first-radios "><label><input type="radio" checked>states'
            '</label><label><input type="radio">actors</label>') in page
    assert '<a data-first="order-oldest" href="" class="order-link">Oldest first</a>' in page


@pytest.mark.parametrize("node", [
    html.H1(HOSTILE),
    html.Div(HOSTILE, className=HOSTILE, title=HOSTILE, id=HOSTILE, **{"aria-label": HOSTILE}),
    html.A(HOSTILE, href=HOSTILE),
    dcc.Dropdown(placeholder=HOSTILE),
    dcc.RadioItems(options=[{"label": HOSTILE, "value": "a"}], value="a", className=HOSTILE, id=HOSTILE),
    dcc.DatePickerRange(start_date_placeholder_text=HOSTILE),
    dcc.Input(placeholder=HOSTILE),
])
def test_every_text_and_attribute_is_escaped(node):
    text = firstpaint.static_html(node)
    assert "<script" not in text and "<!--" not in text and "</div><" not in text.replace("</div></div>", "")
    assert '" onmouseover' not in text and "&quot; onmouseover=&quot;alert(2)" in text


def test_the_banner_is_escaped_as_the_rest():
    problem = Problem("events.csv", 4, "title", HOSTILE)
    text = firstpaint.banner_html(banner((problem,), "/srv/data/events.csv"))
    assert text.startswith("<strong>events.csv has 1 error") and "<script" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert firstpaint.banner_html([]) == ""


def test_an_answer_is_sent_gzipped_unless_too_large(monkeypatch):
    outputs = {"figure": {"data": [], "layout": {"title": HOSTILE}}, "count": "2 events"}
    packed = firstpaint.answer_bytes(outputs)
    assert json.loads(gzip.decompress(packed)) == outputs
    monkeypatch.setattr(firstpaint, "MAX_ANSWER", len(packed) - 1)
    assert firstpaint.answer_bytes(outputs) is None


def test_the_controls_show_the_view_of_the_address(tmp_path):
    from timeline.app import create_app

    app = create_app(str(ROOT / "events.csv"))
    index = app.server.test_client().get("/?kind=talks&kind=meeting&lanes=actors&q=Geneva&from=2025-11-01")
    copy = index.get_data(as_text=True).split('id="react-entry-point"')[0]
    assert '<div class="first-box first-menu first-chosen"><span>2 selected</span></div>' in copy
    assert '<div class="first-box first-chosen"><span>1 Nov 2025 → To</span></div>' in copy
    assert '<div class="first-box first-input first-chosen"><span>Geneva</span></div>' in copy
    assert '<label><input type="radio">states</label><label><input type="radio" checked>actors</label>' in copy
    assert '<div class="first-box first-menu"><span>Any status</span></div>' in copy
    one = app.server.test_client().get("/?status=planned").get_data(as_text=True)
    assert '<div class="first-box first-menu first-chosen"><span>planned</span></div>' in one
