/**
 * The random projections the direct methods (dfa, drtp) send their global signal through, as a
 * hardware designer would choose them. Every kind is scaled to the same signal magnitude as the
 * default: each draws its matrix in its own stated values and a gain g brings the entries'
 * variance to that of U(−1, 1), 1/3, so a point receives (v · B_i) · g · s_i with s_i the usual
 * 1/sqrt(width) scale (matrix.ts) and a learning rate tuned for one kind suits the others.
 *
 *   dense       U(−1, 1)                                             g = 1 (today's default)
 *   gaussian    N(0, 1)                                              g = 1/√3
 *   ternary     {−1, 0, +1} with probabilities 1/6, 2/3, 1/6          g = 1 (variance 1/3 already;
 *               (Achlioptas 2003: one third of the entries nonzero)
 *   binary      {−1, +1}, each with probability 1/2                   g = 1/√3
 *   sparse      U(−1, 1) where a Bernoulli(density) draw keeps the    g = 1/√density
 *               entry, 0 elsewhere (density default 0.1)
 *   structured  no stored matrix: random signs and three fast          g = 1/√3
 *               Walsh–Hadamard transforms (structured.ts); entries of its dense equivalent have
 *               mean 0 and variance 1
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/rng';

export type ProjectionKind = 'dense' | 'gaussian' | 'ternary' | 'binary' | 'sparse' | 'structured';

export const PROJECTIONS: readonly ProjectionKind[] = ['dense', 'gaussian', 'ternary', 'binary', 'sparse', 'structured'];

export const DEFAULT_DENSITY = 0.1;

export const PROJECTION_SUMMARY: Record<ProjectionKind, string> = {
  dense: 'U(-1, 1) entries (the default)',
  gaussian: 'N(0, 1) entries, scaled by 1/sqrt(3)',
  ternary: '{-1, 0, +1} with probabilities 1/6, 2/3, 1/6 (Achlioptas)',
  binary: '{-1, +1} entries, scaled by 1/sqrt(3)',
  sparse: `U(-1, 1) entries kept with probability density (default ${DEFAULT_DENSITY}), scaled by 1/sqrt(density)`,
  structured: 'random signs + three fast Walsh-Hadamard transforms: O(n log n) time, no stored matrix',
};

/** A checked projection choice (projectionConfig): density is set for 'sparse' only. */
export interface ProjectionConfig {
  readonly kind: ProjectionKind;
  /** sparse: the probability that an entry is nonzero, in (0, 1] */
  readonly density?: number;
}

export const DENSE: ProjectionConfig = { kind: 'dense' };

export function parseProjection(s: string): ProjectionKind {
  if ((PROJECTIONS as readonly string[]).includes(s)) return s as ProjectionKind;
  throw new Error(`unknown projection '${s}'; expected one of ${PROJECTIONS.join(', ')}`);
}

/** Checks a user's choice (density only with sparse, in (0, 1]; default 0.1). */
export function projectionConfig(kind: string, density?: number): ProjectionConfig {
  const k = parseProjection(kind);
  if (density !== undefined && k !== 'sparse') throw new Error(`projection '${k}': density applies to the sparse projection only`);
  if (k !== 'sparse') return { kind: k };
  const d = density ?? DEFAULT_DENSITY;
  if (!(d > 0 && d <= 1)) throw new Error(`sparse projection: density must be in (0, 1], got ${density}`);
  return { kind: k, density: d };
}

/** The factor that brings the entries' variance to U(−1, 1)'s, 1/3. */
export function projectionGain(spec: ProjectionConfig): number {
  switch (spec.kind) {
    case 'dense':
    case 'ternary':
      return 1;
    case 'gaussian':
    case 'binary':
    case 'structured':
      return 1 / Math.sqrt(3);
    case 'sparse':
      return 1 / Math.sqrt(spec.density!);
  }
}

/** n entries of a stored projection matrix, in the kind's own values (unscaled). */
export function drawMatrix(spec: ProjectionConfig, n: number, rng: Rng): Float32Array {
  switch (spec.kind) {
    case 'dense':
      return rng.uniformArray(n, -1, 1);
    case 'gaussian':
      return rng.normalArray(n);
    case 'ternary':
    case 'binary':
    case 'sparse': {
      const density = spec.density!;
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const u = rng.next();
        if (spec.kind === 'binary') out[i] = u < 0.5 ? -1 : 1;
        else if (spec.kind === 'ternary') out[i] = u < 1 / 6 ? -1 : u < 1 / 3 ? 1 : 0;
        else out[i] = u < density ? 2 * rng.next() - 1 : 0;
      }
      return out;
    }
    case 'structured':
      throw new Error('the structured projection stores no matrix (its state is the random signs)');
  }
}

/** What a projection saves in a checkpoint. */
export interface MatrixState {
  /** [outDim, maxWidth] */
  shape: [number, number];
  /** the matrix, row-major; for 'structured' the three sign vectors (3 × n, n = the transform length) */
  data: Float32Array;
  /** absent = 'dense' (checkpoints written before projections existed) */
  projection?: ProjectionKind;
  /** sparse: the density it was drawn with */
  density?: number;
}

export type Scaling = 'layer' | 'widest';

/** A direct method's feedback projection: v [rows, outDim] ↦ (v · B[:, :width]) · g · s_width. */
export interface Projection {
  readonly spec: ProjectionConfig;
  readonly outDim: number;
  readonly maxWidth: number;
  readonly scaling: Scaling;
  /** The unscaled matrix [outDim, maxWidth] (stored, or the structured one's dense equivalent, built on first use). Owned here. */
  readonly B: tf.Tensor2D;
  /** g · s_width: the factor applied after v · B[:, :width] */
  scale(width: number): number;
  /** (v · B[:, :width]) · scale(width), a new tensor [rows, width] */
  project(v: tf.Tensor2D, width: number, pointName?: string): tf.Tensor2D;
  getState(): MatrixState;
  dispose(): void;
}

/** The error a point wider than the projection gets. */
export function tooWide(pointName: string, width: number, maxWidth: number): Error {
  return new Error(
    `feedback point '${pointName}' has width ${width}, wider than the feedback matrix allows ` +
      `(${maxWidth} columns); create the Feedback with maxWidth >= ${width}`,
  );
}
