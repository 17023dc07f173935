import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { runCommand } from '../../../command/command';
import { NATIVE_BACKEND } from '../../../engine/native/name';
import { RECSYS_SYNTH } from './synth';

// Paper-size DeepFM trains at ~75 samples/s on plain tfjs cpu (a minute for this test); the models'
// cpu path is covered by the models' and experiments' tests, so the end-to-end run is native only.
const e2eSkip = tf.getBackend() === NATIVE_BACKEND ? false : 'native backend only (paper-size DeepFM is too slow on plain tfjs cpu)';

test('dfa reproduce recsys-synth (DeepFM, 2000 rows): checks, alignment rows and figure, JSON', { skip: e2eSkip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'recsys-synth-'));
  const log = console.log, err = console.error;
  let printed = '';
  console.log = (s: unknown) => { printed += String(s) + '\n'; };
  console.error = () => {};
  try {
    const rc = await runCommand(RECSYS_SYNTH, ['--rows', '2000', '--cells', 'deepfm/bp,deepfm/dfa,deepfm/shallow', '--batch-size', '128', '--epochs', '1',
      '--lr', 'deepfm/bp=3e-3,deepfm/dfa=3e-3,deepfm/shallow=3e-3', '--dropout', 'deepfm/bp=0.2', '--cache', dir, '--out', join(dir, 'fig'), '--json', join(dir, 'r.json'), '--checkpoint', join(dir, 'ck')]);
    assert.equal(rc, 0);
    const doc = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    const aucs = doc.rows.filter((r: { metric: string }) => r.metric === 'AUC');
    assert.deepEqual(aucs.map((r: { method: string }) => r.method), ['bp', 'dfa', 'shallow']);
    for (const r of aucs) assert.ok(r.mean > 0.55 && r.mean < 1, `${r.method}: AUC ${r.mean} (the known model is learnable)`);
    assert.equal(doc.rows.find((r: { method: string }) => r.method === 'dfa').paper, 0.7956);
    const align = doc.rows.filter((r: { metric: string }) => r.metric.startsWith('alignment @'));
    assert.deepEqual(align.map((r: { metric: string }) => r.metric), ['alignment @mlp.h1', 'alignment @mlp.h2', 'alignment @mlp.h3']);
    assert.equal(doc.checks.length, 2);
    assert.match(doc.checks[0], /DeepFM: AUC\(DFA\) − AUC\(BP\) = [+-]0\.\d{4} → (within|NOT within) 0\.005/);
    assert.match(printed, /shallow 0\.\d{4} (below both|NOT below both)/);
    assert.deepEqual(readdirSync(join(dir, 'ck', 'recsys-synth')).sort(), ['deepfm_bp_seed0', 'deepfm_dfa_seed0', 'deepfm_shallow_seed0'], 'one checkpoint folder per run');
    assert.ok(existsSync(join(dir, 'fig', 'alignment.png')) && existsSync(join(dir, 'fig', 'alignment.svg')));
    assert.equal(doc.partial, false);
    assert.deepEqual(Object.entries(doc.runs).map(([id, r]) => [id, (r as { params: { dropout: number } }).params.dropout]), [['deepfm/bp/seed0', 0.2], ['deepfm/dfa/seed0', 0.5], ['deepfm/shallow/seed0', 0.1]],
      '--dropout overrides one cell; the others keep appendix C');
  } finally {
    console.log = log;
    console.error = err;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('recsys-synth plan: --methods runs those methods on the models of --cells; --oracle is a run of its own; variants only in their model\'s params', async () => {
  const { parseOptions } = await import('../../../command/options');
  const { RECSYS_SYNTH_EXPERIMENT } = await import('./synth');
  const plan = (argv: string[]) => RECSYS_SYNTH_EXPERIMENT.plan(parseOptions('x', RECSYS_SYNTH.options, argv).options as Parameters<typeof RECSYS_SYNTH_EXPERIMENT.plan>[0]);
  const specs = plan(['--rows', '5000', '--cells', 'deepfm/bp,afn/dfa', '--methods', 'drtp,usf', '--seeds', '2', '--first-seed', '3', '--oracle', '--afn-embeddings', 'frozen']);
  assert.deepEqual(specs.map((s) => s.id), ['deepfm/drtp/seed3', 'deepfm/drtp/seed4', 'deepfm/usf/seed3', 'deepfm/usf/seed4', 'afn/drtp/seed3', 'afn/drtp/seed4', 'afn/usf/seed3', 'afn/usf/seed4', 'oracle']);
  assert.deepEqual(specs.at(-1)!.params, { oracle: { rows: 5000, seed: 0 } });
  const afn = specs.find((s) => s.id === 'afn/drtp/seed3')!.params;
  assert.deepEqual([afn.modelOpts, afn.lr, afn.batchSize, afn.data], [{ dfaEmbeddings: 'frozen' }, 3e-4, 2048, { kind: 'synthetic', rows: 5000, seed: 0 }], "drtp: DFA's appendix C rate; the paper's batch");
  assert.deepEqual(specs[0]!.params.modelOpts, { mlpGradToEmbeddings: true, embeddingPoint: false });
});
