/**
 * The pictures of a run, as chart templates filled with data, with their file stems
 * (`plots/<name>.svg|png`): the workload graph and the per-node statistics for the whole run, then per
 * fusion group its schedule and its memory use. Rendering is separate (`render.ts`), so the charts stay
 * plain data.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import { GroupTimeline, RunTimeline } from '../timeline';
import { MEMORY_TEMPLATE, memoryChart } from './memory';
import { NODE_STATS_TEMPLATE, NodeStatsInput, nodeStatsChart } from './node-stats';
import { ChartJob, ChartRenderer, ImageFormat, RenderedChart, rasterise } from './render';
import { SCHEDULE_TEMPLATE, scheduleChart } from './schedule';
import { ChartKind, TemplateChart } from './template';
import { GraphInput, WORKLOAD_GRAPH_TEMPLATE, workloadGraphChart } from './workload-graph';

export type { ChartJob, ChartRenderer, ImageFormat, RenderedChart } from './render';
export { IMAGE_FORMATS, prepareToRasterise, renderCharts, startChartRenderer } from './render';
export type { GraphInput } from './workload-graph';

export type ChartInput = GraphInput & NodeStatsInput;

/** The Vega-Lite source of every chart template (compiled ahead of time into `compiled-templates.ts`). */
export const CHART_TEMPLATES: Readonly<Record<ChartKind, TopLevelSpec>> = {
  'workload-graph': WORKLOAD_GRAPH_TEMPLATE,
  'node-stats': NODE_STATS_TEMPLATE,
  schedule: SCHEDULE_TEMPLATE,
  memory: MEMORY_TEMPLATE,
};

