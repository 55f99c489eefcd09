/**
 * Memory use of every core over one steady-state iteration of a fusion group, against the core's
 * capacity: the live tensor tiles of the timeline's lifetime model stacked per tensor, the MILP's
 * reservation as a dashed line, and the capacity as a red line when it is in the same range (otherwise
 * the panel title states it).
 */
import { CoreMemory, GroupTimeline, RunTimeline, compactIds } from '../timeline';
import { QuantitativeAxis, bottomAxis, horizontalGrid, leftAxis, plotFrame, verticalGrid } from './draw/axis';
import { legend, withLegendsBelow } from './draw/legend';
import { linearScale, niceDomain } from './draw/scale';
import { Layer, titled } from './draw/svg';
import { LEGEND_LABEL_LIMIT, TABLEAU20, byteUnitFor, formatBits, formatCycles, truncate } from './theme';

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
/** Vertical space between two panels (from the lowest x label of one to the title of the next). */
const PANEL_SPACING = 28;
const LINE_STYLES = {
  'MILP reservation': { stroke: '#333333', dash: [6, 4] },
  capacity: { stroke: '#c0392b', dash: undefined },
} as const;
type LineKind = keyof typeof LINE_STYLES;

/** The chart, to be written as an SVG document (`svgDocument`). */
export function memoryChart(run: RunTimeline, g: GroupTimeline): Layer {
  const period = Math.max(g.perIteration, 1);
  const unit = byteUnitFor(Math.max(1, ...g.memory.map((m) => m.allocatedBits)));
  const tensors = [...new Set(g.memory.flatMap((m) => m.tensors.map((t) => t.tensor)))];
  const colour = new Map(tensors.map((t, i) => [t, TABLEAU20[i % TABLEAU20.length]]));
  const coreDetail = new Map(run.cores.map((c) => [c.id, c.detail]));
  const capacityShown = (m: CoreMemory) => m.capacityBits > 0 && m.capacityBits <= CAPACITY_RANGE * Math.max(m.allocatedBits, 1);
  const x = linearScale([0, period], [0, PANEL_WIDTH]);

  const panels = identicalCores(g.memory);
  const drawn = new Set<string>();
  const stack = new Layer();
  let top = 0;
  panels.forEach(({ memory: m, coreIds }, i) => {
    const { rects, peakBits } = stackedRects(m, period, unit.bits);
    const lines: { kind: LineKind; value: number }[] = [
      { kind: 'MILP reservation', value: m.allocatedBits / unit.bits },
      ...(capacityShown(m) ? [{ kind: 'capacity' as const, value: m.capacityBits / unit.bits }] : []),
    ];
    const highest = Math.max(0, ...rects.map((r) => r.y1), ...lines.map((l) => l.value));
    const y = linearScale(niceDomain(0, highest), [PANEL_HEIGHT, 0]);
    const xAxis: QuantitativeAxis = { scale: x, format: 'grouped', title: i === panels.length - 1 ? X_TITLE : undefined };
    const yAxis: QuantitativeAxis = { scale: y, format: 'grouped', title: unit.label };
    const plot = new Layer();
    plotFrame(plot, PANEL_WIDTH, PANEL_HEIGHT);
    verticalGrid(plot, xAxis, PANEL_HEIGHT);
    horizontalGrid(plot, yAxis, PANEL_WIDTH);
    bottomAxis(plot, xAxis, PANEL_HEIGHT);
    leftAxis(plot, yAxis, PANEL_HEIGHT);
    for (const r of rects) plot.rect(x(r.from), y(r.y1), x(r.to) - x(r.from), y(r.y0) - y(r.y1), `fill="${colour.get(r.tensor)}" stroke="white" stroke-width="0.3"`);
    for (const l of lines) {
      const style = LINE_STYLES[l.kind];
      const dash = style.dash ? ` stroke-dasharray="${style.dash.join(',')}"` : '';
      plot.line(0, y(l.value), PANEL_WIDTH, y(l.value), `stroke="${style.stroke}" stroke-width="2"${dash}`);
      drawn.add(l.kind);
    }
    const share = m.capacityBits > 0 ? ` (${((100 * m.allocatedBits) / m.capacityBits).toPrecision(2)} % of it)` : '';
    const panel = titled(
      plot,
      coreIds.length > 1 ? `Cores ${compactIds(coreIds)} · ${coreDetail.get(m.coreId) ?? ''} (same use on each)` : `Core ${m.coreId} · ${coreDetail.get(m.coreId) ?? ''}`,
      [`capacity ${formatBits(m.capacityBits)}; MILP reservation ${formatBits(m.allocatedBits)}${share}; live peak ${formatBits(peakBits)}`],
      { size: 13 },
    );
    // Panels share the plot's left edge; each starts below the previous one's lowest label.
    const dy = i === 0 ? 0 : top - panel.extent.y1;
    stack.group(panel, 0, dy);
    top = panel.extent.y2 + dy + PANEL_SPACING;
  });

  const tensorLegend = legend(
    'live tensor tiles',
    tensors.map((t) => ({ label: truncate(t, 11, LEGEND_LABEL_LIMIT), symbol: { kind: 'square' as const, fill: colour.get(t) ?? '#000', stroke: 'white' } })),
    4,
  );
  const lineLegend = legend(
    'lines',
    (Object.keys(LINE_STYLES) as LineKind[]).filter((k) => drawn.has(k)).map((k) => ({ label: k, symbol: { kind: 'line' as const, ...LINE_STYLES[k] } })),
  );
  const iterations = g.iterations === 1 ? '1 iteration' : `${formatCycles(g.iterations)} iterations`;
  return titled(
    withLegendsBelow(stack, [tensorLegend, lineLegend]),
    `Fusion group ${g.index}: memory per core over one steady-state iteration (${formatCycles(g.perIteration)} cycles, ${iterations})`,
    [
      'A tensor tile is live from the start of its producer’s slot to the end of its last consumer’s slot;',
      'tensors buffered over several tiles or reused over several iterations stay live throughout.',
    ],
  );
}
