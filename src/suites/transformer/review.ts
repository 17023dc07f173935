/**
 * What the transformer wing says of Table 5 in the reproduction report (`dfa reproduce paper`):
 * why its cells are not marked against the paper's, and the validation-perplexity curves drawn
 * from each run's per-epoch history.
 */
import type { PartReview } from '../types';

const PANEL: Record<string, string> = { bp: 'BP', macro: 'DFA macro', micro: 'DFA micro', shallow: 'shallow' };

export const TABLE5_REVIEW: PartReview = {
  untoleranced:
    "the paper trains a 6-layer, d-512 model on WikiText-103 (BPE 32k, ~2·10⁹ training tokens a run); ours is a CPU-scale model on Tiny Shakespeare (stated in the notes), so the perplexities do not compare; the paper's orderings are checked instead (the table's notes)",
  notes: [
    'Macro: a DFA feedback point after every block; micro: after every sub-layer (attention, feed-forward). Each DFA row adds its change to the row before (+ Adam, + β2 = 0.999, + LR schedule), as the paper\'s table reads; every rate is the paper\'s times one scale (the notes).',
  ],
  curves: {
    history: 'history', x: 'epoch', y: 'validPpl', series: 'cell', title: 'Table 5: validation perplexity', xLabel: 'epoch', yLabel: 'validation perplexity (log)', logY: true,
    panel: (cell) => PANEL[cell.split('-')[0]!] ?? cell,
  },
};
