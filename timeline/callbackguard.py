"""Dash's callback endpoint, strict about the shape of what it is sent.

Dash answers a body it cannot take apart (``null``, a list, an unknown output, inputs
of the wrong length, nesting too deep for ``json``) with a 500 and a traceback in the
log. Such a request is the client's mistake: it gets a 400 naming what is wrong, and
the server log stays for real faults. The values inside a well-shaped body are each
callback's business (see ``timeline.app``), which treats nonsense as no change.
"""

from __future__ import annotations

import json

from dash import Dash
from flask import Response, request

ENDPOINT = "_dash-update-component"
# Far above what the page sends (a few KB), far below what would cost the server time.
MAX_BODY = 1_000_000


class Malformed(ValueError):
    pass


def guard_callbacks(app: Dash) -> None:
    """Answer malformed bodies posted to Dash's callback endpoint with 400 before Dash sees them,
    and bodies over MAX_BODY (to any route) with 413 before they are read."""
    server = app.server
    # Flask refuses a larger Content-Length unread, and stops a chunked body at the limit;
    # without it a 2 GB body was read whole into memory, then refused for its size.
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    for rule in server.url_map.iter_rules():
        if rule.rule.endswith("/" + ENDPOINT):
            view = server.view_functions[rule.endpoint]
            server.view_functions[rule.endpoint] = _guarded(view, app)


def _guarded(view, app: Dash):
    def dispatch(*args, **kwargs):
        raw = request.get_data(cache=True)
        if request.content_length is None and len(raw) >= MAX_BODY:
            # A body sent in chunks stops at the limit unread beyond it, but whole as far as Flask knows.
            return Response(f"request body over {MAX_BODY:,} bytes\n", status=413, mimetype="text/plain")
        try:
            check_body(raw, app.callback_map)
        except Malformed as problem:
            return Response(f"malformed callback request: {problem}\n", status=400, mimetype="text/plain")
        return view(*args, **kwargs)

    dispatch.__name__ = getattr(view, "__name__", "dispatch")
    return dispatch


def check_body(raw: bytes, callbacks: dict) -> None:
    """Raise Malformed unless ``raw`` is a callback request Dash can take apart for ``callbacks``."""
    if len(raw) > MAX_BODY:
        raise Malformed(f"body over {MAX_BODY:,} bytes")
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise Malformed("body is not JSON") from None
    if not isinstance(body, dict):
        raise Malformed("body is not a JSON object")
    key = body.get("output")
    spec = callbacks.get(key) if isinstance(key, str) else None
    if spec is None or "callback" not in spec:  # clientside callbacks run in the browser only
        raise Malformed("no server callback has this output")
    outputs = body.get("outputs")
    if key.startswith(".."):
        if not isinstance(outputs, list) or not all(_is_prop(o) for o in outputs):
            raise Malformed('"outputs" is not a list of {id, property}')
    elif not _is_prop(outputs):
        raise Malformed('"outputs" is not {id, property}')
    for part in ("inputs", "state"):
        items = body.get(part, [])
        if not isinstance(items, list) or len(items) != len(spec[part]):
            raise Malformed(f'"{part}" is not a list of {len(spec[part])}')
        for item, expected in zip(items, spec[part]):
            wildcard = expected["id"].startswith("{")
            if wildcard:
                if not isinstance(item, list) or not all(_is_prop(i) and isinstance(i["id"], dict) for i in item):
                    raise Malformed(f'"{part}": a pattern input is not a list of {{id, property, value}}')
            elif not _is_prop(item) or not isinstance(item["id"], str):
                raise Malformed(f'"{part}": an item is not {{id, property, value}}')
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) and _is_prop_id(c) for c in changed):
        raise Malformed('"changedPropIds" is not a list of "id.property"')


def _is_prop(item) -> bool:
    return isinstance(item, dict) and isinstance(item.get("id"), (str, dict)) and isinstance(item.get("property"), str)


def _is_prop_id(text: str) -> bool:
    """``"id.property"``, with a pattern id as JSON (what Dash's ``triggered_id`` parses back)."""
    head, dot, prop = text.rpartition(".")
    if not dot or not head or not prop:
        return False
    if head.startswith("{"):
        try:
            return isinstance(json.loads(head), dict)
        except (ValueError, RecursionError):
            return False
    return True
