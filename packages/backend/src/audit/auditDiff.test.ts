import { describe, expect, it } from 'vitest';
import { auditDiff, SMALL_DIFF_CHARS } from './auditDiff.js';
import { canonicalJson } from './canonicalJson.js';
import { hashRow, GENESIS_HASH } from './auditHash.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"z":1}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
});

describe('auditDiff', () => {
  it('keeps the changed fields of small objects', () => {
    expect(auditDiff({ a: 1, b: 'x' }, { a: 2, b: 'x', c: true })).toEqual({ changes: { a: { before: 1, after: 2 }, c: { before: null, after: true } } });
    expect(auditDiff(undefined, { a: 1 })).toEqual({ before: null, after: { a: 1 } });
    expect(auditDiff(undefined, undefined)).toBeNull();
  });
  it('keeps digests of large values', () => {
    const big = { text: 'x'.repeat(SMALL_DIFF_CHARS) };
    const d = auditDiff(big, { ...big, more: 1 }) as { beforeDigest: string; afterDigest: string };
    expect(d.beforeDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(d.afterDigest).not.toBe(d.beforeDigest);
  });
});

describe('hashRow', () => {
  const row = {
    id: '1',
    time: '2026-01-01T00:00:00.000Z',
    actor: 'user:default/a',
    actorType: 'user',
    action: 'x.y',
    target: null,
    outcome: 'succeeded',
    requestId: null,
    clientAddress: null,
    diff: null,
    meta: { k: 1 },
    prevHash: GENESIS_HASH,
  };
  it('changes with any field and with the previous hash', () => {
    const h = hashRow(row);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRow({ ...row })).toBe(h);
    expect(hashRow({ ...row, outcome: 'failed' })).not.toBe(h);
    expect(hashRow({ ...row, meta: { k: 2 } })).not.toBe(h);
    expect(hashRow({ ...row, prevHash: 'f'.repeat(64) })).not.toBe(h);
  });
});
