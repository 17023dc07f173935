import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getRays, ndcRays } from './rays';

const close = (a: ArrayLike<number>, b: number[], tol = 1e-5) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < tol, `index ${i}: ${a[i]} vs ${b[i]}`);
};

// A camera at (1, 2, 3) turned 90° about the world z axis: camera x → world y, camera y → world -x.
const pose = [0, -1, 0, 1, 1, 0, 0, 2, 0, 0, 1, 3];

test('getRays: hand-computed rays for a known pose', () => {
  const H = 4, W = 6, f = 2;
  const r = getRays(H, W, f, pose);
  assert.equal(r.n, 24);
  // Pixel (i=0, j=0): camera dir ((0-3)/2, -(0-2)/2, -1) = (-1.5, 1, -1) → world (-1, -1.5, -1).
  close(r.dirs.subarray(0, 3), [-1, -1.5, -1]);
  close(r.origins.subarray(0, 3), [1, 2, 3]);
  // Pixel (i=5, j=3) = index 23: camera (1, -0.5, -1) → world (0.5, 1, -1).
  close(r.dirs.subarray(69, 72), [0.5, 1, -1]);
  const n = Math.hypot(0.5, 1, 1);
  close(r.viewdirs.subarray(69, 72), [0.5 / n, 1 / n, -1 / n]);
  // The centre pixel (3, 2) looks straight down the camera's -z.
  const c = getRays(H, W, f, pose, [2 * W + 3]);
  close(c.dirs, [0, 0, -1]);
});

test('ndcRays: forward-facing warp by hand', () => {
  // Identity camera at the origin, H = W = 2, focal 1, near 1. Ray d = (0.5, 0, -1).
  const id = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0];
  const r = getRays(2, 2, 1, id, [3]); // pixel (1, 1): ((1-1)/1, -(1-1)/1, -1) = (0, 0, -1)
  close(r.dirs, [0, 0, -1]);
  const raw = { n: 1, origins: new Float32Array([0, 0, 0]), dirs: new Float32Array([0.5, 0, -1]), viewdirs: new Float32Array([0.5, 0, -1]) };
  const nd = ndcRays(2, 2, 1, 1, raw);
  // Shifted origin: t = 1 → o = (0.5, 0, -1). o' = (-1/(W/2f)·ox/oz, ..., 1 + 2n/oz) = (0.5, 0, -1).
  close(nd.origins, [0.5, 0, -1]);
  // d' = (-1·(dx/dz - ox/oz), 0, -2n/oz) = (-(-0.5 + 0.5), 0, 2) = (0, 0, 2)
  close(nd.dirs, [0, 0, 2]);
});
