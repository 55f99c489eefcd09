/**
 * Memory use of every core over one steady-state iteration of a fusion group, against the core's
 * capacity: the live tensor tiles of the timeline's lifetime model stacked per tensor, the MILP's
 * reservation as a dashed line, and the capacity as a red line when it is in the same range (otherwise
 * the panel title states it).
 */
import { CoreMemory, GroupTimeline, RunTimeline, compactIds } from '../timeline';
import { Block, Kit, LEGEND_COLUMN_GAP, LegendEntry, categoryColours, figure, headerBlock, legendBlock, legendWidth, plotBlock, rowBlock, textWidth } from './figure';
import { TemplateChart } from './template';
import { byteUnitFor, formatBits, formatCycles } from './theme';

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

/** `formatBits` with the thousands grouped: an off-chip memory may hold a million GiB. */
const bytes = (bits: number) => formatBits(bits).replace(/^\d{4,}/, (digits) => formatCycles(Number(digits)));

/** A share in per cent, to two significant digits without exponents: `0.0052 %`, `13 %`, `100 %`. */
function percent(value: number): string {
  if (value > 0 && value < 0.001) return '< 0.001 %';
  return `${value >= 10 ? Math.round(value) : Number(value.toPrecision(2))} %`;
}

/** A core's panel: its titles, its lines and its stacked tiles, in its unit. */
interface PanelDatum {
  readonly title: string;
  readonly subtitle: string;
  /** The unit of the panel's y scale ('KiB'). */
  readonly unitLabel: string;
  /** The MILP reservation. */
  readonly reservation: number;
  /** The capacity, when it is in the range of the data (`null` otherwise: the subtitle states it). */
  readonly capacity: number | null;
  readonly rects: readonly StackRect[];
}

export function memoryChart(run: RunTimeline, g: GroupTimeline): TemplateChart {
  const period = Math.max(g.perIteration, 1);
  const coreDetail = new Map(run.cores.map((c) => [c.id, c.detail]));
  const capacityShown = (m: CoreMemory) => m.capacityBits > 0 && m.capacityBits <= CAPACITY_RANGE * Math.max(m.allocatedBits, 1);

  const panels: PanelDatum[] = identicalCores(g.memory).map(({ memory: m, coreIds }) => {
    // Each panel has its own scale, so its own unit: a core holding a few bytes next to one holding MiB.
    const unit = byteUnitFor(Math.max(1, m.allocatedBits));
    const { rects, peakBits } = stackedRects(m, period, unit.bits);
    const share = m.capacityBits > 0 ? ` (${percent((100 * m.allocatedBits) / m.capacityBits)} of it)` : '';
    return {
      title: coreIds.length > 1 ? `Cores ${compactIds(coreIds)} · ${coreDetail.get(m.coreId) ?? ''} (same use on each)` : `Core ${m.coreId} · ${coreDetail.get(m.coreId) ?? ''}`,
      subtitle: `capacity ${bytes(m.capacityBits)}; MILP reservation ${bytes(m.allocatedBits)}${share}; live peak ${bytes(peakBits)}`,
      unitLabel: unit.label,
      reservation: m.allocatedBits / unit.bits,
      capacity: capacityShown(m) ? m.capacityBits / unit.bits : null,
      rects,
    };
  });
  // Tensors in the order the group's cores first hold them: the order of their colours and legend.
  const drawn = new Set(panels.flatMap((p) => p.rects.map((r) => r.tensor)));
  const tensors = [...new Set(g.memory.flatMap((m) => m.tensors.map((t) => t.tensor)))].filter((t) => drawn.has(t));

  const iterations = g.iterations === 1 ? '1 iteration' : `${formatCycles(g.iterations)} iterations`;
  return {
    kind: 'memory',
    signals: {
      chartTitle: `Fusion group ${g.index}: memory per core over one steady-state iteration (${formatCycles(g.perIteration)} cycles, ${iterations})`,
      chartSubtitle: [
        'A tensor tile is live from the start of its producer’s slot to the end of its last consumer’s slot;',
        'tensors buffered over several tiles or reused over several iterations stay live throughout.',
      ],
      period,
      tensors,
      capacityShown: panels.some((p) => p.capacity !== null),
    },
    datasets: { panels },
  };
}

