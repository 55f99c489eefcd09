/**
 * Text as glyph outlines, for rasterisation: resvg shapes and outlines every text element anew, which
 * costs more than drawing the rest of a chart, while a chart uses a few dozen distinct glyphs. Each
 * glyph is outlined once (the build stores those of the characters the charts use), in font units
 * (whole numbers: TrueType's own coordinates), as a relative path, so a text becomes one path of its
 * glyphs' outlines one after the other, placed as the text was (its transform, anchor and line offsets)
 * and scaled to the font size. One path per text keeps resvg quick (a path per glyph, or glyphs
 * referenced with `use`, render markedly slower). Glyphs advance by their advance widths, exactly as
 * the charts measured the text for layout (resvg would also kern, which the layout does not account
 * for).
 *
 * Only text as `figure.ts` writes it is handled (font, size, weight and anchor on the element, position
 * as its transform, lines as tspans with an `x` and a `dy`): a text element whose attributes or content
 * look different (another font, letter spacing, a character the font lacks, ...) is left as text for
 * resvg to draw.
 */
import { TrueTypeFont } from './truetype';

/** A glyph's outline as a relative path from the pen position, ending at its last contour's start. */
export interface GlyphOutline {
  readonly d: string;
  /** Where `d` leaves the current point, relative to the pen position (font units, y down). */
  readonly endX: number;
  readonly endY: number;
}

export interface Glyph extends GlyphOutline {
  /** Advance width in font units. */
  readonly advance: number;
}

/** The glyphs of one font (one weight), by character. */
export interface GlyphSet {
  readonly unitsPerEm: number;
  /** The character's glyph, or undefined when the font has none. */
  glyph(char: string): Glyph | undefined;
}

export interface OutlineFonts {
  /** The font family the SVG names (`font-family`) for which these fonts stand. */
  readonly family: string;
  readonly regular: GlyphSet;
  readonly bold: GlyphSet;
}

/** Attributes that carry over to the path unchanged. */
const PAINT_ATTRIBUTES = new Set(['transform', 'fill', 'fill-opacity', 'opacity']);
/** Attributes that do not change how the text looks (accessibility, classes, events). */
const IGNORED_ATTRIBUTES = new Set(['text-anchor', 'font-family', 'font-size', 'font-weight', 'font-style', 'font-variant', 'role', 'class', 'pointer-events', 'cursor']);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, name: string) => {
    if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? entity;
  });
}

/** SVG's default white-space handling (`xml:space="default"`). */
function collapseWhiteSpace(text: string): string {
  return text.replace(/[\r\n]/g, '').replace(/\t/g, ' ').trim().replace(/ {2,}/g, ' ');
}

function attributes(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of source.matchAll(/([^\s=]+)\s*=\s*"([^"]*)"/g)) found.set(m[1], m[2]);
  return found;
}

/** A line of a text element: its text, where it starts (a tspan's `x`) and how far below the one before. */
export interface Line {
  readonly text: string;
  /** Absolute x (`x` of a tspan) or undefined to start at the text's origin. */
  readonly x?: number;
  readonly dy: number;
}

/** The lines of a text element's content, or undefined when it holds more than plain text and tspans. */
function linesOf(content: string): Line[] | undefined {
  if (!content.includes('<')) return [{ text: decodeEntities(content), dy: 0 }];
  const lines: Line[] = [];
  const rest = content.replace(/<tspan\b([^>]*)>([^<]*)<\/tspan>/g, (_, attrs: string, text: string) => {
    const a = attributes(attrs);
    for (const name of a.keys()) if (name !== 'x' && name !== 'dy') return '\u0000';
    const x = a.has('x') ? Number(a.get('x')) : undefined;
    const dy = a.has('dy') ? Number(a.get('dy')) : 0;
    lines.push({ text: decodeEntities(text), x, dy });
    return '';
  });
  const valid = rest.trim() === '' && lines.every((l) => Number.isFinite(l.dy) && (l.x === undefined || Number.isFinite(l.x)));
  return valid ? lines : undefined;
}

