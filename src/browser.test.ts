import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bundleForBrowser, describeLeaks, REPO_ROOT } from './playground/bundle';

// The browser entry bundles for platform 'browser' with no Node built-in in it.
test('browser bundle: src/browser.ts pulls in no Node built-in and no Node-only module', async () => {
  const b = await bundleForBrowser({ entries: { browser: 'src/browser.ts' }, minify: false });
  assert.equal(b.leaks.length, 0, `Node-only modules leak into the browser bundle:\n${describeLeaks(b.leaks)}`);
  // Node-only by design (they load the addon or files); the native kernels themselves are plain TS,
  // and so are the Planetoid parsers (bytes in, arrays out: the playground's Cora).
  const isomorphicData = new Set(['src/suites/graphs/data/parse.ts', 'src/suites/graphs/data/pickle.ts']);
  const nodeOnly = b.inputs.filter((f) => /^src\/(engine\/(backend|native\/addon)\.ts|cli\/|data\/|suites\/graphs\/data\/(index|planetoid|converted)\.ts)/.test(f) && !isomorphicData.has(f));
  assert.deepEqual(nodeOnly, [], `Node-only source files in the browser bundle: ${nodeOnly.join(', ')}`);
  // the core really is in it
  for (const f of ['src/feedback/feedback.ts', 'src/nn/mlp.ts', 'src/engine/rng.ts', 'src/playground/session.ts', 'src/playground/cora.ts', ...isomorphicData]) {
    assert.ok(b.inputs.includes(f), `${f} missing from the bundle`);
  }
  assert.ok(b.files.get('browser.js')!.length > 100_000);
});

// The check can fail: importing a Node-only file (the bundler itself) is reported, naming the built-in and the file.
test('browser bundle: a leak is reported with the module, the importing file and the import chain', async () => {
  const b = await bundleForBrowser({
    entries: {},
    minify: false,
    stdin: { contents: "export { bundleForBrowser } from './src/playground/bundle';", resolveDir: REPO_ROOT },
  });
  const msg = describeLeaks(b.leaks);
  assert.match(msg, /Node built-in 'node:module' imported by src\/playground\/bundle\.ts \(<stdin>\.ts → src\/playground\/bundle\.ts\)/);
  assert.match(msg, /Node built-in 'node:path' imported by src\/playground\/bundle\.ts/);
  // and through a package: esbuild's Node API needs child_process
  assert.match(msg, /Node built-in '(node:)?child_process' imported by node_modules\/esbuild\/.* → node_modules\/esbuild\//);
});