/** Width of a panel's plot area, unless its titles need more. */
const PLOT_WIDTH = 860;
const PANEL_HEIGHT = 120;
const PANEL_TITLE_SIZE = 13;
const PANEL_SUBTITLE_SIZE = 12;
/** Room above a panel's plot area for its title and subtitle. */
const PANEL_TOP = 40;
/** Room under a panel for its tick labels, and under the last for the x axis title too. */
const PANEL_BOTTOM = 24;
const LAST_PANEL_BOTTOM = 44;
/** Room right of the plot for the last x tick label. */
const MARGIN_RIGHT = 26;
const Y_TICKS = 5;
const X_TITLE = 'cycles from the start of the iteration';
const RESERVATION = { label: 'MILP reservation', color: '#333333', dash: '6,4' };
const CAPACITY = { label: 'capacity', color: '#c0392b' };
const LEGENDS_GAP = 40;

/**
 * Ticks of a y scale from 0 to at least `max`: about `count` steps of 1, 2 or 5 times a power of ten (as
 * d3's), the domain ending on the last tick, and their labels; computed here so the margin fits them.
 */
function yScale(max: number, count: number): { top: number; ticks: number[]; labels: string[] } {
  const span = max > 0 ? max : 1;
  const raw = span / count;
  const power = Math.floor(Math.log10(raw));
  const error = raw / 10 ** power;
  const step = (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1) * 10 ** power;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const n = Math.max(1, Math.ceil(span / step - 1e-9));
  const ticks = Array.from({ length: n + 1 }, (_, i) => Number((i * step).toFixed(decimals)));
  const labels = ticks.map((v) => {
    const [whole, fraction] = v.toFixed(decimals).split('.');
    return fraction ? `${formatCycles(Number(whole))}.${fraction}` : formatCycles(Number(whole));
  });
  return { top: ticks[n], ticks, labels };
}

/**
 * One panel per core group stacked (Plot has no facets with a y scale each), each a Plot chart with its
 * titles in its top margin: the tiles as one rect mark coloured by tensor, the lines as rules; the x
 * axis title under the last. Legends of the tensors and of the lines side by side under the panels.
 */
