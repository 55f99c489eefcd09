/**
 * Pictures drawn with Observable Plot (`@observablehq/plot`) into a DOM document without a browser
 * (linkedom's), and composed into one SVG: a header (title and subtitle), one or more Plot charts and a
 * legend, stacked. Plot draws every part, the header and legend too (text, rect and rule marks on
 * identity scales): Plot's own titles and legends are HTML, which an SVG or PNG file cannot hold.
 *
 * This module runs in the picture bundle (`picture-drawing.ts`), which loads Plot and linkedom; it only
 * refers to their types, so the chart modules that import it stay free of them outside the bundle.
 *
 * The composed SVG states every text's font, size, weight and anchor on the text itself, positions in
 * pixels (Plot writes `em` offsets and inherits fonts from groups): so it reads the same in any viewer,
 * and the PNG step can replace each text with the glyph outlines of the shipped font
 * (`text-outlines.ts`).
 */
import type * as PlotModule from '@observablehq/plot';
import { textWidthPx } from './glyph-widths';

/** The font every chart uses; resvg finds the shipped file by this family name. */
export const CHART_FONT = 'DejaVu Sans';
/** Plot's default text size in the charts (axis labels, legends). */
export const LABEL_FONT_SIZE = 11;

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The slice of the DOM the composition uses. The project compiles without the DOM typings (it runs on
 * Node), so Plot's element types are not known here: this is what linkedom's elements provide.
 */
export interface SvgNode {
  readonly tagName: string;
  readonly parentNode: SvgNode | null;
  readonly outerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  hasAttribute(name: string): boolean;
  appendChild(child: SvgNode): SvgNode;
  remove(): void;
  getElementsByTagName(name: string): ArrayLike<SvgNode>;
}

export interface SvgDocument {
  createElementNS(namespace: string, name: string): SvgNode;
}

/**
 * The functions of Plot the charts draw with: the picture bundle hands over these only, so it leaves
 * the rest of Plot out (a third of it, with the d3 modules only those parts use).
 */
export type PlotFunctions = Pick<typeof PlotModule, 'axisX' | 'barX' | 'dot' | 'frame' | 'gridX' | 'line' | 'plot' | 'rect' | 'rectX' | 'ruleX' | 'ruleY' | 'text' | 'tickX'>;

/** What drawing needs: Plot, and a document for it to build SVG elements in. */
export interface Kit {
  readonly Plot: PlotFunctions;
  readonly document: SvgDocument;
}

export type PlotOptions = PlotModule.PlotOptions;

/** A part of a picture: an SVG element and its size in pixels. */
export interface Block {
  readonly node: SvgNode;
  readonly width: number;
  readonly height: number;
  /** How far right of the figure's left edge `figure` places it (0 by default), e.g. to line a legend up with a plot area. */
  readonly indent?: number;
}

/**
 * Colours for the nodes, transfers and tensors of a fusion group: Tableau 20 (d3 has only Tableau 10),
 * then ColorBrewer's Dark2 and Set3, so that up to 40 of them never share a colour (a fusion group of
 * the attention head holds 23 tensors); past 40 they repeat.
 */
const CATEGORY_COLOURS = [
  '#4c78a8', '#9ecae9', '#f58518', '#ffbf79', '#54a24b', '#88d27a', '#b79a20', '#f2cf5b', '#439894', '#83bcb6',
  '#e45756', '#ff9d98', '#79706e', '#bab0ac', '#d67195', '#fcbfd2', '#b279a2', '#d6a5c9', '#9e765f', '#d8b5a5',
  '#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666',
  '#8dd3c7', '#ffffb3', '#bebada', '#fb8072', '#80b1d3', '#fdb462', '#b3de69', '#fccde5', '#d9d9d9', '#bc80bd', '#ccebc5', '#ffed6f',
];

/** A colour for each of `count` categories, in order. */
export function categoryColours(count: number): string[] {
  return Array.from({ length: count }, (_, i) => CATEGORY_COLOURS[i % CATEGORY_COLOURS.length]);
}

