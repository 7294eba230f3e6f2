/**
 * The ISCC-HUB: accepts signed IsccNotes, mints ISCC-IDs, keeps the declarations in an
 * append-only log with a signed Merkle tree over it, issues receipts, resolves and searches,
 * and follows other hubs' logs (discovery).
 *
 * Declaration flow (iscc-hub's order):
 * 1. Outside the write lock, in parallel: the note's format, limits, timestamp window, nonce
 *    addressed to this hub, and Ed25519 signature (core `validateIsccNote`); the allow-list.
 * 2. The sequencer batches whatever is queued, takes the store's write lock (catching up on
 *    records other processes appended), and per note: nonce unused, datahash not yet declared
 *    (unless forced), mint the next ISCC-ID (strictly increasing µs), encode the log entry
 *    and apply it to the in-memory view, so later notes of the batch see it.
 * 3. The batch is committed durably (one fsync / one COMMIT), the tree grows, a checkpoint of
 *    the new size is signed, the similarity index learns the new codes, and each caller gets
 *    its ISCC-ID, leaf index and inclusion proof; the receipt (W3C VC, eddsa-jcs-2022) is
 *    signed by the caller outside the lock.
 * Deletions go the same way: an IsccNoteDelete signed by the declaring key, appended as a
 * deletion entry that names the ISCC-ID.
 *
 * Reads see only committed entries (`committed` size). Whatever fails during a commit leaves
 * the in-memory view ahead of the store, so the hub then refuses writes (HUB_STORAGE) until
 * reopened; the log on disk stays the truth.
 */
import { join } from 'node:path';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import {
  controllerDocument,
  keyFromSecret,
  keyGenerate,
  pubkeyDecode,
  seckeyDecode,
  signVc,
  validateIsccNote,
  type IsccNote,
  type KeyPair,
} from '@iscc-ts/core';
import { IsccIndex } from '@iscc-ts/index';
import { HUB_ERROR_CODES, HubError } from './errors.ts';
import { privateKeyFromSeed } from './ed25519.ts';
import { signCheckpoint, verifierKey } from './checkpoint.ts';
import { encodeEntryBundle, servedWidth, TILE_WIDTH } from './merkle.ts';
import { IdMinter, decodeIsccIdV1, type MicroClock } from './minter.ts';
import { encodeLogEntry, validateIsccNoteDelete, type IsccNoteDelete } from './records.ts';
import { LogView, type Declaration } from './view.ts';
import { MemoryLogStore, type LogStore } from './store.ts';
import { FileLogStore } from './file-store.ts';
import { RemoteLog, type RemoteLogOptions } from './discovery.ts';

/** Most notes the sequencer commits in one batch (one fsync). */
export const MAX_BATCH = 256;
/** How often (ms) a hub on a shared store (PostgreSQL) catches up before reads. */
export const SHARED_REFRESH_MS = 200;
/** Default number of search results. */
export const DEFAULT_SEARCH_COUNT = 10;
/** Most search results per query. */
export const MAX_SEARCH_COUNT = 100;

/** Options of {@link Hub.open}. */
export interface HubOptions {
  /** This hub's id, 0..4095 (the first 12 bits of the nonces it accepts). */
  hubId: number;
  /** ISCC realm of the IDs it mints: 0 (test, default) or 1 (operational). */
  realmId?: number;
  /** Where the log lives: a directory (default embedded store), `memory://`, or `postgres://...`. */
  storage?: string;
  /** A ready store (tests); overrides `storage`. */
  store?: LogStore;
  /** Directory for the hub key file when `seckey` is absent (default: `storage` when it is a directory). */
  keyDir?: string;
  /** The hub's Ed25519 secret key (multibase `z3u2...`); default: read or create `<keyDir>/hub-key.json`. */
  seckey?: string;
  /** Public host name (and port) of the hub; default `localhost`. Names the did:web and the log origin. */
  domain?: string;
  /** Checkpoint origin; default `<domain>/hub/log`. */
  origin?: string;
  /** Only these public keys (`z6Mk...`) may declare; default: everyone. */
  allowedPubkeys?: string[] | null;
  /** µs clock for ISCC-IDs (tests). */
  clock?: MicroClock;
  /** ms clock for the note timestamp window (tests). Default Date.now. */
  now?: () => number;
  /** Refuse to mint when the clock is more than this many µs behind the last ID (default: ratchet). */
  maxBackwardUs?: bigint | null;
  /** Similarity index (ISCC-CODE search); default a private in-memory IsccIndex rebuilt on open. */
  index?: IsccIndex | null;
  /** Fetch used to follow other hubs (tests inject). */
  fetch?: typeof fetch;
}

