/** The paper's NeRF settings and reported values (Table 1, Table A.5, appendices B and C). */
import type { NerfConfig } from './models/nerf';

/** The paper's NeRF (nerf-pytorch's blender/LLFF configs). */
export const NERF_FULL: NerfConfig = { posFreqs: 10, dirFreqs: 4, useViewdirs: true, depth: 8, width: 256, skips: [4], nSamples: 64, nImportance: 128 };
/** Appendix B: 3 layers of half width, no view dependence, no coarse network informing the sampling. */
export const NERF_TINY: NerfConfig = { posFreqs: 10, dirFreqs: 4, useViewdirs: false, depth: 3, width: 128, skips: [], nSamples: 64, nImportance: 0 };

/** Adam as nerf-pytorch (tf.train.adam's epsilon 1e-7 kept from the TF original); lr per run. */
export const NERF_ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-7 } as const;

/** Paper, Table A.5 (per scene) and Table 1 (dataset means): test PSNR (dB). */
export const PAPER = {
  lego: { bp: 32.54, dfa: 24.93 },
  fern: { bp: 25.17, dfa: 21.82 },
  synthetic: { bp: 31.01, dfa: 25.41 },
  llff: { bp: 26.5, dfa: 20.77 },
};

/**
 * Table A.5's other methods on our two scenes, all trained with BP (PSNR, dB): Neural Volumes (not
 * applicable to forward-facing LLFF scenes), Scene Representation Networks, Local Light Field Fusion.
 */
export const PAPER_A5_OTHERS: Record<'lego' | 'fern', Record<string, number>> = {
  lego: { NV: 26.08, SRN: 20.85, LLFF: 24.54 },
  fern: { SRN: 21.37, LLFF: 22.95 },
};
