"""The page's delivery: compressed responses, static files the browser keeps between visits,
no bundle the page does not use, and a console with nothing in it.

The sizes and times of a first visit are measured by benchmarks/first_load.py; these tests
check the mechanisms that make them small.
"""

from __future__ import annotations

import gzip
import json
import re

import pytest

from conftest import ROOT
from timeline.app import ON_DEMAND, create_app

FINGERPRINTED = re.compile(r"\.v[0-9a-z_]+m\d+\.")
# Pages a reader reaches by an address: the default, a filtered view, linear time with rows per
# kind, and the report view.
PAGES = ("", "?actor=Ukraine&kind=talks", "?axis=time&lanes=kinds", "?view=report")


@pytest.fixture(scope="module")
def client():
    return create_app(str(ROOT / "events.csv")).server.test_client()


def page_files(client) -> list[str]:
    index = client.get("/").get_data(as_text=True)
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', index)


def test_the_figure_callback_says_whether_the_cache_answered(tmp_path, monkeypatch):
    # Benchmarks time a reader's first view apart from a shared link's; the header tells them which.
    import json

    from timeline import figcache

    monkeypatch.setenv("TIMELINE_STATE_DIR", str(tmp_path / "state"))
    (tmp_path / "events.csv").write_text("date,title,actors\n2025-11-20,Talks,Ukraine\n", encoding="utf-8")
    app = create_app(str(tmp_path / "events.csv"))
    key = next(k for k in app.callback_map if k.startswith(figcache.CACHED_OUTPUT))
    spec = app.callback_map[key]
    body = json.dumps({
        "output": key, "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
        "inputs": [{"id": i["id"], "property": i["property"], "value": "?kind=talks" if i["id"] == "url" else None}
                   for i in spec["inputs"]],
        "state": [{"id": s["id"], "property": s["property"]} for s in spec.get("state", [])],
        "changedPropIds": ["url.search"],
    }).encode()
    client = app.server.test_client()
    answers = [client.post("/_dash-update-component", data=body, content_type="application/json",
                           headers={"Accept-Encoding": encoding}) for encoding in ("gzip", "gzip", "identity")]
    assert [a.headers.get(figcache.HEADER) for a in answers] == ["miss", "hit", "hit"]
    assert json.loads(answers[2].get_data()) == json.loads(gzip.decompress(answers[1].get_data()))


def test_the_page_does_not_ask_for_the_datatable_bundle(client):
    files = page_files(client)
    assert any("/dash-renderer/" in f for f in files) and any("/dcc/" in f for f in files)
    assert not [f for f in files if "dash_table" in f]


def test_fingerprinted_bundles_and_versioned_assets_are_kept_for_a_year(client):
    files = [f for f in page_files(client) if f.startswith(("/_dash-component-suites/", "/assets/"))]
    assert any(f.startswith("/assets/") for f in files)
    # The chunks the page preloads are asked for by name, as the components ask (the next test).
    for url in (f for f in files if f.rsplit("/", 1)[1] not in ON_DEMAND):
        response = client.get(url)
        assert response.status_code == 200, url
        assert FINGERPRINTED.search(url) or "?m=" in url, url
        assert response.cache_control.max_age == 31536000, url
        assert response.cache_control.public and "immutable" in response.headers["Cache-Control"], url


def test_on_demand_chunks_are_revalidated_with_their_etag(client):
    # The components' chunks are fetched by name, with no version in the address.
    url = "/_dash-component-suites/dash/dcc/async-graph.js"
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200
    assert first.cache_control.no_cache and first.headers["ETag"]
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_responses_are_compressed_and_static_files_compressed_once(client):
    url = "/_dash-component-suites/dash/dcc/dash_core_components.js"
    plain = client.get(url).get_data()
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.get_data()) == plain
    assert len(first.get_data()) < len(plain) / 3
    second = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert second.get_data() == first.get_data()
    layout = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert layout.headers["Content-Encoding"] == "gzip"
    assert "Cache-Control" not in layout.headers or "max-age" not in layout.headers["Cache-Control"]


