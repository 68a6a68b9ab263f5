// The page's first paint (timeline/firstpaint.py): the index page carries a still copy of the
// page; this script, which runs right after it and before plotly.js, asks the server for the
// chart's answer for the room the copy's chart has and draws it as soon as plotly.js has run,
// while Dash's scripts are still to run. Dash then renders the page out of sight, and once its
// chart shows its figure the copy goes: the reader sees the same page throughout.

// What the copy and Dash's page both use (timeline.js calls them too).
window.timelinePage = {
  // The chart is laid out on the server for the room it has on the page: the width of its box
  // and the height of the window below the box's top.
  sizeOf: function (box) {
    var width = box ? box.clientWidth : window.innerWidth - 48;
    var top = box ? box.getBoundingClientRect().top + window.scrollY : 200;
    // On a phone the chart follows the list: it may have the whole screen once scrolled to.
    var phone = window.matchMedia("(max-width: 700px)").matches;
    var height = Math.max(320, phone ? window.innerHeight - 16 : window.innerHeight - top - 12);
    // The phone's flag picks the list's default order (newest first) on the server.
    return {width: Math.round(width), height: Math.round(height), phone: phone};
  },

  // The events as buttons, grouped by day; text goes in as text, never as markup.
  listOf: function (groups, selected) {
    var make = function (tag, className, text) {
      var element = document.createElement(tag);
      if (className) { element.className = className; }
      if (text !== undefined) { element.textContent = text; }
      return element;
    };
    var fragment = document.createDocumentFragment();
    var first = true;
    (groups || []).forEach(function (group) {
      var day = make("li", "day");
      day.appendChild(make("h3", "day-label", group.label));
      var items = make("ul");
      group.items.forEach(function (event) {
        var chosen = event.id === selected;
        var button = make("button", "event-item kind-" + event.kind + " status-" + event.status +
                          (chosen ? " selected" : ""));
        button.type = "button";
        button.setAttribute("data-event", String(event.id));
        button.setAttribute("aria-pressed", chosen ? "true" : "false");
        button.tabIndex = (selected == null ? first : chosen) ? 0 : -1;
        var symbol = make("span", "symbol", event.symbol);
        symbol.setAttribute("aria-hidden", "true");
        button.appendChild(symbol);
        button.appendChild(make("span", "title", event.title));
        button.appendChild(make("span", "actors", event.actors));
        button.appendChild(make("span", "meta", event.meta));
        var item = make("li");
        item.appendChild(button);
        items.appendChild(item);
        first = false;
      });
      day.appendChild(items);
      fragment.appendChild(day);
    });
    return fragment;
  },
};

(function () {
  var copy = document.getElementById("first-paint");
  if (!copy || !window.fetch || !window.URLSearchParams) {
    if (copy) { copy.remove(); }
    return;
  }
  var part = function (name) { return copy.querySelector('[data-first="' + name + '"]'); };
  var answer, loaded = false, graph = null;
  // Dash's scripts wait until the chart is drawn or cannot be (timeline/serving.py, BOOT).
  var settled = false, waiting = [];
  var settle = function () {
    if (settled) { return; }
    settled = true;
    // After the frame that shows the chart.
    window.requestAnimationFrame(function () {
      setTimeout(function () { waiting.forEach(function (then) { then(); }); waiting = null; });
    });
  };
  setTimeout(settle, 3000);
  // As Dash's page does (timeline.js): on a phone the filters start folded, the events come first.
  var phone = window.matchMedia("(max-width: 700px)").matches;
  if (phone && part("filters")) { part("filters").open = false; }

  var draw = function () {
    if (answer === null || (loaded && !window.Plotly)) { settle(); return; }  // Dash draws the chart alone
    if (graph || !answer || !loaded || !window.Plotly || !copy.isConnected) { return; }
    graph = part("timeline-graph");
    var text = function (name, value) { if (part(name)) { part(name).textContent = value || ""; } };
    text("event-count", answer.count);
    text("page-subtitle", answer.subtitle);
    text("list-note", answer.note);
    if (part("empty-message")) { part("empty-message").hidden = answer.empty_hidden !== false; }
    if (part("page")) { part("page").className = answer.page; }
    // Made on the server from the page's own components, every text escaped (firstpaint.banner_html).
    if (answer.banner && part("data-error")) {
      part("data-error").innerHTML = answer.banner;
      part("data-error").hidden = false;
    }
    Object.keys(answer.orders || {}).forEach(function (order) {
      if (part("order-" + order)) { part("order-" + order).className = answer.orders[order]; }
    });
    if (answer.style) {
      graph.style.width = answer.style.width;
      graph.style.height = answer.style.height;
    }
    var list = function () {
      if (part("event-list")) { part("event-list").replaceChildren(window.timelinePage.listOf(answer.list, null)); }
    };
    // Beside the chart, the list once the chart is on screen (500 events laid out first would
    // hold it back); on a phone, where the list comes first and the chart below it, the list first.
    if (size.phone) { list(); }
    try {
      window.Plotly.newPlot(graph, answer.figure.data, answer.figure.layout, answer.config);
    } finally {
      window.requestAnimationFrame(function () {
        setTimeout(function () {
          if (!size.phone) { list(); }
          settle();
        });
      });
    }
  };

  var size = window.timelinePage.sizeOf(part("chart-box"));
  var question = new URLSearchParams({search: window.location.search, width: size.width, height: size.height,
                                      phone: size.phone ? "1" : "0"});
  window.fetch(copy.getAttribute("data-prefix") + "_timeline/first?" + question, {credentials: "same-origin"})
    .then(function (response) { return response.status === 200 ? response.json() : null; })
    .then(function (found) { answer = found; draw(); })
    .catch(function () { answer = null; settle(); });

  window.timelineFirstPaint = {
    plotlyLoaded: function () { loaded = true; draw(); },
    then: function (run) { if (waiting) { waiting.push(run); } else { run(); } },
  };

  // Dash's page takes the copy's place once its chart shows the answer of its own callback (the
  // same figure) and its count line says it; or after a while whatever it shows (an error).
  var started = Date.now();
  var watch = setInterval(function () {
    var root = document.getElementById("react-entry-point");
    var gd = root && root.querySelector("#timeline-graph .js-plotly-plot");
    var count = root && root.querySelector("#event-count");
    var ready = gd && gd.layout && !(gd.layout.meta && gd.layout.meta.pending) && gd.querySelector(".main-svg") &&
      count && count.textContent.trim();
    if (!ready && Date.now() - started < 20000) { return; }
    clearInterval(watch);
    copy.remove();
    if (graph && window.Plotly) { window.Plotly.purge(graph); }
  }, 40);
})();