export interface TextStyle {
  readonly size: number;
  readonly bold: boolean;
  /** `start`, `middle` or `end` (SVG's `text-anchor`). */
  readonly anchor: string;
}

export interface TextOutliner {
  /**
   * `lines` as a path of glyph outlines with `attributes` (the text's transform, which must come first,
   * and paint), or undefined when a character has no glyph in the font ('' when there is nothing to draw).
   */
  text(lines: readonly Line[], style: TextStyle, attributes: string): string | undefined;
  /** `svg` (as `figure.ts` writes it) with its text as outlines. */
  outlineSvg(svg: string): string;
}

/** Relative path data in whole font units, y down; implied on-curve points (midpoints) are rounded, never drifting. */
function outline(font: TrueTypeFont, glyph: number): GlyphOutline {
  let d = '';
  let [curX, curY] = [0, 0];
  const step = (command: string, x: number, y: number) => {
    const [rx, ry] = [Math.round(x), Math.round(-y)];
    d += `${command}${rx - curX} ${ry - curY}`;
    [curX, curY] = [rx, ry];
  };
  for (const contour of font.contours(glyph)) {
    const n = contour.length;
    if (n === 0) continue;
    // From an on-curve point round the contour; one of only off-curve points starts between its last and first.
    const firstOn = contour.findIndex((p) => p.onCurve);
    const start = firstOn >= 0 ? contour[firstOn] : { x: (contour[n - 1].x + contour[0].x) / 2, y: (contour[n - 1].y + contour[0].y) / 2 };
    const rest = firstOn >= 0 ? [...contour.slice(firstOn + 1), ...contour.slice(0, firstOn)] : contour;
    step('m', start.x, start.y);
    const [startX, startY] = [curX, curY];
    let control: { readonly x: number; readonly y: number } | undefined;
    const to = (x: number, y: number) => {
      if (control) {
        const [cx, cy] = [Math.round(control.x) - curX, Math.round(-control.y) - curY];
        const [rx, ry] = [Math.round(x), Math.round(-y)];
        d += `q${cx} ${cy} ${rx - curX} ${ry - curY}`;
        [curX, curY] = [rx, ry];
        control = undefined;
      } else step('l', x, y);
    };
    for (const p of rest) {
      if (p.onCurve) to(p.x, p.y);
      else {
        if (control) to((control.x + p.x) / 2, (control.y + p.y) / 2);
        control = p;
      }
    }
    // A straight closing edge is drawn by `z` itself, which returns to the contour's start.
    if (control) to(start.x, start.y);
    d += 'z';
    [curX, curY] = [startX, startY];
  }
  return { d, endX: curX, endY: curY };
}

/** A font's glyphs, each outlined on first use. */
export function fontGlyphs(font: TrueTypeFont): GlyphSet {
  const known = new Map<string, Glyph | undefined>();
  return {
    unitsPerEm: font.unitsPerEm,
    glyph(char) {
      if (!known.has(char)) {
        const index = font.glyphIndex(char.codePointAt(0) ?? 0);
        known.set(char, index === 0 ? undefined : { ...outline(font, index), advance: font.advance(index) });
      }
      return known.get(char);
    },
  };
}

/**
 * Glyphs stored ahead of time (by the build, `glyphTable`): `[advance, d, endX, endY]` per character,
 * so a run neither reads nor decodes the font for the characters the charts use.
 */
export interface GlyphTable {
  readonly unitsPerEm: number;
  readonly glyphs: Readonly<Record<string, readonly [number, string, number, number]>>;
}

export function glyphTable(glyphs: GlyphSet, characters: string): GlyphTable {
  const table: Record<string, [number, string, number, number]> = {};
  for (const char of characters) {
    const g = glyphs.glyph(char);
    if (g) table[char] = [g.advance, g.d, g.endX, g.endY];
  }
  return { unitsPerEm: glyphs.unitsPerEm, glyphs: table };
}

