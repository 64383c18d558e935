import { describe, expect, it } from 'vitest';
import { highlight, snippet, tokenize, toTsQueryText, trigramSimilarity, vocabularyWords } from './text.js';

describe('query text', () => {
  it('keeps only words: tsquery syntax and SQL never reach Postgres', () => {
    expect(tokenize("'; drop table documents; --")).toEqual(['drop', 'table', 'documents']);
    expect(tokenize('&|!():*<>')).toEqual([]);
    expect(toTsQueryText(tokenize('"pay  gate'))).toBe("'pay' & 'gate':*");
    expect(toTsQueryText([])).toBeNull();
  });

  it('matches a last word shorter than three characters as a whole word, not as a prefix', () => {
    expect(toTsQueryText(['pay', 'g'])).toBe("'pay' & 'g'");
    expect(toTsQueryText(['config', 'frontend', '0'])).toBe("'config' & 'frontend' & '0'");
    expect(toTsQueryText(['co'])).toBe("'co'");
    expect(toTsQueryText(['con'])).toBe("'con':*");
    expect(toTsQueryText(['ui', 'kit'])).toBe("'ui' & 'kit':*");
  });

  it('cuts long input', () => {
    expect(tokenize('a '.repeat(100_000))).toHaveLength(16);
    expect(tokenize('x'.repeat(500))[0]).toHaveLength(64);
  });

  it('scores a typo by shared trigrams', () => {
    expect(trigramSimilarity('paymnt', 'payment')).toBeGreaterThan(0.4);
    expect(trigramSimilarity('paymnt', 'warehouse')).toBe(0);
  });
});

describe('vocabularyWords', () => {
  it('keeps the distinct words of 3+ characters with a letter, lower-cased', () => {
    expect(vocabularyWords('payments-service-000042', 'Payments service v2 API', undefined, null)).toEqual(['payments', 'service', 'api']);
    expect(vocabularyWords('Über-Zähler e2e')).toEqual(['über', 'zähler', 'e2e']);
  });
});

describe('highlight', () => {
  it('escapes everything and adds only <mark>', () => {
    const { html, marked } = highlight('<img src=x onerror=alert(1)> payments & "pay"', ['pay']);
    expect(marked).toBe(true);
    expect(html).toBe('&lt;img src=x onerror=alert(1)&gt; <mark>payments</mark> &amp; &quot;<mark>pay</mark>&quot;');
  });

  it('cuts long text around the first match', () => {
    const text = `${'lorem '.repeat(100)}the runbook ${'ipsum '.repeat(100)}`;
    const s = snippet(text, ['runbook']);
    expect(s).toContain('runbook');
    expect(s.length).toBeLessThan(260);
  });
});
