/**
 * Following another hub's transparency log over HTTP (C2SP tlog-tiles), as iscc-search's
 * aggregator does, but verifying instead of trusting:
 *
 * 1. Trust anchor: the hub's Ed25519 key, given (`pubkey`, multikey `z6Mk...`) or, on first
 *    contact, read from its `/.well-known/did.json` (trust on first use); then pinned.
 * 2. GET `<url>/log/checkpoint`; verify the signed note with that key under the checkpoint's
 *    origin (pinned after first contact: a changed origin is refused).
 * 3. A smaller tree than the last verified one is a rewrite: refused (HUB_LOG_INCONSISTENT).
 * 4. Fetch the entry bundles covering the new leaves (`tile/entries/<N>[.p/<W>]`), append their
 *    leaf hashes to the leaves kept from earlier syncs and require the resulting root to equal
 *    the checkpoint's. Since the earlier leaves are the ones verified against the earlier
 *    checkpoint, this proves the new checkpoint's tree extends the old one (consistency); the
 *    RFC 6962 consistency proof between the two sizes, computed from our own copy, is also
 *    checked against both roots. Nothing of a sync that fails verification is kept.
 * 5. Check each new entry as the hub should have: a declaration's note signature verifies
 *    (ISCC-SIG) and its nonce is addressed to the hub id inside its ISCC-ID; a deletion is
 *    signed by the key that declared the ID. Entries failing these stay in the tree (the root
 *    needs them) but are ignored and counted in `rejected`.
 * 6. Apply the entries to a {@link LogView}: declarations become resolvable and searchable,
 *    deletions remove them.
 */
import { pubkeyDecode, verifyJson } from '@iscc-ts/core';
import { verifyCheckpoint, parseCheckpoint } from './checkpoint.ts';
import { HUB_ERROR_CODES, HubError } from './errors.ts';
import { MerkleTree, TILE_WIDTH, decodeEntryBundle, entriesPath, leafHash, verifyConsistency } from './merkle.ts';
import { LogView, type Declaration } from './view.ts';
import { decodeLogEntry } from './records.ts';
import { decodeIsccIdV1 } from './minter.ts';

/** Per-request timeout when following a hub (ms). */
export const FOLLOW_TIMEOUT_MS = 30_000;
/** Largest checkpoint accepted (bytes). */
export const MAX_CHECKPOINT_BYTES = 16 * 1024;

/** Options of {@link RemoteLog}. */
export interface RemoteLogOptions {
  /** The hub's public key (`z6Mk...`); default: from its did.json on first contact. */
  pubkey?: string;
  /** Expected checkpoint origin; default: the first verified checkpoint's. */
  origin?: string;
  fetch?: typeof fetch;
}

/** One followed hub log. */
export class RemoteLog {
  readonly view: LogView;
  pubkey: string | null;
  origin: string | null;
  /** Last verified checkpoint text. */
  checkpoint: string | null = null;
  /** Entries ignored because their signature or addressing did not verify. */
  rejected = 0;
  private readonly fetchFn: typeof fetch;
  private syncing: Promise<{ declarations: Declaration[]; deletions: string[] }> | null = null;

  constructor(
    /** Base URL of the hub's routes (the one holding `/log/...` and `/.well-known/did.json`). */
    readonly url: string,
    options: RemoteLogOptions = {},
  ) {
    this.pubkey = options.pubkey ?? null;
    this.origin = options.origin ?? null;
    this.fetchFn = options.fetch ?? fetch;
    this.view = new LogView(url);
  }

