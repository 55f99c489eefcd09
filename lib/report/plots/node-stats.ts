/**
 * Per-node latency and utilisation: for every computation node of the run (grouped by fusion group) its
 * active latency in one steady-state iteration next to the cost model's ideal cycles, its latency over
 * the whole run (× iterations), and its MAC spatial utilisation.
 */
import { PerformanceStats } from '../performance';
import { compactIds } from '../timeline';
import { QuantitativeAxis, bottomAxis, leftLabels, plotFrame, verticalGrid } from './draw/axis';
import { legend, withLegendsBelow } from './draw/legend';
import { linearScale, niceDomain } from './draw/scale';
import { Layer, titled } from './draw/svg';
import { AXIS_LABEL_LIMIT, GROUP_STROKES, formatCycles, truncate } from './theme';
import { MappedNode } from './workload-graph';

export interface NodeStatsInput {
  readonly groups: readonly {
    readonly index: number;
    readonly group: { readonly nodes: readonly MappedNode[] };
    readonly performance: { readonly per_node: PerformanceStats['per_node'] };
    readonly solution: { readonly iterations: number };
  }[];
}

const ROW_HEIGHT = 22;
const BAR_THICKNESS = ROW_HEIGHT - 7;
/** The cost model's ideal cycles: a black tick across the bar. */
const IDEAL_TICK = ROW_HEIGHT - 4;

interface NodeRow {
  readonly row: string;
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
  return input.groups.flatMap((g) =>
    g.group.nodes.map((n) => {
      const p = g.performance.per_node[n.name];
      const latency = p?.latency_cycles ?? 0;
      const utilisation = p?.mac_spatial_utilization ?? null;
      return {
        row: `${n.name} (${n.type}, core${n.coreIds.length > 1 ? 's' : ''} ${compactIds(n.coreIds)})`,
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

type Field = 'latency' | 'total' | 'utilisation';

interface Panel {
  readonly field: Field;
  readonly label: (row: NodeRow) => string;
  readonly title: string;
  readonly width: number;
}

const PANELS: readonly Panel[] = [
  { field: 'latency', label: (r) => r.latencyLabel, title: 'active latency per iteration (cycles)', width: 280 },
  { field: 'total', label: (r) => r.totalLabel, title: 'whole run (cycles)', width: 240 },
  { field: 'utilisation', label: (r) => r.utilisationLabel, title: 'MAC spatial utilisation (%)', width: 220 },
];
const PANEL_SPACING = 24;

function panel(spec: Panel, rows: readonly NodeRow[], colour: (row: NodeRow) => string, withRowLabels: boolean): Layer {
  const height = Math.max(1, rows.length) * ROW_HEIGHT;
  const value = (r: NodeRow) => (spec.field === 'utilisation' ? (r.utilisation ?? 0) : r[spec.field]);
  const axis: QuantitativeAxis =
    spec.field === 'utilisation'
      ? { scale: linearScale([0, 100], [0, spec.width]), format: 'integer', values: [0, 25, 50, 75, 100] }
      : { scale: linearScale(niceDomain(0, Math.max(0, ...rows.map((r) => Math.max(value(r), spec.field === 'latency' ? r.ideal : 0)))), [0, spec.width]), format: 'si' };
  const x = axis.scale;
  const centre = (i: number) => (i + 0.5) * ROW_HEIGHT;
  const plot = new Layer();
  plotFrame(plot, spec.width, height);
  verticalGrid(plot, axis, height);
  bottomAxis(plot, axis, height);
  if (withRowLabels) leftLabels(plot, rows.map((r, i) => ({ label: truncate(r.row, 11, AXIS_LABEL_LIMIT), y: centre(i) })), height, { ticks: true });
  rows.forEach((r, i) => plot.rect(x(0), centre(i) - BAR_THICKNESS / 2, x(value(r)) - x(0), BAR_THICKNESS, `fill="${colour(r)}"`));
  if (spec.field === 'latency') rows.forEach((r, i) => plot.rect(x(r.ideal) - 1, centre(i) - IDEAL_TICK / 2, 2, IDEAL_TICK, 'fill="black"'));
  rows.forEach((r, i) => plot.text(x(value(r)) + 4, centre(i), spec.label(r), { size: 10, color: '#222', baseline: 'middle' }));
  return titled(plot, spec.title, [], { size: 12, bold: false });
}

/** The chart, to be written as an SVG document (`svgDocument`). */
export function nodeStatsChart(input: NodeStatsInput): Layer {
  const rows = nodeRows(input);
  const colour = (r: NodeRow) => GROUP_STROKES[r.groupIndex % GROUP_STROKES.length];
  const panels = new Layer();
  let right = 0;
  PANELS.forEach((spec, i) => {
    const p = panel(spec, rows, colour, i === 0);
    const dx = i === 0 ? 0 : right + PANEL_SPACING - p.extent.x1;
    panels.group(p, dx, 0);
    right = dx + p.extent.x2;
  });
  const groups = input.groups.map((g) => ({ label: `fusion group ${g.index}`, symbol: { kind: 'square' as const, fill: GROUP_STROKES[g.index % GROUP_STROKES.length] } }));
  return titled(withLegendsBelow(panels, [legend(null, groups)]), 'Latency and utilisation per node', [
    'Active latency: cycles a node is charged in one steady-state iteration (black tick: the cost model’s ideal cycles);',
    'whole run: active latency × the group’s iterations; MAC spatial utilisation of its first core.',
  ]);
}
