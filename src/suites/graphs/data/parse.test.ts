/**
 * The browser-side path: the raw files' bytes (as ArrayBuffers, what a file picker or fetch gives)
 * parse to exactly the arrays of the Node loader; missing and malformed files are named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataPath, hasSharedData } from '../../../data/paths';
import { parsePlanetoidFiles, PlanetoidFileError, RAW_SUFFIXES } from './parse';
import { loadPlanetoidRaw } from './planetoid';

const raw = join(dataPath('cora'), 'raw');
const skip = !(hasSharedData('cora') && existsSync(raw)) && 'no shared Cora data';

function browserFiles(): Map<string, ArrayBuffer> {
  const m = new Map<string, ArrayBuffer>();
  for (const s of RAW_SUFFIXES) {
    const b = readFileSync(join(raw, `ind.cora.${s}`));
    m.set(`ind.cora.${s}`, b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  }
  return m;
}

test('cora: bytes parsed as in the browser give the same arrays as the Node loader', { skip }, () => {
  const got = parsePlanetoidFiles('cora', browserFiles());
  const want = loadPlanetoidRaw('cora', { dir: dataPath('cora') });
  assert.deepEqual([got.name, got.numNodes, got.numFeatures, got.numClasses], ['Cora', 2708, 1433, 7]);
  for (const k of ['y', 'src', 'dst', 'trainMask', 'valMask', 'testMask'] as const) assert.deepEqual(got[k], want[k], k);
  for (const k of ['indptr', 'indices', 'data'] as const) assert.deepEqual(got.x[k], want.x[k], `x.${k}`);
  assert.deepEqual([got.trainMask.reduce((a, b) => a + b, 0), got.valMask.reduce((a, b) => a + b, 0), got.testMask.reduce((a, b) => a + b, 0)], [140, 500, 1000]);
});

test('cora in the browser: a missing or malformed file is named (no path)', { skip }, () => {
  const files = browserFiles();
  files.delete('ind.cora.graph');
  files.delete('ind.cora.ty');
  assert.throws(() => parsePlanetoidFiles('cora', files), (e: Error) =>
    e instanceof PlanetoidFileError && /^Cora: missing raw files ind\.cora\.ty, ind\.cora\.graph\./.test(e.message) && /kimiyoung\/planetoid/.test(e.message));
  const ok = browserFiles();
  const bad = new Map(ok);
  bad.set('ind.cora.tx', ok.get('ind.cora.tx')!.slice(0, 1000));
  assert.throws(() => parsePlanetoidFiles('cora', bad), /: ind\.cora\.tx: file is truncated/);
  bad.set('ind.cora.tx', ok.get('ind.cora.tx')!);
  bad.set('ind.cora.allx', new ArrayBuffer(0));
  assert.throws(() => parsePlanetoidFiles('cora', bad), /: ind\.cora\.allx: file is empty/);
});
