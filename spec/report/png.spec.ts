/**
 * The PNG encoder's own pieces: its JavaScript CRC-32 (for node before 20.15, whose zlib has none)
 * agrees with zlib's, and an encoded image decodes to its pixels, also when several are encoded at once;
 * resvg given the empty crop rectangle returns the whole picture, as rendered.
 */
import * as zlib from 'zlib';
import { NO_CROP, crc32InJs, encodePng, svgToPng } from '../../lib/report/plots/png';

/** A PNG's size and the rows (filter bytes included) its IDAT chunk holds. */
function decoded(png: Buffer): { readonly width: number; readonly height: number; readonly rows: Buffer } {
  const idatAt = png.indexOf('IDAT') - 4;
  const idat = png.subarray(idatAt + 8, idatAt + 8 + png.readUInt32BE(idatAt));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), rows: zlib.inflateSync(idat) };
}

/** `pixels` (RGBA) as PNG rows, each behind a filter byte of 0. */
function asRows(pixels: Uint8Array, width: number): number[] {
  const stride = 4 * width;
  const rows: number[] = [];
  for (let y = 0; y * stride < pixels.length; y++) rows.push(0, ...pixels.subarray(y * stride, (y + 1) * stride));
  return rows;
}

describe('PNG encoding', () => {
  it('computes CRC-32 in JavaScript as zlib does', () => {
    // The IEND chunk's CRC is the same in every PNG file.
    expect(crc32InJs(Buffer.from('IEND'))).toBe(0xae426082);
    expect(crc32InJs(new Uint8Array(0))).toBe(0);
    const zlibCrc = (zlib as { crc32?: (bytes: Uint8Array) => number }).crc32;
    if (!zlibCrc) return; // node before 20.15: the encoder uses crc32InJs
    const bytes = Uint8Array.from({ length: 4099 }, (_, i) => (i * 131 + 7) & 0xff);
    expect(crc32InJs(bytes)).toBe(zlibCrc(bytes));
  });

  it('stores the rows of pixels behind filter bytes of 0, compressed', async () => {
    const [width, height] = [3, 2];
    const pixels = Uint8Array.from({ length: 4 * width * height }, (_, i) => i);
    const png = decoded(Buffer.from(await encodePng(pixels, width, height)));
    expect([...png.rows]).toEqual([0, ...pixels.subarray(0, 12), 0, ...pixels.subarray(12)]);
    expect(asRows(pixels, width)).toEqual([...png.rows]);
    expect([png.width, png.height]).toEqual([width, height]);
  });

  it('encodes pictures of different sizes asked for at once, each from its own pixels', async () => {
    const image = (width: number, height: number, seed: number) => ({ width, height, pixels: Uint8Array.from({ length: 4 * width * height }, (_, i) => (i * seed + 11) & 0xff) });
    const images = [image(5, 4, 7), image(2, 3, 13), image(6, 5, 3)];
    const pngs = await Promise.all(images.map((im) => encodePng(im.pixels, im.width, im.height)));
    pngs.forEach((png, i) => {
      const { width, height, rows } = decoded(Buffer.from(png));
      expect([width, height]).toEqual([images[i].width, images[i].height]);
      expect([...rows]).toEqual(asRows(images[i].pixels, images[i].width));
    });
  });

  it('rasterises the whole picture with the empty crop rectangle, as without any', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect x="5" y="2" width="10" height="7" fill="#4c78a8"/><circle cx="22" cy="12" r="6" fill="#f58518"/></svg>';
    const { renderAsync } = require('@resvg/resvg-js') as { renderAsync(svg: string, options: object): Promise<{ pixels: Buffer; width: number; height: number }> };
    const options = { background: 'white' };
    const uncropped = await renderAsync(svg, options);
    const emptyCrop = await renderAsync(svg, { ...options, crop: NO_CROP });
    expect([emptyCrop.width, emptyCrop.height]).toEqual([30, 20]);
    expect(emptyCrop.pixels.equals(uncropped.pixels)).toBe(true);
    const png = decoded(Buffer.from(await svgToPng(svg, options)));
    expect([png.width, png.height]).toEqual([30, 20]);
    expect([...png.rows]).toEqual(asRows(uncropped.pixels, 30));
  });
});
