/**
 * Just enough of a TrueType font to draw text as outlines: the character map (format 4, the Basic
 * Multilingual Plane), advance widths and glyph contours (simple and composite glyphs). The PNG pictures
 * need it because resvg shapes every text element anew (≈ 40 µs per character with DejaVu Sans, more
 * than half of a chart's rasterisation), while the few dozen distinct glyphs of a chart can be outlined
 * once and reused.
 */

interface Point {
  readonly x: number;
  readonly y: number;
  readonly onCurve: boolean;
}

export interface TrueTypeFont {
  readonly unitsPerEm: number;
  /** Glyph index of a code point; 0 (the missing glyph) when the font has none. */
  glyphIndex(codePoint: number): number;
  /** Advance width in font units. */
  advance(glyph: number): number;
  /** Closed contours in font units, y up; quadratic B-splines as TrueType stores them. */
  contours(glyph: number): readonly (readonly Point[])[];
}

/** Composite glyph flags (OpenType `glyf` table). */
const ARGS_ARE_WORDS = 0x0001;
const ARGS_ARE_XY_VALUES = 0x0002;
const HAS_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const HAS_XY_SCALE = 0x0040;
const HAS_2X2 = 0x0080;
/** Simple glyph point flags. */
const ON_CURVE = 0x01;
const X_SHORT = 0x02;
const Y_SHORT = 0x04;
const REPEAT = 0x08;
const X_SAME_OR_POSITIVE = 0x10;
const Y_SAME_OR_POSITIVE = 0x20;
/** Composites nest rarely and shallowly; a bound keeps a malformed font from recursing forever. */
const MAX_COMPONENT_DEPTH = 8;

