"""The reader's page: layout and callbacks only; every callback is a thin call into the layers below.

Run it with ``python -m timeline serve``, or under a WSGI server::

    TIMELINE_EVENTS=events.csv gunicorn "timeline.app:server"
"""

from __future__ import annotations

import os
from dataclasses import replace
from urllib.parse import parse_qs

import dash_ag_grid as dag
from dash import Dash, Input, Output, State, callback_context, dcc, html, no_update
from dash.exceptions import PreventUpdate

from . import components as parts
from .figure import DEFAULT_TITLE, event_id_from_point, figure_spec, plot_config, window_from_relayout
from .filters import View, actor_counts, apply, resolve_actors, slug
from .live import LiveEvents
from .schema import KINDS, STATUSES

ASSETS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "assets")
POLL_MS = 2_000
TABLE_LIMIT = 500
REPORT_SIZE = (1600, 900)
CONTROLS = (
    ("actor-filter", "value"),
    ("actor-match", "value"),
    ("kind-filter", "value"),
    ("status-filter", "value"),
    ("period-filter", "start_date"),
    ("period-filter", "end_date"),
    ("text-filter", "value"),
    ("lane-mode", "value"),
)


def create_app(path: str = "events.csv", *, actors: str | None = None, title: str | None = None) -> Dash:
    """A Dash app serving the events file at ``path``, which it follows as editors change it.

    Importing this module reads nothing; Dash checks the layout when it is set, which
    reads the file once here.
    """
    events = LiveEvents(path, actors)
    title = title or DEFAULT_TITLE
    app = Dash(
        __name__,
        assets_folder=ASSETS,
        title=title,
        update_title=None,
        serve_locally=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    # A function, so each page load lists the actors of the data as it is then: a Dropdown
    # drops values missing from its options, which would lose actors from a shared address.
    app.layout = lambda: _layout(title, os.path.basename(path), _actor_options(events), events.current().version)
    _callbacks(app, events, title)
    return app


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
            html.Header(
                className="masthead",
                children=[
                    html.H1(title, id="page-title"),
                    html.P(id="page-subtitle", className="subtitle", children=filename),
                ],
            ),
            html.Div(id="data-error", className="banner", role="alert", hidden=True),
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
                        dcc.Dropdown(id="kind-filter", multi=True, options=option(KINDS), placeholder="All kinds"),
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
                        dcc.Input(id="text-filter", type="search", debounce=True, placeholder="Titles and notes",
                                  className="search"),
                    ]),
                    _field("Rows", "lane-mode", [
                        dcc.RadioItems(id="lane-mode", value="actors", inline=True,
                                       options=[{"label": "actors", "value": "actors"},
                                                {"label": "kinds", "value": "kinds"}]),
                    ]),
                    html.A("Reset", href="?", id="reset-view", className="reset"),
                ],
            ),
            html.P(id="event-count", className="count", **{"aria-live": "polite"}),
            html.Div(id="empty-message", className="empty", hidden=True,
                     children="No events match these filters. Remove a filter or widen the period."),
            dcc.Graph(id="timeline-graph", className="graph", responsive=True,
                      config=plot_config("timeline")),
            html.Div(
                className="below",
                children=[
                    html.Aside(id="event-details", className="details",
                               children=parts.placeholder()),
                    html.Div(className="table", children=[
                        dag.AgGrid(
                            id="event-table",
                            columnDefs=parts.TABLE_COLUMNS,
                            rowData=[],
                            getRowId="params.data.id",
                            defaultColDef={"sortable": True, "resizable": True, "filter": False},
                            dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False,
                                                              "enableClickSelection": True},
                                             "domLayout": "normal", "animateRows": False},
                            style={"height": "420px"},
                            className="ag-theme-quartz",
                        ),
                        html.P(id="table-note", className="note"),
                    ]),
                ],
            ),
        ],
    )


def _field(label: str, control_id: str, children, wide: bool = False):
    return html.Div(className="field wide" if wide else "field",
                    children=[html.Label(label, htmlFor=control_id), *children])


def view_from_controls(values) -> View:
    actors, match, kinds, statuses, start, end, text, lanes = values
    query = {
        "actor": actors or [],
        "match": [match or "any"],
        "kind": kinds or [],
        "status": statuses or [],
        "from": [start[:10]] if start else [],
        "to": [end[:10]] if end else [],
        "q": [text] if text else [],
        "lanes": [lanes or "actors"],
    }
    return View.from_query(query)


def controls_from_view(view: View) -> list:
    iso = lambda day: day.isoformat() if day else None  # noqa: E731
    return [list(view.actors), view.match, list(view.kinds), list(view.statuses),
            iso(view.date_from), iso(view.date_to), view.search, view.lanes]


def _view(search: str | None, dataset) -> View:
    """The view an address asks for, with actors as the data names them (a link may say "Zelenskyy")."""
    view = View.from_query(search or "")
    return resolve_actors(view, dataset.aliases)[0] if dataset is not None else view


