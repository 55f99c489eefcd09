/**
 * A small SVG writer for the run's charts: elements as strings in the chart's coordinates, with the
 * extent of everything drawn, so a chart is laid out the way vega lays out a chart (`autosize: pad`):
 * its picture is what was drawn plus the padding. Text is set in the chart font and measured with its
 * advance widths; baselines are placed as vega places them, so the pictures keep the look they had
 * when vega drew them.
 */
import { textWidthPx } from '../glyph-widths';
import { CHART_FONT } from '../render';
import { TextOutliner } from '../text-outlines';

export type Anchor = 'start' | 'middle' | 'end';
export type Baseline = 'top' | 'middle' | 'bottom' | 'alphabetic';

export interface TextStyle {
  readonly size: number;
  readonly bold?: boolean;
  readonly color?: string;
  readonly anchor?: Anchor;
  readonly baseline?: Baseline;
  /** Extra distance between lines of a multi-line text (vega's line height is the font size plus this). */
  readonly lineGap?: number;
}

/** `&`, `<`, `>` and `"` as entities. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : '&quot;'));
}

/** A number as SVG writes it: at most three decimals, no trailing zeros. */
export function num(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

export function textWidth(text: string, size: number, bold = false): number {
  return textWidthPx(text, size, bold);
}

/** Vega's baseline offset: where the alphabetic baseline goes for a text placed at y. */
function baselineOffset(baseline: Baseline, size: number): number {
  return Math.round(baseline === 'top' ? 0.79 * size : baseline === 'middle' ? 0.3 * size : baseline === 'bottom' ? -0.21 * size : 0);
}

export class Extent {
  x1 = Infinity;
  y1 = Infinity;
  x2 = -Infinity;
  y2 = -Infinity;

  add(x1: number, y1: number, x2: number, y2: number): this {
    this.x1 = Math.min(this.x1, x1, x2);
    this.y1 = Math.min(this.y1, y1, y2);
    this.x2 = Math.max(this.x2, x1, x2);
    this.y2 = Math.max(this.y2, y1, y2);
    return this;
  }

  union(other: Extent, dx = 0, dy = 0): this {
    return other.empty() ? this : this.add(other.x1 + dx, other.y1 + dy, other.x2 + dx, other.y2 + dy);
  }

  empty(): boolean {
    return this.x1 > this.x2;
  }

  get width(): number {
    return this.empty() ? 0 : this.x2 - this.x1;
  }

  get height(): number {
    return this.empty() ? 0 : this.y2 - this.y1;
  }
}

/** A text element as drawn: serialised as `<text>`, or as a path of glyph outlines for rasterising. */
interface TextPart {
  readonly transform: string;
  readonly lines: readonly string[];
  readonly style: TextStyle;
}

/** A group of parts, translated. */
interface GroupPart {
  readonly dx: number;
  readonly dy: number;
  readonly parts: readonly Part[];
}

type Part = string | TextPart | GroupPart;

function serialise(parts: readonly Part[], outliner: TextOutliner | undefined): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else if ('parts' in part) out += `<g transform="translate(${num(part.dx)},${num(part.dy)})">${serialise(part.parts, outliner)}</g>`;
    else out += textElement(part, outliner);
  }
  return out;
}

function textElement(part: TextPart, outliner: TextOutliner | undefined): string {
  const { style, lines } = part;
  const anchor = style.anchor ?? 'start';
  const lineHeight = style.size + (style.lineGap ?? 2);
  const fill = style.color ?? '#000';
  if (outliner) {
    const outlined = outliner.text(
      lines.map((text, i) => (i === 0 ? { text, dy: 0 } : { text, dy: lineHeight, x: 0 })),
      { size: style.size, bold: style.bold === true, anchor },
      ` transform="${part.transform}" fill="${fill}"`,
    );
    if (outlined !== undefined) return outlined;
  }
  const body =
    lines.length === 1
      ? escapeXml(lines[0])
      : lines.map((line, i) => (i === 0 ? `<tspan>${escapeXml(line)}</tspan>` : `<tspan x="0" dy="${num(lineHeight)}">${escapeXml(line)}</tspan>`)).join('');
  const weight = style.bold ? ' font-weight="bold"' : '';
  return `<text text-anchor="${anchor}" transform="${part.transform}" font-family="${CHART_FONT}" font-size="${num(style.size)}px"${weight} fill="${fill}">${body}</text>`;
}

/** Elements and their extent; groups nest with a translation. */
export class Layer {
  readonly extent = new Extent();
  private readonly parts: Part[] = [];

  /** An element whose extent the caller states. */
  raw(element: string, x1: number, y1: number, x2: number, y2: number): this {
    this.parts.push(element);
    this.extent.add(x1, y1, x2, y2);
    return this;
  }

