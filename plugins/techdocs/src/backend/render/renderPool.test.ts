import { afterAll, describe, expect, it } from 'vitest';
import { PageRenderPool, type SiteContext } from './renderPool.js';

const pool = new PageRenderPool();
afterAll(() => pool.close());

const site = (overrides: Partial<SiteContext> = {}) => ({
  context: (): SiteContext => ({
    triplet: { namespace: 'default', kind: 'component', name: 'svc' },
    files: ['index.md', 'img.png'],
    routes: [['index.md', '']],
    langs: ['ts'],
    allowedIframeHosts: [],
    ...overrides,
  }),
});
const generous = { timeMs: 60_000, maxHtmlBytes: 64 * 1024 * 1024 };

// Pages under the 2 MB size limit that each blocked the build (and, on the main thread, the
// server) for minutes: a regular expression or a look-back that was quadratic in the input.
// Each now renders well within a generous budget; before, each ran past it.
const SIZE = 400_000;
const PATHOLOGICAL: Array<[string, string, (html: string) => void]> = [
  ['a heading with a long run of spaces (heading id pattern)', `## Title${' '.repeat(SIZE)}end\n`, (html) => expect(html).toContain('end')],
  ['raw HTML with "<" and no ">" (search text)', `<div>\n${'<'.repeat(SIZE)}\n`, (html) => expect(html.length).toBeGreaterThan(0)],
  ['raw HTML with unclosed <style (search text)', `<div>\n${'<style'.repeat(SIZE / 6)}\n`, (html) => expect(html).not.toContain('<style')],
  ['raw HTML with unclosed tags (event handler check)', `<div>\n${'<a '.repeat(SIZE / 3)}\n`, (html) => expect(html.length).toBeGreaterThan(0)],
  ['href= followed by spaces (unsafe URL check)', `<div>\nhref=${' '.repeat(SIZE)}x\n`, (html) => expect(html).toContain('x')],
  ['a long task list (look-back for its list)', '- [ ] todo\n'.repeat((2 * SIZE) / 11), (html) => expect(html).toContain('contains-task-list')],
];

describe('PageRenderPool', () => {
  it.each(PATHOLOGICAL)('renders %s within its budget', async (_name, markdown, check) => {
    const outcome = await pool.render(site(), 'index.md', markdown, { ...generous, timeMs: 30_000 });
    expect(outcome.ok ? 'rendered' : outcome.message).toBe('rendered');
    if (outcome.ok) check(outcome.page.html);
  });

  it('renders on its own thread, resolving links and collecting warnings and used files', async () => {
    const s = site();
    const outcome = await pool.render(s, 'index.md', '# Hi\n\n![x](img.png) [gone](missing.md)\n\n```ts\nconst a = 1;\n```\n', generous);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.page.title).toBe('Hi');
    expect(outcome.page.html).toContain('/api/techdocs/static/docs/default/component/svc/img.png');
    expect(outcome.page.html).toContain('class="shiki"');
    expect(outcome.usedAssets).toEqual(['img.png']);
    expect(outcome.warnings).toEqual(['Broken link: missing.md (no such page or file)']);
  });

  it('stops a page over its time budget without blocking this thread, and renders the next page on a fresh thread', async () => {
    const s = site();
    // About 2 MB of headings and table rows: seconds of work, far over a 1 ms budget.
    const heavy = `${'## Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n'.repeat(45_000)}`;
    let finished = false;
    const pending = pool.render(s, 'index.md', heavy, { timeMs: 1, maxHtmlBytes: generous.maxHtmlBytes }).finally(() => {
      finished = true;
    });
    // This thread keeps running timers while the page renders elsewhere.
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    const outcome = await pending;
    expect(outcome).toMatchObject({ ok: false, reason: 'budget', message: 'rendering took longer than 1 ms, so it was stopped' });
    const next = await pool.render(s, 'index.md', '# Fine\n', generous);
    expect(next.ok && next.page.title).toBe('Fine');
  });

  it('refuses a page whose HTML would pass the size budget', async () => {
    // Abbreviations multiply text: every "X" becomes an <abbr> with the long title.
    const markdown = `*[X]: ${'t'.repeat(1000)}\n\n${'X '.repeat(2000)}\n`;
    const outcome = await pool.render(site(), 'index.md', markdown, { timeMs: 60_000, maxHtmlBytes: 1024 * 1024 });
    expect(outcome).toMatchObject({ ok: false, reason: 'error', message: 'its HTML would be larger than 1 MB' });
  });

  it('stops its thread once idle for idleMs, and renders the next page on a fresh one', async () => {
    const idle = new PageRenderPool(100);
    try {
      const s = site();
      const first = await idle.render(s, 'index.md', '# One\n', generous);
      expect(first.ok && first.page.title).toBe('One');
      expect(idle.threadRunning).toBe(true);
      await waitFor(() => !idle.threadRunning);
      const second = await idle.render(s, 'index.md', '# Two\n\n```ts\nconst b = 2;\n```\n', generous);
      expect(second.ok && second.page.html).toContain('class="shiki"');
      expect(idle.threadRunning).toBe(true);
    } finally {
      await idle.close();
    }
  });

  it('keeps its thread while pages keep coming within idleMs', async () => {
    const idle = new PageRenderPool(60_000);
    try {
      const s = site();
      for (let i = 0; i < 3; i++) {
        const outcome = await idle.render(s, 'index.md', `# Page ${i}\n`, generous);
        expect(outcome.ok).toBe(true);
        expect(idle.threadRunning).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(idle.threadRunning).toBe(true);
    } finally {
      await idle.close();
    }
  });
});

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
