/**
 * The DSE sweep (`sweepChart`, lib/dse/plot.ts): latency (log scale) against on-core energy for every
 * variant that has a schedule. Dominated variants are light blue dots, the Pareto front red dots joined
 * by a red step line, the best variant a black diamond labelled 'best' and the auto mapping (variant 0)
 * a grey square labelled 'auto mapping'; a legend for the two kinds of dot under the chart.
 */
import { Block, Kit, PIXEL_SCALES, figure, headerBlock, plotBlock, textWidth } from './figure';
import type { SweepPoint } from '../../dse/plot';
import { TemplateChart } from './template';
import { formatSi, niceStep } from './theme';

const PLOT_WIDTH = 560;
const PLOT_HEIGHT = 360;
const MARGIN = { top: 14, right: 16, bottom: 44, left: 70 } as const;
const FRONT = '#d62728';
const DOMINATED = '#9ecae1';
const AUTO = '#555';
/** Marker radii: the areas of the Vega-Lite spec's points (45, 220 and 160 px²). */
const DOT_R = Math.sqrt(45 / Math.PI);
const BEST_R = Math.sqrt(220 / Math.PI);
const AUTO_R = Math.sqrt(160 / Math.PI);
/** A square (area 520 px²) around the best variant's diamond. */
const FRAMING_R = Math.sqrt(520 / Math.PI);
/** How far a marker's label stands from its point (from the framed diamond's), in pixels. */
const LABEL_DX = 11;
const FRAMED_LABEL_DX = 16;
/** A label of a point past this share of the plot's width goes to the point's left. */
const LABEL_FLIP = 0.78;
/** Least room in pixels between two tick labels of the latency axis. */
const LABEL_GAP = 12;

/** The latency domain: the data's, widened in log space so the markers clear the frame (a tenth of a decade each side at least). */
function latencyDomain(latencies: readonly number[]): [number, number] {
  if (latencies.length === 0) return [1, 10];
  const [lo, hi] = [Math.max(1e-9, Math.min(...latencies)), Math.max(1e-9, ...latencies)];
  const pad = Math.max(0.06 * Math.log10(hi / lo), 0.1);
  return [lo / 10 ** pad, hi * 10 ** pad];
}

interface LogTicks {
  readonly ticks: number[];
  /** The labelled ticks and their labels. */
  readonly labels: Map<number, string>;
}

/**
 * Ticks for a log axis `width` pixels wide: every 1…9 multiple of a power of ten in the domain (at
 * least a few: linear steps of 1, 2 or 5 in a narrow domain). Labels go to as many as fit without
 * crowding, the round ones first: powers of ten, then fives, twos, threes, and the rest.
 */
function logTicks([lo, hi]: readonly [number, number], width: number): LogTicks {
  let ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (let m = 1; m <= 9; m++) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= lo && v <= hi) ticks.push(v);
    }
  }
  if (ticks.length < 4) {
    const step = niceStep((hi - lo) / 5);
    ticks = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) ticks.push(Number(v.toPrecision(12)));
  }
  const px = (v: number) => (width * Math.log(v / lo)) / Math.log(hi / lo);
  const leading = (v: number) => Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));
  const rank = (v: number) => {
    const order = [1, 5, 2, 3, 4, 6, 7, 8, 9].indexOf(leading(v));
    return Number.isInteger(Math.log10(v)) ? -1 : order < 0 ? 9 : order;
  };
  const placed: { from: number; to: number }[] = [];
  const labels = new Map<number, string>();
  for (const v of [...ticks].sort((a, b) => rank(a) - rank(b) || a - b)) {
    const text = formatSi(v);
    const half = textWidth(text) / 2;
    const box = { from: px(v) - half, to: px(v) + half };
    if (box.from < -MARGIN.left + 4 || box.to > width + MARGIN.right) continue;
    if (placed.some((p) => box.from < p.to + LABEL_GAP && box.to > p.from - LABEL_GAP)) continue;
    placed.push(box);
    labels.set(v, text);
  }
  return { ticks, labels };
}

/** The energy domain: the data's (not from zero), widened by 6 % of its range on each side (10 % of the value for one energy). */
function energyDomain(energies: readonly number[]): [number, number] {
  if (energies.length === 0) return [0, 1];
  const [lo, hi] = [Math.min(...energies), Math.max(...energies)];
  const pad = hi > lo ? 0.06 * (hi - lo) : Math.abs(lo) * 0.1 || 1;
  return [lo - pad, hi + pad];
}

