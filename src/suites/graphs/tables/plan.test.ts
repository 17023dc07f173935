/**
 * The graph tables' plans: one run per (dataset, model, method, seed) whichever tables read it,
 * stable ids, params that are the whole run (JSON, no machine-specific path but --data).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPERIMENT_OPTIONS } from '../../../command/experiment_command';
import { parseOptions } from '../../../command/options';
import { graphExperiment, GRAPH_RUNS_FOLDER, type GraphOptions } from './experiment';
import { GRAPH_OPTIONS } from './options';
import type { GraphTable } from './tables';

function plan(table: GraphTable, argv: string[]) {
  const { options } = parseOptions('test', { ...GRAPH_OPTIONS, ...EXPERIMENT_OPTIONS }, argv);
  return graphExperiment(table).plan(options as GraphOptions);
}
const ids = (specs: { id: string }[]) => specs.map((s) => s.id);

test('table3 --also tableA4,tableA2: each cell once, DFA shared by the three tables, alignment in the Cora runs only', () => {
  const specs = plan('table3', ['--datasets', 'cora,citeseer', '--models', 'gcn,gat', '--seeds', '0,3', '--also', 'tableA4,tableA2']);
  const want: string[] = [];
  for (const ds of ['cora', 'citeseer']) for (const a of ['gcn', 'gat']) for (const m of ['bp', 'dfa']) for (const s of [0, 3]) want.push(`${ds}/${a}/${m}/seed${s}`);
  for (const ds of ['cora', 'citeseer']) for (const a of ['gcn', 'gat']) for (const s of [0, 3]) want.push(`${ds}/${a}/shallow/seed${s}`);
  assert.deepEqual(ids(specs), want);
  for (const sp of specs) {
    const p = sp.params as { dataset: string; method: string; alignment: boolean; epochs: number; tsne: null; data: null };
    assert.equal(p.alignment, p.dataset === 'cora' && p.method === 'dfa', sp.id);
    assert.deepEqual([p.epochs, p.tsne, p.data], [250, null, null]);
    assert.deepEqual(JSON.parse(JSON.stringify(sp.params)), sp.params, 'params are plain JSON');
    assert.ok(sp.cost! > 0);
  }
  // the same cell planned by another table is the same run (id and params): stored once, reused by both
  const a2 = plan('tableA2', ['--models', 'gcn', '--seeds', '1']);
  assert.deepEqual(ids(a2), ['cora/gcn/dfa/seed0']);
  assert.deepEqual(a2[0]!.params, specs.find((s) => s.id === 'cora/gcn/dfa/seed0')!.params);
  assert.equal(graphExperiment('table3').runsFolder, GRAPH_RUNS_FOLDER);
  assert.equal(graphExperiment('tableA2').runsFolder, GRAPH_RUNS_FOLDER);
});

test('graphs: fig2 runs carry the t-SNE and serve table3 and tableA4 in place of the plain runs; GAE runs per dataset, method, seed', () => {
  const specs = plan('graphs', ['--datasets', 'cora', '--models', 'gcn', '--seeds', '2', '--tsne-iters', '50', '--gae-epochs', '7', '--data', '/tmp']);
  assert.deepEqual(ids(specs), [
    'cora/gcn/bp/seed0/tsne', 'cora/gcn/bp/seed1', 'cora/gcn/dfa/seed0/tsne', 'cora/gcn/dfa/seed1', 'cora/gcn/shallow/seed0/tsne', 'cora/gcn/shallow/seed1',
    'gae/cora/bp/seed0', 'gae/cora/bp/seed1', 'gae/cora/dfa/seed0', 'gae/cora/dfa/seed1',
  ]);
  const t = specs.find((s) => s.id === 'cora/gcn/dfa/seed0/tsne')!.params as { tsne: number; data: string };
  assert.deepEqual([t.tsne, t.data], [50, '/tmp']);
  assert.deepEqual(specs.find((s) => s.id === 'gae/cora/dfa/seed1')!.params, { kind: 'gae', dataset: 'cora', method: 'dfa', seed: 1, epochs: 7, data: '/tmp' });
  // the paper's GAE epochs per dataset when not given
  const g = plan('table4', ['--datasets', 'cora,citeseer', '--seeds', '1']);
  assert.deepEqual(g.map((s) => [s.id, (s.params as { epochs: number }).epochs]), [['gae/cora/bp/seed0', 400], ['gae/cora/dfa/seed0', 400], ['gae/citeseer/bp/seed0', 200], ['gae/citeseer/dfa/seed0', 200]]);
});

test('--methods: the same cells with any methods; drtp plans no GAE run (a note instead); tableA2 plans no run for bp or shallow', () => {
  const t3 = plan('table3', ['--datasets', 'cora', '--models', 'gcn', '--seeds', '1', '--methods', 'bp,dfa,usf,frsf,drtp']);
  assert.deepEqual(ids(t3), ['bp', 'dfa', 'usf', 'frsf', 'drtp'].map((m) => `cora/gcn/${m}/seed0`));
  assert.deepEqual(t3.map((s) => (s.params as { alignment: boolean }).alignment), [false, true, true, true, true]);
  assert.deepEqual(ids(plan('table4', ['--datasets', 'cora', '--seeds', '1', '--methods', 'dfa,drtp,usf'])), ['gae/cora/dfa/seed0', 'gae/cora/usf/seed0']);
  assert.deepEqual(ids(plan('tableA2', ['--models', 'gcn', '--seeds', '1', '--methods', 'bp,shallow,fa'])), ['cora/gcn/fa/seed0']);
  // tableA4 always has the DFA runs its rows compare with
  assert.deepEqual(ids(plan('tableA4', ['--datasets', 'cora', '--models', 'gcn', '--seeds', '1'])), ['cora/gcn/shallow/seed0', 'cora/gcn/dfa/seed0']);
});
