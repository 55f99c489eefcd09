/**
 * Per-node latency and utilisation: for every computation node of the run (grouped by fusion group) its
 * active latency in one steady-state iteration next to the cost model's ideal cycles, its latency over
 * the whole run (× iterations), and its MAC spatial utilisation.
 */
import { PerformanceStats } from '../performance';
import { compactIds } from '../timeline';
import { Block, Kit, figure, headerBlock, legendBlock, plotBlock, rowBlock, textWidth } from './figure';
import { TemplateChart } from './template';
import { formatCycles, formatSi, niceStep } from './theme';
import { MappedNode } from './workload-graph';

export interface NodeStatsInput {
  readonly groups: readonly {
    readonly index: number;
    readonly group: { readonly nodes: readonly MappedNode[] };
    readonly performance: { readonly per_node: PerformanceStats['per_node'] };
    readonly solution: { readonly iterations: number };
  }[];
}

/** One colour per fusion group, in group order (Tableau 10: the palette repeats after ten groups). */
const GROUP_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const TITLE = 'Latency and utilisation per node';
const SUBTITLE = [
  'Active latency: cycles a node is charged in one steady-state iteration (black tick: the cost model’s ideal cycles);',
  'whole run: active latency × the group’s iterations; MAC spatial utilisation of its first core.',
];

interface NodeRow {
  /** The row's label: `name (type, cores …)`. */
  readonly row: string;
  /** Position of the row, top to bottom. */
  readonly rowOrder: number;
  readonly group: string;
  readonly groupIndex: number;
  readonly color: string;
  readonly latency: number;
  readonly ideal: number;
  readonly total: number;
  /** Percent, or null for a node that is not a MAC operator. */
  readonly utilisation: number | null;
  readonly latencyLabel: string;
  readonly totalLabel: string;
  readonly utilisationLabel: string;
}

