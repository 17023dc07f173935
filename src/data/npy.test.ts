import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNpy } from './npy';

test('parseNpy: a hand-built v1 float64 file, and clear errors on truncation', () => {
  const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
  const pad = 64 - ((10 + header.length + 1) % 64);
  const h = header + ' '.repeat(pad) + '\n';
  const buf = new Uint8Array(10 + h.length + 48);
  buf.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8]);
  buf.set(new TextEncoder().encode(h), 10);
  new Float64Array(buf.buffer, 10 + h.length, 6).set([1, 2, 3, 4.5, -5, 6]);
  const a = parseNpy(buf);
  assert.deepEqual(a.shape, [2, 3]);
  assert.deepEqual(Array.from(a.data), [1, 2, 3, 4.5, -5, 6]);
  assert.throws(() => parseNpy(buf.subarray(0, buf.length - 8)), /truncated/);
  assert.throws(() => parseNpy(new Uint8Array(20)), /magic/);
});
