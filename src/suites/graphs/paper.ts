/**
 * Per architecture and training method: the model and optimiser settings of the paper's code
 * (paper-experiments/geometric-learning/geometric.py + models.py; appendix C). Shallow training
 * uses the DFA settings (appendix B). All: Adam, 250 epochs, full batch.
 */
import type { Rng } from '../../engine/rng';
import type { Graph } from './nn/graph';
import type { NodeInput } from './nn/input';
import { DNANet } from './models/dna';
import { GATNet, GCNNet, SplineNet, type Arch, type GraphMethod, type NodeClassifier } from './models/node';

export interface ArchSetting {
  lr: number;
  /** row-normalise the features (NormalizeFeatures); Spline and DNA use raw features */
  normalizeFeatures: boolean;
  /** 'public': the Planetoid split; 'kfold': the paper's DNA split (see splits.ts) */
  split: 'public' | 'kfold';
  build(x: NodeInput, g: Graph, numClasses: number, rng: Rng): NodeClassifier;
  /** a one-line description for tables and notes */
  describe: string;
}

export const ARCHS: Arch[] = ['cheb', 'gcn', 'spline', 'gat', 'dna'];
export const ARCH_LABEL: Record<Arch, string> = { cheb: 'ChebConv', gcn: 'GraphConv', spline: 'SplineConv', gat: 'GATConv', dna: 'DNAConv' };

export function parseArch(s: string): Arch {
  const a = s.toLowerCase().replace(/conv$/, '').replace(/^graph$/, 'gcn');
  if ((ARCHS as string[]).includes(a)) return a as Arch;
  throw new Error(`unknown graph architecture '${s}'; expected one of ${ARCHS.join(', ')}`);
}

export function archSetting(arch: Arch, method: GraphMethod): ArchSetting {
  const dfa = method !== 'bp';
  switch (arch) {
    case 'gcn':
    case 'cheb': {
      const dropout = dfa ? (arch === 'cheb' ? 0 : 0.1) : 0.5;
      const weightDecay = dfa ? 1e-4 : 5e-4;
      return {
        lr: 0.01, normalizeFeatures: true, split: 'public',
        build: (x, g, C, rng) => new GCNNet(x, g, C, rng, { cheb: arch === 'cheb', dropout, weightDecay }),
        describe: `${arch === 'cheb' ? 'ChebConv K=2' : 'GCNConv'} ×2, hidden 16, dropout ${dropout}, Adam lr 0.01, weight decay ${weightDecay} on layer 1`,
      };
    }
    case 'spline':
      return {
        lr: 0.01, normalizeFeatures: false, split: 'public',
        build: (x, g, C, rng) => new SplineNet(x, g, C, rng, { dropout: 0.5, weightDecay: 5e-3 }),
        describe: 'SplineConv dim 1 kernel 2 ×2, hidden 16, dropout 0.5, Adam lr 0.01, weight decay 5e-3, TargetIndegree',
      };
    case 'gat': {
      const d = dfa ? 0.1 : 0.6, wd = dfa ? 1e-4 : 5e-4, att2 = dfa ? 0 : 0.6;
      return {
        lr: 0.005, normalizeFeatures: true, split: 'public',
        build: (x, g, C, rng) => new GATNet(x, g, C, rng, { dropout: d, att2Dropout: att2, weightDecay: wd }),
        describe: `GATConv 8×8 heads → 1 head, dropout ${d}, attention dropout 0.6/${att2}, Adam lr 0.005, weight decay ${wd}`,
      };
    }
    case 'dna':
      return {
        lr: dfa ? 0.01 : 0.005, normalizeFeatures: false, split: 'kfold',
        build: (x, g, C, rng) => new DNANet(x, g, C, rng, { hidden: 128, layers: 5, heads: 8, groups: 16, dropout: dfa ? 0 : 0.5, attDropout: dfa ? 0 : 0.8, weightDecay: dfa ? 0 : 5e-4, detachHistory: dfa }),
        describe: `lin → 5 × DNAConv(128, 8 heads, 16 groups) → lin, stratified 5-fold split (20/20/60 %), ${dfa ? 'no dropout, Adam lr 0.01, no weight decay, error after log-softmax' : 'dropout 0.5, attention dropout 0.8, Adam lr 0.005, weight decay 5e-4'}`,
      };
  }
}
