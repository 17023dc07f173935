/** The training methods a Feedback object implements, and parsing them from user input. */
export type Method = 'bp' | 'dfa' | 'fa' | 'shallow';

export const METHODS: readonly Method[] = ['bp', 'dfa', 'fa', 'shallow'];

/** What `dfa demo` and the playground compare by default: the paper's methods and FA. */
export const DEMO_METHODS: readonly Method[] = ['bp', 'dfa', 'fa', 'shallow'];

export const METHOD_SUMMARY: Record<Method, string> = {
  bp: 'backpropagation',
  dfa: 'direct feedback alignment: the output error through one fixed random matrix to every feedback point',
  fa: 'feedback alignment: each layer backpropagates through its own fixed random matrix instead of W^T',
  shallow: 'only the layers after the last feedback point learn',
};

export function parseMethod(s: string): Method {
  if ((METHODS as readonly string[]).includes(s)) return s as Method;
  throw new Error(`unknown training method '${s}'; expected one of ${METHODS.join(', ')}`);
}
