/**
 * Output paths checked before any work (issue 18, finding 3): an output under /proc or /sys made
 * `dfa train --out` busy-loop in mkdir until killed; it must be refused, also when reached through
 * a symbolic link, and a path that cannot be created names the file in its way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from '../../test/helpers';
import { checkInputPath, checkOutputPath } from './paths';

test('checkOutputPath: kernel file systems refused, also through a symbolic link', () =>
  withTempDir((dir) => {
    const kernel = /inside a kernel file system/;
    assert.match(checkOutputPath('/proc/xrun', 'out-dir') ?? '', kernel);
    assert.match(checkOutputPath('/proc/../sys/x.json', 'out-file') ?? '', kernel);
    symlinkSync('/proc', join(dir, 'p'));
    assert.match(checkOutputPath(join(dir, 'p', 'xrun'), 'out-dir') ?? '', kernel);
    assert.match(checkOutputPath(join(dir, 'p', 'self', 'x', 'y.json'), 'out-file') ?? '', kernel);
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'ok'));
    assert.equal(checkOutputPath(join(dir, 'ok', 'run', 'x'), 'out-dir'), null);
  }));

test('checkOutputPath: a file in the way, a folder for a file, a file for a folder', () =>
  withTempDir((dir) => {
    writeFileSync(join(dir, 'f'), 'x');
    assert.equal(checkOutputPath(join(dir, 'f', 'sub', 'x.json'), 'out-file'), `cannot be created: ${join(dir, 'f')} is a file`);
    assert.equal(checkOutputPath(dir, 'out-file'), 'is a folder, not a file');
    assert.equal(checkOutputPath(join(dir, 'f'), 'out-dir'), 'exists and is not a folder');
    assert.equal(checkOutputPath(join(dir, 'new', 'x.json'), 'out-file'), null);
    assert.equal(checkInputPath(join(dir, 'missing'), 'in-file'), 'does not exist');
    assert.equal(checkInputPath(dir, 'in-file'), 'is not a file');
  }));
