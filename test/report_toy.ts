/**
 * A toy wing for the reproduction report's tests: one Experiment ('dfa reproduce toy') whose runs
 * return known accuracies, declared as the paper's Table 3 with a tolerance, a verdict, a figure
 * (a PNG its finish writes), curves and a cell the data cannot give, so the marks can be checked
 * by hand without training anything.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Experiment, RunSpec } from '../src/command/experiment';
import { experimentCommand } from '../src/command/experiment_command';
import { RunStore } from '../src/command/run_store';
import { meanStd } from '../src/metrics/stats';
import type { Suite } from '../src/suites/types';

type ToyOptions = { seeds: number; out?: string };
export const TOY_VALUES: Record<string, number[]> = { bp: [81, 83, 90], dfa: [74, 75, 60] }; // the third seed: standard budget only
const TOY_PAPER: Record<string, number> = { bp: 80, dfa: 78 };

const toyExperiment = (ran: string[]): Experiment<ToyOptions, { acc: number; history: { epoch: number; ppl: number }[] }> => ({
  table: 'toy',
  plan: (o) => ['bp', 'dfa'].flatMap((method) => Array.from({ length: o.seeds }, (_, seed): RunSpec => ({ id: `${method}_seed${seed}`, params: { method, seed } }))),
  async run(spec) {
    ran.push(spec.id); // the report must not run what is stored
    const method = String(spec.params.method), seed = Number(spec.params.seed);
    return { acc: TOY_VALUES[method]![seed]!, history: [{ epoch: 1, ppl: 100 + seed }, { epoch: 2, ppl: 50 }] };
  },
  assemble(o, outcomes) {
    const rows = ['bp', 'dfa'].map((method) => {
      const values = Array.from({ length: o.seeds }, (_, s) => outcomes.get(`${method}_seed${s}`)).flatMap((x) => (x?.ok ? [x.result.acc] : []));
      return { table: 'table3', dataset: 'cora', model: 'GCN', method, metric: 'test accuracy (%)', ...meanStd(values), seeds: values.length, values, paper: TOY_PAPER[method]!, note: values.length < o.seeds ? 'not run yet' : '' };
    });
    return { rows, notes: ['toy note: the orderings hold'] };
  },
  async finish(o) {
    if (!o.out) return;
    const png = new PNG({ width: 3, height: 2 });
    png.data.fill(200);
    writeFileSync(join(o.out, 'toy.png'), PNG.sync.write(png));
  },
});

export function toySuite(ran: string[]): Suite {
  const exp = toyExperiment(ran);
  const command = experimentCommand(exp as unknown as Experiment<never, unknown>, {
    name: 'reproduce toy', summary: 'toy',
    options: { seeds: { type: 'int', min: 1, default: 1, help: 'seeds' }, out: { type: 'path', kind: 'out-dir', help: 'figures' } },
  });
  return {
    name: 'toy', summary: 'a toy wing', tables: { toy: { summary: 'toy', load: async () => command } },
    report: {
      budgets: { toy: { tiny: { args: ['--seeds', '1'] }, quick: { args: ['--seeds', '2'], leaves: 'two seeds' }, standard: { args: ['--seeds', '3'] } } },
      parts: [{
        id: 'Table 3', title: 'toy accuracies', sources: [{ table: 'toy' }],
        review: async () => ({
          tolerances: [{ within: 2, unit: 'points' }],
          verdicts: [{ match: { method: 'dfa' }, text: 'TOY VERDICT: DFA misses here' }],
          notes: ['TOY PART NOTE'],
          figures: { 'toy.png': 'TOY FIGURE CAPTION' },
          curves: { history: 'history', x: 'epoch', y: 'ppl', series: 'method', title: 'toy curves', xLabel: 'epoch', yLabel: 'ppl', logY: true },
          unavailable: [{ table: 'table3', dataset: 'pubmed', model: 'GCN', method: 'bp', metric: 'test accuracy (%)', mean: NaN, std: NaN, seeds: 0, paper: 79, note: 'TOY REASON: the file is missing' }],
        }),
      }],
    },
  };
}

/** Stores the toy's runs of the given seeds in `root` (as an earlier sitting would have). */
export function storeToyRuns(root: string, seeds: readonly number[], methods: readonly string[] = ['bp', 'dfa']): void {
  const store = new RunStore(root, 'toy');
  for (const method of methods) {
    for (const seed of seeds) store.save({ id: `${method}_seed${seed}`, params: { method, seed } }, { ok: true, result: { acc: TOY_VALUES[method]![seed]!, history: [{ epoch: 1, ppl: 100 + seed }, { epoch: 2, ppl: 50 }] } }, 1.5);
  }
}

/** Every src / href of the page that would fetch something: anything but a data: URI or an in-page anchor. */
export function externalRefs(html: string): string[] {
  const refs = [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]!);
  const css = [...html.matchAll(/url\(\s*['"]?([^'")]*)/gi)].map((m) => m[1]!);
  return [...refs, ...css].filter((r) => !r.startsWith('data:') && !r.startsWith('#'));
}

export function assertSelfContained(html: string): void {
  assert.deepEqual(externalRefs(html), [], 'the page fetches nothing');
  assert.doesNotMatch(html, /<script|<link\b|<iframe|@import/i, 'no script, stylesheet link, frame or CSS import');
}
