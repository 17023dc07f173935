import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from './rng';

test('same seed gives the same stream; different seeds differ', () => {
  const a = new Rng(42).uniformArray(100);
  const b = new Rng(42).uniformArray(100);
  const c = new Rng(43).uniformArray(100);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('forks are independent of each other and of later use of the parent', () => {
  const r = new Rng(7);
  const f1 = r.fork('dropout').uniformArray(10);
  r.uniformArray(5);
  const f2 = new Rng(7).fork('dropout').uniformArray(10);
  assert.deepEqual(f1, f2);
  assert.notDeepEqual(new Rng(7).fork('init').uniformArray(10), f1);
});

test('state round-trips: resuming from a saved state continues the stream', () => {
  const r = new Rng(3);
  r.uniformArray(17);
  const s = r.getState();
  const rest = r.uniformArray(20);
  const r2 = new Rng(0);
  r2.setState(s);
  assert.deepEqual(r2.uniformArray(20), rest);
});

test('uniform moments and normal moments are right', () => {
  const r = new Rng(1);
  const u = r.uniformArray(200000, -1, 1);
  let m = 0, v = 0;
  for (const x of u) { m += x; v += x * x; }
  m /= u.length; v = v / u.length - m * m;
  assert.ok(Math.abs(m) < 0.01, `mean ${m}`);
  assert.ok(Math.abs(v - 1 / 3) < 0.01, `var ${v}`);
  const n = r.normalArray(200000);
  m = 0; v = 0;
  for (const x of n) { m += x; v += x * x; }
  m /= n.length; v = v / n.length - m * m;
  assert.ok(Math.abs(m) < 0.01 && Math.abs(v - 1) < 0.02, `normal mean ${m} var ${v}`);
});

test('permutation is a permutation', () => {
  const p = new Rng(5).permutation(1000);
  const seen = new Set(p);
  assert.equal(seen.size, 1000);
  assert.equal(Math.min(...p), 0);
  assert.equal(Math.max(...p), 999);
});
