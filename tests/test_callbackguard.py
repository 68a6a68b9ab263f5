"""Requests to the callback endpoint that no browser sends: 400 for a body Dash cannot take
apart, and for well-shaped bodies with nonsense values, an answer that is never a 500."""

from __future__ import annotations

import json
import logging
import random

import pytest

from timeline.app import create_app
from timeline.callbackguard import MAX_BODY, Malformed, check_body

URL = "/_dash-update-component"
# A callback map of the shape Dash keeps (app.callback_map), with a pattern-matching input, so the
# table does not depend on the page's callbacks of the day.
CALLBACKS = {
    "selected-event.data": {
        "callback": object(),
        "inputs": [{"id": "timeline-graph", "property": "clickData"},
                   {"id": '{"index":["ALL"],"type":"event-item"}', "property": "n_clicks"},
                   {"id": "close-details", "property": "n_clicks"}],
        "state": [],
    },
    "chart-size.data": {"inputs": [{"id": "url", "property": "pathname"}], "state": []},  # clientside
}
SELECT = {"output": "selected-event.data", "outputs": {"id": "selected-event", "property": "data"}}
CLICK_INPUTS = [{"id": "timeline-graph", "property": "clickData", "value": None},
                [{"id": {"type": "event-item", "index": 3}, "property": "n_clicks", "value": 1}],
                {"id": "close-details", "property": "n_clicks", "value": None}]


def select(**changes) -> bytes:
    return json.dumps({**SELECT, "inputs": CLICK_INPUTS, "changedPropIds": ["close-details.n_clicks"],
                       **changes}).encode()


