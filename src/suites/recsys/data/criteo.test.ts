import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedData, sharedDataDir } from '../../../data/paths';
import { withTempDir } from '../../../../test/helpers';
import {
  convertNumericFeature, parseCriteoLine, CriteoFormatError, readCriteoTsv, FieldCounter, Vocabulary,
  loadCriteo, iterateBatches, splitOf, SyntheticCriteo, buildCache, NUM_FIELDS, MemoryRowSource, writeSyntheticTsv,
} from './index';

const line = (label: string, ints: string[], cats: string[]) => [label, ...ints, ...cats].join('\t');
const INTS = ['1', '', '5', '0', '1382', '-1', '2', '3', '', '', '', '', '7'];
const CATS = Array.from({ length: 26 }, (_, i) => (i === 3 ? '' : (0x68fd1e64 + i).toString(16)));

test('convertNumericFeature: torchfm log buckets, small values shifted, missing', () => {
  assert.equal(convertNumericFeature(''), 'NULL');
  assert.equal(convertNumericFeature('3'), '1'); // ln(3)² = 1.207
  assert.equal(convertNumericFeature('1382'), '52'); // ln(1382)² = 52.29
  assert.equal(convertNumericFeature('2'), '0');
  assert.equal(convertNumericFeature('1'), '-1');
  assert.equal(convertNumericFeature('0'), '-2');
  assert.equal(convertNumericFeature('-1'), '-3');
});

test('parseCriteoLine: fields, missing values, label', () => {
  const r = parseCriteoLine(line('1', INTS, CATS), 1);
  assert.equal(r.label, 1);
  assert.equal(r.tokens.length, NUM_FIELDS);
  assert.deepEqual(r.tokens.slice(0, 13), ['-1', 'NULL', '2', '-2', '52', '-3', '0', '1', 'NULL', 'NULL', 'NULL', 'NULL', '3']);
  assert.equal(r.tokens[13], '68fd1e64');
  assert.equal(r.tokens[13 + 3], ''); // missing categorical = the empty token
  assert.throws(() => parseCriteoLine(line('2', INTS, CATS), 7, 'f.tsv'), /f\.tsv:7: .*label must be 0 or 1/);
  assert.throws(() => parseCriteoLine(line('0', INTS.slice(1), CATS), 3), /:3: .*expected 40 tab-separated fields, got 39/);
  assert.throws(() => parseCriteoLine(line('0', ['x', ...INTS.slice(1)], CATS), 4), /I1 must be an integer/);
});

test('Vocabulary: count >= minCount keeps a token, rarer ones share the OOV index', () => {
  const c = new FieldCounter();
  const toks = (a: string) => Array.from({ length: NUM_FIELDS }, (_, f) => (f === 0 ? a : 'z'));
  for (let i = 0; i < 10; i++) c.add(toks('often'));
  for (let i = 0; i < 9; i++) c.add(toks('rare'));
  for (let i = 0; i < 12; i++) c.add(toks('second'));
  const v = Vocabulary.fromCounts(c, 10);
  assert.equal(v.fieldDims[0], 3); // often, second, OOV
  assert.equal(v.index(0, 'often'), 0);
  assert.equal(v.index(0, 'second'), 1);
  assert.equal(v.index(0, 'rare'), 2);
  assert.equal(v.index(0, 'never-seen'), 2);
  assert.equal(v.fieldDims[1], 2); // 'z' (31 times) + OOV
});

test('split: reproducible, about 80/10/10', () => {
  const n = 50000;
  const c = { train: 0, val: 0, test: 0 };
  for (let i = 0; i < n; i++) c[splitOf(3, i)]++;
  assert.ok(Math.abs(c.train / n - 0.8) < 0.01 && Math.abs(c.val / n - 0.1) < 0.01, JSON.stringify(c));
  assert.equal(splitOf(3, 1234), splitOf(3, 1234));
  let diff = 0;
  for (let i = 0; i < 1000; i++) diff += splitOf(3, i) !== splitOf(4, i) ? 1 : 0;
  assert.ok(diff > 100, 'another seed gives another split');
});

