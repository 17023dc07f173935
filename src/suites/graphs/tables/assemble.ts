/**
 * The graph tables' rows from whatever run outcomes exist: ours (mean ± sample std over seeds)
 * beside the paper's value ('—' where the paper has none, e.g. the methods beyond it), with each
 * cell's pending, failed, skipped and diverged seeds stated in its note.
 */
import type { Assembled, RunOutcome } from '../../../command/experiment';
import type { ResultRow } from '../../../command/results';
import type { Method } from '../../../feedback/methods';
import { meanStd } from '../../../metrics/stats';
import { ARCH_LABEL, archSetting, TABLE3, TABLE4, TABLEA2, TABLEA4, TOLERANCE, type Arch, type Dataset } from '../paper';
import { GAE_UNDEFINED, type GaeRunResult } from './gae_run';
import type { Diverged, NodeRunResult } from './node_run';
import { fig2Runs, gaeId, nodeId, TSNE_SUFFIX, type GraphSettings } from './plan';
import { hasAlignment, methodsOf } from './tables';

export type GraphRunResult = NodeRunResult | GaeRunResult | Diverged;
type Outcomes = Map<string, RunOutcome<GraphRunResult>>;

/** The paper's accuracy for a cell: BP and DFA from Table 3, shallow from Table A.4; null for other methods. */
export function paperAccuracy(ds: Dataset, arch: Arch, m: Method): number | null {
  if (m === 'bp' || m === 'dfa') return TABLE3[ds][arch][m === 'bp' ? 0 : 1];
  return m === 'shallow' ? TABLEA4[ds][arch] : null;
}

const firstLine = (s: string) => s.split('\n')[0]!;

/** A cell's numbers over seeds, from the outcomes that exist, and what is missing. */
function cell<R>(seeds: number[], ids: (seed: number) => string[], outcomes: Outcomes, pick: (r: R) => number): { values: number[]; notes: string[] } {
  const values: number[] = [];
  const pending: number[] = [], diverged: string[] = [];
  const failed: { seed: number; error: string }[] = [];
  for (const seed of seeds) {
    const o = ids(seed).map((id) => outcomes.get(id)).find(Boolean);
    if (!o) pending.push(seed);
    else if (!o.ok) failed.push({ seed, error: firstLine(o.error) });
    else if ('diverged' in o.result) diverged.push(`seed ${seed} diverged (${firstLine(o.result.diverged)})`);
    else values.push(pick(o.result as R));
  }
  const notes: string[] = [];
  if (failed.length === seeds.length && failed.every((f) => f.error === failed[0]!.error)) notes.push(`skipped: ${failed[0]!.error}`);
  else for (const f of failed) notes.push(`seed ${f.seed} failed: ${f.error}`);
  notes.push(...diverged);
  if (pending.length) notes.push(pending.length === seeds.length ? 'not run yet' : `seed${pending.length > 1 ? 's' : ''} ${pending.join(', ')} not run yet`);
  return { values, notes };
}

const join = (notes: (string | undefined)[]) => notes.filter(Boolean).join('; ') || undefined;

/** Ids a node cell's seed may be stored under (fig2's run carries the t-SNE too). */
const nodeIds = (ds: string, arch: string, m: string) => (seed: number) => [nodeId(ds, arch, m, seed), nodeId(ds, arch, m, seed) + TSNE_SUFFIX];

function accuracyRows(s: GraphSettings, table: 'table3' | 'tableA4', outcomes: Outcomes): ResultRow[] {
  const rows: ResultRow[] = [];
  const acc = (ds: Dataset, arch: Arch, m: Method) => cell<NodeRunResult>(s.seeds, nodeIds(ds, arch, m), outcomes, (r) => 100 * r.testAcc);
  for (const ds of s.datasets) {
    for (const arch of s.models) {
      for (const method of methodsOf(table, s.methods)) {
        const paper = paperAccuracy(ds, arch, method);
        const { values, notes } = acc(ds, arch, method);
        const ms = meanStd(values);
        if (table === 'table3' && paper !== null && Math.abs(ms.mean - paper) > TOLERANCE.table3) notes.push(`misses the paper by ${(ms.mean - paper).toFixed(1)} points (target: within ${TOLERANCE.table3.toFixed(1)})`);
        if (table === 'tableA4' && method !== 'dfa' && values.length) {
          const dfa = acc(ds, arch, 'dfa').values;
          if (dfa.length) {
            const dm = meanStd(dfa).mean;
            notes.push(`DFA ${dm.toFixed(1)}: ${method} is ${(dm - ms.mean).toFixed(1)} points below${method === 'shallow' && dm - ms.mean < 15 ? ' (target: at least 15)' : ''}`);
          }
        }
        rows.push({ table, dataset: ds, model: ARCH_LABEL[arch], method, metric: 'test accuracy (%)', ...ms, seeds: values.length, paper, ...(values.length ? { values } : {}), note: join(notes) });
      }
    }
  }
  return rows;
}

const NO_ALIGNMENT: Partial<Record<Method, string>> = {
  bp: 'no alignment row: BP delivers the gradient itself',
  shallow: 'no alignment row: shallow delivers no signal to the hidden layers',
};

