/**
 * The PNG encoder's own pieces: its JavaScript CRC-32 (for node before 20.15, whose zlib has none)
 * agrees with zlib's, and an encoded image decodes to its pixels.
 */
import * as zlib from 'zlib';
import { crc32InJs, encodePng } from '../../lib/report/plots/png';

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
    const png = Buffer.from(await encodePng(pixels, width, height));
    const idatAt = png.indexOf('IDAT') - 4;
    const idat = png.subarray(idatAt + 8, idatAt + 8 + png.readUInt32BE(idatAt));
    const rows = zlib.inflateSync(idat);
    expect([...rows]).toEqual([0, ...pixels.subarray(0, 12), 0, ...pixels.subarray(12)]);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([width, height]);
  });
});
