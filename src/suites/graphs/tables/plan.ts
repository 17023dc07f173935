/**
 * The independent runs of the graph tables. A node run is one (dataset, architecture, method,
 * seed), planned once however many tables read it: table3 and tableA4 read its accuracy, tableA2
 * its alignment (measured in every Cora run of a method with a signal of its own, so the tables
 * plan the same run and share it, in one sitting and across sittings with --runs), fig2 its
 * t-SNE. A GAE run is one (dataset, method, seed) of table4. Ids are stable:
 * `cora/gcn/dfa/seed0`, `cora/gcn/dfa/seed0/tsne` (the run that also embeds the hidden layer;
 * it serves the other tables in its place), `gae/cora/dfa/seed0`.
 */
import type { RunSpec } from '../../../command/experiment';
import type { Method } from '../../../feedback/methods';
import type { PlanetoidName } from '../data/parse';
import { gaeEpochs, type Arch } from '../paper';
import { GAE_UNDEFINED, type GaeRunParams } from './gae_run';
import type { NodeRunParams } from './node_run';
import { hasAlignment, methodsOf, type GraphPart } from './tables';

/** The settings of a sitting, from the command's options. */
export interface GraphSettings {
  parts: GraphPart[];
  seeds: number[];
  /** node-classification epochs (table3, tableA4, tableA2, fig2) */
  epochs: number;
  datasets: PlanetoidName[];
  models: Arch[];
  /** --methods, when given */
  methods?: Method[];
  /** a user's folder holding <dataset>/ (null: the shared data) */
  data: string | null;
  /** table4 epochs (default: the paper's per dataset) */
  gaeEpochs?: number;
  tsneIters: number;
  /** fig2's folder */
  outDir: string;
}

export type GraphRunParams = NodeRunParams | GaeRunParams;

export const nodeId = (ds: string, arch: string, method: string, seed: number) => `${ds}/${arch}/${method}/seed${seed}`;
export const TSNE_SUFFIX = '/tsne';
export const gaeId = (ds: string, method: string, seed: number) => `gae/${ds}/${method}/seed${seed}`;

/** Rough relative cost of an epoch, for the progress bar's estimate (GCN on Cora = 1). */
const ARCH_COST: Record<Arch, number> = { gcn: 1, cheb: 1.5, spline: 2, gat: 5, dna: 60 };
const DATA_COST: Record<PlanetoidName, number> = { cora: 1, citeseer: 1.3, pubmed: 6 };
/** a t-SNE iteration on Cora's 2708 nodes, in GCN epochs */
const TSNE_COST = 1.5;

/** fig2's runs: the two-layer GCN on Cora, first seed, one per method. */
export function fig2Runs(s: GraphSettings): { method: Method; id: string }[] {
  if (!s.parts.includes('fig2')) return [];
  return methodsOf('fig2', s.methods).map((method) => ({ method, id: nodeId('cora', 'gcn', method, s.seeds[0]!) + TSNE_SUFFIX }));
}

export function planGraphs(s: GraphSettings): RunSpec[] {
  const node = new Map<string, NodeRunParams>();
  const addNode = (dataset: PlanetoidName, arch: Arch, method: Method, seeds = s.seeds) => {
    for (const seed of seeds) {
      const id = nodeId(dataset, arch, method, seed);
      if (!node.has(id)) node.set(id, { kind: 'node', dataset, arch, method, seed, epochs: s.epochs, alignment: dataset === 'cora' && hasAlignment(method), tsne: null, data: s.data });
    }
  };
  const gae: RunSpec[] = [];
  for (const part of s.parts) {
    const methods = methodsOf(part, s.methods);
    if (part === 'table3') for (const ds of s.datasets) for (const arch of s.models) for (const m of methods) addNode(ds, arch, m);
    // tableA4 compares each row with DFA (the paper: shallow at least 15 points below)
    if (part === 'tableA4') for (const ds of s.datasets) for (const arch of s.models) for (const m of unique<Method>([...methods, 'dfa'])) addNode(ds, arch, m);
    if (part === 'tableA2') for (const arch of s.models) for (const m of methods.filter(hasAlignment)) addNode('cora', arch, m);
    if (part === 'fig2') for (const m of methods) addNode('cora', 'gcn', m, [s.seeds[0]!]);
    if (part === 'table4') {
      for (const ds of s.datasets) {
        for (const m of methods) {
          if (GAE_UNDEFINED[m]) continue; // a note in the table, not a run
          for (const seed of s.seeds) {
            const params: GaeRunParams = { kind: 'gae', dataset: ds, method: m, seed, epochs: s.gaeEpochs ?? gaeEpochs(ds), data: s.data };
            gae.push({ id: gaeId(ds, m, seed), params: params as unknown as Record<string, unknown>, cost: params.epochs * DATA_COST[ds] });
          }
        }
      }
    }
  }
  // the fig2 runs also embed the hidden layer: one run serves fig2 and the tables
  const tsne = new Set(fig2Runs(s).map((r) => r.id));
  const specs: RunSpec[] = [...node].map(([id, p]) => {
    const withTsne = tsne.has(id + TSNE_SUFFIX);
    const params: NodeRunParams = withTsne ? { ...p, tsne: s.tsneIters } : p;
    return {
      id: withTsne ? id + TSNE_SUFFIX : id,
      params: params as unknown as Record<string, unknown>,
      cost: p.epochs * ARCH_COST[p.arch] * DATA_COST[p.dataset] + (withTsne ? s.tsneIters * TSNE_COST : 0),
    };
  });
  return [...specs, ...gae];
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
