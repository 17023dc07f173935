/** PNG (the NeRF images), APNG chunks (the render command's animations) and `.npy` (LLFF poses). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { decodeFirstFrame, encodeApng, readChunks } from '../../../src/data/apng';
import { parseNpy, type NpyArray } from '../../../src/data/npy';
import { readPngRgb, type RgbImage } from '../../../src/data/png';
import { sharedDataDir } from '../../../src/data/paths';
import fc from 'fast-check';
import { crc32 } from '../../../src/data/png';
import type { FileSet, FuzzTarget } from '../harness';
import { byteMutations, type Mutation } from '../mutate';

/** Chunk CRCs recomputed after an edit, so the damage reaches the decoder (a crafted file, not just a flipped byte). */
function fixCrcs(b: Uint8Array): Uint8Array {
  const out = b.slice();
  const dv = new DataView(out.buffer);
  for (let p = 8; p + 12 <= out.length; ) {
    const len = dv.getUint32(p);
    if (len > out.length - p - 12) break;
    dv.setUint32(p + 8 + len, crc32(out.subarray(p + 4, p + 8 + len)));
    p += 12 + len;
  }
  return out;
}

/** Byte edits, half of them with the CRCs made valid again. */
const pngMutations: fc.Arbitrary<Mutation> = fc.tuple(byteMutations, fc.boolean()).map(([m, fix]) => (fix ? { apply: (b) => fixCrcs(m.apply(b)), desc: `${m.desc}; CRCs fixed` } : m));

/** A small PNG of a given colour type and bit depth (pngjs writes these from RGBA input). */
export function smallPng(width: number, height: number, colorType: 0 | 2 | 4 | 6 = 6, bitDepth: 8 | 16 = 8): Uint8Array {
  const png = new PNG({ width, height, colorType, bitDepth, inputColorType: 6, inputHasAlpha: true });
  for (let i = 0; i < width * height * 4; i++) png.data[i] = (i * 37 + (i >> 2) * 11) & 0xff;
  return new Uint8Array(PNG.sync.write(png, { colorType, bitDepth, inputColorType: 6, inputHasAlpha: true }));
}

const LEGO_PNG = join(sharedDataDir(), 'nerf/lego_200/train/r_0.png');

function checkImage(img: RgbImage): void {
  if (!(img.width >= 1 && img.height >= 1) || img.data.length !== img.width * img.height * 3) throw new Error(`image ${img.width}×${img.height} holds ${img.data.length} values`);
  for (const v of img.data) if (!(v >= 0 && v <= 1)) throw new Error(`pixel value ${v} outside [0, 1]`);
}

export const png: FuzzTarget<RgbImage> = {
  name: 'png',
  seeds: [
    { 'image.png': new Uint8Array(readFileSync(LEGO_PNG)) },
    { 'image.png': smallPng(5, 4, 6) },
    { 'image.png': smallPng(7, 3, 2) },
    { 'image.png': smallPng(4, 4, 0) },
    { 'image.png': smallPng(3, 2, 4, 16) },
  ] as FileSet[],
  mutation: () => pngMutations,
  load: (dir) => readPngRgb(join(dir, 'image.png'), { whiteBackground: true }),
  check: checkImage,
};

const mkFrame = (w: number, h: number, v: number): RgbImage => ({ width: w, height: h, data: new Float32Array(w * h * 3).map((_, i) => ((i * 7) % 11) / 10 * v) });

export const apng: FuzzTarget<{ chunks: number; width: number }> = {
  name: 'apng',
  seeds: [
    { 'render.png': new Uint8Array(encodeApng([mkFrame(3, 2, 0.2), mkFrame(3, 2, 0.6), mkFrame(3, 2, 1)], 50)) },
    { 'render.png': new Uint8Array(encodeApng([mkFrame(6, 5, 1)], 100)) },
  ],
  mutation: () => pngMutations,
  load: (dir) => {
    const p = join(dir, 'render.png');
    const buf = readFileSync(p);
    const chunks = readChunks(buf, p);
    return { chunks: chunks.length, width: decodeFirstFrame(buf, p).width };
  },
};

const FERN_NPY = join(sharedDataDir(), 'nerf/fern/poses_bounds.npy');

/** A hand-built `.npy` (version 1) of float64 or int32 values. */
export function npyBytes(shape: number[], values: number[], descr: '<f8' | '<i4' | '>f4' = '<f8', fortran = false): Uint8Array {
  const header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  const h = header + ' '.repeat(pad) + '\n';
  const w = descr === '<f8' ? 8 : 4;
  const buf = new Uint8Array(10 + h.length + values.length * w);
  buf.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8]);
  buf.set(new TextEncoder().encode(h), 10);
  const dv = new DataView(buf.buffer, 10 + h.length);
  values.forEach((v, i) => (descr === '<f8' ? dv.setFloat64(8 * i, v, true) : descr === '<i4' ? dv.setInt32(4 * i, v, true) : dv.setFloat32(4 * i, v, false)));
  return buf;
}

export const npy: FuzzTarget<NpyArray> = {
  name: 'npy',
  seeds: [
    { 'poses_bounds.npy': new Uint8Array(readFileSync(FERN_NPY)) },
    { 'poses_bounds.npy': npyBytes([2, 3], [1, 2, 3, 4.5, -5, 6], '<f8', true) },
    { 'poses_bounds.npy': npyBytes([4], [1, -2, 3, 7], '<i4') },
    { 'poses_bounds.npy': npyBytes([3, 1], [0.5, 1.5, -2], '>f4') },
  ],
  load: (dir) => parseNpy(readFileSync(join(dir, 'poses_bounds.npy')), join(dir, 'poses_bounds.npy')),
  check: (a) => {
    const n = a.shape.reduce((x, y) => x * y, 1);
    if (a.data.length !== n) throw new Error(`${a.data.length} values for shape (${a.shape})`);
  },
};
