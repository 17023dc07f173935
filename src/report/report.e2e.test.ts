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
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../playground/bundle';
import { SUITES } from '../suites';
import { withTempDir } from '../../test/helpers';
import { storeToyRuns, toySuite } from '../../test/report_toy';
import { buildReport } from './build';
import { PAPER_CONTENTS, partSlug } from './parts';
import { PAPER_COMMAND } from './command';
import { NO_REASON } from './sections';
import { runCommand } from '../command/command';
import { sharedDataDir } from '../data/paths';
import { quietly } from '../../test/helpers';

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
    const page = await inChromium(r.files.html, 'report-page.png');
    assert.ok(page.images >= 2, 'the toy PNG and its curves');
    assert.ok(page.outside >= 1, 'a cell marked outside (the toy DFA row)');
  });
});

/** Opens a report page offline in chromium: every image decodes, every part has its heading, no request leaves, no console error; saves a screenshot under out/. */
async function inChromium(html: string, screenshot: string): Promise<{ images: number; outside: number }> {
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
    const url = pathToFileURL(html).href;
    await ctx.route('**/*', (route) => (route.request().url() === url ? route.continue() : (requests.push(route.request().url()), route.abort())));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url, { waitUntil: 'load' });
    const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ ok: i.complete && i.naturalWidth > 0, src: i.src.slice(0, 30) })));
    for (const im of images) assert.ok(im.ok, `image ${im.src}… decodes`);
    const ids = await page.$$eval('h2[id]', (hs) => hs.map((h) => h.id));
    for (const id of PAPER_CONTENTS) assert.ok(ids.includes(partSlug(id)), `${id} has its section`);
    const outside = await page.locator('tr.outside').count();
    assert.deepEqual(requests.filter((u) => !u.startsWith('data:')), [], 'no request leaves the page');
    assert.deepEqual(errors, [], 'no console error');
    const out = join(REPO_ROOT, 'out');
    mkdirSync(out, { recursive: true });
    await page.screenshot({ path: join(out, screenshot), fullPage: true });
    return { images: images.length, outside };
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

// The real tables at the tiny budget: tfjs's JS kernels would make it minutes, so the native pass runs it.
const skipTiny = existsSync(CHROMIUM) === false ? skip
  : process.env.DFA_BACKEND === 'cpu' ? 'dfa reproduce paper --budget tiny runs once, in the native pass'
  : !existsSync(sharedDataDir()) ? `needs the shared data (${sharedDataDir()})` : false;

test('dfa reproduce paper --budget tiny: every part of the paper, every cell a number or a stated reason, the page offline in chromium', { skip: skipTiny, timeout: 240_000 }, async () => {
  await withTempDir(async (dir) => {
    const out = join(dir, 'out');
    const { err } = await quietly(() => runCommand(PAPER_COMMAND, ['--budget', 'tiny', '--runs', join(dir, 'runs'), '--out', out]));
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    assert.ok(!md.includes(NO_REASON), `a cell without a number states no reason:\n${md.split('\n').filter((l) => l.includes(NO_REASON)).slice(0, 3).join('\n')}\n${err.slice(-500)}`);
    for (const id of PAPER_CONTENTS) assert.match(md, new RegExp(`^## ${id.replace('.', '\\.')}: `, 'm'), `${id} in the Markdown twin`);
    const numbers = md.split('\n').filter((l) => /^\| .*\| -?\d+\.\d+( ± \d+\.\d+)? \|/.test(l)).length;
    assert.ok(numbers >= 20, `the real tables gave numbers (${numbers} rows with one)`);
    await inChromium(join(out, 'index.html'), 'report-tiny.png');
  });
});
