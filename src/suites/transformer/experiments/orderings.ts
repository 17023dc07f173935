/**
 * The orderings Table 5 shows (BP < DFA macro < DFA micro < shallow; each optimizer change helps
 * DFA; the DFA − BP gap narrows once tuned), each stated as holding or failing for our numbers.
 */
import type { ResultRow } from '../../../command/results';
import type { Table5Cell } from '../paper';

/** The paper's orderings, each stated as holding or failing for our numbers. */
export function orderingChecks(rows: ResultRow[], cells: readonly Table5Cell[]): string[] {
  const val = (id: string) => {
    const i = cells.findIndex((c) => c.id === id);
    return i >= 0 ? rows[i]!.mean : NaN;
  };
  const best = (prefix: string) => Math.min(...cells.map((c, i) => (c.id.startsWith(prefix) && Number.isFinite(rows[i]!.mean) ? rows[i]!.mean : Infinity)));
  const out: string[] = [];
  const chain = [['BP', best('bp-')], ['DFA macro', best('macro-')], ['DFA micro', best('micro-')], ['shallow', best('shallow-')]] as Array<[string, number]>;
  const present = chain.filter(([, v]) => Number.isFinite(v));
  if (present.length >= 2) {
    const holds = present.every(([, v], i) => i === 0 || present[i - 1]![1] < v);
    out.push(`${present.map(([n]) => n).join(' < ')} (best setting of each): ${holds ? 'holds' : 'FAILS'} — ${present.map(([n, v]) => `${n} ${v.toFixed(1)}`).join(', ')}`);
  }
  const bp0 = val('bp-baseline'), bp1 = val('bp-beta2');
  if (Number.isFinite(bp0) && Number.isFinite(bp1)) {
    out.push(`BP: β2 = 0.999 lowers perplexity (paper: 34.4 → 29.8): ${bp1 < bp0 ? 'holds' : 'FAILS'} — ${bp0.toFixed(1)} → ${bp1.toFixed(1)}`);
  }
  const pairs = ['baseline', 'adam', 'beta2', 'plateau'].map((k) => [k, val(`macro-${k}`), val(`micro-${k}`)] as [string, number, number]).filter(([, a, b]) => Number.isFinite(a) && Number.isFinite(b));
  if (pairs.length) {
    const holds = pairs.every(([, a, b]) => a < b);
    out.push(`DFA macro < DFA micro at every optimizer setting (paper: yes): ${holds ? 'holds' : 'FAILS'} — ${pairs.map(([k, a, b]) => `${k} ${a.toFixed(1)} vs ${b.toFixed(1)}`).join(', ')}`);
  }
  for (const m of ['macro', 'micro']) {
    const steps = [`${m}-baseline`, `${m}-adam`, `${m}-beta2`, `${m}-plateau`].map((id) => [id, val(id)] as [string, number]).filter(([, v]) => Number.isFinite(v));
    if (steps.length >= 2) {
      const mono = steps.every(([, v], i) => i === 0 || v < steps[i - 1]![1]);
      out.push(`DFA ${m}: each optimizer change lowers perplexity (paper: yes): ${mono ? 'holds' : 'FAILS'} — ${steps.map(([id, v]) => `${id.slice(m.length + 1)} ${v.toFixed(1)}`).join(' → ')}`);
    }
    const g0 = val(`${m}-baseline`) - val('bp-baseline');
    const g1 = val(`${m}-plateau`) - val('bp-beta2');
    if (Number.isFinite(g0) && Number.isFinite(g1)) {
      out.push(`DFA ${m} − BP gap narrows from baseline to tuned (paper: ${m === 'macro' ? '60.6 → 22.2' : '147.6 → 63.5'}): ${g1 < g0 ? 'holds' : 'FAILS'} — ${g0.toFixed(1)} → ${g1.toFixed(1)}`);
    }
  }
  return out;
}
