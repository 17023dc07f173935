/**
 * Bundling for the browser with esbuild (Node-only: used by `dfa playground` and the tests).
 * A plugin watches every import of a Node built-in (fs, path, node:*, module, …): one that the
 * importing package does not map away for browsers (package.json "browser" field) is a leak,
 * reported with the chain of imports that pulled it in, so the message names the culprit file.
 */
import { builtinModules } from 'node:module';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface NodeLeak {
  /** the built-in as imported, e.g. 'fs' or 'node:path' */
  module: string;
  /** file that imports it, relative to the repo root */
  importer: string;
  /** entry → … → importer */
  chain: string[];
}

export interface BrowserBundle {
  /** output path (relative to outdir) → contents */
  files: Map<string, Uint8Array>;
  leaks: NodeLeak[];
  /** input files, relative to the repo root */
  inputs: string[];
}

export interface BundleOptions {
  /** entry name → source file (absolute or repo-relative), e.g. { page: 'src/playground/page.ts' } */
  entries: Record<string, string>;
  minify?: boolean;
  /** also accept code given as a string (tests): { contents, resolveDir } */
  stdin?: { contents: string; resolveDir: string };
  sourcemap?: boolean;
}

const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));
const SKIP = Symbol('dfa-skip');

function isBuiltin(path: string): boolean {
  if (path.startsWith('node:')) return true;
  return BUILTINS.has(path) || BUILTINS.has(path.split('/')[0]!);
}

function leakPlugin(leaks: { module: string; importer: string }[]): Plugin {
  return {
    name: 'node-builtin-leaks',
    setup(b) {
      b.onResolve({ filter: /^(node:)?[a-z_]+(\/[a-z_]+)?$/ }, async (args) => {
        if (args.pluginData === SKIP || !isBuiltin(args.path)) return undefined;
        // What esbuild itself does with it: a "browser" field may map it to an empty module.
        const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: SKIP });
        if (r.errors.length === 0 && !r.external) return undefined;
        leaks.push({ module: args.path, importer: rel(args.importer) });
        return { path: args.path, external: true };
      });
    },
  };
}

function rel(p: string): string {
  return p && !p.startsWith('<') ? relative(REPO_ROOT, p) : p;
}

/** entry → … → target, over the metafile's import graph (breadth first: the shortest chain). */
function chainTo(meta: Metafile, target: string): string[] {
  const entries = Object.values(meta.outputs).map((o) => o.entryPoint).filter((e): e is string => !!e);
  const prev = new Map<string, string | null>(entries.map((e) => [e, null]));
  const queue = [...entries];
  while (queue.length) {
    const cur = queue.shift()!;
    if (cur === target) break;
    for (const imp of meta.inputs[cur]?.imports ?? []) {
      if (imp.external || prev.has(imp.path)) continue;
      prev.set(imp.path, cur);
      queue.push(imp.path);
    }
  }
  if (!prev.has(target)) return [target];
  const chain: string[] = [];
  for (let c: string | null | undefined = target; c; c = prev.get(c)) chain.unshift(c);
  return chain;
}

export async function bundleForBrowser(o: BundleOptions): Promise<BrowserBundle> {
  const raw: { module: string; importer: string }[] = [];
  const entryPoints = Object.fromEntries(Object.entries(o.entries).map(([k, v]) => [k, resolve(REPO_ROOT, v)]));
  const r = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: o.stdin ? undefined : entryPoints,
    stdin: o.stdin ? { ...o.stdin, loader: 'ts', sourcefile: '<stdin>.ts' } : undefined,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    outdir: '/virtual',
    write: false,
    metafile: true,
    minify: o.minify ?? true,
    sourcemap: o.sourcemap ? 'inline' : false,
    logLevel: 'silent',
    legalComments: 'none',
    plugins: [leakPlugin(raw)],
    // tfjs reads process.env when it exists; a browser has none, so make sure nothing assumes it.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const files = new Map<string, Uint8Array>();
  for (const f of r.outputFiles) files.set(relative('/virtual', f.path), f.contents);
  const seen = new Set<string>();
  const leaks: NodeLeak[] = [];
  for (const l of raw) {
    const key = `${l.module}\0${l.importer}`;
    if (seen.has(key)) continue;
    seen.add(key);
    leaks.push({ ...l, chain: chainTo(r.metafile, l.importer) });
  }
  return { files, leaks, inputs: Object.keys(r.metafile.inputs) };
}

export function describeLeaks(leaks: NodeLeak[]): string {
  return leaks.map((l) => `Node built-in '${l.module}' imported by ${l.importer} (${l.chain.join(' → ')})`).join('\n');
}
