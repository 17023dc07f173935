/**
 * The training methods a Feedback object implements, their families, and parsing them from user
 * input. A method is written once in src/feedback and works in every model that marks its
 * feedback points / output and routes its weight layers through `fb.dense` / `fb.conv2d` (or nn's
 * `linear` / `Conv2d.apply(x, act, fb)`).
 *
 * Families (how a method treats the model):
 *   - exact: bp, the true gradient everywhere;
 *   - layerwise: fa, usf, brsf, frsf: every dense layer backpropagates dy · B_l instead of dy · Wᵀ,
 *     every convolution conv2d-backprop-input(dy, B_l) instead of with W (B_l fixed random, or
 *     sign-concordant with W); feedback points are plain pass-throughs;
 *   - direct: dfa, drtp: feedback points are cut, and each receives one random projection of a
 *     global signal taken at the output (dfa: the error e; drtp: the target);
 *   - none: shallow, only the layers after the last feedback point learn.
 */
export type Method = 'bp' | 'dfa' | 'fa' | 'shallow' | 'usf' | 'brsf' | 'frsf' | 'drtp';

export type Family = 'exact' | 'layerwise' | 'direct' | 'none';

export const METHODS: readonly Method[] = ['bp', 'dfa', 'fa', 'shallow', 'usf', 'brsf', 'frsf', 'drtp'];

/** The paper's methods: what `dfa demo` compares unless told otherwise. */
export const BASE_METHODS: readonly Method[] = ['bp', 'dfa', 'fa', 'shallow'];

export const METHOD_FAMILY: Record<Method, Family> = {
  bp: 'exact',
  fa: 'layerwise',
  usf: 'layerwise',
  brsf: 'layerwise',
  frsf: 'layerwise',
  dfa: 'direct',
  drtp: 'direct',
  shallow: 'none',
};

export type LayerwiseMethod = 'fa' | 'usf' | 'brsf' | 'frsf';
export type DirectMethod = 'dfa' | 'drtp';

export function isLayerwise(m: Method): m is LayerwiseMethod {
  return METHOD_FAMILY[m] === 'layerwise';
}

export function isDirect(m: Method): m is DirectMethod {
  return METHOD_FAMILY[m] === 'direct';
}


export const METHOD_SUMMARY: Record<Method, string> = {
  bp: 'backpropagation',
  dfa: 'direct feedback alignment: the output error through one fixed random matrix to every feedback point',
  fa: 'feedback alignment: each layer backpropagates through its own fixed random matrix instead of W^T',
  shallow: 'only the layers after the last feedback point learn',
  usf: 'uniform sign-concordant feedback (Liao et al. 2016): each layer backpropagates through sign(W)^T, scaled',
  brsf: 'batchwise random-magnitude sign-concordant feedback: |R| ⊙ sign(W)^T, R redrawn every batch',
  frsf: 'fixed random-magnitude sign-concordant feedback: |R| ⊙ sign(W)^T, R drawn once',
  drtp: 'direct random target projection (Frenkel et al. 2021): every feedback point receives a fixed random projection of the target, not of the error',
};

export function parseMethod(s: string): Method {
  if ((METHODS as readonly string[]).includes(s)) return s as Method;
  throw new Error(`unknown training method '${s}'; expected one of ${METHODS.join(', ')}`);
}
