import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { ACTIVATIONS as NN_ACTIVATIONS } from '../nn/activations';
import { pca2 } from './pca';
import { readRun } from './runs';
import { PlaygroundSession } from './session';
import { METHODS } from '../feedback/methods';
import { PROJECTIONS } from '../feedback/projection';
import { ACTIVATIONS, DEFAULT_SETTINGS, decodeSettings, encodeSettings, signalLabel, signalOf } from './settings';
import { TOY_TASKS, toyData } from './toy';

test('settings: the URL encoding round-trips, and bad values fall back with a warning', () => {
  const s = { ...DEFAULT_SETTINGS, task: 'xor' as const, depth: 3, width: 17, activation: 'relu' as const, methods: ['dfa' as const, 'shallow' as const], seed: 42, lr: 0.003, batch: 8, steps: 77, noise: 0.2, optimizer: 'sgd' as const };
  const enc = encodeSettings(s);
  assert.deepEqual(decodeSettings(enc), { settings: s, warnings: [] });
  assert.deepEqual(decodeSettings('#' + enc).settings, s);
  const { settings, warnings } = decodeSettings('task=moons&depth=99&lr=-1&methods=bp,xx&width=8&bogus=1');
  assert.equal(settings.task, DEFAULT_SETTINGS.task);
  assert.equal(settings.depth, DEFAULT_SETTINGS.depth);
  assert.equal(settings.lr, DEFAULT_SETTINGS.lr);
  assert.deepEqual(settings.methods, DEFAULT_SETTINGS.methods);
  assert.equal(settings.width, 8);
  assert.equal(warnings.length, 5, warnings.join('\n'));
  assert.match(warnings.join('\n'), /task=moons: expected one of spirals, circles, xor, teacher/);
  // the page's copy of the activation names is the library's list
  assert.deepEqual([...ACTIVATIONS], [...NN_ACTIVATIONS]);
});

test('settings: every method and the direct signal (projection, density, error bits, noise) round-trip; bad values and drtp on the teacher are refused', () => {
  const s = { ...DEFAULT_SETTINGS, methods: [...METHODS], projection: 'sparse' as const, density: 0.25, errorBits: 4 as const, signalNoise: 0.1 };
  assert.deepEqual(decodeSettings(encodeSettings(s)), { settings: s, warnings: [] });
  for (const p of PROJECTIONS) assert.equal(decodeSettings(`projection=${p}`).settings.projection, p);
  const bad = decodeSettings('projection=fourier&density=0&errorBits=3&signalNoise=2');
  assert.equal(bad.settings.projection, 'dense');
  assert.equal(bad.settings.density, DEFAULT_SETTINGS.density);
  assert.equal(bad.settings.errorBits, 0);
  assert.equal(bad.settings.signalNoise, 0);
  assert.equal(bad.warnings.length, 4, bad.warnings.join('\n'));
  assert.match(bad.warnings.join('\n'), /projection=fourier: expected one of dense, gaussian, ternary, binary, sparse, structured/);
  assert.match(bad.warnings.join('\n'), /errorBits=3: expected one of 0, 1, 2, 4, 8/);
  const t = decodeSettings('task=teacher&methods=bp,drtp,usf');
  assert.deepEqual(t.settings.methods, ['bp', 'usf']);
  assert.match(t.warnings.join('\n'), /drtp is undefined for the teacher regression/);
  // the signal options reach the direct methods only, and only where they differ from the defaults
  assert.equal(signalOf(DEFAULT_SETTINGS, 'dfa'), undefined);
  assert.deepEqual(signalOf(s, 'dfa'), { projection: 'sparse', density: 0.25, errorBits: 4, noise: 0.1 });
  assert.deepEqual(signalOf(s, 'drtp'), signalOf(s, 'dfa'));
  for (const m of ['bp', 'fa', 'usf', 'brsf', 'frsf', 'shallow'] as const) assert.equal(signalOf(s, m), undefined, m);
  assert.equal(signalLabel(s, 'dfa'), 'sparse 0.25, 4-bit error, noise 0.1');
  assert.equal(signalLabel({ ...DEFAULT_SETTINGS, projection: 'ternary' }, 'dfa'), 'ternary');
});

