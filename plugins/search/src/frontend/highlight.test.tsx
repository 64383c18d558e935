// @vitest-environment jsdom
import { renderForTest, type RenderResult } from '@atrium/ui/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Highlighted } from './Highlighted';
import { splitHighlight, unescapeHtml } from './highlight';

const tags = { preTag: '<mark>', postTag: '</mark>' };

describe('splitHighlight', () => {
  it('splits on the pre and post tags into text and marked parts', () => {
    expect(splitHighlight('the <mark>payment</mark> service for <mark>pay</mark>outs', '<mark>', '</mark>')).toEqual([
      { text: 'the ', marked: false },
      { text: 'payment', marked: true },
      { text: ' service for ', marked: false },
      { text: 'pay', marked: true },
      { text: 'outs', marked: false },
    ]);
  });

  it('unescapes the server’s entities so the text reads as written', () => {
    expect(splitHighlight('a &lt;b&gt; &amp; <mark>&quot;c&quot;</mark>', '<mark>', '</mark>')).toEqual([
      { text: 'a <b> & ', marked: false },
      { text: '"c"', marked: true },
    ]);
    expect(unescapeHtml('&#39;x&#x27; &nbsp;')).toBe("'x' &nbsp;");
  });

  it('marks nothing for a pre tag without its post tag, and drops stray tags', () => {
    expect(splitHighlight('open <mark>never closed', '<mark>', '</mark>')).toEqual([{ text: 'open never closed', marked: false }]);
    expect(splitHighlight('x</mark>y', '<mark>', '</mark>')).toEqual([{ text: 'xy', marked: false }]);
    expect(splitHighlight('', '<mark>', '</mark>')).toEqual([]);
  });

  it('works with other tags', () => {
    expect(splitHighlight('@@a@@ b', '@@', '@@')).toEqual([
      { text: 'a', marked: true },
      { text: ' b', marked: false },
    ]);
  });
});

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
});

describe('Highlighted', () => {
  it('renders markup in a result as text, never as elements', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const escaped = '&lt;img src=x onerror=alert(1)&gt; <mark>pay</mark>ments';
    rendered = await renderForTest(
      <p>
        <Highlighted highlight={{ ...tags, fields: { text: escaped } }} field="text" fallback="" />|
        <Highlighted highlight={{ ...tags, fields: { text: `${evil} <mark>x</mark>` } }} field="text" fallback="" />|
        <Highlighted highlight={{ ...tags, fields: {} }} field="title" fallback={evil} />
      </p>,
    );
    const p = rendered.container.querySelector('p')!;
    expect(p.querySelector('img')).toBeNull();
    expect(p.textContent).toBe(`${evil} payments|${evil} x|${evil}`);
    expect([...p.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['pay', 'x']);
  });
});
