import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync as zlibSync } from 'node:zlib';
import { crc32, decodeFirstFrame, encodeApng, readChunks } from './apng';

test('crc32 of "IEND" is the PNG constant', () => {
  assert.equal(crc32(Buffer.from('IEND', 'ascii')), 0xae426082);
});

test('encodeApng: valid chunk sequence, frame count, first frame decodes, fdAT frames hold the others', () => {
  const mk = (v: number) => ({ width: 3, height: 2, data: new Float32Array(18).fill(v) });
  const apng = encodeApng([mk(0), mk(0.5), mk(1)], 50);
  const chunks = readChunks(apng);
  assert.deepEqual(chunks.map((c) => c.type), ['IHDR', 'acTL', 'fcTL', 'IDAT', 'fcTL', 'fdAT', 'fcTL', 'fdAT', 'IEND']);
  assert.equal(chunks[1]!.data.readUInt32BE(0), 3);
  // fcTL/fdAT sequence numbers run 0..4 without gaps.
  const seqs = chunks.filter((c) => c.type === 'fcTL' || c.type === 'fdAT').map((c) => c.data.readUInt32BE(0));
  assert.deepEqual(seqs, [0, 1, 2, 3, 4]);
  const first = decodeFirstFrame(apng);
  assert.equal(first.width, 3);
  assert.equal(first.data[0], 0);
  // The last fdAT decompresses to rows of filter byte + RGBA 255s.
  const raw = zlibSync(chunks[7]!.data.subarray(4));
  assert.equal(raw.length, 2 * (1 + 3 * 4));
  assert.equal(raw[1], 255);
});
