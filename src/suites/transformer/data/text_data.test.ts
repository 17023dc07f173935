import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWikiText, loadWikiTextSplit, loadTextCorpus, loadTinyShakespeare } from './corpora';
import { LmDataset } from './lm_dataset';
import { hasSharedData } from '../../../data/paths';
import { Rng } from '../../../engine/rng';

const WIKI = ' \n = Valkyria Chronicles = \n \n Senjō no Valkyria is a game . \n';

test('WikiText loader reads a user folder with either file naming, and names what is missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wt-'));
  try {
    writeFileSync(join(dir, 'wiki.train.tokens'), WIKI.repeat(3));
    writeFileSync(join(dir, 'valid.txt'), WIKI);
    assert.throws(() => loadWikiText(dir), /test split not found/);
    writeFileSync(join(dir, 'test.txt'), WIKI);
    const s = loadWikiText(dir);
    assert.equal(s.train, WIKI.repeat(3));
    assert.equal(s.valid, WIKI);
    writeFileSync(join(dir, 'test.txt'), 'just words, no headings\n');
    assert.throws(() => loadWikiTextSplit('test', dir), /does not look like WikiText/);
    writeFileSync(join(dir, 'test.txt'), Buffer.from([0x20, 0xff, 0xfe, 0x0a]));
    assert.throws(() => loadWikiTextSplit('test', dir), /not valid UTF-8/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('shared WikiText-2 valid/test load; the missing train split is a clear error', { skip: !hasSharedData('text/wikitext-2') }, () => {
  const v = loadWikiTextSplit('valid');
  assert.equal(v.split('\n').length - 1, 3760); // the documented line count
  assert.throws(() => loadWikiTextSplit('train'), /valid and test only/);
});

test('plain-text corpus splits contiguously at line boundaries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-'));
  try {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n') + '\n';
    writeFileSync(join(dir, 'c.txt'), lines);
    const s = loadTextCorpus(join(dir, 'c.txt'), { valid: 0.1, test: 0.1 });
    assert.equal(s.train + s.valid + s.test, lines);
    for (const part of [s.train, s.valid, s.test]) assert.ok(part.endsWith('\n'));
    assert.ok(Math.abs(s.train.length / lines.length - 0.8) < 0.02);
    assert.throws(() => loadTextCorpus(join(dir, 'nope.txt')), /not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Tiny Shakespeare loads all 1,115,394 bytes', { skip: !hasSharedData('text/tinyshakespeare') }, () => {
  const s = loadTinyShakespeare();
  assert.equal(Buffer.byteLength(s.train + s.valid + s.test), 1115394);
  assert.ok(s.train.startsWith('First Citizen:'));
});

test('LM chunks pair each input with the next token; the stream shuffles each pass with the Rng and resumes from its state', () => {
  const ids = Int32Array.from({ length: 41 }, (_, i) => i);
  const ds = new LmDataset(ids, 8);
  assert.equal(ds.numChunks, 5);
  const b = ds.gather([2]);
  assert.deepEqual(Array.from(b.inputs), [16, 17, 18, 19, 20, 21, 22, 23]);
  assert.deepEqual(Array.from(b.targets), [17, 18, 19, 20, 21, 22, 23, 24]);
  const take = (s: ReturnType<LmDataset['stream']>, n: number) => Array.from({ length: n }, () => s.next().inputs[0]! / 8);
  const a = ds.stream(2, new Rng(1));
  assert.equal(a.batchesPerPass, 2);
  const first = take(a, 6); // three passes of two batches; chunk 4 of each pass's permutation is dropped
  assert.deepEqual(take(ds.stream(2, new Rng(1)), 6), first, 'same Rng, same batches');
  const perm = new Rng(1).permutation(5);
  assert.deepEqual(first.slice(0, 2), [perm[0], perm[2]], 'batches follow the permutation');
  for (let p = 0; p < 3; p++) assert.equal(new Set(first.slice(2 * p, 2 * p + 2)).size, 2, 'no chunk twice within a pass');
  const s1 = ds.stream(2, new Rng(1));
  take(s1, 3);
  const c = ds.stream(2, new Rng(99));
  c.setState(JSON.parse(JSON.stringify(s1.getState())));
  assert.deepEqual(take(c, 3), first.slice(3), 'a stream restored from its state continues where it stood');
  assert.throws(() => ds.stream(6, new Rng(1)), /fewer than one batch of 6/);
  const seq = [...ds.sequential(2)];
  assert.deepEqual(seq.map((x) => x.batch), [2, 2, 1]);
  assert.throws(() => new LmDataset(Int32Array.of(1, 2), 8), /fewer than one chunk/);
});
