/**
 * Exact ROC AUC (area under the ROC curve) for binary labels, ties handled as sklearn's
 * `roc_auc_score` does: tied scores share their average rank, so a tie between a positive and a
 * negative counts as half a correct ordering (Mann-Whitney U / (n+ · n-)).
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  if (scores.length !== n) throw new Error(`rocAuc: ${n} labels but ${scores.length} scores`);
  let nPos = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y !== 0 && y !== 1) throw new Error(`rocAuc: label ${i} is ${y}; labels must be 0 or 1`);
    if (Number.isNaN(scores[i]!)) throw new Error(`rocAuc: score ${i} is NaN`);
    nPos += y;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) throw new Error(`rocAuc: needs both classes, got ${nPos} positives and ${nNeg} negatives`);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  // Sum of (1-based, tie-averaged) ranks of the positives.
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && scores[order[j]!] === scores[order[i]!]) j++;
    const avgRank = (i + 1 + j) / 2; // ranks i+1 .. j
    let pos = 0;
    for (let k = i; k < j; k++) pos += labels[order[k]!]!;
    rankSumPos += pos * avgRank;
    i = j;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