function workloadGraphJob(input: GraphInput): ChartJob {
  return { name: 'workload-graph', title: 'Workload graph, fusion groups and core mapping', chart: workloadGraphChart(input) };
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
function inReportOrder(graph: ChartJob, nodeStats: ChartJob, schedules: readonly ChartJob[], memories: readonly ChartJob[]): ChartJob[] {
  return [graph, nodeStats, ...schedules.flatMap((schedule, i) => [schedule, memories[i]])];
}

export function runCharts(timeline: RunTimeline, input: ChartInput): ChartJob[] {
  return inReportOrder(workloadGraphJob(input), nodeStatsJob(input), scheduleJobs(timeline), memoryJobs(timeline));
}

/** How many pictures `runCharts` draws for a run. */
export function runChartCount(timeline: RunTimeline): number {
  return 2 + 2 * timeline.groups.length;
}

/**
 * The pictures of one run, each started as soon as what it shows is final: the workload graph once the
 * run is tiled (the worker lays it out while the groups are scheduled), the others when the run is done.
 */
export class RunPictures {
  private earlyGraph?: { readonly data: string; readonly svg: Promise<RenderedChart> };

  constructor(private readonly renderer: ChartRenderer) {}

  /**
   * The run is tiled, so its workload graph is final: laid out now, rasterised with the others (this
   * thread is busy with the run until then).
   */
  drawGraph(input: GraphInput): void {
    const job = workloadGraphJob(input);
    const svg = this.renderer.render(job, { png: false });
    svg.catch(() => undefined); // awaited, and its failure reported, by `drawAll`
    this.earlyGraph = { data: JSON.stringify(job), svg };
  }

  /** Every picture of the finished run, in `runCharts` order; `onRendered` counts them as they finish. */
  async drawAll(
    timeline: RunTimeline,
    input: ChartInput,
    formats: readonly ImageFormat[],
    onRendered: (chart: RenderedChart) => void = () => undefined,
  ): Promise<RenderedChart[]> {
    const png = formats.includes('png');
    const [graph, nodeStats, schedules, memories] = [workloadGraphJob(input), nodeStatsJob(input), scheduleJobs(timeline), memoryJobs(timeline)];
    const early = this.earlyGraph?.data === JSON.stringify(graph) ? this.earlyGraph.svg : undefined;
    // The worker takes them in this order: the memory charts, whose PNGs take longest, first (they are
    // rasterised while the worker lays out the rest), the per-node chart, whose PNG is the quickest,
    // last, so the PNG of the last picture holds the run up least.
    const rendered = new Map<string, Promise<RenderedChart>>();
    for (const job of [...(early ? [] : [graph]), ...memories, ...schedules, nodeStats]) rendered.set(job.name, this.renderer.render(job, { png }));
    if (early) rendered.set(graph.name, early.then(async (chart) => (png ? { ...chart, png: await rasterise(chart.svg) } : chart)));
    return Promise.all(
      inReportOrder(graph, nodeStats, schedules, memories).map((job) =>
        (rendered.get(job.name) ?? Promise.reject(new Error(`no picture ${job.name}`))).then((chart) => {
          onRendered(chart);
          return chart;
        }),
      ),
    );
  }
}

/** A tiny made-up run: two cores, a bus, three activities, two tensors. */
function sampleTimeline(): RunTimeline {
  const group: GroupTimeline = {
    index: 0,
    start: 0,
    latency: 300,
    perIteration: 200,
    overlap: 100,
    step: 100,
    iterations: 2,
    slots: [
      { slot: 0, start: 0, latency: 80, members: ['Transfer(x)'] },
      { slot: 1, start: 80, latency: 120, members: ['A', 'B'] },
    ],
    activities: [
      { kind: 'transfer', name: 'Transfer(x)', slot: 0, start: 0, duration: 80, transferType: 'MEM_TO_COMPUTE', tensor: 'x', shape: [8], bits: 128, sources: [2], targets: [0], links: [0], rawCycles: 80, activeCycles: 80, reuseFactor: 1 },
      { kind: 'compute', name: 'A', slot: 1, start: 80, duration: 120, opType: 'Conv', cores: [0], tile: { D0: 8 }, activeFraction: [1, 1], outputs: [] },
      { kind: 'compute', name: 'B', slot: 1, start: 80, duration: 60, opType: 'Relu', cores: [1], tile: { D0: 8 }, activeFraction: [1, 1], outputs: [] },
    ],
    memory: [
      {
        coreId: 0,
        capacityBits: 4096,
        allocatedBits: 2048,
        tensors: [
          { tensor: 'x_1', bits: 1024, persistent: true, from: 0, to: 200 },
          { tensor: 'a', bits: 512, persistent: false, from: 80, to: 200 },
        ],
      },
      { coreId: 2, capacityBits: 1 << 30, allocatedBits: 1024, tensors: [{ tensor: 'x', bits: 1024, persistent: true, from: 0, to: 200 }] },
    ],
  };
  return {
    workload: 'warm-up',
    accelerator: 'warm-up',
    totalLatency: 300,
    cores: [0, 1, 2].map((id) => ({ id, label: `Core ${id}`, detail: 'warm-up', kind: 'compute' as const, capacityBits: 4096 })),
    links: [{ index: 0, label: 'Bus 0–2', bandwidth: 8, kind: 'bus' }],
    groups: [group],
  };
}

/** The same made-up run's graph: an input, two nodes in one fusion group, an output. */
function sampleChartInput(): ChartInput {
  const tensor = { name: 't', elementType: 'bf16' as const, shape: [8] };
  const nodes = [
    { name: 'A', type: 'Conv', coreIds: [0] },
    { name: 'B', type: 'Relu', coreIds: [1] },
  ];
  const perNode = (latency: number, utilisation: number | null) => ({
    kind: 'compute' as const,
    n_cores: 1,
    latency_cycles: latency,
    ideal_compute_cycles: latency / 2,
    mac_spatial_utilization: utilisation,
    compute_efficiency: 0.5,
    fallback: false,
  });
  const groups: NodeStatsInput['groups'] = [
    { index: 0, group: { nodes }, performance: { per_node: { A: perNode(120, 0.5), B: perNode(60, null) } }, solution: { iterations: 2 } },
  ];
  return {
    workload: {
      name: 'warm-up',
      nodes: [
        { kind: 'in', name: 'x', output: tensor, isInitializer: false },
        ...nodes.map((n) => ({ kind: 'computation' as const, name: n.name, type: n.type, inputs: [tensor], outputs: [tensor], operandMaps: [] })),
        { kind: 'out', name: 'y', input: tensor },
      ],
      edges: [
        { from: 'x', to: 'A', tensor: 't' },
        { from: 'A', to: 'B', tensor: 't' },
        { from: 'B', to: 'y', tensor: 't' },
      ],
    },
    groups,
  };
}

/** Rounds of warm-up charts: vega's code is still much slower for the second chart of a kind than for the tenth. */
const WARM_UP_ROUNDS = 2;

/**
 * Charts of a made-up run for `startChartRenderer`'s warm-up: vega's first charts run its code cold,
 * several times slower than later ones. Not the workload graph: `RunPictures` draws a run's own while
 * the run is scheduled.
 */
export function warmUpCharts(): TemplateChart[] {
  const timeline = sampleTimeline();
  const input = sampleChartInput();
  // In the order a finished run asks for them (`RunPictures.drawAll`): the first to be asked for is the
  // likeliest to be warm by then.
  const round = [...memoryJobs(timeline), ...scheduleJobs(timeline), nodeStatsJob(input)].flatMap((job) => ('chart' in job ? [job.chart] : []));
  return Array.from({ length: WARM_UP_ROUNDS }, () => round).flat();
}
