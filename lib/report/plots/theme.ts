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

/** Twenty distinct hues, enough for the nodes and transfers of one fusion group. */
export const CATEGORY_SCHEME = 'tableau20';

/** Width in pixels of `text` at `fontSize` in the chart font. */
export function textWidth(text: string, fontSize = 11): number {
  return textWidthPx(text, fontSize);
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