test('session: every method trains spirals side by side, the direct ones through the projection chosen; the sign-symmetric ones align', async () => {
  const settings = { ...DEFAULT_SETTINGS, task: 'spirals' as const, n: 150, width: 16, lr: 0.03, batch: 50, methods: [...METHODS], projection: 'ternary' as const, errorBits: 1 as const };
  const s = new PlaygroundSession(settings);
  const dense = new PlaygroundSession({ ...settings, methods: ['dfa'], projection: 'dense', errorBits: 0 });
  try {
    const byMethod = new Map(s.runs.map((r) => [r.method, r]));
    assert.deepEqual([...byMethod.keys()], [...METHODS]);
    assert.equal(byMethod.get('dfa')!.fb.projection.kind, 'ternary');
    assert.equal(byMethod.get('drtp')!.fb.projection.kind, 'ternary');
    assert.deepEqual(byMethod.get('dfa')!.fb.describe(), { projection: 'ternary', errorBits: 1 });
    assert.deepEqual(byMethod.get('usf')!.fb.describe(), {});
    const first = s.stepAll();
    for (const l of first) assert.equal(l, first[0], 'same weights and batch: the same first loss');
    const d0 = dense.stepAll()[0]!;
    assert.equal(d0, first[0]);
    for (let i = 0; i < 40; i++) {
      s.stepAll();
      dense.stepAll();
    }
    // the ternary 1-bit signal is another signal than the dense full-precision one
    assert.notDeepEqual(byMethod.get('dfa')!.model.hidden[0]!.W.dataSync(), dense.runs[0]!.model.hidden[0]!.W.dataSync());
    const chance = Math.log(3);
    for (const r of s.runs) {
      const e = r.evaluate();
      assert.ok(Number.isFinite(e.loss), `${r.method}: loss ${e.loss}`);
      if (r.method !== 'shallow') assert.ok(e.loss < chance, `${r.method}: loss ${e.loss} after 41 steps, chance ${chance.toFixed(2)}`);
    }
    for (const m of ['usf', 'frsf', 'brsf'] as const) {
      const al = await byMethod.get(m)!.alignment();
      assert.deepEqual(al.map((a) => a.name), ['h1', 'h2']);
      assert.ok(al.every((a) => a.mean > 0), `${m} should align with BP: ${JSON.stringify(al)}`);
    }
  } finally {
    s.dispose();
    dense.dispose();
  }
});

test('toy data: seeded, sized, labelled as specified', () => {
  for (const t of TOY_TASKS) {
    const a = toyData(t, 90, 0.05, new Rng(3));
    const b = toyData(t, 90, 0.05, new Rng(3));
    assert.deepEqual(a, b, `${t} is not deterministic`);
    assert.equal(a.x.length, 180);
    assert.ok(a.x.every((v) => Math.abs(v) < 3), `${t} leaves [-3, 3]`);
    if (t === 'teacher') {
      assert.equal(a.classes, 0);
      const mean = a.target.reduce((p, v) => p + v, 0) / 90;
      assert.ok(Math.abs(mean) < 1e-5, 'targets are standardised');
    } else {
      const counts = new Array(a.classes).fill(0);
      for (const y of a.y) counts[y]++;
      assert.ok(counts.every((c) => c >= 90 / a.classes - 1), `${t} classes unbalanced: ${counts}`);
    }
  }
  // xor: the label is the sign of x·y (noise 0)
  const x = toyData('xor', 200, 0, new Rng(1));
  for (let i = 0; i < 200; i++) assert.equal(x.y[i], x.x[2 * i]! * x.x[2 * i + 1]! > 0 ? 1 : 0);
  // circles: class 0 inside radius 1, class 1 outside 1.5 (noise 0)
  const c = toyData('circles', 200, 0, new Rng(1));
  for (let i = 0; i < 200; i++) {
    const r = Math.hypot(c.x[2 * i]!, c.x[2 * i + 1]!);
    assert.ok(c.y[i] === 0 ? r <= 1 : r >= 1.5);
  }
});

test('pca2: recovers the axes of an anisotropic cloud and their variances', () => {
  // points along u = (1,1,0)/√2 with std 3, along v = (0,0,1) with std 1, plus a tiny third direction
  const rng = new Rng(7);
  const n = 4000;
  const X = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = 3 * rng.normal(), b = rng.normal(), c = 0.1 * rng.normal();
    X[3 * i] = a / Math.SQRT2 + c / Math.SQRT2;
    X[3 * i + 1] = a / Math.SQRT2 - c / Math.SQRT2;
    X[3 * i + 2] = b + 5;
  }
  const p = pca2(X, n, 3);
  assert.ok(Math.abs(p.variance[0] - 9) < 0.5, `var0 ${p.variance[0]}`);
  assert.ok(Math.abs(p.variance[1] - 1) < 0.1, `var1 ${p.variance[1]}`);
  assert.ok(p.explained > 0.99);
  // first coordinate ∝ the u component a, second the v component b (sign fixed: largest loading positive)
  const corr = (k: number, f: (i: number) => number) => {
    let sxy = 0, sxx = 0, syy = 0, mx = 0, my = 0;
    for (let i = 0; i < n; i++) { mx += p.coords[2 * i + k]! / n; my += f(i) / n; }
    for (let i = 0; i < n; i++) {
      const dx = p.coords[2 * i + k]! - mx, dy = f(i) - my;
      sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
    }
    return sxy / Math.sqrt(sxx * syy);
  };
  assert.ok(Math.abs(corr(0, (i) => X[3 * i]! + X[3 * i + 1]!)) > 0.999);
  assert.ok(Math.abs(corr(1, (i) => X[3 * i + 2]!)) > 0.999);
  // loading of x on axis 1 (the largest) is positive: coords[0] grows with x0 + x1
  assert.ok(corr(0, (i) => X[3 * i]! + X[3 * i + 1]!) > 0);
  assert.throws(() => pca2(new Float64Array(5), 2, 3), /5 values is not 2 points × 3 dims/);
});

