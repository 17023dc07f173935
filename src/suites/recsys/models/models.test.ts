import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { Feedback } from '../../../feedback';
import { Trainer } from '../../../train/trainer';
import { MemoryRowSource, type CriteoBatch } from '../data';
import { RecsysTask } from '../experiments/task';
import { createRecsysModel, type RecsysModel, type RecsysModelName } from './index';

const F = 39;
const small = { embedDim: 4, mlpDims: [8, 6], dropout: 0, lnnDim: 5, crossLayers: 2, seed: 3 };

function makeBatch(B: number, dims: number[], seed: number): CriteoBatch {
  const r = new Rng(seed);
  const x = new Int32Array(B * F);
  for (let i = 0; i < x.length; i++) x[i] = r.int(dims[i % F]!);
  const y = new Float32Array(B);
  for (let i = 0; i < B; i++) y[i] = r.next() < 0.4 ? 1 : 0;
  return { x, y, size: B };
}

/** The model's forward on a batch with plain tensors (the gathered rows of each table), disposed after f. */
function withRows<T>(model: RecsysModel, batch: CriteoBatch, trainable: boolean, f: (rows: tf.Tensor2D[]) => T): T {
  const ls = model.tables.map((t) => t.lookup(model.globalIndices(batch.x), trainable));
  try {
    return f(ls.map((l) => l.gathered));
  } finally {
    ls.forEach((l) => l.dispose());
  }
}

/** Loss in training mode without dropout, no Feedback. */
function lossAt(model: RecsysModel, batch: CriteoBatch): number {
  return withRows(model, batch, false, (rows) => tf.tidy(() => tf.losses.sigmoidCrossEntropy(tf.tensor2d(batch.y, [batch.size, 1]),
    model.forward(rows, batch.size, { fb: null, training: true, rng: null })).dataSync()[0]!));
}

/** Click probabilities in training mode (batch statistics), no Feedback. */
function probsAt(model: RecsysModel, batch: CriteoBatch): Float32Array {
  return withRows(model, batch, false, (rows) => tf.tidy(() => tf.sigmoid(model.forward(rows, batch.size, { fb: null, training: true, rng: null })).dataSync() as Float32Array));
}

/** Each method's gradients: dense ones by variable name, and per table its unique rows' summed gradient. */
function gradsOf(model: RecsysModel, batch: CriteoBatch, method: string) {
  const fb = new Feedback({ method, seed: 1, scaling: 'layer' });
  const idx = model.globalIndices(batch.x);
  const ls = model.tables.map((t) => t.lookup(idx, true));
  const rowVars = ls.map((l) => l.gathered as tf.Variable);
  const named = Object.entries(model.namedVariables());
  const r = fb.grads(() => {
    const out = fb.output(model.forward(ls.map((l) => l.gathered), batch.size, { fb, training: true, rng: null }));
    const y = tf.tensor2d(batch.y, [batch.size, 1]);
    fb.target(y); // drtp's target: the click label
    return tf.losses.sigmoidCrossEntropy(y, out) as tf.Scalar;
  }, [...named.map(([, v]) => v), ...rowVars]);
  const matrices = Object.keys(fb.getState().fa);
  const dense = new Map<string, Float32Array>();
  for (const [n, v] of named) { const g = r.grads.get(v); if (g) dense.set(n, g.dataSync() as Float32Array); }
  const rows = ls.map((l, i) => {
    const g = r.grads.get(rowVars[i]!)?.dataSync() as Float32Array | undefined;
    return { unique: l.unique, g: g && model.tables[i]!.segmentSum(l, g) };
  });
  tf.dispose([r.value, ...r.grads.values()]);
  ls.forEach((l) => l.dispose());
  fb.dispose();
  return { dense, rows, matrices };
}

/** Same dense variables with gradients within 1e-6. */
function assertSameDense(a: Map<string, Float32Array>, b: Map<string, Float32Array>, what: string): void {
  assert.deepEqual([...b.keys()], [...a.keys()]);
  for (const [n, g] of a) g.forEach((v, i) => assert.ok(Math.abs(v - b.get(n)![i]!) < 1e-6, `${n}: ${what}`));
}

