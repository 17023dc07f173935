/** DfaSparseSoftmaxCE on tfjs's backends: logSoftmax and oneHot, as the library computed it before. */
import * as tf from '@tensorflow/tfjs';
import { DFA_SPARSE_SOFTMAX_CE } from '../ops/sparse_softmax_cross_entropy_kernel';
import { tfOpsKernel } from './kernel';

export const sparseSoftmaxCECpuKernel = tfOpsKernel(DFA_SPARSE_SOFTMAX_CE, ({ logits, labels }) => {
  const C = logits!.shape[logits!.rank - 1]!, N = labels!.size;
  const lsm = tf.logSoftmax(tf.reshape(logits!, [N, C]));
  const onehot = tf.oneHot(tf.reshape(labels!, [N]), C);
  const loss = tf.neg(tf.div(tf.sum(tf.mul(lsm, onehot)), Math.max(N, 1)));
  const grad = tf.reshape(tf.div(tf.sub(tf.exp(lsm), onehot), Math.max(N, 1)), logits!.shape);
  return [loss, grad];
});
