/**
 * SVG → PNG with resvg, with the work off the caller's thread where it can be: resvg renders on libuv's
 * thread pool, and the PNG is compressed there too (zlib's `deflate`), where resvg's own `asPng` would
 * encode on the calling thread. Compression is zlib's fastest level without row filters: on the charts'
 * flat colours that gives files smaller than resvg's and takes a few ms.
 *
 * Memory fresh from the system costs a page fault per 4 KiB on first touch, together more than filling
 * it, and a picture's buffers are MB: so no render copies its picture, and the encodes share one buffer
 * for their rows.
 */
import { promisify } from 'util';
import * as zlib from 'zlib';

interface RenderedImage {
  readonly pixels: Buffer;
  readonly width: number;
  readonly height: number;
}

/** resvg's native `renderAsync`: options as JSON text. */
type RenderAsync = (svg: string, options: string) => Promise<RenderedImage>;

let renderAsync: RenderAsync | undefined;

/**
 * resvg's native binding. On glibc Linux it is required directly: the package's entry first asks
 * `process.report` whether the C library is musl, which takes several ms. Anywhere else, or should the
 * direct load fail (a musl system), the entry finds the binding.
 */
function resvg(): RenderAsync {
  if (renderAsync) return renderAsync;
  if (process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64')) {
    try {
      renderAsync = (require(`@resvg/resvg-js-linux-${process.arch}-gnu`) as { renderAsync: RenderAsync }).renderAsync;
      return renderAsync;
    } catch {
      // not installed here (musl), or not loadable: the package's own loader decides
    }
  }
  const binding = require('@resvg/resvg-js') as { renderAsync(svg: string, options: object): Promise<RenderedImage> };
  renderAsync = (svg, options) => binding.renderAsync(svg, JSON.parse(options) as object);
  return renderAsync;
}

const deflateAsync = promisify(zlib.deflate);

let crcTable: Int32Array | undefined;

/** CRC-32 in JavaScript, where node's zlib lacks `crc32` (before node 20.15). */
export function crc32InJs(bytes: Uint8Array): number {
  crcTable ??= Int32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const crc32: (bytes: Uint8Array) => number = (zlib as { crc32?: (bytes: Uint8Array) => number }).crc32 ?? crc32InJs;

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Room for zlib's output: node hands every full chunk back to this thread before the pool compresses
 * on, so its default 16 KiB chunks cost a round trip each; a chunk the size of the input (megabytes)
 * costs more to allocate than the compression. The charts compress to well under this.
 */
const OUTPUT_CHUNK = 256 * 1024;

/** The rows of the picture being encoded, kept (grown to the largest picture) for the next one. */
let rowsBuffer = Buffer.alloc(0);

/** The encodes, one after another: each fills `rowsBuffer` and compresses from it. */
let encoding: Promise<unknown> = Promise.resolve();

/** An RGBA PNG of 8-bit pixels (resvg's, opaque: the charts have a white background). */
export function encodePng(pixels: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const encoded = encoding.then(() => encodeNow(pixels, width, height));
  encoding = encoded.catch(() => undefined);
  return encoded;
}

async function encodeNow(pixels: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const stride = 4 * width;
  // Each row behind a filter-type byte of 0 (none).
  const size = (stride + 1) * height;
  if (rowsBuffer.length < size) rowsBuffer = Buffer.allocUnsafe(size);
  const rows = rowsBuffer.subarray(0, size);
  for (let y = 0; y < height; y++) {
    rows[y * (stride + 1)] = 0;
    rows.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, RGBA, deflate, no filter method variants, no interlace
  const compressed = await deflateAsync(rows, { level: 1, chunkSize: OUTPUT_CHUNK });
  return new Uint8Array(Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', compressed), chunk('IEND', new Uint8Array(0))]));
}

/**
 * resvg-js applies its `crop` option by copying the rendered picture into a new one, and without the
 * option crops to the whole picture: a copy of every picture. A rectangle without area is no crop to
 * it, and the picture comes back as rendered (png.spec checks that it is whole).
 */
export const NO_CROP = { left: 0, top: 0, right: 0, bottom: 0 } as const;

/** `svg` rasterised with resvg (`options` as resvg takes them) and encoded as PNG. */
export async function svgToPng(svg: string, options: object): Promise<Uint8Array> {
  const image = await resvg()(svg, JSON.stringify({ ...options, crop: NO_CROP }));
  return encodePng(image.pixels, image.width, image.height);
}
