/**
 * Datasets: seed and fixture data for scratch databases, written by hand (YAML, JSON, CSV)
 * or generated in volume from a seed. Read a dataset with `readDataset`, load it with
 * `loadDataset`. The format is documented in docs/datasets.md.
 */
export { readDataset, parseDataset, parseCsvDataset } from './read-dataset.js';
export { loadDataset, LOAD_OPERATIONS } from './load-dataset.js';
export type { LoadOperation, LoadOptions, LoadProgress, LoadResult, TableLoadResult } from './load-dataset.js';
export { isScratchUrl } from './scratch-guard.js';
export type { ScratchUrlVerdict } from './scratch-guard.js';
export { DEFAULT_SEED } from './model.js';
export type {
  Dataset,
  DatasetCell,
  DatasetFormat,
  DatasetRow,
  DatasetTable,
  GeneratorSpec,
  Literal,
  SourceLocation,
  ValueSpec,
} from './model.js';
