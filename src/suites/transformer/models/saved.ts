/**
 * A trained language model on disk is a run folder of the core checkpoint store
 * (src/train/checkpoint_fs.ts: checkpoint.json + checkpoint-<epoch>.bin, written after every
 * epoch; the run's settings hold the GPT's config) with the tokenizer beside it (tokenizer.json).
 * `dfa reproduce table5 --save DIR` writes one per cell; `dfa generate DIR/<cell>` reads it back
 * with the weights of the best validation epoch.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { FileCheckpointStore } from '../../../train/checkpoint_fs';
import { loadTokenizer, saveTokenizer, type Tokenizer } from '../data/tokenizer';
import { GPT, validateConfig, type GptConfig } from './gpt';

const TOKENIZER_FILE = 'tokenizer.json';

/** Why `dir` is not a saved run, or null when it is one. */
export function savedRunProblem(dir: string): string | null {
  if (!existsSync(join(dir, 'checkpoint.json'))) {
    return existsSync(join(dir, 'model.json'))
      ? `${dir} holds a model saved by an older dfa-ts (model.json); train it again with 'dfa reproduce table5 --save DIR'`
      : `${dir} is not a saved language model (no checkpoint.json); train one with 'dfa reproduce table5 --save DIR'`;
  }
  if (!existsSync(join(dir, TOKENIZER_FILE))) return `${dir} has no ${TOKENIZER_FILE} beside its checkpoint`;
  return null;
}

/** Store the tokenizer beside the run's checkpoint (the run itself is saved by the trainer). */
export function saveRunTokenizer(dir: string, tokenizer: Tokenizer): void {
  saveTokenizer(tokenizer, join(dir, TOKENIZER_FILE));
}

export interface SavedLm {
  model: GPT;
  tokenizer: Tokenizer;
  /** epoch of the weights loaded (the best validation epoch when the run kept it) */
  epoch: number;
  /** the run's best validation perplexity (NaN when it was never evaluated) */
  bestValidPpl: number;
}

/** The GPT of a saved run, with the weights of its best validation epoch (the last epoch's if it kept none). */
export function loadSavedLm(dir: string): SavedLm {
  const problem = savedRunProblem(dir);
  if (problem) throw new Error(problem);
  const ck = new FileCheckpointStore(dir).load()!;
  const config = ck.settings?.model as GptConfig | undefined;
  if (!config || typeof config !== 'object') throw new Error(`${dir}: the checkpoint's settings hold no GPT config (not a language-model run)`);
  validateConfig(config);
  const evaluated = ck.history.filter((r) => r.val);
  const best = evaluated.reduce<(typeof evaluated)[number] | null>((b, r) => (!b || r.val!.metric < b.val!.metric ? r : b), null);
  const values = (name: string): Float32Array | undefined => ck.bestWeights?.[name] ?? ck.weights[name]?.data;
  const model = new GPT(config, 0);
  try {
    for (const [name, v] of model.params) {
      const data = values(name);
      if (!data) throw new Error(`${dir}: the checkpoint has no weights for '${name}'`);
      if (data.length !== v.size) throw new Error(`${dir}: '${name}' holds ${data.length} values, the model expects ${v.size} [${v.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
    }
    const tokenizer = loadTokenizer(join(dir, TOKENIZER_FILE));
    if (tokenizer.vocabSize !== config.vocab) throw new Error(`${dir}: the tokenizer has ${tokenizer.vocabSize} tokens, the model ${config.vocab}`);
    return { model, tokenizer, epoch: ck.bestWeights && best ? best.epoch : ck.epoch, bestValidPpl: best?.val?.metric ?? NaN };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
