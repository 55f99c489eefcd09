/**
 * Renders charts to SVG in a worker thread (`picture-worker.ts`, Observable Plot on a linkedom
 * document) and rasterises the SVG to PNG with resvg, with the DejaVu Sans font shipped by the
 * `dejavu-fonts-ttf` package so text renders on machines without system fonts.
 *
 * A renderer is started before the pipeline runs, so the worker loads Plot with the CPU the run leaves;
 * the PNGs are rasterised by resvg on libuv's pool (text as glyph outlines, prepared on the caller's
 * thread, idle by then) while the worker draws the next chart.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { CHART_FONT } from './figure';
import type { PictureReply, PictureRequest, PictureWorkerData } from './picture-worker';
import type * as Png from './png';
import type { TemplateChart } from './template';
import type * as TextOutlines from './text-outlines';
import type * as TrueType from './truetype';

export type ImageFormat = 'svg' | 'png';
export const IMAGE_FORMATS: readonly ImageFormat[] = ['svg', 'png'];

/** A picture to draw: a chart's data and where it goes. */
export interface ChartJob {
  /** File stem under `plots/`, e.g. `schedule-group-0`. */
  readonly name: string;
  readonly title: string;
  readonly chart: TemplateChart;
}

export interface RenderedChart {
  readonly name: string;
  readonly title: string;
  readonly svg: string;
  /** Present when PNG output was asked for. */
  readonly png?: Uint8Array;
  /** What Plot warned about while drawing (empty for a well-formed chart). */
  readonly warnings: readonly string[];
}

export interface ChartRenderer {
  render(job: ChartJob, options: { readonly png: boolean }): Promise<RenderedChart>;
  /** Stops the worker; pending renders reject. */
  close(): Promise<void>;
}

export { CHART_FONT };
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

/**
 * Niceness of the picture worker: below the run's threads, so loading Plot does not slow the run down
 * more than it must (on two cores the run keeps both busy), yet not so low that the PNG threads, which
 * start while the worker still draws, starve it.
 */
const PICTURE_THREAD_NICENESS = 10;

/**
 * The worker entry: in a build, the bundled worker through its loader (with its code cache); else the
 * compiled worker, else the TypeScript dev entry (specs).
 */
function pictureWorker(): { readonly file: string; readonly bundle?: string } {
  const [loader, bundle] = ['picture-worker-loader.js', 'picture-worker.bundle.js'].map((name) => path.join(__dirname, name));
  if (fs.existsSync(loader) && fs.existsSync(bundle)) return { file: loader, bundle };
  for (const name of ['picture-worker.js', 'picture-worker.dev.cjs']) {
    const file = path.join(__dirname, name);
    if (fs.existsSync(file)) return { file };
  }
  throw new Error(`picture worker entry not found next to ${__filename}; run \`npm run build\``);
}

/** Starts the rendering worker; it begins loading Plot at once. */
export function startChartRenderer(): ChartRenderer {
  const entry = pictureWorker();
  const data: PictureWorkerData & { readonly bundle?: string } = { nice: PICTURE_THREAD_NICENESS, bundle: entry.bundle };
  const worker = new Worker(entry.file, { workerData: data });
  // The worker must never keep a finished CLI or test process alive.
  worker.unref();
  const pending = new Map<number, { resolve: (r: PictureReply) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (err: Error) => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (reply: PictureReply) => {
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
      return new Promise<PictureReply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const request: PictureRequest = { id, chart: job.chart };
        worker.postMessage(request);
      })
        .then(async (reply): Promise<RenderedChart> => {
          if ('error' in reply) throw new Error(`rendering ${job.name}: ${reply.error}`);
          const chart = { name: job.name, title: job.title, svg: reply.svg, warnings: reply.warnings };
          // Rasterised on libuv's thread pool, answered on this (idle) thread: the worker meanwhile draws
          // the next picture, and no busy event loop holds the finished PNG back.
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