function dimsFor(seed: number): number[] {
  const r = new Rng(seed);
  return Array.from({ length: F }, () => 2 + r.int(4));
}

for (const name of ['fm', 'deepfm', 'dcn', 'afn'] as RecsysModelName[]) {
  test(`${name}: BP gradients of dense weights and embedding rows match finite differences`, () => {
    const dims = dimsFor(1);
    const model = createRecsysModel(name, dims, small);
    const batch = makeBatch(12, dims, 2);
    const { dense, rows } = gradsOf(model, batch, 'bp');
    const h = 2e-3;
    const checks: [number, number][] = [];
    // dense: the largest-gradient entry of each variable
    for (const [name, v] of Object.entries(model.namedVariables())) {
      const g = dense.get(name);
      if (!g) continue;
      let k = 0;
      for (let i = 1; i < g.length; i++) if (Math.abs(g[i]!) > Math.abs(g[k]!)) k = i;
      if (Math.abs(g[k]!) < 1e-4) continue;
      const base = v.dataSync().slice() as Float32Array;
      const at = (d: number) => { const w = base.slice(); w[k] = w[k]! + d; v.assign(tf.tensor(w, v.shape)); return lossAt(model, batch); };
      const fd = (at(h) - at(-h)) / (2 * h);
      v.assign(tf.tensor(base, v.shape));
      checks.push([g[k]!, fd]);
    }
    // sparse: a few looked-up rows of each table
    model.tables.forEach((t, ti) => {
      const { unique, g } = rows[ti]!;
      assert.ok(g, `table ${ti} got a gradient`);
      for (const u of [0, 3, unique.length - 1]) {
        const k = unique[u]! * t.dim;
        const old = t.table[k]!;
        t.table[k] = old + h; const lp = lossAt(model, batch);
        t.table[k] = old - h; const lm = lossAt(model, batch);
        t.table[k] = old;
        checks.push([g![u * t.dim]!, (lp - lm) / (2 * h)]);
      }
    });
    assert.ok(checks.length >= 5);
    for (const [a, fd] of checks) assert.ok(Math.abs(a - fd) <= 2e-3 + 0.03 * Math.abs(fd), `${name}: autodiff ${a} vs finite difference ${fd}`);
    model.dispose();
  });
}

test('sparse update: a training step changes only the table rows its batch uses (DeepFM, DFA)', () => {
  const dims = Array.from({ length: F }, () => 50);
  const task = new RecsysTask(new MemoryRowSource(new Int32Array(0), dims), { model: 'deepfm', modelOpts: small, seed: 1, batchSize: 8, splitSeed: 0, weightDecay: 0 });
  const trainer = new Trainer(task, { method: 'dfa', seed: 0, epochs: 1, optimizer: { name: 'adam', lr: 1e-2 } });
  const { model } = task;
  const batch = makeBatch(8, dims, 4);
  const before = model.tables.map((t) => t.table.slice());
  const used = new Set(model.globalIndices(batch.x));
  assert.ok(Number.isFinite(trainer.trainOn(batch)));
  model.tables.forEach((t, ti) => {
    let changedUsed = 0;
    for (let r = 0; r < t.numRows; r++) {
      const same = before[ti]!.subarray(r * t.dim, (r + 1) * t.dim).every((v, j) => v === t.table[r * t.dim + j]);
      if (used.has(r)) changedUsed += same ? 0 : 1;
      else assert.ok(same, `row ${r} of table ${ti} is not in the batch but changed`);
    }
    assert.equal(changedUsed, used.size);
  });
  trainer.dispose();
  task.dispose();
});

