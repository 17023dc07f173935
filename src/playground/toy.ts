/**
 * The playground's 2-D toy data, generated from a seeded Rng (identical in Node and browsers):
 * all inside about [-2, 2]²: spirals (3 arms), circles (a disc inside a ring), xor (quadrants) and a teacher-network
 * regression (the target is a random tanh MLP of the input).
 */
import { Rng } from '../engine/rng';

export interface ToyData {
  /** [n, 2] row-major */
  x: Float32Array;
  /** class labels (classification) */
  y: Int32Array;
  /** regression targets (teacher), standardised; empty for classification */
  target: Float32Array;
  n: number;
  /** number of classes; 0 = regression */
  classes: number;
}

export const TOY_TASKS = ['spirals', 'circles', 'xor', 'teacher'] as const;
export type ToyTask = (typeof TOY_TASKS)[number];

export const TOY_SUMMARY: Record<ToyTask, string> = {
  spirals: '3 interleaved spiral arms (classification)',
  circles: 'a disc inside a ring (classification)',
  xor: 'opposite quadrants share a class (classification)',
  teacher: 'regress the output of a random tanh teacher network (R²)',
};

export function toyData(task: ToyTask, n: number, noise: number, rng: Rng): ToyData {
  if (!Number.isInteger(n) || n < 4) throw new Error(`toy data: need at least 4 points, got ${n}`);
  if (!(noise >= 0)) throw new Error(`toy data: noise must be >= 0, got ${noise}`);
  switch (task) {
    case 'spirals': {
      // 3 arms of one turn, radius 0.2..2; class i at angle offset 2πi/3. (One turn at this scale
      // is learnt by a 2×32 tanh MLP in a few hundred steps, so a visitor sees it happen.)
      const x = new Float32Array(n * 2);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const c = i % 3;
        const r = 0.1 + 0.9 * rng.next();
        const t = (2 * Math.PI * c) / 3 + 2 * Math.PI * r;
        x[2 * i] = 2 * (r * Math.cos(t) + noise * rng.normal());
        x[2 * i + 1] = 2 * (r * Math.sin(t) + noise * rng.normal());
        y[i] = c;
      }
      return { x, y, target: new Float32Array(0), n, classes: 3 };
    }
    case 'circles': {
      const x = new Float32Array(n * 2);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const c = i % 2;
        const r = c === 0 ? Math.sqrt(rng.next()) : 1.5 + 0.5 * rng.next();
        const t = 2 * Math.PI * rng.next();
        x[2 * i] = r * Math.cos(t) + 2 * noise * rng.normal();
        x[2 * i + 1] = r * Math.sin(t) + 2 * noise * rng.normal();
        y[i] = c;
      }
      return { x, y, target: new Float32Array(0), n, classes: 2 };
    }
    case 'xor': {
      const x = new Float32Array(n * 2);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const a = 4 * rng.next() - 2;
        const b = 4 * rng.next() - 2;
        y[i] = a * b > 0 ? 1 : 0;
        x[2 * i] = a + 2 * noise * rng.normal();
        x[2 * i + 1] = b + 2 * noise * rng.normal();
      }
      return { x, y, target: new Float32Array(0), n, classes: 2 };
    }
    case 'teacher': {
      const x = rng.uniformArray(n * 2, -2, 2);
      const t = teacherNet(new Rng(0x7eac4e2).fork('teacher'));
      const raw = new Float64Array(n);
      for (let i = 0; i < n; i++) raw[i] = t(x[2 * i]! / 2, x[2 * i + 1]! / 2) + noise * rng.normal();
      let mean = 0;
      for (const v of raw) mean += v / n;
      let v2 = 0;
      for (const v of raw) v2 += (v - mean) ** 2 / n;
      const sd = Math.sqrt(v2) || 1;
      const target = Float32Array.from(raw, (v) => (v - mean) / sd);
      return { x, y: new Int32Array(0), target, n, classes: 0 };
    }
    default:
      throw new Error(`unknown playground task '${String(task)}'; expected one of ${TOY_TASKS.join(', ')}`);
  }
}

/** A fixed random 2-16-16-1 tanh network (the same teacher for every seed: the seed varies the sample). */
function teacherNet(rng: Rng): (a: number, b: number) => number {
  const dims = [2, 16, 16, 1];
  const Ws = dims.slice(0, -1).map((d, i) => rng.normalArray(d * dims[i + 1]!, 0, 2.5 / Math.sqrt(d)));
  const bs = dims.slice(1).map((d) => rng.normalArray(d, 0, 0.5));
  return (a, b) => {
    let h: number[] = [a, b];
    for (let l = 0; l < Ws.length; l++) {
      const [din, dout] = [dims[l]!, dims[l + 1]!];
      const z = Array.from(bs[l]!);
      for (let i = 0; i < din; i++) for (let j = 0; j < dout; j++) z[j]! += h[i]! * Ws[l]![i * dout + j]!;
      h = l < Ws.length - 1 ? z.map(Math.tanh) : z;
    }
    return h[0]!;
  };
}