  private async get(path: string, kind: 'text' | 'bytes' | 'json', limit = 1 << 24): Promise<string | Uint8Array | unknown> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.url}/${path}`, { signal: AbortSignal.timeout(FOLLOW_TIMEOUT_MS) });
    } catch (err) {
      throw new HubError(HUB_ERROR_CODES.REMOTE_UNAVAILABLE, `GET ${this.url}/${path}: ${(err as Error).message}`, { cause: err });
    }
    if (!res.ok) throw new HubError(HUB_ERROR_CODES.REMOTE_UNAVAILABLE, `GET ${this.url}/${path}: HTTP ${res.status}`);
    const buf = new Uint8Array(await res.arrayBuffer());
    if (buf.length > limit) throw new HubError(HUB_ERROR_CODES.REMOTE_UNAVAILABLE, `GET ${this.url}/${path}: response over ${limit} bytes`);
    if (kind === 'bytes') return buf;
    const text = new TextDecoder().decode(buf);
    if (kind === 'text') return text;
    try {
      return JSON.parse(text);
    } catch {
      throw new HubError(HUB_ERROR_CODES.REMOTE_UNAVAILABLE, `GET ${this.url}/${path}: not JSON`);
    }
  }

  private async trustAnchor(): Promise<Uint8Array> {
    if (!this.pubkey) {
      const doc = (await this.get('.well-known/did.json', 'json', 64 * 1024)) as { verificationMethod?: { publicKeyMultibase?: unknown }[] };
      const key = doc?.verificationMethod?.[0]?.publicKeyMultibase;
      if (typeof key !== 'string') throw new HubError(HUB_ERROR_CODES.REMOTE_UNAVAILABLE, `${this.url}/.well-known/did.json names no publicKeyMultibase`);
      this.pubkey = key;
    }
    try {
      return pubkeyDecode(this.pubkey);
    } catch (err) {
      throw new HubError(HUB_ERROR_CODES.CHECKPOINT_INVALID, `public key of ${this.url} is not an Ed25519 multikey: ${(err as Error).message}`);
    }
  }

  /** Whether a followed entry is what an honest hub would have logged (see the module comment). */
  private async entryValid(record: Uint8Array, owners: Map<string, string>): Promise<boolean> {
    const e = decodeLogEntry(record);
    if (e.kind === 'unknown') return true; // unknown kinds are skipped by the view anyway
    let id;
    try {
      id = decodeIsccIdV1(e.iscc_id);
    } catch {
      return false;
    }
    const nonce = (e.note as { nonce?: unknown }).nonce;
    if (typeof nonce !== 'string' || !/^[0-9a-f]{32}$/.test(nonce) || Number.parseInt(nonce.slice(0, 3), 16) !== id.hub_id) return false;
    if (!(await signatureValid(e.note))) return false;
    const pubkey = e.note.signature.pubkey;
    if (e.kind === 'declaration') {
      if (typeof pubkey === 'string') owners.set(id.iscc_id, pubkey);
      return true;
    }
    const owner = owners.get(id.iscc_id) ?? this.view.byId.get(id.iscc_id)?.pubkey;
    return owner !== undefined && owner === pubkey;
  }

  /** One verified sync; concurrent calls share it. */
  sync(): Promise<{ declarations: Declaration[]; deletions: string[] }> {
    this.syncing ??= this.syncOnce().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async syncOnce(): Promise<{ declarations: Declaration[]; deletions: string[] }> {
    const pub = await this.trustAnchor();
    const text = (await this.get('log/checkpoint', 'text', MAX_CHECKPOINT_BYTES)) as string;
    const body = parseCheckpoint(text);
    if (!body) throw new HubError(HUB_ERROR_CODES.CHECKPOINT_INVALID, `${this.url}: malformed checkpoint`);
    if (this.origin && body.origin !== this.origin) {
      throw new HubError(HUB_ERROR_CODES.CHECKPOINT_INVALID, `${this.url}: checkpoint origin ${JSON.stringify(body.origin)}, expected ${JSON.stringify(this.origin)}`);
    }
    const cp = verifyCheckpoint(text, body.origin, pub);
    if (!cp) throw new HubError(HUB_ERROR_CODES.CHECKPOINT_INVALID, `${this.url}: checkpoint signature does not verify with ${this.pubkey}`);
    const have = this.view.records.length;
    if (cp.size < have) throw new HubError(HUB_ERROR_CODES.LOG_INCONSISTENT, `${this.url}: log shrank from ${have} to ${cp.size} entries`);
    // Fetch and verify on a scratch copy of the tree; only a verified sync is applied.
    const scratch = new MerkleTree();
    for (let i = 0; i < have; i++) scratch.push(this.view.tree.leaf(i));
    const fresh: Uint8Array[] = [];
    for (let b = Math.floor(have / TILE_WIDTH); b * TILE_WIDTH < cp.size; b++) {
      const full = (b + 1) * TILE_WIDTH <= cp.size;
      const width = full ? 0 : cp.size - b * TILE_WIDTH;
      const data = (await this.get(`log/${entriesPath(b, width)}`, 'bytes')) as Uint8Array;
      let records: Uint8Array[];
      try {
        records = decodeEntryBundle(data);
      } catch (err) {
        throw new HubError(HUB_ERROR_CODES.LOG_INCONSISTENT, `${this.url}: entry bundle ${b}: ${(err as Error).message}`);
      }
      const expected = width || TILE_WIDTH;
      if (records.length !== expected) throw new HubError(HUB_ERROR_CODES.LOG_INCONSISTENT, `${this.url}: entry bundle ${b} has ${records.length} entries, expected ${expected}`);
      const skip = Math.max(0, have - b * TILE_WIDTH);
      for (const r of records.slice(skip)) {
        fresh.push(r.slice());
        scratch.push(leafHash(r));
      }
    }
    const root = scratch.root(cp.size);
    if (!eq(root, cp.root)) throw new HubError(HUB_ERROR_CODES.LOG_INCONSISTENT, `${this.url}: entries do not rebuild the checkpoint root (size ${cp.size})`);
    if (have > 0 && !verifyConsistency(have, cp.size, this.view.tree.root(have), cp.root, scratch.consistencyProof(have, cp.size))) {
      throw new HubError(HUB_ERROR_CODES.LOG_INCONSISTENT, `${this.url}: checkpoint of size ${cp.size} is not consistent with the verified size ${have}`);
    }
    this.origin = cp.origin;
    this.checkpoint = text;
    const declarations: Declaration[] = [];
    const deletions: string[] = [];
    const owners = new Map<string, string>();
    for (const r of fresh) {
      const ok = await this.entryValid(r, owners);
      if (!ok) this.rejected++;
      const a = this.view.apply(r, !ok);
      if (a.kind === 'declaration' && a.iscc_id) declarations.push(this.view.byId.get(a.iscc_id)!);
      if (a.kind === 'deletion' && a.iscc_id) deletions.push(a.iscc_id);
    }
    return { declarations: declarations.filter((d) => this.view.byId.get(d.iscc_id) === d), deletions };
  }
}

/** Whether a signed note verifies (ISCC-SIG with its embedded key). */
async function signatureValid(note: unknown): Promise<boolean> {
  try {
    return (await verifyJson(note, null, null, false)).signature_valid;
  } catch {
    return false;
  }
}

function eq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
