/** `dfa generate <run> --prompt "..."`: sample text from a language model saved by `dfa reproduce table5 --save DIR`. */
import { parseArgs, Options } from '../../../cli/args';
import { initBackend } from '../../../engine/backend';
import { Rng } from '../../../engine/rng';
import { loadLm } from '../../../models/transformer/checkpoint';
import { generateTokens } from '../models/sample';

export const help = `usage: dfa generate <run folder> [--prompt TEXT] [options]

Samples text from a Transformer language model saved with 'dfa reproduce table5 --save DIR'
(one folder per cell, e.g. DIR/bp-beta2).

  --prompt TEXT        text to continue (default: a newline)
  --tokens N           tokens to generate (default 200)
  --temperature T      softmax temperature (default 0.8; 0 = greedy)
  --top-k K            sample among the K most likely tokens (default 40; 0 = all)
  --seed S             sampling seed (default 0)`;

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  const o = new Options(a.options, 'generate');
  const prompt = o.str('prompt', '\n');
  const tokens = o.int('tokens', 200);
  const temperature = o.num('temperature', 0.8);
  const topK = o.int('top-k', 40);
  const seed = o.int('seed', 0);
  o.done();
  const dir = a.positional[0];
  if (!dir) {
    console.error(help);
    return 2;
  }
  if (tokens < 0 || temperature < 0 || topK < 0) throw new Error('generate: --tokens, --temperature and --top-k must be >= 0');
  await initBackend();
  const { model, tokenizer, meta } = loadLm(dir);
  const ids = tokenizer.encode(prompt);
  const out = generateTokens(model, ids, { maxTokens: tokens, temperature, topK, rng: new Rng(seed).fork('generate') });
  if (meta.cell) console.error(`[${String(meta.cell)}: best valid perplexity ${Number(meta.bestValidPpl).toFixed(1)}]`);
  process.stdout.write(prompt + tokenizer.decode(out) + '\n');
  model.dispose();
  return 0;
}
