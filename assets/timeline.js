// The browser's own parseFloat, parseInt and trims, which Dash's polyfill replaced with slower
// ones (saved before it ran: timeline/app.py, NATIVES).
(window.__timelineNatives || []).forEach(function (saved) {
  if (typeof saved[2] === "function") { saved[0][saved[1]] = saved[2]; }
});

// The chart is laid out on the server for the room it has (firstpaint.js, sizeOf): sent once on
// load and again after a resize.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  timeline: {
    chartSize: function () {
      return window.timelinePage.sizeOf(document.getElementById("chart-box"));
    },

    // The address of the view the controls show, as the server writes it (View.to_query): the
    // page moves to it at once, without a request to the server first. null where the server
    // must decide (a date or zoom window not written as YYYY-MM-DD, text that cannot be encoded).
    addressOf: function (values, search, rules) {
      var strings = function (value) {
        return (Array.isArray(value) ? value : [value]).filter(function (v) { return typeof v === "string" && v; });
      };
      var first = function (value) { var found = strings(value); return found.length ? found[0].trim() : ""; };
      var day = function (text) {  // undefined: not YYYY-MM-DD, so the server decides; null: no such day
        text = text.slice(0, 10);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) { return undefined; }
        var y = +text.slice(0, 4), m = +text.slice(5, 7), d = +text.slice(8, 10);
        var t = new Date(Date.UTC(2000, m - 1, d));
        t.setUTCFullYear(y);
        var real = t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
        return real && y >= 1678 && y <= 2261 ? text : null;
      };
      var params = new URLSearchParams((search || "").replace(/^\?/, ""));
      var param = function (key) { return first(params.getAll(key)); };
      var actors = [];
      strings(values[0]).forEach(function (a) {
        a = a.trim();
        if (a && actors.indexOf(a) < 0) { actors.push(a); }
      });
      actors = actors.slice(0, rules.max_actors);
      var chosen = function (value, vocabulary) {
        var picked = strings(value);
        return vocabulary.filter(function (v) { return picked.indexOf(v) >= 0; });
      };
      var lo = first(values[4]) ? day(first(values[4])) : null;
      var hi = first(values[5]) ? day(first(values[5])) : null;
      if (lo === undefined || hi === undefined) { return null; }
      if (lo && hi && lo > hi) { var swap = lo; lo = hi; hi = swap; }
      var windowText = param("window"), zoom = null;
      if (windowText) {
        var cut = windowText.indexOf("..");
        if (cut < 0) { zoom = null; } else {
          var a = day(windowText.slice(0, cut)), b = day(windowText.slice(cut + 2));
          if (a === undefined || b === undefined) { return null; }
          zoom = a && b ? (a <= b ? a + ".." + b : b + ".." + a) : null;
        }
      }
      var match = first(values[1]), lanes = first(values[7]), axis = first(values[8]), order = param("order");
      var pairs = actors.map(function (a) { return ["actor", a]; });
      if (rules.matches.indexOf(match) > 0) { pairs.push(["match", match]); }
      chosen(values[2], rules.kinds).forEach(function (k) { pairs.push(["kind", k]); });
      chosen(values[3], rules.statuses).forEach(function (k) { pairs.push(["status", k]); });
      if (lo) { pairs.push(["from", lo]); }
      if (hi) { pairs.push(["to", hi]); }
      if (first(values[6])) { pairs.push(["q", first(values[6])]); }
      if (rules.lanes.indexOf(lanes) > 0) { pairs.push(["lanes", lanes]); }
      if (rules.axes.indexOf(axis) > 0) { pairs.push(["axis", axis]); }
      if (zoom) { pairs.push(["window", zoom]); }
      if (rules.orders.indexOf(order) >= 0) { pairs.push(["order", order]); }
      // Python's urlencode: letters, digits and _.-~ as they are, a space as +, the rest %XX of UTF-8.
      var encode = function (text) {
        return encodeURIComponent(text).replace(/[!'()*]/g, function (c) {
          return "%" + c.charCodeAt(0).toString(16).toUpperCase();
        }).replace(/%20/g, "+");
      };
      var query;
      try {
        query = pairs.map(function (p) { return p[0] + "=" + encode(p[1]); }).join("&");
      } catch (error) {
        return null;
      }
      var keep = params.getAll("view").filter(function (v) { return v; });
      if (keep.length) { query = query ? query + "&view=" + keep[0] : "view=" + keep[0]; }
      return query ? "?" + query : "";
    },

    // A control changed: the address follows at once (the chart's callback then runs), unless the
    // controls only show the address they were set from (the server's sync after a load or the
    // back button) or the address is the server's to write (addressOf says null: a request).
    controlsToAddress: function (actors, match, kinds, statuses, start, end, text, lanes, axis,
                                 search, shown, rules, asked) {
      var ns = window.dash_clientside.timeline;
      var values = [actors, match, kinds, statuses, start, end, text, lanes, axis];
      search = search || "";
      var address = ns.addressOf(values, search, rules);
      if (address === null) { return (asked || 0) + 1; }
      if (shown && shown.search === search && address === ns.addressOf(shown.controls, search, rules)) {
        return window.dash_clientside.no_update;
      }
      if (address === search) { return window.dash_clientside.no_update; }
      window.dash_clientside.set_props("address-from-controls", {data: address});
      window.dash_clientside.set_props("url", {search: address});
      return window.dash_clientside.no_update;
    },

    // The events as buttons, grouped by day (firstpaint.js, listOf).
    drawList: function (groups, selected) {
      var list = document.getElementById("event-list");
      if (!list) { return window.dash_clientside.no_update; }
      var focused = document.activeElement && document.activeElement.getAttribute("data-event");
      list.replaceChildren(window.timelinePage.listOf(groups, selected));
      if (focused) {  // a redraw keeps the keyboard where it was
        var again = list.querySelector('[data-event="' + focused + '"]');
        if (again) { again.focus(); }
      }
      return (groups || []).length;
    },
  },
});

