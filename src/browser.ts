/**
 * The browser entry of dfa-ts: the whole browser-safe library (src/index.ts) plus the pieces the
 * playground page and worker use. Nothing here imports a Node built-in; the Node backend (the
 * native addon), file loaders, run folders and the CLI sit behind src/node.ts and the CLI.
 * src/browser.test.ts bundles this file for the browser and fails naming any Node module that
 * leaks in.
 */
export * from './index';
export { tsne } from './viz/tsne';
export { TOY_TASKS, TOY_SUMMARY, toyData } from './playground/toy';
export type { ToyData, ToyTask } from './playground/toy';
export { pca2 } from './playground/pca';
export { PlaygroundSession, runFixedSteps } from './playground/session';
export type { EvalPoint, AlignPoint, Boundary, Embedding, FixedRunResult } from './playground/session';
export { DEFAULT_SETTINGS, CORA_DEFAULTS, defaultSettings, encodeSettings, decodeSettings } from './playground/settings';
export type { PlaygroundSettings, TaskName } from './playground/settings';
export { parsePlanetoid, parsePlanetoidFiles, rowNormalize, RAW_SUFFIXES, PlanetoidFileError } from './suites/graphs/data/parse';
export type { GraphData, Csr, PlanetoidName } from './suites/graphs/data/parse';
export { CoraSession } from './playground/cora';
