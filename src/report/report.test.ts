/**
 * The reproduction report (`dfa reproduce paper`): built from stored runs without running them,
 * one self-contained page (no asset fetched from anywhere), every part of the paper present,
 * cells marked within / outside tolerance as computed by hand, the Markdown twin saying the same,
 * and the command's options refused by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from '../../test/helpers';
import { main } from '../cli/main';
import { assertSelfContained, storeToyRuns, toySuite } from '../../test/report_toy';
import { buildReport } from './build';
import { PAPER_CONTENTS, partSlug } from './parts';
import type { ProducedSource } from './produce';
import { allCells, buildSection, NO_REASON } from './sections';

test('report: built from stored runs (nothing run), self-contained, cells marked within / outside by hand, the Markdown twin the same', async () => {
  await withTempDir(async (dir) => {
    const ran: string[] = [];
    const suite = toySuite(ran);
    // an earlier sitting stored the quick budget (2 seeds) and standard's third BP seed (not DFA's)
    const stored = join(dir, 'stored');
    storeToyRuns(stored, [0, 1]);
    storeToyRuns(stored, [2], ['bp']);

    const r = await buildReport({ budget: 'tiny', out: join(dir, 'out'), runs: join(dir, 'runs'), from: [stored], command: 'dfa reproduce paper --budget tiny', suites: [suite], log: () => {} });
    assert.deepEqual(ran, [], 'the quick budget is wholly stored: assembled from it, nothing run');
    const src = r.page.sources.find((s) => s.table === 'toy')!;
    assert.equal(src.budget, 'quick', 'the richest budget whose every run is stored');

    // hand-computed: dfa (74 + 75) / 2 = 74.5 ± 0.71, paper 78, Δ −3.50: outside ±2
    const cells = allCells(r.page.sections);
    const bp = cells.find((c) => c.row.method === 'bp' && c.row.dataset === 'cora')!;
    const dfa = cells.find((c) => c.row.method === 'dfa' && c.row.dataset === 'cora')!;
    assert.equal(dfa.mark, 'outside');
    assert.equal(dfa.row.mean, 74.5);
    assert.equal(dfa.delta, -3.5);
    assert.deepEqual(dfa.verdicts, ['TOY VERDICT: DFA misses here']);
    // bp: the standard budget's 3 seeds are all stored, so its row replaces quick's: (81 + 83 + 90) / 3 = 84.667, Δ +4.667: outside
    assert.equal(bp.row.budget, 'standard');
    assert.equal(bp.row.seeds, 3);
    assert.ok(Math.abs(bp.row.mean - 254 / 3) < 1e-9);
    assert.equal(bp.mark, 'outside');
    const missing = cells.find((c) => c.row.dataset === 'pubmed')!;
    assert.equal(missing.mark, 'reason');
    assert.equal(missing.reason, 'TOY REASON: the file is missing');
    for (const c of cells) assert.ok(c.mark !== 'reason' || (c.reason && c.reason !== NO_REASON), `${c.row.dataset} ${c.row.method}: a number or a stated reason`);

    const html = readFileSync(r.files.html, 'utf8');
    assert.equal(html, r.html);
    assertSelfContained(html);
    assert.match(html, /<img src="data:image\/png;base64,[A-Za-z0-9+/=]+"[^>]*alt="TOY FIGURE CAPTION/);
    assert.match(html, /<img src="data:image\/svg\+xml;base64,/, 'the curves, embedded');
    assert.match(html, /<tr class="outside"><td>cora<\/td><td>GCN<\/td><td>dfa<\/td><td>test accuracy \(%\)<\/td><td class="num">74\.50 ± 0\.71<\/td><td class="num">2<\/td><td class="num">78\.00<\/td><td class="num">-3\.50<\/td><td class="mark">outside ±2 points<\/td>/);
    assert.match(html, /TOY VERDICT: DFA misses here/);
    assert.match(html, /TOY PART NOTE/);
    assert.match(html, /toy note: the orderings hold/);
    assert.match(html, /standard budget<\/span>/, 'the upgraded row says its budget');
    assert.match(html, /TOY REASON: the file is missing/);
    for (const id of PAPER_CONTENTS) assert.match(html, new RegExp(`<h2 id="${partSlug(id)}">`), `${id} has its section`);
    assert.match(html, /no wing declares Table 1/, 'a part no wing makes says so');

    // the twin: same cells, figures as files beside it
    const md = readFileSync(r.files.markdown, 'utf8');
    assert.match(md, /\| cora \| GCN \| dfa \| test accuracy \(%\) \| 74\.50 ± 0\.71 \| 2 \| 78\.00 \| -3\.50 \| outside ±2 points \| \*\*verdict:\*\* TOY VERDICT/);
    assert.match(md, /\| cora \| GCN \| bp \| test accuracy \(%\) \| 84\.67 ± 4\.73 \| 3 \| 80\.00 \| \+4\.67 \| outside ±2 points \|.*\(standard budget\)/);
    assert.match(md, /\| pubmed \| GCN \| bp \| .* \| no number \| \*\*why no number:\*\* TOY REASON/);
    const figs = [...md.matchAll(/!\[[^\]]*\]\((figures\/[^)]+)\)/g)].map((m) => m[1]!);
    assert.equal(figs.length, 2, 'the PNG and the curves');
    for (const f of figs) assert.ok(existsSync(join(dir, 'out', f)), `${f} written beside the twin`);
    for (const id of PAPER_CONTENTS) assert.match(md, new RegExp(`^## ${id.replace('.', '\\.')}: `, 'm'));
  });
});

test('report: the within mark at the edge of the tolerance (|Δ| = 2 exactly), when the asked budget is stored', async () => {
  await withTempDir(async (dir) => {
    const ran: string[] = [];
    storeToyRuns(join(dir, 'stored'), [0, 1]);
    const r = await buildReport({ budget: 'quick', out: join(dir, 'out'), runs: join(dir, 'runs'), from: [join(dir, 'stored')], command: 'x', suites: [toySuite(ran)], log: () => {} });
    const bp = allCells(r.page.sections).find((c) => c.row.method === 'bp' && c.row.dataset === 'cora')!;
    assert.equal(bp.row.mean, 82);
    assert.equal(bp.mark, 'within', '82 − 80 = 2 ≤ 2');
    assert.deepEqual(ran, []);
  });
});

test('report: a budget not wholly stored is run, reusing the stored runs; the page lists every table with its time', async () => {
  await withTempDir(async (dir) => {
    const ran: string[] = [];
    storeToyRuns(join(dir, 'stored'), [0], ['bp']);
    const r = await buildReport({ budget: 'quick', out: join(dir, 'out'), runs: join(dir, 'runs'), from: [join(dir, 'stored')], command: 'x', suites: [toySuite(ran)], log: () => {} });
    assert.deepEqual(ran.sort(), ['bp_seed1', 'dfa_seed0', 'dfa_seed1'], 'only the runs not stored');
    const src = r.page.sources[0]!;
    assert.equal(src.ran, 3);
    assert.equal(src.reused, 1);
    assert.ok(existsSync(join(dir, 'runs', 'toy', 'dfa_seed1.json')), 'this sitting stores its runs for the next');
    assert.match(r.html, /<h2 id="environment">/);
    assert.match(r.html, /<td><code>toy<\/code><\/td><td>quick<\/td><td class="num">4<\/td><td class="num">3<\/td>/);
  });
});

test("report: the wings' manifests make every table and figure of the paper (stored-only, nothing stored: each cell a stated reason)", async () => {
  await withTempDir(async (dir) => {
    const r = await buildReport({ budget: 'tiny', out: join(dir, 'out'), runs: join(dir, 'runs'), from: [], storedOnly: true, command: 'x', log: () => {} });
    assert.deepEqual(r.page.sections.map((s) => s.id), [...PAPER_CONTENTS]);
    for (const s of r.page.sections) assert.equal(s.missing, undefined, `${s.id} is declared by a wing`);
    for (const c of allCells(r.page.sections)) assert.ok(c.mark !== 'reason' || (c.reason && c.reason !== NO_REASON), `${c.row.table} ${c.row.dataset} ${c.row.model} ${c.row.method}: a number or a stated reason`);
    assertSelfContained(r.html);
    assert.match(r.html, /Pipeline check only/, "Table 2's sample run is shown as a pipeline check");
  });
});

test('dfa reproduce paper: a bad --budget and a missing --from are refused by name, before any work', async () => {
  const errors: string[] = [];
  const orig = console.error;
  console.error = (m: unknown) => void errors.push(String(m));
  try {
    assert.equal(await main(['reproduce', 'paper', '--budget', 'huge']), 2);
    assert.match(errors.join('\n'), /--budget/);
    assert.match(errors.join('\n'), /huge/);
    errors.length = 0;
    assert.equal(await main(['reproduce', 'paper', '--from', '/nonexistent/dfa-report-test']), 2);
    assert.match(errors.join('\n'), /--from: '\/nonexistent\/dfa-report-test' is not a folder/);
    errors.length = 0;
    assert.equal(await main(['reproduce', 'paper', '--queue', 'http://x:1']), 2);
    assert.match(errors.join('\n'), /--queue/);
  } finally {
    console.error = orig;
  }
});

test("report: a row without a number or a note takes the reason its run's other metric states", () => {
  const row = (metric: string, note?: string) => ({ table: 'table2', dataset: 'd', model: 'DeepFM', method: 'bp', metric, mean: NaN, std: NaN, seeds: 0, paper: 0.8, budget: 'tiny' as const, ...(note ? { note } : {}) });
  const source = { suite: 's', table: 't', rows: [row('AUC', 'seed 0 not run yet'), row('log loss')] } as unknown as ProducedSource;
  const s = buildSection({ suite: 's', part: { id: 'Table 2', title: '', sources: [{ table: 't' }] } }, {}, new Map([['s/t', source]]), [], 'table2');
  assert.deepEqual(s.groups[0]!.cells.map((c) => c.reason), ['seed 0 not run yet', 'seed 0 not run yet (as its AUC row states)']);
});
