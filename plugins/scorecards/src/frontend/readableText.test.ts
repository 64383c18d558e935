import { describe, expect, it } from 'vitest';
import { luminance, readableTextOn } from './readableText';

const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a)!, luminance(b)!].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
};

describe('level badge text colour', () => {
  it('meets WCAG AA (4.5:1) on every level colour the example scorecards use', () => {
    for (const bg of ['#cd7f32', '#9ea7b3', '#e6b422', '#74c0fc', '#2f9e44', '#adb5bd', '#1c7ed6', '#000000', '#ffffff']) {
      const text = readableTextOn(bg)!;
      expect(contrast(bg, text), `${text} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
  });
  it('picks dark text on the green that white text failed on', () => {
    expect(readableTextOn('#2f9e44')).toBe('#111');
    expect(readableTextOn('#1a1b1e')).toBe('#fff');
  });
  it('leaves theme colour names to the UI library', () => {
    expect(readableTextOn('green')).toBeUndefined();
    expect(readableTextOn('#12')).toBeUndefined();
  });
});
