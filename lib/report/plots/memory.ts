/**
 * Memory use of every core over one steady-state iteration of a fusion group, against the core's
 * capacity: the live tensor tiles of the timeline's lifetime model stacked per tensor, the MILP's
 * reservation as a dashed line, and the capacity as a red line when it is in the same range (otherwise
 * the panel title states it).
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import { CoreMemory, GroupTimeline, RunTimeline, compactIds } from '../timeline';
import { TemplateChart } from './template';
import { CATEGORY_SCHEME, CHART_CONFIG, byteUnitFor, formatBits, formatCycles } from './theme';

const PANEL_WIDTH = 860;
const PANEL_HEIGHT = 120;
/** A capacity line further above the data than this factor would flatten the data; it is stated instead. */
const CAPACITY_RANGE = 5;

interface StackRect {
  readonly tensor: string;
  readonly from: number;
  readonly to: number;
  readonly y0: number;
  readonly y1: number;
}

/** Live tensors stacked in every interval between two change points, largest persistent ones at the bottom. */
function stackedRects(memory: CoreMemory, period: number, unitBits: number): { rects: StackRect[]; peakBits: number } {
  const cuts = [...new Set([0, period, ...memory.tensors.flatMap((t) => [t.from, t.to])])].filter((c) => c >= 0 && c <= period).sort((a, b) => a - b);
  const order = [...memory.tensors].sort((a, b) => Number(b.persistent) - Number(a.persistent) || a.from - b.from || b.bits - a.bits);
  const rects: StackRect[] = [];
  let peakBits = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [from, to] = [cuts[i], cuts[i + 1]];
    let base = 0;
    for (const t of order) {
      if (t.from > from || t.to < to || t.to <= t.from) continue;
      rects.push({ tensor: t.tensor, from, to, y0: base / unitBits, y1: (base + t.bits) / unitBits });
      base += t.bits;
    }
    peakBits = Math.max(peakBits, base);
  }
  return { rects, peakBits };
}

/** Cores whose memory use is the same (a node split over several cores) share one panel. */
function identicalCores(memory: readonly CoreMemory[]): { memory: CoreMemory; coreIds: number[] }[] {
  const groups = new Map<string, { memory: CoreMemory; coreIds: number[] }>();
  for (const m of memory) {
    const key = JSON.stringify([m.capacityBits, m.tensors]);
    const group = groups.get(key);
    if (group) group.coreIds.push(m.coreId);
    else groups.set(key, { memory: m, coreIds: [m.coreId] });
  }
  return [...groups.values()];
}

const X_TITLE = 'cycles from the start of the iteration';

export function memoryChart(run: RunTimeline, g: GroupTimeline): TemplateChart {
  const period = Math.max(g.perIteration, 1);
  const unit = byteUnitFor(Math.max(1, ...g.memory.map((m) => m.allocatedBits)));
  const tensorOrder = new Map([...new Set(g.memory.flatMap((m) => m.tensors.map((t) => t.tensor)))].map((t, i) => [t, i]));
  const coreDetail = new Map(run.cores.map((c) => [c.id, c.detail]));
  const capacityShown = (m: CoreMemory) => m.capacityBits > 0 && m.capacityBits <= CAPACITY_RANGE * Math.max(m.allocatedBits, 1);

  // One dataset for the facet: each panel's stacked tiles, lines and titles, told apart by `mark`.
  const records: object[] = [];
  const panels = identicalCores(g.memory);
  panels.forEach(({ memory: m, coreIds }, panel) => {
    const { rects, peakBits } = stackedRects(m, period, unit.bits);
    for (const r of rects) records.push({ panel, mark: 'rect', ...r, tensorOrder: tensorOrder.get(r.tensor) ?? 0 });
    records.push({ panel, mark: 'line', line: 'MILP reservation', lineOrder: 0, value: m.allocatedBits / unit.bits });
    if (capacityShown(m)) records.push({ panel, mark: 'line', line: 'capacity', lineOrder: 1, value: m.capacityBits / unit.bits });
    const share = m.capacityBits > 0 ? ` (${((100 * m.allocatedBits) / m.capacityBits).toPrecision(2)} % of it)` : '';
    records.push({
      panel,
      mark: 'title',
      title: coreIds.length > 1 ? `Cores ${compactIds(coreIds)} · ${coreDetail.get(m.coreId) ?? ''} (same use on each)` : `Core ${m.coreId} · ${coreDetail.get(m.coreId) ?? ''}`,
      subtitle: `capacity ${formatBits(m.capacityBits)}; MILP reservation ${formatBits(m.allocatedBits)}${share}; live peak ${formatBits(peakBits)}`,
    });
  });
  // Even an empty text would take room under the other panels.
  records.push({ panel: panels.length - 1, mark: 'x-title', text: X_TITLE });

  const iterations = g.iterations === 1 ? '1 iteration' : `${formatCycles(g.iterations)} iterations`;
  return {
    kind: 'memory',
    signals: {
      chartTitle: `Fusion group ${g.index}: memory per core over one steady-state iteration (${formatCycles(g.perIteration)} cycles, ${iterations})`,
      period,
      unitLabel: unit.label,
    },
    datasets: { memory: records },
  };
}