def test_made_up_addresses_of_one_file_share_one_compressed_copy(client):
    from flask import request

    from timeline.serving import _static_key

    app = client.application
    real = "/_dash-component-suites/dash/dash-renderer/build/dash_renderer.v4_4_1m1795892635.min.js"
    keys = set()
    for url in (real, real + "?x=1", real.replace("m1795892635", "m1"), real.replace("v4_4_1", "v9")):
        with app.test_request_context(url):
            keys.add(_static_key(request))
    assert keys == {"/_dash-component-suites/dash/dash-renderer/build/dash_renderer.min.js"}
    for url, method in (("/_dash-layout", "GET"), ("/_dash-update-component", "POST"), ("/assets/x.css?m=1", "GET")):
        with app.test_request_context(url, method=method):
            assert _static_key(request) == ""


@pytest.mark.browser
def test_no_console_message_and_nothing_unused_on_any_page(serve_events, browser):
    server = serve_events(ROOT / "events.csv")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        messages: list[str] = []
        requested: list[str] = []
        page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
        page.on("request", lambda r: requested.append(r.url))
        for query in PAGES:
            page.goto(server.url + query)
            page.wait_for_selector("#timeline-graph .main-svg")
            page.wait_for_load_state("networkidle")
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        try:
            small = phone.new_page()
            small.on("console", lambda m: messages.append(f"phone {m.type}: {m.text}"))
            small.on("pageerror", lambda error: messages.append(f"phone pageerror: {error}"))
            small.goto(server.url)
            small.wait_for_function("() => / events$/.test((document.querySelector('#event-count') || {}).textContent)")
            small.wait_for_load_state("networkidle")
        finally:
            phone.close()
        assert messages == []
        assert not [url for url in requested if "dash_table" in url]
        # The page's own plotly.js bundle, never Dash's full one as well.
        assert any("/assets/plotly-timeline.min.js" in url for url in requested)
        assert not [url for url in requested if "plotly.min.js" in url]
    finally:
        context.close()


@pytest.mark.browser
def test_a_return_visit_takes_the_bundles_from_the_browser_cache(serve_events, browser):
    server = serve_events(ROOT / "events.csv")
    served: list[tuple[str, int]] = []

    inner = server.app.server.wsgi_app

    def record(environ, start_response):
        # As the browser gets it: after Flask-Compress has answered "not modified".
        def start(status, headers, *exc_info):
            served.append((environ["PATH_INFO"], int(status.split()[0])))
            return start_response(status, headers, *exc_info)

        return inner(environ, start)

    server.app.server.wsgi_app = record

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        for _ in range(2):
            first = len(served)
            page.goto(server.url)
            page.wait_for_selector("#timeline-graph .main-svg")
            page.wait_for_load_state("networkidle")
            page.goto("about:blank")
        static = [(path, status) for path, status in served[first:]
                  if "/_dash-component-suites/" in path or "/assets/" in path]
        # Each file either stays in the cache unasked or is answered "not modified", body-less.
        assert static and all(status == 304 for _, status in static), static
        assert any("plotly-timeline.min.js" in path for path, _ in served[:first])
    finally:
        context.close()


# --- the first paint (timeline.firstpaint) ----------------------------------------------------

def test_the_index_draws_its_first_paint_before_dashs_scripts_run(client):
    from timeline.serving import EARLY_ASSETS, PLOTLY_LOADED

    index = client.get("/").get_data(as_text=True)
    root = index.index('id="react-entry-point"')
    places = [index.index('<div id="first-paint"'), *(index.index(f'src="{path}') for path in EARLY_ASSETS),
              index.index(PLOTLY_LOADED), root]
    assert places == sorted(places)
    # Dash's scripts wait in a template, asked for in their order once the first paint has drawn.
    template = index[index.index('<template id="dash-scripts">'):index.index("</template>")]
    kept = re.findall(r'<script src="([^"]+)"', template)
    assert re.findall(r'<script src="([^"]+)"', index[root:]) == kept
    assert any("dash_renderer" in src for src in kept) and not any(p in src for src in kept for p in EARLY_ASSETS)
    assert "new DashRenderer()" in index[index.index("</template>"):]


def test_without_a_first_paint_dashs_scripts_are_tags_as_dash_writes_them(tmp_path):
    from dash import html

    from timeline.serving import PageDash

    app = PageDash(__name__, assets_folder=str(ROOT / "assets"), serve_locally=True)
    app.layout = html.Div("a page")
    index = app.server.test_client().get("/").get_data(as_text=True)
    assert "first-paint" not in index and "<template" not in index
    assert 'var renderer = new DashRenderer();' in index
    assert index.index("plotly-timeline.min.js") > index.index("react-entry-point")