/** What the sequencer hands back for an accepted declaration. */
export interface Sequenced {
  iscc_id: string;
  seq: number;
  checkpoint: string;
  tree_size: number;
  inclusion_proof: Uint8Array[];
}

/** An IsccReceipt: iscc-hub's W3C VC for a declaration, with inclusion evidence and the hub's proof. */
export interface IsccReceipt {
  '@context': string[];
  type: string[];
  issuer: string;
  credentialSubject: { id: string; declaration: { seq: number; iscc_id: string; iscc_note: IsccNote } };
  evidence: { type: 'IsccLogInclusionProof'; checkpoint: string; treeSize: number; leafIndex: number; inclusionProof: string[] };
  proof: Record<string, unknown>;
  [key: string]: unknown;
}

/** A search hit. */
export interface SearchHit extends Declaration {
  /** 0 for a datahash match; 1 - similarity score for an ISCC-CODE match. */
  distance: number;
}

type Op =
  | { kind: 'declare'; note: IsccNote; force: boolean; resolve: (s: Sequenced) => void; reject: (e: unknown) => void }
  | { kind: 'delete'; note: IsccNoteDelete; resolve: (s: Sequenced) => void; reject: (e: unknown) => void };

function readOrCreateKey(dir: string): Promise<KeyPair> | KeyPair {
  const path = join(dir, 'hub-key.json');
  if (existsSync(path)) {
    const { seckey } = JSON.parse(readFileSync(path, 'utf8')) as { seckey: string };
    return keyFromSecret(seckey);
  }
  return keyGenerate().then((kp) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, JSON.stringify({ seckey: kp.secret_key, pubkey: kp.public_key }) + '\n', { mode: 0o600, flag: 'wx' });
    return kp;
  });
}

/** did:web of a host (a port's colon percent-encoded). */
export function didWeb(domain: string): string {
  return `did:web:${domain.replace(/:/g, '%3A')}`;
}

/** An open ISCC-HUB. */
export class Hub {
  readonly hubId: number;
  readonly realmId: number;
  readonly domain: string;
  readonly did: string;
  readonly origin: string;
  /** The hub's key pair (controller = its did:web). */
  readonly keypair: KeyPair;
  readonly pubkey: Uint8Array;
  readonly local: LogView = new LogView('local');
  readonly index: IsccIndex;
  private readonly ownsIndex: boolean;
  private readonly signingKey: KeyObject;
  private readonly minter: IdMinter;
  private readonly allowed: Set<string> | null;
  private readonly now: () => number;
  private readonly fetchFn: typeof fetch;
  private readonly remotes = new Map<string, RemoteLog>();
  private queue: Op[] = [];
  private draining = false;
  private failed: unknown = null;
  private closed = false;
  private committed = 0;
  private lastRefresh = 0;
  private refreshing: Promise<void> | null = null;
  private cachedCheckpoint: { size: number; text: string } | null = null;
  /** Set once open() has indexed the replayed log; later catch-ups index as they go. */
  private opened = false;

  private constructor(
    private readonly store: LogStore,
    o: HubOptions,
    keypair: KeyPair,
    index: IsccIndex,
    ownsIndex: boolean,
  ) {
    this.minter = new IdMinter({ hubId: o.hubId, realmId: o.realmId ?? 0, clock: o.clock, maxBackwardUs: o.maxBackwardUs });
    this.hubId = o.hubId;
    this.realmId = o.realmId ?? 0;
    this.domain = o.domain ?? 'localhost';
    this.did = didWeb(this.domain);
    this.origin = o.origin ?? `${this.domain}/hub/log`;
    this.keypair = keypair;
    this.pubkey = pubkeyDecode(keypair.public_key);
    this.signingKey = privateKeyFromSeed(seckeyDecode(keypair.secret_key));
    this.allowed = o.allowedPubkeys ? new Set(o.allowedPubkeys) : null;
    this.now = o.now ?? Date.now;
    this.fetchFn = o.fetch ?? fetch;
    this.index = index;
    this.ownsIndex = ownsIndex;
  }