/** The two kinds of dot, side by side: a red dot on a red line for the front, a light blue dot. */
function legend(kit: Kit, width: number): Block {
  const { Plot } = kit;
  const entries = [
    { label: 'Pareto front', color: FRONT, line: true },
    { label: 'dominated', color: DOMINATED, line: false },
  ];
  const gap = 26;
  const swatch = 22;
  let x = 0;
  const placed = entries.map((e) => {
    const at = { ...e, x, y: 8 };
    x += swatch + 6 + Math.ceil(textWidth(e.label)) + gap;
    return at;
  });
  return plotBlock(kit, {
    width,
    height: 18,
    margin: 0,
    ...PIXEL_SCALES,
    marks: [
      Plot.ruleY(placed.filter((e) => e.line), { y: 'y', x1: 'x', x2: (e: { x: number }) => e.x + swatch, stroke: FRONT, strokeWidth: 1.5 }),
      Plot.dot(placed, { x: (e: { x: number }) => e.x + swatch / 2, y: 'y', r: DOT_R, fill: 'color', stroke: 'none' }),
      Plot.text(placed, { x: (e: { x: number }) => e.x + swatch + 6, y: 'y', text: 'label', textAnchor: 'start', lineAnchor: 'middle', fill: '#000' }),
    ],
  });
}

export function drawSweep(kit: Kit, chart: TemplateChart): string {
  const { Plot } = kit;
  const points = chart.datasets.points as readonly SweepPoint[];
  const front = points.filter((p) => p.pareto).sort((a, b) => a.latency - b.latency || a.energy - b.energy);
  const dominated = points.filter((p) => !p.pareto);
  const best = points.filter((p) => p.best);
  const auto = points.filter((p) => p.auto);
  const xDomain = latencyDomain(points.map((p) => p.latency));
  const yDomain = energyDomain(points.map((p) => p.energy));
  const xTicks = logTicks(xDomain, PLOT_WIDTH);
  // A label to the right of a point near the right edge would leave the chart: it goes to the left there.
  const share = (p: SweepPoint) => Math.log(p.latency / xDomain[0]) / Math.log(xDomain[1] / xDomain[0]);
  // Labels clear the square that frames the diamond when the auto mapping is the best.
  const framed = (p: SweepPoint) => p.best && p.auto;
  const label = (data: readonly SweepPoint[], text: string, dy: number, style: object) =>
    [false, true].flatMap((left) =>
      [false, true].map((isFramed) => {
        const some = data.filter((p) => share(p) > LABEL_FLIP === left && framed(p) === isFramed);
        const dx = isFramed ? FRAMED_LABEL_DX : LABEL_DX;
        return Plot.text(some, { x: 'latency', y: 'energy', text: () => text, textAnchor: left ? 'end' : 'start', dx: left ? -dx : dx, dy, lineAnchor: 'middle', ...style });
      }),
    );

  const body = plotBlock(kit, {
    width: MARGIN.left + PLOT_WIDTH + MARGIN.right,
    height: MARGIN.top + PLOT_HEIGHT + MARGIN.bottom,
    marginLeft: MARGIN.left,
    marginRight: MARGIN.right,
    marginTop: MARGIN.top,
    marginBottom: MARGIN.bottom,
    x: { type: 'log', domain: xDomain, axis: null },
    y: { type: 'linear', domain: yDomain, nice: true, label: 'on-core energy (pJ)', labelAnchor: 'center', labelArrow: 'none', labelOffset: 58, tickFormat: formatSi, ticks: 8, grid: true },
    marks: [
      // The latency axis by hand: d3's log tick labels leave gaps where labels would still fit.
      Plot.gridX([...xTicks.labels.keys()]),
      Plot.axisX(xTicks.ticks, { text: (v: number) => xTicks.labels.get(v) ?? null, label: 'latency (cycles, log scale)', labelAnchor: 'center', labelArrow: 'none', labelOffset: 38 }),
      Plot.frame({ stroke: '#ccc' }),
      Plot.dot(dominated, { x: 'latency', y: 'energy', r: DOT_R, fill: DOMINATED, stroke: 'none' }),
      Plot.line(front, { x: 'latency', y: 'energy', curve: 'step-after', stroke: FRONT, strokeWidth: 1.5 }),
      Plot.dot(front, { x: 'latency', y: 'energy', r: DOT_R, fill: FRONT, stroke: 'none' }),
      // The auto mapping's square frames the best variant's diamond when the auto mapping is the best.
      ...[false, true].map((isBest) =>
        Plot.dot(auto.filter((p) => p.best === isBest), { x: 'latency', y: 'energy', symbol: 'square2', r: isBest ? FRAMING_R : AUTO_R, fill: 'none', stroke: AUTO, strokeWidth: 1.5 }),
      ),
      Plot.dot(best, { x: 'latency', y: 'energy', symbol: 'diamond2', r: BEST_R, fill: 'none', stroke: '#000', strokeWidth: 2 }),
      ...label(auto, 'auto mapping', 11, { fill: AUTO }),
      ...label(best, 'best', -9, { fill: '#000', fontWeight: 'bold' }),
    ],
  });
  const header = headerBlock(kit, { title: chart.signals.title as string, subtitle: [chart.signals.subtitle as string] }, body.width);
  return figure(kit, [header, body, { ...legend(kit, PLOT_WIDTH), indent: MARGIN.left }], [8, 6]);
}
