/** `dfa generate <run> --prompt "..."`: sample text from a language model saved by `dfa reproduce table5 --save DIR`. */
import { basename } from 'node:path';
import { defineCommand } from '../../../command/command';
import { UsageError } from '../../../command/options';
import { initBackend } from '../../../engine/backend';
import { Rng } from '../../../engine/rng';
import { loadSavedLm, savedRunProblem } from '../models/saved';
import { generateTokens } from '../models/sample';

export const GENERATE = defineCommand({
  name: 'generate',
  summary: 'sample text from a saved Transformer language model (temperature, top-k)',
  description: `Samples text from a Transformer language model saved with 'dfa reproduce table5 --save DIR'
(one folder per cell, e.g. DIR/bp-beta2), with the weights of its best validation epoch.`,
  positionals: [{ name: 'run', help: 'the run folder (DIR/<cell>)', required: true }],
  options: {
    prompt: { type: 'string', nonEmpty: false, help: 'text to continue (default: a newline)' },
    tokens: { type: 'int', min: 1, max: 1_000_000, default: 200, help: 'tokens to generate' },
    temperature: { type: 'number', min: 0, default: 0.8, help: 'softmax temperature (0 = greedy)' },
    'top-k': { type: 'int', min: 0, default: 40, help: 'sample among the K most likely tokens (0 = all)' },
    seed: { type: 'int', min: 0, default: 0, help: 'sampling seed' },
  },
  validate({ positionals }) {
    const problem = savedRunProblem(positionals[0]!);
    if (problem) throw new UsageError(`dfa generate: ${problem}`);
  },
  async run({ positionals, options: o }) {
    const dir = positionals[0]!;
    const prompt = o.prompt ?? '\n';
    await initBackend();
    const { model, tokenizer, bestValidPpl, epoch } = loadSavedLm(dir);
    try {
      const ids = tokenizer.encode(prompt);
      const out = generateTokens(model, ids, { maxTokens: o.tokens, temperature: o.temperature, topK: o['top-k'], rng: new Rng(o.seed).fork('generate') });
      console.error(`[${basename(dir)}: best valid perplexity ${bestValidPpl.toFixed(1)}, weights of epoch ${epoch}]`);
      process.stdout.write(prompt + tokenizer.decode(out) + '\n');
    } finally {
      model.dispose();
    }
    return 0;
  },
});
