/**
 * Where each training method puts its signal in the recommenders, decided in this one place from
 * the method's family (src/feedback/methods.ts), so a method added to the feedback core finds its
 * placement here without a model naming it:
 *   - 'backprop' (bp, and the layer-wise fa, usf, brsf, frsf): gradients travel back through the
 *     layers (the layer-wise methods replace each dense layer's Wᵀ by their B_l), so DeepFM's
 *     embeddings learn from its MLP as well as from the FM part;
 *   - 'direct' (dfa, drtp): the paper's DFA placement (§3.1.2): each feedback point receives one
 *     random projection of the global signal (dfa: the error; drtp: the click label), DeepFM's MLP
 *     input is cut (its embeddings learn through the FM part only) and the variants that move DFA's
 *     embedding signal (DeepFM's embeddingPoint, AFN's frozen embeddings) apply;
 *   - 'none' (shallow): nothing crosses a feedback point; DeepFM's MLP input is cut too.
 * The Feedback itself (fb.point, fb.output, fb.dense) carries out the rest.
 */
import { METHOD_FAMILY, type Feedback, type Method } from '../../../feedback';

export type Placement = 'backprop' | 'direct' | 'none';

export function placementOf(method: Method): Placement {
  switch (METHOD_FAMILY[method]) {
    case 'exact':
    case 'layerwise':
      return 'backprop';
    case 'direct':
      return 'direct';
    case 'none':
      return 'none';
  }
}

/** The placement of a forward's Feedback; null outside training (evaluation: a plain forward). */
export function placementIn(fb: Feedback | null): Placement | null {
  return fb ? placementOf(fb.method) : null;
}

/** Methods whose signal can be compared with BP's gradient (Table A.1's alignment): the direct and the layer-wise ones. */
export function hasAlignment(method: Method): boolean {
  const f = METHOD_FAMILY[method];
  return f === 'direct' || f === 'layerwise';
}