/** Width in pixels of `text` in the chart font. */
export function textWidth(text: string, fontSize = LABEL_FONT_SIZE, bold = false): number {
  return textWidthPx(text, fontSize, bold);
}

/** A chart drawn by Plot, in the chart font; `options` gives at least its width and height. */
export function plotBlock(kit: Kit, options: PlotOptions & { readonly width: number; readonly height: number }): Block {
  const node = kit.Plot.plot({ ...options, document: kit.document as unknown as PlotOptions['document'] }) as unknown as SvgNode;
  if (node.tagName.toLowerCase() !== 'svg') throw new Error('a chart part drew HTML (a Plot title, caption or legend), not SVG');
  node.setAttribute('font-family', CHART_FONT);
  node.setAttribute('font-size', String(LABEL_FONT_SIZE));
  return { node, width: options.width, height: options.height };
}

export interface HeaderText {
  readonly title: string;
  readonly subtitle?: readonly string[];
}

/** Scales that take data as pixel positions, without axes: for parts laid out here (headers, legends, graphs). */
export const PIXEL_SCALES = { x: { type: 'identity', axis: null }, y: { type: 'identity', axis: null } } as const;

const TITLE_SIZE = 15;
const SUBTITLE_SIZE = 12;
const SUBTITLE_LINE = 15;

/** The title (bold) and the subtitle lines under it, as Plot text marks. */
export function headerBlock(kit: Kit, header: HeaderText, width: number): Block {
  const { Plot } = kit;
  const subtitle = header.subtitle ?? [];
  const height = TITLE_SIZE + 6 + subtitle.length * SUBTITLE_LINE;
  return plotBlock(kit, {
    width,
    height,
    margin: 0,
    ...PIXEL_SCALES,
    marks: [
      Plot.text([header.title], { x: 0, y: 0, text: (d: string) => d, textAnchor: 'start', lineAnchor: 'top', fontSize: TITLE_SIZE, fontWeight: 'bold', fill: '#000' }),
      Plot.text(subtitle, {
        x: 0,
        y: (_: string, i: number) => TITLE_SIZE + 5 + i * SUBTITLE_LINE,
        text: (d: string) => d,
        textAnchor: 'start',
        lineAnchor: 'top',
        fontSize: SUBTITLE_SIZE,
        fill: '#444',
      }),
    ],
  });
}

/** A legend entry: a colour swatch, or a line (dashed when `dash` is set). */
export interface LegendEntry {
  readonly label: string;
  readonly color: string;
  readonly line?: { readonly dash?: string };
}

const SWATCH = 12;
/** Where a label starts, right of its entry's swatch or line. */
const LABEL_OFFSET = SWATCH + 8;
const LEGEND_ROW = 19;
/** Between two legend columns. */
export const LEGEND_COLUMN_GAP = 22;

/** Width of one legend column: the widest label and its swatch, and the gap to the next column. */
function legendColumnWidth(entries: readonly LegendEntry[]): number {
  return Math.ceil(Math.max(0, ...entries.map((e) => textWidth(e.label)))) + LABEL_OFFSET + LEGEND_COLUMN_GAP;
}

/** The width `legendBlock` needs for `entries` in `columns` columns. */
export function legendWidth(entries: readonly LegendEntry[], columns: number): number {
  return columns * legendColumnWidth(entries) - LEGEND_COLUMN_GAP;
}

/**
 * Legend entries in columns of equal width (the widest entry), as many per row as fit in `width`
 * (at most `maxColumns`), under an optional title.
 */
