/**
 * A reader for NumPy `.npy` files (format versions 1-3), enough for LLFF's `poses_bounds.npy`:
 * little/big-endian float64/float32/int32 arrays, C or Fortran order. Returns values as
 * Float64Array in C (row-major) order with the shape from the header.
 */
export interface NpyArray {
  shape: number[];
  dtype: string;
  data: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(buf: Uint8Array, name = 'npy'): NpyArray {
  if (buf.length < 10 || MAGIC.some((m, i) => buf[i] !== m)) throw new Error(`${name}: not a .npy file (bad magic)`);
  const major = buf[6]!;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (buf.length < 12) throw new Error(`${name}: truncated .npy header`);
    headerLen = dv.getUint32(8, true);
    start = 12;
  } else throw new Error(`${name}: unsupported .npy version ${major}`);
  if (start + headerLen > buf.length) throw new Error(`${name}: truncated .npy header`);
  const header = new TextDecoder('latin1').decode(buf.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1] === 'True';
  const shapeStr = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeStr === undefined) throw new Error(`${name}: cannot parse .npy header '${header.trim()}'`);
  const shape = shapeStr.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`${name}: bad shape (${shapeStr})`);
  const n = shape.reduce((a, b) => a * b, 1);
  const little = descr[0] !== '>';
  const kind = descr.slice(1);
  const size: Record<string, number> = { f8: 8, f4: 4, i4: 4, i8: 8, u1: 1 };
  const bytes = size[kind];
  if (!bytes) throw new Error(`${name}: unsupported dtype '${descr}'`);
  const off = start + headerLen;
  if (buf.length - off < n * bytes) throw new Error(`${name}: truncated data: need ${n * bytes} bytes for shape (${shape.join(',')}) ${descr}, file has ${buf.length - off}`);
  const flat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = off + i * bytes;
    switch (kind) {
      case 'f8': flat[i] = dv.getFloat64(p, little); break;
      case 'f4': flat[i] = dv.getFloat32(p, little); break;
      case 'i4': flat[i] = dv.getInt32(p, little); break;
      case 'i8': flat[i] = Number(dv.getBigInt64(p, little)); break;
      default: flat[i] = buf[p]!;
    }
  }
  let data = flat;
  if (fortran && shape.length > 1) {
    // Fortran order: the first index varies fastest. Reorder to C order.
    data = new Float64Array(n);
    const strides = shape.map((_, k) => shape.slice(0, k).reduce((a, b) => a * b, 1));
    const idx = new Array<number>(shape.length).fill(0);
    for (let c = 0; c < n; c++) {
      let f = 0;
      for (let k = 0; k < shape.length; k++) f += idx[k]! * strides[k]!;
      data[c] = flat[f]!;
      for (let k = shape.length - 1; k >= 0; k--) {
        if (++idx[k]! < shape[k]!) break;
        idx[k] = 0;
      }
    }
  }
  return { shape, dtype: descr, data };
}
