/**
 * A trained language model on disk, one folder: `model.json` (config, parameter manifest, any
 * run metadata), `weights.bin` (float32 little-endian, parameters in manifest order) and
 * `tokenizer.json`. `dfa generate <folder>` reads it back.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { GPT, type GptConfig } from '../../suites/transformer/models/gpt';
import { loadTokenizer, saveTokenizer, type Tokenizer } from '../../suites/transformer/data/tokenizer';

interface ModelFile {
  format: 'dfa-ts-gpt';
  version: 1;
  config: GptConfig;
  params: Array<{ name: string; shape: number[] }>;
  meta?: Record<string, unknown>;
}

/** Save `model` (or the given parameter values, e.g. the best epoch's) with its tokenizer. */
export function saveLm(dir: string, model: GPT, tokenizer: Tokenizer, opts: { values?: Map<string, Float32Array>; meta?: Record<string, unknown> } = {}): void {
  mkdirSync(dir, { recursive: true });
  const params: ModelFile['params'] = [];
  const chunks: Float32Array[] = [];
  for (const [name, v] of model.params) {
    const data = opts.values?.get(name) ?? (v.dataSync() as Float32Array);
    if (data.length !== v.size) throw new Error(`saveLm: ${name} has ${data.length} values, expected ${v.size}`);
    params.push({ name, shape: v.shape });
    chunks.push(data);
  }
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const all = new Float32Array(total);
  let o = 0;
  for (const c of chunks) { all.set(c, o); o += c.length; }
  const file: ModelFile = { format: 'dfa-ts-gpt', version: 1, config: model.config, params, meta: opts.meta };
  writeFileSync(join(dir, 'weights.bin'), Buffer.from(all.buffer, all.byteOffset, all.byteLength));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(file, null, 2) + '\n');
  saveTokenizer(tokenizer, join(dir, 'tokenizer.json'));
}

export function loadLm(dir: string): { model: GPT; tokenizer: Tokenizer; meta: Record<string, unknown> } {
  const mf = join(dir, 'model.json');
  if (!existsSync(mf)) throw new Error(`${dir} is not a saved language model (no model.json); train one with 'dfa reproduce table5 --save DIR'`);
  const file = JSON.parse(readFileSync(mf, 'utf8')) as ModelFile;
  if (file.format !== 'dfa-ts-gpt') throw new Error(`${mf}: unknown format '${String(file.format)}'`);
  const buf = readFileSync(join(dir, 'weights.bin'));
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const expected = file.params.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0);
  if (all.length !== expected) throw new Error(`${dir}/weights.bin holds ${all.length} floats, model.json lists ${expected}: truncated or mismatched`);
  const model = new GPT(file.config, 0);
  let o = 0;
  for (const p of file.params) {
    const n = p.shape.reduce((x, y) => x * y, 1);
    const v = model.p(p.name);
    if (v.shape.join() !== p.shape.join()) throw new Error(`${mf}: ${p.name} has shape [${p.shape}], the model expects [${v.shape}]`);
    tf.tidy(() => v.assign(tf.tensor(all.subarray(o, o + n), p.shape)));
    o += n;
  }
  const tokenizer = loadTokenizer(join(dir, 'tokenizer.json'));
  if (tokenizer.vocabSize !== file.config.vocab) throw new Error(`${dir}: tokenizer has ${tokenizer.vocabSize} tokens, the model ${file.config.vocab}`);
  return { model, tokenizer, meta: file.meta ?? {} };
}