const only = (mark: string) => [{ filter: `datum.mark === '${mark}'` }];

/**
 * One panel per core (a facet row), the y scale of each its own. Panel titles are text above the plot
 * and the x axis title is drawn under the last panel only, as a vertical stack of charts would have them.
 */
export const MEMORY_TEMPLATE: TopLevelSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  config: CHART_CONFIG,
  params: [
    { name: 'chartTitle', value: '' },
    { name: 'period', value: 1 },
    { name: 'unitLabel', value: 'B' },
  ],
  title: {
    text: { expr: 'chartTitle' },
    subtitle: [
      'A tensor tile is live from the start of its producer’s slot to the end of its last consumer’s slot;',
      'tensors buffered over several tiles or reused over several iterations stay live throughout.',
    ],
  },
  data: { name: 'memory' },
  facet: { row: { field: 'panel', type: 'ordinal', header: null } },
  spacing: { row: 28 },
  spec: {
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    layer: [
      {
        transform: only('rect'),
        mark: { type: 'rect', stroke: 'white', strokeWidth: 0.3 },
        encoding: {
          x: { field: 'from', type: 'quantitative', scale: { domain: [0, { expr: 'period' }], nice: false }, title: null },
          x2: { field: 'to' },
          y: { field: 'y0', type: 'quantitative', scale: { zero: true }, axis: { title: { signal: 'unitLabel' } } },
          y2: { field: 'y1' },
          color: {
            field: 'tensor',
            type: 'nominal',
            sort: { field: 'tensorOrder', op: 'min' },
            scale: { scheme: CATEGORY_SCHEME },
            legend: { title: 'live tensor tiles', orient: 'bottom', columns: 4, direction: 'horizontal' },
          },
        },
      },
      {
        transform: only('line'),
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          y: { field: 'value', type: 'quantitative' },
          strokeDash: {
            field: 'line',
            type: 'nominal',
            sort: { field: 'lineOrder', op: 'min' },
            scale: { range: [[6, 4], [1, 0]] },
            legend: { title: 'lines', orient: 'bottom' },
          },
          stroke: {
            field: 'line',
            type: 'nominal',
            sort: { field: 'lineOrder', op: 'min' },
            scale: { range: ['#333333', '#c0392b'] },
            legend: { title: 'lines', orient: 'bottom' },
          },
        },
      },
      {
        transform: only('title'),
        mark: { type: 'text', align: 'left', baseline: 'alphabetic', fontSize: 13, fontWeight: 'bold', color: '#000' },
        encoding: { x: { value: 0 }, y: { value: -26 }, text: { field: 'title', type: 'nominal' } },
      },
      {
        transform: only('title'),
        mark: { type: 'text', align: 'left', baseline: 'alphabetic', fontSize: 12, color: '#444' },
        encoding: { x: { value: 0 }, y: { value: -11 }, text: { field: 'subtitle', type: 'nominal' } },
      },
      {
        transform: only('x-title'),
        mark: { type: 'text', align: 'center', baseline: 'top', fontSize: 12, color: '#000' },
        encoding: { x: { value: PANEL_WIDTH / 2 }, y: { value: PANEL_HEIGHT + 24 }, text: { field: 'text', type: 'nominal' } },
      },
    ],
  },
  resolve: { scale: { y: 'independent' }, axis: { x: 'independent' } },
};
