/**
 * Renders Vega-Lite specs to SVG (vega-lite `compile`, then a headless vega `View` with
 * `renderer: 'none'` and `toSVG()`) and rasterises SVG to PNG with resvg, with the DejaVu Sans font
 * shipped by the `dejavu-fonts-ttf` package so text renders on machines without system fonts.
 *
 * Vega draws only plain Vega-Lite specs (the DSE sweep plot); a run's own pictures are drawn without it
 * (`index.ts`). It runs in a worker thread, which keeps vega out of the caller's module system: vega's
 * ES modules use top-level await, which neither `require` nor Jest's sandbox can load. The worker's
 * code is a string evaluated as a CommonJS script, so it runs the same from TypeScript sources (Jest)
 * and from the compiled package.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { BOLD_WIDTHS, FALLBACK_WIDTH, GLYPH_CHARACTERS, REGULAR_WIDTHS } from './glyph-widths';
import { svgToPng } from './png';
import { TextOutliner, createTextOutliner } from './text-outlines';
import { parseTrueType } from './truetype';

export type ImageFormat = 'svg' | 'png';
export const IMAGE_FORMATS: readonly ImageFormat[] = ['svg', 'png'];

export interface ChartJob {
  /** File stem under `plots/`, e.g. `schedule-group-0`. */
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

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
interface WorkerJob {
  readonly id: number;
  readonly spec: TopLevelSpec;
}

interface WorkerData {
  /** ES module entry points (fallback) and the UMD bundles next to them. */
  readonly vega: string;
  readonly vegaLite: string;
  readonly bundles: { readonly vega: string; readonly vegaLite: string };
  readonly glyphs: { readonly characters: string; readonly regular: readonly number[]; readonly bold: readonly number[]; readonly fallback: number };
}

type WorkerReply = { readonly id: number; readonly svg: string; readonly warnings: readonly string[] } | { readonly id: number; readonly error: string };

let outliner: TextOutliner | undefined;

/** The shipped font's outlines, read once per process (a few ms) when the first PNG is drawn. */
export function textOutliner(): TextOutliner {
  if (!outliner) {
    const [regular, bold] = pngOptions().font.fontFiles.map((file) => parseTrueType(fs.readFileSync(file)));
    outliner = createTextOutliner({ family: CHART_FONT, regular, bold });
  }
  return outliner;
}

/**
 * SVG → PNG with the shipped font (resvg loads on first use: runs without pictures never pay for it).
 * The text goes to resvg as glyph outlines: its own text layout costs more than the rest of the chart.
 */
export async function rasterise(svg: string): Promise<Uint8Array> {
  return svgToPng(textOutliner().outlineSvg(svg), pngOptions());
}

/** An SVG whose text is drawn as outlines already (`textOutliner`), as PNG. */
export async function rasteriseOutlined(svg: string): Promise<Uint8Array> {
  // Text the font could not outline is left to resvg, which then needs the font files.
  const options = pngOptions();
  return svgToPng(svg, svg.includes('<text') ? options : { ...options, font: { ...options.font, fontFiles: [] } });
}

const WORKER_SOURCE = `
'use strict';
const fs = require('fs');
const { parentPort, workerData } = require('worker_threads');
const { pathToFileURL } = require('url');

// The single-file UMD bundles load in a fifth of the time of vega's ES module graph; the module entry
// points remain the fallback should a release stop shipping the bundles.
function loadBundle(file, requireFn) {
  const module = { exports: {} };
  new Function('exports', 'require', 'module', fs.readFileSync(file, 'utf8'))(module.exports, requireFn, module);
  return module.exports;
}
async function loadVega() {
  const b = workerData.bundles;
  if (b && fs.existsSync(b.vega) && fs.existsSync(b.vegaLite)) {
    const vega = loadBundle(b.vega, require);
    const vegaLite = loadBundle(b.vegaLite, (id) => (id === 'vega' ? vega : require(id)));
    return [vega, vegaLite];
  }
  const load = (file) => import(pathToFileURL(file).href);
  return Promise.all([load(workerData.vega), load(workerData.vegaLite)]);
}
const modules = loadVega().then(([vega, vegaLite]) => {
  vega.textMetrics.width = textWidth;
  return [vega, vegaLite];
});
modules.catch(() => undefined);

// Text width in DejaVu Sans from its advance widths. A label with a length limit measures at most the
// limit: vega truncates such labels when drawing, and its truncation search relies on this cap.
const glyphs = workerData.glyphs;
const glyphIndex = new Map([...glyphs.characters].map((ch, i) => [ch, i]));
function textWidth(item, text) {
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

// Pictures go one at a time through vega.
const queue = [];
let busy = false;
parentPort.on('message', (message) => {
  queue.push(message);
  pump();
});
modules.then(pump, pump);

function pump() {
  if (busy) return;
  const job = queue.shift();
  if (!job) return;
  busy = true;
  render(job).finally(() => {
    busy = false;
    pump();
  });
}

async function render(job) {
  const reply = (message) => parentPort.postMessage(message);
  try {
    const [vega, vegaLite] = await modules;
    // Warnings go back with the picture instead of to the console: stdout carries the CLI's results.
    const warnings = [];
    const logger = {
      level() { return logger; },
      error: (...args) => warnings.push(args.join(' ')),
      warn: (...args) => warnings.push(args.join(' ')),
      info: () => logger,
      debug: () => logger,
    };
    const compiled = vegaLite.compile(job.spec, { logger }).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger, logLevel: vega.Warn });
    const svg = await view.toSVG();
    view.finalize();
    reply({ id: job.id, svg, warnings });
  } catch (err) {
    reply({ id: job.id, error: String((err && err.stack) || err) });
  }
}
`;

function workerData(): WorkerData {
  const vega = require.resolve('vega');
  const vegaLite = require.resolve('vega-lite');
  return {
    vega,
    vegaLite,
    bundles: { vega: path.join(path.dirname(vega), 'vega.min.js'), vegaLite: path.join(path.dirname(vegaLite), 'vega-lite.min.js') },
    glyphs: { characters: GLYPH_CHARACTERS, regular: REGULAR_WIDTHS, bold: BOLD_WIDTHS, fallback: FALLBACK_WIDTH },
  };
}

/** Starts the rendering worker; it begins loading vega at once. */
export function startChartRenderer(): ChartRenderer {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: workerData() });
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
        const message: WorkerJob = { id, spec: job.spec };
        worker.postMessage(message);
      })
        .then(async (reply): Promise<RenderedChart> => {
          if ('error' in reply) throw new Error(`rendering ${job.name}: ${reply.error}`);
          const chart = { name: job.name, title: job.title, svg: reply.svg, warnings: reply.warnings };
          // Rasterised on libuv's thread pool while the worker lays out the next picture.
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
