"""The figure callback's answers, computed once per (data version, view) and shared by every worker.

A shared link read by many people asks the server for the same figure of the same data
again and again. The answer of Dash's callback endpoint for the figure callback depends
only on the request's body (the address, the chart's size, the selected event, the
trigger) and on the data the server holds, so it is kept under a key of both, in a
bounded folder of files inside the events file's private state folder
(:class:`timeline.private.BytesCache`): every gunicorn worker reads what any of them
computed. Entries are the answer's JSON bytes gzipped, as browsers take them, so a hit
costs a file read and no JSON work or compression. Nothing is ever unpickled (Flask-Caching's
file cache unpickled a count file in the folder before every write: a planted pickle ran
as the server's user).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import threading
from collections import OrderedDict
from pathlib import Path

from dash import Dash
from flask import request

from .callbackguard import MAX_BODY
from .private import BytesCache
from .shared import release_freed

# The figure callback: its output key starts so (Dash names multi-output callbacks "..a.b...c.d..").
CACHED_OUTPUT = "..timeline-graph.figure."
ENTRIES = 64  # the folder's bound, in answers; each is at most MAX_ENTRY
MAX_ENTRY = 8 * 1024 * 1024  # gzipped bytes; the 100,000-event figure is about 1 MB
ENDPOINT = "_dash-update-component"
# Says whether an answer of the figure callback came from the cache ("hit") or was computed
# ("miss"): benchmarks tell a reader's first view from a shared link's with it.
HEADER = "X-Figure-Cache"


def code_version() -> str:
    """The app's own code: a cache kept across an upgrade must not serve the old code's figures."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        info = path.stat()
        digest.update(f"{path.name}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def cache_figures(app: Dash, data_version, folder: str) -> BytesCache:
    """Serve the figure callback from a cache in ``folder`` shared by every worker.

    ``data_version()`` names the data the server holds now (the same in every worker). A
    cached answer is sent by a WSGI layer in front of Flask (no request object, no routing);
    a new one is computed by Dash and stored on its way out.
    """
    cache = BytesCache(os.path.join(folder, "figures"), entries=ENTRIES, max_entry=MAX_ENTRY)
    store = _Store(cache)
    code = code_version()
    key = lambda body: hashlib.sha256(f"{code}:{data_version()}:".encode() + body).hexdigest()  # noqa: E731
    server = app.server
    for rule in server.url_map.iter_rules():
        if rule.rule.endswith("/" + ENDPOINT):
            view = server.view_functions[rule.endpoint]
            server.view_functions[rule.endpoint] = _storing(view, store, key)
    server.wsgi_app = _Answering(server.wsgi_app, store, key)
    return cache


class _Store:
    """The shared folder, fronted by the few answers this worker gave last (a hit then reads no file)."""

    FRONT = 8

    def __init__(self, cache: BytesCache):
        self.cache = cache
        self.front: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            found = self.front.get(key)
        if found is None:
            found = self.cache.get(key)
            if found is None:
                return None
            self._remember(key, found)
        return found

    def put(self, key: str, packed: bytes) -> None:
        self._remember(key, packed)
        self.cache.put(key, packed)  # a full or unwritable folder: the answer is still given

    def _remember(self, key: str, packed: bytes) -> None:
        with self.lock:
            self.front[key] = packed
            self.front.move_to_end(key)
            while len(self.front) > self.FRONT:
                self.front.popitem(last=False)


def _storing(view, store: _Store, key):
    def dispatch(*args, **kwargs):
        body = request.get_data(cache=True)
        response = view(*args, **kwargs)
        if _is_figure_request(body) and response.status_code == 200 and response.mimetype == "application/json":
            packed = gzip.compress(response.get_data(), compresslevel=6)
            if len(packed) <= MAX_ENTRY:
                store.put(key(body), packed)
            response.headers[HEADER] = "miss"
            # Drawing a million events frees tens of MB that C's allocator would keep: given back
            # once the answer is sent (a few ms, which the reader does not wait for).
            response.call_on_close(release_freed)
        return response

    dispatch.__name__ = getattr(view, "__name__", "dispatch")
    return dispatch


class _Answering:
    """WSGI: answer the figure callback from the store when it has the answer, else pass it on."""

    def __init__(self, app, store: _Store, key):
        self.app, self.store, self.key = app, store, key

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO", "").endswith("/" + ENDPOINT):
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if 0 < length <= MAX_BODY:
                body = environ["wsgi.input"].read(length)
                environ["wsgi.input"] = io.BytesIO(body)  # Flask reads it again on a miss
                packed = self.store.get(self.key(body)) if _is_figure_request(body) else None
                if packed is not None:
                    gzipped = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
                    data = packed if gzipped else gzip.decompress(packed)
                    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data))),
                               ("Vary", "Accept-Encoding"), (HEADER, "hit")] + \
                        ([("Content-Encoding", "gzip")] if gzipped else [])
                    start_response("200 OK", headers)
                    return [data]
        return self.app(environ, start_response)


def _is_figure_request(body: bytes) -> bool:
    # The output's name comes first in what the page sends; a body that is not JSON is not ours.
    if CACHED_OUTPUT.encode() not in body[:200]:
        return False
    try:
        output = json.loads(body).get("output")
    except (ValueError, RecursionError, AttributeError):
        return False
    return isinstance(output, str) and output.startswith(CACHED_OUTPUT)
