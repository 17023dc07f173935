import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from '../../test/helpers';
import type { Experiment } from './experiment';
import { produce } from './run_experiment';

/** Two tables over the same run 'a/seed0' in one runs folder; each run records the checkpoint folder it was given. */
function sharedTables(calls: { table: string; checkpointDir?: string }[]): Experiment<null, number>[] {
  return ['t1', 't2'].map((table) => ({
    table,
    runsFolder: 'shared',
    plan: () => [{ id: 'a/seed0', params: { x: 1 } }],
    run: async (_spec, ctx) => {
      calls.push({ table, checkpointDir: ctx.checkpointDir });
      return 42;
    },
    assemble: () => ({ rows: [] }),
  }));
}

test('a runs folder shared by two tables keeps both the stored outcome and the checkpoint folder of a run: the second table reuses it', () => withTempDir(async (dir) => {
  const calls: { table: string; checkpointDir?: string }[] = [];
  const [t1, t2] = sharedTables(calls);
  const io = { runs: join(dir, 'runs'), checkpoints: join(dir, 'ck') };
  const first = await produce(t1!, null, io);
  assert.equal(first.reused, 0);
  assert.deepEqual(calls, [{ table: 't1', checkpointDir: join(dir, 'ck', 'shared', 'a_seed0') }], 'the checkpoint folder under the runs folder, not the table');
  const second = await produce(t2!, null, io);
  assert.equal(second.reused, 1, 't2 reuses the run t1 stored');
  assert.equal(calls.length, 1, 'the run is not trained again');
  assert.deepEqual(readdirSync(join(dir, 'runs')), ['shared']);
}));
