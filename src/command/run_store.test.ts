import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withTempDir } from '../../test/helpers';
import { RunStore } from './run_store';

test('RunStore: a stored run is reused only with equal params, leaving out the keys that place its files', () => withTempDir((dir) => {
  const store = new RunStore(dir, 't');
  const spec = { id: 'lego/bp/seed0', params: { iters: 10, modelDir: '/a/lego-bp-seed0' }, outputParams: ['modelDir'] };
  store.save(spec, { ok: true, result: 1 }, 1);
  assert.ok(store.load({ ...spec, params: { iters: 10, modelDir: '/elsewhere/lego-bp-seed0' } }), 'another model folder is the same run');
  assert.equal(store.load({ ...spec, params: { iters: 11, modelDir: '/a/lego-bp-seed0' } }), null, 'another setting is another run');
  assert.equal(store.load({ id: spec.id, params: { iters: 10, modelDir: '/elsewhere' } }), null, 'without outputParams every key counts');
}));