MALFORMED = [
    pytest.param(b"", id="empty"),
    pytest.param(b"null", id="null"),
    pytest.param(b"[]", id="list"),
    pytest.param(b"{}", id="empty-object"),
    pytest.param(b"1", id="number"),
    pytest.param(b'"x"', id="string"),
    pytest.param(b"{", id="cut"),
    pytest.param(b"\xff\xfe", id="not-utf8"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deep-lists"),
    pytest.param(b'{"a":' * 50_000 + b"1" + b"}" * 50_000, id="deep-objects"),
    pytest.param(b" " * (MAX_BODY + 1), id="huge"),
    pytest.param(b'{"output": 1}', id="output-number"),
    pytest.param(b'{"output": "nothing.data"}', id="unknown-output"),
    pytest.param(json.dumps({"output": "chart-size.data", "outputs": {"id": "chart-size", "property": "data"},
                             "inputs": [{"id": "url", "property": "pathname", "value": "/"}]}).encode(),
                 id="clientside-output"),
    pytest.param(select(outputs=1), id="outputs-number"),
    pytest.param(select(outputs=[{"id": "selected-event", "property": "data"}]), id="outputs-list"),
    pytest.param(select(inputs="x"), id="inputs-string"),
    pytest.param(select(inputs=None), id="inputs-null"),
    pytest.param(select(inputs=[1, 2, 3]), id="inputs-numbers"),
    pytest.param(select(inputs=CLICK_INPUTS[:2]), id="inputs-too-few"),
    pytest.param(select(inputs=[CLICK_INPUTS[0], {"id": "x", "property": "n_clicks"}, CLICK_INPUTS[2]]),
                 id="pattern-input-not-a-list"),
    pytest.param(select(inputs=[CLICK_INPUTS[0], [{"id": "x", "property": "n_clicks"}], CLICK_INPUTS[2]]),
                 id="pattern-input-plain-id"),
    pytest.param(select(inputs=[{"id": 5, "property": "clickData"}, *CLICK_INPUTS[1:]]), id="input-id-number"),
    pytest.param(select(inputs=[{"id": "timeline-graph"}, *CLICK_INPUTS[1:]]), id="input-no-property"),
    pytest.param(select(state=[{"id": "x", "property": "y"}]), id="state-too-many"),
    pytest.param(select(changedPropIds="close-details.n_clicks"), id="changed-string"),
    pytest.param(select(changedPropIds=[None]), id="changed-null"),
    pytest.param(select(changedPropIds=["nodot"]), id="changed-no-dot"),
    pytest.param(select(changedPropIds=["{bad.n_clicks"]), id="changed-bad-pattern"),
    pytest.param(select(changedPropIds=["[1].n_clicks", "{"]), id="changed-bad-json"),
]


@pytest.fixture(scope="module")
def app(root):
    app = create_app(str(root / "events.csv"))
    app.server.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def callbacks(app):
    return app.callback_map


@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_bodies_are_refused(body):
    with pytest.raises(Malformed):
        check_body(body, CALLBACKS)


def test_the_page_s_own_body_is_taken():
    check_body(select(), CALLBACKS)


def well_formed(callbacks, output: str) -> dict:
    """The body the page posts for ``output``'s callback, every value empty."""
    spec = callbacks[output]
    outputs = [{"id": o.component_id, "property": o.component_property}
               for o in (spec["output"] if isinstance(spec["output"], list) else [spec["output"]])]
    items = lambda part: [[] if i["id"].startswith("{") else {"id": i["id"], "property": i["property"], "value": None}  # noqa: E731
                          for i in spec[part]]
    first = spec["inputs"][0]
    return {"output": output, "outputs": outputs if output.startswith("..") else outputs[0],
            "inputs": items("inputs"), "state": items("state"),
            "changedPropIds": [f"{first['id']}.{first['property']}"]}


ENDPOINT_MALFORMED = [
    pytest.param(lambda body: b"null", id="null"),
    pytest.param(lambda body: b"[" * 100_000 + b"]" * 100_000, id="deep-lists"),
    pytest.param(lambda body: b'{"output": "nothing.data"}', id="unknown-output"),
    pytest.param(lambda body: json.dumps({**body, "inputs": body["inputs"][:-1]}).encode(), id="inputs-too-few"),
    pytest.param(lambda body: json.dumps({**body, "inputs": [1] * len(body["inputs"])}).encode(), id="inputs-numbers"),
    pytest.param(lambda body: json.dumps({**body, "changedPropIds": ["{bad.x"]}).encode(), id="changed-bad-pattern"),
    pytest.param(lambda body: json.dumps({**body, "outputs": 1}).encode(), id="outputs-number"),
]


@pytest.mark.parametrize("spoil", ENDPOINT_MALFORMED)
@pytest.mark.parametrize("output", ["selected-event.data", "data-version.data"])
def test_malformed_bodies_are_answered_400_without_a_traceback(client, callbacks, caplog, spoil, output):
    with caplog.at_level(logging.ERROR):
        response = client.post(URL, data=spoil(well_formed(callbacks, output)), content_type="application/json")
    assert response.status_code == 400
    assert response.data.startswith(b"malformed callback request: ")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_well_formed_body_still_reaches_the_callback(client, callbacks):
    body = well_formed(callbacks, "selected-event.data")
    body["inputs"] = [{**i, "value": 1} if isinstance(i, dict) and i["id"] == "close-details" else i
                      for i in body["inputs"]]
    body["changedPropIds"] = ["close-details.n_clicks"]
    response = client.post(URL, data=json.dumps(body).encode(), content_type="application/json")
    assert response.status_code == 200
    assert json.loads(response.data)["response"]["selected-event"]["data"] is None


# Values no control of the page produces: wrong types, digits that are not ASCII, empty and
# nested containers, template text, numbers past any range, huge addresses.
NONSENSE = [
    None, 0, -1, 1.5, 1e308, True, 2**80, "", "x", "²", "٣", "1²", "9" * 400, "%{z}", "<b>", [], {}, [None], [1],
    ["x", 2], [[]], [{}], {"a": 1}, {"points": []}, {"points": None}, {"points": [None]}, {"points": [{}]},
    {"points": [{"customdata": ["²"]}]}, {"points": [{"customdata": "1"}]}, {"points": [{"customdata": [["1"]]}]},
    {"points": [{"customdata": [1e308]}]}, {"xaxis.range[0]": None}, {"xaxis.range": [1, 2]},
    {"xaxis.range[0]": "2025-13-99", "xaxis.range[1]": []}, {"xaxis.range[0]": 1e300, "xaxis.range[1]": -1e300},
    {"xaxis.autorange": "x"}, {"width": "x", "height": []}, {"width": 1e300, "height": -5},
    {"scale": "x"}, {"x0": None, "breaks": [[1]]}, "?actor=%ff&window=x..y", "?window=9999-01-01..0001-01-01",
    "?from=²&to=٣&lanes=x&axis=y&match=z", "?" + "actor=a&" * 2000, "?view=report&q=%{z}",
]


def bodies(callbacks, rng: random.Random):
    """For each server callback and each of its inputs and states, every nonsense value in turn
    (the others at nonsense picked by ``rng``), then as many requests with every value random."""
    for key, spec in callbacks.items():
        if "callback" not in spec:
            continue
        outputs = [{"id": o.component_id, "property": o.component_property}
                   for o in (spec["output"] if isinstance(spec["output"], list) else [spec["output"]])]
        items = spec["inputs"] + spec["state"]
        for position in [*range(len(items))] * len(NONSENSE) + [None] * 200:
            values = [rng.choice(NONSENSE) for _ in items]
            if position is not None:
                values[position] = NONSENSE[(position * 7 + rng.randrange(len(NONSENSE))) % len(NONSENSE)]
            parts = []
            for item, value in zip(items, values):
                if item["id"].startswith("{"):
                    parts.append([{"id": {"type": "event-item", "index": value}, "property": item["property"],
                                   "value": rng.choice(NONSENSE)}])
                else:
                    parts.append({"id": item["id"], "property": item["property"], "value": value})
            trigger = items[position if position is not None else rng.randrange(len(items))]
            changed = '{"index":3,"type":"event-item"}' if trigger["id"].startswith("{") else trigger["id"]
            yield key, json.dumps({
                "output": key, "outputs": outputs if key.startswith("..") else outputs[0],
                "inputs": parts[:len(spec["inputs"])], "state": parts[len(spec["inputs"]):],
                "changedPropIds": [f"{changed}.{trigger['property']}"],
            }).encode()


def test_nonsense_values_never_make_a_callback_fail(client, callbacks, caplog):
    failures = []
    with caplog.at_level(logging.ERROR):
        for key, body in bodies(callbacks, random.Random(7)):
            response = client.post(URL, data=body, content_type="application/json")
            if response.status_code >= 500:
                failures.append((key, body[:300]))
    assert failures == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
