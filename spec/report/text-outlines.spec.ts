/**
 * PNG text as glyph outlines: the rewritten SVG draws the text where resvg would draw it from the font,
 * and anything the outliner does not know stays text; the width tables the charts lay text out with
 * are the font's.
 */
import * as fs from 'fs';
import { Resvg } from '@resvg/resvg-js';
import { CHART_FONT } from '../../lib/report/plots/figure';
import { pngOptions } from '../../lib/report/plots/rasterise';
import { GLYPH_CHARACTERS, textWidthPx } from '../../lib/report/plots/glyph-widths';
import { createTextOutliner, fontGlyphs, glyphTable, tableGlyphs } from '../../lib/report/plots/text-outlines';
import { parseTrueType } from '../../lib/report/plots/truetype';

const fonts = pngOptions().font.fontFiles.map((file) => parseTrueType(fs.readFileSync(file)));
const [regular, bold] = fonts.map(fontGlyphs);
const outline = createTextOutliner({ family: CHART_FONT, regular, bold }).outlineSvg;

const svgOf = (body: string, width = 360, height = 80) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="white"/>${body}</svg>`;

/** Ink per pixel column and row (0 = white), to compare where two renderings put their text. */
function ink(svg: string): { columns: number[]; rows: number[]; total: number } {
  const image = new Resvg(svg, pngOptions()).render();
  const columns = new Array<number>(image.width).fill(0);
  const rows = new Array<number>(image.height).fill(0);
  let total = 0;
  const pixels = image.pixels;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const dark = 255 - pixels[4 * (y * image.width + x)];
      columns[x] += dark;
      rows[y] += dark;
      total += dark;
    }
  }
  return { columns, rows, total };
}

/** First and last index with ink. */
const extent = (values: readonly number[]) => [values.findIndex((v) => v > 0), values.length - 1 - [...values].reverse().findIndex((v) => v > 0)];

describe('text as glyph outlines', () => {
  it.each([
    ['start', 'normal', 11],
    ['middle', 'bold', 15],
    ['end', 'normal', 10],
  ])('draws %s-anchored %s text at %ipx with the ink and extent of the font rendering', (anchor, weight, size) => {
    const text = `<text text-anchor="${anchor}" transform="translate(180,40)" font-family="${CHART_FONT}" font-size="${size}px" font-weight="${weight}" fill="#000">Conv1 (Conv, cores 0–3) &amp; 2,376 · s&lt;n&gt;</text>`;
    const svg = svgOf(text);
    const outlined = outline(svg);
    expect(outlined).not.toContain('<text');
    const [reference, drawn] = [ink(svg), ink(outlined)];
    expect(Math.abs(drawn.total / reference.total - 1)).toBeLessThan(0.03);
    // Same rows; columns within the few pixels resvg's kerning moves them.
    expect(extent(drawn.rows)).toEqual(extent(reference.rows));
    extent(drawn.columns).forEach((x, i) => expect(Math.abs(x - extent(reference.columns)[i])).toBeLessThanOrEqual(3));
  });

  it('draws tspan lines below each other and drops empty labels', () => {
    const svg = svgOf(
      `<text text-anchor="start" transform="translate(4,16)" font-family="${CHART_FONT}" font-size="12px" fill="#444" opacity="1"><tspan>first line</tspan><tspan x="0" dy="14">second line</tspan></text>` +
        `<text text-anchor="middle" transform="translate(40,5)" font-family="${CHART_FONT}" font-size="10px" fill="#555"/>`,
    );
    const outlined = outline(svg);
    expect(outlined.match(/<path/g)).toHaveLength(1);
    expect(outlined).toContain('fill="#444" opacity="1"');
    const [reference, drawn] = [ink(svg), ink(outlined)];
    expect(extent(drawn.rows)).toEqual(extent(reference.rows));
  });

  it('measures each character of the width tables with the advance width of the font the PNGs draw it in', () => {
    fonts.forEach((font, i) => {
      for (const char of GLYPH_CHARACTERS) {
        const advance = font.advance(font.glyphIndex(char.codePointAt(0) as number));
        expect([char, textWidthPx(char, 1000, i === 1)]).toEqual([char, Math.round((advance * 1000) / font.unitsPerEm)]);
      }
    });
  });

  it('outlines from the glyph tables the build stores as from the font, and other characters from the font', () => {
    const fromTable = (font: typeof regular) => tableGlyphs(glyphTable(font, GLYPH_CHARACTERS), () => font);
    const tabled = createTextOutliner({ family: CHART_FONT, regular: fromTable(regular), bold: fromTable(bold) }).outlineSvg;
    const texts = [false, true].map(
      (isBold, i) => `<text transform="translate(4,${20 + 30 * i})" font-family="${CHART_FONT}" font-size="12px" font-weight="${isBold ? 'bold' : 'normal'}">${GLYPH_CHARACTERS.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')} é</text>`,
    );
    const svg = svgOf(texts.join(''), 1600, 80);
    expect(tabled(svg)).not.toContain('<text');
    expect(tabled(svg)).toBe(outline(svg));
  });

  it('leaves text it cannot outline to resvg: other fonts, characters the font lacks, unknown attributes', () => {
    const kept = [
      `<text transform="translate(4,16)" font-family="Serif" font-size="12px">other font</text>`,
      `<text transform="translate(4,16)" font-family="${CHART_FONT}" font-size="12px">漢字</text>`,
      `<text transform="translate(4,16)" font-family="${CHART_FONT}" font-size="12px" letter-spacing="2">spaced</text>`,
      `<text transform="translate(4,16)" font-family="${CHART_FONT}" font-size="12px" font-style="italic">italic</text>`,
    ];
    for (const text of kept) expect(outline(svgOf(text))).toContain(text);
  });
});
