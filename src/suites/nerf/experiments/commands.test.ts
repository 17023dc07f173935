import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand } from '../../../command/command';
import { UsageError } from '../../../command/options';
import { render } from '../commands/render';
import { figA1, sideBySide } from './figA1';
import { table1 } from './table1';

test('sideBySide: tiles columns with a white gutter', () => {
  const img = (v: number) => new Float32Array(2 * 2 * 3).fill(v);
  const t = sideBySide([[img(0)], [img(0.5)]], 2, 2);
  assert.equal(t.width, 6);
  assert.equal(t.height, 2);
  assert.equal(t.data[0], 0);
  assert.equal(t.data[2 * 3], 1); // gutter
  assert.equal(t.data[4 * 3], 0.5);
});

test('figA1, table1 and render check their arguments before any work (no data is read, nothing is trained)', async () => {
  const bad: Array<[typeof figA1 | typeof table1 | typeof render, string[], RegExp]> = [
    [figA1, ['--iters', '20', '--epoch-steps', '7'], /--epoch-steps 7 does not divide --iters 20/],
    [figA1, ['--methods', 'bp,dfx'], /--methods must list items of bp, dfa, fa, shallow, usf, brsf, frsf, drtp, got 'dfx'/],
    [figA1, ['--lr', '0'], /--lr must be > 0/],
    [figA1, ['--data', '/nonexistent/lego'], /--data \/nonexistent\/lego: does not exist/],
    [figA1, ['--methods', 'bp,drtp'], /--methods drtp: drtp is undefined for NeRF: it projects a class target .* NeRF regresses colours and densities/],
    [table1, ['--methods', 'drtp'], /--methods drtp: drtp is undefined for NeRF/],
    [table1, ['--scenes', 'lego,chair'], /--scenes must list items of lego, fern, got 'chair'/],
    [table1, ['--iter', '3'], /unknown option --iter; did you mean --iters\?/],
    [render, [], /missing <run>/],
    [render, ['/nonexistent/run'], /<run> \/nonexistent\/run: does not exist/],
    [render, ['.', '--scale', '0'], /--scale must be > 0/],
  ];
  for (const [cmd, argv, why] of bad) await assert.rejects(runCommand(cmd, argv), (e: Error) => e instanceof UsageError && why.test(e.message), `${cmd.name} ${argv.join(' ')}`);
});
