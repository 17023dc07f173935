/**
 * Animated PNG (APNG) writer: frames are encoded with pngjs, then their IDAT streams are
 * re-wrapped as APNG chunks (acTL, fcTL, IDAT for the first frame, fdAT for the others), with
 * CRCs computed here. Every frame is full-size, so no frame offsets or blending are needed.
 */
import type { PNG } from 'pngjs';
import { crc32, decodePng, encodePngRgb, type RgbImage } from './png';

export { crc32 };

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

interface Chunk {
  type: string;
  data: Buffer;
}

/** The chunks of a PNG/APNG; `name` (a file's path) is how errors name it. */
export function readChunks(png: Buffer, name = 'PNG data'): Chunk[] {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (sig.some((b, i) => png[i] !== b)) throw new Error(`${name}: not a PNG (bad signature)`);
  const out: Chunk[] = [];
  let p = 8;
  while (p < png.length) {
    if (p + 12 > png.length) throw new Error(`${name}: truncated chunk header at byte ${p}`);
    const len = png.readUInt32BE(p);
    const type = png.toString('latin1', p + 4, p + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new Error(`${name}: bad chunk type at byte ${p + 4} (damaged file)`);
    if (len > png.length - p - 12) throw new Error(`${name}: chunk ${type} at byte ${p} says ${len} bytes, the file has ${png.length - p - 12} left (truncated or damaged)`);
    out.push({ type, data: png.subarray(p + 8, p + 8 + len) });
    p += 12 + len;
    if (type === 'IEND') break;
  }
  return out;
}

/** An APNG of equally sized frames, each shown `delayMs`, looping forever. */
export function encodeApng(frames: RgbImage[], delayMs = 100): Buffer {
  if (!frames.length) throw new Error('encodeApng: no frames');
  const { width, height } = frames[0]!;
  for (const f of frames) if (f.width !== width || f.height !== height) throw new Error('encodeApng: frames differ in size');
  const parts: Buffer[] = [Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])];
  let seq = 0;
  frames.forEach((f, i) => {
    const chunks = readChunks(encodePngRgb(f));
    if (i === 0) {
      parts.push(chunk('IHDR', chunks.find((c) => c.type === 'IHDR')!.data));
      const actl = Buffer.alloc(8);
      actl.writeUInt32BE(frames.length, 0);
      actl.writeUInt32BE(0, 4); // loop forever
      parts.push(chunk('acTL', actl));
    }
    const fctl = Buffer.alloc(26);
    fctl.writeUInt32BE(seq++, 0);
    fctl.writeUInt32BE(width, 4);
    fctl.writeUInt32BE(height, 8);
    fctl.writeUInt32BE(0, 12);
    fctl.writeUInt32BE(0, 16);
    fctl.writeUInt16BE(Math.max(1, Math.round(delayMs)), 20);
    fctl.writeUInt16BE(1000, 22);
    fctl[24] = 0; // dispose: none
    fctl[25] = 0; // blend: source
    parts.push(chunk('fcTL', fctl));
    for (const c of chunks.filter((c) => c.type === 'IDAT')) {
      if (i === 0) parts.push(chunk('IDAT', c.data));
      else {
        const d = Buffer.alloc(4 + c.data.length);
        d.writeUInt32BE(seq++, 0);
        c.data.copy(d, 4);
        parts.push(chunk('fdAT', d));
      }
    }
  });
  parts.push(chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

/** Decode the first frame of a PNG/APNG (APNG readers that ignore animation show it); errors name `name`. */
export function decodeFirstFrame(buf: Buffer, name = 'PNG data'): PNG {
  return decodePng(buf, name);
}
