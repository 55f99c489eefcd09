/**
 * The picture worker: draws charts with Observable Plot into a linkedom document and answers each with
 * its SVG. `render.ts` starts it before the pipeline runs, so loading Plot and linkedom (and, with
 * `warmUp`, drawing sample charts while no picture is asked for, which takes the cold cost of Plot's
 * code off the run's own pictures) happens on the second core meanwhile.
 *
 * In a run, this file is bundled with Plot, d3 and linkedom into one script (tools/bundle-cli.js):
 * loading one file takes a fraction of loading their hundreds of ES modules, and the build stores V8's
 * compiled code of the bundle after drawing the sample charts (`drawSamples`), which the worker's
 * loader hands back to V8 (`render.ts`): the bundle then starts without compiling.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import * as fs from 'fs';
import * as os from 'os';
import { MessagePort, parentPort, workerData } from 'worker_threads';
import { drawChart } from './draw';
import type { Kit, SvgDocument } from './figure';
import type { TemplateChart } from './template';
import { warmUpCharts } from './warm-up';

export interface PictureWorkerData {
  /** Draw sample charts of every kind while no picture is asked for. */
  readonly warmUp: boolean;
  /** Niceness of this thread (0: the process's priority). */
  readonly nice: number;
}

export interface PictureRequest {
  readonly id: number;
  readonly chart: TemplateChart;
}

export type PictureReply = { readonly id: number; readonly svg: string; readonly warnings: readonly string[] } | { readonly id: number; readonly error: string };

const kit: Kit = { Plot, document: parseHTML('<!doctype html><html><body></body></html>').document as unknown as SvgDocument };

// What Plot says while drawing (it warns on the console) goes back with the picture: stdout carries the CLI's results.
let warnings: string[] = [];
console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));

function draw(chart: TemplateChart): { svg: string; warnings: string[] } {
  warnings = [];
  const svg = drawChart(kit, chart);
  return { svg, warnings };
}

/** Draws the sample charts once (the build runs this before storing the bundle's compiled code). */
export function drawSamples(): void {
  for (const chart of warmUpCharts()) draw(chart);
}

/** Below the run's own threads (Linux lets a thread lower its own priority; elsewhere it keeps the process's). */
function lowerPriority(nice: number): void {
  if (!nice) return;
  try {
    os.setPriority(Number(fs.readlinkSync('/proc/thread-self').split('/').pop()), nice);
  } catch {
    // not Linux, or no /proc: the default priority
  }
}

function serve(port: MessagePort, options: PictureWorkerData): void {
  lowerPriority(options.nice);
  const queue: PictureRequest[] = [];
  let samples = options.warmUp ? warmUpCharts() : [];
  let scheduled = false;

  // One chart per turn of the event loop, asked-for ones first: a request that arrives meanwhile gets
  // in before the next sample.
  const pump = () => {
    scheduled = false;
    const request = queue.shift();
    if (request) {
      let reply: PictureReply;
      try {
        reply = { id: request.id, ...draw(request.chart) };
      } catch (err) {
        reply = { id: request.id, error: String((err as Error)?.stack ?? err) };
      }
      port.postMessage(reply);
    } else {
      const sample = samples.shift();
      try {
        if (sample) draw(sample);
      } catch {
        // a sample chart only warms up; the run's own charts report their errors
      }
    }
    if (queue.length > 0 || samples.length > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(pump);
  };

  port.on('message', (request: PictureRequest) => {
    queue.push(request);
    // A sample of a kind already asked for has nothing left to warm up.
    samples = samples.filter((chart) => chart.kind !== request.chart.kind);
    schedule();
  });
  schedule();
}

if (parentPort) serve(parentPort, workerData as PictureWorkerData);
