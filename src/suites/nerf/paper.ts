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

/** Table A.5, NeRF's columns (BP, DFA) for every scene (the shared data hold lego and fern only). */
export const PAPER_TABLEA5: Record<'synthetic' | 'llff', Record<string, { bp: number; dfa: number }>> = {
  synthetic: {
    chair: { bp: 33.0, dfa: 28.74 }, drums: { bp: 25.01, dfa: 22.15 }, ficus: { bp: 30.13, dfa: 25.61 }, hotdog: { bp: 36.18, dfa: 28.03 },
    lego: { bp: 32.54, dfa: 24.93 }, materials: { bp: 29.62, dfa: 25.15 }, mic: { bp: 32.91, dfa: 25.43 }, ship: { bp: 28.65, dfa: 23.25 },
  },
  llff: {
    room: { bp: 32.7, dfa: 24.2 }, fern: { bp: 25.17, dfa: 21.82 }, leaves: { bp: 20.92, dfa: 16.5 }, fortress: { bp: 31.16, dfa: 25.16 },
    orchids: { bp: 20.36, dfa: 16.73 }, flower: { bp: 27.4, dfa: 21.55 }, trex: { bp: 26.8, dfa: 19.43 }, horns: { bp: 27.45, dfa: 20.75 },
  },
};

/**
 * Table A.5's other methods on our two scenes, all trained with BP (PSNR, dB): Neural Volumes (not
 * applicable to forward-facing LLFF scenes), Scene Representation Networks, Local Light Field Fusion.
 */
export const PAPER_A5_OTHERS: Record<'lego' | 'fern', Record<string, number>> = {
  lego: { NV: 26.08, SRN: 20.85, LLFF: 24.54 },
  fern: { SRN: 21.37, LLFF: 22.95 },
};
