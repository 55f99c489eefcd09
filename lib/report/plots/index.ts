/**
 * The pictures of a run, as chart templates filled with data, with their file stems
 * (`plots/<name>.svg|png`): the workload graph and the per-node statistics for the whole run, then per
 * fusion group its schedule and its memory use. Rendering is separate (`render.ts`), so the charts stay
 * plain data.
 */
import { RunTimeline } from '../timeline';
import { memoryChart } from './memory';
import { NodeStatsInput, nodeStatsChart } from './node-stats';
import { ChartJob, ChartRenderer, ImageFormat, RenderedChart } from './render';
import { scheduleChart } from './schedule';
import { GraphInput, workloadGraphChart } from './workload-graph';

export type { ChartJob, ChartRenderer, ImageFormat, Rasteriser, RenderedChart } from './render';
export { IMAGE_FORMATS, createChartRenderer, renderCharts } from './render';
export type { GraphInput } from './workload-graph';

export type ChartInput = GraphInput & NodeStatsInput;

const WORKLOAD_GRAPH = 'workload-graph';

function workloadGraphJob(input: GraphInput): ChartJob {
  return { name: WORKLOAD_GRAPH, title: 'Workload graph, fusion groups and core mapping', chart: workloadGraphChart(input) };
}

function nodeStatsJob(input: NodeStatsInput): ChartJob {
  return { name: 'node-latency', title: 'Latency and utilisation per node', chart: nodeStatsChart(input) };
}

function scheduleJobs(timeline: RunTimeline): ChartJob[] {
  return timeline.groups.map((g) => ({
    name: `schedule-group-${g.index}`,
    title: `Fusion group ${g.index}: schedule of one steady-state iteration`,
    chart: scheduleChart(timeline, g),
  }));
}

function memoryJobs(timeline: RunTimeline): ChartJob[] {
  return timeline.groups.map((g) => ({ name: `memory-group-${g.index}`, title: `Fusion group ${g.index}: memory per core`, chart: memoryChart(timeline, g) }));
}

/** The pictures of a run in report order: the workload graph, the per-node chart, per group schedule and memory. */
function inReportOrder<T>(graph: T, nodeStats: T, schedules: readonly T[], memories: readonly T[]): T[] {
  return [graph, nodeStats, ...schedules.flatMap((schedule, i) => [schedule, memories[i]])];
}

export function runCharts(timeline: RunTimeline, input: ChartInput): ChartJob[] {
  return inReportOrder(workloadGraphJob(input), nodeStatsJob(input), scheduleJobs(timeline), memoryJobs(timeline));
}

/** How many pictures `runCharts` draws for a run. */
export function runChartCount(timeline: RunTimeline): number {
  return 2 + 2 * timeline.groups.length;
}

/** Whether two graph inputs are the very same workload and groups (so their pictures are the same). */
function sameGraph(a: GraphInput, b: GraphInput): boolean {
  return a.workload === b.workload && a.groups.length === b.groups.length && a.groups.every((g, i) => g.index === b.groups[i].index && g.group === b.groups[i].group);
}

/**
 * The pictures of one run, each drawn as soon as what it shows is final: the workload graph once the
 * run is tiled (drawn, and its PNG made, while the groups are scheduled), the others when the run is
 * done.
 */
export class RunPictures {
  private earlyGraph?: { readonly input: GraphInput; readonly png: boolean; readonly chart: Promise<RenderedChart> };
  private stopped = false;

  constructor(private readonly renderer: ChartRenderer) {}

  /**
   * The run is tiled, so its workload graph is final: drawn in `formats` once this thread is next idle
   * (while the run waits for its solver), not in the middle of the run's own step.
   */
  drawGraph(input: GraphInput, formats: readonly ImageFormat[]): void {
    const png = formats.includes('png');
    const chart = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      if (this.stopped) throw new Error('the run ended before its workload graph was drawn');
      return this.renderer.render(workloadGraphJob(input), { png });
    });
    chart.catch(() => undefined); // awaited, and its failure reported, by `drawAll`
    this.earlyGraph = { input, png, chart };
  }

  /** The run ended without `drawAll` (it failed): a workload graph not drawn yet is not drawn. */
  stop(): void {
    this.stopped = true;
  }

  /** Every picture of the finished run, in `runCharts` order; `onRendered` counts them as they finish. */
  async drawAll(
    timeline: RunTimeline,
    input: ChartInput,
    formats: readonly ImageFormat[],
    onRendered: (chart: RenderedChart) => void = () => undefined,
  ): Promise<RenderedChart[]> {
    const png = formats.includes('png');
    const rendered = new Map<string, Promise<RenderedChart>>();
    const render = (jobs: readonly ChartJob[]) => {
      for (const job of jobs) rendered.set(job.name, this.renderer.render(job, { png }));
      return jobs;
    };
    // Drawn in this order: the memory charts, whose PNGs take longest, first (they are rasterised
    // while the rest are drawn), the per-node chart, whose PNG is the quickest, last, so the PNG of the
    // last picture holds the run up least; the workload graph only when the one drawn early is not
    // this run's.
    const memories = render(memoryJobs(timeline));
    const schedules = render(scheduleJobs(timeline));
    const [nodeStats] = render([nodeStatsJob(input)]);
    const early = this.earlyGraph;
    rendered.set(WORKLOAD_GRAPH, early && sameGraph(early.input, input) && (early.png || !png) ? early.chart : this.renderer.render(workloadGraphJob(input), { png }));
    const names = (jobs: readonly ChartJob[]) => jobs.map((job) => job.name);
    return Promise.all(
      inReportOrder(WORKLOAD_GRAPH, nodeStats.name, names(schedules), names(memories)).map((name) =>
        (rendered.get(name) ?? Promise.reject(new Error(`no picture ${name}`))).then((chart) => {
          onRendered(chart);
          return chart;
        }),
      ),
    );
  }
}
