// Builds ../../assets/plotly-timeline.min.js: plotly.js's own esbuild settings (its
// esbuild-config.js), with the one CSS file of the map traces, which this bundle leaves out,
// resolved to nothing. Run with `npm ci && node build.mjs` in this folder.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const version = JSON.parse(readFileSync(require.resolve('plotly.js/package.json'), 'utf8')).version;
const out = new URL('../../assets/plotly-timeline.min.js', import.meta.url).pathname;

const noMapCss = {
    name: 'no-map-css',
    setup(b) {
        b.onResolve({ filter: /maplibre-gl\.css$/ }, () => ({ path: 'maplibre-gl.css', namespace: 'empty' }));
        b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: '', loader: 'js' }));
    },
};

const result = await build({
    entryPoints: [new URL('entry.js', import.meta.url).pathname],
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    write: false,
    legalComments: 'none',
    plugins: [noMapCss],
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    target: 'es2016',
    logLevel: 'warning',
});
const header = `/**\n* plotly.js v${version} (timeline partial bundle: core, bar, heatmap, scattergl)\n`
    + '* Copyright 2012-2026, Plotly, Inc.\n* All rights reserved.\n* Licensed under the MIT license\n*/\n';
writeFileSync(out, header + result.outputFiles[0].text);
console.log(`${out}: plotly.js ${version}, ${result.outputFiles[0].contents.length} bytes`);