// The chart is laid out again when its box changes size: a resized window, or the details panel
// opening beside it (which narrows the page rather than covering the chart's right side).
(function () {
  var timer = null;
  var last = null;
  var keyOf = function (size) { return size.width + "x" + size.height; };
  var schedule = function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var size = window.dash_clientside.timeline.chartSize();
      if (keyOf(size) !== last && window.dash_clientside.set_props) {
        last = keyOf(size);
        window.dash_clientside.set_props("chart-size", {data: size});
      }
    }, 250);
  };
  window.addEventListener("resize", schedule);
  if (!window.ResizeObserver) { return; }
  var observer = new ResizeObserver(schedule);
  var watch = setInterval(function () {
    var box = document.getElementById("chart-box");
    if (box && window.dash_clientside && window.dash_clientside.timeline) {
      last = keyOf(window.dash_clientside.timeline.chartSize());  // the size the page started with
      observer.observe(box);
      clearInterval(watch);
    }
  }, 300);
})();

// Hovering a mark lights up the same event in every lane it is drawn in and dims the rest,
// so an event's marks read as one without lines across unrelated lanes.
(function () {
  function eventId(point) {
    var data = point && point.customdata;
    return data && typeof data[0] === "string" ? data[0] : null;
  }

  function highlight(gd, id) {
    var indices = [], selected = [];
    (gd.data || []).forEach(function (trace, i) {
      if (!trace.customdata || !trace.customdata.length) { return; }
      indices.push(i);
      var hits = [];
      if (id !== null) {
        for (var k = 0; k < trace.customdata.length; k++) {
          if (trace.customdata[k][0] === id) { hits.push(k); }
        }
      }
      selected.push(id === null ? null : hits);
    });
    if (indices.length) {
      window.Plotly.restyle(gd, {selectedpoints: selected, "unselected.marker.opacity": 0.25}, indices);
    }
  }

  function attach() {
    var gd = document.querySelector("#timeline-graph .js-plotly-plot");
    if (!gd || gd._timelineHover || !gd.on || !window.Plotly) { return; }
    gd._timelineHover = true;
    gd.on("plotly_hover", function (event) {
      var id = eventId(event.points && event.points[0]);
      if (id !== null) { highlight(gd, id); }
    });
    gd.on("plotly_unhover", function () { highlight(gd, null); });
  }

  setInterval(attach, 500);
})();

