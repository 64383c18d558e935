import { createHash } from 'node:crypto';
import { InputError } from '@atrium/backend-plugin-api';

/** A page cursor: the offset and a hash of the query it belongs to, so it cannot page another query. */
export function queryHash(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeCursor(hash: string, offset: number): string {
  return Buffer.from(JSON.stringify({ h: hash, o: offset })).toString('base64url');
}

export function decodeCursor(cursor: string, hash: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError(`Invalid pageCursor: not a cursor returned by /api/search/query`);
  }
  const p = parsed as { h?: unknown; o?: unknown };
  if (typeof p?.o !== 'number' || !Number.isInteger(p.o) || p.o < 0 || p.o > 10_000 || typeof p.h !== 'string') {
    throw new InputError(`Invalid pageCursor: not a cursor returned by /api/search/query`);
  }
  if (p.h !== hash) throw new InputError('Invalid pageCursor: it belongs to another query (term, types or filters differ); start again without pageCursor');
  return p.o;
}
