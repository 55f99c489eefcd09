/**
 * Renders charts to SVG with a headless vega `View` (`renderer: 'none'`, `toSVG()`) and rasterises the
 * SVG to PNG with resvg, with the DejaVu Sans font shipped by the `dejavu-fonts-ttf` package so text
 * renders on machines without system fonts.
 *
 * A chart is a template filled with data (`template.ts`): its Vega spec is compiled and parsed ahead of
 * time and run in one view per template that every chart of the kind updates, so a picture costs only
 * the update of a dataflow that earlier charts (warm-up ones) left built and hot. A plain Vega-Lite spec
 * (the DSE sweep plot) is compiled when asked for, loading vega-lite then.
 *
 * Rendering runs in a worker thread. A renderer is started before the pipeline runs, so the worker
 * loads vega and warms its JIT up on sample charts (a cold vega takes several times as long for its
 * first charts) with the CPU the run leaves; the PNGs are rasterised by resvg on libuv's pool (text as
 * glyph outlines, prepared on the caller's thread, idle by then) while the worker lays out the next
 * chart. The worker also keeps vega out of the caller's module system: vega's ES modules use top-level
 * await, which neither `require` nor Jest's sandbox can load. Its code is a string evaluated as a
 * CommonJS script, so it runs the same from TypeScript sources (Jest) and from the compiled package.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { BOLD_WIDTHS, FALLBACK_WIDTH, GLYPH_CHARACTERS, REGULAR_WIDTHS } from './glyph-widths';
import type * as Png from './png';
import type { TemplateChart } from './template';
import type * as TextOutlines from './text-outlines';
import type * as TrueType from './truetype';

export type ImageFormat = 'svg' | 'png';
export const IMAGE_FORMATS: readonly ImageFormat[] = ['svg', 'png'];

/** A picture to draw: a chart template filled with data, or a Vega-Lite spec compiled when drawn. */
export type ChartJob = {
  /** File stem under `plots/`, e.g. `schedule-group-0`. */
  readonly name: string;
  readonly title: string;
} & ({ readonly chart: TemplateChart } | { readonly spec: TopLevelSpec });

export interface RenderedChart {
  readonly name: string;
  readonly title: string;
  readonly svg: string;
  /** Present when PNG output was asked for. */
  readonly png?: Uint8Array;
  /** What vega-lite and vega warned about while rendering (empty for a well-formed chart). */
  readonly warnings: readonly string[];
}

export interface ChartRenderer {
  render(job: ChartJob, options: { readonly png: boolean }): Promise<RenderedChart>;
  /** Stops the worker; pending renders reject. */
  close(): Promise<void>;
}

/** The font every chart uses; the same family name is what resvg matches against the shipped file. */
export const CHART_FONT = 'DejaVu Sans';
/**
 * PNG pixels per SVG unit. One: the charts are laid out for that size (11-12 px text), the SVG is the
 * sharp version, and rasterising costs as much as laying out (zoom 1.5 costs a quarter more).
 */
export const PNG_ZOOM = 1;

/** resvg's options for the pictures: only the shipped font (no system fonts), white background. */
export interface PngOptions {
  readonly font: { readonly loadSystemFonts: false; readonly fontFiles: string[]; readonly defaultFontFamily: string };
  readonly fitTo: { readonly mode: 'zoom'; readonly value: number };
  readonly background: string;
}

let fontFiles: string[] | undefined;

export function pngOptions(): PngOptions {
  fontFiles ??= ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));
  return { font: { loadSystemFonts: false, fontFiles, defaultFontFamily: CHART_FONT }, fitTo: { mode: 'zoom', value: PNG_ZOOM }, background: 'white' };
}

/** A picture for the worker to lay out as SVG. */
type WorkerJob = { readonly id: number } & ({ readonly chart: TemplateChart } | { readonly spec: TopLevelSpec });


interface WorkerData {
  /** ES module entry points (fallback) and the UMD bundles next to them. */
  readonly vega: string;
  readonly vegaLite: string;
  readonly bundles: { readonly vega: string; readonly vegaLite: string };
  /**
   * The compiled templates (`compiled-templates.ts`): the path of the compiled module, which the worker
   * loads itself (its large strings need not be parsed on the caller's thread), or, run from TypeScript
   * sources (Jest), its two strings.
   */
  readonly templates: { readonly module: string } | { readonly runtimes: string; readonly warmUp: string };
  /** Whether to draw the sample charts of `compiled-templates.ts` while no picture is asked for. */
  readonly warmUp: boolean;
  /** One Int32: how many pictures the caller has asked for. */
  readonly askedFor: SharedArrayBuffer;
  /** Niceness of the worker thread (0: the process's priority). */
  readonly nice: number;
  readonly glyphs: { readonly characters: string; readonly regular: readonly number[]; readonly bold: readonly number[]; readonly fallback: number };
}

