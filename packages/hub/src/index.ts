/**
 * @iscc-ts/hub: an ISCC-HUB (ISCC Discovery Protocol) as iscc-hub runs it: ISCC-ID v1
 * minting, signed IsccNote declarations in an append-only log (embedded or PostgreSQL),
 * receipts as W3C VCs, a C2SP tlog-tiles transparency log with signed checkpoints, resolve
 * and search (datahash, ISCC-CODE similarity through @iscc-ts/index), following other hubs'
 * logs, and the HTTP routes as a hono sub-app.
 */
export * from './errors.ts';
export { Hub, didWeb, MAX_BATCH, SHARED_REFRESH_MS, DEFAULT_SEARCH_COUNT, MAX_SEARCH_COUNT, type HubOptions, type Sequenced, type SearchHit, type IsccReceipt } from './hub.ts';
export { LogView, type Declaration } from './view.ts';
export { IdMinter, decodeIsccIdV1, systemClock, MAX_HUB_ID, MAX_TIMESTAMP_US, TIMETRAVEL_BOUND_US, type IdMinterOptions, type IsccIdV1, type MicroClock } from './minter.ts';
export {
  LOG_ENTRY_SCHEMA,
  DELETE_SCHEMA,
  NOTE_SCHEMA,
  DELETE_FIELDS,
  encodeLogEntry,
  decodeLogEntry,
  validateIsccNoteDelete,
  expandUriTemplate,
  expandGateway,
  type IsccNoteDelete,
  type LogEntry,
  type DeleteValidationOptions,
} from './records.ts';
export {
  TILE_HEIGHT,
  TILE_WIDTH,
  EMPTY_ROOT,
  MerkleTree,
  leafHash,
  nodeHash,
  rootFromInclusionProof,
  verifyInclusion,
  verifyConsistency,
  encodeEntryBundle,
  decodeEntryBundle,
  formatTileIndex,
  parseTileIndex,
  tilePath,
  entriesPath,
} from './merkle.ts';
export { checkpointBody, noteKeyId, verifierKey, signCheckpoint, parseCheckpoint, verifyCheckpoint, type Checkpoint } from './checkpoint.ts';
export { RemoteLog, FOLLOW_TIMEOUT_MS, type RemoteLogOptions } from './discovery.ts';
export { MemoryLogStore, type LogStore } from './store.ts';
export { FileLogStore, LOG_FILE } from './file-store.ts';
export { PgLogStore } from './pg-store.ts';
export { createHubApp, openHubApp, readBody, readJsonObject, jsonDepth, problemResponse, MAX_BODY_BYTES, MAX_JSON_DEPTH, type HubAppOptions } from './routes.ts';
export { hubOptionsFromEnv, followEvery, DEFAULT_FOLLOW_INTERVAL_S } from './config.ts';
export { hubOpenApi } from './openapi.ts';
export { validateCip3Entry, Cip3Error, CIP3_ERROR_CODES, CIP3_MAX_FIELD_BYTES, CIP3_FIELDS, CIP3_META_FIELDS, type Cip3ErrorCode, type Cip3Entry, type Cip3Meta, type Cip3Options } from './cip3.ts';
