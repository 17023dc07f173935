/**
 * `dfa bench <name>`: speed beside PyTorch on the same machine, printed and as JSON. Each benchmark
 * declares its options in a table beside its code (bench/<name>.ts: `command`), parsed and checked
 * by the option layer (src/command) before any timing or PyTorch process starts; `dfa bench <name>
 * --help` is generated from that table. Each is loaded only when called.
 */
import type { Command } from '../src/command/command';
import { runLoaded } from '../src/cli/dispatch';

interface BenchEntry {
  summary: string;
  load(): Promise<Command>;
}

export const subcommands: Record<string, BenchEntry> = {
  engine: { summary: 'GEMM GFLOPS of tf.matMul on our backend beside torch.mm', load: () => import('./engine').then((m) => m.command) },
  mlp: { summary: 'training step of the MLP 784 → 1024×k → 10 (BP, DFA, shallow; SGD, Adam) beside ../shared/anchors/torch_mlp.py', load: () => import('./mlp').then((m) => m.command) },
  gcn: { summary: 'GCN training ms/epoch on Cora and CiteSeer (BP, DFA, shallow) beside ../shared/anchors/torch_gcn.py', load: () => import('./gcn').then((m) => m.command) },
  transformer: { summary: 'LM training tokens/s (BP, DFA macro/micro, shallow) beside torch_transformer.py', load: () => import('./transformer').then((m) => m.command) },
  recsys: { summary: 'recommender training samples/s and peak memory (DeepFM, Deep&Cross; BP, DFA), streaming a synthetic Criteo file', load: () => import('./recsys').then((m) => m.command) },
  cnn: { summary: 'CNN training step (LeNet-5-like, small VGG-like; BP, DFA, shallow) beside bench/cnn_torch.py', load: () => import('./cnn').then((m) => m.command) },
  nerf: { summary: 'NeRF training and rendering rays/s (Tiny-NeRF, full NeRF) beside the anchors; MLP GFLOP/s vs the GEMM peak', load: () => import('./nerf').then((m) => m.command) },
  projection: { summary: "memory and ms per call of the direct methods' projection v·B, dense vs structured (no PyTorch column)", load: () => import('./projection').then((m) => m.command) },
  queue: { summary: 'a grid of short Table 5 runs locally and through the job queue with 1 and 2 workers (needs redis-server)', load: () => import('./queue').then((m) => m.command) },
};

/** Scripts beside the benchmarks (node --import tsx bench/<file> --help), on the same option layer. */
export const scripts: Record<string, BenchEntry> = {
  'profile_cnn.ts': { summary: "per-kernel time of one `dfa bench cnn` step", load: () => import('./profile_cnn').then((m) => m.command) },
  'profile_nerf.ts': { summary: "where a NeRF training step's time goes", load: () => import('./profile_nerf').then((m) => m.command) },
  'profile_recsys.ts': { summary: 'per-kernel time of one recommender training step', load: () => import('./profile_recsys').then((m) => m.command) },
  'profile_transformer.ts': { summary: 'per-kernel time of one Transformer LM training step', load: () => import('./profile_transformer').then((m) => m.command) },
  'nerf_budget.ts': { summary: 'table1 budgets that fit a stated time', load: () => import('./nerf_budget').then((m) => m.command) },
};

export const help = `usage: dfa bench <name> [options]

benchmarks:
${Object.entries(subcommands).map(([n, c]) => `  ${n.padEnd(12)} ${c.summary}`).join('\n')}

'dfa bench <name> --help' for a benchmark's options (all take --json FILE; those with a PyTorch column --no-torch).
scripts (node --import tsx bench/<file> --help for their options):
${Object.entries(scripts).map(([n, c]) => `  ${n.padEnd(23)} ${c.summary}`).join('\n')}
Run one benchmark at a time: the machine's cores are shared.`;

/** `dfa bench --help` is ours; `dfa bench <name> --help` is the benchmark's generated help. */
export const handlesHelp = true;

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') {
    console.log(help);
    return 0;
  }
  const entry = name !== undefined && Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (!entry) {
    console.error(`${name === undefined ? 'dfa bench: which benchmark?' : `dfa bench: unknown benchmark '${name}'`}\n\n${help}`);
    return 2;
  }
  return runLoaded(await entry.load(), rest);
}
