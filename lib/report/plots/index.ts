/**
 * The pictures of a run, as Vega-Lite specs with their file stems (`plots/<name>.svg|png`): the workload
 * graph and the per-node statistics for the whole run, then per fusion group its schedule and its memory
 * use. Rendering is separate (`render.ts`), so the specs stay plain data.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import { GroupTimeline, RunTimeline } from '../timeline';
import { MEMORY_TEMPLATE, memoryChart } from './memory';
import { NODE_STATS_TEMPLATE, NodeStatsInput, nodeStatsChart } from './node-stats';
import { ChartJob } from './render';
import { SCHEDULE_TEMPLATE, scheduleChart } from './schedule';
import { ChartKind, TemplateChart } from './template';
import { GraphInput, WORKLOAD_GRAPH_TEMPLATE, workloadGraphChart } from './workload-graph';

export type { ChartJob, ChartRenderer, ImageFormat, RenderedChart } from './render';
export { IMAGE_FORMATS, renderCharts, startChartRenderer } from './render';
export type { GraphInput } from './workload-graph';

export type ChartInput = GraphInput & NodeStatsInput;

/** The Vega-Lite source of every chart template (compiled ahead of time into `compiled-templates.ts`). */
export const CHART_TEMPLATES: Readonly<Record<ChartKind, TopLevelSpec>> = {
  'workload-graph': WORKLOAD_GRAPH_TEMPLATE,
  'node-stats': NODE_STATS_TEMPLATE,
  schedule: SCHEDULE_TEMPLATE,
  memory: MEMORY_TEMPLATE,
};

export function workloadGraphJob(input: GraphInput): ChartJob {
  return { name: 'workload-graph', title: 'Workload graph, fusion groups and core mapping', chart: workloadGraphChart(input) };
}

export function runCharts(timeline: RunTimeline, input: ChartInput): ChartJob[] {
  const jobs: ChartJob[] = [workloadGraphJob(input), { name: 'node-latency', title: 'Latency and utilisation per node', chart: nodeStatsChart(input) }];
  for (const g of timeline.groups) {
    jobs.push({ name: `schedule-group-${g.index}`, title: `Fusion group ${g.index}: schedule of one steady-state iteration`, chart: scheduleChart(timeline, g) });
    jobs.push({ name: `memory-group-${g.index}`, title: `Fusion group ${g.index}: memory per core`, chart: memoryChart(timeline, g) });
  }
  return jobs;
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

/**
 * Charts of a made-up run, one of each kind, for `startChartRenderer`'s warm-up: vega's first charts
 * run its code cold, several times slower than later ones.
 */
export function warmUpCharts(): TemplateChart[] {
  return runCharts(sampleTimeline(), sampleChartInput()).flatMap((job) => ('chart' in job ? [job.chart] : []));
}