// The event list is one tab stop: arrow keys move between events (Home and End to the ends),
// Enter opens an event's details, Escape closes them and gives focus back to the event.
(function () {
  var lastItem = null;

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("#event-list .event-item"));
  }

  function focusItem(list, index) {
    var target = list[Math.max(0, Math.min(list.length - 1, index))];
    if (!target) { return; }
    list.forEach(function (item) { item.tabIndex = item === target ? 0 : -1; });
    target.focus();
    lastItem = target;
  }

  document.addEventListener("keydown", function (event) {
    var item = event.target.closest && event.target.closest(".event-item");
    if (item) {
      var list = items();
      var at = list.indexOf(item);
      var moves = {ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1,
                   Home: 0, End: list.length - 1};
      if (event.key in moves) {
        event.preventDefault();
        focusItem(list, moves[event.key]);
        return;
      }
      if (event.key === "Enter" || event.key === " ") { lastItem = item; }
    }
    if (event.key === "Escape") {
      var details = document.getElementById("event-details");
      if (details && !details.hidden) {
        event.preventDefault();
        document.getElementById("close-details").click();
        // The list may have been drawn anew since: find the event again by its id.
        var id = lastItem && lastItem.getAttribute("data-event");
        var again = id && document.querySelector('#event-list [data-event="' + id + '"]');
        if (again) { again.focus(); }
      }
    }
  });

  // A click (or Enter, or Space) on an event of the list selects it, as a click on its mark does.
  document.addEventListener("click", function (event) {
    var item = event.target.closest && event.target.closest("#event-list .event-item");
    if (!item || !window.dash_clientside.set_props) { return; }
    lastItem = item;
    window.dash_clientside.set_props("selected-event", {data: Number(item.getAttribute("data-event"))});
  });

  document.addEventListener("focusin", function (event) {
    var item = event.target.closest && event.target.closest(".event-item");
    if (item) {
      lastItem = item;
      items().forEach(function (other) { other.tabIndex = other === item ? 0 : -1; });
    }
  });
})();

// Dash 4's own controls miss a few ARIA rules (axe-core: nested-interactive, aria-hidden-focus,
// aria-allowed-attr, aria-prohibited-attr). Until they are fixed upstream, the page mends their
// markup after every render: radio groups are radiogroups of plain labels, the dropdowns' focus
// target is named by its field's label, the date range wrapper is a labelled group.
(function () {
  function labelOf(element) {
    var field = element.closest(".field");
    var label = field && field.querySelector(":scope > label");
    return label ? label.textContent.trim() : "";
  }

  function set(element, name, value) {
    if (element.getAttribute(name) !== value) { element.setAttribute(name, value); }
  }

  function unset(element, name) {
    if (element.hasAttribute(name)) { element.removeAttribute(name); }
  }

  function mend() {
    document.querySelectorAll(".dash-radioitems").forEach(function (group) {
      set(group, "role", "radiogroup");
      set(group, "aria-label", group.id === "actor-match" ? "Match" : labelOf(group));
      group.querySelectorAll(".dash-options-list-option").forEach(function (option) {
        unset(option, "role");
        unset(option, "aria-selected");
      });
      group.querySelectorAll("input[readonly]").forEach(function (input) { unset(input, "readonly"); });
    });
    document.querySelectorAll(".dash-dropdown-focus-target").forEach(function (input) {
      unset(input, "aria-hidden");
      set(input, "aria-label", labelOf(input) + ": open the list");
    });
    document.querySelectorAll(".dash-datepicker-input-wrapper").forEach(function (wrapper) {
      ["aria-labelledby", "aria-haspopup", "aria-expanded", "aria-disabled", "type"].forEach(function (name) {
        unset(wrapper, name);
      });
      set(wrapper, "role", "group");
      set(wrapper, "aria-label", labelOf(wrapper) || "Period");
    });
    document.querySelectorAll(".dash-datepicker-clear").forEach(function (clear) {
      set(clear, "role", "button");
      set(clear, "tabindex", "0");
    });
  }

  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) { return; }
    scheduled = true;
    window.requestAnimationFrame(function () { scheduled = false; mend(); });
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                        attributeFilter: ["role", "aria-selected", "aria-hidden", "aria-labelledby"]});

  // On a phone the filters start folded: the events come first.
  // (This script may run after the document is parsed: Dash's scripts wait for the first paint.)
  var fold = function () {
    var wait = setInterval(function () {
      var filters = document.getElementById("filters");
      if (!filters) { return; }
      clearInterval(wait);
      if (window.matchMedia("(max-width: 700px)").matches) { filters.open = false; }
    }, 50);
  };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fold); } else { fold(); }
})();
