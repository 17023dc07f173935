/**
 * Node-only: builds the playground's static site in memory — web/index.html, web/style.css,
 * page.js (the UI, no tfjs) and worker.js (tfjs + the dfa-ts core) — and writes it to a folder.
 * Refuses to build when a Node built-in leaks into either bundle.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleForBrowser, describeLeaks, REPO_ROOT } from './bundle';

export const WEB_DIR = join(REPO_ROOT, 'web');

export async function buildSite(opts: { minify?: boolean } = {}): Promise<Map<string, Uint8Array>> {
  const b = await bundleForBrowser({
    entries: { page: 'src/playground/page.ts', worker: 'src/playground/worker.ts' },
    minify: opts.minify ?? true,
  });
  if (b.leaks.length) throw new Error(`the playground bundle pulls in Node-only modules:\n${describeLeaks(b.leaks)}`);
  const files = new Map(b.files);
  for (const f of ['index.html', 'style.css']) files.set(f, readFileSync(join(WEB_DIR, f)));
  return files;
}

export function writeSite(files: Map<string, Uint8Array>, dir: string): string[] {
  const out: string[] = [];
  for (const [name, data] of files) {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
    out.push(p);
  }
  return out;
}
