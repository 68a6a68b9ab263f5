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
