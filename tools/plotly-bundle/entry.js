// plotly.js with only what the timeline's figure draws: core (scatter, the axes, legend, shapes,
// annotations, hover, the mode bar) plus bar, heatmap and scattergl (the marks of large views).
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/scattergl'),
]);

module.exports = Plotly;
