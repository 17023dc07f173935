import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../command/command';
import { UsageError } from '../../command/options';
import { withTempDir } from '../../../test/helpers';
import demo from './demo';
import train from './train';

test('dfa train / demo: --projection, --density, --error-bits, --noise are checked before any work', async () => {
  const bad: Array<[typeof train | typeof demo, string[], RegExp]> = [
    [train, ['rings', '--method', 'usf', '--projection', 'ternary'], /dfa train: --projection shapes the direct methods' signal \(dfa, drtp\); usf has none/],
    [train, ['rings', '--method', 'dfa', '--density', '0.2'], /--density applies to --projection sparse only/],
    [train, ['rings', '--method', 'dfa', '--projection', 'sparse', '--density', '0'], /--density must be > 0/],
    [train, ['rings', '--method', 'dfa', '--error-bits', '3'], /--error-bits must be one of 1, 2, 4, 8/],
    [train, ['rings', '--method', 'dfa', '--projection', 'hadamard'], /--projection must be one of dense, gaussian, ternary, binary, sparse, structured/],
    [demo, ['--methods', 'bp,fa', '--noise', '0.1', '--error-bits', '1'], /dfa demo: --error-bits, --noise shape the direct methods' signal \(dfa, drtp\); bp, fa have none/],
  ];
  for (const [cmd, argv, why] of bad) await assert.rejects(runCommand(cmd, argv), (e: Error) => e instanceof UsageError && why.test(e.message), `${cmd.name} ${argv.join(' ')}: ${why}`);
});

test('dfa train --projection ternary --error-bits 4 --noise 0.1: the run trains with them and records them in config.json and the checkpoint settings', async () => {
  await withTempDir(async (dir) => {
    const out = join(dir, 'run');
    const rc = await runCommand(train, ['rings', '--method', 'dfa', '--projection', 'ternary', '--error-bits', '4', '--noise', '0.1', '--n', '200', '--epochs', '1', '--hidden', '8,8', '--out', out]);
    assert.equal(rc, 0);
    const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { cfg: { feedback?: unknown } };
    assert.deepEqual(cfg.cfg.feedback, { projection: 'ternary', errorBits: 4, noise: 0.1 });
    // resuming with other signal options is refused (the checkpoint's settings name them)
    await assert.rejects(runCommand(train, ['rings', '--method', 'dfa', '--projection', 'binary', '--n', '200', '--epochs', '2', '--hidden', '8,8', '--out', out]), /is of another run \(feedback\.projection: 'ternary' there, 'binary' here; feedback\.errorBits: 4 there, unset here; feedback\.noise: 0\.1 there, unset here\)/);
  });
});
