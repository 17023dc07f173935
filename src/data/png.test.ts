import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, encodePngRgb, readPngRgb } from './png';

test('readPngRgb: a damaged width or height is refused, naming the file, before anything is allocated', () => {
  const dir = mkdtempSync(join(tmpdir(), 'png-'));
  try {
    const good = encodePngRgb({ width: 3, height: 2, data: new Float32Array(18).fill(0.5) });
    const p = join(dir, 'img.png');
    writeFileSync(p, good);
    const img = readPngRgb(p);
    assert.deepEqual([img.width, img.height, img.data[0]], [3, 2, Math.fround(128 / 255)]);
    const withSize = (w: number, h: number) => {
      const b = Buffer.from(good);
      b.writeUInt32BE(w, 16);
      b.writeUInt32BE(h, 20);
      b.writeUInt32BE(crc32(b.subarray(12, 29)), 29); // a valid CRC: the decoder itself would trust these
      return b;
    };
    // 20000×20000 with a valid CRC made pngjs allocate 1.6 GB; now the compressed size bounds it
    writeFileSync(p, withSize(20000, 20000));
    assert.throws(() => readPngRgb(p), /img\.png: \d+×\d+ pixels is more than this reader takes|img\.png: damaged PNG: 20000×20000 needs/);
    writeFileSync(p, withSize(5000, 3));
    assert.throws(() => readPngRgb(p), /img\.png: damaged PNG: 5000×3 needs \d+ bytes of image data, more than its \d+ compressed bytes can hold/);
    writeFileSync(p, withSize(0, 2));
    assert.throws(() => readPngRgb(p), /img\.png: damaged PNG: size 0×2/);
    writeFileSync(p, good.subarray(0, 40));
    assert.throws(() => readPngRgb(p), /img\.png: truncated .*PNG/);
    writeFileSync(p, '');
    assert.throws(() => readPngRgb(p), /img\.png: the file is empty/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
