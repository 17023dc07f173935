/** `dfa recsys-bench`: training samples/s and peak memory of the recommender models (bench/recsys.ts). */
import { Options, parseArgs } from '../args';
import { initBackend } from '../../engine/backend';
import { parseRecsysModel } from '../../models/recsys';

export const help = `usage: dfa recsys-bench [options]

Training samples/s and peak memory (RSS, tfjs tensors) of DeepFM and Deep&Cross, BP and DFA, at
batch 512 and 2048, streaming a synthetic Criteo file from the processed cache; also the memory
growth between 10 % of the streamed rows and the end (flat = streaming works).

  --models deepfm,dcn  --methods bp,dfa  --batch-sizes 512,2048
  --rows N          synthetic file size (default 2000000; built once into the cache, takes minutes)
  --stream-rows N   rows trained per configuration (default 20 batches)
  --cache DIR  --json FILE
Run it alone: the machine's cores are shared.`;

export async function run(argv: string[]): Promise<number> {
  const { options } = parseArgs(argv);
  const o = new Options(options, 'dfa recsys-bench');
  const models = o.list('models', ['deepfm', 'dcn']).map(parseRecsysModel);
  const methods = o.list('methods', ['bp', 'dfa']) as ('bp' | 'dfa')[];
  for (const m of methods) if (m !== 'bp' && m !== 'dfa') throw new Error(`dfa recsys-bench: --methods takes bp and dfa, got '${m}'`);
  const batchSizes = o.list('batch-sizes', ['512', '2048']).map(Number);
  const rows = o.int('rows', 2_000_000);
  const streamRows = o.int('stream-rows');
  const cacheDir = o.str('cache');
  const json = o.str('json');
  o.done();
  await initBackend();
  const { benchRecsys } = await import('../../../bench/recsys');
  await benchRecsys({ models, methods, batchSizes, rows, streamRows, cacheDir, json });
  return 0;
}
