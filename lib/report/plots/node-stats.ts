/**
 * Per-node latency and utilisation: for every computation node of the run (grouped by fusion group) its
 * active latency in one steady-state iteration next to the cost model's ideal cycles, its latency over
 * the whole run (× iterations), and its MAC spatial utilisation.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import { PerformanceStats } from '../performance';
import { compactIds } from '../timeline';
import { TemplateChart } from './template';
import { CHART_CONFIG, formatCycles } from './theme';
import { MappedNode } from './workload-graph';

export interface NodeStatsInput {
  readonly groups: readonly {
    readonly index: number;
    readonly group: { readonly nodes: readonly MappedNode[] };
    readonly performance: { readonly per_node: PerformanceStats['per_node'] };
    readonly solution: { readonly iterations: number };
  }[];
}

const GROUP_STROKES = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const BAR_HEIGHT = 22;

interface NodeRow {
  readonly row: string;
  readonly rowOrder: number;
  readonly group: string;
  readonly groupIndex: number;
  readonly latency: number;
  readonly ideal: number;
  readonly total: number;
  readonly utilisation: number | null;
  readonly latencyLabel: string;
  readonly totalLabel: string;
  readonly utilisationLabel: string;
}

function nodeRows(input: NodeStatsInput): NodeRow[] {
  let rowOrder = 0;
  return input.groups.flatMap((g) =>
    g.group.nodes.map((n) => {
      const p = g.performance.per_node[n.name];
      const latency = p?.latency_cycles ?? 0;
      const utilisation = p?.mac_spatial_utilization ?? null;
      return {
        row: `${n.name} (${n.type}, core${n.coreIds.length > 1 ? 's' : ''} ${compactIds(n.coreIds)})`,
        rowOrder: rowOrder++,
        group: `fusion group ${g.index}`,
        groupIndex: g.index,
        latency,
        ideal: p?.ideal_compute_cycles ?? 0,
        total: latency * g.solution.iterations,
        utilisation: utilisation === null ? null : 100 * utilisation,
        latencyLabel: formatCycles(latency),
        totalLabel: formatCycles(latency * g.solution.iterations),
        utilisationLabel: utilisation === null ? 'n/a (not a MAC operator)' : `${(100 * utilisation).toFixed(1)} %`,
      };
    }),
  );
}

export function nodeStatsChart(input: NodeStatsInput): TemplateChart {
  return { kind: 'node-stats', signals: {}, datasets: { rows: nodeRows(input).map((r) => ({ ...r, utilisationPosition: r.utilisation ?? 0 })) } };
}

/** Rows in `rowOrder`, one colour per fusion group in `groupIndex` order (the palette repeats after ten). */
function nodeStatsTemplate(): TopLevelSpec {
  const y = { field: 'row', type: 'nominal' as const, sort: { field: 'rowOrder', op: 'min' as const }, title: null };
  const color = {
    field: 'group',
    type: 'nominal' as const,
    sort: { field: 'groupIndex', op: 'min' as const },
    scale: { range: GROUP_STROKES },
    legend: { title: null, orient: 'bottom' as const, direction: 'horizontal' as const },
  };
  const barPanel = (field: 'latency' | 'total' | 'utilisation', label: 'latencyLabel' | 'totalLabel' | 'utilisationLabel', title: string, width: number, showY: boolean) => {
    const yShown = showY ? y : { ...y, axis: null };
    return {
      width,
      height: { step: BAR_HEIGHT },
      title: { text: title, fontSize: 12, fontWeight: 'normal' as const },
      layer: [
        {
          mark: { type: 'bar' as const, height: BAR_HEIGHT - 7 },
          encoding: {
            y: yShown,
            x: {
              field,
              type: 'quantitative' as const,
              title: null,
              ...(field === 'utilisation' ? { scale: { domain: [0, 100], nice: false } } : {}),
              axis: field === 'utilisation' ? { format: 'd', values: [0, 25, 50, 75, 100] } : { format: '~s' },
            },
            color,
          },
        },
        ...(field === 'latency'
          ? [
              {
                mark: { type: 'tick' as const, color: 'black', thickness: 2, size: BAR_HEIGHT - 4 },
                encoding: { y: yShown, x: { field: 'ideal', type: 'quantitative' as const } },
              },
            ]
          : []),
        {
          mark: { type: 'text' as const, align: 'left' as const, dx: 4, fontSize: 10, color: '#222' },
          encoding: {
            y: yShown,
            x: { field: field === 'utilisation' ? 'utilisationPosition' : field, type: 'quantitative' as const },
            text: { field: label, type: 'nominal' as const },
          },
        },
      ],
    };
  };

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CHART_CONFIG,
    title: {
      text: 'Latency and utilisation per node',
      subtitle: [
        'Active latency: cycles a node is charged in one steady-state iteration (black tick: the cost model’s ideal cycles);',
        'whole run: active latency × the group’s iterations; MAC spatial utilisation of its first core.',
      ],
    },
    data: { name: 'rows' },
    hconcat: [
      barPanel('latency', 'latencyLabel', 'active latency per iteration (cycles)', 280, true),
      barPanel('total', 'totalLabel', 'whole run (cycles)', 240, false),
      barPanel('utilisation', 'utilisationLabel', 'MAC spatial utilisation (%)', 220, false),
    ],
    resolve: { scale: { x: 'independent' } },
    spacing: 24,
  };
}

export const NODE_STATS_TEMPLATE: TopLevelSpec = nodeStatsTemplate();
