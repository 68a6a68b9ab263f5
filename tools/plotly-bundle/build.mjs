// Builds ../../assets/plotly-timeline.min.js: plotly.js's own esbuild settings (its
// esbuild-config.js), with the one CSS file of the map traces, which this bundle leaves out,
// resolved to nothing, and the patches of PATCHES. Run with `npm ci && node build.mjs` here.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const version = JSON.parse(readFileSync(require.resolve('plotly.js/package.json'), 'utf8')).version;
const out = new URL('../../assets/plotly-timeline.min.js', import.meta.url).pathname;

// Each: a file of plotly.js, the text it holds and what replaces it. The build fails if the
// text is not found (a new plotly.js version: check whether the patch is still needed).
const PATCHES = [
    {
        // Annotations are drawn to measure them for the autorange of the axes they sit on, then
        // drawn again in their place: when none of those axes autoranges (the timeline fixes both
        // ranges), that first drawing is thrown away. It was a sixth of a redraw with 80 titles.
        file: 'src/components/annotations/calc_autorange.js',
        find: 'if(annotationList.length && gd._fullData.length) {',
        replace: 'if(annotationList.length && gd._fullData.length && annotationList.some(function(ann) {\n'
            + '        var xa = Axes.getFromId(gd, ann.xref);\n'
            + '        var ya = Axes.getFromId(gd, ann.yref);\n'
            + '        return (xa && xa.autorange) || (ya && ya.autorange);\n'
            + '    })) {',
    },
    {
        // With fixed margins (layout.margin.autoexpand false, as the timeline's) the plot's size
        // is known before anything is drawn: the legend and colour bar are then drawn once, in
        // their place, not first where the previous figure's size put them and again after (a
        // sixth of a redraw whenever the chart's height changes, as it does with the lanes).
        file: 'src/plot_api/plot_api.js',
        find: '    var oldMargins = Lib.extendFlat({}, fullLayout._size);',
        replace: '    if(fullLayout.margin.autoexpand === false) Plots.doAutoMargin(gd);\n'
            + '    var oldMargins = Lib.extendFlat({}, fullLayout._size);',
    },
];

const patched = {
    name: 'patches',
    setup(b) {
        for (const patch of PATCHES) {
            const path = require.resolve('plotly.js/' + patch.file);
            b.onLoad({ filter: new RegExp(patch.file.replace(/[.\/]/g, '\\$&') + '$') }, (args) => {
                if (args.path !== path) return undefined;
                const text = readFileSync(path, 'utf8');
                if (!text.includes(patch.find)) throw new Error(`${patch.file}: patch text not found`);
                return { contents: text.replace(patch.find, patch.replace), loader: 'js' };
            });
        }
    },
};

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
    plugins: [noMapCss, patched],
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    target: 'es2016',
    logLevel: 'warning',
});
const header = `/**\n* plotly.js v${version} (timeline partial bundle: core, bar, heatmap, scattergl;`
    + ` ${PATCHES.length} patch${PATCHES.length === 1 ? '' : 'es'}: tools/plotly-bundle/build.mjs)\n`
    + '* Copyright 2012-2026, Plotly, Inc.\n* All rights reserved.\n* Licensed under the MIT license\n*/\n';
writeFileSync(out, header + result.outputFiles[0].text);
console.log(`${out}: plotly.js ${version}, ${result.outputFiles[0].contents.length} bytes`);
