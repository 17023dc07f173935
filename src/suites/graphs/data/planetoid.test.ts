import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlanetoidRaw, loadConvertedPlanetoid, rowNormalize, RAW_SUFFIXES, PlanetoidFileError, type PlanetoidName } from './index';
import { unpickle, PickleError } from './pickle';
import { dataPath, hasSharedData } from '../../../data/paths';

const have = (n: string) => hasSharedData(n) && existsSync(join(dataPath(n), 'raw'));

function same(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) assert.fail(`${what}[${i}]: ${a[i]} != ${b[i]}`);
}

for (const name of ['cora', 'citeseer'] as PlanetoidName[]) {
  test(`${name}: raw pickles parse to exactly the converted arrays`, { skip: !have(name) && 'no shared data' }, () => {
    const got = loadPlanetoidRaw(name, { dir: dataPath(name) });
    const want = loadConvertedPlanetoid(dataPath(name));
    assert.deepEqual([got.numNodes, got.numFeatures, got.numClasses], [want.numNodes, want.numFeatures, want.numClasses]);
    same(got.x.indptr, want.x.indptr, 'x.indptr');
    same(got.x.indices, want.x.indices, 'x.indices');
    same(got.x.data, want.x.data, 'x.data');
    same(got.y, want.y, 'y');
    same(got.src, want.src, 'edge src');
    same(got.dst, want.dst, 'edge dst');
    same(got.trainMask, want.trainMask, 'train mask');
    same(got.valMask, want.valMask, 'val mask');
    same(got.testMask, want.testMask, 'test mask');
    // invariants: undirected, no self loops, sorted unique
    const key = new Set<number>();
    for (let e = 0; e < got.src.length; e++) {
      assert.notEqual(got.src[e], got.dst[e]);
      key.add(got.src[e]! * got.numNodes + got.dst[e]!);
      if (e > 0) assert.ok(got.src[e - 1]! * got.numNodes + got.dst[e - 1]! < got.src[e]! * got.numNodes + got.dst[e]!);
    }
    for (let e = 0; e < got.src.length; e++) assert.ok(key.has(got.dst[e]! * got.numNodes + got.src[e]!));
  });
}

test('citeseer: the isolated test-range nodes get zero features, label 0 and no mask', { skip: !have('citeseer') && 'no shared data' }, () => {
  const g = loadPlanetoidRaw('citeseer', { dir: dataPath('citeseer') });
  let padded = 0;
  for (let i = 0; i < g.numNodes; i++) {
    if (g.x.indptr[i + 1] === g.x.indptr[i] && !g.trainMask[i] && !g.valMask[i] && !g.testMask[i] && i >= 2312) {
      padded++;
      assert.equal(g.y[i], 0);
    }
  }
  assert.equal(padded, 15);
  const n = rowNormalize(g.x);
  for (let i = 0; i < 50; i++) {
    let s = 0;
    for (let p = n.indptr[i]!; p < n.indptr[i + 1]!; p++) s += n.data[p]!;
    if (n.indptr[i + 1]! > n.indptr[i]!) assert.ok(Math.abs(s - 1) < 1e-5);
  }
});

test('pubmed: the missing allx is named, with where to get it', { skip: !hasSharedData('pubmed') && 'no shared data' }, () => {
  assert.throws(() => loadPlanetoidRaw('pubmed', { dir: dataPath('pubmed') }), (e: Error) => {
    assert.ok(e instanceof PlanetoidFileError);
    assert.match(e.message, /ind\.pubmed\.allx/);
    assert.match(e.message, /https:\/\/github\.com\/kimiyoung\/planetoid\/raw\/master\/data\/ind\.pubmed\.allx/);
    assert.match(e.message, /3b86bccf08111c37c632a9dd8ab63db25ea76361/);
    assert.doesNotMatch(e.message, /ind\.pubmed\.tx/);
    return true;
  });
});

test('a truncated or wrong raw file fails with an error naming it', { skip: !have('cora') && 'no shared data' }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'planetoid-'));
  try {
    const raw = join(dataPath('cora'), 'raw');
    for (const s of RAW_SUFFIXES) copyFileSync(join(raw, `ind.cora.${s}`), join(tmp, `ind.cora.${s}`));
    const tx = readFileSync(join(raw, 'ind.cora.tx'));
    writeFileSync(join(tmp, 'ind.cora.tx'), tx.subarray(0, Math.floor(tx.length / 2)));
    assert.throws(() => loadPlanetoidRaw('cora', { dir: tmp }), /ind\.cora\.tx.*truncated/);
    copyFileSync(join(raw, 'ind.cora.tx'), join(tmp, 'ind.cora.tx'));
    copyFileSync(join(raw, 'ind.cora.ty'), join(tmp, 'ind.cora.graph')); // a numpy array where the dict belongs
    assert.throws(() => loadPlanetoidRaw('cora', { dir: tmp }), /ind\.cora\.graph: expected a dict/);
    copyFileSync(join(raw, 'ind.cora.graph'), join(tmp, 'ind.cora.graph'));
    writeFileSync(join(tmp, 'ind.cora.allx'), 'not a pickle\n');
    assert.throws(() => loadPlanetoidRaw('cora', { dir: tmp }), /ind\.cora\.allx/);
    writeFileSync(join(tmp, 'ind.cora.allx'), '');
    assert.throws(() => loadPlanetoidRaw('cora', { dir: tmp }), /ind\.cora\.allx: file is empty/);
    copyFileSync(join(raw, 'ind.cora.allx'), join(tmp, 'ind.cora.allx'));
    writeFileSync(join(tmp, 'ind.cora.test.index'), '12\nabc\n');
    assert.throws(() => loadPlanetoidRaw('cora', { dir: tmp }), /ind\.cora\.test\.index: line 2/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('the pickle reader refuses globals outside numpy/scipy/dict', () => {
  // protocol 2: GLOBAL 'os system', STOP
  const evil = new Uint8Array([0x80, 0x02, ...Buffer.from('cos\nsystem\n'), 0x2e]);
  assert.throws(() => unpickle(evil, 'evil.pkl'), (e: Error) => e instanceof PickleError && /evil\.pkl: refusing to load global 'os\.system'/.test(e.message));
  // a small dict {1: [2, 3]}: PROTO 2, EMPTY_DICT, BININT1 1, EMPTY_LIST, MARK, BININT1 2, BININT1 3, APPENDS, SETITEM, STOP
  const d = unpickle(new Uint8Array([0x80, 2, 0x7d, 0x4b, 1, 0x5d, 0x28, 0x4b, 2, 0x4b, 3, 0x65, 0x73, 0x2e]));
  assert.ok(d instanceof Map);
  assert.deepEqual((d as Map<unknown, unknown>).get(1), [2, 3]);
});