test('DFA placement: DeepFM embeddings get the FM gradient only; the top layer its true gradient', () => {
  const dims = dimsFor(5);
  const model = createRecsysModel('deepfm', dims, small) as import('./deepfm').DeepFM;
  const batch = makeBatch(10, dims, 6);
  const bp = gradsOf(model, batch, 'bp');
  const dfa = gradsOf(model, batch, 'dfa');
  // hand-computed FM+linear gradient of the embedding rows: e_b · (Σ_f' v_f' − v_f), e_b = (p_b − y_b)/B
  const B = batch.size, D = model.embedDim;
  const idx = model.globalIndices(batch.x);
  const p = probsAt(model, batch);
  const T = model.embedding.table;
  const expect = new Map<number, Float64Array>();
  for (let b = 0; b < B; b++) {
    const e = (p[b]! - batch.y[b]!) / B;
    const sum = new Float64Array(D);
    for (let f = 0; f < F; f++) for (let d = 0; d < D; d++) sum[d] += T[idx[b * F + f]! * D + d]!;
    for (let f = 0; f < F; f++) {
      const r = idx[b * F + f]!;
      const acc = expect.get(r) ?? new Float64Array(D);
      for (let d = 0; d < D; d++) acc[d] += e * (sum[d]! - T[r * D + d]!);
      expect.set(r, acc);
    }
  }
  const { unique, g } = dfa.rows[1]!;
  let maxErr = 0, diffBp = 0;
  unique.forEach((r, u) => {
    for (let d = 0; d < D; d++) {
      maxErr = Math.max(maxErr, Math.abs(g![u * D + d]! - expect.get(r)![d]!));
      diffBp = Math.max(diffBp, Math.abs(g![u * D + d]! - bp.rows[1]!.g![u * D + d]!));
    }
  });
  assert.ok(maxErr < 1e-5, `DFA embedding gradient differs from the FM-only gradient by ${maxErr}`);
  assert.ok(diffBp > 1e-4, 'BP sends the MLP gradient into the embeddings too');
  for (const k of [...bp.dense.keys()].filter((n) => n.startsWith('mlp.out'))) {
    const a = bp.dense.get(k)!, c = dfa.dense.get(k)!;
    a.forEach((v, i) => assert.ok(Math.abs(v - c[i]!) < 1e-5, `top layer ${k} gradient differs under DFA`));
  }
  model.dispose();
});

test('DeepFM mlpGradToEmbeddings: false gives BP the embedding gradient DFA gets (FM only), dense gradients unchanged', () => {
  const dims = dimsFor(7);
  const batch = makeBatch(12, dims, 8);
  const plain = createRecsysModel('deepfm', dims, small);
  const fmOnly = createRecsysModel('deepfm', dims, { ...small, mlpGradToEmbeddings: false });
  const bp = gradsOf(plain, batch, 'bp'), bpFm = gradsOf(fmOnly, batch, 'bp'), dfa = gradsOf(plain, batch, 'dfa');
  const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
  assert.ok(maxDiff(bpFm.rows[1]!.g!, dfa.rows[1]!.g!) < 1e-6, 'embedding gradient equals DFA\'s FM-only gradient');
  assert.ok(maxDiff(bpFm.rows[1]!.g!, bp.rows[1]!.g!) > 1e-4, 'and differs from plain BP');
  assertSameDense(bp.dense, bpFm.dense, 'dense gradient is BP\'s');
  plain.dispose();
  fmOnly.dispose();
});