test('malformed lines: reported with their line number, skipped or rejected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'criteo-'));
  try {
    const good = line('0', INTS, CATS);
    const f = join(dir, 'bad.tsv');
    writeFileSync(f, [good, good, 'garbage\tline', good, ''].join('\n'));
    const seen: number[] = [];
    const recs = [];
    for await (const r of readCriteoTsv(f, { malformed: 'skip', onMalformed: (e) => seen.push(e.lineNo) })) recs.push(r);
    assert.equal(recs.length, 3);
    assert.deepEqual(seen, [3]);
    await assert.rejects(async () => { for await (const _ of readCriteoTsv(f, { malformed: 'error' })) void _; },
      (e: unknown) => e instanceof CriteoFormatError && e.lineNo === 3 && /bad\.tsv:3:/.test(e.message));
    // and through the cache builder: the meta records it; 'error' refuses to build
    const d = await loadCriteo(f, { cacheDir: dir, onMalformed: () => {} });
    assert.equal(d.meta.numRows, 3);
    assert.deepEqual(d.meta.malformed.first.map((m) => m.line), [3]);
    await assert.rejects(loadCriteo(f, { cacheDir: dir, malformed: 'error' }), /bad\.tsv:3:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('synthetic generator: reproducible ranges, TSV round trip through the cache, known positive rate', async () => {
  const g = new SyntheticCriteo({ seed: 5 });
  const a = [...g.rows(0, 5000)];
  const b = [...new SyntheticCriteo({ seed: 5 }).rows(4090, 10)];
  assert.deepEqual(b.map((r) => r.line), a.slice(4090, 4100).map((r) => r.line));
  for (const r of a.slice(0, 50)) assert.deepEqual(parseCriteoLine(r.line, 1).tokens, r.tokens);
  const rate = a.reduce((s, r) => s + r.label, 0) / a.length;
  assert.ok(rate > 0.12 && rate < 0.45, `positive rate ${rate}`);
  const dir = mkdtempSync(join(tmpdir(), 'criteo-'));
  try {
    const f = join(dir, 'synth.tsv');
    writeSyntheticTsv(f, 3000, { seed: 5 });
    const d = await loadCriteo(f, { cacheDir: dir });
    assert.equal(d.meta.numRows, 3000);
    const d2 = await buildCache(join(dir, 'mem'), () => g.rows(0, 3000), { sourceName: 'synthetic' });
    assert.deepEqual(d2.meta.fieldDims, d.meta.fieldDims);
    const s1 = d.open(), s2 = d2.open();
    assert.deepEqual(s1.read(0, 3000), s2.read(0, 3000));
    s1.close(); s2.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('iterateBatches: covers the split once, seeded shuffle, bounded chunks', () => {
  const n = 1000;
  const rows = new Int32Array(n * 40);
  for (let i = 0; i < n; i++) { rows[i * 40] = i % 2; rows[i * 40 + 1] = i; }
  const src = new MemoryRowSource(rows, Array(NUM_FIELDS).fill(n));
  const ids = (shuffle: boolean, seed: number) => {
    const out: number[] = [];
    for (const b of iterateBatches(src, { batchSize: 64, split: 'train', shuffle, rng: new (require_rng())(seed), chunkRows: 300 })) {
      for (let i = 0; i < b.size; i++) out.push(b.x[i * NUM_FIELDS]!);
    }
    return out;
  };
  const plain = ids(false, 0);
  const expect = Array.from({ length: n }, (_, i) => i).filter((i) => splitOf(0, i) === 'train');
  assert.deepEqual(plain, expect);
  const sh = ids(true, 1);
  assert.notDeepEqual(sh, expect);
  assert.deepEqual([...sh].sort((a, b) => a - b), expect);
  assert.deepEqual(ids(true, 1), sh);
});

import { Rng } from '../../../engine/rng';
function require_rng() { return Rng; }

test('real sample: 9,999 rows parse, cache is reused, dims within torchfm bounds', { skip: !hasSharedData('criteo') }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'criteo-'));
  try {
    const f = join(sharedDataDir(), 'criteo', 'criteo_sample_9999.tsv');
    const d = await loadCriteo(f, { cacheDir: dir, malformed: 'error' });
    assert.equal(d.cached, false);
    assert.equal(d.meta.numRows, 9999);
    const meta = JSON.parse(readFileSync(join(sharedDataDir(), 'criteo', 'meta.json'), 'utf8'));
    assert.equal(d.meta.positives, meta.positives);
    assert.equal(d.meta.fieldDims.length, 39);
    for (const dim of d.meta.fieldDims) assert.ok(dim >= 1 && dim <= 1000);
    const again = await loadCriteo(f, { cacheDir: dir });
    assert.equal(again.cached, true);
    assert.deepEqual(again.meta.fieldDims, d.meta.fieldDims);
    const src = again.open();
    const r = src.read(0, 1);
    assert.equal(r[0], 0); // the first row's label
    for (let fi = 0; fi < 39; fi++) assert.ok(r[1 + fi]! >= 0 && r[1 + fi]! < d.meta.fieldDims[fi]!);
    src.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { U32CountTable, hex8 } from './count_table';
test('U32CountTable: exact counts through growth; hex tokens parsed', () => {
  const t = new U32CountTable(4);
  const ref = new Map<number, number>();
  let s = 7;
  for (let i = 0; i < 20000; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const k = s % 3000 === 0 ? 0 : (s >>> 3) % 5000 + (s & 1 ? 0xffff0000 : 0);
    t.add(k);
    ref.set(k, (ref.get(k) ?? 0) + 1);
  }
  assert.equal(t.size, ref.size);
  for (const [k, n] of ref) assert.equal(t.get(k), n);
  assert.equal([...t.entries()].reduce((a, [, n]) => a + n, 0), 20000);
  assert.equal(hex8('68fd1e64'), 0x68fd1e64);
  assert.equal(hex8('ffffffff'), 0xffffffff);
  assert.equal(hex8('68FD1E64'), -1);
  assert.equal(hex8(''), -1);
});

test('the cache is keyed by content: a same-size rewrite with its time restored is rebuilt; an unchanged file is reused', () => withTempDir(async (dir) => {
  const f = join(dir, 'rows.tsv');
  writeSyntheticTsv(f, 400, { seed: 2 });
  const mtime = new Date('2024-05-01T12:00:00Z');
  utimesSync(f, mtime, mtime);
  const first = await loadCriteo(f, { cacheDir: dir });
  const { size } = statSync(f);
  assert.equal((await loadCriteo(f, { cacheDir: dir })).cached, true, 'unchanged: reused');
  // every label flipped: same bytes count, other rows; then the old modification time put back
  const flipped = readFileSync(f, 'utf8').split('\n').map((l) => (l ? (l[0] === '0' ? '1' : '0') + l.slice(1) : l)).join('\n');
  writeFileSync(f, flipped);
  utimesSync(f, mtime, mtime);
  assert.equal(statSync(f).size, size);
  assert.equal(statSync(f).mtimeMs, mtime.getTime());
  const second = await loadCriteo(f, { cacheDir: dir });
  assert.equal(second.cached, false, 'rebuilt');
  assert.equal(second.meta.positives, 400 - first.meta.positives);
  assert.notEqual(second.meta.sourceSha256, first.meta.sourceSha256);
  assert.notEqual(second.dir, first.dir);
  // a run planned on the old content refuses the new one by name
  await assert.rejects(loadCriteo(f, { cacheDir: dir, expectSha256: first.meta.sourceSha256 }), /rows\.tsv is not the data the run was planned with: its content changed/);
}));

test('a Criteo file without one valid row is named, with its first bad line (not an AUC error later)', () => withTempDir(async (dir) => {
  const f = join(dir, 'allbad.tsv');
  writeFileSync(f, 'garbage\nmore garbage\n1\t2\n');
  await assert.rejects(loadCriteo(f, { cacheDir: dir, onMalformed: () => {} }),
    /allbad\.tsv: no valid Criteo rows \(all 3 non-blank lines are malformed; line 1: expected 40 tab-separated fields, got 1\)/);
  await assert.rejects(loadCriteo(join(dir, 'empty.tsv'), { cacheDir: dir }), /Criteo file not found/);
  writeFileSync(join(dir, 'empty.tsv'), '\n');
  await assert.rejects(loadCriteo(join(dir, 'empty.tsv'), { cacheDir: dir }), /empty\.tsv: no valid Criteo rows \(it is empty\)/);
}));

test('a damaged cache: a broken meta.json is rebuilt, an index past its table names rows.i32', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'criteo-damaged-'));
  try {
    const lines = Array.from({ length: 30 }, (_, i) => line(String(i % 2), INTS, CATS.map((c, j) => (j === i % 26 ? '' : c))));
    const records = () => lines.map((l, i) => parseCriteoLine(l, i + 1, 'rows.tsv'));
    const first = await buildCache(dir, records, { sourceName: 'rows.tsv', minCount: 2 });
    const rows = first.open().read(0, 30);
    writeFileSync(join(dir, 'meta.json'), readFileSync(join(dir, 'meta.json'), 'utf8').slice(0, 40)); // a kill mid-write (before writes were atomic)
    const logs: string[] = [];
    const again = await buildCache(dir, records, { sourceName: 'rows.tsv', minCount: 2, log: (m) => logs.push(m) });
    assert.equal(again.cached, false);
    assert.match(logs[0]!, /meta\.json is damaged \(not valid JSON/);
    assert.deepEqual(again.open().read(0, 30), rows);
    // a flipped byte in rows.i32 (same size, so the meta still fits): refused when read, naming the file
    const bytes = readFileSync(join(dir, 'rows.i32'));
    bytes.writeInt32LE(1 << 20, (40 * 7 + 5) * 4);
    writeFileSync(join(dir, 'rows.i32'), bytes);
    const damaged = await buildCache(dir, records, { sourceName: 'rows.tsv', minCount: 2 });
    assert.equal(damaged.cached, true);
    assert.throws(() => damaged.open().read(0, 30), /rows\.i32: row 7: I5 index 1048576 outside \[0, \d+\) \(the field sizes in .*meta\.json\): the cache is damaged; delete .* to rebuild it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
