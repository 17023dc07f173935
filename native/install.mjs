#!/usr/bin/env node
// Builds the OpenBLAS addon with node-gyp at install. A failed build does not fail the install:
// the package then runs on tfjs's plain cpu backend and says so once at start-up.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const verbose = process.argv.includes('--verbose');

if (process.env.DFA_SKIP_NATIVE === '1') {
  console.log('dfa-ts: DFA_SKIP_NATIVE=1, not building the native addon');
  process.exit(0);
}

// Prefer npm's own node-gyp (no download); npm exports its path to lifecycle scripts.
const candidates = [
  process.env.npm_config_node_gyp,
  join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
].filter((p) => p && existsSync(p));

if (candidates.length === 0) {
  console.warn('dfa-ts: node-gyp not found; the native addon is not built (plain tfjs cpu will be used).');
  process.exit(0);
}

// Node's headers ship with the system Node (npm's config names them as nodedir); never download.
const nodedir = process.env.npm_config_nodedir ||
  [join(dirname(process.execPath), '..'), '/usr', '/usr/local'].find((d) => existsSync(join(d, 'include', 'node', 'node_api.h')));
const gypArgs = [candidates[0], 'rebuild', '--directory', here];
if (nodedir) gypArgs.push(`--nodedir=${nodedir}`);
const r = spawnSync(process.execPath, gypArgs, {
  stdio: verbose ? 'inherit' : 'pipe',
  encoding: 'utf8',
});
if (r.status === 0) {
  console.log('dfa-ts: native OpenBLAS addon built (native/build/Release/dfa_native.node)');
} else {
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').filter((l) => /error|cblas|not found/i.test(l)).slice(0, 8).join('\n');
  console.warn(
    'dfa-ts: could not build the native addon; dfa-ts will run on plain tfjs cpu (slower).\n' +
      (out ? out + '\n' : '') +
      'For native speed: apt-get install -y libopenblas-dev && npm run build:native',
  );
}
process.exit(0);
