/**
 * The Transformer ops' kernels on the native backend (native/src/transformer.c): DfaLinear,
 * DfaLayerNorm(Grad), DfaDropout, DfaScaledSoftmax / DfaSoftmaxGrad, DfaCausalAttention(Grad). The
 * ops, names and gradients: src/engine/ops/*_kernel.ts; tfjs's backends: src/engine/cpu/.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { DFA_LINEAR } from '../../ops/linear_kernel';
import { DFA_LAYER_NORM, DFA_LAYER_NORM_GRAD } from '../../ops/layer_norm_kernel';
import { DFA_DROPOUT } from '../../ops/dropout_kernel';
import { DFA_SCALED_SOFTMAX, DFA_SOFTMAX_GRAD } from '../../ops/scaled_softmax_kernel';
import { DFA_CAUSAL_ATTENTION, DFA_CAUSAL_ATTENTION_GRAD, type AttentionAttrs } from '../../ops/causal_attention_kernel';
import { nativeMatMul } from './batch_mat_mul';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { output, sizeOf, values } from './util';

type LayerNorm = (x: Float32Array, g: Float32Array, b: Float32Array, y: Float32Array, mean: Float32Array, rstd: Float32Array, rows: number, cols: number, eps: number) => void;
type LayerNormGrad = (dy: Float32Array, x: Float32Array, g: Float32Array, mean: Float32Array, rstd: Float32Array, dx: Float32Array | null, dg: Float32Array, db: Float32Array, rows: number, cols: number) => void;
type Dropout = (x: Float32Array, out: Float32Array, k0: number, k1: number, threshold: number, scale: number) => void;
type ScaledSoftmax = (x: Float32Array, out: Float32Array, rows: number, cols: number, T: number, scale: number, causal: boolean) => void;
type Attention = (qkv: Float32Array, ctx: Float32Array, P: Float32Array, B: number, T: number, H: number, dh: number, scale: number, k0: number, k1: number, threshold: number, dropScale: number) => void;
type AttentionGrad = (dctx: Float32Array, qkv: Float32Array, P: Float32Array, dqkv: Float32Array, B: number, T: number, H: number, dh: number, scale: number, k0: number, k1: number, threshold: number, dropScale: number) => void;
type SoftmaxGrad = (y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, cols: number, scale: number) => void;

export function transformerKernels(addon: NativeAddon): KernelConfig[] {
  return [
    {
      // x [N, in] · w [in, out] + bias [out]: the bias rides in the GEMM
      kernelName: DFA_LINEAR,
      backendName: 'native',
      kernelFunc: (args) => {
        const { x, w, bias } = args.inputs as { x: TensorInfo; w: TensorInfo; bias: TensorInfo };
        const out = nativeMatMul(addon, args.backend as NativeBackend, x, w, false, false, bias);
        if (!out) throw new Error(`DfaLinear: float32 [N, in] x [in, out] + [out] expected, got [${x.shape}] [${w.shape}] [${bias.shape}]`);
        return out;
      },
    },
    {
      // x [..., C], gamma [C], beta [C] -> y [..., C], mean [rows], rstd [rows]
      kernelName: DFA_LAYER_NORM,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { x, gamma, beta } = args.inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
        const { eps } = args.attrs as unknown as { eps: number };
        const cols = x.shape[x.shape.length - 1]!, rows = cols ? sizeOf(x.shape) / cols : 0;
        if (sizeOf(gamma.shape) !== cols || sizeOf(beta.shape) !== cols) throw new Error(`DfaLayerNorm: gamma/beta of ${sizeOf(gamma.shape)}/${sizeOf(beta.shape)} values for ${cols} features`);
        const y = backend.alloc(rows * cols), mean = backend.alloc(rows), rstd = backend.alloc(rows);
        (addon.layerNorm as LayerNorm)(values(backend, x, 'DfaLayerNorm'), values(backend, gamma, 'DfaLayerNorm'), values(backend, beta, 'DfaLayerNorm'), y, mean, rstd, rows, cols, eps);
        return [output(backend, x.shape, y), output(backend, [rows], mean), output(backend, [rows], rstd)];
      },
    },
    {
      // -> dx (like x), dgamma [C], dbeta [C]
      kernelName: DFA_LAYER_NORM_GRAD,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { dy, x, gamma, mean, rstd } = args.inputs as Record<string, TensorInfo>;
        const cols = x!.shape[x!.shape.length - 1]!, rows = cols ? sizeOf(x!.shape) / cols : 0;
        const v = (t: TensorInfo) => values(backend, t, 'DfaLayerNormGrad');
        const dx = backend.alloc(rows * cols), dg = backend.alloc(cols), db = backend.alloc(cols);
        (addon.layerNormGrad as LayerNormGrad)(v(dy!), v(x!), v(gamma!), v(mean!), v(rstd!), dx, dg, db, rows, cols);
        return [output(backend, x!.shape, dx), output(backend, gamma!.shape, dg), output(backend, gamma!.shape, db)];
      },
    },
    {
      kernelName: DFA_DROPOUT,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { x } = args.inputs as { x: TensorInfo };
        const { k0, k1, threshold, scale } = args.attrs as unknown as { k0: number; k1: number; threshold: number; scale: number };
        const xv = values(backend, x, 'DfaDropout');
        const out = backend.alloc(xv.length);
        (addon.dropout as Dropout)(xv, out, k0, k1, threshold, scale);
        return output(backend, x.shape, out);
      },
    },
    {
      kernelName: DFA_SCALED_SOFTMAX,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { x } = args.inputs as { x: TensorInfo };
        const { scale, causal } = args.attrs as unknown as { scale: number; causal: boolean };
        const r = x.shape.length, cols = x.shape[r - 1]!, T = r >= 2 ? x.shape[r - 2]! : 1;
        const xv = values(backend, x, 'DfaScaledSoftmax');
        const out = backend.alloc(xv.length);
        (addon.scaledSoftmax as ScaledSoftmax)(xv, out, cols ? xv.length / cols : 0, cols, Math.max(T, 1), scale, causal);
        return output(backend, x.shape, out);
      },
    },
    {
      kernelName: DFA_SOFTMAX_GRAD,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { y, dy } = args.inputs as { y: TensorInfo; dy: TensorInfo };
        const { scale } = args.attrs as unknown as { scale: number };
        const yv = values(backend, y, 'DfaSoftmaxGrad'), dv = values(backend, dy, 'DfaSoftmaxGrad');
        if (yv.length !== dv.length) throw new Error(`DfaSoftmaxGrad: y of ${yv.length} values, dy of ${dv.length}`);
        const cols = y.shape[y.shape.length - 1]!;
        const out = backend.alloc(yv.length);
        (addon.softmaxGrad as SoftmaxGrad)(yv, dv, out, cols ? yv.length / cols : 0, cols, scale);
        return output(backend, y.shape, out);
      },
    },
    {
      // qkv [B, T, 3d] -> ctx [B, T, d], P [B, H, T, T] (attention weights before dropout)
      kernelName: DFA_CAUSAL_ATTENTION,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { qkv } = args.inputs as { qkv: TensorInfo };
        const a = args.attrs as unknown as AttentionAttrs;
        const [B, T, d3] = qkv.shape as [number, number, number];
        const d = d3 / 3, dh = d / a.heads;
        const ctx = backend.alloc(B * T * d), P = backend.alloc(B * a.heads * T * T);
        (addon.causalAttention as Attention)(values(backend, qkv, 'DfaCausalAttention'), ctx, P, B, T, a.heads, dh, a.scale, a.k0, a.k1, a.threshold, a.dropScale);
        return [output(backend, [B, T, d], ctx), output(backend, [B, a.heads, T, T], P)];
      },
    },
    {
      kernelName: DFA_CAUSAL_ATTENTION_GRAD,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { dctx, qkv, P } = args.inputs as Record<string, TensorInfo>;
        const a = args.attrs as unknown as AttentionAttrs;
        const [B, T, d3] = qkv!.shape as [number, number, number];
        const dh = d3 / 3 / a.heads;
        const v = (t: TensorInfo) => values(backend, t, 'DfaCausalAttentionGrad');
        const dqkv = backend.alloc(B * T * d3);
        (addon.causalAttentionGrad as AttentionGrad)(v(dctx!), v(qkv!), v(P!), dqkv, B, T, a.heads, dh, a.scale, a.k0, a.k1, a.threshold, a.dropScale);
        return output(backend, qkv!.shape, dqkv);
      },
    },
  ];
}
