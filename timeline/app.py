"""The reader's page: layout and callbacks only; every callback is a thin call into the layers below.

Run it with ``python -m timeline serve``, or under a WSGI server::

    TIMELINE_EVENTS=events.csv gunicorn "timeline.app:server"
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from html import escape as html_escape
from dataclasses import replace
from urllib.parse import parse_qs

from dash import ClientsideFunction, Dash, Input, Output, State, callback_context, dcc, html, no_update, set_props
from dash.exceptions import PreventUpdate
from flask import Response, request
from plotly.io.json import to_json_plotly
from plotly.utils import PlotlyJSONEncoder

from . import components as parts
from . import firstpaint
from .callbackguard import guard_callbacks
from .export import ExportError, figure_bytes
from .figcache import cache_figures, code_version
from .figure import DEFAULT_TITLE, Scale, event_id_from_point, figure_spec, plot_config, window_from_relayout
from .figure import zoom_window
from .filters import (
    AXES, LANES, MATCHES, MAX_ACTORS, ORDERS, View, actor_counts, index_for, matches, read_view, slug,
)
from .live import LiveEvents
from .private import BytesCache
from .shared import release_freed
from .renders import Busy, Draws
from .schema import KINDS, STATUSES
from .serving import PageDash, assets_folder

ASSETS = assets_folder()
POLL_MS = 2_000
LIST_LIMIT = 500
REPORT_WIDTH = 1600  # a report is as tall as its lanes need (figure.layout)
CONTROLS = (
    ("actor-filter", "value"),
    ("actor-match", "value"),
    ("kind-filter", "value"),
    ("status-filter", "value"),
    ("period-filter", "start_date"),
    ("period-filter", "end_date"),
    ("text-filter", "value"),
    ("lane-mode", "value"),
    ("axis-mode", "value"),
)
ZOOM_BUTTONS = ("1w", "1m", "6m", "1y", "all")
# Dash's @babel/polyfill (core-js 2) replaces parseFloat, parseInt and the trims with its own,
# some fifty times slower, because browsers no longer count U+180E as a space; Plotly calls them
# thousands of times a redraw. The page keeps the browser's own: saved here, in the head, before
# the polyfill runs, and put back by assets/timeline.js.
NATIVES = ("<script>window.__timelineNatives=[[window,'parseFloat'],[window,'parseInt'],[Number,'parseFloat'],"
           "[Number,'parseInt'],[String.prototype,'trim'],[String.prototype,'trimStart'],[String.prototype,'trimEnd'],"
           "[String.prototype,'trimLeft'],[String.prototype,'trimRight']]"
           ".map(function(p){return p.concat([p[0][p[1]]]);});</script>")
# What the page's addressOf needs to write an address as View.to_query does (each default first).
ADDRESS_RULES = {"kinds": list(KINDS), "statuses": list(STATUSES), "matches": list(MATCHES), "lanes": list(LANES),
                 "axes": list(AXES), "orders": list(ORDERS), "max_actors": MAX_ACTORS}
# "pending" tells the page's first paint (assets/firstpaint.js) that Dash's chart is not drawn yet.
PENDING_FIGURE = {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False},
                                        "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "template": {},
                                        "meta": {"pending": True}}}
# The chunks of Dash's components the page loads on demand: the chart's, the menus', the dates'.
# Fetched with Dash's own scripts (PageDash.preloads): Dash asks for them only once the layout has
# arrived and been drawn, a round of requests more before the chart can draw.
ON_DEMAND = ("async-graph.js", "async-dropdown.js", "async-datepicker.js")
DOWNLOADS = ("png", "svg")
MAX_FIRST_QUERY = 16 * 1024  # the first paint's question: an address and a size
VIEWS_KEPT = 32  # views drawn, kept for Dash's callback after the first paint (see _Views)
MIME = {"png": "image/png", "svg": "image/svg+xml"}
ORDERS_LINKED = ("href", "className", "title")
# The render callback's outputs, in the order of its answer (_render); the first paint picks from it.
RENDERED = (
    ("timeline-graph", "figure"), ("timeline-graph", "style"), ("axis-scale", "data"), ("event-count", "children"),
    ("empty-message", "hidden"), ("event-list-data", "data"), ("list-note", "children"),
    ("chart-summary", "children"), ("actor-filter", "options"), ("data-error", "children"),
    ("data-error", "hidden"), ("banner-key", "data"), ("page", "className"), ("page-subtitle", "children"),
    *[(f"download-{fmt}", "href") for fmt in DOWNLOADS],
    # The list's order switch, in the same answer: a request fewer for each change of view.
    *[(f"order-{o}", p) for o in ORDERS for p in ORDERS_LINKED],
)


def create_app(path: str = "events.csv", *, actors: str | None = None, title: str | None = None,
               date_order: str | None = None) -> Dash:
    """A Dash app serving the events file at ``path``, which it follows as editors change it.

    Importing this module reads nothing; Dash checks the layout when it is set, which
    reads the file once here.
    """
    events = LiveEvents(path, actors, date_order=date_order)
    title = title or DEFAULT_TITLE
    app = PageDash(
        __name__,
        assets_folder=ASSETS,
        # Dash writes this into the page's <title> as it is: a title holding "</title><script>"
        # would run. Escaped here, it reads as written.
        title=html_escape(title),
        update_title=None,
        serve_locally=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    # A function, so each page load lists the actors of the data as it is then: a Dropdown
    # drops values missing from its options, which would lose actors from a shared address.
    # The page's language, for screen readers and hyphenation; Dash's template leaves it out.
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1).replace(
        "{%css%}", "{%css%}" + NATIVES, 1)
    app.preloads = [f"{app.config.requests_pathname_prefix}_dash-component-suites/dash/dcc/{chunk}"
                    for chunk in ON_DEMAND]
    app.layout = lambda: _layout(title, os.path.basename(path), _actor_options(events), events.current().version)
    _warm(events)
    views = _Views(events.shared.folder)
    _callbacks(app, events, title, views)
    _downloads(app, events, title)
    # Outermost the guard: a malformed body is refused before the cache reads it.
    cache_figures(app, lambda: events.current().version, events.shared.folder)
    _first_paint(app, events, title, views)
    guard_callbacks(app)
    return app


def _first_paint(app: PageDash, events: LiveEvents, title: str, views: _Views) -> None:
    """The page as plain HTML before Dash starts, and its chart's answer (:mod:`timeline.firstpaint`).

    The answer is the render callback's own for the address and the room the page measured; the
    view drawn is kept (``views``) for the callback, which asks for it next."""
    prefix = app.config.requests_pathname_prefix
    app.first_paint = lambda: firstpaint.page_html(_first_layout(events, title), prefix)

    @app.server.route("/_timeline/first")
    def first_answer():
        if len(request.query_string) > MAX_FIRST_QUERY:
            return Response("address too long\n", status=414, mimetype="text/plain")
        number = lambda name: int(request.args[name]) if request.args.get(name, "").isdigit() else None  # noqa: E731
        size = {"width": number("width"), "height": number("height"), "phone": request.args.get("phone") == "1"}
        search = request.args.get("search", "")
        # The answer as sent, kept beside the view: a shared link's next readers cost a file read.
        key = views.key(["first", events.current().version, search, size, title])
        packed = views.cache.get(key)
        if packed is None:
            packed = firstpaint.answer_bytes(_first_outputs(_render(
                events, title, prefix, search, None, size, None, options_too=False, views=views, remember=True)))
            if packed is None:  # too large to send twice: Dash draws the chart alone
                return Response(status=204)
            views.cache.put(key, packed)
        # JSON the page's script reads; opened as an address, never taken for a page.
        headers = {"Vary": "Accept-Encoding", "X-Content-Type-Options": "nosniff"}
        if "gzip" not in request.headers.get("Accept-Encoding", ""):
            return Response(gzip.decompress(packed), mimetype="application/json", headers=headers)
        return Response(packed, mimetype="application/json", headers={**headers, "Content-Encoding": "gzip"})


def _first_layout(events: LiveEvents, title: str):
    """The layout with the controls showing the view of the address asked for, as the address
    callback sets them in Dash's page (the actors' menu shows its values without its options)."""
    snapshot = events.current()
    layout = _layout(title, os.path.basename(events.path), [], snapshot.version)
    view = _view(request.query_string.decode("utf-8", "replace"), snapshot.dataset)
    for (control, prop), value in zip(CONTROLS, controls_from_view(view)):
        setattr(layout[control], prop, value)
    return layout


def _first_outputs(outputs: tuple) -> dict:
    """What the first paint shows of the render callback's answer (see RENDERED)."""
    answer = dict(zip(RENDERED, outputs))
    style = answer["timeline-graph", "style"]
    hidden = answer["data-error", "hidden"]
    return {"figure": answer["timeline-graph", "figure"], "config": plot_config("timeline"),
            "style": style if isinstance(style, dict) else None, "count": answer["event-count", "children"],
            "empty_hidden": answer["empty-message", "hidden"], "list": answer["event-list-data", "data"],
            "note": answer["list-note", "children"],
            "banner": "" if hidden is True else firstpaint.banner_html(answer["data-error", "children"]),
            "page": answer["page", "className"], "subtitle": answer["page-subtitle", "children"],
            "orders": {o: answer[f"order-{o}", "className"] for o in ORDERS}}


