/**
 * tfjs's convolution/pooling geometry (padding mode, rounding, dilations resolved by its own
 * backend_util) as the 15 int32 values native/src/conv_geom.h reads, for NHWC tensors.
 */
import { backend_util } from '@tensorflow/tfjs';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

export interface ConvGeom {
  info: backend_util.Conv2DInfo;
  /** [N, H, W, C, KH, KW, CO, OH, OW, SH, SW, DH, DW, PT, PL] */
  geom: Int32Array;
}

function pack(info: backend_util.Conv2DInfo, outChannels: number): ConvGeom {
  const g = info;
  const geom = Int32Array.from([
    g.batchSize, g.inHeight, g.inWidth, g.inChannels, g.filterHeight, g.filterWidth, outChannels,
    g.outHeight, g.outWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padInfo.top, g.padInfo.left,
  ]);
  return { info, geom };
}

/** Conv2D-family geometry (filter [KH, KW, C, CO]); null for NCHW (left to the cpu kernel). */
export function convGeom(xShape: number[], filterShape: number[], strides: number | [number, number], dilations: number | [number, number], pad: Pad, rounding: Rounding, dataFormat?: string): ConvGeom | null {
  if (dataFormat === 'NCHW' || xShape.length !== 4 || filterShape.length !== 4) return null;
  const info = backend_util.computeConv2DInfo(xShape as Shape4, filterShape as Shape4, strides, dilations, pad, rounding, false, 'channelsLast');
  return pack(info, info.outChannels);
}

/** Depthwise geometry (filter [KH, KW, C, M], output C·M channels). */
export function depthwiseGeom(xShape: number[], filterShape: number[], strides: number | [number, number], dilations: number | [number, number], pad: Pad, rounding: Rounding): ConvGeom | null {
  if (xShape.length !== 4 || filterShape.length !== 4) return null;
  const info = backend_util.computeConv2DInfo(xShape as Shape4, filterShape as Shape4, strides, dilations, pad, rounding, true);
  return pack(info, info.outChannels);
}

/** Pooling geometry (dilation 1, as tfjs's pooling kernels). */
export function poolGeom(xShape: number[], filterSize: number | [number, number], strides: number | [number, number], pad: Pad, rounding: Rounding): ConvGeom | null {
  if (xShape.length !== 4) return null;
  const info = backend_util.computePool2DInfo(xShape as Shape4, filterSize, strides, 1, pad, rounding);
  return pack(info, info.inChannels);
}

/** True when a gradient's dy has the output shape its geometry implies (tfjs's gradients drop the
 * rounding mode, so with 'ceil' or 'round' they can disagree: those go to the cpu kernel as they are). */
export function fitsOutput(g: ConvGeom, dy: { shape: number[] }): boolean {
  const o = g.info.outShape;
  return dy.shape.length === 4 && dy.shape.every((d, i) => d === o[i]);
}

/** True when every value of a stride/dilation attribute is 1. */
export function allOne(v: number | number[] | undefined): boolean {
  return v === undefined || (Array.isArray(v) ? v.every((d) => d === 1) : v === 1);
}
