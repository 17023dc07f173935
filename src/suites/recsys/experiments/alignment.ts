/**
 * Appendix A's measurement: per-sample cosine between DFA's signal and BP's gradient at each
 * feedback point on the first 512 validation rows (evaluation mode), plus, for Deep&Cross, the
 * paper's own measure at each cross layer (crossAlignment below).
 */
import * as tf from '@tensorflow/tfjs';
import { alignmentStat, type AlignmentStat, type Feedback } from '../../../feedback';
import { iterateBatches, type RowSource } from '../data';
import { DeepCrossNetwork, type RecsysModel } from '../models';
import { batchLoss } from './task';

export const ALIGNMENT_ROWS = 512;

export async function measureAlignment(model: RecsysModel, fb: Feedback, src: RowSource, splitSeed: number): Promise<AlignmentStat[]> {
  const b = iterateBatches(src, { batchSize: ALIGNMENT_ROWS, split: 'val', splitSeed }).next().value;
  if (!b) return [];
  const idx = model.globalIndices(b.x);
  const ls = model.tables.map((t) => t.lookup(idx, true));
  const rows = ls.map((l) => l.gathered);
  const cross = model instanceof DeepCrossNetwork ? crossAlignment(model, rows, b.size) : null;
  try {
    const f = () => batchLoss(model, b, rows, { fb, training: false, rng: null });
    const vars = [...Object.values(model.namedVariables()), ...rows as tf.Variable[]];
    const r = await fb.alignment(f, vars, { inspect: cross?.inspect });
    return [...r, ...(cross?.stats() ?? [])];
  } finally {
    cross?.dispose();
    ls.forEach((l) => l.dispose());
  }
}

/**
 * `cross<k>.xw`: DFA signal vs BP gradient at cross layer k's scalar x_k·w_k (x0·signal vs
 * x0·gradient), the output of the Linear(·, 1) module that TinyDFA's AlignmentMeasurement hooks
 * in the paper's code. A cosine between two scalars is their sign agreement (±1), which is why
 * the paper's Deep&Cross value (Table A.1) has std 0.91.
 */
function crossAlignment(model: DeepCrossNetwork, rows: tf.Tensor2D[], B: number) {
  const x0 = tf.tidy(() => model.crossInput(rows, B));
  const points = new Set(model.cross.pointNames);
  const out: AlignmentStat[] = [];
  return {
    inspect(point: string, s: tf.Tensor, g: tf.Tensor) {
      if (!points.has(point)) return;
      const [ps, pg] = tf.tidy(() => [tf.sum(tf.mul(x0, s), 1, true), tf.sum(tf.mul(x0, g), 1, true)]);
      out.push(alignmentStat(`${point}.xw`, ps!, pg!));
      tf.dispose([ps!, pg!]);
    },
    stats: () => out,
    dispose: () => x0.dispose(),
  };
}