def first(client, query: str, encoding: str = "gzip"):
    response = client.get(f"/_timeline/first?{query}", headers={"Accept-Encoding": encoding})
    data = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return response, json.loads(data) if response.status_code == 200 else None


def test_the_first_answer_is_the_render_callbacks_for_the_address_and_room_asked(tmp_path, monkeypatch):
    from test_figcache import post, render_body

    monkeypatch.setenv("TIMELINE_STATE_DIR", str(tmp_path / "state"))
    app = create_app(str(ROOT / "events.csv"))
    client = app.server.test_client()
    query = "search=%3Fkind%3Dtalks%26lanes%3Dactors&width=900&height=700&phone=0"
    (zipped, answer), (plain, again) = first(client, query), first(client, query, "identity")
    assert zipped.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert zipped.mimetype == plain.mimetype == "application/json" and answer == again
    dash = post(app, render_body(app, "?kind=talks&lanes=actors", width=900))["response"]
    assert answer["figure"] == json.loads(json.dumps(dash["timeline-graph"]["figure"]))
    assert answer["count"] == dash["event-count"]["children"] and answer["list"] == dash["event-list-data"]["data"]
    assert answer["style"] == {"width": "900px", "height": dash["timeline-graph"]["style"]["height"]}
    assert answer["orders"] == {"oldest": "order-link active", "newest": "order-link"}
    assert answer["config"]["displaylogo"] is False and answer["banner"] == ""
    # A phone lists the newest first, as Dash's page does there.
    assert first(client, query.replace("phone=0", "phone=1"))[1]["orders"]["newest"] == "order-link active"


def test_a_view_is_drawn_once_for_the_first_paint_and_dashs_callback(tmp_path, monkeypatch):
    from test_figcache import post, render_body
    from timeline import app as page

    monkeypatch.setenv("TIMELINE_STATE_DIR", str(tmp_path / "state"))
    drawn = []
    real = page.figure_spec
    monkeypatch.setattr(page, "figure_spec", lambda *a, **k: drawn.append(a[1].to_query()) or real(*a, **k))
    app = create_app(str(ROOT / "events.csv"))
    client = app.server.test_client()
    answer = first(client, "search=%3Fkind%3Dtalks&width=1000&height=700&phone=0")[1]
    again = first(client, "search=%3Fkind%3Dtalks&width=1000&height=700&phone=0")[1]
    dash = post(app, render_body(app, "?kind=talks", width=1000))["response"]
    assert drawn == ["?kind=talks"] and answer == again
    assert dash["timeline-graph"]["figure"] == answer["figure"] and dash["event-list-data"]["data"] == answer["list"]
    # Another room, another view, or a view only Dash's callback asked for: drawn afresh.
    first(client, "search=%3Fkind%3Dtalks&width=900&height=700&phone=0")
    post(app, render_body(app, "?kind=meeting", width=1000))
    first(client, "search=%3Fkind%3Dmeeting&width=1000&height=700&phone=0")
    assert drawn == ["?kind=talks", "?kind=talks", "?kind=meeting", "?kind=meeting"]


@pytest.mark.parametrize("query, status", [("search=" + "x" * 20_000, 414), ("width=-5&height=abc", 200)])
def test_the_first_answer_is_bounded_and_takes_nonsense_for_the_defaults(client, query, status):
    from timeline.figure.style import DEFAULT_WIDTH

    response, answer = first(client, query)
    assert response.status_code == status
    if answer is not None:
        assert answer["figure"]["layout"]["width"] == DEFAULT_WIDTH


def test_a_kept_view_that_is_not_what_was_written_is_drawn_again(tmp_path):
    from timeline.app import _Views

    views = _Views(str(tmp_path / "state"))
    views.put(["a view"], {"figure": {"data": []}})
    assert views.get(["a view"]) == {"figure": {"data": []}} and views.get(["another"]) is None
    for planted in (b"not gzip", gzip.compress(b"not json")):
        (tmp_path / "state" / "views" / views.key(["a view"])).write_bytes(planted)
        assert views.get(["a view"]) is None