def _warm(events: LiveEvents) -> None:
    """Index the loaded data now, with the search text, so that no reader's first filter or
    search waits for it (about 2 s at 1,000,000 events); data that changes later is indexed
    by the first request that needs it."""
    dataset = events.current().dataset
    if dataset is not None:
        index_for(dataset.frame).searchable(dataset.frame)
        release_freed()  # what indexing freed: not kept by a worker for as long as it runs


def _downloads(app: Dash, events: LiveEvents, title: str) -> None:
    """The page's download: the report figure of the view in the address, exactly as ``export`` writes it.

    Drawn in turn, once per data version and view (:mod:`timeline.renders`): a download that
    would wait too long is told to come back, and readers never wait behind the drawing."""
    draws = Draws(events.shared.folder)
    code = code_version()

    @app.server.route("/_timeline/figure.<fmt>")
    def figure_file(fmt: str):
        snapshot = events.current()
        dataset = snapshot.dataset
        if fmt not in DOWNLOADS or dataset is None:
            return Response("nothing to download\n", status=404, mimetype="text/plain")
        view = _view(request.query_string.decode("utf-8", "replace"), dataset)
        key = hashlib.sha256(json.dumps([code, snapshot.version, fmt, view.to_query(), title, REPORT_WIDTH])
                             .encode()).hexdigest()
        threaded = bool(request.environ.get("wsgi.multithread"))  # a thread may wait; a sync worker must not
        try:
            data = draws.image(key, lambda: figure_bytes(dataset, view, fmt, width=REPORT_WIDTH, title=title),
                               patient=threaded)
        except Busy as busy:
            return Response(f"busy drawing other downloads ({busy}); try again in {busy.retry_after} s\n",
                            status=503, mimetype="text/plain", headers={"Retry-After": str(busy.retry_after)})
        except ExportError as error:
            return Response(f"{error}\n", status=503, mimetype="text/plain")
        name = f"{slug(view, dataset.as_of)}.{fmt}"
        return Response(data, mimetype=MIME[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _banner_key(banner: list) -> str:
    """A short name for what the banner says, kept in the page to tell whether it changed."""
    text = json.dumps(banner, cls=PlotlyJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _actor_options(events: LiveEvents) -> list[dict]:
    dataset = events.current().dataset
    if dataset is None:
        return []
    return [{"label": f"{name} ({count})", "value": name} for name, count in actor_counts(dataset.frame)]


def _layout(title: str, filename: str, actor_options: list[dict], version: int):
    option = lambda values: [{"label": v, "value": v} for v in values]  # noqa: E731
    return html.Div(
        id="page",
        className="page",
        children=[
            dcc.Location(id="url", refresh=False),
            dcc.Interval(id="poll", interval=POLL_MS),
            dcc.Store(id="data-version", data=version),
            dcc.Store(id="selected-event"),
            dcc.Store(id="chart-size"),
            dcc.Store(id="axis-scale"),
            dcc.Store(id="event-list-data"),
            dcc.Store(id="event-list-drawn"),
            dcc.Store(id="address-rules", data=ADDRESS_RULES),
            dcc.Store(id="address-from-controls"),
            dcc.Store(id="address-request"),
            dcc.Store(id="controls-shown"),
            dcc.Store(id="banner-key"),
            html.Header(
                className="masthead",
                children=[
                    html.H1(title, id="page-title"),
                    html.P(id="page-subtitle", className="subtitle", children=filename),
                ],
            ),
            html.Main(id="main", children=[
                html.Div(id="data-error", className="banner", role="alert", hidden=True),
                # Open on a desktop; the page's script folds it on a phone, where the events come first.
                html.Details(id="filters", className="filters", open=True, children=[
                    html.Summary("Filters", className="filters-summary"),
                    html.Section(
                        className="controls",
                        **{"aria-label": "Filters"},
                        children=[
                            _field("Actors", "actor-filter", [
                                dcc.Dropdown(id="actor-filter", multi=True, searchable=True, options=actor_options,
                                             placeholder="All actors — type to search"),
                                dcc.RadioItems(id="actor-match", value="any", inline=True, className="match",
                                               options=[{"label": "any of", "value": "any"},
                                                        {"label": "all of", "value": "all"}]),
                            ], wide=True),
                            _field("Kind", "kind-filter", [
                                dcc.Dropdown(id="kind-filter", multi=True, options=option(KINDS),
                                             placeholder="All kinds"),
                            ]),
                            _field("Status", "status-filter", [
                                dcc.Dropdown(id="status-filter", multi=True, options=option(STATUSES),
                                             placeholder="Any status"),
                            ]),
                            _field("Period", "period-filter", [
                                dcc.DatePickerRange(id="period-filter", display_format="D MMM YYYY", clearable=True,
                                                    start_date_placeholder_text="From", end_date_placeholder_text="To",
                                                    first_day_of_week=1),
                            ]),
                            _field("Search", "text-filter", [
                                dcc.Input(id="text-filter", type="search", debounce=True,
                                          placeholder="Titles, notes", className="search"),
                            ]),
                            _field("Rows", "lane-mode", [
                                dcc.RadioItems(id="lane-mode", value="states", inline=True, options=option(LANES)),
                            ], narrow=True),
                            _field("Time", "axis-mode", [
                                dcc.RadioItems(id="axis-mode", value="story", inline=True,
                                               options=[{"label": "story", "value": "story"},
                                                        {"label": "linear", "value": "time"}]),
                            ], narrow=True),
                        ],
                    ),
                ]),
                html.Div(className="toolbar", children=[
                    html.P(id="event-count", className="count", role="status", **{"aria-live": "polite"}),
                    html.Div(className="zooms", role="group",
                             **{"aria-label": "Zoom to the period up to the latest report"},
                             children=[html.Button(z, id=f"zoom-{z}", className="zoom", n_clicks=0)
                                       for z in ZOOM_BUTTONS]),
                    html.A("Reset the view", href="?", id="reset-view", className="reset"),
                    html.Div(className="downloads", children=[
                        html.A(f"Download {fmt.upper()}", id=f"download-{fmt}", className="download", href="",
                               download="") for fmt in DOWNLOADS
                    ]),
                ]),
                # On a phone the list is the page and the chart one tap away.
                html.Div(className="switch", role="group", **{"aria-label": "Show"}, children=[
                    html.A("List", href="#event-list-section", className="switch-link"),
                    html.A("Chart", href="#chart-box", className="switch-link"),
                ]),
                html.Div(id="empty-message", className="empty", hidden=True,
                         children="No events match these filters. Remove a filter or widen the period."),
                html.P(id="chart-summary", className="sr-only"),
                html.Div(id="chart-box", className="chart-box", role="figure",
                         **{"aria-describedby": "chart-summary", "aria-label": "Timeline chart"},
                         # The config is set once: Plotly.react draws a new one from scratch (newPlot),
                         # and the page has no use for Plotly's own download (the report is its download).
                         # Until the first figure arrives, an empty plot without axes: the graph draws
                         # it as soon as it is on the page, and it is cheaper than Plotly's default.
                         children=[dcc.Graph(id="timeline-graph", className="graph", responsive=False,
                                             config=plot_config("timeline"), figure=PENDING_FIGURE)]),
                html.Aside(id="event-details", className="details", hidden=True,
                           **{"aria-label": "Event details"},
                           children=[
                               html.Button("×", id="close-details", className="close", n_clicks=0,
                                           title="Close the details (Escape)",
                                           **{"aria-label": "Close the details"}),
                               html.Div(id="details-body", children=parts.placeholder(), **{"aria-live": "polite"}),
                           ]),
                html.Section(id="event-list-section", className="events", **{"aria-labelledby": "list-heading"},
                             children=[
                                 html.Div(className="list-head", children=[
                                     html.H2("Events in time order", id="list-heading"),
                                     # Links, so that the order is in the address and the back button.
                                     html.Div(className="order", role="group",
                                              **{"aria-label": "Order of the list"},
                                              children=[dcc.Link(f"{o.capitalize()} first", id=f"order-{o}",
                                                                 href="", refresh=False, className="order-link")
                                                        for o in ORDERS]),
                                 ]),
                                 html.P("Tab to the list, move with the arrow keys, Enter opens an event's "
                                        "details, Escape closes them.", className="hint"),
                                 html.P(id="list-note", className="note"),
                                 html.Ol(id="event-list", className="event-list"),
                             ]),
            ]),
        ],
    )


def _field(label: str, control_id: str, children, wide: bool = False, narrow: bool = False):
    return html.Div(className="field wide" if wide else "field narrow" if narrow else "field",
                    children=[html.Label(label, htmlFor=control_id), *children])


def _strings(value) -> list[str]:
    """A control's value as the strings it should hold; anything else a request smuggles in is dropped."""
    values = value if isinstance(value, (list, tuple)) else [value]
    return [v for v in values if isinstance(v, str) and v]


def view_from_controls(values) -> View:
    actors, match, kinds, statuses, start, end, text, lanes, axis = (list(values) + [None] * 9)[:9]
    first = lambda value: _strings(value)[:1]  # noqa: E731
    query = {
        "actor": _strings(actors),
        "match": first(match),
        "kind": _strings(kinds),
        "status": _strings(statuses),
        "from": [v[:10] for v in first(start)],
        "to": [v[:10] for v in first(end)],
        "q": first(text),
        "lanes": first(lanes),
        "axis": first(axis),
    }
    return View.from_query(query)


def controls_from_view(view: View) -> list:
    iso = lambda day: day.isoformat() if day else None  # noqa: E731
    return [list(view.actors), view.match, list(view.kinds), list(view.statuses),
            iso(view.date_from), iso(view.date_to), view.search, view.lanes, view.axis]


def _view(search: str | None, dataset) -> View:
    """The view an address asks for, with actors as the data names them (a link may say "Zelenskyy")."""
    return _read_view(search, dataset)[0]


def _read_view(search: str | None, dataset) -> tuple[View, list[str]]:
    """The view, and what of the address was left out of it (for the page's notice)."""
    return read_view(search or "", dataset.aliases if dataset is not None else None)


def _search_with(view: View, previous_search: str) -> str:
    """The address for ``view``, keeping page options (``view=report``) that are not filters."""
    keep = parse_qs((previous_search or "").lstrip("?")).get("view")
    query = view.to_query().lstrip("?")
    if keep:
        query = "&".join(filter(None, [query, f"view={keep[0]}"]))
    return f"?{query}" if query else ""


def _full_span(frame):
    return frame["start"].min().date(), frame["end"].max().date()


def _callbacks(app: Dash, events: LiveEvents, title: str, views: _Views) -> None:
    control_outputs = [Output(i, p) for i, p in CONTROLS]
    control_inputs = [Input(i, p) for i, p in CONTROLS]
    zoom_inputs = [Input(f"zoom-{z}", "n_clicks") for z in ZOOM_BUTTONS]

    # A change of the controls moves the address in the page itself (timeline.js, addressOf, as
    # View.to_query writes it): the chart's callback follows at once, not after a request here.
    # The server writes the address where the page cannot ("address-request").
    app.clientside_callback(
        ClientsideFunction("timeline", "controlsToAddress"), Output("address-request", "data"),
        *control_inputs, State("url", "search"), State("controls-shown", "data"), State("address-rules", "data"),
        State("address-request", "data"), prevent_initial_call=True,
    )

    # The address is set through set_props, not as an output: the chart's callback, which reads
    # it, then never waits for this one (Dash holds a callback back while another that outputs
    # one of its inputs is running), on a first load nor after a change of the controls.
    @app.callback(
        *control_outputs, Output("controls-shown", "data"),
        Input("url", "search"), Input("address-request", "data"), Input("timeline-graph", "relayoutData"),
        *zoom_inputs, *[State(i, p) for i, p in CONTROLS], State("axis-scale", "data"),
        State("address-from-controls", "data"),
    )
    def sync_address(search, _asked, relayout, *values):
        """The address and the controls always show the same view; either may change first."""
        controls = values[len(ZOOM_BUTTONS):len(ZOOM_BUTTONS) + len(CONTROLS)]
        scale, from_controls = values[-2], values[-1]
        trigger = callback_context.triggered_id
        search = search if isinstance(search, str) else ""
        dataset = events.current().dataset
        if trigger in (None, "url"):
            if trigger == "url" and search == from_controls:
                raise PreventUpdate  # the controls asked for this address: they show it already
            shown = controls_from_view(_view(search, dataset))
            # What the controls were set to for this address: the page then knows that their change
            # is not the reader's, and leaves the address as it is (a link may say "Zelenskyy").
            return [*shown, {"search": search, "controls": shown}]
        current = _view(search, dataset)
        if trigger == "timeline-graph" or (isinstance(trigger, str) and trigger.startswith("zoom-")):
            if dataset is None:
                raise PreventUpdate
            window = _zoom(trigger, relayout, scale, dataset, current)
            if window is None or window == current.window:
                raise PreventUpdate
            view = replace(current, window=window)
        else:
            view = replace(view_from_controls(controls), window=current.window, order=current.order)
        new_search = _search_with(view, search)
        if new_search == search:
            raise PreventUpdate
        set_props("url", {"search": new_search})
        return [*[no_update] * len(CONTROLS), no_update]

    # The page starts at the loaded version, so the first render need not wait for a poll.
    @app.callback(Output("data-version", "data"), Input("poll", "n_intervals"), State("data-version", "data"),
                  prevent_initial_call=True)
    def poll(_, known):
        version = events.current().version
        if version == known:
            raise PreventUpdate
        return version

    # The list is drawn by the page's script: see components.event_list.
    app.clientside_callback(ClientsideFunction("timeline", "drawList"), Output("event-list-drawn", "data"),
                            Input("event-list-data", "data"), Input("selected-event", "data"))

    # The chart is laid out for the room it has: its box's width, and the window's height below its top.
    app.clientside_callback(ClientsideFunction("timeline", "chartSize"), Output("chart-size", "data"),
                            Input("url", "pathname"))

    @app.callback(
        *[Output(*output) for output in RENDERED],
        Input("url", "search"),
        Input("data-version", "data"),
        Input("selected-event", "data"),
        Input("chart-size", "data"),
        State("banner-key", "data"),
    )
    def render(search, _version, selected, size, shown_banner):
        first = callback_context.triggered_id in (None, "data-version")
        return _render(events, title, app.config.requests_pathname_prefix, search, selected, size, shown_banner,
                       options_too=first, views=views)

    @app.callback(
        Output("selected-event", "data"),
        Input("timeline-graph", "clickData"),
        Input("close-details", "n_clicks"),
        prevent_initial_call=True,
    )
    def select(click, _close):
        """A mark clicked on the chart; an event of the list is selected by the page's script."""
        if callback_context.triggered_id == "close-details":
            return None
        points = click.get("points") if isinstance(click, dict) else None
        event_id = event_id_from_point(points[0] if isinstance(points, list) and points else None)
        if event_id is None:
            raise PreventUpdate
        return event_id

    @app.callback(Output("details-body", "children"), Output("event-details", "hidden"),
                  Input("selected-event", "data"), Input("data-version", "data"))
    def show_details(event_id, _version):
        dataset = events.current().dataset
        if _event_id(event_id) is None or dataset is None:
            return parts.placeholder(), True
        return parts.panel(dataset.frame, event_id), False


def _render(events: LiveEvents, title: str, prefix: str, search, selected, size, shown_banner, *,
            options_too: bool, views: _Views | None = None, remember: bool = False) -> tuple:
    """The render callback's answer, in the order of its outputs; the page's first paint draws
    from the same answer (:func:`_first_paint`). ``options_too``: the actor menu's options are
    sent (they change only with the data; sending them again would disturb a reader typing).
    ``views``: views drawn with nothing selected, looked up there, and kept there when
    ``remember`` (by the first paint: Dash's callback asks for the same view next)."""
    search = search if isinstance(search, str) else ""
    snapshot = events.current()
    report = parse_qs(search.lstrip("?")).get("view") == ["report"]
    view, unknown_actors = _read_view(search, snapshot.dataset)
    dataset = snapshot.dataset
    note = dataset.left_out_note() if dataset is not None else ""
    banner = parts.banner(snapshot.problems, events.path, shown_data=dataset is not None,
                          notices=(*snapshot.notices, *unknown_actors), left_out=note)
    # Sent again only when it says something else: a new banner would fold the list of
    # problems a reader has opened (and opening it resizes the chart, which renders again).
    key = _banner_key(banner)
    banner, banner_hidden = (no_update, no_update) if key == shown_banner else (banner, not banner)
    links = [f"{prefix}_timeline/figure.{fmt}{view.to_query()}" for fmt in DOWNLOADS]
    links += _order_links(search, size, prefix)
    if dataset is None:
        empty = figure_spec(None, view)
        return (empty, no_update, None, "No events loaded", True, [], "", "No events loaded.", [],
                banner, banner_hidden, key, "page report" if report else "page", os.path.basename(events.path), *links)
    width, height = (REPORT_WIDTH, None) if report else _chart_size(size)
    newest = _list_order(view, size) == "newest"
    named = [snapshot.version, view.to_query(), report, width, height, newest, title, note]
    drawn = views.get(named) if views is not None and selected is None else None
    if drawn is None:
        drawn = _draw(dataset, view, report, width, height, newest, selected, title, note)
        if remember and views is not None and selected is None:
            views.put(named, drawn)
    figure, items, note, summary, shown = (drawn[k] for k in ("figure", "items", "note", "summary", "shown"))
    style = {"width": f"{figure['layout']['width']}px", "height": f"{figure['layout']['height']}px"}
    scale = figure["layout"].get("meta", {}).get("scale")
    count = parts.event_count(shown, len(dataset.frame), figure["layout"].get("meta", {}).get("events"))
    options = _actor_options(events) if options_too else no_update
    subtitle = parts.subtitle(events.path, dataset.as_of, dataset.date_order)
    return (figure, style, scale, count, shown > 0, items, note, summary, options, banner,
            banner_hidden, key, "page report" if report else "page", subtitle, *links)


def _draw(dataset, view: View, report: bool, width, height, newest: bool, selected, title: str, note: str) -> dict:
    """The figure of a view, its list and its counts."""
    frame = dataset.frame
    keep = matches(frame, view, dataset.members)  # the figure asks for the same mask: computed once
    figure = figure_spec(frame, view, as_of=dataset.as_of, members=dataset.members, report=report,
                         width=width, height=height, highlight=selected, title=title if report else None,
                         note=note or None)
    items, list_note = parts.event_list(frame, keep, view, LIST_LIMIT, newest_first=newest)
    summary = parts.chart_summary(frame, keep, figure["layout"].get("meta", {}), dataset.as_of)
    return {"figure": figure, "items": items, "note": list_note, "summary": summary, "shown": int(keep.sum())}


class _Views:
    """Views drawn, by data version, view, room and title, in a bounded folder every worker
    shares (:class:`timeline.private.BytesCache`, nothing unpickled): on a first visit the page's
    first paint asks for the view, then Dash's render callback asks for it again."""

    def __init__(self, folder: str):
        self.cache = BytesCache(os.path.join(folder, "views"), entries=VIEWS_KEPT, max_entry=firstpaint.MAX_ANSWER)
        self.code = code_version()  # a cache kept across an upgrade must not serve the old code's views

    def key(self, parts: list) -> str:
        return hashlib.sha256(json.dumps([self.code, *parts], sort_keys=True).encode()).hexdigest()

    def get(self, parts: list) -> dict | None:
        packed = self.cache.get(self.key(parts))
        try:
            return json.loads(gzip.decompress(packed)) if packed is not None else None
        except (OSError, EOFError, ValueError, zlib.error):  # not what put wrote: drawn again
            return None

    def put(self, parts: list, drawn: dict) -> None:
        self.cache.put(self.key(parts), gzip.compress(to_json_plotly(drawn).encode(), compresslevel=6))


def _order_links(search: str, size, prefix: str) -> list[str]:
    """The list's order switch: a link to each order, the one shown marked (href, class, title each)."""
    view = View.from_query(search)
    shown = _list_order(view, size)
    return [value for order in ORDERS for value in (  # as ORDERS_LINKED
        prefix + _search_with(replace(view, order=order), search),
        "order-link active" if order == shown else "order-link",
        "The list's order now" if order == shown else f"List the {order} events first")]


def _event_id(value) -> int | None:
    """An event id from the page's store or a list button; anything else a request smuggles in is None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53 else None


def _chart_size(size) -> tuple[int | None, int | None]:
    """The chart's room as the page measured it; unknown or nonsense values fall back to the defaults."""
    if not isinstance(size, dict):
        return None, None
    width, height = size.get("width"), size.get("height")
    ok = lambda v, lo, hi: isinstance(v, (int, float)) and not isinstance(v, bool) and lo <= v <= hi  # noqa: E731
    return (int(width) if ok(width, 320, 4000) else None), (int(height) if ok(height, 300, 4000) else None)


def _list_order(view: View, size) -> str:
    """The list's order: the address's, else newest first on a phone, where news readers start
    from the latest, and oldest first beside the chart, which reads left to right."""
    if view.order:
        return view.order
    return "newest" if isinstance(size, dict) and size.get("phone") is True else "oldest"


def _zoom(trigger, relayout, scale, dataset, view: View):
    """The window a zoom button or a drag on the chart asks for, in days; None for no change."""
    frame = dataset.frame
    if trigger.startswith("zoom-"):
        keep = matches(frame, replace(view, window=None), dataset.members)
        if not keep.any():
            return None
        ix = index_for(frame)
        deadline = ix.kind_codes[keep] == KINDS.index("deadline")
        return zoom_window(trigger.removeprefix("zoom-"), frame["start"].to_numpy()[keep],
                           frame["end"].to_numpy()[keep], deadline, dataset.as_of)
    try:
        parsed = Scale.from_store(scale) if isinstance(scale, dict) else None
    except (KeyError, TypeError, ValueError):
        parsed = None
    return window_from_relayout(relayout, parsed, _full_span(frame))


def __getattr__(name: str):
    # The WSGI entry point is built on first access, so importing this module loads nothing.
    if name == "server":
        global server
        server = create_app(os.environ.get("TIMELINE_EVENTS", "events.csv"),
                            actors=os.environ.get("TIMELINE_ACTORS") or None,
                            title=os.environ.get("TIMELINE_TITLE") or None).server
        return server
    raise AttributeError(name)