  /** Open a hub: storage, key, replay of the log, similarity index. */
  static async open(o: HubOptions): Promise<Hub> {
    // Validate the id options before touching storage.
    new IdMinter({ hubId: o.hubId, realmId: o.realmId ?? 0 });
    const storage = o.storage ?? 'memory://';
    let store = o.store;
    if (!store) {
      if (/^postgres(ql)?:\/\//i.test(storage)) {
        const { PgLogStore } = await import('./pg-store.ts');
        store = await PgLogStore.open(storage, o.hubId);
      } else if (storage === 'memory://') store = new MemoryLogStore();
      else store = await FileLogStore.open(storage);
    }
    try {
      const keyDir = o.keyDir ?? (store.kind === 'file' ? storage : null);
      let keypair: KeyPair;
      if (o.seckey) keypair = await keyFromSecret(o.seckey);
      else if (keyDir) keypair = await readOrCreateKey(keyDir);
      else keypair = await keyGenerate();
      const domain = o.domain ?? 'localhost';
      keypair = await keyFromSecret(keypair.secret_key, didWeb(domain));
      const ownsIndex = !o.index;
      const index = o.index ?? (await IsccIndex.open('memory://', { realmId: o.realmId ?? 0 }));
      const hub = new Hub(store, o, keypair, index, ownsIndex);
      await hub.catchUp();
      await hub.reindex([...hub.local.byId.values()]);
      return hub;
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  /** Number of committed log entries. */
  get size(): number {
    return this.committed;
  }

  /** The signed-note verifier key of this hub's log (for Tessera fsck and followers). */
  get verifierKey(): string {
    return verifierKey(this.origin, this.pubkey);
  }

  /** Apply records the store has beyond what this process has seen (shared stores). */
  private async catchUp(size?: number): Promise<void> {
    if (size !== undefined && size <= this.local.records.length) return;
    const more = await this.store.read(this.local.records.length);
    const fresh: Declaration[] = [];
    const gone: string[] = [];
    for (const r of more) {
      const a = this.local.apply(r);
      if (a.timestamp !== undefined) this.minter.observe(a.timestamp);
      if (a.kind === 'declaration' && a.iscc_id) fresh.push(this.local.byId.get(a.iscc_id)!);
      if (a.kind === 'deletion' && a.iscc_id) gone.push(a.iscc_id);
    }
    this.committed = this.local.records.length;
    if (this.committed > 0 && (fresh.length || gone.length) && this.opened) {
      await this.reindex(fresh);
      await this.unindex(gone);
    }
  }

  /** Before reads on a shared store: pick up other processes' appends (at most every SHARED_REFRESH_MS). */
  private async fresh(): Promise<void> {
    this.live();
    if (!this.store.shared || this.draining) return;
    if (Date.now() - this.lastRefresh < SHARED_REFRESH_MS) return;
    this.refreshing ??= this.catchUp()
      .catch(() => undefined)
      .finally(() => {
        this.lastRefresh = Date.now();
        this.refreshing = null;
      });
    await this.refreshing;
  }

  private live(): void {
    if (this.closed) throw new HubError(HUB_ERROR_CODES.CLOSED, 'the hub is closed');
  }

  /** Add declarations to the similarity index (those not yet there). Index trouble never fails a declaration. */
  private async reindex(decls: Declaration[]): Promise<void> {
    this.opened = true;
    const ids: string[] = [];
    const codes: string[] = [];
    for (const d of decls) {
      if (decodeIsccIdV1(d.iscc_id).realm_id !== this.index.realmId) continue;
      ids.push(d.iscc_id);
      codes.push(d.iscc_code);
    }
    if (!ids.length) return;
    try {
      const have = await this.index.get(ids);
      const addIds: string[] = [];
      const addCodes: string[] = [];
      have.forEach((h, i) => {
        if (!h) {
          addIds.push(ids[i]!);
          addCodes.push(codes[i]!);
        }
      });
      if (addIds.length) await this.index.add({ isccIds: addIds, isccCodes: addCodes });
    } catch {
      // One bad code must not block the rest: add one by one.
      for (let i = 0; i < ids.length; i++) {
        try {
          if (!(await this.index.get(ids[i]!))) await this.index.add({ isccIds: [ids[i]!], isccCodes: [codes[i]!] });
        } catch {
          // not indexable (e.g. a unit type the index does not support): still resolvable
        }
      }
    }
  }

  private async unindex(ids: string[]): Promise<void> {
    if (!ids.length) return;
    try {
      await this.index.remove(ids);
    } catch {
      // not in the index
    }
  }

  // -------------------------------------------------------------------------------------------
  // Writes.

  /**
   * Declare a signed IsccNote.
   * @param note - the parsed note.
   * @param force - declare even when the datahash was declared before (X-Force-Declaration).
   * @returns the IsccReceipt (signed W3C VC).
   */
  async declare(note: unknown, force = false): Promise<IsccReceipt> {
    this.live();
    const valid = await validateIsccNote(note, { hubId: this.hubId, now: this.now() });
    if (this.allowed && !this.allowed.has(valid.signature.pubkey ?? '')) {
      throw new HubError(HUB_ERROR_CODES.PUBKEY_NOT_ALLOWED, `public key ${valid.signature.pubkey} may not declare at this hub`, { field: 'signature' });
    }
    const s = await new Promise<Sequenced>((resolve, reject) => this.submit({ kind: 'declare', note: valid, force, resolve, reject }));
    return this.receipt(valid, s);
  }

  /** Delete a declaration with an IsccNoteDelete signed by the declaring key. Returns the deletion's leaf. */
  async delete(isccId: string, request: unknown): Promise<Sequenced> {
    this.live();
    const note = await validateIsccNoteDelete(request, { hubId: this.hubId, now: this.now() });
    if (note.iscc_id !== isccId) {
      throw new HubError(HUB_ERROR_CODES.INVALID_DELETE, `iscc_id in the body (${note.iscc_id}) differs from the one in the path (${isccId})`, { field: 'iscc_id' });
    }
    return new Promise<Sequenced>((resolve, reject) => this.submit({ kind: 'delete', note, resolve, reject }));
  }

  /** The IsccReceipt of a sequenced note (iscc-hub `build_iscc_receipt` with inclusion evidence). */
  private async receipt(note: IsccNote, s: Sequenced): Promise<IsccReceipt> {
    const vc = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential', 'IsccReceipt'],
      issuer: this.did,
      credentialSubject: {
        id: note.signature.controller || `did:key:${note.signature.pubkey}`,
        declaration: { seq: s.seq, iscc_id: s.iscc_id, iscc_note: note },
      },
      evidence: {
        type: 'IsccLogInclusionProof' as const,
        checkpoint: s.checkpoint,
        treeSize: s.tree_size,
        leafIndex: s.seq,
        inclusionProof: s.inclusion_proof.map((h) => Buffer.from(h).toString('base64')),
      },
    };
    return (await signVc(vc, this.keypair)) as unknown as IsccReceipt;
  }

  private submit(op: Op): void {
    if (this.failed) {
      op.reject(new HubError(HUB_ERROR_CODES.STORAGE, `the hub stopped accepting writes after a storage failure: ${String((this.failed as Error).message ?? this.failed)}`));
      return;
    }
    this.queue.push(op);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.runBatch(batch);
      }
    } finally {
      this.draining = false;
    }
  }

  private async runBatch(batch: Op[]): Promise<void> {
    if (this.failed || this.closed) {
      const e = this.closed ? new HubError(HUB_ERROR_CODES.CLOSED, 'the hub is closed') : new HubError(HUB_ERROR_CODES.STORAGE, 'the hub stopped accepting writes after a storage failure');
      for (const op of batch) op.reject(e);
      return;
    }
    let size: number;
    try {
      size = await this.store.begin();
      await this.catchUp(size);
    } catch (err) {
      await this.store.abort().catch(() => undefined);
      for (const op of batch) op.reject(err);
      return;
    }
    const start = this.local.records.length;
    const accepted: { op: Op; seq: number; iscc_id: string }[] = [];
    const records: Uint8Array[] = [];
    for (const op of batch) {
      try {
        let isccId: string;
        if (op.kind === 'declare') {
          const n = op.note;
          // iscc-hub's order: the duplicate check (409) comes before the sequencer's nonce check.
          const dup = this.local.byDatahash.get(n.datahash);
          if (!op.force && dup && dup.size) {
            const existing = this.local.byId.get([...dup][0]!)!;
            throw new HubError(HUB_ERROR_CODES.DUPLICATE_DATAHASH, `Duplicate declaration for datahash: ${n.datahash}`, {
              field: 'datahash',
              extra: { existing_iscc_id: existing.iscc_id, existing_actor: existing.pubkey },
            });
          }
          if (this.local.nonces.has(n.nonce)) {
            throw new HubError(HUB_ERROR_CODES.NONCE_REUSED, `Nonce already used: ${n.nonce}`, { field: 'nonce' });
          }
          isccId = this.minter.mint().iscc_id;
          const record = encodeLogEntry(isccId, n);
          records.push(record);
          this.local.apply(record);
        } else {
          const n = op.note;
          const id = decodeIsccIdV1(n.iscc_id);
          const d = this.local.byId.get(id.iscc_id);
          if (!d) {
            throw new HubError(HUB_ERROR_CODES.NOT_FOUND, this.notFoundMessage(id.iscc_id, id.hub_id), { field: 'iscc_id', extra: { hub_id: id.hub_id } });
          }
          if (d.pubkey !== n.signature.pubkey) {
            throw new HubError(HUB_ERROR_CODES.NOT_OWNER, `only the key that declared ${id.iscc_id} may delete it`, { field: 'signature' });
          }
          if (this.local.nonces.has(n.nonce)) {
            throw new HubError(HUB_ERROR_CODES.NONCE_REUSED, `Nonce already used: ${n.nonce}`, { field: 'nonce' });
          }
          isccId = id.iscc_id;
          const record = encodeLogEntry(isccId, n);
          records.push(record);
          this.local.apply(record);
        }
        accepted.push({ op, seq: start + records.length - 1, iscc_id: isccId });
      } catch (err) {
        op.reject(err);
      }
    }
    if (!records.length) {
      await this.store.abort().catch(() => undefined);
      return;
    }
    try {
      await this.store.commit(start, records);
    } catch (err) {
      this.failed = err;
      for (const a of accepted) a.op.reject(err instanceof HubError ? err : new HubError(HUB_ERROR_CODES.STORAGE, `storage failed: ${(err as Error).message}`, { cause: err }));
      return;
    }
    this.committed = this.local.records.length;
    const checkpoint = this.checkpoint();
    const fresh: Declaration[] = [];
    const gone: string[] = [];
    for (const a of accepted) {
      if (a.op.kind === 'declare') fresh.push(this.local.byId.get(a.iscc_id)!);
      else gone.push(a.iscc_id);
    }
    await this.reindex(fresh);
    await this.unindex(gone);
    for (const a of accepted) {
      a.op.resolve({
        iscc_id: a.iscc_id,
        seq: a.seq,
        checkpoint,
        tree_size: this.committed,
        inclusion_proof: this.local.tree.inclusionProof(a.seq, this.committed),
      });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Reads.

  private notFoundMessage(isccId: string, hubId: number): string {
    if (hubId !== this.hubId) return `${isccId} was minted by hub ${hubId}, not by this hub (${this.hubId}); ask that hub`;
    if (this.local.deleted.has(isccId)) return `${isccId} was deleted by its declarer`;
    return `no declaration with ISCC-ID ${isccId}`;
  }

  /** Resolve an ISCC-ID to its declaration (local, or from a followed hub). */
  async resolve(isccId: string): Promise<Declaration> {
    await this.fresh();
    const id = decodeIsccIdV1(isccId);
    const d = this.lookup(id.iscc_id);
    if (d) return d;
    throw new HubError(HUB_ERROR_CODES.NOT_FOUND, this.notFoundMessage(id.iscc_id, id.hub_id), { field: 'iscc_id', extra: { hub_id: id.hub_id } });
  }

  private lookup(isccId: string): Declaration | null {
    const d = this.local.byId.get(isccId);
    if (d && d.seq < this.committed) return d;
    for (const r of this.remotes.values()) {
      const x = r.view.byId.get(isccId);
      if (x) return x;
    }
    return null;
  }

  /** Declarations with this datahash (local and followed hubs). */
  async searchDatahash(datahash: string): Promise<SearchHit[]> {
    await this.fresh();
    if (typeof datahash !== 'string' || !/^1e20[0-9a-f]{64}$/.test(datahash)) {
      throw new HubError(HUB_ERROR_CODES.INVALID_QUERY, `datahash: expected "1e20" + 64 lowercase hex, got ${JSON.stringify(String(datahash).slice(0, 80))}`, { field: 'datahash' });
    }
    const out: SearchHit[] = [];
    for (const view of [this.local, ...[...this.remotes.values()].map((r) => r.view)]) {
      for (const id of view.byDatahash.get(datahash) ?? []) {
        const d = view.byId.get(id);
        if (d && (view !== this.local || d.seq < this.committed)) out.push({ ...d, distance: 0 });
      }
    }
    return out.sort((a, b) => (a.iscc_id < b.iscc_id ? -1 : 1));
  }

  /** Declarations similar to an ISCC-CODE (through the similarity index), best first. */
  async searchIsccCode(isccCode: string, count = DEFAULT_SEARCH_COUNT): Promise<SearchHit[]> {
    await this.fresh();
    if (!Number.isInteger(count) || count < 1 || count > MAX_SEARCH_COUNT) {
      throw new HubError(HUB_ERROR_CODES.INVALID_QUERY, `count: expected an integer 1..${MAX_SEARCH_COUNT}, got ${String(count)}`, { field: 'count' });
    }
    let matches;
    try {
      matches = await this.index.search({ isccCodes: isccCode, count });
    } catch (err) {
      throw new HubError(HUB_ERROR_CODES.INVALID_QUERY, `iscc_code: ${(err as Error).message}`, { field: 'iscc_code', cause: err });
    }
    const out: SearchHit[] = [];
    for (const m of matches) {
      const d = this.lookup(m.key);
      if (d) out.push({ ...d, distance: m.distance });
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Transparency log.

  /** The signed checkpoint of the committed log (re-signed only when the log grew). */
  checkpoint(): string {
    const size = this.committed;
    if (this.cachedCheckpoint?.size !== size) {
      this.cachedCheckpoint = { size, text: signCheckpoint(this.origin, size, this.local.tree.root(size), this.signingKey, this.pubkey) };
    }
    return this.cachedCheckpoint.text;
  }

  /** Checkpoint after catching up (reads of a shared store). */
  async latestCheckpoint(): Promise<string> {
    await this.fresh();
    return this.checkpoint();
  }

  /** Hash tile bytes, or null (404). */
  async hashTile(level: number, index: number, width: number): Promise<Uint8Array | null> {
    await this.fresh();
    return this.local.tree.hashTile(level, index, width, this.committed);
  }

  /** Entry bundle bytes, or null (404). */
  async entryBundle(index: number, width: number): Promise<Uint8Array | null> {
    await this.fresh();
    const w = servedWidth(this.committed - index * TILE_WIDTH, width);
    if (w === null) return null;
    const start = index * TILE_WIDTH;
    return encodeEntryBundle(this.local.records.slice(start, start + w));
  }

  /** Inclusion proof of leaf `index` against the tree of `size` entries. */
  inclusionProof(index: number, size = this.committed): Uint8Array[] {
    return this.local.tree.inclusionProof(index, size);
  }

  /** Consistency proof between two sizes of the committed log. */
  consistencyProof(oldSize: number, newSize = this.committed): Uint8Array[] {
    return this.local.tree.consistencyProof(oldSize, newSize);
  }

  /** The hub's DID document (did:web controller document of its key). */
  didDocument(): Record<string, unknown> {
    return controllerDocument(this.keypair) as unknown as Record<string, unknown>;
  }

  /** Liveness and size. */
  health(): Record<string, unknown> {
    return {
      status: this.failed ? 'fail' : 'pass',
      description: this.failed ? 'ISCC-HUB stopped accepting writes after a storage failure' : 'ISCC-HUB service is healthy',
      hub_id: this.hubId,
      realm_id: this.realmId,
      storage: this.store.kind,
      log_size: this.committed,
      declarations: this.local.byId.size,
      followed: [...this.remotes.values()].map((r) => ({ url: r.url, origin: r.origin, size: r.view.records.length })),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Discovery.

  /**
   * Follow another hub's log: verify its checkpoint (signature of its key, consistency with
   * what was verified before), fetch the new entry bundles, check that they rebuild the
   * checkpoint's root, and index their declarations.
   * @returns the number of new entries.
   */
  async follow(url: string, options: Omit<RemoteLogOptions, 'fetch'> = {}): Promise<number> {
    this.live();
    const key = url.replace(/\/+$/, '');
    let r = this.remotes.get(key);
    if (!r) {
      r = new RemoteLog(key, { ...options, fetch: this.fetchFn });
      this.remotes.set(key, r);
    }
    const { declarations, deletions } = await r.sync();
    await this.reindex(declarations);
    await this.unindex(deletions);
    return declarations.length + deletions.length;
  }

  /** Followed hub logs. */
  followed(): RemoteLog[] {
    return [...this.remotes.values()];
  }

  /** Stop accepting work and release the store (and the private index). */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.draining) await new Promise((r) => setTimeout(r, 5));
    this.closed = true;
    await this.store.close();
    if (this.ownsIndex) await this.index.close().catch(() => undefined);
  }
}
