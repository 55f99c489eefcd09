/**
 * The picture worker: draws charts with Observable Plot into a linkedom document and answers each with
 * its SVG, one at a time in the order asked, and for a PNG the SVG with its text outlined, which the
 * asking thread rasterises (`rasterise.ts`). `render.ts` starts it before the pipeline runs, so Plot and
 * linkedom load on the second core meanwhile.
 *
 * In a build, this file is bundled with Plot, d3 and linkedom into one script (tools/bundle-cli.js):
 * loading one file takes a fraction of loading their hundreds of ES modules. The build also stores V8's
 * compiled code of the bundle after drawing sample charts (`drawSamples`), which the worker's loader
 * hands back to V8 (`picture-worker-loader.ts`): the bundle then starts without compiling, and its
 * first charts run without compiling Plot's drawing code either. (Drawing the samples in the worker
 * itself, to warm Plot up before the run's charts, took more of the run's time on two cores than it
 * saved.)
 */
import { axisX, barX, dot, frame, gridX, line, plot, rect, rectX, ruleX, ruleY, text, tickX } from '@observablehq/plot';
import { DOMParser } from 'linkedom';
import { parentPort, workerData } from 'worker_threads';
import { lowerThreadPriority } from '../../common/thread-priority';
import { drawChart } from './draw';
import { outlineText } from './rasterise';
import type { Kit, SvgDocument } from './figure';
import type { TemplateChart } from './template';
import { sampleCharts } from './sample-charts';

export interface PictureWorkerData {
  /** Niceness of this thread (0: the process's priority). */
  readonly nice: number;
}

export interface PictureRequest {
  readonly id: number;
  readonly chart: TemplateChart;
  /** Whether a PNG is wanted: the reply then carries the SVG with its text outlined. */
  readonly png: boolean;
}

export type PictureReply =
  | {
      readonly id: number;
      readonly svg: string;
      /** When a PNG was asked for: the SVG with its text outlined, for `rasteriseOutlined`. */
      readonly outlined?: string;
      readonly warnings: readonly string[];
    }
  | { readonly id: number; readonly error: string };

/** A document of one `html` element, made without parsing markup (the bundle can parse none, tools/bundle-cli.js). */
function emptyDocument(): SvgDocument {
  const document = new DOMParser().parseFromString('', 'text/html');
  document.appendChild(document.createElement('html'));
  return document as unknown as SvgDocument;
}

const kit: Kit = { Plot: { axisX, barX, dot, frame, gridX, line, plot, rect, rectX, ruleX, ruleY, text, tickX }, document: emptyDocument() };

// What Plot says while drawing (it warns on the console) goes back with the picture: stdout carries the CLI's results.
let warnings: string[] = [];
console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));

function answer(request: PictureRequest): PictureReply {
  warnings = [];
  try {
    const svg = drawChart(kit, request.chart);
    return { id: request.id, svg, outlined: request.png ? outlineText(svg) : undefined, warnings };
  } catch (err) {
    return { id: request.id, error: String((err as Error)?.stack ?? err) };
  }
}

/** Draws the sample charts once, text outlined (the build runs this before storing the bundle's compiled code). */
export function drawSamples(): void {
  for (const chart of sampleCharts()) {
    const reply = answer({ id: -1, chart, png: true });
    if ('error' in reply) throw new Error(`sample ${chart.kind} chart: ${reply.error}`);
  }
}

if (parentPort) {
  const port = parentPort;
  lowerThreadPriority((workerData as PictureWorkerData).nice);
  port.on('message', (request: PictureRequest) => port.postMessage(answer(request)));
}
