"""Writing the page's figure to a file for a report: PNG, SVG and PDF through kaleido, HTML offline;
and the view's events as TimelineJS3 JSON (timelinejs.py), for any TimelineJS embed."""

from __future__ import annotations

import json
import logging
import os

from .events import Dataset
from .figure import build_figure, plot_config
from .filters import View, slug
from .safewrite import replace_file

# kaleido's browser driver logs hiccups it recovers from, with a traceback; with logging
# unconfigured, Python would print them on the stderr of a successful export.
for _name in ("choreographer", "kaleido"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

FORMATS = ("png", "svg", "pdf", "html", "json")
DEFAULT_WIDTH = 1600  # the height, unless given, is what the view's lanes need (see figure.layout)
DEFAULT_SCALE = 2.0
NO_BROWSER = (
    "cannot export {fmt}: no Chrome or Chromium found. Install one (Debian/Ubuntu: "
    "`apt-get install chromium`; elsewhere: `plotly_get_chrome`) or set BROWSER_PATH to its binary; "
    "HTML export needs no browser."
)


class ExportError(Exception):
    """An export that could not be made; the message says why and what to do."""


def export_format(path: str) -> str:
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    if extension not in FORMATS:
        raise ExportError(f"{path}: cannot tell the format; the file name must end in "
                          + ", ".join(f".{f}" for f in FORMATS))
    return extension


def report_figure(dataset: Dataset, view: View, *, width: int, height: int | None = None, title: str | None = None):
    """The figure of ``view`` as a report shows it: the page's figure function, in report mode."""
    return build_figure(dataset.frame, view, as_of=dataset.as_of, members=dataset.members, report=True,
                        width=width, height=height, title=title, note=dataset.left_out_note() or None)


def figure_bytes(dataset: Dataset, view: View, fmt: str, *, width: int = DEFAULT_WIDTH,
                 height: int | None = None, scale: float = DEFAULT_SCALE, title: str | None = None) -> bytes:
    """The report figure of ``view`` as a file's bytes in ``fmt``: what ``export`` writes and the page downloads.
    With no ``height``, the figure is as tall as its lanes need (a filtered view is not half empty)."""
    return _bytes(report_figure(dataset, view, width=width, height=height, title=title), dataset, view, fmt, scale)


def _bytes(figure, dataset: Dataset, view: View, fmt: str, scale: float) -> bytes:
    width, height = int(figure.layout.width), int(figure.layout.height)
    if fmt == "html":
        config = plot_config(slug(view, dataset.as_of), width=width, height=height, scale=scale)
        return figure.to_html(include_plotlyjs=True, full_html=True, config=config).encode("utf-8")
    try:
        # --scale is the PNG's pixel density; it would only make an SVG or PDF page larger.
        return figure.to_image(format=fmt, width=width, height=height, scale=scale if fmt == "png" else 1)
    except RuntimeError as error:
        if "chrome" in str(error).lower() or "browser" in str(error).lower():
            raise ExportError(NO_BROWSER.format(fmt=fmt.upper())) from None
        raise ExportError(f"cannot export {fmt.upper()}: {error}") from None
    except TimeoutError:
        raise ExportError(f"cannot export {fmt.upper()}: the browser took too long to draw it") from None


def export(dataset: Dataset, view: View, path: str, *, width: int = DEFAULT_WIDTH,
           height: int | None = None, scale: float = DEFAULT_SCALE, title: str | None = None) -> tuple[str, int]:
    """Write the figure to ``path`` (format from its extension); returns the format and the height written
    (for JSON, the number of events)."""
    fmt = export_format(path)
    if fmt == "json":
        from .timelinejs import timeline_json

        document = timeline_json(dataset, view, title=title)
        if not document["events"]:
            raise ExportError(f"{path}: no event in this view: TimelineJS needs one; nothing written")
        data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        _write(path, data)
        return fmt, len(document["events"])
    figure = report_figure(dataset, view, width=width, height=height, title=title)
    data = _bytes(figure, dataset, view, fmt, scale)
    _write(path, data)
    return fmt, int(figure.layout.height)


def _write(path: str, data: bytes) -> None:
    try:
        replace_file(path, data)
    except OSError as error:
        raise ExportError(f"{path}: cannot write: {error.strerror or error}") from None
