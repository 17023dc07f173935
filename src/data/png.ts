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
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(path));
  } catch (e) {
    throw new Error(`cannot read PNG ${path}: ${(e as Error).message}`);
  }
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
