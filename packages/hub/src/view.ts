/**
 * The in-memory view of a hub log (this hub's or a followed one): every record, the Merkle
 * tree over them, and the current declarations by ISCC-ID and datahash, the used nonces and
 * the deleted IDs. Applying an entry is the only way it changes, so replaying a log rebuilds
 * it exactly.
 */
import type { IsccNote } from '@iscc-ts/core';
import { MerkleTree, leafHash } from './merkle.ts';
import { decodeIsccIdV1 } from './minter.ts';
import { decodeLogEntry, expandGateway } from './records.ts';

/** A declaration as resolved. */
export interface Declaration {
  iscc_id: string;
  /** Leaf index of its log entry in the log of the hub that minted it. */
  seq: number;
  hub_id: number;
  iscc_code: string;
  datahash: string;
  nonce: string;
  timestamp: string;
  pubkey: string;
  controller?: string;
  metahash?: string;
  units?: string[];
  gateway?: string;
  /** The gateway template expanded for this declaration. */
  gateway_url?: string;
  /** The signed note as declared. */
  iscc_note: IsccNote;
  /** `local`, or the origin of the followed hub log it came from. */
  source: string;
}

/** The in-memory view of a log (local or followed). */
export class LogView {
  readonly records: Uint8Array[] = [];
  readonly tree = new MerkleTree();
  readonly byId = new Map<string, Declaration>();
  readonly deleted = new Set<string>();
  readonly nonces = new Set<string>();
  readonly byDatahash = new Map<string, Set<string>>();
  constructor(readonly source: string) {}

  /** Apply a log entry; returns what it did. */
  /**
   * Apply a log entry. With `ignore` the record only joins the tree (a followed hub's entry
   * that failed verification: kept for the Merkle root, never resolvable).
   */
  apply(record: Uint8Array, ignore = false): { kind: 'declaration' | 'deletion' | 'unknown'; iscc_id: string | null; timestamp?: bigint } {
    const index = this.records.length;
    this.records.push(record);
    this.tree.push(leafHash(record));
    if (ignore) return { kind: 'unknown', iscc_id: null };
    const e = decodeLogEntry(record);
    if (e.kind === 'declaration') {
      const n = e.note;
      let id: ReturnType<typeof decodeIsccIdV1>;
      try {
        id = decodeIsccIdV1(e.iscc_id);
      } catch {
        return { kind: 'unknown', iscc_id: e.iscc_id };
      }
      const d: Declaration = {
        iscc_id: id.iscc_id,
        seq: index,
        hub_id: id.hub_id,
        iscc_code: n.iscc_code,
        datahash: n.datahash,
        nonce: n.nonce,
        timestamp: n.timestamp,
        pubkey: n.signature?.pubkey ?? '',
        iscc_note: n,
        source: this.source,
      };
      if (n.signature?.controller) d.controller = n.signature.controller;
      if (n.metahash) d.metahash = n.metahash;
      if (n.units) d.units = n.units;
      if (n.gateway) {
        d.gateway = n.gateway;
        const url = expandGateway(n, id.iscc_id);
        if (url) d.gateway_url = url;
      }
      this.byId.set(d.iscc_id, d);
      this.nonces.add(n.nonce);
      let set = this.byDatahash.get(n.datahash);
      if (!set) this.byDatahash.set(n.datahash, (set = new Set()));
      set.add(d.iscc_id);
      return { kind: 'declaration', iscc_id: d.iscc_id, timestamp: id.timestamp };
    }
    if (e.kind === 'deletion') {
      this.nonces.add(e.note.nonce);
      const d = this.byId.get(e.iscc_id);
      if (d) {
        this.byId.delete(e.iscc_id);
        this.byDatahash.get(d.datahash)?.delete(e.iscc_id);
      }
      this.deleted.add(e.iscc_id);
      return { kind: 'deletion', iscc_id: e.iscc_id };
    }
    return { kind: 'unknown', iscc_id: e.iscc_id };
  }
}

