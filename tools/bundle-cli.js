#!/usr/bin/env node
/**
 * Bundles the CLI (`pipelines/cli/main.ts` and everything it imports) into `dist/cli.js`, which
 * `bin/stream-dse.js` runs, the solver thread's entry into `dist/operators/solver-worker.bundle.js` and
 * the picture drawing code into `dist/lib/report/plots/picture-drawing.bundle.js`.
 * One file instead of ~400 modules takes most of the module loading out of a CLI run (resolution, file
 * reads and per-file compiles: ≈ 100 ms of a ≈ 0.5 s `co` run). rxjs, fp-ts and io-ts come from their ES
 * builds, so only what the pipelines use is in it and nothing is copied for CommonJS interop. The
 * commands' modules stay lazy inside the bundle (main.ts requires them on use).
 *
 * `tsc` still writes every module to dist/ (library entry, worker entries, the picture renderer), and
 * the bundle leaves the code that must stay one instance or next to its own files outside:
 * - `operators/solver-thread.ts`: bin starts the solver thread before the bundle loads, and the `co`
 *   command takes over that very instance;
 * - the pictures (`lib/report/plots/`): their drawing code is a bundle of its own, loaded with the
 *   first picture, and the solver thread rasterises with the same modules;
 * - packages that read files relative to themselves or start workers from their own files (HiGHS's
 *   wasm, piscina, resvg, fonts): everything not in BUNDLED_PACKAGES is required at run time;
 * - worker entries are found through `__dirname`, which in bundled sources is rewritten to the
 *   directory of the module's own `tsc` output, so `cost-worker.js` and `variant-worker.js` resolve as
 *   before.
 */
'use strict';
const path = require('path');
const fs = require('fs');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const OUTFILE = path.join(DIST, 'cli.js');

/** Pure-JS packages that load no files of their own: bundled, with their dependencies. */
const BUNDLED_PACKAGES = new Set(['rxjs', 'yaml', 'commander', 'io-ts', 'fp-ts', 'onnx-proto', 'protobufjs', 'cli-progress']);

/** Project modules that stay separate `tsc` outputs (see above). */
const SEPARATE_MODULES = [/^lib\/report\/plots\//, /^operators\/solver-thread\.ts$/];

const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const posix = (file) => file.split(path.sep).join('/');
const relativeToRoot = (file) => posix(path.relative(ROOT, file));
/** Where `tsc` writes a project source. */
const distFileOf = (source) => path.join(DIST, path.relative(ROOT, source)).replace(/\.ts$/, '.js');
/** A path relative to `fromDir`, as a `require` specifier. */
const specifierFrom = (fromDir, file) => {
  const relative = posix(path.relative(fromDir, file));
  return relative.startsWith('.') ? relative : `./${relative}`;
};

/** Resolution and loading rules for a bundle written into `outDir`. */
const layoutPlugin = (outDir) => ({
  name: 'stream-dse-layout',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      // A bundled package's own dependencies come with it.
      if (args.kind === 'entry-point' || args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const name = packageOf(args.path);
      if (!BUNDLED_PACKAGES.has(name)) return { path: args.path, external: true };
      // rxjs's `node` export condition is its CommonJS build, which cannot be tree-shaken.
      if (name === 'rxjs') {
        const esm = path.join(ROOT, 'node_modules', 'rxjs', 'dist', 'esm', args.path === 'rxjs' ? 'index.js' : path.join(args.path.slice('rxjs/'.length), 'index.js'));
        if (fs.existsSync(esm)) return { path: esm };
      }
      return undefined;
    });
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolving' });
      if (resolved.errors.length > 0 || resolved.path.includes(`${path.sep}node_modules${path.sep}`)) return resolved;
      const relative = relativeToRoot(resolved.path);
      if (SEPARATE_MODULES.some((pattern) => pattern.test(relative))) return { path: specifierFrom(outDir, distFileOf(resolved.path)), external: true };
      return resolved;
    });
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await fs.promises.readFile(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(source)) return { contents: source, loader: 'ts' };
      const ownFile = posix(path.relative(outDir, distFileOf(args.path)));
      const ownDir = path.posix.dirname(ownFile);
      const contents = source
        .replace(/\b__dirname\b/g, `require('path').join(__dirname, ${JSON.stringify(ownDir)})`)
        .replace(/\b__filename\b/g, `require('path').join(__dirname, ${JSON.stringify(ownFile)})`);
      return { contents, loader: 'ts' };
    });
  },
});

