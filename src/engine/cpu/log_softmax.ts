/** DfaLogSoftmax on tfjs's backends: x − logSumExp(x) over the last axis. */
import * as tf from '@tensorflow/tfjs';
import { DFA_LOG_SOFTMAX } from '../ops/log_softmax_kernel';
import { tfOpsKernel } from './kernel';

export const logSoftmaxCpuKernel = tfOpsKernel(DFA_LOG_SOFTMAX, ({ logits }) => tf.sub(logits!, tf.logSumExp(logits!, -1, true)));
