/**
 * Memory use of every core over one steady-state iteration of a fusion group, against the core's
 * capacity: the live tensor tiles of the timeline's lifetime model stacked per tensor, the MILP's
 * reservation as a dashed line, and the capacity as a red line when it is in the same range (otherwise
 * the panel title states it).
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import { CoreMemory, GroupTimeline, RunTimeline, compactIds } from '../timeline';
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

export function memoryChart(run: RunTimeline, g: GroupTimeline): TopLevelSpec {
  const period = Math.max(g.perIteration, 1);
  const unit = byteUnitFor(Math.max(1, ...g.memory.map((m) => m.allocatedBits)));
  const tensors = [...new Set(g.memory.flatMap((m) => m.tensors.map((t) => t.tensor)))];
  const coreDetail = new Map(run.cores.map((c) => [c.id, c.detail]));
  const capacityShown = (m: CoreMemory) => m.capacityBits > 0 && m.capacityBits <= CAPACITY_RANGE * Math.max(m.allocatedBits, 1);
  const lineKinds = ['MILP reservation', ...(g.memory.some(capacityShown) ? ['capacity'] : [])];

  const panels = identicalCores(g.memory).map(({ memory: m, coreIds }, i, all) => {
    const { rects, peakBits } = stackedRects(m, period, unit.bits);
    const showCapacity = capacityShown(m);
    const share = m.capacityBits > 0 ? ` (${((100 * m.allocatedBits) / m.capacityBits).toPrecision(2)} % of it)` : '';
    const lines = [
      { value: m.allocatedBits / unit.bits, line: 'MILP reservation' },
      ...(showCapacity ? [{ value: m.capacityBits / unit.bits, line: 'capacity' }] : []),
    ];
    return {
      title: {
        text: coreIds.length > 1 ? `Cores ${compactIds(coreIds)} · ${coreDetail.get(m.coreId) ?? ''} (same use on each)` : `Core ${m.coreId} · ${coreDetail.get(m.coreId) ?? ''}`,
        subtitle: `capacity ${formatBits(m.capacityBits)}; MILP reservation ${formatBits(m.allocatedBits)}${share}; live peak ${formatBits(peakBits)}`,
        fontSize: 13,
      },
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      layer: [
        {
          data: { values: rects },
          mark: { type: 'rect' as const, stroke: 'white', strokeWidth: 0.3 },
          encoding: {
            x: {
              field: 'from',
              type: 'quantitative' as const,
              scale: { domain: [0, period], nice: false },
              title: i === all.length - 1 ? 'cycles from the start of the iteration' : null,
            },
            x2: { field: 'to' },
            y: { field: 'y0', type: 'quantitative' as const, title: unit.label, scale: { zero: true } },
            y2: { field: 'y1' },
            color: {
              field: 'tensor',
              type: 'nominal' as const,
              sort: tensors,
              scale: { scheme: CATEGORY_SCHEME },
              legend: { title: 'live tensor tiles', orient: 'bottom' as const, columns: 4, direction: 'horizontal' as const },
            },
          },
        },
        {
          data: { values: lines },
          mark: { type: 'rule' as const, strokeWidth: 2 },
          encoding: {
            y: { field: 'value', type: 'quantitative' as const },
            strokeDash: {
              field: 'line',
              type: 'nominal' as const,
              scale: { domain: lineKinds, range: [[6, 4], [1, 0]] },
              legend: { title: 'lines', orient: 'bottom' as const },
            },
            stroke: {
              field: 'line',
              type: 'nominal' as const,
              scale: { domain: lineKinds, range: ['#333333', '#c0392b'] },
              legend: { title: 'lines', orient: 'bottom' as const },
            },
          },
        },
      ],
    };
  });

  const iterations = g.iterations === 1 ? '1 iteration' : `${formatCycles(g.iterations)} iterations`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CHART_CONFIG,
    title: {
      text: `Fusion group ${g.index}: memory per core over one steady-state iteration (${formatCycles(g.perIteration)} cycles, ${iterations})`,
      subtitle: [
        'A tensor tile is live from the start of its producer’s slot to the end of its last consumer’s slot;',
        'tensors buffered over several tiles or reused over several iterations stay live throughout.',
      ],
    },
    vconcat: panels,
    resolve: { scale: { y: 'independent', x: 'shared' } },
    spacing: 28,
  };
}
