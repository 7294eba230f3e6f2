/**
 * @iscc-ts/index: ISCC-VDB, similarity search over ISCC units (embedded LMDB or PostgreSQL).
 * See README.md for the API, the scoring and the defaults.
 */
export * from './errors.ts';
export {
  IsccIndex,
  DEFAULT_MAX_DISTANCE,
  CONFIDENCE_EXPONENT,
  UNIT_OVERSAMPLING,
  MAX_INSTANCE_MATCHES,
  DEFAULT_COUNT,
  type IsccIndexOptions,
  type AddInput,
  type SearchInput,
  type SimprintsInput,
  type IndexEntry,
  type IndexInfo,
} from './iscc-index.ts';
export { IsccMatches, IsccBatchMatches, UnitMatches, UnitBatchMatches, type IsccMatch, type ChunkMatch } from './matches.ts';
export { UnitKernel, nphd, MIH_MIN_ROWS, type KernelHits, type KernelSearchOptions } from './kernel.ts';
export { SUPPORTED_UNIT_TYPES } from './codec.ts';
export { LMDB_FORMAT_VERSION } from './local.ts';
export type { IndexBackend, IndexConfig, StoredEntry, Simprint, SimprintHit, UnitSearchOptions } from './backend.ts';
