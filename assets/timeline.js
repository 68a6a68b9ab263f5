// The chart is laid out on the server for the room it has on the page: the width of its box and
// the height of the window below the box's top. Sent once on load and again after a resize.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  timeline: {
    chartSize: function () {
      var box = document.getElementById("chart-box");
      var width = box ? box.clientWidth : window.innerWidth - 48;
      var top = box ? box.getBoundingClientRect().top + window.scrollY : 200;
      var height = Math.max(320, window.innerHeight - top - 12);
      return {width: Math.round(width), height: Math.round(height)};
    },
  },
});

(function () {
  var timer = null;
  var last = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var size = window.dash_clientside.timeline.chartSize();
      var key = size.width + "x" + size.height;
      if (key !== last && window.dash_clientside.set_props) {
        last = key;
        window.dash_clientside.set_props("chart-size", {data: size});
      }
    }, 250);
  });
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
