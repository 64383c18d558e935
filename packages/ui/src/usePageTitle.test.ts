import { describe, expect, it } from 'vitest';
import { formatDocumentTitle, pickTitle } from './usePageTitle';

describe('formatDocumentTitle', () => {
  it('names each part once, most specific first, then the app', () => {
    expect(formatDocumentTitle(['Orders service', 'Orders service'])).toBe('Orders service · Atrium');
    expect(formatDocumentTitle(['Runbook', 'orders  service', 'Orders service'])).toBe('Runbook · orders service · Atrium');
    expect(formatDocumentTitle('Catalog')).toBe('Catalog · Atrium');
  });

  it('leaves out empty parts and the app name itself', () => {
    expect(formatDocumentTitle([undefined, ' ', 'Atrium'])).toBe('Atrium');
    expect(formatDocumentTitle(undefined)).toBe('Atrium');
  });
});

describe('pickTitle', () => {
  it('shows the most specific mounted title, the latest on a tie', () => {
    const entity = { depth: 1, formatted: 'Orders service · Atrium', seq: 2 };
    const docsPage = { depth: 2, formatted: 'Runbook · Orders service · Atrium', seq: 1 };
    expect(pickTitle([docsPage, entity])).toBe('Runbook · Orders service · Atrium');
    expect(pickTitle([entity, { depth: 1, formatted: 'Other · Atrium', seq: 3 }])).toBe('Other · Atrium');
    expect(pickTitle([])).toBe('Atrium');
  });
});
