/**
 * Renders charts in a worker thread (`picture-worker.ts`): SVG drawn by Observable Plot on a linkedom
 * document, its text outlined there for the PNG, which resvg rasterises on libuv's pool, answered on
 * the caller's thread (`rasterise.ts`). A renderer is started before the pipeline runs, so the worker
 * loads Plot with the CPU the run leaves.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { PictureReply, PictureRequest, PictureWorkerData } from './picture-worker';
import type * as Rasterise from './rasterise';
import type { TemplateChart } from './template';

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

// Loaded with the first PNG: bin/stream-dse.js loads this module for every command, before the CLI.
const rasterise = () => require('./rasterise') as typeof Rasterise;

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
        const request: PictureRequest = { id, chart: job.chart, png: options.png };
        worker.postMessage(request);
      })
        .then(async (reply): Promise<RenderedChart> => {
          if ('error' in reply) throw new Error(`rendering ${job.name}: ${reply.error}`);
          const chart = { name: job.name, title: job.title, svg: reply.svg, warnings: reply.warnings };
          return reply.outlined === undefined ? chart : { ...chart, png: await rasterise().rasteriseOutlined(reply.outlined) };
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
