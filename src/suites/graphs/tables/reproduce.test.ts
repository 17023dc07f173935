import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasSharedData, withTempDir } from '../../../../test/helpers';
import { runCommand } from '../../../command/command';
import { GRAPH_COMMANDS } from './commands';
import { stratifiedFolds } from '../data/node_data';

test('dfa reproduce table3 writes one JSON row per cell, PubMed reported as skipped with the reason', { skip: !hasSharedData('cora') && 'no shared data' }, async () => {
  await withTempDir(async (dir) => {
    const json = join(dir, 't3.json'), md = join(dir, 't3.md');
    const rc = await runCommand(GRAPH_COMMANDS.table3, ['--seeds', '1', '--epochs', '3', '--datasets', 'cora,pubmed', '--models', 'gcn', '--json', json, '--md', md]);
    assert.equal(rc, 0);
    const out = JSON.parse(readFileSync(json, 'utf8')) as { rows: { table: string; dataset: string; model: string; method: string; mean: number; seeds: number; paper: number; note?: string }[] };
    assert.deepEqual(out.rows.map((r) => `${r.dataset}/${r.model}/${r.method}/${r.paper}`), ['cora/GraphConv/bp/80.1', 'cora/GraphConv/dfa/79.9', 'pubmed/GraphConv/bp/78.8', 'pubmed/GraphConv/dfa/77.8']);
    assert.ok(out.rows[0]!.mean > 0 && out.rows[0]!.seeds === 1);
    if (hasSharedData('pubmed')) assert.match(out.rows[2]!.note ?? '', /skipped: .*ind\.pubmed\.allx/);
    assert.match(readFileSync(md, 'utf8'), /\| table3 \| cora \| GraphConv \| dfa \|/);
  });
});

test('the DNA split: 5 stratified folds covering every node once', () => {
  const y = Int32Array.from({ length: 103 }, (_, i) => (i * 7) % 3);
  const f = stratifiedFolds(y, 5, 0);
  const all = f.flatMap((x) => [...x]).sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 103 }, (_, i) => i));
  for (const fold of f) {
    assert.ok(fold.length === 20 || fold.length === 21);
    const counts = [0, 0, 0];
    for (const i of fold) counts[y[i]!]!++;
    for (const c of counts) assert.ok(c >= 6 && c <= 8, `class counts per fold ${counts}`);
  }
  assert.notDeepEqual(stratifiedFolds(y, 5, 1)[0], f[0]);
});

test('the graph tables check their options before any work', async () => {
  await assert.rejects(runCommand(GRAPH_COMMANDS.table3, ['--models', 'gcn,foo']), /--models must list items of cheb, gcn, spline, gat, dna, got 'foo'/);
  await assert.rejects(runCommand(GRAPH_COMMANDS.table4, ['--gae-epochs', '0']), /--gae-epochs must be >= 1, got 0/);
  await assert.rejects(runCommand(GRAPH_COMMANDS.fig2, ['--also', 'table9']), /--also must list items of table3, table4/);
  await assert.rejects(runCommand(GRAPH_COMMANDS.graphs, ['--data', '/nonexistent/planetoid']), /--data \/nonexistent\/planetoid: does not exist/);
});
