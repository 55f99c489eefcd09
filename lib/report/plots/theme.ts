/** Look and number formatting shared by every chart, so the pictures of a run read as one set. */
import type { Config } from 'vega-lite/build/index';
import { textWidthPx } from './glyph-widths';
import { CHART_FONT } from './render';

export const CHART_CONFIG: Config = {
  font: CHART_FONT,
  background: 'white',
  padding: 16,
  title: { fontSize: 15, fontWeight: 'bold', anchor: 'start', subtitleFontSize: 12, subtitleColor: '#444', offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6', labelLimit: 260 },
  // Cycle counts are wide ("1,200"): fewer ticks on long x axes, and never overlapping labels.
  axisX: { labelOverlap: 'greedy', labelFlush: true },
  axisQuantitative: { tickCount: 8 },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelLimit: 220, symbolSize: 120 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  view: { stroke: '#ccc' },
};

/** Twenty distinct hues (vega's `tableau20`), enough for the nodes and transfers of one fusion group. */
export const TABLEAU20: readonly string[] = [
  '#4c78a8', '#9ecae9', '#f58518', '#ffbf79', '#54a24b', '#88d27a', '#b79a20', '#f2cf5b', '#439894', '#83bcb6',
  '#e45756', '#ff9d98', '#79706e', '#bab0ac', '#d67195', '#fcbfd2', '#b279a2', '#d6a5c9', '#9e765f', '#d8b5a5',
];
/** Tableau 10 (fusion groups: outlines, labels, bars) and its light companions (box fills, dark text stays readable). */
export const GROUP_STROKES: readonly string[] = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
export const GROUP_FILLS: readonly string[] = ['#aec7e8', '#ffbb78', '#98df8a', '#ff9896', '#c5b0d5', '#c49c94', '#f7b6d2', '#c7c7c7', '#dbdb8d', '#9edae5'];

/** Widest axis and legend labels in pixels; longer ones end in an ellipsis. */
export const AXIS_LABEL_LIMIT = 260;
export const LEGEND_LABEL_LIMIT = 220;

/** Width in pixels of `text` at `fontSize` in the chart font. */
export function textWidth(text: string, fontSize = 11, bold = false): number {
  return textWidthPx(text, fontSize, bold);
}

/** `text` cut to fit `limit` pixels, ending in an ellipsis when cut (as vega truncates labels). */
export function truncate(text: string, fontSize: number, limit: number): string {
  if (textWidth(text, fontSize) < limit) return text;
  const room = limit - textWidth('…', fontSize);
  let [lo, hi] = [0, text.length];
  while (lo < hi) {
    const mid = 1 + ((lo + hi) >>> 1);
    if (textWidth(text.slice(0, mid), fontSize) < room) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

export interface ByteUnit {
  readonly label: 'B' | 'KiB' | 'MiB' | 'GiB';
  /** Bits per unit. */
  readonly bits: number;
}

const BYTE_UNITS: readonly ByteUnit[] = [
  { label: 'B', bits: 8 },
  { label: 'KiB', bits: 8 * 1024 },
  { label: 'MiB', bits: 8 * 1024 ** 2 },
  { label: 'GiB', bits: 8 * 1024 ** 3 },
];

/** The largest binary byte unit in which `maxBits` is at least 1. */
export function byteUnitFor(maxBits: number): ByteUnit {
  return [...BYTE_UNITS].reverse().find((u) => maxBits >= u.bits) ?? BYTE_UNITS[0];
}

/** `681984` bits → `83.3 KiB`. */
export function formatBits(bits: number): string {
  const unit = byteUnitFor(bits);
  const value = bits / unit.bits;
  return `${value >= 100 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${unit.label}`;
}

/** `103546916` → `103,546,916` (by hand: the first `toLocaleString` call loads ICU data, ~10 ms). */
export function formatCycles(cycles: number): string {
  const digits = String(Math.abs(Math.round(cycles)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return cycles < 0 ? `-${grouped}` : grouped;
}
