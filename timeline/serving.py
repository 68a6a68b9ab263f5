"""How the page reaches the browser: where its CSS and JS live, compression, browser caching,
and no bundle the page does not use."""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

from dash import Dash
from dash.fingerprint import check_fingerprint
from flask import Flask, request

# A year: the longest lifetime HTTP caches honour, for URLs that change whenever their content does.
FOREVER = "public, max-age=31536000, immutable"
# Dash's scripts whose components the page never renders. The DataTable bundle is always
# listed by Dash 4 (dash.Dash._generate_scripts_html), with no option to leave it out.
UNUSED_SCRIPTS = ("/_dash-component-suites/dash/dash_table/",)


def assets_folder() -> str:
    """The folder of the page's CSS and JS.

    An installed package carries them as timeline/assets (pyproject maps the repository's
    top-level assets/ there). A checkout, run in place or installed editable (setuptools'
    editable finder cannot map a folder without __init__.py), has them in assets/ beside the
    package.
    """
    installed = resources.files("timeline") / "assets"
    if installed.is_dir():
        return str(installed)
    return str(Path(__file__).resolve().parent.parent / "assets")


class PageDash(Dash):
    """Dash serving the timeline page: compressed, cacheable, without unused bundles."""

    def __init__(self, name: str, **options):
        super().__init__(name, server=_server(name), compress=True, **options)
        _cache_headers(self)

    def interpolate_index(self, **kwargs) -> str:
        kwargs["scripts"] = "\n".join(line for line in kwargs["scripts"].split("\n")
                                      if not any(path in line for path in UNUSED_SCRIPTS))
        return super().interpolate_index(**kwargs)


class _CompressedFiles:
    """Flask-Compress's cache: each static file compressed once per encoding, not per request.

    Only the files of Dash's packages and the favicon are kept (see ``_static_key``), so the
    memory is bounded by the few files the page uses; callbacks and the layout change and are
    never kept.
    """

    def __init__(self):
        self._data: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        return self._data.get(key)

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(";"):  # a response that is not a static file: compressed afresh each time
            return
        with self._lock:
            self._data[key] = value


def _static_key(req) -> str:
    """The package file a response holds, whatever fingerprint or query its address carries,
    so that made-up addresses of one file share its entry instead of filling memory; "" for the
    rest. (Assets are streamed from disk, which Flask-Compress compresses without its cache.)"""
    if req.method != "GET":
        return ""
    if "/_dash-component-suites/" in req.path:
        return check_fingerprint(req.path)[0]
    return req.path if req.path.endswith("/_favicon.ico") else ""


def _server(name: str) -> Flask:
    server = Flask(name)
    # Flask-Compress reads its settings when Dash enables it, so they are set before.
    server.config.update(COMPRESS_CACHE_BACKEND=_CompressedFiles, COMPRESS_CACHE_KEY=_static_key)
    return server


def _cache_headers(app: Dash) -> None:
    """Let browsers keep the page's static files between visits.

    Dash already gives its fingerprinted bundles a year. The rest are made explicit: assets and
    the favicon carry a version in their query (Dash adds ``?m=<mtime>`` to assets, ``?v=`` to the
    favicon), so they keep for a year too; the code chunks the components load on demand
    have fixed names across Dash versions, so the browser keeps them
    but asks each visit whether they changed, which their ETag answers with an empty 304.
    """
    @app.server.after_request
    def cache(response):
        if request.method != "GET" or response.status_code not in (200, 304):
            return response
        path = request.path
        if "/_dash-component-suites/" in path:
            if not response.cache_control.max_age:
                response.cache_control.no_cache = True
            else:
                response.headers["Cache-Control"] = FOREVER
        elif ("/assets/" in path and "m" in request.args) or ("/_favicon.ico" in path and "v" in request.args):
            response.headers["Cache-Control"] = FOREVER
        return response
