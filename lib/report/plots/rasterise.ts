/**
 * SVG → PNG with resvg and the DejaVu Sans font shipped by the `dejavu-fonts-ttf` package, so text
 * renders on machines without system fonts. In two steps: the thread that draws a picture outlines its
 * text (`outlineText`, JavaScript), then resvg renders it and zlib compresses it on libuv's pool
 * (`rasteriseOutlined`), best asked for by a thread that is otherwise idle (the `co` command's solver
 * thread, once the run is solved), so that each step on the pool moves on at once.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CHART_FONT } from './figure';
import { GLYPH_CHARACTERS } from './glyph-widths';
import type * as Png from './png';
import type * as TextOutlines from './text-outlines';
import type * as TrueType from './truetype';

/**
 * PNG pixels per SVG unit. One: the charts are laid out for that size (11-12 px text), the SVG is the
 * sharp version, and rasterising costs as much as laying out (zoom 1.5 costs a quarter more).
 */
export const PNG_ZOOM = 1;

/** resvg's options for the pictures: only the shipped font (no system fonts), white background. */
export interface PngOptions {
  readonly font: { readonly loadSystemFonts: false; readonly fontFiles: string[]; readonly defaultFontFamily: string };
  readonly fitTo: { readonly mode: 'zoom'; readonly value: number };
  readonly background: string;
}

let fontFiles: string[] | undefined;

export function pngOptions(): PngOptions {
  fontFiles ??= ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));
  return { font: { loadSystemFonts: false, fontFiles, defaultFontFamily: CHART_FONT }, fitTo: { mode: 'zoom', value: PNG_ZOOM }, background: 'white' };
}

/**
 * The glyphs of the characters the charts use (`GLYPH_CHARACTERS`), outlined by the build
 * (`writeGlyphTables`) next to this module, in the build's output: reading and decoding the font files
 * took the first pictures of a run several ms.
 */
const GLYPH_TABLES_FILE = path.join(__dirname, 'glyph-outlines.json');

type GlyphTables = Record<'regular' | 'bold', TextOutlines.GlyphTable>;

/** The shipped font's glyphs, read and outlined as they are needed. */
function fontGlyphSets(): Record<'regular' | 'bold', TextOutlines.GlyphSet> {
  const { parseTrueType } = require('./truetype') as typeof TrueType;
  const { fontGlyphs } = require('./text-outlines') as typeof TextOutlines;
  const [regular, bold] = pngOptions().font.fontFiles.map((file) => fontGlyphs(parseTrueType(fs.readFileSync(file))));
  return { regular, bold };
}

/** Outlines the build stores for the run: `GLYPH_CHARACTERS` in both weights. */
export function writeGlyphTables(file = GLYPH_TABLES_FILE): void {
  const { glyphTable } = require('./text-outlines') as typeof TextOutlines;
  const fonts = fontGlyphSets();
  const tables: GlyphTables = { regular: glyphTable(fonts.regular, GLYPH_CHARACTERS), bold: glyphTable(fonts.bold, GLYPH_CHARACTERS) };
  fs.writeFileSync(file, JSON.stringify(tables));
}

let outliner: TextOutlines.TextOutliner | undefined;

/**
 * The outliner, made when the first text is outlined: from the build's glyph tables, the font files
 * read only for a character outside them (or without a build). Its modules load then too: the thread
 * that rasterises never outlines.
 */
function textOutliner(): TextOutlines.TextOutliner {
  if (!outliner) {
    const { createTextOutliner, tableGlyphs } = require('./text-outlines') as typeof TextOutlines;
    let tables: GlyphTables | undefined;
    try {
      tables = JSON.parse(fs.readFileSync(GLYPH_TABLES_FILE, 'utf8')) as GlyphTables;
    } catch {
      // no build output here (sources run directly): the font files only
    }
    let fonts: ReturnType<typeof fontGlyphSets> | undefined;
    const font = () => (fonts ??= fontGlyphSets());
    outliner = createTextOutliner(
      tables
        ? { family: CHART_FONT, regular: tableGlyphs(tables.regular, () => font().regular), bold: tableGlyphs(tables.bold, () => font().bold) }
        : { family: CHART_FONT, ...font() },
    );
  }
  return outliner;
}

/** resvg's options for an SVG with its text outlined: the font files only if some text is left. */
function outlinedOptions(svg: string): PngOptions {
  const options = pngOptions();
  return svg.includes('<text') ? options : { ...options, font: { ...options.font, fontFiles: [] } };
}

/**
 * `svg` with its text as glyph outlines of the shipped font, for `rasteriseOutlined` (resvg's own text
 * layout costs more than the rest of the chart).
 */
export function outlineText(svg: string): string {
  return textOutliner().outlineSvg(svg);
}

/** An SVG from `outlineText` as PNG. */
export function rasteriseOutlined(outlined: string): Promise<Uint8Array> {
  // Loaded here: the thread that draws (and outlines) never encodes, and zlib takes a while to load.
  return (require('./png') as typeof Png).svgToPng(outlined, outlinedOptions(outlined));
}