  rect(x: number, y: number, width: number, height: number, attributes: string): this {
    const [x1, x2] = [Math.min(x, x + width), Math.max(x, x + width)];
    const [y1, y2] = [Math.min(y, y + height), Math.max(y, y + height)];
    return this.raw(`<rect x="${num(x1)}" y="${num(y1)}" width="${num(x2 - x1)}" height="${num(y2 - y1)}" ${attributes}/>`, x1, y1, x2, y2);
  }

  line(x1: number, y1: number, x2: number, y2: number, attributes: string): this {
    return this.raw(`<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" ${attributes}/>`, x1, y1, x2, y2);
  }

  /** A path whose extent is the box of `points`. */
  path(d: string, points: readonly (readonly [number, number])[], attributes: string): this {
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    return this.raw(`<path d="${d}" ${attributes}/>`, Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
  }

  /** Text (one line, or one per array entry) placed as vega places it; empty text draws nothing. */
  text(x: number, y: number, content: string | readonly string[], style: TextStyle, rotate = 0): this {
    const lines = (typeof content === 'string' ? [content] : content).map((line) => line.trim());
    if (lines.every((line) => line === '')) return this;
    const anchor = style.anchor ?? 'start';
    const lineHeight = style.size + (style.lineGap ?? 2);
    const dy = baselineOffset(style.baseline ?? 'alphabetic', style.size);
    const transform = rotate ? `translate(${num(x)},${num(y)}) rotate(${num(rotate)}) translate(0,${num(dy)})` : `translate(${num(x)},${num(y + dy)})`;
    this.parts.push({ transform, lines, style });
    // Extent as vega bounds text: from 4/5 of the font size above the baseline, one line height per line.
    const width = Math.max(...lines.map((line) => textWidth(line, style.size, style.bold)));
    const left = anchor === 'start' ? 0 : anchor === 'middle' ? -width / 2 : -width;
    const top = dy - Math.round(0.8 * style.size);
    const height = style.size + lineHeight * (lines.length - 1);
    if (rotate === -90) this.extent.add(x + top, y - left - width, x + top + height, y - left);
    else this.extent.add(x + left, y + top, x + left + width, y + top + height);
    return this;
  }

  /** `layer` drawn translated by (dx, dy). */
  group(layer: Layer, dx: number, dy: number): this {
    if (layer.parts.length === 0) return this;
    this.parts.push({ dx, dy, parts: layer.parts });
    this.extent.union(layer.extent, dx, dy);
    return this;
  }

  /** The elements as SVG; with an outliner, text as glyph outlines (where the font has every glyph). */
  markup(outliner?: TextOutliner): string {
    return serialise(this.parts, outliner);
  }
}

/** What every chart shares: white background, padding around what was drawn. */
export const CHART_PADDING = 16;

/** The picture of a chart: its content with the padding around it, on white (text as outlines with `outliner`). */
export function svgDocument(content: Layer, outliner?: TextOutliner): string {
  const extent = content.extent;
  const width = Math.ceil(extent.width + 2 * CHART_PADDING);
  const height = Math.ceil(extent.height + 2 * CHART_PADDING);
  const [dx, dy] = [CHART_PADDING - extent.x1, CHART_PADDING - extent.y1];
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="white"/>` +
    `<g fill="none" transform="translate(${num(dx)},${num(dy)})">${content.markup(outliner)}</g></svg>`
  );
}

export interface TitleStyle {
  /** Space between the title block and the chart below it. */
  readonly offset?: number;
  readonly size?: number;
  /** Bold unless false. */
  readonly bold?: boolean;
  readonly subtitleSize?: number;
}

/**
 * A title (bold) with subtitle lines (grey) above `content`, anchored at its left edge, as vega places a
 * chart's title: the result holds both.
 */
export function titled(content: Layer, title: string, subtitle: readonly string[], style: TitleStyle = {}): Layer {
  const size = style.size ?? 15;
  const subtitleSize = style.subtitleSize ?? 12;
  const block = new Layer().text(0, 0, title, { size, bold: style.bold ?? true, baseline: 'top' });
  if (subtitle.length > 0) block.text(0, size + 3, subtitle, { size: subtitleSize, color: '#444', baseline: 'top' });
  const blockHeight = size + (subtitle.length > 0 ? 3 + subtitleSize + (subtitleSize + 2) * (subtitle.length - 1) : 0);
  const top = content.extent.empty() ? 0 : content.extent.y1;
  const left = content.extent.empty() ? 0 : content.extent.x1;
  return new Layer().group(block, left, top - (style.offset ?? 12) - blockHeight).group(content, 0, 0);
}
