/**
 * dfa-ts: train neural networks with Direct Feedback Alignment beside backprop, feedback
 * alignment and shallow training, on TensorFlow.js. Browser-safe: nothing here imports a Node
 * built-in. Node-only pieces (backend selection, checkpoint files, run directories) are in
 * `dfa-ts/node` (src/node.ts); the browser playground entry is src/browser.ts.
 */
export { Rng } from './engine/rng';
export type { RngState } from './engine/rng';
// Fused ops (one kernel on the native backend, tfjs ops elsewhere).
export { sparseSoftmaxCrossEntropy } from './engine/ops/sparse_softmax_cross_entropy';
export { logSoftmax } from './engine/ops/log_softmax';

// Feedback: the methods (bp, dfa, fa, shallow) and alignment measures.
export * from './feedback';

// Layers and models.
export * from './nn';

// Losses and metrics.
export * from './metrics';

// Training: optimizers, schedules, clipping, the loop, checkpoints (in memory), reports.
export { makeOptimizer, OPTIMIZERS, Optimizer, SGD, Adam, AdamW } from './optim';
export type { OptimizerConfig, OptimizerName, OptimizerOptions, OptimizerState, ParamGroup } from './optim';
export { scheduledLr, ReduceOnPlateau, SCHEDULES } from './optim/schedule';
export type { ScheduleConfig, PlateauState } from './optim/schedule';
export { clipByGlobalNorm } from './optim/clip';
export { train, Trainer, TrainingDivergedError } from './train/trainer';
export type { TrainConfig, TrainResult, EpochRecord, TrainHooks, StepInfo } from './train/trainer';
export type { TrainTask, EvalResult, Metric, StepContext, SparseParam } from './train/task';
export { MemoryCheckpointStore, packCheckpoint, unpackCheckpoint } from './train/checkpoint';
export type { Checkpoint, CheckpointStore } from './train/checkpoint';
export { renderReport, alignmentSummary } from './train/report';
export type { ReportRun, ReportOptions } from './train/report';

// Built-in generated tasks.
export { TASKS, getTask } from './tasks';
export type { TaskSpec, TaskOptions, TaskDefaults } from './tasks';
export { MlpClassificationTask } from './tasks/classification';
export { ConvNet, CONV_FEEDBACKS } from './tasks/convnet';
export type { ConvNetConfig, ConvBlockSpec, ConvFeedback } from './tasks/convnet';
export { rings, teacher, split } from './tasks/generated';
export type { ClassificationData } from './tasks/generated';

export { lineChart } from './viz/line_chart';
export type { Series, ChartOptions } from './viz/line_chart';
