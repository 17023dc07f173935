/** The loaders the fuzz suite covers, each loaded only in the worker that fuzzes it. */
import type { FuzzTarget } from './harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const TARGETS: Record<string, () => Promise<FuzzTarget<any>>> = {
  'planetoid-pickle': async () => (await import('./targets/graphs')).planetoidPickle,
  planetoid: async () => (await import('./targets/graphs')).planetoid,
  'criteo-tsv': async () => (await import('./targets/recsys')).criteoTsv,
  'criteo-cache': async () => (await import('./targets/recsys')).criteoCache,
  png: async () => (await import('./targets/images')).png,
  apng: async () => (await import('./targets/images')).apng,
  npy: async () => (await import('./targets/images')).npy,
  'nerf-blender': async () => (await import('./targets/nerf')).blender,
  'nerf-llff': async () => (await import('./targets/nerf')).llff,
  'text-corpus': async () => (await import('./targets/text')).corpus,
  tokenizer: async () => (await import('./targets/text')).tokenizer,
  checkpoint: async () => (await import('./targets/runs')).checkpoint,
  'run-result': async () => (await import('./targets/runs')).runResult,
};