type WorkerReply = { readonly id: number; readonly svg: string; readonly warnings: readonly string[] } | { readonly id: number; readonly error: string };

let outliner: TextOutlines.TextOutliner | undefined;

// PNG modules load on first use: the caller's thread starts the renderer early, before it has time to spare.
const png = () => require('./png') as typeof Png;

/** The shipped font's outlines, read once per process (a few ms) when the first PNG is drawn. */
function textOutliner(): TextOutlines.TextOutliner {
  if (!outliner) {
    const { parseTrueType } = require('./truetype') as typeof TrueType;
    const { createTextOutliner } = require('./text-outlines') as typeof TextOutlines;
    const [regular, bold] = pngOptions().font.fontFiles.map((file) => parseTrueType(fs.readFileSync(file)));
    outliner = createTextOutliner({ family: CHART_FONT, regular, bold });
  }
  return outliner;
}

/** resvg's options for an SVG with its text outlined: the font files only if some text is left. */
function outlinedOptions(svg: string): PngOptions {
  const options = pngOptions();
  return svg.includes('<text') ? options : { ...options, font: { ...options.font, fontFiles: [] } };
}

/**
 * SVG → PNG with the shipped font (resvg loads on first use: runs without pictures never pay for it).
 * The text goes to resvg as glyph outlines (its own text layout costs more than the rest of the chart);
 * resvg renders and zlib compresses on libuv's thread pool.
 */
export async function rasterise(svg: string): Promise<Uint8Array> {
  const outlined = textOutliner().outlineSvg(svg);
  return png().svgToPng(outlined, outlinedOptions(outlined));
}

/** Warms resvg up on the thread pool for PNGs to come (`prepareRasteriser`). */
export function prepareToRasterise(): void {
  png().prepareRasteriser(outlinedOptions(''));
}