export function drawMemory(kit: Kit, chart: TemplateChart): string {
  const { Plot } = kit;
  const panels = chart.datasets.panels as readonly PanelDatum[];
  const tensors = chart.signals.tensors as readonly string[];
  const period = chart.signals.period as number;
  const title = chart.signals.chartTitle as string;
  const subtitle = chart.signals.chartSubtitle as readonly string[];

  // Headroom over the highest tile or line, so a line at the top stays clear of the frame.
  const scales = panels.map((p) => yScale(1.04 * Math.max(p.reservation, p.capacity ?? 0, ...p.rects.map((r) => r.y1)), Y_TICKS));
  const tickLabelWidth = Math.max(0, ...scales.flatMap((s) => s.labels.map((l) => textWidth(l))));
  // Tick labels, tick (6) and padding (3), then the rotated unit label against the left edge.
  const marginLeft = Math.ceil(tickLabelWidth) + 9 + 20;
  const plotWidth = Math.ceil(
    Math.max(PLOT_WIDTH, ...panels.flatMap((p) => [textWidth(p.title, PANEL_TITLE_SIZE, true), textWidth(p.subtitle, PANEL_SUBTITLE_SIZE)])),
  );
  const width = marginLeft + plotWidth + MARGIN_RIGHT;
  const color = { domain: tensors, range: categoryColours(tensors.length) };

  const panelBlocks = panels.map((p, i): Block => {
    const last = i === panels.length - 1;
    const { top, ticks, labels } = scales[i];
    const marginBottom = last ? LAST_PANEL_BOTTOM : PANEL_BOTTOM;
    const label = new Map(ticks.map((t, j) => [t, labels[j]]));
    return plotBlock(kit, {
      width,
      height: PANEL_TOP + PANEL_HEIGHT + marginBottom,
      marginLeft,
      marginRight: MARGIN_RIGHT,
      marginTop: PANEL_TOP,
      marginBottom,
      x: { domain: [0, period], label: last ? X_TITLE : null, labelAnchor: 'center', labelArrow: 'none', labelOffset: 36, tickFormat: ',~f', ticks: 10, grid: true },
      y: { domain: [0, top], ticks, tickFormat: (v: number) => label.get(v) ?? '', label: p.unitLabel, labelAnchor: 'center', labelArrow: 'none', grid: true },
      color,
      marks: [
        Plot.rect(p.rects, { x1: 'from', x2: 'to', y1: 'y0', y2: 'y1', fill: 'tensor', stroke: 'white', strokeWidth: 0.3 }),
        Plot.ruleY([0], { stroke: '#888' }),
        // The reservation over the capacity: at 100 % the dashes show on the red line.
        ...(p.capacity !== null ? [Plot.ruleY([p.capacity], { stroke: CAPACITY.color, strokeWidth: 2 })] : []),
        Plot.ruleY([p.reservation], { stroke: RESERVATION.color, strokeWidth: 2, strokeDasharray: RESERVATION.dash }),
        Plot.text([p.title], { text: (d: string) => d, frameAnchor: 'top-left', dy: -22, textAnchor: 'start', lineAnchor: 'bottom', fontSize: PANEL_TITLE_SIZE, fontWeight: 'bold', fill: '#000' }),
        Plot.text([p.subtitle], { text: (d: string) => d, frameAnchor: 'top-left', dy: -6, textAnchor: 'start', lineAnchor: 'bottom', fontSize: PANEL_SUBTITLE_SIZE, fill: '#444' }),
      ],
    });
  });

  const tensorEntries: LegendEntry[] = tensors.map((label, i) => ({ label, color: color.range[i] }));
  const lineEntries: LegendEntry[] = [
    { label: RESERVATION.label, color: RESERVATION.color, line: { dash: RESERVATION.dash } },
    ...(chart.signals.capacityShown ? [{ label: CAPACITY.label, color: CAPACITY.color, line: {} }] : []),
  ];
  // The lines' legend beside the tensors' when at least two columns of tensors fit (or all of them), else under it.
  const room = plotWidth + MARGIN_RIGHT;
  const linesWidth = legendWidth(lineEntries, 1);
  const entryWidth = legendWidth(tensorEntries, 1) + LEGEND_COLUMN_GAP;
  const besideColumns = Math.min(4, tensorEntries.length, Math.floor((room - linesWidth - LEGENDS_GAP + LEGEND_COLUMN_GAP) / entryWidth));
  const beside = besideColumns >= Math.min(2, tensorEntries.length);
  const columns = beside ? besideColumns : Math.max(1, Math.min(4, tensorEntries.length, Math.floor((room + LEGEND_COLUMN_GAP) / entryWidth)));
  const tensorLegend = legendBlock(kit, { title: 'live tensor tiles', entries: tensorEntries, maxColumns: columns }, legendWidth(tensorEntries, columns));
  const linesLegend = legendBlock(kit, { title: 'lines', entries: lineEntries, maxColumns: 1 }, linesWidth);
  const legends: Block[] = tensorEntries.length === 0 ? [linesLegend] : beside ? [rowBlock(kit, [tensorLegend, linesLegend], LEGENDS_GAP)] : [tensorLegend, linesLegend];

  const headerWidth = Math.ceil(Math.max(width, textWidth(title, 15, true), ...subtitle.map((s) => textWidth(s, 12))));
  const header = headerBlock(kit, { title, subtitle }, headerWidth);
  const blocks = [header, ...panelBlocks, ...legends.map((l) => ({ ...l, indent: marginLeft }))];
  return figure(kit, blocks, blocks.map((_, i) => (i === 0 ? 8 : i < panelBlocks.length ? 10 : 14)));
}
