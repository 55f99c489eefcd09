/**
 * Symbol legends as vega lays them out below a chart: an optional 12 px title, then entries (a 11 px
 * square or line symbol, the label 4 px after it) in rows of `columns` entries, each column as wide as
 * its widest entry.
 */
import { Layer, num, textWidth } from './svg';

export type LegendSymbol =
  | { readonly kind: 'square'; readonly fill: string; readonly stroke?: string }
  | { readonly kind: 'line'; readonly stroke: string; readonly dash?: readonly number[] };

export interface LegendEntry {
  readonly label: string;
  readonly symbol: LegendSymbol;
}

const SYMBOL_HALF = 5.477; // half the side of a square of area 120 (vega's symbolSize in the charts' config)
const LABEL_X = 17;
const ROW_PITCH = 19;
const COLUMN_GAP = 12;
const LABEL_SIZE = 11;
const TITLE_SIZE = 12;
const TITLE_GAP = 17;
/** Space between a chart's content and the legends below it, and between legends side by side. */
export const LEGEND_OFFSET = 18;
export const LEGEND_SPACING = 13;

function symbol(s: LegendSymbol): string {
  const at = 'transform="translate(6.5,6.5)"';
  if (s.kind === 'square') {
    const stroke = s.stroke ? ` stroke="${s.stroke}" stroke-width="1.5"` : '';
    return `<path ${at} d="M-${SYMBOL_HALF},-${SYMBOL_HALF}h${2 * SYMBOL_HALF}v${2 * SYMBOL_HALF}h-${2 * SYMBOL_HALF}Z" fill="${s.fill}"${stroke}/>`;
  }
  const dash = s.dash ? ` stroke-dasharray="${s.dash.map(num).join(',')}"` : '';
  return `<path ${at} d="M-${SYMBOL_HALF},0L${SYMBOL_HALF},0" stroke="${s.stroke}" stroke-width="1.5"${dash}/>`;
}

/** A legend with its top-left corner at (0, 0); `columns` entries per row (all in one row by default). */
export function legend(title: string | null, entries: readonly LegendEntry[], columns = entries.length): Layer {
  const layer = new Layer();
  if (entries.length === 0) return layer;
  if (title) layer.text(0, 0, title, { size: TITLE_SIZE, baseline: 'top' });
  const top = title ? TITLE_GAP : 0;
  const perRow = Math.max(1, columns);
  const widths = entries.map((e) => LABEL_X + textWidth(e.label, LABEL_SIZE));
  const columnX: number[] = [0];
  for (let c = 0; c < perRow - 1; c++) {
    const widest = Math.max(0, ...widths.filter((_, i) => i % perRow === c));
    columnX.push(columnX[c] + Math.ceil(widest) + COLUMN_GAP);
  }
  entries.forEach((entry, i) => {
    const [x, y] = [columnX[i % perRow], top + ROW_PITCH * Math.floor(i / perRow)];
    const item = new Layer().raw(symbol(entry.symbol), 0, 0, 13, 13).text(LABEL_X, 6.5, entry.label, { size: LABEL_SIZE, baseline: 'middle' });
    layer.group(item, x, y);
  });
  return layer;
}

/** Legends side by side below `content` (aligned with its origin), as vega places bottom legends. */
export function withLegendsBelow(content: Layer, legends: readonly Layer[]): Layer {
  const shown = legends.filter((l) => !l.extent.empty());
  if (shown.length === 0) return content;
  const result = new Layer().group(content, 0, 0);
  let x = 0;
  const y = content.extent.y2 + LEGEND_OFFSET;
  for (const l of shown) {
    result.group(l, x, y);
    x += l.extent.x2 + LEGEND_SPACING;
  }
  return result;
}