const WORKER_SOURCE = `
'use strict';
const fs = require('fs');
const { parentPort, workerData } = require('worker_threads');
const { pathToFileURL } = require('url');

// This thread runs below the caller's threads (Linux lets a thread lower its own priority; elsewhere
// it keeps the process's).
if (workerData.nice) {
  try {
    require('os').setPriority(Number(fs.readlinkSync('/proc/thread-self').split('/').pop()), workerData.nice);
  } catch {
    // not Linux, or no /proc: the default priority
  }
}

// The single-file UMD bundles load in a fifth of the time of vega's ES module graph; the module entry
// points remain the fallback should a release stop shipping the bundles.
function loadBundle(file, requireFn) {
  const module = { exports: {} };
  new Function('exports', 'require', 'module', fs.readFileSync(file, 'utf8'))(module.exports, requireFn, module);
  return module.exports;
}
const importFile = (file) => import(pathToFileURL(file).href);
const bundles = workerData.bundles;
const haveBundles = fs.existsSync(bundles.vega) && fs.existsSync(bundles.vegaLite);
const vegaModule = (haveBundles ? Promise.resolve().then(() => loadBundle(bundles.vega, require)) : importFile(workerData.vega)).then((vega) => {
  vega.textMetrics.width = textWidth;
  return vega;
});
vegaModule.catch(() => undefined);
// Only a plain Vega-Lite spec needs vega-lite: the chart templates come compiled.
let vegaLiteModule;
function loadVegaLite(vega) {
  vegaLiteModule = vegaLiteModule || (haveBundles ? Promise.resolve(loadBundle(bundles.vegaLite, (id) => (id === 'vega' ? vega : require(id)))) : importFile(workerData.vegaLite));
  return vegaLiteModule;
}

// Text width in DejaVu Sans from its advance widths. A label with a length limit measures at most the
// limit: vega truncates such labels when drawing, and its truncation search relies on this cap.
const glyphs = workerData.glyphs;
const glyphIndex = new Map([...glyphs.characters].map((ch, i) => [ch, i]));
function textWidth(item, text) {
  // Vega measures text throughout a chart's layout: where a warm-up chart gives way to an asked-for one.
  if (warmingUp && Atomics.load(askedFor, 0) > taken) {
    interrupted = true;
    throw new Error(INTERRUPTED);
  }
  const size = item.fontSize != null ? +item.fontSize || 0 : 11;
  const widths = item.fontWeight === 'bold' || +item.fontWeight >= 600 ? glyphs.bold : glyphs.regular;
  let total = 0;
  for (const ch of text == null ? '' : String(text).trim()) {
    const i = glyphIndex.get(ch);
    total += i === undefined ? glyphs.fallback : widths[i];
  }
  const width = (total * size) / 1000;
  return item.limit > 0 ? Math.min(width, +item.limit) : width;
}

// The templates come parsed (vega's runtime descriptions): a view is built from them directly.
const templates = workerData.templates.module
  ? require(workerData.templates.module)
  : { CHART_RUNTIMES: workerData.templates.runtimes, WARM_UP_CHARTS: workerData.templates.warmUp };
let runtimes;
function runtimeOf(kind) {
  runtimes = runtimes || JSON.parse(templates.CHART_RUNTIMES);
  const runtime = runtimes[kind];
  if (!runtime) throw new Error('no chart template ' + kind);
  return runtime;
}

// Pictures go one at a time through vega; asked-for pictures first, warm-up charts only while none
// is waiting. A warm-up chart of a kind already asked for has nothing left to warm up, and one under
// way stops as soon as a picture is asked for: the caller counts the pictures it asks for in shared
// memory (messages would only arrive once the warm-up chart is done), the worker those it has taken.
const queue = [];
let warmUp = workerData.warmUp ? JSON.parse(templates.WARM_UP_CHARTS) : [];
const asked = new Set();
const askedFor = new Int32Array(workerData.askedFor);
let taken = 0;
let warmingUp = false;
let interrupted = false;
const INTERRUPTED = 'warm-up chart interrupted';
let busy = false;
parentPort.on('message', (message) => {
  queue.push(message);
  if (message.chart) {
    asked.add(message.chart.kind);
    warmUp = warmUp.filter((chart) => chart.kind !== message.chart.kind);
  }
  pump();
});
// Once vega is loaded, messages that came in meanwhile first.
vegaModule.then(() => setImmediate(pump), () => setImmediate(pump));

function pump() {
  if (busy) return;
  // A picture asked for whose message has not arrived yet: wait for it rather than start a warm-up.
  const waiting = Atomics.load(askedFor, 0) > taken;
  const job = queue.shift() || (warmUp.length > 0 && !waiting ? { id: -1, chart: warmUp.shift() } : undefined);
  if (!job) return;
  if (job.id >= 0) taken += 1;
  warmingUp = job.id < 0;
  busy = true;
  // The next picture starts from the event loop, not from this promise chain: vega's run can settle in
  // microtasks only, and pictures asked for meanwhile must get in before the next warm-up chart.
  render(job).finally(() => {
    busy = false;
    warmingUp = false;
    setImmediate(pump);
  });
}

// Warnings go back with the picture instead of to the console (stdout carries the CLI's results): the
// logger of every view writes to the current picture's list.
let warnings = [];
let failed = false;
const logger = {
  level() { return logger; },
  error: (...args) => { failed = true; warnings.push(args.join(' ')); },
  warn: (...args) => warnings.push(args.join(' ')),
  info: () => logger,
  debug: () => logger,
};

// One view per chart template, kept: a chart of that kind swaps its data and signals in and runs the
// view again. vega updates its dataflow instead of building a new one for every picture, and the view
// a warm-up chart ran is the one the asked-for chart runs, its code hot. A view whose run failed or was
// interrupted may be half updated: it is dropped and the next chart of its kind gets a new one.
const views = new Map();

async function chartSvg(vega, chart) {
  let view = views.get(chart.kind);
  if (!view) {
    view = new vega.View(runtimeOf(chart.kind), { renderer: 'none', logger, logLevel: vega.Warn });
    views.set(chart.kind, view);
  } else {
    // The last chart's marks go first, so the new chart's are laid out as a new view would lay them out
    // (legend columns, for one, would otherwise keep widths of entries that were there before). What
    // vega says about a view without data is no news.
    for (const name of Object.keys(chart.datasets)) view.data(name, []);
    await view.runAsync();
    warnings = [];
    failed = false;
  }
  for (const [name, value] of Object.entries(chart.signals)) view.signal(name, value);
  for (const [name, values] of Object.entries(chart.datasets)) view.data(name, values);
  try {
    return await view.toSVG();
  } finally {
    if (failed || interrupted) {
      views.delete(chart.kind);
      view.finalize();
    }
  }
}

async function specSvg(vega, spec) {
  const vegaLite = await loadVegaLite(vega);
  const view = new vega.View(vega.parse(vegaLite.compile(spec, { logger }).spec), { renderer: 'none', logger, logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

async function render(job) {
  // Warm-up charts (id -1) are not answered.
  const reply = (message) => job.id >= 0 && parentPort.postMessage(message);
  warnings = [];
  failed = false;
  interrupted = false;
  try {
    const vega = await vegaModule;
    const svg = job.chart ? await chartSvg(vega, job.chart) : await specSvg(vega, job.spec);
    reply({ id: job.id, svg, warnings });
  } catch (err) {
    reply({ id: job.id, error: String((err && err.stack) || err) });
  }
}
`;

