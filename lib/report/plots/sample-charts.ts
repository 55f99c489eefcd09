/**
 * Sample charts of every kind, of a made-up run and sweep: the build draws them before it stores the
 * picture bundle's compiled code (`picture-drawing.ts`), so the code of every kind's drawing is in it.
 * Chart data only (no renderer): the picture bundle holds this module.
 */
import { GroupTimeline, RunTimeline } from '../timeline';
import type { ChartInput } from './index';
import { memoryChart } from './memory';
import { NodeStatsInput, nodeStatsChart } from './node-stats';
import { scheduleChart } from './schedule';
import { TemplateChart } from './template';
import { workloadGraphChart } from './workload-graph';
import { sweepChart } from '../../dse/plot';
import type { SweepRow } from '../../dse/results';

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
    workload: 'sample',
    accelerator: 'sample',
    totalLatency: 300,
    cores: [0, 1, 2].map((id) => ({ id, label: `Core ${id}`, detail: 'sample', kind: 'compute' as const, capacityBits: 4096 })),
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
      name: 'sample',
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

/** A made-up sweep: the auto mapping, a Pareto front of two, one dominated variant. */
function sampleSweep(): TemplateChart {
  const row = (variant: number, latency: number, energy: number, pareto: boolean): SweepRow => ({
    variant,
    status: 'ok',
    latency,
    energy,
    pareto,
    best: variant === 1,
    changes: variant === 0 ? [] : [`A: cores 0,${variant}`],
    mapping_summary: '',
    reason: null,
  });
  const rows = [row(0, 30_000, 2e6, false), row(1, 12_000, 2.5e6, true), row(2, 20_000, 1.5e6, true), row(3, 90_000, 3e6, false)];
  return sweepChart({ rows, bestVariant: 1 }, 'Sample sweep');
}

/** One chart of every kind. */
export function sampleCharts(): TemplateChart[] {
  const timeline = sampleTimeline();
  const input = sampleChartInput();
  return [workloadGraphChart(input), nodeStatsChart(input), ...timeline.groups.flatMap((g) => [scheduleChart(timeline, g), memoryChart(timeline, g)]), sampleSweep()];
}
