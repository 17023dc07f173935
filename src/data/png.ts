/**
 * PNG files as RGB floats: read (pngjs), optionally composite RGBA on a white background (NeRF's
 * `white_bkgd`) and box-average down-scale by an integer factor (NeRF's `half_res` is factor 2);
 * write H*W*3 floats as an 8-bit PNG.
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';

export interface RgbImage {
  width: number;
  height: number;
  /** H*W*3 floats in [0, 1], row-major. */
  data: Float32Array;
}

/**
 * Reads a PNG as RGB floats. With `whiteBackground`, RGBA is composited as rgb*a + (1-a)
 * (premultiplying straight alpha); without it alpha is dropped. `factor` > 1 box-averages
 * factor×factor blocks of the RGBA (straight alpha, as the shared data's README prescribes),
 * before compositing.
 */
export function readPngRgb(path: string, opts: { whiteBackground?: boolean; factor?: number } = {}): RgbImage {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read PNG ${path}: ${(e as Error).message}`);
  }
  const png = decodePng(buf, path);
  const f = opts.factor ?? 1;
  if (!Number.isInteger(f) || f < 1) throw new Error(`down-scale factor must be a positive integer, got ${f}`);
  const W = Math.floor(png.width / f);
  const H = Math.floor(png.height / f);
  if (W < 1 || H < 1) throw new Error(`${path}: ${png.width}×${png.height} is too small for factor ${f}`);
  const src = png.data; // RGBA 8-bit (pngjs expands every colour type to RGBA)
  const out = new Float32Array(H * W * 3);
  const inv = 1 / (255 * f * f);
  const white = opts.whiteBackground ?? false;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let dy = 0; dy < f; dy++) {
        let p = ((y * f + dy) * png.width + x * f) * 4;
        for (let dx = 0; dx < f; dx++, p += 4) {
          r += src[p]!; g += src[p + 1]!; b += src[p + 2]!; a += src[p + 3]!;
        }
      }
      r *= inv; g *= inv; b *= inv; a *= inv;
      const o = (y * W + x) * 3;
      if (white) {
        out[o] = r * a + 1 - a;
        out[o + 1] = g * a + 1 - a;
        out[o + 2] = b * a + 1 - a;
      } else {
        out[o] = r; out[o + 1] = g; out[o + 2] = b;
      }
    }
  }
  return { width: W, height: H, data: out };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** The CRC-32 of PNG chunks (and zlib). */
export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The most pixels a PNG may have here (8192×8192): the RGBA copy and the float image stay under 1 GiB. */
export const MAX_PNG_PIXELS = 2 ** 26;
/** Channels per colour type, and the bit depths each allows (PNG spec, table 11.1). */
const COLOR_TYPES: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] }, 2: { channels: 3, depths: [8, 16] }, 3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] }, 6: { channels: 4, depths: [8, 16] },
};

/**
 * Checks what the decoder would trust before it allocates: the signature, an IHDR chunk first
 * with a valid CRC, sane dimensions and formats, chunk lengths inside the file, and no more image
 * bytes than the compressed data can hold (deflate expands at most about 1032×), so a damaged
 * width or height is refused instead of allocating gigabytes. Errors name `name`.
 */
export function checkPngHeader(buf: Uint8Array, name: string): void {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (buf.length === 0) throw new Error(`${name}: the file is empty, not a PNG`);
  if (buf.length < 8 + 25 || sig.some((b, i) => buf[i] !== b)) throw new Error(`${name}: not a PNG (bad signature or too short: ${buf.length} bytes)`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const type = (p: number) => String.fromCharCode(buf[p]!, buf[p + 1]!, buf[p + 2]!, buf[p + 3]!);
  if (dv.getUint32(8) !== 13 || type(12) !== 'IHDR') throw new Error(`${name}: damaged PNG: the first chunk is not a 13-byte IHDR`);
  if (crc32(buf.subarray(12, 29)) !== dv.getUint32(29)) throw new Error(`${name}: damaged PNG: the IHDR chunk's CRC does not match`);
  const width = dv.getUint32(16), height = dv.getUint32(20);
  const depth = buf[24]!, colorType = buf[25]!, interlace = buf[28]!;
  const ct = COLOR_TYPES[colorType];
  if (!ct || !ct.depths.includes(depth)) throw new Error(`${name}: damaged PNG: colour type ${colorType} with bit depth ${depth} does not exist`);
  if (buf[26] !== 0 || buf[27] !== 0 || interlace > 1) throw new Error(`${name}: damaged PNG: unknown compression, filter or interlace method`);
  if (width < 1 || height < 1 || width > 2 ** 31 - 1 || height > 2 ** 31 - 1) throw new Error(`${name}: damaged PNG: size ${width}×${height}`);
  if (width * height > MAX_PNG_PIXELS) throw new Error(`${name}: ${width}×${height} pixels is more than this reader takes (${MAX_PNG_PIXELS}); damaged file?`);
  let idat = 0;
  for (let p = 33; p < buf.length; ) {
    if (p + 12 > buf.length) throw new Error(`${name}: truncated PNG: a chunk header is cut at byte ${p}`);
    const len = dv.getUint32(p);
    if (len > buf.length - p - 12) throw new Error(`${name}: truncated or damaged PNG: chunk ${JSON.stringify(type(p + 4))} at byte ${p} says ${len} bytes, ${buf.length - p - 12} are left`);
    if (type(p + 4) === 'IDAT') idat += len;
    if (type(p + 4) === 'IEND') break;
    p += 12 + len;
  }
  const raw = height * (1 + Math.ceil((width * ct.channels * depth) / 8));
  if (raw > 1100 * idat + 1024) throw new Error(`${name}: damaged PNG: ${width}×${height} needs ${raw} bytes of image data, more than its ${idat} compressed bytes can hold`);
}

/** A PNG's pixels (pngjs: every colour type as 8-bit RGBA), after checkPngHeader; errors name `name`. */
export function decodePng(buf: Buffer, name: string): PNG {
  checkPngHeader(buf, name);
  try {
    return PNG.sync.read(buf);
  } catch (e) {
    throw new Error(`cannot read PNG ${name}: ${(e as Error).message}`);
  }
}

/** Writes H*W*3 floats in [0,1] as an 8-bit RGB(A) PNG buffer. */
export function encodePngRgb(img: RgbImage): Buffer {
  const png = new PNG({ width: img.width, height: img.height });
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) png.data[i * 4 + c] = Math.round(Math.min(1, Math.max(0, img.data[i * 3 + c]!)) * 255);
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}