test('DeepFM embeddingPoint: under DFA the embeddings get the FM gradient plus a fixed projection of the global error', () => {
  const dims = dimsFor(7);
  const paper = createRecsysModel('deepfm', dims, small);
  const pointed = createRecsysModel('deepfm', dims, { ...small, embeddingPoint: true });
  // one sample per batch: the signal at the point is B·e with e = σ(out) − y a scalar, so what the
  // point adds to the sample's embedding rows is e × (the same fixed vector) in both batches
  const added = (seed: number) => {
    const batch = makeBatch(1, dims, seed);
    const a = gradsOf(paper, batch, 'dfa'), b = gradsOf(pointed, batch, 'dfa');
    const d = new Float32Array(F * small.embedDim);
    const pos = new Map([...b.rows[1]!.unique].map((r, i) => [r, i]));
    const idx = pointed.globalIndices(batch.x);
    // fields have disjoint rows; rebuild the per-field [F, d] difference from the unique rows
    for (let f = 0; f < F; f++) {
      const i = pos.get(idx[f]!)!;
      for (let k = 0; k < small.embedDim; k++) d[f * small.embedDim + k] = b.rows[1]!.g![i * small.embedDim + k]! - a.rows[1]!.g![i * small.embedDim + k]!;
    }
    const e = probsAt(paper, batch)[0]! - batch.y[0]!;
    assertSameDense(a.dense, b.dense, 'dense DFA gradients unchanged by the extra point');
    return { d, e };
  };
  const p = added(21), q = added(22);
  assert.ok(p.d.some((v) => Math.abs(v) > 1e-5), 'the point adds a signal');
  p.d.forEach((v, i) => assert.ok(Math.abs(v / p.e - q.d[i]! / q.e) < 1e-4 * (1 + Math.abs(v / p.e)), `entry ${i}: signal / e is the same fixed vector`));
  assert.deepEqual(gradsOf(pointed, makeBatch(6, dims, 3), 'bp').rows[1]!.g, gradsOf(paper, makeBatch(6, dims, 3), 'bp').rows[1]!.g, 'BP unchanged');
  paper.dispose();
  pointed.dispose();
});

test("AFN dfaEmbeddings: 'frozen' stops DFA at the embeddings (the paper's code); the LNN and MLP still learn, BP unchanged", () => {
  const dims = dimsFor(9);
  const batch = makeBatch(10, dims, 8);
  const lnn = createRecsysModel('afn', dims, small);
  const frozen = createRecsysModel('afn', dims, { ...small, dfaEmbeddings: 'frozen' });
  const a = gradsOf(lnn, batch, 'dfa'), b = gradsOf(frozen, batch, 'dfa');
  assert.ok(a.rows[1]!.g && a.rows[1]!.g.some((v) => v !== 0), 'default: the embeddings get the LNN point\'s signal');
  assert.ok(!b.rows[1]!.g, 'frozen: no embedding gradient under DFA');
  assert.ok(b.rows[0]!.g, 'frozen: the linear part still gets its true gradient');
  assertSameDense(a.dense, b.dense, 'same dense DFA signal');
  assert.ok(gradsOf(frozen, batch, 'bp').rows[1]!.g, 'BP still trains the embeddings');
  lnn.dispose();
  frozen.dispose();
});

test('DFA placement: Deep&Cross embeddings and cross layers learn by DFA; shallow freezes them', () => {
  const dims = dimsFor(7);
  const model = createRecsysModel('dcn', dims, small);
  const batch = makeBatch(10, dims, 8);
  const bp = gradsOf(model, batch, 'bp');
  const dfa = gradsOf(model, batch, 'dfa');
  const sh = gradsOf(model, batch, 'shallow');
  const cross = 'cross1.w';
  assert.ok(dfa.dense.has(cross) && dfa.rows[0]!.g, 'DFA reaches the cross layers and the embeddings');
  const diff = bp.dense.get(cross)!.some((v, i) => Math.abs(v - dfa.dense.get(cross)![i]!) > 1e-6);
  assert.ok(diff, 'the cross layer signal under DFA is not the BP gradient');
  assert.ok(!sh.dense.has(cross) && !sh.rows[0]!.g, 'shallow: no signal to cross layers or embeddings');
  assert.ok([...sh.dense.keys()].some((k) => k.startsWith('out.W')), 'shallow: the output layer learns');
  model.dispose();
});

