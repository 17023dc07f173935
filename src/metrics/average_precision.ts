/**
 * Average precision as sklearn's `average_precision_score`: Σ_n (R_n − R_{n−1}) P_n over the
 * distinct score thresholds, highest first (tied scores enter together).
 */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  if (scores.length !== n) throw new Error(`averagePrecision: ${n} labels but ${scores.length} scores`);
  let nPos = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`averagePrecision: label ${i} is ${labels[i]}; labels must be 0 or 1`);
    nPos += labels[i]!;
  }
  if (nPos === 0) throw new Error('averagePrecision: no positive labels');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let tp = 0, fp = 0, prevRecall = 0, ap = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && scores[order[j]!] === scores[order[i]!]) {
      if (labels[order[j]!]) tp++;
      else fp++;
      j++;
    }
    const recall = tp / nPos, precision = tp / (tp + fp);
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
    i = j;
  }
  return ap;
}
