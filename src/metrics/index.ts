export { softmaxCrossEntropy, meanSquaredError, perplexity } from './losses';
export { accuracy, accuracyAt, predictClasses } from './classification';
export { rocAuc } from './auc';
export { logLoss } from './log_loss';
export { averagePrecision } from './average_precision';
export { meanStd, median } from './stats';
