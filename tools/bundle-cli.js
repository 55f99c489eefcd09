#!/usr/bin/env node
/**
 * Bundles the CLI (`pipelines/cli/main.ts` and everything it imports) into `dist/cli.js`, which
 * `bin/stream-dse.js` runs. One file instead of ~400 modules takes most of the module loading out of a
 * CLI run (resolution, file reads and per-file compiles: ≈ 100 ms of a ≈ 0.5 s `co` run), and rxjs comes
 * from its ES build, so only the operators the pipelines use are in it.
 *
 * `tsc` still writes every module to dist/ (library entry, worker entries, the picture renderer), and
 * the bundle leaves the code that must stay one instance or next to its own files outside:
 * - the picture renderer (`lib/report/plots/`) and `pipelines/cli/prestart.ts`: bin starts the renderer
 *   before the bundle loads, and the `co` command takes over that very instance;
 * - packages that read files relative to themselves or start workers from their own files (HiGHS's
 *   wasm, piscina, vega, resvg, fonts): everything not in BUNDLED_PACKAGES is required at run time;
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

/** Project modules that stay separate `tsc` outputs (shared with bin's prestart). */
const SEPARATE_MODULES = [/^pipelines\/cli\/prestart\.ts$/, /^lib\/report\/plots\//];

const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const relativeToRoot = (file) => path.relative(ROOT, file).split(path.sep).join('/');
/** `./lib/x/y.js`: the `tsc` output of a project source, as required from dist/cli.js. */
const distSpecifier = (source) => `./${relativeToRoot(source).replace(/\.ts$/, '.js')}`;

const layoutPlugin = {
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
      if (SEPARATE_MODULES.some((pattern) => pattern.test(relative))) return { path: distSpecifier(resolved.path), external: true };
      return resolved;
    });
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await fs.promises.readFile(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(source)) return { contents: source, loader: 'ts' };
      const ownDir = path.posix.dirname(relativeToRoot(args.path));
      const ownFile = distSpecifier(args.path).slice(2);
      const contents = source
        .replace(/\b__dirname\b/g, `require('path').join(__dirname, ${JSON.stringify(ownDir)})`)
        .replace(/\b__filename\b/g, `require('path').join(__dirname, ${JSON.stringify(ownFile)})`);
      return { contents, loader: 'ts' };
    });
  },
};

async function main() {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [path.join(ROOT, 'pipelines', 'cli', 'main.ts')],
    outfile: OUTFILE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [layoutPlugin],
  });
  if (result.errors.length > 0) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
