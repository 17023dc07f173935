#!/usr/bin/env node
// The `dfa` command. The package ships TypeScript; tsx compiles it on the fly. `dfa bench` comes
// from bench/ (the benchmarks are not part of the library, so src/ never imports them).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const bench = { summary: 'benchmarks beside PyTorch run in the same invocation: engine, mlp, gcn, transformer, recsys, nerf', load: () => import('../bench/command.ts') };
process.exitCode = await main(process.argv.slice(2), { bench });
