"""The figure callback's answers: computed once per (data version, request) for every worker,
recomputed when the data changes, in a folder that never holds more than its bound."""

from __future__ import annotations

import gzip
import json
import os

import pytest

from timeline import app as page
from timeline import figcache

URL = "/_dash-update-component"
SMALL = "date,title,actors\n2025-11-20,Talks,Ukraine\n2025-11-21,Plan,United States\n"


def render_body(app, search: str, width: int = 1200) -> bytes:
    """What the page posts for the figure when the address changes."""
    key = next(k for k in app.callback_map if k.startswith(figcache.CACHED_OUTPUT))
    spec = app.callback_map[key]
    values = {("url", "search"): search, ("chart-size", "data"): {"width": width, "height": 700}}
    return json.dumps({
        "output": key,
        "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
        "inputs": [{"id": i["id"], "property": i["property"], "value": values.get((i["id"], i["property"]))}
                   for i in spec["inputs"]],
        "state": [{"id": s["id"], "property": s["property"]} for s in spec.get("state", [])],
        "changedPropIds": ["url.search"],
    }).encode()


@pytest.fixture
def workers(tmp_path, monkeypatch):
    """Two apps on one events file, as two gunicorn workers: separate memory, one state folder;
    and a count of the figures they compute."""
    monkeypatch.setenv("TIMELINE_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr(figcache, "ENTRIES", 4)
    computed = []
    real = page.figure_spec
    monkeypatch.setattr(page, "figure_spec", lambda *a, **k: computed.append(1) or real(*a, **k))
    path = tmp_path / "events.csv"
    path.write_text(SMALL, encoding="utf-8")
    apps = [page.create_app(str(path)) for _ in range(2)]
    return path, apps, computed


def post(app, body: bytes, encoding: str = "gzip"):
    response = app.server.test_client().post(URL, data=body, content_type="application/json",
                                             headers={"Accept-Encoding": encoding})
    assert response.status_code == 200
    data = response.get_data()
    return json.loads(gzip.decompress(data) if response.headers.get("Content-Encoding") == "gzip" else data)


def test_one_view_is_computed_once_for_every_worker(workers):
    _, (first, second), computed = workers
    body = render_body(first, "?lanes=actors")
    answers = [post(first, body), post(second, body), post(second, body, "identity"), post(first, body)]
    assert len(computed) == 1
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["response"]["event-count"]["children"] == "2 events"


def test_a_new_data_version_or_another_view_is_computed_afresh(workers):
    path, (first, second), computed = workers
    post(first, render_body(first, "?lanes=actors"))
    post(second, render_body(second, "?lanes=kinds"))
    post(second, render_body(second, "?lanes=actors", width=900))
    assert len(computed) == 3
    path.write_text(SMALL + "2025-11-22,More,Ukraine\n", encoding="utf-8")
    os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 10**9))
    answer = post(second, render_body(second, "?lanes=actors"))
    assert len(computed) == 4 and answer["response"]["event-count"]["children"] == "3 events"


def test_the_cache_folder_is_bounded(workers, tmp_path):
    _, (first, _), computed = workers
    for i in range(12):
        post(first, render_body(first, f"?q=word{i}"))
    assert len(computed) == 12
    folder = next((tmp_path / "state").glob("*/figures"))
    entries = os.listdir(folder)
    assert 0 < len(entries) <= figcache.ENTRIES


def test_other_callbacks_and_refused_bodies_are_not_cached(workers, tmp_path):
    _, (first, _), _ = workers
    client = first.server.test_client()
    before = sorted((tmp_path / "state").glob("*/figures/*"))
    assert client.post(URL, data=b"null", content_type="application/json").status_code == 400
    spec = first.callback_map["selected-event.data"]
    body = json.dumps({"output": "selected-event.data", "outputs": {"id": "selected-event", "property": "data"},
                       "inputs": [[] if i["id"].startswith("{") else
                                  {"id": i["id"], "property": i["property"], "value": 1} for i in spec["inputs"]],
                       "changedPropIds": ["close-details.n_clicks"]})
    assert client.post(URL, data=body, content_type="application/json").status_code == 200
    assert sorted((tmp_path / "state").glob("*/figures/*")) == before


def test_what_drawing_freed_is_given_back_once_the_answer_is_sent(workers, monkeypatch):
    _, (first, second), computed = workers
    released = []
    monkeypatch.setattr(figcache, "release_freed", lambda: released.append(1))
    body = render_body(first, "?kind=talks")
    client = first.server.test_client()
    response = client.post(URL, data=body, content_type="application/json")
    assert response.headers[figcache.HEADER] == "miss" and released == []  # not while the reader waits
    response.close()
    assert released == [1]
    client.post(URL, data=body, content_type="application/json").close()  # a hit drew nothing
    assert released == [1] and len(computed) == 1