/** The glyphs of `table`, and for any other character those of the font `fallback` loads (once, when first needed). */
export function tableGlyphs(table: GlyphTable, fallback: () => GlyphSet): GlyphSet {
  let font: GlyphSet | undefined;
  return {
    unitsPerEm: table.unitsPerEm,
    glyph(char) {
      const stored = table.glyphs[char];
      if (stored) return { advance: stored[0], d: stored[1], endX: stored[2], endY: stored[3] };
      font ??= fallback();
      return font.glyph(char);
    },
  };
}

/** A glyph as a path from its pen position to the next glyph's: its outline, then the move there. */
interface AdvancingGlyph {
  readonly advance: number;
  readonly path: string;
}

export function createTextOutliner(fonts: OutlineFonts): TextOutliner {
  const advancing = { regular: new Map<string, AdvancingGlyph | undefined>(), bold: new Map<string, AdvancingGlyph | undefined>() };

  /** The glyph of `char` in a weight, made once: a line of text is then its glyphs' paths one after another. */
  function advancingGlyph(bold: boolean, char: string): AdvancingGlyph | undefined {
    const made = bold ? advancing.bold : advancing.regular;
    if (!made.has(char)) {
      const g = (bold ? fonts.bold : fonts.regular).glyph(char);
      made.set(char, g && { advance: g.advance, path: g.d === '' ? `m${g.advance} 0` : `${g.d}m${g.advance - g.endX} ${-g.endY}` });
    }
    return made.get(char);
  }

  function text(lines: readonly Line[], style: TextStyle, attributes: string): string | undefined {
    const scale = style.size / (style.bold ? fonts.bold : fonts.regular).unitsPerEm;
    let d = '';
    let y = 0;
    for (const line of lines) {
      y += line.dy / scale;
      const glyphs: AdvancingGlyph[] = [];
      let width = 0;
      for (const ch of collapseWhiteSpace(line.text)) {
        const glyph = advancingGlyph(style.bold, ch);
        if (!glyph) return undefined;
        glyphs.push(glyph);
        width += glyph.advance;
      }
      if (glyphs.length === 0) continue;
      const pen = Math.round((line.x ?? 0) / scale - (style.anchor === 'middle' ? width / 2 : style.anchor === 'end' ? width : 0));
      d += `M${pen} ${Math.round(y)}`;
      for (const g of glyphs) d += g.path;
    }
    if (d === '') return '';
    const placed = attributes.replace(/^ transform="([^"]*)"/, (_, t: string) => ` transform="${t} scale(${+scale.toFixed(7)})"`);
    return `<path${placed} d="${d}"/>`;
  }

  function outlined(element: string, attributeSource: string, content: string): string {
    const a = attributes(attributeSource);
    for (const name of a.keys()) if (!PAINT_ATTRIBUTES.has(name) && !IGNORED_ATTRIBUTES.has(name) && !name.startsWith('aria-')) return element;
    const family = a.get('font-family')?.replace(/&quot;|['"]/g, '').trim();
    const size = parseFloat(a.get('font-size') ?? '');
    const fontStyle = a.get('font-style') ?? 'normal';
    const variant = a.get('font-variant') ?? 'normal';
    if (family !== fonts.family || !(size > 0) || fontStyle !== 'normal' || variant !== 'normal') return element;
    const weight = a.get('font-weight') ?? 'normal';
    const bold = weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;
    const lines = linesOf(content);
    if (!lines) return element;
    const transform = a.get('transform') ?? 'translate(0,0)';
    const paint = [...a].filter(([name]) => PAINT_ATTRIBUTES.has(name) && name !== 'transform').map(([name, value]) => ` ${name}="${value}"`).join('');
    return text(lines, { size, bold, anchor: a.get('text-anchor') ?? 'start' }, ` transform="${transform}"${paint}`) ?? element;
  }

  return {
    text,
    // An empty text written as a self-closing element: nothing to draw.
    outlineSvg: (svg) =>
      svg.replace(/<text\b([^>]*?)(\/>|>([\s\S]*?)<\/text>)/g, (element: string, attributeSource: string, _end: string, content: string | undefined) =>
        content === undefined ? '' : outlined(element, attributeSource, content),
      ),
  };
}