def _search_with(view: View, previous_search: str) -> str:
    """The address for ``view``, keeping page options (``view=report``) that are not filters."""
    keep = parse_qs((previous_search or "").lstrip("?")).get("view")
    query = view.to_query().lstrip("?")
    if keep:
        query = "&".join(filter(None, [query, f"view={keep[0]}"]))
    return f"?{query}" if query else ""


def _callbacks(app: Dash, events: LiveEvents, title: str) -> None:
    control_outputs = [Output(i, p) for i, p in CONTROLS]
    control_inputs = [Input(i, p) for i, p in CONTROLS]

    @app.callback(
        Output("url", "search"), *control_outputs,
        Input("url", "search"), *control_inputs, Input("timeline-graph", "relayoutData"),
    )
    def sync_address(search, *values):
        """The address and the controls always show the same view; either may change first."""
        *controls, relayout = values
        trigger = callback_context.triggered_id
        if trigger in (None, "url"):
            return [no_update, *controls_from_view(_view(search, events.current().dataset))]
        current = View.from_query(search or "")
        if trigger == "timeline-graph":
            dataset = events.current().dataset
            window = window_from_relayout(relayout, dataset.frame) if dataset is not None else None
            if window is None or window == current.window:
                raise PreventUpdate
            view = replace(current, window=window)
        else:
            view = replace(view_from_controls(controls), window=current.window)
        new_search = _search_with(view, search)
        if new_search == (search or ""):
            raise PreventUpdate
        return [new_search, *[no_update] * len(CONTROLS)]

    # The page starts at the loaded version, so the first render need not wait for a poll.
    @app.callback(Output("data-version", "data"), Input("poll", "n_intervals"), State("data-version", "data"),
                  prevent_initial_call=True)
    def poll(_, known):
        version = events.current().version
        if version == known:
            raise PreventUpdate
        return version

    @app.callback(
        Output("timeline-graph", "figure"),
        Output("timeline-graph", "config"),
        Output("timeline-graph", "style"),
        Output("event-count", "children"),
        Output("empty-message", "hidden"),
        Output("event-table", "rowData"),
        Output("table-note", "children"),
        Output("actor-filter", "options"),
        Output("data-error", "children"),
        Output("data-error", "hidden"),
        Output("page", "className"),
        Output("page-subtitle", "children"),
        Input("url", "search"),
        Input("data-version", "data"),
        Input("selected-event", "data"),
    )
    def render(search, _version, selected):
        snapshot = events.current()
        report = parse_qs((search or "").lstrip("?")).get("view") == ["report"]
        view = _view(search, snapshot.dataset)
        banner = parts.banner(snapshot.problems, events.path)
        dataset = snapshot.dataset
        if dataset is None:
            empty = figure_spec(None, view)
            return (empty, no_update, no_update, "No events loaded", True, [], "", [], banner, not banner,
                    "page report" if report else "page", os.path.basename(events.path))
        frame = dataset.frame
        shown = apply(frame, view, dataset.members)
        width, height = REPORT_SIZE if report else (None, None)
        figure = figure_spec(frame, view, as_of=dataset.as_of, members=dataset.members, report=report,
                              width=width, height=height, highlight=selected, title=title if report else None)
        config = plot_config(slug(view, dataset.as_of), width=REPORT_SIZE[0], height=REPORT_SIZE[1])
        style = {"width": f"{width}px", "height": f"{height}px"} if report else {"height": f"{figure['layout']['height']}px"}
        rows, note = parts.table_rows(shown, view, TABLE_LIMIT)
        # Options change only with the data; re-sending them would disturb a reader typing in the menu.
        options = _actor_options(events) if callback_context.triggered_id in (None, "data-version") else no_update
        count = f"{len(shown):,} of {len(frame):,} events"
        subtitle = parts.subtitle(events.path, dataset.as_of)
        return (figure, config, style, count, len(shown) > 0, rows, note, options, banner, not banner,
                "page report" if report else "page", subtitle)

    @app.callback(
        Output("selected-event", "data"),
        Input("timeline-graph", "clickData"),
        Input("event-table", "selectedRows"),
        prevent_initial_call=True,
    )
    def select(click, rows):
        if callback_context.triggered_id == "event-table":
            return int(rows[0]["id"]) if rows else None
        event_id = event_id_from_point((click or {}).get("points", [None])[0])
        if event_id is None:
            raise PreventUpdate
        return event_id

    @app.callback(Output("event-details", "children"), Input("selected-event", "data"), Input("data-version", "data"))
    def show_details(event_id, _version):
        dataset = events.current().dataset
        return parts.panel(dataset.frame if dataset is not None else None, event_id)


def __getattr__(name: str):
    # The WSGI entry point is built on first access, so importing this module loads nothing.
    if name == "server":
        global server
        server = create_app(os.environ.get("TIMELINE_EVENTS", "events.csv"),
                            actors=os.environ.get("TIMELINE_ACTORS") or None,
                            title=os.environ.get("TIMELINE_TITLE") or None).server
        return server
    raise AttributeError(name)
