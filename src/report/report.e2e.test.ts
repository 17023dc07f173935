/**
 * The reproduction report's page in a real headless browser (Debian's chromium + playwright-core):
 * opened from its file with every network request refused, it loads with no console error and no
 * request but data: URIs, every image decodes, every part of the paper has its heading, and a
 * screenshot is saved (out/report-page.png). Built from the toy wing's stored runs (the marks) and
 * the real wings' manifests (every part), nothing trained. Skips (saying why) when chromium is
 * missing; runs once, in the DFA_BACKEND=cpu pass, like the playground's browser test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../playground/bundle';
import { SUITES } from '../suites';
import { withTempDir } from '../../test/helpers';
import { storeToyRuns, toySuite } from '../../test/report_toy';
import { buildReport } from './build';
import { PAPER_CONTENTS, partSlug } from './parts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM)
  ? `chromium not found at ${CHROMIUM}: skipping the report's browser test (apt-get install -y chromium, or set CHROMIUM_PATH)`
  : process.env.DFA_BACKEND === 'native'
    ? "the report's browser test runs once, in the DFA_BACKEND=cpu pass"
    : false;

test('report page in headless chromium: loads offline, no console error, every image decodes, every part present', { skip, timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    storeToyRuns(join(dir, 'stored'), [0, 1]);
    // the toy wing makes Table 3 (with its PNG and curves); the real wings every other part, from nothing stored
    const suites = [toySuite([]), ...SUITES.filter((s) => s.name !== 'graphs')];
    const r = await buildReport({ budget: 'quick', out: join(dir, 'out'), runs: join(dir, 'runs'), from: [join(dir, 'stored')], storedOnly: true, command: 'x', suites, log: () => {} });
    const { chromium } = await import('playwright-core');
    const profile = mkdtempSync(join(tmpdir(), 'dfa-chromium-'));
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, offline: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 1000 },
    });
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      const requests: string[] = [];
      const errors: string[] = [];
      const url = pathToFileURL(r.files.html).href;
      await ctx.route('**/*', (route) => (route.request().url() === url ? route.continue() : (requests.push(route.request().url()), route.abort())));
      page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url, { waitUntil: 'load' });
      const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ ok: i.complete && i.naturalWidth > 0, src: i.src.slice(0, 30) })));
      assert.ok(images.length >= 2, 'the toy PNG and its curves');
      for (const im of images) assert.ok(im.ok, `image ${im.src}… decodes`);
      const ids = await page.$$eval('h2[id]', (hs) => hs.map((h) => h.id));
      for (const id of PAPER_CONTENTS) assert.ok(ids.includes(partSlug(id)), `${id} has its section`);
      assert.equal(await page.locator('tr.outside').count() >= 1, true, 'a cell marked outside (the toy DFA row)');
      assert.deepEqual(requests.filter((u) => !u.startsWith('data:')), [], 'no request leaves the page');
      assert.deepEqual(errors, [], 'no console error');
      const out = join(REPO_ROOT, 'out');
      mkdirSync(out, { recursive: true });
      await page.screenshot({ path: join(out, 'report-page.png'), fullPage: true });
    } finally {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
