import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand } from '../../../command/command';
import { UsageError } from '../../../command/options';
import { TABLE5_COMMAND } from './table5';

test('reproduce table5: bad settings are usage errors before any work (model shape, dropout, cells, corpus)', async () => {
  const refuses = async (argv: string[], re: RegExp) =>
    assert.rejects(runCommand(TABLE5_COMMAND, argv), (e: Error) => e instanceof UsageError && re.test(e.message), argv.join(' '));
  await refuses(['--heads', '3'], /d 64 is not divisible by heads 3/);
  await refuses(['--d', '48', '--heads', '5'], /d 48 is not divisible by heads 5/);
  await refuses(['--dropout', '1'], /dropout must be in \[0, 1\)/);
  await refuses(['--cells', 'bp-baselin'], /did you mean bp-baseline/);
  await refuses(['--corpus', 'text'], /--corpus text needs --data FILE/);
  await refuses(['--vocab', '100'], /--vocab must be >= 256/);
  await refuses(['--seeds', '0,0'], /lists seed 0 twice/);
});
