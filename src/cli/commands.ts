/**
 * The core `dfa` commands; each wing adds its own through its manifest (src/suites), and the
 * package's bin adds `dfa bench` from bench/ (so nothing in src/ imports the benchmarks).
 * Every command is loaded only when called.
 */
import type { LazyCommand } from '../suites/types';

export const CORE_COMMANDS: Record<string, LazyCommand> = {
  reproduce: { summary: "run a table or figure of the paper and print ours beside the paper's values", load: () => import('./commands/reproduce') },
  train: { summary: 'train one network with bp, dfa, fa or shallow on a built-in task; writes runs/<id>/ with a report', load: () => import('./commands/train').then((m) => m.default) },
  demo: { summary: 'train one network with bp, dfa, fa and shallow side by side and print the comparison', load: () => import('./commands/demo').then((m) => m.default) },
  playground: { summary: 'the browser playground: BP, DFA, FA and shallow learning side by side, live (localhost or --build DIR)', load: () => import('./commands/playground').then((m) => m.default) },
  worker: { summary: "run the jobs of 'dfa reproduce <table> --queue redis://HOST:PORT' on this machine", load: () => import('./commands/worker').then((m) => m.default) },
  report: { summary: "show runs/<id> folders written by 'dfa train' as charts in the browser", load: () => import('./commands/report').then((m) => m.default) },
};
