/**
 * The pictures of a run with their file stems (`plots/<name>.svg|png`): the workload graph and the
 * per-node statistics for the whole run, then per fusion group its schedule and its memory use.
 *
 * They are drawn as SVG here, on the caller's thread, by the small chart writer in `draw/`: a first
 * run's pictures would otherwise wait for vega's code to warm up, which takes several times longer than
 * the pipeline of a small run (the pictures keep the look vega gave them). PNGs are rasterised by resvg
 * on libuv's thread pool, all at once (`render.ts`). Vega, in a worker, draws only Vega-Lite specs (the
 * DSE sweep plot).
 */
import { RunTimeline } from '../timeline';
import { Layer, svgDocument } from './draw/svg';
import { memoryChart } from './memory';
import { NodeStatsInput, nodeStatsChart } from './node-stats';
import { ImageFormat, RenderedChart, rasteriseOutlined, textOutliner } from './render';
import { scheduleChart } from './schedule';
import { GraphInput, workloadGraphChart } from './workload-graph';

export type { ChartJob, ChartRenderer, ImageFormat, RenderedChart } from './render';
export { IMAGE_FORMATS, renderCharts, startChartRenderer } from './render';
export type { GraphInput } from './workload-graph';

export type ChartInput = GraphInput & NodeStatsInput;

/** A picture drawn as SVG. */
export interface DrawnChart {
  /** File stem under `plots/`, e.g. `schedule-group-0`. */
  readonly name: string;
  readonly title: string;
  readonly svg: string;
}

interface Drawing {
  readonly name: string;
  readonly title: string;
  readonly content: Layer;
}

function drawings(timeline: RunTimeline, input: ChartInput): Drawing[] {
  return [
    { name: 'workload-graph', title: 'Workload graph, fusion groups and core mapping', content: workloadGraphChart(input) },
    { name: 'node-latency', title: 'Latency and utilisation per node', content: nodeStatsChart(input) },
    ...timeline.groups.flatMap((g) => [
      { name: `schedule-group-${g.index}`, title: `Fusion group ${g.index}: schedule of one steady-state iteration`, content: scheduleChart(timeline, g) },
      { name: `memory-group-${g.index}`, title: `Fusion group ${g.index}: memory per core`, content: memoryChart(timeline, g) },
    ]),
  ];
}

export function runCharts(timeline: RunTimeline, input: ChartInput): DrawnChart[] {
  return drawings(timeline, input).map(({ name, title, content }) => ({ name, title, svg: svgDocument(content) }));
}

/** How many pictures `runCharts` draws for a run. */
export function runChartCount(timeline: RunTimeline): number {
  return 2 + 2 * timeline.groups.length;
}

/** A run's pictures: their SVGs at once, their PNGs as resvg finishes them. */
export interface RunPictures {
  /** Every picture, in `runCharts` order. */
  readonly charts: readonly DrawnChart[];
  /** Their PNGs in the same order (none without PNG output), rasterised on libuv's thread pool. */
  readonly pngs: Promise<readonly Uint8Array[]>;
}

/**
 * Every picture of a finished run, drawn now; with PNG output, rasterising starts now too (from the
 * same drawing with its text as glyph outlines) and `onRasterised` counts the PNGs as they are done.
 */
export function drawRunPictures(
  timeline: RunTimeline,
  input: ChartInput,
  formats: readonly ImageFormat[],
  onRasterised: () => void = () => undefined,
): RunPictures {
  const drawn = drawings(timeline, input);
  const charts = drawn.map(({ name, title, content }) => ({ name, title, svg: svgDocument(content) }));
  if (!formats.includes('png')) return { charts, pngs: Promise.resolve([]) };
  const outliner = textOutliner();
  const pngs = Promise.all(
    drawn.map(async ({ content }) => {
      const png = await rasteriseOutlined(svgDocument(content, outliner));
      onRasterised();
      return png;
    }),
  );
  return { charts, pngs };
}

/** `drawRunPictures`, waited for: every picture with its PNG when asked for. */
export async function renderRunCharts(timeline: RunTimeline, input: ChartInput, formats: readonly ImageFormat[]): Promise<RenderedChart[]> {
  const { charts, pngs } = drawRunPictures(timeline, input, formats);
  const rasterised = await pngs;
  return charts.map((chart, i) => ({ ...chart, warnings: [], ...(rasterised[i] ? { png: rasterised[i] } : {}) }));
}
