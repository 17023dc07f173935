/** DfaDropout on tfjs's backends: x times the mask tensor (the multiply the library ran before). */
import * as tf from '@tensorflow/tfjs';
import { DFA_DROPOUT, maskOf, type DropoutAttrs } from '../ops/dropout_kernel';
import { tfOpsKernel } from './kernel';

export const dropoutCpuKernel = tfOpsKernel(DFA_DROPOUT, ({ x }, attrs) =>
  tf.mul(x!, tf.tensor(maskOf(x!.size, attrs as unknown as DropoutAttrs), x!.shape)));
