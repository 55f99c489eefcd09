/**
 * Axes as vega draws them with the charts' config: grey domain line and 5 px ticks, 11 px labels 2 px
 * from the ticks, a 12 px title below (or left of) the labels, light grid lines across the plot; tick
 * positions rounded to whole pixels and drawn on the half pixel so 1 px lines stay sharp. Bottom-axis
 * labels that would overlap the one before are left out (vega's greedy `labelOverlap`), and labels at
 * the ends of the axis are aligned flush with it.
 */
import { LinearScale, TickFormat, tickFormatter, tickStep, ticks } from './scale';
import { Anchor, Layer, textWidth } from './svg';

export const AXIS_COLOR = '#888';
export const GRID_COLOR = '#e6e6e6';
export const FRAME_COLOR = '#ccc';
const TICK_SIZE = 5;
const LABEL_PADDING = 2;
const LABEL_SIZE = 11;
const TITLE_SIZE = 12;
const TITLE_PADDING = 4;

export interface QuantitativeAxis {
  readonly scale: LinearScale;
  readonly format: TickFormat;
  /** About how many ticks (vega's `tickCount`); ignored when `values` are given. */
  readonly tickCount?: number;
  readonly values?: readonly number[];
  readonly title?: string;
  readonly grid?: boolean;
}

function tickValues(axis: QuantitativeAxis): { values: number[]; label: (value: number) => string } {
  const [d0, d1] = axis.scale.domain;
  const count = axis.tickCount ?? 8;
  const values = axis.values ? [...axis.values] : ticks(d0, d1, count);
  const step = axis.values && axis.values.length > 1 ? axis.values[1] - axis.values[0] : tickStep(d0, d1, count);
  return { values, label: tickFormatter(axis.format, step || 1, Math.max(Math.abs(d0), Math.abs(d1))) };
}

const crisp = (x: number) => Math.round(x) + 0.5;

/** The frame around a plot (vega's view stroke). */
export function plotFrame(layer: Layer, width: number, height: number): void {
  layer.rect(0.5, 0.5, width, height, `stroke="${FRAME_COLOR}"`);
}

/** Vertical grid lines at the bottom axis's ticks. */
export function verticalGrid(layer: Layer, axis: QuantitativeAxis, height: number): void {
  for (const value of tickValues(axis).values) {
    const x = crisp(axis.scale(value));
    layer.line(x, 0.5, x, height + 0.5, `stroke="${GRID_COLOR}"`);
  }
}

/** Horizontal grid lines at the left axis's ticks. */
export function horizontalGrid(layer: Layer, axis: QuantitativeAxis, width: number): void {
  for (const value of tickValues(axis).values) {
    const y = crisp(axis.scale(value));
    layer.line(0.5, y, width + 0.5, y, `stroke="${GRID_COLOR}"`);
  }
}

/** A bottom axis along the plot's lower edge at y = `height`. */
export function bottomAxis(layer: Layer, axis: QuantitativeAxis, height: number): void {
  const { values, label } = tickValues(axis);
  const [r0, r1] = axis.scale.range;
  const y = height + 0.5;
  layer.line(r0 + 0.5, y, r1 + 0.5, y, `stroke="${AXIS_COLOR}"`);
  for (const value of values) {
    const x = crisp(axis.scale(value));
    layer.line(x, y, x, y + TICK_SIZE, `stroke="${AXIS_COLOR}"`);
  }
  // Labels: flush at the ends, then greedily without overlaps.
  const labels = values.map((value) => {
    const x = axis.scale(value) + 0.5;
    const text = label(value);
    const anchor: Anchor = Math.abs(x - 0.5 - r0) <= 1 ? 'start' : Math.abs(x - 0.5 - r1) <= 1 ? 'end' : 'middle';
    const width = textWidth(text, LABEL_SIZE);
    const x1 = anchor === 'start' ? x : anchor === 'middle' ? x - width / 2 : x - width;
    return { x, text, anchor, x1, x2: x1 + width };
  });
  let kept = labels;
  const overlaps = (items: typeof labels) => items.some((b, i) => i > 0 && items[i - 1].x2 > b.x1);
  while (kept.length >= 3 && overlaps(kept)) {
    let last: (typeof labels)[number] | undefined;
    kept = kept.filter((b) => {
      if (last && last.x2 > b.x1) return false;
      last = b;
      return true;
    });
  }
  for (const l of kept) layer.text(l.x, y + TICK_SIZE + LABEL_PADDING, l.text, { size: LABEL_SIZE, anchor: l.anchor, baseline: 'top' });
  if (axis.title) {
    layer.text((r0 + r1) / 2 + 0.5, y + TICK_SIZE + LABEL_PADDING + LABEL_SIZE + TITLE_PADDING, axis.title, { size: TITLE_SIZE, anchor: 'middle', baseline: 'top' });
  }
}

/** A left axis with ticks; its title (if any) reads upwards left of the labels. */
export function leftAxis(layer: Layer, axis: QuantitativeAxis, plotHeight: number): void {
  const { values, label } = tickValues(axis);
  const [r0, r1] = axis.scale.range;
  layer.line(0.5, Math.min(r0, r1) + 0.5, 0.5, Math.max(r0, r1) + 0.5, `stroke="${AXIS_COLOR}"`);
  let widest = 0;
  for (const value of values) {
    const y = crisp(axis.scale(value));
    layer.line(0.5 - TICK_SIZE, y, 0.5, y, `stroke="${AXIS_COLOR}"`);
    const text = label(value);
    widest = Math.max(widest, textWidth(text, LABEL_SIZE));
    layer.text(0.5 - TICK_SIZE - LABEL_PADDING, axis.scale(value) + 0.5, text, { size: LABEL_SIZE, anchor: 'end', baseline: 'middle' });
  }
  if (axis.title) {
    const x = 0.5 - TICK_SIZE - LABEL_PADDING - widest - TITLE_PADDING;
    layer.text(x, plotHeight / 2 + 0.5, axis.title, { size: TITLE_SIZE, anchor: 'middle', baseline: 'bottom' }, -90);
  }
}

/** Category labels left of the plot, one per row centre; with ticks unless `ticks` is false. */
export function leftLabels(layer: Layer, rows: readonly { readonly label: string; readonly y: number }[], height: number, options: { readonly ticks: boolean }): void {
  if (options.ticks) layer.line(0.5, 0.5, 0.5, height + 0.5, `stroke="${AXIS_COLOR}"`);
  const offset = options.ticks ? TICK_SIZE + LABEL_PADDING : LABEL_PADDING;
  for (const row of rows) {
    if (options.ticks) layer.line(0.5 - TICK_SIZE, crisp(row.y), 0.5, crisp(row.y), `stroke="${AXIS_COLOR}"`);
    layer.text(0.5 - offset, row.y + 0.5, row.label, { size: LABEL_SIZE, anchor: 'end', baseline: 'middle' });
  }
}