test('session: methods share data, initial weights and batches; bp learns xor, shallow trains only the top layer', async () => {
  const s = new PlaygroundSession({ ...DEFAULT_SETTINGS, task: 'xor', n: 200, width: 16, lr: 0.03, batch: 50, methods: ['bp', 'dfa', 'shallow'] });
  try {
    const [bp, dfa, sh] = s.runs;
    const first = s.stepAll();
    // same weights and the same first batch: the same loss before any update
    assert.equal(first[0], first[1]);
    assert.equal(first[0], first[2]);
    const w0 = sh!.model.hidden[0]!.W.dataSync().slice();
    const top0 = sh!.model.out!.W.dataSync().slice();
    for (let i = 0; i < 150; i++) s.stepAll();
    assert.deepEqual(sh!.model.hidden[0]!.W.dataSync(), w0, 'shallow changed a hidden layer');
    assert.notDeepEqual(sh!.model.out!.W.dataSync(), top0);
    const e = bp!.evaluate();
    assert.ok(e.loss < 0.3 && e.metric > 0.85, `bp on xor: loss ${e.loss}, accuracy ${e.metric}`);
    const al = await dfa!.alignment();
    assert.deepEqual(al.map((a) => a.name), ['h1', 'h2']);
    assert.ok(al[1]!.mean > 0, `DFA's last hidden layer should align with BP, got ${al[1]!.mean}`);
    const b = bp!.boundary(8, s.extent);
    assert.equal(b.values.length, 8 * 8 * 2);
    for (let i = 0; i < 64; i++) assert.ok(Math.abs(b.values[2 * i]! + b.values[2 * i + 1]! - 1) < 1e-5);
    // xor's corners: top-left (x<0, y>0) is class 0, top-right class 1
    assert.ok(b.values[2 * 0 + 0]! > 0.5 && b.values[2 * 7 + 1]! > 0.5, 'boundary does not show xor');
    const emb = bp!.embedding();
    assert.equal(emb.coords.length, 2 * 200);
    assert.ok(emb.coords.every((v) => Math.abs(v) <= 1));
  } finally {
    const before = tf.memory().numTensors;
    s.dispose();
    assert.ok(tf.memory().numTensors < before);
  }
});

test('readRun: reads a run folder, tolerates a partial last line, names the file and line of a bad one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dfa-readrun-'));
  try {
    assert.throws(() => readRun(join(dir, 'nope')), /run directory .*nope does not exist/);
    assert.throws(() => readRun(dir), /has no metrics\.jsonl; is it a run directory written by 'dfa train'\?/);
    const rec = (epoch: number) => JSON.stringify({ epoch, step: 3 * epoch, trainLoss: 1 / epoch, val: { loss: 1, metric: 50 }, alignment: [{ name: 'h1', mean: 0.2 }] });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ task: 'rings', cfg: { method: 'dfa', seed: 2 } }));
    writeFileSync(join(dir, 'metrics.jsonl'), `${rec(1)}\n${rec(2)}\n{"epoch":3,"tra`);
    const r = readRun(dir);
    assert.deepEqual(r.records.map((e) => e.epoch), [1, 2]);
    assert.equal(r.records[1]!.trainLoss, 0.5);
    assert.equal((r.config as { task: string }).task, 'rings');
    assert.equal(r.result, null);
    writeFileSync(join(dir, 'metrics.jsonl'), `${rec(1)}\n{oops\n${rec(3)}\n`);
    assert.throws(() => readRun(dir), /metrics\.jsonl:2 is not valid JSON/);
    writeFileSync(join(dir, 'metrics.jsonl'), `{"loss": 1}\n`);
    assert.throws(() => readRun(dir), /metrics\.jsonl:1: expected an epoch record/);
    writeFileSync(join(dir, 'metrics.jsonl'), `${rec(1)}\n`);
    writeFileSync(join(dir, 'result.json'), '{"task": "ri');
    assert.throws(() => readRun(dir), /result\.json is not valid JSON .*truncated/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