function nodeRows(input: NodeStatsInput): NodeRow[] {
  let rowOrder = 0;
  return input.groups.flatMap((g, groupOrder) =>
    g.group.nodes.map((n) => {
      const p = g.performance.per_node[n.name];
      const latency = p?.latency_cycles ?? 0;
      const utilisation = p?.mac_spatial_utilization ?? null;
      return {
        row: `${n.name} (${n.type}, core${n.coreIds.length > 1 ? 's' : ''} ${compactIds(n.coreIds)})`,
        rowOrder: rowOrder++,
        group: `fusion group ${g.index}`,
        groupIndex: g.index,
        color: GROUP_COLORS[groupOrder % GROUP_COLORS.length],
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
  const rows = nodeRows(input);
  const groups = input.groups.map((g, i) => ({ label: `fusion group ${g.index}`, color: GROUP_COLORS[i % GROUP_COLORS.length] }));
  return { kind: 'node-stats', signals: { title: TITLE, subtitle: SUBTITLE, groups }, datasets: { rows } };
}

const ROW_HEIGHT = 22;
const BAR_INSET = 3.5;
const VALUE_SIZE = 10;
/** Gap between a bar's end (or the ideal tick) and its value label. */
const VALUE_GAP = 4;
const PANEL_TITLE_SIZE = 12;
const MARGIN_TOP = 24;
const MARGIN_BOTTOM = 26;
const PANEL_GAP = 24;
/** Widths of the plot areas of the three panels. */
const WIDTHS = { latency: 280, total: 240, utilisation: 220 } as const;

/** Whole-number ticks from 0 to `max`, about `count` of them, 1, 2 or 5 × 10^k apart. */
function cycleTicks(max: number, count: number): number[] {
  const step = niceStep(Math.max(1, max / Math.max(1, count)));
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
}

interface Placed {
  readonly row: number;
  /** Where the value label starts, in data units. */
  readonly at: number;
  readonly text: string;
}

/**
 * The x domain of a cycles panel `width` pixels wide, long enough that every value label fits right of
 * its bar (and of the ideal tick when the tick would cross the label), and where each label starts.
 */
function cyclesLayout(rows: readonly NodeRow[], value: (r: NodeRow) => number, label: (r: NodeRow) => string, width: number, ideal?: (r: NodeRow) => number) {
  const labelWidths = rows.map((r) => textWidth(label(r), VALUE_SIZE) + VALUE_GAP + 2);
  // A few pixels right of the furthest ideal tick, so that it stays off the frame.
  let max = Math.max(1, ...rows.map((r) => value(r)), ...rows.map((r) => ((ideal ? ideal(r) : 0) * width) / (width - 6)));
  let starts = rows.map(value);
  // The labels' room depends on the domain and the domain on where labels start: a few rounds settle it.
  for (let round = 0; round < 4; round++) {
    const px = width / max;
    starts = rows.map((r, i) => {
      if (!ideal) return value(r);
      const tick = ideal(r);
      const crosses = tick >= value(r) && (tick - value(r)) * px <= labelWidths[i] + 2;
      return crosses ? tick + 2 / px : value(r);
    });
    const needed = Math.max(max, ...starts.map((s, i) => (s * width) / Math.max(1, width - labelWidths[i])));
    if (needed <= max) break;
    max = needed;
  }
  const placed: Placed[] = rows.map((r, i) => ({ row: r.rowOrder, at: starts[i], text: label(r) }));
  return { max, placed };
}

/**
 * Three panels side by side, rows in `rowOrder` (labelled on the first panel only), bars coloured by
 * fusion group, values at the bar ends; the header above and the groups' legend under the first panel.
 */
export function drawNodeStats(kit: Kit, chart: TemplateChart): string {
  const { Plot } = kit;
  const rows = chart.datasets.rows as readonly NodeRow[];
  const groups = chart.signals.groups as readonly { label: string; color: string }[];
  const order = rows.map((r) => r.rowOrder);
  const rowLabel = new Map(rows.map((r) => [r.rowOrder, r.row]));
  const height = MARGIN_TOP + rows.length * ROW_HEIGHT + MARGIN_BOTTOM;

  const panel = (options: {
    title: string;
    width: number;
    marginLeft: number;
    marginRight: number;
    showRows: boolean;
    max: number;
    ticks: readonly number[];
    tickFormat: (v: number) => string;
    value: (r: NodeRow) => number;
    labels: readonly Placed[];
    ideal?: boolean;
  }): Block =>
    plotBlock(kit, {
      width: options.marginLeft + options.width + options.marginRight,
      height,
      marginLeft: options.marginLeft,
      marginRight: options.marginRight,
      marginTop: MARGIN_TOP,
      marginBottom: MARGIN_BOTTOM,
      x: { domain: [0, options.max], nice: false, ticks: options.ticks as number[], tickFormat: options.tickFormat, label: null, grid: true },
      y: options.showRows
        ? { type: 'band', domain: order, padding: 0, tickSize: 0, tickPadding: 6, tickFormat: (i: number) => rowLabel.get(i) ?? '', label: null }
        : { type: 'band', domain: order, padding: 0, axis: null },
      color: { type: 'identity' },
      marks: [
        Plot.frame({ stroke: '#ddd' }),
        Plot.text([options.title], {
          frameAnchor: 'top-left',
          text: (d: string) => d,
          textAnchor: 'start',
          lineAnchor: 'bottom',
          dx: -options.marginLeft,
          dy: -8,
          fontSize: PANEL_TITLE_SIZE,
          fill: '#000',
        }),
        Plot.barX(rows, { y: 'rowOrder', x1: 0, x2: options.value, fill: 'color', insetTop: BAR_INSET, insetBottom: BAR_INSET }),
        ...(options.ideal ? [Plot.tickX(rows, { y: 'rowOrder', x: 'ideal', stroke: '#000', strokeWidth: 2, insetTop: 2, insetBottom: 2 })] : []),
        Plot.text(options.labels, { y: 'row', x: 'at', text: 'text', textAnchor: 'start', dx: VALUE_GAP, fontSize: VALUE_SIZE, fill: '#222' }),
      ],
    });

  const cyclesPanel = (title: string, width: number, value: (r: NodeRow) => number, label: (r: NodeRow) => string, marginLeft: number, ideal?: (r: NodeRow) => number) => {
    const { max, placed } = cyclesLayout(rows, value, label, width, ideal);
    const ticks = cycleTicks(max, Math.round(width / 45));
    const lastTick = formatSi(ticks[ticks.length - 1]);
    // The last tick's label is centred on its tick: room for its right half.
    const overhang = textWidth(lastTick) / 2 - (width * (max - ticks[ticks.length - 1])) / max;
    return panel({ title, width, marginLeft, marginRight: Math.max(4, Math.ceil(overhang) + 2), showRows: marginLeft > 10, max, ticks, tickFormat: formatSi, value, labels: placed, ideal: !!ideal });
  };

  const rowsMargin = Math.ceil(Math.max(40, ...rows.map((r) => textWidth(r.row)))) + 10;
  const edge = Math.ceil(textWidth('0') / 2) + 2;
  const latency = cyclesPanel('active latency per iteration (cycles)', WIDTHS.latency, (r) => r.latency, (r) => r.latencyLabel, rowsMargin, (r) => r.ideal);
  const total = cyclesPanel('whole run (cycles)', WIDTHS.total, (r) => r.total, (r) => r.totalLabel, edge);
  // Utilisation keeps its 0..100 axis: the labels of full bars go right of the axis, into the margin.
  const utilisationPx = (r: NodeRow) => ((r.utilisation ?? 0) * WIDTHS.utilisation) / 100;
  const utilisationRight = Math.max(textWidth('100') / 2 + 2, ...rows.map((r) => utilisationPx(r) + VALUE_GAP + 2 + textWidth(r.utilisationLabel, VALUE_SIZE) - WIDTHS.utilisation));
  const utilisation = panel({
    title: 'MAC spatial utilisation (%)',
    width: WIDTHS.utilisation,
    marginLeft: edge,
    marginRight: Math.ceil(utilisationRight),
    showRows: false,
    max: 100,
    ticks: [0, 25, 50, 75, 100],
    tickFormat: (v: number) => String(v),
    value: (r) => r.utilisation ?? 0,
    labels: rows.map((r) => ({ row: r.rowOrder, at: r.utilisation ?? 0, text: r.utilisationLabel })),
  });

  const body = rowBlock(kit, [latency, total, utilisation], PANEL_GAP);
  const subtitle = chart.signals.subtitle as readonly string[];
  const title = chart.signals.title as string;
  const headerWidth = Math.ceil(Math.max(body.width, textWidth(title, 15, true), ...subtitle.map((line) => textWidth(line, 12))));
  const header = headerBlock(kit, { title, subtitle }, headerWidth);
  const legend = legendBlock(kit, { entries: groups.map((g) => ({ label: g.label, color: g.color })) }, body.width - rowsMargin);
  return figure(kit, [header, body, { ...legend, indent: rowsMargin }], [14, 6]);
}
