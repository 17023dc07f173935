/**
 * The graph tables as Experiments: one per command (table3, tableA4, tableA2, table4, fig2,
 * graphs), each planning the union of its parts' runs (a cell read by several tables is one run).
 * Every graph table keeps its runs in one folder under --runs ('graphs'), so a run stored by one
 * table serves the others in a later sitting.
 */
import type { Experiment, RunSpec } from '../../../command/experiment';
import type { ExperimentOptions } from '../../../command/experiment_command';
import { backendName } from '../../../engine/backend';
import type { Method } from '../../../feedback/methods';
import type { PlanetoidName } from '../data/parse';
import type { Arch } from '../paper';
import { assembleGraphs, type GraphRunResult } from './assemble';
import { drawFig2, FIG2_FILE } from './fig2';
import { runGae } from './gae_run';
import { runNode } from './node_run';
import { planGraphs, type GraphRunParams, type GraphSettings } from './plan';
import { partsOf, type GraphTable } from './tables';
import type { GRAPH_OPTIONS } from './options';

export type GraphOptions = ExperimentOptions<typeof GRAPH_OPTIONS>;

export const GRAPH_RUNS_FOLDER = 'graphs';

export function graphSettings(table: GraphTable, o: GraphOptions): GraphSettings {
  return {
    parts: partsOf(table, (o.also ?? []) as GraphTable[]),
    seeds: o.seeds, epochs: o.epochs, datasets: o.datasets as PlanetoidName[], models: o.models as Arch[],
    ...(o.methods ? { methods: o.methods as Method[] } : {}),
    data: o.data ?? null, ...(o['gae-epochs'] !== undefined ? { gaeEpochs: o['gae-epochs'] } : {}), tsneIters: o['tsne-iters'], outDir: o.out,
  };
}

/** One graph run from its params alone (any process, any machine with the same code and data). */
export function runGraph(spec: RunSpec, ctx: Parameters<Experiment<unknown>['run']>[1]): Promise<GraphRunResult> {
  const p = spec.params as unknown as GraphRunParams;
  if (p.kind === 'node') return runNode(p, ctx);
  if (p.kind === 'gae') return runGae(p, ctx);
  throw new Error(`graph run '${spec.id}': unknown kind '${(p as { kind?: unknown }).kind}'`);
}

export function graphExperiment(table: GraphTable): Experiment<GraphOptions, GraphRunResult> {
  return {
    table,
    runsFolder: GRAPH_RUNS_FOLDER,
    plan: (o) => planGraphs(graphSettings(table, o)),
    run: runGraph,
    assemble(o, outcomes) {
      const s = graphSettings(table, o);
      const a = assembleGraphs(`dfa reproduce ${table}`, s, outcomes, backendName());
      if (s.parts.includes('fig2')) a.meta = { ...a.meta, figure: [`${s.outDir}/${FIG2_FILE}.png`, `${s.outDir}/${FIG2_FILE}.svg`] };
      return a;
    },
    async finish(o, outcomes) {
      const s = graphSettings(table, o);
      if (!s.parts.includes('fig2')) return;
      const files = drawFig2(s, outcomes);
      console.log(files.length ? `fig2: wrote ${files.join(', ')}` : 'fig2: no finished run to draw');
    },
  };
}
