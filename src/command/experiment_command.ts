/**
 * A `dfa reproduce <table>` command from an Experiment: the table's own options plus the ones every
 * table shares for producing it (--runs to keep and reuse each run's result, --allow-skip, --json,
 * --md), all checked before any run starts.
 */
import { defineCommand, type Command } from './command';
import type { Experiment } from './experiment';
import type { OptionTable, OptionValues, PathOption, FlagOption } from './options';
import { runExperiment, type ExperimentIo } from './run_experiment';
import { RESULT_FILES } from './shared';

export const EXPERIMENT_OPTIONS = {
  runs: { type: 'path', kind: 'out-dir', help: "keep each run's result in DIR/<table>/ (tables that share runs: one folder) and reuse the ones there (a table assembled over several sittings)" } as PathOption,
  'allow-skip': { type: 'flag', help: 'exit 0 even when some runs failed or were skipped (their reasons are in the notes)' } as FlagOption,
  ...RESULT_FILES,
};

export type ExperimentOptions<T extends OptionTable> = OptionValues<T & typeof EXPERIMENT_OPTIONS>;

export interface ExperimentCommandSpec<T extends OptionTable> {
  name: string;
  summary: string;
  description?: string;
  options: T;
  validate?(o: ExperimentOptions<T>): void;
  /** prepare the backend etc. before the runs (default: initBackend) */
  setup?(o: ExperimentOptions<T>): Promise<void>;
}

export function experimentCommand<T extends OptionTable>(exp: Experiment<ExperimentOptions<T>, unknown>, spec: ExperimentCommandSpec<T>, io: Partial<ExperimentIo> = {}): Command<T & typeof EXPERIMENT_OPTIONS> & { experiment: Experiment<ExperimentOptions<T>, unknown> } {
  const options = { ...spec.options, ...EXPERIMENT_OPTIONS } as T & typeof EXPERIMENT_OPTIONS;
  const command = defineCommand({
    name: spec.name,
    summary: spec.summary,
    description: spec.description,
    options,
    validate: ({ options: o }) => spec.validate?.(o as ExperimentOptions<T>),
    async run({ options: o }) {
      const v = o as ExperimentOptions<T> & { runs?: string; 'allow-skip': boolean; json?: string; md?: string };
      if (spec.setup) await spec.setup(v);
      else await (await import('../engine/backend')).initBackend();
      return runExperiment(exp, v, { ...io, runs: v.runs, json: v.json, md: v.md, allowSkip: v['allow-skip'] });
    },
  });
  // the command carries its Experiment, so the reproduction report can plan and assemble it from stored runs
  return Object.assign(command, { experiment: exp });
}
