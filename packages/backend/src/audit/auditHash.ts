import { canonicalJson, sha256Hex } from './canonicalJson.js';

/** prev_hash of the first row ever written. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of a row the chain covers (everything but `hash` itself). */
export interface ChainedRow {
  id: string;
  time: string;
  actor: string;
  actorType: string;
  action: string;
  target: string | null;
  outcome: string;
  requestId: string | null;
  clientAddress: string | null;
  diff: unknown;
  meta: unknown;
  prevHash: string;
}

/** sha256 over the canonical JSON of the row (version 1 layout) and the previous row's hash. */
export function hashRow(row: ChainedRow): string {
  return sha256Hex(
    canonicalJson([
      1,
      row.id,
      row.time,
      row.actor,
      row.actorType,
      row.action,
      row.target,
      row.outcome,
      row.requestId,
      row.clientAddress,
      row.diff ?? null,
      row.meta ?? null,
      row.prevHash,
    ]),
  );
}