function alignmentRows(s: GraphSettings, outcomes: Outcomes): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const arch of s.models) {
    for (const method of methodsOf('tableA2', s.methods)) {
      const paper = method === 'dfa' ? TABLEA2[arch] : null;
      const base = { table: 'tableA2', dataset: 'cora', model: ARCH_LABEL[arch], method, metric: 'alignment (cosine)', paper: paper?.[0] ?? null };
      if (!hasAlignment(method)) {
        rows.push({ ...base, mean: NaN, std: NaN, seeds: 0, note: NO_ALIGNMENT[method] });
        continue;
      }
      const means = cell<NodeRunResult>(s.seeds, nodeIds('cora', arch, method), outcomes, (r) => r.alignment?.mean ?? NaN);
      const stds = cell<NodeRunResult>(s.seeds, nodeIds('cora', arch, method), outcomes, (r) => r.alignment?.std ?? NaN);
      const ms = meanStd(means.values);
      const notes = means.notes;
      if (means.values.length) {
        notes.push(`per-node std ${meanStd(stds.values).mean.toFixed(2)}${paper ? ` (paper ${paper[1]})` : ''}; mean over nodes after ${s.epochs} epochs, loss on all nodes${ms.mean > 0 ? '' : '; NOT positive'}`);
      }
      rows.push({ ...base, ...ms, seeds: means.values.length, ...(means.values.length ? { values: means.values } : {}), note: join(notes) });
    }
  }
  return rows;
}

function gaeRows(s: GraphSettings, outcomes: Outcomes): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const ds of s.datasets) {
    for (const method of methodsOf('table4', s.methods)) {
      for (const metric of ['auc', 'ap'] as const) {
        const paper = method === 'bp' || method === 'dfa' ? TABLE4[ds][metric][method === 'bp' ? 0 : 1] : null;
        const base = { table: 'table4', dataset: ds, model: 'GAE (GCN)', method, metric: metric.toUpperCase(), paper };
        const undef = GAE_UNDEFINED[method];
        if (undef) {
          rows.push({ ...base, mean: NaN, std: NaN, seeds: 0, note: undef });
          continue;
        }
        const { values, notes } = cell<GaeRunResult>(s.seeds, (seed) => [gaeId(ds, method, seed)], outcomes, (r) => r[metric]);
        const ms = meanStd(values);
        if (paper !== null && Math.abs(ms.mean - paper) > TOLERANCE.table4) notes.push(`misses the paper by ${(ms.mean - paper).toFixed(3)} (target: within ${TOLERANCE.table4})`);
        rows.push({ ...base, ...ms, seeds: values.length, ...(values.length ? { values } : {}), note: join(notes) });
      }
    }
  }
  return rows;
}

function fig2Rows(s: GraphSettings, outcomes: Outcomes): ResultRow[] {
  return fig2Runs(s).map(({ method, id }) => {
    const base = { table: 'fig2', dataset: 'cora', model: 'GraphConv', method, metric: 't-SNE nearest-centroid acc. (%)', paper: null };
    const { values, notes } = cell<NodeRunResult>([s.seeds[0]!], () => [id], outcomes, (r) => 100 * (r.tsne?.separation ?? NaN));
    const r = outcomes.get(id);
    if (r?.ok && 'testAcc' in r.result) notes.push(`hidden layer t-SNE; classifier test accuracy ${(100 * r.result.testAcc).toFixed(1)} %`);
    return { ...base, mean: values.length ? values[0]! : NaN, std: values.length ? 0 : NaN, seeds: values.length, note: join(notes) };
  });
}

/** Every failure once, in full (the rows carry the first line): e.g. where to get PubMed's missing file. */
function failureNotes(outcomes: Outcomes): string[] {
  const byError = new Map<string, string[]>();
  for (const [id, o] of outcomes) if (!o.ok) byError.set(o.error, [...(byError.get(o.error) ?? []), id]);
  return [...byError].map(([error, ids]) => `${ids.length} run${ids.length > 1 ? 's' : ''} failed (${ids.length > 3 ? `${ids.slice(0, 3).join(', ')}, ...` : ids.join(', ')}): ${error}`);
}

export function assembleGraphs(command: string, s: GraphSettings, outcomes: Outcomes, backend: string): Assembled {
  const rows: ResultRow[] = [];
  for (const part of s.parts) {
    if (part === 'table3' || part === 'tableA4') rows.push(...accuracyRows(s, part, outcomes));
    if (part === 'tableA2') rows.push(...alignmentRows(s, outcomes));
    if (part === 'table4') rows.push(...gaeRows(s, outcomes));
    if (part === 'fig2') rows.push(...fig2Rows(s, outcomes));
  }
  const methods = [...new Set(s.parts.flatMap((p) => methodsOf(p, s.methods)))];
  const settings = Object.fromEntries(s.models.flatMap((a) => methods.map((m) => [`${a}/${m}`, archSetting(a, m).describe])));
  return {
    rows,
    notes: failureNotes(outcomes),
    digits: 3,
    meta: { command, backend, tables: s.parts, seeds: s.seeds, epochs: s.epochs, ...(s.parts.includes('table4') ? { gaeEpochs: s.gaeEpochs ?? 'paper (400, CiteSeer 200)' } : {}), settings },
  };
}