export function legendBlock(kit: Kit, legend: { readonly title?: string; readonly entries: readonly LegendEntry[]; readonly maxColumns?: number }, width: number): Block {
  const { Plot } = kit;
  const entryWidth = legendColumnWidth(legend.entries);
  const columns = Math.max(1, Math.min(legend.maxColumns ?? Infinity, legend.entries.length, Math.floor((width + LEGEND_COLUMN_GAP) / entryWidth)));
  const top = legend.title ? 20 : 0;
  const placed = legend.entries.map((entry, i) => ({ ...entry, x: (i % columns) * entryWidth, y: top + Math.floor(i / columns) * LEGEND_ROW + SWATCH / 2 }));
  const height = top + Math.ceil(legend.entries.length / columns) * LEGEND_ROW;
  const swatches = placed.filter((e) => !e.line);
  const lines = placed.filter((e) => e.line);
  return plotBlock(kit, {
    width,
    height,
    margin: 0,
    ...PIXEL_SCALES,
    color: { type: 'identity' },
    marks: [
      ...(legend.title ? [Plot.text([legend.title], { x: 0, y: 0, text: (d: string) => d, textAnchor: 'start', lineAnchor: 'top', fontSize: 12, fill: '#000' })] : []),
      Plot.rect(swatches, { x1: 'x', x2: (e: LegendEntry & { x: number }) => e.x + SWATCH, y1: (e: { y: number }) => e.y - SWATCH / 2, y2: (e: { y: number }) => e.y + SWATCH / 2, fill: 'color', stroke: '#333', strokeWidth: 0.5 }),
      // One mark per kind of dash: a dash pattern is a constant of its mark.
      ...[...new Set(lines.map((e) => e.line?.dash ?? ''))].map((dash) =>
        Plot.ruleY(
          lines.filter((e) => (e.line?.dash ?? '') === dash),
          { y: 'y', x1: 'x', x2: (e: { x: number }) => e.x + SWATCH + 2, stroke: 'color', strokeWidth: 2, ...(dash ? { strokeDasharray: dash } : {}) },
        ),
      ),
      Plot.text(placed, { x: (e: { x: number }) => e.x + LABEL_OFFSET, y: 'y', text: 'label', textAnchor: 'start', lineAnchor: 'middle', fill: '#000' }),
    ],
  });
}

/** Blocks side by side, `gap` pixels apart, tops aligned. */
export function rowBlock(kit: Kit, blocks: readonly Block[], gap: number): Block {
  const group = kit.document.createElementNS(SVG_NS, 'g');
  let x = 0;
  for (const block of blocks) {
    group.appendChild(placed(block.node, x, 0));
    x += block.width + gap;
  }
  return { node: group, width: Math.max(0, x - gap), height: Math.max(0, ...blocks.map((b) => b.height)) };
}

/**
 * A block's element moved to (x, y): an inner `svg` takes x and y, a group a translation. An inner
 * `svg` clips what it holds to its box unless told otherwise: that cut off the antialiased edge of
 * text at a block's border, and every clip costs resvg a mask the size of the whole picture (a third
 * of its time).
 */
function placed(node: SvgNode, x: number, y: number): SvgNode {
  if (node.tagName.toLowerCase() === 'svg') {
    node.setAttribute('x', String(x));
    node.setAttribute('y', String(y));
    node.setAttribute('overflow', 'visible');
  } else node.setAttribute('transform', `translate(${x},${y})`);
  return node;
}

const FIGURE_PADDING = 16;

/**
 * The picture: `blocks` stacked top to bottom (`gaps[i]` pixels under block i, 12 by default) on a white
 * background with a margin of `FIGURE_PADDING`, as standalone SVG text.
 */