export function parseTrueType(bytes: Uint8Array): TrueTypeFont {
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u8 = (o: number) => data.getUint8(o);
  const u16 = (o: number) => data.getUint16(o);
  const i16 = (o: number) => data.getInt16(o);
  const u32 = (o: number) => data.getUint32(o);

  const tables = new Map<string, number>();
  for (let i = 0, n = u16(4); i < n; i++) {
    const record = 12 + 16 * i;
    tables.set(String.fromCharCode(u8(record), u8(record + 1), u8(record + 2), u8(record + 3)), u32(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`not a TrueType font: no '${tag}' table`);
    return offset;
  };
  const [head, hhea, hmtx, loca, glyf, cmap] = ['head', 'hhea', 'hmtx', 'loca', 'glyf', 'cmap'].map(table);
  const unitsPerEm = u16(head + 18);
  const longOffsets = i16(head + 50) === 1;
  const numGlyphs = u16(table('maxp') + 4);
  const numHMetrics = u16(hhea + 34);
  const glyphStart = (g: number) => glyf + (longOffsets ? u32(loca + 4 * g) : 2 * u16(loca + 2 * g));

  // The Windows Unicode BMP subtable (platform 3, encoding 1), format 4.
  let segments = -1;
  for (let i = 0, n = u16(cmap + 2); i < n; i++) {
    const record = cmap + 4 + 8 * i;
    const sub = cmap + u32(record + 4);
    if (u16(record) === 3 && u16(record + 2) === 1 && u16(sub) === 4) segments = sub;
  }
  if (segments < 0) throw new Error('the font has no Unicode BMP character map (format 4)');
  const segCount = u16(segments + 6) / 2;
  const endCodes = segments + 14;
  const startCodes = endCodes + 2 * segCount + 2;
  const idDeltas = startCodes + 2 * segCount;
  const idRangeOffsets = idDeltas + 2 * segCount;

  function glyphIndex(codePoint: number): number {
    if (codePoint > 0xffff) return 0;
    let [lo, hi] = [0, segCount - 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (u16(endCodes + 2 * mid) < codePoint) lo = mid + 1;
      else hi = mid;
    }
    const start = u16(startCodes + 2 * lo);
    if (start > codePoint || u16(endCodes + 2 * lo) < codePoint) return 0;
    const delta = i16(idDeltas + 2 * lo);
    const rangeOffset = u16(idRangeOffsets + 2 * lo);
    if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
    const glyph = u16(idRangeOffsets + 2 * lo + rangeOffset + 2 * (codePoint - start));
    return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
  }

  function simpleContours(offset: number, contourCount: number): Point[][] {
    const ends: number[] = [];
    for (let i = 0; i < contourCount; i++) ends.push(u16(offset + 10 + 2 * i));
    const pointCount = contourCount > 0 ? ends[contourCount - 1] + 1 : 0;
    let o = offset + 10 + 2 * contourCount;
    o += 2 + u16(o); // instructions
    const flags: number[] = [];
    while (flags.length < pointCount) {
      const flag = u8(o++);
      flags.push(flag);
      if (flag & REPEAT) for (let r = u8(o++); r > 0; r--) flags.push(flag);
    }
    const coordinates = (short: number, sameOrPositive: number): number[] => {
      const values: number[] = [];
      let v = 0;
      for (const flag of flags) {
        if (flag & short) v += flag & sameOrPositive ? u8(o++) : -u8(o++);
        else if (!(flag & sameOrPositive)) {
          v += i16(o);
          o += 2;
        }
        values.push(v);
      }
      return values;
    };
    const xs = coordinates(X_SHORT, X_SAME_OR_POSITIVE);
    const ys = coordinates(Y_SHORT, Y_SAME_OR_POSITIVE);
    const contours: Point[][] = [];
    let first = 0;
    for (const end of ends) {
      const contour: Point[] = [];
      for (let i = first; i <= end; i++) contour.push({ x: xs[i], y: ys[i], onCurve: (flags[i] & ON_CURVE) !== 0 });
      contours.push(contour);
      first = end + 1;
    }
    return contours;
  }

  function compositeContours(offset: number, depth: number): Point[][] {
    const contours: Point[][] = [];
    let o = offset + 10;
    for (let more = true; more; ) {
      const flags = u16(o);
      const component = u16(o + 2);
      o += 4;
      let dx: number, dy: number;
      if (flags & ARGS_ARE_WORDS) {
        [dx, dy] = [i16(o), i16(o + 2)];
        o += 4;
      } else {
        [dx, dy] = [data.getInt8(o), data.getInt8(o + 1)];
        o += 2;
      }
      // Point-matching placement (arguments that are point numbers) does not occur in DejaVu; no offset then.
      if (!(flags & ARGS_ARE_XY_VALUES)) [dx, dy] = [0, 0];
      const f2dot14 = (at: number) => i16(at) / 16384;
      let [a, b, c, d] = [1, 0, 0, 1];
      if (flags & HAS_SCALE) {
        a = d = f2dot14(o);
        o += 2;
      } else if (flags & HAS_XY_SCALE) {
        [a, d] = [f2dot14(o), f2dot14(o + 2)];
        o += 4;
      } else if (flags & HAS_2X2) {
        [a, b, c, d] = [f2dot14(o), f2dot14(o + 2), f2dot14(o + 4), f2dot14(o + 6)];
        o += 8;
      }
      for (const contour of glyphContours(component, depth + 1)) {
        contours.push(contour.map((p) => ({ x: a * p.x + c * p.y + dx, y: b * p.x + d * p.y + dy, onCurve: p.onCurve })));
      }
      more = (flags & MORE_COMPONENTS) !== 0;
    }
    return contours;
  }

  function glyphContours(glyph: number, depth: number): Point[][] {
    if (glyph < 0 || glyph >= numGlyphs || depth > MAX_COMPONENT_DEPTH) return [];
    const offset = glyphStart(glyph);
    if (offset === glyphStart(glyph + 1)) return []; // no outline (a space)
    const contourCount = i16(offset);
    return contourCount >= 0 ? simpleContours(offset, contourCount) : compositeContours(offset, depth);
  }

  return {
    unitsPerEm,
    glyphIndex,
    advance: (glyph) => u16(hmtx + 4 * Math.min(glyph, numHMetrics - 1)),
    contours: (glyph) => glyphContours(glyph, 0),
  };
}
