import { describe, expect, it } from 'vitest';
import { checkIfMatch, ifMatchAllows, parseIfMatch } from './scimIfMatch.js';

describe('If-Match for SCIM writes', () => {
  it('reads *, weak and strong tags and lists; ignores an absent header; a foreign tag matches nothing', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('  ')).toBeUndefined();
    expect(parseIfMatch('*')).toEqual({ any: true });
    expect(parseIfMatch('W/"3", "4"')).toEqual({ versions: [3, 4] });
    expect(parseIfMatch('"abc"')).toEqual({ versions: [] });
    expect(ifMatchAllows(undefined, 7)).toBe(true);
    expect(ifMatchAllows({ any: true }, 7)).toBe(true);
    expect(ifMatchAllows(parseIfMatch('W/"7"'), 7)).toBe(true);
    expect(ifMatchAllows(parseIfMatch('W/"6"'), 7)).toBe(false);
    expect(ifMatchAllows(parseIfMatch('"abc"'), 7)).toBe(false);
  });

  it('a stale tag is a SCIM 412 naming the current version', () => {
    expect(() => checkIfMatch(parseIfMatch('W/"1"'), 'User', 'u-1', 2)).toThrow(
      expect.objectContaining({ status: 412, message: expect.stringMatching(/User u-1 is at version W\/"2"/) as unknown as string }),
    );
  });
});
