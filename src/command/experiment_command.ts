/**
 * A `dfa reproduce <table>` command from an Experiment: the table's own options plus the ones every
 * table shares for producing it (--runs to keep and reuse each run's result, --allow-skip, --json,
 * --md, --queue to run it on workers elsewhere), all checked before any run starts. The command
 * carries its Experiment (`experimentOf`), so a `dfa worker` finds it through the suites' manifests.
 */
import { defineCommand, type Command } from './command';
import type { Experiment } from './experiment';
import { type OptionTable, type OptionValues, type PathOption, type FlagOption, type IntOption, type StringOption } from './options';
import { parseQueueUrl } from './queue/url';
import { runExperiment, type ExperimentIo } from './run_experiment';
import { RESULT_FILES } from './shared';

/** --queue and --queue-wait: run through Redis on `dfa worker`s (src/command/queue). */
export const QUEUE_OPTIONS = {
  queue: { type: 'string', placeholder: 'redis://HOST:PORT', help: "run each run as a job on the 'dfa worker's of this Redis (same code and data on every machine; see the README's \"Running on many machines\")" } as StringOption,
  'queue-wait': { type: 'int', min: 1, max: 86_400, default: 30, placeholder: 'SECONDS', help: 'with --queue: how long to wait for Redis at the start, or after losing it, before giving up' } as IntOption & { default: number },
};

export const EXPERIMENT_OPTIONS = {
  runs: { type: 'path', kind: 'out-dir', help: "keep each run's result in DIR/<table>/ (tables that share runs: one folder) and reuse the ones there (a table assembled over several sittings)" } as PathOption,
  'allow-skip': { type: 'flag', help: 'exit 0 even when some runs failed or were skipped (their reasons are in the notes)' } as FlagOption,
  ...RESULT_FILES,
  ...QUEUE_OPTIONS,
};

/** The queue's executor for a command's --queue (loaded only when used: no Redis client otherwise). */
export async function queueExecutorFor(command: string, o: { queue?: string; 'queue-wait': number }): Promise<ExperimentIo['executor']> {
  if (!o.queue) return undefined;
  const { queueExecutor } = await import('./queue/submit');
  return queueExecutor({ url: o.queue, command, wait: o['queue-wait'] });
}

export type ExperimentOptions<T extends OptionTable> = OptionValues<T & typeof EXPERIMENT_OPTIONS>;

export interface ExperimentCommandSpec<T extends OptionTable> {
  name: string;
  summary: string;
  description?: string;
  options: T;
  validate?(o: ExperimentOptions<T>): void;
  /** prepare the backend etc. before the runs (default: initBackend) */
  setup?(o: ExperimentOptions<T>): Promise<void>;
  /** how this sitting produces the table beyond the shared options (e.g. `checkpoints` from the table's --checkpoint) */
  io?(o: ExperimentOptions<T>): Partial<ExperimentIo>;
}

export type ExperimentCommand<T extends OptionTable> = Command<T & typeof EXPERIMENT_OPTIONS> & { experiment: Experiment<ExperimentOptions<T>, unknown> };

export function experimentCommand<T extends OptionTable>(exp: Experiment<ExperimentOptions<T>, unknown>, spec: ExperimentCommandSpec<T>, io: Partial<ExperimentIo> = {}): ExperimentCommand<T> {
  const options = { ...spec.options, ...EXPERIMENT_OPTIONS } as T & typeof EXPERIMENT_OPTIONS;
  const command = defineCommand({
    name: spec.name,
    summary: spec.summary,
    description: spec.description,
    options,
    validate: ({ options: o }) => {
      const q = (o as { queue?: string }).queue;
      if (q !== undefined) parseQueueUrl(q, `dfa ${spec.name}`);
      spec.validate?.(o as ExperimentOptions<T>);
    },
    async run({ options: o }) {
      const v = o as ExperimentOptions<T> & { runs?: string; 'allow-skip': boolean; json?: string; md?: string; queue?: string; 'queue-wait': number };
      if (spec.setup) await spec.setup(v);
      else await (await import('../engine/backend')).initBackend();
      const executor = (await queueExecutorFor(spec.name, v)) ?? io.executor;
      return runExperiment(exp, v, { ...io, ...spec.io?.(v), runs: v.runs, json: v.json, md: v.md, allowSkip: v['allow-skip'], executor });
    },
  });
  return Object.assign(command, { experiment: exp });
}

/** The Experiment behind a loaded command, when it is one (a `dfa worker` runs only those). */
export function experimentOf(command: unknown): Experiment<unknown, unknown> | undefined {
  const e = (command as { experiment?: Experiment<unknown, unknown> } | null)?.experiment;
  return e && typeof e.run === 'function' && typeof e.plan === 'function' ? e : undefined;
}
