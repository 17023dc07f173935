/**
 * The playground's Cora task in Node (the worker runs the same code): parsed from bytes, a GCN per
 * method learns well above chance (1/7) in 40 epochs, DFA's signal aligns with BP's
 * gradient, and every method starts from the same weights.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parsePlanetoidFiles, RAW_SUFFIXES } from '../suites/graphs/data/parse';
import { dataPath, hasSharedData } from '../data/paths';
import { CoraSession } from './cora';
import { decodeSettings, encodeSettings } from './settings';

const raw = join(dataPath('cora'), 'raw');
const skip = !(hasSharedData('cora') && existsSync(raw)) && 'no shared Cora data';

test('settings: task=cora defaults to the paper GCN and round-trips through the URL', () => {
  const { settings, warnings } = decodeSettings('task=cora&methods=bp,dfa');
  assert.deepEqual(warnings, []);
  assert.deepEqual([settings.task, settings.depth, settings.width, settings.activation, settings.lr, settings.steps], ['cora', 1, 16, 'relu', 0.01, 200]);
  assert.deepEqual(decodeSettings(encodeSettings({ ...settings, depth: 2, seed: 9 })).settings, { ...settings, depth: 2, seed: 9 });
});

test('cora: GCNs trained with BP, DFA and FA learn; DFA aligns', { skip, timeout: 120_000 }, async () => {
  const files = new Map(RAW_SUFFIXES.map((s) => [`ind.cora.${s}`, new Uint8Array(readFileSync(join(raw, `ind.cora.${s}`)))] as const));
  const data = parsePlanetoidFiles('cora', files);
  const before = tf.memory().numTensors;
  const s = new CoraSession({ ...decodeSettings('task=cora&methods=bp,dfa,fa').settings, seed: 3 }, data);
  try {
    assert.match(s.describe(), /^Cora: 2708 nodes, 5278 edges, 1433 features, 7 classes; public split 140 train \/ 500 val \/ 1000 test$/);
    const w0 = s.runs.map((r) => r.model.convs[0]!.params()[0]!.dataSync().slice(0, 5).join());
    assert.ok(w0.every((w) => w === w0[0]), 'every method starts from the same weights');
    const e0 = s.runs[0]!.evaluate();
    s.stepAll();
    const n1 = tf.memory().numTensors;
    for (let i = 1; i < 40; i++) s.stepAll();
    assert.equal(tf.memory().numTensors, n1, 'training steps leak no tensors');
    const ev = Object.fromEntries(s.runs.map((r) => [r.method, r.evaluate()]));
    const al = await s.runs.find((r) => r.method === 'dfa')!.alignment();
    console.log(`# cora 40 epochs: ${Object.entries(ev).map(([m, e]) => `${m} test ${(100 * e.testMetric).toFixed(1)}% val ${(100 * e.valMetric!).toFixed(1)}%`).join(', ')}; dfa alignment ${al.map((a) => a.mean.toFixed(2))}`);
    assert.ok(e0.testMetric < 0.35, `untrained test accuracy ${e0.testMetric}`);
    for (const m of ['bp', 'dfa', 'fa']) {
      assert.ok(ev[m]!.testMetric > 0.6, `${m}: test accuracy ${ev[m]!.testMetric} after 40 epochs`);
      assert.ok(ev[m]!.loss < e0.loss, `${m}: training loss did not fall`);
    }
    assert.deepEqual(al.map((a) => a.name), ['h1']);
    assert.ok(al[0]!.mean > 0.1, `DFA alignment ${al[0]!.mean}`);
    const emb = s.runs[1]!.embedding();
    assert.equal(emb.coords.length, 2 * 2708);
    assert.ok(emb.coords.every((v) => Number.isFinite(v) && Math.abs(v) <= 1));
  } finally {
    s.dispose();
  }
  assert.equal(tf.memory().numTensors, before, 'the session leaks no tensors');
});
