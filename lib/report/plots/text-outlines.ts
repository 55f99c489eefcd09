/**
 * Rewrites the text of a vega SVG as glyph outlines, for rasterisation: resvg shapes and outlines every
 * text element anew, which costs more than drawing the rest of a chart, while a chart uses a few dozen
 * distinct glyphs at two or three sizes. Each (glyph, size) is outlined once per outliner and text
 * elements become one path each, placed as vega placed the text (its transform, anchor, line offsets).
 * Glyphs advance by their advance widths, exactly as the renderer measured the text for layout (resvg
 * would also kern, which the layout did not account for).
 *
 * Only what vega writes is handled: a text element whose attributes or content look different (another
 * font, letter spacing, a character the font lacks, ...) is left as text for resvg to draw.
 */
import { TrueTypeFont } from './truetype';

export interface OutlineFonts {
  /** The font family the SVG names (`font-family`) for which these fonts stand. */
  readonly family: string;
  readonly regular: TrueTypeFont;
  readonly bold: TrueTypeFont;
}

/** A glyph at one size: a relative path from the pen position that ends at its last contour's start. */
interface GlyphPath {
  readonly d: string;
  /** Where `d` leaves the current point, relative to the pen position, in hundredths of a pixel. */
  readonly endX: number;
  readonly endY: number;
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

/** Hundredths of a pixel as an SVG number. */
const px = (hundredths: number) => String(hundredths / 100);

interface Line {
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

export type TextOutliner = (svg: string) => string;

export function createTextOutliner(fonts: OutlineFonts): TextOutliner {
  const glyphCache = new Map<string, GlyphPath>();

  function glyphPath(font: TrueTypeFont, bold: boolean, glyph: number, size: number): GlyphPath {
    const key = `${bold ? 'b' : 'r'}${glyph}@${size}`;
    const known = glyphCache.get(key);
    if (known) return known;
    const scale = (100 * size) / font.unitsPerEm;
    let d = '';
    let [curX, curY] = [0, 0];
    const to = (command: string, x: number, y: number) => {
      d += `${command}${px(x - curX)} ${px(y - curY)}`;
    };
    for (const contour of font.contours(glyph)) {
      if (contour.length === 0) continue;
      // Points in hundredths of a pixel, y down; every emitted point is rounded first, so the relative
      // steps add up exactly and nothing drifts along a label.
      const points = contour.map((p) => ({ x: p.x * scale, y: -p.y * scale, onCurve: p.onCurve }));
      const n = points.length;
      let first = points.findIndex((p) => p.onCurve);
      let start: { x: number; y: number };
      if (first < 0) {
        // Only off-curve points: the contour starts between the last and the first.
        first = 0;
        start = { x: (points[n - 1].x + points[0].x) / 2, y: (points[n - 1].y + points[0].y) / 2 };
      } else start = points[first];
      const [startX, startY] = [Math.round(start.x), Math.round(start.y)];
      to('m', startX, startY);
      [curX, curY] = [startX, startY];
      let control: { x: number; y: number } | undefined;
      const lineOrCurveTo = (x: number, y: number) => {
        const [rx, ry] = [Math.round(x), Math.round(y)];
        if (control) {
          const [cx, cy] = [Math.round(control.x), Math.round(control.y)];
          d += `q${px(cx - curX)} ${px(cy - curY)} ${px(rx - curX)} ${px(ry - curY)}`;
          control = undefined;
        } else to('l', rx, ry);
        [curX, curY] = [rx, ry];
      };
      for (let k = points[first].onCurve ? 1 : 0; k < n; k++) {
        const p = points[(first + k) % n];
        if (p.onCurve) lineOrCurveTo(p.x, p.y);
        else {
          if (control) lineOrCurveTo((control.x + p.x) / 2, (control.y + p.y) / 2);
          control = p;
        }
      }
      // A straight closing edge is drawn by `z` itself.
      if (control) lineOrCurveTo(start.x, start.y);
      d += 'z';
      [curX, curY] = [startX, startY];
    }
    const path = { d, endX: curX, endY: curY };
    glyphCache.set(key, path);
    return path;
  }

  /** The path data of one text element, or undefined when a character has no glyph. */
  function textPath(lines: readonly Line[], font: TrueTypeFont, bold: boolean, size: number, anchor: string): string | undefined {
    const scale = size / font.unitsPerEm;
    let d = '';
    let y = 0;
    for (const line of lines) {
      y += line.dy;
      const text = collapseWhiteSpace(line.text);
      const glyphs: number[] = [];
      for (const ch of text) {
        const glyph = font.glyphIndex(ch.codePointAt(0) ?? 0);
        if (glyph === 0) return undefined;
        glyphs.push(glyph);
      }
      if (glyphs.length === 0) continue;
      const width = glyphs.reduce((sum, g) => sum + font.advance(g), 0) * scale;
      const x0 = (line.x ?? 0) - (anchor === 'middle' ? width / 2 : anchor === 'end' ? width : 0);
      // Pen positions in hundredths of a pixel, relative to the line's origin.
      const origin = (advanced: number) => Math.round(100 * (x0 + advanced * scale));
      const baseY = Math.round(100 * y);
      let advanced = 0;
      let pen = origin(0);
      d += `M${px(pen)} ${px(baseY)}`;
      let [curX, curY] = [pen, baseY];
      for (const g of glyphs) {
        if (curX !== pen || curY !== baseY) d += `m${px(pen - curX)} ${px(baseY - curY)}`;
        const path = glyphPath(font, bold, g, size);
        d += path.d;
        [curX, curY] = [pen + path.endX, baseY + path.endY];
        advanced += font.advance(g);
        pen = origin(advanced);
      }
    }
    return d;
  }

  function outlined(element: string, attributeSource: string, content: string): string {
    const a = attributes(attributeSource);
    for (const name of a.keys()) if (!PAINT_ATTRIBUTES.has(name) && !IGNORED_ATTRIBUTES.has(name) && !name.startsWith('aria-')) return element;
    const family = a.get('font-family')?.replace(/&quot;|['"]/g, '').trim();
    const size = parseFloat(a.get('font-size') ?? '');
    const style = a.get('font-style') ?? 'normal';
    const variant = a.get('font-variant') ?? 'normal';
    if (family !== fonts.family || !(size > 0) || style !== 'normal' || variant !== 'normal') return element;
    const weight = a.get('font-weight') ?? 'normal';
    const bold = weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;
    const lines = linesOf(content);
    if (!lines) return element;
    const d = textPath(lines, bold ? fonts.bold : fonts.regular, bold, size, a.get('text-anchor') ?? 'start');
    if (d === undefined) return element;
    if (d === '') return '';
    const paint = [...a].filter(([name]) => PAINT_ATTRIBUTES.has(name)).map(([name, value]) => ` ${name}="${value}"`).join('');
    return `<path${paint} d="${d}"/>`;
  }

  // Vega writes an empty label as a self-closing element: nothing to draw.
  return (svg) =>
    svg.replace(/<text\b([^>]*?)(\/>|>([\s\S]*?)<\/text>)/g, (element: string, attributeSource: string, _end: string, content: string | undefined) =>
      content === undefined ? '' : outlined(element, attributeSource, content),
    );
}