/** The solver thread's entry, next to its tsc output (operators/solver-thread.ts prefers it). */
const SOLVER_WORKER = { entry: path.join(ROOT, 'operators', 'solver-worker.ts'), outfile: path.join(DIST, 'operators', 'solver-worker.bundle.js') };

/**
 * Edits to dependencies of the picture drawing code, made in its bundle only, for start-up time and
 * speed (the specs run the packages as published, so both draw the same pictures). The packages are pinned
 * (package.json): a release whose code differs fails the build here.
 *
 * - linkedom gives every node, each attribute included, its own listener map in a WeakMap when the
 *   node is made; the charts make thousands of nodes and never listen to one, and those WeakMap entries
 *   take a third of the time Plot spends drawing (their inserts and the collector's ephemeron work). In
 *   the bundle a node gets its map when a listener is first added; nodes without one dispatch to
 *   nobody, as before.
 * - Plot makes its default number format, an `Intl.NumberFormat`, when it loads; its first creation
 *   loads ICU's locale data (15 ms, a third of loading the bundle). The charts format every number
 *   themselves (Plot only sees strings), so in the bundle it is made when a number is first formatted.
 * - esbuild writes non-ASCII characters as escapes, except in regular expressions: Plot's axis code has
 *   one with arrows, which made the bundle's source a string of two bytes per character when read. As
 *   escapes there, the bundle is ASCII (`assertAscii` checks it stays so).
 */
const DEPENDENCY_EDITS = [
  {
    file: /[\\/]linkedom[\\/](esm|cjs)[\\/]interface[\\/]event-target\.js$/,
    edits: [
      ['  constructor() {\n    wm.set(this, new Map);\n  }', '  constructor() {}'],
      ['  addEventListener(type, listener, options) {\n    const map = wm.get(this);', '  addEventListener(type, listener, options) {\n    let map = wm.get(this);\n    if (!map) wm.set(this, (map = new Map()));'],
      ['  removeEventListener(type, listener) {\n    const map = wm.get(this);\n    if (map.has(type)) {', '  removeEventListener(type, listener) {\n    const map = wm.get(this);\n    if (map && map.has(type)) {'],
    ],
  },
  {
    file: /[\\/]@observablehq[\\/]plot[\\/]src[\\/]marks[\\/]axis\.js$/,
    edits: [['!/[↑↓→←]/.test(label)', '!/[\\u2191\\u2193\\u2192\\u2190]/.test(label)']],
  },
  {
    file: /[\\/]@observablehq[\\/]plot[\\/]src[\\/]format\.js$/,
    edits: [
      [
        '  const number = formatNumber(locale);\n  return (v) => (v instanceof Date ? formatIsoDate : typeof v === "number" ? number : string)(v);',
        '  let number;\n  return (v) => (v instanceof Date ? formatIsoDate : typeof v === "number" ? (number ??= formatNumber(locale)) : string)(v);',
      ],
    ],
  },
];

/**
 * Modules of the picture drawing code's dependencies left out of its bundle, each replaced by one that
 * says so should it ever be called: the charts make their documents node by node and never parse markup
 * (htmlparser2 and its entity tables, a third of the bundle's start-up), match CSS selectors (css-select,
 * with the serializer and entity tables it brings; Plot matches one only in its colour-ramp legends,
 * which the charts do not draw), read a style sheet (the CSS parser) or draw on a canvas (linkedom
 * would look for the optional `canvas` package at start-up). A release that no longer imports one of
 * them as matched here fails the build.
 */
const LEFT_OUT = [
  { importedAs: /^\.\.\/shared\/parse-from-string\.js$/, by: /[\\/]linkedom[\\/]esm[\\/]/, stub: 'export const parseFromString = () => { throw new Error("the picture bundle parses no markup"); };' },
  { importedAs: /^css-select$/, by: /[\\/]linkedom[\\/]esm[\\/]/, stub: 'const none = () => { throw new Error("the picture bundle matches no CSS selectors"); }; export const compile = none, is = none;' },
  { importedAs: /^@acemir\/cssom$/, by: /[\\/]linkedom[\\/]esm[\\/]/, stub: 'export const parse = () => { throw new Error("the picture bundle reads no style sheets"); };' },
  { importedAs: /^\.\.\/\.\.\/commonjs\/canvas\.cjs$/, by: /[\\/]linkedom[\\/]esm[\\/]/, stub: 'export default require("./canvas-shim.cjs");', dir: 'commonjs' },
];

