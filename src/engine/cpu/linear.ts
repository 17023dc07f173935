/** DfaLinear on tfjs's backends: tf.add(tf.matMul(x, w), bias), the BatchMatMul and Add the library ran before. */
import * as tf from '@tensorflow/tfjs';
import { DFA_LINEAR } from '../ops/linear_kernel';
import { tfOpsKernel } from './kernel';

export const linearCpuKernel = tfOpsKernel(DFA_LINEAR, ({ x, w, bias }) => tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), bias!));