/** See `WorkerData.templates`. */
/**
 * Niceness of the picture worker: below the run's threads, so warming vega up does not slow the run
 * down (on two cores the run keeps both busy), yet not so low that the PNG threads, which start while
 * the worker still lays pictures out, starve it (on the quick start 0, 10 and 19 end alike).
 */
const PICTURE_THREAD_NICENESS = 10;

function templateSource(): WorkerData['templates'] {
  const file = require.resolve('./compiled-templates');
  if (file.endsWith('.js')) return { module: file };
  const templates = require('./compiled-templates') as { readonly CHART_RUNTIMES: string; readonly WARM_UP_CHARTS: string };
  return { runtimes: templates.CHART_RUNTIMES, warmUp: templates.WARM_UP_CHARTS };
}

function workerData(askedFor: SharedArrayBuffer, warmUp: boolean): WorkerData {
  const vega = require.resolve('vega');
  const vegaLite = require.resolve('vega-lite');
  return {
    vega,
    vegaLite,
    bundles: { vega: path.join(path.dirname(vega), 'vega.min.js'), vegaLite: path.join(path.dirname(vegaLite), 'vega-lite.min.js') },
    templates: templateSource(),
    warmUp,
    askedFor,
    nice: PICTURE_THREAD_NICENESS,
    glyphs: { characters: GLYPH_CHARACTERS, regular: REGULAR_WIDTHS, bold: BOLD_WIDTHS, fallback: FALLBACK_WIDTH },
  };
}

export interface RendererOptions {
  /**
   * Draws sample charts of every kind (and throws them away) while no picture is asked for: started
   * while the caller's pipeline still runs, they warm vega's code up (a cold vega takes several times
   * as long for its first charts). A sample chart of a kind is dropped once a chart of that kind is
   * asked for, and one under way stops when any picture is.
   */
  readonly warmUp?: boolean;
}

/** Starts the rendering worker; it begins loading vega at once. */
export function startChartRenderer(options: RendererOptions = {}): ChartRenderer {
  const askedFor = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const askedCount = new Int32Array(askedFor);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: workerData(askedFor, options.warmUp === true) });
  // The worker must never keep a finished CLI or test process alive.
  worker.unref();
  const pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (err: Error) => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (reply: WorkerReply) => {
    const p = pending.get(reply.id);
    pending.delete(reply.id);
    p?.resolve(reply);
  });
  worker.on('error', failAll);
  worker.on('exit', () => failAll(failure ?? new Error('the chart renderer stopped')));

  const renderer: ChartRenderer = {
    render(job, options) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      worker.ref();
      return new Promise<WorkerReply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const message: WorkerJob = 'chart' in job ? { id, chart: job.chart } : { id, spec: job.spec };
        Atomics.add(askedCount, 0, 1);
        worker.postMessage(message);
      })
        .then(async (reply): Promise<RenderedChart> => {
          if ('error' in reply) throw new Error(`rendering ${job.name}: ${reply.error}`);
          const chart = { name: job.name, title: job.title, svg: reply.svg, warnings: reply.warnings };
          // Rasterised on libuv's thread pool, answered on this (idle) thread: the worker meanwhile lays
          // out the next picture, and no busy event loop holds the finished PNG back.
          return options.png ? { ...chart, png: await rasterise(reply.svg) } : chart;
        })
        .finally(() => {
          if (pending.size === 0) worker.unref();
        });
    },
    async close() {
      failure = failure ?? new Error('the chart renderer was closed');
      await worker.terminate();
    },
  };
  return renderer;
}

/** Renders every job on one renderer (the worker renders them in order); `onRendered` counts them. */
export async function renderCharts(
  renderer: ChartRenderer,
  jobs: readonly ChartJob[],
  formats: readonly ImageFormat[],
  onRendered: (chart: RenderedChart) => void = () => undefined,
): Promise<RenderedChart[]> {
  const png = formats.includes('png');
  return Promise.all(
    jobs.map((job) =>
      renderer.render(job, { png }).then((chart) => {
        onRendered(chart);
        return chart;
      }),
    ),
  );
}
