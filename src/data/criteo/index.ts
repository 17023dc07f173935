export * from './format';
export { readCriteoTsv, type MalformedPolicy, type ReadOptions } from './reader';
export { FieldCounter, Vocabulary } from './vocab';
export { splitOf, rowHash, SPLIT_FRACTIONS, type SplitName } from './split';
export { MemoryRowSource, FileRowSource, type RowSource } from './source';
export { loadCriteo, buildCache, defaultCacheDir, type CriteoData, type CriteoMeta, type CriteoCacheOptions } from './cache';
export { iterateBatches, splitSize, type CriteoBatch, type BatchOptions } from './batches';
export { SyntheticCriteo, type SyntheticOptions, type SyntheticRow } from './synthetic';
export { writeSyntheticTsv } from './write_synthetic';
