/**
 * The README's "write your own model" examples run with every method and learn: the loss after a
 * few steps is below the first step's. The README shows these files verbatim (checked here too),
 * so the guide cannot drift from code that runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METHODS } from 'dfa-ts';
import { trainMlp } from './mlp';
import { trainCnn } from './cnn';
import { trainTransformerBlock } from './transformer_block';

const here = import.meta.dirname;
const EXAMPLES: Array<[string, (m: (typeof METHODS)[number], steps?: number) => number[], number]> = [
  ['mlp.ts', trainMlp, 40],
  ['cnn.ts', trainCnn, 25],
  ['transformer_block.ts', trainTransformerBlock, 30],
];

// tfjs's own cpu convolution kernels take ~0.1 s a step on this CNN (the native ones ~1 ms), so the
// cpu pass trains it with one method of each family; the native pass trains every method.
const CPU_CNN_METHODS: (typeof METHODS)[number][] = ['bp', 'dfa', 'usf'];
const methodsFor = (file: string) => (file === 'cnn.ts' && process.env.DFA_BACKEND === 'cpu' ? CPU_CNN_METHODS : METHODS);

for (const [file, run, steps] of EXAMPLES) {
  test(`examples/${file} learns with every method (${methodsFor(file).join(', ')})`, () => {
    for (const method of methodsFor(file)) {
      const losses = run(method, steps);
      assert.equal(losses.length, steps);
      assert.ok(losses.every(Number.isFinite), `${method}: non-finite loss`);
      const first = losses[0]!, last = losses[losses.length - 1]!;
      assert.ok(last < first * 0.95, `${file} ${method}: loss ${first.toFixed(4)} → ${last.toFixed(4)}, expected a decrease`);
    }
  });
}

test('the README shows each example verbatim', () => {
  const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
  for (const [file] of EXAMPLES) {
    const code = readFileSync(join(here, file), 'utf8').trim();
    assert.ok(readme.includes(code), `README.md does not contain examples/${file} as it is (copy it into the guide)`);
  }
});
