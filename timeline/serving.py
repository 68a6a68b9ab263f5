"""How the page reaches the browser: where its CSS and JS live, compression, browser caching,
and no bundle the page does not use."""

from __future__ import annotations

import re
from html import escape
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
# The first paint's scripts (timeline.firstpaint): run before Dash's, right after the copy of the
# page they draw into, so that the chart is drawn while Dash's own scripts are still to run.
EARLY_ASSETS = ("/assets/firstpaint.js", "/assets/plotly-timeline.min.js")
# Told once plotly.js has run: the first paint draws as soon as it also has the chart's answer.
PLOTLY_LOADED = "<script>window.timelineFirstPaint&&window.timelineFirstPaint.plotlyLoaded();</script>"
SCRIPT = re.compile(r'<script src="[^"<>]+"></script>')
# Dash's scripts, kept in a template and asked for once the first paint has drawn (or given up): on
# two cores, fetching and compiling them beside plotly.js made the first chart a third slower.
# In order, then Dash starts.
BOOT = """<script id="_dash-renderer">(function () {
  var boot = function () {
    var last = null, kept = document.getElementById("dash-scripts").content;
    kept.querySelectorAll("link[rel=preload]").forEach(function (link) {
      document.head.appendChild(link.cloneNode());
    });
    kept.querySelectorAll("script[src]").forEach(function (script) {
      last = document.createElement("script");
      last.src = script.getAttribute("src");
      last.async = false;
      document.body.appendChild(last);
    });
    var start = function () { window.renderer = new DashRenderer(); };
    if (last) { last.addEventListener("load", start); } else { start(); }
  };
  var copy = document.getElementById("first-paint");
  if (window.timelineFirstPaint) { window.timelineFirstPaint.then(boot); } else { if (copy) { copy.remove(); } boot(); }
})();</script>"""


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
    """Dash serving the timeline page: compressed, cacheable, without unused bundles, and drawn
    first without Dash when ``first_paint`` gives the page as HTML."""

    def __init__(self, name: str, **options):
        super().__init__(name, server=_server(name), compress=True, **options)
        self.first_paint = None  # a function giving the page's first paint, HTML (timeline.firstpaint)
        self.preloads: list[str] = []  # code Dash asks for on demand, fetched with its scripts
        _cache_headers(self)

    def interpolate_index(self, **kwargs) -> str:
        lines = [line for line in kwargs["scripts"].split("\n") if not any(path in line for path in UNUSED_SCRIPTS)]
        preloads = "".join(f'<link rel="preload" href="{escape(url)}" as="script">' for url in self.preloads)
        if self.first_paint is not None:
            early = [line for path in EARLY_ASSETS for line in lines if path in line]
            rest = [line for line in lines if line not in early]
            if len(early) == len(EARLY_ASSETS) and all(SCRIPT.fullmatch(line.strip()) for line in rest if line.strip()):
                kwargs["app_entry"] = "\n".join([self.first_paint(), *early, PLOTLY_LOADED, kwargs["app_entry"]])
                lines, kwargs["renderer"] = ['<template id="dash-scripts">', preloads, *rest, "</template>"], BOOT
                preloads = ""
        kwargs["css"] += preloads
        kwargs["scripts"] = "\n".join(lines)
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
