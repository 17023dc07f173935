import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { alignmentPng, alignmentSvg } from '../experiments/alignment_figure';
import { dispatch } from '../../../cli/dispatch';
import { currentNativeBackend } from '../../../engine/native/current';

test('alignment figure: one bar per point, up for positive and down for negative cosines', () => {
  const panels = [
    { title: 'A', stats: [{ name: 'p1', mean: 0.8, std: 0.1, n: 5 }, { name: 'p2', mean: -0.5, std: 0.2, n: 5 }] },
    { title: 'B', stats: [{ name: 'lnn', mean: 0.3, std: 0.05, n: 5 }] },
  ];
  const png = PNG.sync.read(alignmentPng(panels));
  assert.equal(png.width, 2 * 420);
  assert.equal(png.height, 300);
  // plot area: y = 28 + (1 - v)/2 · 202; first panel slots are 182 px wide from x = 44
  const px = (x: number, y: number) => { const o = (y * png.width + Math.round(x)) * 4; return Array.from(png.data.subarray(o, o + 3)); };
  const blue = [0x1f, 0x77, 0xb4];
  const yOf = (v: number) => Math.round(28 + ((1 - v) / 2) * 202);
  assert.deepEqual(px(44 + 182 * 0.2 + 10, yOf(0.4)), blue, 'p1 bar covers 0.4');
  assert.deepEqual(px(44 + 182 * 0.2 + 10, yOf(0.9)), [255, 255, 255], 'p1 bar stops at 0.8');
  assert.deepEqual(px(44 + 182 * 1.2 + 10, yOf(-0.3)), blue, 'p2 bar goes down to -0.5');
  assert.deepEqual(px(44 + 182 * 1.2 + 10, yOf(0.3)), [255, 255, 255], 'nothing above zero for p2');
  assert.deepEqual(px(420 + 44 + 364 * 0.2 + 10, yOf(0.2)), [0xd6, 0x27, 0x28], 'second panel in its own colour');
  const svg = alignmentSvg(panels);
  assert.match(svg, /lnn 0\.30/);
  assert.match(svg, /p2 -0\.50/);
});

// Paper-size DeepFM trains at ~75 samples/s on plain tfjs cpu (a minute for this test); the models'
// cpu path is covered by src/models/recsys tests, so the end-to-end run is native only.
const e2eSkip = currentNativeBackend() ? false : 'native backend only (paper-size DeepFM is too slow on plain tfjs cpu)';

test('dfa reproduce recsys-synth (DeepFM, 2000 rows): checks, alignment rows and figure, JSON', { skip: e2eSkip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'recsys-synth-'));
  const log = console.log, err = console.error;
  let printed = '';
  console.log = (s: unknown) => { printed += String(s) + '\n'; };
  console.error = () => {};
  try {
    const rc = await dispatch(['reproduce', 'recsys-synth', '--rows', '2000', '--cells', 'deepfm/bp,deepfm/dfa,deepfm/shallow', '--batch-size', '128', '--epochs', '1',
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
    assert.deepEqual(readdirSync(join(dir, 'ck')).sort(), ['deepfm-bp-seed0', 'deepfm-dfa-seed0', 'deepfm-shallow-seed0'], 'one checkpoint per run');
    assert.ok(existsSync(join(dir, 'fig', 'alignment.png')) && existsSync(join(dir, 'fig', 'alignment.svg')));
    const partial = readFileSync(join(dir, 'r.json.partial.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(partial.map((p: { cell: string; dropout: number }) => [p.cell, p.dropout]), [['deepfm/bp', 0.2], ['deepfm/dfa', 0.5], ['deepfm/shallow', 0.1]],
      '--dropout overrides one cell; the others keep appendix C');
    await assert.rejects(dispatch(['reproduce', 'recsys-synth', '--cells', 'deepfm/sgd']), /not MODEL\/bp\|dfa\|shallow/);
    await assert.rejects(dispatch(['reproduce', 'recsys-synth', '--max-train-rows', 'afn=x']), /expected MODEL=N/);
    await assert.rejects(dispatch(['reproduce', 'recsys-synth', '--dropout', 'deepfm/bp=1.5']), /--dropout: expected MODEL\/METHOD=X/);
  } finally {
    console.log = log;
    console.error = err;
    rmSync(dir, { recursive: true, force: true });
  }
});
