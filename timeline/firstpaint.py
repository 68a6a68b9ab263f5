"""The page's first paint: its layout as plain HTML, drawn by the browser before Dash has started.

Dash draws nothing until its scripts have run, the layout and the callbacks have been asked
for and the chart's callback has answered: more than twice the time the chart alone takes. The
index page therefore carries the layout itself, rendered here, and the page's first script
(assets/firstpaint.js) fetches the chart's answer for the room the chart has (``answer``) and
draws it there as soon as plotly.js is loaded; Dash then renders the same page out of sight and
takes its place once its chart shows the same figure.

The copy is only looked at: it is ``inert`` (no focus, no clicks) and hidden from screen
readers, and it carries no ids (Dash's page has them); an element the first script fills in
is named by ``data-first``. Dash's own controls are drawn as still boxes of their size.
Every text and attribute value is escaped.
"""

from __future__ import annotations

import gzip
from datetime import date
from html import escape

from plotly.io.json import to_json_plotly

# Dash's components that draw nothing.
INVISIBLE = {"Location", "Interval", "Store"}
VOID = {"br", "hr", "img", "input", "wbr"}
# Attributes that name other elements by id: the copy has none.
BY_ID = {"htmlFor", "aria-describedby", "aria-labelledby", "aria-controls", "aria-live"}
ATTRIBUTES = {"className": "class", "href": "href", "role": "role", "title": "title", "type": "type"}
# Above this many bytes (gzipped), the answer is not worth a second copy: Dash draws the chart alone.
MAX_ANSWER = 2 * 1024 * 1024


def page_html(layout, prefix: str) -> str:
    """The first paint of ``layout`` (Dash's component tree), for a page served under ``prefix``."""
    return (f'<div id="first-paint" class="first-paint" inert aria-hidden="true" data-prefix="{escape(prefix)}">'
            f"{static_html(layout)}</div>")


def static_html(node) -> str:
    """A Dash component tree (html and dcc components, strings, numbers, lists) as HTML."""
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, (str, int, float)):
        return escape(str(node))
    if isinstance(node, (list, tuple)):
        return "".join(static_html(child) for child in node)
    kind = type(node).__name__
    namespace = getattr(node, "_namespace", "")
    props = node.to_plotly_json()["props"]
    if namespace == "dash_html_components":
        return _element(kind.lower(), props, static_html(props.get("children")))
    if kind in INVISIBLE:
        return ""
    return _control(kind, props)


def _element(tag: str, props: dict, inner: str) -> str:
    props = {name: value for name, value in props.items() if value is not None}
    attributes = []
    if "id" in props:
        attributes.append(("data-first", str(props["id"])))
    for name, value in props.items():
        if name in BY_ID:
            continue
        if name in ATTRIBUTES or name.startswith("aria-"):
            attributes.append((ATTRIBUTES.get(name, name), str(value)))
        elif name in ("hidden", "open") and value is True:
            attributes.append((name, None))
    opening = "".join(f" {name}" if value is None else f' {name}="{escape(value)}"' for name, value in attributes)
    return f"<{tag}{opening}>" if tag in VOID else f"<{tag}{opening}>{inner}</{tag}>"


def _control(kind: str, props: dict) -> str:
    """Dash's controls as still boxes of their size, showing their values or their placeholders."""
    box = lambda text, extra="": f'<div class="first-box{extra}"><span>{escape(text)}</span></div>'  # noqa: E731
    chosen = lambda value, extra: box(str(value), extra + " first-chosen")  # noqa: E731
    value = props.get("value")
    if kind == "Dropdown":
        values = value if isinstance(value, list) else [value] if value else []
        if not values:
            return box(str(props.get("placeholder", "")), " first-menu")
        # As Dash's menu says it.
        return chosen(values[0] if len(values) == 1 else f"{len(values)} selected", " first-menu")
    if kind == "DatePickerRange":
        start = _day(props.get("start_date")) or props.get("start_date_placeholder_text", "")
        end = _day(props.get("end_date")) or props.get("end_date_placeholder_text", "")
        return box(f"{start} → {end}", " first-chosen" if props.get("start_date") or props.get("end_date") else "")
    if kind == "Input":
        return chosen(value, " first-input") if value else box(str(props.get("placeholder", "")), " first-input")
    if kind == "RadioItems":
        options = "".join(
            f'<label><input type="radio"{" checked" if o["value"] == props.get("value") else ""}>'
            f'{escape(str(o["label"]))}</label>' for o in props.get("options", []))
        return _element("div", {"id": props.get("id"), "className": f"first-radios {props.get('className', '')}"},
                        options)
    if kind == "Graph":
        return _element("div", {"id": props.get("id"), "className": props.get("className", "")}, "")
    if kind == "Link":
        return _element("a", props, static_html(props.get("children")))
    return ""


def _day(value) -> str:
    """A day as the page's date picker writes it (its display_format, D MMM YYYY)."""
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return ""
    return f"{day.day} {day:%b} {day.year}"


def answer_bytes(outputs: dict) -> bytes | None:
    """The first paint's answer as gzipped JSON, or None when it is too large to be worth it."""
    packed = gzip.compress(to_json_plotly(outputs).encode("utf-8"), compresslevel=6)
    return packed if len(packed) <= MAX_ANSWER else None


def banner_html(banner) -> str:
    """The banner's components as HTML ("" for none), escaped as everything here."""
    return static_html(banner) if banner else ""