const dependencyEdits = {
  name: 'picture-dependency-edits',
  setup(build) {
    const leftOut = new Set();
    LEFT_OUT.forEach(({ importedAs, by }, i) =>
      build.onResolve({ filter: importedAs }, (args) => {
        if (!by.test(args.importer)) return undefined;
        leftOut.add(i);
        return { path: String(i), namespace: 'left-out', pluginData: path.dirname(args.importer) };
      }),
    );
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => {
      const { stub, dir } = LEFT_OUT[Number(args.path)];
      return { contents: stub, loader: 'js', resolveDir: dir ? path.resolve(args.pluginData, '..', '..', dir) : args.pluginData };
    });
    build.onEnd(() => {
      const missed = LEFT_OUT.filter((_, i) => !leftOut.has(i)).map((m) => String(m.importedAs));
      if (missed.length > 0) throw new Error(`no module imported as ${missed.join(', ')}: update LEFT_OUT in tools/bundle-cli.js`);
    });
    for (const { file, edits } of DEPENDENCY_EDITS) {
      build.onLoad({ filter: file }, async (args) => {
        let contents = await fs.promises.readFile(args.path, 'utf8');
        for (const [from, to] of edits) {
          if (!contents.includes(from)) throw new Error(`${args.path} changed: update DEPENDENCY_EDITS in tools/bundle-cli.js`);
          contents = contents.replace(from, to);
        }
        return { contents, loader: 'js' };
      });
    }
  },
};

/**
 * The picture drawing code with everything it loads, Observable Plot, d3 and linkedom included, next
 * to its tsc output (lib/report/plots/render.ts prefers it): their ES modules are hundreds of files.
 */
const PICTURE_DRAWING = { entry: path.join(ROOT, 'lib', 'report', 'plots', 'picture-drawing.ts'), outfile: path.join(DIST, 'lib', 'report', 'plots', 'picture-drawing.bundle.js') };

/** What every bundle here shares: one CommonJS file for node 20 with a source map. */
const BUNDLE_OPTIONS = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // ES builds where a package has one (fp-ts, io-ts): no CommonJS interop copies, and tree-shaken.
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
};

async function main() {
  const bundle = (entry, outfile) => esbuild.build({ ...BUNDLE_OPTIONS, entryPoints: [entry], outfile, plugins: [layoutPlugin(path.dirname(outfile))] });
  const pictureDrawing = esbuild.build({
    ...BUNDLE_OPTIONS,
    entryPoints: [PICTURE_DRAWING.entry],
    outfile: PICTURE_DRAWING.outfile,
    // resvg (a native binding; drawing only outlines text) is loaded where it is installed.
    external: ['@resvg/*'],
    plugins: [dependencyEdits],
    minify: true,
  });
  const results = await Promise.all([bundle(path.join(ROOT, 'pipelines', 'cli', 'main.ts'), OUTFILE), bundle(SOLVER_WORKER.entry, SOLVER_WORKER.outfile), pictureDrawing]);
  if (results.some((r) => r.errors.length > 0)) process.exitCode = 1;
  else {
    assertAscii(PICTURE_DRAWING.outfile);
    writePictureDrawingCaches();
  }
}

/** Fails the build where `file` holds a character outside ASCII (see DEPENDENCY_EDITS). */
function assertAscii(file) {
  const source = fs.readFileSync(file, 'utf8');
  const at = source.search(/[^\x00-\x7f]/);
  if (at >= 0) throw new Error(`${path.relative(ROOT, file)} is not ASCII at ${JSON.stringify(source.slice(Math.max(0, at - 40), at + 20))}: escape it in DEPENDENCY_EDITS (tools/bundle-cli.js)`);
}

/**
 * The pictures' glyph outlines (lib/report/plots/rasterise.ts) and the drawing bundle's code cache
 * (lib/common/code-cache.ts): the bundle loaded and run over the sample charts (drawn, text outlined),
 * then its compiled code stored next to it, Plot's drawing code and the text outliner's included.
 */
function writePictureDrawingCaches() {
  require(path.join(DIST, 'lib', 'report', 'plots', 'rasterise.js')).writeGlyphTables();
  const { codeCacheFile, loadBundle, writeCodeCache } = require(path.join(DIST, 'lib', 'common', 'code-cache.js'));
  fs.rmSync(codeCacheFile(PICTURE_DRAWING.outfile), { force: true });
  const loaded = loadBundle(PICTURE_DRAWING.outfile);
  loaded.exports.drawSamples();
  writeCodeCache(loaded);
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
