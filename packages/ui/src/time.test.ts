import { describe, expect, it } from 'vitest';
import { formatDuration, formatMilliseconds, formatRelativeTime } from './time';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [725, '12m 5s'],
    [3 * 3600 + 4 * 60 + 9, '3h 4m'],
    [86_400 + 300, '1d'],
    [2 * 86_400 + 3600, '2d 1h'],
  ])('%i seconds → %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('formatMilliseconds', () => {
  it('picks a unit that fits', () => {
    expect(formatMilliseconds(849.6)).toBe('850 ms');
    expect(formatMilliseconds(1_234)).toBe('1.2 s');
    expect(formatMilliseconds(200_000)).toBe('3m 20s');
  });
});

describe('formatRelativeTime', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  it('says how long ago or how soon', () => {
    expect(formatRelativeTime(new Date('2026-01-01T11:55:00Z'), now)).toBe('5m ago');
    expect(formatRelativeTime(new Date('2026-01-01T12:00:30Z'), now)).toBe('in 30s');
    expect(formatRelativeTime(now, now)).toBe('just now');
  });
});