export function figure(kit: Kit, blocks: readonly Block[], gaps: readonly number[] = []): string {
  const svg = kit.document.createElementNS(SVG_NS, 'svg');
  const width = Math.ceil(Math.max(...blocks.map((b) => (b.indent ?? 0) + b.width)) + 2 * FIGURE_PADDING);
  let y = FIGURE_PADDING;
  const background = kit.document.createElementNS(SVG_NS, 'rect');
  svg.appendChild(background);
  blocks.forEach((block, i) => {
    svg.appendChild(placed(block.node, FIGURE_PADDING + (block.indent ?? 0), y));
    y += block.height + (i + 1 < blocks.length ? (gaps[i] ?? 12) : 0);
  });
  const height = Math.ceil(y + FIGURE_PADDING);
  // linkedom writes attributes last set first: these come out as listed, xmlns first.
  const rootAttributes = [['xmlns', SVG_NS], ['width', String(width)], ['height', String(height)], ['viewBox', `0 0 ${width} ${height}`], ['font-family', CHART_FONT], ['font-size', String(LABEL_FONT_SIZE)]];
  for (const [name, value] of rootAttributes.reverse()) svg.setAttribute(name, value);
  for (const [name, value] of [['width', '100%'], ['height', '100%'], ['fill', 'white']]) background.setAttribute(name, value);
  normaliseText(svg);
  return svg.outerHTML;
}

/** Attributes a text inherits from its ancestors, stated on the text itself by `normaliseText`. */
const FONT_ATTRIBUTES = ['font-family', 'font-size', 'font-weight', 'text-anchor'] as const;
const DEFAULTS: Record<(typeof FONT_ATTRIBUTES)[number], string> = { 'font-family': CHART_FONT, 'font-size': String(LABEL_FONT_SIZE), 'font-weight': 'normal', 'text-anchor': 'start' };

function inherited(node: SvgNode, name: string): string | undefined {
  for (let n: SvgNode | null = node; n && typeof n.getAttribute === 'function'; n = n.parentNode) {
    const value = n.getAttribute(name);
    if (value !== null) return value;
  }
  return undefined;
}

/** A length in pixels: plain or `px` as is, `em` times the font size. */
function pixels(value: string | null, fontSize: number): number {
  if (value === null || value === '') return 0;
  const number = parseFloat(value);
  if (!Number.isFinite(number)) return 0;
  return value.trim().endsWith('em') ? number * fontSize : number;
}

const round = (v: number) => Math.round(v * 100) / 100;

/**
 * Every text with its font stated on itself and its position as a translation: `x`, `y`, `dx`, `dy`
 * (Plot's `em` offsets included) folded into its transform, and its lines (tspans) as an `x` and a `dy`
 * in pixels from the line before.
 */
function normaliseText(svg: SvgNode): void {
  // By tag name (one pass over linkedom's node list), not `querySelectorAll`, which compiles its selector first.
  for (const style of Array.from(svg.getElementsByTagName('style'))) style.remove();
  for (const text of Array.from(svg.getElementsByTagName('text'))) {
    for (const name of FONT_ATTRIBUTES) text.setAttribute(name, inherited(text, name) ?? DEFAULTS[name]);
    const fontSize = parseFloat(text.getAttribute('font-size') ?? '') || LABEL_FONT_SIZE;
    const dx = pixels(text.getAttribute('x'), fontSize) + pixels(text.getAttribute('dx'), fontSize);
    const dy = pixels(text.getAttribute('y'), fontSize) + pixels(text.getAttribute('dy'), fontSize);
    for (const name of ['x', 'y', 'dx', 'dy']) text.removeAttribute(name);
    const transform = text.getAttribute('transform');
    const shift = dx !== 0 || dy !== 0 ? `translate(${round(dx)},${round(dy)})` : '';
    const combined = [transform, shift].filter((t) => t).join(' ');
    if (combined) text.setAttribute('transform', combined);
    let lineY = 0;
    // A tspan's own x and y are absolute in the text's coordinates, which now start at (dx, dy).
    for (const tspan of Array.from(text.getElementsByTagName('tspan'))) {
      const y = tspan.hasAttribute('y') ? pixels(tspan.getAttribute('y'), fontSize) - dy : lineY + pixels(tspan.getAttribute('dy'), fontSize);
      if (tspan.hasAttribute('x')) tspan.setAttribute('x', String(round(pixels(tspan.getAttribute('x'), fontSize) - dx)));
      tspan.removeAttribute('y');
      tspan.setAttribute('dy', String(round(y - lineY)));
      lineY = y;
    }
  }
}
