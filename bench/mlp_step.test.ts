import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMlpStep } from './mlp_step';

// Same seed, same backend: identical numbers (weights after a few optimizer steps, bit for bit).
for (const method of ['bp', 'dfa', 'fa', 'shallow']) {
  test(`${method}: the benchmarked step is deterministic and learns`, () => {
    const run = (seed: number) => {
      const s = makeMlpStep(2, method, 'adam', seed, 16, 32);
      const w0 = s.weights();
      for (let i = 0; i < 3; i++) s.step();
      const w = s.weights();
      s.dispose();
      return { w0, w };
    };
    const a = run(1), b = run(1), c = run(2);
    assert.deepEqual(a.w, b.w);
    assert.notDeepEqual(a.w, c.w);
    const changed = a.w.map((w, i) => w.some((x, j) => x !== a.w0[i]![j]));
    const hiddenChanged = changed.slice(0, 4).some(Boolean);
    assert.equal(hiddenChanged, method !== 'shallow', `hidden layers ${hiddenChanged ? 'changed' : 'unchanged'} under ${method}`);
    assert.ok(changed[changed.length - 1], 'the output layer learns');
  });
}
