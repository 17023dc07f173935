/** Messages between the playground page and its training Web Worker. */
import type { Method } from '../feedback/methods';
import type { AlignPoint, Boundary, Embedding, EvalPoint, FixedRunResult } from './session';
import type { PlaygroundSettings } from './settings';

export type ToWorker =
  | { type: 'init'; settings: PlaygroundSettings; backend?: 'cpu' | 'webgl' }
  | { type: 'run' }
  | { type: 'pause' }
  | { type: 'step'; n: number }
  /** the raw Planetoid files (name → bytes), parsed in the worker; 'init' with task=cora uses them */
  | { type: 'data'; name: 'cora'; files: [string, ArrayBuffer][] }
  | { type: 'fixed'; settings: PlaygroundSettings; steps: number };

export interface MethodUpdate {
  method: Method;
  eval: EvalPoint;
  /** minibatch loss of the last step */
  batchLoss: number;
  align?: AlignPoint;
  boundary?: Boundary;
  embedding?: Embedding;
}

export type FromWorker =
  | { type: 'ready'; backend: string }
  | {
      type: 'reset';
      settings: PlaygroundSettings;
      classes: number;
      extent: [number, number, number, number];
      /** test points for drawing: [n, 2], labels (classification) or targets (regression) */
      points: Float32Array;
      labels: Int32Array;
      targets: Float32Array;
      /** the first test points, in order, that the embedding shows */
      embedN: number;
      /** graph tasks: a line describing the data and split (no 2-D points, no decision boundary) */
      graph?: string;
    }
  | { type: 'data'; name: 'cora'; summary: string }
  | { type: 'update'; step: number; running: boolean; stepsPerSec: number; methods: MethodUpdate[] }
  | { type: 'state'; running: boolean; step: number; done: boolean }
  | { type: 'fixed'; result: FixedRunResult }
  | { type: 'error'; message: string };
