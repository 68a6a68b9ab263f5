"""The timeline figure: one pure function from (events, view) to a Plotly figure.

The Dash page, the static exporter and the tests all call :func:`figure_spec`
(or :func:`build_figure`, the same as a ``go.Figure``), so a screenshot and an
export of the same view are the same picture.

Floors, top down: ``build`` -> ``axis``, ``lanes``, ``marks``, ``labels``, ``layout`` -> ``style``.
"""

from .axis import Scale, default_window, window_from_relayout, zoom_window
from .build import build_figure, event_id_from_point, figure_spec, plot_config
from .style import DEFAULT_TITLE, escape, text_width

__all__ = [
    "DEFAULT_TITLE", "Scale", "build_figure", "default_window", "escape", "event_id_from_point", "figure_spec",
    "plot_config", "text_width", "window_from_relayout", "zoom_window",
]
