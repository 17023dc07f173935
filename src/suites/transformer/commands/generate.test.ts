import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand } from '../../../command/command';
import { UsageError } from '../../../command/options';
import { FileCheckpointStore } from '../../../train/checkpoint_fs';
import { Trainer } from '../../../train/trainer';
import { withTempDir } from '../../../../test/helpers';
import { CharTokenizer } from '../data/char_tokenizer';
import { LmDataset } from '../data/lm_dataset';
import { LmTask } from '../experiments/lm_task';
import { saveRunTokenizer } from '../models/saved';
import { GENERATE } from './generate';

test('dfa generate: refuses a folder that is not a saved run before any work; samples from one, seeded', async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(runCommand(GENERATE, [dir]), (e: Error) => e instanceof UsageError && /not a saved language model/.test(e.message));
    await assert.rejects(runCommand(GENERATE, [dir, '--top-k', '-1']), /--top-k must be >= 0/);
    // a one-step run, saved as `reproduce table5 --save` leaves it
    const text = 'to be or not to be, that is the question. '.repeat(20);
    const tok = CharTokenizer.train(text);
    const data = new LmDataset(tok.encode(text), 8);
    const task = new LmTask({
      model: { vocab: tok.vocabSize, ctx: 8, d: 8, layers: 1, heads: 2, ffn: 16, dropout: 0, preLN: false }, seed: 0,
      train: data, valid: data, test: data, batch: 4, evalChunks: 4, granularity: 'macro', errorAt: 'before', dfaEmbed: false, data: 'hamlet, char',
    });
    saveRunTokenizer(dir, tok);
    const trainer = new Trainer(task, { method: 'dfa', seed: 0, epochs: 1, stepsPerEpoch: 1, optimizer: { name: 'adam', lr: 1e-3 }, keepBest: true }, { store: new FileCheckpointStore(dir) });
    await trainer.run();
    trainer.dispose();
    task.dispose();
    const sample = async (seed: string) => {
      const out: string[] = [];
      const write = process.stdout.write;
      const err = console.error;
      process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
      console.error = () => {};
      try {
        assert.equal(await runCommand(GENERATE, [dir, '--prompt', 'to be', '--tokens', '12', '--seed', seed]), 0);
      } finally {
        process.stdout.write = write;
        console.error = err;
      }
      return out.join('');
    };
    const a = await sample('1');
    assert.ok(a.startsWith('to be') && tok.encode(a.slice(5, -1)).length === 12, `12 tokens after the prompt: ${JSON.stringify(a)}`);
    assert.equal(await sample('1'), a, 'the same seed gives the same text');
  });
});