test('AFN: DFA trains the logarithmic layer; shallow leaves it and the embeddings frozen', () => {
  const dims = dimsFor(9);
  const model = createRecsysModel('afn', dims, small);
  const batch = makeBatch(10, dims, 10);
  const dfa = gradsOf(model, batch, 'dfa');
  const sh = gradsOf(model, batch, 'shallow');
  assert.ok([...dfa.dense.keys()].some((k) => k.startsWith('lnn.W')) && dfa.rows[1]!.g);
  assert.ok(![...sh.dense.keys()].some((k) => k.startsWith('lnn.W')) && !sh.rows[1]!.g && sh.rows[0]!.g, 'shallow: linear table learns, embeddings do not');
  model.dispose();
});

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

test("drtp on DeepFM takes DFA's placement: embeddings FM-only, the top layer's true gradient, hidden layers a projection of the label (not of the error)", () => {
  const dims = dimsFor(11);
  const model = createRecsysModel('deepfm', dims, small) as import('./deepfm').DeepFM;
  const batch = makeBatch(10, dims, 12);
  const bp = gradsOf(model, batch, 'bp'), dfa = gradsOf(model, batch, 'dfa'), drtp = gradsOf(model, batch, 'drtp');
  assert.ok(maxDiff(drtp.rows[1]!.g!, dfa.rows[1]!.g!) < 1e-7, "embedding rows: the FM part's true gradient, as under DFA");
  for (const k of ['mlp.out.W', 'mlp.out.b']) assert.ok(maxDiff(drtp.dense.get(k)!, bp.dense.get(k)!) < 1e-6, `${k}: its true gradient`);
  assert.ok(maxDiff(drtp.dense.get('mlp.fc1.W')!, dfa.dense.get('mlp.fc1.W')!) > 1e-6, 'the hidden layers get another signal than DFA');
  // other predictions (the top layer moved), same labels: DRTP's hidden signal stays, DFA's moves with the error
  tf.tidy(() => model.top.W.assign(tf.mul(model.top.W, -3)));
  const drtp2 = gradsOf(model, batch, 'drtp'), dfa2 = gradsOf(model, batch, 'dfa');
  assert.deepEqual(drtp2.dense.get('mlp.fc1.W'), drtp.dense.get('mlp.fc1.W'), 'drtp: the hidden gradient does not depend on the error');
  assert.ok(maxDiff(dfa2.dense.get('mlp.fc1.W')!, dfa.dense.get('mlp.fc1.W')!) > 1e-6, 'dfa: it does');
  model.dispose();
});

test("usf on DeepFM takes BP's placement: the MLP's signal reaches the embeddings through sign(W); Deep&Cross's cross layers and AFN's LNN are layer-wise too", () => {
  const dims = dimsFor(13);
  const model = createRecsysModel('deepfm', dims, small);
  const batch = makeBatch(10, dims, 14);
  const bp = gradsOf(model, batch, 'bp'), dfa = gradsOf(model, batch, 'dfa'), usf = gradsOf(model, batch, 'usf');
  assert.ok(maxDiff(usf.rows[1]!.g!, dfa.rows[1]!.g!) > 1e-5, 'embeddings: more than the FM part (not detached)');
  assert.ok(maxDiff(usf.rows[1]!.g!, bp.rows[1]!.g!) > 1e-7, "embeddings: not BP's gradient (sign(W) in place of W)");
  assert.ok(maxDiff(usf.dense.get('mlp.fc1.W')!, bp.dense.get('mlp.fc1.W')!) > 1e-7, "the first layer's signal came through sign-concordant feedback");
  for (const k of ['mlp.out.W', 'mlp.out.b']) assert.ok(maxDiff(usf.dense.get(k)!, bp.dense.get(k)!) < 1e-6, `${k}: its true gradient`);
  model.dispose();
  // fa stores one matrix per treated layer: the cross layers' x·w and the LNN's weight layer are among them
  for (const [name, want] of [['dcn', ['cross1.w', 'cross2.w']], ['afn', ['lnn.W']]] as const) {
    const m = createRecsysModel(name, dims, small);
    const fa = gradsOf(m, batch, 'fa');
    for (const w of want) assert.ok(fa.matrices.includes(w), `${name}: '${w}' is treated by fa (got ${fa.matrices.join(', ')})`);
    m.dispose();
  }
});
